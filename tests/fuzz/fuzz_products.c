/*
 * fuzz_products.c: libFuzzer target over the reader of a region's product
 * table (conf/products/), and the look-ups the gateway makes in one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ijw_products.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ijw_products *p;
	char err[1024];
	ijw_rc rc = ijw_products_parse((const char *)data, size, "fuzz.ini", &p, err, sizeof err);

	if (rc == IJW_EINVAL) {
		if (strncmp(err, "fuzz.ini:", 9) != 0)
			abort();
		return 0;
	}
	if (rc)
		abort();
	for (size_t i = 0; i < ijw_products_ncombinations(p); i++) {
		const struct ijw_combination *c = ijw_products_combination_at(p, i);

		if (!ijw_products_combination(p, c->id) ||
		    !ijw_products_regional(p, c->categorie, c->code) ||
		    !ijw_products_profile(p, c->profile) ||
		    !ijw_products_intensity(p, c->intensity) || c->nlevels > IJW_MAX_LEVELS)
			abort();
		ijw_products_ceiling(p, "42420001", 2026, c->profile);
	}
	for (size_t i = 0; i < ijw_products_nlegacy(p); i++) {
		const struct ijw_legacy *l = ijw_products_legacy_at(p, i);

		if (!ijw_products_legacy(p, l->categorie, l->code) || (!l->to && !l->reason[0]))
			abort();
	}
	ijw_products_policy(p);
	ijw_products_region(p);
	ijw_products_free(p);
	return 0;
}
