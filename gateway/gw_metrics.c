/*
 * gw_metrics.c: the counters and their exposition.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "gw_metrics.h"
#include "ijw_rules.h"

static const int statuses[] = {200, 201, 400, 403, 404, 405, 409,
                               411, 413, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const char *const outcome_names[GW_OUTCOMES] = {"accepted", "rejected", "repeated",
                                                       "conflict"};
static const char *const push_names[GW_PUSHES] = {"delivered", "failed", "given_up"};
static const char *const translation_names[GW_TRANSLATIONS] = {"legacy", "profile", "sender"};
const char *const gw_refusal_names[GW_REFUSALS] = {
        "too_many_open_files", "evicted",      "address_cap",       "at_cap",
        "head_timeout",        "body_timeout", "notices_suppressed"};

/* The layers' and the region's checks' own rule names, then the rules of the table. */
static const char *const layers[] = {"XML", "TYPE", "XSD", "TR056", "TR381", "TR418", "DAGPRIJS"};
#define NLAYERS (sizeof layers / sizeof layers[0])
#define MAX_RULES 128

static atomic_uint_fast64_t http[NSTATUS + 1]; /* the last: any other status */
static atomic_uint_fast64_t messages[IJW_TYPE_END][GW_OUTCOMES];
static atomic_uint_fast64_t findings[NLAYERS + MAX_RULES];
/* By rule as findings are: the region's checks and the cross-message rules can advise. */
static atomic_uint_fast64_t advice[NLAYERS + MAX_RULES];
static atomic_uint_fast64_t translations[GW_TRANSLATIONS];
static atomic_uint_fast64_t store_tx, store_msgs, store_micros;
static atomic_uint_fast64_t pushes[GW_PUSHES];
static atomic_uint_fast64_t breakers_opened;
static atomic_int breakers_open;
static atomic_int inflight, connections, store_writable, judging, workers;
static atomic_uint_fast64_t refusals[GW_REFUSALS];
static int64_t started;
static char instance_name[64], store_kind[16];

void
gw_metrics_start(int64_t now, const char *instance, const char *store)
{
	started = now;
	snprintf(instance_name, sizeof instance_name, "%s", instance);
	snprintf(store_kind, sizeof store_kind, "%s", store);
}

void
gw_metrics_http(int status)
{
	size_t i = 0;

	while (i < NSTATUS && statuses[i] != status)
		i++;
	atomic_fetch_add(&http[i], 1);
}

void
gw_metrics_message(enum ijw_type type, enum gw_outcome outcome)
{
	if (type > IJW_TYPE_NONE && type < IJW_TYPE_END)
		atomic_fetch_add(&messages[type][outcome], 1);
}

/* The index of rule among layers and table, or -1. */
static long
rule_index(const char *rule)
{
	for (size_t i = 0; i < NLAYERS; i++)
		if (strcmp(layers[i], rule) == 0)
			return (long)i;
	for (size_t i = 0; i < ijw_rules_count() && i < MAX_RULES; i++)
		if (strcmp(ijw_rule_at(i)->code, rule) == 0)
			return (long)(NLAYERS + i);
	return -1;
}

static const char *
rule_name(size_t i)
{
	return i < NLAYERS ? layers[i] : ijw_rule_at(i - NLAYERS)->code;
}

void
gw_metrics_finding(const char *rule)
{
	long i = rule_index(rule);

	if (i >= 0)
		atomic_fetch_add(&findings[i], 1);
}

void
gw_metrics_advice(const char *rule)
{
	long i = rule_index(rule);

	if (i >= 0)
		atomic_fetch_add(&advice[i], 1);
}

/* Whether findings of the i-th rule can be advice: the region's checks, the ledger's rules. */
static bool
advisory(size_t i)
{
	return i < NLAYERS ? strcmp(layers[i], "TR418") == 0 || strcmp(layers[i], "DAGPRIJS") == 0
	                   : ijw_rule_at(i - NLAYERS)->cross;
}

void
gw_metrics_translation(enum gw_translation what)
{
	atomic_fetch_add(&translations[what], 1);
}

void
gw_metrics_store(unsigned n, uint64_t micros)
{
	atomic_fetch_add(&store_tx, 1);
	atomic_fetch_add(&store_msgs, n);
	atomic_fetch_add(&store_micros, micros);
}

void
gw_metrics_store_writable(bool writable)
{
	atomic_store(&store_writable, writable);
}

void
gw_metrics_push(enum gw_delivered what)
{
	atomic_fetch_add(&pushes[what], 1);
}

void
gw_metrics_breaker(bool open)
{
	if (open)
		atomic_fetch_add(&breakers_opened, 1);
	atomic_fetch_add(&breakers_open, open ? 1 : -1);
}

void
gw_metrics_inflight(int delta)
{
	atomic_fetch_add(&inflight, delta);
}

void
gw_metrics_judging(int delta)
{
	atomic_fetch_add(&judging, delta);
}

void
gw_metrics_workers(unsigned n)
{
	atomic_store(&workers, (int)n);
}

void
gw_metrics_connections(int delta)
{
	atomic_fetch_add(&connections, delta);
}

void
gw_metrics_refusal(enum gw_refusal what)
{
	atomic_fetch_add(&refusals[what], 1);
}

ijw_rc
gw_metrics_render(struct ijw_buf *b)
{
	ijw_rc rc = IJW_OK;
	size_t nfindings =
	        NLAYERS + (ijw_rules_count() < MAX_RULES ? ijw_rules_count() : MAX_RULES);

#define OUT(...)                                                                                   \
	do {                                                                                       \
		if (!rc)                                                                           \
			rc = ijw_buf_addf(b, __VA_ARGS__);                                         \
	} while (0)

	OUT("# HELP ijw_start_time_seconds When the gateway started.\n"
	    "# TYPE ijw_start_time_seconds gauge\nijw_start_time_seconds %lld\n",
	    (long long)started);
	OUT("# HELP ijw_instance_info This gateway among those sharing a store, and the store's "
	    "kind.\n# TYPE ijw_instance_info gauge\n"
	    "ijw_instance_info{instance=\"%s\",store=\"%s\"} 1\n",
	    instance_name, store_kind);
	OUT("# HELP ijw_http_requests_total HTTP requests answered, by status.\n"
	    "# TYPE ijw_http_requests_total counter\n");
	for (size_t i = 0; i < NSTATUS; i++)
		OUT("ijw_http_requests_total{code=\"%d\"} %llu\n", statuses[i],
		    (unsigned long long)atomic_load(&http[i]));
	OUT("ijw_http_requests_total{code=\"other\"} %llu\n",
	    (unsigned long long)atomic_load(&http[NSTATUS]));
	OUT("# HELP ijw_requests_in_flight Requests received and not yet answered.\n"
	    "# TYPE ijw_requests_in_flight gauge\nijw_requests_in_flight %d\n",
	    atomic_load(&inflight));
	OUT("# HELP ijw_judging Posted messages being judged or waiting for a judging "
	    "thread.\n# TYPE ijw_judging gauge\nijw_judging %d\n",
	    atomic_load(&judging));
	OUT("# HELP ijw_workers Threads that judge posted messages.\n"
	    "# TYPE ijw_workers gauge\nijw_workers %d\n",
	    atomic_load(&workers));
	OUT("# HELP ijw_connections Connections open.\n"
	    "# TYPE ijw_connections gauge\nijw_connections %d\n",
	    atomic_load(&connections));
	OUT("# HELP ijw_connections_refused_total Connections closed or not taken by the "
	    "guard, and notices left out of the log, by reason.\n"
	    "# TYPE ijw_connections_refused_total counter\n");
	for (int i = 0; i < GW_REFUSALS; i++)
		OUT("ijw_connections_refused_total{reason=\"%s\"} %llu\n", gw_refusal_names[i],
		    (unsigned long long)atomic_load(&refusals[i]));
	OUT("# HELP ijw_messages_total Messages posted, by type and outcome.\n"
	    "# TYPE ijw_messages_total counter\n");
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++)
		for (int o = 0; o < GW_OUTCOMES; o++)
			OUT("ijw_messages_total{type=\"%s\",outcome=\"%s\"} %llu\n",
			    ijw_msgdef(t)->name, outcome_names[o],
			    (unsigned long long)atomic_load(&messages[t][o]));
	OUT("# HELP ijw_findings_total Findings on rejected messages, by rule.\n"
	    "# TYPE ijw_findings_total counter\n");
	for (size_t i = 0; i < nfindings; i++)
		OUT("ijw_findings_total{rule=\"%s\"} %llu\n", rule_name(i),
		    (unsigned long long)atomic_load(&findings[i]));
	OUT("# HELP ijw_advice_total Findings on accepted messages (the region's checks and the "
	    "cross-message rules set to advise), by rule.\n# TYPE ijw_advice_total counter\n");
	for (size_t i = 0; i < nfindings; i++)
		if (advisory(i))
			OUT("ijw_advice_total{rule=\"%s\"} %llu\n", rule_name(i),
			    (unsigned long long)atomic_load(&advice[i]));
	OUT("# HELP ijw_translations_total Messages whose product codes were rewritten for "
	    "their receiver, by the codes written.\n# TYPE ijw_translations_total counter\n");
	for (int i = 0; i < GW_TRANSLATIONS; i++)
		OUT("ijw_translations_total{to=\"%s\"} %llu\n", translation_names[i],
		    (unsigned long long)atomic_load(&translations[i]));
	OUT("# HELP ijw_store_transactions_total Store transactions (each one fsync).\n"
	    "# TYPE ijw_store_transactions_total counter\nijw_store_transactions_total %llu\n",
	    (unsigned long long)atomic_load(&store_tx));
	OUT("# HELP ijw_store_messages_total Messages in store transactions.\n"
	    "# TYPE ijw_store_messages_total counter\nijw_store_messages_total %llu\n",
	    (unsigned long long)atomic_load(&store_msgs));
	OUT("# HELP ijw_store_seconds_total Time spent in store transactions.\n"
	    "# TYPE ijw_store_seconds_total counter\nijw_store_seconds_total %.6f\n",
	    (double)atomic_load(&store_micros) / 1e6);
	OUT("# HELP ijw_store_writable Whether the store's last write committed (1) or "
	    "failed (0).\n# TYPE ijw_store_writable gauge\nijw_store_writable %d\n",
	    atomic_load(&store_writable));
	OUT("# HELP ijw_push_attempts_total Push deliveries, by outcome.\n"
	    "# TYPE ijw_push_attempts_total counter\n");
	for (int i = 0; i < GW_PUSHES; i++)
		OUT("ijw_push_attempts_total{outcome=\"%s\"} %llu\n", push_names[i],
		    (unsigned long long)atomic_load(&pushes[i]));
	OUT("# HELP ijw_push_breakers_open Receivers whose pushes are paused by their circuit "
	    "breaker (open, or waiting for the answer to a trial push).\n"
	    "# TYPE ijw_push_breakers_open gauge\nijw_push_breakers_open %d\n",
	    atomic_load(&breakers_open));
	OUT("# HELP ijw_push_breaker_opened_total Times a receiver's closed circuit breaker "
	    "opened.\n"
	    "# TYPE ijw_push_breaker_opened_total counter\nijw_push_breaker_opened_total %llu\n",
	    (unsigned long long)atomic_load(&breakers_opened));
#undef OUT
	return rc;
}

ijw_rc
gw_metrics_render_queues(const struct gw_queue *q, size_t n, int64_t now, unsigned waiting,
                         unsigned running, struct ijw_buf *b)
{
	static const struct {
		const char *name, *help;
	} gauges[] = {
	        {"ijw_unacked_messages",
	         "Messages addressed to a party, not acknowledged nor delivered, by party."},
	        {"ijw_unacked_oldest_age_seconds",
	         "Age of the oldest of those, by party (0 when there is none)."},
	        {"ijw_pushes_due", "Pushes pending to a party, by party."},
	        {"ijw_pushes_given_up", "Pushes to a party given up, by party."},
	};
	ijw_rc rc = IJW_OK;

	for (size_t g = 0; !rc && g < sizeof gauges / sizeof gauges[0]; g++) {
		rc = ijw_buf_addf(b, "# HELP %s %s\n# TYPE %s gauge\n", gauges[g].name,
		                  gauges[g].help, gauges[g].name);
		for (size_t i = 0; !rc && i < n; i++) {
			long long v = g == 0   ? (long long)q[i].unacked
			              : g == 1 ? (q[i].oldest ? (long long)(now - q[i].oldest) : 0)
			              : g == 2 ? (long long)q[i].due
			                       : (long long)q[i].given_up;

			rc = ijw_buf_addf(b, "%s{party=\"%s\"} %lld\n", gauges[g].name, q[i].party,
			                  v);
		}
	}
	if (!rc)
		rc = ijw_buf_addf(
		        b,
		        "# HELP ijw_judging_waiting Posted messages waiting for a judging "
		        "thread.\n# TYPE ijw_judging_waiting gauge\nijw_judging_waiting "
		        "%u\n# HELP ijw_judging_running Posted messages being judged.\n"
		        "# TYPE ijw_judging_running gauge\nijw_judging_running %u\n",
		        waiting, running);
	return rc;
}
