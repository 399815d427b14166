/*
 * gw_log.h: the daemon's one logging API.
 *
 * One event per line on standard error:
 *
 *	2026-11-23T15:04:05Z info message_accepted id=17 type=JW301 from=0384 to=42420001
 *
 * a UTC time, the level, an event name and key=value fields (logfmt), or with
 * the json format one JSON object a line:
 *
 *	{"time":"2026-11-23T15:04:05Z","level":"info","event":"message_accepted",
 *	 "id":17,"type":"JW301","from":"0384","to":"42420001"}
 *
 * Callers write the fields as "key=%s key2=%d": a value that one integer or
 * floating-point conversion wrote is a JSON number, every other one text. A
 * whole value written by %s is quoted when it needs to be (gw_log_quote()),
 * so values may hold anything. A BSN is never logged: messages are named by
 * id, type and parties only. libevent's own messages are routed here.
 */
#ifndef GW_LOG_H
#define GW_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gw_log_level { GW_LOG_DEBUG, GW_LOG_INFO, GW_LOG_WARN, GW_LOG_ERROR };
enum gw_log_format { GW_LOG_LOGFMT, GW_LOG_JSON };

/* Logs at level and above; routes libevent's messages. */
void gw_log_init(enum gw_log_level level);
/* The levels' names, by level, then NULL. */
extern const char *const gw_log_level_names[];
/* Writes lines in format from now on (logfmt at first). */
void gw_log_set_format(enum gw_log_format format);
/* The formats' names, by format, then NULL. */
extern const char *const gw_log_format_names[];

/* Writes one event line; fields is printf-style and may be NULL. Thread-safe. */
void gw_log(enum gw_log_level level, const char *event, const char *fields, ...)
        __attribute__((format(printf, 3, 4)));

/* Time t (unix seconds) in ISO 8601, UTC, as the log writes it: "2026-11-23T15:04:05Z". */
#define GW_LOG_TIME_SIZE 32
void gw_log_time(int64_t t, char out[GW_LOG_TIME_SIZE]);

/*
 * Writes s into buf as a quoted log value ("..." with \" and \\ escaped,
 * control characters as spaces), cut to fit; returns buf.
 */
const char *gw_log_quote(const char *s, char *buf, size_t size);

/*
 * One line of the access log (event "access"): a request answered, or a
 * connection that ended before one (a failed TLS handshake, no head in
 * time). Never a BSN: paths name messages by id, and no body is logged.
 */
struct gw_access {
	const char *listener; /* "api" or "admin" */
	const char *remote;   /* the client's address */
	const char *party;    /* the party (or operator) its certificate or token names, or NULL */
	const char *cert;     /* its certificate's SHA-256 fingerprint (hex), or NULL */
	const char *method;   /* NULL when no request came */
	const char *path;     /* the request's path and query, or NULL */
	int status;           /* the answer's status, 0 when none was sent */
	size_t bytes_in;      /* the request's body */
	size_t bytes_out;     /* the answer's body */
	double millis;        /* from the request's head to its answer */
	const char *error;    /* what went wrong ("handshake: ...", "unknown receiver"), or NULL */
};

/* Writes a line of the access log. Thread-safe. */
void gw_log_access(const struct gw_access *a);

/*
 * The address of the socket fd's peer (or, with own, its own) as text, in
 * host (at least GW_LOG_HOST_MAX bytes), and its port; false when it has
 * none that is IPv4 or IPv6.
 */
#define GW_LOG_HOST_MAX 46
bool gw_log_address(int fd, bool own, char *host, unsigned *port);

#endif
