/*
 * ijw_retour.c: building retour messages.
 *
 * The answer is built as a libxml2 tree. For JW302 to JW320 the body of the
 * heen message is copied element by element into the retour namespace, and
 * every record level gets its RetourCodes as its last child, which is where
 * the retour schemas put them. A JW325 is built from the declaration's parts.
 *
 * Findings are tied to records through the element they were found on: from
 * that element up to the nearest record level, whose index is found by binary
 * search over the records' elements.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ijw_registry.h"
#include "ijw_retour.h"

#define MAX_CODES 8

/* The distinct retour codes of one record, the header or the message. */
struct codes {
	char code[MAX_CODES][5];
	unsigned n;
};

struct indexed {
	const void *node;
	size_t record;
};

struct build {
	const ijw_doc *heen;
	const struct ijw_msgdef *def, *rdef;
	const struct ijw_retour_opts *opts;
	xmlDocPtr doc;
	xmlNsPtr ns, basis;
	struct codes header;
	struct codes *records; /* per record of the heen message */
	bool rejected;         /* rejected as a whole (0001 or 8848) */
	bool header_only;      /* the answer is its header alone */
	bool oom;
};

static void
add_code(struct codes *c, const char *code)
{
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->code[i], code) == 0)
			return;
	if (c->n < MAX_CODES)
		snprintf(c->code[c->n++], sizeof c->code[0], "%s", code);
}

/* Codes that reject the message as a whole: technical, dated ahead, a repeated identification. */
static bool
technical(const char *retourcode)
{
	return strcmp(retourcode, "0001") == 0 || strcmp(retourcode, "8848") == 0 ||
	       strcmp(retourcode, "9056") == 0;
}

static int
by_node(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct indexed *)a)->node;
	uintptr_t y = (uintptr_t)((const struct indexed *)b)->node;

	return (x > y) - (x < y);
}

/* The index of the record whose element is node, or -1. */
static long
record_of(const struct indexed *v, size_t n, const void *node)
{
	struct indexed key = {node, 0};
	const struct indexed *hit = bsearch(&key, v, n, sizeof *v, by_node);

	return hit ? (long)hit->record : -1;
}

/* Sorts the findings into codes for the header and for each record. */
static void
assign(struct build *b, const ijw_findings *f, const struct indexed *v, size_t n)
{
	for (size_t i = 0; i < ijw_findings_count(f); i++) {
		const struct ijw_finding *it = ijw_findings_get(f, i);
		long rec = -1;

		for (xmlNodePtr p = (xmlNodePtr)it->node; p && rec < 0; p = p->parent)
			if (p->type == XML_ELEMENT_NODE)
				rec = record_of(v, n, p);
		if (rec >= 0)
			add_code(&b->records[rec], it->retourcode);
		/* A technical rejection is the whole message's, so the header says it too. */
		if (technical(it->retourcode)) {
			b->rejected = true;
			add_code(&b->header, it->retourcode);
			if (rec < 0 || strcmp(it->rule, "XSD") == 0)
				b->header_only = true;
		} else if (rec < 0) {
			add_code(&b->header, it->retourcode);
		}
	}
}

/* ---- writing ---- */

static xmlNodePtr
el(struct build *b, xmlNodePtr parent, bool basis, const char *name, const char *value)
{
	xmlNodePtr n = xmlNewDocNode(b->doc, basis ? b->basis : b->ns, (const xmlChar *)name, NULL);

	if (!n) {
		b->oom = true;
		return NULL;
	}
	/* Added as text, not parsed: an ampersand stays an ampersand. */
	if (value)
		xmlNodeAddContent(n, (const xmlChar *)value);
	if (parent && !xmlAddChild(parent, n)) {
		xmlFreeNode(n);
		b->oom = true;
		return NULL;
	}
	return n;
}

static void
retourcodes(struct build *b, xmlNodePtr parent, const struct codes *c, const char *dflt)
{
	xmlNodePtr rc = el(b, parent, false, "RetourCodes", NULL);

	if (!rc)
		return;
	if (c->n == 0)
		el(b, rc, false, "RetourCode", dflt);
	for (unsigned i = 0; i < c->n; i++)
		el(b, rc, false, "RetourCode", c->code[i]);
}

static void
xsdversie(struct build *b, xmlNodePtr parent, const char *name, const char *basis,
          const char *bericht)
{
	xmlNodePtr x = el(b, parent, false, name, NULL);

	el(b, x, true, "BasisschemaXsdVersie", basis);
	el(b, x, true, "BerichtXsdVersie", bericht);
}

static void
identificatie(struct build *b, xmlNodePtr parent, const char *name, const char *id, const char *dag)
{
	xmlNodePtr x = el(b, parent, false, name, NULL);

	el(b, x, true, "Identificatie", id);
	el(b, x, true, "Dagtekening", dag);
}

/* Twelve characters naming the answer, from the heen message's identity. */
static void
derive_id(const struct ijw_header *h, const struct ijw_msgdef *def, char *id)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *parts[] = {def->name, h->afzender, h->identificatie, h->dagtekening};
	uint64_t x = 0xcbf29ce484222325u;

	for (size_t i = 0; i < 4; i++)
		for (const char *p = parts[i]; *p; p++)
			x = (x ^ (unsigned char)*p) * 0x100000001b3u;
	for (int i = 0; i < 12; i++, x >>= 5)
		id[i] = hex[x & 15];
	id[12] = '\0';
}

static bool
header_complete(const struct ijw_header *h)
{
	return h->afzender[0] && h->ontvanger[0] && h->identificatie[0] && h->dagtekening[0] &&
	       h->xsd_basis[0] && h->xsd_bericht[0];
}

static void
write_header(struct build *b, xmlNodePtr root, const char *id, const char *dag)
{
	const struct ijw_header *h = ijw_doc_header(b->heen);
	xmlNodePtr hd = el(b, root, false, "Header", NULL);
	bool declaratie = b->rdef->type == IJW_JW325;

	el(b, hd, false, "BerichtCode", b->rdef->code);
	el(b, hd, false, "BerichtVersie", "3");
	el(b, hd, false, "BerichtSubversie", "2");
	/* A JW325 is the municipality's own message; other retours echo the header. */
	el(b, hd, false, "Afzender", declaratie ? h->ontvanger : h->afzender);
	el(b, hd, false, "Ontvanger", declaratie ? h->afzender : h->ontvanger);
	if (declaratie) {
		identificatie(b, hd, "BerichtIdentificatie", id, dag);
		xsdversie(b, hd, "XsdVersie", IJW_XSD_VERSIE, IJW_XSD_VERSIE);
		identificatie(b, hd, "DeclaratieIdentificatie", h->identificatie, h->dagtekening);
		xsdversie(b, hd, "XsdVersieDeclaratie", h->xsd_basis, h->xsd_bericht);
	} else {
		identificatie(b, hd, "BerichtIdentificatie", h->identificatie, h->dagtekening);
		xsdversie(b, hd, "XsdVersie", h->xsd_basis, h->xsd_bericht);
		el(b, hd, false, "IdentificatieRetour", id);
		el(b, hd, false, "DagtekeningRetour", dag);
		xsdversie(b, hd, "XsdVersieRetour", IJW_XSD_VERSIE, IJW_XSD_VERSIE);
	}
	retourcodes(b, hd, &b->header, "0200");
}

static bool
blank(const xmlChar *s)
{
	return s[strspn((const char *)s, " \t\r\n")] == '\0';
}

/*
 * Copies the element src of the heen message into parent, in the retour
 * namespace, and gives each record level its RetourCodes.
 */
static void
copy_echo(struct build *b, xmlNodePtr parent, xmlNodePtr src, const struct indexed *v, size_t n)
{
	bool basis = src->ns && strcmp((const char *)src->ns->href, IJW_NS_BASIS) == 0;
	xmlNodePtr dst = el(b, parent, basis, (const char *)src->name, NULL);
	bool elements = false;
	long rec;

	if (!dst)
		return;
	for (xmlNodePtr c = src->children; c; c = c->next)
		elements |= c->type == XML_ELEMENT_NODE;
	for (xmlNodePtr c = src->children; c && !b->oom; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			copy_echo(b, dst, c, v, n);
		else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		         !(elements && blank(c->content)))
			xmlNodeAddContent(dst, c->content);
	}
	if (!basis && (rec = record_of(v, n, src)) >= 0)
		retourcodes(b, dst, &b->records[rec], b->rejected ? "0233" : "0200");
}

/* ---- JW325 ---- */

static void
write_total(struct build *b, xmlNodePtr parent, const char *name, long long signed_cents)
{
	char value[24];
	xmlNodePtr t = el(b, parent, false, name, NULL);

	snprintf(value, sizeof value, "%lld", signed_cents < 0 ? -signed_cents : signed_cents);
	el(b, t, true, "TotaalBedrag", value);
	el(b, t, true, "DebetCredit", signed_cents < 0 ? "C" : "D");
}

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static void
write_declaratie_antwoord(struct build *b, xmlNodePtr root, const struct indexed *v, size_t n)
{
	const struct ijw_record *decl = ijw_doc_record(b->heen, 0);
	xmlNodePtr da = el(b, root, false, "DeclaratieAntwoord", NULL), nummer, clienten = NULL;
	long long toegekend = decl->bedrag;
	struct codes own = {0};
	xmlChar *nr;

	nummer = child(decl->node, "DeclaratieNummer");
	nr = nummer ? xmlNodeGetContent(nummer) : NULL;
	el(b, da, false, "DeclaratieNummer", nr ? (const char *)nr : "");
	xmlFree(nr);
	write_total(b, da, "TotaalIngediendBedrag", decl->bedrag);
	if (b->rejected) {
		write_total(b, da, "TotaalToegekendBedrag", 0);
		add_code(&own, "0001");
		retourcodes(b, da, &own, "0001");
		return;
	}
	/* A client's finding rejects all of its prestaties. */
	for (size_t i = 0; i < ijw_doc_nrecords(b->heen); i++) {
		const struct ijw_record *r = ijw_doc_record(b->heen, i);

		if (strcmp(r->level, "Prestatie") == 0 &&
		    (b->records[i].n || (r->parent >= 0 && b->records[r->parent].n)))
			toegekend -= r->bedrag;
	}
	write_total(b, da, "TotaalToegekendBedrag", toegekend);
	for (size_t i = 0; i < ijw_doc_nrecords(b->heen); i++) {
		const struct ijw_record *c = ijw_doc_record(b->heen, i);
		xmlNodePtr client = NULL, prestaties = NULL;

		if (strcmp(c->level, "Client") != 0)
			continue;
		for (size_t j = i + 1; j < ijw_doc_nrecords(b->heen); j++) {
			const struct ijw_record *p = ijw_doc_record(b->heen, j);

			if (p->parent != (int)i)
				continue;
			if (!b->records[j].n && !b->records[i].n)
				continue;
			if (!clienten)
				clienten = el(b, da, false, "Clienten", NULL);
			if (!client) {
				client = el(b, clienten, false, "Client", NULL);
				el(b, client, false, "Bsn", c->bsn);
				prestaties = el(b, client, false, "Prestaties", NULL);
			}
			if (!b->records[j].n)
				add_code(&b->records[j], "0233");
			copy_echo(b, prestaties, p->node, v, n);
		}
		if (client)
			retourcodes(b, client, &b->records[i], "0200");
	}
	if (toegekend == decl->bedrag)
		add_code(&own, "8001");
	retourcodes(b, da, &own, "0200");
}

/* ---- the answer ---- */

ijw_rc
ijw_retour(const ijw_doc *heen, const ijw_findings *f, const struct ijw_retour_opts *o,
           struct ijw_buf *out)
{
	struct build b = {.heen = heen, .opts = o};
	const struct ijw_header *h = ijw_doc_header(heen);
	size_t n = ijw_doc_nrecords(heen);
	struct indexed *v = NULL;
	xmlNodePtr root, src;
	char id[13], dag[IJW_DATE_SIZE];
	xmlChar *mem = NULL;
	int len = 0;
	ijw_rc rc = IJW_OK;

	b.def = ijw_msgdef(ijw_doc_type(heen));
	if (b.def->retour || !header_complete(h) ||
	    (b.def->type == IJW_JW323 &&
	     (n == 0 || strcmp(ijw_doc_record(heen, 0)->level, "Declaratie") != 0)) ||
	    (o->identificatie && (!*o->identificatie || strlen(o->identificatie) > 12)))
		return IJW_EINVAL;
	b.rdef = ijw_msgdef(b.def->pair);
	if (o->identificatie)
		snprintf(id, sizeof id, "%s", o->identificatie);
	else
		derive_id(h, b.def, id);
	ijw_date_format(o->dagtekening, dag);

	b.records = calloc(n + 1, sizeof *b.records);
	v = calloc(n + 1, sizeof *v);
	if (!b.records || !v) {
		rc = IJW_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].node = ijw_doc_record(heen, i)->node;
		v[i].record = i;
	}
	qsort(v, n, sizeof *v, by_node);
	assign(&b, f, v, n);
	if (o && o->refused && !b.rejected && ijw_findings_count(f)) {
		b.rejected = true;
		add_code(&b.header, "0001");
	}

	if (!(b.doc = xmlNewDoc((const xmlChar *)"1.0")) ||
	    !(root = xmlNewDocNode(b.doc, NULL, (const xmlChar *)"Bericht", NULL))) {
		rc = IJW_ENOMEM;
		goto out;
	}
	xmlDocSetRootElement(b.doc, root);
	{
		char prefix[6];

		for (size_t i = 0; i < 5; i++)
			prefix[i] = (char)(b.rdef->name[i] | 0x20);
		prefix[5] = '\0';
		b.ns = xmlNewNs(root, (const xmlChar *)b.rdef->ns, (const xmlChar *)prefix);
	}
	b.basis = xmlNewNs(root, (const xmlChar *)IJW_NS_BASIS, (const xmlChar *)"ijw");
	if (!b.ns || !b.basis) {
		rc = IJW_ENOMEM;
		goto out;
	}
	xmlSetNs(root, b.ns);
	write_header(&b, root, id, dag);
	if (!b.header_only) {
		if (b.rdef->type == IJW_JW325)
			write_declaratie_antwoord(&b, root, v, n);
		else
			for (src = xmlDocGetRootElement(ijw_doc_xml(heen))->children; src;
			     src = src->next)
				if (src->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)src->name, "Header") != 0)
					copy_echo(&b, root, src, v, n);
	}
	if (b.oom) {
		rc = IJW_ENOMEM;
		goto out;
	}
	xmlDocDumpFormatMemoryEnc(b.doc, &mem, &len, "UTF-8", 1);
	if (!mem) {
		rc = IJW_ENOMEM;
		goto out;
	}
	rc = ijw_buf_add(out, mem, (size_t)len);
out:
	xmlFree(mem);
	xmlFreeDoc(b.doc);
	free(b.records);
	free(v);
	return rc;
}

size_t
ijw_retour_codes(const void *node, char (*codes)[IJW_RETOURCODE_SIZE], size_t max)
{
	const xmlNode *list = ijw_node_at(node, "RetourCodes");
	size_t n = 0;

	for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
		char code[IJW_RETOURCODE_SIZE];

		if (c->type != XML_ELEMENT_NODE || !ijw_node_text(c, code, sizeof code) ||
		    strlen(code) != 4)
			continue;
		if (n < max)
			memcpy(codes[n], code, sizeof code);
		n++;
	}
	return n;
}
