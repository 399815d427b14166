#!/bin/sh
# cli_test.sh: the command-line contract of ijw-gateway (output formats, exit
# statuses) checked against the real binary.
#
#	cli_test.sh BINARY SOURCE_DIR [SHARED_DIR]
set -u
# absolute, for the checks that run in another folder
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../lib.sh
. "$src/tests/lib.sh"

lines() {
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || fail "$1 has $n lines, expected $2"
}

# help and usage
expect 0 "$bin" --help
has "$tmp/out" '^  validate '
has "$tmp/out" '^  generate '
expect 2 "$bin"
expect 2 "$bin" frobnicate
has "$tmp/err" "unknown command 'frobnicate'"
for c in validate generate; do
	expect 0 "$bin" "$c" --help
	has "$tmp/out" "^usage: ijw-gateway $c"
done
expect 2 "$bin" validate
expect 2 "$bin" validate --bogus x.xml

# the version: meson's project version and the iJw release
version=$(sed -n "s/^  version : '\(.*\)',\$/\1/p" "$src/meson.build")
[ -n "$version" ] || fail "no version in $src/meson.build"
for v in --version -V; do
	expect 0 "$bin" $v
	[ "$(cat "$tmp/out")" = "ijw-gateway $version (iJw 3.2)" ] ||
		fail "$v printed '$(cat "$tmp/out")', not 'ijw-gateway $version (iJw 3.2)'"
done

# generate: every type, reproducible, to a file or standard output
for t in JW301 JW302 JW305 JW306 JW307 JW308 JW315 JW316 JW317 JW318 JW319 JW320 JW323 JW325; do
	expect 0 "$bin" generate "$t" --seed 5 -o "$tmp/$t.xml"
	expect 0 "$bin" generate "$t" --seed 5
	cmp -s "$tmp/out" "$tmp/$t.xml" || fail "generate $t --seed 5 differs between runs"
done
expect 0 "$bin" generate jw301
cmp -s "$tmp/out" "$tmp/JW301.xml" && fail "seed 1 and seed 5 give the same JW301"
expect 2 "$bin" generate JW303
has "$tmp/err" "'JW303' is not an iJw 3.2 message type"
expect 2 "$bin" generate JW301 --seed -1
expect 2 "$bin" generate JW301 --seed 12x
expect 2 "$bin" generate JW301 -o /nonexistent/dir/x.xml
expect 0 "$bin" generate JW323 --clients 500 -o "$tmp/big.xml"
[ "$(grep -c '<jw323:Client>' "$tmp/big.xml")" -eq 500 ] || fail "generate --clients 500 wrote another number of clients"
expect 0 "$bin" validate "$tmp/big.xml"
expect 2 "$bin" generate JW301 --clients 2
has "$tmp/err" 'is for declarations'
expect 2 "$bin" generate JW323 --clients 100000

# validate: accepted, one line per file
expect 0 "$bin" validate "$tmp/JW301.xml" "$tmp/JW325.xml"
lines "$tmp/out" 2
has "$tmp/out" "^$tmp/JW301.xml: accepted JW301\$"
has "$tmp/out" "^$tmp/JW325.xml: accepted JW325\$"
expect 0 "$bin" validate - <"$tmp/JW305.xml"
has "$tmp/out" '^-: accepted JW305$'

# rejected: one line per finding, retour code, rule and XPath
sed 's|<jw301:Bsn>[0-9]*</jw301:Bsn>|<jw301:Bsn>12345</jw301:Bsn>|' "$tmp/JW301.xml" >"$tmp/bad.xml"
expect 1 "$bin" validate "$tmp/bad.xml"
has "$tmp/out" "^$tmp/bad.xml: rejected JW301 0001 XSD /jw301:Bericht/jw301:Client/jw301:Bsn: "
grep -q 12345 "$tmp/out" && fail "a BSN value appears in the findings"
printf 'not xml at all' >"$tmp/junk.txt"
expect 1 "$bin" validate "$tmp/junk.txt"
has "$tmp/out" "^$tmp/junk.txt: rejected unknown 0001 XML /: not well-formed XML"
printf '<?xml version="1.0"?><Bericht/>' >"$tmp/nons.xml"
expect 1 "$bin" validate "$tmp/nons.xml"
has "$tmp/out" "rejected unknown 0001 TYPE /: not an iJw 3.2 message"

# libxml2 says nothing of its own on standard error, even on encoding errors
printf '<?xml version="1.0" encoding="EUC-JP"?><b:Bericht xmlns:b="urn:x">caf\265/3_ x</b:Bericht>' >"$tmp/enc.xml"
expect 1 "$bin" validate "$tmp/enc.xml"
[ -s "$tmp/err" ] && fail "validate wrote to standard error: $(head -c 200 "$tmp/err")"

# the worst status wins: accepted < rejected < I/O error
expect 1 "$bin" validate "$tmp/JW301.xml" "$tmp/bad.xml"
expect 2 "$bin" validate "$tmp/JW301.xml" "$tmp/missing.xml" "$tmp/bad.xml"
has "$tmp/err" "missing.xml: No such file or directory"
has "$tmp/out" "bad.xml: rejected"
expect 2 "$bin" validate --schemas /nonexistent "$tmp/JW301.xml" "$tmp/JW301.xml"
# said once for the folder, not once per file
[ "$(grep -c nonexistent "$tmp/err")" -eq 1 ] || fail "a missing --schemas folder: $(cat "$tmp/err")"
has "$tmp/err" '^ijw-gateway: validate: --schemas /nonexistent: No such file or directory$'
expect 2 "$bin" validate --schemas "$tmp/JW301.xml" "$tmp/JW301.xml"
has "$tmp/err" "validate: --schemas $tmp/JW301.xml: not a folder\$"

# --json: one object per file per line
expect 2 "$bin" validate --json "$tmp/JW301.xml" "$tmp/bad.xml" "$tmp/missing.xml" "$tmp/junk.txt"
lines "$tmp/out" 4
has "$tmp/out" "^\\{\"file\":\"$tmp/JW301.xml\",\"verdict\":\"accepted\",\"type\":\"JW301\",\"findings\":\\[\\],\"more_findings\":0\\}\$"
has "$tmp/out" '"verdict":"rejected","type":"JW301","findings":\[\{"retourcode":"0001","rule":"XSD","xpath":"/jw301:Bericht/jw301:Client/jw301:Bsn","line":[0-9]+,"text":"'
has "$tmp/out" '"verdict":"error","error":"No such file or directory"'
has "$tmp/out" '"verdict":"rejected","type":null'
python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' <"$tmp/out" || fail "--json output is not JSON"

# the official schemas, where the reference material is present
if [ -n "$shared" ] && [ -d "$shared/reference/ijw-3.2/xsd" ]; then
	x=$shared/reference/ijw-3.2
	expect 0 "$bin" validate --schemas "$x/xsd" "$tmp/JW301.xml" "$x/voorbeelden/JW301.xml"
	expect 1 "$bin" validate --schemas "$x/xsd" "$x/voorbeelden/JW315.xml"
	has "$tmp/out" 'rejected JW315 0001 XSD /jw315:Bericht/jw315:Client/jw315:AangevraagdeProducten/jw315:AangevraagdProduct\[1\]/jw315:ToewijzingEinddatum: '
else
	echo "note: ../shared is absent; skipping the checks with the official schemas"
fi

# the in-message rules: listed, judged against an injectable clock, skipped on request
expect 0 "$bin" rules
has "$tmp/out" '^TR135  8848  JW301 JW305 JW307 JW315 JW317 JW319 JW323 JW325$'
has "$tmp/out" '^CS002  0001 '
expect 0 "$bin" rules JW319
grep -q '^CS002' "$tmp/out" && fail "rules JW319 lists CS002, which has no BSN to check"
has "$tmp/out" '^TR377 '
expect 0 "$bin" rules --json
python3 -c 'import json, sys
rules = [json.loads(line) for line in sys.stdin]
assert len(rules) > 50 and all(r["code"] and r["retourcode"] for r in rules)' <"$tmp/out" ||
	fail "rules --json is not a JSON object per rule"
expect 2 "$bin" rules JW399
expect 0 "$bin" validate --today 2026-11-23 "$src/samples/JW301-TR135-borderline.xml"
expect 1 "$bin" validate --today 2026-11-22 "$src/samples/JW301-TR135-borderline.xml"
has "$tmp/out" 'rejected JW301 8848 TR135 /jw301:Bericht/jw301:Header/jw301:BerichtIdentificatie/ijw:Dagtekening: '
expect 2 "$bin" validate --today 2026-02-30 "$src/samples/JW301-valid-1.xml"
expect 1 "$bin" validate "$src/samples/JW301-CS089-invalid.xml"
has "$tmp/out" 'rejected JW301 0001 CS089 /jw301:Bericht/jw301:Client/jw301:Contactgegevens/jw301:Contact/jw301:Adres/ijw:Postcode: Postcode 1011 AB is not a Dutch postcode'
expect 0 "$bin" validate --xsd-only "$src/samples/JW301-CS089-invalid.xml"

# retour: the answer to a heen message, itself valid
expect 0 "$bin" retour --today 2026-11-23 "$src/samples/JW301-valid-1.xml" -o "$tmp/jw302.xml"
expect 0 "$bin" validate "$tmp/jw302.xml"
has "$tmp/out" 'accepted JW302$'
expect 0 "$bin" retour --today 2026-11-23 --id ANSWER-1 "$src/samples/JW323-TR358-invalid.xml"
has "$tmp/out" '<jw325:RetourCode>0001</jw325:RetourCode>'
has "$tmp/out" '<ijw:Identificatie>ANSWER-1</ijw:Identificatie>'
expect 1 "$bin" retour "$tmp/jw302.xml"
has "$tmp/err" 'JW302 is itself a retour message'
expect 1 "$bin" retour "$tmp/junk.txt"
has "$tmp/err" 'not an iJw 3.2 message'
expect 2 "$bin" retour --id THIRTEEN-CHAR "$src/samples/JW301-valid-1.xml"
expect 2 "$bin" retour

# the samples: valid ones accepted, the others rejected
for f in "$src"/samples/*-valid-*.xml; do
	expect 0 "$bin" validate "$f"
done
for f in "$src"/samples/*-invalid-*.xml "$src"/samples/*-hostile-*.xml; do
	expect 1 "$bin" validate "$f"
done

# pki init: a development CA, certificates and a configuration to serve with
expect 0 "$bin" pki --help
has "$tmp/out" '^usage: ijw-gateway pki init DIR '
expect 0 "$bin" pki init --help
has "$tmp/out" '^usage: ijw-gateway pki init DIR '
pki=$tmp/pki/dev
expect 0 "$bin" pki init "$pki" --party gemeente:0384 --party aanbieder:42420001 --port 9443
lines "$tmp/out" 18
has "$tmp/out" "^wrote $pki/ca.pem\$"
has "$tmp/out" "^wrote $pki/ledger.key\$"
has "$tmp/out" "^wrote $pki/store.key\$"
has "$tmp/out" "^wrote $pki/server.key\$"
has "$tmp/out" "^wrote $pki/gateway-client.pem\$"
has "$tmp/out" "^wrote $pki/42420001.key\$"
has "$tmp/out" "^wrote $pki/admin.pem\$"
has "$tmp/out" "^wrote $pki/admin.token\$"
has "$tmp/out" "^wrote $pki/gateway.ini\$"
[ -s "$tmp/err" ] && fail "pki init wrote to standard error: $(head -c 200 "$tmp/err")"
has "$pki/gateway.ini" '^port = 9443$'
has "$pki/gateway.ini" '^\[party 0384\]$'
has "$pki/gateway.ini" '^\[party 42420001\]$'
has "$pki/gateway.ini" '^store_key = store.key$'
has "$pki/gateway.ini" '^admin_port = 9444$'
has "$pki/gateway.ini" '^admin_token_file = admin.token$'
for f in ca server gateway-client admin 0384 42420001; do
	[ "$(stat -c %a "$pki/$f.key")" = 600 ] || fail "$f.key is not mode 0600"
	[ "$(stat -c %a "$pki/$f.pem")" = 644 ] || fail "$f.pem is not mode 0644"
done
for f in ledger.key store.key admin.token; do
	[ "$(stat -c %a "$pki/$f")" = 600 ] || fail "$f is not mode 0600"
done
# serve -n checks store_key too, and warns when there is none
expect 0 "$bin" serve -c "$pki/gateway.ini" -n
hasnt "$tmp/out" 'store_key'
sed '/^store_key/d' "$pki/gateway.ini" >"$pki/plain.ini"
expect 0 "$bin" serve -c "$pki/plain.ini" -n
has "$tmp/out" 'plain.ini: warning: no store_key: message bodies are stored in plain text$'
echo 'not a key' >"$tmp/bad.key"
sed "s|^store_key = .*|store_key = $tmp/bad.key|" "$pki/gateway.ini" >"$pki/badkey.ini"
expect 2 "$bin" serve -c "$pki/badkey.ini" -n
has "$tmp/err" "store_key $tmp/bad.key: line 1 is not a key of 64 hex digits"
rm -f "$pki/plain.ini" "$pki/badkey.ini" "$pki"/gateway.db*
cp "$pki/ca.pem" "$tmp/ca-before.pem"
expect 2 "$bin" pki init "$pki" --party gemeente:0384
has "$tmp/err" "$pki/ca.pem exists already; nothing was written"
cmp -s "$pki/ca.pem" "$tmp/ca-before.pem" || fail "pki init without --force changed ca.pem"
expect 0 "$bin" pki init "$pki" --party gemeente:0384 --party aanbieder:42420001 --force
cmp -s "$pki/ca.pem" "$tmp/ca-before.pem" && fail "pki init --force kept the old ca.pem"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:384
has "$tmp/err" "party 'gemeente:384': a gemeentecode has 4 digits"
expect 2 "$bin" pki init "$tmp/pki/no" --party aanbieder:1234
has "$tmp/err" "party 'aanbieder:1234': an AGB code has 8 digits"
expect 2 "$bin" pki init "$tmp/pki/no" --party foo:0384
has "$tmp/err" "party 'foo:0384': give it as gemeente:CODE or aanbieder:CODE"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --party gemeente:0384
has "$tmp/err" 'code 0384 is given twice'
expect 2 "$bin" pki init "$tmp/pki/no"
has "$tmp/err" 'at least one --party'
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --port 65536
has "$tmp/err" "wants a number from 0 to 65535 \\(0: any free port\\), not '65536'"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --port -1
expect 0 "$bin" pki init "$tmp/pki/zero" --party gemeente:0384 --port 0
has "$tmp/pki/zero/gateway.ini" '^port = 0$'
expect 2 "$bin" pki init --party gemeente:0384
expect 2 "$bin" pki frobnicate "$tmp/pki/no" --party gemeente:0384
has "$tmp/err" "unknown subcommand 'frobnicate'"
expect 2 "$bin" pki
[ -e "$tmp/pki/no" ] && fail "a refused pki init made its folder"
# pki revoke: the CA's CRL
expect 0 "$bin" pki revoke "$pki" 0384 --next-update 3600
has "$tmp/out" "^wrote $pki/crl.pem\$"
[ "$(stat -c %a "$pki/crl.pem")" = 644 ] || fail "crl.pem is not mode 0644"
expect 2 "$bin" pki revoke "$pki" 9999
has "$tmp/err" "pki revoke: $pki/9999.pem: No such file or directory"
expect 2 "$bin" pki revoke "$pki" --next-update 0
has "$tmp/err" "wants a number of seconds, 1 or more, not '0'"
expect 2 "$bin" pki revoke

# pki init with options per party, and pki add-party
pp=$tmp/pki/pp
expect 0 "$bin" pki init "$pp" --party gemeente:0384 --retour auto --party aanbieder:42420001 \
	--retour relay --delivery push --push-url https://127.0.0.1:9555/inbox --port 9443
has "$tmp/out" "^wrote $pp/42420001-push.pem\$"
has "$tmp/out" "^wrote $pp/client-0384.ini\$"
sed -n '/^\[party 0384\]/,/^$/p' "$pp/gateway.ini" | grep -q '^retour = auto$' ||
	fail "pki init --retour auto did not reach [party 0384]"
has "$pp/gateway.ini" '^push_url = https://127.0.0.1:9555/inbox$'
has "$pp/gateway.ini" '^retour = relay$'
has "$pp/client-42420001.ini" '^url = https://localhost:9443$'
has "$pp/client-42420001.ini" '^cert = 42420001.pem$'
openssl x509 -in "$pp/42420001-push.pem" -noout -ext subjectAltName | grep -q 'IP Address:127.0.0.1' ||
	fail "42420001-push.pem is not for 127.0.0.1"
expect 0 "$bin" serve -c "$pp/gateway.ini" -n
expect 2 "$bin" pki init "$tmp/pki/no" --retour auto --party gemeente:0384
has "$tmp/err" "pki: --retour applies to the --party before it, and there is none yet"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --delivery push
has "$tmp/err" "party 'gemeente:0384': delivery push needs a push URL"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --delivery push --push-url http://x/
has "$tmp/err" "push URL 'http://x/': it does not begin with https://"
expect 2 "$bin" pki init "$tmp/pki/no" --party gemeente:0384 --retour maybe
has "$tmp/err" "party 'gemeente:0384': retour is relay or auto, not 'maybe'"
[ -e "$tmp/pki/no" ] && fail "a refused pki init made its folder"
ca_sum=$(sha256sum "$pp/ca.pem" "$pp/ca.key")
cp "$pp/gateway.ini" "$tmp/ini-before"
expect 0 "$bin" pki add-party "$pp" --party aanbieder:42420002 --retour relay
has "$tmp/out" "^wrote $pp/42420002.pem\$"
has "$tmp/out" "^wrote $pp/client-42420002.ini\$"
has "$tmp/out" "takes the new party at SIGHUP"
[ "$(sha256sum "$pp/ca.pem" "$pp/ca.key")" = "$ca_sum" ] || fail "pki add-party changed the CA"
head -c "$(wc -c <"$tmp/ini-before")" "$pp/gateway.ini" | cmp -s - "$tmp/ini-before" ||
	fail "pki add-party changed gateway.ini before its new section"
tail -n +"$(($(wc -l <"$tmp/ini-before") + 1))" "$pp/gateway.ini" >"$tmp/ini-added"
printf '\n[party 42420002]\nkind = aanbieder\ncertificate_cn = 42420002\ndelivery = inbox\nretour = relay\n' |
	cmp -s - "$tmp/ini-added" || fail "pki add-party appended: $(cat "$tmp/ini-added")"
has "$pp/client-42420002.ini" '^key = 42420002.key$'
expect 0 "$bin" serve -c "$pp/gateway.ini" -n
expect 2 "$bin" pki add-party "$pp" --party aanbieder:42420002
has "$tmp/err" "\[party 42420002\] is there already; nothing was written"
expect 2 "$bin" pki add-party "$pp" --party aanbieder:42420003 --port 1
has "$tmp/err" "pki add-party: --port is for pki init"
[ "$(sha256sum "$pp/ca.pem" "$pp/ca.key")" = "$ca_sum" ] || fail "pki add-party changed the CA"
rm -f "$pp"/gateway.db*

# serve -n: the store opens and takes a write. File modes do not stop root:
# where the tests run as root, serve -n runs as nobody through setpriv.
ro=$tmp/ro
expect 0 "$bin" pki init "$ro" --party gemeente:0384 --port 0
as=
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$tmp"
	chown -R 65534:65534 "$ro"
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	echo "note: running as root without setpriv; skipping serve -n on a read-only store"
else
	# shellcheck disable=SC2086
	expect 0 $as "$bin" serve -n -c "$ro/gateway.ini"
	has "$tmp/out" "^$ro/gateway.ini: the configuration is good\$"
	chmod 0444 "$ro/gateway.db"
	# shellcheck disable=SC2086
	expect 1 $as "$bin" serve -n -c "$ro/gateway.ini"
	has "$tmp/err" "^ijw-gateway: $ro/gateway.ini: store $ro/gateway.db cannot be written: .*attempt to write a readonly database\$"
	hasnt "$tmp/out" 'the configuration is good'
	chmod 0555 "$ro"
	# shellcheck disable=SC2086
	expect 1 $as "$bin" serve -n -c "$ro/gateway.ini"
	has "$tmp/err" "^ijw-gateway: $ro/gateway.ini: store.*readonly database\$"
	chmod 0755 "$ro"
	# SQLite gave the -wal and -shm files of the read-only store its mode
	chmod 0600 "$ro/gateway.db" "$ro/gateway.db-wal" "$ro/gateway.db-shm"
	# shellcheck disable=SC2086
	expect 0 $as "$bin" serve -n -c "$ro/gateway.ini"
	has "$tmp/out" "^$ro/gateway.ini: the configuration is good\$"
fi
if command -v openssl >/dev/null; then
	for f in 0384 42420001 gateway-client; do
		openssl verify -CAfile "$pki/ca.pem" -purpose sslclient "$pki/$f.pem" >"$tmp/out" 2>&1 ||
			fail "openssl verify: $f.pem is no client certificate of ca.pem: $(head -c 300 "$tmp/out")"
	done
	openssl verify -CAfile "$pki/ca.pem" -purpose sslserver "$pki/server.pem" >"$tmp/out" 2>&1 ||
		fail "openssl verify: server.pem is no server certificate of ca.pem: $(head -c 300 "$tmp/out")"
	openssl verify -CAfile "$pki/ca.pem" -purpose sslserver "$pki/0384.pem" >/dev/null 2>&1 &&
		fail "openssl verify: 0384.pem passes as a server certificate"
	openssl x509 -in "$pki/0384.pem" -noout -subject -nameopt sep_comma_plus >"$tmp/out"
	has "$tmp/out" '^subject=O=gemeente,serialNumber=0384,CN=0384$'
else
	echo "note: no openssl command; skipping openssl verify of the pki"
fi

# conf/products/README.md: its commands work as written, from the root of a checkout
root=$tmp/checkout
mkdir -p "$root/conf/products" "$root/build/gateway"
cp "$src/conf/products/"* "$root/conf/products/"
ln -s "$bin" "$root/build/gateway/ijw-gateway"
[ -n "$shared" ] && [ -d "$shared/reference" ] && ln -s "$shared" "$tmp/shared"
sed -n 's/^       \(cp\|awk\|grep\|build\/\)/\1/p' "$src/conf/products/README.md" >"$tmp/readme-cmds"
[ "$(wc -l <"$tmp/readme-cmds")" -eq 4 ] || fail "conf/products/README.md: not 4 commands: $(cat "$tmp/readme-cmds")"
while IFS= read -r cmd; do
	case $cmd in
	*../shared/*) [ -e "$tmp/shared" ] || continue ;;
	esac
	(cd "$root" && sh -c "$cmd") >"$tmp/out" 2>"$tmp/err" ||
		fail "conf/products/README.md: '$cmd' failed: $(head -c 300 "$tmp/err")"
	case $cmd in
	awk* | grep*) has "$tmp/out" '^441$' ;;
	build/*) has "$tmp/out" '^45 45A07: 2P$' ;;
	esac
done <"$tmp/readme-cmds"

# map: a national code to the region's combination, and back
expect 0 "$bin" map 45A07
has "$tmp/out" '^45 45A07: 2P$'
has "$tmp/out" '^  intensity    P Perspectief$'
has "$tmp/out" '^  tariff       EUR [0-9]+\.[0-9]{2} per unit 82 \(an example, not a contract\)$'
expect 0 "$bin" map --json 45 45A07
has "$tmp/out" '^\{"code":"45A07","category":"45",.*"mapped":true,"regional":false,"combination":"2P",'
expect 1 "$bin" map 43A57
has "$tmp/out" '^43 43A57: not mapped: .{10,}'
expect 1 "$bin" map --json 45Z99
has "$tmp/out" '"mapped":false,"reason":"unknown product code: the table of .* does not list 45Z99"'
expect 1 "$bin" map 46 45A07
has "$tmp/out" '^46 45A07: not mapped: the table lists 45A07 in category 45, not in 46$'
# an unknown code is unknown, with a category or without, never "ambiguous"
for args in 99Z99 "45 99Z99"; do
	expect 1 "$bin" map $args
	has "$tmp/out" ": not mapped: unknown product code: the table of .* does not list 99Z99$"
	hasnt "$tmp/out" 'ambiguous'
done
# two codes are no CATEGORY and CODE: a usage error that says what the arguments are
expect 2 "$bin" map 45A07 45A08
has "$tmp/err" "map: the arguments are \[CATEGORY\] PRODUCTCODE, and CATEGORY is two digits \(45 45A07\), not '45A07'"
[ -s "$tmp/out" ] && fail "map 45A07 45A08 printed on standard output: $(cat "$tmp/out")"
# --json: errors as JSON on standard output, the exit status unchanged
json_error() {
	python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert set(o)=={"error","code"} and o["code"]==sys.argv[2], o' \
		"$tmp/out" "$1" 2>/dev/null || fail "not a JSON error of code $1: $(head -c 300 "$tmp/out")"
}
expect 2 "$bin" map --json 45A07 45A08
json_error usage
has "$tmp/out" 'CATEGORY is two digits'
expect 2 "$bin" map --json
json_error usage
expect 2 "$bin" map --json --bogus 45A07
json_error usage
expect 2 "$bin" map --json --reverse 11P
json_error unknown_combination
expect 2 "$bin" map --json --conf "$tmp/none.ini" 45A07
json_error products
expect 2 "$bin" rules --json JW999
json_error usage
expect 2 "$bin" rules --json JW301 JW302
json_error usage
expect 2 "$bin" validate --json --today 2026-13-01 "$tmp/JW301.xml"
json_error usage
expect 2 "$bin" validate --json
json_error usage
expect 2 "$bin" validate --json --products "$tmp/none.ini" "$tmp/JW301.xml"
json_error products
expect 2 "$bin" validate --json --schemas "$tmp/nonexistent" "$tmp/JW301.xml"
json_error schemas
# the party's commands that take --json
expect 2 "$bin" inbox --json --limit 0
json_error usage
expect 2 "$bin" status --json
json_error usage
expect 2 "$bin" send --json --bogus x.xml
json_error usage
expect 2 "$bin" inbox --json -c "$tmp/none.ini"
json_error client
has "$tmp/out" 'none.ini: No such file'
expect 0 "$bin" map OP02P
has "$tmp/out" '^45 OP02P: 2P \(the region.s own product\)$'
has "$tmp/out" '^  national     45 45A[0-9]{2} \(for parties that read national codes\)$'
expect 0 "$bin" map --reverse 2p
has "$tmp/out" '^  legacy codes 45 45A[0-9]{2}, '
expect 0 "$bin" map --json --reverse 2P
has "$tmp/out" '"legacy":\[\{"category":"45","code":"45A'
expect 2 "$bin" map --reverse 11P
has "$tmp/err" 'the table has no combination 11P'
expect 2 "$bin" map
expect 2 "$bin" map --reverse 45 2P
printf '[region]\nname = R\n[combination 1P]\nsegment = X\n' >"$tmp/bad.ini"
expect 2 "$bin" map --conf "$tmp/bad.ini" 45A07
has "$tmp/err" "bad.ini:4: segment is B or C, not 'X'"
expect 2 "$bin" map --conf "$tmp/none.ini" 45A07
has "$tmp/err" 'none.ini: No such file'
expect 0 "$bin" map --conf "$src/conf/products/amsterdam-zaanstreek.ini" 45A07
if [ -n "$shared" ] && [ -f "$shared/reference/jz21-productcodes.tsv" ]; then
	# every national code (with its category; a heading, category "-", alone): an
	# answer, never a crash
	n=0
	tail -n +2 "$shared/reference/jz21-productcodes.tsv" | cut -f1,3 >"$tmp/codes"
	while IFS='	' read -r code cat; do
		[ "$cat" = - ] && cat=
		# shellcheck disable=SC2086
		"$bin" map --json $cat "$code" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ "$rc" -le 1 ] || fail "map $cat $code exited $rc: $(head -c 300 "$tmp/err")"
		grep -q '"mapped":' "$tmp/out" || fail "map $cat $code: $(head -c 300 "$tmp/out")"
		n=$((n + 1))
	done <"$tmp/codes"
	[ "$n" -ge 450 ] || fail "map was run for $n codes only"
	echo "map answered for $n codes of the national list"
fi

# the ledger from the command line: validate --history, --products, retour --products, ledger
sc=$src/tests/scenarios
expect 2 "$bin" validate --history "$tmp/no-such-dir" "$sc/TR019-JW305/03-JW305-start-borderline.xml"
has "$tmp/err" 'validate: --history: .*no-such-dir: No such file'
expect 2 "$bin" validate --products "$tmp/no-such.ini" "$sc/TR019-JW305/03-JW305-start-borderline.xml"
has "$tmp/err" 'validate: --products: .*no-such.ini: No such file'
# alone, a start is fine; after its assignment was removed, it breaks TR019
expect 0 "$bin" validate --today 2026-11-23 "$sc/TR019-JW305/04-JW305-start-verwijderd.xml"
expect 1 "$bin" validate --today 2026-11-23 --history "$sc/TR019-JW305/01-JW301-toewijzing.xml" \
	--history "$sc/TR019-JW305/02-JW301-verwijderd.xml" "$sc/TR019-JW305/04-JW305-start-verwijderd.xml"
has "$tmp/out" '04-JW305-start-verwijderd.xml: rejected JW305 9019 TR019 /jw305:Bericht/jw305:Client/jw305:StartProducten/jw305:StartProduct/jw305:ToewijzingNummer: '
lines "$tmp/out" 1
hasnt "$tmp/out" '[0-9]{9}'
expect 1 "$bin" validate --json --today 2026-11-23 --history "$sc/TR019-JW305/01-JW301-toewijzing.xml" \
	--history "$sc/TR019-JW305/02-JW301-verwijderd.xml" "$sc/TR019-JW305/04-JW305-start-verwijderd.xml"
has "$tmp/out" '"verdict":"rejected","type":"JW305","findings":\[\{"retourcode":"9019","rule":"TR019"'
# each FILE accepted joins the ledger before the next: the same start twice breaks TR074
expect 1 "$bin" validate --today 2026-11-23 --history "$sc/TR074-JW305/01-JW301-toewijzing.xml" \
	"$sc/TR074-JW305/02-JW305-start.xml" "$sc/TR074-JW305/02-JW305-start.xml"
has "$tmp/out" '02-JW305-start.xml: accepted JW305'
has "$tmp/out" '02-JW305-start.xml: rejected JW305 9074 TR074 '
# an identification sent before is TR056, also against a history
expect 1 "$bin" validate --today 2026-11-23 --history "$sc/TR074-JW305/01-JW301-toewijzing.xml" \
	"$sc/TR074-JW305/01-JW301-toewijzing.xml"
has "$tmp/out" '01-JW301-toewijzing.xml: rejected JW301 9056 TR056 /jw301:Bericht/jw301:Header/jw301:BerichtIdentificatie: '
# the region's checks: an enforced tariff rejects in validate, and in retour's JW325
sed 's/^check_tariff = advise/check_tariff = enforce/' \
	"$src/conf/products/amsterdam-zaanstreek.ini" >"$tmp/strict.ini"
decl=$sc/PLAFOND-JW323/06-JW323-april-jaar.xml
expect 0 "$bin" validate --today 2026-11-23 --products built-in "$decl"
has "$tmp/out" 'april-jaar.xml: advice JW323 0611 TR418 '
has "$tmp/out" 'april-jaar.xml: accepted JW323'
expect 1 "$bin" validate --today 2026-11-23 --products "$tmp/strict.ini" "$decl"
has "$tmp/out" 'april-jaar.xml: rejected JW323 0611 TR418 '
expect 0 "$bin" retour --today 2026-11-23 --products "$tmp/strict.ini" "$decl" -o "$tmp/jw325.xml"
expect 0 "$bin" validate --today 2026-11-23 "$tmp/jw325.xml"
has "$tmp/jw325.xml" '<jw325:RetourCode>0611</jw325:RetourCode>'
expect 0 "$bin" retour --today 2026-11-23 --products built-in "$decl" -o "$tmp/jw325.xml"
has "$tmp/err" 'advice 0611 TR418 '
has "$tmp/jw325.xml" '<jw325:RetourCode>8001</jw325:RetourCode>'
# rules marks the cross-message rules
expect 0 "$bin" rules JW305
has "$tmp/out" '^TR019  9019  JW305 JW307  \(cross-message\)$'
expect 0 "$bin" rules --json
has "$tmp/out" '"code":"TR326".*"cross":true'
has "$tmp/out" '"code":"TR002".*"cross":false'
# ledger: import, show, verify, rebuild under a new key
expect 0 "$bin" pki init "$tmp/lg" --party gemeente:0384 --party aanbieder:42421005 --port 9444
expect 0 "$bin" ledger import -c "$tmp/lg/gateway.ini" "$sc/flow-volledig"
lines "$tmp/out" 16
has "$tmp/out" '01-JW315-verzoek.xml: imported JW315 \(message 1\)$'
expect 0 "$bin" ledger import -c "$tmp/lg/gateway.ini" "$sc/flow-volledig"
has "$tmp/out" '16-JW325-antwoord-debet.xml: already in the ledger JW325 \(message 16\)$'
expect 0 "$bin" ledger show -c "$tmp/lg/gateway.ini" --gemeente 0384 --aanbieder 42421005 --toewijzing 7000501
has "$tmp/out" '^version \(current\) 1: product 45 45A04, 2026-02-01 to 2026-07-31'
has "$tmp/out" '^stop: delivery from 2026-02-02 ended 2026-05-31, RedenBeeindiging 31'
hasnt "$tmp/out" '[0-9]{9}'
expect 1 "$bin" ledger show -c "$tmp/lg/gateway.ini" --gemeente 0384 --aanbieder 42421005 --toewijzing 1
# without -c: $IJW_CONFIG, else gateway.ini here
IJW_CONFIG=$tmp/lg/gateway.ini
export IJW_CONFIG
expect 0 "$bin" ledger show --gemeente 0384 --aanbieder 42421005 --toewijzing 7000501
has "$tmp/out" '^assignment 7000501 of municipality 0384 to provider 42421005$'
unset IJW_CONFIG
here=$(pwd)
cd "$tmp/lg"
expect 0 "$bin" ledger verify
has "$tmp/out" 'agrees with the 16 stored messages'
cd "$tmp"
expect 2 "$bin" ledger verify
has "$tmp/err" 'gateway.ini'
cd "$here"

expect 0 "$bin" ledger verify -c "$tmp/lg/gateway.ini"
has "$tmp/out" '^the ledger agrees with the 16 stored messages: [0-9]+ entries$'
# a message the ledger contradicts is not placed: the stop of another scenario
expect 1 "$bin" ledger import -c "$tmp/lg/gateway.ini" "$sc/TR019-JW307/05-JW307-stop-verwijderd.xml"
has "$tmp/out" 'not placed JW307 9019 TR019 '
openssl rand -hex 32 >"$tmp/new.key"
expect 0 "$bin" ledger rebuild -c "$tmp/lg/gateway.ini" --key "$tmp/new.key"
has "$tmp/out" 'written anew from 16 stored messages, under the new key'
expect 1 "$bin" ledger verify -c "$tmp/lg/gateway.ini"
has "$tmp/out" 'differs from the 16 stored messages'
sed -i "s|^ledger_key = .*|ledger_key = $tmp/new.key|" "$tmp/lg/gateway.ini"
expect 0 "$bin" ledger verify -c "$tmp/lg/gateway.ini"
expect 2 "$bin" ledger
expect 2 "$bin" ledger frobnicate -c "$tmp/lg/gateway.ini"
has "$tmp/err" "'frobnicate' is not import, show, verify or rebuild"
echo 'not a key' >"$tmp/bad.key"
expect 2 "$bin" ledger rebuild -c "$tmp/lg/gateway.ini" --key "$tmp/bad.key"
has "$tmp/err" 'not a key of 64 hex digits'

# store rekey: every body under the first key of store_key, the daemon running or not
lg=$tmp/lg
expect 0 "$bin" store rekey -c "$lg/gateway.ini"
has "$tmp/out" '^re-encrypted 0 message bodies under key [0-9a-f]{16}$'
{ openssl rand -hex 32 && cat "$lg/store.key"; } >"$lg/store2.key"
sed -i 's|^store_key = .*|store_key = store2.key|' "$lg/gateway.ini"
expect 0 "$bin" store rekey -c "$lg/gateway.ini" --batch 5
has "$tmp/out" '^re-encrypted 16 message bodies under key [0-9a-f]{16}$'
head -n 1 "$lg/store2.key" >"$lg/store3.key"
sed -i 's|^store_key = .*|store_key = store3.key|' "$lg/gateway.ini"
expect 0 "$bin" ledger verify -c "$lg/gateway.ini"
has "$tmp/out" 'agrees with the 16 stored messages'
# the key before is gone from the file: its bodies no longer read
sed -i 's|^store_key = .*|store_key = store.key|' "$lg/gateway.ini"
expect 2 "$bin" ledger verify -c "$lg/gateway.ini"
has "$tmp/err" 'message 1: key [0-9a-f]{16} is not in store_key '
sed -i 's|^store_key = .*|store_key = store3.key|' "$lg/gateway.ini"
# plain bodies, from before store_key, are encrypted too
sed '/^store_key/d' "$lg/gateway.ini" >"$lg/plain.ini"
expect 0 "$bin" ledger import -c "$lg/plain.ini" "$sc/TR019-JW305/01-JW301-toewijzing.xml"
expect 0 "$bin" store rekey -c "$lg/gateway.ini"
has "$tmp/out" '^re-encrypted 1 message bodies under key '
expect 2 "$bin" store rekey -c "$lg/plain.ini"
has "$tmp/err" 'plain.ini sets no store_key: there is no key to encrypt with'
expect 2 "$bin" store rekey -c "$lg/gateway.ini" --batch 0
expect 2 "$bin" store frobnicate -c "$lg/gateway.ini"
has "$tmp/err" "'frobnicate' is none of rekey, copy, backup, restore, compact"
expect 2 "$bin" store
expect 0 "$bin" store --help
has "$tmp/out" '^usage: ijw-gateway store rekey '

# store copy: every table into an empty store, read back and compared; the copy reads
# with the same store_key
expect 0 "$bin" store copy --help
has "$tmp/out" '^       ijw-gateway store copy --from SPEC --to SPEC$'
expect 2 "$bin" store copy --from "$lg/gateway.db"
expect 2 "$bin" store copy --to "$tmp/c.db"
expect 2 "$bin" store copy --from "$lg/gateway.db" --to "$tmp/c.db" extra
cd "$lg" || exit 1
expect 0 "$bin" store copy --from gateway.db --to sqlite:copy.db
cd - >/dev/null || exit 1
lines "$tmp/out" 6
has "$tmp/out" '^messages: 17 rows, sha256 [0-9a-f]{64}$'
has "$tmp/out" '^deliveries: 0 rows, sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855$'
has "$tmp/out" '^audit: [0-9]+ rows, sha256 [0-9a-f]{64}$'
has "$tmp/out" '^ledger: [0-9]+ rows, sha256 [0-9a-f]{64}$'
has "$tmp/out" '^copied, checked: every table identical'
cp "$tmp/out" "$tmp/copied"
sed 's|^store = .*|store = copy.db|' "$lg/gateway.ini" >"$lg/copy.ini"
expect 0 "$bin" audit verify -c "$lg/copy.ini"
expect 0 "$bin" ledger verify -c "$lg/copy.ini"
has "$tmp/out" 'agrees with the 17 stored messages'
# a copy of the copy: the same rows and hashes
expect 0 "$bin" store copy --from "$lg/copy.db" --to "$tmp/copy2.db"
cmp -s "$tmp/out" "$tmp/copied" || fail "a copy of the copy printed other figures"
expect 2 "$bin" store copy --from "$lg/gateway.db" --to "$lg/copy.db"
has "$tmp/err" 'holds rows already \(in messages\)'
hasnt "$tmp/out" 'rows, sha256'
expect 2 "$bin" store copy --from "$tmp/none.db" --to "$tmp/new.db"
has "$tmp/err" "store copy: --from $tmp/none.db: no such store\$"
[ -e "$tmp/none.db" ] && fail "store copy made the missing source"
[ -e "$tmp/new.db" ] && fail "store copy made the destination of a missing source"
expect 2 "$bin" store copy --from 'postgresql://ijw:s3cret@127.0.0.1:1/ijw?password=s3cret' --to "$tmp/new.db"
hasnt "$tmp/err" 's3cret'

# store backup: a new SQLite file, checked as a copy is; store restore: into an empty
# store only; both with their one file and nothing else
expect 0 "$bin" store backup --help
has "$tmp/out" '^       ijw-gateway store backup \[-c FILE\] OUT$'
expect 2 "$bin" store backup -c "$lg/gateway.ini"
expect 2 "$bin" store backup -c "$lg/gateway.ini" "$tmp/b1.db" extra
expect 0 "$bin" store backup -c "$lg/gateway.ini" "$tmp/b1.db"
has "$tmp/out" '^messages: 17 rows, sha256 [0-9a-f]{64}$'
has "$tmp/out" "^backed up .*gateway.db into $tmp/b1.db\$"
[ -e "$tmp/b1.db-wal" ] && fail "store backup left a write-ahead log beside the backup"
expect 2 "$bin" store backup -c "$lg/gateway.ini" "$tmp/b1.db"
has "$tmp/err" "store backup: $tmp/b1.db: exists already: a backup goes into a new file"
expect 2 "$bin" store backup -c "$lg/gateway.ini" "$tmp/no/such/dir/b.db"
has "$tmp/err" "^ijw-gateway: store backup: $tmp/no/such/dir/b.db: No such file or directory\$"
[ -e "$tmp/no" ] && fail "store backup made a folder"
sed 's|^store = .*|store = restored.db|' "$lg/gateway.ini" >"$lg/restored.ini"
expect 0 "$bin" store restore -c "$lg/restored.ini" "$tmp/b1.db"
has "$tmp/out" '^copied, checked: every table identical'
has "$tmp/out" "^restored $tmp/b1.db into .*restored.db\$"
expect 0 "$bin" ledger verify -c "$lg/restored.ini"
has "$tmp/out" 'agrees with the 17 stored messages'
expect 2 "$bin" store restore -c "$lg/restored.ini" "$tmp/b1.db"
has "$tmp/err" 'store restore: the store to copy into holds rows already \(in messages\)'
expect 2 "$bin" store restore -c "$lg/restored.ini" "$tmp/none.db"
has "$tmp/err" "store restore: $tmp/none.db: no such store\$"
expect 2 "$bin" store restore -c "$lg/restored.ini"

# store compact: a SQLite file rebuilt with auto_vacuum incremental
expect 0 "$bin" store compact -c "$lg/restored.ini"
has "$tmp/out" '^compacted .*restored.db$'
if command -v sqlite3 >/dev/null; then
	[ "$(sqlite3 "$lg/restored.db" 'PRAGMA auto_vacuum')" = 2 ] ||
		fail "store compact left auto_vacuum off"
	# a message retention took the bytes of cannot be replayed: the ledger is kept
	rows=$(sqlite3 "$lg/restored.db" 'SELECT count(*) FROM ledger')
	sqlite3 "$lg/restored.db" "UPDATE messages SET body = x'', translated = NULL,
		body_key = NULL, purged = 1 WHERE id = 1"
	expect 2 "$bin" ledger verify -c "$lg/restored.ini"
	has "$tmp/err" 'message 1 has no bytes left \(retention removed them\): the ledger cannot be'
	expect 2 "$bin" ledger rebuild -c "$lg/restored.ini"
	[ "$(sqlite3 "$lg/restored.db" 'SELECT count(*) FROM ledger')" = "$rows" ] ||
		fail "ledger rebuild changed the ledger of a store with removed bytes"
fi
expect 2 "$bin" store compact -c "$lg/restored.ini" extra
# audit verify: the log's hash chain, intact, then with an entry changed, then one removed
expect 0 "$bin" audit verify -c "$lg/gateway.ini"
has "$tmp/out" '^[0-9]+ entries, chain intact$'
has "$tmp/out" '^last hash [0-9a-f]{64}$'
n=$(sed -n 's/^\([0-9]*\) entries, chain intact$/\1/p' "$tmp/out")
[ "${n:-0}" -ge 17 ] || fail "audit verify counted ${n:-no} entries after 17 imports"
if command -v sqlite3 >/dev/null; then
	detail=$(sqlite3 "$lg/gateway.db" 'SELECT detail FROM audit WHERE id = 5')
	sqlite3 "$lg/gateway.db" "UPDATE audit SET detail = 'JW399' WHERE id = 5"
	expect 1 "$bin" audit verify -c "$lg/gateway.ini"
	has "$tmp/out" '^audit log broken: entry 5 is changed: .*\(the 4 entries before it chain intact\)$'
	sqlite3 "$lg/gateway.db" "UPDATE audit SET detail = '$detail' WHERE id = 5"
	expect 0 "$bin" audit verify -c "$lg/gateway.ini"
	sqlite3 "$lg/gateway.db" 'DELETE FROM audit WHERE id = 7'
	expect 1 "$bin" audit verify -c "$lg/gateway.ini"
	has "$tmp/out" '^audit log broken: entry 7 is missing: the next one is 8 '
	# a copy is checked by its audit chain too
	expect 1 "$bin" store copy --from "$lg/gateway.db" --to "$tmp/copy3.db"
	has "$tmp/err" "store copy: the copy's audit log is broken: entry 7 is missing"
	has "$tmp/out" '^audit: [0-9]+ rows, sha256 [0-9a-f]{64}$'
	hasnt "$tmp/out" '^copied'
else
	echo "note: no sqlite3 command; skipping audit verify of a changed log"
fi
expect 2 "$bin" audit verify -c "$lg/gateway.ini" --batch 5
expect 2 "$bin" audit frobnicate -c "$lg/gateway.ini"
has "$tmp/err" "'frobnicate' is not verify"
expect 2 "$bin" audit verify -c "$tmp/none.ini"
has "$tmp/err" 'audit verify: .*none.ini: No such file'

# report: the region's monitoring report from the ledger of a store
rp=$tmp/rp
expect 0 "$bin" pki init "$rp" --party gemeente:0384 --party aanbieder:42421005 --port 9446
expect 0 "$bin" ledger import -c "$rp/gateway.ini" "$sc/flow-volledig"
expect 0 "$bin" report --help
has "$tmp/out" '^usage: ijw-gateway report '
expect 0 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31 --threshold 1 \
	--format json -o "$tmp/rp.json"
python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r["by"] == "period" and r["threshold"] == 1 and r["region"] is None
p = r["periods"][0]
assert (p["from"], p["to"]) == ("2026-01-01", "2026-12-31")
assert len(p["rows"]) == 1
row = p["rows"][0]
want = {"aanbieder": "42421005", "product": "45A04", "profile": None, "clients": 1,
        "new_assignments": 1, "starts": 1, "waiting_days_median": 13, "waiting_days_p90": 13,
        "requests_assigned": 1, "lead_days_median": 15, "ended": 1,
        "duration_days_median": 118, "ended_early": 0, "ended_as_planned": 1,
        "declared_eur": 2850.0, "awarded_eur": 2100.0, "dropout_rate": 0.0, "suppressed": []}
for k, v in want.items():
    assert row[k] == v, (k, row[k], v)
assert p["total"]["clients"] == 1 and "waiting_days_median" not in p["total"]
' "$tmp/rp.json" || fail "report --format json: the figures of flow-volledig"
# by default a row of one client is suppressed, with every figure
expect 0 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31
lines "$tmp/out" 4
has "$tmp/out" '^period,from,to,aanbieder,product,profile,intensity,clients,new_assignments,'
has "$tmp/out" '^2026-01-01\.\.2026-12-31,2026-01-01,2026-12-31,42421005,45A04,,,<5,<5,<5,<5,'
has "$tmp/out" '^2026-01-01\.\.2026-12-31,2026-01-01,2026-12-31,all,total,,,<5,'
cp "$tmp/out" "$tmp/rp.csv"
# the region's table: 45A04 is its combination 2P; a column per month
echo 'products = built-in' >"$tmp/products.ini"
sed '/^\[gateway\]$/r '"$tmp/products.ini" "$rp/gateway.ini" >"$rp/region.ini"
expect 0 "$bin" report -c "$rp/region.ini" --from 2026-01-01 --to 2026-06-30 --by month \
	--threshold 1 --format csv
lines "$tmp/out" 19
has "$tmp/out" '^2026-02,2026-02-01,2026-02-28,42421005,2P,2,Perspectief,1,0,1,13,13,0,,,0,,,0,0,'
has "$tmp/out" '^2026-05,2026-05-01,2026-05-31,42421005,2P,2,Perspectief,1,0,0,,,0,,,1,118,118,0,1,'
has "$tmp/out" '^2026-06,2026-06-01,2026-06-30,42421005,2P,2,Perspectief,0,'
expect 0 "$bin" report -c "$rp/region.ini" --from 2026-01-01 --to 2026-12-31 --format html \
	-o "$tmp/rp.html"
has "$tmp/rp.html" '^<!DOCTYPE html>'
has "$tmp/rp.html" '<svg class="report-chart"'
has "$tmp/rp.html" '<strong>&lt;5</strong>: suppressed'
hasnt "$tmp/rp.html" '<script|<link|src='
# no BSN of the messages in any output
for b in $(sed -n 's/.*<jw3[0-9]*:Bsn>\([0-9]*\)<.*/\1/p' "$sc"/flow-volledig/*.xml | sort -u); do
	for f in "$tmp/rp.json" "$tmp/rp.csv" "$tmp/rp.html" "$tmp/out"; do
		hasnt "$f" "$b"
	done
done
# bad input, and a store without a ledger
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-13-01 --to 2026-12-31
has "$tmp/err" "^ijw-gateway: report: --from wants a date YYYY-MM-DD, not '2026-13-01'\$"
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-02-01 --to 2026-01-31
has "$tmp/err" '^ijw-gateway: report: --to is before --from$'
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01
has "$tmp/err" 'report: --from and --to are required'
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31 --format xml
has "$tmp/err" "report: --format is csv, json or html, not 'xml'"
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31 --threshold -1
has "$tmp/err" "report: --threshold wants a whole number"
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31 --threshold -0
has "$tmp/err" "report: --threshold wants a whole number from 0 to 1000000, not '-0'"
expect 2 "$bin" report -c "$rp/gateway.ini" --from 2026-01-01 --to 2026-12-31 --by week
grep -v '^ledger_key' "$rp/gateway.ini" >"$rp/noledger.ini"
expect 2 "$bin" report -c "$rp/noledger.ini" --from 2026-01-01 --to 2026-12-31
has "$tmp/err" 'report: .*noledger.ini sets no ledger_key, so the gateway keeps no ledger'
sed 's|^store = .*|store = none.db|' "$rp/gateway.ini" >"$rp/nostore.ini"
expect 2 "$bin" report -c "$rp/nostore.ini" --from 2026-01-01 --to 2026-12-31
has "$tmp/err" 'report: .*none.db'
[ -e "$rp/none.db" ] && fail "report made a store that was not there"

# the party's commands: usage errors, before any connection
for c in send inbox fetch ack status watch; do
	expect 0 "$bin" "$c" --help
	has "$tmp/out" "^usage: ijw-gateway $c \[-c CLIENT.ini\]"
	expect 2 "$bin" "$c" --bogus
done
for c in send fetch ack status; do
	expect 2 "$bin" "$c"
	has "$tmp/err" "^ijw-gateway: $c: an argument is missing\$"
done
expect 2 "$bin" inbox extra
has "$tmp/err" '^ijw-gateway: inbox: too many arguments$'
expect 2 "$bin" fetch 1 2
has "$tmp/err" '^ijw-gateway: fetch: too many arguments$'
expect 2 "$bin" send --limit 5 x.xml
has "$tmp/err" '^ijw-gateway: send: --limit is not an option of send$'
expect 2 "$bin" inbox --limit 0
has "$tmp/err" "^ijw-gateway: inbox: --limit wants a whole number from 1 to 1000, not '0'\$"
expect 2 "$bin" inbox --limit 10x
expect 2 "$bin" ack 12 x3
has "$tmp/err" "^ijw-gateway: ack: 'x3' is no message id"
expect 2 "$bin" status -- -1
has "$tmp/err" "^ijw-gateway: status: '-1' is no message id"
expect 2 "$bin" watch --once
has "$tmp/err" '^ijw-gateway: watch: give either --to DIR or --exec CMD$'
expect 2 "$bin" watch --to "$tmp" --exec true
has "$tmp/err" '^ijw-gateway: watch: give either --to DIR or --exec CMD$'
expect 2 "$bin" watch --to "$tmp" --interval 0
has "$tmp/err" "^ijw-gateway: watch: --interval wants a whole number from 1 to 86400, not '0'\$"
# the client file and the settings
expect 2 env -u IJW_CLIENT "$bin" inbox
has "$tmp/err" "^ijw-gateway: inbox: the gateway's URL is not set: give --url or url = in the \[client\] section"
expect 2 "$bin" inbox -c "$tmp/none.ini"
has "$tmp/err" "^ijw-gateway: inbox: $tmp/none.ini: No such file or directory\$"
printf '[client]\nurl = https://localhost:8443\n[other]\n' >"$tmp/client.ini"
expect 2 env IJW_CLIENT="$tmp/client.ini" "$bin" inbox
has "$tmp/err" "^ijw-gateway: inbox: $tmp/client.ini:3: a client file has only a \[client\] section, not \[other\]\$"
printf '[client]\nurl = https://localhost:8443\ncacert = ca.pem\nurl = https://x\n' >"$tmp/client.ini"
expect 2 "$bin" inbox -c "$tmp/client.ini"
has "$tmp/err" "^ijw-gateway: inbox: $tmp/client.ini:4: given twice: url\$"
printf '[client]\nurl = https://localhost:8443\ncacert = ca.pem\ncert = c.pem\nkey = c.key\n' \
	>"$tmp/client.ini"
expect 2 "$bin" inbox -c "$tmp/client.ini"
has "$tmp/err" "^ijw-gateway: inbox: $tmp/ca.pem: No such file or directory\$"
expect 2 "$bin" inbox -c "$tmp/client.ini" --url http://localhost:8443
has "$tmp/err" "must begin with https://, not 'http://localhost:8443'"
printf 'url = https://localhost:8443\n' >"$tmp/client.ini"
expect 2 "$bin" inbox -c "$tmp/client.ini"
has "$tmp/err" "^ijw-gateway: inbox: $tmp/client.ini:1: a setting before the \[client\] section: url\$"
printf '[client]\ncert = %0300d\n' 0 >"$tmp/client.ini"
expect 2 "$bin" inbox -c "$tmp/client.ini"
has "$tmp/err" "^ijw-gateway: inbox: $tmp/client.ini:2: the line is longer than"
printf '[client]\n' >"$tmp/client.ini"
expect 2 "$bin" inbox -c "$tmp/client.ini"
has "$tmp/err" "the gateway's URL is not set"
# conform: the built-in pack, usage errors, scenario files with their errors at FILE:LINE
expect 0 "$bin" conform --list
[ "$(wc -l <"$tmp/out")" -eq "$(ls "$src"/conf/conform/*.scenario | wc -l)" ] ||
	fail "conform --list: not one line per scenario of conf/conform/"
has "$tmp/out" '^toewijzing-start-stop  *The municipality assigns'
expect 0 "$bin" conform --help
has "$tmp/out" '^usage: ijw-gateway conform'
cf=$tmp/conform
mkdir "$cf"
printf '[client]\nurl = https://127.0.0.1:1\ncacert = ca.pem\ncert = c.pem\nkey = c.key\n' >"$cf/c.ini"
expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 42420001 nosuch
has "$tmp/err" '^ijw-gateway: conform: nosuch: no such built-in scenario [(]--list names them[)]$'
expect 2 "$bin" conform --as provider -c "$cf/c.ini" --with 42420001
has "$tmp/err" "^ijw-gateway: conform: --as wants gemeente or aanbieder, not 'provider'\$"
expect 2 "$bin" conform -c "$cf/c.ini" --with 42420001
has "$tmp/err" 'conform: --as wants gemeente or aanbieder$'
expect 2 "$bin" conform --as gemeente --with 42420001
has "$tmp/err" 'conform: -c CLIENT.ini: the client file of the gemeente conform plays'
expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 0384
has "$tmp/err" "conform: --with wants the aanbieder of the system under test [(]an 8-digit AGB code[)], not '0384'"
expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 42420001 --max-wait 0
has "$tmp/err" "conform: --max-wait wants seconds from 1 to 86400, not '0'"
expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 42420001 "$cf/none.scenario"
has "$tmp/err" "conform: $cf/none.scenario: No such file or directory"
# a scenario file: each mistake of the format is told at its line
scn() {
	printf 'scenario s\ngemeente sends JW301 as T\n%s\n' "$1" >"$cf/s.scenario"
	expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 42420001 "$cf/s.scenario"
	has "$tmp/err" "^ijw-gateway: conform: $cf/s.scenario:3: $2"
}
scn 'aanbieder sends JW302 answering X' 'answering X: no earlier step is labelled X$'
scn 'aanbieder sends JW303 answering T' 'JW303: not an iJw 3.2 message'
scn 'aanbieder sends JW306 answering T' 'JW306 does not answer T [(]a JW301[)]: JW302$'
scn 'gemeente sends JW302 answering T' 'the gemeente answers its own message T$'
scn 'aanbieder sends JW305 from T within 0s' 'within 0s: a deadline is 1s to 86400s'
scn 'aanbieder sends JW305 from T with Einddatum +9xd' 'with Einddatum [+]9xd: a relative date is'
scn 'aanbieder sends JW305 from T codes 0200' 'codes are for a retour'
scn 'aanbieder sends JW305' 'JW305 needs `from LABEL` or `answering LABEL`'
scn 'aanbieder sends JW305 from T as T' 'as T: another step is labelled T$'
scn 'aanbieder sends JW305 from T frob x' 'frob: expected as, from, answering, codes, within or with$'
scn 'mistake T sloppy caught-by T client' 'sloppy: not a mistake'
scn 'mistake T missing caught-by T everything' 'everything: not a check'
scn 'mistake T code-0001 caught-by T codes' 'code-0001: step T is not a retour$'
scn 'sends JW301' 'sends: a line is `scenario`'
printf '# no name\ngemeente sends JW301\n' >"$cf/s.scenario"
expect 2 "$bin" conform --as gemeente -c "$cf/c.ini" --with 42420001 "$cf/s.scenario"
has "$tmp/err" "$cf/s.scenario:2: a scenario begins with \`scenario NAME\`\$"
# a good file, and a gateway that is not there: exit 2 naming it
printf 'scenario s\ngemeente sends JW301 as T\naanbieder sends JW302 answering T codes 0200 within 5s\n' >"$cf/s.scenario"
"$bin" pki init "$cf/pki" --party gemeente:0384 --party aanbieder:42420001 >/dev/null ||
	fail "pki init for conform"
printf '[client]\nurl = https://127.0.0.1:1\ncacert = ca.pem\ncert = 0384.pem\nkey = 0384.key\n' >"$cf/pki/c.ini"
expect 2 "$bin" conform --as gemeente -c "$cf/pki/c.ini" --with 42420001 "$cf/s.scenario"
has "$tmp/err" '^ijw-gateway: conform: s: the gateway: .*127.0.0.1'
expect 2 "$bin" conform --as aanbieder -c "$cf/pki/c.ini" --with 0384 "$cf/s.scenario"
has "$tmp/err" "conform: -c $cf/pki/c.ini: its certificate names '0384', not a aanbieder"

[ "$failures" -eq 0 ] || { echo "$failures failures" >&2; exit 1; }
echo "cli: all checks passed"
