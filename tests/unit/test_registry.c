/*
 * test_registry.c: the message table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ijw_registry.h"

static void
fourteen_messages_with_their_codes(void **state)
{
	static const struct {
		const char *name, *code;
	} want[] = {
	        {"JW301", "436"}, {"JW302", "437"}, {"JW305", "438"}, {"JW306", "439"},
	        {"JW307", "440"}, {"JW308", "441"}, {"JW315", "446"}, {"JW316", "447"},
	        {"JW317", "486"}, {"JW318", "487"}, {"JW319", "488"}, {"JW320", "489"},
	        {"JW323", "490"}, {"JW325", "491"},
	};
	int n = 0;

	(void)state;
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++, n++) {
		const struct ijw_msgdef *d = ijw_msgdef(t);

		assert_non_null(d);
		assert_int_equal(d->type, t);
		assert_string_equal(d->name, want[n].name);
		assert_string_equal(d->code, want[n].code);
	}
	assert_int_equal(n, 14);
	assert_null(ijw_msgdef(IJW_TYPE_NONE));
	assert_null(ijw_msgdef(IJW_TYPE_END));
}

static void
lookup_by_name_and_namespace(void **state)
{
	(void)state;
	assert_int_equal(ijw_msgdef_by_name("JW323")->type, IJW_JW323);
	assert_int_equal(ijw_msgdef_by_name("jw323")->type, IJW_JW323);
	assert_null(ijw_msgdef_by_name("JW324"));
	assert_int_equal(ijw_msgdef_by_ns("http://www.istandaarden.nl/ijw/3_2/jw319/schema")->type,
	                 IJW_JW319);
	assert_null(ijw_msgdef_by_ns("http://www.istandaarden.nl/ijw/3_1/jw319/schema"));
	assert_null(ijw_msgdef_by_ns(IJW_NS_BASIS));
}

static void
retour_pairing_is_symmetric(void **state)
{
	static const enum ijw_type heen[] = {IJW_JW301, IJW_JW305, IJW_JW307, IJW_JW315,
	                                     IJW_JW317, IJW_JW319, IJW_JW323};
	static const enum ijw_type retour[] = {IJW_JW302, IJW_JW306, IJW_JW308, IJW_JW316,
	                                       IJW_JW318, IJW_JW320, IJW_JW325};

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		const struct ijw_msgdef *h = ijw_msgdef(heen[i]), *r = ijw_msgdef(retour[i]);

		assert_false(h->retour);
		assert_true(r->retour);
		assert_int_equal(h->pair, retour[i]);
		assert_int_equal(r->pair, heen[i]);
	}
}

static void
senders_and_levels(void **state)
{
	(void)state;
	/* Municipality to provider: toewijzing, antwoord and declaratie-antwoord. */
	assert_int_equal(ijw_msgdef(IJW_JW301)->afzender, IJW_GEMEENTE);
	assert_int_equal(ijw_msgdef(IJW_JW319)->afzender, IJW_GEMEENTE);
	assert_int_equal(ijw_msgdef(IJW_JW325)->afzender, IJW_GEMEENTE);
	assert_int_equal(ijw_msgdef(IJW_JW305)->afzender, IJW_AANBIEDER);
	assert_int_equal(ijw_msgdef(IJW_JW323)->ontvanger, IJW_GEMEENTE);
	/* A retour echoes the heen header, so its Afzender is the heen's sender. */
	assert_int_equal(ijw_msgdef(IJW_JW302)->afzender, IJW_GEMEENTE);
	assert_int_equal(ijw_msgdef(IJW_JW306)->afzender, IJW_AANBIEDER);

	assert_true(ijw_is_level(IJW_JW301, "Header"));
	assert_true(ijw_is_level(IJW_JW301, "ToegewezenProduct"));
	assert_true(ijw_is_level(IJW_JW302, "Contact"));
	assert_false(ijw_is_level(IJW_JW301, "Product"));
	assert_true(ijw_is_level(IJW_JW323, "Prestatie"));
	assert_true(ijw_is_level(IJW_JW325, "DeclaratieAntwoord"));
	assert_false(ijw_is_level(IJW_JW323, "DeclaratieAntwoord"));
	assert_true(ijw_is_level(IJW_JW317, "NieuwProduct"));
	assert_false(ijw_is_level(IJW_TYPE_NONE, "Header"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(fourteen_messages_with_their_codes),
	        cmocka_unit_test(lookup_by_name_and_namespace),
	        cmocka_unit_test(retour_pairing_is_symmetric),
	        cmocka_unit_test(senders_and_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
