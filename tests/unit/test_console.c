/*
 * test_console.c: the console's pieces that need no store: the BSN's mask,
 * the rejections' chart, the frame and the files it serves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gw_console.h"

/* XML in, XML out: every Bsn's text masked, whatever its prefix, and nothing else changed. */
static void
masks_every_bsn(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"<a><Bsn>123456782</Bsn></a>", "<a><Bsn>*********</Bsn></a>"},
	        {"<jw:Bsn>123456782</jw:Bsn><ijw:Bsn x=\"1\">999999990</ijw:Bsn>",
	         "<jw:Bsn>*********</jw:Bsn><ijw:Bsn x=\"1\">*********</ijw:Bsn>"},
	        /* names that only begin or end like it, an empty one, an end tag alone */
	        {"<BsnX>1</BsnX><XBsn>2</XBsn><Bsn/></Bsn>",
	         "<BsnX>1</BsnX><XBsn>2</XBsn><Bsn/></Bsn>"},
	        {"<?xml version=\"1.0\"?><!-- <Bsn>1</Bsn> -->",
	         "<?xml version=\"1.0\"?><!-- <Bsn>1</Bsn> -->"},
	        /* CDATA and comments in it are its text too */
	        {"<Bsn><![CDATA[123456782]]></Bsn>", "<Bsn>*********</Bsn>"},
	        {"<Bsn>1234<!-- x -->56782</Bsn>", "<Bsn>*********</Bsn>"},
	        /* cut off: what is there is masked, nothing read beyond it */
	        {"<Bsn>123456782", "<Bsn>*********"},
	        {"<Bsn", "<Bsn"},
	        {"", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ijw_buf out;

		ijw_buf_init(&out, 1 << 16);
		gw_console_mask(cases[i].in, strlen(cases[i].in), &out);
		assert_string_equal(ijw_buf_str(&out), cases[i].out);
		ijw_buf_free(&out);
	}
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *at = s; (at = strstr(at, needle)); at++)
		n++;
	return n;
}

/* A bar per day and rule, stacked: a day's bars share x, and the tallest day is full height. */
static void
draws_stacked_bars(void **state)
{
	static const struct gw_rejections r[] = {
	        {.day = 86400 * 20000, .rule = "TR002", .n = 2},
	        {.day = 86400 * 20000, .rule = "XSD", .n = 2},
	        {.day = 86400 * 20002, .rule = "TR002", .n = 1},
	        {.day = 86400 * 20002, .rule = "<b>", .n = 1},
	};
	struct ijw_buf out;
	const char *s;

	(void)state;
	ijw_buf_init(&out, 1 << 16);
	gw_console_chart(r, 4, &out);
	s = ijw_buf_str(&out);
	assert_int_equal(count(s, "<rect class=\"bar "), 4);
	assert_non_null(strstr(s, "class=\"bar c0\" x=\"40\" y=\"110\" width=\"14\" height=\"100\" "
	                          "data-day=\"2024-10-04\" data-rule=\"TR002\" data-n=\"2\""));
	assert_non_null(strstr(s, "class=\"bar c1\" x=\"40\" y=\"10\" width=\"14\" height=\"100\" "
	                          "data-day=\"2024-10-04\" data-rule=\"XSD\""));
	/* the third day: two days on, a rule that is a colour of its own, escaped */
	assert_non_null(strstr(s, "class=\"bar c0\" x=\"72\" y=\"160\""));
	assert_non_null(strstr(s, "class=\"bar c2\" x=\"72\" y=\"110\" width=\"14\" height=\"50\" "
	                          "data-day=\"2024-10-06\" data-rule=\"&lt;b&gt;\""));
	assert_null(strstr(s, "<b>"));
	/* the legend names each rule once */
	assert_int_equal(count(s, "<span class=\"c"), 3);
	ijw_buf_free(&out);
}

/* Every page's frame escapes what it shows and carries the session's CSRF token. */
static void
frame_and_files(void **state)
{
	struct gw_console_page p = {.who = "<admin>", .csrf = "c5rf", .here = "pushes"};
	struct ijw_buf out;
	const char *type;
	size_t len;

	(void)state;
	ijw_buf_init(&out, 1 << 16);
	gw_console_problem(&p, "Bad \"request\"", "from: '<x>' is not a date", &out);
	assert_non_null(strstr(ijw_buf_str(&out), "&lt;admin&gt;"));
	assert_non_null(strstr(ijw_buf_str(&out), "name=\"csrf\" value=\"c5rf\""));
	assert_non_null(strstr(ijw_buf_str(&out), "<a href=\"/console/pushes\" class=\"here\">"));
	assert_non_null(strstr(ijw_buf_str(&out), "from: &apos;&lt;x&gt;&apos; is not a date"));
	assert_null(strstr(ijw_buf_str(&out), "<script>"));
	assert_null(strstr(ijw_buf_str(&out), "style="));
	ijw_buf_free(&out);

	assert_non_null(gw_console_asset("console.css", &len, &type));
	assert_string_equal(type, "text/css; charset=utf-8");
	assert_true(len > 0);
	assert_non_null(gw_console_asset("console.js", &len, &type));
	assert_string_equal(type, "text/javascript; charset=utf-8");
	assert_null(gw_console_asset("../gw_admin.c", &len, &type));
	assert_null(gw_console_asset("", &len, &type));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(masks_every_bsn),
	        cmocka_unit_test(draws_stacked_bars),
	        cmocka_unit_test(frame_and_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
