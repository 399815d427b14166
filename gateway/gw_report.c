/*
 * gw_report.c: the region's monitoring report, read from the care ledger.
 *
 * The ledger is read in one snapshot of the store, key by key (the keys are
 * described in codecs/ijw_ledger.c): assignments (A ... T, and V 1 for the
 * first Toewijzingsdatum), starts (A ... S) and stops (A ... P) of care,
 * requests (R), declarations (D) and their prestaties (N). Every fact is
 * counted in the row of its assignment's product (the region's combination,
 * or the national product code) and in the period that holds its date.
 *
 * Suppression works per period and per figure. A count below the threshold
 * (but not 0) is suppressed; a row of few clients loses every figure, and a
 * median or 90th percentile over few values goes. A provider's total of a
 * figure is the sum of its rows, so its suppressed cells must be more than
 * one and together stand for at least threshold people (the count itself,
 * or for an amount the clients of its row); while they do not, the cell that
 * stands for the fewest other people is suppressed too, and where none is
 * left the total is. The overall total is left out on the same terms where
 * it would give away the cells under the providers' totals left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gw_report.h"

#define SEPC '\x1f'
#define MAXKEY 20

/* ---- the figures ---- */

enum fig {
	F_CLIENTS,
	F_NEW,
	F_WAIT_N,
	F_WAIT_MED,
	F_WAIT_P90,
	F_LEAD_N,
	F_LEAD_MED,
	F_LEAD_P90,
	F_ENDED,
	F_DUR_MED,
	F_DUR_P90,
	F_EARLY,
	F_PLANNED,
	F_DECLARED,
	F_AWARDED,
	NFIG
};

enum kind { K_COUNT, K_STAT, K_AMOUNT };

static const struct figdef {
	const char *name;  /* in CSV and JSON */
	const char *label; /* for people */
	enum kind kind;
	enum fig of; /* a statistic: the count it is taken over */
} figs[NFIG] = {
        [F_CLIENTS] = {"clients", "Clients in care", K_COUNT, F_CLIENTS},
        [F_NEW] = {"new_assignments", "New assignments", K_COUNT, F_NEW},
        [F_WAIT_N] = {"starts", "Starts of care", K_COUNT, F_WAIT_N},
        [F_WAIT_MED] = {"waiting_days_median", "Waiting days, median", K_STAT, F_WAIT_N},
        [F_WAIT_P90] = {"waiting_days_p90", "Waiting days, p90", K_STAT, F_WAIT_N},
        [F_LEAD_N] = {"requests_assigned", "Requests assigned", K_COUNT, F_LEAD_N},
        [F_LEAD_MED] = {"lead_days_median", "Lead days, median", K_STAT, F_LEAD_N},
        [F_LEAD_P90] = {"lead_days_p90", "Lead days, p90", K_STAT, F_LEAD_N},
        [F_ENDED] = {"ended", "Care ended", K_COUNT, F_ENDED},
        [F_DUR_MED] = {"duration_days_median", "Duration days, median", K_STAT, F_ENDED},
        [F_DUR_P90] = {"duration_days_p90", "Duration days, p90", K_STAT, F_ENDED},
        [F_EARLY] = {"ended_early", "Ended early (32-34)", K_COUNT, F_EARLY},
        [F_PLANNED] = {"ended_as_planned", "Ended as planned (31)", K_COUNT, F_PLANNED},
        [F_DECLARED] = {"declared_eur", "Declared (EUR)", K_AMOUNT, F_DECLARED},
        [F_AWARDED] = {"awarded_eur", "Awarded (EUR)", K_AMOUNT, F_AWARDED},
};

/* Day counts, for a median and a 90th percentile. */
struct days {
	long *v;
	size_t n, cap;
};

/* One row in one period: what is gathered, then the figures. */
struct fig_set {
	const char **clients; /* client keys, repeated; counted distinct */
	size_t nclients, capclients;
	struct days wait, lead, dur;
	long long v[NFIG];
	bool has[NFIG]; /* a statistic over no value has none */
	bool sup[NFIG];
};

struct row {
	char aanbieder[9];
	char product[8];   /* the combination ("5P") or the national product ("45A04") */
	unsigned profile;  /* 0 for a national product */
	char intensity;    /* the combination's letter, 0 for a national product */
	struct fig_set *p; /* per period */
};

/* A provider's totals, or the overall ones (aanbieder ""), per period: no statistics. */
struct total {
	char aanbieder[9];
	long long v[NFIG];
	bool has[NFIG];
	bool sup[NFIG];
};

struct period {
	ijw_day from, to;
	char name[IJW_DATE_SIZE * 2 + 2]; /* "2026-03", or "2026-01-01..2026-12-31" */
};

struct gw_report {
	struct gw_report_opts o;
	const ijw_products *products;
	struct period *periods;
	size_t nperiods;
	struct row *rows;
	size_t nrows;
	struct total *totals; /* per period: the providers' (in row order), then the overall */
	size_t ntotals;       /* per period */
};

/* ---- growing arrays ---- */

static bool
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t c;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 16;
	if (!(np = realloc(*p, c * size)))
		return false;
	*p = np;
	*cap = c;
	return true;
}

static bool
days_add(struct days *d, long v)
{
	if (!grow((void **)&d->v, &d->cap, d->n, sizeof *d->v))
		return false;
	d->v[d->n++] = v < 0 ? 0 : v;
	return true;
}

/* ---- what the ledger holds ---- */

struct asg {
	char g[5], nr[16], a[9], client[IJW_CLIENT_SIZE], cat[3], code[6], reden[3];
	ijw_day first_datum; /* the Toewijzingsdatum of version 1 */
	ijw_day first_start; /* the earliest start of care, IJW_DAY_MAX for none */
	int row;             /* -1: in no row (Acuut) */
};

/* The first version of an assignment that names a request (its ReferentieAanbieder). */
struct honour {
	size_t asg; /* the assignment's index */
	char ref[40];
	long version;
	ijw_day datum; /* that version's Toewijzingsdatum */
};

/* A delivery of care: what a start and its stops have in their keys. */
struct delivery {
	char g[5], nr[16], a[9], client[IJW_CLIENT_SIZE];
	ijw_day begin;
};

struct start {
	struct delivery d;
	ijw_day end; /* the earliest stop of this delivery, IJW_DAY_MAX */
};

struct stop {
	struct delivery d;
	char reden[3];
	ijw_day end;
};

struct req {
	char a[9], ref[40], type[6];
	ijw_day datum;
};

struct decl {
	char a[9], nr[16];
	bool answered;
};

struct pres {
	char a[9], decl[16], g[5], nr[16], cat[3], code[6];
	ijw_day begin;
	long long bedrag;
	bool rejected;
};

struct ledger {
	struct asg *asg;
	size_t nasg, capasg;
	struct honour *hon; /* in the order of their assignments */
	size_t nhon, caphon;
	struct start *starts;
	size_t nstarts, capstarts;
	struct stop *stops;
	size_t nstops, capstops;
	struct req *reqs;
	size_t nreqs, capreqs;
	struct decl *decls;
	size_t ndecls, capdecls;
	struct pres *pres;
	size_t npres, cappres;
	bool oom;
};

/* Splits s (a copy) at SEP into at most MAXKEY fields; the rest are "". */
static size_t
split(char *s, const char *f[MAXKEY])
{
	size_t n = 0;

	while (n < MAXKEY) {
		char *e = strchr(s, SEPC);

		f[n++] = s;
		if (!e)
			break;
		*e = '\0';
		s = e + 1;
	}
	for (size_t i = n; i < MAXKEY; i++)
		f[i] = "";
	return n;
}

static void
set(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/*
 * Version n of assignment i (A g nr V n): the first one's Toewijzingsdatum,
 * and which version first named each request it honours. Versions come in
 * key order ("1", "10", "2"), not in number order.
 */
static void
read_version(struct ledger *L, size_t i, long n, const char *v[MAXKEY])
{
	struct honour *h = NULL;

	if (n == 1)
		L->asg[i].first_datum = ijw_date_or(v[14], L->asg[i].first_datum);
	if (!*v[11])
		return;
	for (size_t j = L->nhon; j-- > 0 && L->hon[j].asg == i;)
		if (strcmp(L->hon[j].ref, v[11]) == 0)
			h = &L->hon[j];
	if (h && h->version < n)
		return;
	if (!h) {
		if (!grow((void **)&L->hon, &L->caphon, L->nhon, sizeof *L->hon)) {
			L->oom = true;
			return;
		}
		h = &L->hon[L->nhon++];
		h->asg = i;
		set(h->ref, sizeof h->ref, v[11]);
	}
	h->version = n;
	h->datum = ijw_date_or(v[14], 0);
}

/* An assignment key: A g nr T (its current version) or V n (a version). */
static void
read_assignment(struct ledger *L, const char *k[MAXKEY], const char *v[MAXKEY])
{
	struct asg *as;

	if (strcmp(k[3], "V") == 0) {
		/* versions come after T in key order: the last assignment read is this one */
		as = L->nasg ? &L->asg[L->nasg - 1] : NULL;
		if (as && strcmp(as->g, k[1]) == 0 && strcmp(as->nr, k[2]) == 0)
			read_version(L, L->nasg - 1, strtol(k[4], NULL, 10), v);
		return;
	}
	if (!grow((void **)&L->asg, &L->capasg, L->nasg, sizeof *L->asg)) {
		L->oom = true;
		return;
	}
	as = &L->asg[L->nasg++];
	memset(as, 0, sizeof *as);
	set(as->g, sizeof as->g, k[1]);
	set(as->nr, sizeof as->nr, k[2]);
	set(as->a, sizeof as->a, v[0]);
	set(as->client, sizeof as->client, v[1]);
	set(as->cat, sizeof as->cat, v[2]);
	set(as->code, sizeof as->code, v[3]);
	set(as->reden, sizeof as->reden, v[10]);
	as->first_datum = ijw_date_or(v[14], 0);
	as->first_start = IJW_DAY_MAX;
}

/* A start (A g nr S a client begin ...) or a stop (A g nr P a client begin ...). */
static void
read_delivery(struct delivery *d, const char *k[MAXKEY])
{
	set(d->g, sizeof d->g, k[1]);
	set(d->nr, sizeof d->nr, k[2]);
	set(d->a, sizeof d->a, k[4]);
	set(d->client, sizeof d->client, k[5]);
	d->begin = ijw_date_or(k[6], 0);
}

static int
read_each(void *ctx, const char *key, const char *value)
{
	struct ledger *L = ctx;
	char kb[512], vb[1024];
	const char *k[MAXKEY], *v[MAXKEY];

	if (key[0] != 'A' && key[0] != 'R' && key[0] != 'D' && key[0] != 'N')
		return 0;
	set(kb, sizeof kb, key);
	set(vb, sizeof vb, value);
	split(kb, k);
	split(vb, v);
	if (k[0][0] == 'A' && (strcmp(k[3], "T") == 0 || strcmp(k[3], "V") == 0)) {
		read_assignment(L, k, v);
	} else if (k[0][0] == 'A' && strcmp(k[3], "S") == 0) {
		if (!grow((void **)&L->starts, &L->capstarts, L->nstarts, sizeof *L->starts))
			goto oom;
		struct start *s = &L->starts[L->nstarts++];

		read_delivery(&s->d, k);
		s->end = IJW_DAY_MAX;
	} else if (k[0][0] == 'A' && strcmp(k[3], "P") == 0) {
		if (!grow((void **)&L->stops, &L->capstops, L->nstops, sizeof *L->stops))
			goto oom;
		struct stop *s = &L->stops[L->nstops++];

		read_delivery(&s->d, k);
		set(s->reden, sizeof s->reden, k[7]);
		s->end = ijw_date_or(k[8], 0);
	} else if (k[0][0] == 'R') {
		if (!grow((void **)&L->reqs, &L->capreqs, L->nreqs, sizeof *L->reqs))
			goto oom;
		struct req *r = &L->reqs[L->nreqs++];

		set(r->a, sizeof r->a, k[1]);
		set(r->ref, sizeof r->ref, k[2]);
		set(r->type, sizeof r->type, v[2]);
		r->datum = ijw_date_or(v[5], -1);
	} else if (k[0][0] == 'D') {
		if (!grow((void **)&L->decls, &L->capdecls, L->ndecls, sizeof *L->decls))
			goto oom;
		struct decl *d = &L->decls[L->ndecls++];

		set(d->a, sizeof d->a, k[1]);
		set(d->nr, sizeof d->nr, k[2]);
		d->answered = strcmp(v[6], "1") == 0;
	} else if (k[0][0] == 'N') {
		if (!grow((void **)&L->pres, &L->cappres, L->npres, sizeof *L->pres))
			goto oom;
		struct pres *p = &L->pres[L->npres++];

		set(p->a, sizeof p->a, k[1]);
		set(p->g, sizeof p->g, v[0]);
		set(p->decl, sizeof p->decl, v[1]);
		set(p->nr, sizeof p->nr, v[2]);
		set(p->cat, sizeof p->cat, v[3]);
		set(p->code, sizeof p->code, v[4]);
		p->begin = ijw_date_or(v[5], 0);
		p->bedrag = strtoll(v[10], NULL, 10);
		p->rejected = strcmp(v[12], "r") == 0;
	}
	return 0;
oom:
	L->oom = true;
	return 1;
}

static void
ledger_free(struct ledger *L)
{
	free(L->asg);
	free(L->hon);
	free(L->starts);
	free(L->stops);
	free(L->reqs);
	free(L->decls);
	free(L->pres);
}

/*
 * The first of n sorted elements at base that is not below key by cmp
 * (element, key); n when none. The ledger's keys come in order, so what is
 * read from them is sorted by the fields of its key.
 */
static size_t
lower_bound(const void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
            const void *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cmp((const char *)base + mid * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Two text fields against a key of two: an assignment (g, nr), a request (a, ref), ... */
static int
pair_cmp(const char *x1, const char *x2, const void *key)
{
	const char *const *k = key;
	int d = strcmp(x1, k[0]);

	return d ? d : strcmp(x2, k[1]);
}

static int
asg_cmp(const void *e, const void *key)
{
	const struct asg *as = e;

	return pair_cmp(as->g, as->nr, key);
}

static int
req_cmp(const void *e, const void *key)
{
	const struct req *r = e;

	return pair_cmp(r->a, r->ref, key);
}

static int
decl_cmp(const void *e, const void *key)
{
	const struct decl *d = e;

	return pair_cmp(d->a, d->nr, key);
}

/* Assignment nr of municipality g (A g nr T), or NULL. */
static struct asg *
asg_find(struct ledger *L, const char *g, const char *nr)
{
	const char *k[2] = {g, nr};
	size_t i = lower_bound(L->asg, L->nasg, sizeof *L->asg, asg_cmp, k);

	return i < L->nasg && asg_cmp(&L->asg[i], k) == 0 ? &L->asg[i] : NULL;
}

/* Request ref of provider a (R a ref), or NULL. */
static const struct req *
req_find(const struct ledger *L, const char *a, const char *ref)
{
	const char *k[2] = {a, ref};
	size_t i = lower_bound(L->reqs, L->nreqs, sizeof *L->reqs, req_cmp, k);

	return i < L->nreqs && req_cmp(&L->reqs[i], k) == 0 ? &L->reqs[i] : NULL;
}

/* Whether a JW325 answered declaration nr of provider a (D a nr). */
static bool
answered(const struct ledger *L, const char *a, const char *nr)
{
	const char *k[2] = {a, nr};
	size_t i = lower_bound(L->decls, L->ndecls, sizeof *L->decls, decl_cmp, k);

	return i < L->ndecls && decl_cmp(&L->decls[i], k) == 0 && L->decls[i].answered;
}

/* How the delivery of stop e compares with delivery key, in key order. */
static int
stop_cmp(const void *e, const void *key)
{
	const struct delivery *p = &((const struct stop *)e)->d, *s = key;
	int d = strcmp(p->g, s->g);

	if (!d)
		d = strcmp(p->nr, s->nr);
	if (!d)
		d = strcmp(p->a, s->a);
	if (!d)
		d = strcmp(p->client, s->client);
	if (!d)
		d = p->begin < s->begin ? -1 : p->begin > s->begin;
	return d;
}

/*
 * Where the delivery that began with s ends: at its earliest stop,
 * temporary or final; IJW_DAY_MAX while it has none.
 */
static ijw_day
delivery_end(const struct ledger *L, const struct start *s)
{
	ijw_day end = IJW_DAY_MAX;

	for (size_t i = lower_bound(L->stops, L->nstops, sizeof *L->stops, stop_cmp, &s->d);
	     i < L->nstops && stop_cmp(&L->stops[i], &s->d) == 0; i++)
		if (L->stops[i].end < end)
			end = L->stops[i].end;
	return end;
}

/* ---- rows and periods ---- */

/* Removed (13) or void (01): as if it never was. */
static bool
gone(const struct asg *as)
{
	return strcmp(as->reden, "13") == 0 || strcmp(as->reden, "01") == 0;
}

/* Whether a combination is Acuut: the table's acute intensity. */
static bool
acute(const ijw_products *p, const struct ijw_combination *k)
{
	char a = ijw_products_policy(p)->acute;

	return a && k->intensity == a;
}

/*
 * The row's product of a product (Categorie and Code) into w: its
 * combination in the region's table, else the national code (which begins
 * with its category, "45A04"; else both are written). False for Acuut.
 */
static bool
product_of(const gw_report *r, const char *cat, const char *code, struct row *w)
{
	const struct ijw_combination *k = ijw_ledger_combination(r->products, cat, code);

	if (k && acute(r->products, k))
		return false;
	if (k)
		set(w->product, sizeof w->product, k->id);
	else if (strncmp(code, cat, strlen(cat)) == 0)
		set(w->product, sizeof w->product, code);
	else
		snprintf(w->product, sizeof w->product, "%s%s", cat, code);
	w->profile = k ? k->profile : 0;
	w->intensity = k ? k->intensity : 0;
	return true;
}

static int
row_key_cmp(const void *e, const void *key)
{
	const struct row *w = e;

	return pair_cmp(w->aanbieder, w->product, key);
}

static int
row_sort(const void *x, const void *y)
{
	const struct row *b = y;
	const char *k[2] = {b->aanbieder, b->product};

	return row_key_cmp(x, k);
}

/* Adds the row of provider a and a product to rows (unless Acuut). */
static void
row_add(const gw_report *r, struct row *rows, size_t *n, const char *a, const char *cat,
        const char *code)
{
	struct row *w = &rows[*n];

	memset(w, 0, sizeof *w);
	set(w->aanbieder, sizeof w->aanbieder, a);
	if (product_of(r, cat, code, w))
		(*n)++;
}

/* The row of provider a and a product: its index, or -1 (Acuut). */
static int
row_find(const gw_report *r, const char *a, const char *cat, const char *code)
{
	struct row w;
	const char *k[2] = {a, w.product};
	size_t i;

	if (!product_of(r, cat, code, &w))
		return -1;
	i = lower_bound(r->rows, r->nrows, sizeof *r->rows, row_key_cmp, k);
	return i < r->nrows && row_key_cmp(&r->rows[i], k) == 0 ? (int)i : -1;
}

/*
 * The rows: a provider and a product of an assignment that counts, or of a
 * prestatie (whose assignment's product it is counted under, when the
 * ledger has the assignment); sorted by provider and product.
 */
static bool
rows_make(gw_report *r, struct ledger *L)
{
	size_t n = 0, u = 0;

	if (!(r->rows = calloc(L->nasg + L->npres + 1, sizeof *r->rows)))
		return false;
	for (size_t i = 0; i < L->nasg; i++)
		if (!gone(&L->asg[i]))
			row_add(r, r->rows, &n, L->asg[i].a, L->asg[i].cat, L->asg[i].code);
	for (size_t i = 0; i < L->npres; i++) {
		const struct pres *p = &L->pres[i];
		const struct asg *as = asg_find(L, p->g, p->nr);

		row_add(r, r->rows, &n, p->a, as ? as->cat : p->cat, as ? as->code : p->code);
	}
	qsort(r->rows, n, sizeof *r->rows, row_sort);
	for (size_t i = 0; i < n; i++)
		if (!u || row_sort(&r->rows[i], &r->rows[u - 1]) != 0)
			r->rows[u++] = r->rows[i];
	r->nrows = u;
	for (size_t i = 0; i < u; i++)
		if (!(r->rows[i].p = calloc(r->nperiods, sizeof *r->rows[i].p)))
			return false;
	return true;
}

/* The calendar months from day from to day to, both counted. */
static long
months(ijw_day from, ijw_day to)
{
	int y1, m1, y2, m2, d;

	ijw_date_to_ymd(from, &y1, &m1, &d);
	ijw_date_to_ymd(to, &y2, &m2, &d);
	return (long)(y2 - y1) * 12 + (m2 - m1) + 1;
}

static void
periods_make(gw_report *r)
{
	ijw_day d = r->o.from;
	char f[IJW_DATE_SIZE], t[IJW_DATE_SIZE];

	r->nperiods = 0;
	while (d <= r->o.to) {
		struct period *p = &r->periods[r->nperiods++];
		int y, m, md;

		ijw_date_to_ymd(d, &y, &m, &md);
		p->from = d;
		p->to = r->o.monthly ? ijw_date_from_ymd(m == 12 ? y + 1 : y, m % 12 + 1, 1) - 1
		                     : r->o.to;
		if (p->to > r->o.to)
			p->to = r->o.to;
		ijw_date_format(p->from, f);
		ijw_date_format(p->to, t);
		if (r->o.monthly)
			snprintf(p->name, sizeof p->name, "%.7s", f);
		else
			snprintf(p->name, sizeof p->name, "%s..%s", f, t);
		d = p->to + 1;
	}
}

/* The period that holds day d, or -1. */
static int
period_of(const gw_report *r, ijw_day d)
{
	for (size_t i = 0; i < r->nperiods; i++)
		if (d >= r->periods[i].from && d <= r->periods[i].to)
			return (int)i;
	return -1;
}

static struct fig_set *
at(gw_report *r, int row, int period)
{
	return row >= 0 && period >= 0 ? &r->rows[row].p[period] : NULL;
}

/* ---- gathering ---- */

static bool
add_client(struct fig_set *f, const char *client)
{
	if (!grow((void **)&f->clients, &f->capclients, f->nclients, sizeof *f->clients))
		return false;
	f->clients[f->nclients++] = client;
	return true;
}

/* A final stop: not temporary (20). */
static bool
final(const struct stop *s)
{
	return strcmp(s->reden, "20") != 0;
}

static bool
gather(gw_report *r, struct ledger *L)
{
	struct fig_set *f;

	for (size_t i = 0; i < L->nasg; i++) {
		struct asg *as = &L->asg[i];

		as->row = row_find(r, as->a, as->cat, as->code);
		if (gone(as) || !(f = at(r, as->row, period_of(r, as->first_datum))))
			continue;
		f->v[F_NEW]++;
	}
	for (size_t i = 0; i < L->nstarts; i++)
		L->starts[i].end = delivery_end(L, &L->starts[i]);
	for (size_t i = 0; i < L->nstarts; i++) {
		const struct start *s = &L->starts[i];
		struct asg *as = asg_find(L, s->d.g, s->d.nr);

		if (!as || gone(as) || as->row < 0 || strcmp(as->a, s->d.a) != 0)
			continue;
		if (s->d.begin < as->first_start)
			as->first_start = s->d.begin;
		for (size_t p = 0; p < r->nperiods; p++)
			if (s->d.begin <= r->periods[p].to && s->end >= r->periods[p].from &&
			    !add_client(&r->rows[as->row].p[p], as->client))
				return false;
	}
	for (size_t i = 0; i < L->nasg; i++) {
		const struct asg *as = &L->asg[i];

		if (!gone(as) && as->first_start != IJW_DAY_MAX && as->first_datum &&
		    (f = at(r, as->row, period_of(r, as->first_start))) &&
		    !days_add(&f->wait, as->first_start - as->first_datum))
			return false;
	}
	/* from a request for assignment to the version that honours it */
	for (size_t i = 0; i < L->nhon; i++) {
		const struct honour *h = &L->hon[i];
		const struct asg *as = &L->asg[h->asg];
		const struct req *q = req_find(L, as->a, h->ref);

		if (!gone(as) && q && strcmp(q->type, "JW315") == 0 && q->datum >= 0 && h->datum &&
		    (f = at(r, as->row, period_of(r, h->datum))) &&
		    !days_add(&f->lead, h->datum - q->datum))
			return false;
	}
	for (size_t i = 0; i < L->nstops; i++) {
		const struct stop *p = &L->stops[i];
		const struct asg *as = asg_find(L, p->d.g, p->d.nr);

		if (!final(p) || !as || gone(as) || as->row < 0 ||
		    !(f = at(r, as->row, period_of(r, p->end))))
			continue;
		/* from the first start of care on the assignment, over temporary stops */
		if (!days_add(&f->dur, p->end - (as->first_start < p->d.begin ? as->first_start
		                                                              : p->d.begin)))
			return false;
		if (strcmp(p->reden, "31") == 0)
			f->v[F_PLANNED]++;
		else if (strcmp(p->reden, "32") == 0 || strcmp(p->reden, "33") == 0 ||
		         strcmp(p->reden, "34") == 0)
			f->v[F_EARLY]++;
	}
	for (size_t i = 0; i < L->npres; i++) {
		const struct pres *p = &L->pres[i];
		const struct asg *as = asg_find(L, p->g, p->nr);
		int row = as ? as->row : row_find(r, p->a, p->cat, p->code);

		if (!(f = at(r, row, period_of(r, p->begin))))
			continue;
		f->v[F_DECLARED] += p->bedrag;
		if (!p->rejected && answered(L, p->a, p->decl))
			f->v[F_AWARDED] += p->bedrag;
	}
	return true;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int
cmp_long(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;

	return a < b ? -1 : a > b;
}

/* The value at rank ceil(num / den * n) of the sorted values (nearest rank). */
static long
rank(const struct days *d, size_t num, size_t den)
{
	size_t k = (num * d->n + den - 1) / den;

	return d->v[k ? k - 1 : 0];
}

static void
stat(struct fig_set *f, struct days *d, enum fig n, enum fig med, enum fig p90)
{
	f->v[n] = (long long)d->n;
	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof *d->v, cmp_long);
	f->v[med] = rank(d, 1, 2);
	f->v[p90] = rank(d, 9, 10);
	f->has[med] = f->has[p90] = true;
}

static void
figures(struct fig_set *f)
{
	size_t distinct = 0;

	/* a row without clients in the period has no array to sort */
	if (f->nclients)
		qsort(f->clients, f->nclients, sizeof *f->clients, cmp_str);
	for (size_t i = 0; i < f->nclients; i++)
		if (!i || strcmp(f->clients[i], f->clients[i - 1]) != 0)
			distinct++;
	f->v[F_CLIENTS] = (long long)distinct;
	stat(f, &f->wait, F_WAIT_N, F_WAIT_MED, F_WAIT_P90);
	stat(f, &f->lead, F_LEAD_N, F_LEAD_MED, F_LEAD_P90);
	stat(f, &f->dur, F_ENDED, F_DUR_MED, F_DUR_P90);
	for (int i = 0; i < NFIG; i++)
		if (figs[i].kind != K_STAT)
			f->has[i] = true;
}

/* ---- suppression ---- */

/* The people a cell stands for: a count itself, an amount the clients of its row. */
static long long
weight(const struct fig_set *f, enum fig i)
{
	return figs[i].kind == K_COUNT ? f->v[i] : f->v[F_CLIENTS];
}

/* A count of a few people: above 0 and below the threshold. */
static bool
few(const gw_report *r, long long v)
{
	return v > 0 && v < (long long)r->o.threshold;
}

/*
 * Suppressed before any total is looked at: a count of a few, every figure
 * of a row of a few clients, a statistic over a few values.
 */
static void
suppress_primary(gw_report *r, size_t p)
{
	for (size_t i = 0; i < r->nrows; i++) {
		struct fig_set *f = &r->rows[i].p[p];

		for (int j = 0; j < NFIG; j++)
			f->sup[j] =
			        f->has[j] && (few(r, f->v[F_CLIENTS]) ||
			                      (figs[j].kind == K_COUNT && few(r, f->v[j])) ||
			                      (figs[j].kind == K_STAT && few(r, f->v[figs[j].of])));
	}
}

/*
 * Complementary suppression of figure i among the rows of provider a, whose
 * total is the sum of them: the total less the cells shown is the sum of
 * the cells suppressed, which must not give one away. While it is the value
 * of one cell, or stands for a few people, the cell that stands for the
 * fewest other people is suppressed too. False when no cell is left to
 * suppress: then the total must go.
 */
static bool
suppress_group(gw_report *r, size_t p, const char *a, enum fig i)
{
	for (;;) {
		long long people = 0;
		size_t nsup = 0;
		struct fig_set *best = NULL;

		for (size_t j = 0; j < r->nrows; j++) {
			struct fig_set *f = &r->rows[j].p[p];

			if (strcmp(r->rows[j].aanbieder, a) != 0)
				continue;
			if (f->sup[i]) {
				people += weight(f, i);
				nsup++;
			} else if (weight(f, i) > 0 && (!best || weight(f, i) < weight(best, i))) {
				best = f;
			}
		}
		if (people == 0 || (nsup > 1 && !few(r, people)))
			return true;
		if (!best)
			return false;
		best->sup[i] = true;
	}
}

static bool
totals_make(gw_report *r)
{
	size_t nprov = 0;

	for (size_t i = 0; i < r->nrows; i++)
		if (!i || strcmp(r->rows[i].aanbieder, r->rows[i - 1].aanbieder) != 0)
			nprov++;
	r->ntotals = nprov + 1;
	if (!(r->totals = calloc(r->nperiods * r->ntotals, sizeof *r->totals)))
		return false;
	for (size_t p = 0; p < r->nperiods; p++) {
		struct total *t = &r->totals[p * r->ntotals] - 1, *all = t + r->ntotals;

		for (size_t i = 0; i < r->nrows; i++) {
			const struct fig_set *f = &r->rows[i].p[p];

			if (!i || strcmp(r->rows[i].aanbieder, r->rows[i - 1].aanbieder) != 0)
				set((++t)->aanbieder, sizeof t->aanbieder, r->rows[i].aanbieder);
			for (int j = 0; j < NFIG; j++) {
				t->v[j] += f->v[j];
				all->v[j] += f->v[j];
			}
		}
		for (size_t i = 0; i < r->ntotals; i++)
			for (int j = 0; j < NFIG; j++)
				r->totals[p * r->ntotals + i].has[j] = figs[j].kind != K_STAT;
	}
	return true;
}

static void
suppress(gw_report *r)
{
	for (size_t p = 0; p < r->nperiods; p++) {
		struct total *tot = &r->totals[p * r->ntotals], *all = &tot[r->ntotals - 1];

		suppress_primary(r, p);
		for (int j = 0; j < NFIG; j++) {
			long long people = 0;
			size_t nsup = 0;

			if (figs[j].kind == K_STAT)
				continue;
			for (size_t t = 0; t + 1 < r->ntotals; t++)
				tot[t].sup[j] =
				        !suppress_group(r, p, tot[t].aanbieder, (enum fig)j);
			/*
			 * The overall total less the providers' totals shown and the
			 * cells shown gives the sum of the cells under the totals left out.
			 */
			for (size_t i = 0, t = 0; i < r->nrows; i++) {
				const struct fig_set *f = &r->rows[i].p[p];

				while (strcmp(tot[t].aanbieder, r->rows[i].aanbieder) != 0)
					t++;
				if (tot[t].sup[j] && f->sup[j]) {
					people += weight(f, (enum fig)j);
					nsup++;
				}
			}
			all->sup[j] = people > 0 && (nsup < 2 || few(r, people));
		}
	}
}

/* ---- building ---- */

static int
row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int d = strcmp(a->aanbieder, b->aanbieder);

	if (!d)
		d = a->profile < b->profile ? -1 : a->profile > b->profile;
	if (!d)
		d = strcmp(a->product, b->product);
	return d;
}

void
gw_report_opts_init(struct gw_report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->threshold = GW_REPORT_THRESHOLD;
}

gw_report *
gw_report_build(gw_store *s, const struct gw_report_opts *o, char *err, size_t errlen)
{
	struct ledger L = {0};
	struct ijw_ledger l;
	gw_report *r;
	int rc;

	if (o->to < o->from) {
		snprintf(err, errlen, "the period ends before it begins");
		return NULL;
	}
	if (o->monthly && months(o->from, o->to) > GW_REPORT_MAX_MONTHS) {
		snprintf(err, errlen, "a report by month covers at most %d months, not %ld",
		         GW_REPORT_MAX_MONTHS, months(o->from, o->to));
		return NULL;
	}
	if (!gw_store_has_ledger(s)) {
		snprintf(err, errlen, "store %s keeps no ledger: set ledger_key", gw_store_path(s));
		return NULL;
	}
	if (!(r = calloc(1, sizeof *r)))
		goto oom;
	r->o = *o;
	r->products = o->products;
	if (!(r->periods =
	              calloc(o->monthly ? (size_t)months(o->from, o->to) : 1, sizeof *r->periods)))
		goto oom;
	periods_make(r);
	gw_store_ledger(s, &l);
	if (gw_store_snapshot(s)) {
		snprintf(err, errlen, "reading the ledger: %s", gw_store_error(s));
		goto fail;
	}
	rc = l.ops->scan(l.h, "", read_each, &L);
	gw_store_rollback(s);
	if (rc) {
		snprintf(err, errlen, "reading the ledger: %s", gw_store_error(s));
		goto fail;
	}
	if (L.oom || !rows_make(r, &L) || !gather(r, &L))
		goto oom;
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t p = 0; p < r->nperiods; p++)
			figures(&r->rows[i].p[p]);
	qsort(r->rows, r->nrows, sizeof *r->rows, row_cmp);
	if (!totals_make(r))
		goto oom;
	suppress(r);
	ledger_free(&L);
	return r;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	ledger_free(&L);
	gw_report_free(r);
	return NULL;
}

void
gw_report_free(gw_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t p = 0; p < r->nperiods; p++) {
			free(r->rows[i].p[p].clients);
			free(r->rows[i].p[p].wait.v);
			free(r->rows[i].p[p].lead.v);
			free(r->rows[i].p[p].dur.v);
		}
		free(r->rows[i].p);
	}
	free(r->rows);
	free(r->totals);
	free(r->periods);
	free(r);
}

/* ---- output ---- */

/* The marker of a suppressed figure: "<5". */
static const char *
marker(const gw_report *r, char *out, size_t size)
{
	snprintf(out, size, "<%u", r->o.threshold);
	return out;
}

/* A figure as text: "" when it has none, the marker when suppressed. */
static const char *
fig_text(const gw_report *r, enum fig i, long long v, bool has, bool sup, char *out, size_t size)
{
	if (sup)
		marker(r, out, size);
	else if (!has)
		out[0] = '\0';
	else if (figs[i].kind == K_AMOUNT)
		snprintf(out, size, "%s%lld.%02lld", v < 0 ? "-" : "", llabs(v) / 100,
		         llabs(v) % 100);
	else
		snprintf(out, size, "%lld", v);
	return out;
}

/* The drop-out rate: early of all ended early or as planned; false when it has none. */
static bool
rate(const long long *v, const bool *sup, double *out)
{
	long long n = v[F_EARLY] + v[F_PLANNED];

	if (sup[F_EARLY] || sup[F_PLANNED] || n == 0)
		return false;
	*out = (double)v[F_EARLY] / (double)n;
	return true;
}

static const char *
intensity_name(const gw_report *r, const struct row *w)
{
	const char *n = w->intensity && r->products
	                        ? ijw_products_intensity(r->products, w->intensity)
	                        : NULL;

	return n ? n : "";
}

static void
csv_figures(const gw_report *r, struct ijw_buf *out, const long long *v, const bool *has,
            const bool *sup)
{
	char t[32];
	double d;

	for (int i = 0; i < NFIG; i++)
		ijw_buf_addf(out, ",%s",
		             fig_text(r, (enum fig)i, v[i], has[i], sup[i], t, sizeof t));
	if (rate(v, sup, &d))
		ijw_buf_addf(out, ",%.3f\n", d);
	else if (sup[F_EARLY] || sup[F_PLANNED])
		ijw_buf_addf(out, ",%s\n", marker(r, t, sizeof t));
	else
		ijw_buf_addstr(out, ",\n");
}

void
gw_report_csv(const gw_report *r, struct ijw_buf *out)
{
	ijw_buf_addstr(out, "period,from,to,aanbieder,product,profile,intensity");
	for (int i = 0; i < NFIG; i++)
		ijw_buf_addf(out, ",%s", figs[i].name);
	ijw_buf_addstr(out, ",dropout_rate\n");
	for (size_t p = 0; p < r->nperiods; p++) {
		const struct period *pe = &r->periods[p];
		const struct total *tot = &r->totals[p * r->ntotals];
		char f[IJW_DATE_SIZE], t[IJW_DATE_SIZE];

		ijw_date_format(pe->from, f);
		ijw_date_format(pe->to, t);
		for (size_t i = 0; i < r->nrows; i++) {
			const struct row *w = &r->rows[i];

			ijw_buf_addf(out, "%s,%s,%s,%s,%s,", pe->name, f, t, w->aanbieder,
			             w->product);
			if (w->profile)
				ijw_buf_addf(out, "%u", w->profile);
			ijw_buf_addf(out, ",%s", intensity_name(r, w));
			csv_figures(r, out, w->p[p].v, w->p[p].has, w->p[p].sup);
		}
		for (size_t i = 0; i < r->ntotals; i++) {
			ijw_buf_addf(out, "%s,%s,%s,%s,total,,", pe->name, f, t,
			             *tot[i].aanbieder ? tot[i].aanbieder : "all");
			csv_figures(r, out, tot[i].v, tot[i].has, tot[i].sup);
		}
	}
}

/*
 * The figures into object o: null when suppressed or without value, and
 * then named in "suppressed"; a total (row false) has no statistics.
 */
static void
json_figures(json_t *o, const long long *v, const bool *has, const bool *sup, bool row)
{
	json_t *s = json_array();
	double d;

	for (int i = 0; i < NFIG; i++) {
		json_t *x = json_null();

		if (figs[i].kind == K_STAT && !row)
			continue;
		if (sup[i])
			json_array_append_new(s, json_string(figs[i].name));
		else if (has[i] && figs[i].kind == K_AMOUNT)
			x = json_real((double)v[i] / 100.0);
		else if (has[i])
			x = json_integer(v[i]);
		json_object_set_new(o, figs[i].name, x);
	}
	json_object_set_new(o, "dropout_rate", rate(v, sup, &d) ? json_real(d) : json_null());
	if (sup[F_EARLY] || sup[F_PLANNED])
		json_array_append_new(s, json_string("dropout_rate"));
	json_object_set_new(o, "suppressed", s);
}

void
gw_report_json(const gw_report *r, struct ijw_buf *out)
{
	json_t *root = json_object(), *periods = json_array();
	char f[IJW_DATE_SIZE], t[IJW_DATE_SIZE];
	char *text;

	ijw_date_format(r->o.from, f);
	ijw_date_format(r->o.to, t);
	json_object_set_new(root, "from", json_string(f));
	json_object_set_new(root, "to", json_string(t));
	json_object_set_new(root, "by", json_string(r->o.monthly ? "month" : "period"));
	json_object_set_new(root, "threshold", json_integer(r->o.threshold));
	json_object_set_new(root, "region",
	                    r->products ? json_string(ijw_products_region(r->products))
	                                : json_null());
	for (size_t p = 0; p < r->nperiods; p++) {
		const struct period *pe = &r->periods[p];
		const struct total *tot = &r->totals[p * r->ntotals];
		json_t *po = json_object(), *rows = json_array(), *provs = json_array(),
		       *total = NULL;

		ijw_date_format(pe->from, f);
		ijw_date_format(pe->to, t);
		json_object_set_new(po, "period", json_string(pe->name));
		json_object_set_new(po, "from", json_string(f));
		json_object_set_new(po, "to", json_string(t));
		for (size_t i = 0; i < r->nrows; i++) {
			const struct row *w = &r->rows[i];
			json_t *o = json_object();

			json_object_set_new(o, "aanbieder", json_string(w->aanbieder));
			json_object_set_new(o, "product", json_string(w->product));
			json_object_set_new(o, "profile",
			                    w->profile ? json_integer(w->profile) : json_null());
			json_object_set_new(o, "intensity",
			                    w->intensity ? json_string(intensity_name(r, w))
			                                 : json_null());
			json_figures(o, w->p[p].v, w->p[p].has, w->p[p].sup, true);
			json_array_append_new(rows, o);
		}
		for (size_t i = 0; i < r->ntotals; i++) {
			json_t *o = json_object();

			if (i + 1 < r->ntotals)
				json_object_set_new(o, "aanbieder", json_string(tot[i].aanbieder));
			json_figures(o, tot[i].v, tot[i].has, tot[i].sup, false);
			if (i + 1 < r->ntotals)
				json_array_append_new(provs, o);
			else
				total = o;
		}
		json_object_set_new(po, "rows", rows);
		json_object_set_new(po, "providers", provs);
		json_object_set_new(po, "total", total);
		json_array_append_new(periods, po);
	}
	json_object_set_new(root, "periods", periods);
	if ((text = json_dumps(root,
	                       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)))) {
		ijw_buf_addstr(out, text);
		ijw_buf_addstr(out, "\n");
		free(text);
	}
	json_decref(root);
}

/* ---- HTML ---- */

static const char html_style[] =
        "<style>\n"
        ".report-section{font-family:sans-serif;color:#222;max-width:72em}\n"
        ".report-section h2,.report-section h3{font-weight:600}\n"
        ".report-meta,.report-legend{color:#555;font-size:90%}\n"
        ".report-charts{display:flex;flex-wrap:wrap;gap:1em}\n"
        ".report-chart text{font-size:11px;fill:#222}\n"
        ".report-bar{fill:#3a6ea5}\n"
        ".report-early{fill:#c0392b}\n"
        ".report-planned{fill:#27ae60}\n"
        ".report-suppressed{fill:#ccc}\n"
        ".report-table{border-collapse:collapse;font-size:85%;margin:1em 0}\n"
        ".report-table th,.report-table td{border:1px solid #ccc;padding:2px 6px}\n"
        ".report-table td{text-align:right}\n"
        ".report-table td.report-text{text-align:left}\n"
        ".report-total td{font-weight:600;background:#f4f4f4}\n"
        "</style>\n";

/* One bar of a chart: a value, or two stacked (early and as planned). */
struct bar {
	char label[64];
	long long a, b;
	bool sup, has;
};

#define CHART_W 620
#define LABEL_W 190
#define BARS_W 260
#define BAR_H 20

static void
svg_chart(const gw_report *r, struct ijw_buf *out, const char *title, const struct bar *bars,
          size_t n, bool stacked, const char *unit)
{
	long long max = 1;
	char m[16];

	marker(r, m, sizeof m);
	for (size_t i = 0; i < n; i++)
		if (bars[i].has && !bars[i].sup && bars[i].a + bars[i].b > max)
			max = bars[i].a + bars[i].b;
	ijw_buf_addf(out,
	             "<svg class=\"report-chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	             "width=\"%d\" height=\"%zu\" role=\"img\" aria-label=\"",
	             CHART_W, (n + 1) * BAR_H + 10);
	ijw_buf_add_xml(out, title);
	ijw_buf_addstr(out, "\"><text x=\"0\" y=\"14\" font-weight=\"bold\">");
	ijw_buf_add_xml(out, title);
	ijw_buf_addstr(out, "</text>\n");
	for (size_t i = 0; i < n; i++) {
		const struct bar *b = &bars[i];
		size_t y = (i + 1) * BAR_H + 4;
		long long wa = b->a * BARS_W / max, wb = b->b * BARS_W / max;

		ijw_buf_addf(out, "<text x=\"0\" y=\"%zu\">", y + 14);
		ijw_buf_add_xml(out, b->label);
		ijw_buf_addstr(out, "</text>");
		if (b->sup) {
			ijw_buf_addf(
			        out,
			        "<rect class=\"report-suppressed\" x=\"%d\" y=\"%zu\" width=\"12\" "
			        "height=\"%d\"/><text x=\"%d\" y=\"%zu\">",
			        LABEL_W, y + 2, BAR_H - 4, LABEL_W + 16, y + 14);
			ijw_buf_add_xml(out, m);
			ijw_buf_addstr(out, "</text>\n");
			continue;
		}
		if (!b->has) {
			ijw_buf_addf(out, "<text x=\"%d\" y=\"%zu\">none</text>\n", LABEL_W,
			             y + 14);
			continue;
		}
		ijw_buf_addf(
		        out, "<rect class=\"%s\" x=\"%d\" y=\"%zu\" width=\"%lld\" height=\"%d\"/>",
		        stacked ? "report-early" : "report-bar", LABEL_W, y + 2, wa, BAR_H - 4);
		if (stacked)
			ijw_buf_addf(out,
			             "<rect class=\"report-planned\" x=\"%lld\" y=\"%zu\" "
			             "width=\"%lld\" "
			             "height=\"%d\"/>",
			             LABEL_W + wa, y + 2, wb, BAR_H - 4);
		if (stacked)
			ijw_buf_addf(
			        out,
			        "<text x=\"%lld\" y=\"%zu\">%lld early, %lld as planned</text>\n",
			        LABEL_W + wa + wb + 4, y + 14, b->a, b->b);
		else
			ijw_buf_addf(out, "<text x=\"%lld\" y=\"%zu\">%lld%s</text>\n",
			             LABEL_W + wa + 4, y + 14, b->a, unit);
	}
	ijw_buf_addstr(out, "</svg>\n");
}

static void
html_charts(const gw_report *r, struct ijw_buf *out, size_t p)
{
	struct bar *bars = calloc(r->nrows ? r->nrows : 1, sizeof *bars);

	if (!bars)
		return;
	for (size_t i = 0; i < r->nrows; i++)
		snprintf(bars[i].label, sizeof bars[i].label, "%s %s", r->rows[i].aanbieder,
		         r->rows[i].product);
	ijw_buf_addstr(out, "<div class=\"report-charts\">\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fig_set *f = &r->rows[i].p[p];

		bars[i].a = f->v[F_CLIENTS];
		bars[i].b = 0;
		bars[i].sup = f->sup[F_CLIENTS];
		bars[i].has = true;
	}
	svg_chart(r, out, "Clients in care", bars, r->nrows, false, "");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fig_set *f = &r->rows[i].p[p];

		bars[i].a = f->v[F_WAIT_MED];
		bars[i].sup = f->sup[F_WAIT_MED];
		bars[i].has = f->has[F_WAIT_MED];
	}
	svg_chart(r, out, "Waiting days, assignment to start (median)", bars, r->nrows, false,
	          " d");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fig_set *f = &r->rows[i].p[p];

		bars[i].a = f->v[F_EARLY];
		bars[i].b = f->v[F_PLANNED];
		bars[i].sup = f->sup[F_EARLY] || f->sup[F_PLANNED];
		bars[i].has = f->v[F_EARLY] + f->v[F_PLANNED] > 0;
	}
	svg_chart(r, out, "Drop-out: ended early and as planned", bars, r->nrows, true, "");
	ijw_buf_addstr(out, "</div>\n");
	free(bars);
}

static void
html_cells(const gw_report *r, struct ijw_buf *out, const long long *v, const bool *has,
           const bool *sup)
{
	char t[32];
	double d;

	for (int i = 0; i < NFIG; i++) {
		ijw_buf_addstr(out, "<td>");
		ijw_buf_add_xml(out, fig_text(r, (enum fig)i, v[i], has[i], sup[i], t, sizeof t));
		ijw_buf_addstr(out, "</td>");
	}
	ijw_buf_addstr(out, "<td>");
	if (rate(v, sup, &d))
		ijw_buf_addf(out, "%.1f%%", d * 100);
	else if (sup[F_EARLY] || sup[F_PLANNED])
		ijw_buf_add_xml(out, marker(r, t, sizeof t));
	ijw_buf_addstr(out, "</td></tr>\n");
}

static void
html_table(const gw_report *r, struct ijw_buf *out, size_t p)
{
	const struct total *tot = &r->totals[p * r->ntotals];

	ijw_buf_addstr(out, "<table class=\"report-table\"><thead><tr><th>Provider</th>"
	                    "<th>Product</th><th>Profile</th><th>Intensity</th>");
	for (int i = 0; i < NFIG; i++) {
		ijw_buf_addstr(out, "<th>");
		ijw_buf_add_xml(out, figs[i].label);
		ijw_buf_addstr(out, "</th>");
	}
	ijw_buf_addstr(out, "<th>Drop-out rate</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct row *w = &r->rows[i];

		ijw_buf_addf(
		        out,
		        "<tr><td class=\"report-text\">%s</td><td class=\"report-text\">%s</td>"
		        "<td>",
		        w->aanbieder, w->product);
		if (w->profile)
			ijw_buf_addf(out, "%u", w->profile);
		ijw_buf_addstr(out, "</td><td class=\"report-text\">");
		ijw_buf_add_xml(out, intensity_name(r, w));
		ijw_buf_addstr(out, "</td>");
		html_cells(r, out, w->p[p].v, w->p[p].has, w->p[p].sup);
	}
	for (size_t i = 0; i < r->ntotals; i++) {
		ijw_buf_addf(out,
		             "<tr class=\"report-total\"><td class=\"report-text\">%s</td>"
		             "<td class=\"report-text\" colspan=\"3\">total</td>",
		             *tot[i].aanbieder ? tot[i].aanbieder : "all providers");
		html_cells(r, out, tot[i].v, tot[i].has, tot[i].sup);
	}
	ijw_buf_addstr(out, "</tbody></table>\n");
}

void
gw_report_html(const gw_report *r, bool fragment, struct ijw_buf *out)
{
	char f[IJW_DATE_SIZE], t[IJW_DATE_SIZE], m[16];

	ijw_date_format(r->o.from, f);
	ijw_date_format(r->o.to, t);
	marker(r, m, sizeof m);
	if (!fragment)
		ijw_buf_addstr(out,
		               "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		               "<title>Monitoring report</title></head><body>\n");
	ijw_buf_addstr(out, "<section class=\"report-section\">\n");
	ijw_buf_addstr(out, html_style);
	ijw_buf_addf(out, "<h2>Monitoring report %s to %s</h2>\n<p class=\"report-meta\">", f, t);
	if (r->products) {
		ijw_buf_add_xml(out, ijw_products_region(r->products));
		ijw_buf_addstr(out, ": rows per provider and the region's combination of support "
		                    "profile and intensity (Acuut left out); ");
	} else {
		ijw_buf_addstr(out, "Rows per provider and national product code; ");
	}
	ijw_buf_addf(out, "%s.</p>\n",
	             r->o.monthly ? "a table per calendar month" : "the period as a whole");
	ijw_buf_addstr(out, "<p class=\"report-legend\"><strong>");
	ijw_buf_add_xml(out, m);
	ijw_buf_addf(out,
	             "</strong>: suppressed, a count below %u, a figure of a row with fewer than "
	             "%u clients, or a cell suppressed so that a total does not give another "
	             "away. Grey bars in the charts are suppressed. An empty cell has no value "
	             "(no one to take a median over).</p>\n",
	             r->o.threshold, r->o.threshold);
	for (size_t p = 0; p < r->nperiods; p++) {
		ijw_buf_addf(out, "<h3>%s</h3>\n", r->periods[p].name);
		if (!r->nrows) {
			ijw_buf_addstr(out, "<p>The ledger has nothing in this period.</p>\n");
			continue;
		}
		html_charts(r, out, p);
		html_table(r, out, p);
	}
	ijw_buf_addstr(out, "</section>\n");
	if (!fragment)
		ijw_buf_addstr(out, "</body></html>\n");
}
