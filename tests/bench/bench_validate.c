/*
 * bench_validate.c: how fast libijw judges a message, against two yardsticks.
 *
 * For JW301, JW305 and JW323 messages from ijw_generate() (seeds 1 to
 * NSEEDS) and for one large JW323 (a generated declaration with as many
 * clients as make it LARGE_BYTES at least), four ways of
 * validating the same bytes are timed:
 *
 *   (1) libxml2 loop   the limit of libxml2: xmlReadMemory and
 *                      xmlSchemaValidateDoc in a loop, with the official schema
 *                      of the type compiled once and one validation context,
 *                      parsing with the options libijw uses (bench_xsd.h)
 *   (2) ijw XSD only   ijw_validate() without the in-message rules, with the
 *                      built-in schemas, one schema set for the whole run
 *                      (hostile-input parse, typed view, full XSD)
 *   (3) ijw + rules    the same with the in-message rules: what
 *                      `ijw-gateway validate` does for each message
 *   (4) xmllint/file   one `xmllint --noout --schema JWnnn.xsd FILE` process per
 *                      message, with the official schema
 *
 * Every message is first checked to be accepted by all four, so that none of
 * them can take a shortcut over a rejection. The figures are messages per
 * second (higher is better), timed with CLOCK_MONOTONIC over runs of at least
 * MIN_SECONDS that cycle through the messages of a row: the best of RACE_RUNS
 * runs for (1), (2) and (3), which take turns run by run in one process so
 * that a busy spell of a shared machine does not fall on one of them only,
 * and the best of XMLLINT_RUNS runs for (4). The ratio (2)/(1) is the share
 * of libxml2's limit that libijw reaches (1.00: as fast); (3)/(2) is what the
 * rules leave of the XSD-only rate (0.80: the rules cost 25% on top);
 * (2)/(4) is how many times faster libijw is than xmllint per file.
 *
 * The peak resident set (ru_maxrss, from wait4) of (1), (2) and (3) is taken
 * from a fresh process that does nothing else: it validates every message and
 * then goes on for PEAK_SECONDS. Such processes are forked from one that holds
 * the messages; the "floor" printed above the table is the peak of one that
 * does nothing at all. For (4) it is the peak of the largest xmllint process.
 *
 * Without the official schemas (../shared next to the source tree, or
 * $IJW_SHARED; see tests/tu.h) (1) and (4) use
 * the project's own schemas from the source tree, which are the ones built
 * into libijw; the output says so.
 *
 * Usage: bench_validate (no arguments). Progress goes to standard error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "bench_xsd.h"
#include "ijw_gen.h"
#include "ijw_validate.h"
#include "tu.h"

#define NSEEDS 8
#define LARGE_BYTES (1u << 20)
#define RACE_RUNS 5
#define XMLLINT_RUNS 3
#define MIN_SECONDS 1.0
#define PEAK_SECONDS 0.25
#define MSG_MAX (64u << 20)

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif

enum approach { LIBXML2, IJW, IJW_RULES, XMLLINT, NAPPROACH };

/* The approaches that take turns in one process. */
#define NRACED 3

static const char *const approach_name[NAPPROACH] = {
        "(1) libxml2 loop",
        "(2) ijw XSD only",
        "(3) ijw + rules",
        "(4) xmllint/file",
};

struct msgset {
	const char *label;
	enum ijw_type type;
	struct ijw_buf *msgs;
	size_t n;
	char **files; /* the messages on disk, for xmllint */
};

struct result {
	double rate;     /* messages per second, the best run */
	long maxrss_kib; /* peak resident set, <= 0 when unknown */
	char error[512]; /* why the approach could not be measured, "" when it was */
};

/* An approach at work on one set of messages. */
struct phase {
	const struct msgset *set;
	enum approach how;
	char xsd[4096];          /* the schema of (1) and (4) */
	struct bench_xsd *plain; /* (1) */
	ijw_schemas *schemas;
	ijw_findings *findings;
	struct ijw_validate_opts opts; /* with or without the rules */
	size_t next;                   /* the message to validate next */
	long child_rss_kib;            /* the largest xmllint process */
	struct result *res;            /* where an error is reported */
};

/* ---- the messages ---- */

static ijw_rc
generate(enum ijw_type type, uint64_t seed, struct ijw_buf *out)
{
	ijw_buf_init(out, MSG_MAX);
	return ijw_generate(type, seed, out);
}

/* A JW323 of at least LARGE_BYTES: a declaration of seed 1 with as many clients. */
static ijw_rc
generate_large(struct ijw_buf *out)
{
	ijw_rc rc = IJW_OK;

	ijw_buf_init(out, MSG_MAX);
	for (struct ijw_gen_opts o = {.seed = 1, .clients = 256}; !rc && out->len < LARGE_BYTES;
	     o.clients += o.clients / 4) {
		ijw_buf_reset(out);
		rc = ijw_generate_opts(IJW_JW323, &o, out);
	}
	return rc;
}

static ijw_rc
make_set(struct msgset *set, const char *label, enum ijw_type type, bool large)
{
	ijw_rc rc = IJW_OK;

	set->label = label;
	set->type = type;
	set->n = large ? 1 : NSEEDS;
	if (!(set->msgs = calloc(set->n, sizeof *set->msgs)) ||
	    !(set->files = calloc(set->n, sizeof *set->files)))
		return IJW_ENOMEM;
	for (size_t i = 0; i < set->n && !rc; i++)
		rc = large ? generate_large(&set->msgs[i]) : generate(type, i + 1, &set->msgs[i]);
	return rc;
}

static void
free_set(struct msgset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		if (set->msgs)
			ijw_buf_free(&set->msgs[i]);
		if (set->files && set->files[i]) {
			unlink(set->files[i]);
			free(set->files[i]);
		}
	}
	free(set->msgs);
	free(set->files);
}

static size_t
set_bytes(const struct msgset *set)
{
	size_t sum = 0;

	for (size_t i = 0; i < set->n; i++)
		sum += set->msgs[i].len;
	return sum;
}

/* Writes the messages of set to files in dir, for xmllint. */
static bool
write_files(struct msgset *set, const char *dir)
{
	for (size_t i = 0; i < set->n; i++) {
		char path[4096];
		FILE *f;
		bool ok;

		snprintf(path, sizeof path, "%s/%s-%zu.xml", dir, set->label, i + 1);
		if (!(f = fopen(path, "wb")))
			return false;
		ok = fwrite(set->msgs[i].data, 1, set->msgs[i].len, f) == set->msgs[i].len;
		if (fclose(f) != 0 || !ok || !(set->files[i] = strdup(path))) {
			unlink(path);
			return false;
		}
	}
	return true;
}

/* ---- one message, each way; true when it was judged valid ---- */

static bool
ijw_one(struct phase *p, const struct ijw_buf *msg)
{
	ijw_doc *doc = NULL;
	ijw_rc rc;

	ijw_findings_clear(p->findings);
	rc = ijw_validate(p->schemas, msg->data, msg->len, &p->opts, &doc, p->findings);
	ijw_doc_free(doc);
	return rc == IJW_OK && ijw_findings_count(p->findings) == 0;
}

/* Waits for the child pid: its peak resident set in KiB, -1 when lost. */
static long
reap(pid_t pid, int *status)
{
	struct rusage ru;

	while (wait4(pid, status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	return ru.ru_maxrss;
}

static bool
xmllint_one(struct phase *p, const char *file)
{
	int status;
	long rss;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("xmllint", "xmllint", "--noout", "--schema", p->xsd, file, (char *)NULL);
		_exit(127);
	}
	if ((rss = reap(pid, &status)) < 0)
		return false;
	if (rss > p->child_rss_kib)
		p->child_rss_kib = rss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Validates the next message of the set, round-robin. */
static bool
step(struct phase *p)
{
	size_t i = p->next;

	p->next = (i + 1) % p->set->n;
	switch (p->how) {
	case LIBXML2:
		return bench_xsd_valid(p->plain, p->set->msgs[i].data, p->set->msgs[i].len);
	case IJW:
	case IJW_RULES:
		return ijw_one(p, &p->set->msgs[i]);
	default:
		return xmllint_one(p, p->set->files[i]);
	}
}

/* ---- phases ---- */

static void
fail(struct phase *p, const char *what, const char *why)
{
	snprintf(p->res->error, sizeof p->res->error, "%.250s: %.250s", what, why);
}

static bool
setup(struct phase *p)
{
	ijw_rc rc;

	switch (p->how) {
	case LIBXML2:
		if (!(p->plain = bench_xsd_new(p->xsd))) {
			fail(p, p->xsd, "cannot be compiled");
			return false;
		}
		return true;
	case IJW:
	case IJW_RULES:
		ijw_validate_opts_init(&p->opts);
		p->opts.rules = p->how == IJW_RULES;
		if ((rc = ijw_schemas_new(NULL, &p->schemas)) ||
		    !(p->findings = ijw_findings_new())) {
			fail(p, "ijw_schemas_new", ijw_strerror(rc ? rc : IJW_ENOMEM));
			return false;
		}
		if (ijw_schemas_load(p->schemas, p->set->type)) {
			fail(p, "built-in schema", ijw_schemas_error(p->schemas));
			return false;
		}
		return true;
	default:
		return true;
	}
}

static void
teardown(struct phase *p)
{
	bench_xsd_free(p->plain);
	ijw_schemas_free(p->schemas);
	ijw_findings_free(p->findings);
}

/*
 * Validates every message once, untimed: this warms the caches and proves
 * that the approach accepts them all.
 */
static bool
check_all(struct phase *p)
{
	for (size_t i = 0; i < p->set->n; i++) {
		if (!step(p)) {
			char why[64];

			snprintf(why, sizeof why, "rejects %s message %zu%s", p->set->label, i + 1,
			         p->how == XMLLINT ? " (or cannot be run)" : "");
			fail(p, approach_name[p->how], why);
			return false;
		}
	}
	return true;
}

/*
 * Validates messages for at least secs and adds their number to *count.
 * Returns the time taken, or -1 when a message was rejected.
 */
static double
run_for(struct phase *p, double secs, size_t *count)
{
	double start = tu_now(), elapsed;

	do {
		if (!step(p)) {
			fail(p, approach_name[p->how], "rejected a message while timed");
			return -1;
		}
		++*count;
	} while ((elapsed = tu_now() - start) < secs);
	return elapsed;
}

/* Keeps the rate of one run in r when it is the best so far; false on a rejection. */
static bool
timed_run(struct phase *p, struct result *r)
{
	size_t n = 0;
	double t = run_for(p, MIN_SECONDS, &n);

	if (t < 0)
		return false;
	if ((double)n / t > r->rate)
		r->rate = (double)n / t;
	return true;
}

/* (1), (2) and (3) run by run in turns, RACE_RUNS runs each. */
static void
race(struct phase *ph, struct result *res)
{
	bool ready = true;

	for (int a = 0; a < NRACED; a++)
		ready = ready && setup(&ph[a]) && check_all(&ph[a]);
	for (int run = 0; ready && run < RACE_RUNS; run++)
		for (int a = 0; ready && a < NRACED; a++)
			ready = timed_run(&ph[a], &res[a]);
	for (int a = 0; a < NRACED; a++)
		teardown(&ph[a]);
}

/* One approach alone, for its peak resident set. */
static void
peak(struct phase *ph, struct result *res)
{
	size_t n = 0;

	(void)res;
	if (setup(ph) && check_all(ph))
		run_for(ph, PEAK_SECONDS, &n);
	teardown(ph);
}

/*
 * Runs body(ph, res) in a new process and copies the nres results back. NULL
 * for a body that does nothing. Returns the peak resident set of the process.
 */
static long
in_child(void (*body)(struct phase *, struct result *), struct phase *ph, struct result *res,
         size_t nres)
{
	size_t size = nres * sizeof *res;
	int fd[2], status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		for (size_t i = 0; i < nres; i++)
			snprintf(res[i].error, sizeof res[i].error, "cannot start a process: %s",
			         strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		if (body)
			body(ph, res);
		_exit(write(fd[1], res, size) == (ssize_t)size ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], res, size) != (ssize_t)size)
		for (size_t i = 0; i < nres; i++)
			snprintf(res[i].error, sizeof res[i].error, "the measuring process failed");
	close(fd[0]);
	return reap(pid, &status);
}

/* Measures the approaches on set into res[LIBXML2..XMLLINT]. */
static void
measure(const struct msgset *set, const char *xsd, struct result *res)
{
	struct phase ph[NAPPROACH];

	for (int a = 0; a < NAPPROACH; a++) {
		ph[a] = (struct phase){.set = set, .how = (enum approach)a, .res = &res[a]};
		snprintf(ph[a].xsd, sizeof ph[a].xsd, "%s", xsd);
	}
	in_child(race, ph, res, NRACED);
	for (int a = 0; a < NRACED; a++) {
		struct result alone = {0};

		ph[a].res = &alone;
		res[a].maxrss_kib = in_child(peak, &ph[a], &alone, 1);
		if (alone.error[0] && !res[a].error[0])
			memcpy(res[a].error, alone.error, sizeof alone.error);
	}
	if (setup(&ph[XMLLINT]) && check_all(&ph[XMLLINT]))
		for (int run = 0; run < XMLLINT_RUNS; run++)
			if (!timed_run(&ph[XMLLINT], &res[XMLLINT]))
				break;
	teardown(&ph[XMLLINT]);
	res[XMLLINT].maxrss_kib = ph[XMLLINT].child_rss_kib;
}

/* ---- output ---- */

static void
print_sets(const struct msgset *sets, size_t nsets)
{
	printf("messages (ijw_generate):\n");
	for (size_t i = 0; i < nsets; i++) {
		const struct msgset *s = &sets[i];
		size_t bytes = set_bytes(s);

		if (s->n > 1)
			printf("  %-10s %zu messages, seeds 1-%zu, %.1f KiB on average "
			       "(%zu bytes in all)\n",
			       s->label, s->n, s->n, (double)bytes / 1024.0 / (double)s->n, bytes);
		else
			printf("  %-10s 1 message of %.1f KiB (%zu bytes): a declaration of seed 1 "
			       "with many clients\n",
			       s->label, (double)bytes / 1024.0, bytes);
	}
}

static void
print_header(void)
{
	printf("%-10s", "type");
	for (int a = 0; a < NAPPROACH; a++)
		printf(" %17s", approach_name[a]);
}

static void
print_ratio(const struct result *a, const struct result *b)
{
	if (a->error[0] || b->error[0] || b->rate <= 0)
		printf(" %8s", "-");
	else
		printf(" %8.2f", a->rate / b->rate);
}

static void
print_table(const struct msgset *sets, size_t nsets, struct result (*res)[NAPPROACH])
{
	printf("\nmessages per second, the best run of >= %.1f s (higher is better): (1), (2) "
	       "and (3)\n%d runs each, taking turns in one process; (4) %d runs\n\n",
	       MIN_SECONDS, RACE_RUNS, XMLLINT_RUNS);
	print_header();
	printf(" %8s %8s %8s\n", "(2)/(1)", "(3)/(2)", "(2)/(4)");
	for (size_t i = 0; i < nsets; i++) {
		printf("%-10s", sets[i].label);
		for (int a = 0; a < NAPPROACH; a++) {
			if (res[i][a].error[0])
				printf(" %17s", "-");
			else
				printf(" %17.1f", res[i][a].rate);
		}
		print_ratio(&res[i][IJW], &res[i][LIBXML2]);
		print_ratio(&res[i][IJW_RULES], &res[i][IJW]);
		print_ratio(&res[i][IJW], &res[i][XMLLINT]);
		printf("\n");
	}
	printf("\npeak resident set in MiB (ru_maxrss): (1), (2) and (3) each in a process of "
	       "its own,\n(4) the largest xmllint process\n\n");
	print_header();
	printf("\n");
	for (size_t i = 0; i < nsets; i++) {
		printf("%-10s", sets[i].label);
		for (int a = 0; a < NAPPROACH; a++) {
			if (res[i][a].maxrss_kib <= 0)
				printf(" %17s", "-");
			else
				printf(" %17.1f", (double)res[i][a].maxrss_kib / 1024.0);
		}
		printf("\n");
	}
	for (size_t i = 0; i < nsets; i++)
		for (int a = 0; a < NAPPROACH; a++)
			if (res[i][a].error[0])
				printf("%s, %s: %s\n", sets[i].label, approach_name[a],
				       res[i][a].error);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *label;
		enum ijw_type type;
		bool large;
	} rows[] = {
	        {"JW301", IJW_JW301, false},
	        {"JW305", IJW_JW305, false},
	        {"JW323", IJW_JW323, false},
	        {"JW323-1MiB", IJW_JW323, true},
	};
	enum { NROWS = sizeof rows / sizeof rows[0] };
	struct msgset sets[NROWS] = {0};
	struct result res[NROWS][NAPPROACH] = {0};
	const char *official = tu_official_xsd();
	char xsd_dir[4000], tmpdir[] = "/tmp/bench_validate.XXXXXX";
	int status = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: bench_validate (no arguments)\n");
		return 2;
	}
	if (official)
		snprintf(xsd_dir, sizeof xsd_dir, "%s", official);
	else
		snprintf(xsd_dir, sizeof xsd_dir, "%s/schemas/ijw/3.2", tu_source_dir());
	xmlInitParser();
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "bench_validate: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < NROWS; i++) {
		ijw_rc rc = make_set(&sets[i], rows[i].label, rows[i].type, rows[i].large);

		if (rc || !write_files(&sets[i], tmpdir)) {
			fprintf(stderr, "bench_validate: %s messages: %s\n", rows[i].label,
			        rc ? ijw_strerror(rc) : strerror(errno));
			status = 1;
			goto out;
		}
	}

	printf("ijw-gateway validation benchmark (%s build, libxml2 %s)\n\n", BENCH_BUILDTYPE,
	       xmlParserVersion);
	printf("schemas: (1) and (4) %s\n", xsd_dir);
	if (!official)
		printf("         the official schemas were not found (no ../shared, no "
		       "$IJW_SHARED): the "
		       "baseline uses\n         the project's own schemas, the ones built into "
		       "libijw\n");
	printf("         (2) and (3) the schemas built into libijw\n");
	print_sets(sets, NROWS);
	printf("floor: %.1f MiB peak resident set of a process forked to measure that does "
	       "nothing\n",
	       (double)in_child(NULL, NULL, NULL, 0) / 1024.0);

	for (size_t i = 0; i < NROWS; i++) {
		char xsd[4096];

		snprintf(xsd, sizeof xsd, "%s/%.16s.xsd", xsd_dir, ijw_msgdef(rows[i].type)->name);
		fprintf(stderr, "bench_validate: %s ...\n", rows[i].label);
		measure(&sets[i], xsd, res[i]);
		for (int a = 0; a < NAPPROACH; a++)
			if (res[i][a].error[0])
				status = 1;
	}
	print_table(sets, NROWS, res);
out:
	for (size_t i = 0; i < NROWS; i++)
		free_set(&sets[i]);
	rmdir(tmpdir);
	xmlCleanupParser();
	return status;
}
