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

#include "gw_store.h"

enum gw_route {
	GW_ROUTE_NONE,    /* no such resource (404) */
	GW_ROUTE_METHOD,  /* a resource that does not take the method (405) */
	GW_ROUTE_HEALTHZ, /* GET /healthz */
	GW_ROUTE_READYZ,  /* GET /readyz */
	GW_ROUTE_POST,    /* POST /v1/berichten */
	GW_ROUTE_INBOX,   /* GET /v1/berichten */
	GW_ROUTE_GET,     /* GET /v1/berichten/{id} */
	GW_ROUTE_ACK,     /* POST /v1/berichten/{id}/ack */
	GW_ROUTE_STATUS,  /* GET /v1/berichten/{id}/status */
	GW_ROUTE_OPENAPI, /* GET /v1/openapi.json */
};

/*
 * The route of method on path (the URI's path, without the query). For
 * GW_ROUTE_GET, GW_ROUTE_ACK and GW_ROUTE_STATUS *id is the message's id, a
 * positive number written without leading zeros or a sign.
 */
enum gw_route gw_route_parse(enum evhttp_cmd_type method, const char *path, int64_t *id);

/*
 * The inbox's limit from query (the URI's query, NULL for none): dflt when
 * it gives no limit, -1 when its limit is not a whole number from 1 to max.
 */
long gw_route_limit(const char *query, long dflt, long max);

/*
 * What GET /v1/berichten asks for: box=inbox (the default: the messages
 * addressed to the caller that it has not acknowledged, oldest first) or
 * box=sent (the messages it sent, newest first), limit=N, and for the
 * outbox before=ID (the next page: ids below it), type=JW301, to=CODE and
 * status=unacknowledged|acknowledged|pending|given_up|answered.
 */
struct gw_listing {
	bool sent;
	long limit;
	int64_t before; /* 0 for none */
	char type[6];   /* "" for any */
	char to[9];     /* "" for any */
	enum gw_filter_status status;
	char error[160]; /* what is wrong with the query */
};

/*
 * The listing query asks for, into out: limit dflt when it gives none; -1
 * with out->error naming the parameter and its value when one is not valid
 * (limit: a whole number from 1 to max).
 */
int gw_route_listing(const char *query, long dflt, long max, struct gw_listing *out);

#endif
