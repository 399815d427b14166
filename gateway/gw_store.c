/*
 * gw_store.c: the store's front: picks the backend a store spec names and
 * passes every call on to it. The rules of a put (the order of a batch,
 * repeats, judging, sealing, deliveries, the audit log's chain, the
 * ledger), of an ack and of a delivery attempt live here once, over the
 * backend's steps.
 *
 * A spec is a file path, optionally prefixed "sqlite:", or a PostgreSQL URL
 * (postgresql://... or postgres://...). A relative path is taken from
 * base_dir (the folder of the configuration file). Any other scheme is
 * refused with a reason. A URL may hold a password: errors never repeat the
 * spec, and gw_store_path() shows it as gw_store_spec_shown() does.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gw_store.h"

/* Scratch buffers hold any message: the largest max_message_bytes and its seal. */
#define SCRATCH_MAX ((size_t)1 << 31)

struct gw_store {
	const struct gw_store_backend *be;
	void *h;
	char *path;  /* as the backend opens it */
	char *shown; /* as it may be logged: gw_store_spec_shown() */
	char instance[128];
	int claim; /* the descriptor that holds gw_store_claim()'s lock, or -1 */
	unsigned char key[64];
	size_t keylen;
	const ijw_products *products;
	gw_keyring *keys; /* the caller's; NULL when bodies are stored plain */
	/* a body and a receiver's copy opened, and sealed, by seal() */
	struct ijw_buf plain[2], sealed[2];
	char err[512]; /* why the front failed; "" when the backend says */
};

/* The backend, for a call: what failed before it is forgotten. */
static const struct gw_store_backend *
call(gw_store *s)
{
	s->err[0] = '\0';
	return s->be;
}

/* ---- message bodies at rest ---- */

static void
scratch_free(gw_store *s)
{
	for (size_t i = 0; i < 2; i++) {
		ijw_buf_free(&s->plain[i]);
		ijw_buf_free(&s->sealed[i]);
	}
}

/*
 * What a seal is bound to: the message's id and which of its bytes they
 * are, so that bytes moved to another row, or a body swapped with its
 * receiver's copy, do not open.
 */
static void
aad_of(int64_t id, bool translated, unsigned char aad[10])
{
	aad[0] = 'm';
	for (int i = 0; i < 8; i++)
		aad[1 + i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	aad[9] = translated ? 't' : 'b';
}

/* Seals len bytes of message id under key into out, or opens them (sealed under key). */
static int
cipher(gw_store *s, bool seal, int64_t id, bool translated, const char *key, const void *data,
       size_t len, struct ijw_buf *out)
{
	unsigned char aad[10];
	char why[400];

	aad_of(id, translated, aad);
	if (!s->keys) {
		gw_store_say(s->err, sizeof s->err,
		             "message %" PRId64 " is sealed under key %s, and no store_key is set",
		             id, key);
		return -1;
	}
	if (seal ? gw_keyring_seal(s->keys, key, data, len, aad, sizeof aad, out, why, sizeof why)
	         : gw_keyring_open(s->keys, key, data, len, aad, sizeof aad, out, why,
	                           sizeof why)) {
		gw_store_say(s->err, sizeof s->err, "message %" PRId64 "%s: %s", id,
		             translated ? " (the receiver's copy)" : "", why);
		return -1;
	}
	return 0;
}

/* The hook of gw_store_seal_fn. */
static int
seal(void *ctx, struct gw_stored *row)
{
	gw_store *s = ctx;
	const void *data[2] = {row->body ? row->body : "", row->translated};
	size_t len[2] = {row->len, row->translated_len};
	char key[GW_KEY_ID_SIZE];

	if (!s->keys || !gw_keyring_current(s->keys, key))
		return 0;
	for (size_t i = 0; i < 2; i++) {
		ijw_buf_reset(&s->plain[i]);
		ijw_buf_reset(&s->sealed[i]);
		if (!data[i])
			continue;
		if (row->key[0]) {
			if (cipher(s, false, row->id, i, row->key, data[i], len[i], &s->plain[i]))
				return -1;
			data[i] = s->plain[i].data ? s->plain[i].data : "";
			len[i] = s->plain[i].len;
		}
		/* both under the one key named, whatever a reload does meanwhile */
		if (cipher(s, true, row->id, i, key, data[i], len[i], &s->sealed[i]))
			return -1;
	}
	row->body = s->sealed[0].data;
	row->len = s->sealed[0].len;
	row->translated = row->translated ? s->sealed[1].data : NULL;
	row->translated_len = row->translated ? s->sealed[1].len : 0;
	memcpy(row->key, key, sizeof row->key);
	OPENSSL_cleanse(s->plain[0].data, s->plain[0].len);
	OPENSSL_cleanse(s->plain[1].data, s->plain[1].len);
	return 0;
}

/*
 * The bytes of message m read by the backend into raw, as stored: appended
 * to body as they were sent, opened when they are sealed.
 */
static enum gw_store_rc
open_into(gw_store *s, const struct gw_msg *m, bool translated, const struct ijw_buf *raw,
          struct ijw_buf *body)
{
	ijw_rc rc;

	if (m->body_key[0])
		return cipher(s, false, m->id, translated, m->body_key, raw->data, raw->len, body)
		               ? GW_STORE_ERROR
		               : GW_STORE_OK;
	if (raw->len && (rc = ijw_buf_add(body, raw->data, raw->len))) {
		gw_store_say(s->err, sizeof s->err, "message %" PRId64 " (%zu bytes): %s", m->id,
		             raw->len, ijw_strerror(rc));
		return GW_STORE_ERROR;
	}
	return GW_STORE_OK;
}

void
gw_store_set_keyring(gw_store *s, gw_keyring *k)
{
	s->keys = k;
}

enum gw_store_rc
gw_store_rekey(gw_store *s, size_t batch, size_t *n)
{
	char key[GW_KEY_ID_SIZE];
	int64_t after = 0;
	size_t done = 0;
	enum gw_store_rc rc;

	*n = 0;
	if (!s->keys || !gw_keyring_current(s->keys, key)) {
		gw_store_say(s->err, sizeof s->err, "rekey: there is no store_key to seal with");
		return GW_STORE_ERROR;
	}
	do {
		rc = call(s)->rekey(s->h, key, &after, batch, seal, s, &done);
		*n += done;
	} while (!rc && done);
	scratch_free(s);
	return rc;
}

void
gw_store_say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The length of the URI-style scheme that spec begins with ("sqlite" of "sqlite:x"), or 0. */
static size_t
scheme_len(const char *spec)
{
	size_t n = 0;

	if (!isalpha((unsigned char)spec[0]))
		return 0;
	while (isalnum((unsigned char)spec[n]) || spec[n] == '+' || spec[n] == '-' ||
	       spec[n] == '.')
		n++;
	return spec[n] == ':' ? n : 0;
}

static bool
is_scheme(const char *spec, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(spec, name, len) == 0;
}

/* Opens the store spec names; existing: a SQLite file must be there already. */
static gw_store *
open_spec(const char *spec, const char *base_dir, bool existing, char *err, size_t errlen)
{
	const struct gw_store_backend *be = &gw_store_sqlite;
	const char *path = spec ? spec : "";
	size_t n = scheme_len(path);
	char *full = NULL;
	struct utsname host;
	struct stat st;
	size_t shown_size;
	gw_store *s;

	if (n && is_scheme(path, n, "sqlite")) {
		path += n + 1;
	} else if (n && (is_scheme(path, n, "postgresql") || is_scheme(path, n, "postgres"))) {
		be = &gw_store_pg;
		base_dir = NULL;
	} else if (n) {
		gw_store_say(err, errlen,
		             "unknown store %.*s:...: a store is a file path, sqlite:PATH or "
		             "postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
		             (int)n, path);
		return NULL;
	}
	if (!*path) {
		gw_store_say(err, errlen, "no store: give the path of its file");
		return NULL;
	}
	if (path[0] != '/' && base_dir && *base_dir) {
		size_t size = strlen(base_dir) + strlen(path) + 2;

		if (!(full = malloc(size))) {
			gw_store_say(err, errlen, "store: out of memory");
			return NULL;
		}
		snprintf(full, size, "%s/%s", base_dir, path);
		path = full;
	}
	if (existing && be == &gw_store_sqlite && strcmp(path, ":memory:") != 0 &&
	    stat(path, &st) != 0) {
		gw_store_say(err, errlen, "%s",
		             errno == ENOENT ? "no such store" : strerror(errno));
		free(full);
		return NULL;
	}
	if (!(s = calloc(1, sizeof *s))) {
		gw_store_say(err, errlen, "store: out of memory");
		free(full);
		return NULL;
	}
	s->be = be;
	s->claim = -1;
	for (size_t i = 0; i < 2; i++) {
		ijw_buf_init(&s->plain[i], SCRATCH_MAX);
		ijw_buf_init(&s->sealed[i], SCRATCH_MAX);
	}
	s->path = full ? full : strdup(path);
	/* room for every password shown as "***" */
	shown_size = 2 * strlen(path) + 16;
	if (s->path && (s->shown = malloc(shown_size)))
		gw_store_spec_shown(s->path, s->shown, shown_size);
	if (!s->path || !s->shown) {
		gw_store_say(err, errlen, "store: out of memory");
		free(s->path);
		free(s->shown);
		free(s);
		return NULL;
	}
	snprintf(s->instance, sizeof s->instance, "%s", uname(&host) == 0 ? host.nodename : "");
	if (!(s->h = be->open(s->path, err, errlen))) {
		free(s->path);
		free(s->shown);
		free(s);
		return NULL;
	}
	return s;
}

gw_store *
gw_store_open(const char *spec, const char *base_dir, char *err, size_t errlen)
{
	return open_spec(spec, base_dir, false, err, errlen);
}

gw_store *
gw_store_open_existing(const char *spec, const char *base_dir, char *err, size_t errlen)
{
	return open_spec(spec, base_dir, true, err, errlen);
}

/* Where in s, from p up to end, name= begins a query parameter, case aside; or NULL. */
static const char *
param(const char *s, const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (; p + n <= end; p++)
		if ((p > s && (p[-1] == '?' || p[-1] == '&')) && strncasecmp(p, name, n) == 0)
			return p;
	return NULL;
}

const char *
gw_store_spec_shown(const char *spec, char *out, size_t size)
{
	const char *host = strstr(spec, "://"), *end, *at = NULL, *colon = NULL, *p, *q;
	struct ijw_buf b;

	if (!host || host != spec + scheme_len(spec)) {
		snprintf(out, size, "%s", spec);
		return out;
	}
	host += 3;
	end = host + strcspn(host, "/?#");
	for (p = host; p < end; p++)
		if (*p == '@')
			at = p;
	for (p = host; at && p < at && !colon; p++)
		if (*p == ':')
			colon = p;
	ijw_buf_init(&b, strlen(spec) + 64);
	if (colon) {
		ijw_buf_add(&b, spec, (size_t)(colon + 1 - spec));
		ijw_buf_addstr(&b, "***");
		p = at;
	} else {
		p = spec;
	}
	end = spec + strlen(spec);
	while ((q = param(spec, p, end, "password="))) {
		q += strlen("password=");
		ijw_buf_add(&b, p, (size_t)(q - p));
		ijw_buf_addstr(&b, "***");
		p = q + strcspn(q, "&#");
	}
	ijw_buf_addstr(&b, p);
	snprintf(out, size, "%s", ijw_buf_str(&b));
	ijw_buf_free(&b);
	return out;
}

int
gw_store_reopen(gw_store *s, char *err, size_t errlen)
{
	void *h = s->be->open(s->path, err, errlen);

	if (!h)
		return -1;
	s->be->close(s->h);
	s->h = h;
	return 0;
}

enum gw_store_rc
gw_store_probe(gw_store *s)
{
	return call(s)->probe(s->h);
}

const char *
gw_store_path(const gw_store *s)
{
	return s->shown;
}

const char *
gw_store_kind(const gw_store *s)
{
	return s->be->name;
}

void
gw_store_set_instance(gw_store *s, const char *name)
{
	snprintf(s->instance, sizeof s->instance, "%s", name);
}

enum gw_store_rc
gw_store_claim(gw_store *s, char *err, size_t errlen)
{
	if (!s->be->claim || s->claim >= 0)
		return GW_STORE_OK;
	return s->be->claim(s->path, &s->claim, err, errlen) ? GW_STORE_ERROR : GW_STORE_OK;
}

void
gw_store_close(gw_store *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s->key, sizeof s->key);
	s->be->close(s->h);
	if (s->claim >= 0)
		close(s->claim);
	scratch_free(s);
	free(s->path);
	free(s->shown);
	free(s);
}

/* ---- the ledger ---- */

static int
l_get(void *h, const char *k, struct ijw_buf *out)
{
	gw_store *s = h;

	return s->be->ledger_get(s->h, k, out);
}

static int
l_put(void *h, const char *k, const char *v, int64_t msg)
{
	gw_store *s = h;

	return s->be->ledger_put(s->h, k, v, msg);
}

static int
l_del(void *h, const char *k)
{
	gw_store *s = h;

	return s->be->ledger_del(s->h, k);
}

static int
l_scan(void *h, const char *prefix, int (*each)(void *, const char *, const char *), void *ctx)
{
	gw_store *s = h;

	return s->be->ledger_scan(s->h, prefix, each, ctx);
}

static int
l_client(void *h, const char *bsn, char out[IJW_CLIENT_SIZE])
{
	gw_store *s = h;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!s->keylen ||
	    !HMAC(EVP_sha256(), s->key, (int)s->keylen, (const unsigned char *)bsn, strlen(bsn),
	          mac, &len) ||
	    len < 16)
		return -1;
	ijw_hex(mac, 16, out);
	return 0;
}

static const struct ijw_ledger_ops ledger_ops = {l_get, l_put, l_del, l_scan, l_client};

int
gw_store_set_ledger_key(gw_store *s, const void *key, size_t len)
{
	if (len == 0 || len > sizeof s->key)
		return -1;
	memcpy(s->key, key, len);
	s->keylen = len;
	return 0;
}

int
gw_store_load_ledger_key(gw_store *s, const char *path, char *err, size_t errlen)
{
	unsigned char key[1][GW_KEY_BYTES];

	if (gw_key_file_read(path, "ledger_key", key, 1, err, errlen) < 0)
		return -1;
	gw_store_set_ledger_key(s, key[0], sizeof key[0]);
	OPENSSL_cleanse(key, sizeof key);
	return 0;
}

bool
gw_store_has_ledger(const gw_store *s)
{
	return s->keylen > 0;
}

void
gw_store_ledger(gw_store *s, struct ijw_ledger *out)
{
	out->ops = &ledger_ops;
	out->h = s;
}

void
gw_store_set_products(gw_store *s, const ijw_products *p)
{
	s->products = p;
}

/* Judges items[i] with its judge, if it has one; non-zero fails the put. */
static int
hook_judge(gw_store *s, struct gw_put *items, size_t n, size_t i)
{
	return items[i].judge ? items[i].judge(items[i].judge_ctx, s, items, n, i) : 0;
}

/* Writes p, stored anew, into the ledger; non-zero fails the put. */
static int
hook_applied(gw_store *s, const struct gw_put *p)
{
	struct ijw_ledger l;
	struct ijw_ledger_opts o = {.products = s->products, .today = ijw_today()};

	if (!p->doc || !s->keylen)
		return 0;
	gw_store_ledger(s, &l);
	return ijw_ledger_apply(&l, p->doc, p->msg.id, &o) ? -1 : 0;
}

/*
 * The heen message retour p answers, found by what its header echoes, into
 * its msg.answers: also of a retour a party sent itself, and of one whose
 * heen message is earlier in the same batch. None when it has an answers
 * already (the gateway's own, with its heen message) or the store lacks the
 * heen message (sent before the store, or elsewhere).
 */
static int
find_answered(const struct gw_store_backend *be, void *h, struct gw_put *p)
{
	struct ijw_answered a;

	if (p->msg.answers || !p->doc || !ijw_doc_answers(p->doc, &a))
		return 0;
	return be->find_heen(h, a.from, a.to, ijw_msgdef(a.type)->name, a.identificatie,
	                     &p->msg.answers);
}

/* The loop of a put, over the backend's steps; see gw_store_put. */
static enum gw_store_rc
put_all(gw_store *s, struct gw_put *items, size_t n, int64_t now)
{
	const struct gw_store_backend *be = call(s);
	void *h = s->h;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (items[i].after >= 0 && (size_t)items[i].after >= i) {
			gw_store_say(
			        s->err, sizeof s->err,
			        "put: item %zu comes after item %d, which is not an earlier one", i,
			        items[i].after);
			return GW_STORE_ERROR;
		}
	if (be->write_begin(h))
		return be->fail(h, "put: beginning the transaction");
	for (size_t i = 0; i < n; i++) {
		struct gw_put *p = &items[i];
		int sender_len = (int)strnlen(p->msg.sender, sizeof p->msg.sender);
		bool found = false;

		if (p->after >= 0 && items[p->after].outcome != GW_PUT_NEW) {
			p->outcome = GW_PUT_SKIPPED;
			continue;
		}
		if (p->after >= 0)
			p->msg.answers = items[p->after].msg.id;
		if (be->find_repeat(h, p, &found))
			return be->fail(h, "put: looking up an earlier message");
		if (found)
			continue;
		if (find_answered(be, h, p))
			return be->fail(h, "put: looking up the message it answers");
		if (hook_judge(s, items, n, i))
			return be->fail(h, "put: judging against the ledger");
		if (p->outcome == GW_PUT_REFUSED)
			continue;
		if ((rc = be->insert_message(h, p, now, seal, s)) == -2)
			return GW_STORE_ERROR;
		if (rc)
			return be->fail(h, "put: storing a message");
		if (p->push && be->insert_delivery(h, p, now))
			return be->fail(h, "put: queueing a delivery");
		if (gw_store_chain_audit(be, h, now, p->msg.sender, sender_len, p->cert, p->remote,
		                         p->imported ? "import" : "put", p->msg.id, p->msg.type) ||
		    (p->advice &&
		     gw_store_chain_audit(be, h, now, p->msg.sender, sender_len, p->cert, p->remote,
		                          "advice", p->msg.id, p->advice)))
			return be->fail(h, "put: writing the audit log");
		if (hook_applied(s, p))
			return be->fail(h, "put: writing the ledger");
	}
	if (be->write_commit(h))
		return be->fail(h, "put: committing");
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_put(gw_store *s, struct gw_put *items, size_t n, int64_t now)
{
	enum gw_store_rc rc = put_all(s, items, n, now);

	scratch_free(s);
	return rc;
}

struct opened {
	gw_store *s;
	int (*each)(void *ctx, const struct gw_msg *m, const void *body, size_t len);
	void *ctx;
};

static int
open_each(void *ctx, const struct gw_msg *m, const void *body, size_t len)
{
	struct opened *o = ctx;
	struct ijw_buf plain;
	int r;

	if (!m->body_key[0])
		return o->each(o->ctx, m, body, len);
	ijw_buf_init(&plain, SCRATCH_MAX);
	r = cipher(o->s, false, m->id, false, m->body_key, body, len, &plain)
	            ? -1
	            : o->each(o->ctx, m, plain.data ? plain.data : "", plain.len);
	OPENSSL_cleanse(plain.data, plain.len);
	ijw_buf_free(&plain);
	return r;
}

enum gw_store_rc
gw_store_messages(gw_store *s,
                  int (*each)(void *ctx, const struct gw_msg *m, const void *body, size_t len),
                  void *ctx)
{
	struct opened o = {s, each, ctx};

	return call(s)->messages(s->h, open_each, &o);
}

struct replay {
	gw_store *s, *to;
	struct ijw_ledger l;
	struct ijw_ledger_opts o;
	size_t n;
};

static int
replay_one(void *ctx, const struct gw_msg *m, const void *body, size_t len)
{
	struct replay *r = ctx;
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	ijw_rc rc;

	/* the gateway's refusals (they answer no stored message) never changed the ledger */
	if (m->generated && !m->answers) {
		ijw_findings_free(f);
		return 0;
	}
	if (!f)
		return -1;
	/* no message is stored without bytes: retention removed these */
	if (!len) {
		gw_store_say(
		        r->s->err, sizeof r->s->err,
		        "message %" PRId64 " has no bytes left (retention removed them): the "
		        "ledger cannot be replayed from this store; replay a backup taken before",
		        m->id);
		ijw_findings_free(f);
		return -1;
	}
	rc = ijw_doc_parse(body, len, NULL, &doc, f);
	if (!rc && doc && !(rc = ijw_ledger_apply(&r->l, doc, m->id, &r->o)))
		r->n++;
	ijw_doc_free(doc);
	ijw_findings_free(f);
	return rc ? -1 : 0;
}

enum gw_store_rc
gw_store_replay(gw_store *s, gw_store *to, size_t *n)
{
	struct replay r = {
	        .s = s, .to = to ? to : s, .o = {.products = s->products, .today = ijw_today()}};
	enum gw_store_rc rc;

	if (!s->keylen)
		return GW_STORE_ERROR;
	if (to)
		gw_store_set_ledger_key(to, s->key, s->keylen);
	else if ((rc = call(s)->ledger_clear(s->h)))
		return rc;
	gw_store_ledger(r.to, &r.l);
	rc = gw_store_messages(s, replay_one, &r);
	*n = r.n;
	return rc;
}

/* A key as text for people: its separators as '/'. */
static void
say_key(struct ijw_buf *out, const char *k)
{
	for (; *k; k++)
		ijw_buf_add(out, *k == '\x1f' ? "/" : k, 1);
}

/* One pass of a comparison: every entry of one store looked up in the other. */
struct pass {
	gw_store *other;
	const char *missing; /* what to call an entry the other lacks */
	bool values;         /* compare the values too (the first pass) */
	struct ijw_buf v, *out;
	size_t n, diff, max;
	bool failed;
};

static int
pass_each(void *ctx, const char *k, const char *v)
{
	struct pass *p = ctx;
	int r;

	p->n++;
	ijw_buf_reset(&p->v);
	if ((r = p->other->be->ledger_get(p->other->h, k, &p->v)) < 0) {
		p->failed = true;
		return 1;
	}
	if (r == 1 && (!p->values || strcmp(ijw_buf_str(&p->v), v) == 0))
		return 0;
	if (p->diff++ < p->max) {
		ijw_buf_addstr(p->out, r ? "differs: " : p->missing);
		say_key(p->out, k);
		ijw_buf_addstr(p->out, "\n");
	}
	return 0;
}

enum gw_store_rc
gw_store_ledger_compare(gw_store *a, gw_store *b, size_t *n, size_t *diff, struct ijw_buf *out,
                        size_t max)
{
	struct pass p = {.other = b,
	                 .missing = "only in the store: ",
	                 .values = true,
	                 .out = out,
	                 .max = max};
	enum gw_store_rc rc = GW_STORE_OK;

	ijw_buf_init(&p.v, 1u << 20);
	if (a->be->ledger_scan(a->h, "", pass_each, &p) || p.failed) {
		rc = GW_STORE_ERROR;
		goto done;
	}
	*n = p.n;
	/* what only the other has; what differs was told already */
	p.other = a;
	p.missing = "only in the messages: ";
	p.values = false;
	if (b->be->ledger_scan(b->h, "", pass_each, &p) || p.failed)
		rc = GW_STORE_ERROR;
	*diff = p.diff;
done:
	ijw_buf_free(&p.v);
	return rc;
}

enum gw_store_rc
gw_store_begin(gw_store *s)
{
	return call(s)->begin(s->h);
}

enum gw_store_rc
gw_store_commit(gw_store *s)
{
	return call(s)->commit(s->h);
}

enum gw_store_rc
gw_store_snapshot(gw_store *s)
{
	return call(s)->snapshot(s->h);
}

enum gw_store_rc
gw_store_rollback(gw_store *s)
{
	return call(s)->rollback(s->h);
}

enum gw_store_rc
gw_store_inbox(gw_store *s, const char *party, size_t limit,
               void (*each)(void *ctx, const struct gw_msg *m), void *ctx)
{
	return call(s)->inbox(s->h, party, limit, each, ctx);
}

enum gw_store_rc
gw_store_get(gw_store *s, int64_t id, const char *party, struct gw_msg *m, struct ijw_buf *body)
{
	struct ijw_buf raw;
	enum gw_store_rc rc;

	ijw_buf_init(&raw, SCRATCH_MAX);
	if (!(rc = call(s)->get(s->h, id, party, m, &raw)))
		rc = open_into(s, m, m->translated, &raw, body);
	ijw_buf_free(&raw);
	return rc;
}

enum gw_store_rc
gw_store_original(gw_store *s, const char *sender, const char *type, const char *identificatie,
                  struct gw_msg *m, struct ijw_buf *body)
{
	struct ijw_buf raw;
	enum gw_store_rc rc;

	ijw_buf_init(&raw, SCRATCH_MAX);
	if (!(rc = call(s)->original(s->h, sender, type, identificatie, m, &raw)))
		rc = open_into(s, m, false, &raw, body);
	ijw_buf_free(&raw);
	return rc;
}

/* ---- a message's life ---- */

enum gw_store_rc
gw_store_life(gw_store *s, int64_t id, const char *party, struct gw_life *out)
{
	enum gw_store_rc rc;

	memset(out, 0, sizeof *out);
	if ((rc = call(s)->life(s->h, id, party, out)))
		gw_life_free(out);
	if (rc == GW_STORE_NOTFOUND)
		gw_store_say(s->err, sizeof s->err, "no message %" PRId64 "%s%s", id,
		             party ? " for " : "", party ? party : "");
	return rc;
}

void
gw_life_free(struct gw_life *l)
{
	if (!l)
		return;
	free(l->attempts);
	free(l->answers);
	l->attempts = NULL;
	l->answers = NULL;
	l->n_attempts = l->n_answers = 0;
}

/* Appends to f's SQL: an error when it is full. */
static int filter_add(struct gw_filter_sql *f, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int
filter_add(struct gw_filter_sql *f, const char *fmt, ...)
{
	size_t len = strlen(f->sql);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(f->sql + len, sizeof f->sql - len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= sizeof f->sql - len ? -1 : 0;
}

/* A condition on column with a new parameter, its value text (or i when text is NULL). */
static int
filter_arg(struct gw_filter_sql *f, char mark, const char *cond, const char *text, int64_t i)
{
	size_t k = f->n;

	if (k == GW_FILTER_ARGS)
		return -1;
	f->arg[k].text = text;
	f->arg[k].i = i;
	f->n++;
	return filter_add(f, " AND ") || filter_add(f, cond, mark, (int)k + 1, mark, (int)k + 1);
}

int
gw_store_filter_sql(const struct gw_filter *f, char mark, struct gw_filter_sql *out, char *err,
                    size_t errlen)
{
	static const char *const status[] = {
	        [GW_FILTER_ANY] = "1 = 1",
	        [GW_FILTER_UNACKED] = "m.acked IS NULL",
	        [GW_FILTER_ACKED] = "m.acked IS NOT NULL",
	        [GW_FILTER_PENDING] = "d.state = 'pending'",
	        [GW_FILTER_GIVEN_UP] = "d.state = 'given_up'",
	        [GW_FILTER_ANSWERED] = "EXISTS (SELECT 1 FROM messages a WHERE a.answers = m.id)",
	        [GW_FILTER_GENERATED] = "m.generated = 1",
	};
	int rc;

	memset(out, 0, sizeof *out);
	if ((unsigned)f->status >= sizeof status / sizeof status[0]) {
		gw_store_say(err, errlen, "browse: no such status %d", (int)f->status);
		return -1;
	}
	rc = filter_add(out, "%s", status[f->status]);
	/* each condition names its parameter twice at most: "%c%d" for each */
	if (!rc && f->party)
		rc = filter_arg(out, mark, "(m.sender = %c%d OR m.receiver = %c%d)", f->party, 0);
	if (!rc && f->visible_to)
		rc = filter_arg(out, mark, GW_VISIBLE("m", "%c%d"), f->visible_to, 0);
	if (!rc && f->sender)
		rc = filter_arg(out, mark, "m.sender = %c%d", f->sender, 0);
	if (!rc && f->receiver)
		rc = filter_arg(out, mark, "m.receiver = %c%d", f->receiver, 0);
	if (!rc && f->type)
		rc = filter_arg(out, mark, "m.type = %c%d", f->type, 0);
	if (!rc && f->from)
		rc = filter_arg(out, mark, "m.received >= %c%d", NULL, f->from);
	if (!rc && f->to)
		rc = filter_arg(out, mark, "m.received < %c%d", NULL, f->to);
	if (!rc && f->before)
		rc = filter_arg(out, mark, "m.id < %c%d", NULL, f->before);
	if (!rc && out->n < GW_FILTER_ARGS) {
		out->arg[out->n].i =
		        f->limit && f->limit < INT64_MAX ? (int64_t)f->limit : INT64_MAX;
		out->n++;
		rc = filter_add(out, " ORDER BY m.id DESC LIMIT %c%zu", mark, out->n);
	}
	if (rc) {
		gw_store_say(err, errlen, "browse: the filter does not fit in a query");
		return -1;
	}
	return 0;
}

enum gw_store_rc
gw_store_browse(gw_store *s, const struct gw_filter *f,
                void (*each)(void *ctx, const struct gw_msg *m, const struct gw_state *st),
                void *ctx)
{
	struct gw_filter_sql where;
	const struct gw_store_backend *be = call(s);

	if (gw_store_filter_sql(f, be == &gw_store_pg ? '$' : '?', &where, s->err, sizeof s->err))
		return GW_STORE_ERROR;
	return be->browse(s->h, &where, each, ctx);
}

enum gw_store_rc
gw_store_body(gw_store *s, int64_t id, bool translated, struct gw_msg *m, struct ijw_buf *body)
{
	struct ijw_buf raw;
	enum gw_store_rc rc;

	ijw_buf_init(&raw, SCRATCH_MAX);
	if (!(rc = call(s)->body(s->h, id, translated, m, &raw)))
		rc = open_into(s, m, translated && m->translated, &raw, body);
	ijw_buf_free(&raw);
	return rc;
}

enum gw_store_rc
gw_store_redeliver(gw_store *s, int64_t id, int64_t now, const char *party, const char *cert,
                   const char *remote)
{
	const struct gw_store_backend *be = call(s);
	void *h = s->h;
	bool none = false;

	if (be->write_begin(h))
		return be->fail(h, "redeliver: beginning the transaction");
	if (be->requeue(h, id, now, &none))
		return be->fail(h, "redeliver: making the push pending");
	if (none) {
		be->abandon(h);
		gw_store_say(s->err, sizeof s->err, "message %" PRId64 " has no push given up", id);
		return GW_STORE_NOTFOUND;
	}
	if (gw_store_chain_audit(be, h, now, party, -1, cert, remote, "redelivered", id, NULL))
		return be->fail(h, "redeliver: writing the audit log");
	if (be->write_commit(h))
		return be->fail(h, "redeliver: committing");
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_queues(gw_store *s, void (*each)(void *ctx, const struct gw_queue *q), void *ctx)
{
	return call(s)->queues(s->h, each, ctx);
}

/* The rejections counted so far, a rule per day once. */
struct tally {
	struct gw_rejections *r;
	size_t n, cap;
	bool nomem;
};

/*
 * The rule of a rejection's audit detail: "JW301 TR002 0001" (type, rule,
 * retour code) or the rule alone (a message that is no iJw message).
 */
static void
rule_of(const char *detail, char *rule, size_t size)
{
	size_t first = strcspn(detail, " ");
	const char *r = detail;

	if (first == 5 && strncmp(detail, "JW", 2) == 0 && detail[first] == ' ')
		r = detail + first + 1;
	snprintf(rule, size, "%.*s", (int)strcspn(r, " "), r);
}

static void
tally_each(void *ctx, int64_t day, const char *detail, size_t n)
{
	struct tally *t = ctx;
	char rule[sizeof t->r->rule];
	struct gw_rejections *more;

	rule_of(detail, rule, sizeof rule);
	/* the backend lists by day: one of this day's is at the end */
	for (size_t i = t->n; i > 0 && t->r[i - 1].day == day; i--)
		if (strcmp(t->r[i - 1].rule, rule) == 0) {
			t->r[i - 1].n += n;
			return;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;

		if (!(more = realloc(t->r, cap * sizeof *more))) {
			t->nomem = true;
			return;
		}
		t->r = more;
		t->cap = cap;
	}
	t->r[t->n].day = day;
	memcpy(t->r[t->n].rule, rule, sizeof rule);
	t->r[t->n++].n = n;
}

static int
by_day_and_rule(const void *a, const void *b)
{
	const struct gw_rejections *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

enum gw_store_rc
gw_store_rejections(gw_store *s, int64_t from, int64_t to,
                    void (*each)(void *ctx, const struct gw_rejections *r), void *ctx)
{
	struct tally t = {0};
	enum gw_store_rc rc = call(s)->rejected(s->h, from, to, tally_each, &t);

	if (!rc && t.nomem) {
		gw_store_say(s->err, sizeof s->err, "rejections: out of memory");
		rc = GW_STORE_ERROR;
	}
	if (!rc) {
		qsort(t.r, t.n, sizeof *t.r, by_day_and_rule);
		for (size_t i = 0; i < t.n; i++)
			each(ctx, &t.r[i]);
	}
	free(t.r);
	return rc;
}

enum gw_store_rc
gw_store_ack(gw_store *s, int64_t id, const char *party, int64_t now)
{
	const struct gw_store_backend *be = call(s);
	void *h = s->h;
	bool found = false, again = false;
	int rc;

	if (be->write_begin(h))
		return be->fail(h, "ack: beginning the transaction");
	if ((rc = be->acked(h, id, party, &found, &again)) == -2)
		return GW_STORE_ERROR;
	if (rc)
		return be->fail(h, "ack: looking up the message");
	if (!found) {
		be->abandon(h);
		gw_store_say(s->err, sizeof s->err, "no message %" PRId64 " for %s", id, party);
		return GW_STORE_NOTFOUND;
	}
	if (!again && be->mark_acked(h, id, now))
		return be->fail(h, "ack: marking the message");
	if (gw_store_chain_audit(be, h, now, party, -1, NULL, NULL, "ack", id,
	                         again ? "again" : NULL))
		return be->fail(h, "ack: writing the audit log");
	if (be->write_commit(h))
		return be->fail(h, "ack: committing");
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_retain(gw_store *s, int64_t before, int64_t now, size_t limit, size_t *n)
{
	const struct gw_store_backend *be = call(s);
	void *h = s->h;
	char detail[64];

	*n = 0;
	if (be->write_begin(h))
		return be->fail(h, "retention: beginning the transaction");
	if (be->purge(h, before, now, limit, n))
		return be->fail(h, "retention: removing message bytes");
	if (!*n) {
		be->abandon(h);
		return GW_STORE_OK;
	}
	snprintf(detail, sizeof detail, "%zu messages received before %" PRId64, *n, before);
	if (gw_store_chain_audit(be, h, now, NULL, -1, NULL, NULL, "retention", 0, detail))
		return be->fail(h, "retention: writing the audit log");
	if (be->write_commit(h)) {
		*n = 0;
		return be->fail(h, "retention: committing");
	}
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_compact(gw_store *s, bool full)
{
	return call(s)->compact(s->h, full);
}

enum gw_store_rc
gw_store_due(gw_store *s, int64_t now, int64_t lease, size_t limit, size_t per_receiver,
             void (*each)(void *ctx, const struct gw_due *d), void *ctx)
{
	return call(s)->due(s->h, now, lease, s->instance, limit, per_receiver, each, ctx);
}

enum gw_store_rc
gw_store_attempt(gw_store *s, int64_t delivery, int64_t now, int http_status, const char *error,
                 bool delivered, int64_t next, bool given_up)
{
	const struct gw_store_backend *be = call(s);
	const char *state = delivered ? "delivered" : given_up ? "given_up" : "pending";
	void *h = s->h;
	bool none = false;

	if (be->write_begin(h))
		return be->fail(h, "attempt: beginning the transaction");
	if (be->update_delivery(h, delivery, next, state, delivered, now, &none))
		return be->fail(h, "attempt: updating the delivery");
	if (none) {
		be->abandon(h);
		gw_store_say(s->err, sizeof s->err, "no pending delivery %" PRId64, delivery);
		return GW_STORE_NOTFOUND;
	}
	if (be->insert_attempt(h, delivery, now, http_status, error, delivered))
		return be->fail(h, "attempt: recording it");
	if (delivered && be->ack_delivered(h, delivery, now))
		return be->fail(h, "attempt: marking the message processed");
	if (be->write_commit(h))
		return be->fail(h, "attempt: committing");
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_audit(gw_store *s, int64_t now, const char *party, const char *cert, const char *remote,
               const char *action, int64_t message, const char *detail)
{
	return call(s)->audit(s->h, now, party, cert, remote, action, message, detail);
}

/* ---- the audit log's chain ---- */

int
gw_store_chain_audit(const struct gw_store_backend *be, void *h, int64_t at, const char *party,
                     int party_len, const char *cert, const char *remote, const char *action,
                     int64_t message, const char *detail)
{
	const char *texts[GW_AUDIT_TEXTS] = {party, cert, remote, action, detail};
	struct gw_audit e = {.at = at, .message = message};
	unsigned char prev[GW_AUDIT_HASH];

	if (be->audit_last(h, &e.id, prev))
		return -1;
	e.id++;
	for (int i = 0; i < GW_AUDIT_TEXTS; i++) {
		e.text[i] = texts[i];
		e.len[i] = !texts[i]                               ? 0
		           : i == GW_AUDIT_PARTY && party_len >= 0 ? (size_t)party_len
		                                                   : strlen(texts[i]);
	}
	gw_audit_hash(prev, &e, e.hash);
	return be->audit_insert(h, &e);
}

static void
hash_u64(EVP_MD_CTX *c, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	EVP_DigestUpdate(c, b, sizeof b);
}

void
gw_audit_hash(const unsigned char prev[GW_AUDIT_HASH], const struct gw_audit *e,
              unsigned char out[GW_AUDIT_HASH])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	static const unsigned char none = 0, some = 1;
	unsigned char md[EVP_MAX_MD_SIZE] = {0};

	/* no context, no hash: an all-zero one, which no entry's hash equals */
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		memcpy(out, md, GW_AUDIT_HASH);
		return;
	}
	EVP_DigestUpdate(c, prev, GW_AUDIT_HASH);
	hash_u64(c, (uint64_t)e->id);
	hash_u64(c, (uint64_t)e->at);
	EVP_DigestUpdate(c, e->message ? &some : &none, 1);
	if (e->message)
		hash_u64(c, (uint64_t)e->message);
	for (size_t i = 0; i < GW_AUDIT_TEXTS; i++) {
		EVP_DigestUpdate(c, e->text[i] ? &some : &none, 1);
		if (!e->text[i])
			continue;
		hash_u64(c, e->len[i]);
		EVP_DigestUpdate(c, e->text[i], e->len[i]);
	}
	EVP_DigestFinal_ex(c, md, NULL);
	EVP_MD_CTX_free(c);
	/* out may be prev */
	memcpy(out, md, GW_AUDIT_HASH);
}

struct walk {
	unsigned char prev[GW_AUDIT_HASH];
	size_t n;
	int64_t bad;
	char *why;
	size_t whylen;
};

static int
walk_each(void *ctx, const struct gw_audit *e)
{
	struct walk *w = ctx;
	unsigned char want[GW_AUDIT_HASH];
	int64_t next = (int64_t)w->n + 1;

	if (e->id != next) {
		w->bad = next;
		gw_store_say(w->why, w->whylen,
		             e->id > next ? "entry %" PRId64 " is missing: the next one is %" PRId64
		                          : "entry %" PRId64 " is missing: %" PRId64
		                            " is in its place",
		             next, e->id);
		return 1;
	}
	gw_audit_hash(w->prev, e, want);
	if (CRYPTO_memcmp(want, e->hash, sizeof want) != 0) {
		w->bad = e->id;
		gw_store_say(w->why, w->whylen,
		             "entry %" PRId64
		             " is changed: its hash does not follow from the entry "
		             "and the one before it",
		             e->id);
		return 1;
	}
	memcpy(w->prev, e->hash, sizeof w->prev);
	w->n++;
	return 0;
}

enum gw_store_rc
gw_store_audit_verify(gw_store *s, size_t *n, int64_t *bad, char *why, size_t whylen,
                      unsigned char head[GW_AUDIT_HASH])
{
	struct walk w = {.why = why, .whylen = whylen};
	enum gw_store_rc rc = call(s)->audit_scan(s->h, walk_each, &w);

	*n = w.n;
	*bad = w.bad;
	memcpy(head, w.prev, sizeof w.prev);
	return rc;
}

const char *
gw_store_error(const gw_store *s)
{
	return s->err[0] ? s->err : s->be->error(s->h);
}

/* ---- a copy of a whole store ---- */

static const char *const table_names[GW_TABLES] = {
        [GW_TABLE_MESSAGES] = "messages", [GW_TABLE_DELIVERIES] = "deliveries",
        [GW_TABLE_ATTEMPTS] = "attempts", [GW_TABLE_AUDIT] = "audit",
        [GW_TABLE_LEDGER] = "ledger",
};

const char *
gw_store_table_name(enum gw_table t)
{
	return t < GW_TABLES ? table_names[t] : "none";
}

/* The rows of a table as they pass: counted, hashed, and loaded into to (when not NULL). */
struct rows {
	EVP_MD_CTX *md;
	gw_store *to;
	enum gw_table t;
	size_t n;
	bool failed; /* to's load failed */
};

static int
rows_each(void *ctx, const struct gw_row *r)
{
	struct rows *w = ctx;

	hash_u64(w->md, r->n);
	for (size_t i = 0; i < r->n; i++) {
		const struct gw_cell *c = &r->cell[i];
		unsigned char kind = (unsigned char)c->kind;

		EVP_DigestUpdate(w->md, &kind, 1);
		if (c->kind == GW_CELL_INT) {
			hash_u64(w->md, (uint64_t)c->i);
		} else if (c->kind != GW_CELL_NULL) {
			hash_u64(w->md, c->len);
			EVP_DigestUpdate(w->md, c->p, c->len);
		}
	}
	w->n++;
	if (w->to && w->to->be->load(w->to->h, w->t, r)) {
		w->failed = true;
		return 1;
	}
	return 0;
}

/* Passes the rows of table t of s through rows_each into w: their count and hash. */
static enum gw_store_rc
rows_of(gw_store *s, enum gw_table t, struct rows *w, unsigned char sha256[32])
{
	enum gw_store_rc rc;

	w->t = t;
	w->n = 0;
	if (EVP_DigestInit_ex(w->md, EVP_sha256(), NULL) != 1) {
		gw_store_say(s->err, sizeof s->err, "%s: cannot hash", table_names[t]);
		return GW_STORE_ERROR;
	}
	if ((rc = s->be->dump(s->h, t, rows_each, w)))
		return rc;
	return EVP_DigestFinal_ex(w->md, sha256, NULL) == 1 ? GW_STORE_OK : GW_STORE_ERROR;
}

static int
any_row(void *ctx, const struct gw_row *r)
{
	(void)r;
	*(bool *)ctx = true;
	return 1;
}

/* Copies every table of from into to, in to's transaction and from's snapshot. */
static enum gw_store_rc
copy_rows(gw_store *from, gw_store *to, EVP_MD_CTX *md, struct gw_copy_report *r)
{
	struct rows w = {.md = md, .to = to};
	bool found = false;

	for (size_t t = 0; t < GW_TABLES; t++) {
		if (to->be->dump(to->h, t, any_row, &found)) {
			gw_store_say(to->err, sizeof to->err, "%s", to->be->error(to->h));
			return GW_STORE_ERROR;
		}
		if (found) {
			gw_store_say(
			        to->err, sizeof to->err,
			        "the store to copy into holds rows already (in %s): a copy goes "
			        "into an empty store",
			        table_names[t]);
			return GW_STORE_ERROR;
		}
	}
	for (size_t t = 0; t < GW_TABLES; t++) {
		if (rows_of(from, t, &w, r->sha256[t])) {
			gw_store_say(to->err, sizeof to->err, "reading the store to copy: %s",
			             gw_store_error(from));
			return GW_STORE_ERROR;
		}
		if (w.failed) {
			gw_store_say(to->err, sizeof to->err, "%s", to->be->error(to->h));
			return GW_STORE_ERROR;
		}
		r->rows[t] = w.n;
	}
	return GW_STORE_OK;
}

/* Reads to back: every table as r says the source's is, and its audit chain intact. */
static enum gw_store_rc
check_copy(gw_store *to, EVP_MD_CTX *md, struct gw_copy_report *r)
{
	struct rows w = {.md = md};
	unsigned char sha256[32], head[GW_AUDIT_HASH];
	char why[256] = "";
	int64_t bad = 0;

	for (size_t t = 0; t < GW_TABLES; t++) {
		if (rows_of(to, t, &w, sha256)) {
			snprintf(why, sizeof why, "%s", gw_store_error(to));
			gw_store_say(to->err, sizeof to->err, "reading the copy: %s", why);
			return GW_STORE_ERROR;
		}
		if (w.n != r->rows[t] || memcmp(sha256, r->sha256[t], sizeof sha256) != 0) {
			r->differs = t;
			gw_store_say(to->err, sizeof to->err,
			             "the copy differs in %s: %zu rows were copied, it holds %zu%s",
			             table_names[t], r->rows[t], w.n,
			             w.n == r->rows[t] ? ", and their hashes differ" : "");
			return GW_STORE_ERROR;
		}
	}
	if (gw_store_audit_verify(to, &r->audit, &bad, why, sizeof why, head)) {
		gw_store_say(to->err, sizeof to->err, "reading the copy's audit log: %s",
		             to->be->error(to->h));
		return GW_STORE_ERROR;
	}
	if (bad) {
		r->differs = GW_TABLE_AUDIT;
		gw_store_say(to->err, sizeof to->err, "the copy's audit log is broken: %s", why);
		return GW_STORE_ERROR;
	}
	return GW_STORE_OK;
}

enum gw_store_rc
gw_store_copy(gw_store *from, gw_store *to, struct gw_copy_report *r)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	enum gw_store_rc rc = GW_STORE_ERROR;

	memset(r, 0, sizeof *r);
	r->differs = GW_TABLES;
	to->err[0] = '\0';
	if (!md) {
		gw_store_say(to->err, sizeof to->err, "copy: out of memory");
		return GW_STORE_ERROR;
	}
	if (call(from)->snapshot(from->h)) {
		gw_store_say(to->err, sizeof to->err, "reading the store to copy: %s",
		             gw_store_error(from));
		goto done;
	}
	if (call(to)->begin(to->h)) {
		gw_store_say(to->err, sizeof to->err, "%s", to->be->error(to->h));
		from->be->rollback(from->h);
		goto done;
	}
	rc = copy_rows(from, to, md, r);
	from->be->rollback(from->h);
	if (rc) {
		to->be->rollback(to->h);
		goto done;
	}
	if ((rc = to->be->commit(to->h))) {
		gw_store_say(to->err, sizeof to->err, "%s", to->be->error(to->h));
		goto done;
	}
	rc = check_copy(to, md, r);
done:
	EVP_MD_CTX_free(md);
	return rc;
}
