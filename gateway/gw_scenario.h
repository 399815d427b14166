/*
 * gw_scenario.h: conformance scenarios, the text files that `conform` plays.
 *
 * A scenario is a conversation between a municipality and a provider, one
 * step a line, and the wrong answers ("mistakes") a system under test must
 * not give, each with the step and the check that catch it:
 *
 *	# comment
 *	scenario toewijzing-start-stop
 *	about    The municipality assigns; the provider confirms and starts.
 *	gemeente  sends JW301 as T
 *	aanbieder sends JW302 answering T codes 0200 within 60s as TR
 *	aanbieder sends JW305 from T as S within 60s
 *	gemeente  sends JW306 answering S
 *	mistake S other-client caught-by S client
 *
 * A step: SIDE sends TYPE, then in any order `as LABEL` (names the message),
 * `from LABEL` (it follows from that earlier message; of the same type: a
 * new version of it), `answering LABEL` (the retour of that message),
 * `codes CODE[,CODE...]` (a retour's codes), `within Ns` (the deadline of
 * the answer, 1 to 86400 s; 60 s when not given) and `with PATH VALUE`
 * (an element of the message, found by its path of local names, has that
 * value; a date value "+90d" or "-1d" is relative to the same element of
 * the message it follows from, or when that has none to the message's own
 * Dagtekening; "today", "today-10d" to the day conform runs). A first
 * message (JW301 or JW315) has no source.
 *
 * Nothing here prints: errors come back as "FILE:LINE: what is wrong".
 */
#ifndef GW_SCENARIO_H
#define GW_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "ijw_embedded.h"
#include "ijw_registry.h"
#include "ijw_retour.h"

#define GW_SCN_MAX_STEPS 32
#define GW_SCN_MAX_MISTAKES 16
#define GW_SCN_MAX_MODS 4
#define GW_SCN_MAX_CODES 4
#define GW_SCN_NAME_SIZE 64
#define GW_SCN_LABEL_SIZE 16
#define GW_SCN_PATH_SIZE 96
#define GW_SCN_VALUE_SIZE 32
/* The deadline of an answer when a step gives none, in seconds. */
#define GW_SCN_WITHIN_DEFAULT 60u

/* How a step's message follows from an earlier one. */
enum gw_scn_link {
	GW_LINK_NONE,      /* a first message */
	GW_LINK_FROM,      /* the next message of the conversation, or a new version */
	GW_LINK_ANSWERING, /* the retour of the earlier message */
};

/* The checks of an answer, each named in a failure ("S: JW305 client differs from T's"). */
enum gw_scn_check {
	GW_CHECK_ARRIVAL,   /* it came in time */
	GW_CHECK_CODES,     /* its retour codes, header and records */
	GW_CHECK_CLIENT,    /* the client of its source */
	GW_CHECK_NUMMER,    /* the ToewijzingNummer of the assignment */
	GW_CHECK_PRODUCT,   /* a product of the assignment */
	GW_CHECK_PERIOD,    /* dates within the assignment's period (a stop: of its start) */
	GW_CHECK_VOLUME,    /* a declaration within the assigned Omvang */
	GW_CHECK_REFERENCE, /* the ReferentieAanbieder of the request */
	GW_CHECK_ADVICE,    /* no advice of the gateway's ledger on it */
	GW_CHECK_WITH,      /* the values of the step's `with` */
	GW_CHECK_END
};

/* The wrong answers of a system under test that a scenario must catch. */
enum gw_scn_kind {
	GW_MISTAKE_MISSING,          /* no answer (or one after the deadline) */
	GW_MISTAKE_OTHER_CLIENT,     /* another client's BSN */
	GW_MISTAKE_OTHER_NUMBER,     /* another assignment's ToewijzingNummer */
	GW_MISTAKE_EARLY_START,      /* a start the day before the assignment begins */
	GW_MISTAKE_LATE_STOP,        /* a stop the day after the assignment ends */
	GW_MISTAKE_CODE_0001,        /* a retour that rejects a valid message */
	GW_MISTAKE_OVER_VOLUME,      /* a declaration of more than the assigned volume */
	GW_MISTAKE_OUTSIDE_PERIOD,   /* a prestatie the day before the assignment begins */
	GW_MISTAKE_IGNORE_REFERENCE, /* an assignment without the request's ReferentieAanbieder */
	GW_MISTAKE_END
};

struct gw_scn_mod {
	char path[GW_SCN_PATH_SIZE];   /* local names separated by '/' */
	char value[GW_SCN_VALUE_SIZE]; /* the text, or a relative date "+90d" */
	bool relative;                 /* value is a number of days */
	bool today;                    /* ... from today */
	long days;
};

struct gw_scn_step {
	unsigned line;
	enum ijw_party side; /* who sends it */
	enum ijw_type type;
	char label[GW_SCN_LABEL_SIZE]; /* "" when it has none */
	enum gw_scn_link link;
	int source; /* the step it follows from or answers; -1 for none */
	char codes[GW_SCN_MAX_CODES][IJW_RETOURCODE_SIZE];
	size_t ncodes;
	unsigned within; /* seconds */
	struct gw_scn_mod mods[GW_SCN_MAX_MODS];
	size_t nmods;
};

struct gw_scn_mistake {
	unsigned line;
	int step; /* the step the counterpart gets wrong */
	enum gw_scn_kind kind;
	int caught_by; /* the step whose check catches it */
	enum gw_scn_check check;
};

struct gw_scenario {
	char name[GW_SCN_NAME_SIZE];
	char about[160];
	struct gw_scn_step steps[GW_SCN_MAX_STEPS];
	size_t nsteps;
	struct gw_scn_mistake mistakes[GW_SCN_MAX_MISTAKES];
	size_t nmistakes;
};

/*
 * Reads the scenario of len bytes at text (file names it in errors) into
 * s. false with "FILE:LINE: what is wrong" in err.
 */
bool gw_scenario_parse(const char *text, size_t len, const char *file, struct gw_scenario *s,
                       char *err, size_t errsize);

/*
 * A built-in scenario by its name, else the file at name: true with it in
 * s, false with the reason in err.
 */
bool gw_scenario_load(const char *name, struct gw_scenario *s, char *err, size_t errsize);

/* The built-in pack: one entry per file (NAME.scenario), ended by a NULL name. */
const struct ijw_embedded *gw_scenario_pack(void);

/* The names in a scenario of a check, a mistake and a side ("client", "other-client", "gemeente").
 */
const char *gw_scn_check_name(enum gw_scn_check c);
const char *gw_scn_mistake_name(enum gw_scn_kind m);
const char *gw_scn_side_name(enum ijw_party side);

/* The index of the step labelled label, or -1. */
int gw_scenario_label(const struct gw_scenario *s, const char *label);

#endif
