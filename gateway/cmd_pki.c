/*
 * cmd_pki.c: ijw-gateway pki init DIR --party KIND:CODE [PARTY OPTIONS]... [--port N] [--force]
 *            ijw-gateway pki add-party DIR --party KIND:CODE [PARTY OPTIONS]...
 *            ijw-gateway pki revoke DIR [CODE...] [--next-update SECONDS]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"
#include "gw_pki.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway pki init DIR --party KIND:CODE [PARTY OPTIONS]...\n"
	        "                            [--port N] [--force]\n"
	        "       ijw-gateway pki add-party DIR --party KIND:CODE [PARTY OPTIONS]...\n"
	        "       ijw-gateway pki revoke DIR [CODE...] [--next-update SECONDS]\n\n"
	        "Makes a development PKI and a gateway configuration on loopback in DIR\n"
	        "(created when absent): a CA (ca.pem, ca.key), the gateway's server\n"
	        "certificate for localhost (server.pem, server.key), its client certificate\n"
	        "for pushing to parties (gateway-client.pem, gateway-client.key), a client\n"
	        "certificate per party named by its code (0384.pem, 0384.key), a client\n"
	        "file per party (client-0384.ini), for a party with push delivery the\n"
	        "server certificate of its push endpoint (0384-push.pem, 0384-push.key) and\n"
	        "gateway.ini, which 'ijw-gateway serve -c DIR/gateway.ini' runs as it is.\n"
	        "Private keys are not encrypted: this PKI is for development and tests.\n\n"
	        "  -p, --party KIND:CODE  a party: gemeente:CODE with a 4-digit gemeentecode\n"
	        "                         or aanbieder:CODE with an 8-digit AGB code;\n"
	        "                         at least one, each code once\n"
	        "  --port N               the port the gateway listens on (default %u); the\n"
	        "                         admin listener takes the next one (0: free ones)\n"
	        "  -f, --force            overwrite files that exist; without it nothing is\n"
	        "                         written when any of the files exists\n"
	        "\n"
	        "PARTY OPTIONS apply to the --party before them:\n"
	        "  --retour auto|relay    who answers messages to the party (default relay\n"
	        "                         for a gemeente, auto for an aanbieder)\n"
	        "  --delivery inbox|push  how the party gets its messages (default inbox)\n"
	        "  --push-url URL         with --delivery push: https://HOST[:PORT][/PATH],\n"
	        "                         the party's endpoint; its certificate is made for\n"
	        "                         HOST\n"
	        "\n"
	        "add-party adds parties to the DIR of 'pki init': their files, issued by\n"
	        "DIR/ca.pem and ca.key (left as they are), and their sections at the end of\n"
	        "DIR/gateway.ini. It refuses a party that gateway.ini has or whose files\n"
	        "exist. A running gateway takes the new parties at SIGHUP.\n"
	        "\n"
	        "revoke writes DIR/crl.pem, the CA's CRL: what it listed before and the\n"
	        "certificates DIR/CODE.pem given, revoked now (without a CODE the same list\n"
	        "with new dates). 'client_crl = crl.pem' in gateway.ini has the gateway\n"
	        "check it; SIGHUP makes it read the new one.\n\n"
	        "  --next-update SECONDS  the CRL's nextUpdate, from now (default %ld, 30 days)\n"
	        "  -h, --help             this text\n",
	        GW_PKI_DEFAULT_PORT, GW_PKI_CRL_SECONDS);
}

static bool
parse_port(const char *s, unsigned *port)
{
	unsigned long n;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n > 65535)
		return false;
	*port = (unsigned)n;
	return true;
}

static bool
parse_seconds(const char *s, long *seconds)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	*seconds = strtol(s, &end, 10);
	return errno == 0 && *end == '\0' && *seconds >= 1;
}

static void
wrote(const char *path, void *arg)
{
	(void)arg;
	printf("wrote %s\n", path);
}

/*
 * Sets the party option c (r: --retour, d: --delivery, U: --push-url) of the
 * party before it on the command line; false with the reason printed.
 */
static bool
party_option(struct gw_pki_party *parties, size_t n, int c, const char *value)
{
	const char *option = c == 'r' ? "--retour" : c == 'd' ? "--delivery" : "--push-url";
	const char **field;

	if (n == 0) {
		gw_warnx("pki: %s applies to the --party before it, and there is none yet "
		         "(--party aanbieder:42420001 %s %s)",
		         option, option, value);
		return false;
	}
	field = c == 'r'   ? &parties[n - 1].retour
	        : c == 'd' ? &parties[n - 1].delivery
	                   : &parties[n - 1].push_url;
	if (*field) {
		gw_warnx("pki: %s is given twice for --party %s", option, parties[n - 1].spec);
		return false;
	}
	*field = value;
	return true;
}

int
gw_cmd_pki(int argc, char **argv)
{
	static const struct option opts[] = {{"party", required_argument, NULL, 'p'},
	                                     {"retour", required_argument, NULL, 'r'},
	                                     {"delivery", required_argument, NULL, 'd'},
	                                     {"push-url", required_argument, NULL, 'U'},
	                                     {"port", required_argument, NULL, 'P'},
	                                     {"force", no_argument, NULL, 'f'},
	                                     {"next-update", required_argument, NULL, 'u'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct gw_pki_opts o = {.port = GW_PKI_DEFAULT_PORT, .wrote = wrote};
	struct gw_pki_revoke_opts r = {.seconds = GW_PKI_CRL_SECONDS, .wrote = wrote};
	char err[GW_PKI_ERRSIZE];
	struct gw_pki_party *parties;
	const char *sub;
	bool port_given = false;
	gw_pki_rc rc;
	int c, status = GW_EXIT_USAGE;

	/* Never more parties than arguments. */
	if (!(parties = calloc((size_t)argc, sizeof *parties))) {
		gw_warnx("pki: out of memory");
		return GW_EXIT_USAGE;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, "p:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			parties[o.nparties++].spec = optarg;
			break;
		case 'r':
		case 'd':
		case 'U':
			if (!party_option(parties, o.nparties, c, optarg))
				goto out;
			break;
		case 'P':
			port_given = true;
			if (!parse_port(optarg, &o.port)) {
				gw_warnx("pki: --port wants a number from 0 to 65535 (0: any free "
				         "port), not '%s'",
				         optarg);
				goto out;
			}
			break;
		case 'f':
			o.force = true;
			break;
		case 'u':
			if (!parse_seconds(optarg, &r.seconds)) {
				gw_warnx("pki: --next-update wants a number of seconds, 1 or more, "
				         "not '%s'",
				         optarg);
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			status = GW_EXIT_OK;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		goto out;
	}
	if (strcmp(argv[optind], "revoke") == 0 && optind + 2 <= argc) {
		r.dir = argv[optind + 1];
		r.codes = (const char *const *)argv + optind + 2;
		r.ncodes = (size_t)(argc - optind - 2);
		if ((rc = gw_pki_revoke(&r, err, sizeof err)))
			gw_warnx("pki revoke: %s", err);
		else
			status = GW_EXIT_OK;
		goto out;
	}
	sub = argv[optind];
	if (strcmp(sub, "init") != 0 && strcmp(sub, "add-party") != 0) {
		if (strcmp(sub, "revoke") == 0)
			usage(stderr);
		else
			gw_warnx("pki: unknown subcommand '%s' (there are 'pki init', 'pki "
			         "add-party' and 'pki revoke')",
			         sub);
		goto out;
	}
	if (optind + 2 != argc) {
		usage(stderr);
		goto out;
	}
	if (o.nparties == 0) {
		gw_warnx("pki %s: at least one --party is needed (--party %s)", sub,
		         strcmp(sub, "init") == 0 ? "gemeente:0384" : "aanbieder:42420002");
		goto out;
	}
	o.dir = argv[optind + 1];
	o.parties = parties;
	if (strcmp(sub, "add-party") == 0) {
		if (port_given || o.force) {
			gw_warnx("pki add-party: %s is for pki init: the port is the one of "
			         "%s/gateway.ini, and no file is overwritten",
			         port_given ? "--port" : "--force", o.dir);
			goto out;
		}
		if ((rc = gw_pki_add(&o, err, sizeof err))) {
			gw_warnx("pki add-party: %s", err);
			goto out;
		}
		printf("a running gateway (serve -c %s/gateway.ini) takes the new %s at SIGHUP\n",
		       o.dir, o.nparties == 1 ? "party" : "parties");
	} else if ((rc = gw_pki_init(&o, err, sizeof err))) {
		gw_warnx("pki init: %s%s", err, rc == GW_PKI_EEXIST ? " (--force overwrites)" : "");
		goto out;
	}
	status = GW_EXIT_OK;
out:
	free(parties);
	return status;
}
