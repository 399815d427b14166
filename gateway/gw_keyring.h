/*
 * gw_keyring.h: the secrets the store keeps at rest with, read from key files.
 *
 * A key file holds one or more lines of 64 hex digits, 32 bytes each
 * (`openssl rand -hex 32`). The ledger's key file holds one; the store's
 * key file (store_key) holds the key that seals new message bodies on its
 * first line and older keys, still opened with, on the lines after it.
 *
 * A keyring seals bytes with AES-256-GCM under its current key, with a fresh
 * random 96-bit nonce each time: nonce, ciphertext and the 128-bit tag, in
 * that order. Each key is known by its id, the first 8 bytes of the SHA-256
 * of the key in hex, which is stored beside what it sealed. A keyring may be
 * shared by the threads of a process: every call takes its lock.
 */
#ifndef GW_KEYRING_H
#define GW_KEYRING_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_buf.h"

#define GW_KEY_BYTES 32
#define GW_KEY_ID_SIZE 17   /* 16 hex digits and NUL */
#define GW_KEYRING_MAX 16   /* keys in one file at the most */
#define GW_SEAL_OVERHEAD 28 /* nonce and tag: what sealing adds to the bytes */

typedef struct gw_keyring gw_keyring;

/*
 * Reads the keys of the file path into keys, at most max of them; what names
 * the setting in errors ("ledger_key"). The number of keys read, or -1 with
 * the reason in err (a file with no key, with a line that is not one, or
 * with more than max).
 */
int gw_key_file_read(const char *path, const char *what, unsigned char (*keys)[GW_KEY_BYTES],
                     size_t max, char *err, size_t errlen);

/* A keyring without keys: it seals nothing. NULL when memory is out. */
gw_keyring *gw_keyring_new(void);
void gw_keyring_free(gw_keyring *k);

/*
 * Reads the keys of the file path (store_key): path "" for none. The ring
 * remembers path for gw_keyring_reload(). On failure, -1 with the reason in
 * err, and the ring keeps the keys it had.
 */
int gw_keyring_load(gw_keyring *k, const char *path, char *err, size_t errlen);
/* Reads the file of the last load again. */
int gw_keyring_reload(gw_keyring *k, char *err, size_t errlen);

/* The id of the key that seals into id; false when the ring has none. */
bool gw_keyring_current(gw_keyring *k, char id[GW_KEY_ID_SIZE]);

/*
 * Seals len bytes of data under key id (gw_keyring_current() names the one
 * to seal with), binding aad (which is not stored: the opener gives it
 * again), and appends them to out. -1 with the reason in err.
 */
int gw_keyring_seal(gw_keyring *k, const char *id, const void *data, size_t len, const void *aad,
                    size_t aadlen, struct ijw_buf *out, char *err, size_t errlen);
/*
 * Opens len bytes that gw_keyring_seal() sealed under key id with aad,
 * appending what was sealed to out. A key the ring does not hold makes it
 * read its file again, once, before it fails. -1 with the reason in err
 * when the key is unknown or the bytes do not authenticate (changed, or
 * sealed with another aad): nothing is appended then.
 */
int gw_keyring_open(gw_keyring *k, const char *id, const void *data, size_t len, const void *aad,
                    size_t aadlen, struct ijw_buf *out, char *err, size_t errlen);

#endif
