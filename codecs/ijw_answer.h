/*
 * ijw_answer.h: the next message of a conversation, built from a message.
 *
 * ijw_answer() writes a valid message of type `type` that continues the
 * conversation of `from`, as the party that `from` was sent to (or, for a
 * message of the same side such as a JW305 then a JW307 or a JW323, the
 * party that sent it). It carries the same client (BSN, name, birth date),
 * the same parties, ToewijzingNummer, ReferentieAanbieder, product and
 * dates that fit the earlier message, so that the cross-message rules of
 * the standard accept it after `from`:
 *
 *	from JW301: JW305 (a start of one of its products), JW307 (a stop of
 *	            it), JW317 (a change request), JW323 (a declaration of the
 *	            assigned products within the assigned period and volume)
 *	from JW305: JW307 (the stop of that start)
 *	from JW315: JW301 (an assignment that honours it: ReferentieAanbieder,
 *	            the requested product and period) or JW319
 *	from JW317: JW319
 *	from JW323: JW325 (every prestatie awarded)
 *	any heen message: its retour message (JW302, JW306, ...), all 0200
 *
 * The library never prints: what is wrong comes back in err.
 */
#ifndef IJW_ANSWER_H
#define IJW_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "ijw_buf.h"
#include "ijw_doc.h"
#include "ijw_rc.h"
#include "ijw_registry.h"
#include "ijw_value.h"

/* The longest BerichtIdentificatie (and IdentificatieRetour) of iJw 3.2. */
#define IJW_ANSWER_ID_MAX 12

struct ijw_answer_opts {
	/*
	 * The message's BerichtIdentificatie (IdentificatieRetour for a retour),
	 * 1..12 characters; NULL: drawn from the seed (for a retour derived from
	 * from's identity).
	 */
	const char *identificatie;
	/*
	 * Its Dagtekening; the dates it writes fit both this day and from's. 0
	 * for the earliest day that fits from's (a start on the Ingangsdatum, a
	 * declaration the day after its month, a retour on from's Dagtekening).
	 */
	ijw_day dagtekening;
	/* For a choice among from's records (which product to start, ...): 0 the first. */
	size_t record;
	/*
	 * Numbers new to the conversation (a new ToewijzingNummer, a declaration's
	 * number, ...), and the identification when there is none, are drawn from it.
	 */
	uint64_t seed;
};

/*
 * Appends to out the message of type `type` that follows from. IJW_EINVAL,
 * with the reason in err (errsize bytes), when that type does not follow
 * from's type (err lists those that do) or from lacks what it must carry
 * over; IJW_ENOMEM.
 */
ijw_rc ijw_answer(const ijw_doc *from, enum ijw_type type, const struct ijw_answer_opts *o,
                  struct ijw_buf *out, char *err, size_t errsize);

#endif
