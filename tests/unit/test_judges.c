/*
 * test_judges.c: the judging threads: where tasks run and complete, the
 * share large tasks may take, and what a stop finishes.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "gw_judges.h"

struct task {
	struct gw_task t;
	pthread_t loop;           /* the event loop's thread */
	atomic_bool ran, running; /* run() finished; run() under way */
	atomic_bool *gate;        /* run() waits until it is true; NULL: no wait */
	bool schemas;             /* run() had a worker's schemas */
	bool ran_in_loop;         /* run() ran in the event loop's thread */
	bool done_in_loop;        /* done() ran in the event loop's thread */
	int done;                 /* done() calls */
	int order;                /* when run() finished, among the tasks */
	gw_judges *again;         /* done() submits the task once more to this pool */
	struct event_base *base;  /* done() ends the loop when all are done */
	int *left;
};

static atomic_int finished;

static void
run(struct gw_task *t, ijw_schemas *schemas)
{
	struct task *k = t->ctx;

	atomic_store(&k->running, true);
	k->schemas = schemas != NULL;
	k->ran_in_loop = pthread_equal(pthread_self(), k->loop);
	while (k->gate && !atomic_load(k->gate))
		usleep(1000);
	k->order = atomic_fetch_add(&finished, 1);
	atomic_store(&k->ran, true);
}

static void
done(struct gw_task *t)
{
	struct task *k = t->ctx;

	k->done++;
	k->done_in_loop = pthread_equal(pthread_self(), k->loop);
	if (k->again) {
		gw_judges *j = k->again;

		k->again = NULL;
		atomic_store(&k->ran, false);
		gw_judges_submit(j, &k->t);
		return;
	}
	if (k->left && --*k->left == 0 && k->base)
		event_base_loopbreak(k->base);
}

static void
task_init(struct task *k, size_t bytes, struct event_base *base, int *left)
{
	memset(k, 0, sizeof *k);
	k->t.bytes = bytes;
	k->t.run = run;
	k->t.done = done;
	k->t.ctx = k;
	k->loop = pthread_self();
	k->base = base;
	k->left = left;
}

/* Waits up to 10 s for flag. */
static bool
eventually(atomic_bool *flag)
{
	for (int i = 0; i < 10000 && !atomic_load(flag); i++)
		usleep(1000);
	return atomic_load(flag);
}

static struct event_base *
loop_new(void)
{
	struct event_base *base;

	evthread_use_pthreads();
	base = event_base_new();
	assert_non_null(base);
	return base;
}

/* Runs the loop until a done() breaks it, 30 s at the most. */
static void
loop_run(struct event_base *base)
{
	const struct timeval most = {30, 0};

	event_base_loopexit(base, &most);
	event_base_dispatch(base);
}

static gw_judges *
start(struct event_base *base, unsigned workers)
{
	char err[256];
	gw_judges *j = gw_judges_start(base, workers, err, sizeof err);

	if (!j)
		fail_msg("gw_judges_start: %s", err);
	return j;
}

static void
run_in_workers_done_in_loop(void **state)
{
	struct event_base *base = loop_new();
	gw_judges *j = start(base, 2);
	struct task k[8];
	int left = 8;

	(void)state;
	for (int i = 0; i < 8; i++) {
		task_init(&k[i], 100, base, &left);
		gw_judges_submit(j, &k[i].t);
	}
	loop_run(base);
	assert_int_equal(left, 0);
	for (int i = 0; i < 8; i++) {
		assert_true(atomic_load(&k[i].ran));
		assert_true(k[i].schemas);
		assert_false(k[i].ran_in_loop);
		assert_true(k[i].done_in_loop);
		assert_int_equal(k[i].done, 1);
	}
	gw_judges_stop(j);
	event_base_free(base);
}

/* Two large tasks that do not end: with two workers the small one still runs. */
static void
large_tasks_leave_a_worker(void **state)
{
	struct event_base *base = loop_new();
	gw_judges *j = start(base, 2);
	atomic_bool gate = false;
	struct task big[2], small;
	int left = 3;

	(void)state;
	for (int i = 0; i < 2; i++) {
		task_init(&big[i], GW_JUDGES_LARGE + 1, base, &left);
		big[i].gate = &gate;
		gw_judges_submit(j, &big[i].t);
	}
	task_init(&small, GW_JUDGES_LARGE, base, &left);
	gw_judges_submit(j, &small.t);
	assert_true(eventually(&small.ran));
	/* one large task at a time: the second waits for the first */
	assert_true(eventually(&big[0].running));
	assert_false(atomic_load(&big[1].running));
	atomic_store(&gate, true);
	loop_run(base);
	assert_int_equal(left, 0);
	assert_true(small.order < big[0].order && big[0].order < big[1].order);
	gw_judges_stop(j);
	event_base_free(base);
}

/* With one worker a large task takes it, and the small one waits its turn. */
static void
one_worker_is_shared(void **state)
{
	struct event_base *base = loop_new();
	gw_judges *j = start(base, 1);
	atomic_bool gate = false;
	struct task big, small;
	int left = 2;

	(void)state;
	task_init(&big, GW_JUDGES_LARGE + 1, base, &left);
	big.gate = &gate;
	gw_judges_submit(j, &big.t);
	task_init(&small, 10, base, &left);
	gw_judges_submit(j, &small.t);
	assert_true(eventually(&big.running));
	usleep(50000);
	assert_false(atomic_load(&small.ran));
	atomic_store(&gate, true);
	loop_run(base);
	assert_int_equal(left, 0);
	assert_true(big.order < small.order);
	gw_judges_stop(j);
	event_base_free(base);
}

/* A stop runs what is queued and completes it, a task handed over again by its done() too. */
static void
stop_finishes_everything(void **state)
{
	struct event_base *base = loop_new();
	gw_judges *j = start(base, 2);
	struct task k[6];

	(void)state;
	for (int i = 0; i < 6; i++) {
		task_init(&k[i], i % 2 ? GW_JUDGES_LARGE + 1 : 10, NULL, NULL);
		gw_judges_submit(j, &k[i].t);
	}
	k[5].again = j;
	gw_judges_stop(j);
	for (int i = 0; i < 6; i++) {
		assert_true(atomic_load(&k[i].ran));
		assert_true(k[i].done_in_loop);
		assert_int_equal(k[i].done, i == 5 ? 2 : 1);
	}
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(run_in_workers_done_in_loop),
	        cmocka_unit_test(large_tasks_leave_a_worker),
	        cmocka_unit_test(one_worker_is_shared),
	        cmocka_unit_test(stop_finishes_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
