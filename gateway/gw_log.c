/*
 * gw_log.c: event lines on standard error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "gw_log.h"

static enum gw_log_level threshold = GW_LOG_INFO;

const char *const gw_log_level_names[] = {"debug", "info", "warn", "error", NULL};

static void
from_libevent(int severity, const char *msg)
{
	enum gw_log_level level = severity == EVENT_LOG_DEBUG  ? GW_LOG_DEBUG
	                          : severity == EVENT_LOG_MSG  ? GW_LOG_INFO
	                          : severity == EVENT_LOG_WARN ? GW_LOG_WARN
	                                                       : GW_LOG_ERROR;
	char quoted[512];

	gw_log(level, "libevent", "message=%s", gw_log_quote(msg, quoted, sizeof quoted));
}

void
gw_log_init(enum gw_log_level level)
{
	threshold = level;
	event_set_log_callback(from_libevent);
}

void
gw_log(enum gw_log_level level, const char *event, const char *fields, ...)
{
	char line[2048], stamp[32];
	struct tm tm;
	time_t now;
	size_t n;
	va_list ap;

	if (level < threshold)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = (size_t)snprintf(line, sizeof line, "%s %s %s", stamp, gw_log_level_names[level],
	                     event);
	if (fields && n < sizeof line - 2) {
		line[n++] = ' ';
		va_start(ap, fields);
		vsnprintf(line + n, sizeof line - n, fields, ap);
		va_end(ap);
	}
	n = strlen(line);
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* One write per line, so that lines of several threads do not mix. */
	fwrite(line, 1, n, stderr);
	fflush(stderr);
}

const char *
gw_log_quote(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	if (size < 3) {
		buf[0] = '\0';
		return buf;
	}
	buf[n++] = '"';
	for (; *s && n + 3 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf[n++] = '\\';
		buf[n++] = c < 0x20 ? ' ' : (char)c;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

/*
 * s as a log value: as it is when it is a short bare word, else quoted (and
 * cut) into buf. Values that come from the network (paths) can hold anything.
 */
static const char *
access_value(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0' || strlen(s) >= size)
		return gw_log_quote(s, buf, size);
	for (; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
			return gw_log_quote(s, buf, size);
	return s;
}

void
gw_log_access(const struct gw_access *a)
{
	char listener[64], remote[64], party[128], cert[160], method[64], path[512], error[512];
	char req[640] = "", who[320] = "", why[520] = "";

	if (a->party || a->cert)
		snprintf(who, sizeof who, "%s%s%s%s", a->party ? " party=" : "",
		         a->party ? access_value(a->party, party, sizeof party) : "",
		         a->cert ? " cert=" : "",
		         a->cert ? access_value(a->cert, cert, sizeof cert) : "");
	if (a->method)
		snprintf(req, sizeof req, " method=%s path=%s",
		         access_value(a->method, method, sizeof method),
		         access_value(a->path ? a->path : "", path, sizeof path));
	if (a->error)
		snprintf(why, sizeof why, " error=%s", gw_log_quote(a->error, error, sizeof error));
	gw_log(GW_LOG_INFO, "access",
	       "listener=%s remote=%s%s%s status=%d bytes_in=%zu bytes_out=%zu ms=%.1f%s",
	       access_value(a->listener ? a->listener : "", listener, sizeof listener),
	       access_value(a->remote ? a->remote : "", remote, sizeof remote), who, req, a->status,
	       a->bytes_in, a->bytes_out, a->millis, why);
}

bool
gw_log_address(int fd, bool own, char *host, unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	const void *a;

	if (fd < 0 || (own ? getsockname(fd, (struct sockaddr *)&ss, &len)
	                   : getpeername(fd, (struct sockaddr *)&ss, &len)) != 0)
		return false;
	if (ss.ss_family == AF_INET) {
		a = &((const struct sockaddr_in *)&ss)->sin_addr;
		*port = ntohs(((const struct sockaddr_in *)&ss)->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		a = &((const struct sockaddr_in6 *)&ss)->sin6_addr;
		*port = ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
	} else
		return false;
	return inet_ntop(ss.ss_family, a, host, GW_LOG_HOST_MAX) != NULL;
}
