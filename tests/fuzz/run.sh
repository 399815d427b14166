#!/bin/sh
# run.sh FUZZER SECONDS: fuzzes the codecs for SECONDS, starting from the
# samples, the official examples (when ../shared is present) and generated
# messages. Exits non-zero when the fuzzer finds a crash, a leak or a hang.
set -eu
fuzzer=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp "$top"/samples/*.xml "$corpus"/
if [ -d "$top/../shared/reference/ijw-3.2/voorbeelden" ]; then
	cp "$top"/../shared/reference/ijw-3.2/voorbeelden/*.xml "$corpus"/
fi
echo "fuzzing for ${seconds}s from $(ls "$corpus" | wc -l) seeds"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-dict="$here/ijw.dict" -print_final_stats=1 -artifact_prefix="${TMPDIR:-/tmp}/ijw-fuzz-" \
	"$corpus"
