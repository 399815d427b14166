/*
 * gw_admin.h: the admin listener: health, metrics, the operators' API and
 * the web console.
 *
 * A listener of its own (admin_listen, admin_port), on the event loop of
 * the party API (gw_server.h), plain HTTP on loopback or TLS (admin_tls)
 * with the gateway's certificate. Its resources:
 *
 *	GET  /healthz                           liveness, for anyone
 *	GET  /readyz                            the store takes writes, for anyone
 *	GET  /metrics                           Prometheus text format
 *	GET  /admin/v1/messages                 ?party&sender&receiver&type&status
 *	                                        &from&to&before&limit
 *	GET  /admin/v1/messages/{id}            a message's life
 *	POST /admin/v1/messages/{id}/redeliver  a given-up push made pending again
 *	GET  /admin/v1/parties                  the parties and their queues
 *	GET  /admin/v1/rejections               ?from&to: by rule per day
 *	GET  /console/...                       the web console (gw_console.h)
 *
 * Everything but /healthz, /readyz and the console's login page and files
 * needs an operator: the token of admin_token_file as "Authorization:
 * Bearer TOKEN", or (admin_tls) a client certificate whose SHA-256
 * fingerprint is in admin_certificates; else 401. The console logs in with
 * the token and keeps a session in a cookie (random, HttpOnly,
 * SameSite=Strict, Secure under TLS, 8 hours); its forms that change
 * something carry the session's CSRF token. Logins, failed logins,
 * redeliveries and unmasked messages are audited.
 */
#ifndef GW_ADMIN_H
#define GW_ADMIN_H

#include <stddef.h>

#include <event2/event.h>

#include "gw_config.h"
#include "gw_judges.h"
#include "ijw_products.h"
#include "gw_writer.h"

typedef struct gw_admin gw_admin;

/* What the admin listener works with, all owned by the server. */
struct gw_admin_env {
	struct event_base *base;
	gw_writer *writer; /* the store's thread: every read and write goes through it */
	gw_judges *judges; /* for the judging queue's gauges */
	/* the product table the ledger judges by (the report's rows), or NULL; never changed */
	const ijw_products *products;
	/* wakes the push worker: a redelivered push is due */
	void (*wake)(void *ctx);
	void *wake_ctx;
	/* the configuration as it is now (a reload changes it); in the event loop's thread */
	const struct gw_config *(*config)(void *ctx);
	void *config_ctx;
};

/*
 * Binds the admin listener of configuration c: NULL with *err empty when
 * admin_listen is off, or NULL with the reason in err (a token file that
 * cannot be read, a port taken, a TLS context that cannot be made). Logs
 * admin_listening with the address and port. env is copied.
 */
gw_admin *gw_admin_new(const struct gw_admin_env *env, const struct gw_config *c, char *err,
                       size_t errlen);

/* Stops accepting connections (the daemon is stopping). */
void gw_admin_close(gw_admin *a);

/* Frees a; after the writer has stopped, which completes the requests that wait for it. */
void gw_admin_free(gw_admin *a);

#endif
