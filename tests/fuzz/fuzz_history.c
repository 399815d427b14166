/*
 * fuzz_history.c: libFuzzer target over what the ledger's history reader
 * takes from a message file before it judges it: the Dagtekening in its
 * head, by which `validate --history` and `ledger import` order messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gw_history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("bericht.xml", data, size);
	/* The folder and the file itself: the same message twice. */
	const char *paths[] = {fuzz_dir(), path};
	struct gw_history_msg *list;
	size_t n;
	char err[512];

	if (gw_history_list(paths, 2, &list, &n, err, sizeof err) != 0 || n != 2)
		abort();
	for (size_t i = 0; i < n; i++) {
		ijw_day day;

		if (strcmp(list[i].path, path) != 0 ||
		    (list[i].dagtekening[0] && !ijw_date_parse(list[i].dagtekening, &day)))
			abort();
	}
	if (strcmp(list[0].dagtekening, list[1].dagtekening) != 0)
		abort();
	gw_history_free(list, n);
	return 0;
}
