/*
 * gw_judges.h: the threads that judge posted messages.
 *
 * Parsing a message, its schema, the in-message rules and the region's
 * product checks take microseconds for a small message and about a second
 * for a 25 MB declaration. They run on a pool of threads, so that the event
 * loop goes on with TLS, HTTP and every other client meanwhile. The event
 * loop hands a task to the pool; the task's run() runs in a worker's
 * thread, with the worker's own compiled schemas (a schema set is used by
 * one thread at a time, ijw_schema.h), and its done() back in the event
 * loop's thread, as the store's completions do (gw_writer.h). run() touches
 * nothing but what its task holds: no configuration that a reload may free,
 * no log, no metric.
 *
 * Fairness: a task of more than GW_JUDGES_LARGE bytes is large. With two
 * workers or more, large tasks take at most workers - 1 of them at once, so
 * that a small message always finds a worker, behind small ones only; with
 * one worker every task takes its turn on it, in the order submitted.
 * Otherwise tasks are taken in the order submitted.
 */
#ifndef GW_JUDGES_H
#define GW_JUDGES_H

#include <stddef.h>

#include <event2/event.h>

#include "ijw_schema.h"

#define GW_JUDGES_LARGE (1u << 20)

struct gw_task {
	size_t bytes; /* the message's size, for fairness */
	/* in a worker's thread, with the worker's schemas */
	void (*run)(struct gw_task *t, ijw_schemas *schemas);
	/* back in the event loop's thread; may free the task */
	void (*done)(struct gw_task *t);
	void *ctx;
	struct gw_task *next; /* the pool's queues */
};

typedef struct gw_judges gw_judges;

/*
 * Starts workers threads (1 or more) for the event loop base, each with the
 * built-in schemas compiled. NULL with the reason in err.
 */
gw_judges *gw_judges_start(struct event_base *base, unsigned workers, char *err, size_t errlen);

/* Queues task, which the caller keeps until its done(); from the event loop's thread. */
void gw_judges_submit(gw_judges *j, struct gw_task *task);

/* Tasks waiting for a worker, and being run; from any thread. */
void gw_judges_load(gw_judges *j, unsigned *waiting, unsigned *running);

/*
 * Runs every queued task, stops the threads, then calls the done() of every
 * task not yet completed, in the calling thread (a task a done() submits
 * meanwhile is run there too), and frees j.
 */
void gw_judges_stop(gw_judges *j);

#endif
