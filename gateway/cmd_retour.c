/*
 * cmd_retour.c: ijw-gateway retour [--schemas DIR] FILE [-o OUT]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_file.h"
#include "gw_products.h"
#include "ijw_retour.h"
#include "ijw_translate.h"
#include "ijw_validate.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway retour [--schemas DIR] [--today DATE] [--id ID]\n"
	        "                          [--products FILE|built-in] FILE [-o OUT]\n\n"
	        "Judges the heen message in FILE (- for standard input) as 'validate' does and\n"
	        "writes the retour message that answers it: JW302 for a JW301, JW306 for a\n"
	        "JW305, JW308 for a JW307, JW316 for a JW315, JW318 for a JW317, JW320 for a\n"
	        "JW319, JW325 for a JW323. Records without a finding get RetourCode 0200, or\n"
	        "0233 when the message is rejected; a message rejected by its schema or in its\n"
	        "header is answered with the header alone.\n\n"
	        "  --schemas DIR  judge with the XSDs in DIR instead of the built-in ones\n"
	        "  --today DATE   today's date (YYYY-MM-DD) for TR135 and the DagtekeningRetour\n"
	        "  --id ID        the IdentificatieRetour, at most 12 characters (default: "
	        "derived\n"
	        "                 from the heen message, so the same message gets the same "
	        "answer)\n"
	        "  --products T   the region's product table T (a file, or built-in): a JW323's\n"
	        "                 prestaties that break a check it enforces are rejected in the\n"
	        "                 JW325 (the rest is awarded); advice is printed on stderr\n"
	        "  -o, --output F write to F instead of standard output\n"
	        "  -h, --help     this text\n\n"
	        "Exit status: 0 when the retour was written, 1 when FILE cannot be answered\n"
	        "(not an iJw message, a retour itself, or a header too broken to echo), 2 on a\n"
	        "usage or I/O error.\n");
}

struct job {
	ijw_schemas *schemas;
	ijw_findings *findings;
	ijw_products *products;
	struct ijw_validate_opts opts;
	struct ijw_retour_opts retour;
	const char *file, *output;
};

/* Prints why the message cannot be answered. */
static void
print_findings(const char *file, const ijw_findings *f)
{
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);

		gw_warnx("%s: %s %s %s: %s", file, it->retourcode, it->rule, it->xpath, it->text);
	}
}

static int
answer(struct job *j)
{
	struct ijw_buf in, out;
	ijw_doc *doc = NULL;
	ijw_findings *check = NULL;
	int status = GW_EXIT_USAGE;
	ijw_rc rc;

	ijw_buf_init(&in, j->opts.limits.max_bytes + 1);
	ijw_buf_init(&out, 2 * j->opts.limits.max_bytes + (1u << 20));
	if ((rc = gw_read_file(j->file, &in))) {
		gw_warnx("retour: %s: %s", j->file,
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		goto out;
	}
	rc = ijw_validate(j->schemas, in.data, in.len, &j->opts, &doc, j->findings);
	if (rc) {
		gw_warnx("retour: %s: %s", j->file,
		         rc == IJW_ESCHEMA ? ijw_schemas_error(j->schemas) : ijw_strerror(rc));
		goto out;
	}
	status = GW_EXIT_REJECTED;
	if (!doc) {
		gw_warnx("retour: %s: not an iJw 3.2 message, so there is nothing to answer",
		         j->file);
		print_findings(j->file, j->findings);
		goto out;
	}
	if (ijw_msgdef(ijw_doc_type(doc))->retour) {
		gw_warnx("retour: %s: %s is itself a retour message; only heen messages are "
		         "answered",
		         j->file, ijw_msgdef(ijw_doc_type(doc))->name);
		goto out;
	}
	if (j->products && ijw_doc_type(doc) == IJW_JW323 && !ijw_findings_count(j->findings)) {
		if (!(check = ijw_findings_new()) ||
		    (rc = ijw_policy_check(doc, j->products, j->findings, check))) {
			gw_warnx("retour: %s: %s", j->file, ijw_strerror(check ? rc : IJW_ENOMEM));
			status = GW_EXIT_USAGE;
			goto out;
		}
		for (size_t i = 0; i < ijw_findings_count(check); i++) {
			const struct ijw_finding *it = ijw_findings_get(check, i);

			gw_warnx("%s: advice %s %s %s: %s", j->file, it->retourcode, it->rule,
			         it->xpath, it->text);
		}
		ijw_findings_clear(check);
	}
	if ((rc = ijw_retour(doc, j->findings, &j->retour, &out))) {
		gw_warnx("retour: %s: %s", j->file,
		         rc == IJW_EINVAL ? "the header lacks what a retour message must echo"
		                          : ijw_strerror(rc));
		print_findings(j->file, j->findings);
		goto out;
	}
	/* The answer must itself be valid before anyone sees it. */
	if (!check && !(check = ijw_findings_new())) {
		status = GW_EXIT_USAGE;
		goto out;
	}
	rc = ijw_validate(j->schemas, out.data, out.len, &j->opts, NULL, check);
	if (rc || ijw_findings_count(check)) {
		gw_warnx("retour: %s: the answer would not be valid: %s", j->file,
		         rc ? ijw_strerror(rc) : ijw_findings_get(check, 0)->text);
		print_findings(j->file, j->findings);
		goto out;
	}
	if (gw_write_file(j->output, out.data, out.len)) {
		gw_warnx("retour: %s: %s", j->output, strerror(errno));
		status = GW_EXIT_USAGE;
		goto out;
	}
	status = GW_EXIT_OK;
out:
	ijw_findings_free(check);
	ijw_doc_free(doc);
	ijw_buf_free(&in);
	ijw_buf_free(&out);
	return status;
}

int
gw_cmd_retour(int argc, char **argv)
{
	static const struct option opts[] = {{"schemas", required_argument, NULL, 'S'},
	                                     {"today", required_argument, NULL, 't'},
	                                     {"id", required_argument, NULL, 'i'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"products", required_argument, NULL, 'P'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct job j = {.output = "-"};
	const char *dir = NULL, *products = NULL;
	char err[512];
	int c, status;

	ijw_validate_opts_init(&j.opts);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			dir = optarg;
			break;
		case 't':
			if (!ijw_date_parse(optarg, &j.opts.today)) {
				gw_warnx("retour: --today wants a date YYYY-MM-DD, not '%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'i':
			if (!*optarg || strlen(optarg) > 12) {
				gw_warnx("retour: --id wants 1 to 12 characters, not '%s'", optarg);
				return GW_EXIT_USAGE;
			}
			j.retour.identificatie = optarg;
			break;
		case 'o':
			j.output = optarg;
			break;
		case 'P':
			products = optarg;
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
	j.file = argv[optind];
	j.retour.dagtekening = j.opts.today;
	if (products && !(j.products = gw_products_arg(products, err, sizeof err))) {
		gw_warnx("retour: --products: %s", err);
		return GW_EXIT_USAGE;
	}
	if (ijw_schemas_new(dir, &j.schemas) || !(j.findings = ijw_findings_new())) {
		gw_warnx("retour: %s", ijw_strerror(IJW_ENOMEM));
		ijw_schemas_free(j.schemas);
		ijw_products_free(j.products);
		return GW_EXIT_USAGE;
	}
	status = answer(&j);
	ijw_products_free(j.products);
	ijw_findings_free(j.findings);
	ijw_schemas_free(j.schemas);
	return status;
}
