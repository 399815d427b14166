/*
 * ijw_schema.c: compiled schema sets and XSD validation.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "ijw_buf.h"
#include "ijw_embedded.h"
#include "ijw_schema.h"

#define BUILTIN_BASE "ijw-builtin:///schemas/ijw/3.2/"
#define WITHHELD "'(BSN withheld)'"

/* The project's schemas, compiled into the library (ijw_schemas_data.c). */
extern const struct ijw_embedded ijw_schemas_builtin[];

struct compiled {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vctxt;
};

struct ijw_schemas {
	char *dir; /* NULL for the built-in set */
	struct compiled types[IJW_TYPE_END];
	char error[1024];
};

static xmlExternalEntityLoader next_loader;
static pthread_once_t loader_once = PTHREAD_ONCE_INIT;

static const struct ijw_embedded *
builtin(const char *url)
{
	size_t n = strlen(BUILTIN_BASE);

	if (!url || strncmp(url, BUILTIN_BASE, n) != 0)
		return NULL;
	for (const struct ijw_embedded *e = ijw_schemas_builtin; e->name; e++)
		if (strcmp(e->name, url + n) == 0)
			return e;
	return NULL;
}

static xmlParserInputPtr
load_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	const struct ijw_embedded *e = builtin(url);
	xmlParserInputBufferPtr buf;
	xmlParserInputPtr in;

	if (!e)
		return next_loader(url, id, ctxt);
	buf = xmlParserInputBufferCreateMem((const char *)e->data, (int)e->len,
	                                    XML_CHAR_ENCODING_NONE);
	if (!buf)
		return NULL;
	in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
	if (!in) {
		xmlFreeParserInputBuffer(buf);
		return NULL;
	}
	in->filename = (const char *)xmlStrdup((const xmlChar *)url);
	return in;
}

static void
install_loader(void)
{
	next_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(load_entity);
}

ijw_rc
ijw_schemas_new(const char *dir, ijw_schemas **out)
{
	ijw_schemas *s;

	*out = NULL;
	pthread_once(&loader_once, install_loader);
	if (!(s = calloc(1, sizeof *s)))
		return IJW_ENOMEM;
	if (dir && !(s->dir = strdup(dir))) {
		free(s);
		return IJW_ENOMEM;
	}
	*out = s;
	return IJW_OK;
}

void
ijw_schemas_free(ijw_schemas *s)
{
	if (!s)
		return;
	for (int t = 0; t < IJW_TYPE_END; t++) {
		xmlSchemaFreeValidCtxt(s->types[t].vctxt);
		xmlSchemaFree(s->types[t].schema);
	}
	free(s->dir);
	free(s);
}

const char *
ijw_schemas_error(const ijw_schemas *s)
{
	return s->error;
}

/* Keeps the first message of a failed schema compilation. */
static void
on_parse_error(void *ctx, xmlErrorPtr err)
{
	ijw_schemas *s = ctx;
	size_t n;

	if (err->level < XML_ERR_ERROR || s->error[0])
		return;
	snprintf(s->error, sizeof s->error, "%s:%d: %s", err->file ? err->file : "schema",
	         err->line, err->message ? err->message : "error");
	n = strlen(s->error);
	while (n > 0 && (s->error[n - 1] == '\n' || s->error[n - 1] == ' '))
		s->error[--n] = '\0';
}

ijw_rc
ijw_schemas_load(ijw_schemas *s, enum ijw_type type)
{
	const struct ijw_msgdef *def = ijw_msgdef(type);
	struct compiled *c;
	xmlSchemaParserCtxtPtr pctxt;
	xmlStructuredErrorFunc old_handler;
	void *old_ctx;
	char path[4096];

	if (!def)
		return IJW_EINVAL;
	c = &s->types[type];
	if (c->vctxt)
		return IJW_OK;
	s->error[0] = '\0';
	if (s->dir)
		snprintf(path, sizeof path, "%s/%s.xsd", s->dir, def->name);
	else
		snprintf(path, sizeof path, "%s%s.xsd", BUILTIN_BASE, def->name);
	if (!(pctxt = xmlSchemaNewParserCtxt(path)))
		return IJW_ENOMEM;
	/*
	 * Errors in reading an imported schema document are not passed to the
	 * schema parser's handler but to libxml2's thread-wide one.
	 */
	old_handler = xmlStructuredError;
	old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(s, on_parse_error);
	xmlSchemaSetParserStructuredErrors(pctxt, on_parse_error, s);
	c->schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	xmlSetStructuredErrorFunc(old_ctx, old_handler);
	if (!c->schema) {
		if (!s->error[0])
			snprintf(s->error, sizeof s->error, "%.900s: cannot be compiled", path);
		return IJW_ESCHEMA;
	}
	if (!(c->vctxt = xmlSchemaNewValidCtxt(c->schema))) {
		xmlSchemaFree(c->schema);
		c->schema = NULL;
		return IJW_ENOMEM;
	}
	return IJW_OK;
}

ijw_rc
ijw_schemas_load_all(ijw_schemas *s)
{
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		ijw_rc rc = ijw_schemas_load(s, t);

		if (rc)
			return rc;
	}
	return IJW_OK;
}

struct validation {
	ijw_findings *f;
	ijw_rc rc;
};

/*
 * Rewrites libxml2's message about a Bsn element so that it does not carry
 * the value: every quoted copy of the value is replaced.
 */
static void
withhold_bsn(xmlNodePtr node, const char *msg, struct ijw_buf *out)
{
	xmlChar *value = xmlNodeGetContent(node);
	char quoted[64];
	const char *p = msg, *hit;
	size_t qn;

	if (!value ||
	    snprintf(quoted, sizeof quoted, "'%s'", (const char *)value) >= (int)sizeof quoted) {
		/* A value too long to quote here cannot be a BSN; keep none of it. */
		ijw_buf_addstr(out, "the BSN has an invalid value");
		xmlFree(value);
		return;
	}
	xmlFree(value);
	qn = strlen(quoted);
	while ((hit = strstr(p, quoted))) {
		ijw_buf_add(out, p, (size_t)(hit - p));
		ijw_buf_addstr(out, WITHHELD);
		p = hit + qn;
	}
	ijw_buf_addstr(out, p);
}

static void
on_valid_error(void *ctx, xmlErrorPtr err)
{
	struct validation *v = ctx;
	xmlNodePtr node = err->node;
	const char *msg = err->message ? err->message : "schema violation";
	struct ijw_buf text;
	ijw_rc rc;

	if (err->level < XML_ERR_ERROR)
		return;
	ijw_buf_init(&text, 2048);
	if (node && node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, "Bsn") == 0) {
		withhold_bsn(node, msg, &text);
		msg = ijw_buf_str(&text);
	}
	if (node)
		rc = ijw_findings_add_node(v->f, node, "XSD", "0001", "%s", msg);
	else
		rc = ijw_findings_add(v->f, "XSD", "0001", "/", (unsigned)err->line, "%s", msg);
	if (rc && !v->rc)
		v->rc = rc;
	ijw_buf_free(&text);
}

ijw_rc
ijw_schemas_validate(ijw_schemas *s, const ijw_doc *doc, ijw_findings *f)
{
	enum ijw_type type = ijw_doc_type(doc);
	struct validation v = {f, IJW_OK};
	size_t before = ijw_findings_count(f);
	struct compiled *c;
	ijw_rc rc;
	int ret;

	if ((rc = ijw_schemas_load(s, type)))
		return rc;
	c = &s->types[type];
	xmlSchemaSetValidStructuredErrors(c->vctxt, on_valid_error, &v);
	ret = xmlSchemaValidateDoc(c->vctxt, ijw_doc_xml(doc));
	xmlSchemaSetValidStructuredErrors(c->vctxt, NULL, NULL);
	if (v.rc)
		return v.rc;
	if (ret != 0 && ijw_findings_count(f) == before)
		return ijw_findings_add(f, "XSD", "0001", "/", 0,
		                        "the message does not conform to the %s schema",
		                        ijw_msgdef(type)->name);
	return IJW_OK;
}
