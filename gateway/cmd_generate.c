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

/* The largest declaration: 99999 clients of up to four prestaties. */
#define GEN_MAX (512u << 20)

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway generate JW3xx [--seed N] [--clients N] [--gemeente CODE]\n"
	        "                            [--aanbieder CODE] [-o OUT]\n\n"
	        "Writes a valid, realistic synthetic iJw 3.2 message of the given type\n"
	        "(JW301 JW302 JW305 JW306 JW307 JW308 JW315 JW316 JW317 JW318 JW319 JW320\n"
	        "JW323 JW325). The same type and seed give the same message.\n\n"
	        "  -s, --seed N   the seed, a number (default 1)\n"
	        "  --clients N    a declaration (JW323, JW325) of N clients, up to 99999\n"
	        "  --gemeente C   the municipality of the message (4 digits; default: drawn)\n"
	        "  --aanbieder C  the provider of the message (8-digit AGB code; default: drawn)\n"
	        "  -o, --output F write to F instead of standard output\n"
	        "  -h, --help     this text\n");
}

static bool
parse_number(const char *s, uint64_t *n)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return false;
	*n = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

int
gw_cmd_generate(int argc, char **argv)
{
	static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
	                                     {"clients", required_argument, NULL, 'c'},
	                                     {"gemeente", required_argument, NULL, 'g'},
	                                     {"aanbieder", required_argument, NULL, 'a'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const struct ijw_msgdef *def;
	const char *output = "-";
	uint64_t seed = 1, clients = 0;
	struct ijw_gen_opts o = {.seed = 1};
	struct ijw_buf b;
	ijw_rc rc;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "s:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_number(optarg, &seed)) {
				gw_warnx("generate: --seed wants a non-negative number, not '%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'c':
			if (!parse_number(optarg, &clients) || clients == 0 ||
			    clients > IJW_GEN_MAX_CLIENTS) {
				gw_warnx(
				        "generate: --clients wants a number from 1 to %u, not '%s'",
				        IJW_GEN_MAX_CLIENTS, optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'g':
			if (strlen(optarg) != 4 || strspn(optarg, "0123456789") != 4) {
				gw_warnx("generate: --gemeente wants a 4-digit gemeentecode, not "
				         "'%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			o.gemeente = optarg;
			break;
		case 'a':
			if (strlen(optarg) != 8 || strspn(optarg, "0123456789") != 8) {
				gw_warnx(
				        "generate: --aanbieder wants an 8-digit AGB code, not '%s'",
				        optarg);
				return GW_EXIT_USAGE;
			}
			o.aanbieder = optarg;
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
	if (clients && def->type != IJW_JW323 && def->type != IJW_JW325) {
		gw_warnx("generate: --clients is for declarations (JW323, JW325), not %s",
		         def->name);
		return GW_EXIT_USAGE;
	}
	ijw_buf_init(&b, GEN_MAX);
	o.seed = seed;
	o.clients = (unsigned)clients;
	if ((rc = ijw_generate_opts(def->type, &o, &b))) {
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
