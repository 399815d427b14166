/*
 * test_report.c: the monitoring report, from a ledger built of messages with
 * known dates and codes: each figure exactly, month boundaries, Acuut left
 * out, small cells suppressed with whatever would give them away, and the
 * three outputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gw_history.h"
#include "gw_products.h"
#include "gw_report.h"

#define G "0384"
#define A1 "42420001"
#define A2 "42420002"
#define A3 "42420003"
#define A4 "42420004"

struct fx {
	ijw_products *products;
	gw_store *store;
	struct ijw_ledger ledger;
	unsigned ident; /* the next BerichtIdentificatie */
	int64_t msg;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	char err[256];

	assert_non_null(fx);
	assert_non_null(fx->products = gw_products_load(NULL, err, sizeof err));
	assert_non_null(fx->store = gw_history_store(fx->products, err, sizeof err));
	gw_store_ledger(fx->store, &fx->ledger);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	gw_store_close(fx->store);
	ijw_products_free(fx->products);
	free(fx);
	return 0;
}

/*
 * A message of type (jw301, ...) from one party to the other, dated dag,
 * with the header's extra elements and a body, into the ledger.
 */
static void
apply(struct fx *fx, const char *type, const char *from, const char *to, const char *dag,
      const char *extra, const char *fmt, ...)
{
	struct ijw_buf b;
	struct ijw_ledger_opts lo = {.products = fx->products};
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;
	char body[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	ijw_buf_init(&b, 1u << 20);
	ijw_buf_addf(&b,
	             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	             "<%s:Bericht xmlns:%s=\"http://www.istandaarden.nl/ijw/3_2/%s/schema\" "
	             "xmlns:ijw=\"http://www.istandaarden.nl/ijw/3_2/basisschema/schema\">"
	             "<%s:Header><%s:Afzender>%s</%s:Afzender><%s:Ontvanger>%s</%s:Ontvanger>"
	             "<%s:BerichtIdentificatie><ijw:Identificatie>M%u</ijw:Identificatie>"
	             "<ijw:Dagtekening>%s</ijw:Dagtekening></%s:BerichtIdentificatie>%s"
	             "</%s:Header>%s</%s:Bericht>",
	             type, type, type, type, type, from, type, type, to, type, type, ++fx->ident,
	             dag, type, extra, type, body, type);
	assert_int_equal(ijw_doc_parse(b.data, b.len, NULL, &doc, f), IJW_OK);
	assert_non_null(doc);
	assert_int_equal(ijw_ledger_apply(&fx->ledger, doc, ++fx->msg, &lo), IJW_OK);
	ijw_doc_free(doc);
	ijw_findings_free(f);
	ijw_buf_free(&b);
}

static void
product(char *out, size_t size, const char *ns, const char *cat, const char *code)
{
	snprintf(
	        out, size,
	        "<%s:Product><ijw:Categorie>%s</ijw:Categorie><ijw:Code>%s</ijw:Code></%s:Product>",
	        ns, cat, code, ns);
}

static const char *
cat_of(const char *code, char cat[3])
{
	cat[0] = code[0];
	cat[1] = code[1];
	cat[2] = '\0';
	return cat;
}

/* A JW315 of provider a for client bsn, dated dag. */
static void
request(struct fx *fx, const char *a, const char *dag, const char *bsn, const char *ref,
        const char *code)
{
	char p[256], cat[3];

	product(p, sizeof p, "jw315", cat_of(code, cat), code);
	apply(fx, "jw315", a, G, dag, "",
	      "<jw315:Client><jw315:Bsn>%s</jw315:Bsn><jw315:AangevraagdeProducten>"
	      "<jw315:AangevraagdProduct><jw315:ReferentieAanbieder>%s</jw315:ReferentieAanbieder>"
	      "%s</jw315:AangevraagdProduct></jw315:AangevraagdeProducten></jw315:Client>",
	      bsn, ref, p);
}

/* A JW301: assignment nr of code to provider a, Toewijzingsdatum datum. */
static void
assign(struct fx *fx, const char *a, const char *bsn, const char *nr, const char *ref,
       const char *code, const char *datum, const char *reden)
{
	char p[256], r[128] = "", w[128] = "", cat[3];

	product(p, sizeof p, "jw301", cat_of(code, cat), code);
	if (*ref)
		snprintf(r, sizeof r, "<jw301:ReferentieAanbieder>%s</jw301:ReferentieAanbieder>",
		         ref);
	if (*reden)
		snprintf(w, sizeof w, "<jw301:RedenWijziging>%s</jw301:RedenWijziging>", reden);
	apply(fx, "jw301", G, a, datum, "",
	      "<jw301:Client><jw301:Bsn>%s</jw301:Bsn><jw301:ToegewezenProducten>"
	      "<jw301:ToegewezenProduct><jw301:ToewijzingNummer>%s</jw301:ToewijzingNummer>%s%s"
	      "<jw301:Toewijzingsdatum>%s</jw301:Toewijzingsdatum>"
	      "<jw301:Ingangsdatum>%s</jw301:Ingangsdatum>%s</jw301:ToegewezenProduct>"
	      "</jw301:ToegewezenProducten></jw301:Client>",
	      bsn, nr, r, p, datum, datum, w);
}

/* A JW305: the start of care on assignment nr on begin. */
static void
start(struct fx *fx, const char *a, const char *bsn, const char *nr, const char *code,
      const char *begin)
{
	char p[256], cat[3];

	product(p, sizeof p, "jw305", cat_of(code, cat), code);
	apply(fx, "jw305", a, G, begin, "",
	      "<jw305:Client><jw305:Bsn>%s</jw305:Bsn><jw305:StartProducten><jw305:StartProduct>"
	      "<jw305:ToewijzingNummer>%s</jw305:ToewijzingNummer>%s"
	      "<jw305:Begindatum>%s</jw305:Begindatum>"
	      "<jw305:StatusAanlevering>1</jw305:StatusAanlevering></jw305:StartProduct>"
	      "</jw305:StartProducten></jw305:Client>",
	      bsn, nr, p, begin);
}

/* A JW307: the delivery that began on begin stops on end for reden. */
static void
stop(struct fx *fx, const char *a, const char *bsn, const char *nr, const char *code,
     const char *begin, const char *reden, const char *end)
{
	char p[256], cat[3];

	product(p, sizeof p, "jw307", cat_of(code, cat), code);
	apply(fx, "jw307", a, G, end, "",
	      "<jw307:Client><jw307:Bsn>%s</jw307:Bsn><jw307:StopProducten><jw307:StopProduct>"
	      "<jw307:ToewijzingNummer>%s</jw307:ToewijzingNummer>%s"
	      "<jw307:Begindatum>%s</jw307:Begindatum>"
	      "<jw307:RedenBeeindiging>%s</jw307:RedenBeeindiging>"
	      "<jw307:Einddatum>%s</jw307:Einddatum>"
	      "<jw307:StatusAanlevering>1</jw307:StatusAanlevering></jw307:StopProduct>"
	      "</jw307:StopProducten></jw307:Client>",
	      bsn, nr, p, begin, reden, end);
}

/* A prestatie of cents for the month from begin to end, in a JW323 of its own. */
static const char *
prestatie(const char *ns, const char *ref, const char *nr, const char *code, const char *begin,
          const char *end, long cents, char *out, size_t size)
{
	char cat[3];

	snprintf(out, size,
	         "<%s:Prestatie><%s:ProductReferentie><ijw:ReferentieNummer>%s</"
	         "ijw:ReferentieNummer>"
	         "</%s:ProductReferentie><%s:ToewijzingNummer>%s</%s:ToewijzingNummer>"
	         "<%s:ProductCategorie>%s</%s:ProductCategorie><%s:ProductCode>%s</%s:ProductCode>"
	         "<%s:ProductPeriode><ijw:Begindatum>%s</ijw:Begindatum>"
	         "<ijw:Einddatum>%s</ijw:Einddatum></%s:ProductPeriode>"
	         "<%s:IngediendBedrag><ijw:Bedrag>%ld</ijw:Bedrag>"
	         "<ijw:DebetCredit>D</ijw:DebetCredit></%s:IngediendBedrag></%s:Prestatie>",
	         ns, ns, ref, ns, ns, nr, ns, ns, cat_of(code, cat), ns, ns, code, ns, ns, begin,
	         end, ns, ns, cents, ns, ns);
	return out;
}

/*
 * Declaration declnr of one prestatie, and the JW325 that answers it,
 * rejecting the prestatie when reject.
 */
static void
declare(struct fx *fx, const char *a, const char *bsn, const char *declnr, const char *ref,
        const char *nr, const char *code, const char *begin, const char *end, long cents,
        bool reject)
{
	char p[1024], extra[256];
	unsigned ident = fx->ident + 1;

	apply(fx, "jw323", a, G, end, "",
	      "<jw323:Declaratie><jw323:DeclaratieNummer>%s</jw323:DeclaratieNummer>"
	      "<jw323:Clienten><jw323:Client><jw323:Bsn>%s</jw323:Bsn><jw323:Prestaties>%s"
	      "</jw323:Prestaties></jw323:Client></jw323:Clienten></jw323:Declaratie>",
	      declnr, bsn, prestatie("jw323", ref, nr, code, begin, end, cents, p, sizeof p));
	snprintf(extra, sizeof extra,
	         "<jw325:DeclaratieIdentificatie><ijw:Identificatie>M%u</ijw:Identificatie>"
	         "<ijw:Dagtekening>%s</ijw:Dagtekening></jw325:DeclaratieIdentificatie>",
	         ident, end);
	apply(fx, "jw325", G, a, end, extra,
	      "<jw325:DeclaratieAntwoord><jw325:DeclaratieNummer>%s</jw325:DeclaratieNummer>"
	      "<jw325:Clienten><jw325:Client><jw325:Bsn>%s</jw325:Bsn><jw325:Prestaties>%s"
	      "</jw325:Prestaties></jw325:Client></jw325:Clienten></jw325:DeclaratieAntwoord>",
	      declnr, bsn,
	      reject ? prestatie("jw325", ref, nr, code, begin, end, cents, p, sizeof p) : "");
}

/* ---- reading the report ---- */

static json_t *
report(struct fx *fx, const char *from, const char *to, bool monthly, unsigned threshold)
{
	struct gw_report_opts o = {
	        .monthly = monthly, .threshold = threshold, .products = fx->products};
	struct ijw_buf b;
	char err[256];
	gw_report *r;
	json_t *j;

	assert_true(ijw_date_parse(from, &o.from));
	assert_true(ijw_date_parse(to, &o.to));
	r = gw_report_build(fx->store, &o, err, sizeof err);
	if (!r)
		fail_msg("report: %s", err);
	ijw_buf_init(&b, 1u << 24);
	gw_report_json(r, &b);
	gw_report_free(r);
	j = json_loadb(b.data, b.len, 0, NULL);
	assert_non_null(j);
	ijw_buf_free(&b);
	return j;
}

/* Row aanbieder x product of period p; NULL when the report has none. */
static json_t *
row(json_t *j, size_t p, const char *a, const char *product)
{
	json_t *rows = json_object_get(json_array_get(json_object_get(j, "periods"), p), "rows"),
	       *r;
	size_t i;

	json_array_foreach(rows, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "aanbieder")), a) == 0 &&
		    strcmp(json_string_value(json_object_get(r, "product")), product) == 0)
			return r;
	}
	return NULL;
}

/* The totals of provider a (NULL: the overall ones) in period p. */
static json_t *
total(json_t *j, size_t p, const char *a)
{
	json_t *po = json_array_get(json_object_get(j, "periods"), p), *t;
	size_t i;

	if (!a)
		return json_object_get(po, "total");
	json_array_foreach(json_object_get(po, "providers"), i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "aanbieder")), a) == 0)
			return t;
	}
	return NULL;
}

/* A figure as an integer; fails when it is suppressed or has no value. */
static long long
fig(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_number(v))
		fail_msg("%s is not a number", name);
	return json_is_integer(v) ? json_integer_value(v)
	                          : (long long)(json_real_value(v) * 100 + 0.5);
}

/* Whether figure name of o is suppressed: null and listed in "suppressed". */
static bool
suppressed(json_t *o, const char *name)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(o, "suppressed"), i, s)
	{
		if (strcmp(json_string_value(s), name) == 0) {
			assert_true(json_is_null(json_object_get(o, name)));
			return true;
		}
	}
	return false;
}

/* ---- a known history ---- */

/*
 * Provider A1, all in the first half of 2026 (not a leap year):
 *  client 1: request 01-05, assignment 1001 (45A04 = 2P) 01-20 honours it,
 *            start 02-02, stop 31 on 05-31; declared 750.00 for February, awarded
 *  client 2: assignment 1002 (45A01 = 2P) 01-10, start 01-15, stop 33 on 03-10;
 *            declared 500.00 for February, rejected
 *  client 3: assignment 1003 (45A02 = 2I) 01-31, start 02-01
 *  client 4: assignment 1004 (46A01 = 2A, Acuut) 02-01, start 02-01, stop 32 02-10
 *  client 5: assignment 1005 (45A98, not in the table) 02-01, removed (RedenWijziging
 *            13): no row
 *  client 6: assignment 1006 (45A99, not in the table) 02-20, start 03-01,
 *            temporary stop 03-15, start again 04-01, stop 34 on 04-30
 */
static void
history(struct fx *fx)
{
	request(fx, A1, "2026-01-05", "100000001", "VZ1", "45A04");
	assign(fx, A1, "100000001", "1001", "VZ1", "45A04", "2026-01-20", "");
	start(fx, A1, "100000001", "1001", "45A04", "2026-02-02");
	stop(fx, A1, "100000001", "1001", "45A04", "2026-02-02", "31", "2026-05-31");
	declare(fx, A1, "100000001", "D1", "P1", "1001", "45A04", "2026-02-01", "2026-02-28", 75000,
	        false);

	assign(fx, A1, "100000002", "1002", "", "45A01", "2026-01-10", "");
	start(fx, A1, "100000002", "1002", "45A01", "2026-01-15");
	stop(fx, A1, "100000002", "1002", "45A01", "2026-01-15", "33", "2026-03-10");
	declare(fx, A1, "100000002", "D2", "P2", "1002", "45A01", "2026-02-01", "2026-02-28", 50000,
	        true);

	assign(fx, A1, "100000003", "1003", "", "45A02", "2026-01-31", "");
	start(fx, A1, "100000003", "1003", "45A02", "2026-02-01");

	assign(fx, A1, "100000004", "1004", "", "46A01", "2026-02-01", "");
	start(fx, A1, "100000004", "1004", "46A01", "2026-02-01");
	stop(fx, A1, "100000004", "1004", "46A01", "2026-02-01", "32", "2026-02-10");

	assign(fx, A1, "100000005", "1005", "", "45A98", "2026-02-01", "");
	assign(fx, A1, "100000005", "1005", "", "45A98", "2026-02-01", "13");

	assign(fx, A1, "100000006", "1006", "", "45A99", "2026-02-20", "");
	start(fx, A1, "100000006", "1006", "45A99", "2026-03-01");
	stop(fx, A1, "100000006", "1006", "45A99", "2026-03-01", "20", "2026-03-15");
	start(fx, A1, "100000006", "1006", "45A99", "2026-04-01");
	stop(fx, A1, "100000006", "1006", "45A99", "2026-04-01", "34", "2026-04-30");
}

static void
test_figures(void **state)
{
	struct fx *fx = *state;
	json_t *j, *r;

	history(fx);
	j = report(fx, "2026-01-01", "2026-06-30", false, 1);
	assert_int_equal(json_array_size(json_object_get(
	                         json_array_get(json_object_get(j, "periods"), 0), "rows")),
	                 3);
	assert_non_null(r = row(j, 0, A1, "2P"));
	assert_int_equal(json_integer_value(json_object_get(r, "profile")), 2);
	assert_string_equal(json_string_value(json_object_get(r, "intensity")), "Perspectief");
	assert_int_equal(fig(r, "clients"), 2);
	assert_int_equal(fig(r, "new_assignments"), 2);
	/* waits 13 (01-20 to 02-02) and 5 (01-10 to 01-15) */
	assert_int_equal(fig(r, "starts"), 2);
	assert_int_equal(fig(r, "waiting_days_median"), 5);
	assert_int_equal(fig(r, "waiting_days_p90"), 13);
	assert_int_equal(fig(r, "requests_assigned"), 1);
	assert_int_equal(fig(r, "lead_days_median"), 15);
	assert_int_equal(fig(r, "lead_days_p90"), 15);
	/* 02-02 to 05-31 and 01-15 to 03-10 */
	assert_int_equal(fig(r, "ended"), 2);
	assert_int_equal(fig(r, "duration_days_median"), 54);
	assert_int_equal(fig(r, "duration_days_p90"), 118);
	assert_int_equal(fig(r, "ended_early"), 1);
	assert_int_equal(fig(r, "ended_as_planned"), 1);
	assert_int_equal(fig(r, "declared_eur"), 125000);
	assert_int_equal(fig(r, "awarded_eur"), 75000);
	assert_true(json_real_value(json_object_get(r, "dropout_rate")) == 0.5);
	assert_int_equal(json_array_size(json_object_get(r, "suppressed")), 0);

	assert_non_null(r = row(j, 0, A1, "2I"));
	assert_int_equal(fig(r, "clients"), 1);
	assert_int_equal(fig(r, "new_assignments"), 1);
	assert_int_equal(fig(r, "waiting_days_median"), 1);
	assert_int_equal(fig(r, "requests_assigned"), 0);
	assert_true(json_is_null(json_object_get(r, "lead_days_median")));
	assert_false(suppressed(r, "lead_days_median"));
	assert_int_equal(fig(r, "ended"), 0);
	assert_true(json_is_null(json_object_get(r, "dropout_rate")));

	/* not in the table: the national code; the temporary stop is not an end */
	assert_non_null(r = row(j, 0, A1, "45A99"));
	assert_true(json_is_null(json_object_get(r, "profile")));
	assert_int_equal(fig(r, "clients"), 1);
	assert_int_equal(fig(r, "waiting_days_median"), 9);
	assert_int_equal(fig(r, "starts"), 1);
	assert_int_equal(fig(r, "ended"), 1);
	assert_int_equal(fig(r, "duration_days_median"), 60);
	assert_int_equal(fig(r, "ended_early"), 1);
	assert_int_equal(fig(r, "ended_as_planned"), 0);
	assert_true(json_real_value(json_object_get(r, "dropout_rate")) == 1.0);

	/* Acuut is left out, rows and totals; a removed assignment counts nowhere */
	assert_null(row(j, 0, A1, "2A"));
	assert_null(row(j, 0, A1, "45A98"));
	assert_int_equal(fig(total(j, 0, A1), "clients"), 4);
	assert_int_equal(fig(total(j, 0, A1), "new_assignments"), 4);
	assert_int_equal(fig(total(j, 0, A1), "ended_early"), 2);
	assert_int_equal(fig(total(j, 0, NULL), "declared_eur"), 125000);
	assert_null(json_object_get(total(j, 0, NULL), "waiting_days_median"));
	json_decref(j);
}

static void
test_months(void **state)
{
	struct fx *fx = *state;
	json_t *j;

	history(fx);
	j = report(fx, "2026-01-01", "2026-06-30", true, 1);
	assert_int_equal(json_array_size(json_object_get(j, "periods")), 6);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(j, "periods"), 1), "period")),
	                    "2026-02");
	/* assignment 1003 on 01-31 is January's, its start on 02-01 February's */
	assert_int_equal(fig(row(j, 0, A1, "2I"), "new_assignments"), 1);
	assert_int_equal(fig(row(j, 0, A1, "2I"), "clients"), 0);
	assert_int_equal(fig(row(j, 0, A1, "2I"), "starts"), 0);
	assert_int_equal(fig(row(j, 1, A1, "2I"), "new_assignments"), 0);
	assert_int_equal(fig(row(j, 1, A1, "2I"), "clients"), 1);
	assert_int_equal(fig(row(j, 1, A1, "2I"), "starts"), 1);
	/* in care in a month: client 2 from 01-15 to 03-10, client 1 from 02-02 to 05-31 */
	assert_int_equal(fig(row(j, 0, A1, "2P"), "clients"), 1);
	assert_int_equal(fig(row(j, 1, A1, "2P"), "clients"), 2);
	assert_int_equal(fig(row(j, 2, A1, "2P"), "clients"), 2);
	assert_int_equal(fig(row(j, 3, A1, "2P"), "clients"), 1);
	assert_int_equal(fig(row(j, 4, A1, "2P"), "clients"), 1);
	assert_int_equal(fig(row(j, 5, A1, "2P"), "clients"), 0);
	/* a stop on the last day of May is May's */
	assert_int_equal(fig(row(j, 4, A1, "2P"), "ended_as_planned"), 1);
	assert_int_equal(fig(row(j, 5, A1, "2P"), "ended"), 0);
	assert_int_equal(fig(row(j, 2, A1, "2P"), "ended_early"), 1);
	/* declared for February */
	assert_int_equal(fig(row(j, 1, A1, "2P"), "declared_eur"), 125000);
	assert_int_equal(fig(row(j, 2, A1, "2P"), "declared_eur"), 0);
	/* client 6 was stopped from 03-15 to 04-01, but in care in both months */
	assert_int_equal(fig(row(j, 2, A1, "45A99"), "clients"), 1);
	assert_int_equal(fig(row(j, 3, A1, "45A99"), "clients"), 1);
	json_decref(j);

	/* a period that begins and ends within months */
	j = report(fx, "2026-01-31", "2026-02-01", true, 1);
	assert_int_equal(json_array_size(json_object_get(j, "periods")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(j, "periods"), 0), "to")),
	                    "2026-01-31");
	assert_int_equal(fig(row(j, 0, A1, "2I"), "new_assignments"), 1);
	assert_int_equal(fig(row(j, 1, A1, "2I"), "starts"), 1);
	json_decref(j);
}

/*
 * A request honoured by a later version of an assignment: the lead time
 * runs to the version that first names it, and counts once.
 */
static void
test_lead_later_version(void **state)
{
	struct fx *fx = *state;
	json_t *j;

	assign(fx, A1, "100000007", "1007", "", "45A02", "2026-02-01", "");
	request(fx, A1, "2026-02-10", "100000007", "VZ7", "45A02");
	assign(fx, A1, "100000007", "1007", "VZ7", "45A02", "2026-02-24", "");
	assign(fx, A1, "100000007", "1007", "VZ7", "45A02", "2026-03-10", "");
	j = report(fx, "2026-01-01", "2026-06-30", false, 1);
	assert_int_equal(fig(row(j, 0, A1, "2I"), "new_assignments"), 1);
	assert_int_equal(fig(row(j, 0, A1, "2I"), "requests_assigned"), 1);
	assert_int_equal(fig(row(j, 0, A1, "2I"), "lead_days_median"), 14);
	json_decref(j);
	j = report(fx, "2026-01-01", "2026-06-30", true, 1);
	assert_int_equal(fig(row(j, 1, A1, "2I"), "requests_assigned"), 1);
	assert_int_equal(fig(row(j, 2, A1, "2I"), "requests_assigned"), 0);
	json_decref(j);
}

/* n clients of provider a in care with code from 2026-03-02 (assigned 03-01). */
static void
clients(struct fx *fx, const char *a, unsigned n, const char *code)
{
	static unsigned next = 1;

	for (unsigned i = 0; i < n; i++, next++) {
		char bsn[10], nr[10];

		snprintf(bsn, sizeof bsn, "2%08u", next);
		snprintf(nr, sizeof nr, "9%06u", next);
		assign(fx, a, bsn, nr, "", code, "2026-03-01", "");
		start(fx, a, bsn, nr, code, "2026-03-02");
	}
}

/* One suppressed cell in a provider's rows: the next smallest goes too. */
static void
test_suppress_one(void **state)
{
	struct fx *fx = *state;
	json_t *j;

	clients(fx, A1, 3, "45A04"); /* 2P */
	clients(fx, A1, 6, "45A02"); /* 2I */
	clients(fx, A1, 8, "45A03"); /* 5P */
	j = report(fx, "2026-03-01", "2026-03-31", false, 5);
	assert_true(suppressed(row(j, 0, A1, "2P"), "clients"));
	/* a row of few clients loses every figure: a median of three is personal */
	assert_true(suppressed(row(j, 0, A1, "2P"), "waiting_days_median"));
	assert_true(suppressed(row(j, 0, A1, "2P"), "declared_eur"));
	assert_true(suppressed(row(j, 0, A1, "2I"), "clients"));
	assert_int_equal(fig(row(j, 0, A1, "5P"), "clients"), 8);
	assert_int_equal(fig(total(j, 0, A1), "clients"), 17);
	assert_int_equal(fig(total(j, 0, NULL), "clients"), 17);
	/* the complement has clients enough: its other figures stay */
	assert_int_equal(fig(row(j, 0, A1, "2I"), "waiting_days_median"), 1);
	json_decref(j);
}

/* Two suppressed cells that together are still few: a third goes. */
static void
test_suppress_two(void **state)
{
	struct fx *fx = *state;
	json_t *j;

	clients(fx, A2, 1, "45A04"); /* 2P */
	clients(fx, A2, 2, "45A02"); /* 2I */
	clients(fx, A2, 6, "45A03"); /* 5P */
	clients(fx, A2, 7, "45A99");
	j = report(fx, "2026-03-01", "2026-03-31", false, 5);
	assert_true(suppressed(row(j, 0, A2, "2P"), "clients"));
	assert_true(suppressed(row(j, 0, A2, "2I"), "clients"));
	assert_true(suppressed(row(j, 0, A2, "5P"), "clients"));
	assert_int_equal(fig(row(j, 0, A2, "45A99"), "clients"), 7);
	assert_int_equal(fig(total(j, 0, A2), "clients"), 16);
	json_decref(j);
}

/* A provider with one row: its total would be the row, so it goes, and the overall one. */
static void
test_suppress_single(void **state)
{
	struct fx *fx = *state;
	json_t *j;

	clients(fx, A1, 6, "45A04");
	clients(fx, A1, 7, "45A02");
	clients(fx, A3, 3, "45A04");
	j = report(fx, "2026-03-01", "2026-03-31", false, 5);
	assert_true(suppressed(row(j, 0, A3, "2P"), "clients"));
	assert_true(suppressed(total(j, 0, A3), "clients"));
	assert_true(suppressed(total(j, 0, A3), "new_assignments"));
	assert_int_equal(fig(total(j, 0, A1), "clients"), 13);
	assert_true(suppressed(total(j, 0, NULL), "clients"));
	/* 0 is shown as 0, and a total of zeros stays */
	assert_int_equal(fig(total(j, 0, NULL), "ended"), 0);
	json_decref(j);

	/* a second small provider: the overall total covers two cells of 3 and 4 */
	clients(fx, A4, 4, "45A02");
	j = report(fx, "2026-03-01", "2026-03-31", false, 5);
	assert_true(suppressed(total(j, 0, A4), "clients"));
	assert_int_equal(fig(total(j, 0, NULL), "clients"), 20);
	json_decref(j);

	/* a provider with one row of enough clients keeps its total */
	j = report(fx, "2026-03-01", "2026-03-31", false, 3);
	assert_int_equal(fig(total(j, 0, A3), "clients"), 3);
	assert_int_equal(fig(row(j, 0, A3, "2P"), "clients"), 3);
	json_decref(j);
}

static void
test_outputs(void **state)
{
	struct fx *fx = *state;
	struct gw_report_opts o;
	struct ijw_buf csv, html, frag;
	char err[256];
	gw_report *r;

	gw_report_opts_init(&o);
	assert_int_equal(o.threshold, 5);
	o.products = fx->products;
	history(fx);
	clients(fx, A1, 6, "45A02");
	assert_true(ijw_date_parse("2026-01-01", &o.from));
	assert_true(ijw_date_parse("2026-06-30", &o.to));
	assert_non_null(r = gw_report_build(fx->store, &o, err, sizeof err));
	ijw_buf_init(&csv, 1u << 20);
	ijw_buf_init(&html, 1u << 20);
	ijw_buf_init(&frag, 1u << 20);
	gw_report_csv(r, &csv);
	gw_report_html(r, false, &html);
	gw_report_html(r, true, &frag);
	gw_report_free(r);
	assert_non_null(strstr(csv.data, "period,from,to,aanbieder,product,profile,intensity,"
	                                 "clients,new_assignments,"));
	/*
	 * 2P (2 clients) and 45A99 (1) are suppressed, and 2I (7) with them so
	 * that the provider's total does not give their sum away; a complement
	 * keeps its statistics
	 */
	assert_non_null(strstr(csv.data, ",42420001,2I,2,Intensief,<5,<5,<5,1,1,0,,,0,"));
	assert_non_null(strstr(csv.data, "\n2026-01-01..2026-06-30,2026-01-01,2026-06-30,42420001,"
	                                 "total,,,10,10,10,,,<5,"));
	assert_non_null(strstr(csv.data, ",42420001,2P,2,Perspectief,<5,<5,"));
	assert_non_null(strstr(html.data, "<!DOCTYPE html>"));
	assert_non_null(strstr(html.data, "<svg class=\"report-chart\""));
	assert_non_null(strstr(html.data, "&lt;5"));
	assert_null(strstr(html.data, "<script"));
	assert_null(strstr(html.data, "src="));
	assert_null(strstr(html.data, "href="));
	assert_true(strncmp(frag.data, "<section class=\"report-section\">\n<style>", 40) == 0);
	assert_null(strstr(frag.data, "<html"));
	/* no BSN in any output */
	assert_null(strstr(csv.data, "10000000"));
	assert_null(strstr(html.data, "10000000"));
	ijw_buf_free(&csv);
	ijw_buf_free(&html);
	ijw_buf_free(&frag);
}

static void
test_errors(void **state)
{
	struct fx *fx = *state;
	struct gw_report_opts o = {.threshold = 5};
	char err[256];
	gw_store *plain;
	gw_report *r;

	assert_true(ijw_date_parse("2026-02-01", &o.from));
	assert_true(ijw_date_parse("2026-01-31", &o.to));
	assert_null(gw_report_build(fx->store, &o, err, sizeof err));
	assert_string_equal(err, "the period ends before it begins");
	/* 2006-02 to 2026-02 by month: 241 months */
	assert_true(ijw_date_parse("2006-02-28", &o.from));
	assert_true(ijw_date_parse("2026-02-01", &o.to));
	o.monthly = true;
	assert_null(gw_report_build(fx->store, &o, err, sizeof err));
	assert_string_equal(err, "a report by month covers at most 240 months, not 241");
	assert_true(ijw_date_parse("2006-03-01", &o.from));
	assert_non_null(r = gw_report_build(fx->store, &o, err, sizeof err));
	gw_report_free(r);
	o.monthly = false;
	o.to = o.from;
	assert_non_null(plain = gw_store_open(":memory:", NULL, err, sizeof err));
	assert_null(gw_report_build(plain, &o, err, sizeof err));
	assert_non_null(strstr(err, "keeps no ledger"));
	gw_store_close(plain);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_months, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lead_later_version, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_suppress_one, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_suppress_two, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_suppress_single, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_outputs, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
