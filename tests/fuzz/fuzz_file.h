/*
 * fuzz_file.h: the fuzz input as a file, for readers that take a path.
 */
#ifndef FUZZ_FILE_H
#define FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes the input to a file named name in a folder of its own, made on the
 * first call and removed at exit, and returns the file's path; the folder's
 * is fuzz_dir(). Aborts when it cannot.
 */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* The folder fuzz_file() writes in. */
const char *fuzz_dir(void);

#endif
