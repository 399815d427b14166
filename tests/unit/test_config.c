/*
 * test_config.c: reading gateway.ini, and what it says of each mistake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gw_config.h"

static char dir[] = "/tmp/test_config.XXXXXX";
static char path[256];

/* Two fingerprints, as written and as kept. */
#define FP1                                                                                        \
	"3F:A0:5C:11:9B:2E:47:D8:60:0C:EE:21:7B:94:D3:18:A5:6F:02:B9:4C:71:E8:3D:95:2A:C6:10:5E:"  \
	"B7:F4:09"
#define FP1_HEX "3fa05c119b2e47d8600cee217b94d318a56f02b94c71e83d952ac6105eb7f409"
#define FP2 "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef"
#define AA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CC "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define FP2_HEX "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char good[] = "; a comment\n"
                           "[gateway]\n"
                           "port = 9443\n"
                           "certificate = server.pem\n"
                           "private_key = /etc/keys/server.key\n"
                           "client_ca = ca.pem\n"
                           "push_certificate = gw.pem\n"
                           "push_private_key = gw.key\n"
                           "push_ca = ca.pem\n"
                           "\n"
                           "[party 0384]\n"
                           "kind = gemeente\n"
                           "name = Gemeente Diemen\n"
                           "certificate_cn = 0384\n"
                           "\n"
                           "[party 42420001]\n"
                           "kind = aanbieder\n"
                           "certificate_sha256 = " FP1 "\n"
                           "delivery = push\n"
                           "push_url = https://aanbieder.example/ijw\n"
                           "retour = auto\n";

static void
write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads text; returns the error ("" on success). */
static const char *
load(const char *text, struct gw_config **c)
{
	static char err[1024];

	write_file(text);
	if (gw_config_load(path, c, err, sizeof err))
		return "";
	assert_null(*c);
	return err;
}

/* good with the first occurrence of from replaced by to. */
static char *
edited(const char *from, const char *to)
{
	static char buf[4096];
	const char *at = strstr(good, from);

	assert_non_null(at);
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return buf;
}

static void
expect_error(const char *text, unsigned line, const char *needle)
{
	struct gw_config *c = NULL;
	const char *err = load(text, &c);
	char where[512];

	snprintf(where, sizeof where, "%s:%u: ", path, line);
	if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, needle))
		fail_msg("wanted '%s%s', got '%s'", where, needle, err);
}

static void
a_good_file(void **state)
{
	struct gw_config *c = NULL;
	const struct gw_party *p;
	char expect[512];

	(void)state;
	assert_string_equal(load(good, &c), "");
	assert_non_null(c);
	assert_int_equal(c->port, 9443);
	assert_string_equal(c->listen, "127.0.0.1"); /* a default */
	snprintf(expect, sizeof expect, "%s/server.pem", dir);
	assert_string_equal(c->certificate, expect); /* relative to the file */
	assert_string_equal(c->private_key, "/etc/keys/server.key");
	assert_int_equal(c->max_message_bytes, 33554432);
	assert_int_equal(c->retry_initial, 5);
	assert_int_equal(c->min_attempts, 3);
	assert_int_equal(c->push_timeout, 30);
	assert_int_equal(c->push_breaker_failures, 5);
	assert_int_equal(c->push_breaker_seconds, 60);
	assert_int_equal(c->nparties, 2);
	p = gw_config_party(c, "0384");
	assert_non_null(p);
	assert_int_equal(p->kind, IJW_GEMEENTE);
	assert_string_equal(p->name, "Gemeente Diemen");
	assert_int_equal(p->match, GW_MATCH_CN);
	assert_int_equal(p->ncert_ids, 1);
	assert_string_equal(p->cert_ids[0], "0384");
	assert_int_equal(p->delivery, GW_DELIVERY_INBOX);
	assert_int_equal(p->retour, GW_RETOUR_RELAY);
	assert_int_equal(p->line, 11);
	p = gw_config_party(c, "42420001");
	assert_int_equal(p->match, GW_MATCH_SHA256);
	assert_int_equal(p->ncert_ids, 1);
	assert_string_equal(p->cert_ids[0], FP1_HEX);
	assert_int_equal(p->delivery, GW_DELIVERY_PUSH);
	assert_string_equal(p->push_url, "https://aanbieder.example/ijw");
	assert_int_equal(p->push_ocsp, 0);
	assert_int_equal(p->retour, GW_RETOUR_AUTO);
	assert_null(gw_config_party(c, "0363"));
	gw_config_free(c);

	assert_string_equal(load(edited("retour = auto", "retour = auto\npush_ocsp = yes"), &c),
	                    "");
	assert_int_equal(gw_config_party(c, "42420001")->push_ocsp, 1);
	gw_config_free(c);
	assert_string_equal(load(edited("port = 9443", "port = 9443\nmin_attempts = 7"), &c), "");
	assert_int_equal(c->min_attempts, 7);
	gw_config_free(c);
}

/* The gateway's name among those sharing a store: the host's name and the port, or given. */
static void
instance_names(void **state)
{
	struct gw_config *c = NULL;
	char host[64] = "", expect[128];

	(void)state;
	assert_int_equal(gethostname(host, sizeof host - 1), 0);
	snprintf(expect, sizeof expect, "%s:9443", host);
	assert_string_equal(load(good, &c), "");
	assert_string_equal(c->instance, expect);
	gw_config_free(c);
	assert_string_equal(
	        load(edited("port = 9443", "port = 9443\ninstance = gw-2.zone_b:1"), &c), "");
	assert_string_equal(c->instance, "gw-2.zone_b:1");
	gw_config_free(c);
	expect_error(
	        edited("port = 9443", "instance = gw \"2\""), 3,
	        "instance wants 1 to 63 letters, digits, '.', '_', ':' or '-', not 'gw \"2\"'");
	expect_error(edited("port = 9443", "instance = "), 3, "instance wants 1 to 63");
}

/* workers: one per online core unless given, 1 to 256. */
static void
judging_threads(void **state)
{
	struct gw_config *c = NULL;

	(void)state;
	assert_string_equal(load(good, &c), "");
	assert_int_equal(c->workers, sysconf(_SC_NPROCESSORS_ONLN));
	gw_config_free(c);
	assert_string_equal(load(edited("port = 9443", "port = 9443\nworkers = 7"), &c), "");
	assert_int_equal(c->workers, 7);
	gw_config_free(c);
	assert_string_equal(load(edited("port = 9443", "port = 9443\nworkers = 256"), &c), "");
	assert_int_equal(c->workers, 256);
	gw_config_free(c);
	expect_error(edited("port = 9443", "workers = 0"), 3,
	             "workers wants a whole number from 1 to 256, not '0'");
	expect_error(edited("port = 9443", "workers = 257"), 3,
	             "workers wants a whole number from 1 to 256");
	expect_error(edited("port = 9443", "workers = "), 3, "workers wants a whole number");
}

/* A configuration held by another is freed when the last holder lets go of it. */
static void
holders(void **state)
{
	struct gw_config *c = NULL, *held;

	(void)state;
	assert_string_equal(load(good, &c), "");
	held = gw_config_hold(c);
	assert_ptr_equal(held, c);
	gw_config_free(c);
	/* still there: ASan would report a use after free here, and a leak without the next line */
	assert_int_equal(held->port, 9443);
	assert_non_null(gw_config_party(held, "0384"));
	gw_config_free(held);
}

static void
mistakes_name_their_line(void **state)
{
	(void)state;
	expect_error(edited("port = 9443", "port = 70000"), 3, "port wants a whole number");
	expect_error(edited("port = 9443", "port = 9443\nport = 9444"), 4, "port is given twice");
	expect_error(edited("port = 9443", "colour = blue"), 3, "unknown setting 'colour'");
	expect_error(edited("kind = gemeente", "kind = provincie"), 12,
	             "kind is gemeente or aanbieder, not 'provincie'");
	expect_error(edited("retour = auto", "retour = maybe"), 21,
	             "retour is relay or auto, not 'maybe'");
	expect_error(edited("retour = auto", "push_ocsp = always"), 21,
	             "push_ocsp is no or yes, not 'always'");
	expect_error(edited("port = 9443", "push_timeout = 0"), 3,
	             "push_timeout wants a whole number from 1 to 3600");
	expect_error(edited("[party 0384]", "[party 384]"), 11, "4-digit gemeentecode");
	expect_error(edited("[party 0384]", "[partij 0384]"), 11, "unknown section [partij 0384]");
	expect_error(edited("[party 42420001]", "[party 0384]"), 16, "[party 0384] appears twice");
	expect_error(edited("kind = gemeente", "kind = aanbieder"), 11,
	             "[party 0384]: an aanbieder has an 8-digit code");
	expect_error(edited("certificate_cn = 0384", "name2 = x"), 14, "unknown setting");
	expect_error(edited("certificate_sha256 = " FP1, "certificate_cn = x\n"
	                                                 "certificate_serial = y"),
	             16, "exactly one of certificate_cn");
	expect_error(edited("push_url = https://aanbieder.example/ijw", "push_url = http://x"), 16,
	             "push_url that starts with https://");
	expect_error(edited("client_ca = ca.pem\n", ""), 2, "[gateway] lacks client_ca");
	expect_error("port = 1\n", 1, "port is outside a section");
	expect_error(edited("[party 42420001]", "[party 0363]\n\n[party 42420001]"), 16,
	             "[party 0363] lacks kind");
	expect_error(edited("; a comment", "this is not ini"), 1, "not a setting");
	expect_error(
	        edited("port = 9443", "admin_listen = 0.0.0.0"), 2,
	        "admin_listen = 0.0.0.0 is not a loopback address, so it needs admin_tls = yes");
	expect_error(edited("port = 9443", "admin_listen = ::\nadmin_tls = maybe"), 4,
	             "admin_tls is no or yes, not 'maybe'");
	expect_error(edited("port = 9443", "admin_tls = yes\nadmin_certificates = ab:cd, 12"), 2,
	             "admin_certificates: 'ab:cd' is not a SHA-256 fingerprint");
}

/* A party recognised by several certificates: a rollover. */
static void
several_certificates(void **state)
{
	static const char *const more[] = {
	        "0000000011111111111111111111111111111111111111111111111111111111",
	        "0000000022222222222222222222222222222222222222222222222222222222",
	        "0000000033333333333333333333333333333333333333333333333333333333",
	        "0000000044444444444444444444444444444444444444444444444444444444",
	        "0000000055555555555555555555555555555555555555555555555555555555",
	        "0000000066666666666666666666666666666666666666666666666666666666",
	        "0000000077777777777777777777777777777777777777777777777777777777",
	        "0000000088888888888888888888888888888888888888888888888888888888",
	        "0000000099999999999999999999999999999999999999999999999999999999"};
	const char *fp1_line = "certificate_sha256 = " FP1;
	struct gw_config *c = NULL;
	const struct gw_party *p;
	char nine[2048] = "";
	size_t len = 0;

	(void)state;
	/* on lines of their own, several on one line (commas, spaces), an indented next line */
	assert_string_equal(load(edited(fp1_line, "certificate_sha256 = " FP2 "\n"
	                                          "certificate_sha256 = AA:" AA ",  bb" BB "\n"
	                                          "  " FP1 " CC" CC),
	                         &c),
	                    "");
	p = gw_config_party(c, "42420001");
	assert_int_equal(p->match, GW_MATCH_SHA256);
	assert_int_equal(p->ncert_ids, 5);
	assert_string_equal(p->cert_ids[0], FP2_HEX);
	assert_string_equal(p->cert_ids[1], "aa" AA);
	assert_string_equal(p->cert_ids[2], "bb" BB);
	assert_string_equal(p->cert_ids[3], FP1_HEX);
	assert_string_equal(p->cert_ids[4], "cc" CC);
	gw_config_free(c);

	/* a CN on two lines */
	assert_string_equal(load(edited("certificate_cn = 0384",
	                                "certificate_cn = 0384\ncertificate_cn = 0384-2027"),
	                         &c),
	                    "");
	p = gw_config_party(c, "0384");
	assert_int_equal(p->ncert_ids, 2);
	assert_string_equal(p->cert_ids[1], "0384-2027");
	gw_config_free(c);

	/* a bad one names itself and its line */
	expect_error(edited(fp1_line,
	                    "certificate_sha256 = " FP1 "\ncertificate_sha256 = " FP2 ", abcd"),
	             19, "certificate_sha256: 'abcd' is not a SHA-256 fingerprint (64 hex digits");
	expect_error(edited(fp1_line, "certificate_sha256 = " FP2 "0"), 18,
	             "'" FP2 "0' is not a SHA-256 fingerprint");
	expect_error(edited(fp1_line, "certificate_sha256 = ,"), 18,
	             "certificate_sha256 wants one or more SHA-256 fingerprints");
	/* one twice, one party's twice, and more than eight */
	expect_error(edited(fp1_line, "certificate_sha256 = " FP1 " " FP1_HEX), 18,
	             "certificate_sha256 " FP1_HEX " is given twice");
	expect_error(edited("certificate_cn = 0384", "certificate_sha256 = " FP1), 18,
	             "certificate_sha256 " FP1_HEX " names [party 0384] (line 11) already");
	expect_error(edited(fp1_line, "certificate_cn = 0384"), 18,
	             "certificate_cn 0384 names [party 0384] (line 11) already");
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		len += (size_t)snprintf(nine + len, sizeof nine - len, "%scertificate_sha256 = %s",
		                        i ? "\n" : "", more[i]);
	expect_error(edited(fp1_line, nine), 26,
	             "certificate_sha256: more than 8 certificates for one party");
}

/* The admin listener: loopback by default, elsewhere with TLS only; its fingerprints. */
static void
admin_settings(void **state)
{
	static const char fp[] = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
	                         "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
	static const char *const fine[] = {"admin_listen = off", "admin_listen = 127.0.0.2",
	                                   "admin_listen = ::1",
	                                   "admin_listen = 0.0.0.0\nadmin_tls = yes"};
	struct gw_config *c;
	char text[2048], line[512];

	(void)state;
	assert_string_equal(load(good, &c), "");
	assert_string_equal(c->admin_listen, "127.0.0.1");
	assert_int_equal(c->admin_port, 8444);
	assert_int_equal(c->admin_tls, 0);
	assert_string_equal(c->admin_token_file, "");
	gw_config_free(c);
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		assert_string_equal(load(edited("port = 9443", fine[i]), &c), "");
		gw_config_free(c);
	}
	snprintf(line, sizeof line, "admin_tls = yes\nadmin_certificates = %s,%s", fp,
	         "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	snprintf(text, sizeof text, "%s", edited("port = 9443", line));
	assert_string_equal(load(text, &c), "");
	assert_int_equal(c->nadmin_certs, 2);
	assert_string_equal(c->admin_certs[0],
	                    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	assert_string_equal(c->admin_certs[1],
	                    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	gw_config_free(c);
}

/*
 * inih hands a line over in pieces of at most 198 characters: a longer one
 * is a mistake on its own line, not a piece taken for a line of its own.
 */
static void
long_lines(void **state)
{
	char comment[256], text[4096];

	(void)state;
	memset(comment, '0', sizeof comment - 1);
	comment[sizeof comment - 1] = '\0';
	memcpy(comment, "; ", 2);
	memcpy(comment + 200, "[party 0363]", 12);
	snprintf(text, sizeof text, "%s\n%s", comment, good);
	expect_error(text, 1, "the line is longer than 198 characters");
	snprintf(text, sizeof text, "%s", edited("name = Gemeente Diemen", comment + 50));
	expect_error(text, 13, "the line is longer than 198 characters");
	comment[198] = '\0';
	snprintf(text, sizeof text, "%s\n%s", comment, edited("port = 9443", "port = 70000"));
	expect_error(text, 4, "port wants a whole number");
}

/*
 * A section's header begins its line. inih takes one after white space (a
 * form feed, a vertical tab, a space) for a header or for the next line of a
 * value, and the reader did not always: the settings of the party the file
 * names went to the party before it.
 */
static void
headers_begin_their_line(void **state)
{
	char text[4096];

	(void)state;
	snprintf(text, sizeof text,
	         "%s\n[party 0363]\n\f[party 9999]\nkind = gemeente\n"
	         "certificate_cn = someone\n",
	         good);
	expect_error(text, 24, "a [section] header begins its line");
	expect_error(edited("[party 42420001]", "  [party 42420001]"), 16,
	             "a [section] header begins its line");
}

static void
whole_file_mistakes(void **state)
{
	struct gw_config *c = NULL;
	char err[1024];

	(void)state;
	expect_error("[gateway]\ncertificate = a\nprivate_key = b\nclient_ca = c\n", 4,
	             "no [party CODE] section");
	expect_error(edited("push_certificate = gw.pem\n", ""), 15,
	             "needs push_certificate, push_private_key and push_ca");
	assert_false(gw_config_load("/nonexistent/gateway.ini", &c, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/gateway.ini: No such file"));
}

/* products: none, the built-in table, or a file; a party's product_codes need one. */
static void
product_tables(void **state)
{
	struct gw_config *c = NULL;
	char table[300], err[1024], text[4096];
	FILE *f;

	(void)state;
	assert_string_equal(load(good, &c), "");
	assert_null(c->products);
	assert_int_equal(gw_config_party(c, "0384")->product_codes, GW_CODES_BOTH);
	gw_config_free(c);

	snprintf(text, sizeof text,
	         "%s\n[party 0363]\nkind = gemeente\ncertificate_cn = 0363\n"
	         "product_codes = legacy\n",
	         edited("port = 9443", "port = 9443\nproducts = built-in"));
	assert_string_equal(load(text, &c), "");
	assert_int_equal(gw_config_party(c, "0363")->product_codes, GW_CODES_LEGACY);
	gw_config_free(c);
	expect_error(edited("kind = gemeente", "kind = gemeente\nproduct_codes = profile"), 11,
	             "[party 0384] has product_codes = profile, so [gateway] needs products");
	expect_error(edited("kind = gemeente", "kind = gemeente\nproduct_codes = national"), 13,
	             "product_codes is both, legacy or profile, not 'national'");

	assert_string_equal(load(edited("port = 9443", "port = 9443\nproducts = built-in"), &c),
	                    "");
	assert_non_null(c->products);
	assert_string_equal(ijw_products_region(c->products),
	                    "Amsterdam-Amstelland en Zaanstreek-Waterland");
	gw_config_free(c);

	/* a file, relative to the configuration's folder; its mistakes name its line */
	snprintf(table, sizeof table, "%s/region.ini", dir);
	assert_non_null(f = fopen(table, "w"));
	fputs("[region]\nname = Test\nintensity L = licht\n[profile 1]\nname = Een\n"
	      "[combination 1L]\nsegment = B\ncategory = 45\ncode = R01L\nunit = 82\n"
	      "tariff = 1000\n[legacy]\n45 45A07 = 1L\n",
	      f);
	fclose(f);
	assert_string_equal(load(edited("port = 9443", "port = 9443\nproducts = region.ini"), &c),
	                    "");
	assert_non_null(ijw_products_legacy(c->products, "45", "45A07"));
	gw_config_free(c);
	assert_non_null(f = fopen(table, "a"));
	fputs("45 45A08 = 9Z\n", f);
	fclose(f);
	write_file(edited("port = 9443", "port = 9443\nproducts = region.ini"));
	assert_false(gw_config_load(path, &c, err, sizeof err));
	if (!strstr(err, "gateway.ini: products: ") ||
	    !strstr(err, "/region.ini:14: 45 45A08 maps "
	                 "to 9Z, which is no [combination]"))
		fail_msg("got '%s'", err);
	write_file(edited("port = 9443", "port = 9443\nproducts = missing.ini"));
	assert_false(gw_config_load(path, &c, err, sizeof err));
	assert_non_null(strstr(err, "/missing.ini: No such file"));
	unlink(table);
}

static void
settings_are_described(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	gw_config_describe(f);
	fclose(f);
	assert_non_null(strstr(text, "[gateway]\n"));
	assert_non_null(strstr(text, "[party CODE]\n"));
	assert_non_null(strstr(text, "client_ca "));
	assert_non_null(strstr(text, "(required)"));
	assert_non_null(strstr(text, "(default 8443)"));
	assert_non_null(strstr(text, "workers "));
	assert_non_null(strstr(text, "several for a certificate rollover, separated by commas or "
	                             "spaces or on lines of their own"));
	assert_non_null(strstr(text, "(default: the number of online cores)"));
	free(text);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/gateway.ini", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_good_file),
	        cmocka_unit_test(instance_names),
	        cmocka_unit_test(judging_threads),
	        cmocka_unit_test(holders),
	        cmocka_unit_test(mistakes_name_their_line),
	        cmocka_unit_test(several_certificates),
	        cmocka_unit_test(admin_settings),
	        cmocka_unit_test(long_lines),
	        cmocka_unit_test(headers_begin_their_line),
	        cmocka_unit_test(whole_file_mistakes),
	        cmocka_unit_test(product_tables),
	        cmocka_unit_test(settings_are_described),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
