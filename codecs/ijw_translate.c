/*
 * ijw_translate.c: rewriting product codes, and the policy checks.
 *
 * Translation works on a copy of the document, walked in step with the
 * original, so that findings name the original's elements (which the retour
 * message ties to records) while the copy is rewritten.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ijw_registry.h"
#include "ijw_translate.h"
#include "ijw_value.h"

/* The product held by element n: its category and code elements, if it holds one. */
static bool
product_of(xmlNodePtr n, xmlNodePtr *cat, xmlNodePtr *code)
{
	if (n->type != XML_ELEMENT_NODE || !n->ns)
		return false;
	if (strcmp((const char *)n->name, "Product") == 0) {
		*cat = (xmlNodePtr)ijw_node_at(n, "Categorie");
		*code = (xmlNodePtr)ijw_node_at(n, "Code");
	} else if (strcmp((const char *)n->name, "Prestatie") == 0) {
		*cat = (xmlNodePtr)ijw_node_at(n, "ProductCategorie");
		*code = (xmlNodePtr)ijw_node_at(n, "ProductCode");
	} else {
		return false;
	}
	return *cat && *code;
}

/*
 * The copy, one element a line: the parser keeps no white space between
 * elements, so the layout of the original is not there to keep.
 */
static ijw_rc
dump(xmlDocPtr doc, struct ijw_buf *out)
{
	xmlChar *mem = NULL;
	int len = 0;
	ijw_rc rc;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	if (!mem)
		return IJW_ENOMEM;
	rc = ijw_buf_add(out, mem, (size_t)len);
	xmlFree(mem);
	return rc;
}

struct translation {
	const ijw_products *p;
	enum ijw_vocabulary to;
	const struct ijw_ledger *l;
	const char *gemeente;
	ijw_findings *f;
	bool changed;
	ijw_rc rc;
};

static void
rewrite(xmlNodePtr cat, xmlNodePtr code, const char *new_cat, const char *new_code)
{
	xmlNodeSetContent(cat, (const xmlChar *)new_cat);
	xmlNodeSetContent(code, (const xmlChar *)new_code);
}

static void
refuse(struct translation *t, xmlNodePtr at, const char *fmt, const char *a, const char *b,
       const char *why)
{
	ijw_rc rc = ijw_findings_add_node(t->f, at, "TR381", "S329", fmt, a, b, why);

	if (rc && !t->rc)
		t->rc = rc;
}

/*
 * The national code (into cv, kv) of the assignment the record of code (a
 * product element in the copy) names, when the ledger has it and it is one
 * of combination c.
 */
static bool
assigned_as(struct translation *t, const struct ijw_combination *c, xmlNodePtr code, char *cv,
            char *kv)
{
	xmlNodePtr rec = code->parent;
	const struct ijw_legacy *l;
	char nr[16], cat[3], pc[6];
	int r;

	if (!t->l)
		return false;
	/* a Product's record is its parent; a prestatie's product is in the record itself */
	if (strcmp((const char *)rec->name, "Product") == 0)
		rec = rec->parent;
	if (!ijw_node_text(ijw_node_at(rec, "ToewijzingNummer"), nr, sizeof nr) || !*nr)
		return false;
	if ((r = ijw_ledger_product(t->l, t->gemeente, nr, cat, pc)) < 0) {
		t->rc = IJW_EIO;
		return false;
	}
	if (!r || !*pc || !(l = ijw_products_legacy(t->p, cat, pc)) || l->to != c)
		return false;
	snprintf(cv, 8, "%s", cat);
	snprintf(kv, 8, "%s", pc);
	return true;
}

/* One product: orig in the original, cat and code in the copy. */
static void
translate_one(struct translation *t, xmlNodePtr orig, xmlNodePtr cat, xmlNodePtr code)
{
	const ijw_products *p = t->p;
	const struct ijw_combination *c;
	const struct ijw_legacy *l;
	char cv[8], kv[8];

	if (!ijw_node_text(cat, cv, sizeof cv) || !ijw_node_text(code, kv, sizeof kv))
		return;
	c = ijw_products_regional(p, cv, kv);
	l = c ? NULL : ijw_products_legacy(p, cv, kv);
	if (t->to == IJW_PROFILE) {
		if (c)
			return;
		if (l && l->to) {
			rewrite(cat, code, l->to->categorie, l->to->code);
			t->changed = true;
			return;
		}
		refuse(t, orig,
		       "product %s %s cannot be written as one of the region's products: %s", cv,
		       kv, l ? l->reason : "the region's table does not list it");
		return;
	}
	/* Any code that is not one of the region's own is a national one. */
	if (!c)
		return;
	if (assigned_as(t, c, code, cv, kv)) {
		rewrite(cat, code, cv, kv);
		t->changed = true;
		return;
	}
	if (c->legacy_code[0]) {
		rewrite(cat, code, c->legacy_categorie, c->legacy_code);
		t->changed = true;
		return;
	}
	refuse(t, orig, "product %s %s cannot be written as a national product code: %s", cv, kv,
	       "its combination names no national product in the region's table");
}

/* Walks the original and its copy in step. */
static void
walk(struct translation *t, xmlNodePtr orig, xmlNodePtr copy)
{
	for (; orig && copy && !t->rc; orig = orig->next, copy = copy->next) {
		xmlNodePtr cat, code;

		if (product_of(copy, &cat, &code))
			translate_one(t, orig, cat, code);
		walk(t, orig->children, copy->children);
	}
}

ijw_rc
ijw_translate(const ijw_doc *doc, const ijw_products *p, enum ijw_vocabulary to,
              const struct ijw_ledger *l, struct ijw_buf *out, ijw_findings *f, bool *changed)
{
	const struct ijw_msgdef *def = ijw_msgdef(ijw_doc_type(doc));
	const struct ijw_header *h = ijw_doc_header(doc);
	struct translation t = {.p = p,
	                        .to = to,
	                        .l = l,
	                        .gemeente =
	                                def->afzender == IJW_GEMEENTE ? h->afzender : h->ontvanger,
	                        .f = f};
	xmlDocPtr copy = xmlCopyDoc(ijw_doc_xml(doc), 1);
	ijw_rc rc;

	*changed = false;
	if (!copy)
		return IJW_ENOMEM;
	walk(&t, xmlDocGetRootElement(ijw_doc_xml(doc)), xmlDocGetRootElement(copy));
	rc = t.rc ? t.rc : dump(copy, out);
	xmlFreeDoc(copy);
	*changed = t.changed;
	return rc;
}

/* ---- back into the heen message's codes ---- */

/* The record of doc whose element is node, or NULL. */
static const struct ijw_record *
record_at(const ijw_doc *doc, xmlNodePtr node)
{
	for (size_t i = 0; i < ijw_doc_nrecords(doc); i++)
		if (ijw_doc_record(doc, i)->node == node)
			return ijw_doc_record(doc, i);
	return NULL;
}

/* The heen record that the retour's record answers. */
static const struct ijw_record *
answered(const ijw_doc *retour, const ijw_doc *heen, xmlNodePtr rec_node)
{
	char ref[32], other[32];

	if (ijw_doc_type(retour) == IJW_JW325) {
		if (!ijw_node_text(ijw_node_at(rec_node, "ProductReferentie/ReferentieNummer"), ref,
		                   sizeof ref))
			return NULL;
		for (size_t i = 0; i < ijw_doc_nrecords(heen); i++) {
			const struct ijw_record *h = ijw_doc_record(heen, i);
			const void *n = ijw_node_at(h->node, "ProductReferentie/ReferentieNummer");

			if (strcmp(h->level, "Prestatie") == 0 && n &&
			    ijw_node_text(n, other, sizeof other) && strcmp(ref, other) == 0)
				return h;
		}
		return NULL;
	}
	for (size_t i = 0; i < ijw_doc_nrecords(retour) && i < ijw_doc_nrecords(heen); i++)
		if (ijw_doc_record(retour, i)->node == rec_node)
			return strcmp(ijw_doc_record(heen, i)->level,
			              ijw_doc_record(retour, i)->level)
			               ? NULL
			               : ijw_doc_record(heen, i);
	return NULL;
}

/* The product of record element rec: that of its Product, or a Prestatie's own. */
static bool
record_product(const void *rec, xmlNodePtr *cat, xmlNodePtr *code)
{
	const void *product = ijw_node_at(rec, "Product");

	return product_of((xmlNodePtr)(product ? product : rec), cat, code);
}

struct back {
	const ijw_doc *retour, *heen;
};

static void
walk_back(const struct back *b, xmlNodePtr orig, xmlNodePtr copy)
{
	for (; orig && copy; orig = orig->next, copy = copy->next) {
		xmlNodePtr cat, code, hcat, hcode;
		const struct ijw_record *h;
		char cv[8], kv[8];

		if (product_of(copy, &cat, &code)) {
			/* A Product's record is its parent; a Prestatie is a record itself. */
			xmlNodePtr rec = strcmp((const char *)orig->name, "Prestatie") == 0
			                         ? orig
			                         : orig->parent;

			if (record_at(b->retour, rec) && (h = answered(b->retour, b->heen, rec)) &&
			    record_product(h->node, &hcat, &hcode) &&
			    ijw_node_text(hcat, cv, sizeof cv) &&
			    ijw_node_text(hcode, kv, sizeof kv))
				rewrite(cat, code, cv, kv);
		}
		walk_back(b, orig->children, copy->children);
	}
}

ijw_rc
ijw_translate_back(const ijw_doc *retour, const ijw_doc *heen, struct ijw_buf *out)
{
	struct back b = {retour, heen};
	xmlDocPtr copy = xmlCopyDoc(ijw_doc_xml(retour), 1);
	ijw_rc rc;

	if (!copy)
		return IJW_ENOMEM;
	walk_back(&b, xmlDocGetRootElement(ijw_doc_xml(retour)), xmlDocGetRootElement(copy));
	rc = dump(copy, out);
	xmlFreeDoc(copy);
	return rc;
}

/* ---- the region's checks on a declaration ---- */

static long long
number_at(const void *rec, const char *path)
{
	char buf[32];
	const void *n = ijw_node_at(rec, path);

	return n && ijw_node_text(n, buf, sizeof buf) && buf[0] ? strtoll(buf, NULL, 10) : -1;
}

static void
euro(long long cents, char *out, size_t size)
{
	char v[24];

	ijw_cents_format(cents, v, sizeof v);
	snprintf(out, size, "EUR %s", v);
}

static bool
contract_tariff(const struct ijw_combination *c, long long tarief)
{
	if (c->tariff >= 0 && tarief == c->tariff)
		return true;
	for (size_t i = 0; i < c->nlevels; i++)
		if (tarief == c->levels[i])
			return true;
	return false;
}

ijw_rc
ijw_policy_check(const ijw_doc *doc, const ijw_products *p, ijw_findings *enforced,
                 ijw_findings *advised)
{
	enum ijw_check tariff = ijw_products_check_tariff(p);
	enum ijw_check day = ijw_products_check_day_price(p);
	ijw_rc rc = IJW_OK;

	if (ijw_doc_type(doc) != IJW_JW323)
		return IJW_OK;
	for (size_t i = 0; i < ijw_doc_nrecords(doc) && !rc; i++) {
		const struct ijw_record *r = ijw_doc_record(doc, i);
		const struct ijw_combination *c;
		const struct ijw_legacy *l;
		long long tarief, volume, bedrag;
		char a[32], b[32], eenheid[4] = "";
		ijw_day begin, end;

		if (strcmp(r->level, "Prestatie") != 0)
			continue;
		c = ijw_products_regional(p, r->categorie, r->productcode);
		if (!c && (l = ijw_products_legacy(p, r->categorie, r->productcode)))
			c = l->to;
		if (!c)
			continue;
		tarief = number_at(r->node, "ProductTarief");
		volume = r->volume[0] ? strtoll(r->volume, NULL, 10) : -1;
		bedrag = r->has_bedrag ? llabs(r->bedrag) : -1;
		ijw_node_text(ijw_node_at(r->node, "Eenheid"), eenheid, sizeof eenheid);
		if (c->day_price >= 0 && day != IJW_CHECK_OFF) {
			ijw_findings *to = day == IJW_CHECK_ENFORCE ? enforced : advised;
			long long days = ijw_date_parse(r->begindatum, &begin) &&
			                                 ijw_date_parse(r->einddatum, &end)
			                         ? end - begin + 1
			                         : -1;

			euro(c->day_price, a, sizeof a);
			if (strcmp(eenheid, "14") != 0)
				rc = ijw_findings_add_node(
				        to, r->node, "DAGPRIJS", "0611",
				        "combination %s is paid per care day: declare "
				        "it in Eenheid 14 (etmaal), not %s",
				        c->id, eenheid);
			else if (days >= 0 && volume > days)
				rc = ijw_findings_add_node(
				        to, r->node, "DAGPRIJS", "0611",
				        "%lld care days declared in a ProductPeriode of "
				        "%lld days",
				        volume, days);
			else if (bedrag != c->day_price * volume) {
				euro(c->day_price * volume, b, sizeof b);
				rc = ijw_findings_add_node(
				        to, r->node, "DAGPRIJS", "0611",
				        "the amount for %lld care days of combination %s is %s "
				        "(the day price %s times the days), not what was declared",
				        volume, c->id, b, a);
			}
		} else if (tariff != IJW_CHECK_OFF && (c->tariff >= 0 || c->nlevels) &&
		           tarief >= 0 && !contract_tariff(c, tarief)) {
			euro(tarief, a, sizeof a);
			euro(c->tariff >= 0 ? c->tariff : c->levels[0], b, sizeof b);
			rc = ijw_findings_add_node(
			        tariff == IJW_CHECK_ENFORCE ? enforced : advised, r->node, "TR418",
			        "0611",
			        "the ProductTarief %s is not the contractual tariff "
			        "of combination %s (%s%s)",
			        a, c->id, b, c->nlevels ? " or one of its levels" : "");
		}
	}
	return rc;
}
