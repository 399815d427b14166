/*
 * gw_push.h: the delivery worker.
 *
 * A thread of its own, with a store handle of its own, that posts messages
 * to the parties that want them pushed: over mutual TLS (1.2 or newer, with
 * the suites of GW_TLS_CIPHERS_12) with the gateway's client certificate, as
 * application/xml, the bytes as stored. A 2xx answer delivers the message
 * (and counts as its acknowledgement); anything else, or no answer within
 * push_timeout seconds, is retried after retry_initial seconds, doubling up
 * to retry_max, each wait with up to a quarter of random jitter. A delivery
 * is given up and reported once it has had min_attempts attempts and its
 * first attempt is give_up_after seconds ago. Every attempt is recorded in
 * the store.
 *
 * Receivers are isolated from each other: each has one attempt under way at
 * the most, and the attempts of all receivers run side by side, so that a
 * receiver that hangs or fails delays no other. Each receiver has a circuit
 * breaker: after push_breaker_failures failed attempts in a row it opens and
 * no attempt is made (or counted) for push_breaker_seconds; then one trial
 * attempt closes it when it delivers, or opens it again. A party with
 * push_ocsp = yes is only pushed to when its server staples a good OCSP
 * answer.
 */
#ifndef GW_PUSH_H
#define GW_PUSH_H

#include <stdbool.h>
#include <stddef.h>

#include "gw_config.h"
#include "gw_store.h"

typedef struct gw_push gw_push;

/*
 * The worker needs the parties' push URLs, which a reload may change: it
 * copies a party out through party(ctx, code, &p), which returns false when
 * the party is no longer configured.
 */
typedef bool (*gw_push_party_fn)(void *ctx, const char *code, struct gw_party *out);

/*
 * Starts the worker on store (which it owns and closes) with the push
 * settings of c (copied). NULL with the reason in err.
 */
gw_push *gw_push_start(gw_store *store, const struct gw_config *c, gw_push_party_fn party,
                       void *ctx, char *err, size_t errlen);

/* Wakes the worker: there may be something to deliver. Any thread. */
void gw_push_wake(void *push);

/*
 * Stops, cutting short the attempts in progress (they are not recorded);
 * joins the thread, closes the store, frees.
 */
void gw_push_stop(gw_push *p);

#endif
