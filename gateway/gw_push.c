/*
 * gw_push.c: posting due deliveries with libcurl's multi interface.
 *
 * One thread and one store handle; each receiver has a slot for one attempt
 * and a circuit breaker of its own, and the attempts of all receivers run
 * side by side in one multi handle. The thread lists what is due when it is
 * woken, when an attempt ends and else once a second, at most one delivery
 * per receiver, and starts an attempt for each receiver whose slot is free
 * and whose breaker lets it.
 *
 * Several gateways may share one store (PostgreSQL): what this one lists is
 * leased to it for an attempt's time and LEASE_SLACK more, so that no other
 * gateway attempts it meanwhile; once a second is soon enough to take over
 * the deliveries of a gateway that died, when their leases run out.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_push.h"
#include "gw_tls.h"

#define IDLE_MS 1000
#define DUE_MAX 4096 /* receivers looked at in one listing */
#define BODY_MAX (1u << 30)
#define REOPEN_SECONDS 5
/* seconds a listed delivery stays leased beyond push_timeout */
#define LEASE_SLACK 30

enum breaker {
	BREAKER_CLOSED, /* attempts are made */
	BREAKER_OPEN,   /* none until open_until */
	BREAKER_TRIAL,  /* one attempt, whose outcome closes or opens it again */
};

/* A receiver: its attempt under way, if any, and its breaker. */
struct receiver {
	char code[9];
	CURL *h; /* the attempt under way, or NULL */
	struct curl_slist *headers;
	struct ijw_buf body;
	struct gw_due due; /* what h delivers */
	int64_t started;   /* when h began */
	char curl_err[CURL_ERROR_SIZE];
	enum breaker breaker;
	unsigned failures; /* failed attempts in a row */
	int64_t open_until;
};

struct gw_push {
	int64_t reopened; /* when the store was last opened anew */
	gw_store *store;
	gw_push_party_fn party;
	void *party_ctx;
	char cert[GW_PATH_MAX], key[GW_PATH_MAX], ca[GW_PATH_MAX];
	unsigned long retry_initial, retry_max, give_up_after, min_attempts, timeout;
	unsigned long breaker_failures, breaker_seconds;
	CURLM *multi;
	pthread_t thread;
	pthread_mutex_t mu;
	bool woken, stopping;
	uint64_t rng;
	struct receiver **rx; /* every receiver seen since the start */
	size_t nrx, caprx;
};

/* A number in [0, n), from xorshift: jitter needs no more. */
static uint64_t
jitter(gw_push *p, uint64_t n)
{
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	return n ? p->rng % n : 0;
}

/* The wait before attempt number attempts + 1. */
static int64_t
backoff(gw_push *p, unsigned attempts)
{
	uint64_t wait = p->retry_initial;

	for (unsigned i = 1; i < attempts && wait < p->retry_max; i++)
		wait *= 2;
	if (wait > p->retry_max)
		wait = p->retry_max;
	return (int64_t)(wait + jitter(p, wait / 4 + 1));
}

static size_t
discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * n;
}

/* The receiver with code, made when it is new; NULL when out of memory. */
static struct receiver *
receiver_of(gw_push *p, const char *code)
{
	struct receiver *r;

	for (size_t i = 0; i < p->nrx; i++)
		if (strcmp(p->rx[i]->code, code) == 0)
			return p->rx[i];
	if (p->nrx == p->caprx) {
		size_t cap = p->caprx ? 2 * p->caprx : 16;
		struct receiver **more = realloc(p->rx, cap * sizeof *more);

		if (!more)
			return NULL;
		p->rx = more;
		p->caprx = cap;
	}
	if (!(r = calloc(1, sizeof *r)))
		return NULL;
	snprintf(r->code, sizeof r->code, "%s", code);
	ijw_buf_init(&r->body, BODY_MAX);
	p->rx[p->nrx++] = r;
	return r;
}

/* The breaker after an attempt that reached for the receiver: ok when it delivered. */
static void
breaker_after(gw_push *p, struct receiver *r, bool ok, int64_t now)
{
	if (ok) {
		if (r->breaker != BREAKER_CLOSED) {
			gw_metrics_breaker(false);
			gw_log(GW_LOG_INFO, "push_breaker_closed", "to=%s", r->code);
		}
		r->breaker = BREAKER_CLOSED;
		r->failures = 0;
		return;
	}
	r->failures++;
	if (r->breaker == BREAKER_CLOSED && r->failures < p->breaker_failures)
		return;
	if (r->breaker == BREAKER_CLOSED)
		gw_metrics_breaker(true);
	gw_log(GW_LOG_WARN, "push_breaker_open", "to=%s failures=%u trial=%s pause=%lu", r->code,
	       r->failures, r->breaker == BREAKER_TRIAL ? "failed" : "none", p->breaker_seconds);
	r->breaker = BREAKER_OPEN;
	r->open_until = now + (int64_t)p->breaker_seconds;
}

/*
 * The store failed: this thread's handle may have been opened when the file
 * could not be written, and stays so; it is opened anew, at most every
 * REOPEN_SECONDS.
 */
static void
recover(gw_push *p, const char *what)
{
	int64_t now = (int64_t)time(NULL);
	char err[256], quoted[300];

	gw_log(GW_LOG_ERROR, "store_failed", "what=%s error=%s", what,
	       gw_log_quote(gw_store_error(p->store), quoted, sizeof quoted));
	if (now - p->reopened < REOPEN_SECONDS)
		return;
	p->reopened = now;
	if (gw_store_reopen(p->store, err, sizeof err))
		gw_log(GW_LOG_WARN, "store_reopen_failed", "what=push error=%s",
		       gw_log_quote(err, quoted, sizeof quoted));
}

/*
 * Records the attempt at d that began at started and ended at now: the HTTP
 * status (0 when none came) and what went wrong ("" when it delivered). A
 * failed delivery is given up once it has had min_attempts attempts and its
 * first attempt is give_up_after seconds ago: time it spent waiting behind
 * others does not count.
 */
static void
conclude(gw_push *p, const struct gw_due *d, int64_t started, int64_t now, long status,
         const char *err)
{
	bool ok = !err[0];
	unsigned made = d->attempts + 1;
	int64_t first = d->first_attempt ? d->first_attempt : started;
	bool give_up = !ok && made >= p->min_attempts && now - first >= (int64_t)p->give_up_after;
	int64_t next = now + backoff(p, made);
	char quoted[600];

	switch (gw_store_attempt(p->store, d->delivery, started, (int)status, ok ? NULL : err, ok,
	                         next, give_up)) {
	case GW_STORE_OK:
		break;
	case GW_STORE_NOTFOUND:
		/* its lease ran out, and another gateway sharing the store concluded it */
		gw_log(GW_LOG_WARN, "push_concluded_elsewhere", "id=%lld to=%s",
		       (long long)d->message, d->receiver);
		break;
	case GW_STORE_ERROR:
	case GW_STORE_GONE: /* which gw_store_attempt() never answers */
		recover(p, "push_attempt");
		break;
	}
	if (ok) {
		gw_metrics_push(GW_PUSH_DELIVERED);
		gw_log(GW_LOG_INFO, "message_pushed", "id=%lld to=%s attempt=%u status=%ld",
		       (long long)d->message, d->receiver, made, status);
	} else if (give_up) {
		gw_metrics_push(GW_PUSH_GIVEN_UP);
		gw_log(GW_LOG_ERROR, "push_given_up",
		       "id=%lld to=%s attempts=%u since_first=%lld age=%lld error=%s",
		       (long long)d->message, d->receiver, made, (long long)(now - first),
		       (long long)(now - d->created), gw_log_quote(err, quoted, sizeof quoted));
		gw_store_audit(p->store, now, d->receiver, "", "", "push_given_up", d->message,
		               err);
	} else {
		gw_metrics_push(GW_PUSH_FAILED);
		gw_log(GW_LOG_WARN, "push_failed", "id=%lld to=%s attempt=%u next_in=%lld error=%s",
		       (long long)d->message, d->receiver, made, (long long)(next - now),
		       gw_log_quote(err, quoted, sizeof quoted));
	}
}

/* Takes r's attempt, if it began, out of the multi handle and frees what it held. */
static void
end_attempt(gw_push *p, struct receiver *r)
{
	if (r->h) {
		curl_multi_remove_handle(p->multi, r->h);
		curl_easy_cleanup(r->h);
	}
	curl_slist_free_all(r->headers);
	ijw_buf_free(&r->body);
	ijw_buf_init(&r->body, BODY_MAX);
	r->h = NULL;
	r->headers = NULL;
}

/* Begins r's attempt at r->due, a POST to party's push_url; false with err when it cannot. */
static bool
begin(gw_push *p, struct receiver *r, const struct gw_party *party, char *err, size_t errlen)
{
	char idh[64], adh[300];
	struct gw_msg m;
	CURL *h;

	if (gw_store_get(p->store, r->due.message, r->due.receiver, &m, &r->body) != GW_STORE_OK) {
		snprintf(err, errlen, "%s", gw_store_error(p->store));
		end_attempt(p, r);
		return false;
	}
	snprintf(idh, sizeof idh, "Ijw-Message-Id: %lld", (long long)m.id);
	snprintf(adh, sizeof adh, "Ijw-Advice: %s", m.advice);
	r->headers = curl_slist_append(NULL, "Content-Type: application/xml");
	if (r->headers)
		r->headers = curl_slist_append(r->headers, idh);
	if (r->headers && m.advice[0])
		r->headers = curl_slist_append(r->headers, adh);
	if (!r->headers || !(h = curl_easy_init())) {
		snprintf(err, errlen, "out of memory");
		end_attempt(p, r);
		return false;
	}
	/* what the receiver's TLS must meet: a push that libcurl cannot hold to it is not made */
	if (curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, GW_TLS_CIPHERS_12) != CURLE_OK ||
	    (party->push_ocsp && curl_easy_setopt(h, CURLOPT_SSL_VERIFYSTATUS, 1L) != CURLE_OK)) {
		snprintf(err, errlen,
		         "this libcurl cannot demand TLS 1.2 with the gateway's suites%s",
		         party->push_ocsp ? " and a stapled OCSP answer" : "");
		curl_easy_cleanup(h);
		end_attempt(p, r);
		return false;
	}
	r->curl_err[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, party->push_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body.data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body.len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(h, CURLOPT_SSLCERT, p->cert);
	curl_easy_setopt(h, CURLOPT_SSLKEY, p->key);
	curl_easy_setopt(h, CURLOPT_CAINFO, p->ca);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)p->timeout);
	/* each attempt on a connection of its own: the receiver's certificate is judged anew */
	curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->curl_err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_PRIVATE, r);
	if (curl_multi_add_handle(p->multi, h) != CURLM_OK) {
		snprintf(err, errlen, "cannot add the push to libcurl's multi handle");
		curl_easy_cleanup(h);
		end_attempt(p, r);
		return false;
	}
	r->h = h;
	return true;
}

/* A due delivery: attempted when its receiver's slot is free and its breaker lets it. */
static void
on_due(void *ctx, const struct gw_due *d)
{
	gw_push *p = ctx;
	struct receiver *r = receiver_of(p, d->receiver);
	int64_t now = (int64_t)time(NULL);
	struct gw_party party;
	char err[512] = "";

	if (!r || r->h)
		return;
	if (!p->party(p->party_ctx, d->receiver, &party) || party.delivery != GW_DELIVERY_PUSH) {
		/* nothing to guard any more: the breaker has no say in this */
		if (r->breaker != BREAKER_CLOSED)
			breaker_after(p, r, true, now);
		snprintf(err, sizeof err, "party %s no longer wants its messages pushed",
		         d->receiver);
		conclude(p, d, now, now, 0, err);
		return;
	}
	if (r->breaker == BREAKER_OPEN) {
		if (now < r->open_until)
			return; /* paused: no attempt, and none counted */
		r->breaker = BREAKER_TRIAL;
	}
	r->due = *d;
	r->started = now;
	if (!begin(p, r, &party, err, sizeof err))
		conclude(p, d, now, now, 0, err);
}

/* An attempt has ended: its outcome goes to the breaker and the store. */
static void
on_done(gw_push *p, CURL *h, CURLcode rc)
{
	struct receiver *r;
	char *priv = NULL, err[512] = "";
	long status = 0;
	int64_t now = (int64_t)time(NULL);

	curl_easy_getinfo(h, CURLINFO_PRIVATE, &priv);
	r = (struct receiver *)(void *)priv;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299)
			snprintf(err, sizeof err, "the receiver answered %ld", status);
	} else
		snprintf(err, sizeof err, "%s",
		         r->curl_err[0] ? r->curl_err : curl_easy_strerror(rc));
	end_attempt(p, r);
	breaker_after(p, r, !err[0], now);
	conclude(p, &r->due, r->started, now, status, err);
}

static void *
push_main(void *arg)
{
	gw_push *p = arg;
	int64_t listed = 0;
	bool list = true;

	for (;;) {
		int64_t now = (int64_t)time(NULL);
		CURLMsg *msg;
		int running, left;

		pthread_mutex_lock(&p->mu);
		if (p->stopping) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		list = list || p->woken;
		p->woken = false;
		pthread_mutex_unlock(&p->mu);
		if (list || now != listed) {
			if (gw_store_due(p->store, now, (int64_t)(p->timeout + LEASE_SLACK),
			                 DUE_MAX, 1, on_due, p) != GW_STORE_OK)
				recover(p, "push_due");
			listed = now;
			list = false;
		}
		curl_multi_perform(p->multi, &running);
		while ((msg = curl_multi_info_read(p->multi, &left)))
			if (msg->msg == CURLMSG_DONE) {
				on_done(p, msg->easy_handle, msg->data.result);
				list = true;
			}
		if (!list)
			curl_multi_poll(p->multi, NULL, 0, IDLE_MS, NULL);
	}
	for (size_t i = 0; i < p->nrx; i++)
		if (p->rx[i]->h) {
			/* cut short by the stop: not an attempt; it is made again after a start */
			gw_log(GW_LOG_INFO, "push_interrupted", "id=%lld to=%s",
			       (long long)p->rx[i]->due.message, p->rx[i]->code);
			end_attempt(p, p->rx[i]);
		}
	return NULL;
}

static void
push_free(gw_push *p)
{
	for (size_t i = 0; i < p->nrx; i++) {
		ijw_buf_free(&p->rx[i]->body);
		free(p->rx[i]);
	}
	free(p->rx);
	curl_multi_cleanup(p->multi);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

gw_push *
gw_push_start(gw_store *store, const struct gw_config *c, gw_push_party_fn party, void *ctx,
              char *err, size_t errlen)
{
	gw_push *p = calloc(1, sizeof *p);

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->store = store;
	p->party = party;
	p->party_ctx = ctx;
	memcpy(p->cert, c->push_certificate, sizeof p->cert);
	memcpy(p->key, c->push_private_key, sizeof p->key);
	memcpy(p->ca, c->push_ca, sizeof p->ca);
	p->retry_initial = c->retry_initial;
	p->retry_max = c->retry_max;
	p->give_up_after = c->give_up_after;
	p->min_attempts = c->min_attempts;
	p->timeout = c->push_timeout;
	p->breaker_failures = c->push_breaker_failures;
	p->breaker_seconds = c->push_breaker_seconds;
	p->rng = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15u | 1;
	pthread_mutex_init(&p->mu, NULL);
	if (!(p->multi = curl_multi_init())) {
		snprintf(err, errlen, "cannot make libcurl's multi handle");
		push_free(p);
		return NULL;
	}
	if (pthread_create(&p->thread, NULL, push_main, p) != 0) {
		snprintf(err, errlen, "cannot start the delivery thread");
		push_free(p);
		return NULL;
	}
	return p;
}

void
gw_push_wake(void *arg)
{
	gw_push *p = arg;

	pthread_mutex_lock(&p->mu);
	p->woken = true;
	pthread_mutex_unlock(&p->mu);
	curl_multi_wakeup(p->multi);
}

void
gw_push_stop(gw_push *p)
{
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_mutex_unlock(&p->mu);
	curl_multi_wakeup(p->multi);
	pthread_join(p->thread, NULL);
	gw_store_close(p->store);
	push_free(p);
}
