/*
 * ijw_rc.h: result codes of libijw.
 *
 * Every libijw function that can fail returns an ijw_rc. IJW_OK is zero, so
 * callers write `if (rc) return rc;`. A message that is judged and rejected is
 * not an error: it is a verdict, carried as findings (see ijw_findings.h).
 */
#ifndef IJW_RC_H
#define IJW_RC_H

typedef enum ijw_rc {
	IJW_OK = 0,
	IJW_ENOMEM,  /* an allocation failed */
	IJW_ETOOBIG, /* a buffer would grow past its cap */
	IJW_EINVAL,  /* an argument is out of its domain */
	IJW_ESCHEMA, /* a schema could not be read or compiled */
	IJW_EIO,     /* a file could not be read */
} ijw_rc;

/* A static English description of rc. */
const char *ijw_strerror(ijw_rc rc);

#endif
