/*
 * gw_store.c: the store's front: picks the backend a store spec names and
 * passes every call on to it.
 *
 * A spec is a file path, optionally prefixed "sqlite:". A relative path is
 * taken from base_dir (the folder of the configuration file). Any other
 * scheme ("postgresql:", ...) is refused with a reason.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gw_store.h"

struct gw_store {
	const struct gw_store_backend *be;
	void *h;
	unsigned char key[64];
	size_t keylen;
	const ijw_products *products;
};

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

gw_store *
gw_store_open(const char *spec, const char *base_dir, char *err, size_t errlen)
{
	const struct gw_store_backend *be = &gw_store_sqlite;
	const char *path = spec ? spec : "";
	size_t n = scheme_len(path);
	char *full = NULL;
	gw_store *s;

	if (n && is_scheme(path, n, "sqlite")) {
		path += n + 1;
	} else if (n && (is_scheme(path, n, "postgresql") || is_scheme(path, n, "postgres"))) {
		/* the rest of the spec may hold a password: it is not repeated */
		gw_store_say(err, errlen, "store %.*s:...: this build has no PostgreSQL backend",
		             (int)n, path);
		return NULL;
	} else if (n) {
		gw_store_say(err, errlen,
		             "unknown store %.*s:...: a store is a file path or sqlite:PATH",
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
			gw_store_say(err, errlen, "store %s: out of memory", spec);
			return NULL;
		}
		snprintf(full, size, "%s/%s", base_dir, path);
		path = full;
	}
	if (!(s = calloc(1, sizeof *s))) {
		gw_store_say(err, errlen, "store %s: out of memory", spec);
		free(full);
		return NULL;
	}
	s->be = be;
	s->h = be->open(path, err, errlen);
	free(full);
	if (!s->h) {
		free(s);
		return NULL;
	}
	return s;
}

void
gw_store_close(gw_store *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s->key, sizeof s->key);
	s->be->close(s->h);
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
	static const char hex[] = "0123456789abcdef";
	gw_store *s = h;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!s->keylen ||
	    !HMAC(EVP_sha256(), s->key, (int)s->keylen, (const unsigned char *)bsn, strlen(bsn),
	          mac, &len) ||
	    len < 16)
		return -1;
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[32] = '\0';
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
	unsigned char key[32];
	char text[80] = "";
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f) {
		gw_store_say(err, errlen, "ledger_key %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	text[n] = '\0';
	for (size_t i = 0; n == 2 * sizeof key && i < sizeof key; i++) {
		unsigned v;

		if (!isxdigit((unsigned char)text[2 * i]) ||
		    !isxdigit((unsigned char)text[2 * i + 1]) ||
		    sscanf(text + 2 * i, "%2x", &v) != 1) {
			n = 0;
			break;
		}
		key[i] = (unsigned char)v;
	}
	OPENSSL_cleanse(text, sizeof text);
	if (n != 2 * sizeof key) {
		gw_store_say(
		        err, errlen,
		        "ledger_key %s: not a key of 64 hex digits (make one with: openssl rand "
		        "-hex 32 > %s)",
		        path, path);
		return -1;
	}
	gw_store_set_ledger_key(s, key, sizeof key);
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

static int
hook_judge(void *ctx, struct gw_put *items, size_t n, size_t i)
{
	gw_store *s = ctx;

	return items[i].judge ? items[i].judge(items[i].judge_ctx, s, items, n, i) : 0;
}

static int
hook_applied(void *ctx, const struct gw_put *p)
{
	gw_store *s = ctx;
	struct ijw_ledger l;
	struct ijw_ledger_opts o = {.products = s->products, .today = ijw_today()};

	if (!p->doc || !s->keylen)
		return 0;
	gw_store_ledger(s, &l);
	return ijw_ledger_apply(&l, p->doc, p->msg.id, &o) ? -1 : 0;
}

enum gw_store_rc
gw_store_put(gw_store *s, struct gw_put *items, size_t n, int64_t now)
{
	const struct gw_put_hooks hk = {hook_judge, hook_applied, s};

	return s->be->put(s->h, items, n, now, &hk);
}

enum gw_store_rc
gw_store_messages(gw_store *s,
                  int (*each)(void *ctx, const struct gw_msg *m, const void *body, size_t len),
                  void *ctx)
{
	return s->be->messages(s->h, each, ctx);
}

struct replay {
	gw_store *to;
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
	struct replay r = {.to = to ? to : s, .o = {.products = s->products, .today = ijw_today()}};
	enum gw_store_rc rc;

	if (!s->keylen)
		return GW_STORE_ERROR;
	if (to)
		gw_store_set_ledger_key(to, s->key, s->keylen);
	else if ((rc = s->be->ledger_clear(s->h)))
		return rc;
	gw_store_ledger(r.to, &r.l);
	rc = s->be->messages(s->h, replay_one, &r);
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
	return s->be->begin(s->h);
}

enum gw_store_rc
gw_store_commit(gw_store *s)
{
	return s->be->commit(s->h);
}

enum gw_store_rc
gw_store_inbox(gw_store *s, const char *party, size_t limit,
               void (*each)(void *ctx, const struct gw_msg *m), void *ctx)
{
	return s->be->inbox(s->h, party, limit, each, ctx);
}

enum gw_store_rc
gw_store_get(gw_store *s, int64_t id, const char *party, struct gw_msg *m, struct ijw_buf *body)
{
	return s->be->get(s->h, id, party, m, body);
}

enum gw_store_rc
gw_store_original(gw_store *s, const char *sender, const char *type, const char *identificatie,
                  struct gw_msg *m, struct ijw_buf *body)
{
	return s->be->original(s->h, sender, type, identificatie, m, body);
}

enum gw_store_rc
gw_store_ack(gw_store *s, int64_t id, const char *party, int64_t now)
{
	return s->be->ack(s->h, id, party, now);
}

enum gw_store_rc
gw_store_due(gw_store *s, int64_t now, size_t limit, size_t per_receiver,
             void (*each)(void *ctx, const struct gw_due *d), void *ctx)
{
	return s->be->due(s->h, now, limit, per_receiver, each, ctx);
}

enum gw_store_rc
gw_store_attempt(gw_store *s, int64_t delivery, int64_t now, int http_status, const char *error,
                 bool delivered, int64_t next, bool given_up)
{
	return s->be->attempt(s->h, delivery, now, http_status, error, delivered, next, given_up);
}

enum gw_store_rc
gw_store_audit(gw_store *s, int64_t now, const char *party, const char *cert, const char *remote,
               const char *action, int64_t message, const char *detail)
{
	return s->be->audit(s->h, now, party, cert, remote, action, message, detail);
}

const char *
gw_store_error(const gw_store *s)
{
	return s->be->error(s->h);
}
