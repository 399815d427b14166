/*
 * gw_guard.h: the connection guard between TLS and HTTP.
 *
 * Every connection passes through a filter that reads each request's head
 * before libevent's HTTP layer sees it, and decides before a byte of the
 * body is buffered:
 *
 * - connections: at most max_connections, at most max_per_address from one
 *   address; at the cap the oldest connection still waiting for its first
 *   request head makes room (else the oldest waiting for its next one), and
 *   when none can, accepting pauses for a moment. A
 *   connection gets header_timeout seconds for its TLS handshake and request
 *   head (and between two requests), and the body header_timeout seconds
 *   plus its length at min_body_rate; one too slow is closed.
 * - the head: a duplicate or malformed Content-Length, a Transfer-Encoding
 *   other than a single chunked, or both at once, is a 400.
 * - who: a certificate that names no party gets its 403 before its body is
 *   read: the body is discarded as it arrives, never buffered.
 * - how much: at most max_requests requests and max_bytes body bytes in
 *   flight (503 with Retry-After over them), and per party a token bucket of
 *   rate requests a second with room for burst (429 with Retry-After).
 *
 * A refused request reaches the server as a request of no body whose
 * verdict gw_guard_verdict() gives; its body is discarded, and the
 * connection stays usable. Connections are closed by the guard, once their
 * last answer has left the TLS layer, never by evhttp: it would cut the
 * answer off. Every answer written is counted by its status
 * as it goes out, libevent's own answers included.
 */
#ifndef GW_GUARD_H
#define GW_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "gw_log.h"

struct gw_guard_limits {
	unsigned max_connections, max_per_address;
	unsigned header_timeout;     /* seconds */
	unsigned long min_body_rate; /* bytes a second */
	unsigned max_requests;
	unsigned long max_bytes; /* body bytes in flight */
	unsigned long max_body;  /* the largest body (max_message_bytes) */
	double rate, burst;      /* per party; rate 0: no limit */
};

/* Why a request is refused: status 0 when it is not. */
struct gw_guard_verdict {
	int status;
	unsigned retry_after; /* seconds; 0 for none */
	char error[32];
	char message[192];
};

typedef struct gw_guard gw_guard;

/*
 * The party whose certificate cert is, its code copied into code; false
 * when it is none. Called in the event loop's thread.
 */
typedef bool (*gw_guard_party_fn)(void *ctx, X509 *cert, char code[9]);

/*
 * Something for the audit log: a connection closed before it made a
 * request, or refused. remote is "address:port", cert a SHA-256 fingerprint
 * or "". Called in the event loop's thread, already limited in rate by the
 * guard, which writes the access log's line of a connection that ended
 * before a request (a failed handshake, no head in time), and of a request
 * whose body never came in full (which the server never sees), as often.
 */
typedef void (*gw_guard_notice_fn)(void *ctx, const char *action, const char *remote,
                                   const char *cert, const char *detail);

gw_guard *gw_guard_new(struct event_base *base, const struct gw_guard_limits *limits,
                       gw_guard_party_fn party, gw_guard_notice_fn notice, void *ctx);
/* New limits (a reload); connections keep the deadlines they have. */
void gw_guard_set_limits(gw_guard *g, const struct gw_guard_limits *limits);
/* Pauses the listener when accept() fails for want of descriptors, instead of spinning. */
void gw_guard_listen(gw_guard *g, struct evconnlistener *listener);
/* A new connection's bufferevent for evhttp, over TLS with ssl (owned). NULL on failure. */
struct bufferevent *gw_guard_connection(gw_guard *g, SSL *ssl);
/* Whether an answer is still going out on some connection. */
bool gw_guard_writing(gw_guard *g);
void gw_guard_free(gw_guard *g);

/*
 * Who made the request, as the guard judged its head: the party's code, the
 * certificate's SHA-256 fingerprint and the peer's "address:port"; false
 * when it named no party (or its connection is gone).
 */
bool gw_guard_caller(struct evhttp_request *req, char code[9], char cert[65], char remote[64]);
/*
 * The request as its head came, for the access log: sets a's remote, party
 * and cert (NULL when none), method and path (of the query only the keys
 * the API reads, with their values), and millis since the head came; the
 * strings live as long as the connection. False when its connection is gone.
 */
bool gw_guard_request(struct evhttp_request *req, struct gw_access *a);
/* The guard's verdict on the request; false when it goes on. */
bool gw_guard_verdict(struct evhttp_request *req, struct gw_guard_verdict *out);
/* The request's connection is closed once the answer is out (the connection is not kept). */
void gw_guard_close_after(struct evhttp_request *req);
/* The answer to the request is written: its share of what is in flight is free. */
void gw_guard_done(struct evhttp_request *req);

#endif
