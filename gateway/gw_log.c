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
