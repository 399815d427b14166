/*
 * bench_xsd.c: the plain libxml2 yardstick of the benchmarks (bench_xsd.h).
 */
#include <limits.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "bench_xsd.h"

/* The parser options of ijw_doc_parse(). */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS)

struct bench_xsd {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vctxt;
};

/* Quiets libxml2: a verdict is read from results. */
static void
ignore_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

struct bench_xsd *
bench_xsd_new(const char *xsd)
{
	struct bench_xsd *x = calloc(1, sizeof *x);
	xmlSchemaParserCtxtPtr pctxt;

	xmlInitParser();
	if (!x || !(pctxt = xmlSchemaNewParserCtxt(xsd))) {
		free(x);
		return NULL;
	}
	xmlSchemaSetParserStructuredErrors(pctxt, ignore_error, NULL);
	x->schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	if (!x->schema || !(x->vctxt = xmlSchemaNewValidCtxt(x->schema))) {
		bench_xsd_free(x);
		return NULL;
	}
	xmlSchemaSetValidStructuredErrors(x->vctxt, ignore_error, NULL);
	return x;
}

void
bench_xsd_free(struct bench_xsd *x)
{
	if (!x)
		return;
	xmlSchemaFreeValidCtxt(x->vctxt);
	xmlSchemaFree(x->schema);
	free(x);
}

bool
bench_xsd_valid(struct bench_xsd *x, const char *data, size_t len)
{
	xmlDocPtr doc;
	int ret;

	if (len > INT_MAX || !(doc = xmlReadMemory(data, (int)len, NULL, NULL, PARSE_OPTIONS)))
		return false;
	ret = xmlSchemaValidateDoc(x->vctxt, doc);
	xmlFreeDoc(doc);
	return ret == 0;
}
