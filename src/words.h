/* words.h - the tokenizer, inline: the words of a key or a block's
 * text, for the callers on the hot path, which get it with their
 * callback inlined (wn_words is the same for the others).  Internal. */
#ifndef WINNOW_WORDS_H
#define WINNOW_WORDS_H

#include "internal.h"

/* Whether the code point at p[i] (< len) is a word's, past ASCII: its
 * bytes in *k (invalid UTF-8: a separator of one byte). */
bool wn_word_cp_at(const unsigned char *p, size_t i, size_t len, size_t *k);

/* A byte to the tokenizer: 0 an ASCII separator, 1 an ASCII letter, 2 a
 * digit, 3 a byte past ASCII (wn_word_cp_at decides). */
extern const uint8_t wn_word_byte[256];

/* The words of s[0..len), in order: runs of letters, marks and digits,
 * each with whether it is ASCII letters alone.  Sixteen bytes at a time
 * while they are ASCII (a mask of letters and digits, whose runs are the
 * words, and one of digits, which say a run is more than letters), a
 * code point at a time through the sixteen bytes that hold one past
 * ASCII. */
static inline __attribute__((always_inline)) void
wn_each_word(const char *s, size_t len, wn_word_fn fn, void *ctx)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	size_t start = SIZE_MAX; /* the open word's first byte */
	bool letters = false;    /* the open word is ASCII letters so far */
	while (i < len) {
#ifdef __SSE2__
		if (i + 16 <= len) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			if (!_mm_movemask_epi8(v)) {
				unsigned m = wn_ascii_alnum_mask(v);
				unsigned dig = wn_ascii_digit_mask(v);
				if (start != SIZE_MAX) { /* a word goes on from before */
					unsigned gap = ~m & 0xFFFFu;
					if (!gap) {
						letters = letters && !dig;
						i += 16;
						continue;
					}
					unsigned e = (unsigned)__builtin_ctz(gap);
					letters = letters && !(dig & ((1u << e) - 1));
					fn(s + start, i + e - start, letters, ctx);
					start = SIZE_MAX;
					m &= ~((1u << e) - 1);
				}
				while (m) {
					unsigned b = (unsigned)__builtin_ctz(m);
					unsigned gap = ~(m | ((1u << b) - 1)) & 0xFFFFu;
					if (!gap) { /* runs into the next bytes */
						start = i + b;
						letters = !(dig >> b);
						break;
					}
					unsigned e = (unsigned)__builtin_ctz(gap);
					unsigned in = ((1u << e) - 1) & ~((1u << b) - 1);
					fn(s + i + b, e - b, !(dig & in), ctx);
					m &= ~((1u << e) - 1);
				}
				i += 16;
				continue;
			}
		}
#endif
		/* a code point at a time, to the end of these sixteen bytes */
		for (size_t stop = i + 16 < len ? i + 16 : len; i < stop; i += k) {
			unsigned t = wn_word_byte[p[i]];
			k = 1;
			if (t == 3 ? wn_word_cp_at(p, i, len, &k) : t != 0) {
				if (start == SIZE_MAX) {
					start = i;
					letters = true;
				}
				letters = letters && t == 1;
			} else if (start != SIZE_MAX) {
				fn(s + start, i - start, letters, ctx);
				start = SIZE_MAX;
			}
		}
	}
	if (start != SIZE_MAX)
		fn(s + start, len - start, letters, ctx);
}

#endif
