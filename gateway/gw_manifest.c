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
/* The most columns a heading may name. */
#define FIELDS_MAX 32

/* The columns the reader knows, by their heading; the first REQUIRED ones must be there. */
enum column { FILE_, OUTCOME, TYPE, RETOURCODE, RULES, ADVICE, TRANSLATED, RECORD_CODES, NCOLUMNS };
#define REQUIRED 5
static const char *const columns[NCOLUMNS] = {
        "file", "outcome", "type", "retourcode", "rules", "advice", "translated", "record_codes",
};

struct gw_manifest {
	char *text; /* the file, cut into fields in place */
	struct gw_expect *e;
	size_t n;
	size_t nfields;      /* the heading's columns */
	int where[NCOLUMNS]; /* the field of each known column, -1 when the heading lacks it */
	size_t needed;       /* fields a line must have: up to the last required column */
};

/*
 * Cuts line into tab-separated fields, at most FIELDS_MAX of them (the rest
 * of the line is left to the last). Returns how many there are.
 */
static size_t
split(char *line, char *field[FIELDS_MAX])
{
	size_t n = 0;

	field[n++] = line;
	while (n < FIELDS_MAX && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		field[n++] = line;
	}
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

/* The n bytes at s are a number of a record: 1 to 9999, no leading zero. */
static bool
is_position(const char *s, size_t n)
{
	if (n == 0 || n > 4 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "-", or POSITION:CODE[+CODE...] separated by single commas, positions rising. */
static bool
is_record_codes(const char *s)
{
	unsigned long last = 0;

	if (strcmp(s, "-") == 0)
		return true;
	for (;;) {
		size_t n = strcspn(s, ":");

		if (!is_position(s, n) || s[n] != ':' || strtoul(s, NULL, 10) <= last)
			return false;
		last = strtoul(s, NULL, 10);
		s += n;
		do {
			s++;
			if (strspn(s, "0123456789") != 4 || (s[4] && s[4] != '+' && s[4] != ','))
				return false;
			s += 4;
		} while (*s == '+');
		if (*s == '\0')
			return true;
		s++;
	}
}

/* The field of column c of a line of n fields, NULL when the line has it not or empty. */
static char *
field_of(const gw_manifest *m, char *f[FIELDS_MAX], size_t n, enum column c)
{
	return m->where[c] < 0 || (size_t)m->where[c] >= n || f[m->where[c]][0] == '\0'
	               ? NULL
	               : f[m->where[c]];
}

/* Checks the optional columns of a line into e; false with err set when one is wrong. */
static bool
add_optional(const gw_manifest *m, struct gw_expect *e, char *f[FIELDS_MAX], size_t n,
             unsigned lineno, char *err, size_t errsize)
{
	const char *advice = field_of(m, f, n, ADVICE);
	const char *translated = field_of(m, f, n, TRANSLATED);
	const char *codes = field_of(m, f, n, RECORD_CODES);

	if (advice && !is_rules(advice)) {
		snprintf(err, errsize,
		         "%u: the advice is rule codes separated by commas, or -, not '%s'", lineno,
		         advice);
		return false;
	}
	if (translated && strcmp(translated, "yes") != 0 && strcmp(translated, "no") != 0) {
		snprintf(err, errsize, "%u: translated is yes or no, not '%s'", lineno, translated);
		return false;
	}
	if (codes && !is_record_codes(codes)) {
		snprintf(err, errsize,
		         "%u: the record codes are RECORD:CODE[+CODE...] separated by commas "
		         "(1:0200,3:8001), records rising, or -, not '%s'",
		         lineno, codes);
		return false;
	}
	e->advice = advice && strcmp(advice, "-") == 0 ? "" : advice;
	e->translated = translated ? (strcmp(translated, "yes") == 0 ? GW_EXPECT_YES : GW_EXPECT_NO)
	                           : GW_EXPECT_ANY;
	e->record_codes = codes && strcmp(codes, "-") == 0 ? "" : codes;
	return true;
}

/* Checks and keeps one line of samples; false with err set when it is wrong. */
static bool
add_line(gw_manifest *m, char *line, unsigned lineno, char *err, size_t errsize)
{
	char *f[FIELDS_MAX];
	struct gw_expect *e = &m->e[m->n];
	const char *file, *outcome, *type, *code, *rules;
	size_t n = split(line, f);

	if (n < m->needed) {
		snprintf(err, errsize, "%u: wants %zu tab-separated fields, as the heading names",
		         lineno, m->needed);
		return false;
	}
	file = f[m->where[FILE_]];
	outcome = f[m->where[OUTCOME]];
	type = f[m->where[TYPE]];
	code = f[m->where[RETOURCODE]];
	rules = f[m->where[RULES]];
	if (file[0] == '\0' || strchr(file, '/')) {
		snprintf(err, errsize, "%u: the file is a name within the folder, not '%s'", lineno,
		         file);
		return false;
	}
	if (strcmp(outcome, "accepted") != 0 && strcmp(outcome, "rejected") != 0) {
		snprintf(err, errsize, "%u: the outcome is accepted or rejected, not '%s'", lineno,
		         outcome);
		return false;
	}
	if (strcmp(type, "unknown") != 0 && !ijw_msgdef_by_name(type)) {
		snprintf(err, errsize, "%u: '%s' is not an iJw 3.2 message type (nor unknown)",
		         lineno, type);
		return false;
	}
	if (!is_digits(code, 4)) {
		snprintf(err, errsize, "%u: the retour code is four digits, not '%s'", lineno,
		         code);
		return false;
	}
	if (!is_rules(rules)) {
		snprintf(err, errsize,
		         "%u: the rules are rule codes separated by commas, or -, not '%s'", lineno,
		         rules);
		return false;
	}
	if (!add_optional(m, e, f, n, lineno, err, errsize))
		return false;
	e->file = file;
	e->accepted = strcmp(outcome, "accepted") == 0;
	e->type = type;
	e->retourcode = code;
	e->rules = strcmp(rules, "-") == 0 ? "" : rules;
	e->line = lineno;
	m->n++;
	return true;
}

/* Reads the heading: which field holds which column. false with err set when it is wrong. */
static bool
read_heading(gw_manifest *m, char *line, unsigned lineno, char *err, size_t errsize)
{
	char *f[FIELDS_MAX];

	m->nfields = split(line, f);
	if (strchr(f[m->nfields - 1], '\t')) {
		snprintf(err, errsize, "%u: a heading of more than %d columns", lineno, FIELDS_MAX);
		return false;
	}
	for (size_t c = 0; c < NCOLUMNS; c++)
		m->where[c] = -1;
	for (size_t i = 0; i < m->nfields; i++) {
		for (size_t c = 0; c < NCOLUMNS; c++) {
			if (strcmp(f[i], columns[c]) != 0)
				continue;
			if (m->where[c] >= 0) {
				snprintf(err, errsize, "%u: the heading names %s twice", lineno,
				         columns[c]);
				return false;
			}
			m->where[c] = (int)i;
			if (c < REQUIRED && i + 1 > m->needed)
				m->needed = i + 1;
		}
	}
	for (size_t c = 0; c < REQUIRED; c++) {
		if (m->where[c] < 0) {
			snprintf(err, errsize,
			         "%u: the heading (tab-separated) names %s, %s, %s, %s and %s; "
			         "this one has no %s",
			         lineno, columns[0], columns[1], columns[2], columns[3], columns[4],
			         columns[c]);
			return false;
		}
	}
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
			if (!read_heading(m, line, lineno, err, errsize))
				return IJW_EINVAL;
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
