/*
 * gw_admin.c: the admin listener: who the operator is, the routes, and the
 * answers that wait for the store.
 *
 * A request that reads or changes the store becomes a GW_JOB_CALL for the
 * writer: its call() runs there, reads and renders the answer (JSON, HTML
 * or metrics) into the request's buffer, and its done() sends it back here,
 * in the event loop's thread. What a call needs of the configuration (the
 * parties) is copied out before, since a reload may free it meanwhile.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "gw_admin.h"
#include "gw_console.h"
#include "gw_file.h"
#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_openapi.h"
#include "gw_report.h"
#include "gw_store.h"
#include "gw_tls.h"
#include "ijw_buf.h"
#include "ijw_registry.h"
#include "ijw_value.h"

#define SESSIONS_MAX 64
#define SESSION_SECONDS (8 * 3600)
#define COOKIE "ijw_session"
#define LIMIT_DEFAULT 100
#define LIMIT_MAX 1000
#define PAGE_LIMIT 50
#define FORM_MAX 4096 /* the largest form body taken */
#define REJECTIONS_DAYS 30
#define ANSWER_MAX (1u << 30)
#define TOKEN_MAX 4096
#define IDLE_TIMEOUT 120
#define METRICS_WAIT 1 /* seconds /metrics waits for the store's gauges */
#define CSP "default-src 'self'; frame-ancestors 'none'; form-action 'self'"

struct session {
	char id[65];   /* the cookie's value, 32 random bytes in hex; "" for a free slot */
	char csrf[65]; /* the forms' token */
	char who[64];  /* the operator */
	int64_t expires;
};

struct gw_admin {
	struct gw_admin_env env;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	SSL_CTX *ssl; /* NULL: plain HTTP */
	bool has_token;
	unsigned char token[SHA256_DIGEST_LENGTH]; /* the token's SHA-256 */
	char certs[GW_CERT_IDS_MAX][65];           /* admin_certificates, lowercase hex */
	unsigned char csrf_key[32]; /* a certificate's CSRF token is an HMAC under it */
	size_t ncerts;
	struct session sessions[SESSIONS_MAX];
};

/* Who asks. */
struct oper {
	struct timespec t0;      /* when the request came (CLOCK_MONOTONIC) */
	char name[64];           /* "admin" for the token, a certificate's CN; "" for none yet */
	char cert[65];           /* the admin certificate's fingerprint, or "" */
	char remote[64];         /* address:port */
	bool bearer;             /* the token came in the Authorization header */
	char csrf[65];           /* the token of the forms it may send, "" for none */
	struct session *session; /* the console's, or NULL */
};

/* A request waiting for the store. */
struct areq {
	gw_admin *a;
	struct evhttp_request *req;
	struct gw_job job;
	struct oper op;
	struct gw_console_page page;
	const char *type; /* the answer's Content-Type */
	int status;
	char location[64]; /* a redirect's, after the call */
	struct ijw_buf out;
	bool wake; /* a push is due: wake the worker */
	/* the call's arguments */
	int64_t id, from, to;
	bool unmask;
	struct gw_filter filter;
	char party[9], sender[9], receiver[9], msgtype[6];
	char csp[160]; /* a policy of the page's own, "" for CSP */
	/* /metrics: answered without the store's gauges when the store is slow */
	struct event *late;
	bool answered;            /* ... and so already */
	ijw_day day_from, day_to; /* the report's period */
	bool monthly;
	struct gw_party *parties; /* copied out of the configuration */
	struct gw_queue *queues;  /* one for each */
	size_t nparties;
	unsigned waiting, running;
};

/* ---- answers ---- */

static const char *
method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	default:
		return "OTHER";
	}
}

static void
headers(struct evhttp_request *req, const char *type)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	/* a page may have set a policy of its own (the report's style) */
	if (!evhttp_find_header(h, "Content-Security-Policy"))
		evhttp_add_header(h, "Content-Security-Policy", CSP);
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
}

/* Sends the answer, counts it, and writes the access log's line of the request. */
static void
reply(struct evhttp_request *req, const struct oper *op, int status, const char *type,
      const void *data, size_t len)
{
	struct evbuffer *out = evbuffer_new();
	struct timespec now;
	struct gw_access line = {
	        .listener = "admin",
	        .remote = op->remote,
	        .party = op->name[0] ? op->name : NULL,
	        .cert = op->cert[0] ? op->cert : NULL,
	        .method = method_name(evhttp_request_get_command(req)),
	        .path = evhttp_request_get_uri(req),
	        .status = status,
	        .bytes_in = evbuffer_get_length(evhttp_request_get_input_buffer(req)),
	        .bytes_out = len,
	};

	clock_gettime(CLOCK_MONOTONIC, &now);
	line.millis = (double)(now.tv_sec - op->t0.tv_sec) * 1e3 +
	              (double)(now.tv_nsec - op->t0.tv_nsec) / 1e6;
	gw_log_access(&line);
	headers(req, type);
	if (out)
		evbuffer_add(out, data, len);
	gw_metrics_http(status);
	evhttp_send_reply(req, status, NULL, out);
	if (out)
		evbuffer_free(out);
}

/* Sends JSON value j (taken over). */
static void
reply_json(struct evhttp_request *req, const struct oper *op, int status, json_t *j)
{
	static const char nomem[] =
	        "{\"error\":\"out of memory\",\"message\":\"the gateway is out of memory\"}";
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (s)
		reply(req, op, status, "application/json", s, strlen(s));
	else
		reply(req, op, 500, "application/json", nomem, sizeof nomem - 1);
	free(s);
	json_decref(j);
}

/* {"error":"...","message":"..."} */
static void reply_error(struct evhttp_request *req, const struct oper *op, int status,
                        const char *error, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

static void
reply_error(struct evhttp_request *req, const struct oper *op, int status, const char *error,
            const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (status == 401)
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
		                  "Bearer realm=\"ijw-gateway admin\"");
	reply_json(req, op, status, json_pack("{s:s,s:s}", "error", error, "message", msg));
}

static void
redirect(struct evhttp_request *req, const struct oper *op, const char *to)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", to);
	reply(req, op, 303, "text/plain", "", 0);
}

static void
reply_buf(struct evhttp_request *req, const struct oper *op, int status, const char *type,
          const struct ijw_buf *b)
{
	reply(req, op, status, type, ijw_buf_str(b), b->len);
}

/* ---- who asks ---- */

static void
random_hex(char out[65])
{
	unsigned char r[32];

	if (RAND_bytes(r, sizeof r) != 1)
		abort(); /* no randomness: no session may be made */
	ijw_hex(r, sizeof r, out);
}

/* Whether token (len bytes) is the operators' token; in time that does not depend on it. */
static bool
token_ok(const gw_admin *a, const char *token, size_t len)
{
	unsigned char h[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)token, len, h);
	return a->has_token && CRYPTO_memcmp(h, a->token, sizeof h) == 0;
}

/* The text of name in the request's Cookie header, or NULL; into out. */
static bool
cookie(struct evhttp_request *req, const char *name, char *out, size_t size)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
	size_t nlen = strlen(name);

	while (h && *h) {
		size_t len;

		h += strspn(h, " ;");
		len = strcspn(h, ";");
		if (len > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=' &&
		    len - nlen - 1 < size) {
			memcpy(out, h + nlen + 1, len - nlen - 1);
			out[len - nlen - 1] = '\0';
			return true;
		}
		h += len;
	}
	return false;
}

/* The live session whose id is id, compared in constant time; NULL for none. */
static struct session *
session_find(gw_admin *a, const char *id)
{
	int64_t now = (int64_t)time(NULL);
	struct session *found = NULL;

	if (strlen(id) != 64)
		return NULL;
	for (size_t i = 0; i < SESSIONS_MAX; i++) {
		struct session *s = &a->sessions[i];

		if (s->id[0] && s->expires <= now)
			memset(s, 0, sizeof *s);
		if (s->id[0] && CRYPTO_memcmp(s->id, id, 64) == 0)
			found = s;
	}
	return found;
}

/* A new session for the operator who; the one nearest its end makes room when all are taken. */
static struct session *
session_new(gw_admin *a, const char *who)
{
	struct session *s = &a->sessions[0];

	for (size_t i = 0; i < SESSIONS_MAX; i++) {
		if (!a->sessions[i].id[0]) {
			s = &a->sessions[i];
			break;
		}
		if (a->sessions[i].expires < s->expires)
			s = &a->sessions[i];
	}
	random_hex(s->id);
	random_hex(s->csrf);
	snprintf(s->who, sizeof s->who, "%s", who);
	s->expires = (int64_t)time(NULL) + SESSION_SECONDS;
	return s;
}

/* The client's admin certificate (admin_tls), its fingerprint and CN; false for none. */
static bool
admin_cert(gw_admin *a, struct evhttp_request *req, struct oper *op, bool *other)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct bufferevent *bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
	SSL *ssl = a->ssl && bev ? bufferevent_openssl_get_ssl(bev) : NULL;
	X509 *cert = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	char fp[65];

	*other = false;
	if (!cert || SSL_get_verify_result(ssl) != X509_V_OK)
		return false;
	gw_tls_fingerprint(cert, fp);
	for (size_t i = 0; i < a->ncerts; i++)
		if (strcmp(a->certs[i], fp) == 0) {
			memcpy(op->cert, fp, sizeof fp);
			if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
			                              op->name, sizeof op->name) <= 0)
				snprintf(op->name, sizeof op->name, "certificate");
			return true;
		}
	*other = true;
	return false;
}

/*
 * The CSRF token of an operator's certificate: a browser presents the
 * certificate on a request another site makes it send, as it sends a
 * cookie, so its forms need a token too; without a session, it is the
 * HMAC-SHA256 of the fingerprint under a key of this process.
 */
static void
cert_csrf(const gw_admin *a, struct oper *op)
{
	unsigned char mac[32];
	unsigned len = sizeof mac;

	HMAC(EVP_sha256(), a->csrf_key, sizeof a->csrf_key, (const unsigned char *)op->cert,
	     strlen(op->cert), mac, &len);
	ijw_hex(mac, sizeof mac, op->csrf);
}

enum auth { AUTH_OK, AUTH_NONE, AUTH_BAD_TOKEN, AUTH_OTHER_CERT };

/* Who the request comes from: a certificate, a bearer token, or (console) a session. */
static enum auth
authenticate(gw_admin *a, struct evhttp_request *req, bool console, struct oper *op)
{
	const char *auth =
	        evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
	char id[128];
	bool other;

	if (admin_cert(a, req, op, &other)) {
		cert_csrf(a, op);
		return AUTH_OK;
	}
	if (auth && strncmp(auth, "Bearer ", 7) == 0) {
		if (!token_ok(a, auth + 7, strlen(auth + 7)))
			return AUTH_BAD_TOKEN;
		snprintf(op->name, sizeof op->name, "admin");
		op->bearer = true;
		return AUTH_OK;
	}
	if (console && cookie(req, COOKIE, id, sizeof id) && (op->session = session_find(a, id))) {
		snprintf(op->name, sizeof op->name, "%s", op->session->who);
		memcpy(op->csrf, op->session->csrf, sizeof op->csrf);
		return AUTH_OK;
	}
	return other ? AUTH_OTHER_CERT : AUTH_NONE;
}

static void
remote_of(struct evhttp_request *req, char out[64])
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	const char *host = NULL;
	ev_uint16_t port = 0;

	if (conn)
		evhttp_connection_get_peer(conn, (char **)&host, &port);
	snprintf(out, 64, "%s:%u", host ? host : "-", (unsigned)port);
}

static void
audit(gw_admin *a, const struct oper *op, const char *action, int64_t message, const char *detail)
{
	gw_writer_audit(a->env.writer, op->name, op->cert, op->remote, action, message, detail);
}

/* ---- the request's parameters ---- */

/* A form's fields (application/x-www-form-urlencoded) into q; false when it is not one. */
static bool
form(struct evhttp_request *req, struct evkeyvalq *q)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char body[FORM_MAX + 1];

	TAILQ_INIT(q);
	if (len > FORM_MAX)
		return false;
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	return evhttp_parse_query_str(body, q) == 0;
}

/*
 * Whether the form may change something: its csrf field is the operator's
 * token; a bearer token is sent by a program, never by a browser on its own.
 */
static bool
csrf_ok(const struct oper *op, struct evkeyvalq *q)
{
	const char *t = evhttp_find_header(q, "csrf");

	if (op->bearer)
		return true;
	return op->csrf[0] && t && strlen(t) == 64 && CRYPTO_memcmp(t, op->csrf, 64) == 0;
}

/* A party code (4 or 8 digits) of the query, or ""; false with why when it is not one. */
static bool
code_param(struct evkeyvalq *q, const char *name, char out[9], char *why, size_t whylen)
{
	const char *v = evhttp_find_header(q, name);
	size_t len = v ? strlen(v) : 0;

	out[0] = '\0';
	if (!len)
		return true;
	if ((len != 4 && len != 8) || strspn(v, "0123456789") != len) {
		snprintf(why, whylen, "%s: '%.40s' is not a party code (4 or 8 digits)", name, v);
		return false;
	}
	memcpy(out, v, len + 1);
	return true;
}

/* A day YYYY-MM-DD of the query as unix seconds at its start (plus days), or 0 when absent. */
static bool
day_param(struct evkeyvalq *q, const char *name, int days, int64_t *out, char *why, size_t whylen)
{
	const char *v = evhttp_find_header(q, name);
	ijw_day d;

	*out = 0;
	if (!v || !*v)
		return true;
	if (!ijw_date_parse(v, &d) || d < 0 || d > 2932896) {
		snprintf(why, whylen, "%s: '%.40s' is not a date YYYY-MM-DD", name, v);
		return false;
	}
	*out = ((int64_t)d + days) * 86400;
	return true;
}

/* A whole number from 1 to max of the query, or dflt when absent. */
static bool
number_param(struct evkeyvalq *q, const char *name, int64_t dflt, int64_t max, int64_t *out,
             char *why, size_t whylen)
{
	const char *v = evhttp_find_header(q, name);
	char *end;
	long long n;

	*out = dflt;
	if (!v || !*v)
		return true;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*v) || n < 1 || n > max) {
		snprintf(why, whylen, "%s: '%.40s' is not a whole number from 1 to %" PRId64, name,
		         v, max);
		return false;
	}
	*out = n;
	return true;
}

static const char *const status_names[] = {"any",      "unacked",  "acked",    "pending",
                                           "given_up", "answered", "generated"};

/* The filters of a messages query into r->filter; false with why. */
static bool
filter_params(struct areq *r, struct evkeyvalq *q, size_t dflt_limit, char *why, size_t whylen)
{
	struct gw_filter *f = &r->filter;
	const char *type = evhttp_find_header(q, "type");
	const char *status = evhttp_find_header(q, "status");
	int64_t before, limit;

	memset(f, 0, sizeof *f);
	if (!code_param(q, "party", r->party, why, whylen) ||
	    !code_param(q, "sender", r->sender, why, whylen) ||
	    !code_param(q, "receiver", r->receiver, why, whylen) ||
	    !day_param(q, "from", 0, &f->from, why, whylen) ||
	    !day_param(q, "to", 1, &f->to, why, whylen) ||
	    !number_param(q, "before", 0, INT64_MAX, &before, why, whylen) ||
	    !number_param(q, "limit", (int64_t)dflt_limit, LIMIT_MAX, &limit, why, whylen))
		return false;
	if (type && *type) {
		const struct ijw_msgdef *def = ijw_msgdef_by_name(type);

		if (!def) {
			snprintf(why, whylen, "type: '%.40s' is not a message type (JW301 ...)",
			         type);
			return false;
		}
		snprintf(r->msgtype, sizeof r->msgtype, "%s", def->name);
		f->type = r->msgtype;
	}
	if (status && *status) {
		size_t i = 0;

		while (i < sizeof status_names / sizeof status_names[0] &&
		       strcmp(status, status_names[i]) != 0)
			i++;
		if (i == sizeof status_names / sizeof status_names[0]) {
			snprintf(why, whylen,
			         "status: '%.40s' is none of any, unacked, acked, pending, "
			         "given_up, "
			         "answered, generated",
			         status);
			return false;
		}
		f->status = (enum gw_filter_status)i;
	}
	f->party = r->party[0] ? r->party : NULL;
	f->sender = r->sender[0] ? r->sender : NULL;
	f->receiver = r->receiver[0] ? r->receiver : NULL;
	f->before = before;
	f->limit = (size_t)limit;
	return true;
}

/* The period from&to of a query (days, both included), by default the last 30 days. */
static bool
period_params(struct areq *r, struct evkeyvalq *q, char *why, size_t whylen)
{
	int64_t today = (int64_t)time(NULL) / 86400 * 86400;

	if (!day_param(q, "from", 0, &r->from, why, whylen) ||
	    !day_param(q, "to", 1, &r->to, why, whylen))
		return false;
	if (!r->to)
		r->to = today + 86400;
	if (!r->from)
		r->from = r->to - REJECTIONS_DAYS * 86400;
	if (r->from >= r->to) {
		snprintf(why, whylen, "from: the period's first day comes after its last (to)");
		return false;
	}
	return true;
}

/* ---- requests for the store ---- */

static struct areq *
areq_new(gw_admin *a, struct evhttp_request *req, const struct oper *op)
{
	struct areq *r = calloc(1, sizeof *r);

	if (!r) {
		reply_error(req, op, 500, "out of memory", "the gateway is out of memory");
		return NULL;
	}
	r->a = a;
	r->req = req;
	r->op = *op;
	r->job.ctx = r;
	r->status = 200;
	r->type = "application/json";
	ijw_buf_init(&r->out, ANSWER_MAX);
	r->page.who = r->op.name;
	r->page.csrf = r->op.csrf;
	r->page.here = "";
	return r;
}

static void
areq_free(struct areq *r)
{
	if (r->late)
		event_free(r->late);
	ijw_buf_free(&r->out);
	free(r->parties);
	free(r->queues);
	free(r);
}

static enum gw_store_rc call_redeliver(gw_store *s, struct gw_job *job);

static void
call_done(struct gw_job *job)
{
	struct areq *r = job->ctx;
	char quoted[300];

	if (r->answered) {
		areq_free(r);
		return;
	}
	if (job->rc == GW_STORE_NOTFOUND) {
		reply_error(r->req, &r->op, 404, "not found", "no message %" PRId64 "%s", r->id,
		            job->call == call_redeliver ? " with a given-up push" : "");
	} else if (job->rc) {
		gw_log(GW_LOG_ERROR, "store_failed", "what=admin error=%s",
		       gw_log_quote(job->error, quoted, sizeof quoted));
		reply_error(r->req, &r->op, 503, "store unavailable", "the store failed: %s",
		            job->error);
	} else if (r->location[0]) {
		redirect(r->req, &r->op, r->location);
	} else if (r->csp[0]) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		                  "Content-Security-Policy", r->csp);
		reply_buf(r->req, &r->op, r->status, r->type, &r->out);
	} else {
		reply_buf(r->req, &r->op, r->status, r->type, &r->out);
	}
	if (!job->rc && r->wake && r->a->env.wake)
		r->a->env.wake(r->a->env.wake_ctx);
	areq_free(r);
}

static void
submit(struct areq *r, enum gw_store_rc (*call)(gw_store *, struct gw_job *))
{
	r->job.kind = GW_JOB_CALL;
	r->job.call = call;
	r->job.done = call_done;
	gw_writer_submit(r->a->env.writer, &r->job);
}

/* An answer of JSON value j (taken over) into r's buffer. */
static enum gw_store_rc
json_out(struct areq *r, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	enum gw_store_rc rc = s && !ijw_buf_addstr(&r->out, s) ? GW_STORE_OK : GW_STORE_ERROR;

	if (rc)
		snprintf(r->job.error, sizeof r->job.error, "out of memory");
	free(s);
	json_decref(j);
	return rc;
}

static json_t *
iso(int64_t t)
{
	char s[GW_LOG_TIME_SIZE];

	if (!t)
		return json_null();
	gw_log_time(t, s);
	return json_string(s);
}

static json_t *
msg_json(const struct gw_msg *m, const struct gw_state *st)
{
	json_t *j =
	        json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:b,s:b,s:s}", "id", (json_int_t)m->id, "type",
	                  m->type, "sender", m->sender, "receiver", m->receiver, "identificatie",
	                  m->identificatie, "received", iso(m->received), "generated", m->generated,
	                  "translated", m->translated, "advice", m->advice);

	if (j && m->answers)
		json_object_set_new(j, "answers", json_integer(m->answers));
	if (j && st)
		json_object_set_new(
		        j, "state",
		        json_pack("{s:o,s:o,s:s?,s:i,s:o,s:o,s:o}", "acked", iso(st->acked),
		                  "purged", iso(st->purged), "delivery",
		                  st->delivery[0] ? st->delivery : NULL, "attempts", st->attempts,
		                  "next_attempt", iso(st->next_attempt), "delivered",
		                  iso(st->delivered), "answered_by",
		                  st->answered_by ? json_integer(st->answered_by) : json_null()));
	return j;
}

static void
browse_each(void *ctx, const struct gw_msg *m, const struct gw_state *st)
{
	json_array_append_new(ctx, msg_json(m, st));
}

static enum gw_store_rc
call_messages(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	json_t *list = json_array();
	enum gw_store_rc rc =
	        list ? gw_store_browse(s, &r->filter, browse_each, list) : GW_STORE_ERROR;
	size_t n = json_array_size(list);

	if (rc) {
		json_decref(list);
		return rc;
	}
	return json_out(r, json_pack("{s:o,s:o}", "messages", list, "next_before",
	                             n == r->filter.limit && n
	                                     ? json_object_get(json_array_get(list, n - 1), "id")
	                                     : json_null()));
}

static enum gw_store_rc
call_message(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	struct gw_life l;
	enum gw_store_rc rc = gw_store_life(s, r->id, NULL, &l);
	json_t *j, *attempts, *answers;

	if (rc)
		return rc;
	j = msg_json(&l.msg, &l.state);
	attempts = json_array();
	answers = json_array();
	for (size_t i = 0; i < l.n_attempts; i++)
		json_array_append_new(attempts,
		                      json_pack("{s:o,s:i,s:s,s:b}", "at", iso(l.attempts[i].at),
		                                "http_status", l.attempts[i].http_status, "error",
		                                l.attempts[i].error, "delivered",
		                                l.attempts[i].delivered));
	for (size_t i = 0; i < l.n_answers; i++)
		json_array_append_new(answers, msg_json(&l.answers[i], NULL));
	json_object_set_new(j, "attempts", attempts);
	json_object_set_new(j, "retours", answers);
	gw_life_free(&l);
	return json_out(r, j);
}

static enum gw_store_rc
call_redeliver(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	enum gw_store_rc rc = gw_store_redeliver(s, r->id, (int64_t)time(NULL), r->op.name,
	                                         r->op.cert, r->op.remote);

	if (rc)
		return rc;
	r->wake = true;
	if (r->location[0])
		return GW_STORE_OK;
	return json_out(r, json_pack("{s:I,s:s}", "id", (json_int_t)r->id, "delivery", "pending"));
}

static void
rejection_each(void *ctx, const struct gw_rejections *x)
{
	json_t *j = json_pack("{s:o,s:s,s:I}", "day", iso(x->day), "rule", x->rule, "n",
	                      (json_int_t)x->n);
	char day[IJW_DATE_SIZE];

	ijw_date_format((ijw_day)(x->day / 86400), day);
	json_object_set_new(j, "day", json_string(day));
	json_array_append_new(ctx, j);
}

static enum gw_store_rc
call_rejections(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	json_t *list = json_array();
	enum gw_store_rc rc = gw_store_rejections(s, r->from, r->to, rejection_each, list);

	if (rc) {
		json_decref(list);
		return rc;
	}
	return json_out(r, json_pack("{s:o}", "rejections", list));
}

struct party_queues {
	const struct gw_party *parties;
	struct gw_queue *q; /* q[i] of parties[i] */
	size_t n;
};

static void
queue_each(void *ctx, const struct gw_queue *q)
{
	struct party_queues *pq = ctx;

	for (size_t i = 0; i < pq->n; i++)
		if (strcmp(pq->parties[i].code, q->party) == 0)
			pq->q[i] = *q;
}

/* The queue of each of r's parties into r->queues (all zero for one without messages). */
static enum gw_store_rc
queues(struct areq *r, gw_store *s)
{
	struct party_queues pq = {r->parties, r->queues, r->nparties};

	for (size_t i = 0; i < r->nparties; i++)
		snprintf(r->queues[i].party, sizeof r->queues[i].party, "%s", r->parties[i].code);
	return gw_store_queues(s, queue_each, &pq);
}

static enum gw_store_rc
call_parties(gw_store *s, struct gw_job *job)
{
	static const char *const delivery[] = {"inbox", "push"};
	static const char *const retour[] = {"relay", "auto"};
	struct areq *r = job->ctx;
	enum gw_store_rc rc = queues(r, s);
	json_t *list = json_array();

	for (size_t i = 0; !rc && i < r->nparties; i++) {
		const struct gw_party *y = &r->parties[i];
		const struct gw_queue q = r->queues[i];
		json_array_append_new(
		        list,
		        json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:{s:I,s:o,s:I,s:I}}", "code", y->code,
		                  "kind", y->kind == IJW_GEMEENTE ? "gemeente" : "aanbieder",
		                  "name", y->name, "delivery", delivery[y->delivery], "push_url",
		                  y->push_url[0] ? y->push_url : NULL, "retour", retour[y->retour],
		                  "queue", "unacked", (json_int_t)q.unacked, "oldest",
		                  iso(q.oldest), "due", (json_int_t)q.due, "given_up",
		                  (json_int_t)q.given_up));
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	return json_out(r, json_pack("{s:o}", "parties", list));
}

/*
 * The metrics, and the queues' gauges when the store can be read: a store
 * that fails is what /metrics must still tell (ijw_store_writable 0).
 */
static enum gw_store_rc
call_metrics(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	bool read = queues(r, s) == GW_STORE_OK;
	ijw_rc rc = gw_metrics_render(&r->out);

	if (!rc)
		rc = gw_metrics_render_queues(r->queues, read ? r->nparties : 0,
		                              (int64_t)time(NULL), r->waiting, r->running, &r->out);
	if (rc)
		snprintf(job->error, sizeof job->error, "%s", ijw_strerror(rc));
	return rc ? GW_STORE_ERROR : GW_STORE_OK;
}

/*
 * /metrics when the store has not answered in METRICS_WAIT seconds (a long
 * write, a database that does not answer): the counters and the judging
 * queue now, without the parties' queues; the store's answer is dropped.
 */
static void
metrics_late(evutil_socket_t fd, short what, void *arg)
{
	struct areq *r = arg;
	struct ijw_buf b;

	(void)fd;
	(void)what;
	ijw_buf_init(&b, ANSWER_MAX);
	if (gw_metrics_render(&b) ||
	    gw_metrics_render_queues(NULL, 0, 0, r->waiting, r->running, &b))
		reply_error(r->req, &r->op, 500, "out of memory", "the gateway is out of memory");
	else
		reply_buf(r->req, &r->op, 200, r->type, &b);
	ijw_buf_free(&b);
	r->answered = true;
}

/* The console's pages */

static enum gw_store_rc
call_page_messages(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;

	return gw_console_messages(s, &r->page, &r->filter, &r->out);
}

static enum gw_store_rc
call_page_message(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	enum gw_store_rc rc = GW_STORE_OK;
	struct gw_life l;
	char detail[64];

	/* an unmasked message is recorded before a byte of it is shown */
	if (r->unmask && !(rc = gw_store_life(s, r->id, NULL, &l))) {
		gw_life_free(&l);
		snprintf(detail, sizeof detail, "message %" PRId64, r->id);
		rc = gw_store_audit(s, (int64_t)time(NULL), r->op.name, r->op.cert, r->op.remote,
		                    "unmasked", r->id, detail);
	}
	if (!rc)
		rc = gw_console_message(s, &r->page, r->id, r->unmask, &r->out);
	if (rc == GW_STORE_NOTFOUND) {
		ijw_buf_reset(&r->out);
		snprintf(detail, sizeof detail, "There is no message %" PRId64 ".", r->id);
		gw_console_problem(&r->page, "No such message", detail, &r->out);
		r->status = 404;
		rc = GW_STORE_OK;
	}
	return rc;
}

static enum gw_store_rc
call_page_pushes(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;

	return gw_console_pushes(s, &r->page, &r->out);
}

static enum gw_store_rc
call_page_rejections(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;

	return gw_console_rejections(s, &r->page, r->from, r->to, &r->out);
}

static enum gw_store_rc
call_page_parties(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	enum gw_store_rc rc = queues(r, s);

	if (!rc)
		gw_console_parties(&r->page, r->parties, r->queues, r->nparties,
		                   (int64_t)time(NULL), &r->out);
	return rc;
}

/*
 * The policy of a page with one inline <style> of its own (the report's):
 * CSP, with that style allowed by its SHA-256 and nothing else inline.
 */
static void
style_policy(struct areq *r, size_t from)
{
	const char *page = ijw_buf_str(&r->out) + from, *open = strstr(page, "<style>"), *close;
	unsigned char h[SHA256_DIGEST_LENGTH];
	unsigned char b64[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];

	if (!open || !(close = strstr(open, "</style>")))
		return;
	open += strlen("<style>");
	SHA256((const unsigned char *)open, (size_t)(close - open), h);
	EVP_EncodeBlock(b64, h, sizeof h);
	snprintf(r->csp, sizeof r->csp, "%s; style-src 'self' 'sha256-%s'", CSP, (const char *)b64);
}

static enum gw_store_rc
call_page_report(gw_store *s, struct gw_job *job)
{
	struct areq *r = job->ctx;
	struct gw_report_opts o;
	gw_report *report;
	char err[512], from[IJW_DATE_SIZE], to[IJW_DATE_SIZE];
	size_t at;

	gw_report_opts_init(&o);
	o.from = r->day_from;
	o.to = r->day_to;
	o.monthly = r->monthly;
	o.products = r->a->env.products;
	report = gw_report_build(s, &o, err, sizeof err);
	gw_console_begin(&r->page, "Report", &r->out);
	ijw_date_format(r->day_from, from);
	ijw_date_format(r->day_to, to);
	ijw_buf_addf(&r->out,
	             "<form class=\"filters\" method=\"get\" action=\"/console/report\">"
	             "<label>From<input type=\"date\" name=\"from\" value=\"%s\"></label>"
	             "<label>To<input type=\"date\" name=\"to\" value=\"%s\"></label>"
	             "<label>By<select name=\"by\"><option value=\"month\"%s>month</option>"
	             "<option value=\"period\"%s>period</option></select></label>"
	             "<button type=\"submit\">Show</button></form>\n",
	             from, to, r->monthly ? " selected" : "", r->monthly ? "" : " selected");
	at = r->out.len;
	if (report) {
		gw_report_html(report, true, &r->out);
		gw_report_free(report);
		style_policy(r, at);
	} else {
		ijw_buf_addstr(&r->out, "<p class=\"error\" id=\"problem\">");
		ijw_buf_add_xml(&r->out, err);
		ijw_buf_addstr(&r->out, "</p>");
	}
	gw_console_end(&r->out);
	return GW_STORE_OK;
}

/* The report's period and grouping from a query: by default the last 12 months, by month. */
static bool
report_params(struct areq *r, struct evkeyvalq *q, char *why, size_t whylen)
{
	const char *by = evhttp_find_header(q, "by");
	int64_t from, to;

	if (!day_param(q, "from", 0, &from, why, whylen) ||
	    !day_param(q, "to", 0, &to, why, whylen))
		return false;
	r->day_to = to ? (ijw_day)(to / 86400) : (ijw_day)(time(NULL) / 86400);
	r->day_from = from ? (ijw_day)(from / 86400) : r->day_to - 364;
	if (r->day_from > r->day_to) {
		snprintf(why, whylen, "from: the period's first day comes after its last (to)");
		return false;
	}
	if (by && *by && strcmp(by, "month") != 0 && strcmp(by, "period") != 0) {
		snprintf(why, whylen, "by: '%.40s' is neither month nor period", by);
		return false;
	}
	r->monthly = !by || !*by || strcmp(by, "month") == 0;
	return true;
}

/* Submits call with a copy of the configuration's parties (a reload may free them). */
static void
submit_with_parties(struct areq *r, enum gw_store_rc (*call)(gw_store *, struct gw_job *))
{
	const struct gw_config *c = r->a->env.config(r->a->env.config_ctx);
	size_t n = c->nparties ? c->nparties : 1;

	if (!(r->parties = malloc(n * sizeof *r->parties)) ||
	    !(r->queues = calloc(n, sizeof *r->queues))) {
		reply_error(r->req, &r->op, 500, "out of memory", "the gateway is out of memory");
		areq_free(r);
		return;
	}
	memcpy(r->parties, c->parties, c->nparties * sizeof *r->parties);
	r->nparties = c->nparties;
	submit(r, call);
}

/* ---- routes ---- */

/* The number in PREFIX{id}SUFFIX, or 0 when path is not that. */
static int64_t
path_id(const char *path, const char *prefix, const char *suffix)
{
	size_t plen = strlen(prefix), digits;
	const char *d = path + plen;
	int64_t id = 0;

	if (strncmp(path, prefix, plen) != 0)
		return 0;
	digits = strspn(d, "0123456789");
	if (!digits || digits > 18 || *d == '0' || strcmp(d + digits, suffix) != 0)
		return 0;
	for (size_t i = 0; i < digits; i++)
		id = id * 10 + (d[i] - '0');
	return id;
}

static void
api(gw_admin *a, struct evhttp_request *req, const char *path, struct evkeyvalq *q,
    const struct oper *op)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct areq *r;
	char why[256];
	int64_t id;
	bool get = m == EVHTTP_REQ_GET, post = m == EVHTTP_REQ_POST;

	if (!(r = areq_new(a, req, op)))
		return;
	if (strcmp(path, "/admin/v1/messages") == 0 && get) {
		if (!filter_params(r, q, LIMIT_DEFAULT, why, sizeof why))
			goto bad;
		submit(r, call_messages);
	} else if ((id = path_id(path, "/admin/v1/messages/", "")) && get) {
		r->id = id;
		submit(r, call_message);
	} else if ((id = path_id(path, "/admin/v1/messages/", "/redeliver")) && post) {
		r->id = id;
		submit(r, call_redeliver);
	} else if (strcmp(path, "/admin/v1/openapi.json") == 0 && get) {
		size_t len;
		const char *doc = gw_openapi("admin.json", &len);

		reply(req, op, 200, "application/json", doc, len);
		areq_free(r);
	} else if (strcmp(path, "/admin/v1/parties") == 0 && get) {
		submit_with_parties(r, call_parties);
	} else if (strcmp(path, "/admin/v1/rejections") == 0 && get) {
		if (!period_params(r, q, why, sizeof why))
			goto bad;
		submit(r, call_rejections);
	} else {
		reply_error(req, op, 404, "not found", "no such resource: %s %s",
		            get    ? "GET"
		            : post ? "POST"
		                   : "this method on",
		            path);
		areq_free(r);
	}
	return;
bad:
	reply_error(req, op, 400, "bad request", "%s", why);
	areq_free(r);
}

/* POST /console/login: the token typed in, for a session. */
static void
login(gw_admin *a, struct evhttp_request *req, struct oper *op)
{
	struct evkeyvalq f;
	const char *token = NULL;
	struct session *s;
	struct ijw_buf page;
	char set[256];

	if (form(req, &f))
		token = evhttp_find_header(&f, "token");
	if (!token || !token_ok(a, token, strlen(token))) {
		snprintf(op->name, sizeof op->name, "-");
		audit(a, op, "login_failed", 0, token ? "wrong token" : "no token");
		gw_log(GW_LOG_WARN, "admin_login_failed", "remote=%s", op->remote);
		ijw_buf_init(&page, 1u << 16);
		gw_console_login(a->has_token
		                         ? "That is not the operators' token."
		                         : "This gateway has no admin_token_file: log in with an "
		                           "admin certificate.",
		                 &page);
		reply_buf(req, op, 401, "text/html; charset=utf-8", &page);
		ijw_buf_free(&page);
		evhttp_clear_headers(&f);
		return;
	}
	evhttp_clear_headers(&f);
	s = session_new(a, "admin");
	snprintf(op->name, sizeof op->name, "%s", s->who);
	audit(a, op, "login", 0, "console");
	gw_log(GW_LOG_INFO, "admin_login", "operator=%s remote=%s", s->who, op->remote);
	snprintf(set, sizeof set,
	         COOKIE "=%s; Path=/console/; Max-Age=%d; HttpOnly; "
	                "SameSite=Strict%s",
	         s->id, SESSION_SECONDS, a->ssl ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", set);
	redirect(req, op, "/console/messages");
}

static void
console(gw_admin *a, struct evhttp_request *req, const char *path, struct evkeyvalq *q,
        struct oper *op, enum auth auth)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	bool get = m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD, post = m == EVHTTP_REQ_POST;
	struct evkeyvalq f;
	struct areq *r;
	const void *data;
	const char *type;
	char why[256];
	size_t len;
	int64_t id;

	if (get && strncmp(path, "/console/", 9) == 0 &&
	    (data = gw_console_asset(path + 9, &len, &type))) {
		reply(req, op, 200, type, data, len);
		return;
	}
	if (strcmp(path, "/console/login") == 0 && get) {
		struct ijw_buf page;

		ijw_buf_init(&page, 1u << 16);
		gw_console_login(NULL, &page);
		reply_buf(req, op, 200, "text/html; charset=utf-8", &page);
		ijw_buf_free(&page);
		return;
	}
	if (strcmp(path, "/console/login") == 0 && post) {
		login(a, req, op);
		return;
	}
	if (auth != AUTH_OK) {
		redirect(req, op, "/console/login");
		return;
	}
	/* A form that changes something must come from a page of this session. */
	if (post && (!form(req, &f) || !csrf_ok(op, &f))) {
		evhttp_clear_headers(&f);
		reply_error(req, op, 403, "forbidden",
		            "the form's csrf token is not this session's: reload the page");
		return;
	}
	if (post)
		evhttp_clear_headers(&f);
	if (strcmp(path, "/console/logout") == 0 && post) {
		if (op->session)
			memset(op->session, 0, sizeof *op->session);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie",
		                  COOKIE "=; Path=/console/; Max-Age=0; HttpOnly; SameSite=Strict");
		redirect(req, op, "/console/login");
		return;
	}
	if (!post && !get) {
		reply_error(req, op, 405, "method not allowed", "%s takes GET (or POST for a form)",
		            path);
		return;
	}
	if (strcmp(path, "/console/") == 0 || strcmp(path, "/console") == 0) {
		redirect(req, op, "/console/messages");
		return;
	}
	if (!(r = areq_new(a, req, op)))
		return;
	r->type = "text/html; charset=utf-8";
	if (strcmp(path, "/console/messages") == 0 && get) {
		r->page.here = "messages";
		if (!filter_params(r, q, PAGE_LIMIT, why, sizeof why))
			goto bad;
		submit(r, call_page_messages);
	} else if ((id = path_id(path, "/console/messages/", "")) && get) {
		r->page.here = "messages";
		r->id = id;
		submit(r, call_page_message);
	} else if ((id = path_id(path, "/console/messages/", "/unmask")) && post) {
		r->page.here = "messages";
		r->id = id;
		r->unmask = true;
		submit(r, call_page_message);
	} else if ((id = path_id(path, "/console/messages/", "/redeliver")) && post) {
		r->id = id;
		snprintf(r->location, sizeof r->location, "/console/messages/%" PRId64, id);
		submit(r, call_redeliver);
	} else if (strcmp(path, "/console/pushes") == 0 && get) {
		r->page.here = "pushes";
		submit(r, call_page_pushes);
	} else if (strcmp(path, "/console/rejections") == 0 && get) {
		r->page.here = "rejections";
		if (!period_params(r, q, why, sizeof why))
			goto bad;
		submit(r, call_page_rejections);
	} else if (strcmp(path, "/console/report") == 0 && get) {
		r->page.here = "report";
		if (!report_params(r, q, why, sizeof why))
			goto bad;
		submit(r, call_page_report);
	} else if (strcmp(path, "/console/parties") == 0 && get) {
		r->page.here = "parties";
		submit_with_parties(r, call_page_parties);
	} else {
		gw_console_problem(&r->page, "Not found", "There is no such page.", &r->out);
		reply_buf(req, op, 404, r->type, &r->out);
		areq_free(r);
	}
	return;
bad:
	gw_console_problem(&r->page, "Bad request", why, &r->out);
	reply_buf(req, op, 400, r->type, &r->out);
	areq_free(r);
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	gw_admin *a = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct oper who = {0}, *op = &who;
	struct evkeyvalq q;
	enum auth auth;
	bool is_console;

	if (!path || !*path)
		path = "/";
	clock_gettime(CLOCK_MONOTONIC, &who.t0);
	remote_of(req, op->remote);
	if (strcmp(path, "/healthz") == 0 && m == EVHTTP_REQ_GET) {
		reply(req, op, 200, "text/plain", "ok\n", 3);
		return;
	}
	if (strcmp(path, "/readyz") == 0 && m == EVHTTP_REQ_GET) {
		char why[256];

		if (gw_writer_writable(a->env.writer, why, sizeof why))
			reply(req, op, 200, "text/plain", "ready\n", 6);
		else
			reply_error(req, op, 503, "not ready", "the store cannot be written: %s",
			            why);
		return;
	}
	if (strcmp(path, "/") == 0) {
		redirect(req, op, "/console/messages");
		return;
	}
	is_console = strncmp(path, "/console", 8) == 0;
	auth = authenticate(a, req, is_console, op);
	if (is_console) {
		TAILQ_INIT(&q);
		if (query)
			evhttp_parse_query_str(query, &q);
		console(a, req, path, &q, op, auth);
		evhttp_clear_headers(&q);
		return;
	}
	if (auth == AUTH_OTHER_CERT) {
		reply_error(req, op, 403, "forbidden",
		            "the client certificate is not one of admin_certificates");
		return;
	}
	if (auth == AUTH_BAD_TOKEN) {
		snprintf(op->name, sizeof op->name, "-");
		audit(a, op, "login_failed", 0, "wrong bearer token");
		reply_error(req, op, 401, "unauthorized",
		            "the bearer token is not the operators' token");
		return;
	}
	if (auth != AUTH_OK) {
		reply_error(req, op, 401, "unauthorized",
		            "the admin listener needs Authorization: Bearer TOKEN (the token of "
		            "admin_token_file) or an admin certificate");
		return;
	}
	if (strcmp(path, "/metrics") == 0 && m == EVHTTP_REQ_GET) {
		static const struct timeval metrics_wait = {METRICS_WAIT, 0};
		struct areq *r = areq_new(a, req, op);

		if (!r)
			return;
		r->type = "text/plain; version=0.0.4";
		gw_judges_load(a->env.judges, &r->waiting, &r->running);
		if ((r->late = evtimer_new(a->env.base, metrics_late, r)))
			evtimer_add(r->late, &metrics_wait);
		submit_with_parties(r, call_metrics);
		return;
	}
	if (strncmp(path, "/admin/v1/", 10) == 0) {
		TAILQ_INIT(&q);
		if (query && evhttp_parse_query_str(query, &q) != 0) {
			evhttp_clear_headers(&q);
			reply_error(req, op, 400, "bad request", "the query of %s does not parse",
			            path);
			return;
		}
		api(a, req, path, &q, op);
		evhttp_clear_headers(&q);
		return;
	}
	reply_error(req, op, 404, "not found", "no such resource: %s", path);
}

/* ---- life ---- */

static struct bufferevent *
new_connection(struct event_base *base, void *arg)
{
	gw_admin *a = arg;
	SSL *ssl = SSL_new(a->ssl);

	if (!ssl)
		return NULL;
	return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
	                                      BEV_OPT_CLOSE_ON_FREE);
}

/* The token from file: its first line, without the white space around it. */
static bool
read_token(gw_admin *a, const char *file, char *err, size_t errlen)
{
	struct ijw_buf b;
	const char *s;
	size_t len;
	ijw_rc rc;

	ijw_buf_init(&b, TOKEN_MAX);
	if ((rc = gw_read_file(file, &b))) {
		snprintf(err, errlen, "admin_token_file %s: %s", file,
		         rc == IJW_ETOOBIG ? "larger than 4096 bytes" : strerror(errno));
		ijw_buf_free(&b);
		return false;
	}
	s = ijw_buf_str(&b);
	s += strspn(s, " \t\r\n");
	len = strcspn(s, "\r\n");
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len < 16) {
		snprintf(err, errlen,
		         "admin_token_file %s: the token is shorter than 16 characters (pki init "
		         "writes one of 64 hex digits)",
		         file);
		OPENSSL_cleanse(b.data, b.len);
		ijw_buf_free(&b);
		return false;
	}
	SHA256((const unsigned char *)s, len, a->token);
	a->has_token = true;
	OPENSSL_cleanse(b.data, b.len);
	ijw_buf_free(&b);
	return true;
}

gw_admin *
gw_admin_new(const struct gw_admin_env *env, const struct gw_config *c, char *err, size_t errlen)
{
	gw_admin *a;
	char host[GW_LOG_HOST_MAX] = "";
	unsigned port = c->admin_port;

	err[0] = '\0';
	if (strcmp(c->admin_listen, "off") == 0)
		return NULL;
	if (!(a = calloc(1, sizeof *a))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->env = *env;
	if (RAND_bytes(a->csrf_key, sizeof a->csrf_key) != 1) {
		snprintf(err, errlen, "no random bytes for the console's CSRF tokens");
		goto fail;
	}
	if (c->admin_token_file[0] && !read_token(a, c->admin_token_file, err, errlen))
		goto fail;
	memcpy(a->certs, c->admin_certs, sizeof a->certs);
	a->ncerts = c->nadmin_certs;
	if (c->admin_tls) {
		char why[1024];

		if (!(a->ssl = gw_tls_server_ctx(c, why, sizeof why))) {
			snprintf(err, errlen, "admin_tls: %s", why);
			goto fail;
		}
		/* a certificate is asked for, not required: the token logs in as well */
		SSL_CTX_set_verify(a->ssl, SSL_VERIFY_PEER, SSL_CTX_get_verify_callback(a->ssl));
	}
	if (!(a->http = evhttp_new(env->base))) {
		snprintf(err, errlen, "cannot make the admin listener");
		goto fail;
	}
	if (a->ssl)
		evhttp_set_bevcb(a->http, new_connection, a);
	evhttp_set_gencb(a->http, on_request, a);
	evhttp_set_allowed_methods(a->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
	                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_max_body_size(a->http, FORM_MAX);
	evhttp_set_max_headers_size(a->http, 16384);
	evhttp_set_timeout(a->http, IDLE_TIMEOUT);
	if (!(a->sock = evhttp_bind_socket_with_handle(a->http, c->admin_listen,
	                                               (ev_uint16_t)c->admin_port))) {
		snprintf(err, errlen, "cannot listen on admin_listen %s port %u: %s",
		         c->admin_listen, c->admin_port, strerror(errno));
		goto fail;
	}
	gw_log_address(evhttp_bound_socket_get_fd(a->sock), true, host, &port);
	gw_log(GW_LOG_INFO, "admin_listening",
	       "address=%s port=%u tls=%s token=%s certificates=%zu", host, port,
	       a->ssl ? "yes" : "no", a->has_token ? "yes" : "no", a->ncerts);
	return a;
fail:
	gw_admin_free(a);
	return NULL;
}

void
gw_admin_close(gw_admin *a)
{
	if (a && a->sock) {
		evhttp_del_accept_socket(a->http, a->sock);
		a->sock = NULL;
	}
}

void
gw_admin_free(gw_admin *a)
{
	if (!a)
		return;
	if (a->http)
		evhttp_free(a->http);
	SSL_CTX_free(a->ssl);
	OPENSSL_cleanse(a, sizeof *a);
	free(a);
}
