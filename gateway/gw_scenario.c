/*
 * gw_scenario.c: the scenario format of `conform` and its built-in pack.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_file.h"
#include "gw_scenario.h"

extern const struct ijw_embedded gw_conform_pack[];

/* The most words of a line. */
#define MAX_WORDS 40
/* The largest scenario file. */
#define MAX_FILE (256u << 10)

static const char *const check_names[GW_CHECK_END] = {
        "arrival", "codes",  "client",    "nummer", "product",
        "period",  "volume", "reference", "advice", "with",
};

static const char *const mistake_names[GW_MISTAKE_END] = {
        "missing",   "other-client", "other-number",   "early-start",      "late-stop",
        "code-0001", "over-volume",  "outside-period", "ignore-reference",
};

struct parse {
	const char *file;
	unsigned line;
	struct gw_scenario *s;
	char *err;
	size_t errsize;
};

const char *
gw_scn_check_name(enum gw_scn_check c)
{
	return c < GW_CHECK_END ? check_names[c] : "?";
}

const char *
gw_scn_mistake_name(enum gw_scn_kind m)
{
	return m < GW_MISTAKE_END ? mistake_names[m] : "?";
}

const char *
gw_scn_side_name(enum ijw_party side)
{
	return side == IJW_GEMEENTE ? "gemeente" : "aanbieder";
}

const struct ijw_embedded *
gw_scenario_pack(void)
{
	return gw_conform_pack;
}

int
gw_scenario_label(const struct gw_scenario *s, const char *label)
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].label[0] && strcmp(s->steps[i].label, label) == 0)
			return (int)i;
	return -1;
}

static bool __attribute__((format(printf, 2, 3))) fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errsize, "%s:%u: ", p->file, p->line);

	if (n >= 0 && (size_t)n < p->errsize) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Copies word into dst of size bytes; false when it does not fit or is empty. */
static bool
copy_word(char *dst, size_t size, const char *word)
{
	size_t n = strlen(word);

	if (n == 0 || n >= size)
		return false;
	memcpy(dst, word, n + 1);
	return true;
}

static bool
is_name(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		      (*w >= '0' && *w <= '9') || *w == '-' || *w == '_' || *w == '.'))
			return false;
	return true;
}

static bool
side_of(const char *w, enum ijw_party *side)
{
	if (strcmp(w, "gemeente") == 0)
		*side = IJW_GEMEENTE;
	else if (strcmp(w, "aanbieder") == 0)
		*side = IJW_AANBIEDER;
	else
		return false;
	return true;
}

/* The step labelled w, defined before the current one. */
static bool
earlier(struct parse *p, const char *what, const char *w, int *step)
{
	if ((*step = gw_scenario_label(p->s, w)) < 0)
		return fail(p, "%s %s: no earlier step is labelled %s", what, w, w);
	return true;
}

static bool
parse_codes(struct parse *p, struct gw_scn_step *st, const char *w)
{
	const char *c = w;

	st->ncodes = 0;
	for (;;) {
		size_t n = strcspn(c, ",");

		if (n != 4 || strspn(c, "0123456789") < 4)
			return fail(p,
			            "codes %s: a retour code is four digits, codes a list "
			            "separated by commas",
			            w);
		if (st->ncodes == GW_SCN_MAX_CODES)
			return fail(p, "codes %s: at most %d codes", w, GW_SCN_MAX_CODES);
		memcpy(st->codes[st->ncodes++], c, 4);
		if (!c[4])
			return true;
		c += 5;
	}
}

static bool
parse_within(struct parse *p, struct gw_scn_step *st, const char *w)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(w, &end, 10);
	if (errno || end == w || strcmp(end, "s") != 0 || *w == '-' || n < 1 || n > 86400)
		return fail(p, "within %s: a deadline is 1s to 86400s, such as 60s", w);
	st->within = (unsigned)n;
	return true;
}

static bool
parse_mod(struct parse *p, struct gw_scn_step *st, const char *path, const char *value)
{
	struct gw_scn_mod *m;
	size_t n = strlen(value);

	if (st->nmods == GW_SCN_MAX_MODS)
		return fail(p, "with %s: at most %d `with` on a step", path, GW_SCN_MAX_MODS);
	m = &st->mods[st->nmods];
	if (!copy_word(m->path, sizeof m->path, path) || path[0] == '/' ||
	    path[strlen(path) - 1] == '/' || strstr(path, "//"))
		return fail(p,
		            "with %s: a path is local names separated by '/', such as "
		            "ToegewezenProduct/Einddatum",
		            path);
	if (!copy_word(m->value, sizeof m->value, value))
		return fail(p, "with %s %s: a value has at most %d characters", path, value,
		            GW_SCN_VALUE_SIZE - 1);
	m->today = strncmp(value, "today", 5) == 0;
	if (m->today)
		value += 5, n -= 5;
	m->relative =
	        m->today || ((value[0] == '+' || value[0] == '-') && n >= 3 && value[n - 1] == 'd');
	if (m->relative && n) {
		char *end;

		errno = 0;
		m->days = strtol(value, &end, 10);
		if (errno || (value[0] != '+' && value[0] != '-') || n < 3 ||
		    end != value + n - 1 || value[n - 1] != 'd' || m->days < -36600 ||
		    m->days > 36600)
			return fail(p,
			            "with %s %s: a relative date is +Nd or -Nd, today, today+Nd or "
			            "today-Nd, such as +90d",
			            path, m->value);
	}
	st->nmods++;
	return true;
}

/* The checks of a step against the messages it names. */
static bool
check_step(struct parse *p, struct gw_scn_step *st)
{
	const struct ijw_msgdef *def = ijw_msgdef(st->type);

	if (st->link == GW_LINK_NONE) {
		if (st->type != IJW_JW301 && st->type != IJW_JW315)
			return fail(p,
			            "%s needs `from LABEL` or `answering LABEL`: only a JW301 or a "
			            "JW315 begins a conversation",
			            def->name);
		if (def->afzender != st->side)
			return fail(p, "a %s is sent by the %s", def->name,
			            gw_scn_side_name(def->afzender));
	} else if (st->link == GW_LINK_ANSWERING) {
		const struct gw_scn_step *src = &p->s->steps[st->source];
		const struct ijw_msgdef *sd = ijw_msgdef(src->type);

		if (sd->retour || sd->pair != st->type)
			return fail(p, "%s does not answer %s (a %s): %s", def->name, src->label,
			            sd->name,
			            sd->retour ? "a retour is not answered"
			                       : ijw_msgdef(sd->pair)->name);
		if (src->side == st->side)
			return fail(p, "the %s answers its own message %s",
			            gw_scn_side_name(st->side), src->label);
	} else {
		if (def->retour && st->type != IJW_JW325)
			return fail(p, "%s is a retour: it is `answering LABEL`", def->name);
		if (ijw_msgdef(p->s->steps[st->source].type)->retour &&
		    p->s->steps[st->source].type != IJW_JW325)
			return fail(p, "from %s: nothing follows from a retour",
			            p->s->steps[st->source].label);
		if (def->afzender != st->side && st->type != IJW_JW325)
			return fail(p, "a %s is sent by the %s", def->name,
			            gw_scn_side_name(def->afzender));
	}
	if (st->ncodes && st->link != GW_LINK_ANSWERING)
		return fail(p, "codes are for a retour: a step `answering LABEL`");
	return true;
}

/* SIDE sends TYPE clauses... */
static bool
parse_step(struct parse *p, char **w, size_t n)
{
	struct gw_scn_step *st;
	const struct ijw_msgdef *def;

	if (p->s->nsteps == GW_SCN_MAX_STEPS)
		return fail(p, "at most %d steps in a scenario", GW_SCN_MAX_STEPS);
	st = &p->s->steps[p->s->nsteps];
	memset(st, 0, sizeof *st);
	st->line = p->line;
	st->source = -1;
	st->within = GW_SCN_WITHIN_DEFAULT;
	side_of(w[0], &st->side);
	if (n < 3 || strcmp(w[1], "sends") != 0)
		return fail(p, "a step is `%s sends JW3xx ...`", w[0]);
	if (!(def = ijw_msgdef_by_name(w[2])))
		return fail(p, "%s: not an iJw 3.2 message (JW301, JW302, ... JW325)", w[2]);
	st->type = def->type;
	for (size_t i = 3; i < n; i += 2) {
		const char *k = w[i], *v = i + 1 < n ? w[i + 1] : NULL;

		if (!v)
			return fail(p, "%s wants a value", k);
		if (strcmp(k, "as") == 0) {
			if (st->label[0])
				return fail(p, "as %s: the step is labelled %s already", v,
				            st->label);
			if (!is_name(v) || !copy_word(st->label, sizeof st->label, v))
				return fail(p,
				            "as %s: a label is up to %d letters, digits, '-', '_'",
				            v, GW_SCN_LABEL_SIZE - 1);
			if (gw_scenario_label(p->s, v) >= 0)
				return fail(p, "as %s: another step is labelled %s", v, v);
		} else if (strcmp(k, "from") == 0 || strcmp(k, "answering") == 0) {
			if (st->link != GW_LINK_NONE)
				return fail(p, "%s %s: a step follows from one message", k, v);
			if (!earlier(p, k, v, &st->source))
				return false;
			st->link = k[0] == 'f' ? GW_LINK_FROM : GW_LINK_ANSWERING;
		} else if (strcmp(k, "codes") == 0) {
			if (!parse_codes(p, st, v))
				return false;
		} else if (strcmp(k, "within") == 0) {
			if (!parse_within(p, st, v))
				return false;
		} else if (strcmp(k, "with") == 0) {
			if (i + 2 >= n)
				return fail(p, "with %s wants a PATH and a VALUE", v);
			if (!parse_mod(p, st, v, w[i + 2]))
				return false;
			i++;
		} else {
			return fail(p, "%s: expected as, from, answering, codes, within or with",
			            k);
		}
	}
	if (!check_step(p, st))
		return false;
	p->s->nsteps++;
	return true;
}

/* mistake LABEL KIND caught-by LABEL CHECK */
static bool
parse_mistake(struct parse *p, char **w, size_t n)
{
	struct gw_scn_mistake *m;
	size_t k;

	if (n != 6 || strcmp(w[3], "caught-by") != 0)
		return fail(p, "a mistake is `mistake LABEL KIND caught-by LABEL CHECK`");
	if (p->s->nmistakes == GW_SCN_MAX_MISTAKES)
		return fail(p, "at most %d mistakes in a scenario", GW_SCN_MAX_MISTAKES);
	m = &p->s->mistakes[p->s->nmistakes];
	m->line = p->line;
	if (!earlier(p, "mistake", w[1], &m->step) || !earlier(p, "caught-by", w[4], &m->caught_by))
		return false;
	for (k = 0; k < GW_MISTAKE_END && strcmp(mistake_names[k], w[2]) != 0; k++)
		;
	if (k == GW_MISTAKE_END)
		return fail(p,
		            "%s: not a mistake (missing, other-client, other-number, "
		            "early-start, late-stop, code-0001, over-volume, outside-period, "
		            "ignore-reference)",
		            w[2]);
	m->kind = (enum gw_scn_kind)k;
	for (k = 0; k < GW_CHECK_END && strcmp(check_names[k], w[5]) != 0; k++)
		;
	if (k == GW_CHECK_END)
		return fail(p,
		            "%s: not a check (arrival, codes, client, nummer, product, period, "
		            "volume, reference, advice, with)",
		            w[5]);
	m->check = (enum gw_scn_check)k;
	if (m->caught_by < m->step)
		return fail(p, "caught-by %s: a mistake is caught at its step %s or later", w[4],
		            w[1]);
	if (m->kind == GW_MISTAKE_CODE_0001 && p->s->steps[m->step].link != GW_LINK_ANSWERING)
		return fail(p, "code-0001: step %s is not a retour", w[1]);
	p->s->nmistakes++;
	return true;
}

static bool
parse_line(struct parse *p, char *line)
{
	char *w[MAX_WORDS];
	size_t n = 0;
	char *s = line + strspn(line, " \t");

	if (!*s || *s == '#')
		return true;
	if (strncmp(s, "about", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
		s += 5 + strspn(s + 5, " \t");
		if (!*s || strlen(s) >= sizeof p->s->about)
			return fail(p, "about: one line of text, up to %zu characters",
			            sizeof p->s->about - 1);
		memcpy(p->s->about, s, strlen(s) + 1);
		return true;
	}
	for (char *save = NULL, *t = strtok_r(s, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_WORDS)
			return fail(p, "more than %d words on a line", MAX_WORDS);
		w[n++] = t;
	}
	if (strcmp(w[0], "scenario") == 0) {
		if (p->s->name[0])
			return fail(p, "one scenario a file: this one is %s", p->s->name);
		if (n != 2 || !is_name(w[1]) || !copy_word(p->s->name, sizeof p->s->name, w[1]))
			return fail(p, "scenario NAME: a name of letters, digits, '-', '_'");
		return true;
	}
	if (!p->s->name[0])
		return fail(p, "a scenario begins with `scenario NAME`");
	if (strcmp(w[0], "mistake") == 0)
		return parse_mistake(p, w, n);
	if (strcmp(w[0], "gemeente") == 0 || strcmp(w[0], "aanbieder") == 0)
		return parse_step(p, w, n);
	return fail(p,
	            "%s: a line is `scenario`, `about`, a step (`gemeente sends ...`, "
	            "`aanbieder sends ...`) or a `mistake`",
	            w[0]);
}

bool
gw_scenario_parse(const char *text, size_t len, const char *file, struct gw_scenario *s, char *err,
                  size_t errsize)
{
	struct parse p = {.file = file, .s = s, .err = err, .errsize = errsize};
	char line[512];

	memset(s, 0, sizeof *s);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t raw = nl ? (size_t)(nl - (text + at)) : len - at, n = raw;

		p.line++;
		if (n && text[at + n - 1] == '\r')
			n--;
		if (n >= sizeof line)
			return fail(&p, "a line has at most %zu characters", sizeof line - 1);
		if (memchr(text + at, '\0', n))
			return fail(&p, "a NUL byte: not a text file");
		memcpy(line, text + at, n);
		line[n] = '\0';
		if (!parse_line(&p, line))
			return false;
		at += raw + (nl ? 1 : 0);
	}
	p.line++;
	if (!s->name[0])
		return fail(&p, "no `scenario NAME`: not a scenario");
	if (!s->nsteps)
		return fail(&p, "scenario %s has no steps", s->name);
	return true;
}

bool
gw_scenario_load(const char *name, struct gw_scenario *s, char *err, size_t errsize)
{
	char file[GW_SCN_NAME_SIZE + 16];
	struct ijw_buf b;
	ijw_rc rc;
	bool ok;

	snprintf(file, sizeof file, "%s.scenario", name);
	for (const struct ijw_embedded *e = gw_conform_pack; e->name; e++)
		if (strcmp(e->name, file) == 0)
			return gw_scenario_parse((const char *)e->data, e->len, e->name, s, err,
			                         errsize);
	if (!strchr(name, '/') && !strchr(name, '.')) {
		snprintf(err, errsize, "%s: no such built-in scenario (--list names them)", name);
		return false;
	}
	ijw_buf_init(&b, MAX_FILE);
	if ((rc = gw_read_file(name, &b))) {
		snprintf(err, errsize, "%s: %s", name,
		         rc == IJW_EIO ? strerror(errno) : "larger than 256 KiB: not a scenario");
		ijw_buf_free(&b);
		return false;
	}
	ok = gw_scenario_parse(b.data ? b.data : "", b.len, name, s, err, errsize);
	ijw_buf_free(&b);
	return ok;
}
