/*
 * cmd_rules.c: ijw-gateway rules [--json] [JW3xx]
 */
#include <getopt.h>
#include <stdio.h>

#include "gw_cli.h"
#include "ijw_buf.h"
#include "ijw_rules.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: ijw-gateway rules [--json] [JW3xx]\n\n"
	             "Lists the rules that 'validate' judges: code, retour code, the messages it\n"
	             "applies to, the elements it checks and what it requires. The rules marked\n"
	             "(cross-message) are judged against the ledger of earlier messages: by the\n"
	             "gateway, and by 'validate --history'; STAPELING, PLAFOND and TERMIJN are\n"
	             "the region's policy, judged with a product table. With a message type, only\n"
	             "the rules for that type.\n\n"
	             "  --json       one JSON object per rule per line\n"
	             "  -h, --help   this text\n");
}

/* The names of the messages a rule applies to, space-separated. */
static void
types_of(const struct ijw_rule *r, struct ijw_buf *b)
{
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++)
		if (ijw_rule_applies(r, t))
			ijw_buf_addf(b, "%s%s", b->len ? " " : "", ijw_msgdef(t)->name);
}

static void
print_json(const struct ijw_rule *r, const char *types)
{
	struct ijw_buf b;

	ijw_buf_init(&b, 1 << 16);
	ijw_buf_addstr(&b, "{\"code\":");
	ijw_buf_add_json(&b, r->code);
	ijw_buf_addstr(&b, ",\"retourcode\":");
	ijw_buf_add_json(&b, r->retourcode);
	ijw_buf_addstr(&b, ",\"messages\":");
	ijw_buf_add_json(&b, types);
	ijw_buf_addstr(&b, ",\"elements\":");
	ijw_buf_add_json(&b, r->where);
	ijw_buf_addstr(&b, ",\"summary\":");
	ijw_buf_add_json(&b, r->summary);
	ijw_buf_addf(&b, ",\"cross\":%s}\n", r->cross ? "true" : "false");
	fputs(ijw_buf_str(&b), stdout);
	ijw_buf_free(&b);
}

int
gw_cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const struct ijw_msgdef *only = NULL;
	bool json = gw_cli_wants_json(argc, argv);
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return gw_cli_fail(json, "usage",
			                   "rules: %s: an unknown option, or one without its value",
			                   argv[optind - 1]);
		}
	}
	if (optind < argc - 1) {
		usage(stderr);
		return gw_cli_fail(json, "usage", "rules: one message type at most, not %d",
		                   argc - optind);
	}
	if (optind == argc - 1 && !(only = ijw_msgdef_by_name(argv[optind])))
		return gw_cli_fail(json, "usage",
		                   "rules: '%s' is not an iJw 3.2 message type (JW301 ... JW325)",
		                   argv[optind]);
	for (size_t i = 0; i < ijw_rules_count(); i++) {
		const struct ijw_rule *r = ijw_rule_at(i);
		struct ijw_buf types;

		if (only && !ijw_rule_applies(r, only->type))
			continue;
		ijw_buf_init(&types, 256);
		types_of(r, &types);
		if (json)
			print_json(r, ijw_buf_str(&types));
		else
			printf("%-6s %s  %s%s\n       %s: %s\n", r->code, r->retourcode,
			       ijw_buf_str(&types), r->cross ? "  (cross-message)" : "", r->where,
			       r->summary);
		ijw_buf_free(&types);
	}
	return GW_EXIT_OK;
}
