/*
 * gw_ratelimit.h: how often a kind of log line may be written.
 *
 * At most one event per key (a peer's address) per interval, and at most
 * per_second events a second in all, so that many addresses cannot flood the
 * log either. The keys live in a table of fixed size: an address that finds
 * its places taken pushes out the one seen longest ago. What is held back is
 * counted. A limiter is for one thread.
 */
#ifndef GW_RATELIMIT_H
#define GW_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gw_ratelimit gw_ratelimit;

/* A limiter with room for slots keys; NULL when out of memory. Free with gw_ratelimit_free. */
gw_ratelimit *gw_ratelimit_new(size_t slots, int64_t interval, unsigned per_second);
void gw_ratelimit_free(gw_ratelimit *r);

/* Whether an event of key at now (in seconds) may be logged; when not, it is counted. */
bool gw_ratelimit_allow(gw_ratelimit *r, const char *key, int64_t now);

/* How many events were held back since the last call. */
unsigned long gw_ratelimit_take(gw_ratelimit *r);

#endif
