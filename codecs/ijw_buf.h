/*
 * ijw_buf.h: a growable byte buffer with a hard size cap.
 *
 * Every buffer is given its ceiling when it is initialised; an append that
 * would pass it fails with IJW_ETOOBIG and leaves the buffer as it was. The
 * contents are always NUL-terminated (the terminator is not counted in len).
 *
 *	struct ijw_buf b;
 *	ijw_buf_init(&b, 1 << 20);
 *	if (ijw_buf_addf(&b, "<%s>", name)) goto fail;
 *	...
 *	ijw_buf_free(&b);
 */
#ifndef IJW_BUF_H
#define IJW_BUF_H

#include <stddef.h>

#include "ijw_rc.h"

struct ijw_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, excluding the terminating NUL */
	size_t alloc; /* bytes allocated */
	size_t max;   /* the cap on len */
};

void ijw_buf_init(struct ijw_buf *b, size_t max);
/* Releases the memory; the buffer may be used again after ijw_buf_init. */
void ijw_buf_free(struct ijw_buf *b);
/* Empties the buffer and keeps its memory. */
void ijw_buf_reset(struct ijw_buf *b);

ijw_rc ijw_buf_add(struct ijw_buf *b, const void *p, size_t n);
ijw_rc ijw_buf_addstr(struct ijw_buf *b, const char *s);
ijw_rc ijw_buf_addf(struct ijw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped as XML character data (&, <, > and quotes). */
ijw_rc ijw_buf_add_xml(struct ijw_buf *b, const char *s);
/* Appends s as a JSON string literal, quotes included. s must be UTF-8. */
ijw_rc ijw_buf_add_json(struct ijw_buf *b, const char *s);

/* The contents as a C string: "" for a buffer that was never written. */
const char *ijw_buf_str(const struct ijw_buf *b);

/* The n bytes at p as 2n lower-case hex digits and a NUL, into out (2n + 1 bytes). */
void ijw_hex(const void *p, size_t n, char *out);

#endif
