/*
 * cmd_store.c: ijw-gateway store rekey [-c FILE] [--batch N]
 *              ijw-gateway store copy --from SPEC --to SPEC
 *              ijw-gateway audit verify [-c FILE]
 *
 * The store's data at rest, kept from the command line: message bodies
 * encrypted again under the current key of store_key, a whole store copied
 * into another (from SQLite to PostgreSQL and back), and the audit log's
 * hash chain checked. All may run while the gateway runs.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"

#define DEFAULT_BATCH 256

/* What a subcommand's options say. */
struct args {
	const char *file; /* -c: the configuration, for the store of a gateway */
	unsigned long batch;
	const char *from, *to; /* store copy's stores */
};

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway store rekey [-c FILE] [--batch N]\n"
	        "       ijw-gateway store copy --from SPEC --to SPEC\n"
	        "       ijw-gateway audit verify [-c FILE]\n\n"
	        "rekey and verify work on the store and store_key of the configuration FILE\n"
	        "(by default $IJW_CONFIG, else gateway.ini in the current folder), copy on\n"
	        "the stores named; the gateway may run meanwhile.\n\n"
	        "  store rekey   encrypts again, under the first key of store_key, every\n"
	        "                message body under another key or stored in plain text, N\n"
	        "                messages per transaction (default %d), and prints how many.\n"
	        "                After it, the other keys can leave the file.\n"
	        "  audit verify  walks the audit log's hash chain from its first entry and\n"
	        "                names the first entry changed or removed\n"
	        "  store copy    copies every table of the store SPEC of --from (messages,\n"
	        "                deliveries, attempts, audit, ledger) into the empty store of\n"
	        "                --to, in one transaction, ids kept; then reads the copy back\n"
	        "                and prints per table its rows and SHA-256, which must be the\n"
	        "                source's, and checks its audit chain. A SPEC is what store =\n"
	        "                takes: a file (relative to the current folder), sqlite:PATH or\n"
	        "                postgresql://... The source must exist and is never written;\n"
	        "                it is read in one snapshot, so a copy of the store of a\n"
	        "                running gateway is the store at one moment (what the gateway\n"
	        "                stores after it is not in the copy: stop it to move a store).\n"
	        "                Bodies move sealed and the ledger keyed: a gateway on the copy\n"
	        "                needs the source's store_key and ledger_key files.\n\n"
	        "Exit status: 0 done, or the chain intact, or the copy identical; 1 the chain\n"
	        "broken, or the copy differs; 2 usage or I/O error, or a store to copy into\n"
	        "that holds rows.\n",
	        DEFAULT_BATCH);
}

static int
rekey(struct gw_cli_gateway *g, const struct args *a)
{
	char key[GW_KEY_ID_SIZE];
	size_t n = 0;

	if (!gw_keyring_current(g->keys, key)) {
		gw_warnx("store rekey: %s sets no store_key: there is no key to encrypt with",
		         g->cfg->file);
		return GW_EXIT_USAGE;
	}
	if (gw_store_rekey(g->store, a->batch, &n)) {
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
verify(struct gw_cli_gateway *g, const struct args *a)
{
	unsigned char head[GW_AUDIT_HASH];
	char why[256] = "";
	int64_t bad = 0;
	size_t n = 0;

	(void)a;
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

/* Opens the store of spec for store copy's option opt; NULL when it fails, said. */
static gw_store *
open_spec(const char *opt, const char *spec, bool existing)
{
	char err[1024], shown[512];
	gw_store *s = existing ? gw_store_open_existing(spec, NULL, err, sizeof err)
	                       : gw_store_open(spec, NULL, err, sizeof err);

	if (!s)
		gw_warnx("store copy: %s %s: %s", opt,
		         gw_store_spec_shown(spec, shown, sizeof shown), err);
	return s;
}

/* store copy --from SPEC --to SPEC: no configuration, g is NULL */
static int
copy(struct gw_cli_gateway *g, const struct args *a)
{
	struct gw_copy_report r;
	gw_store *src, *dst;
	int status = GW_EXIT_OK;

	(void)g;
	if (!(src = open_spec("--from", a->from, true)))
		return GW_EXIT_USAGE;
	if (!(dst = open_spec("--to", a->to, false))) {
		gw_store_close(src);
		return GW_EXIT_USAGE;
	}
	if (gw_store_copy(src, dst, &r)) {
		gw_warnx("store copy: %s", gw_store_error(dst));
		status = r.differs < GW_TABLES ? GW_EXIT_REJECTED : GW_EXIT_USAGE;
	}
	if (!status || r.differs < GW_TABLES)
		for (size_t t = 0; t < GW_TABLES; t++) {
			printf("%s: %zu rows, sha256 ", gw_store_table_name(t), r.rows[t]);
			for (size_t i = 0; i < sizeof r.sha256[t]; i++)
				printf("%02x", r.sha256[t][i]);
			printf("\n");
		}
	if (!status)
		printf("copied, checked: every table identical, the audit chain intact (%zu "
		       "entries)\n",
		       r.audit);
	gw_store_close(dst);
	gw_store_close(src);
	return status;
}

/*
 * `COMMAND WHAT [-c FILE] [--batch N]`, `store copy --from SPEC --to SPEC`:
 * the subcommand WHAT of COMMAND, fn.
 */
static int
run(int argc, char **argv, const char *command, const char *what,
    int (*fn)(struct gw_cli_gateway *g, const struct args *a))
{
	static const struct option opts[] = {
	        {"config", required_argument, NULL, 'c'}, {"batch", required_argument, NULL, 'b'},
	        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
	        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
	struct args a = {.batch = DEFAULT_BATCH};
	struct gw_cli_gateway gw;
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
			a.file = optarg;
			break;
		case 'b':
			errno = 0;
			a.batch = strtoul(optarg, &end, 10);
			if (fn != rekey || *optarg == '-' || !*optarg || *end || errno ||
			    a.batch < 1 || a.batch > 100000) {
				gw_warnx("%s: --batch is for store rekey, a number from 1 to "
				         "100000, not '%s'",
				         name, optarg);
				return GW_EXIT_USAGE;
			}
			break;
		case 'f':
			a.from = optarg;
			break;
		case 't':
			a.to = optarg;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	/* store copy takes its two stores and nothing else; the others no store */
	if (optind + 1 < argc || (fn == copy ? !a.from || !a.to || a.file : a.from || a.to)) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (fn == copy)
		return copy(NULL, &a);
	if (gw_cli_open(name, a.file, &gw))
		return GW_EXIT_USAGE;
	status = fn(&gw, &a);
	gw_cli_close(&gw);
	return status;
}

int
gw_cmd_store(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "copy") == 0)
		return run(argc, argv, "store", "copy", copy);
	if (argc >= 2 && strcmp(argv[1], "rekey") != 0 && argv[1][0] != '-') {
		gw_warnx("store: '%s' is neither rekey nor copy", argv[1]);
		return GW_EXIT_USAGE;
	}
	return run(argc, argv, "store", "rekey", rekey);
}

int
gw_cmd_audit(int argc, char **argv)
{
	return run(argc, argv, "audit", "verify", verify);
}
