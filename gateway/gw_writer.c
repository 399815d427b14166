/*
 * gw_writer.c: the job queue, group commit and completions.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_metrics.h"
#include "gw_writer.h"

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
	case GW_JOB_GET:
		j->rc = gw_store_get(w->store, j->id, j->party, &j->msg, &j->body);
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
	case GW_JOB_PUT:
		return;
	}
	fail(j, w->store);
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

static void *
writer_main(void *arg)
{
	gw_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct gw_job *batch, *last;

		while (!w->queue && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->queue)
			break;
		batch = take(w);
		pthread_mutex_unlock(&w->mu);
		put_all(w, batch);
		for (struct gw_job *j = batch; j; j = j->next)
			run_read(w, j);
		pthread_mutex_lock(&w->mu);
		for (last = batch; last->next; last = last->next)
			;
		*w->done_tail = batch;
		w->done_tail = &last->next;
		event_active(w->done_ev, EV_READ, 0);
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

	if (!w)
		return NULL;
	w->store = store;
	w->batch_max = batch_max;
	w->pushed = pushed;
	w->pushed_ctx = ctx;
	w->queue_tail = &w->queue;
	w->done_tail = &w->done;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
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
