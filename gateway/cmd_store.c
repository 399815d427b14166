/*
 * cmd_store.c: ijw-gateway store rekey [-c FILE] [--batch N]
 *              ijw-gateway store copy --from SPEC --to SPEC
 *              ijw-gateway store backup [-c FILE] OUT
 *              ijw-gateway store restore [-c FILE] BACKUP
 *              ijw-gateway store compact [-c FILE]
 *              ijw-gateway audit verify [-c FILE]
 *
 * The store's data at rest, kept from the command line: message bodies
 * encrypted again under the current key of store_key, a whole store copied
 * into another (from SQLite to PostgreSQL and back), backed up into a new
 * SQLite file and restored from one, compacted, and the audit log's hash
 * chain checked. All but restore and compact (of a SQLite store) may run
 * while the gateway runs.
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>
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
	const char *path;      /* store backup's OUT, store restore's BACKUP */
};

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway store rekey [-c FILE] [--batch N]\n"
	        "       ijw-gateway store copy --from SPEC --to SPEC\n"
	        "       ijw-gateway store backup [-c FILE] OUT\n"
	        "       ijw-gateway store restore [-c FILE] BACKUP\n"
	        "       ijw-gateway store compact [-c FILE]\n"
	        "       ijw-gateway audit verify [-c FILE]\n\n"
	        "All but copy work on the store and store_key of the configuration FILE\n"
	        "(by default $IJW_CONFIG, else gateway.ini in the current folder), copy on\n"
	        "the stores named; the gateway may run meanwhile, except where said.\n\n"
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
	        "                needs the source's store_key and ledger_key files.\n"
	        "  store backup  copies the store, as store copy does (one snapshot, checked),\n"
	        "                into OUT, a new SQLite file, whatever the store's backend;\n"
	        "                the gateway serves on meanwhile. OUT must not exist.\n"
	        "  store restore copies the backup BACKUP into the store, which must be\n"
	        "                empty (a new file or database), and checks it; refused while\n"
	        "                a gateway serves a SQLite store. A gateway on it needs the\n"
	        "                store_key and ledger_key files of the one backed up.\n"
	        "  store compact gives the space of the bytes that retention removed back:\n"
	        "                rebuilds a SQLite file with auto_vacuum incremental (once for\n"
	        "                a store made before it, refused while a gateway serves it);\n"
	        "                runs VACUUM on PostgreSQL.\n\n"
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

/*
 * Copies from into to (gw_store_copy) for name and prints, table by table,
 * what was copied: GW_EXIT_OK, GW_EXIT_REJECTED when the copy differs, or
 * GW_EXIT_USAGE.
 */
static int
copy_into(const char *name, gw_store *from, gw_store *to)
{
	struct gw_copy_report r;
	int status = GW_EXIT_OK;

	if (gw_store_copy(from, to, &r)) {
		gw_warnx("%s: %s", name, gw_store_error(to));
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
	return status;
}

/* store copy --from SPEC --to SPEC: no configuration, g is NULL */
static int
copy(struct gw_cli_gateway *g, const struct args *a)
{
	gw_store *src, *dst;
	int status;

	(void)g;
	if (!(src = open_spec("--from", a->from, true)))
		return GW_EXIT_USAGE;
	if (!(dst = open_spec("--to", a->to, false))) {
		gw_store_close(src);
		return GW_EXIT_USAGE;
	}
	status = copy_into("store copy", src, dst);
	gw_store_close(dst);
	gw_store_close(src);
	return status;
}

/* Removes the SQLite file path and what SQLite keeps beside it. */
static void
remove_sqlite(const char *path)
{
	static const char *const beside[] = {"", "-wal", "-shm", "-journal"};
	char name[4096];

	for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, beside[i]);
		unlink(name);
	}
}

/* store backup [-c FILE] OUT: the store, in one snapshot, into the new SQLite file OUT */
static int
backup(struct gw_cli_gateway *g, const struct args *a)
{
	char spec[4096], err[1024];
	struct stat st;
	gw_store *out;
	int status;

	if (stat(a->path, &st) == 0) {
		gw_warnx("store backup: %s: exists already: a backup goes into a new file",
		         a->path);
		return GW_EXIT_USAGE;
	}
	if (errno != ENOENT) {
		gw_warnx("store backup: %s: %s", a->path, strerror(errno));
		return GW_EXIT_USAGE;
	}
	snprintf(spec, sizeof spec, "sqlite:%s", a->path);
	if (!(out = gw_store_open(spec, NULL, err, sizeof err))) {
		/* SQLite's reasons name the file */
		gw_warnx("store backup: %s", err);
		remove_sqlite(a->path);
		return GW_EXIT_USAGE;
	}
	status = copy_into("store backup", g->store, out);
	/* the last handle checkpoints the write-ahead log into the file: one file to keep */
	gw_store_close(out);
	if (status) {
		remove_sqlite(a->path);
		return status;
	}
	printf("backed up %s into %s\n", gw_store_path(g->store), a->path);
	return GW_EXIT_OK;
}

/* store restore [-c FILE] BACKUP: the backup into the configured store, which must be empty */
static int
restore(struct gw_cli_gateway *g, const struct args *a)
{
	char spec[4096], err[1024];
	gw_store *in;
	int status;

	if (gw_store_claim(g->store, err, sizeof err)) {
		gw_warnx("store restore: stop the gateway first: %s", err);
		return GW_EXIT_USAGE;
	}
	snprintf(spec, sizeof spec, "sqlite:%s", a->path);
	if (!(in = gw_store_open_existing(spec, NULL, err, sizeof err))) {
		gw_warnx("store restore: %s: %s", a->path, err);
		return GW_EXIT_USAGE;
	}
	status = copy_into("store restore", in, g->store);
	gw_store_close(in);
	if (!status)
		printf("restored %s into %s\n", a->path, gw_store_path(g->store));
	return status;
}

/* store compact [-c FILE]: the space of removed bytes given back, a SQLite file rebuilt */
static int
compact(struct gw_cli_gateway *g, const struct args *a)
{
	char err[1024];

	(void)a;
	if (gw_store_claim(g->store, err, sizeof err)) {
		gw_warnx("store compact: stop the gateway first: %s", err);
		return GW_EXIT_USAGE;
	}
	if (gw_store_compact(g->store, true)) {
		gw_warnx("store compact: %s", gw_store_error(g->store));
		return GW_EXIT_USAGE;
	}
	printf("compacted %s\n", gw_store_path(g->store));
	return GW_EXIT_OK;
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
	/*
	 * store copy takes its two stores and nothing else; backup and restore
	 * their file; the others no store
	 */
	if (optind + 1 + (fn == backup || fn == restore) != argc ||
	    (fn == copy ? !a.from || !a.to || a.file : a.from || a.to)) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (fn == backup || fn == restore)
		a.path = argv[optind + 1];
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
	static const struct {
		const char *what;
		int (*fn)(struct gw_cli_gateway *g, const struct args *a);
	} subs[] = {{"copy", copy}, {"backup", backup}, {"restore", restore}, {"compact", compact}};

	for (size_t i = 0; argc >= 2 && i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].what) == 0)
			return run(argc, argv, "store", subs[i].what, subs[i].fn);
	if (argc >= 2 && strcmp(argv[1], "rekey") != 0 && argv[1][0] != '-') {
		gw_warnx("store: '%s' is none of rekey, copy, backup, restore, compact", argv[1]);
		return GW_EXIT_USAGE;
	}
	return run(argc, argv, "store", "rekey", rekey);
}

int
gw_cmd_audit(int argc, char **argv)
{
	return run(argc, argv, "audit", "verify", verify);
}
