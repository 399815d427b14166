/*
 * gw_tls.c: server contexts and certificate matching.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "gw_tls.h"

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
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void
gw_tls_fingerprint(X509 *cert, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	out[0] = '\0';
	if (X509_digest(cert, EVP_sha256(), md, &n) != 1)
		return;
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Compares hex fingerprints, ignoring case and colons. */
static bool
same_fingerprint(const char *want, const char *hex)
{
	for (; *want; want++) {
		if (*want == ':')
			continue;
		if (!*hex || tolower((unsigned char)*want) != *hex)
			return false;
		hex++;
	}
	return *hex == '\0';
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

		switch (p->match) {
		case GW_MATCH_CN:
			if (cn[0] && strcmp(p->cert_id, cn) == 0)
				return p;
			break;
		case GW_MATCH_SERIAL:
			if (serial[0] && strcmp(p->cert_id, serial) == 0)
				return p;
			break;
		case GW_MATCH_SHA256:
			if (fp[0] && same_fingerprint(p->cert_id, fp))
				return p;
			break;
		}
	}
	return NULL;
}
