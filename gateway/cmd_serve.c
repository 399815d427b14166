/*
 * cmd_serve.c: ijw-gateway serve -c FILE [-n] [--settings]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "gw_cli.h"
#include "gw_config.h"
#include "gw_log.h"
#include "gw_server.h"
#include "gw_store.h"
#include "gw_tls.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway serve -c FILE [-n]\n"
	        "       ijw-gateway serve --settings\n\n"
	        "Runs the gateway with the configuration in FILE, in the foreground, logging\n"
	        "one event per line to standard error. SIGTERM or SIGINT stop it after the\n"
	        "requests in flight; SIGHUP reloads the parties, certificates and CRLs\n"
	        "(client_crl, which is read again at its nextUpdate too).\n\n"
	        "  -c, --config FILE  the configuration (see 'ijw-gateway pki init' for one)\n"
	        "  -n, --check        check the configuration, its certificates, its CRLs and a\n"
	        "                     write to its store, report FILE:LINE: what is wrong, and "
	        "exit\n"
	        "  --settings         list every setting with its default and meaning\n"
	        "  -h, --help         this text\n");
}

/*
 * Reports the CRLs of client_crl, their issuers and nextUpdate; false when
 * one is past it, so that every certificate of its CA would be refused.
 */
static bool
report_crls(const char *file, const struct gw_config *c, SSL_CTX *ssl)
{
	size_t n = gw_tls_crls(ssl, NULL, 0);
	struct gw_tls_crl *crls = calloc(n ? n : 1, sizeof *crls);
	time_t now = time(NULL);
	bool good = true;
	char when[32];

	if (!crls) {
		gw_warnx("%s: client_crl: out of memory", file);
		return false;
	}
	gw_tls_crls(ssl, crls, n);
	printf("%s: client_crl %s: %zu CRL%s; checked for %s\n", file, c->client_crl, n,
	       n == 1 ? "" : "s",
	       gw_tls_crl_check_all(ssl) ? "every certificate of a client's chain"
	                                 : "the client's own certificate (not every CA of "
	                                   "client_ca has a CRL)");
	for (size_t i = 0; i < n; i++) {
		struct tm tm;

		if (crls[i].next_update && gmtime_r(&crls[i].next_update, &tm))
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		else
			snprintf(when, sizeof when, "none");
		printf("%s: client_crl: issuer %s, %d revoked, next update %s\n", file,
		       crls[i].issuer, crls[i].revoked, when);
		if (crls[i].next_update && crls[i].next_update < now) {
			gw_warnx("%s: client_crl %s: the CRL of %s is past its next update (%s): "
			         "every certificate of that CA is refused until a newer one is "
			         "there",
			         file, c->client_crl, crls[i].issuer, when);
			good = false;
		}
	}
	free(crls);
	return good;
}

/*
 * The store opens and takes a write that commits: GW_EXIT_OK, or the reason
 * on standard error and GW_EXIT_REJECTED (a read-only file may fail either
 * way: it opens and takes no write, or in a read-only folder it does not
 * open at all).
 */
static int
check_store(const struct gw_config *c, const char *file)
{
	char err[2048];
	gw_store *store = gw_store_open(c->store, c->base_dir, err, sizeof err);
	int status = GW_EXIT_OK;

	if (!store) {
		gw_warnx("%s: store: %s", file, err);
		return GW_EXIT_REJECTED;
	}
	if (gw_store_probe(store)) {
		gw_warnx("%s: store %s cannot be written: %s", file, gw_store_path(store),
		         gw_store_error(store));
		status = GW_EXIT_REJECTED;
	}
	gw_store_close(store);
	return status;
}

int
gw_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"check", no_argument, NULL, 'n'},
	                                     {"settings", no_argument, NULL, 's'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *file = NULL;
	bool check = false;
	struct gw_config *c;
	gw_server *srv;
	SSL_CTX *ssl;
	char err[2048];
	int ch, status;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "c:nh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 's':
			gw_config_describe(stdout);
			return GW_EXIT_OK;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (!file || optind != argc) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (!gw_config_load(file, &c, err, sizeof err)) {
		gw_warnx("%s", err);
		return GW_EXIT_USAGE;
	}
	/* The keys first, before anything else is read. */
	if (!(ssl = gw_tls_server_ctx(c, err, sizeof err))) {
		gw_warnx("%s: %s", file, err);
		gw_config_free(c);
		return GW_EXIT_USAGE;
	}
	if (check) {
		bool good = !c->client_crl[0] || report_crls(file, c, ssl);
		gw_keyring *keys = gw_keyring_new();
		bool keyed = keys && !gw_keyring_load(keys, c->store_key, err, sizeof err);

		if (!keys)
			snprintf(err, sizeof err, "out of memory");
		gw_keyring_free(keys);
		if (!keyed)
			gw_warnx("%s: %s", file, err);
		status = keyed ? check_store(c, file) : GW_EXIT_USAGE;
		SSL_CTX_free(ssl);
		if (status == GW_EXIT_OK && !c->store_key[0])
			printf("%s: warning: no store_key: message bodies are stored in plain "
			       "text\n",
			       file);
		gw_config_free(c);
		if (status == GW_EXIT_OK && !good)
			status = GW_EXIT_USAGE;
		if (status == GW_EXIT_OK)
			printf("%s: the configuration is good\n", file);
		return status;
	}
	gw_log_init((enum gw_log_level)c->log_level);
	gw_log_set_format((enum gw_log_format)c->log_format);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!(srv = gw_server_new(c, ssl, err, sizeof err))) {
		gw_warnx("%s", err);
		status = GW_EXIT_USAGE;
	} else {
		status = gw_server_run(srv);
		gw_server_free(srv);
	}
	curl_global_cleanup();
	return status;
}
