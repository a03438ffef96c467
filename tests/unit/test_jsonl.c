/* test_jsonl.c - the JSON string writer of the JSONL and WARC output
 * against jansson's own dump of the same string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

/* What jansson writes for s[0..n): json_dumps of wn_json_text, quotes
 * off (how the output was written before wn_json_write_string_body). */
static char *jansson_body(const char *s, size_t n, size_t *len)
{
	json_t *j = wn_json_text(s, n);
	char *d = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	assert_non_null(d);
	size_t m = strlen(d);
	assert_true(m >= 2);
	memmove(d, d + 1, m - 2);
	*len = m - 2;
	return d;
}

static void expect_same(const char *s, size_t n)
{
	char *got = NULL;
	size_t got_len = 0, want_len;
	FILE *f = open_memstream(&got, &got_len);
	assert_non_null(f);
	wn_json_write_string_body(f, s, n);
	assert_int_equal(fclose(f), 0);
	char *want = jansson_body(s, n, &want_len);
	if (got_len != want_len || memcmp(got, want, want_len)) {
		fprintf(stderr, "input of %zu bytes:", n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %02x", (unsigned char)s[i]);
		fprintf(stderr, "\nwant %.*s\ngot  %.*s\n", (int)want_len, want,
			(int)got_len, got);
		fail();
	}
	free(got);
	free(want);
}

/* Every byte alone, and every byte inside ASCII text: the escapes by
 * name, the \u00XX ones, '"', '\\', '/', DEL, and the invalid bytes
 * that are repaired first. */
static void test_every_byte(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		char one = (char)c;
		expect_same(&one, 1);
		char three[] = {'a', (char)c, 'b'};
		expect_same(three, sizeof three);
	}
	expect_same("", 0);
}

static void test_utf8_and_repairs(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 \"q\" \\ /",
		"\xe2\x80\xa8 line separator, \xc2\x85 NEL, \xef\xbb\xbf BOM",
		"tab\there\r\nnew\fpage\bback\x01\x1f\x7f",
		"\xed\xa0\x80 surrogate, \xc0\xaf overlong, \xf4\x90\x80\x80 too high",
		"cut \xe2\x80", /* a sequence cut short at the end */
		"\x80\x81 lone continuations \xff\xfe",
		"\xe9t\xe9 in cp1252",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect_same(cases[i], strlen(cases[i]));
	expect_same("nul\0inside", 10);
}

/* Random strings over an alphabet that mixes what is escaped, what is
 * not, and pieces of valid and invalid UTF-8. */
static void test_random_strings(void **state)
{
	(void)state;
	static const char *const parts[] = {
		"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
		"\x01", "\x1f", "\x7f", "\0", "\xc3\xa9", "\xe2\x80\x94",
		"\xf0\x9f\x98\x80", "\xc3", "\x80", "\xed\xa0\x80", "\xff",
		"\xe2\x80", "u00", "\\u",
	};
	static const size_t lens[] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 1, 1, 3,
		1, 2, 3, 2,
	};
	uint64_t x = 0x9e3779b97f4a7c15u;
	char buf[256];
	for (int k = 0; k < 20000; k++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t parts_n = (size_t)(x % 40);
		for (size_t p = 0; p < parts_n; p++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t w = (size_t)(x % (sizeof lens / sizeof *lens));
			memcpy(buf + n, parts[w], lens[w]);
			n += lens[w];
		}
		expect_same(buf, n);
	}
}

/* The scan for the next byte to escape, sixteen bytes at a time,
 * against a byte at a time: one special byte (or none) at every offset
 * of every length to 40, among plain ASCII and bytes past it. */
static void test_plain_end(void **state)
{
	(void)state;
	static const unsigned char specials[] = {'"', '\\', 0x00, 0x1f, 0x0a};
	static const unsigned char plain[] = {'a', ' ', '/', 0x7f, 0x80, 0xc3, 0xff, 0x20, 0x21};
	char buf[48];
	for (size_t n = 0; n <= 40; n++)
		for (size_t at = 0; at <= n; at++)
			for (size_t k = 0; k < sizeof specials; k++) {
				for (size_t i = 0; i < n; i++)
					buf[i] = (char)plain[(i * 7 + n) % sizeof plain];
				if (at < n)
					buf[at] = (char)specials[k];
				const char *want = buf;
				while (want < buf + n && (unsigned char)*want >= 0x20 &&
				       *want != '"' && *want != '\\')
					want++;
				assert_ptr_equal(wn_json_plain_end(buf, buf + n), want);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_utf8_and_repairs),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_plain_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
