/* lines.c - plain text -> blocks: one block per non-blank line, with the
 * line number, whether a blank line came before it, and its key. */
#include "html.h"
#include "internal.h"
#include "normalize.h"
#include "thresholds.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static bool ascii_space(char c)
{
	return c == ' ' || c == '\t';
}

/* True when the line holds only white space and invisible characters
 * (NBSP, ZWSP, BOM...), which scrapers leave behind as "empty" lines. */
static bool only_invisible(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)n;
	while (left > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
		if (k <= 0)
			return false;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat != UTF8PROC_CATEGORY_ZS && cat != UTF8PROC_CATEGORY_CF &&
		    cat != UTF8PROC_CATEGORY_CC)
			return false;
		p += k;
		left -= k;
	}
	return true;
}

static wn_block *push_block(wn_doc *d)
{
	if (d->nblocks == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->blocks = wn_xrealloc(d->blocks, d->cap * sizeof(wn_block));
	}
	wn_block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->score = -1;
	return b;
}

/* Line by line into out, a line with a page break left as it is;
 * whether any line was repaired (else out is left empty). */
static bool fix_lines(const char *t, size_t n, wn_buf *out)
{
	bool any = false;
	for (size_t start = 0; start < n;) {
		const char *nl = memchr(t + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - t) + 1 : n, len = end - start;
		const char *line = t + start;
		if (memchr(line, '\f', len) || memchr(line, '\v', len) ||
		    !wn_mojibake_fix(line, len, out, NULL))
			wn_buf_add(out, line, len);
		else
			any = true;
		start = end;
	}
	if (!any)
		wn_buf_clear(out);
	return any;
}

/* Repairs d's mojibake (wn_mojibake_fix), in d->text itself when its
 * bytes are the doc's to rewrite (text_scratch: a line of 100 MB is not
 * copied; it took 224 MB, the input and its repaired copy; now 128), else into
 * d->demojibaked.  A line a form feed or vertical tab splits into several
 * blocks keeps its bytes, so that --annotate still finds each of its
 * blocks in the original line (a repaired one-block line is found as its
 * whole line); with such lines, each other line is repaired on its own
 * evidence, into the copy. */
static void fix_mojibake(wn_doc *d)
{
	const char *t = d->text;
	size_t n = d->text_len;
	if (memchr(t, '\f', n) || memchr(t, '\v', n)) {
		if (!fix_lines(t, n, &d->demojibaked))
			return;
	} else if (d->text_scratch) {
		wn_mojibake_fix_in_place((char *)d->text, &d->text_len, NULL);
		return;
	} else if (!wn_mojibake_fix(t, n, &d->demojibaked, NULL)) {
		return;
	}
	d->text = d->demojibaked.data;
	d->text_len = d->demojibaked.len;
}

/* The first of \n, \v, \f or \r (0x0A-0x0D) in [p, end), or end.
 * Sixteen bytes at a time: a signed compare puts bytes past ASCII below
 * the range. */
static const char *line_end(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8('\n' - 1), hi = _mm_set1_epi8('\r' + 1);
	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi)));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && *p != '\n' && *p != '\r' && *p != '\f' && *p != '\v')
		p++;
	return p;
}

/* The bytes of a Unicode line break at p (< end): NEL (U+0085), LINE
 * SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029); 0 if none. */
static size_t unicode_break(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == 0xC2 && end - p >= 2 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xE2 && end - p >= 3 && u[1] == 0x80 &&
	    (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* line_end, and also the first Unicode line break: for the documents
 * that hold one (wn_text_unicode_breaks), which the normalizer would turn
 * into a newline inside a block, so that one kept block came out as two
 * lines and a second run read it otherwise. */
static const char *line_end_unicode(const char *p, const char *end)
{
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= '\n' && c <= '\r') || unicode_break(p, end))
			return p;
	}
	return p;
}

/* Whether t[0..n) holds a Unicode line break.  Sixteen bytes at a time:
 * a chunk of ASCII is passed over at once, in others each 0xE2 or 0xC2
 * (the breaks' first bytes) is looked at (three memmem passes took a
 * ninth of a 3 MB text's instructions). */
bool wn_text_unicode_breaks(const char *t, size_t n)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i e2 = _mm_set1_epi8((char)0xE2), c2 = _mm_set1_epi8((char)0xC2);
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		if (!_mm_movemask_epi8(v))
			continue;
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, e2), _mm_cmpeq_epi8(v, c2)));
		for (; m; m &= m - 1)
			if (unicode_break(t + i + (unsigned)__builtin_ctz(m), t + n))
				return true;
	}
#endif
	for (; i < n; i++)
		if ((u[i] == 0xE2 || u[i] == 0xC2) && unicode_break(t + i, t + n))
			return true;
	return false;
}

const char *wn_next_break(const char *p, const char *end, bool unicode,
			  size_t *len)
{
	const char *q = unicode ? line_end_unicode(p, end) : line_end(p, end);
	if (q == end)
		*len = 0;
	else if (*q == '\r' && end - q >= 2 && q[1] == '\n')
		*len = 2;
	else if ((unsigned char)*q < 0x80)
		*len = 1;
	else
		*len = unicode_break(q, end);
	return q;
}

void wn_doc_split_lines(wn_doc *d)
{
	/* before anything reads a word: "donâ€™t" is "don't" to the
	 * stoplists, the rules and the model too, not only in the output
	 * (HTML mode, the ten WCXB pages with mojibake: F1 0.881 -> 0.896
	 * with this and html.c's repair before Gumbo, 0.886 repairing the
	 * output alone).  Not counted as repairs.  Lines stay where they were
	 * (no line break is ever part of a sequence), so --annotate's ranges
	 * hold; a repaired block is found there as its whole line. */
	fix_mojibake(d);
	const char *t = d->text, *end = d->text + d->text_len;
	/* size both arrays once: doubling would leave up to half of each
	 * unused, and on a 1 GB document that is the difference that counts */
	size_t lines = 1;
	for (const char *p = t; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	d->cap = lines;
	d->blocks = wn_xmalloc(d->cap * sizeof(wn_block));
	wn_buf_reserve(&d->keys, d->text_len + lines);
	bool blank = false;
	bool ubreaks = wn_text_unicode_breaks(t, d->text_len);
	size_t lineno = 1; /* of the line p is on; page breaks do not count */
	for (const char *p = t; p < end;) {
		const char *e = p;
		/* a form feed or vertical tab (pdftotext's page break) ends a
		 * line too, so the words on either side stay apart, and so do
		 * NEL, U+2028 and U+2029 (not counted as lines either: line
		 * numbers are an editor's) */
		e = ubreaks ? line_end_unicode(e, end) : line_end(e, end);
		const char *next = e;
		bool newline = next < end && (*next == '\n' || *next == '\r');
		size_t ub = ubreaks && next < end ? unicode_break(next, end) : 0;
		if (ub)
			next += ub;
		else if (next < end && (*next == '\f' || *next == '\v'))
			next++;
		else if (next < end && *next == '\r')
			next++;
		if (next < end && *next == '\n' && (next == e || next[-1] == '\r'))
			next++;
		const char *s = p, *f = e;
		while (s < f && ascii_space(*s))
			s++;
		while (f > s && ascii_space(f[-1]))
			f--;
		size_t n = (size_t)(f - s);
		/* the key goes straight into keys (a line of 100 MB has no
		 * second copy of its key) */
		size_t key_off = d->keys.len;
		if (n) {
			size_t kn = n;
			if (kn > wn_thresholds.key_max_line) { /* at a character's start */
				kn = wn_thresholds.key_max_line;
				while (kn > 0 && ((unsigned char)s[kn] & 0xC0) == 0x80)
					kn--;
			}
			wn_key_append(s, kn, &d->keys);
			if (d->keys.len == key_off && only_invisible(s, n))
				n = 0;
		}
		if (!n) {
			blank = true;
			d->keys.len = key_off;
			d->keys.data[key_off] = '\0';
		} else {
			wn_block *b = push_block(d);
			b->line = lineno;
			b->off = (size_t)(s - t);
			b->len = n;
			b->blank_before = blank && d->nblocks > 1;
			b->key_off = key_off;
			b->key_len = d->keys.len - key_off;
			wn_buf_addc(&d->keys, '\0');
			blank = false;
		}
		lineno += newline;
		p = next;
	}
}

void wn_doc_drop_keys(wn_doc *d)
{
	wn_buf_free(&d->keys);
	for (size_t i = 0; i < d->nblocks; i++)
		d->blocks[i].key_off = d->blocks[i].key_len = 0;
}

void wn_doc_free(wn_doc *d)
{
	wn_html_free(d);
	wn_buf_free(&d->repaired);
	wn_buf_free(&d->demojibaked);
	wn_buf_free(&d->utf16);
	wn_buf_free(&d->keys);
	free(d->blocks);
	free(d->features);
	free(d->near_prev);
	free(d->near_next);
	free(d->key_hash);
	memset(d, 0, sizeof *d);
}
