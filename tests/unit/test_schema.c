/*
 * test_schema.c: XSD validation with the built-in schemas and with the
 * official ones, on the official examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ijw_gen.h"
#include "ijw_validate.h"
#include "tu.h"

/* Validates text and returns the number of findings; they stay in f. */
static size_t
judge(ijw_schemas *s, const char *text, size_t len, ijw_findings *f)
{
	ijw_findings_clear(f);
	assert_int_equal(ijw_validate(s, text, len, NULL, NULL, f), IJW_OK);
	return ijw_findings_count(f);
}

static char *
example(const char *name, size_t *len)
{
	char path[4096];
	char *text;

	snprintf(path, sizeof path, "%s/%s.xml", tu_official_examples(), name);
	text = tu_read(path, len);
	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

/*
 * The official examples that are rejected, and where: two by the schemas;
 * JW317 by constraint CS003, for its NieuwProduct ends (2024-02-28) before it
 * starts (2026-11-01); JW323 by TR101, for its second client has two
 * prestaties with ReferentieNummer RN004, the logical key of a prestatie.
 */
static const struct {
	const char *name, *rule, *xpath, *needle;
} invalid_examples[] = {
        {"JW315", "XSD",
         "/jw315:Bericht/jw315:Client/jw315:AangevraagdeProducten/jw315:AangevraagdProduct[1]/"
         "jw315:ToewijzingEinddatum",
         "'2027-06-31' is not a valid value"},
        {"JW317", "CS003",
         "/jw317:Bericht/jw317:Client/jw317:Verzoek/jw317:NieuweProducten/jw317:NieuwProduct/"
         "jw317:Einddatum",
         "Einddatum 2024-02-28 is before GewensteIngangsdatum 2026-11-01"},
        {"JW318", "XSD", "/jw318:Bericht/jw318:Client/jw318:Verzoek/jw318:RetourCode",
         "This element is not expected"},
        {"JW323", "TR101",
         "/jw323:Bericht/jw323:Declaratie/jw323:Clienten/jw323:Client[2]/jw323:Prestaties/"
         "jw323:Prestatie[3]",
         "repeats the ProductReferentie/ReferentieNummer"},
};

#define NINVALID (sizeof invalid_examples / sizeof invalid_examples[0])

static void
official_examples(ijw_schemas *s)
{
	ijw_findings *f = ijw_findings_new();

	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		const char *name = ijw_msgdef(t)->name;
		const char *xpath = NULL, *needle = NULL, *rule = NULL;
		size_t len, n;
		char *text = example(name, &len);

		for (size_t i = 0; i < NINVALID; i++)
			if (strcmp(invalid_examples[i].name, name) == 0) {
				rule = invalid_examples[i].rule;
				xpath = invalid_examples[i].xpath;
				needle = invalid_examples[i].needle;
			}
		n = judge(s, text, len, f);
		if (!xpath && n)
			fail_msg("%s rejected: %s %s", name, ijw_findings_get(f, 0)->xpath,
			         ijw_findings_get(f, 0)->text);
		if (xpath) {
			const struct ijw_finding *it;

			assert_true(n >= 1);
			it = ijw_findings_get(f, 0);
			assert_string_equal(it->rule, rule);
			assert_string_equal(it->retourcode, "0001");
			assert_string_equal(it->xpath, xpath);
			assert_non_null(strstr(it->text, needle));
			assert_true(it->line > 0);
		}
		free(text);
	}
	ijw_findings_free(f);
}

static void
builtin_schemas_judge_official_examples(void **state)
{
	ijw_schemas *s;

	(void)state;
	if (!tu_official_examples())
		skip();
	assert_int_equal(ijw_schemas_new(NULL, &s), IJW_OK);
	official_examples(s);
	ijw_schemas_free(s);
}

static void
official_schemas_judge_official_examples(void **state)
{
	ijw_schemas *s;

	(void)state;
	if (!tu_official_xsd())
		skip();
	assert_int_equal(ijw_schemas_new(tu_official_xsd(), &s), IJW_OK);
	official_examples(s);
	ijw_schemas_free(s);
}

static void
all_builtin_schemas_compile(void **state)
{
	ijw_schemas *s;

	(void)state;
	assert_int_equal(ijw_schemas_new(NULL, &s), IJW_OK);
	assert_int_equal(ijw_schemas_load_all(s), IJW_OK);
	assert_string_equal(ijw_schemas_error(s), "");
	ijw_schemas_free(s);
}

static void
missing_schema_dir_is_an_error(void **state)
{
	ijw_schemas *s;
	struct ijw_buf b;
	ijw_findings *f = ijw_findings_new();

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW305, 1, &b), IJW_OK);
	assert_int_equal(ijw_schemas_new("/nonexistent/schemas", &s), IJW_OK);
	assert_int_equal(ijw_schemas_load(s, IJW_JW305), IJW_ESCHEMA);
	assert_non_null(strstr(ijw_schemas_error(s), "/nonexistent/schemas/JW305.xsd"));
	assert_int_equal(ijw_validate(s, b.data, b.len, NULL, NULL, f), IJW_ESCHEMA);
	ijw_schemas_free(s);
	ijw_findings_free(f);
	ijw_buf_free(&b);
}

/* Replaces the first occurrence of from in text by to. */
static char *
replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	assert_non_null(at);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

static void
bsn_value_is_withheld_from_findings(void **state)
{
	ijw_schemas *s;
	ijw_findings *f = ijw_findings_new();
	struct ijw_buf b;
	const char *start, *end;
	char bsn[10], wrong[16], *bad;
	const struct ijw_finding *it;

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW301, 3, &b), IJW_OK);
	start = strstr(b.data, "<jw301:Bsn>") + strlen("<jw301:Bsn>");
	end = strstr(start, "</jw301:Bsn>");
	snprintf(bsn, sizeof bsn, "%.*s", (int)(end - start), start);
	snprintf(wrong, sizeof wrong, ">%.8s<", bsn); /* eight digits: fails the pattern */
	{
		char from[16];

		snprintf(from, sizeof from, ">%s<", bsn);
		bad = replaced(b.data, from, wrong);
	}
	assert_int_equal(ijw_schemas_new(NULL, &s), IJW_OK);
	assert_true(judge(s, bad, strlen(bad), f) >= 1);
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		it = ijw_findings_get(f, i);
		assert_null(strstr(it->text, bsn));
		wrong[9] = '\0';
		assert_null(strstr(it->text, wrong + 1));
	}
	it = ijw_findings_get(f, 0);
	assert_string_equal(it->xpath, "/jw301:Bericht/jw301:Client/jw301:Bsn");
	assert_non_null(strstr(it->text, "(BSN withheld)"));
	free(bad);
	ijw_schemas_free(s);
	ijw_findings_free(f);
	ijw_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(all_builtin_schemas_compile),
	        cmocka_unit_test(builtin_schemas_judge_official_examples),
	        cmocka_unit_test(official_schemas_judge_official_examples),
	        cmocka_unit_test(missing_schema_dir_is_an_error),
	        cmocka_unit_test(bsn_value_is_withheld_from_findings),
	};

	if (!tu_shared_dir())
		fprintf(stderr, "note: ../shared is absent; the tests on the official "
		                "examples and schemas are skipped\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
