/*
 * ijw_products.h: a region's product table.
 *
 * Regions buy youth care as combinations of a support profile
 * (ondersteuningsprofiel) and an intensity, each with a product of its own
 * (a category and code in iJw messages), a unit and a tariff, or a price per
 * care day for 24-hour stays. Messages still carry the national product
 * codes (the legacy codes); the table maps each to a combination, or says
 * why there is none. The file format is described in conf/products/README.md:
 * an INI file with [region], [profile N], [combination NI] and [legacy]
 * sections. Problems are reported as "NAME:LINE: what is wrong".
 */
#ifndef IJW_PRODUCTS_H
#define IJW_PRODUCTS_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_rc.h"

#define IJW_MAX_LEVELS 8

/* Whether a policy check blocks, is only recorded, or is not made. */
enum ijw_check { IJW_CHECK_OFF, IJW_CHECK_ADVISE, IJW_CHECK_ENFORCE };

struct ijw_combination {
	char id[4];        /* "1P", "10D": the profile number and the intensity letter */
	unsigned profile;  /* 1 and up */
	char intensity;    /* the letter */
	char segment;      /* 'B' (one fixed tariff) or 'C' (tariffs per provider) */
	char categorie[3]; /* the regional product in iJw messages */
	char code[6];
	char unit[3];                /* iJw Eenheid the tariff is per: "82", "14", ... */
	long tariff;                 /* in cents; -1 when the table has none */
	long levels[IJW_MAX_LEVELS]; /* further tariff levels, ascending */
	size_t nlevels;
	long day_price; /* in cents per care day, for 24-hour stays; -1 when none */
	char legacy_categorie[3], legacy_code[6]; /* the legacy product it is written as, or "" */
	unsigned line;
};

struct ijw_legacy {
	char categorie[3];
	char code[6];
	const struct ijw_combination *to; /* NULL when unmapped */
	const char *reason;               /* why it is unmapped; "" when mapped */
	unsigned line;
};

typedef struct ijw_products ijw_products;

/*
 * Reads a table from len bytes of text; name is used in messages. On success
 * *out is the table (free with ijw_products_free). IJW_EINVAL with the first
 * problem in err as "NAME:LINE: what is wrong"; IJW_ENOMEM.
 */
ijw_rc ijw_products_parse(const char *text, size_t len, const char *name, ijw_products **out,
                          char *err, size_t errlen);
void ijw_products_free(ijw_products *p);

const char *ijw_products_region(const ijw_products *p);
/* Whether the table says its tariffs are examples. */
bool ijw_products_example(const ijw_products *p);
/* The name of intensity letter c, or NULL. */
const char *ijw_products_intensity(const ijw_products *p, char c);
/* The name of profile nr, or NULL. */
const char *ijw_products_profile(const ijw_products *p, unsigned nr);
/* The policy checks of the region: the tariff of a declared prestatie, day prices. */
enum ijw_check ijw_products_check_tariff(const ijw_products *p);
enum ijw_check ijw_products_check_day_price(const ijw_products *p);

/*
 * The region's policy over time, judged against the ledger (ijw_ledger.h):
 * no stacking of two combinations for one client at one provider, except the
 * acute intensity for at most acute_max_days days and the durable one when
 * its assignment's Commentaar holds the agreement text (the regisseur
 * agreed); budget ceilings per provider and per profile per calendar year;
 * prestaties declared at most invoice_days days after their ProductPeriode
 * ended. Every check is off unless the table turns it on.
 */
struct ijw_policy {
	enum ijw_check stacking, ceiling, invoice;
	char acute, durable;     /* intensity letters; 0 for none */
	unsigned acute_max_days; /* 14 unless the table says otherwise */
	unsigned invoice_days;
	const char *agreement; /* "" for none */
};

const struct ijw_policy *ijw_products_policy(const ijw_products *p);
/*
 * The ceiling in cents for provider aanbieder in year: of a profile, or of
 * all its declarations for profile 0; -1 when the table sets none.
 */
long ijw_products_ceiling(const ijw_products *p, const char *aanbieder, int year, unsigned profile);

size_t ijw_products_ncombinations(const ijw_products *p);
const struct ijw_combination *ijw_products_combination_at(const ijw_products *p, size_t i);
/* By id ("2P"), case-insensitive; NULL when none. */
const struct ijw_combination *ijw_products_combination(const ijw_products *p, const char *id);
/*
 * The combination whose regional product is (categorie, code), or with
 * categorie NULL the first whose code is code; NULL when none.
 */
const struct ijw_combination *ijw_products_regional(const ijw_products *p, const char *categorie,
                                                    const char *code);

size_t ijw_products_nlegacy(const ijw_products *p);
const struct ijw_legacy *ijw_products_legacy_at(const ijw_products *p, size_t i);
/*
 * The legacy product code, with categorie, or with categorie NULL when the
 * code alone names one; NULL when the table does not list it.
 */
const struct ijw_legacy *ijw_products_legacy(const ijw_products *p, const char *categorie,
                                             const char *code);

#endif
