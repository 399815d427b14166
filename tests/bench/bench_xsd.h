/*
 * bench_xsd.h: the plain libxml2 yardstick of the benchmarks.
 *
 * A message is parsed with xmlReadMemory, with the parser options libijw
 * uses (so that both parse the same way), and validated with
 * xmlSchemaValidateDoc against a schema compiled once, with one validation
 * context: what libxml2 does for a message with nothing of libijw around it.
 * libxml2's error messages are dropped; the verdict is the result. One
 * struct bench_xsd is used by one thread at a time.
 */
#ifndef BENCH_XSD_H
#define BENCH_XSD_H

#include <stdbool.h>
#include <stddef.h>

struct bench_xsd;

/* The schema of the file xsd, compiled; NULL when it cannot be. bench_xsd_free() it. */
struct bench_xsd *bench_xsd_new(const char *xsd);
void bench_xsd_free(struct bench_xsd *x);

/* Parses and validates one message: true when it is well-formed and valid. */
bool bench_xsd_valid(struct bench_xsd *x, const char *data, size_t len);

#endif
