/*
 * fuzz_tls.c: libFuzzer target over who a client certificate belongs to.
 * The input is a certificate in DER, as a client presents it; it is parsed
 * by OpenSSL and mapped onto the parties of a fixed configuration, one
 * recognised by its CN, one by its subject serialNumber, one by SHA-256.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "gw_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gw_party parties[] = {
        {.code = "0384", .kind = IJW_GEMEENTE, .match = GW_MATCH_CN, .cert_id = "0384"},
        {.code = "42420001",
         .kind = IJW_AANBIEDER,
         .match = GW_MATCH_SERIAL,
         .cert_id = "42420001"},
        {.code = "0363",
         .kind = IJW_GEMEENTE,
         .match = GW_MATCH_SHA256,
         .cert_id = "3F:A0:5C:11:9B:2E:47:D8:60:0C:EE:21:7B:94:D3:18:"
                    "A5:6F:02:B9:4C:71:E8:3D:95:2A:C6:10:5E:B7:F4:09"},
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
