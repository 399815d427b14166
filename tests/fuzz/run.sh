#!/bin/sh
# run.sh BUILD [SECONDS [TARGET...]]: runs the libFuzzer targets of the
# build folder BUILD (configured with -Dfuzz=true), each for SECONDS, from
# seeds in the tree or made from it. Without SECONDS fuzz_validate runs 60 s
# and every other target 15 s; without TARGETs all of them run:
#
#	validate  the codecs' message pipeline   seeds: samples/, the official examples
#	http      requests to the server          seeds: tests/fuzz/http/
#	head      the guard's request heads       seeds: tests/fuzz/http/
#	config    gateway.ini                     seeds: tests/fuzz/config/, `pki init`'s
#	client    a party's client file           seeds: tests/fuzz/client/
#	products  a region's product table        seeds: conf/products/
#	manifest  a folder's expected.tsv         seeds: samples/, tests/scenarios/
#	tls       who a client certificate is     seeds: `pki init`'s certificates in DER
#	history   the ledger's history reader     seeds: samples/
#	ledger    messages against the ledger     seeds: tests/scenarios/, one input each
#	log       values in the log's lines       seeds: tests/fuzz/log/
#	scenario  conform's scenario files        seeds: conf/conform/
#
# Exits non-zero when a target finds a crash, a leak or a hang (an input
# that takes 30 s of the wall clock: a machine busy with other work stretches
# a fraction of a second to several); what it found is kept as
# ${TMPDIR:-/tmp}/ijw-fuzz-TARGET-*.
set -eu
build=$1
seconds=${2:-}
[ $# -gt 2 ] && shift 2 || set -- validate http head config client products manifest tls history ledger log scenario
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A development PKI and its gateway.ini, as `make run` makes them.
pki() {
	[ -d "$work/pki" ] ||
		"$build/gateway/ijw-gateway" pki init "$work/pki" --party gemeente:0384 \
			--party aanbieder:42420001 --port 8443 >/dev/null
}

# seeds TARGET DIR: fills DIR with the target's seeds.
seeds() {
	case $1 in
	validate)
		cp "$top"/samples/*.xml "$2"/
		if [ -d "$top/../shared/reference/ijw-3.2/voorbeelden" ]; then
			cp "$top"/../shared/reference/ijw-3.2/voorbeelden/*.xml "$2"/
		fi ;;
	http | head) cp "$here"/http/* "$2"/ ;;
	config)
		pki
		cp "$here"/config/*.ini "$work/pki/gateway.ini" "$2"/ ;;
	client) cp "$here"/client/*.ini "$2"/ ;;
	products) cp "$top"/conf/products/*.ini "$2"/ ;;
	manifest)
		cp "$top/samples/expected.tsv" "$2/samples.tsv"
		for m in "$top"/tests/scenarios/*/expected.tsv; do
			cp "$m" "$2/$(basename "$(dirname "$m")").tsv"
		done ;;
	tls)
		pki
		for c in "$work"/pki/*.pem; do
			openssl x509 -in "$c" -outform DER -out "$2/$(basename "$c" .pem).der"
		done ;;
	history) cp "$top"/samples/*.xml "$2"/ ;;
	log) cp "$here"/log/* "$2"/ ;;
	scenario) cp "$top"/conf/conform/*.scenario "$2"/ ;;
	ledger)
		for d in "$top"/tests/scenarios/*/; do
			cat "$d"*.xml >"$2/$(basename "$d").xml"
		done ;;
	*)
		echo "run.sh: no target $1" >&2
		exit 2 ;;
	esac
}

status=0
for target; do
	corpus="$work/corpus-$target"
	mkdir "$corpus"
	seeds "$target" "$corpus"
	time=${seconds:-15}
	[ -n "$seconds" ] || [ "$target" != validate ] || time=60
	echo "fuzz_$target: ${time}s from $(ls "$corpus" | wc -l) seeds"
	"$build/tests/fuzz/fuzz_$target" -max_total_time="$time" -timeout=30 -rss_limit_mb=2048 \
		-max_len=70000 -dict="$here/$target.dict" -print_final_stats=1 \
		-artifact_prefix="${TMPDIR:-/tmp}/ijw-fuzz-$target-" "$corpus" 2>"$work/log" ||
		{ status=1; cat "$work/log" >&2; }
	grep -E '^(#[0-9]+.*DONE|stat::|Done)' "$work/log" || true
done
exit $status
