/* test_classify.c - the classifier and its context passes, on documents
 * built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include <utf8proc.h>

#include "internal.h"
#include "thresholds.h"
#include "winnow.h"

#define P1 "The committee met on Tuesday to discuss the new budget, and its members agreed that the proposal would need to be revised before it could be put to a vote in the spring."
#define P2 "Several of the members said that they were worried about the cost of the plan, which they believe has been underestimated by the government in all of its public statements."
#define P3 "The chairman told reporters after the meeting that he was confident that a compromise would be found, although he did not say when he expected that to happen."

static winnow_rules *rules;

static int setup(void **state)
{
	(void)state;
	winnow_error err;
	rules = winnow_rules_new();
	return winnow_rules_add_defaults(rules, &err);
}

static int teardown(void **state)
{
	(void)state;
	winnow_rules_free(rules);
	return 0;
}

/* Cleans text with options; returns a malloc'd copy of the output. */
static char *clean_opts(const char *text, const winnow_options *o)
{
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, o, &err);
	assert_non_null(c);
	winnow_result *res = winnow_clean(c, text, strlen(text));
	size_t n;
	const char *t = winnow_result_text(res, &n);
	char *copy = malloc(n + 1);
	memcpy(copy, t, n);
	copy[n] = '\0';
	winnow_result_free(res);
	winnow_cleaner_free(c);
	return copy;
}

/* NULL text is the empty document (it was undefined behaviour: memchr
 * on NULL); NULL rules names and paths fail as usage errors */
static void test_null_arguments(void **state)
{
	(void)state;
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	assert_non_null(c);
	for (size_t len = 0; len < 2; len++) {
		winnow_result *res = winnow_clean(c, NULL, len);
		size_t n = 1;
		assert_non_null(res);
		assert_string_equal(winnow_result_text(res, &n), "");
		assert_int_equal(n, 0);
		winnow_result_free(res);
	}
	winnow_cleaner_free(c);
	winnow_rules *r = winnow_rules_new();
	assert_int_equal(winnow_rules_add_buffer(r, "x.rules", NULL, 0, &err), 0);
	assert_int_equal(winnow_rules_add_buffer(r, "x.rules", NULL, 3, &err), -1);
	assert_int_equal(err.code, WINNOW_ERR_USAGE);
	assert_int_equal(winnow_rules_add_buffer(r, NULL, "drop exact a\n", 13, &err), -1);
	assert_int_equal(err.code, WINNOW_ERR_USAGE);
	assert_int_equal(winnow_rules_add_path(r, NULL, &err), -1);
	assert_int_equal(err.code, WINNOW_ERR_USAGE);
	assert_int_equal(winnow_rules_add_path(r, "", &err), -1);
	assert_int_equal(err.code, WINNOW_ERR_IO); /* names no file */
	assert_int_equal(winnow_rules_count(r), 0);
	winnow_rules_free(r);
}

static char *clean(const char *text)
{
	winnow_options o;
	winnow_options_init(&o);
	return clean_opts(text, &o);
}

static void assert_has(const char *out, const char *s)
{
	if (!strstr(out, s))
		fail_msg("output lacks '%s':\n%s", s, out);
}

static void assert_lacks(const char *out, const char *s)
{
	const char *hit = strstr(out, s);
	if (hit)
		fail_msg("output has the text at offset %td: %s", hit - out, hit);
}

static void test_heading_between_paragraphs_kept(void **state)
{
	(void)state;
	char *out = clean(P1 "\n\nBudget talks resume\n\n" P2 "\n");
	assert_string_equal(out, P1 "\n\nBudget talks resume\n\n" P2 "\n");
	free(out);
}

static void test_short_tail_run_dropped(void **state)
{
	(void)state;
	char *out = clean(P1 "\n" P2 "\nHome\nSport\nWeather\nContact us\nJobs\n");
	assert_string_equal(out, P1 "\n" P2 "\n");
	free(out);
}

static void test_navigation_head_dropped(void **state)
{
	(void)state;
	char *out = clean("News\nWorld\nBusiness | Markets | Tech\nBudget talks stall\n"
			  P1 "\n" P2 "\n");
	assert_lacks(out, "World");
	assert_lacks(out, "Markets");
	assert_has(out, "Budget talks stall\n" P1);
	free(out);
}

static void test_repeated_title_caption_kept_once(void **state)
{
	(void)state;
	char *out = clean("Budget committee delays its vote on the plan\n\n" P1
			  "\n\nThe budget committee delays its vote on the new plan\n"
			  "Budget committee delays its vote on the plan\n\n" P2 "\n");
	assert_string_equal(out, "Budget committee delays its vote on the plan\n\n"
			    P1 "\n\n" P2 "\n");
	free(out);
}

static void test_repeated_paragraph_kept_repeated_heading_dropped(void **state)
{
	(void)state;
	/* a refrain is the text's own; a repeated title is a caption */
	char *out = clean("Budget talks stall as the committee waits\n" P1 "\n" P2
			  "\nBudget talks stall as the committee waits\n" P1 "\n" P3 "\n");
	assert_string_equal(out, "Budget talks stall as the committee waits\n" P1 "\n" P2
			    "\n" P1 "\n" P3 "\n");
	free(out);
	/* a repeated heading that is not the title (a section name, a
	 * table row) is the text's own */
	out = clean("Budget talks stall as the committee waits\n" P1
		    "\nWhat the members of the committee said\n" P2
		    "\nWhat the members of the committee said\n" P3 "\n");
	assert_string_equal(out, "Budget talks stall as the committee waits\n" P1
			    "\nWhat the members of the committee said\n" P2
			    "\nWhat the members of the committee said\n" P3 "\n");
	free(out);
	/* a section heading made of the title's words is no repeat of it */
	out = clean("How to install the budget tool on Windows and Linux\n" P1
		    "\nInstall the budget tool on Windows\n" P2
		    "\nInstall the budget tool on Linux\n" P3 "\n");
	assert_string_equal(out, "How to install the budget tool on Windows and Linux\n" P1
			    "\nInstall the budget tool on Windows\n" P2
			    "\nInstall the budget tool on Linux\n" P3 "\n");
	free(out);
	/* a short repeat (a forum timestamp, a quote header) stays */
	out = clean("Murray wrote this\n" P1 "\nMurray wrote this\n" P2 "\n");
	assert_string_equal(out, "Murray wrote this\n" P1 "\nMurray wrote this\n" P2 "\n");
	free(out);
}

/* The headings' word index grows with the page (mark_repeats): a
 * heading's words, indexed second, are still found after 40 headings of
 * six new words each have grown the index (from 256 slots to 512), so
 * its near repeat at the end is marked a repeat (transparent), and the
 * headings between are not (the paragraphs are exact repeats). */
static void test_heading_index_grows(void **state)
{
	(void)state;
	wn_buf text;
	wn_buf_init(&text);
	wn_buf_adds(&text, "Budget committee delays its vote on the plan\n" P1 "\n"
		    "What the members of the budget committee said\n" P2 "\n");
	for (int i = 0; i < 40; i++) {
		char h[64];
		int n = 0;
		for (int k = 0; k < 6; k++)
			n += snprintf(h + n, sizeof h - (size_t)n, "%s%c%c%cly",
				      k ? " " : "", 'a' + i % 26, 'a' + i / 26, 'a' + k);
		wn_buf_adds(&text, h);
		wn_buf_adds(&text, i % 2 ? "\n" P2 "\n" : "\n" P3 "\n");
	}
	wn_buf_adds(&text, "What the members of the committee said\n" P1 "\n");
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	assert_non_null(c);
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	wn_doc d;
	memset(&d, 0, sizeof d);
	wn_doc_read(&d, c, text.data, text.len);
	wn_features(&d, rules, NULL);
	wn_classify(&d, rules, &o, md);
	assert_int_equal(d.nblocks, 2 * 42 + 2);
	for (size_t i = 0; i + 2 < d.nblocks; i += 2) /* the headings */
		assert_false(d.blocks[i].transparent);
	assert_true(d.blocks[d.nblocks - 2].transparent);
	wn_doc_free(&d);
	pcre2_match_data_free(md);
	winnow_cleaner_free(c);
	wn_buf_free(&text);
}

static void test_cut_after_article(void **state)
{
	(void)state;
	char *out = clean(P1 "\n" P2 "\nRelated Posts\n" P3 "\nAnother teaser\n");
	assert_string_equal(out, P1 "\n" P2 "\n");
	free(out);
}

/* A copyright notice or link goes; a paragraph that starts with the word
 * is the article's (en.rules). */
static void test_copyright_notice_not_paragraph(void **state)
{
	(void)state;
	char *out = clean(P1 "\nCopyright holders said on Monday that the new rules would cost "
			  "them millions in lost revenue, and that they would take the matter "
			  "to court before the end of the year.\n" P2 "\nCopyright Policy\n"
			  "Copyright 2019 Hearst Communications\nCopyright (c) The Daily Times\n");
	assert_has(out, "Copyright holders said on Monday");
	assert_lacks(out, "Copyright Policy");
	assert_lacks(out, "Hearst");
	assert_lacks(out, "Daily Times");
	free(out);
}

/* A cut ends the article on a page of today, or one naming no year; on
 * a page whose latest year is before cut_modern_year it drops its own
 * line only, and the model decides what follows (thresholds.c). */
static void test_cut_by_era(void **state)
{
	(void)state;
	const char *year[] = {"2006", "2019"};
	for (int k = 0; k < 2; k++) {
		char page[2048];
		snprintf(page, sizeof page,
			 "The committee was first set up in %s, and it has met every "
			 "spring since then to go through the budget line by line.\n"
			 P1 "\n" P2 "\nComments\n" P3 "\n", year[k]);
		char *out = clean(page);
		assert_has(out, P2);
		assert_lacks(out, "Comments");
		if (k == 0)
			assert_has(out, P3);
		else
			assert_lacks(out, P3);
		free(out);
	}
}

static void test_cut_before_article_only_drops(void **state)
{
	(void)state;
	/* a "Related posts" box above the story must not end the article */
	char *out = clean("Related posts\n" P1 "\n" P2 "\n" P3 "\n");
	assert_string_equal(out, P1 "\n" P2 "\n" P3 "\n");
	free(out);
}

static void test_no_title(void **state)
{
	(void)state;
	winnow_options o;
	winnow_options_init(&o);
	o.no_title = true;
	char *out = clean_opts("Budget talks stall\n\n" P1 "\n\n" P2 "\n", &o);
	assert_string_equal(out, P1 "\n\n" P2 "\n");
	free(out);
}

/* Plain text's headline with a byline and a date between it and the
 * story, as news pages put them: kept (the model alone dropped it, p
 * 0.12 on a reviewer's page), the date the heading pass had kept before
 * the story dropped; --no-title drops the headline again. */
static void test_headline_above_byline_and_date(void **state)
{
	(void)state;
	const char *page = "Home\nNews\nLocal\nBusiness\nSports\n"
			   "City council approves new budget after heated debate over road repairs\n"
			   "By Sarah Mitchell\nMarch 23, 2023\n" P1 "\n" P2 "\n" P3 "\n";
	char *out = clean(page);
	assert_has(out, "City council approves new budget after heated debate over road repairs\n" P1);
	assert_lacks(out, "March 23, 2023");
	assert_lacks(out, "Sarah Mitchell");
	assert_lacks(out, "Sports");
	free(out);
	winnow_options o;
	winnow_options_init(&o);
	o.no_title = true;
	out = clean_opts(page, &o);
	assert_lacks(out, "City council");
	assert_lacks(out, "March 23, 2023");
	assert_has(out, P1);
	free(out);
	/* a byline with a full date between goes too; a section line with a
	 * year alone would stay (6 digits make a day and a year) */
	out = clean("Home\nNews\nLocal\nBusiness\nSports\n"
		    "City council approves new budget after heated debate over road repairs\n"
		    "Published on March 23, 2023 by Sarah Mitchell\n" P1 "\n" P2 "\n" P3 "\n");
	assert_has(out, "City council approves new budget after heated debate over road repairs\n" P1);
	assert_lacks(out, "Sarah Mitchell");
	free(out);
	/* a line of a menu, with separators, is no headline */
	out = clean("Home\nNews\nLocal\nBusiness\nSports\n"
		    "Home | Local news | Business news | Sports news\n"
		    "By Sarah Mitchell\nMarch 23, 2023\n" P1 "\n" P2 "\n" P3 "\n");
	assert_lacks(out, "Local news");
	free(out);
}

static void test_separators_kept(void **state)
{
	(void)state;
	char *out = clean(P1 "\n\n\n" P2 "\n" P3 "\n");
	assert_string_equal(out, P1 "\n\n" P2 "\n" P3 "\n");
	free(out);
}

/* Two separators make a menu only when the items between them are short:
 * a sentence that quotes twice with guillemets (» counts) is text. */
static void test_menu_separators_need_short_items(void **state)
{
	(void)state;
	const char *q = "\u00bbWe will not give up on this plan\u00ab, said the mayor of the "
			"town, \u00bband the budget will pass in the spring\u00ab, she told the "
			"reporters who were waiting outside the town hall after the vote.";
	char text[2048];
	snprintf(text, sizeof text, "Home \u00bb World \u00bb Europe\n%s\n%s\n%s\n",
		 P1, q, P2);
	char *out = clean(text);
	assert_has(out, q);
	assert_lacks(out, "Home");
	free(out);
}

static void test_language_detected(void **state)
{
	(void)state;
	const char *de = "Der Ausschuss hat sich am Dienstag getroffen, um über den neuen "
			 "Haushalt zu beraten, und die Mitglieder waren sich einig, dass "
			 "der Vorschlag noch einmal überarbeitet werden muss.\n";
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	winnow_result *res = winnow_clean(c, de, strlen(de));
	assert_string_equal(winnow_result_lang(res), "de");
	winnow_result_free(res);
	res = winnow_clean(c, P1 "\n", strlen(P1) + 1);
	assert_string_equal(winnow_result_lang(res), "en");
	winnow_result_free(res);
	winnow_cleaner_free(c);
}

/* text read twice with the default rules, its features found by the
 * fused pass in *a and by the two-pass one in *b, and the same numbers
 * for every block; the caller frees the docs and the cleaner. */
static winnow_cleaner *both_passes(const wn_buf *text, wn_doc *a, wn_doc *b)
{
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	assert_non_null(c);
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	wn_doc_read(a, c, text->data, text->len);
	wn_doc_read(b, c, text->data, text->len);
	wn_features(a, rules, NULL);
	wn_features_two_pass(b, rules, NULL);
	assert_int_equal(a->lang, b->lang);
	assert_int_equal(a->nblocks, b->nblocks);
	for (size_t i = 0; i < a->nblocks; i++) {
		const wn_block *x = &a->blocks[i], *y = &b->blocks[i];
		assert_int_equal(x->words, y->words);
		assert_int_equal(x->stopwords, y->stopwords);
		assert_true(x->stop_density == y->stop_density);
		assert_int_equal(x->chars, y->chars);
		assert_int_equal(x->alpha, y->alpha);
		assert_int_equal(x->upper, y->upper);
		assert_int_equal(x->end_punct, y->end_punct);
		assert_true(x->lex == y->lex);
		assert_int_equal(x->wide, y->wide);
		assert_int_equal(x->unspaced, y->unspaced);
	}
	return c;
}

/* The fused feature pass (pages) and the two-pass one (huge documents)
 * give the same language and the same numbers, past the detection's
 * token limit too. */
static void test_feature_passes_agree(void **state)
{
	(void)state;
	wn_buf text;
	wn_buf_init(&text);
	for (int i = 0; i < 400; i++) /* German first, then English and French */
		wn_buf_adds(&text, "Der Ausschuss hat sich am Dienstag getroffen, "
			    "und die Mitglieder waren sich einig über den Haushalt.\n");
	for (int i = 0; i < 300; i++)
		wn_buf_adds(&text, i % 3 ? P1 "\n" : "Le comité s'est réuni mardi "
			    "pour discuter du nouveau budget de la ville.\n");
	/* the word weights: read with the key's words in a block of ASCII
	 * text, from the text in another (ligatures, accents, ß) */
	wn_buf_adds(&text, "SHARE this Story: Click HERE, x2 4all "
		    "abcdefghijklmnopqrstuvwxyzab Said the PRESIDENT\n"
		    "\x01Related\x7fposts -- READ more...\n"
		    "The \xef\xac\x81nance minister said Stra\xc3\x9f" "e caf\xc3\xa9 news\n");
	wn_doc a, b;
	winnow_cleaner *c = both_passes(&text, &a, &b);
	assert_int_equal(a.lang, wn_stoplist_find(rules, "de"));
	assert_true(a.blocks[0].stopwords > 0);
	assert_true(a.blocks[a.nblocks - 4].lex != 0);
	wn_doc_free(&a);
	wn_doc_free(&b);
	winnow_cleaner_free(c);
	wn_buf_free(&text);
}

/* Han and kana, written without spaces between words, are measured as
 * what they hold: each counts wide_char_weight in a block's length, and
 * a word per wide_chars_per_word is added to its one token; Chinese and
 * Japanese punctuation, Latin letters and Hangul (spaced) count as one. */
static void test_wide_scripts_measured(void **state)
{
	(void)state;
	/* "日本のニュースです。" 9 Han and kana, then U+3002 */
	static const char ja[] = "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe3\x83\x8b"
				 "\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xb9\xe3\x81\xa7"
				 "\xe3\x81\x99\xe3\x80\x82";
	/* "한국 뉴스" 4 Hangul syllables and a space */
	static const char ko[] = "\xed\x95\x9c\xea\xb5\xad \xeb\x89\xb4\xec\x8a\xa4";
	wn_block b = {0};
	wn_raw_stats(&b, ja, strlen(ja));
	assert_int_equal(b.wide, 9);
	assert_int_equal(b.chars, 9 * wn_thresholds.wide_char_weight + 1);
	assert_true(b.end_punct);
	wn_block k = {0};
	wn_raw_stats(&k, ko, strlen(ko));
	assert_int_equal(k.wide, 0);
	assert_int_equal(k.chars, 4 * wn_thresholds.hangul_char_weight + 1);
	/* Thai: a block of 40 code points or more that ends in Thai ends a
	 * sentence; a menu item does not; a word per 5 code points */
	static const char th[] = "\xe0\xb8\xab\xe0\xb9\x89\xe0\xb8\xad\xe0\xb8\x87"
		"\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\xb8\xe0\xb8\x94"; /* ห้องสมุด, 8 */
	wn_buf tl;
	wn_buf_init(&tl);
	for (int i = 0; i < 5; i++)
		wn_buf_adds(&tl, th);
	wn_block t = {0}, m = {0};
	wn_raw_stats(&t, tl.data, tl.len);
	assert_int_equal(t.unspaced, 40);
	assert_int_equal(t.chars, 40);
	assert_true(t.end_punct);
	wn_raw_stats(&m, th, strlen(th));
	assert_false(m.end_punct);
	/* a sentence closed inside 「」 or （） ends as one inside quotes */
	static const char *const closed[] = {
		"\xe3\x80\x8c\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x82\xe3\x80\x8d",
		"\xef\xbc\x88\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x82\xef\xbc\x89",
		"\xe6\x97\xa5\xe6\x9c\xac\xef\xbc\x8e",
		"\xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa4\xa4 \xe0\xa5\xa5",
	};
	for (size_t i = 0; i < sizeof closed / sizeof *closed; i++) {
		wn_block e = {0};
		wn_raw_stats(&e, closed[i], strlen(closed[i]));
		assert_true(e.end_punct);
	}

	wn_buf text;
	wn_buf_init(&text);
	wn_buf_adds(&text, ja);
	wn_buf_adds(&text, "\n");
	wn_buf_adds(&text, ko);
	wn_buf_adds(&text, "\n");
	wn_buf_adds(&text, tl.data);
	wn_buf_adds(&text, "\n");
	wn_doc a, c2;
	winnow_cleaner *c = both_passes(&text, &a, &c2);
	assert_int_equal(a.blocks[0].words, 1 + 9 / wn_thresholds.wide_chars_per_word);
	assert_int_equal(a.blocks[1].words, 2);
	assert_int_equal(a.blocks[2].words, 1 + 40 / wn_thresholds.unspaced_chars_per_word);
	wn_doc_free(&a);
	wn_doc_free(&c2);
	winnow_cleaner_free(c);
	wn_buf_free(&text);
	wn_buf_free(&tl);
}

/* A Japanese page that quotes an English sentence is not English: its
 * Han and kana words count among the tokens the language needs a share
 * of, in both feature passes. */
static void test_quote_does_not_make_language(void **state)
{
	(void)state;
	/* "東京で大雨が続き、交通機関に大きな影響が出ています。" x 6 */
	static const char ja[] = "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7\xe5\xa4\xa7"
		"\xe9\x9b\xa8\xe3\x81\x8c\xe7\xb6\x9a\xe3\x81\x8d\xe3\x80\x81\xe4\xba\xa4"
		"\xe9\x80\x9a\xe6\xa9\x9f\xe9\x96\xa2\xe3\x81\xab\xe5\xa4\xa7\xe3\x81\x8d"
		"\xe3\x81\xaa\xe5\xbd\xb1\xe9\x9f\xbf\xe3\x81\x8c\xe5\x87\xba\xe3\x81\xa6"
		"\xe3\x81\x84\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82";
	wn_buf text;
	wn_buf_init(&text);
	/* 6 x 25 Han and kana, and most of the quote's 20 words in the
	 * English stoplist: over 8% of the tokens if the characters counted
	 * a word per 2, under it at a token each */
	for (int i = 0; i < 6; i++) {
		wn_buf_adds(&text, ja);
		wn_buf_adds(&text, "\n");
	}
	wn_buf_adds(&text, "\xe3\x80\x8cWe are doing all that we can to keep the "
		    "trains running for the people of the city,\xe3\x80\x8d\n");
	wn_doc a, b;
	winnow_cleaner *c = both_passes(&text, &a, &b);
	assert_int_equal(a.lang, -1);
	assert_true(a.blocks[0].words > 12);
	wn_doc_free(&a);
	wn_doc_free(&b);
	winnow_cleaner_free(c);
	wn_buf_free(&text);
}

/* The page's year, looked for sixteen bytes at a time: the same as a
 * byte at a time, wherever the digits fall. */
static int max_year_reference(const char *s, size_t n, int y)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if (!isdigit((unsigned char)s[i]))
			continue;
		size_t k = i;
		while (k < n && isdigit((unsigned char)s[k]))
			k++;
		bool alone = (i == 0 || !isalpha((unsigned char)s[i - 1])) &&
			     (k == n || !isalpha((unsigned char)s[k]));
		if (k - i == 4 && alone) {
			int v = 0;
			for (size_t j = i; j < k; j++)
				v = v * 10 + (s[j] - '0');
			if (v >= 1990 && v <= 2039 && v > y)
				y = v;
		}
		i = k - 1;
	}
	return y;
}

static void test_max_year(void **state)
{
	(void)state;
	assert_int_equal(wn_max_year("(c) 2019, in 2007 and 1989", 26, 0), 2019);
	assert_int_equal(wn_max_year("A2019 20199 2040 x2021", 22, 0), 0);
	assert_int_equal(wn_max_year("in 2007", 7, 2010), 2010);
	static const char *const piece[] = {
		"2019", "1995", "2039", "2040", "1989", "20199", "7", " ", "a", "Z",
		".", "-", "\xc3\xa9", "12", "x", "2007 ", "      ",
	};
	char buf[128];
	uint64_t seed = 5;
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = 0;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t pieces = (seed >> 33) % 30;
		for (size_t k = 0; k < pieces; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			const char *p = piece[(seed >> 33) % (sizeof piece / sizeof *piece)];
			size_t m = strlen(p);
			if (n + m > sizeof buf)
				break;
			memcpy(buf + n, p, m);
			n += m;
		}
		assert_int_equal(wn_max_year(buf, n, 0), max_year_reference(buf, n, 0));
	}
}

/* A line longer than its key (key_max_line) reads its word weights from
 * its text, as the two-pass features do: the key's words are only the
 * first part of it. */
static void test_long_line_weights(void **state)
{
	(void)state;
	wn_buf text;
	wn_buf_init(&text);
	wn_buf_adds(&text, P1 "\n");
	while (text.len < wn_thresholds.key_max_line)
		wn_buf_adds(&text, "the privacy of the sitemap and the cookies is reserved. ");
	for (int i = 0; i < 20000; i++)
		wn_buf_adds(&text, "it is therefore the case that the larger one is thus. ");
	wn_buf_adds(&text, "\n" P1 "\n");
	wn_doc a, b;
	winnow_cleaner *c = both_passes(&text, &a, &b);
	bool long_seen = false;
	for (size_t i = 0; i < a.nblocks; i++)
		long_seen |= a.blocks[i].len > wn_thresholds.key_max_line;
	assert_true(long_seen);
	wn_doc_free(&a);
	wn_doc_free(&b);
	winnow_cleaner_free(c);
	wn_buf_free(&text);
}

static void test_unknown_lang_option(void **state)
{
	(void)state;
	winnow_options o;
	winnow_options_init(&o);
	o.lang = "xx";
	winnow_error err;
	assert_null(winnow_cleaner_new(rules, &o, &err));
	assert_int_equal(err.code, WINNOW_ERR_USAGE);
	assert_non_null(strstr(err.msg, "xx"));
}

/* A cleaner of the built-in rules that keeps every block's decision. */
static winnow_cleaner *explain_cleaner(void)
{
	winnow_options o;
	winnow_options_init(&o);
	o.explain = true;
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	assert_non_null(c);
	return c;
}

static void test_explain_reasons(void **state)
{
	(void)state;
	winnow_cleaner *c = explain_cleaner();
	const char *doc = P1 "\n\nPlease enter your comment!\n";
	winnow_result *res = winnow_clean(c, doc, strlen(doc));
	assert_int_equal(winnow_result_block_count(res), 2);
	winnow_block_info b;
	assert_int_equal(winnow_result_block(res, 0, &b), 0);
	assert_true(b.kept);
	assert_int_equal(b.line, 1);
	assert_int_equal(winnow_result_block(res, 1, &b), 0);
	assert_false(b.kept);
	assert_int_equal(b.line, 3);
	assert_non_null(strstr(b.reason, "rules/en.rules:"));
	assert_int_equal(winnow_result_block(res, 2, &b), -1);
	winnow_result_free(res);
	winnow_cleaner_free(c);
}

/* A page in a language without a stoplist (Indonesian here) is classed by
 * length and sentence ends alone: a long line that ends a sentence is
 * article text, the same line without its full stop is not (a page of
 * three blocks: the model leaves it to the classes). */
static void test_no_stoplist_classes(void **state)
{
	(void)state;
	winnow_cleaner *c = explain_cleaner();
#define ID_A "Pemerintah kota mengumumkan rencana pembangunan jembatan baru yang akan " \
	"menghubungkan dua kecamatan bagian utara kota setelah bertahun tahun warga " \
	"mengeluhkan kemacetan parah setiap pagi dan sore hari terutama pada musim hujan " \
	"ketika jalan lama sering tergenang air sehingga kendaraan harus memutar jauh"
	const char *doc = ID_A ".\nWarga menyambut baik rencana tersebut karena selama ini "
			  "mereka harus menempuh perjalanan panjang setiap hari menuju tempat kerja.\n"
			  ID_A "\n";
#undef ID_A
	winnow_result *res = winnow_clean(c, doc, strlen(doc));
	assert_int_equal(winnow_result_block_count(res), 3);
	winnow_block_info b;
	assert_int_equal(winnow_result_block(res, 0, &b), 0);
	assert_true(b.kept);
	assert_string_equal(b.reason, "classifier: long sentence (no stoplist)");
	assert_int_equal(winnow_result_block(res, 2, &b), 0);
	assert_false(b.kept);
	assert_string_equal(b.reason, "classifier: no sentence end (no stoplist)");
	winnow_result_free(res);
	winnow_cleaner_free(c);
}

static void test_keep_rule_protects(void **state)
{
	(void)state;
	winnow_error err;
	winnow_rules *r = winnow_rules_new();
	assert_int_equal(winnow_rules_add_defaults(r, &err), 0);
	const char *mine = "keep exact advertisement\n";
	assert_int_equal(winnow_rules_add_buffer(r, "mine.rules", mine, strlen(mine), &err), 0);
	winnow_options o;
	winnow_options_init(&o);
	winnow_cleaner *c = winnow_cleaner_new(r, &o, &err);
	const char *doc = P1 "\nAdvertisement\n" P2 "\n";
	winnow_result *res = winnow_clean(c, doc, strlen(doc));
	assert_has(winnow_result_text(res, NULL), "Advertisement");
	winnow_result_free(res);
	winnow_cleaner_free(c);
	winnow_rules_free(r);
}

static void test_empty_and_blank(void **state)
{
	(void)state;
	char *out = clean("");
	assert_string_equal(out, "");
	free(out);
	out = clean("\n \n\t\n\xc2\xa0\n");
	assert_string_equal(out, "");
	free(out);
	/* the text is a C string too, also when a document kept nothing
	 * after its buffer had room (winnow_result_text's promise) */
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	assert_non_null(c);
	const char *docs[] = {"x", "Menu\nHome\n", "", "\xff"};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		winnow_result *res = winnow_clean(c, docs[i], strlen(docs[i]));
		size_t n;
		const char *t = winnow_result_text(res, &n);
		assert_int_equal(strlen(t), n);
		winnow_result_free(res);
	}
	winnow_cleaner_free(c);
}

static void test_page_break_splits_lines(void **state)
{
	(void)state;
	/* pdftotext's form feed separates pages: the words on either side
	 * must not be glued, and line numbers count newlines only.  NEL,
	 * U+2028 and U+2029 end a line the same way (the normalizer makes
	 * them newlines: one block must not come out as two lines). */
	static const char *const brk[] = {
		"\f", "\v", "\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9",
	};
	winnow_cleaner *c = explain_cleaner();
	for (size_t i = 0; i < sizeof brk / sizeof *brk; i++) {
		char doc[1024];
		snprintf(doc, sizeof doc, "%s%s%s\n%s\n", P1, brk[i], P2, P3);
		winnow_result *res = winnow_clean(c, doc, strlen(doc));
		assert_int_equal(winnow_result_block_count(res), 3);
		winnow_block_info b;
		winnow_result_block(res, 1, &b);
		assert_int_equal(b.line, 1);
		assert_int_equal(b.len, strlen(P2));
		winnow_result_block(res, 2, &b);
		assert_int_equal(b.line, 2);
		winnow_result_free(res);
	}
	winnow_cleaner_free(c);
}

/* Line ends are found sixteen bytes at a time: every break (LF, CRLF, CR,
 * form feed, vertical tab) at every offset of the chunks around it
 * splits there, with non-ASCII bytes before it too. */
static void test_line_ends_every_offset(void **state)
{
	(void)state;
	winnow_cleaner *c = explain_cleaner();
	static const char *const brk[] = {"\n", "\r\n", "\r", "\f", "\v"};
	for (size_t k = 0; k < 5; k++)
		for (size_t a = 1; a < 40; a++) {
			char doc[128];
			size_t n = 0;
			for (size_t j = 0; j < a; j++)
				doc[n++] = j % 7 == 3 ? '\xc3' : j % 7 == 4 ? '\xa9' : 'x';
			if ((unsigned char)doc[n - 1] == 0xC3)
				doc[n - 1] = 'x'; /* no split sequence at the break */
			n += (size_t)snprintf(doc + n, sizeof doc - n, "%sy%s\n", brk[k],
					      "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
			winnow_result *res = winnow_clean(c, doc, n);
			assert_int_equal(winnow_result_block_count(res), 2);
			winnow_block_info b;
			winnow_result_block(res, 0, &b);
			assert_int_equal(b.len, a);
			winnow_result_block(res, 1, &b);
			assert_int_equal(b.len, 31);
			assert_int_equal(b.line, k < 3 ? 2 : 1);
			winnow_result_free(res);
		}
	winnow_cleaner_free(c);
}

/* A line longer than key_max_line (4 MB) is keyed by its first 4 MB, cut
 * at a character's start: a line no window can split holds no second
 * whole copy of itself. */
static void test_huge_line_key_capped(void **state)
{
	(void)state;
	size_t cap = wn_thresholds.key_max_line, n = 1 + 2 * (cap / 2 + 1000);
	char *text = malloc(n + 1);
	assert_non_null(text);
	text[0] = 'x'; /* the pairs of "\xc3\xa9" then start at odd offsets */
	for (size_t i = 1; i + 1 < n; i += 2) {
		text[i] = '\xc3';
		text[i + 1] = '\xa9';
	}
	text[n] = '\0';
	wn_doc d;
	memset(&d, 0, sizeof d);
	d.text = text;
	d.text_len = n;
	wn_doc_split_lines(&d);
	assert_int_equal(d.nblocks, 1);
	assert_int_equal(d.blocks[0].len, n);
	assert_int_equal(d.blocks[0].key_len, cap - 1); /* cap would split an é */
	const char *k = wn_block_key(&d, &d.blocks[0]);
	assert_int_equal((unsigned char)k[cap - 2], 0xA9);
	wn_doc_free(&d);
	free(text);
}

/* wn_raw_stats against the plain definition, one code point at a time:
 * its ASCII runs go 16 bytes at a time (SSE2), and every count, the
 * carries between chunks and the last two characters that are not
 * spaces must come out as from the definition. */
static void raw_stats_reference(wn_block *b, const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	bool prev_word = false, prev_lower = false;
	int32_t last = 0, before_last = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			k = 1;
			cp = 0xFFFD;
		}
		utf8proc_category_t c = utf8proc_category(cp);
		bool up = c == UTF8PROC_CATEGORY_LU;
		bool dig = c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
		bool word = wn_is_word_cp(cp == 0xFFFD ? 0xFFFD : cp);
		/* Han and kana count wide_char_weight: the blocks below */
		bool wide = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF);
		b->chars += wide ? wn_thresholds.wide_char_weight : 1;
		b->wide += wide;
		b->digits += word && dig;
		b->alpha += word && !dig;
		b->upper += word && up;
		b->cap_words += word && up && !prev_word;
		b->glued += word && up && prev_word && prev_lower;
		b->seps += !word && (cp == '|' || cp == '>' || cp == 0x2022 ||
				     cp == 0xB7 || cp == 0xBB || cp == 0x203A);
		prev_lower = word && !up && !dig;
		prev_word = word;
		if (cp != ' ') {
			before_last = last;
			last = cp;
		}
		i += (size_t)k;
	}
	b->end_punct = last == '.' || last == '?' || last == 0x3002 ||
		       ((last == '"' || last == ')' || last == 0xBB) &&
			(before_last == '.' || before_last == '?' || before_last == 0x3002));
}

/* Pieces drawn from piece[np] by *seed, up to want bytes (and cap),
 * only ASCII ones when ascii: the text of the randomized tests. */
static size_t random_mix(char *buf, size_t cap, const char *const *piece, size_t np,
			 size_t want, bool ascii, uint32_t *seed)
{
	size_t n = 0;
	while (n < want) {
		*seed = *seed * 1103515245u + 12345u;
		const char *w = piece[(*seed >> 8) % np];
		if (ascii && (unsigned char)w[0] >= 0x80)
			continue;
		size_t k = strlen(w);
		if (n + k > cap)
			break;
		memcpy(buf + n, w, k);
		n += k;
	}
	return n;
}

static void test_raw_stats(void **state)
{
	(void)state;
	/* pieces whose mix crosses every chunk boundary: letters of both
	 * cases, digits, separators, spaces, non-ASCII letters and digits,
	 * a lone continuation byte */
	static const char *const piece[] = {
		"a", "B", "7", " ", "|", ">", ".", "?", "\"", ")", "-", "Zz",
		"\xc3\x89", "\xc3\xa9", "\xd9\xa3", "\xe2\x80\xa2", "\x80",
		"\xc2\xbb", "The", "  ", "x.", "\xe6\x97\xa5", "\xe3\x81\xae",
		"\xe3\x80\x82",
	};
	size_t np = sizeof piece / sizeof *piece;
	char buf[8192];
	uint32_t seed = 12345;
	for (int round = 0; round < 3000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t want = (seed >> 8) % (round < 100 ? 5000 : 120);
		/* some rounds all ASCII: the long vector runs */
		size_t n = random_mix(buf, sizeof buf, piece, np, want, round % 3 == 0, &seed);
		wn_block got = {0}, ref = {0};
		wn_raw_stats(&got, buf, n);
		raw_stats_reference(&ref, buf, n);
		assert_int_equal(got.chars, ref.chars);
		assert_int_equal(got.wide, ref.wide);
		assert_int_equal(got.alpha, ref.alpha);
		assert_int_equal(got.digits, ref.digits);
		assert_int_equal(got.upper, ref.upper);
		assert_int_equal(got.cap_words, ref.cap_words);
		assert_int_equal(got.glued, ref.glued);
		assert_int_equal(got.seps, ref.seps);
		assert_int_equal(got.end_punct, ref.end_punct);
	}
}

/* wn_words runs sixteen ASCII bytes at a time: the same words as the
 * definition, a code point at a time (letters, marks, digits), and the
 * same say on which are ASCII letters alone, on mixes whose words cross
 * every chunk boundary. */
typedef struct word_list {
	size_t n;
	size_t off[4096], len[4096];
	bool letters[4096];
	const char *base;
} word_list;

static void note_word(const char *w, size_t n, bool letters, void *ctx)
{
	word_list *l = ctx;
	assert_true(l->n < 4096);
	l->off[l->n] = (size_t)(w - l->base);
	l->letters[l->n] = letters;
	l->len[l->n++] = n;
}

static bool ascii_letters(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z')))
			return false;
	return true;
}

static void words_reference(const char *s, size_t len, word_list *l)
{
	size_t i = 0, start = SIZE_MAX;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		bool word = k > 0 && wn_is_word_cp(cp);
		if (k < 1)
			k = 1;
		if (word && start == SIZE_MAX)
			start = i;
		if (!word && start != SIZE_MAX) {
			note_word(s + start, i - start, ascii_letters(s + start, i - start), l);
			start = SIZE_MAX;
		}
		i += (size_t)k;
	}
	if (start != SIZE_MAX)
		note_word(s + start, len - start, ascii_letters(s + start, len - start), l);
}

static void test_words_chunks(void **state)
{
	(void)state;
	static const char *const piece[] = {
		"a", "B", "7", " ", ".", "-", "Zz", "word", "longerword", "  ",
		"\xc3\xa9", "\xc3\x9f", "\xe4\xb8\xad", "\xcc\x81", "\xf0\x9f\x98\x80",
		"\xff", "\x80", "\xd9\xa3", "_",
	};
	size_t np = sizeof piece / sizeof *piece;
	static word_list got, ref;
	char buf[2048];
	uint32_t seed = 777;
	for (int round = 0; round < 5000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t want = (seed >> 8) % 200;
		/* every other round all ASCII: the vector path's own runs */
		size_t n = random_mix(buf, sizeof buf, piece, np, want, round % 2 == 0, &seed);
		got.n = ref.n = 0;
		got.base = ref.base = buf;
		wn_words(buf, n, note_word, &got);
		words_reference(buf, n, &ref);
		assert_int_equal(got.n, ref.n);
		for (size_t j = 0; j < ref.n; j++) {
			assert_int_equal(got.off[j], ref.off[j]);
			assert_int_equal(got.len[j], ref.len[j]);
			assert_int_equal(got.letters[j], ref.letters[j]);
		}
	}
}

static void test_invalid_utf8_repaired(void **state)
{
	(void)state;
	winnow_options o;
	winnow_options_init(&o);
	winnow_error err;
	winnow_cleaner *c = winnow_cleaner_new(rules, &o, &err);
	const char *doc = "\x93Quoted,\x94 he said. " P1 "\n";
	winnow_result *res = winnow_clean(c, doc, strlen(doc));
	assert_int_equal(winnow_result_repairs(res), 2);
	assert_has(winnow_result_text(res, NULL), "\xe2\x80\x9cQuoted,\xe2\x80\x9d he said.");
	winnow_result_free(res);
	winnow_cleaner_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heading_between_paragraphs_kept),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_words_chunks),
		cmocka_unit_test(test_line_ends_every_offset),
		cmocka_unit_test(test_huge_line_key_capped),
		cmocka_unit_test(test_short_tail_run_dropped),
		cmocka_unit_test(test_navigation_head_dropped),
		cmocka_unit_test(test_repeated_title_caption_kept_once),
		cmocka_unit_test(test_repeated_paragraph_kept_repeated_heading_dropped),
		cmocka_unit_test(test_heading_index_grows),
		cmocka_unit_test(test_cut_after_article),
		cmocka_unit_test(test_copyright_notice_not_paragraph),
		cmocka_unit_test(test_cut_before_article_only_drops),
		cmocka_unit_test(test_cut_by_era),
		cmocka_unit_test(test_no_title),
		cmocka_unit_test(test_headline_above_byline_and_date),
		cmocka_unit_test(test_separators_kept),
		cmocka_unit_test(test_language_detected),
		cmocka_unit_test(test_feature_passes_agree),
		cmocka_unit_test(test_max_year),
		cmocka_unit_test(test_long_line_weights),
		cmocka_unit_test(test_unknown_lang_option),
		cmocka_unit_test(test_explain_reasons),
		cmocka_unit_test(test_no_stoplist_classes),
		cmocka_unit_test(test_keep_rule_protects),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_page_break_splits_lines),
		cmocka_unit_test(test_menu_separators_need_short_items),
		cmocka_unit_test(test_invalid_utf8_repaired),
		cmocka_unit_test(test_raw_stats),
		cmocka_unit_test(test_wide_scripts_measured),
		cmocka_unit_test(test_quote_does_not_make_language),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
