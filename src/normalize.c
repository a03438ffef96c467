/* normalize.c - the Unicode stage: UTF-8 repair, text normalization and
 * line keys.
 *
 * Data flow of wn_normalize:
 *
 *   bytes --ascii_run--> out                      (pure ASCII: done by hand)
 *         --unicode_run--> pre_map --> nf_push    (decode, clean, decompose)
 *                       --> nf_flush              (order, compose, emit)
 *                       --> norm_emit --> out     (spaces, ASCII punctuation)
 *
 * ASCII is already NFC and NFKC, so most English text never reaches
 * utf8proc.  Text switches to the Unicode path at a non-ASCII byte and
 * back to the fast path at the next newline or run of ASCII.
 *
 * We do not call utf8proc_map: it allocates per call, rejects a whole
 * string for one bad byte, sorts combining marks with a quadratic bubble
 * sort, and needs the whole string at once.  Instead nf_engine decomposes
 * one code point at a time (utf8proc_decompose_char) into a fixed buffer,
 * sorts marks itself, and composes with utf8proc_normalize_utf32.  When
 * the buffer fills, everything before the last starter is final and is
 * emitted; the last starter and its marks are carried over, so a 200 MB
 * line runs in constant memory.
 *
 * A run of more than 30 combining marks gets a U+034F COMBINING GRAPHEME
 * JOINER, as in UAX #15's Stream-Safe Text Format.  This is the one change
 * outside the documented list.  It keeps sorting linear and memory bounded
 * on crafted input, and only text that is not stream-safe is touched. */
#include "normalize.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------- UTF-8 */

/* For eight-bytes-at-a-time tests on a uint64_t. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Length of the well-formed sequence at s (Unicode 15, table 3-7), or 0.
 * The second-byte ranges exclude overlongs (E0 80..9F, F0 80..8F),
 * surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return n >= 2 && is_cont(s[1]) ? 2 : 0;
	if (c < 0xF0) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
		unsigned hi = c == 0xED ? 0x9F : 0xBF;
		if (n < 3 || s[1] < lo || s[1] > hi || !is_cont(s[2]))
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80;
		unsigned hi = c == 0xF4 ? 0x8F : 0xBF;
		if (n < 4 || s[1] < lo || s[1] > hi || !is_cont(s[2]) ||
		    !is_cont(s[3]))
			return 0;
		return 4;
	}
	return 0;
}

/* Decode one code point.  An invalid byte decodes as U+FFFD of length 1,
 * so callers that were promised valid input still cannot overrun. */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	size_t k = utf8_seq_len(s, n);
	switch (k) {
	case 1:
		*cp = s[0];
		return 1;
	case 2:
		*cp = (int32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	case 3:
		*cp = (int32_t)(s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 |
		      (s[2] & 0x3F);
		return 3;
	case 4:
		*cp = (int32_t)(s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 |
		      (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

size_t wn_utf8_encode(int32_t cp, char *o)
{
	unsigned char *u = (unsigned char *)o;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (unsigned char)(0xF0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	u[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Bytes before the first one >= 0x80, eight at a time: the common case
 * for every scanner in this file is a long ASCII run. */
static size_t ascii_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & HIGHS)
			break;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

/* Longest valid prefix of s. */
static size_t valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		i += ascii_prefix(s + i, n - i);
		if (i == n)
			break;
		size_t k = utf8_seq_len(s + i, n - i);
		if (!k)
			break;
		i += k;
	}
	return i;
}

bool wn_utf8_valid(const char *in, size_t len)
{
	return valid_prefix((const unsigned char *)in, len) == len;
}

/* windows-1252 for 0x80-0x9F; 0 marks the five bytes it leaves undefined.
 * 0xA0-0xFF are the same as Latin-1 and need no table. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static int32_t cp1252(unsigned char c)
{
	if (c >= 0xA0)
		return c;
	int32_t cp = cp1252_c1[c - 0x80];
	return cp ? cp : 0xFFFD;
}

void wn_utf8_repair(const char *in, size_t len, wn_buf *out, size_t *repairs)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t fixed = 0;
	size_t i = 0;
	while (i < len) {
		size_t ok = valid_prefix(s + i, len - i);
		wn_buf_add(out, in + i, ok);
		i += ok;
		if (i == len)
			break;
		/* s[i] >= 0x80 here: ASCII bytes are always valid. */
		wn_buf_reserve(out, 4);
		out->len += wn_utf8_encode(cp1252(s[i]), out->data + out->len);
		out->data[out->len] = '\0';
		fixed++;
		i++;
	}
	if (repairs)
		*repairs += fixed;
}

/* ------------------------------------------------------------ mojibake */

/* The byte 0x80-0xBF that a character stands for when UTF-8 was read as
 * windows-1252 or Latin-1 (U+0080-U+00BF, or cp1252's 0x80-0x9F
 * characters), else -1. */
static int mojibake_byte(int32_t cp)
{
	if (cp < 0x80 || cp > 0x2122)
		return -1;
	if (cp <= 0xBF)
		return (int)cp;
	for (int k = 0; k < 32; k++)
		if (cp1252_c1[k] && cp1252_c1[k] == cp)
			return 0x80 + k;
	return -1;
}

/* Characters a mis-decoded sequence may stand for: Latin letters with
 * diacritics, Latin-1's signs, typographic punctuation, the euro and
 * trade marks.  Anything else (U+07C5 from "ß…") is more likely real
 * text than mojibake, and stays. */
static bool mojibake_target(int32_t cp)
{
	return (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x2010 && cp <= 0x203A) ||
	       cp == 0x20AC || cp == 0x2122 || cp == 0x02C6 || cp == 0x02DC;
}

/* Characters that also follow a word in real text, closing quotes,
 * ellipses, dashes, NBSP: after an uppercase letter they make "MAÇÃ»",
 * "PÄIVÄ”", "L'ÉTÉ…" look like mojibake of û, Ĕ, Ʌ. */
static bool after_word(int32_t cp)
{
	switch (cp) {
	case 0xA0: case 0xAB: case 0xB0: case 0xB4: case 0xB7: case 0xBB:
	case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201C:
	case 0x201D: case 0x201E: case 0x2022: case 0x2026: case 0x2039:
	case 0x203A:
		return true;
	}
	return false;
}

/* The sequence at s[i] ("Ã©", "â€™", "Å‚": a lead U+00C2-U+00F4, UTF-8
 * C3 82-C3 B4, and the 1-3 characters whose bytes complete one UTF-8
 * character that mojibake hides), its bytes in b[0..*k) and its end in
 * *end; *plain says every continuation also follows words in real text.
 * False when there is none at i. */
static bool mojibake_at(const unsigned char *s, size_t len, size_t i,
			unsigned char b[4], size_t *k, size_t *end, bool *plain)
{
	unsigned lead = s[i + 1];
	if (s[i] != 0xC3 || lead < 0x82 || lead > 0xB4 || i + 2 >= len)
		return false;
	/* the first byte of any character mojibake_byte maps: U+0080-U+00BF
	 * (C2), Œœ Šš Ÿ Žž (C5), ƒ (C6), ˆ ˜ (CB), the punctuation (E2); the
	 * usual case, "é" before a letter, stops here */
	unsigned c = s[i + 2];
	if (c != 0xC2 && c != 0xC5 && c != 0xC6 && c != 0xCB && c != 0xE2)
		return false;
	/* U+00C2-U+00DF need one byte more, -U+00EF two, -U+00F4 three */
	size_t need = lead < 0xA0 ? 1 : lead < 0xB0 ? 2 : 3, at = i + 2, n = 1;
	b[0] = (unsigned char)(lead + 0x40);
	*plain = true;
	while (n <= need && at < len) {
		int32_t cp;
		size_t m = utf8_decode(s + at, len - at, &cp);
		int v = mojibake_byte(cp);
		if (v < 0)
			break;
		*plain = *plain && after_word(cp);
		b[n++] = (unsigned char)v;
		at += m;
	}
	/* "â€" whose third byte was lost: 0x9D, which windows-1252 leaves
	 * undefined, so a decoder dropped it or made it U+FFFD.  Of the
	 * characters E2 80 .. so lost (U+2001, ZWJ, RLM, U+2010 and ”)
	 * only ” comes before white space or punctuation; "â€�" says so
	 * itself, a bare "â€" only in a text sure of mojibake otherwise. */
	if (need == 2 && n == 2 && b[0] == 0xE2 && b[1] == 0x80) {
		bool fffd = at + 2 < len && s[at] == 0xEF && s[at + 1] == 0xBF &&
			    s[at + 2] == 0xBD;
		if (fffd || at == len || (s[at] < 0x80 && !wn_ascii_alnum(s[at]))) {
			b[n++] = 0x9D;
			at += fffd ? 3 : 0;
			*plain = !fffd;
		}
	}
	int32_t cp = 0;
	if (n == need + 1 && utf8_seq_len(b, n) == n)
		utf8_decode(b, n, &cp);
	if (!mojibake_target(cp))
		return false;
	*k = n;
	*end = at;
	return true;
}

/* Whether s holds an unmistakable sequence ("Ã©", "â€™", a C1 control):
 * only then are the plain ones ("Ã»") mojibake too, since an all-caps
 * «MAÇÃ» alone is Portuguese. */
static bool mojibake_sure(const unsigned char *s, size_t len)
{
	unsigned char b[4];
	size_t k, end;
	bool plain;
	for (size_t i = 0; i + 1 < len; i++) {
		const unsigned char *c = memchr(s + i, 0xC3, len - i - 1);
		if (!c)
			return false;
		i = (size_t)(c - s);
		if (mojibake_at(s, len, i, b, &k, &end, &plain) && !plain)
			return true;
	}
	return false;
}

/* One layer, in place: each sequence in s[0..*len) becomes the character
 * it was, when s holds an unmistakable one (known_sure: the caller has
 * looked).  A character is shorter than its sequence, so the text
 * written stays behind the text read; nothing is written at or past the
 * new end.  Returns the sequences replaced. */
static size_t mojibake_layer(unsigned char *s, size_t *len_io, bool known_sure)
{
	size_t len = *len_io;
	if (!known_sure && !mojibake_sure(s, len))
		return 0;
	unsigned char b[4];
	size_t k, end;
	bool plain;
	size_t fixed = 0, i = 0, done = 0, w = 0;
	while (i + 1 < len) {
		const unsigned char *c = memchr(s + i, 0xC3, len - i - 1);
		if (!c)
			break;
		i = (size_t)(c - s);
		if (!mojibake_at(s, len, i, b, &k, &end, &plain)) {
			i++;
			continue;
		}
		memmove(s + w, s + done, i - done);
		w += i - done;
		memcpy(s + w, b, k);
		w += k;
		done = i = end;
		fixed++;
	}
	if (fixed) {
		memmove(s + w, s + done, len - done);
		*len_io = w + (len - done);
	}
	return fixed;
}

/* The layers, in place: text encoded twice over is mis-decoded twice, so
 * layers go on while one changes something (each shortens the text), and
 * normalizing the output again changes nothing.  The first layer is
 * known to be sure. */
static size_t mojibake_layers(unsigned char *s, size_t *len)
{
	size_t total = 0, n;
	for (bool first = true; (n = mojibake_layer(s, len, first)); first = false)
		total += n;
	return total;
}

bool wn_mojibake_fix(const char *in, size_t len, wn_buf *out, size_t *fixes)
{
	/* every lead is U+00C2-U+00F4, UTF-8 C3 82-C3 B4: no 0xC3, no work */
	if (!memchr(in, 0xC3, len) || !mojibake_sure((const unsigned char *)in, len))
		return false;
	/* one copy, repaired in place.  Appended to out, or (out empty) out
	 * itself: a document is held once beside its input, not three times
	 * (a line of 100 MB with two layers took 300 MB) */
	wn_buf a;
	wn_buf_init(&a);
	wn_buf_add(&a, in, len);
	size_t total = mojibake_layers((unsigned char *)a.data, &a.len);
	a.data[a.len] = '\0';
	if (!out->len) {
		wn_buf_free(out);
		*out = a;
	} else {
		wn_buf_add(out, a.data, a.len);
		wn_buf_free(&a);
	}
	if (fixes)
		*fixes += total;
	return true;
}

bool wn_mojibake_fix_in_place(char *s, size_t *len, size_t *fixes)
{
	if (!memchr(s, 0xC3, *len) || !mojibake_sure((const unsigned char *)s, *len))
		return false;
	size_t total = mojibake_layers((unsigned char *)s, len);
	if (fixes)
		*fixes += total;
	return true;
}

/* ------------------------------------------------- decompose / compose */

/* Decomposed code points wait here until composition.  4096 keeps the
 * buffers in L1/L2 and the stack frame near 20 KB. */
#define NF_CAP 4096
/* Room one push may need: the longest single decomposition is 18 code
 * points (U+FDFA under NFKD), plus one CGJ. */
#define NF_SLACK 64
/* UAX #15 Stream-Safe Text Format limit on consecutive non-starters. */
#define NF_MAX_RUN 30
#define CGJ 0x034F

/* Two tables derived from utf8proc's own data, rather than listed here,
 * so that a newer library with new pairs is still right.
 *
 * second_bits: starters (ccc 0) that can still compose with the starter
 * before them: Hangul V and T jamo, and the second halves of two-part
 * vowels (Bengali, Tamil, Kannada...).  A buffer holding only other
 * starters is already composed, so most chunks skip composition.
 *
 * stable_state[mode]: characters with a decomposition that the mode's full
 * normalization maps to themselves (é, が, ö, but not Ω U+2126 or, in
 * NFKC, ﬁ).  They go into the buffer as they are ("raw") and are only
 * decomposed when a mark or a second half follows them.  Without this,
 * accented Latin, Greek or kana text would be decomposed and recomposed
 * in full.  Each character's answer is worked out the first time a text
 * holds it (is_stable), not for all 5,857 of them in three modes at
 * start-up, which took a fifth of a run's start-up instructions. */
enum { MODE_NFC, MODE_NFKC, MODE_FOLD, MODE_COUNT };
static const int mode_opts[MODE_COUNT] = {
	UTF8PROC_COMPOSE | UTF8PROC_STABLE,
	UTF8PROC_COMPOSE | UTF8PROC_STABLE | UTF8PROC_COMPAT,
	UTF8PROC_COMPOSE | UTF8PROC_STABLE | UTF8PROC_COMPAT |
		UTF8PROC_CASEFOLD,
};
#define CP_BITS (0x110000 / 8)
static uint8_t second_bits[CP_BITS];
/* Two bits a code point: known (1), stable (2); set together, by one
 * atomic or, so threads that race on a character agree. */
static _Atomic uint8_t stable_state[MODE_COUNT][0x110000 / 4];
static pthread_once_t second_once = PTHREAD_ONCE_INIT;

static void set_bit(uint8_t *bits, int32_t cp)
{
	bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
}

static bool get_bit(const uint8_t *bits, int32_t cp)
{
	return bits[cp >> 3] & (1u << (cp & 7));
}

/* True when normalizing cp alone under opts gives cp back. */
static bool maps_to_itself(int32_t cp, int opts)
{
	utf8proc_uint8_t u[4];
	int32_t d[NF_SLACK];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);
	n = utf8proc_decompose(u, n, d, NF_SLACK, (utf8proc_option_t)opts);
	if (n < 1 || n > NF_SLACK)
		return false;
	n = utf8proc_normalize_utf32(d, n, (utf8proc_option_t)opts);
	return n == 1 && d[0] == cp;
}

static void build_second_bits(void)
{
	for (int32_t cp = 0x1161; cp <= 0x1175; cp++)
		set_bit(second_bits, cp);
	for (int32_t cp = 0x11A8; cp <= 0x11C2; cp++)
		set_bit(second_bits, cp);
	for (int32_t cp = 0; cp < WN_DECOMP_END; cp++) {
		const utf8proc_property_t *p = utf8proc_get_property(cp);
		if (p->decomp_seqindex == UINT16_MAX || p->decomp_type)
			continue;
		int32_t d[NF_SLACK];
		utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, NF_SLACK,
			UTF8PROC_DECOMPOSE, NULL);
		/* Every later element, not just the second of a pair: a
		 * superset is safe. */
		for (utf8proc_ssize_t i = 1; i < k && k <= NF_SLACK; i++)
			set_bit(second_bits, d[i]);
	}
}

/* Whether cp, which has a decomposition, is stable in mode (see
 * stable_state). */
static bool is_stable(int mode, int32_t cp)
{
	_Atomic uint8_t *b = &stable_state[mode][cp >> 2];
	unsigned sh = (unsigned)(cp & 3) * 2;
	unsigned v = atomic_load_explicit(b, memory_order_relaxed);
	if (!(v >> sh & 1u)) {
		unsigned add = (1u | (maps_to_itself(cp, mode_opts[mode]) ? 2u : 0u)) << sh;
		v = atomic_fetch_or_explicit(b, (uint8_t)add, memory_order_relaxed) | add;
	}
	return v >> sh & 2u;
}

typedef void (*nf_emit_fn)(void *ctx, const int32_t *cps, size_t n);

typedef struct nf_engine {
	utf8proc_option_t opts; /* for utf8proc_decompose_char */
	int mode;               /* MODE_NFC... */
	bool compat;
	bool fold;
	bool compose;           /* some buffered code point may compose */
	bool raw;               /* cps[n-1] is stable and left composed */
	int run;                /* non-starters pushed since the last starter */
	size_t n;
	nf_emit_fn emit;
	void *ctx;
	int32_t cps[NF_CAP];
	uint8_t ccc[NF_CAP];    /* canonical combining class of cps[i] */
} nf_engine;

static void nf_init(nf_engine *e, bool compat, bool fold, nf_emit_fn emit,
		    void *ctx)
{
	int mode = fold ? MODE_FOLD : compat ? MODE_NFKC : MODE_NFC;
	pthread_once(&second_once, build_second_bits);
	e->opts = (utf8proc_option_t)mode_opts[mode];
	e->mode = mode;
	e->compat = compat;
	e->fold = fold;
	e->compose = false;
	e->raw = false;
	e->run = 0;
	e->n = 0;
	e->emit = emit;
	e->ctx = ctx;
}

static uint8_t ccc_of(int32_t cp)
{
	return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class;
}

/* Code points that can change in composition when they follow a starter. */
static bool combines_back(int32_t cp, uint8_t ccc)
{
	return ccc || get_bit(second_bits, cp);
}

static void nf_append(nf_engine *e, int32_t cp, uint8_t ccc);

/* A mark follows the raw character at cps[n-1]: decompose it now, so that
 * the marks can be ordered and composed as if it had never been raw. */
static void nf_unraw(nf_engine *e)
{
	int32_t d[NF_SLACK];
	int32_t cp = e->cps[--e->n];
	e->raw = false;
	utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, NF_SLACK,
		UTF8PROC_COMPOSE | UTF8PROC_STABLE, NULL);
	if (k < 1 || k > NF_SLACK) {
		d[0] = cp;
		k = 1;
	}
	for (utf8proc_ssize_t i = 0; i < k; i++)
		nf_append(e, d[i], ccc_of(d[i]));
}

/* Append one decomposed code point, keeping runs of non-starters at 30
 * (the count includes the marks inside raw characters, as soon as they
 * matter, so it is the same as on fully decomposed text). */
static void nf_append(nf_engine *e, int32_t cp, uint8_t ccc)
{
	if (combines_back(cp, ccc)) {
		if (e->raw)
			nf_unraw(e);
		e->compose = true;
	}
	if (ccc) {
		if (e->run == NF_MAX_RUN) {
			e->cps[e->n] = CGJ;
			e->ccc[e->n++] = 0;
			e->run = 0;
		}
		e->run++;
	} else {
		e->run = 0;
	}
	e->cps[e->n] = cp;
	e->ccc[e->n++] = ccc;
	e->raw = false;
}

static void nf_append_raw(nf_engine *e, int32_t cp, uint8_t ccc)
{
	nf_append(e, cp, ccc);
	e->raw = true;
}

/* Canonical ordering: a stable sort of each run of non-starters by
 * combining class.  Insertion sort, since runs are at most 30 long. */
static void nf_order(nf_engine *e)
{
	for (size_t i = 1; i < e->n; i++) {
		uint8_t c = e->ccc[i];
		if (!c || e->ccc[i - 1] <= c)
			continue;
		int32_t cp = e->cps[i];
		size_t j = i;
		/* ccc[j-1] > c > 0, so this never moves past a starter. */
		while (j > 0 && e->ccc[j - 1] > c) {
			e->cps[j] = e->cps[j - 1];
			e->ccc[j] = e->ccc[j - 1];
			j--;
		}
		e->cps[j] = cp;
		e->ccc[j] = c;
	}
}

/* Order and compose the buffer in place; returns the new length. */
static size_t nf_compose(nf_engine *e)
{
	if (!e->compose)
		return e->n;
	nf_order(e);
	utf8proc_ssize_t m = utf8proc_normalize_utf32(e->cps,
		(utf8proc_ssize_t)e->n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return m < 0 ? e->n : (size_t)m; /* cannot fail with these options */
}

static void nf_reset(nf_engine *e)
{
	e->n = 0;
	e->compose = false;
	e->raw = false;
}

/* Push an already normalized code point back: the carried tail is NFC
 * of what the buffer held, so only canonical decomposition applies;
 * case folding and compatibility must not be applied twice. */
static void nf_push_canonical(nf_engine *e, int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);
	if (p->decomp_seqindex == UINT16_MAX || p->decomp_type) {
		nf_append(e, cp, p->combining_class);
		return;
	}
	/* In NFC output, anything with a decomposition is stable. */
	nf_append_raw(e, cp, p->combining_class);
}

/* Put the composed tail cps[j..m) back at the start of the buffer.  The
 * run counter ends where it was: the tail holds the same marks. */
static void nf_carry(nf_engine *e, size_t j, size_t m)
{
	int32_t tail[NF_MAX_RUN + 2];
	size_t t = m - j;
	memcpy(tail, e->cps + j, t * sizeof *tail);
	nf_reset(e);
	for (size_t i = 0; i < t; i++)
		nf_push_canonical(e, tail[i]);
}

/* Compose what is buffered and emit all of it (end of line or input). */
static void nf_finish(nf_engine *e)
{
	if (!e->n)
		return;
	size_t m = nf_compose(e);
	e->emit(e->ctx, e->cps, m);
	nf_reset(e);
}

/* The buffer is full: emit everything before the last starter.  Later
 * input can only combine with that starter or reorder the marks after
 * it, so the rest is final. */
static void nf_flush(nf_engine *e)
{
	size_t m = nf_compose(e);
	size_t j = m;
	while (j > 0 && ccc_of(e->cps[j - 1]))
		j--;
	/* The 30-mark cap puts a starter in every 31 code points, so
	 * this fallback is never taken; it only guarantees progress. */
	if (j == 0 || m - j >= NF_MAX_RUN + 1) {
		e->emit(e->ctx, e->cps, m);
		nf_reset(e);
		return;
	}
	j--; /* the last starter */
	e->emit(e->ctx, e->cps, j);
	nf_carry(e, j, m);
}

/* Decompose cp (NFD, NFKD or NFKD+fold per e) into the buffer; p is its
 * property record. */
static void nf_push_prop(nf_engine *e, int32_t cp,
			 const utf8proc_property_t *p)
{
	if (e->n + NF_SLACK > NF_CAP)
		nf_flush(e);
	/* Most code points have no decomposition and no case folding.
	 * Hangul syllables need not be split either: the composition step
	 * joins LV + T itself, as it would after decomposing. */
	bool decomp = p->decomp_seqindex != UINT16_MAX &&
		      (!p->decomp_type || e->compat);
	bool folds = e->fold && p->casefold_seqindex != UINT16_MAX;
	if (!decomp && !folds) {
		nf_append(e, cp, p->combining_class);
		return;
	}
	if (p->decomp_seqindex != UINT16_MAX && is_stable(e->mode, cp)) {
		nf_append_raw(e, cp, p->combining_class);
		return;
	}
	int32_t d[NF_SLACK];
	utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, NF_SLACK - 1,
						     e->opts, NULL);
	if (k < 1 || k > NF_SLACK - 1) { /* not with Unicode 15; be safe */
		d[0] = cp;
		k = 1;
	}
	for (utf8proc_ssize_t i = 0; i < k; i++)
		nf_append(e, d[i], ccc_of(d[i]));
}

static void nf_push(nf_engine *e, int32_t cp)
{
	if (cp >= 0x80) {
		nf_push_prop(e, cp, utf8proc_get_property(cp));
		return;
	}
	if (e->n + NF_SLACK > NF_CAP)
		nf_flush(e);
	if (e->fold && cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	nf_append(e, cp, 0);
}

/* ------------------------------------------------------------ wn_normalize */

typedef struct nstate {
	wn_buf *out;
	bool ascii_punct;
	bool pending;      /* spaces seen since the last character written */
	size_t line_start; /* offset in out where the current line begins */
	nf_engine eng;
} nstate;

/* ASCII replacement for typographic punctuation, or NULL. */
static const char *ascii_punct(int32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0x00AB: case 0x00BB:
		return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return "-";
	case 0x2026:
		return "...";
	}
	return NULL;
}

static bool is_newline(int32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 ||
	       cp == 0x2029;
}

static void put_newline(nstate *st)
{
	wn_buf_addc(st->out, '\n');
	st->pending = false;
	st->line_start = st->out->len;
}

/* Write one final code point, collapsing and trimming spaces: a space is
 * only written when something follows it on the same line. */
static char *put_cp(nstate *st, char *o, int32_t cp)
{
	if (cp == ' ') {
		st->pending = true;
		return o;
	}
	if (st->pending) {
		if (o != st->out->data + st->line_start)
			*o++ = ' ';
		st->pending = false;
	}
	return o + wn_utf8_encode(cp, o);
}

/* Emit composed code points.  Spaces are handled here, after NFC/NFKC,
 * because NFKC makes new ones (U+00A8 -> U+0020 U+0308); ASCII quotes
 * here too, because NFKC makes new dashes (U+FE58 -> U+2014). */
static void norm_emit(void *ctx, const int32_t *cps, size_t n)
{
	nstate *st = ctx;
	wn_buf *out = st->out;
	/* Every code point writes at most 4 bytes ("..." for U+2026 is 3),
	 * plus one pending space carried in. */
	wn_buf_reserve(out, 4 * n + 1);
	char *o = out->data + out->len;
	for (size_t i = 0; i < n; i++) {
		const char *a = st->ascii_punct ? ascii_punct(cps[i]) : NULL;
		if (!a) {
			o = put_cp(st, o, cps[i]);
			continue;
		}
		for (; *a; a++)
			o = put_cp(st, o, *a);
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* Everything done before composition, per input code point: drop
 * controls and invisibles (they would block composition), spaces to
 * U+0020, ligatures expanded.  Newlines are handled by the caller. */
static void pre_map(nstate *st, int32_t cp)
{
	nf_engine *e = &st->eng;
	if (cp < 0x80) {
		if (cp == '\t')
			cp = ' ';
		else if (cp < 0x20 || cp == 0x7F)
			return;
		nf_push(e, cp);
		return;
	}
	if (cp < 0xA0 || cp == 0xAD || cp == 0x200B || cp == 0x2060 ||
	    cp == 0xFEFF)
		return;
	if (cp >= 0xFB00 && cp <= 0xFB06) {
		static const char *const lig[] = {
			"ff", "fi", "fl", "ffi", "ffl", "\xC5\xBFt", "st",
		};
		const char *l = lig[cp - 0xFB00];
		const unsigned char *s = (const unsigned char *)l;
		size_t n = strlen(l);
		for (size_t i = 0; i < n;) {
			int32_t c;
			i += utf8_decode(s + i, n - i, &c);
			nf_push(e, c);
		}
		return;
	}
	/* Mapped before NFKC too, so that U+2033 becomes '"', not "''". */
	const char *a = st->ascii_punct ? ascii_punct(cp) : NULL;
	if (a) {
		for (; *a; a++)
			nf_push(e, *a);
		return;
	}
	const utf8proc_property_t *p = utf8proc_get_property(cp);
	if (p->category == UTF8PROC_CATEGORY_ZS)
		nf_push(e, ' ');
	else
		nf_push_prop(e, cp, p);
}

/* Byte classes of the ASCII fast path. */
enum { A_VIS, A_SP, A_LF, A_CR, A_DROP, A_HIGH };

#define V A_VIS
#define S A_SP
#define D A_DROP
static const unsigned char aclass[128] = {
	D, D, D, D, D, D, D, D, D, S, A_LF, D, D, A_CR, D, D,
	D, D, D, D, D, D, D, D, D, D, D,    D, D, D,    D, D,
	S, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, V,
	V, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, V,
	V, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, V,
	V, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, V,
	V, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, V,
	V, V, V, V, V, V, V, V, V, V, V,    V, V, V,    V, D,
};
#undef V
#undef S
#undef D

static unsigned char aclass_of(unsigned char c)
{
	return c < 0x80 ? aclass[c] : A_HIGH;
}

/* True when the 8 bytes of w are printable ASCII (0x20-0x7E) with no two
 * spaces side by side, i.e. the fast path may copy them as they are.
 * Bit tricks from "Bit Twiddling Hacks" (hasless, hasmore, exact zero
 * bytes); the pair test does not depend on byte order. */
static bool plain8(uint64_t w)
{
	uint64_t lo = (w - ONES * 0x20) & ~w & HIGHS;
	uint64_t hi = ((w + ONES * (0x7F - 0x7E)) | w) & HIGHS;
	if (lo | hi)
		return false;
	uint64_t t = w ^ (ONES * ' ');
	uint64_t sp = ~(((t & ~HIGHS) + ~HIGHS) | t | ~HIGHS);
	return !(sp & (sp << 8));
}

#ifdef __SSE2__
/* True when the 16 bytes of v are printable ASCII with no two spaces side
 * by side, the first not a space when prev_space: plain8's test, sixteen
 * bytes a step. */
static inline bool plain16(__m128i v, bool prev_space)
{
	__m128i ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)),
				      _mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)));
	unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
	return _mm_movemask_epi8(ok) == 0xFFFF && !(sp & (sp >> 1)) &&
	       !(sp & 1 && prev_space);
}
#endif

/* The fast path: normalize ASCII bytes from s[i] until the first byte
 * >= 0x80 or the end.  Spaces are written eagerly, one per run and never
 * at line start, and taken back at the end of a line; that lets runs of
 * ordinary text be copied eight bytes at a time.  ASCII output is never
 * longer than its input. */
static size_t ascii_run(nstate *st, const unsigned char *s, size_t i,
			size_t len)
{
	wn_buf *out = st->out;
	wn_buf_reserve(out, len - i + 1);
	char *o = out->data + out->len;
	char *ls = out->data + st->line_start;
	if (st->pending && o != ls)
		*o++ = ' ';
	st->pending = false;
	while (i < len) {
#ifdef __SSE2__
		if (len - i >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			if (plain16(v, o == ls || o[-1] == ' ')) {
				_mm_storeu_si128((__m128i *)(void *)o, v);
				o += 16;
				i += 16;
				continue;
			}
		}
#endif
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (plain8(w) &&
			    (s[i] != ' ' || (o != ls && o[-1] != ' '))) {
				memcpy(o, s + i, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		switch (aclass_of(c)) {
		case A_VIS:
			*o++ = (char)c;
			break;
		case A_SP:
			if (o != ls && o[-1] != ' ')
				*o++ = ' ';
			break;
		case A_CR:
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			/* fall through */
		case A_LF:
			if (o != ls && o[-1] == ' ')
				o--;
			*o++ = '\n';
			ls = o;
			break;
		case A_DROP:
			break;
		default:
			goto out;
		}
		i++;
	}
out:
	/* A trailing space is pending: the end of the input drops it, the
	 * Unicode path decides (U+00A0 continues the run, U+2028 ends the
	 * line). */
	if (o != ls && o[-1] == ' ') {
		o--;
		st->pending = i < len;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	st->line_start = (size_t)(ls - out->data);
	return i;
}

/* True when s starts with 8 ASCII bytes, the first one kept as it is or
 * a space: a starter that nothing before it can compose with, so the
 * fast path can take over. */
static bool ascii_ahead(const unsigned char *s, size_t n)
{
	uint64_t w;
	if (n < 8)
		return false;
	memcpy(&w, s, 8);
	return !(w & HIGHS) &&
	       (aclass_of(s[0]) == A_VIS || aclass_of(s[0]) == A_SP);
}

/* The slow path, from a non-ASCII byte at s[i] to the end of the line or
 * the next stretch of ASCII text.  Returns where it stopped. */
static size_t unicode_run(nstate *st, const unsigned char *s, size_t i,
			  size_t len)
{
	wn_buf *out = st->out;
	/* The last ASCII letter may compose with what follows (e + U+0301),
	 * so take it back and let it through the engine. */
	if (!st->pending && out->len > st->line_start &&
	    (unsigned char)out->data[out->len - 1] < 0x80) {
		nf_push(&st->eng, (unsigned char)out->data[--out->len]);
		out->data[out->len] = '\0';
	}
	while (i < len) {
		if (s[i] < 0x80 && ascii_ahead(s + i, len - i))
			break;
		int32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (is_newline(cp)) {
			if (cp == '\r' && i < len && s[i] == '\n')
				i++;
			nf_finish(&st->eng);
			st->eng.run = 0;
			put_newline(st);
			return i;
		}
		pre_map(st, cp);
	}
	nf_finish(&st->eng);
	st->eng.run = 0;
	return i;
}

static void normalize_valid(const char *in, size_t len, const wn_norm_opts *o,
			    wn_buf *out)
{
	static const wn_norm_opts defaults = { false, false };
	const unsigned char *s = (const unsigned char *)in;
	nstate st;
	if (!o)
		o = &defaults;
	st.out = out;
	st.ascii_punct = o->ascii_punct;
	st.pending = false;
	st.line_start = out->len;
	nf_init(&st.eng, o->nfkc, false, norm_emit, &st);
	size_t i = 0;
	while (i < len) {
		i = ascii_run(&st, s, i, len);
		if (i < len)
			i = unicode_run(&st, s, i, len);
	}
	wn_buf_cstr(out);
}

void wn_normalize(const char *in, size_t len, const wn_norm_opts *o,
		  wn_buf *out)
{
	size_t start = out->len;
	wn_buf fixed;
	wn_buf_init(&fixed);
	if (wn_mojibake_fix(in, len, &fixed, NULL))
		normalize_valid(fixed.data, fixed.len, o, out);
	else
		normalize_valid(in, len, o, out);
	/* NFC can make a lead of two characters ("A" + U+030A is U+00C5):
	 * repeat while the result still holds mojibake, so that normalizing
	 * twice changes nothing (each round shortens the text) */
	for (;;) {
		wn_buf_clear(&fixed);
		if (!wn_mojibake_fix(out->data + start, out->len - start, &fixed, NULL))
			break;
		out->len = start;
		normalize_valid(fixed.data, fixed.len, o, out);
	}
	wn_buf_free(&fixed);
}

/* ------------------------------------------------------------------ wn_key */

/* Unicode White_Space, plus any Zs. */
static bool is_white(int32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	switch (cp) {
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return true;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* Key classes of ASCII bytes.  K_PUNCT is exactly Unicode's P* in ASCII,
 * !"#%&'()*,-./:;?@[\]_{}; $+<=>^`|~ are symbols (S*) and are kept, as
 * on the utf8proc path.  K_WHITE is White_Space: TAB to CR, and space.
 * The other C0 controls and DEL, which the output loses (normalize),
 * are white space to the key, as they separate words for the word
 * features: "Related posts\x01" missed its rule, and a line of one
 * control was a block that cost its paragraph break (a reviewer's
 * finds).  K_GONE marks them for the path past ASCII (key_cp). */
enum { K_KEEP, K_WHITE, K_PUNCT, K_UPPER, K_GONE };

#define K K_KEEP
#define W K_WHITE
#define P K_PUNCT
#define U K_UPPER
#define G K_GONE
static const unsigned char kclass[128] = {
	G, G, G, G, G, G, G, G, G, W, W, W, W, W, G, G,
	G, G, G, G, G, G, G, G, G, G, G, G, G, G, G, G,
	W, P, P, P, K, P, P, P, P, P, P, K, P, P, P, P,
	K, K, K, K, K, K, K, K, K, K, P, P, K, K, K, P,
	P, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
	U, U, U, U, U, U, U, U, U, U, U, P, P, P, K, P,
	K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K,
	K, K, K, K, K, K, K, K, K, K, K, P, K, P, K, G,
};
#undef K
#undef W
#undef P
#undef U
#undef G

/* Stripped from a key's ends: punctuation, and past ASCII the symbols
 * that decorate a header or a link as bullets do: arrows (U+2190-21FF,
 * dingbat arrows U+2794-27BF, the supplemental ones), geometric shapes (U+25A0-25FF: ■ ● ◆ ▶
 * ► ▼) and stars (★ ☆), so that "■関連記事", "► Related posts" and
 * "→ Read more" meet the rules for their words (the i18n review of
 * 2026-12-06).  Other symbols (© °) stay. */
static bool is_punct(int32_t cp)
{
	if (cp < 0x80)
		return kclass[cp] == K_PUNCT;
	/* and the supplemental arrows (U+27F0-27FF, 2900-297F, 1F800-1F8FF)
	 * and the block of emoji arrows and stars (U+2B00-2BFF: ⬆️ ⬅️ ⭐):
	 * "Back to top ⬆️" missed its rule (a reviewer's find) */
	if ((cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x25A0 && cp <= 0x25FF) ||
	    cp == 0x2605 || cp == 0x2606 || (cp >= 0x2794 && cp <= 0x27BF) ||
	    (cp >= 0x27F0 && cp <= 0x27FF) || (cp >= 0x2900 && cp <= 0x297F) ||
	    (cp >= 0x2B00 && cp <= 0x2BFF) || (cp >= 0x1F800 && cp <= 0x1F8FF))
		return true;
	utf8proc_category_t c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

/* Invisible in a key: C1 controls (NEL is white space), the soft hyphen, zero-width and
 * joiner characters, bidi marks, embeddings and isolates, the word
 * joiner and its kin, the BOM, variation selectors ("▶️" is ▶ and
 * U+FE0F), Hangul fillers.  They are Default_Ignorable (or
 * controls), which NFKC_Casefold removes; without this, "\u200FShare"
 * or a file's BOM before "Home" missed the rule for it (the i18n review
 * of 2026-12-06).  The text itself keeps ZWJ and ZWNJ (normalize). */
static bool key_ignored(int32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xAD || cp == 0x34F ||
	       cp == 0x61C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
	       cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) || /* variation */
	       (cp >= 0xE0100 && cp <= 0xE01EF) ||               /* selectors */
	       cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0; /* Hangul fillers */
}

typedef struct kstate {
	wn_buf *out;
	bool at_start; /* nothing written yet: skip spaces and punctuation */
	bool pending;
} kstate;

static void key_emit(void *ctx, const int32_t *cps, size_t n)
{
	kstate *k = ctx;
	wn_buf *out = k->out;
	wn_buf_reserve(out, 4 * n + 1);
	char *o = out->data + out->len;
	for (size_t i = 0; i < n; i++) {
		int32_t cp = cps[i];
		if (is_white(cp)) {
			k->pending = !k->at_start;
			continue;
		}
		if (k->at_start && is_punct(cp))
			continue;
		if (k->pending)
			*o++ = ' ';
		k->pending = false;
		k->at_start = false;
		o += wn_utf8_encode(cp, o);
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* Drop trailing punctuation and the spaces it leaves ("foo - -"). */
static void key_trim_tail(wn_buf *b, size_t base)
{
	while (b->len > base) {
		size_t k = b->len - 1;
		while (k > base && is_cont((unsigned char)b->data[k]))
			k--;
		int32_t cp;
		const unsigned char *u = (const unsigned char *)b->data;
		utf8_decode(u + k, b->len - k, &cp);
		if (cp != ' ' && !is_punct(cp))
			break;
		b->len = k;
	}
	if (b->data)
		b->data[b->len] = '\0';
}

/* tolower on eight ASCII bytes: 0x20 is added where 'A' <= byte <= 'Z'.
 * No byte can carry into the next, since all are below 0x80. */
static uint64_t lower8(uint64_t w)
{
	uint64_t ge_a = w + ONES * (0x80 - 'A');
	uint64_t gt_z = w + ONES * (0x7F - 'Z');
	return w | ((ge_a & ~gt_z & HIGHS) >> 2);
}

/* The fast path of a key: ASCII bytes from s[i] to the first byte past
 * ASCII or the end, where NFKC is the identity and folding is tolower.
 * out's key began at base; k says what went before (a space pending,
 * nothing written yet).  Spaces are written eagerly, as in ascii_run: a
 * trailing one is taken back and left pending when the Unicode path
 * follows, and left to key_trim_tail at the end.  Returns where it
 * stopped. */
static size_t key_ascii(kstate *k, size_t base, const unsigned char *s,
			size_t i, size_t len)
{
	wn_buf *out = k->out;
	wn_buf_reserve(out, len - i + 1);
	char *start = out->data + base;
	char *o = out->data + out->len;
	if (k->pending) /* only ever after something written */
		*o++ = ' ';
	while (i < len) {
#ifdef __SSE2__
		/* sixteen printable bytes, no two spaces side by side (nor a
		 * space after one written): as they are, upper case lowered */
		if (len - i >= 16 && o != start) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			if (plain16(v, o[-1] == ' ')) {
				__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
							   _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
				v = _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(0x20)));
				_mm_storeu_si128((__m128i *)(void *)o, v);
				o += 16;
				i += 16;
				continue;
			}
		}
#endif
		if (len - i >= 8 && o != start) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (plain8(w) && (s[i] != ' ' || o[-1] != ' ')) {
				w = lower8(w);
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c >= 0x80)
			break;
		i++;
		switch (kclass[c]) {
		case K_GONE:
		case K_WHITE:
			if (o != start && o[-1] != ' ')
				*o++ = ' ';
			break;
		case K_PUNCT:
			if (o != start) /* leading punctuation goes */
				*o++ = (char)c;
			break;
		case K_UPPER:
			*o++ = (char)(c + ('a' - 'A'));
			break;
		default:
			*o++ = (char)c;
		}
	}
	k->pending = i < len && o != start && o[-1] == ' ';
	o -= k->pending;
	k->at_start = o == start;
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	return i;
}

/* The slow path of a key, through the engine (NFKC, case folding), from
 * a byte past ASCII at s[i] to the end or the next stretch of ASCII
 * text (ascii_ahead).  Returns where it stopped. */
static size_t key_unicode(kstate *k, nf_engine *e, size_t base,
			  const unsigned char *s, size_t i, size_t len)
{
	wn_buf *out = k->out;
	/* The last ASCII character may compose with what follows (e +
	 * U+0301), so take it back and let it through the engine. */
	if (!k->pending && out->len > base &&
	    (unsigned char)out->data[out->len - 1] < 0x80) {
		nf_push(e, (unsigned char)out->data[--out->len]);
		out->data[out->len] = '\0';
		k->at_start = out->len == base;
	}
	while (i < len) {
		if (s[i] < 0x80 && ascii_ahead(s + i, len - i))
			break;
		int32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (!key_ignored(cp))
			nf_push(e, cp < 0x80 && kclass[cp] == K_GONE ? ' ' : cp);
	}
	nf_finish(e);
	e->run = 0; /* ASCII text follows: starters */
	return i;
}

void wn_key_append(const char *in, size_t len, wn_buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t base = out->len;
	kstate k = { out, true, false };
	size_t i = key_ascii(&k, base, s, 0, len);
	if (i < len) {
		nf_engine e;
		nf_init(&e, true, true, key_emit, &k);
		while (i < len) {
			i = key_unicode(&k, &e, base, s, i, len);
			if (i < len)
				i = key_ascii(&k, base, s, i, len);
		}
	}
	key_trim_tail(out, base);
}

void wn_key_engine(const char *in, size_t len, wn_buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	wn_buf_clear(out);
	kstate k = { out, true, false };
	nf_engine e;
	nf_init(&e, true, true, key_emit, &k);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (!key_ignored(cp))
			nf_push(&e, cp < 0x80 && kclass[cp] == K_GONE ? ' ' : cp);
	}
	nf_finish(&e);
	key_trim_tail(out, 0);
}

void wn_key(const char *in, size_t len, wn_buf *out)
{
	wn_buf_clear(out);
	wn_key_append(in, len, out);
}
