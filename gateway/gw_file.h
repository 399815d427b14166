/*
 * gw_file.h: reading whole files for the command line, with a size cap.
 */
#ifndef GW_FILE_H
#define GW_FILE_H

#include <stddef.h>

#include "ijw_buf.h"
#include "ijw_rc.h"

/*
 * Appends the contents of path ("-" is standard input) to out, whose own cap
 * bounds what is read. IJW_EIO with errno set when the file cannot be read,
 * IJW_ETOOBIG when it is larger than the cap.
 */
ijw_rc gw_read_file(const char *path, struct ijw_buf *out);

/* Writes len bytes to path ("-" is standard output). IJW_EIO with errno set on failure. */
ijw_rc gw_write_file(const char *path, const void *data, size_t len);

/*
 * Writes len bytes to path so that path holds either its old contents or all
 * of the new ones, also after a crash: into a new file beside it (readable by
 * its owner only), fsynced, renamed to path, and its folder fsynced. IJW_EIO
 * with errno set on failure (IJW_ENOMEM out of memory); the new file is then
 * removed.
 */
ijw_rc gw_write_file_atomic(const char *path, const void *data, size_t len);

#endif
