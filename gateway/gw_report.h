/*
 * gw_report.h: the region's monitoring report, read from the care ledger.
 *
 * Per provider x support profile x intensity (the national product code
 * where no product table applies), per month or for one period: clients in
 * care, new assignments, waiting time from assignment to start and lead
 * time from request to assignment (median and 90th percentile, in days),
 * duration of care, amounts declared and awarded, and drop-out (care ended
 * early by its RedenBeeindiging against ended as planned). Acuut is left
 * out. Aggregates only: counts below the threshold are suppressed, together
 * with whatever else would let a total undo that.
 */
#ifndef GW_REPORT_H
#define GW_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "gw_store.h"
#include "ijw_buf.h"
#include "ijw_products.h"
#include "ijw_value.h"

typedef struct gw_report gw_report;

/* The threshold of suppression unless one is given. */
#define GW_REPORT_THRESHOLD 5
/* The most months a monthly report covers. */
#define GW_REPORT_MAX_MONTHS 240

struct gw_report_opts {
	ijw_day from, to;   /* the period, both days included */
	bool monthly;       /* a column group per calendar month, else the period as one */
	unsigned threshold; /* counts below it are suppressed; 5 by default */
	const ijw_products *products; /* the region's table, or NULL: national product codes */
};

/* Sets o to the defaults: threshold GW_REPORT_THRESHOLD, no table; from and to are 0. */
void gw_report_opts_init(struct gw_report_opts *o);

/*
 * Builds the report from s's ledger (read in one snapshot, which the call
 * begins and ends: s must not be in a transaction, nor in use by another
 * thread). NULL with the reason in err when the period ends before it
 * begins, a monthly one has more than GW_REPORT_MAX_MONTHS months, the
 * store has no ledger, or it fails. Free with gw_report_free.
 */
gw_report *gw_report_build(gw_store *s, const struct gw_report_opts *o, char *err, size_t errlen);
void gw_report_free(gw_report *r);

/*
 * The report as CSV: a header, then per period a line per provider x
 * profile x intensity and its totals (product "total"; provider "all" for
 * the overall one). A suppressed figure is "<5", one without value "".
 */
void gw_report_csv(const gw_report *r, struct ijw_buf *out);
/*
 * The report as JSON (through jansson): per period its rows, "providers"
 * and "total"; a suppressed figure is null and named in "suppressed".
 */
void gw_report_json(const gw_report *r, struct ijw_buf *out);
/*
 * The report as HTML with inline SVG charts and no external assets: a whole
 * page, or (fragment) a <section class="report-section"> for a page of the
 * console, carrying its own <style> (every class begins with "report-").
 */
void gw_report_html(const gw_report *r, bool fragment, struct ijw_buf *out);

#endif
