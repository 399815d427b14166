/*
 * gw_openapi.c: the descriptions of the APIs, as built in.
 */
#include <string.h>

#include "gw_openapi.h"
#include "ijw_embedded.h"

extern const struct ijw_embedded gw_openapi_files[];

const char *
gw_openapi(const char *name, size_t *len)
{
	for (const struct ijw_embedded *e = gw_openapi_files; e->name; e++)
		if (strcmp(e->name, name) == 0) {
			*len = e->len;
			return (const char *)e->data;
		}
	return NULL;
}
