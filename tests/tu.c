/*
 * tu.c: test helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/tree.h>

#include "ijw_doc.h"

#include "tu.h"

static const char *
existing(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : NULL;
}

const char *
tu_shared_dir(void)
{
	const char *env = getenv("IJW_SHARED");

	return existing(env && *env ? env : IJW_SHARED_DIR);
}

static const char *
below_shared(char *buf, size_t size, const char *rel)
{
	const char *shared = tu_shared_dir();

	if (!shared)
		return NULL;
	snprintf(buf, size, "%s/%s", shared, rel);
	return existing(buf);
}

const char *
tu_official_xsd(void)
{
	static char buf[4096];

	return below_shared(buf, sizeof buf, "reference/ijw-3.2/xsd");
}

const char *
tu_official_examples(void)
{
	static char buf[4096];

	return below_shared(buf, sizeof buf, "reference/ijw-3.2/voorbeelden");
}

const char *
tu_source_dir(void)
{
	return IJW_SOURCE_DIR;
}

char *
tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

double
tu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
tu_retourcodes(const void *n, char *buf, size_t size)
{
	const xmlNode *codes = ijw_node_at(n, "RetourCodes");
	size_t len = 0;

	buf[0] = '\0';
	for (xmlNodePtr c = codes ? codes->children : NULL; c && len < size; c = c->next) {
		xmlChar *v;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		v = xmlNodeGetContent(c);
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "",
		                        (const char *)v);
		xmlFree(v);
	}
	return buf;
}

const char *
tu_header_retourcodes(const ijw_doc *doc, char *buf, size_t size)
{
	return tu_retourcodes(ijw_node_at(ijw_doc_root(doc), "Header"), buf, size);
}
