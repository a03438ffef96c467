/* features.c - per-block numbers the classifier reads: length, words,
 * stopword density, letters/digits/capitals, menu separators, terminal
 * punctuation; and the document's language, from stopword hits. */
#include "internal.h"
#include "model.h"
#include "thresholds.h"
#include "words.h"

#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

const uint8_t wn_word_byte[256] = {
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2,
	['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
#define L1(c) [c] = 1, [c - 32] = 1
	L1('a'), L1('b'), L1('c'), L1('d'), L1('e'), L1('f'), L1('g'), L1('h'),
	L1('i'), L1('j'), L1('k'), L1('l'), L1('m'), L1('n'), L1('o'), L1('p'),
	L1('q'), L1('r'), L1('s'), L1('t'), L1('u'), L1('v'), L1('w'), L1('x'),
	L1('y'), L1('z'),
#undef L1
#define H4(b) [b] = 3, [b + 1] = 3, [b + 2] = 3, [b + 3] = 3
#define H16(b) H4(b), H4(b + 4), H4(b + 8), H4(b + 12)
	H16(0x80), H16(0x90), H16(0xA0), H16(0xB0), H16(0xC0), H16(0xD0),
	H16(0xE0), H16(0xF0),
#undef H16
#undef H4
};

bool wn_is_word_cp(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 0 && wn_word_byte[cp] != 0;
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

bool wn_word_cp_at(const unsigned char *p, size_t i, size_t len, size_t *k)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t r = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
	*k = r > 0 ? (size_t)r : 1;
	return r > 0 && wn_is_word_cp(cp);
}

void wn_words(const char *key, size_t len, wn_word_fn fn, void *ctx)
{
	wn_each_word(key, len, fn, ctx);
}

/* ---- language ------------------------------------------------------- */

typedef struct lang_ctx {
	const winnow_rules *r;
	const char *end; /* the key's end */
	size_t *hits;
	size_t tokens;
} lang_ctx;

static void lang_word(const char *w, size_t n, bool letters, void *vctx)
{
	(void)letters;
	lang_ctx *c = vctx;
	if (c->tokens >= wn_thresholds.lang_max_tokens)
		return;
	c->tokens++;
	/* one lookup for every list */
	for (uint64_t m = wn_stoplist_mask(c->r, w, n, c->end); m; m &= m - 1)
		c->hits[__builtin_ctzll(m)]++;
}

/* The language with the most hits, if its share of the tokens is enough. */
static long pick_lang(const size_t *hits, size_t ns, size_t tokens)
{
	long best = -1;
	for (size_t i = 0; i < ns; i++)
		if (best < 0 || hits[i] > hits[best])
			best = (long)i;
	if (best < 0 || !tokens ||
	    (double)hits[best] < wn_thresholds.lang_min_share * (double)tokens)
		return -1;
	return best;
}

/* The words a block's tokens miss, in the scripts written without
 * spaces (raw_stats counted them): a word per wide_chars_per_word Han
 * or kana, per unspaced_chars_per_word Thai, Lao, Khmer or Burmese
 * code points (thresholds.c). */
static size_t unspaced_words(const wn_block *b)
{
	return b->wide / wn_thresholds.wide_chars_per_word +
	       b->unspaced / wn_thresholds.unspaced_chars_per_word;
}

/* The same to language detection: a token per Han or kana character,
 * two per word of the others, erring towards "not known" (a quoted
 * English sentence must not make the page English). */
static size_t unspaced_tokens(const wn_block *b)
{
	return b->wide + 2 * (b->unspaced / wn_thresholds.unspaced_chars_per_word);
}

static long detect_lang(const wn_doc *d, const winnow_rules *r)
{
	size_t ns = wn_stoplist_count(r);
	if (!ns)
		return -1;
	size_t hits[64] = {0};
	if (ns > 64)
		ns = 64;
	lang_ctx c = {.r = r, .hits = hits};
	for (size_t i = 0; i < d->nblocks && c.tokens < wn_thresholds.lang_max_tokens; i++) {
		const char *key = wn_block_key(d, &d->blocks[i]);
		c.end = key + d->blocks[i].key_len;
		wn_words(key, d->blocks[i].key_len, lang_word, &c);
		/* the block's Han and kana, a token each (b->wide: raw_stats
		 * ran), as the fused pass counts them */
		if (c.tokens < wn_thresholds.lang_max_tokens)
			c.tokens += unspaced_tokens(&d->blocks[i]);
	}
	return pick_lang(hits, ns, c.tokens);
}

/* ---- per-block features --------------------------------------------- */

typedef struct count_ctx {
	const wn_stoplist *stop;
	size_t words, stopwords;
} count_ctx;

static void count_word(const char *w, size_t n, bool letters, void *vctx)
{
	(void)letters;
	count_ctx *c = vctx;
	c->words++;
	if (c->stop && wn_stoplist_has(c->stop, w, n))
		c->stopwords++;
}

static bool is_sentence_end(utf8proc_int32_t cp)
{
	switch (cp) {
	case '.': case '!': case '?': case ':': case ';':
	case 0x2026: /* … */
	case 0x3002: case 0xFF01: case 0xFF1F: /* CJK 。！？ */
	case 0xFF0E: case 0xFF61: /* full-width ．, half-width ｡ */
	case 0x0964: case 0x0965: /* Devanagari danda, double danda */
	case 0x061F: /* Arabic question mark */
	case 0x06D4: /* Urdu full stop */
		return true;
	default:
		return false;
	}
}

static bool is_closer(utf8proc_int32_t cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case ']':
	case 0x2019: case 0x201D: case 0x00BB: case 0x203A: /* ’ ” » › */
	case 0x300D: case 0x300F: case 0xFF09: case 0x300B: /* 」 』 ） 》 */
	case 0x3009: case 0x3011: case 0xFF63:              /* 〉 】 ｣ */
		return true;
	default:
		return false;
	}
}

static bool is_separator(utf8proc_int32_t cp)
{
	/* menus and breadcrumbs: "Home | News", "Home » World" */
	return cp == '|' || cp == 0x2022 || cp == 0x00B7 || cp == 0x00BB ||
	       cp == 0x203A || cp == '>';
}

/* Han (CJK unified ideographs, their extensions and compatibility
 * forms) and kana, full and half width: the scripts written without
 * spaces between words (wide_char_weight in thresholds.c) */
bool wn_is_wide(int32_t cp)
{
	if (cp < 0x3040)
		return false;
	return (cp >= 0x3040 && cp <= 0x30FF) || /* hiragana, katakana */
	       (cp >= 0x31F0 && cp <= 0x31FF) || /* katakana extension */
	       (cp >= 0x3400 && cp <= 0x4DBF) || /* extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) || /* unified ideographs */
	       (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility */
	       (cp >= 0xFF66 && cp <= 0xFF9F) || /* half-width katakana */
	       (cp >= 0x20000 && cp <= 0x3134F); /* extensions B-G */
}

/* Thai, Lao, Burmese (Myanmar) and Khmer: alphabets written without
 * spaces between words (unspaced_chars_per_word in thresholds.c) */
static bool is_unspaced(utf8proc_int32_t cp)
{
	return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
	       (cp >= 0x1780 && cp <= 0x17FF);
}

/* ASCII classes for raw_stats */
enum { A_WORD = 1, A_UP = 2, A_DIG = 4, A_SEP = 8 };
static const uint8_t ascii_class[128] = {
	['0'] = A_WORD | A_DIG, ['1'] = A_WORD | A_DIG, ['2'] = A_WORD | A_DIG,
	['3'] = A_WORD | A_DIG, ['4'] = A_WORD | A_DIG, ['5'] = A_WORD | A_DIG,
	['6'] = A_WORD | A_DIG, ['7'] = A_WORD | A_DIG, ['8'] = A_WORD | A_DIG,
	['9'] = A_WORD | A_DIG,
	['a'] = A_WORD, ['b'] = A_WORD, ['c'] = A_WORD, ['d'] = A_WORD,
	['e'] = A_WORD, ['f'] = A_WORD, ['g'] = A_WORD, ['h'] = A_WORD,
	['i'] = A_WORD, ['j'] = A_WORD, ['k'] = A_WORD, ['l'] = A_WORD,
	['m'] = A_WORD, ['n'] = A_WORD, ['o'] = A_WORD, ['p'] = A_WORD,
	['q'] = A_WORD, ['r'] = A_WORD, ['s'] = A_WORD, ['t'] = A_WORD,
	['u'] = A_WORD, ['v'] = A_WORD, ['w'] = A_WORD, ['x'] = A_WORD,
	['y'] = A_WORD, ['z'] = A_WORD,
	['A'] = A_WORD | A_UP, ['B'] = A_WORD | A_UP, ['C'] = A_WORD | A_UP,
	['D'] = A_WORD | A_UP, ['E'] = A_WORD | A_UP, ['F'] = A_WORD | A_UP,
	['G'] = A_WORD | A_UP, ['H'] = A_WORD | A_UP, ['I'] = A_WORD | A_UP,
	['J'] = A_WORD | A_UP, ['K'] = A_WORD | A_UP, ['L'] = A_WORD | A_UP,
	['M'] = A_WORD | A_UP, ['N'] = A_WORD | A_UP, ['O'] = A_WORD | A_UP,
	['P'] = A_WORD | A_UP, ['Q'] = A_WORD | A_UP, ['R'] = A_WORD | A_UP,
	['S'] = A_WORD | A_UP, ['T'] = A_WORD | A_UP, ['U'] = A_WORD | A_UP,
	['V'] = A_WORD | A_UP, ['W'] = A_WORD | A_UP, ['X'] = A_WORD | A_UP,
	['Y'] = A_WORD | A_UP, ['Z'] = A_WORD | A_UP,
	['|'] = A_SEP, ['>'] = A_SEP,
};

#ifdef __SSE2__
/* The ASCII counts of raw_stats, 16 bytes at a time, from p[*ip] while
 * all 16 are ASCII: each class a byte mask (0xFF where it holds), the
 * counts as per-byte sums subtracted from zero, the word and lower-case
 * state carried from lane 15 of one chunk to lane 0 of the next.  The
 * counts are the scalar loop's to the byte (tests/unit: test_raw_stats). */
typedef struct ascii_counts {
	size_t chars, alpha, digits, upper, cap_words, glued, seps;
} ascii_counts;

static size_t lane_sum(__m128i acc)
{
	__m128i s = _mm_sad_epu8(acc, _mm_setzero_si128());
	return (size_t)_mm_cvtsi128_si32(s) +
	       (size_t)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}

static __m128i in_range(__m128i v, char lo, char hi)
{
	/* signed compares: every byte here is below 0x80 */
	return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1))),
			     _mm_cmpgt_epi8(_mm_set1_epi8((char)(hi + 1)), v));
}

static void ascii_chunks(const uint8_t *p, size_t n, size_t *ip, ascii_counts *c,
			 unsigned *pw, unsigned *pl, int32_t *l1, int32_t *l2)
{
	size_t i = *ip;
	__m128i prev_w = *pw ? _mm_set1_epi8((char)0xFF) : _mm_setzero_si128();
	__m128i prev_l = *pl ? _mm_set1_epi8((char)0xFF) : _mm_setzero_si128();
	bool ascii = true;
	while (ascii && i + 16 <= n) {
		__m128i a_alpha = _mm_setzero_si128(), a_dig = a_alpha, a_up = a_alpha,
			a_cap = a_alpha, a_glued = a_alpha, a_sep = a_alpha;
		size_t start = i;
		/* at most 255 chunks: the byte sums must not wrap */
		for (unsigned k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
			if (_mm_movemask_epi8(v)) {
				ascii = false;
				break;
			}
			__m128i d = in_range(v, '0', '9'), u = in_range(v, 'A', 'Z'),
				l = in_range(v, 'a', 'z');
			__m128i w = _mm_or_si128(_mm_or_si128(d, u), l);
			__m128i sep = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('|')),
						   _mm_cmpeq_epi8(v, _mm_set1_epi8('>')));
			/* lane k's previous byte: lane k - 1, or the carry */
			__m128i bw = _mm_or_si128(_mm_slli_si128(w, 1), _mm_srli_si128(prev_w, 15));
			__m128i bl = _mm_or_si128(_mm_slli_si128(l, 1), _mm_srli_si128(prev_l, 15));
			a_dig = _mm_sub_epi8(a_dig, d);
			a_alpha = _mm_sub_epi8(a_alpha, _mm_or_si128(u, l));
			a_up = _mm_sub_epi8(a_up, u);
			a_cap = _mm_sub_epi8(a_cap, _mm_andnot_si128(bw, u));
			a_glued = _mm_sub_epi8(a_glued, _mm_and_si128(u, _mm_and_si128(bw, bl)));
			a_sep = _mm_sub_epi8(a_sep, sep);
			prev_w = w;
			prev_l = l;
			/* the last two bytes that are not spaces */
			unsigned ns = ~(unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))) & 0xFFFFu;
			if (ns) {
				unsigned k1 = 31u - (unsigned)__builtin_clz(ns);
				ns &= ~(1u << k1);
				*l2 = ns ? p[i + 31u - (unsigned)__builtin_clz(ns)] : *l1;
				*l1 = p[i + k1];
			}
		}
		c->chars += i - start;
		c->digits += lane_sum(a_dig);
		c->alpha += lane_sum(a_alpha);
		c->upper += lane_sum(a_up);
		c->cap_words += lane_sum(a_cap);
		c->glued += lane_sum(a_glued);
		c->seps += lane_sum(a_sep);
	}
	*pw = ((unsigned)_mm_movemask_epi8(prev_w) >> 15) & 1u;
	*pl = ((unsigned)_mm_movemask_epi8(prev_l) >> 15) & 1u;
	*ip = i;
}
#endif

void wn_raw_stats(wn_block *b, const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	/* counted in locals: stores through b could alias the text */
	size_t chars = 0, alpha = 0, digits = 0, upper = 0, cap_words = 0,
	       glued = 0, seps = 0, wide = 0, unspaced = 0;
	size_t i = 0;
	bool prev_word = false, prev_lower = false;
	utf8proc_int32_t last = 0, before_last = 0;
	while (i < n) {
		/* a run of ASCII: the same counts, without a branch per byte */
		if (p[i] < 0x80) {
			unsigned pw = prev_word, pl = prev_lower;
			utf8proc_int32_t l1 = last, l2 = before_last;
			size_t j = i;
#ifdef __SSE2__
			ascii_counts ac = {0};
			ascii_chunks(p, n, &j, &ac, &pw, &pl, &l1, &l2);
			chars += ac.chars;
			alpha += ac.alpha;
			digits += ac.digits;
			upper += ac.upper;
			cap_words += ac.cap_words;
			glued += ac.glued;
			seps += ac.seps;
			size_t simd_end = j;
#endif
			for (; j < n && p[j] < 0x80; j++) {
				unsigned c = ascii_class[p[j]];
				unsigned w = c & A_WORD, u = (c >> 1) & 1, d = (c >> 2) & 1;
				digits += d;
				alpha += w & (d ^ 1);
				upper += u;
				cap_words += u & (pw ^ 1);
				glued += u & pw & pl;
				seps += (c >> 3) & 1;
				pl = w & (u ^ 1) & (d ^ 1);
				pw = w;
				bool ns = p[j] != ' '; /* spaces do not count as last */
				l2 = ns ? l1 : l2;
				l1 = ns ? p[j] : l1;
			}
#ifdef __SSE2__
			chars += j - simd_end;
#else
			chars += j - i;
#endif
			prev_word = pw;
			prev_lower = pl;
			last = l1;
			before_last = l2;
			i = j;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = 1;
		bool word, up, dig, sep;
		if (p[i] < 0x80) {
			cp = p[i];
			uint8_t c = ascii_class[cp];
			word = c & A_WORD;
			up = c & A_UP;
			dig = c & A_DIG;
			sep = c & A_SEP;
		} else {
			k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
			if (k <= 0) {
				k = 1;
				cp = 0xFFFD;
			}
			/* one category lookup: wn_is_word_cp's classes */
			utf8proc_category_t c = utf8proc_category(cp);
			up = c == UTF8PROC_CATEGORY_LU;
			dig = c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
			word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
			       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || dig;
			sep = is_separator(cp);
			if (cp >= 0xAC00 && cp <= 0xD7A3) /* a Hangul syllable */
				chars += wn_thresholds.hangul_char_weight - 1;
			else if (wn_is_wide(cp)) {
				wide++;
				chars += wn_thresholds.wide_char_weight - 1;
			} else if (is_unspaced(cp))
				unspaced++;
		}
		chars++;
		if (word) {
			if (dig)
				digits++;
			else
				alpha++;
			if (up) {
				upper++;
				if (!prev_word)
					cap_words++;
				else if (prev_lower)
					glued++;
			}
			prev_lower = !up && !dig;
		} else {
			prev_lower = false;
			seps += sep;
		}
		prev_word = word;
		if (cp != ' ') {
			before_last = last;
			last = cp;
		}
		i += (size_t)k;
	}
	b->chars += chars;
	b->wide += wide;
	b->unspaced += unspaced;
	b->alpha += alpha;
	b->digits += digits;
	b->upper += upper;
	b->cap_words += cap_words;
	b->glued += glued;
	b->seps += seps;
	b->end_punct = is_sentence_end(last) ||
		       (is_closer(last) && is_sentence_end(before_last)) ||
		       (is_unspaced(last) &&
			b->unspaced >= wn_thresholds.unspaced_sentence_chars);
}

/* The word weights of the model that will decide d's blocks, or NULL
 * (no model, or one without weights): each block's mean weight (b->lex)
 * is read with its words here. */
static const wn_lexicon *block_lexicon(const wn_doc *d, const winnow_rules *r)
{
	const wn_model *m = wn_rules_model_for(r, d->html);
	return m && m->lex.n ? &m->lex : NULL;
}

/* One pass for both: every word looked up once in the union of the
 * stoplists, its hits counted for the language detection (the first
 * lang_max_tokens tokens, as detect_lang) and per block and list. */
typedef struct fused_ctx {
	const winnow_rules *r;
	const char *end; /* the key's end */
	size_t stop_max; /* wn_stoplist_max_len */
	size_t hits[64], tokens;
	uint32_t *block_hits; /* ns counts of the current block */
	size_t words;
	/* The word weights, when the block is ASCII text: its key's words
	 * are then the text's, lower-cased, and their hash is the one the
	 * stoplists take (else NULL: wn_lexicon_score reads the text). */
	const wn_lexicon *lx;
	wn_lex_acc lex;
} fused_ctx;

static inline __attribute__((always_inline)) void
fused_word(const char *w, size_t n, bool letters, void *vctx)
{
	fused_ctx *c = vctx;
	c->words++;
	bool lex = c->lx && wn_lex_word(letters, n);
	uint64_t m = 0;
	if (lex || n <= c->stop_max) {
		uint64_t h = wn_hash_fast_in(w, n, c->end, 0);
		if (lex)
			wn_lex_acc_add(c->lx, &c->lex, h);
		m = wn_stoplist_mask_h(c->r, w, n, h);
	}
	bool detect = c->tokens < wn_thresholds.lang_max_tokens;
	c->tokens += detect;
	for (; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		c->block_hits[l]++;
		c->hits[l] += detect;
	}
}

/* A page's worth of blocks takes the fused pass; a huge document the two
 * passes, which need no per-block, per-list counts (memory). */
#define FUSED_MAX_COUNTS ((size_t)1 << 20)

static bool fused_features(wn_doc *d, const winnow_rules *r)
{
	size_t ns = wn_stoplist_count(r);
	if (!ns || ns > 64 || d->nblocks * ns > FUSED_MAX_COUNTS)
		return false;
	uint32_t *bh = wn_xcalloc(d->nblocks * ns + 1, sizeof(uint32_t));
	fused_ctx c = {.r = r, .stop_max = wn_stoplist_max_len(r)};
	const wn_lexicon *lx = block_lexicon(d, r);
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_block *b = &d->blocks[i];
		wn_raw_stats(b, d->text + b->off, b->len);
		c.block_hits = bh + i * ns;
		c.words = 0;
		/* a block of ASCII text (a byte a code point) whose key holds
		 * all of it (a line's key stops at key_max_line bytes) */
		c.lx = lx && b->chars == b->len && !b->wide &&
		       b->len <= wn_thresholds.key_max_line ? lx : NULL;
		c.lex = (wn_lex_acc){0};
		const char *key = wn_block_key(d, b);
		c.end = key + b->key_len;
		wn_each_word(key, b->key_len, fused_word, &c);
		b->words = c.words + unspaced_words(b);
		/* Han and kana count among the tokens a language needs its
		 * share of, a token each (detect_lang does the same) */
		if (c.tokens < wn_thresholds.lang_max_tokens)
			c.tokens += unspaced_tokens(b);
		if (c.lx)
			b->lex = wn_lex_acc_mean(&c.lex);
		else
			b->lex = lx ? wn_lexicon_score(lx, d->text + b->off, b->len) : 0;
	}
	d->lang = pick_lang(c.hits, ns, c.tokens);
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_block *b = &d->blocks[i];
		b->stopwords = d->lang >= 0 ? bh[i * ns + (size_t)d->lang] : 0;
		b->stop_density = b->words ? (double)b->stopwords / (double)b->words : 0;
	}
	free(bh);
	return true;
}

void wn_features(wn_doc *d, const winnow_rules *r, const char *force_lang)
{
	if (!force_lang && fused_features(d, r))
		return;
	wn_features_two_pass(d, r, force_lang);
}

void wn_features_two_pass(wn_doc *d, const winnow_rules *r,
			  const char *force_lang)
{
	const wn_lexicon *lx = block_lexicon(d, r);
	for (size_t i = 0; i < d->nblocks; i++) /* detect_lang reads wide */
		wn_raw_stats(&d->blocks[i], d->text + d->blocks[i].off, d->blocks[i].len);
	d->lang = force_lang ? wn_stoplist_find(r, force_lang)
			     : detect_lang(d, r);
	const wn_stoplist *stop = d->lang >= 0 ? wn_stoplist_get(r, (size_t)d->lang)
					       : NULL;
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_block *b = &d->blocks[i];
		count_ctx c = {.stop = stop};
		wn_words(wn_block_key(d, b), b->key_len, count_word, &c);
		b->words = c.words + unspaced_words(b);
		b->stopwords = c.stopwords;
		b->stop_density = b->words ? (double)c.stopwords / (double)b->words : 0;
		b->lex = lx ? wn_lexicon_score(lx, d->text + b->off, b->len) : 0;
	}
}
