/*
 * gw_log.c: event lines on standard error.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <event2/event.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "gw_log.h"

static enum gw_log_level threshold = GW_LOG_INFO;

static atomic_int log_format = GW_LOG_LOGFMT;

const char *const gw_log_level_names[] = {"debug", "info", "warn", "error", NULL};
const char *const gw_log_format_names[] = {"logfmt", "json", NULL};

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
gw_log_set_format(enum gw_log_format f)
{
	atomic_store(&log_format, f);
}

/* The bytes of a rendered field list that one numeric conversion wrote. */
struct span {
	size_t start, end;
	bool real;
};

#define SPANS_MAX 32
#define VALUE_MAX 1024

/* A value that needs no quotes: not empty, no space, control, quote, '=' or '\'. */
static bool
bare(const char *s)
{
	if (*s == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
			return false;
	return true;
}

/* s as gw_log_quote() writes it: quotes round, inner ones escaped, no control. */
static bool
quoted(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (size_t i = 1; i < n - 1; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == '"')
			return false;
		if (s[i] == '\\' && (++i == n - 1 || (s[i] != '"' && s[i] != '\\')))
			return false;
	}
	return true;
}

/* Cuts the field list out[0..n), cut off at the buffer's end, back to its last whole field. */
static size_t
whole_fields(char *out, size_t n)
{
	size_t last = 0;
	bool in = false;

	for (size_t i = 0; i < n; i++) {
		if (in && out[i] == '\\' && i + 1 < n)
			i++;
		else if (out[i] == '"')
			in = !in;
		else if (!in && out[i] == ' ')
			last = i;
	}
	out[last] = '\0';
	return last;
}

/*
 * vsnprintf() that also notes which bytes each integer or floating-point
 * conversion wrote (the values JSON gets as numbers), and that quotes a
 * string conversion standing for a whole value (key=%s) when it is neither
 * a bare word nor quoted already, so that every line is logfmt whatever a
 * value holds. A list too long for out loses its last fields, never half
 * of one; control characters become spaces, so that a line stays one line.
 */
static void
render(char *out, size_t size, struct span *spans, size_t *nspans, const char *f, va_list ap)
{
	char spec[64], quote[VALUE_MAX];
	size_t n = 0, k;
	int w;

	*nspans = 0;
	out[0] = '\0';
	while (*f && n < size - 1) {
		size_t at = n;
		const char *s;
		bool whole;
		char len = 0, len2 = 0;

		if (*f != '%' || f[1] == '%') {
			out[n++] = *f;
			f += *f == '%' ? 2 : 1;
			continue;
		}
		spec[0] = *f++;
		k = 1;
		while (*f && strchr("-+ #0", *f) && k < 8)
			spec[k++] = *f++;
		/* a '*' width or precision is written into spec as its number */
		for (int part = 0; part < 2; part++) {
			if (part && *f != '.')
				break;
			if (part)
				spec[k++] = *f++;
			if (*f == '*') {
				f++;
				w = va_arg(ap, int);
				if (part && w < 0)
					k--;
				else
					k += (size_t)snprintf(spec + k, 12, "%d", w);
			}
			while (*f >= '0' && *f <= '9' && k < 40)
				spec[k++] = *f++;
		}
		if (*f && strchr("hlzjtL", *f)) {
			len = spec[k++] = *f++;
			if ((*f == 'h' || *f == 'l') && *f == len)
				len2 = spec[k++] = *f++;
		}
		if (*f == '\0')
			break;
		spec[k++] = *f;
		spec[k] = '\0';
		whole = k == 2 && at > 0 && out[at - 1] == '=' && (f[1] == ' ' || f[1] == '\0');
		switch (*f++) {
		case 'd':
		case 'i':
			if (len == 'l' && len2)
				snprintf(out + n, size - n, spec, va_arg(ap, long long));
			else if (len == 'l')
				snprintf(out + n, size - n, spec, va_arg(ap, long));
			else if (len == 'z' || len == 't')
				snprintf(out + n, size - n, spec, va_arg(ap, ptrdiff_t));
			else if (len == 'j')
				snprintf(out + n, size - n, spec, va_arg(ap, intmax_t));
			else
				snprintf(out + n, size - n, spec, va_arg(ap, int));
			break;
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			if (len == 'l' && len2)
				snprintf(out + n, size - n, spec, va_arg(ap, unsigned long long));
			else if (len == 'l')
				snprintf(out + n, size - n, spec, va_arg(ap, unsigned long));
			else if (len == 'z' || len == 't')
				snprintf(out + n, size - n, spec, va_arg(ap, size_t));
			else if (len == 'j')
				snprintf(out + n, size - n, spec, va_arg(ap, uintmax_t));
			else
				snprintf(out + n, size - n, spec, va_arg(ap, unsigned));
			break;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			if (len == 'L')
				snprintf(out + n, size - n, spec, va_arg(ap, long double));
			else
				snprintf(out + n, size - n, spec, va_arg(ap, double));
			break;
		case 'c':
			snprintf(out + n, size - n, spec, va_arg(ap, int));
			break;
		case 'p':
			snprintf(out + n, size - n, spec, va_arg(ap, void *));
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "";
			if (whole && !bare(s) && !quoted(s))
				s = gw_log_quote(s, quote, sizeof quote);
			snprintf(out + n, size - n, spec, s);
			break;
		default:
			/* %n and the like: nothing a log line needs */
			break;
		}
		n += strlen(out + n);
		if (strchr("diu", f[-1]) || (strchr("fFeEgG", f[-1]))) {
			if (*nspans < SPANS_MAX)
				spans[(*nspans)++] =
				        (struct span){at, n, strchr("diu", f[-1]) == NULL};
		}
	}
	out[n] = '\0';
	if (n >= size - 1) {
		n = whole_fields(out, n);
		while (*nspans && spans[*nspans - 1].end > n)
			(*nspans)--;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20)
			out[i] = ' ';
}

/* The length of the UTF-8 sequence at s (left bytes), 0 when there is none. */
static size_t
utf8(const unsigned char *s, size_t left)
{
	size_t n = s[0] < 0x80   ? 1
	           : s[0] < 0xc2 ? 0
	           : s[0] < 0xe0 ? 2
	           : s[0] < 0xf0 ? 3
	           : s[0] < 0xf5 ? 4
	                         : 0;

	if (n == 0 || n > left)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong form, no surrogate, nothing past U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* A JSON string of s[0..n), each byte outside a UTF-8 sequence as '?'. */
static json_t *
json_text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	json_t *j = json_stringn(s, n);
	char *copy;
	size_t i = 0, m;

	if (j || !(copy = malloc(n)))
		return j;
	while (i < n) {
		m = utf8(u + i, n - i);
		if (m == 0) {
			copy[i++] = '?';
			continue;
		}
		memcpy(copy + i, s + i, m);
		i += m;
	}
	j = json_stringn(copy, n);
	free(copy);
	return j;
}

/* The number a conversion wrote at [at, end) of fields, or NULL if none did. */
static json_t *
number(const char *fields, size_t at, size_t end, const struct span *spans, size_t nspans)
{
	char num[64], *stop;

	for (size_t i = 0; i < nspans; i++) {
		if (spans[i].start != at || spans[i].end != end || end - at >= sizeof num)
			continue;
		memcpy(num, fields + at, end - at);
		num[end - at] = '\0';
		errno = 0;
		if (spans[i].real) {
			double d = strtod(num, &stop);

			return *stop || !isfinite(d) ? NULL : json_real(d);
		}
		long long v = strtoll(num, &stop, 10);

		return *stop || errno ? NULL : json_integer(v);
	}
	return NULL;
}

/*
 * The fields of a rendered line as members of o: key=value, a value quoted
 * ("...", \" and \\) or bare; a bare key alone is true, as in logfmt. A key
 * already in o (time, level, event) is not overwritten.
 */
static void
members(json_t *o, const char *fields, const struct span *spans, size_t nspans)
{
	char key[128], *val;
	size_t i = 0, len = strlen(fields), v, kn;
	json_t *j;

	if (!(val = malloc(len + 1)))
		return;
	while (i < len) {
		while (fields[i] == ' ')
			i++;
		if (i == len)
			break;
		for (kn = 0; i < len && fields[i] != ' ' && fields[i] != '='; i++)
			if (kn < sizeof key - 1)
				key[kn++] = fields[i];
		key[kn] = '\0';
		if (fields[i] != '=') {
			j = json_true();
		} else if (fields[++i] == '"') {
			for (v = 0, i++; i < len && fields[i] != '"'; i++) {
				if (fields[i] == '\\' && i + 1 < len)
					i++;
				val[v++] = fields[i];
			}
			i++;
			j = json_text(val, v);
		} else {
			size_t at = i;

			while (i < len && fields[i] != ' ')
				i++;
			if (!(j = number(fields, at, i, spans, nspans)))
				j = json_text(fields + at, i - at);
		}
		if (kn && !json_object_get(o, key))
			json_object_set_new(o, key, j);
		else
			json_decref(j);
	}
	free(val);
}

/* The line as one JSON object, newline-terminated, in line; its length, 0 if none. */
static size_t
json_line(char *line, size_t size, const char *stamp, enum gw_log_level level, const char *event,
          const char *fields, const struct span *spans, size_t nspans)
{
	json_t *o = json_object();
	char *dump;
	size_t n = 0;

	if (!o)
		return 0;
	json_object_set_new(o, "time", json_string(stamp));
	json_object_set_new(o, "level", json_string(gw_log_level_names[level]));
	json_object_set_new(o, "event", json_text(event, strlen(event)));
	members(o, fields, spans, nspans);
	dump = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (dump && (n = strlen(dump)) < size) {
		memcpy(line, dump, n);
		line[n++] = '\n';
	} else
		n = 0;
	free(dump);
	return n;
}

void
gw_log(enum gw_log_level level, const char *event, const char *fields, ...)
{
	/* room for the JSON of the longest field list: its quotes and commas */
	char line[8192], rendered[2048], stamp[GW_LOG_TIME_SIZE];
	struct span spans[SPANS_MAX];
	size_t n = 0, nspans = 0;
	va_list ap;

	if (level < threshold)
		return;
	gw_log_time(time(NULL), stamp);
	rendered[0] = '\0';
	if (fields) {
		va_start(ap, fields);
		render(rendered, sizeof rendered, spans, &nspans, fields, ap);
		va_end(ap);
	}
	if (atomic_load(&log_format) == GW_LOG_JSON)
		n = json_line(line, sizeof line, stamp, level, event, rendered, spans, nspans);
	if (n == 0) {
		n = (size_t)snprintf(line, sizeof line - 1, "%s %s %s%s%s", stamp,
		                     gw_log_level_names[level], event, rendered[0] ? " " : "",
		                     rendered);
		if (n > sizeof line - 2)
			n = sizeof line - 2;
		line[n++] = '\n';
	}
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
	return bare(s) && strlen(s) < size ? s : gw_log_quote(s, buf, size);
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
		snprintf(why, sizeof why, " error=%s", access_value(a->error, error, sizeof error));
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

void
gw_log_time(int64_t t, char out[GW_LOG_TIME_SIZE])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, GW_LOG_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
