/*
 * cmd_validate.c: ijw-gateway validate [--schemas DIR] [--json] FILE...
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gw_cli.h"
#include "gw_file.h"
#include "gw_history.h"
#include "gw_products.h"
#include "ijw_ledger.h"
#include "ijw_translate.h"
#include "ijw_validate.h"

#define MAX_HISTORY 64

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway validate [--schemas DIR] [--json] [--xsd-only] [--today DATE]\n"
	        "                            [--history DIR]... [--products FILE|built-in] "
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
	        "  --history DIR  the earlier messages in DIR (a folder or a file; may be given\n"
	        "                 more than once) make a ledger, in order of Dagtekening and file\n"
	        "                 name; each FILE is judged against it by the cross-message rules\n"
	        "                 too, in the order given, and an accepted FILE joins it\n"
	        "  --products T   the region's product table T (a file, or built-in): its checks\n"
	        "                 on declarations, and with --history its policy over time;\n"
	        "                 advice prints as FILE: advice JW323 RETOURCODE RULE XPATH: TEXT\n"
	        "  -h, --help     this text\n\n"
	        "Exit status: 0 all accepted, 1 any rejected, 2 usage or I/O error.\n");
}

struct run {
	ijw_schemas *schemas;
	ijw_findings *findings, *advice;
	struct ijw_validate_opts opts;
	bool json;
	ijw_products *products;
	gw_store *store; /* the ledger of --history, or NULL */
	struct ijw_ledger ledger;
	int64_t applied; /* messages in the ledger */
};

static void
print_text(const char *file, const char *type, const ijw_findings *f, const ijw_findings *advice)
{
	size_t n = ijw_findings_count(f);

	for (size_t i = 0; advice && i < ijw_findings_count(advice); i++) {
		const struct ijw_finding *it = ijw_findings_get(advice, i);

		printf("%s: advice %s %s %s %s: %s\n", file, type, it->retourcode, it->rule,
		       it->xpath, it->text);
	}
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
add_list(struct ijw_buf *b, const char *name, const ijw_findings *f)
{
	ijw_rc rc = ijw_buf_addf(b, ",\"%s\":[", name);

	for (size_t i = 0; i < ijw_findings_count(f) && !rc; i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);

		rc = ijw_buf_addf(b, "%s{\"retourcode\":", i ? "," : "");
		if (!rc)
			rc = ijw_buf_add_json(b, it->retourcode);
		if (!rc)
			rc = ijw_buf_addstr(b, ",\"rule\":");
		if (!rc)
			rc = ijw_buf_add_json(b, it->rule);
		if (!rc)
			rc = ijw_buf_addstr(b, ",\"xpath\":");
		if (!rc)
			rc = ijw_buf_add_json(b, it->xpath);
		if (!rc)
			rc = ijw_buf_addf(b, ",\"line\":%u,\"text\":", it->line);
		if (!rc)
			rc = ijw_buf_add_json(b, it->text);
		if (!rc)
			rc = ijw_buf_addstr(b, "}");
	}
	return rc ? rc : ijw_buf_addstr(b, "]");
}

static ijw_rc
print_json(const char *file, const char *type, const ijw_findings *f, const ijw_findings *advice,
           const char *error)
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
			rc = add_list(&b, "findings", f);
		if (!rc && advice && ijw_findings_count(advice))
			rc = add_list(&b, "advice", advice);
		if (!rc)
			rc = ijw_buf_addf(&b, ",\"more_findings\":%zu", ijw_findings_dropped(f));
	}
	if (!rc)
		rc = ijw_buf_addstr(&b, "}\n");
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	ijw_buf_free(&b);
	return rc;
}

/*
 * What comes after the message's own rules: the region's checks on a
 * declaration, the cross-message rules against the ledger of --history; an
 * accepted message joins the ledger.
 */
static ijw_rc
beyond(struct run *r, const ijw_doc *doc)
{
	struct ijw_ledger_opts lo = {.products = r->products, .today = r->opts.today};
	ijw_rc rc = IJW_OK;

	if (r->products && ijw_doc_type(doc) == IJW_JW323 &&
	    (rc = ijw_policy_check(doc, r->products, r->findings, r->advice)))
		return rc;
	if (!r->store)
		return IJW_OK;
	if ((rc = ijw_ledger_check(&r->ledger, doc, &lo, r->findings, r->advice)))
		return rc;
	if (!ijw_findings_count(r->findings))
		rc = ijw_ledger_apply(&r->ledger, doc, ++r->applied, &lo);
	return rc;
}

/* The ledger of the messages in paths, in order; -1 when one cannot be read. */
static int
load_history(struct run *r, const char *const *paths, size_t n)
{
	struct ijw_ledger_opts lo = {.products = r->products, .today = r->opts.today};
	struct gw_history_msg *list;
	size_t count;
	char err[512];
	int ret = 0;

	if (!(r->store = gw_history_store(r->products, err, sizeof err)) ||
	    gw_history_list(paths, n, &list, &count, err, sizeof err)) {
		gw_cli_fail(r->json, "history", "validate: --history: %s", err);
		return -1;
	}
	gw_store_ledger(r->store, &r->ledger);
	if (gw_store_begin(r->store)) {
		gw_cli_fail(r->json, "history", "validate: --history: %s",
		            gw_store_error(r->store));
		gw_history_free(list, count);
		return -1;
	}
	for (size_t i = 0; i < count && !ret; i++) {
		struct ijw_buf in;
		ijw_doc *doc = NULL;
		ijw_rc rc;

		ijw_findings_clear(r->findings);
		ijw_buf_init(&in, r->opts.limits.max_bytes + 1);
		if ((rc = gw_read_file(list[i].path, &in)) == IJW_OK)
			rc = ijw_validate(r->schemas, in.data, in.len, &r->opts, &doc, r->findings);
		ijw_buf_free(&in);
		if (rc) {
			gw_cli_fail(r->json, "history", "validate: --history: %s: %s", list[i].path,
			            rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
			ret = -1;
		} else if (!doc || ijw_findings_count(r->findings)) {
			const struct ijw_finding *f = ijw_findings_get(r->findings, 0);

			gw_warnx("validate: --history: %s is left out: %s %s", list[i].path,
			         f ? f->rule : "", f ? f->text : "");
		} else if ((rc = ijw_ledger_apply(&r->ledger, doc, ++r->applied, &lo))) {
			gw_cli_fail(r->json, "history", "validate: --history: %s: the ledger: %s",
			            list[i].path, gw_store_error(r->store));
			ret = -1;
		}
		ijw_doc_free(doc);
	}
	gw_history_free(list, count);
	return ret;
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
			print_json(file, NULL, r->findings, NULL, error);
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
			print_json(file, NULL, r->findings, NULL, error);
		ijw_doc_free(doc);
		return GW_EXIT_USAGE;
	}
	ijw_findings_clear(r->advice);
	if (!rc && doc && !ijw_findings_count(r->findings))
		rc = beyond(r, doc);
	if (rc) {
		snprintf(error, sizeof error, "%s",
		         rc == IJW_EIO ? gw_store_error(r->store) : ijw_strerror(rc));
		gw_warnx("%s: the ledger: %s", file, error);
		if (r->json)
			print_json(file, NULL, r->findings, NULL, error);
		ijw_doc_free(doc);
		return GW_EXIT_USAGE;
	}
	type = doc ? ijw_msgdef(ijw_doc_type(doc))->name : NULL;
	status = ijw_findings_count(r->findings) ? GW_EXIT_REJECTED : GW_EXIT_OK;
	if (r->json) {
		if (print_json(file, type, r->findings, r->advice, NULL))
			status = GW_EXIT_USAGE;
	} else {
		print_text(file, type ? type : "unknown", r->findings, r->advice);
	}
	ijw_doc_free(doc);
	return status;
}

int
gw_cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {{"schemas", required_argument, NULL, 'S'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"xsd-only", no_argument, NULL, 'x'},
	                                     {"today", required_argument, NULL, 't'},
	                                     {"history", required_argument, NULL, 'H'},
	                                     {"products", required_argument, NULL, 'P'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct run r = {.json = gw_cli_wants_json(argc, argv)};
	struct stat st;
	const char *dir = NULL, *history[MAX_HISTORY], *products = NULL;
	size_t nhistory = 0;
	int c, status = GW_EXIT_OK;
	char err[512];

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
			if (!ijw_date_parse(optarg, &r.opts.today))
				return gw_cli_fail(
				        r.json, "usage",
				        "validate: --today wants a date YYYY-MM-DD, not '%s'",
				        optarg);
			break;
		case 'H':
			if (nhistory == MAX_HISTORY)
				return gw_cli_fail(r.json, "usage",
				                   "validate: at most %d --history folders",
				                   MAX_HISTORY);
			history[nhistory++] = optarg;
			break;
		case 'P':
			products = optarg;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return gw_cli_fail(
			        r.json, "usage",
			        "validate: %s: an unknown option, or one without its value",
			        argv[optind - 1]);
		}
	}
	if (optind == argc) {
		usage(stderr);
		return gw_cli_fail(r.json, "usage", "validate: which files? (FILE...)");
	}
	/* Once for the folder, rather than once for every file's schema. */
	if (dir && stat(dir, &st) != 0)
		return gw_cli_fail(r.json, "schemas", "validate: --schemas %s: %s", dir,
		                   strerror(errno));
	if (dir && !S_ISDIR(st.st_mode))
		return gw_cli_fail(r.json, "schemas", "validate: --schemas %s: not a folder", dir);
	if (ijw_schemas_new(dir, &r.schemas) || !(r.findings = ijw_findings_new()) ||
	    !(r.advice = ijw_findings_new())) {
		status = gw_cli_fail(r.json, "memory", "validate: %s", ijw_strerror(IJW_ENOMEM));
		goto done;
	}
	if (products && !(r.products = gw_products_arg(products, err, sizeof err))) {
		status = gw_cli_fail(r.json, "products", "validate: --products: %s", err);
		goto done;
	}
	if (nhistory && load_history(&r, history, nhistory)) {
		status = GW_EXIT_USAGE;
		goto done;
	}
	for (int i = optind; i < argc; i++) {
		int s = validate_file(&r, argv[i]);

		if (s > status)
			status = s;
	}
	fflush(stdout);
done:
	gw_store_close(r.store);
	ijw_products_free(r.products);
	ijw_findings_free(r.advice);
	ijw_findings_free(r.findings);
	ijw_schemas_free(r.schemas);
	return status;
}
