/*
 * gw_store_pg.c: the store in a PostgreSQL database, shared by several
 * gateways.
 *
 * Every write is one transaction that first takes one advisory lock
 * (WRITE_LOCK), so that writes are serialised across every gateway on the
 * database as SQLite's BEGIN IMMEDIATE serialises them on one file: the
 * repeat check, the judging against the ledger, the audit log's chain and
 * the next message id (max + 1, which a body is sealed to before it is
 * stored) each see every write committed before. Transactions are READ
 * COMMITTED: after the lock, a statement sees all that was committed before
 * it. The unique index on a message's identity is the database's own guard
 * behind the repeat check: a put that still meets it fails and stores
 * nothing, and may be tried again.
 *
 * Several gateways share the database, so it needs no claim (gw_store_claim).
 * Push deliveries are claimed: due() takes a lease on what it lists, for
 * the instance named, and lists nothing under another instance's lease that
 * has not run out; update_delivery() ends the lease. A gateway that dies leaves its
 * leases to run out, and another takes its deliveries over.
 *
 * The schema is versioned in the table ijw_schema: migrations[i] takes
 * version i to i + 1, all of them in one transaction under the write lock,
 * so that gateways started at once do not both migrate. Statements are
 * prepared once per connection. Listings are read whole, in pages where
 * they may be long, before the caller's callback sees them, so that the
 * callback may use the same handle. Values travel in binary (bytes, text)
 * or as decimal text (numbers).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "gw_store.h"

/* The advisory lock every writing transaction takes first: "ijw-gw" in ASCII. */
#define WRITE_LOCK "126943563818871"
#define BEGIN_WRITE                                                                                \
	"BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")"

/* Rows per page of a long listing; of messages, with their bytes, fewer. */
#define PAGE "500"
#define MESSAGE_PAGE "32"

/* PostgreSQL's type oids, as a binary result names them. */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25

#define UNIQUE_VIOLATION "23505"

static const char *const migrations[] = {
        /*
         * 1: as SQLite's version 6, its flags 0 or 1 too (the same SQL reads
         * both), and the lease of a push delivery
         */
        "CREATE TABLE messages ("
        " id bigint PRIMARY KEY,"
        " type text NOT NULL,"
        " sender text NOT NULL,"
        " receiver text NOT NULL,"
        " identificatie text NOT NULL,"
        " answers bigint REFERENCES messages(id),"
        " received bigint NOT NULL,"
        " generated smallint NOT NULL CHECK (generated IN (0, 1)),"
        " sha256 bytea NOT NULL CHECK (length(sha256) = 32),"
        " body bytea NOT NULL,"
        " translated bytea,"
        " acked bigint,"
        " advice text,"
        " body_key text);"
        "CREATE UNIQUE INDEX messages_identity ON messages(sender, type, identificatie)"
        " WHERE generated = 0;"
        "CREATE INDEX messages_generated ON messages(sender, type, identificatie)"
        " WHERE generated = 1;"
        "CREATE INDEX messages_inbox ON messages(receiver, id) WHERE acked IS NULL;"
        "CREATE TABLE deliveries ("
        " id bigint PRIMARY KEY,"
        " message bigint NOT NULL REFERENCES messages(id),"
        " receiver text NOT NULL,"
        " state text NOT NULL CHECK (state IN ('pending', 'delivered', 'given_up')),"
        " attempts bigint NOT NULL DEFAULT 0,"
        " next_attempt bigint NOT NULL,"
        " delivered bigint,"
        " created bigint NOT NULL,"
        " claimed_by text,"
        " lease_until bigint);"
        "CREATE INDEX deliveries_due ON deliveries(next_attempt, id) WHERE state = 'pending';"
        "CREATE INDEX deliveries_message ON deliveries(message);"
        "CREATE TABLE attempts ("
        " id bigint PRIMARY KEY,"
        " delivery bigint NOT NULL REFERENCES deliveries(id),"
        " at bigint NOT NULL,"
        " http_status bigint NOT NULL,"
        " error text,"
        " delivered smallint NOT NULL CHECK (delivered IN (0, 1)));"
        "CREATE INDEX attempts_delivery ON attempts(delivery, id);"
        "CREATE TABLE audit ("
        " id bigint PRIMARY KEY,"
        " at bigint NOT NULL,"
        " party text,"
        " cert text,"
        " remote text,"
        " action text NOT NULL,"
        " message bigint REFERENCES messages(id),"
        " detail text,"
        " hash bytea);"
        "CREATE INDEX audit_party ON audit(party, at);"
        "CREATE INDEX audit_message ON audit(message) WHERE message IS NOT NULL;"
        /* keys in byte order, as SQLite keeps them: prefix scans and dumps agree */
        "CREATE TABLE ledger (k text COLLATE \"C\" PRIMARY KEY, v text NOT NULL,"
        " message bigint);",
        /* 2: as SQLite's version 7: when retention removed a message's bytes, and indexes */
        "ALTER TABLE messages ADD COLUMN purged bigint;"
        "CREATE INDEX messages_answers ON messages(answers) WHERE answers IS NOT NULL;"
        "CREATE INDEX messages_sender ON messages(sender, id);"
        "CREATE INDEX messages_received ON messages(received);",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* The columns of a struct gw_msg, in the order row_msg() reads them. */
#define MSG_COLUMNS                                                                                \
	"id, type, sender, receiver, identificatie, answers, received, generated, sha256,"         \
	" translated IS NOT NULL, advice, body_key"

/* The columns of a struct gw_audit, in the order audit_row() reads them. */
#define AUDIT_COLUMNS "id, at, message, party, cert, remote, action, detail, hash"

/* The columns of each table, in the order of enum gw_table. */
#define MESSAGES_DUMP                                                                              \
	"id, type, sender, receiver, identificatie, answers, received, generated, sha256, body,"   \
	" translated, acked, advice, body_key, purged"
#define DELIVERIES_DUMP "id, message, receiver, state, attempts, next_attempt, delivered, created"
#define ATTEMPTS_DUMP "id, delivery, at, http_status, error, delivered"
#define AUDIT_DUMP "id, at, party, cert, remote, action, message, detail, hash"
#define LEDGER_DUMP "k, v, message"

enum stmt {
	ST_FIND,
	ST_FIND_GENERATED,
	ST_FIND_ORIGINAL,
	ST_NEXT_MESSAGE,
	ST_INSERT_MESSAGE,
	ST_INSERT_DELIVERY,
	ST_LAST_AUDIT,
	ST_INSERT_AUDIT,
	ST_AUDIT_SCAN,
	ST_INBOX,
	ST_GET,
	ST_ACKED,
	ST_ACK,
	ST_DUE,
	ST_UPDATE_DELIVERY,
	ST_ACK_DELIVERED,
	ST_INSERT_ATTEMPT,
	ST_LEDGER_GET,
	ST_LEDGER_PUT,
	ST_LEDGER_DEL,
	ST_LEDGER_RANGE,
	ST_LEDGER_FROM,
	ST_LEDGER_CLEAR,
	ST_MESSAGES,
	ST_STALE,
	ST_STORED,
	ST_RESEAL,
	ST_DUMP_MESSAGES,
	ST_DUMP_DELIVERIES,
	ST_DUMP_ATTEMPTS,
	ST_DUMP_AUDIT,
	ST_LOAD_DELIVERIES,
	ST_LOAD_ATTEMPTS,
	ST_LOAD_LEDGER,
	ST_FIND_HEEN,
	ST_PURGE,
	ST_LIFE,
	ST_ATTEMPTS,
	ST_ANSWERS,
	ST_BODY,
	ST_BODY_TRANSLATED,
	ST_REQUEUE,
	ST_QUEUES,
	ST_REJECTED,
	ST_COUNT
};

static const char *const statements[ST_COUNT] = {
        [ST_FIND] = "SELECT id, sha256 FROM messages"
                    " WHERE sender = $1 AND type = $2 AND identificatie = $3 AND generated = 0",
        [ST_FIND_GENERATED] = "SELECT id, sha256 FROM messages"
                              " WHERE sender = $1 AND type = $2 AND identificatie = $3"
                              " AND generated = 1",
        [ST_FIND_ORIGINAL] = "SELECT " MSG_COLUMNS ", body, purged FROM messages"
                             " WHERE sender = $1 AND type = $2 AND identificatie = $3"
                             " AND generated = 0",
        /* the id the next message gets: its bytes are sealed to it before it is stored */
        [ST_NEXT_MESSAGE] = "SELECT coalesce(max(id), 0) + 1 FROM messages",
        [ST_INSERT_MESSAGE] = "INSERT INTO messages (" MESSAGES_DUMP ")"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                              " $14, $15)",
        [ST_INSERT_DELIVERY] = "INSERT INTO deliveries (id, message, receiver, state,"
                               " next_attempt, created)"
                               " SELECT coalesce(max(id), 0) + 1, $1, $2, 'pending', $3, $3"
                               " FROM deliveries",
        [ST_LAST_AUDIT] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [ST_INSERT_AUDIT] = "INSERT INTO audit (" AUDIT_DUMP ")"
                            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [ST_AUDIT_SCAN] = "SELECT " AUDIT_COLUMNS " FROM audit WHERE id > $1 ORDER BY id"
                          " LIMIT " PAGE,
        [ST_INBOX] = "SELECT " MSG_COLUMNS " FROM messages"
                     " WHERE receiver = $1 AND acked IS NULL ORDER BY id LIMIT $2",
        [ST_GET] = "SELECT " MSG_COLUMNS ", coalesce(translated, body), purged FROM messages"
                   " WHERE id = $1 AND receiver = $2",
        [ST_ACKED] = "SELECT acked IS NOT NULL FROM messages WHERE id = $1 AND receiver = $2",
        [ST_ACK] = "UPDATE messages SET acked = $2 WHERE id = $1",
        /*
         * The first $3 due of each receiver, counting those under a lease;
         * of them, those under no live lease but this instance's ($4) are
         * leased to it until $5. Rows another instance is claiming are
         * skipped, not waited for: two listings never wait for each other.
         */
        [ST_DUE] = "WITH pick AS (SELECT id FROM deliveries WHERE id IN (SELECT id FROM"
                   " (SELECT id, row_number() OVER (PARTITION BY receiver"
                   " ORDER BY next_attempt, id) AS place FROM deliveries"
                   " WHERE state = 'pending' AND next_attempt <= $1) q WHERE place <= $3)"
                   " AND state = 'pending' AND next_attempt <= $1 AND (claimed_by IS NULL"
                   " OR claimed_by = $4 OR lease_until <= $1)"
                   " ORDER BY next_attempt, id LIMIT $2 FOR UPDATE SKIP LOCKED),"
                   " claimed AS (UPDATE deliveries d SET claimed_by = $4, lease_until = $5"
                   " FROM pick WHERE d.id = pick.id"
                   " RETURNING d.id, d.message, d.receiver, d.attempts, d.next_attempt)"
                   " SELECT c.id, c.message, c.receiver, c.attempts, m.received,"
                   " coalesce((SELECT min(at) FROM attempts WHERE delivery = c.id), 0)"
                   " FROM claimed c JOIN messages m ON m.id = c.message"
                   " ORDER BY c.next_attempt, c.id",
        [ST_UPDATE_DELIVERY] = "UPDATE deliveries SET attempts = attempts + 1, next_attempt = $2,"
                               " state = $3, delivered = $4, claimed_by = NULL,"
                               " lease_until = NULL WHERE id = $1 AND state = 'pending'",
        [ST_ACK_DELIVERED] = "UPDATE messages SET acked = $2"
                             " WHERE id = (SELECT message FROM deliveries WHERE id = $1)"
                             " AND acked IS NULL",
        [ST_INSERT_ATTEMPT] = "INSERT INTO attempts (" ATTEMPTS_DUMP ")"
                              " SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5"
                              " FROM attempts",
        [ST_LEDGER_GET] = "SELECT v FROM ledger WHERE k = $1",
        [ST_LEDGER_PUT] = "INSERT INTO ledger (k, v, message) VALUES ($1, $2, $3)"
                          " ON CONFLICT (k) DO UPDATE SET v = excluded.v,"
                          " message = excluded.message",
        [ST_LEDGER_DEL] = "DELETE FROM ledger WHERE k = $1",
        [ST_LEDGER_RANGE] = "SELECT " LEDGER_DUMP " FROM ledger WHERE k >= $1 AND k < $2"
                            " ORDER BY k LIMIT " PAGE,
        [ST_LEDGER_FROM] = "SELECT " LEDGER_DUMP " FROM ledger WHERE k >= $1 ORDER BY k"
                           " LIMIT " PAGE,
        [ST_LEDGER_CLEAR] = "DELETE FROM ledger",
        [ST_MESSAGES] = "SELECT " MSG_COLUMNS ", body FROM messages WHERE id > $1 ORDER BY id"
                        " LIMIT " MESSAGE_PAGE,
        [ST_STALE] = "SELECT id FROM messages WHERE id > $1 AND body_key IS DISTINCT FROM $2"
                     " ORDER BY id LIMIT $3",
        [ST_STORED] = "SELECT body, translated, body_key FROM messages WHERE id = $1",
        [ST_RESEAL] = "UPDATE messages SET body = $2, translated = $3, body_key = $4 WHERE id = $1",
        [ST_DUMP_MESSAGES] = "SELECT " MESSAGES_DUMP " FROM messages WHERE id > $1 ORDER BY id"
                             " LIMIT " MESSAGE_PAGE,
        [ST_DUMP_DELIVERIES] = "SELECT " DELIVERIES_DUMP " FROM deliveries WHERE id > $1"
                               " ORDER BY id LIMIT " PAGE,
        [ST_DUMP_ATTEMPTS] = "SELECT " ATTEMPTS_DUMP " FROM attempts WHERE id > $1 ORDER BY id"
                             " LIMIT " PAGE,
        [ST_DUMP_AUDIT] = "SELECT " AUDIT_DUMP " FROM audit WHERE id > $1 ORDER BY id"
                          " LIMIT " PAGE,
        [ST_LOAD_DELIVERIES] = "INSERT INTO deliveries (" DELIVERIES_DUMP ")"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [ST_LOAD_ATTEMPTS] = "INSERT INTO attempts (" ATTEMPTS_DUMP ")"
                             " VALUES ($1, $2, $3, $4, $5, $6)",
        [ST_LOAD_LEDGER] = "INSERT INTO ledger (" LEDGER_DUMP ") VALUES ($1, $2, $3)",
        [ST_FIND_HEEN] = "SELECT id FROM messages WHERE sender = $1 AND receiver = $2"
                         " AND type = $3 AND identificatie = $4 AND generated = 0",
        /* body is NOT NULL: no bytes are empty bytes */
        [ST_PURGE] = "UPDATE messages SET body = '', translated = NULL, body_key = NULL,"
                     " purged = $2 WHERE id IN (SELECT id FROM messages WHERE received < $1"
                     " AND acked IS NOT NULL AND purged IS NULL AND NOT EXISTS (SELECT 1 FROM"
                     " deliveries d WHERE d.message = messages.id AND d.state = 'pending')"
                     " ORDER BY id LIMIT $3)",
        [ST_LIFE] = GW_STATE_SELECT " WHERE m.id = $1 AND"
                                    " ($2::text IS NULL OR " GW_VISIBLE("m", "$2::text") ")",
        [ST_ATTEMPTS] = "SELECT at, http_status, error, delivered FROM attempts"
                        " WHERE delivery = $1 ORDER BY id",
        [ST_ANSWERS] = "SELECT " MSG_COLUMNS " FROM messages WHERE answers = $1 ORDER BY id",
        [ST_BODY] = "SELECT " MSG_COLUMNS ", body, purged FROM messages WHERE id = $1",
        [ST_BODY_TRANSLATED] = "SELECT " MSG_COLUMNS ", coalesce(translated, body), purged"
                               " FROM messages WHERE id = $1",
        [ST_REQUEUE] = "UPDATE deliveries SET state = 'pending', next_attempt = $2,"
                       " claimed_by = NULL, lease_until = NULL"
                       " WHERE message = $1 AND state = 'given_up'",
        /* a receiver's unacknowledged messages, by the inbox's index; its pushes not delivered */
        [ST_QUEUES] = "SELECT receiver, sum(u)::bigint, min(o), sum(p)::bigint, sum(g)::bigint"
                      " FROM (SELECT receiver, 0 AS u, NULL::bigint AS o, 0 AS p, 0 AS g"
                      " FROM messages GROUP BY receiver"
                      " UNION ALL SELECT receiver, count(*), min(received), 0, 0 FROM messages"
                      " WHERE acked IS NULL GROUP BY receiver"
                      " UNION ALL SELECT receiver, 0, NULL,"
                      " count(CASE WHEN state = 'pending' THEN 1 END),"
                      " count(CASE WHEN state = 'given_up' THEN 1 END) FROM deliveries"
                      " WHERE state <> 'delivered' GROUP BY receiver) q"
                      " GROUP BY receiver ORDER BY receiver COLLATE \"C\"",
        [ST_REJECTED] = "SELECT at / 86400 * 86400, coalesce(detail, ''), count(*) FROM audit"
                        " WHERE action = 'rejected' AND at >= $1 AND at < $2"
                        " GROUP BY 1, 2 ORDER BY 1, 2",
};

/* What dump and load read and write of each table: its page, its insert, its columns. */
static const struct table {
	enum stmt dump, load;
	size_t columns;
} tables[GW_TABLES] = {
        [GW_TABLE_MESSAGES] = {ST_DUMP_MESSAGES, ST_INSERT_MESSAGE, 15},
        [GW_TABLE_DELIVERIES] = {ST_DUMP_DELIVERIES, ST_LOAD_DELIVERIES, 8},
        [GW_TABLE_ATTEMPTS] = {ST_DUMP_ATTEMPTS, ST_LOAD_ATTEMPTS, 6},
        [GW_TABLE_AUDIT] = {ST_DUMP_AUDIT, ST_INSERT_AUDIT, 9},
        [GW_TABLE_LEDGER] = {ST_LEDGER_FROM, ST_LOAD_LEDGER, 3},
};

/* The last audit entry's id and hash, when the transaction has not read them yet. */
struct chain {
	bool known;
	int64_t id;
	unsigned char hash[GW_AUDIT_HASH];
};

/* A ledger write waiting to be sent (see flush()). */
struct pending {
	enum stmt st; /* ST_LEDGER_PUT or ST_LEDGER_DEL */
	char *k, *v;  /* v NULL for a DEL */
	int64_t msg;
};

struct pg {
	PGconn *conn;
	struct pending *pend; /* ledger writes of the transaction not yet sent */
	size_t npend, cappend;
	struct chain chain; /* the audit log's head, read once per writing call */
	int64_t next;       /* the id the put's next message gets; 0 before it is read */
	bool in_tx;         /* a transaction of begin_write() or a snapshot is open */
	char state[6];      /* the SQLSTATE of the last statement that failed */
	char why[400];      /* and what the server said */
	char err[512];
};

/* The parameters of a statement: numbers as text, text and bytes in binary. */
#define PARAMS_MAX 16
/* ledger writes sent in one pipeline */
#define PIPELINE_MAX 256

struct params {
	int n;
	const char *v[PARAMS_MAX];
	int len[PARAMS_MAX], fmt[PARAMS_MAX];
	char num[PARAMS_MAX][24];
};

static void
add_int(struct params *p, int64_t v)
{
	snprintf(p->num[p->n], sizeof p->num[p->n], "%" PRId64, v);
	p->v[p->n] = p->num[p->n];
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

static void
add_null(struct params *p)
{
	p->v[p->n] = NULL;
	p->len[p->n] = 0;
	p->fmt[p->n++] = 1;
}

/* An id that may be absent: 0 is SQL NULL. */
static void
add_id(struct params *p, int64_t id)
{
	if (id)
		add_int(p, id);
	else
		add_null(p);
}

/* len bytes: a text or bytes; data NULL is SQL NULL. */
static void
add_bytes(struct params *p, const void *data, size_t len)
{
	p->v[p->n] = data;
	p->len[p->n] = (int)len;
	p->fmt[p->n++] = 1;
}

/* A string of the caller's; NULL is SQL NULL. */
static void
add_str(struct params *p, const char *s)
{
	add_bytes(p, s, s ? strlen(s) : 0);
}

/* A field of a struct gw_msg, which need not end in NUL when it is full. */
static void
add_field(struct params *p, const char *s, size_t size)
{
	add_bytes(p, s, strnlen(s, size));
}

static int64_t
limit_of(size_t limit)
{
	return limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
}

/* Keeps what the server said of a result that failed, and frees it. */
static void
keep_why(struct pg *h, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg =
	        r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(h->conn);
	size_t len;

	snprintf(h->state, sizeof h->state, "%s", state ? state : "");
	snprintf(h->why, sizeof h->why, "%s", msg && *msg ? msg : "no answer from the server");
	/* libpq's messages run over lines; a log line and an answer's reason do not */
	for (char *c = h->why; *c; c++)
		if (*c == '\n' || *c == '\t')
			*c = ' ';
	len = strlen(h->why);
	while (len && (h->why[len - 1] == '\n' || h->why[len - 1] == ' '))
		h->why[--len] = '\0';
	PQclear(r);
}

/* The result of a call that succeeded, or NULL with the reason kept. */
static PGresult *
checked(struct pg *h, PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	if (r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) {
		h->state[0] = '\0';
		return r;
	}
	keep_why(h, r);
	return NULL;
}

static int prepare_connection(struct pg *h);

/*
 * Whether a call now begins outside a transaction. One that began stays
 * open, for this purpose, until it is committed or rolled back, even when
 * its connection is gone: no call of it is ever made on a new connection.
 */
static bool
outside(const struct pg *h)
{
	return !h->in_tx;
}

/*
 * After a call that failed outside a transaction: when the connection is
 * gone (the server restarted, a failover), connects anew and sets the new
 * connection up; true when the call may be made again. Within a
 * transaction a call is never made again: the transaction is lost.
 */
static bool
reconnected(struct pg *h, bool was_outside)
{
	if (!was_outside || PQstatus(h->conn) != CONNECTION_BAD)
		return false;
	PQreset(h->conn);
	if (PQstatus(h->conn) != CONNECTION_OK) {
		keep_why(h, NULL);
		return false;
	}
	return prepare_connection(h) == 0;
}

static PGresult *
run_once(struct pg *h, enum stmt st, const struct params *p)
{
	char name[16];

	snprintf(name, sizeof name, "ijw%d", (int)st);
	return checked(h, PQexecPrepared(h->conn, name, p ? p->n : 0, p ? p->v : NULL,
	                                 p ? p->len : NULL, p ? p->fmt : NULL, 1));
}

/* Forgets the ledger writes not yet sent: their transaction ends without them. */
static void
drop_pending(struct pg *h)
{
	for (size_t i = 0; i < h->npend; i++) {
		free(h->pend[i].k);
		free(h->pend[i].v);
	}
	h->npend = 0;
}

/* The parameters of a ledger write: the key, and for a PUT the value and message. */
static void
write_params(enum stmt st, const char *k, const char *v, int64_t msg, struct params *q)
{
	add_str(q, k);
	if (st == ST_LEDGER_PUT) {
		add_str(q, v);
		add_id(q, msg);
	}
}

/*
 * Sends the ledger writes of the transaction that wait, in order, in
 * pipelines of PIPELINE_MAX (one round trip each instead of one a write;
 * few enough that their answers never fill the socket while the server
 * waits for the rest), and reads their answers. Called before any other
 * statement, so that every read sees the writes before it. 0, or -1 with
 * the server's reason kept (the transaction is then lost).
 */
static int
flush(struct pg *h)
{
	size_t done = 0;
	int rc = 0;

	while (!rc && done < h->npend) {
		size_t n = h->npend - done < PIPELINE_MAX ? h->npend - done : PIPELINE_MAX;
		PGresult *r = NULL;
		bool synced = false;

		if (!PQenterPipelineMode(h->conn)) {
			keep_why(h, NULL);
			rc = -1;
			break;
		}
		for (size_t i = done; i < done + n && !rc; i++) {
			struct params q = {0};
			char name[16];

			write_params(h->pend[i].st, h->pend[i].k, h->pend[i].v, h->pend[i].msg, &q);
			snprintf(name, sizeof name, "ijw%d", (int)h->pend[i].st);
			if (!PQsendQueryPrepared(h->conn, name, q.n, q.v, q.len, q.fmt, 1))
				rc = -1;
		}
		if (!rc && !PQpipelineSync(h->conn))
			rc = -1;
		if (rc)
			keep_why(h, NULL);
		/*
		 * Every answer up to the sync, each write's ended by a NULL (two
		 * NULLs in a row: the connection has nothing more); the first
		 * failure's reason is kept.
		 */
		for (bool gap = false; !synced; gap = !r) {
			if (!(r = PQgetResult(h->conn))) {
				if (gap)
					break;
				continue;
			}
			switch (PQresultStatus(r)) {
			case PGRES_PIPELINE_SYNC:
				synced = true;
				PQclear(r);
				break;
			case PGRES_COMMAND_OK:
			case PGRES_PIPELINE_ABORTED:
				PQclear(r);
				break;
			default:
				if (!rc)
					keep_why(h, r);
				else
					PQclear(r);
				rc = -1;
			}
		}
		if (!PQexitPipelineMode(h->conn) && !rc) {
			keep_why(h, NULL);
			rc = -1;
		}
		if (!synced && !rc) {
			keep_why(h, NULL);
			rc = -1;
		}
		done += n;
	}
	drop_pending(h);
	return rc;
}

/* Runs prepared statement st with p (NULL for none); its result, or NULL. */
static PGresult *
run(struct pg *h, enum stmt st, const struct params *p)
{
	bool was_outside = outside(h);
	PGresult *r;

	if (flush(h))
		return NULL;
	r = run_once(h, st, p);

	return r || !reconnected(h, was_outside) ? r : run_once(h, st, p);
}

/* Runs st for its effect only: 0, or -1 with the reason kept. */
static int
run_only(struct pg *h, enum stmt st, const struct params *p)
{
	PGresult *r = run(h, st, p);

	PQclear(r);
	return r ? 0 : -1;
}

/* Runs sql (statements without parameters): 0, or -1 with the reason kept. */
static int
exec_sql(struct pg *h, const char *sql)
{
	bool was_outside = outside(h);
	PGresult *r;

	if (flush(h))
		return -1;
	r = checked(h, PQexec(h->conn, sql));

	if (!r && reconnected(h, was_outside))
		r = checked(h, PQexec(h->conn, sql));
	PQclear(r);
	return r ? 0 : -1;
}

/* Records what failed, with the server's reason, and returns GW_STORE_ERROR. */
static enum gw_store_rc
failed(struct pg *h, const char *what)
{
	gw_store_say(h->err, sizeof h->err, "%s: %s", what, h->why);
	return GW_STORE_ERROR;
}

/* Ends the transaction, if one is open, keeping the error message set. */
static enum gw_store_rc
abandon(struct pg *h)
{
	drop_pending(h);
	h->in_tx = false;
	if (PQtransactionStatus(h->conn) != PQTRANS_IDLE) {
		PGresult *r = PQexec(h->conn, "ROLLBACK");

		PQclear(r);
	}
	return GW_STORE_ERROR;
}

/* Ends a failed transaction, keeping the server's reason for what failed. */
static enum gw_store_rc
rollback(struct pg *h, const char *what)
{
	failed(h, what);
	return abandon(h);
}

/* Begins a writing transaction: the write lock first. */
static int
begin_write(struct pg *h)
{
	if (exec_sql(h, BEGIN_WRITE))
		return -1;
	h->in_tx = true;
	return 0;
}

/* Commits: 0 when it did, -1 when the transaction was rolled back or the call failed. */
static int
commit(struct pg *h)
{
	PGresult *r;
	int sent = flush(h), rc;

	h->in_tx = false;
	/* after a failed flush the transaction is aborted: COMMIT ends it (as a ROLLBACK) */
	r = sent ? PQexec(h->conn, "COMMIT") : checked(h, PQexec(h->conn, "COMMIT"));
	rc = !sent && r && strcmp(PQcmdStatus(r), "COMMIT") == 0 ? 0 : -1;
	if (!sent && r && rc)
		snprintf(h->why, sizeof h->why, "the transaction was rolled back after a failure");
	PQclear(r);
	return rc;
}

/* ---- values of a binary result ---- */

static bool
null_at(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

/* An integer column (bigint, integer, smallint or boolean), 0 for NULL. */
static int64_t
int_at(const PGresult *r, int row, int col)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(r, row, col);
	int len = PQgetlength(r, row, col);
	uint64_t v = 0;

	if (null_at(r, row, col) || len < 1 || len > 8)
		return 0;
	for (int i = 0; i < len; i++)
		v = v << 8 | p[i];
	if (len < 8 && (p[0] & 0x80))
		v |= ~(uint64_t)0 << (8 * len);
	return (int64_t)v;
}

static void
text_at(const PGresult *r, int row, int col, char *dst, size_t size)
{
	size_t len = (size_t)PQgetlength(r, row, col);

	if (len >= size)
		len = size - 1;
	memcpy(dst, PQgetvalue(r, row, col), len);
	dst[len] = '\0';
}

static void
row_msg(const PGresult *r, int row, struct gw_msg *m)
{
	memset(m, 0, sizeof *m);
	m->id = int_at(r, row, 0);
	text_at(r, row, 1, m->type, sizeof m->type);
	text_at(r, row, 2, m->sender, sizeof m->sender);
	text_at(r, row, 3, m->receiver, sizeof m->receiver);
	text_at(r, row, 4, m->identificatie, sizeof m->identificatie);
	m->answers = int_at(r, row, 5);
	m->received = int_at(r, row, 6);
	m->generated = int_at(r, row, 7) != 0;
	if (PQgetlength(r, row, 8) == (int)sizeof m->sha256)
		memcpy(m->sha256, PQgetvalue(r, row, 8), sizeof m->sha256);
	m->translated = int_at(r, row, 9) != 0;
	text_at(r, row, 10, m->advice, sizeof m->advice);
	text_at(r, row, 11, m->body_key, sizeof m->body_key);
}

/* The entry of a row of AUDIT_COLUMNS; its texts are the result's, valid while it is. */
static void
audit_row(const PGresult *r, int row, struct gw_audit *e)
{
	memset(e, 0, sizeof *e);
	e->id = int_at(r, row, 0);
	e->at = int_at(r, row, 1);
	e->message = int_at(r, row, 2);
	for (int i = 0; i < GW_AUDIT_TEXTS; i++) {
		e->text[i] = null_at(r, row, 3 + i) ? NULL : PQgetvalue(r, row, 3 + i);
		e->len[i] = (size_t)PQgetlength(r, row, 3 + i);
	}
	if (PQgetlength(r, row, 8) == GW_AUDIT_HASH)
		memcpy(e->hash, PQgetvalue(r, row, 8), GW_AUDIT_HASH);
}

/* ---- opening ---- */

/* The schema's version into *v: 0 for a database without one. */
static int
schema_version(struct pg *h, int *v)
{
	PGresult *r = checked(h, PQexec(h->conn, "SELECT to_regclass('ijw_schema') IS NOT NULL"));
	bool exists = r && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;

	PQclear(r);
	if (!r)
		return -1;
	*v = 0;
	if (!exists)
		return exec_sql(h, "CREATE TABLE ijw_schema (version integer NOT NULL)");
	if (!(r = checked(h, PQexec(h->conn, "SELECT max(version) FROM ijw_schema"))))
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		*v = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
}

/* Brings the schema up to SCHEMA_VERSION in one transaction, under the write lock. */
static int
migrate(struct pg *h, const char *name)
{
	char what[64] = "reading the schema version", sql[96];
	int v;

	if (begin_write(h) || schema_version(h, &v))
		goto fail;
	if (v > SCHEMA_VERSION) {
		abandon(h);
		gw_store_say(h->err, sizeof h->err,
		             "%s has schema version %d, newer than the %d this build knows: use a "
		             "newer ijw-gateway",
		             name, v, SCHEMA_VERSION);
		return -1;
	}
	for (int i = v; i < SCHEMA_VERSION; i++) {
		snprintf(what, sizeof what, "migrating the schema to version %d", i + 1);
		if (exec_sql(h, migrations[i]))
			goto fail;
	}
	snprintf(sql, sizeof sql, "DELETE FROM ijw_schema; INSERT INTO ijw_schema VALUES (%d)",
	         SCHEMA_VERSION);
	if ((v < SCHEMA_VERSION && exec_sql(h, sql)) || commit(h))
		goto fail;
	return 0;
fail:
	rollback(h, what);
	return -1;
}

/* A connection, new or made anew: its settings and its prepared statements. */
static int
prepare_connection(struct pg *h)
{
	char name[16];
	PGresult *r;

	/*
	 * A put returns once its commit is durable: a server's default of off
	 * is not taken; remote_write, remote_apply (a standby's) are kept.
	 */
	if (!(r = checked(h, PQexec(h->conn, "SELECT CASE WHEN current_setting("
	                                     "'synchronous_commit') = 'off' THEN set_config("
	                                     "'synchronous_commit', 'on', false) END"))))
		return -1;
	PQclear(r);
	for (size_t i = 0; i < ST_COUNT; i++) {
		snprintf(name, sizeof name, "ijw%d", (int)i);
		if (!(r = checked(h, PQprepare(h->conn, name, statements[i], 0, NULL))))
			return -1;
		PQclear(r);
	}
	return 0;
}

static void
pg_close(void *vh)
{
	struct pg *h = vh;

	if (!h)
		return;
	drop_pending(h);
	free(h->pend);
	PQfinish(h->conn);
	free(h);
}

/*
 * Connects to the database url names (a postgresql:// or postgres:// URL).
 * The URL is never repeated in an error: it may hold a password.
 */
static void *
pg_open(const char *url, char *err, size_t errlen)
{
	/* later keywords win: the URL's own settings over these defaults */
	const char *const keys[] = {
	        "connect_timeout",  "keepalives_idle", "keepalives_interval", "keepalives_count",
	        "application_name", "dbname",          "client_encoding",     NULL};
	const char *const values[] = {"10", "30", "10", "3", "ijw-gateway", url, "UTF8", NULL};
	struct pg *h = calloc(1, sizeof *h);
	PQconninfoOption *parsed;
	char name[256], *why = NULL;

	if (!h) {
		gw_store_say(err, errlen, "PostgreSQL: out of memory");
		return NULL;
	}
	/* libpq's reason would quote the URL, password and all */
	if (!(parsed = PQconninfoParse(url, &why))) {
		gw_store_say(err, errlen,
		             "PostgreSQL: the store's URL is not one libpq can read%s (it is not "
		             "repeated: it may hold a password)",
		             why ? "" : ": out of memory");
		PQfreemem(why);
		free(h);
		return NULL;
	}
	PQconninfoFree(parsed);
	h->conn = PQconnectdbParams(keys, values, 1);
	if (!h->conn) {
		gw_store_say(err, errlen, "PostgreSQL: out of memory");
		free(h);
		return NULL;
	}
	snprintf(name, sizeof name, "PostgreSQL database %s on %s port %s",
	         PQdb(h->conn) ? PQdb(h->conn) : "?", PQhost(h->conn) ? PQhost(h->conn) : "?",
	         PQport(h->conn) ? PQport(h->conn) : "?");
	if (PQstatus(h->conn) != CONNECTION_OK) {
		keep_why(h, NULL);
		gw_store_say(h->err, sizeof h->err, "%s: %s", name, h->why);
		goto fail;
	}
	if (migrate(h, name) || prepare_connection(h)) {
		if (!h->err[0])
			gw_store_say(h->err, sizeof h->err, "%s: %s", name, h->why);
		goto fail;
	}
	return h;
fail:
	gw_store_say(err, errlen, "%s", h->err);
	pg_close(h);
	return NULL;
}

/* ---- writing ---- */

/* The last audit entry's id and hash: read in the transaction once, then kept. */
static int
pg_audit_last(void *vh, int64_t *id, unsigned char hash[GW_AUDIT_HASH])
{
	struct pg *h = vh;
	struct chain *c = &h->chain;
	PGresult *r;

	if (!c->known) {
		if (!(r = run(h, ST_LAST_AUDIT, NULL)))
			return -1;
		memset(c, 0, sizeof *c);
		if (PQntuples(r) == 1) {
			c->id = int_at(r, 0, 0);
			if (PQgetlength(r, 0, 1) == GW_AUDIT_HASH)
				memcpy(c->hash, PQgetvalue(r, 0, 1), GW_AUDIT_HASH);
		}
		PQclear(r);
		c->known = true;
	}
	*id = c->id;
	memcpy(hash, c->hash, GW_AUDIT_HASH);
	return 0;
}

static int
pg_audit_insert(void *vh, const struct gw_audit *e)
{
	struct pg *h = vh;
	struct params p = {0};

	add_int(&p, e->id);
	add_int(&p, e->at);
	for (int i = GW_AUDIT_PARTY; i <= GW_AUDIT_ACTION; i++)
		add_bytes(&p, e->text[i], e->len[i]);
	add_id(&p, e->message);
	add_bytes(&p, e->text[GW_AUDIT_DETAIL], e->len[GW_AUDIT_DETAIL]);
	add_bytes(&p, e->hash, GW_AUDIT_HASH);
	if (run_only(h, ST_INSERT_AUDIT, &p))
		return -1;
	h->chain.id = e->id;
	memcpy(h->chain.hash, e->hash, GW_AUDIT_HASH);
	return 0;
}

/*
 * Finds the earlier message with p's identity and says whether it is the
 * same; the gateway's own retour is the same whatever its bytes.
 */
static int
pg_find_repeat(void *vh, struct gw_put *p, bool *found)
{
	struct pg *h = vh;
	const struct gw_msg *m = &p->msg;
	struct params q = {0};
	PGresult *r;

	*found = false;
	add_field(&q, m->sender, sizeof m->sender);
	add_field(&q, m->type, sizeof m->type);
	add_field(&q, m->identificatie, sizeof m->identificatie);
	if (!(r = run(h, m->generated ? ST_FIND_GENERATED : ST_FIND, &q)))
		return -1;
	if (PQntuples(r) > 0) {
		bool same = PQgetlength(r, 0, 1) == (int)sizeof m->sha256 &&
		            memcmp(PQgetvalue(r, 0, 1), m->sha256, sizeof m->sha256) == 0;

		*found = true;
		p->msg.id = int_at(r, 0, 0);
		p->outcome = same || m->generated ? GW_PUT_SAME : GW_PUT_CONFLICT;
	}
	PQclear(r);
	return 0;
}

/*
 * Stores p as message h->next (read once per put), which then counts on;
 * -2 when sealing failed, or another instance stored one at the same time.
 */
static int
pg_insert_message(void *vh, struct gw_put *p, int64_t now, gw_store_seal_fn seal, void *ctx)
{
	struct pg *h = vh;
	const struct gw_msg *m = &p->msg;
	struct gw_stored row = {.body = p->body,
	                        .len = p->len,
	                        .translated = p->translated,
	                        .translated_len = p->translated_len};
	struct params q = {0};
	PGresult *r;

	if (!h->next) {
		if (!(r = run(h, ST_NEXT_MESSAGE, NULL)))
			return -1;
		h->next = int_at(r, 0, 0);
		PQclear(r);
	}
	row.id = h->next;
	if (seal(ctx, &row)) {
		gw_store_say(h->err, sizeof h->err, "put: sealing message %" PRId64, row.id);
		abandon(h);
		return -2;
	}
	add_int(&q, row.id);
	add_field(&q, m->type, sizeof m->type);
	add_field(&q, m->sender, sizeof m->sender);
	add_field(&q, m->receiver, sizeof m->receiver);
	add_field(&q, m->identificatie, sizeof m->identificatie);
	add_id(&q, m->answers);
	add_int(&q, now);
	add_int(&q, m->generated);
	add_bytes(&q, m->sha256, sizeof m->sha256);
	add_bytes(&q, row.body ? row.body : "", row.len);
	add_bytes(&q, row.translated, row.translated_len);
	add_id(&q, p->imported ? now : 0);
	add_str(&q, p->advice);
	add_str(&q, row.key[0] ? row.key : NULL);
	add_id(&q, 0);
	/* the lock makes this rare; nothing is stored, and the put may be tried again */
	if (run_only(h, ST_INSERT_MESSAGE, &q)) {
		if (strcmp(h->state, UNIQUE_VIOLATION) != 0)
			return -1;
		rollback(h, "put: the message was stored at the same time elsewhere, try again");
		return -2;
	}
	h->next++;
	p->msg.id = row.id;
	memcpy(p->msg.body_key, row.key, sizeof p->msg.body_key);
	p->msg.received = now;
	p->outcome = GW_PUT_NEW;
	return 0;
}

static int
pg_insert_delivery(void *vh, const struct gw_put *p, int64_t now)
{
	struct pg *h = vh;
	struct params q = {0};

	add_int(&q, p->msg.id);
	add_field(&q, p->msg.receiver, sizeof p->msg.receiver);
	add_int(&q, now);
	return run_only(h, ST_INSERT_DELIVERY, &q);
}

/* Begins a write: the write lock, and the next id and the audit log's head not read yet. */
static int
pg_write_begin(void *vh)
{
	struct pg *h = vh;

	h->chain.known = false;
	h->next = 0;
	return begin_write(h);
}

static int
pg_write_commit(void *vh)
{
	return commit(vh);
}

static enum gw_store_rc
pg_fail(void *vh, const char *what)
{
	return rollback(vh, what);
}

static void
pg_abandon(void *vh)
{
	abandon(vh);
}

static int
pg_acked(void *vh, int64_t id, const char *party, bool *found, bool *again)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;

	add_int(&q, id);
	add_str(&q, party);
	if (!(r = run(h, ST_ACKED, &q)))
		return -1;
	*found = PQntuples(r) > 0;
	*again = *found && int_at(r, 0, 0) != 0;
	PQclear(r);
	return 0;
}

/* Runs st with the numbers a and b: its result, or NULL. */
static PGresult *
run_ints_result(struct pg *h, enum stmt st, int64_t a, int64_t b)
{
	struct params q = {0};

	add_int(&q, a);
	add_int(&q, b);
	return run(h, st, &q);
}

/* Runs st with the numbers a and b, for its effect only. */
static int
run_ints(struct pg *h, enum stmt st, int64_t a, int64_t b)
{
	PGresult *r = run_ints_result(h, st, a, b);

	PQclear(r);
	return r ? 0 : -1;
}

static int
pg_mark_acked(void *vh, int64_t id, int64_t now)
{
	return run_ints(vh, ST_ACK, id, now);
}

static int
pg_purge(void *vh, int64_t before, int64_t now, size_t limit, size_t *n)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;

	add_int(&q, before);
	add_int(&q, now);
	add_int(&q, limit_of(limit));
	if (!(r = run(h, ST_PURGE, &q)))
		return -1;
	*n = strtoull(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return 0;
}

static int
pg_update_delivery(void *vh, int64_t delivery, int64_t next, const char *state, bool delivered,
                   int64_t now, bool *none)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;

	add_int(&q, delivery);
	add_int(&q, next);
	add_str(&q, state);
	add_id(&q, delivered ? now : 0);
	if (!(r = run(h, ST_UPDATE_DELIVERY, &q)))
		return -1;
	*none = strcmp(PQcmdTuples(r), "0") == 0;
	PQclear(r);
	return 0;
}

static int
pg_insert_attempt(void *vh, int64_t delivery, int64_t now, int http_status, const char *error,
                  bool delivered)
{
	struct params q = {0};

	add_int(&q, delivery);
	add_int(&q, now);
	add_int(&q, http_status);
	add_str(&q, error);
	add_int(&q, delivered);
	return run_only(vh, ST_INSERT_ATTEMPT, &q);
}

static int
pg_ack_delivered(void *vh, int64_t delivery, int64_t now)
{
	return run_ints(vh, ST_ACK_DELIVERED, delivery, now);
}

static int
pg_find_heen(void *vh, const char *sender, const char *receiver, const char *type,
             const char *identificatie, int64_t *id)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;

	*id = 0;
	add_str(&q, sender);
	add_str(&q, receiver);
	add_str(&q, type);
	add_str(&q, identificatie);
	if (!(r = run(h, ST_FIND_HEEN, &q)))
		return -1;
	if (PQntuples(r) > 0)
		*id = int_at(r, 0, 0);
	PQclear(r);
	return 0;
}

static int
pg_requeue(void *vh, int64_t id, int64_t now, bool *none)
{
	struct pg *h = vh;
	PGresult *r;

	if (!(r = run_ints_result(h, ST_REQUEUE, id, now)))
		return -1;
	*none = strcmp(PQcmdTuples(r), "0") == 0;
	PQclear(r);
	return 0;
}

static enum gw_store_rc
pg_audit(void *vh, int64_t now, const char *party, const char *cert, const char *remote,
         const char *action, int64_t message, const char *detail)
{
	struct pg *h = vh;
	bool own = outside(h);

	h->chain.known = false;
	if (own && begin_write(h))
		return rollback(h, "audit: beginning the transaction");
	if (gw_store_chain_audit(&gw_store_pg, h, now, party, -1, cert, remote, action, message,
	                         detail))
		return own ? rollback(h, "audit") : failed(h, "audit");
	if (own && commit(h))
		return rollback(h, "audit: committing");
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_begin(void *vh)
{
	struct pg *h = vh;

	return begin_write(h) ? rollback(h, "beginning a transaction") : GW_STORE_OK;
}

static enum gw_store_rc
pg_commit(void *vh)
{
	struct pg *h = vh;

	return commit(h) ? rollback(h, "committing") : GW_STORE_OK;
}

/* A row put into the ledger and taken out again, committed: a real write that changes nothing. */
static enum gw_store_rc
pg_probe(void *vh)
{
	struct pg *h = vh;

	if (begin_write(h) ||
	    exec_sql(h,
	             "INSERT INTO ledger (k, v) VALUES ('', ''); DELETE FROM ledger WHERE k = ''"))
		return rollback(h, "test write");
	return commit(h) ? rollback(h, "test write: committing") : GW_STORE_OK;
}

/* ---- reading ---- */

static enum gw_store_rc
pg_inbox(void *vh, const char *party, size_t limit, void (*each)(void *ctx, const struct gw_msg *m),
         void *ctx)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;
	struct gw_msg m;

	add_str(&q, party);
	add_int(&q, limit_of(limit));
	if (!(r = run(h, ST_INBOX, &q)))
		return failed(h, "inbox");
	for (int i = 0; i < PQntuples(r); i++) {
		row_msg(r, i, &m);
		each(ctx, &m);
	}
	PQclear(r);
	return GW_STORE_OK;
}

/*
 * The one row of r, a message, its bytes and when they were purged: into m
 * and body (GW_STORE_GONE when purged).
 */
static enum gw_store_rc
message_row(struct pg *h, PGresult *r, struct gw_msg *m, struct ijw_buf *body, const char *what)
{
	enum gw_store_rc ret = GW_STORE_OK;

	if (PQntuples(r) == 0) {
		gw_store_say(h->err, sizeof h->err, "no %s", what);
		ret = GW_STORE_NOTFOUND;
	} else {
		size_t len = (size_t)PQgetlength(r, 0, 12);
		ijw_rc brc;

		row_msg(r, 0, m);
		if (!null_at(r, 0, 13)) {
			gw_store_say(h->err, sizeof h->err,
			             "%s: retention removed its bytes at %" PRId64, what,
			             int_at(r, 0, 13));
			ret = GW_STORE_GONE;
		} else if (len && (brc = ijw_buf_add(body, PQgetvalue(r, 0, 12), len))) {
			gw_store_say(h->err, sizeof h->err, "%s (%zu bytes): %s", what, len,
			             ijw_strerror(brc));
			ret = GW_STORE_ERROR;
		}
	}
	PQclear(r);
	return ret;
}

static enum gw_store_rc
pg_get(void *vh, int64_t id, const char *party, struct gw_msg *m, struct ijw_buf *body)
{
	struct pg *h = vh;
	struct params q = {0};
	char what[64];
	PGresult *r;

	add_int(&q, id);
	add_str(&q, party);
	if (!(r = run(h, ST_GET, &q)))
		return failed(h, "get");
	snprintf(what, sizeof what, "message %" PRId64 " for %s", id, party);
	return message_row(h, r, m, body, what);
}

static enum gw_store_rc
pg_original(void *vh, const char *sender, const char *type, const char *identificatie,
            struct gw_msg *m, struct ijw_buf *body)
{
	struct pg *h = vh;
	struct params q = {0};
	char what[80];
	PGresult *r;

	add_str(&q, sender);
	add_str(&q, type);
	add_str(&q, identificatie);
	if (!(r = run(h, ST_FIND_ORIGINAL, &q)))
		return failed(h, "original");
	snprintf(what, sizeof what, "%s %s from %s", type, identificatie, sender);
	return message_row(h, r, m, body, what);
}

/* The state of a row of GW_STATE_SELECT, after its message. */
static void
row_state(const PGresult *r, int row, struct gw_state *s)
{
	memset(s, 0, sizeof *s);
	s->acked = int_at(r, row, 12);
	s->purged = int_at(r, row, 13);
	text_at(r, row, 14, s->delivery, sizeof s->delivery);
	s->delivery_id = int_at(r, row, 15);
	s->attempts = (unsigned)int_at(r, row, 16);
	if (strcmp(s->delivery, "pending") == 0)
		s->next_attempt = int_at(r, row, 17);
	s->delivered = int_at(r, row, 18);
	s->answered_by = int_at(r, row, 19);
}

/* Runs st with the one number a: its result, or NULL. */
static PGresult *
run_int(struct pg *h, enum stmt st, int64_t a)
{
	struct params q = {0};

	add_int(&q, a);
	return run(h, st, &q);
}

/* The attempts of l's push and the retours that answer it, into l. */
static enum gw_store_rc
life_lists(struct pg *h, struct gw_life *l)
{
	PGresult *r;
	int n;

	if (!(r = run_int(h, ST_ATTEMPTS, l->state.delivery_id)))
		return failed(h, "life: attempts");
	if ((n = PQntuples(r)) && !(l->attempts = calloc((size_t)n, sizeof *l->attempts)))
		goto nomem;
	for (int i = 0; i < n; i++) {
		struct gw_attempt *a = &l->attempts[l->n_attempts++];

		a->at = int_at(r, i, 0);
		a->http_status = (int)int_at(r, i, 1);
		text_at(r, i, 2, a->error, sizeof a->error);
		a->delivered = int_at(r, i, 3) != 0;
	}
	PQclear(r);
	if (!(r = run_int(h, ST_ANSWERS, l->msg.id)))
		return failed(h, "life: retours");
	if ((n = PQntuples(r)) && !(l->answers = calloc((size_t)n, sizeof *l->answers)))
		goto nomem;
	for (int i = 0; i < n; i++)
		row_msg(r, i, &l->answers[l->n_answers++]);
	PQclear(r);
	return GW_STORE_OK;
nomem:
	PQclear(r);
	gw_store_say(h->err, sizeof h->err, "life of message %" PRId64 ": out of memory",
	             l->msg.id);
	return GW_STORE_ERROR;
}

static enum gw_store_rc
pg_life(void *vh, int64_t id, const char *party, struct gw_life *out)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;
	bool found;

	add_int(&q, id);
	add_str(&q, party);
	if (!(r = run(h, ST_LIFE, &q)))
		return failed(h, "life");
	if ((found = PQntuples(r) == 1)) {
		row_msg(r, 0, &out->msg);
		row_state(r, 0, &out->state);
	}
	PQclear(r);
	return found ? life_lists(h, out) : GW_STORE_NOTFOUND;
}

/* Runs sql, made for the call, with p: its result, or NULL with the reason kept. */
static PGresult *
run_sql(struct pg *h, const char *sql, const struct params *p)
{
	bool was_outside = outside(h);
	PGresult *r;

	if (flush(h))
		return NULL;
	r = checked(h, PQexecParams(h->conn, sql, p->n, NULL, p->v, p->len, p->fmt, 1));
	if (!r && reconnected(h, was_outside))
		r = checked(h, PQexecParams(h->conn, sql, p->n, NULL, p->v, p->len, p->fmt, 1));
	return r;
}

static enum gw_store_rc
pg_browse(void *vh, const struct gw_filter_sql *where,
          void (*each)(void *ctx, const struct gw_msg *m, const struct gw_state *st), void *ctx)
{
	struct pg *h = vh;
	char sql[sizeof where->sql + sizeof GW_STATE_SELECT + 8];
	struct params q = {0};
	struct gw_msg m;
	struct gw_state st;
	PGresult *r;

	snprintf(sql, sizeof sql, GW_STATE_SELECT " WHERE %s", where->sql);
	for (size_t i = 0; i < where->n; i++)
		if (where->arg[i].text)
			add_str(&q, where->arg[i].text);
		else
			add_int(&q, where->arg[i].i);
	if (!(r = run_sql(h, sql, &q)))
		return failed(h, "browse");
	for (int i = 0; i < PQntuples(r); i++) {
		row_msg(r, i, &m);
		row_state(r, i, &st);
		each(ctx, &m, &st);
	}
	PQclear(r);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_body(void *vh, int64_t id, bool translated, struct gw_msg *m, struct ijw_buf *body)
{
	struct pg *h = vh;
	char what[64];
	PGresult *r;

	if (!(r = run_int(h, translated ? ST_BODY_TRANSLATED : ST_BODY, id)))
		return failed(h, "body");
	snprintf(what, sizeof what, "message %" PRId64, id);
	return message_row(h, r, m, body, what);
}

static enum gw_store_rc
pg_queues(void *vh, void (*each)(void *ctx, const struct gw_queue *q), void *ctx)
{
	struct pg *h = vh;
	struct gw_queue q;
	PGresult *r;

	if (!(r = run(h, ST_QUEUES, NULL)))
		return failed(h, "queues");
	for (int i = 0; i < PQntuples(r); i++) {
		memset(&q, 0, sizeof q);
		text_at(r, i, 0, q.party, sizeof q.party);
		q.unacked = (size_t)int_at(r, i, 1);
		q.oldest = int_at(r, i, 2);
		q.due = (size_t)int_at(r, i, 3);
		q.given_up = (size_t)int_at(r, i, 4);
		each(ctx, &q);
	}
	PQclear(r);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_rejected(void *vh, int64_t from, int64_t to,
            void (*each)(void *ctx, int64_t day, const char *detail, size_t n), void *ctx)
{
	struct pg *h = vh;
	PGresult *r;

	if (!(r = run_ints_result(h, ST_REJECTED, from, to)))
		return failed(h, "rejections");
	for (int i = 0; i < PQntuples(r); i++)
		each(ctx, int_at(r, i, 0), PQgetvalue(r, i, 1), (size_t)int_at(r, i, 2));
	PQclear(r);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_due(void *vh, int64_t now, int64_t lease, const char *instance, size_t limit,
       size_t per_receiver, void (*each)(void *ctx, const struct gw_due *d), void *ctx)
{
	struct pg *h = vh;
	struct params q = {0};
	struct gw_due d;
	PGresult *r;

	add_int(&q, now);
	add_int(&q, limit_of(limit));
	add_int(&q, limit_of(per_receiver));
	add_str(&q, instance);
	add_int(&q, lease > INT64_MAX - now ? INT64_MAX : now + lease);
	if (!(r = run(h, ST_DUE, &q)))
		return failed(h, "due");
	for (int i = 0; i < PQntuples(r); i++) {
		memset(&d, 0, sizeof d);
		d.delivery = int_at(r, i, 0);
		d.message = int_at(r, i, 1);
		text_at(r, i, 2, d.receiver, sizeof d.receiver);
		d.attempts = (unsigned)int_at(r, i, 3);
		d.created = int_at(r, i, 4);
		d.first_attempt = int_at(r, i, 5);
		each(ctx, &d);
	}
	PQclear(r);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_audit_scan(void *vh, int (*each)(void *ctx, const struct gw_audit *e), void *ctx)
{
	struct pg *h = vh;
	struct params q = {0};
	struct gw_audit e;
	int64_t after = 0;
	PGresult *r;
	int rows;

	do {
		q.n = 0;
		add_int(&q, after);
		if (!(r = run(h, ST_AUDIT_SCAN, &q)))
			return failed(h, "reading the audit log");
		rows = PQntuples(r);
		for (int i = 0; i < rows; i++) {
			audit_row(r, i, &e);
			after = e.id;
			if (each(ctx, &e)) {
				PQclear(r);
				return GW_STORE_OK;
			}
		}
		PQclear(r);
	} while (rows > 0);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_messages(void *vh, int (*each)(void *ctx, const struct gw_msg *m, const void *body, size_t len),
            void *ctx)
{
	struct pg *h = vh;
	struct params q = {0};
	struct gw_msg m;
	int64_t after = 0;
	int rows, stop = 0;
	PGresult *r;

	do {
		q.n = 0;
		add_int(&q, after);
		if (!(r = run(h, ST_MESSAGES, &q)))
			return failed(h, "reading the messages");
		rows = PQntuples(r);
		for (int i = 0; !stop && i < rows; i++) {
			row_msg(r, i, &m);
			after = m.id;
			stop = each(ctx, &m, PQgetvalue(r, i, 12), (size_t)PQgetlength(r, i, 12));
		}
		PQclear(r);
	} while (!stop && rows > 0);
	return stop < 0 ? GW_STORE_ERROR : GW_STORE_OK;
}

/* ---- the ledger's keys and values ---- */

static int
pg_ledger_get(void *vh, const char *k, struct ijw_buf *out)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;
	int ret = 0;

	add_str(&q, k);
	if (!(r = run(h, ST_LEDGER_GET, &q)))
		return failed(h, "ledger"), -1;
	if (PQntuples(r) == 1)
		ret = ijw_buf_add(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0)) ||
		                      ijw_buf_addstr(out, "")
		              ? -1
		              : 1;
	PQclear(r);
	return ret;
}

/*
 * A ledger write: within a transaction it waits to be sent with the next
 * statement (flush()); outside one it is made at once.
 */
static int
ledger_write(struct pg *h, enum stmt st, const char *k, const char *v, int64_t msg)
{
	struct pending w = {.st = st, .msg = msg};
	struct params q = {0};

	if (!h->in_tx) {
		write_params(st, k, v, msg, &q);
		return run_only(h, st, &q) ? (failed(h, "ledger"), -1) : 0;
	}
	if (h->npend == h->cappend) {
		size_t cap = h->cappend ? h->cappend * 2 : 64;
		struct pending *more = realloc(h->pend, cap * sizeof *more);

		if (!more)
			return gw_store_say(h->err, sizeof h->err, "ledger: out of memory"), -1;
		h->pend = more;
		h->cappend = cap;
	}
	if (!(w.k = strdup(k)) || (v && !(w.v = strdup(v)))) {
		free(w.k);
		return gw_store_say(h->err, sizeof h->err, "ledger: out of memory"), -1;
	}
	h->pend[h->npend++] = w;
	return 0;
}

static int
pg_ledger_put(void *vh, const char *k, const char *v, int64_t msg)
{
	return ledger_write(vh, ST_LEDGER_PUT, k, v, msg);
}

static int
pg_ledger_del(void *vh, const char *k)
{
	return ledger_write(vh, ST_LEDGER_DEL, k, NULL, 0);
}

/*
 * The least text above every text that begins with prefix, into end: the
 * prefix with its last character one code point on (one past U+10FFFF is
 * none: that character goes, and the one before it moves on). False when
 * there is none: every text from prefix on begins with it.
 */
static bool
prefix_end(const char *prefix, char *end, size_t size)
{
	size_t len = strlen(prefix);

	if (len >= size)
		return false;
	memcpy(end, prefix, len + 1);
	while (len > 0) {
		size_t start = len - 1;
		uint32_t c;
		int n;

		while (start > 0 && ((unsigned char)end[start] & 0xc0) == 0x80)
			start--;
		c = (unsigned char)end[start];
		n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		c &= n == 1 ? 0x7f : 0x3f >> (n - 1);
		for (size_t i = start + 1; i < len; i++)
			c = c << 6 | ((unsigned char)end[i] & 0x3f);
		c = c + 1 == 0xd800 ? 0xe000 : c + 1;
		len = start;
		if (c > 0x10ffff)
			continue;
		if (len + 4 >= size)
			return false;
		if (c < 0x80) {
			end[len++] = (char)c;
		} else if (c < 0x800) {
			end[len++] = (char)(0xc0 | c >> 6);
			end[len++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			end[len++] = (char)(0xe0 | c >> 12);
			end[len++] = (char)(0x80 | (c >> 6 & 0x3f));
			end[len++] = (char)(0x80 | (c & 0x3f));
		} else {
			end[len++] = (char)(0xf0 | c >> 18);
			end[len++] = (char)(0x80 | (c >> 12 & 0x3f));
			end[len++] = (char)(0x80 | (c >> 6 & 0x3f));
			end[len++] = (char)(0x80 | (c & 0x3f));
		}
		end[len] = '\0';
		return true;
	}
	return false;
}

/*
 * Pages through the ledger's rows from key from on (below end, when end is
 * not NULL), in byte order, calling each with each row until it returns
 * non-zero; -1 when reading fails.
 */
static int
ledger_pages(struct pg *h, const char *from, const char *end,
             int (*each)(void *ctx, const PGresult *r, int row), void *ctx)
{
	struct ijw_buf next;
	struct params q = {0};
	PGresult *r;
	int rows, stop = 0;

	ijw_buf_init(&next, 1u << 20);
	if (ijw_buf_addstr(&next, from)) {
		ijw_buf_free(&next);
		gw_store_say(h->why, sizeof h->why, "out of memory");
		return -1;
	}
	do {
		q.n = 0;
		add_str(&q, ijw_buf_str(&next));
		if (end)
			add_str(&q, end);
		if (!(r = run(h, end ? ST_LEDGER_RANGE : ST_LEDGER_FROM, &q))) {
			ijw_buf_free(&next);
			return -1;
		}
		rows = PQntuples(r);
		for (int i = 0; !stop && i < rows; i++)
			stop = each(ctx, r, i);
		/* the next page begins just above the last key: no text lies between */
		ijw_buf_reset(&next);
		if (rows && (ijw_buf_addstr(&next, PQgetvalue(r, rows - 1, 0)) ||
		             ijw_buf_addstr(&next, "\x01"))) {
			gw_store_say(h->why, sizeof h->why, "out of memory");
			stop = -1;
		}
		PQclear(r);
	} while (!stop && rows > 0);
	ijw_buf_free(&next);
	return stop < 0 ? -1 : 0;
}

struct scan {
	int (*each)(void *ctx, const char *k, const char *v);
	void *ctx;
};

static int
scan_row(void *ctx, const PGresult *r, int row)
{
	struct scan *s = ctx;

	return s->each(s->ctx, PQgetvalue(r, row, 0), PQgetvalue(r, row, 1)) ? 1 : 0;
}

static int
pg_ledger_scan(void *vh, const char *prefix, int (*each)(void *ctx, const char *k, const char *v),
               void *ctx)
{
	struct pg *h = vh;
	struct scan s = {each, ctx};
	char end[1024];

	if (ledger_pages(h, prefix, prefix_end(prefix, end, sizeof end) ? end : NULL, scan_row, &s))
		return failed(h, "ledger"), -1;
	return 0;
}

static enum gw_store_rc
pg_ledger_clear(void *vh)
{
	struct pg *h = vh;

	return run_only(h, ST_LEDGER_CLEAR, NULL) ? failed(h, "clearing the ledger") : GW_STORE_OK;
}

/* ---- sealing again ---- */

/* Passes message id's bytes through seal and writes them back; -2 when sealing failed. */
static int
reseal(struct pg *h, int64_t id, gw_store_seal_fn seal, void *ctx)
{
	struct gw_stored row = {.id = id};
	struct params q = {0};
	PGresult *r;
	int rc;

	add_int(&q, id);
	if (!(r = run(h, ST_STORED, &q)))
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		snprintf(h->why, sizeof h->why, "message %" PRId64 " is gone", id);
		return -1;
	}
	row.body = PQgetvalue(r, 0, 0);
	row.len = (size_t)PQgetlength(r, 0, 0);
	row.translated = null_at(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
	row.translated_len = (size_t)PQgetlength(r, 0, 1);
	text_at(r, 0, 2, row.key, sizeof row.key);
	if (seal(ctx, &row)) {
		PQclear(r);
		gw_store_say(h->err, sizeof h->err, "rekey: message %" PRId64, id);
		return -2;
	}
	add_bytes(&q, row.body ? row.body : "", row.len);
	add_bytes(&q, row.translated, row.translated_len);
	add_str(&q, row.key[0] ? row.key : NULL);
	rc = run_only(h, ST_RESEAL, &q);
	PQclear(r);
	return rc;
}

static enum gw_store_rc
pg_rekey(void *vh, const char *key, int64_t *after, size_t limit, gw_store_seal_fn seal, void *ctx,
         size_t *n)
{
	struct pg *h = vh;
	struct params q = {0};
	PGresult *r;
	int count, rc;

	*n = 0;
	if (begin_write(h))
		return rollback(h, "rekey: beginning the transaction");
	add_int(&q, *after);
	add_str(&q, key);
	add_int(&q, limit_of(limit));
	if (!(r = run(h, ST_STALE, &q)))
		return rollback(h, "rekey: finding the messages");
	count = PQntuples(r);
	for (int i = 0; i < count; i++)
		if ((rc = reseal(h, int_at(r, i, 0), seal, ctx))) {
			PQclear(r);
			return rc == -2 ? abandon(h) : rollback(h, "rekey: writing a message");
		}
	if (count)
		*after = int_at(r, count - 1, 0);
	PQclear(r);
	if (commit(h))
		return rollback(h, "rekey: committing");
	*n = (size_t)count;
	return GW_STORE_OK;
}

/* ---- whole tables ---- */

/* A column of a binary result as a cell, by its type. */
static void
cell_at(const PGresult *r, int row, int col, struct gw_cell *c)
{
	Oid type = PQftype(r, col);

	memset(c, 0, sizeof *c);
	if (null_at(r, row, col)) {
		c->kind = GW_CELL_NULL;
	} else if (type == OID_INT8 || type == OID_INT4 || type == OID_INT2 || type == OID_BOOL) {
		c->kind = GW_CELL_INT;
		c->i = int_at(r, row, col);
	} else {
		c->kind = type == OID_BYTEA ? GW_CELL_BLOB : GW_CELL_TEXT;
		c->p = PQgetvalue(r, row, col);
		c->len = (size_t)PQgetlength(r, row, col);
	}
}

struct dump {
	int (*each)(void *ctx, const struct gw_row *r);
	void *ctx;
};

static int
dump_row(void *ctx, const PGresult *r, int row)
{
	struct dump *d = ctx;
	struct gw_row out = {.n = (size_t)PQnfields(r)};

	for (size_t i = 0; i < out.n && i < GW_ROW_MAX; i++)
		cell_at(r, row, (int)i, &out.cell[i]);
	return d->each(d->ctx, &out) ? 1 : 0;
}

static enum gw_store_rc
pg_dump(void *vh, enum gw_table t, int (*each)(void *ctx, const struct gw_row *r), void *ctx)
{
	struct pg *h = vh;
	struct dump d = {each, ctx};
	struct params q = {0};
	int64_t after = 0;
	PGresult *r;
	int rows, stop = 0;

	if (t == GW_TABLE_LEDGER)
		return ledger_pages(h, "", NULL, dump_row, &d) ? failed(h, "dumping the ledger")
		                                               : GW_STORE_OK;
	do {
		q.n = 0;
		add_int(&q, after);
		if (!(r = run(h, tables[t].dump, &q)))
			return failed(h, "dumping a table");
		rows = PQntuples(r);
		for (int i = 0; !stop && i < rows; i++) {
			after = int_at(r, i, 0);
			stop = dump_row(&d, r, i);
		}
		PQclear(r);
	} while (!stop && rows > 0);
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_load(void *vh, enum gw_table t, const struct gw_row *row)
{
	struct pg *h = vh;
	struct params q = {0};

	if (row->n != tables[t].columns) {
		gw_store_say(h->err, sizeof h->err, "load: a row of %zu values, not %zu", row->n,
		             tables[t].columns);
		return GW_STORE_ERROR;
	}
	for (size_t i = 0; i < row->n; i++) {
		const struct gw_cell *c = &row->cell[i];

		if (c->kind == GW_CELL_NULL)
			add_null(&q);
		else if (c->kind == GW_CELL_INT)
			add_int(&q, c->i);
		else
			add_bytes(&q, c->p ? c->p : "", c->len);
	}
	return run_only(h, tables[t].load, &q) ? rollback(h, "load") : GW_STORE_OK;
}

/* One snapshot for every read until rollback: a store copied as it was at one moment. */
static enum gw_store_rc
pg_snapshot(void *vh)
{
	struct pg *h = vh;

	if (exec_sql(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return rollback(h, "beginning a snapshot");
	h->in_tx = true;
	return GW_STORE_OK;
}

static enum gw_store_rc
pg_rollback(void *vh)
{
	struct pg *h = vh;
	PGresult *r;

	drop_pending(h);
	h->in_tx = false;
	/* a connection that is gone took its transaction with it */
	if (PQtransactionStatus(h->conn) == PQTRANS_IDLE || PQstatus(h->conn) == CONNECTION_BAD)
		return GW_STORE_OK;
	r = checked(h, PQexec(h->conn, "ROLLBACK"));
	PQclear(r);
	return r ? GW_STORE_OK : failed(h, "rolling back");
}

static const char *
pg_error(const void *vh)
{
	const struct pg *h = vh;

	return h->err[0] ? h->err : "no error";
}

/*
 * Autovacuum makes the space of removed bytes (TOASTed bodies) reusable by
 * itself; full runs VACUUM at once.
 */
static enum gw_store_rc
pg_compact(void *vh, bool full)
{
	struct pg *h = vh;

	if (full && exec_sql(h, "VACUUM messages"))
		return failed(h, "compacting (VACUUM)");
	return GW_STORE_OK;
}

const struct gw_store_backend gw_store_pg = {
        .name = "postgresql",
        .open = pg_open,
        .close = pg_close,
        .write_begin = pg_write_begin,
        .find_repeat = pg_find_repeat,
        .insert_message = pg_insert_message,
        .insert_delivery = pg_insert_delivery,
        .write_commit = pg_write_commit,
        .fail = pg_fail,
        .audit_last = pg_audit_last,
        .audit_insert = pg_audit_insert,
        .begin = pg_begin,
        .commit = pg_commit,
        .probe = pg_probe,
        .ledger_get = pg_ledger_get,
        .ledger_put = pg_ledger_put,
        .ledger_del = pg_ledger_del,
        .ledger_scan = pg_ledger_scan,
        .ledger_clear = pg_ledger_clear,
        .messages = pg_messages,
        .inbox = pg_inbox,
        .get = pg_get,
        .original = pg_original,
        .life = pg_life,
        .browse = pg_browse,
        .body = pg_body,
        .find_heen = pg_find_heen,
        .requeue = pg_requeue,
        .queues = pg_queues,
        .rejected = pg_rejected,
        .acked = pg_acked,
        .mark_acked = pg_mark_acked,
        .due = pg_due,
        .update_delivery = pg_update_delivery,
        .insert_attempt = pg_insert_attempt,
        .ack_delivered = pg_ack_delivered,
        .abandon = pg_abandon,
        .audit = pg_audit,
        .rekey = pg_rekey,
        .audit_scan = pg_audit_scan,
        .dump = pg_dump,
        .load = pg_load,
        .snapshot = pg_snapshot,
        .rollback = pg_rollback,
        .purge = pg_purge,
        .compact = pg_compact,
        .error = pg_error,
};
