/*
 * gw_client.h: a party's client of a gateway, over mutual TLS (libcurl).
 *
 * What `send`, `inbox`, `fetch`, `ack`, `status`, `watch`, `replay` and
 * `conform` use to talk to a gateway's party API as one party. A client is
 * described by a small INI file (what `pki init` writes per party as
 * client-CODE.ini):
 *
 *	[client]
 *	url = https://localhost:8443    ; the gateway
 *	cacert = ca.pem                 ; the CAs that verify the gateway's certificate
 *	cert = 0384.pem                 ; the party's client certificate (PEM)
 *	key = 0384.key                  ; its private key (PEM, not encrypted)
 *
 * Paths are relative to the file's folder. Options on the command line
 * (--url, --cacert, --cert, --key) override the file's settings.
 *
 * Nothing here prints: errors come back in the caller's buffer, as
 * "what: why" (a file and line, libcurl's reason, the gateway's answer).
 */
#ifndef GW_CLIENT_H
#define GW_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ijw_buf.h"

/* The most characters of a party code read from a certificate's CN or serialNumber. */
#define GW_CLIENT_PARTY_MAX 64
/* gw_client_post() sends a message this often at most while the gateway answers 503 or 429, */
#define GW_CLIENT_POST_TRIES 4
/* waiting its Retry-After (1 s without one) between tries, but never longer than this (s). */
#define GW_CLIENT_RETRY_MAX 30

struct gw_client_conf {
	char *url, *cacert, *cert, *key; /* owned; NULL when not set */
};

/*
 * Reads the [client] section of file into c, paths made relative to the
 * file's folder; settings already in c (from options) are kept. false with
 * "FILE:LINE: what is wrong" (or "FILE: why" when it cannot be read) in err.
 */
bool gw_client_conf_load(const char *file, struct gw_client_conf *c, char *err, size_t errsize);
/* Sets one setting ("url", "cacert", "cert", "key") to a copy of value; false when out of memory.
 */
bool gw_client_conf_set(struct gw_client_conf *c, const char *name, const char *value);
void gw_client_conf_free(struct gw_client_conf *c);

typedef struct gw_client gw_client;

/*
 * A client for the settings of c (all four are needed: err says which is
 * missing and how to give it). Initialises libcurl (curl_global_init) for as
 * long as the client lives. Loads the certificate and checks that the key is its key; the
 * connection is made on the first request and kept alive. NULL with the
 * reason in err.
 */
gw_client *gw_client_new(const struct gw_client_conf *c, char *err, size_t errsize);
void gw_client_free(gw_client *cl);

/* The party the client's certificate names: its subject CN, else its serialNumber; "" if none. */
const char *gw_client_party(const gw_client *cl);
/* Whether the certificate's subject CN or serialNumber is party (never for ""). */
bool gw_client_names(const gw_client *cl, const char *party);
/* The gateway's URL, without a trailing slash. */
const char *gw_client_url(const gw_client *cl);
/* The last answer's Retry-After in seconds (at most GW_CLIENT_RETRY_MAX), 0 without one. */
long gw_client_retry_after(const gw_client *cl);

/*
 * One request: method ("GET", "POST") to the gateway's url + path (path
 * begins with '/', its query included), with body (NULL: none) of
 * content_type. On true *status is the HTTP status and answer (cleared
 * first) holds the answer's body. false when no answer came (connection,
 * TLS, timeout, an answer larger than answer's cap), with "URL: why" in err.
 */
bool gw_client_request(gw_client *cl, const char *method, const char *path, const void *body,
                       size_t len, const char *content_type, long *status, struct ijw_buf *answer,
                       char *err, size_t errsize);

/*
 * The same for an answer that is JSON (up to 4 MiB), with a body that is an
 * iJw message (application/xml): *json is the parsed object (the caller
 * json_decref()s it), or NULL when the answer is not a JSON object.
 */
bool gw_client_json(gw_client *cl, const char *method, const char *path, const void *body,
                    size_t len, long *status, json_t **json, char *err, size_t errsize);

/*
 * POST /v1/berichten with an iJw message: the gateway's verdict as *status
 * and *json. A 503 or 429 is sent again, see GW_CLIENT_POST_TRIES.
 */
bool gw_client_post(gw_client *cl, const void *xml, size_t len, long *status, json_t **json,
                    char *err, size_t errsize);

#endif
