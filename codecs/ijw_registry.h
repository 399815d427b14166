/*
 * ijw_registry.h: the fourteen messages of iJw release 3.2.
 *
 * One static table describes every message: its name, its BerichtCode (Vektis
 * list COD002), its namespace, which message answers it (or which it answers),
 * who sends it, and its record levels (berichtklassen): the elements that get
 * RetourCodes of their own in the retour message.
 */
#ifndef IJW_REGISTRY_H
#define IJW_REGISTRY_H

/* The release of the iJw standard whose messages these are. */
#define IJW_RELEASE "3.2"

#include <stdbool.h>
#include <stddef.h>

#define IJW_NS_BASIS "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"

enum ijw_type {
	IJW_TYPE_NONE = 0,
	IJW_JW301,
	IJW_JW302,
	IJW_JW305,
	IJW_JW306,
	IJW_JW307,
	IJW_JW308,
	IJW_JW315,
	IJW_JW316,
	IJW_JW317,
	IJW_JW318,
	IJW_JW319,
	IJW_JW320,
	IJW_JW323,
	IJW_JW325,
	IJW_TYPE_END
};

/* The kind of party a header's Afzender or Ontvanger names. */
enum ijw_party {
	IJW_GEMEENTE,  /* 4-digit CBS gemeentecode */
	IJW_AANBIEDER, /* 8-digit AGB code */
};

struct ijw_msgdef {
	enum ijw_type type;
	const char *name;   /* "JW301" */
	const char *code;   /* BerichtCode: "436" */
	const char *title;  /* "Toewijzing Jeugdhulp" */
	const char *ns;     /* namespace of the root element */
	bool retour;        /* an answer to another message */
	enum ijw_type pair; /* for a heen message its retour, for a retour its heen */
	enum ijw_party afzender, ontvanger; /* kinds named in the header */
	/*
	 * Local names of the record levels below the header, outermost first,
	 * NULL-terminated. A retour message echoes the levels of its heen message.
	 */
	const char *const *levels;
};

/* The definition of type, or NULL for IJW_TYPE_NONE and out-of-range values. */
const struct ijw_msgdef *ijw_msgdef(enum ijw_type type);
/* By name, case-insensitive ("JW301", "jw301"); NULL when unknown. */
const struct ijw_msgdef *ijw_msgdef_by_name(const char *name);
/* By root namespace; NULL when it is not an iJw 3.2 message namespace. */
const struct ijw_msgdef *ijw_msgdef_by_ns(const char *ns);
/* Whether local is a record level of type (the Header is one for every type). */
bool ijw_is_level(enum ijw_type type, const char *local);

#endif
