/*
 * test_value.c: dates and the 11-proef.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ijw_value.h"

static void
dates_that_exist(void **state)
{
	static const char *const good[] = {"2024-02-29", "2000-02-29", "2023-12-31",
	                                   "1970-01-01", "0001-01-01", "9999-12-31"};
	ijw_day d;
	char back[IJW_DATE_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_true(ijw_date_parse(good[i], &d));
		ijw_date_format(d, back);
		assert_string_equal(back, good[i]);
	}
	assert_true(ijw_date_parse("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(ijw_date_parse("2024-03-01", &d));
	assert_int_equal(d, ijw_date_from_ymd(2024, 2, 29) + 1);
}

static void
dates_that_do_not(void **state)
{
	static const char *const bad[] = {"2023-02-29",  "2023-02-30", "1900-02-29", "2023-13-01",
	                                  "2023-00-10",  "2023-04-31", "2023-4-01",  "20230401",
	                                  "2023-04-01Z", "",           "0000-01-01", "2023-04-0a"};
	ijw_day d;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(ijw_date_parse(bad[i], &d));
}

/* ijw_date_or: the day of a date, else the value given for none. */
static void
dates_or_none(void **state)
{
	(void)state;
	assert_int_equal(ijw_date_or("2024-03-01", -1), ijw_date_from_ymd(2024, 3, 1));
	assert_int_equal(ijw_date_or("2023-02-29", -1), -1);
	assert_int_equal(ijw_date_or("", 7), 7);
	assert_int_equal(ijw_date_or(NULL, IJW_DAY_MAX), IJW_DAY_MAX);
}

/* XML Schema dates may have longer and negative years; ours up to nine digits. */
static void
dates_of_xml_schema(void **state)
{
	static const char *const good[] = {"27026-04-15", "-0044-03-15", "123456789-12-31"};
	static const char *const bad[] = {"02026-01-01",  "0000-01-01",   "1234567890-01-01",
	                                  "-02026-01-01", "--2026-01-01", "27026-02-29"};
	char back[IJW_DATE_SIZE];
	ijw_day d;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_true(ijw_date_parse(good[i], &d));
		ijw_date_format(d, back);
		assert_string_equal(back, good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(ijw_date_parse(bad[i], &d));
	assert_true(ijw_date_parse("27026-04-15", &d));
	assert_true(d > ijw_date_from_ymd(9999, 12, 31));
}

static void
round_trip_over_centuries(void **state)
{
	(void)state;
	for (ijw_day d = ijw_date_from_ymd(1880, 1, 1); d < ijw_date_from_ymd(2120, 1, 1); d++) {
		int y, m, md;

		ijw_date_to_ymd(d, &y, &m, &md);
		assert_true(md >= 1 && md <= ijw_month_days(y, m));
		assert_int_equal(ijw_date_from_ymd(y, m, md), d);
	}
}

static void
bsn_elfproef(void **state)
{
	(void)state;
	/* 9*9+9*8+9*7+9*6+0*5+0*4+0*3+0*2 - 6 = 264 = 24*11 */
	assert_true(ijw_bsn_valid("999900006"));
	assert_true(ijw_bsn_valid("111222333"));
	assert_false(ijw_bsn_valid("999900007"));
	assert_false(ijw_bsn_valid("123456789"));
	assert_false(ijw_bsn_valid("99990000"));
	assert_false(ijw_bsn_valid("9999000060"));
	assert_false(ijw_bsn_valid("99990000a"));
}

/* Cents as euros, with the sign in front and always two decimals. */
static void
cents(void **state)
{
	static const struct {
		long long cents;
		const char *text;
	} rows[] = {{0, "0.00"},         {5, "0.05"},     {-50, "-0.50"},
	            {123405, "1234.05"}, {-100, "-1.00"}, {LLONG_MIN, "-92233720368547758.08"}};
	char out[24];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ijw_cents_format(rows[i].cents, out, sizeof out);
		assert_string_equal(out, rows[i].text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(dates_that_exist),
	        cmocka_unit_test(dates_that_do_not),
	        cmocka_unit_test(dates_or_none),
	        cmocka_unit_test(dates_of_xml_schema),
	        cmocka_unit_test(round_trip_over_centuries),
	        cmocka_unit_test(bsn_elfproef),
	        cmocka_unit_test(cents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
