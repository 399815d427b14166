/*
 * gw_head.c: a request head as the guard reads it.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "gw_head.h"

/* Whether value, a comma list, holds token (any case). */
static bool
has_token(const char *value, size_t len, const char *token)
{
	size_t t = strlen(token);

	for (size_t i = 0; i + t <= len; i++)
		if (strncasecmp(value + i, token, t) == 0 &&
		    (i == 0 || value[i - 1] == ',' || value[i - 1] == ' ' || value[i - 1] == '\t'))
			return true;
	return false;
}

static void
header_line(struct gw_head *h, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *v;
	size_t nlen, vlen;

	if (line[0] == ' ' || line[0] == '\t') {
		h->folded = true;
		return;
	}
	if (!colon || colon == line) {
		h->bad_name = true;
		return;
	}
	nlen = (size_t)(colon - line);
	for (size_t i = 0; i < nlen; i++)
		if (line[i] <= ' ' || line[i] >= 127)
			h->bad_name = true;
	v = colon + 1;
	vlen = len - nlen - 1;
	for (size_t i = 0; i < vlen; i++)
		if ((v[i] < ' ' && v[i] != '\t') || v[i] == 127)
			h->bad_name = true;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (nlen == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
		uint64_t n = 0;

		h->content_lengths++;
		if (!vlen || vlen > 15)
			h->bad_length = true;
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				h->bad_length = true;
			else
				n = n * 10 + (uint64_t)(v[i] - '0');
		}
		h->length = n;
	} else if (nlen == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0) {
		h->encodings++;
		h->chunked = vlen == 7 && strncasecmp(v, "chunked", 7) == 0;
	} else if (nlen == 6 && strncasecmp(line, "Expect", 6) == 0) {
		h->expect = true;
	} else if (nlen == 10 && strncasecmp(line, "Connection", 10) == 0) {
		h->close |= has_token(v, vlen, "close");
		h->keep_alive |= has_token(v, vlen, "keep-alive");
	}
}

bool
gw_head_parse(const char *buf, size_t len, struct gw_head *h)
{
	const char *p = buf, *end = buf + len, *nl, *sp1, *sp2;
	size_t llen;

	memset(h, 0, sizeof *h);
	nl = memchr(p, '\n', (size_t)(end - p));
	llen = (size_t)(nl - p);
	if (llen && p[llen - 1] == '\r')
		llen--;
	sp1 = memchr(p, ' ', llen);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', llen - (size_t)(sp1 + 1 - p)) : NULL;
	if (!sp1 || !sp2 || sp1 == p || (size_t)(sp1 - p) >= sizeof h->method ||
	    p + llen - (sp2 + 1) != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return false;
	for (const char *c = p; c < sp1; c++)
		if (*c < 'A' || *c > 'Z')
			return false;
	for (const char *c = sp1 + 1; c < sp2; c++)
		if (*c <= ' ' || *c >= 127)
			return false;
	if (sp2 == sp1 + 1)
		return false;
	memcpy(h->method, p, (size_t)(sp1 - p));
	memcpy(h->version, sp2 + 1, 8);
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		llen = (size_t)(nl - p);
		if (llen && p[llen - 1] == '\r')
			llen--;
		if (!llen)
			break;
		header_line(h, p, llen);
	}
	return true;
}

size_t
gw_head_end(const char *buf, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (buf[i] == '\n' &&
		    (buf[i - 1] == '\n' || (i > 1 && buf[i - 1] == '\r' && buf[i - 2] == '\n')))
			return i + 1;
	return 0;
}

void
gw_head_connection(const char *buf, size_t len, struct evbuffer *dst, const char *connection)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t llen;

	nl = memchr(p, '\n', len);
	evbuffer_add(dst, p, (size_t)(nl + 1 - p));
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		llen = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
		if (!llen)
			break;
		if (llen < 11 || strncasecmp(p, "Connection:", 11) != 0)
			evbuffer_add(dst, p, (size_t)(nl + 1 - p));
	}
	if (connection)
		evbuffer_add_printf(dst, "Connection: %s\r\n", connection);
	evbuffer_add(dst, "\r\n", 2);
}
