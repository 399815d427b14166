/*
 * gw_manifest.h: the expected verdicts of sample messages.
 *
 * A folder of samples has a manifest, expected.tsv: tab-separated lines, those
 * starting with '#' are comments and empty ones are skipped, the first other
 * line is the heading that names the columns, in any order, such as
 *
 *	file	outcome	type	retourcode	rules	note
 *
 * and each further line names a file of the folder (file), its outcome
 * ("accepted" or "rejected"), its message type ("unknown" for what is not an
 * iJw message), the retour code (four digits), and the rule codes a rejected
 * sample breaks, comma-separated ("-" for none; for an accepted sample the rule
 * it is a borderline case of). These five columns are required. Optional ones:
 *
 *	advice        the rule codes the gateway must advise on the accepted
 *	              message, comma-separated, "-" for none
 *	translated    yes or no: the receiver's copy was translated into its
 *	              product codes
 *	record_codes  the retour message the gateway puts in the sender's inbox
 *	              for this message (the 0001 of a rejection, the answer for a
 *	              receiver with retour = auto): RECORD:CODE[+CODE...] for
 *	              its records (the first is 1, in the order of the message),
 *	              comma-separated, records rising, "1:0001,2:0233,3:8001+8002";
 *	              the records named must have exactly those codes, the others
 *	              are not checked; "-" for no retour at all
 *
 * An empty field of an optional column checks nothing, as does one a line
 * leaves out at its end. Columns of other names
 * are kept for people and ignored.
 */
#ifndef GW_MANIFEST_H
#define GW_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_rc.h"

#define GW_MANIFEST_NAME "expected.tsv"

enum gw_expect_bool { GW_EXPECT_ANY, GW_EXPECT_NO, GW_EXPECT_YES };

struct gw_expect {
	const char *file; /* the name of the sample within its folder */
	bool accepted;
	const char *type;       /* "JW301", "unknown" */
	const char *retourcode; /* four digits */
	const char *rules;      /* comma-separated rule codes, "" for none */
	/* The optional columns, NULL (GW_EXPECT_ANY) when not checked: */
	const char *advice; /* comma-separated rule codes, "" for none */
	enum gw_expect_bool translated;
	const char *record_codes; /* "1:0001,2:0233", "" for no retour */
	unsigned line;            /* line of the manifest */
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
