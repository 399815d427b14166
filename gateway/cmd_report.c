/*
 * cmd_report.c: ijw-gateway report -c FILE --from DATE --to DATE ...
 *
 * The region's monitoring report (gw_report.h) from the ledger of the
 * gateway's store, as CSV, JSON or HTML. The store is only read, in one
 * snapshot, so the report can be made while the gateway serves.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_config.h"
#include "gw_file.h"
#include "gw_report.h"
#include "gw_store.h"

#define REPORT_MAX (256u << 20)

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway report [-c FILE] --from DATE --to DATE [--by month|period]\n"
	        "                          [--threshold N] [--format csv|json|html] [-o FILE]\n\n"
	        "The region's monitoring report from the ledger of the gateway's store (the\n"
	        "store, product table and ledger_key of the configuration FILE; by default\n"
	        "$IJW_CONFIG, else gateway.ini in the current folder): per provider x support\n"
	        "profile x intensity (the national product code where the table has none),\n"
	        "clients in care, new assignments, waiting and lead times, duration of care,\n"
	        "amounts declared and awarded, and drop-out. Acuut is left out. The store is\n"
	        "only read, so the gateway may be serving.\n\n"
	        "  --from DATE, --to DATE   the period, both days included (YYYY-MM-DD)\n"
	        "  --by month|period        a column of figures per calendar month, or one for\n"
	        "                           the period (the default)\n"
	        "  --threshold N            counts of 1 to N-1 are suppressed (default 5)\n"
	        "  --format csv|json|html   the default is csv\n"
	        "  -o FILE                  write to FILE instead of standard output\n\n"
	        "Exit status: 0 done, 2 usage error, no ledger or I/O error.\n");
}

static bool
date_arg(const char *opt, const char *arg, ijw_day *out)
{
	if (ijw_date_parse(arg, out))
		return true;
	gw_warnx("report: %s wants a date YYYY-MM-DD, not '%s'", opt, arg);
	return false;
}

/* The report, built from the configuration's store: GW_EXIT_OK or GW_EXIT_USAGE. */
static int
make(const char *file, struct gw_report_opts *o, const char *format, struct ijw_buf *out)
{
	struct gw_config *cfg;
	gw_store *store = NULL;
	gw_report *r = NULL;
	char err[1024];
	int status = GW_EXIT_USAGE;

	if (!file && !(file = getenv("IJW_CONFIG")))
		file = "gateway.ini";
	if (!gw_config_load(file, &cfg, err, sizeof err)) {
		gw_warnx("report: %s", err);
		return GW_EXIT_USAGE;
	}
	if (!cfg->ledger_key[0]) {
		gw_warnx("report: %s sets no ledger_key, so the gateway keeps no ledger to report "
		         "on",
		         cfg->file);
		goto done;
	}
	if (!(store = gw_store_open_existing(cfg->store, cfg->base_dir, err, sizeof err))) {
		char shown[GW_PATH_MAX];

		gw_warnx("report: store %s: %s",
		         gw_store_spec_shown(cfg->store, shown, sizeof shown), err);
		goto done;
	}
	if (gw_store_load_ledger_key(store, cfg->ledger_key, err, sizeof err)) {
		gw_warnx("report: %s", err);
		goto done;
	}
	o->products = cfg->products;
	if (!(r = gw_report_build(store, o, err, sizeof err))) {
		gw_warnx("report: %s", err);
		goto done;
	}
	if (strcmp(format, "json") == 0)
		gw_report_json(r, out);
	else if (strcmp(format, "html") == 0)
		gw_report_html(r, false, out);
	else
		gw_report_csv(r, out);
	status = GW_EXIT_OK;
done:
	gw_report_free(r);
	gw_store_close(store);
	gw_config_free(cfg);
	return status;
}

int
gw_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"by", required_argument, NULL, 'b'},
	                                     {"threshold", required_argument, NULL, 'n'},
	                                     {"format", required_argument, NULL, 'F'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct gw_report_opts o;
	const char *file = NULL, *format = "csv", *output = NULL;
	bool from = false, to = false;
	struct ijw_buf out;
	int opt, status;
	long n;

	gw_report_opts_init(&o);
	optind = 0;
	while ((opt = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 'f':
			if (!(from = date_arg("--from", optarg, &o.from)))
				return GW_EXIT_USAGE;
			break;
		case 't':
			if (!(to = date_arg("--to", optarg, &o.to)))
				return GW_EXIT_USAGE;
			break;
		case 'b':
			if (strcmp(optarg, "month") && strcmp(optarg, "period")) {
				gw_warnx("report: --by is month or period, not '%s'", optarg);
				return GW_EXIT_USAGE;
			}
			o.monthly = strcmp(optarg, "month") == 0;
			break;
		case 'n':
			if (!gw_cli_number("report", false, "--threshold", optarg, 0, 1000000, &n))
				return GW_EXIT_USAGE;
			o.threshold = (unsigned)n;
			break;
		case 'F':
			if (strcmp(optarg, "csv") && strcmp(optarg, "json") &&
			    strcmp(optarg, "html")) {
				gw_warnx("report: --format is csv, json or html, not '%s'", optarg);
				return GW_EXIT_USAGE;
			}
			format = optarg;
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
	if (optind < argc || !from || !to) {
		if (optind < argc)
			gw_warnx("report: unexpected argument '%s'", argv[optind]);
		else
			gw_warnx("report: --from and --to are required");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (o.to < o.from) {
		gw_warnx("report: --to is before --from");
		return GW_EXIT_USAGE;
	}
	ijw_buf_init(&out, REPORT_MAX);
	status = make(file, &o, format, &out);
	if (status == GW_EXIT_OK) {
		if (output && gw_write_file(output, out.data ? out.data : "", out.len)) {
			gw_warnx("report: writing %s: %s", output, strerror(errno));
			status = GW_EXIT_USAGE;
		} else if (!output && out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
			gw_warnx("report: writing the report: %s", strerror(errno));
			status = GW_EXIT_USAGE;
		}
	}
	ijw_buf_free(&out);
	return status;
}
