/*
 * test_ratelimit.c: one line per address per interval, a cap a second, the rest counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "gw_ratelimit.h"

static void
one_per_key_per_interval(void **state)
{
	gw_ratelimit *r = gw_ratelimit_new(64, 10, 100);

	(void)state;
	assert_non_null(r);
	assert_true(gw_ratelimit_allow(r, "192.0.2.1", 1000));
	for (int64_t t = 1000; t < 1010; t++)
		assert_false(gw_ratelimit_allow(r, "192.0.2.1", t));
	/* another address is another key */
	assert_true(gw_ratelimit_allow(r, "192.0.2.2", 1005));
	assert_true(gw_ratelimit_allow(r, "2001:db8::1", 1005));
	assert_true(gw_ratelimit_allow(r, "192.0.2.1", 1010));
	assert_false(gw_ratelimit_allow(r, "192.0.2.1", 1011));
	assert_int_equal(gw_ratelimit_take(r), 11);
	assert_int_equal(gw_ratelimit_take(r), 0);
	gw_ratelimit_free(r);
}

static void
a_cap_a_second_for_all(void **state)
{
	gw_ratelimit *r = gw_ratelimit_new(1024, 10, 5);
	char key[32];
	int allowed = 0;

	(void)state;
	assert_non_null(r);
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
		allowed += gw_ratelimit_allow(r, key, 2000);
	}
	assert_int_equal(allowed, 5);
	assert_int_equal(gw_ratelimit_take(r), 95);
	/* the next second lets five more through */
	assert_true(gw_ratelimit_allow(r, "10.0.1.0", 2001));
	gw_ratelimit_free(r);
}

/* A full table forgets the address seen longest ago; memory stays what it was. */
static void
a_full_table_forgets_the_oldest(void **state)
{
	gw_ratelimit *r = gw_ratelimit_new(2, 10, 100);

	(void)state;
	assert_non_null(r);
	assert_true(gw_ratelimit_allow(r, "a", 100));
	assert_true(gw_ratelimit_allow(r, "b", 101));
	assert_true(gw_ratelimit_allow(r, "c", 102));
	/* c pushed a out: b and c are held back, a gets through again */
	assert_false(gw_ratelimit_allow(r, "c", 103));
	assert_false(gw_ratelimit_allow(r, "b", 103));
	assert_true(gw_ratelimit_allow(r, "a", 103));
	gw_ratelimit_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(one_per_key_per_interval),
	        cmocka_unit_test(a_cap_a_second_for_all),
	        cmocka_unit_test(a_full_table_forgets_the_oldest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
