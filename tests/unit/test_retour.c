/*
 * test_retour.c: what a retour message says, case by case.
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
#include "ijw_validate.h"
#include "tu.h"

static ijw_schemas *schemas;
static struct ijw_validate_opts opts;

struct answer {
	ijw_doc *heen, *retour;
	ijw_findings *f;
	struct ijw_buf text;
};

/* Judges the heen message in text and answers it; the answer must be valid. */
static void
answer_text(struct answer *a, const char *text, size_t len, const char *id)
{
	struct ijw_retour_opts ro = {.identificatie = id, .dagtekening = opts.today};
	ijw_findings *g = ijw_findings_new();

	a->f = ijw_findings_new();
	ijw_buf_init(&a->text, 64u << 20);
	assert_int_equal(ijw_validate(schemas, text, len, &opts, &a->heen, a->f), IJW_OK);
	assert_non_null(a->heen);
	assert_int_equal(ijw_retour(a->heen, a->f, &ro, &a->text), IJW_OK);
	assert_int_equal(ijw_validate(schemas, a->text.data, a->text.len, &opts, &a->retour, g),
	                 IJW_OK);
	if (ijw_findings_count(g))
		fail_msg("invalid answer: %s %s\n%s", ijw_findings_get(g, 0)->xpath,
		         ijw_findings_get(g, 0)->text, a->text.data);
	ijw_findings_free(g);
}

static void
answer_sample(struct answer *a, const char *name)
{
	char path[4096];
	size_t len;
	char *text;

	snprintf(path, sizeof path, "%s/samples/%s", tu_source_dir(), name);
	assert_non_null(text = tu_read(path, &len));
	answer_text(a, text, len, NULL);
	free(text);
}

static void
answer_free(struct answer *a)
{
	ijw_doc_free(a->heen);
	ijw_doc_free(a->retour);
	ijw_findings_free(a->f);
	ijw_buf_free(&a->text);
}

static long long
total(xmlNodePtr n, const char *name)
{
	xmlNodePtr t = (xmlNodePtr)ijw_node_at(n, name);
	xmlChar *v = xmlNodeGetContent((xmlNodePtr)ijw_node_at(t, "TotaalBedrag"));
	xmlChar *dc = xmlNodeGetContent((xmlNodePtr)ijw_node_at(t, "DebetCredit"));
	long long x = strtoll((const char *)v, NULL, 10);

	if (strcmp((const char *)dc, "C") == 0)
		x = -x;
	xmlFree(v);
	xmlFree(dc);
	return x;
}

static void
accepted_message_echoed_with_0200(void **state)
{
	struct answer a;
	char buf[64];

	(void)state;
	answer_sample(&a, "JW305-valid-1.xml");
	assert_int_equal(ijw_doc_type(a.retour), IJW_JW306);
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "0200");
	assert_int_equal(ijw_doc_nrecords(a.retour), ijw_doc_nrecords(a.heen));
	for (size_t i = 0; i < ijw_doc_nrecords(a.retour); i++) {
		const struct ijw_record *h = ijw_doc_record(a.heen, i);
		const struct ijw_record *r = ijw_doc_record(a.retour, i);

		assert_string_equal(r->level, h->level);
		assert_string_equal(r->bsn, h->bsn);
		assert_string_equal(r->productcode, h->productcode);
		assert_string_equal(r->begindatum, h->begindatum);
		assert_string_equal(tu_retourcodes(r->node, buf, sizeof buf), "0200");
	}
	/* The header is the heen header's, with the retour's own fields after it. */
	assert_string_equal(ijw_doc_header(a.retour)->identificatie,
	                    ijw_doc_header(a.heen)->identificatie);
	assert_string_equal(ijw_doc_header(a.retour)->afzender, ijw_doc_header(a.heen)->afzender);
	answer_free(&a);
}

static void
identificatie_retour(void **state)
{
	struct answer a, b;
	size_t len;
	char path[4096], *text;

	(void)state;
	snprintf(path, sizeof path, "%s/samples/JW319-valid-1.xml", tu_source_dir());
	assert_non_null(text = tu_read(path, &len));
	answer_text(&a, text, len, NULL);
	answer_text(&b, text, len, NULL);
	/* Derived from the heen message: the same message, the same answer. */
	assert_int_equal(a.text.len, b.text.len);
	assert_memory_equal(a.text.data, b.text.data, a.text.len);
	answer_free(&b);
	answer_text(&b, text, len, "R-42");
	assert_non_null(strstr(b.text.data, "<jw320:IdentificatieRetour>R-42<"));
	answer_free(&a);
	answer_free(&b);
	free(text);
}

static void
record_rejection_marks_the_record(void **state)
{
	struct answer a;
	char buf[64];
	int rejected = 0, unjudged = 0;

	(void)state;
	answer_sample(&a, "JW301-TR302-invalid.xml");
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "0001");
	assert_int_equal(ijw_doc_nrecords(a.retour), ijw_doc_nrecords(a.heen));
	for (size_t i = 0; i < ijw_doc_nrecords(a.retour); i++) {
		tu_retourcodes(ijw_doc_record(a.retour, i)->node, buf, sizeof buf);
		if (strcmp(buf, "0001") == 0) {
			rejected++;
			assert_string_equal(ijw_doc_record(a.retour, i)->level,
			                    "ToegewezenProduct");
		} else {
			assert_string_equal(buf, "0233");
			unjudged++;
		}
	}
	assert_int_equal(rejected, 1);
	assert_true(unjudged >= 3);
	answer_free(&a);
}

/* The codes of a retour, read back: the header's, and each record's as tu_retourcodes reads them.
 */
static void
codes_read_back(void **state)
{
	struct answer a;
	char buf[64], joined[64], codes[2][IJW_RETOURCODE_SIZE];
	const void *header;
	size_t n;

	(void)state;
	answer_sample(&a, "JW301-TR302-invalid.xml");
	header = ijw_node_at(ijw_doc_root(a.retour), "Header");
	assert_int_equal(ijw_retour_codes(header, codes, 2), 1);
	assert_string_equal(codes[0], "0001");
	for (size_t i = 0; i < ijw_doc_nrecords(a.retour); i++) {
		const void *node = ijw_doc_record(a.retour, i)->node;

		n = ijw_retour_codes(node, codes, 2);
		assert_true(n >= 1 && n <= 2);
		snprintf(joined, sizeof joined, n == 2 ? "%s,%s" : "%s", codes[0], codes[1]);
		assert_string_equal(joined, tu_retourcodes(node, buf, sizeof buf));
	}
	/* a heen message has none; the count goes on past max */
	assert_int_equal(ijw_retour_codes(ijw_node_at(ijw_doc_root(a.heen), "Header"), codes, 2),
	                 0);
	assert_int_equal(ijw_retour_codes(header, codes, 0), 1);
	answer_free(&a);
}

static void
schema_rejection_answers_with_the_header(void **state)
{
	struct answer a;
	char buf[64];

	(void)state;
	answer_sample(&a, "JW301-invalid-xsd-date.xml");
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "0001");
	assert_int_equal(ijw_doc_nrecords(a.retour), 0);
	answer_free(&a);
}

static void
future_dagtekening_answered_with_8848(void **state)
{
	struct answer a;
	char buf[64];

	(void)state;
	answer_sample(&a, "JW305-TR135-invalid.xml");
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "8848");
	assert_int_equal(ijw_doc_nrecords(a.retour), 0);
	answer_free(&a);
}

static void
declaratie_approved_in_full(void **state)
{
	struct answer a;
	xmlNodePtr da;
	char buf[64];

	(void)state;
	answer_sample(&a, "JW323-valid-1.xml");
	assert_int_equal(ijw_doc_type(a.retour), IJW_JW325);
	da = (xmlNodePtr)ijw_node_at(xmlDocGetRootElement(ijw_doc_xml(a.retour)),
	                             "DeclaratieAntwoord");
	assert_int_equal(total(da, "TotaalToegekendBedrag"), total(da, "TotaalIngediendBedrag"));
	assert_int_equal(total(da, "TotaalIngediendBedrag"), ijw_doc_record(a.heen, 0)->bedrag);
	assert_null(ijw_node_at(da, "Clienten"));
	assert_string_equal(tu_retourcodes(da, buf, sizeof buf), "8001");
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "0200");
	/* The municipality answers: sender and receiver of the declaration swap. */
	assert_string_equal(ijw_doc_header(a.retour)->afzender, ijw_doc_header(a.heen)->ontvanger);
	answer_free(&a);
}

static void
declaratie_rejected_as_a_whole(void **state)
{
	struct answer a;
	xmlNodePtr da;
	char buf[64];

	(void)state;
	answer_sample(&a, "JW323-TR358-invalid.xml");
	da = (xmlNodePtr)ijw_node_at(xmlDocGetRootElement(ijw_doc_xml(a.retour)),
	                             "DeclaratieAntwoord");
	assert_int_equal(total(da, "TotaalToegekendBedrag"), 0);
	assert_null(ijw_node_at(da, "Clienten"));
	assert_string_equal(tu_retourcodes(da, buf, sizeof buf), "0001");
	assert_string_equal(tu_header_retourcodes(a.retour, buf, sizeof buf), "0001");
	answer_free(&a);
}

/* A later layer rejects one prestatie (TR418, 0611): the answer lists it alone. */
static void
declaratie_with_one_rejected_prestatie(void **state)
{
	struct ijw_retour_opts ro = {.dagtekening = opts.today};
	ijw_findings *f = ijw_findings_new(), *g = ijw_findings_new();
	const struct ijw_record *rejected = NULL;
	struct ijw_buf heen, out;
	ijw_doc *doc, *ans;
	xmlNodePtr da, clienten, client, prestatie;
	char buf[64];
	int prestaties = 0;

	(void)state;
	ijw_buf_init(&heen, 1 << 20);
	ijw_buf_init(&out, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW323, 1, &heen), IJW_OK);
	assert_int_equal(ijw_validate(schemas, heen.data, heen.len, &opts, &doc, f), IJW_OK);
	assert_int_equal(ijw_findings_count(f), 0);
	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++)
		if (strcmp(ijw_doc_record(doc, i)->level, "Prestatie") == 0 && ++prestaties == 2)
			rejected = ijw_doc_record(doc, i);
	assert_non_null(rejected);
	assert_int_equal(ijw_findings_add_node(f, rejected->node, "TR418", "0611",
	                                       "the tariff is not the contracted one"),
	                 IJW_OK);
	assert_int_equal(ijw_retour(doc, f, &ro, &out), IJW_OK);
	assert_int_equal(ijw_validate(schemas, out.data, out.len, &opts, &ans, g), IJW_OK);
	if (ijw_findings_count(g))
		fail_msg("%s: %s", ijw_findings_get(g, 0)->rule, ijw_findings_get(g, 0)->text);
	assert_string_equal(tu_header_retourcodes(ans, buf, sizeof buf), "0200");
	da = (xmlNodePtr)ijw_node_at(xmlDocGetRootElement(ijw_doc_xml(ans)), "DeclaratieAntwoord");
	assert_int_equal(total(da, "TotaalToegekendBedrag"),
	                 total(da, "TotaalIngediendBedrag") - rejected->bedrag);
	assert_string_equal(tu_retourcodes(da, buf, sizeof buf), "0200");
	clienten = (xmlNodePtr)ijw_node_at(da, "Clienten");
	client = (xmlNodePtr)ijw_node_at(clienten, "Client");
	assert_non_null(client);
	prestatie = (xmlNodePtr)ijw_node_at(client, "Prestaties/Prestatie");
	assert_string_equal(tu_retourcodes(prestatie, buf, sizeof buf), "0611");
	assert_string_equal(tu_retourcodes(client, buf, sizeof buf), "0200");
	/* One client, one prestatie. */
	assert_int_equal(xmlChildElementCount(clienten), 1);
	assert_int_equal(xmlChildElementCount((xmlNodePtr)ijw_node_at(client, "Prestaties")), 1);
	ijw_doc_free(doc);
	ijw_doc_free(ans);
	ijw_findings_free(f);
	ijw_findings_free(g);
	ijw_buf_free(&heen);
	ijw_buf_free(&out);
}

static void
text_is_copied_not_parsed(void **state)
{
	struct ijw_buf b;
	struct answer a;
	char *text, *at;
	const char *comment = "<jw301:Commentaar>A &amp; B &lt;c&gt;</jw301:Commentaar>";

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW301, 2, &b), IJW_OK);
	/* A Commentaar at the end of the last ToegewezenProduct. */
	at = strstr(b.data, "</jw301:ToegewezenProducten>");
	at = at - strlen("</jw301:ToegewezenProduct>") - 1;
	while (*at != '<')
		at--;
	text = malloc(b.len + strlen(comment) + 1);
	snprintf(text, b.len + strlen(comment) + 1, "%.*s%s%s", (int)(at - b.data), b.data, comment,
	         at);
	answer_text(&a, text, strlen(text), NULL);
	assert_non_null(strstr(a.text.data, "<jw302:Commentaar>A &amp; B &lt;c&gt;</jw302:"));
	answer_free(&a);
	free(text);
	ijw_buf_free(&b);
}

static void
what_cannot_be_answered(void **state)
{
	struct ijw_retour_opts ro = {.dagtekening = opts.today};
	ijw_findings *f = ijw_findings_new();
	struct ijw_buf b, out;
	ijw_doc *doc;

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	ijw_buf_init(&out, 1 << 20);
	assert_int_equal(ijw_generate(IJW_JW302, 1, &b), IJW_OK);
	assert_int_equal(ijw_validate(schemas, b.data, b.len, &opts, &doc, f), IJW_OK);
	assert_int_equal(ijw_retour(doc, f, &ro, &out), IJW_EINVAL);
	ijw_doc_free(doc);
	ijw_buf_reset(&b);
	assert_int_equal(ijw_generate(IJW_JW301, 1, &b), IJW_OK);
	assert_int_equal(ijw_validate(schemas, b.data, b.len, &opts, &doc, f), IJW_OK);
	ro.identificatie = "thirteen-char";
	assert_int_equal(ijw_retour(doc, f, &ro, &out), IJW_EINVAL);
	ro.identificatie = "";
	assert_int_equal(ijw_retour(doc, f, &ro, &out), IJW_EINVAL);
	assert_int_equal(out.len, 0);
	ijw_doc_free(doc);
	ijw_findings_free(f);
	ijw_buf_free(&b);
	ijw_buf_free(&out);
}

static int
setup(void **state)
{
	(void)state;
	ijw_validate_opts_init(&opts);
	opts.today = ijw_date_from_ymd(2026, 11, 23);
	return ijw_schemas_new(NULL, &schemas) == IJW_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	ijw_schemas_free(schemas);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepted_message_echoed_with_0200),
	        cmocka_unit_test(identificatie_retour),
	        cmocka_unit_test(record_rejection_marks_the_record),
	        cmocka_unit_test(codes_read_back),
	        cmocka_unit_test(schema_rejection_answers_with_the_header),
	        cmocka_unit_test(future_dagtekening_answered_with_8848),
	        cmocka_unit_test(declaratie_approved_in_full),
	        cmocka_unit_test(declaratie_rejected_as_a_whole),
	        cmocka_unit_test(declaratie_with_one_rejected_prestatie),
	        cmocka_unit_test(text_is_copied_not_parsed),
	        cmocka_unit_test(what_cannot_be_answered),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
