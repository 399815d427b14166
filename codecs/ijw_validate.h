/*
 * ijw_validate.h: judging a message, layer by layer.
 *
 * The layers of the standard that need nothing but the message itself:
 * well-formed XML of a known type (ijw_doc.h), the schema of that type
 * (ijw_schema.h), then the in-message rules (ijw_rules.h), which are only
 * judged for a message that its schema accepts. A message with any finding
 * is rejected as a whole: the retour header carries 0001 (8848 for a
 * Dagtekening in the future).
 */
#ifndef IJW_VALIDATE_H
#define IJW_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_schema.h"
#include "ijw_value.h"

struct ijw_validate_opts {
	struct ijw_limits limits;
	bool rules;    /* judge the in-message rules after the schema */
	ijw_day today; /* the system date, for TR135 */
};

/* The defaults: IJW_LIMITS_DEFAULT, rules on, today from ijw_today(). */
void ijw_validate_opts_init(struct ijw_validate_opts *o);

/*
 * Judges len bytes at buf and adds every finding to f; the message is
 * accepted when f gains none. o NULL means the defaults. When doc is not
 * NULL it receives the parsed document (NULL when the bytes are not a
 * message of a known type); the caller frees it with ijw_doc_free, and the
 * findings' nodes are valid as long as it lives. Returns IJW_OK when the
 * message was judged, else a system failure (IJW_ENOMEM, or IJW_ESCHEMA with
 * ijw_schemas_error() saying why).
 */
ijw_rc ijw_validate(ijw_schemas *s, const void *buf, size_t len, const struct ijw_validate_opts *o,
                    ijw_doc **doc, ijw_findings *f);

#endif
