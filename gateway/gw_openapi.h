/*
 * gw_openapi.h: the OpenAPI 3.1 descriptions of the two listeners, built
 * into the program from schemas/openapi/ (tools/embed.c).
 *
 * party.json describes the party API (gw_server.h), admin.json the admin
 * listener (gw_admin.h); each listener serves its own, as application/json.
 */
#ifndef GW_OPENAPI_H
#define GW_OPENAPI_H

#include <stddef.h>

/* The bytes of description name ("party.json", "admin.json") and their length; NULL for none. */
const char *gw_openapi(const char *name, size_t *len);

#endif
