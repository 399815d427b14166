/*
 * gw_pki.c: a development CA, the certificates of the gateway and its
 * parties, a configuration to serve with, and the CA's CRL (see gw_pki.h).
 *
 * Every file is first made in memory; only when all of them are there (and,
 * without force, none exists yet) is anything written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gw_config.h"
#include "gw_pki.h"
#include "ijw_buf.h"

#define CA_YEARS 10
#define LEAF_YEARS 2

/*
 * The fixed files: ca, server, gateway-client and admin, a .pem and a .key
 * each; then ledger.key, store.key, admin.token and gateway.ini.
 */
#define FIXED_FILES 12
/* Per party: its certificate and key, its push endpoint's, its client file. */
#define PARTY_FILES 5

struct party {
	const char *kind; /* "gemeente" or "aanbieder" */
	char code[9];     /* 4 or 8 digits */
	bool auto_retour;
	bool push;
	const char *push_url;          /* with push */
	char host[GW_PKI_URL_MAX + 1]; /* the push URL's host, without brackets */
	char san[GW_PKI_URL_MAX + 8];  /* its subjectAltName: "DNS:host" or "IP:address" */
};

/* A certificate to issue and the files it goes to. */
struct cert {
	const char *label;  /* for messages: "the CA", "party 0384" */
	const char *stem;   /* the files' name without .pem or .key */
	const char *cn;     /* the subject's commonName */
	const char *org;    /* its organizationName, or NULL */
	const char *serial; /* its serialNumber attribute, or NULL */
	const char *eku;    /* extendedKeyUsage; NULL for the CA */
	const char *san;    /* subjectAltName, or NULL */
	int years;          /* valid from now for this many calendar years */
};

/* A file to write, made in memory (with OPENSSL_malloc, cleared when freed). */
struct file {
	char name[24]; /* "gateway-client.pem", "42420001.key" */
	char *data;
	size_t len;
	mode_t mode;
};

struct pki {
	char *err;
	size_t errsize;
	const char *dir;
	struct file *files;
	size_t nfiles;
	char *path; /* room for dir, "/" and any file's name */
	size_t pathsize;
	X509 *ca; /* NULL until the CA is issued */
	EVP_PKEY *cakey;
};

static gw_pki_rc seterr(struct pki *p, gw_pki_rc rc, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static gw_pki_rc
seterr(struct pki *p, gw_pki_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (p->errsize > 0) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errsize, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Turns the oldest error on OpenSSL's queue into the message, and empties the queue. */
static gw_pki_rc
crypto_err(struct pki *p, const char *label, const char *step)
{
	unsigned long e = ERR_get_error();
	char reason[256] = "no reason given";

	if (e)
		ERR_error_string_n(e, reason, sizeof reason);
	ERR_clear_error();
	return seterr(p, GW_PKI_ECRYPTO, "%s: %s: %s", label, step, reason);
}

static gw_pki_rc
io_err(struct pki *p, const char *path)
{
	return seterr(p, GW_PKI_EIO, "%s: %s", path, strerror(errno));
}

static gw_pki_rc
bad_url(struct pki *p, const char *spec, const char *url, const char *why)
{
	return seterr(p, GW_PKI_EINVAL,
	              "party '%s': push URL '%s': %s (https://HOST[:PORT][/PATH], at most %d "
	              "characters)",
	              spec, url, why, GW_PKI_URL_MAX);
}

/* The host of a push URL, and the subjectAltName of its server's certificate. */
static gw_pki_rc
parse_push_url(struct pki *p, const char *spec, const char *url, struct party *out)
{
	const char *host = url + 8, *rest;
	unsigned char addr[16];
	size_t len = strlen(url), hostlen;
	bool ip;

	if (strncmp(url, "https://", 8) != 0)
		return bad_url(p, spec, url, "it does not begin with https://");
	if (len > GW_PKI_URL_MAX)
		return bad_url(p, spec, url, "it is too long");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return bad_url(p, spec, url, "it holds white space or a control character");
	if (*host == '[') {
		if (!(rest = strchr(host, ']')))
			return bad_url(p, spec, url, "its [IPv6 address] is not closed");
		hostlen = (size_t)(rest++ - ++host);
	} else {
		hostlen = strcspn(host, ":/?#");
		rest = host + hostlen;
	}
	memcpy(out->host, host, hostlen);
	out->host[hostlen] = '\0';
	if (*rest == ':') {
		size_t digits = strspn(rest + 1, "0123456789");

		if (digits == 0 || digits > 5 || strtoul(rest + 1, NULL, 10) > 65535 ||
		    !strchr("/?#", rest[1 + digits]))
			return bad_url(p, spec, url, "its port is not a number from 0 to 65535");
	} else if (!strchr("/?#", *rest)) {
		return bad_url(p, spec, url, "its host is not followed by :PORT or /PATH");
	}
	if (host[-1] == '[')
		ip = inet_pton(AF_INET6, out->host, addr) == 1;
	else
		ip = inet_pton(AF_INET, out->host, addr) == 1;
	if (!ip && host[-1] == '[')
		return bad_url(p, spec, url, "its host is not an IPv6 address");
	if (!ip && (!hostlen || out->host[0] == '-' || out->host[0] == '.' ||
	            strspn(out->host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                              "0123456789.-") != hostlen))
		return bad_url(p, spec, url,
		               "its host is not a DNS name, an IPv4 address or an [IPv6 address]");
	snprintf(out->san, sizeof out->san, "%s:%s", ip ? "IP" : "DNS", out->host);
	out->push_url = url;
	return GW_PKI_OK;
}

/* The retour, the delivery and the push URL of a party. */
static gw_pki_rc
parse_settings(struct pki *p, const struct gw_pki_party *in, struct party *out)
{
	out->auto_retour = strcmp(out->kind, "aanbieder") == 0;
	if (in->retour && strcmp(in->retour, "auto") != 0 && strcmp(in->retour, "relay") != 0)
		return seterr(p, GW_PKI_EINVAL, "party '%s': retour is relay or auto, not '%s'",
		              in->spec, in->retour);
	if (in->retour)
		out->auto_retour = strcmp(in->retour, "auto") == 0;
	if (in->delivery && strcmp(in->delivery, "inbox") != 0 && strcmp(in->delivery, "push") != 0)
		return seterr(p, GW_PKI_EINVAL, "party '%s': delivery is inbox or push, not '%s'",
		              in->spec, in->delivery);
	out->push = in->delivery && strcmp(in->delivery, "push") == 0;
	if (out->push && !in->push_url)
		return seterr(p, GW_PKI_EINVAL,
		              "party '%s': delivery push needs a push URL "
		              "(https://HOST[:PORT][/PATH])",
		              in->spec);
	if (!out->push && in->push_url)
		return seterr(p, GW_PKI_EINVAL,
		              "party '%s': a push URL is for delivery push only, and its "
		              "delivery is inbox",
		              in->spec);
	return out->push ? parse_push_url(p, in->spec, in->push_url, out) : GW_PKI_OK;
}

/* "gemeente:0384" or "aanbieder:42420001", and its settings. */
static gw_pki_rc
parse_party(struct pki *p, const struct gw_pki_party *in, struct party *out)
{
	const char *spec = in->spec ? in->spec : "";
	const char *colon = strchr(spec, ':');
	size_t digits;

	if (colon && (size_t)(colon - spec) == 8 && strncmp(spec, "gemeente", 8) == 0) {
		out->kind = "gemeente";
		digits = 4;
	} else if (colon && (size_t)(colon - spec) == 9 && strncmp(spec, "aanbieder", 9) == 0) {
		out->kind = "aanbieder";
		digits = 8;
	} else {
		return seterr(p, GW_PKI_EINVAL,
		              "party '%s': give it as gemeente:CODE or aanbieder:CODE "
		              "(gemeente:0384, aanbieder:42420001)",
		              spec);
	}
	if (strlen(colon + 1) != digits || strspn(colon + 1, "0123456789") != digits) {
		if (digits == 4)
			return seterr(p, GW_PKI_EINVAL,
			              "party '%s': a gemeentecode has 4 digits (gemeente:0384)",
			              spec);
		return seterr(p, GW_PKI_EINVAL,
		              "party '%s': an AGB code has 8 digits (aanbieder:42420001)", spec);
	}
	memcpy(out->code, colon + 1, digits + 1);
	return parse_settings(p, in, out);
}

static gw_pki_rc
parse_parties(struct pki *p, const struct gw_pki_opts *o, struct party *parties)
{
	gw_pki_rc rc;

	if (!o->dir || !*o->dir)
		return seterr(p, GW_PKI_EINVAL, "no folder to write into");
	if (o->nparties == 0)
		return seterr(p, GW_PKI_EINVAL,
		              "at least one party is needed (gemeente:CODE or aanbieder:CODE)");
	for (size_t i = 0; i < o->nparties; i++) {
		if ((rc = parse_party(p, &o->parties[i], &parties[i])))
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(parties[j].code, parties[i].code) == 0)
				return seterr(p, GW_PKI_EINVAL,
				              "party '%s': code %s is given twice",
				              o->parties[i].spec, parties[i].code);
	}
	return GW_PKI_OK;
}

/* The path of file i, in p->path. */
static const char *
path_of(struct pki *p, size_t i)
{
	size_t n = strlen(p->dir);

	snprintf(p->path, p->pathsize, "%s%s%s", p->dir, p->dir[n - 1] == '/' ? "" : "/",
	         p->files[i].name);
	return p->path;
}

static gw_pki_rc
add_file(struct pki *p, const char *stem, const char *suffix, const void *data, size_t len,
         mode_t mode)
{
	struct file *f = &p->files[p->nfiles];

	if (!(f->data = OPENSSL_malloc(len ? len : 1)))
		return seterr(p, GW_PKI_ENOMEM, "out of memory");
	memcpy(f->data, data, len);
	f->len = len;
	f->mode = mode;
	snprintf(f->name, sizeof f->name, "%s%s", stem, suffix);
	p->nfiles++;
	return GW_PKI_OK;
}

/* Adds the contents of the memory BIO b as a file. */
static gw_pki_rc
add_bio(struct pki *p, const char *stem, const char *suffix, BIO *b, mode_t mode)
{
	char *data;
	long len = BIO_get_mem_data(b, &data);

	return add_file(p, stem, suffix, data, len > 0 ? (size_t)len : 0, mode);
}

static bool
add_name(X509_NAME *n, const char *field, const char *value)
{
	return !value || X509_NAME_add_entry_by_txt(n, field, MBSTRING_ASC,
	                                            (const unsigned char *)value, -1, -1, 0) == 1;
}

static bool
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	bool ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if (!(e = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value)))
		return false;
	ok = X509_add_ext(x, e, -1) == 1;
	X509_EXTENSION_free(e);
	return ok;
}

/* A random positive serial number of 128 bits (16 bytes, the top bit clear). */
static bool
set_serial(X509 *x)
{
	unsigned char bytes[16];
	BIGNUM *bn;
	bool ok;

	if (RAND_bytes(bytes, sizeof bytes) != 1)
		return false;
	bytes[0] = (unsigned char)((bytes[0] & 0x7f) | 0x40);
	if (!(bn = BN_bin2bn(bytes, sizeof bytes, NULL)))
		return false;
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok;
}

/* Valid from now until the same moment years later (1 March for 29 February). */
static bool
set_validity(X509 *x, int years)
{
	time_t now = time(NULL), end;
	struct tm tm;

	if (!gmtime_r(&now, &tm))
		return false;
	tm.tm_year += years;
	if ((end = timegm(&tm)) == (time_t)-1)
		return false;
	return ASN1_TIME_set(X509_getm_notBefore(x), now) &&
	       ASN1_TIME_set(X509_getm_notAfter(x), end);
}

/*
 * The certificate c for key, issued by p->ca, or self-signed as the CA when
 * there is no CA yet. NULL with the message set on failure.
 */
static X509 *
make_cert(struct pki *p, const struct cert *c, EVP_PKEY *key)
{
	X509 *x = X509_new();
	X509 *issuer = p->ca ? p->ca : x;
	const char *step = "making the certificate";
	X509_NAME *n;
	bool ok;

	if (!x || X509_set_version(x, X509_VERSION_3) != 1 || !set_serial(x))
		goto fail;
	n = X509_get_subject_name(x);
	if (!add_name(n, "O", c->org) || !add_name(n, "serialNumber", c->serial) ||
	    !add_name(n, "CN", c->cn))
		goto fail;
	if (X509_set_issuer_name(x, X509_get_subject_name(issuer)) != 1 ||
	    !set_validity(x, c->years) || X509_set_pubkey(x, key) != 1)
		goto fail;
	step = "adding the extensions";
	if (!p->ca)
		ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") &&
		     add_ext(x, x, NID_subject_key_identifier, "hash");
	else
		ok = add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
		     add_ext(x, issuer, NID_key_usage, "critical,digitalSignature") &&
		     add_ext(x, issuer, NID_ext_key_usage, c->eku) &&
		     add_ext(x, issuer, NID_subject_key_identifier, "hash") &&
		     add_ext(x, issuer, NID_authority_key_identifier, "keyid:always") &&
		     (!c->san || add_ext(x, issuer, NID_subject_alt_name, c->san));
	if (!ok)
		goto fail;
	step = "signing";
	if (X509_sign(x, p->ca ? p->cakey : key, EVP_sha256()) <= 0)
		goto fail;
	return x;
fail:
	crypto_err(p, c->label, step);
	X509_free(x);
	return NULL;
}

/* Adds the PEM files of certificate x and its key. */
static gw_pki_rc
add_pems(struct pki *p, const struct cert *c, X509 *x, EVP_PKEY *key)
{
	BIO *b;
	gw_pki_rc rc;

	if (!(b = BIO_new(BIO_s_mem())) || PEM_write_bio_X509(b, x) != 1)
		rc = crypto_err(p, c->label, "writing the certificate");
	else
		rc = add_bio(p, c->stem, ".pem", b, 0644);
	BIO_free(b);
	if (rc)
		return rc;
	if (!(b = BIO_new(BIO_s_secmem())) ||
	    PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) != 1)
		rc = crypto_err(p, c->label, "writing the private key");
	else
		rc = add_bio(p, c->stem, ".key", b, 0600);
	BIO_free(b);
	return rc;
}

/*
 * Makes a key and the certificate c and adds their files. The first call
 * makes the CA, which p keeps to issue the others with.
 */
static gw_pki_rc
issue(struct pki *p, const struct cert *c)
{
	EVP_PKEY *key;
	X509 *x;
	gw_pki_rc rc;

	if (!(key = EVP_EC_gen("P-256")))
		return crypto_err(p, c->label, "making the key");
	if (!(x = make_cert(p, c, key))) {
		EVP_PKEY_free(key);
		return GW_PKI_ECRYPTO;
	}
	rc = add_pems(p, c, x, key);
	if (!rc && !p->ca) {
		p->ca = x;
		p->cakey = key;
		return GW_PKI_OK;
	}
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/*
 * A secret (the ledger's, the store's, the operators' token): 32 random
 * bytes in hex, readable by the gateway's user only.
 */
static gw_pki_rc
add_key(struct pki *p, const char *stem, const char *suffix)
{
	unsigned char key[32];
	char text[2 * sizeof key + 2];
	gw_pki_rc rc;

	if (RAND_bytes(key, sizeof key) != 1)
		return seterr(p, GW_PKI_ECRYPTO, "%s%s: no random bytes", stem, suffix);
	ijw_hex(key, sizeof key, text);
	text[2 * sizeof key] = '\n';
	text[2 * sizeof key + 1] = '\0';
	rc = add_file(p, stem, suffix, text, 2 * sizeof key + 1, 0600);
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(text, sizeof text);
	return rc;
}

/* The admin listener's port beside port: the next one, or any free one beside port 0. */
static unsigned
admin_port(unsigned port)
{
	return !port ? 0 : port < 65535 ? port + 1 : port - 1;
}

/* The [party CODE] section of y, after an empty line. */
static ijw_rc
add_section(struct ijw_buf *b, const struct party *y)
{
	ijw_rc rc = ijw_buf_addf(b,
	                         "\n[party %s]\n"
	                         "kind = %s\n"
	                         "certificate_cn = %s\n"
	                         "delivery = %s\n",
	                         y->code, y->kind, y->code, y->push ? "push" : "inbox");

	if (!rc && y->push)
		rc = ijw_buf_addf(b, "push_url = %s\n", y->push_url);
	if (!rc)
		rc = ijw_buf_addf(b, "retour = %s\n", y->auto_retour ? "auto" : "relay");
	return rc;
}

/* Room for the sections of n parties. */
#define SECTIONS_MAX(n) ((n) * (256 + GW_PKI_URL_MAX))

static gw_pki_rc
add_ini(struct pki *p, const struct gw_pki_opts *o, const struct party *parties)
{
	struct ijw_buf b;
	ijw_rc brc;
	gw_pki_rc rc;

	ijw_buf_init(&b, 1024 + SECTIONS_MAX(o->nparties));
	brc = ijw_buf_addf(&b,
	                   "; written by ijw-gateway pki init: a development gateway on loopback\n"
	                   "[gateway]\n"
	                   "listen = 127.0.0.1\n"
	                   "port = %u\n"
	                   "certificate = server.pem\n"
	                   "private_key = server.key\n"
	                   "client_ca = ca.pem\n"
	                   "store = gateway.db\n"
	                   "ledger_key = ledger.key\n"
	                   "store_key = store.key\n"
	                   "admin_listen = 127.0.0.1\n"
	                   "admin_port = %u\n"
	                   "admin_token_file = admin.token\n"
	                   "push_certificate = gateway-client.pem\n"
	                   "push_private_key = gateway-client.key\n"
	                   "push_ca = ca.pem\n",
	                   o->port, admin_port(o->port));
	for (size_t i = 0; !brc && i < o->nparties; i++)
		brc = add_section(&b, &parties[i]);
	if (brc)
		rc = seterr(p, GW_PKI_ENOMEM, "gateway.ini: %s", ijw_strerror(brc));
	else
		rc = add_file(p, "gateway", ".ini", ijw_buf_str(&b), b.len, 0644);
	ijw_buf_free(&b);
	return rc;
}

/* The client file of party y (gw_client.h), for a gateway on port. */
static gw_pki_rc
add_client(struct pki *p, const struct party *y, unsigned port)
{
	char text[512], stem[24];
	int n = snprintf(text, sizeof text,
	                 "; written by ijw-gateway pki: party %s's client of the gateway\n"
	                 "[client]\n"
	                 "url = https://localhost:%u\n"
	                 "cacert = ca.pem\n"
	                 "cert = %s.pem\n"
	                 "key = %s.key\n",
	                 y->code, port, y->code, y->code);

	snprintf(stem, sizeof stem, "client-%s", y->code);
	return add_file(p, stem, ".ini", text, (size_t)n, 0644);
}

/* The certificates of the parties: a client one each, and a push endpoint's for push. */
static gw_pki_rc
make_parties(struct pki *p, const struct party *parties, size_t n)
{
	gw_pki_rc rc;

	for (size_t i = 0; i < n; i++) {
		const struct party *y = &parties[i];
		char label[64], stem[24];
		struct cert c = {
		        .label = label,
		        .stem = y->code,
		        .cn = y->code,
		        .org = y->kind,
		        .serial = y->code,
		        .eku = "clientAuth",
		        .years = LEAF_YEARS,
		};
		struct cert push = {
		        .label = label,
		        .stem = stem,
		        /* a commonName has at most 64 characters; the subjectAltName counts */
		        .cn = strlen(y->host) <= 64 ? y->host : NULL,
		        .eku = "serverAuth",
		        .san = y->san,
		        .years = LEAF_YEARS,
		};

		snprintf(label, sizeof label, "party %s", y->code);
		if ((rc = issue(p, &c)))
			return rc;
		if (!y->push)
			continue;
		snprintf(label, sizeof label, "party %s's push endpoint", y->code);
		snprintf(stem, sizeof stem, "%s-push", y->code);
		if ((rc = issue(p, &push)))
			return rc;
	}
	return GW_PKI_OK;
}

static gw_pki_rc
add_clients(struct pki *p, const struct party *parties, size_t n, unsigned port)
{
	gw_pki_rc rc = GW_PKI_OK;

	for (size_t i = 0; !rc && i < n; i++)
		rc = add_client(p, &parties[i], port);
	return rc;
}

/* Makes every file in memory. */
static gw_pki_rc
make_all(struct pki *p, const struct gw_pki_opts *o, const struct party *parties)
{
	static const struct cert ca = {
	        .label = "the CA",
	        .stem = "ca",
	        .cn = "ijw-gateway development CA",
	        .years = CA_YEARS,
	};
	static const struct cert server = {
	        .label = "the server certificate",
	        .stem = "server",
	        .cn = "localhost",
	        .eku = "serverAuth",
	        .san = "DNS:localhost,IP:127.0.0.1,IP:::1",
	        .years = LEAF_YEARS,
	};
	static const struct cert client = {
	        .label = "the gateway's client certificate",
	        .stem = "gateway-client",
	        .cn = "ijw-gateway",
	        .eku = "clientAuth",
	        .years = LEAF_YEARS,
	};
	static const struct cert admin = {
	        .label = "the operators' client certificate",
	        .stem = "admin",
	        .cn = "admin",
	        .eku = "clientAuth",
	        .years = LEAF_YEARS,
	};
	gw_pki_rc rc;

	if ((rc = issue(p, &ca)) || (rc = issue(p, &server)) || (rc = issue(p, &client)) ||
	    (rc = issue(p, &admin)) || (rc = make_parties(p, parties, o->nparties)))
		return rc;
	if ((rc = add_key(p, "ledger", ".key")) || (rc = add_key(p, "store", ".key")) ||
	    (rc = add_key(p, "admin", ".token")) || (rc = add_ini(p, o, parties)))
		return rc;
	return add_clients(p, parties, o->nparties, o->port);
}

static gw_pki_rc
check_absent(struct pki *p)
{
	struct stat st;

	for (size_t i = 0; i < p->nfiles; i++) {
		const char *path = path_of(p, i);

		if (lstat(path, &st) == 0)
			return seterr(p, GW_PKI_EEXIST, "%s exists already; nothing was written",
			              path);
		if (errno != ENOENT)
			return io_err(p, path);
	}
	return GW_PKI_OK;
}

/* mkdir -p */
static gw_pki_rc
make_dir(struct pki *p)
{
	char *d = strdup(p->dir);
	struct stat st;
	gw_pki_rc rc = GW_PKI_OK;

	if (!d)
		return seterr(p, GW_PKI_ENOMEM, "out of memory");
	for (char *s = d + 1;; s++) {
		bool last = *s == '\0';

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST) {
			rc = io_err(p, d);
			break;
		}
		if (last)
			break;
		*s = '/';
	}
	if (!rc && stat(p->dir, &st) != 0)
		rc = io_err(p, p->dir);
	else if (!rc && !S_ISDIR(st.st_mode))
		rc = seterr(p, GW_PKI_EIO, "%s: %s", p->dir, strerror(ENOTDIR));
	free(d);
	return rc;
}

/* Writes len bytes of s to fd; false with errno set. */
static bool
write_out(int fd, const char *s, size_t left)
{
	while (left > 0) {
		ssize_t n = write(fd, s, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		s += n;
		left -= (size_t)n;
	}
	return true;
}

/*
 * Writes file f to path, a new file with exactly its mode; with force, one
 * that exists is removed first. A file this makes is removed again when
 * writing it fails.
 */
static gw_pki_rc
write_file(struct pki *p, const char *path, const struct file *f, bool force)
{
	int fd, saved;

	if (force && unlink(path) != 0 && errno != ENOENT)
		return io_err(p, path);
	if ((fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, f->mode)) < 0) {
		if (errno == EEXIST)
			return seterr(p, GW_PKI_EEXIST, "%s exists already; nothing was written",
			              path);
		return io_err(p, path);
	}
	if (fchmod(fd, f->mode) != 0 || !write_out(fd, f->data, f->len) || fsync(fd) != 0)
		goto fail;
	saved = close(fd);
	fd = -1;
	if (saved != 0)
		goto fail;
	return GW_PKI_OK;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(path);
	errno = saved;
	return io_err(p, path);
}

/* Removes the first n files again. */
static void
unwrite(struct pki *p, size_t n)
{
	while (n-- > 0)
		unlink(path_of(p, n));
}

/* Writes every file, or none: the ones written are removed again on failure. */
static gw_pki_rc
write_all(struct pki *p, bool force)
{
	gw_pki_rc rc;

	for (size_t i = 0; i < p->nfiles; i++) {
		if ((rc = write_file(p, path_of(p, i), &p->files[i], force))) {
			unwrite(p, i);
			return rc;
		}
	}
	return GW_PKI_OK;
}

static void
announce(struct pki *p, const struct gw_pki_opts *o)
{
	for (size_t i = 0; o->wrote && i < p->nfiles; i++)
		o->wrote(path_of(p, i), o->wrote_arg);
}

/* What p holds: its files (cleared), their paths, the CA and its key. */
static void
pki_free(struct pki *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		OPENSSL_clear_free(p->files[i].data, p->files[i].len);
	free(p->files);
	free(p->path);
	X509_free(p->ca);
	EVP_PKEY_free(p->cakey);
}

gw_pki_rc
gw_pki_init(const struct gw_pki_opts *o, char *err, size_t errsize)
{
	struct pki p = {.err = err, .errsize = errsize, .dir = o->dir};
	struct party *parties;
	gw_pki_rc rc;

	if (!(parties = calloc(o->nparties ? o->nparties : 1, sizeof *parties)))
		return seterr(&p, GW_PKI_ENOMEM, "out of memory");
	if (o->port > 65535)
		rc = seterr(&p, GW_PKI_EINVAL, "port %u is not from 0 to 65535", o->port);
	else
		rc = parse_parties(&p, o, parties);
	if (rc)
		goto out;
	p.pathsize = strlen(o->dir) + 2 + sizeof p.files[0].name;
	p.files = calloc(FIXED_FILES + PARTY_FILES * o->nparties, sizeof *p.files);
	p.path = malloc(p.pathsize);
	if (!p.files || !p.path) {
		rc = seterr(&p, GW_PKI_ENOMEM, "out of memory");
		goto out;
	}
	ERR_clear_error();
	if ((rc = make_all(&p, o, parties)) || (!o->force && (rc = check_absent(&p))) ||
	    (rc = make_dir(&p)))
		goto out;
	if (!(rc = write_all(&p, o->force)))
		announce(&p, o);
out:
	pki_free(&p);
	free(parties);
	return rc;
}

/* ---- revocation ---- */

/* DIR/name in p->path. */
static const char *
dir_path(struct pki *p, const char *name)
{
	snprintf(p->path, p->pathsize, "%s%s%s", p->dir,
	         p->dir[strlen(p->dir) - 1] == '/' ? "" : "/", name);
	return p->path;
}

static gw_pki_rc
open_in(struct pki *p, const char *name, BIO **b)
{
	FILE *f = fopen(dir_path(p, name), "r");

	if (!f)
		return io_err(p, p->path);
	if (!(*b = BIO_new_fp(f, BIO_CLOSE))) {
		fclose(f);
		return seterr(p, GW_PKI_ENOMEM, "out of memory");
	}
	return GW_PKI_OK;
}

/* Reads DIR/name: a certificate into *x when x is given, else a private key into *k. */
static gw_pki_rc
read_pem(struct pki *p, const char *name, X509 **x, EVP_PKEY **k)
{
	BIO *b;
	gw_pki_rc rc = open_in(p, name, &b);
	bool ok;

	if (rc)
		return rc;
	if (x)
		ok = (*x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;
	else
		ok = (*k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) != NULL;
	BIO_free(b);
	return ok ? GW_PKI_OK : crypto_err(p, p->path, "reading");
}

/* Room for nfiles files and their paths; the CA of the folder and its key. */
static gw_pki_rc
load_ca(struct pki *p, size_t nfiles)
{
	gw_pki_rc rc;

	p->pathsize = strlen(p->dir) + 2 + sizeof p->files[0].name;
	p->files = calloc(nfiles ? nfiles : 1, sizeof *p->files);
	p->path = malloc(p->pathsize);
	if (!p->files || !p->path)
		return seterr(p, GW_PKI_ENOMEM, "out of memory");
	ERR_clear_error();
	if ((rc = read_pem(p, "ca.pem", &p->ca, NULL)) ||
	    (rc = read_pem(p, "ca.key", NULL, &p->cakey)))
		return rc;
	if (X509_check_private_key(p->ca, p->cakey) != 1) {
		ERR_clear_error();
		return seterr(p, GW_PKI_EINVAL, "%s/ca.key is not the key of %s/ca.pem", p->dir,
		              p->dir);
	}
	return GW_PKI_OK;
}

/* DIR/crl.pem, which must be a CRL of ca; *crl stays NULL when there is no such file. */
static gw_pki_rc
read_crl(struct pki *p, X509 *ca, X509_CRL **crl)
{
	BIO *b;
	gw_pki_rc rc;

	*crl = NULL;
	if (access(dir_path(p, "crl.pem"), F_OK) != 0 && errno == ENOENT)
		return GW_PKI_OK;
	if ((rc = open_in(p, "crl.pem", &b)))
		return rc;
	*crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*crl)
		return crypto_err(p, p->path, "reading the CRL");
	if (X509_NAME_cmp(X509_CRL_get_issuer(*crl), X509_get_subject_name(ca)) != 0 ||
	    X509_CRL_verify(*crl, X509_get0_pubkey(ca)) != 1) {
		ERR_clear_error();
		return seterr(p, GW_PKI_EINVAL, "%s is not a CRL of the CA of %s", p->path, p->dir);
	}
	return GW_PKI_OK;
}

static bool
listed(X509_CRL *crl, const ASN1_INTEGER *serial)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl);

	for (int i = 0; i < sk_X509_REVOKED_num(rev); i++)
		if (!ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(rev, i)),
		                      serial))
			return true;
	return false;
}

/*
 * Adds serial to crl, revoked at when, unless it is there. The setters copy
 * what they are given, though their parameters are not const.
 */
static bool
add_revoked(X509_CRL *crl, const ASN1_INTEGER *serial, const ASN1_TIME *when)
{
	X509_REVOKED *r;

	if (listed(crl, serial))
		return true;
	if (!(r = X509_REVOKED_new()) ||
	    X509_REVOKED_set_serialNumber(r, (ASN1_INTEGER *)serial) != 1 ||
	    X509_REVOKED_set_revocationDate(r, (ASN1_TIME *)when) != 1 ||
	    X509_CRL_add0_revoked(crl, r) != 1) {
		X509_REVOKED_free(r);
		return false;
	}
	return true;
}

/* The entries of old (the CRL before, or NULL), and the CRL number one above its. */
static bool
carry_over(X509_CRL *crl, X509_CRL *old)
{
	STACK_OF(X509_REVOKED) *rev = old ? X509_CRL_get_REVOKED(old) : NULL;
	ASN1_INTEGER *number = old ? X509_CRL_get_ext_d2i(old, NID_crl_number, NULL, NULL) : NULL;
	BIGNUM *bn = number ? ASN1_INTEGER_to_BN(number, NULL) : BN_new();
	bool ok = bn && (number ? BN_add_word(bn, 1) : BN_one(bn)) &&
	          (number = BN_to_ASN1_INTEGER(bn, number)) &&
	          X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, 0) == 1;

	for (int i = 0; ok && i < sk_X509_REVOKED_num(rev); i++) {
		const X509_REVOKED *r = sk_X509_REVOKED_value(rev, i);

		ok = add_revoked(crl, X509_REVOKED_get0_serialNumber(r),
		                 X509_REVOKED_get0_revocationDate(r));
	}
	ASN1_INTEGER_free(number);
	BN_free(bn);
	return ok;
}

/* A CRL of ca's, from now for seconds, with the entries of old; NULL on failure. */
static X509_CRL *
new_crl(X509 *ca, X509_CRL *old, time_t now, long seconds)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *last = ASN1_TIME_set(NULL, now);
	ASN1_TIME *next = ASN1_TIME_adj(NULL, now, 0, seconds);
	X509_EXTENSION *aki = NULL;
	X509V3_CTX v3;
	bool ok;

	X509V3_set_ctx(&v3, ca, NULL, NULL, crl, 0);
	ok = crl && last && next && X509_CRL_set_version(crl, X509_CRL_VERSION_2) == 1 &&
	     X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) == 1 &&
	     X509_CRL_set1_lastUpdate(crl, last) == 1 && X509_CRL_set1_nextUpdate(crl, next) == 1 &&
	     (aki = X509V3_EXT_nconf_nid(NULL, &v3, NID_authority_key_identifier,
	                                 "keyid:always")) &&
	     X509_CRL_add_ext(crl, aki, -1) == 1 && carry_over(crl, old);
	X509_EXTENSION_free(aki);
	ASN1_TIME_free(last);
	ASN1_TIME_free(next);
	if (!ok) {
		X509_CRL_free(crl);
		return NULL;
	}
	return crl;
}

/* Adds the certificate DIR/code.pem, which ca must have issued, to crl. */
static gw_pki_rc
revoke_one(struct pki *p, X509 *ca, X509_CRL *crl, const char *code, time_t now)
{
	char name[sizeof p->files[0].name];
	ASN1_TIME *when = NULL;
	X509 *x = NULL;
	gw_pki_rc rc;

	if (!*code || strchr(code, '/') ||
	    (size_t)snprintf(name, sizeof name, "%s.pem", code) >= sizeof name)
		return seterr(p, GW_PKI_EINVAL,
		              "'%s' is not the name of a certificate in the folder (0384 for "
		              "0384.pem)",
		              code);
	if ((rc = read_pem(p, name, &x, NULL)))
		return rc;
	if (X509_check_issued(ca, x) != X509_V_OK || X509_verify(x, X509_get0_pubkey(ca)) != 1) {
		ERR_clear_error();
		rc = seterr(p, GW_PKI_EINVAL, "%s was not issued by the CA of %s", p->path, p->dir);
	} else if (!(when = ASN1_TIME_set(NULL, now)) ||
	           !add_revoked(crl, X509_get0_serialNumber(x), when)) {
		rc = crypto_err(p, p->path, "revoking");
	}
	ASN1_TIME_free(when);
	X509_free(x);
	return rc;
}

/* Writes crl to DIR/crl.pem through a new file renamed over it. */
static gw_pki_rc
write_crl(struct pki *p, X509_CRL *crl, const struct gw_pki_revoke_opts *o)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *path = NULL, *tmp = NULL;
	gw_pki_rc rc;

	if (!b || PEM_write_bio_X509_CRL(b, crl) != 1)
		rc = crypto_err(p, "crl.pem", "writing the CRL");
	else if (!(rc = add_bio(p, "crl", ".pem.new", b, 0644)) &&
	         (!(path = strdup(dir_path(p, "crl.pem"))) ||
	          !(tmp = strdup(dir_path(p, "crl.pem.new")))))
		rc = seterr(p, GW_PKI_ENOMEM, "out of memory");
	if (!rc && !(rc = write_file(p, tmp, &p->files[0], true)) && rename(tmp, path) != 0) {
		rc = io_err(p, path);
		unlink(tmp);
	}
	if (!rc && o->wrote)
		o->wrote(path, o->wrote_arg);
	BIO_free(b);
	free(path);
	free(tmp);
	return rc;
}

gw_pki_rc
gw_pki_revoke(const struct gw_pki_revoke_opts *o, char *err, size_t errsize)
{
	struct pki p = {.err = err, .errsize = errsize, .dir = o->dir};
	time_t now = time(NULL);
	X509_CRL *old = NULL, *crl = NULL;
	gw_pki_rc rc;

	if (!o->dir || !*o->dir)
		return seterr(&p, GW_PKI_EINVAL, "no folder to write into");
	if (o->seconds < 1)
		return seterr(&p, GW_PKI_EINVAL,
		              "the CRL's next update is 1 second or more from now, not %ld",
		              o->seconds);
	if ((rc = load_ca(&p, 1)) || (rc = read_crl(&p, p.ca, &old)))
		goto out;
	if (!(crl = new_crl(p.ca, old, now, o->seconds))) {
		rc = crypto_err(&p, "crl.pem", "making the CRL");
		goto out;
	}
	for (size_t i = 0; i < o->ncodes; i++)
		if ((rc = revoke_one(&p, p.ca, crl, o->codes[i], now)))
			goto out;
	if (X509_CRL_sort(crl) != 1 || X509_CRL_sign(crl, p.cakey, EVP_sha256()) <= 0) {
		rc = crypto_err(&p, "crl.pem", "signing the CRL");
		goto out;
	}
	rc = write_crl(&p, crl, o);
out:
	pki_free(&p);
	X509_CRL_free(old);
	X509_CRL_free(crl);
	return rc;
}

/* ---- parties added later ---- */

/*
 * Appends b to DIR/gateway.ini, on a line of its own; on failure the file is
 * cut back to its length before.
 */
static gw_pki_rc
append_ini(struct pki *p, const struct ijw_buf *b)
{
	const char *path = dir_path(p, "gateway.ini");
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC), saved;
	struct stat st;
	char last = '\n';

	if (fd < 0)
		return io_err(p, path);
	if (fstat(fd, &st) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return io_err(p, path);
	}
	if ((st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1) ||
	    (last != '\n' && !write_out(fd, "\n", 1)) || !write_out(fd, b->data, b->len) ||
	    fsync(fd) != 0) {
		saved = errno;
		if (ftruncate(fd, st.st_size) == 0)
			fsync(fd);
		close(fd);
		errno = saved;
		return io_err(p, path);
	}
	if (close(fd) != 0)
		return io_err(p, path);
	return GW_PKI_OK;
}

/* The configuration of the folder, which must name none of the parties yet. */
static gw_pki_rc
read_config(struct pki *p, const struct party *parties, size_t n, struct gw_config **c)
{
	char why[GW_PKI_ERRSIZE - 64];

	if (!gw_config_load(dir_path(p, "gateway.ini"), c, why, sizeof why))
		return seterr(p, GW_PKI_EINVAL, "%s", why);
	for (size_t i = 0; i < n; i++) {
		const struct gw_party *y = gw_config_party(*c, parties[i].code);

		if (y)
			return seterr(p, GW_PKI_EEXIST,
			              "%s:%u: [party %s] is there already; nothing was written",
			              (*c)->file, y->line, y->code);
	}
	return GW_PKI_OK;
}

gw_pki_rc
gw_pki_add(const struct gw_pki_opts *o, char *err, size_t errsize)
{
	struct pki p = {.err = err, .errsize = errsize, .dir = o->dir};
	struct gw_config *c = NULL;
	struct party *parties;
	struct ijw_buf b;
	ijw_rc brc = IJW_OK;
	gw_pki_rc rc;

	ijw_buf_init(&b, SECTIONS_MAX(o->nparties));
	if (!(parties = calloc(o->nparties ? o->nparties : 1, sizeof *parties)))
		return seterr(&p, GW_PKI_ENOMEM, "out of memory");
	if ((rc = parse_parties(&p, o, parties)))
		goto out;
	if ((rc = load_ca(&p, PARTY_FILES * o->nparties)) ||
	    (rc = read_config(&p, parties, o->nparties, &c)) ||
	    (rc = make_parties(&p, parties, o->nparties)) ||
	    (rc = add_clients(&p, parties, o->nparties, c->port)) || (rc = check_absent(&p)))
		goto out;
	for (size_t i = 0; !brc && i < o->nparties; i++)
		brc = add_section(&b, &parties[i]);
	if (brc) {
		rc = seterr(&p, GW_PKI_ENOMEM, "gateway.ini: %s", ijw_strerror(brc));
		goto out;
	}
	if ((rc = write_all(&p, false)))
		goto out;
	if ((rc = append_ini(&p, &b))) {
		unwrite(&p, p.nfiles);
		goto out;
	}
	announce(&p, o);
	if (o->wrote)
		o->wrote(dir_path(&p, "gateway.ini"), o->wrote_arg);
out:
	pki_free(&p);
	gw_config_free(c);
	ijw_buf_free(&b);
	free(parties);
	return rc;
}
