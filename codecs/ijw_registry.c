/*
 * ijw_registry.c: the message table.
 */
#include <string.h>
#include <strings.h>

#include "ijw_registry.h"

#define NS(m) "http://www.istandaarden.nl/ijw/3_2/" m "/schema"

static const char *const lv_toewijzing[] = {"Client", "Relatie", "Contact", "ToegewezenProduct",
                                            NULL};
static const char *const lv_start[] = {"Client", "StartProduct", NULL};
static const char *const lv_stop[] = {"Client", "StopProduct", NULL};
static const char *const lv_verzoek_toewijzing[] = {"Client", "AangevraagdProduct", NULL};
static const char *const lv_verzoek_wijziging[] = {
        "Client", "Verzoek", "OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct", NULL};
static const char *const lv_antwoord[] = {"Antwoord", "Woonplaatsbeginsel", NULL};
static const char *const lv_declaratie[] = {"Declaratie", "Client", "Prestatie", NULL};
static const char *const lv_declaratie_antwoord[] = {"DeclaratieAntwoord", "Client", "Prestatie",
                                                     NULL};

#define G IJW_GEMEENTE
#define A IJW_AANBIEDER

static const struct ijw_msgdef defs[] = {
        {IJW_JW301, "JW301", "436", "Toewijzing Jeugdhulp", NS("jw301"), false, IJW_JW302, G, A,
         lv_toewijzing},
        {IJW_JW302, "JW302", "437", "Retour Toewijzing Jeugdhulp", NS("jw302"), true, IJW_JW301, G,
         A, lv_toewijzing},
        {IJW_JW305, "JW305", "438", "Start Jeugdhulp", NS("jw305"), false, IJW_JW306, A, G,
         lv_start},
        {IJW_JW306, "JW306", "439", "Retour Start Jeugdhulp", NS("jw306"), true, IJW_JW305, A, G,
         lv_start},
        {IJW_JW307, "JW307", "440", "Stop Jeugdhulp", NS("jw307"), false, IJW_JW308, A, G, lv_stop},
        {IJW_JW308, "JW308", "441", "Retour Stop Jeugdhulp", NS("jw308"), true, IJW_JW307, A, G,
         lv_stop},
        {IJW_JW315, "JW315", "446", "Verzoek om toewijzing Jeugdhulp", NS("jw315"), false,
         IJW_JW316, A, G, lv_verzoek_toewijzing},
        {IJW_JW316, "JW316", "447", "Retour Verzoek om toewijzing Jeugdhulp", NS("jw316"), true,
         IJW_JW315, A, G, lv_verzoek_toewijzing},
        {IJW_JW317, "JW317", "486", "Verzoek om wijziging Jeugdhulp", NS("jw317"), false, IJW_JW318,
         A, G, lv_verzoek_wijziging},
        {IJW_JW318, "JW318", "487", "Retour Verzoek om wijziging Jeugdhulp", NS("jw318"), true,
         IJW_JW317, A, G, lv_verzoek_wijziging},
        {IJW_JW319, "JW319", "488", "Antwoordbericht", NS("jw319"), false, IJW_JW320, G, A,
         lv_antwoord},
        {IJW_JW320, "JW320", "489", "Retour Antwoordbericht", NS("jw320"), true, IJW_JW319, G, A,
         lv_antwoord},
        {IJW_JW323, "JW323", "490", "Declaratie Jeugdhulp", NS("jw323"), false, IJW_JW325, A, G,
         lv_declaratie},
        {IJW_JW325, "JW325", "491", "Declaratie-antwoord Jeugdhulp", NS("jw325"), true, IJW_JW323,
         G, A, lv_declaratie_antwoord},
};

#undef G
#undef A

const struct ijw_msgdef *
ijw_msgdef(enum ijw_type type)
{
	if (type <= IJW_TYPE_NONE || type >= IJW_TYPE_END)
		return NULL;
	return &defs[type - 1];
}

const struct ijw_msgdef *
ijw_msgdef_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (strcasecmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

const struct ijw_msgdef *
ijw_msgdef_by_ns(const char *ns)
{
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (strcmp(defs[i].ns, ns) == 0)
			return &defs[i];
	return NULL;
}

bool
ijw_is_level(enum ijw_type type, const char *local)
{
	const struct ijw_msgdef *d = ijw_msgdef(type);

	if (!d)
		return false;
	if (strcmp(local, "Header") == 0)
		return true;
	for (const char *const *l = d->levels; *l; l++)
		if (strcmp(*l, local) == 0)
			return true;
	return false;
}
