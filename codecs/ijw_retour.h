/*
 * ijw_retour.h: the retour message that answers a heen message.
 *
 * JW301 is answered by JW302, JW305 by JW306, JW307 by JW308, JW315 by
 * JW316, JW317 by JW318, JW319 by JW320 and JW323 by JW325. The answer
 * follows from the findings on the heen message:
 *
 *  - Findings with retour code 0001, 8848 or 9056 reject the message as a whole:
 *    the header carries those codes. When they concern the header or the
 *    schema, the answer is the header alone; otherwise the records are echoed
 *    and each carries the codes of its own findings, or 0233 (not judged).
 *  - Findings with other codes (from later layers: 9019, 0611, ...) reject
 *    only their record; the header carries 0200 and records without findings
 *    0200 as well.
 *
 * For a JW323 the JW325 lists only the rejected prestaties (with their
 * clients) and a TotaalToegekendBedrag that is the TotaalIngediendBedrag less
 * their sum; a declaration rejected as a whole is answered with a
 * TotaalToegekendBedrag of 0 and no prestaties; one approved in full with
 * retour code 8001 on the DeclaratieAntwoord.
 *
 * The header of a retour echoes the header of the heen message (a JW325 has
 * the municipality as its Afzender and names the declaration in its
 * DeclaratieIdentificatie), so the heen header must be complete.
 */
#ifndef IJW_RETOUR_H
#define IJW_RETOUR_H

#include "ijw_buf.h"
#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_value.h"

/* The version written into XsdVersie elements of generated messages. */
#define IJW_XSD_VERSIE "1.0.0"

struct ijw_retour_opts {
	/*
	 * The IdentificatieRetour (for a JW325 its BerichtIdentificatie): at most
	 * 12 characters. NULL derives one from the heen message's identity.
	 */
	const char *identificatie;
	/* The DagtekeningRetour (for a JW325 its Dagtekening). */
	ijw_day dagtekening;
	/*
	 * The message is refused as a whole for its findings, whatever their
	 * codes (the gateway enforcing the cross-message rules): the header
	 * carries 0001 and the records without findings 0233.
	 */
	bool refused;
};

/*
 * Appends to out the retour message for heen given the findings f on it.
 * IJW_EINVAL when heen is itself a retour message, or when its header lacks
 * what the answer must echo (then the findings are all there is to report).
 */
ijw_rc ijw_retour(const ijw_doc *heen, const ijw_findings *f, const struct ijw_retour_opts *o,
                  struct ijw_buf *out);

/* A retour code: four digits and a NUL. */
#define IJW_RETOURCODE_SIZE 5

/*
 * The retour codes of element node (an xmlNode of a retour message: its
 * Header, or the node of one of its records) in their order, into codes:
 * at most max of them; how many the element has. A code that is not four
 * characters is left out.
 */
size_t ijw_retour_codes(const void *node, char (*codes)[IJW_RETOURCODE_SIZE], size_t max);

#endif
