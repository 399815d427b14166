/*
 * gw_metrics.h: counters for /metrics, in the Prometheus text format.
 *
 * Counters are updated from any thread without locks. Labels are message
 * types, rule codes, HTTP statuses and outcomes: never a party's data.
 */
#ifndef GW_METRICS_H
#define GW_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "gw_store.h"
#include "ijw_buf.h"
#include "ijw_rc.h"
#include "ijw_registry.h"

enum gw_outcome { GW_ACCEPTED, GW_REJECTED, GW_REPEATED, GW_CONFLICT, GW_OUTCOMES };
enum gw_delivered { GW_PUSH_DELIVERED, GW_PUSH_FAILED, GW_PUSH_GIVEN_UP, GW_PUSHES };
/* A message's product codes rewritten for its receiver: into national codes, into the
 * region's, or a retour back into the codes of the message it answers. */
enum gw_translation { GW_TO_LEGACY, GW_TO_PROFILE, GW_TO_SENDER, GW_TRANSLATIONS };
/* Connections the guard closed or would not take, and notices it left out of the log. */
enum gw_refusal {
	GW_REFUSED_NO_FILES, /* accept() found no descriptor */
	GW_REFUSED_EVICTED,  /* closed to make room at max_connections */
	GW_REFUSED_ADDRESS,  /* over max_connections_per_address */
	GW_REFUSED_FULL,     /* at max_connections with none to make room */
	GW_REFUSED_HEAD_TIMEOUT,
	GW_REFUSED_BODY_TIMEOUT,
	GW_REFUSED_NOTICES, /* log and audit lines left out over their rate */
	GW_REFUSALS
};
extern const char *const gw_refusal_names[GW_REFUSALS];

/*
 * The gateway started at now, as instance (its name among those sharing a
 * store, of letters, digits and ".:_-"), on a store of kind ("sqlite",
 * "postgresql"); both are copied.
 */
void gw_metrics_start(int64_t now, const char *instance, const char *store);
void gw_metrics_http(int status);
void gw_metrics_message(enum ijw_type type, enum gw_outcome outcome);
/* A finding of rule ("XSD", "TR002", ...) on a rejected message. */
void gw_metrics_finding(const char *rule);
/* A finding of a policy check the region only advises on, on an accepted message. */
void gw_metrics_advice(const char *rule);
void gw_metrics_translation(enum gw_translation what);
void gw_metrics_store(unsigned messages, uint64_t micros);
/* Whether the store's last write committed. */
void gw_metrics_store_writable(bool writable);
void gw_metrics_push(enum gw_delivered what);
/* A receiver's circuit breaker opened (true), or closed again (false). */
void gw_metrics_breaker(bool open);
void gw_metrics_inflight(int delta);
/* Posted messages being judged or waiting for a judging thread; the judging threads. */
void gw_metrics_judging(int delta);
void gw_metrics_workers(unsigned n);
void gw_metrics_connections(int delta);
void gw_metrics_refusal(enum gw_refusal what);

/* Appends the text exposition of every metric to out. */
ijw_rc gw_metrics_render(struct ijw_buf *out);
/*
 * Appends the gauges of the parties' queues (n of them, gw_store_queues) at
 * now, and of the judging threads' queue: tasks waiting, and being judged.
 */
ijw_rc gw_metrics_render_queues(const struct gw_queue *q, size_t n, int64_t now, unsigned waiting,
                                unsigned running, struct ijw_buf *out);

#endif
