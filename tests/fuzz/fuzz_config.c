/*
 * fuzz_config.c: libFuzzer target over the configuration reader: the input
 * is a gateway.ini, read by gw_config_load() as `serve` reads one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gw_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("gateway.ini", data, size);
	struct gw_config *c;
	char err[2048];

	if (!gw_config_load(path, &c, err, sizeof err)) {
		/* Every problem is reported, and names the file. */
		if (strncmp(err, path, strlen(path)) != 0)
			abort();
		return 0;
	}
	if (!c->nparties)
		abort();
	for (size_t i = 0; i < c->nparties; i++) {
		const struct gw_party *p = &c->parties[i];
		size_t len = strlen(p->code);

		if (gw_config_party(c, p->code) != p || (len != 4 && len != 8) || !p->ncert_ids ||
		    p->ncert_ids > GW_CERT_IDS_MAX || !p->cert_ids[0][0] ||
		    p->cross_checks == GW_CROSS_DEFAULT ||
		    (p->product_codes != GW_CODES_BOTH && !c->products))
			abort();
	}
	gw_config_free(c);
	return 0;
}
