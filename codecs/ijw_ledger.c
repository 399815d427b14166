/*
 * ijw_ledger.c: the cross-message rules, and what each message writes into
 * the ledger.
 *
 * The ledger's keys are fields joined by SEP (a control character that XML
 * text cannot hold, so no value can forge a key), beginning with a letter
 * that says what the key is:
 *
 *   A g nr ...        an assignment, nummer nr of municipality g, and what hangs
 *                     on it, kept together so that one message's work on one
 *                     assignment touches few pages of the store:
 *     ... T                              its current version
 *     ... V version                      every version, numbered from 1
 *     ... G a                            sums of provider a's prestaties on it
 *     ... B a cat code begin end         the debit prestatie standing for a period
 *     ... S a client begin cat code      a start
 *     ... P a client begin reden eind cat code   a stop
 *   C g a client nr   the assignments of a client at provider a
 *   R a ref           a request (JW315 product, JW317) by its ReferentieAanbieder:
 *                     municipality, client, type, state, answer and the request's
 *                     Dagtekening (for the lead time to its assignment)
 *   Q g a client ref  the requests of a client
 *   D a declnr        a declaration (and whether a JW325 answered it)
 *   I a g ident       a declaration by its BerichtIdentificatie
 *   L g a             the last DeclaratiePeriode declared
 *   N a refnr         a prestatie
 *   Y a year [profile]            the year's declared amounts, for ceilings
 *   H sender type ident           a heen message; W msg: the retour answering it
 *
 * Values are fields joined by SEP too. Dates are written as YYYY-MM-DD, ""
 * for an open end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ijw_ledger.h"
#include "ijw_rules.h"

#define SEP "\x1f"
#define SEPC '\x1f'
#define MAXF 20
#define KEY_MAX 256

/* ---- reading the document ---- */

static const char *
txt(const void *n, const char *path, char *buf, size_t size)
{
	const void *e = ijw_node_at(n, path);

	buf[0] = '\0';
	if (e)
		ijw_node_text(e, buf, size);
	return buf;
}

static const struct ijw_record *
parent_of(const ijw_doc *doc, const struct ijw_record *r)
{
	return r->parent >= 0 ? ijw_doc_record(doc, (size_t)r->parent) : NULL;
}

/* The BSN of the record's client: its own, or an enclosing record's. */
static const char *
bsn_of(const ijw_doc *doc, const struct ijw_record *r)
{
	for (; r; r = parent_of(doc, r))
		if (r->bsn[0])
			return r->bsn;
	return "";
}

/* ---- values ---- */

/* A number the ledger wrote; 0 for "". */
static long long
num(const char *s)
{
	return strtoll(s, NULL, 10);
}

struct val {
	char *f[MAXF];
	size_t n;
	struct ijw_buf b;
};

static void
val_split(struct val *v)
{
	char *p = v->b.data;

	v->n = 0;
	if (!p)
		return;
	while (v->n < MAXF) {
		char *s = strchr(p, SEPC);

		v->f[v->n++] = p;
		if (!s)
			break;
		*s = '\0';
		p = s + 1;
	}
	for (size_t i = v->n; i < MAXF; i++)
		v->f[i] = "";
}

struct ctx {
	const struct ijw_ledger *l;
	const ijw_doc *doc;
	const struct ijw_ledger_opts *o;
	enum ijw_type type;
	struct ijw_route route;
	const char *g, *a; /* the municipality and the provider */
	ijw_day dag;       /* the Dagtekening */
	ijw_findings *f, *advised;
	int64_t msg;
	ijw_rc rc;
};

static bool
failed(struct ctx *c, int r)
{
	if (r < 0 && !c->rc)
		c->rc = IJW_EIO;
	return r < 0;
}

/* The key of fields joined by SEP; false (and an error) when it is too long. */
static bool
key(struct ctx *c, char *out, const char *first, ...)
{
	va_list ap;
	size_t n = 0;
	const char *s = first;

	va_start(ap, first);
	for (bool sep = false; s; s = va_arg(ap, const char *), sep = true) {
		size_t len = strlen(s);

		if (n + len + 2 > KEY_MAX) {
			va_end(ap);
			if (!c->rc)
				c->rc = IJW_EINVAL;
			return false;
		}
		if (sep)
			out[n++] = SEPC;
		memcpy(out + n, s, len);
		n += len;
	}
	va_end(ap);
	out[n] = '\0';
	return true;
}

/* Reads key into v: 1 found, 0 not, -1 failed (recorded in c). */
static int
get(struct ctx *c, const char *k, struct val *v)
{
	int r;

	ijw_buf_reset(&v->b);
	r = c->l->ops->get(c->l->h, k, &v->b);
	if (failed(c, r))
		return -1;
	if (r == 1 && !v->b.data && ijw_buf_addstr(&v->b, "")) {
		c->rc = IJW_ENOMEM;
		return -1;
	}
	if (r == 1)
		val_split(v);
	return r;
}

static void
val_init(struct val *v)
{
	ijw_buf_init(&v->b, 1u << 16);
	v->n = 0;
}

static void
put(struct ctx *c, const char *k, const char *first, ...)
{
	struct ijw_buf b;
	va_list ap;

	if (c->rc)
		return;
	ijw_buf_init(&b, 1u << 16);
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		if ((s != first && ijw_buf_addstr(&b, SEP)) || ijw_buf_addstr(&b, s)) {
			c->rc = IJW_ENOMEM;
			break;
		}
	va_end(ap);
	if (!c->rc && !b.data && ijw_buf_addstr(&b, ""))
		c->rc = IJW_ENOMEM;
	if (!c->rc)
		failed(c, c->l->ops->put(c->l->h, k, b.data, c->msg));
	ijw_buf_free(&b);
}

static void
del(struct ctx *c, const char *k)
{
	if (!c->rc)
		failed(c, c->l->ops->del(c->l->h, k));
}

static bool
client_of(struct ctx *c, const char *bsn, char out[IJW_CLIENT_SIZE])
{
	out[0] = '\0';
	if (!*bsn)
		return false;
	return !failed(c, c->l->ops->client(c->l->h, bsn, out));
}

/* Adds a finding of rule code at node. */
static void finding(struct ctx *c, const void *node, const char *code, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
finding(struct ctx *c, const void *node, const char *code, const char *fmt, ...)
{
	const struct ijw_rule *rule = ijw_rule_by_code(code);
	char text[512];
	va_list ap;
	ijw_rc rc;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	rc = ijw_findings_add_node(c->f, node, code, rule ? rule->retourcode : "0001", "%s", text);
	if (rc && !c->rc)
		c->rc = rc;
}

static bool agreed(struct ctx *c, const char *comment);
static bool approved(struct ctx *c, struct val *n);
static long long approved_debits(struct ctx *c, const char *nr);
static const struct ijw_combination *combination_of(struct ctx *c, const char *cat,
                                                    const char *code);

/*
 * Whether two products are one combination of the region's table, written
 * in either vocabulary: a municipality and a provider that read different
 * codes name the same product differently.
 */
static bool
one_combination(struct ctx *c, const char *cat1, const char *code1, const char *cat2,
                const char *code2)
{
	const struct ijw_combination *k = combination_of(c, cat1, code1);

	return k && k == combination_of(c, cat2, code2);
}

/* ---- assignments ---- */

enum {
	A_AANBIEDER,
	A_CLIENT,
	A_CAT,
	A_CODE,
	A_INGANG,
	A_EIND,
	A_VOLUME,
	A_EENHEID,
	A_FREQ,
	A_BUDGET,
	A_REDEN,
	A_REF,
	A_VERSION,
	A_AKKOORD,
	A_DATUM
};

/* The fields of a request (R). */
enum { R_GEMEENTE, R_CLIENT, R_TYPE, R_STATE, R_ANTWOORD, R_DATUM };

struct assignment {
	bool found;
	char aanbieder[9], client[IJW_CLIENT_SIZE], cat[3], code[6], eenheid[3], freq[2], reden[3],
	        ref[37];
	ijw_day ingang, eind;
	long long volume, budget; /* -1 when absent */
	int version;
	bool akkoord;
};

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static int
assignment_get(struct ctx *c, const char *nr, struct assignment *as)
{
	char k[KEY_MAX];
	struct val v;
	int r;

	memset(as, 0, sizeof *as);
	if (!key(c, k, "A", c->g, nr, "T", NULL))
		return -1;
	val_init(&v);
	if ((r = get(c, k, &v)) == 1) {
		as->found = true;
		copy(as->aanbieder, sizeof as->aanbieder, v.f[A_AANBIEDER]);
		copy(as->client, sizeof as->client, v.f[A_CLIENT]);
		copy(as->cat, sizeof as->cat, v.f[A_CAT]);
		copy(as->code, sizeof as->code, v.f[A_CODE]);
		as->ingang = ijw_date_or(v.f[A_INGANG], 0);
		as->eind = ijw_date_or(v.f[A_EIND], IJW_DAY_MAX);
		as->volume = *v.f[A_VOLUME] ? num(v.f[A_VOLUME]) : -1;
		copy(as->eenheid, sizeof as->eenheid, v.f[A_EENHEID]);
		copy(as->freq, sizeof as->freq, v.f[A_FREQ]);
		as->budget = *v.f[A_BUDGET] ? num(v.f[A_BUDGET]) : -1;
		copy(as->reden, sizeof as->reden, v.f[A_REDEN]);
		copy(as->ref, sizeof as->ref, v.f[A_REF]);
		as->version = (int)strtol(v.f[A_VERSION], NULL, 10);
		as->akkoord = v.f[A_AKKOORD][0] == '1';
	}
	ijw_buf_free(&v.b);
	return r;
}

/* Whether the assignment is of this provider and client, and not removed. */
static bool
assignment_ours(struct ctx *c, const struct assignment *as, const char *client)
{
	return as->found && strcmp(as->aanbieder, c->a) == 0 && strcmp(as->client, client) == 0;
}

static bool
removed(const struct assignment *as)
{
	return strcmp(as->reden, "13") == 0;
}

/* Actual (TR349): not removed or void, and not ended before day. */
static bool
actual(const struct assignment *as, ijw_day day)
{
	return !removed(as) && strcmp(as->reden, "01") != 0 && as->eind >= day;
}

/* ---- scanning ---- */

struct collect {
	char (*keys)[KEY_MAX];
	char (*vals)[KEY_MAX];
	size_t n, cap;
	bool oom;
};

static int
collect_each(void *ctx, const char *k, const char *v)
{
	struct collect *cl = ctx;

	if (cl->n == cl->cap) {
		size_t cap = cl->cap ? cl->cap * 2 : 8;
		void *nk = realloc(cl->keys, cap * sizeof *cl->keys);

		if (nk)
			cl->keys = nk;
		void *nv = nk ? realloc(cl->vals, cap * sizeof *cl->vals) : NULL;

		if (!nk || !nv) {
			cl->oom = true;
			return 1;
		}
		cl->vals = nv;
		cl->cap = cap;
	}
	copy(cl->keys[cl->n], KEY_MAX, k);
	copy(cl->vals[cl->n], KEY_MAX, v);
	cl->n++;
	return 0;
}

/* Every key below prefix (prefix SEP ...) with its value. */
static int
scan(struct ctx *c, const char *prefix, struct collect *cl)
{
	char p[KEY_MAX + 1];

	memset(cl, 0, sizeof *cl);
	snprintf(p, sizeof p, "%s" SEP, prefix);
	if (failed(c, c->l->ops->scan(c->l->h, p, collect_each, cl)))
		return -1;
	if (cl->oom) {
		c->rc = IJW_ENOMEM;
		return -1;
	}
	return 0;
}

static void
collect_free(struct collect *cl)
{
	free(cl->keys);
	free(cl->vals);
}

/* The n-th field (from 0) of key k, into out. */
static void
field(const char *k, size_t n, char *out, size_t size)
{
	const char *s = k;

	for (size_t i = 0; i < n && s; i++)
		if ((s = strchr(s, SEPC)))
			s++;
	if (!s) {
		out[0] = '\0';
		return;
	}
	size_t len = strcspn(s, SEP);

	snprintf(out, size, "%.*s", (int)len, s);
}

/* ---- JW301 ---- */

static void
check_toewijzing(struct ctx *c, const struct ijw_record *r)
{
	const void *n = r->node;
	char client[IJW_CLIENT_SIZE], ref[40], reden[3], k[KEY_MAX];
	struct assignment as;

	if (!client_of(c, bsn_of(c->doc, r), client) ||
	    assignment_get(c, r->toewijzingnummer, &as) < 0)
		return;
	if (as.found && (strcmp(as.aanbieder, c->a) != 0 || strcmp(as.client, client) != 0 ||
	                 strcmp(as.cat, r->categorie) != 0 || strcmp(as.code, r->productcode) != 0))
		finding(c, ijw_node_at(n, "ToewijzingNummer"), "TR332",
		        "ToewijzingNummer %s of municipality %s is already an assignment %s; a "
		        "number is unique per municipality: a change keeps provider, client and "
		        "product",
		        r->toewijzingnummer, c->g,
		        strcmp(as.aanbieder, c->a)  ? "to another provider"
		        : strcmp(as.client, client) ? "of another client"
		                                    : "of another product");
	txt(n, "ReferentieAanbieder", ref, sizeof ref);
	if (*ref) {
		struct val v;

		val_init(&v);
		if (key(c, k, "R", c->a, ref, NULL) && get(c, k, &v) == 0)
			finding(c, ijw_node_at(n, "ReferentieAanbieder"), "TR379",
			        "ReferentieAanbieder %s is not that of a request (JW315 or JW317) "
			        "of "
			        "provider %s; leave it empty unless the assignment honours one",
			        ref, c->a);
		else if (v.n && (strcmp(v.f[0], c->g) != 0 || strcmp(v.f[1], client) != 0))
			finding(c, ijw_node_at(n, "ReferentieAanbieder"), "TR379",
			        "ReferentieAanbieder %s is a request of provider %s for another %s",
			        ref, c->a, strcmp(v.f[0], c->g) ? "municipality" : "client");
		ijw_buf_free(&v.b);
	}
	txt(n, "RedenWijziging", reden, sizeof reden);
	if (strcmp(reden, "13") == 0 && as.found && !removed(&as)) {
		long long n_approved = approved_debits(c, r->toewijzingnummer);

		if (n_approved > 0)
			finding(c, ijw_node_at(n, "RedenWijziging"), "TR385",
			        "assignment %s has %lld approved prestaties that are not credited: "
			        "it cannot be removed (RedenWijziging 13); credit them first",
			        r->toewijzingnummer, n_approved);
	}
}

static void
apply_toewijzing(struct ctx *c, const struct ijw_record *r)
{
	const void *n = r->node;
	char client[IJW_CLIENT_SIZE], k[KEY_MAX], ver[16], ref[40], reden[3], vol[16], eenheid[3],
	        freq[2], budget[16], datum[IJW_DATE_SIZE], comment[300];
	struct assignment as;

	if (!client_of(c, bsn_of(c->doc, r), client) ||
	    assignment_get(c, r->toewijzingnummer, &as) < 0)
		return;
	txt(n, "ReferentieAanbieder", ref, sizeof ref);
	txt(n, "RedenWijziging", reden, sizeof reden);
	txt(n, "Omvang/Volume", vol, sizeof vol);
	txt(n, "Omvang/Eenheid", eenheid, sizeof eenheid);
	txt(n, "Omvang/Frequentie", freq, sizeof freq);
	txt(n, "Budget", budget, sizeof budget);
	txt(n, "Toewijzingsdatum", datum, sizeof datum);
	txt(n, "Commentaar", comment, sizeof comment);
	snprintf(ver, sizeof ver, "%d", as.version + 1);
	const char *akkoord = agreed(c, comment) ? "1" : "0";

	if (!key(c, k, "A", c->g, r->toewijzingnummer, "T", NULL))
		return;
	put(c, k, c->a, client, r->categorie, r->productcode, r->begindatum, r->einddatum, vol,
	    eenheid, freq, budget, reden, ref, ver, akkoord, datum, NULL);
	if (key(c, k, "A", c->g, r->toewijzingnummer, "V", ver, NULL))
		put(c, k, c->a, client, r->categorie, r->productcode, r->begindatum, r->einddatum,
		    vol, eenheid, freq, budget, reden, ref, ver, akkoord, datum, NULL);
	if (key(c, k, "C", c->g, c->a, client, r->toewijzingnummer, NULL))
		put(c, k, "", NULL);
	if (*ref) {
		struct val v;

		val_init(&v);
		/* the request is honoured: no longer open */
		if (key(c, k, "R", c->a, ref, NULL) && get(c, k, &v) == 1)
			put(c, k, v.f[R_GEMEENTE], v.f[R_CLIENT], v.f[R_TYPE], "h", v.f[R_ANTWOORD],
			    v.f[R_DATUM], NULL);
		ijw_buf_free(&v.b);
	}
}

/* ---- JW305 and JW307 ---- */

/* TR019: the start or stop refers to a live assignment of this client. */
static bool
check_assigned(struct ctx *c, const struct ijw_record *r, const char *client)
{
	struct assignment as;

	if (assignment_get(c, r->toewijzingnummer, &as) < 0)
		return false;
	if (assignment_ours(c, &as, client) && !removed(&as))
		return true;
	finding(c, ijw_node_at(r->node, "ToewijzingNummer"), "TR019",
	        "ToewijzingNummer %s is %s of municipality %s to provider %s for this client",
	        r->toewijzingnummer,
	        as.found && removed(&as) ? "a removed assignment, not a live one"
	                                 : "not an assignment",
	        c->g, c->a);
	return false;
}

/*
 * A start or stop: its client, its StatusAanlevering (and the element) and
 * TR019; false when the client cannot be keyed.
 */
static bool
delivery_of(struct ctx *c, const struct ijw_record *r, char client[IJW_CLIENT_SIZE], char status[2],
            const void **st)
{
	if (!client_of(c, bsn_of(c->doc, r), client))
		return false;
	check_assigned(c, r, client);
	*st = ijw_node_at(r->node, "StatusAanlevering");
	txt(r->node, "StatusAanlevering", status, 2);
	return true;
}

/* The stops (not deleted) of a delivery that began on begin. */
static int
stops_of(struct ctx *c, const char *client, const char *nr, const char *begin, struct collect *cl)
{
	char k[KEY_MAX];

	memset(cl, 0, sizeof *cl);
	if (!key(c, k, "A", c->g, nr, "P", c->a, client, begin, NULL))
		return -1;
	return scan(c, k, cl);
}

static void
check_start(struct ctx *c, const struct ijw_record *r)
{
	char client[IJW_CLIENT_SIZE], status[2], k[KEY_MAX];
	const void *st;
	struct val v;
	struct collect starts, stops;
	int found;

	if (!delivery_of(c, r, client, status, &st))
		return;
	if (!key(c, k, "A", c->g, r->toewijzingnummer, "S", c->a, client, r->begindatum,
	         r->categorie, r->productcode, NULL))
		return;
	val_init(&v);
	found = get(c, k, &v);
	ijw_buf_free(&v.b);
	if (found < 0)
		return;
	if (strcmp(status, "3") == 0) {
		if (!found) {
			finding(c, st, "TR063",
			        "there is no start of assignment %s from %s for this client to "
			        "delete: "
			        "StatusAanlevering 3 needs an earlier start with the same "
			        "ToewijzingNummer, Product and Begindatum",
			        r->toewijzingnummer, r->begindatum);
			return;
		}
		if (stops_of(c, client, r->toewijzingnummer, r->begindatum, &stops) == 0) {
			if (stops.n)
				finding(c, st, "TR071",
				        "the start of assignment %s from %s has a stop already: it "
				        "cannot be deleted; delete the stop first",
				        r->toewijzingnummer, r->begindatum);
			collect_free(&stops);
		}
		return;
	}
	if (found)
		finding(c, st, "TR074",
		        "a start of assignment %s from %s with this product was sent before; "
		        "StatusAanlevering 1 is for a first delivery",
		        r->toewijzingnummer, r->begindatum);
	if (!key(c, k, "A", c->g, r->toewijzingnummer, "S", c->a, client, NULL) ||
	    scan(c, k, &starts))
		return;
	for (size_t i = 0; i < starts.n; i++) {
		char begin[IJW_DATE_SIZE];

		field(starts.keys[i], 6, begin, sizeof begin);
		if (stops_of(c, client, r->toewijzingnummer, begin, &stops))
			break;
		if (!stops.n)
			finding(c, st, "TR326",
			        "assignment %s has a current start (from %s) without a stop: a new "
			        "start needs a stop first",
			        r->toewijzingnummer, begin);
		collect_free(&stops);
		if (!stops.n)
			break;
	}
	collect_free(&starts);
}

/* A start or stop at key k: StatusAanlevering 3 deletes it, 1 records it with its message. */
static void
deliver(struct ctx *c, const struct ijw_record *r, const char *k)
{
	char status[2], msg[24];

	txt(r->node, "StatusAanlevering", status, sizeof status);
	snprintf(msg, sizeof msg, "%lld", (long long)c->msg);
	if (strcmp(status, "3") == 0)
		del(c, k);
	else
		put(c, k, msg, NULL);
}

static void
apply_start(struct ctx *c, const struct ijw_record *r)
{
	char client[IJW_CLIENT_SIZE], k[KEY_MAX];

	if (client_of(c, bsn_of(c->doc, r), client) &&
	    key(c, k, "A", c->g, r->toewijzingnummer, "S", c->a, client, r->begindatum,
	        r->categorie, r->productcode, NULL))
		deliver(c, r, k);
}

static bool
stop_key(struct ctx *c, const struct ijw_record *r, const char *client, char *k)
{
	char reden[3];

	txt(r->node, "RedenBeeindiging", reden, sizeof reden);
	return key(c, k, "A", c->g, r->toewijzingnummer, "P", c->a, client, r->begindatum, reden,
	           r->einddatum, r->categorie, r->productcode, NULL);
}

static void
check_stop(struct ctx *c, const struct ijw_record *r)
{
	char client[IJW_CLIENT_SIZE], status[2], reden[3], k[KEY_MAX];
	const void *st;
	struct val v;
	struct collect stops;
	int found;

	if (!delivery_of(c, r, client, status, &st))
		return;
	txt(r->node, "RedenBeeindiging", reden, sizeof reden);
	if (!stop_key(c, r, client, k))
		return;
	val_init(&v);
	found = get(c, k, &v);
	if (found < 0)
		goto done;
	if (strcmp(status, "3") == 0) {
		if (!found)
			finding(c, st, "TR063",
			        "there is no stop of assignment %s with this Begindatum, "
			        "RedenBeeindiging and Einddatum to delete",
			        r->toewijzingnummer);
		goto done;
	}
	if (found)
		finding(c, st, "TR074",
		        "this stop of assignment %s was sent before; StatusAanlevering 1 is for a "
		        "first delivery",
		        r->toewijzingnummer);
	if (key(c, k, "A", c->g, r->toewijzingnummer, "S", c->a, client, r->begindatum,
	        r->categorie, r->productcode, NULL) &&
	    get(c, k, &v) == 0)
		finding(c, ijw_node_at(r->node, "Begindatum"), "TR382",
		        "no start of assignment %s with this product from %s was sent: a stop "
		        "repeats the ToewijzingNummer, Product and Begindatum of its start",
		        r->toewijzingnummer, r->begindatum);
	if (stops_of(c, client, r->toewijzingnummer, r->begindatum, &stops))
		goto done;
	long long latest = -1;
	char latest_eind[IJW_DATE_SIZE] = "";

	for (size_t i = 0; i < stops.n; i++) {
		char sreden[3], seind[IJW_DATE_SIZE];

		field(stops.keys[i], 7, sreden, sizeof sreden);
		field(stops.keys[i], 8, seind, sizeof seind);
		if (strcmp(sreden, "20") == 0 && strcmp(reden, "20") == 0)
			finding(c, ijw_node_at(r->node, "RedenBeeindiging"), "TR413",
			        "the delivery of assignment %s from %s was stopped temporarily "
			        "(RedenBeeindiging 20) already: the next stop is a final one",
			        r->toewijzingnummer, r->begindatum);
		if (strcmp(sreden, "20") != 0)
			finding(c, st, "TR415",
			        "the delivery of assignment %s from %s has a final stop already "
			        "(RedenBeeindiging %s, %s): delete it (StatusAanlevering 3) to "
			        "correct it",
			        r->toewijzingnummer, r->begindatum, sreden, seind);
		if (num(stops.vals[i]) > latest) {
			latest = num(stops.vals[i]);
			copy(latest_eind, sizeof latest_eind, seind);
		}
	}
	if (latest >= 0 && ijw_date_or(r->einddatum, 0) < ijw_date_or(latest_eind, 0))
		finding(c, ijw_node_at(r->node, "Einddatum"), "TR414",
		        "Einddatum %s is before %s, the Einddatum of the current stop of this "
		        "delivery",
		        r->einddatum, latest_eind);
	collect_free(&stops);
done:
	ijw_buf_free(&v.b);
}

static void
apply_stop(struct ctx *c, const struct ijw_record *r)
{
	char client[IJW_CLIENT_SIZE], k[KEY_MAX];

	if (client_of(c, bsn_of(c->doc, r), client) && stop_key(c, r, client, k))
		deliver(c, r, k);
}

/* ---- requests: JW315, JW317, JW319 ---- */

/* TR347 and TR374 for a request with reference ref at node. */
static void
check_request(struct ctx *c, const void *node, const char *client, const char *ref)
{
	char k[KEY_MAX];
	struct val v;
	struct collect qs;

	val_init(&v);
	if (key(c, k, "R", c->a, ref, NULL) && get(c, k, &v) == 1)
		finding(c, ijw_node_at(node, "ReferentieAanbieder"), "TR347",
		        "ReferentieAanbieder %s was used before by provider %s: it is unique per "
		        "provider",
		        ref, c->a);
	if (key(c, k, "Q", c->g, c->a, client, NULL) && scan(c, k, &qs) == 0) {
		for (size_t i = 0; i < qs.n; i++) {
			char other[40], rk[KEY_MAX];

			field(qs.keys[i], 4, other, sizeof other);
			if (!key(c, rk, "R", c->a, other, NULL) || get(c, rk, &v) != 1)
				continue;
			if (strcmp(v.f[R_STATE], "o") == 0) {
				finding(c, node, "TR374",
				        "request %s of provider %s for this client is still open: "
				        "a new request waits for its answer (a JW319 that refuses "
				        "it, or a JW301 that honours it)",
				        other, c->a);
				break;
			}
		}
		collect_free(&qs);
	}
	ijw_buf_free(&v.b);
}

static void
apply_request(struct ctx *c, const char *client, const char *ref, const char *type)
{
	char k[KEY_MAX];
	struct val v;

	val_init(&v);
	if (key(c, k, "R", c->a, ref, NULL) && get(c, k, &v) == 0) {
		put(c, k, c->g, client, type, "o", "", ijw_doc_header(c->doc)->dagtekening, NULL);
		if (key(c, k, "Q", c->g, c->a, client, ref, NULL))
			put(c, k, "", NULL);
	}
	ijw_buf_free(&v.b);
}

/* TR304: the client has an assignment from this municipality to this provider. */
static void
check_client_known(struct ctx *c, const struct ijw_record *r, const char *client)
{
	char k[KEY_MAX];
	struct collect cl;

	if (!key(c, k, "C", c->g, c->a, client, NULL) || scan(c, k, &cl))
		return;
	if (!cl.n)
		finding(c, ijw_node_at(r->node, "Bsn"), "TR304",
		        "this client has no assignment from municipality %s to provider %s", c->g,
		        c->a);
	collect_free(&cl);
}

struct span {
	char cat[3], code[6];
	ijw_day begin, end;
	const void *node;
};

/* A product for comparing periods (TR361): its combination where the table has one. */
static void
span_product(struct ctx *c, struct span *sp, const char *cat, const char *code)
{
	const struct ijw_combination *k = combination_of(c, cat, code);

	copy(sp->cat, sizeof sp->cat, k ? "" : cat);
	copy(sp->code, sizeof sp->code, k ? k->id : code);
}

static int
span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *b = y;
	int d = strcmp(a->cat, b->cat);

	if (!d)
		d = strcmp(a->code, b->code);
	if (!d)
		d = a->begin < b->begin ? -1 : a->begin > b->begin;
	return d;
}

static void
check_verzoek(struct ctx *c, const struct ijw_record *vz)
{
	size_t n = ijw_doc_nrecords(c->doc), nspans = 0;
	char client[IJW_CLIENT_SIZE], ref[40], k[KEY_MAX];
	struct span *spans = calloc(n ? n : 1, sizeof *spans);
	struct collect cl;

	if (!spans) {
		c->rc = IJW_ENOMEM;
		return;
	}
	if (!client_of(c, bsn_of(c->doc, vz), client))
		goto done;
	txt(vz->node, "ReferentieAanbieder", ref, sizeof ref);
	check_request(c, vz->node, client, ref);
	for (size_t i = 0; i < n && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);
		bool wijzig = strcmp(r->level, "TeWijzigenProduct") == 0;
		struct assignment as;
		struct span *sp = &spans[nspans];

		if (strcmp(r->level, "NieuwProduct") == 0) {
			char g[IJW_DATE_SIZE], e[IJW_DATE_SIZE];

			char pc[3], pk[6];

			span_product(c, sp, txt(r->node, "Product/Categorie", pc, sizeof pc),
			             txt(r->node, "Product/Code", pk, sizeof pk));
			sp->begin =
			        ijw_date_or(txt(r->node, "GewensteIngangsdatum", g, sizeof g), 0);
			sp->end = ijw_date_or(txt(r->node, "Einddatum", e, sizeof e), IJW_DAY_MAX);
			sp->node = r->node;
			nspans += sp->cat[0] || sp->code[0];
			continue;
		}
		if (!wijzig && strcmp(r->level, "OngewijzigdProduct") != 0)
			continue;
		if (assignment_get(c, r->toewijzingnummer, &as) < 0)
			break;
		if (!assignment_ours(c, &as, client) || !actual(&as, c->dag)) {
			finding(c, ijw_node_at(r->node, "ToewijzingNummer"),
			        wijzig ? "TR351" : "TR350",
			        "ToewijzingNummer %s is not an actual assignment of this client "
			        "from "
			        "municipality %s to provider %s",
			        r->toewijzingnummer, c->g, c->a);
			continue;
		}
		span_product(c, sp, as.cat, as.code);
		sp->begin = as.ingang;
		sp->end = as.eind;
		sp->node = r->node;
		if (wijzig) {
			char g[IJW_DATE_SIZE], e[IJW_DATE_SIZE], vol[16], freq[2], budget[16];
			ijw_day gewenst =
			        ijw_date_or(txt(r->node, "GewensteIngangsdatum", g, sizeof g), 0);
			bool has_omvang = ijw_node_at(r->node, "Omvang") != NULL;

			sp->begin = gewenst;
			sp->end = ijw_date_or(txt(r->node, "Einddatum", e, sizeof e), IJW_DAY_MAX);
			if (gewenst <= c->dag && gewenst != as.ingang)
				finding(c, ijw_node_at(r->node, "GewensteIngangsdatum"), "TR357",
				        "GewensteIngangsdatum %s is not after the Dagtekening, so "
				        "it is "
				        "the Ingangsdatum of assignment %s",
				        g, r->toewijzingnummer);
			txt(r->node, "Budget", budget, sizeof budget);
			txt(r->node, "Omvang/Volume", vol, sizeof vol);
			txt(r->node, "Omvang/Frequentie", freq, sizeof freq);
			if (gewenst != as.ingang &&
			    ((*budget && num(budget) != as.budget) ||
			     (*vol && strcmp(freq, "6") == 0 && num(vol) != as.volume)))
				finding(c, ijw_node_at(r->node, "GewensteIngangsdatum"), "TR373",
				        "a change of the %s of assignment %s is for its whole "
				        "period: "
				        "GewensteIngangsdatum is its Ingangsdatum",
				        *budget ? "Budget" : "total Omvang", r->toewijzingnummer);
			bool late =
			        as.eind == IJW_DAY_MAX || as.eind > ijw_date_from_ymd(2020, 12, 31);

			if (as.code[0] && !has_omvang)
				finding(c, r->node, "TR411",
				        "assignment %s has a product code: the change gives its "
				        "Omvang",
				        r->toewijzingnummer);
			else if (!as.code[0] && as.cat[0] && late && has_omvang)
				finding(c, ijw_node_at(r->node, "Omvang"), "TR412",
				        "assignment %s has a category without a product code: the "
				        "change "
				        "gives no Omvang",
				        r->toewijzingnummer);
			else if (!as.cat[0] && late && has_omvang)
				finding(c, ijw_node_at(r->node, "Omvang"), "TR375",
				        "assignment %s has no product: the change gives no Omvang",
				        r->toewijzingnummer);
		}
		nspans++;
	}
	if (c->rc)
		goto done;
	/* TR361: a product more than once only for periods that do not overlap */
	qsort(spans, nspans, sizeof *spans, span_cmp);
	for (size_t i = 1; i < nspans; i++) {
		const struct span *p = &spans[i - 1], *q = &spans[i];

		if (strcmp(p->cat, q->cat) == 0 && strcmp(p->code, q->code) == 0 &&
		    q->begin <= p->end)
			finding(c, q->node, "TR361",
			        "product %s %s is asked for in periods that overlap", q->cat,
			        q->code);
	}
	/* TR349: every actual assignment of the client is in the request */
	if (!key(c, k, "C", c->g, c->a, client, NULL) || scan(c, k, &cl))
		goto done;
	for (size_t i = 0; i < cl.n && !c->rc; i++) {
		char nr[16];
		struct assignment as;
		bool listed = false;

		field(cl.keys[i], 4, nr, sizeof nr);
		if (assignment_get(c, nr, &as) < 0 || !actual(&as, c->dag))
			continue;
		for (size_t j = 0; j < n && !listed; j++) {
			const struct ijw_record *r = ijw_doc_record(c->doc, j);

			listed = (strcmp(r->level, "TeWijzigenProduct") == 0 ||
			          strcmp(r->level, "OngewijzigdProduct") == 0) &&
			         strcmp(r->toewijzingnummer, nr) == 0;
		}
		if (!listed)
			finding(c, vz->node, "TR349",
			        "actual assignment %s of this client is not in the request: list "
			        "it as "
			        "OngewijzigdProduct or TeWijzigenProduct",
			        nr);
	}
	collect_free(&cl);
done:
	free(spans);
}

static void
check_antwoord(struct ctx *c, const struct ijw_record *r)
{
	char ref[40], antwoord[2], k[KEY_MAX];
	const void *rn = ijw_node_at(r->node, "ReferentieAanbieder");
	struct val v;
	int found;

	txt(r->node, "ReferentieAanbieder", ref, sizeof ref);
	txt(r->node, "VerzoekAntwoord", antwoord, sizeof antwoord);
	val_init(&v);
	if (!key(c, k, "R", c->a, ref, NULL) || (found = get(c, k, &v)) < 0)
		goto done;
	if (!found || strcmp(v.f[R_GEMEENTE], c->g) != 0) {
		finding(c, rn, "TR355",
		        "ReferentieAanbieder %s is not that of a request of provider %s to "
		        "municipality %s",
		        ref, c->a, c->g);
		goto done;
	}
	if (strcmp(v.f[R_STATE], "h") == 0)
		finding(c, rn, "TR359",
		        "request %s was honoured by an assignment already: it gets no answer", ref);
	if (*v.f[R_ANTWOORD] && strcmp(antwoord, "2") == 0)
		finding(c, ijw_node_at(r->node, "VerzoekAntwoord"), "TR360",
		        "request %s was answered before: VerzoekAntwoord 2 (under investigation) "
		        "is only the first answer",
		        ref);
	if (*v.f[R_ANTWOORD] && strcmp(v.f[R_ANTWOORD], "2") != 0)
		finding(c, ijw_node_at(r->node, "VerzoekAntwoord"), "TR365",
		        "request %s was refused already (VerzoekAntwoord %s): it gets no further "
		        "answer",
		        ref, v.f[R_ANTWOORD]);
done:
	ijw_buf_free(&v.b);
}

static void
apply_antwoord(struct ctx *c, const struct ijw_record *r)
{
	char ref[40], antwoord[2], k[KEY_MAX];
	struct val v;

	txt(r->node, "ReferentieAanbieder", ref, sizeof ref);
	txt(r->node, "VerzoekAntwoord", antwoord, sizeof antwoord);
	val_init(&v);
	if (key(c, k, "R", c->a, ref, NULL) && get(c, k, &v) == 1)
		put(c, k, v.f[R_GEMEENTE], v.f[R_CLIENT], v.f[R_TYPE],
		    strcmp(antwoord, "1") == 0 ? "r" : v.f[R_STATE], antwoord, v.f[R_DATUM], NULL);
	ijw_buf_free(&v.b);
}

/* ---- declarations: JW323, JW325 ---- */

enum {
	N_GEMEENTE,
	N_DECL,
	N_NR,
	N_CAT,
	N_CODE,
	N_BEGIN,
	N_END,
	N_VOLUME,
	N_EENHEID,
	N_TARIEF,
	N_BEDRAG,
	N_VORIG,
	N_STATE,
	N_CREDITED,
	N_NORM
};
enum { D_GEMEENTE, D_IDENT, D_BEGIN, D_END, D_XSDB, D_XSDM, D_ANSWERED };
enum { G_VOLUME, G_AMOUNT };

struct prestatie {
	char ref[21], vorig[21], dc[2], eenheid[3], tarief[16], volume[16];
	ijw_day begin, end;
};

static void
read_prestatie(const struct ijw_record *r, struct prestatie *p)
{
	txt(r->node, "ProductReferentie/ReferentieNummer", p->ref, sizeof p->ref);
	txt(r->node, "ProductReferentie/VorigReferentieNummer", p->vorig, sizeof p->vorig);
	txt(r->node, "IngediendBedrag/DebetCredit", p->dc, sizeof p->dc);
	txt(r->node, "Eenheid", p->eenheid, sizeof p->eenheid);
	txt(r->node, "ProductTarief", p->tarief, sizeof p->tarief);
	txt(r->node, "GeleverdVolume", p->volume, sizeof p->volume);
	p->begin = ijw_date_or(r->begindatum, 0);
	p->end = ijw_date_or(r->einddatum, 0);
}

/* Volume in the assignment's smallest unit: minutes where it assigns hours. */
static long long
normal_volume(const struct assignment *as, const char *eenheid, long long v)
{
	if (strcmp(as->eenheid, "04") != 0)
		return v;
	return strcmp(eenheid, "01") == 0 ? v : v * 60;
}

static long long
ceil_div(long long a, long long b)
{
	return (a + b - 1) / b;
}

/* The Omvang over [begin, end] in the assignment's smallest unit; -1 when unbounded. */
static long long
omvang_over(const struct assignment *as, ijw_day begin, ijw_day end)
{
	long long v = normal_volume(as, as->eenheid, as->volume), days;
	int y1, m1, d1, y2, m2, d2;

	if (strcmp(as->freq, "6") == 0)
		return v;
	if (end == IJW_DAY_MAX)
		return -1;
	days = end - begin + 1;
	if (days <= 0)
		return 0;
	if (strcmp(as->freq, "1") == 0)
		return v * days;
	if (strcmp(as->freq, "2") == 0)
		return v * ceil_div(days, 7);
	ijw_date_to_ymd(begin, &y1, &m1, &d1);
	ijw_date_to_ymd(end, &y2, &m2, &d2);
	return v * ((long long)(y2 - y1) * 12 + (m2 - m1) + 1);
}

/* What a message adds to an assignment's sums, before it is in the ledger. */
struct acc {
	char nr[10];
	long long volume, amount;
};

struct decl {
	struct acc *acc;
	size_t nacc;
	/*
	 * acc by ToewijzingNummer: a table of nslot (a power of two) indexes into
	 * acc plus one, 0 for a free slot, so that a declaration of many
	 * assignments finds each in constant time.
	 */
	size_t *slot, nslot;
	char nr[10];
	struct assignment as;         /* of nr, read once per run of prestaties */
	long long g_volume, g_amount; /* its sums in the ledger */
};

static struct acc *
acc_of(struct decl *d, const char *nr)
{
	size_t h = 2166136261u, i;

	for (const char *p = nr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (i = h & (d->nslot - 1); d->slot[i]; i = (i + 1) & (d->nslot - 1))
		if (strcmp(d->acc[d->slot[i] - 1].nr, nr) == 0)
			return &d->acc[d->slot[i] - 1];
	copy(d->acc[d->nacc].nr, sizeof d->acc[d->nacc].nr, nr);
	d->slot[i] = ++d->nacc;
	return &d->acc[d->nacc - 1];
}

static int
decl_assignment(struct ctx *c, struct decl *d, const char *nr)
{
	char k[KEY_MAX];
	struct val v;

	if (d->nr[0] && strcmp(d->nr, nr) == 0)
		return 0;
	copy(d->nr, sizeof d->nr, nr);
	d->g_volume = d->g_amount = 0;
	if (assignment_get(c, nr, &d->as) < 0)
		return -1;
	val_init(&v);
	if (key(c, k, "A", c->g, nr, "G", c->a, NULL) && get(c, k, &v) == 1) {
		d->g_volume = num(v.f[G_VOLUME]);
		d->g_amount = num(v.f[G_AMOUNT]);
	}
	ijw_buf_free(&v.b);
	return c->rc ? -1 : 0;
}

static void
check_prestatie(struct ctx *c, struct decl *d, const struct ijw_record *r, const char *client,
                ijw_day decl_end)
{
	const struct assignment *as = &d->as;
	const void *n = r->node;
	struct prestatie p;
	char k[KEY_MAX];
	struct val v;
	int y, m, dd;

	read_prestatie(r, &p);
	val_init(&v);
	if (key(c, k, "N", c->a, p.ref, NULL) && get(c, k, &v) == 1)
		finding(c, ijw_node_at(n, "ProductReferentie/ReferentieNummer"), "TR314",
		        "ReferentieNummer %s was declared before by provider %s: it is unique",
		        p.ref, c->a);
	if (p.begin > decl_end)
		finding(c, ijw_node_at(n, "ProductPeriode"), "TR319",
		        "the ProductPeriode begins after the DeclaratiePeriode: declare it in its "
		        "own period or later");
	if (strcmp(p.dc, "C") == 0) {
		int found = key(c, k, "N", c->a, p.vorig, NULL) ? get(c, k, &v) : -1;

		if (found == 1 && *v.f[N_CREDITED])
			finding(c, ijw_node_at(n, "ProductReferentie/VorigReferentieNummer"),
			        "TR390", "prestatie %s was credited already (by %s)", p.vorig,
			        v.f[N_CREDITED]);
		else if (found >= 0) {
			bool debit = found == 1 && strcmp(v.f[N_GEMEENTE], c->g) == 0 &&
			             v.f[N_BEDRAG][0] != '-' &&
			             strcmp(v.f[N_NR], r->toewijzingnummer) == 0 &&
			             strcmp(v.f[N_CAT], r->categorie) == 0 &&
			             strcmp(v.f[N_CODE], r->productcode) == 0 &&
			             strcmp(v.f[N_BEGIN], r->begindatum) == 0 &&
			             strcmp(v.f[N_END], r->einddatum) == 0;

			if (!debit || !approved(c, &v))
				finding(c,
				        ijw_node_at(n, "ProductReferentie/VorigReferentieNummer"),
				        "TR323",
				        "VorigReferentieNummer %s is not %s of provider %s with "
				        "this "
				        "ToewijzingNummer, product and ProductPeriode",
				        p.vorig,
				        debit ? "an approved debit prestatie (its declaration is "
				                "not "
				                "answered, or the answer rejected it)"
				              : "a debit prestatie",
				        c->a);
		}
	} else if (key(c, k, "A", c->g, r->toewijzingnummer, "B", c->a, r->categorie,
	               r->productcode, r->begindatum, r->einddatum, NULL) &&
	           get(c, k, &v) == 1) {
		finding(c, n, "TR389",
		        "prestatie %s declared this ToewijzingNummer, product and ProductPeriode "
		        "already; credit it before declaring the period again",
		        v.f[0]);
	}
	ijw_buf_free(&v.b);
	if (decl_assignment(c, d, r->toewijzingnummer) < 0)
		return;
	if (!assignment_ours(c, as, client)) {
		finding(c, ijw_node_at(n, "ToewijzingNummer"), "TR338",
		        "ToewijzingNummer %s is not an assignment of municipality %s to provider "
		        "%s "
		        "for this client",
		        r->toewijzingnummer, c->g, c->a);
		return;
	}
	if (removed(as))
		finding(c, ijw_node_at(n, "ToewijzingNummer"), "TR384",
		        "assignment %s was removed (RedenWijziging 13): nothing is declared on it",
		        r->toewijzingnummer);
	if (as->cat[0] && strcmp(as->cat, r->categorie) != 0 &&
	    !one_combination(c, as->cat, as->code, r->categorie, r->productcode))
		finding(c, ijw_node_at(n, "ProductCategorie"), "TR339",
		        "ProductCategorie %s is not %s, the category of assignment %s",
		        r->categorie, as->cat, r->toewijzingnummer);
	if (as->code[0] && strcmp(as->code, r->productcode) != 0 &&
	    !one_combination(c, as->cat, as->code, r->categorie, r->productcode))
		finding(c, ijw_node_at(n, "ProductCode"), "TR340",
		        "ProductCode %s is not %s, the product of assignment %s", r->productcode,
		        as->code, r->toewijzingnummer);
	bool units = as->volume < 0 || strcmp(as->eenheid, p.eenheid) == 0 ||
	             (strcmp(as->eenheid, "04") == 0 && strcmp(p.eenheid, "01") == 0);

	if (!units)
		finding(c, ijw_node_at(n, "Eenheid"), "TR341",
		        "Eenheid %s does not fit Eenheid %s of the Omvang of assignment %s",
		        p.eenheid, as->eenheid, r->toewijzingnummer);
	if (p.begin < as->ingang)
		finding(c, ijw_node_at(n, "ProductPeriode"), "TR307",
		        "the ProductPeriode begins before the Ingangsdatum of assignment %s",
		        r->toewijzingnummer);
	if (p.end > as->eind)
		finding(c, ijw_node_at(n, "ProductPeriode"), "TR308",
		        "the ProductPeriode ends after the Einddatum of assignment %s",
		        r->toewijzingnummer);
	ijw_date_to_ymd(p.begin, &y, &m, &dd);
	ijw_day first = ijw_date_from_ymd(y, m, 1), last = first + ijw_month_days(y, m) - 1;
	ijw_day want_begin = as->ingang > first && as->ingang <= last ? as->ingang : first;
	ijw_day want_end = as->eind < last && as->eind >= first ? as->eind : last;
	char want[IJW_DATE_SIZE];

	if (p.begin >= as->ingang && p.begin != want_begin) {
		ijw_date_format(want_begin, want);
		finding(c, ijw_node_at(n, "ProductPeriode"), "TR387",
		        "the ProductPeriode begins on %s, not on %s: the first day of the month, "
		        "or "
		        "the Ingangsdatum later in it",
		        r->begindatum, want);
	}
	if (p.end <= as->eind && p.end != want_end) {
		ijw_date_format(want_end, want);
		finding(c, ijw_node_at(n, "ProductPeriode"), "TR388",
		        "the ProductPeriode ends on %s, not on %s: the last day of the month, or "
		        "the "
		        "assignment's Einddatum earlier in it",
		        r->einddatum, want);
	}
	struct acc *acc = acc_of(d, r->toewijzingnummer);
	long long vol = units && as->volume >= 0 ? normal_volume(as, p.eenheid, num(p.volume)) : 0;
	bool credit = strcmp(p.dc, "C") == 0;

	acc->volume += credit ? -vol : vol;
	acc->amount += r->bedrag;
	if (units && as->volume >= 0 && !credit) {
		long long max = strcmp(as->freq, "6") == 0 ? -1 : omvang_over(as, p.begin, p.end);
		long long total = omvang_over(as, as->ingang, as->eind);

		if (max >= 0 && vol > max)
			finding(c, ijw_node_at(n, "GeleverdVolume"), "TR321",
			        "GeleverdVolume %s is more than the Omvang of assignment %s allows "
			        "in "
			        "the ProductPeriode",
			        p.volume, r->toewijzingnummer);
		if (total >= 0 && d->g_volume + acc->volume > total)
			finding(c, ijw_node_at(n, "GeleverdVolume"), "TR322",
			        "with this prestatie the declared volume of assignment %s is more "
			        "than "
			        "its Omvang over its whole period",
			        r->toewijzingnummer);
	}
	if (as->budget >= 0 && !credit && d->g_amount + acc->amount > as->budget * 100)
		finding(c, ijw_node_at(n, "IngediendBedrag"), "TR369",
		        "with this prestatie the declared amount of assignment %s is more than its "
		        "Budget of %lld euro",
		        r->toewijzingnummer, as->budget);
}

static void
check_declaratie(struct ctx *c)
{
	size_t n = ijw_doc_nrecords(c->doc);
	struct decl d = {.acc = calloc(n ? n : 1, sizeof *d.acc), .nslot = 2};
	char client[IJW_CLIENT_SIZE] = "", k[KEY_MAX];
	ijw_day decl_end = IJW_DAY_MAX;
	struct val v;

	/* at most one entry per record: the table is at most half full */
	while (d.nslot < 2 * (n ? n : 1))
		d.nslot *= 2;
	d.slot = calloc(d.nslot, sizeof *d.slot);
	if (!d.acc || !d.slot) {
		free(d.acc);
		free(d.slot);
		c->rc = IJW_ENOMEM;
		return;
	}
	val_init(&v);
	for (size_t i = 0; i < n && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);

		if (strcmp(r->level, "Declaratie") == 0) {
			char nr[16], last[IJW_DATE_SIZE] = "";

			txt(r->node, "DeclaratieNummer", nr, sizeof nr);
			decl_end = ijw_date_or(r->einddatum, IJW_DAY_MAX);
			if (key(c, k, "D", c->a, nr, NULL) && get(c, k, &v) == 1)
				finding(c, ijw_node_at(r->node, "DeclaratieNummer"), "TR333",
				        "DeclaratieNummer %s was used before by provider %s", nr,
				        c->a);
			if (key(c, k, "L", c->g, c->a, NULL) && get(c, k, &v) == 1)
				copy(last, sizeof last, v.f[0]);
			if (*last && ijw_date_or(r->begindatum, 0) <= ijw_date_or(last, 0))
				finding(c, ijw_node_at(r->node, "DeclaratiePeriode"), "TR318",
				        "the DeclaratiePeriode begins on %s, not after %s, the "
				        "period "
				        "of the previous declaration of provider %s to "
				        "municipality %s",
				        r->begindatum, last, c->a, c->g);
		} else if (strcmp(r->level, "Client") == 0) {
			if (client_of(c, r->bsn, client))
				check_client_known(c, r, client);
		} else if (strcmp(r->level, "Prestatie") == 0 && *client) {
			check_prestatie(c, &d, r, client, decl_end);
		}
	}
	ijw_buf_free(&v.b);
	free(d.acc);
	free(d.slot);
}

/* Adds volume and amount to the sums of assignment nr. */
static void
add_sums(struct ctx *c, const char *nr, long long volume, long long amount)
{
	char k[KEY_MAX], a[24], b[24];
	struct val v;

	val_init(&v);
	if (key(c, k, "A", c->g, nr, "G", c->a, NULL) && get(c, k, &v) >= 0) {
		snprintf(a, sizeof a, "%lld", (v.n ? num(v.f[G_VOLUME]) : 0) + volume);
		snprintf(b, sizeof b, "%lld", (v.n ? num(v.f[G_AMOUNT]) : 0) + amount);
		put(c, k, a, b, NULL);
	}
	ijw_buf_free(&v.b);
}

/*
 * Whether prestatie n (a value of an N key) is approved: a JW325 answered its
 * declaration and did not reject it.
 */
static bool
approved(struct ctx *c, struct val *n)
{
	char k[KEY_MAX];
	struct val d;
	bool yes = false;

	if (strcmp(n->f[N_STATE], "r") == 0)
		return false;
	val_init(&d);
	if (key(c, k, "D", c->a, n->f[N_DECL], NULL) && get(c, k, &d) == 1)
		yes = strcmp(d.f[D_ANSWERED], "1") == 0;
	ijw_buf_free(&d.b);
	return yes;
}

/* The approved debit prestaties of assignment nr that no credit took back (TR385). */
static long long
approved_debits(struct ctx *c, const char *nr)
{
	char k[KEY_MAX];
	struct collect cl;
	struct val v;
	long long n = 0;

	if (!key(c, k, "A", c->g, nr, "B", c->a, NULL) || scan(c, k, &cl))
		return 0;
	val_init(&v);
	for (size_t i = 0; i < cl.n && !c->rc; i++)
		if (key(c, k, "N", c->a, cl.vals[i], NULL) && get(c, k, &v) == 1 && approved(c, &v))
			n++;
	ijw_buf_free(&v.b);
	collect_free(&cl);
	return n;
}

/* Prestatie v written again at k with another state and credit. */
static void
put_prestatie(struct ctx *c, const char *k, struct val *v, const char *state, const char *credited)
{
	put(c, k, v->f[N_GEMEENTE], v->f[N_DECL], v->f[N_NR], v->f[N_CAT], v->f[N_CODE],
	    v->f[N_BEGIN], v->f[N_END], v->f[N_VOLUME], v->f[N_EENHEID], v->f[N_TARIEF],
	    v->f[N_BEDRAG], v->f[N_VORIG], state, credited, v->f[N_NORM], NULL);
}

static void policy_amount(struct ctx *c, const char *cat, const char *code, ijw_day begin,
                          long long amount);

static void
apply_declaratie(struct ctx *c)
{
	size_t n = ijw_doc_nrecords(c->doc);
	char client[IJW_CLIENT_SIZE] = "", declnr[16] = "", k[KEY_MAX];
	struct assignment as;
	struct val v;

	val_init(&v);
	for (size_t i = 0; i < n && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);

		if (strcmp(r->level, "Declaratie") == 0) {
			const void *root = ijw_doc_root(c->doc);
			char basis[16], bericht[16], last[IJW_DATE_SIZE] = "";

			txt(r->node, "DeclaratieNummer", declnr, sizeof declnr);
			txt(root, "Header/XsdVersie/BasisschemaXsdVersie", basis, sizeof basis);
			txt(root, "Header/XsdVersie/BerichtXsdVersie", bericht, sizeof bericht);
			if (key(c, k, "D", c->a, declnr, NULL))
				put(c, k, c->g, c->route.identificatie, r->begindatum, r->einddatum,
				    basis, bericht, "0", NULL);
			if (key(c, k, "I", c->a, c->g, c->route.identificatie, NULL))
				put(c, k, declnr, NULL);
			if (key(c, k, "L", c->g, c->a, NULL) && get(c, k, &v) == 1)
				copy(last, sizeof last, v.f[0]);
			if (ijw_date_or(r->begindatum, 0) > ijw_date_or(last, 0) &&
			    key(c, k, "L", c->g, c->a, NULL))
				put(c, k, r->begindatum, NULL);
		} else if (strcmp(r->level, "Client") == 0) {
			client_of(c, r->bsn, client);
		} else if (strcmp(r->level, "Prestatie") == 0 && *client) {
			struct prestatie p;
			char bedrag[24], norm[24];
			bool credit;
			long long vol;

			read_prestatie(r, &p);
			credit = strcmp(p.dc, "C") == 0;
			if (assignment_get(c, r->toewijzingnummer, &as) < 0)
				break;
			vol = as.found && as.volume >= 0
			              ? normal_volume(&as, p.eenheid, num(p.volume))
			              : 0;
			snprintf(bedrag, sizeof bedrag, "%lld", r->bedrag);
			snprintf(norm, sizeof norm, "%lld", vol);
			if (key(c, k, "N", c->a, p.ref, NULL))
				put(c, k, c->g, declnr, r->toewijzingnummer, r->categorie,
				    r->productcode, r->begindatum, r->einddatum, p.volume,
				    p.eenheid, p.tarief, bedrag, p.vorig, "s", "", norm, NULL);
			add_sums(c, r->toewijzingnummer, credit ? -vol : vol, r->bedrag);
			policy_amount(c, r->categorie, r->productcode, p.begin, r->bedrag);
			if (!credit) {
				if (key(c, k, "A", c->g, r->toewijzingnummer, "B", c->a,
				        r->categorie, r->productcode, r->begindatum, r->einddatum,
				        NULL))
					put(c, k, p.ref, NULL);
				continue;
			}
			/* the credit takes the debit's place: it no longer stands for its period */
			if (!key(c, k, "N", c->a, p.vorig, NULL) || get(c, k, &v) != 1)
				continue;
			put_prestatie(c, k, &v, v.f[N_STATE], p.ref);
			if (key(c, k, "A", c->g, v.f[N_NR], "B", c->a, v.f[N_CAT], v.f[N_CODE],
			        v.f[N_BEGIN], v.f[N_END], NULL))
				del(c, k);
		}
	}
	ijw_buf_free(&v.b);
}

/* The declaration a JW325 answers: its number into declnr and its value into d. */
static int
answered_declaration(struct ctx *c, char *declnr, size_t size, struct val *d)
{
	char ident[16], k[KEY_MAX];
	struct val v;
	int r;

	txt(ijw_doc_root(c->doc), "Header/DeclaratieIdentificatie/Identificatie", ident,
	    sizeof ident);
	val_init(&v);
	declnr[0] = '\0';
	r = key(c, k, "I", c->a, c->g, ident, NULL) ? get(c, k, &v) : -1;
	if (r == 1)
		copy(declnr, size, v.f[0]);
	ijw_buf_free(&v.b);
	if (r != 1)
		return r;
	return key(c, k, "D", c->a, declnr, NULL) ? get(c, k, d) : -1;
}

static void
check_antwoord_declaratie(struct ctx *c)
{
	const void *root = ijw_doc_root(c->doc);
	char declnr[16], k[KEY_MAX], client[IJW_CLIENT_SIZE] = "";
	struct val d, v;
	int r;

	val_init(&d);
	val_init(&v);
	if ((r = answered_declaration(c, declnr, sizeof declnr, &d)) < 0)
		goto done;
	if (r == 0) {
		char ident[16];

		finding(c, ijw_node_at(root, "Header/DeclaratieIdentificatie"), "TR337",
		        "DeclaratieIdentificatie %s is not the BerichtIdentificatie of a "
		        "declaration "
		        "(JW323) of provider %s to municipality %s",
		        txt(root, "Header/DeclaratieIdentificatie/Identificatie", ident,
		            sizeof ident),
		        c->a, c->g);
		goto done;
	}
	char nr[16], basis[16], bericht[16];

	txt(root, "DeclaratieAntwoord/DeclaratieNummer", nr, sizeof nr);
	if (strcmp(nr, declnr) != 0)
		finding(c, ijw_node_at(root, "DeclaratieAntwoord/DeclaratieNummer"), "TR376",
		        "DeclaratieNummer %s is not %s, the number of the declaration answered", nr,
		        declnr);
	txt(root, "Header/XsdVersieDeclaratie/BasisschemaXsdVersie", basis, sizeof basis);
	txt(root, "Header/XsdVersieDeclaratie/BerichtXsdVersie", bericht, sizeof bericht);
	if (strcmp(basis, d.f[D_XSDB]) != 0 || strcmp(bericht, d.f[D_XSDM]) != 0)
		finding(c, ijw_node_at(root, "Header/XsdVersieDeclaratie"), "TR371",
		        "XsdVersieDeclaratie %s/%s is not %s/%s, the XsdVersie of the declaration",
		        basis, bericht, d.f[D_XSDB], d.f[D_XSDM]);
	for (size_t i = 0; i < ijw_doc_nrecords(c->doc) && !c->rc; i++) {
		const struct ijw_record *rec = ijw_doc_record(c->doc, i);
		struct prestatie p;
		char bedrag[24];

		if (strcmp(rec->level, "Client") == 0) {
			if (client_of(c, rec->bsn, client))
				check_client_known(c, rec, client);
			continue;
		}
		if (strcmp(rec->level, "Prestatie") != 0)
			continue;
		read_prestatie(rec, &p);
		if (!key(c, k, "N", c->a, p.ref, NULL) || (r = get(c, k, &v)) < 0)
			break;
		if (!r || strcmp(v.f[N_DECL], declnr) != 0) {
			finding(c, ijw_node_at(rec->node, "ProductReferentie/ReferentieNummer"),
			        "TR366", "prestatie %s is not in declaration %s", p.ref, declnr);
			continue;
		}
		snprintf(bedrag, sizeof bedrag, "%lld", rec->bedrag);
		bool same = one_combination(c, v.f[N_CAT], v.f[N_CODE], rec->categorie,
		                            rec->productcode);
		const char *what = strcmp(v.f[N_NR], rec->toewijzingnummer) ? "ToewijzingNummer"
		                   : !same && strcmp(v.f[N_CAT], rec->categorie)
		                           ? "ProductCategorie"
		                   : !same && strcmp(v.f[N_CODE], rec->productcode) ? "ProductCode"
		                   : strcmp(v.f[N_BEGIN], rec->begindatum) ||
		                                   strcmp(v.f[N_END], rec->einddatum)
		                           ? "ProductPeriode"
		                   : strcmp(v.f[N_VOLUME], p.volume)   ? "GeleverdVolume"
		                   : strcmp(v.f[N_EENHEID], p.eenheid) ? "Eenheid"
		                   : strcmp(v.f[N_TARIEF], p.tarief)   ? "ProductTarief"
		                   : strcmp(v.f[N_BEDRAG], bedrag)     ? "IngediendBedrag"
		                                                       : NULL;

		if (what)
			finding(c, ijw_node_at(rec->node, what), "TR367",
			        "the %s of prestatie %s is not the one declared", what, p.ref);
	}
done:
	ijw_buf_free(&d.b);
	ijw_buf_free(&v.b);
}

/* A rejected credit: the debit it credited stands for its period again. */
static void
uncredit(struct ctx *c, const char *ref)
{
	char k[KEY_MAX];
	struct val v;

	val_init(&v);
	if (key(c, k, "N", c->a, ref, NULL) && get(c, k, &v) == 1 && *v.f[N_CREDITED]) {
		put_prestatie(c, k, &v, v.f[N_STATE], "");
		if (strcmp(v.f[N_STATE], "r") != 0 &&
		    key(c, k, "A", c->g, v.f[N_NR], "B", c->a, v.f[N_CAT], v.f[N_CODE],
		        v.f[N_BEGIN], v.f[N_END], NULL))
			put(c, k, ref, NULL);
	}
	ijw_buf_free(&v.b);
}

/*
 * A JW325 answers its declaration: the prestaties it lists are rejected,
 * the others approved (approved() reads that from the declaration).
 */
static void
apply_antwoord_declaratie(struct ctx *c)
{
	char declnr[16], k[KEY_MAX];
	struct val d, v;

	val_init(&d);
	val_init(&v);
	if (answered_declaration(c, declnr, sizeof declnr, &d) != 1 ||
	    strcmp(d.f[D_ANSWERED], "1") == 0)
		goto done;
	for (size_t i = 0; i < ijw_doc_nrecords(c->doc) && !c->rc; i++) {
		const struct ijw_record *rec = ijw_doc_record(c->doc, i);
		char ref[24];

		if (strcmp(rec->level, "Prestatie") != 0 ||
		    !key(c, k, "N", c->a,
		         txt(rec->node, "ProductReferentie/ReferentieNummer", ref, sizeof ref),
		         NULL) ||
		    get(c, k, &v) != 1 || strcmp(v.f[N_DECL], declnr) != 0 ||
		    strcmp(v.f[N_STATE], "s") != 0)
			continue;
		bool credit = v.f[N_BEDRAG][0] == '-';
		long long amount = num(v.f[N_BEDRAG]), norm = num(v.f[N_NORM]);

		/* rejected: it no longer counts, nor stands for its period */
		put_prestatie(c, k, &v, "r", v.f[N_CREDITED]);
		add_sums(c, v.f[N_NR], credit ? norm : -norm, -amount);
		policy_amount(c, v.f[N_CAT], v.f[N_CODE], ijw_date_or(v.f[N_BEGIN], 0), -amount);
		if (!credit && key(c, k, "A", c->g, v.f[N_NR], "B", c->a, v.f[N_CAT], v.f[N_CODE],
		                   v.f[N_BEGIN], v.f[N_END], NULL))
			del(c, k);
		if (credit)
			uncredit(c, v.f[N_VORIG]);
	}
	if (key(c, k, "D", c->a, declnr, NULL))
		put(c, k, d.f[D_GEMEENTE], d.f[D_IDENT], d.f[D_BEGIN], d.f[D_END], d.f[D_XSDB],
		    d.f[D_XSDM], "1", NULL);
done:
	ijw_buf_free(&d.b);
	ijw_buf_free(&v.b);
}

/* ---- the region's policy over time ---- */

static bool
agreed(struct ctx *c, const char *comment)
{
	const char *mark =
	        c->o && c->o->products ? ijw_products_policy(c->o->products)->agreement : "";

	return *mark && strstr(comment, mark) != NULL;
}

const struct ijw_combination *
ijw_ledger_combination(const ijw_products *p, const char *cat, const char *code)
{
	const struct ijw_combination *k;
	const struct ijw_legacy *lg;

	if (!p)
		return NULL;
	if ((k = ijw_products_regional(p, cat, code)))
		return k;
	lg = ijw_products_legacy(p, cat, code);
	return lg ? lg->to : NULL;
}

/* The combination a product is, in either vocabulary; NULL when the table has none. */
static const struct ijw_combination *
combination_of(struct ctx *c, const char *cat, const char *code)
{
	return ijw_ledger_combination(c->o ? c->o->products : NULL, cat, code);
}

/* The key of provider c->a's declared amount in year, for one profile or (0) all. */
static bool
year_key(struct ctx *c, char *k, int year, unsigned profile)
{
	char ys[8], ps[8];

	snprintf(ys, sizeof ys, "%d", year);
	snprintf(ps, sizeof ps, "%u", profile);
	return profile ? key(c, k, "Y", c->a, ys, ps, NULL) : key(c, k, "Y", c->a, ys, NULL);
}

static long long
year_amount(struct ctx *c, int year, unsigned profile)
{
	char k[KEY_MAX];
	struct val v;
	long long amount = 0;

	val_init(&v);
	if (year_key(c, k, year, profile) && get(c, k, &v) == 1)
		amount = num(v.f[0]);
	ijw_buf_free(&v.b);
	return amount;
}

/* Adds amount to the provider's year of begin, in all and for the product's profile. */
static void
policy_amount(struct ctx *c, const char *cat, const char *code, ijw_day begin, long long amount)
{
	const struct ijw_combination *k = combination_of(c, cat, code);
	char yk[KEY_MAX], sum[24];
	int y, m, d;

	if (!c->o || !c->o->products)
		return;
	ijw_date_to_ymd(begin, &y, &m, &d);
	for (unsigned profile = 0; profile <= (k ? 1u : 0u) && !c->rc; profile++) {
		unsigned pr = profile ? k->profile : 0;

		snprintf(sum, sizeof sum, "%lld", year_amount(c, y, pr) + amount);
		if (year_key(c, yk, y, pr))
			put(c, yk, sum, NULL);
	}
}

static void policy_finding(struct ctx *c, enum ijw_check how, const void *node, const char *rule,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
policy_finding(struct ctx *c, enum ijw_check how, const void *node, const char *rule,
               const char *fmt, ...)
{
	ijw_findings *to = how == IJW_CHECK_ENFORCE ? c->f : c->advised;
	char text[512];
	va_list ap;
	ijw_rc rc;

	if (!to || how == IJW_CHECK_OFF)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if ((rc = ijw_findings_add_node(to, node, rule, ijw_rule_by_code(rule)->retourcode, "%s",
	                                text)) &&
	    !c->rc)
		c->rc = rc;
}

/* Whether an assignment of combination k over [begin, end] may stand beside another. */
static bool
may_stack(const struct ijw_policy *pol, const struct ijw_combination *k, ijw_day begin, ijw_day end,
          bool akkoord)
{
	if (pol->acute && k->intensity == pol->acute && end != IJW_DAY_MAX &&
	    end - begin + 1 <= (ijw_day)pol->acute_max_days)
		return true;
	return pol->durable && k->intensity == pol->durable && akkoord;
}

/* An assignment a new one is held against for stacking. */
struct other {
	char nr[10];
	const struct ijw_combination *k;
	ijw_day begin, end;
	bool akkoord;
};

/* Whether the message assigns nummer nr itself (then its ledger version is being replaced). */
static bool
in_message(struct ctx *c, const char *nr)
{
	for (size_t i = 0; i < ijw_doc_nrecords(c->doc); i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);

		if (strcmp(r->level, "ToegewezenProduct") == 0 &&
		    strcmp(r->toewijzingnummer, nr) == 0)
			return true;
	}
	return false;
}

/*
 * The live assignments of the client a new one at record index `at` stands
 * beside: those in the ledger that this message does not change, and those
 * earlier in this message. Into o (room for the ledger's and the message's).
 */
static size_t
others_of(struct ctx *c, const struct ijw_record *r, size_t at, const char *client,
          struct other **o)
{
	char k[KEY_MAX];
	struct collect cl;
	size_t n = 0;

	*o = NULL;
	if (!key(c, k, "C", c->g, c->a, client, NULL) || scan(c, k, &cl))
		return 0;
	if (!(*o = calloc(cl.n + at + 1, sizeof **o))) {
		c->rc = IJW_ENOMEM;
		collect_free(&cl);
		return 0;
	}
	for (size_t i = 0; i < cl.n && !c->rc; i++) {
		struct assignment as;
		struct other *t = &(*o)[n];

		field(cl.keys[i], 4, t->nr, sizeof t->nr);
		if (in_message(c, t->nr) || assignment_get(c, t->nr, &as) < 0 || removed(&as) ||
		    !(t->k = combination_of(c, as.cat, as.code)))
			continue;
		t->begin = as.ingang;
		t->end = as.eind;
		t->akkoord = as.akkoord;
		n++;
	}
	collect_free(&cl);
	for (size_t i = 0; i < at; i++) {
		const struct ijw_record *e = ijw_doc_record(c->doc, i);
		char reden[3], comment[300];
		struct other *t = &(*o)[n];

		if (strcmp(e->level, "ToegewezenProduct") != 0 ||
		    strcmp(bsn_of(c->doc, e), bsn_of(c->doc, r)) != 0 ||
		    strcmp(txt(e->node, "RedenWijziging", reden, sizeof reden), "13") == 0 ||
		    !(t->k = combination_of(c, e->categorie, e->productcode)))
			continue;
		copy(t->nr, sizeof t->nr, e->toewijzingnummer);
		t->begin = ijw_date_or(e->begindatum, 0);
		t->end = ijw_date_or(e->einddatum, IJW_DAY_MAX);
		t->akkoord = agreed(c, txt(e->node, "Commentaar", comment, sizeof comment));
		n++;
	}
	return n;
}

/* STAPELING: a new assignment beside another live one of the client at this provider. */
static void
check_stacking(struct ctx *c, const struct ijw_policy *pol, const struct ijw_record *r, size_t at)
{
	const struct ijw_combination *k = combination_of(c, r->categorie, r->productcode);
	char client[IJW_CLIENT_SIZE], reden[3], comment[300];
	ijw_day begin = ijw_date_or(r->begindatum, 0), end = ijw_date_or(r->einddatum, IJW_DAY_MAX);
	struct other *o;
	size_t n;

	txt(r->node, "RedenWijziging", reden, sizeof reden);
	if (!k || strcmp(reden, "13") == 0 || !client_of(c, bsn_of(c->doc, r), client))
		return;
	n = others_of(c, r, at, client, &o);
	txt(r->node, "Commentaar", comment, sizeof comment);
	for (size_t i = 0; i < n && !c->rc; i++) {
		const struct other *t = &o[i];

		if (t->k == k || t->begin > end || t->end < begin ||
		    may_stack(pol, k, begin, end, agreed(c, comment)) ||
		    may_stack(pol, t->k, t->begin, t->end, t->akkoord))
			continue;
		policy_finding(
		        c, pol->stacking, ijw_node_at(r->node, "Product"), "STAPELING",
		        "combination %s overlaps combination %s of assignment %s for this "
		        "client at provider %s: no stacking, except %s for at most %u days "
		        "and %s with the regisseur's agreement",
		        k->id, t->k->id, t->nr, c->a,
		        pol->acute ? ijw_products_intensity(c->o->products, pol->acute) : "-",
		        pol->acute_max_days,
		        pol->durable ? ijw_products_intensity(c->o->products, pol->durable) : "-");
		break;
	}
	free(o);
}

/* What a declaration adds to a year's amount, for the ceilings. */
struct year_sum {
	int year;
	unsigned profile;
	long long amount;
};

/* PLAFOND and TERMIJN on the prestaties of a declaration. */
static void
check_declaratie_policy(struct ctx *c, const struct ijw_policy *pol)
{
	size_t n = ijw_doc_nrecords(c->doc), nsums = 0;
	struct year_sum *sums = calloc(2 * n + 1, sizeof *sums);
	ijw_day dag = c->dag;

	if (!sums) {
		c->rc = IJW_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);
		const struct ijw_combination *k;
		int y, m, d;
		char decl[IJW_DATE_SIZE];

		if (strcmp(r->level, "Declaratie") == 0) {
			dag = ijw_date_or(txt(r->node, "DeclaratieDagtekening", decl, sizeof decl),
			                  c->dag);
			continue;
		}
		if (strcmp(r->level, "Prestatie") != 0)
			continue;
		if (pol->invoice && pol->invoice_days &&
		    ijw_date_or(r->einddatum, dag) + (ijw_day)pol->invoice_days < dag)
			policy_finding(
			        c, pol->invoice, ijw_node_at(r->node, "ProductPeriode"), "TERMIJN",
			        "the ProductPeriode ended on %s, more than %u days before the "
			        "declaration of %s: the invoice is late",
			        r->einddatum, pol->invoice_days,
			        (ijw_date_format(dag, decl), decl));
		if (!pol->ceiling)
			continue;
		k = combination_of(c, r->categorie, r->productcode);
		ijw_date_to_ymd(ijw_date_or(r->begindatum, 0), &y, &m, &d);
		for (unsigned profile = 0; profile <= (k ? 1u : 0u); profile++) {
			unsigned pr = profile ? k->profile : 0;
			long ceiling = ijw_products_ceiling(c->o->products, c->a, y, pr);
			struct year_sum *s = NULL;

			if (ceiling < 0)
				continue;
			for (size_t j = 0; j < nsums && !s; j++)
				if (sums[j].year == y && sums[j].profile == pr)
					s = &sums[j];
			if (!s) {
				s = &sums[nsums++];
				s->year = y;
				s->profile = pr;
				s->amount = year_amount(c, y, pr);
			}
			s->amount += r->bedrag;
			if (r->bedrag > 0 && s->amount > ceiling) {
				char was[24], max[24];

				ijw_cents_format(s->amount, was, sizeof was);
				ijw_cents_format(ceiling, max, sizeof max);
				policy_finding(c, pol->ceiling,
				               ijw_node_at(r->node, "IngediendBedrag"), "PLAFOND",
				               "with this prestatie provider %s has declared %s "
				               "euro in %d%s%s, "
				               "over its ceiling of %s euro",
				               c->a, was, y, pr ? " for profile " : "",
				               pr ? ijw_products_profile(c->o->products, pr) : "",
				               max);
			}
		}
	}
	free(sums);
}

static void
check_policy(struct ctx *c)
{
	const struct ijw_policy *pol;

	if (!c->o || !c->o->products)
		return;
	pol = ijw_products_policy(c->o->products);
	if (c->type == IJW_JW323 && (pol->ceiling || pol->invoice))
		check_declaratie_policy(c, pol);
	if (c->type != IJW_JW301 || !pol->stacking)
		return;
	for (size_t i = 0; i < ijw_doc_nrecords(c->doc) && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);

		if (strcmp(r->level, "ToegewezenProduct") == 0)
			check_stacking(c, pol, r, i);
	}
}

/* ---- judging and applying a message ---- */

static bool
ctx_init(struct ctx *c, const struct ijw_ledger *l, const ijw_doc *doc,
         const struct ijw_ledger_opts *o)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(doc));
	const struct ijw_header *h = ijw_doc_header(doc);

	memset(c, 0, sizeof *c);
	c->l = l;
	c->doc = doc;
	c->o = o;
	c->type = def->type;
	ijw_doc_route(doc, &c->route);
	c->g = def->afzender == IJW_GEMEENTE ? h->afzender : h->ontvanger;
	c->a = def->afzender == IJW_GEMEENTE ? h->ontvanger : h->afzender;
	c->dag = ijw_date_or(h->dagtekening, o ? o->today : 0);
	return *c->g && *c->a;
}

/*
 * TR056: the sender used this identification for this message type before.
 * (The gateway's store finds a repeat before the ledger is asked; this is
 * for messages judged against a history, and for imports.)
 */
static void
check_identificatie(struct ctx *c)
{
	char k[KEY_MAX];
	struct val v;
	const char *name = ijw_msgdef(c->type)->name;
	ijw_rc rc;

	const void *at = ijw_node_at(ijw_doc_root(c->doc),
	                             ijw_msgdef(c->type)->retour && c->type != IJW_JW325
	                                     ? "Header/IdentificatieRetour"
	                                     : "Header/BerichtIdentificatie");

	val_init(&v);
	if (key(c, k, "H", c->route.from, name, c->route.identificatie, NULL) &&
	    get(c, k, &v) == 1 &&
	    (rc = ijw_findings_add_node(
	             c->f, at ? at : ijw_doc_root(c->doc), "TR056", "9056",
	             "%s %s was sent by %s before (message %s); an identification is unique per "
	             "message type and sender",
	             name, c->route.identificatie, c->route.from, v.f[0])) &&
	    !c->rc)
		c->rc = rc;
	ijw_buf_free(&v.b);
}

ijw_rc
ijw_ledger_check(const struct ijw_ledger *l, const ijw_doc *doc, const struct ijw_ledger_opts *o,
                 ijw_findings *f, ijw_findings *advised)
{
	struct ctx c;
	char client[IJW_CLIENT_SIZE];

	if (!ctx_init(&c, l, doc, o))
		return IJW_OK;
	c.f = f;
	c.advised = advised;
	check_identificatie(&c);
	if (c.type == IJW_JW323)
		check_declaratie(&c);
	else if (c.type == IJW_JW325)
		check_antwoord_declaratie(&c);
	for (size_t i = 0; i < ijw_doc_nrecords(doc) && !c.rc; i++) {
		const struct ijw_record *r = ijw_doc_record(doc, i);

		switch (c.type) {
		case IJW_JW301:
			if (strcmp(r->level, "ToegewezenProduct") == 0)
				check_toewijzing(&c, r);
			break;
		case IJW_JW305:
			if (strcmp(r->level, "StartProduct") == 0)
				check_start(&c, r);
			break;
		case IJW_JW307:
			if (strcmp(r->level, "StopProduct") == 0)
				check_stop(&c, r);
			break;
		case IJW_JW315:
			if (strcmp(r->level, "AangevraagdProduct") == 0 &&
			    client_of(&c, bsn_of(doc, r), client)) {
				char ref[40];

				check_request(&c, r->node, client,
				              txt(r->node, "ReferentieAanbieder", ref, sizeof ref));
			}
			break;
		case IJW_JW317:
			if (strcmp(r->level, "Client") == 0 && client_of(&c, r->bsn, client))
				check_client_known(&c, r, client);
			else if (strcmp(r->level, "Verzoek") == 0)
				check_verzoek(&c, r);
			break;
		case IJW_JW319:
			if (strcmp(r->level, "Antwoord") == 0)
				check_antwoord(&c, r);
			break;
		default:
			break;
		}
	}
	if (!c.rc)
		check_policy(&c);
	return c.rc;
}

/*
 * A retour: linked to the message it answers; the starts and stops of that
 * message it refuses (a retour code other than 0200) leave the ledger.
 */
static void
apply_retour(struct ctx *c)
{
	const struct ijw_msgdef *def = ijw_msgdef(c->type);
	char ident[16], k[KEY_MAX], msg[24], heen[24] = "";
	struct val v;

	if (c->type == IJW_JW325)
		txt(ijw_doc_root(c->doc), "Header/DeclaratieIdentificatie/Identificatie", ident,
		    sizeof ident);
	else
		txt(ijw_doc_root(c->doc), "Header/BerichtIdentificatie/Identificatie", ident,
		    sizeof ident);
	val_init(&v);
	snprintf(msg, sizeof msg, "%lld", (long long)c->msg);
	if (key(c, k, "H", c->route.to, ijw_msgdef(def->pair)->name, ident, NULL) &&
	    get(c, k, &v) == 1) {
		copy(heen, sizeof heen, v.f[0]);
		if (key(c, k, "W", heen, NULL))
			put(c, k, msg, NULL);
	}
	for (size_t i = 0; i < ijw_doc_nrecords(c->doc) && *heen && !c->rc; i++) {
		const struct ijw_record *r = ijw_doc_record(c->doc, i);
		char code[5], client[IJW_CLIENT_SIZE];
		bool start = strcmp(r->level, "StartProduct") == 0;

		if (!start && strcmp(r->level, "StopProduct") != 0)
			continue;
		txt(r->node, "RetourCodes/RetourCode", code, sizeof code);
		if (!*code || strcmp(code, "0200") == 0 || !client_of(c, bsn_of(c->doc, r), client))
			continue;
		/* only what that message wrote: an earlier delivery with the same key stays */
		if ((start ? key(c, k, "A", c->g, r->toewijzingnummer, "S", c->a, client,
		                 r->begindatum, r->categorie, r->productcode, NULL)
		           : stop_key(c, r, client, k)) &&
		    get(c, k, &v) == 1 && strcmp(v.f[0], heen) == 0)
			del(c, k);
	}
	ijw_buf_free(&v.b);
}

ijw_rc
ijw_ledger_apply(const struct ijw_ledger *l, const ijw_doc *doc, int64_t msg,
                 const struct ijw_ledger_opts *o)
{
	struct ctx c;
	char k[KEY_MAX], id[24], client[IJW_CLIENT_SIZE];
	struct val v;
	int seen;

	if (!ctx_init(&c, l, doc, o))
		return IJW_OK;
	c.msg = msg;
	/* a message is applied once */
	val_init(&v);
	seen = key(&c, k, "H", c.route.from, ijw_msgdef(c.type)->name, c.route.identificatie, NULL)
	               ? get(&c, k, &v)
	               : -1;
	ijw_buf_free(&v.b);
	if (seen != 0)
		return c.rc;
	snprintf(id, sizeof id, "%lld", (long long)msg);
	put(&c, k, id, NULL);
	if (c.type == IJW_JW323)
		apply_declaratie(&c);
	else if (c.type == IJW_JW325)
		apply_antwoord_declaratie(&c);
	if (ijw_msgdef(c.type)->retour)
		apply_retour(&c);
	for (size_t i = 0; i < ijw_doc_nrecords(doc) && !c.rc; i++) {
		const struct ijw_record *r = ijw_doc_record(doc, i);
		char ref[40];

		if (c.type == IJW_JW301 && strcmp(r->level, "ToegewezenProduct") == 0)
			apply_toewijzing(&c, r);
		else if (c.type == IJW_JW305 && strcmp(r->level, "StartProduct") == 0)
			apply_start(&c, r);
		else if (c.type == IJW_JW307 && strcmp(r->level, "StopProduct") == 0)
			apply_stop(&c, r);
		else if (c.type == IJW_JW315 && strcmp(r->level, "AangevraagdProduct") == 0 &&
		         client_of(&c, bsn_of(doc, r), client))
			apply_request(&c, client,
			              txt(r->node, "ReferentieAanbieder", ref, sizeof ref),
			              "JW315");
		else if (c.type == IJW_JW317 && strcmp(r->level, "Verzoek") == 0 &&
		         client_of(&c, bsn_of(doc, r), client))
			apply_request(&c, client,
			              txt(r->node, "ReferentieAanbieder", ref, sizeof ref),
			              "JW317");
		else if (c.type == IJW_JW319 && strcmp(r->level, "Antwoord") == 0)
			apply_antwoord(&c, r);
	}
	return c.rc;
}

int
ijw_ledger_product(const struct ijw_ledger *l, const char *gemeente, const char *nummer,
                   char cat[3], char code[6])
{
	struct ctx c = {.l = l, .g = gemeente};
	struct assignment as;

	if (assignment_get(&c, nummer, &as) < 0)
		return -1;
	copy(cat, 3, as.cat);
	copy(code, 6, as.code);
	return as.found;
}

/* ---- the state of one assignment ---- */

static void
show_version(struct ijw_buf *out, const char *label, struct val *v)
{
	ijw_buf_addf(out, "%s %s: product %s %s, %s to %s", label, v->f[A_VERSION], v->f[A_CAT],
	             v->f[A_CODE], v->f[A_INGANG], *v->f[A_EIND] ? v->f[A_EIND] : "(open)");
	if (*v->f[A_VOLUME])
		ijw_buf_addf(out, ", Omvang %s (Eenheid %s, Frequentie %s)", v->f[A_VOLUME],
		             v->f[A_EENHEID], v->f[A_FREQ]);
	if (*v->f[A_BUDGET])
		ijw_buf_addf(out, ", Budget %s euro", v->f[A_BUDGET]);
	if (*v->f[A_REDEN])
		ijw_buf_addf(out, ", RedenWijziging %s", v->f[A_REDEN]);
	if (*v->f[A_REF])
		ijw_buf_addf(out, ", ReferentieAanbieder %s", v->f[A_REF]);
	if (v->f[A_AKKOORD][0] == '1')
		ijw_buf_addstr(out, ", the regisseur agreed");
	ijw_buf_addstr(out, "\n");
}

int
ijw_ledger_show(const struct ijw_ledger *l, const char *gemeente, const char *aanbieder,
                const char *nummer, const struct ijw_ledger_opts *o, struct ijw_buf *out)
{
	struct ctx c = {.l = l, .o = o, .g = gemeente, .a = aanbieder};
	char k[KEY_MAX], ver[16];
	struct assignment as;
	struct collect cl;
	struct val v;
	int r;

	if (assignment_get(&c, nummer, &as) < 0)
		return -1;
	if (!as.found || strcmp(as.aanbieder, aanbieder) != 0)
		return 0;
	val_init(&v);
	ijw_buf_addf(out, "assignment %s of municipality %s to provider %s\n", nummer, gemeente,
	             aanbieder);
	for (int i = 1; i <= as.version && !c.rc; i++) {
		snprintf(ver, sizeof ver, "%d", i);
		if (key(&c, k, "A", gemeente, nummer, "V", ver, NULL) && get(&c, k, &v) == 1)
			show_version(out, i == as.version ? "version (current)" : "version", &v);
	}
	if (key(&c, k, "A", gemeente, nummer, "S", aanbieder, as.client, NULL) &&
	    !scan(&c, k, &cl)) {
		for (size_t i = 0; i < cl.n; i++) {
			char begin[IJW_DATE_SIZE], cat[3], code[6];

			field(cl.keys[i], 6, begin, sizeof begin);
			field(cl.keys[i], 7, cat, sizeof cat);
			field(cl.keys[i], 8, code, sizeof code);
			ijw_buf_addf(out, "start: %s, product %s %s, message %s\n", begin, cat,
			             code, cl.vals[i]);
		}
		collect_free(&cl);
	}
	if (key(&c, k, "A", gemeente, nummer, "P", aanbieder, as.client, NULL) &&
	    !scan(&c, k, &cl)) {
		for (size_t i = 0; i < cl.n; i++) {
			char begin[IJW_DATE_SIZE], reden[3], eind[IJW_DATE_SIZE];

			field(cl.keys[i], 6, begin, sizeof begin);
			field(cl.keys[i], 7, reden, sizeof reden);
			field(cl.keys[i], 8, eind, sizeof eind);
			ijw_buf_addf(out,
			             "stop: delivery from %s ended %s, RedenBeeindiging %s%s, "
			             "message %s\n",
			             begin, eind, reden, strcmp(reden, "20") ? "" : " (temporary)",
			             cl.vals[i]);
		}
		collect_free(&cl);
	}
	long long volume = 0, amount = 0, n_approved = approved_debits(&c, nummer);
	char euros[24];

	if (key(&c, k, "A", gemeente, nummer, "G", aanbieder, NULL) && (r = get(&c, k, &v)) == 1) {
		volume = num(v.f[G_VOLUME]);
		amount = num(v.f[G_AMOUNT]);
	}
	ijw_cents_format(amount, euros, sizeof euros);
	ijw_buf_addf(out, "declared: %s euro, %lld approved debit prestaties not credited\n", euros,
	             n_approved);
	if (as.volume >= 0) {
		long long total = omvang_over(&as, as.ingang, as.eind);
		const char *unit = strcmp(as.eenheid, "04") == 0 ? " minutes" : "";

		if (total >= 0)
			ijw_buf_addf(out, "Omvang: %lld%s declared of %lld, %lld left\n", volume,
			             unit, total, total - volume);
		else
			ijw_buf_addf(out,
			             "Omvang: %lld%s declared (the assignment is open-ended)\n",
			             volume, unit);
	}
	if (as.budget >= 0) {
		char left[24];

		ijw_cents_format(as.budget * 100 - amount, left, sizeof left);
		ijw_buf_addf(out, "Budget: %lld euro, %s euro left\n", as.budget, left);
	}
	if (o && o->products) {
		const struct ijw_combination *kb = combination_of(&c, as.cat, as.code);
		int y, m, d;

		ijw_date_to_ymd(o->today, &y, &m, &d);
		for (unsigned profile = 0; profile <= (kb ? 1u : 0u); profile++) {
			unsigned pr = profile ? kb->profile : 0;
			long ceiling = ijw_products_ceiling(o->products, aanbieder, y, pr);
			char was[24], left[24];

			if (ceiling < 0)
				continue;
			ijw_cents_format(year_amount(&c, y, pr), was, sizeof was);
			ijw_cents_format(ceiling - year_amount(&c, y, pr), left, sizeof left);
			ijw_buf_addf(
			        out,
			        "ceiling %d%s%s of provider %s: %s euro declared, %s euro left\n",
			        y, pr ? " profile " : "", pr ? kb->id : "", aanbieder, was, left);
		}
	}
	ijw_buf_free(&v.b);
	return c.rc ? -1 : 1;
}
