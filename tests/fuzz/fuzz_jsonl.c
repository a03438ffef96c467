/* fuzz_jsonl.c - libFuzzer target: the JSON Lines filter (wn_jsonl_filter,
 * internal to the executable) over arbitrary bytes read with fmemopen,
 * once plainly with bad lines kept and once with annotate on and bad lines
 * skipped.  The outputs are checked: the first has exactly one line per
 * input line; every line of the second is blank or a JSON object with a
 * string text field and ordered "removed" ranges.  The second run also
 * counts into a --stats summary, made and freed each time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	o.explain = true; /* annotate needs the per-block records */
	explain = winnow_cleaner_new(rules, &o, NULL);
	if (!plain || !explain)
		abort();
}

/* Runs the filter over data into a malloc'd buffer (*out, *outlen). */
static void run(winnow_cleaner *cl, const wn_stream_opts *o,
		const uint8_t *data, size_t size, char **out, size_t *outlen)
{
	/* glibc >= 2.22 reads a zero-size fmemopen stream as empty */
	FILE *in = fmemopen((void *)data, size, "r");
	FILE *mem = open_memstream(out, outlen);
	if (!in || !mem)
		abort();
	wn_jsonl_filter(cl, o, in, "fuzz.jsonl", mem);
	if (ferror(mem))
		abort();
	fclose(in);
	fclose(mem);
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The "winnow" field: ranges with start <= end, each after the last. */
static void check_annotation(const json_t *w)
{
	const json_t *removed = json_object_get(w, "removed"), *r;
	json_int_t last = 0;
	size_t i;
	if (!json_is_object(w) || !json_is_array(removed) ||
	    !json_is_integer(json_object_get(w, "repairs")))
		abort();
	json_array_foreach(removed, i, r) {
		json_int_t s = json_integer_value(json_object_get(r, "start"));
		json_int_t e = json_integer_value(json_object_get(r, "end"));
		if (s < last || e < s || !json_is_string(json_object_get(r, "reason")))
			abort();
		last = e;
	}
}

/* Every line the annotate run wrote (bad lines skipped) is jansson's. */
static void check_annotated(const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			abort(); /* every line ends with a newline */
		if (!blank(s, (size_t)(nl - s))) {
			json_error_t je;
			json_t *j = json_loadb(s, (size_t)(nl - s), 0, &je);
			if (!json_is_object(j) || !json_is_string(json_object_get(j, "text")))
				abort();
			check_annotation(json_object_get(j, "winnow"));
			json_decref(j);
		}
		s = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wn_stream_opts o = {.text_key = "text", .url_key = "url",
			    .on_error = WN_ON_ERROR_KEEP};
	char *out;
	size_t outlen;

	if (!rules)
		setup();
	run(plain, &o, data, size, &out, &outlen);
	/* one output line per input line, the last one without a newline too */
	size_t want = count_lines((const char *)data, size) +
		      (size && data[size - 1] != '\n');
	if (count_lines(out, outlen) != want)
		abort();
	free(out);

	o.annotate = true;
	o.on_error = WN_ON_ERROR_SKIP;
	o.stats = wn_stats_new();
	run(explain, &o, data, size, &out, &outlen);
	wn_stats_free(o.stats);
	check_annotated(out, outlen);
	free(out);
	return 0;
}
