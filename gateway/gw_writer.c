/*
 * gw_writer.c: the job queue, group commit and completions.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_log.h"
#include "gw_metrics.h"
#include "gw_writer.h"

#define SECOND 1000000u
/* idle this long (µs), the writer tries a write of its own */
#define PROBE_IDLE (5 * SECOND)
/* the store is ready when a write committed this recently (µs) */
#define READY_WITHIN (15 * SECOND)
/* after a failed write the store is opened anew after 1 s, then 2 s, ... up to 30 s */
#define RETRY_FIRST 1u
#define RETRY_MAX 30u
/* retention: a pass every hour, each transaction of it at most this many messages */
#define RETAIN_EVERY (3600 * (uint64_t)SECOND)
#define RETAIN_BATCH 64

struct gw_writer {
	gw_store *store;
	size_t batch_max;
	void (*pushed)(void *);
	void *pushed_ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct gw_job *queue, **queue_tail; /* submitted, not taken */
	struct gw_job *done, **done_tail;   /* finished, not yet completed */
	bool stopping;
	struct event *done_ev;
	/* whether the store takes writes: set by the writer's thread, read under mu */
	bool unwritable;
	uint64_t wrote; /* when a write last committed, µs (monotonic), 0 for never */
	char why[256];  /* why the last write failed */
	/* the writer's thread's own */
	uint64_t tried;    /* when a write was last tried */
	uint64_t retry_at; /* when unwritable: when to open the store anew */
	unsigned retry;    /* seconds to wait after the next failed try */
	/* retention: days, set under mu; when the next pass or step is due (µs), 0: none */
	unsigned long retention_days;
	uint64_t retain_at;
	size_t retained; /* messages of the pass so far */
};

static int64_t
now_seconds(void)
{
	return (int64_t)time(NULL);
}

static uint64_t
now_micros(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * Records what became of a write (why: the reason it failed, or NULL for
 * the store's own); logs once when the store stops taking writes and once
 * when it takes them again.
 */
static void
noted(gw_writer *w, enum gw_store_rc rc, const char *why)
{
	bool failed = rc == GW_STORE_ERROR, changed;
	char quoted[300];

	w->tried = now_micros();
	pthread_mutex_lock(&w->mu);
	changed = w->unwritable != failed;
	w->unwritable = failed;
	if (failed)
		snprintf(w->why, sizeof w->why, "%s", why ? why : gw_store_error(w->store));
	else
		w->wrote = w->tried;
	pthread_mutex_unlock(&w->mu);
	gw_metrics_store_writable(!failed);
	if (!changed)
		return;
	if (failed) {
		w->retry = RETRY_FIRST;
		w->retry_at = w->tried + RETRY_FIRST * SECOND;
		gw_log(GW_LOG_ERROR, "store_unwritable", "error=%s",
		       gw_log_quote(w->why, quoted, sizeof quoted));
	} else {
		gw_log(GW_LOG_INFO, "store_writable", NULL);
	}
}

/*
 * The store failed a write: when its wait is over, opens it anew (a handle
 * opened while the file was read-only stays read-only) and tries a write;
 * while that fails, the wait doubles up to RETRY_MAX seconds.
 */
static void
recover(gw_writer *w)
{
	char err[256];

	if (now_micros() < w->retry_at)
		return;
	if (gw_store_reopen(w->store, err, sizeof err))
		noted(w, GW_STORE_ERROR, err);
	else
		noted(w, gw_store_probe(w->store), NULL);
	if (!w->unwritable)
		return;
	w->retry = w->retry * 2 < RETRY_MAX ? w->retry * 2 : RETRY_MAX;
	w->retry_at = w->tried + w->retry * SECOND;
}

static void
collect(void *ctx, const struct gw_msg *m)
{
	struct gw_job *job = ctx;
	struct gw_msg *l;

	if (job->rc)
		return;
	if (!(l = realloc(job->list, (job->nlist + 1) * sizeof *l))) {
		job->rc = GW_STORE_ERROR;
		snprintf(job->error, sizeof job->error, "out of memory");
		return;
	}
	job->list = l;
	job->list[job->nlist++] = *m;
}

static void
fail(struct gw_job *job, gw_store *s)
{
	if (job->rc == GW_STORE_ERROR && !job->error[0])
		snprintf(job->error, sizeof job->error, "%s", gw_store_error(s));
}

/* Every put of the batch in one transaction; the outcomes back in the jobs. */
static void
put_all(gw_writer *w, struct gw_job *batch)
{
	struct gw_put *all;
	size_t n = 0, at = 0;
	enum gw_store_rc rc;
	bool push = false;
	uint64_t t0;

	for (struct gw_job *j = batch; j; j = j->next)
		if (j->kind == GW_JOB_PUT)
			n += j->nitems;
	if (!n)
		return;
	if (!(all = malloc(n * sizeof *all))) {
		rc = GW_STORE_ERROR;
	} else {
		for (struct gw_job *j = batch; j; j = j->next) {
			if (j->kind != GW_JOB_PUT)
				continue;
			for (size_t i = 0; i < j->nitems; i++) {
				all[at + i] = j->items[i];
				if (j->items[i].after >= 0)
					all[at + i].after = j->items[i].after + (int)at;
				push |= j->items[i].push;
			}
			at += j->nitems;
		}
		t0 = now_micros();
		rc = gw_store_put(w->store, all, n, now_seconds());
		gw_metrics_store((unsigned)n, now_micros() - t0);
	}
	noted(w, rc, all ? NULL : "out of memory");
	at = 0;
	for (struct gw_job *j = batch; j; j = j->next) {
		if (j->kind != GW_JOB_PUT)
			continue;
		j->rc = rc;
		if (rc)
			snprintf(j->error, sizeof j->error, "%s",
			         all ? gw_store_error(w->store) : "out of memory");
		for (size_t i = 0; !rc && i < j->nitems; i++) {
			j->items[i].outcome = all[at + i].outcome;
			j->items[i].msg = all[at + i].msg;
		}
		at += j->nitems;
	}
	free(all);
	if (!rc && push && w->pushed)
		w->pushed(w->pushed_ctx);
}

static void
run_read(gw_writer *w, struct gw_job *j)
{
	switch (j->kind) {
	case GW_JOB_INBOX:
		j->rc = gw_store_inbox(w->store, j->party, j->limit, collect, j);
		break;
	case GW_JOB_ORIGINAL:
		j->rc = gw_store_original(w->store, j->party, j->type, j->identificatie, &j->msg,
		                          &j->body);
		break;
	case GW_JOB_ACK:
		j->rc = gw_store_ack(w->store, j->id, j->party, now_seconds());
		break;
	case GW_JOB_AUDIT:
		j->rc = gw_store_audit(w->store, now_seconds(), j->party, j->cert, j->remote,
		                       j->action, j->id, j->detail);
		break;
	case GW_JOB_CALL:
		j->rc = j->call(w->store, j);
		break;
	case GW_JOB_PUT:
		return;
	}
	fail(j, w->store);
	if ((j->kind == GW_JOB_ACK || j->kind == GW_JOB_AUDIT) && j->rc != GW_STORE_NOTFOUND)
		noted(w, j->rc, j->error);
}

/*
 * One transaction of retention's pass, when one is due; at the pass's end,
 * the store compacted, the pass logged and the next one due in an hour.
 * With mu held, which it lets go of meanwhile.
 */
static void
retain(gw_writer *w)
{
	int64_t now = now_seconds(), days = (int64_t)w->retention_days;
	uint64_t at = now_micros();
	enum gw_store_rc rc;
	char quoted[300];
	size_t n = 0;

	if (!days || !w->retain_at || at < w->retain_at || w->unwritable)
		return;
	pthread_mutex_unlock(&w->mu);
	rc = gw_store_retain(w->store, now - days * 86400, now, RETAIN_BATCH, &n);
	if (rc)
		gw_log(GW_LOG_ERROR, "retention_failed", "removed=%zu error=%s", w->retained,
		       gw_log_quote(gw_store_error(w->store), quoted, sizeof quoted));
	noted(w, rc, NULL);
	w->retained += n;
	if (!rc && n == RETAIN_BATCH) {
		pthread_mutex_lock(&w->mu);
		return;
	}
	if (!rc && (rc = gw_store_compact(w->store, false)))
		gw_log(GW_LOG_WARN, "compact_failed", "error=%s",
		       gw_log_quote(gw_store_error(w->store), quoted, sizeof quoted));
	if (!rc)
		gw_log(GW_LOG_INFO, "retention", "removed=%zu days=%lu", w->retained,
		       (unsigned long)days);
	pthread_mutex_lock(&w->mu);
	w->retained = 0;
	/* a failed pass starts over when the store takes writes again, else in an hour */
	if (w->retain_at)
		w->retain_at = rc ? now_micros() : now_micros() + RETAIN_EVERY;
}

/* Takes up to batch_max messages' worth of jobs off the queue. */
static struct gw_job *
take(gw_writer *w)
{
	struct gw_job *batch = w->queue, **tail = &batch;
	size_t msgs = 0;

	while (*tail && (msgs < w->batch_max || (*tail)->kind != GW_JOB_PUT)) {
		if ((*tail)->kind == GW_JOB_PUT)
			msgs += (*tail)->nitems;
		tail = &(*tail)->next;
	}
	w->queue = *tail;
	if (!w->queue)
		w->queue_tail = &w->queue;
	*tail = NULL;
	return batch;
}

/* Waits on the condition until at, µs on the monotonic clock; with mu held. */
static void
wait_until(gw_writer *w, uint64_t at)
{
	struct timespec ts = {.tv_sec = (time_t)(at / SECOND),
	                      .tv_nsec = (long)(at % SECOND) * 1000};

	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
}

static void *
writer_main(void *arg)
{
	gw_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct gw_job *batch, *last;
		uint64_t next = w->unwritable ? w->retry_at : w->tried + PROBE_IDLE;

		if (w->retention_days && w->retain_at && w->retain_at < next && !w->unwritable)
			next = w->retain_at;
		if (!w->queue && !w->stopping && now_micros() < next)
			wait_until(w, next);
		if (!w->queue && w->stopping)
			break;
		batch = take(w);
		pthread_mutex_unlock(&w->mu);
		if (w->unwritable)
			recover(w);
		put_all(w, batch);
		for (struct gw_job *j = batch; j; j = j->next)
			run_read(w, j);
		/* idle, and no failure to recover from: a write of its own */
		if (!w->unwritable && now_micros() - w->tried >= PROBE_IDLE)
			noted(w, gw_store_probe(w->store), NULL);
		pthread_mutex_lock(&w->mu);
		if (batch) {
			for (last = batch; last->next; last = last->next)
				;
			*w->done_tail = batch;
			w->done_tail = &last->next;
			event_active(w->done_ev, EV_READ, 0);
		}
		/* after the batch's answers are on their way: retention never holds them up */
		if (!w->stopping)
			retain(w);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* In the event loop: the finished jobs' completions. */
static void
complete(evutil_socket_t fd, short what, void *arg)
{
	gw_writer *w = arg;
	struct gw_job *done;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&w->mu);
	done = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->mu);
	while (done) {
		struct gw_job *next = done->next;

		done->done(done);
		done = next;
	}
}

gw_writer *
gw_writer_start(gw_store *store, struct event_base *base, size_t batch_max, void (*pushed)(void *),
                void *ctx)
{
	gw_writer *w = calloc(1, sizeof *w);
	pthread_condattr_t ca;

	if (!w)
		return NULL;
	w->store = store;
	w->batch_max = batch_max;
	w->pushed = pushed;
	w->pushed_ctx = ctx;
	w->queue_tail = &w->queue;
	w->done_tail = &w->done;
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (!(w->done_ev = event_new(base, -1, 0, complete, w)) ||
	    pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		if (w->done_ev)
			event_free(w->done_ev);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return NULL;
	}
	return w;
}

void
gw_writer_submit(gw_writer *w, struct gw_job *job)
{
	job->next = NULL;
	job->rc = GW_STORE_OK;
	job->error[0] = '\0';
	pthread_mutex_lock(&w->mu);
	*w->queue_tail = job;
	w->queue_tail = &job->next;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void
gw_writer_audit(gw_writer *w, const char *party, const char *cert, const char *remote,
                const char *action, int64_t message, const char *detail)
{
	struct gw_job *j = calloc(1, sizeof *j);

	if (!j)
		return;
	j->kind = GW_JOB_AUDIT;
	j->id = message;
	snprintf(j->party, sizeof j->party, "%s", party);
	snprintf(j->cert, sizeof j->cert, "%s", cert);
	snprintf(j->remote, sizeof j->remote, "%s", remote);
	snprintf(j->action, sizeof j->action, "%s", action);
	snprintf(j->detail, sizeof j->detail, "%s", detail);
	j->done = (void (*)(struct gw_job *))free;
	gw_writer_submit(w, j);
}

bool
gw_writer_writable(gw_writer *w, char *why, size_t size)
{
	bool ok;

	pthread_mutex_lock(&w->mu);
	ok = !w->unwritable && w->wrote && now_micros() - w->wrote <= READY_WITHIN;
	if (w->unwritable)
		snprintf(why, size, "%s", w->why);
	else if (!ok)
		snprintf(why, size, "no write has committed in the last %u s",
		         READY_WITHIN / SECOND);
	pthread_mutex_unlock(&w->mu);
	return ok;
}

void
gw_writer_retention(gw_writer *w, unsigned long days)
{
	pthread_mutex_lock(&w->mu);
	w->retention_days = days;
	w->retain_at = days ? now_micros() : 0;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void
gw_writer_stop(gw_writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	complete(-1, 0, w);
	event_free(w->done_ev);
	gw_store_close(w->store);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
