/*
 * gw_server.c: TLS, routes, judging, and answering when the store has spoken.
 *
 * A request that needs the store becomes a job for the writer thread; the
 * reply is sent from the job's completion, back in this thread. libevent
 * keeps a request whose connection closes meanwhile, and evhttp_send_reply()
 * then only frees it, so every request is answered exactly once.
 *
 * A posted message is judged first (ijw_validate) on a judging thread
 * (gw_judges.h), holding the configuration it came under, while this
 * thread goes on with other requests; the region's checks run there too.
 * Routing, answers, metrics, the log and the audit stay here, and a message
 * with the judges counts as in flight. Then: its sender must be the caller
 * (403), its receiver a party (422). A rejected message is
 * answered 422 with its findings, and its retour message (0001) goes to the
 * caller's inbox. An accepted one is stored, durably, before 201; when the
 * receiver lets the gateway answer for it (retour = auto) the retour message
 * is stored in the same transaction. A repeat of the same identification
 * with the same bytes is answered with the first one's id; with other bytes
 * it is TR056 (409, retour code 9056, and a retour to the caller).
 *
 * With a product table (products = ...) a declaration meets the region's
 * checks, and a message is stored with a copy for its receiver in the
 * product codes the receiver reads (product_codes); a retour message gets a
 * copy in the codes of the message it answers, found in the store first.
 */
#include <errno.h>
#include <inttypes.h>
#include <sys/resource.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <event2/thread.h>
#include <jansson.h>
#include <libxml/tree.h>
#include <openssl/sha.h>
#include <systemd/sd-daemon.h>

#include "gw_admin.h"
#include "gw_guard.h"
#include "gw_judges.h"
#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_openapi.h"
#include "gw_products.h"
#include "gw_push.h"
#include "gw_route.h"
#include "gw_server.h"
#include "gw_store.h"
#include "gw_tls.h"
#include "gw_writer.h"
#include "ijw_retour.h"
#include "ijw_translate.h"
#include "ijw_validate.h"

#define INBOX_DEFAULT 100
#define INBOX_MAX 1000
#define IDLE_TIMEOUT 120
#define STOP_GRACE                                                                                 \
	25 /* seconds: a large declaration judged on a busy machine, within systemd's 30 s */
#define CRL_RETRY 60 /* seconds between reads of a CRL file past its nextUpdate */
/* how often a gateway that listens checks whether its store took a write, until it did */
#define READY_CHECK_MS 50

struct gw_server {
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	SSL_CTX *ssl;
	gw_guard *guard;
	pthread_mutex_t cfg_mu; /* cfg is read by the delivery thread too */
	struct gw_config *cfg;
	gw_judges *judges;
	ijw_products *ledger_products; /* the product table the ledger judges by, from the start */
	gw_keyring *keys;              /* store_key: the stores' keys, read again at a reload */
	gw_writer *writer;
	gw_push *push;
	gw_admin *admin; /* the admin listener, NULL when admin_listen is off */
	struct event *signals[3];
	struct event *grace;   /* the longest a stop waits for answers to be written */
	struct event *crl_due; /* the earliest nextUpdate of the CRLs, or the next retry */
	struct event *minute;  /* counts the failed handshakes left out of the log */
	struct event *ready;   /* until the service manager is told READY=1: the store's test */
	unsigned inflight;     /* requests waiting for the store */
	unsigned judging;      /* posted messages with the judges */
	unsigned unsent;       /* requests whose answer is not yet written out */
	bool stopping;
};

/* A request waiting for the store. */
struct pending {
	gw_server *srv;
	struct evhttp_request *req;
	struct gw_job job;
	struct gw_party caller;
	char cert[65], remote[64];
	/* POST /v1/berichten: judged by the configuration of its time, and by the judges */
	struct gw_config *cfg; /* held (gw_config_hold) */
	struct gw_task task;
	ijw_rc judged; /* what judging (or the region's checks) returned */
	char why[256]; /* IJW_ESCHEMA: why */
	bool receiver_known;
	ijw_doc *doc;
	ijw_findings *findings;
	ijw_findings *advice;    /* of the region's checks set to advise */
	char advice_detail[256]; /* "TR418 0611; ...", for the audit log */
	struct ijw_route route;
	struct gw_party to;        /* the receiver */
	struct ijw_buf translated; /* the receiver's copy, when its codes differ */
	struct gw_put items[2];
	struct ijw_buf retour;
	const void *body;
	size_t len;
	unsigned char sha256[32];
	bool conflict; /* the second round: storing the TR056 retour */
	int64_t first_id;
	/* the ledger: judged in the store's thread (judge()), read back here */
	ijw_findings *cross;     /* findings of the cross-message rules */
	ijw_findings *cross_adv; /* of the region's policy checks set to advise */
	bool refused;            /* the cross-message findings refused the message */
	struct ijw_buf answer;   /* an automatic retour made anew with those findings */
	struct ijw_buf assigned; /* the receiver's copy in the codes of the assignments */
	ijw_doc *answer_doc;     /* ... and parsed, for the ledger */
	/* GET /v1/berichten?box=sent, /v1/berichten/{id}[/status]: what the store has */
	struct look *look;
};

/* What the store has of messages' lives, read for a request, and the answer made of it. */
struct look {
	struct gw_listing listing; /* the outbox: what it asks for */
	struct gw_msg *m;          /* ... its messages, newest first, with their state */
	struct gw_state *st;
	size_t n, cap;
	bool nomem;
	struct gw_life life;    /* a status: the message's life */
	struct gw_msg heen;     /* ... the message it answers; id 0 for none */
	struct ijw_buf *bodies; /* ... the bytes of each retour that answers it */
	struct ijw_buf own;     /* ... its own bytes, when it is a retour */
	size_t max_bytes;       /* ... the most a message may hold */
	int64_t purged;         /* GET: when retention removed its bytes, 0 */
	char *json;             /* a status, as a judge made it; NULL when it could not */
};

/* ---- answers ---- */

/*
 * The access log's line of the answer to req: the request as the guard saw
 * its head (the path of a refused one is not evhttp's), error the answer's
 * error word or NULL.
 */
static void
log_access(struct evhttp_request *req, int status, size_t len, const char *error)
{
	struct gw_access a = {
	        .listener = "api", .status = status, .bytes_out = len, .error = error};
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);

	if (!gw_guard_request(req, &a)) {
		a.remote = "?";
		a.method = "?";
		a.path = uri && evhttp_uri_get_path(uri) ? evhttp_uri_get_path(uri) : "";
	}
	a.bytes_in = evbuffer_get_length(evhttp_request_get_input_buffer(req));
	gw_log_access(&a);
}

/* Sends the answer, and logs it; error: the error word of one that is not a success. */
static void
answer(struct evhttp_request *req, int status, const char *type, const void *data, size_t len,
       const char *error)
{
	struct evbuffer *out = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	log_access(req, status, len, error);
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (out)
		evbuffer_add(out, data, len);
	evhttp_send_reply(req, status, NULL, out);
	if (out)
		evbuffer_free(out);
}

static void
reply(struct evhttp_request *req, int status, const char *type, const void *data, size_t len)
{
	answer(req, status, type, data, len, NULL);
}

static void
reply_json(struct evhttp_request *req, int status, const struct ijw_buf *json)
{
	reply(req, status, "application/json", ijw_buf_str(json), json->len);
}

/* {"error":"...","message":"..."} */
static void reply_error(struct evhttp_request *req, int status, const char *error, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

static void
reply_error(struct evhttp_request *req, int status, const char *error, const char *fmt, ...)
{
	char msg[512];
	struct ijw_buf b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ijw_buf_init(&b, 4096);
	ijw_buf_addstr(&b, "{\"error\":");
	ijw_buf_add_json(&b, error);
	ijw_buf_addstr(&b, ",\"message\":");
	ijw_buf_add_json(&b, msg);
	ijw_buf_addstr(&b, "}\n");
	answer(req, status, "application/json", ijw_buf_str(&b), b.len, error);
	ijw_buf_free(&b);
}

/* JSON text, a line of it. */
static void
reply_text(struct evhttp_request *req, int status, const char *json)
{
	struct ijw_buf b;

	ijw_buf_init(&b, strlen(json) + 2);
	if (ijw_buf_addstr(&b, json) || ijw_buf_addstr(&b, "\n"))
		reply_error(req, 500, "out of memory", "the gateway is out of memory");
	else
		reply_json(req, status, &b);
	ijw_buf_free(&b);
}

/* ,"NAME":[{...}],"more_NAME":N */
static void
add_findings(struct ijw_buf *b, const char *name, const ijw_findings *f)
{
	ijw_buf_addf(b, ",\"%s\":[", name);
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);

		ijw_buf_addstr(b, i ? ",{\"retourcode\":" : "{\"retourcode\":");
		ijw_buf_add_json(b, it->retourcode);
		ijw_buf_addstr(b, ",\"rule\":");
		ijw_buf_add_json(b, it->rule);
		ijw_buf_addstr(b, ",\"xpath\":");
		ijw_buf_add_json(b, it->xpath);
		ijw_buf_addf(b, ",\"line\":%u,\"text\":", it->line);
		ijw_buf_add_json(b, it->text);
		ijw_buf_addstr(b, "}");
	}
	ijw_buf_addf(b, "],\"more_%s\":%zu", name, ijw_findings_dropped(f));
}

/* 422 or 409 with the findings, their retour code, and the retour's id when one was stored. */
static void
reply_rejected(struct pending *p, int status, int64_t retour_id)
{
	const char *type = p->doc ? ijw_msgdef(ijw_doc_type(p->doc))->name : NULL;
	const ijw_findings *f = p->findings;
	struct ijw_buf b;

	ijw_buf_init(&b, 1u << 20);
	ijw_buf_addstr(&b, status == 409 ? "{\"error\":\"conflict\",\"type\":"
	                                 : "{\"error\":\"rejected\",\"type\":");
	if (type)
		ijw_buf_add_json(&b, type);
	else
		ijw_buf_addstr(&b, "null");
	ijw_buf_addstr(&b, ",\"retourcode\":");
	ijw_buf_add_json(&b, ijw_findings_count(f) ? ijw_findings_get(f, 0)->retourcode : "0001");
	if (retour_id)
		ijw_buf_addf(&b, ",\"retour\":\"%" PRId64 "\"", retour_id);
	add_findings(&b, "findings", f);
	ijw_buf_addstr(&b, "}\n");
	answer(p->req, status, "application/json", ijw_buf_str(&b), b.len,
	       status == 409 ? "conflict" : "rejected");
	ijw_buf_free(&b);
}

/* ---- the caller ---- */

static bool
party_copy(gw_server *s, const char *code, struct gw_party *out)
{
	const struct gw_party *p;

	pthread_mutex_lock(&s->cfg_mu);
	p = gw_config_party(s->cfg, code);
	if (p)
		*out = *p;
	pthread_mutex_unlock(&s->cfg_mu);
	return p != NULL;
}

/*
 * The party the guard found the request's certificate to be, copied; false
 * if none (or no longer one, after a reload).
 */
static bool
caller_of(gw_server *s, struct evhttp_request *req, struct pending *p)
{
	char code[9];

	return gw_guard_caller(req, code, p->cert, p->remote) && party_copy(s, code, &p->caller);
}

static bool
party_for_push(void *ctx, const char *code, struct gw_party *out)
{
	return party_copy(ctx, code, out);
}

/* ---- pending requests ---- */

static struct pending *
pending_new(gw_server *s, struct evhttp_request *req)
{
	struct pending *p = calloc(1, sizeof *p);

	if (!p) {
		reply_error(req, 500, "out of memory", "the gateway is out of memory");
		return NULL;
	}
	p->srv = s;
	p->req = req;
	p->job.ctx = p;
	ijw_buf_init(&p->retour, 1u << 30);
	ijw_buf_init(&p->translated, 1u << 30);
	ijw_buf_init(&p->answer, 1u << 30);
	ijw_buf_init(&p->assigned, 1u << 30);
	return p;
}

static void
look_free(struct look *k)
{
	if (!k)
		return;
	for (size_t i = 0; k->bodies && i < k->life.n_answers; i++)
		ijw_buf_free(&k->bodies[i]);
	free(k->bodies);
	ijw_buf_free(&k->own);
	gw_life_free(&k->life);
	free(k->m);
	free(k->st);
	free(k->json);
	free(k);
}

static void
pending_free(struct pending *p)
{
	size_t len = p->len;

	look_free(p->look);
	gw_config_free(p->cfg);
	ijw_doc_free(p->doc);
	ijw_findings_free(p->findings);
	ijw_findings_free(p->advice);
	ijw_findings_free(p->cross);
	ijw_findings_free(p->cross_adv);
	ijw_doc_free(p->answer_doc);
	ijw_buf_free(&p->answer);
	ijw_buf_free(&p->assigned);
	ijw_buf_free(&p->retour);
	ijw_buf_free(&p->translated);
	ijw_buf_free(&p->job.body);
	free(p->job.list);
	free(p);
	ijw_doc_release_memory(len);
}

/* Hands the job of a request in flight to the writer (again); its done() answers. */
static void
resubmit(struct pending *p, enum gw_job_kind kind, void (*done)(struct gw_job *))
{
	p->job.kind = kind;
	p->job.done = done;
	gw_writer_submit(p->srv->writer, &p->job);
}

/* Hands the job to the writer; the request is in flight until settle(). */
static void
submit(struct pending *p, enum gw_job_kind kind, void (*done)(struct gw_job *))
{
	p->srv->inflight++;
	gw_metrics_inflight(1);
	resubmit(p, kind, done);
}

static void maybe_exit(gw_server *s);

static void
on_drain(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	maybe_exit(arg);
}

/* A stopping server ends its loop once every answer is written out, to the socket. */
static void
maybe_exit(gw_server *s)
{
	const struct timeval soon = {0, 20000};

	if (!s->stopping || s->inflight || s->judging || s->unsent)
		return;
	if (!gw_guard_writing(s->guard))
		event_base_loopexit(s->base, NULL);
	else
		event_base_once(s->base, -1, EV_TIMEOUT, on_drain, s, &soon);
}

/* libevent has written the whole answer to request req. */
static void
on_sent(struct evhttp_request *req, void *arg)
{
	gw_server *s = arg;

	gw_guard_done(req);
	s->unsent--;
	maybe_exit(s);
}

/* After the answer to a submitted job: the server may be stopping. */
static void
settle(struct pending *p)
{
	gw_server *s = p->srv;

	s->inflight--;
	gw_metrics_inflight(-1);
	pending_free(p);
	maybe_exit(s);
}

static void
log_store_error(const struct pending *p, const char *what)
{
	gw_log(GW_LOG_ERROR, "store_failed", "what=%s error=%s", what, p->job.error);
}

static void
store_failed(struct pending *p, const char *what)
{
	log_store_error(p, what);
	reply_error(p->req, 503, "store unavailable",
	            "the message could not be stored; send it again later");
}

/* ---- POST /v1/berichten ---- */

static void
audit_as(gw_server *s, const char *party, const char *cert, const char *remote, const char *action,
         const char *detail)
{
	gw_writer_audit(s->writer, party, cert, remote, action, 0, detail);
}

static void
audit(gw_server *s, const struct pending *p, const char *action, const char *detail)
{
	audit_as(s, p->caller.code, p->cert, p->remote, action, detail);
}

/*
 * Makes the retour message for the posted message and its findings into
 * item i, from receiver back to the caller. False when there is none to make.
 */
static bool
make_retour(struct pending *p, int i, const struct ijw_route *route)
{
	struct ijw_retour_opts ro = {.dagtekening = ijw_today(), .refused = p->refused};
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(p->doc));
	struct gw_party caller_now;
	struct gw_put *it = &p->items[i];
	char id[13];
	size_t from = p->retour.len;

	if (def->retour)
		return false;
	/* One identification per answer: the heen bytes' hash, and a mark per round. */
	for (int k = 0; k < 11; k++)
		snprintf(id + k, 3, "%X", p->sha256[k] >> 4);
	id[11] = p->conflict ? 'C' : (char)('A' + i);
	id[12] = '\0';
	ro.identificatie = id;
	if (ijw_retour(p->doc, p->findings, &ro, &p->retour))
		return false;
	memset(it, 0, sizeof *it);
	snprintf(it->msg.type, sizeof it->msg.type, "%s", ijw_msgdef(def->pair)->name);
	snprintf(it->msg.sender, sizeof it->msg.sender, "%s", route->to);
	snprintf(it->msg.receiver, sizeof it->msg.receiver, "%s", route->from);
	snprintf(it->msg.identificatie, sizeof it->msg.identificatie, "%s", id);
	it->msg.generated = true;
	it->body = p->retour.data + from;
	it->len = p->retour.len - from;
	SHA256(it->body, it->len, it->msg.sha256);
	it->cert = "";
	it->remote = "gateway";
	it->push = party_copy(p->srv, route->from, &caller_now) &&
	           caller_now.delivery == GW_DELIVERY_PUSH;
	it->after = -1;
	return true;
}

static void posted_rejected_done(struct gw_job *job);

/*
 * message_rejected, with the rule and retour code of the first finding, and
 * the id of the retour message stored for the sender (retour=N) when there
 * is one.
 */
static void
log_rejected(const struct pending *p, int64_t retour)
{
	const struct ijw_finding *first = ijw_findings_get(p->findings, 0);
	const char *type = ijw_msgdef(ijw_doc_type(p->doc))->name;
	const char *rule = first ? first->rule : "-", *code = first ? first->retourcode : "-";

	if (retour)
		gw_log(GW_LOG_INFO, "message_rejected",
		       "type=%s from=%s rule=%s retourcode=%s retour=%" PRId64, type,
		       p->caller.code, rule, code, retour);
	else
		gw_log(GW_LOG_INFO, "message_rejected", "type=%s from=%s rule=%s retourcode=%s",
		       type, p->caller.code, rule, code);
}

/*
 * Stores the retour of a rejected message, for the caller, then answers;
 * false when there is no retour to make.
 */
static bool
store_retour(struct pending *p, bool in_flight)
{
	if (!make_retour(p, 0, &p->route))
		return false;
	p->job.items = p->items;
	p->job.nitems = 1;
	(in_flight ? resubmit : submit)(p, GW_JOB_PUT, posted_rejected_done);
	return true;
}

static void
count_findings(const ijw_findings *f)
{
	for (size_t i = 0; i < ijw_findings_count(f); i++)
		gw_metrics_finding(ijw_findings_get(f, i)->rule);
}

static void
posted_rejected_done(struct gw_job *job)
{
	struct pending *p = job->ctx;
	int64_t retour = job->rc ? 0 : p->items[0].msg.id;

	/* the message is rejected all the same: 422 (409), without a retour to fetch */
	if (job->rc)
		log_store_error(p, "retour");
	log_rejected(p, retour);
	reply_rejected(p, p->conflict ? 409 : 422, retour);
	settle(p);
}

/* The message stored as it; with the id of its automatic retour when one was stored. */
static void
log_message(const char *event, const struct gw_put *it, int64_t retour)
{
	if (retour)
		gw_log(GW_LOG_INFO, event,
		       "id=%" PRId64 " type=%s from=%s to=%s identificatie=%s retour=%" PRId64,
		       it->msg.id, it->msg.type, it->msg.sender, it->msg.receiver,
		       it->msg.identificatie, retour);
	else
		gw_log(GW_LOG_INFO, event, "id=%" PRId64 " type=%s from=%s to=%s identificatie=%s",
		       it->msg.id, it->msg.type, it->msg.sender, it->msg.receiver,
		       it->msg.identificatie);
}

/* The findings of the region's checks on accepted message id (audited with it): logged, counted. */
static void
advised(struct pending *p, int64_t id)
{
	for (size_t i = 0; i < ijw_findings_count(p->advice); i++) {
		const struct ijw_finding *f = ijw_findings_get(p->advice, i);

		gw_metrics_advice(f->rule);
		gw_log(GW_LOG_INFO, "message_advised",
		       "id=%" PRId64 " rule=%s retourcode=%s xpath=%s", id, f->rule, f->retourcode,
		       f->xpath);
	}
}

/*
 * The advice of p (the region's checks, the ledger's when advised), audited
 * with it: finding by finding, as many whole ones as the field holds.
 */
static void
advice_detail(struct pending *p, struct gw_put *it)
{
	size_t n = 0;

	p->advice_detail[0] = '\0';
	if (!p->advice || !ijw_findings_count(p->advice))
		return;
	for (size_t i = 0; i < ijw_findings_count(p->advice); i++) {
		const struct ijw_finding *f = ijw_findings_get(p->advice, i);
		char item[sizeof p->advice_detail];
		int len = snprintf(item, sizeof item, "%s%s %s", n ? "; " : "", f->rule,
		                   f->retourcode);

		if (len < 0 || n + (size_t)len >= sizeof p->advice_detail)
			break;
		memcpy(p->advice_detail + n, item, (size_t)len + 1);
		n += (size_t)len;
	}
	it->advice = p->advice_detail;
}

/* Whether every finding is at a prestatie, so that a JW325 can reject just those. */
static bool
prestaties_only(const ijw_findings *f)
{
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		const xmlNode *n = ijw_findings_get(f, i)->node;

		while (n && !(n->type == XML_ELEMENT_NODE &&
		              strcmp((const char *)n->name, "Prestatie") == 0))
			n = n->parent;
		if (!n)
			return false;
	}
	return true;
}

/* Parses the gateway's own retour into p->answer_doc; false when it cannot. */
static bool
parse_answer(struct pending *p, const void *body, size_t len)
{
	ijw_findings *f = ijw_findings_new();
	bool ok;

	ijw_doc_free(p->answer_doc);
	p->answer_doc = NULL;
	ok = f && !ijw_doc_parse(body, len, NULL, &p->answer_doc, f) && p->answer_doc;
	ijw_findings_free(f);
	return ok;
}

/*
 * The receiver's copy made anew in the national codes of the assignments
 * the records name (the ledger has them), where the table would name
 * another code of the same combination. -1 when the ledger fails.
 */
static int
in_assigned_codes(struct pending *p, const struct ijw_ledger *l, struct gw_put *it)
{
	ijw_findings *f = ijw_findings_new();
	bool changed = false;
	ijw_rc rc;

	if (!f)
		return -1;
	ijw_buf_reset(&p->assigned);
	rc = ijw_translate(p->doc, p->srv->ledger_products, IJW_LEGACY, l, &p->assigned, f,
	                   &changed);
	if (!rc && changed && !ijw_findings_count(f)) {
		it->translated = p->assigned.data;
		it->translated_len = p->assigned.len;
	}
	ijw_findings_free(f);
	return rc ? -1 : 0;
}

/* The automatic retour it made anew with the cross-message findings at their records. */
static int
answer_anew(struct pending *p, struct gw_put *it)
{
	struct ijw_retour_opts ro = {.dagtekening = ijw_today(),
	                             .identificatie = it->msg.identificatie};

	ijw_buf_reset(&p->answer);
	if (ijw_retour(p->doc, p->cross, &ro, &p->answer))
		return -1;
	it->body = p->answer.data;
	it->len = p->answer.len;
	SHA256(it->body, it->len, it->msg.sha256);
	if (!parse_answer(p, it->body, it->len))
		return -1;
	it->doc = p->answer_doc;
	return 0;
}

/* The ledger refused the message: 422, and the retour (0001, codes at the records) for the caller.
 */
static void
refused(struct pending *p)
{
	const struct ijw_finding *first = ijw_findings_get(p->cross, 0);
	char detail[128];

	ijw_findings_append(p->findings, p->cross);
	gw_metrics_message(ijw_doc_type(p->doc), GW_REJECTED);
	count_findings(p->findings);
	snprintf(detail, sizeof detail, "%s %s %s", ijw_msgdef(ijw_doc_type(p->doc))->name,
	         first->rule, first->retourcode);
	audit(p->srv, p, "rejected", detail);
	if (store_retour(p, true))
		return;
	log_rejected(p, 0);
	reply_rejected(p, 422, 0);
	settle(p);
}

/*
 * Judged in the store's thread, inside the transaction that stores the
 * message: the cross-message rules against the ledger, and what the
 * receiver's cross_checks make of a finding. Enforced, the message is
 * refused (refused() answers it), except a declaration the gateway answers
 * itself: its JW325 rejects the prestaties concerned and awards the rest.
 * Advised, the findings join the advice, and an automatic retour carries
 * their codes at the records concerned. An automatic retour is parsed here,
 * for the ledger, and only when there is a ledger.
 */
static int
judge(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	struct pending *p = ctx;
	struct ijw_ledger l;
	struct ijw_ledger_opts lo = {.products = p->srv->ledger_products, .today = ijw_today()};
	enum ijw_type type = ijw_doc_type(p->doc);
	bool enforce = p->to.cross_checks == GW_CROSS_ENFORCE;
	struct gw_put *answer = n > i + 1 && items[i + 1].after == (int)i ? &items[i + 1] : NULL;

	if (!gw_store_has_ledger(store))
		return 0;
	gw_store_ledger(store, &l);
	if (items[i].translated && p->to.product_codes == GW_CODES_LEGACY && lo.products &&
	    in_assigned_codes(p, &l, &items[i]))
		return -1;
	if (p->to.cross_checks != GW_CROSS_OFF) {
		if (ijw_ledger_check(&l, p->doc, &lo, p->cross, p->cross_adv) ||
		    ijw_findings_append(p->advice, p->cross_adv))
			return -1;
		if (ijw_findings_count(p->cross) && enforce &&
		    !(type == IJW_JW323 && answer && prestaties_only(p->cross))) {
			items[i].outcome = GW_PUT_REFUSED;
			p->refused = true;
			return 0;
		}
		if (!enforce && ijw_findings_append(p->advice, p->cross))
			return -1;
		advice_detail(p, &items[i]);
	}
	if (!answer)
		return 0;
	if (ijw_findings_count(p->cross))
		return answer_anew(p, answer);
	/* the ledger links the answer, and a JW325's award, to the message */
	if (parse_answer(p, answer->body, answer->len))
		answer->doc = p->answer_doc;
	return 0;
}

static void
posted_done(struct gw_job *job)
{
	struct pending *p = job->ctx;
	struct gw_put *it = &p->items[0];
	enum ijw_type type = ijw_doc_type(p->doc);
	struct ijw_buf b;
	bool auto_retour;

	if (job->rc) {
		store_failed(p, "put");
		settle(p);
		return;
	}
	if (it->outcome == GW_PUT_REFUSED) {
		refused(p);
		return;
	}
	/* As for a rejection: the advice is findings, as many as a rejection has. */
	ijw_buf_init(&b, 1u << 20);
	switch (it->outcome) {
	case GW_PUT_NEW:
		gw_metrics_message(type, GW_ACCEPTED);
		auto_retour = job->nitems > 1 && p->items[1].outcome == GW_PUT_NEW;
		log_message("message_accepted", it, auto_retour ? p->items[1].msg.id : 0);
		ijw_buf_addf(&b, "{\"id\":\"%" PRId64 "\",\"type\":\"%s\",\"status\":\"accepted\"",
		             it->msg.id, it->msg.type);
		if (auto_retour) {
			log_message("retour_generated", &p->items[1], 0);
			ijw_buf_addf(&b, ",\"retour\":\"%" PRId64 "\"", p->items[1].msg.id);
		}
		if (it->translated)
			gw_metrics_translation(ijw_msgdef(type)->retour ? GW_TO_SENDER
			                       : p->to.product_codes == GW_CODES_LEGACY
			                               ? GW_TO_LEGACY
			                               : GW_TO_PROFILE);
		if (p->advice && ijw_findings_count(p->advice)) {
			advised(p, it->msg.id);
			add_findings(&b, "advice", p->advice);
		}
		ijw_buf_addstr(&b, "}\n");
		reply_json(p->req, 201, &b);
		break;
	case GW_PUT_SAME:
		gw_metrics_message(type, GW_REPEATED);
		log_message("message_repeated", it, 0);
		ijw_buf_addf(&b,
		             "{\"id\":\"%" PRId64 "\",\"type\":\"%s\",\"status\":\"repeated\"}\n",
		             it->msg.id, it->msg.type);
		reply_json(p->req, 200, &b);
		break;
	default:
		/* TR056: the same identification with other bytes. */
		gw_metrics_message(type, GW_CONFLICT);
		gw_metrics_finding("TR056");
		p->first_id = it->msg.id;
		p->conflict = true;
		ijw_findings_add_node(
		        p->findings,
		        ijw_node_at(ijw_doc_root(p->doc), "Header/BerichtIdentificatie"), "TR056",
		        "9056",
		        "%s %s was already sent by %s (message %" PRId64
		        ") with other contents; an identification is unique per "
		        "message type and sender",
		        ijw_msgdef(type)->name, p->route.identificatie, p->route.from, p->first_id);
		ijw_buf_free(&b);
		/* A second round for the same request: it stays in flight. */
		if (store_retour(p, true))
			return;
		log_rejected(p, 0);
		reply_rejected(p, 409, 0);
		settle(p);
		return;
	}
	ijw_buf_free(&b);
	settle(p);
}

/* Stores an accepted message, and the gateway's own retour for an auto receiver. */
static void
accept_message(struct pending *p, bool in_flight)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(p->doc));
	struct gw_put *it = &p->items[0];

	memset(it, 0, sizeof *it);
	snprintf(it->msg.type, sizeof it->msg.type, "%s", def->name);
	snprintf(it->msg.sender, sizeof it->msg.sender, "%s", p->route.from);
	snprintf(it->msg.receiver, sizeof it->msg.receiver, "%s", p->route.to);
	snprintf(it->msg.identificatie, sizeof it->msg.identificatie, "%s", p->route.identificatie);
	memcpy(it->msg.sha256, p->sha256, sizeof p->sha256);
	it->body = p->body;
	it->len = p->len;
	if (p->translated.len) {
		it->translated = p->translated.data;
		it->translated_len = p->translated.len;
	}
	it->cert = p->cert;
	it->remote = p->remote;
	advice_detail(p, it);
	it->push = p->to.delivery == GW_DELIVERY_PUSH;
	it->after = -1;
	it->doc = p->doc;
	it->judge = judge;
	it->judge_ctx = p;
	p->job.items = p->items;
	p->job.nitems = 1;
	if ((!p->advice && !(p->advice = ijw_findings_new())) || !(p->cross = ijw_findings_new()) ||
	    !(p->cross_adv = ijw_findings_new())) {
		reply_error(p->req, 500, "out of memory", "the gateway is out of memory");
		if (in_flight)
			settle(p);
		else
			pending_free(p);
		return;
	}
	if (p->to.retour == GW_RETOUR_AUTO && make_retour(p, 1, &p->route)) {
		p->items[1].after = 0;
		p->job.nitems = 2;
	}
	(in_flight ? resubmit : submit)(p, GW_JOB_PUT, posted_done);
}

/* Answers a message with findings: 422, and its retour (0001) for the caller. */
static void
reject_message(gw_server *s, struct pending *p, bool receiver_known)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(p->doc));
	const struct ijw_finding *first = ijw_findings_get(p->findings, 0);
	char detail[128];

	gw_metrics_message(def->type, GW_REJECTED);
	count_findings(p->findings);
	snprintf(detail, sizeof detail, "%s %s %s", def->name, first->rule, first->retourcode);
	audit(s, p, "rejected", detail);
	if (receiver_known && store_retour(p, false))
		return;
	log_rejected(p, 0);
	reply_rejected(p, 422, 0);
	pending_free(p);
}

/*
 * The region's product table at work on a message that passed judging: its
 * checks on a declaration (enforced findings join p->findings, advised ones
 * p->advice), then the receiver's copy in the product codes it reads, or a
 * finding (TR381) where a code has no translation.
 */
static ijw_rc
regional(const ijw_products *table, struct pending *p)
{
	enum ijw_type type = ijw_doc_type(p->doc);
	enum ijw_vocabulary to = p->to.product_codes == GW_CODES_LEGACY ? IJW_LEGACY : IJW_PROFILE;
	bool changed;
	ijw_rc rc;

	if (type == IJW_JW323) {
		if (!(p->advice = ijw_findings_new()))
			return IJW_ENOMEM;
		if ((rc = ijw_policy_check(p->doc, table, p->findings, p->advice)))
			return rc;
	}
	if (ijw_msgdef(type)->retour || p->to.product_codes == GW_CODES_BOTH ||
	    ijw_findings_count(p->findings))
		return IJW_OK;
	if ((rc = ijw_translate(p->doc, table, to, NULL, &p->translated, p->findings, &changed)))
		return rc;
	if (!changed || ijw_findings_count(p->findings))
		ijw_buf_reset(&p->translated);
	return IJW_OK;
}

/*
 * The message a retour answers, as its sender sent it: when the gateway
 * translated it for its receiver, the retour is translated back for that
 * sender, so that each side sees only its own product codes.
 */
static void
original_found(struct gw_job *job)
{
	struct pending *p = job->ctx;
	ijw_findings *f = NULL;
	ijw_doc *heen = NULL;
	ijw_rc rc = IJW_OK;

	if (job->rc == GW_STORE_ERROR) {
		store_failed(p, "original");
		settle(p);
		return;
	}
	if (job->rc == GW_STORE_OK && job->msg.translated) {
		if (!(f = ijw_findings_new()))
			rc = IJW_ENOMEM;
		else if (!(rc = ijw_doc_parse(job->body.data, job->body.len, NULL, &heen, f)) &&
		         heen)
			rc = ijw_translate_back(p->doc, heen, &p->translated);
		ijw_doc_free(heen);
		ijw_findings_free(f);
	}
	ijw_buf_free(&job->body);
	if (rc) {
		reply_error(p->req, 500, "internal error",
		            "the retour could not be translated back: %s", ijw_strerror(rc));
		settle(p);
		return;
	}
	accept_message(p, true);
}

/* Hands p to the judges: run() in a worker, then done() here; in flight meanwhile. */
static void
judge_later(struct pending *p, void (*run)(struct gw_task *, ijw_schemas *),
            void (*done)(struct gw_task *))
{
	p->task.bytes = p->len;
	p->task.run = run;
	p->task.done = done;
	p->task.ctx = p;
	p->srv->judging++;
	gw_metrics_judging(1);
	gw_judges_submit(p->srv->judges, &p->task);
}

/* Back from the judges: the request is answered, or with the store, and the server may stop. */
static void
judged_back(gw_server *s)
{
	s->judging--;
	gw_metrics_judging(-1);
	maybe_exit(s);
}

/* The message passed judging and the region's checks, or has findings: rejected or stored. */
static void
decide(gw_server *s, struct pending *p)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(p->doc));

	if (ijw_findings_count(p->findings)) {
		reject_message(s, p, p->receiver_known);
		return;
	}
	if (def->retour && p->cfg->products) {
		/* The heen message: from this one's receiver, its identification in the header. */
		ijw_buf_init(&p->job.body, 1u << 30);
		snprintf(p->job.party, sizeof p->job.party, "%s", p->route.to);
		snprintf(p->job.type, sizeof p->job.type, "%s", ijw_msgdef(def->pair)->name);
		ijw_node_text(ijw_node_at(ijw_doc_root(p->doc),
		                          "Header/BerichtIdentificatie/Identificatie"),
		              p->job.identificatie, sizeof p->job.identificatie);
		submit(p, GW_JOB_ORIGINAL, original_found);
		return;
	}
	accept_message(p, false);
}

/* In a worker: the region's checks, with the table of the message's configuration. */
static void
regional_run(struct gw_task *t, ijw_schemas *schemas)
{
	struct pending *p = t->ctx;

	(void)schemas;
	p->judged = regional(p->cfg->products, p);
}

static void
regional_done(struct gw_task *t)
{
	struct pending *p = t->ctx;
	gw_server *s = p->srv;

	if (p->judged) {
		reply_error(p->req, 500, "internal error",
		            "the message could not be translated: %s", ijw_strerror(p->judged));
		pending_free(p);
	} else {
		decide(s, p);
	}
	judged_back(s);
}

/*
 * A judged message: its sender must be the caller (403), its receiver a
 * party (422); then the region's checks, in a worker again, when there is a
 * product table and no finding yet.
 */
static void
route_message(gw_server *s, struct pending *p)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(p->doc));
	struct ijw_route route;

	ijw_doc_route(p->doc, &route);
	if (route.from[0] && strcmp(route.from, p->caller.code) != 0) {
		audit(s, p, "forbidden", route.from);
		reply_error(p->req, 403, "forbidden",
		            "this %s is from %s, but the certificate is that of %s", def->name,
		            route.from, p->caller.code);
		pending_free(p);
		return;
	}
	if (def->retour && p->caller.retour == GW_RETOUR_AUTO) {
		reply_error(p->req, 422, "retour not accepted",
		            "the gateway answers messages for %s (retour = auto), so it does not "
		            "take a %s from it",
		            p->caller.code, def->name);
		audit(s, p, "retour_refused", def->name);
		pending_free(p);
		return;
	}
	p->route = route;
	p->receiver_known = route.to[0] && party_copy(s, route.to, &p->to);
	if (!p->receiver_known && !ijw_findings_count(p->findings)) {
		reply_error(p->req, 422, "unknown receiver",
		            "the Ontvanger of this %s, %s, is not a party of this gateway",
		            def->name, route.to);
		audit(s, p, "unknown_receiver", route.to);
		pending_free(p);
		return;
	}
	if (!ijw_findings_count(p->findings) && p->cfg->products)
		judge_later(p, regional_run, regional_done);
	else
		decide(s, p);
}

/* In a worker: the message judged (ijw_validate), and its SHA-256. */
static void
judge_run(struct gw_task *t, ijw_schemas *schemas)
{
	struct pending *p = t->ctx;
	struct ijw_validate_opts opts;

	ijw_validate_opts_init(&opts);
	opts.limits.max_bytes = p->cfg->max_message_bytes;
	p->judged =
	        ijw_validate(schemas, p->body ? p->body : "", p->len, &opts, &p->doc, p->findings);
	if (p->judged == IJW_ESCHEMA)
		snprintf(p->why, sizeof p->why, "%s", ijw_schemas_error(schemas));
	SHA256(p->body, p->len, p->sha256);
}

/* Back from judging: a failure or no iJw message at all is answered here, the rest routed. */
static void
judge_done(struct gw_task *t)
{
	struct pending *p = t->ctx;
	gw_server *s = p->srv;

	if (p->judged) {
		reply_error(p->req, 500, "internal error", "the message could not be judged: %s",
		            p->judged == IJW_ESCHEMA ? p->why : ijw_strerror(p->judged));
		pending_free(p);
	} else if (!p->doc) {
		char detail[128];

		/* Not an iJw message at all: nothing to route, nothing to answer with. */
		count_findings(p->findings);
		snprintf(detail, sizeof detail, "%s", ijw_findings_get(p->findings, 0)->rule);
		audit(s, p, "rejected", detail);
		reply_rejected(p, 422, 0);
		pending_free(p);
	} else {
		route_message(s, p);
	}
	judged_back(s);
}

static void
post_message(gw_server *s, struct pending *p)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(p->req);

	p->len = evbuffer_get_length(in);
	gw_log(GW_LOG_DEBUG, "message_received", "from=%s bytes=%zu", p->caller.code, p->len);
	p->body = evbuffer_pullup(in, -1);
	if (!(p->findings = ijw_findings_new()) || (p->len && !p->body)) {
		reply_error(p->req, 500, "out of memory", "the gateway is out of memory");
		pending_free(p);
		return;
	}
	p->cfg = gw_config_hold(s->cfg);
	judge_later(p, judge_run, judge_done);
}

/* ---- the inbox, the outbox, a message's status, the sender's copy ---- */

/* 404: no message id that the caller sent or received, whether there is one or not. */
static void
not_found(struct pending *p, int64_t id)
{
	reply_error(p->req, 404, "not found", "there is no message %" PRId64 " for %s", id,
	            p->caller.code);
}

/* What became of a message, in a word: see README, the outbox. */
static const char *
status_word(const struct gw_state *st)
{
	if (strcmp(st->delivery, "delivered") == 0)
		return "delivered";
	if (st->acked)
		return "acknowledged";
	return st->delivery[0] ? st->delivery : "waiting";
}

/* Sets o's key to v, which it takes; counts a failure (out of memory) in *bad. */
static void
jset(json_t *o, const char *key, json_t *v, int *bad)
{
	if (!o || !v || json_object_set_new(o, key, v))
		++*bad;
}

/* Appends v, which it takes, to array a; counts a failure in *bad. */
static void
jadd(json_t *a, json_t *v, int *bad)
{
	if (!a || !v || json_array_append_new(a, v))
		++*bad;
}

/* A time as ISO 8601 UTC: "2026-11-30T10:46:03Z"; JSON null for 0 (none). */
static json_t *
jtime(int64_t t)
{
	char when[GW_LOG_TIME_SIZE];

	if (!t)
		return json_null();
	gw_log_time(t, when);
	return json_string(when);
}

static json_t *
jid(int64_t id)
{
	char text[24];

	snprintf(text, sizeof text, "%" PRId64, id);
	return json_string(text);
}

/* The fields of message m that every answer about it names; NULL when out of memory. */
static json_t *
jmsg(const struct gw_msg *m, int *bad)
{
	json_t *o = json_object();

	jset(o, "id", jid(m->id), bad);
	jset(o, "type", json_string(m->type), bad);
	jset(o, "from", json_string(m->sender), bad);
	jset(o, "to", json_string(m->receiver), bad);
	jset(o, "identificatie", json_string(m->identificatie), bad);
	jset(o, "received", jtime(m->received), bad);
	jset(o, "generated", json_boolean(m->generated), bad);
	return o;
}

/* Answers with root (taken), one line of JSON; 500 when it could not be made. */
static void
reply_jansson(struct evhttp_request *req, int status, json_t *root, int bad)
{
	char *text = root && !bad ? json_dumps(root, JSON_COMPACT) : NULL;

	if (text) {
		reply_text(req, status, text);
		free(text);
	} else {
		reply_error(req, 500, "out of memory", "the gateway is out of memory");
	}
	json_decref(root);
}

/* The inbox: each message with what its receiver needs to know of it. */
static void
inbox_done(struct gw_job *job)
{
	struct pending *p = job->ctx;
	json_t *root = json_object(), *list = json_array(), *o;
	int bad = 0;

	if (job->rc) {
		json_decref(root);
		json_decref(list);
		store_failed(p, "inbox");
		settle(p);
		return;
	}
	for (size_t i = 0; i < job->nlist; i++) {
		const struct gw_msg *m = &job->list[i];

		o = jmsg(m, &bad);
		if (m->answers)
			jset(o, "answers", jid(m->answers), &bad);
		if (m->translated)
			jset(o, "translated", json_true(), &bad);
		if (m->advice[0])
			jset(o, "advice", json_string(m->advice), &bad);
		jadd(list, o, &bad);
	}
	jset(root, "berichten", list, &bad);
	reply_jansson(p->req, 200, root, bad);
	settle(p);
}

static void
look_each(void *ctx, const struct gw_msg *m, const struct gw_state *st)
{
	struct look *k = ctx;
	size_t cap = k->cap ? k->cap * 2 : 64;
	void *more;

	if (k->nomem)
		return;
	if (k->n == k->cap) {
		if (!(more = realloc(k->m, cap * sizeof *k->m))) {
			k->nomem = true;
			return;
		}
		k->m = more;
		if (!(more = realloc(k->st, cap * sizeof *k->st))) {
			k->nomem = true;
			return;
		}
		k->st = more;
		k->cap = cap;
	}
	k->m[k->n] = *m;
	k->st[k->n++] = *st;
}

/* In the writer's thread: the caller's outbox, as its listing asks. */
static enum gw_store_rc
outbox_read(gw_store *store, struct gw_job *job)
{
	struct pending *p = job->ctx;
	const struct gw_listing *l = &p->look->listing;
	struct gw_filter f = {.sender = job->party,
	                      .visible_to = job->party,
	                      .receiver = l->to[0] ? l->to : NULL,
	                      .type = l->type[0] ? l->type : NULL,
	                      .status = l->status,
	                      .before = l->before,
	                      .limit = (size_t)l->limit};
	enum gw_store_rc rc = gw_store_browse(store, &f, look_each, p->look);

	if (!rc && p->look->nomem) {
		snprintf(job->error, sizeof job->error, "outbox: out of memory");
		rc = GW_STORE_ERROR;
	}
	return rc;
}

static void
outbox_done(struct gw_job *job)
{
	struct pending *p = job->ctx;
	const struct look *k = p->look;
	json_t *root = json_object(), *list = json_array(), *o;
	int bad = 0;

	if (job->rc) {
		json_decref(root);
		json_decref(list);
		store_failed(p, "outbox");
		settle(p);
		return;
	}
	for (size_t i = 0; i < k->n; i++) {
		o = jmsg(&k->m[i], &bad);
		jset(o, "status", json_string(status_word(&k->st[i])), &bad);
		if (k->st[i].answered_by)
			jset(o, "answered_by", jid(k->st[i].answered_by), &bad);
		if (k->m[i].advice[0])
			jset(o, "advice", json_string(k->m[i].advice), &bad);
		jadd(list, o, &bad);
	}
	jset(root, "berichten", list, &bad);
	/* a full page may have a next one: the ids below its last */
	if (k->n && k->n == (size_t)k->listing.limit)
		jset(root, "next_before", jid(k->m[k->n - 1].id), &bad);
	reply_jansson(p->req, 200, root, bad);
	settle(p);
}

/* GET /v1/berichten: the inbox, or with box=sent the outbox. */
static void
get_listing(struct pending *p)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(p->req));
	struct gw_listing l;

	if (gw_route_listing(query, INBOX_DEFAULT, INBOX_MAX, &l)) {
		reply_error(p->req, 400, "bad request", "%s", l.error);
		pending_free(p);
		return;
	}
	snprintf(p->job.party, sizeof p->job.party, "%s", p->caller.code);
	p->job.limit = (size_t)l.limit;
	if (!l.sent) {
		submit(p, GW_JOB_INBOX, inbox_done);
		return;
	}
	if (!(p->look = calloc(1, sizeof *p->look))) {
		reply_error(p->req, 500, "out of memory", "the gateway is out of memory");
		pending_free(p);
		return;
	}
	p->look->listing = l;
	p->job.call = outbox_read;
	submit(p, GW_JOB_CALL, outbox_done);
}

/*
 * In the writer's thread: the message's life as the caller sees it, the
 * message it answers, and the bytes of every retour that answers it.
 */
static enum gw_store_rc
status_read(gw_store *store, struct gw_job *job)
{
	struct look *k = ((struct pending *)job->ctx)->look;
	const struct ijw_msgdef *def;
	struct gw_life heen;
	enum gw_store_rc rc;
	struct gw_msg m;

	if ((rc = gw_store_life(store, job->id, job->party, &k->life)))
		return rc;
	def = ijw_msgdef_by_name(k->life.msg.type);
	if (def && def->retour &&
	    gw_store_body(store, job->id, false, &m, &k->own) == GW_STORE_ERROR)
		return GW_STORE_ERROR;
	if (k->life.msg.answers) {
		if ((rc = gw_store_life(store, k->life.msg.answers, NULL, &heen)) == GW_STORE_ERROR)
			return rc;
		if (!rc)
			k->heen = heen.msg;
		gw_life_free(&heen);
	}
	if (k->life.n_answers && !(k->bodies = calloc(k->life.n_answers, sizeof *k->bodies))) {
		snprintf(job->error, sizeof job->error, "status: out of memory");
		return GW_STORE_ERROR;
	}
	for (size_t i = 0; i < k->life.n_answers; i++) {
		ijw_buf_init(&k->bodies[i], k->max_bytes);
		if (gw_store_body(store, k->life.answers[i].id, false, &m, &k->bodies[i]) ==
		    GW_STORE_ERROR)
			return GW_STORE_ERROR;
	}
	return GW_STORE_OK;
}

/* The advice "TR019 9019; TR418 0611" as [{"rule","retourcode"}]. */
static json_t *
jadvice(const char *advice, int *bad)
{
	json_t *list = json_array(), *o;
	const char *a = advice, *code;
	size_t len, rule, code_len;

	while (*(a += strspn(a, "; "))) {
		len = strcspn(a, ";");
		rule = strcspn(a, " ;");
		code = a + rule + strspn(a + rule, " ");
		code_len = (size_t)(a + len - code);
		while (code_len && code[code_len - 1] == ' ')
			code_len--;
		o = json_object();
		jset(o, "rule", json_stringn(a, rule), bad);
		jset(o, "retourcode", json_stringn(code, code_len), bad);
		jadd(list, o, bad);
		a += len;
	}
	return list;
}

/* The retour codes of element node of a retour as a JSON array. */
static json_t *
jcodes(const void *node, int *bad)
{
	char codes[16][IJW_RETOURCODE_SIZE];
	size_t n = ijw_retour_codes(node, codes, 16);
	json_t *list = json_array();

	for (size_t i = 0; i < n && i < 16; i++)
		jadd(list, json_string(codes[i]), bad);
	return list;
}

/*
 * The retour codes of a retour message, read from its bytes when they are
 * there, into o: "retourcodes" (its header's) and "records" (each record's
 * level and codes).
 */
static void
jretourcodes(json_t *o, const struct ijw_buf *body, int *bad)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	json_t *records;

	if (!f) {
		++*bad;
		return;
	}
	if (!ijw_doc_parse(body->data ? body->data : "", body->len, NULL, &doc, f) && doc) {
		jset(o, "retourcodes", jcodes(ijw_node_at(ijw_doc_root(doc), "Header"), bad), bad);
		records = json_array();
		for (size_t i = 0; i < ijw_doc_nrecords(doc); i++) {
			const struct ijw_record *r = ijw_doc_record(doc, i);
			json_t *rec = json_object();

			jset(rec, "level", json_string(r->level), bad);
			jset(rec, "retourcodes", jcodes(r->node, bad), bad);
			jadd(records, rec, bad);
		}
		jset(o, "records", records, bad);
	}
	ijw_doc_free(doc);
	ijw_findings_free(f);
}

/* The push of the message, or its place in the inbox, as its status shows it. */
static json_t *
jdelivery(const struct gw_life *l, int *bad)
{
	const struct gw_state *st = &l->state;
	json_t *o = json_object(), *attempts;

	if (!st->delivery[0]) {
		jset(o, "by", json_string("inbox"), bad);
		jset(o, "state", json_string(st->acked ? "acknowledged" : "waiting"), bad);
		return o;
	}
	jset(o, "by", json_string("push"), bad);
	jset(o, "state", json_string(st->delivery), bad);
	attempts = json_array();
	for (size_t i = 0; i < l->n_attempts; i++) {
		const struct gw_attempt *a = &l->attempts[i];
		json_t *at = json_object();

		jset(at, "at", jtime(a->at), bad);
		jset(at, "http_status", a->http_status ? json_integer(a->http_status) : json_null(),
		     bad);
		jset(at, "error", a->error[0] ? json_string(a->error) : json_null(), bad);
		jset(at, "delivered", json_boolean(a->delivered), bad);
		jadd(attempts, at, bad);
	}
	jset(o, "attempts", attempts, bad);
	if (st->next_attempt)
		jset(o, "next_attempt", jtime(st->next_attempt), bad);
	jset(o, "delivered", jtime(st->delivered), bad);
	return o;
}

/* In a judge's thread: the status as JSON, the retours' codes read from their bytes. */
static void
status_run(struct gw_task *t, ijw_schemas *schemas)
{
	struct pending *p = t->ctx;
	struct look *k = p->look;
	const struct gw_life *l = &k->life;
	json_t *root, *list;
	int bad = 0;

	(void)schemas;
	root = jmsg(&l->msg, &bad);
	jset(root, "translated", json_boolean(l->msg.translated), &bad);
	jset(root, "status", json_string(status_word(&l->state)), &bad);
	jset(root, "judged", jadvice(l->msg.advice, &bad), &bad);
	jset(root, "stored", jtime(l->msg.received), &bad);
	jset(root, "delivery", jdelivery(l, &bad), &bad);
	jset(root, "acknowledged", jtime(l->state.acked), &bad);
	if (l->msg.answers)
		jset(root, "answers",
		     k->heen.id ? jmsg(&k->heen, &bad)
		                : json_pack("{s:o}", "id", jid(l->msg.answers)),
		     &bad);
	if (k->own.len)
		jretourcodes(root, &k->own, &bad);
	list = json_array();
	for (size_t i = 0; i < l->n_answers; i++) {
		json_t *o = jmsg(&l->answers[i], &bad);

		jretourcodes(o, &k->bodies[i], &bad);
		jadd(list, o, &bad);
	}
	jset(root, "answered_by", list, &bad);
	if (l->state.purged)
		jset(root, "purged", jtime(l->state.purged), &bad);
	k->json = root && !bad ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
}

static void
status_done(struct gw_task *t)
{
	struct pending *p = t->ctx;
	gw_server *s = p->srv;

	if (p->look->json)
		reply_text(p->req, 200, p->look->json);
	else
		reply_error(p->req, 500, "out of memory", "the gateway is out of memory");
	judged_back(s);
	settle(p);
}

static void
status_read_done(struct gw_job *job)
{
	struct pending *p = job->ctx;

	if (job->rc == GW_STORE_NOTFOUND) {
		not_found(p, job->id);
	} else if (job->rc) {
		store_failed(p, "status");
	} else {
		p->len = p->look->own.len;
		for (size_t i = 0; i < p->look->life.n_answers; i++)
			p->len += p->look->bodies[i].len;
		judge_later(p, status_run, status_done);
		return;
	}
	settle(p);
}

/*
 * In the writer's thread: the message for its receiver (its own copy) or
 * its sender (the bytes as sent), unless retention removed them.
 */
static enum gw_store_rc
copy_read(gw_store *store, struct gw_job *job)
{
	struct look *k = ((struct pending *)job->ctx)->look;
	struct gw_life l;
	enum gw_store_rc rc;
	bool receiver;

	if ((rc = gw_store_life(store, job->id, job->party, &l)))
		return rc;
	k->purged = l.state.purged;
	job->msg = l.msg;
	receiver = strcmp(l.msg.receiver, job->party) == 0;
	gw_life_free(&l);
	if (k->purged)
		return GW_STORE_OK;
	return receiver ? gw_store_get(store, job->id, job->party, &job->msg, &job->body)
	                : gw_store_body(store, job->id, false, &job->msg, &job->body);
}

static void
get_done(struct gw_job *job)
{
	struct pending *p = job->ctx;

	if (job->rc == GW_STORE_NOTFOUND) {
		not_found(p, job->id);
	} else if (job->rc == GW_STORE_GONE || (!job->rc && p->look->purged)) {
		reply_error(p->req, 410, "gone",
		            "retention (retention_days) removed the bytes of message %" PRId64
		            " after it was handled; its status is at /v1/berichten/%" PRId64
		            "/status",
		            job->id, job->id);
	} else if (job->rc) {
		store_failed(p, "get");
	} else {
		if (job->msg.advice[0])
			evhttp_add_header(evhttp_request_get_output_headers(p->req), "Ijw-Advice",
			                  job->msg.advice);
		reply(p->req, 200, "application/xml", job->body.data, job->body.len);
	}
	settle(p);
}

/*
 * Hands a read of message id for the caller to the writer: call there, then
 * done here; the bytes of a message take up to twice max_message_bytes.
 */
static void
read_message(gw_server *s, struct pending *p, int64_t id,
             enum gw_store_rc (*call)(gw_store *, struct gw_job *), void (*done)(struct gw_job *))
{
	if (!(p->look = calloc(1, sizeof *p->look))) {
		reply_error(p->req, 500, "out of memory", "the gateway is out of memory");
		pending_free(p);
		return;
	}
	p->job.id = id;
	snprintf(p->job.party, sizeof p->job.party, "%s", p->caller.code);
	p->look->max_bytes = (size_t)s->cfg->max_message_bytes * 2;
	ijw_buf_init(&p->look->own, p->look->max_bytes);
	ijw_buf_init(&p->job.body, p->look->max_bytes);
	p->job.call = call;
	submit(p, GW_JOB_CALL, done);
}

static void
ack_done(struct gw_job *job)
{
	struct pending *p = job->ctx;
	struct ijw_buf b;

	if (job->rc == GW_STORE_NOTFOUND) {
		not_found(p, job->id);
	} else if (job->rc) {
		store_failed(p, "ack");
	} else {
		ijw_buf_init(&b, 256);
		ijw_buf_addf(&b, "{\"id\":\"%" PRId64 "\",\"acked\":true}\n", job->id);
		reply_json(p->req, 200, &b);
		ijw_buf_free(&b);
		gw_log(GW_LOG_INFO, "message_acked", "id=%" PRId64 " by=%s", job->id,
		       p->caller.code);
	}
	settle(p);
}

/* ---- routing ---- */

static void
on_request(struct evhttp_request *req, void *arg)
{
	gw_server *s = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	struct gw_guard_verdict verdict;
	struct pending *p;
	enum gw_route route;
	int64_t id;

	if (!path)
		path = "";
	s->unsent++;
	evhttp_request_set_on_complete_cb(req, on_sent, s);
	if (gw_guard_verdict(req, &verdict)) {
		char after[16];

		if (verdict.retry_after) {
			snprintf(after, sizeof after, "%u", verdict.retry_after);
			evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After",
			                  after);
		}
		reply_error(req, verdict.status, verdict.error, "%s", verdict.message);
		return;
	}
	if (s->stopping) {
		gw_guard_close_after(req);
		reply_error(req, 503, "shutting down", "the gateway is stopping; try again soon");
		return;
	}
	if (!(p = pending_new(s, req)))
		return;
	if (!caller_of(s, req, p)) {
		reply_error(req, 403, "forbidden",
		            "the client certificate is not that of a party of this gateway");
		pending_free(p);
		return;
	}
	route = gw_route_parse(method, path, &id);
	if (route == GW_ROUTE_HEALTHZ) {
		reply(req, 200, "text/plain", "ok\n", 3);
		pending_free(p);
	} else if (route == GW_ROUTE_READYZ) {
		char why[256];

		if (gw_writer_writable(s->writer, why, sizeof why))
			reply(req, 200, "text/plain", "ready\n", 6);
		else
			reply_error(req, 503, "not ready", "the store cannot be written: %s", why);
		pending_free(p);
	} else if (route == GW_ROUTE_OPENAPI) {
		size_t len;
		const char *doc = gw_openapi("party.json", &len);

		reply(req, 200, "application/json", doc, len);
		pending_free(p);
	} else if (route == GW_ROUTE_POST) {
		post_message(s, p);
	} else if (route == GW_ROUTE_INBOX) {
		get_listing(p);
	} else if (route == GW_ROUTE_GET) {
		read_message(s, p, id, copy_read, get_done);
	} else if (route == GW_ROUTE_STATUS) {
		read_message(s, p, id, status_read, status_read_done);
	} else if (route == GW_ROUTE_ACK) {
		p->job.id = id;
		snprintf(p->job.party, sizeof p->job.party, "%s", p->caller.code);
		submit(p, GW_JOB_ACK, ack_done);
	} else {
		if (route == GW_ROUTE_METHOD)
			reply_error(req, 405, "method not allowed", "%s does not take this method",
			            path);
		else
			reply_error(req, 404, "not found", "no such resource: %s", path);
		pending_free(p);
	}
}

/* ---- TLS connections ---- */

static struct bufferevent *
new_connection(struct event_base *base, void *arg)
{
	gw_server *s = arg;
	SSL *ssl = SSL_new(s->ssl);

	(void)base;
	return ssl ? gw_guard_connection(s->guard, ssl) : NULL;
}

/* The guard's view of a certificate: the code of its party. */
static bool
guard_party(void *ctx, X509 *cert, char code[9])
{
	gw_server *s = ctx;
	const struct gw_party *party;

	pthread_mutex_lock(&s->cfg_mu);
	party = gw_tls_party(s->cfg, cert);
	if (party)
		memcpy(code, party->code, 9);
	pthread_mutex_unlock(&s->cfg_mu);
	return party != NULL;
}

static void
guard_notice(void *ctx, const char *action, const char *remote, const char *cert,
             const char *detail)
{
	audit_as(ctx, "", cert, remote, action, detail);
}

/*
 * The guard's limits from c. Connections are capped further by the
 * descriptors the process may open, less some for the store, the log and
 * pushes, so that accept() does not run out first.
 */
static void
guard_limits(const struct gw_config *c, struct gw_guard_limits *l)
{
	struct rlimit rl;

	memset(l, 0, sizeof *l);
	l->max_connections = (unsigned)c->max_connections;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)l->max_connections + 128)
		l->max_connections = rl.rlim_cur > 256 ? (unsigned)(rl.rlim_cur - 128) : 128;
	l->max_per_address = (unsigned)c->max_connections_per_address;
	l->header_timeout = (unsigned)c->header_timeout;
	l->min_body_rate = c->min_body_rate;
	l->max_requests = (unsigned)c->max_requests_in_flight;
	l->max_bytes = c->max_bytes_in_flight;
	l->max_body = c->max_message_bytes;
	l->rate = (double)c->rate_limit;
	l->burst = (double)c->rate_burst;
}

/* ---- CRLs ---- */

/*
 * Arms the CRL timer for just after the earliest nextUpdate of the CRLs of
 * the context. A CRL past it fails every certificate of its CA, as OpenSSL
 * does: that is warned about, and the file read again, every CRL_RETRY.
 */
static void
crl_schedule(gw_server *s)
{
	size_t n = gw_tls_crls(s->ssl, NULL, 0);
	struct gw_tls_crl *crls = calloc(n ? n : 1, sizeof *crls);
	struct timeval tv = {CRL_RETRY, 0};
	time_t now = time(NULL), first = 0;
	char file[1100], issuer[300];
	bool expired = false;

	evtimer_del(s->crl_due);
	if (crls)
		gw_tls_crls(s->ssl, crls, n);
	for (size_t i = 0; crls && i < n; i++) {
		if (!crls[i].next_update)
			continue;
		if (!first || crls[i].next_update < first)
			first = crls[i].next_update;
		if (crls[i].next_update < now) {
			expired = true;
			gw_log(GW_LOG_WARN, "crl_expired",
			       "file=%s issuer=%s next_update=%lld what=\"every certificate of "
			       "this CA is refused until the file holds a newer CRL\"",
			       gw_log_quote(s->cfg->client_crl, file, sizeof file),
			       gw_log_quote(crls[i].issuer, issuer, sizeof issuer),
			       (long long)crls[i].next_update);
		}
	}
	if (crls && !expired)
		tv.tv_sec = first ? first - now + 1 : 0;
	if (tv.tv_sec)
		evtimer_add(s->crl_due, &tv);
	free(crls);
}

/* New connections take ctx (new_connection() reads s->ssl); established ones keep theirs. */
static void
use_ctx(gw_server *s, SSL_CTX *ctx)
{
	SSL_CTX_free(s->ssl);
	s->ssl = ctx;
	crl_schedule(s);
}

/* A CRL's nextUpdate has come: the TLS context is made anew, with the file as it is now. */
static void
on_crl_due(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval retry = {CRL_RETRY, 0};
	gw_server *s = arg;
	SSL_CTX *ctx;
	char err[1024], quoted[1100];

	(void)fd;
	(void)what;
	if (!(ctx = gw_tls_server_ctx(s->cfg, err, sizeof err))) {
		gw_log(GW_LOG_ERROR, "crl_reload_failed", "error=%s",
		       gw_log_quote(err, quoted, sizeof quoted));
		evtimer_add(s->crl_due, &retry);
		return;
	}
	gw_log(GW_LOG_INFO, "crl_reloaded", "file=%s crls=%zu",
	       gw_log_quote(s->cfg->client_crl, quoted, sizeof quoted), gw_tls_crls(ctx, NULL, 0));
	use_ctx(s, ctx);
}

static void
on_minute(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	gw_tls_log_suppressed();
}

/* ---- signals ---- */

static void
on_grace(evutil_socket_t fd, short what, void *arg)
{
	gw_server *s = arg;

	(void)fd;
	(void)what;
	gw_log(GW_LOG_WARN, "stop_grace_over", "in_flight=%u judging=%u unsent=%u",
	       s->inflight + s->judging, s->judging, s->unsent);
	event_base_loopexit(s->base, NULL);
}

static void
on_stop(evutil_socket_t sig, short what, void *arg)
{
	gw_server *s = arg;
	const struct timeval grace = {STOP_GRACE, 0};

	(void)what;
	if (s->stopping)
		return;
	s->stopping = true;
	/* in flight: with the store or with the judges; judging: the latter */
	gw_log(GW_LOG_INFO, "stopping", "signal=%d in_flight=%u judging=%u", (int)sig,
	       s->inflight + s->judging, s->judging);
	sd_notifyf(0, "STOPPING=1\nSTATUS=stopping: answering %u requests in flight",
	           s->inflight + s->judging);
	if (s->sock) {
		evhttp_del_accept_socket(s->http, s->sock);
		s->sock = NULL;
	}
	gw_admin_close(s->admin);
	/* An answer whose connection broke is never written; do not wait for it forever. */
	if ((s->grace = evtimer_new(s->base, on_grace, s)))
		evtimer_add(s->grace, &grace);
	maybe_exit(s);
}

/* Reads the configuration again: true, or false with the reason in err, logged. */
static bool
reload(gw_server *s, char *err, size_t errlen)
{
	struct gw_config *c, *old;
	SSL_CTX *ctx;
	struct gw_guard_limits limits;
	char quoted[1100];

	if (!gw_config_load(s->cfg->file, &c, err, errlen)) {
		gw_log(GW_LOG_ERROR, "reload_failed", "error=%s",
		       gw_log_quote(err, quoted, sizeof quoted));
		return false;
	}
	if (!(ctx = gw_tls_server_ctx(c, err, errlen))) {
		gw_log(GW_LOG_ERROR, "reload_failed", "error=%s",
		       gw_log_quote(err, quoted, sizeof quoted));
		gw_config_free(c);
		return false;
	}
	if (gw_keyring_load(s->keys, c->store_key, err, errlen)) {
		gw_log(GW_LOG_ERROR, "reload_failed", "error=%s",
		       gw_log_quote(err, quoted, sizeof quoted));
		SSL_CTX_free(ctx);
		gw_config_free(c);
		return false;
	}
	if (strcmp(c->listen, s->cfg->listen) || c->port != s->cfg->port ||
	    strcmp(c->store, s->cfg->store) || c->workers != s->cfg->workers)
		gw_log(GW_LOG_WARN, "reload_partial",
		       "what=\"listen, port, store and workers take effect at a restart\"");
	guard_limits(c, &limits);
	gw_guard_set_limits(s->guard, &limits);
	pthread_mutex_lock(&s->cfg_mu);
	old = s->cfg;
	s->cfg = c;
	pthread_mutex_unlock(&s->cfg_mu);
	use_ctx(s, ctx);
	evhttp_set_max_body_size(s->http, (ev_ssize_t)c->max_message_bytes);
	gw_writer_retention(s->writer, c->retention_days);
	gw_log(GW_LOG_INFO, "reloaded", "parties=%zu", c->nparties);
	snprintf(err, errlen, "%zu parties", c->nparties);
	/* freed here, or by the last message judged by it */
	gw_config_free(old);
	return true;
}

/*
 * SIGHUP: the service manager hears of the reload (RELOADING=1, with the
 * time it began) and of its end (READY=1, whether it failed or not: the
 * gateway serves on either way).
 */
static void
on_reload(evutil_socket_t sig, short what, void *arg)
{
	gw_server *s = arg;
	struct timespec ts;
	char err[1024];
	bool ok;

	(void)sig;
	(void)what;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
	           (unsigned long long)ts.tv_sec * 1000000u +
	                   (unsigned long long)ts.tv_nsec / 1000u,
	           s->cfg->file);
	ok = reload(s, err, sizeof err);
	sd_notifyf(0, "READY=1\nSTATUS=serving; %s: %s", ok ? "reloaded" : "the reload failed",
	           err);
}

/*
 * Until the store took its first write: once it has, the service manager
 * hears that the gateway is ready (it listens already).
 */
static void
on_ready_check(evutil_socket_t fd, short what, void *arg)
{
	gw_server *s = arg;
	char why[256];

	(void)fd;
	(void)what;
	if (!gw_writer_writable(s->writer, why, sizeof why)) {
		sd_notifyf(0, "STATUS=listening; waiting for the store to take a write: %s", why);
		return;
	}
	event_del(s->ready);
	sd_notifyf(0, "READY=1\nSTATUS=serving %zu parties", s->cfg->nparties);
}

/* ---- life ---- */

static const struct gw_config *
current_config(void *ctx)
{
	return ((gw_server *)ctx)->cfg;
}

/* The admin listener on the server's loop, store and push worker; NULL when it is off. */
static gw_admin *
start_admin(gw_server *s, char *err, size_t errlen)
{
	const struct gw_admin_env env = {
	        .base = s->base,
	        .writer = s->writer,
	        .judges = s->judges,
	        .products = s->ledger_products,
	        .wake = gw_push_wake,
	        .wake_ctx = s->push,
	        .config = current_config,
	        .config_ctx = s,
	};

	return gw_admin_new(&env, s->cfg, err, errlen);
}

gw_server *
gw_server_new(struct gw_config *c, SSL_CTX *ssl, char *err, size_t errlen)
{
	gw_server *s = calloc(1, sizeof *s);
	gw_store *ws = NULL, *ps = NULL;
	const char *store_kind;
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	evutil_socket_t fd;
	char host[64] = "", why[512];
	unsigned port = c->port;
	struct rlimit rl;
	struct gw_guard_limits limits;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		gw_config_free(c);
		SSL_CTX_free(ssl);
		return NULL;
	}
	s->cfg = c;
	s->ssl = ssl;
	pthread_mutex_init(&s->cfg_mu, NULL);
	evthread_use_pthreads();
	/* Descriptors are connections: take what the hard limit allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	guard_limits(c, &limits);
	if (!(s->base = event_base_new()) || !(s->http = evhttp_new(s->base)) ||
	    !(s->guard = gw_guard_new(s->base, &limits, guard_party, guard_notice, s)) ||
	    !(s->crl_due = evtimer_new(s->base, on_crl_due, s)) ||
	    !(s->minute = event_new(s->base, -1, EV_PERSIST, on_minute, s)) ||
	    event_add(s->minute, &(struct timeval){60, 0}) != 0) {
		snprintf(err, errlen, "cannot make the event loop");
		goto fail;
	}
	/* the writer's store holds the claim for the daemon's life */
	if (!(ws = gw_store_open(c->store, c->base_dir, err, errlen)) ||
	    gw_store_claim(ws, err, errlen) ||
	    !(ps = gw_store_open(c->store, c->base_dir, err, errlen)))
		goto fail;
	if (c->ledger_key[0] && gw_store_load_ledger_key(ws, c->ledger_key, err, errlen))
		goto fail;
	if (!c->ledger_key[0])
		gw_log(GW_LOG_WARN, "no_ledger",
		       "what=\"no ledger_key: the cross-message rules are not judged\"");
	if (!(s->keys = gw_keyring_new())) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (gw_keyring_load(s->keys, c->store_key, err, errlen))
		goto fail;
	gw_store_set_keyring(ws, s->keys);
	gw_store_set_keyring(ps, s->keys);
	gw_store_set_instance(ws, c->instance);
	gw_store_set_instance(ps, c->instance);
	store_kind = gw_store_kind(ws);
	if (!c->store_key[0])
		gw_log(GW_LOG_WARN, "no_store_key",
		       "what=\"no store_key: message bodies are stored in plain text\"");
	/* the ledger judges by the table of the start; a reload does not change it */
	if (c->products_path[0] &&
	    !(s->ledger_products = gw_products_arg(c->products_path, why, sizeof why))) {
		snprintf(err, errlen, "products: %s", why);
		goto fail;
	}
	gw_store_set_products(ws, s->ledger_products);
	if (!(s->push = gw_push_start(ps, c, party_for_push, s, err, errlen)))
		goto fail;
	ps = NULL;
	if (!(s->writer = gw_writer_start(ws, s->base, c->batch_max, gw_push_wake, s->push))) {
		snprintf(err, errlen, "cannot start the store's thread");
		goto fail;
	}
	ws = NULL;
	gw_writer_retention(s->writer, c->retention_days);
	if (!(s->judges = gw_judges_start(s->base, (unsigned)c->workers, err, errlen)))
		goto fail;
	gw_metrics_workers((unsigned)c->workers);
	evhttp_set_bevcb(s->http, new_connection, s);
	evhttp_set_gencb(s->http, on_request, s);
	/* Every method reaches the handler, which answers 405 where it does not fit. */
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
	                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	                                            EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_body_size(s->http, (ev_ssize_t)c->max_message_bytes);
	evhttp_set_max_headers_size(s->http, 16384);
	evhttp_set_timeout(s->http, IDLE_TIMEOUT);
	if (!(s->sock = evhttp_bind_socket_with_handle(s->http, c->listen, (ev_uint16_t)c->port))) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s", c->listen, c->port,
		         strerror(errno));
		goto fail;
	}
	gw_guard_listen(s->guard, evhttp_bound_socket_get_listener(s->sock));
	fd = evhttp_bound_socket_get_fd(s->sock);
	/*
	 * Answers leave in a few TLS records; without TCP_NODELAY, which accepted
	 * sockets inherit from this one, Nagle's algorithm and delayed ACKs hold
	 * each back for 40 ms.
	 */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	gw_log_address(fd, true, host, &port);
	if (!(s->admin = start_admin(s, err, errlen)) && err[0])
		goto fail;
	for (size_t i = 0; i < 3; i++)
		if (!(s->signals[i] = evsignal_new(s->base, sigs[i],
		                                   sigs[i] == SIGHUP ? on_reload : on_stop, s)) ||
		    evsignal_add(s->signals[i], NULL) != 0) {
			snprintf(err, errlen, "cannot handle signals");
			goto fail;
		}
	signal(SIGPIPE, SIG_IGN);
	crl_schedule(s);
	gw_metrics_start((int64_t)time(NULL), c->instance, store_kind);
	gw_log(GW_LOG_INFO, "listening",
	       "address=%s port=%u parties=%zu max_connections=%u workers=%lu instance=%s store=%s",
	       host, port, c->nparties, limits.max_connections, c->workers, c->instance,
	       store_kind);
	if (!(s->ready = event_new(s->base, -1, EV_PERSIST, on_ready_check, s)) ||
	    event_add(s->ready, &(struct timeval){0, READY_CHECK_MS * 1000}) != 0) {
		snprintf(err, errlen, "cannot make the event loop");
		goto fail;
	}
	return s;
fail:
	gw_store_close(ws);
	gw_store_close(ps);
	gw_server_free(s);
	return NULL;
}

int
gw_server_run(gw_server *s)
{
	event_base_dispatch(s->base);
	/*
	 * Messages still with the judges (after the grace of a stop) are judged
	 * and handed to the store; the store's queue is empty by now, or
	 * finished here; the delivery thread ends its attempt.
	 */
	gw_judges_stop(s->judges);
	s->judges = NULL;
	gw_writer_stop(s->writer);
	s->writer = NULL;
	gw_push_stop(s->push);
	s->push = NULL;
	gw_tls_log_suppressed();
	gw_log(GW_LOG_INFO, "stopped", NULL);
	return 0;
}

void
gw_server_free(gw_server *s)
{
	if (!s)
		return;
	if (s->judges)
		gw_judges_stop(s->judges);
	if (s->writer)
		gw_writer_stop(s->writer);
	if (s->push)
		gw_push_stop(s->push);
	for (size_t i = 0; i < 3; i++)
		if (s->signals[i])
			event_free(s->signals[i]);
	if (s->grace)
		event_free(s->grace);
	if (s->crl_due)
		event_free(s->crl_due);
	if (s->minute)
		event_free(s->minute);
	if (s->ready)
		event_free(s->ready);
	gw_admin_free(s->admin);
	if (s->http)
		evhttp_free(s->http);
	gw_guard_free(s->guard);
	if (s->base)
		event_base_free(s->base);
	SSL_CTX_free(s->ssl);
	gw_config_free(s->cfg);
	ijw_products_free(s->ledger_products);
	gw_keyring_free(s->keys);
	pthread_mutex_destroy(&s->cfg_mu);
	free(s);
}
