/*
 * fuzz_scenario.c: libFuzzer target over the scenario format of `conform`
 * (gw_scenario_parse): a scenario read, or refused with "FILE:LINE: why";
 * what is read holds together.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gw_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gw_scenario s;
	char err[512];

	if (!gw_scenario_parse((const char *)data, size, "f.scenario", &s, err, sizeof err)) {
		if (strncmp(err, "f.scenario:", 11) != 0 || !strstr(err + 11, ": "))
			abort();
		return 0;
	}
	if (!s.name[0] || !s.nsteps || s.nsteps > GW_SCN_MAX_STEPS ||
	    s.nmistakes > GW_SCN_MAX_MISTAKES)
		abort();
	for (size_t i = 0; i < s.nsteps; i++) {
		const struct gw_scn_step *st = &s.steps[i];

		if (!ijw_msgdef(st->type) || st->source >= (int)i ||
		    (st->source < 0) != (st->link == GW_LINK_NONE) || st->within < 1 ||
		    st->nmods > GW_SCN_MAX_MODS || st->ncodes > GW_SCN_MAX_CODES)
			abort();
		if (st->label[0] && gw_scenario_label(&s, st->label) != (int)i)
			abort();
	}
	for (size_t i = 0; i < s.nmistakes; i++) {
		const struct gw_scn_mistake *m = &s.mistakes[i];

		if (m->step < 0 || m->caught_by < m->step || m->caught_by >= (int)s.nsteps ||
		    m->kind >= GW_MISTAKE_END || m->check >= GW_CHECK_END)
			abort();
	}
	return 0;
}
