/*
 * gw_store_sqlite.c: the store on one SQLite file.
 *
 * The file is in WAL mode with synchronous=FULL, so a COMMIT returns only
 * after the write-ahead log is fsynced: a put that returned is on disk. Every
 * write is one transaction that begins IMMEDIATE, taking the write lock
 * before it reads, so several handles on one file (one per thread, or per
 * process) wait for each other through the busy timeout instead of failing
 * on a stale snapshot. Listings are read whole before the caller's callback
 * sees them, so the callback may use the same handle.
 *
 * One gateway serves a file: it holds an flock() on the file PATH-lock
 * beside it, which names its pid, for as long as it runs (a lock on the
 * database file itself would be SQLite's to manage, and closing any other
 * descriptor of it drops POSIX locks). The kernel lets go of it when the
 * process ends, however it ends. Other processes read and write the file
 * as before.
 *
 * The schema is versioned by PRAGMA user_version: migrations[i] takes
 * version i to i + 1 in one transaction. A file of a newer version than this
 * code knows is refused. Every statement is prepared once, at open.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gw_store.h"

#define BUSY_TIMEOUT_MS 5000

static const char *const migrations[] = {
        /* 1: messages, their push deliveries, the attempts at those, the audit log */
        "CREATE TABLE messages ("
        " id INTEGER PRIMARY KEY,"
        " type TEXT NOT NULL,"
        " sender TEXT NOT NULL,"
        " receiver TEXT NOT NULL,"
        " identificatie TEXT NOT NULL,"
        " answers INTEGER REFERENCES messages(id),"
        " received INTEGER NOT NULL,"
        " generated INTEGER NOT NULL CHECK (generated IN (0, 1)),"
        " sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
        " body BLOB NOT NULL,"
        " acked INTEGER);"
        "CREATE UNIQUE INDEX messages_identity ON messages(sender, type, identificatie)"
        " WHERE generated = 0;"
        "CREATE INDEX messages_inbox ON messages(receiver, id) WHERE acked IS NULL;"
        "CREATE TABLE deliveries ("
        " id INTEGER PRIMARY KEY,"
        " message INTEGER NOT NULL REFERENCES messages(id),"
        " receiver TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'given_up')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt INTEGER NOT NULL,"
        " delivered INTEGER,"
        " created INTEGER NOT NULL);"
        "CREATE INDEX deliveries_due ON deliveries(next_attempt, id) WHERE state = 'pending';"
        "CREATE INDEX deliveries_message ON deliveries(message);"
        "CREATE TABLE attempts ("
        " id INTEGER PRIMARY KEY,"
        " delivery INTEGER NOT NULL REFERENCES deliveries(id),"
        " at INTEGER NOT NULL,"
        " http_status INTEGER NOT NULL,"
        " error TEXT,"
        " delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)));"
        "CREATE INDEX attempts_delivery ON attempts(delivery, id);"
        "CREATE TABLE audit ("
        " id INTEGER PRIMARY KEY,"
        " at INTEGER NOT NULL,"
        " party TEXT,"
        " cert TEXT,"
        " remote TEXT,"
        " action TEXT NOT NULL,"
        " message INTEGER REFERENCES messages(id),"
        " detail TEXT);"
        "CREATE INDEX audit_party ON audit(party, at);"
        "CREATE INDEX audit_message ON audit(message) WHERE message IS NOT NULL;"
        "PRAGMA user_version = 1;",
        /* 2: the gateway's own retours are found by identity too: one per heen message */
        "CREATE INDEX messages_generated ON messages(sender, type, identificatie)"
        " WHERE generated = 1;"
        "PRAGMA user_version = 2;",
        /* 3: the receiver's copy of a message whose product codes were translated */
        "ALTER TABLE messages ADD COLUMN translated BLOB; PRAGMA user_version = 3;",
        /* 4: the care ledger: keys and values of ijw_ledger.c, and the message that wrote each */
        "CREATE TABLE ledger (k TEXT PRIMARY KEY, v TEXT NOT NULL, message INTEGER)"
        " WITHOUT ROWID;"
        "PRAGMA user_version = 4;",
        /* 5: what the gateway advised on a message, for its receiver too */
        "ALTER TABLE messages ADD COLUMN advice TEXT; PRAGMA user_version = 5;",
        /*
         * 6: the key a message's bytes (body and translated) are sealed under;
         * NULL for the plain ones stored before, which stay readable as they are.
         * The audit log hash-chained: the entries before are chained by
         * chain_audit().
         */
        "ALTER TABLE messages ADD COLUMN body_key TEXT;"
        " ALTER TABLE audit ADD COLUMN hash BLOB;"
        " PRAGMA user_version = 6;",
        /*
         * 7: when retention removed a message's bytes (NULL while it has
         * them); a message's retours, a sender's messages and a period are
         * found by index
         */
        "ALTER TABLE messages ADD COLUMN purged INTEGER;"
        " CREATE INDEX messages_answers ON messages(answers) WHERE answers IS NOT NULL;"
        " CREATE INDEX messages_sender ON messages(sender, id);"
        " CREATE INDEX messages_received ON messages(received);"
        " PRAGMA user_version = 7;",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

struct sq;
static int chain_audit(struct sq *h);

/* What SQL alone cannot do: run after migrations[i], in its transaction. */
static int (*const migrated[SCHEMA_VERSION])(struct sq *h) = {[5] = chain_audit};

/* The columns of a struct gw_msg, in the order row_msg() reads them. */
#define MSG_COLUMNS                                                                                \
	"id, type, sender, receiver, identificatie, answers, received, generated, sha256,"         \
	" translated IS NOT NULL, advice, body_key"

/* The columns of a struct gw_audit, in the order audit_row() reads them. */
#define AUDIT_COLUMNS "id, at, message, party, cert, remote, action, detail, hash"

/* The columns of each table in the order of enum gw_table's rows. */
#define MESSAGES_ROW                                                                               \
	"id, type, sender, receiver, identificatie, answers, received, generated, sha256, body,"   \
	" translated, acked, advice, body_key, purged"
#define DELIVERIES_ROW "id, message, receiver, state, attempts, next_attempt, delivered, created"
#define ATTEMPTS_ROW "id, delivery, at, http_status, error, delivered"
#define AUDIT_ROW "id, at, party, cert, remote, action, message, detail, hash"
#define LEDGER_ROW "k, v, message"

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_FIND,
	ST_FIND_GENERATED,
	ST_FIND_ORIGINAL,
	ST_INSERT_MESSAGE,
	ST_INSERT_DELIVERY,
	ST_INSERT_AUDIT,
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
	ST_LEDGER_SCAN,
	ST_LEDGER_CLEAR,
	ST_MESSAGES,
	ST_NEXT_MESSAGE,
	ST_STALE,
	ST_STORED,
	ST_RESEAL,
	ST_LAST_AUDIT,
	ST_AUDIT_SCAN,
	ST_SNAPSHOT,
	ST_SNAPSHOT_READ,
	ST_DUMP_MESSAGES,
	ST_DUMP_DELIVERIES,
	ST_DUMP_ATTEMPTS,
	ST_DUMP_AUDIT,
	ST_DUMP_LEDGER,
	ST_LOAD_MESSAGES,
	ST_LOAD_DELIVERIES,
	ST_LOAD_ATTEMPTS,
	ST_LOAD_AUDIT,
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
        [ST_BEGIN] = "BEGIN IMMEDIATE",
        [ST_COMMIT] = "COMMIT",
        [ST_ROLLBACK] = "ROLLBACK",
        [ST_FIND] = "SELECT id, sha256 FROM messages"
                    " WHERE sender = ?1 AND type = ?2 AND identificatie = ?3 AND generated = 0",
        [ST_FIND_GENERATED] = "SELECT id, sha256 FROM messages"
                              " WHERE sender = ?1 AND type = ?2 AND identificatie = ?3"
                              " AND generated = 1",
        [ST_FIND_ORIGINAL] = "SELECT " MSG_COLUMNS ", body, purged FROM messages"
                             " WHERE sender = ?1 AND type = ?2 AND identificatie = ?3"
                             " AND generated = 0",
        [ST_INSERT_MESSAGE] =
                "INSERT INTO messages (type, sender, receiver, identificatie, answers, received,"
                " generated, sha256, body, translated, acked, advice, id, body_key)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        /* the id the next message gets: its bytes are sealed to it before it is stored */
        [ST_NEXT_MESSAGE] = "SELECT coalesce(max(id), 0) + 1 FROM messages",
        [ST_STALE] = "SELECT id FROM messages WHERE id > ?1 AND body_key IS NOT ?2"
                     " ORDER BY id LIMIT ?3",
        [ST_STORED] = "SELECT body, translated, body_key FROM messages WHERE id = ?1",
        [ST_RESEAL] = "UPDATE messages SET body = ?2, translated = ?3, body_key = ?4 WHERE id = ?1",
        [ST_INSERT_DELIVERY] = "INSERT INTO deliveries (message, receiver, state, next_attempt,"
                               " created) VALUES (?1, ?2, 'pending', ?3, ?3)",
        [ST_INSERT_AUDIT] = "INSERT INTO audit (at, party, cert, remote, action, message, detail,"
                            " id, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        [ST_LAST_AUDIT] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [ST_AUDIT_SCAN] = "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY id",
        [ST_INBOX] = "SELECT " MSG_COLUMNS " FROM messages"
                     " WHERE receiver = ?1 AND acked IS NULL ORDER BY id LIMIT ?2",
        [ST_GET] = "SELECT " MSG_COLUMNS ", coalesce(translated, body), purged FROM messages"
                   " WHERE id = ?1 AND receiver = ?2",
        [ST_ACKED] = "SELECT acked IS NOT NULL FROM messages WHERE id = ?1 AND receiver = ?2",
        [ST_ACK] = "UPDATE messages SET acked = ?2 WHERE id = ?1",
        /* the first ?3 of each receiver; the time of the first attempt only for those */
        [ST_DUE] = "SELECT id, message, receiver, attempts, received,"
                   " coalesce((SELECT min(at) FROM attempts WHERE delivery = q.id), 0)"
                   " FROM (SELECT d.id, d.message, d.receiver, d.attempts, m.received,"
                   " d.next_attempt, row_number() OVER (PARTITION BY d.receiver"
                   " ORDER BY d.next_attempt, d.id) AS place"
                   " FROM deliveries d JOIN messages m ON m.id = d.message"
                   " WHERE d.state = 'pending' AND d.next_attempt <= ?1) q"
                   " WHERE place <= ?3 ORDER BY next_attempt, id LIMIT ?2",
        [ST_UPDATE_DELIVERY] = "UPDATE deliveries SET attempts = attempts + 1, next_attempt = ?2,"
                               " state = ?3, delivered = ?4 WHERE id = ?1 AND state = 'pending'",
        [ST_ACK_DELIVERED] = "UPDATE messages SET acked = ?2"
                             " WHERE id = (SELECT message FROM deliveries WHERE id = ?1)"
                             " AND acked IS NULL",
        [ST_INSERT_ATTEMPT] = "INSERT INTO attempts (delivery, at, http_status, error, delivered)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)",
        [ST_LEDGER_GET] = "SELECT v FROM ledger WHERE k = ?1",
        [ST_LEDGER_PUT] = "INSERT OR REPLACE INTO ledger (k, v, message) VALUES (?1, ?2, ?3)",
        [ST_LEDGER_DEL] = "DELETE FROM ledger WHERE k = ?1",
        /* the keys from ?1 up to ?1 followed by a byte no UTF-8 text holds */
        [ST_LEDGER_CLEAR] = "DELETE FROM ledger",
        [ST_MESSAGES] = "SELECT " MSG_COLUMNS ", body FROM messages ORDER BY id",
        [ST_LEDGER_SCAN] = "SELECT k, v FROM ledger WHERE k >= ?1 AND k < ?1 || x'ff'"
                           " ORDER BY k",
        /* a read transaction sees the file as it is at its first read */
        [ST_SNAPSHOT] = "BEGIN DEFERRED",
        [ST_SNAPSHOT_READ] = "SELECT count(*) FROM sqlite_master",
        [ST_DUMP_MESSAGES] = "SELECT " MESSAGES_ROW " FROM messages ORDER BY id",
        [ST_DUMP_DELIVERIES] = "SELECT " DELIVERIES_ROW " FROM deliveries ORDER BY id",
        [ST_DUMP_ATTEMPTS] = "SELECT " ATTEMPTS_ROW " FROM attempts ORDER BY id",
        [ST_DUMP_AUDIT] = "SELECT " AUDIT_ROW " FROM audit ORDER BY id",
        /* TEXT compares bytewise (BINARY) */
        [ST_DUMP_LEDGER] = "SELECT " LEDGER_ROW " FROM ledger ORDER BY k",
        [ST_LOAD_MESSAGES] =
                "INSERT INTO messages (" MESSAGES_ROW ")"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        [ST_LOAD_DELIVERIES] = "INSERT INTO deliveries (" DELIVERIES_ROW ")"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        [ST_LOAD_ATTEMPTS] =
                "INSERT INTO attempts (" ATTEMPTS_ROW ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        [ST_LOAD_AUDIT] = "INSERT INTO audit (" AUDIT_ROW ")"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        [ST_LOAD_LEDGER] = "INSERT INTO ledger (" LEDGER_ROW ") VALUES (?1, ?2, ?3)",
        [ST_FIND_HEEN] = "SELECT id FROM messages WHERE sender = ?1 AND receiver = ?2"
                         " AND type = ?3 AND identificatie = ?4 AND generated = 0",
        /* body is NOT NULL since version 1: no bytes are an empty blob */
        [ST_PURGE] = "UPDATE messages SET body = x'', translated = NULL, body_key = NULL,"
                     " purged = ?2 WHERE id IN (SELECT id FROM messages WHERE received < ?1"
                     " AND acked IS NOT NULL AND purged IS NULL AND NOT EXISTS (SELECT 1 FROM"
                     " deliveries d WHERE d.message = messages.id AND d.state = 'pending')"
                     " ORDER BY id LIMIT ?3)",
        [ST_LIFE] =
                GW_STATE_SELECT " WHERE m.id = ?1 AND (?2 IS NULL OR " GW_VISIBLE("m", "?2") ")",
        [ST_ATTEMPTS] = "SELECT at, http_status, error, delivered FROM attempts"
                        " WHERE delivery = ?1 ORDER BY id",
        [ST_ANSWERS] = "SELECT " MSG_COLUMNS " FROM messages WHERE answers = ?1 ORDER BY id",
        [ST_BODY] = "SELECT " MSG_COLUMNS ", body, purged FROM messages WHERE id = ?1",
        [ST_BODY_TRANSLATED] = "SELECT " MSG_COLUMNS ", coalesce(translated, body), purged"
                               " FROM messages WHERE id = ?1",
        [ST_REQUEUE] = "UPDATE deliveries SET state = 'pending', next_attempt = ?2"
                       " WHERE message = ?1 AND state = 'given_up'",
        /* a receiver's unacknowledged messages, by the inbox's index; its pushes not delivered */
        [ST_QUEUES] = "SELECT receiver, CAST(sum(u) AS INTEGER), min(o), CAST(sum(p) AS INTEGER),"
                      " CAST(sum(g) AS INTEGER) FROM ("
                      " SELECT receiver, 0 AS u, NULL AS o, 0 AS p, 0 AS g FROM messages"
                      " GROUP BY receiver"
                      " UNION ALL SELECT receiver, count(*), min(received), 0, 0 FROM messages"
                      " WHERE acked IS NULL GROUP BY receiver"
                      " UNION ALL SELECT receiver, 0, NULL,"
                      " count(CASE WHEN state = 'pending' THEN 1 END),"
                      " count(CASE WHEN state = 'given_up' THEN 1 END) FROM deliveries"
                      " WHERE state <> 'delivered' GROUP BY receiver)"
                      " GROUP BY receiver ORDER BY receiver",
        [ST_REJECTED] = "SELECT at / 86400 * 86400, coalesce(detail, ''), count(*) FROM audit"
                        " WHERE action = 'rejected' AND at >= ?1 AND at < ?2"
                        " GROUP BY at / 86400 * 86400, coalesce(detail, '')"
                        " ORDER BY 1, 2",
};

/*
 * The tables as struct gw_row holds them: the kind of each column (i an
 * integer, t a text, b bytes), which a cell has unless it is NULL.
 */
static const struct {
	const char *name;
	const char *kinds;
	enum stmt dump, load;
} tables[GW_TABLES] = {
        [GW_TABLE_MESSAGES] = {"messages", "ittttiiibbbitti", ST_DUMP_MESSAGES, ST_LOAD_MESSAGES},
        [GW_TABLE_DELIVERIES] = {"deliveries", "iittiiii", ST_DUMP_DELIVERIES, ST_LOAD_DELIVERIES},
        [GW_TABLE_ATTEMPTS] = {"attempts", "iiiiti", ST_DUMP_ATTEMPTS, ST_LOAD_ATTEMPTS},
        [GW_TABLE_AUDIT] = {"audit", "iittttitb", ST_DUMP_AUDIT, ST_LOAD_AUDIT},
        [GW_TABLE_LEDGER] = {"ledger", "tti", ST_DUMP_LEDGER, ST_LOAD_LEDGER},
};

struct sq {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	char err[512];
};

/* Records what failed, with SQLite's reason, and returns GW_STORE_ERROR. */
static enum gw_store_rc
failed(struct sq *h, const char *what)
{
	gw_store_say(h->err, sizeof h->err, "%s: %s", what, sqlite3_errmsg(h->db));
	return GW_STORE_ERROR;
}

/* Steps st to its end (a statement that returns no rows) and resets it. */
static int
run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Ends a failed transaction, keeping the error message of what failed. */
static enum gw_store_rc
rollback(struct sq *h, const char *what)
{
	failed(h, what);
	if (!sqlite3_get_autocommit(h->db))
		run(h->st[ST_ROLLBACK]);
	return GW_STORE_ERROR;
}

/* Ends a transaction that failed outside SQLite, keeping the error message set. */
static enum gw_store_rc
abandon(struct sq *h)
{
	if (!sqlite3_get_autocommit(h->db))
		run(h->st[ST_ROLLBACK]);
	return GW_STORE_ERROR;
}

/* A field of a struct gw_msg, which need not end in NUL when it is full. */
static int
bind_field(sqlite3_stmt *st, int i, const char *s, size_t size)
{
	return sqlite3_bind_text(st, i, s, (int)strnlen(s, size), SQLITE_STATIC);
}

/* A string of the caller's; NULL binds SQL NULL. */
static int
bind_str(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* An id that may be absent: 0 binds SQL NULL. */
static int
bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

static sqlite3_int64
limit_of(size_t limit)
{
	return limit > (size_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)limit;
}

static void
column_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	size_t len = s ? (size_t)sqlite3_column_bytes(st, i) : 0;

	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

static void
row_msg(sqlite3_stmt *st, struct gw_msg *m)
{
	const void *sha = sqlite3_column_blob(st, 8);

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	column_text(st, 1, m->type, sizeof m->type);
	column_text(st, 2, m->sender, sizeof m->sender);
	column_text(st, 3, m->receiver, sizeof m->receiver);
	column_text(st, 4, m->identificatie, sizeof m->identificatie);
	m->answers = sqlite3_column_int64(st, 5);
	m->received = sqlite3_column_int64(st, 6);
	m->generated = sqlite3_column_int(st, 7) != 0;
	if (sha && sqlite3_column_bytes(st, 8) == (int)sizeof m->sha256)
		memcpy(m->sha256, sha, sizeof m->sha256);
	m->translated = sqlite3_column_int(st, 9) != 0;
	column_text(st, 10, m->advice, sizeof m->advice);
	column_text(st, 11, m->body_key, sizeof m->body_key);
}

/*
 * The array p of *cap elements of size, with room for element n: p itself,
 * or p grown, or NULL (p is left as it was) when memory is out.
 */
static void *
grow(void *p, size_t n, size_t *cap, size_t size)
{
	size_t want = *cap ? *cap * 2 : 16;

	if (n < *cap)
		return p;
	if (want > SIZE_MAX / size || !(p = realloc(p, want * size)))
		return NULL;
	*cap = want;
	return p;
}

/* The number a pragma that reads one (sql) gives, into *v. */
static int
pragma_int(struct sq *h, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
too_new(struct sq *h, const char *path, int v)
{
	if (v <= SCHEMA_VERSION)
		return 0;
	gw_store_say(h->err, sizeof h->err,
	             "%s has schema version %d, newer than the %d this build knows: use a newer "
	             "ijw-gateway",
	             path, v, SCHEMA_VERSION);
	return -1;
}

/* Brings the schema up to SCHEMA_VERSION, one transaction per step. */
static int
migrate(struct sq *h, const char *path)
{
	char what[64] = "reading the schema version";
	int v;

	if (pragma_int(h, "PRAGMA user_version", &v))
		goto fail;
	if (too_new(h, path, v))
		return -1;
	while (v < SCHEMA_VERSION) {
		snprintf(what, sizeof what, "migrating the schema to version %d", v + 1);
		if (sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
		/* another handle may have migrated while this one waited for the lock */
		if (pragma_int(h, "PRAGMA user_version", &v))
			goto rollback;
		if (too_new(h, path, v)) {
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (v < SCHEMA_VERSION &&
		    (sqlite3_exec(h->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		     (migrated[v] && migrated[v](h))))
			goto rollback;
		if (sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			goto rollback;
		if (pragma_int(h, "PRAGMA user_version", &v))
			goto fail;
	}
	return 0;
rollback:
	failed(h, what);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
fail:
	failed(h, what);
	return -1;
}

/*
 * Creates the file, readable by its owner only (SQLite would make it 0644),
 * and makes its name durable: fsync of the file and of its folder.
 */
static int
create_file(struct sq *h, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	const char *slash;
	char *dir;

	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0 || fsync(fd) != 0) {
		gw_store_say(h->err, sizeof h->err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	slash = strrchr(path, '/');
	if (!(dir = strndup(slash ? path : ".", slash ? (size_t)(slash - path) + 1 : 1))) {
		gw_store_say(h->err, sizeof h->err, "%s: out of memory", path);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		gw_store_say(h->err, sizeof h->err, "%s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(dir);
		return -1;
	}
	close(fd);
	free(dir);
	return 0;
}

static int
configure(struct sq *h)
{
	static const char *const pragmas[] = {
	        "PRAGMA synchronous = FULL",
	        /* the ledger's lookups stay in memory: at most 64 MiB of pages */
	        "PRAGMA cache_size = -65536",
	        "PRAGMA foreign_keys = ON",
	        "PRAGMA trusted_schema = OFF",
	};
	const char *what = "setting the busy timeout";
	sqlite3_stmt *st;
	int wal = 0, pages = 0;

	if (sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS) != SQLITE_OK)
		goto fail;
	/*
	 * Pages freed by retention go back to the file system (compact). It
	 * takes effect on a new file only, before the journal mode writes its
	 * first page; an older file needs a VACUUM (store compact).
	 */
	what = "PRAGMA page_count";
	if (pragma_int(h, what, &pages))
		goto fail;
	what = "PRAGMA auto_vacuum = INCREMENTAL";
	if (!pages && sqlite3_exec(h->db, what, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	what = "PRAGMA journal_mode = WAL";
	if (sqlite3_prepare_v2(h->db, what, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);

		/* an in-memory database keeps its journal in memory */
		if (!(wal = sqlite3_stricmp(mode, "wal") == 0 ||
		            sqlite3_stricmp(mode, "memory") == 0))
			gw_store_say(h->err, sizeof h->err, "%s: the journal stays %s", what,
			             mode ? mode : "unknown");
	} else {
		failed(h, what);
	}
	sqlite3_finalize(st);
	if (!wal)
		return -1;
	for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++)
		if (sqlite3_exec(h->db, what = pragmas[i], NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	return 0;
fail:
	failed(h, what);
	return -1;
}

static void
sq_close(void *vh)
{
	struct sq *h = vh;

	if (!h)
		return;
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(h->st[i]);
	sqlite3_close_v2(h->db);
	free(h);
}

static void *
sq_open(const char *path, char *err, size_t errlen)
{
	struct sq *h = calloc(1, sizeof *h);
	char *name = NULL;

	if (!h) {
		gw_store_say(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	/* this SQLite takes a name that begins with "file:" as a URI: make it a path */
	if (strncmp(path, "file:", 5) == 0) {
		size_t size = strlen(path) + 3;

		if (!(name = malloc(size))) {
			gw_store_say(h->err, sizeof h->err, "%s: out of memory", path);
			goto fail;
		}
		snprintf(name, size, "./%s", path);
	}
	if (strcmp(path, ":memory:") != 0 && create_file(h, path))
		goto fail;
	if (sqlite3_open_v2(name ? name : path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		if (!h->db) {
			gw_store_say(h->err, sizeof h->err, "%s: out of memory", path);
			goto fail;
		}
		failed(h, path);
		goto fail;
	}
	if (configure(h) || migrate(h, path))
		goto fail;
	for (size_t i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(h->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &h->st[i], NULL) != SQLITE_OK) {
			failed(h, statements[i]);
			goto fail;
		}
	free(name);
	return h;
fail:
	gw_store_say(err, errlen, "%s", h->err);
	free(name);
	sq_close(h);
	return NULL;
}

/* The pid written in the lock file fd, or 0 when it names none. */
static long
holder(int fd)
{
	char text[24];
	ssize_t n = pread(fd, text, sizeof text - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	text[n] = '\0';
	pid = strtol(text, &end, 10);
	return end != text && (*end == '\n' || !*end) && pid > 0 ? pid : 0;
}

static int
sq_claim(const char *path, int *fd, char *err, size_t errlen)
{
	size_t size = strlen(path) + sizeof "-lock";
	char *name, pid[32] = "";
	int n;
	long other;

	*fd = -1;
	if (strcmp(path, ":memory:") == 0)
		return 0;
	if (!(name = malloc(size))) {
		gw_store_say(err, errlen, "%s: out of memory", path);
		return -1;
	}
	snprintf(name, size, "%s-lock", path);
	if ((*fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		gw_store_say(err, errlen, "%s: %s", name, strerror(errno));
		goto fail;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK) {
			gw_store_say(err, errlen, "%s: %s", name, strerror(errno));
			goto fail;
		}
		other = holder(*fd);
		if (other)
			snprintf(pid, sizeof pid, " (pid %ld)", other);
		gw_store_say(err, errlen,
		             "store %s is in use by another gateway%s; one SQLite store is served "
		             "by one gateway: to run several gateways, use a PostgreSQL store",
		             path, pid);
		goto fail;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)n, 0) != n) {
		gw_store_say(err, errlen, "%s: %s", name, strerror(errno));
		goto fail;
	}
	free(name);
	return 0;
fail:
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	free(name);
	return -1;
}

/* The entry of a row of AUDIT_COLUMNS; its texts are SQLite's, valid until st moves. */
static void
audit_row(sqlite3_stmt *st, struct gw_audit *e)
{
	const void *hash = sqlite3_column_blob(st, 8);

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->message = sqlite3_column_int64(st, 2);
	for (int i = 0; i < GW_AUDIT_TEXTS; i++) {
		e->text[i] = (const char *)sqlite3_column_text(st, 3 + i);
		e->len[i] = (size_t)sqlite3_column_bytes(st, 3 + i);
	}
	if (hash && sqlite3_column_bytes(st, 8) == GW_AUDIT_HASH)
		memcpy(e->hash, hash, GW_AUDIT_HASH);
}

/* Chains the entries of a log from before the chain, in the order of their ids. */
static int
chain_audit(struct sq *h)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	unsigned char prev[GW_AUDIT_HASH] = {0};
	struct gw_audit e;
	int rc = SQLITE_ERROR;

	if (sqlite3_prepare_v2(h->db, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY id", -1, &st,
	                       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "UPDATE audit SET hash = ?2 WHERE id = ?1", -1, &up, NULL) !=
	            SQLITE_OK)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row(st, &e);
		gw_audit_hash(prev, &e, prev);
		if (sqlite3_bind_int64(up, 1, e.id) ||
		    sqlite3_bind_blob(up, 2, prev, sizeof prev, SQLITE_STATIC) || run(up))
			break;
	}
done:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The last audit entry's id and hash, within the caller's transaction. */
static int
sq_audit_last(void *vh, int64_t *id, unsigned char hash[GW_AUDIT_HASH])
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LAST_AUDIT];
	int rc = sqlite3_step(st);

	*id = 0;
	memset(hash, 0, GW_AUDIT_HASH);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == GW_AUDIT_HASH)
			memcpy(hash, sqlite3_column_blob(st, 1), GW_AUDIT_HASH);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* A text of an audit entry: its len bytes, or NULL. */
static int
bind_text_of(sqlite3_stmt *st, int i, const struct gw_audit *e, enum gw_audit_text t)
{
	return e->text[t] ? sqlite3_bind_text(st, i, e->text[t], (int)e->len[t], SQLITE_STATIC)
	                  : sqlite3_bind_null(st, i);
}

static int
sq_audit_insert(void *vh, const struct gw_audit *e)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_INSERT_AUDIT];

	if (sqlite3_bind_int64(st, 1, e->at) || bind_text_of(st, 2, e, GW_AUDIT_PARTY) ||
	    bind_text_of(st, 3, e, GW_AUDIT_CERT) || bind_text_of(st, 4, e, GW_AUDIT_REMOTE) ||
	    bind_text_of(st, 5, e, GW_AUDIT_ACTION) || bind_id(st, 6, e->message) ||
	    bind_text_of(st, 7, e, GW_AUDIT_DETAIL) || sqlite3_bind_int64(st, 8, e->id) ||
	    sqlite3_bind_blob(st, 9, e->hash, GW_AUDIT_HASH, SQLITE_STATIC))
		return -1;
	return run(st);
}

/*
 * Finds the earlier message with p's identity and says whether it is the
 * same. The gateway's own retour is the same as an earlier one with its
 * identity whatever its bytes (its Dagtekening may be another day's): a
 * rejected message sent again is answered by the retour it already has.
 */
static int
sq_find_repeat(void *vh, struct gw_put *p, bool *found)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[p->msg.generated ? ST_FIND_GENERATED : ST_FIND];
	const struct gw_msg *m = &p->msg;
	int rc;

	*found = false;
	if (bind_field(st, 1, m->sender, sizeof m->sender) ||
	    bind_field(st, 2, m->type, sizeof m->type) ||
	    bind_field(st, 3, m->identificatie, sizeof m->identificatie))
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *sha = sqlite3_column_blob(st, 1);
		bool same = sha && sqlite3_column_bytes(st, 1) == (int)sizeof m->sha256 &&
		            memcmp(sha, m->sha256, sizeof m->sha256) == 0;

		*found = true;
		p->msg.id = sqlite3_column_int64(st, 0);
		p->outcome = same || m->generated ? GW_PUT_SAME : GW_PUT_CONFLICT;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The bytes of row: a blob, NULL for none (a body is never NULL: empty is a blob). */
static int
bind_bytes(sqlite3_stmt *st, int i, const void *data, size_t len, bool body)
{
	if (!data && !body)
		return sqlite3_bind_null(st, i);
	return len ? sqlite3_bind_blob64(st, i, data, len, SQLITE_STATIC)
	           : sqlite3_bind_zeroblob(st, i, 0);
}

/* The id the next message gets, into *id. */
static int
next_message(struct sq *h, int64_t *id)
{
	sqlite3_stmt *st = h->st[ST_NEXT_MESSAGE];
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
sq_insert_message(void *vh, struct gw_put *p, int64_t now, gw_store_seal_fn seal, void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_INSERT_MESSAGE];
	const struct gw_msg *m = &p->msg;
	struct gw_stored row = {.body = p->body,
	                        .len = p->len,
	                        .translated = p->translated,
	                        .translated_len = p->translated_len};

	if (next_message(h, &row.id))
		return -1;
	if (seal(ctx, &row)) {
		gw_store_say(h->err, sizeof h->err, "put: sealing message %" PRId64, row.id);
		abandon(h);
		return -2;
	}
	if (bind_bytes(st, 9, row.body, row.len, true) ||
	    bind_bytes(st, 10, row.translated, row.translated_len, false) ||
	    bind_field(st, 1, m->type, sizeof m->type) ||
	    bind_field(st, 2, m->sender, sizeof m->sender) ||
	    bind_field(st, 3, m->receiver, sizeof m->receiver) ||
	    bind_field(st, 4, m->identificatie, sizeof m->identificatie) ||
	    bind_id(st, 5, m->answers) || sqlite3_bind_int64(st, 6, now) ||
	    sqlite3_bind_int(st, 7, m->generated) ||
	    sqlite3_bind_blob(st, 8, m->sha256, sizeof m->sha256, SQLITE_STATIC) ||
	    bind_id(st, 11, p->imported ? now : 0) || bind_str(st, 12, p->advice) ||
	    sqlite3_bind_int64(st, 13, row.id) || bind_str(st, 14, row.key[0] ? row.key : NULL) ||
	    run(st)) {
		sqlite3_clear_bindings(st);
		return -1;
	}
	/* the body is the caller's: no pointer to it outlives the call */
	sqlite3_clear_bindings(st);
	p->msg.id = row.id;
	memcpy(p->msg.body_key, row.key, sizeof p->msg.body_key);
	p->msg.received = now;
	p->outcome = GW_PUT_NEW;
	return 0;
}

static int
sq_insert_delivery(void *vh, const struct gw_put *p, int64_t now)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_INSERT_DELIVERY];

	if (sqlite3_bind_int64(st, 1, p->msg.id) ||
	    bind_field(st, 2, p->msg.receiver, sizeof p->msg.receiver) ||
	    sqlite3_bind_int64(st, 3, now))
		return -1;
	return run(st);
}

static int
sq_write_begin(void *vh)
{
	struct sq *h = vh;

	return run(h->st[ST_BEGIN]);
}

static int
sq_write_commit(void *vh)
{
	struct sq *h = vh;

	return run(h->st[ST_COMMIT]);
}

static enum gw_store_rc
sq_fail(void *vh, const char *what)
{
	return rollback(vh, what);
}

static void
sq_abandon(void *vh)
{
	abandon(vh);
}

static enum gw_store_rc
sq_inbox(void *vh, const char *party, size_t limit, void (*each)(void *ctx, const struct gw_msg *m),
         void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_INBOX];
	struct gw_msg *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (bind_str(st, 1, party) || sqlite3_bind_int64(st, 2, limit_of(limit)))
		return failed(h, "inbox");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gw_msg *more = grow(rows, n, &cap, sizeof *rows);

		if (!more) {
			sqlite3_reset(st);
			free(rows);
			gw_store_say(h->err, sizeof h->err, "inbox of %s: out of memory", party);
			return GW_STORE_ERROR;
		}
		rows = more;
		row_msg(st, &rows[n++]);
	}
	if (rc != SQLITE_DONE) {
		failed(h, "inbox");
		sqlite3_reset(st);
		free(rows);
		return GW_STORE_ERROR;
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++)
		each(ctx, &rows[i]);
	free(rows);
	return GW_STORE_OK;
}

/*
 * Steps st, whose row is a message, its bytes and when they were purged:
 * into m and body (GW_STORE_GONE when purged). what names the message in
 * the error.
 */
static enum gw_store_rc
message_row(struct sq *h, sqlite3_stmt *st, struct gw_msg *m, struct ijw_buf *body,
            const char *what)
{
	enum gw_store_rc ret = GW_STORE_OK;
	int rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *data = sqlite3_column_blob(st, 12);
		size_t len = (size_t)sqlite3_column_bytes(st, 12);
		ijw_rc brc;

		row_msg(st, m);
		if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
			gw_store_say(h->err, sizeof h->err,
			             "%s: retention removed its bytes at %" PRId64, what,
			             (int64_t)sqlite3_column_int64(st, 13));
			ret = GW_STORE_GONE;
		} else if (len && (brc = ijw_buf_add(body, data, len))) {
			gw_store_say(h->err, sizeof h->err, "%s (%zu bytes): %s", what, len,
			             ijw_strerror(brc));
			ret = GW_STORE_ERROR;
		}
	} else if (rc == SQLITE_DONE) {
		gw_store_say(h->err, sizeof h->err, "no %s", what);
		ret = GW_STORE_NOTFOUND;
	} else {
		ret = failed(h, what);
	}
	sqlite3_reset(st);
	return ret;
}

static enum gw_store_rc
sq_get(void *vh, int64_t id, const char *party, struct gw_msg *m, struct ijw_buf *body)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_GET];
	char what[64];

	if (sqlite3_bind_int64(st, 1, id) || bind_str(st, 2, party))
		return failed(h, "get");
	snprintf(what, sizeof what, "message %" PRId64 " for %s", id, party);
	return message_row(h, st, m, body, what);
}

static enum gw_store_rc
sq_original(void *vh, const char *sender, const char *type, const char *identificatie,
            struct gw_msg *m, struct ijw_buf *body)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_FIND_ORIGINAL];
	char what[80];

	if (bind_str(st, 1, sender) || bind_str(st, 2, type) || bind_str(st, 3, identificatie))
		return failed(h, "original");
	snprintf(what, sizeof what, "%s %s from %s", type, identificatie, sender);
	return message_row(h, st, m, body, what);
}

static int
sq_acked(void *vh, int64_t id, const char *party, bool *found, bool *again)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_ACKED];
	int rc;

	if (sqlite3_bind_int64(st, 1, id) || bind_str(st, 2, party)) {
		rollback(h, "ack");
		return -2;
	}
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*again = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Runs st with the numbers a and b: 0, or -1. */
static int
run_ints(sqlite3_stmt *st, int64_t a, int64_t b)
{
	if (sqlite3_bind_int64(st, 1, a) || sqlite3_bind_int64(st, 2, b))
		return -1;
	return run(st);
}

/* The state of a row of GW_STATE_SELECT, after its message. */
static void
row_state(sqlite3_stmt *st, struct gw_state *s)
{
	memset(s, 0, sizeof *s);
	s->acked = sqlite3_column_int64(st, 12);
	s->purged = sqlite3_column_int64(st, 13);
	column_text(st, 14, s->delivery, sizeof s->delivery);
	s->delivery_id = sqlite3_column_int64(st, 15);
	s->attempts = (unsigned)sqlite3_column_int64(st, 16);
	if (strcmp(s->delivery, "pending") == 0)
		s->next_attempt = sqlite3_column_int64(st, 17);
	s->delivered = sqlite3_column_int64(st, 18);
	s->answered_by = sqlite3_column_int64(st, 19);
}

/* The attempts of l's push and the retours that answer it, into l. */
static enum gw_store_rc
life_lists(struct sq *h, struct gw_life *l)
{
	sqlite3_stmt *st = h->st[ST_ATTEMPTS];
	size_t cap = 0;
	void *more;
	int rc;

	if (sqlite3_bind_int64(st, 1, l->state.delivery_id))
		return failed(h, "life: attempts");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gw_attempt *a;

		if (!(more = grow(l->attempts, l->n_attempts, &cap, sizeof *a)))
			goto nomem;
		l->attempts = more;
		a = &l->attempts[l->n_attempts++];
		memset(a, 0, sizeof *a);
		a->at = sqlite3_column_int64(st, 0);
		a->http_status = sqlite3_column_int(st, 1);
		column_text(st, 2, a->error, sizeof a->error);
		a->delivered = sqlite3_column_int(st, 3) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return failed(h, "life: attempts");
	st = h->st[ST_ANSWERS];
	cap = 0;
	if (sqlite3_bind_int64(st, 1, l->msg.id))
		return failed(h, "life: retours");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(more = grow(l->answers, l->n_answers, &cap, sizeof *l->answers)))
			goto nomem;
		l->answers = more;
		row_msg(st, &l->answers[l->n_answers++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? GW_STORE_OK : failed(h, "life: retours");
nomem:
	sqlite3_reset(st);
	gw_store_say(h->err, sizeof h->err, "life of message %" PRId64 ": out of memory",
	             l->msg.id);
	return GW_STORE_ERROR;
}

static enum gw_store_rc
sq_life(void *vh, int64_t id, const char *party, struct gw_life *out)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LIFE];
	int rc;

	if (sqlite3_bind_int64(st, 1, id) || bind_str(st, 2, party))
		return failed(h, "life");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_msg(st, &out->msg);
		row_state(st, &out->state);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return GW_STORE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return failed(h, "life");
	return life_lists(h, out);
}

/* A message listed by browse, with its state. */
struct browsed {
	struct gw_msg m;
	struct gw_state st;
};

static enum gw_store_rc
sq_browse(void *vh, const struct gw_filter_sql *where,
          void (*each)(void *ctx, const struct gw_msg *m, const struct gw_state *st), void *ctx)
{
	struct sq *h = vh;
	char sql[sizeof where->sql + sizeof GW_STATE_SELECT + 8];
	struct browsed *rows = NULL, *more;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int rc = SQLITE_OK;

	snprintf(sql, sizeof sql, GW_STATE_SELECT " WHERE %s", where->sql);
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return failed(h, "browse");
	for (size_t i = 0; i < where->n && rc == SQLITE_OK; i++)
		rc = where->arg[i].text ? sqlite3_bind_text(st, (int)i + 1, where->arg[i].text, -1,
		                                            SQLITE_STATIC)
		                        : sqlite3_bind_int64(st, (int)i + 1, where->arg[i].i);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		if (!(more = grow(rows, n, &cap, sizeof *rows))) {
			sqlite3_finalize(st);
			free(rows);
			gw_store_say(h->err, sizeof h->err, "browse: out of memory");
			return GW_STORE_ERROR;
		}
		rows = more;
		row_msg(st, &rows[n].m);
		row_state(st, &rows[n++].st);
	}
	if (rc != SQLITE_DONE) {
		failed(h, "browse");
		sqlite3_finalize(st);
		free(rows);
		return GW_STORE_ERROR;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		each(ctx, &rows[i].m, &rows[i].st);
	free(rows);
	return GW_STORE_OK;
}

static enum gw_store_rc
sq_body(void *vh, int64_t id, bool translated, struct gw_msg *m, struct ijw_buf *body)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[translated ? ST_BODY_TRANSLATED : ST_BODY];
	char what[64];

	if (sqlite3_bind_int64(st, 1, id))
		return failed(h, "body");
	snprintf(what, sizeof what, "message %" PRId64, id);
	return message_row(h, st, m, body, what);
}

static int
sq_find_heen(void *vh, const char *sender, const char *receiver, const char *type,
             const char *identificatie, int64_t *id)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_FIND_HEEN];
	int rc;

	*id = 0;
	if (bind_str(st, 1, sender) || bind_str(st, 2, receiver) || bind_str(st, 3, type) ||
	    bind_str(st, 4, identificatie))
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int
sq_requeue(void *vh, int64_t id, int64_t now, bool *none)
{
	struct sq *h = vh;

	if (run_ints(h->st[ST_REQUEUE], id, now))
		return -1;
	*none = sqlite3_changes(h->db) == 0;
	return 0;
}

static enum gw_store_rc
sq_queues(void *vh, void (*each)(void *ctx, const struct gw_queue *q), void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_QUEUES];
	struct gw_queue *rows = NULL, *more, *q;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(more = grow(rows, n, &cap, sizeof *rows))) {
			sqlite3_reset(st);
			free(rows);
			gw_store_say(h->err, sizeof h->err, "queues: out of memory");
			return GW_STORE_ERROR;
		}
		rows = more;
		q = &rows[n++];
		memset(q, 0, sizeof *q);
		column_text(st, 0, q->party, sizeof q->party);
		q->unacked = (size_t)sqlite3_column_int64(st, 1);
		q->oldest = sqlite3_column_int64(st, 2);
		q->due = (size_t)sqlite3_column_int64(st, 3);
		q->given_up = (size_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(rows);
		return failed(h, "queues");
	}
	for (size_t i = 0; i < n; i++)
		each(ctx, &rows[i]);
	free(rows);
	return GW_STORE_OK;
}

static enum gw_store_rc
sq_rejected(void *vh, int64_t from, int64_t to,
            void (*each)(void *ctx, int64_t day, const char *detail, size_t n), void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_REJECTED];
	int rc;

	if (sqlite3_bind_int64(st, 1, from) || sqlite3_bind_int64(st, 2, to))
		return failed(h, "rejections");
	/* each only counts: it does not use the handle */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		     (size_t)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? GW_STORE_OK : failed(h, "rejections");
}

static int
sq_mark_acked(void *vh, int64_t id, int64_t now)
{
	struct sq *h = vh;

	return run_ints(h->st[ST_ACK], id, now);
}

static int
sq_purge(void *vh, int64_t before, int64_t now, size_t limit, size_t *n)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_PURGE];

	if (sqlite3_bind_int64(st, 3, limit_of(limit)) || run_ints(st, before, now))
		return -1;
	*n = (size_t)sqlite3_changes(h->db);
	return 0;
}

/* One file is served by one gateway: no other instance to lease a delivery against. */
static enum gw_store_rc
sq_due(void *vh, int64_t now, int64_t lease, const char *instance, size_t limit,
       size_t per_receiver, void (*each)(void *ctx, const struct gw_due *d), void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_DUE];
	struct gw_due *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	(void)lease;
	(void)instance;
	if (sqlite3_bind_int64(st, 1, now) || sqlite3_bind_int64(st, 2, limit_of(limit)) ||
	    sqlite3_bind_int64(st, 3, limit_of(per_receiver)))
		return failed(h, "due");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gw_due *more = grow(rows, n, &cap, sizeof *rows), *d;

		if (!more) {
			sqlite3_reset(st);
			free(rows);
			gw_store_say(h->err, sizeof h->err, "due: out of memory");
			return GW_STORE_ERROR;
		}
		rows = more;
		d = &rows[n++];
		memset(d, 0, sizeof *d);
		d->delivery = sqlite3_column_int64(st, 0);
		d->message = sqlite3_column_int64(st, 1);
		column_text(st, 2, d->receiver, sizeof d->receiver);
		d->attempts = (unsigned)sqlite3_column_int64(st, 3);
		d->created = sqlite3_column_int64(st, 4);
		d->first_attempt = sqlite3_column_int64(st, 5);
	}
	if (rc != SQLITE_DONE) {
		failed(h, "due");
		sqlite3_reset(st);
		free(rows);
		return GW_STORE_ERROR;
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++)
		each(ctx, &rows[i]);
	free(rows);
	return GW_STORE_OK;
}

static int
sq_update_delivery(void *vh, int64_t delivery, int64_t next, const char *state, bool delivered,
                   int64_t now, bool *none)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_UPDATE_DELIVERY];

	if (sqlite3_bind_int64(st, 1, delivery) || sqlite3_bind_int64(st, 2, next) ||
	    sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC) ||
	    (delivered ? sqlite3_bind_int64(st, 4, now) : sqlite3_bind_null(st, 4)) || run(st))
		return -1;
	*none = sqlite3_changes(h->db) == 0;
	return 0;
}

static int
sq_insert_attempt(void *vh, int64_t delivery, int64_t now, int http_status, const char *error,
                  bool delivered)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_INSERT_ATTEMPT];

	if (sqlite3_bind_int64(st, 1, delivery) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_bind_int(st, 3, http_status) || bind_str(st, 4, error) ||
	    sqlite3_bind_int(st, 5, delivered))
		return -1;
	return run(st);
}

static int
sq_ack_delivered(void *vh, int64_t delivery, int64_t now)
{
	struct sq *h = vh;

	return run_ints(h->st[ST_ACK_DELIVERED], delivery, now);
}

static enum gw_store_rc
sq_audit(void *vh, int64_t now, const char *party, const char *cert, const char *remote,
         const char *action, int64_t message, const char *detail)
{
	struct sq *h = vh;
	bool own = sqlite3_get_autocommit(h->db);

	if (own && run(h->st[ST_BEGIN]))
		return rollback(h, "audit: beginning the transaction");
	if (gw_store_chain_audit(&gw_store_sqlite, h, now, party, -1, cert, remote, action, message,
	                         detail))
		return own ? rollback(h, "audit") : failed(h, "audit");
	if (own && run(h->st[ST_COMMIT]))
		return rollback(h, "audit: committing");
	return GW_STORE_OK;
}

static enum gw_store_rc
sq_audit_scan(void *vh, int (*each)(void *ctx, const struct gw_audit *e), void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_AUDIT_SCAN];
	struct gw_audit e;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row(st, &e);
		if (each(ctx, &e))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return failed(h, "reading the audit log");
	return GW_STORE_OK;
}

static const char *
sq_error(const void *vh)
{
	const struct sq *h = vh;

	return h->err[0] ? h->err : "no error";
}

/* ---- the ledger's keys and values ---- */

static int
sq_ledger_get(void *vh, const char *k, struct ijw_buf *out)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LEDGER_GET];
	int rc, ret = -1;

	if (bind_str(st, 1, k))
		return failed(h, "ledger"), -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = ijw_buf_add(out, sqlite3_column_text(st, 0),
		                  (size_t)sqlite3_column_bytes(st, 0)) ||
		                      ijw_buf_addstr(out, "")
		              ? -1
		              : 1;
	else if (rc == SQLITE_DONE)
		ret = 0;
	else
		failed(h, "ledger");
	sqlite3_reset(st);
	return ret;
}

static int
sq_ledger_put(void *vh, const char *k, const char *v, int64_t msg)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LEDGER_PUT];

	if (bind_str(st, 1, k) || bind_str(st, 2, v) || bind_id(st, 3, msg) || run(st))
		return failed(h, "ledger"), -1;
	return 0;
}

static int
sq_ledger_del(void *vh, const char *k)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LEDGER_DEL];

	if (bind_str(st, 1, k) || run(st))
		return failed(h, "ledger"), -1;
	return 0;
}

static int
sq_ledger_scan(void *vh, const char *prefix, int (*each)(void *ctx, const char *k, const char *v),
               void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_LEDGER_SCAN];
	int rc;

	if (bind_str(st, 1, prefix))
		return failed(h, "ledger"), -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (each(ctx, (const char *)sqlite3_column_text(st, 0),
		         (const char *)sqlite3_column_text(st, 1)))
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		failed(h, "ledger");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static enum gw_store_rc
sq_ledger_clear(void *vh)
{
	struct sq *h = vh;

	return run(h->st[ST_LEDGER_CLEAR]) ? failed(h, "clearing the ledger") : GW_STORE_OK;
}

static enum gw_store_rc
sq_messages(void *vh, int (*each)(void *ctx, const struct gw_msg *m, const void *body, size_t len),
            void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_MESSAGES];
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gw_msg m;

		row_msg(st, &m);
		stop = each(ctx, &m, sqlite3_column_blob(st, 12),
		            (size_t)sqlite3_column_bytes(st, 12));
	}
	if (!stop && rc != SQLITE_DONE) {
		failed(h, "reading the messages");
		sqlite3_reset(st);
		return GW_STORE_ERROR;
	}
	sqlite3_reset(st);
	return stop < 0 ? GW_STORE_ERROR : GW_STORE_OK;
}

/* Passes message id's bytes through seal and writes them back. */
static int
reseal(struct sq *h, int64_t id, gw_store_seal_fn seal, void *ctx)
{
	sqlite3_stmt *st = h->st[ST_STORED], *up = h->st[ST_RESEAL];
	struct gw_stored row = {.id = id};
	int rc;

	if (sqlite3_bind_int64(st, 1, id) || (rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	row.body = sqlite3_column_blob(st, 0);
	row.len = (size_t)sqlite3_column_bytes(st, 0);
	row.translated = sqlite3_column_blob(st, 1);
	row.translated_len = (size_t)sqlite3_column_bytes(st, 1);
	if (!row.translated && sqlite3_column_type(st, 1) != SQLITE_NULL)
		row.translated = "";
	column_text(st, 2, row.key, sizeof row.key);
	if (seal(ctx, &row)) {
		sqlite3_reset(st);
		gw_store_say(h->err, sizeof h->err, "rekey: message %" PRId64, id);
		return -2;
	}
	rc = sqlite3_bind_int64(up, 1, id) || bind_bytes(up, 2, row.body, row.len, true) ||
	     bind_bytes(up, 3, row.translated, row.translated_len, false) ||
	     bind_str(up, 4, row.key[0] ? row.key : NULL) || run(up);
	sqlite3_clear_bindings(up);
	sqlite3_reset(st);
	return rc ? -1 : 0;
}

static enum gw_store_rc
sq_rekey(void *vh, const char *key, int64_t *after, size_t limit, gw_store_seal_fn seal, void *ctx,
         size_t *n)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_STALE];
	int64_t *ids = NULL;
	size_t cap = 0, count = 0;
	int rc;

	*n = 0;
	/* the bytes replaced leave no copy in the file's free pages */
	if (sqlite3_exec(h->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK)
		return failed(h, "rekey: PRAGMA secure_delete");
	if (run(h->st[ST_BEGIN]))
		return rollback(h, "rekey: beginning the transaction");
	if (bind_str(st, 2, key) || sqlite3_bind_int64(st, 1, *after) ||
	    sqlite3_bind_int64(st, 3, limit_of(limit)))
		return rollback(h, "rekey");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *more = grow(ids, count, &cap, sizeof *ids);

		if (!more) {
			sqlite3_reset(st);
			free(ids);
			gw_store_say(h->err, sizeof h->err, "rekey: out of memory");
			return abandon(h);
		}
		ids = more;
		ids[count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return rollback(h, "rekey: finding the messages");
	}
	for (size_t i = 0; i < count; i++)
		if ((rc = reseal(h, ids[i], seal, ctx))) {
			free(ids);
			return rc == -2 ? abandon(h) : rollback(h, "rekey: writing a message");
		}
	if (count)
		*after = ids[count - 1];
	free(ids);
	if (run(h->st[ST_COMMIT]))
		return rollback(h, "rekey: committing");
	*n = count;
	return GW_STORE_OK;
}

/* ---- rows of every table, for a copy ---- */

static enum gw_cell_kind
kind_of(char kind)
{
	return kind == 'i' ? GW_CELL_INT : kind == 't' ? GW_CELL_TEXT : GW_CELL_BLOB;
}

/* Column i of st as a cell of kind; its bytes are SQLite's, valid until st moves. */
static int
cell_of(sqlite3_stmt *st, int i, char kind, struct gw_cell *c)
{
	memset(c, 0, sizeof *c);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	c->kind = kind_of(kind);
	if (c->kind == GW_CELL_INT) {
		c->i = sqlite3_column_int64(st, i);
		return 0;
	}
	c->p = c->kind == GW_CELL_TEXT ? (const void *)sqlite3_column_text(st, i)
	                               : sqlite3_column_blob(st, i);
	c->len = (size_t)sqlite3_column_bytes(st, i);
	/* NULL for bytes of length 0; else out of memory */
	if (!c->p && c->len == 0 && c->kind == GW_CELL_BLOB)
		c->p = "";
	return c->p ? 0 : -1;
}

static int
bind_cell(sqlite3_stmt *st, int i, const struct gw_cell *c)
{
	switch (c->kind) {
	case GW_CELL_INT:
		return sqlite3_bind_int64(st, i, c->i);
	case GW_CELL_TEXT:
		return sqlite3_bind_text64(st, i, c->p, c->len, SQLITE_STATIC, SQLITE_UTF8);
	case GW_CELL_BLOB:
		return c->len ? sqlite3_bind_blob64(st, i, c->p, c->len, SQLITE_STATIC)
		              : sqlite3_bind_zeroblob(st, i, 0);
	default:
		return sqlite3_bind_null(st, i);
	}
}

static enum gw_store_rc
sq_dump(void *vh, enum gw_table t, int (*each)(void *ctx, const struct gw_row *r), void *ctx)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[tables[t].dump];
	const char *kinds = tables[t].kinds;
	struct gw_row r = {.n = strlen(kinds)};
	char what[64];
	int rc;

	snprintf(what, sizeof what, "reading the rows of %s", tables[t].name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < r.n; i++)
			if (cell_of(st, (int)i, kinds[i], &r.cell[i])) {
				failed(h, what);
				sqlite3_reset(st);
				return GW_STORE_ERROR;
			}
		if (each(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		failed(h, what);
		sqlite3_reset(st);
		return GW_STORE_ERROR;
	}
	sqlite3_reset(st);
	return GW_STORE_OK;
}

static enum gw_store_rc
sq_load(void *vh, enum gw_table t, const struct gw_row *r)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[tables[t].load];
	const char *kinds = tables[t].kinds;
	char what[64];
	int rc = 0;

	if (r->n != strlen(kinds)) {
		gw_store_say(h->err, sizeof h->err, "a row of %s: %zu cells, not %zu",
		             tables[t].name, r->n, strlen(kinds));
		return abandon(h);
	}
	for (size_t i = 0; i < r->n && !rc; i++) {
		if (r->cell[i].kind != GW_CELL_NULL && r->cell[i].kind != kind_of(kinds[i])) {
			sqlite3_clear_bindings(st);
			gw_store_say(h->err, sizeof h->err,
			             "a row of %s: cell %zu is of another kind than its column",
			             tables[t].name, i + 1);
			return abandon(h);
		}
		rc = bind_cell(st, (int)i + 1, &r->cell[i]);
	}
	rc = rc || run(st);
	/* the cells are the caller's: no pointer to them outlives the call */
	sqlite3_clear_bindings(st);
	snprintf(what, sizeof what, "writing a row of %s", tables[t].name);
	return rc ? rollback(h, what) : GW_STORE_OK;
}

/* A read transaction: the dumps in it see the file as it was at its start. */
static enum gw_store_rc
sq_snapshot(void *vh)
{
	struct sq *h = vh;
	sqlite3_stmt *st = h->st[ST_SNAPSHOT_READ];
	int rc;

	if (run(h->st[ST_SNAPSHOT]))
		return rollback(h, "beginning a snapshot");
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? GW_STORE_OK : rollback(h, "beginning a snapshot");
}

static enum gw_store_rc
sq_rollback(void *vh)
{
	struct sq *h = vh;

	if (sqlite3_get_autocommit(h->db))
		return GW_STORE_OK;
	return run(h->st[ST_ROLLBACK]) ? failed(h, "rolling back") : GW_STORE_OK;
}

static enum gw_store_rc
sq_begin(void *vh)
{
	struct sq *h = vh;

	return run(h->st[ST_BEGIN]) ? rollback(h, "beginning a transaction") : GW_STORE_OK;
}

static enum gw_store_rc
sq_commit(void *vh)
{
	struct sq *h = vh;

	return run(h->st[ST_COMMIT]) ? rollback(h, "committing") : GW_STORE_OK;
}

/*
 * A row put into the ledger and taken out again, in a transaction that
 * commits: a real write, fsynced, that leaves the data as it was. No ledger
 * key is empty.
 */
static enum gw_store_rc
sq_probe(void *vh)
{
	struct sq *h = vh;

	if (run(h->st[ST_BEGIN]))
		return rollback(h, "test write");
	if (sqlite3_exec(h->db,
	                 "INSERT INTO ledger (k, v) VALUES ('', '');"
	                 " DELETE FROM ledger WHERE k = ''",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return rollback(h, "test write");
	return run(h->st[ST_COMMIT]) ? rollback(h, "test write: committing") : GW_STORE_OK;
}

/*
 * Incremental: the free pages at the end of the file go back to the file
 * system, and the checkpoint after it shortens the file. Full: the file is
 * rebuilt with auto_vacuum incremental, which an older file needs once.
 */
static enum gw_store_rc
sq_compact(void *vh, bool full)
{
	struct sq *h = vh;
	const char *sql = full ? "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;"
	                         " PRAGMA wal_checkpoint(TRUNCATE)"
	                       : "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(PASSIVE)";

	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return failed(h, full ? "compacting (VACUUM)" : "compacting (incremental_vacuum)");
	return GW_STORE_OK;
}

const struct gw_store_backend gw_store_sqlite = {
        .name = "sqlite",
        .open = sq_open,
        .close = sq_close,
        .write_begin = sq_write_begin,
        .find_repeat = sq_find_repeat,
        .insert_message = sq_insert_message,
        .insert_delivery = sq_insert_delivery,
        .write_commit = sq_write_commit,
        .fail = sq_fail,
        .audit_last = sq_audit_last,
        .audit_insert = sq_audit_insert,
        .begin = sq_begin,
        .commit = sq_commit,
        .probe = sq_probe,
        .ledger_get = sq_ledger_get,
        .ledger_put = sq_ledger_put,
        .ledger_del = sq_ledger_del,
        .ledger_scan = sq_ledger_scan,
        .ledger_clear = sq_ledger_clear,
        .messages = sq_messages,
        .inbox = sq_inbox,
        .get = sq_get,
        .original = sq_original,
        .life = sq_life,
        .browse = sq_browse,
        .body = sq_body,
        .find_heen = sq_find_heen,
        .requeue = sq_requeue,
        .queues = sq_queues,
        .rejected = sq_rejected,
        .acked = sq_acked,
        .mark_acked = sq_mark_acked,
        .due = sq_due,
        .update_delivery = sq_update_delivery,
        .insert_attempt = sq_insert_attempt,
        .ack_delivered = sq_ack_delivered,
        .abandon = sq_abandon,
        .audit = sq_audit,
        .rekey = sq_rekey,
        .audit_scan = sq_audit_scan,
        .dump = sq_dump,
        .load = sq_load,
        .snapshot = sq_snapshot,
        .rollback = sq_rollback,
        .claim = sq_claim,
        .purge = sq_purge,
        .compact = sq_compact,
        .error = sq_error,
};
