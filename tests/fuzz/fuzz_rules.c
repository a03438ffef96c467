/* fuzz_rules.c - libFuzzer target: the rules-file parser
 * (winnow_rules_add_buffer) over arbitrary bytes.  When the bytes parse,
 * a short document is cleaned with them so compiled rules are exercised. */
#include <stdint.h>
#include <stdlib.h>

#include "winnow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc[] =
	"Headline of the story\n"
	"Share this article on Facebook\n"
	"\n"
	"The council voted on Tuesday to approve the new budget, which "
	"includes funding for schools and roads.\n"
	"Copyright 2024 Example News. All rights reserved.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	winnow_rules *r = winnow_rules_new();
	winnow_error err;

	if (winnow_rules_add_buffer(r, "fuzz.rules", (const char *)data, size,
				    &err) == 0) {
		winnow_options o;
		winnow_cleaner *c;

		winnow_options_init(&o);
		o.explain = true;
		c = winnow_cleaner_new(r, &o, NULL);
		if (c) {
			winnow_result_free(winnow_clean(c, doc, sizeof doc - 1));
			winnow_cleaner_free(c);
		}
	}
	winnow_rules_free(r);
	return 0;
}
