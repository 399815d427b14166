/*
 * main.c: ijw-gateway's command dispatcher.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "gw_cli.h"
#include "ijw_registry.h"

static const struct command {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
        {"validate", gw_cmd_validate, "judge iJw 3.2 messages against the schemas"},
        {"retour", gw_cmd_retour, "write the retour message that answers a heen message"},
        {"generate", gw_cmd_generate, "write a valid synthetic message of a given type"},
        {"rules", gw_cmd_rules, "list the in-message rules of the standard"},
        {"ledger", gw_cmd_ledger, "the ledger of earlier messages: import, show, verify, rebuild"},
        {"report", gw_cmd_report, "the region's monitoring report from the ledger"},
        {"map", gw_cmd_map, "map a national product code to the region's combination"},
        {"serve", gw_cmd_serve, "run the gateway: HTTPS with client certificates"},
        {"store", gw_cmd_store,
         "the store: rekey its bodies; copy, back up, restore or compact it"},
        {"audit", gw_cmd_audit, "the audit log: verify its hash chain"},
        {"pki", gw_cmd_pki, "make a development PKI and a configuration to serve with"},
        {"replay", gw_cmd_replay, "send sample messages to a gateway and check the answers"},
        {"conform", gw_cmd_conform, "play one side of conformance scenarios against a system"},
        {"send", gw_cmd_send, "as a party: send messages to a gateway"},
        {"inbox", gw_cmd_inbox, "as a party: list the messages waiting for it"},
        {"fetch", gw_cmd_fetch, "as a party: fetch a message byte for byte"},
        {"ack", gw_cmd_ack, "as a party: acknowledge messages it has handled"},
        {"status", gw_cmd_status, "as a party: what became of a message"},
        {"watch", gw_cmd_watch, "as a party: hand each new message over, then acknowledge it"},
};

void
gw_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("ijw-gateway: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway COMMAND [ARGS...]\n\n"
	        "Exchange iJw 3.2 (Jeugdwet) messages between municipalities and providers.\n\n"
	        "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'ijw-gateway COMMAND --help' describes a command; "
	             "'ijw-gateway --version' (-V) the version.\n");
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return GW_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ijw-gateway %s (iJw %s)\n", GW_VERSION, IJW_RELEASE);
		return GW_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			xmlInitParser();
			rc = commands[i].run(argc - 1, argv + 1);
			xmlCleanupParser();
			return rc;
		}
	}
	gw_warnx("unknown command '%s'", argv[1]);
	usage(stderr);
	return GW_EXIT_USAGE;
}
