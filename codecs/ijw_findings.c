/*
 * ijw_findings.c: the findings list. Each finding's strings live in one
 * allocation next to it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ijw_findings.h"

#define TEXT_MAX 1024

struct ijw_findings {
	struct ijw_finding *items[IJW_FINDINGS_MAX];
	size_t count;
	size_t dropped;
};

ijw_findings *
ijw_findings_new(void)
{
	return calloc(1, sizeof(struct ijw_findings));
}

void
ijw_findings_clear(ijw_findings *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->items[i]);
	f->count = 0;
	f->dropped = 0;
}

void
ijw_findings_free(ijw_findings *f)
{
	if (!f)
		return;
	ijw_findings_clear(f);
	free(f);
}

/* Newlines and tabs to spaces, trailing white space dropped. */
static void
one_line(char *s)
{
	size_t n;

	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

static ijw_rc
add(ijw_findings *f, const void *node, const char *rule, const char *retourcode, const char *xpath,
    unsigned line, const char *fmt, va_list ap)
{
	char text[TEXT_MAX];
	size_t lr, lc, lx, lt;
	struct ijw_finding *it;
	char *p;

	if (f->count == IJW_FINDINGS_MAX) {
		f->dropped++;
		return IJW_OK;
	}
	vsnprintf(text, sizeof text, fmt, ap);
	one_line(text);
	if (!xpath || !*xpath)
		xpath = "/";
	lr = strlen(rule) + 1;
	lc = strlen(retourcode) + 1;
	lx = strlen(xpath) + 1;
	lt = strlen(text) + 1;
	it = malloc(sizeof *it + lr + lc + lx + lt);
	if (!it)
		return IJW_ENOMEM;
	p = (char *)(it + 1);
	it->rule = memcpy(p, rule, lr);
	p += lr;
	it->retourcode = memcpy(p, retourcode, lc);
	p += lc;
	it->xpath = memcpy(p, xpath, lx);
	p += lx;
	it->text = memcpy(p, text, lt);
	it->line = line;
	it->node = node;
	f->items[f->count++] = it;
	return IJW_OK;
}

ijw_rc
ijw_findings_add(ijw_findings *f, const char *rule, const char *retourcode, const char *xpath,
                 unsigned line, const char *fmt, ...)
{
	va_list ap;
	ijw_rc rc;

	va_start(ap, fmt);
	rc = add(f, NULL, rule, retourcode, xpath, line, fmt, ap);
	va_end(ap);
	return rc;
}

ijw_rc
ijw_findings_add_node(ijw_findings *f, const void *node, const char *rule, const char *retourcode,
                      const char *fmt, ...)
{
	xmlNodePtr n = (xmlNodePtr)node;
	xmlChar *xpath;
	long line;
	va_list ap;
	ijw_rc rc;

	if (f->count == IJW_FINDINGS_MAX) {
		f->dropped++;
		return IJW_OK;
	}
	xpath = xmlGetNodePath(n);
	line = xmlGetLineNo(n);
	va_start(ap, fmt);
	rc = add(f, node, rule, retourcode, (const char *)xpath, line > 0 ? (unsigned)line : 0, fmt,
	         ap);
	va_end(ap);
	xmlFree(xpath);
	return rc;
}

/* One finding of another list, as it is. */
static ijw_rc
copy_one(ijw_findings *f, const struct ijw_finding *it, ...)
{
	va_list ap;
	ijw_rc rc;

	va_start(ap, it);
	rc = add(f, it->node, it->rule, it->retourcode, it->xpath, it->line, "%s", ap);
	va_end(ap);
	return rc;
}

ijw_rc
ijw_findings_append(ijw_findings *f, const ijw_findings *from)
{
	ijw_rc rc = IJW_OK;

	for (size_t i = 0; i < from->count && !rc; i++)
		rc = copy_one(f, from->items[i], from->items[i]->text);
	f->dropped += from->dropped;
	return rc;
}

size_t
ijw_findings_count(const ijw_findings *f)
{
	return f->count;
}

size_t
ijw_findings_dropped(const ijw_findings *f)
{
	return f->dropped;
}

const struct ijw_finding *
ijw_findings_get(const ijw_findings *f, size_t i)
{
	return i < f->count ? f->items[i] : NULL;
}
