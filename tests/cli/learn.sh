#!/bin/sh
# Learning tests: cross-document chrome learning (--learn, winnow learn,
# counts and their merge), site-scoped rules, --stats and the progress
# line.  The pages are made up here (tests/cli/gen_article.awk), so that
# every article line is unique and only the lines a check plants recur.
# Prints one "ok N - name" or "not ok N - name" line per check, then
# "N passed, M failed".
# usage: learn.sh WINNOW GEN_ARTICLE_AWK
set -u
W=$1 GEN=$2
case $W in /*) ;; *) W=$(pwd)/$W ;; esac
case $GEN in /*) ;; *) GEN=$(pwd)/$GEN ;; esac

SUITE=learn; . "$(dirname "$0")/lib.sh"
# count FILE... STRING: how many of the files hold STRING
count() {
	s=$1; shift
	c=0
	for f in "$@"; do grep -qF -- "$s" "$f" && c=$((c + 1)); done
	echo $c
}

# The lines the checks plant.  CHROME is a line single-document cleaning
# keeps (checked below); WIRE a 30-word paragraph, as wire copy is.
CHROME="The Herald Ledger is an independent newsroom serving Marlow County."
WIRE="The agency said on Tuesday that the river would stay above the flood line for several more days, and that residents of the valley should keep away from the banks until then."
RARE="Reporting was contributed by the valley desk."
BIG="Marlow Gazette staff and wire services."

# page SEED [LINE...]: an article with the lines after its 2nd paragraph
page() {
	seed=$1; shift
	awk -v seed="$seed" -f "$GEN" >"$T/p"
	sed -n '1,5p' "$T/p"
	for l in "$@"; do printf '%s\n\n' "$l"; done
	sed -n '6,$p' "$T/p"
}

# The corpus.  a.example: 6 pages with CHROME, 4 of them with WIRE (67%,
# under the 80% a long line needs).  CHROME also once on each of six other
# sites.  big.example: 40 pages with BIG, 3 of them with RARE (7.5%, under
# the 10% share).
mkdir -p "$T/in"
seed=100
for i in 1 2 3 4 5 6; do
	mkdir -p "$T/in/a.example"
	if [ $i -le 4 ]; then page $seed "$CHROME" "$WIRE"; else page $seed "$CHROME"; fi \
		>"$T/in/a.example/p$i.txt"
	seed=$((seed + 1))
done
for s in c d e f g h; do
	mkdir -p "$T/in/$s.example"
	page $seed "$CHROME" >"$T/in/$s.example/only.txt"
	seed=$((seed + 1))
done
mkdir -p "$T/in/big.example"
for i in $(seq 1 40); do
	if [ $i -le 3 ]; then page $seed "$BIG" "$RARE"; else page $seed "$BIG"; fi \
		>"$T/in/big.example/p$i.txt"
	seed=$((seed + 1))
done

# --- learning in a directory batch --------------------------------------------

run "$W" -q -o "$T/plain" "$T/in"
check "without --learn the planted line is kept (the case learning is for)" eval \
	'rc_is 0 && [ "$(count "$CHROME" "$T"/plain/a.example/*)" = 6 ]'

run "$W" -q --learn -o "$T/learned" "$T/in"
check "--learn drops a line on all 6 pages of one site" eval \
	'rc_is 0 && [ "$(count "$CHROME" "$T"/learned/a.example/*)" = 0 ]'
check "--learn keeps the same line on pages of six other sites" eval \
	'[ "$(count "$CHROME" "$T"/learned/[c-h].example/*)" = 6 ]'
check "--learn keeps a wire paragraph on 4 of a site's 6 pages (a long line needs 80%)" eval \
	'[ "$(count "$WIRE" "$T"/learned/a.example/*)" = 4 ]'
check "--learn drops a line on 40 of 40 pages and keeps one on 3 of 40 (under 10%)" eval \
	'[ "$(count "$BIG" "$T"/learned/big.example/*)" = 0 ] && [ "$(count "$RARE" "$T"/learned/big.example/*)" = 3 ]'
# learned rules are omit rules: they take their lines out and decide
# nothing else, so the output is the plain output less those lines
same=yes
for f in "$T"/plain/a.example/* "$T"/plain/big.example/*; do
	g=$T/learned/${f#"$T"/plain/}
	grep -vxF -e "$CHROME" -e "$BIG" "$f" | cat -s | cmp -s - "$g" || same=no
done
check "--learn changes no line but the learned ones" [ $same = yes ]

run "$W" --learn -o "$T/learned-msg" "$T/in"
check "--learn says what it learned on stderr (and -q silences it)" eval \
	'rc_is 0 && err_has "learned 2 rules for 8 sites from 52 documents"'

run "$W" -q --learn -j 1 -o "$T/j1" "$T/in"
r1=$rc
run "$W" -q --learn -j 4 -o "$T/j4" "$T/in"
check "--learn: -j 1 and -j 4 give identical trees" eval \
	'[ $r1 = 0 ] && rc_is 0 && diff -r "$T/j1" "$T/j4" >/dev/null && diff -r "$T/j1" "$T/learned" >/dev/null'

# A document cleaned in two windows (50,002 short lines: windows end by
# lines too) counts each line once: a line in both of its windows and
# in one other document is on 2 of 3, not 3, and is not learned (a
# document under a quarter of a window in bytes was taken to be one
# window, its keys not told apart from the earlier window's)
mkdir -p "$T/win/w.example"
NEWS="Sign up for the Ledger newsletter and never miss a story from the valley."
awk -v l="$NEWS" 'BEGIN { print l; for (i = 0; i < 50000; i++) printf "%x\n", i; print l }' \
	>"$T/win/w.example/a.txt"
printf '%s\n\n%s\n' "$NEWS" "The council met on Monday to talk about the bridge and the road." \
	>"$T/win/w.example/b.txt"
echo "The mayor spoke to the press about the plan for the new school." >"$T/win/w.example/c.txt"
run "$W" learn -q "$T/win"
check "a line in both windows of one document counts once" eval \
	'rc_is 0 && ! grep -q "^omit" "$T/out"'
echo "$NEWS" >>"$T/win/w.example/c.txt"
run "$W" learn -q "$T/win"
check "and is learned once a third document holds it" eval \
	'rc_is 0 && grep -qx "omit exact sign up for the ledger newsletter and never miss a story from the valley" "$T/out"'
rm -rf "$T/win"

# --- winnow learn -----------------------------------------------------------------

run "$W" learn -q "$T/in"
cp "$T/out" "$T/site.rules"
check "winnow learn writes a rules file with site lines and counts" eval \
	'rc_is 0 && grep -qx "site a.example" "$T/site.rules" && grep -qx "# 6 of 6" "$T/site.rules" && \
	 grep -qx "omit exact the herald ledger is an independent newsroom serving marlow county" "$T/site.rules"'

run "$W" -q --rules "$T/site.rules" -o "$T/replay" "$T/in"
check "winnow learn, then --rules: the same bytes as --learn" eval \
	'rc_is 0 && diff -r "$T/replay" "$T/learned" >/dev/null'

f=$T/in/a.example/p1.txt
run "$W" --rules "$T/site.rules" --site a.example "$f"
check "streaming with --site applies the site's rules" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/learned/a.example/p1.txt"'
run "$W" --rules "$T/site.rules" --site WWW.A.Example. "$f"
check "site names are normalized (case, www., final dot)" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/learned/a.example/p1.txt"'
run "$W" --rules "$T/site.rules" "$f"
check "without a site, a site's rules do not apply" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/plain/a.example/p1.txt"'

mkdir -p "$T/rev/z" "$T/rev/y"
cp -r "$T/in/a.example" "$T/rev/z/"
cp -r "$T/in/c.example" "$T/rev/y/"
run "$W" learn -q "$T/rev/z" "$T/rev/y"
cp "$T/out" "$T/zy.rules"
run "$W" learn -q "$T/rev/y" "$T/rev/z"
check "winnow learn: the order of the inputs does not matter" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/zy.rules"'

# --- counts: shard, merge, rules -----------------------------------------------------

mkdir -p "$T/s1" "$T/s2"
for d in "$T"/in/*/; do
	site=$(basename "$d")
	mkdir -p "$T/s1/$site" "$T/s2/$site"
	k=0
	for f in "$d"*; do
		k=$((k + 1))
		if [ $((k % 2)) = 0 ]; then cp "$f" "$T/s1/$site/"; else cp "$f" "$T/s2/$site/"; fi
	done
done
"$W" learn -q --counts "$T/s1" >"$T/s1.counts" 2>"$T/err"; r1=$?
"$W" learn -q --counts "$T/s2" >"$T/s2.counts" 2>>"$T/err"; r2=$?
run "$W" learn -q --from-counts "$T/s1.counts" "$T/s2.counts"
check "counts of two shards, merged: the rules of the whole" eval \
	'[ $r1 = 0 ] && [ $r2 = 0 ] && rc_is 0 && cmp -s "$T/out" "$T/site.rules"'
"$W" learn -q --counts --from-counts "$T/s2.counts" "$T/s1.counts" >"$T/m.counts" 2>"$T/err"
"$W" learn -q --counts "$T/in" >"$T/all.counts" 2>>"$T/err"
check "merged counts equal the counts of the whole, in either order" \
	cmp -s "$T/m.counts" "$T/all.counts"

# a counts file cut short (a copy cut off, a full disk), at a line's end
# or inside one: its end line is missing
head -n 5 "$T/all.counts" >"$T/cut1.counts"
run "$W" learn --from-counts "$T/cut1.counts"
check "a counts file cut at a line's end: exit 2, said" eval \
	'rc_is 2 && err_has "cut1.counts" && err_has "cut short" && [ ! -s "$T/out" ]'
head -c 100 "$T/all.counts" >"$T/cut2.counts"
run "$W" learn --from-counts "$T/cut2.counts"
check "a counts file cut inside a line: exit 2, said" eval 'rc_is 2 && err_has "cut short"'
printf 'winnow-counts 1\nsite 3 x.example\n1 ok\nnot a count\n' >"$T/bad.counts"
run "$W" learn --from-counts "$T/bad.counts"
check "a malformed counts file: exit 2, file:line" eval \
	'rc_is 2 && err_has "bad.counts:4:" && [ ! -s "$T/out" ]'
printf 'winnow-counts 1\nsite 2 x.example\n5 a line on five of two pages\n' >"$T/bad2.counts"
run "$W" learn --from-counts "$T/bad2.counts"
check "counts that contradict their site line: exit 2, file:line" eval \
	'rc_is 2 && err_has "bad2.counts:3: a line counted in more documents" && [ ! -s "$T/out" ]'

# --- memory cap: a deterministic sample of the sites ------------------------------

# 300 sites of 4 documents, each line unique but one: more than 1 MiB of
# counts, so --learn-memory 1 keeps a sample of the sites.
python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
with open(t + "/many.jsonl", "w") as f, open(t + "/many.rev.jsonl", "w") as r:
    recs = []
    for s in range(300):
        for d in range(4):
            lines = ["Site %d footer: all rights reserved" % s]
            lines += ["Paragraph %d of page %d of site %d, written to fill the table with unique text %s" % (k, d, s, "x" * 40) for k in range(12)]
            recs.append(json.dumps({"url": "https://s%d.example/p%d" % (s, d), "text": "\n".join(lines)}))
    f.write("\n".join(recs) + "\n")
    r.write("\n".join(reversed(recs)) + "\n")
EOF
run "$W" learn --jsonl --learn-memory 1 "$T/many.jsonl"
cp "$T/out" "$T/many.rules"
check "over --learn-memory: a sample of the sites, said in the rules and on stderr" eval \
	'rc_is 0 && grep -q "^# only 1 site in [0-9]* is counted" "$T/many.rules" && err_has "did not fit --learn-memory"'
run "$W" learn -q --jsonl --learn-memory 1 "$T/many.rev.jsonl"
check "the sample does not depend on the input order" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/many.rules"'
head -n 600 "$T/many.jsonl" >"$T/m1.jsonl"
tail -n +601 "$T/many.jsonl" >"$T/m2.jsonl"
"$W" learn -q --jsonl --learn-memory 1 --counts "$T/m1.jsonl" >"$T/m1.counts" 2>"$T/err"
"$W" learn -q --jsonl --learn-memory 1 --counts "$T/m2.jsonl" >"$T/m2.counts" 2>>"$T/err"
run "$W" learn -q --learn-memory 1 --from-counts "$T/m2.counts" "$T/m1.counts"
check "the sample of merged shard counts is the sample of the whole" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/many.rules"'
run "$W" learn -q --jsonl "$T/many.jsonl"
check "with room for every site, all 300 footers are learned" eval \
	'rc_is 0 && [ "$(grep -c "^omit exact site [0-9]* footer" "$T/out")" = 300 ]'

# The same pages as files, a top directory per site, counted by 8 threads:
# a thread's fit renumbered the sites under another's document, which
# then counted into a site that was gone (a crash, nearly every run).
python3 - "$T" <<'EOF'
import json, os, sys
t = sys.argv[1]
for line in open(t + "/many.jsonl"):
    r = json.loads(line)
    site, page = r["url"].split("//")[1].split("/")
    os.makedirs("%s/tree/%s" % (t, site), exist_ok=True)
    open("%s/tree/%s/%s.txt" % (t, site, page), "w").write(r["text"] + "\n")
EOF
"$W" learn -q -j 1 --learn-memory 1 "$T/tree" >"$T/tree1.rules" 2>/dev/null
for i in 1 2 3 4 5; do
	run "$W" learn -q -j 8 --learn-memory 1 "$T/tree"
	check "a directory over --learn-memory in 8 threads (run $i): the rules of one thread" eval \
		'rc_is 0 && [ -s "$T/tree1.rules" ] && cmp -s "$T/out" "$T/tree1.rules"'
done

# --- JSONL and WET streams -------------------------------------------------------------

python3 - "$T" <<'EOF'
import json, os, sys
t = sys.argv[1]
recs = []
for site in sorted(os.listdir(t + "/in")):
    for name in sorted(os.listdir(t + "/in/" + site)):
        text = open(t + "/in/%s/%s" % (site, name), encoding="utf-8").read()
        recs.append({"id": site + "/" + name, "link": "https://www.%s/%s" % (site, name), "text": text})
with open(t + "/in.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
with open(t + "/in.rev.jsonl", "w") as f:
    for r in reversed(recs):
        f.write(json.dumps(r) + "\n")
with open(t + "/in.wet", "wb") as f:
    for i, r in enumerate(recs):
        body = r["text"].encode()
        f.write(b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:x:%d>\r\n"
                b"WARC-Target-URI: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                % (i, r["link"].encode(), len(body)) + body + b"\r\n\r\n")
EOF
run "$W" learn -q --jsonl --url-key link "$T/in.jsonl"
check "JSONL: the host of --url-key's URL is the site (same rules as the tree)" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/site.rules"'
run "$W" learn -q --jsonl --url-key link "$T/in.rev.jsonl"
check "JSONL: the order of the records does not matter" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/site.rules"'
run "$W" learn -q --jsonl --url-key link - <"$T/in.jsonl"
check "winnow learn reads standard input" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/site.rules"'
run "$W" learn -q --jsonl "$T/in.jsonl"
check "JSONL without the URL field: one group for the batch" eval \
	'rc_is 0 && grep -qx "site -" "$T/out" && ! grep -q "^site a" "$T/out"'

run "$W" -q --learn --jsonl --url-key link "$T/in.jsonl"
sort "$T/out" >"$T/l1"
run "$W" -q --learn --jsonl --url-key link "$T/in.rev.jsonl"
sort "$T/out" >"$T/l2"
check "--learn over JSONL: the same records whatever their order" eval \
	'rc_is 0 && cmp -s "$T/l1" "$T/l2" && [ "$(grep -c "Marlow County" "$T/l1")" = 6 ]'
run "$W" -q --rules "$T/site.rules" --jsonl --url-key link "$T/in.jsonl"
sort "$T/out" >"$T/l3"
check "--rules over JSONL: the same records as --learn" \
	cmp -s "$T/l1" "$T/l3"

run "$W" learn -q "$T/in.wet"
check "WET: the host of WARC-Target-URI is the site" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/site.rules"'
run "$W" -q --learn "$T/in.wet"
check "--learn over WET drops the site's line" eval \
	'rc_is 0 && [ "$(grep -c "Marlow County" "$T/out")" = 6 ]'

run "$W" --learn <"$T/in.jsonl"
check "--learn refuses standard input (it reads twice): exit 2" eval 'rc_is 2 && err_has "winnow learn"'
# so does it a named pipe, whose counting pass would drain it (the output
# was empty, exit 0)
mkfifo "$T/fifo"
(cat "$T/in.jsonl" >"$T/fifo" &) 2>/dev/null
run "$W" --learn --jsonl "$T/fifo"
check "--learn refuses a named pipe (it reads twice): exit 2, named" eval \
	'rc_is 2 && err_has "$T/fifo" && err_has "not a regular file" && [ ! -s "$T/out" ]'
cat "$T/fifo" >/dev/null 2>&1 & # the writer, if it waits still
wait 2>/dev/null
run "$W" --counts "$f"
check "--counts outside winnow learn: exit 2" rc_is 2

# --- the site language --------------------------------------------------------------

printf 'drop exact x\nsite\n' >"$T/bad1.rules"
run "$W" --rules "$T/bad1.rules" "$f"
check "'site' without a name: exit 2, file:line" eval \
	'rc_is 2 && err_has "bad1.rules:2: missing site name"'
printf '# two words\nsite a.example b.example\n' >"$T/bad2.rules"
run "$W" --rules "$T/bad2.rules" "$f"
check "'site' with two names: exit 2, file:line" eval \
	'rc_is 2 && err_has "bad2.rules:2: a site name is one word"'
long=$(printf '%0300d' 0)
printf 'site %s\ndrop exact x\n' "$long" >"$T/bad3.rules"
run "$W" --rules "$T/bad3.rules" "$f"
check "a site name over 255 bytes: exit 2, file:line" eval \
	'rc_is 2 && err_has "bad3.rules:1: bad site name"'
printf 'site a.example\ndrop exact the herald ledger is an independent newsroom serving marlow county\nsite *\ndrop exact %s\n' \
	"$(printf '%s' "$RARE" | tr 'A-Z' 'a-z' | tr -d .)" >"$T/scoped.rules"
run "$W" --rules "$T/scoped.rules" --site a.example "$f"
check "'site *' ends a site's scope" eval \
	'rc_is 0 && ! grep -qF "$CHROME" "$T/out"'
run "$W" --rules "$T/scoped.rules" --site big.example "$T/in/big.example/p1.txt"
check "rules after 'site *' apply to every site" eval \
	'rc_is 0 && ! grep -qF "$RARE" "$T/out" && grep -qF "$BIG" "$T/out"'
printf 'site -\ndrop exact the herald ledger is an independent newsroom serving marlow county\n' >"$T/none.rules"
run "$W" --rules "$T/none.rules" <"$f"
r1=$rc
cp "$T/out" "$T/none.out"
run "$W" --rules "$T/none.rules" --site a.example <"$f"
check "'site -' applies to documents without a site only" eval \
	'[ $r1 = 0 ] && ! grep -qF "$CHROME" "$T/none.out" && grep -qF "$CHROME" "$T/out"'

# --- --stats ---------------------------------------------------------------------------

mkdir -p "$T/st/x"
cp "$T"/in/a.example/p*.txt "$T/st/x/"
printf 'bin\000ary' >"$T/st/x/zz.bin"
run "$W" -q --learn -j 1 --stats "$T/s1.json" -o "$T/stout1" "$T/st"
r1=$rc
run "$W" -q --learn -j 4 --stats "$T/s4.json" -o "$T/stout4" "$T/st"
check "--stats: same JSON for -j 1 and -j 4, exit 1 for the binary file" eval \
	'[ $r1 = 1 ] && rc_is 1 && cmp -s "$T/s1.json" "$T/s4.json"'
if python3 - "$T/s1.json" "$T/stout1" "$T/st" <<'EOF'
import json, os, sys
s = json.load(open(sys.argv[1]))
out = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[2]) for f in fs)
inp = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[3]) for f in fs if f.endswith(".txt"))
b = s["blocks"]
assert s["files"] == {"total": 7, "ok": 6, "failed": 1}, s["files"]
assert s["documents"] == 6
assert b["kept"]["total"] + b["dropped"]["total"] == b["total"] > 0
for k in ("kept", "dropped"):
    assert sum(b[k]["by_rule"].values()) + sum(b[k]["by_reason"].values()) == b[k]["total"], k
assert b["dropped"]["by_rule"]["(learned):9"] == 6, b["dropped"]["by_rule"]
assert s["bytes"] == {"in": inp, "out": out}, (s["bytes"], inp, out)
assert s["learned"]["rules"] == 1 and s["learned"]["sites"] == 1
assert [f["path"].endswith("zz.bin") and "binary" in f["reason"] for f in s["failures"]] == [True]
EOF
then ok "--stats is JSON whose numbers add up (files, blocks by rule and reason, bytes)"
else not_ok "--stats is JSON whose numbers add up (files, blocks by rule and reason, bytes)"
fi

printf '{"text": "a"}\nnot json\n' >"$T/bad.jsonl"
run "$W" --jsonl --stats "$T/sj.json" "$T/bad.jsonl"
check "--stats lists a malformed JSONL line with its line number" eval \
	'rc_is 1 && python3 -c "import json,sys; s=json.load(open(sys.argv[1])); f=s[\"failures\"]; assert len(f)==1 and f[0][\"line\"]==2 and s[\"documents\"]==1" "$T/sj.json"'
run "$W" --stats - "$f"
check "--stats - without -o: exit 2 (stdout carries the text)" rc_is 2
run "$W" -q --stats - -o "$T/stdo" "$T/in/a.example"
check "--stats - with -o: the JSON on standard output" eval \
	'rc_is 0 && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out"'
# the summary never replaces an input: a FILE, standard input, or a file
# inside an input DIR (refused before anything runs)
cp "$T/st/x/p1.txt" "$T/in1.txt"
sums_before=$(cksum "$T/in1.txt" "$T/st/x/p1.txt")
run "$W" --stats "$T/in1.txt" "$T/in1.txt"
check "--stats naming a FILE input: exit 2, the input kept" eval \
	'rc_is 2 && err_has "would overwrite an input" && [ "$(cksum "$T/in1.txt" "$T/st/x/p1.txt")" = "$sums_before" ]'
run sh -c '"$@" < "$0"' "$T/in1.txt" "$W" --stats "$T/in1.txt"
check "--stats naming the file on standard input: exit 2" eval 'rc_is 2 && err_has "standard input"'
run "$W" -q --stats "$T/st/x/p1.txt" -o "$T/stout5" "$T/st"
check "--stats naming a file inside an input DIR: exit 2, nothing written" eval \
	'rc_is 2 && [ ! -e "$T/stout5" ] && [ "$(cksum "$T/in1.txt" "$T/st/x/p1.txt")" = "$sums_before" ]'
run "$W" -q --stats "$T/st/x/new.json" -o "$T/stout7" "$T/st"
check "--stats naming a new file inside an input DIR: exit 2, nothing written" eval \
	'rc_is 2 && err_has "inside an input directory" && [ ! -e "$T/stout7" ] && [ ! -e "$T/st/x/new.json" ]'
# the same through a dangling symbolic link (and a link to it), which
# was taken for the place of the link: the summary was written in st/x
ln -s st/x/linked.json "$T/dangling.json"
ln -s dangling.json "$T/dangling2.json"
for link in dangling dangling2; do
	run "$W" -q --stats "$T/$link.json" -o "$T/stout8" "$T/st"
	check "--stats through $link link into an input DIR: exit 2, nothing written" eval \
		'rc_is 2 && err_has "inside an input directory" && [ ! -e "$T/stout8" ] && [ ! -e "$T/st/x/linked.json" ]'
done
rm -f "$T/dangling.json" "$T/dangling2.json"
# nor a file that is no summary (the page a user meant as the input:
# "winnow --stats page.txt" replaced it with the summary of an empty
# standard input), nor a read-only one (root could write it); a summary
# is replaced
printf 'Some article text.\n' >"$T/page.txt"
run sh -c '"$@" < /dev/null' sh "$W" --stats "$T/page.txt"
check "--stats naming a file that is no JSON summary: exit 2, the file kept" eval \
	'rc_is 2 && err_has "other than a JSON summary" && [ "$(cat "$T/page.txt")" = "Some article text." ]'
# a JSONL file starts with '{' too, and is no summary; nor is the file
# standard output is written to ("--stats out.txt page.txt > out.txt")
printf '{"text": "a record"}\n{"text": "another"}\n' >"$T/data.jsonl"
cp "$T/data.jsonl" "$T/data.before"
run sh -c '"$@" < /dev/null' sh "$W" --jsonl --stats "$T/data.jsonl"
check "--stats naming a JSONL file: exit 2, the file kept" eval \
	'rc_is 2 && err_has "other than a JSON summary" && cmp -s "$T/data.jsonl" "$T/data.before"'
sh -c '"$@" > "$0" 2>/dev/null' "$T/stdout.txt" "$W" --stats "$T/stdout.txt" "$T/page.txt"; rc=$?
check "--stats naming the file standard output goes to: exit 2, no summary in it" eval \
	'rc_is 2 && [ ! -s "$T/stdout.txt" ]'
run sh -c '"$@" < /dev/null' sh "$W" --stats "$T/sum.json"
chmod 444 "$T/sum.json"
cp "$T/sum.json" "$T/sum.json.before"
run sh -c '"$@" < "$0"' "$T/in1.txt" "$W" --stats "$T/sum.json"
check "--stats naming a read-only summary: exit 2, the file kept" eval \
	'rc_is 2 && err_has "read-only" && cmp -s "$T/sum.json" "$T/sum.json.before"'
chmod 644 "$T/sum.json"
run sh -c '"$@" < "$0"' "$T/in1.txt" "$W" --stats "$T/sum.json"
check "--stats naming an earlier summary: replaced" eval \
	'rc_is 0 && ! cmp -s "$T/sum.json" "$T/sum.json.before"'
# nor a rules file, the --files0-from list, or an output (a reviewer's
# find: each was replaced by the summary, exit 0)
echo 'drop ^Advertisement$' >"$T/own.rules"
cp "$T/own.rules" "$T/own.rules.before"
run "$W" --stats "$T/own.rules" -r "$T/own.rules" "$T/in1.txt"
check "--stats naming a rules file: exit 2, the rules kept" eval \
	'rc_is 2 && err_has "would overwrite a rules file" && cmp -s "$T/own.rules" "$T/own.rules.before"'
mkdir -p "$T/ownrules"
cp "$T/own.rules" "$T/ownrules/a.rules"
run "$W" --stats "$T/ownrules/new.json" -r "$T/ownrules" "$T/in1.txt"
check "--stats inside a rules directory: exit 2, nothing made there" eval \
	'rc_is 2 && err_has "inside a rules directory" && [ ! -e "$T/ownrules/new.json" ]'
printf '%s\0' "$T/in1.txt" >"$T/list0"
cp "$T/list0" "$T/list0.before"
run "$W" --stats "$T/list0" --files0-from "$T/list0"
check "--stats naming the --files0-from list: exit 2, the list kept" eval \
	'rc_is 2 && err_has "files0-from list" && cmp -s "$T/list0" "$T/list0.before"'
run "$W" -q --stats "$T/stout8/st.json" -o "$T/stout8" "$T/st"
check "--stats inside OUTDIR: exit 2, refused before the batch (no OUTDIR made)" eval \
	'rc_is 2 && err_has "among the outputs" && [ ! -e "$T/stout8" ]'
run "$W" -q -o "$T/stout9" "$T/st"
cp "$T/stout9/x/p1.txt" "$T/out9.before"
run "$W" -q --stats "$T/stout9/x/p1.txt" -o "$T/stout9" "$T/st"
check "--stats naming an output of the batch: exit 2, the output kept" eval \
	'rc_is 2 && err_has "among the outputs" && cmp -s "$T/stout9/x/p1.txt" "$T/out9.before"'
# the summary is written beside itself and renamed: a write that fails
# (a file-size limit, as a full disk) keeps the one before, and no
# temporary file
echo '{"blocks": {}, "old": 1}' >"$T/keep.json"
run sh -c 'ulimit -f 1; exec "$@" >/dev/null' sh "$W" --stats "$T/keep.json" "$f" \
	$(i=0; while [ $i -lt 60 ]; do echo "$T/missing-file-with-a-long-name-$i.txt"; i=$((i + 1)); done)
check "--stats that cannot be written whole: exit 2, the old summary kept, no temporary file" eval \
	'rc_is 2 && ! err_has "other than a JSON summary" && [ "$(cat "$T/keep.json")" = "{\"blocks\": {}, \"old\": 1}" ] &&
	 [ -z "$(find "$T" -maxdepth 1 -name ".keep.json.winnow-*")" ]'
# the summary it replaces keeps its mode
echo '{"blocks": {}, "old": 1}' >"$T/mode.json"
chmod 600 "$T/mode.json"
run "$W" --stats "$T/mode.json" "$f"
check "--stats over an older summary: its mode kept" eval \
	'rc_is 0 && [ "$(stat -c %a "$T/mode.json")" = 600 ] && ! grep -q old "$T/mode.json"'
run "$W" -q --stats "$T/no/such/dir/s.json" -o "$T/stout6" "$T/st"
check "--stats in a missing directory: exit 2 before the batch (no OUTDIR made)" eval \
	'rc_is 2 && err_has "$T/no/such/dir/s.json" && [ ! -e "$T/stout6" ]'
run "$W" --stats "$T" "$f"
check "--stats naming a directory: exit 2, named" eval 'rc_is 2 && err_has "Is a directory"'
run "$W" --stats /dev/full "$f"
check "--stats to a full disk: exit 2" rc_is 2

# --- a huge document: read in the windows cleaning uses -----------------------------

# 40 articles and 800 short lines over and over to 9 MB, then a line of
# its own: counted as
# one document, each distinct line once, the last window's line too; the
# same counts as the 40 articles and that line once (the count pass once
# read a document whole: 306 MB for 60 MB of text)
: >"$T/one40.txt"
i=0
while [ "$i" -lt 40 ]; do
	page "big$i" >>"$T/one40.txt"
	awk -v i="$i" 'BEGIN { for (j = 0; j < 20; j++) printf "Note %d of list %d.\n", j, i }' >>"$T/one40.txt"
	i=$((i + 1))
done
: >"$T/huge.txt"
while [ "$(wc -c <"$T/huge.txt")" -lt 9000000 ]; do cat "$T/one40.txt" >>"$T/huge.txt"; done
printf '\nThe very last line of this long file.\n' | tee -a "$T/huge.txt" >>"$T/one40.txt"
run "$W" learn -q --counts "$T/huge.txt"
cp "$T/out" "$T/huge.counts"
run "$W" learn -q --counts "$T/one40.txt"
check "learning a 9 MB text in windows: one document, each line once, as its lines once" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/huge.counts" && grep -q "^documents 1$" "$T/out" &&
	 grep -q "^1 the very last line of this long file$" "$T/out" && [ "$(grep -c "^1 note" "$T/out")" = 800 ]'

# --- the progress line ----------------------------------------------------------------

run "$W" -o "$T/prog" "$T/in"
check "no progress line when stderr is not a terminal" eval 'rc_is 0 && [ ! -s "$T/err" ]'
if command -v script >/dev/null 2>&1; then
	script -qec "'$W' -o '$T/prog2' '$T/in'" /dev/null >"$T/tty" 2>&1
	check "on a terminal: a progress line, cleared at the end" eval \
		'grep -q "cleaning [0-9]*/52 files" "$T/tty" && [ "$(tail -c 4 "$T/tty" | od -An -c | tr -d " ")" = "\r033[K" ]'
	# a message while the line is up starts on a cleared line (it used to
	# follow "ETA 0:01" on the same row)
	mkdir -p "$T/progbad"
	cp "$T"/in/*/* "$T/progbad/" 2>/dev/null
	printf 'binary\000data\n' >"$T/progbad/nul.bin"
	script -qec "'$W' -j 1 -o '$T/prog4' '$T/progbad'" /dev/null >"$T/tty" 2>&1
	check "on a terminal: a message clears the progress line first" eval \
		'grep -q "cleaning [0-9]*/[0-9]* files" "$T/tty" &&
		 [ "$(grep -c "winnow: .*nul.bin" "$T/tty")" = 1 ] &&
		 [ "$(tr "\r" "\n" <"$T/tty" | grep -c "^.\[Kwinnow: .*nul.bin")" = 1 ]'
	script -qec "'$W' -q -o '$T/prog3' '$T/in'" /dev/null >"$T/tty" 2>&1
	check "--quiet: no progress line on a terminal" eval '! grep -q "files" "$T/tty"'
else
	skip "progress line on a terminal" "no script(1)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
