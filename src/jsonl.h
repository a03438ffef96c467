/* jsonl.h - JSON Lines streams: clean one string field of every object,
 * keep the rest.  Shared with warc.c, which writes the same JSONL.
 * Internal to the winnow executable (jansson is linked there only). */
#ifndef WINNOW_JSONL_H
#define WINNOW_JSONL_H

#include "winnow.h"

struct wn_stream_limits;

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* What to do with a line that is not a JSON object with a string text
 * field.  Every such line is reported on stderr with its line number. */
typedef enum wn_on_error {
	WN_ON_ERROR_KEEP, /* copy the line to the output unchanged (default) */
	WN_ON_ERROR_SKIP, /* leave it out of the output */
	WN_ON_ERROR_FAIL, /* stop reading: the input has failed */
} wn_on_error;

struct wn_stats;
struct wn_learn;

typedef struct wn_stream_opts {
	const char *text_key; /* the field to clean ("text") */
	bool annotate;        /* add the "winnow" field; the cleaner must
			       * have been made with options.explain */
	wn_on_error on_error;
	const char *url_key;  /* the field whose URL's host is the site */
	const char *site;     /* the site of records without a URL, or NULL */
	struct wn_stats *stats; /* --stats (the cleaner needs explain), or NULL */
} wn_stream_opts;

/* The site of a record whose URL is url[0..len) (NULL: none): the URL's
 * host, malloc'd; or, without a host, a copy of o->site (or NULL). */
char *wn_record_site(const wn_stream_opts *o, const char *url, size_t len);

/* Filters JSON Lines from in to out: each line's object is written back
 * with the text_key field cleaned (without the final newline of winnow's
 * output) and every other field in place, in the same order.  Blank lines
 * are copied.  name is how the input is called in messages
 * ("winnow: NAME:LINE: ...").  Returns 0 when every line was good, 1 when
 * some line was malformed, WN_JSONL_STOPPED when a malformed line stopped
 * the reading (WN_ON_ERROR_FAIL), WN_JSONL_REFUSED when the input is no
 * JSON Lines at all (gzip data: nothing written, one message),
 * WN_JSONL_UNREAD when reading it failed (reported): what was written is
 * its beginning only, and a batch throws it away.  Output errors are left
 * in ferror(out) for the caller. */
#define WN_JSONL_REFUSED 2
#define WN_JSONL_STOPPED 3
#define WN_JSONL_UNREAD 4
int wn_jsonl_filter(winnow_cleaner *cl, const wn_stream_opts *o, FILE *in,
		    const char *name, FILE *out);

/* Opens path ("-" is stdin) and runs wn_jsonl_filter over it: 0 when
 * every line was good, WN_JSONL_STOPPED as that, else 1 (an input that
 * cannot be opened is reported and gives 1). */
int wn_jsonl_path(winnow_cleaner *cl, const wn_stream_opts *o,
		  const char *path, FILE *out);

/* Counts every record of in that wn_jsonl_filter would clean into l
 * (learn.h), read by cl, with its site (wn_record_site).  Malformed lines
 * are not counted; with report they are reported as the filter reports
 * them.  Returns 0, or 1 when some line was malformed or in unreadable. */
int wn_jsonl_learn(struct wn_learn *l, const winnow_cleaner *cl,
		   const wn_stream_opts *o, FILE *in, const char *name,
		   bool report);

/* A JSON string of bytes s[0..n), made valid UTF-8 first if need be
 * (jansson refuses invalid UTF-8).  Never NULL. */
json_t *wn_json_text(const char *s, size_t n);

/* The first byte of p[0..e) that a JSON string cannot hold as it is (a
 * quote, a backslash, a C0 control), or e; sixteen bytes at a time. */
const char *wn_json_plain_end(const char *p, const char *e);

/* Writes the JSON string of s[0..n) that json_dumps writes for
 * wn_json_text(s, n), without its quotes, byte for byte, without making
 * it (jansson's dump goes a code point at a time, through a string it
 * allocates). */
void wn_json_write_string_body(FILE *out, const char *s, size_t n);

/* Sets obj["winnow"] to {"removed": [{"start", "end", "reason"}...],
 * "repairs": N} for res, the result of cleaning text[0..len) with explain
 * on.  start and end are Unicode code point offsets into text (after
 * UTF-8 repair, if it needed any) of each dropped line, without its
 * leading and trailing ASCII white space and its line break: the
 * half-open range [start, end). */
void wn_annotate(json_t *obj, const winnow_result *res, const char *text,
		 size_t len);

/* Writes obj as one compact line (key order kept, UTF-8 unescaped) and a
 * newline.  Returns 0, or -1 when jansson cannot encode it. */
int wn_json_write_line(const json_t *obj, FILE *out);

/* Writes obj as wn_json_write_line does, the value of its field key
 * being the text cleaned from text[0..len) (wn_clean_doc_windows, as a
 * document of site, charset the transport's or NULL, counted in stats),
 * less its final newline: written as each window is cleaned, so that a
 * huge record's output is never held whole (a cleaner with explain on
 * keeps the windows too).  With annotate (cl made with
 * explain, obj without a "winnow" field), the "winnow" field wn_annotate
 * would add comes last, its ranges gathered window by window.  The bytes
 * are those of setting the fields and writing the line.  Aborts if
 * jansson runs out of memory (the only way it fails to encode a value it
 * parsed or made). */
void wn_json_write_cleaned(FILE *out, const json_t *obj, const char *key,
			   winnow_cleaner *cl, const char *text, size_t len,
			   const char *site, const char *charset,
			   struct wn_stats *stats, bool annotate,
			   struct wn_stream_limits *lim, size_t at);

/* The warning for a text in a legacy encoding, after "NAME: warning: "
 * and what is in it (batch.c for a file, wn_stream_limits_say for a
 * stream's records). */
#define WN_LEGACY_WARNING "not UTF-8, in a legacy encoding such as GBK, Big5, " \
	"Shift_JIS, EUC-KR or windows-1251 (read as cp1252, garbled): convert " \
	"it first, e.g. iconv -f GBK -t UTF-8"

/* What the records of one stream warn of (a regex rule that hit its
 * match limit, a text in a legacy encoding), gathered as they are cleaned
 * and said once at the stream's end, as a plain file's are
 * (wn_report_limits): a stream of a million records gets two lines, not
 * a million, and none is lost. */
typedef struct wn_stream_limits {
	size_t regex_lines;     /* lines on which a regex rule gave up */
	const char *regex_rule; /* the first such rule's file:line */
	size_t regex_at;        /* the line or record that held it */
	size_t legacy;          /* records in a legacy encoding */
	size_t legacy_at;       /* the first of them */
} wn_stream_limits;

/* Adds what res (the document of line or record at) warns of to l
 * (NULL: nothing). */
void wn_stream_limits_add(wn_stream_limits *l, const winnow_result *res,
			  size_t at);
/* Says l's warnings for the stream name, whose records are counted in
 * unit ("line", "record"). */
void wn_stream_limits_say(const wn_stream_limits *l, const char *name,
			  const char *unit);

#endif
