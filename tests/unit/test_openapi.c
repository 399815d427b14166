/*
 * test_openapi.c: the OpenAPI descriptions built into the program are the
 * files of schemas/openapi/, byte for byte, and JSON that jansson reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gw_openapi.h"
#include "tu.h"

static void
built_in_is_the_file(const char *name, const char *title)
{
	char path[4096];
	size_t len, flen;
	const char *doc = gw_openapi(name, &len);
	char *file;
	json_error_t err;
	json_t *root;

	assert_non_null(doc);
	snprintf(path, sizeof path, "%s/schemas/openapi/%s", tu_source_dir(), name);
	file = tu_read(path, &flen);
	assert_non_null(file);
	assert_int_equal(len, flen);
	assert_memory_equal(doc, file, len);
	free(file);
	root = json_loadb(doc, len, 0, &err);
	if (!root)
		fail_msg("%s:%d: %s", name, err.line, err.text);
	assert_string_equal(json_string_value(json_object_get(root, "openapi")), "3.1.0");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(root, "info"), "title")), title);
	assert_true(json_object_size(json_object_get(root, "paths")) > 5);
	json_decref(root);
}

static void
party_api(void **state)
{
	(void)state;
	built_in_is_the_file("party.json", "ijw-gateway party API");
}

static void
admin_listener(void **state)
{
	(void)state;
	built_in_is_the_file("admin.json", "ijw-gateway admin listener");
}

static void
no_other(void **state)
{
	size_t len = 7;

	(void)state;
	assert_null(gw_openapi("console.css", &len));
	assert_null(gw_openapi("", &len));
	assert_int_equal(len, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(party_api),
	        cmocka_unit_test(admin_listener),
	        cmocka_unit_test(no_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
