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
	static const struct ijw_limits lim = {1u << 20, 32};
	ijw_doc *doc = NULL;

	if (!schemas && (ijw_schemas_new(NULL, &schemas) || ijw_schemas_load_all(schemas)))
		abort();
	if (!findings && !(findings = ijw_findings_new()))
		abort();
	ijw_findings_clear(findings);
	if (ijw_validate(schemas, data, size, &lim, &doc, findings) != IJW_OK)
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
