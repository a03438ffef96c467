/* fuzz_html.c - libFuzzer target: winnow_clean in HTML mode over arbitrary
 * bytes with the default rules (html.rules, html.model), once plainly and
 * once with explain and features on, every string of the result read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	o.input = WINNOW_INPUT_HTML;
	plain = winnow_cleaner_new(rules, &o, NULL);
	o.explain = true;
	o.features = true;
	o.no_title = true;
	explain = winnow_cleaner_new(rules, &o, NULL);
	if (!plain || !explain)
		abort();
}

static unsigned touch(const winnow_result *res)
{
	size_t len, n = winnow_result_block_count(res);
	const char *t = winnow_result_text(res, &len);
	unsigned sum = 0;
	winnow_block_info bi;

	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)t[i];
	for (size_t i = 0; i < n; i++) {
		if (winnow_result_block(res, i, &bi))
			abort();
		for (size_t j = 0; j < bi.len; j++)
			sum += (unsigned char)bi.text[j];
		sum += (unsigned)strlen(bi.reason);
		if (bi.path)
			sum += (unsigned)strlen(bi.path);
		for (size_t j = 0; j < bi.nfeatures; j++)
			sum += bi.features[j] > 0;
	}
	return sum;
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
	return 0;
}
