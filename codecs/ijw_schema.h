/*
 * ijw_schema.h: XSD validation against a set of compiled schemas.
 *
 * A schema set is either the project's own iJw 3.2 schemas, which are built
 * into the library, or a directory holding basisschema.xsd and one JWnnn.xsd
 * per message (the layout of the official release), so that the official
 * schemas can be used instead. Each message's schema is compiled the first
 * time a message of that type is validated and is then reused for the life of
 * the set. A set is used by one thread at a time.
 *
 * The built-in schemas are found through libxml2's external entity loader:
 * the first ijw_schemas_new() installs a loader that answers for the
 * "ijw-builtin:" URLs and hands every other URL to the loader it replaces.
 */
#ifndef IJW_SCHEMA_H
#define IJW_SCHEMA_H

#include "ijw_doc.h"
#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_registry.h"

typedef struct ijw_schemas ijw_schemas;

/*
 * A new schema set: dir NULL for the built-in schemas, else a directory.
 * Nothing is read yet. Free with ijw_schemas_free.
 */
ijw_rc ijw_schemas_new(const char *dir, ijw_schemas **out);
void ijw_schemas_free(ijw_schemas *s);

/*
 * Compiles the schema of type now rather than at first use. IJW_ESCHEMA when
 * it cannot be read or compiled; ijw_schemas_error() then says why.
 */
ijw_rc ijw_schemas_load(ijw_schemas *s, enum ijw_type type);

/* Compiles all fourteen schemas. */
ijw_rc ijw_schemas_load_all(ijw_schemas *s);

/*
 * Validates doc against the schema of its type and adds one finding per
 * violation (rule "XSD", retour code 0001, the XPath and line of the element
 * and libxml2's message; the value of a Bsn element is withheld from the
 * message). IJW_OK when the document was judged, whatever the verdict.
 */
ijw_rc ijw_schemas_validate(ijw_schemas *s, const ijw_doc *doc, ijw_findings *f);

/* Why the last load failed, "" when none did. Owned by s. */
const char *ijw_schemas_error(const ijw_schemas *s);

#endif
