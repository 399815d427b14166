/*
 * gw_route.c: the resources of the API, and the inbox's query.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include "gw_route.h"

#define MESSAGES "/v1/berichten"

/* The id in /v1/berichten/{id}[/ack]; rest gets what follows it. */
static bool
message_id(const char *path, int64_t *id, const char **rest)
{
	const char *digits;
	char *end;
	long long n;

	if (strncmp(path, MESSAGES "/", strlen(MESSAGES "/")) != 0)
		return false;
	digits = path + strlen(MESSAGES "/");
	if (*digits < '1' || *digits > '9')
		return false;
	errno = 0;
	n = strtoll(digits, &end, 10);
	if (errno)
		return false;
	*id = n;
	*rest = end;
	return true;
}

enum gw_route
gw_route_parse(enum evhttp_cmd_type method, const char *path, int64_t *id)
{
	bool get = method == EVHTTP_REQ_GET, post = method == EVHTTP_REQ_POST;
	const char *rest;

	if (strcmp(path, "/healthz") == 0)
		return get ? GW_ROUTE_HEALTHZ : GW_ROUTE_METHOD;
	if (strcmp(path, "/readyz") == 0)
		return get ? GW_ROUTE_READYZ : GW_ROUTE_METHOD;
	if (strcmp(path, MESSAGES) == 0)
		return post ? GW_ROUTE_POST : get ? GW_ROUTE_INBOX : GW_ROUTE_METHOD;
	if (!message_id(path, id, &rest))
		return GW_ROUTE_NONE;
	if (!*rest)
		return get ? GW_ROUTE_GET : GW_ROUTE_METHOD;
	if (strcmp(rest, "/ack") == 0)
		return post ? GW_ROUTE_ACK : GW_ROUTE_METHOD;
	return GW_ROUTE_NONE;
}

long
gw_route_limit(const char *query, long dflt, long max)
{
	struct evkeyvalq q;
	const char *limit;
	char *end;
	long n = dflt;

	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query ? query : "", &q) == 0 &&
	    (limit = evhttp_find_header(&q, "limit"))) {
		n = strtol(limit, &end, 10);
		if (*end || n < 1 || n > max)
			n = -1;
	}
	evhttp_clear_headers(&q);
	return n;
}
