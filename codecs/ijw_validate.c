/*
 * ijw_validate.c: the layers in order.
 */
#include "ijw_rules.h"
#include "ijw_validate.h"

void
ijw_validate_opts_init(struct ijw_validate_opts *o)
{
	static const struct ijw_limits lim = IJW_LIMITS_DEFAULT;

	o->limits = lim;
	o->rules = true;
	o->today = ijw_today();
}

ijw_rc
ijw_validate(ijw_schemas *s, const void *buf, size_t len, const struct ijw_validate_opts *o,
             ijw_doc **doc, ijw_findings *f)
{
	struct ijw_validate_opts dflt;
	size_t before = ijw_findings_count(f);
	ijw_doc *d = NULL;
	ijw_rc rc;

	if (doc)
		*doc = NULL;
	if (!o) {
		ijw_validate_opts_init(&dflt);
		o = &dflt;
	}
	if ((rc = ijw_doc_parse(buf, len, &o->limits, &d, f)) || !d)
		return rc;
	rc = ijw_schemas_validate(s, d, f);
	if (!rc && o->rules && ijw_findings_count(f) == before)
		rc = ijw_rules_check(d, o->today, f);
	if (rc || !doc)
		ijw_doc_free(d);
	else
		*doc = d;
	return rc;
}
