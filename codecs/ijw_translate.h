/*
 * ijw_translate.h: a message in the other product vocabulary, and the
 * region's policy checks on a declaration.
 *
 * The products of JW301, JW305, JW307, JW315 and JW317 (Product: Categorie
 * and Code) and of JW323 and JW325 (ProductCategorie and ProductCode) are
 * written in national codes (legacy) or in the region's own products, one per
 * support profile x intensity combination (ijw_products.h). Translation
 * rewrites only those elements, so a valid message stays valid; every other
 * byte of meaning stays as it was.
 */
#ifndef IJW_TRANSLATE_H
#define IJW_TRANSLATE_H

#include "ijw_buf.h"
#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_ledger.h"
#include "ijw_products.h"
#include "ijw_rc.h"

enum ijw_vocabulary {
	IJW_LEGACY,  /* national product codes */
	IJW_PROFILE, /* the region's combinations */
};

/*
 * Writes doc into out with its product codes in vocabulary to. A code already
 * in that vocabulary stays; for IJW_LEGACY that is every code that is not one
 * of the region's products. A code the table cannot translate (into profiles:
 * not listed, or listed as unmapped; into legacy: a combination without a
 * legacy product) is a finding of TR381 with retour code S329 at its product,
 * and stays as it was. *changed tells whether any code was rewritten. IJW_OK
 * also when there are findings.
 *
 * Into legacy, with a ledger l (else NULL), a product of a record that names
 * an assignment (ToewijzingNummer) becomes the national code of that
 * assignment when it is one of the same combination: the code the
 * municipality assigned, rather than the one the table names for the
 * combination. IJW_EIO when the ledger fails.
 */
ijw_rc ijw_translate(const ijw_doc *doc, const ijw_products *p, enum ijw_vocabulary to,
                     const struct ijw_ledger *l, struct ijw_buf *out, ijw_findings *f,
                     bool *changed);

/*
 * Writes the retour message retour into out with the product codes of the
 * heen message it answers, as its sender wrote them: record by record for a
 * retour that echoes its heen message, by ProductReferentie for a JW325. The
 * codes of records it cannot match stay.
 */
ijw_rc ijw_translate_back(const ijw_doc *retour, const ijw_doc *heen, struct ijw_buf *out);

/*
 * The region's checks on the prestaties of a declaration (JW323), for those
 * whose product the table knows: the ProductTarief is the combination's
 * tariff or one of its tariff levels (TR418, retour code 0611); for a
 * combination with a day price, the unit is 14, the GeleverdVolume at most
 * the days of the ProductPeriode and the amount the day price times the
 * GeleverdVolume (rule DAGPRIJS, retour code 0611). Findings of checks the
 * table sets to enforce go to enforced, of those set to advise to advised.
 */
ijw_rc ijw_policy_check(const ijw_doc *doc, const ijw_products *p, ijw_findings *enforced,
                        ijw_findings *advised);

#endif
