/*
 * ijw_gen.h: synthetic iJw 3.2 messages.
 *
 * ijw_generate() writes a realistic message of any of the fourteen types: a
 * client with a BSN that passes the 11-proef, product codes from the national
 * Jeugdwet product code list with a unit and frequency that fit them, periods
 * that are consistent with each other and with the Dagtekening, and values
 * from the standard's code lists. The same type and seed always give the same
 * bytes; different seeds give different messages. A retour message echoes a
 * heen message generated from the same seed.
 */
#ifndef IJW_GEN_H
#define IJW_GEN_H

#include <stdint.h>

#include "ijw_buf.h"
#include "ijw_rc.h"
#include "ijw_registry.h"

/* The most clients a generated declaration holds. */
#define IJW_GEN_MAX_CLIENTS 99999u

struct ijw_gen_opts {
	uint64_t seed;
	/*
	 * The number of clients of a declaration (JW323, or the JW325 that
	 * answers it), 1 to IJW_GEN_MAX_CLIENTS, for load and size tests; 0 for
	 * one to four, as the seed decides. Not for other types.
	 */
	unsigned clients;
	/* The municipality (4 digits) and the provider (8 digits); NULL: drawn. */
	const char *gemeente, *aanbieder;
};

/* Appends the message to out. IJW_EINVAL for an unknown type. */
ijw_rc ijw_generate(enum ijw_type type, uint64_t seed, struct ijw_buf *out);

/* The same with options; IJW_EINVAL for options out of their domain. */
ijw_rc ijw_generate_opts(enum ijw_type type, const struct ijw_gen_opts *o, struct ijw_buf *out);

#endif
