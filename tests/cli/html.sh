#!/bin/sh
# HTML input: detection, what never reaches the output, inline spacing,
# --explain paths, --no-title, charsets, and hostile pages (deep nesting,
# a million attributes, unterminated markup, a 50 MB page, a page
# cleaned in windows).  Prints
# "ok N - name" / "not ok N - name", then "N passed, M failed".
# usage: html.sh WINNOW FIXTURES
set -u
W=$1 FIX=$2
case $W in /*) ;; *) W=$(pwd)/$W ;; esac
SUITE=html; . "$(dirname "$0")/lib.sh"
# a paragraph the classifier keeps on any page: long, plain sentences
para() {
	echo "<p>The committee met again on Monday to discuss the $1 plan, and after a long debate its members agreed that the work should begin before the end of the summer, when the weather is usually at its best.</p>"
}

# --- detection ---------------------------------------------------------
{ echo '<!DOCTYPE html><html><body><article>'; para first; para second; echo '</article></body></html>'; } > "$T/page.html"
run "$W" "$T/page.html"
check "auto: a page with a doctype is read as HTML" eval 'rc_is 0 && out_lacks "<p>" && out_has "the first plan"'
run "$W" --input text --explain "$T/page.html"
check "--input text reads the markup as text lines" out_has "	<p>The committee met again on Monday to discuss the first plan"

# a hidden element's text is a structural drop, even when a text rule
# that loads before html.rules (en.rules) makes the same line an aside
{ echo '<!DOCTYPE html><html><body><article>'; para first
  echo '<div aria-hidden="true">Advertisement</div>'; para second; echo '</article></body></html>'; } > "$T/hidden_ad.html"
run "$W" --explain "$T/hidden_ad.html"
check "a hidden ad label: html.rules's drop wins over en.rules's aside" eval \
	'rc_is 0 && grep -q "rules/html.rules:[0-9]*	[^	]*	Advertisement\$" "$T/out"'
for f in "$FIX"/*.txt; do
	case $f in *.expected.txt) continue ;; esac
	"$W" "$f" > "$T/auto" 2>/dev/null
	"$W" --input text "$f" > "$T/text" 2>/dev/null
	check "auto: scraped text stays text (${f##*/})" cmp -s "$T/auto" "$T/text"
done
{ echo '<div class="story">'; para fragment; para other; echo '</div>'; } > "$T/frag.html"
run "$W" "$T/frag.html"
check "auto: a fragment of dense markup is HTML" eval 'out_lacks "<div" && out_has "the fragment plan"'
# '<' in text is not a tag unless a name and a '>' follow (a reviewer's
# find: three "a<b" read as HTML, and everything after the first '<' was
# lost); nor is a mail address in angle brackets
printf '%s\n' 'If a<b and b<c then a<c, as any student of the first course in logic will tell you after the lesson.' \
	'Contact: Ann Lee <ann@example.com>, Bob Ray <bob@example.com>, Cy Ng <cy@example.com>' >"$T/lt.txt"
run "$W" --explain "$T/lt.txt"
check "auto: 'a<b' and <name@host> in text keep it text" eval \
	'rc_is 0 && out_has "If a<b and b<c then a<c" && out_has "<ann@example.com>"'
printf '{"text":"%s"}\n' 'The rule is simple: if a<b and b<c then a<c, as any student knows from the first lesson of the course.' >"$T/lt.jsonl"
run "$W" --jsonl "$T/lt.jsonl"
check "auto: a JSONL record with 'a<b' stays text" out_has 'then a<c, as any student'
# as documented: a text that starts with a comment, or with a tag and an
# end tag soon after, is a page; --input text keeps its lines
printf '<!-- scraped -->\nCouncil approves budget\nThe city council voted on Tuesday.\n' >"$T/cmt.txt"
run "$W" --no-default-rules --explain "$T/cmt.txt"
check "auto: a text that starts with <!-- is read as a page" eval '[ "$(wc -l <"$T/out")" = 1 ] && out_has "html>body"'
run "$W" --no-default-rules --explain --input text "$T/cmt.txt"
check "--input text keeps its lines" eval '[ "$(wc -l <"$T/out")" = 3 ]'
run "$W" --input xml "$T/page.html"
check "--input with a bad kind is a usage error" eval 'rc_is 2 && grep -q "invalid --input" "$T/err"'

# --- what never reaches the output ----------------------------------------
{
	echo '<html><head><title>T</title><style>p { color: red } .secret-style { }</style>'
	echo '<script>var secretScript = "The committee met again on Monday to discuss the script plan.";</script></head><body>'
	para visible
	echo '<noscript><p>The committee met again on Monday to discuss the noscript plan, and agreed on everything.</p></noscript>'
	echo '<template><p>The committee met again on Monday to discuss the template plan, and agreed on everything.</p></template>'
	echo '<svg><text>The committee met again on Monday to discuss the svg plan, and agreed.</text></svg>'
	echo '<iframe>The committee met again on Monday to discuss the iframe plan.</iframe>'
	echo '<div style="display: none"><p>The committee met again on Monday to discuss the invisible plan, and agreed.</p></div>'
	para second
	echo '</body></html>'
} > "$T/skip.html"
run "$W" --explain "$T/skip.html"
check "script, style, noscript, template, svg, iframe never become blocks" \
	eval 'out_lacks secretScript && out_lacks secret-style && out_lacks "noscript plan" && out_lacks "template plan" && out_lacks "svg plan" && out_lacks "iframe plan" && out_has "visible plan"'
run "$W" "$T/skip.html"
check "display:none elements are dropped" eval 'out_lacks "invisible plan" && out_has "second plan"'
# noembed's text is never shown; dialog (unknown to Debian's Gumbo) is a
# block of its own; a skipped form control leaves a space between the
# words around it (a reviewer's finds: "Intro textCookie notice", "Call
# ustoday")
printf '<html><body><div>Intro text<dialog open>Cookie notice</dialog>Outro text</div><noembed>NOEMBED TEXT</noembed><p>Call us<button>now</button>today or pick<select><option>USD</option></select>here</p></body></html>' >"$T/boxes.html"
run "$W" --no-default-rules --explain "$T/boxes.html"
check "noembed never shown, dialog a block, a control a space" eval \
	'out_lacks NOEMBED && grep -q "dialog	Cookie notice$" "$T/out" && grep -q "	Intro text$" "$T/out" &&
	 grep -q "	Call us today or pick here$" "$T/out"'
# so do an image and an input field ("tapthe map"; a reviewer's find)
printf '<html><body><p>Enter your postcode<input type="text">to find your stop, or tap<img src="m.png" alt="map">the map.</p></body></html>' >"$T/boxes2.html"
run "$W" --no-default-rules --explain "$T/boxes2.html"
check "an <img> and an <input> are a space between words" \
	grep -q "	Enter your postcode to find your stop, or tap the map\.$" "$T/out"
# ruby: the base text is the text, its readings (<rt>, <rp>) are not
{
	echo '<html><body><article><h1>Rain in Tokyo</h1>'
	echo '<p><ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>では<ruby>大雨<rt>おおあめ</rt></ruby>が続き、交通機関に大きな影響が出ています。気象庁によりますと、雨は明日の朝まで続く見込みです。</p>'
	para ruby
	echo '</article></body></html>'
} > "$T/ruby.html"
run "$W" --explain "$T/ruby.html"
check "ruby readings (rt, rp) are left out of the text" \
	eval 'out_has "東京では大雨が続き" && out_lacks "とうきょう" && out_lacks "おおあめ"'
# a line break of the source between Chinese or Japanese characters is
# no space (browsers join them); between Latin words, or a Latin word and
# a Han one, it is a space
{
	echo '<html><body><article><h1>Rain in Tokyo</h1><p>東京では大雨が続き、'
	echo '交通機関に大きな影響が出ています。'
	echo '気象庁によりますと、雨は明日の朝まで続く見込みです。The English'
	echo 'words stay apart, and a 東京'
	echo 'word too.</p>'
	printf '<p>A no-break space stays: 東京&nbsp;\n大阪, and a line separator is a space: 東京\342\200\250大阪.</p>\n'
	printf '<pre>first\342\200\250second</pre>\n'
	para joined
	echo '</article></body></html>'
} > "$T/cjknl.html"
run "$W" --explain "$T/cjknl.html"
check "a source line break between CJK characters joins them" \
	eval 'out_has "続き、交通機関に大きな影響が出ています。気象庁" && out_has "The English words stay apart, and a 東京 word too." && out_has "東京 大阪, and a line separator is a space: 東京 大阪." && out_has "	first" && out_has "	second"'
# a <noscript> in <head>: Gumbo (scripting off) moves its <div> into
# <body>; winnow reads noscript as a browser that runs scripts does
{
	echo '<html><head><title>T</title><noscript><div>The committee met again on Monday to discuss the headnoscript plan, and agreed that JavaScript must be on.</div></noscript>'
	echo '<noscript>The committee met again on Monday to discuss the bare plan, and you need to enable JavaScript to run this app.</noscript></head><body>'
	para visible; para second
	echo '</body></html>'
} > "$T/headns.html"
run "$W" --explain "$T/headns.html"
check "a noscript in head never becomes a block (its div or its text)" \
	eval 'rc_is 0 && out_lacks "headnoscript plan" && out_lacks "bare plan" && out_has "visible plan"'

# --- what Gumbo is spared (html.c, bound_page) -----------------------------
# Attributes nothing reads and script/style bodies are cut before parsing:
# markup-like text inside them must not surface, and what rules read must
# still be there after them.
{
	echo '<html><body><article>'
	echo '<p data-x="<p>The committee met again on Monday to discuss the quoted plan.</p>" title='"'"'a > b'"'"'>The committee met again on Monday to discuss the first plan, and after a long debate its members agreed that the work should begin before the end of the summer, when the weather is usually at its best.</p>'
	echo '<div data-a="x>y" onclick=go() style="display:none"><p>The committee met again on Monday to discuss the hidden plan, and agreed on it.</p></div>'
	echo '<div data-secret="1" href="/a">'; para secret; echo '</div>'
	para fourth
	echo '<div style="color: red; DISPLAY : None"><p>The committee met again on Monday to discuss the shouted plan, and agreed on it.</p></div>'
	echo '<div style="display&#58;none"><p>The committee met again on Monday to discuss the entity plan, and agreed on it.</p></div>'
	echo '<script>var a = "<!--"; document.write("<p>The committee met again on Monday to discuss the escaped plan.</p>");</script>'
	echo '<style>p:after { content: "<p>The committee met again on Monday to discuss the styled plan.</p>" }</style>'
	para second
	para third
	echo '</article>'
	echo '<script>var s = "<p>The committee met again on Monday to discuss the unterminated plan, and agreed.</p>";'
} > "$T/spared.html"
printf 'drop attr data-secret\n' > "$T/secret.rules"
run "$W" --rules "$T/secret.rules" --explain "$T/spared.html"
check "cut attributes and script bodies: their markup never surfaces" \
	eval 'rc_is 0 && out_has "the first plan" && out_has "the second plan" && out_lacks "quoted plan" && out_lacks "escaped plan" && out_lacks "styled plan" && out_lacks "unterminated plan"'
run "$W" --rules "$T/secret.rules" "$T/spared.html"
check "attributes rules read survive the cut (style, a user's attr rule)" \
	eval 'out_lacks "hidden plan" && out_lacks "secret plan" && out_lacks "shouted plan" && out_lacks "entity plan"'
run "$W" "$T/spared.html"
check "without the rule, the element of the attr rule is text again" out_has "the secret plan"

# what is cut keeps its line breaks: --explain still names source lines
{
	echo '<html><head><script>'
	echo 'var a = 1;'
	echo '</script><style>'
	echo 'p { }'
	echo '</style></head><body>'
	echo '<!-- a comment'
	echo 'over two lines -->'
	echo '<div data-long="one'
	echo 'two" class="story">'
	echo '      '
	echo '    <p>'
	echo 'The committee met again on Monday to discuss the counted-line plan, and after a long debate its members agreed that the work should begin before the end of the summer, when the weather is usually at its best.</p></div>'
	echo '</body></html>'
} > "$T/lines.html"
run "$W" --explain "$T/lines.html"
check "cut bodies and attributes keep the page's line numbers (the text's line, not its tag's)" \
	eval 'grep -q "^12	keep	.*counted-line plan" "$T/out"'
# the line of a block is its first word's, past blank lines and <br>, and
# each line of a <pre> has its own
{
	echo '<html><body><article>'
	echo '<p>'; echo; echo
	echo 'The committee met again on Monday to discuss the late plan, and after a long debate its members agreed that the work should begin before the end of the summer.</p>'
	echo '<p>The committee met again on Monday to discuss the broken plan, and agreed.<br>'
	echo 'The committee met again on Monday to discuss the next plan, and after a long debate its members agreed on it.</p>'
	echo '<pre>first pre line'; echo; echo 'third pre line</pre>'
	echo '</article></body></html>'
} > "$T/lines2.html"
run "$W" --explain "$T/lines2.html"
check "--explain LINE: past blank lines, after <br>, each line of a pre" \
	eval 'grep -q "^5	.*late plan" "$T/out" && grep -q "^7	.*next plan" "$T/out" &&
	      grep -q "^8	.*first pre line" "$T/out" && grep -q "^10	.*third pre line" "$T/out"'

# --- inline text ---------------------------------------------------------
{
	echo '<html><body><article>'
	echo '<p>The  council <b>agreed</b>, on <a href="/x">Monday</a>&nbsp;night, that the new <i>bridge</i>&mdash;long delayed&mdash;would open in May &amp; June, at a cost of &pound;4&#46;2 million to the town and its residents.</p>'
	echo '<p>Its members said<br>that the work<br>would start soon, and that the roads around the old market would be closed for several weeks while it lasted.</p>'
	para third
	echo '</article></body></html>'
} > "$T/inline.html"
run "$W" "$T/inline.html"
check "inline elements join with the page's own spacing, entities decoded" \
	out_has "The council agreed, on Monday night, that the new bridge—long delayed—would open in May & June, at a cost of £4.2 million"
check "<br> ends a line" eval 'out_has "Its members said" && ! grep -q "said that the work" "$T/out"'
# an inline element a drop rule matches is left out of its line, which
# goes on (as a block of its own it cut the headline and the sentence)
{
	echo '<html><body><article>'
	echo '<h1>City council approves <i class="icon" aria-hidden="true"></i>new transport budget</h1>'
	echo '<p>Read the full council report <i class="fa fa-link" aria-hidden="true"></i> on the city website before the next public meeting in March, officials said on Tuesday.</p>'
	echo '<p>Tickets cost <span style="display:none">(old price)</span> two euros for adults and one euro for children under twelve years of age.</p>'
	para hidden
	echo '</article></body></html>'
} > "$T/inlinedrop.html"
run "$W" --explain "$T/inlinedrop.html"
check "an inline hidden element does not split its line" eval \
	'out_has "	City council approves new transport budget" && out_has "	Read the full council report on the city website before" && out_has "	Tickets cost two euros for adults" && out_lacks "old price"'
run "$W" --no-title "$T/inlinedrop.html"
check "--no-title drops the whole headline around an inline hidden element" eval \
	'rc_is 0 && out_lacks "transport budget" && out_has "Tickets cost two euros"'

# --- tables and lists ------------------------------------------------------
{
	echo '<html><body><article>'; para table
	echo '<table><tr><th>Town</th><th>Votes</th></tr><tr><td>Ashby</td><td>1,204</td></tr></table>'
	echo '<ul><li>The first point of the plan is to repair the bridge before the winter storms.</li><li>The second point is to widen the road.</li></ul>'
	echo '</article></body></html>'
} > "$T/table.html"
run "$W" --explain "$T/table.html"
check "a data table row is one line, its cells separated by |" out_has "Ashby | 1,204"
check "each list item is a block of its own" eval 'out_has "	The second point is to widen the road." && out_lacks "storms. The second"'

# --- --explain and --no-title ---------------------------------------------
{ echo '<html><body><nav><a href="/">Home</a> <a href="/n">News</a></nav><article><h1>Bridge to open in May</h1>'; para a; para b; echo '</article></body></html>'; } > "$T/title.html"
run "$W" --explain "$T/title.html"
check "--explain prints each block's element path" grep -q "	html>body>nav>a	Home" "$T/out"

# hints: on one element hinted both ways, the class says what it is and
# the tag what such elements usually are
feat() { # feat NAME LINE-MATCH: the --features value of NAME on that block
	awk -v name="$1" -v src="$FIX/../../src/model.c" -v pat="$2" -F'\t' '
	BEGIN { while ((getline l < src) > 0) {
		if (l ~ /wn_feat1_names\[/) on = 1
		else if (on && l ~ /};/) on = 0
		else if (on) { n = split(l, a, "\""); for (k = 2; k <= n; k += 2) names[a[k]] = ++c } }
		col = names[name] + 1 }
	index($6, pat) { split($4, v, " "); print v[col]; exit }' "$T/out"
}
{ echo '<html><body><main>'; para hinted; echo '<article class="comment">'; para comment; echo '</article>'
  echo '<aside class="entry-content">'; para aside; echo '</aside></main></body></html>'; } >"$T/hints.html"
run "$W" --input html --explain --features "$T/hints.html"
check "<article class=comment>: chrome by its class, not content by its tag" eval \
	'[ "$(feat chrome_cls "the comment plan")" = 1 ] && [ "$(feat content_hint "the comment plan")" = 1 ] &&
	 [ "$(feat chrome_cls "the hinted plan")" = 0 ]'
check "<aside class=entry-content>: content by its class, not chrome by its tag" eval \
	'[ "$(feat chrome_tag "the aside plan")" = 0 ] && [ "$(feat content_hint "the aside plan")" = 1 ]'
# an embedded tweet is kept by html.rules, its author line too, even
# after the story's last paragraph and among chrome
{ echo '<html><head><meta name="viewport" content="width=device-width"></head><body><article>'; para story
  echo '<blockquote class="twitter-tweet"><p lang="en">Meth is IN SD. We are here to get it out.</p>'
  echo '&mdash; The Governor (@govnoem) <a href="https://twitter.com/x/status/1">November 18, 2019</a></blockquote>'
  echo '</article><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>'; } >"$T/tweet.html"
run "$W" --input html --explain "$T/tweet.html"
check "an embedded tweet and its author line are kept by their rule" eval \
	'grep -q "^[0-9]*	keep	rules/html.rules:[0-9]*	[^	]*twitter-tweet[^	]*	Meth is IN SD" "$T/out" &&
	 grep -q "^[0-9]*	keep	rules/html.rules:[0-9]*	[^	]*twitter-tweet	— The Governor (@govnoem)" "$T/out"'
# reader comments: a hint of their own, which a content hint inside the
# comment (schema.org's Comment text) does not undo as it undoes
# chrome_cls; markup of today (viewport, og: meta, HTML5 sectioning) is a
# page feature
{ echo '<html><head><meta name="Viewport" content="width=device-width"></head><body><div class="story">'; para story
  echo '</div><div id="comments"><div class="comment-body" itemprop="text">'; para reader
  echo '</div></div><div class="related">'; para other; echo '</div></body></html>'; } >"$T/cmts.html"
run "$W" --input html --features "$T/cmts.html"
check "a block inside a comments element has the comments feature" eval \
	'[ "$(feat comments "the reader plan")" = 1 ] && [ "$(feat content_hint "the reader plan")" = 1 ] &&
	 [ "$(feat comments "the story plan")" = 0 ] && [ "$(feat comments "the other plan")" = 0 ] &&
	 [ "$(feat chrome_cls "the other plan")" = 1 ]'
check "<meta name=viewport> makes the page modern, every block" eval \
	'[ "$(feat modern "the story plan")" = 1 ] && [ "$(feat modern "the other plan")" = 1 ]'
for head in '<meta property="og:title" content="x">' '<section>' '<FOOTER>'; do
	{ echo "<html><head>$head</head><body><div>"; para era; echo '</div></body></html>'; } >"$T/era.html"
	run "$W" --input html --features "$T/era.html"
	check "$head makes the page modern" eval '[ "$(feat modern "the era plan")" = 1 ]'
done
# the era markers are rules: a rules file adds one, and without the
# built-ins a viewport tag marks nothing
printf 'era class redesign-2024\n' > "$T/era.rules"
{ echo '<html><body><div class="page redesign-2024">'; para era; echo '</div></body></html>'; } >"$T/era.html"
run "$W" --input html --features "$T/era.html"
check "without an era rule for it, a class marks nothing" eval '[ "$(feat modern "the era plan")" = 0 ]'
run "$W" --input html --features -r "$T/era.rules" "$T/era.html"
check "an era rule from --rules marks the page modern" eval '[ "$(feat modern "the era plan")" = 1 ]'
run "$W" --input html --features --no-default-rules "$T/cmts.html"
check "--no-default-rules: no era rule, no modern page" eval '[ "$(feat modern "the story plan")" = 0 ]'
{ echo '<html><head><meta name="description" content="viewport"><meta property="fb:app_id" content="1"></head><body><div>'
  para era; echo '</div></body></html>'; } >"$T/era.html"
run "$W" --input html --features "$T/era.html"
check "a page of divs and other meta tags is not" eval '[ "$(feat modern "the era plan")" = 0 ]'
# the model reads comments by the page's era: the nav_comments fixture
# drops its comments; the same page in the markup of 2007 (no viewport,
# divs for its HTML5 elements), as on CleanEval's pages, whose gold keeps
# comments, scores them far higher (near the threshold: where it falls
# moves with each refit, 0.61 and 0.56 in the last two, against 0.08 and
# 0.07 in today's markup)
grep -v 'name="viewport"' "$FIX/html/nav_comments.html" |
	sed -E 's#<(/?)(main|article|section|nav|header|footer|aside)([ >])#<\1div\3#g' > "$T/nc2007.html"
comment_p() { "$W" --explain "$1" | grep "About time" | sed -E 's/.*\(p=([0-9.]+)\).*/\1/'; }
check "the fixture's first comment scores 0.3 higher in the markup of 2007" \
	awk -v a="$(comment_p "$T/nc2007.html")" -v b="$(comment_p "$FIX/html/nav_comments.html")" \
	'BEGIN { exit !(a != "" && b != "" && a >= b + 0.3) }'
run "$W" "$FIX/html/nav_comments.html"
check "and dropped in today's" out_lacks "About time"
# and whatever the model says: the html.rules without a model (the
# passes keep long paragraphs of plain sentences) drop a thread of them
# on a page in today's markup, and keep it on the page of 2007
HR="--no-default-rules -r $FIX/../../rules/html.rules -r $FIX/../../rules/en.rules"
thread() { # thread HEAD ARTICLE-ATTRS: a page with an article and a thread
	echo "<html><head>$1<title>Harbour plan agreed | Herald</title></head><body><main>"
	echo "<article$2><h1>Harbour plan agreed</h1>"; para article; para second
	echo '</article><section id="comments"><ol class="comment-list"><li class="comment">'
	para reader; echo '</li><li class="comment">'; para another; echo '</li></ol></section></main></body></html>'
}
thread '<meta name="viewport" content="width=device-width">' '' > "$T/thread.html"
# shellcheck disable=SC2086
run "$W" $HR --explain "$T/thread.html"
check "a thread on a page of today: dropped after the model, with its reason" eval \
	'grep -q "	drop	html: reader comments on a page of today	.*the reader plan" "$T/out" &&
	 grep -q "	keep	.*the article plan" "$T/out" && out_lacks "	keep	.*the another plan"'
thread '' '' | sed -E 's#<(/?)(main|article|section)([ >])#<\1div\3#g' > "$T/thread2007.html"
# shellcheck disable=SC2086
run "$W" $HR "$T/thread2007.html"
check "the same thread in the markup of 2007 stays for the model" eval 'out_has "the reader plan" && out_has "the article plan"'
# "has-comments" on the article's element says what it has, not what it is
thread '<meta name="viewport" content="width=device-width">' ' class="post has-comments"' > "$T/hasc.html"
# shellcheck disable=SC2086
run "$W" $HR "$T/hasc.html"
check "<article class=has-comments> with the headline: the article stays" eval 'out_has "the article plan" && out_lacks "the reader plan"'
thread '<meta name="viewport" content="width=device-width">' '' |
	sed -e 's#<main>#<main class="main has-comments">#' -e 's#<h1>Harbour plan agreed</h1>##' > "$T/hasc2.html"
# shellcheck disable=SC2086
run "$W" $HR "$T/hasc2.html"
check "<main class=has-comments> around an <article>: the article stays, the thread goes" eval \
	'out_has "the article plan" && out_lacks "the reader plan"'
thread '<meta name="viewport" content="width=device-width">' '' |
	sed -E -e 's#<main>#<div class="post has-comments">#' -e 's#</main>#</div>#' -e 's#<(/?)article>#<\1div>#g' \
	-e 's#<h1>Harbour plan agreed</h1>##' > "$T/hasc3.html"
# shellcheck disable=SC2086
run "$W" $HR --explain "$T/hasc3.html"
check "<div class=has-comments> around it all, no content element, no headline: nothing dropped as comments" eval \
	'out_has "	keep	" && ! grep -q "reader comments on a page of today" "$T/out"'
# stage 2 reads what stage 1 says of the other blocks under a block's
# element's parent and grandparent (p1_par, p1_gpar): a hand-written
# stage 1 gives paragraphs 1 and blockquotes 0
feat2() { # feat2 NAME LINE-MATCH: a stage-2 --features value
	awk -v name="$1" -v src="$FIX/../../src/model.c" -v pat="$2" -F'\t' '
	BEGIN { while ((getline l < src) > 0) {
		if (l ~ /wn_feat[12]_names\[/) { on = 1; list++ }
		else if (on && l ~ /};/) on = 0
		else if (on) { n = split(l, a, "\""); for (k = 2; k <= n; k += 2) {
			c++; if (list == 2 && a[k] == name) col = c + 1 } } } }
	index($6, pat) { split($4, v, " "); print v[col]; exit }' "$T/out"
}
near() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x != "" && x - y < 1e-6 && y - x < 1e-6) }'; }
mkdir -p "$T/grpm"
printf 'threshold 0.5\nstage 1\nbias -100\nweight k_p 200\nstage 2\nbias 0\n' > "$T/grpm/html.model"
{ echo '<html><body><div id="outer"><div id="box1">'; para A; para B
  echo '<blockquote>The committee met again on Monday to discuss the C plan, and after a long debate its members agreed that the work should begin soon.</blockquote></div><div id="box2">'
  echo '<blockquote>The committee met again on Monday to discuss the D plan, and after a long debate its members agreed that the work should begin soon.</blockquote>'
  echo '<blockquote>The committee met again on Monday to discuss the E plan, and after a long debate its members agreed that the work should begin soon.</blockquote>'
  echo '</div></div></body></html>'; } > "$T/grp.html"
run "$W" --input html --features --no-default-rules -r "$T/grpm" "$T/grp.html"
check "p1_par, p1_gpar: the mean of stage 1 over the others under the parent, the grandparent" eval \
	'near "$(feat2 p1_par "the A plan")" 0.5 && near "$(feat2 p1_gpar "the A plan")" 0.25 &&
	 near "$(feat2 p1_par "the D plan")" 0 && near "$(feat2 p1_gpar "the D plan")" 0.5'
# and over the others whose element has the same path from the root
# (p1_tpl) and how many they are (tpl_n, log1p(n) / 8): A and B are
# body>div.outer>div.box1>p, C the only blockquote in box1, D and E
# the blockquotes of box2; a rule drops B, which then counts as 0
mkdir -p "$T/grpr"
cp "$T/grpm/html.model" "$T/grpr/"
echo 'drop prefix the committee met again on monday to discuss the b plan' > "$T/grpr/t.rules"
run "$W" --input html --features --no-default-rules -r "$T/grpr" "$T/grp.html"
check "p1_tpl, tpl_n: the mean of stage 1 over the others of the same path, and their count" eval \
	'near "$(feat2 p1_tpl "the A plan")" 0 && near "$(feat2 tpl_n "the A plan")" 0.086643 &&
	 near "$(feat2 p1_tpl "the D plan")" 0 && near "$(feat2 tpl_n "the E plan")" 0.086643 &&
	 near "$(feat2 tpl_n "the C plan")" 0'
sed -e 's#<div id="box2">#<div id="box1">#' -e 's#<blockquote>\(The committee met again on Monday to discuss the E\)#<p>\1#' \
	-e 's#\(the E plan.*\)</blockquote>#\1</p>#' "$T/grp.html" > "$T/grp2.html"
run "$W" --input html --features --no-default-rules -r "$T/grpr" "$T/grp2.html"
check "p1_tpl: elements in two boxes of one id share a path" eval \
	'near "$(feat2 p1_tpl "the C plan")" 0 && near "$(feat2 tpl_n "the C plan")" 0.086643 &&
	 near "$(feat2 p1_tpl "the A plan")" 0.5 && near "$(feat2 tpl_n "the A plan")" 0.13733'
run "$W" --input text --features --no-default-rules -r "$T/grpm" "$T/grp.html"
check "p1_par, p1_gpar, p1_tpl, tpl_n are 0 in text mode" eval \
	'[ "$(feat2 p1_par "<blockquote>")" = 0 ] && [ "$(feat2 p1_gpar "<blockquote>")" = 0 ] &&
	 [ "$(feat2 p1_tpl "<blockquote>")" = 0 ] && [ "$(feat2 tpl_n "<blockquote>")" = 0 ]'
# class words: the letters of each element's class and id (3 to 24 a
# run, at most 8 an element, <html> and <body> left out), innermost
# first; a model's "class" weights make three features of them
{ echo '<html class="js no-touch"><body class="home"><div class="Story-Body" id="main">'
  echo '<ul class="teaser-list css-1x2y"><li class="a b9 item">'; para teaser; echo '</li></ul>'
  echo '<div class="p1 p2 one two three four five six seven eight nine">'; para long; echo '</div>'
  para story; echo '</div></body></html>'; } > "$T/cls.html"
classes() { awk -F'\t' -v pat="$1" 'index($6, pat) { print $5; exit }' "$T/out"; }
run "$W" --input html --features "$T/cls.html"
check "--features: the class words of a block's elements, innermost first" eval \
	'[ "$(classes "the teaser plan")" = "item,teaser list css,story body main" ] &&
	 [ "$(classes "the story plan")" = "story body main" ]'
check "--features: at most 8 class words an element" eval \
	'[ "$(classes "the long plan")" = "one two three four five six seven eight,story body main" ]'
{ echo '<html><body><div class="ab abc abcdefghijklmnopqrstuvwxy abcdefghijklmnopqrstuvwx cafÃ©-menu">'
  para runs; echo '</div><div class="one two three four five six seven" id="eight nine">'; para shared
  echo '</div>'; i=0; while [ $i -lt 40 ]; do echo "<div class=\"d$i lvl\">"; i=$((i + 1)); done
  para deep; i=0; while [ $i -lt 40 ]; do echo '</div>'; i=$((i + 1)); done; echo '</body></html>'; } > "$T/cls2.html"
run "$W" --input html --features "$T/cls2.html"
check "--features: runs of 3 to 24 letters; a digit or non-ASCII byte ends one" eval \
	'[ "$(classes "the runs plan")" = "abc abcdefghijklmnopqrstuvwx caf menu" ]'
check "--features: the class's words, then the id's, share the cap of 8" eval \
	'[ "$(classes "the shared plan")" = "one two three four five six seven eight" ]'
check "--features: a block reads 32 elements, its own among them" eval \
	'[ "$(classes "the deep plan" | tr "," "\n" | wc -l)" = 31 ]'
run "$W" --input html --features --no-default-rules "$T/cls.html"
check "class features are 0 without class weights" eval \
	'[ "$(feat cls_min "the teaser plan")" = 0 ] && [ "$(feat cls_max "the teaser plan")" = 0 ] &&
	 [ "$(feat cls_near "the teaser plan")" = 0 ]'
{ echo '<html><body><div class="share-buttons">'; para shared; echo '</div></body></html>'; } > "$T/share.html"
run "$W" --input html --features "$T/share.html"
check "the built-in html.model weighs class words: share-buttons is chrome" eval \
	'awk -v x="$(feat cls_near "the shared plan")" "BEGIN { exit !(x != \"\" && x < 0) }"'
mkdir -p "$T/clsm"
printf 'threshold 0.5\nclass teaser -2\nclass item 0.5\nclass story 1.5\nclass main 1\nclass home 9\nstage 1\nbias 0\nstage 2\nbias 0\n' \
	> "$T/clsm/html.model"
run "$W" --input html --features -r "$T/clsm" "$T/cls.html"
check "cls_min, cls_max: the lowest and highest known class weight" eval \
	'[ "$(feat cls_min "the teaser plan")" = -2 ] && [ "$(feat cls_max "the teaser plan")" = 1.5 ] &&
	 [ "$(feat cls_min "the story plan")" = 1 ] && [ "$(feat cls_max "the story plan")" = 1.5 ]'
check "cls_near: the mean of the innermost element with a known word" eval \
	'[ "$(feat cls_near "the teaser plan")" = 0.5 ] && [ "$(feat cls_near "the long plan")" = 1.25 ]'
{ echo '<html><body><div class="item" id="item main">'; para twice; echo '</div></body></html>'; } > "$T/cls3.html"
run "$W" --input html --features -r "$T/clsm" "$T/cls3.html"
check "cls_near: a word in class and id counts twice" eval \
	'[ "$(feat cls_near "the twice plan")" = 0.66667 ]'
run "$W" "$T/title.html"
check "the headline is kept by default" out_has "Bridge to open in May"
run "$W" --no-title "$T/title.html"
check "--no-title drops the headline" eval 'out_lacks "Bridge to open in May" && out_has "the a plan"'
# a headline broken with <br> is one heading, and goes whole
{ echo '<html><head><title>Bridge to open in May</title></head><body><article><h1>Bridge to open<br>in May</h1>'; para a; para b; echo '</article></body></html>'; } > "$T/title_br.html"
run "$W" "$T/title_br.html"
check "a headline broken with <br> is one line" eval 'out_has "Bridge to open in May"'
run "$W" --no-title "$T/title_br.html"
check "--no-title drops both lines of a headline broken with <br>" eval 'out_lacks "Bridge to open" && out_lacks "in May" && out_has "the a plan"'
# but a <br> in a block inside a heading still breaks lines (a poem in a
# <div> in an <h2>)
printf '<html><body><h2>Poem<div>line one of it<br>line two of it</div></h2></body></html>' > "$T/hdiv.html"
run "$W" --no-default-rules --explain "$T/hdiv.html"
check "a <br> in a div inside a heading still splits its lines" eval '[ "$(wc -l <"$T/out")" = 3 ]'

# --- charsets ---------------------------------------------------------------
printf '\377\376' > "$T/u16.html"
{ echo '<html><body><article>'; para "naïve café"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t UTF-16LE >> "$T/u16.html"
run "$W" "$T/u16.html"
check "a UTF-16 page with a BOM is decoded" out_has "the naïve café plan"
{ echo '<html><head><meta charset="iso-8859-1"></head><body><article>'; para "crème brûlée"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t ISO-8859-1 > "$T/latin1.html"
run "$W" "$T/latin1.html"
check "a latin-1 page is decoded from its meta charset" out_has "the crème brûlée plan"
# an XHTML page whose only label is its XML declaration (a reviewer's
# find: read as windows-1252, mojibake); a <meta> wins over it
{ echo '<?xml version="1.0" encoding="windows-1251"?>'; echo '<html><body><article>'; para "Совет"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t WINDOWS-1251 > "$T/xmldecl.html"
run "$W" "$T/xmldecl.html"
check "an XHTML page is decoded from its XML declaration" out_has "the Совет plan"
{ echo '<?xml version="1.0" encoding="koi8-r"?>'; echo '<html><head><meta charset="iso-8859-1"></head><body><article>'; para "crème brûlée"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t ISO-8859-1 > "$T/xmlmeta.html"
run "$W" "$T/xmlmeta.html"
check "a <meta> charset wins over the XML declaration" out_has "the crème brûlée plan"
{ printf '\357\273\277'; cat "$T/page.html"; } > "$T/bom8.html"
run "$W" "$T/bom8.html"
check "a page after a UTF-8 BOM keeps its text" eval 'rc_is 0 && out_has "the first plan"'
run "$W" --input html "$T/bom8.html"
check "the same with --input html" out_has "the first plan"
# a UTF-8 BOM decides, as for browsers, even over a <meta> and with a
# stray byte in the page (it was read as windows-1251 whole)
{ printf '\357\273\277<html><head><meta charset="windows-1251"></head><body><article>'; para "Привет мир"; printf 'a stray \377 byte'; para b; echo '</article></body></html>'; } > "$T/bomstray.html"
run "$W" "$T/bomstray.html"
check "a UTF-8 BOM wins over a <meta> charset, a stray byte repaired" out_has "the Привет мир plan"
# labels as the WHATWG Encoding Standard maps them: ISO-8859-1's are
# windows-1252 and ISO-8859-9's windows-1254 (curly quotes, dashes and the
# euro in the C1 range), and labels iconv does not know (x-cp1251)
for cs in l1 iso_8859-1 iso-8859-9 latin5; do
	{ echo "<html><head><meta charset=\"$cs\"></head><body><article>"; para "“quoted” – 5 €"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t WINDOWS-1252 > "$T/c1.html"
	run "$W" "$T/c1.html"
	check "meta charset $cs: the C1 range read as windows-125x" out_has "the “quoted” – 5 € plan"
done
{ echo '<html><head><meta charset="x-cp1251"></head><body><article>'; para "Совет"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t WINDOWS-1251 > "$T/xcp.html"
run "$W" "$T/xcp.html"
check "meta charset x-cp1251 (a label iconv does not know) is windows-1251" out_has "the Совет plan"
# the <meta> prescan reads a meta's charset attribute (or http-equiv's
# content), not the word anywhere in a tag, skips comments, trims the
# label, and reads past 8 KB of styles (reviewer's finds)
cyr() { # cyr HEAD: a windows-1251 page with HEAD in its <head>
	{ echo "<html><head>$1</head><body><article>"; para "Совет"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t WINDOWS-1251 > "$T/cyr.html"
	run "$W" "$T/cyr.html"
}
cyr '<meta name="description" content="Notes on the charset koi8 and others"><meta charset="windows-1251">'
check "a description that names a charset is no declaration" out_has "the Совет plan"
cyr '<!-- <meta charset="koi8-r"> --><meta charset="windows-1251">'
check "a commented-out <meta> is no declaration" out_has "the Совет plan"
cyr '<!--><meta charset="windows-1251"><!-- <meta charset="koi8-r"> -->'
check "an empty comment <!--> ends where it stands" out_has "the Совет plan"
cyr '<meta name="description" content="Tip: <meta charset=koi8-r> for Russian"><meta charset="windows-1251">'
check "a <meta> inside another tag's quoted value is no declaration" out_has "the Совет plan"
cyr '<link title="<meta charset=koi8-r>"><meta charset="windows-1251">'
check "nor inside the quoted value of another element" out_has "the Совет plan"
cyr '<meta charset=" windows-1251 ">'
check "a label with spaces inside its quotes is trimmed" out_has "the Совет plan"
cyr "<style>$(python3 -c "print(''.join('.c%d{color:red}' % i for i in range(700)))")</style><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
check "a <meta> after 8 KB of styles is read" out_has "the Совет plan"
# ISO-2022-JP is 7-bit, valid UTF-8 as it stands: its label and its
# escapes decide (it came out as "$B$3$s..." mojibake)
{ echo '<html><head><meta charset="iso-2022-jp"></head><body><article>'; para "こんにちは"; para b; echo '</article></body></html>'; } | iconv -f UTF-8 -t ISO-2022-JP > "$T/jis.html"
run "$W" "$T/jis.html"
check "an ISO-2022-JP page is decoded from its meta charset" out_has "the こんにちは plan"
# labels of charsets that do not read ASCII as ASCII are ignored, as
# browsers do: the page falls back to UTF-8 with its repair (cp1252)
for cs in utf-32 ucs-2 unicode utf-7 cp037 ebcdic-us; do
	sed "s/iso-8859-1/$cs/" "$T/latin1.html" > "$T/cs.html"
	run "$W" "$T/cs.html"
	check "meta charset $cs (not ASCII-compatible) is ignored" out_has "the crème brûlée plan"
done

# a window never ends inside a word: a paragraph of 3 MB whose words are
# "ab<i>cd</i>ef" (no tag with white space before it) came out with one
# word cut in two at the window's edge (a reviewer's find)
python3 -c 'import sys; sys.stdout.write("<html><body><p>" + " ".join(["ab<i>cd</i>ef"] * 250000) + "</p></body></html>")' > "$T/midword.html"
run "$W" --no-default-rules --explain "$T/midword.html"
check "a window of a long paragraph never cuts a word" eval \
	'rc_is 0 && [ "$(cut -f5 "$T/out" | tr " " "\n" | grep -cvx abcdef)" = 0 ] && [ "$(cut -f5 "$T/out" | tr " " "\n" | grep -c .)" = 250000 ]'

# a page of small blocks is cut into windows by its nodes (40,000
# paragraphs, 0.6 MB: past html_window_nodes, under html_window): every
# paragraph comes out once, on its own source line, none lost or doubled
# at a window's edge
python3 -c 'import sys; sys.stdout.write("<html><body>" + "".join("<p>para %d</p>\n" % i for i in range(40000)) + "</body></html>")' > "$T/nodes.html"
run "$W" --no-default-rules --explain "$T/nodes.html"
check "a page in windows by its nodes: each paragraph once, on its own line" eval \
	'rc_is 0 && [ "$(wc -l < "$T/out")" = 40000 ] && [ "$(awk -F"\t" "{ split(\$5, a, \" \"); if (\$1 != a[2] + 1) bad++ } END { print bad + 0 }" "$T/out")" = 0 ]'

# Window edges by nodes (a reviewer's finds, 2026-12-08): a line of text
# ended by <br> was cut after its first word, a CJK line inside a word
# (the cut took the first white space, or any tag); a button's label came
# out when a window ended inside it (the prefix reopened the button but
# not the <span><div> open inside it, and the next window's </div> closed
# the button) -- for 13 sizes of padding before, which move the edges
python3 -c 'import sys; sys.stdout.write("<html><body>" + "".join("Q%dQ alpha beta gamma delta<br>" % i for i in range(40000)))' > "$T/brlines.html"
run "$W" --explain "$T/brlines.html"
check "lines ended by <br> in windows by nodes: each whole, once" eval \
	'rc_is 0 && [ "$(wc -l < "$T/out")" = 40000 ] && ! cut -f5 "$T/out" | grep -qvx "Q[0-9]*Q alpha beta gamma delta"'
python3 -c 'import sys; sys.stdout.write("<html><body><div>" + "".join("第%d行の<b>天気</b>は<ruby>晴<rt>は</rt></ruby>れです。<br>" % i for i in range(30000)))' > "$T/cjklines.html"
run "$W" --explain "$T/cjklines.html"
check "the same in Japanese with ruby: no word cut" eval \
	'rc_is 0 && [ "$(wc -l < "$T/out")" = 30000 ] && ! cut -f5 "$T/out" | grep -qvx "第[0-9]*行の天気は晴れです。"'
leaks=0
for pad in 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	python3 -c 'import sys; sys.stdout.write("<!doctype html><html><body>" + "<br>" * int(sys.argv[1]) + "".join("<p>Q%dQ alpha beta gamma delta.</p><div class=c><button class=b><span><div>icon%d</div></span> SHARE%d </button></div>\n" % (i, i, i) for i in range(3000)))' $pad > "$T/btn.html"
	"$W" "$T/btn.html" | grep -q SHARE && leaks=$((leaks + 1))
done
check "a button's label stays out when a window ends inside it" [ $leaks = 0 ]
# a pre's line with a tag in it was cut at the tag (a node cut after
# white space), and "bold x" went as a block of its own; a second
# review's find
python3 -c 'import sys; sys.stdout.write("<html><body><pre>" + "".join("line %d <b>bold</b> x\r\n" % i for i in range(20000)) + "</pre><p>after</p>")' > "$T/prelines.html"
run "$W" --explain "$T/prelines.html"
check "a pre's lines in windows by nodes: each whole, once" eval \
	'rc_is 0 && [ "$(wc -l < "$T/out")" = 20001 ] && [ "$(cut -f5 "$T/out" | grep -cvx "line [0-9]* bold x")" = 1 ]'
# in svg a <style> is an element like any, not raw text: the <p>s in it
# break out and are the page's (the pre-pass cut them as its body)
python3 -c 'import sys; sys.stdout.write("<html><body><p>a</p><svg><style>" + "".join("<p>Paragraph %d of the svg style body, quick brown fox.</p>\n" % i for i in range(300)) + "</style></svg><p>AFTER the end</p>")' > "$T/svgstyle.html"
run "$W" --explain "$T/svgstyle.html"
check "paragraphs in an svg's <style> are not cut as its body" eval \
	'rc_is 0 && [ "$(grep -c "Paragraph [0-9]* of the svg style body" "$T/out")" = 300 ]'
rm -f "$T/brlines.html" "$T/cjklines.html" "$T/btn.html" "$T/prelines.html" "$T/svgstyle.html"

# --- hostile pages -----------------------------------------------------------
# bounded time: each must finish well inside the test's timeout
python3 -c 'import sys; sys.stdout.write("<html><body>" + "<div>" * 100000 + "<p>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</p>" + "</div>" * 100000 + "</body></html>")' > "$T/deep.html"
run "$W" "$T/deep.html"
check "100,000-deep nesting is cleaned (no stack overflow)" eval 'rc_is 0 && out_has "deep plan"'
# past the depth bound, tags whose unread attributes were cut go whole
# (fuzz_html found the two cuts overlapping)
python3 -c 'import sys; sys.stdout.write("<html><body>" + "<div data-x=\"1\" class=\"c\" onclick=\"f()\">" * 2000 + "<p>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</p>" + "</div>" * 2000 + "</body></html>")' > "$T/deep2.html"
run "$W" "$T/deep2.html"
check "deep nesting of tags with cut attributes is cleaned" eval 'rc_is 0 && out_has "deep plan"'
# the tags cut past the depth bound leave white space: the texts on either
# side of a cut </h1> or </p> ran together ("headlineThe"; a reviewer's find)
python3 -c 'import sys; sys.stdout.write("<html><body>" + "<div>" * 600 + "<h1>Deep page headline</h1><div>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</div><div>Second paragraph of the deep plan, with more on who will do the work.</div>" + "</div>" * 600 + "</body></html>")' > "$T/deep2.html"
run "$W" "$T/deep2.html"
check "tags cut past the depth bound leave a space between texts" eval \
	'rc_is 0 && out_has "begin soon. Second paragraph" && ! grep -q "soon\.Second" "$T/out"'
# elements whose end tag may be left out do not count toward the bound:
# 520 unclosed <option>s, 600 unclosed <p>s (the first lost the article
# after the form, the second ran paragraphs 509-599 into one block)
python3 -c 'import sys; sys.stdout.write("<html><body><form><select>" + "<option>x" * 520 + "</select></form><p>The committee met again on Monday to discuss the form plan, and after a long debate its members agreed that the work should begin soon.</p></body></html>")' > "$T/opts.html"
run "$W" "$T/opts.html"
check "520 unclosed <option>s: the article after the form is kept" eval 'rc_is 0 && out_has "form plan"'
python3 -c 'import sys; sys.stdout.write("<html><body>" + "".join("<p>Paragraph %d of the long page.\n" % i for i in range(600)) + "</body></html>")' > "$T/p600.html"
run "$W" --no-default-rules --explain "$T/p600.html"
check "600 unclosed <p>s: 600 blocks" eval 'rc_is 0 && [ "$(wc -l <"$T/out")" -eq 600 ] && grep -q "	Paragraph 599 of the long page\.$" "$T/out"'
# the pre-pass keeps a stack of open elements as HTML's tree building
# opens and closes them: what an omitted end tag leaves open is closed
# by the tag that implies it, also with phrase elements between (600
# unclosed <p>s with a <b> each ran 510 on into one block; 300 table
# rows of unclosed <tr> and <td> came out of order from row 254; a
# reviewer's finds)
python3 -c 'import sys; sys.stdout.write("<html><body>" + "".join("<p>Paragraph %d has <b>bold</b> words.\n" % i for i in range(600)) + "</body></html>")' > "$T/pb600.html"
run "$W" --no-default-rules --explain "$T/pb600.html"
check "600 unclosed <p>s with a <b> each: 600 blocks" eval 'rc_is 0 && [ "$(wc -l <"$T/out")" -eq 600 ] && grep -q "	Paragraph 599 has bold words\.$" "$T/out"'
python3 -c 'import sys; sys.stdout.write("<html><body><table>" + "".join("<tr><td>Row %d<td><a href=x>cell %d</a>\n" % (i, i) for i in range(300)) + "</table></body></html>")' > "$T/tr300.html"
run "$W" --no-default-rules --explain "$T/tr300.html"
check "300 rows of unclosed <tr><td>: one block each, in order" eval 'rc_is 0 && [ "$(wc -l <"$T/out")" -eq 300 ] && [ "$(cut -f5 "$T/out" | grep -c "^Row \([0-9]*\) | cell \1$")" -eq 300 ]'
python3 -c 'import sys; sys.stdout.write("<html><body><ul>" + "".join("<li><p>Item %d of <i>the</i> list\n" % i for i in range(600)) + "</ul></body></html>")' > "$T/li600.html"
run "$W" --no-default-rules --explain "$T/li600.html"
check "600 unclosed <li><p>s: 600 blocks" eval 'rc_is 0 && [ "$(wc -l <"$T/out")" -eq 600 ] && grep -q "	Item 599 of the list$" "$T/out"'
# and what does nest is counted: a stray end tag closes nothing, and
# "<div/>" opens a div (200,000 of either nested as deep; 5 s for 50,000)
# formatting elements closed by another's end stay active (Gumbo opens
# them again in each block after), "</form>" closes the form alone, and
# inside svg an <a> nests: each of these, counted as closed, let a small
# page nest without bound (1 GB for 2,000 "<p><b id=N>x"; 30 s for
# 50,000 "<form><div></form>x"; 10 s for 20,000 <a>s in an <svg>; a
# reviewer's finds)
for unit in '<p><b id=N>x' '<li><font color="#N">item N' '<div><b id=N></div>x' '<form><div></form>x'; do
	python3 -c 'import sys; sys.stdout.write("<html><body>" + "".join(sys.argv[1].replace("N", str(i)) for i in range(50000)) + "<p>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</p></body></html>")' "$unit" > "$T/nest.html"
	run timeout 20 "$W" --input html "$T/nest.html"
	check "50,000 $unit: bounded (exit 0 in under 20 s)" eval 'rc_is 0 && out_has "deep plan"'
done
python3 -c 'import sys; sys.stdout.write("<html><body><p>hello<svg>" + "<a>" * 50000 + "</q>" * 50000 + "</svg><p>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</p></body></html>")' > "$T/nest.html"
run timeout 20 "$W" --input html "$T/nest.html"
check "50,000 <a>s nested in an <svg>: bounded (exit 0 in under 20 s)" rc_is 0
for unit in '<div></x>' '<div/>' '<b><div>x</b>'; do
	python3 -c 'import sys; sys.stdout.write("<html><body>" + sys.argv[1] * 200000 + "<p>The committee met again on Monday to discuss the deep plan, and after a long debate its members agreed that the work should begin soon.</p></body></html>")' "$unit" > "$T/nest.html"
	run timeout 20 "$W" --input html "$T/nest.html"
	check "200,000 $unit: bounded (exit 0 in under 20 s)" eval 'rc_is 0 && out_has "deep plan"'
done
# but elements that do nest still count: <li><dd> chains, and <rt>s
# outside a <ruby>, pile up (a second review's find: 44 s and 95 s)
for unit in '<li><dd>x' '<rt>x'; do
	python3 -c 'import sys; sys.stdout.write("<html><body>" + sys.argv[1] * 50000 + "</body></html>")' "$unit" > "$T/nest.html"
	run timeout 20 "$W" --input html "$T/nest.html"
	check "50,000 nested $unit: bounded (exit 0 in under 20 s)" rc_is 0
done
python3 -c 'import sys; sys.stdout.write("<html><body><div " + " ".join("a%d=x" % i for i in range(1000000)) + ">x</div>"); sys.stdout.write("<p>The committee met again on Monday to discuss the attribute plan, and after a long debate its members agreed that the work should begin soon.</p></body></html>")' > "$T/attrs.html"
run "$W" "$T/attrs.html"
check "an element with a million attributes is cleaned" eval 'rc_is 0 && out_has "attribute plan"'
printf '<html><body><p>The committee met again on Monday to discuss the open plan, and after a long debate its members agreed that the work should begin soon.<div><span><!-- a comment that never ends <p>never' > "$T/open.html"
run "$W" "$T/open.html"
check "unterminated tags and comments: the text before them survives" eval 'rc_is 0 && out_has "open plan" && out_lacks "never"'
head -c 30000 "$FIX/html/nav_comments.html" | head -c 2500 > "$T/trunc.html"
run "$W" "$T/trunc.html"
check "a truncated page is cleaned" rc_is 0
python3 -c '
import sys
p = "<p>The committee met again on Monday to discuss the big plan, and after a long debate its members agreed that the work should begin before the end of the summer.</p>\n"
sys.stdout.write("<html><body><article>" + p * (50 * 1000 * 1000 // len(p)) + "</article></body></html>")' > "$T/big.html"
run "$W" "$T/big.html"
check "a 50 MB page is cleaned, every paragraph kept" eval 'rc_is 0 && [ "$(grep -c "big plan" "$T/out")" -eq 301204 ]'
# A page with over 1 MB of text for Gumbo is parsed in windows
# (thresholds.c html_window); each after the first reopens the elements
# left open: hidden text across the cut stays hidden, all else is kept
python3 -c '
import sys
def p(i, what): return "<p>The committee met again on Monday to discuss the %s plan number %d, and after a long debate its members agreed that the work should begin before the end of the summer.</p>\n" % (what, i)
sys.stdout.write("<!DOCTYPE html><html><head><title>Plans</title></head><body><main><article><div class=\"article-body\">" + "".join(p(i, "early") for i in range(5000)) + "<div style=\"display: none\"><section>" + "".join(p(i, "hidden") for i in range(4000)) + "</section></div>" + "".join(p(i, "late") for i in range(3000)) + "</div></article></main></body></html>")' > "$T/windows.html"
run "$W" "$T/windows.html"
check "a page in windows: hidden text across a window's end stays out" eval 'rc_is 0 && out_lacks "hidden plan"'
check "a page in windows: the text before and after is kept" eval '[ "$(grep -c "early plan" "$T/out")" -eq 5000 ] && [ "$(grep -c "late plan" "$T/out")" -eq 3000 ]'
# --stats alone keeps the windows (it records reasons, not text): the
# text is what the same run without it gives, every block counted
cp "$T/out" "$T/windows.out"
run "$W" --stats "$T/windows.json" "$T/windows.html"
check "a page in windows with --stats: same text, every block counted" eval \
	'rc_is 0 && cmp -s "$T/out" "$T/windows.out" && python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
assert s[\"blocks\"][\"total\"] >= 12000, s[\"blocks\"]
assert s[\"blocks\"][\"kept\"][\"total\"] == 8000, s[\"blocks\"][\"kept\"][\"total\"]
assert s[\"bytes\"][\"out\"] == int(sys.argv[2])
" "$T/windows.json" "$(wc -c < "$T/out")"'
# --explain keeps the windows too, each window's rows written as it is
# cleaned: its keep rows are the text a run without it gives, and each
# row names the page's own line, as Gumbo counts them (LF, CR LF, CR),
# across windows, line breaks inside cut scripts and attributes, and a
# start tag over three lines that later windows reopen
python3 -c '
import sys
ends = ["\n", "\r", "\r\n", "\r\r\n"]
def p(i): return "<p>The committee met again on Monday to discuss the plan number %d, and after a long debate its members agreed that the work should begin before the end of the summer.</p>%s" % (i, ends[i % 4]) + ("<script>var a = 1;\r\nvar b = 2;\rvar c = 3;\n</script>\r" if i % 7 == 0 else "") + ("<a href=\"/x\r\ny\" title=\"t\ru\">Read more about plan %d</a>\n" % i if i % 11 == 0 else "")
sys.stdout.write("<!DOCTYPE html><html><body><main>\r\n<div\r\n class=\"article-body\"\r data-x=\"1\">" + "".join(p(i) for i in range(9000)) + "</div></main></body></html>")' > "$T/wlines.html"
run "$W" "$T/wlines.html"
cp "$T/out" "$T/wlines.out"
run "$W" --explain "$T/wlines.html"
check "--explain on a page in windows: keep rows are the text, every row names its own line" eval \
	'rc_is 0 && python3 -c "
import re, sys
src = re.split(r\"\r\n|\r|\n\", open(sys.argv[1], encoding=\"utf-8\", newline=\"\").read())
where = {}
for n, line in enumerate(src, 1):
    for m in re.finditer(r\"plan number (\d+),|more about plan (\d+)<\", line):
        where[m.group(0)[:-1]] = n
rows = [r.split(\"\t\") for r in open(sys.argv[2], encoding=\"utf-8\").read().splitlines()]
kept = [r[-1] for r in rows if r[1] == \"keep\"]
out = [l for l in open(sys.argv[3], encoding=\"utf-8\").read().splitlines() if l]
assert kept == out, (len(kept), len(out))
seen = 0
for r in rows:
    m = re.search(r\"plan number \d+,|more about plan \d+$\", r[-1])
    if m:
        seen += 1
        assert int(r[0]) == where[m.group(0).rstrip(\",\")], (r[0], r[-1][:60])
assert seen >= 9800, seen
" "$T/wlines.html" "$T/out" "$T/wlines.out"'
# the pre-pass's cuts (an href, a script body, a comment) keep each line
# break as one: a CR before a cut and an LF in it or after it, with cut
# text between, are two lines for Gumbo as in the page (small pages,
# every mix of breaks around the cut text)
check "line breaks around cut text count as in the page" python3 -c '
import itertools, re, subprocess, sys
bad = []
for a, b, c in itertools.product(["", "\r", "\n", "\r\n", "\r\r"], repeat=3):
    for cut in ["<a%shref=\"/x%sy\"%sid=\"k\">link</a>", "<script>%svar x;%s</script>%s", "<!--%sc%s-->%s"]:
        page = "<html><body><p>The first paragraph has several words in it.</p>" + cut % (a, b, c) + "<p>The second paragraph has several words in it.</p>\r<p>The third paragraph has several words.</p></body></html>"
        want = [n for n, l in enumerate(re.split("\r\n|\r|\n", page), 1) for w in ("second", "third") if w in l]
        out = subprocess.run([sys.argv[1], "--input", "html", "--explain", "-"], input=page.encode(), capture_output=True).stdout.decode()
        got = [int(r.split("\t")[0]) for r in out.splitlines() if "second" in r or "third" in r]
        if got != want:
            bad.append((page, want, got))
assert not bad, bad[:3]
' "$W"
# a window that ends inside a skipped element (template, select...)
# leaves the rest inside it (a reviewer's page)
python3 -c '
import sys
def p(i, what): return "<p>The committee met again on Monday to discuss the %s plan number %d, and after a long debate its members agreed that the work should begin before the end of the summer.</p>\n" % (what, i)
sys.stdout.write("<!DOCTYPE html><html><body><article>" + "".join(p(i, "early") for i in range(5000)) + "<template>" + "".join("<div>" + p(i, "template") + "</div>" for i in range(3000)) + "</template>" + "".join(p(i, "late") for i in range(4000)) + "</article></body></html>")' > "$T/windows2.html"
run "$W" "$T/windows2.html"
check "a page in windows: a template across a window's end stays out" eval \
	'rc_is 0 && out_lacks "template plan" && [ "$(grep -c "late plan" "$T/out")" -eq 4000 ]'
# the headline is in the first window: with --no-title, an <h1> early in
# the second stays (it was taken for the headline and dropped)
python3 -c '
import sys
def p(i): return "<p>The committee met again on Monday to discuss the plan number %d, and after a long debate its members agreed that the work should begin before the end of the summer.</p>\n" % i
sys.stdout.write("<!DOCTYPE html><html><head><title>The Coastal Herald</title></head><body><main><article><h1>Harbour wall rebuilt after the winter storms</h1>" + "".join(p(i) for i in range(6100)) + "<h1>Readers respond to the sea wall vote</h1>" + "".join(p(i) for i in range(6100, 9000)) + "</article></main></body></html>")' > "$T/windows3.html"
run "$W" --no-title "$T/windows3.html"
check "a page in windows: an <h1> of a later window is not the headline" eval \
	'rc_is 0 && out_has "Readers respond to the sea wall vote" && out_lacks "Harbour wall rebuilt"'
# script bodies are cut before Gumbo up to where its tokenizer ends them:
# after "<!--" a "<script" opens a double escape that a "</script" does
# not end; "<!-->" closes the escape at once; "</scripty" is no end tag
cat > "$T/scripts.html" <<'EOF'
<!DOCTYPE html><html><head><title>Script states</title></head><body><article>
<p>The harbour board met on Monday and agreed to rebuild the wall before the winter storms arrive.</p>
<script><!-- document.write("<script>var a = 1;</script><p>leaked from a double escape</p>"); --></script>
<p>Work starts in March, the board said, and the road along the quay will close for six weeks.</p>
<script><!--></script><p>After an escape closed at once, this paragraph is real text of the article.</p>
<script>if (a <!--b) x = "</scripty><p>leaked past a wrong end tag</p>";</script>
<p>Residents can comment on the plan at the town hall until the end of the month, the notice says.</p>
<SCRIPT>var s = "<!--"; var t = "<SCRIPT>"; </SCRIPT ><p>leaked inside the double escape</p> --></script>
<p>The last paragraph of the article says the wall will stand for a hundred years if kept.</p>
</article></body></html>
EOF
run "$W" "$T/scripts.html"
check "script text ends where the tokenizer ends it (escapes, double escapes)" eval \
	'rc_is 0 && out_lacks "leaked" && out_has "escape closed at once" && out_has "hundred years" && [ "$(wc -l < "$T/out")" -eq 5 ]'
# twins NAME PAGE: the python3 expression PAGE (a str whose <meta> says
# windows-1251) as $T/NAME1251.html in windows-1251, cleaned into $T/out,
# and as its UTF-8 twin $T/NAME8.html (valid UTF-8 overrides the <meta>),
# cleaned into $T/NAME8.out
twins() {
	python3 -c '
import sys
page = eval(sys.argv[2])
sys.stdout.buffer.write(page.encode("cp1251"))
open(sys.argv[1], "w", encoding="utf-8").write(page)' "$T/${1}8.html" "$2" > "$T/${1}1251.html"
	"$W" "$T/${1}8.html" > "$T/${1}8.out"
	run "$W" "$T/${1}1251.html"
}
# the charset is read once for the whole page; the page is decoded as the
# windows need it (4 MB at a time), never split inside a character: it
# cleans to the bytes its UTF-8 twin gives
twins windows '"<html><head><meta charset=\"windows-1251\"></head><body><article>" + "".join("<p>\u041a\u043e\u043c\u0438\u0442\u0435\u0442 \u0441\u043d\u043e\u0432\u0430 \u0441\u043e\u0431\u0440\u0430\u043b\u0441\u044f \u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a, \u0447\u0442\u043e\u0431\u044b \u043e\u0431\u0441\u0443\u0434\u0438\u0442\u044c \u043f\u043b\u0430\u043d, \u0438 \u043f\u043e\u0441\u043b\u0435 \u0434\u043e\u043b\u0433\u0438\u0445 \u0441\u043f\u043e\u0440\u043e\u0432 \u0440\u0435\u0448\u0438\u043b \u043d\u0430\u0447\u0430\u0442\u044c \u0440\u0430\u0431\u043e\u0442\u0443 %d.</p>\n" % i for i in range(30000)) + "</article></body></html>"'
check "a windows-1251 page in windows is decoded in every window" eval 'rc_is 0 && ! grep -qv "^Комитет снова собрался в понедельник" "$T/out" && [ "$(grep -c "работу [0-9]*\.$" "$T/out")" -ge 29990 ] && cmp -s "$T/out" "$T/windows8.out"'
# with no tag to end a window at, the cut waits for a line break that
# is not decoded yet (lines of 6 MB, decoded 4 MB ahead): the same cuts
# as the UTF-8 twin
twins tagless '"<html><head><meta charset=\"windows-1251\"></head><body>" + "\n".join("\u041a\u043e\u043c\u0438\u0442\u0435\u0442 \u0441\u043e\u0431\u0440\u0430\u043b\u0441\u044f \u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a. " * 100000 for i in range(3)) + "</body></html>"'
check "a tagless windows-1251 page is cut where its UTF-8 twin is" eval 'rc_is 0 && [ "$(wc -l < "$T/out")" -ge 3 ] && cmp -s "$T/out" "$T/tagless8.out"'
# a page with no tag to end a window at is cut in its text, at a line
# break past two windows: no word lost, doubled or split
python3 -c '
import sys
sys.stdout.write("<html><body>" + "".join("The harbour board met for the %dth time and agreed the plan.\n" % i for i in range(60000)) + "</body></html>")' > "$T/tagless.html"
run "$W" "$T/tagless.html"
check "a page with no tag to cut at: cut in its text, nothing lost" eval 'rc_is 0 && [ "$(wc -l < "$T/out")" -ge 2 ] && [ "$(grep -o "the [0-9]*th time and agreed the plan\." "$T/out" | sort -u | wc -l)" -eq 60000 ] && [ "$(grep -o "the [0-9]*th time" "$T/out" | wc -l)" -eq 60000 ]'
# the sniff reads the first 4 KB: white space past them is not markup
# (it once searched a negative length there, under ASan)
printf '%5000s<p>The harbour board met on Monday and agreed the plan.</p>' '' > "$T/spaces.txt"
run "$W" --explain "$T/spaces.txt"
check "5000 spaces before the first tag: read as text, no crash" eval 'rc_is 0 && [ ! -s "$T/err" ] && out_has "	<p>The harbour board met"'
head -c 200000 /dev/urandom > "$T/binary.html"
printf '<html>' | cat - "$T/binary.html" > "$T/binary2.html"
run "$W" --input html "$T/binary2.html"
check "random bytes after <html> are cleaned without a crash" eval 'rc_is 0 || rc_is 1'

# --- pages in older markup: the HTML model and the text model ------------
# (classify.c, thresholds.c html_old_text_weight).  html.model: stage 1
# p 1 for a <p>, 0 else; stage 2 p 0.4 for a <p>, 0.9 else.  block.model:
# stage 1 p 1 for a block that holds "committee" (its own word weight,
# which html.model lacks) and is read as text (is_html 0), else 0; stage
# 2 p 0.9 and 0.1.  On a page no era rule marks as today's, a <p>'s p is
# their mean, 0.65: kept; on a page of today 0.4: dropped.
mkdir -p "$T/ens" "$T/ens1" "$T/ens2" "$T/ensm"
printf 'threshold 0.5\nstage 1\nbias -100\nweight k_p 200\nstage 2\nbias 2.1972246\nweight p1 -2.6026897\n' > "$T/ens/html.model"
printf 'threshold 0.5\nword committee 100\nstage 1\nbias -50\nweight lex 100\nweight is_html -1000\nstage 2\nbias -2.1972246\nweight p1 4.3944492\n' > "$T/ens/block.model"
cp "$T/ens/html.model" "$T/ens1/"
printf 'threshold 0.5\nstage 1\nbias 0\nstage 2\nbias 2.1972246\n' > "$T/ens2/block.model"
cp "$T/ens/html.model" "$T/ens/block.model" "$T/ensm/"
printf 'era tag article\n' > "$T/ensm/era.rules"
ens_page() { # ens_page OPEN CLOSE: eight paragraphs and a list between
	{ echo "<html><body>$1"; for x in A B C D E F G H; do para "$x"; done
	  echo '<ul><li>Home</li><li>Sport</li></ul>'; echo "$2</body></html>"; } > "$T/ens.html"
}
reason_of() { awk -F'\t' -v pat="$1" 'index($0, pat) { print $3; exit }' "$T/out"; }
# ens_reason DIR [MODE]: --explain's reason for the A paragraph, rules DIR
ens_reason() {
	run "$W" --input "${2:-html}" --explain --no-default-rules -r "$1" "$T/ens.html"
	reason_of "the A plan"
}
both="classifier: model and text model, article (p=0.65)"
one="classifier: model, chrome (p=0.40)"
ens_page '<div>' '</div>'
run "$W" --input html --no-default-rules -r "$T/ens" "$T/ens.html"
check "older markup: a block's p is the mean of the HTML and the text model's" eval \
	'rc_is 0 && out_has "the A plan" && out_has "the H plan"'
check "older markup: --explain names both models and the mean p" eval \
	'[ "$(ens_reason "$T/ens")" = "$both" ]'
run "$W" --input html --no-default-rules -r "$T/ens1" "$T/ens.html"
check "older markup, no text model: the HTML model's p alone" eval \
	'rc_is 0 && out_lacks "the A plan" && out_has "Sport" && [ "$(ens_reason "$T/ens1")" = "$one" ]'
check "older markup, a block.model alone (p 0.9, no html.model): read once" eval \
	'[ "$(ens_reason "$T/ens2")" = "classifier: model, article (p=0.90)" ]'
ens_page '<article>' '</article>'
check "markup of today (an era rule): the HTML model's p alone" eval \
	'[ "$(ens_reason "$T/ensm")" = "$one" ]'
check "an <article> with no era rule loaded is older markup" eval \
	'[ "$(ens_reason "$T/ens")" = "$both" ]'
check "text input reads the text model alone" eval \
	'ens_reason "$T/ens" text >/dev/null; ! grep -qF "and text model" "$T/out" && grep -qF "classifier: model" "$T/out"'

finish
