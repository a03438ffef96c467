#!/bin/sh
# Throughput and peak memory of winnow against `wc -w` (our reference
# limit: counting words) on the same bytes, every figure from one run.
#
# usage: bench/run.sh [BUILD_DIR] [EVAL_DIR] [MB] [HTML_MB]
#   BUILD_DIR a meson build directory holding winnow and bench/gumbo_parse;
#             default: a release build made in a temporary directory
#   EVAL_DIR  ../shared/eval: the corpora are made by repeating its pages:
#             their plain-text renderings (ID.txt) up to MB megabytes
#             (default 200), their HTML (ID.html) up to HTML_MB (default
#             100) as a tree of files
#   RUNS      environment: runs per figure, the median is printed (default 3)
#
# Prints a table: mode, MB/s (median), peak RSS.  Needs GNU time
# (/usr/bin/time, Debian package `time`); without it RSS is shown as "-".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
eval_dir=${2:-$here/../../shared/eval}
mb=${3:-200}
html_mb=${4:-100}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${1:-}" ]; then
  build=$(cd "$1" && pwd)
else
  build=$work/build
  meson setup --buildtype=release -Dtests=disabled "$build" "$here/.." > /dev/null
  ninja -C "$build" winnow bench/gumbo_parse > /dev/null
fi
winnow=$build/winnow
gumbo=$build/bench/gumbo_parse

# --- corpus: the dev pages, repeated, as one stream and as a tree ---------
pages=$(ls "$eval_dir"/*/*.txt | grep -v '\.gold\.txt$')
: > "$work/all.txt"
while [ "$(wc -c < "$work/all.txt")" -lt $((mb * 1000000)) ]; do
  for p in $pages; do cat "$p"; echo; done >> "$work/all.txt"
done
head -c $((mb * 1000000)) "$work/all.txt" > "$work/one.txt"
rm "$work/all.txt"
bytes=$(wc -c < "$work/one.txt")
mkdir -p "$work/tree"
n=0
while [ "$n" -lt 10000 ]; do
  for p in $pages; do
    n=$((n + 1)); d=$work/tree/$((n % 100))
    mkdir -p "$d"; cp "$p" "$d/$n.txt"
    [ "$n" -ge 10000 ] && break
  done
done
tree_bytes=$(cat "$work"/tree/*/*.txt | wc -c)
# HTML: the pages as files, repeated up to html_mb, named in one list
mkdir -p "$work/html"
hpages=$(ls "$eval_dir"/*/*.html)
hn=0 hbytes=0
while [ "$hbytes" -lt $((html_mb * 1000000)) ]; do
  for p in $hpages; do
    hn=$((hn + 1)); d=$work/html/$((hn % 100))
    mkdir -p "$d"; cp "$p" "$d/$hn.html"
    hbytes=$((hbytes + $(wc -c < "$p")))
    [ "$hbytes" -ge $((html_mb * 1000000)) ] && break
  done
done
find "$work/html" -name '*.html' -print0 | sort -z > "$work/html.list"

# --- timing ------------------------------------------------------------
now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
have_time=0
[ -x /usr/bin/time ] && have_time=1

# measure LABEL BYTES CMD...: median MB/s over $runs runs, peak RSS
measure() {
  label=$1 size=$2; shift 2
  : > "$work/rates"; rss=-
  i=0
  while [ "$i" -lt "$runs" ]; do
    t0=$(now)
    if [ "$have_time" = 1 ]; then
      /usr/bin/time -f %M -o "$work/rss" "$@" > /dev/null
      rss=$(($(cat "$work/rss") / 1024))MB
    else
      "$@" > /dev/null
    fi
    t1=$(now)
    awk -v b="$size" -v a="$t0" -v z="$t1" 'BEGIN { printf "%.1f\n", b / 1e6 / (z - a) }' >> "$work/rates"
    i=$((i + 1))
  done
  printf '| %s | %s | %s |\n' "$label" "$(median < "$work/rates")" "$rss"
}

echo "corpus: $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB of text in one stream; $n files ($(awk -v b="$tree_bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB) in a tree; $hn HTML pages ($(awk -v b="$hbytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB)"
echo "machine: $(nproc) cores, $(uname -m); runs per figure: $runs (median)"
echo
echo "| mode | MB/s | peak RSS |"
echo "| --- | --- | --- |"
measure "wc -w (reference)" "$bytes" wc -w "$work/one.txt"
measure "winnow, text, one stream" "$bytes" "$winnow" "$work/one.txt"
for j in $(printf '1\n2\n%s\n' "$(nproc)" | sort -un); do
  rm -rf "$work/out"
  measure "winnow -j $j, tree of $n files" "$tree_bytes" sh -c 'rm -rf "$1"; "$2" -q -j "$3" -o "$1" "$4"' sh "$work/out" "$winnow" "$j" "$work/tree"
done
measure "gumbo_parse (reference: Gumbo alone, default allocator)" "$hbytes" "$gumbo" --files0-from "$work/html.list"
measure "winnow, HTML, one thread" "$hbytes" "$winnow" --input html --files0-from "$work/html.list"
