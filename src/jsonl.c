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
	if (!j) /* only on out of memory: the one policy is to abort */
		abort();
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

/* jansson prints every real of one call with the same precision: the
 * largest any real of j needs (more digits still read back the same). */
static int precision_of(const json_t *j)
{
	int p = 1, q;
	const char *key;
	const json_t *v;
	size_t i;
	switch (json_typeof(j)) {
	case JSON_REAL:
		return shortest_digits(json_real_value(j));
	case JSON_OBJECT:
		json_object_foreach((json_t *)j, key, v)
			if ((q = precision_of(v)) > p)
				p = q;
		return p;
	case JSON_ARRAY:
		json_array_foreach(j, i, v)
			if ((q = precision_of(v)) > p)
				p = q;
		return p;
	default:
		return p;
	}
}

static char *dumps(const json_t *j)
{
	return json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT |
			  JSON_REAL_PRECISION(precision_of(j)));
}

int wn_json_write_line(const json_t *obj, FILE *out)
{
	char *s = dumps(obj);
	if (!s)
		return -1;
	fputs(s, out);
	fputc('\n', out);
	free(s);
	return 0;
}

/* A string's bytes as jansson writes them, quotes off, to out. */
static void write_string_body(FILE *out, const char *s, size_t n)
{
	json_t *j = wn_json_text(s, n);
	char *d = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	if (!d)
		abort(); /* out of memory */
	size_t m = strlen(d);
	fwrite(d + 1, 1, m - 2, out); /* "..." */
	free(d);
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
	write_string_body(t->out, s, n - t->held_newline);
}

static void write_dump(FILE *out, const json_t *v, size_t flags)
{
	char *d = json_dumps(v, flags);
	if (!d)
		abort(); /* out of memory */
	fputs(d, out);
	free(d);
}

void wn_json_write_cleaned(FILE *out, const json_t *obj, const char *key,
			   winnow_cleaner *cl, const char *text, size_t len,
			   const char *site, const char *charset,
			   struct wn_stats *stats)
{
	/* each key and value on its own, with the flags dumps() gives the
	 * whole (one precision for every real of the object) */
	size_t flags = JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY |
		       JSON_REAL_PRECISION(precision_of(obj));
	const char *k;
	json_t *v;
	bool first = true;
	fputc('{', out);
	json_object_foreach((json_t *)obj, k, v) {
		if (!first)
			fputc(',', out);
		first = false;
		fputc('"', out);
		write_string_body(out, k, strlen(k));
		fputs("\":", out);
		if (strcmp(k, key)) {
			write_dump(out, v, flags);
			continue;
		}
		fputc('"', out);
		text_sink ts = {out, false};
		wn_sink sink = {text_piece, &ts};
		winnow_result *res = wn_clean_doc_to(cl, text, len, site, charset,
						     stats, &sink);
		winnow_result_free(res);
		fputc('"', out);
	}
	fputs("}\n", out);
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

static json_t *removed_list(const winnow_result *res, const char *text, size_t len)
{
	json_t *arr = json_array();
	walker w = {.p = text, .end = text + len, .line = 1, .cp = 0, .q = text};
	for (size_t i = 0; i < winnow_result_block_count(res); i++) {
		winnow_block_info bi;
		winnow_result_block(res, i, &bi);
		advance_to(&w, bi.line);
		size_t s, e;
		block_range(&w, &bi, &s, &e); /* kept blocks too: they move w.q */
		if (bi.kept)
			continue;
		json_t *r = json_object();
		json_object_set_new(r, "start", json_integer((json_int_t)s));
		json_object_set_new(r, "end", json_integer((json_int_t)e));
		json_object_set_new(r, "reason", wn_json_text(bi.reason, strlen(bi.reason)));
		json_array_append_new(arr, r);
	}
	return arr;
}

void wn_annotate(json_t *obj, const winnow_result *res, const char *text,
		 size_t len)
{
	wn_buf fixed;
	wn_buf_init(&fixed);
	if (!wn_utf8_valid(text, len)) {
		/* the library numbered the lines of the repaired text */
		wn_utf8_repair(text, len, &fixed, NULL);
		text = fixed.data ? fixed.data : "";
		len = fixed.len;
	}
	json_t *w = json_object();
	json_object_set_new(w, "removed", removed_list(res, text, len));
	json_object_set_new(w, "repairs",
			    json_integer((json_int_t)winnow_result_repairs(res)));
	json_object_set_new(obj, "winnow", w);
	wn_buf_free(&fixed);
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

/* Parses the object on one line into *jp, with its text field *tp and its
 * site (malloc'd or NULL).  Returns 0, or -1 with why[] saying what is
 * wrong. */
static int parse_record(const wn_stream_opts *o, const char *line, size_t len,
			json_t **jp, const json_t **tp, char **site, char *why,
			size_t whysz)
{
	json_error_t je;
	/* a key twice would come back once: that line is malformed, so that
	 * --on-error keep copies it whole */
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(why, whysz, "malformed JSON at column %d: %s", je.column, je.text);
		return -1;
	}
	const json_t *t = json_object_get(j, o->text_key);
	if (!json_is_object(j))
		snprintf(why, whysz, "not a JSON object but %s", type_name(j));
	else if (!t)
		snprintf(why, whysz, "no field \"%s\"", o->text_key);
	else if (!json_is_string(t))
		snprintf(why, whysz, "field \"%s\" is %s, not a string", o->text_key,
			 type_name(t));
	if (!json_is_string(t)) {
		json_decref(j);
		return -1;
	}
	const json_t *u = o->url_key ? json_object_get(j, o->url_key) : NULL;
	*site = json_is_string(u)
		? wn_record_site(o, json_string_value(u), json_string_length(u))
		: wn_record_site(o, NULL, 0);
	*jp = j;
	*tp = t;
	return 0;
}

/* Cleans the object on one line into *out (malloc'd JSON without a
 * newline).  Returns 0, or -1 with why[] saying what is wrong. */
static int clean_line(winnow_cleaner *cl, const wn_stream_opts *o,
		      const char *line, size_t len, char **out, char *why,
		      size_t whysz)
{
	json_t *j;
	const json_t *t;
	char *site;
	if (parse_record(o, line, len, &j, &t, &site, why, whysz))
		return -1;
	const char *text = json_string_value(t);
	size_t tlen = json_string_length(t);
	winnow_result *res = wn_clean_doc(cl, text, tlen, site, o->stats);
	free(site);
	size_t n;
	const char *c = winnow_result_text(res, &n);
	if (n && c[n - 1] == '\n')
		n--; /* a field holds the text, not a file: no final newline */
	if (o->annotate)
		wn_annotate(j, res, text, tlen); /* before t is replaced */
	json_object_set_new(j, o->text_key, wn_json_text(c, n));
	winnow_result_free(res);
	*out = dumps(j);
	json_decref(j);
	if (!*out) {
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

/* A line buffer bigger than this is freed once its record is parsed. */
#define LINE_KEEP ((size_t)1 << 20)

/* Cleans the object on one line (in *linep, *capp: getline's buffer) to
 * out, its text written as it is cleaned; a huge line is let go once its
 * object holds the text, so that the peak holds the text once.  Returns
 * 0, or -1 (nothing written, the line kept) with why[] saying what is
 * wrong. */
static int stream_line(winnow_cleaner *cl, const wn_stream_opts *o,
		       const char *rec, size_t len, char **linep,
		       size_t *capp, FILE *out, char *why, size_t whysz)
{
	json_t *j;
	const json_t *t;
	char *site;
	if (parse_record(o, rec, len, &j, &t, &site, why, whysz))
		return -1;
	if (*capp > LINE_KEEP) {
		free(*linep);
		*linep = NULL;
		*capp = 0;
	}
	wn_json_write_cleaned(out, j, o->text_key, cl, json_string_value(t),
			      json_string_length(t), site, NULL, o->stats);
	free(site);
	json_decref(j);
	return 0;
}

int wn_jsonl_filter(winnow_cleaner *cl, const wn_stream_opts *o, FILE *in,
		    const char *name, FILE *out)
{
	char *line = NULL, why[400];
	size_t cap = 0, lineno = 0;
	ssize_t got;
	int status = 0;
	while ((got = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)got;
		lineno++;
		if (line[len - 1] == '\n')
			len--;
		size_t skip = bom(line, len, lineno);
		char *rec = line + skip, *js;
		len -= skip;
		if (blank(rec, len)) {
			fwrite(rec, 1, len, out);
			fputc('\n', out);
			continue;
		}
		int failed;
		if (!o->annotate) {
			failed = stream_line(cl, o, rec, len, &line, &cap, out, why,
					     sizeof why);
		} else if (!(failed = clean_line(cl, o, rec, len, &js, why,
						 sizeof why))) {
			fputs(js, out);
			fputc('\n', out);
			free(js);
		}
		if (failed) {
			status = 1;
			fprintf(stderr, "winnow: %s:%zu: %s; %s\n", name, lineno, why,
				action(o->on_error));
			wn_stats_failure(o->stats, name, lineno, why);
			if (o->on_error == WN_ON_ERROR_FAIL)
				break;
			if (o->on_error == WN_ON_ERROR_KEEP) {
				fwrite(rec, 1, len, out);
				fputc('\n', out);
			}
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "winnow: %s: %s\n", name, strerror(errno ? errno : EIO));
		status = 1;
	}
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
		fprintf(stderr, "winnow: %s: %s\n", name, strerror(errno));
		return 1;
	}
	int status = wn_jsonl_filter(cl, o, in, name, out);
	if (!is_stdin)
		fclose(in);
	return status;
}

int wn_jsonl_learn(struct wn_learn *l, const winnow_cleaner *cl,
		   const wn_stream_opts *o, FILE *in, const char *name,
		   bool report)
{
	char *line = NULL, why[400];
	size_t cap = 0, lineno = 0;
	ssize_t got;
	int status = 0;
	while ((got = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)got;
		lineno++;
		if (line[len - 1] == '\n')
			len--;
		size_t skip = bom(line, len, lineno);
		json_t *j;
		const json_t *t;
		char *site;
		if (blank(line + skip, len - skip))
			continue;
		if (parse_record(o, line + skip, len - skip, &j, &t, &site, why, sizeof why)) {
			status = 1;
			if (report)
				fprintf(stderr, "winnow: %s:%zu: %s; not counted\n", name,
					lineno, why);
			continue;
		}
		wn_learn_doc(l, cl, json_string_value(t), json_string_length(t), site);
		free(site);
		json_decref(j);
	}
	if (ferror(in)) {
		if (report)
			fprintf(stderr, "winnow: %s: %s\n", name, strerror(errno ? errno : EIO));
		status = 1;
	}
	free(line);
	return status;
}
