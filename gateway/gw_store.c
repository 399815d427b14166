/*
 * gw_store.c: the store's front: picks the backend a store spec names and
 * passes every call on to it.
 *
 * A spec is a file path, optionally prefixed "sqlite:". A relative path is
 * taken from base_dir (the folder of the configuration file). Any other
 * scheme ("postgresql:", ...) is refused with a reason.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gw_store.h"

struct gw_store {
	const struct gw_store_backend *be;
	void *h;
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
	s->be->close(s->h);
	free(s);
}

enum gw_store_rc
gw_store_put(gw_store *s, struct gw_put *items, size_t n, int64_t now)
{
	return s->be->put(s->h, items, n, now);
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
gw_store_due(gw_store *s, int64_t now, size_t limit,
             void (*each)(void *ctx, const struct gw_due *d), void *ctx)
{
	return s->be->due(s->h, now, limit, each, ctx);
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
