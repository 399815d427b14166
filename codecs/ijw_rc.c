/*
 * ijw_rc.c: descriptions of the result codes.
 */
#include "ijw_rc.h"

const char *
ijw_strerror(ijw_rc rc)
{
	switch (rc) {
	case IJW_OK:
		return "success";
	case IJW_ENOMEM:
		return "out of memory";
	case IJW_ETOOBIG:
		return "larger than the size limit";
	case IJW_EINVAL:
		return "invalid argument";
	case IJW_ESCHEMA:
		return "schema could not be loaded";
	case IJW_EIO:
		return "input/output error";
	}
	return "unknown error";
}
