/*
 * cmd_store.c: ijw-gateway store rekey [-c FILE] [--batch N]
 *              ijw-gateway audit verify [-c FILE]
 *
 * The store's data at rest, kept from the command line: message bodies
 * encrypted again under the current key of store_key, and the audit log's
 * hash chain checked. Both may run while the gateway runs.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"

#define DEFAULT_BATCH 256

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway store rekey [-c FILE] [--batch N]\n"
	        "       ijw-gateway audit verify [-c FILE]\n\n"
	        "The store and store_key of the configuration FILE (by default $IJW_CONFIG,\n"
	        "else gateway.ini in the current folder); the gateway may run meanwhile.\n\n"
	        "  store rekey   encrypts again, under the first key of store_key, every\n"
	        "                message body under another key or stored in plain text, N\n"
	        "                messages per transaction (default %d), and prints how many.\n"
	        "                After it, the other keys can leave the file.\n"
	        "  audit verify  walks the audit log's hash chain from its first entry and\n"
	        "                names the first entry changed or removed\n\n"
	        "Exit status: 0 done, or the chain intact; 1 the chain broken; 2 usage or\n"
	        "I/O error.\n",
	        DEFAULT_BATCH);
}

static int
rekey(struct gw_cli_gateway *g, unsigned long batch)
{
	char key[GW_KEY_ID_SIZE];
	size_t n = 0;

	if (!gw_keyring_current(g->keys, key)) {
		gw_warnx("store rekey: %s sets no store_key: there is no key to encrypt with",
		         g->cfg->file);
		return GW_EXIT_USAGE;
	}
	if (gw_store_rekey(g->store, batch, &n)) {
		gw_warnx("store rekey: %s", gw_store_error(g->store));
		if (n)
			printf("re-encrypted %zu message bodies under key %s before that\n", n,
			       key);
		return GW_EXIT_USAGE;
	}
	printf("re-encrypted %zu message bodies under key %s\n", n, key);
	return GW_EXIT_OK;
}

static int
verify(struct gw_cli_gateway *g, unsigned long batch)
{
	unsigned char head[GW_AUDIT_HASH];
	char why[256] = "";
	int64_t bad = 0;
	size_t n = 0;

	(void)batch;
	if (gw_store_audit_verify(g->store, &n, &bad, why, sizeof why, head)) {
		gw_warnx("audit verify: %s", gw_store_error(g->store));
		return GW_EXIT_USAGE;
	}
	if (bad) {
		printf("audit log broken: %s (the %zu entries before it chain intact)\n", why, n);
		return GW_EXIT_REJECTED;
	}
	printf("%zu entries, chain intact\nlast hash ", n);
	for (size_t i = 0; i < sizeof head; i++)
		printf("%02x", head[i]);
	printf("\n");
	return GW_EXIT_OK;
}

/* `COMMAND WHAT [-c FILE] [--batch N]`: the one subcommand WHAT that COMMAND has. */
static int
run(int argc, char **argv, const char *command, const char *what,
    int (*fn)(struct gw_cli_gateway *g, unsigned long batch))
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"batch", required_argument, NULL, 'b'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *file = NULL;
	struct gw_cli_gateway gw;
	unsigned long batch = DEFAULT_BATCH;
	char name[32], *end;
	int opt, status;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? GW_EXIT_USAGE : GW_EXIT_OK;
	}
	if (strcmp(argv[1], what) != 0) {
		gw_warnx("%s: '%s' is not %s", command, argv[1], what);
		return GW_EXIT_USAGE;
	}
	snprintf(name, sizeof name, "%s %s", command, what);
	optind = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 'b':
			errno = 0;
			batch = strtoul(optarg, &end, 10);
			if (fn != rekey || *optarg == '-' || !*optarg || *end || errno ||
			    batch < 1 || batch > 100000) {
				gw_warnx("%s: --batch is for store rekey, a number from 1 to "
				         "100000, not '%s'",
				         name, optarg);
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
	if (gw_cli_open(name, file, &gw))
		return GW_EXIT_USAGE;
	status = fn(&gw, batch);
	gw_cli_close(&gw);
	return status;
}

int
gw_cmd_store(int argc, char **argv)
{
	return run(argc, argv, "store", "rekey", rekey);
}

int
gw_cmd_audit(int argc, char **argv)
{
	return run(argc, argv, "audit", "verify", verify);
}
