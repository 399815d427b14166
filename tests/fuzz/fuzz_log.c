/*
 * fuzz_log.c: libFuzzer target over the log's lines (gw_log.c) with values
 * as a client could send them: the input is two values, split at its first
 * NUL, logged as key=%s fields in logfmt and in JSON. Each must be one line;
 * the logfmt one logfmt, the JSON one an object; a value that is a bare
 * ASCII word comes out as it went in, and the number after the values, when
 * the line has room for it, as a number.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gw_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The line gw_log() writes for a and b in format f, in a buffer to free.
 * stderr is a memory stream meanwhile; file descriptor 2, where the
 * sanitizers and libFuzzer write, stays as it is.
 */
static char *
line_of(enum gw_log_format f, const char *a, const char *b, size_t *len)
{
	FILE *saved = stderr, *m;
	char *out = NULL;

	if (!(m = open_memstream(&out, len)))
		abort();
	gw_log_set_format(f);
	stderr = m;
	gw_log(GW_LOG_INFO, "fuzz", "a=%s b=%s n=%d", a, b, 7);
	stderr = saved;
	if (fclose(m) != 0)
		abort();
	return out;
}

/* Bytes a logfmt key or bare value is made of. */
static bool
word_byte(char c)
{
	return (unsigned char)c > ' ' && c != '=' && c != '"';
}

/*
 * Whether s[0..n) is three words (time, level, event), then key=value
 * pairs, one space apart: a value a word, or quoted with \" and \\ escaped.
 */
static bool
is_logfmt(const char *s, size_t n)
{
	size_t i = 0, words = 0, start;

	while (i < n) {
		for (start = i; i < n && word_byte(s[i]); i++)
			;
		if (i == start)
			return false;
		words++;
		if ((i < n && s[i] == '=') != (words > 3))
			return false;
		if (words > 3 && ++i < n && s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\' && (++i == n || (s[i] != '"' && s[i] != '\\')))
					return false;
			if (i++ == n)
				return false;
		} else if (words > 3) {
			for (start = i; i < n && word_byte(s[i]); i++)
				;
			if (i == start)
				return false;
		}
		if (i < n && s[i++] != ' ')
			return false;
	}
	return words >= 3;
}

/* Whether s is a word of printable ASCII that needs no quotes. */
static bool
ascii_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!word_byte(*s) || (unsigned char)*s >= 0x7f || *s == '\\')
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b, *line;
	size_t na, len;
	json_t *o, *n;

	if (!a)
		abort();
	memcpy(a, data, size);
	a[size] = '\0';
	na = strlen(a);
	b = na < size ? a + na + 1 : a + size;

	line = line_of(GW_LOG_LOGFMT, a, b, &len);
	if (len < 2 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) ||
	    !is_logfmt(line, len - 1))
		abort();
	free(line);

	line = line_of(GW_LOG_JSON, a, b, &len);
	if (len < 2 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) ||
	    !(o = json_loadb(line, len - 1, 0, NULL)) || !json_is_object(o) ||
	    strcmp(json_string_value(json_object_get(o, "event")), "fuzz") != 0)
		abort();
	if (ascii_word(a) && strlen(a) < 512 &&
	    strcmp(json_string_value(json_object_get(o, "a")), a) != 0)
		abort();
	if ((n = json_object_get(o, "n")) && json_integer_value(n) != 7)
		abort();
	if (na < 512 && strlen(b) < 512 && !n)
		abort();
	json_decref(o);
	free(line);
	free(a);
	return 0;
}
