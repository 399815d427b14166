/*
 * cmd_store.c: ijw-gateway store rekey [-c FILE] [--batch N]
 *
 * The gateway's store, kept from the command line: message bodies encrypted
 * again under the current key of store_key, while the gateway runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"

#define DEFAULT_BATCH 256

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway store rekey [-c FILE] [--batch N]\n\n"
	        "The gateway's store: the store and store_key of the configuration FILE (by\n"
	        "default $IJW_CONFIG, else gateway.ini in the current folder).\n\n"
	        "  rekey     encrypts again, under the first key of store_key, every message\n"
	        "            body under another key or stored in plain text, N messages per\n"
	        "            transaction (default %d), and prints how many; the gateway may\n"
	        "            run meanwhile. After it, the other keys can leave the file.\n\n"
	        "Exit status: 0 done, 2 usage or I/O error.\n",
	        DEFAULT_BATCH);
}

int
gw_cmd_store(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"batch", required_argument, NULL, 'b'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *file = NULL;
	struct gw_cli_gateway gw;
	char key[GW_KEY_ID_SIZE], *end;
	unsigned long batch = DEFAULT_BATCH;
	size_t n = 0;
	int opt;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? GW_EXIT_USAGE : GW_EXIT_OK;
	}
	if (strcmp(argv[1], "rekey") != 0) {
		gw_warnx("store: '%s' is not rekey", argv[1]);
		return GW_EXIT_USAGE;
	}
	optind = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 'b':
			errno = 0;
			batch = strtoul(optarg, &end, 10);
			if (*optarg == '-' || !*optarg || *end || errno || batch < 1 ||
			    batch > 100000) {
				gw_warnx(
				        "store rekey: --batch wants a number from 1 to 100000, not "
				        "'%s'",
				        optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (optind + 1 < argc) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (gw_cli_open("store rekey", file, &gw))
		return GW_EXIT_USAGE;
	if (!gw_keyring_current(gw.keys, key)) {
		gw_warnx("store rekey: %s sets no store_key: there is no key to encrypt with",
		         gw.cfg->file);
		gw_cli_close(&gw);
		return GW_EXIT_USAGE;
	}
	if (gw_store_rekey(gw.store, batch, &n)) {
		gw_warnx("store rekey: %s", gw_store_error(gw.store));
		if (n)
			printf("re-encrypted %zu message bodies under key %s before that\n", n,
			       key);
		gw_cli_close(&gw);
		return GW_EXIT_USAGE;
	}
	printf("re-encrypted %zu message bodies under key %s\n", n, key);
	gw_cli_close(&gw);
	return GW_EXIT_OK;
}
