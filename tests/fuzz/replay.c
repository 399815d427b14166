/*
 * replay.c: runs the fuzz target once over each file named on the command
 * line, and over each file in a folder named there, so that the target and
 * its seed corpus are exercised by the test suite of every build, with or
 * without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the target over the file at path, or the files in it; -1 on failure. */
static int
replay(const char *path, int *n)
{
	struct dirent **names;
	struct stat st;
	size_t len;
	char *data;
	int count, rc = 0;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((count = scandir(path, &names, NULL, alphasort)) < 0)
			rc = -1;
		for (int i = 0; i < count; i++) {
			char sub[4096];

			snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name);
			if (!rc && names[i]->d_name[0] != '.')
				rc = replay(sub, n);
			free(names[i]);
		}
		if (count >= 0)
			free(names);
		return rc;
	}
	if (!(data = tu_read(path, &len))) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	(*n)++;
	return 0;
}

int
main(int argc, char **argv)
{
	int n = 0;

	for (int i = 1; i < argc; i++)
		if (replay(argv[i], &n))
			return 1;
	printf("replay: %d inputs\n", n);
	return n ? 0 : 1;
}
