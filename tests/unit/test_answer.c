/*
 * test_answer.c: the fields of each kind of answer, against its source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ijw_answer.h"
#include "ijw_gen.h"
#include "ijw_validate.h"

static ijw_schemas *schemas;
static struct ijw_validate_opts opts;

struct msg {
	struct ijw_buf b;
	ijw_doc *doc;
};

/* Parses m->b, which must be a valid message. */
static void
parse(struct msg *m)
{
	ijw_findings *f = ijw_findings_new();

	assert_int_equal(ijw_validate(schemas, m->b.data, m->b.len, &opts, &m->doc, f), IJW_OK);
	if (ijw_findings_count(f))
		fail_msg("%s: %s", ijw_findings_get(f, 0)->rule, ijw_findings_get(f, 0)->text);
	assert_non_null(m->doc);
	ijw_findings_free(f);
}

static void
generate(struct msg *m, enum ijw_type type, uint64_t seed)
{
	struct ijw_gen_opts o = {.seed = seed, .gemeente = "0384", .aanbieder = "42420001"};

	ijw_buf_init(&m->b, 1u << 20);
	assert_int_equal(ijw_generate_opts(type, &o, &m->b), IJW_OK);
	parse(m);
}

static void
answer(struct msg *m, const struct msg *from, enum ijw_type type, const struct ijw_answer_opts *o)
{
	char err[256];

	ijw_buf_init(&m->b, 1u << 20);
	if (ijw_answer(from->doc, type, o, &m->b, err, sizeof err) != IJW_OK)
		fail_msg("%s", err);
	parse(m);
}

static void
done(struct msg *m)
{
	ijw_doc_free(m->doc);
	ijw_buf_free(&m->b);
}

/* The text at path below the root of m. */
static const char *
at(const struct msg *m, const char *path, char *buf, size_t size)
{
	const void *n = ijw_node_at(ijw_doc_root(m->doc), path);

	if (!n || !ijw_node_text(n, buf, size))
		buf[0] = '\0';
	return buf;
}

static const struct ijw_record *
first(const struct msg *m, const char *level)
{
	for (size_t i = 0; i < ijw_doc_nrecords(m->doc); i++)
		if (strcmp(ijw_doc_record(m->doc, i)->level, level) == 0)
			return ijw_doc_record(m->doc, i);
	fail_msg("no %s", level);
	return NULL;
}

#define SAME(a, b, path)                                                                           \
	do {                                                                                       \
		char x_[64], y_[64];                                                               \
		assert_string_equal(at(a, path, x_, sizeof x_), at(b, path, y_, sizeof y_));       \
	} while (0)

static void
start_of_assignment(void **state)
{
	struct ijw_answer_opts o = {.identificatie = "START0000001", .seed = 1};
	struct msg t, s;
	char v[64];

	(void)state;
	generate(&t, IJW_JW301, 3);
	answer(&s, &t, IJW_JW305, &o);
	const struct ijw_record *tp = first(&t, "ToegewezenProduct"),
	                        *sp = first(&s, "StartProduct");

	assert_int_equal(ijw_doc_type(s.doc), IJW_JW305);
	assert_string_equal(ijw_doc_header(s.doc)->afzender, "42420001");
	assert_string_equal(ijw_doc_header(s.doc)->ontvanger, "0384");
	assert_string_equal(ijw_doc_header(s.doc)->identificatie, "START0000001");
	SAME(&s, &t, "Client/Bsn");
	SAME(&s, &t, "Client/Geboortedatum/Datum");
	SAME(&s, &t, "Client/Geslacht");
	SAME(&s, &t, "Client/Naam/Geslachtsnaam/Achternaam");
	assert_string_equal(sp->toewijzingnummer, tp->toewijzingnummer);
	assert_string_equal(sp->categorie, tp->categorie);
	assert_string_equal(sp->productcode, tp->productcode);
	assert_string_equal(
	        at(&s, "Client/StartProducten/StartProduct/ToewijzingIngangsdatum", v, sizeof v),
	        tp->begindatum);
	assert_string_equal(at(&s, "Client/StartProducten/StartProduct/Begindatum", v, sizeof v),
	                    tp->begindatum);
	assert_string_equal(
	        at(&s, "Client/StartProducten/StartProduct/StatusAanlevering", v, sizeof v), "1");
	done(&s);
	done(&t);
}

static void
stop_of_start(void **state)
{
	struct ijw_answer_opts o = {.seed = 1}, stop = {.seed = 1};
	struct msg t, s, p;
	char v[64], d[IJW_DATE_SIZE];

	(void)state;
	generate(&t, IJW_JW301, 5);
	answer(&s, &t, IJW_JW305, &o);
	ijw_date_parse(ijw_doc_header(s.doc)->dagtekening, &stop.dagtekening);
	stop.dagtekening += 10;
	answer(&p, &s, IJW_JW307, &stop);
	ijw_date_format(stop.dagtekening, d);
	assert_string_equal(ijw_doc_header(p.doc)->dagtekening, d);
	SAME(&p, &s, "Client/Bsn");
	assert_string_equal(first(&p, "StopProduct")->toewijzingnummer,
	                    first(&s, "StartProduct")->toewijzingnummer);
	assert_string_equal(at(&p, "Client/StopProducten/StopProduct/Begindatum", v, sizeof v),
	                    at(&s, "Client/StartProducten/StartProduct/Begindatum", d, sizeof d));
	assert_string_equal(at(&p, "Client/StopProducten/StopProduct/Einddatum", v, sizeof v),
	                    ijw_doc_header(p.doc)->dagtekening);
	assert_string_equal(
	        at(&p, "Client/StopProducten/StopProduct/RedenBeeindiging", v, sizeof v), "31");
	done(&p);
	done(&s);
	done(&t);
}

static void
declaration(void **state)
{
	struct ijw_answer_opts o = {.seed = 2};
	struct msg t, d, r;
	char v[64];

	(void)state;
	generate(&t, IJW_JW301, 7);
	answer(&d, &t, IJW_JW323, &o);
	const struct ijw_record *tp = first(&t, "ToegewezenProduct"), *pr = first(&d, "Prestatie");

	assert_string_equal(pr->toewijzingnummer, tp->toewijzingnummer);
	assert_string_equal(pr->categorie, tp->categorie);
	assert_string_equal(at(&d, "Declaratie/Clienten/Client/Bsn", v, sizeof v),
	                    at(&t, "Client/Bsn", v + 32, 32));
	assert_string_equal(at(&d, "Declaratie/Clienten/Client/Prestaties/Prestatie/GeleverdVolume",
	                       v, sizeof v),
	                    "1");
	/* The month of the Ingangsdatum, from its first day or the Ingangsdatum. */
	assert_memory_equal(at(&d, "Declaratie/DeclaratiePeriode/Begindatum", v, sizeof v),
	                    tp->begindatum, 8);
	assert_string_equal(v + 8, "01");
	assert_string_equal(pr->begindatum, tp->begindatum[8] == '0' && tp->begindatum[9] == '1'
	                                            ? v
	                                            : tp->begindatum);
	answer(&r, &d, IJW_JW325, &o);
	assert_string_equal(ijw_doc_header(r.doc)->declaratie_identificatie,
	                    ijw_doc_header(d.doc)->identificatie);
	assert_string_equal(
	        at(&r, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", v, sizeof v),
	        at(&d, "Declaratie/TotaalIngediendBedrag/TotaalBedrag", v + 32, 32));
	done(&r);
	done(&d);
	done(&t);
}

static void
requests(void **state)
{
	struct ijw_answer_opts o = {.seed = 4, .identificatie = "TOEW1"};
	struct msg q, t, a, w, n;
	char v[64], x[64];

	(void)state;
	generate(&q, IJW_JW315, 8);
	answer(&t, &q, IJW_JW301, &o);
	assert_string_equal(ijw_doc_header(t.doc)->afzender, "0384");
	assert_string_equal(ijw_doc_header(t.doc)->identificatie, "TOEW1");
	SAME(&t, &q, "Client/Bsn");
	SAME(&t, &q, "Client/Geboortedatum/Datum");
	assert_string_equal(
	        at(&t, "Client/ToegewezenProducten/ToegewezenProduct/ReferentieAanbieder", v,
	           sizeof v),
	        at(&q, "Client/AangevraagdeProducten/AangevraagdProduct/ReferentieAanbieder", x,
	           sizeof x));
	assert_string_equal(
	        at(&t, "Client/ToegewezenProducten/ToegewezenProduct/Ingangsdatum", v, sizeof v),
	        at(&q, "Client/AangevraagdeProducten/AangevraagdProduct/ToewijzingIngangsdatum", x,
	           sizeof x));
	assert_string_equal(
	        at(&t, "Client/ToegewezenProducten/ToegewezenProduct/Einddatum", v, sizeof v),
	        at(&q, "Client/AangevraagdeProducten/AangevraagdProduct/ToewijzingEinddatum", x,
	           sizeof x));
	assert_string_equal(first(&t, "ToegewezenProduct")->productcode,
	                    first(&q, "AangevraagdProduct")->productcode);
	answer(&a, &q, IJW_JW319, &o);
	assert_string_equal(
	        at(&a, "Antwoord/ReferentieAanbieder", v, sizeof v),
	        at(&q, "Client/AangevraagdeProducten/AangevraagdProduct/ReferentieAanbieder", x,
	           sizeof x));
	assert_string_equal(at(&a, "Antwoord/VerzoekAntwoord", v, sizeof v), "1");
	/* A change request of the assignment, and its refusal. */
	answer(&w, &t, IJW_JW317, &o);
	assert_string_equal(
	        at(&w, "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct/ToewijzingNummer", v,
	           sizeof v),
	        first(&t, "ToegewezenProduct")->toewijzingnummer);
	answer(&n, &w, IJW_JW319, &o);
	assert_string_equal(at(&n, "Antwoord/ReferentieAanbieder", v, sizeof v),
	                    at(&w, "Client/Verzoek/ReferentieAanbieder", x, sizeof x));
	done(&n);
	done(&w);
	done(&a);
	done(&t);
	done(&q);
}

static void
retour(void **state)
{
	struct ijw_answer_opts o = {.identificatie = "R1",
	                            .dagtekening = ijw_date_from_ymd(2026, 2, 3)};
	struct msg t, r;
	char v[64];

	(void)state;
	generate(&t, IJW_JW301, 3);
	answer(&r, &t, IJW_JW302, &o);
	assert_string_equal(ijw_doc_header(r.doc)->identificatie_retour, "R1");
	assert_string_equal(ijw_doc_header(r.doc)->identificatie,
	                    ijw_doc_header(t.doc)->identificatie);
	assert_string_equal(at(&r, "Header/DagtekeningRetour", v, sizeof v), "2026-02-03");
	assert_string_equal(at(&r, "Header/RetourCodes/RetourCode", v, sizeof v), "0200");
	done(&r);
	done(&t);
}

static void
refusals(void **state)
{
	struct ijw_answer_opts o = {.seed = 1}, far = {.record = 9};
	struct msg t;
	struct ijw_buf b;
	char err[256];

	(void)state;
	generate(&t, IJW_JW301, 3);
	ijw_buf_init(&b, 1u << 20);
	assert_int_equal(ijw_answer(t.doc, IJW_JW325, &o, &b, err, sizeof err), IJW_EINVAL);
	assert_string_equal(err, "JW325 does not follow from a JW301; from a JW301 follow JW302 "
	                         "JW305 JW307 JW317 JW323");
	assert_int_equal(b.len, 0);
	assert_int_equal(ijw_answer(t.doc, IJW_JW305, &far, &b, err, sizeof err), IJW_EINVAL);
	assert_non_null(strstr(err, "record 9: the JW301 has "));
	assert_int_equal(b.len, 0);
	o.identificatie = "ABCDEFGHJKLMN";
	assert_int_equal(ijw_answer(t.doc, IJW_JW305, &o, &b, err, sizeof err), IJW_EINVAL);
	assert_string_equal(err, "the identification 'ABCDEFGHJKLMN' is not 1 to 12 characters");
	ijw_buf_free(&b);
	done(&t);
}

static void
random_ids(void **state)
{
	char a[IJW_GEN_ID_SIZE], b[IJW_GEN_ID_SIZE];

	(void)state;
	assert_int_equal(ijw_gen_random_id(a), IJW_OK);
	assert_int_equal(ijw_gen_random_id(b), IJW_OK);
	assert_int_equal(strlen(a), 12);
	assert_int_equal(strspn(a, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), 12);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(start_of_assignment),
	        cmocka_unit_test(stop_of_start),
	        cmocka_unit_test(declaration),
	        cmocka_unit_test(requests),
	        cmocka_unit_test(retour),
	        cmocka_unit_test(refusals),
	        cmocka_unit_test(random_ids),
	};

	int failed;

	/* Answers are dated ahead of today as their conversation needs. */
	ijw_validate_opts_init(&opts);
	opts.today = ijw_date_from_ymd(2099, 1, 1);
	if (ijw_schemas_new(NULL, &schemas) != IJW_OK)
		return 1;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	ijw_schemas_free(schemas);
	return failed;
}
