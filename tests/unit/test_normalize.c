/* test_normalize.c - unit tests for the Unicode stage (normalize.c).
 *
 * Inputs are built by hand.  Bytes below U+00A0 and invalid sequences are
 * written as \x escapes (C forbids \u for them); a literal split like
 * "\xC2\x85" "d" stops the hex escape from eating the next letter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "html.h"
#include "normalize.h"

/* ---------------------------------------------------------------- helpers */

static const wn_norm_opts NFC = { false, false };
static const wn_norm_opts NFKC = { true, false };
static const wn_norm_opts NFC_ASCII = { false, true };
static const wn_norm_opts NFKC_ASCII = { true, true };
static const wn_norm_opts *const ALL_OPTS[] = {
	&NFC, &NFKC, &NFC_ASCII, &NFKC_ASCII,
};
#define N_OPTS (sizeof ALL_OPTS / sizeof ALL_OPTS[0])

static void check_repair(const char *in, size_t len, const char *want,
			 size_t want_repairs)
{
	wn_buf b;
	wn_buf_init(&b);
	size_t repairs = 0;
	wn_utf8_repair(in, len, &b, &repairs);
	assert_string_equal(wn_buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(repairs, want_repairs);
	assert_true(wn_utf8_valid(b.data, b.len));
	assert_int_equal(wn_utf8_valid(in, len), want_repairs == 0);
	wn_buf_free(&b);
}
#define REPAIR(in, want, n) check_repair(in, sizeof(in) - 1, want, n)

static void check_norm(const char *in, size_t len, const wn_norm_opts *o,
		       const char *want)
{
	wn_buf b;
	wn_buf_init(&b);
	wn_normalize(in, len, o, &b);
	assert_string_equal(wn_buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	wn_buf_free(&b);
}
#define NORM(in, want) check_norm(in, sizeof(in) - 1, NULL, want)
#define NORM_O(o, in, want) check_norm(in, sizeof(in) - 1, &(o), want)

static void check_key(const char *in, const char *want)
{
	wn_buf b;
	wn_buf_init(&b);
	wn_key(in, strlen(in), &b);
	assert_string_equal(wn_buf_cstr(&b), want);
	wn_buf_free(&b);
}

/* normalize(normalize(x)) == normalize(x), and the result is valid. */
static void check_idempotent(const char *in, size_t len, const wn_norm_opts *o)
{
	wn_buf a, b;
	wn_buf_init(&a);
	wn_buf_init(&b);
	wn_normalize(in, len, o, &a);
	assert_true(wn_utf8_valid(a.data, a.len));
	wn_normalize(a.data, a.len, o, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	wn_buf_free(&a);
	wn_buf_free(&b);
}

/* utf8proc's own NFC/NFKC of in[0..len), as a wn_buf. */
static void reference(const char *in, size_t len, bool compat, wn_buf *out)
{
	utf8proc_uint8_t *r = NULL;
	int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	if (compat)
		opts |= UTF8PROC_COMPAT;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in,
		(utf8proc_ssize_t)len, &r, (utf8proc_option_t)opts);
	assert_true(n >= 0);
	wn_buf_add(out, (const char *)r, (size_t)n);
	free(r);
}

/* A deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static void add_cp(wn_buf *b, int32_t cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);
	wn_buf_add(b, (const char *)u, (size_t)n);
}

/* --------------------------------------------------------- wn_utf8_repair */

static void test_repair_valid_untouched(void **state)
{
	(void)state;
	REPAIR("plain ascii", "plain ascii", 0);
	REPAIR("caf\u00e9 \u65e5\u672c\u8a9e \U0001F389 \u00ff\u07ff\u0800"
	       "\uffff\U00010000\U0010FFFF",
	       "caf\u00e9 \u65e5\u672c\u8a9e \U0001F389 \u00ff\u07ff\u0800"
	       "\uffff\U00010000\U0010FFFF", 0);
	/* NUL is a valid code point; repair keeps it. */
	wn_buf b;
	wn_buf_init(&b);
	wn_utf8_repair("a\0b", 3, &b, NULL);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 3);
	wn_buf_free(&b);
}

static void test_repair_lone_continuation(void **state)
{
	(void)state;
	REPAIR("a\x80" "b", "a\u20ac" "b", 1);
	REPAIR("\xBF", "\u00bf", 1);
}

static void test_repair_truncated(void **state)
{
	(void)state;
	REPAIR("caf\xC3", "caf\u00c3", 1);
	REPAIR("x\xE2\x82", "x\u00e2\u201a", 2);
	REPAIR("\xF0\x9F\x8E", "\u00f0\u0178\u017d", 3);
	/* A sequence cut short by ASCII: the ASCII byte survives. */
	REPAIR("\xE2\x82" "A", "\u00e2\u201a" "A", 2);
}

static void test_repair_overlong(void **state)
{
	(void)state;
	REPAIR("\xC0\x80", "\u00c0\u20ac", 2);
	REPAIR("\xC1\xBF", "\u00c1\u00bf", 2);
	REPAIR("\xE0\x80\xAF", "\u00e0\u20ac\u00af", 3);
	REPAIR("\xF0\x80\x80\x80", "\u00f0\u20ac\u20ac\u20ac", 4);
}

static void test_repair_surrogate(void **state)
{
	(void)state;
	REPAIR("\xED\xA0\x80", "\u00ed\u00a0\u20ac", 3);
	REPAIR("\xED\xBF\xBF", "\u00ed\u00bf\u00bf", 3);
	/* ED 9F BF is U+D7FF, the last code point before the surrogates. */
	REPAIR("\xED\x9F\xBF", "\ud7ff", 0);
}

static void test_repair_high_bytes(void **state)
{
	(void)state;
	REPAIR("\xF5", "\u00f5", 1);
	REPAIR("\xFE\xFF", "\u00fe\u00ff", 2);
	/* F4 90 80 80 would be U+110000. */
	REPAIR("\xF4\x90\x80\x80", "\u00f4\ufffd\u20ac\u20ac", 4);
}

static void test_repair_cp1252(void **state)
{
	(void)state;
	REPAIR("\x93quoted\x94", "\u201cquoted\u201d", 2);
	REPAIR("it\x92s \x96 \x85 \x80 5", "it\u2019s \u2013 \u2026 \u20ac 5",
	       4);
	REPAIR("na\xEFve", "na\u00efve", 1);
	/* The whole 0x80-0x9F row, the five undefined bytes included. */
	REPAIR("\x80\x81\x82\x83\x84\x85\x86\x87"
	       "\x88\x89\x8A\x8B\x8C\x8D\x8E\x8F"
	       "\x90\x91\x92\x93\x94\x95\x96\x97"
	       "\x98\x99\x9A\x9B\x9C\x9D\x9E\x9F",
	       "\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021"
	       "\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd"
	       "\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014"
	       "\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178", 32);
	/* The five bytes cp1252 leaves undefined. */
	REPAIR("\x81\x8D\x8F\x90\x9D",
	       "\ufffd\ufffd\ufffd\ufffd\ufffd", 5);
}

static void test_repair_count_and_append(void **state)
{
	(void)state;
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_adds(&b, "head:");
	size_t repairs = 10;
	wn_utf8_repair("\x81" "ok\xFF", 4, &b, &repairs);
	assert_int_equal(repairs, 12);
	assert_string_equal(wn_buf_cstr(&b), "head:\ufffdok\u00ff");
	wn_utf8_repair("", 0, &b, &repairs);
	assert_int_equal(repairs, 12);
	wn_buf_free(&b);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(wn_utf8_valid("", 0));
	assert_true(wn_utf8_valid("\xF4\x8F\xBF\xBF", 4));
	assert_false(wn_utf8_valid("\xF4\x90\x80\x80", 4));
	assert_false(wn_utf8_valid("\xC2", 1));
	assert_false(wn_utf8_valid("abcdefghijklmnop\xC2", 17));
	assert_false(wn_utf8_valid("\xE0\x9F\xBF", 3));
	assert_true(wn_utf8_valid("\xE0\xA0\x80", 3));
}

/* ----------------------------------------------------------- mojibake */

/* in (valid UTF-8) through wn_mojibake_fix: want, or in itself when want
 * is NULL (nothing to fix), and the sequences counted. */
static void check_moji(const char *in, const char *want, size_t count)
{
	wn_buf b;
	wn_buf_init(&b);
	size_t fixes = 0;
	bool changed = wn_mojibake_fix(in, strlen(in), &b, &fixes);
	assert_int_equal(fixes, count);
	if (!want) {
		assert_false(changed);
		assert_int_equal(b.len, 0);
	} else {
		assert_true(changed);
		assert_string_equal(wn_buf_cstr(&b), want);
		/* a second pass finds nothing: idempotent */
		wn_buf c;
		wn_buf_init(&c);
		assert_false(wn_mojibake_fix(b.data, b.len, &c, NULL));
		wn_buf_free(&c);
	}
	wn_buf_free(&b);
	/* in place: the same text and count, nothing written at or past
	 * the input's end (the next window's bytes) */
	size_t n = strlen(in), m = n;
	char *s = malloc(n + 4);
	assert_non_null(s);
	memcpy(s, in, n);
	memcpy(s + n, "END", 4);
	fixes = 0;
	assert_int_equal(wn_mojibake_fix_in_place(s, &m, &fixes), want != NULL);
	assert_int_equal(fixes, count);
	assert_int_equal(m, want ? strlen(want) : n);
	assert_memory_equal(s, want ? want : in, m);
	assert_string_equal(s + n, "END");
	free(s);
}

static void test_mojibake_cp1252_and_latin1(void **state)
{
	(void)state;
	/* UTF-8 read as windows-1252 */
	check_moji("don\u00e2\u20ac\u2122t", "don\u2019t", 1);
	check_moji("caf\u00c3\u00a9 \u00e2\u20ac\u201c cr\u00c3\u00a8me",
		   "caf\u00e9 \u2013 cr\u00e8me", 3);
	check_moji("\u00c2\u00a3 5 \u00e2\u201a\u00ac", "\u00a3 5 \u20ac", 2);
	check_moji("\u00c5\u00bc\u00c3\u00b3\u00c5\u201a", "\u017c\u00f3\u0142", 3);
	/* read as Latin-1: C1 controls stand for 0x80-0x9F */
	check_moji("doesn\u00e2\xc2\x80\xc2\x99t", "doesn\u2019t", 1);
	/* beside an unmistakable one ("Ã©"), such a sequence is mojibake
	 * too: "Ã " is à, "Ã»" û */
	check_moji("caf\u00c3\u00a9 \u00c3\u00a0 cro\u00c3\u00bbte", "caf\u00e9 \u00e0 cro\u00fbte", 3);
	/* written out twice: two layers, 3 sequences then 1 */
	check_moji("don\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2t",
		   "don\u2019t", 4);
	/* a closing quote whose third byte (0x9D, undefined in
	 * windows-1252) was lost before white space, punctuation or the
	 * end, or became U+FFFD: "\u00e2\u20ac\ufffd" alone says so */
	check_moji("\u00e2\u20ac\u0153ok\u00e2\u20ac said",
		   "\u201cok\u201d said", 2);
	check_moji("\u00e2\u20ac\u0153ok\u00e2\u20ac", "\u201cok\u201d", 2);
	check_moji("\u00e2\u20ac\u0153ok\u00e2\u20ac.", "\u201cok\u201d.", 2);
	check_moji("fine\u00e2\u20ac\ufffd here", "fine\u201d here", 1);
	/* bare, before a letter, or with nothing sure beside it: left */
	check_moji("\u00e2\u20ac\u0153ok\u00e2\u20acx", "\u201cok\u00e2\u20acx", 1);
	check_moji("price \u00e2\u20ac here", NULL, 0);
}

static void test_mojibake_real_text_kept(void **state)
{
	(void)state;
	check_moji("", NULL, 0);
	check_moji("plain ASCII", NULL, 0);
	/* accented letters followed by letters, spaces, punctuation */
	check_moji("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \u00e0 bient\u00f4t, S\u00c3O PAULO, "
		   "\u00c4rger, \u00ab\u00c0 la\u00bb, \u00e9t\u00e9.", NULL, 0);
	/* "muß…": DF 85 is well-formed UTF-8, but U+07C5 (NKo) is no
	 * character mojibake hides */
	check_moji("mu\u00df\u2026", NULL, 0);
	/* all-caps words before closing punctuation or NBSP look like
	 * mojibake of one character: alone, they are real text */
	check_moji("\u00abMA\u00c7\u00c3\u00bb, \u00abAMANH\u00c3\u2026\u00bb", NULL, 0);
	check_moji("\u201dHYV\u00c4\u00c4 P\u00c4IV\u00c4\u201d \u201dBO P\u00c5\u201d", NULL, 0);
	check_moji("\u00abCOS\u00cc \u00c8\u00bb \u00abPERCH\u00c8\u2026\u00bb", NULL, 0);
	check_moji("\u00ab L\u2019\u00c9T\u00c9\u2026 \u00bb AMA\u00c7\u2026 S\u00c3\u00a0X", NULL, 0);
	/* a lead without its continuation, at the end or before ASCII */
	check_moji("\u00e2\u20ac", NULL, 0);
	check_moji("\u00e2\u20acx", NULL, 0);
	/* an overlong (C0/C1 leads are no candidates; E0 80 is overlong) */
	check_moji("\u00e0\xc2\x80\xc2\x80", NULL, 0);
}

static void test_mojibake_count_and_append(void **state)
{
	(void)state;
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_adds(&b, "head:");
	size_t fixes = 3;
	assert_true(wn_mojibake_fix("x\u00c3\u00a9", 5, &b, &fixes));
	assert_int_equal(fixes, 4);
	assert_string_equal(wn_buf_cstr(&b), "head:x\u00e9");
	wn_buf_free(&b);
}

/* ----------------------------------------------------------- wn_normalize */

static void test_norm_newlines(void **state)
{
	(void)state;
	NORM("a\r\nb\rc\xC2\x85" "d\u2028" "e\u2029" "f\n",
	     "a\nb\nc\nd\ne\nf\n");
	NORM("\r\r\n\n", "\n\n\n");
	NORM("caf\u00e9\r\nx\r", "caf\u00e9\nx\n");
}

static void test_norm_controls(void **state)
{
	(void)state;
	NORM("a\x01" "b\tc\x7f" "d\x1b" "e\n", "ab cde\n");
	NORM("x\xC2\x80" "y\xC2\x9F" "z", "xyz");
	NORM("\x0b\x0c", "");
	check_norm("a\0b", 3, NULL, "ab");
	/* A control between a letter and its accent must not block NFC,
	 * not even a long run of them. */
	NORM("e\x01\u0301", "\u00e9");
	NORM("e\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\u0301", "\u00e9");
	NORM("a\u0308\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\u0304",
	     "\u01df");
}

static void test_norm_invisibles(void **state)
{
	(void)state;
	NORM("\ufeffa\u00adb\u200bc\u2060" "d", "abcd");
	NORM("\u00e9\ufeff", "\u00e9");
	NORM("e\u200b\u0301", "\u00e9");
}

static void test_norm_zwj_zwnj_kept(void **state)
{
	(void)state;
	/* Persian "mi-khaham": the ZWNJ is spelling, not noise. */
	NORM("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
	     "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645");
	/* man + ZWJ + woman + ZWJ + girl: one family emoji. */
	NORM("\U0001F468\u200d\U0001F469\u200d\U0001F467",
	     "\U0001F468\u200d\U0001F469\u200d\U0001F467");
}

static void test_norm_spaces(void **state)
{
	(void)state;
	NORM("a\u00a0" "b\u2009" "c\u3000" "d\u202f" "e\u1680" "f",
	     "a b c d e f");
	NORM("a \u00a0 \u2003b", "a b");
	NORM("a    b\t\tc \t d", "a b c d");
}

static void test_norm_trim(void **state)
{
	(void)state;
	NORM("  a b  \n\t c \n", "a b\nc\n");
	NORM("   \n  \n", "\n\n");
	NORM("\u00a0x\u00a0", "x");
	NORM("  \u00e9  \n  \u00e9", "\u00e9\n\u00e9");
	NORM("x \u2028 y", "x\ny");
	NORM("end   ", "end");
	/* Appending: the call starts a new line wherever out ends. */
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_adds(&b, "prev");
	wn_normalize("  x  ", 5, NULL, &b);
	assert_string_equal(wn_buf_cstr(&b), "prevx");
	wn_buf_free(&b);
}

static void test_norm_ligatures(void **state)
{
	(void)state;
	NORM("\ufb01ne \ufb00 \ufb02 \ufb03 \ufb04 \ufb05 \ufb06",
	     "fine ff fl ffi ffl \u017ft st");
	NORM_O(NFKC, "\ufb05", "st");
}

static void test_norm_nfc(void **state)
{
	(void)state;
	NORM("e\u0301", "\u00e9");
	NORM("A\u030a", "\u00c5");
	NORM("\u212b", "\u00c5");            /* angstrom sign */
	NORM("\u1100\u1161\u11a8", "\uac01"); /* conjoining jamo */
	NORM("\uac00\u11a8", "\uac01");
	/* Canonical order: dot below (220) before acute (230). */
	NORM("a\u0301\u0323", "\u1ea1\u0301");
	/* Space then mark: nothing to compose with. */
	NORM("e \u0301", "e \u0301");
	/* NFC keeps compatibility characters. */
	NORM("\u2460 \ufb00", "\u2460 ff");
	NORM("\uff21", "\uff21");
}

static void test_norm_nfkc(void **state)
{
	(void)state;
	NORM_O(NFKC, "\u2460", "1");
	NORM_O(NFKC, "\ufb00", "ff");
	NORM_O(NFKC, "\uff28\uff45\uff4c\uff4c\uff4f", "Hello");
	NORM_O(NFKC, "x\u00b2", "x2");
	/* NFKC makes spaces; they must be collapsed and trimmed too. */
	NORM_O(NFKC, "a\u00a8" "b", "a \u0308" "b");
	NORM_O(NFKC, "\u00a8", "\u0308");
	NORM_O(NFKC, "x \u00a8", "x \u0308");
	NORM_O(NFKC, "x\u00a8 ", "x \u0308");
	NORM_O(NFKC, "\u2025", "..");
}

static void test_norm_ascii_punct(void **state)
{
	(void)state;
	NORM_O(NFC_ASCII,
	       "\u2018a\u2019 \u201cb\u201d \u201ac\u201b \u201ed\u201f "
	       "\u2032 \u2033 \u00abe\u00bb",
	       "'a' \"b\" 'c' \"d\" ' \" \"e\"");
	NORM_O(NFC_ASCII, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
	       "-------");
	NORM_O(NFC_ASCII, "wait\u2026", "wait...");
	NORM("\u201cx\u201d \u2014", "\u201cx\u201d \u2014");
	/* NFKC turns U+2033 into two primes; the mapping still gives '"'. */
	NORM_O(NFKC_ASCII, "\u2033", "\"");
	/* ...and makes dashes (U+FE31) that must be mapped afterwards. */
	NORM_O(NFKC_ASCII, "a\ufe31" "b\ufe58", "a-b-");
}

static void test_norm_empty_and_null_opts(void **state)
{
	(void)state;
	check_norm("", 0, NULL, "");
	check_norm("x", 1, &NFC, "x");
	wn_buf b;
	wn_buf_init(&b);
	wn_normalize("", 0, NULL, &b);
	assert_int_equal(b.len, 0);
	wn_buf_free(&b);
}

/* Over 30 marks in a row get a CGJ (UAX #15 stream-safe format). */
static void test_norm_stream_safe(void **state)
{
	(void)state;
	wn_buf in, want;
	wn_buf_init(&in);
	wn_buf_init(&want);
	wn_buf_addc(&in, 'a');
	for (int i = 0; i < 40; i++)
		add_cp(&in, 0x301);
	add_cp(&want, 0xE1);
	for (int i = 0; i < 29; i++)
		add_cp(&want, 0x301);
	add_cp(&want, 0x34F);
	for (int i = 0; i < 10; i++)
		add_cp(&want, 0x301);
	check_norm(in.data, in.len, NULL, wn_buf_cstr(&want));
	for (size_t k = 0; k < N_OPTS; k++)
		check_idempotent(in.data, in.len, ALL_OPTS[k]);

	/* A space is a starter: the count starts again after it, even
	 * when the spaces go through the ASCII fast path. */
	wn_buf_clear(&in);
	wn_buf_clear(&want);
	wn_buf_addc(&in, 'a');
	add_cp(&want, 0xE1);
	for (int i = 0; i < 29; i++) {
		add_cp(&in, 0x301);
		if (i)
			add_cp(&want, 0x301);
	}
	wn_buf_adds(&in, "          ");
	wn_buf_adds(&want, " ");
	for (int i = 0; i < 5; i++) {
		add_cp(&in, 0x301);
		add_cp(&want, 0x301);
	}
	check_norm(in.data, in.len, NULL, wn_buf_cstr(&want));
	wn_buf_free(&in);
	wn_buf_free(&want);
}

static const char *const nasty[] = {
	"",
	" ",
	"\n",
	"\r",
	"\r\n\r\n",
	"  \t \n \t ",
	"e\u0301",
	"\u0301",
	" \u0301",
	"\u0301 ",
	"a \u0301 b",
	"\u00a8",
	" \u00a8 ",
	"\u00a8\u00a8\u00a8",
	"\u2025\u2025",
	"\u1100\u1161\u11a8",
	"\u1100 \u1161",
	"\u1100\u200b\u1161",
	"\u1100\u1161\xC2\x85\u11a8",
	"\u3131\u314f",
	"\uffa1\uffc2",
	"\u30ab\uff9e",
	"\u304b\u309b",
	"\u09c7\u09be",
	"\u0b47\u0b3e\u0b56",
	"\u0f73\u0f75\u0f81",
	"\u0344\u0345",
	"\u03c9\u0345\u0301",
	"\ufdfa",
	"\ufb01\u0301",
	"\ufb05\u0307",
	"\u017f\u0307",
	"x\u200d\u0301",
	"\u200c\u0301",
	"\ufeff\ufeff\u00ad",
	"a\u00ad\u0301",
	"\u2003\u0301",
	"\u3000\u3000x\u3000\u3000",
	"\u2033\u2034\u2057",
	"\u2026\u0301",
	"\u2019\u0301",
	"\ufe31\ufe32\ufe58\ufe63\uff0d",
	"\u00ab\u00bb\u2039\u203a",
	"\u0958\u0959",
	"\U0001D15E\U0001D160",
	"\u2126\u212a\u212b",
	"\u037e\u0387",
	"\u0340\u0341\u0343",
	"\u1e9b\u0323",
	"\u0130\u0131",
	"\u2000\u2001\u205f\u202f",
	"\u2028\u2029\u2028",
	("a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309"
	 "\u030a\u030b\u030c\u030d\u030e\u030f\u0310\u0311\u0312\u0313"
	 "\u0314\u0315\u0316\u0317\u0318\u0319\u031a\u031b\u031c\u031d"
	 "\u031e\u031f\u0320\u0321\u0322\u0323\u0324\u0325\u0326\u0327"),
	("H\u0338\u0321\u032a\u032f\u0368\u034a\u033d\u0305\u033e\u030e"
	 "E\u0327\u032c\u0329\u033e\u035b\u036a\u0344\u0300\u0301\u0358"),
};

static void test_norm_idempotent_nasty(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
		for (size_t k = 0; k < N_OPTS; k++) {
			const char *s = nasty[i];
			check_idempotent(s, strlen(s), ALL_OPTS[k]);
			/* and in context, where neighbours may compose */
			wn_buf ctx;
			wn_buf_init(&ctx);
			wn_buf_adds(&ctx, "e");
			wn_buf_adds(&ctx, s);
			wn_buf_adds(&ctx, "\u0301 x ");
			wn_buf_adds(&ctx, s);
			check_idempotent(ctx.data, ctx.len, ALL_OPTS[k]);
			wn_buf_free(&ctx);
		}
	}
}

/* Each code point alone and between letters: catches any character
 * whose NFC/NFKC output would be changed again by the earlier steps. */
static void test_norm_idempotent_every_code_point(void **state)
{
	(void)state;
	wn_buf s;
	wn_buf_init(&s);
	for (int32_t cp = 0; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		/* The rarely used planes 3-13 are unassigned: sample them. */
		if (cp >= 0x32000 && cp < 0xE0000 && (cp & 0xFFF))
			continue;
		wn_buf_clear(&s);
		wn_buf_addc(&s, 'a');
		add_cp(&s, cp);
		wn_buf_adds(&s, " ");
		add_cp(&s, cp);
		check_idempotent(s.data, s.len, ALL_OPTS[cp % N_OPTS]);
	}
	wn_buf_free(&s);
}

static const char *const fuzz_pieces[] = {
	" ", "  ", "\t", "\n", "\r", "\r\n", "e", "A", ".", "'",
	"\xCC\x81", "\xCC\xA3", "\xCD\x85", "\xC2\xA0", "\xC2\x85", "\xC2\xA8",
	"\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
	"\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x81\xA0", "\xEF\xBB\xBF",
	"\xEF\xAC\x81", "\xEF\xAC\x85", "\xE1\x84\x80", "\xE1\x85\xA1",
	"\xE1\x86\xA8", "\xEA\xB0\x80", "\xE2\x80\x9C", "\xE2\x80\xA6",
	"\xE2\x80\xB3", "\xEF\xB8\xB1", "\xE2\x91\xA0", "\xE2\x80\xA5",
	"\xE3\x80\x80", "\xEF\xBE\x9E", "\xE0\xA7\x87", "\xE0\xA6\xBE",
	"\xCD\x8F", "\xC3\xA9", "\xE2\x84\xAB",
	/* mojibake pieces: leads, cp1252 and Latin-1 continuations */
	"\xC3\xA2", "\xC3\x83", "\xC3\x85", "\xC3\xB0", "\xE2\x82\xAC",
	"\xE2\x84\xA2", "\xC2\x80", "\xC2\x99", "\xC2\xA9", "\xC5\xA1",
};

/* Random bytes, biased towards the pieces above: repair, then
 * normalizing twice must give the same bytes. */
static void test_norm_fuzz_idempotent(void **state)
{
	(void)state;
	size_t npieces = sizeof fuzz_pieces / sizeof fuzz_pieces[0];
	wn_buf raw, fixed;
	wn_buf_init(&raw);
	wn_buf_init(&fixed);
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (int iter = 0; iter < 20000; iter++) {
		wn_buf_clear(&raw);
		wn_buf_clear(&fixed);
		int n = (int)(rng() % 48);
		for (int i = 0; i < n; i++) {
			if (rng() % 3 == 0)
				wn_buf_addc(&raw, (char)(rng() & 0xFF));
			else
				wn_buf_adds(&raw, fuzz_pieces[rng() % npieces]);
		}
		wn_utf8_repair(raw.data, raw.len, &fixed, NULL);
		assert_true(wn_utf8_valid(fixed.data, fixed.len));
		const wn_norm_opts *o = ALL_OPTS[iter % N_OPTS];
		check_idempotent(fixed.data, fixed.len, o);
	}
	wn_buf_free(&raw);
	wn_buf_free(&fixed);
}

/* The contract of wn_normalize written the slow, obvious way: clean the
 * code points, then utf8proc_map each line, then map punctuation and
 * fix spaces.  The real code must agree with it byte for byte. */
static const char *model_punct(int32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0xAB: case 0xBB:
		return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return "-";
	case 0x2026:
		return "...";
	}
	return NULL;
}

static void model_line(const char *line, size_t len, const wn_norm_opts *o,
		       wn_buf *out)
{
	wn_buf nf;
	wn_buf_init(&nf);
	reference(line, len, o->nfkc, &nf);
	bool space = false, any = false;
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)nf.data;
	for (size_t i = 0; i < nf.len;) {
		int32_t cp;
		utf8proc_ssize_t rest = (utf8proc_ssize_t)(nf.len - i);
		i += (size_t)utf8proc_iterate(u + i, rest, &cp);
		const char *a = o->ascii_punct ? model_punct(cp) : NULL;
		int32_t one[3] = { cp };
		size_t n = 1;
		if (a)
			for (n = 0; a[n]; n++)
				one[n] = a[n];
		for (size_t k = 0; k < n; k++) {
			if (one[k] == ' ') {
				space = true;
				continue;
			}
			if (space && any)
				wn_buf_addc(out, ' ');
			space = false;
			any = true;
			add_cp(out, one[k]);
		}
	}
	wn_buf_free(&nf);
}

static void model_normalize(const char *in, size_t len, const wn_norm_opts *o,
			    wn_buf *out)
{
	static const char *const lig[] = {
		"ff", "fi", "fl", "ffi", "ffl", "\u017ft", "st",
	};
	wn_buf line;
	wn_buf_init(&line);
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)in;
	for (size_t i = 0; i <= len;) {
		int32_t cp = -1;
		utf8proc_ssize_t rest = (utf8proc_ssize_t)(len - i);
		if (i < len)
			i += (size_t)utf8proc_iterate(u + i, rest, &cp);
		else
			i++;
		if (cp < 0 || cp == '\n' || cp == '\r' || cp == 0x85 ||
		    cp == 0x2028 || cp == 0x2029) {
			if (cp == '\r' && i < len && in[i] == '\n')
				i++;
			model_line(line.data, line.len, o, out);
			if (cp >= 0)
				wn_buf_addc(out, '\n');
			wn_buf_clear(&line);
			continue;
		}
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) ||
		    cp == 0xAD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF)
			continue;
		const char *a = o->ascii_punct ? model_punct(cp) : NULL;
		if (cp >= 0xFB00 && cp <= 0xFB06)
			wn_buf_adds(&line, lig[cp - 0xFB00]);
		else if (a)
			wn_buf_adds(&line, a);
		else if (cp == '\t' ||
			 utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
			wn_buf_addc(&line, ' ');
		else
			add_cp(&line, cp);
	}
	wn_buf_free(&line);
}

static const char *const model_pieces[] = {
	"The quick brown fox ", "jumps", " over  the\tlazy dog. ",
	"  leading", "trailing  ", "\x01", "\x7f", "\xC2\x9B",
};

/* The model with wn_normalize's mojibake step (tested on its own above)
 * around it, the same way: repaired first, and again while the result
 * still holds some ("A" + U+030A composes to a lead, "Å"). */
static void model_with_mojibake(const char *in, size_t len, const wn_norm_opts *o,
				wn_buf *out)
{
	wn_buf a, b;
	wn_buf_init(&a);
	wn_buf_init(&b);
	if (!wn_mojibake_fix(in, len, &a, NULL))
		wn_buf_add(&a, in, len);
	for (;;) {
		wn_buf_clear(&b);
		model_normalize(a.data ? a.data : "", a.len, o, &b);
		wn_buf_clear(&a);
		if (!wn_mojibake_fix(b.data ? b.data : "", b.len, &a, NULL))
			break;
	}
	wn_buf_add(out, b.data ? b.data : "", b.len);
	wn_buf_free(&a);
	wn_buf_free(&b);
}

/* Random valid text, long ASCII runs included so that the fast and the
 * slow path hand over to each other mid-line. */
static void test_norm_matches_model(void **state)
{
	(void)state;
	size_t nf = sizeof fuzz_pieces / sizeof fuzz_pieces[0];
	size_t nm = sizeof model_pieces / sizeof model_pieces[0];
	wn_buf in, got, want;
	wn_buf_init(&in);
	wn_buf_init(&got);
	wn_buf_init(&want);
	rng_state = 4242;
	for (int iter = 0; iter < 20000; iter++) {
		const wn_norm_opts *o = ALL_OPTS[iter % N_OPTS];
		wn_buf_clear(&in);
		wn_buf_clear(&got);
		wn_buf_clear(&want);
		int n = (int)(rng() % 64);
		for (int i = 0; i < n; i++) {
			if (rng() % 4 == 0)
				wn_buf_adds(&in, model_pieces[rng() % nm]);
			else
				wn_buf_adds(&in, fuzz_pieces[rng() % nf]);
		}
		wn_normalize(in.data, in.len, o, &got);
		model_with_mojibake(in.data, in.len, o, &want);
		assert_string_equal(wn_buf_cstr(&got), wn_buf_cstr(&want));
	}
	wn_buf_free(&in);
	wn_buf_free(&got);
	wn_buf_free(&want);
}

/* Code points the pre-NFC steps leave alone, so that our NFC/NFKC must
 * equal utf8proc_map on the same string. */
static const int32_t diff_pool[] = {
	'a', 'e', 'o', 'A', 'K', '1', '.', 0xE9, 0xC5, 0x301, 0x300, 0x323,
	0x327, 0x30A, 0x345, 0x344, 0x316, 0x3C9, 0x3B1, 0x1F00, 0x1100,
	0x1161, 0x11A8, 0xAC00, 0xAC01, 0x9C7, 0x9BE, 0x9D7, 0xB47, 0xB3E,
	0x958, 0x212B, 0x2126, 0x2460, 0xFF21, 0xFF9E, 0x30AB, 0x3099,
	0x1D15E, 0x1D165, 0xF73, 0xF71, 0xF72, 0x4E2D, 0x1E9B, 0x17F, 0x307,
};

static void test_norm_matches_utf8proc(void **state)
{
	(void)state;
	size_t npool = sizeof diff_pool / sizeof diff_pool[0];
	wn_buf in, got, want;
	wn_buf_init(&in);
	wn_buf_init(&got);
	wn_buf_init(&want);
	rng_state = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		bool compat = iter & 1;
		wn_buf_clear(&in);
		wn_buf_clear(&got);
		wn_buf_clear(&want);
		int n = 1 + (int)(rng() % 24); /* < 30 marks: no CGJ */
		for (int i = 0; i < n; i++)
			add_cp(&in, diff_pool[rng() % npool]);
		wn_normalize(in.data, in.len, compat ? &NFKC : &NFC, &got);
		reference(in.data, in.len, compat, &want);
		assert_string_equal(wn_buf_cstr(&got), wn_buf_cstr(&want));
	}
	wn_buf_free(&in);
	wn_buf_free(&got);
	wn_buf_free(&want);
}

/* ------------------------------------------------------------ decoding */

/* A huge page in a legacy charset is decoded a piece at a time
 * (html.c's windows): in pieces of every size, the bytes and the
 * repairs equal those of the page decoded whole, with characters of
 * 2 to 4 bytes, surrogate pairs and broken bytes
 * falling across the pieces' ends. */
static void check_pieces(const char *in, size_t len, const char *what)
{
	wn_decoder dc;
	wn_decoder_open(&dc, in, len, NULL);
	wn_buf whole;
	wn_buf_init(&whole);
	wn_decoder_read(&dc, &whole, 0);
	assert_false(wn_decoder_read(&dc, &whole, 0)); /* all was read */
	if ((dc.kind == WN_DEC_UTF8) != !strcmp(what, "utf-8"))
		fail_msg("%s: read as %s", what, dc.used);
	char used[64];
	snprintf(used, sizeof used, "%s", dc.used);
	wn_decoder_close(&dc);
	const char *w = whole.data;
	size_t whole_len = whole.len, whole_rep = dc.repairs;
	for (size_t piece = 1; piece <= 40; piece++) {
		wn_decoder_open(&dc, in, len, NULL);
		assert_string_equal(dc.used, used);
		wn_buf got;
		wn_buf_init(&got);
		size_t reads = 0;
		while (wn_decoder_read(&dc, &got, piece))
			reads++;
		wn_decoder_close(&dc);
		if (got.len != whole_len || memcmp(got.data, w, whole_len) ||
		    dc.repairs != whole_rep)
			fail_msg("%s, pieces of %zu: %zu bytes, %zu repairs; whole: "
				 "%zu bytes, %zu repairs", what, piece, got.len,
				 dc.repairs, whole_len, whole_rep);
		assert_true(reads >= (len - 4) / (piece + 16)); /* pieces, not one */
		wn_buf_free(&got);
	}
	wn_buf_free(&whole);
}

static void test_decode_in_pieces(void **state)
{
	(void)state;
	static const struct { const char *what, *bytes; size_t len; } pages[] = {
#define PAGE(what, s) {what, s, sizeof s - 1}
		PAGE("windows-1251", "<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8"
		     "\xe2\xe5\xf2, \xec\xe8\xf0\x98!</p>"),
		PAGE("shift_jis", "<meta charset=\"shift_jis\"><p>\x93\xfa\x96\x7b"
		     "\x8c\xea\x82\xc5\x82\xb7\x81\x42\xff\x93\xfa\x93"),
		PAGE("gb18030", "<meta charset=\"gb18030\"><p>\x81\x30\x81\x30"
		     "\xd6\xd0\xce\xc4\x95\x32\x82\x36 ok \x81"),
		PAGE("euc-kr", "<meta charset=\"euc-kr\"><p>\xc7\xd1\xb1\xb9 \xa2\xe8"
		     " ok \xa2\xe8"),
		PAGE("utf-16le", "\xff\xfe<\0p\0>\0=\xd8\0\xde" "a\0=\xd8" "b\0"
		     "\x00\xdc\xe9\0z\0=\xd8=\xd8\0\xdeq\0"),
		PAGE("utf-16be", "\xfe\xff\0<\0p\0>\xd8=\xde\0\0a\xd8=\0b"
		     "\xdc\0\0\xe9z\xd8=\xd8=\xde\0\0q"),
		PAGE("repaired utf-8", "<p>caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"
		     " \xff \xe2\x82 x\x80\x80\x80\x80\x80y \xe9t\xe9 \xf0\x9f\x98\x80"
		     "\x80\x80\x80z\xf0\x9f\x98"),
		PAGE("utf-8", "\xef\xbb\xbf<p>caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"
		     " na\xc3\xafve</p>"),
#undef PAGE
	};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		check_pieces(pages[i].bytes, pages[i].len, pages[i].what);
	/* and random bytes, most of them UTF-8's lead and continuation
	 * bytes (a fixed seed: the same pages every run) */
	static const unsigned char kinds[] = {'a', ' ', 0x80, 0x9F, 0xBF, 0xC3,
		0xE2, 0xED, 0xF0, 0xF4, 0xFF};
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		char page[120];
		for (size_t i = 0; i < sizeof page; i++) {
			seed = seed * 1103515245u + 12345u;
			page[i] = (char)kinds[(seed >> 16) % sizeof kinds];
		}
		page[0] = 'x'; /* no BOM */
		check_pieces(page, sizeof page, "random bytes");
	}
}

/* 5 MB without a newline: ASCII passes through the fast path untouched;
 * mixed text crosses many engine flushes and must still equal one big
 * utf8proc_map call. */
static void test_norm_long_line(void **state)
{
	(void)state;
	const size_t target = 5u << 20;
	wn_buf in, got, want;
	wn_buf_init(&in);
	wn_buf_init(&got);
	wn_buf_init(&want);

	while (in.len < target)
		wn_buf_adds(&in, "the quick brown fox jumps over the dog ");
	in.len--; /* no trailing space */
	wn_normalize(in.data, in.len, NULL, &got);
	assert_int_equal(got.len, in.len);
	assert_memory_equal(got.data, in.data, in.len);

	wn_buf_clear(&in);
	wn_buf_clear(&got);
	static const char *const parts[] = {
		"e\u0301", "\u1100\u1161\u11a8", "\uac00", "\u11a8", "a",
		"\u0323\u0301", "\u4e2d\u6587", " ", "\u09c7\u09be", "x\u0345",
	};
	rng_state = 777;
	wn_buf_addc(&in, 'a');
	while (in.len < target) {
		const char *p = parts[rng() % (sizeof parts / sizeof parts[0])];
		if (p[0] == ' ' && in.data[in.len - 1] == ' ')
			continue;
		wn_buf_adds(&in, p);
	}
	wn_buf_addc(&in, 'z');
	for (int compat = 0; compat < 2; compat++) {
		wn_buf_clear(&got);
		wn_buf_clear(&want);
		wn_normalize(in.data, in.len, compat ? &NFKC : &NFC, &got);
		reference(in.data, in.len, compat, &want);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, got.len);
		check_idempotent(in.data, in.len, compat ? &NFKC : &NFC);
	}

	/* Nothing but conjoining vowels: no safe split anywhere. */
	wn_buf_clear(&in);
	wn_buf_adds(&in, "\u1100");
	for (int i = 0; i < 100000; i++)
		wn_buf_adds(&in, "\u1161");
	wn_buf_clear(&got);
	wn_buf_clear(&want);
	wn_normalize(in.data, in.len, NULL, &got);
	reference(in.data, in.len, false, &want);
	assert_string_equal(wn_buf_cstr(&got), wn_buf_cstr(&want));

	wn_buf_free(&in);
	wn_buf_free(&got);
	wn_buf_free(&want);
}

/* ------------------------------------------------------------------ wn_key */

static void test_key_basic(void **state)
{
	(void)state;
	check_key("  RELATED POSTS  ", "related posts");
	check_key("Related posts:", "related posts");
	check_key("- Advertisement -", "advertisement");
	check_key("\u00a9 2019 Foo", "\u00a9 2019 foo");
	check_key("Stra\u00dfe", "strasse");
	check_key("", "");
	check_key("   \t ", "");
	check_key("!!! ... ???", "");
	check_key("foo - -", "foo");
	check_key("Read   more\t\u00bb", "read more");
	/* C0 controls and DEL, which the output loses, are white space to
	 * the key (on the ASCII path and past it), so a line of them is
	 * blank */
	check_key("Related posts\x01", "related posts");
	check_key("\x1bRelated\x7fposts", "related posts");
	check_key("caf\u00e9\x01posts\x02", "caf\u00e9 posts");
	check_key("\x01\x02\x7f", "");
	/* the supplemental and emoji arrows and stars go from the ends */
	check_key("Back to top \u2b06\ufe0f", "back to top");
	check_key("\u2b05\ufe0f Previous", "previous");
	check_key("Back to top \u27f6", "back to top");
	check_key("Next \u2934", "next");
	check_key("\U0001f850 Previous \u2b50", "previous");
}

static void test_key_unicode(void **state)
{
	(void)state;
	check_key("\u00abHello\u00bb", "hello");
	check_key("foo\u2003\u00a0 bar\u3000", "foo bar");
	check_key("\u2028a\u1680" "b\xC2\x85" "c\u2029", "a b c");
	check_key("\uff21\uff22\uff23", "abc");
	check_key("CAF\u00c9", "caf\u00e9");
	check_key("CAFE\u0301", "caf\u00e9");
	check_key("\u2460 \ufb01", "1 fi");
	check_key("\u00bfQu\u00e9?", "qu\u00e9");
	check_key("\u2014 Stay tuned \u2014", "stay tuned");
	check_key("\u0391\u0398\u0397\u039d\u0391",
		  "\u03b1\u03b8\u03b7\u03bd\u03b1");
	/* Interior punctuation and symbols stay. */
	check_key("Don't stop!", "don't stop");
	check_key("$5 + 3 = 8 ~ 100% <ok> ^_^ `x` |y|",
		  "$5 + 3 = 8 ~ 100% <ok> ^_^ `x` |y|");
	check_key("\u00b0C \u20ac", "\u00b0c \u20ac");
	/* invisibles are left out, anywhere: a bidi mark, a BOM, a zero-width
	 * space or a soft hyphen does not stop a rule from matching */
	check_key("\u200fShare this", "share this");
	check_key("\ufeffHome", "home");
	check_key("\u200bShare\u00ad this\u2069", "share this");
	check_key("\u2067\u0627\u0644\u0631\u0626\u064a\u0633\u064a\u0629\u2069",
		  "\u0627\u0644\u0631\u0626\u064a\u0633\u064a\u0629");
	check_key("\u200d\u200c", "");
	/* bullet symbols at the ends go as punctuation does; inside, and
	 * other symbols, stay */
	check_key("\u25a0\u95a2\u9023\u8a18\u4e8b", "\u95a2\u9023\u8a18\u4e8b");
	check_key("\u25ba Related posts \u25c4", "related posts");
	check_key("\u2192 Read more", "read more");
	/* emoji presentation: the selector after the arrow is invisible */
	check_key("\u25b6\ufe0f Read more", "read more");
	check_key("Read more \u27a1\ufe0f", "read more");
	check_key("\u2605 Top \u2606 stories", "top \u2606 stories");
	check_key("Home >", "home >");
	/* a closing bracket at the end is punctuation too */
	check_key("Comments (12)", "comments (12");
	check_key("\u30b3\u30e1\u30f3\u30c8\uff083\uff09", "\u30b3\u30e1\u30f3\u30c8(3");
}

/* Every ASCII character gives the same key with or without a trailing
 * NBSP, i.e. on the fast path and on the utf8proc path. */
static void test_key_ascii_matches_unicode(void **state)
{
	(void)state;
	wn_buf a, b;
	wn_buf_init(&a);
	wn_buf_init(&b);
	for (int c = 1; c < 0x80; c++) {
		char s[16];
		int pos[][3] = {
			{ c, 'x', c }, { 'x', c, 'X' }, { c, c, 'y' },
		};
		for (size_t k = 0; k < 3; k++) {
			int n = 0;
			for (int j = 0; j < 3; j++)
				s[n++] = (char)pos[k][j];
			wn_key(s, (size_t)n, &a);
			wn_key_engine(s, (size_t)n, &b);
			assert_string_equal(wn_buf_cstr(&a), wn_buf_cstr(&b));
			memcpy(s + n, "\xC2\xA0", 2);
			wn_key(s, (size_t)n + 2, &b);
			assert_string_equal(wn_buf_cstr(&a), wn_buf_cstr(&b));
		}
	}
	/* Longer lines, for the eight-bytes-at-a-time path. */
	static const char chars[] = "aZ@[`{ \t\n\x01\x7f.-,!?$|~AzMm09\"'";
	char line[64];
	rng_state = 99;
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rng() % 48;
		for (size_t i = 0; i < n; i++)
			line[i] = chars[rng() % (sizeof chars - 1)];
		wn_key(line, n, &a);
		wn_key_engine(line, n, &b);
		assert_string_equal(wn_buf_cstr(&a), wn_buf_cstr(&b));
		memcpy(line + n, "\xC2\xA0", 2);
		wn_key(line, n + 2, &b);
		assert_string_equal(wn_buf_cstr(&a), wn_buf_cstr(&b));
	}
	wn_buf_free(&a);
	wn_buf_free(&b);
}

/* Lines that mix ASCII and other text take the fast path for their
 * stretches of ASCII and the engine for the rest: the same key as the
 * whole line through the engine, wherever the stretches start and end
 * (a letter before a combining mark, spaces and punctuation either side
 * of a switch, a line that starts or ends in either). */
static void test_key_mixed_matches_engine(void **state)
{
	(void)state;
	static const char *const piece[] = {
		"a", "Z", "e", "E", "9", " ", "  ", "\t", ".", "-", "!", "'",
		"$", "Hello", "WORLD wide", "x. y", "abcdefgh", "ABCDEFGHIJ",
		"        ", "........",
		"\u0301", "\u0308", "\u0327", "\u00a0", "\u2019", "\u201c",
		"\u201d", "\u2014", "\u00e9", "\u00c9", "\u00df", "\ufb01",
		"\uff21", "\u3000", "\u4e2d\u6587", "\u2460", "\u00bf",
		"\u0391", "\u1100\u1161", "\u11a8", "\u00ab", "\u2028",
		"\x01", "\x7f", "\u200f", "\ufeff", "\u00ad", "\u25a0", "\u2192",
		"\ufe0f", "\u3164",
	};
	size_t np = sizeof piece / sizeof *piece;
	wn_buf a, b;
	wn_buf_init(&a);
	wn_buf_init(&b);
	char line[512];
	rng_state = 2026;
	for (int iter = 0; iter < 30000; iter++) {
		size_t n = 0, want = rng() % 24;
		for (size_t k = 0; k < want; k++) {
			const char *p = piece[rng() % np];
			size_t m = strlen(p);
			if (n + m >= sizeof line)
				break;
			memcpy(line + n, p, m);
			n += m;
		}
		wn_key(line, n, &a);
		wn_key_engine(line, n, &b);
		if (strcmp(wn_buf_cstr(&a), wn_buf_cstr(&b)))
			fail_msg("line '%.*s': key '%s', engine '%s'", (int)n, line,
				 wn_buf_cstr(&a), wn_buf_cstr(&b));
		/* appended after other text, as the document's key buffer does */
		wn_buf_clear(&a);
		wn_buf_adds(&a, "prefix");
		wn_key_append(line, n, &a);
		assert_string_equal(wn_buf_cstr(&a) + 6, wn_buf_cstr(&b));
	}
	/* marks either side of an ASCII stretch: the engine counts a run
	 * of them from the last starter, and the stretch's are starters */
	wn_buf_clear(&b);
	wn_buf_adds(&b, "a");
	for (int k = 0; k < 20; k++)
		wn_buf_adds(&b, "\u0301");
	wn_buf_adds(&b, " abcdefgh ");
	for (int k = 0; k < 15; k++)
		wn_buf_adds(&b, "\u0301");
	char *marks = wn_buf_steal(&b, &(size_t){0});
	wn_key(marks, strlen(marks), &a);
	wn_key_engine(marks, strlen(marks), &b);
	assert_string_equal(wn_buf_cstr(&a), wn_buf_cstr(&b));
	free(marks);
	wn_buf_free(&a);
	wn_buf_free(&b);
}

/* The engine's tables stop at WN_DECOMP_END: nothing above it
 * decomposes, in the utf8proc linked. */
static void test_decomp_end(void **state)
{
	(void)state;
	for (int32_t cp = WN_DECOMP_END; cp < 0x110000; cp++)
		if (utf8proc_get_property(cp)->decomp_seqindex != UINT16_MAX)
			fail_msg("U+%04X decomposes, above WN_DECOMP_END", (unsigned)cp);
	/* and the last one below it does, so the bound is not loose by
	 * a plane */
	assert_true(utf8proc_get_property(0x2FA1D)->decomp_seqindex != UINT16_MAX);
}

static void test_key_reuses_buffer(void **state)
{
	(void)state;
	wn_buf b;
	wn_buf_init(&b);
	wn_key("A much longer first line", 24, &b);
	char *first = b.data;
	wn_key("Short", 5, &b);
	assert_string_equal(wn_buf_cstr(&b), "short");
	assert_ptr_equal(b.data, first);
	wn_key("\u00c9t\u00e9", strlen("\u00c9t\u00e9"), &b);
	assert_string_equal(wn_buf_cstr(&b), "\u00e9t\u00e9");
	wn_buf_free(&b);
}

static void test_key_long_line(void **state)
{
	(void)state;
	wn_buf in, k;
	wn_buf_init(&in);
	wn_buf_init(&k);
	while (in.len < (5u << 20))
		wn_buf_adds(&in, "Caf\u00c9 Stra\u00dfe ");
	wn_key(in.data, in.len, &k);
	/* "É" and "é" are both 2 bytes, "ß" and "ss" too; the final
	 * space goes. */
	assert_int_equal(k.len, in.len - 1);
	const char *head = "caf\u00e9 strasse caf\u00e9 ";
	assert_memory_equal(k.data, head, strlen(head));
	assert_true(k.data[k.len - 1] == 'e');
	wn_buf_free(&in);
	wn_buf_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repair_valid_untouched),
		cmocka_unit_test(test_repair_lone_continuation),
		cmocka_unit_test(test_repair_truncated),
		cmocka_unit_test(test_repair_overlong),
		cmocka_unit_test(test_repair_surrogate),
		cmocka_unit_test(test_repair_high_bytes),
		cmocka_unit_test(test_repair_cp1252),
		cmocka_unit_test(test_repair_count_and_append),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_mojibake_cp1252_and_latin1),
		cmocka_unit_test(test_mojibake_real_text_kept),
		cmocka_unit_test(test_mojibake_count_and_append),
		cmocka_unit_test(test_norm_newlines),
		cmocka_unit_test(test_norm_controls),
		cmocka_unit_test(test_norm_invisibles),
		cmocka_unit_test(test_norm_zwj_zwnj_kept),
		cmocka_unit_test(test_norm_spaces),
		cmocka_unit_test(test_norm_trim),
		cmocka_unit_test(test_norm_ligatures),
		cmocka_unit_test(test_norm_nfc),
		cmocka_unit_test(test_norm_nfkc),
		cmocka_unit_test(test_norm_ascii_punct),
		cmocka_unit_test(test_norm_empty_and_null_opts),
		cmocka_unit_test(test_norm_stream_safe),
		cmocka_unit_test(test_norm_idempotent_nasty),
		cmocka_unit_test(test_norm_idempotent_every_code_point),
		cmocka_unit_test(test_norm_fuzz_idempotent),
		cmocka_unit_test(test_norm_matches_utf8proc),
		cmocka_unit_test(test_norm_matches_model),
		cmocka_unit_test(test_norm_long_line),
		cmocka_unit_test(test_decode_in_pieces),
		cmocka_unit_test(test_key_basic),
		cmocka_unit_test(test_key_unicode),
		cmocka_unit_test(test_key_ascii_matches_unicode),
		cmocka_unit_test(test_key_mixed_matches_engine),
		cmocka_unit_test(test_decomp_end),
		cmocka_unit_test(test_key_reuses_buffer),
		cmocka_unit_test(test_key_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
