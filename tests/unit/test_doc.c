/*
 * test_doc.c: parsing hostile input, type detection and the typed view.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "ijw_doc.h"
#include "ijw_gen.h"
#include "tu.h"

#define NS301 "http://www.istandaarden.nl/ijw/3_2/jw301/schema"
#define NS323 "http://www.istandaarden.nl/ijw/3_2/jw323/schema"

/* Every attempt to load an external resource is counted here. */
static int loads;

static xmlParserInputPtr
spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loads++;
	return NULL;
}

static int
setup(void **state)
{
	(void)state;
	xmlSetExternalEntityLoader(spy_loader);
	loads = 0;
	return 0;
}

/* Parses text; returns the document or NULL, the findings in *f. */
static ijw_doc *
parse(const char *text, size_t len, const struct ijw_limits *lim, ijw_findings *f)
{
	ijw_doc *doc = NULL;

	ijw_findings_clear(f);
	assert_int_equal(ijw_doc_parse(text, len, lim, &doc, f), IJW_OK);
	return doc;
}

/* Asserts that text is refused with one finding of rule whose text holds needle. */
static void
refused(const char *text, size_t len, const struct ijw_limits *lim, const char *rule,
        const char *needle)
{
	ijw_findings *f = ijw_findings_new();
	const struct ijw_finding *it;

	assert_null(parse(text, len, lim, f));
	assert_true(ijw_findings_count(f) >= 1);
	it = ijw_findings_get(f, 0);
	assert_string_equal(it->rule, rule);
	assert_string_equal(it->retourcode, "0001");
	if (!strstr(it->text, needle))
		fail_msg("finding '%s' does not mention '%s'", it->text, needle);
	assert_int_equal(loads, 0);
	ijw_findings_free(f);
}

#define REFUSED(text, rule, needle) refused(text, strlen(text), NULL, rule, needle)

static void
external_entity_is_refused_unread(void **state)
{
	(void)state;
	REFUSED("<?xml version=\"1.0\"?>\n<!DOCTYPE b [<!ENTITY e SYSTEM "
	        "\"file:///etc/passwd\">]>\n<b:Bericht xmlns:b=\"" NS301 "\">&e;</b:Bericht>",
	        "XML", "DOCTYPE");
	REFUSED("<!DOCTYPE b SYSTEM \"http://example.invalid/b.dtd\"><b:Bericht xmlns:b=\"" NS301
	        "\"/>",
	        "XML", "DOCTYPE");
	REFUSED("<!DOCTYPE b [<!ENTITY % p SYSTEM \"http://example.invalid/p\"> %p;]>"
	        "<b:Bericht xmlns:b=\"" NS301 "\"/>",
	        "XML", "DOCTYPE");
}

static void
entity_bomb_is_refused(void **state)
{
	(void)state;
	REFUSED("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
	        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
	        "<l>&h;</l>",
	        "XML", "DOCTYPE");
}

static void
undeclared_entity_and_xinclude_load_nothing(void **state)
{
	ijw_findings *f = ijw_findings_new();
	const char *xi =
	        "<b:Bericht xmlns:b=\"" NS301 "\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
	        "<xi:include href=\"file:///etc/passwd\" parse=\"text\"/></b:Bericht>";
	ijw_doc *doc;

	(void)state;
	REFUSED("<b:Bericht xmlns:b=\"" NS301 "\">&passwd;</b:Bericht>", "XML", "passwd");
	doc = parse(xi, strlen(xi), NULL, f);
	assert_non_null(doc); /* well-formed: the schema layer rejects the element */
	assert_int_equal(loads, 0);
	ijw_doc_free(doc);
	ijw_findings_free(f);
}

static void
size_limit(void **state)
{
	static const char msg[] = "<b:Bericht xmlns:b=\"" NS301 "\"><b:Header/></b:Bericht>";
	struct ijw_limits lim = IJW_LIMITS_DEFAULT;
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc;

	(void)state;
	lim.max_bytes = sizeof msg - 1;
	doc = parse(msg, sizeof msg - 1, &lim, f);
	assert_non_null(doc);
	ijw_doc_free(doc);
	lim.max_bytes--;
	refused(msg, sizeof msg - 1, &lim, "XML", "larger than the limit");
	refused("", 0, NULL, "XML", "empty");
	ijw_findings_free(f);
}

static void
nesting_depth(void **state)
{
	struct ijw_limits lim = IJW_LIMITS_DEFAULT;
	size_t depth = 100000, len = 0;
	char *deep = malloc(depth * 7 + 200);

	(void)state;
	len += (size_t)snprintf(deep, 200, "<b:Bericht xmlns:b=\"" NS301 "\">");
	for (size_t i = 0; i < depth; i++) {
		memcpy(deep + len, "<b:x>", 5);
		len += 5;
	}
	refused(deep, len, NULL, "XML", "nested deeper than 32 levels");
	lim.max_depth = 3;
	refused("<b:Bericht xmlns:b=\"" NS301 "\"><b:H><b:C><b:D/></b:C></b:H></b:Bericht>",
	        strlen("<b:Bericht xmlns:b=\"" NS301 "\"><b:H><b:C><b:D/></b:C></b:H></b:Bericht>"),
	        &lim, "XML", "deeper than 3");
	free(deep);
}

/*
 * An element with many attributes is refused before the parser, whose
 * duplicate check compares each attribute with every other: 200,000 would
 * hold a thread for minutes. Quoted '=' and '>' do not count, nor do
 * comments, CDATA sections and processing instructions.
 */
static void
attribute_count(void **state)
{
	struct ijw_limits lim = IJW_LIMITS_DEFAULT;
	size_t n = 200000, len = 0, size = n * 16 + 200;
	char *many = malloc(size);
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc;

	(void)state;
	len += (size_t)snprintf(many, 200, "<b:Bericht xmlns:b=\"" NS301 "\">\n<b:Header");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(many + len, size - len, " a%zu=\"1\"", i);
	len += (size_t)snprintf(many + len, size - len, "/></b:Bericht>");
	refused(many, len, NULL, "XML", "an element has 200000 attributes; the limit is 32");
	assert_null(parse(many, len, NULL, f));
	assert_int_equal(ijw_findings_get(f, 0)->line, 2);
	free(many);

	lim.max_attributes = 3;
	refused("<b:Bericht xmlns:b=\"" NS301
	        "\"><b:H\n a=\"1\" b='2' c=\"3\" d=\"4\"/></b:Bericht>",
	        strlen("<b:Bericht xmlns:b=\"" NS301
	               "\"><b:H\n a=\"1\" b='2' c=\"3\" d=\"4\"/></b:Bericht>"),
	        &lim, "XML", "an element has 4 attributes; the limit is 3");
	static const char quiet[] = "<!-- <x a=1 b=2 c=3 d=4> -->"
	                            "<b:Bericht xmlns:b=\"" NS301 "\" x=\"a=b=c=d>\">"
	                            "<b:H><![CDATA[<y a=1 b=2 c=3 d=4>]]></b:H></b:Bericht>";
	doc = parse(quiet, sizeof quiet - 1, &lim, f);
	assert_non_null(doc);
	ijw_doc_free(doc);
	/* a processing instruction is refused for what it is, not for its '=' */
	refused("<?p a=1 b=2 c=3 d=4?><b:Bericht xmlns:b=\"" NS301 "\"/>",
	        strlen("<?p a=1 b=2 c=3 d=4?><b:Bericht xmlns:b=\"" NS301 "\"/>"), &lim, "XML",
	        "processing instruction (<?p ...?>)");
	ijw_findings_free(f);
}

static const char head[] = "<b:Bericht xmlns:b=\"" NS301 "\">\n", tail[] = "</b:Bericht>";

/* A message whose root holds n times unit, one a line after the line of head. */
static char *
repeated(const char *unit, size_t n, size_t *len)
{
	size_t u = strlen(unit), size = sizeof head + n * (u + 1) + sizeof tail;
	char *p = malloc(size), *w = p;

	assert_non_null(p);
	memcpy(w, head, sizeof head - 1);
	w += sizeof head - 1;
	for (size_t i = 0; i < n; i++) {
		memcpy(w, unit, u);
		w[u] = '\n';
		w += u + 1;
	}
	memcpy(w, tail, sizeof tail);
	*len = (size_t)(w - p) + sizeof tail - 1;
	return p;
}

/*
 * Input that would make a tree many times its size: each shape, 4 MB of it,
 * is refused for its nodes in its first megabyte, at the line where they
 * became too many; a processing instruction is refused for what it is.
 * CDATA sections cannot be that dense (adjacent ones make one node): they
 * are accepted, within the limit.
 */
static void
node_limits(void **state)
{
	static const struct {
		const char *what, *unit, *needle; /* NULL: accepted */
	} shapes[] = {
	        {"empty elements", "<a/><a/><a/>", "nodes"},
	        {"tiny text", "x<a/>x<a/>x<a/>", "nodes"},
	        {"white space between elements", "<a/> <a/>  <a/>", "nodes"},
	        {"comments", "<!----><!----><!---->", "nodes"},
	        {"CDATA sections", "<a><![CDATA[x]]></a><![CDATA[]]>", NULL},
	        {"nesting 32 deep, over and over",
	         "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
	         "<a><a><a><a><a><a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>"
	         "</a></a></a></a></a></a></a></a></a></a></a></a></a></a></a></a>",
	         "nodes"},
	        {"31 attributes on each element",
	         "<a a0='' a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' b0='' b1='' b2='' "
	         "b3='' b4='' b5='' b6='' b7='' b8='' b9='' c0='' c1='' c2='' c3='' c4='' c5='' "
	         "c6='' c7='' c8='' c9='' d0=''/>",
	         "nodes"},
	        {"processing instructions", "<?a?><?a?><?a?>",
	         "processing instruction (<?a ...?>)"},
	};
	ijw_findings *f = ijw_findings_new();

	(void)state;
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		size_t n = (4u << 20) / strlen(shapes[i].unit), len, at;
		char *text = repeated(shapes[i].unit, n, &len);
		ijw_doc *doc = parse(text, len, NULL, f);
		const struct ijw_finding *it = ijw_findings_get(f, 0);
		const char *first;

		if (!shapes[i].needle) {
			if (!doc)
				fail_msg("%s: refused: %s", shapes[i].what, it->text);
		} else if (doc || ijw_findings_count(f) != 1 || strcmp(it->rule, "XML") != 0 ||
		           strcmp(it->retourcode, "0001") != 0 ||
		           !strstr(it->text, shapes[i].needle)) {
			fail_msg("%s: %s", shapes[i].what, doc ? "accepted" : it->text);
		} else if ((first = strstr(it->text, "in its first "))) {
			at = strtoul(first + strlen("in its first "), NULL, 10);
			if (at > (1u << 20) ||
			    it->line != 2 + (at - (sizeof head - 1)) / (strlen(shapes[i].unit) + 1))
				fail_msg("%s: line %u: %s", shapes[i].what, it->line, it->text);
		}
		ijw_doc_free(doc);
		free(text);
	}
	ijw_findings_free(f);
}

/*
 * The limit is on the nodes per byte, not on the shapes: empty elements with
 * room between them pass, up to max_nodes in all.
 */
static void
node_limits_are_per_byte(void **state)
{
	struct ijw_limits lim = IJW_LIMITS_DEFAULT;
	ijw_findings *f = ijw_findings_new();
	size_t len;
	char *text = repeated("<a/>           ", 100000, &len);
	ijw_doc *doc;

	(void)state;
	doc = parse(text, len, NULL, f);
	assert_non_null(doc);
	ijw_doc_free(doc);
	lim.max_nodes = 50000;
	refused(text, len, &lim, "XML", "more than 50000 nodes");
	assert_null(parse(text, len, &lim, f));
	assert_int_equal(ijw_findings_get(f, 0)->line, 50000);
	free(text);
	ijw_findings_free(f);
}

/* The verdict of the parser on text, as the first finding's text, or "" when accepted. */
static void
verdict(const char *text, size_t len, const struct ijw_limits *lim, char *dst, size_t size)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc = parse(text, len, lim, f);

	snprintf(dst, size, "%s", ijw_findings_count(f) ? ijw_findings_get(f, 0)->text : "");
	assert_true(doc || dst[0]);
	ijw_doc_free(doc);
	ijw_findings_free(f);
}

/*
 * Valid messages keep their verdict under limits twice as strict as the
 * defaults, with almost no slack: the defaults leave them a margin of two.
 */
static void
judged_alike(const char *what, const char *text, size_t len)
{
	struct ijw_limits strict = IJW_LIMITS_DEFAULT;
	char v[512], s[512];

	strict.bytes_per_node *= 2;
	strict.node_slack = 64;
	verdict(text, len, NULL, v, sizeof v);
	verdict(text, len, &strict, s, sizeof s);
	if (strcmp(v, s) != 0 || strstr(v, "nodes"))
		fail_msg("%s: '%s' by default, '%s' twice as strict", what, v, s);
}

/* Every .xml file of dir, or of each folder in it when deep; how many. */
static size_t
judge_files(const char *dir, bool deep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[4096];
		size_t len, l = strlen(e->d_name);
		char *text;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (deep && e->d_type == DT_DIR) {
			n += judge_files(path, false);
			continue;
		}
		if (l < 4 || strcmp(e->d_name + l - 4, ".xml") != 0)
			continue;
		assert_non_null(text = tu_read(path, &len));
		judged_alike(path, text, len);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

static void
valid_messages_within_half_the_limits(void **state)
{
	char dir[4096];
	struct ijw_buf b;

	(void)state;
	snprintf(dir, sizeof dir, "%s/samples", tu_source_dir());
	assert_true(judge_files(dir, false) >= 200);
	snprintf(dir, sizeof dir, "%s/tests/scenarios", tu_source_dir());
	assert_true(judge_files(dir, true) >= 100);
	if (tu_official_examples())
		assert_int_equal(judge_files(tu_official_examples(), false), 14);
	ijw_buf_init(&b, 64u << 20);
	for (enum ijw_type t = IJW_TYPE_NONE + 1; t < IJW_TYPE_END; t++) {
		for (uint64_t seed = 1; seed <= 20; seed++) {
			ijw_buf_reset(&b);
			assert_int_equal(ijw_generate(t, seed, &b), IJW_OK);
			judged_alike(ijw_msgdef(t)->name, b.data, b.len);
		}
	}
	ijw_buf_free(&b);
}

/* The largest declaration the default size limit lets in keeps its verdict too. */
static void
largest_declaration(void **state)
{
	struct ijw_limits lim = IJW_LIMITS_DEFAULT;
	struct ijw_gen_opts o = {.seed = 3, .clients = 17000};
	struct ijw_buf b;

	(void)state;
	ijw_buf_init(&b, 64u << 20);
	assert_int_equal(ijw_generate_opts(IJW_JW323, &o, &b), IJW_OK);
	assert_true(b.len > lim.max_bytes * 9 / 10 && b.len <= lim.max_bytes);
	judged_alike("a declaration of 17000 clients", b.data, b.len);
	ijw_buf_free(&b);
}

static void
encodings(void **state)
{
	static const char utf16[] = "\xFF\xFE<\0b\0/\0>\0";

	(void)state;
	REFUSED("<b:Bericht xmlns:b=\"" NS301 "\"><b:H>caf\xC3\x28</b:H></b:Bericht>", "XML",
	        "UTF-8");
	refused(utf16, sizeof utf16 - 1, NULL, "XML", "not UTF-8");
	REFUSED("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><b:Bericht xmlns:b=\"" NS301 "\"/>",
	        "XML", "ISO-8859-1");
}

static void
not_well_formed(void **state)
{
	(void)state;
	REFUSED("hello", "XML", "not well-formed");
	REFUSED("<b:Bericht xmlns:b=\"" NS301 "\"><b:Header>", "XML", "not well-formed");
	REFUSED("<b:Bericht xmlns:b=\"" NS301 "\"><c:Header/></b:Bericht>", "XML", "c");
}

static void
unknown_message_types(void **state)
{
	(void)state;
	REFUSED("<Bericht><Header/></Bericht>", "TYPE", "(none)");
	REFUSED("<b:Bericht xmlns:b=\"http://www.istandaarden.nl/ijw/3_1/jw301/schema\"/>", "TYPE",
	        "3_1");
	REFUSED("<b:Message xmlns:b=\"" NS301 "\"/>", "TYPE", "<Message>");
	REFUSED("<b:Bericht xmlns:b=\"urn:x\"><b:Header><b:BerichtCode>436</b:BerichtCode>"
	        "</b:Header></b:Bericht>",
	        "TYPE", "BerichtCode 436 is JW301");
}

static const char declaratie[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<d:Bericht xmlns:d=\"" NS323
        "\" xmlns:i=\"http://www.istandaarden.nl/ijw/3_2/basisschema/schema\">\n"
        "<d:Header><d:BerichtCode>490</d:BerichtCode><d:BerichtVersie>3</d:BerichtVersie>"
        "<d:BerichtSubversie>2</d:BerichtSubversie><d:Afzender>42420001</d:Afzender>"
        "<d:Ontvanger> 0363 </d:Ontvanger><d:BerichtIdentificatie><i:Identificatie>D1"
        "</i:Identificatie><i:Dagtekening>2026-02-03</i:Dagtekening></d:BerichtIdentificatie>"
        "<d:XsdVersie><i:BasisschemaXsdVersie>1.0.0</i:BasisschemaXsdVersie>"
        "<i:BerichtXsdVersie>1.0.1</i:BerichtXsdVersie></d:XsdVersie></d:Header>\n"
        "<d:Declaratie><d:DeclaratieNummer>N1</d:DeclaratieNummer>"
        "<d:DeclaratiePeriode><i:Begindatum>2026-01-01</i:Begindatum>"
        "<i:Einddatum>2026-01-31</i:Einddatum></d:DeclaratiePeriode>"
        "<d:TotaalIngediendBedrag><i:TotaalBedrag>500</i:TotaalBedrag>"
        "<i:DebetCredit>D</i:DebetCredit></d:TotaalIngediendBedrag><d:Clienten>\n"
        "<d:Client><d:Bsn>999900006</d:Bsn><d:Prestaties>\n"
        "<d:Prestatie><d:ToewijzingNummer>77</d:ToewijzingNummer>"
        "<d:ProductCategorie>45</d:ProductCategorie><d:ProductCode>45A14</d:ProductCode>"
        "<d:ProductPeriode><i:Begindatum>2026-01-05</i:Begindatum>"
        "<i:Einddatum>2026-01-20</i:Einddatum></d:ProductPeriode>"
        "<d:GeleverdVolume>3</d:GeleverdVolume>"
        "<d:IngediendBedrag><i:Bedrag>700</i:Bedrag><i:DebetCredit>D</i:DebetCredit>"
        "</d:IngediendBedrag></d:Prestatie>\n"
        "<d:Prestatie><d:ToewijzingNummer>78</d:ToewijzingNummer>"
        "<d:ProductCode>45A140</d:ProductCode>"
        "<d:IngediendBedrag><i:Bedrag>200</i:Bedrag><i:DebetCredit>C</i:DebetCredit>"
        "</d:IngediendBedrag></d:Prestatie>\n"
        "</d:Prestaties></d:Client></d:Clienten></d:Declaratie></d:Bericht>\n";

static void
typed_view(void **state)
{
	ijw_findings *f = ijw_findings_new();
	ijw_doc *doc;
	const struct ijw_header *h;
	const struct ijw_record *r;

	(void)state;
	doc = parse(declaratie, sizeof declaratie - 1, NULL, f);
	assert_non_null(doc);
	assert_int_equal(ijw_findings_count(f), 0);
	assert_int_equal(ijw_doc_type(doc), IJW_JW323);
	h = ijw_doc_header(doc);
	assert_string_equal(h->berichtcode, "490");
	assert_string_equal(h->versie, "3");
	assert_string_equal(h->subversie, "2");
	assert_string_equal(h->afzender, "42420001");
	assert_string_equal(h->ontvanger, "0363"); /* white space trimmed */
	assert_string_equal(h->identificatie, "D1");
	assert_string_equal(h->dagtekening, "2026-02-03");
	assert_string_equal(h->xsd_basis, "1.0.0");
	assert_string_equal(h->xsd_bericht, "1.0.1");

	assert_int_equal(ijw_doc_nrecords(doc), 4);
	r = ijw_doc_record(doc, 0);
	assert_string_equal(r->level, "Declaratie");
	assert_int_equal(r->parent, -1);
	assert_string_equal(r->begindatum, "2026-01-01");
	assert_string_equal(r->einddatum, "2026-01-31");
	assert_true(r->has_bedrag);
	assert_int_equal(r->bedrag, 500);
	r = ijw_doc_record(doc, 1);
	assert_string_equal(r->level, "Client");
	assert_int_equal(r->parent, 0);
	assert_string_equal(r->bsn, "999900006");
	assert_int_equal(r->line, 5);
	r = ijw_doc_record(doc, 2);
	assert_string_equal(r->level, "Prestatie");
	assert_int_equal(r->parent, 1);
	assert_string_equal(r->toewijzingnummer, "77");
	assert_string_equal(r->categorie, "45");
	assert_string_equal(r->productcode, "45A14");
	assert_string_equal(r->begindatum, "2026-01-05");
	assert_string_equal(r->einddatum, "2026-01-20");
	assert_string_equal(r->volume, "3");
	assert_int_equal(r->bedrag, 700);
	r = ijw_doc_record(doc, 3);
	assert_int_equal(r->parent, 1);
	assert_string_equal(r->productcode, ""); /* too long for a code: not truncated */
	assert_int_equal(r->bedrag, -200);       /* credit */
	assert_null(ijw_doc_record(doc, 4));
	ijw_doc_free(doc);
	ijw_findings_free(f);
}

/* A sample message of the project's, parsed. */
static ijw_doc *
sample(const char *name, ijw_findings *f)
{
	char path[1024];
	size_t len;
	char *text;
	ijw_doc *doc;

	snprintf(path, sizeof path, "%s/samples/%s", tu_source_dir(), name);
	assert_non_null(text = tu_read(path, &len));
	doc = parse(text, len, NULL, f);
	free(text);
	assert_non_null(doc);
	return doc;
}

/* A retour names the heen message it answers: the echoed identification, a JW325 its own. */
static void
what_a_retour_answers(void **state)
{
	static const struct {
		const char *file;
		bool answers;
		enum ijw_type type;
		const char *from, *to, *identificatie;
	} cases[] = {
	        {"JW302-valid-1.xml", true, IJW_JW301, "0384", "42420001", "H824C9EP9VFT"},
	        {"JW325-valid-1.xml", true, IJW_JW323, "42420001", "0384", "C1Q5KWG4SHDH"},
	        {"JW301-valid-1.xml", false, IJW_TYPE_NONE, NULL, NULL, NULL},
	        {"JW323-valid-1.xml", false, IJW_TYPE_NONE, NULL, NULL, NULL},
	};
	ijw_findings *f = ijw_findings_new();
	struct ijw_answered a;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ijw_doc *doc = sample(cases[i].file, f);

		assert_int_equal(ijw_doc_answers(doc, &a), cases[i].answers);
		if (cases[i].answers) {
			assert_int_equal(a.type, cases[i].type);
			assert_string_equal(a.from, cases[i].from);
			assert_string_equal(a.to, cases[i].to);
			assert_string_equal(a.identificatie, cases[i].identificatie);
		}
		ijw_doc_free(doc);
	}
	ijw_findings_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(external_entity_is_refused_unread, setup),
	        cmocka_unit_test_setup(entity_bomb_is_refused, setup),
	        cmocka_unit_test_setup(undeclared_entity_and_xinclude_load_nothing, setup),
	        cmocka_unit_test_setup(size_limit, setup),
	        cmocka_unit_test_setup(nesting_depth, setup),
	        cmocka_unit_test_setup(attribute_count, setup),
	        cmocka_unit_test_setup(node_limits, setup),
	        cmocka_unit_test_setup(node_limits_are_per_byte, setup),
	        cmocka_unit_test_setup(valid_messages_within_half_the_limits, setup),
	        cmocka_unit_test_setup(largest_declaration, setup),
	        cmocka_unit_test_setup(encodings, setup),
	        cmocka_unit_test_setup(not_well_formed, setup),
	        cmocka_unit_test_setup(unknown_message_types, setup),
	        cmocka_unit_test_setup(typed_view, setup),
	        cmocka_unit_test_setup(what_a_retour_answers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
