/*
 * gw_server.h: the HTTPS server of `ijw-gateway serve`.
 *
 * libevent's evhttp over OpenSSL bufferevents, one event loop thread: TLS,
 * HTTP, authorisation, routing and answering run here; posted messages are
 * judged on a pool of threads (gw_judges.h, `workers`), the store has a
 * thread of its own (gw_writer.h) and so has push delivery (gw_push.h). The
 * API:
 *
 *	POST /v1/berichten            an iJw message from the caller
 *	GET  /v1/berichten            the caller's inbox, oldest first
 *	GET  /v1/berichten/{id}       one message, byte for byte
 *	POST /v1/berichten/{id}/ack   the caller has processed it
 *	GET  /healthz                 liveness: the process answers
 *	GET  /readyz                  readiness: the store takes writes
 *
 * /metrics, the operators' API and the console are on the admin listener
 * (gw_admin.h), on the same event loop.
 *
 * Every request comes over TLS with a client certificate that chains to the
 * configured CA; the certificate names the party (gw_tls_party).
 */
#ifndef GW_SERVER_H
#define GW_SERVER_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "gw_config.h"

typedef struct gw_server gw_server;

/*
 * A server for configuration c, which it takes over (and frees), with TLS
 * context ssl (also taken over): opens the store, starts the writer, the
 * delivery worker and the judging threads (each compiles the schemas), and
 * binds the listening socket. NULL with the reason in err.
 */
gw_server *gw_server_new(struct gw_config *c, SSL_CTX *ssl, char *err, size_t errlen);

/*
 * Serves until SIGTERM or SIGINT: then stops accepting, answers what is in
 * flight, and returns. SIGHUP reloads the parties and certificates from the
 * configuration file without dropping connections. The service manager
 * (sd_notify, when NOTIFY_SOCKET names one) hears READY=1 once the store
 * took a write, RELOADING=1 and READY=1 around a reload, STOPPING=1 at a
 * stop. Returns 0.
 */
int gw_server_run(gw_server *s);

/* Stops the threads, closes the store and frees everything. */
void gw_server_free(gw_server *s);

#endif
