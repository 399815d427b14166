/*
 * test_buf.c: the capped buffer and its escapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ijw_buf.h"

static void
append_within_cap(void **state)
{
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 8);
	assert_string_equal(ijw_buf_str(&b), "");
	assert_int_equal(ijw_buf_addstr(&b, "1234"), IJW_OK);
	assert_int_equal(ijw_buf_addf(&b, "%d", 5678), IJW_OK);
	assert_string_equal(ijw_buf_str(&b), "12345678");
	assert_int_equal(b.len, 8);
	ijw_buf_free(&b);
}

static void
append_past_cap_fails_and_keeps_contents(void **state)
{
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 8);
	assert_int_equal(ijw_buf_addstr(&b, "123456"), IJW_OK);
	assert_int_equal(ijw_buf_addstr(&b, "789"), IJW_ETOOBIG);
	assert_int_equal(ijw_buf_addf(&b, "%s", "789"), IJW_ETOOBIG);
	assert_string_equal(ijw_buf_str(&b), "123456");
	ijw_buf_reset(&b);
	assert_string_equal(ijw_buf_str(&b), "");
	assert_int_equal(ijw_buf_addstr(&b, "12345678"), IJW_OK);
	ijw_buf_free(&b);
}

static void
grows_over_many_appends(void **state)
{
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(ijw_buf_add(&b, "abcdefgh", 8), IJW_OK);
	assert_int_equal(b.len, 80000);
	assert_memory_equal(b.data + 79992, "abcdefgh", 8);
	ijw_buf_free(&b);
}

static void
xml_escape(void **state)
{
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 1024);
	assert_int_equal(ijw_buf_add_xml(&b, "'s-Hertogenbosch & <Zoë> \"x\""), IJW_OK);
	assert_string_equal(ijw_buf_str(&b),
	                    "&apos;s-Hertogenbosch &amp; &lt;Zoë&gt; &quot;x&quot;");
	ijw_buf_free(&b);
}

static void
json_escape(void **state)
{
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 1024);
	assert_int_equal(ijw_buf_add_json(&b, "a\"b\\c\nd\x01Zoë"), IJW_OK);
	assert_string_equal(ijw_buf_str(&b), "\"a\\\"b\\\\c\\nd\\u0001Zoë\"");
	ijw_buf_free(&b);
}

static void
hex_digits(void **state)
{
	static const unsigned char b[] = {0x00, 0x0f, 0xa5, 0xff};
	char out[2 * sizeof b + 1];

	(void)state;
	memset(out, 'x', sizeof out);
	ijw_hex(b, sizeof b, out);
	assert_string_equal(out, "000fa5ff");
	ijw_hex(b, 0, out);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(append_within_cap),
	        cmocka_unit_test(append_past_cap_fails_and_keeps_contents),
	        cmocka_unit_test(grows_over_many_appends),
	        cmocka_unit_test(xml_escape),
	        cmocka_unit_test(json_escape),
	        cmocka_unit_test(hex_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
