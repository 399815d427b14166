/*
 * cmd_replay.c: ijw-gateway replay --url URL --cert F --key F --cacert F [--junit OUT] PATH...
 *
 * Sends sample messages to a running gateway over mutual TLS, one POST to
 * URL/v1/berichten each, as the party that sends the message, and compares
 * each answer with the expectation in the manifest of the sample's folder
 * (gw_manifest.h).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "gw_cli.h"
#include "gw_client.h"
#include "gw_file.h"
#include "gw_manifest.h"
#include "ijw_doc.h"

/* Samples are read up to twice the largest message, so that an oversized one is still sent. */
#define SAMPLE_MAX (64u << 20)
#define SAMPLE_MAX_TEXT "64 MiB"
#define ANSWER_MAX (4u << 20) /* the largest answer read from the gateway */
#define ANSWER_MAX_TEXT "4 MiB"
#define LINE_MAX_BYTES (64u << 10) /* a report line */
#define TEXT_CUT 500               /* bytes of a text from the answer in a report line */
#define DETAIL_MAX (16u << 10)     /* the findings of a mismatch in the JUnit report */
#define JUNIT_CASE_MAX (8u << 20)  /* a testcase of the JUnit report, escaped */
#define TYPE_SIZE 8                /* "JW301", "unknown" */
#define ERR_MAX 1024               /* a reason from the client */

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway replay --url URL --cert FILE --key FILE\n"
	        "           [--cert FILE --key FILE ...] --cacert FILE [--junit OUT] PATH...\n\n"
	        "Sends sample messages to a running gateway, each as POST URL/v1/berichten over\n"
	        "mutual TLS, and compares every answer with the expectation in the manifest\n"
	        "expected.tsv of the sample's folder. A PATH is a sample, or a folder whose *.xml\n"
	        "files are sent in the order of their names.\n\n"
	        "A sample is sent with the client certificate of the party that sends it: the\n"
	        "header's Afzender for a heen message and for JW325, its Ontvanger for the other\n"
	        "retour messages. The party is the certificate's subject CN or serialNumber; a\n"
	        "sample whose sender cannot be read is sent with the first certificate, one for\n"
	        "whose sender no certificate is given is skipped.\n\n"
	        "A sample matches when it is expected accepted and the gateway answers 200 or\n"
	        "201, or expected rejected and the gateway answers 422, 409 or 413 with findings\n"
	        "of exactly the expected rules, all with the expected retour code. Prints a line\n"
	        "per mismatch or skip, then a summary.\n\n"
	        "  --url URL      the gateway, https://HOST:PORT\n"
	        "  --cert FILE    a client certificate (PEM); --cert and --key come in pairs\n"
	        "  --key FILE     its private key (PEM, not encrypted)\n"
	        "  --cacert FILE  the CA certificates that verify the gateway's certificate\n"
	        "  --junit OUT    also write a JUnit XML report to OUT\n"
	        "  -h, --help     this text\n\n"
	        "Exit status: 0 every sample sent matched, 1 a mismatch or nothing sent,\n"
	        "2 usage error or the gateway cannot be reached.\n");
}

/* A folder of samples and its manifest. */
struct folder {
	char *dir;
	char *manifest; /* dir/expected.tsv */
	gw_manifest *m; /* NULL when the folder has none */
};

enum result { MATCHED, MISMATCHED, SKIPPED };

struct sample {
	char *path;
	size_t folder;
	enum result result;
	char type[TYPE_SIZE]; /* the message type, "unknown" when it is none */
	char *why;            /* a mismatch or skip: what happened; NULL for a match */
	char *detail;         /* a mismatch: the findings of the answer, or NULL */
	double secs;          /* the time the request took */
};

struct finding {
	char *retourcode, *rule, *xpath, *text;
};

/* What the gateway answered. */
struct answer {
	long status;
	bool json; /* the body was a JSON object */
	char *error, *message;
	struct finding *f;
	size_t nf;
};

struct replay {
	gw_client **ids; /* one per client certificate */
	size_t nids;
	struct folder *folders;
	size_t nfolders;
	struct sample *samples;
	size_t nsamples;
	ijw_findings *findings; /* of reading a sample's header */
	struct ijw_buf body, reply;
	size_t done, sent, matched, mismatched, skipped;
	bool progress; /* standard error is a terminal */
};

/* A new string "a/b", NULL when out of memory. */
static char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s%s", a, strcmp(a, "/") == 0 ? "" : "/", b);
	return s;
}

/* ---- text for people and for XML: valid UTF-8 without control characters ---- */

static bool
char_ok(unsigned long cp)
{
	return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) && cp != 0xfffe && cp != 0xffff;
}

/*
 * The length of the UTF-8 sequence at p (n bytes available) of a character XML
 * allows, 0 when there is none.
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
	unsigned long cp;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1fu;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0fu;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	return cp >= least[len] && char_ok(cp) ? len : 0;
}

/* Appends the n bytes at s, invalid UTF-8 as '?' and control characters (NUL too) as spaces. */
static ijw_rc
add_clean(struct ijw_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	ijw_rc rc = IJW_OK;

	while (p < end && !rc) {
		size_t len = *p < 0x20 ? 0 : utf8_len(p, (size_t)(end - p));

		if (len == 0) {
			rc = ijw_buf_add(b, *p < 0x20 ? " " : "?", 1);
			p++;
		} else {
			rc = ijw_buf_add(b, p, len);
			p += len;
		}
	}
	return rc;
}

/* Appends s as XML character data, cleaned by add_clean. */
static ijw_rc
add_xml(struct ijw_buf *b, const char *s)
{
	size_t n = strlen(s);
	struct ijw_buf clean;
	ijw_rc rc;

	ijw_buf_init(&clean, n);
	rc = add_clean(&clean, s, n);
	if (!rc)
		rc = ijw_buf_add_xml(b, ijw_buf_str(&clean));
	ijw_buf_free(&clean);
	return rc;
}

/* ---- reading the gateway's JSON answer ---- */

/*
 * The string member key of o as a new string in *dst, cleaned by add_clean;
 * *dst stays NULL when o has no such member or its value is no string. False
 * when out of memory.
 */
static bool
text_get(const json_t *o, const char *key, char **dst)
{
	const json_t *v = json_object_get(o, key);
	struct ijw_buf s;
	bool ok;

	if (!json_is_string(v))
		return true;
	ijw_buf_init(&s, ANSWER_MAX);
	ok = !add_clean(&s, json_string_value(v), json_string_length(v)) &&
	     (*dst = strdup(ijw_buf_str(&s))) != NULL;
	ijw_buf_free(&s);
	return ok;
}

/* The findings of an answer from their array; false when one is not an object. */
static bool
findings_get(struct answer *a, const json_t *findings)
{
	size_t n = json_array_size(findings);

	if (n == 0)
		return true;
	if (!(a->f = calloc(n, sizeof *a->f)))
		return false;
	a->nf = n;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(findings, i);
		struct finding *f = &a->f[i];

		if (!json_is_object(o) || !text_get(o, "retourcode", &f->retourcode) ||
		    !text_get(o, "rule", &f->rule) || !text_get(o, "xpath", &f->xpath) ||
		    !text_get(o, "text", &f->text))
			return false;
	}
	return true;
}

static void
answer_clear(struct answer *a)
{
	for (size_t i = 0; i < a->nf; i++) {
		free(a->f[i].retourcode);
		free(a->f[i].rule);
		free(a->f[i].xpath);
		free(a->f[i].text);
	}
	free(a->f);
	free(a->error);
	free(a->message);
	memset(a, 0, sizeof *a);
}

/*
 * Reads the body of an answer; a body that is not a JSON object (one with a
 * member twice is none) leaves only a->status.
 */
static void
answer_parse(struct answer *a, const struct ijw_buf *body)
{
	json_t *root = NULL, *findings;
	long status = a->status;

	if (body->len <= ANSWER_MAX)
		root = json_loadb(ijw_buf_str(body), body->len,
		                  JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	findings = json_object_get(root, "findings");
	a->json = json_is_object(root) && text_get(root, "error", &a->error) &&
	          text_get(root, "message", &a->message) &&
	          (!json_is_array(findings) || findings_get(a, findings));
	json_decref(root);
	if (!a->json) {
		answer_clear(a);
		a->status = status;
	}
}

static const char *
str(const char *s)
{
	return s ? s : "";
}

/* ---- judging an answer ---- */

/* Whether rule is one of the comma-separated rules. */
static bool
in_rules(const char *rules, const char *rule)
{
	size_t n = strlen(rule);

	while (*rules) {
		size_t len = strcspn(rules, ",");

		if (len == n && n > 0 && strncmp(rules, rule, n) == 0)
			return true;
		rules += len;
		if (*rules == ',')
			rules++;
	}
	return false;
}

static bool
in_findings(const struct answer *a, const char *rule, size_t len)
{
	for (size_t i = 0; i < a->nf; i++)
		if (strlen(str(a->f[i].rule)) == len && strncmp(str(a->f[i].rule), rule, len) == 0)
			return true;
	return false;
}

static bool
matches(const struct gw_expect *e, const struct answer *a)
{
	const char *r;

	if (e->accepted)
		return a->status == 200 || a->status == 201;
	if (a->status != 422 && a->status != 409 && a->status != 413)
		return false;
	for (size_t i = 0; i < a->nf; i++) {
		if (strcmp(str(a->f[i].retourcode), e->retourcode) != 0 ||
		    !in_rules(e->rules, str(a->f[i].rule)))
			return false;
	}
	for (r = e->rules; *r;) {
		size_t len = strcspn(r, ",");

		if (!in_findings(a, r, len))
			return false;
		r += len;
		if (*r == ',')
			r++;
	}
	return true;
}

/* Appends the distinct values of one field of the findings, comma-separated. */
static ijw_rc
add_distinct(struct ijw_buf *b, const struct answer *a, bool rules)
{
	ijw_rc rc = IJW_OK;

	for (size_t i = 0; i < a->nf && !rc; i++) {
		const char *v = str(rules ? a->f[i].rule : a->f[i].retourcode);
		size_t k = 0;

		while (k < i && strcmp(v, str(rules ? a->f[k].rule : a->f[k].retourcode)) != 0)
			k++;
		if (k == i)
			rc = ijw_buf_addf(b, "%s%s", i ? "," : " ", v);
	}
	return rc;
}

/* Appends ": " and text, cut after TEXT_CUT bytes (at a character) with "...". */
static ijw_rc
add_text(struct ijw_buf *b, const char *text)
{
	size_t n = strlen(text);

	if (n <= TEXT_CUT)
		return ijw_buf_addf(b, ": %s", text);
	for (n = TEXT_CUT; (text[n] & 0xc0) == 0x80;)
		n--;
	return ijw_buf_addf(b, ": %.*s...", (int)n, text);
}

/* "got 422 TR002 0001: TEXT", "got 403: forbidden: MESSAGE", "got 201". */
static ijw_rc
add_got(struct ijw_buf *b, const struct answer *a, bool reply)
{
	ijw_rc rc = ijw_buf_addf(b, "got %ld", a->status);

	if (!rc && a->nf > 0) {
		if (!(rc = add_distinct(b, a, true)) && !(rc = add_distinct(b, a, false)) &&
		    a->f[0].text)
			rc = add_text(b, a->f[0].text);
	} else if (!rc && a->error) {
		rc = add_text(b, a->error);
		if (!rc && a->message)
			rc = add_text(b, a->message);
	} else if (!rc && reply && !a->json) {
		rc = ijw_buf_addstr(b, ", an answer that is not a JSON object");
	}
	return rc;
}

/* "expected accepted", "expected rejected TR101,TR383 0001", "no expectation in F". */
static ijw_rc
add_expected(struct ijw_buf *b, const struct gw_expect *e, const struct folder *f)
{
	if (!e)
		return ijw_buf_addf(b, "no expectation in %s", f->manifest);
	if (e->accepted)
		return ijw_buf_addstr(b, "expected accepted");
	return ijw_buf_addf(b, "expected rejected%s%s %s", *e->rules ? " " : "", e->rules,
	                    e->retourcode);
}

/* The findings of an answer, one line each, as far as DETAIL_MAX allows. */
static char *
detail(const struct answer *a)
{
	struct ijw_buf b;
	char *s;

	if (a->nf == 0 && !a->message)
		return NULL;
	ijw_buf_init(&b, DETAIL_MAX);
	if (a->nf == 0)
		ijw_buf_addf(&b, "%s\n", a->message);
	for (size_t i = 0; i < a->nf; i++) {
		const struct finding *f = &a->f[i];

		if (ijw_buf_addf(&b, "%s %s %s: %s\n", str(f->retourcode), str(f->rule),
		                 str(f->xpath), str(f->text)))
			break;
	}
	s = strdup(ijw_buf_str(&b));
	ijw_buf_free(&b);
	return s;
}

/* ---- output ---- */

static void
progress(const struct replay *r)
{
	if (r->progress)
		fprintf(stderr, "\rreplay: %zu/%zu sent, %zu mismatch%s\033[K", r->done,
		        r->nsamples, r->mismatched, r->mismatched == 1 ? "" : "es");
}

static void
progress_clear(const struct replay *r)
{
	if (r->progress)
		fputs("\r\033[K", stderr);
}

/* Records what became of s, with why (a new string, or NULL for a match), and reports it. */
static void
finish(struct replay *r, struct sample *s, enum result result, char *why)
{
	s->result = result;
	s->why = why;
	if (result == MATCHED) {
		r->matched++;
	} else {
		if (result == SKIPPED)
			r->skipped++;
		else
			r->mismatched++;
		progress_clear(r);
		printf("%s: %s%s\n", s->path, result == SKIPPED ? "skipped: " : "",
		       why ? why : ijw_strerror(IJW_ENOMEM));
		fflush(stdout);
	}
	r->done++;
	progress(r);
}

/* A new string of the buffer's contents; NULL when out of memory or the buffer failed. */
static char *
take(struct ijw_buf *b, ijw_rc rc)
{
	char *s = rc ? NULL : strdup(ijw_buf_str(b));

	ijw_buf_free(b);
	return s;
}

/* ---- identities ---- */

/* The client of party, the first one when party is "", NULL when none is given. */
static gw_client *
ident_find(struct replay *r, const char *party)
{
	if (party[0] == '\0')
		return r->ids[0];
	for (size_t i = 0; i < r->nids; i++)
		if (gw_client_names(r->ids[i], party))
			return r->ids[i];
	return NULL;
}

/* ---- the samples ---- */

/* The index of dir's folder, reading its manifest the first time; -1 after saying why not. */
static long
folder_get(struct replay *r, const char *dir)
{
	struct folder *f;
	char err[256];
	ijw_rc rc;

	for (size_t i = 0; i < r->nfolders; i++)
		if (strcmp(r->folders[i].dir, dir) == 0)
			return (long)i;
	f = realloc(r->folders, (r->nfolders + 1) * sizeof *f);
	if (!f) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		return -1;
	}
	r->folders = f;
	f = &r->folders[r->nfolders];
	memset(f, 0, sizeof *f);
	r->nfolders++;
	if (!(f->dir = strdup(dir)) || !(f->manifest = path_join(dir, GW_MANIFEST_NAME))) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		return -1;
	}
	rc = gw_manifest_read(f->manifest, &f->m, err, sizeof err);
	if (rc == IJW_EIO && errno == ENOENT) {
		gw_warnx("replay: %s does not exist: its samples have no expectation", f->manifest);
		return (long)(r->nfolders - 1);
	}
	if (rc == IJW_EINVAL)
		gw_warnx("replay: %s:%s", f->manifest, err);
	else if (rc)
		gw_warnx("replay: %s: %s", f->manifest,
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
	return rc ? -1 : (long)(r->nfolders - 1);
}

/* Adds the sample at path (taken over) of folder dir; false after saying why not. */
static bool
sample_add(struct replay *r, char *path, const char *dir)
{
	struct sample *s;
	long folder;

	if (!path) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		return false;
	}
	if ((folder = folder_get(r, dir)) < 0) {
		free(path);
		return false;
	}
	if (!(s = realloc(r->samples, (r->nsamples + 1) * sizeof *s))) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		free(path);
		return false;
	}
	r->samples = s;
	s = &r->samples[r->nsamples++];
	memset(s, 0, sizeof *s);
	s->path = path;
	s->folder = (size_t)folder;
	return true;
}

static int
is_xml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".xml") == 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Adds the samples a PATH argument names; false after saying why not. */
static bool
add_path(struct replay *r, const char *arg)
{
	struct dirent **names;
	struct stat st;
	bool ok = true;
	char *dir, *slash;
	int n;

	if (stat(arg, &st) != 0) {
		gw_warnx("replay: %s: %s", arg, strerror(errno));
		return false;
	}
	if (!(dir = strdup(arg))) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		/* A file's folder is what comes before its last slash ("/" for "/x.xml"). */
		if ((slash = strrchr(dir, '/')))
			slash[slash == dir ? 1 : 0] = '\0';
		ok = sample_add(r, strdup(arg), slash ? dir : ".");
		free(dir);
		return ok;
	}
	for (size_t len = strlen(dir); len > 1 && dir[len - 1] == '/';)
		dir[--len] = '\0';
	if ((n = scandir(dir, &names, is_xml, by_name)) < 0) {
		gw_warnx("replay: %s: %s", arg, strerror(errno));
		free(dir);
		return false;
	}
	for (int i = 0; i < n; i++) {
		char *path = ok ? path_join(dir, names[i]->d_name) : NULL;

		/* A folder named x.xml is no sample. */
		if (path && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			free(path);
		else if (ok)
			ok = sample_add(r, path, dir);
		free(names[i]);
	}
	if (n == 0)
		gw_warnx("replay: %s holds no *.xml files", arg);
	free(names);
	free(dir);
	return ok;
}

/*
 * The party that sends the message in r->body, "" when it cannot be read, and
 * the message's type in type ("" when it is none).
 */
static void
read_sender(struct replay *r, char party[GW_CLIENT_PARTY_MAX], char type[TYPE_SIZE])
{
	struct ijw_route route;
	ijw_doc *doc = NULL;

	party[0] = type[0] = '\0';
	ijw_findings_clear(r->findings);
	if (ijw_doc_parse(ijw_buf_str(&r->body), r->body.len, NULL, &doc, r->findings) || !doc)
		return;
	ijw_doc_route(doc, &route);
	snprintf(type, TYPE_SIZE, "%s", ijw_msgdef(ijw_doc_type(doc))->name);
	snprintf(party, GW_CLIENT_PARTY_MAX, "%s", route.from);
	ijw_doc_free(doc);
}

/*
 * Sends r->body as id into a, taking *secs; false with the reason in err when
 * no answer came.
 */
static bool
post(struct replay *r, gw_client *id, struct answer *a, double *secs, char *err, size_t errsize)
{
	struct timespec t0, t1;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = gw_client_request(id, "POST", "/v1/berichten", ijw_buf_str(&r->body), r->body.len,
	                       "application/xml", &a->status, &r->reply, err, errsize);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (ok)
		answer_parse(a, &r->reply);
	return ok;
}

/*
 * Sends one sample and judges the answer. Returns false only when the
 * gateway cannot be reached at all (on the first request).
 */
static bool
replay_sample(struct replay *r, struct sample *s)
{
	const struct folder *f = &r->folders[s->folder];
	const struct gw_expect *e = NULL;
	struct answer a = {0};
	struct ijw_buf why;
	char party[GW_CLIENT_PARTY_MAX], type[sizeof s->type], err[ERR_MAX];
	const char *name = strrchr(s->path, '/');
	gw_client *id;
	bool answered;
	ijw_rc rc;

	if (f->m)
		e = gw_manifest_find(f->m, name ? name + 1 : s->path);
	snprintf(s->type, sizeof s->type, "%s", e ? e->type : "unknown");
	ijw_buf_init(&why, LINE_MAX_BYTES);
	ijw_buf_reset(&r->body);
	if ((rc = gw_read_file(s->path, &r->body))) {
		rc = ijw_buf_addf(&why, "cannot read: %s",
		                  rc == IJW_EIO       ? strerror(errno)
		                  : rc == IJW_ETOOBIG ? "larger than " SAMPLE_MAX_TEXT
		                                      : ijw_strerror(rc));
		finish(r, s, MISMATCHED, take(&why, rc));
		return true;
	}
	read_sender(r, party, type);
	if (type[0])
		snprintf(s->type, sizeof s->type, "%s", type);
	if (!(id = ident_find(r, party))) {
		rc = ijw_buf_addf(&why, "no certificate for party %s", party);
		finish(r, s, SKIPPED, take(&why, rc));
		return true;
	}
	answered = post(r, id, &a, &s->secs, err, sizeof err);
	if (!answered && r->sent == 0) {
		progress_clear(r);
		gw_warnx("replay: cannot reach the gateway at %s", err);
		ijw_buf_free(&why);
		return false;
	}
	r->sent++;
	if (answered && e && matches(e, &a)) {
		finish(r, s, MATCHED, NULL);
		ijw_buf_free(&why);
		answer_clear(&a);
		return true;
	}
	rc = add_expected(&why, e, f);
	if (!rc)
		rc = ijw_buf_addstr(&why, ", ");
	if (!rc && !answered)
		rc = ijw_buf_addf(&why, "got no answer: %s", err);
	else if (!rc)
		rc = add_got(&why, &a, r->reply.len > 0);
	s->detail = detail(&a);
	finish(r, s, MISMATCHED, take(&why, rc));
	answer_clear(&a);
	return true;
}

/* ---- the JUnit report ---- */

static ijw_rc
junit_case(struct ijw_buf *b, const struct sample *s)
{
	ijw_rc rc = ijw_buf_addstr(b, "    <testcase classname=\"");

	if (!rc)
		rc = add_xml(b, s->type);
	if (!rc)
		rc = ijw_buf_addstr(b, "\" name=\"");
	if (!rc)
		rc = add_xml(b, s->path);
	if (!rc)
		rc = ijw_buf_addf(b, "\" time=\"%.3f\"", s->secs);
	if (rc || s->result == MATCHED)
		return rc ? rc : ijw_buf_addstr(b, "/>\n");
	if (s->result == SKIPPED) {
		rc = ijw_buf_addstr(b, ">\n      <skipped message=\"");
		if (!rc)
			rc = add_xml(b, str(s->why));
		return rc ? rc : ijw_buf_addstr(b, "\"/>\n    </testcase>\n");
	}
	rc = ijw_buf_addstr(b, ">\n      <failure type=\"mismatch\" message=\"");
	if (!rc)
		rc = add_xml(b, str(s->why));
	if (!rc)
		rc = ijw_buf_addstr(b, "\">");
	if (!rc && s->detail)
		rc = add_xml(b, s->detail);
	return rc ? rc : ijw_buf_addstr(b, "</failure>\n    </testcase>\n");
}

/* Writes the report to path; false after saying why not. */
static bool
junit_write(const struct replay *r, const char *path)
{
	struct ijw_buf b;
	double secs = 0;
	ijw_rc rc = IJW_OK;
	bool failed;
	FILE *fp;

	if (!(fp = fopen(path, "w"))) {
		gw_warnx("replay: %s: %s", path, strerror(errno));
		return false;
	}
	for (size_t i = 0; i < r->nsamples; i++)
		secs += r->samples[i].secs;
	fprintf(fp,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<testsuites>\n"
	        "  <testsuite name=\"ijw-gateway replay\" tests=\"%zu\" failures=\"%zu\" "
	        "errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
	        r->nsamples, r->mismatched, r->skipped, secs);
	ijw_buf_init(&b, JUNIT_CASE_MAX);
	for (size_t i = 0; i < r->nsamples && !rc; i++) {
		ijw_buf_reset(&b);
		if (!(rc = junit_case(&b, &r->samples[i])))
			fwrite(b.data, 1, b.len, fp);
	}
	ijw_buf_free(&b);
	fputs("  </testsuite>\n</testsuites>\n", fp);
	failed = ferror(fp) != 0;
	if (fclose(fp) != 0)
		failed = true;
	if (failed || rc) {
		gw_warnx("replay: %s: %s", path, rc ? ijw_strerror(rc) : strerror(errno));
		return false;
	}
	return true;
}

/* ---- the command ---- */

static void
replay_free(struct replay *r)
{
	for (size_t i = 0; i < r->nids; i++)
		gw_client_free(r->ids[i]);
	for (size_t i = 0; i < r->nfolders; i++) {
		free(r->folders[i].dir);
		free(r->folders[i].manifest);
		gw_manifest_free(r->folders[i].m);
	}
	for (size_t i = 0; i < r->nsamples; i++) {
		free(r->samples[i].path);
		free(r->samples[i].why);
		free(r->samples[i].detail);
	}
	free(r->ids);
	free(r->folders);
	free(r->samples);
	ijw_findings_free(r->findings);
	ijw_buf_free(&r->body);
	ijw_buf_free(&r->reply);
}

/* Everything before the first request: false after saying why not. */
static bool
replay_init(struct replay *r, struct gw_client_conf *conf, const char **certs, const char **keys,
            size_t n)
{
	char err[ERR_MAX];

	if (!(r->ids = calloc(n, sizeof *r->ids)) || !(r->findings = ijw_findings_new())) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		return false;
	}
	for (; r->nids < n; r->nids++) {
		if (!gw_client_conf_set(conf, "cert", certs[r->nids]) ||
		    !gw_client_conf_set(conf, "key", keys[r->nids])) {
			gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
			return false;
		}
		if (!(r->ids[r->nids] = gw_client_new(conf, err, sizeof err))) {
			gw_warnx("replay: %s", err);
			return false;
		}
	}
	return true;
}

static int
replay_run(struct replay *r, const char *junit)
{
	int status;

	r->progress = isatty(STDERR_FILENO);
	progress(r);
	for (size_t i = 0; i < r->nsamples; i++)
		if (!replay_sample(r, &r->samples[i]))
			return GW_EXIT_USAGE;
	progress_clear(r);
	printf("replay: %zu sample%s: %zu as expected, %zu mismatch%s, %zu skipped\n", r->nsamples,
	       r->nsamples == 1 ? "" : "s", r->matched, r->mismatched,
	       r->mismatched == 1 ? "" : "es", r->skipped);
	fflush(stdout);
	status = r->mismatched == 0 && r->sent > 0 ? GW_EXIT_OK : GW_EXIT_REJECTED;
	if (junit && !junit_write(r, junit))
		status = GW_EXIT_USAGE;
	return status;
}

/* Whether the arguments make a run; says what is missing when not. */
static bool
args_ok(const char *url, const char *cacert, size_t ncerts, size_t nkeys, bool paths)
{
	if (!url)
		gw_warnx("replay: --url is required");
	else if (strncasecmp(url, "https://", strlen("https://")) != 0)
		gw_warnx("replay: --url wants an https:// URL, not '%s'", url);
	else if (!cacert)
		gw_warnx("replay: --cacert is required");
	else if (ncerts == 0 && nkeys == 0)
		gw_warnx("replay: --cert and --key are required");
	else if (ncerts != nkeys)
		gw_warnx(
		        "replay: --cert and --key come in pairs, not %zu certificates and %zu keys",
		        ncerts, nkeys);
	else if (!paths)
		gw_warnx("replay: which samples? (PATH...)");
	else
		return true;
	return false;
}

int
gw_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {{"url", required_argument, NULL, 'u'},
	                                     {"cert", required_argument, NULL, 'c'},
	                                     {"key", required_argument, NULL, 'k'},
	                                     {"cacert", required_argument, NULL, 'C'},
	                                     {"junit", required_argument, NULL, 'j'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct replay r = {.progress = false};
	const char *url = NULL, *cacert = NULL, *junit = NULL;
	struct gw_client_conf conf = {0};
	const char **certs = calloc((size_t)argc, sizeof *certs);
	const char **keys = calloc((size_t)argc, sizeof *keys);
	size_t ncerts = 0, nkeys = 0;
	int c, status = GW_EXIT_USAGE;
	bool ok;

	ijw_buf_init(&r.body, SAMPLE_MAX);
	ijw_buf_init(&r.reply, ANSWER_MAX);
	if (!certs || !keys) {
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
		goto out;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			url = optarg;
			break;
		case 'c':
			certs[ncerts++] = optarg;
			break;
		case 'k':
			keys[nkeys++] = optarg;
			break;
		case 'C':
			cacert = optarg;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'h':
			usage(stdout);
			status = GW_EXIT_OK;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (!args_ok(url, cacert, ncerts, nkeys, optind < argc)) {
		usage(stderr);
		goto out;
	}
	ok = gw_client_conf_set(&conf, "url", url) && gw_client_conf_set(&conf, "cacert", cacert);
	if (!ok)
		gw_warnx("replay: %s", ijw_strerror(IJW_ENOMEM));
	ok = ok && replay_init(&r, &conf, certs, keys, ncerts);
	for (int i = optind; i < argc && ok; i++)
		ok = add_path(&r, argv[i]);
	if (ok)
		status = replay_run(&r, junit);
	replay_free(&r);
	gw_client_conf_free(&conf);
out:
	free(certs);
	free(keys);
	return status;
}
