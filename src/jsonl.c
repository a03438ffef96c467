/* jsonl.c - JSON Lines in, JSON Lines out: jansson parses each line and
 * writes it back, winnow cleans one string field.  The other fields keep
 * their values and order; their spelling is jansson's (compact, UTF-8
 * unescaped, reals with the fewest digits that read back as the same
 * double, at least one decimal: 1e5 -> 100000.0). */
#include "jsonl.h"
#include "learn.h"
#include "normalize.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

json_t *wn_json_text(const char *s, size_t n)
{
	json_t *j;
	if (wn_utf8_valid(s, n)) {
		j = json_stringn(s, n);
	} else {
		wn_buf b;
		wn_buf_init(&b);
		wn_utf8_repair(s, n, &b, NULL);
		j = json_stringn(b.data ? b.data : "", b.len);
		wn_buf_free(&b);
	}
	if (!j) /* only on out of memory: the one policy (util.h) */
		wn_oom(0);
	return j;
}

/* The fewest significant digits that print v so that it reads back. */
static int shortest_digits(double v)
{
	char buf[40];
	for (int p = 1; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return p;
	}
	return 17;
}

/* Appends v to b as compact JSON, key order kept: each real with the
 * fewest digits that read back as it (jansson prints every real of one
 * call with one precision, so one real that needs 17 digits gave 2.675
 * as 2.6749999999999998; a reviewer's find), every other value as
 * jansson writes it.  -1 when jansson cannot encode a value. */
static int dump_value(wn_buf *b, const json_t *v)
{
	const char *key;
	json_t *e;
	size_t i;
	bool first = true;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		wn_buf_addc(b, '{');
		json_object_foreach((json_t *)v, key, e) {
			json_t *k = json_string(key);
			if (!k)
				return -1;
			if (!first)
				wn_buf_addc(b, ',');
			first = false;
			int rc = dump_value(b, k);
			json_decref(k);
			if (rc)
				return -1;
			wn_buf_addc(b, ':');
			if (dump_value(b, e))
				return -1;
		}
		wn_buf_addc(b, '}');
		return 0;
	case JSON_ARRAY:
		wn_buf_addc(b, '[');
		json_array_foreach(v, i, e) {
			if (i)
				wn_buf_addc(b, ',');
			if (dump_value(b, e))
				return -1;
		}
		wn_buf_addc(b, ']');
		return 0;
	default: {
		size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
		if (json_is_real(v))
			flags |= JSON_REAL_PRECISION(shortest_digits(json_real_value(v)));
		char *d = json_dumps(v, flags);
		if (!d)
			return -1;
		wn_buf_adds(b, d);
		free(d);
		return 0;
	}
	}
}

int wn_json_write_line(const json_t *obj, FILE *out)
{
	wn_buf b;
	wn_buf_init(&b);
	int rc = dump_value(&b, obj);
	if (!rc) {
		wn_buf_addc(&b, '\n');
		fwrite(b.data, 1, b.len, out);
	}
	wn_buf_free(&b);
	return rc;
}

const char *wn_json_plain_end(const char *p, const char *e)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i c0 = _mm_set1_epi8(0x1f);
	for (; e - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		/* below 0x20, unsigned: the minimum with 0x1f is the byte */
		__m128i hit = _mm_or_si128(
			_mm_cmpeq_epi8(_mm_min_epu8(v, c0), v),
			_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	return p;
}

/* jansson's escaping of valid UTF-8 (dump_string in its dump.c, with
 * neither JSON_ENSURE_ASCII nor JSON_ESCAPE_SLASH): '"', '\\' and the C0
 * controls escaped, five of those by name and the rest as \u00XX in
 * upper case; every other code point as it is.  No byte of a multi-byte
 * sequence is below 0x80, so the escapes are a byte's. */
static void escape_valid(FILE *out, const char *s, size_t n)
{
	const char *end = s + n;
	for (;;) {
		const char *q = wn_json_plain_end(s, end);
		fwrite(s, 1, (size_t)(q - s), out);
		if (q == end)
			return;
		unsigned char c = (unsigned char)*q;
		s = q + 1;
		const char *e = NULL;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		}
		if (e) {
			fputs(e, out);
		} else {
			static const char hex[] = "0123456789ABCDEF";
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			fwrite(u, 1, sizeof u, out);
		}
	}
}

void wn_json_write_string_body(FILE *out, const char *s, size_t n)
{
	if (wn_utf8_valid(s, n)) {
		escape_valid(out, s, n);
		return;
	}
	wn_buf b; /* repaired as wn_json_text repairs it */
	wn_buf_init(&b);
	wn_utf8_repair(s, n, &b, NULL);
	escape_valid(out, b.data ? b.data : "", b.len);
	wn_buf_free(&b);
}

/* The cleaned text as it comes, escaped (escaping goes character by
 * character: the pieces escaped one by one are the whole escaped); a
 * final newline is held back until more text follows it. */
typedef struct text_sink {
	FILE *out;
	bool held_newline;
} text_sink;

static void text_piece(void *ctx, const char *s, size_t n)
{
	text_sink *t = ctx;
	if (!n)
		return;
	if (t->held_newline)
		fputs("\\n", t->out);
	t->held_newline = s[n - 1] == '\n';
	wn_json_write_string_body(t->out, s, n - t->held_newline);
}

static void write_dump(FILE *out, const json_t *v)
{
	wn_buf b;
	wn_buf_init(&b);
	if (dump_value(&b, v))
		wn_oom(0); /* jansson's allocation failed: its values are valid */
	fwrite(b.data, 1, b.len, out);
	wn_buf_free(&b);
}

/* ---- --annotate ---------------------------------------------------------- */

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static size_t count_cps(const char *s, const char *e)
{
	size_t n = 0;
	for (; s < e; s++)
		n += !is_cont((unsigned char)*s);
	return n;
}

static bool ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Walks text line by line the way lines.c splits it (LF, CR LF, CR),
 * counting code points. */
typedef struct walker {
	const char *p, *end;
	size_t line; /* 1-based number of the line at p */
	size_t cp;   /* code points before p */
	const char *q; /* where the line's next block is looked for */
} walker;

static const char *line_end(const walker *w)
{
	const char *e = w->p;
	while (e < w->end && *e != '\n' && *e != '\r')
		e++;
	return e;
}

static void advance_to(walker *w, size_t line)
{
	while (w->line < line && w->p < w->end) {
		const char *e = line_end(w), *next = e;
		w->cp += count_cps(w->p, e);
		if (next < w->end && *next == '\r')
			next++;
		if (next < w->end && *next == '\n')
			next++; /* an LF alone, or the LF of a CR LF */
		w->cp += (size_t)(next - e);
		w->p = w->q = next;
		w->line++;
	}
}

/* [start, end) of block bi, on the line at w.  A form feed or vertical
 * tab splits a line into several blocks (lines.c), so the block's text is
 * looked for from the end of the line's last block; the whole line,
 * trimmed, if it is not there. */
static void block_range(walker *w, const winnow_block_info *bi, size_t *start,
			size_t *end)
{
	const char *e = line_end(w), *s = NULL;
	if (bi->len && w->q < e)
		s = memmem(w->q, (size_t)(e - w->q), bi->text, bi->len);
	if (s) {
		e = s + bi->len;
		w->q = e;
	} else {
		s = w->p;
		while (s < e && ascii_space(*s))
			s++;
		while (e > s && ascii_space(e[-1]))
			e--;
	}
	*start = w->cp + count_cps(w->p, s);
	*end = *start + count_cps(s, e);
}

/* The dropped blocks of a record's text, placed on it window by window
 * as the text is cleaned (wn_clean_windows): a range and a reason each. */
typedef struct removals {
	walker w;
	wn_buf fixed;   /* the text repaired, when it was not UTF-8 */
	size_t *v;      /* start, end, reason's offset in reasons: 3 each */
	size_t n, cap;  /* ranges */
	wn_buf reasons; /* each distinct reason once, NUL-terminated */
	wn_u64map ids;  /* a reason's hash to its offset there */
} removals;

/* The offset of reason in r->reasons, added if new (a page has a few
 * dozen distinct reasons and may drop a million blocks).  Reasons are
 * told apart by their 64-bit hash: n distinct ones share one with odds
 * of about n^2 / 2^65, under 1 in 10^11 for ten thousand. */
static size_t intern_reason(removals *r, const char *why)
{
	size_t len = strlen(why);
	bool added;
	size_t *off = wn_u64map_at(&r->ids, wn_hash(why, len), &added);
	if (added) {
		*off = r->reasons.len;
		wn_buf_add(&r->reasons, why, len);
		wn_buf_addc(&r->reasons, '\0');
	}
	return *off;
}

/* Walks text[0..len) (repaired first if it must be: the library
 * numbered the lines of the repaired text). */
static void removals_init(removals *r, const char *text, size_t len)
{
	memset(r, 0, sizeof *r);
	if (!wn_utf8_valid(text, len)) {
		wn_utf8_repair(text, len, &r->fixed, NULL);
		text = wn_buf_cstr(&r->fixed);
		len = r->fixed.len;
	}
	r->w = (walker){.p = text, .end = text + len, .line = 1, .cp = 0, .q = text};
}

static void removals_free(removals *r)
{
	wn_buf_free(&r->fixed);
	wn_buf_free(&r->reasons);
	wn_u64map_free(&r->ids);
	free(r->v);
}

/* A window's blocks (explain's result) onto the text; kept ones too, as
 * they move the walker's place in a line. */
static void removals_window(void *ctx, const winnow_result *res)
{
	removals *r = ctx;
	for (size_t i = 0; i < winnow_result_block_count(res); i++) {
		winnow_block_info bi;
		winnow_result_block(res, i, &bi);
		advance_to(&r->w, bi.line);
		size_t s, e;
		block_range(&r->w, &bi, &s, &e);
		if (bi.kept)
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->v = wn_xrealloc(r->v, r->cap * 3 * sizeof *r->v);
		}
		r->v[3 * r->n] = s;
		r->v[3 * r->n + 1] = e;
		r->v[3 * r->n + 2] = intern_reason(r, bi.reason);
		r->n++;
	}
}

static json_t *removed_json(const removals *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const char *why = r->reasons.data + r->v[3 * i + 2];
		json_t *o = json_object();
		json_object_set_new(o, "start", json_integer((json_int_t)r->v[3 * i]));
		json_object_set_new(o, "end", json_integer((json_int_t)r->v[3 * i + 1]));
		json_object_set_new(o, "reason", wn_json_text(why, strlen(why)));
		json_array_append_new(arr, o);
	}
	return arr;
}

void wn_annotate(json_t *obj, const winnow_result *res, const char *text,
		 size_t len)
{
	removals r;
	removals_init(&r, text, len);
	removals_window(&r, res);
	json_t *w = json_object();
	json_object_set_new(w, "removed", removed_json(&r));
	json_object_set_new(w, "repairs",
			    json_integer((json_int_t)winnow_result_repairs(res)));
	json_object_set_new(obj, "winnow", w);
	removals_free(&r);
}

/* The "winnow" field wn_annotate would set, as jansson writes it (the
 * object's last key: obj has no "winnow" of its own). */
static void write_annotation(FILE *out, const removals *r, size_t repairs)
{
	fputs(",\"winnow\":{\"removed\":[", out);
	for (size_t i = 0; i < r->n; i++) {
		const char *why = r->reasons.data + r->v[3 * i + 2];
		fprintf(out, "%s{\"start\":%zu,\"end\":%zu,\"reason\":\"", i ? "," : "",
			r->v[3 * i], r->v[3 * i + 1]);
		wn_json_write_string_body(out, why, strlen(why));
		fputs("\"}", out);
	}
	fprintf(out, "],\"repairs\":%zu}", repairs);
}

static void no_window(void *ctx, const winnow_result *window)
{
	(void)ctx;
	(void)window;
}

void wn_json_write_cleaned(FILE *out, const json_t *obj, const char *key,
			   winnow_cleaner *cl, const char *text, size_t len,
			   const char *site, const char *charset,
			   struct wn_stats *stats, bool annotate,
			   wn_stream_limits *lim, size_t at)
{
	/* each key and value on its own, as wn_json_write_line writes them */
	const char *k;
	json_t *v;
	bool first = true;
	removals r;
	if (annotate)
		removals_init(&r, text, len);
	size_t repairs = 0;
	fputc('{', out);
	json_object_foreach((json_t *)obj, k, v) {
		if (!first)
			fputc(',', out);
		first = false;
		fputc('"', out);
		wn_json_write_string_body(out, k, strlen(k));
		fputs("\":", out);
		if (strcmp(k, key)) {
			write_dump(out, v);
			continue;
		}
		fputc('"', out);
		text_sink ts = {out, false};
		/* not input: the record's text is the JSON library's */
		wn_sink sink = {text_piece, &ts, NULL};
		/* a cleaner made for --annotate cleans a document it does not
		 * annotate (a WARC response's page) in windows too */
		wn_window_fn win = annotate ? (wn_window_fn){removals_window, &r}
					    : (wn_window_fn){no_window, NULL};
		winnow_result *res = wn_clean_doc_windows(cl, text, len, site,
							  charset, stats, &sink,
							  &win);
		repairs = winnow_result_repairs(res);
		wn_stream_limits_add(lim, res, at);
		winnow_result_free(res);
		fputc('"', out);
	}
	if (annotate) {
		write_annotation(out, &r, repairs);
		removals_free(&r);
	}
	fputs("}\n", out);
}

void wn_stream_limits_add(wn_stream_limits *l, const winnow_result *res,
			  size_t at)
{
	if (!l)
		return;
	const char *where;
	size_t n = winnow_result_regex_limits(res, &where);
	if (n && !l->regex_lines) {
		l->regex_rule = where;
		l->regex_at = at;
	}
	l->regex_lines += n;
	if (wn_result_legacy_runs(res) && !l->legacy++)
		l->legacy_at = at;
}

void wn_stream_limits_say(const wn_stream_limits *l, const char *name,
			  const char *unit)
{
	wn_buf b;
	const char *shown = wn_shown(name, &b);
	/* (a JSONL record's text is valid UTF-8, or jansson refused the line:
	 * only a WARC record's can be in a legacy encoding) */
	if (l->legacy)
		fprintf(stderr, "winnow: %s: warning: %zu %s%s (the first %s %zu): "
			WN_LEGACY_WARNING "\n", shown, l->legacy, unit,
			l->legacy == 1 ? "" : "s", unit, l->legacy_at);
	if (l->regex_lines == 1)
		fprintf(stderr, "winnow: %s: warning: regex rule %s hit its match "
			"limit on 1 line of text, in %s %zu (counted as no match)\n",
			shown, l->regex_rule, unit, l->regex_at);
	else if (l->regex_lines)
		fprintf(stderr, "winnow: %s: warning: a regex rule hit its match "
			"limit on %zu lines of text, the first %s in %s %zu (counted "
			"as no match)\n", shown, l->regex_lines, l->regex_rule, unit,
			l->regex_at);
	wn_buf_free(&b);
}

/* ---- the filter ------------------------------------------------------------ */

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

char *wn_record_site(const wn_stream_opts *o, const char *url, size_t len)
{
	const char *host;
	size_t n = url ? winnow_url_host(url, len, &host) : 0;
	if (n)
		return wn_xstrndup(host, n);
	return o->site ? wn_xstrndup(o->site, strlen(o->site)) : NULL;
}

/* ---- the text field read in place ---------------------------------------- */

/* jansson holds a record's text three times at its peak (the line, its
 * token buffer and the string), so a record whose text field is a string
 * is read another way: a scan of the line finds the field's value,
 * jansson parses the line with that value read as "", and the string is
 * decoded where it lies, in the line (an escape is never shorter than
 * the bytes it stands for).  The text is then held once.  A line the scan
 * does not follow, or one with the field twice or not a string, goes to
 * jansson whole, which says what is wrong with it; so does a string
 * jansson would refuse (a control character, a bad escape, \u0000, a lone
 * surrogate, invalid UTF-8), which the scan checks as jansson does. */

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The four hex digits at p (p + 4 <= e checked by the caller), or -1. */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The end (past the closing quote) of the JSON string whose opening quote
 * is at p, or NULL when the line ends first or jansson would refuse it. */
static const char *string_end(const char *p, const char *e)
{
	const char *s = ++p;
	for (; (p = wn_json_plain_end(p, e)) < e && *p != '"'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		if (++p == e)
			return NULL;
		if (!strchr("\"\\/bfnrtu", *p) || !*p)
			return NULL;
		if (*p != 'u')
			continue;
		long v = e - p > 4 ? hex4(p + 1) : -1;
		if (v <= 0 || (v >= 0xDC00 && v <= 0xDFFF))
			return NULL; /* \u0000, a low surrogate first */
		p += 4;
		if (v >= 0xD800 && v <= 0xDBFF) { /* a pair, or nothing */
			long w = e - p > 6 && p[1] == '\\' && p[2] == 'u' ? hex4(p + 3) : -1;
			if (w < 0xDC00 || w > 0xDFFF)
				return NULL;
			p += 6;
		}
	}
	if (p == e || !wn_utf8_valid(s, (size_t)(p - s)))
		return NULL;
	return p + 1;
}

/* Decodes the body s[0..e) of a string string_end accepted to d (d <= s:
 * it may be s itself, or just before it); returns the decoded length. */
static size_t unescape(char *d, const char *s, const char *e)
{
	char *d0 = d;
	while (s < e) {
		const char *b = memchr(s, '\\', (size_t)(e - s));
		size_t run = (size_t)((b ? b : e) - s);
		memmove(d, s, run);
		d += run;
		s += run;
		if (!b)
			break;
		char c = s[1];
		s += 2;
		switch (c) {
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u': {
			unsigned long v = (unsigned long)hex4(s);
			s += 4;
			if (v >= 0xD800 && v <= 0xDBFF) {
				v = 0x10000 + ((v - 0xD800) << 10) +
				    ((unsigned long)hex4(s + 2) - 0xDC00);
				s += 6;
			}
			d += wn_utf8_encode((int32_t)v, d);
			break;
		}
		default: *d++ = c; /* " \ / */
		}
	}
	return (size_t)(d - d0);
}

/* Whether the key whose body is s[0..e) (accepted by string_end) is key. */
static bool key_is(const char *s, const char *e, const char *key)
{
	size_t n = (size_t)(e - s), k = strlen(key);
	if (!memchr(s, '\\', n))
		return n == k && !memcmp(s, key, k);
	char *t = wn_xstrndup(s, n);
	size_t m = unescape(t, t, t + n);
	bool same = m == k && !memcmp(t, key, k);
	free(t);
	return same;
}

/* The end of the value that starts at p, or NULL.  Only strings are read
 * exactly; the rest is skipped by its brackets, and jansson checks it. */
static const char *value_end(const char *p, const char *e)
{
	if (p == e)
		return NULL;
	if (*p == '"')
		return string_end(p, e);
	if (*p != '{' && *p != '[') {
		const char *s = p;
		while (p < e && !strchr(",}] \t\n\r\"[{", *p) && *p)
			p++;
		return p > s ? p : NULL;
	}
	size_t depth = 0;
	while (p < e) {
		if (*p == '"') {
			if (!(p = string_end(p, e)))
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && !--depth)
			return p + 1;
		p++;
	}
	return NULL;
}

/* The span [*a, *b) of the string value of the top-level field key of the
 * object on line s[0..n); false when the scan cannot tell. */
static bool find_field(const char *s, size_t n, const char *key, size_t *a,
		       size_t *b)
{
	const char *e = s + n, *p = skip_ws(s, e);
	bool found = false;
	if (p == e || *p != '{')
		return false;
	p = skip_ws(p + 1, e);
	while (p < e && *p == '"') {
		const char *ke = string_end(p, e);
		if (!ke)
			return false;
		bool match = key_is(p + 1, ke - 1, key);
		p = skip_ws(ke, e);
		if (p == e || *p != ':')
			return false;
		p = skip_ws(p + 1, e);
		const char *ve = value_end(p, e);
		if (!ve)
			return false;
		if (match) {
			if (found || *p != '"')
				return false; /* twice, or not a string */
			found = true;
			*a = (size_t)(p - s);
			*b = (size_t)(ve - s);
		}
		p = skip_ws(ve, e);
		if (p < e && *p == ',')
			p = skip_ws(p + 1, e);
		else
			break;
	}
	return found && p < e && *p == '}' && skip_ws(p + 1, e) == e;
}

/* The line without the value, for json_load_callback: three pieces. */
typedef struct stitch {
	const char *piece[3];
	size_t left[3];
	int at;
} stitch;

static size_t stitch_read(void *buf, size_t size, void *data)
{
	stitch *st = data;
	while (st->at < 3 && !st->left[st->at])
		st->at++;
	if (st->at == 3)
		return 0;
	size_t n = st->left[st->at] < size ? st->left[st->at] : size;
	memcpy(buf, st->piece[st->at], n);
	st->piece[st->at] += n;
	st->left[st->at] -= n;
	return n;
}

/* The object on line[0..len) with its text field decoded in place into
 * *text, *tlen (NUL-terminated, in line); NULL, the line untouched, when
 * the scan cannot read it (jansson then reads it whole). */
static json_t *parse_in_place(const wn_stream_opts *o, char *line, size_t len,
			      const char **text, size_t *tlen)
{
	size_t a = 0, b = 0;
	if ((o->url_key && !strcmp(o->url_key, o->text_key)) ||
	    !find_field(line, len, o->text_key, &a, &b))
		return NULL;
	stitch st = {{line, "\"\"", line + b}, {a, 2, len - b}, 0};
	json_t *j = json_load_callback(stitch_read, &st, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
				       NULL);
	if (!j)
		return NULL;
	*tlen = unescape(line + a, line + a + 1, line + b - 1);
	line[a + *tlen] = '\0';
	*text = line + a;
	return j;
}

/* Rewrites each \u escape of a lone surrogate in line[0..len) (a high
 * one without a low one after it, or a low one alone) to \uFFFD, the
 * same six bytes, and saves where and what it was in *saved.  JSON's
 * grammar allows them, truncated text holds them (Python's json.dumps of
 * half a pair), and jansson refuses the line: repaired, the record is
 * cleaned.  Returns how many. */
static size_t repair_surrogates(char *line, size_t len, wn_buf *saved)
{
	size_t n = 0;
	for (char *p = line, *e = line + len; (p = memchr(p, '\\', (size_t)(e - p)));) {
		if (e - p < 6 || p[1] != 'u') {
			if (e - p < 2)
				break;
			p += 2; /* another escape, "\\" included */
			continue;
		}
		long v = hex4(p + 2);
		if (v >= 0xD800 && v <= 0xDBFF && e - p >= 12 && p[6] == '\\' &&
		    p[7] == 'u' && hex4(p + 8) >= 0xDC00 && hex4(p + 8) <= 0xDFFF) {
			p += 12; /* a pair */
			continue;
		}
		if (v >= 0xD800 && v <= 0xDFFF) {
			size_t at = (size_t)(p - line);
			wn_buf_add(saved, (const char *)&at, sizeof at);
			wn_buf_add(saved, p + 2, 4);
			memcpy(p + 2, "FFFD", 4);
			n++;
		}
		p += 6;
	}
	return n;
}

/* Puts back what repair_surrogates changed. */
static void restore_surrogates(char *line, const wn_buf *saved)
{
	for (size_t k = 0; k + sizeof(size_t) + 4 <= saved->len; k += sizeof(size_t) + 4) {
		size_t at;
		memcpy(&at, saved->data + k, sizeof at);
		memcpy(line + at + 2, saved->data + k + sizeof at, 4);
	}
}

/* The object on line[0..len), by the in-place scan or by jansson; NULL
 * with je filled when it is not JSON. */
static json_t *parse_line(const wn_stream_opts *o, char *line, size_t len,
			  const char **text, size_t *tlen, json_error_t *je)
{
	json_t *j = parse_in_place(o, line, len, text, tlen);
	if (j)
		return j;
	/* a key twice would come back once: that line is malformed, so
	 * that --on-error keep copies it whole */
	j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, je);
	if (j) {
		*text = NULL;
		*tlen = 0;
	}
	return j;
}

/* Parses the object on line[0..len) into *jp, with its text field's
 * value *text, *tlen (in line, decoded in place, or in *jp) and its site
 * (malloc'd or NULL).  Returns 0, or -1 with why[] saying what is wrong
 * and the line untouched. */
static int parse_record(const wn_stream_opts *o, char *line, size_t len,
			json_t **jp, const char **text, size_t *tlen,
			char **site, char *why, size_t whysz)
{
	json_error_t je;
	json_t *j = parse_line(o, line, len, text, tlen, &je);
	/* what the repair changed, put back on every refusal: a line that
	 * is not cleaned is copied as it came */
	wn_buf saved;
	wn_buf_init(&saved);
	if (!j && memmem(line, len, "\\u", 2) && repair_surrogates(line, len, &saved)) {
		json_error_t je2;
		j = parse_line(o, line, len, text, tlen, &je2);
	}
	if (!j) {
		restore_surrogates(line, &saved);
		wn_buf_free(&saved);
		snprintf(why, whysz, "malformed JSON at column %d: %s", je.column, je.text);
		return -1;
	}
	if (!*text) {
		const json_t *t = json_object_get(j, o->text_key);
		if (!json_is_object(j))
			snprintf(why, whysz, "not a JSON object but %s", type_name(j));
		else if (!t)
			snprintf(why, whysz, "no field \"%s\"", o->text_key);
		else if (!json_is_string(t))
			snprintf(why, whysz, "field \"%s\" is %s, not a string",
				 o->text_key, type_name(t));
		if (!json_is_string(t)) {
			json_decref(j);
			/* jansson read the line: only the repair changed it */
			restore_surrogates(line, &saved);
			wn_buf_free(&saved);
			return -1;
		}
		*text = json_string_value(t);
		*tlen = json_string_length(t);
	}
	wn_buf_free(&saved);
	const json_t *u = o->url_key ? json_object_get(j, o->url_key) : NULL;
	*site = json_is_string(u)
		? wn_record_site(o, json_string_value(u), json_string_length(u))
		: wn_record_site(o, NULL, 0);
	*jp = j;
	return 0;
}

/* Cleans the text of j (text[0..tlen), of site) into it, annotated, and
 * writes j to out whole.  Returns 0, or -1 (nothing written) with why[]
 * saying what is wrong. */
static int clean_whole(winnow_cleaner *cl, const wn_stream_opts *o,
		       json_t *j, const char *text, size_t tlen,
		       const char *site, FILE *out, char *why, size_t whysz,
		       wn_stream_limits *lim, size_t at)
{
	winnow_result *res = wn_clean_doc(cl, text, tlen, site, o->stats);
	wn_stream_limits_add(lim, res, at);
	size_t n;
	const char *c = winnow_result_text(res, &n);
	if (n && c[n - 1] == '\n')
		n--; /* a field holds the text, not a file: no final newline */
	wn_annotate(j, res, text, tlen); /* before the text is replaced */
	json_object_set_new(j, o->text_key, wn_json_text(c, n));
	winnow_result_free(res);
	if (wn_json_write_line(j, out)) {
		snprintf(why, whysz, "cannot be encoded as JSON");
		return -1;
	}
	return 0;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static const char *action(wn_on_error e)
{
	return e == WN_ON_ERROR_KEEP ? "copied unchanged" :
	       e == WN_ON_ERROR_SKIP ? "skipped" : "stopping (--on-error fail)";
}

/* Bytes of a UTF-8 byte order mark that opens the stream (line 1): an
 * editor's mark, not part of the first record.  Not written back. */
static size_t bom(const char *line, size_t len, size_t lineno)
{
	return lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* A line buffer bigger than this is freed once its record is parsed, if
 * the text is held elsewhere (in jansson's object). */
#define LINE_KEEP ((size_t)1 << 20)

/* Cleans the object on one line (rec[0..len) in *linep, *capp: getline's
 * buffer) to out, its text written as it is cleaned, so that the peak
 * holds the text once (and, with --annotate, the ranges removed; an
 * object with a "winnow" field of its own, which the annotation replaces
 * where it stands, is written whole).  Returns 0, or -1 (nothing written,
 * the line kept) with why[] saying what is wrong. */
static int stream_line(winnow_cleaner *cl, const wn_stream_opts *o,
		       char *rec, size_t len, char **linep, size_t *capp,
		       FILE *out, char *why, size_t whysz,
		       wn_stream_limits *lim, size_t lineno)
{
	json_t *j;
	const char *text;
	size_t tlen;
	char *site;
	if (parse_record(o, rec, len, &j, &text, &tlen, &site, why, whysz))
		return -1;
	if (o->annotate && json_object_get(j, "winnow")) {
		int rc = clean_whole(cl, o, j, text, tlen, site, out, why, whysz,
				     lim, lineno);
		free(site);
		json_decref(j);
		return rc;
	}
	if (*capp > LINE_KEEP && ((uintptr_t)text < (uintptr_t)rec ||
				  (uintptr_t)text > (uintptr_t)(rec + len))) {
		free(*linep);
		*linep = NULL;
		*capp = 0;
	}
	wn_json_write_cleaned(out, j, o->text_key, cl, text, tlen, site, NULL,
			      o->stats, o->annotate, lim, lineno);
	free(site);
	json_decref(j);
	return 0;
}

/* getline returned -1: the end of the input, a read error (ferror), or
 * a line it had no memory for, which sets neither flag (glibc: ENOMEM).
 * That last must not pass for the end: the records after a line of 200
 * MB under a memory limit were lost, and the run ended with status 0 (a
 * reviewer's find).  Out of memory is the one policy's (wn_oom). */
static void getline_done(ssize_t got, FILE *in, size_t cap)
{
	if (got < 0 && !feof(in) && !ferror(in))
		wn_oom(cap > SIZE_MAX / 2 ? cap : 2 * cap);
}

int wn_jsonl_filter(winnow_cleaner *cl, const wn_stream_opts *o, FILE *in,
		    const char *name, FILE *out)
{
	char *line = NULL, why[400];
	size_t cap = 0, lineno = 0;
	ssize_t got = 0;
	int status = 0;
	wn_buf nb;
	const char *shown = wn_shown(name, &nb);
	wn_stream_limits lim = {0};
	/* a failed output (a closed pipe whose SIGPIPE is ignored, a full
	 * disk) ends the stream: the caller reports it */
	while (!ferror(out) && (got = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)got;
		lineno++;
		if (line[len - 1] == '\n')
			len--;
		if (lineno == 1 && len >= 2 && (unsigned char)line[0] == 0x1f &&
		    (unsigned char)line[1] == 0x8b) {
			/* each of its "lines" would be reported and copied */
			const char *gz = "gzip-compressed, not JSON Lines "
					 "(decompress it first: zcat FILE | winnow --jsonl)";
			fprintf(stderr, "winnow: %s: %s\n", shown, gz);
			wn_stats_failure(o->stats, name, 0, gz);
			status = WN_JSONL_REFUSED;
			break;
		}
		size_t skip = bom(line, len, lineno);
		char *rec = line + skip;
		len -= skip;
		if (blank(rec, len)) {
			fwrite(rec, 1, len, out);
			fputc('\n', out);
			continue;
		}
		if (stream_line(cl, o, rec, len, &line, &cap, out, why, sizeof why,
				&lim, lineno)) {
			status = 1;
			fprintf(stderr, "winnow: %s:%zu: %s; %s\n", shown, lineno, why,
				action(o->on_error));
			wn_stats_failure(o->stats, name, lineno, why);
			if (o->on_error == WN_ON_ERROR_FAIL) {
				status = WN_JSONL_STOPPED;
				break;
			}
			if (o->on_error == WN_ON_ERROR_KEEP) {
				fwrite(rec, 1, len, out);
				fputc('\n', out);
			}
		}
	}
	if (!ferror(out) && status != WN_JSONL_REFUSED && status != WN_JSONL_STOPPED)
		getline_done(got, in, cap);
	if (ferror(in)) {
		const char *err = strerror(errno ? errno : EIO);
		fprintf(stderr, "winnow: %s: %s\n", shown, err);
		wn_stats_failure(o->stats, name, 0, err);
		status = WN_JSONL_UNREAD;
	}
	wn_stream_limits_say(&lim, name, "line");
	wn_buf_free(&nb);
	free(line);
	return status;
}

int wn_jsonl_path(winnow_cleaner *cl, const wn_stream_opts *o,
		  const char *path, FILE *out)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "(stdin)" : path;
	FILE *in = is_stdin ? stdin : fopen(path, "r");
	if (!in) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: %s\n", wn_shown(name, &b), strerror(errno));
		wn_buf_free(&b);
		return 1;
	}
	int status = wn_jsonl_filter(cl, o, in, name, out);
	if (!is_stdin)
		fclose(in);
	if (status == WN_JSONL_STOPPED)
		return status;
	return status ? 1 : 0; /* REFUSED and UNREAD too: an input failed */
}

int wn_jsonl_learn(struct wn_learn *l, const winnow_cleaner *cl,
		   const wn_stream_opts *o, FILE *in, const char *name,
		   bool report)
{
	char *line = NULL, why[400];
	size_t cap = 0, lineno = 0;
	ssize_t got = 0;
	int status = 0;
	wn_buf nb;
	const char *shown = wn_shown(name, &nb);
	while ((got = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)got;
		lineno++;
		if (line[len - 1] == '\n')
			len--;
		if (lineno == 1 && len >= 2 && (unsigned char)line[0] == 0x1f &&
		    (unsigned char)line[1] == 0x8b) {
			/* refused once, as cleaning refuses it, not a message
			 * for each of its "lines" (a reviewer's find) */
			if (report)
				fprintf(stderr, "winnow: %s: gzip-compressed, not JSON Lines "
					"(decompress it first: zcat FILE | winnow learn --jsonl)\n",
					shown);
			status = 1;
			got = 0;
			break;
		}
		size_t skip = bom(line, len, lineno);
		json_t *j;
		const char *text;
		size_t tlen;
		char *site;
		if (blank(line + skip, len - skip))
			continue;
		if (parse_record(o, line + skip, len - skip, &j, &text, &tlen, &site,
				 why, sizeof why)) {
			status = 1;
			if (report)
				fprintf(stderr, "winnow: %s:%zu: %s; not counted\n", shown,
					lineno, why);
			continue;
		}
		wn_learn_doc(l, cl, text, tlen, site);
		free(site);
		json_decref(j);
	}
	getline_done(got, in, cap);
	if (ferror(in)) {
		if (report)
			fprintf(stderr, "winnow: %s: %s\n", shown, strerror(errno ? errno : EIO));
		status = 1;
	}
	wn_buf_free(&nb);
	free(line);
	return status;
}
