/*
 * ijw_ledger.h: the care ledger and the standard's cross-message rules.
 *
 * A message is judged alone by its schema and the in-message rules; the
 * cross-message rules (TR019, TR063, ... TR415: "berichtoverstijgend") need
 * a memory of what went before. The ledger is that memory, kept per
 * municipality x provider: every version of every assignment, the starts and
 * stops, the requests and their answers, the declarations and their
 * prestaties with what the answer awarded, and which retour answers which
 * message.
 *
 * libijw keeps no state: the ledger lives in whatever holds its keys and
 * values (the gateway's store, inside the transaction that stores the
 * message; an in-memory database for `validate --history`). This module
 * decides what is read and written; the holder only gets, puts, deletes and
 * scans text keys. A client is named by a key the holder derives from the
 * BSN (a keyed hash), so no BSN is ever a key or a value.
 *
 * The rules themselves are rows of the rule table (ijw_rules.h) marked
 * cross-message; ijw_ledger_check() judges them, and the region's policy
 * over time (no stacking, budget ceilings, invoices on time) when a product
 * table is given.
 */
#ifndef IJW_LEDGER_H
#define IJW_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ijw_buf.h"
#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_products.h"
#include "ijw_rc.h"

/* A client's key as text: 32 hex digits and a NUL. */
#define IJW_CLIENT_SIZE 33

/*
 * What holds the ledger. Keys and values are NUL-terminated text without
 * NUL; the ledger never writes a BSN into either. Each function returns -1
 * when the holder fails (the judging or applying is then abandoned with
 * IJW_EIO).
 */
struct ijw_ledger_ops {
	/* Appends the value of key to out: 1 when found, 0 when not. */
	int (*get)(void *h, const char *key, struct ijw_buf *out);
	/* Sets key to value; msg is the message that wrote it (0 for none). 0 on success. */
	int (*put)(void *h, const char *key, const char *value, int64_t msg);
	/* Removes key (absent is no error). 0 on success. */
	int (*del)(void *h, const char *key);
	/*
	 * Calls each for every key that begins with prefix, in key order, until
	 * each returns non-zero. 0 on success.
	 */
	int (*scan)(void *h, const char *prefix,
	            int (*each)(void *ctx, const char *key, const char *value), void *ctx);
	/* The client key of a BSN (nine digits) into out. 0 on success. */
	int (*client)(void *h, const char *bsn, char out[IJW_CLIENT_SIZE]);
};

struct ijw_ledger {
	const struct ijw_ledger_ops *ops;
	void *h;
};

/* What the check judges besides the standard's rules. */
struct ijw_ledger_opts {
	/* The region's product table for its policy over time; NULL for none. */
	const ijw_products *products;
	/* The system date: what is actual (TR349) for messages without a date of their own. */
	ijw_day today;
};

/*
 * Judges doc (valid against its schema, without in-message findings)
 * against the ledger by the cross-message rules, and adds a finding per
 * violation at the record concerned, with the rule's own retour code.
 * Findings of the region's checks set to advise go to advised (which may be
 * NULL to drop them). The ledger is only read. IJW_OK when doc was judged.
 */
ijw_rc ijw_ledger_check(const struct ijw_ledger *l, const ijw_doc *doc,
                        const struct ijw_ledger_opts *o, ijw_findings *f, ijw_findings *advised);

/*
 * Writes what doc changes into the ledger: doc is a message the gateway
 * accepted (or an earlier message being imported), stored as message msg.
 * A retour message is linked to the message it answers; a JW325 sets what
 * it awarded and rejected. Applying the same message twice changes nothing
 * the second time. IJW_OK, or IJW_EIO when the holder failed.
 */
ijw_rc ijw_ledger_apply(const struct ijw_ledger *l, const ijw_doc *doc, int64_t msg,
                        const struct ijw_ledger_opts *o);

/*
 * The combination of the region's table p that a product (Categorie and
 * Code) is, in either vocabulary: its regional product, or a legacy code
 * the table maps. NULL when p is NULL or the product is no combination.
 */
const struct ijw_combination *ijw_ledger_combination(const ijw_products *p, const char *cat,
                                                     const char *code);

/*
 * The product (Categorie and Code, "" where absent) of the current version of
 * assignment nummer of municipality gemeente: 1 when the ledger has it, 0
 * when not, -1 when the holder failed.
 */
int ijw_ledger_product(const struct ijw_ledger *l, const char *gemeente, const char *nummer,
                       char cat[3], char code[6]);

/*
 * The state of one assignment as lines of text (no BSN): its versions,
 * starts and stops, declared prestaties and what is left of its Omvang or
 * Budget, and the provider's budget ceilings when o names a product table.
 * 1 when the assignment is known, 0 when not, -1 when the holder failed.
 */
int ijw_ledger_show(const struct ijw_ledger *l, const char *gemeente, const char *aanbieder,
                    const char *nummer, const struct ijw_ledger_opts *o, struct ijw_buf *out);

#endif
