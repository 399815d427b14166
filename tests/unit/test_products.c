/*
 * test_products.c: reading a region's product table, every kind of mistake
 * in one, and the built-in table against the national product code list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gw_products.h"
#include "ijw_products.h"
#include "tu.h"

/* A small table that uses every kind of setting. */
static const char good[] = "; a region of two profiles\n"
                           "[region]\n"
                           "name = Regio Test\n"
                           "intensity L = licht\n"
                           "intensity Z = zwaar\n"
                           "tariffs = contract\n"
                           "check_tariff = enforce\n"
                           "check_day_price = off\n"
                           "\n"
                           "[profile 1]\n"
                           "name = Opvoeden\n"
                           "[profile 2]\n"
                           "name = Verblijf\n"
                           "\n"
                           "[combination 1L]\n"
                           "segment = B\n"
                           "category = 45\n"
                           "code = RT01L\n"
                           "unit = 82\n"
                           "tariff = 150000\n"
                           "tariff_levels = 100000 150000 200000\n"
                           "legacy = 45 45A07\n"
                           "\n"
                           "[combination 2Z]\n"
                           "segment = C\n"
                           "category = 43\n"
                           "code = RT02Z\n"
                           "unit = 14\n"
                           "day_price = 25000\n"
                           "\n"
                           "[combination 1Z]\n"
                           "segment = C\n"
                           "category = 45\n"
                           "code = RT01Z\n"
                           "unit = 04\n"
                           "\n"
                           "[legacy]\n"
                           "; ambulant\n"
                           "45 45A07 = 1L\n"
                           "45 45A08 = 1L\n"
                           "43 43A09 = 2Z\n"
                           "43 43A57 = unmapped: a Wlz day price\n"
                           "44 45A08 = 2z\n";

static ijw_products *
parse(const char *text, char *err, size_t errlen)
{
	ijw_products *p = NULL;
	ijw_rc rc = ijw_products_parse(text, strlen(text), "t.ini", &p, err, errlen);

	if (rc == IJW_OK)
		assert_non_null(p);
	else
		assert_null(p);
	return p;
}

static void
a_good_table(void **state)
{
	char err[512];
	ijw_products *p = parse(good, err, sizeof err);
	const struct ijw_combination *c;
	const struct ijw_legacy *l;

	(void)state;
	if (!p)
		fail_msg("%s", err);
	assert_string_equal(ijw_products_region(p), "Regio Test");
	assert_false(ijw_products_example(p));
	assert_string_equal(ijw_products_intensity(p, 'L'), "licht");
	assert_null(ijw_products_intensity(p, 'P'));
	assert_string_equal(ijw_products_profile(p, 2), "Verblijf");
	assert_null(ijw_products_profile(p, 3));
	assert_int_equal(ijw_products_check_tariff(p), IJW_CHECK_ENFORCE);
	assert_int_equal(ijw_products_check_day_price(p), IJW_CHECK_OFF);
	assert_int_equal(ijw_products_ncombinations(p), 3);

	c = ijw_products_combination(p, "1l");
	assert_non_null(c);
	assert_string_equal(c->id, "1L");
	assert_int_equal(c->profile, 1);
	assert_int_equal(c->intensity, 'L');
	assert_int_equal(c->segment, 'B');
	assert_string_equal(c->categorie, "45");
	assert_string_equal(c->code, "RT01L");
	assert_string_equal(c->unit, "82");
	assert_int_equal(c->tariff, 150000);
	assert_int_equal(c->nlevels, 3);
	assert_int_equal(c->levels[2], 200000);
	assert_int_equal(c->day_price, -1);
	assert_string_equal(c->legacy_code, "45A07");
	assert_int_equal(c->line, 15);
	assert_ptr_equal(ijw_products_regional(p, "45", "RT01L"), c);
	assert_null(ijw_products_regional(p, "43", "RT01L"));
	assert_ptr_equal(ijw_products_regional(p, NULL, "RT01L"), c);

	c = ijw_products_combination(p, "2Z");
	assert_int_equal(c->day_price, 25000);
	assert_int_equal(c->tariff, -1);
	assert_string_equal(c->legacy_code, "");
	c = ijw_products_combination(p, "1Z");
	assert_int_equal(c->tariff, -1); /* segment C: agreed per provider */
	assert_null(ijw_products_combination(p, "3L"));

	/* legacy: with a category, or the code alone when that names one */
	assert_int_equal(ijw_products_nlegacy(p), 5);
	l = ijw_products_legacy(p, "43", "43A09");
	assert_ptr_equal(l->to, ijw_products_combination(p, "2Z"));
	assert_string_equal(l->reason, "");
	assert_ptr_equal(ijw_products_legacy(p, NULL, "43A09"), l);
	l = ijw_products_legacy(p, NULL, "43a57");
	assert_null(l->to);
	assert_string_equal(l->reason, "a Wlz day price");
	assert_int_equal(l->line, 42);
	assert_null(ijw_products_legacy(p, NULL, "45A08")); /* in 45 and in 44 */
	assert_ptr_equal(ijw_products_legacy(p, "44", "45A08")->to,
	                 ijw_products_combination(p, "2Z"));
	assert_null(ijw_products_legacy(p, "45", "45A99"));
	ijw_products_free(p);

	/* the defaults: the checks advise, the tariffs are not said to be examples */
	p = parse("[region]\nname = R\n", err, sizeof err);
	assert_non_null(p);
	assert_int_equal(ijw_products_check_tariff(p), IJW_CHECK_ADVISE);
	assert_int_equal(ijw_products_check_day_price(p), IJW_CHECK_ADVISE);
	assert_int_equal(ijw_products_ncombinations(p), 0);
	ijw_products_free(p);
}

/* The policy over time: its settings, their defaults, the ceilings, and mistakes by line. */
static void
policy_settings(void **state)
{
	const char *text = "[region]\n"
	                   "name = R\n"
	                   "check_stacking = enforce\n"
	                   "acute = A\n"
	                   "acute_max_days = 10\n"
	                   "durable = D\n"
	                   "agreement = regisseur akkoord\n"
	                   "check_ceiling = advise\n"
	                   "check_invoice_days = enforce\n"
	                   "invoice_days = 90\n"
	                   "[ceiling 42420001]\n"
	                   "2026 = 150000000\n"
	                   "2026 profile 5 = 40000000\n";
	const struct {
		const char *text;
		const char *says;
	} bad[] = {
	        {"[region]\nname = R\nacute = AA\n",
	         "t.ini:3: acute names an intensity by its letter"},
	        {"[region]\nname = R\nacute_max_days = two\n",
	         "t.ini:3: acute_max_days is a number"},
	        {"[region]\nname = R\ncheck_ceiling = strict\n",
	         "t.ini:3: check_ceiling is enforce, advise or off, not 'strict'"},
	        {"[region]\nname = R\n[ceiling 4242]\n",
	         "t.ini:3: [ceiling 4242]: a ceiling section"},
	        {"[region]\nname = R\n[ceiling 42420001]\n2026 profile = 5\n",
	         "t.ini:4: a ceiling is 'YEAR = cents' or 'YEAR profile N = cents'"},
	        {"[region]\nname = R\n[ceiling 42420001]\n2026 = 12.50\n",
	         "t.ini:4: a ceiling is an amount in cents, not '12.50'"},
	};
	const struct ijw_policy *pol;
	char err[512];
	ijw_products *p;

	(void)state;
	assert_non_null(p = parse(text, err, sizeof err));
	pol = ijw_products_policy(p);
	assert_int_equal(pol->stacking, IJW_CHECK_ENFORCE);
	assert_int_equal(pol->ceiling, IJW_CHECK_ADVISE);
	assert_int_equal(pol->invoice, IJW_CHECK_ENFORCE);
	assert_int_equal(pol->acute, 'A');
	assert_int_equal(pol->durable, 'D');
	assert_int_equal(pol->acute_max_days, 10);
	assert_int_equal(pol->invoice_days, 90);
	assert_string_equal(pol->agreement, "regisseur akkoord");
	assert_int_equal(ijw_products_ceiling(p, "42420001", 2026, 0), 150000000);
	assert_int_equal(ijw_products_ceiling(p, "42420001", 2026, 5), 40000000);
	assert_int_equal(ijw_products_ceiling(p, "42420001", 2026, 4), -1);
	assert_int_equal(ijw_products_ceiling(p, "42420001", 2027, 0), -1);
	assert_int_equal(ijw_products_ceiling(p, "42420002", 2026, 0), -1);
	ijw_products_free(p);

	/* every check off unless the table turns it on; Acuut 14 days */
	assert_non_null(p = parse("[region]\nname = R\n", err, sizeof err));
	pol = ijw_products_policy(p);
	assert_int_equal(pol->stacking, IJW_CHECK_OFF);
	assert_int_equal(pol->ceiling, IJW_CHECK_OFF);
	assert_int_equal(pol->invoice, IJW_CHECK_OFF);
	assert_int_equal(pol->acute_max_days, 14);
	assert_string_equal(pol->agreement, "");
	ijw_products_free(p);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(parse(bad[i].text, err, sizeof err));
		if (!strstr(err, bad[i].says))
			fail_msg("%s: got '%s', want '%s'", bad[i].text, err, bad[i].says);
	}
}

/* good with the first occurrence of from replaced by to. */
static const char *
edited(const char *from, const char *to)
{
	static char buf[8192];
	const char *at = strstr(good, from);

	if (!at)
		fail_msg("'%s' is not in the good table", from);
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return buf;
}

static void
mistakes_name_their_line(void **state)
{
	static char long_line[400];
	const struct {
		const char *from, *to;
		unsigned line;
		const char *says;
	} bad[] = {
	        {"[region]", "[regio]", 2, "unknown section [regio]"},
	        {"tariffs = contract", "colour = blue", 6, "unknown setting 'colour' in [region]"},
	        {"intensity L = licht", "intensity l = licht", 4, "one capital letter"},
	        {"intensity L = licht", "intensity LL = licht", 4, "one capital letter"},
	        {"intensity Z = zwaar", "intensity L = zwaar", 5, "intensity L is given twice"},
	        {"intensity L = licht", "intensity L =", 4, "intensity L has no name"},
	        {"tariffs = contract", "tariffs = maybe", 6, "tariffs is example or contract"},
	        {"check_tariff = enforce", "check_tariff = strict", 7,
	         "check_tariff is enforce, advise or off, not 'strict'"},
	        {"[profile 2]", "[profile 0]", 12, "a profile is numbered 1 to"},
	        {"[profile 2]", "[profile 1]", 12, "[profile 1] appears twice"},
	        {"name = Verblijf", "naam = Verblijf", 13, "unknown setting 'naam' in [profile 2]"},
	        {"name = Verblijf", "", 12, "[profile 2] has no name"},
	        {"name = Verblijf", "name = Verblijf\nname = Wonen", 14, "name is given twice"},
	        {"[combination 1L]", "[combination L1]", 15, "such as [combination 2P]"},
	        {"[combination 1Z]", "[combination 2Z]", 31, "[combination 2Z] appears twice"},
	        {"[combination 1L]", "[combination 3L]", 15,
	         "[combination 3L]: there is no [profile 3]"},
	        {"[combination 1Z]", "[combination 1X]", 31, "[region] names no intensity X"},
	        {"segment = B", "segment = A", 16, "segment is B or C, not 'A'"},
	        {"category = 45", "category = 39", 17, "not an iJw product category"},
	        {"code = RT01L", "code = RT-01", 18, "code RT-01 is not 1 to 5 letters and digits"},
	        {"unit = 82", "unit = 99", 19, "unit 99 is not an iJw Eenheid"},
	        {"tariff = 150000", "tariff = 1500.00", 20, "tariff is a whole number of cents"},
	        {"day_price = 25000", "day_price = -5", 29, "day_price is a whole number of cents"},
	        {"tariff_levels = 100000 150000 200000", "tariff_levels = 100000 90000", 21,
	         "tariff levels go up: 90000 after 100000"},
	        {"tariff_levels = 100000 150000 200000", "tariff_levels = 1 2 3 4 5 6 7 8 9", 21,
	         "at most 8 tariff levels"},
	        {"tariff_levels = 100000 150000 200000", "tariff_levels = 100000 x", 21,
	         "tariff level 'x' is not a whole number of cents"},
	        {"tariff_levels = 100000 150000 200000", "tariff_levels = 100000 200000", 15,
	         "[combination 1L]: its tariff_levels leave out its tariff 150000"},
	        {"legacy = 45 45A07", "legacy = 45A07", 22, "legacy is a category and a code"},
	        {"legacy = 45 45A07", "legacy = 43 43A57", 15,
	         "[combination 1L]: its legacy product 43 43A57 is unmapped in [legacy]"},
	        {"legacy = 45 45A07", "legacy = 43 43A09", 15,
	         "its legacy product 43 43A09 is mapped to another combination"},
	        {"legacy = 45 45A07", "legacy = 45 45A99", 15,
	         "its legacy product 45 45A99 is not listed"},
	        {"segment = B", "colour = red", 16, "unknown setting 'colour' in [combination 1L]"},
	        {"unit = 82\n", "", 15, "[combination 1L] needs segment, category, code and unit"},
	        {"tariff = 150000\ntariff_levels = 100000 150000 200000\n", "", 15,
	         "[combination 1L] is in segment B, so it needs a tariff or a day_price"},
	        {"unit = 14", "unit = 82", 24, "a day_price goes with unit 14 (etmaal), not 82"},
	        {"category = 43\ncode = RT02Z", "category = 45\ncode = RT01L", 24,
	         "product 45 RT01L is another combination's too"},
	        {"45 45A07 = 1L", "45A07 = 1L", 39, "'45A07' is not a category and a code"},
	        {"45 45A07 = 1L", "45 45A07 = 1L\n45 45A07 = 1L", 40, "45 45A07 is listed twice"},
	        {"45 45A08 = 1L", "45 45A08 = 9L", 40,
	         "45 45A08 maps to 9L, which is no [combination]"},
	        {"45 45A08 = 1L", "45 45A08 = x", 40, "45A08 maps to a combination such as 2P"},
	        {"43 43A57 = unmapped: a Wlz day price", "43 43A57 = unmapped:", 42,
	         "say why 43A57 is unmapped"},
	        {"name = Regio Test", "", 2, "the [region] section has no name"},
	        {"[profile 1]", "[region]", 10, "[region] appears twice"},
	        {"; a region of two profiles", "a region of two profiles", 1, "not a setting"},
	        {"; a region of two profiles", "name = x", 1, "name is outside a section"},
	        {"; a region of two profiles", long_line, 1, "the line is longer than"},
	};
	char err[512];

	(void)state;
	assert_null(parse("[profile 1]\nname = x\n", err, sizeof err));
	assert_string_equal(err, "t.ini:1: there is no [region] section");
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[0] = ';';
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char where[32];

		snprintf(where, sizeof where, "t.ini:%u: ", bad[i].line);
		if (parse(edited(bad[i].from, bad[i].to), err, sizeof err))
			fail_msg("case %zu (%s): the table was taken", i, bad[i].says);
		if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, bad[i].says))
			fail_msg("case %zu: wanted '%s%s', got '%s'", i, where, bad[i].says, err);
	}
}

/*
 * A section's header begins its line. inih takes one after white space (a
 * form feed, a vertical tab, a space) for a header or for the next line of a
 * value, and a setting then landed in a section the reader had not checked:
 * a profile numbered past the table was written out of bounds.
 */
static void
headers_begin_their_line(void **state)
{
	char err[512];

	(void)state;
	assert_null(parse("\v[profile 99999]\nname = x\n", err, sizeof err));
	assert_string_equal(err, "t.ini:1: a [section] header begins its line");
	assert_null(parse(edited("[profile 2]", "\f[profile 999]"), err, sizeof err));
	assert_string_equal(err, "t.ini:12: a [section] header begins its line");
	assert_null(parse(edited("[profile 2]", "  [profile 2]"), err, sizeof err));
	assert_string_equal(err, "t.ini:12: a [section] header begins its line");
}

static void
files(void **state)
{
	char err[512], path[] = "/tmp/test_products.XXXXXX";
	int fd = mkstemp(path);
	ijw_products *p;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(edited("unit = 82", "unit = 99"), f);
	fclose(f);
	assert_null(gw_products_load(path, err, sizeof err));
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, ":19: unit 99"));
	unlink(path);
	assert_null(gw_products_load(path, err, sizeof err));
	assert_non_null(strstr(err, "No such file"));

	/* the built-in table is the one in conf/products */
	p = gw_products_load(NULL, err, sizeof err);
	if (!p)
		fail_msg("%s", err);
	assert_true(ijw_products_example(p));
	assert_int_equal(ijw_products_ncombinations(p), 40);
	for (unsigned n = 1; n <= 10; n++)
		assert_non_null(ijw_products_profile(p, n));
	for (size_t i = 0; i < ijw_products_ncombinations(p); i++) {
		const struct ijw_combination *c = ijw_products_combination_at(p, i);

		assert_non_null(ijw_products_intensity(p, c->intensity));
		assert_true(c->tariff >= 0 || c->day_price >= 0 || c->segment == 'C');
	}
	ijw_products_free(p);
}

/*
 * Every national code of categories 40 to 55 is in the built-in table,
 * mapped or unmapped with a reason, and the table lists no code the
 * national list lacks. Prints the coverage per category.
 */
static void
covers_the_national_list(void **state)
{
	const char *shared = tu_shared_dir();
	char path[4096], err[512], *text, *line, *save = NULL;
	unsigned total[56] = {0}, mapped[56] = {0}, unmapped[56] = {0}, missing = 0, listed = 0;
	ijw_products *p;
	size_t len;

	(void)state;
	if (!shared) {
		printf("skipped: the national product code list (../shared/reference) is absent\n");
		return;
	}
	snprintf(path, sizeof path, "%s/reference/jz21-productcodes.tsv", shared);
	assert_non_null(text = tu_read(path, &len));
	assert_non_null(p = gw_products_load(NULL, err, sizeof err));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char code[8], cat[8];
		const struct ijw_legacy *l;
		int c;

		if (sscanf(line, "%7[^\t]\t%*[^\t]\t%7[^\t]", code, cat) != 2 ||
		    strspn(cat, "0123456789") != 2)
			continue; /* the header, and headings of category "-" */
		c = (int)strtol(cat, NULL, 10);
		if (c < 40 || c > 55)
			continue;
		listed++;
		total[c]++;
		if (!(l = ijw_products_legacy(p, cat, code))) {
			printf("not in the table: %s %s\n", cat, code);
			missing++;
		} else if (l->to) {
			mapped[c]++;
		} else {
			assert_true(strlen(l->reason) > 10);
			unmapped[c]++;
		}
	}
	printf("the built-in table (%s) against the national list:\n", ijw_products_region(p));
	printf("category  codes  mapped  unmapped\n");
	for (int c = 40; c <= 55; c++)
		printf("      %2d  %5u  %6u  %8u\n", c, total[c], mapped[c], unmapped[c]);
	printf("     all  %5u\n", listed);
	assert_int_equal(missing, 0);
	assert_int_equal(ijw_products_nlegacy(p), listed);
	assert_true(listed > 400);
	ijw_products_free(p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_good_table),    cmocka_unit_test(mistakes_name_their_line),
	        cmocka_unit_test(policy_settings), cmocka_unit_test(headers_begin_their_line),
	        cmocka_unit_test(files),           cmocka_unit_test(covers_the_national_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
