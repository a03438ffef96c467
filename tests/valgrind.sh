#!/bin/sh
# Memcheck over the golden tests: every seed and HTML fixture cleaned under valgrind
# must give its expected output with no memory error and no leak (definite,
# indirect or possible).  Then --features (every per-block record) and a
# two-thread batch of the fixtures, for the code the golden path skips.
# PCRE2 JIT's read-ahead is suppressed (valgrind.supp says why).
# usage: valgrind.sh WINNOW FIXTURES [VALGRIND]
set -u
W=$1 FIX=$2 VG=${3:-valgrind}
SUPP=$(dirname "$0")/valgrind.supp
T=$(mktemp -d "${TMPDIR:-/tmp}/winnow-vg.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
vg() {
	"$VG" -q --error-exitcode=99 --suppressions="$SUPP" --leak-check=full \
		--show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible "$@"
}
pass=0 fail=0
result() { # NAME STATUS
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "ok - $1"
	else fail=$((fail + 1)); echo "not ok - $1"; sed 's/^/#   /' "$T/err" | head -40; fi
}
for exp in "$FIX"/*.expected.txt; do
	in=${exp%.expected.txt}.txt
	[ -f "$in" ] || continue
	name=${in##*/}
	vg "$W" <"$in" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 0 ] && cmp -s "$T/out" "$exp"; result "memcheck: $name" $?
	vg "$W" --features "$in" >/dev/null 2>"$T/err"; result "memcheck --features: $name" $?
done
# the HTML fixtures: Gumbo's arena, the charset decoder, the walk
for exp in "$FIX"/html/*.expected.txt; do
	in=${exp%.expected.txt}.html
	[ -f "$in" ] || continue
	name=html/${in##*/}
	vg "$W" <"$in" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 0 ] && cmp -s "$T/out" "$exp"; result "memcheck: $name" $?
	vg "$W" --features --no-title "$in" >/dev/null 2>"$T/err"; result "memcheck --features: $name" $?
done
mkdir "$T/in"
for f in "$FIX"/*.txt; do case $f in *.expected.txt) ;; *) cp "$f" "$T/in/" ;; esac; done
vg "$W" -j 2 -o "$T/out.d" "$T/in" >/dev/null 2>"$T/err"; result "memcheck: batch -j 2" $?
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
