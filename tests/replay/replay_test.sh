#!/bin/sh
# replay_test.sh: `ijw-gateway replay` against a fake gateway (fake_gateway.py)
# over mutual TLS, with a CA and certificates made here with openssl.
#
#	replay_test.sh BINARY SOURCE_DIR
set -u
bin=$1
src=$2
python=${PYTHON:-python3}
for tool in openssl xmllint "$python"; do
	command -v "$tool" >/dev/null || {
		echo "SKIP: $tool is not installed" >&2
		exit 77
	}
done
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
# shellcheck source=../lib.sh
. "$src/tests/lib.sh"

# ---- a PKI: a CA, a server certificate for localhost, client certificates ----

pki=$tmp/pki
mkdir "$pki"
# cert NAME SUBJECT EXTENSIONS [CA]: a P-256 key and certificate, signed by CA (ca by default).
cert() {
	printf '%s\n' "$3" >"$pki/$1.ext"
	if ! openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$2" \
		-keyout "$pki/$1.key" -out "$pki/$1.csr" 2>>"$pki/log" ||
		! openssl x509 -req -days 2 -in "$pki/$1.csr" -CA "$pki/${4:-ca}.pem" \
			-CAkey "$pki/${4:-ca}.key" -CAcreateserial -extfile "$pki/$1.ext" \
			-out "$pki/$1.pem" 2>>"$pki/log"; then
		echo "FAIL: cannot make certificate $1: $(cat "$pki/log")" >&2
		exit 1
	fi
}
for ca in ca otherca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=ijw-gateway replay test $ca" -keyout "$pki/$ca.key" -out "$pki/$ca.pem" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>>"$pki/log" || {
		echo "FAIL: cannot make the CA: $(cat "$pki/log")" >&2
		exit 1
	}
done
cert server /CN=localhost "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
cert 0384 /CN=0384 extendedKeyUsage=clientAuth
cert 42420001 /CN=42420001 extendedKeyUsage=clientAuth
# a provider known by the serialNumber of its subject
cert aanbieder "/CN=Jeugdhulp Test B.V./serialNumber=42420001" extendedKeyUsage=clientAuth

# ---- the fake gateway ----

"$python" "$src/tests/replay/fake_gateway.py" --bin "$bin" --cert "$pki/server.pem" \
	--key "$pki/server.key" --cacert "$pki/ca.pem" --port-file "$tmp/port" \
	--max-bytes 3000000 --log "$tmp/log" 2>"$tmp/server.err" &
server=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$server" 2>/dev/null; then
		echo "FAIL: the fake gateway did not start: $(cat "$tmp/server.err")" >&2
		exit 1
	fi
	sleep 0.1
done
url=https://127.0.0.1:$(cat "$tmp/port")

# replay ARGS...: the binary with the URL and the CA.
replay() {
	"$bin" replay --url "$url" --cacert "$pki/ca.pem" "$@"
}

# as_gemeente ARGS..., as_both ARGS...: replay as 0384, or as 0384 and 42420001.
as_gemeente() {
	replay --cert "$pki/0384.pem" --key "$pki/0384.key" "$@"
}

as_both() {
	as_gemeente --cert "$pki/42420001.pem" --key "$pki/42420001.key" "$@"
}

# connections: how many TLS connections the fake gateway has accepted so far.
connections() {
	grep -c '^connection ' "$tmp/log"
}

# ---- usage ----

expect 0 "$bin" replay --help
has "$tmp/out" '^usage: ijw-gateway replay'
expect 2 "$bin" replay
expect 2 "$bin" replay --bogus
expect 2 as_gemeente
has "$tmp/err" 'which samples'
expect 2 replay --cert "$pki/0384.pem" "$src/samples"
has "$tmp/err" 'come in pairs'
expect 2 "$bin" replay --url "http://127.0.0.1:1" --cacert "$pki/ca.pem" \
	--cert "$pki/0384.pem" --key "$pki/0384.key" "$src/samples"
has "$tmp/err" 'https://'
expect 2 as_gemeente "$tmp/nonexistent"
has "$tmp/err" 'nonexistent: No such file'
expect 2 replay --cert "$pki/0384.pem" --key "$pki/42420001.key" "$src/samples"
has "$tmp/err" 'is not the key of'
expect 2 replay --cert "$pki/0384.key" --key "$pki/0384.key" "$src/samples"
has "$tmp/err" 'not a PEM certificate'
[ "$(connections)" -eq 0 ] || fail "a usage error made a connection"

# ---- every sample, both parties ----

nsamples=$(find "$src/samples" -maxdepth 1 -name '*.xml' | wc -l)
expect 0 as_both --junit "$tmp/all.xml" "$src/samples"
has "$tmp/out" "^replay: $nsamples samples: $nsamples as expected, 0 mismatches, 0 skipped\$"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "a clean run printed more than the summary"
[ "$(connections)" -eq 2 ] || fail "one run made $(connections) connections, not one per party"
grep -q '^answer 201 0384$' "$tmp/log" || fail "the gemeente sent nothing that was accepted"
grep -q '^answer 201 42420001$' "$tmp/log" || fail "the aanbieder sent nothing that was accepted"
grep -q '^answer 422 ' "$tmp/log" || fail "no sample was rejected"
hasnt "$tmp/log" '^answer (403|500) '
xmllint --noout "$tmp/all.xml" || fail "the JUnit report is not well-formed"
[ "$(grep -c '<testcase ' "$tmp/all.xml")" -eq "$nsamples" ] ||
	fail "the JUnit report does not have a testcase per sample"
has "$tmp/all.xml" '<testsuite name="ijw-gateway replay" tests="'"$nsamples"'" failures="0"'
has "$tmp/all.xml" "<testcase classname=\"JW323\" name=\"$src/samples/JW323-valid-1.xml\""
has "$tmp/all.xml" "<testcase classname=\"unknown\" name=\"$src/samples/JW319-hostile-external-entity.xml\""
hasnt "$tmp/all.xml" '<failure|<skipped'

# the same again: the gateway answers 200 for bytes it has seen, which matches too
expect 0 as_both "$src/samples/"
has "$tmp/out" "^replay: $nsamples samples: $nsamples as expected"
grep -q '^answer 200 ' "$tmp/log" || fail "the second run got no 200"

# single files, the provider known by the serialNumber of its certificate
expect 0 as_gemeente --cert "$pki/aanbieder.pem" --key "$pki/aanbieder.key" \
	"$src/samples/JW323-valid-2.xml" "$src/samples/JW301-valid-2.xml"
has "$tmp/out" '^replay: 2 samples: 2 as expected, 0 mismatches, 0 skipped$'

# ---- a wrong manifest ----

mkdir "$tmp/wrong"
cp "$src/samples/JW301-TR002-invalid.xml" "$src/samples/JW301-valid-1.xml" \
	"$src/samples/JW305-valid-1.xml" "$src/samples/JW306-valid-1.xml" "$tmp/wrong/"
# a name that needs escaping in XML
cp "$src/samples/JW307-valid-1.xml" "$tmp/wrong/a&b<\"c\">.xml"
printf '# a manifest with mistakes\nfile\toutcome\ttype\tretourcode\trules\tnote\n%s\n%s\n%s\n' \
	"$(printf 'JW301-TR002-invalid.xml\trejected\tJW301\t0001\tTR006\twrong rule')" \
	"$(printf 'JW301-valid-1.xml\trejected\tJW301\t0001\tTR002\twrong outcome')" \
	"$(printf 'JW306-valid-1.xml\taccepted\tJW306\t0200\t-\tright')" >"$tmp/wrong/expected.tsv"
answers=$(grep -c '^answer ' "$tmp/log")
expect 1 as_both --junit "$tmp/wrong.xml" "$tmp/wrong"
has "$tmp/out" "^$tmp/wrong/JW301-TR002-invalid.xml: expected rejected TR006 0001, got 422 TR002 0001: "
has "$tmp/out" "^$tmp/wrong/JW301-valid-1.xml: expected rejected TR002 0001, got 20[01]\$"
# a sample without a line is skipped with a warning, and not sent
has "$tmp/err" "^ijw-gateway: replay: $tmp/wrong/JW305-valid-1.xml: no line in $tmp/wrong/expected.tsv: skipped, not sent\$"
hasnt "$tmp/out" 'JW305-valid-1.xml|JW306-valid-1.xml'
has "$tmp/err" "^ijw-gateway: replay: $tmp/wrong/a&b<\"c\">.xml: no line in "
has "$tmp/out" '^replay: 5 samples: 1 as expected, 2 mismatches, 2 skipped$'
[ "$(grep -c '^answer ' "$tmp/log")" -eq $((answers + 3)) ] ||
	fail "$(($(grep -c '^answer ' "$tmp/log") - answers)) samples were posted, not the 3 with a line"
xmllint --noout "$tmp/wrong.xml" || fail "the JUnit report of mismatches is not well-formed"
[ "$(grep -c '<failure ' "$tmp/wrong.xml")" -eq 2 ] || fail "the JUnit report lacks failures"
[ "$(grep -c '<skipped ' "$tmp/wrong.xml")" -eq 2 ] || fail "the JUnit report lacks the skips"
has "$tmp/wrong.xml" 'name="[^"]*/wrong/a&amp;b&lt;&quot;c&quot;&gt;.xml"'
has "$tmp/wrong.xml" '<failure type="mismatch" message="expected rejected TR006 0001, got 422 TR002 0001: [^"]+">0001 TR002 /jw301:Bericht/'

# columns by their heading, in another order, with optional columns left empty
printf 'note\trules\tretourcode\ttype\toutcome\tfile\tadvice\ttranslated\trecord_codes\n%s\n%s\n' \
	"$(printf 'x\tTR002\t0001\tJW301\trejected\tJW301-TR002-invalid.xml\t\t\t')" \
	"$(printf 'y\t-\t0200\tJW306\taccepted\tJW306-valid-1.xml')" >"$tmp/wrong/expected.tsv"
expect 0 as_both "$tmp/wrong/JW301-TR002-invalid.xml" "$tmp/wrong/JW306-valid-1.xml"
has "$tmp/out" '^replay: 2 samples: 2 as expected, 0 mismatches, 0 skipped$'

# a folder without a manifest: its samples are skipped, none sent
mkdir "$tmp/bare"
cp "$src/samples/JW301-valid-1.xml" "$tmp/bare/"
answers=$(grep -c '^answer ' "$tmp/log")
expect 1 as_both "$tmp/bare"
has "$tmp/err" "^ijw-gateway: replay: $tmp/bare/JW301-valid-1.xml: no $tmp/bare/expected.tsv: skipped, not sent\$"
has "$tmp/out" '^replay: 1 sample: 0 as expected, 0 mismatches, 1 skipped$'
[ "$(grep -c '^answer ' "$tmp/log")" -eq "$answers" ] || fail "a sample without a manifest was posted"

# a manifest that is not one stops the run before anything is sent
printf 'file\toutcome\ttype\tretourcode\trules\tnote\nJW301-valid-1.xml\tmaybe\tJW301\t0200\t-\tx\n' \
	>"$tmp/wrong/expected.tsv"
before=$(connections)
expect 2 as_gemeente "$tmp/wrong/JW301-valid-1.xml"
has "$tmp/err" "$tmp/wrong/expected.tsv:2: the outcome is accepted or rejected, not 'maybe'"
[ "$(connections)" -eq "$before" ] || fail "a bad manifest did not stop the run"
# bad_manifest TEXT PATTERN: a manifest of TEXT stops the run with PATTERN on standard error
bad_manifest() {
	printf "$1" >"$tmp/wrong/expected.tsv"
	expect 2 as_gemeente "$tmp/wrong/JW301-valid-1.xml"
	has "$tmp/err" "$tmp/wrong/expected.tsv:$2"
}
bad_manifest 'file\toutcome\ttype\tretourcode\tnote\n' \
	"1: the heading \\(tab-separated\\) names file, outcome, type, retourcode and rules; this one has no rules"
bad_manifest 'file\toutcome\ttype\tretourcode\trules\tfile\n' '1: the heading names file twice'
bad_manifest 'file\toutcome\ttype\tretourcode\trules\tadvice\nJW301-valid-1.xml\taccepted\tJW301\t0200\t-\ttr019\n' \
	"2: the advice is rule codes separated by commas, or -, not 'tr019'"
bad_manifest 'file\toutcome\ttype\tretourcode\trules\ttranslated\nJW301-valid-1.xml\taccepted\tJW301\t0200\t-\tja\n' \
	"2: translated is yes or no, not 'ja'"
for codes in 0:0200 1:020 '1:0200,1:0001' 1:0200+ '1:0200,' 2 '01:0200'; do
	bad_manifest "file\toutcome\ttype\tretourcode\trules\trecord_codes\nJW301-valid-1.xml\taccepted\tJW301\t0200\t-\t$codes\n" \
		"2: the record codes are RECORD:CODE"
done
bad_manifest 'rules\tnote\tfile\toutcome\ttype\tretourcode\tadvice\n-\tx\tJW301-valid-1.xml\taccepted\tJW301\n' \
	'2: wants 6 tab-separated fields, as the heading names'
[ "$(connections)" -eq "$before" ] || fail "a bad manifest did not stop the run"

# --record: not with --junit, and a manifest that is there is kept without --force
expect 2 as_gemeente --record "$tmp/rec.tsv" --junit "$tmp/j.xml" "$tmp/wrong"
has "$tmp/err" 'not both'
expect 2 as_gemeente --force "$tmp/wrong"
has "$tmp/err" '--force is for --record'
expect 2 as_gemeente --record "$tmp/wrong/expected.tsv" "$tmp/wrong"
has "$tmp/err" "$tmp/wrong/expected.tsv exists: --force overwrites it"
expect 2 as_gemeente --record "$tmp/rec.tsv" "$tmp/wrong" "$tmp/bare"
has "$tmp/err" '--record writes the manifest of one folder'
[ "$(connections)" -eq "$before" ] || fail "a refused --record sent something"

# ---- the other outcomes: a conflict, too large, large and accepted ----

mkdir "$tmp/more"
# the identification of a stored message with other bytes
sed 's/<\/jw301:Bericht>/<\/jw301:Bericht><!-- changed -->/' "$src/samples/JW301-valid-2.xml" \
	>"$tmp/more/conflict.xml"
"$bin" generate JW323 --seed 7001 --clients 1000 --gemeente 0384 --aanbieder 42420001 \
	-o "$tmp/more/large.xml" || fail "cannot generate a large declaration"
"$bin" generate JW323 --seed 7002 --clients 2000 --gemeente 0384 --aanbieder 42420001 \
	-o "$tmp/more/too-large.xml" || fail "cannot generate a declaration too large"
{
	printf 'file\toutcome\ttype\tretourcode\trules\tnote\n'
	printf 'conflict.xml\trejected\tJW301\t9056\tTR056\tJW301-valid-2 changed\n'
	printf 'large.xml\taccepted\tJW323\t0200\t-\tunder the limit of 3000000 bytes\n'
	printf 'too-large.xml\trejected\tJW323\t0001\tXML\tover it\n'
} >"$tmp/more/expected.tsv"
expect 0 as_both "$tmp/more"
has "$tmp/out" '^replay: 3 samples: 3 as expected, 0 mismatches, 0 skipped$'
for s in 409 413 201; do
	grep -q "^answer $s " "$tmp/log" || fail "the fake gateway never answered $s"
done

# ---- a party without a certificate: its samples are skipped ----

expect 0 as_gemeente --junit "$tmp/skip.xml" "$src/samples"
has "$tmp/out" '^[^ ]*/JW305-valid-1.xml: skipped: no certificate for party 42420001$'
hasnt "$tmp/out" 'JW301-valid-1.xml'
has "$tmp/out" "^replay: $nsamples samples: [1-9][0-9]* as expected, 0 mismatches, [1-9][0-9]* skipped\$"
xmllint --noout "$tmp/skip.xml" || fail "the JUnit report with skips is not well-formed"
has "$tmp/skip.xml" '<skipped message="no certificate for party 42420001"/>'
# nothing at all sent: exit 1
expect 1 as_gemeente "$src/samples/JW305-valid-1.xml"
has "$tmp/out" '^replay: 1 sample: 0 as expected, 0 mismatches, 1 skipped$'

# ---- a gateway that cannot be reached ----

expect 2 "$bin" replay --url "https://127.0.0.1:1" --cacert "$pki/ca.pem" \
	--cert "$pki/0384.pem" --key "$pki/0384.key" "$src/samples"
has "$tmp/err" '^ijw-gateway: replay: cannot reach the gateway at https://127.0.0.1:1/v1/berichten: .*(onnect|refused)'
hasnt "$tmp/out" 'replay: [0-9]+ samples'
# a gateway whose certificate the CA does not vouch for
expect 2 "$bin" replay --url "$url" --cacert "$pki/otherca.pem" \
	--cert "$pki/0384.pem" --key "$pki/0384.key" "$src/samples"
has "$tmp/err" 'cannot reach the gateway at .*certificate'
# a client certificate the gateway does not trust
cert stranger /CN=0384 extendedKeyUsage=clientAuth otherca
expect 2 replay --cert "$pki/stranger.pem" --key "$pki/stranger.key" "$src/samples"
has "$tmp/err" 'cannot reach the gateway at '

[ -s "$tmp/server.err" ] && grep -q Traceback "$tmp/server.err" &&
	fail "the fake gateway failed: $(grep -v '^ssl' "$tmp/server.err" | head -20)"

if [ "$failures" -ne 0 ]; then
	echo "$failures failures" >&2
	exit 1
fi
echo "replay: all checks passed"
