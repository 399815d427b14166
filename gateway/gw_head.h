/*
 * gw_head.h: a request head as the guard reads it, before evhttp does.
 *
 * Only what decides how long the body is and whether the connection is
 * kept: the method, the version, Content-Length, Transfer-Encoding, Expect
 * and Connection. Lines end in CRLF or LF, as evhttp reads them.
 */
#ifndef GW_HEAD_H
#define GW_HEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>

struct gw_head {
	char method[16], version[9];    /* version: "HTTP/1.0" or "HTTP/1.1" */
	int content_lengths, encodings; /* how often each header came */
	bool chunked;                   /* the (last) Transfer-Encoding is chunked */
	bool bad_length;                /* a Content-Length that is not 1 to 15 digits */
	bool folded;                    /* a line that continues the one before */
	bool bad_name; /* a line of no name, a name with a space, or a control character */
	bool expect, close, keep_alive;
	uint64_t length; /* the (last) Content-Length */
};

/* The length of the head at the start of buf[0..len), its blank line included; 0 if not all there.
 */
size_t gw_head_end(const char *buf, size_t len);

/*
 * Reads the head buf[0..len) (as gw_head_end measured it); false when the
 * request line is not METHOD (capitals) SP TARGET (printable, no space) SP
 * HTTP/1.0 or HTTP/1.1.
 */
bool gw_head_parse(const char *buf, size_t len, struct gw_head *h);

/*
 * Writes the head buf[0..len) (a request's or an answer's) to dst with its
 * Connection lines replaced by "Connection: connection", or by none when
 * connection is NULL.
 */
void gw_head_connection(const char *buf, size_t len, struct evbuffer *dst, const char *connection);

#endif
