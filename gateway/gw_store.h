/*
 * gw_store.h: the gateway's durable store.
 *
 * Messages, their deliveries and every attempt at one, and an audit log of
 * who did what with which certificate. The store sits behind a backend table
 * (struct gw_store_backend): SQLite (one file, one gateway) and PostgreSQL
 * (one database, any number of gateways) are built in; nothing outside the
 * backend sees its handle. A store handle is used by one thread at a time; threads
 * that need the store open a handle each.
 *
 * Durability: gw_store_put() returns only after its transaction is on disk
 * (fsync). Several messages are put in one transaction (group commit), so
 * that one fsync serves a burst.
 */
#ifndef GW_STORE_H
#define GW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gw_keyring.h"
#include "ijw_buf.h"
#include "ijw_doc.h"
#include "ijw_ledger.h"

typedef struct gw_store gw_store;

enum gw_store_rc {
	GW_STORE_OK = 0,
	GW_STORE_NOTFOUND, /* no such message for this party */
	GW_STORE_ERROR,    /* the backend failed; gw_store_error() says why */
	GW_STORE_GONE,     /* the message is there, but retention removed its bytes */
};

/* A message, as stored and as listed. */
struct gw_msg {
	int64_t id;
	char type[6];           /* "JW301" */
	char sender[9];         /* party code of the physical sender */
	char receiver[9];       /* party code it is addressed to */
	char identificatie[13]; /* BerichtIdentificatie, or IdentificatieRetour */
	int64_t answers;        /* the message this retour answers, 0 for none */
	int64_t received;       /* when it was stored, unix seconds */
	bool generated;         /* made by the gateway (an automatic retour) */
	bool translated;        /* the receiver gets a copy in its own product codes */
	unsigned char sha256[32];
	char advice[256]; /* what the gateway advised on it: "TR019 9019; TR418 0611", or "" */
	/* the key its bytes are sealed under at rest (gw_keyring.h), "" when they are plain */
	char body_key[GW_KEY_ID_SIZE];
};

/* One message to put, and what became of it. */
struct gw_put {
	/* in */
	struct gw_msg msg; /* id and received are filled in by the store */
	const void *body;
	size_t len;
	/* the receiver's copy, its product codes translated; NULL when it gets body */
	const void *translated;
	size_t translated_len;
	const char *cert;   /* SHA-256 fingerprint (hex) of the sender's certificate, or "" */
	const char *remote; /* the sender's address, for the audit log */
	const char *advice; /* the findings the region advises on, audited with it; or NULL */
	bool push;          /* deliver by push: make a delivery for the worker */
	bool imported;      /* history loaded by `ledger import`: never delivered */
	/*
	 * The parsed message, for the ledger and, for a retour, for the message
	 * it answers; NULL when it does neither.
	 */
	const ijw_doc *doc;
	/*
	 * Called inside the transaction, after the repeat check and before a new
	 * message is stored: judges items[i] against the ledger (gw_store_ledger
	 * on store) and may set its outcome to GW_PUT_REFUSED, or change the
	 * items that come after it. Non-zero when it fails. NULL for none.
	 */
	int (*judge)(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i);
	void *judge_ctx;
	/*
	 * An index into the same batch: put this one only when that one is put
	 * anew (an automatic retour goes with its heen message); -1 for none.
	 * Its msg.answers is set to that one's id. A retour with a doc and no
	 * answers gets the id of the heen message its header names
	 * (ijw_doc_answers), when the store has it: one its receiver sent to its
	 * sender.
	 */
	int after;
	/* out */
	enum gw_put_outcome {
		GW_PUT_NEW,      /* stored; msg.id is its id */
		GW_PUT_SAME,     /* the same sender sent the same type, identification and
		                    bytes before: msg.id is that message's id */
		GW_PUT_CONFLICT, /* ... the same identification with other bytes (TR056):
		                    msg.id is the earlier message's id */
		GW_PUT_SKIPPED,  /* its `after` was not put anew */
		GW_PUT_REFUSED,  /* its judge refused it: not stored */
	} outcome;
};

/* A delivery that is due: a push to make. */
struct gw_due {
	int64_t delivery;
	int64_t message;
	char receiver[9];
	unsigned attempts;     /* made so far */
	int64_t created;       /* when the message was stored */
	int64_t first_attempt; /* when the first of those was made, 0 before it */
};

/* A message's bytes as a backend stores them: its body and its receiver's copy. */
struct gw_stored {
	int64_t id;
	const void *body;
	size_t len;
	const void *translated; /* NULL for none */
	size_t translated_len;
	char key[GW_KEY_ID_SIZE]; /* the key they are sealed under, "" when plain */
};

/*
 * What a backend calls to write a message's bytes: rewrites row (its bytes
 * as stored under row->key) as they are to be stored, sealed under the
 * store's current key, or left as they are when it has none. The bytes it
 * points row at stay valid until the next call. Non-zero when it fails.
 */
typedef int (*gw_store_seal_fn)(void *ctx, struct gw_stored *row);

/* The texts of an audit entry, in the order they are hashed. */
enum gw_audit_text {
	GW_AUDIT_PARTY,
	GW_AUDIT_CERT,
	GW_AUDIT_REMOTE,
	GW_AUDIT_ACTION,
	GW_AUDIT_DETAIL,
	GW_AUDIT_TEXTS
};

#define GW_AUDIT_HASH 32

/*
 * An audit entry. Each is chained to the one before it: its hash is the
 * SHA-256 of the hash before it (all zero for entry 1) and its own fields
 * (gw_audit_hash), written in the transaction that writes the entry.
 */
struct gw_audit {
	int64_t id;
	int64_t at;
	int64_t message;                   /* 0 for none */
	const char *text[GW_AUDIT_TEXTS];  /* NULL for none */
	size_t len[GW_AUDIT_TEXTS];        /* their lengths in bytes */
	unsigned char hash[GW_AUDIT_HASH]; /* as stored */
};

/*
 * The hash of e after the entry whose hash is prev, into out (which may be
 * prev): SHA-256 over prev; id and at, 8 bytes each, big-endian; message
 * as a byte 0 for none, or 1 and its 8 bytes; then each text in the order
 * of enum gw_audit_text as a byte 0 for none, or 1, its length in 8 bytes
 * and its bytes. Every field has its place and length, so no two entries
 * encode alike.
 */
void gw_audit_hash(const unsigned char prev[GW_AUDIT_HASH], const struct gw_audit *e,
                   unsigned char out[GW_AUDIT_HASH]);

/*
 * The store's tables, as `store copy` moves them from one backend to
 * another: every row as it is stored (message bytes still sealed, ledger
 * keys still keyed), so that a copy needs no key and keeps every id.
 */
enum gw_table {
	GW_TABLE_MESSAGES,   /* id, type, sender, receiver, identificatie, answers, received,
	                        generated, sha256, body, translated, acked, advice, body_key, purged
	                      */
	GW_TABLE_DELIVERIES, /* id, message, receiver, state, attempts, next_attempt, delivered,
	                        created */
	GW_TABLE_ATTEMPTS,   /* id, delivery, at, http_status, error, delivered */
	GW_TABLE_AUDIT,      /* id, at, party, cert, remote, action, message, detail, hash */
	GW_TABLE_LEDGER,     /* k, v, message */
	GW_TABLES
};

/* One value of a row: NULL, an integer (booleans are 0 or 1), a text or bytes. */
struct gw_cell {
	enum gw_cell_kind { GW_CELL_NULL, GW_CELL_INT, GW_CELL_TEXT, GW_CELL_BLOB } kind;
	int64_t i;
	const void *p; /* TEXT and BLOB: len bytes (a TEXT has no NUL in them) */
	size_t len;
};

#define GW_ROW_MAX 16

/* A row of a table, its cells in the order enum gw_table lists them. */
struct gw_row {
	size_t n;
	struct gw_cell cell[GW_ROW_MAX];
};

struct gw_life;
struct gw_state;
struct gw_queue;
struct gw_filter_sql;

/*
 * A backend: each function works on the backend's own handle h and is
 * called through the gw_store_* functions below, which say what it does.
 */
struct gw_store_backend {
	const char *name;
	void *(*open)(const char *path, char *err, size_t errlen);
	void (*close)(void *h);
	/*
	 * The steps of a put, an ack and an attempt, which gw_store_put(),
	 * gw_store_ack() and gw_store_attempt() take in order. Each returns 0,
	 * or -1 with the reason kept for fail(), which ends the transaction.
	 */
	/* begins a writing transaction */
	int (*write_begin)(void *h);
	/* the earlier message with p's identity: *found, and p's id and outcome (SAME, CONFLICT) */
	int (*find_repeat)(void *h, struct gw_put *p, bool *found);
	/*
	 * Stores p as a new message: takes its id in the transaction, passes its
	 * bytes through seal and fills in p's id, body_key, received and outcome
	 * (NEW); -2 when it failed and has ended the transaction with the reason.
	 */
	int (*insert_message)(void *h, struct gw_put *p, int64_t now, gw_store_seal_fn seal,
	                      void *ctx);
	/* a delivery of stored message p to its receiver */
	int (*insert_delivery)(void *h, const struct gw_put *p, int64_t now);
	/*
	 * Whether message id addressed to party is there (*found) and acked
	 * already (*again); -2 when it failed and has ended the transaction.
	 */
	int (*acked)(void *h, int64_t id, const char *party, bool *found, bool *again);
	/* marks message id acked at now */
	int (*mark_acked)(void *h, int64_t id, int64_t now);
	/*
	 * Counts an attempt at pending delivery: its next attempt, its state and,
	 * when delivered, when; *none when no pending delivery has that id.
	 */
	int (*update_delivery)(void *h, int64_t delivery, int64_t next, const char *state,
	                       bool delivered, int64_t now, bool *none);
	/* records an attempt at delivery: its HTTP status, error text (or NULL), outcome */
	int (*insert_attempt)(void *h, int64_t delivery, int64_t now, int http_status,
	                      const char *error, bool delivered);
	/* marks the message of delivery acked at now, when it is not yet */
	int (*ack_delivered)(void *h, int64_t delivery, int64_t now);
	/*
	 * The id of the message sender sent to receiver with type and
	 * identificatie (not one the gateway made) into *id, 0 when there is
	 * none: the heen message a retour answers.
	 */
	int (*find_heen)(void *h, const char *sender, const char *receiver, const char *type,
	                 const char *identificatie, int64_t *id);
	/*
	 * Retention's step: removes the bytes (body and receiver's copy) of at
	 * most limit messages received before `before` that are acknowledged
	 * or delivered, still have them and have no push pending, oldest
	 * first, and marks them purged at now; *n how many.
	 */
	int (*purge)(void *h, int64_t before, int64_t now, size_t limit, size_t *n);
	/*
	 * Makes the given-up push of message id pending again, due at now;
	 * *none when the message has no given-up push.
	 */
	int (*requeue)(void *h, int64_t id, int64_t now, bool *none);
	/* commits a writing transaction */
	int (*write_commit)(void *h);
	/* ends the transaction, if one is open, keeping the reason set */
	void (*abandon)(void *h);
	/* ends the transaction, if one is open, with the reason "what: why" */
	enum gw_store_rc (*fail)(void *h, const char *what);
	/*
	 * The audit log's last entry, within the caller's transaction: its id
	 * and hash into *id and hash (0 and all zero when there is none).
	 */
	int (*audit_last)(void *h, int64_t *id, unsigned char hash[GW_AUDIT_HASH]);
	/* inserts entry e (its id and hash set) within the caller's transaction */
	int (*audit_insert)(void *h, const struct gw_audit *e);
	enum gw_store_rc (*begin)(void *h);
	enum gw_store_rc (*commit)(void *h);
	enum gw_store_rc (*probe)(void *h);
	/* the ledger's keys and values, as struct ijw_ledger_ops says */
	int (*ledger_get)(void *h, const char *key, struct ijw_buf *out);
	int (*ledger_put)(void *h, const char *key, const char *value, int64_t msg);
	int (*ledger_del)(void *h, const char *key);
	int (*ledger_scan)(void *h, const char *prefix,
	                   int (*each)(void *ctx, const char *key, const char *value), void *ctx);
	enum gw_store_rc (*ledger_clear)(void *h);
	enum gw_store_rc (*messages)(void *h,
	                             int (*each)(void *ctx, const struct gw_msg *m,
	                                         const void *body, size_t len),
	                             void *ctx);
	enum gw_store_rc (*inbox)(void *h, const char *party, size_t limit,
	                          void (*each)(void *ctx, const struct gw_msg *m), void *ctx);
	enum gw_store_rc (*get)(void *h, int64_t id, const char *party, struct gw_msg *m,
	                        struct ijw_buf *body);
	enum gw_store_rc (*original)(void *h, const char *sender, const char *type,
	                             const char *identificatie, struct gw_msg *m,
	                             struct ijw_buf *body);
	/* out's msg, state, attempts and answers (malloc'd), as gw_store_life says */
	enum gw_store_rc (*life)(void *h, int64_t id, const char *party, struct gw_life *out);
	/* the messages that where selects (gw_store_filter_sql), newest first, with their state */
	enum gw_store_rc (*browse)(void *h, const struct gw_filter_sql *where,
	                           void (*each)(void *ctx, const struct gw_msg *m,
	                                        const struct gw_state *st),
	                           void *ctx);
	/* message id and its bytes as stored: as sent, or the receiver's copy (translated) */
	enum gw_store_rc (*body)(void *h, int64_t id, bool translated, struct gw_msg *m,
	                         struct ijw_buf *body);
	enum gw_store_rc (*queues)(void *h, void (*each)(void *ctx, const struct gw_queue *q),
	                           void *ctx);
	/*
	 * The audit entries of action "rejected" from (inclusive) to
	 * (exclusive): how many of each detail (NULL as "") per day (its start,
	 * unix seconds UTC), by day, then detail.
	 */
	enum gw_store_rc (*rejected)(void *h, int64_t from, int64_t to,
	                             void (*each)(void *ctx, int64_t day, const char *detail,
	                                          size_t n),
	                             void *ctx);
	/*
	 * Lists what is due; a backend shared by several instances leases what it
	 * lists to instance until now + lease, and lists nothing under another
	 * instance's lease that has not run out. update_delivery() ends the lease.
	 */
	enum gw_store_rc (*due)(void *h, int64_t now, int64_t lease, const char *instance,
	                        size_t limit, size_t per_receiver,
	                        void (*each)(void *ctx, const struct gw_due *d), void *ctx);
	enum gw_store_rc (*audit)(void *h, int64_t now, const char *party, const char *cert,
	                          const char *remote, const char *action, int64_t message,
	                          const char *detail);
	/*
	 * One transaction: the messages after id *after whose bytes are not
	 * under key (their key differs, or they are plain), at most limit,
	 * each passed through seal and written back. *after becomes the last
	 * id passed, *n how many were.
	 */
	enum gw_store_rc (*rekey)(void *h, const char *key, int64_t *after, size_t limit,
	                          gw_store_seal_fn seal, void *ctx, size_t *n);
	/* calls each for the audit entries in the order of their ids, until it returns non-zero */
	enum gw_store_rc (*audit_scan)(void *h, int (*each)(void *ctx, const struct gw_audit *e),
	                               void *ctx);
	/*
	 * Calls each for every row of table t, in the order of its ids (the
	 * ledger: of its keys, bytewise), until each returns non-zero; the
	 * row's pointers are valid during the call only.
	 */
	enum gw_store_rc (*dump)(void *h, enum gw_table t,
	                         int (*each)(void *ctx, const struct gw_row *r), void *ctx);
	/*
	 * Inserts row r into table t as it is, in the caller's transaction
	 * (begin, commit); when it fails, the transaction is rolled back.
	 */
	enum gw_store_rc (*load)(void *h, enum gw_table t, const struct gw_row *r);
	/*
	 * Begins a transaction that writes nothing and in which every read sees
	 * the store as it was at its start, whatever others write meanwhile
	 * (SQLite: a read transaction in WAL; PostgreSQL: REPEATABLE READ, READ
	 * ONLY), and takes no lock that holds a writer up; rollback ends it.
	 */
	enum gw_store_rc (*snapshot)(void *h);
	/* Ends the transaction of begin or snapshot, undoing what it wrote. */
	enum gw_store_rc (*rollback)(void *h);
	/*
	 * Takes a lock on the store at path that holds while the descriptor
	 * *fd stays open, so that one process at a time serves it; -1 with the
	 * reason (and the pid of the holder, when known) in err when another
	 * open descriptor holds it. *fd is -1 when there is nothing to hold (a
	 * store in memory). NULL for a backend that several gateways share.
	 */
	int (*claim)(const char *path, int *fd, char *err, size_t errlen);
	/*
	 * Gives the space that removed bytes leave back (compact): SQLite
	 * returns its free pages to the file system (incremental_vacuum, which
	 * a file made before auto_vacuum was set to incremental ignores);
	 * PostgreSQL's autovacuum does it by itself. full: SQLite sets
	 * auto_vacuum to incremental and rebuilds the whole file (VACUUM, which
	 * wants the file to itself); PostgreSQL runs VACUUM.
	 */
	enum gw_store_rc (*compact)(void *h, bool full);
	const char *(*error)(const void *h);
};

/* The SQLite backend (gw_store_sqlite.c). */
extern const struct gw_store_backend gw_store_sqlite;
/* The PostgreSQL backend (gw_store_pg.c). */
extern const struct gw_store_backend gw_store_pg;

/*
 * Opens the store named by spec: a file path for SQLite ("sqlite:" may
 * prefix it), relative paths taken from base_dir; or a PostgreSQL URL,
 * postgresql://user:password@host:port/database (or postgres://). Creates
 * and migrates the schema. NULL on failure, with the reason in err, which
 * never repeats a URL's password.
 */
gw_store *gw_store_open(const char *spec, const char *base_dir, char *err, size_t errlen);
/*
 * As gw_store_open, but a SQLite file that is not there is refused ("no
 * such store") instead of made: for a store that is to be read.
 */
gw_store *gw_store_open_existing(const char *spec, const char *base_dir, char *err, size_t errlen);
/*
 * spec as it may be shown to people, into out (size bytes), which it
 * returns: the password of a URL (user:PASSWORD@, password=...) as "***".
 */
const char *gw_store_spec_shown(const char *spec, char *out, size_t size);
void gw_store_close(gw_store *s);
/*
 * Opens the store's file anew and, when that works, closes the old handle:
 * a handle that cannot write (the file was read-only when it was opened)
 * writes again once the file can be written; a broken connection to a
 * database (a restart, a failover) is made anew. The ledger key and the product
 * table stay. -1 with the reason in err, s left as it was.
 */
int gw_store_reopen(gw_store *s, char *err, size_t errlen);
/*
 * Commits a small real write, one that leaves the data as it was: whether
 * the store can be written now, durably.
 */
enum gw_store_rc gw_store_probe(gw_store *s);
/* The store's file, as opened; a URL as gw_store_spec_shown() shows it. */
const char *gw_store_path(const gw_store *s);
/* The backend's name: "sqlite" or "postgresql". */
const char *gw_store_kind(const gw_store *s);
/*
 * The name of the gateway instance s works for (copied), which holds the
 * leases on the deliveries it lists (gw_store_due); by default the host's
 * name.
 */
void gw_store_set_instance(gw_store *s, const char *name);
/*
 * Claims the store for this process while s is open (a reopen keeps the
 * claim): a second claim of the same SQLite store, by this process or
 * another, fails with the reason and the pid of the holder in err. The
 * gateway claims its store, so that two never serve one file; commands that
 * work on a live store do not. A store several gateways share (PostgreSQL)
 * needs no claim.
 */
enum gw_store_rc gw_store_claim(gw_store *s, char *err, size_t errlen);

/*
 * Puts n messages in one durable transaction, in order: new ones are stored
 * with a delivery to their receiver and an audit entry (and one of their
 * advice), a retour linked to the message it answers (gw_put's after and
 * doc); repeats are found by (sender, type, identificatie) and left
 * alone. A new message with a doc is judged by its judge, if it has one,
 * and then written into the ledger (when the store has a ledger key), in the
 * same transaction. The whole batch is stored or none of it.
 */
enum gw_store_rc gw_store_put(gw_store *s, struct gw_put *items, size_t n, int64_t now);

/* Calls each for the unacknowledged messages addressed to party, oldest first. */
enum gw_store_rc gw_store_inbox(gw_store *s, const char *party, size_t limit,
                                void (*each)(void *ctx, const struct gw_msg *m), void *ctx);

/*
 * The message id addressed to party, its bytes appended to body: the
 * receiver's copy, translated into its product codes when it was.
 * GW_STORE_GONE, with m filled in, when retention removed its bytes.
 */
enum gw_store_rc gw_store_get(gw_store *s, int64_t id, const char *party, struct gw_msg *m,
                              struct ijw_buf *body);

/*
 * The message sender sent with type and identificatie (not one the gateway
 * made), its bytes as the sender sent them appended to body.
 */
enum gw_store_rc gw_store_original(gw_store *s, const char *sender, const char *type,
                                   const char *identificatie, struct gw_msg *m,
                                   struct ijw_buf *body);

/* What became of a message: its state as its sender, its receiver or an operator sees it. */
struct gw_state {
	int64_t acked;        /* when its receiver acknowledged it (or a push delivered it), 0 */
	int64_t purged;       /* when retention removed its bytes, 0 while it has them */
	char delivery[10];    /* its push: "pending", "delivered", "given_up", or "" for none */
	int64_t delivery_id;  /* that delivery's id, 0 for none */
	unsigned attempts;    /* push attempts made */
	int64_t next_attempt; /* when the next is due (pending), 0 */
	int64_t delivered;    /* when a push delivered it, 0 */
	int64_t answered_by;  /* the first retour that answers it, 0 for none */
};

/* One attempt at pushing a message. */
struct gw_attempt {
	int64_t at;
	int http_status; /* 0 when no answer came */
	char error[200]; /* why it failed, "" */
	bool delivered;
};

/* A message's whole life, for its status and the operators' console. */
struct gw_life {
	struct gw_msg msg;
	struct gw_state state;
	struct gw_attempt *attempts; /* in the order made */
	size_t n_attempts;
	struct gw_msg *answers; /* the retours that answer it, in the order stored */
	size_t n_answers;
};

/*
 * The life of message id: when party is not NULL, only of a message party
 * may see (else GW_STORE_NOTFOUND, as for one that is not there): one
 * addressed to it, or one it sent, except a retour the gateway made in its
 * name for a message it never accepted (a rejected one, which its receiver
 * never got: that retour and the client data it echoes are the sender's
 * only). NULL is an operator, who sees every message. Free with
 * gw_life_free().
 */
enum gw_store_rc gw_store_life(gw_store *s, int64_t id, const char *party, struct gw_life *out);
void gw_life_free(struct gw_life *l);

/* Which messages gw_store_browse() lists: every field that is set must hold. */
struct gw_filter {
	const char *party;      /* sent or received by this party, or NULL */
	const char *visible_to; /* only what this party may see, as gw_store_life() says, or NULL */
	const char *sender;     /* sent by, or NULL */
	const char *receiver;   /* addressed to, or NULL */
	const char *type;       /* "JW301", or NULL */
	enum gw_filter_status {
		GW_FILTER_ANY,
		GW_FILTER_UNACKED,   /* not acknowledged nor delivered */
		GW_FILTER_ACKED,     /* acknowledged or delivered */
		GW_FILTER_PENDING,   /* a push not yet delivered nor given up */
		GW_FILTER_GIVEN_UP,  /* a push given up */
		GW_FILTER_ANSWERED,  /* a retour answers it */
		GW_FILTER_GENERATED, /* made by the gateway (its automatic retours) */
	} status;
	int64_t from, to; /* received from (inclusive) to (exclusive), unix seconds; 0: open */
	int64_t before;   /* ids below this one only (a next page), 0: from the newest */
	size_t limit;     /* at most, newest first */
};

/*
 * Calls each for the messages f selects, newest first, with their state; a
 * limit of 0 is no limit. GW_STORE_ERROR, saying why, for a status that is
 * not one of enum gw_filter_status.
 */
enum gw_store_rc gw_store_browse(gw_store *s, const struct gw_filter *f,
                                 void (*each)(void *ctx, const struct gw_msg *m,
                                              const struct gw_state *st),
                                 void *ctx);

/*
 * The message id with its bytes appended to body, for an operator: as its
 * sender sent them (translated false) or the receiver's copy (true, which
 * is the same bytes when it was not translated). GW_STORE_GONE, with m
 * filled in, when retention removed its bytes.
 */
enum gw_store_rc gw_store_body(gw_store *s, int64_t id, bool translated, struct gw_msg *m,
                               struct ijw_buf *body);

/*
 * Makes the given-up push of message id pending again, due at now with its
 * attempts kept; GW_STORE_NOTFOUND when the message has no given-up push.
 * Audited as "redelivered" by party (the operator) with cert and remote.
 */
enum gw_store_rc gw_store_redeliver(gw_store *s, int64_t id, int64_t now, const char *party,
                                    const char *cert, const char *remote);

/* One party's queue, for the gauges of /metrics and the console. */
struct gw_queue {
	char party[9];
	size_t unacked;  /* messages addressed to it, not acknowledged nor delivered */
	int64_t oldest;  /* when the oldest of those was received, 0 for none */
	size_t due;      /* its pushes pending */
	size_t given_up; /* its pushes given up */
};

/* Calls each for every party that has messages addressed to it, by party code. */
enum gw_store_rc gw_store_queues(gw_store *s, void (*each)(void *ctx, const struct gw_queue *q),
                                 void *ctx);

/* Rejections per rule per day, from the audit log (action "rejected"). */
struct gw_rejections {
	int64_t day; /* the day's start, unix seconds UTC */
	char rule[16];
	size_t n;
};

/* Calls each for the rejections from (inclusive) to (exclusive), by day, then rule. */
enum gw_store_rc gw_store_rejections(gw_store *s, int64_t from, int64_t to,
                                     void (*each)(void *ctx, const struct gw_rejections *r),
                                     void *ctx);

/*
 * Retention, one transaction: removes the bytes of at most limit messages
 * received before `before` that are acknowledged or delivered and have no
 * push still to make (their metadata, the audit log and the ledger stay),
 * marks them purged at now and audits it ("retention", how many); *n counts
 * them. A pass calls it until *n is below limit, so that no transaction
 * holds a put up for long, and then gw_store_compact(s, false).
 * gw_store_get() answers GW_STORE_GONE for such a message.
 */
enum gw_store_rc gw_store_retain(gw_store *s, int64_t before, int64_t now, size_t limit, size_t *n);
/*
 * Gives the space of removed bytes back (the backend's compact): full
 * rebuilds a SQLite file, which needs it to itself (no gateway serving it).
 */
enum gw_store_rc gw_store_compact(gw_store *s, bool full);

/*
 * For backends: the SQL that reads a message with its state (m the message,
 * d its push), its columns those of a struct gw_msg as the backends read
 * them (id, type, sender, receiver, identificatie, answers, received,
 * generated, sha256, whether translated, advice, body_key), then of its
 * struct gw_state: acked, purged, the push's state, id, attempts,
 * next_attempt and delivered, and the first retour that answers it.
 */
#define GW_STATE_SELECT                                                                            \
	"SELECT m.id, m.type, m.sender, m.receiver, m.identificatie, m.answers, m.received,"       \
	" m.generated, m.sha256, m.translated IS NOT NULL, m.advice, m.body_key, m.acked,"         \
	" m.purged, d.state, d.id, d.attempts, d.next_attempt, d.delivered,"                       \
	" (SELECT min(a.id) FROM messages a WHERE a.answers = m.id)"                               \
	" FROM messages m LEFT JOIN deliveries d"                                                  \
	" ON d.id = (SELECT max(id) FROM deliveries WHERE message = m.id)"

/*
 * For backends: the condition that party p may see message m (SQL names
 * of the message's table and of the party's value), as gw_store_life()
 * says.
 */
#define GW_VISIBLE(m, p)                                                                           \
	"(" m ".receiver = " p " OR (" m ".sender = " p " AND (" m ".generated = 0 OR " m          \
	".answers IS NOT NULL)))"

/*
 * For backends: the conditions of filter f as SQL, to follow GW_STATE_SELECT
 * " WHERE ", with its order and limit: sql, and the values of its
 * parameters, numbered from 1 and written with mark before the number
 * ('?' for SQLite, '$' for PostgreSQL). A value is a text, or when text is
 * NULL the integer i. -1 with the reason in err when f is not one to run.
 */
#define GW_FILTER_ARGS 8
struct gw_filter_sql {
	char sql[1024];
	size_t n;
	struct {
		const char *text;
		int64_t i;
	} arg[GW_FILTER_ARGS];
};
int gw_store_filter_sql(const struct gw_filter *f, char mark, struct gw_filter_sql *out, char *err,
                        size_t errlen);

/* Marks message id, addressed to party, as processed; again is no error. */
enum gw_store_rc gw_store_ack(gw_store *s, int64_t id, const char *party, int64_t now);

/*
 * Calls each for the push deliveries due at now (not delivered, not given
 * up), the longest due first: at most limit, and at most per_receiver of
 * any one receiver, so that one receiver's backlog never hides another's.
 * On a store shared by several instances (PostgreSQL) each is leased to
 * this instance for lease seconds, in which no other instance lists it;
 * one under another instance's lease is not listed, and counts among its
 * receiver's per_receiver. gw_store_attempt() ends the lease; an instance
 * that dies leaves its leases to run out.
 */
enum gw_store_rc gw_store_due(gw_store *s, int64_t now, int64_t lease, size_t limit,
                              size_t per_receiver, void (*each)(void *ctx, const struct gw_due *d),
                              void *ctx);

/*
 * Records an attempt at a delivery: the HTTP status (0 when none came), an
 * error text or NULL, whether it delivered, when to try next, and whether
 * the gateway gives up on it.
 */
enum gw_store_rc gw_store_attempt(gw_store *s, int64_t delivery, int64_t now, int http_status,
                                  const char *error, bool delivered, int64_t next, bool given_up);

/*
 * Adds an audit entry, chained to the one before it; message 0 for none.
 * In a transaction of its own, or of the caller's.
 */
enum gw_store_rc gw_store_audit(gw_store *s, int64_t now, const char *party, const char *cert,
                                const char *remote, const char *action, int64_t message,
                                const char *detail);

/*
 * Walks the audit log's chain from entry 1: *n entries, and *bad the id of
 * the first entry that is changed or missing (one removed), with why;
 * *bad is 0 when the chain is intact. The last entry's hash goes into head.
 */
enum gw_store_rc gw_store_audit_verify(gw_store *s, size_t *n, int64_t *bad, char *why,
                                       size_t whylen, unsigned char head[GW_AUDIT_HASH]);

/*
 * Message bodies at rest: with a keyring (shared, not owned: it must outlive
 * s) that has a key, new bodies and their receivers' copies are sealed
 * under its current key, bound to their message id and to which of the two
 * they are; without, they are stored plain. Reading opens them with the key
 * they name; a plain one stored before is read as it is.
 */
void gw_store_set_keyring(gw_store *s, gw_keyring *k);
/*
 * Seals again, under the keyring's current key, the bytes of every message
 * that is not under it (plain ones too), batch messages per transaction;
 * *n counts them. Fails when the keyring has no key.
 */
enum gw_store_rc gw_store_rekey(gw_store *s, size_t batch, size_t *n);

/*
 * The ledger's client keys are HMAC-SHA256 of the BSN under key (len bytes,
 * copied), cut to 128 bits. Without a key the store keeps no ledger.
 */
int gw_store_set_ledger_key(gw_store *s, const void *key, size_t len);
/* The key from a file of 64 hex digits (pki init writes one); -1 with the reason in err. */
int gw_store_load_ledger_key(gw_store *s, const char *path, char *err, size_t errlen);
/* Whether the store keeps a ledger. */
bool gw_store_has_ledger(const gw_store *s);
/*
 * The ledger in the store, for ijw_ledger.h, valid as long as s. The region's
 * product table for the ledger's policy, or NULL; owned by the caller.
 */
void gw_store_ledger(gw_store *s, struct ijw_ledger *out);
void gw_store_set_products(gw_store *s, const ijw_products *p);
/*
 * Calls each for every stored message in the order stored, with its bytes as
 * its sender sent them, until each returns non-zero (a negative value makes
 * the call fail).
 */
enum gw_store_rc gw_store_messages(gw_store *s,
                                   int (*each)(void *ctx, const struct gw_msg *m, const void *body,
                                               size_t len),
                                   void *ctx);
/*
 * Writes the ledger anew from the stored messages, in their order, under
 * the store's key (within the caller's transaction); into s itself, or into
 * to (a store in memory, for comparing) when to is not NULL. *n counts the
 * messages applied.
 */
enum gw_store_rc gw_store_replay(gw_store *s, gw_store *to, size_t *n);
/*
 * Compares the ledgers of a and b: the number of entries of a in *n, and
 * up to max differences written to out, one line each; the number of
 * differences in *diff.
 */
enum gw_store_rc gw_store_ledger_compare(gw_store *a, gw_store *b, size_t *n, size_t *diff,
                                         struct ijw_buf *out, size_t max);
/* A transaction of the caller's, for many ledger writes at once. */
enum gw_store_rc gw_store_begin(gw_store *s);
enum gw_store_rc gw_store_commit(gw_store *s);
/*
 * A transaction that only reads and sees the store as it was at its start,
 * whatever others write meanwhile, without holding a writer up (a report
 * over the whole ledger); gw_store_rollback() ends it.
 */
enum gw_store_rc gw_store_snapshot(gw_store *s);
enum gw_store_rc gw_store_rollback(gw_store *s);

/* The name of table t: "messages", "deliveries", "attempts", "audit", "ledger". */
const char *gw_store_table_name(enum gw_table t);

/* What gw_store_copy() found, table by table (enum gw_table). */
struct gw_copy_report {
	size_t rows[GW_TABLES];              /* rows copied */
	unsigned char sha256[GW_TABLES][32]; /* over the source's rows, as said below */
	size_t audit;                        /* entries of the copy's audit chain, intact */
	enum gw_table differs;               /* the table the check failed on, or GW_TABLES */
};

/*
 * Copies every row of every table of from into to, as stored (gw_table):
 * message bytes stay sealed and ledger keys keyed, so neither store needs
 * a key, and to reads the bodies with the store_key that from reads them
 * with. to must hold no row (else it is refused, naming the first table
 * that has one). from is never written: it is read in one snapshot, so a
 * copy of a live store is the store at one moment. to is written in one
 * transaction, table by table in the order of their foreign keys, and
 * read back: each table's count of rows and SHA-256 must be those of from,
 * and its audit chain must be intact (gw_store_audit_verify).
 *
 * The SHA-256 of a table is over its rows in dump order, each as its
 * number of cells (8 bytes, big-endian), then each cell as a byte of its
 * kind (enum gw_cell_kind) and, for an integer its 8 bytes, for a text or
 * bytes their length in 8 bytes and the bytes: no two rows encode alike.
 *
 * GW_STORE_OK, or GW_STORE_ERROR with the reason in gw_store_error(to)
 * and, when the check failed, r->differs the table it failed on.
 */
enum gw_store_rc gw_store_copy(gw_store *from, gw_store *to, struct gw_copy_report *r);

/* Why the last call failed. */
const char *gw_store_error(const gw_store *s);

/*
 * For backends: appends an audit entry chained to the last one (be's
 * audit_last, gw_audit_hash, be's audit_insert) within the caller's
 * transaction on h; party_len is the length of party, or -1 when it ends in
 * NUL. 0, or -1 when a step failed.
 */
int gw_store_chain_audit(const struct gw_store_backend *be, void *h, int64_t at, const char *party,
                         int party_len, const char *cert, const char *remote, const char *action,
                         int64_t message, const char *detail);

/* For backends: the message fmt into err (errlen bytes), when there is room for one. */
void gw_store_say(char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
