/*
 * gw_config.c: the settings table, and reading a file with inih.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ini.h>

#include "gw_config.h"
#include "gw_log.h"
#include "gw_products.h"

enum kind {
	K_STRING, /* text, up to the field's size */
	K_NAME,   /* letters, digits, '.', '_', ':' and '-', up to the field's size */
	K_PATH,   /* a file, relative to the configuration's folder */
	K_NUMBER, /* a whole number within min..max */
	K_CHOICE, /* one of choices, stored as its index in an int */
	K_MATCH,  /* a party's certificates: sets match to min and adds to cert_ids; may repeat */
};

static const char *const delivery_names[] = {"inbox", "push", NULL};
static const char *const retour_names[] = {"relay", "auto", NULL};
static const char *const codes_names[] = {"both", "legacy", "profile", NULL};
static const char *const cross_names[] = {"default", "off", "advise", "enforce", NULL};
static const char *const kind_names[] = {"gemeente", "aanbieder", NULL};
static const char *const yes_no_names[] = {"no", "yes", NULL};

#define GW(field) offsetof(struct gw_config, field), sizeof(((struct gw_config *)0)->field)
#define PT(field) offsetof(struct gw_party, field), sizeof(((struct gw_party *)0)->field)

static const struct setting {
	const char *section; /* "gateway" or "party" */
	const char *name;
	enum kind kind;
	size_t offset, size;
	const char *dflt; /* NULL: required */
	unsigned long min, max;
	const char *const *choices;
	const char *doc;
} settings[] = {
        {"gateway", "listen", K_STRING, GW(listen), "127.0.0.1", 0, 0, NULL,
         "the address to listen on (an IPv4 or IPv6 address)"},
        {"gateway", "port", K_NUMBER, GW(port), "8443", 0, 65535, NULL,
         "the TCP port; 0 takes a free one, which the 'listening' log line names"},
        {"gateway", "admin_listen", K_STRING, GW(admin_listen), "127.0.0.1", 0, 0, NULL,
         "the address of the admin listener (/healthz, /readyz, /metrics, /admin/v1/ and "
         "the console), or off for none; an address other than loopback needs admin_tls"},
        {"gateway", "admin_port", K_NUMBER, GW(admin_port), "8444", 0, 65535, NULL,
         "the admin listener's TCP port; 0 takes a free one, which the 'admin_listening' "
         "log line names"},
        {"gateway", "admin_token_file", K_PATH, GW(admin_token_file), "", 0, 0, NULL,
         "a file holding the operators' secret token (pki init writes admin.token), sent as "
         "Authorization: Bearer TOKEN or typed into the console's login page (no token "
         "login when empty)"},
        {"gateway", "admin_tls", K_CHOICE, GW(admin_tls), "no", 0, 0, yes_no_names,
         "yes: the admin listener speaks TLS with the gateway's certificate and takes the "
         "client certificates of admin_certificates, verified against client_ca"},
        {"gateway", "admin_certificates", K_STRING, GW(admin_certificates), "", 0, 0, NULL,
         "with admin_tls: the SHA-256 fingerprints (hex, colons allowed) of the operators' "
         "client certificates, comma-separated"},
        {"gateway", "certificate", K_PATH, GW(certificate), NULL, 0, 0, NULL,
         "the gateway's server certificate (PEM, with its chain)"},
        {"gateway", "private_key", K_PATH, GW(private_key), NULL, 0, 0, NULL,
         "the key of the server certificate (PEM)"},
        {"gateway", "client_ca", K_PATH, GW(client_ca), NULL, 0, 0, NULL,
         "the CA certificates that parties' client certificates must chain to"},
        {"gateway", "client_crl", K_PATH, GW(client_crl), "", 0, 0, NULL,
         "a PEM file of CRLs, one for every CA that issues party certificates: a revoked "
         "certificate fails the handshake, and so does every certificate of a CA whose CRL "
         "is past its nextUpdate; read again at SIGHUP and at the earliest nextUpdate "
         "(none when empty)"},
        {"gateway", "store", K_STRING, GW(store), "gateway.db", 0, 0, NULL,
         "the store: an SQLite database file, or a PostgreSQL database that several "
         "gateways may share: postgresql://USER:PASSWORD@HOST:PORT/DATABASE"},
        {"gateway", "instance", K_NAME, GW(instance), "", 0, 0, NULL,
         "this gateway's name among those sharing a store, in the log and /metrics: the "
         "holder of the push deliveries it attempts (default: the host's name and the port, "
         "host:port)"},
        {"gateway", "ledger_key", K_PATH, GW(ledger_key), "", 0, 0, NULL,
         "the ledger's secret (64 hex digits, pki init writes one): clients are keyed by "
         "an HMAC-SHA256 of their BSN under it; without it the gateway keeps no ledger and "
         "judges no cross-message rule"},
        {"gateway", "store_key", K_PATH, GW(store_key), "", 0, 0, NULL,
         "the keys message bodies are encrypted with in the store (AES-256-GCM; pki init "
         "writes one): lines of 64 hex digits, the first encrypts, all decrypt; without it "
         "bodies are stored in plain text"},
        {"gateway", "max_message_bytes", K_NUMBER, GW(max_message_bytes), "33554432", 1024,
         1073741824, NULL, "the largest message accepted, in bytes"},
        {"gateway", "max_connections", K_NUMBER, GW(max_connections), "1024", 1, 1000000, NULL,
         "connections open at once at the most (and fewer when the descriptors allow "
         "fewer); at the cap the oldest connection still waiting for its first request "
         "makes room, else the oldest waiting for its next"},
        {"gateway", "max_connections_per_address", K_NUMBER, GW(max_connections_per_address), "128",
         1, 1000000, NULL, "connections open at once from one IP address"},
        {"gateway", "header_timeout", K_NUMBER, GW(header_timeout), "10", 1, 3600, NULL,
         "seconds a connection has for its TLS handshake and request head, and between two "
         "requests"},
        {"gateway", "min_body_rate", K_NUMBER, GW(min_body_rate), "16384", 1, 1073741824, NULL,
         "bytes a second a request body must arrive at: the body has header_timeout seconds "
         "plus its length at this rate"},
        {"gateway", "max_requests_in_flight", K_NUMBER, GW(max_requests_in_flight), "256", 1,
         1000000, NULL,
         "requests being read, judged, stored or answered at once; over it a 503 with "
         "Retry-After"},
        {"gateway", "max_bytes_in_flight", K_NUMBER, GW(max_bytes_in_flight), "67108864", 1024,
         17179869184, NULL,
         "the request bodies in flight at once, in bytes, at least max_message_bytes; over "
         "it a 503 with Retry-After"},
        {"gateway", "rate_limit", K_NUMBER, GW(rate_limit), "0", 0, 1000000, NULL,
         "requests a second per party (a token bucket; 0 for no limit); over it a 429 with "
         "Retry-After"},
        {"gateway", "rate_burst", K_NUMBER, GW(rate_burst), "0", 0, 1000000, NULL,
         "requests a party may make at once above rate_limit (0: twice rate_limit)"},
        {"gateway", "log_level", K_CHOICE, GW(log_level), "info", 0, 0, gw_log_level_names,
         "what the log shows: debug, info, warn or error"},
        {"gateway", "log_format", K_CHOICE, GW(log_format), "logfmt", 0, 0, gw_log_format_names,
         "the log's lines: logfmt (time level event key=value ...) or json (one object a "
         "line); takes effect at a start"},
        {"gateway", "push_certificate", K_PATH, GW(push_certificate), "", 0, 0, NULL,
         "the client certificate the gateway presents when it pushes a message"},
        {"gateway", "push_private_key", K_PATH, GW(push_private_key), "", 0, 0, NULL,
         "the key of the push certificate"},
        {"gateway", "push_ca", K_PATH, GW(push_ca), "", 0, 0, NULL,
         "the CA certificates that verify the parties' push endpoints"},
        {"gateway", "retry_initial", K_NUMBER, GW(retry_initial), "5", 1, 86400, NULL,
         "seconds before the first retry of a failed push; doubles per attempt"},
        {"gateway", "retry_max", K_NUMBER, GW(retry_max), "600", 1, 86400, NULL,
         "the longest wait between two attempts, in seconds"},
        {"gateway", "give_up_after", K_NUMBER, GW(give_up_after), "172800", 1, 31536000, NULL,
         "seconds after the first attempt at a push after which it is given up and reported, "
         "once min_attempts were made"},
        {"gateway", "min_attempts", K_NUMBER, GW(min_attempts), "3", 1, 1000, NULL,
         "the fewest attempts at a push before it is given up"},
        {"gateway", "push_timeout", K_NUMBER, GW(push_timeout), "30", 1, 3600, NULL,
         "seconds an attempt at a push may take, from connecting to the answer"},
        {"gateway", "push_breaker_failures", K_NUMBER, GW(push_breaker_failures), "5", 1, 1000,
         NULL,
         "failed pushes in a row to one receiver after which its pushes pause "
         "(the circuit breaker opens)"},
        {"gateway", "push_breaker_seconds", K_NUMBER, GW(push_breaker_seconds), "60", 1, 86400,
         NULL,
         "how long an open breaker pauses a receiver's pushes; then one trial push "
         "closes it again or keeps it open"},
        {"gateway", "batch_max", K_NUMBER, GW(batch_max), "256", 1, 4096, NULL,
         "the most messages stored in one transaction"},
        {"gateway", "retention_days", K_NUMBER, GW(retention_days), "0", 0, 36500, NULL,
         "days after which the bytes of an acknowledged or delivered message are removed "
         "(its metadata, the audit log and the ledger stay), checked at a start, a reload "
         "and every hour; 0 keeps them forever"},
        {"gateway", "workers", K_NUMBER, GW(workers), "", 1, GW_WORKERS_MAX, NULL,
         "threads that judge posted messages; messages over 1 MiB take at most all but one "
         "of them (default: the number of online cores); takes effect at a start"},
        {"gateway", "products", K_STRING, GW(products_file), "", 0, 0, NULL,
         "the region's product table (conf/products/README.md): a file, or built-in for "
         "the example table of Amsterdam and Zaanstreek; for product_codes and the "
         "checks on declarations (none when empty)"},
        {"party", "kind", K_CHOICE, PT(kind), NULL, 0, 0, kind_names,
         "gemeente (the section names its 4-digit code) or aanbieder (8-digit AGB code)"},
        {"party", "name", K_STRING, PT(name), "", 0, 0, NULL, "a name for people"},
        {"party", "certificate_cn", K_MATCH, PT(cert_ids), "", GW_MATCH_CN, 0, NULL,
         "recognise the party's certificate by its subject CN (several: a line each, any "
         "one names the party)"},
        {"party", "certificate_serial", K_MATCH, PT(cert_ids), "", GW_MATCH_SERIAL, 0, NULL,
         "... or by its subject serialNumber (several: a line each)"},
        {"party", "certificate_sha256", K_MATCH, PT(cert_ids), "", GW_MATCH_SHA256, 0, NULL,
         "... or by the SHA-256 fingerprint of the certificate (hex, colons allowed); "
         "several for a certificate rollover, separated by commas or spaces or on lines of "
         "their own, any one names the party (up to 8)"},
        {"party", "delivery", K_CHOICE, PT(delivery), "inbox", 0, 0, delivery_names,
         "inbox (the party fetches its messages) or push (the gateway posts them)"},
        {"party", "push_url", K_STRING, PT(push_url), "", 0, 0, NULL,
         "with delivery = push: the https:// URL messages are posted to"},
        {"party", "push_ocsp", K_CHOICE, PT(push_ocsp), "no", 0, 0, yes_no_names,
         "with delivery = push: yes refuses a push_url whose server does not staple a good "
         "OCSP answer to its certificate"},
        {"party", "retour", K_CHOICE, PT(retour), "relay", 0, 0, retour_names,
         "relay (the party sends its own retour messages) or auto (the gateway answers "
         "valid messages to the party itself)"},
        {"party", "product_codes", K_CHOICE, PT(product_codes), "both", 0, 0, codes_names,
         "the product codes the party reads: both (any, as sent), legacy (national codes) "
         "or profile (the region's profile x intensity products); needs products"},
        {"party", "cross_checks", K_CHOICE, PT(cross_checks), "default", 0, 0, cross_names,
         "what a finding of the cross-message rules (and of the region's policy over "
         "time) does to a message to the party: enforce (refused), advise (accepted with "
         "the advice) or off; default is enforce with retour = auto, advise with relay"},
};

#define NSETTINGS (sizeof settings / sizeof settings[0])

struct reading {
	struct gw_config *c;
	FILE *f;
	unsigned line;
	bool in_gateway, gateway_seen;
	char section[64];       /* the section being read, "" before the first */
	unsigned section_line;  /* where the last header read is */
	unsigned begun;         /* where the header of the section being read is */
	struct gw_party *party; /* the party section being read, or NULL */
	bool given[NSETTINGS];  /* settings given in the current section */
	char *err;
	size_t errlen;
};

static int
vproblem(struct reading *r, unsigned line, const char *fmt, va_list ap)
{
	char msg[512];

	/* inih goes on after an error: the first one is the one to report. */
	if (r->err[0])
		return 0;
	vsnprintf(msg, sizeof msg, fmt, ap);
	snprintf(r->err, r->errlen, "%s:%u: %s", r->c->file, line, msg);
	return 0;
}

static int problem(struct reading *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
problem(struct reading *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(r, r->line, fmt, ap);
	va_end(ap);
	return 0;
}

/* A problem with a section's header line. */
static int section_problem(struct reading *r, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int
section_problem(struct reading *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(r, r->section_line, fmt, ap);
	va_end(ap);
	return 0;
}

static int begin_section(struct reading *r, const char *section);

/*
 * inih reads line by line through here, so that we know the line. A section
 * begins here, at its header, so that one without settings is seen too;
 * settings go to the section begun here. A line that does not fit inih's
 * buffer is a mistake: inih would take the rest of it for a line of its own.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	char *s = fgets(str, num, r->f);
	const char *name, *close;
	char section[sizeof r->section];
	size_t len;

	if (!s)
		return NULL;
	r->line++;
	len = strlen(s);
	if (len == (size_t)num - 1 && s[len - 1] != '\n' && getc(r->f) != EOF) {
		problem(r, "the line is longer than %d characters", num - 2);
		return NULL;
	}
	for (name = s; isspace((unsigned char)*name); name++)
		;
	/* inih takes an indented one for a header or for the value's next line. */
	if (*name == '[' && name != s) {
		problem(r, "a [section] header begins its line");
		return NULL;
	}
	if (*name == '[' && (close = strchr(name, ']'))) {
		r->section_line = r->line;
		snprintf(section, sizeof section, "%.*s", (int)(close - name - 1), name + 1);
		if (!begin_section(r, section))
			return NULL;
	}
	return s;
}

static bool
join_path(struct reading *r, const char *value, char *dst, size_t size)
{
	int n = value[0] == '/' || !value[0] ? snprintf(dst, size, "%s", value)
	                                     : snprintf(dst, size, "%s/%s", r->c->base_dir, value);

	return n >= 0 && (size_t)n < size;
}

/*
 * A SHA-256 fingerprint of len characters at text: 64 hex digits, colons and
 * spaces between them allowed. Into out as 64 lowercase hex digits.
 */
static bool
fingerprint(const char *text, size_t len, char out[65])
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == ':' || text[i] == ' ')
			continue;
		if (!isxdigit((unsigned char)text[i]) || n == 64)
			return false;
		out[n++] = (char)tolower((unsigned char)text[i]);
	}
	out[n] = '\0';
	return n == 64;
}

/* Adds id to the party's certificates, unless the party or another has it already. */
static int
add_cert_id(struct reading *r, const struct setting *s, struct gw_party *p, const char *id)
{
	for (size_t i = 0; i < r->c->nparties; i++) {
		const struct gw_party *o = &r->c->parties[i];

		for (size_t j = 0; o->match == p->match && j < o->ncert_ids; j++) {
			if (strcmp(o->cert_ids[j], id) != 0)
				continue;
			if (o == p)
				return problem(r, "%s %s is given twice", s->name, id);
			return problem(r,
			               "%s %s names [party %s] (line %u) already: a "
			               "certificate names one party",
			               s->name, id, o->code, o->line);
		}
	}
	if (p->ncert_ids == GW_CERT_IDS_MAX)
		return problem(r, "%s: more than %d certificates for one party", s->name,
		               GW_CERT_IDS_MAX);
	memcpy(p->cert_ids[p->ncert_ids++], id, strlen(id) + 1);
	return 1;
}

/*
 * certificate_cn, _serial: one value a line; certificate_sha256: one or
 * more, separated by commas or white space.
 */
static int
add_cert_ids(struct reading *r, const struct setting *s, struct gw_party *p, const char *value)
{
	static const char sep[] = ", \t";
	char fp[65];

	if (p->ncert_ids && p->match != (enum gw_match)s->min)
		return 1; /* two kinds: finish_section() says so */
	p->match = (enum gw_match)s->min;
	if (p->match != GW_MATCH_SHA256) {
		if (!*value || strlen(value) >= sizeof p->cert_ids[0])
			return problem(r, "%s wants a value of 1 to %zu characters", s->name,
			               sizeof p->cert_ids[0] - 1);
		return add_cert_id(r, s, p, value);
	}
	value += strspn(value, sep);
	if (!*value)
		return problem(r, "%s wants one or more SHA-256 fingerprints", s->name);
	while (*value) {
		size_t len = strcspn(value, sep);

		if (!fingerprint(value, len, fp))
			return problem(r,
			               "%s: '%.*s' is not a SHA-256 fingerprint (64 hex digits, "
			               "colons allowed)",
			               s->name, (int)len, value);
		if (!add_cert_id(r, s, p, fp))
			return 0;
		value += len;
		value += strspn(value, sep);
	}
	return 1;
}

static int
set(struct reading *r, const struct setting *s, void *base, const char *value)
{
	char *field = (char *)base + s->offset;
	unsigned long n;
	char *end;

	switch (s->kind) {
	case K_STRING:
		if (strlen(value) >= s->size)
			return problem(r, "%s is longer than %zu characters", s->name, s->size - 1);
		memcpy(field, value, strlen(value) + 1);
		return 1;
	case K_NAME:
		if (!*value || strlen(value) >= s->size ||
		    strspn(value,
		           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") !=
		            strlen(value))
			return problem(r,
			               "%s wants 1 to %zu letters, digits, '.', '_', ':' or '-', "
			               "not '%s'",
			               s->name, s->size - 1, value);
		memcpy(field, value, strlen(value) + 1);
		return 1;
	case K_PATH:
		if (!join_path(r, value, field, s->size))
			return problem(r, "%s: the path is too long", s->name);
		return 1;
	case K_NUMBER:
		errno = 0;
		n = strtoul(value, &end, 10);
		if (!*value || *value == '-' || *end || errno || n < s->min || n > s->max)
			return problem(r, "%s wants a whole number from %lu to %lu, not '%s'",
			               s->name, s->min, s->max, value);
		if (s->size == sizeof(unsigned))
			*(unsigned *)(void *)field = (unsigned)n;
		else
			*(unsigned long *)(void *)field = n;
		return 1;
	case K_CHOICE: {
		char list[128] = "";
		size_t len = 0;

		for (int i = 0; s->choices[i]; i++) {
			if (strcmp(s->choices[i], value) == 0) {
				*(int *)(void *)field = i;
				return 1;
			}
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			                        i ? (s->choices[i + 1] ? ", " : " or ") : "",
			                        s->choices[i]);
			if (len >= sizeof list)
				len = sizeof list - 1;
		}
		return problem(r, "%s is %s, not '%s'", s->name, list, value);
	}
	case K_MATCH:
		return add_cert_ids(r, s, base, value);
	}
	return 0;
}

/* A number whose default is "" is worked out after reading (workers). */
static void
defaults(void *base, const char *section, struct reading *r)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].section, section) == 0 && settings[i].dflt &&
		    *settings[i].dflt && settings[i].kind != K_MATCH)
			set(r, &settings[i], base, settings[i].dflt);
}

/* The cores online, within 1..GW_WORKERS_MAX. */
static unsigned
online_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > GW_WORKERS_MAX ? GW_WORKERS_MAX : (unsigned)n;
}

/* The checks of a section that can only be made at its end. */
/* A problem of the section being finished, at its header. */
static int at_header(struct reading *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
at_header(struct reading *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(r, r->begun, fmt, ap);
	va_end(ap);
	return 0;
}

/* Whether address is a loopback one (127.0.0.0/8, ::1). */
static bool
loopback(const char *address)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, address, a) == 1)
		return a[0] == 127;
	return inet_pton(AF_INET6, address, a) == 1 && memcmp(a, &in6addr_loopback, 16) == 0;
}

/* The admin listener's settings of [gateway]: only a loopback one without TLS. */
static bool
admin_ok(struct reading *r)
{
	struct gw_config *c = r->c;
	const char *at = c->admin_certificates;

	if (strcmp(c->admin_listen, "off") != 0 && !c->admin_tls && !loopback(c->admin_listen))
		return at_header(r,
		                 "[gateway]: admin_listen = %s is not a loopback address, so it "
		                 "needs admin_tls = yes (or admin_listen = 127.0.0.1, or off)",
		                 c->admin_listen);
	c->nadmin_certs = 0;
	while (*at) {
		size_t len = strcspn(at, ",");

		if (c->nadmin_certs == GW_CERT_IDS_MAX)
			return at_header(r, "[gateway]: admin_certificates: more than %d",
			                 GW_CERT_IDS_MAX);
		if (!fingerprint(at, len, c->admin_certs[c->nadmin_certs]))
			return at_header(r,
			                 "[gateway]: admin_certificates: '%.*s' is not a SHA-256 "
			                 "fingerprint (64 hex digits, colons allowed)",
			                 (int)len, at);
		c->nadmin_certs++;
		at += len + (at[len] == ',');
	}
	return true;
}

static bool
finish_section(struct reading *r)
{
	const char *section = r->party ? "party" : "gateway";
	size_t matches = 0;

	if (!r->party && !r->in_gateway)
		return true;
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (strcmp(s->section, section) != 0)
			continue;
		if (!s->dflt && !r->given[i])
			return at_header(r, "[%s%s%s] lacks %s (%s)", section, r->party ? " " : "",
			                 r->party ? r->party->code : "", s->name, s->doc);
		matches += s->kind == K_MATCH && r->given[i];
	}
	if (!r->party && !admin_ok(r))
		return false;
	if (r->party) {
		struct gw_party *p = r->party;
		size_t want = p->kind == IJW_GEMEENTE ? 4 : 8;

		if (strlen(p->code) != want)
			return at_header(r, "[party %s]: a%s %s has a%s %zu-digit code", p->code,
			                 p->kind == IJW_GEMEENTE ? "" : "n", kind_names[p->kind],
			                 want == 8 ? "n" : "", want);
		if (matches != 1)
			return at_header(r,
			                 "[party %s] needs exactly one of certificate_cn, "
			                 "certificate_serial and certificate_sha256",
			                 p->code);
		if (p->delivery == GW_DELIVERY_PUSH && strncmp(p->push_url, "https://", 8) != 0)
			return at_header(r,
			                 "[party %s]: delivery = push needs a push_url that starts "
			                 "with https://",
			                 p->code);
	}
	memset(r->given, 0, sizeof r->given);
	return true;
}

/* A section begins: finishes the one before, opens a party when it is one. */
static int
begin_section(struct reading *r, const char *section)
{
	if (!finish_section(r))
		return 0;
	snprintf(r->section, sizeof r->section, "%s", section);
	r->begun = r->section_line;
	r->party = NULL;
	r->in_gateway = false;
	if (strcmp(section, "gateway") == 0) {
		if (r->gateway_seen)
			return section_problem(r, "[gateway] appears twice");
		r->in_gateway = r->gateway_seen = true;
		return 1;
	}
	if (strncmp(section, "party ", 6) == 0) {
		const char *code = section + 6;
		struct gw_party *p;

		if (strspn(code, "0123456789") != strlen(code) ||
		    (strlen(code) != 4 && strlen(code) != 8))
			return section_problem(
			        r,
			        "[%s]: a party is named by its 4-digit gemeentecode or "
			        "8-digit AGB code",
			        section);
		if (gw_config_party(r->c, code))
			return section_problem(r, "[party %s] appears twice", code);
		p = realloc(r->c->parties, (r->c->nparties + 1) * sizeof *p);
		if (!p)
			return section_problem(r, "out of memory");
		r->c->parties = p;
		r->party = memset(&p[r->c->nparties++], 0, sizeof *p);
		memcpy(r->party->code, code, strlen(code) + 1);
		r->party->line = r->section_line;
		defaults(r->party, "party", r);
		return 1;
	}
	return section_problem(
	        r, "unknown section [%s]: the sections are [gateway] and [party CODE]", section);
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;
	void *base;

	/* section is r->section: read_line() began it */
	if (!name)
		return 1;
	if (!r->party && !r->in_gateway)
		return problem(r, "%s is outside a section", name);
	base = r->party ? (void *)r->party : (void *)r->c;
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (strcmp(s->section, r->party ? "party" : "gateway") != 0 ||
		    strcmp(s->name, name))
			continue;
		if (r->given[i] && s->kind != K_MATCH)
			return problem(r, "%s is given twice", name);
		r->given[i] = true;
		return set(r, s, base, value);
	}
	return problem(r,
	               "unknown setting '%s' in [%s]; 'ijw-gateway serve --settings' lists "
	               "them",
	               name, section);
}

/* The product table, and the parties that need one. */
static void
load_products(struct reading *r)
{
	struct gw_config *c = r->c;
	char why[768];

	for (size_t i = 0; i < c->nparties; i++)
		if (c->parties[i].product_codes != GW_CODES_BOTH && !c->products_file[0]) {
			r->line = c->parties[i].line;
			problem(r,
			        "[party %s] has product_codes = %s, so [gateway] needs products (a "
			        "product table, or built-in)",
			        c->parties[i].code, codes_names[c->parties[i].product_codes]);
			return;
		}
	for (size_t i = 0; i < c->nparties; i++)
		if (c->parties[i].cross_checks == GW_CROSS_DEFAULT)
			c->parties[i].cross_checks = c->parties[i].retour == GW_RETOUR_AUTO
			                                     ? GW_CROSS_ENFORCE
			                                     : GW_CROSS_ADVISE;
	if (!c->products_file[0])
		return;
	if (strcmp(c->products_file, "built-in") == 0)
		snprintf(c->products_path, sizeof c->products_path, "built-in");
	else if (!join_path(r, c->products_file, c->products_path, sizeof c->products_path))
		snprintf(why, sizeof why, "the path is too long");
	if (c->products_path[0])
		c->products = gw_products_arg(c->products_path, why, sizeof why);
	if (!c->products)
		snprintf(r->err, r->errlen, "%s: products: %s", c->file, why);
}

bool
gw_config_load(const char *file, struct gw_config **out, char *err, size_t errlen)
{
	struct gw_config *c = calloc(1, sizeof *c);
	struct reading r = {.c = c, .err = err, .errlen = errlen};
	const char *slash;
	int rc;

	*out = NULL;
	err[0] = '\0';
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	c->holders = 1;
	snprintf(c->file, sizeof c->file, "%s", file);
	slash = strrchr(file, '/');
	if (slash)
		snprintf(c->base_dir, sizeof c->base_dir, "%.*s", (int)(slash - file), file);
	else
		snprintf(c->base_dir, sizeof c->base_dir, ".");
	if (!c->base_dir[0])
		snprintf(c->base_dir, sizeof c->base_dir, "/");
	if (!(r.f = fopen(file, "r"))) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		free(c);
		return false;
	}
	defaults(c, "gateway", &r);
	rc = ini_parse_stream(read_line, &r, on_entry, &r);
	fclose(r.f);
	if (rc == 0 && !err[0]) {
		finish_section(&r);
		if (!err[0] && !r.gateway_seen)
			problem(&r, "there is no [gateway] section");
		if (!err[0] && !c->nparties)
			problem(&r,
			        "there is no [party CODE] section: no one could use the gateway");
		for (size_t i = 0; !err[0] && i < c->nparties; i++)
			if (c->parties[i].delivery == GW_DELIVERY_PUSH &&
			    (!c->push_certificate[0] || !c->push_private_key[0] ||
			     !c->push_ca[0])) {
				r.line = c->parties[i].line;
				problem(&r,
				        "[party %s] has delivery = push, so [gateway] needs "
				        "push_certificate, push_private_key and push_ca",
				        c->parties[i].code);
			}
		if (!err[0] && c->max_bytes_in_flight < c->max_message_bytes)
			problem(&r,
			        "max_bytes_in_flight (%lu) is less than max_message_bytes (%lu): "
			        "the largest message could never be taken",
			        c->max_bytes_in_flight, c->max_message_bytes);
	}
	if (rc == 0 && !err[0])
		load_products(&r);
	if (!c->instance[0]) {
		char host[48] = "";

		gethostname(host, sizeof host - 1);
		snprintf(c->instance, sizeof c->instance, "%s:%u", host[0] ? host : "localhost",
		         c->port);
	}
	if (!c->workers)
		c->workers = online_cores();
	if (rc > 0 && !err[0]) {
		r.line = (unsigned)rc;
		problem(&r, "not a setting (name = value), a [section] or a ; comment");
	}
	if (err[0]) {
		gw_config_free(c);
		return false;
	}
	*out = c;
	return true;
}

struct gw_config *
gw_config_hold(struct gw_config *c)
{
	c->holders++;
	return c;
}

void
gw_config_free(struct gw_config *c)
{
	if (!c || --c->holders)
		return;
	free(c->parties);
	ijw_products_free(c->products);
	free(c);
}

const struct gw_party *
gw_config_party(const struct gw_config *c, const char *code)
{
	for (size_t i = 0; i < c->nparties; i++)
		if (strcmp(c->parties[i].code, code) == 0)
			return &c->parties[i];
	return NULL;
}

void
gw_config_describe(FILE *out)
{
	const char *section = "";

	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "%s[%s]\n", i ? "\n" : "",
			        strcmp(section, "party") == 0 ? "party CODE" : section);
		}
		fprintf(out, "%-21s %s", s->name, s->doc);
		if (s->dflt && *s->dflt)
			fprintf(out, " (default %s)", s->dflt);
		else if (!s->dflt)
			fprintf(out, " (required)");
		fputc('\n', out);
	}
}
