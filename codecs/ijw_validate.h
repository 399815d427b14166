/*
 * ijw_validate.h: judging a message, layer by layer.
 *
 * The layers of the standard that need nothing but the message itself:
 * well-formed XML of a known type (ijw_doc.h), then the schema of that type
 * (ijw_schema.h). A message with any finding is rejected as a whole, with
 * retour code 0001 in its retour header.
 */
#ifndef IJW_VALIDATE_H
#define IJW_VALIDATE_H

#include <stddef.h>

#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_schema.h"

/*
 * Judges len bytes at buf and adds every finding to f; the message is
 * accepted when f gains none. When doc is not NULL it receives the parsed
 * document (NULL when the bytes are not a message of a known type); the
 * caller frees it with ijw_doc_free. lim may be NULL for the defaults.
 * Returns IJW_OK when the message was judged, else a system failure
 * (IJW_ENOMEM, or IJW_ESCHEMA with ijw_schemas_error() saying why).
 */
ijw_rc ijw_validate(ijw_schemas *s, const void *buf, size_t len, const struct ijw_limits *lim,
                    ijw_doc **doc, ijw_findings *f);

#endif
