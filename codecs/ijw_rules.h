/*
 * ijw_rules.h: the in-message rules of iJw 3.2.
 *
 * The rules that need nothing but the message itself, beyond what its schema
 * already enforces: the technical rules the national chain checks by XSLT
 * (TR002, TR006, ...), the conditions (CD), constraints (CS) and the date of
 * the message against the system date (TR135). One table holds them all: a
 * rule is its code, the retour code the standard answers with, the messages it
 * applies to, the elements it checks, a summary and a check. Adding or
 * retiring a rule is one entry in ijw_rules.c and its samples.
 */
#ifndef IJW_RULES_H
#define IJW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_registry.h"
#include "ijw_value.h"

struct ijw_rule {
	const char *code;       /* "TR002", "CS002", "CD041", ... */
	const char *retourcode; /* "0001", or "8848" for TR135 */
	uint32_t types;         /* bit (1u << type) for each message it applies to */
	const char *where;      /* the elements it checks */
	const char *summary;    /* what it requires, in one English sentence */
	/*
	 * Judged against the ledger of earlier messages (ijw_ledger.h), not by
	 * ijw_rules_check(): the standard's cross-message rules and the region's
	 * policy over time.
	 */
	bool cross;
};

/* The number of rules, and the i-th (in the order of the table). */
size_t ijw_rules_count(void);
const struct ijw_rule *ijw_rule_at(size_t i);
/* The rule with this code, or NULL. */
const struct ijw_rule *ijw_rule_by_code(const char *code);
bool ijw_rule_applies(const struct ijw_rule *rule, enum ijw_type type);

/*
 * Checks doc, which must be valid against the schema of its type, against
 * every rule that applies to it, and adds a finding per violation: the rule's
 * code and retour code, the XPath and line of the offending element and a text
 * that says what to correct. today is the system date for TR135. IJW_OK when
 * the document was judged, whatever the verdict. Cross-message rules are not
 * judged here.
 */
ijw_rc ijw_rules_check(const ijw_doc *doc, ijw_day today, ijw_findings *f);

#endif
