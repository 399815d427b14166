/*
 * fuzz_ledger.c: libFuzzer target over the ledger, which reads earlier
 * messages (`validate --history`, `ledger import`) and judges each new one
 * by the cross-message rules. The input is a sequence of messages, each
 * beginning with its XML declaration; each is judged as `validate
 * --history` judges it, with the product table of the policy scenarios
 * (every policy check enforced), and joins the ledger when it is accepted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_history.h"
#include "gw_products.h"
#include "ijw_ledger.h"
#include "ijw_translate.h"
#include "tu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGES 8

static const char declaration[] = "<?xml";

/* Where the next message after the one at p begins: end when none. */
static const uint8_t *
next_message(const uint8_t *p, const uint8_t *end)
{
	for (const uint8_t *q = p + 1; q + strlen(declaration) <= end; q++)
		if (memcmp(q, declaration, strlen(declaration)) == 0)
			return q;
	return end;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ijw_schemas *schemas;
	static ijw_products *products;
	static struct ijw_validate_opts opts;
	const uint8_t *at = data, *end = data + size;
	struct ijw_ledger_opts lo;
	struct ijw_ledger ledger;
	ijw_findings *findings = ijw_findings_new(), *advice = ijw_findings_new();
	gw_store *store;
	char err[512];

	if (!schemas) {
		char path[1024];

		snprintf(path, sizeof path, "%s/tests/scenarios/PLAFOND-JW323/products.ini",
		         tu_source_dir());
		if (ijw_schemas_new(NULL, &schemas) || ijw_schemas_load_all(schemas) ||
		    !(products = gw_products_load(path, err, sizeof err)))
			abort();
		ijw_validate_opts_init(&opts);
		opts.limits.max_bytes = 1u << 20;
		/* A fixed day, so that a crash replays the same way later. */
		opts.today = ijw_date_from_ymd(2026, 11, 23);
	}
	lo = (struct ijw_ledger_opts){.products = products, .today = opts.today};
	if (!findings || !advice || !(store = gw_history_store(products, err, sizeof err)))
		abort();
	gw_store_ledger(store, &ledger);
	if (gw_store_begin(store))
		abort();
	for (int64_t n = 1; at < end && n <= MAX_MESSAGES; n++) {
		const uint8_t *next = next_message(at, end);
		ijw_doc *doc = NULL;

		ijw_findings_clear(findings);
		ijw_findings_clear(advice);
		if (ijw_validate(schemas, at, (size_t)(next - at), &opts, &doc, findings))
			abort();
		if (doc && !ijw_findings_count(findings)) {
			if ((ijw_doc_type(doc) == IJW_JW323 &&
			     ijw_policy_check(doc, products, findings, advice)) ||
			    ijw_ledger_check(&ledger, doc, &lo, findings, advice) ||
			    (!ijw_findings_count(findings) &&
			     ijw_ledger_apply(&ledger, doc, n, &lo)))
				abort();
		}
		ijw_doc_free(doc);
		at = next;
	}
	if (gw_store_commit(store))
		abort();
	gw_store_close(store);
	ijw_findings_free(findings);
	ijw_findings_free(advice);
	return 0;
}
