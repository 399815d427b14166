/*
 * replay.c: runs the fuzz target once over each file named on the command
 * line, so that the target and its seed corpus are exercised by the test
 * suite of every build, with or without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *data = tu_read(argv[i], &len);

		if (!data) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
	}
	printf("replay: %d inputs\n", argc - 1);
	return 0;
}
