/* fuzz_clean.c - libFuzzer target: winnow_clean over arbitrary bytes with
 * the default rules, once plainly and once with explain and features on
 * (the per-block records are walked so every string is read), and once
 * as the CLI cleans a file: its own copy handed over to be rewritten or
 * freed (wn_sink.input), which must give winnow_clean's text to the
 * byte.  Built with 256-byte text windows (tests/meson.build). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "winnow.h"

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
	plain = winnow_cleaner_new(rules, &o, NULL);
	o.explain = true;
	o.features = true;
	explain = winnow_cleaner_new(rules, &o, NULL);
	if (!plain || !explain)
		abort();
}

/* Reads every byte the result exposes, so out-of-bounds lengths show. */
static unsigned touch(const winnow_result *res)
{
	size_t len, n = winnow_result_block_count(res);
	const char *t = winnow_result_text(res, &len);
	unsigned sum = 0;
	winnow_block_info bi;

	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)t[i];
	sum += (unsigned)strlen(winnow_result_lang(res));
	for (size_t i = 0; i < n; i++) {
		if (winnow_result_block(res, i, &bi))
			abort();
		for (size_t j = 0; j < bi.len; j++)
			sum += (unsigned char)bi.text[j];
		sum += (unsigned)strlen(bi.reason);
		for (size_t j = 0; j < bi.nfeatures; j++)
			sum += bi.features[j] > 0;
	}
	if (winnow_result_block(res, n, &bi) != -1)
		abort();
	return sum;
}

static void collect(void *ctx, const char *s, size_t n)
{
	wn_buf_add(ctx, s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	winnow_result *res;

	if (!rules)
		setup();
	res = winnow_clean(plain, (const char *)data, size);
	fuzz_sink += touch(res);
	/* the CLI's path: a buffer of its own, rewritten or let go */
	size_t want_len;
	const char *want = winnow_result_text(res, &want_len);
	char *copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	wn_buf got;
	wn_buf_init(&got);
	wn_sink sink = {collect, &got, &copy};
	winnow_result *r2 = wn_clean_sink(plain, copy, size, NULL, NULL, &sink);
	if (got.len != want_len || (want_len && memcmp(got.data, want, want_len)))
		abort();
	winnow_result_free(r2);
	wn_buf_free(&got);
	free(copy);
	winnow_result_free(res);
	res = winnow_clean(explain, (const char *)data, size);
	fuzz_sink += touch(res);
	winnow_result_free(res);
	return 0;
}
