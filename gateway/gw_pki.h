/*
 * gw_pki.h: a development PKI and a gateway configuration on loopback, and
 * the CRL of its CA.
 *
 * gw_pki_init() writes into one folder everything a development gateway on
 * 127.0.0.1 needs to run with mutual TLS:
 *
 *	ca.pem, ca.key                  a self-signed CA (EC P-256, SHA-256, 10 years),
 *	                                "ijw-gateway development CA"
 *	server.pem, server.key          the gateway's server certificate: CN=localhost,
 *	                                DNS:localhost, IP:127.0.0.1, IP:::1, serverAuth
 *	gateway-client.pem, .key        the gateway's client certificate for pushing to
 *	                                parties: CN=ijw-gateway, clientAuth
 *	admin.pem, admin.key            the operators' client certificate for the admin
 *	                                listener with admin_tls: CN=admin, clientAuth
 *	admin.token                     the operators' token (256 random bits in hex, 0600)
 *	CODE.pem, CODE.key              per party a client certificate: CN=CODE,
 *	                                serialNumber=CODE, O=gemeente or aanbieder, clientAuth
 *	CODE-push.pem, CODE-push.key    per party with delivery push the server certificate
 *	                                of its push endpoint: CN and subjectAltName the host
 *	                                of its push URL (DNS or IP), serverAuth
 *	gateway.ini                     the configuration `ijw-gateway serve -c` runs as it is
 *	client-CODE.ini                 per party its client's file (gw_client.h): the
 *	                                gateway at https://localhost:PORT, ca.pem, CODE.pem
 *	                                and CODE.key
 *
 * The leaf certificates are issued by the CA and valid for 2 years. Serial
 * numbers are random, 128 bits, positive. Private keys (PKCS#8 PEM, not
 * encrypted) get mode 0600, the other files 0644.
 *
 * Everything is made in memory first; then, unless force is set, no file is
 * written at all when any of them exists already. Nothing is printed: errors
 * come back as a result code and a message in the caller's buffer.
 *
 * gw_pki_add() adds parties to such a folder later: their files, issued by
 * its ca.pem and ca.key (which stay as they are), and their sections at the
 * end of its gateway.ini.
 */
#ifndef GW_PKI_H
#define GW_PKI_H

#include <stdbool.h>
#include <stddef.h>

typedef enum gw_pki_rc {
	GW_PKI_OK = 0,
	GW_PKI_EINVAL, /* an option is out of its domain: a party, the port, the folder */
	GW_PKI_EEXIST, /* a file to write exists and force is off; nothing was written */
	GW_PKI_EIO,    /* the folder or a file could not be made or written */
	GW_PKI_ENOMEM, /* an allocation failed */
	GW_PKI_ECRYPTO /* OpenSSL could not make a key or a certificate */
} gw_pki_rc;

/* The port of the configuration when the command line names none. */
#define GW_PKI_DEFAULT_PORT 8443u

/* A size for the error buffer that holds every message of gw_pki_init and gw_pki_add. */
#define GW_PKI_ERRSIZE 1536

/* A party to make, and its settings in gateway.ini. Borrowed, not kept. */
struct gw_pki_party {
	/* "gemeente:CODE" (a 4-digit gemeentecode) or "aanbieder:CODE" (an 8-digit AGB code) */
	const char *spec;
	/* "relay" or "auto"; NULL: relay for a gemeente, auto for an aanbieder */
	const char *retour;
	/* "inbox" or "push"; NULL: inbox */
	const char *delivery;
	/*
	 * With delivery push, and only then: https://HOST[:PORT][/PATH], HOST a
	 * DNS name, an IPv4 address or an IPv6 one in brackets; at most
	 * GW_PKI_URL_MAX characters, none of them white space.
	 */
	const char *push_url;
};

/* The longest push URL: its line in gateway.ini stays within inih's line. */
#define GW_PKI_URL_MAX 180

struct gw_pki_opts {
	/* The folder to write into; made with its parents (mkdir -p) when absent. */
	const char *dir;
	/*
	 * The parties: at least one, no code twice. The configuration lists
	 * them in this order. Borrowed, not kept.
	 */
	const struct gw_pki_party *parties;
	size_t nparties;
	/* The port the configuration listens on, 0 to 65535 (0: a free port); not for gw_pki_add.
	 */
	unsigned port;
	/* Overwrite files that exist instead of refusing; not for gw_pki_add. */
	bool force;
	/*
	 * Called after each file is written with its path (dir, "/", the file's
	 * name); the string is valid during the call only. May be NULL.
	 */
	void (*wrote)(const char *path, void *arg);
	void *wrote_arg;
};

/*
 * Writes the PKI and the configuration described by o into o->dir. On
 * failure returns the reason and puts a message that names the party or
 * file concerned (and OpenSSL's own error, if any) into err, which has
 * errsize bytes (GW_PKI_ERRSIZE is enough); err is untouched on success.
 * When writing fails halfway, the files this call wrote are removed again.
 */
gw_pki_rc gw_pki_init(const struct gw_pki_opts *o, char *err, size_t errsize);

/*
 * Adds the parties of o to the folder o->dir of gw_pki_init: their
 * certificates, issued by its ca.pem with ca.key (both left as they are),
 * their client files (the port is gateway.ini's), and their sections
 * appended to gateway.ini, whose text before them is kept as it is. o->port
 * and o->force are not used. Refuses, writing nothing, when gateway.ini
 * does not load, names a party already or when a file to write exists
 * (GW_PKI_EEXIST). wrote is called for each new file, then for gateway.ini.
 * When writing fails halfway, the new files are removed and gateway.ini is
 * cut back to what it was.
 */
gw_pki_rc gw_pki_add(const struct gw_pki_opts *o, char *err, size_t errsize);

/* The CRL's next update when the command line names none: 30 days. */
#define GW_PKI_CRL_SECONDS (30L * 24 * 60 * 60)

struct gw_pki_revoke_opts {
	/* A folder of gw_pki_init: its ca.pem and ca.key issue the CRL. */
	const char *dir;
	/*
	 * The certificates to revoke, each by the name of its file without
	 * .pem ("0384" for DIR/0384.pem), issued by that CA; may be none.
	 * Borrowed, not kept.
	 */
	const char *const *codes;
	size_t ncodes;
	/* The CRL's nextUpdate, this many seconds from now; 1 or more. */
	long seconds;
	/* Called with the path of the CRL once it is written; may be NULL. */
	void (*wrote)(const char *path, void *arg);
	void *wrote_arg;
};

/*
 * Writes DIR/crl.pem: a CRL (version 2, signed with ca.key, SHA-256) that
 * lists what the CRL there listed before, if any (it must be the CA's), and
 * the certificates of o->codes, revoked now; thisUpdate now, nextUpdate
 * o->seconds later, its CRL number one above the one before (1 for the
 * first). Without codes it issues the same list again with new dates. The
 * new file (mode 0644) replaces the old one by a rename, so that a reader
 * sees one or the other. Errors as gw_pki_init's; nothing is written then.
 */
gw_pki_rc gw_pki_revoke(const struct gw_pki_revoke_opts *o, char *err, size_t errsize);

#endif
