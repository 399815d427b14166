/*
 * gw_manifest.h: the expected verdicts of sample messages.
 *
 * A folder of samples has a manifest, expected.tsv: tab-separated lines, those
 * starting with '#' are comments, the first other line is the heading
 *
 *	file	outcome	type	retourcode	rules	note
 *
 * and each further line names a file of the folder, its outcome ("accepted" or
 * "rejected"), its message type ("unknown" for what is not an iJw message), the
 * retour code, and the rule codes a rejected sample breaks, comma-separated
 * ("-" for none; for an accepted sample the rule it is a borderline case of).
 * Further columns are kept for people and ignored.
 */
#ifndef GW_MANIFEST_H
#define GW_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_rc.h"

#define GW_MANIFEST_NAME "expected.tsv"

struct gw_expect {
	const char *file; /* the name of the sample within its folder */
	bool accepted;
	const char *type;       /* "JW301", "unknown" */
	const char *retourcode; /* four digits */
	const char *rules;      /* comma-separated rule codes, "" for none */
	unsigned line;          /* line of the manifest */
};

typedef struct gw_manifest gw_manifest;

/*
 * Reads the manifest at path. On IJW_OK *out is a new manifest that the caller
 * frees with gw_manifest_free. IJW_EIO with errno set when the file cannot be
 * read; IJW_EINVAL when it is not a manifest, with "LINE: what is wrong" in
 * err (of errsize bytes); IJW_ETOOBIG or IJW_ENOMEM.
 */
ijw_rc gw_manifest_read(const char *path, gw_manifest **out, char *err, size_t errsize);
void gw_manifest_free(gw_manifest *m);

/* The expectation for file (a name within the folder), or NULL when there is none. */
const struct gw_expect *gw_manifest_find(const gw_manifest *m, const char *file);

#endif
