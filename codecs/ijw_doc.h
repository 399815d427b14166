/*
 * ijw_doc.h: parsing an iJw 3.2 message from memory.
 *
 * The bytes are treated as hostile: there is a cap on their size, on the
 * nesting depth, on the attributes of an element and on the nodes per byte,
 * a document type declaration (and with it every entity, local or external)
 * is refused before any of it is read, and so is a processing instruction,
 * nothing is ever loaded from a file or the network, and the input must be
 * UTF-8. What is not a well-formed message of one of the fourteen known types
 * is refused with a finding that says why.
 *
 * A parsed document carries a typed view of what the gateway needs: the header,
 * and one record per record level (client, product, prestatie, ...) with the
 * BSN, product, period and amount that level holds. The view is filled from
 * whatever the document contains; it can be trusted only once the document has
 * also passed schema validation.
 */
#ifndef IJW_DOC_H
#define IJW_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_findings.h"
#include "ijw_rc.h"
#include "ijw_registry.h"
#include "ijw_value.h"

struct ijw_limits {
	size_t max_bytes;        /* the largest message accepted */
	unsigned max_depth;      /* the deepest element nesting accepted */
	unsigned max_attributes; /* the most attributes (xmlns included) on one element */
	unsigned bytes_per_node; /* the input each node of the tree comes with, at least */
	unsigned node_slack;     /* the nodes allowed on top of that */
	size_t max_nodes;        /* the most nodes of any message */
};

/*
 * 32 MiB, 32 levels and 32 attributes: an iJw message is at most 9 levels
 * deep, and its elements carry no attributes but namespace declarations.
 *
 * The nodes of the tree bound the memory a message takes (libxml2 spends
 * some 130 bytes on each), so their number is bounded by the input: while a
 * message is read, its nodes so far (elements, text and CDATA sections,
 * comments, namespace declarations; an attribute counts two, for its value)
 * may not outnumber one per bytes_per_node bytes read plus node_slack, nor
 * max_nodes in all. The parser stops at the node that is one too many. White
 * space between elements makes no node; a processing instruction is refused.
 *
 * The densest valid messages hold one node per 26.5 bytes (the samples, the
 * official examples and what ijw_generate() makes); without white space and
 * the XML declaration, with a default namespace and a one-letter prefix, one
 * per 18. One per 8 bytes leaves those a margin of more than two and holds
 * the tree of any input to some 16 times its size (29 MB of empty elements
 * took 33 times, and are now refused in their first 33 KB); 4096 nodes are
 * more than the header and a few records of any message. 2^24 nodes are
 * almost three times the largest declaration ijw_generate() makes (99,999
 * clients: 187 MB, 6.0 million nodes), and 2 GB of tree.
 */
#define IJW_LIMITS_DEFAULT                                                                         \
	{                                                                                          \
		32u << 20, 32, 32, 8, 4096, 1u << 24                                               \
	}

/*
 * Header fields. A field holds "" when the element is absent or its value does
 * not fit the field (values are never truncated). Surrounding white space is
 * removed.
 */
struct ijw_header {
	char berichtcode[4];
	char versie[3];
	char subversie[3];
	char afzender[9];  /* gemeentecode or AGB code */
	char ontvanger[9]; /* gemeentecode or AGB code */
	char identificatie[13];
	char dagtekening[IJW_DATE_SIZE];   /* YYYY-MM-DD */
	char xsd_basis[16];                /* XsdVersie/BasisschemaXsdVersie */
	char xsd_bericht[16];              /* XsdVersie/BerichtXsdVersie */
	char identificatie_retour[13];     /* of a retour that echoes its heen header */
	char declaratie_identificatie[13]; /* of a JW325: the declaration's BerichtIdentificatie */
};

/* One record level occurrence; fields as in the header, "" when absent. */
struct ijw_record {
	const char *level; /* the local name: "Client", "Prestatie", ... (static) */
	int parent;        /* index of the enclosing record, -1 at the top */
	unsigned line;     /* line of the element in the input */
	void *node;        /* the element (an xmlNode), owned by the document */
	char bsn[10];
	char toewijzingnummer[10];
	char categorie[3]; /* product category */
	char productcode[6];
	char begindatum[IJW_DATE_SIZE]; /* start of the record's period or assignment */
	char einddatum[IJW_DATE_SIZE];  /* end of it */
	char volume[9];
	bool has_bedrag;
	long long bedrag; /* in cents, a credit amount is negative */
};

typedef struct ijw_doc ijw_doc;

/*
 * Parses len bytes at buf. On IJW_OK *out is either a new document, which the
 * caller frees with ijw_doc_free, or NULL when the bytes are refused; the
 * reasons are then in f (rule "XML" or "TYPE", retour code 0001). Other
 * results mean a failure of the system (IJW_ENOMEM) and leave *out NULL.
 * lim may be NULL for IJW_LIMITS_DEFAULT.
 */
ijw_rc ijw_doc_parse(const void *buf, size_t len, const struct ijw_limits *lim, ijw_doc **out,
                     ijw_findings *f);
void ijw_doc_free(ijw_doc *doc);

enum ijw_type ijw_doc_type(const ijw_doc *doc);
const struct ijw_header *ijw_doc_header(const ijw_doc *doc);
size_t ijw_doc_nrecords(const ijw_doc *doc);
/* Records in document order; NULL past the end. */
const struct ijw_record *ijw_doc_record(const ijw_doc *doc, size_t i);
/*
 * Who sends a message and who receives it, and the identification its sender
 * gave it. A heen message and a JW325 go from the header's Afzender to its
 * Ontvanger under their BerichtIdentificatie; the other retour messages echo
 * the header of the heen message they answer, so they go from its Ontvanger
 * back to its Afzender, under their IdentificatieRetour. The strings belong
 * to the document; "" where the header lacks them.
 */
struct ijw_route {
	const char *from, *to, *identificatie;
};
void ijw_doc_route(const ijw_doc *doc, struct ijw_route *r);

/*
 * The heen message a retour message answers, as its header names it: its
 * type (the retour's pair), its sender (the retour's receiver), its
 * receiver (the retour's sender) and the identification its sender gave it:
 * a JW325's DeclaratieIdentificatie, the BerichtIdentificatie the other
 * retours echo. The strings belong to the document. False for a heen
 * message, and for a header that lacks them.
 */
struct ijw_answered {
	enum ijw_type type;
	const char *from, *to, *identificatie;
};
bool ijw_doc_answers(const ijw_doc *doc, struct ijw_answered *out);

/* The root element (an xmlNode) of doc. */
const void *ijw_doc_root(const ijw_doc *doc);

/*
 * The element at path below node: local names separated by '/', the first
 * of each name; node itself for "", NULL when there is none.
 */
const void *ijw_node_at(const void *node, const char *path);

/*
 * The text of element node (an xmlNode) without surrounding white space, in
 * dst of size bytes. False, with dst "", when it does not fit: a value is
 * never truncated.
 */
bool ijw_node_text(const void *node, char *dst, size_t size);

/*
 * Gives back to the system the memory that judging a message of len bytes
 * left behind. glibc keeps the heap that the many small blocks of a tree
 * grew for the next allocations of the process, freed or not: after a
 * declaration of 29 MB a process holds some 150 MB more than before, and
 * only part of it returns by itself. Call this once everything of the
 * message is freed (its document, findings and copies); for a message of
 * IJW_DOC_RELEASE_BYTES or more it trims the heap (malloc_trim), which takes
 * a few milliseconds, little next to judging such a message; smaller ones
 * leave too little behind to be worth it.
 */
#define IJW_DOC_RELEASE_BYTES (1u << 20)
void ijw_doc_release_memory(size_t len);

/* The libxml2 tree (an xmlDoc), owned by doc: for libijw's validators. */
struct _xmlDoc *ijw_doc_xml(const ijw_doc *doc);

#endif
