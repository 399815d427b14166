/*
 * ijw_embedded.h: files compiled into the program by tools/embed.c.
 */
#ifndef IJW_EMBEDDED_H
#define IJW_EMBEDDED_H

#include <stddef.h>

/* One file: its base name and its bytes (NUL-terminated, len without the NUL). */
struct ijw_embedded {
	const char *name;
	const unsigned char *data;
	size_t len;
};

#endif
