/*
 * bench_parse.c: the memory and time that judging costs per input byte.
 *
 * For a large valid declaration (a JW323 from ijw_generate() with as many
 * clients as make it TARGET_BYTES at least) and for input of about the same
 * size in each hostile shape that would make libxml2's tree many times its
 * size (empty elements, tiny text, white space, comments, processing
 * instructions, CDATA sections, deep nesting over and over, attributes on
 * every element, and empty elements just within the limit of nodes per
 * byte), each message is judged as the gateway judges it: ijw_validate()
 * with the built-in schemas and the in-message rules.
 *
 * Each case runs in a process of its own, forked from one that holds no
 * message: the child makes its input, loads the schemas, then resets its
 * peak resident set (clear_refs) and judges once. The peak added while
 * judging is VmHWM after it less VmRSS before it, printed in MiB and as a
 * multiple of the input size. The time is the best of RUNS judgements. The
 * valid declaration is the baseline: each case's peak and time are also
 * given as ratios against it. The last two columns are what the process
 * holds after the document and findings are freed, over what it held before
 * judging: kept by glibc, and after ijw_doc_release_memory().
 *
 * Usage: bench_parse (no arguments). Progress goes to standard error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "ijw_gen.h"
#include "ijw_validate.h"
#include "tu.h"

#define TARGET_BYTES (29u * 1000 * 1000)
#define RUNS 3

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif

#define NS301 "http://www.istandaarden.nl/ijw/3_2/jw301/schema"

/* A case: its name, and the unit its body repeats (NULL: the declaration). */
static const struct {
	const char *name, *unit;
} cases[] = {
        {"valid JW323", NULL},
        {"empty elements", "<a/>"},
        {"tiny text", "x<a/>"},
        {"white space", "<a/> "},
        {"comments", "<!---->"},
        {"PIs", "<?a?>"},
        {"CDATA", "<a><![CDATA[x]]></a>"},
        {"nesting 32",
         "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
         "<a><a><a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
         "</a></a></a></a></a></a></a></a></a></a></a></a></a></a>"},
        {"31 attributes", "<a a0='' a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' b0='' "
                          "b1='' b2='' b3='' b4='' b5='' b6='' b7='' b8='' b9='' c0='' c1='' "
                          "c2='' c3='' c4='' c5='' c6='' c7='' c8='' c9='' d0=''/>"},
        {"at the limit", "<a/>    "},
};

#define NCASES (sizeof cases / sizeof cases[0])

struct result {
	size_t bytes;
	long peak_kib, kept_kib, released_kib; /* -1: unknown */
	double seconds;
	char verdict[96];
	char error[160];
};

/* A field of /proc/self/status in KiB, -1 when it cannot be read. */
static long
status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(field);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Makes VmHWM the current resident set; false when the kernel cannot. */
static bool
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok;
}

/* The declaration: seed 1 with as many clients as make it TARGET_BYTES. */
static ijw_rc
declaration(struct ijw_buf *b)
{
	ijw_rc rc = IJW_OK;

	for (struct ijw_gen_opts o = {.seed = 1, .clients = 15000}; !rc && b->len < TARGET_BYTES;
	     o.clients += 500) {
		ijw_buf_reset(b);
		rc = ijw_generate_opts(IJW_JW323, &o, b);
	}
	return rc;
}

/* A JW301 root around unit, repeated to TARGET_BYTES. */
static ijw_rc
hostile(const char *unit, struct ijw_buf *b)
{
	ijw_rc rc = ijw_buf_addstr(b, "<Bericht xmlns=\"" NS301 "\">");

	while (!rc && b->len < TARGET_BYTES)
		rc = ijw_buf_addstr(b, unit);
	return rc ? rc : ijw_buf_addstr(b, "</Bericht>");
}

/* Judges msg once; the first finding, or "accepted", in r->verdict. */
static ijw_rc
judge(ijw_schemas *s, const struct ijw_buf *msg, struct result *r, bool release)
{
	struct ijw_validate_opts o;
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	ijw_rc rc;

	if (!f)
		return IJW_ENOMEM;
	ijw_validate_opts_init(&o);
	rc = ijw_validate(s, msg->data, msg->len, &o, &doc, f);
	if (!rc && ijw_findings_count(f))
		snprintf(r->verdict, sizeof r->verdict, "refused: %s",
		         ijw_findings_get(f, 0)->text);
	else if (!rc)
		snprintf(r->verdict, sizeof r->verdict, "accepted");
	ijw_doc_free(doc);
	ijw_findings_free(f);
	if (release)
		ijw_doc_release_memory(msg->len);
	return rc;
}

/* The body of the child of case i: fills r. */
static void
run_case(size_t i, struct result *r)
{
	struct ijw_buf msg;
	ijw_schemas *s = NULL;
	long before;
	ijw_rc rc;

	ijw_buf_init(&msg, 2 * TARGET_BYTES);
	rc = cases[i].unit ? hostile(cases[i].unit, &msg) : declaration(&msg);
	if (!rc && !(rc = ijw_schemas_new(NULL, &s)) && !(rc = ijw_schemas_load(s, IJW_JW301)))
		rc = ijw_schemas_load(s, IJW_JW323);
	if (rc) {
		snprintf(r->error, sizeof r->error, "%s", ijw_strerror(rc));
		goto out;
	}
	r->bytes = msg.len;
	before = status_kib("VmRSS");
	if (!reset_peak())
		snprintf(r->error, sizeof r->error, "no /proc/self/clear_refs: peaks unknown");
	if ((rc = judge(s, &msg, r, false))) {
		snprintf(r->error, sizeof r->error, "%s", ijw_strerror(rc));
		goto out;
	}
	r->peak_kib = r->error[0] ? -1 : status_kib("VmHWM") - before;
	r->kept_kib = status_kib("VmRSS") - before;
	ijw_doc_release_memory(msg.len);
	r->released_kib = status_kib("VmRSS") - before;
	for (int run = 0; run < RUNS; run++) {
		double t = tu_now();

		if ((rc = judge(s, &msg, r, true))) {
			snprintf(r->error, sizeof r->error, "%s", ijw_strerror(rc));
			break;
		}
		t = tu_now() - t;
		if (run == 0 || t < r->seconds)
			r->seconds = t;
	}
out:
	ijw_schemas_free(s);
	ijw_buf_free(&msg);
}

/* Runs case i in a new process; its result in *r. */
static void
in_child(size_t i, struct result *r)
{
	int fd[2], status;
	pid_t pid;

	*r = (struct result){.peak_kib = -1, .kept_kib = -1, .released_kib = -1};
	fflush(stdout);
	fflush(stderr);
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		snprintf(r->error, sizeof r->error, "cannot start a process: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(fd[0]);
		run_case(i, r);
		_exit(write(fd[1], r, sizeof *r) == (ssize_t)sizeof *r ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], r, sizeof *r) != (ssize_t)sizeof *r)
		snprintf(r->error, sizeof r->error, "the measuring process failed");
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static void
print_kib(long kib)
{
	if (kib < 0)
		printf(" %8s", "-");
	else
		printf(" %8.1f", (double)kib / 1024.0);
}

int
main(int argc, char **argv)
{
	struct result res[NCASES];
	const struct result *base = &res[0];
	int status = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: bench_parse (no arguments)\n");
		return 2;
	}
	for (size_t i = 0; i < NCASES; i++) {
		fprintf(stderr, "bench_parse: %s ...\n", cases[i].name);
		in_child(i, &res[i]);
	}
	printf("ijw-gateway parse benchmark (%s build, libxml2 %s)\n\n", BENCH_BUILDTYPE,
	       xmlParserVersion);
	printf("each message judged by ijw_validate() with the rules, in a process of its own;\n"
	       "peak: resident set added while judging (VmHWM); x: the peak over the input;\n"
	       "ms: the best of %d; /valid: against the valid declaration; kept: resident set\n"
	       "added once all is freed; released: the same after ijw_doc_release_memory()\n\n",
	       RUNS);
	printf("%-14s %9s %8s %6s %8s %7s %7s %8s %8s  %s\n", "case", "bytes", "peak MiB", "x",
	       "ms", "x/valid", "ms/valid", "kept", "released", "verdict");
	for (size_t i = 0; i < NCASES; i++) {
		const struct result *r = &res[i];
		double x = r->peak_kib < 0 ? 0 : (double)r->peak_kib * 1024.0 / (double)r->bytes;
		double bx = base->peak_kib <= 0
		                    ? 0
		                    : (double)base->peak_kib * 1024.0 / (double)base->bytes;

		if (r->error[0] && !r->bytes) {
			printf("%-14s %s\n", cases[i].name, r->error);
			status = 1;
			continue;
		}
		printf("%-14s %9zu", cases[i].name, r->bytes);
		print_kib(r->peak_kib);
		printf(" %6.2f %8.1f", x, r->seconds * 1000.0);
		if (bx > 0)
			printf(" %7.2f", x / bx);
		else
			printf(" %7s", "-");
		printf(" %8.3f", base->seconds > 0 ? r->seconds / base->seconds : 0.0);
		print_kib(r->kept_kib);
		print_kib(r->released_kib);
		printf("  %.60s\n", r->verdict);
		if (r->error[0]) {
			printf("%-14s %s\n", "", r->error);
			status = 1;
		}
	}
	return status;
}
