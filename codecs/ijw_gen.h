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

/* The most clients ijw_generate_clients() puts in a declaration. */
#define IJW_GEN_MAX_CLIENTS 99999u

/* Appends the message to out. IJW_EINVAL for an unknown type. */
ijw_rc ijw_generate(enum ijw_type type, uint64_t seed, struct ijw_buf *out);

/*
 * As ijw_generate, with a declaration (JW323, or the JW325 that answers it)
 * of the given number of clients, 1 to IJW_GEN_MAX_CLIENTS: a large message
 * for load and size tests. clients 0 is ijw_generate(). IJW_EINVAL for other
 * types or more clients.
 */
ijw_rc ijw_generate_clients(enum ijw_type type, uint64_t seed, unsigned clients,
                            struct ijw_buf *out);

#endif
