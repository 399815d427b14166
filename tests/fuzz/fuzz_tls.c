/*
 * fuzz_tls.c: libFuzzer target over who a client certificate belongs to.
 * The input is a certificate in DER, as a client presents it; it is parsed
 * by OpenSSL and mapped onto the parties of a fixed configuration, one
 * recognised by its CN, one by its subject serialNumber, one by either of two
 * SHA-256 fingerprints.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "gw_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gw_party parties[] = {
        {.code = "0384",
         .kind = IJW_GEMEENTE,
         .match = GW_MATCH_CN,
         .cert_ids = {"0384"},
         .ncert_ids = 1},
        {.code = "42420001",
         .kind = IJW_AANBIEDER,
         .match = GW_MATCH_SERIAL,
         .cert_ids = {"42420001"},
         .ncert_ids = 1},
        {.code = "0363",
         .kind = IJW_GEMEENTE,
         .match = GW_MATCH_SHA256,
         .cert_ids = {"3fa05c119b2e47d8600cee217b94d318a56f02b94c71e83d952ac6105eb7f409",
                      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
         .ncert_ids = 2},
};

static struct gw_config config = {.parties = parties,
                                  .nparties = sizeof parties / sizeof parties[0]};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	X509 *cert = d2i_X509(NULL, &p, (long)size);
	const struct gw_party *party;
	char fp[65];

	if (!cert) {
		ERR_clear_error();
		return 0;
	}
	gw_tls_fingerprint(cert, fp);
	if (fp[0] && strspn(fp, "0123456789abcdef") != 64)
		abort();
	party = gw_tls_party(&config, cert);
	if (party && (party < parties || party >= parties + config.nparties))
		abort();
	X509_free(cert);
	return 0;
}
