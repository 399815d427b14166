/*
 * test_log.c: event lines in logfmt and JSON (quoting, numbers, odd
 * characters), and the lines of the access log.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "gw_log.h"

/* Runs fn with standard error sent to a file; returns what it wrote. */
static char *
capture(void (*fn)(const void *), const void *arg)
{
	static char out[8192];
	FILE *f = tmpfile();
	int saved;
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(f), 2) == 2);
	fn(arg);
	fflush(stderr);
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static void
access_line(const void *a)
{
	gw_log_access(a);
}

/* Runs fn in logfmt: its line without the time stamp, which it checks. */
static const char *
logfmt(void (*fn)(const void *), const void *arg)
{
	const char *line;

	gw_log_set_format(GW_LOG_LOGFMT);
	line = capture(fn, arg);
	assert_int_equal(strlen(line) > 21 ? line[20] : 0, ' ');
	return line + 21;
}

static void
a_request_answered(void **state)
{
	struct gw_access a = {
	        .listener = "api",
	        .remote = "127.0.0.1",
	        .party = "0384",
	        .cert = "ab01",
	        .method = "POST",
	        .path = "/v1/berichten",
	        .status = 201,
	        .bytes_in = 2048,
	        .bytes_out = 17,
	        .millis = 3.25,
	};

	(void)state;
	assert_string_equal(logfmt(access_line, &a),
	                    "info access listener=api remote=127.0.0.1 party=0384 "
	                    "cert=ab01 method=POST path=/v1/berichten status=201 "
	                    "bytes_in=2048 bytes_out=17 ms=3.2\n");
}

/* A handshake that failed: no request, no party, what went wrong. */
static void
a_connection_without_request(void **state)
{
	struct gw_access a = {
	        .listener = "api",
	        .remote = "::1",
	        .cert = "cd02",
	        .error = "handshake: certificate verify failed",
	};

	(void)state;
	assert_string_equal(logfmt(access_line, &a),
	                    "info access listener=api remote=::1 cert=cd02 status=0 "
	                    "bytes_in=0 bytes_out=0 ms=0.0 "
	                    "error=\"handshake: certificate verify failed\"\n");
}

/* A path from the network is quoted when it is not a bare word. */
static void
an_odd_path_is_quoted(void **state)
{
	struct gw_access a = {
	        .listener = "api",
	        .remote = "127.0.0.1",
	        .method = "GET",
	        .path = "/v1/a b=\"c\"\\\n",
	        .status = 404,
	        .error = "unknown receiver",
	};

	(void)state;
	assert_string_equal(logfmt(access_line, &a),
	                    "info access listener=api remote=127.0.0.1 method=GET "
	                    "path=\"/v1/a b=\\\"c\\\"\\\\ \" status=404 bytes_in=0 "
	                    "bytes_out=0 ms=0.0 error=\"unknown receiver\"\n");
}

static void
accepted(const void *arg)
{
	(void)arg;
	gw_log(GW_LOG_INFO, "message_accepted",
	       "id=%" PRId64 " type=%s from=%s to=%s identificatie=%s", (int64_t)17, "JW301",
	       "0384", "42420001", "a b=\"c\"");
}

static void
numbers(const void *arg)
{
	(void)arg;
	gw_log(GW_LOG_WARN, "numbers", "ms=%.1f bytes=%zu neg=%d big=%llu hex=%x pct=%d%% ratio=%g",
	       3.5, (size_t)2048, -5, 18446744073709551615ULL, 255u, 50, 0.25);
}

static void
texts(const void *arg)
{
	char quoted[64];

	(void)arg;
	gw_log(GW_LOG_ERROR, "texts",
	       "error=%s what=\"takes effect at a start\" flag event=forged cut=%.*s empty=%s "
	       "odd=%s",
	       gw_log_quote("x \"y\"\n\\", quoted, sizeof quoted), 3, "abcdef", "",
	       "\x01\xff\xc3\xa9");
}

static void
long_values(const void *arg)
{
	char v[1500];

	(void)arg;
	memset(v, 'x', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	v[10] = ' ';
	gw_log(GW_LOG_INFO, "long", "a=%s b=%s c=%d", v, v, 7);
}

static void
two_lines(const void *arg)
{
	(void)arg;
	gw_log(GW_LOG_INFO, "composed", "%s", "k=1\nforged=2");
}

static void
nothing(const void *arg)
{
	(void)arg;
	gw_log(GW_LOG_INFO, "stopped", NULL);
}

static void
debug(const void *arg)
{
	(void)arg;
	gw_log(GW_LOG_DEBUG, "message_received", "from=%s", "0384");
}

/* Runs fn with the json format: the one object of its one line. */
static json_t *
json(void (*fn)(const void *), const void *arg)
{
	json_error_t e;
	const char *line;
	json_t *o;

	gw_log_set_format(GW_LOG_JSON);
	line = capture(fn, arg);
	gw_log_set_format(GW_LOG_LOGFMT);
	assert_non_null(strchr(line, '\n'));
	assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
	o = json_loads(line, 0, &e);
	if (!o)
		fail_msg("not JSON (%s): %s", e.text, line);
	assert_true(json_is_object(o));
	assert_int_equal(strlen(json_string_value(json_object_get(o, "time"))), 20);
	return o;
}

static void
assert_member_text(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("%s is not text", key);
	assert_string_equal(json_string_value(v), want);
}

static void
logfmt_lines(void **state)
{
	(void)state;
	assert_string_equal(logfmt(accepted, NULL),
	                    "info message_accepted id=17 type=JW301 from=0384 to=42420001 "
	                    "identificatie=\"a b=\\\"c\\\"\"\n");
	assert_string_equal(logfmt(numbers, NULL),
	                    "warn numbers ms=3.5 bytes=2048 neg=-5 big=18446744073709551615 "
	                    "hex=ff pct=50% ratio=0.25\n");
	assert_string_equal(
	        logfmt(texts, NULL),
	        "error texts error=\"x \\\"y\\\" \\\\\" what=\"takes effect at a start\" "
	        "flag event=forged cut=abc empty=\"\" odd=\" \xff\xc3\xa9\"\n");
	assert_string_equal(logfmt(nothing, NULL), "info stopped\n");
	/* a value in pieces of the caller's own stays on its line */
	assert_string_equal(logfmt(two_lines, NULL), "info composed k=1 forged=2\n");
}

/* Fields past the line's room are left out whole: the line still parses. */
static void
a_long_line_loses_whole_fields(void **state)
{
	const char *line = logfmt(long_values, NULL);
	json_t *o;

	(void)state;
	/* a: quoted and cut to the quote's room; b and c do not fit after it */
	assert_int_equal(strncmp(line, "info long a=\"xxxxxxxxxx xxx", 27), 0);
	assert_int_equal(strlen(line), strlen("info long a=") + 1022 + 1);
	assert_string_equal(line + strlen(line) - 3, "x\"\n");
	o = json(long_values, NULL);
	assert_int_equal(strlen(json_string_value(json_object_get(o, "a"))), 1020);
	assert_null(json_object_get(o, "b"));
	assert_null(json_object_get(o, "c"));
	json_decref(o);
}

static void
json_lines(void **state)
{
	json_t *o;

	(void)state;
	o = json(accepted, NULL);
	assert_member_text(o, "level", "info");
	assert_member_text(o, "event", "message_accepted");
	assert_true(json_is_integer(json_object_get(o, "id")));
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 17);
	assert_member_text(o, "type", "JW301");
	/* party codes are text, leading zero or not */
	assert_member_text(o, "from", "0384");
	assert_member_text(o, "to", "42420001");
	assert_member_text(o, "identificatie", "a b=\"c\"");
	assert_int_equal(json_object_size(o), 8);
	json_decref(o);

	o = json(numbers, NULL);
	assert_member_text(o, "level", "warn");
	assert_true(json_is_real(json_object_get(o, "ms")));
	assert_true(json_real_value(json_object_get(o, "ms")) == 3.5);
	assert_int_equal(json_integer_value(json_object_get(o, "bytes")), 2048);
	assert_int_equal(json_integer_value(json_object_get(o, "neg")), -5);
	/* past what JSON numbers hold here: the digits as text */
	assert_member_text(o, "big", "18446744073709551615");
	assert_member_text(o, "hex", "ff");
	assert_member_text(o, "pct", "50%");
	assert_true(json_real_value(json_object_get(o, "ratio")) == 0.25);
	json_decref(o);

	o = json(texts, NULL);
	assert_member_text(o, "error", "x \"y\" \\");
	assert_member_text(o, "what", "takes effect at a start");
	assert_true(json_is_true(json_object_get(o, "flag")));
	/* a field does not overwrite the line's own members */
	assert_member_text(o, "event", "texts");
	assert_member_text(o, "cut", "abc");
	assert_member_text(o, "empty", "");
	/* control characters become spaces, bytes outside UTF-8 '?' */
	assert_member_text(o, "odd", " ?\xc3\xa9");
	json_decref(o);

	o = json(nothing, NULL);
	assert_int_equal(json_object_size(o), 3);
	assert_member_text(o, "event", "stopped");
	json_decref(o);
}

static void
below_the_level_nothing(void **state)
{
	(void)state;
	gw_log_init(GW_LOG_INFO);
	assert_string_equal(capture(debug, NULL), "");
	gw_log_init(GW_LOG_DEBUG);
	assert_string_equal(logfmt(debug, NULL), "debug message_received from=0384\n");
	gw_log_init(GW_LOG_INFO);
}

/* The access line in JSON: counts and status are numbers, the rest text. */
static void
an_access_line_in_json(void **state)
{
	struct gw_access a = {
	        .listener = "api",
	        .remote = "127.0.0.1",
	        .party = "42420001",
	        .cert = "ab01",
	        .method = "GET",
	        .path = "/v1/berichten/17",
	        .status = 200,
	        .bytes_out = 3,
	        .millis = 0.5,
	};
	json_t *o;

	(void)state;
	o = json(access_line, &a);
	assert_member_text(o, "event", "access");
	assert_member_text(o, "listener", "api");
	assert_member_text(o, "remote", "127.0.0.1");
	assert_member_text(o, "party", "42420001");
	assert_member_text(o, "cert", "ab01");
	assert_member_text(o, "method", "GET");
	assert_member_text(o, "path", "/v1/berichten/17");
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 200);
	assert_int_equal(json_integer_value(json_object_get(o, "bytes_in")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "bytes_out")), 3);
	assert_true(json_real_value(json_object_get(o, "ms")) == 0.5);
	assert_null(json_object_get(o, "error"));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_request_answered),
	        cmocka_unit_test(a_connection_without_request),
	        cmocka_unit_test(an_odd_path_is_quoted),
	        cmocka_unit_test(logfmt_lines),
	        cmocka_unit_test(json_lines),
	        cmocka_unit_test(a_long_line_loses_whole_fields),
	        cmocka_unit_test(below_the_level_nothing),
	        cmocka_unit_test(an_access_line_in_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
