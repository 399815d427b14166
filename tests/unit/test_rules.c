/*
 * test_rules.c: the in-message rules, driven by the samples and their
 * manifest (samples/expected.tsv).
 *
 * There is one test per rule of the table: every sample that names the rule
 * must get its verdict (a rejected sample exactly the rules and retour code
 * the manifest gives, a borderline one nothing), and the rule must have a
 * rejected sample for every heen message it applies to and a borderline one
 * that passes. Removing a rule, or loosening it, fails its test. Further
 * tests judge every sample, and answer every sample and official example
 * with a retour message that must be valid against the official schema of
 * the retour type and carry the expected code in its header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/tree.h>

#include "ijw_gen.h"
#include "ijw_retour.h"
#include "ijw_rules.h"
#include "ijw_validate.h"
#include "tu.h"

#define MAX_ROWS 512

struct row {
	char *file, *outcome, *type, *retourcode, *rules, *note;
};

static struct row rows[MAX_ROWS];
static size_t nrows;
static char *manifest;
static ijw_schemas *builtin, *official;
static struct ijw_validate_opts opts;

/* Splits the manifest into rows; comment lines and the heading are skipped. */
static void
load_manifest(void)
{
	char path[4096], *line, *save = NULL;

	snprintf(path, sizeof path, "%s/samples/expected.tsv", tu_source_dir());
	if (!(manifest = tu_read(path, NULL)))
		fail_msg("cannot read %s", path);
	for (line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *s2 = NULL;
		int n = 0;

		if (line[0] == '#' || strncmp(line, "file\t", 5) == 0)
			continue;
		for (char *c = strtok_r(line, "\t", &s2); c && n < 6; c = strtok_r(NULL, "\t", &s2))
			f[n++] = c;
		if (n != 6)
			fail_msg("expected.tsv: a row with %d fields: %s", n, line);
		assert_true(nrows < MAX_ROWS);
		rows[nrows++] = (struct row){f[0], f[1], f[2], f[3], f[4], f[5]};
	}
}

/* Whether the comma-separated list has the item. */
static bool
listed(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; (p = strstr(p, item)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

static char *
sample_text(const struct row *r, size_t *len)
{
	char path[4096];
	char *text;

	snprintf(path, sizeof path, "%s/samples/%s", tu_source_dir(), r->file);
	if (!(text = tu_read(path, len)))
		fail_msg("cannot read %s", path);
	return text;
}

/* Judges the sample of r against the manifest. */
static void
check_row(const struct row *r)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	size_t len, n, rule_count = 0;
	char *text = sample_text(r, &len);

	assert_int_equal(ijw_validate(builtin, text, len, &opts, &doc, f), IJW_OK);
	n = ijw_findings_count(f);
	if (strcmp(r->type, "unknown") == 0)
		assert_null(doc);
	else if (!doc || strcmp(ijw_msgdef(ijw_doc_type(doc))->name, r->type) != 0)
		fail_msg("%s: not judged as a %s", r->file, r->type);
	if (strcmp(r->outcome, "accepted") == 0) {
		if (n)
			fail_msg("%s: rejected by %s at %s: %s", r->file,
			         ijw_findings_get(f, 0)->rule, ijw_findings_get(f, 0)->xpath,
			         ijw_findings_get(f, 0)->text);
	} else {
		if (n == 0)
			fail_msg("%s: accepted, but it breaks %s", r->file, r->rules);
		for (size_t i = 0; i < n; i++) {
			const struct ijw_finding *it = ijw_findings_get(f, i);

			if (!listed(r->rules, it->rule))
				fail_msg("%s: rule %s (%s) is not one of %s", r->file, it->rule,
				         it->text, r->rules);
			assert_string_equal(it->retourcode, r->retourcode);
			assert_true(strlen(it->text) > 10);
			assert_true(it->xpath[0] == '/');
		}
		/* Every rule named must have been found. */
		for (const char *p = r->rules; *p; rule_count++) {
			char code[16];
			size_t k = strcspn(p, ",");
			bool found = false;

			snprintf(code, sizeof code, "%.*s", (int)k, p);
			for (size_t i = 0; i < n; i++)
				found |= strcmp(ijw_findings_get(f, i)->rule, code) == 0;
			if (!found)
				fail_msg("%s: %s was not found", r->file, code);
			p += k + (p[k] == ',');
		}
		assert_true(rule_count >= 1);
	}
	ijw_doc_free(doc);
	ijw_findings_free(f);
	free(text);
}

/* One rule: its samples, and that it has them. */
static void
rule_test(void **state)
{
	const struct ijw_rule *rule = *state;
	bool borderline = false;

	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		bool rejected = false;

		if (!ijw_rule_applies(rule, t) || ijw_msgdef(t)->retour)
			continue;
		for (size_t i = 0; i < nrows; i++)
			rejected |= strcmp(rows[i].outcome, "rejected") == 0 &&
			            strcmp(rows[i].type, ijw_msgdef(t)->name) == 0 &&
			            listed(rows[i].rules, rule->code);
		if (!rejected)
			fail_msg("%s has no rejected sample of %s", rule->code,
			         ijw_msgdef(t)->name);
	}
	for (size_t i = 0; i < nrows; i++) {
		if (!listed(rows[i].rules, rule->code))
			continue;
		borderline |= strcmp(rows[i].outcome, "accepted") == 0;
		check_row(&rows[i]);
	}
	if (!borderline)
		fail_msg("%s has no borderline sample that passes", rule->code);
}

/* TR135 against the injected clock: the Dagtekening may be today, not tomorrow. */
static void
dagtekening_against_the_clock(void **state)
{
	struct ijw_validate_opts o = opts;
	ijw_findings *f = ijw_findings_new();
	struct ijw_buf b;
	ijw_doc *doc;
	ijw_day dag;

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW319, 4, &b), IJW_OK);
	assert_int_equal(ijw_validate(builtin, b.data, b.len, &o, &doc, f), IJW_OK);
	assert_true(ijw_date_parse(ijw_doc_header(doc)->dagtekening, &dag));
	ijw_doc_free(doc);
	o.today = dag;
	ijw_findings_clear(f);
	assert_int_equal(ijw_validate(builtin, b.data, b.len, &o, NULL, f), IJW_OK);
	assert_int_equal(ijw_findings_count(f), 0);
	o.today = dag - 1;
	assert_int_equal(ijw_validate(builtin, b.data, b.len, &o, NULL, f), IJW_OK);
	assert_int_equal(ijw_findings_count(f), 1);
	assert_string_equal(ijw_findings_get(f, 0)->rule, "TR135");
	assert_string_equal(ijw_findings_get(f, 0)->retourcode, "8848");
	assert_string_equal(
	        ijw_findings_get(f, 0)->xpath,
	        "/jw319:Bericht/jw319:Header/jw319:BerichtIdentificatie/ijw:Dagtekening");
	ijw_findings_free(f);
	ijw_buf_free(&b);
}

static void
every_sample(void **state)
{
	(void)state;
	assert_true(nrows >= 100);
	for (size_t i = 0; i < nrows; i++)
		check_row(&rows[i]);
}

/* Every rule named in the manifest is one of the table (or a layer's own name). */
static void
manifest_names_known_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		char *copy = strdup(rows[i].rules), *save = NULL;

		for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
			if (strcmp(c, "-") && strcmp(c, "XSD") && strcmp(c, "XML") &&
			    strcmp(c, "TYPE") && !ijw_rule_by_code(c))
				fail_msg("%s names unknown rule %s", rows[i].file, c);
		free(copy);
	}
}

/*
 * Answers text with its retour and checks the answer: valid against the
 * official schema of the retour type (the built-in one without ../shared)
 * and under the rules, with header code want. Returns false when the message
 * cannot be answered (not a message, or itself a retour).
 */
static bool
answer(const char *name, const char *text, size_t len, const char *want)
{
	ijw_findings *f = ijw_findings_new(), *g = ijw_findings_new();
	struct ijw_retour_opts ro = {.dagtekening = opts.today};
	ijw_schemas *s = official ? official : builtin;
	struct ijw_buf out;
	ijw_doc *doc = NULL, *ans = NULL;
	const struct ijw_msgdef *def;
	bool answered = false;
	char codes[64];

	ijw_buf_init(&out, 64u << 20);
	assert_int_equal(ijw_validate(builtin, text, len, &opts, &doc, f), IJW_OK);
	if (!doc || ijw_msgdef(ijw_doc_type(doc))->retour)
		goto out;
	def = ijw_msgdef(ijw_doc_type(doc));
	assert_int_equal(ijw_retour(doc, f, &ro, &out), IJW_OK);
	assert_int_equal(ijw_validate(s, out.data, out.len, &opts, &ans, g), IJW_OK);
	if (ijw_findings_count(g))
		fail_msg("the retour of %s is not valid: %s %s: %s\n%s", name,
		         ijw_findings_get(g, 0)->rule, ijw_findings_get(g, 0)->xpath,
		         ijw_findings_get(g, 0)->text, out.data);
	assert_non_null(ans);
	assert_int_equal(ijw_doc_type(ans), def->pair);
	if (want && strcmp(tu_header_retourcodes(ans, codes, sizeof codes), want) != 0)
		fail_msg("the retour of %s has RetourCodes %s in its header, not %s", name, codes,
		         want);
	answered = true;
out:
	ijw_doc_free(ans);
	ijw_doc_free(doc);
	ijw_findings_free(f);
	ijw_findings_free(g);
	ijw_buf_free(&out);
	return answered;
}

static void
every_sample_answered(void **state)
{
	size_t answered = 0;

	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		size_t len;
		char *text = sample_text(&rows[i], &len);

		answered += answer(rows[i].file, text, len, rows[i].retourcode);
		free(text);
	}
	assert_true(answered >= 100);
}

static void
official_examples_answered(void **state)
{
	static const char *const heen[] = {"JW301", "JW305", "JW307", "JW315",
	                                   "JW317", "JW319", "JW323"};

	(void)state;
	if (!tu_official_examples())
		skip();
	for (size_t i = 0; i < sizeof heen / sizeof heen[0]; i++) {
		char path[4096];
		size_t len;
		char *text;

		snprintf(path, sizeof path, "%s/%s.xml", tu_official_examples(), heen[i]);
		assert_non_null(text = tu_read(path, &len));
		assert_true(answer(path, text, len, NULL));
		free(text);
	}
}

static int
setup(void **state)
{
	(void)state;
	load_manifest();
	ijw_validate_opts_init(&opts);
	opts.today = ijw_date_from_ymd(2026, 11, 23);
	assert_int_equal(ijw_schemas_new(NULL, &builtin), IJW_OK);
	if (tu_official_xsd())
		assert_int_equal(ijw_schemas_new(tu_official_xsd(), &official), IJW_OK);
	else
		fprintf(stderr, "note: ../shared is absent; retour messages are checked against "
		                "the built-in schemas only\n");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ijw_schemas_free(builtin);
	ijw_schemas_free(official);
	free(manifest);
	return 0;
}

int
main(void)
{
	size_t n = ijw_rules_count(), k = 0;
	struct CMUnitTest *tests = calloc(n + 5, sizeof *tests);
	int failed;

	for (size_t i = 0; i < n; i++, k++) {
		/* the cross-message rules have their scenarios instead (test_ledger) */
		if (ijw_rule_at(i)->cross) {
			k--;
			continue;
		}
		tests[k].name = ijw_rule_at(i)->code;
		tests[k].test_func = rule_test;
		tests[k].initial_state = (void *)ijw_rule_at(i);
	}
	tests[k++] = (struct CMUnitTest)cmocka_unit_test(manifest_names_known_rules);
	tests[k++] = (struct CMUnitTest)cmocka_unit_test(dagtekening_against_the_clock);
	tests[k++] = (struct CMUnitTest)cmocka_unit_test(every_sample);
	tests[k++] = (struct CMUnitTest)cmocka_unit_test(every_sample_answered);
	tests[k++] = (struct CMUnitTest)cmocka_unit_test(official_examples_answered);
	failed = _cmocka_run_group_tests("rules", tests, k, setup, teardown);
	free(tests);
	return failed;
}
