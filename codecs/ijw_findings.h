/*
 * ijw_findings.h: what a validator found wrong with a message.
 *
 * A finding names the rule that was broken ("XSD" for the schema layer, "XML"
 * for a message that is not well-formed or is hostile, "TYPE" for one that is
 * not an iJw 3.2 message, else the rule code of the standard such as "TR002"),
 * the retour code the standard answers with, the XPath of the element and a
 * text for the person who has to fix it. A list holds at most
 * IJW_FINDINGS_MAX findings; further ones are counted, not stored.
 */
#ifndef IJW_FINDINGS_H
#define IJW_FINDINGS_H

#include <stddef.h>

#include "ijw_rc.h"

#define IJW_FINDINGS_MAX 200

struct ijw_finding {
	const char *rule;       /* "XSD", "XML", "TYPE", "TR002", ... */
	const char *retourcode; /* four digits, "0001" for a technical rejection */
	const char *xpath;      /* the element, "/" when there is none */
	unsigned line;          /* line in the input, 0 when unknown */
	const char *text;       /* one line, no trailing newline */
	/*
	 * The element (an xmlNode) of the judged document, NULL when there is
	 * none; valid only as long as that document is.
	 */
	const void *node;
};

typedef struct ijw_findings ijw_findings;

/* A new empty list, or NULL when out of memory. Free with ijw_findings_free. */
ijw_findings *ijw_findings_new(void);
void ijw_findings_free(ijw_findings *f);
/* Empties the list for reuse. */
void ijw_findings_clear(ijw_findings *f);

/*
 * Adds a finding; all strings are copied. Newlines in the text become spaces
 * and trailing white space is dropped. IJW_OK also when the list is full and
 * the finding was only counted.
 */
ijw_rc ijw_findings_add(ijw_findings *f, const char *rule, const char *retourcode,
                        const char *xpath, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));

/*
 * Adds a finding on node, an element (xmlNode) of the judged document: its
 * XPath and line are taken from the node, which the finding keeps.
 */
ijw_rc ijw_findings_add_node(ijw_findings *f, const void *node, const char *rule,
                             const char *retourcode, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/*
 * Adds every finding of from to f, as it is (rule, retour code, XPath, line,
 * text and node), and counts the findings from could not hold as dropped.
 */
ijw_rc ijw_findings_append(ijw_findings *f, const ijw_findings *from);

size_t ijw_findings_count(const ijw_findings *f);
/* Findings that did not fit in the list. */
size_t ijw_findings_dropped(const ijw_findings *f);
/* The i-th finding, valid until the list is cleared or freed. */
const struct ijw_finding *ijw_findings_get(const ijw_findings *f, size_t i);

#endif
