/*
 * cmd_map.c: ijw-gateway map [--conf FILE] [--json] [--reverse] [CATEGORY] CODE
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gw_cli.h"
#include "gw_products.h"
#include "ijw_buf.h"
#include "ijw_value.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway map [--conf FILE] [--json] [CATEGORY] PRODUCTCODE\n"
	        "       ijw-gateway map [--conf FILE] [--json] --reverse COMBINATION\n\n"
	        "Tells which support profile x intensity combination of the region a national\n"
	        "(legacy) product code maps to: its segment, regional product, unit and tariff,\n"
	        "or why it has none. A regional product code is described as its combination.\n"
	        "--reverse lists the legacy codes that map to a combination (such as 2P).\n\n"
	        "  --conf FILE   the region's product table (default: the built-in table of\n"
	        "                Amsterdam-Amstelland and Zaanstreek-Waterland, example tariffs)\n"
	        "  --json        one JSON object; an error too, {\"error\":...,\"code\":...}\n"
	        "  -h, --help    this text\n\n"
	        "CATEGORY is a product category, two digits (45); PRODUCTCODE a product code,\n"
	        "five characters (45A07).\n\n"
	        "Exit status: 0 mapped, 1 not mapped (the reason is printed), 2 usage or\n"
	        "table error.\n");
}

static void
money(struct ijw_buf *b, long cents)
{
	char v[24];

	ijw_cents_format(cents, v, sizeof v);
	ijw_buf_addstr(b, v);
}

/* The combination c, as text lines or as JSON members. */
static void
describe(const ijw_products *p, const struct ijw_combination *c, bool json, struct ijw_buf *b)
{
	const char *profile = ijw_products_profile(p, c->profile);
	const char *intensity = ijw_products_intensity(p, c->intensity);

	if (json) {
		ijw_buf_addf(b, "\"combination\":\"%s\",\"profile\":%u,\"profile_name\":", c->id,
		             c->profile);
		ijw_buf_add_json(b, profile);
		ijw_buf_addf(b, ",\"intensity\":\"%c\",\"intensity_name\":", c->intensity);
		ijw_buf_add_json(b, intensity);
		ijw_buf_addf(
		        b,
		        ",\"segment\":\"%c\",\"product\":{\"category\":\"%s\",\"code\":\"%s\"},"
		        "\"unit\":\"%s\"",
		        c->segment, c->categorie, c->code, c->unit);
		if (c->tariff >= 0)
			ijw_buf_addf(b, ",\"tariff\":%ld", c->tariff);
		if (c->nlevels) {
			ijw_buf_addstr(b, ",\"tariff_levels\":[");
			for (size_t i = 0; i < c->nlevels; i++)
				ijw_buf_addf(b, "%s%ld", i ? "," : "", c->levels[i]);
			ijw_buf_addstr(b, "]");
		}
		if (c->day_price >= 0)
			ijw_buf_addf(b, ",\"day_price\":%ld", c->day_price);
		if (c->legacy_code[0])
			ijw_buf_addf(b, ",\"national\":{\"category\":\"%s\",\"code\":\"%s\"}",
			             c->legacy_categorie, c->legacy_code);
		ijw_buf_addf(b, ",\"example_tariffs\":%s",
		             ijw_products_example(p) ? "true" : "false");
		return;
	}
	ijw_buf_addf(b,
	             "  profile      %u %s\n  intensity    %c %s\n  segment      %c\n"
	             "  product      %s %s\n  unit         %s\n",
	             c->profile, profile, c->intensity, intensity, c->segment, c->categorie,
	             c->code, c->unit);
	if (c->tariff >= 0) {
		ijw_buf_addstr(b, "  tariff       EUR ");
		money(b, c->tariff);
		ijw_buf_addf(b, " per unit %s%s\n", c->unit,
		             ijw_products_example(p) ? " (an example, not a contract)" : "");
	}
	if (c->nlevels) {
		ijw_buf_addstr(b, "  levels      ");
		for (size_t i = 0; i < c->nlevels; i++) {
			ijw_buf_addstr(b, " EUR ");
			money(b, c->levels[i]);
		}
		ijw_buf_addstr(b, "\n");
	}
	if (c->day_price >= 0) {
		ijw_buf_addstr(b, "  day price    EUR ");
		money(b, c->day_price);
		ijw_buf_addf(b, " per care day%s\n",
		             ijw_products_example(p) ? " (an example, not a contract)" : "");
	}
	if (c->segment == 'C' && c->tariff < 0 && c->day_price < 0)
		ijw_buf_addstr(b, "  tariff       agreed per provider (segment C)\n");
	if (c->legacy_code[0])
		ijw_buf_addf(b, "  national     %s %s (for parties that read national codes)\n",
		             c->legacy_categorie, c->legacy_code);
}

/*
 * Why (categorie, code) is not in the table: an unknown code, one of another
 * category, or one of several categories when none is given. Into why.
 */
static void
why_unlisted(const ijw_products *p, const char *categorie, const char *code, char *why, size_t size)
{
	struct ijw_buf cats;
	size_t n = 0;

	ijw_buf_init(&cats, 256);
	for (size_t i = 0; i < ijw_products_nlegacy(p); i++) {
		const struct ijw_legacy *l = ijw_products_legacy_at(p, i);

		if (strcasecmp(l->code, code) == 0 && n++ < 8)
			ijw_buf_addf(&cats, "%s%s", n > 1 ? ", " : "", l->categorie);
	}
	if (n == 0)
		snprintf(why, size, "unknown product code: the table of %s does not list %s",
		         ijw_products_region(p), code);
	else if (categorie)
		snprintf(why, size, "the table lists %s in category %s, not in %s", code,
		         ijw_buf_str(&cats), categorie);
	else
		snprintf(why, size, "%s is in categories %s: give the category too (map %.2s %s)",
		         code, ijw_buf_str(&cats), ijw_buf_str(&cats), code);
	ijw_buf_free(&cats);
}

static int
map_code(const ijw_products *p, const char *categorie, const char *code, bool json,
         struct ijw_buf *b)
{
	char why[512];
	const struct ijw_combination *c = ijw_products_regional(p, categorie, code);
	const struct ijw_legacy *l = NULL;
	char cat[3] = "";

	if (!c) {
		l = ijw_products_legacy(p, categorie, code);
		if (l)
			memcpy(cat, l->categorie, sizeof cat);
	}
	if (json) {
		ijw_buf_addstr(b, "{\"code\":");
		ijw_buf_add_json(b, code);
		ijw_buf_addstr(b, ",\"category\":");
		ijw_buf_add_json(b, c ? c->categorie : l ? cat : categorie ? categorie : "");
		ijw_buf_addstr(b, ",\"region\":");
		ijw_buf_add_json(b, ijw_products_region(p));
	}
	if (c || (l && l->to)) {
		const struct ijw_combination *to = c ? c : l->to;

		if (json) {
			ijw_buf_addf(b, ",\"mapped\":true,\"regional\":%s,", c ? "true" : "false");
			describe(p, to, true, b);
			ijw_buf_addstr(b, "}\n");
		} else {
			ijw_buf_addf(b, "%s %s: %s%s\n", c ? c->categorie : cat, code, to->id,
			             c ? " (the region's own product)" : "");
			describe(p, to, false, b);
		}
		return GW_EXIT_OK;
	}
	if (!l)
		why_unlisted(p, categorie, code, why, sizeof why);
	if (json) {
		ijw_buf_addstr(b, ",\"mapped\":false,\"reason\":");
		ijw_buf_add_json(b, l ? l->reason : why);
		ijw_buf_addstr(b, "}\n");
	} else if (l) {
		ijw_buf_addf(b, "%s %s: not mapped: %s\n", cat, code, l->reason);
	} else {
		ijw_buf_addf(b, "%s%s%s: not mapped: %s\n", categorie ? categorie : "",
		             categorie ? " " : "", code, why);
	}
	return GW_EXIT_REJECTED;
}

static int
map_reverse(const ijw_products *p, const char *id, bool json, struct ijw_buf *b)
{
	const struct ijw_combination *c = ijw_products_combination(p, id);
	size_t n = 0;

	if (!c)
		return gw_cli_fail(json, "unknown_combination",
		                   "map: the table has no combination %s (such as 2P: profile 2, "
		                   "intensity P)",
		                   id);
	if (json) {
		ijw_buf_addstr(b, "{");
		describe(p, c, true, b);
		ijw_buf_addstr(b, ",\"legacy\":[");
	} else {
		ijw_buf_addf(b, "%s:\n", c->id);
		describe(p, c, false, b);
		ijw_buf_addstr(b, "  legacy codes");
	}
	for (size_t i = 0; i < ijw_products_nlegacy(p); i++) {
		const struct ijw_legacy *l = ijw_products_legacy_at(p, i);

		if (l->to != c)
			continue;
		if (json)
			ijw_buf_addf(b, "%s{\"category\":\"%s\",\"code\":\"%s\"}", n ? "," : "",
			             l->categorie, l->code);
		else
			ijw_buf_addf(b, "%s %s %s",
			             n % 6 ? ","
			             : n   ? "\n              "
			                   : "",
			             l->categorie, l->code);
		n++;
	}
	ijw_buf_addstr(b, json ? "]}\n" : n ? "\n" : " none\n");
	return n ? GW_EXIT_OK : GW_EXIT_REJECTED;
}

int
gw_cmd_map(int argc, char **argv)
{
	static const struct option opts[] = {{"conf", required_argument, NULL, 'c'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"reverse", no_argument, NULL, 'r'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *conf = NULL, *categorie = NULL, *code;
	bool json = gw_cli_wants_json(argc, argv), reverse = false;
	ijw_products *p;
	struct ijw_buf b;
	char err[1024];
	int c, status;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'r':
			reverse = true;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return gw_cli_fail(json, "usage",
			                   "map: %s: an unknown option, or one without "
			                   "its value",
			                   argv[optind - 1]);
		}
	}
	if (argc - optind == 2 && !reverse) {
		categorie = argv[optind];
		code = argv[optind + 1];
	} else if (argc - optind == 1) {
		code = argv[optind];
	} else {
		usage(stderr);
		return gw_cli_fail(json, "usage",
		                   reverse ? "map: --reverse wants one COMBINATION (such as 2P)"
		                           : "map: the arguments are [CATEGORY] PRODUCTCODE "
		                             "(45 45A07, or 45A07)");
	}
	if (categorie && (strlen(categorie) != 2 || strspn(categorie, "0123456789") != 2)) {
		usage(stderr);
		return gw_cli_fail(json, "usage",
		                   "map: the arguments are [CATEGORY] PRODUCTCODE, and CATEGORY is "
		                   "two digits (45 45A07), not '%s'",
		                   categorie);
	}
	if (!(p = gw_products_load(conf, err, sizeof err)))
		return gw_cli_fail(json, "products", "map: %s", err);
	ijw_buf_init(&b, 1u << 20);
	status = reverse ? map_reverse(p, code, json, &b) : map_code(p, categorie, code, json, &b);
	fputs(ijw_buf_str(&b), stdout);
	ijw_buf_free(&b);
	ijw_products_free(p);
	return status;
}
