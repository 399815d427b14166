/*
 * gw_console.h: the pages of the operators' web console.
 *
 * Server-rendered HTML, built into an ijw_buf: every text that comes from
 * a message, a party or a request is HTML-escaped. The pages link one
 * stylesheet and one script, compiled into the program
 * (gateway/console/) and served by the admin listener (gw_admin.h); no
 * page has an inline script or style, so that a Content-Security-Policy of
 * default-src 'self' holds. A BSN is shown masked unless the operator has
 * asked to see it, for one request.
 *
 * The page functions that read the store run in the writer's thread
 * (gw_writer.h, GW_JOB_CALL) and touch nothing but their arguments.
 */
#ifndef GW_CONSOLE_H
#define GW_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gw_config.h"
#include "gw_store.h"
#include "ijw_buf.h"

/* What every page shows around its content. */
struct gw_console_page {
	const char *who;  /* the operator logged in */
	const char *csrf; /* the session's token for the forms that change something */
	const char *here; /* the page's name in the menu: "messages", "pushes", ... */
};

/* A file of the console (console.css, console.js) and its Content-Type, or NULL. */
const void *gw_console_asset(const char *name, size_t *len, const char **type);

/* The login page, with an error to show (or NULL). */
void gw_console_login(const char *error, struct ijw_buf *out);

/* The page's head, menu and title; gw_console_end() closes it. */
void gw_console_begin(const struct gw_console_page *p, const char *title, struct ijw_buf *out);
void gw_console_end(struct ijw_buf *out);

/* A page that says what went wrong (a message that is not there, a bad filter). */
void gw_console_problem(const struct gw_console_page *p, const char *title, const char *what,
                        struct ijw_buf *out);

/* The messages f selects, with the filters' form and a link to the next page. */
enum gw_store_rc gw_console_messages(gw_store *s, const struct gw_console_page *p,
                                     const struct gw_filter *f, struct ijw_buf *out);

/*
 * Message id's page: its life, its retours, its XML as its sender sent it
 * with every Bsn masked, or unmasked when unmask is set.
 */
enum gw_store_rc gw_console_message(gw_store *s, const struct gw_console_page *p, int64_t id,
                                    bool unmask, struct ijw_buf *out);

/* The pushes that are pending (oldest first) and the ones given up, each with a button. */
enum gw_store_rc gw_console_pushes(gw_store *s, const struct gw_console_page *p,
                                   struct ijw_buf *out);

/* The rejections by rule per day from (inclusive) to (exclusive), as a chart and a table. */
enum gw_store_rc gw_console_rejections(gw_store *s, const struct gw_console_page *p, int64_t from,
                                       int64_t to, struct ijw_buf *out);

/* The n parties with their settings, and queues[i] of parties[i], at now. */
void gw_console_parties(const struct gw_console_page *p, const struct gw_party *parties,
                        const struct gw_queue *queues, size_t n, int64_t now, struct ijw_buf *out);

/*
 * The XML text (len bytes) with the text of every Bsn element, of any
 * prefix, replaced by *********, appended to out.
 */
void gw_console_mask(const char *xml, size_t len, struct ijw_buf *out);

/*
 * The n rejections (gw_store_rejections, by day then rule) as an inline
 * SVG of stacked bars, one per day, one colour per rule, with a legend.
 */
void gw_console_chart(const struct gw_rejections *r, size_t n, struct ijw_buf *out);

#endif
