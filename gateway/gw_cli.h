/*
 * gw_cli.h: the subcommands of ijw-gateway.
 *
 * Each takes the arguments after its name (argv[0] is the subcommand's name)
 * and returns the process exit status. They print to standard output and
 * report errors on standard error, prefixed with "ijw-gateway: ".
 */
#ifndef GW_CLI_H
#define GW_CLI_H

#include <stdbool.h>

#include "gw_config.h"
#include "gw_keyring.h"
#include "gw_store.h"

/* Exit statuses shared by the subcommands. */
enum {
	GW_EXIT_OK = 0,
	GW_EXIT_REJECTED = 1, /* a message was rejected, a code not mapped, ... */
	GW_EXIT_USAGE = 2,    /* bad arguments, unreadable input, system failure */
};

int gw_cmd_ack(int argc, char **argv);
int gw_cmd_audit(int argc, char **argv);
int gw_cmd_validate(int argc, char **argv);
int gw_cmd_conform(int argc, char **argv);
int gw_cmd_fetch(int argc, char **argv);
int gw_cmd_generate(int argc, char **argv);
int gw_cmd_inbox(int argc, char **argv);
int gw_cmd_ledger(int argc, char **argv);
int gw_cmd_map(int argc, char **argv);
int gw_cmd_pki(int argc, char **argv);
int gw_cmd_replay(int argc, char **argv);
int gw_cmd_report(int argc, char **argv);
int gw_cmd_retour(int argc, char **argv);
int gw_cmd_rules(int argc, char **argv);
int gw_cmd_send(int argc, char **argv);
int gw_cmd_serve(int argc, char **argv);
int gw_cmd_status(int argc, char **argv);
int gw_cmd_store(int argc, char **argv);
int gw_cmd_watch(int argc, char **argv);

/* A command's gateway: its configuration, and its store with the keys of store_key. */
struct gw_cli_gateway {
	struct gw_config *cfg;
	gw_keyring *keys;
	gw_store *store;
};

/*
 * Reads the configuration file (NULL: $IJW_CONFIG, else gateway.ini in the
 * current folder) into g and opens its store with its store_key. GW_EXIT_OK,
 * or GW_EXIT_USAGE with the reason printed after "what: "; g is then empty.
 */
int gw_cli_open(const char *what, const char *file, struct gw_cli_gateway *g);
/* Closes what gw_cli_open() opened. */
void gw_cli_close(struct gw_cli_gateway *g);

/* Whether the arguments of a command (before "--") ask for --json. */
bool gw_cli_wants_json(int argc, char **argv);

/*
 * A command's error that ends it: "ijw-gateway: " and the message on standard
 * error and, when json, {"error":MESSAGE,"code":CODE} as a line on standard
 * output. Returns GW_EXIT_USAGE. The codes: "usage" (the arguments),
 * "products" (the product table), "schemas", "history", "memory", or what the
 * command names.
 */
int gw_cli_fail(bool json, const char *code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * The whole number s, the value of option opt of command cmd, into *out when
 * it lies in [min, max]; else false after gw_cli_fail() said "CMD: OPT wants
 * a whole number from MIN to MAX, not 'S'".
 */
bool gw_cli_number(const char *cmd, bool json, const char *opt, const char *s, long min, long max,
                   long *out);

/* Prints "ijw-gateway: " and the formatted message to standard error. */
void gw_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
