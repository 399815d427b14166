/*
 * gw_cli.c: what the subcommands share: a gateway's store, errors in JSON.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gw_cli.h"

bool
gw_cli_wants_json(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			return true;
	return false;
}

int
gw_cli_fail(bool json, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	json_t *o;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	gw_warnx("%s", msg);
	if (json && (o = json_pack("{s:s, s:s}", "error", msg, "code", code))) {
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		fflush(stdout);
		json_decref(o);
	}
	return GW_EXIT_USAGE;
}

bool
gw_cli_number(const char *cmd, bool json, const char *opt, const char *s, long min, long max,
              long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max || (min >= 0 && *s == '-')) {
		gw_cli_fail(json, "usage", "%s: %s wants a whole number from %ld to %ld, not '%s'",
		            cmd, opt, min, max, s);
		return false;
	}
	*out = v;
	return true;
}

int
gw_cli_open(const char *what, const char *file, struct gw_cli_gateway *g)
{
	char err[1024];

	memset(g, 0, sizeof *g);
	if (!file && !(file = getenv("IJW_CONFIG")))
		file = "gateway.ini";
	if (!gw_config_load(file, &g->cfg, err, sizeof err)) {
		gw_warnx("%s: %s", what, err);
		return GW_EXIT_USAGE;
	}
	if (!(g->keys = gw_keyring_new())) {
		snprintf(err, sizeof err, "out of memory");
	} else if (!gw_keyring_load(g->keys, g->cfg->store_key, err, sizeof err) &&
	           (g->store = gw_store_open(g->cfg->store, g->cfg->base_dir, err, sizeof err))) {
		gw_store_set_keyring(g->store, g->keys);
		return GW_EXIT_OK;
	}
	gw_warnx("%s: %s", what, err);
	gw_cli_close(g);
	return GW_EXIT_USAGE;
}

void
gw_cli_close(struct gw_cli_gateway *g)
{
	gw_store_close(g->store);
	gw_keyring_free(g->keys);
	gw_config_free(g->cfg);
	memset(g, 0, sizeof *g);
}
