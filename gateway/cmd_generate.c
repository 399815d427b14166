/*
 * cmd_generate.c: ijw-gateway generate JW3xx [--seed N] [-o OUT]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_file.h"
#include "ijw_gen.h"

#define GEN_MAX (4u << 20)

static void
usage(FILE *out)
{
	fprintf(out, "usage: ijw-gateway generate JW3xx [--seed N] [-o OUT]\n\n"
	             "Writes a valid, realistic synthetic iJw 3.2 message of the given type\n"
	             "(JW301 JW302 JW305 JW306 JW307 JW308 JW315 JW316 JW317 JW318 JW319 JW320\n"
	             "JW323 JW325). The same type and seed give the same message.\n\n"
	             "  -s, --seed N   the seed, a number (default 1)\n"
	             "  -o, --output F write to F instead of standard output\n"
	             "  -h, --help     this text\n");
}

static bool
parse_seed(const char *s, uint64_t *seed)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return false;
	*seed = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

int
gw_cmd_generate(int argc, char **argv)
{
	static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const struct ijw_msgdef *def;
	const char *output = "-";
	uint64_t seed = 1;
	struct ijw_buf b;
	ijw_rc rc;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "s:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_seed(optarg, &seed)) {
				gw_warnx("generate: --seed wants a non-negative number, not '%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (!(def = ijw_msgdef_by_name(argv[optind]))) {
		gw_warnx("generate: '%s' is not an iJw 3.2 message type (JW301 ... JW325)",
		         argv[optind]);
		return GW_EXIT_USAGE;
	}
	ijw_buf_init(&b, GEN_MAX);
	if ((rc = ijw_generate(def->type, seed, &b))) {
		gw_warnx("generate: %s", ijw_strerror(rc));
		ijw_buf_free(&b);
		return GW_EXIT_USAGE;
	}
	rc = gw_write_file(output, b.data, b.len);
	ijw_buf_free(&b);
	if (rc) {
		gw_warnx("generate: %s: %s", output, strerror(errno));
		return GW_EXIT_USAGE;
	}
	return GW_EXIT_OK;
}
