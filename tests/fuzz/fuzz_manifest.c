/*
 * fuzz_manifest.c: libFuzzer target over the reader of a folder's
 * expected.tsv, the manifest `replay` and the scenarios judge samples by.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gw_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {"JW301-valid-1.xml", "JW305-valid-1.xml", "a", ""};
	const char *path = fuzz_file(GW_MANIFEST_NAME, data, size);
	gw_manifest *m;
	char err[512];
	ijw_rc rc = gw_manifest_read(path, &m, err, sizeof err);

	if (rc == IJW_EINVAL) {
		/* "LINE: what is wrong" */
		if (!isdigit((unsigned char)err[0]) || !strstr(err, ": "))
			abort();
		return 0;
	}
	if (rc)
		abort();
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const struct gw_expect *e = gw_manifest_find(m, files[i]);

		if (e && (strcmp(e->file, files[i]) != 0 || strlen(e->retourcode) != 4 || !e->line))
			abort();
		/* The optional columns: checked values, never a tab of the line. */
		if (e && ((e->advice && strchr(e->advice, '\t')) ||
		          (e->record_codes &&
		           strspn(e->record_codes, "0123456789:+,") != strlen(e->record_codes)) ||
		          e->translated > GW_EXPECT_YES))
			abort();
	}
	gw_manifest_free(m);
	return 0;
}
