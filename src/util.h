/* util.h - internal helpers shared by every stage: allocation, growable
 * buffers, hashing.  Not part of the public API.
 *
 * Out-of-memory policy (decided once, here): every allocation goes through
 * wn_xmalloc/wn_xrealloc/wn_xcalloc, which print one line and abort() when
 * the allocator fails.  A text cleaner cannot do anything useful without
 * memory, and checking every small allocation by hand is where bugs hide.
 * A program may set a hook that runs first (wn_set_oom_hook: the command
 * line removes its temporary files and exits 2). */
#ifndef WINNOW_UTIL_H
#define WINNOW_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* White space inside an HTML tag, as the tokenizer reads it (and \v). */
static inline bool wn_tag_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* An HTML attribute, *pp at its name (end: the tag's end or the text's):
 * the name into *name, *nlen ('=' may start one, "<a =x>"), then white
 * space, "=" and a quoted or unquoted value into [*val, *vend); without
 * "=", an empty value.  *pp is moved past it.  The tokenizer's reading,
 * shared by the pre-pass (html.c) and the charset prescan (encoding.c). */
static inline void wn_attr_next(const char **pp, const char *end,
				const char **name, size_t *nlen,
				const char **val, const char **vend)
{
	const char *p = *pp;
	*name = p;
	if (p < end && *p == '=')
		p++;
	while (p < end && !wn_tag_ws(*p) && *p != '>' && *p != '=' && *p != '/')
		p++;
	*nlen = (size_t)(p - *name);
	while (p < end && wn_tag_ws(*p))
		p++;
	*val = *vend = p;
	if (p < end && *p == '=') {
		p++;
		while (p < end && wn_tag_ws(*p))
			p++;
		if (p < end && (*p == '"' || *p == '\'')) {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
			*val = p + 1;
			*vend = q ? q : end;
			p = q ? q + 1 : end;
		} else {
			*val = p;
			while (p < end && !wn_tag_ws(*p) && *p != '>')
				p++;
			*vend = p;
		}
	}
	*pp = p;
}

/* The next attribute of a tag, *pp past its name or the attribute
 * before: white space and '/' skipped, then read as wn_attr_next reads
 * it; false at the tag's '>' (*pp left there) or the end.  The charset
 * prescan's loops over a tag's attributes (encoding.c). */
static inline bool wn_attr_step(const char **pp, const char *end,
				const char **name, size_t *nlen,
				const char **val, const char **vend)
{
	const char *p = *pp;
	while (p < end && (wn_tag_ws(*p) || *p == '/'))
		p++;
	*pp = p;
	if (p >= end || *p == '>')
		return false;
	wn_attr_next(pp, end, name, nlen, val, vend);
	return true;
}

/* Where the attributes from p (after a tag's name) end: at the tag's
 * '>' (or end), so that a '>' in a quoted value does not end the tag. */
static inline const char *wn_attrs_end(const char *p, const char *end)
{
	const char *name, *val, *vend;
	size_t nlen;
	while (wn_attr_step(&p, end, &name, &nlen, &val, &vend))
		;
	return p;
}

/* An ASCII letter (either case) or digit: a word's byte to the rules'
 * boundaries and to the tokenizer's fast path. */
static inline bool wn_ascii_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

#ifdef __SSE2__
/* Bit j set when byte j of v is an ASCII digit (signed compares: bytes
 * past ASCII are below every bound, so never set). */
static inline unsigned wn_ascii_digit_mask(__m128i v)
{
	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
		_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
		_mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
}

/* Bit j set when byte j of v is an ASCII letter or digit. */
static inline unsigned wn_ascii_alnum_mask(__m128i v)
{
	__m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
				       _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
	return (unsigned)_mm_movemask_epi8(letter) | wn_ascii_digit_mask(v);
}
#endif

void *wn_xmalloc(size_t n);
void *wn_xcalloc(size_t count, size_t size);
/* Returns the new block; the caller assigns it (never p = realloc(p, n)). */
void *wn_xrealloc(void *p, size_t n);
char *wn_xstrndup(const char *s, size_t n);
/* The out-of-memory path, for allocators outside these (jansson's): the
 * message, the hook, abort(). */
void wn_oom(size_t n) __attribute__((noreturn));
/* fn runs on out of memory before the abort; it may exit instead.  It
 * must not allocate. */
void wn_set_oom_hook(void (*fn)(void));

/* The name of a temporary file for dst, beside it (so that rename(2)
 * replaces dst): ".NAME.winnow-PID-SERIAL", NAME cut to 200 bytes so it
 * fits NAME_MAX; malloc'd. */
char *wn_temp_name(const char *dst, long pid, unsigned serial);

/* A growable byte buffer.  data is always NUL-terminated when len > 0 or
 * after wn_buf_cstr(); the buffer owns data until wn_buf_steal(). */
typedef struct wn_buf {
	char *data;
	size_t len;
	size_t cap;
} wn_buf;

void wn_buf_init(wn_buf *b);
void wn_buf_free(wn_buf *b);
void wn_buf_clear(wn_buf *b);             /* len = 0, memory kept */
void wn_buf_reserve(wn_buf *b, size_t extra);
void wn_buf_add(wn_buf *b, const char *s, size_t n);
void wn_buf_addc(wn_buf *b, char c);
void wn_buf_adds(wn_buf *b, const char *s); /* NUL-terminated s */
void wn_buf_printf(wn_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *wn_buf_cstr(wn_buf *b);       /* NUL-terminates, never NULL */
char *wn_buf_steal(wn_buf *b, size_t *len); /* caller frees; b is reset */

/* 64-bit FNV-1a; good enough for hash tables of short keys. */
uint64_t wn_hash(const char *s, size_t n);
/* wn_hash in steps: wn_hash(s, a + b) is
 * wn_hash_more(wn_hash_more(WN_HASH_INIT, s, a), s + a, b). */
#define WN_HASH_INIT 14695981039346656037ULL
#define WN_HASH_PRIME 1099511628211ULL /* one byte: h = (h ^ byte) * PRIME */
uint64_t wn_hash_more(uint64_t h, const char *s, size_t n);
/* A hash for tables that live in memory only, eight bytes a step (long
 * keys); wn_hash's values are also written to count files. */
uint64_t wn_hash_fast(const char *s, size_t n);

/* wn_hash_fast of s with every byte ORed with the low byte of or8 (whose
 * eight bytes are that one): with 0x20 the hash of a run of ASCII
 * letters' lower-case form, without a copy.  The buffer that holds s is
 * readable to end (>= s + n): when eight bytes are, the last 0-7 are one
 * load, masked.  Inline for the hot callers; wn_hash_fast is this with
 * end s + n and or8 0. */
static inline uint64_t wn_hash_fast_in(const char *s, size_t n,
				       const char *end, uint64_t or8)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = 0x243f6a8885a308d3ULL ^ (n * k), v;
	for (; n >= 8; s += 8, n -= 8) {
		__builtin_memcpy(&v, s, 8);
		h = (h ^ (v | or8)) * k;
		h ^= h >> 29;
	}
	v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t mask = ((uint64_t)1 << (8 * n)) - 1;
	if (end - s >= 8) {
		__builtin_memcpy(&v, s, 8);
		h = (h ^ ((v | or8) & mask)) * k;
		return h ^ (h >> 32);
	}
	unsigned shift = 0;
	if (n & 4) {
		uint32_t t;
		__builtin_memcpy(&t, s, 4);
		v = t;
		s += 4;
		shift = 32;
	}
	if (n & 2) {
		uint16_t t;
		__builtin_memcpy(&t, s, 2);
		v |= (uint64_t)t << shift;
		s += 2;
		shift += 16;
	}
	if (n & 1)
		v |= (uint64_t)(unsigned char)*s << shift;
	v |= or8 & mask;
#else
	unsigned char t[8] = {0};
	for (size_t i = 0; i < n; i++)
		t[i] = (unsigned char)(s[i] | (char)or8);
	__builtin_memcpy(&v, t, 8);
#endif
	h = (h ^ v) * k;
	return h ^ (h >> 32);
}

/* A table from 64-bit keys (hashes) to size_t values, open addressing.
 * Zeroed is empty. */
typedef struct wn_u64map {
	uint64_t *key;  /* 0: an empty slot (key 0 is stored as 1) */
	size_t *val;
	size_t cap, n;
} wn_u64map;
/* The value of key, *added telling whether it was new (its value then 0,
 * for the caller to set); valid until the next call. */
size_t *wn_u64map_at(wn_u64map *m, uint64_t key, bool *added);
void wn_u64map_free(wn_u64map *m);

/* The line breaks in s[0..n): LF, CR LF and CR, one each (as lines.c
 * splits text and Gumbo numbers lines). */
size_t wn_line_breaks(const char *s, size_t n);

/* Is the canonical path inner outer itself or below it? */
bool wn_path_within(const char *inner, const char *outer);
/* The canonical path p will have (p need not exist): realpath of its
 * longest existing ancestor, then the rest, resolved lexically.  NULL
 * when not even "/" or "." resolves; the caller frees. */
char *wn_path_resolve(const char *p);

/* Where text goes as it is made (wn_clean_sink): write gets the bytes in
 * order.  input, when not NULL, holds the text being cleaned, a malloc'd
 * buffer the caller lets go after: the cleaner may rewrite its bytes (a
 * document is not copied to repair its mojibake), or free it and set
 * *input to NULL (a document repaired whole into a copy is not held
 * twice). */
typedef struct wn_sink {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
	char **input;
} wn_sink;

/* Where each window of a document goes, its blocks' explain in a result
 * (wn_clean_windows). */
struct winnow_result;
typedef struct wn_window_fn {
	void (*fn)(void *ctx, const struct winnow_result *window);
	void *ctx;
} wn_window_fn;

/* path as a message shows it, in b (initialised here; free it after):
 * a file name may hold a newline or other control bytes, shown as \n,
 * \t or \xNN, so that one problem is one line of stderr. */
const char *wn_shown(const char *path, wn_buf *b);

#endif
