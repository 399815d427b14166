/*
 * ijw_gen.c: synthetic messages.
 *
 * A splitmix64 generator seeded from (type, seed) drives every choice, so a
 * message depends on nothing but its type and seed. The writer keeps the
 * first failure in gen.rc and turns later writes into no-ops, which keeps the
 * message builders free of error plumbing.
 *
 * Messages follow the standard beyond its schemas: a BSN passes the 11-proef,
 * an Omvang is given when a product code is, a weekly frequency comes with an
 * end date, Budget and Omvang exclude each other, events lie on or before the
 * Dagtekening and requested changes after it, a declaration covers one whole
 * calendar month and its total is the signed sum of its prestaties. An
 * assignment honours no request (its ReferentieAanbieder would name one that
 * nobody sent: TR379); ijw_answer() makes those that do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include "ijw_gen.h"
#include "ijw_value.h"

#define MAX_PRODUCTS 3
#define MAX_CLIENTS 4 /* of a declaration, unless asked for more */

struct gen {
	struct ijw_buf *b;
	uint64_t state; /* the draws of the heen message */
	uint64_t aux;   /* the draws only a retour message makes */
	char pfx[6];    /* namespace prefix of the message: "jw301" */
	const struct ijw_msgdef *def;
	int depth;
	ijw_rc rc;
	bool retour; /* write RetourCodes at every record level */
	ijw_day dag; /* Dagtekening of the (heen) message */
	const char *gemeente, *plaats;
	char aanbieder[9];
	unsigned clients; /* of a declaration; 0: from 1 to MAX_CLIENTS */
	const char *id;   /* the message's own identification; NULL: drawn */
};

/* ---- choices ---- */

static uint64_t
next(struct gen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static unsigned
pick(struct gen *g, unsigned n)
{
	return (unsigned)(next(g) % n);
}

/* A number in [lo, hi]. */
static long
between(struct gen *g, long lo, long hi)
{
	return lo + (long)pick(g, (unsigned)(hi - lo + 1));
}

static bool
chance(struct gen *g, unsigned percent)
{
	return pick(g, 100) < percent;
}

/*
 * pick() from the second stream: choices that only a retour message makes
 * come from there, so that they leave the echoed heen message as it is.
 */
static unsigned
pick_aux(struct gen *g, unsigned n)
{
	uint64_t heen = g->state;
	unsigned r;

	g->state = g->aux;
	r = pick(g, n);
	g->aux = g->state;
	g->state = heen;
	return r;
}

#define ONE_OF(g, arr) ((arr)[pick(g, sizeof(arr) / sizeof((arr)[0]))])

/* ---- writing ---- */

static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

static const char *
prefix(const struct gen *g, bool basis)
{
	return basis ? "ijw" : g->pfx;
}

static void
open_el(struct gen *g, bool basis, const char *name)
{
	if (!g->rc)
		g->rc = ijw_buf_addf(g->b, "%.*s<%s:%s>\n", g->depth, tabs, prefix(g, basis), name);
	g->depth++;
}

static void
close_el(struct gen *g, bool basis, const char *name)
{
	g->depth--;
	if (!g->rc)
		g->rc = ijw_buf_addf(g->b, "%.*s</%s:%s>\n", g->depth, tabs, prefix(g, basis),
		                     name);
}

static void leaf(struct gen *g, bool basis, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
leaf(struct gen *g, bool basis, const char *name, const char *fmt, ...)
{
	char value[256];
	va_list ap;

	if (g->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	if ((g->rc = ijw_buf_addf(g->b, "%.*s<%s:%s>", g->depth, tabs, prefix(g, basis), name)))
		return;
	if ((g->rc = ijw_buf_add_xml(g->b, value)))
		return;
	g->rc = ijw_buf_addf(g->b, "</%s:%s>\n", prefix(g, basis), name);
}

/* Message-namespace and basisschema-namespace shorthands. */
#define M_OPEN(g, n) open_el(g, false, n)
#define M_CLOSE(g, n) close_el(g, false, n)
#define B_OPEN(g, n) open_el(g, true, n)
#define B_CLOSE(g, n) close_el(g, true, n)
#define M_LEAF(g, n, ...) leaf(g, false, n, __VA_ARGS__)
#define B_LEAF(g, n, ...) leaf(g, true, n, __VA_ARGS__)

static void
date_leaf(struct gen *g, bool basis, const char *name, ijw_day day)
{
	char d[IJW_DATE_SIZE];

	ijw_date_format(day, d);
	leaf(g, basis, name, "%s", d);
}

static void
retourcodes(struct gen *g, const char *code)
{
	if (!g->retour)
		return;
	M_OPEN(g, "RetourCodes");
	M_LEAF(g, "RetourCode", "%s", code);
	M_CLOSE(g, "RetourCodes");
}

/* ---- the world: parties, people, products ---- */

static const struct {
	const char *code, *plaats;
} gemeenten[] = {
        {"0363", "Amsterdam"}, {"0479", "Zaandam"},    {"0796", "'s-Hertogenbosch"},
        {"0384", "Diemen"},    {"0362", "Amstelveen"}, {"0439", "Purmerend"},
        {"0415", "Landsmeer"}, {"0431", "Oostzaan"},   {"0880", "Wormerland"},
};

static const char *const achternamen[] = {
        "Jansen",  "Vries",   "Berg",     "Bakker", "Visser",    "Smit",      "Meijer",  "Boer",
        "Mulder",  "Groot",   "Bos",      "Vos",    "Peters",    "Hendriks",  "Leeuwen", "Dekker",
        "Brouwer", "Wit",     "Dijkstra", "Yılmaz", "El Amrani", "Bouzid",    "Kaya",    "Çelik",
        "Nguyen",  "Martens", "Kok",      "Jacobs", "Haan",      "Vermeulen",
};
static const char *const voorvoegsels[] = {"de", "van", "van der", "van den", "ter"};
static const char *const voornamen[] = {
        "Daan", "Sem",   "Noah",  "Lucas", "Emma",    "Julia", "Mila", "Tess", "Sophie", "Zoë",
        "Finn", "Liam",  "Sara",  "Nora",  "Mohamed", "Ayoub", "Yara", "Noor", "Daniël", "Anouk",
        "Levi", "Lotte", "Amira", "Thijs", "Fleur",   "Ilse",  "Bram", "Eva",  "Sanne",  "Jesse",
};
static const char *const straten[] = {
        "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg",    "Schoolstraat", "Van Woustraat",
        "Hoofdweg",   "Zuiddijk",    "Westzijde",   "Julianalaan", "Vinkenstraat", "Lindelaan",
};
static const char *const talen[] = {"Arabisch", "Turks", "Pools", "Tigrinya", "Oekraïens"};

struct person {
	char bsn[10];
	ijw_day geboren;
	char geslacht;
	const char *achternaam, *voorvoegsel, *voornaam;
};

static void
make_bsn(struct gen *g, char *bsn)
{
	do {
		int sum = 0;

		bsn[0] = (char)('1' + pick(g, 9));
		for (int i = 1; i < 8; i++)
			bsn[i] = (char)('0' + pick(g, 10));
		for (int i = 0; i < 8; i++)
			sum += (9 - i) * (bsn[i] - '0');
		bsn[8] = (char)('0' + sum % 11);
		bsn[9] = '\0';
	} while (!ijw_bsn_valid(bsn));
}

/* A person born between the two days. */
static void
make_person(struct gen *g, struct person *p, ijw_day from, ijw_day to)
{
	make_bsn(g, p->bsn);
	p->geboren = between(g, from, to);
	p->geslacht = (char)('1' + pick(g, 2));
	if (chance(g, 3))
		p->geslacht = '0';
	p->achternaam = ONE_OF(g, achternamen);
	p->voorvoegsel = chance(g, 35) ? ONE_OF(g, voorvoegsels) : NULL;
	p->voornaam = ONE_OF(g, voornamen);
}

static void
write_achternaam(struct gen *g, const char *el, const struct person *p)
{
	B_OPEN(g, el);
	B_LEAF(g, "Achternaam", "%s", p->achternaam);
	if (p->voorvoegsel)
		B_LEAF(g, "Voorvoegsel", "%s", p->voorvoegsel);
	B_CLOSE(g, el);
}

/* CDT_VolledigeNaam: the name as the municipality registers it. */
static void
write_volledige_naam(struct gen *g, const struct person *p)
{
	M_OPEN(g, "Naam");
	write_achternaam(g, "Geslachtsnaam", p);
	B_LEAF(g, "Voornamen", "%s", p->voornaam);
	B_LEAF(g, "Voorletters", "%c", p->voornaam[0]);
	B_LEAF(g, "NaamGebruik", "1");
	M_CLOSE(g, "Naam");
}

/* CDT_VerkorteNaam: the short form in provider messages. */
static void
write_verkorte_naam(struct gen *g, const struct person *p)
{
	M_OPEN(g, "Naam");
	write_achternaam(g, "Geslachtsnaam", p);
	if (chance(g, 70))
		B_LEAF(g, "Voornamen", "%s", p->voornaam);
	B_LEAF(g, "Voorletters", "%c", p->voornaam[0]);
	M_CLOSE(g, "Naam");
}

static void
write_geboortedatum(struct gen *g, const struct person *p)
{
	M_OPEN(g, "Geboortedatum");
	date_leaf(g, true, "Datum", p->geboren);
	M_CLOSE(g, "Geboortedatum");
}

/* A contact with a Dutch address and, mostly, a telephone number. */
static void
write_contact(struct gen *g, const char *soort)
{
	M_OPEN(g, "Contact");
	M_LEAF(g, "Soort", "%s", soort);
	M_OPEN(g, "Adres");
	B_OPEN(g, "Huis");
	B_LEAF(g, "Huisnummer", "%ld", between(g, 1, 240));
	if (chance(g, 15))
		B_LEAF(g, "Huisletter", "%c", (char)('A' + pick(g, 4)));
	if (chance(g, 10))
		B_LEAF(g, "HuisnummerToevoeging", "%s", chance(g, 50) ? "BS" : "2HG");
	B_CLOSE(g, "Huis");
	B_LEAF(g, "Postcode", "%ld%c%c", between(g, 1000, 9999), (char)('A' + pick(g, 18)),
	       (char)('A' + pick(g, 26)));
	B_LEAF(g, "Straatnaam", "%s", ONE_OF(g, straten));
	B_LEAF(g, "Plaatsnaam", "%s", g->plaats);
	B_LEAF(g, "LandCode", "NL");
	M_CLOSE(g, "Adres");
	if (chance(g, 80)) {
		M_OPEN(g, "Telefoon");
		B_OPEN(g, "Telefoon01");
		B_LEAF(g, "Telefoonnummer", "06%08ld", between(g, 10000000, 99999999));
		B_LEAF(g, "Landnummer", "0031");
		B_CLOSE(g, "Telefoon01");
		M_CLOSE(g, "Telefoon");
	}
	if (chance(g, 30))
		M_LEAF(g, "Emailadres", "contact%ld@example.nl", between(g, 1, 9999));
	retourcodes(g, "0200");
	M_CLOSE(g, "Contact");
}

/* How a product is measured: its Eenheid and Frequentie in an Omvang. */
enum unit {
	U_OUTPUT,  /* 82 stuks (output), total over the assignment */
	U_UUR,     /* 04 hours per week */
	U_MINUUT,  /* 01 minutes per month */
	U_ETMAAL,  /* 14 days and nights per month */
	U_DAGDEEL, /* 16 half-days per week */
};

/* Products of the national Jeugdwet product code list. */
static const struct product {
	const char *categorie, *code;
	enum unit unit;
} products[] = {
        {"40", "40A01", U_OUTPUT},  {"40", "40A03", U_UUR},    {"41", "41A02", U_OUTPUT},
        {"41", "41A18", U_DAGDEEL}, {"43", "43A01", U_ETMAAL}, {"43", "43A09", U_ETMAAL},
        {"43", "43A10", U_ETMAAL},  {"44", "44A03", U_ETMAAL}, {"44", "44A29", U_ETMAAL},
        {"45", "45A06", U_MINUUT},  {"45", "45A14", U_OUTPUT}, {"45", "45A22", U_OUTPUT},
        {"45", "45A51", U_UUR},     {"45", "45A54", U_UUR},    {"45", "45A65", U_UUR},
        {"46", "46A01", U_UUR},     {"46", "46B00", U_OUTPUT}, {"47", "47A01", U_OUTPUT},
        {"47", "47B00", U_OUTPUT},  {"48", "48B10", U_OUTPUT},
};

#define NPRODUCTS (sizeof products / sizeof products[0])

/* n different products. */
static void
pick_products(struct gen *g, const struct product **out, int n)
{
	unsigned first = pick(g, NPRODUCTS), step = 1 + pick(g, 3);

	for (int i = 0; i < n; i++)
		out[i] = &products[(first + (unsigned)i * step) % NPRODUCTS];
}

static const char *
eenheid(enum unit u)
{
	static const char *const codes[] = {"82", "04", "01", "14", "16"};

	return codes[u];
}

static void
write_omvang(struct gen *g, enum unit u)
{
	static const char *const freq[] = {"6", "2", "4", "4", "2"};
	long volume;

	switch (u) {
	case U_OUTPUT:
		volume = 1;
		break;
	case U_UUR:
		volume = between(g, 1, 8);
		break;
	case U_MINUUT:
		volume = 60 * between(g, 1, 10);
		break;
	case U_ETMAAL:
		volume = between(g, 20, 31);
		break;
	default:
		volume = between(g, 1, 6);
		break;
	}
	M_OPEN(g, "Omvang");
	B_LEAF(g, "Volume", "%ld", volume);
	B_LEAF(g, "Eenheid", "%s", eenheid(u));
	B_LEAF(g, "Frequentie", "%s", freq[u]);
	M_CLOSE(g, "Omvang");
}

static void
write_product(struct gen *g, const struct product *p, bool with_code)
{
	M_OPEN(g, "Product");
	B_LEAF(g, "Categorie", "%s", p->categorie);
	if (with_code)
		B_LEAF(g, "Code", "%s", p->code);
	M_CLOSE(g, "Product");
}

/* A ToewijzingNummer; consecutive products get consecutive numbers. */
static long
toewijzing_base(struct gen *g)
{
	return between(g, 100000, 899999999);
}

/* ---- header ---- */

static void
write_xsdversie(struct gen *g, const char *el)
{
	M_OPEN(g, el);
	B_LEAF(g, "BasisschemaXsdVersie", "1.0.0");
	B_LEAF(g, "BerichtXsdVersie", "1.0.0");
	M_CLOSE(g, el);
}

/* Twelve characters from alphabet, by draw(). */
static void
make_id(struct gen *g, unsigned (*draw)(struct gen *, unsigned), const char *alphabet, char *id)
{
	unsigned n = (unsigned)strlen(alphabet);

	for (int i = 0; i < 12; i++)
		id[i] = alphabet[draw(g, n)];
	id[12] = '\0';
}

static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

static void
write_identificatie(struct gen *g, const char *el, const char *id, ijw_day day)
{
	M_OPEN(g, el);
	B_LEAF(g, "Identificatie", "%s", id);
	date_leaf(g, true, "Dagtekening", day);
	M_CLOSE(g, el);
}

static const char *
party(const struct gen *g, enum ijw_party kind)
{
	return kind == IJW_GEMEENTE ? g->gemeente : g->aanbieder;
}

/* The header of a heen message, or of a retour message that echoes it. */
static void
write_header(struct gen *g, const char *header_code)
{
	char id[13];

	M_OPEN(g, "Header");
	M_LEAF(g, "BerichtCode", "%s", g->def->code);
	M_LEAF(g, "BerichtVersie", "3");
	M_LEAF(g, "BerichtSubversie", "2");
	M_LEAF(g, "Afzender", "%s", party(g, g->def->afzender));
	M_LEAF(g, "Ontvanger", "%s", party(g, g->def->ontvanger));
	make_id(g, pick, alnum, id);
	write_identificatie(g, "BerichtIdentificatie", g->id && !g->retour ? g->id : id, g->dag);
	write_xsdversie(g, "XsdVersie");
	if (g->retour) {
		make_id(g, pick_aux, alnum, id);
		M_LEAF(g, "IdentificatieRetour", "%s", g->id ? g->id : id);
		date_leaf(g, false, "DagtekeningRetour", g->dag + (ijw_day)pick_aux(g, 3));
		write_xsdversie(g, "XsdVersieRetour");
		retourcodes(g, header_code);
	}
	M_CLOSE(g, "Header");
}

/* ---- the messages ---- */

/*
 * Whether another of the n products has the category of product i. A product
 * given by category only (with a Budget) stands for every product of its
 * category, so it would overlap that other one (TR302).
 */
static bool
category_shared(const struct product **ps, int n, int i)
{
	for (int j = 0; j < n; j++)
		if (j != i && strcmp(ps[j]->categorie, ps[i]->categorie) == 0)
			return true;
	return false;
}

static void
body_toewijzing(struct gen *g)
{
	const struct product *ps[MAX_PRODUCTS];
	int n = (int)between(g, 1, MAX_PRODUCTS);
	long nr = toewijzing_base(g);
	struct person client, ouder;

	make_person(g, &client, g->dag - 17 * 365, g->dag - 30);
	M_OPEN(g, "Client");
	M_LEAF(g, "Bsn", "%s", client.bsn);
	write_geboortedatum(g, &client);
	M_LEAF(g, "Geslacht", "%c", client.geslacht);
	write_volledige_naam(g, &client);
	if (chance(g, 10)) {
		M_OPEN(g, "Communicatie");
		B_LEAF(g, "Vorm", "1");
		B_LEAF(g, "Taal", "%s", ONE_OF(g, talen));
		M_CLOSE(g, "Communicatie");
	}
	if (chance(g, 15))
		M_LEAF(g, "JuridischeStatus", "04");
	if (chance(g, 20))
		M_LEAF(g, "Commentaar", "Toewijzing na gesprek met het jeugdteam");
	if (chance(g, 70)) {
		int nouders = (int)between(g, 1, 2);

		M_OPEN(g, "Relaties");
		for (int i = 1; i <= nouders; i++) {
			make_person(g, &ouder, client.geboren - 50 * 365,
			            client.geboren - 18 * 365);
			M_OPEN(g, "Relatie");
			M_LEAF(g, "Nummer", "%d", i);
			M_LEAF(g, "Volgorde", "%d", i);
			M_LEAF(g, "Soort", "%s", chance(g, 90) ? "10" : "11");
			write_geboortedatum(g, &ouder);
			M_LEAF(g, "Geslacht", "%c", ouder.geslacht);
			write_volledige_naam(g, &ouder);
			write_contact(g, "01");
			retourcodes(g, "0200");
			M_CLOSE(g, "Relatie");
		}
		M_CLOSE(g, "Relaties");
	}
	M_OPEN(g, "Contactgegevens");
	write_contact(g, "01");
	if (chance(g, 20))
		write_contact(g, "02");
	M_CLOSE(g, "Contactgegevens");

	pick_products(g, ps, n);
	M_OPEN(g, "ToegewezenProducten");
	for (int i = 0; i < n; i++) {
		ijw_day ingang = g->dag + between(g, -14, 28);
		bool budget = chance(g, 15) && !category_shared(ps, n, i);

		M_OPEN(g, "ToegewezenProduct");
		M_LEAF(g, "ToewijzingNummer", "%ld", nr + i);
		write_product(g, ps[i], !budget);
		date_leaf(g, false, "Toewijzingsdatum", g->dag - between(g, 0, 3));
		M_LEAF(g, "Toewijzingstijd", "%02ld:%02ld:%02ld", between(g, 8, 17),
		       between(g, 0, 59), between(g, 0, 59));
		date_leaf(g, false, "Ingangsdatum", ingang);
		date_leaf(g, false, "Einddatum", ingang + 30 * between(g, 3, 12) - 1);
		if (chance(g, 10))
			M_LEAF(g, "RedenWijziging", "04");
		if (budget)
			M_LEAF(g, "Budget", "%ld", 100 * between(g, 1000, 25000));
		else
			write_omvang(g, ps[i]->unit);
		retourcodes(g, "0200");
		M_CLOSE(g, "ToegewezenProduct");
	}
	M_CLOSE(g, "ToegewezenProducten");
	retourcodes(g, "0200");
	M_CLOSE(g, "Client");
}

/* The client of a start, stop or request message, provider side. */
static void
write_client_kort(struct gen *g, const struct person *p)
{
	M_LEAF(g, "Bsn", "%s", p->bsn);
	write_geboortedatum(g, p);
	M_LEAF(g, "Geslacht", "%c", p->geslacht);
	write_verkorte_naam(g, p);
}

/* JW305 Start (stop false) or JW307 Stop (stop true). */
static void
body_start_stop(struct gen *g, bool stop)
{
	static const char *const reden[] = {"31", "31", "31", "32", "33", "34", "35", "38", "39"};
	const struct product *ps[MAX_PRODUCTS];
	int n = (int)between(g, 1, MAX_PRODUCTS);
	long nr = toewijzing_base(g);
	const char *rec = stop ? "StopProduct" : "StartProduct";
	struct person client;

	make_person(g, &client, g->dag - 17 * 365, g->dag - 30);
	pick_products(g, ps, n);
	M_OPEN(g, "Client");
	write_client_kort(g, &client);
	M_OPEN(g, stop ? "StopProducten" : "StartProducten");
	for (int i = 0; i < n; i++) {
		ijw_day ingang = g->dag - between(g, stop ? 60 : 5, stop ? 365 : 60);
		ijw_day begin = ingang + between(g, 0, (g->dag - ingang) / 2);

		M_OPEN(g, rec);
		M_LEAF(g, "ToewijzingNummer", "%ld", nr + i);
		write_product(g, ps[i], true);
		date_leaf(g, false, "ToewijzingIngangsdatum", ingang);
		date_leaf(g, false, "Begindatum", begin);
		if (stop) {
			M_LEAF(g, "RedenBeeindiging", "%s", ONE_OF(g, reden));
			date_leaf(g, false, "Einddatum", between(g, begin, g->dag));
		}
		M_LEAF(g, "StatusAanlevering", "1");
		retourcodes(g, "0200");
		M_CLOSE(g, rec);
	}
	M_CLOSE(g, stop ? "StopProducten" : "StartProducten");
	retourcodes(g, "0200");
	M_CLOSE(g, "Client");
}

static void
write_verwijzer(struct gen *g)
{
	M_OPEN(g, "Verwijzer");
	switch (pick(g, 3)) {
	case 0:
		B_LEAF(g, "Type", "01");
		B_LEAF(g, "Naam", "Jeugdteam %s", g->plaats);
		break;
	case 1:
		B_LEAF(g, "Type", "02");
		B_LEAF(g, "ZorgverlenerCode", "01%06ld", between(g, 0, 999999));
		break;
	default:
		B_LEAF(g, "Type", "06");
		break;
	}
	M_CLOSE(g, "Verwijzer");
}

static void
body_verzoek_toewijzing(struct gen *g)
{
	const struct product *ps[MAX_PRODUCTS];
	int n = (int)between(g, 1, 2);
	long ref = between(g, 1, 9999999);
	struct person client;

	make_person(g, &client, g->dag - 17 * 365, g->dag - 30);
	pick_products(g, ps, n);
	M_OPEN(g, "Client");
	write_client_kort(g, &client);
	if (chance(g, 50))
		M_LEAF(g, "GezagsdragerBekend", "%c", chance(g, 70) ? '1' : '2');
	M_OPEN(g, "AangevraagdeProducten");
	for (int i = 0; i < n; i++) {
		ijw_day ingang = g->dag + between(g, 0, 21);

		M_OPEN(g, "AangevraagdProduct");
		M_LEAF(g, "ReferentieAanbieder", "VOT%07ld", ref + i);
		if (chance(g, 20)) {
			M_LEAF(g, "BeschikkingNummer", "%ld", between(g, 1000, 99999999));
			write_product(g, ps[i], true);
			date_leaf(g, false, "BeschikkingIngangsdatum", g->dag - between(g, 0, 30));
		} else {
			write_product(g, ps[i], true);
		}
		date_leaf(g, false, "ToewijzingIngangsdatum", ingang);
		date_leaf(g, false, "ToewijzingEinddatum", ingang + 30 * between(g, 3, 12) - 1);
		write_omvang(g, ps[i]->unit);
		write_verwijzer(g);
		retourcodes(g, "0200");
		M_CLOSE(g, "AangevraagdProduct");
	}
	M_CLOSE(g, "AangevraagdeProducten");
	retourcodes(g, "0200");
	M_CLOSE(g, "Client");
}

static void
body_verzoek_wijziging(struct gen *g)
{
	const struct product *ps[2];
	long nr = toewijzing_base(g);
	char bsn[10];
	bool ongewijzigd = chance(g, 50), nieuw = chance(g, 40);
	ijw_day ingang = g->dag + between(g, 1, 30);

	make_bsn(g, bsn);
	pick_products(g, ps, 2);
	M_OPEN(g, "Client");
	M_LEAF(g, "Bsn", "%s", bsn);
	M_OPEN(g, "Verzoek");
	M_LEAF(g, "ReferentieAanbieder", "VOW%07ld", between(g, 1, 9999999));
	M_LEAF(g, "RedenVerzoek", "%c", chance(g, 80) ? '1' : '2');
	if (ongewijzigd) {
		M_OPEN(g, "OngewijzigdeProducten");
		M_OPEN(g, "OngewijzigdProduct");
		M_LEAF(g, "ToewijzingNummer", "%ld", nr + 1);
		retourcodes(g, "0200");
		M_CLOSE(g, "OngewijzigdProduct");
		M_CLOSE(g, "OngewijzigdeProducten");
	}
	M_OPEN(g, "TeWijzigenProducten");
	M_OPEN(g, "TeWijzigenProduct");
	M_LEAF(g, "ToewijzingNummer", "%ld", nr);
	date_leaf(g, false, "GewensteIngangsdatum", ingang);
	date_leaf(g, false, "Einddatum", ingang + 30 * between(g, 3, 12) - 1);
	write_omvang(g, ps[0]->unit);
	retourcodes(g, "0200");
	M_CLOSE(g, "TeWijzigenProduct");
	M_CLOSE(g, "TeWijzigenProducten");
	if (nieuw) {
		M_OPEN(g, "NieuweProducten");
		M_OPEN(g, "NieuwProduct");
		write_product(g, ps[1], true);
		date_leaf(g, false, "GewensteIngangsdatum", ingang);
		date_leaf(g, false, "Einddatum", ingang + 30 * between(g, 3, 12) - 1);
		write_omvang(g, ps[1]->unit);
		retourcodes(g, "0200");
		M_CLOSE(g, "NieuwProduct");
		M_CLOSE(g, "NieuweProducten");
	}
	retourcodes(g, "0200");
	M_CLOSE(g, "Verzoek");
	retourcodes(g, "0200");
	M_CLOSE(g, "Client");
}

static void
body_antwoord(struct gen *g)
{
	bool afgewezen = chance(g, 60);
	unsigned reden = 1 + pick(g, 9);

	M_OPEN(g, "Antwoord");
	M_LEAF(g, "ReferentieAanbieder", "VOT%07ld", between(g, 1, 9999999));
	M_LEAF(g, "VerzoekAntwoord", "%c", afgewezen ? '1' : '2');
	if (afgewezen)
		M_LEAF(g, "RedenAfwijzingVerzoek", "%u", reden);
	if (afgewezen && reden == 8) {
		const char *other = ONE_OF(g, gemeenten).code;

		if (strcmp(other, g->gemeente) == 0)
			other = strcmp(other, "0363") ? "0363" : "0479";

		M_OPEN(g, "Woonplaatsbeginsel");
		M_LEAF(g, "Gemeente", "%s", other);
		retourcodes(g, "0200");
		M_CLOSE(g, "Woonplaatsbeginsel");
	}
	retourcodes(g, "0200");
	M_CLOSE(g, "Antwoord");
}

/* ---- declarations ---- */

struct prestatie {
	int client;
	char referentie[21], vorige[21];
	long toewijzing;
	const struct product *product;
	ijw_day begin, eind;
	long volume, tarief, bedrag;
	bool credit;
	const char *retourcode; /* in the answer: NULL when approved */
};

struct declaratie {
	char nummer[13];
	ijw_day begin, eind;
	char (*bsn)[10]; /* per client */
	int nclients;
	struct prestatie *p;
	int n;
};

static long
tarief(struct gen *g, enum unit u)
{
	switch (u) {
	case U_OUTPUT:
		return 100 * between(g, 450, 3200);
	case U_UUR:
		return between(g, 7500, 12500);
	case U_MINUUT:
		return between(g, 125, 210);
	case U_ETMAAL:
		return 100 * between(g, 140, 320);
	default:
		return between(g, 4800, 9500);
	}
}

/*
 * A ReferentieNummer: the declaration's number, a dash and the line number.
 * The VorigReferentieNummer of a credit line names a line of an earlier
 * declaration: a V in place of the D. Both fit their 20 characters for the
 * IJW_GEN_MAX_CLIENTS clients of the largest declaration.
 */
static void
referentie(char dst[21], const char *nummer, bool vorig, unsigned line)
{
	char ref[32];

	snprintf(ref, sizeof ref, "%s%.11s-%02u", vorig ? "V" : "D", nummer + 1, line);
	memcpy(dst, ref, 21);
	dst[20] = '\0';
}

/*
 * The BSN of client c of a declaration: a prefix drawn for the declaration,
 * five digits that are distinct for every c (7919 is prime to 100000) and
 * the check digit; a prefix digit moves where the check would be 10.
 */
static void
client_bsn(const char prefix[3], unsigned start, unsigned c, char *bsn)
{
	unsigned k = (start + c * 7919u) % 100000u;
	int sum;

	snprintf(bsn, 10, "%.3s%05u", prefix, k);
	for (;;) {
		sum = 0;
		for (int i = 0; i < 8; i++)
			sum += (9 - i) * (bsn[i] - '0');
		if (sum % 11 != 10)
			break;
		bsn[2] = (char)('0' + (bsn[2] - '0' + 1) % 10);
	}
	bsn[8] = (char)('0' + sum % 11);
	bsn[9] = '\0';
}

static void
free_declaratie(struct declaratie *d)
{
	free(d->bsn);
	free(d->p);
}

/* A declaration over the calendar month before the Dagtekening. */
static void
make_declaratie(struct gen *g, struct declaratie *d)
{
	char prefix[3];
	unsigned start;
	int y, m, day;

	memset(d, 0, sizeof *d);
	ijw_date_to_ymd(g->dag, &y, &m, &day);
	if (--m == 0) {
		m = 12;
		y--;
	}
	d->begin = ijw_date_from_ymd(y, m, 1);
	d->eind = ijw_date_from_ymd(y, m, ijw_month_days(y, m));
	snprintf(d->nummer, sizeof d->nummer, "D%04d%02d%05ld", y, m, between(g, 0, 99999));
	d->nclients = g->clients ? (int)g->clients : (int)between(g, 1, MAX_CLIENTS);
	d->bsn = calloc((size_t)d->nclients, sizeof *d->bsn);
	d->p = calloc((size_t)d->nclients * (MAX_PRODUCTS + 1), sizeof *d->p);
	if (!d->bsn || !d->p) {
		g->rc = IJW_ENOMEM;
		d->nclients = 0;
		return;
	}
	prefix[0] = (char)('1' + pick(g, 9));
	prefix[1] = (char)('0' + pick(g, 10));
	prefix[2] = (char)('0' + pick(g, 10));
	start = pick(g, 100000);
	for (int c = 0; c < d->nclients; c++) {
		const struct product *ps[MAX_PRODUCTS];
		int np = (int)between(g, 1, MAX_PRODUCTS);
		long nr = toewijzing_base(g);

		client_bsn(prefix, start, (unsigned)c, d->bsn[c]);
		pick_products(g, ps, np);
		for (int i = 0; i < np; i++) {
			struct prestatie *p = &d->p[d->n];

			p->client = c;
			referentie(p->referentie, d->nummer, false, (unsigned)d->n + 1);
			p->toewijzing = nr + i;
			p->product = ps[i];
			p->begin = d->begin + between(g, 0, 9);
			p->eind = between(g, p->begin + 10, d->eind);
			p->tarief = tarief(g, ps[i]->unit);
			p->volume = ps[i]->unit == U_OUTPUT   ? 1
			            : ps[i]->unit == U_ETMAAL ? p->eind - p->begin + 1
			                                      : between(g, 2, 40);
			p->bedrag = p->volume * p->tarief;
			d->n++;
		}
		if (chance(g, 15)) {
			/* A correction: crediting a line of an earlier declaration. */
			struct prestatie *p = &d->p[d->n], *orig = &d->p[d->n - 1];

			*p = *orig;
			referentie(p->referentie, d->nummer, false, (unsigned)d->n + 1);
			referentie(p->vorige, d->nummer, true, (unsigned)d->n + 1);
			p->credit = true;
			d->n++;
		}
	}
}

static long
signed_total(const struct declaratie *d, bool approved_only)
{
	long sum = 0;

	for (int i = 0; i < d->n; i++)
		if (!approved_only || !d->p[i].retourcode)
			sum += d->p[i].credit ? -d->p[i].bedrag : d->p[i].bedrag;
	return sum;
}

static void
write_totaal(struct gen *g, const char *el, long signed_sum)
{
	M_OPEN(g, el);
	B_LEAF(g, "TotaalBedrag", "%ld", signed_sum < 0 ? -signed_sum : signed_sum);
	B_LEAF(g, "DebetCredit", "%c", signed_sum < 0 ? 'C' : 'D');
	M_CLOSE(g, el);
}

static void
write_prestatie(struct gen *g, const struct prestatie *p)
{
	M_OPEN(g, "Prestatie");
	M_OPEN(g, "ProductReferentie");
	B_LEAF(g, "ReferentieNummer", "%s", p->referentie);
	if (p->credit)
		B_LEAF(g, "VorigReferentieNummer", "%s", p->vorige);
	M_CLOSE(g, "ProductReferentie");
	M_LEAF(g, "ToewijzingNummer", "%ld", p->toewijzing);
	M_LEAF(g, "ProductCategorie", "%s", p->product->categorie);
	M_LEAF(g, "ProductCode", "%s", p->product->code);
	M_OPEN(g, "ProductPeriode");
	date_leaf(g, true, "Begindatum", p->begin);
	date_leaf(g, true, "Einddatum", p->eind);
	M_CLOSE(g, "ProductPeriode");
	M_LEAF(g, "GeleverdVolume", "%ld", p->volume);
	M_LEAF(g, "Eenheid", "%s", eenheid(p->product->unit));
	M_LEAF(g, "ProductTarief", "%ld", p->tarief);
	M_OPEN(g, "IngediendBedrag");
	B_LEAF(g, "Bedrag", "%ld", p->bedrag);
	B_LEAF(g, "DebetCredit", "%c", p->credit ? 'C' : 'D');
	M_CLOSE(g, "IngediendBedrag");
	retourcodes(g, p->retourcode);
	M_CLOSE(g, "Prestatie");
}

/* The clients and their prestaties; in an answer only the rejected ones. */
static void
write_clienten(struct gen *g, const struct declaratie *d, bool rejected_only)
{
	M_OPEN(g, "Clienten");
	for (int c = 0; c < d->nclients; c++) {
		bool any = false;

		for (int i = 0; i < d->n; i++)
			any |= d->p[i].client == c && (!rejected_only || d->p[i].retourcode);
		if (!any)
			continue;
		M_OPEN(g, "Client");
		M_LEAF(g, "Bsn", "%s", d->bsn[c]);
		M_OPEN(g, "Prestaties");
		for (int i = 0; i < d->n; i++)
			if (d->p[i].client == c && (!rejected_only || d->p[i].retourcode))
				write_prestatie(g, &d->p[i]);
		M_CLOSE(g, "Prestaties");
		retourcodes(g, "0200");
		M_CLOSE(g, "Client");
	}
	M_CLOSE(g, "Clienten");
}

static void
body_declaratie(struct gen *g, const struct declaratie *d)
{
	M_OPEN(g, "Declaratie");
	M_LEAF(g, "DeclaratieNummer", "%s", d->nummer);
	M_OPEN(g, "DeclaratiePeriode");
	date_leaf(g, true, "Begindatum", d->begin);
	date_leaf(g, true, "Einddatum", d->eind);
	M_CLOSE(g, "DeclaratiePeriode");
	date_leaf(g, false, "DeclaratieDagtekening", g->dag);
	write_totaal(g, "TotaalIngediendBedrag", signed_total(d, false));
	write_clienten(g, d, false);
	M_CLOSE(g, "Declaratie");
}

/* JW325: the municipality's answer, listing the prestaties it rejects. */
static void
message_declaratie_antwoord(struct gen *g)
{
	static const char *const afwijzing[] = {"0611", "9338", "9340", "9307", "9321"};
	struct declaratie d;
	ijw_day ingediend = g->dag;
	char heen_id[13], id[13];
	bool rejected = pick_aux(g, 2);

	make_id(g, pick, alnum, heen_id);
	make_declaratie(g, &d);
	if (!d.n) {
		free_declaratie(&d);
		return;
	}
	if (rejected)
		d.p[pick_aux(g, (unsigned)d.n)].retourcode =
		        afwijzing[pick_aux(g, sizeof afwijzing / sizeof afwijzing[0])];
	g->dag = ingediend + 1 + (ijw_day)pick_aux(g, 20);
	make_id(g, pick_aux, alnum, id);
	M_OPEN(g, "Header");
	M_LEAF(g, "BerichtCode", "%s", g->def->code);
	M_LEAF(g, "BerichtVersie", "3");
	M_LEAF(g, "BerichtSubversie", "2");
	M_LEAF(g, "Afzender", "%s", g->gemeente);
	M_LEAF(g, "Ontvanger", "%s", g->aanbieder);
	write_identificatie(g, "BerichtIdentificatie", g->id ? g->id : id, g->dag);
	write_xsdversie(g, "XsdVersie");
	write_identificatie(g, "DeclaratieIdentificatie", heen_id, ingediend);
	write_xsdversie(g, "XsdVersieDeclaratie");
	retourcodes(g, "0200");
	M_CLOSE(g, "Header");
	M_OPEN(g, "DeclaratieAntwoord");
	M_LEAF(g, "DeclaratieNummer", "%s", d.nummer);
	write_totaal(g, "TotaalIngediendBedrag", signed_total(&d, false));
	write_totaal(g, "TotaalToegekendBedrag", signed_total(&d, true));
	if (rejected)
		write_clienten(g, &d, true);
	retourcodes(g, rejected ? "0200" : "8001");
	M_CLOSE(g, "DeclaratieAntwoord");
	free_declaratie(&d);
}

static void
write_body(struct gen *g, enum ijw_type heen)
{
	struct declaratie d;

	switch (heen) {
	case IJW_JW301:
		body_toewijzing(g);
		break;
	case IJW_JW305:
		body_start_stop(g, false);
		break;
	case IJW_JW307:
		body_start_stop(g, true);
		break;
	case IJW_JW315:
		body_verzoek_toewijzing(g);
		break;
	case IJW_JW317:
		body_verzoek_wijziging(g);
		break;
	case IJW_JW319:
		body_antwoord(g);
		break;
	default:
		make_declaratie(g, &d);
		body_declaratie(g, &d);
		free_declaratie(&d);
		break;
	}
}

ijw_rc
ijw_generate(enum ijw_type type, uint64_t seed, struct ijw_buf *out)
{
	struct ijw_gen_opts o = {.seed = seed};

	return ijw_generate_opts(type, &o, out);
}

static bool
code_of(const char *s, size_t len)
{
	return !s || (strlen(s) == len && strspn(s, "0123456789") == len);
}

/*
 * Draws the Dagtekening and the parties of a message of type from the seed
 * (a retour from its heen message's) and opens its root element.
 */
static ijw_rc
begin(struct gen *g, enum ijw_type type, const struct ijw_gen_opts *o, struct ijw_buf *out)
{
	const struct ijw_msgdef *def = ijw_msgdef(type);
	unsigned k;
	size_t i;

	if (!def || o->clients > IJW_GEN_MAX_CLIENTS ||
	    (o->clients && type != IJW_JW323 && type != IJW_JW325) || !code_of(o->gemeente, 4) ||
	    !code_of(o->aanbieder, 8) ||
	    (o->identificatie &&
	     (!*o->identificatie || strlen(o->identificatie) >= IJW_GEN_ID_SIZE)))
		return IJW_EINVAL;
	memset(g, 0, sizeof *g);
	g->b = out;
	g->def = def;
	g->clients = o->clients;
	g->id = o->identificatie;
	g->state = o->seed * 0x2545f4914f6cdd1du + (uint64_t)(def->retour ? def->pair : type);
	g->aux = ~g->state;
	for (i = 0; def->name[i] && i < sizeof g->pfx - 1; i++)
		g->pfx[i] = (char)(def->name[i] | 0x20);
	g->pfx[i] = '\0';
	g->retour = def->retour;
	g->dag = ijw_date_from_ymd(2025, 1, 1) + between(g, 0, 540);
	k = pick(g, sizeof gemeenten / sizeof gemeenten[0]);
	g->gemeente = gemeenten[k].code;
	g->plaats = gemeenten[k].plaats;
	snprintf(g->aanbieder, sizeof g->aanbieder, "4242%04ld", between(g, 0, 9999));
	if (o->gemeente) {
		g->gemeente = o->gemeente;
		for (k = 0; k < sizeof gemeenten / sizeof gemeenten[0]; k++)
			if (strcmp(gemeenten[k].code, o->gemeente) == 0)
				g->plaats = gemeenten[k].plaats;
	}
	if (o->aanbieder)
		memcpy(g->aanbieder, o->aanbieder, sizeof g->aanbieder);
	g->depth = 1;
	return ijw_buf_addf(out,
	                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s:Bericht "
	                    "xmlns:%s=\"%s\" xmlns:ijw=\"%s\">\n",
	                    g->pfx, g->pfx, def->ns, IJW_NS_BASIS);
}

static ijw_rc
end(struct gen *g)
{
	if (!g->rc)
		g->rc = ijw_buf_addf(g->b, "</%s:Bericht>\n", g->pfx);
	return g->rc;
}

ijw_rc
ijw_generate_opts(enum ijw_type type, const struct ijw_gen_opts *o, struct ijw_buf *out)
{
	struct gen g;

	if ((g.rc = begin(&g, type, o, out)))
		return g.rc;
	if (type == IJW_JW325) {
		message_declaratie_antwoord(&g);
	} else if (g.def->retour && pick_aux(&g, 100) < 15) {
		/* Rejected as a whole: the retour holds only its header. */
		write_header(&g, "0001");
	} else {
		write_header(&g, "0200");
		write_body(&g, g.def->retour ? g.def->pair : type);
	}
	return end(&g);
}

bool
ijw_gen_product_of(const char *categorie, const char **code, const char **unit)
{
	for (size_t i = 0; i < NPRODUCTS; i++)
		if (strcmp(products[i].categorie, categorie) == 0) {
			*code = products[i].code;
			*unit = eenheid(products[i].unit);
			return true;
		}
	return false;
}

/* ---- the writer of other modules ---- */

struct ijw_gen_writer {
	struct gen g;
};

ijw_gen_writer *
ijw_gen_begin(enum ijw_type type, const struct ijw_gen_opts *o, struct ijw_buf *out)
{
	ijw_gen_writer *w = malloc(sizeof *w);

	if (!w)
		return NULL;
	if (begin(&w->g, type, o, out) != IJW_OK) {
		free(w);
		return NULL;
	}
	return w;
}

void
ijw_gen_open(ijw_gen_writer *w, bool basis, const char *name)
{
	open_el(&w->g, basis, name);
}

void
ijw_gen_close(ijw_gen_writer *w, bool basis, const char *name)
{
	close_el(&w->g, basis, name);
}

void
ijw_gen_leaf(ijw_gen_writer *w, bool basis, const char *name, const char *value)
{
	leaf(&w->g, basis, name, "%s", value);
}

void
ijw_gen_date(ijw_gen_writer *w, bool basis, const char *name, ijw_day day)
{
	date_leaf(&w->g, basis, name, day);
}

long
ijw_gen_between(ijw_gen_writer *w, long lo, long hi)
{
	return between(&w->g, lo, hi);
}

void
ijw_gen_header(ijw_gen_writer *w, ijw_day dagtekening)
{
	w->g.dag = dagtekening;
	write_header(&w->g, "0200");
}

void
ijw_gen_contactgegevens(ijw_gen_writer *w)
{
	M_OPEN(&w->g, "Contactgegevens");
	write_contact(&w->g, "01");
	M_CLOSE(&w->g, "Contactgegevens");
}

ijw_rc
ijw_gen_end(ijw_gen_writer *w)
{
	ijw_rc rc = end(&w->g);

	free(w);
	return rc;
}

/* ---- identifications from the system's randomness ---- */

static ijw_rc
random_bytes(void *buf, size_t len)
{
	return getrandom(buf, len, 0) == (ssize_t)len ? IJW_OK : IJW_EIO;
}

ijw_rc
ijw_gen_random_seed(uint64_t *seed)
{
	return random_bytes(seed, sizeof *seed);
}

ijw_rc
ijw_gen_random_id(char id[IJW_GEN_ID_SIZE])
{
	unsigned char r[IJW_GEN_ID_SIZE - 1];
	ijw_rc rc = random_bytes(r, sizeof r);

	if (rc)
		return rc;
	/* 34 letters and digits; the bias of 256 mod 34 does not matter for a name. */
	for (size_t i = 0; i < sizeof r; i++)
		id[i] = alnum[r[i] % (sizeof alnum - 1)];
	id[IJW_GEN_ID_SIZE - 1] = '\0';
	return IJW_OK;
}
