/*
 * gw_config.h: the gateway's configuration file.
 *
 * An INI file with one [gateway] section and a [party CODE] section per
 * party. One table in gw_config.c declares every setting: its section, name,
 * kind, default and limits, and a line of documentation; the table drives
 * parsing, defaults, checking and `ijw-gateway serve --settings`. Paths are
 * taken relative to the folder of the file. Errors are reported as
 * "FILE:LINE: what is wrong".
 */
#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ijw_products.h"
#include "ijw_registry.h"

/* How a party's client certificate is recognised. */
enum gw_match { GW_MATCH_CN, GW_MATCH_SERIAL, GW_MATCH_SHA256 };
enum gw_delivery { GW_DELIVERY_INBOX, GW_DELIVERY_PUSH };
enum gw_retour { GW_RETOUR_RELAY, GW_RETOUR_AUTO };
/* The product codes a party reads and writes: any, national ones, or the region's. */
enum gw_codes { GW_CODES_BOTH, GW_CODES_LEGACY, GW_CODES_PROFILE };
/* What a finding of the cross-message rules does to a message for the party. */
enum gw_cross { GW_CROSS_DEFAULT, GW_CROSS_OFF, GW_CROSS_ADVISE, GW_CROSS_ENFORCE };

#define GW_PATH_MAX 1024
/* The most certificates a party may be recognised by (certificate rollover). */
#define GW_CERT_IDS_MAX 8

struct gw_party {
	char code[9]; /* 4-digit gemeentecode or 8-digit AGB code */
	enum ijw_party kind;
	char name[128];
	enum gw_match match;
	/*
	 * The CNs, the subject serialNumbers, or the SHA-256 fingerprints (64
	 * lowercase hex digits) that name the party: any one of them does.
	 */
	char cert_ids[GW_CERT_IDS_MAX][128];
	size_t ncert_ids; /* 1 or more after loading */
	enum gw_delivery delivery;
	char push_url[GW_PATH_MAX];
	int push_ocsp; /* 1: the push_url's server must staple a good OCSP answer */
	enum gw_retour retour;
	enum gw_codes product_codes;
	/* for messages to the party; after loading never GW_CROSS_DEFAULT */
	enum gw_cross cross_checks;
	unsigned line; /* where its section starts */
};

struct gw_config {
	char file[GW_PATH_MAX]; /* the configuration file itself */
	char listen[64];
	unsigned port;
	/* the admin listener (gw_admin.h): "off" for none */
	char admin_listen[64];
	unsigned admin_port;
	char admin_token_file[GW_PATH_MAX];    /* the operators' token, "" for none */
	int admin_tls;                         /* 1: TLS, and admin client certificates */
	char admin_certificates[1024];         /* SHA-256 fingerprints, comma-separated */
	char admin_certs[GW_CERT_IDS_MAX][65]; /* the same as 64 lowercase hex digits each */
	size_t nadmin_certs;
	char certificate[GW_PATH_MAX], private_key[GW_PATH_MAX], client_ca[GW_PATH_MAX];
	char client_crl[GW_PATH_MAX]; /* CRLs of client_ca's CAs, "" for none */
	char store[GW_PATH_MAX];      /* as written: resolved by the store */
	char instance[64];            /* this gateway among those sharing a store */
	char ledger_key[GW_PATH_MAX]; /* the ledger's secret, "" for no ledger */
	char store_key[GW_PATH_MAX];  /* the keys of message bodies at rest, "" for plain */
	char base_dir[GW_PATH_MAX];
	unsigned long max_message_bytes;
	/* the connection guard (gw_guard.h) */
	unsigned long max_connections, max_connections_per_address, header_timeout, min_body_rate;
	unsigned long max_requests_in_flight, max_bytes_in_flight, rate_limit, rate_burst;
	int log_level;  /* enum gw_log_level */
	int log_format; /* enum gw_log_format */
	char push_certificate[GW_PATH_MAX], push_private_key[GW_PATH_MAX], push_ca[GW_PATH_MAX];
	unsigned long retry_initial, retry_max, give_up_after; /* seconds */
	unsigned long min_attempts;                            /* before giving up */
	unsigned long push_timeout;                            /* seconds per attempt */
	/* failures in a row that pause a receiver's pushes, and for how many seconds */
	unsigned long push_breaker_failures, push_breaker_seconds;
	unsigned long batch_max;         /* messages per store transaction at the most */
	unsigned long workers;           /* judging threads (gw_judges.h) */
	unsigned long retention_days;    /* message bytes kept this long once handled, 0: ever */
	char products_file[GW_PATH_MAX]; /* as written: "", "built-in" or a file */
	char products_path[GW_PATH_MAX]; /* the same, a file's path resolved; "" for none */
	ijw_products *products;          /* the region's product table, or NULL */
	struct gw_party *parties;
	size_t nparties;
	unsigned holders; /* gw_config_hold() */
};

#define GW_WORKERS_MAX 256

/*
 * Reads and checks the file. On success *out is a new configuration (free
 * with gw_config_free) and true is returned; else false with the first
 * problem as "FILE:LINE: what is wrong" in err.
 */
bool gw_config_load(const char *file, struct gw_config **out, char *err, size_t errlen);
/*
 * Another holder of c, which gw_config_free() frees only once every holder
 * has let go of it: a task of a judging thread holds the configuration of
 * its time, whatever a reload does meanwhile. Returns c. Not atomic: hold
 * and free from one thread.
 */
struct gw_config *gw_config_hold(struct gw_config *c);
/* Lets go of c: frees it when its last holder lets go. */
void gw_config_free(struct gw_config *c);

/* The party with this code, or NULL. */
const struct gw_party *gw_config_party(const struct gw_config *c, const char *code);

/* Writes the settings, their defaults and what they mean, for --settings. */
void gw_config_describe(FILE *out);

#endif
