/*
 * fuzz_client.c: libFuzzer target over a party's client file, read by
 * gw_client_conf_load() as the client commands read one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gw_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A path the file gave is absolute or in the file's folder. */
static void
check_path(const char *p)
{
	size_t n = strlen(fuzz_dir());

	if (p && p[0] != '/' && (strncmp(p, fuzz_dir(), n) != 0 || p[n] != '/'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("client.ini", data, size);
	struct gw_client_conf c = {0};
	char err[2048];

	if (!gw_client_conf_load(path, &c, err, sizeof err)) {
		/* Every problem is reported, and names the file. */
		if (strncmp(err, path, strlen(path)) != 0)
			abort();
	} else {
		check_path(c.cacert);
		check_path(c.cert);
		check_path(c.key);
		if (c.url && !c.url[0])
			abort();
	}
	gw_client_conf_free(&c);
	return 0;
}
