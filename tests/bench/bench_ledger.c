/*
 * bench_ledger.c: what the care ledger costs on a ledger of realistic size.
 *
 * One municipality (0362) and many providers; every client has ASSIGN_PER_CLIENT
 * assignments, each of another product measured in hours, from 2025-01-01 to
 * 2026-12-31, and the providers declare them month by month from January
 * 2025. Provider 0 is a large one (up to BIG_MAX assignments), the others
 * have CLIENTS_PER_PROVIDER clients each. The messages are XML written here
 * (the generator's messages are independent of each other; these must refer
 * to the ledger's assignments), and every kind is first proven to pass
 * ijw_validate without findings and the ledger's check without findings.
 *
 *   1. build   a SQLite store file in a temporary folder under /tmp (removed
 *              at the end) is filled through the ledger's own writes: one
 *              JW301 per client, then one JW323 per provider and month, each
 *              parsed (ijw_doc_parse, not validated) and applied with
 *              ijw_ledger_apply, many in one transaction (gw_store_begin and
 *              commit). The store's file size is taken after the assignments
 *              and again after the prestaties, each time after a checkpoint
 *              that empties the write-ahead log; dbstat and a count of the
 *              ledger's keys by kind say where the bytes are.
 *   2. rate    JW305 (one start per message, on an assignment that has none)
 *              and JW323 (a declaration of DECL_SMALL prestaties for the next
 *              month) against that ledger, one message per gw_store_put,
 *              which is one transaction with its fsync:
 *                with     ijw_validate, then gw_store_put with the parsed
 *                         message and a judge that runs ijw_ledger_check
 *                         (refusing on a finding), so that the store applies
 *                         it with ijw_ledger_apply in the same transaction
 *                off      the same without the judge: the ledger written,
 *                         nothing judged (a receiver with cross_checks = off)
 *                without  ijw_validate, then gw_store_put of the bytes only
 *                         (a gateway without ledger_key)
 *              All three take turns, RACE_RUNS runs of at least MIN_SECONDS
 *              of their own time each (making the message is not timed); the
 *              figure is messages per second of the best run. with/off is
 *              what judging the cross checks leaves of the rate, with/without
 *              what the whole ledger (judging and writing) leaves of it.
 *   3. large   one JW323 of about LARGE_BYTES (provider 0, the next month,
 *              as many prestaties as fill it): ijw_validate alone against
 *              ijw_validate and ijw_ledger_check (in a transaction, as the
 *              store's judge runs), LARGE_RUNS runs each in turns, the best.
 *
 * Usage: bench_ledger [--assignments N] [--prestaties N] [--keep]
 * (defaults 1000000 and 10000000). --keep leaves the store file. Progress
 * goes to standard error; the figures to standard output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "gw_store.h"
#include "ijw_doc.h"
#include "ijw_ledger.h"
#include "ijw_validate.h"
#include "tu.h"

#define ASSIGN_PER_CLIENT 5
#define CLIENTS_PER_PROVIDER 10
#define BIG_MAX 40000           /* assignments of provider 0 at most */
#define DECL_SMALL_CLIENTS 10   /* a measured JW323: 10 clients, 50 prestaties */
#define LARGE_BYTES (25u << 20) /* the large JW323 */
#define BATCH_KEYS 200000       /* ledger records applied per build transaction */
#define RACE_RUNS 5
#define MIN_SECONDS 1.0
#define LARGE_RUNS 3
#define MSG_MAX (32u << 20)
#define FIRST_YEAR 2025 /* the first month declared: January */
#define LAST_MONTH 21   /* October 2026: the last month declared (from 0) */

#define G "0362"
#define VOLUME 10    /* hours per week assigned */
#define DELIVERED 10 /* hours declared per month */
#define TARIEF 7927  /* cents per hour */

/* A client's products, one per assignment: all measured in hours (a product twice would overlap).
 */
static const char *const product_code[ASSIGN_PER_CLIENT][2] = {
        {"45", "45A65"}, {"40", "40A03"}, {"45", "45A51"}, {"45", "45A54"}, {"46", "46A01"},
};

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif

/* snprintf for values whose size the caller knows to fit. */
static void put_text(char *out, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
put_text(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* ---- the population ---- */

static long n_assign, n_prest, n_clients, big_clients, n_providers;
static int months; /* months declared while building (the last one maybe in part) */
static unsigned long long ident_seq;

static long
client_provider(long c)
{
	return c < big_clients ? 0 : 1 + (c - big_clients) / CLIENTS_PER_PROVIDER;
}

static long
provider_first_client(long p)
{
	return p == 0 ? 0 : big_clients + (p - 1) * CLIENTS_PER_PROVIDER;
}

static long
provider_clients(long p)
{
	long first = provider_first_client(p),
	     end = p == 0 ? big_clients : first + CLIENTS_PER_PROVIDER;

	return (end > n_clients ? n_clients : end) - first;
}

static long
client_assignments(long c)
{
	long end = (c + 1) * ASSIGN_PER_CLIENT;

	return (end > n_assign ? n_assign : end) - c * ASSIGN_PER_CLIENT;
}

/* A BSN that passes the 11-proef, one per client. */
static void
bsn_of(long c, char out[10])
{
	for (long prefix = 10000000 + c;; prefix += 50000000) {
		int sum = 0;
		long x = prefix;

		for (int w = 2; w <= 9; w++, x /= 10)
			sum += w * (int)(x % 10);
		if (sum % 11 != 10) {
			put_text(out, 10, "%08ld%d", prefix, sum % 11);
			return;
		}
	}
}

static void
agb_of(long p, char out[9])
{
	put_text(out, 9, "%08ld", 42000000 + p);
}

static long
toewijzing(long idx)
{
	return 10000000 + idx;
}

/* Month m (0 = January FIRST_YEAR): its first and last day, and the Dagtekening. */
static void
month_days(int m, char begin[11], char end[11], char dag[11])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = FIRST_YEAR + m / 12, mo = m % 12 + 1;
	int last = mdays[mo - 1] + (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));

	put_text(begin, 11, "%04d-%02d-01", y, mo);
	put_text(end, 11, "%04d-%02d-%02d", y, mo, last);
	put_text(dag, 11, "%04d-%02d-05", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
}

static void
next_ident(char out[13], char kind)
{
	put_text(out, 13, "%c%011llu", kind, ++ident_seq);
}

/* ---- writing XML ---- */

struct xw {
	struct ijw_buf *b;
	const char *ns; /* the message's prefix: "jw301" */
	bool pretty;    /* indented like the generator's messages, or on one line */
	int depth;
	bool oom;
};

static void
indent(struct xw *w)
{
	static const char tabs[] = "\n\t\t\t\t\t\t\t\t\t\t\t\t";

	if (w->pretty && ijw_buf_add(w->b, tabs, (size_t)w->depth + 1))
		w->oom = true;
}

static void add(struct xw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct xw *w, const char *fmt, ...)
{
	char s[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof s || ijw_buf_add(w->b, s, (size_t)n))
		w->oom = true;
}

/* <ns:name> on a line of its own; ns NULL for the message's, "ijw" for the basisschema's */
static void
open_el(struct xw *w, const char *ns, const char *name)
{
	indent(w);
	add(w, "<%s:%s>", ns ? ns : w->ns, name);
	w->depth++;
}

static void
close_el(struct xw *w, const char *ns, const char *name)
{
	w->depth--;
	indent(w);
	add(w, "</%s:%s>", ns ? ns : w->ns, name);
}

static void
leaf(struct xw *w, const char *ns, const char *name, const char *value)
{
	ns = ns ? ns : w->ns;
	indent(w);
	add(w, "<%s:%s>%s</%s:%s>", ns, name, value, ns, name);
}

static void
leaf_l(struct xw *w, const char *ns, const char *name, long long v)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", v);
	leaf(w, ns, name, s);
}

static void
begin_msg(struct xw *w, const char *ns, const char *code, const char *afzender,
          const char *ontvanger, const char *ident, const char *dag)
{
	add(w,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s:Bericht xmlns:%s=\"http://"
	    "www.istandaarden.nl/ijw/3_2/%s/schema\" xmlns:ijw=\"http://www.istandaarden.nl/ijw/"
	    "3_2/basisschema/schema\">",
	    ns, ns, ns);
	w->depth = 1;
	open_el(w, NULL, "Header");
	leaf(w, NULL, "BerichtCode", code);
	leaf(w, NULL, "BerichtVersie", "3");
	leaf(w, NULL, "BerichtSubversie", "2");
	leaf(w, NULL, "Afzender", afzender);
	leaf(w, NULL, "Ontvanger", ontvanger);
	open_el(w, NULL, "BerichtIdentificatie");
	leaf(w, "ijw", "Identificatie", ident);
	leaf(w, "ijw", "Dagtekening", dag);
	close_el(w, NULL, "BerichtIdentificatie");
	open_el(w, NULL, "XsdVersie");
	leaf(w, "ijw", "BasisschemaXsdVersie", "1.0.0");
	leaf(w, "ijw", "BerichtXsdVersie", "1.0.0");
	close_el(w, NULL, "XsdVersie");
	close_el(w, NULL, "Header");
}

static void
end_msg(struct xw *w)
{
	w->depth = 0;
	indent(w);
	add(w, "</%s:Bericht>\n", w->ns);
}

/* The client's Bsn to Naam; a JW301 has the full name (with NaamGebruik). */
static void
client_person(struct xw *w, const char *bsn, bool full)
{
	leaf(w, NULL, "Bsn", bsn);
	open_el(w, NULL, "Geboortedatum");
	leaf(w, "ijw", "Datum", "2015-06-01");
	close_el(w, NULL, "Geboortedatum");
	leaf(w, NULL, "Geslacht", "1");
	open_el(w, NULL, "Naam");
	open_el(w, "ijw", "Geslachtsnaam");
	leaf(w, "ijw", "Achternaam", "Jansen");
	close_el(w, "ijw", "Geslachtsnaam");
	leaf(w, "ijw", "Voorletters", "A");
	if (full)
		leaf(w, "ijw", "NaamGebruik", "1");
	close_el(w, NULL, "Naam");
}

/* A JW301 that assigns client c its assignments. */
static bool
write_jw301(struct ijw_buf *b, bool pretty, long c)
{
	struct xw w = {.b = b, .ns = "jw301", .pretty = pretty};
	char bsn[10], agb[9], ident[13];

	bsn_of(c, bsn);
	agb_of(client_provider(c), agb);
	next_ident(ident, 'T');
	ijw_buf_reset(b);
	begin_msg(&w, "jw301", "436", G, agb, ident, "2024-12-16");
	open_el(&w, NULL, "Client");
	client_person(&w, bsn, true);
	open_el(&w, NULL, "Contactgegevens");
	open_el(&w, NULL, "Contact");
	leaf(&w, NULL, "Soort", "01");
	open_el(&w, NULL, "Adres");
	open_el(&w, "ijw", "Huis");
	leaf(&w, "ijw", "Huisnummer", "12");
	close_el(&w, "ijw", "Huis");
	leaf(&w, "ijw", "Postcode", "1181AB");
	leaf(&w, "ijw", "Straatnaam", "Kerkstraat");
	leaf(&w, "ijw", "Plaatsnaam", "Amstelveen");
	leaf(&w, "ijw", "LandCode", "NL");
	close_el(&w, NULL, "Adres");
	close_el(&w, NULL, "Contact");
	close_el(&w, NULL, "Contactgegevens");
	open_el(&w, NULL, "ToegewezenProducten");
	for (long k = 0; k < client_assignments(c); k++) {
		open_el(&w, NULL, "ToegewezenProduct");
		leaf_l(&w, NULL, "ToewijzingNummer", toewijzing(c * ASSIGN_PER_CLIENT + k));
		open_el(&w, NULL, "Product");
		leaf(&w, "ijw", "Categorie", product_code[k][0]);
		leaf(&w, "ijw", "Code", product_code[k][1]);
		close_el(&w, NULL, "Product");
		leaf(&w, NULL, "Toewijzingsdatum", "2024-12-15");
		leaf(&w, NULL, "Toewijzingstijd", "10:00:00");
		leaf(&w, NULL, "Ingangsdatum", "2025-01-01");
		leaf(&w, NULL, "Einddatum", "2026-12-31");
		open_el(&w, NULL, "Omvang");
		leaf_l(&w, "ijw", "Volume", VOLUME);
		leaf(&w, "ijw", "Eenheid", "04");
		leaf(&w, "ijw", "Frequentie", "2");
		close_el(&w, NULL, "Omvang");
		close_el(&w, NULL, "ToegewezenProduct");
	}
	close_el(&w, NULL, "ToegewezenProducten");
	close_el(&w, NULL, "Client");
	end_msg(&w);
	return !w.oom;
}

/* A JW305: the start of assignment idx on its first day. */
static bool
write_jw305(struct ijw_buf *b, bool pretty, long idx, char kind)
{
	struct xw w = {.b = b, .ns = "jw305", .pretty = pretty};
	long c = idx / ASSIGN_PER_CLIENT;
	char bsn[10], agb[9], ident[13];

	bsn_of(c, bsn);
	agb_of(client_provider(c), agb);
	next_ident(ident, kind);
	ijw_buf_reset(b);
	begin_msg(&w, "jw305", "438", agb, G, ident, "2025-01-10");
	open_el(&w, NULL, "Client");
	client_person(&w, bsn, false);
	open_el(&w, NULL, "StartProducten");
	open_el(&w, NULL, "StartProduct");
	leaf_l(&w, NULL, "ToewijzingNummer", toewijzing(idx));
	open_el(&w, NULL, "Product");
	leaf(&w, "ijw", "Categorie", product_code[idx % ASSIGN_PER_CLIENT][0]);
	leaf(&w, "ijw", "Code", product_code[idx % ASSIGN_PER_CLIENT][1]);
	close_el(&w, NULL, "Product");
	leaf(&w, NULL, "ToewijzingIngangsdatum", "2025-01-01");
	leaf(&w, NULL, "Begindatum", "2025-01-01");
	leaf(&w, NULL, "StatusAanlevering", "1");
	close_el(&w, NULL, "StartProduct");
	close_el(&w, NULL, "StartProducten");
	close_el(&w, NULL, "Client");
	end_msg(&w);
	return !w.oom;
}

/*
 * A JW323 of provider p for month m: a prestatie for every assignment of
 * clients [first, first + n) of p (all of them when n < 0), stopping before
 * the message would pass max_bytes (0: no limit). *nprest gets their number.
 */
static bool
write_jw323(struct ijw_buf *b, bool pretty, long p, int m, long first, long n, size_t max_bytes,
            char kind, long *nprest)
{
	struct xw w = {.b = b, .ns = "jw323", .pretty = pretty};
	char agb[9], ident[13], declnr[13], begin[11], end[11], dag[11], bsn[10], ref[21];
	long total = 0, count = 0;
	size_t total_at;

	if (n < 0 || first + n > provider_clients(p))
		n = provider_clients(p) - first;
	agb_of(p, agb);
	next_ident(ident, kind);
	month_days(m, begin, end, dag);
	put_text(declnr, sizeof declnr, "D%04d%02d%05ld", FIRST_YEAR + m / 12, m % 12 + 1, p);
	ijw_buf_reset(b);
	begin_msg(&w, "jw323", "490", agb, G, ident, dag);
	open_el(&w, NULL, "Declaratie");
	leaf(&w, NULL, "DeclaratieNummer", declnr);
	open_el(&w, NULL, "DeclaratiePeriode");
	leaf(&w, "ijw", "Begindatum", begin);
	leaf(&w, "ijw", "Einddatum", end);
	close_el(&w, NULL, "DeclaratiePeriode");
	leaf(&w, NULL, "DeclaratieDagtekening", dag);
	open_el(&w, NULL, "TotaalIngediendBedrag");
	/* the total is written when it is known: room for 12 digits, padded by spaces */
	indent(&w);
	add(&w, "<ijw:TotaalBedrag>");
	total_at = b->len;
	add(&w, "%12s</ijw:TotaalBedrag>", "");
	leaf(&w, "ijw", "DebetCredit", "D");
	close_el(&w, NULL, "TotaalIngediendBedrag");
	open_el(&w, NULL, "Clienten");
	for (long c = provider_first_client(p) + first, i = 0; i < n && !w.oom; c++, i++) {
		/* a client's block of prestaties is about 700 bytes each, pretty */
		if (max_bytes && b->len + (size_t)client_assignments(c) * 800 + 1024 > max_bytes)
			break;
		bsn_of(c, bsn);
		open_el(&w, NULL, "Client");
		leaf(&w, NULL, "Bsn", bsn);
		open_el(&w, NULL, "Prestaties");
		for (long k = 0; k < client_assignments(c); k++) {
			put_text(ref, sizeof ref, "%s-%06ld", declnr, ++count);
			open_el(&w, NULL, "Prestatie");
			open_el(&w, NULL, "ProductReferentie");
			leaf(&w, "ijw", "ReferentieNummer", ref);
			close_el(&w, NULL, "ProductReferentie");
			leaf_l(&w, NULL, "ToewijzingNummer", toewijzing(c * ASSIGN_PER_CLIENT + k));
			leaf(&w, NULL, "ProductCategorie", product_code[k][0]);
			leaf(&w, NULL, "ProductCode", product_code[k][1]);
			open_el(&w, NULL, "ProductPeriode");
			leaf(&w, "ijw", "Begindatum", begin);
			leaf(&w, "ijw", "Einddatum", end);
			close_el(&w, NULL, "ProductPeriode");
			leaf_l(&w, NULL, "GeleverdVolume", DELIVERED);
			leaf(&w, NULL, "Eenheid", "04");
			leaf_l(&w, NULL, "ProductTarief", TARIEF);
			open_el(&w, NULL, "IngediendBedrag");
			leaf_l(&w, "ijw", "Bedrag", (long long)DELIVERED * TARIEF);
			leaf(&w, "ijw", "DebetCredit", "D");
			close_el(&w, NULL, "IngediendBedrag");
			close_el(&w, NULL, "Prestatie");
			total += (long long)DELIVERED * TARIEF;
		}
		close_el(&w, NULL, "Prestaties");
		close_el(&w, NULL, "Client");
	}
	close_el(&w, NULL, "Clienten");
	close_el(&w, NULL, "Declaratie");
	end_msg(&w);
	if (w.oom)
		return false;
	/* the total in its place: the closing tag moves up, the spaces go after it */
	{
		char digits[16], *at = b->data + total_at;
		int len = snprintf(digits, sizeof digits, "%ld", total);
		static const char close_tag[] = "</ijw:TotaalBedrag>";

		memcpy(at, digits, (size_t)len);
		memcpy(at + len, close_tag, sizeof close_tag - 1);
		memset(at + len + sizeof close_tag - 1, ' ', (size_t)(12 - len));
	}
	*nprest = count;
	return true;
}

/* ---- the store ---- */

static char tmpdir[] = "/tmp/bench_ledger.XXXXXX";
static char dbpath[sizeof tmpdir + 16];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static bool keep;

static void
cleanup(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char path[sizeof dbpath + 16];

	if (keep || !dbpath[0])
		return;
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dbpath, suffix[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "bench_ledger: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	cleanup();
	exit(1);
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* Empties the write-ahead log into the file, through a connection of its own. */
static void
checkpoint(void)
{
	sqlite3 *db;
	char *err = NULL;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, &err) != SQLITE_OK)
		die("checkpoint: %s", err ? err : sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int
print_row(void *ctx, int n, char **vals, char **names)
{
	(void)ctx;
	(void)names;
	for (int i = 0; i < n; i++)
		printf(i ? " %14s" : "  %-8s", vals[i] ? vals[i] : "-");
	printf("\n");
	return 0;
}

/* dbstat by table and index, and the ledger's keys by kind (their first letter). */
static void
census(void)
{
	sqlite3 *db;
	char *err = NULL;
	double t0 = tu_now();

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("census: %s", sqlite3_errmsg(db));
	printf("\nwhere the bytes are (dbstat): name, pages, bytes of pages, payload, unused\n");
	if (sqlite3_exec(db,
	                 "SELECT name, count(*), sum(pgsize), sum(payload), sum(unused) FROM dbstat"
	                 " GROUP BY name HAVING count(*) > 1 ORDER BY sum(pgsize) DESC",
	                 print_row, "", &err) != SQLITE_OK) {
		printf("  dbstat: %s\n", err);
		sqlite3_free(err);
		err = NULL;
	}
	printf("\nledger keys by kind: kind, keys, bytes of keys, bytes of values, per key\n");
	if (sqlite3_exec(db,
	                 "SELECT substr(k, 1, 1), count(*), sum(length(k)), sum(length(v)),"
	                 " printf('%.1f', 1.0 * sum(length(k) + length(v)) / count(*))"
	                 " FROM ledger GROUP BY 1 ORDER BY 1",
	                 print_row, "", &err) != SQLITE_OK) {
		printf("  %s\n", err);
		sqlite3_free(err);
	}
	printf("  (counted in %.1f s)\n", tu_now() - t0);
	sqlite3_close(db);
}

static const unsigned char ledger_key[32] = "bench_ledger: a key for clients";

static gw_store *
open_store(void)
{
	char err[512];
	gw_store *s = gw_store_open(dbpath, NULL, err, sizeof err);

	if (!s)
		die("%s", err);
	if (gw_store_set_ledger_key(s, ledger_key, sizeof ledger_key))
		die("gw_store_set_ledger_key failed");
	return s;
}

/* Parses msg (without validating it) and applies it to the ledger. */
static void
apply_text(gw_store *s, const struct ijw_buf *msg, ijw_findings *f)
{
	struct ijw_ledger l;
	ijw_doc *doc = NULL;
	ijw_rc rc;

	gw_store_ledger(s, &l);
	ijw_findings_clear(f);
	if ((rc = ijw_doc_parse(msg->data, msg->len, NULL, &doc, f)) || !doc)
		die("a message of the build does not parse: %s", rc ? ijw_strerror(rc) : "refused");
	if ((rc = ijw_ledger_apply(&l, doc, 0, NULL)))
		die("ijw_ledger_apply: %s: %s", ijw_strerror(rc), gw_store_error(s));
	ijw_doc_free(doc);
}

/* ---- judging ---- */

struct judge {
	ijw_findings *f;
	struct ijw_ledger_opts o;
	double spent; /* in ijw_ledger_check */
	size_t refused;
	char first[600]; /* the first finding that refused a message */
};

static int
judge_ledger(void *ctx, gw_store *store, struct gw_put *items, size_t n, size_t i)
{
	struct judge *j = ctx;
	struct ijw_ledger l;

	(void)n;
	double t0 = tu_now();

	gw_store_ledger(store, &l);
	ijw_findings_clear(j->f);
	if (ijw_ledger_check(&l, items[i].doc, &j->o, j->f, NULL))
		return -1;
	j->spent += tu_now() - t0;
	if (ijw_findings_count(j->f)) {
		const struct ijw_finding *x = ijw_findings_get(j->f, 0);

		items[i].outcome = GW_PUT_REFUSED;
		if (!j->refused++)
			snprintf(j->first, sizeof j->first, "%s at %s: %s", x->rule, x->xpath,
			         x->text);
	}
	return 0;
}

struct judging {
	ijw_schemas *schemas;
	struct ijw_validate_opts vo;
	ijw_findings *f;
	struct judge j;
	gw_store *store;
};

/* ijw_validate of msg, which must pass: its document. */
static ijw_doc *
validate(struct judging *g, const struct ijw_buf *msg)
{
	ijw_doc *doc = NULL;
	ijw_rc rc;

	ijw_findings_clear(g->f);
	if ((rc = ijw_validate(g->schemas, msg->data, msg->len, &g->vo, &doc, g->f)))
		die("ijw_validate: %s", ijw_strerror(rc));
	if (ijw_findings_count(g->f)) {
		const struct ijw_finding *x = ijw_findings_get(g->f, 0);

		die("a message is rejected by ijw_validate: %s at %s (line %u): %s", x->rule,
		    x->xpath, x->line, x->text);
	}
	return doc;
}

/* The bytes this process has handed to write calls so far (wchar of /proc/self/io). */
static long long
written(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	long long n = -1;

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "wchar:", 6) == 0)
			n = strtoll(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return n;
}

/*
 * with: cross checks judged and the ledger written; off: the ledger written,
 * nothing judged (cross_checks = off); without: no ledger at all.
 */
enum { WITH, OFF, WITHOUT, HOWS };
static const char *const how_names[HOWS] = {"with", "off", "without"};

/* Where the time of the messages of one approach went. */
struct split {
	double validate, check, put; /* seconds: ijw_validate, the judge, the rest of the put */
	long long bytes;             /* handed to write calls */
};

/* What the gateway does with a message: validate, then one put (one fsync). */
static void
put_one(struct judging *g, const struct ijw_buf *msg, int how, struct split *sp)
{
	bool ledger = how != WITHOUT;
	double t0 = tu_now(), t1, judged = g->j.spent;
	long long w0 = sp ? written() : 0;
	ijw_doc *doc = validate(g, msg);
	const struct ijw_header *h = ijw_doc_header(doc);
	struct gw_put p = {.body = msg->data,
	                   .len = msg->len,
	                   .cert = "",
	                   .remote = "bench",
	                   .doc = ledger ? doc : NULL,
	                   .judge = how == WITH ? judge_ledger : NULL,
	                   .judge_ctx = &g->j,
	                   .after = -1};

	snprintf(p.msg.type, sizeof p.msg.type, "%s", ijw_msgdef(ijw_doc_type(doc))->name);
	memcpy(p.msg.sender, h->afzender, sizeof p.msg.sender);
	memcpy(p.msg.receiver, h->ontvanger, sizeof p.msg.receiver);
	memcpy(p.msg.identificatie, h->identificatie, sizeof p.msg.identificatie);
	if (!EVP_Digest(msg->data, msg->len, p.msg.sha256, NULL, EVP_sha256(), NULL))
		die("EVP_Digest failed");
	t1 = tu_now();
	if (gw_store_put(g->store, &p, 1, (int64_t)time(NULL)))
		die("gw_store_put: %s", gw_store_error(g->store));
	if (sp) {
		sp->validate += t1 - t0;
		sp->check += g->j.spent - judged;
		sp->put += tu_now() - t1 - (g->j.spent - judged);
		sp->bytes += written() - w0;
	}
	if (p.outcome != GW_PUT_NEW && p.outcome != GW_PUT_REFUSED)
		die("gw_store_put: a message was not new (outcome %d)", (int)p.outcome);
	ijw_doc_free(doc);
}

/* ---- part 1: the build ---- */

struct build {
	double t_assign, t_prest;
	long long size_empty, size_assign, size_prest;
	long n_msgs_301, n_msgs_323, prestaties;
};

static void
progress(const char *what, long done, long all, double t0)
{
	double t = tu_now() - t0;

	fprintf(stderr, "\rbench_ledger: %s %ld of %ld (%.0f%%), %.0f s, %.0f/s   ", what, done,
	        all, 100.0 * (double)done / (double)all, t, t > 0 ? (double)done / t : 0.0);
}

static void
commit_begin(gw_store *s)
{
	if (gw_store_commit(s) || gw_store_begin(s))
		die("a build transaction: %s", gw_store_error(s));
}

static void
build(struct build *r)
{
	gw_store *s = open_store();
	ijw_findings *f = ijw_findings_new();
	struct ijw_buf msg;
	long pending = 0;
	double t0, last = 0;

	if (!f)
		die("out of memory");
	ijw_buf_init(&msg, MSG_MAX);
	checkpoint();
	r->size_empty = file_size(dbpath);

	/* the assignments: a JW301 per client */
	t0 = tu_now();
	if (gw_store_begin(s))
		die("begin: %s", gw_store_error(s));
	for (long c = 0; c < n_clients; c++) {
		if (!write_jw301(&msg, false, c))
			die("out of memory");
		apply_text(s, &msg, f);
		r->n_msgs_301++;
		if ((pending += client_assignments(c)) >= BATCH_KEYS) {
			commit_begin(s);
			pending = 0;
		}
		if (tu_now() - last > 2) {
			progress("assignments", (c + 1) * ASSIGN_PER_CLIENT, n_assign, t0);
			last = tu_now();
		}
	}
	if (gw_store_commit(s))
		die("commit: %s", gw_store_error(s));
	r->t_assign = tu_now() - t0;
	fprintf(stderr, "\n");
	gw_store_close(s);
	checkpoint();
	r->size_assign = file_size(dbpath);

	/* the prestaties: a JW323 per provider and month, month by month */
	s = open_store();
	t0 = tu_now();
	last = 0;
	if (gw_store_begin(s))
		die("begin: %s", gw_store_error(s));
	for (int m = 0; m < months && r->prestaties < n_prest; m++) {
		for (long p = 0; p < n_providers && r->prestaties < n_prest; p++) {
			long want = n_prest - r->prestaties, clients = provider_clients(p), np = 0;

			/* the last month may cover only part of the clients */
			if (want < clients * ASSIGN_PER_CLIENT)
				clients = (want + ASSIGN_PER_CLIENT - 1) / ASSIGN_PER_CLIENT;
			if (!write_jw323(&msg, false, p, m, 0, clients, 0, 'B', &np))
				die("out of memory");
			apply_text(s, &msg, f);
			r->n_msgs_323++;
			r->prestaties += np;
			if ((pending += np) >= BATCH_KEYS) {
				commit_begin(s);
				pending = 0;
			}
			if (tu_now() - last > 2) {
				progress("prestaties", r->prestaties, n_prest, t0);
				last = tu_now();
			}
		}
	}
	if (gw_store_commit(s))
		die("commit: %s", gw_store_error(s));
	r->t_prest = tu_now() - t0;
	fprintf(stderr, "\n");
	gw_store_close(s);
	checkpoint();
	r->size_prest = file_size(dbpath);
	ijw_buf_free(&msg);
	ijw_findings_free(f);
}

/* ---- part 2: messages per second ---- */

struct race {
	const char *label;
	double best[HOWS];
	double mean[HOWS]; /* messages over time summed over all runs */
	size_t count[HOWS];
	double time[HOWS];
	struct split split[HOWS];
	size_t bytes;   /* of one message */
	bool exhausted; /* ran out of fresh messages */
};

/* The next fresh message of a kind into msg; false when there are no more. */
typedef bool (*next_fn)(struct ijw_buf *msg, bool ledger, size_t *state);

static long
stride_for(long n)
{
	long s = n / 2 + 7919;

	for (;; s++) {
		long a = s, b = n;

		while (b) {
			long t = a % b;

			a = b;
			b = t;
		}
		if (a == 1)
			return s % n ? s % n : 1;
	}
}

/* JW305: a start on each assignment in turn, in an order spread over the ledger. */
static bool
next_jw305(struct ijw_buf *msg, bool ledger, size_t *state)
{
	static long stride;
	long k;

	if (!ledger) /* without the ledger any assignment will do, again and again */
		k = (long)(*state)++ % n_assign;
	else if ((k = (long)(*state)++) >= n_assign)
		return false;
	if (!stride)
		stride = stride_for(n_assign);
	return write_jw305(msg, true, (long)((k * (long long)stride) % n_assign),
	                   ledger ? 'S' : 'X') ||
	       (die("out of memory"), false);
}

/* JW323: the next month of the next provider (not provider 0), its first clients. */
static bool
next_jw323(struct ijw_buf *msg, bool ledger, size_t *state)
{
	static long stride;
	long others = n_providers - 1, k = (long)(*state)++, p, np;
	int m;

	if (others < 1)
		return false;
	if (!stride)
		stride = stride_for(others);
	p = 1 + (long)((k % others) * (long long)stride % others);
	m = months + (int)(k / others);
	if (!ledger)
		m = months;
	else if (m > LAST_MONTH)
		return false;
	if (!write_jw323(msg, true, p, m, 0, DECL_SMALL_CLIENTS, 0, ledger ? 'D' : 'Y', &np))
		die("out of memory");
	return true;
}

static void
race(struct judging *g, struct race *r, next_fn next)
{
	struct ijw_buf msg;
	size_t state[2] = {0, 0};

	ijw_buf_init(&msg, MSG_MAX);
	/* one message each way, untimed: warms the caches and proves all pass */
	for (int how = WITH; how < HOWS; how++) {
		if (!next(&msg, how != WITHOUT, &state[how == WITHOUT]))
			die("%s: no message to begin with", r->label);
		r->bytes = msg.len;
		put_one(g, &msg, how, NULL);
	}
	if (g->j.refused)
		die("%s: the ledger refuses the first message: %s", r->label, g->j.first);
	/*
	 * Only the messages for the ledger can run out (with and off draw fresh ones
	 * from one supply): the run without still takes its turn.
	 */
	for (int run = 0; run < RACE_RUNS && !r->exhausted; run++) {
		for (int how = WITH; how < HOWS; how++) {
			double spent = 0;
			size_t n = 0;

			if (how != WITHOUT && r->exhausted)
				continue;
			while (spent < MIN_SECONDS) {
				double t0;

				if (!next(&msg, how != WITHOUT, &state[how == WITHOUT])) {
					r->exhausted = true;
					break;
				}
				t0 = tu_now();
				put_one(g, &msg, how, &r->split[how]);
				spent += tu_now() - t0;
				n++;
			}
			if (spent > 0 && (double)n / spent > r->best[how])
				r->best[how] = (double)n / spent;
			r->count[how] += n;
			r->time[how] += spent;
			fprintf(stderr, "bench_ledger: %s run %d %s: %zu messages, %.1f/s\n",
			        r->label, run + 1, how_names[how], n,
			        spent > 0 ? (double)n / spent : 0.0);
		}
	}
	for (int how = WITH; how < HOWS; how++)
		r->mean[how] = r->time[how] > 0 ? (double)r->count[how] / r->time[how] : 0;
	ijw_buf_free(&msg);
}

/* ---- part 3: the large declaration ---- */

struct large {
	size_t bytes;
	long prestaties;
	double best[2]; /* seconds: validate alone, validate + check */
	double check_only;
};

static void
large(struct judging *g, struct large *r)
{
	struct ijw_buf msg;
	struct ijw_ledger l;

	ijw_buf_init(&msg, MSG_MAX);
	if (!write_jw323(&msg, true, 0, months, 0, -1, LARGE_BYTES, 'L', &r->prestaties))
		die("out of memory");
	r->bytes = msg.len;
	gw_store_ledger(g->store, &l);
	r->best[0] = r->best[1] = r->check_only = 1e300;
	for (int run = 0; run < LARGE_RUNS + 1; run++) {
		for (int how = 0; how < 2; how++) {
			double t0 = tu_now(), t1;
			ijw_doc *doc = validate(g, &msg);

			t1 = tu_now();
			if (how == 1) {
				if (gw_store_begin(g->store))
					die("begin: %s", gw_store_error(g->store));
				ijw_findings_clear(g->j.f);
				if (ijw_ledger_check(&l, doc, &g->j.o, g->j.f, NULL))
					die("ijw_ledger_check: %s", gw_store_error(g->store));
				if (gw_store_commit(g->store))
					die("commit: %s", gw_store_error(g->store));
				if (ijw_findings_count(g->j.f)) {
					const struct ijw_finding *x = ijw_findings_get(g->j.f, 0);

					die("the large declaration has %zu ledger findings, the "
					    "first %s at "
					    "%s: %s",
					    ijw_findings_count(g->j.f), x->rule, x->xpath, x->text);
				}
			}
			double t = tu_now() - t0;

			ijw_doc_free(doc);
			fprintf(stderr, "bench_ledger: large run %d %s: %.3f s\n", run,
			        how ? "validate + check" : "validate", t);
			if (run == 0) /* the first is a warm-up */
				continue;
			if (t < r->best[how])
				r->best[how] = t;
			if (how == 1 && t - (t1 - t0) < r->check_only)
				r->check_only = t - (t1 - t0);
		}
	}
	ijw_buf_free(&msg);
}

/* ---- output ---- */

static double
mib(long long bytes)
{
	return (double)bytes / 1048576.0;
}

/* A count given on the command line (1e6 is written 1000000); -1 when it is none. */
static long
count_arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || end == s || *end ? -1 : v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_ledger [--assignments N] [--prestaties N] [--keep]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct build b = {0};
	struct race r305 = {.label = "JW305"}, r323 = {.label = "JW323"};
	struct large lg = {0};
	struct judging g = {0};
	double t_start = tu_now();
	ijw_rc rc;

	n_assign = 1000000;
	n_prest = 10000000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--assignments") == 0 && i + 1 < argc)
			n_assign = count_arg(argv[++i]);
		else if (strcmp(argv[i], "--prestaties") == 0 && i + 1 < argc)
			n_prest = count_arg(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else
			usage();
	}
	if (n_assign < 1000 || n_assign > 80000000 || n_prest < n_assign)
		die("--assignments from 1000 and --prestaties at least as many");
	n_clients = (n_assign + ASSIGN_PER_CLIENT - 1) / ASSIGN_PER_CLIENT;
	big_clients = n_clients / 2 < BIG_MAX / ASSIGN_PER_CLIENT ? n_clients / 2
	                                                          : BIG_MAX / ASSIGN_PER_CLIENT;
	n_providers =
	        1 + (n_clients - big_clients + CLIENTS_PER_PROVIDER - 1) / CLIENTS_PER_PROVIDER;
	months = (int)((n_prest + n_assign - 1) / n_assign);
	if (months > LAST_MONTH)
		die("--prestaties at most %d times --assignments", LAST_MONTH);
	if (n_providers > 99999)
		die("too many providers for a DeclaratieNummer");
	if (!mkdtemp(tmpdir))
		die("mkdtemp: %s", strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/ledger.db", tmpdir);

	/* the judging: one schema set, the store's ledger, no regional product table */
	ijw_validate_opts_init(&g.vo);
	if ((rc = ijw_schemas_new(NULL, &g.schemas)) || !(g.f = ijw_findings_new()) ||
	    !(g.j.f = ijw_findings_new()))
		die("%s", ijw_strerror(rc ? rc : IJW_ENOMEM));
	if (ijw_schemas_load_all(g.schemas))
		die("built-in schemas: %s", ijw_schemas_error(g.schemas));
	g.j.o.today = ijw_today();

	/* every kind of message passes ijw_validate before anything is measured */
	{
		struct ijw_buf m;
		long np;
		unsigned long long seq = ident_seq;

		ijw_buf_init(&m, MSG_MAX);
		if (!write_jw301(&m, true, 0))
			die("out of memory");
		ijw_doc_free(validate(&g, &m));
		if (!write_jw305(&m, true, 0, 'S'))
			die("out of memory");
		ijw_doc_free(validate(&g, &m));
		if (!write_jw323(&m, true, 1 % n_providers, 0, 0, -1, 0, 'B', &np))
			die("out of memory");
		ijw_doc_free(validate(&g, &m));
		ijw_buf_free(&m);
		ident_seq = seq;
	}

	printf("ijw-gateway care ledger benchmark (%s build, SQLite %s)\n\n", BENCH_BUILDTYPE,
	       sqlite3_libversion());
	printf("store: %s (removed at the end%s)\n", dbpath, keep ? ": no, --keep" : "");
	printf("ledger: municipality %s, %ld providers (provider 0 with %ld assignments, the "
	       "others %d),\n        %ld clients with %d assignments each, %ld assignments, "
	       "%ld prestaties\n        (%d months declared)\n\n",
	       G, n_providers, big_clients * ASSIGN_PER_CLIENT,
	       CLIENTS_PER_PROVIDER * ASSIGN_PER_CLIENT, n_clients, ASSIGN_PER_CLIENT, n_assign,
	       n_prest, months);
	fflush(stdout);

	/* 1 */
	build(&b);
	printf("1. build through ijw_ledger_apply (ijw_doc_parse, no validation), %d records per "
	       "transaction\n",
	       BATCH_KEYS);
	printf("  assignments: %ld in %ld JW301, %.1f s, %.0f assignments/s\n", n_assign,
	       b.n_msgs_301, b.t_assign, (double)n_assign / b.t_assign);
	printf("  prestaties:  %ld in %ld JW323, %.1f s, %.0f prestaties/s\n", b.prestaties,
	       b.n_msgs_323, b.t_prest, (double)b.prestaties / b.t_prest);
	printf("  file: %lld bytes empty, %lld (%.1f MiB) with the assignments, %lld (%.1f MiB) "
	       "with the prestaties\n",
	       b.size_empty, b.size_assign, mib(b.size_assign), b.size_prest, mib(b.size_prest));
	printf("  bytes per assignment: %.1f (file growth over the assignments)\n",
	       (double)(b.size_assign - b.size_empty) / (double)n_assign);
	printf("  bytes per prestatie:  %.1f (file growth over the prestaties, with the "
	       "declarations' own keys\n                        and each assignment's sums)\n",
	       (double)(b.size_prest - b.size_assign) / (double)b.prestaties);
	census();
	fflush(stdout);

	g.store = open_store();
	/* the large declaration goes first: its month is still free of the others */
	large(&g, &lg);
	race(&g, &r305, next_jw305);
	race(&g, &r323, next_jw323);

	printf("\n2. messages per second, one message per put (one transaction, fsync), best "
	       "of %d runs\n   of >= %.1f s taking turns (and the mean over all runs)\n",
	       RACE_RUNS, MIN_SECONDS);
	printf("   with:    ijw_validate + put with ijw_ledger_check (judge) and "
	       "ijw_ledger_apply\n   off:     ijw_validate + put with ijw_ledger_apply "
	       "(cross_checks = off: the ledger\n            written, nothing judged)\n"
	       "   without: ijw_validate + put of the message only (no ledger_key)\n\n");
	printf("  %-6s %8s %10s %10s %10s %10s %10s %12s\n", "type", "bytes", "with", "off",
	       "without", "with/off", "with/wo", "(mean w/wo)");
	for (int i = 0; i < 2; i++) {
		struct race *r = i ? &r323 : &r305;

		printf("  %-6s %8zu %10.1f %10.1f %10.1f %10.2f %10.2f %12.2f%s\n", r->label,
		       r->bytes, r->best[WITH], r->best[OFF], r->best[WITHOUT],
		       r->best[WITH] / r->best[OFF], r->best[WITH] / r->best[WITHOUT],
		       r->mean[WITH] / r->mean[WITHOUT],
		       r->exhausted ? "  (ran out of fresh messages)" : "");
	}
	printf("\n  where the time went, ms per message (all runs): ijw_validate, ijw_ledger_check "
	       "(the judge),\n  the rest of the put (with: storing, ijw_ledger_apply, commit and "
	       "fsync), and the\n  bytes handed to write calls per message (WAL frames and "
	       "checkpoints)\n\n");
	printf("  %-6s %-8s %9s %9s %9s %9s %10s\n", "type", "", "validate", "check", "put",
	       "total", "written");
	for (int i = 0; i < 2; i++) {
		struct race *r = i ? &r323 : &r305;

		for (int how = WITH; how < HOWS; how++) {
			const struct split *sp = &r->split[how];
			double n = r->count[how] ? (double)r->count[how] : 1;

			printf("  %-6s %-8s %9.3f %9.3f %9.3f %9.3f %10.0f\n", r->label,
			       how_names[how], 1e3 * sp->validate / n, 1e3 * sp->check / n,
			       1e3 * sp->put / n, 1e3 * (sp->validate + sp->check + sp->put) / n,
			       (double)sp->bytes / n);
		}
	}
	printf("  refused by the ledger while timed: %zu%s%s\n", g.j.refused,
	       g.j.refused ? ", the first: " : "", g.j.first);

	printf("\n3. one JW323 of %zu bytes (%.1f MiB), %ld prestaties, best of %d runs\n",
	       lg.bytes, mib((long long)lg.bytes), lg.prestaties, LARGE_RUNS);
	printf("  ijw_validate:                    %.3f s\n", lg.best[0]);
	printf("  ijw_validate + ijw_ledger_check: %.3f s (the check alone at best %.3f s)\n",
	       lg.best[1], lg.check_only);
	printf("  ratio: %.2fx\n", lg.best[1] / lg.best[0]);

	printf("\nfigures (%s build, %ld assignments, %ld prestaties, %ld providers):\n",
	       BENCH_BUILDTYPE, n_assign, b.prestaties, n_providers);
	printf("  build: assignments %.1f s (%.0f/s), prestaties %.1f s (%.0f/s), file %.1f MiB\n",
	       b.t_assign, (double)n_assign / b.t_assign, b.t_prest,
	       (double)b.prestaties / b.t_prest, mib(b.size_prest));
	printf("  bytes: %.1f per assignment, %.1f per prestatie\n",
	       (double)(b.size_assign - b.size_empty) / (double)n_assign,
	       (double)(b.size_prest - b.size_assign) / (double)b.prestaties);
	for (int i = 0; i < 2; i++) {
		struct race *r = i ? &r323 : &r305;

		printf("  %s msg/s: with cross checks %.1f, off %.1f, no ledger %.1f; with/off "
		       "%.2f, "
		       "with/no ledger %.2f (target >= 0.70)\n",
		       r->label, r->best[WITH], r->best[OFF], r->best[WITHOUT],
		       r->best[WITH] / r->best[OFF], r->best[WITH] / r->best[WITHOUT]);
	}
	printf("  JW323 %.1f MiB (%ld prestaties): validate %.3f s, + check %.3f s, ratio %.2fx "
	       "(target <= 2x: %s)\n",
	       mib((long long)lg.bytes), lg.prestaties, lg.best[0], lg.best[1],
	       lg.best[1] / lg.best[0], lg.best[1] / lg.best[0] <= 2.0 ? "met" : "NOT met");
	printf("  total run time %.0f s\n", tu_now() - t_start);

	gw_store_close(g.store);
	ijw_schemas_free(g.schemas);
	ijw_findings_free(g.f);
	ijw_findings_free(g.j.f);
	cleanup();
	return 0;
}
