/*
 * gw_tls.h: TLS contexts and who a client certificate belongs to.
 */
#ifndef GW_TLS_H
#define GW_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "gw_config.h"

/*
 * The TLS 1.2 cipher suites the gateway speaks: forward secrecy (ECDHE) and
 * authenticated encryption (GCM, ChaCha20-Poly1305) only, best first, after
 * the Dutch NCSC's TLS guidelines ("good"). TLS 1.3's suites all are so
 * already.
 */
#define GW_TLS_CIPHERS_12                                                                          \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"                               \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"                               \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"

/* The TLS 1.3 cipher suites, best first. */
#define GW_TLS_CIPHERS_13                                                                          \
	"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"

/* The groups for the key exchange, best first. */
#define GW_TLS_GROUPS "X25519:X448:secp384r1:secp256r1"

/*
 * A server context for the configuration: TLS 1.3, and TLS 1.2 with
 * GW_TLS_CIPHERS_12 only; the groups GW_TLS_GROUPS; the server's order of
 * preference; no compression and no renegotiation. The server certificate
 * and key, and a client certificate required and verified against
 * client_ca and, with client_crl, its CRLs (see gw_tls_crl_check_all). A CRL
 * file that holds no CRL, or one that does not parse, or a CRL of a CA of
 * client_ca that the CA did not sign, is an error. NULL with the reason in
 * err. Free with SSL_CTX_free.
 */
SSL_CTX *gw_tls_server_ctx(const struct gw_config *c, char *err, size_t errlen);

/*
 * A failed handshake of a connection with a context of gw_tls_server_ctx
 * (a fatal TLS alert sent or received before it is done) is logged as
 * tls_handshake_failed with the peer's address and port, the alert, and,
 * when the client presented a certificate, its SHA-256 fingerprint; when
 * the certificate was refused, the verification error and the depth in the
 * chain of the certificate that failed. At most one line per address per
 * 10 seconds and 20 lines a second in all; the ones held back are counted,
 * and gw_tls_log_suppressed() logs how many since its last call. For the
 * thread of the event loop.
 */
void gw_tls_log_suppressed(void);

/*
 * Why the handshake on ssl refused the client's certificate: the
 * verification error as text, and the certificate's SHA-256 fingerprint in
 * sha256; NULL when it refused none.
 */
const char *gw_tls_refused(const SSL *ssl, char sha256[65]);

/*
 * The fatal alert that ended the handshake on ssl ("alert sent: certificate
 * required"), whether or not it was logged; NULL when none came.
 */
const char *gw_tls_alert(const SSL *ssl);

/* A CRL a server context checks client certificates against. */
struct gw_tls_crl {
	char issuer[256];   /* its issuer, one line (RFC 2253) */
	time_t next_update; /* 0 when it names none */
	int revoked;        /* how many certificates it lists */
};

/*
 * The CRLs of ctx (the file client_crl): up to max of them into out, in
 * no particular order; returns how many there are.
 */
size_t gw_tls_crls(SSL_CTX *ctx, struct gw_tls_crl *out, size_t max);

/*
 * Whether ctx checks every certificate of a client's chain against a CRL,
 * and not the client's own certificate alone: when client_crl holds a CRL of
 * every CA certificate in client_ca.
 */
bool gw_tls_crl_check_all(SSL_CTX *ctx);

/* The SHA-256 fingerprint of cert in lowercase hex (65 bytes with the NUL). */
void gw_tls_fingerprint(X509 *cert, char out[65]);

/*
 * The party of c whose certificate setting cert fulfils, or NULL. The
 * certificate has been verified against client_ca by the handshake.
 */
const struct gw_party *gw_tls_party(const struct gw_config *c, X509 *cert);

/* The last OpenSSL error as text, in buf; returns buf. */
const char *gw_tls_error(char *buf, size_t size);

#endif
