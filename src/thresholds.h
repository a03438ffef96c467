/* thresholds.h - every tunable number of the classifier, in one struct,
 * defined with the origin of each value in thresholds.c.  Internal. */
#ifndef WINNOW_THRESHOLDS_H
#define WINNOW_THRESHOLDS_H

#include <stddef.h>

typedef struct wn_thresholds_t {
	size_t length_low, length_high;   /* short / long block, chars */
	double stop_low, stop_high;       /* stopword density bounds */
	size_t heading_max_words;
	double near_dup_share;
	size_t repeat_min_words;
	size_t near_dup_min_words;
	size_t nolang_good_words;
	size_t menu_seps;
	size_t rescue_min_words;
	size_t run_min_blocks, run_min_chars;
	double region_bad_weight, region_island_share;
	size_t model_min_blocks;
	double cut_after_share;
	size_t lang_max_tokens;           /* language detection */
	double lang_min_share;
	unsigned regex_match_limit, regex_depth_limit;
} wn_thresholds_t;

extern const wn_thresholds_t wn_thresholds;

#endif
