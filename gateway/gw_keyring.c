/*
 * gw_keyring.c: key files, and sealing with AES-256-GCM under their keys.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "gw_keyring.h"
#include "gw_store.h"

#define NONCE_BYTES 12
#define TAG_BYTES 16
#define KEY_HEX (2 * GW_KEY_BYTES)

struct key {
	unsigned char bytes[GW_KEY_BYTES];
	char id[GW_KEY_ID_SIZE];
};

struct gw_keyring {
	pthread_mutex_t mu;
	struct key keys[GW_KEYRING_MAX]; /* keys[0] seals */
	size_t n;
	char path[1024]; /* the file of the last load, "" for none */
};

/* The hex digit c's value, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One line of KEY_HEX hex digits into key; false when it is not one. */
static bool
parse_key(const char *line, size_t len, unsigned char key[GW_KEY_BYTES])
{
	if (len != KEY_HEX)
		return false;
	for (size_t i = 0; i < GW_KEY_BYTES; i++) {
		int hi = hexval((unsigned char)line[2 * i]),
		    lo = hexval((unsigned char)line[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

int
gw_key_file_read(const char *path, const char *what, unsigned char (*keys)[GW_KEY_BYTES],
                 size_t max, char *err, size_t errlen)
{
	/* a line of a key, its line end and some blanks, per key, and blank lines */
	size_t cap = max * (KEY_HEX + 8) + 256, n, at = 0, line = 0;
	char *text = malloc(cap + 1);
	FILE *f;
	int count = 0;

	if (!text) {
		gw_store_say(err, errlen, "%s %s: out of memory", what, path);
		return -1;
	}
	if (!(f = fopen(path, "re"))) {
		gw_store_say(err, errlen, "%s %s: %s", what, path, strerror(errno));
		free(text);
		return -1;
	}
	n = fread(text, 1, cap + 1, f);
	fclose(f);
	while (count >= 0 && at < n) {
		size_t end = at, len;

		while (end < n && text[end] != '\n')
			end++;
		line++;
		len = end - at;
		while (len && isspace((unsigned char)text[at + len - 1]))
			len--;
		if (len && ((size_t)count == max || n > cap)) {
			gw_store_say(err, errlen, "%s %s: more than %zu key%s", what, path, max,
			             max == 1 ? "" : "s");
			count = -1;
		} else if (len && !parse_key(text + at, len, keys[count])) {
			gw_store_say(
			        err, errlen,
			        "%s %s: line %zu is not a key of 64 hex digits (make one with: "
			        "openssl rand -hex 32 > %s)",
			        what, path, line, path);
			count = -1;
		} else if (len) {
			count++;
		}
		at = end + 1;
	}
	OPENSSL_cleanse(text, cap + 1);
	free(text);
	if (count == 0)
		gw_store_say(err, errlen,
		             "%s %s: not a key of 64 hex digits (make one with: openssl rand -hex "
		             "32 > %s)",
		             what, path, path);
	if (count <= 0)
		OPENSSL_cleanse(keys, max * sizeof *keys);
	return count > 0 ? count : -1;
}

gw_keyring *
gw_keyring_new(void)
{
	gw_keyring *k = calloc(1, sizeof *k);

	if (k && pthread_mutex_init(&k->mu, NULL) != 0) {
		free(k);
		return NULL;
	}
	return k;
}

void
gw_keyring_free(gw_keyring *k)
{
	if (!k)
		return;
	OPENSSL_cleanse(k->keys, sizeof k->keys);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

/* The id of a key: the first 8 bytes of its SHA-256, in hex. */
static void
key_id(const unsigned char key[GW_KEY_BYTES], char id[GW_KEY_ID_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];

	EVP_Digest(key, GW_KEY_BYTES, md, NULL, EVP_sha256(), NULL);
	ijw_hex(md, (GW_KEY_ID_SIZE - 1) / 2, id);
}

int
gw_keyring_load(gw_keyring *k, const char *path, char *err, size_t errlen)
{
	unsigned char keys[GW_KEYRING_MAX][GW_KEY_BYTES];
	int n = 0;

	if (strlen(path) >= sizeof k->path) {
		gw_store_say(err, errlen, "store_key %s: the path is too long", path);
		return -1;
	}
	if (*path &&
	    (n = gw_key_file_read(path, "store_key", keys, GW_KEYRING_MAX, err, errlen)) < 0)
		return -1;
	pthread_mutex_lock(&k->mu);
	OPENSSL_cleanse(k->keys, sizeof k->keys);
	for (int i = 0; i < n; i++) {
		memcpy(k->keys[i].bytes, keys[i], GW_KEY_BYTES);
		key_id(keys[i], k->keys[i].id);
	}
	k->n = (size_t)n;
	memmove(k->path, path, strlen(path) + 1);
	pthread_mutex_unlock(&k->mu);
	OPENSSL_cleanse(keys, sizeof keys);
	return 0;
}

int
gw_keyring_reload(gw_keyring *k, char *err, size_t errlen)
{
	char path[sizeof k->path];

	pthread_mutex_lock(&k->mu);
	memcpy(path, k->path, sizeof path);
	pthread_mutex_unlock(&k->mu);
	return gw_keyring_load(k, path, err, errlen);
}

bool
gw_keyring_current(gw_keyring *k, char id[GW_KEY_ID_SIZE])
{
	bool has;

	pthread_mutex_lock(&k->mu);
	if ((has = k->n > 0))
		memcpy(id, k->keys[0].id, GW_KEY_ID_SIZE);
	pthread_mutex_unlock(&k->mu);
	return has;
}

/* A copy of the key with id into out; false when the ring has none. */
static bool
find(gw_keyring *k, const char *id, struct key *out)
{
	bool found = false;

	pthread_mutex_lock(&k->mu);
	for (size_t i = 0; !found && i < k->n; i++)
		if (strcmp(k->keys[i].id, id) == 0) {
			*out = k->keys[i];
			found = true;
		}
	pthread_mutex_unlock(&k->mu);
	return found;
}

/*
 * AES-256-GCM over len bytes of in into out (as many bytes), with aad; the
 * tag is made into tag when sealing, checked against it when opening.
 */
static bool
gcm(bool seal, const struct key *key, const unsigned char nonce[NONCE_BYTES], const void *in,
    size_t len, const void *aad, size_t aadlen, unsigned char *out, unsigned char tag[TAG_BYTES])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const unsigned char *p = in;
	bool ok = c && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key->bytes, nonce, seal) == 1;
	int n;

	if (ok && aadlen > INT_MAX)
		ok = false;
	if (ok && aadlen)
		ok = EVP_CipherUpdate(c, NULL, &n, aad, (int)aadlen) == 1;
	/* in pieces that an int can count */
	for (size_t at = 0; ok && at < len;) {
		size_t piece = len - at < (1u << 30) ? len - at : (1u << 30);

		ok = EVP_CipherUpdate(c, out + at, &n, p + at, (int)piece) == 1;
		at += piece;
	}
	if (ok && !seal)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1;
	if (ok)
		ok = EVP_CipherFinal_ex(c, out + len, &n) == 1;
	if (ok && seal)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

int
gw_keyring_seal(gw_keyring *k, const char *id, const void *data, size_t len, const void *aad,
                size_t aadlen, struct ijw_buf *out, char *err, size_t errlen)
{
	static const unsigned char room[TAG_BYTES];
	unsigned char nonce[NONCE_BYTES], tag[TAG_BYTES], *sealed;
	size_t start = out->len;
	struct key key;
	bool ok;

	if (!find(k, id, &key)) {
		gw_store_say(err, errlen, "sealing: key %s is no longer in store_key", id);
		return -1;
	}
	/* room for all of it at once; the bytes are written in place after */
	if (len > SIZE_MAX - GW_SEAL_OVERHEAD || RAND_bytes(nonce, sizeof nonce) != 1 ||
	    ijw_buf_add(out, nonce, sizeof nonce) || ijw_buf_add(out, data, len) ||
	    ijw_buf_add(out, room, sizeof room)) {
		OPENSSL_cleanse(&key, sizeof key);
		gw_store_say(err, errlen, "sealing %zu bytes: no random bytes, or no room", len);
		return -1;
	}
	sealed = (unsigned char *)out->data + start + NONCE_BYTES;
	ok = gcm(true, &key, nonce, data, len, aad, aadlen, sealed, tag);
	memcpy(sealed + len, tag, sizeof tag);
	OPENSSL_cleanse(&key, sizeof key);
	if (!ok) {
		gw_store_say(err, errlen, "sealing %zu bytes: AES-256-GCM failed", len);
		return -1;
	}
	return 0;
}

int
gw_keyring_open(gw_keyring *k, const char *id, const void *data, size_t len, const void *aad,
                size_t aadlen, struct ijw_buf *out, char *err, size_t errlen)
{
	const unsigned char *p = data;
	unsigned char tag[TAG_BYTES];
	size_t start = out->len, plain = len - GW_SEAL_OVERHEAD;
	struct key key;
	bool ok;

	if (len < GW_SEAL_OVERHEAD) {
		gw_store_say(err, errlen, "%zu bytes are too few to be sealed ones", len);
		return -1;
	}
	if (!find(k, id, &key)) {
		char why[512] = "";

		/* a key put into the file after it was read: read it again, once */
		if (gw_keyring_reload(k, why, sizeof why) || !find(k, id, &key)) {
			pthread_mutex_lock(&k->mu);
			if (*why)
				gw_store_say(err, errlen, "key %s: %s", id, why);
			else if (k->path[0])
				gw_store_say(err, errlen, "key %s is not in store_key %s", id,
				             k->path);
			else
				gw_store_say(err, errlen, "key %s: no store_key is set", id);
			pthread_mutex_unlock(&k->mu);
			return -1;
		}
	}
	/* room for what was sealed, written in place */
	if (ijw_buf_add(out, p + NONCE_BYTES, plain)) {
		OPENSSL_cleanse(&key, sizeof key);
		gw_store_say(err, errlen, "opening %zu bytes: out of memory or room", plain);
		return -1;
	}
	memcpy(tag, p + NONCE_BYTES + plain, sizeof tag);
	ok = gcm(false, &key, p, p + NONCE_BYTES, plain, aad, aadlen,
	         (unsigned char *)out->data + start, tag);
	OPENSSL_cleanse(&key, sizeof key);
	if (!ok) {
		OPENSSL_cleanse(out->data + start, plain);
		out->data[start] = '\0';
		out->len = start;
		gw_store_say(err, errlen,
		             "%zu bytes sealed under key %s do not authenticate: changed, or "
		             "moved from elsewhere",
		             plain, id);
		return -1;
	}
	return 0;
}
