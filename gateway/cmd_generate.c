/*
 * cmd_generate.c: ijw-gateway generate JW3xx [--seed N] [-o OUT]
 *                 ijw-gateway generate JW3xx --from FILE [-o OUT]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_file.h"
#include "ijw_answer.h"
#include "ijw_gen.h"
#include "ijw_validate.h"

/* The largest declaration: 99999 clients of up to four prestaties. */
#define GEN_MAX (512u << 20)

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway generate JW3xx [--seed N] [--id ID] [--clients N]\n"
	        "                            [--gemeente CODE] [--aanbieder CODE] [-o OUT]\n"
	        "       ijw-gateway generate JW3xx --from FILE [--seed N] [--id ID]\n"
	        "                            [--dagtekening DATE] [--record N] [-o OUT]\n\n"
	        "Writes a valid, realistic synthetic iJw 3.2 message of the given type\n"
	        "(JW301 JW302 JW305 JW306 JW307 JW308 JW315 JW316 JW317 JW318 JW319 JW320\n"
	        "JW323 JW325). The same type and seed give the same message; without --seed\n"
	        "every run gives another.\n\n"
	        "With --from, the message that follows the one in FILE in its conversation:\n"
	        "from a JW301 a JW305, JW307, JW317 or JW323; from a JW305 a JW307; from a\n"
	        "JW315 a JW301 or JW319; from a JW317 a JW319; from a JW323 a JW325; from any\n"
	        "heen message its retour (JW302, JW306, ...) with RetourCode 0200.\n\n"
	        "  -s, --seed N   the seed, a number (default: a random one)\n"
	        "  --id ID        the BerichtIdentificatie (of a retour its IdentificatieRetour),\n"
	        "                 1 to 12 characters (default: from the seed)\n"
	        "  --from FILE    answer the message in FILE\n"
	        "  --dagtekening D the Dagtekening of the answer, YYYY-MM-DD (default: the\n"
	        "                 earliest day that fits FILE's dates)\n"
	        "  --record N     the record of FILE to answer: which product to start, stop,\n"
	        "                 change or declare, which request to refuse (from 0; default 0)\n"
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

static int
answer(const char *file, const struct ijw_msgdef *def, const struct ijw_answer_opts *ao,
       const char *output)
{
	struct ijw_validate_opts vo;
	struct ijw_buf in, out;
	ijw_schemas *schemas = NULL;
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	char err[512];
	int status = GW_EXIT_USAGE;
	ijw_rc rc;

	ijw_validate_opts_init(&vo);
	vo.rules = false;
	ijw_buf_init(&in, vo.limits.max_bytes + 1);
	ijw_buf_init(&out, GEN_MAX);
	if (!f || (rc = ijw_schemas_new(NULL, &schemas))) {
		gw_warnx("generate: %s", ijw_strerror(f ? rc : IJW_ENOMEM));
		goto out;
	}
	if ((rc = gw_read_file(file, &in))) {
		gw_warnx("generate: --from %s: %s", file,
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		goto out;
	}
	if ((rc = ijw_validate(schemas, in.data, in.len, &vo, &doc, f))) {
		gw_warnx("generate: --from %s: %s", file,
		         rc == IJW_ESCHEMA ? ijw_schemas_error(schemas) : ijw_strerror(rc));
		goto out;
	}
	if (!doc || ijw_findings_count(f)) {
		const struct ijw_finding *it = ijw_findings_get(f, 0);

		gw_warnx("generate: --from %s: %s: line %u: %s", file,
		         doc ? "not a valid message" : "not an iJw 3.2 message", it->line,
		         it->text);
		goto out;
	}
	if ((rc = ijw_answer(doc, def->type, ao, &out, err, sizeof err))) {
		gw_warnx("generate: --from %s: %s", file, *err ? err : ijw_strerror(rc));
		goto out;
	}
	/* The answer must itself be valid before anyone sees it. */
	vo.rules = true;
	/* An answer may be dated after the day it is made (TR135 is for the real one). */
	vo.today = ijw_date_from_ymd(9999, 12, 31);
	ijw_findings_clear(f);
	rc = ijw_validate(schemas, out.data, out.len, &vo, NULL, f);
	if (rc || ijw_findings_count(f)) {
		gw_warnx("generate: --from %s: the %s would not be valid: %s %s", file, def->name,
		         rc ? ijw_strerror(rc) : ijw_findings_get(f, 0)->rule,
		         rc ? "" : ijw_findings_get(f, 0)->text);
		goto out;
	}
	if (gw_write_file(output, out.data, out.len)) {
		gw_warnx("generate: %s: %s", output, strerror(errno));
		goto out;
	}
	status = GW_EXIT_OK;
out:
	ijw_doc_free(doc);
	ijw_findings_free(f);
	ijw_schemas_free(schemas);
	ijw_buf_free(&in);
	ijw_buf_free(&out);
	return status;
}

int
gw_cmd_generate(int argc, char **argv)
{
	static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
	                                     {"clients", required_argument, NULL, 'c'},
	                                     {"gemeente", required_argument, NULL, 'g'},
	                                     {"aanbieder", required_argument, NULL, 'a'},
	                                     {"id", required_argument, NULL, 'i'},
	                                     {"from", required_argument, NULL, 'f'},
	                                     {"dagtekening", required_argument, NULL, 'd'},
	                                     {"record", required_argument, NULL, 'r'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const struct ijw_msgdef *def;
	const char *output = "-", *from = NULL;
	uint64_t seed = 0, clients = 0, record = 0;
	bool seeded = false;
	struct ijw_gen_opts o = {.seed = 0};
	struct ijw_answer_opts ao = {.record = 0};
	char id[IJW_GEN_ID_SIZE];
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
			seeded = true;
			break;
		case 'i':
			if (!*optarg || strlen(optarg) > IJW_ANSWER_ID_MAX) {
				gw_warnx("generate: --id wants 1 to %d characters, not '%s'",
				         IJW_ANSWER_ID_MAX, optarg);
				return GW_EXIT_USAGE;
			}
			o.identificatie = ao.identificatie = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'd':
			if (!ijw_date_parse(optarg, &ao.dagtekening)) {
				gw_warnx(
				        "generate: --dagtekening wants a date YYYY-MM-DD, not '%s'",
				        optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'r':
			if (!parse_number(optarg, &record) || record > 99999) {
				gw_warnx(
				        "generate: --record wants a record number from 0, not '%s'",
				        optarg);
				return GW_EXIT_USAGE;
			}
			ao.record = (size_t)record;
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
	if (from && (clients || o.gemeente || o.aanbieder)) {
		gw_warnx("generate: --from takes the parties and clients from FILE: --clients, "
		         "--gemeente and --aanbieder are for new messages");
		return GW_EXIT_USAGE;
	}
	if (!from && (ao.dagtekening || record)) {
		gw_warnx("generate: --dagtekening and --record are for an answer (--from FILE)");
		return GW_EXIT_USAGE;
	}
	if (!seeded &&
	    (ijw_gen_random_seed(&seed) || (from && !ao.identificatie && ijw_gen_random_id(id)))) {
		gw_warnx("generate: no randomness for a seed: %s", strerror(errno));
		return GW_EXIT_USAGE;
	}
	if (from) {
		ao.seed = seed;
		if (!seeded && !ao.identificatie)
			ao.identificatie = id;
		return answer(from, def, &ao, output);
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
