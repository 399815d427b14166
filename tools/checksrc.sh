#!/bin/sh
# The project's source checks: clang-format conformance and calls that are
# banned because they have no bound or no error report.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find codecs gateway tests tools -name '*.[ch]')
status=0
if command -v clang-format >/dev/null; then
	# shellcheck disable=SC2086
	clang-format --dry-run --Werror $files || status=1
else
	echo "checksrc: clang-format not found" >&2
	status=1
fi
# shellcheck disable=SC2086
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets)[[:space:]]*\(' $files; then
	echo "checksrc: banned calls above (use snprintf, a struct ijw_buf, strtol)" >&2
	status=1
fi
exit $status
