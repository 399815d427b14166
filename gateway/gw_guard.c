/*
 * gw_guard.c: the connection guard, a bufferevent filter between TLS and
 * evhttp.
 *
 * Each connection is a filter over its TLS bufferevent. The input side holds
 * a request's bytes back until its head is complete, judges the head, and
 * then passes it on with its body (admitted), or passes on a request of no
 * body in its place and discards the body as it arrives (refused). It reads
 * no further than one request: the next head waits until the answer to this
 * one is written. The output side reads the status line of every answer.
 *
 * Deadlines are one timer per connection. A connection to be closed is shut
 * down under libevent's feet (shutdown(2)): evhttp sees the end of the
 * stream and frees it, and the filter's context goes with it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>

#include "gw_guard.h"
#include "gw_head.h"
#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_tls.h"

#define HEAD_MAX 16384     /* a request head, as evhttp's max_headers_size */
#define PAUSE_MS 250       /* accepting rests this long when descriptors run out */
#define SUMMARY_SECONDS 10 /* refusals are logged as counts at most this often */
#define NOTICES_MAX 20     /* notices per SUMMARY_SECONDS; the rest are counted */
#define ADDR_BUCKETS 4096
#define ACCEPT_SLACK 256 /* connections over the cap, closing, before accepting pauses */
#define REFUSED_PATH "/-/refused"
#define PATH_MAX_LOGGED 512 /* of a request's path and query in the access log */

enum cstate {
	C_HEAD,    /* waiting for a request head */
	C_BODY,    /* passing an admitted body on */
	C_DISCARD, /* discarding a refused body */
	C_BUSY     /* the request is with the server */
};

struct addr {
	struct addr *next;
	char host[GW_LOG_HOST_MAX];
	unsigned n;
};

struct conn {
	TAILQ_ENTRY(conn) link;
	gw_guard *g;
	struct bufferevent *bev, *tls;
	struct event *timer;
	struct event *kick; /* writes out what evhttp added to the output */
	struct evbuffer_cb_entry *added, *drained;
	struct addr *addr;
	char remote[64];
	char cert[65]; /* the client certificate's SHA-256, once there is one */
	char party[9]; /* whose it is, as the request being answered was judged */
	char method[16], path[PATH_MAX_LOGGED]; /* of the request being answered, as it came */
	double opened, head_at;                 /* when it was accepted; its head came */
	enum cstate state;
	bool admitted;    /* counted against the caps */
	bool answering;   /* a request is with evhttp, its answer not yet written */
	bool closing;     /* shut down */
	bool requested;   /* made a request at all */
	bool head_req;    /* the request is a HEAD: its answer has no body */
	bool close_after; /* closed once the answer is out */
	uint64_t left;    /* body bytes still to pass on or discard */
	uint64_t length;  /* of the body, as the head gives it */
	bool late;        /* closed for a body too slow */
	size_t reserved;
	bool slot;
	struct gw_guard_verdict verdict;
	uint64_t out_left; /* body bytes of the answer being written */
};

struct bucket {
	char code[9];
	double tokens, last;
};

struct gw_guard {
	struct event_base *base;
	struct gw_guard_limits lim;
	gw_guard_party_fn party;
	gw_guard_notice_fn notice;
	void *ctx;
	TAILQ_HEAD(, conn) conns;
	unsigned nconns;
	struct addr *addrs[ADDR_BUCKETS];
	unsigned requests;
	size_t bytes;
	struct bucket *buckets;
	size_t nbuckets;
	struct evconnlistener *listener;
	struct event *resume, *summary;
	bool paused, freed;               /* freed: let go, and gone with its last connection */
	unsigned long tally[GW_REFUSALS]; /* since the last summary */
	unsigned notices;                 /* in this summary interval */
	char head[HEAD_MAX + 1];
};

static int ex_index = -1;
static gw_guard *listening; /* the guard whose listener's errors come to on_accept_error */

static void
tally(gw_guard *g, enum gw_refusal t)
{
	g->tally[t]++;
	gw_metrics_refusal(t);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
arm(struct conn *c, double seconds)
{
	struct timeval tv = {(time_t)seconds,
	                     (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)};

	evtimer_add(c->timer, &tv);
}

/*
 * Whether one more notice, or line of the access log the guard writes, may
 * go out: NOTICES_MAX per summary interval, the rest counted.
 */
static bool
room(gw_guard *g)
{
	if (g->freed)
		return false;
	if (g->notices >= NOTICES_MAX) {
		tally(g, GW_REFUSED_NOTICES);
		return false;
	}
	g->notices++;
	return true;
}

/* Tells the server (for the audit log), if there is room(). */
static bool
notice(gw_guard *g, const char *action, const struct conn *c, const char *detail)
{
	char cert[65] = "";
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);
	const char *why = ssl ? gw_tls_refused(ssl, cert) : NULL;

	if (!room(g))
		return false;
	if (!why)
		snprintf(cert, sizeof cert, "%s", c->cert);
	g->notice(g->ctx, action, c->remote, cert, why ? why : detail);
	return true;
}

/*
 * A connection that ends before a request: told (notice()), and, as often
 * as notices are, a line of the access log with what ended it: the
 * verification error or the alert of a failed handshake, else detail.
 */
static void
ended(struct conn *c, const char *action, const char *detail)
{
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);
	X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	char cert[65] = "", error[256];
	const char *why = NULL;
	struct gw_access a = {.listener = "api", .remote = c->remote};

	if (!notice(c->g, action, c, detail))
		return;
	if (ssl && !(why = gw_tls_refused(ssl, cert)) && SSL_is_init_finished(ssl) == 0)
		why = gw_tls_alert(ssl);
	if (!cert[0] && peer)
		gw_tls_fingerprint(peer, cert);
	snprintf(error, sizeof error, "%s%s", why ? "handshake: " : "", why ? why : detail);
	a.cert = cert[0] ? cert : NULL;
	a.millis = (now_seconds() - c->opened) * 1000;
	a.error = error;
	gw_log_access(&a);
}

/* Says nothing: the TLS layer's word on a handshake the guard cuts short. */
static void
unheard(const SSL *ssl, int where, int ret)
{
	(void)ssl;
	(void)where;
	(void)ret;
}

/*
 * Closes c: evhttp sees the end of its stream and frees it. A handshake cut
 * short is the guard's doing, counted by it, not a client's failure for the
 * TLS layer to log.
 */
static void
kill_conn(struct conn *c)
{
	evutil_socket_t fd = bufferevent_getfd(c->tls);
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);

	if (c->closing)
		return;
	c->closing = true;
	evtimer_del(c->timer);
	if (ssl && !SSL_is_init_finished(ssl))
		SSL_set_info_callback(ssl, unheard);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

/* ---- accepting ---- */

/* Stops accepting for ms milliseconds. */
static void
pause_accepting(gw_guard *g, long ms)
{
	const struct timeval tv = {0, (suseconds_t)(ms * 1000)};

	if (!g->listener || g->paused)
		return;
	evconnlistener_disable(g->listener);
	g->paused = true;
	evtimer_add(g->resume, &tv);
}

static void
on_resume(evutil_socket_t fd, short what, void *arg)
{
	gw_guard *g = arg;

	(void)fd;
	(void)what;
	if (g->paused && g->listener)
		evconnlistener_enable(g->listener);
	g->paused = false;
}

static void
on_accept_error(struct evconnlistener *l, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();

	(void)l;
	(void)arg;
	if (!listening)
		return;
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM)
		tally(listening, GW_REFUSED_NO_FILES);
	else
		gw_log(GW_LOG_WARN, "accept_failed", "error=\"%s\"", strerror(err));
	pause_accepting(listening, PAUSE_MS);
}

/* The hash of a host's address text, for its bucket. */
static uint32_t
host_hash(const char *host)
{
	uint32_t h = 2166136261u;

	for (; *host; host++)
		h = (h ^ (unsigned char)*host) * 16777619u;
	return h % ADDR_BUCKETS;
}

static struct addr *
addr_get(gw_guard *g, const char *host)
{
	struct addr *a;

	for (a = g->addrs[host_hash(host)]; a; a = a->next)
		if (strcmp(a->host, host) == 0)
			return a;
	if (!(a = calloc(1, sizeof *a)))
		return NULL;
	snprintf(a->host, sizeof a->host, "%s", host);
	a->next = g->addrs[host_hash(host)];
	g->addrs[host_hash(host)] = a;
	return a;
}

static void
addr_put(gw_guard *g, struct addr *a)
{
	struct addr **pp;

	if (--a->n)
		return;
	for (pp = &g->addrs[host_hash(a->host)]; *pp != a; pp = &(*pp)->next)
		;
	*pp = a->next;
	free(a);
}

/* Whether c waits for a request head, its last answer all written out. */
static bool
idle(const struct conn *c)
{
	return c->state == C_HEAD && !c->answering && !c->closing &&
	       !evbuffer_get_length(bufferevent_get_output(c->tls));
}

/*
 * The idle connection other than c to close: the oldest that has not made a
 * request yet, else the oldest. A connection is as old as it was accepted,
 * so without the preference a party's kept-alive connection, idle for a
 * moment between two requests, would go before any newer one that never
 * finished its handshake.
 */
static struct conn *
evictable(gw_guard *g, const struct conn *c)
{
	struct conn *o, *used = NULL;

	TAILQ_FOREACH(o, &g->conns, link)
	if (o != c && idle(o)) {
		if (!o->requested)
			return o;
		if (!used)
			used = o;
	}
	return used;
}

/* Counts the new connection c against the caps, or closes it (or an older one). */
static void
admit(struct conn *c)
{
	gw_guard *g = c->g;
	char host[GW_LOG_HOST_MAX];
	unsigned port;
	struct conn *old;

	c->admitted = true;
	if (!gw_log_address(bufferevent_getfd(c->tls), false, host, &port)) {
		kill_conn(c);
		return;
	}
	snprintf(c->remote, sizeof c->remote, "%s:%u", host, port);
	if ((c->addr = addr_get(g, host)))
		c->addr->n++;
	if (c->addr && c->addr->n > g->lim.max_per_address) {
		tally(g, GW_REFUSED_ADDRESS);
		kill_conn(c);
		return;
	}
	if (g->nconns > g->lim.max_connections) {
		if ((old = evictable(g, c))) {
			tally(g, GW_REFUSED_EVICTED);
			kill_conn(old);
		} else {
			tally(g, GW_REFUSED_FULL);
			kill_conn(c);
			pause_accepting(g, PAUSE_MS);
			return;
		}
	}
	arm(c, g->lim.header_timeout);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (!c->admitted) {
		admit(c);
		return;
	}
	if (c->state == C_HEAD && !c->answering && !idle(c)) {
		/* an answer still going out: evhttp's write timeout watches it */
		arm(c, c->g->lim.header_timeout);
	} else if (idle(c)) {
		tally(c->g, GW_REFUSED_HEAD_TIMEOUT);
		if (!c->requested)
			ended(c, "head_timeout",
			      SSL_is_init_finished(bufferevent_openssl_get_ssl(c->tls))
			              ? "no request head in time"
			              : "no TLS handshake in time");
		kill_conn(c);
	} else if (c->state == C_BODY || c->state == C_DISCARD) {
		tally(c->g, GW_REFUSED_BODY_TIMEOUT);
		c->late = true;
		kill_conn(c);
	}
}

static void
on_summary(evutil_socket_t fd, short what, void *arg)
{
	gw_guard *g = arg;
	char line[512];
	size_t n = 0;

	(void)fd;
	(void)what;
	for (int i = 0; i < GW_REFUSALS; i++)
		if (g->tally[i] && n < sizeof line)
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%s=%lu", n ? " " : "",
			                      gw_refusal_names[i], g->tally[i]);
	if (n)
		gw_log(GW_LOG_WARN, "connections_refused", "%s open=%u in_flight=%u bytes=%zu",
		       line, g->nconns, g->requests, g->bytes);
	memset(g->tally, 0, sizeof g->tally);
	g->notices = 0;
}

/* ---- a request's head ---- */

static void
release(struct conn *c)
{
	gw_guard *g = c->g;

	if (c->slot)
		g->requests--;
	g->bytes -= c->reserved;
	c->slot = false;
	c->reserved = 0;
}

/* Sets the verdict; false, for judge() to return. */
static bool refuse(struct gw_guard_verdict *v, int status, const char *error, unsigned retry_after,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static bool
refuse(struct gw_guard_verdict *v, int status, const char *error, unsigned retry_after,
       const char *fmt, ...)
{
	va_list ap;

	v->status = status;
	v->retry_after = retry_after;
	snprintf(v->error, sizeof v->error, "%s", error);
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
	return false;
}

static struct bucket *
bucket_of(gw_guard *g, const char *code)
{
	struct bucket *b;

	for (size_t i = 0; i < g->nbuckets; i++)
		if (strcmp(g->buckets[i].code, code) == 0)
			return &g->buckets[i];
	if (!(b = realloc(g->buckets, (g->nbuckets + 1) * sizeof *b)))
		return NULL;
	g->buckets = b;
	b = &g->buckets[g->nbuckets++];
	snprintf(b->code, sizeof b->code, "%s", code);
	b->tokens = g->lim.burst;
	b->last = now_seconds();
	return b;
}

/* Decides on the request whose head is h: admits it (counts it in flight), or refuses it. */
static bool
judge(struct conn *c, const struct gw_head *h, struct gw_guard_verdict *v)
{
	gw_guard *g = c->g;
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);
	X509 *cert = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	struct bucket *b;
	size_t want;
	bool named;

	memset(v, 0, sizeof *v);
	/* who it is, first: the access log names the sender of a request refused for its head */
	if (cert && !c->cert[0])
		gw_tls_fingerprint(cert, c->cert);
	named = cert && SSL_get_verify_result(ssl) == X509_V_OK && g->party(g->ctx, cert, c->party);
	if (h->folded || h->bad_name)
		return refuse(v, 400, "bad request", 0,
		              "a header line is folded, has no name, or holds a control character");
	if (h->content_lengths > 1)
		return refuse(v, 400, "bad request", 0, "Content-Length is given %d times",
		              h->content_lengths);
	if (h->bad_length)
		return refuse(v, 400, "bad request", 0, "Content-Length is not a number of bytes");
	if (h->encodings > 1 || (h->encodings && !h->chunked))
		return refuse(v, 400, "bad request", 0,
		              "the only Transfer-Encoding taken is one chunked");
	if (h->encodings && h->content_lengths)
		return refuse(v, 400, "bad request", 0,
		              "Content-Length and Transfer-Encoding are both given");
	if (strcmp(h->method, "POST") != 0 && (h->encodings || h->length))
		return refuse(v, 400, "bad request", 0, "only a POST has a body, not a %s",
		              h->method);
	if (h->chunked)
		return refuse(v, 411, "length required", 0,
		              "send the message with a Content-Length, not chunked");
	if (h->length > g->lim.max_body)
		return refuse(v, 413, "too large", 0,
		              "the body of %llu bytes is over the limit of %lu bytes",
		              (unsigned long long)h->length, g->lim.max_body);
	if (!named) {
		notice(g, "forbidden", c, "the client certificate names no party");
		return refuse(v, 403, "forbidden", 0,
		              "the client certificate is not that of a party of this gateway");
	}
	if (g->lim.rate > 0 && (b = bucket_of(g, c->party))) {
		double now = now_seconds();

		b->tokens += (now - b->last) * g->lim.rate;
		if (b->tokens > g->lim.burst)
			b->tokens = g->lim.burst;
		b->last = now;
		if (b->tokens < 1)
			return refuse(v, 429, "too many requests",
			              (unsigned)((1 - b->tokens) / g->lim.rate) + 1,
			              "%s makes more than %g requests a second", c->party,
			              g->lim.rate);
		b->tokens -= 1;
	}
	want = (size_t)h->length;
	if (g->requests >= g->lim.max_requests)
		return refuse(v, 503, "busy", 1, "%u requests are in flight; try again shortly",
		              g->requests);
	if (want && g->bytes + want > g->lim.max_bytes)
		return refuse(v, 503, "busy", 1,
		              "%zu bytes of messages are in flight; try again shortly", g->bytes);
	g->requests++;
	c->slot = true;
	g->bytes += want;
	c->reserved = want;
	return true;
}

/* The connection waits for its next request head, header_timeout at the most. */
static void
await_head(struct conn *c)
{
	c->state = C_HEAD;
	arm(c, c->g->lim.header_timeout);
}

/* The body passed on or discarded: the connection waits for the answer, or the next head. */
static void
body_over(struct conn *c)
{
	evtimer_del(c->timer);
	if (c->answering)
		c->state = C_BUSY;
	else
		await_head(c);
}

/* Whether the query's key k[0..n) is one the party API reads: its value is logged. */
static bool
query_key_logged(const char *k, size_t n)
{
	static const char *const keys[] = {"box", "limit"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == n && memcmp(k, keys[i], n) == 0)
			return true;
	return false;
}

/*
 * Keeps the method and the target of the request line in head[0..len) for
 * the access log; of the query only the pairs whose key the API reads, so
 * that no value a client puts there (a BSN) reaches the log.
 */
static void
seen(struct conn *c, const char *head, size_t len)
{
	const char *sp = memchr(head, ' ', len), *t, *end, *q, *amp;
	size_t n, at;

	c->head_at = now_seconds();
	n = sp ? (size_t)(sp - head) : 0;
	snprintf(c->method, sizeof c->method, "%.*s", (int)(n < 15 ? n : 15), head);
	c->path[0] = '\0';
	if (!sp)
		return;
	t = sp + 1;
	for (end = t; end < head + len && *end != ' ' && *end != '\r' && *end != '\n'; end++)
		;
	q = memchr(t, '?', (size_t)(end - t));
	n = (size_t)((q ? q : end) - t);
	at = (size_t)snprintf(c->path, sizeof c->path, "%.*s",
	                      (int)(n < sizeof c->path ? n : sizeof c->path - 1), t);
	for (; q && q < end && at < sizeof c->path; q = amp) {
		const char *k = q + 1, *eq;

		amp = memchr(k, '&', (size_t)(end - k));
		if (!amp)
			amp = end;
		eq = memchr(k, '=', (size_t)(amp - k));
		if (query_key_logged(k, (size_t)((eq ? eq : amp) - k)))
			at += (size_t)snprintf(c->path + at, sizeof c->path - at, "%c%.*s",
			                       strchr(c->path, '?') ? '&' : '?', (int)(amp - k), k);
	}
}

/* Reads a head from src; false when it is not complete yet. */
static bool
read_head(struct conn *c, struct evbuffer *src, struct evbuffer *dst,
          enum bufferevent_flush_mode mode)
{
	gw_guard *g = c->g;
	size_t len = evbuffer_get_length(src), n, end;
	struct gw_head h;
	bool http10;

	n = len < HEAD_MAX ? len : HEAD_MAX;
	evbuffer_copyout(src, g->head, n);
	c->party[0] = '\0';
	if (!(end = gw_head_end(g->head, n))) {
		if (n < HEAD_MAX && mode == BEV_NORMAL)
			return false;
		memset(&h, 0, sizeof h);
		snprintf(h.version, sizeof h.version, "HTTP/1.1");
		refuse(&c->verdict, n < HEAD_MAX ? 400 : 431, "bad request", 0,
		       n < HEAD_MAX ? "the request head is cut off"
		                    : "the request head is over 16384 bytes");
		h.close = true;
		end = len;
	} else if (!gw_head_parse(g->head, end, &h)) {
		snprintf(h.version, sizeof h.version, "HTTP/1.1");
		refuse(&c->verdict, 400, "bad request", 0,
		       "the request line is not METHOD PATH HTTP/1.x");
		h.close = true;
	} else
		judge(c, &h, &c->verdict);
	/* a head cut off or too long: what of it the guard read */
	seen(c, g->head, end < n ? end : n);
	c->requested = true;
	c->answering = true;
	c->head_req = strcmp(h.method, "HEAD") == 0;
	evtimer_del(c->timer);
	/*
	 * evhttp shuts a connection it means to close before its answer has
	 * left the TLS layer: it is told to keep every connection, and the
	 * guard closes the ones to close once their answer is out.
	 */
	http10 = strcmp(h.version, "HTTP/1.0") == 0;
	c->close_after = h.close || (http10 && !h.keep_alive);
	if (!c->verdict.status) {
		gw_head_connection(g->head, end, dst, http10 ? "keep-alive" : NULL);
		evbuffer_drain(src, end);
		c->left = c->length = h.length;
		c->state = h.length ? C_BODY : C_BUSY;
	} else {
		/* In its place a request of no body, which the server answers with the verdict. */
		if (h.expect || c->verdict.status == 400 || c->verdict.status == 431 ||
		    c->verdict.status == 411)
			c->close_after = true;
		evbuffer_drain(src, end);
		evbuffer_add_printf(dst, "GET " REFUSED_PATH " %s\r\n%s\r\n", h.version,
		                    http10 ? "Connection: keep-alive\r\n" : "");
		c->head_req = false;
		c->left = c->close_after ? UINT64_MAX : h.length;
		c->state = c->left ? C_DISCARD : C_BUSY;
	}
	if (c->state == C_BODY || c->state == C_DISCARD)
		arm(c, g->lim.header_timeout +
		               (c->left == UINT64_MAX
		                        ? 0
		                        : (double)c->left / (double)g->lim.min_body_rate));
	return true;
}

static enum bufferevent_filter_result
filter_in(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
          enum bufferevent_flush_mode mode, void *ctx)
{
	struct conn *c = ctx;
	bool moved = false;
	size_t len, n;

	(void)limit;
	while ((len = evbuffer_get_length(src))) {
		switch (c->state) {
		case C_HEAD:
			if (c->closing || !read_head(c, src, dst, mode))
				return moved ? BEV_OK : BEV_NEED_MORE;
			break;
		case C_BODY:
		case C_DISCARD:
			n = len < c->left ? len : (size_t)c->left;
			if (c->state == C_BODY)
				evbuffer_remove_buffer(src, dst, n);
			else
				evbuffer_drain(src, n);
			if (c->left != UINT64_MAX)
				c->left -= n;
			if (!c->left)
				body_over(c);
			break;
		case C_BUSY:
			return moved ? BEV_OK : BEV_NEED_MORE;
		}
		moved = true;
	}
	return moved ? BEV_OK : BEV_NEED_MORE;
}

/* The answers going out: counted by status; evhttp writes each head in one piece. */
static enum bufferevent_filter_result
filter_out(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
           enum bufferevent_flush_mode mode, void *ctx)
{
	struct conn *c = ctx;
	gw_guard *g = c->g;
	bool moved = false;
	size_t len, n;
	struct evbuffer_ptr end;

	(void)limit;
	(void)mode;
	while ((len = evbuffer_get_length(src))) {
		if (c->out_left) {
			n = len < c->out_left ? len : (size_t)c->out_left;
			evbuffer_remove_buffer(src, dst, n);
			c->out_left -= n;
		} else {
			int status = 0;
			const char *cl;

			end = evbuffer_search(src, "\r\n\r\n", 4, NULL);
			if (end.pos < 0 || (size_t)end.pos + 4 > HEAD_MAX) {
				evbuffer_add_buffer(dst, src);
				return BEV_OK;
			}
			n = (size_t)end.pos + 4;
			evbuffer_copyout(src, g->head, n);
			g->head[n] = '\0';
			if (sscanf(g->head, "HTTP/1.%*c %3d", &status) == 1 && status != 100) {
				gw_metrics_http(status);
				cl = strstr(g->head, "\r\nContent-Length:");
				if (cl && !c->head_req)
					c->out_left = strtoull(cl + 17, NULL, 10);
			}
			if (c->close_after) {
				/* the answer says what the guard will do, not what evhttp would */
				gw_head_connection(g->head, n, dst, "close");
				evbuffer_drain(src, n);
			} else
				evbuffer_remove_buffer(src, dst, n);
		}
		moved = true;
	}
	return moved ? BEV_OK : BEV_NEED_MORE;
}

/* ---- connections ---- */

/*
 * A filter passes output on when more is added while writing is enabled,
 * but evhttp adds an answer first and enables writing after, which passes
 * nothing on: the next turn of the loop does.
 */
static void
on_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;

	(void)buf;
	if (info->n_added)
		event_active(c->kick, EV_WRITE, 1);
}

/* The TLS layer has written out: a connection to close after its answer is closed. */
static void
on_drained(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;

	if (info->n_deleted && !evbuffer_get_length(buf) && c->close_after && !c->answering)
		kill_conn(c);
}

static void
on_kick(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
}

static void guard_release(gw_guard *g);

/* The access log's fields of the request c is reading or answering, as its head came. */
static void
request_fields(const struct conn *c, struct gw_access *a)
{
	a->remote = c->remote;
	a->party = c->party[0] ? c->party : NULL;
	a->cert = c->cert[0] ? c->cert : NULL;
	a->method = c->method;
	a->path = c->path;
	a->millis = (now_seconds() - c->head_at) * 1000;
}

/*
 * A request whose body did not all come: evhttp never had it, so the server
 * never answers it, and its access line is the guard's, if there is room().
 */
static void
unanswered(struct conn *c)
{
	struct gw_access a = {.listener = "api"};

	if (!room(c->g))
		return;
	request_fields(c, &a);
	a.bytes_in = (size_t)(c->length - c->left);
	a.error = c->late ? "no body in time" : "the connection closed during the body";
	gw_log_access(&a);
}

static void
conn_free(void *arg)
{
	struct conn *c = arg;
	gw_guard *g = c->g;
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);

	if (ssl)
		SSL_set_ex_data(ssl, ex_index, NULL);
	if (c->admitted && !c->requested && !c->closing && ssl && !SSL_is_init_finished(ssl))
		ended(c, "handshake_failed", "the connection ended in the TLS handshake");
	if (c->state == C_BODY && c->answering)
		unanswered(c);
	release(c);
	evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->added);
	evbuffer_remove_cb_entry(bufferevent_get_output(c->tls), c->drained);
	event_free(c->kick);
	if (c->addr)
		addr_put(g, c->addr);
	TAILQ_REMOVE(&g->conns, c, link);
	g->nconns--;
	gw_metrics_connections(-1);
	event_free(c->timer);
	free(c);
	if (g->freed && !g->nconns)
		guard_release(g);
}

struct bufferevent *
gw_guard_connection(gw_guard *g, SSL *ssl)
{
	const struct timeval now = {0, 0};
	struct conn *c = calloc(1, sizeof *c);

	if (!c || !(c->timer = evtimer_new(g->base, on_timer, c)) ||
	    !(c->kick = event_new(g->base, -1, 0, on_kick, c))) {
		if (c && c->timer)
			event_free(c->timer);
		free(c);
		SSL_free(ssl);
		return NULL;
	}
	c->tls = bufferevent_openssl_socket_new(g->base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
	                                        BEV_OPT_CLOSE_ON_FREE);
	if (!c->tls) {
		event_free(c->timer);
		event_free(c->kick);
		free(c);
		return NULL;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->tls, 1);
	c->g = g;
	c->state = C_HEAD;
	c->opened = now_seconds();
	snprintf(c->remote, sizeof c->remote, "?");
	TAILQ_INSERT_TAIL(&g->conns, c, link);
	g->nconns++;
	gw_metrics_connections(1);
	if (!(c->bev = bufferevent_filter_new(c->tls, filter_in, filter_out, BEV_OPT_CLOSE_ON_FREE,
	                                      conn_free, c))) {
		TAILQ_REMOVE(&g->conns, c, link);
		g->nconns--;
		gw_metrics_connections(-1);
		bufferevent_free(c->tls);
		event_free(c->timer);
		event_free(c->kick);
		free(c);
		return NULL;
	}
	c->added = evbuffer_add_cb(bufferevent_get_output(c->bev), on_output, c);
	c->drained = evbuffer_add_cb(bufferevent_get_output(c->tls), on_drained, c);
	SSL_set_ex_data(ssl, ex_index, c);
	/* Admitted in the next turn of the loop, when evhttp has given the socket. */
	evtimer_add(c->timer, &now);
	/* Closed ones are freed in later turns: a burst of accepts waits for them. */
	if (g->nconns > g->lim.max_connections + ACCEPT_SLACK)
		pause_accepting(g, 5);
	return c->bev;
}

/* The guard's state of the request's connection, or NULL when it has none any more. */
static struct conn *
conn_of(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = req ? evhttp_request_get_connection(req) : NULL;
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	struct bufferevent *tls = bev ? bufferevent_get_underlying(bev) : NULL;
	SSL *ssl = tls ? bufferevent_openssl_get_ssl(tls) : NULL;

	return ssl ? SSL_get_ex_data(ssl, ex_index) : NULL;
}

bool
gw_guard_caller(struct evhttp_request *req, char code[9], char cert[65], char remote[64])
{
	struct conn *c = conn_of(req);

	if (!c || !c->party[0])
		return false;
	memcpy(code, c->party, 9);
	memcpy(cert, c->cert, 65);
	memcpy(remote, c->remote, 64);
	return true;
}

bool
gw_guard_request(struct evhttp_request *req, struct gw_access *a)
{
	struct conn *c = conn_of(req);

	if (!c || !c->requested)
		return false;
	request_fields(c, a);
	return true;
}

bool
gw_guard_verdict(struct evhttp_request *req, struct gw_guard_verdict *out)
{
	struct conn *c = conn_of(req);

	if (!c || !c->verdict.status)
		return false;
	*out = c->verdict;
	return true;
}

void
gw_guard_close_after(struct evhttp_request *req)
{
	struct conn *c = conn_of(req);

	if (c)
		c->close_after = true;
}

void
gw_guard_done(struct evhttp_request *req)
{
	struct conn *c = conn_of(req);

	if (!c)
		return;
	release(c);
	memset(&c->verdict, 0, sizeof c->verdict);
	c->answering = false;
	if (c->close_after) {
		if (!evbuffer_get_length(bufferevent_get_output(c->tls)))
			kill_conn(c);
		return;
	}
	if (c->state != C_BUSY)
		return;
	await_head(c);
	/* A head that came early waits in the TLS buffer: read it once evhttp reads again. */
	if (evbuffer_get_length(bufferevent_get_input(c->tls)))
		bufferevent_trigger(c->tls, EV_READ,
		                    BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
}

/* ---- the guard ---- */

gw_guard *
gw_guard_new(struct event_base *base, const struct gw_guard_limits *limits, gw_guard_party_fn party,
             gw_guard_notice_fn notice_fn, void *ctx)
{
	const struct timeval every = {SUMMARY_SECONDS, 0};
	gw_guard *g = calloc(1, sizeof *g);

	if (ex_index < 0)
		ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (!g || ex_index < 0)
		goto fail;
	g->base = base;
	g->party = party;
	g->notice = notice_fn;
	g->ctx = ctx;
	TAILQ_INIT(&g->conns);
	gw_guard_set_limits(g, limits);
	if (!(g->resume = evtimer_new(base, on_resume, g)) ||
	    !(g->summary = event_new(base, -1, EV_PERSIST, on_summary, g)) ||
	    event_add(g->summary, &every) != 0)
		goto fail;
	return g;
fail:
	gw_guard_free(g);
	return NULL;
}

void
gw_guard_set_limits(gw_guard *g, const struct gw_guard_limits *limits)
{
	g->lim = *limits;
	if (g->lim.burst < 1)
		g->lim.burst = g->lim.rate > 0.5 ? 2 * g->lim.rate : 1;
	if (!g->lim.min_body_rate)
		g->lim.min_body_rate = 1;
}

void
gw_guard_listen(gw_guard *g, struct evconnlistener *listener)
{
	g->listener = listener;
	listening = g;
	evconnlistener_set_error_cb(listener, on_accept_error);
}

bool
gw_guard_writing(gw_guard *g)
{
	struct conn *c;

	TAILQ_FOREACH(c, &g->conns, link)
	if (!c->closing && evbuffer_get_length(bufferevent_get_output(c->tls)))
		return true;
	return false;
}

/* The guard's memory, once it is let go and its last connection is gone. */
static void
guard_release(gw_guard *g)
{
	for (size_t i = 0; i < ADDR_BUCKETS; i++)
		while (g->addrs[i]) {
			struct addr *a = g->addrs[i];

			g->addrs[i] = a->next;
			free(a);
		}
	free(g->buckets);
	free(g);
}

void
gw_guard_free(gw_guard *g)
{
	if (!g)
		return;
	if (listening == g)
		listening = NULL;
	if (g->resume)
		event_free(g->resume);
	if (g->summary)
		event_free(g->summary);
	g->resume = g->summary = NULL;
	g->freed = true;
	if (!g->nconns)
		guard_release(g);
}
