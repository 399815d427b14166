/*
 * gw_products.h: the region's product table, from a file or built in.
 */
#ifndef GW_PRODUCTS_H
#define GW_PRODUCTS_H

#include <stddef.h>

#include "ijw_products.h"

/*
 * Reads the product table in file, or the built-in one (Amsterdam-Amstelland
 * and Zaanstreek-Waterland, example tariffs, conf/products/) when file is
 * NULL. NULL with "FILE:LINE: what is wrong" in err. Free with
 * ijw_products_free.
 */
ijw_products *gw_products_load(const char *file, char *err, size_t errlen);

/* The table a --products argument names: a file, or "built-in". */
ijw_products *gw_products_arg(const char *arg, char *err, size_t errlen);

#endif
