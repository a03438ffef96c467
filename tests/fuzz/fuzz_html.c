/* fuzz_html.c - libFuzzer target: winnow_clean in HTML mode over arbitrary
 * bytes with the default rules (html.rules, html.model), once plainly
 * (in windows of 64 bytes for Gumbo: html_window as tests/meson.build
 * builds it), once with explain and features on (whole), and once with
 * explain handed on window by window as --explain writes it (in those
 * windows), every string of the result read and checked to be valid
 * UTF-8 (the text, each block, each element path) and each block's class
 * words to be lower-case ASCII words, spaces and commas; the windows'
 * line numbers must lie between 1 and the page's size in bytes plus 1
 * (a line takes a byte, in any charset; Gumbo's foster parenting may
 * move a block before an earlier line's, so they need not rise). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winnow.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results go here so the compiler cannot drop the reads. */
volatile unsigned fuzz_sink;

static winnow_rules *rules;
static winnow_cleaner *plain, *explain;

static void setup(void)
{
	winnow_options o;
	rules = winnow_rules_new();
	if (winnow_rules_add_defaults(rules, NULL))
		abort();
	winnow_options_init(&o);
	o.input = WINNOW_INPUT_HTML;
	plain = winnow_cleaner_new(rules, &o, NULL);
	o.explain = true;
	o.features = true;
	o.no_title = true;
	explain = winnow_cleaner_new(rules, &o, NULL);
	if (!plain || !explain)
		abort();
}

/* s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF); written out here so that the check does not
 * share code with the library's own validator. */
static bool utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1
			 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 9;
		if (k == 9 || n - i <= k)
			return k == 0;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return false;
		i += k + 1;
	}
	return true;
}

static unsigned touch(const winnow_result *res)
{
	size_t len, n = winnow_result_block_count(res);
	const char *t = winnow_result_text(res, &len);
	unsigned sum = 0;
	winnow_block_info bi;

	if (!utf8_ok(t, len))
		abort();
	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)t[i];
	for (size_t i = 0; i < n; i++) {
		if (winnow_result_block(res, i, &bi))
			abort();
		if (!utf8_ok(bi.text, bi.len) ||
		    (bi.path && !utf8_ok(bi.path, strlen(bi.path))))
			abort();
		for (size_t j = 0; j < bi.len; j++)
			sum += (unsigned char)bi.text[j];
		sum += (unsigned)strlen(bi.reason);
		if (bi.path)
			sum += (unsigned)strlen(bi.path);
		for (const char *c = bi.classes; c && *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || *c == ' ' || *c == ','))
				abort();
		for (size_t j = 0; j < bi.nfeatures; j++)
			sum += bi.features[j] > 0;
	}
	return sum;
}

/* The windows of one page: the most lines it can have. */
typedef struct lines_seen {
	size_t page;
	unsigned sum;
} lines_seen;

static void each_window(void *ctx, const winnow_result *window)
{
	lines_seen *ls = ctx;
	winnow_block_info bi;
	ls->sum += touch(window);
	for (size_t i = 0; i < winnow_result_block_count(window); i++) {
		if (winnow_result_block(window, i, &bi))
			abort();
		if (bi.line < 1 || bi.line > ls->page)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	winnow_result *res;

	if (!rules)
		setup();
	res = winnow_clean(plain, (const char *)data, size);
	fuzz_sink += touch(res);
	winnow_result_free(res);
	res = winnow_clean(explain, (const char *)data, size);
	fuzz_sink += touch(res);
	winnow_result_free(res);
	lines_seen ls = {size + 1, 0};
	wn_window_fn fn = {each_window, &ls};
	res = wn_clean_windows(explain, (const char *)data, size, NULL, NULL,
			       NULL, &fn, true);
	fuzz_sink += touch(res) + ls.sum;
	winnow_result_free(res);
	return 0;
}
