/*
 * gw_push.h: the delivery worker.
 *
 * A thread of its own, with a store handle of its own, that posts messages
 * to the parties that want them pushed: over mutual TLS with the gateway's
 * client certificate, as application/xml, the bytes as stored. A 2xx answer
 * delivers the message (and counts as its acknowledgement); anything else,
 * or no answer, is retried after retry_initial seconds, doubling up to
 * retry_max, each wait with up to a quarter of random jitter, until the
 * message is give_up_after seconds old: then the delivery is given up and
 * reported. Every attempt is recorded in the store.
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

/* Stops, cutting short an attempt in progress; joins the thread, closes the store, frees. */
void gw_push_stop(gw_push *p);

#endif
