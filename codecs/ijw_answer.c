/*
 * ijw_answer.c: the next message of a conversation.
 *
 * A retour (and the JW325 of a declaration) is ijw_retour()'s answer without
 * findings. The other messages are written with the generator's writer
 * (ijw_gen.h): what continues the conversation is read from `from`, what is
 * new to it (a ToewijzingNummer, a ReferentieAanbieder, a tariff, the
 * client's address) is drawn from the seed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ijw_answer.h"
#include "ijw_gen.h"
#include "ijw_retour.h"

struct ans {
	const ijw_doc *from;
	const struct ijw_answer_opts *o;
	ijw_gen_writer *w;
	ijw_day from_dag; /* from's Dagtekening */
	char *err;
	size_t errsize;
};

/* The messages that follow from another besides its retour. */
static const struct {
	enum ijw_type from, to;
} follows[] = {
        {IJW_JW301, IJW_JW305}, {IJW_JW301, IJW_JW307}, {IJW_JW301, IJW_JW317},
        {IJW_JW301, IJW_JW323}, {IJW_JW305, IJW_JW307}, {IJW_JW315, IJW_JW301},
        {IJW_JW315, IJW_JW319}, {IJW_JW317, IJW_JW319},
};

#define NFOLLOWS (sizeof follows / sizeof follows[0])

static bool
follows_from(enum ijw_type from, enum ijw_type to)
{
	const struct ijw_msgdef *def = ijw_msgdef(from);

	if (!def->retour && def->pair == to)
		return true;
	for (size_t i = 0; i < NFOLLOWS; i++)
		if (follows[i].from == from && follows[i].to == to)
			return true;
	return false;
}

static ijw_rc fail(struct ans *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static ijw_rc
fail(struct ans *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, a->errsize, fmt, ap);
	va_end(ap);
	return IJW_EINVAL;
}

/* "JW305 JW307 ..." into list: the types that follow from type. */
static void
list_follows(enum ijw_type from, char *list, size_t size)
{
	size_t len = 0;

	list[0] = '\0';
	for (enum ijw_type t = IJW_JW301; t < IJW_TYPE_END && len < size; t++)
		if (follows_from(from, t))
			len += (size_t)snprintf(list + len, size - len, "%s%s", len ? " " : "",
			                        ijw_msgdef(t)->name);
}

/* The text at path below node, "" when there is none. */
static const char *
txt(const void *node, const char *path, char *buf, size_t size)
{
	const void *n = ijw_node_at(node, path);

	if (!n || !ijw_node_text(n, buf, size))
		buf[0] = '\0';
	return buf;
}

/* The leaf name with the text at path below node, when there is one. */
static void
copy_leaf(struct ans *a, const void *node, const char *path, bool basis, const char *name)
{
	char v[256];

	if (*txt(node, path, v, sizeof v))
		ijw_gen_leaf(a->w, basis, name, v);
}

static ijw_day
max_day(ijw_day x, ijw_day y)
{
	return x > y ? x : y;
}

static ijw_day
min_day(ijw_day x, ijw_day y)
{
	return x < y ? x : y;
}

/* The record-th record at level of from, or NULL with the reason in err. */
static const struct ijw_record *
record_at(struct ans *a, const char *level)
{
	size_t n = 0;

	for (size_t i = 0; i < ijw_doc_nrecords(a->from); i++) {
		const struct ijw_record *r = ijw_doc_record(a->from, i);

		if (strcmp(r->level, level) == 0 && n++ == a->o->record)
			return r;
	}
	fail(a, "record %zu: the %s has %zu %s record%s (counted from 0)", a->o->record,
	     ijw_msgdef(ijw_doc_type(a->from))->name, n, level, n == 1 ? "" : "s");
	return NULL;
}

/* The Client element of from. */
static const void *
client_of(struct ans *a)
{
	return ijw_node_at(ijw_doc_root(a->from), "Client");
}

/*
 * The client as the answer carries it: the full name (CDT_VolledigeNaam) of
 * an assignment or the short one (CDT_VerkorteNaam) of the provider's messages.
 */
static void
write_client(struct ans *a, const void *client, bool volledig)
{
	copy_leaf(a, client, "Bsn", false, "Bsn");
	ijw_gen_open(a->w, false, "Geboortedatum");
	copy_leaf(a, client, "Geboortedatum/Datum", true, "Datum");
	copy_leaf(a, client, "Geboortedatum/DatumGebruik", true, "DatumGebruik");
	ijw_gen_close(a->w, false, "Geboortedatum");
	copy_leaf(a, client, "Geslacht", false, "Geslacht");
	ijw_gen_open(a->w, false, "Naam");
	ijw_gen_open(a->w, true, "Geslachtsnaam");
	copy_leaf(a, client, "Naam/Geslachtsnaam/Achternaam", true, "Achternaam");
	copy_leaf(a, client, "Naam/Geslachtsnaam/Voorvoegsel", true, "Voorvoegsel");
	ijw_gen_close(a->w, true, "Geslachtsnaam");
	copy_leaf(a, client, "Naam/Voornamen", true, "Voornamen");
	copy_leaf(a, client, "Naam/Voorletters", true, "Voorletters");
	if (volledig)
		ijw_gen_leaf(a->w, true, "NaamGebruik", "1");
	ijw_gen_close(a->w, false, "Naam");
}

/* The Product of r; none for an assignment of no product (a Budget alone). */
static void
write_product(struct ans *a, const struct ijw_record *r)
{
	if (!*r->categorie)
		return;
	ijw_gen_open(a->w, false, "Product");
	ijw_gen_leaf(a->w, true, "Categorie", r->categorie);
	if (*r->productcode)
		ijw_gen_leaf(a->w, true, "Code", r->productcode);
	ijw_gen_close(a->w, false, "Product");
}

/* The Omvang of node (a product of an assignment or request), or its Budget. */
static void
write_omvang(struct ans *a, const void *node)
{
	if (!ijw_node_at(node, "Omvang")) {
		copy_leaf(a, node, "Budget", false, "Budget");
		return;
	}
	ijw_gen_open(a->w, false, "Omvang");
	copy_leaf(a, node, "Omvang/Volume", true, "Volume");
	copy_leaf(a, node, "Omvang/Eenheid", true, "Eenheid");
	copy_leaf(a, node, "Omvang/Frequentie", true, "Frequentie");
	ijw_gen_close(a->w, false, "Omvang");
}

static ijw_rc
dated(struct ans *a, ijw_day dag, const char *what, ijw_day earliest)
{
	char d[IJW_DATE_SIZE], e[IJW_DATE_SIZE];

	if (dag >= earliest)
		return IJW_OK;
	ijw_date_format(dag, d);
	ijw_date_format(earliest, e);
	return fail(a, "Dagtekening %s is before %s (%s)", d, what, e);
}

/* ---- JW305 and JW307 ---- */

/*
 * A start (eind 0) or a stop of assignment r: its ToewijzingIngangsdatum
 * ingang, its delivery from begin to eind.
 */
static void
write_delivery(struct ans *a, const struct ijw_record *r, ijw_day ingang, ijw_day begin,
               ijw_day eind)
{
	const char *rec = eind ? "StopProduct" : "StartProduct";

	ijw_gen_open(a->w, false, "Client");
	write_client(a, client_of(a), false);
	ijw_gen_open(a->w, false, eind ? "StopProducten" : "StartProducten");
	ijw_gen_open(a->w, false, rec);
	ijw_gen_leaf(a->w, false, "ToewijzingNummer", r->toewijzingnummer);
	write_product(a, r);
	ijw_gen_date(a->w, false, "ToewijzingIngangsdatum", ingang);
	ijw_gen_date(a->w, false, "Begindatum", begin);
	if (eind) {
		ijw_gen_leaf(a->w, false, "RedenBeeindiging", "31");
		ijw_gen_date(a->w, false, "Einddatum", eind);
	}
	ijw_gen_leaf(a->w, false, "StatusAanlevering", "1");
	ijw_gen_close(a->w, false, rec);
	ijw_gen_close(a->w, false, eind ? "StopProducten" : "StartProducten");
	ijw_gen_close(a->w, false, "Client");
}

/* JW305 or JW307 from a JW301: the delivery of one assigned product from its Ingangsdatum. */
static ijw_rc
start_stop_of_assignment(struct ans *a, bool stop)
{
	const struct ijw_record *r = record_at(a, "ToegewezenProduct");
	ijw_day ingang, eind, dag = a->o->dagtekening;
	ijw_rc rc;

	if (!r)
		return IJW_EINVAL;
	ingang = ijw_date_or(r->begindatum, a->from_dag);
	eind = min_day(ijw_date_or(r->einddatum, IJW_DAY_MAX),
	               max_day(ingang, dag ? dag : a->from_dag));
	if ((rc = dated(a, dag ? dag : IJW_DAY_MAX, "the Ingangsdatum of the assignment", ingang)))
		return rc;
	ijw_gen_header(a->w, dag ? dag : max_day(a->from_dag, stop ? eind : ingang));
	write_delivery(a, r, ingang, ingang, stop ? eind : 0);
	return IJW_OK;
}

/* JW307 from a JW305: the stop of the start, on its Dagtekening or the answer's. */
static ijw_rc
stop_of_start(struct ans *a)
{
	const struct ijw_record *r = record_at(a, "StartProduct");
	char ingang[IJW_DATE_SIZE], begin[IJW_DATE_SIZE];
	ijw_day b, dag = a->o->dagtekening;
	ijw_rc rc;

	if (!r)
		return IJW_EINVAL;
	b = ijw_date_or(txt(r->node, "Begindatum", begin, sizeof begin), a->from_dag);
	if ((rc = dated(a, dag ? dag : IJW_DAY_MAX, "the Begindatum of the start", b)))
		return rc;
	if (!dag)
		dag = max_day(a->from_dag, b);
	ijw_gen_header(a->w, dag);
	write_delivery(
	        a, r, ijw_date_or(txt(r->node, "ToewijzingIngangsdatum", ingang, sizeof ingang), b),
	        b, dag);
	return IJW_OK;
}

/* ---- JW317 ---- */

/* Whether assignment r is still actual on dag: not removed or void, not ended. */
static bool
actual(const struct ijw_record *r, ijw_day dag)
{
	char reden[3];

	txt(r->node, "RedenWijziging", reden, sizeof reden);
	return strcmp(reden, "13") != 0 && strcmp(reden, "01") != 0 &&
	       ijw_date_or(r->einddatum, IJW_DAY_MAX) >= dag;
}

/*
 * A change of one product from the day after the Dagtekening (or its
 * Ingangsdatum when later) to its Einddatum, listing the other actual ones
 * unchanged.
 */
static ijw_rc
verzoek_wijziging(struct ans *a)
{
	const struct ijw_record *r = record_at(a, "ToegewezenProduct");
	ijw_day dag = a->o->dagtekening ? a->o->dagtekening : a->from_dag + 1, gewenst, eind;
	char ref[16], d[IJW_DATE_SIZE];
	bool others = false;

	if (!r)
		return IJW_EINVAL;
	if (!actual(r, dag)) {
		ijw_date_format(dag, d);
		return fail(a, "assignment %s is not actual on %s: it ended or was withdrawn",
		            r->toewijzingnummer, d);
	}
	gewenst = max_day(dag + 1, ijw_date_or(r->begindatum, dag + 1));
	eind = ijw_date_or(r->einddatum, IJW_DAY_MAX);
	if (gewenst > eind)
		return fail(a, "assignment %s ends on %s: nothing of it is left to change",
		            r->toewijzingnummer, r->einddatum);
	ijw_gen_header(a->w, dag);
	ijw_gen_open(a->w, false, "Client");
	copy_leaf(a, client_of(a), "Bsn", false, "Bsn");
	ijw_gen_open(a->w, false, "Verzoek");
	snprintf(ref, sizeof ref, "VOW%07ld", ijw_gen_between(a->w, 1, 9999999));
	ijw_gen_leaf(a->w, false, "ReferentieAanbieder", ref);
	ijw_gen_leaf(a->w, false, "RedenVerzoek", "1");
	for (size_t i = 0; i < ijw_doc_nrecords(a->from); i++) {
		const struct ijw_record *o = ijw_doc_record(a->from, i);

		if (o == r || strcmp(o->level, "ToegewezenProduct") != 0 || !actual(o, dag))
			continue;
		if (!others)
			ijw_gen_open(a->w, false, "OngewijzigdeProducten");
		others = true;
		ijw_gen_open(a->w, false, "OngewijzigdProduct");
		ijw_gen_leaf(a->w, false, "ToewijzingNummer", o->toewijzingnummer);
		ijw_gen_close(a->w, false, "OngewijzigdProduct");
	}
	if (others)
		ijw_gen_close(a->w, false, "OngewijzigdeProducten");
	ijw_gen_open(a->w, false, "TeWijzigenProducten");
	ijw_gen_open(a->w, false, "TeWijzigenProduct");
	ijw_gen_leaf(a->w, false, "ToewijzingNummer", r->toewijzingnummer);
	ijw_gen_date(a->w, false, "GewensteIngangsdatum", gewenst);
	if (eind != IJW_DAY_MAX)
		ijw_gen_date(a->w, false, "Einddatum", eind);
	write_omvang(a, r->node);
	ijw_gen_close(a->w, false, "TeWijzigenProduct");
	ijw_gen_close(a->w, false, "TeWijzigenProducten");
	ijw_gen_close(a->w, false, "Verzoek");
	ijw_gen_close(a->w, false, "Client");
	return IJW_OK;
}

/* ---- JW323 ---- */

/* The period of assignment r within [first, last]; false when it has none there. */
static bool
within(const struct ijw_record *r, ijw_day first, ijw_day last, ijw_day *begin, ijw_day *end)
{
	*begin = max_day(first, ijw_date_or(r->begindatum, first));
	*end = min_day(last, ijw_date_or(r->einddatum, last));
	return *begin <= *end;
}

static void
write_prestatie(struct ans *a, const struct ijw_record *r, const char *nummer, unsigned line,
                ijw_day begin, ijw_day end, long tarief)
{
	char ref[24], eenheid[3], bedrag[24];
	const char *code = r->productcode, *unit = NULL;

	/* A Budget of a category: a product of it, which the assignment covers. */
	if (!*code && !ijw_gen_product_of(r->categorie, &code, &unit))
		code = "";

	ijw_gen_open(a->w, false, "Prestatie");
	ijw_gen_open(a->w, false, "ProductReferentie");
	snprintf(ref, sizeof ref, "%s-%02u", nummer, line);
	ijw_gen_leaf(a->w, true, "ReferentieNummer", ref);
	ijw_gen_close(a->w, false, "ProductReferentie");
	ijw_gen_leaf(a->w, false, "ToewijzingNummer", r->toewijzingnummer);
	ijw_gen_leaf(a->w, false, "ProductCategorie", r->categorie);
	ijw_gen_leaf(a->w, false, "ProductCode", code);
	ijw_gen_open(a->w, false, "ProductPeriode");
	ijw_gen_date(a->w, true, "Begindatum", begin);
	ijw_gen_date(a->w, true, "Einddatum", end);
	ijw_gen_close(a->w, false, "ProductPeriode");
	/* One unit: within the Omvang of any period of the assignment. */
	ijw_gen_leaf(a->w, false, "GeleverdVolume", "1");
	if (!*txt(r->node, "Omvang/Eenheid", eenheid, sizeof eenheid))
		snprintf(eenheid, sizeof eenheid, "%s", unit ? unit : "82");
	ijw_gen_leaf(a->w, false, "Eenheid", eenheid);
	snprintf(bedrag, sizeof bedrag, "%ld", tarief);
	ijw_gen_leaf(a->w, false, "ProductTarief", bedrag);
	ijw_gen_open(a->w, false, "IngediendBedrag");
	ijw_gen_leaf(a->w, true, "Bedrag", bedrag);
	ijw_gen_leaf(a->w, true, "DebetCredit", "D");
	ijw_gen_close(a->w, false, "IngediendBedrag");
	ijw_gen_close(a->w, false, "Prestatie");
}

/*
 * A declaration over the calendar month of the chosen product's Ingangsdatum,
 * of one unit of every product assigned in that month.
 */
static ijw_rc
declaratie(struct ans *a)
{
	const struct ijw_record *r = record_at(a, "ToegewezenProduct");
	char nummer[16], text[24];
	ijw_day first, last, begin, end, dag;
	long tarief, total = 0;
	unsigned line = 0;
	int y, m, d;
	ijw_rc rc;

	if (!r)
		return IJW_EINVAL;
	if (!*r->categorie)
		return fail(a,
		            "assignment %s names no product category (a Budget alone): "
		            "a declaration names the category of what it declares",
		            r->toewijzingnummer);
	ijw_date_to_ymd(ijw_date_or(r->begindatum, a->from_dag), &y, &m, &d);
	first = ijw_date_from_ymd(y, m, 1);
	last = first + ijw_month_days(y, m) - 1;
	dag = a->o->dagtekening ? a->o->dagtekening : max_day(a->from_dag, last + 1);
	if ((rc = dated(a, dag, "the day after the declared month", last + 1)))
		return rc;
	snprintf(nummer, sizeof nummer, "D%04d%02d%05ld", y, m, ijw_gen_between(a->w, 0, 99999));
	tarief = ijw_gen_between(a->w, 100, 25000);
	for (size_t i = 0; i < ijw_doc_nrecords(a->from); i++) {
		const struct ijw_record *p = ijw_doc_record(a->from, i);

		if (strcmp(p->level, "ToegewezenProduct") == 0 &&
		    within(p, first, last, &begin, &end))
			total += tarief;
	}
	ijw_gen_header(a->w, dag);
	ijw_gen_open(a->w, false, "Declaratie");
	ijw_gen_leaf(a->w, false, "DeclaratieNummer", nummer);
	ijw_gen_open(a->w, false, "DeclaratiePeriode");
	ijw_gen_date(a->w, true, "Begindatum", first);
	ijw_gen_date(a->w, true, "Einddatum", last);
	ijw_gen_close(a->w, false, "DeclaratiePeriode");
	ijw_gen_date(a->w, false, "DeclaratieDagtekening", dag);
	ijw_gen_open(a->w, false, "TotaalIngediendBedrag");
	snprintf(text, sizeof text, "%ld", total);
	ijw_gen_leaf(a->w, true, "TotaalBedrag", text);
	ijw_gen_leaf(a->w, true, "DebetCredit", "D");
	ijw_gen_close(a->w, false, "TotaalIngediendBedrag");
	ijw_gen_open(a->w, false, "Clienten");
	ijw_gen_open(a->w, false, "Client");
	copy_leaf(a, client_of(a), "Bsn", false, "Bsn");
	ijw_gen_open(a->w, false, "Prestaties");
	for (size_t i = 0; i < ijw_doc_nrecords(a->from); i++) {
		const struct ijw_record *p = ijw_doc_record(a->from, i);

		if (strcmp(p->level, "ToegewezenProduct") == 0 &&
		    within(p, first, last, &begin, &end))
			write_prestatie(a, p, nummer, ++line, begin, end, tarief);
	}
	ijw_gen_close(a->w, false, "Prestaties");
	ijw_gen_close(a->w, false, "Client");
	ijw_gen_close(a->w, false, "Clienten");
	ijw_gen_close(a->w, false, "Declaratie");
	return IJW_OK;
}

/* ---- JW301 and JW319 from a request ---- */

/* The assignment that honours every product of a JW315, each under its reference. */
static ijw_rc
toewijzing(struct ans *a)
{
	ijw_day dag = a->o->dagtekening ? a->o->dagtekening : a->from_dag + 1;
	long nr = ijw_gen_between(a->w, 100000, 899999999);
	char text[16];
	ijw_rc rc;

	if ((rc = dated(a, dag, "the Dagtekening of the request", a->from_dag)))
		return rc;
	ijw_gen_header(a->w, dag);
	ijw_gen_open(a->w, false, "Client");
	write_client(a, client_of(a), true);
	ijw_gen_contactgegevens(a->w);
	ijw_gen_open(a->w, false, "ToegewezenProducten");
	for (size_t i = 0; i < ijw_doc_nrecords(a->from); i++) {
		const struct ijw_record *p = ijw_doc_record(a->from, i);

		if (strcmp(p->level, "AangevraagdProduct") != 0)
			continue;
		ijw_gen_open(a->w, false, "ToegewezenProduct");
		snprintf(text, sizeof text, "%ld", nr++);
		ijw_gen_leaf(a->w, false, "ToewijzingNummer", text);
		copy_leaf(a, p->node, "ReferentieAanbieder", false, "ReferentieAanbieder");
		write_product(a, p);
		ijw_gen_date(a->w, false, "Toewijzingsdatum", dag);
		snprintf(text, sizeof text, "%02ld:%02ld:00", ijw_gen_between(a->w, 8, 17),
		         ijw_gen_between(a->w, 0, 59));
		ijw_gen_leaf(a->w, false, "Toewijzingstijd", text);
		copy_leaf(a, p->node, "ToewijzingIngangsdatum", false, "Ingangsdatum");
		copy_leaf(a, p->node, "ToewijzingEinddatum", false, "Einddatum");
		write_omvang(a, p->node);
		ijw_gen_close(a->w, false, "ToegewezenProduct");
	}
	ijw_gen_close(a->w, false, "ToegewezenProducten");
	ijw_gen_close(a->w, false, "Client");
	return IJW_OK;
}

/* The refusal of a request (a JW315's product, a JW317's change). */
static ijw_rc
antwoord(struct ans *a)
{
	const struct ijw_record *r = ijw_doc_type(a->from) == IJW_JW315
	                                     ? record_at(a, "AangevraagdProduct")
	                                     : record_at(a, "Verzoek");
	ijw_day dag = a->o->dagtekening ? a->o->dagtekening : a->from_dag + 1;
	ijw_rc rc;

	if (!r)
		return IJW_EINVAL;
	if ((rc = dated(a, dag, "the Dagtekening of the request", a->from_dag)))
		return rc;
	ijw_gen_header(a->w, dag);
	ijw_gen_open(a->w, false, "Antwoord");
	copy_leaf(a, r->node, "ReferentieAanbieder", false, "ReferentieAanbieder");
	ijw_gen_leaf(a->w, false, "VerzoekAntwoord", "1");
	ijw_gen_leaf(a->w, false, "RedenAfwijzingVerzoek", "1");
	ijw_gen_close(a->w, false, "Antwoord");
	return IJW_OK;
}

/* ---- the answer ---- */

static ijw_rc
retour(struct ans *a, struct ijw_buf *out)
{
	struct ijw_retour_opts ro = {.identificatie = a->o->identificatie,
	                             .dagtekening =
	                                     a->o->dagtekening ? a->o->dagtekening : a->from_dag};
	ijw_findings *none = ijw_findings_new();
	ijw_rc rc;

	if (!none)
		return IJW_ENOMEM;
	rc = ijw_retour(a->from, none, &ro, out);
	ijw_findings_free(none);
	if (rc == IJW_EINVAL)
		return fail(a, "the header lacks what a retour message must echo");
	return rc;
}

ijw_rc
ijw_answer(const ijw_doc *from, enum ijw_type type, const struct ijw_answer_opts *o,
           struct ijw_buf *out, char *err, size_t errsize)
{
	struct ans a = {.from = from, .o = o, .err = err, .errsize = errsize};
	const struct ijw_msgdef *fdef = ijw_msgdef(ijw_doc_type(from)), *def = ijw_msgdef(type);
	const struct ijw_header *h = ijw_doc_header(from);
	struct ijw_gen_opts go = {.seed = o->seed, .identificatie = o->identificatie};
	size_t start = out->len;
	char list[128];
	ijw_rc rc;

	err[0] = '\0';
	if (!def || !follows_from(fdef->type, type)) {
		list_follows(fdef->type, list, sizeof list);
		return fail(&a, "%s does not follow from a %s; from a %s follow%s %s",
		            def ? def->name : "that type", fdef->name, fdef->name,
		            *list ? "" : " no messages", list);
	}
	if (o->identificatie &&
	    (!*o->identificatie || strlen(o->identificatie) > IJW_ANSWER_ID_MAX))
		return fail(&a, "the identification '%s' is not 1 to %d characters",
		            o->identificatie, IJW_ANSWER_ID_MAX);
	if (!ijw_date_parse(h->dagtekening, &a.from_dag))
		return fail(&a, "the %s has no Dagtekening", fdef->name);
	if (!fdef->retour && fdef->pair == type)
		return retour(&a, out);
	go.gemeente = fdef->afzender == IJW_GEMEENTE ? h->afzender : h->ontvanger;
	go.aanbieder = fdef->afzender == IJW_GEMEENTE ? h->ontvanger : h->afzender;
	if (!(a.w = ijw_gen_begin(type, &go, out)))
		return fail(&a, "the %s's parties are not a gemeentecode and an AGB code",
		            fdef->name);
	switch (type) {
	case IJW_JW301:
		rc = toewijzing(&a);
		break;
	case IJW_JW305:
		rc = start_stop_of_assignment(&a, false);
		break;
	case IJW_JW307:
		rc = fdef->type == IJW_JW305 ? stop_of_start(&a)
		                             : start_stop_of_assignment(&a, true);
		break;
	case IJW_JW317:
		rc = verzoek_wijziging(&a);
		break;
	case IJW_JW323:
		rc = declaratie(&a);
		break;
	default:
		rc = antwoord(&a);
		break;
	}
	if (rc) {
		ijw_gen_end(a.w);
		out->len = start;
		return rc;
	}
	return ijw_gen_end(a.w);
}
