/*
 * ijw_buf.c: the capped byte buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ijw_buf.h"

#define BUF_MIN_ALLOC 256

void
ijw_buf_init(struct ijw_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void
ijw_buf_free(struct ijw_buf *b)
{
	free(b->data);
	ijw_buf_init(b, b->max);
}

void
ijw_buf_reset(struct ijw_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminator. */
static ijw_rc
buf_grow(struct ijw_buf *b, size_t n)
{
	size_t need, alloc;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return IJW_ETOOBIG;
	need = b->len + n + 1;
	if (need <= b->alloc)
		return IJW_OK;
	alloc = b->alloc ? b->alloc : BUF_MIN_ALLOC;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	if (alloc > b->max + 1)
		alloc = b->max + 1;
	p = realloc(b->data, alloc);
	if (!p)
		return IJW_ENOMEM;
	b->data = p;
	b->alloc = alloc;
	return IJW_OK;
}

ijw_rc
ijw_buf_add(struct ijw_buf *b, const void *p, size_t n)
{
	ijw_rc rc = buf_grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return IJW_OK;
}

ijw_rc
ijw_buf_addstr(struct ijw_buf *b, const char *s)
{
	return ijw_buf_add(b, s, strlen(s));
}

ijw_rc
ijw_buf_addf(struct ijw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	ijw_rc rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return IJW_EINVAL;
	rc = buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return IJW_OK;
}

/*
 * Appends s, replacing each byte for which esc() gives a replacement. Runs of
 * bytes that need no escaping are copied in one go.
 */
static ijw_rc
buf_add_escaped(struct ijw_buf *b, const char *s, const char *(*esc)(unsigned char, char *))
{
	const char *run = s;
	char tmp[8];
	ijw_rc rc;

	for (; *s; s++) {
		const char *rep = esc((unsigned char)*s, tmp);

		if (!rep)
			continue;
		if ((rc = ijw_buf_add(b, run, (size_t)(s - run))) || (rc = ijw_buf_addstr(b, rep)))
			return rc;
		run = s + 1;
	}
	return ijw_buf_add(b, run, (size_t)(s - run));
}

static const char *
xml_escape(unsigned char c, char *tmp)
{
	(void)tmp;
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	default:
		return NULL;
	}
}

static const char *
json_escape(unsigned char c, char *tmp)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		if (c >= 0x20)
			return NULL;
		snprintf(tmp, 8, "\\u%04x", c);
		return tmp;
	}
}

ijw_rc
ijw_buf_add_xml(struct ijw_buf *b, const char *s)
{
	return buf_add_escaped(b, s, xml_escape);
}

ijw_rc
ijw_buf_add_json(struct ijw_buf *b, const char *s)
{
	ijw_rc rc;

	if ((rc = ijw_buf_add(b, "\"", 1)) || (rc = buf_add_escaped(b, s, json_escape)))
		return rc;
	return ijw_buf_add(b, "\"", 1);
}

const char *
ijw_buf_str(const struct ijw_buf *b)
{
	return b->data ? b->data : "";
}

void
ijw_hex(const void *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}
