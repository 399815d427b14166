/*
 * fuzz_head.c: libFuzzer target over the guard's reader of request heads,
 * the first code that reads a client's bytes after TLS. A head it measures
 * and reads must, written back without its Connection lines, measure and
 * read the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "gw_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct gw_head h, again;
	struct evbuffer *kept;
	size_t end = gw_head_end(buf, size), len;
	const char *out;

	if (!end)
		return 0;
	if (end > size || buf[end - 1] != '\n')
		abort();
	if (!gw_head_parse(buf, end, &h))
		return 0;
	if (!h.method[0] || strncmp(h.version, "HTTP/1.", 7) != 0)
		abort();
	if (!(kept = evbuffer_new()))
		abort();
	gw_head_connection(buf, end, kept,
	                   strcmp(h.version, "HTTP/1.0") == 0 ? "keep-alive" : NULL);
	len = evbuffer_get_length(kept);
	out = (const char *)evbuffer_pullup(kept, -1);
	if (gw_head_end(out, len) != len || !gw_head_parse(out, len, &again) ||
	    strcmp(again.method, h.method) != 0 || strcmp(again.version, h.version) != 0 ||
	    again.length != h.length || again.content_lengths != h.content_lengths ||
	    again.encodings != h.encodings || again.chunked != h.chunked || again.close ||
	    again.keep_alive != (strcmp(h.version, "HTTP/1.0") == 0))
		abort();
	evbuffer_free(kept);
	return 0;
}
