/*
 * fuzz_validate.c: libFuzzer target over the whole message pipeline of the
 * codecs: parse (with the hostile-input guards), classify, build the typed
 * view and validate against the built-in schemas.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ijw_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ijw_schemas *schemas;
	static ijw_findings *findings;
	static struct ijw_validate_opts opts;
	ijw_doc *doc = NULL;

	if (!schemas) {
		if (ijw_schemas_new(NULL, &schemas) || ijw_schemas_load_all(schemas))
			abort();
		ijw_validate_opts_init(&opts);
		opts.limits.max_bytes = 1u << 20;
		/* A fixed day, so that a crash replays the same way later. */
		opts.today = ijw_date_from_ymd(2026, 11, 23);
	}
	if (!findings && !(findings = ijw_findings_new()))
		abort();
	ijw_findings_clear(findings);
	if (ijw_validate(schemas, data, size, &opts, &doc, findings) != IJW_OK)
		abort();
	if (doc) {
		/* Touch every record, so that a bad index or pointer shows. */
		size_t n = ijw_doc_nrecords(doc), sum = 0;

		for (size_t i = 0; i < n; i++) {
			const struct ijw_record *r = ijw_doc_record(doc, i);

			if (r->parent >= (int)i)
				abort();
			sum += r->level[0] + (size_t)r->bsn[0] + (size_t)r->productcode[0];
		}
		if (n && !sum)
			abort();
		ijw_doc_free(doc);
	}
	return 0;
}
