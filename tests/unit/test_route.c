/*
 * test_route.c: the resources a request names, and the inbox's limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gw_route.h"

static void
resources_by_method_and_path(void **state)
{
	static const struct {
		enum evhttp_cmd_type method;
		const char *path;
		enum gw_route want;
		int64_t id;
	} cases[] = {
	        {EVHTTP_REQ_GET, "/healthz", GW_ROUTE_HEALTHZ, 0},
	        {EVHTTP_REQ_POST, "/healthz", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_GET, "/readyz", GW_ROUTE_READYZ, 0},
	        {EVHTTP_REQ_POST, "/readyz", GW_ROUTE_METHOD, 0},
	        /* /metrics is the admin listener's (gw_admin.h) */
	        {EVHTTP_REQ_GET, "/metrics", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_POST, "/v1/berichten", GW_ROUTE_POST, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten", GW_ROUTE_INBOX, 0},
	        {EVHTTP_REQ_DELETE, "/v1/berichten", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/42", GW_ROUTE_GET, 42},
	        {EVHTTP_REQ_HEAD, "/v1/berichten/42", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_POST, "/v1/berichten/7/ack", GW_ROUTE_ACK, 7},
	        {EVHTTP_REQ_GET, "/v1/berichten/7/ack", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/7/status", GW_ROUTE_STATUS, 7},
	        {EVHTTP_REQ_GET, "/v1/openapi.json", GW_ROUTE_OPENAPI, 0},
	        {EVHTTP_REQ_POST, "/v1/openapi.json", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_GET, "/v1/openapi.json/", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_POST, "/v1/berichten/7/status", GW_ROUTE_METHOD, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/7/status/", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/07/status", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/9223372036854775807", GW_ROUTE_GET, INT64_MAX},
	        {EVHTTP_REQ_GET, "/v1/berichten/9223372036854775808", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/042", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/+4", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/ 4", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/4x", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_POST, "/v1/berichten/4/ack/", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/berichten/", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "/v1/bericht", GW_ROUTE_NONE, 0},
	        {EVHTTP_REQ_GET, "", GW_ROUTE_NONE, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t id = 0;

		assert_int_equal(gw_route_parse(cases[i].method, cases[i].path, &id),
		                 cases[i].want);
		if (cases[i].want == GW_ROUTE_GET || cases[i].want == GW_ROUTE_ACK ||
		    cases[i].want == GW_ROUTE_STATUS)
			assert_int_equal(id, cases[i].id);
	}
}

static void
inbox_limit_from_query(void **state)
{
	(void)state;
	assert_int_equal(gw_route_limit(NULL, 100, 1000), 100);
	assert_int_equal(gw_route_limit("", 100, 1000), 100);
	assert_int_equal(gw_route_limit("other=1", 100, 1000), 100);
	assert_int_equal(gw_route_limit("limit=5", 100, 1000), 5);
	assert_int_equal(gw_route_limit("x=1&limit=1000", 100, 1000), 1000);
	assert_int_equal(gw_route_limit("limit=%35", 100, 1000), 5);
	assert_int_equal(gw_route_limit("limit=1001", 100, 1000), -1);
	assert_int_equal(gw_route_limit("limit=0", 100, 1000), -1);
	assert_int_equal(gw_route_limit("limit=-3", 100, 1000), -1);
	assert_int_equal(gw_route_limit("limit=", 100, 1000), -1);
	assert_int_equal(gw_route_limit("limit=5x", 100, 1000), -1);
	assert_int_equal(gw_route_limit("limit=99999999999999999999999", 100, 1000), -1);
}

/* What a listing's query asks for, or what is wrong with it. */
static void
listing_from_query(void **state)
{
	static const struct {
		const char *query;
		int rc;
		bool sent;
		long limit;
		int64_t before;
		const char *type, *to;
		enum gw_filter_status status;
		const char *error;
	} cases[] = {
	        {NULL, 0, false, 100, 0, "", "", GW_FILTER_ANY, ""},
	        {"box=inbox&limit=5", 0, false, 5, 0, "", "", GW_FILTER_ANY, ""},
	        {"box=sent", 0, true, 100, 0, "", "", GW_FILTER_ANY, ""},
	        {"box=sent&limit=2&before=17&type=jw301&to=42420001&status=given_up", 0, true, 2,
	         17, "JW301", "42420001", GW_FILTER_GIVEN_UP, ""},
	        {"box=sent&to=0384&status=unacknowledged", 0, true, 100, 0, "", "0384",
	         GW_FILTER_UNACKED, ""},
	        {"box=sent&status=acknowledged", 0, true, 100, 0, "", "", GW_FILTER_ACKED, ""},
	        {"box=sent&status=pending", 0, true, 100, 0, "", "", GW_FILTER_PENDING, ""},
	        {"box=sent&status=answered", 0, true, 100, 0, "", "", GW_FILTER_ANSWERED, ""},
	        {"box=outbox", -1, false, 0, 0, "", "", GW_FILTER_ANY,
	         "box is inbox or sent, not \"outbox\""},
	        {"box=", -1, false, 0, 0, "", "", GW_FILTER_ANY, "box is inbox or sent, not \"\""},
	        {"box=sent&limit=0", -1, false, 0, 0, "", "", GW_FILTER_ANY,
	         "limit is a number from 1 to 1000"},
	        {"box=sent&before=0", -1, true, 100, 0, "", "", GW_FILTER_ANY,
	         "before is the id of a message, not \"0\""},
	        {"box=sent&before=12x", -1, true, 100, 0, "", "", GW_FILTER_ANY,
	         "before is the id of a message, not \"12x\""},
	        {"box=sent&type=JW399", -1, true, 100, 0, "", "", GW_FILTER_ANY,
	         "type is a message type such as JW301, not \"JW399\""},
	        {"box=sent&to=12345", -1, true, 100, 0, "", "", GW_FILTER_ANY,
	         "to is the code of a party (4 or 8 digits), not \"12345\""},
	        {"box=sent&status=read", -1, true, 100, 0, "", "", GW_FILTER_ANY,
	         "status is unacknowledged, acknowledged, pending, given_up or answered, not "
	         "\"read\""},
	        {"before=5", -1, false, 100, 5, "", "", GW_FILTER_ANY,
	         "before, type, to and status are for box=sent; the inbox is every message not "
	         "yet acknowledged"},
	};
	struct gw_listing l;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = gw_route_listing(cases[i].query, 100, 1000, &l);

		if (rc != cases[i].rc || strcmp(l.error, cases[i].error) != 0)
			fail_msg("%s: %d \"%s\"", cases[i].query, rc, l.error);
		if (rc)
			continue;
		assert_int_equal(l.sent, cases[i].sent);
		assert_int_equal(l.limit, cases[i].limit);
		assert_int_equal(l.before, cases[i].before);
		assert_string_equal(l.type, cases[i].type);
		assert_string_equal(l.to, cases[i].to);
		assert_int_equal(l.status, cases[i].status);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(resources_by_method_and_path),
	        cmocka_unit_test(listing_from_query),
	        cmocka_unit_test(inbox_limit_from_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
