/*
 * test_log.c: the lines of the access log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

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

/* The line without its time stamp. */
static const char *
logged(const struct gw_access *a)
{
	const char *line = capture(access_line, a);

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
	assert_string_equal(logged(&a), "info access listener=api remote=127.0.0.1 party=0384 "
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
	assert_string_equal(logged(&a), "info access listener=api remote=::1 cert=cd02 status=0 "
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
	assert_string_equal(logged(&a), "info access listener=api remote=127.0.0.1 method=GET "
	                                "path=\"/v1/a b=\\\"c\\\"\\\\ \" status=404 bytes_in=0 "
	                                "bytes_out=0 ms=0.0 error=\"unknown receiver\"\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_request_answered),
	        cmocka_unit_test(a_connection_without_request),
	        cmocka_unit_test(an_odd_path_is_quoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
