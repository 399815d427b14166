/*
 * gw_products.c: loading product tables.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gw_file.h"
#include "gw_products.h"
#include "ijw_embedded.h"

#define TABLE_MAX (16u << 20)

/* conf/products/, compiled in (gw_products_data.c). */
extern const struct ijw_embedded gw_products_builtin[];

ijw_products *
gw_products_load(const char *file, char *err, size_t errlen)
{
	ijw_products *p = NULL;
	struct ijw_buf text;
	ijw_rc rc;

	if (!file) {
		const struct ijw_embedded *e = &gw_products_builtin[0];
		char name[128];

		snprintf(name, sizeof name, "conf/products/%s (built in)", e->name);
		rc = ijw_products_parse((const char *)e->data, e->len, name, &p, err, errlen);
		if (rc == IJW_ENOMEM)
			snprintf(err, errlen, "out of memory");
		return p;
	}
	ijw_buf_init(&text, TABLE_MAX);
	if ((rc = gw_read_file(file, &text))) {
		snprintf(err, errlen, "%s: %s", file,
		         rc == IJW_EIO ? strerror(errno) : ijw_strerror(rc));
	} else if ((rc = ijw_products_parse(ijw_buf_str(&text), text.len, file, &p, err, errlen)) ==
	           IJW_ENOMEM) {
		snprintf(err, errlen, "out of memory");
	}
	ijw_buf_free(&text);
	return p;
}

ijw_products *
gw_products_arg(const char *arg, char *err, size_t errlen)
{
	return gw_products_load(strcmp(arg, "built-in") == 0 ? NULL : arg, err, errlen);
}
