/* warc.h - WARC and WET input: read records from a plain or gzip stream
 * (one gzip member per record, or the whole file in one), clean the text
 * ones, write JSON Lines.  Internal to the winnow executable. */
#ifndef WINNOW_WARC_H
#define WINNOW_WARC_H

#include "jsonl.h"
#include "util.h"
#include "winnow.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct wn_warc wn_warc;

/* One record.  Header values are NUL-terminated copies (NULL when the
 * header is absent), trimmed of surrounding white space. */
typedef struct wn_warc_record {
	size_t number;      /* 1-based, counting every record seen */
	uint64_t offset;    /* of its "WARC/1.x" line, in uncompressed bytes */
	char *type;         /* WARC-Type */
	char *id;           /* WARC-Record-ID */
	char *uri;          /* WARC-Target-URI */
	char *date;         /* WARC-Date */
	char *content_type; /* Content-Type */
	char *payload_type; /* WARC-Identified-Payload-Type */
	wn_buf block;       /* the Content-Length bytes of the block */
} wn_warc_record;

enum { WN_WARC_END = 0, WN_WARC_RECORD = 1, WN_WARC_STOP = -1 };

/* A reader over fd, which it owns and closes.  gzip is recognised by its
 * magic bytes and read member after member; anything else is read as is.
 * name is used in messages.  Never NULL. */
wn_warc *wn_warc_open(int fd, const char *name);

/* Reads the next record into *rec (whose earlier contents it frees;
 * zero *rec before the first call).  Returns WN_WARC_RECORD, WN_WARC_END
 * at the end of the stream, or WN_WARC_STOP when the rest cannot be read
 * (a record or gzip member cut short by the end of the file, a read
 * error).  Problems are reported on stderr as
 * "winnow: NAME: record N (offset X): what"; a record with a bad header
 * is skipped, by its Content-Length when the header still gives one and
 * ends in a blank line, else by scanning for the next line that starts
 * with "WARC/1." (which can stop at such a line inside the block), and
 * counted in wn_warc_bad().  Damaged gzip data is reported ("winnow:
 * NAME: offset X (compressed Y): gzip: what") and skipped up to the next
 * member, where reading goes on at the next record; a record it cuts is
 * reported as truncated. */
int wn_warc_next(wn_warc *r, wn_warc_record *rec);

/* Records reported as bad so far, truncated ones included. */
size_t wn_warc_bad(const wn_warc *r);

/* From now on, problems are not printed but counted only (quiet), and
 * each is added to stats (--stats; may be NULL). */
void wn_warc_report_to(wn_warc *r, bool quiet, struct wn_stats *stats);

void wn_warc_close(wn_warc *r);
void wn_warc_record_free(wn_warc_record *rec);

/* True when fd, a regular file, starts with "WARC/1." at its current
 * offset, or with a gzip member whose data does.  Reads with pread(2):
 * the offset does not move.  False for pipes and terminals. */
bool wn_warc_sniff(int fd);

/* Same for a path ("-" is stdin); false when it cannot be opened. */
/* The same test on a file's first bytes already read (data, n). */
bool wn_warc_sniff_buf(const void *data, size_t n);
bool wn_warc_sniff_path(const char *path);

/* Reads WARC/WET records from fd (owned and closed) and writes one JSON
 * line per `conversion` record: {"id", "url", "date", "text"} from
 * WARC-Record-ID, WARC-Target-URI (without enclosing <>), WARC-Date (null
 * when absent) and the cleaned text, plus "winnow" with o->annotate.
 * `response` records with an HTML payload (by WARC-Identified-Payload-Type
 * or the HTTP Content-Type) are cleaned as pages, after undoing chunked
 * transfer coding and gzip/deflate content coding, into the same fields
 * (without "winnow": offsets into markup would not help); other record
 * types are skipped.
 * Returns 0, 1 when some record was bad or the file was cut short, or
 * WN_WARC_UNREAD when reading it failed (reported): the records written
 * are not all the file holds, and a batch throws them away. */
#define WN_WARC_UNREAD 2
int wn_warc_filter(winnow_cleaner *cl, const wn_stream_opts *o, int fd,
		   const char *name, FILE *out);

/* Opens path ("-" is stdin) and runs wn_warc_filter; an input that cannot
 * be opened is reported and gives 1. */
int wn_warc_path(winnow_cleaner *cl, const wn_stream_opts *o,
		 const char *path, FILE *out);

/* Counts every record that wn_warc_filter would clean into l (learn.h),
 * read by cl, with the site of its WARC-Target-URI (wn_record_site).
 * fd is owned and closed.  Bad records are reported only with report.
 * Returns 0, or 1 when some record was bad or the file was cut short. */
int wn_warc_learn(struct wn_learn *l, const winnow_cleaner *cl,
		  const wn_stream_opts *o, int fd, const char *name, bool report);

#endif
