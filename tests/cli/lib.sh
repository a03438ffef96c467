# lib.sh - what every shell test suite here shares: a scratch directory
# $T removed on exit, TAP-like "ok N - name" / "not ok N - name" lines,
# and checks on the last command run.  Set SUITE, then source it:
#   SUITE=html; . "$(dirname "$0")/lib.sh"
# then end with `finish`.
T=$(mktemp -d "${TMPDIR:-/tmp}/winnow-$SUITE.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"
	[ -s "$T/err" ] && sed 's/^/#   stderr: /' "$T/err" | head -5
	[ -s "$T/out" ] && sed 's/^/#   stdout: /' "$T/out" | head -5
	return 0
}
check() { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
skip() { echo "# skip: $1 ($2)"; }
# run CMD...: its output in $T/out and $T/err, its status in $rc
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
rc_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -qF -- "$1" "$T/out"; }
out_lacks() { ! grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; }
