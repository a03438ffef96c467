/* thresholds.h - every tunable number of the classifier, in one struct,
 * defined with the origin of each value in thresholds.c.  Internal. */
#ifndef WINNOW_THRESHOLDS_H
#define WINNOW_THRESHOLDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wn_thresholds_t {
	size_t length_low, length_high;   /* short / long block, chars */
	double stop_low, stop_high;       /* stopword density bounds */
	size_t heading_min_words, heading_max_words; /* a heading kept */
	size_t prose_min_words;         /* a block counted as prose (doc_prose) */
	size_t text_headline_within;    /* text: blocks before the article a headline may stand */
	size_t text_headline_min_words; /* text: words a headline has at least */
	size_t text_headline_gap_words; /* text: words of a block between it and the story */
	size_t text_headline_date_digits; /* text: digits of a date between them */
	size_t text_headline_full_date; /* text: digits of a day and a year */
	size_t crumb_title_within, crumb_title_min_key; /* breadcrumbs */
	double near_dup_share, title_dup_longer_share;
	size_t near_dup_min_words;
	size_t nolang_good_words;
	size_t wide_char_weight, wide_chars_per_word; /* Han and kana */
	size_t hangul_char_weight;
	size_t unspaced_chars_per_word, unspaced_sentence_chars; /* Thai... */
	size_t menu_seps, menu_item_words;
	size_t rescue_min_words;
	size_t last_para_min_words;
	double last_para_min_p;
	size_t run_min_blocks, run_min_chars;
	double region_bad_weight, region_island_share;
	size_t model_min_blocks;
	double cut_after_share;
	int cut_modern_year;              /* a cut ends the article only on a
					   * page whose latest year is this or
					   * later, or that names none */
	size_t lang_max_tokens;           /* language detection */
	double lang_min_share;
	unsigned regex_match_limit, regex_depth_limit;
	size_t html_sniff_min_tags, html_sniff_bytes_per_tag; /* --input auto */
	double html_root_other_weight;    /* the content root (html.c) */
	bool html_modern_comments_chrome; /* drop comments (classify.c) */
	double html_old_text_weight;      /* the text model's share of p on
					   * a page in older markup */
	size_t html_max_attrs;            /* attributes kept per tag */
	size_t html_max_depth;            /* open elements kept */
	size_t html_max_formatting;       /* formatting elements active */
	size_t html_max_formatting_attrs; /* attributes kept on one */
	size_t html_window;               /* Gumbo's text per window of a page */
	size_t html_window_nodes;         /* and its nodes, roughly */
	size_t headline_max_block, headline_min_words, headline_max_words; /* the headline */
	double headline_title_share;
	size_t learn_min_docs;            /* cross-document learning (learn.c) */
	unsigned learn_min_share_pm, learn_long_share_pm; /* per mille */
	size_t learn_long_words, learn_max_key;
	size_t legacy_min_bytes, legacy_scan_bytes; /* wn_legacy_runs */
	unsigned legacy_run_share_pc;
	size_t text_window;               /* bytes a text document is cleaned in */
	size_t text_window_lines;         /* and lines, not blank */
	size_t key_max_line;              /* bytes of a line its key is made of */
	size_t malloc_mmap, malloc_trim;  /* glibc malloc, set by the CLI */
} wn_thresholds_t;

extern const wn_thresholds_t wn_thresholds;

#endif
