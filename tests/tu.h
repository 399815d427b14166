/*
 * tu.h: helpers shared by the test programs.
 */
#ifndef TU_H
#define TU_H

#include <stddef.h>

#include "ijw_doc.h"

/* Exit status that meson reports as a skipped test. */
#define TU_SKIP 77

/*
 * The folder of the official reference material (../shared next to the
 * source, or $IJW_SHARED), or NULL when it is absent.
 */
const char *tu_shared_dir(void);
/* shared/reference/ijw-3.2/xsd and .../voorbeelden, or NULL when absent. */
const char *tu_official_xsd(void);
const char *tu_official_examples(void);
/* The project's source folder. */
const char *tu_source_dir(void);

/* The whole file, NUL-terminated, or NULL; free() it. */
char *tu_read(const char *path, size_t *len);

/* Seconds on the monotonic clock. */
double tu_now(void);

/* The codes of the RetourCodes child of element n (an xmlNode), comma-separated, in buf. */
const char *tu_retourcodes(const void *n, char *buf, size_t size);
/* The same of the Header of the message doc. */
const char *tu_header_retourcodes(const ijw_doc *doc, char *buf, size_t size);

#endif
