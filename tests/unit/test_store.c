/*
 * test_store.c: the gateway's store, each case in a fresh folder and on a
 * fresh store: an SQLite file, and, when IJW_TEST_PG names a PostgreSQL
 * server (tests/with-pg), a database made on it for the case. With the
 * argument "postgresql" only the cases on PostgreSQL run.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "gw_store.h"
#include "ijw_retour.h"
#include "tu.h"

/* The server's URL (IJW_TEST_PG) while the cases run on PostgreSQL, else NULL. */
static const char *pg;

/* SQL of SQLite, or of PostgreSQL where it differs. */
#define DIALECT(sqlite, postgresql) (pg ? (postgresql) : (sqlite))

struct fx {
	char dir[256];
	char path[300]; /* the store's spec: a file, or a database's URL */
};

/* The databases made for the case, dropped at its end. */
static char made[8][64];
static size_t nmade;

/* Runs sql on the database at url: its result, or a failed test. */
static PGresult *
pg_run(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s: %s", url, PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQfinish(c);
	return r;
}

/* The URL of database name on the server. */
static void
pg_url(const char *name, char *out, size_t size)
{
	const char *slash = strrchr(pg, '/');

	assert_non_null(slash);
	snprintf(out, size, "%.*s/%s", (int)(slash - pg), pg, name);
}

/* A store of its own for f, named name: a file in f's folder, or a database made now. */
static void
fresh(struct fx *f, const char *name)
{
	char sql[128];

	if (!pg) {
		snprintf(f->path, sizeof f->path, "%s/%s.db", f->dir, name);
		return;
	}
	assert_true(nmade < sizeof made / sizeof made[0]);
	snprintf(made[nmade], sizeof made[nmade], "ijw_test_%ld_%s_%zu", (long)getpid(), name,
	         nmade);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", made[nmade]);
	PQclear(pg_run(pg, sql));
	pg_url(made[nmade++], f->path, sizeof f->path);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct fx *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/test_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	fresh(f, "store");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;
	char sql[128];

	for (; nmade; nmade--) {
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", made[nmade - 1]);
		PQclear(pg_run(pg, sql));
	}

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static gw_store *
open_store(const struct fx *f)
{
	char err[512];
	gw_store *s = gw_store_open(f->path, NULL, err, sizeof err);

	if (!s)
		fail_msg("open %s: %s", f->path, err);
	return s;
}

static void
item(struct gw_put *p, const char *type, const char *sender, const char *receiver,
     const char *ident, const void *body, size_t len)
{
	memset(p, 0, sizeof *p);
	snprintf(p->msg.type, sizeof p->msg.type, "%s", type);
	snprintf(p->msg.sender, sizeof p->msg.sender, "%s", sender);
	snprintf(p->msg.receiver, sizeof p->msg.receiver, "%s", receiver);
	snprintf(p->msg.identificatie, sizeof p->msg.identificatie, "%s", ident);
	assert_int_equal(EVP_Digest(body, len, p->msg.sha256, NULL, EVP_sha256(), NULL), 1);
	p->body = body;
	p->len = len;
	p->cert = "5f3a9c";
	p->remote = "127.0.0.1";
	p->after = -1;
}

static void
put(gw_store *s, struct gw_put *items, size_t n, int64_t now)
{
	if (gw_store_put(s, items, n, now) != GW_STORE_OK)
		fail_msg("put: %s", gw_store_error(s));
}

/* Puts one message from 0384 to 42420001 and returns its id. */
static int64_t
put_one(gw_store *s, const char *ident, const char *body, bool push, int64_t now)
{
	struct gw_put p;

	item(&p, "JW301", "0384", "42420001", ident, body, strlen(body));
	p.push = push;
	put(s, &p, 1, now);
	assert_int_equal(p.outcome, GW_PUT_NEW);
	assert_true(p.msg.id > 0);
	return p.msg.id;
}

struct list {
	struct gw_msg m[64];
	size_t n;
};

static void
list_each(void *ctx, const struct gw_msg *m)
{
	struct list *l = ctx;

	assert_true(l->n < sizeof l->m / sizeof l->m[0]);
	l->m[l->n++] = *m;
}

static size_t
inbox(gw_store *s, const char *party, size_t limit, struct list *l)
{
	l->n = 0;
	if (gw_store_inbox(s, party, limit, list_each, l) != GW_STORE_OK)
		fail_msg("inbox: %s", gw_store_error(s));
	return l->n;
}

struct dues {
	struct gw_due d[64];
	size_t n;
};

static void
dues_each(void *ctx, const struct gw_due *d)
{
	struct dues *l = ctx;

	assert_true(l->n < sizeof l->d / sizeof l->d[0]);
	l->d[l->n++] = *d;
}

static size_t
due(gw_store *s, int64_t now, struct dues *l)
{
	l->n = 0;
	if (gw_store_due(s, now, 60, 64, 64, dues_each, l) != GW_STORE_OK)
		fail_msg("due: %s", gw_store_error(s));
	return l->n;
}

/* The one integer the query gives, read with SQLite or libpq itself. */
static long long
query(const struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v;

	if (pg) {
		PGresult *r = pg_run(f->path, sql);

		assert_int_equal(PQntuples(r), 1);
		v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return v;
	}
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Runs sql on the store with SQLite or libpq itself: 0, or a failed test. */
static void
exec_sql(const struct fx *f, const char *sql)
{
	sqlite3 *db;
	char *why = NULL;

	if (pg) {
		PQclear(pg_run(f->path, sql));
		return;
	}
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &why) != SQLITE_OK)
		fail_msg("%s: %s", sql, why);
	sqlite3_close(db);
}

static void
get_body(gw_store *s, int64_t id, const char *party, struct gw_msg *m, struct ijw_buf *b)
{
	if (gw_store_get(s, id, party, m, b) != GW_STORE_OK)
		fail_msg("get %lld: %s", (long long)id, gw_store_error(s));
}

static void
open_close_reopen(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct ijw_buf b;
	struct gw_msg m;
	struct list l;
	int64_t id;

	id = put_one(s, "1", "<Bericht/>", false, 1000);
	gw_store_close(s);
	s = open_store(f);
	assert_int_equal(inbox(s, "42420001", 10, &l), 1);
	assert_int_equal(l.m[0].id, id);
	assert_string_equal(l.m[0].type, "JW301");
	assert_string_equal(l.m[0].sender, "0384");
	assert_string_equal(l.m[0].receiver, "42420001");
	assert_string_equal(l.m[0].identificatie, "1");
	assert_int_equal(l.m[0].received, 1000);
	assert_false(l.m[0].generated);
	ijw_buf_init(&b, 1 << 20);
	get_body(s, id, "42420001", &m, &b);
	assert_string_equal(ijw_buf_str(&b), "<Bericht/>");
	assert_memory_equal(m.sha256, l.m[0].sha256, sizeof m.sha256);
	ijw_buf_free(&b);
	gw_store_close(s);
	gw_store_close(NULL);
}

static void
refused(const char *spec, const char *base_dir, const char *why)
{
	char err[512] = "";

	assert_null(gw_store_open(spec, base_dir, err, sizeof err));
	if (!strstr(err, why))
		fail_msg("%s: \"%s\" does not say \"%s\"", spec, err, why);
	/* a password in a connection string is not repeated */
	assert_null(strstr(err, "secret"));
}

static void
specs_and_file_mode(void **state)
{
	struct fx *f = *state;
	char err[512], path[400];
	struct stat st;
	struct list l;
	gw_store *s;
	int cwd;

	assert_non_null(s = gw_store_open("store.db", f->dir, err, sizeof err));
	put_one(s, "1", "<a/>", false, 1);
	gw_store_close(s);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_non_null(s = gw_store_open("sqlite:store.db", f->dir, err, sizeof err));
	assert_int_equal(inbox(s, "42420001", 10, &l), 1);
	gw_store_close(s);
	snprintf(path, sizeof path, "SQLite:%s", f->path);
	assert_non_null(s = gw_store_open(path, "/nonexistent", err, sizeof err));
	assert_int_equal(inbox(s, "42420001", 10, &l), 1);
	gw_store_close(s);

	/* a name that begins with "file:" is a file, not an SQLite URI */
	assert_true((cwd = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	assert_int_equal(chdir(f->dir), 0);
	s = gw_store_open("sqlite:file:x.db?mode=memory", NULL, err, sizeof err);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	if (!s)
		fail_msg("file:x.db: %s", err);
	gw_store_close(s);
	snprintf(path, sizeof path, "%s/file:x.db?mode=memory", f->dir);
	assert_int_equal(stat(path, &st), 0);

	/* nothing listens on port 1 */
	refused("postgresql://gw:secret@127.0.0.1:1/gw", NULL,
	        "PostgreSQL database gw on 127.0.0.1 port 1");
	refused("postgres://gw@127.0.0.1:1/gw?password=secret", NULL, "port 1");
	refused("postgresql://gw:secret@[::1/gw", NULL, "not one libpq can read");
	refused("redis:store", NULL,
	        "unknown store redis:...: a store is a file path, sqlite:PATH or postgresql://");
	refused("", NULL, "no store");
	refused("sqlite:", NULL, "no store");
	refused("store.db", "/nonexistent/folder", "/nonexistent/folder/store.db");
}

static void
migrations(void **state)
{
	struct fx *f = *state;
	char err[512] = "", wal[320];
	struct stat st;
	gw_store *s;
	sqlite3 *db;

	gw_store_close(open_store(f));
	assert_int_equal(query(f, "PRAGMA user_version"), 7);
	assert_int_equal(
	        query(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
	                 " name IN ('messages', 'deliveries', 'attempts', 'audit', 'ledger')"),
	        5);
	/* a store of version 1 is taken to version 7 */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "DROP INDEX messages_generated;"
	                              " ALTER TABLE messages DROP COLUMN translated;"
	                              " ALTER TABLE messages DROP COLUMN advice;"
	                              " ALTER TABLE messages DROP COLUMN body_key;"
	                              " ALTER TABLE audit DROP COLUMN hash;"
	                              " DROP INDEX messages_answers;"
	                              " DROP INDEX messages_sender;"
	                              " DROP INDEX messages_received;"
	                              " ALTER TABLE messages DROP COLUMN purged;"
	                              " DROP TABLE ledger;"
	                              " PRAGMA user_version = 1",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	/* opening migrates what is due, then nothing; an open store writes ahead to its log */
	s = open_store(f);
	assert_int_equal(query(f, "PRAGMA user_version"), 7);
	assert_int_equal(query(f, "SELECT count(*) FROM sqlite_master WHERE name = 'ledger'"), 1);
	assert_int_equal(query(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
	                          " name IN ('messages_answers', 'messages_sender',"
	                          " 'messages_received')"),
	                 3);
	assert_int_equal(query(f, "SELECT count(*) FROM pragma_table_info('messages') WHERE"
	                          " name = 'purged'"),
	                 1);
	assert_int_equal(query(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
	                          " name = 'messages_generated'"),
	                 1);
	assert_int_equal(query(f, "SELECT count(*) FROM pragma_table_info('messages') WHERE"
	                          " name = 'translated'"),
	                 1);
	gw_store_close(s);
	s = open_store(f);
	assert_int_equal(query(f, "PRAGMA user_version"), 7);
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(stat(wal, &st), 0);
	gw_store_close(s);

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 8", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(gw_store_open(f->path, NULL, err, sizeof err));
	assert_non_null(strstr(err, "schema version 8, newer than"));
}

static void
put_batch(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char a[] = "<JW301 id=A/>", b[] = "<JW301 id=B/>", ra[] = "<JW302 A/>",
	                  rb[] = "<JW302 B/>", other[] = "<JW301 id=A, other/>", c[] = "<C/>";
	struct gw_put p[6];
	struct list l;

	item(&p[0], "JW301", "0384", "42420001", "A", a, sizeof a);
	item(&p[1], "JW302", "42420001", "0384", "RA", ra, sizeof ra);
	p[1].msg.generated = true;
	p[1].after = 0;
	item(&p[2], "JW301", "0384", "42420001", "B", b, sizeof b);
	item(&p[3], "JW302", "42420001", "0384", "RB", rb, sizeof rb);
	p[3].msg.generated = true;
	p[3].after = 2;
	put(s, p, 4, 100);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(p[i].outcome, GW_PUT_NEW);
		assert_int_equal(p[i].msg.received, 100);
		if (i)
			assert_true(p[i].msg.id > p[i - 1].msg.id);
	}
	assert_int_equal(p[1].msg.answers, p[0].msg.id);
	assert_int_equal(p[3].msg.answers, p[2].msg.id);
	assert_int_equal(inbox(s, "0384", 10, &l), 2);
	assert_int_equal(l.m[0].answers, p[0].msg.id);
	assert_true(l.m[0].generated);
	assert_string_equal(l.m[1].identificatie, "RB");

	/* the same again, other bytes under a known identification, and a new one */
	int64_t ida = p[0].msg.id, idb = p[2].msg.id;

	item(&p[0], "JW301", "0384", "42420001", "A", a, sizeof a);
	item(&p[1], "JW302", "42420001", "0384", "RA", ra, sizeof ra);
	p[1].msg.generated = true;
	p[1].after = 0;
	item(&p[2], "JW301", "0384", "42420001", "B", other, sizeof other);
	item(&p[3], "JW302", "42420001", "0384", "RB2", rb, sizeof rb);
	p[3].msg.generated = true;
	p[3].after = 2;
	item(&p[4], "JW301", "0384", "42420001", "C", c, sizeof c);
	item(&p[5], "JW302", "42420001", "0384", "RC", rb, sizeof rb);
	p[5].msg.generated = true;
	p[5].after = 4;
	put(s, p, 6, 200);
	assert_int_equal(p[0].outcome, GW_PUT_SAME);
	assert_int_equal(p[0].msg.id, ida);
	assert_int_equal(p[1].outcome, GW_PUT_SKIPPED);
	assert_int_equal(p[2].outcome, GW_PUT_CONFLICT);
	assert_int_equal(p[2].msg.id, idb);
	assert_int_equal(p[3].outcome, GW_PUT_SKIPPED);
	assert_int_equal(p[4].outcome, GW_PUT_NEW);
	assert_true(p[4].msg.id > idb);
	assert_int_equal(p[5].outcome, GW_PUT_NEW);
	assert_int_equal(p[5].msg.answers, p[4].msg.id);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 6);

	/*
	 * The gateway's own retour again (a rejected message sent once more,
	 * answered on another day): the one it has, whatever its bytes.
	 */
	item(&p[0], "JW302", "42420001", "0384", "RA", rb, sizeof rb);
	p[0].msg.generated = true;
	put(s, p, 1, 250);
	assert_int_equal(p[0].outcome, GW_PUT_SAME);
	assert_int_equal(p[0].msg.id, l.m[0].id);
	assert_int_equal(query(f, "SELECT count(*) FROM messages WHERE identificatie = 'RA'"), 1);

	/* the same identification from another sender, or of another type, is new */
	item(&p[0], "JW301", "0385", "42420001", "A", a, sizeof a);
	item(&p[1], "JW305", "0384", "42420001", "A", a, sizeof a);
	put(s, p, 2, 300);
	assert_int_equal(p[0].outcome, GW_PUT_NEW);
	assert_int_equal(p[1].outcome, GW_PUT_NEW);
	gw_store_close(s);
}

static void
put_all_or_nothing(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char a[] = "<a/>", b[] = "<b/>";
	struct gw_put p[2];

	item(&p[0], "JW301", "0384", "42420001", "A", a, sizeof a);
	p[0].push = true;
	item(&p[1], "JW302", "42420001", "0384", "R", b, sizeof b);
	p[1].msg.answers = 999999; /* no such message */
	assert_int_equal(gw_store_put(s, p, 2, 100), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), DIALECT("FOREIGN KEY", "foreign key")));
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM deliveries"), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM audit"), 0);

	item(&p[1], "JW302", "42420001", "0384", "R", b, sizeof b);
	p[1].after = 1;
	assert_int_equal(gw_store_put(s, p, 2, 100), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), "not an earlier one"));
	p[1].after = 0;
	put(s, p, 2, 100);
	assert_int_equal(p[0].outcome, GW_PUT_NEW);
	assert_int_equal(p[1].outcome, GW_PUT_NEW);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 2);
	gw_store_close(s);
}

static int
failing_judge(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	(void)ctx, (void)store, (void)items, (void)n, (void)i;
	return -1;
}

static int
refusing_judge(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	(void)ctx, (void)store, (void)n;
	items[i].outcome = GW_PUT_REFUSED;
	return 0;
}

/* A message and its ledger entries are stored together or not at all; a refused one neither. */
static void
ledger_with_the_message(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const unsigned char key[32] = "a key for the test of the store";
	char path[1024], sql[128];
	size_t len, n = 0, diff = 0;
	char *body;
	ijw_findings *fs = ijw_findings_new();
	ijw_doc *doc = NULL;
	struct gw_put p[2];
	struct ijw_buf out;

	snprintf(path, sizeof path, "%s/samples/JW301-valid-1.xml", tu_source_dir());
	assert_non_null(body = tu_read(path, &len));
	assert_int_equal(ijw_doc_parse(body, len, NULL, &doc, fs), IJW_OK);
	assert_non_null(doc);
	assert_int_equal(gw_store_set_ledger_key(s, key, sizeof key), 0);
	assert_true(gw_store_has_ledger(s));

	/* the second item's judge fails: neither message, nor the first one's entries */
	item(&p[0], "JW301", "0384", "42420001", "L1", body, len);
	p[0].doc = doc;
	item(&p[1], "JW301", "0384", "42420001", "L2", body, len);
	p[1].judge = failing_judge;
	assert_int_equal(gw_store_put(s, p, 2, 100), GW_STORE_ERROR);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), 0);

	/* refused: not stored, and the ledger unchanged */
	item(&p[0], "JW301", "0384", "42420001", "L1", body, len);
	p[0].doc = doc;
	p[0].judge = refusing_judge;
	put(s, p, 1, 100);
	assert_int_equal(p[0].outcome, GW_PUT_REFUSED);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), 0);

	/* stored: its three assignments, every entry written by that message */
	item(&p[0], "JW301", "0384", "42420001", "L1", body, len);
	p[0].doc = doc;
	put(s, p, 1, 100);
	assert_int_equal(p[0].outcome, GW_PUT_NEW);
	assert_true(query(f, "SELECT count(*) FROM ledger") > 3);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM ledger WHERE message IS NULL OR message <> %lld",
	         (long long)p[0].msg.id);
	assert_int_equal(query(f, sql), 0);
	/* no BSN in a key or a value (972834370 is the sample's client) */
	assert_int_equal(query(f, "SELECT count(*) FROM ledger WHERE k LIKE '%972834370%'"
	                          " OR v LIKE '%972834370%'"),
	                 0);

	/* the same bytes again: a repeat, nothing applied twice; replaying agrees */
	item(&p[0], "JW301", "0384", "42420001", "L1", body, len);
	p[0].doc = doc;
	put(s, p, 1, 100);
	assert_int_equal(p[0].outcome, GW_PUT_SAME);
	{
		char err[512];
		gw_store *mem = gw_store_open(":memory:", NULL, err, sizeof err);

		assert_non_null(mem);
		ijw_buf_init(&out, 1u << 20);
		assert_int_equal(gw_store_begin(mem), GW_STORE_OK);
		assert_int_equal(gw_store_replay(s, mem, &n), GW_STORE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(gw_store_ledger_compare(s, mem, &n, &diff, &out, 10), GW_STORE_OK);
		assert_int_equal(diff, 0);
		assert_true(n > 3);
		ijw_buf_free(&out);
		gw_store_close(mem);
	}
	ijw_doc_free(doc);
	ijw_findings_free(fs);
	free(body);
	gw_store_close(s);
}

static const char durable_body[] = "<Bericht>durable</Bericht>";

/* In a child: opens the store, puts three messages, and ends without closing it. */
static void
put_and_die(const struct fx *f)
{
	char err[512], ident[8];
	gw_store *s = gw_store_open(f->path, NULL, err, sizeof err);
	struct gw_put p;

	if (!s)
		_exit(2);
	for (int i = 0; i < 3; i++) {
		memset(&p, 0, sizeof p);
		snprintf(ident, sizeof ident, "D%d", i);
		snprintf(p.msg.type, sizeof p.msg.type, "JW301");
		snprintf(p.msg.sender, sizeof p.msg.sender, "0384");
		snprintf(p.msg.receiver, sizeof p.msg.receiver, "42420001");
		snprintf(p.msg.identificatie, sizeof p.msg.identificatie, "%s", ident);
		p.body = durable_body;
		p.len = sizeof durable_body;
		p.after = -1;
		p.push = true;
		if (gw_store_put(s, &p, 1, 500) != GW_STORE_OK || p.outcome != GW_PUT_NEW)
			_exit(3);
	}
	_exit(0);
}

/* In a child: the three messages are there, byte for byte. */
static void
read_and_check(const struct fx *f)
{
	char err[512];
	gw_store *s = gw_store_open(f->path, NULL, err, sizeof err);
	struct ijw_buf b;
	struct gw_msg m;
	int bad = 0;

	if (!s)
		_exit(2);
	ijw_buf_init(&b, 1 << 20);
	for (int64_t id = 1; id <= 3; id++) {
		ijw_buf_reset(&b);
		if (gw_store_get(s, id, "42420001", &m, &b) != GW_STORE_OK ||
		    b.len != sizeof durable_body || memcmp(b.data, durable_body, b.len) != 0)
			bad = 1;
	}
	ijw_buf_free(&b);
	gw_store_close(s);
	_exit(bad ? 4 : 0);
}

static int
child(const struct fx *f, void (*fn)(const struct fx *))
{
	int status = -1;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		fn(f);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
durable(void **state)
{
	struct fx *f = *state, died = *f;
	gw_store *a = open_store(f), *b = open_store(f);
	struct dues d;
	struct list l;
	int64_t id;

	/* a second handle sees a put as soon as it returns */
	assert_int_equal(inbox(b, "42420001", 10, &l), 0);
	id = put_one(a, "H", "<h/>", false, 400);
	assert_int_equal(inbox(b, "42420001", 10, &l), 1);
	assert_int_equal(l.m[0].id, id);
	gw_store_close(a);
	gw_store_close(b);

	/* a process that put and died without closing, then one that reads */
	fresh(&died, "died");
	assert_int_equal(child(&died, put_and_die), 0);
	assert_int_equal(child(&died, read_and_check), 0);
	a = open_store(&died);
	assert_int_equal(due(a, 500, &d), 3);
	gw_store_close(a);
}

static void
inbox_and_ack(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char body[] = "<m/>";
	struct gw_put p[7];
	struct ijw_buf b;
	struct gw_msg m;
	struct list l;
	char ident[8];

	for (int i = 0; i < 7; i++) {
		snprintf(ident, sizeof ident, "%d", i);
		item(&p[i], "JW301", "0384", i < 5 ? "42420001" : "42420002", ident, body,
		     sizeof body);
	}
	put(s, p, 7, 100);
	assert_int_equal(inbox(s, "42420001", 3, &l), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(l.m[i].id, p[i].msg.id);
	assert_int_equal(inbox(s, "42420001", 100, &l), 5);
	assert_int_equal(inbox(s, "42420001", 0, &l), 0);
	assert_int_equal(inbox(s, "42420002", 100, &l), 2);
	assert_int_equal(inbox(s, "0384", 100, &l), 0);

	assert_int_equal(gw_store_ack(s, p[1].msg.id, "42420001", 150), GW_STORE_OK);
	assert_int_equal(inbox(s, "42420001", 100, &l), 4);
	assert_int_equal(l.m[0].id, p[0].msg.id);
	assert_int_equal(l.m[1].id, p[2].msg.id);
	assert_int_equal(gw_store_ack(s, p[1].msg.id, "42420001", 160), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT acked FROM messages WHERE identificatie = '1'"), 150);
	/* another party's message, or none at all */
	assert_int_equal(gw_store_ack(s, p[5].msg.id, "42420001", 170), GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_ack(s, 12345, "42420001", 170), GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_ack(s, p[0].msg.id, "4242000", 170), GW_STORE_NOTFOUND);
	assert_int_equal(inbox(s, "42420002", 100, &l), 2);
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(gw_store_get(s, p[5].msg.id, "42420001", &m, &b), GW_STORE_NOTFOUND);
	assert_int_equal(b.len, 0);
	/* an acknowledged message can still be fetched */
	get_body(s, p[1].msg.id, "42420001", &m, &b);
	assert_int_equal(m.id, p[1].msg.id);
	assert_memory_equal(b.data, body, sizeof body);
	ijw_buf_free(&b);
	gw_store_close(s);
}

static void
get_exact_bytes(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char nul[] = "<a>\0\0b\0</a>\xff\xfe";
	size_t big_len = 3u << 20;
	unsigned char *big = malloc(big_len);
	struct gw_put p[3];
	struct ijw_buf b;
	struct gw_msg m;

	assert_non_null(big);
	srand(7);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (unsigned char)rand();
	item(&p[0], "JW301", "0384", "42420001", "nul", nul, sizeof nul);
	item(&p[1], "JW323", "42420001", "0384", "big", big, big_len);
	item(&p[2], "JW301", "0384", "42420001", "empty", NULL, 0);
	put(s, p, 3, 100);

	ijw_buf_init(&b, 4u << 20);
	get_body(s, p[0].msg.id, "42420001", &m, &b);
	assert_int_equal(b.len, sizeof nul);
	assert_memory_equal(b.data, nul, sizeof nul);
	ijw_buf_reset(&b);
	get_body(s, p[1].msg.id, "0384", &m, &b);
	assert_int_equal(b.len, big_len);
	assert_memory_equal(b.data, big, big_len);
	assert_memory_equal(m.sha256, p[1].msg.sha256, sizeof m.sha256);
	assert_string_equal(m.type, "JW323");
	ijw_buf_reset(&b);
	get_body(s, p[2].msg.id, "42420001", &m, &b);
	assert_int_equal(b.len, 0);
	ijw_buf_free(&b);

	/* a body larger than the caller's buffer may hold */
	ijw_buf_init(&b, 1u << 20);
	assert_int_equal(gw_store_get(s, p[1].msg.id, "0384", &m, &b), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), "3145728 bytes"));
	assert_int_equal(b.len, 0);
	ijw_buf_free(&b);
	free(big);
	gw_store_close(s);
}

/*
 * A message with a copy for its receiver: the receiver gets the copy, the
 * sender's bytes stay for audit and are what gw_store_original returns.
 */
static void
translated_copy(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char sent[] = "<Code>45A07</Code>", copy[] = "<Code>OP02P</Code>";
	struct gw_put p[2];
	struct ijw_buf b;
	struct list l;
	struct gw_msg m;

	item(&p[0], "JW301", "0384", "42420001", "T1", sent, sizeof sent - 1);
	p[0].translated = copy;
	p[0].translated_len = sizeof copy - 1;
	item(&p[1], "JW301", "0384", "42420001", "T2", sent, sizeof sent - 1);
	p[1].advice = "TR418 0611; DAGPRIJS 0611";
	put(s, p, 2, 100);
	/* its advice is audited with it, in the same transaction */
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE action = 'advice'"), 1);
	assert_int_equal(query(f, "SELECT message FROM audit WHERE action = 'advice' AND"
	                          " detail = 'TR418 0611; DAGPRIJS 0611' AND party = '0384'"),
	                 p[1].msg.id);
	assert_int_equal(inbox(s, "42420001", 10, &l), 2);
	assert_true(l.m[0].translated);
	assert_false(l.m[1].translated);

	ijw_buf_init(&b, 1u << 20);
	get_body(s, p[0].msg.id, "42420001", &m, &b);
	assert_true(m.translated);
	assert_int_equal(b.len, sizeof copy - 1);
	assert_memory_equal(b.data, copy, b.len);
	ijw_buf_reset(&b);
	get_body(s, p[1].msg.id, "42420001", &m, &b);
	assert_memory_equal(b.data, sent, b.len);
	ijw_buf_reset(&b);

	assert_int_equal(gw_store_original(s, "0384", "JW301", "T1", &m, &b), GW_STORE_OK);
	assert_int_equal(m.id, p[0].msg.id);
	assert_true(m.translated);
	assert_int_equal(b.len, sizeof sent - 1);
	assert_memory_equal(b.data, sent, b.len);
	ijw_buf_reset(&b);
	/* another sender, another type, an unknown identification: none */
	assert_int_equal(gw_store_original(s, "42420001", "JW301", "T1", &m, &b),
	                 GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_original(s, "0384", "JW305", "T1", &m, &b), GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_original(s, "0384", "JW301", "T9", &m, &b), GW_STORE_NOTFOUND);
	assert_non_null(strstr(gw_store_error(s), "no JW301 T9 from 0384"));
	ijw_buf_free(&b);
	gw_store_close(s);
}

static void
due_and_attempt(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	int64_t m1, m2, m3;
	struct dues d;
	struct list l;
	int64_t d1, d2;

	m1 = put_one(s, "1", "<1/>", true, 1000);
	m2 = put_one(s, "2", "<2/>", true, 1000);
	m3 = put_one(s, "3", "<3/>", false, 1000);
	assert_int_equal(due(s, 999, &d), 0);
	assert_int_equal(due(s, 1000, &d), 2);
	assert_int_equal(d.d[0].message, m1);
	assert_int_equal(d.d[1].message, m2);
	assert_string_equal(d.d[0].receiver, "42420001");
	assert_int_equal(d.d[0].attempts, 0);
	assert_int_equal(d.d[0].created, 1000);
	d1 = d.d[0].delivery;
	d2 = d.d[1].delivery;
	d.n = 0;
	assert_int_equal(gw_store_due(s, 1000, 60, 1, 64, dues_each, &d), GW_STORE_OK);
	assert_int_equal(d.n, 1);

	/* a failure moves the next attempt */
	assert_int_equal(
	        gw_store_attempt(s, d1, 1001, 503, "Service Unavailable", false, 1060, false),
	        GW_STORE_OK);
	assert_int_equal(due(s, 1059, &d), 1);
	assert_int_equal(d.d[0].delivery, d2);
	assert_int_equal(due(s, 1060, &d), 2);
	assert_int_equal(d.d[0].delivery, d2); /* its next attempt (1000) comes first */
	assert_int_equal(d.d[1].delivery, d1);
	assert_int_equal(d.d[1].attempts, 1);
	assert_int_equal(d.d[0].first_attempt, 0);
	assert_int_equal(d.d[1].first_attempt, 1001);
	assert_int_equal(
	        gw_store_attempt(s, d1, 1060, 503, "Service Unavailable", false, 1060, false),
	        GW_STORE_OK);
	assert_int_equal(due(s, 1060, &d), 2);
	assert_int_equal(d.d[1].first_attempt, 1001); /* the first one, not the last */

	/* a success delivers it and counts the message as processed */
	assert_int_equal(gw_store_attempt(s, d2, 1061, 200, NULL, true, 0, false), GW_STORE_OK);
	assert_int_equal(due(s, 9999, &d), 1);
	assert_int_equal(d.d[0].delivery, d1);
	assert_int_equal(inbox(s, "42420001", 10, &l), 2);
	assert_int_equal(l.m[0].id, m1);
	assert_int_equal(l.m[1].id, m3);
	assert_int_equal(query(f, "SELECT acked FROM messages WHERE identificatie = '2'"), 1061);
	assert_int_equal(query(f, "SELECT delivered FROM deliveries WHERE state = 'delivered'"),
	                 1061);

	/* giving up stops it */
	assert_int_equal(gw_store_attempt(s, d1, 1062, 0, "connection refused", false, 2000, true),
	                 GW_STORE_OK);
	assert_int_equal(due(s, INT64_MAX, &d), 0);
	assert_int_equal(inbox(s, "42420001", 10, &l), 2);
	assert_int_equal(gw_store_attempt(s, d1, 1063, 200, NULL, true, 0, false),
	                 GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_attempt(s, 4242, 1063, 200, NULL, true, 0, false),
	                 GW_STORE_NOTFOUND);
	assert_int_equal(query(f, "SELECT count(*) FROM attempts"), 4);
	assert_int_equal(query(f, "SELECT count(*) FROM attempts WHERE error IS NULL AND"
	                          " http_status = 200 AND delivered = 1"),
	                 1);
	assert_int_equal(query(f, "SELECT attempts FROM deliveries WHERE state = 'given_up'"), 3);
	gw_store_close(s);
}

/* One receiver's backlog does not fill a listing: each receiver has its own share. */
static void
due_per_receiver(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct gw_put p;
	struct dues d = {.n = 0};
	char ident[8];

	for (int i = 0; i < 5; i++) {
		snprintf(ident, sizeof ident, "A%d", i);
		item(&p, "JW301", "0384", "42420001", ident, "<a/>", 4);
		p.push = true;
		put(s, &p, 1, 1000 + i);
	}
	item(&p, "JW301", "0384", "42420002", "B", "<b/>", 4);
	p.push = true;
	put(s, &p, 1, 2000);
	assert_int_equal(gw_store_due(s, 3000, 60, 3, 1, dues_each, &d), GW_STORE_OK);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.d[0].receiver, "42420001");
	assert_int_equal(d.d[0].created, 1000);
	assert_string_equal(d.d[1].receiver, "42420002");
	d.n = 0;
	assert_int_equal(gw_store_due(s, 3000, 60, 3, 2, dues_each, &d), GW_STORE_OK);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.d[1].created, 1001);
	assert_string_equal(d.d[2].receiver, "42420002");
	d.n = 0;
	assert_int_equal(gw_store_due(s, 3000, 60, 2, 64, dues_each, &d), GW_STORE_OK);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.d[1].receiver, "42420001");
	gw_store_close(s);
}

/* A due callback that uses the same handle: listings are read before it is called. */
struct deliver {
	gw_store *s;
	int64_t now;
	unsigned delivered;
	bool failed;
	char error[512];
};

static void
deliver_each(void *ctx, const struct gw_due *d)
{
	struct deliver *w = ctx;

	if (w->failed)
		return;
	if (gw_store_attempt(w->s, d->delivery, w->now, 200, NULL, true, 0, false) == GW_STORE_OK) {
		w->delivered++;
		return;
	}
	w->failed = true;
	snprintf(w->error, sizeof w->error, "attempt: %s", gw_store_error(w->s));
}

enum { THREAD_MESSAGES = 120 };

struct side {
	const struct fx *f;
	pthread_barrier_t *start;
	struct deliver w;
};

static void *
producer(void *arg)
{
	struct side *t = arg;
	char err[256];
	struct gw_put p[3];
	int sent = 0;

	pthread_barrier_wait(t->start);
	if (!(t->w.s = gw_store_open(t->f->path, NULL, err, sizeof err))) {
		t->w.failed = true;
		snprintf(t->w.error, sizeof t->w.error, "open: %s", err);
		return NULL;
	}
	while (sent < THREAD_MESSAGES && !t->w.failed) {
		size_t n = (size_t)(sent % 3) + 1;

		for (size_t i = 0; i < n; i++) {
			memset(&p[i], 0, sizeof p[i]);
			snprintf(p[i].msg.type, sizeof p[i].msg.type, "JW301");
			snprintf(p[i].msg.sender, sizeof p[i].msg.sender, "0384");
			snprintf(p[i].msg.receiver, sizeof p[i].msg.receiver, "42420001");
			snprintf(p[i].msg.identificatie, sizeof p[i].msg.identificatie, "T%d",
			         sent + (int)i);
			p[i].body = p[i].msg.identificatie;
			p[i].len = strlen(p[i].msg.identificatie);
			p[i].push = true;
			p[i].after = -1;
		}
		if (n > (size_t)(THREAD_MESSAGES - sent))
			n = (size_t)(THREAD_MESSAGES - sent);
		if (gw_store_put(t->w.s, p, n, 1000) != GW_STORE_OK) {
			t->w.failed = true;
			snprintf(t->w.error, sizeof t->w.error, "put: %s", gw_store_error(t->w.s));
		}
		sent += (int)n;
	}
	gw_store_close(t->w.s);
	return NULL;
}

static void *
consumer(void *arg)
{
	struct side *t = arg;
	char err[256];
	int idle = 0;

	pthread_barrier_wait(t->start);
	if (!(t->w.s = gw_store_open(t->f->path, NULL, err, sizeof err))) {
		t->w.failed = true;
		snprintf(t->w.error, sizeof t->w.error, "open: %s", err);
		return NULL;
	}
	t->w.now = 1000;
	while (t->w.delivered < THREAD_MESSAGES && !t->w.failed && idle < 20000) {
		unsigned before = t->w.delivered;

		if (gw_store_due(t->w.s, 1000, 60, 8, 8, deliver_each, &t->w) != GW_STORE_OK) {
			t->w.failed = true;
			snprintf(t->w.error, sizeof t->w.error, "due: %s", gw_store_error(t->w.s));
		}
		if (t->w.delivered == before) {
			idle++;
			usleep(1000);
		}
	}
	gw_store_close(t->w.s);
	return NULL;
}

static void
two_threads(void **state)
{
	struct fx *f = *state;
	pthread_barrier_t start;
	struct side a = {.f = f, .start = &start}, b = {.f = f, .start = &start};
	pthread_t ta, tb;

	/* both open a fresh file at once: one of them makes the schema */
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	assert_int_equal(pthread_create(&ta, NULL, producer, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, consumer, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	if (a.w.failed)
		fail_msg("producer: %s", a.w.error);
	if (b.w.failed)
		fail_msg("consumer: %s", b.w.error);
	assert_int_equal(b.w.delivered, THREAD_MESSAGES);
	assert_int_equal(query(f, "SELECT count(*) FROM deliveries WHERE state = 'delivered'"),
	                 THREAD_MESSAGES);
	assert_int_equal(query(f, "SELECT count(*) FROM messages WHERE acked IS NULL"), 0);
}

static void
audit_log(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char body[] = "<a/>";
	struct gw_put p[2];

	item(&p[0], "JW301", "0384", "42420001", "A", body, sizeof body);
	item(&p[1], "JW301", "0384", "42420001", "B", body, sizeof body);
	put(s, p, 2, 100);
	put(s, p, 1, 101); /* the same again: no new entry */
	assert_int_equal(gw_store_ack(s, p[0].msg.id, "42420001", 102), GW_STORE_OK);
	assert_int_equal(gw_store_ack(s, p[0].msg.id, "42420001", 103), GW_STORE_OK);
	assert_int_equal(gw_store_ack(s, p[1].msg.id, "0384", 103), GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_audit(s, 104, "42420001", "9e1c", "10.0.0.7", "reject", 0,
	                                "TR056: identification used before"),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_audit(s, 105, NULL, NULL, "10.0.0.8", "no-cert", 0, NULL),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_audit(s, 106, "0384", "", "", "get", 4242, NULL), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), "audit"));

	assert_int_equal(query(f, "SELECT count(*) FROM audit"), 6);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE action = 'put' AND"
	                          " party = '0384' AND cert = '5f3a9c' AND remote = '127.0.0.1'"
	                          " AND message IS NOT NULL AND detail = 'JW301'"),
	                 2);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE action = 'ack' AND"
	                          " party = '42420001' AND message IS NOT NULL"),
	                 2);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE action = 'reject' AND"
	                          " message IS NULL AND at = 104"),
	                 1);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE party IS NULL"), 1);
	gw_store_close(s);
}

/* ---- message bodies at rest ---- */

static const char key_a[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char key_b[] = "f0e0d0c0b0a090807060504030201000ffeeddccbbaa99887766554433221100";

/* A message with a BSN in it, as the sample messages have. */
static const char bsn_body[] =
        "<Bericht><Client><Bsn>999993653</Bsn><Geboortedatum>2012-01-01</Geboortedatum>"
        "</Client></Bericht>";

/* Writes the file dir/name: the lines first and second (NULL for none); its path into path. */
static void
write_lines(const char *dir, const char *name, const char *first, const char *second, char *path,
            size_t size)
{
	FILE *out;

	snprintf(path, size, "%s/%s", dir, name);
	assert_non_null(out = fopen(path, "w"));
	fprintf(out, "%s\n%s%s", first, second ? second : "", second ? "\n" : "");
	fclose(out);
}

/* Writes the lines to the key file f->dir/store.key and (re)loads k from it. */
static void
key_file(const struct fx *f, gw_keyring *k, const char *first, const char *second)
{
	char path[320], err[512];

	write_lines(f->dir, "store.key", first, second, path, sizeof path);
	if (gw_keyring_load(k, path, err, sizeof err))
		fail_msg("store.key: %s", err);
}

/* How many messages hold text in their stored bytes, read by the database itself. */
static long long
holding(const struct fx *f, const char *text)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	         DIALECT("SELECT count(*) FROM messages WHERE instr(body, CAST('%s' AS BLOB)) > 0"
	                 " OR instr(translated, CAST('%s' AS BLOB)) > 0",
	                 "SELECT count(*) FROM messages WHERE position('%s'::bytea IN body) > 0"
	                 " OR position('%s'::bytea IN translated) > 0"),
	         text, text);
	return query(f, sql);
}

/* Flips a bit of byte at of the stored body of message id, with the database itself. */
static void
flip_byte(const struct fx *f, int64_t id, size_t at)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char body[4096];
	char sql[160];
	size_t len;

	if (pg) {
		snprintf(sql, sizeof sql,
		         "UPDATE messages SET body = set_byte(body, %zu, get_byte(body, %zu) # 1)"
		         " WHERE id = %lld",
		         at, at, (long long)id);
		exec_sql(f, sql);
		return;
	}
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	        sqlite3_prepare_v2(db, "SELECT body FROM messages WHERE id = ?1", -1, &st, NULL),
	        SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	len = (size_t)sqlite3_column_bytes(st, 0);
	assert_true(at < len && len <= sizeof body);
	memcpy(body, sqlite3_column_blob(st, 0), len);
	sqlite3_finalize(st);
	body[at] ^= 0x01;
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE messages SET body = ?2 WHERE id = ?1", -1,
	                                    &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, body, (int)len, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A get that must fail: the error says why, and nothing is appended. */
static void
get_fails(gw_store *s, int64_t id, const char *why)
{
	struct ijw_buf b;
	struct gw_msg m;

	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(gw_store_get(s, id, "42420001", &m, &b), GW_STORE_ERROR);
	assert_int_equal(b.len, 0);
	if (!strstr(gw_store_error(s), why))
		fail_msg("get %lld: \"%s\" does not say \"%s\"", (long long)id, gw_store_error(s),
		         why);
	ijw_buf_free(&b);
}

static void
get_is(gw_store *s, int64_t id, const char *party, const char *want)
{
	struct ijw_buf b;
	struct gw_msg m;

	ijw_buf_init(&b, 1 << 20);
	get_body(s, id, party, &m, &b);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	ijw_buf_free(&b);
}

static void
sealed_round_trip(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new();
	gw_store *s = open_store(f);
	static const char copy[] = "<Bericht><Bsn>999993653</Bsn><Product>P01</Product></Bericht>";
	char id_a[GW_KEY_ID_SIZE], sql[128];
	struct gw_put p;
	struct ijw_buf b;
	struct gw_msg m;
	int64_t id, empty;

	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	assert_true(gw_keyring_current(k, id_a));
	assert_int_equal(strlen(id_a), 16);
	id = put_one(s, "1", bsn_body, false, 1);
	empty = put_one(s, "2", "", false, 1);
	item(&p, "JW301", "0384", "42420001", "3", bsn_body, strlen(bsn_body));
	p.translated = copy;
	p.translated_len = strlen(copy);
	put(s, &p, 1, 2);
	assert_string_equal(p.msg.body_key, id_a);

	/* read back byte for byte: the receiver's copy, the sender's original, the messages */
	get_is(s, id, "42420001", bsn_body);
	get_is(s, empty, "42420001", "");
	get_is(s, p.msg.id, "42420001", copy);
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(gw_store_original(s, "0384", "JW301", "3", &m, &b), GW_STORE_OK);
	assert_string_equal(ijw_buf_str(&b), bsn_body);
	assert_string_equal(m.body_key, id_a);
	ijw_buf_free(&b);

	/* at rest: no BSN in any column, each row under key a, sealed bytes a little longer */
	assert_int_equal(holding(f, "999993653"), 0);
	assert_int_equal(holding(f, "Bericht"), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM messages WHERE body_key = '%s'", id_a);
	assert_int_equal(query(f, sql), 3);
	assert_int_equal(query(f, "SELECT length(body) FROM messages WHERE id = 1"),
	                 (long long)strlen(bsn_body) + GW_SEAL_OVERHEAD);
	/* the same bytes twice are sealed with a fresh nonce each time */
	assert_int_equal(query(f, "SELECT count(DISTINCT substr(body, 1, 12)) FROM messages"), 3);
	gw_store_close(s);
	gw_keyring_free(k);
}

static void
sealed_wrong_key(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new(), *none = gw_keyring_new();
	gw_store *s = open_store(f);
	char id_b[GW_KEY_ID_SIZE], sql[128];
	int64_t id;

	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	id = put_one(s, "1", bsn_body, false, 1);
	/* another key in the file: the key of the body is unknown, even read again */
	key_file(f, k, key_b, NULL);
	get_fails(s, id, "is not in store_key");
	/* no store_key at all */
	gw_store_set_keyring(s, none);
	get_fails(s, id, "no store_key");
	gw_store_set_keyring(s, NULL);
	get_fails(s, id, "no store_key");
	/* the row names key b: b does not open what a sealed */
	gw_store_set_keyring(s, k);
	assert_true(gw_keyring_current(k, id_b));
	snprintf(sql, sizeof sql, "UPDATE messages SET body_key = '%s'", id_b);
	exec_sql(f, sql);
	get_fails(s, id, "do not authenticate");
	gw_store_close(s);
	gw_keyring_free(k);
	gw_keyring_free(none);
}

static void
sealed_changed(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new();
	gw_store *s = open_store(f);
	int64_t one, two;

	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	one = put_one(s, "1", bsn_body, false, 1);
	two = put_one(s, "2", "<Bericht>another one</Bericht>", false, 1);
	/* a flipped byte in the nonce, the ciphertext and the tag */
	flip_byte(f, one, 3);
	get_fails(s, one, "do not authenticate");
	flip_byte(f, one, 3);
	get_is(s, one, "42420001", bsn_body);
	flip_byte(f, one, 20);
	get_fails(s, one, "do not authenticate");
	flip_byte(f, one, 20);
	flip_byte(f, one, strlen(bsn_body) + GW_SEAL_OVERHEAD - 1);
	get_fails(s, one, "do not authenticate");
	/* a body moved to another row does not open there */
	exec_sql(f, "UPDATE messages SET body = (SELECT body FROM"
	            " messages WHERE id = 2) WHERE id = 1");
	get_fails(s, one, "message 1");
	get_is(s, two, "42420001", "<Bericht>another one</Bericht>");
	gw_store_close(s);
	gw_keyring_free(k);
}

static void
sealed_rotation(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new();
	gw_store *s = open_store(f);
	static const char copy[] = "<Bericht><Bsn>999993653</Bsn>vertaald</Bericht>";
	char id_a[GW_KEY_ID_SIZE], id_b[GW_KEY_ID_SIZE], sql[128];
	struct gw_put p;
	int64_t plain, old;
	size_t n = 99;

	/* a store from before store_key: its body stays plain, and readable */
	plain = put_one(s, "1", bsn_body, false, 1);
	assert_int_equal(holding(f, "999993653"), 1);
	assert_int_equal(query(f, "SELECT count(*) FROM messages WHERE body_key IS NULL"), 1);
	assert_int_equal(gw_store_rekey(s, 10, &n), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), "no store_key"));
	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	assert_true(gw_keyring_current(k, id_a));
	get_is(s, plain, "42420001", bsn_body);
	old = put_one(s, "2", bsn_body, false, 2);
	item(&p, "JW301", "0384", "42420001", "3", bsn_body, strlen(bsn_body));
	p.translated = copy;
	p.translated_len = strlen(copy);
	put(s, &p, 1, 3);

	/* a new key first: new bodies go under it, old ones are read under a */
	key_file(f, k, key_b, key_a);
	assert_true(gw_keyring_current(k, id_b));
	assert_string_not_equal(id_a, id_b);
	get_is(s, old, "42420001", bsn_body);
	get_is(s, p.msg.id, "42420001", copy);

	/* rekey: everything not under b, the plain one too, in batches of two */
	assert_int_equal(gw_store_rekey(s, 2, &n), GW_STORE_OK);
	assert_int_equal(n, 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM messages WHERE body_key = '%s'", id_b);
	assert_int_equal(query(f, sql), 3);
	assert_int_equal(holding(f, "999993653"), 0);
	assert_int_equal(gw_store_rekey(s, 2, &n), GW_STORE_OK);
	assert_int_equal(n, 0);

	/* the old line dropped: all still reads */
	key_file(f, k, key_b, NULL);
	get_is(s, plain, "42420001", bsn_body);
	get_is(s, old, "42420001", bsn_body);
	get_is(s, p.msg.id, "42420001", copy);
	get_is(s, p.msg.id, "42420001", copy);
	gw_store_close(s);
	gw_keyring_free(k);
}

static void
key_files(void **state)
{
	struct fx *f = *state;
	unsigned char keys[2][GW_KEY_BYTES];
	char path[320], err[512], b[80];
	FILE *out;

	/* a blank line, blanks at a line's end */
	snprintf(b, sizeof b, "\n%s  ", key_b);
	write_lines(f->dir, "k", key_a, b, path, sizeof path);
	assert_int_equal(gw_key_file_read(path, "store_key", keys, 2, err, sizeof err), 2);
	assert_int_equal(keys[0][1], 0x01);
	assert_int_equal(keys[1][0], 0xf0);
	assert_int_equal(gw_key_file_read(path, "ledger_key", keys, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 1 key"));
	snprintf(b, sizeof b, "%.63s", key_b);
	write_lines(f->dir, "k", key_a, b, path, sizeof path);
	assert_int_equal(gw_key_file_read(path, "store_key", keys, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2 is not a key of 64 hex digits"));
	assert_non_null(out = fopen(path, "w"));
	fclose(out);
	assert_int_equal(gw_key_file_read(path, "store_key", keys, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a key of 64 hex digits"));
	assert_int_equal(gw_key_file_read("/nonexistent", "store_key", keys, 2, err, sizeof err),
	                 -1);
	assert_non_null(strstr(err, "store_key /nonexistent: No such file"));
}

/* ---- the audit log's chain ---- */

/* Verifies the chain: the id of the first bad entry (0 for none), *n the good ones. */
static int64_t
verify(gw_store *s, size_t *n, char *why, size_t whylen)
{
	unsigned char head[GW_AUDIT_HASH];
	int64_t bad = -1;

	if (gw_store_audit_verify(s, n, &bad, why, whylen, head) != GW_STORE_OK)
		fail_msg("audit verify: %s", gw_store_error(s));
	return bad;
}

static void
audit_chain(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	unsigned char zero[GW_AUDIT_HASH] = {0}, h1[GW_AUDIT_HASH];
	struct gw_audit e = {.id = 1,
	                     .at = 7,
	                     .text = {"0384", NULL, NULL, "put", NULL},
	                     .len = {4, 0, 0, 3, 0}};
	char why[256];
	size_t n = 0;
	int64_t id;

	/* the encoding tells apart what plain joining would not */
	gw_audit_hash(zero, &e, h1);
	e.text[GW_AUDIT_PARTY] = "038";
	e.len[GW_AUDIT_PARTY] = 3;
	e.text[GW_AUDIT_CERT] = "4";
	e.len[GW_AUDIT_CERT] = 1;
	gw_audit_hash(zero, &e, e.hash);
	assert_memory_not_equal(h1, e.hash, sizeof h1);

	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	assert_int_equal(n, 0);
	id = put_one(s, "A", "<a/>", false, 100);
	put_one(s, "B", "<b/>", false, 101);
	assert_int_equal(gw_store_ack(s, id, "42420001", 102), GW_STORE_OK);
	assert_int_equal(
	        gw_store_audit(s, 103, "42420001", "9e1c", "10.0.0.7", "reject", 0, "TR056"),
	        GW_STORE_OK);
	assert_int_equal(gw_store_audit(s, 104, NULL, NULL, "10.0.0.8", "no-cert", 0, NULL),
	                 GW_STORE_OK);
	/* a failed entry leaves no link behind */
	assert_int_equal(gw_store_audit(s, 105, "0384", "", "", "get", 4242, NULL), GW_STORE_ERROR);
	/* in the caller's transaction too */
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	assert_int_equal(gw_store_audit(s, 106, "0384", "", "", "get", id, NULL), GW_STORE_OK);
	assert_int_equal(gw_store_commit(s), GW_STORE_OK);
	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	assert_int_equal(n, 6);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE length(hash) = 32"), 6);

	/* a field changed, even to SQL NULL, or the hash itself */
	exec_sql(f, "UPDATE audit SET detail = 'TR057' WHERE id = 4");
	assert_int_equal(verify(s, &n, why, sizeof why), 4);
	assert_int_equal(n, 3);
	assert_non_null(strstr(why, "entry 4 is changed"));
	exec_sql(f, "UPDATE audit SET detail = 'TR056' WHERE id = 4");
	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	exec_sql(f, "UPDATE audit SET cert = NULL WHERE id = 5");
	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	exec_sql(f, "UPDATE audit SET remote = NULL WHERE id = 5");
	assert_int_equal(verify(s, &n, why, sizeof why), 5);
	exec_sql(f, "UPDATE audit SET remote = '10.0.0.8' WHERE id = 5");
	exec_sql(f,
	         DIALECT("UPDATE audit SET hash = zeroblob(32) WHERE id = 2",
	                 "UPDATE audit SET hash = decode(repeat('00', 32), 'hex') WHERE id = 2"));
	assert_int_equal(verify(s, &n, why, sizeof why), 2);
	gw_store_close(s);

	/* a removed entry: in the middle, and the first */
	fresh(f, "again");
	s = open_store(f);
	for (int i = 0; i < 4; i++)
		assert_int_equal(gw_store_audit(s, 200 + i, "0384", "c", "r", "get", 0, NULL),
		                 GW_STORE_OK);
	exec_sql(f, "DELETE FROM audit WHERE id = 3");
	assert_int_equal(verify(s, &n, why, sizeof why), 3);
	assert_non_null(strstr(why, "entry 3 is missing"));
	exec_sql(f, "DELETE FROM audit WHERE id = 1");
	assert_int_equal(verify(s, &n, why, sizeof why), 1);
	gw_store_close(s);
}

static void
audit_chained_by_migration(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	char why[256];
	size_t n = 0;

	put_one(s, "A", "<a/>", false, 100);
	assert_int_equal(gw_store_audit(s, 101, NULL, NULL, "10.0.0.8", "no-cert", 0, NULL),
	                 GW_STORE_OK);
	put_one(s, "B", "<b/>", false, 102);
	gw_store_close(s);
	/* a log of version 5: no hashes */
	exec_sql(f, "ALTER TABLE audit DROP COLUMN hash;"
	            " ALTER TABLE messages DROP COLUMN body_key;"
	            " DROP INDEX messages_answers;"
	            " DROP INDEX messages_sender;"
	            " DROP INDEX messages_received;"
	            " ALTER TABLE messages DROP COLUMN purged;"
	            " PRAGMA user_version = 5");
	s = open_store(f);
	assert_int_equal(query(f, "PRAGMA user_version"), 7);
	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	assert_int_equal(n, 3);
	/* and the chain goes on from the entries chained */
	put_one(s, "C", "<c/>", false, 103);
	assert_int_equal(verify(s, &n, why, sizeof why), 0);
	assert_int_equal(n, 4);
	gw_store_close(s);
}

/* A test write commits and leaves the data as it was; a handle opened anew keeps the key. */
static void
probe_and_reopen(void **state)
{
	struct fx *f = *state;
	static const unsigned char key[32] = {7};
	gw_store *s = open_store(f);
	char err[512];
	struct list l = {0};

	assert_int_equal(gw_store_set_ledger_key(s, key, sizeof key), 0);
	put_one(s, "PROBE0000001", "<a/>", false, 1000);
	assert_int_equal(gw_store_probe(s), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), 0);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 1);
	assert_string_equal(gw_store_path(s), f->path);
	if (gw_store_reopen(s, err, sizeof err))
		fail_msg("reopen: %s", err);
	assert_true(gw_store_has_ledger(s));
	assert_int_equal(gw_store_probe(s), GW_STORE_OK);
	assert_int_equal(gw_store_inbox(s, "42420001", 10, list_each, &l), GW_STORE_OK);
	assert_int_equal(l.n, 1);
	gw_store_close(s);
}

/*
 * One claim of a store at a time: a second handle on the file cannot claim
 * it, and names this process; a reopen keeps the claim, a close lets go.
 */
static void
claim_once(void **state)
{
	struct fx *f = *state;
	gw_store *a = open_store(f), *b = open_store(f);
	char err[512], want[512];

	assert_int_equal(gw_store_claim(a, err, sizeof err), GW_STORE_OK);
	assert_int_equal(gw_store_claim(a, err, sizeof err), GW_STORE_OK);
	assert_int_equal(gw_store_claim(b, err, sizeof err), GW_STORE_ERROR);
	snprintf(want, sizeof want,
	         "store %s is in use by another gateway (pid %ld); one SQLite store is served by "
	         "one gateway: to run several gateways, use a PostgreSQL store",
	         f->path, (long)getpid());
	assert_string_equal(err, want);
	/* the others still read and write the file */
	put_one(b, "CLAIM0000001", "<a/>", false, 1000);
	if (gw_store_reopen(a, err, sizeof err))
		fail_msg("reopen: %s", err);
	assert_int_equal(gw_store_claim(b, err, sizeof err), GW_STORE_ERROR);
	gw_store_close(a);
	assert_int_equal(gw_store_claim(b, err, sizeof err), GW_STORE_OK);
	gw_store_close(b);
}

/* A store of fx's folder named name, opened with keyring k. */
static gw_store *
open_named(const struct fx *f, const char *name, gw_keyring *k)
{
	char path[400], err[512];
	gw_store *s;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	if (!(s = gw_store_open(path, NULL, err, sizeof err)))
		fail_msg("open %s: %s", path, err);
	gw_store_set_keyring(s, k);
	return s;
}

static void
copy_is(gw_store *from, gw_store *to, struct gw_copy_report *r)
{
	if (gw_store_copy(from, to, r) != GW_STORE_OK)
		fail_msg("copy: %s", gw_store_error(to));
	assert_int_equal(r->differs, GW_TABLES);
}

/*
 * Every table copied as stored: bodies still sealed (the copy reads them
 * with the same key), deliveries due alike, the audit chain with the same
 * head, the ledger's rows; a copy of the copy has the same counts and
 * hashes. A store that holds a row is not copied into.
 */
static void
copy_whole_store(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new();
	gw_store *s = open_store(f), *c, *c2;
	static const char copy[] = "<Bericht><Product>P01</Product></Bericht>";
	unsigned char head[2][GW_AUDIT_HASH];
	struct gw_copy_report r, r2;
	struct ijw_ledger l;
	struct gw_put p;
	struct dues d[2];
	char why[256];
	int64_t m1, m3, bad;
	size_t n[2];

	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	m1 = put_one(s, "1", bsn_body, true, 1000);
	item(&p, "JW301", "0384", "42420001", "2", bsn_body, strlen(bsn_body));
	p.translated = copy;
	p.translated_len = strlen(copy);
	p.push = true;
	put(s, &p, 1, 1001);
	m3 = put_one(s, "3", "", false, 1002);
	assert_int_equal(due(s, 1002, &d[0]), 2);
	assert_int_equal(
	        gw_store_attempt(s, d[0].d[0].delivery, 1003, 503, "busy", false, 1100, false),
	        GW_STORE_OK);
	assert_int_equal(gw_store_attempt(s, d[0].d[1].delivery, 1003, 200, NULL, true, 0, false),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_ack(s, m3, "42420001", 1004), GW_STORE_OK);
	assert_int_equal(gw_store_audit(s, 1005, NULL, NULL, "10.0.0.8", "no-cert", 0, NULL),
	                 GW_STORE_OK);
	gw_store_ledger(s, &l);
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	assert_int_equal(l.ops->put(l.h,
	                            "t\x1f"
	                            "b",
	                            "2", m1),
	                 0);
	assert_int_equal(l.ops->put(l.h,
	                            "t\x1f"
	                            "a",
	                            "1", 0),
	                 0);
	assert_int_equal(gw_store_commit(s), GW_STORE_OK);

	c = open_named(f, "copy.db", k);
	copy_is(s, c, &r);
	assert_int_equal(r.rows[GW_TABLE_MESSAGES], 3);
	assert_int_equal(r.rows[GW_TABLE_DELIVERIES], 2);
	assert_int_equal(r.rows[GW_TABLE_ATTEMPTS], 2);
	assert_int_equal(r.rows[GW_TABLE_AUDIT], query(f, "SELECT count(*) FROM audit"));
	assert_int_equal(r.rows[GW_TABLE_LEDGER], 2);
	assert_int_equal(r.audit, r.rows[GW_TABLE_AUDIT]);
	assert_string_equal(gw_store_table_name(GW_TABLE_DELIVERIES), "deliveries");

	/* the copy reads as the source does */
	get_is(c, m1, "42420001", bsn_body);
	get_is(c, p.msg.id, "42420001", copy);
	get_is(c, m3, "42420001", "");
	assert_int_equal(due(c, 2000, &d[1]), 1);
	assert_int_equal(due(s, 2000, &d[0]), 1);
	assert_int_equal(d[1].d[0].delivery, d[0].d[0].delivery);
	assert_int_equal(d[1].d[0].attempts, 1);
	assert_int_equal(d[1].d[0].first_attempt, 1003);
	assert_int_equal(gw_store_audit_verify(s, &n[0], &bad, why, sizeof why, head[0]),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_audit_verify(c, &n[1], &bad, why, sizeof why, head[1]),
	                 GW_STORE_OK);
	assert_int_equal(n[0], n[1]);
	assert_memory_equal(head[0], head[1], GW_AUDIT_HASH);

	/* a copy of the copy: the same figures */
	c2 = open_named(f, "copy2.db", k);
	copy_is(c, c2, &r2);
	assert_memory_equal(r.rows, r2.rows, sizeof r.rows);
	assert_memory_equal(r.sha256, r2.sha256, sizeof r.sha256);
	/* the next message and audit entry go on from the copied ids and chain */
	assert_int_equal(put_one(c2, "4", "<4/>", false, 3000), 4);
	assert_int_equal(gw_store_audit_verify(c2, &n[1], &bad, why, sizeof why, head[1]),
	                 GW_STORE_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(n[1], n[0] + 1);

	/* a store with rows is not copied into, and is left as it was */
	assert_int_equal(gw_store_copy(s, c, &r2), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(c), "(in messages)"));
	assert_int_equal(r2.differs, GW_TABLES);
	gw_store_close(c2);
	c2 = open_named(f, "copy3.db", k);
	gw_store_ledger(c2, &l);
	assert_int_equal(l.ops->put(l.h, "x", "1", 0), 0);
	assert_int_equal(gw_store_copy(s, c2, &r2), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(c2), "(in ledger)"));
	assert_int_equal(due(c, 2000, &d[1]), 1);
	get_is(c, m1, "42420001", bsn_body);

	gw_store_close(c2);
	gw_store_close(c);
	gw_store_close(s);
	gw_keyring_free(k);
}

/* A copy's source must be there: opening it makes no file. */
static void
open_existing_only(void **state)
{
	struct fx *f = *state;
	char err[512], path[400];
	gw_store *s;

	snprintf(path, sizeof path, "%s/none.db", f->dir);
	assert_null(gw_store_open_existing(path, NULL, err, sizeof err));
	assert_string_equal(err, "no such store");
	assert_int_equal(access(path, F_OK), -1);
	s = open_store(f);
	gw_store_close(s);
	snprintf(path, sizeof path, "sqlite:%s", f->path);
	assert_non_null(s = gw_store_open_existing(path, NULL, err, sizeof err));
	gw_store_close(s);
}

/* A spec shown to people never shows a password. */
static void
spec_shown(void **state)
{
	static const char *const cases[][2] = {
	        {"/var/lib/ijw/gateway.db", "/var/lib/ijw/gateway.db"},
	        {"sqlite:gateway.db", "sqlite:gateway.db"},
	        {"postgresql://ijw:s3cret@db.example:5432/ijw",
	         "postgresql://ijw:***@db.example:5432/ijw"},
	        {"postgres://ijw@db/ijw?sslmode=require&password=s3cret&x=1",
	         "postgres://ijw@db/ijw?sslmode=require&password=***&x=1"},
	        {"postgresql://a:b:c@h/d?PASSWORD=e", "postgresql://a:***@h/d?PASSWORD=***"},
	        {"postgresql:///ijw?host=/run/postgresql",
	         "postgresql:///ijw?host=/run/postgresql"},
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(gw_store_spec_shown(cases[i][0], out, sizeof out), cases[i][1]);
}

/* ---- the ledger's keys ---- */

struct keys {
	char k[16][32];
	size_t n, stop; /* stop after stop keys, 0 for never */
	bool ordered;
};

static int
keys_each(void *ctx, const char *k, const char *v)
{
	struct keys *l = ctx;

	assert_string_equal(k, v);
	if (l->n && strcmp(l->k[(l->n - 1) % 16], k) >= 0)
		l->ordered = false;
	snprintf(l->k[l->n++ % 16], sizeof l->k[0], "%s", k);
	return l->stop && l->n >= l->stop;
}

static size_t
scan(struct ijw_ledger *l, const char *prefix, struct keys *out, size_t stop)
{
	memset(out, 0, sizeof *out);
	out->ordered = true;
	out->stop = stop;
	assert_int_equal(l->ops->scan(l->h, prefix, keys_each, out), 0);
	assert_true(out->ordered);
	return out->n;
}

/* Keys in byte order, prefixes of characters beyond ASCII, and more keys than a page holds. */
static void
ledger_keys(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char *const keys[] = {"b",
	                                   "a\x1f"
	                                   "z",
	                                   "a\x1f"
	                                   "\xc3\xa9",
	                                   "a ",
	                                   "a\x1f"
	                                   "\xf4\x8f\xbf\xbf",
	                                   "a\x1f"
	                                   "\xf4\x8f\xbf\xbf"
	                                   "x",
	                                   "a",
	                                   "a\x1f",
	                                   "a\x1f"
	                                   "\x7f"};
	static const char *const under[] = {"a\x1f",
	                                    "a\x1f"
	                                    "z",
	                                    "a\x1f"
	                                    "\x7f",
	                                    "a\x1f"
	                                    "\xc3\xa9",
	                                    "a\x1f"
	                                    "\xf4\x8f\xbf\xbf",
	                                    "a\x1f"
	                                    "\xf4\x8f\xbf\xbf"
	                                    "x"};
	struct ijw_ledger l;
	struct ijw_buf v;
	struct keys out;
	char k[32];

	gw_store_ledger(s, &l);
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_int_equal(l.ops->put(l.h, keys[i], keys[i], 0), 0);
	for (int i = 0; i < 1200; i++) {
		snprintf(k, sizeof k, "P\x1f%04d", i);
		assert_int_equal(l.ops->put(l.h, k, k, 0), 0);
	}
	assert_int_equal(gw_store_commit(s), GW_STORE_OK);

	assert_int_equal(scan(&l, "a\x1f", &out, 0), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(out.k[i], under[i]);
	assert_int_equal(scan(&l,
	                      "a\x1f"
	                      "\xf4\x8f\xbf\xbf",
	                      &out, 0),
	                 2);
	assert_int_equal(scan(&l,
	                      "a\x1f"
	                      "\xc3\xa9",
	                      &out, 0),
	                 1);
	assert_int_equal(scan(&l, "a", &out, 0), 8);
	assert_string_equal(out.k[7], "a ");
	assert_int_equal(scan(&l, "c", &out, 0), 0);
	assert_int_equal(scan(&l, "P\x1f", &out, 0), 1200);
	assert_string_equal(out.k[1199 % 16], "P\x1f"
	                                      "1199");
	assert_int_equal(scan(&l, "", &out, 0), 1209);
	assert_int_equal(scan(&l, "P", &out, 10), 10);

	ijw_buf_init(&v, 1024);
	assert_int_equal(l.ops->get(l.h,
	                            "a\x1f"
	                            "\xc3\xa9",
	                            &v),
	                 1);
	assert_string_equal(ijw_buf_str(&v), "a\x1f"
	                                     "\xc3\xa9");
	assert_int_equal(l.ops->del(l.h, "a\x1f"
	                                 "\xc3\xa9"),
	                 0);
	ijw_buf_reset(&v);
	assert_int_equal(l.ops->get(l.h,
	                            "a\x1f"
	                            "\xc3\xa9",
	                            &v),
	                 0);
	assert_int_equal(l.ops->put(l.h, "a", "again", 7), 0);
	assert_int_equal(l.ops->get(l.h, "a", &v), 1);
	assert_string_equal(ijw_buf_str(&v), "again");
	ijw_buf_free(&v);
	gw_store_close(s);
}

/* ---- several gateways on one PostgreSQL database ---- */

static void
pg_schema(void **state)
{
	struct fx *f = *state;
	char err[512], url[400];
	const char *at = strstr(f->path, "://ijw@");
	gw_store *s;

	gw_store_close(open_store(f));
	assert_int_equal(query(f, "SELECT version FROM ijw_schema"), 2);
	assert_int_equal(query(f, "SELECT count(*) FROM pg_indexes WHERE tablename = 'messages'"
	                          " AND indexname IN ('messages_answers', 'messages_sender',"
	                          " 'messages_received')"),
	                 3);
	assert_int_equal(query(f, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
	                          " AND tablename IN ('messages', 'deliveries', 'attempts',"
	                          " 'audit', 'ledger', 'ijw_schema')"),
	                 6);
	gw_store_close(open_store(f));
	assert_int_equal(query(f, "SELECT count(*) FROM ijw_schema"), 1);

	/* a password is not shown, in the URL's user part or in its parameters */
	assert_non_null(at);
	snprintf(url, sizeof url, "%.*s://ijw:secret@%s?password=secret", (int)(at - f->path),
	         f->path, at + 7);
	assert_non_null(s = gw_store_open(url, "/elsewhere", err, sizeof err));
	snprintf(url, sizeof url, "%.*s://ijw:***@%s?password=***", (int)(at - f->path), f->path,
	         at + 7);
	assert_string_equal(gw_store_path(s), url);
	assert_string_equal(gw_store_kind(s), "postgresql");
	gw_store_close(s);

	exec_sql(f, "UPDATE ijw_schema SET version = 3");
	assert_null(gw_store_open(f->path, NULL, err, sizeof err));
	assert_non_null(strstr(err, "schema version 3, newer than the 2"));
}

enum { RACE = 40 };

/* A gateway of its own, racing another one to the same messages. */
struct racer {
	const struct fx *f;
	pthread_barrier_t *start;
	char name;                     /* 'a' or 'b' */
	bool judged;                   /* its puts are judged by start_once */
	enum gw_put_outcome out[RACE]; /* of each round */
	char error[512];
};

/* A judge that starts an assignment once: the second start of one is refused. */
static int
start_once(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	const char *ident = items[i].msg.identificatie;
	struct ijw_ledger l;
	struct ijw_buf v;
	char key[32];
	int found;

	(void)ctx, (void)n;
	gw_store_ledger(store, &l);
	/* the identification without its last letter: the assignment both start */
	snprintf(key, sizeof key, "S\x1f%.*s", (int)strlen(ident) - 1, ident);
	ijw_buf_init(&v, 1024);
	found = l.ops->get(l.h, key, &v);
	ijw_buf_free(&v);
	if (found < 0)
		return -1;
	if (found) {
		items[i].outcome = GW_PUT_REFUSED;
		return 0;
	}
	return l.ops->put(l.h, key, "started", 0);
}

static void *
racer_main(void *arg)
{
	struct racer *r = arg;
	char err[256], ident[16], name[2] = {r->name, 0};
	gw_store *s = gw_store_open(r->f->path, NULL, err, sizeof err);
	struct gw_put p;

	if (!s)
		snprintf(r->error, sizeof r->error, "open: %s", err);
	else
		gw_store_set_instance(s, name);
	for (int i = 0; i < RACE; i++) {
		/* the same identification, with other bytes in odd rounds; or another one */
		const char *body = r->name == 'b' && i % 2 ? "<b/>" : "<a/>";

		snprintf(ident, sizeof ident, r->judged ? "J%d%c" : "R%d", i, r->name);
		item(&p, "JW305", "42420001", "0384", ident, body, 4);
		if (r->judged)
			p.judge = start_once;
		pthread_barrier_wait(r->start);
		if (!s || r->error[0])
			continue;
		if (gw_store_put(s, &p, 1, 1000 + i) != GW_STORE_OK)
			snprintf(r->error, sizeof r->error, "put %s: %s", ident, gw_store_error(s));
		r->out[i] = p.outcome;
	}
	gw_store_close(s);
	return NULL;
}

/* Two gateways race: a, b; each round one wins. */
static void
race(struct fx *f, bool judged, struct racer *a, struct racer *b)
{
	pthread_barrier_t start;
	pthread_t ta, tb;

	*a = (struct racer){.f = f, .start = &start, .name = 'a', .judged = judged};
	*b = (struct racer){.f = f, .start = &start, .name = 'b', .judged = judged};
	gw_store_close(open_store(f));
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	assert_int_equal(pthread_create(&ta, NULL, racer_main, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, racer_main, b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	if (a->error[0] || b->error[0])
		fail_msg("a: %s; b: %s", a->error, b->error);
}

/* The same identification from two gateways at once: stored once, the other a repeat. */
static void
pg_same_identification(void **state)
{
	struct fx *f = *state;
	struct racer a, b;

	race(f, false, &a, &b);
	for (int i = 0; i < RACE; i++) {
		enum gw_put_outcome other = a.out[i] == GW_PUT_NEW ? b.out[i] : a.out[i];

		assert_true((a.out[i] == GW_PUT_NEW) != (b.out[i] == GW_PUT_NEW));
		assert_int_equal(other, i % 2 ? GW_PUT_CONFLICT : GW_PUT_SAME);
	}
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), RACE);
	assert_int_equal(query(f, "SELECT count(DISTINCT identificatie) FROM messages"), RACE);
}

/* Two starts of one assignment judged by two gateways at once: one is accepted. */
static void
pg_judged_at_once(void **state)
{
	struct fx *f = *state;
	struct racer a, b;

	race(f, true, &a, &b);
	for (int i = 0; i < RACE; i++) {
		assert_true(a.out[i] == GW_PUT_NEW || a.out[i] == GW_PUT_REFUSED);
		assert_true(b.out[i] == GW_PUT_NEW || b.out[i] == GW_PUT_REFUSED);
		assert_true((a.out[i] == GW_PUT_NEW) != (b.out[i] == GW_PUT_NEW));
	}
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), RACE);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), RACE);
}

static size_t
due_for(gw_store *s, int64_t now, size_t per_receiver, struct dues *l)
{
	l->n = 0;
	if (gw_store_due(s, now, 60, 64, per_receiver, dues_each, l) != GW_STORE_OK)
		fail_msg("due: %s", gw_store_error(s));
	return l->n;
}

/* What one gateway lists is leased to it: no other lists it until the lease runs out. */
static void
pg_leases(void **state)
{
	struct fx *f = *state;
	gw_store *a = open_store(f), *b = open_store(f);
	struct gw_put p;
	struct dues d;

	gw_store_set_instance(a, "gw-a:8443");
	gw_store_set_instance(b, "gw-b:8443");
	put_one(a, "1", "<1/>", true, 1000);
	put_one(a, "2", "<2/>", true, 1000);
	item(&p, "JW301", "0384", "42420002", "3", "<3/>", 4);
	p.push = true;
	put(a, &p, 1, 1000);

	assert_int_equal(due_for(a, 1000, 64, &d), 3);
	assert_int_equal(due_for(b, 1000, 64, &d), 0);
	assert_int_equal(due_for(b, 1059, 64, &d), 0);
	/* its own leases it lists again, and they last longer */
	assert_int_equal(due_for(a, 1030, 64, &d), 3);
	/* an attempt ends the lease */
	assert_int_equal(
	        gw_store_attempt(a, d.d[0].delivery, 1031, 503, "busy", false, 1031, false),
	        GW_STORE_OK);
	assert_int_equal(due_for(b, 1031, 64, &d), 1);
	assert_int_equal(d.d[0].attempts, 1);
	assert_int_equal(due_for(b, 1089, 64, &d), 1);
	/* a's leases run out: b takes them over */
	assert_int_equal(due_for(b, 1090, 64, &d), 3);
	assert_int_equal(due_for(a, 1090, 64, &d), 0);
	/* a delivery under another's lease takes its receiver's place */
	assert_int_equal(due_for(a, 1150, 1, &d), 2);
	assert_int_equal(due_for(b, 1150, 64, &d), 1);
	assert_string_equal(d.d[0].receiver, "42420001");
	gw_store_close(a);
	gw_store_close(b);
}

/* A gateway that lists and pushes what is due, beside another one. */
struct pusher {
	const struct fx *f;
	pthread_barrier_t *start;
	const char *name;
	gw_store *s;
	unsigned delivered, twice;
	char error[512];
};

static void
push_each(void *ctx, const struct gw_due *d)
{
	struct pusher *w = ctx;

	switch (gw_store_attempt(w->s, d->delivery, 1000, 200, NULL, true, 0, false)) {
	case GW_STORE_OK:
		w->delivered++;
		break;
	case GW_STORE_NOTFOUND: /* the other one delivered it too */
		w->twice++;
		break;
	case GW_STORE_ERROR:
		snprintf(w->error, sizeof w->error, "attempt: %s", gw_store_error(w->s));
		break;
	}
}

static void *
pusher_main(void *arg)
{
	struct pusher *w = arg;
	char err[256];
	int idle = 0;

	w->s = gw_store_open(w->f->path, NULL, err, sizeof err);
	pthread_barrier_wait(w->start);
	if (!w->s) {
		snprintf(w->error, sizeof w->error, "open: %s", err);
		return NULL;
	}
	gw_store_set_instance(w->s, w->name);
	while (!w->error[0] && idle < 50) {
		unsigned before = w->delivered + w->twice;

		if (gw_store_due(w->s, 1000, 60, 4, 2, push_each, w) != GW_STORE_OK)
			snprintf(w->error, sizeof w->error, "due: %s", gw_store_error(w->s));
		if (w->delivered + w->twice == before) {
			idle++;
			usleep(2000);
		}
	}
	gw_store_close(w->s);
	return NULL;
}

enum { PUSHES = 120 };

static void
pg_two_pushers(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	pthread_barrier_t start;
	struct pusher a = {.f = f, .start = &start, .name = "a"},
	              b = {.f = f, .start = &start, .name = "b"};
	pthread_t ta, tb;
	struct gw_put p[PUSHES];
	char ident[16], receiver[9];

	for (int i = 0; i < PUSHES; i++) {
		snprintf(ident, sizeof ident, "P%d", i);
		snprintf(receiver, sizeof receiver, "4242000%d", i % 6);
		item(&p[i], "JW301", "0384", receiver, ident, "<p/>", 4);
		p[i].push = true;
	}
	put(s, p, PUSHES, 1000);
	gw_store_close(s);
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	assert_int_equal(pthread_create(&ta, NULL, pusher_main, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, pusher_main, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	if (a.error[0] || b.error[0])
		fail_msg("a: %s; b: %s", a.error, b.error);
	assert_int_equal(a.twice + b.twice, 0);
	assert_int_equal(a.delivered + b.delivered, PUSHES);
	assert_int_equal(query(f, "SELECT count(*) FROM attempts"), PUSHES);
	assert_int_equal(query(f, "SELECT count(*) FROM deliveries WHERE claimed_by IS NOT NULL"),
	                 0);
}

/* Audit entries written by two gateways at once: one chain. */
static void *
auditor_main(void *arg)
{
	struct racer *r = arg;
	char err[256], ident[16];
	gw_store *s = gw_store_open(r->f->path, NULL, err, sizeof err);
	struct gw_put p;

	pthread_barrier_wait(r->start);
	if (!s) {
		snprintf(r->error, sizeof r->error, "open: %s", err);
		return NULL;
	}
	for (int i = 0; i < RACE && !r->error[0]; i++) {
		snprintf(ident, sizeof ident, "%c%d", r->name, i);
		item(&p, "JW301", "0384", "42420001", ident, "<x/>", 4);
		if (gw_store_put(s, &p, 1, 1000) != GW_STORE_OK ||
		    gw_store_audit(s, 1000, "0384", "c", "r", "get", p.msg.id, NULL) != GW_STORE_OK)
			snprintf(r->error, sizeof r->error, "%s: %s", ident, gw_store_error(s));
	}
	gw_store_close(s);
	return NULL;
}

static void
pg_audit_two_writers(void **state)
{
	struct fx *f = *state;
	pthread_barrier_t start;
	struct racer a = {.f = f, .start = &start, .name = 'a'},
	             b = {.f = f, .start = &start, .name = 'b'};
	pthread_t ta, tb;
	gw_store *s = open_store(f);
	char why[256] = "";
	size_t n = 0;

	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	assert_int_equal(pthread_create(&ta, NULL, auditor_main, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, auditor_main, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	if (a.error[0] || b.error[0])
		fail_msg("a: %s; b: %s", a.error, b.error);
	if (verify(s, &n, why, sizeof why))
		fail_msg("the chain: %s", why);
	assert_int_equal(n, 4 * RACE);
	gw_store_close(s);
}

/* Ends every other connection to the database of f, as a restart or a failover does. */
static void
end_connections(const struct fx *f)
{
	PQclear(pg_run(f->path, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
	                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
}

/*
 * A connection the server ended (a restart, a failover): found gone as a
 * call begins, it is made anew at once; gone within a transaction, the
 * transaction fails and nothing of it is made again; a reopen works too.
 */
static void
pg_connection_ended(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct ijw_ledger l;
	struct list l2;
	struct dues d;
	char err[512];

	put_one(s, "1", "<1/>", true, 1000);
	end_connections(f);
	put_one(s, "2", "<2/>", false, 1001);
	end_connections(f);
	assert_int_equal(inbox(s, "42420001", 10, &l2), 2);
	end_connections(f);
	assert_int_equal(due(s, 1002, &d), 1);

	gw_store_ledger(s, &l);
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	assert_int_equal(l.ops->put(l.h, "k1", "v", 0), 0);
	end_connections(f);
	/* ledger writes wait to be sent with the next statement: here the commit, which fails */
	assert_int_equal(l.ops->put(l.h, "k2", "v", 0), 0);
	assert_int_equal(gw_store_commit(s), GW_STORE_ERROR);
	assert_int_equal(gw_store_probe(s), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), 0);

	end_connections(f);
	if (gw_store_reopen(s, err, sizeof err))
		fail_msg("reopen: %s", err);
	assert_int_equal(gw_store_probe(s), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT count(*) FROM messages"), 2);
	gw_store_close(s);
}

/*
 * Ledger writes within a transaction go in pipelines of 256: 600 of them,
 * read back before the commit (the writes before a read are sent first),
 * then committed; a write the server refuses fails the statement after it
 * and the commit, and nothing of that transaction stays.
 */
static void
pg_ledger_pipelined(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct ijw_ledger l;
	struct ijw_buf v;
	char k[16], val[16];

	gw_store_ledger(s, &l);
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	for (int i = 0; i < 600; i++) {
		snprintf(k, sizeof k, "p%04d", i);
		snprintf(val, sizeof val, "v%d", i);
		assert_int_equal(l.ops->put(l.h, k, val, 0), 0);
	}
	assert_int_equal(l.ops->del(l.h, "p0001"), 0);
	ijw_buf_init(&v, 1024);
	assert_int_equal(l.ops->get(l.h, "p0599", &v), 1);
	assert_string_equal(v.data, "v599");
	ijw_buf_reset(&v);
	assert_int_equal(l.ops->get(l.h, "p0001", &v), 0);
	assert_int_equal(gw_store_commit(s), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger"), 599);

	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	assert_int_equal(l.ops->put(l.h, "q1", "v", 0), 0);
	/* a value with a NUL-free but invalid UTF-8 byte: the server refuses it */
	assert_int_equal(l.ops->put(l.h, "q2", "\xff", 0), 0);
	assert_int_equal(l.ops->put(l.h, "q3", "v", 0), 0);
	assert_int_equal(l.ops->get(l.h, "q1", &v), -1);
	assert_int_equal(gw_store_commit(s), GW_STORE_ERROR);
	assert_int_equal(query(f, "SELECT count(*) FROM ledger WHERE k LIKE 'q%'"), 0);
	ijw_buf_free(&v);
	gw_store_close(s);
}

/* The rows of a table as dump gives them, each value after the other; loaded into into too. */
struct rows {
	struct ijw_buf b;
	size_t n;
	enum gw_table t;
	void *into; /* a PostgreSQL handle, or NULL */
	bool failed;
};

static int
rows_each(void *ctx, const struct gw_row *r)
{
	struct rows *o = ctx;

	o->n++;
	for (size_t i = 0; i < r->n; i++) {
		const struct gw_cell *c = &r->cell[i];

		ijw_buf_addf(&o->b, "%d:%lld:%zu:", (int)c->kind, (long long)c->i, c->len);
		if (c->len)
			ijw_buf_add(&o->b, c->p, c->len);
	}
	ijw_buf_addstr(&o->b, "\n");
	if (o->into && gw_store_pg.load(o->into, o->t, r) != GW_STORE_OK) {
		o->failed = true;
		return 1;
	}
	return 0;
}

static void
table_rows(void *h, enum gw_table t, void *into, struct rows *o)
{
	ijw_buf_reset(&o->b);
	o->n = 0;
	o->t = t;
	o->into = into;
	assert_int_equal(gw_store_pg.dump(h, t, rows_each, o), GW_STORE_OK);
	if (o->failed)
		fail_msg("load: %s", gw_store_pg.error(into));
}

/* Every row of a database, loaded into another as it is: the same rows, the same ids. */
static void
pg_dump_and_load(void **state)
{
	struct fx *f = *state, to = *f;
	static const unsigned char key[32] = {9};
	gw_store *s = open_store(f);
	struct rows x = {0}, y = {0};
	char err[512], why[256] = "";
	struct gw_put p[2];
	struct ijw_ledger l;
	struct ijw_buf v;
	struct dues d;
	void *a, *b;
	size_t n = 0;

	gw_store_set_ledger_key(s, key, sizeof key);
	put_one(s, "1", "<1/>", true, 1000);
	item(&p[0], "JW301", "0384", "42420001", "2", "<2/>", 4);
	p[0].translated = "<2 vertaald/>";
	p[0].translated_len = 13;
	p[0].advice = "TR418 0611";
	item(&p[1], "JW302", "42420001", "0384", "R2", "<r/>", 4);
	p[1].msg.generated = true;
	p[1].after = 0;
	put(s, p, 2, 1001);
	assert_int_equal(due(s, 1000, &d), 1);
	assert_int_equal(
	        gw_store_attempt(s, d.d[0].delivery, 1002, 503, "busy", false, 1010, false),
	        GW_STORE_OK);
	assert_int_equal(gw_store_ack(s, p[0].msg.id, "42420001", 1003), GW_STORE_OK);
	gw_store_ledger(s, &l);
	assert_int_equal(gw_store_begin(s), GW_STORE_OK);
	assert_int_equal(l.ops->put(l.h,
	                            "A\x1f"
	                            "\xc3\xa9",
	                            "1", 1),
	                 0);
	assert_int_equal(l.ops->put(l.h,
	                            "A\x1f"
	                            "z",
	                            "2", 0),
	                 0);
	assert_int_equal(gw_store_commit(s), GW_STORE_OK);
	gw_store_close(s);

	fresh(&to, "copy");
	assert_non_null(a = gw_store_pg.open(f->path, err, sizeof err));
	assert_non_null(b = gw_store_pg.open(to.path, err, sizeof err));
	ijw_buf_init(&x.b, 1u << 20);
	ijw_buf_init(&y.b, 1u << 20);
	for (int t = 0; t < GW_TABLES; t++) {
		assert_int_equal(gw_store_pg.begin(b), GW_STORE_OK);
		table_rows(a, (enum gw_table)t, b, &x);
		assert_int_equal(gw_store_pg.commit(b), GW_STORE_OK);
	}
	/* the same rows, in the same order; the ledger by its keys' bytes */
	for (int t = 0; t < GW_TABLES; t++) {
		table_rows(a, (enum gw_table)t, NULL, &x);
		table_rows(b, (enum gw_table)t, NULL, &y);
		assert_true(x.n > 0);
		assert_int_equal(x.n, y.n);
		assert_int_equal(x.b.len, y.b.len);
		assert_memory_equal(x.b.data, y.b.data, x.b.len);
	}
	/* the ledger's first key: its text of three bytes */
	assert_int_equal(strncmp(x.b.data,
	                         "2:0:3:A\x1f"
	                         "z",
	                         9),
	                 0);
	/* a row of the wrong width is refused */
	assert_int_equal(gw_store_pg.load(b, GW_TABLE_LEDGER, &(struct gw_row){.n = 2}),
	                 GW_STORE_ERROR);
	ijw_buf_free(&x.b);
	ijw_buf_free(&y.b);
	gw_store_pg.close(a);
	gw_store_pg.close(b);

	/* the copy reads as the store did */
	s = open_store(&to);
	if (verify(s, &n, why, sizeof why))
		fail_msg("the copy's chain: %s", why);
	assert_int_equal(n, 5);
	get_is(s, p[0].msg.id, "42420001", "<2 vertaald/>");
	gw_store_ledger(s, &l);
	ijw_buf_init(&v, 1024);
	assert_int_equal(l.ops->get(l.h,
	                            "A\x1f"
	                            "\xc3\xa9",
	                            &v),
	                 1);
	ijw_buf_free(&v);
	put_one(s, "3", "<3/>", false, 1004);
	gw_store_close(s);
}

/* ---- a message's life ---- */

static struct gw_life
life(gw_store *s, int64_t id, const char *party)
{
	struct gw_life l;

	if (gw_store_life(s, id, party, &l) != GW_STORE_OK)
		fail_msg("life %lld: %s", (long long)id, gw_store_error(s));
	return l;
}

/* A push given up and sent again, its attempts, its retour, its ack: its life tells each. */
static void
life_of_a_message(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	static const char heen[] = "<JW301/>", retour[] = "<JW302/>";
	struct gw_put p[2];
	struct gw_life l;
	struct dues d;
	int64_t id;

	item(&p[0], "JW301", "0384", "42420001", "L1", heen, sizeof heen - 1);
	p[0].push = true;
	p[0].advice = "TR418 0611";
	item(&p[1], "JW302", "42420001", "0384", "R1", retour, sizeof retour - 1);
	p[1].msg.generated = true;
	p[1].after = 0;
	put(s, p, 2, 100);
	id = p[0].msg.id;

	/* stored, pushed not yet: as its sender, its receiver and an operator see it */
	l = life(s, id, "0384");
	assert_int_equal(l.msg.id, id);
	assert_string_equal(l.msg.type, "JW301");
	assert_string_equal(l.msg.advice, "TR418 0611");
	assert_int_equal(l.msg.received, 100);
	assert_string_equal(l.state.delivery, "pending");
	assert_int_equal(l.state.next_attempt, 100);
	assert_int_equal(l.state.attempts, 0);
	assert_int_equal(l.state.acked, 0);
	assert_int_equal(l.state.purged, 0);
	assert_int_equal(l.state.answered_by, p[1].msg.id);
	assert_int_equal(l.n_attempts, 0);
	assert_int_equal(l.n_answers, 1);
	assert_int_equal(l.answers[0].id, p[1].msg.id);
	assert_string_equal(l.answers[0].type, "JW302");
	assert_int_equal(l.answers[0].answers, id);
	assert_true(l.answers[0].generated);
	gw_life_free(&l);
	l = life(s, id, "42420001");
	assert_int_equal(l.msg.id, id);
	gw_life_free(&l);
	l = life(s, id, NULL);
	assert_int_equal(l.state.delivery_id, query(f, "SELECT id FROM deliveries"));
	gw_life_free(&l);
	/* anyone else, and a message that is not there, alike */
	assert_int_equal(gw_store_life(s, id, "42420002", &l), GW_STORE_NOTFOUND);
	assert_null(l.attempts);
	assert_null(l.answers);
	assert_int_equal(gw_store_life(s, id + 10, NULL, &l), GW_STORE_NOTFOUND);
	assert_non_null(strstr(gw_store_error(s), "no message"));
	/* the retour: no push, nothing answers it, it answers the heen message */
	l = life(s, p[1].msg.id, "0384");
	assert_string_equal(l.state.delivery, "");
	assert_int_equal(l.state.delivery_id, 0);
	assert_int_equal(l.msg.answers, id);
	assert_int_equal(l.n_answers, 0);
	gw_life_free(&l);

	/* two attempts fail, the second gives up; a given-up push is not redelivered twice */
	assert_int_equal(due(s, 100, &d), 1);
	assert_int_equal(gw_store_attempt(s, d.d[0].delivery, 101, 503, "busy", false, 160, false),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_redeliver(s, id, 150, "admin", "ab12", "10.0.0.1"),
	                 GW_STORE_NOTFOUND);
	assert_int_equal(
	        gw_store_attempt(s, d.d[0].delivery, 161, 0, "connection refused", false, 0, true),
	        GW_STORE_OK);
	l = life(s, id, NULL);
	assert_string_equal(l.state.delivery, "given_up");
	assert_int_equal(l.state.attempts, 2);
	assert_int_equal(l.state.next_attempt, 0);
	assert_int_equal(l.state.delivered, 0);
	assert_int_equal(l.n_attempts, 2);
	assert_int_equal(l.attempts[0].at, 101);
	assert_int_equal(l.attempts[0].http_status, 503);
	assert_string_equal(l.attempts[0].error, "busy");
	assert_false(l.attempts[0].delivered);
	assert_int_equal(l.attempts[1].at, 161);
	assert_int_equal(l.attempts[1].http_status, 0);
	assert_string_equal(l.attempts[1].error, "connection refused");
	gw_life_free(&l);
	assert_int_equal(due(s, 1000, &d), 0);

	/* sent again by an operator: due at once, its attempts kept, audited */
	assert_int_equal(gw_store_redeliver(s, id, 200, "admin", "ab12", "10.0.0.1"), GW_STORE_OK);
	assert_int_equal(query(f, "SELECT count(*) FROM audit WHERE action = 'redelivered' AND"
	                          " party = 'admin' AND cert = 'ab12' AND remote = '10.0.0.1'"
	                          " AND at = 200"),
	                 1);
	assert_int_equal(query(f, "SELECT message FROM audit WHERE action = 'redelivered'"), id);
	assert_int_equal(gw_store_redeliver(s, id, 201, "admin", "ab12", "10.0.0.1"),
	                 GW_STORE_NOTFOUND);
	assert_int_equal(gw_store_redeliver(s, p[1].msg.id, 201, "admin", "", ""),
	                 GW_STORE_NOTFOUND);
	l = life(s, id, NULL);
	assert_string_equal(l.state.delivery, "pending");
	assert_int_equal(l.state.next_attempt, 200);
	assert_int_equal(l.state.attempts, 2);
	assert_int_equal(l.n_attempts, 2);
	gw_life_free(&l);
	assert_int_equal(due(s, 200, &d), 1);
	assert_int_equal(gw_store_attempt(s, d.d[0].delivery, 205, 200, NULL, true, 0, false),
	                 GW_STORE_OK);
	l = life(s, id, "0384");
	assert_string_equal(l.state.delivery, "delivered");
	assert_int_equal(l.state.delivered, 205);
	assert_int_equal(l.state.acked, 205);
	assert_int_equal(l.n_attempts, 3);
	assert_true(l.attempts[2].delivered);
	assert_string_equal(l.attempts[2].error, "");
	gw_life_free(&l);

	/* retention removed its bytes */
	exec_sql(f, "UPDATE messages SET purged = 900 WHERE id = 1");
	l = life(s, 1, "0384");
	assert_int_equal(l.state.purged, 900);
	gw_life_free(&l);
	gw_life_free(NULL);
	gw_store_close(s);
}

/* A heen message (a sample) and a retour for it, parsed, with their bytes. */
struct conversation {
	char *heen;
	size_t len;
	struct ijw_buf retour;
	ijw_doc *heen_doc, *retour_doc;
};

static void
conversation(const char *sample, struct conversation *c)
{
	struct ijw_retour_opts o = {.identificatie = "RETOUR1", .dagtekening = ijw_today()};
	ijw_findings *fs = ijw_findings_new();
	char path[1024];

	snprintf(path, sizeof path, "%s/samples/%s", tu_source_dir(), sample);
	assert_non_null(c->heen = tu_read(path, &c->len));
	assert_int_equal(ijw_doc_parse(c->heen, c->len, NULL, &c->heen_doc, fs), IJW_OK);
	assert_non_null(c->heen_doc);
	ijw_buf_init(&c->retour, 1u << 20);
	assert_int_equal(ijw_retour(c->heen_doc, fs, &o, &c->retour), IJW_OK);
	assert_int_equal(ijw_doc_parse(c->retour.data, c->retour.len, NULL, &c->retour_doc, fs),
	                 IJW_OK);
	assert_non_null(c->retour_doc);
	ijw_findings_free(fs);
}

static void
conversation_free(struct conversation *c)
{
	ijw_doc_free(c->heen_doc);
	ijw_doc_free(c->retour_doc);
	ijw_buf_free(&c->retour);
	free(c->heen);
}

/* The heen message as its sender puts it, and the retour as its receiver puts it. */
static void
heen_and_retour(struct conversation *c, struct gw_put *heen, struct gw_put *retour)
{
	const struct ijw_header *h = ijw_doc_header(c->heen_doc);
	struct ijw_route r;

	item(heen, ijw_msgdef(ijw_doc_type(c->heen_doc))->name, h->afzender, h->ontvanger,
	     h->identificatie, c->heen, c->len);
	heen->doc = c->heen_doc;
	ijw_doc_route(c->retour_doc, &r);
	item(retour, ijw_msgdef(ijw_doc_type(c->retour_doc))->name, r.from, r.to, r.identificatie,
	     c->retour.data, c->retour.len);
	retour->doc = c->retour_doc;
}

/* A retour a party sends is linked to the message it answers, found by its header. */
static void
retours_linked(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct conversation c301, c323;
	struct gw_put p[3];
	struct gw_life l;

	conversation("JW301-valid-1.xml", &c301);
	conversation("JW323-valid-1.xml", &c323);

	/* heen and retour in one batch */
	heen_and_retour(&c301, &p[0], &p[1]);
	put(s, p, 2, 100);
	assert_int_equal(p[1].outcome, GW_PUT_NEW);
	assert_int_equal(p[1].msg.answers, p[0].msg.id);
	assert_false(p[1].msg.generated);
	l = life(s, p[0].msg.id, NULL);
	assert_int_equal(l.state.answered_by, p[1].msg.id);
	assert_int_equal(l.n_answers, 1);
	assert_int_equal(l.answers[0].answers, p[0].msg.id);
	gw_life_free(&l);
	l = life(s, p[1].msg.id, NULL);
	assert_int_equal(l.msg.answers, p[0].msg.id);
	gw_life_free(&l);

	/* a retour from another party than the heen message's receiver answers nothing */
	{
		char *other = strndup(c301.retour.data, c301.retour.len), *at;
		ijw_findings *fs = ijw_findings_new();
		ijw_doc *doc = NULL;

		assert_non_null(at = strstr(other, "Ontvanger>42420001<"));
		memcpy(at + strlen("Ontvanger>"), "42420002", 8);
		assert_int_equal(ijw_doc_parse(other, strlen(other), NULL, &doc, fs), IJW_OK);
		assert_non_null(doc);
		item(&p[2], "JW302", "42420002", "0384", "RETOUR2", other, strlen(other));
		p[2].doc = doc;
		put(s, &p[2], 1, 150);
		assert_int_equal(p[2].outcome, GW_PUT_NEW);
		assert_int_equal(p[2].msg.answers, 0);
		ijw_doc_free(doc);
		ijw_findings_free(fs);
		free(other);
	}

	/* a JW325 answers the JW323 named by its DeclaratieIdentificatie, in two puts */
	heen_and_retour(&c323, &p[0], &p[1]);
	put(s, &p[0], 1, 200);
	put(s, &p[1], 1, 300);
	assert_string_equal(p[1].msg.type, "JW325");
	assert_int_equal(p[1].msg.answers, p[0].msg.id);
	assert_int_equal(query(f, "SELECT count(*) FROM messages WHERE answers IS NOT NULL"), 2);
	conversation_free(&c323);
	conversation_free(&c301);

	/* its heen message is not in the store: answers none */
	conversation("JW305-valid-1.xml", &c301);
	heen_and_retour(&c301, &p[0], &p[1]);
	put(s, &p[1], 1, 400);
	assert_int_equal(p[1].outcome, GW_PUT_NEW);
	assert_int_equal(p[1].msg.answers, 0);
	/* the gateway's own retour answers what its `after` names, whatever its header */
	item(&p[2], "JW306", p[1].msg.sender, p[1].msg.receiver, "OWN1", "<own/>", 6);
	p[2].msg.generated = true;
	p[2].doc = c301.retour_doc;
	p[2].after = 0;
	item(&p[0], "JW305", p[1].msg.receiver, p[1].msg.sender, "OTHER", "<other/>", 8);
	p[1] = p[2];
	put(s, p, 2, 500);
	assert_int_equal(p[1].outcome, GW_PUT_NEW);
	assert_int_equal(p[1].msg.answers, p[0].msg.id);
	conversation_free(&c301);
	gw_store_close(s);
}

struct browsing {
	struct gw_msg m[64];
	struct gw_state st[64];
	size_t n;
};

static void
browse_each(void *ctx, const struct gw_msg *m, const struct gw_state *st)
{
	struct browsing *b = ctx;

	assert_true(b->n < 64);
	b->m[b->n] = *m;
	b->st[b->n++] = *st;
}

/* The identifications browse lists for f, joined by ",". */
static const char *
browsed(gw_store *s, const struct gw_filter *f)
{
	static char out[512];
	struct browsing b = {.n = 0};
	size_t len = 0;

	if (gw_store_browse(s, f, browse_each, &b) != GW_STORE_OK)
		fail_msg("browse: %s", gw_store_error(s));
	out[0] = '\0';
	for (size_t i = 0; i < b.n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "",
		                        b.m[i].identificatie);
	return out;
}

static void
browse_filters(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct gw_put p[6];
	struct gw_filter flt;
	struct browsing b = {.n = 0};
	struct dues d;

	/* B1 .. B6, received 100 .. 600 */
	item(&p[0], "JW301", "0384", "42420001", "B1", "<1/>", 4);
	item(&p[1], "JW301", "0384", "42420002", "B2", "<2/>", 4);
	p[1].push = true;
	item(&p[2], "JW302", "42420001", "0384", "B3", "<3/>", 4);
	p[2].msg.answers = 1;
	item(&p[3], "JW305", "42420001", "0384", "B4", "<4/>", 4);
	item(&p[4], "JW301", "0363", "42420001", "B5", "<5/>", 4);
	p[4].push = true;
	item(&p[5], "JW302", "42420001", "0384", "B6", "<6/>", 4);
	p[5].msg.generated = true;
	for (int i = 0; i < 6; i++)
		put(s, &p[i], 1, 100 * (i + 1));
	assert_int_equal(gw_store_ack(s, p[3].msg.id, "0384", 700), GW_STORE_OK);
	assert_int_equal(due(s, 1000, &d), 2);
	assert_int_equal(gw_store_attempt(s, d.d[0].delivery, 1000, 200, NULL, true, 0, false),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_attempt(s, d.d[1].delivery, 1000, 500, "no", false, 0, true),
	                 GW_STORE_OK);

	memset(&flt, 0, sizeof flt);
	assert_string_equal(browsed(s, &flt), "B6,B5,B4,B3,B2,B1");
	flt.party = "0384";
	assert_string_equal(browsed(s, &flt), "B6,B4,B3,B2,B1");
	flt.party = NULL;
	flt.sender = "0384";
	assert_string_equal(browsed(s, &flt), "B2,B1");
	flt.sender = NULL;
	flt.receiver = "42420001";
	assert_string_equal(browsed(s, &flt), "B5,B1");
	flt.type = "JW301";
	assert_string_equal(browsed(s, &flt), "B5,B1");
	flt.receiver = NULL;
	flt.type = "JW302";
	assert_string_equal(browsed(s, &flt), "B6,B3");
	flt.type = NULL;

	flt.status = GW_FILTER_UNACKED;
	assert_string_equal(browsed(s, &flt), "B6,B5,B3,B1");
	flt.status = GW_FILTER_ACKED;
	assert_string_equal(browsed(s, &flt), "B4,B2");
	flt.status = GW_FILTER_PENDING;
	assert_string_equal(browsed(s, &flt), "");
	flt.status = GW_FILTER_GIVEN_UP;
	assert_string_equal(browsed(s, &flt), "B5");
	flt.status = GW_FILTER_ANSWERED;
	assert_string_equal(browsed(s, &flt), "B1");
	flt.status = GW_FILTER_GENERATED;
	assert_string_equal(browsed(s, &flt), "B6");
	flt.status = (enum gw_filter_status)99;
	assert_int_equal(gw_store_browse(s, &flt, browse_each, &b), GW_STORE_ERROR);
	assert_non_null(strstr(gw_store_error(s), "no such status 99"));
	flt.status = GW_FILTER_ANY;

	/* a period: from inclusive, to exclusive */
	flt.from = 200;
	flt.to = 500;
	assert_string_equal(browsed(s, &flt), "B4,B3,B2");
	flt.from = flt.to = 0;

	/* pages of two, newest first */
	flt.limit = 2;
	assert_string_equal(browsed(s, &flt), "B6,B5");
	flt.before = p[4].msg.id;
	assert_string_equal(browsed(s, &flt), "B4,B3");
	flt.before = p[2].msg.id;
	assert_string_equal(browsed(s, &flt), "B2,B1");
	flt.before = p[0].msg.id;
	assert_string_equal(browsed(s, &flt), "");

	/* each with its state */
	memset(&flt, 0, sizeof flt);
	flt.sender = "0384";
	assert_int_equal(gw_store_browse(s, &flt, browse_each, &b), GW_STORE_OK);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.m[0].identificatie, "B2");
	assert_string_equal(b.st[0].delivery, "delivered");
	assert_int_equal(b.st[0].delivered, 1000);
	assert_int_equal(b.st[0].acked, 1000);
	assert_int_equal(b.st[0].attempts, 1);
	assert_string_equal(b.m[1].identificatie, "B1");
	assert_string_equal(b.st[1].delivery, "");
	assert_int_equal(b.st[1].answered_by, p[2].msg.id);
	gw_store_close(s);
}

/* An operator reads either copy of any message. */
static void
body_either_copy(void **state)
{
	struct fx *f = *state;
	gw_keyring *k = gw_keyring_new();
	gw_store *s = open_store(f);
	static const char sent[] = "<Code>45A07</Code>", copy[] = "<Code>OP02P</Code>";
	struct gw_put p[2];
	struct ijw_buf b;
	struct gw_msg m;

	key_file(f, k, key_a, NULL);
	gw_store_set_keyring(s, k);
	item(&p[0], "JW301", "0384", "42420001", "C1", sent, sizeof sent - 1);
	p[0].translated = copy;
	p[0].translated_len = sizeof copy - 1;
	item(&p[1], "JW302", "42420001", "0384", "C2", sent, sizeof sent - 1);
	put(s, p, 2, 100);
	ijw_buf_init(&b, 1u << 20);
	assert_int_equal(gw_store_body(s, p[0].msg.id, false, &m, &b), GW_STORE_OK);
	assert_int_equal(m.id, p[0].msg.id);
	assert_true(m.translated);
	assert_string_equal(ijw_buf_str(&b), sent);
	ijw_buf_reset(&b);
	assert_int_equal(gw_store_body(s, p[0].msg.id, true, &m, &b), GW_STORE_OK);
	assert_string_equal(ijw_buf_str(&b), copy);
	ijw_buf_reset(&b);
	/* not translated: the one copy, either way */
	assert_int_equal(gw_store_body(s, p[1].msg.id, true, &m, &b), GW_STORE_OK);
	assert_false(m.translated);
	assert_string_equal(ijw_buf_str(&b), sent);
	ijw_buf_reset(&b);
	assert_int_equal(gw_store_body(s, 99, false, &m, &b), GW_STORE_NOTFOUND);
	assert_non_null(strstr(gw_store_error(s), "no message 99"));
	ijw_buf_free(&b);
	gw_store_close(s);
	gw_keyring_free(k);
}

struct queues {
	struct gw_queue q[8];
	size_t n;
};

static void
queues_each(void *ctx, const struct gw_queue *q)
{
	struct queues *l = ctx;

	assert_true(l->n < 8);
	l->q[l->n++] = *q;
}

static void
queues_per_party(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct gw_put p[5];
	struct queues l = {.n = 0};
	struct dues d;

	item(&p[0], "JW301", "0384", "42420001", "Q1", "<1/>", 4);
	item(&p[1], "JW301", "0384", "42420001", "Q2", "<2/>", 4);
	item(&p[2], "JW301", "0384", "42420002", "Q3", "<3/>", 4);
	p[2].push = true;
	item(&p[3], "JW301", "0384", "42420002", "Q4", "<4/>", 4);
	p[3].push = true;
	item(&p[4], "JW305", "42420001", "0384", "Q5", "<5/>", 4);
	for (int i = 0; i < 5; i++)
		put(s, &p[i], 1, 100 + i);
	assert_int_equal(gw_store_ack(s, p[0].msg.id, "42420001", 200), GW_STORE_OK);
	assert_int_equal(gw_store_ack(s, p[4].msg.id, "0384", 200), GW_STORE_OK);
	assert_int_equal(due(s, 300, &d), 2);
	assert_int_equal(gw_store_attempt(s, d.d[0].delivery, 300, 0, "down", false, 0, true),
	                 GW_STORE_OK);
	assert_int_equal(gw_store_queues(s, queues_each, &l), GW_STORE_OK);
	assert_int_equal(l.n, 3);
	/* by party code; one with every message acknowledged is listed too */
	assert_string_equal(l.q[0].party, "0384");
	assert_int_equal(l.q[0].unacked, 0);
	assert_int_equal(l.q[0].oldest, 0);
	assert_int_equal(l.q[0].due, 0);
	assert_string_equal(l.q[1].party, "42420001");
	assert_int_equal(l.q[1].unacked, 1);
	assert_int_equal(l.q[1].oldest, 101);
	assert_int_equal(l.q[1].due + l.q[1].given_up, 0);
	assert_string_equal(l.q[2].party, "42420002");
	assert_int_equal(l.q[2].unacked, 2);
	assert_int_equal(l.q[2].oldest, 102);
	assert_int_equal(l.q[2].due, 1);
	assert_int_equal(l.q[2].given_up, 1);
	gw_store_close(s);
}

struct rejections {
	struct gw_rejections r[8];
	size_t n;
};

static void
rejections_each(void *ctx, const struct gw_rejections *r)
{
	struct rejections *l = ctx;

	assert_true(l->n < 8);
	l->r[l->n++] = *r;
}

static void
rejections_per_rule(void **state)
{
	struct fx *f = *state;
	gw_store *s = open_store(f);
	struct rejections l = {.n = 0};
	const int64_t day = 20000 * 86400;
	static const struct {
		int64_t at;
		const char *action, *detail;
	} e[] = {
	        {day + 10, "rejected", "JW301 TR002 0001"},
	        {day + 20, "rejected", "JW305 TR002 0001"},
	        {day + 30, "rejected", "XSD"},
	        {day + 40, "put", "JW301"},
	        {day + 86399, "rejected", "JW301 CS002 8001"},
	        {day + 86400, "rejected", "JW301 TR002 0001"},
	        {day + 3 * 86400, "rejected", "JW301 TR002 0001"},
	        {day - 1, "rejected", "JW301 TR002 0001"},
	};

	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++)
		assert_int_equal(
		        gw_store_audit(s, e[i].at, "0384", "", "", e[i].action, 0, e[i].detail),
		        GW_STORE_OK);
	assert_int_equal(gw_store_rejections(s, day, day + 3 * 86400, rejections_each, &l),
	                 GW_STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.r[0].day, day);
	assert_string_equal(l.r[0].rule, "CS002");
	assert_int_equal(l.r[0].n, 1);
	assert_int_equal(l.r[1].day, day);
	assert_string_equal(l.r[1].rule, "TR002");
	assert_int_equal(l.r[1].n, 2);
	assert_int_equal(l.r[2].day, day);
	assert_string_equal(l.r[2].rule, "XSD");
	assert_int_equal(l.r[2].n, 1);
	assert_int_equal(l.r[3].day, day + 86400);
	assert_string_equal(l.r[3].rule, "TR002");
	assert_int_equal(l.r[3].n, 1);
	l.n = 0;
	assert_int_equal(gw_store_rejections(s, 0, day, rejections_each, &l), GW_STORE_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.r[0].day, day - 86400);
	gw_store_close(s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest both[] = {
	        cmocka_unit_test_setup_teardown(open_close_reopen, setup, teardown),
	        cmocka_unit_test_setup_teardown(put_batch, setup, teardown),
	        cmocka_unit_test_setup_teardown(put_all_or_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(ledger_with_the_message, setup, teardown),
	        cmocka_unit_test_setup_teardown(ledger_keys, setup, teardown),
	        cmocka_unit_test_setup_teardown(durable, setup, teardown),
	        cmocka_unit_test_setup_teardown(inbox_and_ack, setup, teardown),
	        cmocka_unit_test_setup_teardown(get_exact_bytes, setup, teardown),
	        cmocka_unit_test_setup_teardown(translated_copy, setup, teardown),
	        cmocka_unit_test_setup_teardown(due_and_attempt, setup, teardown),
	        cmocka_unit_test_setup_teardown(due_per_receiver, setup, teardown),
	        cmocka_unit_test_setup_teardown(two_threads, setup, teardown),
	        cmocka_unit_test_setup_teardown(audit_log, setup, teardown),
	        cmocka_unit_test_setup_teardown(sealed_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(sealed_wrong_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(sealed_changed, setup, teardown),
	        cmocka_unit_test_setup_teardown(sealed_rotation, setup, teardown),
	        cmocka_unit_test_setup_teardown(key_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(audit_chain, setup, teardown),
	        cmocka_unit_test_setup_teardown(probe_and_reopen, setup, teardown),
	        cmocka_unit_test_setup_teardown(copy_whole_store, setup, teardown),
	        cmocka_unit_test_setup_teardown(life_of_a_message, setup, teardown),
	        cmocka_unit_test_setup_teardown(browse_filters, setup, teardown),
	        cmocka_unit_test_setup_teardown(body_either_copy, setup, teardown),
	        cmocka_unit_test_setup_teardown(queues_per_party, setup, teardown),
	        cmocka_unit_test_setup_teardown(rejections_per_rule, setup, teardown),
	        cmocka_unit_test_setup_teardown(retours_linked, setup, teardown),
	};
	const struct CMUnitTest sqlite_only[] = {
	        cmocka_unit_test_setup_teardown(specs_and_file_mode, setup, teardown),
	        cmocka_unit_test_setup_teardown(migrations, setup, teardown),
	        cmocka_unit_test_setup_teardown(audit_chained_by_migration, setup, teardown),
	        cmocka_unit_test_setup_teardown(claim_once, setup, teardown),
	        cmocka_unit_test_setup_teardown(open_existing_only, setup, teardown),
	        cmocka_unit_test(spec_shown),
	};
	const struct CMUnitTest pg_only[] = {
	        cmocka_unit_test_setup_teardown(pg_schema, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_same_identification, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_judged_at_once, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_leases, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_two_pushers, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_audit_two_writers, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_connection_ended, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_ledger_pipelined, setup, teardown),
	        cmocka_unit_test_setup_teardown(pg_dump_and_load, setup, teardown),
	};
	const char *server = getenv("IJW_TEST_PG");
	bool only_pg = argc > 1 && strcmp(argv[1], "postgresql") == 0;
	int failed = 0;

	if (!only_pg) {
		failed += cmocka_run_group_tests_name("store on SQLite", both, NULL, NULL);
		failed += cmocka_run_group_tests_name("SQLite", sqlite_only, NULL, NULL);
	}
	if (only_pg && (!server || !*server)) {
		fprintf(stderr, "test_store postgresql: IJW_TEST_PG names no server "
		                "(run it through tests/with-pg)\n");
		return 1;
	}
	if (server && *server) {
		pg = server;
		failed += cmocka_run_group_tests_name("store on PostgreSQL", both, NULL, NULL);
		failed += cmocka_run_group_tests_name("PostgreSQL", pg_only, NULL, NULL);
	}
	return failed;
}
