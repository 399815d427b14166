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

#include <stdbool.h>
#include <stdint.h>

#include "ijw_buf.h"
#include "ijw_rc.h"
#include "ijw_registry.h"
#include "ijw_value.h"

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
	/*
	 * The BerichtIdentificatie (of a retour its IdentificatieRetour), 1 to 12
	 * characters; NULL: drawn from the seed.
	 */
	const char *identificatie;
};

/* An identification (BerichtIdentificatie, IdentificatieRetour) and its NUL. */
#define IJW_GEN_ID_SIZE 13

/* Appends the message to out. IJW_EINVAL for an unknown type. */
ijw_rc ijw_generate(enum ijw_type type, uint64_t seed, struct ijw_buf *out);

/* The same with options; IJW_EINVAL for options out of their domain. */
ijw_rc ijw_generate_opts(enum ijw_type type, const struct ijw_gen_opts *o, struct ijw_buf *out);

/*
 * A product code of the national list in categorie and the Eenheid it is
 * measured in, as the generator uses them; false for a category it has none of.
 */
bool ijw_gen_product_of(const char *categorie, const char **code, const char **unit);

/* A seed from the system's randomness (getrandom); IJW_EIO when there is none. */
ijw_rc ijw_gen_random_seed(uint64_t *seed);

/*
 * Twelve characters from the system's randomness in the alphabet of the
 * generated identifications (capitals without I and O, and digits).
 */
ijw_rc ijw_gen_random_id(char id[IJW_GEN_ID_SIZE]);

/*
 * The generator's writer, for messages built from other messages
 * (ijw_answer.h): ijw_gen_begin() draws the parties and Dagtekening as
 * ijw_generate_opts() does (o's strings must outlive the writer) and opens
 * the root element; the calls after it write elements of the message's
 * namespace, or of the basisschema when basis is true, with values escaped;
 * the first failure is kept and ijw_gen_end() returns it after closing the
 * root element and freeing the writer. NULL for options out of their domain
 * or out of memory.
 */
typedef struct ijw_gen_writer ijw_gen_writer;

ijw_gen_writer *ijw_gen_begin(enum ijw_type type, const struct ijw_gen_opts *o,
                              struct ijw_buf *out);
void ijw_gen_open(ijw_gen_writer *w, bool basis, const char *name);
void ijw_gen_close(ijw_gen_writer *w, bool basis, const char *name);
void ijw_gen_leaf(ijw_gen_writer *w, bool basis, const char *name, const char *value);
void ijw_gen_date(ijw_gen_writer *w, bool basis, const char *name, ijw_day day);
/* A number in [lo, hi] drawn from the seed. */
long ijw_gen_between(ijw_gen_writer *w, long lo, long hi);
/* The Header of a heen message between the two parties, dated dagtekening. */
void ijw_gen_header(ijw_gen_writer *w, ijw_day dagtekening);
/* Contactgegevens with one address (Soort 01) in the municipality's town. */
void ijw_gen_contactgegevens(ijw_gen_writer *w);
ijw_rc ijw_gen_end(ijw_gen_writer *w);

#endif
