/*
 * test_gen.c: generated messages are valid, realistic and reproducible.
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
#include "ijw_value.h"
#include "tu.h"

#define SEEDS 100

static void
generate(enum ijw_type t, uint64_t seed, struct ijw_buf *b)
{
	ijw_buf_reset(b);
	assert_int_equal(ijw_generate(t, seed, b), IJW_OK);
}

static void
assert_accepted(ijw_schemas *s, enum ijw_type t, uint64_t seed, const struct ijw_buf *b,
                ijw_findings *f, const char *which)
{
	ijw_findings_clear(f);
	assert_int_equal(ijw_validate(s, b->data, b->len, NULL, NULL, f), IJW_OK);
	if (ijw_findings_count(f))
		fail_msg("%s seed %llu rejected by the %s schemas: %s: %s", ijw_msgdef(t)->name,
		         (unsigned long long)seed, which, ijw_findings_get(f, 0)->xpath,
		         ijw_findings_get(f, 0)->text);
}

static void
every_type_validates(ijw_schemas *s, const char *which)
{
	ijw_findings *f = ijw_findings_new();
	struct ijw_buf b;
	int n = 0;

	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++)
		for (uint64_t seed = 1; seed <= SEEDS; seed++, n++) {
			generate(t, seed, &b);
			assert_accepted(s, t, seed, &b, f, which);
		}
	assert_int_equal(n, 14 * SEEDS);
	ijw_buf_free(&b);
	ijw_findings_free(f);
}

static void
valid_against_builtin_schemas(void **state)
{
	ijw_schemas *s;

	(void)state;
	assert_int_equal(ijw_schemas_new(NULL, &s), IJW_OK);
	every_type_validates(s, "built-in");
	ijw_schemas_free(s);
}

static void
valid_against_official_schemas(void **state)
{
	ijw_schemas *s;

	(void)state;
	if (!tu_official_xsd()) {
		fprintf(stderr, "note: ../shared is absent; skipping the official schemas\n");
		skip();
	}
	assert_int_equal(ijw_schemas_new(tu_official_xsd(), &s), IJW_OK);
	every_type_validates(s, "official");
	ijw_schemas_free(s);
}

static void
same_seed_same_bytes_other_seed_other_message(void **state)
{
	struct ijw_buf a, b;

	(void)state;
	ijw_buf_init(&a, 4 << 20);
	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		generate(t, 42, &a);
		generate(t, 42, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		generate(t, 43, &b);
		assert_true(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
	}
	assert_int_equal(ijw_generate(IJW_TYPE_NONE, 1, &a), IJW_EINVAL);
	ijw_buf_free(&a);
	ijw_buf_free(&b);
}

static void
no_two_seeds_alike(void **state)
{
	struct ijw_buf b;
	char *seen[SEEDS];

	(void)state;
	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		for (int i = 0; i < SEEDS; i++) {
			generate(t, (uint64_t)i, &b);
			seen[i] = strdup(b.data);
			for (int j = 0; j < i; j++)
				if (strcmp(seen[i], seen[j]) == 0)
					fail_msg("%s: seeds %d and %d give the same message",
					         ijw_msgdef(t)->name, j, i);
		}
		for (int i = 0; i < SEEDS; i++)
			free(seen[i]);
	}
	ijw_buf_free(&b);
}

/* Parses b into a document with the typed view. */
static ijw_doc *
parsed(const struct ijw_buf *b)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;

	assert_int_equal(ijw_doc_parse(b->data, b->len, NULL, &doc, f), IJW_OK);
	assert_non_null(doc);
	ijw_findings_free(f);
	return doc;
}

static bool
digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

static void
realistic_values(void **state)
{
	struct ijw_buf b;
	int bsns = 0, products = 0;

	(void)state;
	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		const struct ijw_msgdef *def = ijw_msgdef(t);

		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			ijw_doc *doc;
			const struct ijw_header *h;
			ijw_day dag, begin, end;

			generate(t, seed, &b);
			doc = parsed(&b);
			h = ijw_doc_header(doc);
			assert_int_equal(ijw_doc_type(doc), t);
			assert_string_equal(h->berichtcode, def->code);
			assert_true(digits(h->afzender, def->afzender == IJW_GEMEENTE ? 4 : 8));
			assert_true(digits(h->ontvanger, def->ontvanger == IJW_GEMEENTE ? 4 : 8));
			assert_true(ijw_date_parse(h->dagtekening, &dag));
			for (size_t i = 0; i < ijw_doc_nrecords(doc); i++) {
				const struct ijw_record *r = ijw_doc_record(doc, i);

				if (r->bsn[0]) {
					assert_true(ijw_bsn_valid(r->bsn));
					bsns++;
				}
				if (r->productcode[0]) {
					/* A national code starts with its category. */
					assert_memory_equal(r->productcode, r->categorie, 2);
					products++;
				}
				if (r->begindatum[0] && r->einddatum[0]) {
					assert_true(ijw_date_parse(r->begindatum, &begin));
					assert_true(ijw_date_parse(r->einddatum, &end));
					assert_true(begin <= end);
				}
			}
			ijw_doc_free(doc);
		}
	}
	assert_true(bsns > 14 * SEEDS / 2);
	assert_true(products > 14 * SEEDS / 2);
	ijw_buf_free(&b);
}

/* The retour of a seed answers the heen message of the same seed. */
static void
retour_echoes_heen(void **state)
{
	struct ijw_buf heen, retour;

	(void)state;
	ijw_buf_init(&heen, 4 << 20);
	ijw_buf_init(&retour, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		const struct ijw_msgdef *def = ijw_msgdef(t);

		if (def->retour)
			continue;
		for (uint64_t seed = 1; seed <= 20; seed++) {
			ijw_doc *h, *r;
			const struct ijw_record *hr, *rr;

			generate(t, seed, &heen);
			generate(def->pair, seed, &retour);
			h = parsed(&heen);
			r = parsed(&retour);
			if (t == IJW_JW323) {
				/* The answer repeats the declared total. */
				hr = ijw_doc_record(h, 0);
				rr = ijw_doc_record(r, 0);
				assert_string_equal(rr->level, "DeclaratieAntwoord");
				assert_int_equal(rr->bedrag, hr->bedrag);
			} else {
				assert_string_equal(ijw_doc_header(r)->identificatie,
				                    ijw_doc_header(h)->identificatie);
				assert_string_equal(ijw_doc_header(r)->afzender,
				                    ijw_doc_header(h)->afzender);
				/* Either rejected whole (no records) or all echoed. */
				if (ijw_doc_nrecords(r)) {
					assert_int_equal(ijw_doc_nrecords(r), ijw_doc_nrecords(h));
					for (size_t i = 0; i < ijw_doc_nrecords(h); i++) {
						hr = ijw_doc_record(h, i);
						rr = ijw_doc_record(r, i);
						assert_string_equal(rr->level, hr->level);
						assert_string_equal(rr->bsn, hr->bsn);
						assert_string_equal(rr->productcode,
						                    hr->productcode);
					}
				}
			}
			ijw_doc_free(h);
			ijw_doc_free(r);
		}
	}
	ijw_buf_free(&heen);
	ijw_buf_free(&retour);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A declaration of thousands of clients: valid, every rule kept, BSNs unique. */
static void
large_declaration(void **state)
{
	enum { CLIENTS = 3000 };
	struct ijw_gen_opts big = {.seed = 7, .clients = CLIENTS};
	ijw_findings *f = ijw_findings_new();
	const char **bsn = calloc(CLIENTS, sizeof *bsn);
	struct ijw_buf b;
	ijw_schemas *s;
	ijw_doc *doc;
	size_t n = 0;

	(void)state;
	ijw_buf_init(&b, 64u << 20);
	assert_int_equal(ijw_schemas_new(NULL, &s), IJW_OK);
	assert_int_equal(ijw_generate_opts(IJW_JW323, &big, &b), IJW_OK);
	assert_int_equal(ijw_validate(s, b.data, b.len, NULL, &doc, f), IJW_OK);
	if (ijw_findings_count(f))
		fail_msg("%s: %s", ijw_findings_get(f, 0)->rule, ijw_findings_get(f, 0)->text);
	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++)
		if (strcmp(ijw_doc_record(doc, i)->level, "Client") == 0) {
			assert_true(n < CLIENTS);
			bsn[n++] = ijw_doc_record(doc, i)->bsn;
		}
	assert_int_equal(n, CLIENTS);
	qsort(bsn, n, sizeof *bsn, by_string);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(bsn[i - 1], bsn[i]);
	ijw_doc_free(doc);
	ijw_buf_reset(&b);
	assert_int_equal(ijw_generate_opts(IJW_JW325, &big, &b), IJW_OK);
	ijw_findings_clear(f);
	assert_int_equal(ijw_validate(s, b.data, b.len, NULL, NULL, f), IJW_OK);
	assert_int_equal(ijw_findings_count(f), 0);
	assert_int_equal(ijw_generate_opts(IJW_JW301, &big, &b), IJW_EINVAL);
	big.clients = IJW_GEN_MAX_CLIENTS + 1;
	assert_int_equal(ijw_generate_opts(IJW_JW323, &big, &b), IJW_EINVAL);
	free(bsn);
	ijw_schemas_free(s);
	ijw_findings_free(f);
	ijw_buf_free(&b);
}

/* Chosen parties appear in the header, as sender or receiver as the type says. */
static void
chosen_parties(void **state)
{
	struct ijw_gen_opts o = {.seed = 3, .gemeente = "0384", .aanbieder = "42420001"};
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		const struct ijw_msgdef *def = ijw_msgdef(t);
		ijw_doc *doc;

		ijw_buf_reset(&b);
		assert_int_equal(ijw_generate_opts(t, &o, &b), IJW_OK);
		doc = parsed(&b);
		assert_string_equal(ijw_doc_header(doc)->afzender,
		                    def->afzender == IJW_GEMEENTE ? "0384" : "42420001");
		assert_string_equal(ijw_doc_header(doc)->ontvanger,
		                    def->ontvanger == IJW_GEMEENTE ? "0384" : "42420001");
		ijw_doc_free(doc);
	}
	o.gemeente = "384";
	assert_int_equal(ijw_generate_opts(IJW_JW301, &o, &b), IJW_EINVAL);
	o.gemeente = NULL;
	o.aanbieder = "4242000X";
	assert_int_equal(ijw_generate_opts(IJW_JW301, &o, &b), IJW_EINVAL);
	ijw_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_against_builtin_schemas),
	        cmocka_unit_test(valid_against_official_schemas),
	        cmocka_unit_test(same_seed_same_bytes_other_seed_other_message),
	        cmocka_unit_test(no_two_seeds_alike),
	        cmocka_unit_test(realistic_values),
	        cmocka_unit_test(retour_echoes_heen),
	        cmocka_unit_test(large_declaration),
	        cmocka_unit_test(chosen_parties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
