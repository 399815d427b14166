/*
 * gw_client.c: a party's client of a gateway: its INI file, its certificate
 * and key, and one libcurl handle kept alive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <ini.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gw_client.h"

#define CONNECT_TIMEOUT 10L  /* seconds */
#define REQUEST_TIMEOUT 600L /* seconds, for a message of 32 MiB */
#define ANSWER_JSON_MAX (4u << 20)
#define URL_MAX 4096

struct gw_client {
	char *url; /* without a trailing slash */
	char *cacert, *cert, *key;
	char cn[GW_CLIENT_PARTY_MAX], serial[GW_CLIENT_PARTY_MAX];
	CURL *curl; /* made on the first request, kept so that its connection is kept alive */
	long retry_after;
	char curl_error[CURL_ERROR_SIZE];
};

/* ---- the client file ---- */

static const char *const settings[] = {"url", "cacert", "cert", "key"};

#define NSETTINGS (sizeof settings / sizeof settings[0])

/* The setting's index in settings[], NSETTINGS when name is none. */
static size_t
setting_index(const char *name)
{
	size_t i = 0;

	while (i < NSETTINGS && strcmp(name, settings[i]) != 0)
		i++;
	return i;
}

/* Where c holds setting i. */
static char **
setting(struct gw_client_conf *c, size_t i)
{
	return i == 0 ? &c->url : i == 1 ? &c->cacert : i == 2 ? &c->cert : &c->key;
}

bool
gw_client_conf_set(struct gw_client_conf *c, const char *name, const char *value)
{
	size_t i = setting_index(name);
	char **slot, *copy;

	if (i == NSETTINGS || !(copy = strdup(value)))
		return false;
	slot = setting(c, i);
	free(*slot);
	*slot = copy;
	return true;
}

void
gw_client_conf_free(struct gw_client_conf *c)
{
	free(c->url);
	free(c->cacert);
	free(c->cert);
	free(c->key);
	memset(c, 0, sizeof *c);
}

struct reading {
	const char *file;
	FILE *f;
	unsigned line;
	bool client_seen;
	struct gw_client_conf *c;
	bool from_file[NSETTINGS]; /* which settings this file gave, to find one given twice */
	char *err;
	size_t errsize;
};

static int
problem(struct reading *r, const char *what, const char *name)
{
	if (!r->err[0])
		snprintf(r->err, r->errsize, "%s:%u: %s%s", r->file, r->line, what, name);
	return 0;
}

static char *
read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	char *s = fgets(str, num, r->f);

	if (s)
		r->line++;
	return s;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;
	const char *dir_end = strrchr(r->file, '/');
	char **slot;
	size_t i;

	if (strcmp(section, "client") != 0)
		return problem(r, "a client file has only a [client] section, not ", section);
	r->client_seen = true;
	if (!name)
		return 1;
	if ((i = setting_index(name)) == NSETTINGS)
		return problem(r, "unknown setting (url, cacert, cert, key): ", name);
	slot = setting(r->c, i);
	if (!value[0])
		return problem(r, "an empty value: ", name);
	if (r->from_file[i])
		return problem(r, "given twice: ", name);
	r->from_file[i] = true;
	if (*slot)
		return 1; /* an option overrides the file */
	if (i == 0 || value[0] == '/' || !dir_end) {
		*slot = strdup(value);
	} else {
		size_t n = (size_t)(dir_end - r->file) + 1 + strlen(value) + 1;

		if ((*slot = malloc(n)))
			snprintf(*slot, n, "%.*s/%s", (int)(dir_end - r->file), r->file, value);
	}
	return *slot ? 1 : problem(r, "out of memory", "");
}

bool
gw_client_conf_load(const char *file, struct gw_client_conf *c, char *err, size_t errsize)
{
	struct reading r = {.file = file, .c = c, .err = err, .errsize = errsize};
	int rc;

	err[0] = '\0';
	if (!(r.f = fopen(file, "r"))) {
		snprintf(err, errsize, "%s: %s", file, strerror(errno));
		return false;
	}
	rc = ini_parse_stream(read_line, &r, on_entry, &r);
	fclose(r.f);
	if (rc > 0 && !err[0])
		snprintf(err, errsize, "%s:%d: not a line of an INI file", file, rc);
	else if (rc < 0 && !err[0])
		snprintf(err, errsize, "%s: cannot be read", file);
	else if (!err[0] && !r.client_seen)
		snprintf(err, errsize, "%s: there is no [client] section", file);
	return !err[0];
}

/* ---- the certificate and its key ---- */

static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* The first entry nid of name when it is text that can name a party, else "". */
static void
name_text(const X509_NAME *name, int nid, char out[GW_CLIENT_PARTY_MAX])
{
	int n = X509_NAME_get_text_by_NID(name, nid, NULL, 0);

	out[0] = '\0';
	if (n <= 0 || n >= GW_CLIENT_PARTY_MAX)
		return;
	if (X509_NAME_get_text_by_NID(name, nid, out, GW_CLIENT_PARTY_MAX) != n ||
	    strlen(out) != (size_t)n)
		out[0] = '\0';
}

/* Reads the names of the client's certificate and checks its key; false with the reason in err. */
static bool
ident_load(gw_client *cl, char *err, size_t errsize)
{
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	bool ok = false;
	FILE *fp;

	if (!(fp = fopen(cl->cert, "r"))) {
		snprintf(err, errsize, "%s: %s", cl->cert, strerror(errno));
		return false;
	}
	x = PEM_read_X509(fp, NULL, no_passphrase, NULL);
	fclose(fp);
	if (!x) {
		snprintf(err, errsize, "%s: not a PEM certificate", cl->cert);
		goto out;
	}
	name_text(X509_get_subject_name(x), NID_commonName, cl->cn);
	name_text(X509_get_subject_name(x), NID_serialNumber, cl->serial);
	if (!(fp = fopen(cl->key, "r"))) {
		snprintf(err, errsize, "%s: %s", cl->key, strerror(errno));
		goto out;
	}
	k = PEM_read_PrivateKey(fp, NULL, no_passphrase, NULL);
	fclose(fp);
	if (!k)
		snprintf(err, errsize, "%s: not a PEM private key (or one encrypted)", cl->key);
	else if (X509_check_private_key(x, k) != 1)
		snprintf(err, errsize, "%s is not the key of %s", cl->key, cl->cert);
	else
		ok = true;
out:
	ERR_clear_error();
	EVP_PKEY_free(k);
	X509_free(x);
	return ok;
}

/* ---- the client ---- */

gw_client *
gw_client_new(const struct gw_client_conf *c, char *err, size_t errsize)
{
	static const char *const what[] = {
	        "the gateway's URL", "the CA certificates that verify the gateway",
	        "the client certificate", "the client certificate's private key"};
	const char *const values[] = {c->url, c->cacert, c->cert, c->key};
	gw_client *cl;
	size_t len;

	for (size_t i = 0; i < NSETTINGS; i++)
		if (!values[i] || !values[i][0]) {
			snprintf(err, errsize,
			         "%s is not set: give --%s or %s = in the [client] section of the "
			         "client file (-c FILE or $IJW_CLIENT)",
			         what[i], settings[i], settings[i]);
			return NULL;
		}
	if (strncasecmp(c->url, "https://", strlen("https://")) != 0) {
		snprintf(err, errsize, "the gateway's URL must begin with https://, not '%s'",
		         c->url);
		return NULL;
	}
	if (access(c->cacert, R_OK) != 0) {
		snprintf(err, errsize, "%s: %s", c->cacert, strerror(errno));
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsize, "libcurl cannot be initialised");
		return NULL;
	}
	if (!(cl = calloc(1, sizeof *cl))) {
		snprintf(err, errsize, "out of memory");
		curl_global_cleanup();
		return NULL;
	}
	for (len = strlen(c->url); len > strlen("https://") && c->url[len - 1] == '/';)
		len--;
	if (!(cl->url = strndup(c->url, len)) || !(cl->cacert = strdup(c->cacert)) ||
	    !(cl->cert = strdup(c->cert)) || !(cl->key = strdup(c->key))) {
		snprintf(err, errsize, "out of memory");
		gw_client_free(cl);
		return NULL;
	}
	if (!ident_load(cl, err, errsize)) {
		gw_client_free(cl);
		return NULL;
	}
	return cl;
}

void
gw_client_free(gw_client *cl)
{
	if (!cl)
		return;
	curl_easy_cleanup(cl->curl);
	free(cl->url);
	free(cl->cacert);
	free(cl->cert);
	free(cl->key);
	free(cl);
	curl_global_cleanup();
}

const char *
gw_client_party(const gw_client *cl)
{
	return cl->cn[0] ? cl->cn : cl->serial;
}

bool
gw_client_names(const gw_client *cl, const char *party)
{
	return party[0] && (strcmp(cl->cn, party) == 0 || strcmp(cl->serial, party) == 0);
}

const char *
gw_client_url(const gw_client *cl)
{
	return cl->url;
}

long
gw_client_retry_after(const gw_client *cl)
{
	return cl->retry_after;
}

static size_t
on_reply(char *p, size_t size, size_t n, void *ctx)
{
	return ijw_buf_add(ctx, p, size * n) ? 0 : size * n;
}

/* The connection handle, made the first time; false with the reason in err. */
static bool
handle(gw_client *cl, char *err, size_t errsize)
{
	CURL *c;
	CURLcode rc;

	if (cl->curl)
		return true;
	if (!(c = curl_easy_init())) {
		snprintf(err, errsize, "libcurl: out of memory");
		return false;
	}
	/* clang-format off */
	if ((rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https")) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSLCERT, cl->cert)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM")) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSLKEY, cl->key)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM")) ||
	    (rc = curl_easy_setopt(c, CURLOPT_CAINFO, cl->cacert)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_CAPATH, NULL)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_USERAGENT, "ijw-gateway")) ||
	    (rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cl->curl_error)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_TIMEOUT, REQUEST_TIMEOUT))) {
		/* clang-format on */
		snprintf(err, errsize, "libcurl: %s", curl_easy_strerror(rc));
		curl_easy_cleanup(c);
		return false;
	}
	cl->curl = c;
	return true;
}

/* Why a request got no answer: "URL: why". */
static void
no_answer(const gw_client *cl, const char *url, CURLcode rc, const struct ijw_buf *answer,
          char *err, size_t errsize)
{
	const char *why = cl->curl_error[0] ? cl->curl_error : curl_easy_strerror(rc);

	if (rc == CURLE_WRITE_ERROR)
		snprintf(err, errsize, "%s: an answer larger than %zu bytes", url, answer->max);
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		snprintf(err, errsize,
		         "%s: the gateway's TLS certificate does not verify with %s: %s", url,
		         cl->cacert, why);
	else if (rc == CURLE_SSL_CERTPROBLEM)
		snprintf(err, errsize, "%s: the client certificate %s cannot be used: %s", url,
		         cl->cert, why);
	else if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR)
		snprintf(err, errsize, "%s: the TLS connection failed (is %s a client of it?): %s",
		         url, cl->cert, why);
	else
		snprintf(err, errsize, "%s: %s", url, why);
}

bool
gw_client_request(gw_client *cl, const char *method, const char *path, const void *body, size_t len,
                  const char *content_type, long *status, struct ijw_buf *answer, char *err,
                  size_t errsize)
{
	bool post = strcmp(method, "POST") == 0;
	struct curl_slist *headers, *typed = NULL;
	char url[URL_MAX], type[256];
	curl_off_t after = 0;
	CURLcode rc;

	*status = 0;
	cl->retry_after = 0;
	ijw_buf_reset(answer);
	snprintf(url, sizeof url, "%s%s", cl->url, path);
	snprintf(type, sizeof type, "Content-Type: %s", content_type ? content_type : "");
	if (!handle(cl, err, errsize))
		return false;
	/* No "Expect: 100-continue" for a large message: the gateway reads every one. */
	if ((headers = curl_slist_append(NULL, "Expect:")) && body && content_type)
		typed = curl_slist_append(headers, type);
	if (!headers || (body && content_type && !typed)) {
		curl_slist_free_all(headers);
		snprintf(err, errsize, "out of memory");
		return false;
	}
	cl->curl_error[0] = '\0';
	/* clang-format off */
	if ((rc = curl_easy_setopt(cl->curl, CURLOPT_URL, url)) ||
	    (rc = curl_easy_setopt(cl->curl, CURLOPT_HTTPHEADER, headers)) ||
	    (rc = curl_easy_setopt(cl->curl, CURLOPT_WRITEDATA, answer)) ||
	    (rc = post ? curl_easy_setopt(cl->curl, CURLOPT_POST, 1L)
	               : curl_easy_setopt(cl->curl, CURLOPT_HTTPGET, 1L)) ||
	    (post && (rc = curl_easy_setopt(cl->curl, CURLOPT_POSTFIELDS, body ? body : ""))) ||
	    (post && (rc = curl_easy_setopt(cl->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	                                    (curl_off_t)(body ? len : 0)))) ||
	    (rc = curl_easy_perform(cl->curl))) {
		/* clang-format on */
		curl_slist_free_all(headers);
		no_answer(cl, url, rc, answer, err, errsize);
		return false;
	}
	curl_slist_free_all(headers);
	curl_easy_getinfo(cl->curl, CURLINFO_RESPONSE_CODE, status);
	if (curl_easy_getinfo(cl->curl, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
		cl->retry_after = after > GW_CLIENT_RETRY_MAX ? GW_CLIENT_RETRY_MAX : (long)after;
	return true;
}

bool
gw_client_json(gw_client *cl, const char *method, const char *path, const void *body, size_t len,
               long *status, json_t **json, char *err, size_t errsize)
{
	struct ijw_buf answer;
	bool ok;

	*json = NULL;
	ijw_buf_init(&answer, ANSWER_JSON_MAX);
	ok = gw_client_request(cl, method, path, body, len, body ? "application/xml" : NULL, status,
	                       &answer, err, errsize);
	if (ok && answer.len > 0) {
		*json = json_loadb(ijw_buf_str(&answer), answer.len, JSON_REJECT_DUPLICATES, NULL);
		if (*json && !json_is_object(*json)) {
			json_decref(*json);
			*json = NULL;
		}
	}
	ijw_buf_free(&answer);
	return ok;
}

bool
gw_client_post(gw_client *cl, const void *xml, size_t len, long *status, json_t **json, char *err,
               size_t errsize)
{
	for (int attempt = 1;; attempt++) {
		if (!gw_client_json(cl, "POST", "/v1/berichten", xml, len, status, json, err,
		                    errsize))
			return false;
		if ((*status != 503 && *status != 429) || attempt == GW_CLIENT_POST_TRIES)
			return true;
		json_decref(*json);
		*json = NULL;
		sleep((unsigned)(cl->retry_after > 0 ? cl->retry_after : 1));
	}
}
