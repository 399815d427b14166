/*
 * gw_judges.c: the judging threads, their queue and completions.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "gw_judges.h"

struct worker {
	gw_judges *pool;
	pthread_t thread;
	bool started;
	ijw_schemas *schemas; /* the worker's own */
};

struct gw_judges {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct gw_task *queue, **queue_tail; /* submitted, not taken */
	struct gw_task *done, **done_tail;   /* run, not yet completed */
	unsigned large;                      /* large tasks being run */
	unsigned waiting, running;           /* tasks in the queue, and being run */
	bool stopping;
	struct event *done_ev;
	struct worker *workers;
	unsigned nworkers;
};

static bool
large(const struct gw_task *t)
{
	return t->bytes > GW_JUDGES_LARGE;
}

/* The first task in the queue that a free worker may take, taken off it; with mu held. */
static struct gw_task *
take(gw_judges *j)
{
	bool large_ok = j->nworkers == 1 || j->large < j->nworkers - 1;
	struct gw_task **at = &j->queue, *t;

	while (*at && !large_ok && large(*at))
		at = &(*at)->next;
	if (!(t = *at))
		return NULL;
	*at = t->next;
	if (j->queue_tail == &t->next)
		j->queue_tail = at;
	t->next = NULL;
	j->waiting--;
	return t;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	gw_judges *j = w->pool;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		struct gw_task *t = take(j);
		bool big;

		if (!t) {
			if (j->stopping && !j->queue)
				break;
			pthread_cond_wait(&j->cv, &j->mu);
			continue;
		}
		big = large(t);
		j->large += big;
		j->running++;
		pthread_mutex_unlock(&j->mu);
		t->run(t, w->schemas);
		pthread_mutex_lock(&j->mu);
		if (big) {
			j->large--;
			/* a large task waiting may go to a worker that is waiting too */
			pthread_cond_broadcast(&j->cv);
		}
		j->running--;
		*j->done_tail = t;
		j->done_tail = &t->next;
		event_active(j->done_ev, EV_READ, 0);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* In the event loop: the run tasks' completions. */
static void
complete(evutil_socket_t fd, short what, void *arg)
{
	gw_judges *j = arg;
	struct gw_task *done;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&j->mu);
	done = j->done;
	j->done = NULL;
	j->done_tail = &j->done;
	pthread_mutex_unlock(&j->mu);
	while (done) {
		struct gw_task *next = done->next;

		done->done(done);
		done = next;
	}
}

gw_judges *
gw_judges_start(struct event_base *base, unsigned workers, char *err, size_t errlen)
{
	gw_judges *j = calloc(1, sizeof *j);

	if (!j || !(j->workers = calloc(workers, sizeof *j->workers))) {
		free(j);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	j->nworkers = workers;
	j->queue_tail = &j->queue;
	j->done_tail = &j->done;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if (!(j->done_ev = event_new(base, -1, 0, complete, j))) {
		snprintf(err, errlen, "cannot make the judges' event");
		gw_judges_stop(j);
		return NULL;
	}
	for (unsigned i = 0; i < workers; i++) {
		struct worker *w = &j->workers[i];

		w->pool = j;
		if (ijw_schemas_new(NULL, &w->schemas) || ijw_schemas_load_all(w->schemas)) {
			snprintf(err, errlen, "the schemas cannot be compiled: %s",
			         w->schemas ? ijw_schemas_error(w->schemas) : "out of memory");
			gw_judges_stop(j);
			return NULL;
		}
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			snprintf(err, errlen, "cannot start judging thread %u of %u", i + 1,
			         workers);
			gw_judges_stop(j);
			return NULL;
		}
		w->started = true;
	}
	return j;
}

void
gw_judges_submit(gw_judges *j, struct gw_task *task)
{
	task->next = NULL;
	pthread_mutex_lock(&j->mu);
	*j->queue_tail = task;
	j->queue_tail = &task->next;
	j->waiting++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

void
gw_judges_load(gw_judges *j, unsigned *waiting, unsigned *running)
{
	pthread_mutex_lock(&j->mu);
	*waiting = j->waiting;
	*running = j->running;
	pthread_mutex_unlock(&j->mu);
}

void
gw_judges_stop(gw_judges *j)
{
	pthread_mutex_lock(&j->mu);
	j->stopping = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	for (unsigned i = 0; i < j->nworkers; i++)
		if (j->workers[i].started)
			pthread_join(j->workers[i].thread, NULL);
	/* a completion may hand its message over again: that task runs here */
	while (j->done_ev && (j->done || j->queue)) {
		struct gw_task *t;

		complete(-1, 0, j);
		while ((t = take(j))) {
			t->run(t, j->workers[0].schemas);
			*j->done_tail = t;
			j->done_tail = &t->next;
		}
	}
	for (unsigned i = 0; i < j->nworkers; i++)
		ijw_schemas_free(j->workers[i].schemas);
	if (j->done_ev)
		event_free(j->done_ev);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j->workers);
	free(j);
}
