/*
 * cmd_ledger.c: ijw-gateway ledger import|show|verify|rebuild -c FILE ...
 *
 * The gateway's ledger of earlier messages, seen and kept from the command
 * line: history loaded into it, the state of one assignment, a check that
 * it agrees with the stored messages, and writing it anew (under a new key).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "gw_cli.h"
#include "gw_config.h"
#include "gw_file.h"
#include "gw_history.h"
#include "gw_store.h"
#include "ijw_validate.h"

#define SHOW_DIFFERENCES 20

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway ledger import [-c FILE] [--today DATE] PATH...\n"
	        "       ijw-gateway ledger show [-c FILE] --gemeente G --aanbieder A --toewijzing "
	        "N\n"
	        "       ijw-gateway ledger verify [-c FILE]\n"
	        "       ijw-gateway ledger rebuild [-c FILE] [--key KEYFILE]\n\n"
	        "The gateway's ledger of earlier messages: the store and ledger_key of the\n"
	        "configuration FILE (by default $IJW_CONFIG, else gateway.ini in the current\n"
	        "folder).\n\n"
	        "  import    loads earlier messages (a back office's export: files, or folders of\n"
	        "            *.xml) into the ledger without delivering them, in order of\n"
	        "            Dagtekening and then file name; each is judged like a posted one,\n"
	        "            and one the ledger contradicts is not placed: it prints with its\n"
	        "            findings. Running it again changes nothing.\n"
	        "  show      the state of one assignment: its versions, starts and stops, what\n"
	        "            was declared and what is left (never a BSN)\n"
	        "  verify    writes the ledger anew in memory from the stored messages and\n"
	        "            compares: exit 0 when they agree\n"
	        "  rebuild   writes the ledger anew from the stored messages; with --key, under\n"
	        "            a new key (64 hex digits in KEYFILE): stop the gateway first, then\n"
	        "            point ledger_key at KEYFILE\n\n"
	        "Exit status: 0 done, 1 a message not placed, an assignment unknown or a\n"
	        "difference found, 2 usage or I/O error.\n");
}

struct ctx {
	struct gw_config *cfg;
	gw_store *store;
	ijw_schemas *schemas;
	ijw_findings *findings;
	ijw_day today;
};

/* import's judge: the ledger's findings refuse a message (it is then not placed). */
static int
import_judge(void *vctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	struct ctx *c = vctx;
	struct ijw_ledger l;
	struct ijw_ledger_opts lo = {.products = c->cfg->products, .today = c->today};

	(void)n;
	gw_store_ledger(store, &l);
	if (ijw_ledger_check(&l, items[i].doc, &lo, c->findings, NULL))
		return -1;
	if (ijw_findings_count(c->findings))
		items[i].outcome = GW_PUT_REFUSED;
	return 0;
}

static void
print_findings(const char *file, const char *type, const ijw_findings *f)
{
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);

		printf("%s: not placed %s %s %s %s: %s\n", file, type, it->retourcode, it->rule,
		       it->xpath, it->text);
	}
}

/* One earlier message into the ledger: GW_EXIT_OK, _REJECTED (not placed) or _USAGE. */
static int
import_one(struct ctx *c, const char *path)
{
	struct ijw_validate_opts vo;
	struct ijw_buf in;
	struct ijw_route route;
	struct gw_put put;
	ijw_doc *doc = NULL;
	const char *type;
	ijw_rc rc;
	int status = GW_EXIT_OK;

	ijw_validate_opts_init(&vo);
	vo.today = c->today;
	vo.limits.max_bytes = c->cfg->max_message_bytes;
	ijw_findings_clear(c->findings);
	ijw_buf_init(&in, vo.limits.max_bytes + 1);
	if ((rc = gw_read_file(path, &in)) ||
	    (rc = ijw_validate(c->schemas, in.data, in.len, &vo, &doc, c->findings))) {
		gw_warnx("ledger import: %s: %s", path,
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		ijw_buf_free(&in);
		return GW_EXIT_USAGE;
	}
	type = doc ? ijw_msgdef(ijw_doc_type(doc))->name : "unknown";
	if (!doc || ijw_findings_count(c->findings)) {
		print_findings(path, type, c->findings);
		ijw_doc_free(doc);
		ijw_buf_free(&in);
		return GW_EXIT_REJECTED;
	}
	ijw_doc_route(doc, &route);
	memset(&put, 0, sizeof put);
	snprintf(put.msg.type, sizeof put.msg.type, "%s", type);
	snprintf(put.msg.sender, sizeof put.msg.sender, "%s", route.from);
	snprintf(put.msg.receiver, sizeof put.msg.receiver, "%s", route.to);
	snprintf(put.msg.identificatie, sizeof put.msg.identificatie, "%s", route.identificatie);
	SHA256((const unsigned char *)in.data, in.len, put.msg.sha256);
	put.body = in.data;
	put.len = in.len;
	put.cert = "";
	put.remote = "ledger import";
	put.imported = true;
	put.doc = doc;
	put.judge = import_judge;
	put.judge_ctx = c;
	put.after = -1;
	if (gw_store_put(c->store, &put, 1, (int64_t)time(NULL))) {
		gw_warnx("ledger import: %s: %s", path, gw_store_error(c->store));
		status = GW_EXIT_USAGE;
	} else if (put.outcome == GW_PUT_REFUSED) {
		print_findings(path, type, c->findings);
		status = GW_EXIT_REJECTED;
	} else if (put.outcome == GW_PUT_CONFLICT) {
		printf("%s: not placed %s 9056 TR056 /: message %" PRId64
		       " has this identification with other contents\n",
		       path, type, put.msg.id);
		status = GW_EXIT_REJECTED;
	} else {
		printf("%s: %s %s (message %" PRId64 ")\n", path,
		       put.outcome == GW_PUT_NEW ? "imported" : "already in the ledger", type,
		       put.msg.id);
	}
	ijw_doc_free(doc);
	ijw_buf_free(&in);
	return status;
}

static int
do_import(struct ctx *c, char **paths, int n)
{
	struct gw_history_msg *list;
	size_t count;
	char err[512];
	int status = GW_EXIT_OK;

	if (ijw_schemas_new(NULL, &c->schemas) || !(c->findings = ijw_findings_new())) {
		gw_warnx("ledger import: %s", ijw_strerror(IJW_ENOMEM));
		return GW_EXIT_USAGE;
	}
	if (gw_history_list((const char *const *)paths, (size_t)n, &list, &count, err,
	                    sizeof err)) {
		gw_warnx("ledger import: %s", err);
		return GW_EXIT_USAGE;
	}
	for (size_t i = 0; i < count && status < GW_EXIT_USAGE; i++) {
		int s = import_one(c, list[i].path);

		if (s > status)
			status = s;
	}
	gw_history_free(list, count);
	return status;
}

static int
do_show(struct ctx *c, const char *g, const char *a, const char *nr)
{
	struct ijw_ledger l;
	struct ijw_ledger_opts lo = {.products = c->cfg->products, .today = c->today};
	struct ijw_buf out;
	int r;

	if (!g || !a || !nr) {
		gw_warnx("ledger show: give --gemeente, --aanbieder and --toewijzing");
		return GW_EXIT_USAGE;
	}
	ijw_buf_init(&out, 1u << 24);
	gw_store_ledger(c->store, &l);
	r = ijw_ledger_show(&l, g, a, nr, &lo, &out);
	if (r < 0)
		gw_warnx("ledger show: %s", gw_store_error(c->store));
	else if (r == 0)
		printf("no assignment %s of municipality %s to provider %s in the ledger\n", nr, g,
		       a);
	else
		fputs(ijw_buf_str(&out), stdout);
	ijw_buf_free(&out);
	return r < 0 ? GW_EXIT_USAGE : r == 0 ? GW_EXIT_REJECTED : GW_EXIT_OK;
}

static int
do_verify(struct ctx *c)
{
	char err[512];
	gw_store *mem = gw_history_store(c->cfg->products, err, sizeof err);
	struct ijw_buf out;
	size_t n = 0, entries = 0, diff = 0;
	int status = GW_EXIT_OK;

	if (!mem) {
		gw_warnx("ledger verify: %s", err);
		return GW_EXIT_USAGE;
	}
	ijw_buf_init(&out, 1u << 20);
	if (gw_store_begin(mem) || gw_store_replay(c->store, mem, &n) ||
	    gw_store_ledger_compare(c->store, mem, &entries, &diff, &out, SHOW_DIFFERENCES)) {
		gw_warnx("ledger verify: %s", gw_store_error(c->store));
		status = GW_EXIT_USAGE;
	} else if (diff) {
		fputs(ijw_buf_str(&out), stdout);
		printf("the ledger differs from the %zu stored messages in %zu entries\n", n, diff);
		status = GW_EXIT_REJECTED;
	} else {
		printf("the ledger agrees with the %zu stored messages: %zu entries\n", n, entries);
	}
	ijw_buf_free(&out);
	gw_store_close(mem);
	return status;
}

static int
do_rebuild(struct ctx *c, const char *keyfile)
{
	char err[512];
	size_t n = 0;

	if (keyfile && gw_store_load_ledger_key(c->store, keyfile, err, sizeof err)) {
		gw_warnx("ledger rebuild: %s", err);
		return GW_EXIT_USAGE;
	}
	if (gw_store_begin(c->store) || gw_store_replay(c->store, NULL, &n) ||
	    gw_store_commit(c->store)) {
		gw_warnx("ledger rebuild: %s", gw_store_error(c->store));
		return GW_EXIT_USAGE;
	}
	printf("the ledger is written anew from %zu stored messages%s\n", n,
	       keyfile ? ", under the new key" : "");
	return GW_EXIT_OK;
}

int
gw_cmd_ledger(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"today", required_argument, NULL, 't'},
	                                     {"gemeente", required_argument, NULL, 'g'},
	                                     {"aanbieder", required_argument, NULL, 'a'},
	                                     {"toewijzing", required_argument, NULL, 'n'},
	                                     {"key", required_argument, NULL, 'k'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *file = NULL, *g = NULL, *a = NULL, *nr = NULL, *keyfile = NULL, *what;
	struct ctx c = {.today = ijw_today()};
	struct gw_cli_gateway gw;
	char err[1024];
	int opt, status;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? GW_EXIT_USAGE : GW_EXIT_OK;
	}
	what = argv[1];
	if (strcmp(what, "import") && strcmp(what, "show") && strcmp(what, "verify") &&
	    strcmp(what, "rebuild")) {
		gw_warnx("ledger: '%s' is not import, show, verify or rebuild", what);
		return GW_EXIT_USAGE;
	}
	optind = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			break;
		case 't':
			if (!ijw_date_parse(optarg, &c.today)) {
				gw_warnx("ledger: --today wants a date YYYY-MM-DD, not '%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'g':
			g = optarg;
			break;
		case 'a':
			a = optarg;
			break;
		case 'n':
			nr = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if ((strcmp(what, "import") == 0) != (optind + 1 < argc) ||
	    (strcmp(what, "import") && optind + 1 < argc)) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (gw_cli_open("ledger", file, &gw))
		return GW_EXIT_USAGE;
	c.cfg = gw.cfg;
	c.store = gw.store;
	if (!c.cfg->ledger_key[0]) {
		gw_warnx("ledger: %s sets no ledger_key, so the gateway keeps no ledger",
		         c.cfg->file);
		gw_cli_close(&gw);
		return GW_EXIT_USAGE;
	}
	if (gw_store_load_ledger_key(c.store, c.cfg->ledger_key, err, sizeof err)) {
		gw_warnx("ledger: %s", err);
		gw_cli_close(&gw);
		return GW_EXIT_USAGE;
	}
	gw_store_set_products(c.store, c.cfg->products);
	if (strcmp(what, "import") == 0)
		status = do_import(&c, argv + optind + 1, argc - optind - 1);
	else if (strcmp(what, "show") == 0)
		status = do_show(&c, g, a, nr);
	else if (strcmp(what, "verify") == 0)
		status = do_verify(&c);
	else
		status = do_rebuild(&c, keyfile);
	fflush(stdout);
	ijw_findings_free(c.findings);
	ijw_schemas_free(c.schemas);
	gw_cli_close(&gw);
	return status;
}
