/*
 * gw_manifest.c: reading a folder's expected.tsv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_file.h"
#include "gw_manifest.h"
#include "ijw_registry.h"

/* A manifest lists samples, one short line each: 16 MiB is far beyond any. */
#define MANIFEST_MAX (16u << 20)

/* The columns a manifest must have, in order; further ones are for people. */
static const char *const columns[] = {"file", "outcome", "type", "retourcode", "rules"};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

struct gw_manifest {
	char *text; /* the file, cut into fields in place */
	struct gw_expect *e;
	size_t n;
};

/*
 * Cuts line into tab-separated fields, at most NCOLUMNS of them (the rest of
 * the line is left to the last). Returns how many there are.
 */
static size_t
split(char *line, char *field[NCOLUMNS])
{
	size_t n = 0;

	field[n++] = line;
	while (n < NCOLUMNS && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		field[n++] = line;
	}
	if (n == NCOLUMNS && (line = strchr(field[n - 1], '\t')))
		*line = '\0';
	return n;
}

static bool
is_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "-", or rule codes (capitals and digits) separated by single commas. */
static bool
is_rules(const char *s)
{
	if (strcmp(s, "-") == 0)
		return true;
	for (;;) {
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

		if (n == 0)
			return false;
		s += n;
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

/* Checks and keeps one line of samples; false with err set when it is wrong. */
static bool
add_line(gw_manifest *m, char *line, unsigned lineno, char *err, size_t errsize)
{
	char *f[NCOLUMNS];
	struct gw_expect *e = &m->e[m->n];

	if (split(line, f) < NCOLUMNS) {
		snprintf(err, errsize, "%u: wants %zu tab-separated fields (%s, ...)", lineno,
		         NCOLUMNS, columns[0]);
		return false;
	}
	if (f[0][0] == '\0' || strchr(f[0], '/')) {
		snprintf(err, errsize, "%u: the file is a name within the folder, not '%s'", lineno,
		         f[0]);
		return false;
	}
	if (strcmp(f[1], "accepted") != 0 && strcmp(f[1], "rejected") != 0) {
		snprintf(err, errsize, "%u: the outcome is accepted or rejected, not '%s'", lineno,
		         f[1]);
		return false;
	}
	if (strcmp(f[2], "unknown") != 0 && !ijw_msgdef_by_name(f[2])) {
		snprintf(err, errsize, "%u: '%s' is not an iJw 3.2 message type (nor unknown)",
		         lineno, f[2]);
		return false;
	}
	if (!is_digits(f[3], 4)) {
		snprintf(err, errsize, "%u: the retour code is four digits, not '%s'", lineno,
		         f[3]);
		return false;
	}
	if (!is_rules(f[4])) {
		snprintf(err, errsize,
		         "%u: the rules are rule codes separated by commas, or -, not '%s'", lineno,
		         f[4]);
		return false;
	}
	e->file = f[0];
	e->accepted = strcmp(f[1], "accepted") == 0;
	e->type = f[2];
	e->retourcode = f[3];
	e->rules = strcmp(f[4], "-") == 0 ? "" : f[4];
	e->line = lineno;
	m->n++;
	return true;
}

static bool
is_heading(char *line)
{
	char *f[NCOLUMNS];

	if (split(line, f) < NCOLUMNS)
		return false;
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (strcmp(f[i], columns[i]) != 0)
			return false;
	return true;
}

static int
cmp_expect(const void *a, const void *b)
{
	const struct gw_expect *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Cuts m->text (len bytes) into lines and reads them. */
static ijw_rc
parse(gw_manifest *m, size_t len, char *err, size_t errsize)
{
	char *line = m->text;
	bool heading = false;
	unsigned lineno = 0;
	size_t lines = 1;

	if (memchr(m->text, '\0', len)) {
		snprintf(err, errsize, "0: a text file has no NUL bytes");
		return IJW_EINVAL;
	}
	for (const char *p = m->text; (p = strchr(p, '\n')); p++)
		lines++;
	if (!(m->e = calloc(lines, sizeof *m->e)))
		return IJW_ENOMEM;
	while (line) {
		char *next = strchr(line, '\n');
		size_t n;

		if (next)
			*next++ = '\0';
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		lineno++;
		if (line[0] == '#' || line[0] == '\0') {
			line = next;
			continue;
		}
		if (!heading) {
			if (!is_heading(line)) {
				snprintf(err, errsize,
				         "%u: the heading is %s, %s, %s, %s, %s, note "
				         "(tab-separated)",
				         lineno, columns[0], columns[1], columns[2], columns[3],
				         columns[4]);
				return IJW_EINVAL;
			}
			heading = true;
		} else if (!add_line(m, line, lineno, err, errsize)) {
			return IJW_EINVAL;
		}
		line = next;
	}
	if (!heading) {
		snprintf(err, errsize, "%u: no heading line", lineno);
		return IJW_EINVAL;
	}
	qsort(m->e, m->n, sizeof *m->e, cmp_expect);
	for (size_t i = 1; i < m->n; i++) {
		if (strcmp(m->e[i - 1].file, m->e[i].file) == 0) {
			snprintf(err, errsize, "%u: %s is listed on line %u already", m->e[i].line,
			         m->e[i].file, m->e[i - 1].line);
			return IJW_EINVAL;
		}
	}
	return IJW_OK;
}

ijw_rc
gw_manifest_read(const char *path, gw_manifest **out, char *err, size_t errsize)
{
	struct ijw_buf in;
	gw_manifest *m;
	ijw_rc rc;

	*out = NULL;
	err[0] = '\0';
	ijw_buf_init(&in, MANIFEST_MAX);
	/* Adding nothing gives even an empty file its memory and terminator. */
	if ((rc = gw_read_file(path, &in)) || (rc = ijw_buf_add(&in, "", 0))) {
		ijw_buf_free(&in);
		return rc;
	}
	if (!(m = calloc(1, sizeof *m))) {
		ijw_buf_free(&in);
		return IJW_ENOMEM;
	}
	/* The manifest keeps the buffer's memory: its strings point into it. */
	m->text = in.data;
	if ((rc = parse(m, in.len, err, errsize))) {
		gw_manifest_free(m);
		return rc;
	}
	*out = m;
	return IJW_OK;
}

void
gw_manifest_free(gw_manifest *m)
{
	if (!m)
		return;
	free(m->e);
	free(m->text);
	free(m);
}

const struct gw_expect *
gw_manifest_find(const gw_manifest *m, const char *file)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(file, m->e[mid].file);

		if (c == 0)
			return &m->e[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
