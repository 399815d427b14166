/*
 * test_pki.c: the development PKI of `pki init` and the CRL of `pki revoke`,
 * checked with OpenSSL itself.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gw_pki.h"
#include "tu.h"

static const char *const two_parties[] = {"gemeente:0384", "aanbieder:42420001"};

/* Every file, in the order it is written. */
static const char *const all_files[] = {
        "ca.pem",
        "ca.key",
        "server.pem",
        "server.key",
        "gateway-client.pem",
        "gateway-client.key",
        "admin.pem",
        "admin.key",
        "0384.pem",
        "0384.key",
        "42420001.pem",
        "42420001.key",
        "ledger.key",
        "store.key",
        "admin.token",
        "gateway.ini",
        "client-0384.ini",
        "client-42420001.ini",
};
#define NFILES (sizeof all_files / sizeof all_files[0])

static const char expected_ini[] =
        "; written by ijw-gateway pki init: a development gateway on loopback\n"
        "[gateway]\n"
        "listen = 127.0.0.1\n"
        "port = 9443\n"
        "certificate = server.pem\n"
        "private_key = server.key\n"
        "client_ca = ca.pem\n"
        "store = gateway.db\n"
        "ledger_key = ledger.key\n"
        "store_key = store.key\n"
        "admin_listen = 127.0.0.1\n"
        "admin_port = 9444\n"
        "admin_token_file = admin.token\n"
        "push_certificate = gateway-client.pem\n"
        "push_private_key = gateway-client.key\n"
        "push_ca = ca.pem\n"
        "\n"
        "[party 0384]\n"
        "kind = gemeente\n"
        "certificate_cn = 0384\n"
        "delivery = inbox\n"
        "retour = relay\n"
        "\n"
        "[party 42420001]\n"
        "kind = aanbieder\n"
        "certificate_cn = 42420001\n"
        "delivery = inbox\n"
        "retour = auto\n";

struct fixture {
	char tmp[256]; /* the test's own temporary folder */
	char dir[300]; /* tmp/pki/dev: the folder written into, made by gw_pki_init */
	char path[400];
	char err[GW_PKI_ERRSIZE];
	char wrote[NFILES + 1][400];
	size_t nwrote;
};

static void
record(const char *path, void *arg)
{
	struct fixture *f = arg;

	if (f->nwrote < NFILES + 1)
		snprintf(f->wrote[f->nwrote], sizeof f->wrote[0], "%s", path);
	f->nwrote++;
}

/* gw_pki_init, or gw_pki_add when add is set, for n parties. */
static gw_pki_rc
run_parties(struct fixture *f, const struct gw_pki_party *parties, size_t n, unsigned port,
            bool force, bool add)
{
	struct gw_pki_opts o = {.dir = f->dir,
	                        .parties = parties,
	                        .nparties = n,
	                        .port = port,
	                        .force = force,
	                        .wrote = record,
	                        .wrote_arg = f};

	f->nwrote = 0;
	f->err[0] = '\0';
	return add ? gw_pki_add(&o, f->err, sizeof f->err) : gw_pki_init(&o, f->err, sizeof f->err);
}

/* gw_pki_init for the parties given as KIND:CODE, with their defaults. */
static gw_pki_rc
run(struct fixture *f, const char *const *specs, size_t n, unsigned port, bool force)
{
	struct gw_pki_party parties[4] = {{0}};

	assert_true(n <= 4);
	for (size_t i = 0; i < n; i++)
		parties[i].spec = specs[i];
	return run_parties(f, parties, n, port, force, false);
}

static const char *
path(struct fixture *f, const char *name)
{
	snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
	return f->path;
}

static X509 *
load_cert(struct fixture *f, const char *name)
{
	BIO *b = BIO_new_file(path(f, name), "r");
	X509 *x;

	assert_non_null(b);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	return x;
}

static EVP_PKEY *
load_key(struct fixture *f, const char *name)
{
	BIO *b = BIO_new_file(path(f, name), "r");
	EVP_PKEY *k;

	assert_non_null(b);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(k);
	return k;
}

static int
mode_of(struct fixture *f, const char *name)
{
	struct stat st;

	assert_int_equal(stat(path(f, name), &st), 0);
	return (int)(st.st_mode & 07777);
}

static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char sub[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(sub);
		else
			unlink(sub);
	}
	closedir(d);
	rmdir(dir);
}

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->tmp, sizeof f->tmp, "%s/test_pki.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(f->tmp)) {
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof f->dir, "%s/pki/dev", f->tmp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->tmp);
	free(f);
	return 0;
}

/* Verifies leaf against ca.pem alone, for the given purpose. */
static int
verify(X509 *ca, X509 *leaf, int purpose)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok;

	assert_non_null(store);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_add_cert(store, ca), 1);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
	assert_int_equal(X509_STORE_CTX_set_purpose(ctx, purpose), 1);
	ok = X509_verify_cert(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}

static void
assert_name(X509 *x, int nid, const char *want)
{
	char got[128];

	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(x), nid, got, sizeof got) >= 0);
	assert_string_equal(got, want);
}

/* A positive serial number of at most 128 bits, with at least 120 of them random. */
static void
assert_serial(X509 *x, BIGNUM **seen, size_t nseen)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);

	assert_non_null(bn);
	assert_false(BN_is_negative(bn));
	assert_true(BN_num_bits(bn) > 120 && BN_num_bits(bn) <= 128);
	for (size_t i = 0; i < nseen; i++)
		assert_int_not_equal(BN_cmp(bn, seen[i]), 0);
	seen[nseen] = bn;
}

/* Valid from now for the given number of calendar years. */
static void
assert_years(X509 *x, int years)
{
	int days, secs;
	time_t now = time(NULL);

	assert_true(X509_cmp_time(X509_get0_notBefore(x), &(time_t){now + 60}) < 0);
	assert_true(X509_cmp_time(X509_get0_notBefore(x), &(time_t){now - 60}) > 0);
	assert_int_equal(
	        ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
	assert_in_range(days, 365 * years, 365 * years + (years + 3) / 4);
}

static void
writes_a_pki_that_verifies(void **state)
{
	static const struct {
		const char *stem;
		int purpose;
		int xku;
		const char *cn;
	} leaves[] = {
	        {"server", X509_PURPOSE_SSL_SERVER, XKU_SSL_SERVER, "localhost"},
	        {"gateway-client", X509_PURPOSE_SSL_CLIENT, XKU_SSL_CLIENT, "ijw-gateway"},
	        {"admin", X509_PURPOSE_SSL_CLIENT, XKU_SSL_CLIENT, "admin"},
	        {"0384", X509_PURPOSE_SSL_CLIENT, XKU_SSL_CLIENT, "0384"},
	        {"42420001", X509_PURPOSE_SSL_CLIENT, XKU_SSL_CLIENT, "42420001"},
	};
	struct fixture *f = *state;
	BIGNUM *serials[6];
	char name[64];
	X509 *ca;
	EVP_PKEY *cakey;
	char *ini;

	assert_int_equal(run(f, two_parties, 2, 9443, false), GW_PKI_OK);

	/* every file written, reported in order, with its mode */
	assert_int_equal(f->nwrote, NFILES);
	for (size_t i = 0; i < NFILES; i++) {
		bool key = strstr(all_files[i], ".key") || strstr(all_files[i], ".token");

		assert_string_equal(f->wrote[i], path(f, all_files[i]));
		assert_int_equal(mode_of(f, all_files[i]), key ? 0600 : 0644);
	}
	/* three secrets of their own: 64 hex digits and a line end each */
	{
		char *ledger = tu_read(path(f, "ledger.key"), NULL);
		char *store = tu_read(path(f, "store.key"), NULL);
		char *token = tu_read(path(f, "admin.token"), NULL);

		assert_non_null(ledger);
		assert_non_null(store);
		assert_non_null(token);
		assert_int_equal(strlen(store), 65);
		assert_int_equal(strspn(store, "0123456789abcdef"), 64);
		assert_int_equal(strlen(token), 65);
		assert_int_equal(strspn(token, "0123456789abcdef"), 64);
		assert_string_not_equal(ledger, store);
		assert_string_not_equal(token, store);
		assert_string_not_equal(token, ledger);
		free(ledger);
		free(store);
		free(token);
	}

	/* the CA: self-signed, P-256 with SHA-256, for signing certificates, 10 years */
	ca = load_cert(f, "ca.pem");
	cakey = load_key(f, "ca.key");
	assert_int_equal(X509_check_private_key(ca, cakey), 1);
	assert_true(EVP_PKEY_is_a(cakey, "EC"));
	assert_int_equal(EVP_PKEY_get_bits(cakey), 256);
	assert_int_equal(X509_check_issued(ca, ca), X509_V_OK);
	assert_int_equal(X509_check_ca(ca), 1);
	assert_int_equal(X509_get_signature_nid(ca), NID_ecdsa_with_SHA256);
	assert_true(X509_get_key_usage(ca) & KU_KEY_CERT_SIGN);
	assert_true(X509_get_key_usage(ca) & KU_CRL_SIGN);
	assert_non_null(X509_get0_subject_key_id(ca));
	assert_name(ca, NID_commonName, "ijw-gateway development CA");
	assert_years(ca, 10);
	assert_serial(ca, serials, 0);

	for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		X509 *x;
		EVP_PKEY *key;

		snprintf(name, sizeof name, "%s.pem", leaves[i].stem);
		x = load_cert(f, name);
		snprintf(name, sizeof name, "%s.key", leaves[i].stem);
		key = load_key(f, name);

		assert_int_equal(verify(ca, x, leaves[i].purpose), 1);
		assert_int_equal(X509_check_private_key(x, key), 1);
		assert_int_equal(X509_check_private_key(x, cakey), 0);
		assert_int_equal(EVP_PKEY_get_bits(key), 256);
		assert_int_equal(X509_check_ca(x), 0);
		assert_int_equal(X509_get_extended_key_usage(x), (uint32_t)leaves[i].xku);
		assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
		assert_name(x, NID_commonName, leaves[i].cn);
		assert_years(x, 2);
		assert_serial(x, serials, i + 1);
		/* a client certificate is no server certificate, and the other way round */
		assert_int_equal(verify(ca, x,
		                        leaves[i].purpose == X509_PURPOSE_SSL_SERVER
		                                ? X509_PURPOSE_SSL_CLIENT
		                                : X509_PURPOSE_SSL_SERVER),
		                 0);
		X509_free(x);
		EVP_PKEY_free(key);
	}
	for (size_t i = 0; i < sizeof serials / sizeof serials[0]; i++)
		BN_free(serials[i]);

	/* the server certificate is for localhost on loopback, and nothing else */
	{
		X509 *x = load_cert(f, "server.pem");

		assert_int_equal(X509_check_host(x, "localhost", 0, 0, NULL), 1);
		assert_int_equal(X509_check_host(x, "example.org", 0, 0, NULL), 0);
		assert_int_equal(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
		assert_int_equal(X509_check_ip_asc(x, "::1", 0), 1);
		assert_int_equal(X509_check_ip_asc(x, "10.0.0.1", 0), 0);
		X509_free(x);
	}

	/* a party is named by its code, in CN and serialNumber, and its kind */
	{
		X509 *x = load_cert(f, "0384.pem");

		assert_name(x, NID_serialNumber, "0384");
		assert_name(x, NID_organizationName, "gemeente");
		X509_free(x);
		x = load_cert(f, "42420001.pem");
		assert_name(x, NID_serialNumber, "42420001");
		assert_name(x, NID_organizationName, "aanbieder");
		X509_free(x);
	}

	/* the configuration, byte for byte */
	ini = tu_read(path(f, "gateway.ini"), NULL);
	assert_non_null(ini);
	assert_string_equal(ini, expected_ini);
	free(ini);

	X509_free(ca);
	EVP_PKEY_free(cakey);
}

/* A certificate from another run of the CA does not verify against this one. */
static void
another_ca_is_another_ca(void **state)
{
	struct fixture *f = *state;
	static const char *const one[] = {"gemeente:0384"};
	X509 *ca, *leaf;

	assert_int_equal(run(f, one, 1, GW_PKI_DEFAULT_PORT, false), GW_PKI_OK);
	ca = load_cert(f, "ca.pem");
	assert_int_equal(run(f, one, 1, GW_PKI_DEFAULT_PORT, true), GW_PKI_OK);
	leaf = load_cert(f, "0384.pem");
	assert_int_equal(verify(ca, leaf, X509_PURPOSE_SSL_CLIENT), 0);
	X509_free(ca);
	X509_free(leaf);
}

static void
refuses_to_overwrite(void **state)
{
	struct fixture *f = *state;
	char *before[NFILES], *after;

	assert_int_equal(run(f, two_parties, 2, 9443, false), GW_PKI_OK);
	for (size_t i = 0; i < NFILES; i++)
		assert_non_null(before[i] = tu_read(path(f, all_files[i]), NULL));

	assert_int_equal(run(f, two_parties, 2, 9443, false), GW_PKI_EEXIST);
	assert_non_null(strstr(f->err, path(f, "ca.pem")));
	assert_int_equal(f->nwrote, 0);
	for (size_t i = 0; i < NFILES; i++) {
		assert_non_null(after = tu_read(path(f, all_files[i]), NULL));
		assert_string_equal(after, before[i]);
		free(after);
	}

	/* --force writes everything anew, and a key gets its mode back */
	assert_int_equal(chmod(path(f, "0384.key"), 0644), 0);
	assert_int_equal(run(f, two_parties, 2, 9443, true), GW_PKI_OK);
	assert_int_equal(f->nwrote, NFILES);
	assert_int_equal(mode_of(f, "0384.key"), 0600);
	assert_non_null(after = tu_read(path(f, "ca.key"), NULL));
	assert_string_not_equal(after, before[1]);
	free(after);
	for (size_t i = 0; i < NFILES; i++)
		free(before[i]);
}

/* One file that exists, the last one to be written, and nothing at all is written. */
static void
checks_every_file_first(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	FILE *fp;
	char *ini;

	snprintf(f->path, sizeof f->path, "%s/pki", f->tmp);
	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_non_null(fp = fopen(path(f, "gateway.ini"), "w"));
	fputs("mine\n", fp);
	fclose(fp);

	assert_int_equal(run(f, two_parties, 2, 9443, false), GW_PKI_EEXIST);
	assert_non_null(strstr(f->err, path(f, "gateway.ini")));
	for (size_t i = 0; i < NFILES; i++)
		if (strcmp(all_files[i], "gateway.ini") != 0)
			assert_int_not_equal(stat(path(f, all_files[i]), &st), 0);
	assert_non_null(ini = tu_read(path(f, "gateway.ini"), NULL));
	assert_string_equal(ini, "mine\n");
	free(ini);
}

static void
rejects_bad_parties(void **state)
{
	static const struct {
		const char *parties[3];
		size_t n;
		const char *says;
	} bad[] = {
	        {{"gemeente:384"}, 1, "'gemeente:384': a gemeentecode has 4 digits"},
	        {{"gemeente:03845"}, 1, "a gemeentecode has 4 digits"},
	        {{"gemeente:03a4"}, 1, "a gemeentecode has 4 digits"},
	        {{"gemeente:"}, 1, "a gemeentecode has 4 digits"},
	        {{"aanbieder:1234"}, 1, "'aanbieder:1234': an AGB code has 8 digits"},
	        {{"aanbieder:424200011"}, 1, "an AGB code has 8 digits"},
	        {{"aanbieder:0384"}, 1, "an AGB code has 8 digits"},
	        {{"foo:0384"}, 1, "'foo:0384': give it as gemeente:CODE or aanbieder:CODE"},
	        {{"0384"}, 1, "give it as gemeente:CODE"},
	        {{"Gemeente:0384"}, 1, "give it as gemeente:CODE"},
	        {{"gemeente:0384", "aanbieder:42420001", "gemeente:0384"},
	         3,
	         "'gemeente:0384': code 0384 is given twice"},
	        {{NULL}, 0, "at least one party is needed"},
	};
	struct fixture *f = *state;
	struct stat st;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(run(f, bad[i].parties, bad[i].n, 9443, false), GW_PKI_EINVAL);
		if (!strstr(f->err, bad[i].says))
			fail_msg("case %zu: '%s' does not say '%s'", i, f->err, bad[i].says);
		assert_int_equal(f->nwrote, 0);
	}
	assert_int_equal(run(f, two_parties, 2, 65536, false), GW_PKI_EINVAL);
	assert_non_null(strstr(f->err, "port 65536 is not from 0 to 65535"));
	/* nothing was made, not even the folder */
	snprintf(f->path, sizeof f->path, "%s/pki", f->tmp);
	assert_int_not_equal(stat(f->path, &st), 0);
}

/* A folder that cannot be made is an I/O error that names it. */
static void
reports_a_folder_it_cannot_make(void **state)
{
	struct fixture *f = *state;
	FILE *fp;

	snprintf(f->path, sizeof f->path, "%s/pki", f->tmp);
	assert_non_null(fp = fopen(f->path, "w"));
	fclose(fp);
	assert_int_equal(run(f, two_parties, 2, 9443, true), GW_PKI_EIO);
	assert_non_null(strstr(f->err, "Not a directory"));
	assert_int_equal(f->nwrote, 0);
}

/* When a file cannot be written, the files written before it are removed again. */
static void
undoes_a_half_written_pki(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	snprintf(f->path, sizeof f->path, "%s/pki", f->tmp);
	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(mkdir(path(f, "gateway.ini"), 0700), 0);

	assert_int_equal(run(f, two_parties, 2, 9443, true), GW_PKI_EIO);
	assert_non_null(strstr(f->err, path(f, "gateway.ini")));
	assert_int_equal(f->nwrote, 0);
	for (size_t i = 0; i < NFILES; i++)
		if (strcmp(all_files[i], "gateway.ini") != 0)
			assert_int_not_equal(stat(path(f, all_files[i]), &st), 0);
}

/* ---- revocation ---- */

static gw_pki_rc
revoke_in(struct fixture *f, const char *const *codes, size_t n, long seconds)
{
	struct gw_pki_revoke_opts o = {.dir = f->dir,
	                               .codes = codes,
	                               .ncodes = n,
	                               .seconds = seconds,
	                               .wrote = record,
	                               .wrote_arg = f};

	f->nwrote = 0;
	f->err[0] = '\0';
	return gw_pki_revoke(&o, f->err, sizeof f->err);
}

static X509_CRL *
load_crl(struct fixture *f)
{
	BIO *b = BIO_new_file(path(f, "crl.pem"), "r");
	X509_CRL *crl;

	assert_non_null(b);
	crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(crl);
	return crl;
}

/* The verification error of leaf against ca and crl with CRL checks. */
static int
verify_crl(X509 *ca, X509_CRL *crl, X509 *leaf)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int err;

	assert_non_null(store);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_add_cert(store, ca), 1);
	assert_int_equal(X509_STORE_add_crl(store, crl), 1);
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
	X509_verify_cert(ctx);
	err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

static long
crl_number(X509_CRL *crl)
{
	ASN1_INTEGER *n = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	long v;

	assert_non_null(n);
	v = ASN1_INTEGER_get(n);
	ASN1_INTEGER_free(n);
	return v;
}

/* crl is the CA's, valid from now for seconds, number number, listing want[0..n). */
static void
assert_crl(struct fixture *f, X509_CRL *crl, long seconds, long number, const char *const *want,
           size_t n)
{
	X509 *ca = load_cert(f, "ca.pem");
	time_t now = time(NULL);
	int days, secs;

	assert_int_equal(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
	assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)), 0);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(ca)), 1);
	assert_int_equal(X509_CRL_get_signature_nid(crl), NID_ecdsa_with_SHA256);
	assert_true(X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &(time_t){now + 60}) < 0);
	assert_true(X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &(time_t){now - 60}) > 0);
	assert_int_equal(ASN1_TIME_diff(&days, &secs, X509_CRL_get0_lastUpdate(crl),
	                                X509_CRL_get0_nextUpdate(crl)),
	                 1);
	assert_int_equal((long)days * 86400 + secs, seconds);
	assert_int_equal(crl_number(crl), number);
	/* a CRL that lists none has no list at all */
	assert_int_equal(n ? sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) : 0, (int)n);
	assert_true(n || !X509_CRL_get_REVOKED(crl));
	for (size_t i = 0; i < n; i++) {
		char name[32];
		X509 *x;
		X509_REVOKED *r = NULL;

		snprintf(name, sizeof name, "%s.pem", want[i]);
		x = load_cert(f, name);
		assert_int_equal(X509_CRL_get0_by_serial(crl, &r, X509_get0_serialNumber(x)), 1);
		assert_int_equal(verify_crl(ca, crl, x), X509_V_ERR_CERT_REVOKED);
		X509_free(x);
	}
	X509_free(ca);
}

static void
revokes_and_keeps_the_list(void **state)
{
	static const char *const first[] = {"0384"};
	static const char *const both[] = {"0384", "42420001"};
	static const char *const second[] = {"42420001", "0384"};
	struct fixture *f = *state;
	X509_CRL *crl;
	X509 *ca, *other;

	assert_int_equal(run(f, two_parties, 2, 9443, false), GW_PKI_OK);

	/* no CRL yet: none listed, number 1; the other parties' certificates verify */
	assert_int_equal(revoke_in(f, NULL, 0, 3600), GW_PKI_OK);
	assert_int_equal(f->nwrote, 1);
	assert_string_equal(f->wrote[0], path(f, "crl.pem"));
	assert_int_equal(mode_of(f, "crl.pem"), 0644);
	crl = load_crl(f);
	assert_crl(f, crl, 3600, 1, NULL, 0);
	X509_CRL_free(crl);

	assert_int_equal(revoke_in(f, first, 1, GW_PKI_CRL_SECONDS), GW_PKI_OK);
	crl = load_crl(f);
	assert_crl(f, crl, GW_PKI_CRL_SECONDS, 2, first, 1);
	ca = load_cert(f, "ca.pem");
	other = load_cert(f, "42420001.pem");
	assert_int_equal(verify_crl(ca, crl, other), X509_V_OK);
	X509_free(other);
	X509_CRL_free(crl);

	/* what was listed stays listed, once */
	assert_int_equal(revoke_in(f, second, 2, 60), GW_PKI_OK);
	crl = load_crl(f);
	assert_crl(f, crl, 60, 3, both, 2);
	X509_CRL_free(crl);
	assert_int_equal(revoke_in(f, NULL, 0, 120), GW_PKI_OK);
	crl = load_crl(f);
	assert_crl(f, crl, 120, 4, both, 2);
	X509_CRL_free(crl);
	X509_free(ca);
}

/* Copies file name of folder from into f->dir as name to. */
static void
copy_in(struct fixture *f, const char *from, const char *name, const char *to)
{
	char src[512];
	size_t len;
	char *data;
	FILE *fp;

	snprintf(src, sizeof src, "%s/%s", from, name);
	assert_non_null(data = tu_read(src, &len));
	assert_non_null(fp = fopen(path(f, to), "w"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	free(data);
}

static void
refuses_what_is_not_the_cas(void **state)
{
	static const char *const one[] = {"gemeente:0384"};
	static const char *const stranger[] = {"stranger"};
	static const struct {
		const char *code;
		gw_pki_rc rc;
		const char *says;
	} bad[] = {
	        {"stranger", GW_PKI_EINVAL, "stranger.pem was not issued by the CA of"},
	        {"missing", GW_PKI_EIO, "missing.pem: No such file or directory"},
	        {"../0384", GW_PKI_EINVAL, "'../0384' is not the name of a certificate"},
	        {"", GW_PKI_EINVAL, "'' is not the name of a certificate"},
	};
	struct fixture *f = *state;
	char other[320], *before, *after;

	/* another CA's folder, for a certificate and a CRL that are not this CA's */
	snprintf(other, sizeof other, "%s", f->dir);
	assert_int_equal(run(f, one, 1, 9443, false), GW_PKI_OK);
	assert_int_equal(revoke_in(f, NULL, 0, 60), GW_PKI_OK);
	snprintf(f->dir, sizeof f->dir, "%s/pki/other", f->tmp);
	assert_int_equal(run(f, one, 1, 9443, false), GW_PKI_OK);
	copy_in(f, other, "0384.pem", "stranger.pem");
	assert_int_equal(revoke_in(f, NULL, 0, 60), GW_PKI_OK);
	assert_non_null(before = tu_read(path(f, "crl.pem"), NULL));

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(revoke_in(f, &bad[i].code, 1, 60), bad[i].rc);
		if (!strstr(f->err, bad[i].says))
			fail_msg("case %zu: '%s' does not say '%s'", i, f->err, bad[i].says);
		assert_int_equal(f->nwrote, 0);
	}
	assert_int_equal(revoke_in(f, stranger, 0, 0), GW_PKI_EINVAL);
	assert_non_null(strstr(f->err, "1 second or more"));
	assert_non_null(after = tu_read(path(f, "crl.pem"), NULL));
	assert_string_equal(after, before);
	free(after);

	/* a CRL of another CA is not added to */
	copy_in(f, other, "crl.pem", "crl.pem");
	assert_int_equal(revoke_in(f, NULL, 0, 60), GW_PKI_EINVAL);
	assert_non_null(strstr(f->err, "crl.pem is not a CRL of the CA of"));
	free(before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(writes_a_pki_that_verifies, setup, teardown),
	        cmocka_unit_test_setup_teardown(another_ca_is_another_ca, setup, teardown),
	        cmocka_unit_test_setup_teardown(refuses_to_overwrite, setup, teardown),
	        cmocka_unit_test_setup_teardown(checks_every_file_first, setup, teardown),
	        cmocka_unit_test_setup_teardown(rejects_bad_parties, setup, teardown),
	        cmocka_unit_test_setup_teardown(reports_a_folder_it_cannot_make, setup, teardown),
	        cmocka_unit_test_setup_teardown(undoes_a_half_written_pki, setup, teardown),
	        cmocka_unit_test_setup_teardown(revokes_and_keeps_the_list, setup, teardown),
	        cmocka_unit_test_setup_teardown(refuses_what_is_not_the_cas, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
