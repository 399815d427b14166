/*
 * ijw_doc.c: hostile-input parsing and the typed view.
 *
 * libxml2 is driven through its own SAX2 tree builder with handlers put in
 * front of it: one refuses a document type declaration as soon as it is seen
 * (so no entity is ever declared, expanded or loaded), one refuses processing
 * instructions, two count the element depth and stop the parser past the
 * limit. The same two note the record levels as the tree grows and read each
 * record when its element ends, while its nodes are fresh in the cache,
 * rather than in a second walk over the tree. Every handler that adds a node
 * counts it against the bytes read so far, and stops the parser at the node
 * that is one too many. Parser messages are taken through the structured
 * error handler of the context and become findings; nothing is printed.
 */
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>

#include "ijw_doc.h"

/* White space between elements makes no node: nothing reads it. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS)

struct ijw_doc {
	xmlDocPtr xml;
	enum ijw_type type;
	struct ijw_header header;
	struct ijw_record *records;
	size_t nrecords, arecords;
};

struct parse_state {
	ijw_findings *f;
	unsigned depth, max_depth;
	size_t nodes;            /* the nodes of the tree so far */
	size_t max_nodes;        /* the limit of lim */
	unsigned bytes_per_node; /* the limits of lim */
	unsigned node_slack;
	bool refused; /* a DTD, a processing instruction or a limit stopped the parser */
	bool failed;  /* a parser error was reported */
	ijw_rc rc;    /* a system failure while recording a finding */
	/*
	 * The records, in document order: the elements of a record level whose
	 * ancestors below the root are all in the message's namespace.
	 */
	const struct ijw_msgdef *def; /* the type the root names, NULL for none */
	const xmlChar *msg_uri;       /* the parser's copy of def->ns, once seen */
	const xmlChar *other_uri;     /* the last namespace seen not to be def->ns */
	unsigned skip_depth;          /* the depth of an element outside it, 0: none */
	int open;                     /* the innermost unfinished record, -1: none */
	struct ijw_record *records;
	size_t nrecords, arecords;
};

/* Remembers the first system failure of adding a finding from a callback. */
static void
keep(struct parse_state *st, ijw_rc rc)
{
	if (rc && !st->rc)
		st->rc = rc;
}

static void
on_error(void *ctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;

	if (err->level < XML_ERR_ERROR || st->refused)
		return;
	st->failed = true;
	keep(st, ijw_findings_add(st->f, "XML", "0001", "/", (unsigned)err->line,
	                          "not well-formed XML: %s",
	                          err->message ? err->message : "parser error"));
}

/* Stops the parser with a finding at its line: the message is refused. */
static void refuse(xmlParserCtxtPtr ctxt, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
refuse(xmlParserCtxtPtr ctxt, const char *fmt, ...)
{
	struct parse_state *st = ctxt->_private;
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	keep(st, ijw_findings_add(st->f, "XML", "0001", "/", (unsigned)xmlSAX2GetLineNumber(ctxt),
	                          "%s", text));
	st->refused = true;
	xmlStopParser(ctxt);
}

static void
on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	refuse(ctx, "a document type declaration (DOCTYPE) is not allowed in an iJw message");
}

/*
 * Counts n nodes more; false, with the parser stopped, when they are more
 * than the input read so far may bring.
 */
static bool
count_nodes(xmlParserCtxtPtr ctxt, size_t n)
{
	struct parse_state *st = ctxt->_private;
	size_t read =
	        (size_t)ctxt->input->consumed + (size_t)(ctxt->input->cur - ctxt->input->base);

	st->nodes += n;
	if (st->nodes > st->max_nodes) {
		refuse(ctxt,
		       "the message has more than %zu nodes (elements, attributes, text, "
		       "comments); "
		       "the limit is %zu",
		       st->max_nodes, st->max_nodes);
		return false;
	}
	if (st->nodes > read / st->bytes_per_node + st->node_slack) {
		refuse(ctxt,
		       "the message has %zu nodes (elements, attributes, text, comments) in its "
		       "first %zu "
		       "bytes; the limit is one per %u bytes and %u more",
		       st->nodes, read, st->bytes_per_node, st->node_slack);
		return false;
	}
	return true;
}

/*
 * Text and CDATA sections, added by the tree builder's add: a node when they
 * do not continue the last one.
 */
static void
add_text(void *ctx, const xmlChar *ch, int len, void (*add)(void *, const xmlChar *, int))
{
	xmlParserCtxtPtr ctxt = ctx;
	xmlNodePtr last = ctxt->node ? ctxt->node->last : NULL;

	add(ctx, ch, len);
	if (ctxt->node && ctxt->node->last != last)
		count_nodes(ctxt, 1);
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	add_text(ctx, ch, len, xmlSAX2Characters);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	add_text(ctx, ch, len, xmlSAX2CDataBlock);
}

/* A comment is allowed, as in any XML, but it is a node like the others. */
static void
on_comment(void *ctx, const xmlChar *value)
{
	if (count_nodes(ctx, 1))
		xmlSAX2Comment(ctx, value);
}

/* An iJw message is data: nothing in it is an instruction to an application. */
static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)data;
	refuse(ctx, "a processing instruction (<?%.40s ...?>) is not allowed in an iJw message",
	       (const char *)target);
}

static void
ignore_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* UTF-16 and UTF-32 announce themselves with a byte order mark or NUL bytes. */
static bool
looks_utf8(const unsigned char *p, size_t len)
{
	if (len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE)))
		return false;
	return memchr(p, '\0', len) == NULL;
}

/* Skips from p past the first occurrence of end, or to e when there is none. */
static const char *
skip_past(const char *p, const char *e, const char *end)
{
	size_t n = strlen(end);

	for (; p + n <= e; p++)
		if (memcmp(p, end, n) == 0)
			return p + n;
	return e;
}

/*
 * The start tag with the most attributes, counted as '=' outside quoted
 * values, in one pass. libxml2 looks for duplicate attributes by comparing
 * each with every other, so an element with a hundred thousand attributes
 * would hold a thread for minutes; such an element is refused before the
 * parser sees it. Comments, CDATA sections, processing instructions and
 * declarations are skipped: their text holds no tags.
 */
static size_t
most_attributes(const char *p, size_t len, size_t *where)
{
	const char *e = p + len, *s = p;
	size_t most = 0;

	*where = 0;
	while ((p = memchr(p, '<', (size_t)(e - p)))) {
		const char *tag = p;
		size_t n = 0;
		char quote = 0;

		p++;
		if (p < e && *p == '!') {
			if ((size_t)(e - p) >= 3 && memcmp(p, "!--", 3) == 0)
				p = skip_past(p + 3, e, "-->");
			else if ((size_t)(e - p) >= 8 && memcmp(p, "![CDATA[", 8) == 0)
				p = skip_past(p + 8, e, "]]>");
			else
				p = skip_past(p, e, ">");
			continue;
		}
		if (p < e && *p == '?') {
			p = skip_past(p, e, "?>");
			continue;
		}
		for (; p < e && (quote || *p != '>'); p++) {
			if (quote) {
				if (*p == quote)
					quote = 0;
			} else if (*p == '"' || *p == '\'') {
				quote = *p;
			} else if (*p == '=') {
				n++;
			}
		}
		if (n > most) {
			most = n;
			*where = (size_t)(tag - s);
		}
	}
	return most;
}

/* How many times c occurs in the len bytes at p. */
static size_t
occurrences(const char *p, size_t len, char c)
{
	const char *e = p + len;
	size_t n = 0;

	while ((p = memchr(p, c, (size_t)(e - p)))) {
		n++;
		p++;
	}
	return n;
}

/* The line of the byte at offset off, counting from 1. */
static unsigned
line_at(const char *p, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += p[i] == '\n';
	return line;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies the trimmed text content of element n into dst when it fits. */
bool
ijw_node_text(const void *node, char *dst, size_t size)
{
	const xmlNode *n = node;
	size_t len = 0, lead = 0;

	dst[0] = '\0';
	for (xmlNodePtr c = n->children; c; c = c->next) {
		size_t l;

		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			continue;
		if (!c->content)
			continue;
		l = strlen((const char *)c->content);
		if (l >= size - len) {
			dst[0] = '\0';
			return false;
		}
		memcpy(dst + len, c->content, l);
		len += l;
	}
	while (len > 0 && is_space(dst[len - 1]))
		len--;
	while (lead < len && is_space(dst[lead]))
		lead++;
	if (lead)
		memmove(dst, dst + lead, len - lead);
	dst[len - lead] = '\0';
	return true;
}

/*
 * Whether name is local. The first byte settles most comparisons: the typed
 * view compares every element against a few dozen names.
 */
static bool
name_is(const xmlChar *name, const char *local)
{
	return name[0] == (xmlChar)local[0] && strcmp((const char *)name, local) == 0;
}

static bool
is_elem(xmlNodePtr n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && name_is(n->name, local);
}

static xmlNodePtr
child(xmlNodePtr n, const char *local)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is_elem(c, local))
			return c;
	return NULL;
}

#define TEXT(node, field) ijw_node_text(node, field, sizeof field)

static void
read_header(xmlNodePtr h, struct ijw_header *hd)
{
	xmlNodePtr n;

	for (xmlNodePtr c = h->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(c, "BerichtCode"))
			TEXT(c, hd->berichtcode);
		else if (is_elem(c, "BerichtVersie"))
			TEXT(c, hd->versie);
		else if (is_elem(c, "BerichtSubversie"))
			TEXT(c, hd->subversie);
		else if (is_elem(c, "Afzender"))
			TEXT(c, hd->afzender);
		else if (is_elem(c, "Ontvanger"))
			TEXT(c, hd->ontvanger);
		else if (is_elem(c, "BerichtIdentificatie")) {
			if ((n = child(c, "Identificatie")))
				TEXT(n, hd->identificatie);
			if ((n = child(c, "Dagtekening")))
				TEXT(n, hd->dagtekening);
		} else if (is_elem(c, "IdentificatieRetour")) {
			TEXT(c, hd->identificatie_retour);
		} else if (is_elem(c, "DeclaratieIdentificatie")) {
			if ((n = child(c, "Identificatie")))
				TEXT(n, hd->declaratie_identificatie);
		} else if (is_elem(c, "XsdVersie")) {
			if ((n = child(c, "BasisschemaXsdVersie")))
				TEXT(n, hd->xsd_basis);
			if ((n = child(c, "BerichtXsdVersie")))
				TEXT(n, hd->xsd_bericht);
		}
	}
}

enum field { F_BSN, F_TOEWIJZING, F_CATEGORIE, F_CODE, F_BEGIN, F_EIND, F_VOLUME, F_BEDRAG, F_DC };

/*
 * Where a record's fields are found, as a child or a grandchild. When several
 * rows give the same field, the earlier row wins: JW305 has both Begindatum
 * and ToewijzingIngangsdatum, and the start of care is the Begindatum.
 */
static const struct {
	const char *outer, *inner;
	enum field field;
} field_paths[] = {
        {"Bsn", NULL, F_BSN},
        {"ToewijzingNummer", NULL, F_TOEWIJZING},
        {"Product", "Categorie", F_CATEGORIE},
        {"Product", "Code", F_CODE},
        {"ProductCategorie", NULL, F_CATEGORIE},
        {"ProductCode", NULL, F_CODE},
        {"Begindatum", NULL, F_BEGIN},
        {"Ingangsdatum", NULL, F_BEGIN},
        {"GewensteIngangsdatum", NULL, F_BEGIN},
        {"ToewijzingIngangsdatum", NULL, F_BEGIN},
        {"ProductPeriode", "Begindatum", F_BEGIN},
        {"DeclaratiePeriode", "Begindatum", F_BEGIN},
        {"Einddatum", NULL, F_EIND},
        {"ToewijzingEinddatum", NULL, F_EIND},
        {"ProductPeriode", "Einddatum", F_EIND},
        {"DeclaratiePeriode", "Einddatum", F_EIND},
        {"Omvang", "Volume", F_VOLUME},
        {"GeleverdVolume", NULL, F_VOLUME},
        {"IngediendBedrag", "Bedrag", F_BEDRAG},
        {"IngediendBedrag", "DebetCredit", F_DC},
        {"TotaalIngediendBedrag", "TotaalBedrag", F_BEDRAG},
        {"TotaalIngediendBedrag", "DebetCredit", F_DC},
};

#define NPATHS (sizeof field_paths / sizeof field_paths[0])

_Static_assert(NPATHS <= 32, "a row of field_paths is a bit of a uint32_t");

/*
 * The rows of field_paths by the first byte of their outer name, one bit per
 * row: a child element is compared only with the rows it can match.
 */
static uint32_t rows_by_first_byte[UCHAR_MAX + 1];
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static void
index_rows(void)
{
	for (size_t i = 0; i < NPATHS; i++)
		rows_by_first_byte[(unsigned char)field_paths[i].outer[0]] |= UINT32_C(1) << i;
}

/* The registry's own copy of the level name, so records can point at it. */
static const char *
level_name(const struct ijw_msgdef *def, const xmlChar *local)
{
	for (const char *const *l = def->levels; *l; l++)
		if (name_is(local, *l))
			return *l;
	return NULL;
}

static void
read_record(xmlNodePtr n, struct ijw_record *r)
{
	char bedrag[16] = "", dc[2] = "";
	size_t best[F_DC + 1];
	struct {
		char *dst;
		size_t size;
	} dst[] = {
	        [F_BSN] = {r->bsn, sizeof r->bsn},
	        [F_TOEWIJZING] = {r->toewijzingnummer, sizeof r->toewijzingnummer},
	        [F_CATEGORIE] = {r->categorie, sizeof r->categorie},
	        [F_CODE] = {r->productcode, sizeof r->productcode},
	        [F_BEGIN] = {r->begindatum, sizeof r->begindatum},
	        [F_EIND] = {r->einddatum, sizeof r->einddatum},
	        [F_VOLUME] = {r->volume, sizeof r->volume},
	        [F_BEDRAG] = {bedrag, sizeof bedrag},
	        [F_DC] = {dc, sizeof dc},
	};

	for (size_t i = 0; i <= F_DC; i++)
		best[i] = NPATHS;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		uint32_t rows;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (rows = rows_by_first_byte[c->name[0]]; rows; rows &= rows - 1) {
			size_t i = (size_t)__builtin_ctz(rows);
			enum field fl = field_paths[i].field;
			xmlNodePtr src = c;

			if (i >= best[fl] ||
			    strcmp((const char *)c->name, field_paths[i].outer) != 0)
				continue;
			if (field_paths[i].inner && !(src = child(c, field_paths[i].inner)))
				continue;
			ijw_node_text(src, dst[fl].dst, dst[fl].size);
			best[fl] = i;
		}
	}
	if (bedrag[0] && strspn(bedrag, "0123456789") == strlen(bedrag)) {
		r->has_bedrag = true;
		r->bedrag = strtoll(bedrag, NULL, 10);
		if (dc[0] == 'C')
			r->bedrag = -r->bedrag;
	}
}

/* Whether uri is the message's namespace; the parser interns the URIs. */
static bool
in_message_ns(struct parse_state *st, const xmlChar *uri)
{
	if (!uri || uri == st->other_uri)
		return false;
	if (uri == st->msg_uri)
		return true;
	if (strcmp((const char *)uri, st->def->ns) != 0) {
		st->other_uri = uri;
		return false;
	}
	st->msg_uri = uri;
	return true;
}

/* Notes element n, just started at st->depth, when it is a record. */
static ijw_rc
record_start(struct parse_state *st, xmlNodePtr n, const xmlChar *local, const xmlChar *uri)
{
	const char *level;
	struct ijw_record *r;

	if (st->depth == 1) {
		if (uri && name_is(local, "Bericht"))
			st->def = ijw_msgdef_by_ns((const char *)uri);
		return IJW_OK;
	}
	if (!st->def || st->skip_depth)
		return IJW_OK;
	if (!in_message_ns(st, uri)) {
		st->skip_depth = st->depth;
		return IJW_OK;
	}
	if (!(level = level_name(st->def, local)))
		return IJW_OK;
	if (st->nrecords == st->arecords) {
		size_t na = st->arecords ? st->arecords * 2 : 16;
		struct ijw_record *p = realloc(st->records, na * sizeof *p);

		if (!p)
			return IJW_ENOMEM;
		st->records = p;
		st->arecords = na;
	}
	r = &st->records[st->nrecords];
	memset(r, 0, sizeof *r);
	r->level = level;
	r->parent = st->open;
	r->line = (unsigned)xmlGetLineNo(n);
	r->node = n;
	st->open = (int)st->nrecords++;
	return IJW_OK;
}

/* Reads the record of element n, which ends at st->depth, now it is whole. */
static void
record_end(struct parse_state *st, xmlNodePtr n)
{
	struct ijw_record *r;

	if (st->skip_depth == st->depth) {
		st->skip_depth = 0;
		return;
	}
	if (st->open < 0 || st->records[st->open].node != n)
		return;
	r = &st->records[st->open];
	read_record(n, r);
	st->open = r->parent;
}

static void
on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
         const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;
	xmlNodePtr parent = ctxt->node;

	if (++st->depth > st->max_depth) {
		refuse(ctxt, "elements are nested deeper than %u levels", st->max_depth);
		return;
	}
	if (!count_nodes(ctxt, 1 + (size_t)nns + 2 * (size_t)nattr))
		return;
	xmlSAX2StartElementNs(ctx, local, prefix, uri, nns, nss, nattr, ndef, attrs);
	/* The tree builder makes the element the parser's node, unless it failed. */
	if (ctxt->node != parent && record_start(st, ctxt->node, local, uri)) {
		keep(st, IJW_ENOMEM);
		xmlStopParser(ctxt);
	}
}

static void
on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;

	if (ctxt->node)
		record_end(st, ctxt->node);
	st->depth--;
	xmlSAX2EndElementNs(ctx, local, prefix, uri);
}

/*
 * Names the message type of the root element, or adds a TYPE finding that
 * says why the document is not a known iJw 3.2 message.
 */
static const struct ijw_msgdef *
classify(xmlNodePtr root, ijw_findings *f, ijw_rc *rc)
{
	const struct ijw_msgdef *def;
	const char *ns = root->ns ? (const char *)root->ns->href : NULL;
	unsigned line = (unsigned)xmlGetLineNo(root);
	char code[8] = "";
	xmlNodePtr h;

	if ((h = child(root, "Header")) && (h = child(h, "BerichtCode")))
		TEXT(h, code);
	if (strcmp((const char *)root->name, "Bericht") != 0) {
		*rc = ijw_findings_add(f, "TYPE", "0001", "/", line,
		                       "the root element is <%s>; an iJw message has <Bericht>",
		                       (const char *)root->name);
		return NULL;
	}
	if (ns && (def = ijw_msgdef_by_ns(ns)))
		return def;
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		def = ijw_msgdef(t);
		if (strcmp(def->code, code) == 0) {
			*rc = ijw_findings_add(f, "TYPE", "0001", "/", line,
			                       "BerichtCode %s is %s, whose root namespace is %s; "
			                       "this message has %s",
			                       code, def->name, def->ns, ns ? ns : "no namespace");
			return NULL;
		}
	}
	*rc = ijw_findings_add(f, "TYPE", "0001", "/", line,
	                       "not an iJw 3.2 message: root namespace %s is none of "
	                       "http://www.istandaarden.nl/ijw/3_2/jw3NN/schema",
	                       ns ? ns : "(none)");
	return NULL;
}

/* Makes the document of xml, taking the records of st. */
static ijw_rc
build(xmlDocPtr xml, struct parse_state *st, ijw_doc **out, ijw_findings *f)
{
	xmlNodePtr root = xmlDocGetRootElement(xml), h;
	const struct ijw_msgdef *def;
	ijw_rc rc = IJW_OK;
	ijw_doc *d;

	if (xml->encoding && strcasecmp((const char *)xml->encoding, "UTF-8") != 0) {
		rc = ijw_findings_add(f, "XML", "0001", "/", 1,
		                      "the message declares encoding %s; iJw messages are UTF-8",
		                      (const char *)xml->encoding);
		xmlFreeDoc(xml);
		return rc;
	}
	if (!(def = classify(root, f, &rc))) {
		xmlFreeDoc(xml);
		return rc;
	}
	if (!(d = calloc(1, sizeof *d))) {
		xmlFreeDoc(xml);
		return IJW_ENOMEM;
	}
	d->xml = xml;
	d->type = def->type;
	d->records = st->records;
	d->nrecords = st->nrecords;
	d->arecords = st->arecords;
	st->records = NULL;
	if ((h = child(root, "Header")))
		read_header(h, &d->header);
	*out = d;
	return IJW_OK;
}

ijw_rc
ijw_doc_parse(const void *buf, size_t len, const struct ijw_limits *lim, ijw_doc **out,
              ijw_findings *f)
{
	static const struct ijw_limits deflim = IJW_LIMITS_DEFAULT;
	struct parse_state st = {.f = f, .open = -1};
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	ijw_rc rc;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr xml;
	size_t most, where;

	*out = NULL;
	pthread_once(&rows_once, index_rows);
	if (!lim)
		lim = &deflim;
	st.max_depth = lim->max_depth;
	st.max_nodes = lim->max_nodes;
	st.bytes_per_node = lim->bytes_per_node ? lim->bytes_per_node : 1;
	st.node_slack = lim->node_slack;
	if (len > lim->max_bytes)
		return ijw_findings_add(f, "XML", "0001", "/", 0,
		                        "the message is larger than the limit of %zu bytes",
		                        lim->max_bytes);
	if (len == 0)
		return ijw_findings_add(f, "XML", "0001", "/", 0, "the message is empty");
	if (len > INT_MAX)
		return ijw_findings_add(f, "XML", "0001", "/", 0, "the message is too large");
	if (!looks_utf8(buf, len))
		return ijw_findings_add(f, "XML", "0001", "/", 1,
		                        "the message is not UTF-8 (a byte order mark of UTF-16 "
		                        "or a NUL byte); iJw messages are UTF-8");
	/* Fewer '=' in all than the limit (the common case) need no closer look. */
	if (occurrences(buf, len, '=') > lim->max_attributes &&
	    (most = most_attributes(buf, len, &where)) > lim->max_attributes)
		return ijw_findings_add(f, "XML", "0001", "/", line_at(buf, where),
		                        "an element has %zu attributes; the limit is %u", most,
		                        lim->max_attributes);

	if (!(ctxt = xmlNewParserCtxt()))
		return IJW_ENOMEM;
	ctxt->_private = &st;
	ctxt->sax->serror = on_error;
	ctxt->sax->internalSubset = on_internal_subset;
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	ctxt->sax->characters = on_characters;
	ctxt->sax->cdataBlock = on_cdata;
	ctxt->sax->comment = on_comment;
	ctxt->sax->processingInstruction = on_pi;
	/*
	 * A few messages (from encoding conversion) bypass the context's handler
	 * for libxml2's thread-wide generic one, which prints; each comes with a
	 * parser error that the context's handler does see.
	 */
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, ignore_generic);
	xml = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, PARSE_OPTIONS);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	if (!st.failed && !st.refused && !st.rc &&
	    (!xml || !ctxt->wellFormed || !ctxt->nsWellFormed || !xmlDocGetRootElement(xml)))
		keep(&st, ijw_findings_add(f, "XML", "0001", "/", 0, "not well-formed XML"));
	if (st.failed || st.refused || st.rc || !xml || !ctxt->wellFormed || !ctxt->nsWellFormed ||
	    !xmlDocGetRootElement(xml)) {
		xmlFreeDoc(xml);
		xmlFreeParserCtxt(ctxt);
		free(st.records);
		return st.rc;
	}
	xmlFreeParserCtxt(ctxt);
	rc = build(xml, &st, out, f);
	free(st.records);
	return rc;
}

void
ijw_doc_free(ijw_doc *d)
{
	if (!d)
		return;
	xmlFreeDoc(d->xml);
	free(d->records);
	free(d);
}

void
ijw_doc_release_memory(size_t len)
{
	if (len >= IJW_DOC_RELEASE_BYTES)
		malloc_trim(0);
}

enum ijw_type
ijw_doc_type(const ijw_doc *d)
{
	return d->type;
}

const struct ijw_header *
ijw_doc_header(const ijw_doc *d)
{
	return &d->header;
}

size_t
ijw_doc_nrecords(const ijw_doc *d)
{
	return d->nrecords;
}

const struct ijw_record *
ijw_doc_record(const ijw_doc *d, size_t i)
{
	return i < d->nrecords ? &d->records[i] : NULL;
}

const void *
ijw_node_at(const void *node, const char *path)
{
	const xmlNode *n = node;

	while (n && *path) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		const xmlNode *c;

		for (c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && c->name[0] == (xmlChar)path[0] &&
			    strncmp((const char *)c->name, path, len) == 0 && c->name[len] == '\0')
				break;
		n = c;
		path += len + (slash != NULL);
	}
	return n;
}

const void *
ijw_doc_root(const ijw_doc *d)
{
	return xmlDocGetRootElement(d->xml);
}

void
ijw_doc_route(const ijw_doc *d, struct ijw_route *r)
{
	const struct ijw_msgdef *def = ijw_msgdef(d->type);
	bool echo = def->retour && d->type != IJW_JW325;

	r->from = echo ? d->header.ontvanger : d->header.afzender;
	r->to = echo ? d->header.afzender : d->header.ontvanger;
	r->identificatie = echo ? d->header.identificatie_retour : d->header.identificatie;
}

bool
ijw_doc_answers(const ijw_doc *d, struct ijw_answered *out)
{
	const struct ijw_msgdef *def = ijw_msgdef(d->type);
	struct ijw_route r;

	memset(out, 0, sizeof *out);
	if (!def || !def->retour)
		return false;
	ijw_doc_route(d, &r);
	out->type = def->pair;
	out->from = r.to;
	out->to = r.from;
	out->identificatie =
	        d->type == IJW_JW325 ? d->header.declaratie_identificatie : d->header.identificatie;
	return out->from[0] && out->to[0] && out->identificatie[0];
}

struct _xmlDoc *
ijw_doc_xml(const ijw_doc *d)
{
	return d->xml;
}
