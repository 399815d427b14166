/*
 * ijw_validate.c: the layers in order.
 */
#include "ijw_validate.h"

ijw_rc
ijw_validate(ijw_schemas *s, const void *buf, size_t len, const struct ijw_limits *lim,
             ijw_doc **doc, ijw_findings *f)
{
	ijw_doc *d = NULL;
	ijw_rc rc;

	if (doc)
		*doc = NULL;
	if ((rc = ijw_doc_parse(buf, len, lim, &d, f)) || !d)
		return rc;
	rc = ijw_schemas_validate(s, d, f);
	if (rc || !doc)
		ijw_doc_free(d);
	else
		*doc = d;
	return rc;
}
