/*
 * gw_push.c: posting due deliveries with libcurl.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_push.h"

#define DUE_BATCH 32
#define IDLE_SECONDS 1
#define ATTEMPT_SECONDS 30
#define BODY_MAX (1u << 30)

struct gw_push {
	gw_store *store;
	gw_push_party_fn party;
	void *party_ctx;
	char cert[GW_PATH_MAX], key[GW_PATH_MAX], ca[GW_PATH_MAX];
	unsigned long retry_initial, retry_max, give_up_after;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken, stopping;
	atomic_bool quit; /* stopping, read by curl's progress callback without the lock */
	uint64_t rng;
	struct gw_due due[DUE_BATCH];
	size_t ndue;
};

static void
keep_due(void *ctx, const struct gw_due *d)
{
	gw_push *p = ctx;

	if (p->ndue < DUE_BATCH)
		p->due[p->ndue++] = *d;
}

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

/* curl asks now and then whether to go on: not when the gateway stops. */
static int
keep_going(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	gw_push *p = ctx;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&p->quit) ? 1 : 0;
}

static size_t
discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * n;
}

/* One POST; the HTTP status, 0 when none came (err then says why). */
static long
post(gw_push *p, const char *url, const struct gw_msg *m, const struct ijw_buf *body, char *err,
     size_t errlen)
{
	char curl_err[CURL_ERROR_SIZE] = "", idh[64], adh[300];
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/xml");
	CURL *h = curl_easy_init();
	long status = 0;
	CURLcode rc;

	snprintf(idh, sizeof idh, "Ijw-Message-Id: %lld", (long long)m->id);
	snprintf(adh, sizeof adh, "Ijw-Advice: %s", m->advice);
	if (headers)
		headers = curl_slist_append(headers, idh);
	if (headers && m->advice[0])
		headers = curl_slist_append(headers, adh);
	if (!h || !headers) {
		snprintf(err, errlen, "out of memory");
		curl_slist_free_all(headers);
		if (h)
			curl_easy_cleanup(h);
		return 0;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_SSLCERT, p->cert);
	curl_easy_setopt(h, CURLOPT_SSLKEY, p->key);
	curl_easy_setopt(h, CURLOPT_CAINFO, p->ca);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)ATTEMPT_SECONDS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, keep_going);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, p);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return status;
}

static void
deliver(gw_push *p, const struct gw_due *d)
{
	int64_t now = (int64_t)time(NULL), next;
	struct gw_party party;
	struct gw_msg m;
	struct ijw_buf body;
	char err[512] = "", quoted[600];
	bool ok, give_up;
	long status = 0;

	ijw_buf_init(&body, BODY_MAX);
	if (!p->party(p->party_ctx, d->receiver, &party) || party.delivery != GW_DELIVERY_PUSH)
		snprintf(err, sizeof err, "party %s no longer wants its messages pushed",
		         d->receiver);
	else if (gw_store_get(p->store, d->message, d->receiver, &m, &body) != GW_STORE_OK)
		snprintf(err, sizeof err, "%s", gw_store_error(p->store));
	else if ((status = post(p, party.push_url, &m, &body, err, sizeof err)) &&
	         (status < 200 || status > 299))
		snprintf(err, sizeof err, "the receiver answered %ld", status);
	ok = !err[0];
	if (!ok && atomic_load(&p->quit)) {
		/* cut short by the stop: not an attempt; it is made again after a start */
		gw_log(GW_LOG_INFO, "push_interrupted", "id=%lld to=%s", (long long)d->message,
		       d->receiver);
		ijw_buf_free(&body);
		return;
	}
	give_up = !ok && now - d->created >= (int64_t)p->give_up_after;
	next = now + backoff(p, d->attempts + 1);
	if (gw_store_attempt(p->store, d->delivery, now, (int)status, ok ? NULL : err, ok, next,
	                     give_up) != GW_STORE_OK)
		gw_log(GW_LOG_ERROR, "store_failed", "what=push_attempt delivery=%lld error=%s",
		       (long long)d->delivery,
		       gw_log_quote(gw_store_error(p->store), quoted, sizeof quoted));
	if (ok) {
		gw_metrics_push(GW_PUSH_DELIVERED);
		gw_log(GW_LOG_INFO, "message_pushed", "id=%lld to=%s attempt=%u status=%ld",
		       (long long)d->message, d->receiver, d->attempts + 1, status);
	} else if (give_up) {
		gw_metrics_push(GW_PUSH_GIVEN_UP);
		gw_log(GW_LOG_ERROR, "push_given_up", "id=%lld to=%s attempts=%u age=%lld error=%s",
		       (long long)d->message, d->receiver, d->attempts + 1,
		       (long long)(now - d->created), gw_log_quote(err, quoted, sizeof quoted));
		gw_store_audit(p->store, now, d->receiver, "", "", "push_given_up", d->message,
		               err);
	} else {
		gw_metrics_push(GW_PUSH_FAILED);
		gw_log(GW_LOG_WARN, "push_failed", "id=%lld to=%s attempt=%u next_in=%lld error=%s",
		       (long long)d->message, d->receiver, d->attempts + 1, (long long)(next - now),
		       gw_log_quote(err, quoted, sizeof quoted));
	}
	ijw_buf_free(&body);
}

static void *
push_main(void *arg)
{
	gw_push *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stopping) {
		struct timespec until;

		p->woken = false;
		pthread_mutex_unlock(&p->mu);
		p->ndue = 0;
		if (gw_store_due(p->store, (int64_t)time(NULL), DUE_BATCH, DUE_BATCH, keep_due,
		                 p) != GW_STORE_OK)
			gw_log(GW_LOG_ERROR, "store_failed", "what=push_due");
		for (size_t i = 0; i < p->ndue; i++) {
			pthread_mutex_lock(&p->mu);
			if (p->stopping) {
				pthread_mutex_unlock(&p->mu);
				break;
			}
			pthread_mutex_unlock(&p->mu);
			deliver(p, &p->due[i]);
		}
		pthread_mutex_lock(&p->mu);
		if (p->ndue == DUE_BATCH)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += IDLE_SECONDS;
		while (!p->woken && !p->stopping)
			if (pthread_cond_timedwait(&p->cv, &p->mu, &until) != 0)
				break;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
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
	p->rng = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15u | 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->thread, NULL, push_main, p) != 0) {
		snprintf(err, errlen, "cannot start the delivery thread");
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
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
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
gw_push_stop(gw_push *p)
{
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	atomic_store(&p->quit, true);
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	gw_store_close(p->store);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
