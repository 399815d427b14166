/*
 * ijw_rules.c: the table of in-message rules and their checks.
 *
 * Every check walks the records of the typed view (ijw_doc.h) and reads the
 * elements below them. The document has passed its schema, so elements are in
 * their places and dates and numbers are well-formed; a check still treats an
 * absent optional element as absent, never as an error of its own.
 *
 * Where the standard names a rule without saying which element it applies to,
 * the table says which elements are checked (TR134: the dates of events that
 * have happened by the time of sending; TR137: the end of a period; TR380: the
 * start of a new product, since TR357 allows a TeWijzigenProduct to keep its
 * original start).
 *
 * Checks that compare records with each other (duplicates, overlaps, unique
 * references) sort instead of comparing every pair, so that a hostile message
 * with many thousands of records costs O(n log n).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ijw_rules.h"

#define T(x) (UINT32_C(1) << IJW_##x)
#define HEEN_CLIENT_TYPES (T(JW301) | T(JW305) | T(JW307) | T(JW315))

struct run {
	const struct ijw_rule *rule;
	const ijw_doc *doc;
	enum ijw_type type;
	ijw_day dag;   /* the Dagtekening of the message */
	ijw_day today; /* the system date */
	ijw_findings *f;
	ijw_rc rc;
};

/* ---- reading the document ---- */

static xmlNodePtr
at(xmlNodePtr n, const char *path)
{
	return (xmlNodePtr)ijw_node_at(n, path);
}

/*
 * The text of the element at path below n in buf, or NULL when the element is
 * absent; "" when it does not fit, which the schemas rule out for the buffers
 * used here.
 */
static const char *
text(xmlNodePtr n, const char *path, char *buf, size_t size)
{
	if (!(n = at(n, path)))
		return NULL;
	ijw_node_text(n, buf, size);
	return buf;
}

static bool
has(xmlNodePtr n, const char *path)
{
	return at(n, path) != NULL;
}

/* Whether the element at path holds value. */
static bool
is(xmlNodePtr n, const char *path, const char *value)
{
	char buf[64];
	const char *v = text(n, path, buf, sizeof buf);

	return v && strcmp(v, value) == 0;
}

/* The date at path below n; false when absent (or, which XSD excludes, invalid). */
static bool
date(xmlNodePtr n, const char *path, ijw_day *d)
{
	char buf[IJW_DATE_SIZE];
	const char *v = text(n, path, buf, sizeof buf);

	return v && ijw_date_parse(v, d);
}

/* The number at path below n, or -1 when absent. */
static long long
number(xmlNodePtr n, const char *path)
{
	char buf[32];
	const char *v = text(n, path, buf, sizeof buf);

	return v ? strtoll(v, NULL, 10) : -1;
}

/* An amount (CDT_BedragMetDC) at path, signed: credit is negative. */
static bool
amount(xmlNodePtr n, const char *path, const char *value_el, long long *out)
{
	xmlNodePtr a = at(n, path);

	if (!a)
		return false;
	*out = number(a, value_el);
	if (is(a, "DebetCredit", "C"))
		*out = -*out;
	return true;
}

/* The next record of level at or after *i, or NULL; *i moves past it. */
static const struct ijw_record *
next_of(const struct run *r, const char *level, size_t *i)
{
	const struct ijw_record *rec;

	while ((rec = ijw_doc_record(r->doc, (*i)++)))
		if (strcmp(rec->level, level) == 0)
			return rec;
	return NULL;
}

#define EACH(r, level, rec) for (size_t i_##rec = 0; ((rec) = next_of(r, level, &i_##rec)) != NULL;)

static xmlNodePtr
root_of(const struct run *r)
{
	return xmlDocGetRootElement(ijw_doc_xml(r->doc));
}

static ijw_day
years_before(ijw_day day, int years)
{
	int y, m, d, dm;

	ijw_date_to_ymd(day, &y, &m, &d);
	dm = ijw_month_days(y - years, m);
	return ijw_date_from_ymd(y - years, m, d > dm ? dm : d);
}

static void report(struct run *r, xmlNodePtr node, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
report(struct run *r, xmlNodePtr node, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (r->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->rc = ijw_findings_add_node(r->f, node ? node : root_of(r), r->rule->code,
	                              r->rule->retourcode, "%s", msg);
}

static void
fmt_date(ijw_day d, char *out)
{
	ijw_date_format(d, out);
}

/* ---- the products of assignments and requests ---- */

/*
 * The record levels that carry an assigned or requested product, with the
 * names of their start and end dates.
 */
static const struct shape {
	enum ijw_type type;
	const char *level, *begin, *end;
	bool product; /* has a Product element */
} shapes[] = {
        {IJW_JW301, "ToegewezenProduct", "Ingangsdatum", "Einddatum", true},
        {IJW_JW315, "AangevraagdProduct", "ToewijzingIngangsdatum", "ToewijzingEinddatum", true},
        {IJW_JW317, "NieuwProduct", "GewensteIngangsdatum", "Einddatum", true},
        {IJW_JW317, "TeWijzigenProduct", "GewensteIngangsdatum", "Einddatum", false},
};

#define EACH_SHAPE(r, s)                                                                           \
	for (const struct shape *s = shapes; s < shapes + sizeof shapes / sizeof shapes[0]; s++)   \
		if (s->type == (r)->type)

/* Whether the end date at n is empty or after 2020-12-31 (CD080, CS338, ...). */
static bool
open_or_after_2020(xmlNodePtr n, const char *end)
{
	ijw_day d;

	return !date(n, end, &d) || d > ijw_date_from_ymd(2020, 12, 31);
}

/* CD041: a product code asks for an Omvang. */
static void
check_code_needs_omvang(struct run *r)
{
	const struct ijw_record *rec;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (s->product && has(rec->node, "Product/Code") && !has(rec->node, "Omvang"))
			report(r, rec->node,
			       "%s has Product/Code %s but no Omvang; give the Omvang (Volume, "
			       "Eenheid, Frequentie) of a product with a code",
			       s->level, rec->productcode);
	}
}

/* CD075: a Budget asks for an end date. */
static void
check_budget_needs_end(struct run *r)
{
	const struct ijw_record *rec;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (has(rec->node, "Budget") && !has(rec->node, s->end))
			report(r, rec->node,
			       "%s has a Budget but no %s; a budget needs an end date", s->level,
			       s->end);
	}
}

/* CD076: a weekly frequency asks for an end date. */
static void
check_weekly_needs_end(struct run *r)
{
	const struct ijw_record *rec;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (is(rec->node, "Omvang/Frequentie", "2") && !has(rec->node, s->end))
			report(r, at(rec->node, "Omvang/Frequentie"),
			       "Frequentie 2 (per week) needs an %s in %s", s->end, s->level);
	}
}

/* CD077 and CD078: Budget and Omvang exclude each other. */
static void
check_budget_or_omvang(struct run *r)
{
	const struct ijw_record *rec;
	bool budget_rule = strcmp(r->rule->code, "CD077") == 0;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (has(rec->node, "Budget") && has(rec->node, "Omvang"))
			report(r, at(rec->node, budget_rule ? "Omvang" : "Budget"),
			       "%s has both a Budget and an Omvang; leave out the %s", s->level,
			       budget_rule ? "Omvang (there is a Budget)"
			                   : "Budget (there is an Omvang)");
	}
}

/* CD079: without a Budget the Product is required. */
static void
check_product_without_budget(struct run *r)
{
	const struct ijw_record *rec;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (s->product && !has(rec->node, "Budget") && !has(rec->node, "Product"))
			report(r, rec->node,
			       "%s has neither a Product nor a Budget; give the Product", s->level);
	}
}

/* CD080, CD095, CD096: no Omvang for a category-only product after 2020. */
static void
check_no_omvang_without_code(struct run *r)
{
	const struct ijw_record *rec;

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (s->product && !has(rec->node, "Product/Code") && has(rec->node, "Omvang") &&
		    open_or_after_2020(rec->node, s->end))
			report(r, at(rec->node, "Omvang"),
			       "%s has an Omvang but its Product has no Code; leave the Omvang out "
			       "when the product is given by category only",
			       s->level);
	}
}

/* CS338, CS343: time-bound units need a frequency per week, month or in total. */
static void
check_unit_frequency(struct run *r)
{
	static const char *const units[] = {"14", "16", "83", "84"};
	const struct ijw_record *rec;
	char eenheid[4], freq[4];

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		bool bound = false;

		if (!text(rec->node, "Omvang/Eenheid", eenheid, sizeof eenheid) ||
		    !text(rec->node, "Omvang/Frequentie", freq, sizeof freq) ||
		    !open_or_after_2020(rec->node, s->end))
			continue;
		for (size_t i = 0; i < 4; i++)
			bound |= strcmp(eenheid, units[i]) == 0;
		if (bound && strcmp(freq, "2") && strcmp(freq, "4") && strcmp(freq, "6"))
			report(r, at(rec->node, "Omvang/Frequentie"),
			       "Eenheid %s goes with Frequentie 2 (per week), 4 (per month) or 6 "
			       "(in total), not %s",
			       eenheid, freq);
	}
}

/* CS003: an end date is not before its start. */
static void
check_end_after_begin(struct run *r)
{
	const struct ijw_record *rec;
	ijw_day b, e;
	char bs[IJW_DATE_SIZE], es[IJW_DATE_SIZE];

	EACH_SHAPE(r, s) EACH(r, s->level, rec)
	{
		if (date(rec->node, s->begin, &b) && date(rec->node, s->end, &e) && e < b) {
			fmt_date(b, bs);
			fmt_date(e, es);
			report(r, at(rec->node, s->end), "%s %s is before %s %s in %s", s->end, es,
			       s->begin, bs, s->level);
		}
	}
	if (r->type != IJW_JW301)
		return;
	EACH(r, "Contact", rec)
	{
		xmlNodePtr p = at(rec->node, "Periode");

		if (p && date(p, "Begindatum", &b) && date(p, "Einddatum", &e) && e < b) {
			fmt_date(b, bs);
			fmt_date(e, es);
			report(r, at(p, "Einddatum"),
			       "the Einddatum %s of the Periode is before its Begindatum %s", es,
			       bs);
		}
	}
}

/*
 * Overlapping periods of the same product (TR302, TR386, TR410). Products
 * match on category and code; a product without code matches every product
 * of its category, one without category every product.
 */
struct span {
	char cat[3], code[6];
	ijw_day begin, end;
	xmlNodePtr node;
	bool flagged;
};

static int
by_begin(const void *a, const void *b)
{
	const struct span *x = *(struct span *const *)a, *y = *(struct span *const *)b;

	return (x->begin > y->begin) - (x->begin < y->begin);
}

static int
by_cat_begin(const void *a, const void *b)
{
	const struct span *x = *(struct span *const *)a, *y = *(struct span *const *)b;
	int c = strcmp(x->cat, y->cat);

	return c ? c : by_begin(a, b);
}

static int
by_code_begin(const void *a, const void *b)
{
	const struct span *x = *(struct span *const *)a, *y = *(struct span *const *)b;
	int c = strcmp(x->cat, y->cat);

	if (!c)
		c = strcmp(x->code, y->code);
	return c ? c : by_begin(a, b);
}

/*
 * One sweep over spans sorted by group (cmp without the date) and start: a
 * span conflicts with an earlier one of its group that has not ended, where
 * wide spans (no category, or no code) conflict with every span and narrow
 * ones with the wide ones and each other only when narrow is set.
 */
static void
sweep(struct span **v, size_t n, int (*group)(const struct span *, const struct span *),
      bool (*wide)(const struct span *), bool narrow_meet)
{
	ijw_day end_all = 0, end_wide = 0;
	bool any_all = false, any_wide = false;

	for (size_t i = 0; i < n; i++) {
		struct span *s = v[i];

		if (i > 0 && group(v[i - 1], s) != 0)
			any_all = any_wide = false;
		if ((any_wide && end_wide >= s->begin) ||
		    ((wide(s) || narrow_meet) && any_all && end_all >= s->begin))
			s->flagged = true;
		if (!any_all || s->end > end_all)
			end_all = s->end;
		any_all = true;
		if (wide(s) && (!any_wide || s->end > end_wide)) {
			end_wide = s->end;
			any_wide = true;
		}
	}
}

static int
group_none(const struct span *a, const struct span *b)
{
	(void)a;
	(void)b;
	return 0;
}

static int
group_cat(const struct span *a, const struct span *b)
{
	return strcmp(a->cat, b->cat);
}

static int
group_code(const struct span *a, const struct span *b)
{
	int c = strcmp(a->cat, b->cat);

	return c ? c : strcmp(a->code, b->code);
}

static bool
no_cat(const struct span *s)
{
	return !s->cat[0];
}

static bool
no_code(const struct span *s)
{
	return !s->code[0];
}

static bool
never(const struct span *s)
{
	(void)s;
	return false;
}

/* A removed assignment: same start and end, RedenWijziging 13 or 01. */
static bool
removed(xmlNodePtr n, const struct shape *s)
{
	ijw_day b, e;

	return (is(n, "RedenWijziging", "13") || is(n, "RedenWijziging", "01")) &&
	       date(n, s->begin, &b) && date(n, s->end, &e) && b == e;
}

static void
check_overlap(struct run *r)
{
	const struct ijw_record *rec;
	const struct shape *s = NULL;
	struct span *spans, **v;
	size_t n = 0, cap = ijw_doc_nrecords(r->doc);

	EACH_SHAPE(r, sh)
	{
		if (sh->product && !s)
			s = sh;
	}
	if (!s || !cap)
		return;
	spans = calloc(cap, sizeof *spans);
	v = calloc(cap, sizeof *v);
	if (!spans || !v) {
		r->rc = IJW_ENOMEM;
		goto out;
	}
	EACH(r, s->level, rec)
	{
		struct span *sp = &spans[n];

		if (removed(rec->node, s) || !date(rec->node, s->begin, &sp->begin))
			continue;
		if (!date(rec->node, s->end, &sp->end))
			sp->end = IJW_DAY_MAX;
		text(rec->node, "Product/Categorie", sp->cat, sizeof sp->cat);
		text(rec->node, "Product/Code", sp->code, sizeof sp->code);
		sp->node = rec->node;
		v[n] = sp;
		n++;
	}
	qsort(v, n, sizeof *v, by_begin);
	sweep(v, n, group_none, no_cat, false);
	qsort(v, n, sizeof *v, by_cat_begin);
	sweep(v, n, group_cat, no_code, false);
	qsort(v, n, sizeof *v, by_code_begin);
	sweep(v, n, group_code, never, true);
	for (size_t i = 0; i < n; i++) {
		struct span *sp = &spans[i];

		if (sp->flagged)
			report(r, sp->node,
			       "the period of this %s (product %s%s%s) overlaps another %s of the "
			       "same product in this message",
			       s->level, sp->cat[0] ? sp->cat : "without category",
			       sp->code[0] ? " " : "", sp->code, s->level);
	}
out:
	free(spans);
	free(v);
}

/* ---- keys: duplicates and unique references ---- */

struct keyed {
	int parent;
	char key[96];
	xmlNodePtr node;
	size_t order;
};

static int
by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = (x->parent > y->parent) - (x->parent < y->parent);

	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/*
 * Collects the records of level with their key: the values at paths
 * (separated by '|'), grouped by parent record when per_parent is set.
 */
static struct keyed *
collect_keys(struct run *r, const char *level, const char *const *paths, bool per_parent, size_t *n)
{
	const struct ijw_record *rec;
	struct keyed *v = calloc(ijw_doc_nrecords(r->doc) + 1, sizeof *v);

	*n = 0;
	if (!v) {
		r->rc = IJW_ENOMEM;
		return NULL;
	}
	EACH(r, level, rec)
	{
		struct keyed *k = &v[*n];
		size_t len = 0;
		bool any = false;

		for (const char *const *p = paths; *p; p++) {
			char buf[64];
			const char *val = text(rec->node, *p, buf, sizeof buf);

			any |= val != NULL;
			len += (size_t)snprintf(k->key + len, sizeof k->key - len, "%s|",
			                        val ? val : "");
			if (len >= sizeof k->key)
				len = sizeof k->key - 1;
		}
		if (!any)
			continue;
		k->parent = per_parent ? rec->parent : -1;
		k->node = rec->node;
		k->order = *n;
		(*n)++;
	}
	qsort(v, *n, sizeof *v, by_key);
	return v;
}

/* Reports each record whose key equals that of an earlier one. */
static void
report_duplicates(struct run *r, const char *level, const char *const *paths, bool per_parent,
                  const char *what)
{
	size_t n;
	struct keyed *v = collect_keys(r, level, paths, per_parent, &n);

	for (size_t i = 1; v && i < n; i++)
		if (v[i].parent == v[i - 1].parent && strcmp(v[i].key, v[i - 1].key) == 0)
			report(r, v[i].node, "this %s repeats the %s of an earlier %s", level, what,
			       level);
	free(v);
}

/* The logical keys of the record levels (TR101). */
static const struct logical_key {
	uint32_t types;
	const char *level;
	const char *paths[7];
	const char *what;
} logical_keys[] = {
        {T(JW301), "Relatie", {"Nummer"}, "Nummer"},
        {T(JW301), "Contact", {"Soort"}, "Soort (one contact per kind of address)"},
        {T(JW301), "ToegewezenProduct", {"ToewijzingNummer"}, "ToewijzingNummer"},
        {T(JW305),
         "StartProduct",
         {"ToewijzingNummer", "Product/Categorie", "Product/Code", "Begindatum"},
         "ToewijzingNummer, Product and Begindatum"},
        {T(JW307),
         "StopProduct",
         {"ToewijzingNummer", "Product/Categorie", "Product/Code", "Begindatum", "RedenBeeindiging",
          "Einddatum"},
         "ToewijzingNummer, Product, Begindatum, RedenBeeindiging and Einddatum"},
        {T(JW315), "AangevraagdProduct", {"ReferentieAanbieder"}, "ReferentieAanbieder"},
        {T(JW317), "OngewijzigdProduct", {"ToewijzingNummer"}, "ToewijzingNummer"},
        {T(JW317), "TeWijzigenProduct", {"ToewijzingNummer"}, "ToewijzingNummer"},
        {T(JW317),
         "NieuwProduct",
         {"Product/Categorie", "Product/Code", "GewensteIngangsdatum"},
         "Product and GewensteIngangsdatum"},
        {T(JW323) | T(JW325), "Client", {"Bsn"}, "Bsn"},
        {T(JW323) | T(JW325),
         "Prestatie",
         {"ProductReferentie/ReferentieNummer"},
         "ProductReferentie/ReferentieNummer"},
};

static void
check_duplicates(struct run *r)
{
	for (size_t i = 0; i < sizeof logical_keys / sizeof logical_keys[0]; i++) {
		const struct logical_key *k = &logical_keys[i];

		if (k->types & (UINT32_C(1) << r->type))
			report_duplicates(r, k->level, k->paths, true, k->what);
	}
}

static void
check_referentie_unique(struct run *r)
{
	static const char *const path[] = {"ReferentieAanbieder", NULL};

	report_duplicates(r, "AangevraagdProduct", path, false, "ReferentieAanbieder");
}

static void
check_vorig_unique(struct run *r)
{
	static const char *const path[] = {"ProductReferentie/VorigReferentieNummer", NULL};

	report_duplicates(r, "Prestatie", path, false, "VorigReferentieNummer");
}

/* TR316: a prestatie does not credit another prestatie of the same message. */
static void
check_no_credit_in_same_message(struct run *r)
{
	static const char *const refs[] = {"ProductReferentie/ReferentieNummer", NULL};
	const struct ijw_record *rec;
	size_t n;
	struct keyed *v = collect_keys(r, "Prestatie", refs, false, &n);
	char vorig[64];

	if (!v)
		return;
	EACH(r, "Prestatie", rec)
	{
		struct keyed probe = {.parent = -1};

		if (!text(rec->node, "ProductReferentie/VorigReferentieNummer", vorig,
		          sizeof vorig))
			continue;
		snprintf(probe.key, sizeof probe.key, "%s|", vorig);
		for (size_t lo = 0, hi = n; lo < hi;) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(v[mid].key, probe.key);

			if (c == 0) {
				report(r, at(rec->node, "ProductReferentie/VorigReferentieNummer"),
				       "VorigReferentieNummer %s credits a prestatie of this same "
				       "message; a debit line cannot be credited in the message "
				       "that "
				       "declares it",
				       vorig);
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	free(v);
}

/* TR416: one debit prestatie per assignment, product and period. */
static void
check_one_debit(struct run *r)
{
	static const char *const key[] = {"ToewijzingNummer",
	                                  "ProductCategorie",
	                                  "ProductCode",
	                                  "ProductPeriode/Begindatum",
	                                  "ProductPeriode/Einddatum",
	                                  "IngediendBedrag/DebetCredit",
	                                  NULL};
	size_t n;
	struct keyed *v = collect_keys(r, "Prestatie", key, false, &n);

	for (size_t i = 1; v && i < n; i++) {
		size_t len = strlen(v[i].key);

		if (len >= 2 && strcmp(v[i].key + len - 2, "D|") == 0 &&
		    strcmp(v[i].key, v[i - 1].key) == 0)
			report(r, v[i].node,
			       "a second debit prestatie for the same ToewijzingNummer, product "
			       "and "
			       "ProductPeriode; declare it once, or credit the first before "
			       "declaring it again");
	}
	free(v);
}

/* ---- dates ---- */

/* Dates that lie on or before the Dagtekening (TR134). */
static const struct dated {
	uint32_t types;
	const char *level, *path;
} not_after_dagtekening[] = {
        {HEEN_CLIENT_TYPES, "Client", "Geboortedatum/Datum"},
        {T(JW301), "Relatie", "Geboortedatum/Datum"},
        {T(JW301), "ToegewezenProduct", "Toewijzingsdatum"},
        {T(JW305), "StartProduct", "Begindatum"},
        {T(JW307), "StopProduct", "Begindatum"},
        {T(JW307), "StopProduct", "Einddatum"},
        {T(JW323), "Declaratie", "DeclaratieDagtekening"},
        {T(JW323), "Declaratie", "DeclaratiePeriode/Begindatum"},
        {T(JW323) | T(JW325), "Prestatie", "ProductPeriode/Begindatum"},
};

static void
check_not_after_dagtekening(struct run *r)
{
	const struct ijw_record *rec;
	char ds[IJW_DATE_SIZE], dag[IJW_DATE_SIZE];
	ijw_day d;

	fmt_date(r->dag, dag);
	for (size_t i = 0; i < sizeof not_after_dagtekening / sizeof not_after_dagtekening[0];
	     i++) {
		const struct dated *x = &not_after_dagtekening[i];

		if (!(x->types & (UINT32_C(1) << r->type)))
			continue;
		EACH(r, x->level, rec)
		{
			if (date(rec->node, x->path, &d) && d > r->dag) {
				fmt_date(d, ds);
				report(r, at(rec->node, x->path),
				       "%s %s is after the Dagtekening %s of the message", x->path,
				       ds, dag);
			}
		}
	}
}

/* TR137: the end of a period is not before its start nor after the Dagtekening. */
static void
check_period_end(struct run *r)
{
	static const struct dated periods[] = {
	        {T(JW323), "Declaratie", "DeclaratiePeriode"},
	        {T(JW323) | T(JW325), "Prestatie", "ProductPeriode"},
	};
	const struct ijw_record *rec;
	char bs[IJW_DATE_SIZE], es[IJW_DATE_SIZE], dag[IJW_DATE_SIZE];
	ijw_day b, e;

	fmt_date(r->dag, dag);
	for (size_t i = 0; i < 2; i++) {
		if (!(periods[i].types & (UINT32_C(1) << r->type)))
			continue;
		EACH(r, periods[i].level, rec)
		{
			xmlNodePtr p = at(rec->node, periods[i].path);

			if (!p || !date(p, "Begindatum", &b) || !date(p, "Einddatum", &e))
				continue;
			fmt_date(b, bs);
			fmt_date(e, es);
			if (e < b)
				report(r, at(p, "Einddatum"),
				       "the Einddatum %s of the %s is before its Begindatum %s", es,
				       periods[i].path, bs);
			else if (e > r->dag)
				report(r, at(p, "Einddatum"),
				       "the Einddatum %s of the %s is after the Dagtekening %s", es,
				       periods[i].path, dag);
		}
	}
}

/* TR135: the message is not dated in the future. */
static void
check_dagtekening_not_future(struct run *r)
{
	char dag[IJW_DATE_SIZE], today[IJW_DATE_SIZE];

	if (r->dag <= r->today)
		return;
	fmt_date(r->dag, dag);
	fmt_date(r->today, today);
	report(r, at(root_of(r), "Header/BerichtIdentificatie/Dagtekening"),
	       "the Dagtekening %s is after today (%s); a message cannot be dated in the future",
	       dag, today);
}

/* TR002: a birth date at most 120 years before the Dagtekening, unless unknown. */
static void
check_birth_120_years(struct run *r)
{
	static const char *const levels[] = {"Client", "Relatie"};
	const struct ijw_record *rec;
	ijw_day limit = years_before(r->dag, 120), d;
	char ds[IJW_DATE_SIZE];

	for (size_t i = 0; i < 2; i++) {
		EACH(r, levels[i], rec)
		{
			xmlNodePtr g = at(rec->node, "Geboortedatum");

			if (!g || !date(g, "Datum", &d) || d >= limit)
				continue;
			if (is(g, "DatumGebruik", "3") && d == ijw_date_from_ymd(1900, 1, 1))
				continue;
			fmt_date(d, ds);
			report(r, at(g, "Datum"),
			       "the Geboortedatum %s is more than 120 years before the "
			       "Dagtekening; "
			       "for an unknown birth date give 1900-01-01 with DatumGebruik 3",
			       ds);
		}
	}
}

/* CS139: DatumGebruik and Datum agree on what is unknown. */
static void
check_datum_gebruik(struct run *r)
{
	static const char *const levels[] = {"Client", "Relatie"};
	const struct ijw_record *rec;
	char use[4];
	int y, m, d;
	ijw_day day;

	for (size_t i = 0; i < 2; i++) {
		EACH(r, levels[i], rec)
		{
			xmlNodePtr g = at(rec->node, "Geboortedatum");
			bool ok = true;

			if (!g || !text(g, "DatumGebruik", use, sizeof use) ||
			    !date(g, "Datum", &day))
				continue;
			ijw_date_to_ymd(day, &y, &m, &d);
			if (strcmp(use, "1") == 0)
				ok = d == 1;
			else if (strcmp(use, "2") == 0)
				ok = d == 1 && m == 1;
			else if (strcmp(use, "3") == 0)
				ok = d == 1 && m == 1 && y == 1900;
			if (!ok)
				report(r, at(g, "Datum"),
				       "DatumGebruik %s says part of the date is unknown; fill the "
				       "unknown part with 01 (day), 01-01 (day and month) or "
				       "1900-01-01 (all of it)",
				       use);
		}
	}
}

/* TR018: a stop does not end before it began. */
static void
check_stop_end(struct run *r)
{
	const struct ijw_record *rec;
	ijw_day b, e;
	char bs[IJW_DATE_SIZE], es[IJW_DATE_SIZE];

	EACH(r, "StopProduct", rec)
	{
		if (date(rec->node, "Begindatum", &b) && date(rec->node, "Einddatum", &e) &&
		    e < b) {
			fmt_date(b, bs);
			fmt_date(e, es);
			report(r, at(rec->node, "Einddatum"),
			       "the Einddatum %s is before the Begindatum %s", es, bs);
		}
	}
}

/* TR380: a new product is asked for from a date after the Dagtekening. */
static void
check_new_product_future(struct run *r)
{
	const struct ijw_record *rec;
	ijw_day d;
	char ds[IJW_DATE_SIZE], dag[IJW_DATE_SIZE];

	fmt_date(r->dag, dag);
	EACH(r, "NieuwProduct", rec)
	{
		if (date(rec->node, "GewensteIngangsdatum", &d) && d <= r->dag) {
			fmt_date(d, ds);
			report(r, at(rec->node, "GewensteIngangsdatum"),
			       "the GewensteIngangsdatum %s of a new product must be after the "
			       "Dagtekening %s",
			       ds, dag);
		}
	}
}

/* ---- clients and contacts ---- */

/* CS002: the BSN passes the 11-proef. The value is not repeated. */
static void
check_bsn(struct run *r)
{
	const struct ijw_record *rec;

	for (size_t i = 0; (rec = ijw_doc_record(r->doc, i)); i++)
		if (rec->bsn[0] && !ijw_bsn_valid(rec->bsn))
			report(r, at(rec->node, "Bsn"),
			       "the Bsn does not pass the 11-proef; check the citizen service "
			       "number");
}

/* CS050 and CS318: the NaamGebruik fits the name. */
static void
check_naamgebruik(struct run *r)
{
	static const char *const levels[] = {"Client", "Relatie"};
	bool not_six = strcmp(r->rule->code, "CS318") == 0;
	const struct ijw_record *rec;
	char use[4];

	for (size_t i = 0; i < (not_six ? 1u : 2u); i++) {
		EACH(r, levels[i], rec)
		{
			xmlNodePtr naam = at(rec->node, "Naam");

			if (!naam || !text(naam, "NaamGebruik", use, sizeof use))
				continue;
			if (not_six) {
				if (strcmp(use, "6") == 0)
					report(r, at(naam, "NaamGebruik"),
					       "NaamGebruik 6 (not a natural person) is not "
					       "allowed "
					       "for a client");
			} else if (has(naam, "Partnernaam") ? !strchr("1234", use[0])
			                                    : !strchr("16", use[0])) {
				report(r, at(naam, "NaamGebruik"),
				       "NaamGebruik %s does not fit: with a Partnernaam use 1, 2, "
				       "3 "
				       "or 4, without one 1 or 6",
				       use);
			}
		}
	}
}

/* CD007: an interpreter (Vorm 1) needs the language, and only then. */
static void
check_communicatie_taal(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Client", rec)
	{
		xmlNodePtr c = at(rec->node, "Communicatie");

		if (!c)
			continue;
		if (is(c, "Vorm", "1") && !has(c, "Taal"))
			report(r, c, "Communicatie Vorm 1 (interpreter) needs the Taal");
		else if (!is(c, "Vorm", "1") && has(c, "Taal"))
			report(r, at(c, "Taal"),
			       "Taal is only given with Communicatie Vorm 1 "
			       "(interpreter)");
	}
}

/* TR006: a contact can be reached by telephone or at a house with postcode. */
static void
check_contact_reachable(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Contact", rec)
	{
		if (!has(rec->node, "Telefoon") &&
		    !(has(rec->node, "Adres/Huis") && has(rec->node, "Adres/Postcode")))
			report(r, rec->node,
			       "the Contact has neither a Telefoon nor an Adres with Huis and "
			       "Postcode; give at least one of them");
	}
}

/* TR061: the client has a BRP, correspondence or residence address. */
static void
check_client_address(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Client", rec)
	{
		xmlNodePtr cg = at(rec->node, "Contactgegevens");
		bool found = false;

		for (xmlNodePtr c = cg ? cg->children : NULL; c; c = c->next)
			found |= c->type == XML_ELEMENT_NODE &&
			         (is(c, "Soort", "01") || is(c, "Soort", "02") ||
			          is(c, "Soort", "03"));
		if (cg && !found)
			report(r, cg,
			       "the client has no Contact with Soort 01 (BRP), 02 (correspondence) "
			       "or 03 (residence); give at least one of these addresses");
	}
}

/* CD005: a postcode comes with a LandCode, and without one there is none. */
static void
check_landcode(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Contact", rec)
	{
		xmlNodePtr adres = at(rec->node, "Adres");
		if (!adres)
			continue;
		if (has(adres, "Postcode") && !has(adres, "LandCode"))
			report(r, adres, "an Adres with a Postcode needs the LandCode");
		else if (!has(adres, "Postcode") && has(adres, "LandCode"))
			report(r, at(adres, "LandCode"),
			       "LandCode is only given with a Postcode in the Adres");
	}
}

/* CD025: a Dutch address has a Huis. */
static void
check_dutch_house(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Contact", rec)
	{
		xmlNodePtr adres = at(rec->node, "Adres");
		if (adres && is(adres, "LandCode", "NL") && !has(adres, "Huis"))
			report(r, adres,
			       "an Adres in the Netherlands (LandCode NL) needs the Huis "
			       "(Huisnummer)");
	}
}

/* CD034: a BRP or residence address has a postcode. */
static void
check_postcode_required(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Contact", rec)
	{
		xmlNodePtr adres = at(rec->node, "Adres");
		if ((is(rec->node, "Soort", "01") || is(rec->node, "Soort", "03")) &&
		    !(adres && has(adres, "Postcode")))
			report(r, adres ? adres : rec->node,
			       "a Contact of Soort 01 (BRP) or 03 (residence) needs an Adres with "
			       "a "
			       "Postcode");
	}
}

/* CS089: a Dutch postcode is four digits (not starting with 0) and two capitals. */
static void
check_dutch_postcode(struct run *r)
{
	const struct ijw_record *rec;
	char pc[16];

	EACH(r, "Contact", rec)
	{
		xmlNodePtr adres = at(rec->node, "Adres");
		bool ok;

		if (!adres || !is(adres, "LandCode", "NL") ||
		    !text(adres, "Postcode", pc, sizeof pc))
			continue;
		ok = strlen(pc) == 6 && pc[0] >= '1' && pc[0] <= '9' &&
		     strspn(pc + 1, "0123456789") == 3 && pc[4] >= 'A' && pc[4] <= 'Z' &&
		     pc[5] >= 'A' && pc[5] <= 'Z';
		if (!ok)
			report(r, at(adres, "Postcode"),
			       "Postcode %s is not a Dutch postcode: four digits and two capital "
			       "letters, without a space (1234AB)",
			       pc);
	}
}

/* CD009: a Periode only for a temporary address. */
static void
check_periode_temporary(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Contact", rec)
	{
		if (has(rec->node, "Periode") && !is(rec->node, "Soort", "04"))
			report(r, at(rec->node, "Periode"),
			       "a Periode is only given for a Contact of Soort 04 (temporary "
			       "address)");
	}
}

/* ---- assignments ---- */

/* CS335 and CS336: the RedenWijziging of an assignment. */
static void
check_reden_wijziging(struct run *r)
{
	bool removal = strcmp(r->rule->code, "CS335") == 0;
	const struct ijw_record *rec;
	ijw_day b, e;

	EACH(r, "ToegewezenProduct", rec)
	{
		xmlNodePtr rw = at(rec->node, "RedenWijziging");

		if (!rw)
			continue;
		if (removal && is(rec->node, "RedenWijziging", "13") &&
		    !(date(rec->node, "Ingangsdatum", &b) && date(rec->node, "Einddatum", &e) &&
		      b == e))
			report(r, rw,
			       "RedenWijziging 13 (removed) requires the Einddatum to equal "
			       "the Ingangsdatum");
		if (!removal && is(rec->node, "RedenWijziging", "01"))
			report(r, rw,
			       "RedenWijziging 01 (administrative correction) has lapsed; use "
			       "14");
	}
}

/* CS058: a start or stop is a first delivery (1) or a removal (3). */
static void
check_status_aanlevering(struct run *r)
{
	const char *level = r->type == IJW_JW305 ? "StartProduct" : "StopProduct";
	const struct ijw_record *rec;
	char st[4];

	EACH(r, level, rec)
	{
		if (text(rec->node, "StatusAanlevering", st, sizeof st) && strcmp(st, "1") &&
		    strcmp(st, "3"))
			report(r, at(rec->node, "StatusAanlevering"),
			       "StatusAanlevering %s is not allowed here; use 1 (first delivery) "
			       "or 3 "
			       "(remove an earlier delivery)",
			       st);
	}
}

/* ---- requests ---- */

/* CD043: a BeschikkingNummer and its BeschikkingIngangsdatum go together. */
static void
check_beschikking(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "AangevraagdProduct", rec)
	{
		bool nr = has(rec->node, "BeschikkingNummer");

		if (nr != has(rec->node, "BeschikkingIngangsdatum"))
			report(r, rec->node,
			       nr ? "a BeschikkingNummer needs the "
			            "BeschikkingIngangsdatum"
			          : "a BeschikkingIngangsdatum is only given with the "
			            "BeschikkingNummer");
	}
}

/* CD066, CD067, CD068: who the referrer is decides its name and code. */
static void
check_verwijzer(struct run *r)
{
	const char *code = r->rule->code;
	const struct ijw_record *rec;
	char type[4];

	EACH(r, "AangevraagdProduct", rec)
	{
		xmlNodePtr v = at(rec->node, "Verwijzer");
		bool care;

		if (!v || !text(v, "Type", type, sizeof type))
			continue;
		care = strcmp(type, "02") == 0 || strcmp(type, "03") == 0 ||
		       strcmp(type, "04") == 0 || strcmp(type, "05") == 0;
		if (strcmp(code, "CD066") == 0 && care && has(v, "ZorgverlenerCode") &&
		    has(v, "Naam"))
			report(r, at(v, "Naam"),
			       "a Verwijzer of Type %s with a ZorgverlenerCode has no Naam", type);
		else if (strcmp(code, "CD067") == 0 && care && !has(v, "ZorgverlenerCode") &&
		         !has(v, "Naam"))
			report(r, v,
			       "a Verwijzer of Type %s without ZorgverlenerCode needs the Naam",
			       type);
		else if (strcmp(code, "CD068") == 0 && !care && has(v, "ZorgverlenerCode"))
			report(r, at(v, "ZorgverlenerCode"),
			       "a Verwijzer of Type %s has no ZorgverlenerCode; only types 02 to "
			       "05 "
			       "(care providers) have one",
			       type);
	}
}

/* TR352 and TR353: what a request for change must hold. */
static void
check_verzoek_contents(struct run *r)
{
	bool first = strcmp(r->rule->code, "TR352") == 0;
	const struct ijw_record *rec;

	EACH(r, "Verzoek", rec)
	{
		bool te = has(rec->node, "TeWijzigenProducten");

		if (first && !te && !has(rec->node, "OngewijzigdeProducten"))
			report(r, rec->node,
			       "the Verzoek lists no OngewijzigdProduct or TeWijzigenProduct; list "
			       "every current assigned product in one of them");
		if (!first && !te && !has(rec->node, "NieuweProducten"))
			report(r, rec->node,
			       "the Verzoek has no TeWijzigenProduct or NieuwProduct, so it asks "
			       "for "
			       "no change");
	}
}

/* ---- answers ---- */

/* CD085, CD086: a refusal has a reason, an investigation none. */
static void
check_afwijzing_reden(struct run *r)
{
	bool refused_rule = strcmp(r->rule->code, "CD085") == 0;
	const struct ijw_record *rec;

	EACH(r, "Antwoord", rec)
	{
		bool reason = has(rec->node, "RedenAfwijzingVerzoek");

		if (refused_rule && is(rec->node, "VerzoekAntwoord", "1") && !reason)
			report(r, at(rec->node, "VerzoekAntwoord"),
			       "VerzoekAntwoord 1 (refused) needs the RedenAfwijzingVerzoek");
		if (!refused_rule && is(rec->node, "VerzoekAntwoord", "2") && reason)
			report(r, at(rec->node, "RedenAfwijzingVerzoek"),
			       "VerzoekAntwoord 2 (under investigation) has no "
			       "RedenAfwijzingVerzoek");
	}
}

/* TR377, TR409: Woonplaatsbeginsel exactly when the reason is 8. */
static void
check_woonplaatsbeginsel(struct run *r)
{
	bool needed_rule = strcmp(r->rule->code, "TR377") == 0;
	const struct ijw_record *rec;

	EACH(r, "Antwoord", rec)
	{
		bool eight = is(rec->node, "RedenAfwijzingVerzoek", "8");
		bool wpb = has(rec->node, "Woonplaatsbeginsel");

		if (needed_rule && eight && !wpb)
			report(r, at(rec->node, "RedenAfwijzingVerzoek"),
			       "RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) needs the "
			       "Woonplaatsbeginsel with the responsible Gemeente");
		if (!needed_rule && !eight && wpb)
			report(r, at(rec->node, "Woonplaatsbeginsel"),
			       "Woonplaatsbeginsel is only given with RedenAfwijzingVerzoek 8");
	}
}

/* ---- declarations ---- */

/* CS325: an amount of zero is a debit. */
static void
check_zero_is_debit(struct run *r)
{
	static const char *const totals[] = {"TotaalIngediendBedrag", "TotaalToegekendBedrag"};
	const char *level = r->type == IJW_JW323 ? "Declaratie" : "DeclaratieAntwoord";
	const struct ijw_record *rec;

	EACH(r, level, rec)
	{
		for (size_t i = 0; i < 2; i++) {
			xmlNodePtr t = at(rec->node, totals[i]);

			if (t && number(t, "TotaalBedrag") == 0 && !is(t, "DebetCredit", "D"))
				report(r, at(t, "DebetCredit"), "a %s of 0 has DebetCredit D",
				       totals[i]);
		}
	}
	EACH(r, "Prestatie", rec)
	{
		xmlNodePtr b = at(rec->node, "IngediendBedrag");

		if (b && number(b, "Bedrag") == 0 && !is(b, "DebetCredit", "D"))
			report(r, at(b, "DebetCredit"),
			       "an IngediendBedrag of 0 has DebetCredit D");
	}
}

/* CD060: a credit prestatie names the prestatie it credits, a debit one does not. */
static void
check_vorig_referentie(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Prestatie", rec)
	{
		bool credit = is(rec->node, "IngediendBedrag/DebetCredit", "C");
		bool vorig = has(rec->node, "ProductReferentie/VorigReferentieNummer");

		if (credit && !vorig)
			report(r, at(rec->node, "ProductReferentie"),
			       "a credit prestatie needs the VorigReferentieNummer of the "
			       "prestatie it "
			       "credits");
		else if (!credit && vorig)
			report(r, at(rec->node, "ProductReferentie/VorigReferentieNummer"),
			       "a debit prestatie has no VorigReferentieNummer");
	}
}

/* CD087: a tariff, except for amounts in euros (Eenheid 83). */
static void
check_tarief(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Prestatie", rec)
	{
		bool euros = is(rec->node, "Eenheid", "83");

		if (!euros && !has(rec->node, "ProductTarief"))
			report(r, rec->node,
			       "the Prestatie needs the ProductTarief (its Eenheid is "
			       "not 83, euros)");
		else if (euros && has(rec->node, "ProductTarief"))
			report(r, at(rec->node, "ProductTarief"),
			       "a Prestatie in euros (Eenheid 83) has no ProductTarief");
	}
}

/* CS339: in euros, the amount is the volume. */
static void
check_euros_amount(struct run *r)
{
	const struct ijw_record *rec;

	EACH(r, "Prestatie", rec)
	{
		long long volume = number(rec->node, "GeleverdVolume");
		long long bedrag = number(rec->node, "IngediendBedrag/Bedrag");

		if (is(rec->node, "Eenheid", "83") && volume != bedrag)
			report(r, at(rec->node, "IngediendBedrag/Bedrag"),
			       "for Eenheid 83 (euros) the Bedrag %lld must equal the "
			       "GeleverdVolume "
			       "%lld",
			       bedrag, volume);
	}
}

/* CS337: a ProductPeriode lies within one calendar month. */
static void
check_period_in_month(struct run *r)
{
	const struct ijw_record *rec;
	int y1, m1, d1, y2, m2, d2;
	ijw_day b, e;

	EACH(r, "Prestatie", rec)
	{
		xmlNodePtr p = at(rec->node, "ProductPeriode");

		if (!p || !date(p, "Begindatum", &b) || !date(p, "Einddatum", &e))
			continue;
		ijw_date_to_ymd(b, &y1, &m1, &d1);
		ijw_date_to_ymd(e, &y2, &m2, &d2);
		if (y1 != y2 || m1 != m2)
			report(r, at(p, "Einddatum"),
			       "the ProductPeriode runs from %04d-%02d into %04d-%02d; declare "
			       "each "
			       "calendar month in a prestatie of its own",
			       y1, m1, y2, m2);
	}
}

/* CS340: the DeclaratiePeriode is exactly one calendar month. */
static void
check_declaratie_month(struct run *r)
{
	const struct ijw_record *rec;
	int y1, m1, d1, y2, m2, d2;
	ijw_day b, e;

	EACH(r, "Declaratie", rec)
	{
		xmlNodePtr p = at(rec->node, "DeclaratiePeriode");

		if (!p || !date(p, "Begindatum", &b) || !date(p, "Einddatum", &e))
			continue;
		ijw_date_to_ymd(b, &y1, &m1, &d1);
		ijw_date_to_ymd(e, &y2, &m2, &d2);
		if (d1 != 1 || y1 != y2 || m1 != m2 || d2 != ijw_month_days(y2, m2))
			report(r, p,
			       "the DeclaratiePeriode must be one whole calendar month, from its "
			       "first to its last day");
	}
}

/* CS100: declarations cover care from 2021 on. */
static void
check_since_2021(struct run *r)
{
	static const struct dated begins[] = {
	        {T(JW323), "Declaratie", "DeclaratiePeriode/Begindatum"},
	        {T(JW323), "Prestatie", "ProductPeriode/Begindatum"},
	};
	ijw_day first = ijw_date_from_ymd(2021, 1, 1), d;
	const struct ijw_record *rec;
	char ds[IJW_DATE_SIZE];

	for (size_t i = 0; i < 2; i++) {
		EACH(r, begins[i].level, rec)
		{
			if (date(rec->node, begins[i].path, &d) && d < first) {
				fmt_date(d, ds);
				report(r, at(rec->node, begins[i].path),
				       "%s %s is before 2021-01-01", begins[i].path, ds);
			}
		}
	}
}

/* TR335: nothing is declared that ended more than five years before. */
static void
check_five_years(struct run *r)
{
	const struct ijw_record *rec;
	ijw_day decl, e;
	char ds[IJW_DATE_SIZE];

	EACH(r, "Declaratie", rec)
	{
		const struct ijw_record *p;

		if (!date(rec->node, "DeclaratieDagtekening", &decl))
			continue;
		EACH(r, "Prestatie", p)
		{
			if (date(p->node, "ProductPeriode/Einddatum", &e) &&
			    e < years_before(decl, 5)) {
				fmt_date(e, ds);
				report(r, at(p->node, "ProductPeriode/Einddatum"),
				       "the ProductPeriode ended on %s, more than five years "
				       "before "
				       "the DeclaratieDagtekening",
				       ds);
			}
		}
	}
}

/* The signed sum of the IngediendBedrag of every prestatie. */
static long long
sum_prestaties(const struct run *r)
{
	const struct ijw_record *rec;
	long long sum = 0, a;

	EACH(r, "Prestatie", rec)
	{
		if (amount(rec->node, "IngediendBedrag", "Bedrag", &a))
			sum += a;
	}
	return sum;
}

/* TR358: the declared total is the signed sum of the prestaties. */
static void
check_total(struct run *r)
{
	const struct ijw_record *rec;
	long long total, sum = sum_prestaties(r);
	char ts[32], ss[32];

	EACH(r, "Declaratie", rec)
	{
		if (!amount(rec->node, "TotaalIngediendBedrag", "TotaalBedrag", &total) ||
		    total == sum)
			continue;
		ijw_cents_format(total, ts, sizeof ts);
		ijw_cents_format(sum, ss, sizeof ss);
		report(r, at(rec->node, "TotaalIngediendBedrag"),
		       "the TotaalIngediendBedrag is %s euro but its prestaties add up to %s euro "
		       "(debit minus credit)",
		       ts, ss);
	}
}

/* TR342: an answer lists exactly the rejected prestaties. */
static void
check_answer_sum(struct run *r)
{
	const struct ijw_record *rec;
	long long ingediend, toegekend, sum = sum_prestaties(r);
	char want[32], got[32];

	EACH(r, "DeclaratieAntwoord", rec)
	{
		xmlNodePtr codes = at(rec->node, "RetourCodes");
		bool rejected = false;

		for (xmlNodePtr c = codes ? codes->children : NULL; c; c = c->next) {
			char code[8];

			if (c->type == XML_ELEMENT_NODE && text(c, "", code, sizeof code) &&
			    strcmp(code, "0200") && strcmp(code, "8001"))
				rejected = true;
		}
		if (!amount(rec->node, "TotaalIngediendBedrag", "TotaalBedrag", &ingediend) ||
		    !amount(rec->node, "TotaalToegekendBedrag", "TotaalBedrag", &toegekend))
			continue;
		if (rejected) {
			if (toegekend != 0)
				report(r, at(rec->node, "TotaalToegekendBedrag"),
				       "a DeclaratieAntwoord rejected as a whole has a "
				       "TotaalToegekendBedrag of 0");
			else if (has(rec->node, "Clienten"))
				report(r, at(rec->node, "Clienten"),
				       "a DeclaratieAntwoord rejected as a whole lists no "
				       "prestaties");
			continue;
		}
		if (sum != ingediend - toegekend) {
			ijw_cents_format(ingediend - toegekend, want, sizeof want);
			ijw_cents_format(sum, got, sizeof got);
			report(r, at(rec->node, "TotaalToegekendBedrag"),
			       "the rejected prestaties listed add up to %s euro, but the "
			       "difference "
			       "between TotaalIngediendBedrag and TotaalToegekendBedrag is %s "
			       "euro; "
			       "list exactly the rejected prestaties",
			       got, want);
		}
	}
}

/* ---- the table ---- */

struct rule_entry {
	struct ijw_rule info;
	void (*check)(struct run *);
};

#define CLIENTS_ALL (T(JW301) | T(JW305) | T(JW307) | T(JW315) | T(JW317) | T(JW323) | T(JW325))
#define PRODUCT_SHAPES "ToegewezenProduct (JW301), AangevraagdProduct (JW315), NieuwProduct (JW317)"
#define ALL_SHAPES PRODUCT_SHAPES ", TeWijzigenProduct (JW317)"

/* A cross-message rule: in the table, judged by ijw_ledger.c. */
#define X(code, rc, types, where, summary)                                                         \
	{                                                                                          \
		{code, rc, types, where, summary, true}, NULL                                      \
	}

static const struct rule_entry table[] = {
        {{"TR002", "0001", HEEN_CLIENT_TYPES, "Client and Relatie: Geboortedatum",
          "a birth date lies at most 120 years before the Dagtekening, unless it is unknown "
          "(1900-01-01 with DatumGebruik 3)",
          false},
         check_birth_120_years},
        {{"TR006", "0001", T(JW301), "Contact",
          "a Contact has a Telefoon, or an Adres with Huis and Postcode", false},
         check_contact_reachable},
        {{"TR018", "0001", T(JW307), "StopProduct: Einddatum",
          "the Einddatum of a stop is not before its Begindatum", false},
         check_stop_end},
        {{"TR061", "0001", T(JW301), "Client: Contactgegevens",
          "the client has a Contact of Soort 01 (BRP), 02 (correspondence) or 03 (residence)",
          false},
         check_client_address},
        {{"TR101", "0001", CLIENTS_ALL, "every record level: its logical key",
          "no two records of one level under the same parent have the same logical key", false},
         check_duplicates},
        {{"TR134", "0001", HEEN_CLIENT_TYPES | T(JW323) | T(JW325),
          "Geboortedatum; JW301 Toewijzingsdatum; JW305 Begindatum; JW307 Begindatum and "
          "Einddatum; JW323 DeclaratieDagtekening and the Begindatum of DeclaratiePeriode and "
          "ProductPeriode; JW325 ProductPeriode Begindatum",
          "dates of what has happened lie on or before the Dagtekening", false},
         check_not_after_dagtekening},
        {{"TR135", "8848", CLIENTS_ALL | T(JW319), "Header: Dagtekening",
          "the Dagtekening is not after the system date", false},
         check_dagtekening_not_future},
        {{"TR137", "0001", T(JW323) | T(JW325),
          "the Einddatum of DeclaratiePeriode (JW323) and ProductPeriode",
          "the end of a period is on or after its start and on or before the Dagtekening", false},
         check_period_end},
        {{"TR302", "0001", T(JW301), "ToegewezenProduct",
          "one product is assigned more than once only for periods that do not overlap", false},
         check_overlap},
        {{"TR315", "0001", T(JW323), "Prestatie: VorigReferentieNummer",
          "no two prestaties credit the same VorigReferentieNummer", false},
         check_vorig_unique},
        {{"TR316", "0001", T(JW323), "Prestatie: VorigReferentieNummer",
          "a prestatie does not credit a prestatie of the same message", false},
         check_no_credit_in_same_message},
        {{"TR335", "0001", T(JW323), "Prestatie: ProductPeriode Einddatum",
          "nothing is declared that ended more than five years before the "
          "DeclaratieDagtekening",
          false},
         check_five_years},
        {{"TR342", "0001", T(JW325), "DeclaratieAntwoord",
          "the answer lists exactly the rejected prestaties: their sum is the "
          "TotaalIngediendBedrag minus the TotaalToegekendBedrag",
          false},
         check_answer_sum},
        {{"TR352", "0001", T(JW317), "Verzoek",
          "a request for change lists at least one OngewijzigdProduct or TeWijzigenProduct", false},
         check_verzoek_contents},
        {{"TR353", "0001", T(JW317), "Verzoek",
          "a request for change has at least one TeWijzigenProduct or NieuwProduct", false},
         check_verzoek_contents},
        {{"TR358", "0001", T(JW323), "Declaratie: TotaalIngediendBedrag",
          "the declared total is the sum of the prestaties, debit minus credit", false},
         check_total},
        {{"TR377", "0001", T(JW319), "Antwoord: Woonplaatsbeginsel",
          "RedenAfwijzingVerzoek 8 comes with the Woonplaatsbeginsel", false},
         check_woonplaatsbeginsel},
        {{"TR380", "0001", T(JW317), "NieuwProduct: GewensteIngangsdatum",
          "a new product is asked for from a date after the Dagtekening", false},
         check_new_product_future},
        {{"TR383", "0001", T(JW315), "AangevraagdProduct: ReferentieAanbieder",
          "every AangevraagdProduct has a ReferentieAanbieder of its own", false},
         check_referentie_unique},
        {{"TR386", "0001", T(JW315), "AangevraagdProduct",
          "one product is requested more than once only for periods that do not overlap", false},
         check_overlap},
        {{"TR409", "0001", T(JW319), "Antwoord: Woonplaatsbeginsel",
          "the Woonplaatsbeginsel is only given with RedenAfwijzingVerzoek 8", false},
         check_woonplaatsbeginsel},
        {{"TR410", "0001", T(JW317), "NieuwProduct",
          "one new product is asked for more than once only for periods that do not overlap",
          false},
         check_overlap},
        {{"TR416", "0001", T(JW323), "Prestatie",
          "one debit prestatie per ToewijzingNummer, product and ProductPeriode", false},
         check_one_debit},
        {{"CD005", "0001", T(JW301), "Contact: Adres/LandCode",
          "an Adres with a Postcode has a LandCode, one without has none", false},
         check_landcode},
        {{"CD007", "0001", T(JW301), "Client: Communicatie/Taal",
          "Communicatie Vorm 1 (interpreter) has a Taal, other forms have none", false},
         check_communicatie_taal},
        {{"CD009", "0001", T(JW301), "Contact: Periode",
          "only a temporary address (Soort 04) has a Periode", false},
         check_periode_temporary},
        {{"CD025", "0001", T(JW301), "Contact: Adres/Huis", "an Adres with LandCode NL has a Huis",
          false},
         check_dutch_house},
        {{"CD034", "0001", T(JW301), "Contact: Adres/Postcode",
          "a Contact of Soort 01 (BRP) or 03 (residence) has an Adres with a Postcode", false},
         check_postcode_required},
        {{"CD041", "0001", T(JW301) | T(JW315) | T(JW317), PRODUCT_SHAPES ": Omvang",
          "a product with a Code has an Omvang", false},
         check_code_needs_omvang},
        {{"CD043", "0001", T(JW315), "AangevraagdProduct: BeschikkingIngangsdatum",
          "a BeschikkingNummer and a BeschikkingIngangsdatum are given together", false},
         check_beschikking},
        {{"CD060", "0001", T(JW323) | T(JW325), "Prestatie: VorigReferentieNummer",
          "a credit prestatie has a VorigReferentieNummer, a debit one has none", false},
         check_vorig_referentie},
        {{"CD066", "0001", T(JW315), "AangevraagdProduct: Verwijzer/Naam",
          "a referrer of Type 02-05 with a ZorgverlenerCode has no Naam", false},
         check_verwijzer},
        {{"CD067", "0001", T(JW315), "AangevraagdProduct: Verwijzer/Naam",
          "a referrer of Type 02-05 without ZorgverlenerCode has a Naam", false},
         check_verwijzer},
        {{"CD068", "0001", T(JW315), "AangevraagdProduct: Verwijzer/ZorgverlenerCode",
          "only a referrer of Type 02-05 has a ZorgverlenerCode", false},
         check_verwijzer},
        {{"CD075", "0001", T(JW301) | T(JW315) | T(JW317), ALL_SHAPES ": end date",
          "a product with a Budget has an end date", false},
         check_budget_needs_end},
        {{"CD076", "0001", T(JW301) | T(JW315) | T(JW317), ALL_SHAPES ": end date",
          "a product with Frequentie 2 (per week) has an end date", false},
         check_weekly_needs_end},
        {{"CD077", "0001", T(JW301) | T(JW315) | T(JW317), ALL_SHAPES ": Omvang",
          "a product with a Budget has no Omvang", false},
         check_budget_or_omvang},
        {{"CD078", "0001", T(JW301) | T(JW315) | T(JW317), ALL_SHAPES ": Budget",
          "a product with an Omvang has no Budget", false},
         check_budget_or_omvang},
        {{"CD079", "0001", T(JW301) | T(JW315) | T(JW317), PRODUCT_SHAPES ": Product",
          "a product without Budget has a Product", false},
         check_product_without_budget},
        {{"CD080", "0001", T(JW301), "ToegewezenProduct: Omvang",
          "a product given by category only, ending after 2020 or open, has no Omvang", false},
         check_no_omvang_without_code},
        {{"CD085", "0001", T(JW319), "Antwoord: RedenAfwijzingVerzoek",
          "VerzoekAntwoord 1 (refused) has a RedenAfwijzingVerzoek", false},
         check_afwijzing_reden},
        {{"CD086", "0001", T(JW319), "Antwoord: RedenAfwijzingVerzoek",
          "VerzoekAntwoord 2 (under investigation) has no RedenAfwijzingVerzoek", false},
         check_afwijzing_reden},
        {{"CD087", "0001", T(JW323), "Prestatie: ProductTarief",
          "a prestatie has a ProductTarief unless its Eenheid is 83 (euros)", false},
         check_tarief},
        {{"CD095", "0001", T(JW315), "AangevraagdProduct: Omvang",
          "a product given by category only, ending after 2020 or open, has no Omvang", false},
         check_no_omvang_without_code},
        {{"CD096", "0001", T(JW317), "NieuwProduct: Omvang",
          "a product given by category only, ending after 2020 or open, has no Omvang", false},
         check_no_omvang_without_code},
        {{"CS002", "0001", CLIENTS_ALL, "Client: Bsn", "the BSN passes the 11-proef", false},
         check_bsn},
        {{"CS003", "0001", T(JW301) | T(JW315) | T(JW317),
          ALL_SHAPES ": end date; JW301 Contact: Periode",
          "an end date is on or after the start of its period", false},
         check_end_after_begin},
        {{"CS050", "0001", T(JW301), "Client and Relatie: Naam/NaamGebruik",
          "NaamGebruik is 1-4 with a Partnernaam, else 1 or 6", false},
         check_naamgebruik},
        {{"CS058", "0001", T(JW305) | T(JW307), "StartProduct, StopProduct: StatusAanlevering",
          "StatusAanlevering is 1 (first delivery) or 3 (removal)", false},
         check_status_aanlevering},
        {{"CS089", "0001", T(JW301), "Contact: Adres/Postcode",
          "a Postcode with LandCode NL is a Dutch postcode (1234AB)", false},
         check_dutch_postcode},
        {{"CS100", "0001", T(JW323), "DeclaratiePeriode, ProductPeriode: Begindatum",
          "declared periods start on or after 2021-01-01", false},
         check_since_2021},
        {{"CS139", "0001", HEEN_CLIENT_TYPES, "Client and Relatie: Geboortedatum",
          "DatumGebruik and Datum agree on which part of the date is unknown", false},
         check_datum_gebruik},
        {{"CS318", "0001", T(JW301), "Client: Naam/NaamGebruik",
          "a client has no NaamGebruik 6 (not a natural person)", false},
         check_naamgebruik},
        {{"CS325", "0001", T(JW323) | T(JW325),
          "TotaalIngediendBedrag, TotaalToegekendBedrag, IngediendBedrag: DebetCredit",
          "an amount of 0 has DebetCredit D", false},
         check_zero_is_debit},
        {{"CS335", "0001", T(JW301), "ToegewezenProduct: RedenWijziging",
          "RedenWijziging 13 (removed) only when Einddatum equals Ingangsdatum", false},
         check_reden_wijziging},
        {{"CS336", "0001", T(JW301), "ToegewezenProduct: RedenWijziging",
          "RedenWijziging 01 (lapsed administrative correction) is not used", false},
         check_reden_wijziging},
        {{"CS337", "0001", T(JW323), "Prestatie: ProductPeriode",
          "a ProductPeriode ends in the calendar month it starts in", false},
         check_period_in_month},
        {{"CS338", "0001", T(JW301) | T(JW317),
          "ToegewezenProduct, NieuwProduct, TeWijzigenProduct: Omvang",
          "Eenheid 14, 16, 83 or 84 after 2020 goes with Frequentie 2, 4 or 6", false},
         check_unit_frequency},
        {{"CS339", "0001", T(JW323), "Prestatie: IngediendBedrag",
          "with Eenheid 83 (euros) the Bedrag equals the GeleverdVolume", false},
         check_euros_amount},
        {{"CS340", "0001", T(JW323), "Declaratie: DeclaratiePeriode",
          "the DeclaratiePeriode is exactly one calendar month", false},
         check_declaratie_month},
        {{"CS343", "0001", T(JW315), "AangevraagdProduct: Omvang",
          "Eenheid 14, 16, 83 or 84 after 2020 goes with Frequentie 2, 4 or 6", false},
         check_unit_frequency},
        /* judged against the ledger (ijw_ledger.c) */
        X("TR019", "9019", T(JW305) | T(JW307), "StartProduct, StopProduct: ToewijzingNummer",
          "a start or stop refers to a live assignment of this client by its ToewijzingNummer"),
        X("TR063", "9063", T(JW305) | T(JW307), "StartProduct, StopProduct: StatusAanlevering",
          "StatusAanlevering 3 deletes an earlier delivery with the same logical key"),
        X("TR071", "9071", T(JW305), "StartProduct: StatusAanlevering",
          "a start that has a stop is not deleted (StatusAanlevering 3)"),
        X("TR074", "9074", T(JW305) | T(JW307), "StartProduct, StopProduct: StatusAanlevering",
          "StatusAanlevering 1 is for a logical key not sent before"),
        X("TR304", "8187", T(JW317) | T(JW323) | T(JW325), "Client: Bsn",
          "the client has an assignment from this municipality to this provider"),
        X("TR307", "9307", T(JW323), "Prestatie: ProductPeriode Begindatum",
          "a prestatie begins on or after the Ingangsdatum of its assignment"),
        X("TR308", "9308", T(JW323), "Prestatie: ProductPeriode Einddatum",
          "a prestatie ends on or before the Einddatum of its assignment"),
        X("TR314", "8021", T(JW323), "Prestatie: ReferentieNummer",
          "a ReferentieNummer is unique for the provider, across messages"),
        X("TR318", "8214", T(JW323), "Declaratie: DeclaratiePeriode",
          "a declaration's period comes after that of the provider's previous declaration"),
        X("TR319", "9319", T(JW323), "Prestatie: ProductPeriode",
          "a prestatie lies in the DeclaratiePeriode or an earlier one"),
        X("TR321", "9321", T(JW323), "Prestatie: GeleverdVolume",
          "the volume of a prestatie fits the Omvang of its assignment for its period"),
        X("TR322", "9322", T(JW323), "Prestatie: GeleverdVolume",
          "the volume declared on an assignment fits its Omvang over its whole period"),
        X("TR323", "8017", T(JW323), "Prestatie: VorigReferentieNummer",
          "a credit refers to an approved debit with the same assignment, product and period"),
        X("TR326", "9326", T(JW305), "StartProduct",
          "a start is sent only when the assignment has no current start"),
        X("TR332", "9332", T(JW301), "ToegewezenProduct: ToewijzingNummer",
          "a ToewijzingNummer is unique per municipality: a change keeps provider, client "
          "and product"),
        X("TR333", "9333", T(JW323), "Declaratie: DeclaratieNummer",
          "a DeclaratieNummer is unique for the provider"),
        X("TR337", "0001", T(JW325), "Header: DeclaratieIdentificatie",
          "the answer names a declaration the provider sent to this municipality"),
        X("TR338", "9338", T(JW323), "Prestatie: ToewijzingNummer",
          "a prestatie refers to an assignment of this client at this provider"),
        X("TR339", "9339", T(JW323), "Prestatie: ProductCategorie",
          "the category is that of the assignment, when it has one"),
        X("TR340", "9340", T(JW323), "Prestatie: ProductCode",
          "the product code is that of the assignment, when it has one"),
        X("TR341", "9341", T(JW323), "Prestatie: Eenheid",
          "the unit is that of the assignment's Omvang (minutes fit hours)"),
        X("TR347", "9347", T(JW315) | T(JW317), "AangevraagdProduct, Verzoek: ReferentieAanbieder",
          "a ReferentieAanbieder is unique for the provider"),
        X("TR349", "9349", T(JW317), "Verzoek",
          "a request for change lists every actual assignment of the client"),
        X("TR350", "9350", T(JW317), "OngewijzigdProduct: ToewijzingNummer",
          "an unchanged product is an actual assignment of the client"),
        X("TR351", "9351", T(JW317), "TeWijzigenProduct: ToewijzingNummer",
          "a product to change is an actual assignment of the client"),
        X("TR355", "9355", T(JW319), "Antwoord: ReferentieAanbieder",
          "an answer names a request of the provider to this municipality"),
        X("TR357", "9357", T(JW317), "TeWijzigenProduct: GewensteIngangsdatum",
          "a change from a date not after the Dagtekening keeps the assignment's Ingangsdatum"),
        X("TR359", "9359", T(JW319), "Antwoord: ReferentieAanbieder",
          "a request honoured by an assignment gets no answer"),
        X("TR360", "9360", T(JW319), "Antwoord: VerzoekAntwoord",
          "VerzoekAntwoord 2 (under investigation) is only the first answer"),
        X("TR361", "9361", T(JW317), "OngewijzigdProduct, TeWijzigenProduct, NieuwProduct",
          "a product is in a request more than once only for periods that do not overlap"),
        X("TR365", "9365", T(JW319), "Antwoord: VerzoekAntwoord",
          "only a request under investigation gets a further answer"),
        X("TR366", "9366", T(JW325), "Prestatie: ReferentieNummer",
          "an answered prestatie is one of the declaration answered"),
        X("TR367", "9367", T(JW325), "Prestatie",
          "an answered prestatie repeats the declared values"),
        X("TR369", "9369", T(JW323), "Prestatie: IngediendBedrag",
          "the amount declared on an assignment with a Budget fits the Budget"),
        X("TR371", "0001", T(JW325), "Header: XsdVersieDeclaratie",
          "the answer repeats the XsdVersie of the declaration"),
        X("TR373", "9373", T(JW317), "TeWijzigenProduct: GewensteIngangsdatum",
          "a change of the Budget or the total Omvang is from the assignment's Ingangsdatum"),
        X("TR374", "9374", T(JW315) | T(JW317), "AangevraagdProduct, Verzoek",
          "a request waits until the client's open request of this provider is answered"),
        X("TR375", "9375", T(JW317), "TeWijzigenProduct: Omvang",
          "a change of an assignment without a product, ending after 2020, has no Omvang"),
        X("TR376", "0001", T(JW325), "DeclaratieAntwoord: DeclaratieNummer",
          "the answer repeats the DeclaratieNummer of the declaration"),
        X("TR379", "9379", T(JW301), "ToegewezenProduct: ReferentieAanbieder",
          "a ReferentieAanbieder is that of the client's request the assignment honours"),
        X("TR382", "9069", T(JW307), "StopProduct",
          "a stop repeats the ToewijzingNummer, Product and Begindatum of its start"),
        X("TR384", "9384", T(JW323), "Prestatie: ToewijzingNummer",
          "nothing is declared on a removed assignment (RedenWijziging 13)"),
        X("TR385", "9385", T(JW301), "ToegewezenProduct: RedenWijziging",
          "an assignment with approved prestaties that are not credited is not removed"),
        X("TR387", "9387", T(JW323), "Prestatie: ProductPeriode Begindatum",
          "a prestatie begins on the first of its month, or on a later Ingangsdatum"),
        X("TR388", "9388", T(JW323), "Prestatie: ProductPeriode Einddatum",
          "a prestatie ends on the last of its month, or on an earlier Einddatum"),
        X("TR389", "9389", T(JW323), "Prestatie",
          "one standing debit per assignment, product and ProductPeriode"),
        X("TR390", "9390", T(JW323), "Prestatie: VorigReferentieNummer",
          "a debit is credited once"),
        X("TR411", "9411", T(JW317), "TeWijzigenProduct: Omvang",
          "a change of an assignment with a product code gives its Omvang"),
        X("TR412", "9412", T(JW317), "TeWijzigenProduct: Omvang",
          "a change of an assignment by category only, ending after 2020, has no Omvang"),
        X("TR413", "9413", T(JW307), "StopProduct: RedenBeeindiging",
          "after a temporary stop (RedenBeeindiging 20) the next stop is a final one"),
        X("TR414", "9414", T(JW307), "StopProduct: Einddatum",
          "a new stop does not end before the current stop of the delivery"),
        X("TR415", "9415", T(JW307), "StopProduct",
          "a delivery with a final stop gets no further stop"),
        X("STAPELING", "0001", T(JW301), "ToegewezenProduct: Product",
          "the region's policy: no two combinations for one client at one provider at once, "
          "except the acute intensity for a short time and the durable one by agreement"),
        X("PLAFOND", "0001", T(JW323), "Prestatie: IngediendBedrag",
          "the region's policy: a provider's declarations in a year stay under its ceilings"),
        X("TERMIJN", "0001", T(JW323), "Prestatie: ProductPeriode",
          "the region's policy: a prestatie is declared in time after its period ends"),
};

#define NRULES (sizeof table / sizeof table[0])

size_t
ijw_rules_count(void)
{
	return NRULES;
}

const struct ijw_rule *
ijw_rule_at(size_t i)
{
	return i < NRULES ? &table[i].info : NULL;
}

const struct ijw_rule *
ijw_rule_by_code(const char *code)
{
	for (size_t i = 0; i < NRULES; i++)
		if (strcmp(table[i].info.code, code) == 0)
			return &table[i].info;
	return NULL;
}

bool
ijw_rule_applies(const struct ijw_rule *rule, enum ijw_type type)
{
	return type > IJW_TYPE_NONE && type < IJW_TYPE_END &&
	       (rule->types & (UINT32_C(1) << type)) != 0;
}

ijw_rc
ijw_rules_check(const ijw_doc *doc, ijw_day today, ijw_findings *f)
{
	struct run r = {.doc = doc, .type = ijw_doc_type(doc), .today = today, .f = f};

	xmlNodePtr dag = at(xmlDocGetRootElement(ijw_doc_xml(doc)),
	                    "Header/BerichtIdentificatie/Dagtekening");

	/* The schema admits dates this gateway cannot reckon with; such a one is a finding. */
	if (!date(dag, "", &r.dag))
		return ijw_findings_add_node(
		        f, dag ? (void *)dag : (void *)xmlDocGetRootElement(ijw_doc_xml(doc)),
		        "TR135", "8848",
		        "the Dagtekening cannot be read as a date of at most nine "
		        "digits of year");
	for (size_t i = 0; i < NRULES && !r.rc; i++) {
		if (!table[i].check || !ijw_rule_applies(&table[i].info, r.type))
			continue;
		r.rule = &table[i].info;
		table[i].check(&r);
	}
	return r.rc;
}
