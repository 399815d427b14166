/*
 * ijw_products.c: reading a region's product table, and looking things up.
 *
 * inih reads the text line by line through a reader that counts lines, so
 * that every problem names its line. References between sections (a legacy
 * code to a combination, a combination to its profile and intensity) are
 * resolved when the whole file is read, each reported at the line that makes it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "ijw_products.h"

#define MAX_INTENSITIES 26
#define MAX_PROFILES 99

struct pending_legacy {
	struct ijw_legacy l;
	char target[8]; /* the combination named, "" when unmapped */
};

struct ijw_products {
	char region[128];
	bool example;
	enum ijw_check check_tariff, check_day_price;
	struct ijw_policy policy;
	char agreement[64];
	struct ceiling {
		char aanbieder[9];
		int year;
		unsigned profile; /* 0: the provider's total */
		long cents;
	} * ceilings;
	size_t nceilings;
	char *intensity[MAX_INTENSITIES]; /* by letter */
	char *profile[MAX_PROFILES + 1];  /* by number */
	unsigned profile_line[MAX_PROFILES + 1];
	struct ijw_combination *combos;
	size_t ncombos;
	struct pending_legacy *legacy;
	size_t nlegacy;
};

struct reading {
	ijw_products *p;
	const char *name;
	const char *text, *end, *at; /* the text and where reading is */
	unsigned line;
	char section[64];
	unsigned section_line; /* where the last header read is */
	unsigned region_line;  /* where [region] is, 0 before it */
	struct ijw_combination *combo;
	char *err;
	size_t errlen;
};

static int problem_at(struct reading *r, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
problem_at(struct reading *r, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (r->err[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s:%u: %s", r->name, line, msg);
	return 0;
}

#define PROBLEM(r, ...) problem_at(r, (r)->line, __VA_ARGS__)

static int begin_section(struct reading *r, const char *section);

/*
 * inih's reader: one line of the text at a time. A section begins here, at
 * its header, so that one without settings is seen too, and on_entry() takes
 * the section from here: where inih and this reader disagree on what a
 * header is, a setting would land in a section that was never checked.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	const char *line = str;
	size_t n = 0;

	if (r->at >= r->end || num < 2)
		return NULL;
	while (r->at < r->end && n < (size_t)num - 1) {
		char c = *r->at++;

		str[n++] = c;
		if (c == '\n')
			break;
	}
	str[n] = '\0';
	r->line++;
	if (n == (size_t)num - 1 && str[n - 1] != '\n' && r->at < r->end) {
		problem_at(r, r->line, "the line is longer than %d characters", num - 2);
		return NULL;
	}
	while (isspace((unsigned char)*line))
		line++;
	/* inih takes an indented one for a header or for the value's next line. */
	if (*line == '[' && line != str) {
		problem_at(r, r->line, "a [section] header begins its line");
		return NULL;
	}
	if (*line == '[') {
		const char *name = line + 1;
		const char *close = strchr(name, ']');
		char section[sizeof r->section];

		r->section_line = r->line;
		if (close) {
			snprintf(section, sizeof section, "%.*s", (int)(close - name), name);
			if (!begin_section(r, section))
				return NULL;
		}
	}
	return str;
}

static bool
digits(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n >= min && n <= max;
}

/* An iJw product category (LDT_ProductCategorie): 31 to 38, 40 to 55. */
static bool
categorie_valid(const char *s)
{
	int v;

	if (!digits(s, 2, 2))
		return false;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return (v >= 31 && v <= 38) || (v >= 40 && v <= 55);
}

static bool
code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* "45 45A07" into its parts. */
static bool
split_product(const char *s, char cat[3], char code[6])
{
	char a[8], b[8], extra[2];

	if (sscanf(s, "%7s %7s %1s", a, b, extra) != 2 || !categorie_valid(a) || !code_valid(b))
		return false;
	memcpy(cat, a, 3);
	memcpy(code, b, strlen(b) + 1);
	return true;
}

static bool
cents(const char *s, long *v)
{
	char *end;

	errno = 0;
	if (!digits(s, 1, 12))
		return false;
	*v = strtol(s, &end, 10);
	return errno == 0;
}

static const char *const check_names[] = {"off", "advise", "enforce"};

static bool
check_of(const char *s, enum ijw_check *c)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, check_names[i]) == 0) {
			*c = (enum ijw_check)i;
			return true;
		}
	return false;
}

static int
on_region(struct reading *r, const char *key, const char *value)
{
	ijw_products *p = r->p;

	if (strcmp(key, "name") == 0) {
		snprintf(p->region, sizeof p->region, "%s", value);
	} else if (strncmp(key, "intensity ", 10) == 0) {
		const char *c = key + 10;

		if (strlen(c) != 1 || *c < 'A' || *c > 'Z')
			return PROBLEM(r, "an intensity is named by one capital letter: "
			                  "intensity P = Perspectief");
		if (!*value)
			return PROBLEM(r, "intensity %s has no name", c);
		if (p->intensity[*c - 'A'])
			return PROBLEM(r, "intensity %s is given twice", c);
		if (!(p->intensity[*c - 'A'] = strdup(value)))
			return PROBLEM(r, "out of memory");
	} else if (strcmp(key, "tariffs") == 0) {
		if (strcmp(value, "example") && strcmp(value, "contract"))
			return PROBLEM(r, "tariffs is example or contract, not '%s'", value);
		p->example = strcmp(value, "example") == 0;
	} else if (strcmp(key, "check_tariff") == 0 || strcmp(key, "check_day_price") == 0 ||
	           strcmp(key, "check_stacking") == 0 || strcmp(key, "check_ceiling") == 0 ||
	           strcmp(key, "check_invoice_days") == 0) {
		enum ijw_check *c = strcmp(key, "check_tariff") == 0      ? &p->check_tariff
		                    : strcmp(key, "check_day_price") == 0 ? &p->check_day_price
		                    : strcmp(key, "check_stacking") == 0  ? &p->policy.stacking
		                    : strcmp(key, "check_ceiling") == 0   ? &p->policy.ceiling
		                                                          : &p->policy.invoice;

		if (!check_of(value, c))
			return PROBLEM(r, "%s is enforce, advise or off, not '%s'", key, value);
	} else if (strcmp(key, "acute") == 0 || strcmp(key, "durable") == 0) {
		if (strlen(value) != 1 || *value < 'A' || *value > 'Z')
			return PROBLEM(r, "%s names an intensity by its letter, not '%s'", key,
			               value);
		*(strcmp(key, "acute") == 0 ? &p->policy.acute : &p->policy.durable) = *value;
	} else if (strcmp(key, "acute_max_days") == 0 || strcmp(key, "invoice_days") == 0) {
		if (!digits(value, 1, 4))
			return PROBLEM(r, "%s is a number of days, not '%s'", key, value);
		*(strcmp(key, "acute_max_days") == 0 ? &p->policy.acute_max_days
		                                     : &p->policy.invoice_days) =
		        (unsigned)strtoul(value, NULL, 10);
	} else if (strcmp(key, "agreement") == 0) {
		if (strlen(value) >= sizeof p->agreement)
			return PROBLEM(r, "agreement is at most %zu characters",
			               sizeof p->agreement - 1);
		snprintf(p->agreement, sizeof p->agreement, "%s", value);
	} else {
		return PROBLEM(r, "unknown setting '%s' in [region]", key);
	}
	return 1;
}

static int
on_combination(struct reading *r, const char *key, const char *value)
{
	struct ijw_combination *c = r->combo;

	if (strcmp(key, "segment") == 0) {
		if (strcmp(value, "B") && strcmp(value, "C"))
			return PROBLEM(r, "segment is B or C, not '%s'", value);
		c->segment = value[0];
	} else if (strcmp(key, "category") == 0) {
		if (!categorie_valid(value))
			return PROBLEM(r,
			               "category %s is not an iJw product category (31-38, 40-55)",
			               value);
		memcpy(c->categorie, value, 3);
	} else if (strcmp(key, "code") == 0) {
		if (!code_valid(value))
			return PROBLEM(r, "code %s is not 1 to 5 letters and digits", value);
		memcpy(c->code, value, strlen(value) + 1);
	} else if (strcmp(key, "unit") == 0) {
		static const char *const units[] = {"01", "04", "14", "16", "82", "83", "84"};
		bool ok = false;

		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
			ok |= strcmp(units[i], value) == 0;
		if (!ok)
			return PROBLEM(r,
			               "unit %s is not an iJw Eenheid (01, 04, 14, 16, 82, 83, 84)",
			               value);
		memcpy(c->unit, value, 3);
	} else if (strcmp(key, "tariff") == 0) {
		if (!cents(value, &c->tariff))
			return PROBLEM(r, "tariff is a whole number of cents, not '%s'", value);
	} else if (strcmp(key, "day_price") == 0) {
		if (!cents(value, &c->day_price))
			return PROBLEM(r, "day_price is a whole number of cents, not '%s'", value);
	} else if (strcmp(key, "tariff_levels") == 0) {
		char copy[256], *save = NULL;

		snprintf(copy, sizeof copy, "%s", value);
		c->nlevels = 0;
		for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			if (c->nlevels == IJW_MAX_LEVELS)
				return PROBLEM(r, "at most %d tariff levels", IJW_MAX_LEVELS);
			if (!cents(t, &c->levels[c->nlevels]))
				return PROBLEM(
				        r, "tariff level '%s' is not a whole number of cents", t);
			if (c->nlevels && c->levels[c->nlevels] <= c->levels[c->nlevels - 1])
				return PROBLEM(r, "tariff levels go up: %ld after %ld",
				               c->levels[c->nlevels], c->levels[c->nlevels - 1]);
			c->nlevels++;
		}
	} else if (strcmp(key, "legacy") == 0) {
		if (!split_product(value, c->legacy_categorie, c->legacy_code))
			return PROBLEM(r, "legacy is a category and a code: legacy = 45 45A07");
	} else {
		return PROBLEM(r, "unknown setting '%s' in [%s]", key, r->section);
	}
	return 1;
}

static int
on_legacy(struct reading *r, const char *key, const char *value)
{
	ijw_products *p = r->p;
	struct pending_legacy *l;

	l = realloc(p->legacy, (p->nlegacy + 1) * sizeof *l);
	if (!l)
		return PROBLEM(r, "out of memory");
	p->legacy = l;
	l = memset(&l[p->nlegacy], 0, sizeof *l);
	if (!split_product(key, l->l.categorie, l->l.code))
		return PROBLEM(r,
		               "a legacy line is CATEGORY CODE = COMBINATION, or = unmapped: "
		               "reason; '%s' is not a category and a code",
		               key);
	if (ijw_products_legacy(p, l->l.categorie, l->l.code))
		return PROBLEM(r, "%s %s is listed twice", l->l.categorie, l->l.code);
	l->l.line = r->line;
	if (strncmp(value, "unmapped:", 9) == 0) {
		const char *why = value + 9 + strspn(value + 9, " \t");

		if (!*why)
			return PROBLEM(r, "say why %s is unmapped: unmapped: reason", l->l.code);
		if (!(l->l.reason = strdup(why)))
			return PROBLEM(r, "out of memory");
	} else {
		if (strlen(value) < 2 || strlen(value) >= sizeof l->target)
			return PROBLEM(r,
			               "%s maps to a combination such as 2P, or is unmapped: "
			               "reason",
			               l->l.code);
		memcpy(l->target, value, strlen(value) + 1);
		if (!(l->l.reason = strdup("")))
			return PROBLEM(r, "out of memory");
	}
	p->nlegacy++;
	return 1;
}

/* A combination id: profile number and intensity letter. */
static bool
combination_id(const char *id, unsigned *profile, char *intensity)
{
	size_t n = strspn(id, "0123456789");

	if (n < 1 || n > 2 || id[0] == '0' || strlen(id) != n + 1 || id[n] < 'A' || id[n] > 'Z')
		return false;
	*profile = (unsigned)strtoul(id, NULL, 10);
	*intensity = id[n];
	return true;
}

static int
begin_section(struct reading *r, const char *section)
{
	ijw_products *p = r->p;

	snprintf(r->section, sizeof r->section, "%s", section);
	r->combo = NULL;
	if (strcmp(section, "region") == 0) {
		if (r->region_line)
			return problem_at(r, r->section_line, "[region] appears twice");
		r->region_line = r->section_line;
		return 1;
	}
	if (strcmp(section, "legacy") == 0)
		return 1;
	if (strncmp(section, "ceiling ", 8) == 0) {
		if (!digits(section + 8, 8, 8))
			return problem_at(
			        r, r->section_line,
			        "[%s]: a ceiling section names a provider by its AGB code, "
			        "such as [ceiling 42420001]",
			        section);
		return 1;
	}
	if (strncmp(section, "profile ", 8) == 0) {
		const char *nr = section + 8;
		unsigned n;

		if (!digits(nr, 1, 2) || nr[0] == '0' ||
		    (n = (unsigned)strtoul(nr, NULL, 10)) > MAX_PROFILES)
			return problem_at(r, r->section_line, "[%s]: a profile is numbered 1 to %d",
			                  section, MAX_PROFILES);
		if (p->profile[n])
			return problem_at(r, r->section_line, "[profile %u] appears twice", n);
		p->profile_line[n] = r->section_line;
		return 1;
	}
	if (strncmp(section, "combination ", 12) == 0) {
		struct ijw_combination *c;
		unsigned profile;
		char intensity;

		if (!combination_id(section + 12, &profile, &intensity))
			return problem_at(r, r->section_line,
			                  "[%s]: a combination is named by its profile number and "
			                  "intensity letter, such as [combination 2P]",
			                  section);
		if (ijw_products_combination(p, section + 12))
			return problem_at(r, r->section_line, "[%s] appears twice", section);
		c = realloc(p->combos, (p->ncombos + 1) * sizeof *c);
		if (!c)
			return PROBLEM(r, "out of memory");
		p->combos = c;
		r->combo = c = memset(&c[p->ncombos++], 0, sizeof *c);
		snprintf(c->id, sizeof c->id, "%s", section + 12);
		c->profile = profile;
		c->intensity = intensity;
		c->tariff = c->day_price = -1;
		c->line = r->section_line;
		return 1;
	}
	return problem_at(r, r->section_line,
	                  "unknown section [%s]: the sections are [region], [profile N], "
	                  "[combination NI], [legacy] and [ceiling AGB]",
	                  section);
}

/* [ceiling AGB]: "2026 = cents" for the provider's year, "2026 profile 5 = cents" per profile. */
static int
on_ceiling(struct reading *r, const char *key, const char *value)
{
	ijw_products *p = r->p;
	struct ceiling *c;
	char year[8], word[8], nr[4], extra[2];
	int n = sscanf(key, "%7s %7s %3s %1s", year, word, nr, extra);
	long cents_v;

	if (!digits(r->section + 8, 8, 8))
		return PROBLEM(r, "%s is outside a [ceiling AGB] section", key);
	if (!(n == 1 || (n == 3 && strcmp(word, "profile") == 0 && digits(nr, 1, 2))) ||
	    !digits(year, 4, 4))
		return PROBLEM(r,
		               "a ceiling is 'YEAR = cents' or 'YEAR profile N = cents', not '%s'",
		               key);
	if (!cents(value, &cents_v))
		return PROBLEM(r, "a ceiling is an amount in cents, not '%s'", value);
	c = realloc(p->ceilings, (p->nceilings + 1) * sizeof *c);
	if (!c)
		return PROBLEM(r, "out of memory");
	p->ceilings = c;
	c = &c[p->nceilings++];
	snprintf(c->aanbieder, sizeof c->aanbieder, "%s", r->section + 8);
	c->year = (int)strtol(year, NULL, 10);
	c->profile = n == 3 ? (unsigned)strtoul(nr, NULL, 10) : 0;
	c->cents = cents_v;
	return 1;
}

static int
on_entry(void *user, const char *inih_section, const char *key, const char *value)
{
	struct reading *r = user;
	/* The section read_line() began and checked, never one it did not see. */
	const char *section = r->section;

	(void)inih_section;
	if (!key)
		return 1;
	if (!section[0])
		return PROBLEM(r, "%s is outside a section", key);
	if (strcmp(section, "region") == 0)
		return on_region(r, key, value);
	if (strcmp(section, "legacy") == 0)
		return on_legacy(r, key, value);
	if (r->combo)
		return on_combination(r, key, value);
	if (strncmp(section, "ceiling ", 8) == 0)
		return on_ceiling(r, key, value);
	if (strcmp(key, "name") != 0)
		return PROBLEM(r, "unknown setting '%s' in [%s]", key, section);
	{
		unsigned n = (unsigned)strtoul(section + 8, NULL, 10);

		if (r->p->profile[n])
			return PROBLEM(r, "name is given twice");
		if (!(r->p->profile[n] = strdup(value)))
			return PROBLEM(r, "out of memory");
	}
	return 1;
}

static bool
has_level(const struct ijw_combination *c, long tariff)
{
	for (size_t i = 0; i < c->nlevels; i++)
		if (c->levels[i] == tariff)
			return true;
	return false;
}

/* The checks that need the whole file. */
static void
resolve(struct reading *r)
{
	ijw_products *p = r->p;

	if (!r->region_line)
		problem_at(r, 1, "there is no [region] section");
	else if (!p->region[0])
		problem_at(r, r->region_line, "the [region] section has no name");
	for (unsigned n = 1; n <= MAX_PROFILES && !r->err[0]; n++)
		if (p->profile_line[n] && !p->profile[n])
			problem_at(r, p->profile_line[n], "[profile %u] has no name", n);
	for (size_t i = 0; i < p->ncombos && !r->err[0]; i++) {
		struct ijw_combination *c = &p->combos[i];

		if (!p->profile[c->profile])
			problem_at(r, c->line, "[combination %s]: there is no [profile %u]", c->id,
			           c->profile);
		else if (!p->intensity[c->intensity - 'A'])
			problem_at(r, c->line, "[combination %s]: [region] names no intensity %c",
			           c->id, c->intensity);
		else if (!c->segment || !c->categorie[0] || !c->code[0] || !c->unit[0])
			problem_at(r, c->line,
			           "[combination %s] needs segment, category, code and unit",
			           c->id);
		else if (c->segment == 'B' && c->tariff < 0 && c->day_price < 0)
			problem_at(r, c->line,
			           "[combination %s] is in segment B, so it needs a tariff or a "
			           "day_price",
			           c->id);
		else if (c->day_price >= 0 && strcmp(c->unit, "14") != 0)
			problem_at(
			        r, c->line,
			        "[combination %s]: a day_price goes with unit 14 (etmaal), not %s",
			        c->id, c->unit);
		else if (c->nlevels && c->tariff >= 0 && !has_level(c, c->tariff))
			problem_at(r, c->line,
			           "[combination %s]: its tariff_levels leave out its tariff %ld",
			           c->id, c->tariff);
		else if (ijw_products_regional(p, c->categorie, c->code) != c)
			problem_at(r, c->line,
			           "[combination %s]: product %s %s is another "
			           "combination's too",
			           c->id, c->categorie, c->code);
	}
	for (size_t i = 0; i < p->nlegacy && !r->err[0]; i++) {
		struct pending_legacy *l = &p->legacy[i];

		if (l->target[0] && !(l->l.to = ijw_products_combination(p, l->target)))
			problem_at(r, l->l.line, "%s %s maps to %s, which is no [combination]",
			           l->l.categorie, l->l.code, l->target);
	}
	for (size_t i = 0; i < p->ncombos && !r->err[0]; i++) {
		const struct ijw_combination *c = &p->combos[i];
		const struct ijw_legacy *l;

		if (!c->legacy_code[0])
			continue;
		l = ijw_products_legacy(p, c->legacy_categorie, c->legacy_code);
		if (!l || l->to != c)
			problem_at(r, c->line,
			           "[combination %s]: its legacy product %s %s is %s in [legacy]",
			           c->id, c->legacy_categorie, c->legacy_code,
			           !l      ? "not listed"
			           : l->to ? "mapped to another combination"
			                   : "unmapped");
	}
}

ijw_rc
ijw_products_parse(const char *text, size_t len, const char *name, ijw_products **out, char *err,
                   size_t errlen)
{
	struct reading r = {.name = name,
	                    .text = text,
	                    .at = text,
	                    .end = text + len,
	                    .err = err,
	                    .errlen = errlen};
	int rc;

	*out = NULL;
	err[0] = '\0';
	if (!(r.p = calloc(1, sizeof *r.p)))
		return IJW_ENOMEM;
	r.p->check_tariff = r.p->check_day_price = IJW_CHECK_ADVISE;
	r.p->policy.agreement = r.p->agreement;
	r.p->policy.acute_max_days = 14;
	rc = ini_parse_stream(read_line, &r, on_entry, &r);
	if (rc > 0 && !err[0])
		problem_at(&r, (unsigned)rc,
		           "not a setting (name = value), a [section] or a comment");
	if (!err[0] && rc == 0)
		resolve(&r);
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "%s: out of memory", name);
	if (err[0]) {
		ijw_products_free(r.p);
		return rc == -2 ? IJW_ENOMEM : IJW_EINVAL;
	}
	*out = r.p;
	return IJW_OK;
}

void
ijw_products_free(ijw_products *p)
{
	if (!p)
		return;
	for (int i = 0; i < MAX_INTENSITIES; i++)
		free(p->intensity[i]);
	for (int i = 0; i <= MAX_PROFILES; i++)
		free(p->profile[i]);
	for (size_t i = 0; i < p->nlegacy; i++)
		free((char *)p->legacy[i].l.reason);
	free(p->legacy);
	free(p->combos);
	free(p->ceilings);
	free(p);
}

const char *
ijw_products_region(const ijw_products *p)
{
	return p->region;
}

bool
ijw_products_example(const ijw_products *p)
{
	return p->example;
}

const char *
ijw_products_intensity(const ijw_products *p, char c)
{
	return c >= 'A' && c <= 'Z' ? p->intensity[c - 'A'] : NULL;
}

const char *
ijw_products_profile(const ijw_products *p, unsigned nr)
{
	return nr >= 1 && nr <= MAX_PROFILES ? p->profile[nr] : NULL;
}

enum ijw_check
ijw_products_check_tariff(const ijw_products *p)
{
	return p->check_tariff;
}

enum ijw_check
ijw_products_check_day_price(const ijw_products *p)
{
	return p->check_day_price;
}

const struct ijw_policy *
ijw_products_policy(const ijw_products *p)
{
	return &p->policy;
}

long
ijw_products_ceiling(const ijw_products *p, const char *aanbieder, int year, unsigned profile)
{
	for (size_t i = 0; i < p->nceilings; i++)
		if (p->ceilings[i].year == year && p->ceilings[i].profile == profile &&
		    strcmp(p->ceilings[i].aanbieder, aanbieder) == 0)
			return p->ceilings[i].cents;
	return -1;
}

size_t
ijw_products_ncombinations(const ijw_products *p)
{
	return p->ncombos;
}

const struct ijw_combination *
ijw_products_combination_at(const ijw_products *p, size_t i)
{
	return i < p->ncombos ? &p->combos[i] : NULL;
}

const struct ijw_combination *
ijw_products_combination(const ijw_products *p, const char *id)
{
	for (size_t i = 0; i < p->ncombos; i++)
		if (strcasecmp(p->combos[i].id, id) == 0)
			return &p->combos[i];
	return NULL;
}

const struct ijw_combination *
ijw_products_regional(const ijw_products *p, const char *categorie, const char *code)
{
	for (size_t i = 0; i < p->ncombos; i++)
		if ((!categorie || strcmp(p->combos[i].categorie, categorie) == 0) &&
		    strcmp(p->combos[i].code, code) == 0)
			return &p->combos[i];
	return NULL;
}

size_t
ijw_products_nlegacy(const ijw_products *p)
{
	return p->nlegacy;
}

const struct ijw_legacy *
ijw_products_legacy_at(const ijw_products *p, size_t i)
{
	return i < p->nlegacy ? &p->legacy[i].l : NULL;
}

const struct ijw_legacy *
ijw_products_legacy(const ijw_products *p, const char *categorie, const char *code)
{
	const struct ijw_legacy *found = NULL;

	for (size_t i = 0; i < p->nlegacy; i++) {
		const struct ijw_legacy *l = &p->legacy[i].l;

		if (strcasecmp(l->code, code) != 0)
			continue;
		if (categorie && strcmp(l->categorie, categorie) == 0)
			return l;
		if (!categorie) {
			if (found)
				return NULL; /* the code alone is ambiguous */
			found = l;
		}
	}
	return found;
}
