/*
 * cmd_client.c: a party's commands against a gateway: send, inbox, fetch,
 * ack, status and watch, each as one party over mutual TLS (gw_client.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "gw_cli.h"
#include "gw_client.h"
#include "gw_file.h"

#define MESSAGE_MAX (64u << 20) /* a message read or fetched, twice the largest one */
#define MESSAGE_MAX_TEXT "64 MiB"
#define ANSWER_MAX (4u << 20) /* a JSON answer */
#define ERR_MAX 2048
#define PATH_SIZE 4096
#define ID_MAX 19          /* digits of a message id */
#define TYPE_MAX 16        /* characters of a message type */
#define WATCH_LIMIT 100    /* messages listed per round of watch */
#define INTERVAL_DEFAULT 5 /* seconds */
#define INTERVAL_MAX 86400 /* seconds */
#define LIMIT_MAX 1000     /* what the gateway allows as ?limit= */

/* What one command's options and arguments say. */
struct opts {
	const char *cmd;
	const char *file; /* -c */
	struct gw_client_conf conf;
	bool json, once;
	long limit, interval;
	const char *out, *to, *exec;
};

/* A subcommand: its name, its options beyond the connection's, and its text. */
struct command {
	const char *name;
	const char *own;        /* the short names of its own options in long_opts[] */
	int min_args, max_args; /* -1: no most */
	bool ids;               /* its arguments are message ids */
	const char *synopsis, *about, *options;
	int (*run)(const struct opts *o, gw_client *cl, int argc, char **argv);
};

static const struct option long_opts[] = {
        {"client", required_argument, NULL, 'c'},   {"url", required_argument, NULL, 'u'},
        {"cacert", required_argument, NULL, 'A'},   {"cert", required_argument, NULL, 'E'},
        {"key", required_argument, NULL, 'K'},      {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'},    {"output", required_argument, NULL, 'o'},
        {"to", required_argument, NULL, 't'},       {"exec", required_argument, NULL, 'x'},
        {"interval", required_argument, NULL, 'i'}, {"once", no_argument, NULL, '1'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};

static void
usage(const struct command *c, FILE *out)
{
	fprintf(out,
	        "usage: ijw-gateway %s [-c CLIENT.ini] [--url URL --cacert FILE --cert FILE "
	        "--key FILE]\n           %s\n\n%s\n\n",
	        c->name, c->synopsis, c->about);
	if (c->options[0])
		fprintf(out, "%s\n", c->options);
	fprintf(out,
	        "The gateway and the party (options override the client file):\n"
	        "  -c FILE, --client FILE  the client file, an INI file whose [client] section\n"
	        "                 has url, cacert, cert and key (paths relative to its folder);\n"
	        "                 default $IJW_CLIENT\n"
	        "  --url URL      the gateway, https://HOST:PORT\n"
	        "  --cacert FILE  the CA certificates that verify the gateway's certificate\n"
	        "  --cert FILE    the party's client certificate (PEM)\n"
	        "  --key FILE     its private key (PEM, not encrypted)\n"
	        "  -h, --help     this text\n\n"
	        "Exit status: 0 done, 1 refused or not found, 2 usage error or the gateway\n"
	        "cannot be reached.\n");
}

/* Whether s is a message id: 1 to ID_MAX digits. */
static bool
is_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= ID_MAX && s[n] == '\0';
}

/* "--limit" of 'l'. */
static const char *
option_name(int ch)
{
	static char name[32];
	size_t i = 0;

	while (long_opts[i].name && long_opts[i].val != ch)
		i++;
	snprintf(name, sizeof name, "--%s", long_opts[i].name ? long_opts[i].name : "?");
	return name;
}

/* Reads the options into o; -1 when the command is to run, else its exit status. */
static int
parse(const struct command *c, int argc, char **argv, struct opts *o)
{
	static const char *const conn[] = {"url", "cacert", "cert", "key"};
	static const char conn_opts[] = "uAEK";
	bool json = gw_cli_wants_json(argc, argv);
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "c:o:h", long_opts, NULL)) != -1) {
		const char *slot = strchr(conn_opts, ch);

		if (ch == 'h') {
			usage(c, stdout);
			return GW_EXIT_OK;
		}
		if (ch == '?' || ch == ':') {
			usage(c, stderr);
			return gw_cli_fail(json, "usage",
			                   "%s: %s: an unknown option, or one without its value",
			                   c->name, argv[optind - 1]);
		}
		if (ch != 'c' && !slot && !strchr(c->own, ch)) {
			usage(c, stderr);
			return gw_cli_fail(json, "usage", "%s: %s is not an option of %s", c->name,
			                   option_name(ch), c->name);
		}
		if (slot && !gw_client_conf_set(&o->conf, conn[slot - conn_opts], optarg))
			return gw_cli_fail(json, "memory", "%s: %s", c->name,
			                   ijw_strerror(IJW_ENOMEM));
		switch (ch) {
		case 'c':
			o->file = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case '1':
			o->once = true;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 't':
			o->to = optarg;
			break;
		case 'x':
			o->exec = optarg;
			break;
		case 'l':
			if (!gw_cli_number(c->name, json, "--limit", optarg, 1, LIMIT_MAX,
			                   &o->limit))
				return GW_EXIT_USAGE;
			break;
		case 'i':
			if (!gw_cli_number(c->name, json, "--interval", optarg, 1, INTERVAL_MAX,
			                   &o->interval))
				return GW_EXIT_USAGE;
			break;
		default:
			break;
		}
	}
	if (argc - optind < c->min_args || (c->max_args >= 0 && argc - optind > c->max_args)) {
		usage(c, stderr);
		return gw_cli_fail(json, "usage", "%s: %s", c->name,
		                   argc - optind < c->min_args ? "an argument is missing"
		                                               : "too many arguments");
	}
	for (int i = optind; c->ids && i < argc; i++) {
		if (!is_id(argv[i]))
			return gw_cli_fail(json, "usage",
			                   "%s: '%s' is no message id (the digits of \"id\" in the "
			                   "inbox)",
			                   c->name, argv[i]);
	}
	if (strchr(c->own, 't') && !o->to == !o->exec) {
		gw_warnx("%s: give either --to DIR or --exec CMD", c->name);
		usage(c, stderr);
		return GW_EXIT_USAGE;
	}
	return -1;
}

/* Whether the message's type can be part of a file name: letters and digits. */
static bool
is_type(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

	return n > 0 && n <= TYPE_MAX && s[n] == '\0';
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "403 forbidden: why" of an answer that is not what was asked for. */
static void
refusal(long status, const json_t *j, char *out, size_t size)
{
	if (jstr(j, "error")[0])
		snprintf(out, size, "%ld %s: %s", status, jstr(j, "error"), jstr(j, "message"));
	else
		snprintf(out, size, "%ld (an answer without a JSON error)", status);
}

/* The exit status of an answer that is not a success: 1 for 4xx, 2 for the rest. */
static int
failure(long status)
{
	return status >= 400 && status < 500 ? GW_EXIT_REJECTED : GW_EXIT_USAGE;
}

/* Says that the gateway cannot be reached, as JSON too when json. */
static void
no_gateway(const char *cmd, bool json, const char *err)
{
	gw_cli_fail(json, "unreachable", "%s: cannot reach the gateway at %s", cmd, err);
}

/* ---- send ---- */

/* Prints the findings or advice in the array f, one indented line each. */
static void
print_findings(const json_t *f, const json_t *more)
{
	size_t i;
	json_t *it;

	json_array_foreach(f, i, it)
	{
		json_int_t line = json_integer_value(json_object_get(it, "line"));

		printf("    %s %s %s", jstr(it, "rule"), jstr(it, "retourcode"), jstr(it, "xpath"));
		if (line > 0)
			printf(" (line %lld)", (long long)line);
		printf(": %s\n", jstr(it, "text"));
	}
	if (json_integer_value(more) > 0)
		printf("    ... and %lld more\n", (long long)json_integer_value(more));
}

/* Prints what the gateway answered to one file; its exit status. */
static int
send_print(const char *file, long status, const json_t *j)
{
	const json_t *advice = json_object_get(j, "advice");
	char why[ERR_MAX];

	if (status == 200 || status == 201) {
		printf("%s: %s id=%s type=%s", file, status == 201 ? "accepted" : "repeated",
		       jstr(j, "id"), jstr(j, "type"));
		if (jstr(j, "retour")[0])
			printf(" retour=%s", jstr(j, "retour"));
		if (json_array_size(advice) > 0) {
			size_t i;
			json_t *it;

			json_array_foreach(advice, i, it)
			        printf("%s%s/%s", i ? "," : " advice=", jstr(it, "rule"),
			               jstr(it, "retourcode"));
		}
		printf("\n");
		print_findings(advice, NULL);
		return GW_EXIT_OK;
	}
	if (status == 422 && strcmp(jstr(j, "error"), "rejected") == 0) {
		printf("%s: rejected type=%s retourcode=%s", file, jstr(j, "type"),
		       jstr(j, "retourcode"));
	} else {
		refusal(status, j, why, sizeof why);
		printf("%s: %s %s", file, status >= 400 && status < 500 ? "refused" : "failed",
		       why);
		if (jstr(j, "retourcode")[0])
			printf(" retourcode=%s", jstr(j, "retourcode"));
	}
	if (jstr(j, "retour")[0])
		printf(" retour=%s", jstr(j, "retour"));
	printf("\n");
	print_findings(json_object_get(j, "findings"), json_object_get(j, "more_findings"));
	return failure(status);
}

/* Adds {"file":..., "http_status":..., the answer's members or "error"} to results. */
static void
send_json(json_t *results, const char *file, long status, json_t *j, const char *error)
{
	json_t *o = j ? json_deep_copy(j) : json_object();

	if (!o)
		return;
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "http_status", status ? json_integer(status) : json_null());
	if (error)
		json_object_set_new(o, "error", json_string(error));
	json_array_append_new(results, o);
}

static int
send_files(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	json_t *results = json_array();
	struct ijw_buf body;
	char err[ERR_MAX];
	int worst = GW_EXIT_OK;

	ijw_buf_init(&body, MESSAGE_MAX);
	for (int i = 0; i < argc && results; i++) {
		const char *file = argv[i];
		json_t *j = NULL;
		long status = 0;
		int st;
		ijw_rc rc;

		ijw_buf_reset(&body);
		if ((rc = gw_read_file(file, &body))) {
			snprintf(err, sizeof err, "cannot read: %s",
			         rc == IJW_EIO       ? strerror(errno)
			         : rc == IJW_ETOOBIG ? "larger than " MESSAGE_MAX_TEXT
			                             : ijw_strerror(rc));
			gw_warnx("send: %s: %s", file, err);
			if (o->json)
				send_json(results, file, 0, NULL, err);
			worst = GW_EXIT_USAGE;
			continue;
		}
		if (!gw_client_post(cl, body.data, body.len, &status, &j, err, sizeof err)) {
			no_gateway("send", false, err);
			if (o->json)
				send_json(results, file, 0, NULL, err);
			worst = GW_EXIT_USAGE;
			break;
		}
		if (o->json) {
			send_json(results, file, status, j, NULL);
			st = status == 200 || status == 201 ? GW_EXIT_OK : failure(status);
		} else {
			st = send_print(file, status, j);
		}
		if (st > worst)
			worst = st;
		json_decref(j);
	}
	if (o->json && results) {
		json_dumpf(results, stdout, JSON_INDENT(2));
		printf("\n");
	}
	if (!results) {
		gw_warnx("send: %s", ijw_strerror(IJW_ENOMEM));
		worst = GW_EXIT_USAGE;
	}
	json_decref(results);
	ijw_buf_free(&body);
	return worst;
}

/* ---- inbox, status: JSON read ---- */

/*
 * GET path as JSON into *j (an object) and its raw bytes into raw; the exit
 * status, after saying what went wrong, unless the gateway answered 200.
 */
static int
get_json(const char *cmd, bool json, gw_client *cl, const char *path, struct ijw_buf *raw,
         json_t **j)
{
	char err[ERR_MAX], why[ERR_MAX];
	long status;

	*j = NULL;
	if (!gw_client_request(cl, "GET", path, NULL, 0, NULL, &status, raw, err, sizeof err)) {
		no_gateway(cmd, json, err);
		return GW_EXIT_USAGE;
	}
	*j = json_loadb(ijw_buf_str(raw), raw->len, JSON_REJECT_DUPLICATES, NULL);
	if (status == 200 && json_is_object(*j))
		return GW_EXIT_OK;
	if (status == 200)
		snprintf(why, sizeof why, "200 with an answer that is no JSON object");
	else
		refusal(status, *j, why, sizeof why);
	gw_cli_fail(json, status == 200 ? "answer" : "refused", "%s: %s%s: %s", cmd,
	            gw_client_url(cl), path, why);
	json_decref(*j);
	*j = NULL;
	return status == 200 ? GW_EXIT_USAGE : failure(status);
}

static int
inbox(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	struct ijw_buf raw;
	char path[64];
	json_t *j, *list, *m;
	size_t i;
	int st;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "/v1/berichten?limit=%ld", o->limit ? o->limit : 100);
	ijw_buf_init(&raw, ANSWER_MAX);
	if ((st = get_json(o->cmd, o->json, cl, path, &raw, &j))) {
		ijw_buf_free(&raw);
		return st;
	}
	list = json_object_get(j, "berichten");
	if (o->json) {
		fwrite(raw.data, 1, raw.len, stdout);
		if (raw.data[raw.len - 1] != '\n')
			printf("\n");
	} else if (json_array_size(list) == 0) {
		printf("the inbox of %s is empty\n", gw_client_party(cl));
	} else {
		printf("%-8s %-6s %-9s %-9s %-14s %s\n", "id", "type", "from", "to",
		       "identificatie", "received");
		json_array_foreach(list, i, m)
		        printf("%-8s %-6s %-9s %-9s %-14s %s\n", jstr(m, "id"), jstr(m, "type"),
		               jstr(m, "from"), jstr(m, "to"), jstr(m, "identificatie"),
		               jstr(m, "received"));
	}
	json_decref(j);
	ijw_buf_free(&raw);
	return GW_EXIT_OK;
}

/* "17 JW301 0384->42420001" of a message's JSON. */
static void
print_brief(const json_t *m)
{
	printf("%s %s %s->%s", jstr(m, "id"), jstr(m, "type"), jstr(m, "from"), jstr(m, "to"));
	if (json_is_true(json_object_get(m, "generated")))
		printf(" (made by the gateway)");
}

static void
print_codes(const json_t *codes)
{
	size_t i;
	json_t *c;

	json_array_foreach(codes, i, c) printf("%s%s", i ? "," : " ", json_string_value(c));
}

static void
print_status(const json_t *j)
{
	const json_t *d = json_object_get(j, "delivery"), *x;
	size_t i;
	json_t *it;

	printf("message %s: %s from %s to %s, identificatie %s\n", jstr(j, "id"), jstr(j, "type"),
	       jstr(j, "from"), jstr(j, "to"), jstr(j, "identificatie"));
	printf("  status        %s\n", jstr(j, "status"));
	printf("  received      %s\n", jstr(j, "received"));
	printf("  stored        %s\n", jstr(j, "stored"));
	if (json_is_true(json_object_get(j, "generated")))
		printf("  made by       the gateway\n");
	if (json_is_true(json_object_get(j, "translated")))
		printf("  translated    into the receiver's product codes\n");
	x = json_object_get(j, "judged");
	printf("  advised       %s", json_array_size(x) ? "" : "nothing\n");
	json_array_foreach(x, i, it)
	        printf("%s%s %s%s", i ? ", " : "", jstr(it, "rule"), jstr(it, "retourcode"),
	               i + 1 == json_array_size(x) ? "\n" : "");
	printf("  delivery      %s, %s", jstr(d, "by"), jstr(d, "state"));
	x = json_object_get(d, "attempts");
	if (json_is_array(x))
		printf(", %zu attempt%s", json_array_size(x), json_array_size(x) == 1 ? "" : "s");
	if (jstr(d, "next_attempt")[0])
		printf(", next at %s", jstr(d, "next_attempt"));
	printf("\n");
	json_array_foreach(x, i, it)
	{
		json_int_t http = json_integer_value(json_object_get(it, "http_status"));

		printf("    %s ", jstr(it, "at"));
		if (http)
			printf("HTTP %lld", (long long)http);
		else
			printf("no answer");
		if (jstr(it, "error")[0])
			printf(": %s", jstr(it, "error"));
		printf("\n");
	}
	printf("  acknowledged  %s\n",
	       jstr(j, "acknowledged")[0] ? jstr(j, "acknowledged") : "not yet");
	if ((x = json_object_get(j, "retourcodes"))) {
		printf("  retourcodes  ");
		print_codes(x);
		printf("\n");
	}
	if (json_is_object(x = json_object_get(j, "answers"))) {
		printf("  answers       ");
		print_brief(x);
		printf("\n");
	}
	json_array_foreach(json_object_get(j, "answered_by"), i, it)
	{
		printf("  answered by   ");
		print_brief(it);
		printf(", retourcodes");
		print_codes(json_object_get(it, "retourcodes"));
		printf("\n");
	}
	if (jstr(j, "purged")[0])
		printf("  purged        %s (retention removed its bytes)\n", jstr(j, "purged"));
}

static int
status(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	struct ijw_buf raw;
	char path[64];
	json_t *j;
	int st;

	(void)argc;
	snprintf(path, sizeof path, "/v1/berichten/%s/status", argv[0]);
	ijw_buf_init(&raw, ANSWER_MAX);
	st = get_json(o->cmd, o->json, cl, path, &raw, &j);
	if (!st && o->json) {
		fwrite(raw.data, 1, raw.len, stdout);
		if (raw.data[raw.len - 1] != '\n')
			printf("\n");
	} else if (!st) {
		print_status(j);
	}
	json_decref(j);
	ijw_buf_free(&raw);
	return st;
}

/* ---- fetch, ack ---- */

/*
 * GET the message id into body; the exit status, after saying what went wrong
 * unless the gateway answered 200.
 */
static int
fetch_message(const char *cmd, gw_client *cl, const char *id, struct ijw_buf *body)
{
	char path[64], err[ERR_MAX], why[ERR_MAX];
	long status;
	json_t *j;

	snprintf(path, sizeof path, "/v1/berichten/%s", id);
	if (!gw_client_request(cl, "GET", path, NULL, 0, NULL, &status, body, err, sizeof err)) {
		no_gateway(cmd, false, err);
		return GW_EXIT_USAGE;
	}
	if (status == 200)
		return GW_EXIT_OK;
	if (status == 404) {
		gw_warnx("%s: no message %s for this party (%s)", cmd, id, gw_client_party(cl));
		return GW_EXIT_REJECTED;
	}
	if (status == 410) {
		gw_warnx("%s: message %s was handled and retention has removed its bytes; "
		         "'ijw-gateway status %s' shows its life",
		         cmd, id, id);
		return GW_EXIT_REJECTED;
	}
	j = json_loadb(ijw_buf_str(body), body->len, 0, NULL);
	refusal(status, j, why, sizeof why);
	json_decref(j);
	gw_warnx("%s: %s%s: %s", cmd, gw_client_url(cl), path, why);
	return failure(status);
}

static int
fetch(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	struct ijw_buf body;
	int st;
	ijw_rc rc = IJW_OK;

	(void)argc;
	ijw_buf_init(&body, MESSAGE_MAX);
	st = fetch_message(o->cmd, cl, argv[0], &body);
	if (!st && o->out)
		rc = gw_write_file_atomic(o->out, body.data, body.len);
	else if (!st)
		rc = gw_write_file("-", body.data, body.len);
	if (rc) {
		gw_warnx("fetch: %s: %s", o->out ? o->out : "standard output",
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		st = GW_EXIT_USAGE;
	}
	ijw_buf_free(&body);
	return st;
}

/* Acknowledges message id; the exit status, after saying what went wrong. */
static int
ack_one(const char *cmd, gw_client *cl, const char *id)
{
	char path[64], err[ERR_MAX], why[ERR_MAX];
	long status;
	json_t *j;

	snprintf(path, sizeof path, "/v1/berichten/%s/ack", id);
	if (!gw_client_json(cl, "POST", path, NULL, 0, &status, &j, err, sizeof err)) {
		no_gateway(cmd, false, err);
		return GW_EXIT_USAGE;
	}
	if (status == 200 && json_is_true(json_object_get(j, "acked"))) {
		json_decref(j);
		return GW_EXIT_OK;
	}
	if (status == 404)
		snprintf(why, sizeof why, "no message %s for this party (%s)", id,
		         gw_client_party(cl));
	else
		refusal(status, j, why, sizeof why);
	json_decref(j);
	gw_warnx("%s: %s: not acknowledged: %s", cmd, id, why);
	return status == 200 ? GW_EXIT_USAGE : failure(status);
}

static int
ack(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	int worst = GW_EXIT_OK;

	for (int i = 0; i < argc; i++) {
		int st = ack_one(o->cmd, cl, argv[i]);

		if (!st)
			printf("%s: acknowledged\n", argv[i]);
		fflush(stdout);
		if (st > worst)
			worst = st;
		if (st == GW_EXIT_USAGE)
			break;
	}
	return worst;
}

/* ---- watch ---- */

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Whether path holds exactly the len bytes at data. */
static bool
same_file(const char *path, const void *data, size_t len)
{
	struct ijw_buf b;
	bool same;

	ijw_buf_init(&b, len);
	same = gw_read_file(path, &b) == IJW_OK && b.len == len && memcmp(b.data, data, len) == 0;
	ijw_buf_free(&b);
	return same;
}

/* Writes the message into the folder; false after saying why not. */
static bool
hand_to_dir(const struct opts *o, const json_t *m, const struct ijw_buf *body, char *what,
            size_t size)
{
	char path[PATH_SIZE];
	ijw_rc rc;

	snprintf(path, sizeof path, "%s/%s-%s.xml", o->to, jstr(m, "id"), jstr(m, "type"));
	if (access(path, F_OK) == 0) {
		if (same_file(path, body->data, body->len)) {
			snprintf(what, size, "already in %s", path);
			return true;
		}
		gw_warnx("watch: %s %s: %s exists with other bytes: not overwritten, not "
		         "acknowledged",
		         jstr(m, "id"), jstr(m, "type"), path);
		return false;
	}
	if ((rc = gw_write_file_atomic(path, body->data, body->len))) {
		gw_warnx("watch: %s: %s", path, rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		return false;
	}
	snprintf(what, size, "written %s", path);
	return true;
}

/* The child's side of hand_to_exec(): never returns. */
static void
run_command(const struct opts *o, const json_t *m, const char *tmp)
{
	int fd = open(tmp, O_RDONLY);

	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 || setenv("IJW_ID", jstr(m, "id"), 1) ||
	    setenv("IJW_TYPE", jstr(m, "type"), 1) || setenv("IJW_FROM", jstr(m, "from"), 1) ||
	    setenv("IJW_TO", jstr(m, "to"), 1) || setenv("IJW_FILE", tmp, 1)) {
		gw_warnx("watch: %s", strerror(errno));
		_exit(127);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	execl("/bin/sh", "sh", "-c", o->exec, (char *)NULL);
	gw_warnx("watch: /bin/sh: %s", strerror(errno));
	_exit(127);
}

/* Runs the command with the message; whether it exited 0, after saying why not. */
static bool
hand_to_exec(const struct opts *o, const json_t *m, const struct ijw_buf *body, char *what,
             size_t size)
{
	const char *dir = getenv("TMPDIR");
	char tmp[PATH_SIZE];
	int fd, wstatus = 0;
	pid_t pid, got;
	ijw_rc rc;

	snprintf(tmp, sizeof tmp, "%s/ijw-%s-XXXXXX", dir && dir[0] ? dir : "/tmp", jstr(m, "id"));
	if ((fd = mkstemp(tmp)) < 0) {
		gw_warnx("watch: %s: %s", tmp, strerror(errno));
		return false;
	}
	close(fd);
	if ((rc = gw_write_file(tmp, body->data, body->len))) {
		gw_warnx("watch: %s: %s", tmp, rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
		unlink(tmp);
		return false;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		gw_warnx("watch: fork: %s", strerror(errno));
		unlink(tmp);
		return false;
	}
	if (pid == 0)
		run_command(o, m, tmp);
	while ((got = waitpid(pid, &wstatus, 0)) < 0 && errno == EINTR)
		;
	unlink(tmp);
	if (got == pid && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		snprintf(what, size, "handed to the command");
		return true;
	}
	if (got == pid && WIFEXITED(wstatus))
		gw_warnx("watch: %s %s: the command exited with %d: not acknowledged, tried again "
		         "later",
		         jstr(m, "id"), jstr(m, "type"), WEXITSTATUS(wstatus));
	else if (got == pid && WIFSIGNALED(wstatus))
		gw_warnx("watch: %s %s: the command was killed by signal %d: not acknowledged, "
		         "tried again later",
		         jstr(m, "id"), jstr(m, "type"), WTERMSIG(wstatus));
	else
		gw_warnx("watch: waitpid: %s", strerror(errno));
	return false;
}

/*
 * Hands one message of the inbox over and acknowledges it. GW_EXIT_OK when
 * done, GW_EXIT_REJECTED when it is left for a later round, GW_EXIT_USAGE when
 * the gateway cannot be reached.
 */
static int
watch_one(const struct opts *o, gw_client *cl, const json_t *m, struct ijw_buf *body)
{
	char what[PATH_SIZE + 64];
	int st;

	if (!is_id(jstr(m, "id")) || !is_type(jstr(m, "type"))) {
		gw_warnx("watch: the inbox lists a message with id '%s' and type '%s': skipped",
		         jstr(m, "id"), jstr(m, "type"));
		return GW_EXIT_REJECTED;
	}
	ijw_buf_reset(body);
	if ((st = fetch_message(o->cmd, cl, jstr(m, "id"), body)))
		return st;
	if (!(o->to ? hand_to_dir(o, m, body, what, sizeof what)
	            : hand_to_exec(o, m, body, what, sizeof what)))
		return GW_EXIT_REJECTED;
	if ((st = ack_one(o->cmd, cl, jstr(m, "id"))))
		return st;
	print_brief(m);
	printf(": %s, acknowledged\n", what);
	fflush(stdout);
	return GW_EXIT_OK;
}

/*
 * One round: the inbox, oldest first, each message handed over and
 * acknowledged. *done counts the messages handed over, *left the ones left
 * for a later round. GW_EXIT_USAGE when the gateway cannot be asked.
 */
static int
watch_round(const struct opts *o, gw_client *cl, size_t *done, size_t *left)
{
	struct ijw_buf raw, body;
	char path[64];
	json_t *j, *m;
	size_t i;
	int st;

	*done = *left = 0;
	snprintf(path, sizeof path, "/v1/berichten?limit=%d", WATCH_LIMIT);
	ijw_buf_init(&raw, ANSWER_MAX);
	ijw_buf_init(&body, MESSAGE_MAX);
	st = get_json(o->cmd, o->json, cl, path, &raw, &j);
	json_array_foreach(json_object_get(j, "berichten"), i, m)
	{
		if (stopping || st)
			break;
		st = watch_one(o, cl, m, &body);
		if (st == GW_EXIT_OK)
			(*done)++;
		else if (st == GW_EXIT_REJECTED)
			(*left)++;
		if (st == GW_EXIT_REJECTED)
			st = GW_EXIT_OK;
	}
	json_decref(j);
	ijw_buf_free(&raw);
	ijw_buf_free(&body);
	return st;
}

/* Sleeps secs seconds, or until a signal stops the watch. */
static void
pause_for(long secs)
{
	struct timespec t = {.tv_sec = secs};

	while (!stopping && nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static int
watch(const struct opts *o, gw_client *cl, int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_stop};
	size_t done, left;
	int st;

	(void)argc;
	(void)argv;
	if (o->to && access(o->to, W_OK | X_OK) != 0) {
		gw_warnx("watch: --to %s: %s", o->to, strerror(errno));
		return GW_EXIT_USAGE;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stopping) {
		st = watch_round(o, cl, &done, &left);
		if (o->once)
			return st ? st : left ? GW_EXIT_REJECTED : GW_EXIT_OK;
		if (st || done == 0)
			pause_for(o->interval ? o->interval : INTERVAL_DEFAULT);
	}
	return GW_EXIT_OK;
}

/* ---- the commands ---- */

static const struct command cmd_send = {
        "send",
        "j",
        1,
        -1,
        false,
        "[--json] FILE...",
        "Sends iJw messages to the gateway, each as POST /v1/berichten, and prints a line per\n"
        "file: accepted (201) or repeated (200) with the message's id, rejected with its\n"
        "findings, refused with the gateway's reason. A 503 or 429 is sent again after its\n"
        "Retry-After, up to 4 times. Exit 1 when the gateway refused a file.",
        "  --json         one JSON object per file, the gateway's answer with \"file\" and\n"
        "                 \"http_status\", as a JSON array\n",
        send_files};

static const struct command cmd_inbox = {
        "inbox",
        "jl",
        0,
        0,
        false,
        "[--limit N] [--json]",
        "Lists the party's inbox: the messages addressed to it that it has not acknowledged,\n"
        "oldest first.",
        "  --limit N      at most N messages (1-1000, default 100)\n"
        "  --json         the gateway's JSON as it is\n",
        inbox};

static const struct command cmd_fetch = {
        "fetch",
        "o",
        1,
        1,
        true,
        "ID [-o FILE]",
        "Writes message ID byte for byte to standard output or to FILE. Exit 1 when there is\n"
        "no message ID for the party or retention has removed its bytes.",
        "  -o FILE, --output FILE  write FILE (a new file renamed over it, readable by its\n"
        "                 owner only)\n",
        fetch};

static const struct command cmd_ack = {
        "ack",
        "",
        1,
        -1,
        true,
        "ID...",
        "Acknowledges messages: they have been handled and leave the inbox. Exit 1 when one\n"
        "is not the party's.",
        "",
        ack};

static const struct command cmd_status = {
        "status",
        "j",
        1,
        1,
        true,
        "ID [--json]",
        "Shows what became of message ID: stored, delivered, acknowledged, answered.",
        "  --json         the gateway's JSON as it is\n",
        status};

static const struct command cmd_watch = {
        "watch",
        "txi1",
        0,
        0,
        false,
        "(--to DIR | --exec CMD) [--interval SECONDS] [--once]",
        "Takes the party's messages as they come: lists the inbox, and for each message,\n"
        "oldest first, fetches it, hands it over, and only then acknowledges it. A message\n"
        "whose hand-over fails stays in the inbox and is tried again in a later round.\n"
        "SIGINT or SIGTERM ends it after the message in hand.",
        "  --to DIR       write DIR/ID-TYPE.xml (a new file renamed into place, fsynced)\n"
        "  --exec CMD     run CMD with /bin/sh, the message on its standard input and in\n"
        "                 $IJW_FILE, and IJW_ID, IJW_TYPE, IJW_FROM, IJW_TO; exit 0 hands\n"
        "                 it over\n"
        "  --interval SECONDS  the pause after a round that handed nothing over (5)\n"
        "  --once         one round, then exit: 1 when a message was left\n",
        watch};

static int
client_main(const struct command *c, int argc, char **argv)
{
	struct opts o = {.cmd = c->name};
	char err[ERR_MAX];
	gw_client *cl = NULL;
	int st = parse(c, argc, argv, &o);

	if (st >= 0)
		goto out;
	st = GW_EXIT_USAGE;
	if (!o.file)
		o.file = getenv("IJW_CLIENT");
	if (o.file && o.file[0] && !gw_client_conf_load(o.file, &o.conf, err, sizeof err)) {
		gw_cli_fail(o.json, "client", "%s: %s", c->name, err);
		goto out;
	}
	if (!(cl = gw_client_new(&o.conf, err, sizeof err))) {
		gw_cli_fail(o.json, "client", "%s: %s", c->name, err);
		goto out;
	}
	st = c->run(&o, cl, argc - optind, argv + optind);
out:
	gw_client_free(cl);
	gw_client_conf_free(&o.conf);
	return st;
}

int
gw_cmd_send(int argc, char **argv)
{
	return client_main(&cmd_send, argc, argv);
}

int
gw_cmd_inbox(int argc, char **argv)
{
	return client_main(&cmd_inbox, argc, argv);
}

int
gw_cmd_fetch(int argc, char **argv)
{
	return client_main(&cmd_fetch, argc, argv);
}

int
gw_cmd_ack(int argc, char **argv)
{
	return client_main(&cmd_ack, argc, argv);
}

int
gw_cmd_status(int argc, char **argv)
{
	return client_main(&cmd_status, argc, argv);
}

int
gw_cmd_watch(int argc, char **argv)
{
	return client_main(&cmd_watch, argc, argv);
}
