/*
 * test_route.c: the resources a request names, and the inbox's limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
		if (cases[i].want == GW_ROUTE_GET || cases[i].want == GW_ROUTE_ACK)
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(resources_by_method_and_path),
	        cmocka_unit_test(inbox_limit_from_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
