/*
 * test_translate.c: product codes into the region's products and back, the
 * retour translated back into its heen message's codes, and the region's
 * checks on a declaration on both sides of each boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "gw_products.h"
#include "ijw_gen.h"
#include "ijw_retour.h"
#include "ijw_translate.h"
#include "ijw_validate.h"
#include "tu.h"

static ijw_schemas *ours, *official;
static ijw_products *table; /* the built-in one */

/* Every element named name under n, in document order. */
static size_t
elements(xmlNodePtr n, const char *name, xmlNodePtr *out, size_t max)
{
	size_t k = 0;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, name) == 0 && k < max)
			out[k++] = n;
		k += elements(n->children, name, out + k, max - k);
	}
	return k;
}

static void
set_text(xmlNodePtr n, const char *name, const char *value)
{
	xmlNodePtr c = (xmlNodePtr)ijw_node_at(n, name);

	assert_non_null(c);
	xmlNodeSetContent(c, (const xmlChar *)value);
}

/* The product (category and code) of a Product or Prestatie element. */
static void
product_of(xmlNodePtr n, char *cat, char *code)
{
	bool prestatie = strcmp((const char *)n->name, "Prestatie") == 0;
	xmlChar *a = xmlNodeGetContent(
	        (xmlNodePtr)ijw_node_at(n, prestatie ? "ProductCategorie" : "Categorie"));
	xmlChar *b =
	        xmlNodeGetContent((xmlNodePtr)ijw_node_at(n, prestatie ? "ProductCode" : "Code"));

	snprintf(cat, 3, "%s", (const char *)a);
	snprintf(code, 6, "%s", (const char *)b);
	xmlFree(a);
	xmlFree(b);
}

/* Products of a message: Product elements, or the Prestaties of a declaration. */
static size_t
products(xmlDocPtr d, xmlNodePtr *out, size_t max)
{
	size_t n = elements(xmlDocGetRootElement(d), "Product", out, max);

	return n ? n : elements(xmlDocGetRootElement(d), "Prestatie", out, max);
}

/* A generated message of type with every product set to (cat, code). */
static xmlDocPtr
message(enum ijw_type type, uint64_t seed, const char *cat, const char *code)
{
	struct ijw_gen_opts o = {.seed = seed, .gemeente = "0384", .aanbieder = "42420001"};
	struct ijw_buf b;
	xmlNodePtr p[64];
	xmlDocPtr d;
	size_t n;

	ijw_buf_init(&b, 1u << 24);
	assert_int_equal(ijw_generate_opts(type, &o, &b), IJW_OK);
	d = xmlReadMemory(b.data, (int)b.len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(d);
	ijw_buf_free(&b);
	n = products(d, p, 64);
	for (size_t i = 0; i < n && cat; i++) {
		bool prestatie = strcmp((const char *)p[i]->name, "Prestatie") == 0;

		set_text(p[i], prestatie ? "ProductCategorie" : "Categorie", cat);
		set_text(p[i], prestatie ? "ProductCode" : "Code", code);
	}
	return d;
}

/* The same, of the first seed from seed on whose message has products at all. */
static xmlDocPtr
with_products_from(enum ijw_type type, uint64_t seed, const char *cat, const char *code)
{
	xmlNodePtr p[64];

	for (uint64_t s = seed; s < seed + 100; s++) {
		xmlDocPtr d = message(type, s, cat, code);

		if (products(d, p, 64))
			return d;
		xmlFreeDoc(d);
	}
	fail_msg("no %s of seeds %llu and on has products", ijw_msgdef(type)->name,
	         (unsigned long long)seed);
	return NULL;
}

static ijw_doc *
doc_of(xmlDocPtr d)
{
	xmlChar *mem;
	int len;
	ijw_doc *doc = NULL;
	ijw_findings *f = ijw_findings_new();

	xmlDocDumpMemoryEnc(d, &mem, &len, "UTF-8");
	assert_int_equal(ijw_doc_parse(mem, (size_t)len, NULL, &doc, f), IJW_OK);
	assert_non_null(doc);
	xmlFree(mem);
	ijw_findings_free(f);
	return doc;
}

/* The bytes must be a message the schemas accept: ours and, when present, the official ones. */
static void
assert_valid(const struct ijw_buf *b)
{
	ijw_schemas *sets[] = {ours, official};
	struct ijw_validate_opts o;

	ijw_validate_opts_init(&o);
	o.rules = false;
	for (size_t i = 0; i < 2; i++) {
		ijw_findings *f;

		if (!sets[i])
			continue;
		f = ijw_findings_new();
		assert_int_equal(ijw_validate(sets[i], b->data, b->len, &o, NULL, f), IJW_OK);
		if (ijw_findings_count(f))
			fail_msg("%s schemas: %s %s", i ? "official" : "our",
			         ijw_findings_get(f, 0)->xpath, ijw_findings_get(f, 0)->text);
		ijw_findings_free(f);
	}
}

/* Every product of the message in b is (cat, code); returns how many there are. */
static size_t
all_products(const struct ijw_buf *b, const char *cat, const char *code)
{
	xmlDocPtr d = xmlReadMemory(b->data, (int)b->len, NULL, NULL, XML_PARSE_NONET);
	xmlNodePtr p[64];
	size_t n;

	assert_non_null(d);
	n = products(d, p, 64);
	for (size_t i = 0; i < n; i++) {
		char c[3], k[6];

		product_of(p[i], c, k);
		if (strcmp(c, cat) || strcmp(k, code))
			fail_msg("product %zu is %s %s, not %s %s", i, c, k, cat, code);
	}
	xmlFreeDoc(d);
	return n;
}

/* Translates the message into to; the findings in f, the result in out. */
static bool
translate(xmlDocPtr d, enum ijw_vocabulary to, struct ijw_buf *out, ijw_findings *f)
{
	ijw_doc *doc = doc_of(d);
	bool changed;

	ijw_buf_init(out, 1u << 24);
	assert_int_equal(ijw_translate(doc, table, to, NULL, out, f, &changed), IJW_OK);
	ijw_doc_free(doc);
	return changed;
}

static const enum ijw_type with_products[] = {IJW_JW301, IJW_JW305, IJW_JW307, IJW_JW315,
                                              IJW_JW317, IJW_JW323, IJW_JW325};

/* National codes into the region's products, in every message that carries products. */
static void
legacy_to_profile(void **state)
{
	const struct ijw_combination *c = ijw_products_legacy(table, "45", "45A07")->to;

	(void)state;
	for (size_t t = 0; t < sizeof with_products / sizeof with_products[0]; t++) {
		xmlDocPtr d = with_products_from(with_products[t], 2, "45", "45A07");
		ijw_findings *f = ijw_findings_new();
		struct ijw_buf out;

		if (!translate(d, IJW_PROFILE, &out, f) || ijw_findings_count(f))
			fail_msg("%s: not translated", ijw_msgdef(with_products[t])->name);
		if (all_products(&out, c->categorie, c->code) == 0)
			fail_msg("%s has no products", ijw_msgdef(with_products[t])->name);
		assert_valid(&out);
		ijw_buf_free(&out);
		ijw_findings_free(f);
		xmlFreeDoc(d);
	}
}

/* The region's products into the national code each combination names. */
static void
profile_to_legacy(void **state)
{
	const struct ijw_combination *c = ijw_products_combination(table, "2P");

	(void)state;
	assert_string_not_equal(c->legacy_code, "");
	for (size_t t = 0; t < sizeof with_products / sizeof with_products[0]; t++) {
		xmlDocPtr d = with_products_from(with_products[t], 2, c->categorie, c->code);
		ijw_findings *f = ijw_findings_new();
		struct ijw_buf out;

		assert_true(translate(d, IJW_LEGACY, &out, f));
		assert_int_equal(ijw_findings_count(f), 0);
		assert_true(all_products(&out, c->legacy_categorie, c->legacy_code) > 0);
		assert_valid(&out);
		ijw_buf_free(&out);
		ijw_findings_free(f);
		xmlFreeDoc(d);
	}
}

/* Codes already in the wanted vocabulary stay; the bytes may be rewritten, not the codes. */
static void
already_there(void **state)
{
	const struct ijw_combination *c = ijw_products_combination(table, "2P");
	const struct {
		const char *cat, *code;
		enum ijw_vocabulary to;
	} cases[] = {
	        {"45", "45A07", IJW_LEGACY},
	        {"31", "31A01", IJW_LEGACY}, /* national, not in the region's table */
	        {c->categorie, c->code, IJW_PROFILE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xmlDocPtr d = with_products_from(IJW_JW301, 4, cases[i].cat, cases[i].code);
		ijw_findings *f = ijw_findings_new();
		struct ijw_buf out;

		assert_false(translate(d, cases[i].to, &out, f));
		assert_int_equal(ijw_findings_count(f), 0);
		assert_true(all_products(&out, cases[i].cat, cases[i].code) > 0);
		ijw_buf_free(&out);
		ijw_findings_free(f);
		xmlFreeDoc(d);
	}
}

/* What cannot be translated is TR381 (S329) at each product, with the reason. */
static void
untranslatable(void **state)
{
	const struct ijw_legacy *unmapped = NULL;
	const struct ijw_combination *bare = NULL;

	(void)state;
	for (size_t i = 0; !unmapped && i < ijw_products_nlegacy(table); i++)
		if (!ijw_products_legacy_at(table, i)->to)
			unmapped = ijw_products_legacy_at(table, i);
	for (size_t i = 0; !bare && i < ijw_products_ncombinations(table); i++)
		if (!ijw_products_combination_at(table, i)->legacy_code[0])
			bare = ijw_products_combination_at(table, i);
	assert_non_null(unmapped);
	assert_non_null(bare);

	const struct {
		const char *cat, *code;
		enum ijw_vocabulary to;
		const char *says;
	} cases[] = {
	        {unmapped->categorie, unmapped->code, IJW_PROFILE, unmapped->reason},
	        {"45", "45Z99", IJW_PROFILE, "the region's table does not list it"},
	        {bare->categorie, bare->code, IJW_LEGACY, "names no national product"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xmlDocPtr d = with_products_from(IJW_JW301, 5, cases[i].cat, cases[i].code);
		ijw_findings *f = ijw_findings_new();
		struct ijw_buf out;
		xmlNodePtr p[64];
		size_t n = products(d, p, 64);

		assert_false(translate(d, cases[i].to, &out, f));
		assert_int_equal(ijw_findings_count(f), n);
		for (size_t k = 0; k < n; k++) {
			const struct ijw_finding *it = ijw_findings_get(f, k);

			assert_string_equal(it->rule, "TR381");
			assert_string_equal(it->retourcode, "S329");
			if (!strstr(it->xpath, ":Product"))
				fail_msg("xpath %s", it->xpath);
			assert_non_null(strstr(it->text, cases[i].code));
			if (!strstr(it->text, cases[i].says))
				fail_msg("'%s' does not say '%s'", it->text, cases[i].says);
		}
		ijw_buf_free(&out);
		ijw_findings_free(f);
		xmlFreeDoc(d);
	}
}

/*
 * The receiver answers the translated message with its own codes; the retour
 * goes back to the sender in the codes the sender wrote, and stays valid.
 */
static void
retour_back(void **state)
{
	const enum ijw_type heen_types[] = {IJW_JW301, IJW_JW305, IJW_JW307,
	                                    IJW_JW315, IJW_JW317, IJW_JW323};

	(void)state;
	for (size_t t = 0; t < sizeof heen_types / sizeof heen_types[0]; t++) {
		/* mixed codes: the sender's own, each to be restored */
		xmlDocPtr d = with_products_from(heen_types[t], 6, NULL, NULL);
		xmlNodePtr p[64];
		size_t n = products(d, p, 64);
		const char *codes[][2] = {{"45", "45A07"}, {"43", "43A09"}, {"41", "41A01"}};
		ijw_findings *f = ijw_findings_new();
		struct ijw_retour_opts ro = {.identificatie = "R1", .dagtekening = ijw_today()};
		ijw_doc *heen, *copy, *retour, *back;
		struct ijw_buf out, answer, restored;

		for (size_t i = 0; i < n; i++) {
			bool prestatie = strcmp((const char *)p[i]->name, "Prestatie") == 0;

			set_text(p[i], prestatie ? "ProductCategorie" : "Categorie",
			         codes[i % 3][0]);
			set_text(p[i], prestatie ? "ProductCode" : "Code", codes[i % 3][1]);
		}
		heen = doc_of(d);
		assert_true(translate(d, IJW_PROFILE, &out, f));
		assert_int_equal(ijw_findings_count(f), 0);
		assert_int_equal(ijw_doc_parse(out.data, out.len, NULL, &copy, f), IJW_OK);
		/*
		 * The receiver's back office answers what it got; a declaration's
		 * answer lists only the prestaties it rejects, so it rejects them all.
		 */
		for (size_t i = 0; i < ijw_doc_nrecords(copy); i++)
			if (!strcmp(ijw_doc_record(copy, i)->level, "Prestatie"))
				assert_int_equal(
				        ijw_findings_add_node(f, ijw_doc_record(copy, i)->node,
				                              "TR418", "0611", "too much"),
				        IJW_OK);
		ijw_buf_init(&answer, 1u << 24);
		assert_int_equal(ijw_retour(copy, f, &ro, &answer), IJW_OK);
		assert_int_equal(ijw_doc_parse(answer.data, answer.len, NULL, &retour, f), IJW_OK);
		ijw_buf_init(&restored, 1u << 24);
		assert_int_equal(ijw_translate_back(retour, heen, &restored), IJW_OK);
		assert_valid(&restored);
		assert_int_equal(ijw_doc_parse(restored.data, restored.len, NULL, &back, f),
		                 IJW_OK);
		{
			/* product by product, the sender's own codes again, in order */
			xmlNodePtr q[64];
			size_t m = products(ijw_doc_xml(back), q, 64);

			if (m == 0)
				fail_msg("%s has no products",
				         ijw_msgdef(ijw_doc_type(back))->name);
			assert_int_equal(m, n);
			for (size_t i = 0; i < m; i++) {
				char c[3], code[6];

				product_of(q[i], c, code);
				if (strcmp(c, codes[i % 3][0]) || strcmp(code, codes[i % 3][1]))
					fail_msg("%s: product %zu is %s %s, not %s %s",
					         ijw_msgdef(ijw_doc_type(back))->name, i, c, code,
					         codes[i % 3][0], codes[i % 3][1]);
			}
		}
		ijw_doc_free(heen);
		ijw_doc_free(copy);
		ijw_doc_free(retour);
		ijw_doc_free(back);
		ijw_buf_free(&out);
		ijw_buf_free(&answer);
		ijw_buf_free(&restored);
		ijw_findings_free(f);
		xmlFreeDoc(d);
	}
}

/* ---- the region's checks on a declaration ---- */

static const char policy_table[] = "[region]\nname = R\nintensity L = licht\n"
                                   "tariffs = contract\ncheck_tariff = %s\n"
                                   "check_day_price = %s\n"
                                   "[profile 1]\nname = Een\n"
                                   "[combination 1L]\nsegment = B\ncategory = 45\n"
                                   "code = RT01L\nunit = 82\ntariff = 150000\n"
                                   "tariff_levels = 100000 150000\n"
                                   "[profile 2]\nname = Twee\n"
                                   "[combination 2L]\nsegment = C\ncategory = 43\n"
                                   "code = RT02L\nunit = 14\nday_price = 25000\n"
                                   "[legacy]\n45 45A07 = 1L\n";

static ijw_products *
checks(const char *tariff, const char *day)
{
	char text[1024], err[256];
	ijw_products *p = NULL;

	snprintf(text, sizeof text, policy_table, tariff, day);
	if (ijw_products_parse(text, strlen(text), "policy.ini", &p, err, sizeof err))
		fail_msg("%s", err);
	return p;
}

/* A declaration of one prestatie with these values. */
static ijw_doc *
declaration(const char *cat, const char *code, const char *eenheid, const char *tarief,
            const char *volume, const char *bedrag, const char *begin, const char *end)
{
	xmlDocPtr d = message(IJW_JW323, 7, NULL, NULL);
	xmlNodePtr p[64], periode;
	ijw_doc *doc;

	assert_true(products(d, p, 64) >= 1);
	set_text(p[0], "ProductCategorie", cat);
	set_text(p[0], "ProductCode", code);
	set_text(p[0], "Eenheid", eenheid);
	set_text(p[0], "ProductTarief", tarief);
	set_text(p[0], "GeleverdVolume", volume);
	set_text((xmlNodePtr)ijw_node_at(p[0], "IngediendBedrag"), "Bedrag", bedrag);
	periode = (xmlNodePtr)ijw_node_at(p[0], "ProductPeriode");
	set_text(periode, "Begindatum", begin);
	set_text(periode, "Einddatum", end);
	/* the other prestaties: products the region's table does not know */
	for (size_t i = 1; i < products(d, p, 64); i++) {
		set_text(p[i], "ProductCategorie", "31");
		set_text(p[i], "ProductCode", "31A01");
	}
	doc = doc_of(d);
	xmlFreeDoc(d);
	return doc;
}

/*
 * Each check on both sides of its boundary, in each of its modes. A row:
 * the modes of check_tariff and check_day_price, the prestatie, and the rule
 * of the one finding expected ("" for none) and where it goes.
 */
static void
policy_checks(void **state)
{
	static const struct {
		const char *tariff, *day;
		const char *cat, *code, *eenheid, *tarief, *volume, *bedrag, *end;
		const char *rule, *where;
	} rows[] = {
	        /* the contractual tariff exactly, one of its levels, and one cent over */
	        {"enforce", "off", "45", "RT01L", "82", "150000", "1", "150000", "2025-11-30", "",
	         ""},
	        {"enforce", "off", "45", "RT01L", "82", "100000", "1", "100000", "2025-11-30", "",
	         ""},
	        {"enforce", "off", "45", "RT01L", "82", "150001", "1", "150001", "2025-11-30",
	         "TR418", "enforced"},
	        /* a national code that maps to the combination is held to its tariff */
	        {"enforce", "off", "45", "45A07", "82", "150001", "1", "150001", "2025-11-30",
	         "TR418", "enforced"},
	        {"advise", "off", "45", "RT01L", "82", "150001", "1", "150001", "2025-11-30",
	         "TR418", "advised"},
	        {"off", "enforce", "45", "RT01L", "82", "150001", "1", "150001", "2025-11-30", "",
	         ""},
	        /* 10 care days of a period of 10 days at 250.00: 2500.00, then a cent over */
	        {"off", "enforce", "43", "RT02L", "14", "25000", "10", "250000", "2025-11-10", "",
	         ""},
	        {"off", "enforce", "43", "RT02L", "14", "25000", "10", "250001", "2025-11-10",
	         "DAGPRIJS", "enforced"},
	        /* fewer days than the period holds, and one more */
	        {"off", "enforce", "43", "RT02L", "14", "25000", "9", "225000", "2025-11-10", "",
	         ""},
	        {"off", "enforce", "43", "RT02L", "14", "25000", "11", "275000", "2025-11-10",
	         "DAGPRIJS", "enforced"},
	        /* a day price is declared per etmaal */
	        {"off", "enforce", "43", "RT02L", "82", "25000", "10", "250000", "2025-11-10",
	         "DAGPRIJS", "enforced"},
	        {"enforce", "advise", "43", "RT02L", "14", "25000", "10", "250001", "2025-11-10",
	         "DAGPRIJS", "advised"},
	        {"enforce", "off", "43", "RT02L", "14", "25000", "10", "250001", "2025-11-10", "",
	         ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ijw_products *p = checks(rows[i].tariff, rows[i].day);
		ijw_doc *doc =
		        declaration(rows[i].cat, rows[i].code, rows[i].eenheid, rows[i].tarief,
		                    rows[i].volume, rows[i].bedrag, "2025-11-01", rows[i].end);
		ijw_findings *enforced = ijw_findings_new(), *advised = ijw_findings_new();
		ijw_findings *f;
		const char *where;

		assert_int_equal(ijw_policy_check(doc, p, enforced, advised), IJW_OK);
		assert_true(ijw_findings_count(enforced) + ijw_findings_count(advised) <= 1);
		f = ijw_findings_count(enforced) ? enforced : advised;
		where = ijw_findings_count(enforced)  ? "enforced"
		        : ijw_findings_count(advised) ? "advised"
		                                      : "";
		if (strcmp(where, rows[i].where) ||
		    strcmp(ijw_findings_count(f) ? ijw_findings_get(f, 0)->rule : "", rows[i].rule))
			fail_msg("row %zu: wanted '%s' %s, got '%s' %s", i, rows[i].rule,
			         rows[i].where,
			         ijw_findings_count(f) ? ijw_findings_get(f, 0)->rule : "", where);
		if (ijw_findings_count(f)) {
			assert_string_equal(ijw_findings_get(f, 0)->retourcode, "0611");
			assert_non_null(strstr(ijw_findings_get(f, 0)->xpath, ":Prestatie"));
		}
		ijw_findings_free(enforced);
		ijw_findings_free(advised);
		ijw_doc_free(doc);
		ijw_products_free(p);
	}
}

static int
setup(void **state)
{
	char err[512];

	(void)state;
	if (ijw_schemas_new(NULL, &ours))
		return -1;
	if (tu_official_xsd() && ijw_schemas_new(tu_official_xsd(), &official))
		return -1;
	if (!official)
		printf("the official XSDs are absent: translations are checked against ours "
		       "only\n");
	return (table = gw_products_load(NULL, err, sizeof err)) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	ijw_schemas_free(ours);
	ijw_schemas_free(official);
	ijw_products_free(table);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(legacy_to_profile), cmocka_unit_test(profile_to_legacy),
	        cmocka_unit_test(already_there),     cmocka_unit_test(untranslatable),
	        cmocka_unit_test(retour_back),       cmocka_unit_test(policy_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
