/*
 * gw_history.h: earlier messages, in the order they were sent, for the ledger.
 *
 * `validate --history` and `ledger import` read folders of messages (a back
 * office's export, a scenario) and take them in order of Dagtekening, then
 * of file name. A message is read, judged by its schema and the in-message
 * rules, and handed to the caller with its document.
 */
#ifndef GW_HISTORY_H
#define GW_HISTORY_H

#include <stddef.h>

#include "gw_store.h"
#include "ijw_schema.h"
#include "ijw_validate.h"

struct gw_history_msg {
	char *path;
	char dagtekening[IJW_DATE_SIZE]; /* "" when it cannot be read */
};

/*
 * The files below each of paths (a folder: its *.xml files, recursively; a
 * file: itself), sorted by Dagtekening and then path, into *out (*n of them);
 * free with gw_history_free. -1 with the reason in err when a path cannot
 * be read.
 */
int gw_history_list(const char *const *paths, size_t npaths, struct gw_history_msg **out, size_t *n,
                    char *err, size_t errlen);
void gw_history_free(struct gw_history_msg *list, size_t n);

/*
 * A store in memory with a ledger under a key of its own, for judging on
 * this machine; NULL with the reason in err.
 */
gw_store *gw_history_store(const ijw_products *products, char *err, size_t errlen);

#endif
