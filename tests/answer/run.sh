#!/bin/sh
# run.sh: generate --from makes the next message of a conversation, and
# validate --history accepts each after the ones before it.
#
#	run.sh BINARY SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../lib.sh
. "$src/tests/lib.sh"

# judge NAME FILE...: the files, in order, on an empty ledger: all accepted
judge() {
	name=$1
	shift
	mkdir -p "$tmp/empty"
	"$bin" validate --today 2099-01-01 --history "$tmp/empty" "$@" >"$tmp/verdict" 2>&1 ||
		fail "$name: $(grep -v ': accepted ' "$tmp/verdict" | head -3)"
	[ "$(grep -c ': accepted ' "$tmp/verdict")" -eq $# ] ||
		fail "$name: not every message accepted: $(head -c 600 "$tmp/verdict")"
}

# gen SEED OUT TYPE [--from FILE]
gen() {
	s=$1 out=$2
	shift 2
	expect 0 "$bin" generate "$@" --seed "$s" -o "$out"
}

for s in $(seq 1 20); do
	d=$tmp/$s
	mkdir -p "$d"
	gen "$s" "$d/301.xml" JW301
	gen "$s" "$d/305.xml" JW305 --from "$d/301.xml"
	gen "$s" "$d/307.xml" JW307 --from "$d/301.xml"
	gen "$s" "$d/307s.xml" JW307 --from "$d/305.xml"
	gen "$s" "$d/323.xml" JW323 --from "$d/301.xml"
	gen "$s" "$d/325.xml" JW325 --from "$d/323.xml"
	gen "$s" "$d/317.xml" JW317 --from "$d/301.xml"
	gen "$s" "$d/319w.xml" JW319 --from "$d/317.xml"
	gen "$s" "$d/315.xml" JW315
	gen "$s" "$d/301v.xml" JW301 --from "$d/315.xml"
	gen "$s" "$d/319.xml" JW319 --from "$d/315.xml"
	for pair in 301:302 305:306 307s:308 315:316 317:318 319w:320 323:325; do
		h=${pair%:*} r=JW${pair#*:}
		[ "$r" = JW325 ] || gen "$s" "$d/$r.xml" "$r" --from "$d/$h.xml"
		hasnt "$d/$r.xml" '<jw3[0-9]{2}:RetourCode>(0[013-9]|[1-79])'
	done
	judge "seed $s JW301-JW305" "$d/301.xml" "$d/305.xml"
	judge "seed $s JW305-JW307 and retours" "$d/301.xml" "$d/JW302.xml" "$d/305.xml" \
		"$d/JW306.xml" "$d/307s.xml" "$d/JW308.xml"
	judge "seed $s JW301-JW307" "$d/301.xml" "$d/305.xml" "$d/307.xml"
	judge "seed $s JW301-JW323-JW325" "$d/301.xml" "$d/305.xml" "$d/323.xml" "$d/325.xml"
	judge "seed $s JW301-JW317-JW319" "$d/301.xml" "$d/317.xml" "$d/JW318.xml" \
		"$d/319w.xml" "$d/JW320.xml"
	judge "seed $s JW315-JW301" "$d/315.xml" "$d/JW316.xml" "$d/301v.xml"
	judge "seed $s JW315-JW319" "$d/315.xml" "$d/319.xml"
	# the same client throughout
	bsn=$(grep -o '<jw301:Bsn>[0-9]*' "$d/301.xml" | head -1 | cut -d'>' -f2)
	for f in 305 307 317 323; do
		has "$d/$f.xml" ">$bsn<"
	done
done

# --id, uniqueness without --seed, determinism with it
d=$tmp/1
expect 0 "$bin" generate JW305 --from "$d/301.xml" --id ABC123 -o "$tmp/id.xml"
has "$tmp/id.xml" '<ijw:Identificatie>ABC123</ijw:Identificatie>'
expect 0 "$bin" generate JW302 --from "$d/301.xml" --id RET1 -o "$tmp/idr.xml"
has "$tmp/idr.xml" '<jw302:IdentificatieRetour>RET1</jw302:IdentificatieRetour>'
expect 0 "$bin" generate JW301 --seed 4 --id NEW42 -o "$tmp/idg.xml"
has "$tmp/idg.xml" '<ijw:Identificatie>NEW42</ijw:Identificatie>'
expect 2 "$bin" generate JW305 --from "$d/301.xml" --id ABCDEFGHJKLMN
has "$tmp/err" '--id wants 1 to 12 characters'
for t in JW301 JW323; do
	expect 0 "$bin" generate "$t" -o "$tmp/u1.xml"
	expect 0 "$bin" generate "$t" -o "$tmp/u2.xml"
	id1=$(grep -o '<ijw:Identificatie>[A-Z0-9]*' "$tmp/u1.xml" | head -1)
	id2=$(grep -o '<ijw:Identificatie>[A-Z0-9]*' "$tmp/u2.xml" | head -1)
	[ -n "$id1" ] && [ "$id1" != "$id2" ] || fail "generate $t twice: the same id $id1"
done
expect 0 "$bin" generate JW305 --from "$d/301.xml" -o "$tmp/a1.xml"
expect 0 "$bin" generate JW305 --from "$d/301.xml" -o "$tmp/a2.xml"
cmp -s "$tmp/a1.xml" "$tmp/a2.xml" && fail "generate --from without --seed twice: the same answer"
grep -Eq '<ijw:Identificatie>[A-HJ-NP-Z0-9]{12}<' "$tmp/a1.xml" ||
	fail "a random id is not 12 characters of the generator's alphabet"
expect 0 "$bin" generate JW305 --from "$d/301.xml" --seed 9 -o "$tmp/a1.xml"
expect 0 "$bin" generate JW305 --from "$d/301.xml" --seed 9 -o "$tmp/a2.xml"
cmp -s "$tmp/a1.xml" "$tmp/a2.xml" || fail "generate --from --seed 9 twice: different answers"

# --dagtekening and --record
expect 0 "$bin" generate JW325 --from "$d/323.xml" --dagtekening 2027-03-04 -o "$tmp/dag.xml"
has "$tmp/dag.xml" '<ijw:Dagtekening>2027-03-04<'
expect 2 "$bin" generate JW305 --from "$d/301.xml" --record 7
has "$tmp/err" 'record 7: the JW301 has [0-9] ToegewezenProduct records'
expect 2 "$bin" generate JW305 --from "$d/301.xml" --dagtekening 2001-01-01
has "$tmp/err" 'Dagtekening 2001-01-01 is before the Ingangsdatum'
expect 2 "$bin" generate JW301 --record 1
has "$tmp/err" 'for an answer'

# what does not follow, and what is no message
# an assignment of a Budget alone, no product: its start and stop name none; no declaration
a=$src/samples/JW301-CD079-borderline.xml
expect 0 "$bin" generate JW305 --from "$a" -o "$tmp/b305.xml"
expect 0 "$bin" generate JW307 --from "$tmp/b305.xml" -o "$tmp/b307.xml"
grep -q 'Categorie>' "$tmp/b305.xml" && fail "a start of an assignment of no product names one"
judge "Budget alone: JW301 JW305 JW307" "$a" "$tmp/b305.xml" "$tmp/b307.xml"
expect 2 "$bin" generate JW323 --from "$a"
has "$tmp/err" 'names no product category \(a Budget alone\)'
expect 2 "$bin" generate JW323 --from "$d/305.xml"
has "$tmp/err" 'JW323 does not follow from a JW305; from a JW305 follow JW306 JW307'
expect 2 "$bin" generate JW305 --from "$d/302.xml" 2>/dev/null
expect 2 "$bin" generate JW305 --from "$tmp/nonexistent.xml"
has "$tmp/err" 'nonexistent.xml: No such file'
printf 'not xml' >"$tmp/junk.xml"
expect 2 "$bin" generate JW305 --from "$tmp/junk.xml"
has "$tmp/err" 'junk.xml: not an iJw 3.2 message'
sed 's/<jw301:Geslacht>[0-9]</<jw301:Geslacht>x</' "$d/301.xml" >"$tmp/bad.xml"
expect 2 "$bin" generate JW305 --from "$tmp/bad.xml"
has "$tmp/err" 'bad.xml: not a valid message: line [0-9]+'

[ "$failures" -eq 0 ] || exit 1
echo "answer: all checks passed"
