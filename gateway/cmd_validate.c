/*
 * cmd_validate.c: ijw-gateway validate [--schemas DIR] [--json] FILE...
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_file.h"
#include "ijw_validate.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway validate [--schemas DIR] [--json] [--xsd-only] [--today DATE] "
	        "FILE...\n\n"
	        "Judges each FILE (- for standard input) as an iJw 3.2 message: well-formed\n"
	        "XML, the schema of its type and the in-message rules of the standard\n"
	        "('ijw-gateway rules' lists them). Prints\n"
	        "  FILE: accepted JW301\n"
	        "or one line per finding\n"
	        "  FILE: rejected JW301 RETOURCODE RULE XPATH: TEXT\n"
	        "The type is 'unknown' when the file is not an iJw 3.2 message at all.\n\n"
	        "  --schemas DIR  validate with basisschema.xsd and JW3nn.xsd from DIR (such as\n"
	        "                 the official release) instead of the built-in schemas\n"
	        "  --json         one JSON object per file per line instead\n"
	        "  --xsd-only     judge well-formedness and the schema, not the rules\n"
	        "  --today DATE   judge as if today were DATE (YYYY-MM-DD), for TR135\n"
	        "  -h, --help     this text\n\n"
	        "Exit status: 0 all accepted, 1 any rejected, 2 usage or I/O error.\n");
}

struct run {
	ijw_schemas *schemas;
	ijw_findings *findings;
	struct ijw_validate_opts opts;
	bool json;
};

static void
print_text(const char *file, const char *type, const ijw_findings *f)
{
	size_t n = ijw_findings_count(f);

	if (n == 0) {
		printf("%s: accepted %s\n", file, type);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);

		printf("%s: rejected %s %s %s %s: %s\n", file, type, it->retourcode, it->rule,
		       it->xpath, it->text);
	}
	if (ijw_findings_dropped(f))
		gw_warnx("%s: %zu further findings not listed", file, ijw_findings_dropped(f));
}

static ijw_rc
print_json(const char *file, const char *type, const ijw_findings *f, const char *error)
{
	struct ijw_buf b;
	size_t n = ijw_findings_count(f);
	ijw_rc rc;

	ijw_buf_init(&b, 1u << 20);
	rc = ijw_buf_addstr(&b, "{\"file\":");
	if (!rc)
		rc = ijw_buf_add_json(&b, file);
	if (!rc && error) {
		if (!(rc = ijw_buf_addstr(&b, ",\"verdict\":\"error\",\"error\":")))
			rc = ijw_buf_add_json(&b, error);
	} else if (!rc) {
		rc = ijw_buf_addf(&b, ",\"verdict\":\"%s\",\"type\":", n ? "rejected" : "accepted");
		if (!rc)
			rc = type ? ijw_buf_add_json(&b, type) : ijw_buf_addstr(&b, "null");
		if (!rc)
			rc = ijw_buf_addstr(&b, ",\"findings\":[");
		for (size_t i = 0; i < n && !rc; i++) {
			const struct ijw_finding *it = ijw_findings_get(f, i);

			rc = ijw_buf_addf(&b, "%s{\"retourcode\":", i ? "," : "");
			if (!rc)
				rc = ijw_buf_add_json(&b, it->retourcode);
			if (!rc)
				rc = ijw_buf_addstr(&b, ",\"rule\":");
			if (!rc)
				rc = ijw_buf_add_json(&b, it->rule);
			if (!rc)
				rc = ijw_buf_addstr(&b, ",\"xpath\":");
			if (!rc)
				rc = ijw_buf_add_json(&b, it->xpath);
			if (!rc)
				rc = ijw_buf_addf(&b, ",\"line\":%u,\"text\":", it->line);
			if (!rc)
				rc = ijw_buf_add_json(&b, it->text);
			if (!rc)
				rc = ijw_buf_addstr(&b, "}");
		}
		if (!rc)
			rc = ijw_buf_addf(&b, "],\"more_findings\":%zu", ijw_findings_dropped(f));
	}
	if (!rc)
		rc = ijw_buf_addstr(&b, "}\n");
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	ijw_buf_free(&b);
	return rc;
}

/* Judges one file: GW_EXIT_OK, GW_EXIT_REJECTED or GW_EXIT_USAGE. */
static int
validate_file(struct run *r, const char *file)
{
	struct ijw_buf in;
	ijw_doc *doc = NULL;
	const char *type;
	char error[512];
	ijw_rc rc;
	int status;

	ijw_findings_clear(r->findings);
	/* One byte over the limit is enough to have the parser refuse it. */
	ijw_buf_init(&in, r->opts.limits.max_bytes + 1);
	rc = gw_read_file(file, &in);
	if (rc == IJW_EIO || rc == IJW_ENOMEM) {
		snprintf(error, sizeof error, "%s",
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		gw_warnx("%s: %s", file, error);
		if (r->json)
			print_json(file, NULL, r->findings, error);
		ijw_buf_free(&in);
		return GW_EXIT_USAGE;
	}
	rc = ijw_validate(r->schemas, in.data, in.len, &r->opts, &doc, r->findings);
	ijw_buf_free(&in);
	if (rc) {
		snprintf(error, sizeof error, "%s",
		         rc == IJW_ESCHEMA ? ijw_schemas_error(r->schemas) : ijw_strerror(rc));
		gw_warnx("%s: %s", file, error);
		if (r->json)
			print_json(file, NULL, r->findings, error);
		ijw_doc_free(doc);
		return GW_EXIT_USAGE;
	}
	type = doc ? ijw_msgdef(ijw_doc_type(doc))->name : NULL;
	status = ijw_findings_count(r->findings) ? GW_EXIT_REJECTED : GW_EXIT_OK;
	if (r->json) {
		if (print_json(file, type, r->findings, NULL))
			status = GW_EXIT_USAGE;
	} else {
		print_text(file, type ? type : "unknown", r->findings);
	}
	ijw_doc_free(doc);
	return status;
}

int
gw_cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"schemas", required_argument, NULL, 'S'}, {"json", no_argument, NULL, 'j'},
	        {"xsd-only", no_argument, NULL, 'x'},      {"today", required_argument, NULL, 't'},
	        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
	struct run r = {.json = false};
	const char *dir = NULL;
	int c, status = GW_EXIT_OK;

	ijw_validate_opts_init(&r.opts);

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			dir = optarg;
			break;
		case 'j':
			r.json = true;
			break;
		case 'x':
			r.opts.rules = false;
			break;
		case 't':
			if (!ijw_date_parse(optarg, &r.opts.today)) {
				gw_warnx("validate: --today wants a date YYYY-MM-DD, not '%s'",
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
	if (optind == argc) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (ijw_schemas_new(dir, &r.schemas) || !(r.findings = ijw_findings_new())) {
		gw_warnx("validate: %s", ijw_strerror(IJW_ENOMEM));
		ijw_schemas_free(r.schemas);
		return GW_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		int s = validate_file(&r, argv[i]);

		if (s > status)
			status = s;
	}
	fflush(stdout);
	ijw_findings_free(r.findings);
	ijw_schemas_free(r.schemas);
	return status;
}
