/*
 * gw_tls.c: server contexts, certificate matching, and the log of failed
 * handshakes.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "gw_log.h"
#include "gw_ratelimit.h"
#include "gw_tls.h"
#include "ijw_buf.h"

#define PEERS 1024       /* addresses the log of failed handshakes keeps apart */
#define PEER_INTERVAL 10 /* seconds: one line per address at the most */
#define LINES_A_SECOND 20

/* Why the certificate of a client was refused, kept with its SSL until the handshake fails. */
struct refusal {
	char sha256[65]; /* the client's own certificate */
	int error;       /* X509_V_ERR_*; X509_V_OK when only an alert came */
	int depth;       /* of the certificate that failed in the chain */
	char alert[64];  /* the fatal alert that ended the handshake, or "" */
};

static int refusal_idx = -1;
static gw_ratelimit *failures;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
free_refusal(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

static void
init_once(void)
{
	refusal_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, free_refusal);
	failures = gw_ratelimit_new(PEERS, PEER_INTERVAL, LINES_A_SECOND);
}

const char *
gw_tls_error(char *buf, size_t size)
{
	unsigned long e = ERR_get_error();

	if (!e)
		snprintf(buf, size, "unknown TLS error");
	else
		ERR_error_string_n(e, buf, size);
	ERR_clear_error();
	return buf;
}

/*
 * Adds the CRLs of file to the store of ctx, whose CA certificates are
 * loaded, and turns CRL checks on: of every certificate of a chain when each
 * CA has a CRL, else of the client's own certificate.
 */
static bool
load_crls(SSL_CTX *ctx, const char *file, char *err, size_t errlen)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	STACK_OF(X509_OBJECT) * objs;
	BIO *b = BIO_new_file(file, "r");
	unsigned long flags = X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	unsigned long e;
	X509_CRL *crl;
	X509 *ca;
	char why[256], name[256];
	int n = 0;

	if (!b) {
		snprintf(err, errlen, "%s: %s", file, gw_tls_error(why, sizeof why));
		return false;
	}
	while ((crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL))) {
		n++;
		ca = X509_OBJECT_get0_X509(X509_OBJECT_retrieve_by_subject(
		        X509_STORE_get0_objects(store), X509_LU_X509, X509_CRL_get_issuer(crl)));
		if (ca && X509_CRL_verify(crl, X509_get0_pubkey(ca)) != 1) {
			X509_NAME_oneline(X509_CRL_get_issuer(crl), name, sizeof name);
			snprintf(err, errlen, "%s: CRL %d, of %s, is not signed by that CA", file,
			         n, name);
			goto fail;
		}
		if (X509_STORE_add_crl(store, crl) != 1) {
			snprintf(err, errlen, "%s: CRL %d: %s", file, n,
			         gw_tls_error(why, sizeof why));
			goto fail;
		}
		X509_CRL_free(crl);
	}
	e = ERR_peek_last_error();
	if (n == 0 || ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
		if (n == 0 && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
			snprintf(err, errlen, "%s: holds no CRL (-----BEGIN X509 CRL-----)", file);
		else
			snprintf(err, errlen, "%s: CRL %d does not parse: %s", file, n + 1,
			         gw_tls_error(why, sizeof why));
		BIO_free(b);
		return false;
	}
	ERR_clear_error();
	BIO_free(b);
	objs = X509_STORE_get0_objects(store);
	for (int i = 0; i < sk_X509_OBJECT_num(objs); i++)
		if ((ca = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i))) &&
		    !X509_OBJECT_retrieve_by_subject(objs, X509_LU_CRL, X509_get_subject_name(ca)))
			flags = X509_V_FLAG_CRL_CHECK;
	X509_STORE_set_flags(store, flags);
	return true;
fail:
	X509_CRL_free(crl);
	BIO_free(b);
	return false;
}

/* Keeps the first refusal of a client's chain with its SSL. */
static int
on_verify(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct refusal *r;

	if (ok || !ssl || refusal_idx < 0 || SSL_get_ex_data(ssl, refusal_idx) ||
	    !(r = calloc(1, sizeof *r)))
		return ok;
	gw_tls_fingerprint(X509_STORE_CTX_get0_cert(x), r->sha256);
	r->error = X509_STORE_CTX_get_error(x);
	r->depth = X509_STORE_CTX_get_error_depth(x);
	if (!SSL_set_ex_data(ssl, refusal_idx, r))
		free(r);
	return ok;
}

/* The name of an alert; OpenSSL 3.0 does not name certificate_required of TLS 1.3. */
static const char *
alert_name(int alert, char *buf, size_t size)
{
	const char *name = SSL_alert_desc_string_long(alert);

	if (strcmp(name, "unknown") != 0)
		return name;
	if ((alert & 0xff) == 116)
		return "certificate required";
	snprintf(buf, size, "alert %d", alert & 0xff);
	return buf;
}

/* Keeps the first fatal alert of a handshake with its SSL, for gw_tls_alert(). */
static void
keep_alert(SSL *ssl, const char *way, const char *alert)
{
	struct refusal *r = refusal_idx >= 0 ? SSL_get_ex_data(ssl, refusal_idx) : NULL;

	if (!r && refusal_idx >= 0 && (r = calloc(1, sizeof *r)) &&
	    !SSL_set_ex_data(ssl, refusal_idx, r)) {
		free(r);
		r = NULL;
	}
	if (r && !r->alert[0])
		snprintf(r->alert, sizeof r->alert, "alert %s: %s", way, alert);
}

/*
 * A fatal alert sent or received before the client's Finished message was
 * read: the handshake failed. (TLS 1.3 sends tickets after the handshake,
 * in an init state of its own, so that SSL_is_init_finished() alone does
 * not tell.)
 */
static void
on_info(const SSL *ssl, int where, int ret)
{
	const struct refusal *r;
	X509 *cert;
	char addr[64], sha256[65] = "", why[128], verify[200] = "", name[32];
	const char *alert;
	unsigned port;

	if (!(where & SSL_CB_ALERT) || (ret >> 8) != SSL3_AL_FATAL || SSL_is_init_finished(ssl) ||
	    SSL_get_peer_finished(ssl, NULL, 0) > 0)
		return;
	alert = alert_name(ret, name, sizeof name);
	keep_alert((SSL *)ssl, where & SSL_CB_WRITE ? "sent" : "received", alert);
	if (!gw_log_address(SSL_get_fd(ssl), false, addr, &port)) {
		snprintf(addr, sizeof addr, "unknown");
		port = 0;
	}
	if (failures && !gw_ratelimit_allow(failures, addr, (int64_t)time(NULL)))
		return;
	r = refusal_idx >= 0 ? SSL_get_ex_data(ssl, refusal_idx) : NULL;
	if (r && r->error != X509_V_OK) {
		snprintf(sha256, sizeof sha256, "%s", r->sha256);
		snprintf(verify, sizeof verify, " verify_error=%s depth=%d",
		         gw_log_quote(X509_verify_cert_error_string(r->error), why, sizeof why),
		         r->depth);
	} else if ((cert = SSL_get0_peer_certificate(ssl))) {
		gw_tls_fingerprint(cert, sha256);
	}
	gw_log(GW_LOG_WARN, "tls_handshake_failed", "address=%s port=%u alert_%s=\"%s\"%s%s%s",
	       addr, port, where & SSL_CB_WRITE ? "sent" : "received", alert,
	       sha256[0] ? " cert_sha256=" : "", sha256, verify);
}

const char *
gw_tls_refused(const SSL *ssl, char sha256[65])
{
	const struct refusal *r = refusal_idx >= 0 ? SSL_get_ex_data(ssl, refusal_idx) : NULL;

	if (!r || r->error == X509_V_OK)
		return NULL;
	snprintf(sha256, 65, "%s", r->sha256);
	return X509_verify_cert_error_string(r->error);
}

const char *
gw_tls_alert(const SSL *ssl)
{
	const struct refusal *r = refusal_idx >= 0 ? SSL_get_ex_data(ssl, refusal_idx) : NULL;

	return r && r->alert[0] ? r->alert : NULL;
}

void
gw_tls_log_suppressed(void)
{
	unsigned long n = failures ? gw_ratelimit_take(failures) : 0;

	if (n)
		gw_log(GW_LOG_WARN, "tls_handshake_failed_suppressed", "count=%lu", n);
}

SSL_CTX *
gw_tls_server_ctx(const struct gw_config *c, char *err, size_t errlen)
{
	static const unsigned char sid[] = "ijw-gateway";
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) * names;
	char why[256];

	if (!ctx) {
		snprintf(err, errlen, "cannot make a TLS context: %s",
		         gw_tls_error(why, sizeof why));
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, GW_TLS_CIPHERS_12) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, GW_TLS_CIPHERS_13) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, GW_TLS_GROUPS) != 1) {
		snprintf(err, errlen, "cannot set the TLS policy: %s",
		         gw_tls_error(why, sizeof why));
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	                                 SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_session_id_context(ctx, sid, sizeof sid - 1);
	if (SSL_CTX_use_certificate_chain_file(ctx, c->certificate) != 1) {
		snprintf(err, errlen, "%s: %s", c->certificate, gw_tls_error(why, sizeof why));
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->private_key, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "%s: %s", c->private_key, gw_tls_error(why, sizeof why));
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "%s does not belong to %s", c->private_key, c->certificate);
		goto fail;
	}
	if (SSL_CTX_load_verify_locations(ctx, c->client_ca, NULL) != 1 ||
	    !(names = SSL_load_client_CA_file(c->client_ca))) {
		snprintf(err, errlen, "%s: %s", c->client_ca, gw_tls_error(why, sizeof why));
		goto fail;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	if (c->client_crl[0] && !load_crls(ctx, c->client_crl, err, errlen))
		goto fail;
	pthread_once(&once, init_once);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, on_verify);
	SSL_CTX_set_info_callback(ctx, on_info);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static time_t
time_of(const ASN1_TIME *t)
{
	struct tm tm;

	return t && ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : 0;
}

size_t
gw_tls_crls(SSL_CTX *ctx, struct gw_tls_crl *out, size_t max)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
	size_t n = 0;

	for (int i = 0; i < sk_X509_OBJECT_num(objs); i++) {
		X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, i));
		STACK_OF(X509_REVOKED) * rev;
		BIO *b;

		if (!crl)
			continue;
		if (n < max) {
			struct gw_tls_crl *it = &out[n];

			it->issuer[0] = '\0';
			if ((b = BIO_new(BIO_s_mem()))) {
				int got = X509_NAME_print_ex(b, X509_CRL_get_issuer(crl), 0,
				                             XN_FLAG_RFC2253) > 0
				                  ? BIO_read(b, it->issuer, sizeof it->issuer - 1)
				                  : 0;

				it->issuer[got > 0 ? got : 0] = '\0';
				BIO_free(b);
			}
			it->next_update = time_of(X509_CRL_get0_nextUpdate(crl));
			rev = X509_CRL_get_REVOKED(crl);
			it->revoked = rev ? sk_X509_REVOKED_num(rev) : 0;
		}
		n++;
	}
	return n;
}

bool
gw_tls_crl_check_all(SSL_CTX *ctx)
{
	X509_VERIFY_PARAM *param = X509_STORE_get0_param(SSL_CTX_get_cert_store(ctx));

	return (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_CRL_CHECK_ALL) != 0;
}

void
gw_tls_fingerprint(X509 *cert, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	out[0] = '\0';
	if (X509_digest(cert, EVP_sha256(), md, &n) != 1)
		return;
	ijw_hex(md, n < 32 ? n : 32, out);
}

/*
 * The one entry nid of the subject as text in buf. Empty when there is none,
 * more than one (which would be ambiguous) or one with a NUL byte in it
 * (which would compare equal to its first part).
 */
static void
subject_entry(X509_NAME *subject, int nid, char *buf, size_t size)
{
	int at = subject ? X509_NAME_get_index_by_NID(subject, nid, -1) : -1;
	const ASN1_STRING *data;
	int len;

	buf[0] = '\0';
	if (at < 0 || X509_NAME_get_index_by_NID(subject, nid, at) >= 0)
		return;
	data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
	len = ASN1_STRING_length(data);
	if (len <= 0 || (size_t)len >= size || memchr(ASN1_STRING_get0_data(data), 0, (size_t)len))
		return;
	memcpy(buf, ASN1_STRING_get0_data(data), (size_t)len);
	buf[len] = '\0';
}

const struct gw_party *
gw_tls_party(const struct gw_config *c, X509 *cert)
{
	X509_NAME *subject = X509_get_subject_name(cert);
	char cn[256], serial[256], fp[65];

	subject_entry(subject, NID_commonName, cn, sizeof cn);
	subject_entry(subject, NID_serialNumber, serial, sizeof serial);
	gw_tls_fingerprint(cert, fp);
	for (size_t i = 0; i < c->nparties; i++) {
		const struct gw_party *p = &c->parties[i];
		const char *have = p->match == GW_MATCH_CN       ? cn
		                   : p->match == GW_MATCH_SERIAL ? serial
		                                                 : fp;

		for (size_t j = 0; have[0] && j < p->ncert_ids; j++)
			if (strcmp(p->cert_ids[j], have) == 0)
				return p;
	}
	return NULL;
}
