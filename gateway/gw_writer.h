/*
 * gw_writer.h: the store's own thread.
 *
 * The event loop never waits for the disk. It hands jobs to the writer,
 * which owns a store handle: every put that is waiting when the writer comes
 * round goes into one transaction (group commit: one fsync for a burst), then
 * the reads are answered. Each finished job's done() runs back in the event
 * loop's thread.
 */
#ifndef GW_WRITER_H
#define GW_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "gw_store.h"
#include "ijw_buf.h"

enum gw_job_kind {
	GW_JOB_PUT,
	GW_JOB_INBOX,
	GW_JOB_ORIGINAL,
	GW_JOB_ACK,
	GW_JOB_AUDIT,
	GW_JOB_CALL
};

struct gw_job {
	enum gw_job_kind kind;
	/* in: PUT */
	struct gw_put *items; /* owned by the job's maker; `after` counts within the job */
	size_t nitems;
	/*
	 * in: INBOX, ACK (party), ORIGINAL (party: the sender, type,
	 * identificatie), AUDIT (party, cert, remote, action, id, detail)
	 */
	int64_t id;
	char party[9], type[6], identificatie[13];
	size_t limit;
	char cert[65], remote[64], action[32], detail[256];
	/*
	 * in: CALL: the reads of one request, in the writer's thread on its
	 * store; what it returns is the job's rc. It keeps what it read in the
	 * job (msg, body) or in ctx, which the event loop does not touch
	 * meanwhile.
	 */
	enum gw_store_rc (*call)(gw_store *store, struct gw_job *job);
	/* out */
	enum gw_store_rc rc;
	char error[256];     /* when rc is GW_STORE_ERROR */
	struct gw_msg msg;   /* ORIGINAL, and a CALL's own */
	struct ijw_buf body; /* ORIGINAL, and a CALL's own; initialised by the maker with its cap */
	struct gw_msg *list; /* INBOX: malloc'd by the writer, freed by the maker */
	size_t nlist;
	/* back in the event loop; may free the job */
	void (*done)(struct gw_job *job);
	void *ctx;
	struct gw_job *next; /* the writer's queues */
};

typedef struct gw_writer gw_writer;

/*
 * Starts the writer on store (which it then owns and closes) for the event
 * loop base; at most batch_max messages go in one transaction. pushed(ctx)
 * is called from the writer's thread after a transaction that stored
 * messages to push. NULL when the thread cannot be started.
 */
gw_writer *gw_writer_start(gw_store *store, struct event_base *base, size_t batch_max,
                           void (*pushed)(void *ctx), void *ctx);

/* Queues job; from the event loop's thread. */
void gw_writer_submit(gw_writer *w, struct gw_job *job);

/*
 * Adds an audit entry (gw_store_audit) through the writer, message 0 for
 * none; the texts are copied, cut to their fields. Fire and forget: an
 * entry that cannot be written is logged as the store's failure.
 */
void gw_writer_audit(gw_writer *w, const char *party, const char *cert, const char *remote,
                     const char *action, int64_t message, const char *detail);

/*
 * Whether the store takes writes: the last write (a transaction of jobs,
 * or the small write the writer makes of its own when idle for 5 s)
 * committed, within the last 15 s. Otherwise false with the reason in why.
 * After a failed write the writer opens the store anew, 1 s later, then
 * 2 s, 4 s, ... up to every 30 s, until a write commits. From any thread.
 */
bool gw_writer_writable(gw_writer *w, char *why, size_t size);

/*
 * Keeps the bytes of acknowledged and delivered messages for days days
 * after they were received (0: for ever): a pass now, then every hour, in
 * transactions of a few messages between the jobs (gw_store_retain), then
 * the store compacted. Each pass is logged. From the event loop's thread.
 */
void gw_writer_retention(gw_writer *w, unsigned long days);

/* Finishes every queued job, stops the thread, closes the store, frees w. */
void gw_writer_stop(gw_writer *w);

#endif
