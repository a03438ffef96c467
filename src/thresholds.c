/* thresholds.c - the classifier's numbers, each with where it comes from.
 * The learned model (rules/block.model) reads the verdicts these produce
 * as features, so changing one means retraining (tools/train.py). */
#include "thresholds.h"

/* html_window and text_window below; fuzz_html's and fuzz_clean's
 * builds make them tiny (tests/fuzz) */
#ifndef WN_HTML_WINDOW
#define WN_HTML_WINDOW ((size_t)1 << 20)
#endif
#ifndef WN_HTML_WINDOW_NODES
#define WN_HTML_WINDOW_NODES 16384
#endif
#ifndef WN_TEXT_WINDOW_LINES
#define WN_TEXT_WINDOW_LINES 32768
#endif
#ifndef WN_TEXT_WINDOW
#define WN_TEXT_WINDOW ((size_t)4 << 20)
#endif

const wn_thresholds_t wn_thresholds = {
	/* jusText's LENGTH_LOW and LENGTH_HIGH (Pomikalek 2011, justext/core.py,
	 * tuned on CleanEval): under 70 chars a block is "short", over 200
	 * with enough stopwords "good". */
	.length_low = 70,
	.length_high = 200,
	/* Stopword density bounds for "near-good" and "good".  jusText uses
	 * 0.30/0.32 with larger lists.  Measured with our en list on the dev
	 * sets (token-weighted, blocks over 200 chars): density 0.20-0.25 is
	 * 81% (wcxb) and 88% (cleaneval) article text, 0.30 and up 90-99%;
	 * 0.18/0.22 raised F1 on all three sets over 0.30/0.32. */
	.stop_low = 0.18,
	.stop_high = 0.22,
	/* A heading has at most 25 words: a generous bound on headlines,
	 * chosen, not measured; the seeds' headlines have 7-12 words.  The
	 * heading pass keeps one of two words or more: a single word over
	 * a paragraph is a menu item or a label ("Advertisement") as often
	 * as a section heading.  Chosen, not measured. */
	.heading_min_words = 2,
	.heading_max_words = 25,
	/* The page's prose share (model.c, doc_prose) counts the words of
	 * blocks of 10 words or more that end a sentence: longer than a
	 * menu item, a table cell or most teaser titles.  Chosen, not tuned
	 * (session 28; doc/quality.md "The page's prose"). */
	.prose_min_words = 10,
	/* Plain text's headline (keep_headline in classify.c): the title-like
	 * heading of 4 words or more with the most words among the 6 blocks
	 * before the article's first paragraph, when only blocks of at most
	 * 12 words stand between, one of them a byline or a date ("Headline
	 * / By Jane Doe / March 23, 2023 / The council voted..."), which the
	 * heading pass, one block ahead, does not see past.  The news sets'
	 * gold has no headline, so the model learned to drop them (a
	 * reviewer's 17 pages of session 23: every headline dropped, p
	 * 0.04-0.43).  Chosen, not measured: 4 words leave out a section
	 * label ("Latest News"), the seeds' headlines have 7-12; 6 blocks
	 * hold a byline, a date, a reading time and a paywall notice (Le
	 * Monde's layout, on the reviewer's page fr3); 12 words hold "Posted
	 * by Mike Turner | March 23, 2023 | 3 min read". */
	.text_headline_within = 6,
	.text_headline_min_words = 4,
	.text_headline_gap_words = 12,
	/* A date has 4 digits or more ("March 23, 2023", "23.03.2023"):
	 * "2 Free Issues of PC World" or "CIS24" is no date (CleanEval's
	 * final-638 and final-509, which a first version took for the date
	 * between a headline and its story).  Chosen, not measured. */
	.text_headline_date_digits = 4,
	/* A byline with a full date ("Publié le 23 mars 2023 par Camille
	 * Durand", "Por Pedro Almeida - 23 de março de 2023": a day and a
	 * year, 6 digits) kept by the heading pass between the headline and
	 * the story goes with the dates: 6 of the reviewer's 17 pages kept
	 * one.  A subheading with a year alone ("Fitness Trends 2025: A
	 * Brief Look", WCXB 0033, gold) has 4 and stays.  Chosen, not
	 * measured. */
	.text_headline_full_date = 6,
	/* A breadcrumb trail ends with the title, which follows it within
	 * 3 blocks (seeds: next line, or after a date) and has 12 bytes or
	 * more of key, so that a trail ending in a short word ("... News")
	 * is not taken for one.  Chosen, not measured. */
	.crumb_title_within = 3,
	.crumb_title_min_key = 12,
	/* Two headings are near-duplicates when 0.8 of the shorter one's
	 * words (at least 4) are in the longer: "Biden Urged Putin..." vs
	 * the caption "President Biden Urged President Putin..." (seed 001);
	 * 0.8 tolerates one changed word in five.  That marks repeats for
	 * the model (mark_repeats).  Only repeats of the title are dropped
	 * (drop_repeats), only of a title of 4+ words ("Murray wrote this"
	 * above each forum post is no title), and there 0.7 of the longer
	 * one's words must be shared too: a section "Install Python on
	 * Windows" (4 of 8) under "How to install Python on Windows and
	 * Linux" stays, a comment header "2 thoughts on <title>" (8 of 11,
	 * tests/fixtures/html/nav_comments) and a caption adding a word or
	 * two to the title (seed 001) go. */
	.near_dup_share = 0.8,
	.near_dup_min_words = 4,
	.title_dup_longer_share = 0.7,
	/* Without a stoplist, a sentence of 30+ words is good: about
	 * length_high (200 chars) at English's ~6.5 chars a word. */
	.nolang_good_words = 30,
	/* Chinese and Japanese put no spaces between words and pack a word
	 * into one to three characters, so a paragraph measured as Latin
	 * text is (code points, words between spaces) reads as a short
	 * line of one word.  A Han or kana character counts 3 in a block's
	 * length and a word per 2 of them is added to its words.  From the
	 * translation trade's rule of thumb that 1,000 English words
	 * (~5,700 characters with their spaces) come to 1,500-1,800 Chinese
	 * characters (3.2-3.8 Latin per Han) and rather more in Japanese,
	 * whose kana spell out endings (~2.5): 3 between them, which is
	 * also their UTF-8 bytes; and a word per 2 characters, Chinese
	 * words averaging 1.5-2.  Not fitted: the dev sets hold two such
	 * pages (ScrapingHub, Japanese). */
	.wide_char_weight = 3,
	.wide_chars_per_word = 2,
	/* (Language detection counts each Han or kana character as a token,
	 * not a word per 2: a Japanese page quoting one English sentence
	 * still passed lang_min_share for English at a word per 2 (the i18n
	 * review's ja_en page, about 8.4%), and English then found "few
	 * stopwords" in every Japanese paragraph.  Erring towards "not
	 * known" keeps the language-independent features, the safe side.) */
	/* Korean spaces its words, but a Hangul syllable block writes two
	 * or three letters (its romanization: "hanguk" for 한국, "nyuseu"
	 * for 뉴스), so counted as one code point a Korean paragraph read
	 * as short chrome and a short Korean article came out empty (the
	 * i18n review of 2026-12-06).  A syllable counts 2, the low end,
	 * in the length; its words are the spaced ones.  Not fitted: the
	 * dev sets hold no Korean page. */
	.hangul_char_weight = 2,
	/* Thai, Lao, Khmer and Burmese put no spaces between words either
	 * (a space parts phrases or sentences) and Thai ends a sentence with
	 * no mark, so a paragraph read as a few long words without an end
	 * and a short Thai article came out as its headline alone (the i18n
	 * review of 2026-12-06).  Their letters are alphabetic, a code point
	 * each as Latin ones (combining vowels and tone marks too), so the
	 * length stands; a word is added per 5 code points (a syllable
	 * writes 2 to 4, a word 1 or 2 syllables: an estimate, not a
	 * measurement), and a block of 40 or more that ends in one of them
	 * ends a sentence (a menu item or a short headline does not).  Not
	 * fitted: the dev sets hold no page in these scripts. */
	.unspaced_chars_per_word = 5,
	.unspaced_sentence_chars = 40,
	/* Two menu separators ("News | Sport | Weather") make navigation,
	 * when the items between them average at most 4 words: a sentence
	 * that quotes twice with guillemets (French « », German »«, whose
	 * » counts) or compares with > did not.  On the dev texts, of the
	 * lines with 2+ separators, those over 4 words an item were article
	 * text 69 times in 235 (CleanEval 45/172, WCXB 20/51, ScrapingHub
	 * 4/12: Russian interviews quoting with »), those at most 4, 175
	 * in 1,045, mostly WCXB's table rows (\w+ words; a line is article
	 * text when 60 characters from its middle are in the gold). */
	.menu_seps = 2,
	.menu_item_words = 4,
	/* A low-stopword sentence between article text is rescued from 8
	 * words: one-line quote attributions run 10-20 (seeds 002-004). */
	.rescue_min_words = 8,
	/* The article's last paragraph, between a kept paragraph (past
	 * asides) and the share row or related header a rule dropped, is
	 * kept from 15 words and p 0.2 (classify.c keep_last_paragraph): on
	 * the 17 pages of session 23's rules review (en de fr es it pt nl)
	 * 7 of the 8 paragraphs still lost are such, at p 0.29-0.57, read
	 * as the start of the tail chrome by word weights learned from
	 * English; on the dev sets held out the pass keeps 14 lines of gold
	 * and 5 others in text mode, 10 and 6 in HTML (doc/quality.md, "The
	 * last paragraph"). 15 words is
	 * the review's paragraph size; 0.2 is under the lowest of the review's
	 * paragraphs (0.29), with a margin; not tuned on the dev sets, where
	 * the pass keeps 19 lines in text mode. */
	.last_para_min_words = 15,
	.last_para_min_p = 0.2,
	/* A run of 2+ sentence paragraphs totalling 400 chars (two jusText
	 * "long" blocks) is article text. */
	.run_min_blocks = 2,
	.run_min_chars = 400,
	/* Article region: chrome costs 1x its chars against the kept text
	 * it separates (0.3 and 3 measured worse on the dev sets); a block
	 * outside the region survives with 25% of the page's kept text. */
	.region_bad_weight = 1.0,
	.region_island_share = 0.25,
	/* The model decides pages with 8+ blocks no rule decided; below
	 * that it has no neighbourhood to read and the passes' verdicts
	 * stand.  8 is the fewest such blocks of a dev page the model
	 * decides, in text and in HTML mode (CleanEval final-93's text
	 * and final-211's page, 8; the next 9; measured 2026-12-06 with
	 * --explain, the shipped models), so the
	 * model never meets a smaller page than those it learned from.  At
	 * 6, a fit of that day dropped the first of two paragraphs over a
	 * five-word menu (test_short_tail_run_dropped, p 0.32 and 0.39). */
	.model_min_blocks = 8,
	/* A cut ends the article when the good text after it is at most half
	 * the good text before it: a "Related articles" box two thirds into a
	 * story is not its end (scrapinghub 624fcd90; 0.5 and 0.3 measured
	 * alike, 1.0 worse on the dev sets). */
	.cut_after_share = 0.5,
	/* ... and only on a page of today: one whose latest named year
	 * (wn_max_year) is 2010 or later, or that names none.  CleanEval's
	 * pages of 2007 (311 of its 326 that name a year name none after
	 * 2009; ScrapingHub's and WCXB's name 2015 or later on 558 of 562)
	 * keep in their gold the reader comments, forum posts and lists
	 * after a "Comments" or "Recent Comments" line, as the era's pages
	 * were read; on them a cut drops its own line only and the model
	 * decides what follows.  With the shipped models, in-sample,
	 * CleanEval 0.9225 -> 0.9272 in text mode (9 pages gain, 3 lose at
	 * most 0.041), 0.9371 -> 0.9414 in HTML; no ScrapingHub or WCXB
	 * page changes (measured 2026-12-06, session 19).  Reader comments
	 * on pages of today stay chrome (html_modern_comments_chrome). */
	.cut_modern_year = 2010,
	/* Language detection reads 5000 words at most (a bound on the work
	 * per document) and needs 8% of them in one list.  Prose hits its
	 * own list at 47-64% (measured on one paragraph per language when the
	 * lists were written); a related language's list can reach 31%
	 * (Spanish on Portuguese), which is why the best list wins, not the
	 * first over the bar.  8% is a floor chosen to reject text in a
	 * language we have no list for; it was not tuned. */
	.lang_max_tokens = 5000,
	.lang_min_share = 0.08,
	/* A regex rule gets 100k backtracking steps and depth 1000 per line
	 * (PCRE2's defaults are 10M): the default rules still match on the
	 * dev sets (unchanged F1), and a catastrophic pattern over 600 lines
	 * stops in about 0.3 s (tests/cli/hostile.sh) instead of hanging. */
	.regex_match_limit = 100000,
	.regex_depth_limit = 1000,
	/* --input auto takes a page without <html>, <head>, <body> or a
	 * doctype for HTML when its first 4 KB hold 3+ tags, one per 80
	 * bytes at least (a tag: a name after < or </, closed by a > before
	 * the next <; html.c, tag_at).  The dev sets' scraped text has none; their HTML
	 * fragments one per 20-40 bytes.  A guess, not tuned. */
	.html_sniff_min_tags = 3,
	.html_sniff_bytes_per_tag = 80,
	/* The content root is the element maximising good - w * other text
	 * below it.  Chosen by F1 on the dev sets' HTML (README, "HTML
	 * input": the content root). */
	.html_root_other_weight = 0.3,
	/* Blocks under a `comments` hint on a page in today's markup are
	 * dropped whatever the model says (classify.c: drop_comments).  On
	 * the held-out output of both 5-fold splits of the dev sets' HTML
	 * (2026-12-06): ScrapingHub +0.0035 / +0.0034, WCXB +0.0008 /
	 * +0.0009, CleanEval unchanged; no page lost (doc/quality.md). */
	.html_modern_comments_chrome = true,
	/* On an HTML page in older markup (no `era` rule of html.rules
	 * matched: no viewport, og: property or HTML5 sectioning tag; 0 of
	 * ScrapingHub's 102 dev pages, 3 of WCXB's 475, 367 of CleanEval's
	 * 368) a block's p is the mean of the HTML model's and the text
	 * model's, which reads the same block without its markup: that era's
	 * layout tables and class names mislead the structural features.
	 * Held out, fold models of both modes that held out the same
	 * pages, two splits: CleanEval 0.9133 -> 0.9177 and 0.9183 ->
	 * 0.9198, ScrapingHub unchanged, WCXB -0.0001 and -0.0002; as
	 * shipped 0.9114 -> 0.9179.  The weight 0.5 is the plain mean, the
	 * best of 0.3 / 0.5 / 0.7 / 1.0 on split 1 (0.9140 / 0.9183 /
	 * 0.9178 / 0.9162, the text model then reading the HTML model's
	 * word weights; with its own, 0.3 / 0.5 / 0.7: 0.9140 / 0.9177 /
	 * 0.9174); on every page (no era test) ScrapingHub fell 0.027
	 * and WCXB 0.0045, CleanEval the same.  It costs 1.8% more
	 * instructions over the 945 dev pages' HTML (doc/quality.md, "Two
	 * models for pages in older markup"). */
	.html_old_text_weight = 0.5,
	/* Gumbo's attribute handling is quadratic in a tag's attributes; 256
	 * keeps a million-attribute tag (tests/cli/html.sh) to milliseconds.
	 * The dev sets' pages have at most a few dozen per tag. */
	.html_max_attrs = 256,
	/* Gumbo's tree building is quadratic in the nesting depth: a
	 * 100,000-deep page took 80-120 s to parse. Start tags past 512
	 * open elements are cut with their end tags; real pages nest 20-60
	 * deep.  Open as HTML's tree building opens and closes them: an
	 * <li> whose end tag is left out is closed by the next <li>
	 * (html.c, os_implied). */
	.html_max_depth = 512,
	/* Gumbo opens every active formatting element (a <b> or <font>
	 * whose block ended before it did) again in each block that
	 * follows: "<p><b id=N>x" repeated 4,000 times made 4,000 blocks of
	 * up to 512 elements each, 1 GB (a reviewer's find).  Past this
	 * many active, a formatting start tag is cut (its text kept), so a
	 * block gets at most 4 again (3 alike, as the "Noah's ark" clause
	 * keeps them).  The 945 dev pages' output is the same from 4 up, at
	 * 3 three CleanEval pages change; each one more cost 25 MB on
	 * 50,000 "<p><b id=N>x" (150 MB at 4) until a window's nodes were
	 * bounded too (html_window_nodes, below: 15 MB since). */
	.html_max_formatting = 4,
	/* Gumbo copies a formatting element's attributes each time it opens
	 * it again: four <b>s of 250 attributes each left active, then
	 * 20,000 "<p>x" (a 107 KB page) made 20 million attribute copies,
	 * 4 GB and 20 s (2026-12-08).  Past this many a formatting start
	 * tag's attributes are cut (the "Noah's ark" clause then compares
	 * the first 16).  The 945 dev pages' tags have a few at most. */
	.html_max_formatting_attrs = 16,
	/* A page whose text for Gumbo (after the pre-pass's cuts) is longer
	 * than this is parsed and cleaned in windows of about this size
	 * (html.c).  Gumbo's tree, the blocks and their features take 9
	 * (one long article) to 20 (real pages end to end) times the text
	 * parsed: peak RSS on two 50 MB pages grew by that much per MB of
	 * window between 0.5 and 4 MB windows (2026-12-05).  With 1 MB
	 * (a window may run to 1.5 MB, and to 2 MB in text with no tag,
	 * html.c), a page of D bytes peaks under issue 6's 2 D + 32 MB:
	 * the input, ~10 MB of program, 20-30 MB of window, and 4-8 MB
	 * decoded ahead when the page is not UTF-8; the output is written
	 * as each window is done (67 and 108 MB for the two pages, 71 MB
	 * for one in windows-1251, bound 132).
	 * The largest dev page is 758 KB after the cuts (1.6 MB before):
	 * none is split. */
	.html_window = WN_HTML_WINDOW,
	/* The window's bytes do not bound what Gumbo makes of them: a
	 * node costs 0.4-1 KB (its own, the walk's, a block's), and
	 * "<p>x" is 4 bytes a block: 200,000 of them, one 1 MB window, took
	 * 159 MB; 200,000 "<p><b id=N>x" (the <b>s opened again in each
	 * block), 541 MB (2026-12-08).  So a window also ends (at a block's
	 * tag, as for its bytes) once the pre-pass counts this many nodes
	 * ahead of Gumbo (bound_page: two a start tag, one each of its
	 * attributes, an end tag and a comment, the formatting elements
	 * opened again, a line of a pre, xmp or plaintext, and the
	 * prefix's).  At 16,384 the adversarial pages of 2 MB (one tag
	 * repeated: <p>x, <option>x, </p>, comments, <b> left active...)
	 * peak at 8-22 MB, the two above at 15 MB; the 945 dev pages count
	 * 10,621 at most, and their output is the same.  Fewer split real
	 * pages and cost quality: at 2,048 (most pages in 2-5 windows)
	 * ScrapingHub fell 0.011 and WCXB 0.016 (2026-12-08). */
	.html_window_nodes = WN_HTML_WINDOW_NODES,
	/* The headline of an HTML page is an h1-h3 among its first 400
	 * blocks, of 2-40 words, whose words the <title> holds for 60% or
	 * more ("Headline | Site" titles hold all of them; a section heading
	 * that shares a word or two with the title does not reach 60%).
	 * One word is a section name ("News", "Sport") more often than a
	 * headline.  Chosen, not tuned. */
	.headline_max_block = 400,
	.headline_min_words = 2,
	.headline_max_words = 40,
	.headline_title_share = 0.6,
	/* Cross-document learning (learn.c): a line is chrome of its site
	 * when 3+ of the site's documents hold it, and 10%+ of them.  Two
	 * is not enough: a story and its update share paragraphs, and on
	 * wcxb-article's seven 2-page sites a 2-document rule leaves out 120
	 * lines of which 33 are gold content ("Pros", "Try for free" of two
	 * reviews; bench/learn.py).  The share keeps a wire paragraph that a
	 * big site runs in a handful of stories.  3 and 10% are chosen, not
	 * tuned: no site of the dev sets has 3 pages (README, "Batch and
	 * learning"). */
	.learn_min_docs = 3,
	.learn_min_share_pm = 100,
	/* A line of 16+ words is a sentence, not a label: the seeds'
	 * headlines have 7-12 words, teasers rarely more.  Such a line must
	 * be in 80% of the site's documents (a disclaimer or cookie notice
	 * on every page), so that a wire story the site runs in several
	 * articles, or a series' standing paragraph, stays.  Chosen. */
	.learn_long_words = 16,
	.learn_long_share_pm = 800,
	/* Longer lines are not counted: chrome is short, and this bounds a
	 * rule's length (the longest line of rules/en.rules has 184 bytes;
	 * 2000 is ten times that, chosen). */
	.learn_max_key = 2000,
	/* The warning that plain text is in a legacy encoding of a
	 * non-Latin script (encoding.c, wn_legacy_runs): 16 or more bytes
	 * that are no UTF-8, 80% of them in runs of two or more, in the
	 * first 64 KiB.  Chosen, not fitted: GBK, Shift_JIS and windows-1251
	 * test text passes it, Latin-1 German and Portuguese (lone accented
	 * letters between ASCII ones) do not (tests/cli/cli.sh, the i18n
	 * review of 2026-12-06); no dev text warns. */
	.legacy_min_bytes = 16,
	.legacy_scan_bytes = (size_t)64 << 10,
	.legacy_run_share_pc = 80,
	/* Plain text longer than this is cleaned in windows of about this
	 * size, split at a blank line (else a line break), each window a
	 * document: cleaning one costs about 4.4 times its bytes (keys, block
	 * records, output; 216 MB peak for a 40 MB document, measured with
	 * /usr/bin/time on this machine), so with the input and the output
	 * held, a document of D bytes peaks near 1.65 D + 4.4 x 4 MB +
	 * the program's ~9 MB, under issue 6's 2 D + 32 MB at any size.
	 * Articles are far smaller (the dev pages' largest text is under
	 * 1 MB): only book-sized inputs and concatenations are split. */
	.text_window = WN_TEXT_WINDOW,
	/* Nor do a window's bytes bound its lines: a line not blank costs
	 * about 430 bytes (its block record, key and features), and
	 * 5,000,000 lines of "x" (10 MB) took 853 MB in 4 MB windows
	 * (2026-12-08).  So a window also ends after this many lines that
	 * are not blank: that text then peaks at 25 MB, and 27 MB of the
	 * dev texts end to end (104 bytes a line, so 32,768 lines come
	 * before 4 MB) at 58 MB, not 71, in the same time; 65,536 took 55
	 * and 71 MB.  The dev texts have 1,101 lines at most. */
	.text_window_lines = WN_TEXT_WINDOW_LINES,
	/* A line no window can split (one line of 100 MB) would hold its
	 * whole key beside itself and its output: three copies, over issue
	 * 6's bound.  Its key is made of its first 4 MB (the window's size):
	 * rules and the word statistics read that much of it.  Articles'
	 * lines are far shorter (the dev text's longest is under 100 KB). */
	.key_max_line = (size_t)4 << 20,
	/* The CLI's malloc (main.c, glibc only): allocations under 16 MiB
	 * come from the heap, and up to 64 MiB of freed heap is kept rather
	 * than given back.  A text cleaned in windows frees and remakes a
	 * window's arrays every 4 MB; with glibc's defaults (mmap for the
	 * big ones) each window faulted them in again.  On 50 MB of dev text
	 * (2026-12-05): 64,200 page faults -> 29,400, median CPU of
	 * interleaved runs 2.83 -> 2.33 s (6 runs) and, later that day,
	 * 2.82 -> 2.57 s (5 runs), peak RSS 104 -> 117 MB (bound 132);
	 * 8 MiB gave 50,000 faults, 32 MiB the same time as 16 at 126 MB.
	 * Bigger buffers (a whole input, its output) stay mmapped. */
	.malloc_mmap = (size_t)16 << 20,
	.malloc_trim = (size_t)64 << 20,
};
