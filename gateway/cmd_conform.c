/*
 * cmd_conform.c: ijw-gateway conform [SCENARIO...] --as gemeente|aanbieder -c CLIENT.ini
 *                --with CODE [--self OTHER_CLIENT.ini] [--junit OUT] [--max-wait SECONDS] [--list]
 *
 * Plays one side of each scenario (gw_scenario.h) through a gateway while
 * the system under test plays the other: the steps of its own side are
 * built (ijw_generate, ijw_answer), posted and their 201 checked; the
 * steps of the other side are awaited in its inbox and checked. With
 * --self a counterpart built in plays the other side too, once right and
 * once for each of the scenario's mistakes, which the scenario must catch.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include "gw_cli.h"
#include "gw_client.h"
#include "gw_file.h"
#include "gw_scenario.h"
#include "ijw_answer.h"
#include "ijw_doc.h"
#include "ijw_gen.h"
#include "ijw_retour.h"
#include "ijw_value.h"

/* The largest message conform builds or reads. */
#define MSG_MAX (8u << 20)
/* How often an inbox is polled, in milliseconds. */
#define POLL_MS 200
/* The most failed checks told of one step. */
#define MAX_FAILS 8
/* The most values (BSNs, numbers, references) read from one message. */
#define MAX_VALUES 64
/* How long the counterpart waits for a message it is sent, in seconds. */
#define RECEIVE_WAIT 30

/* A party's copy of a step's message. */
struct copy {
	struct ijw_buf bytes;
	ijw_doc *doc;
	char id[32]; /* the gateway's id */
};

struct player {
	gw_client *cl;
	const char *code; /* the party it plays */
	const char *peer; /* the party it talks to */
	enum ijw_party side;
	struct copy msg[GW_SCN_MAX_STEPS];
};

struct failure {
	int check; /* an enum gw_scn_check, or -1 when conform itself could not go on */
	char text[320];
};

struct run {
	const struct gw_scenario *s;
	struct player *me, *them; /* them: the counterpart of --self, else NULL */
	const struct gw_scn_mistake *mistake;
	unsigned max_wait;
	bool unreachable;
	int failed_step; /* -1 while every step passed */
	struct failure fails[MAX_FAILS];
	size_t nfails;
	int floor; /* the newest message in the inbox before the run: older ones are not of it */
	int took[GW_SCN_MAX_STEPS * 4]; /* gateway ids looked at and left alone */
	size_t ntook;
};

/* Values of one kind read from a message. */
struct values {
	char v[MAX_VALUES][16];
	size_t n;
};

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway conform [SCENARIO...] --as gemeente|aanbieder -c CLIENT.ini\n"
	        "                           --with CODE [--self OTHER_CLIENT.ini] [--junit OUT]\n"
	        "                           [--max-wait SECONDS]\n"
	        "       ijw-gateway conform --list\n\n"
	        "Plays one side of conformance scenarios through a gateway while the system\n"
	        "under test, party CODE, plays the other, and checks its answers. A SCENARIO\n"
	        "is a built-in name or a file; none: every built-in one.\n\n"
	        "  --as SIDE        the side conform plays: gemeente or aanbieder\n"
	        "  -c, --client F   the client file of the party conform plays\n"
	        "  --with CODE      the party of the system under test\n"
	        "  --self F         play CODE too, with its client file F, and each mistake\n"
	        "  --junit OUT      write a JUnit XML report to OUT\n"
	        "  --max-wait S     wait at most S seconds for any answer (1-86400)\n"
	        "  --list           list the built-in scenarios\n"
	        "  -h, --help       this text\n\n"
	        "Exit status: 0 all passed, 1 any failed, 2 usage error or gateway unreachable.\n");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(void)
{
	struct timespec ts = {0, POLL_MS * 1000000L};

	nanosleep(&ts, NULL);
}

static void
copy_clear(struct copy *c)
{
	ijw_buf_free(&c->bytes);
	ijw_doc_free(c->doc);
	memset(c, 0, sizeof *c);
}

static void __attribute__((format(printf, 3, 4)))
fail(struct run *r, int check, const char *fmt, ...)
{
	va_list ap;

	if (r->nfails == MAX_FAILS)
		return;
	r->fails[r->nfails].check = check;
	va_start(ap, fmt);
	vsnprintf(r->fails[r->nfails].text, sizeof r->fails[r->nfails].text, fmt, ap);
	va_end(ap);
	r->nfails++;
}

static const char *
label_of(const struct gw_scenario *s, int i)
{
	return s->steps[i].label[0] ? s->steps[i].label : "-";
}

static const char *
type_name(enum ijw_type t)
{
	return ijw_msgdef(t)->name;
}

/* Parses bytes; NULL when they are not an iJw message. */
static ijw_doc *
parse(const struct ijw_buf *b)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = NULL;

	if (f && b->data)
		ijw_doc_parse(b->data, b->len, NULL, &doc, f);
	ijw_findings_free(f);
	return doc;
}

/* The first element named by path below root: its first name anywhere, the rest as children. */
static xmlNode *
find(xmlNode *root, const char *path)
{
	char first[GW_SCN_PATH_SIZE];
	size_t n = strcspn(path, "/");

	if (!root || n >= sizeof first)
		return NULL;
	memcpy(first, path, n);
	first[n] = '\0';
	for (xmlNode *c = root->children; c; c = c->next) {
		xmlNode *hit;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(c->name, BAD_CAST first) == 0)
			return (xmlNode *)ijw_node_at(c, path[n] ? path + n + 1 : "");
		if ((hit = find(c, path)))
			return hit;
	}
	return NULL;
}

static xmlNode *
doc_find(const ijw_doc *doc, const char *path)
{
	return doc ? find((xmlNode *)ijw_doc_root(doc), path) : NULL;
}

static bool
text_at(const ijw_doc *doc, const char *path, char *dst, size_t size)
{
	xmlNode *n = doc_find(doc, path);

	*dst = '\0';
	return n && ijw_node_text(n, dst, size);
}

static void
set_text(xmlNode *n, const char *value)
{
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, BAD_CAST value);
}

/* Every element named local below n, in document order, into out (at most max). */
static size_t
all_named(xmlNode *n, const char *local, xmlNode **out, size_t max, size_t k)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(c->name, BAD_CAST local) == 0 && k < max)
			out[k++] = c;
		k = all_named(c, local, out, max, k);
	}
	return k;
}

static void
add_value(struct values *v, const char *s)
{
	if (!*s || v->n == MAX_VALUES)
		return;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return;
	snprintf(v->v[v->n++], sizeof v->v[0], "%s", s);
}

static bool
has_value(const struct values *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static bool
shares(const struct values *a, const struct values *b)
{
	for (size_t i = 0; i < a->n; i++)
		if (has_value(b, a->v[i]))
			return true;
	return false;
}

enum kind { V_BSN, V_NUMMER, V_REFERENTIE };

static void
values_of(const ijw_doc *doc, enum kind k, struct values *v)
{
	v->n = 0;
	if (!doc)
		return;
	if (k == V_REFERENTIE) {
		xmlNode *nodes[MAX_VALUES];
		size_t n = all_named((xmlNode *)ijw_doc_root(doc), "ReferentieAanbieder", nodes,
		                     MAX_VALUES, 0);
		char t[16];

		for (size_t i = 0; i < n; i++)
			if (ijw_node_text(nodes[i], t, sizeof t))
				add_value(v, t);
		return;
	}
	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++) {
		const struct ijw_record *rec = ijw_doc_record(doc, i);

		add_value(v, k == V_BSN ? rec->bsn : rec->toewijzingnummer);
	}
}

/* The assignment (JW301) a step's message belongs to: its own source chain's nearest. */
static int
assignment_of(const struct gw_scenario *s, int i)
{
	for (int j = s->steps[i].source; j >= 0; j = s->steps[j].source)
		if (s->steps[j].type == IJW_JW301)
			return j;
	return -1;
}

/* The assignment's record (ToegewezenProduct) of nummer, or NULL. */
static const struct ijw_record *
assigned(const ijw_doc *a, const char *nummer)
{
	for (size_t i = 0; a && i < ijw_doc_nrecords(a); i++) {
		const struct ijw_record *rec = ijw_doc_record(a, i);

		if (strcmp(rec->level, "ToegewezenProduct") == 0 &&
		    strcmp(rec->toewijzingnummer, nummer) == 0)
			return rec;
	}
	return NULL;
}

/*
 * The value a `with` gives to a message (self) that follows from src: a
 * relative date from src's same element, else from self's Dagtekening.
 */
static bool
mod_value(const struct gw_scn_mod *m, const ijw_doc *src, const ijw_doc *self, char *out,
          size_t size)
{
	char base[IJW_DATE_SIZE];
	ijw_day d = ijw_today();

	if (!m->relative) {
		snprintf(out, size, "%s", m->value);
		return true;
	}
	if (size < IJW_DATE_SIZE)
		return false;
	if (!m->today && !text_at(src, m->path, base, sizeof base) &&
	    !text_at(self, "Header/BerichtIdentificatie/Dagtekening", base, sizeof base))
		return false;
	if (!m->today && !ijw_date_parse(base, &d))
		return false;
	ijw_date_format(d + m->days, out);
	return true;
}

/*
 * The Dagtekening of what follows in step i: today, or the last day of its
 * assignment when that has ended (a stop or a declaration of an ended
 * assignment lies within it).
 */
static ijw_day
dag_of(const struct run *r, const struct player *p, int i)
{
	int a = assignment_of(r->s, i);
	const struct ijw_record *ar = NULL;
	ijw_day today = ijw_today(), end;

	for (size_t k = 0; a >= 0 && p->msg[a].doc && k < ijw_doc_nrecords(p->msg[a].doc); k++)
		if (strcmp(ijw_doc_record(p->msg[a].doc, k)->level, "ToegewezenProduct") == 0)
			ar = ijw_doc_record(p->msg[a].doc, k);
	end = ar ? ijw_date_or(ar->einddatum, IJW_DAY_MAX) : IJW_DAY_MAX;
	return end < today ? end : today;
}

/* ---- building what a player sends ---- */

/*
 * Whether a first message is plain enough for a scenario: one client, one
 * product with an Omvang, no extras, an assignment that began 30 days ago
 * or more and ends 30 days from today or later (its start, stop, change
 * and declaration are then all of today).
 */
static bool
plain_first(const ijw_doc *doc)
{
	ijw_day today = ijw_today();
	size_t products = 0;

	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++) {
		const char *l = ijw_doc_record(doc, i)->level;

		products +=
		        strcmp(l, "ToegewezenProduct") == 0 || strcmp(l, "AangevraagdProduct") == 0;
	}
	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++) {
		const struct ijw_record *rec = ijw_doc_record(doc, i);

		if (strcmp(rec->level, "ToegewezenProduct") == 0 &&
		    (ijw_date_or(rec->begindatum, IJW_DAY_MAX) > today - 30 ||
		     ijw_date_or(rec->einddatum, IJW_DAY_MAX) < today + 30))
			return false;
	}
	return products == 1 && !doc_find(doc, "RedenWijziging") && !doc_find(doc, "Budget") &&
	       (ijw_doc_type(doc) == IJW_JW315 || !doc_find(doc, "ReferentieAanbieder")) &&
	       doc_find(doc, "Omvang");
}

static bool
build_first(const struct player *p, const struct gw_scn_step *st, struct ijw_buf *out, char *err,
            size_t errsize)
{
	struct ijw_gen_opts o = {0};

	o.gemeente = p->side == IJW_GEMEENTE ? p->code : p->peer;
	o.aanbieder = p->side == IJW_GEMEENTE ? p->peer : p->code;
	for (int tries = 0; tries < 10000; tries++) {
		ijw_doc *doc;
		bool ok;

		ijw_buf_reset(out);
		if (ijw_gen_random_seed(&o.seed)) {
			snprintf(err, errsize, "no randomness for a seed: %s", strerror(errno));
			return false;
		}
		if (ijw_generate_opts(st->type, &o, out)) {
			snprintf(err, errsize, "cannot generate a %s for %s and %s",
			         type_name(st->type), o.gemeente, o.aanbieder);
			return false;
		}
		doc = parse(out);
		ok = doc && plain_first(doc);
		ijw_doc_free(doc);
		if (ok)
			return true;
	}
	snprintf(err, errsize, "no plain %s came from 10000 seeds", type_name(st->type));
	return false;
}

/* Changes the message as the counterpart's mistake says. */
static void
err_in(struct run *r, struct player *p, xmlNode *root, int step)
{
	int a = assignment_of(r->s, step);
	const ijw_doc *ad = a >= 0 ? p->msg[a].doc : NULL;
	const struct ijw_record *ar = NULL;
	xmlNode *n[MAX_VALUES];
	size_t k = 0;
	char t[IJW_DATE_SIZE];

	for (size_t i = 0; ad && i < ijw_doc_nrecords(ad) && !ar; i++)
		if (strcmp(ijw_doc_record(ad, i)->level, "ToegewezenProduct") == 0)
			ar = ijw_doc_record(ad, i);
	switch (r->mistake->kind) {
	case GW_MISTAKE_OTHER_CLIENT:
		k = all_named(root, "Bsn", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k; i++) {
			char bsn[16];
			unsigned long v;

			if (!ijw_node_text(n[i], bsn, sizeof bsn))
				continue;
			v = strtoul(bsn, NULL, 10);
			do {
				v = (v + 1) % 1000000000ul;
				snprintf(bsn, sizeof bsn, "%09lu", v);
			} while (!ijw_bsn_valid(bsn));
			set_text(n[i], bsn);
		}
		break;
	case GW_MISTAKE_OTHER_NUMBER:
		k = all_named(root, "ToewijzingNummer", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k; i++) {
			char nr[16];

			if (!ijw_node_text(n[i], nr, sizeof nr))
				continue;
			snprintf(nr, sizeof nr, "%lu", strtoul(nr, NULL, 10) % 99999999ul + 1);
			set_text(n[i], nr);
		}
		break;
	case GW_MISTAKE_EARLY_START:
		if (ar && (k = all_named(root, "StartProduct", n, MAX_VALUES, 0))) {
			ijw_date_format(ijw_date_or(ar->begindatum, 0) - 1, t);
			for (size_t i = 0; i < k; i++)
				if (ijw_node_at(n[i], "Begindatum"))
					set_text((xmlNode *)ijw_node_at(n[i], "Begindatum"), t);
		}
		break;
	case GW_MISTAKE_LATE_STOP:
		if (ar && (k = all_named(root, "StopProduct", n, MAX_VALUES, 0))) {
			ijw_date_format(ijw_date_or(ar->einddatum, 0) + 1, t);
			for (size_t i = 0; i < k; i++)
				if (ijw_node_at(n[i], "Einddatum"))
					set_text((xmlNode *)ijw_node_at(n[i], "Einddatum"), t);
			ijw_date_format(ijw_today(), t);
			if ((n[0] = find(root, "Header/BerichtIdentificatie/Dagtekening")))
				set_text(n[0], t);
		}
		break;
	case GW_MISTAKE_CODE_0001:
		k = all_named(root, "RetourCode", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k; i++)
			set_text(n[i], "0001");
		break;
	case GW_MISTAKE_OVER_VOLUME:
		k = all_named(root, "GeleverdVolume", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k && ar; i++) {
			snprintf(t, sizeof t, "%ld", strtol(ar->volume, NULL, 10) * 100 + 1);
			set_text(n[i], t);
		}
		break;
	case GW_MISTAKE_OUTSIDE_PERIOD:
		k = all_named(root, "ProductPeriode", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k && ar; i++) {
			ijw_date_format(ijw_date_or(ar->begindatum, 0) - 1, t);
			if (ijw_node_at(n[i], "Begindatum"))
				set_text((xmlNode *)ijw_node_at(n[i], "Begindatum"), t);
			if (ijw_node_at(n[i], "Einddatum"))
				set_text((xmlNode *)ijw_node_at(n[i], "Einddatum"), t);
		}
		break;
	case GW_MISTAKE_IGNORE_REFERENCE:
		k = all_named(root, "ReferentieAanbieder", n, MAX_VALUES, 0);
		for (size_t i = 0; i < k; i++) {
			xmlUnlinkNode(n[i]);
			xmlFreeNode(n[i]);
		}
		break;
	case GW_MISTAKE_MISSING:
	case GW_MISTAKE_END:
		break;
	}
}

/*
 * The message of step i as player p builds it: generated, a new version
 * of its source, or what follows from its source; with the step's `with`
 * and, for the counterpart, the mistake. false with the reason in err.
 */
static bool
build(struct run *r, struct player *p, int i, struct ijw_buf *out, char *err, size_t errsize)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	const struct copy *src = st->source >= 0 ? &p->msg[st->source] : NULL;
	char ident[IJW_GEN_ID_SIZE], today[IJW_DATE_SIZE];
	bool own_identity = true;
	uint64_t seed;
	ijw_doc *doc;
	xmlNode *root, *n;
	xmlChar *mem = NULL;
	int size = 0;

	if (ijw_gen_random_id(ident) || ijw_gen_random_seed(&seed)) {
		snprintf(err, errsize, "no randomness for an identification: %s", strerror(errno));
		return false;
	}
	ijw_date_format(dag_of(r, p, i), today);
	if (src && !src->doc) {
		snprintf(err, errsize, "%s has no copy of %s", p->code, label_of(r->s, st->source));
		return false;
	}
	if (!src) {
		if (!build_first(p, st, out, err, errsize))
			return false;
	} else if (st->link == GW_LINK_FROM && ijw_doc_type(src->doc) == st->type) {
		if (ijw_buf_add(out, src->bytes.data, src->bytes.len))
			return snprintf(err, errsize, "out of memory"), false;
	} else {
		struct ijw_answer_opts o = {
		        .identificatie = ident, .dagtekening = dag_of(r, p, i), .seed = seed};
		ijw_rc rc = ijw_answer(src->doc, st->type, &o, out, err, errsize);

		if (rc)
			return false;
		own_identity = false;
	}
	if (!(doc = parse(out))) {
		snprintf(err, errsize, "the %s built is not an iJw message", type_name(st->type));
		return false;
	}
	root = (xmlNode *)ijw_doc_root(doc);
	if (own_identity && (n = find(root, "Header/BerichtIdentificatie/Identificatie")))
		set_text(n, ident);
	if (own_identity && src && (n = find(root, "Header/BerichtIdentificatie/Dagtekening")))
		set_text(n, today);
	for (size_t m = 0; m < st->nmods; m++) {
		char v[IJW_DATE_SIZE + GW_SCN_VALUE_SIZE];

		if (!(n = find(root, st->mods[m].path)) ||
		    !mod_value(&st->mods[m], src ? src->doc : NULL, doc, v, sizeof v)) {
			snprintf(err, errsize, "with %s: the %s has no such element%s",
			         st->mods[m].path, type_name(st->type),
			         st->mods[m].relative ? " with a date" : "");
			ijw_doc_free(doc);
			return false;
		}
		set_text(n, v);
	}
	if (r->mistake && p == r->them && r->mistake->step == i)
		err_in(r, p, root, i);
	xmlDocDumpFormatMemoryEnc(ijw_doc_xml(doc), &mem, &size, "UTF-8", 1);
	ijw_doc_free(doc);
	ijw_buf_reset(out);
	if (!mem || ijw_buf_add(out, mem, (size_t)size)) {
		xmlFree(mem);
		snprintf(err, errsize, "out of memory");
		return false;
	}
	xmlFree(mem);
	return true;
}

/* ---- talking to the gateway ---- */

static bool
lost(struct run *r, const char *err)
{
	fail(r, -1, "the gateway: %s", err);
	r->unreachable = true;
	return false;
}

/* Posts step i as p; false (with the failure told) when it was not accepted. */
static bool
perform(struct run *r, struct player *p, int i)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	struct copy *c = &p->msg[i];
	char err[512];
	long status = 0;
	json_t *j = NULL;
	bool ok;

	copy_clear(c);
	ijw_buf_init(&c->bytes, MSG_MAX);
	if (!build(r, p, i, &c->bytes, err, sizeof err)) {
		fail(r, -1, "%s: cannot build the %s: %s", label_of(r->s, i), type_name(st->type),
		     err);
		return false;
	}
	if (r->mistake && p == r->them && r->mistake->step == i &&
	    r->mistake->kind == GW_MISTAKE_MISSING)
		return true;
	if (!gw_client_post(p->cl, c->bytes.data, c->bytes.len, &status, &j, err, sizeof err))
		return lost(r, err);
	ok = status == 201 && json_is_string(json_object_get(j, "id"));
	if (ok) {
		snprintf(c->id, sizeof c->id, "%s", json_string_value(json_object_get(j, "id")));
		c->doc = parse(&c->bytes);
	} else {
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

		fail(r, -1, "%s: the gateway answered %s's %s with %ld %s", label_of(r->s, i),
		     p->code, type_name(st->type), status, text ? text : "");
		free(text);
	}
	json_decref(j);
	return ok;
}

static bool
inbox(struct run *r, struct player *p, json_t **list)
{
	char err[512];
	long status = 0;
	json_t *j = NULL;

	if (!gw_client_json(p->cl, "GET", "/v1/berichten?limit=1000", NULL, 0, &status, &j, err,
	                    sizeof err))
		return lost(r, err);
	if (status != 200 || !json_is_array(json_object_get(j, "berichten"))) {
		snprintf(err, sizeof err, "GET /v1/berichten as %s answered %ld", p->code, status);
		json_decref(j);
		return lost(r, err);
	}
	*list = j;
	return true;
}

static bool
fetch(struct run *r, struct player *p, const char *id, struct ijw_buf *out)
{
	char path[64], err[512];
	long status = 0;

	snprintf(path, sizeof path, "/v1/berichten/%s", id);
	ijw_buf_reset(out);
	if (!gw_client_request(p->cl, "GET", path, NULL, 0, NULL, &status, out, err, sizeof err))
		return lost(r, err);
	if (status != 200) {
		snprintf(err, sizeof err, "GET %s as %s answered %ld", path, p->code, status);
		return lost(r, err);
	}
	return true;
}

static bool
ack(struct run *r, struct player *p, const char *id)
{
	char path[64], err[512];
	long status = 0;
	json_t *j = NULL;

	snprintf(path, sizeof path, "/v1/berichten/%s/ack", id);
	if (!gw_client_json(p->cl, "POST", path, NULL, 0, &status, &j, err, sizeof err))
		return lost(r, err);
	json_decref(j);
	if (status != 200) {
		snprintf(err, sizeof err, "POST %s as %s answered %ld", path, p->code, status);
		return lost(r, err);
	}
	return true;
}

static int
id_num(const char *id)
{
	return (int)strtol(id, NULL, 10);
}

static bool
looked_at(struct run *r, int id)
{
	for (size_t i = 0; i < r->ntook; i++)
		if (r->took[i] == id)
			return true;
	return false;
}

/* ---- the checks of an answer ---- */

/* Whether doc belongs to step i: it answers its source, or shares a client, number or reference. */
static bool
belongs(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	const ijw_doc *src = st->source >= 0 ? r->me->msg[st->source].doc : NULL;
	struct values a, b;
	struct ijw_answered an;
	struct ijw_route rt;

	if (ijw_doc_type(doc) != st->type)
		return false;
	if (!src)
		return true;
	if (st->link == GW_LINK_ANSWERING) {
		ijw_doc_route(src, &rt);
		return ijw_doc_answers(doc, &an) && strcmp(an.identificatie, rt.identificatie) == 0;
	}
	for (int k = V_BSN; k <= V_REFERENTIE; k++) {
		values_of(doc, (enum kind)k, &a);
		values_of(src, (enum kind)k, &b);
		if (shares(&a, &b))
			return true;
	}
	return false;
}

static void
check_codes(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	char codes[8][IJW_RETOURCODE_SIZE];
	const void *hdr = ijw_node_at(ijw_doc_root(doc), "Header");
	size_t n = hdr ? ijw_retour_codes(hdr, codes, 8) : 0;
	char want[64] = "";

	for (size_t k = 0; k < st->ncodes; k++)
		snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", k ? "," : "",
		         st->codes[k]);
	for (size_t rec = 0; rec <= ijw_doc_nrecords(doc); rec++) {
		const struct ijw_record *rc = rec ? ijw_doc_record(doc, rec - 1) : NULL;
		char got[64] = "";

		if (rc)
			n = ijw_retour_codes(rc->node, codes, 8);
		else if (!hdr)
			continue;
		if (rc && n == 0)
			continue;
		for (size_t k = 0; k < n && k < 8; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "," : "",
			         codes[k]);
		if (strcmp(got, want) != 0) {
			if (rc)
				fail(r, GW_CHECK_CODES,
				     "%s: %s RetourCode %s at %s (line %u), expected %s",
				     label_of(r->s, i), type_name(st->type), got, rc->level,
				     rc->line, want);
			else
				fail(r, GW_CHECK_CODES,
				     "%s: %s RetourCode %s in the header, expected %s",
				     label_of(r->s, i), type_name(st->type), *got ? got : "none",
				     want);
			return;
		}
	}
}

/* Client and number: the source's client, the assignment's numbers. */
static void
check_identity(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	int a = assignment_of(r->s, i);
	const ijw_doc *src = r->me->msg[st->source].doc;
	struct values mine, theirs;

	values_of(doc, V_BSN, &mine);
	values_of(src, V_BSN, &theirs);
	for (size_t k = 0; k < mine.n && theirs.n; k++)
		if (!has_value(&theirs, mine.v[k])) {
			fail(r, GW_CHECK_CLIENT, "%s: %s client differs from %s's",
			     label_of(r->s, i), type_name(st->type), label_of(r->s, st->source));
			break;
		}
	if (a < 0 || (st->type == IJW_JW301 && st->source != a))
		return;
	values_of(doc, V_NUMMER, &mine);
	values_of(r->me->msg[a].doc, V_NUMMER, &theirs);
	for (size_t k = 0; k < mine.n; k++)
		if (!has_value(&theirs, mine.v[k])) {
			fail(r, GW_CHECK_NUMMER, "%s: %s ToewijzingNummer %s is not that of %s",
			     label_of(r->s, i), type_name(st->type), mine.v[k], label_of(r->s, a));
			break;
		}
}

/* Volume of one prestatie against the assigned Omvang: units of the Frequentie in its period. */
static long
allowed_volume(const struct ijw_record *ar, const struct ijw_record *pr)
{
	char freq[4] = "";
	long vol = strtol(ar->volume, NULL, 10);
	ijw_day b = ijw_date_or(pr->begindatum, 0), e = ijw_date_or(pr->einddatum, 0);
	long days = e >= b ? (long)(e - b) + 1 : 1;

	ijw_node_text(ijw_node_at(ar->node, "Omvang/Frequentie"), freq, sizeof freq);
	if (strcmp(freq, "1") == 0)
		return vol * days;
	if (strcmp(freq, "2") == 0)
		return vol * ((days + 6) / 7 + 1);
	if (strcmp(freq, "4") == 0)
		return vol * ((days + 27) / 28 + 1);
	return vol;
}

/* Product, period and volume of starts, stops and declarations against the assignment. */
static void
check_care(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	int a = assignment_of(r->s, i);
	const ijw_doc *ad = a >= 0 ? r->me->msg[a].doc : NULL;
	const ijw_doc *src = r->me->msg[st->source].doc;
	bool product = false, period = false, volume = false;

	if (!ad || (st->type != IJW_JW305 && st->type != IJW_JW307 && st->type != IJW_JW323))
		return;
	for (size_t k = 0; k < ijw_doc_nrecords(doc); k++) {
		const struct ijw_record *rc = ijw_doc_record(doc, k), *ar;
		ijw_day b, e, ab, ae;

		if (!*rc->toewijzingnummer || !(ar = assigned(ad, rc->toewijzingnummer)))
			continue;
		if (!product && *rc->categorie &&
		    (strcmp(rc->categorie, ar->categorie) != 0 ||
		     (*rc->productcode && *ar->productcode &&
		      strcmp(rc->productcode, ar->productcode) != 0))) {
			fail(r, GW_CHECK_PRODUCT,
			     "%s: %s product %s %s at line %u is not %s's %s %s", label_of(r->s, i),
			     type_name(st->type), rc->categorie, rc->productcode, rc->line,
			     label_of(r->s, a), ar->categorie, ar->productcode);
			product = true;
		}
		b = ijw_date_or(rc->begindatum, IJW_DAY_MAX);
		e = ijw_date_or(rc->einddatum, b);
		ab = ijw_date_or(ar->begindatum, 0);
		ae = ijw_date_or(ar->einddatum, IJW_DAY_MAX);
		if (!period && b != IJW_DAY_MAX && (b < ab || b > ae || e > ae)) {
			fail(r, GW_CHECK_PERIOD,
			     "%s: %s period %s..%s at line %u is outside %s's %s..%s",
			     label_of(r->s, i), type_name(st->type), rc->begindatum,
			     *rc->einddatum ? rc->einddatum : "", rc->line, label_of(r->s, a),
			     ar->begindatum, ar->einddatum);
			period = true;
		}
		if (!period && st->type == IJW_JW307 && ijw_doc_type(src) == IJW_JW305) {
			const struct ijw_record *sr = NULL;

			for (size_t m = 0; m < ijw_doc_nrecords(src) && !sr; m++)
				if (strcmp(ijw_doc_record(src, m)->toewijzingnummer,
				           rc->toewijzingnummer) == 0 &&
				    *ijw_doc_record(src, m)->begindatum)
					sr = ijw_doc_record(src, m);
			if (sr && *rc->begindatum && strcmp(sr->begindatum, rc->begindatum) != 0) {
				fail(r, GW_CHECK_PERIOD,
				     "%s: %s Begindatum %s is not the start %s's %s",
				     label_of(r->s, i), type_name(st->type), rc->begindatum,
				     label_of(r->s, st->source), sr->begindatum);
				period = true;
			}
		}
		if (!volume && st->type == IJW_JW323 && strcmp(rc->level, "Prestatie") == 0 &&
		    *rc->volume && *ar->volume &&
		    strtol(rc->volume, NULL, 10) > allowed_volume(ar, rc)) {
			fail(r, GW_CHECK_VOLUME,
			     "%s: %s volume %s at line %u is over %s's Omvang (%s, at most %ld "
			     "in %s..%s)",
			     label_of(r->s, i), type_name(st->type), rc->volume, rc->line,
			     label_of(r->s, a), ar->volume, allowed_volume(ar, rc), rc->begindatum,
			     rc->einddatum);
			volume = true;
		}
	}
}

static void
check_reference(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	const ijw_doc *src = r->me->msg[st->source].doc;
	struct values mine, theirs;

	if (st->type != IJW_JW301 && st->type != IJW_JW319)
		return;
	if (ijw_doc_type(src) != IJW_JW315 && ijw_doc_type(src) != IJW_JW317)
		return;
	values_of(doc, V_REFERENTIE, &mine);
	values_of(src, V_REFERENTIE, &theirs);
	if (theirs.n && !shares(&mine, &theirs))
		fail(r, GW_CHECK_REFERENCE, "%s: %s does not carry %s's ReferentieAanbieder %s",
		     label_of(r->s, i), type_name(st->type), label_of(r->s, st->source),
		     theirs.v[0]);
}

static void
check_with(struct run *r, int i, const ijw_doc *doc)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	const ijw_doc *src = st->source >= 0 ? r->me->msg[st->source].doc : NULL;

	for (size_t m = 0; m < st->nmods; m++) {
		char want[IJW_DATE_SIZE + GW_SCN_VALUE_SIZE], got[64];

		if (!mod_value(&st->mods[m], src, doc, want, sizeof want))
			snprintf(want, sizeof want, "%s", st->mods[m].value);
		if (!text_at(doc, st->mods[m].path, got, sizeof got) || strcmp(got, want) != 0)
			fail(r, GW_CHECK_WITH, "%s: %s %s is %s, expected %s", label_of(r->s, i),
			     type_name(st->type), st->mods[m].path, *got ? got : "absent", want);
	}
}

/*
 * The advice ("TR019 9019; TR318 8214") without what concerns messages
 * before the run: TR318, a declaration's period after the provider's
 * previous one, which every run of a declaration scenario meets again.
 */
static const char *
without_history(const char *advice, char *out, size_t size)
{
	*out = '\0';
	for (const char *a = advice; *a;) {
		size_t n = strcspn(a, ";");

		if (strncmp(a, "TR318 ", 6) != 0 && strlen(out) + n + 3 < size)
			snprintf(out + strlen(out), size - strlen(out), "%s%.*s", *out ? "; " : "",
			         (int)n, a);
		a += n;
		a += strspn(a, "; ");
	}
	return out;
}

static void
check(struct run *r, int i, const ijw_doc *doc, const char *advice)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	char held[256];

	if (st->ncodes)
		check_codes(r, i, doc);
	if (st->source >= 0 && st->link == GW_LINK_FROM) {
		check_identity(r, i, doc);
		check_care(r, i, doc);
		check_reference(r, i, doc);
	}
	check_with(r, i, doc);
	if (advice && *without_history(advice, held, sizeof held))
		fail(r, GW_CHECK_ADVICE, "%s: the gateway advised on the %s: %s", label_of(r->s, i),
		     type_name(st->type), held);
}

/*
 * Waits for the message of step i in p's inbox: by its identification
 * (ident: the counterpart takes what conform sent) or, for the system
 * under test, by what it must belong to; then checks it. Takes it (acks)
 * and keeps p's copy. false when the run cannot go on.
 */
static bool
await(struct run *r, struct player *p, int i, const char *ident, unsigned wait)
{
	const struct gw_scn_step *st = &r->s->steps[i];
	double deadline = now() + wait;
	struct copy *c = &p->msg[i];

	copy_clear(c);
	ijw_buf_init(&c->bytes, MSG_MAX);
	for (;;) {
		json_t *list = NULL, *e;
		size_t k;

		if (!inbox(r, p, &list))
			return false;
		json_array_foreach(json_object_get(list, "berichten"), k, e)
		{
			const char *id = json_string_value(json_object_get(e, "id"));
			const char *type = json_string_value(json_object_get(e, "type"));
			const char *from = json_string_value(json_object_get(e, "from"));
			const char *mid = json_string_value(json_object_get(e, "identificatie"));
			const char *advice = json_string_value(json_object_get(e, "advice"));
			ijw_doc *doc;

			if (!id || !type || !from || strcmp(type, type_name(st->type)) != 0 ||
			    strcmp(from, p->peer) != 0 || (ident && (!mid || strcmp(mid, ident))) ||
			    id_num(id) <= r->floor || looked_at(r, id_num(id)))
				continue;
			if (!fetch(r, p, id, &c->bytes)) {
				json_decref(list);
				return false;
			}
			doc = parse(&c->bytes);
			if (!doc || (!ident && !belongs(r, i, doc))) {
				ijw_doc_free(doc);
				if (r->ntook < sizeof r->took / sizeof r->took[0])
					r->took[r->ntook++] = id_num(id);
				continue;
			}
			snprintf(c->id, sizeof c->id, "%s", id);
			c->doc = doc;
			if (!ident)
				check(r, i, doc, advice);
			json_decref(list);
			return ack(r, p, c->id);
		}
		json_decref(list);
		if (now() >= deadline)
			break;
		nap();
	}
	if (ident)
		fail(r, -1, "%s: %s's %s %s did not reach %s within %us", label_of(r->s, i),
		     p->peer, type_name(st->type), ident, p->code, wait);
	else
		fail(r, GW_CHECK_ARRIVAL, "%s: no %s from %s%s%s within %us", label_of(r->s, i),
		     type_name(st->type), p->peer,
		     st->source >= 0 ? (st->link == GW_LINK_ANSWERING ? " answering " : " for ")
		                     : "",
		     st->source >= 0 ? label_of(r->s, st->source) : "", wait);
	return true;
}

/* ---- a scenario's run ---- */

static void
clear_player(struct player *p)
{
	for (size_t i = 0; p && i < GW_SCN_MAX_STEPS; i++)
		copy_clear(&p->msg[i]);
}

static unsigned
wait_of(const struct run *r, int i)
{
	unsigned w = r->s->steps[i].within;

	return r->max_wait && r->max_wait < w ? r->max_wait : w;
}

/* The newest message in p's inbox, or 0. */
static bool
newest(struct run *r, struct player *p, int *id)
{
	json_t *list = NULL, *e;
	size_t k;

	*id = 0;
	if (!inbox(r, p, &list))
		return false;
	json_array_foreach(json_object_get(list, "berichten"), k, e)
	{
		const char *s = json_string_value(json_object_get(e, "id"));

		if (s && id_num(s) > *id)
			*id = id_num(s);
	}
	json_decref(list);
	return true;
}

/* Plays the steps in turn until one fails; a line a step on out. */
static void
play(struct run *r, FILE *out)
{
	r->failed_step = -1;
	r->ntook = 0;
	r->nfails = 0;
	if (!newest(r, r->me, &r->floor)) {
		r->failed_step = 0;
		return;
	}
	for (size_t n = 0; n < r->s->nsteps; n++) {
		int i = (int)n;
		const struct gw_scn_step *st = &r->s->steps[i];
		bool mine = st->side == r->me->side;
		double t0 = now();
		char what[96];
		struct ijw_route rt;

		r->nfails = 0;
		if (mine) {
			if (perform(r, r->me, i) && r->them) {
				ijw_doc_route(r->me->msg[i].doc, &rt);
				await(r, r->them, i, rt.identificatie, RECEIVE_WAIT);
			}
		} else if (!r->them || perform(r, r->them, i)) {
			await(r, r->me, i, NULL, wait_of(r, i));
		}
		snprintf(what, sizeof what, "%s sends %s%s%s", gw_scn_side_name(st->side),
		         type_name(st->type),
		         st->link == GW_LINK_NONE   ? ""
		         : st->link == GW_LINK_FROM ? " from "
		                                    : " answering ",
		         st->source >= 0 ? label_of(r->s, st->source) : "");
		fprintf(out, "  %-6s %-38s %-8s %6.2fs  %s\n", label_of(r->s, i), what,
		        *r->me->msg[i].id ? r->me->msg[i].id : "-", now() - t0,
		        r->nfails ? "FAILED"
		        : mine    ? "sent"
		                  : "ok");
		for (size_t k = 0; k < r->nfails; k++)
			fprintf(out, "         %s%s%s%s\n", r->fails[k].text,
			        r->fails[k].check >= 0 ? " [" : "",
			        r->fails[k].check >= 0 ? gw_scn_check_name(r->fails[k].check) : "",
			        r->fails[k].check >= 0 ? "]" : "");
		if (r->nfails) {
			r->failed_step = i;
			return;
		}
	}
}

static bool
caught(const struct run *r)
{
	if (r->failed_step != r->mistake->caught_by)
		return false;
	for (size_t k = 0; k < r->nfails; k++)
		if (r->fails[k].check == (int)r->mistake->check)
			return true;
	return false;
}

/* The failures of the failed step, one a line, for JUnit. */
static void
failure_text(const struct run *r, char *dst, size_t size)
{
	*dst = '\0';
	for (size_t k = 0; k < r->nfails; k++)
		snprintf(dst + strlen(dst), size - strlen(dst), "%s%s", k ? "\n" : "",
		         r->fails[k].text);
}

static void
junit_case(struct ijw_buf *j, const char *cls, const char *name, double secs, const char *failure,
           const char *detail)
{
	ijw_buf_addstr(j, "  <testcase classname=\"");
	ijw_buf_add_xml(j, cls);
	ijw_buf_addstr(j, "\" name=\"");
	ijw_buf_add_xml(j, name);
	ijw_buf_addf(j, "\" time=\"%.3f\"", secs);
	if (!failure) {
		ijw_buf_addstr(j, "/>\n");
		return;
	}
	ijw_buf_addstr(j, ">\n    <failure message=\"");
	ijw_buf_add_xml(j, failure);
	ijw_buf_addstr(j, "\">");
	ijw_buf_add_xml(j, detail);
	ijw_buf_addstr(j, "</failure>\n  </testcase>\n");
}

struct tally {
	unsigned scenarios, passed, mistakes, caught;
	struct ijw_buf cases; /* the JUnit testcases */
};

/* Tells why a run could not go on; false. */
static bool
lost_run(const struct run *r)
{
	for (size_t k = 0; k < r->nfails; k++)
		if (r->fails[k].check < 0)
			gw_warnx("conform: %s: %s", r->s->name, r->fails[k].text);
	return false;
}

/* Runs scenario s (and with --self its mistakes); false when the gateway cannot be reached. */
static bool
run_scenario(const struct gw_scenario *s, struct player *me, struct player *them, unsigned max_wait,
             FILE *out, struct tally *t)
{
	struct run r = {.s = s, .me = me, .them = them, .max_wait = max_wait};
	char cls[64], name[160], text[MAX_FAILS * 330];
	double t0 = now();

	snprintf(cls, sizeof cls, "conform.%s", gw_scn_side_name(me->side));
	fprintf(out, "%s: as %s %s with %s %s\n", s->name, gw_scn_side_name(me->side), me->code,
	        gw_scn_side_name(me->side == IJW_GEMEENTE ? IJW_AANBIEDER : IJW_GEMEENTE),
	        me->peer);
	play(&r, out);
	clear_player(me);
	clear_player(them);
	if (r.unreachable)
		return lost_run(&r);
	failure_text(&r, text, sizeof text);
	t->scenarios++;
	t->passed += r.failed_step < 0;
	fprintf(out, "%s: %s\n", s->name, r.failed_step < 0 ? "passed" : "FAILED");
	junit_case(&t->cases, cls, s->name, now() - t0, r.failed_step < 0 ? NULL : r.fails[0].text,
	           text);
	for (size_t m = 0; them && m < s->nmistakes; m++) {
		const struct gw_scn_mistake *mk = &s->mistakes[m];
		char why[400];

		if (s->steps[mk->step].side == me->side)
			continue;
		snprintf(name, sizeof name, "%s: %s %s caught-by %s %s", s->name,
		         label_of(s, mk->step), gw_scn_mistake_name(mk->kind),
		         label_of(s, mk->caught_by), gw_scn_check_name(mk->check));
		fprintf(out, "%s\n", name);
		r.mistake = mk;
		t0 = now();
		play(&r, out);
		clear_player(me);
		clear_player(them);
		if (r.unreachable)
			return lost_run(&r);
		t->mistakes++;
		failure_text(&r, text, sizeof text);
		if (caught(&r)) {
			t->caught++;
			fprintf(out, "%s: caught\n", name);
			junit_case(&t->cases, cls, name, now() - t0, NULL, NULL);
			continue;
		}
		if (r.failed_step < 0)
			snprintf(why, sizeof why, "%s (line %u): not caught: every step passed",
			         s->name, mk->line);
		else
			snprintf(why, sizeof why,
			         "%s (line %u): not caught by check %s at %s; %s failed: %s",
			         s->name, mk->line, gw_scn_check_name(mk->check),
			         label_of(s, mk->caught_by), label_of(s, r.failed_step),
			         r.fails[0].text);
		fprintf(out, "%s: NOT CAUGHT\n  %s\n", name, why);
		junit_case(&t->cases, cls, name, now() - t0, why, text);
	}
	return true;
}

static int
list_pack(void)
{
	for (const struct ijw_embedded *e = gw_scenario_pack(); e->name; e++) {
		struct gw_scenario s;
		char err[256];

		if (!gw_scenario_parse((const char *)e->data, e->len, e->name, &s, err,
		                       sizeof err)) {
			gw_warnx("conform: %s", err);
			return GW_EXIT_USAGE;
		}
		printf("%-28s %s\n", s.name, s.about);
	}
	return GW_EXIT_OK;
}

/* A player for a client file; false with the reason told. */
static bool
open_player(const char *file, struct player *p, const char *opt)
{
	struct gw_client_conf conf = {0};
	char err[512];

	if (!gw_client_conf_load(file, &conf, err, sizeof err)) {
		gw_warnx("conform: %s: %s", opt, err);
		gw_client_conf_free(&conf);
		return false;
	}
	p->cl = gw_client_new(&conf, err, sizeof err);
	gw_client_conf_free(&conf);
	if (!p->cl) {
		gw_warnx("conform: %s %s: %s", opt, file, err);
		return false;
	}
	p->code = gw_client_party(p->cl);
	return true;
}

static bool
is_code(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789") == len;
}

struct args {
	const char *as, *client, *with, *self, *junit;
	unsigned max_wait;
	bool list;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
	                                     {"client", required_argument, NULL, 'c'},
	                                     {"with", required_argument, NULL, 'w'},
	                                     {"self", required_argument, NULL, 's'},
	                                     {"junit", required_argument, NULL, 'j'},
	                                     {"max-wait", required_argument, NULL, 'm'},
	                                     {"list", no_argument, NULL, 'l'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		char *end;
		unsigned long n;

		switch (c) {
		case 'a':
			a->as = optarg;
			break;
		case 'c':
			a->client = optarg;
			break;
		case 'w':
			a->with = optarg;
			break;
		case 's':
			a->self = optarg;
			break;
		case 'j':
			a->junit = optarg;
			break;
		case 'm':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-' || n < 1 ||
			    n > 86400) {
				gw_warnx("conform: --max-wait wants seconds from 1 to 86400, not "
				         "'%s'",
				         optarg);
				return GW_EXIT_USAGE;
			}
			a->max_wait = (unsigned)n;
			break;
		case 'l':
			a->list = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (a->list)
		return GW_EXIT_OK;
	if (!a->as || (strcmp(a->as, "gemeente") != 0 && strcmp(a->as, "aanbieder") != 0)) {
		gw_warnx("conform: --as wants gemeente or aanbieder%s%s%s", a->as ? ", not '" : "",
		         a->as ? a->as : "", a->as ? "'" : "");
		return GW_EXIT_USAGE;
	}
	if (!a->client) {
		gw_warnx("conform: -c CLIENT.ini: the client file of the %s conform plays", a->as);
		return GW_EXIT_USAGE;
	}
	if (!a->with || !is_code(a->with, a->as[0] == 'g' ? 8 : 4)) {
		gw_warnx("conform: --with wants the %s of the system under test (%s), not '%s'",
		         a->as[0] == 'g' ? "aanbieder" : "gemeente",
		         a->as[0] == 'g' ? "an 8-digit AGB code" : "a 4-digit gemeentecode",
		         a->with ? a->with : "");
		return GW_EXIT_USAGE;
	}
	return GW_EXIT_OK;
}

int
gw_cmd_conform(int argc, char **argv)
{
	struct args a = {0};
	struct gw_scenario *pack = NULL;
	struct player me = {0}, them = {0};
	struct tally t = {0};
	size_t n = 0, want;
	int rc = parse_args(argc, argv, &a);
	char err[512];

	if (rc)
		return rc < 0 ? GW_EXIT_OK : rc;
	if (a.list)
		return list_pack();
	want = (size_t)(argc - optind);
	if (!want)
		for (const struct ijw_embedded *e = gw_scenario_pack(); e->name; e++)
			want++;
	if (!(pack = calloc(want, sizeof *pack))) {
		gw_warnx("conform: out of memory");
		return GW_EXIT_USAGE;
	}
	rc = GW_EXIT_USAGE;
	if (optind < argc) {
		for (int i = optind; i < argc; i++, n++)
			if (!gw_scenario_load(argv[i], &pack[n], err, sizeof err)) {
				gw_warnx("conform: %s", err);
				goto done;
			}
	} else {
		for (const struct ijw_embedded *e = gw_scenario_pack(); e->name; e++, n++)
			if (!gw_scenario_parse((const char *)e->data, e->len, e->name, &pack[n],
			                       err, sizeof err)) {
				gw_warnx("conform: %s", err);
				goto done;
			}
	}
	me.side = a.as[0] == 'g' ? IJW_GEMEENTE : IJW_AANBIEDER;
	them.side = me.side == IJW_GEMEENTE ? IJW_AANBIEDER : IJW_GEMEENTE;
	if (!open_player(a.client, &me, "-c") || (a.self && !open_player(a.self, &them, "--self")))
		goto done;
	if (!is_code(me.code, me.side == IJW_GEMEENTE ? 4 : 8)) {
		gw_warnx("conform: -c %s: its certificate names '%s', not a %s", a.client, me.code,
		         a.as);
		goto done;
	}
	if (a.self && strcmp(them.code, a.with) != 0) {
		gw_warnx("conform: --self %s: its certificate names '%s', not --with %s", a.self,
		         them.code, a.with);
		goto done;
	}
	me.peer = a.with;
	them.peer = me.code;
	ijw_buf_init(&t.cases, 64u << 20);
	for (size_t i = 0; i < n; i++)
		if (!run_scenario(&pack[i], &me, a.self ? &them : NULL, a.max_wait, stdout, &t))
			goto done;
	printf("conform: %u scenarios, %u passed, %u failed", t.scenarios, t.passed,
	       t.scenarios - t.passed);
	if (a.self)
		printf("; %u mistakes, %u caught, %u not caught", t.mistakes, t.caught,
		       t.mistakes - t.caught);
	printf("\n");
	rc = t.passed == t.scenarios && t.caught == t.mistakes ? GW_EXIT_OK : GW_EXIT_REJECTED;
	if (a.junit) {
		struct ijw_buf j;

		ijw_buf_init(&j, 65u << 20);
		ijw_buf_addf(
		        &j,
		        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		        "<testsuite name=\"conform\" tests=\"%u\" failures=\"%u\" errors=\"0\">\n",
		        t.scenarios + t.mistakes, t.scenarios - t.passed + t.mistakes - t.caught);
		if (t.cases.len)
			ijw_buf_add(&j, t.cases.data, t.cases.len);
		if (ijw_buf_addstr(&j, "</testsuite>\n") || gw_write_file(a.junit, j.data, j.len)) {
			gw_warnx("conform: --junit %s: %s", a.junit, strerror(errno));
			rc = GW_EXIT_USAGE;
		}
		ijw_buf_free(&j);
	}
done:
	ijw_buf_free(&t.cases);
	gw_client_free(me.cl);
	gw_client_free(them.cl);
	free(pack);
	return rc;
}
