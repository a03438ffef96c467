#!/bin/sh
# Golden tests: every FIXTURES/NAME.txt (or NAME.html) cleaned with the
# built-in rules must equal FIXTURES/NAME.expected.txt byte for byte.
# Options for one fixture go in FIXTURES/NAME.args (one line).
# usage: golden.sh WINNOW FIXTURES
set -u
winnow=$1 dir=$2
pass=0 fail=0
for exp in "$dir"/*.expected.txt; do
  name=${exp%.expected.txt}
  if [ -f "$name.txt" ]; then in=$name.txt; elif [ -f "$name.html" ]; then in=$name.html; else continue; fi
  args=""
  [ -f "$name.args" ] && args=$(cat "$name.args")
  # shellcheck disable=SC2086
  if "$winnow" $args < "$in" | cmp -s - "$exp"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL ${name##*/}"
    # shellcheck disable=SC2086
    "$winnow" $args < "$in" | diff "$exp" - | head -20
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
