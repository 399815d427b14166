/*
 * gw_route.c: the resources of the API, and the query of a listing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include "gw_route.h"
#include "ijw_registry.h"

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
	if (strcmp(path, "/v1/openapi.json") == 0)
		return get ? GW_ROUTE_OPENAPI : GW_ROUTE_METHOD;
	if (strcmp(path, MESSAGES) == 0)
		return post ? GW_ROUTE_POST : get ? GW_ROUTE_INBOX : GW_ROUTE_METHOD;
	if (!message_id(path, id, &rest))
		return GW_ROUTE_NONE;
	if (!*rest)
		return get ? GW_ROUTE_GET : GW_ROUTE_METHOD;
	if (strcmp(rest, "/ack") == 0)
		return post ? GW_ROUTE_ACK : GW_ROUTE_METHOD;
	if (strcmp(rest, "/status") == 0)
		return get ? GW_ROUTE_STATUS : GW_ROUTE_METHOD;
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

/* The names of status=, as enum gw_filter_status; NULL where there is none. */
static const char *const statuses[] = {
        [GW_FILTER_UNACKED] = "unacknowledged", [GW_FILTER_ACKED] = "acknowledged",
        [GW_FILTER_PENDING] = "pending",        [GW_FILTER_GIVEN_UP] = "given_up",
        [GW_FILTER_ANSWERED] = "answered",
};

/* A party's code: 4 digits (a municipality) or 8 (a provider). */
static bool
party_code(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return !s[n] && (n == 4 || n == 8);
}

/* Checks the parameters of q one by one into out; -1 at the first that is not valid. */
static int
listing_of(const struct evkeyvalq *q, struct gw_listing *out)
{
	const char *v;
	char *end;
	long long n;

	if ((v = evhttp_find_header(q, "box")) && strcmp(v, "inbox") != 0) {
		if (strcmp(v, "sent") != 0) {
			snprintf(out->error, sizeof out->error,
			         "box is inbox or sent, not \"%.40s\"", v);
			return -1;
		}
		out->sent = true;
	}
	if ((v = evhttp_find_header(q, "before"))) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno || *end || n < 1 || *v < '1' || *v > '9') {
			snprintf(out->error, sizeof out->error,
			         "before is the id of a message, not \"%.40s\"", v);
			return -1;
		}
		out->before = n;
	}
	if ((v = evhttp_find_header(q, "type"))) {
		const struct ijw_msgdef *def = ijw_msgdef_by_name(v);

		if (!def) {
			snprintf(out->error, sizeof out->error,
			         "type is a message type such as JW301, not \"%.40s\"", v);
			return -1;
		}
		snprintf(out->type, sizeof out->type, "%s", def->name);
	}
	if ((v = evhttp_find_header(q, "to"))) {
		if (!party_code(v)) {
			snprintf(out->error, sizeof out->error,
			         "to is the code of a party (4 or 8 digits), not \"%.40s\"", v);
			return -1;
		}
		snprintf(out->to, sizeof out->to, "%s", v);
	}
	if ((v = evhttp_find_header(q, "status"))) {
		for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
			if (statuses[i] && strcmp(v, statuses[i]) == 0)
				out->status = (enum gw_filter_status)i;
		if (out->status == GW_FILTER_ANY) {
			snprintf(out->error, sizeof out->error,
			         "status is unacknowledged, acknowledged, pending, given_up or "
			         "answered, not \"%.40s\"",
			         v);
			return -1;
		}
	}
	if (!out->sent && (out->before || out->type[0] || out->to[0] || out->status)) {
		snprintf(out->error, sizeof out->error,
		         "before, type, to and status are for box=sent; the inbox is every "
		         "message not yet acknowledged");
		return -1;
	}
	return 0;
}

int
gw_route_listing(const char *query, long dflt, long max, struct gw_listing *out)
{
	struct evkeyvalq q;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if ((out->limit = gw_route_limit(query, dflt, max)) < 0) {
		snprintf(out->error, sizeof out->error, "limit is a number from 1 to %ld", max);
		return -1;
	}
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query ? query : "", &q) != 0) {
		snprintf(out->error, sizeof out->error, "the query is not one of name=value pairs");
		rc = -1;
	} else {
		rc = listing_of(&q, out);
	}
	evhttp_clear_headers(&q);
	return rc;
}
