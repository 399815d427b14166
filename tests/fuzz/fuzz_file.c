/*
 * fuzz_file.c: the fuzz input as a file in a temporary folder.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"
#include "gw_file.h"

static char dir[PATH_MAX], file[PATH_MAX];

static void
cleanup(void)
{
	if (file[0])
		unlink(file);
	rmdir(dir);
}

const char *
fuzz_dir(void)
{
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof dir, "%s/ijw-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	return dir;
}

const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	if (file[0] && strcmp(file, path) != 0)
		unlink(file);
	memcpy(file, path, sizeof path);
	if (gw_write_file(file, data, size) != IJW_OK)
		abort();
	return file;
}
