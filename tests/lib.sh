# shellcheck shell=sh disable=SC2154
# lib.sh: what the shell tests share. Sourced after $tmp (a scratch folder)
# is set; counts failures in $failures.
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect STATUS CMD...: runs CMD, keeps its output in $tmp/out and $tmp/err.
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] ||
		fail "'$*' exited $got, expected $want: $(head -c 600 "$tmp/out" "$tmp/err")"
}

# has FILE PATTERN: FILE has a line matching the extended regular expression.
has() {
	grep -Eq -- "$2" "$1" || fail "$1 lacks /$2/: $(head -c 600 "$1")"
}

# hasnt FILE PATTERN: no line of FILE matches it.
hasnt() {
	! grep -Eq -- "$2" "$1" || fail "$1 has /$2/: $(grep -E -- "$2" "$1" | head -3)"
}
