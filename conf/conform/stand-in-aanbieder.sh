#!/bin/sh
# A provider's back office in a few lines, to try conform without a system of
# one's own: `ijw-gateway watch --exec` runs it for each message it takes from
# the provider's inbox. A JW301 is answered with its JW302, the start of its
# first product (JW305) and the stop of that start (JW307), dated on the
# assignment's last day when that has passed; other messages are taken as they
# are. The answers are sent with the client file in $IJW_CLIENT, the one watch
# runs with. $BIN is the ijw-gateway to use (by default the one the build made).
# With WRONG_CLIENT set the start is of another client: a wrong answer.
set -eu
BIN=${BIN:-build/gateway/ijw-gateway}
[ "$IJW_TYPE" = JW301 ] || exit 0
d=$(mktemp -d)
trap 'rm -r "$d"' EXIT
end=$(sed -n 's|.*<[a-z0-9]*:Einddatum>\([0-9-]*\)<.*|\1|p' "$IJW_FILE" | head -n 1)
dag=$(printf '%s\n%s\n' "$end" "$(date -u +%F)" | sort | head -n 1)
"$BIN" generate JW302 --from "$IJW_FILE" --dagtekening "$dag" -o "$d/jw302.xml"
"$BIN" generate JW305 --from "$IJW_FILE" --dagtekening "$dag" -o "$d/jw305.xml"
if [ -n "${WRONG_CLIENT:-}" ]; then
	sed -i 's|<\([a-z0-9]*:\)Bsn>[0-9]*<|<\1Bsn>123456782<|' "$d/jw305.xml"
fi
"$BIN" generate JW307 --from "$d/jw305.xml" --dagtekening "$dag" -o "$d/jw307.xml"
"$BIN" send "$d/jw302.xml" "$d/jw305.xml" "$d/jw307.xml"
