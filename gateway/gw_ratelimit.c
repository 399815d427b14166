/*
 * gw_ratelimit.c: a table of keys with the time each last got through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_ratelimit.h"

#define KEY_MAX 64 /* an IPv6 address in text fits */
#define PROBES 4   /* places a key may take, from its hash on */

struct slot {
	char key[KEY_MAX]; /* "" when free */
	int64_t last;      /* when an event of the key last got through */
};

struct gw_ratelimit {
	struct slot *slots;
	size_t nslots;
	int64_t interval;
	unsigned per_second;
	int64_t second;     /* the second being counted */
	unsigned in_second; /* events let through in it */
	unsigned long held;
};

gw_ratelimit *
gw_ratelimit_new(size_t slots, int64_t interval, unsigned per_second)
{
	gw_ratelimit *r = calloc(1, sizeof *r);

	if (!r || !(r->slots = calloc(slots ? slots : 1, sizeof *r->slots))) {
		free(r);
		return NULL;
	}
	r->nslots = slots ? slots : 1;
	r->interval = interval;
	r->per_second = per_second;
	return r;
}

void
gw_ratelimit_free(gw_ratelimit *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r);
}

/* FNV-1a */
static size_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

bool
gw_ratelimit_allow(gw_ratelimit *r, const char *key, int64_t now)
{
	size_t at = hash(key);
	struct slot *mine = NULL, *oldest = NULL;

	if (now != r->second) {
		r->second = now;
		r->in_second = 0;
	}
	for (size_t i = 0; i < PROBES && i < r->nslots; i++) {
		struct slot *s = &r->slots[(at + i) % r->nslots];

		if (strncmp(s->key, key, KEY_MAX - 1) == 0 && s->key[0]) {
			mine = s;
			break;
		}
		if (!oldest || !s->key[0] || (oldest->key[0] && s->last < oldest->last))
			oldest = s;
	}
	if ((mine && now - mine->last < r->interval) || r->in_second >= r->per_second) {
		r->held++;
		return false;
	}
	if (!mine) {
		mine = oldest;
		snprintf(mine->key, sizeof mine->key, "%s", key);
	}
	mine->last = now;
	r->in_second++;
	return true;
}

unsigned long
gw_ratelimit_take(gw_ratelimit *r)
{
	unsigned long held = r->held;

	r->held = 0;
	return held;
}
