/*
 * gw_route.h: what a request names, read from its method, path and query.
 *
 * Pure functions of the request line, kept apart from the server so that
 * they can be tested and fuzzed without TLS or a store.
 */
#ifndef GW_ROUTE_H
#define GW_ROUTE_H

#include <stdint.h>

#include <event2/http.h>

enum gw_route {
	GW_ROUTE_NONE,    /* no such resource (404) */
	GW_ROUTE_METHOD,  /* a resource that does not take the method (405) */
	GW_ROUTE_HEALTHZ, /* GET /healthz */
	GW_ROUTE_READYZ,  /* GET /readyz */
	GW_ROUTE_POST,    /* POST /v1/berichten */
	GW_ROUTE_INBOX,   /* GET /v1/berichten */
	GW_ROUTE_GET,     /* GET /v1/berichten/{id} */
	GW_ROUTE_ACK,     /* POST /v1/berichten/{id}/ack */
};

/*
 * The route of method on path (the URI's path, without the query). For
 * GW_ROUTE_GET and GW_ROUTE_ACK *id is the message's id, a positive number
 * written without leading zeros or a sign.
 */
enum gw_route gw_route_parse(enum evhttp_cmd_type method, const char *path, int64_t *id);

/*
 * The inbox's limit from query (the URI's query, NULL for none): dflt when
 * it gives no limit, -1 when its limit is not a whole number from 1 to max.
 */
long gw_route_limit(const char *query, long dflt, long max);

#endif
