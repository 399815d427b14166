/*
 * conformance.c: the project's iJw 3.2 schemas against the official ones.
 *
 * A differential test. From the official example messages (the two that are
 * invalid on purpose included) and from generated messages of every type it
 * derives some thousands of variants, each by one mutation of one element:
 * removed, duplicated, swapped with its next sibling, emptied; an unknown
 * element added in the message namespace, the basisschema namespace or none;
 * a value out of its pattern, length or code list, too long, an impossible or
 * a leap date, white space around it; a wrong namespace on an element or on
 * the root. Other mutations keep a message valid: another value of the same
 * code list, or the removal of an element with minOccurs 0. Code lists and
 * cardinalities are read from both schema sets, so that a value or an
 * optional element that only one of them knows is tried as well.
 *
 * The element is chosen at random among those that the mutation has not met
 * the declaration of yet, and a source gives more variants while it has such
 * elements: every mutation reaches every declaration that the sources use, and
 * every value of the code lists they use is tried.
 *
 * Each variant is judged by ijw_validate() with the built-in schemas and with
 * the official ones. Both must accept it, or both reject it with the first
 * finding on the same XPath. A fixed-seed PRNG makes every run derive the same
 * variants. Prints every disagreement and a table per mutation kind; exits 1
 * when there was a disagreement or too few variants, 77 (skip) when ../shared
 * with the official schemas is absent.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ijw_gen.h"
#include "ijw_validate.h"
#include "tu.h"

#define XS_NS "http://www.w3.org/2001/XMLSchema"
#define FOREIGN_NS "urn:ijw-gateway:conformance:onbekend"
#define NSETS 2           /* 0: the built-in schemas, 1: the official ones */
#define SEEDS 5           /* generated messages per type */
#define MAX_PER_SOURCE 60 /* variants of one source by one kind */
#define MIN_VARIANTS 2000
#define LONG_VALUE 300 /* characters in a value that is too long */
#define NTYPES (IJW_TYPE_END - 1)
#define NSOURCES (NTYPES * (1 + SEEDS))

static const char *const set_names[NSETS] = {"built-in", "official"};

/* splitmix64 with a fixed seed: every run derives the same variants. */
static uint64_t rng_state = 0x1f2e3d4c5b6a7988u;

static size_t
pick(size_t n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return (size_t)((z ^ (z >> 31)) % n);
}

/* What a mutation may be applied to, in order of preference. */
enum { NOT_A_CANDIDATE, MET, FRESH };

/*
 * A random index into candidate[n]: among the FRESH ones when there are any,
 * else among the MET ones; n when there is no candidate. Preferring what no
 * variant has met yet makes the rarer elements and code values come up too.
 */
static size_t
pick_preferring_fresh(const unsigned char *candidate, size_t n)
{
	size_t count[FRESH + 1] = {0}, level, chosen;

	for (size_t i = 0; i < n; i++)
		count[candidate[i]]++;
	level = count[FRESH] ? FRESH : MET;
	if (count[level] == 0)
		return n;
	chosen = pick(count[level]);
	for (size_t i = 0;; i++)
		if (candidate[i] >= level && chosen-- == 0)
			return i;
}

static _Noreturn void
out_of_memory(void)
{
	fprintf(stderr, "conformance: out of memory\n");
	exit(1);
}

static void *
grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, n * size);

	if (!q)
		out_of_memory();
	return q;
}

/* A schema set read as plain XML, to find the declaration of each element. */
struct xsd {
	xmlDocPtr basis;
	xmlDocPtr msg[IJW_TYPE_END];
};

static xmlDocPtr
read_xsd(const char *dir, const char *name)
{
	char path[4096];
	xmlDocPtr doc;

	snprintf(path, sizeof path, "%s/%s.xsd", dir, name);
	if (!(doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS)))
		fprintf(stderr, "conformance: cannot read %s\n", path);
	return doc;
}

static bool
xsd_read(struct xsd *x, const char *dir)
{
	if (!(x->basis = read_xsd(dir, "basisschema")))
		return false;
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++)
		if (!(x->msg[t] = read_xsd(dir, ijw_msgdef(t)->name)))
			return false;
	return true;
}

static void
xsd_free(struct xsd *x)
{
	xmlFreeDoc(x->basis);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++)
		xmlFreeDoc(x->msg[t]);
}

static bool
is_xs(xmlNodePtr n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST XS_NS) &&
	       xmlStrEqual(n->name, BAD_CAST local);
}

/* The value of an attribute as it stands in the tree, NULL when absent. */
static const char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);

	if (!a)
		return NULL;
	return a->children ? (const char *)a->children->content : "";
}

static bool
attr_is(xmlNodePtr n, const char *name, const char *value)
{
	const char *v = attr(n, name);

	return v && strcmp(v, value) == 0;
}

/* The first xs:local child of n (n may be NULL), or NULL. */
static xmlNodePtr
xs_child(xmlNodePtr n, const char *local)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is_xs(c, local))
			return c;
	return NULL;
}

/* The top-level type that qname names where it is used at from; NULL for an XSD type. */
static xmlNodePtr
named_type(const struct xsd *x, xmlNodePtr from, const char *qname)
{
	const char *colon = strchr(qname, ':');
	const char *local = colon ? colon + 1 : qname;
	char prefix[64];
	xmlNsPtr ns;
	xmlDocPtr doc;

	snprintf(prefix, sizeof prefix, "%.*s", colon ? (int)(colon - qname) : 0, qname);
	ns = xmlSearchNs(from->doc, from, colon ? BAD_CAST prefix : NULL);
	if (!ns || xmlStrEqual(ns->href, BAD_CAST XS_NS))
		return NULL;
	doc = xmlStrEqual(ns->href, BAD_CAST IJW_NS_BASIS) ? x->basis : from->doc;
	for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next)
		if ((is_xs(c, "simpleType") || is_xs(c, "complexType")) &&
		    attr_is(c, "name", local))
			return c;
	return NULL;
}

/*
 * What an element declaration (may be NULL) holds: what is "restriction" for
 * the xs:restriction of its simple type, "sequence" for the xs:sequence of its
 * complex type. NULL when it has none.
 */
static xmlNodePtr
decl_content(const struct xsd *x, xmlNodePtr decl, const char *what)
{
	const char *type;
	xmlNodePtr t;

	if (!decl)
		return NULL;
	if ((type = attr(decl, "type")))
		t = named_type(x, decl, type);
	else if (!(t = xs_child(decl, "simpleType")))
		t = xs_child(decl, "complexType");
	return xs_child(t, what);
}

/* The xs:element in container (may be NULL) that declares el, or NULL. */
static xmlNodePtr
child_decl(xmlNodePtr container, xmlNodePtr el)
{
	if (!container || !el->ns ||
	    !attr_is(xmlDocGetRootElement(container->doc), "targetNamespace",
	             (const char *)el->ns->href))
		return NULL;
	for (xmlNodePtr c = container->children; c; c = c->next)
		if (is_xs(c, "element") && attr_is(c, "name", (const char *)el->name))
			return c;
	return NULL;
}

/* One element of a source and what the two schema sets say about it. */
struct elem {
	xmlNodePtr node;   /* in the source's tree */
	xmlNodePtr decl;   /* its xs:element in the official set, or NULL */
	xmlNodePtr *codes; /* its code list from both sets: xs:enumeration elements */
	size_t ncodes;     /* with distinct values */
	bool optional;     /* minOccurs="0" in either set */
};

/* A message that variants are derived from: its tree and its elements in document order. */
struct source {
	char origin[64];
	enum ijw_type type;
	xmlDocPtr doc;
	struct elem *el;
	size_t n, cap;
};

/* The value of an xs:enumeration. */
static const char *
code(xmlNodePtr enumeration)
{
	return attr(enumeration, "value");
}

static bool
listed(xmlNodePtr const *codes, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(code(codes[i]), value) == 0)
			return true;
	return false;
}

/* Adds the values of restriction (may be NULL) that e's code list lacks. */
static void
add_codes(struct elem *e, xmlNodePtr restriction)
{
	for (xmlNodePtr c = restriction ? restriction->children : NULL; c; c = c->next)
		if (is_xs(c, "enumeration") && code(c) && !listed(e->codes, e->ncodes, code(c))) {
			e->codes = grow(e->codes, e->ncodes + 1, sizeof *e->codes);
			e->codes[e->ncodes++] = c;
		}
}

/* Adds node and the elements in it to src in document order; decl: node's declaration per set. */
static void
walk(struct source *src, const struct xsd *sets, xmlNodePtr node, xmlNodePtr const decl[NSETS])
{
	xmlNodePtr seq[NSETS], sub[NSETS];
	struct elem *e;

	if (src->n == src->cap) {
		src->cap = src->cap ? 2 * src->cap : 256;
		src->el = grow(src->el, src->cap, sizeof *src->el);
	}
	e = &src->el[src->n++];
	*e = (struct elem){node, decl[NSETS - 1], NULL, 0, false};
	for (int i = 0; i < NSETS; i++) {
		add_codes(e, decl_content(&sets[i], decl[i], "restriction"));
		e->optional |= decl[i] && attr_is(decl[i], "minOccurs", "0");
		seq[i] = decl_content(&sets[i], decl[i], "sequence");
	}
	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (int i = 0; i < NSETS; i++)
			sub[i] = child_decl(seq[i], c);
		walk(src, sets, c, sub);
	}
}

/* Parses the message at text and reads what the sets say about its elements. */
static bool
source_init(struct source *src, const struct xsd *sets, enum ijw_type type, const char *text,
            size_t len)
{
	xmlNodePtr root, decl[NSETS];

	src->type = type;
	if (!(src->doc = xmlReadMemory(text, (int)len, src->origin, NULL, XML_PARSE_NONET)) ||
	    !(root = xmlDocGetRootElement(src->doc))) {
		fprintf(stderr, "conformance: %s cannot be parsed\n", src->origin);
		return false;
	}
	for (int i = 0; i < NSETS; i++)
		decl[i] = child_decl(xmlDocGetRootElement(sets[i].msg[type]), root);
	walk(src, sets, root, decl);
	return true;
}

static void
source_free(struct source *src)
{
	for (size_t i = 0; i < src->n; i++)
		free(src->el[i].codes);
	free(src->el);
	xmlFreeDoc(src->doc);
}

/* The text of an element that holds no elements ("" when empty), else NULL. */
static const char *
leaf_text(xmlNodePtr n)
{
	const char *text = "";

	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return NULL;
		if (c->type == XML_TEXT_NODE)
			text = (const char *)c->content;
	}
	return text;
}

static xmlNodePtr
next_element(xmlNodePtr n)
{
	for (n = n->next; n && n->type != XML_ELEMENT_NODE; n = n->next)
		;
	return n;
}

/* The i-th element of doc in document order, the root being the 0th. */
static xmlNodePtr
nth_element(xmlDocPtr doc, size_t i)
{
	xmlNodePtr n = xmlDocGetRootElement(doc);

	for (; i > 0; i--) {
		xmlNodePtr c = n->children;

		if (c && c->type != XML_ELEMENT_NODE)
			c = next_element(c);
		if (c) {
			n = c;
			continue;
		}
		while (!next_element(n))
			n = n->parent;
		n = next_element(n);
	}
	return n;
}

/* Replaces the content of n by text, taken literally (text must not be n's). */
static void
set_text(xmlNodePtr n, const char *text)
{
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, BAD_CAST text);
}

/* The namespace href in scope at n, else declared on n as prefix. */
static xmlNsPtr
ns_for(xmlNodePtr n, const char *href, const char *prefix)
{
	xmlNsPtr ns = xmlSearchNsByHref(n->doc, n, BAD_CAST href);

	return ns ? ns : xmlNewNs(n, BAD_CAST href, BAD_CAST prefix);
}

/*
 * Whether the i-th value of e's code list can replace e's own value: FRESH
 * when no variant has had it yet (marked in the _private field of its
 * xs:enumeration), MET when one has, NOT_A_CANDIDATE when it is e's own.
 */
static int
code_state(const struct elem *e, size_t i)
{
	if (strcmp(code(e->codes[i]), leaf_text(e->node)) == 0)
		return NOT_A_CANDIDATE;
	return e->codes[i]->_private ? MET : FRESH;
}

/* Which elements a mutation applies to. */

static bool
is_root(const struct elem *e)
{
	return e->node->parent->type == XML_DOCUMENT_NODE;
}

static bool
not_root(const struct elem *e)
{
	return !is_root(e);
}

static bool
has_next_sibling(const struct elem *e)
{
	return next_element(e->node) != NULL;
}

static bool
holds_elements(const struct elem *e)
{
	return leaf_text(e->node) == NULL;
}

static bool
holds_text(const struct elem *e)
{
	const char *t = leaf_text(e->node);

	return t && *t;
}

static bool
holds_number(const struct elem *e)
{
	const char *t = leaf_text(e->node);

	if (!t || !*t)
		return false;
	for (; *t; t++)
		if (!isdigit((unsigned char)*t))
			return false;
	return true;
}

/* A short value of digits and capitals: a code, a number, an identification. */
static bool
holds_code(const struct elem *e)
{
	const char *t = leaf_text(e->node);
	size_t n = t ? strlen(t) : 0;

	if (n == 0 || n > 12)
		return false;
	for (; *t; t++)
		if (!isdigit((unsigned char)*t) && !isupper((unsigned char)*t))
			return false;
	return true;
}

static bool
holds_date(const struct elem *e)
{
	static const char shape[] = "dddd-dd-dd";
	const char *t = leaf_text(e->node);

	if (!t || strlen(t) != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)t[i]) : t[i] != shape[i])
			return false;
	return true;
}

static bool
has_code_list(const struct elem *e)
{
	return e->ncodes > 0;
}

static bool
has_other_code(const struct elem *e)
{
	return e->ncodes >= 2;
}

static bool
has_fresh_code(const struct elem *e)
{
	for (size_t i = 0; i < e->ncodes; i++)
		if (code_state(e, i) == FRESH)
			return true;
	return false;
}

static bool
is_optional(const struct elem *e)
{
	return not_root(e) && e->optional;
}

/* The mutations. */

/* Where a mutation applies: a copy of a source and in it the element to mutate. */
struct target {
	xmlDocPtr doc;
	enum ijw_type type;
	xmlNodePtr node;
	const struct elem *e; /* the same element in the source */
};

static void
keep(const struct target *t)
{
	(void)t;
}

static void
remove_element(const struct target *t)
{
	xmlUnlinkNode(t->node);
	xmlFreeNode(t->node);
}

static void
duplicate(const struct target *t)
{
	xmlAddNextSibling(t->node, xmlDocCopyNode(t->node, t->doc, 1));
}

static void
swap(const struct target *t)
{
	xmlNodePtr next = next_element(t->node);

	xmlUnlinkNode(next);
	xmlAddPrevSibling(t->node, next);
}

static void
empty(const struct target *t)
{
	xmlNodeSetContent(t->node, NULL);
}

/* Adds <Onbekend> in namespace href (NULL for none) at a random place in the target. */
static void
add_unknown(const struct target *t, const char *href)
{
	size_t count = 0, at;
	xmlNodePtr before = NULL, n;

	for (xmlNodePtr c = t->node->children; c; c = c->next)
		count += c->type == XML_ELEMENT_NODE;
	at = pick(count + 1);
	for (xmlNodePtr c = t->node->children; c && !before; c = c->next)
		if (c->type == XML_ELEMENT_NODE && at-- == 0)
			before = c;
	/* In no namespace: no source declares a default one that it would fall into. */
	n = xmlNewDocNode(t->doc, NULL, BAD_CAST "Onbekend", BAD_CAST "1");
	if (before)
		xmlAddPrevSibling(before, n);
	else
		xmlAddChild(t->node, n);
	if (href)
		xmlSetNs(n, ns_for(n, href, "x"));
}

static void
unknown_in_message_ns(const struct target *t)
{
	add_unknown(t, ijw_msgdef(t->type)->ns);
}

static void
unknown_in_basis_ns(const struct target *t)
{
	add_unknown(t, IJW_NS_BASIS);
}

static void
unknown_in_no_ns(const struct target *t)
{
	add_unknown(t, NULL);
}

static void
letter_in_number(const struct target *t)
{
	char *text = strdup(leaf_text(t->node));

	if (!text)
		out_of_memory();
	text[pick(strlen(text))] = (char)('A' + pick(26));
	set_text(t->node, text);
	free(text);
}

static void
code_length(const struct target *t)
{
	char text[16];
	size_t n;

	snprintf(text, sizeof text, "%s", leaf_text(t->node));
	n = strlen(text);
	if (n == 1 || pick(2)) {
		text[n] = isdigit((unsigned char)text[n - 1]) ? (char)('0' + pick(10)) : 'Z';
		text[n + 1] = '\0';
	} else {
		text[n - 1] = '\0';
	}
	set_text(t->node, text);
}

static void
out_of_code_list(const struct target *t)
{
	static const char *const wrong[] = {"ZZ", "99", "00", "X", "999", "ZZZ"};
	const size_t nwrong = sizeof wrong / sizeof *wrong;
	size_t k = pick(nwrong);

	for (size_t i = 0; i < nwrong && listed(t->e->codes, t->e->ncodes, wrong[k]); i++)
		k = (k + 1) % nwrong;
	set_text(t->node, wrong[k]);
}

static void
too_long(const struct target *t)
{
	char text[LONG_VALUE + 1];
	bool digits = pick(2);

	for (size_t i = 0; i < LONG_VALUE; i++)
		text[i] = digits ? (char)('1' + i % 9) : (char)('a' + i % 26);
	text[LONG_VALUE] = '\0';
	set_text(t->node, text);
}

static void
impossible_date(const struct target *t)
{
	static const char *const dates[] = {"2023-02-30", "2023-13-01", "2023-04-31", "2023-02-29"};

	set_text(t->node, dates[pick(sizeof dates / sizeof *dates)]);
}

static void
leap_date(const struct target *t)
{
	set_text(t->node, "2024-02-29");
}

/* The other iJw namespace, another message type's, or a foreign one. */
static void
wrong_ns(const struct target *t)
{
	const char *href;
	bool in_basis = t->node->ns && xmlStrEqual(t->node->ns->href, BAD_CAST IJW_NS_BASIS);

	switch (pick(3)) {
	case 0:
		href = in_basis ? ijw_msgdef(t->type)->ns : IJW_NS_BASIS;
		break;
	case 1:
		/* any of the other thirteen types */
		href = ijw_msgdef((enum ijw_type)((t->type + pick(NTYPES - 1)) % NTYPES + 1))->ns;
		break;
	default:
		href = FOREIGN_NS;
	}
	xmlSetNs(t->node, ns_for(t->node, href, "x"));
}

static void
surround_with_space(const struct target *t)
{
	static const char *const pads[][2] = {
	        {" ", ""}, {"", " "}, {"  ", "  "}, {"\n\t\t", "\n\t"}, {"\t", "\r\n"}};
	const size_t k = pick(sizeof pads / sizeof *pads);
	struct ijw_buf b;

	ijw_buf_init(&b, 1 << 20);
	if (ijw_buf_addf(&b, "%s%s%s", pads[k][0], leaf_text(t->node), pads[k][1]))
		out_of_memory();
	set_text(t->node, ijw_buf_str(&b));
	ijw_buf_free(&b);
}

/* Another value of the code list, one that no variant has had yet when there is one. */
static void
other_code(const struct target *t)
{
	static char used;
	const struct elem *e = t->e;
	unsigned char *candidate = grow(NULL, e->ncodes, 1);
	size_t k;

	for (size_t i = 0; i < e->ncodes; i++)
		candidate[i] = (unsigned char)code_state(e, i);
	k = pick_preferring_fresh(candidate, e->ncodes);
	e->codes[k]->_private = &used;
	set_text(t->node, code(e->codes[k]));
	free(candidate);
}

/*
 * A mutation: the elements it fits, what it does, the most variants it derives
 * from one source, and the elements it prefers: those for which fresh() holds,
 * or when fresh is NULL those of a declaration that it has not mutated yet.
 * After the first variant of a source it derives more while the source has
 * elements that it prefers, so that every declaration that the sources use is
 * mutated by every kind that fits it, and every value of every code list that
 * they use is tried.
 */
struct kind {
	const char *name;
	bool (*fits)(const struct elem *e);
	void (*apply)(const struct target *t);
	unsigned max;
	bool (*fresh)(const struct elem *e);
};

static const struct kind kinds[] = {
        {"original", is_root, keep, 1, NULL},
        {"remove", not_root, remove_element, MAX_PER_SOURCE, NULL},
        {"duplicate", not_root, duplicate, MAX_PER_SOURCE, NULL},
        {"swap-siblings", has_next_sibling, swap, MAX_PER_SOURCE, NULL},
        {"empty", holds_text, empty, MAX_PER_SOURCE, NULL},
        {"unknown-message-ns", holds_elements, unknown_in_message_ns, MAX_PER_SOURCE, NULL},
        {"unknown-basis-ns", holds_elements, unknown_in_basis_ns, MAX_PER_SOURCE, NULL},
        {"unknown-no-ns", holds_elements, unknown_in_no_ns, MAX_PER_SOURCE, NULL},
        {"letter-in-number", holds_number, letter_in_number, MAX_PER_SOURCE, NULL},
        {"code-length", holds_code, code_length, MAX_PER_SOURCE, NULL},
        {"out-of-code-list", has_code_list, out_of_code_list, MAX_PER_SOURCE, NULL},
        {"too-long", holds_text, too_long, MAX_PER_SOURCE, NULL},
        {"impossible-date", holds_date, impossible_date, MAX_PER_SOURCE, NULL},
        {"leap-date (valid)", holds_date, leap_date, MAX_PER_SOURCE, NULL},
        {"wrong-ns-element", not_root, wrong_ns, MAX_PER_SOURCE, NULL},
        {"wrong-ns-root", is_root, wrong_ns, MAX_PER_SOURCE, NULL},
        {"whitespace", holds_text, surround_with_space, MAX_PER_SOURCE, NULL},
        {"other-code (valid)", has_other_code, other_code, MAX_PER_SOURCE, has_fresh_code},
        {"remove-optional (valid)", is_optional, remove_element, MAX_PER_SOURCE, NULL},
};

#define NKINDS (sizeof kinds / sizeof *kinds)

_Static_assert(NKINDS <= 32, "the kinds that met a declaration are a 32-bit set");

struct tally {
	unsigned variants, accepted, rejected, disagreements;
};

struct run {
	struct xsd sets[NSETS];
	ijw_schemas *schemas[NSETS];
	ijw_findings *findings[NSETS];
	struct source sources[NSOURCES];
	struct tally tally[NKINDS];
	struct ijw_validate_opts xsd_only; /* the schemas are compared, not the rules */
};

static void
print_finding(const char *set, const struct ijw_finding *f)
{
	if (f)
		printf("    %-8s rejects: %s %s (line %u): %s\n", set, f->rule, f->xpath, f->line,
		       f->text);
	else
		printf("    %-8s accepts\n", set);
}

/* Judges a variant with both sets and counts the outcome; false on a failure of the system. */
static bool
judge(struct run *run, const struct source *src, size_t k, const char *where, const xmlChar *bytes,
      int len)
{
	const struct ijw_finding *first[NSETS];
	struct tally *t = &run->tally[k];

	for (int i = 0; i < NSETS; i++) {
		ijw_rc rc;

		ijw_findings_clear(run->findings[i]);
		rc = ijw_validate(run->schemas[i], bytes, (size_t)len, &run->xsd_only, NULL,
		                  run->findings[i]);
		if (rc) {
			fprintf(stderr, "conformance: %s, %s: the %s schemas: %s %s\n", src->origin,
			        kinds[k].name, set_names[i], ijw_strerror(rc),
			        ijw_schemas_error(run->schemas[i]));
			return false;
		}
		first[i] = ijw_findings_count(run->findings[i])
		                   ? ijw_findings_get(run->findings[i], 0)
		                   : NULL;
	}
	t->variants++;
	if (!first[0] != !first[1] || (first[0] && strcmp(first[0]->xpath, first[1]->xpath) != 0)) {
		t->disagreements++;
		printf("DISAGREEMENT: %s, mutation %s at %s\n", src->origin, kinds[k].name, where);
		for (int i = 0; i < NSETS; i++)
			print_finding(set_names[i], first[i]);
	} else if (first[0]) {
		t->rejected++;
	} else {
		t->accepted++;
	}
	return true;
}

/*
 * Whether kind k has already mutated an element of e's declaration. The set of
 * kinds that met a declaration is kept in the _private field of the official
 * xs:element, which libxml2 leaves to the application. An element that the
 * official schema does not declare (the misplaced RetourCode of JW318.xml)
 * counts as met, or it would never stop being fresh.
 */
static bool
met(const struct elem *e, size_t k)
{
	return !e->decl || ((uintptr_t)e->decl->_private >> k & 1);
}

/*
 * An element of src that kind k fits, chosen at random among those that k
 * prefers (see struct kind), else among all that it fits, and in *level
 * whether k preferred it; NULL when k fits none. Marks its declaration as met
 * by k.
 */
static const struct elem *
choose(const struct source *src, size_t k, int *level)
{
	unsigned char *candidate = grow(NULL, src->n, 1);
	const struct elem *e = NULL;
	size_t i;

	for (i = 0; i < src->n; i++) {
		const struct elem *c = &src->el[i];

		if (!kinds[k].fits(c))
			candidate[i] = NOT_A_CANDIDATE;
		else if (kinds[k].fresh)
			candidate[i] = kinds[k].fresh(c) ? FRESH : MET;
		else
			candidate[i] = met(c, k) ? MET : FRESH;
	}
	if ((i = pick_preferring_fresh(candidate, src->n)) < src->n) {
		e = &src->el[i];
		*level = candidate[i];
		if (e->decl)
			e->decl->_private =
			        (void *)((uintptr_t)e->decl->_private | (uintptr_t)1 << k);
	}
	free(candidate);
	return e;
}

/*
 * Derives a variant of src by kind k on an element that choose() picks, and
 * judges it. Returns whether k preferred the element (MET or FRESH),
 * NOT_A_CANDIDATE when k fits no element of src and there is no variant, or
 * -1 on a failure of the system.
 */
static int
run_variant(struct run *run, const struct source *src, size_t k)
{
	int level = NOT_A_CANDIDATE;
	const struct elem *e = choose(src, k, &level);
	struct target t;
	xmlChar *where, *bytes = NULL;
	int len = 0;

	if (!e)
		return NOT_A_CANDIDATE;
	if (!(t.doc = xmlCopyDoc(src->doc, 1)))
		out_of_memory();
	t.type = src->type;
	t.node = nth_element(t.doc, (size_t)(e - src->el));
	t.e = e;
	where = xmlGetNodePath(t.node);
	kinds[k].apply(&t);
	xmlDocDumpMemory(t.doc, &bytes, &len);
	if (!bytes)
		fprintf(stderr, "conformance: %s, %s: cannot write the variant\n", src->origin,
		        kinds[k].name);
	if (!bytes || !judge(run, src, k, where ? (const char *)where : "?", bytes, len))
		level = -1;
	xmlFree(bytes);
	xmlFree(where);
	xmlFreeDoc(t.doc);
	return level;
}

/* Derives and judges the variants of src by kind k; false on a failure of the system. */
static bool
run_kind(struct run *run, const struct source *src, size_t k)
{
	int level = FRESH;

	for (unsigned r = 0; r < kinds[k].max && level == FRESH; r++)
		if ((level = run_variant(run, src, k)) < 0)
			return false;
	return true;
}

/* The official examples, then SEEDS generated messages per type. */
static bool
load_sources(struct run *run)
{
	const char *dir = tu_official_examples();
	struct source *src = run->sources;
	struct ijw_buf b;
	bool ok = true;

	if (!dir) {
		fprintf(stderr, "conformance: the official examples are absent\n");
		return false;
	}
	for (enum ijw_type t = IJW_TYPE_NONE + 1; ok && t < IJW_TYPE_END; t++, src++) {
		char path[4096], *text;
		size_t len;

		snprintf(path, sizeof path, "%s/%s.xml", dir, ijw_msgdef(t)->name);
		snprintf(src->origin, sizeof src->origin, "voorbeelden/%s.xml",
		         ijw_msgdef(t)->name);
		if (!(text = tu_read(path, &len)))
			fprintf(stderr, "conformance: cannot read %s\n", path);
		ok = text && source_init(src, run->sets, t, text, len);
		free(text);
	}
	ijw_buf_init(&b, 4 << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; ok && t < IJW_TYPE_END; t++)
		for (unsigned seed = 1; ok && seed <= SEEDS; seed++, src++) {
			ijw_buf_reset(&b);
			snprintf(src->origin, sizeof src->origin, "generated %s seed %u",
			         ijw_msgdef(t)->name, seed);
			if (ijw_generate(t, seed, &b)) {
				fprintf(stderr, "conformance: cannot generate %s\n", src->origin);
				ok = false;
			} else {
				ok = source_init(src, run->sets, t, b.data, b.len);
			}
		}
	ijw_buf_free(&b);
	return ok;
}

/* Prints the table; true when the run cannot have passed vacuously or with a difference. */
static bool
summary(const struct run *run, double seconds)
{
	unsigned variants = 0, accepted = 0, rejected = 0, disagreements = 0;
	bool ok = true;

	printf("\n%-24s %8s %8s %8s %13s\n", "mutation", "variants", "accepted", "rejected",
	       "disagreements");
	for (size_t i = 0; i < NKINDS; i++) {
		const struct tally *t = &run->tally[i];

		printf("%-24s %8u %8u %8u %13u\n", kinds[i].name, t->variants, t->accepted,
		       t->rejected, t->disagreements);
		variants += t->variants;
		accepted += t->accepted;
		rejected += t->rejected;
		disagreements += t->disagreements;
		if (t->variants == 0) {
			printf("FAIL: no source has an element that %s applies to\n",
			       kinds[i].name);
			ok = false;
		}
	}
	printf("%-24s %8u %8u %8u %13u\n", "total", variants, accepted, rejected, disagreements);
	printf("%u variants of %d sources judged twice in %.1f s\n", variants, NSOURCES, seconds);
	if (variants < MIN_VARIANTS) {
		printf("FAIL: %u variants, fewer than %d\n", variants, MIN_VARIANTS);
		ok = false;
	}
	if (accepted == 0 || rejected == 0) {
		printf("FAIL: the variants must include accepted and rejected ones\n");
		ok = false;
	}
	if (disagreements) {
		printf("FAIL: the built-in and official schemas disagree on %u variants\n",
		       disagreements);
		ok = false;
	}
	return ok;
}

int
main(void)
{
	static struct run run;
	char project_dir[4096];
	struct timespec t0, t1;
	bool ok;

	if (!tu_official_xsd()) {
		printf("conformance: SKIP: ../shared is absent (no official iJw 3.2 XSDs under "
		       "reference/ijw-3.2/xsd), so there is nothing to compare the built-in "
		       "schemas with\n");
		return TU_SKIP;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	xmlInitParser();
	snprintf(project_dir, sizeof project_dir, "%s/schemas/ijw/3.2", tu_source_dir());
	ijw_validate_opts_init(&run.xsd_only);
	run.xsd_only.rules = false;
	ok = ijw_schemas_new(NULL, &run.schemas[0]) == IJW_OK &&
	     ijw_schemas_new(tu_official_xsd(), &run.schemas[1]) == IJW_OK &&
	     (run.findings[0] = ijw_findings_new()) && (run.findings[1] = ijw_findings_new()) &&
	     xsd_read(&run.sets[0], project_dir) && xsd_read(&run.sets[1], tu_official_xsd()) &&
	     load_sources(&run);
	for (size_t s = 0; ok && s < NSOURCES; s++)
		for (size_t k = 0; ok && k < NKINDS; k++)
			ok = run_kind(&run, &run.sources[s], k);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ok)
		ok = summary(&run, (double)(t1.tv_sec - t0.tv_sec) +
		                           (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	else
		printf("FAIL: the run could not be completed (see above)\n");
	for (size_t s = 0; s < NSOURCES; s++)
		source_free(&run.sources[s]);
	for (int i = 0; i < NSETS; i++) {
		xsd_free(&run.sets[i]);
		ijw_schemas_free(run.schemas[i]);
		ijw_findings_free(run.findings[i]);
	}
	xmlCleanupParser();
	return ok ? 0 : 1;
}
