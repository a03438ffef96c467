/* batch.h - directory batch: walk input trees, clean every regular file
 * into the mirrored path under an output directory.  Internal to the
 * winnow executable. */
#ifndef WINNOW_BATCH_H
#define WINNOW_BATCH_H

#include "jsonl.h"
#include "util.h"
#include "winnow.h"
#include <stddef.h>

typedef struct wn_batch_opts {
	const winnow_rules *rules;   /* shared, read-only */
	const winnow_options *opts;  /* each worker makes its own cleaner */
	const char *outdir;          /* created if missing */
	int jobs;                    /* worker threads, >= 1 */
	bool quiet;                  /* no per-file messages for skips */
	const wn_stream_opts *stream;        /* JSONL and WARC inputs */
	const winnow_options *stream_opts;   /* their cleaners' options */
	bool jsonl, warc;                    /* every input is JSONL / WARC */
} wn_batch_opts;

/* How an input is read: as --jsonl or --warc say, else WARC when the file
 * starts like one (wn_warc_sniff_path), else text. */
typedef enum wn_input_kind {
	WN_INPUT_TEXT, WN_INPUT_JSONL, WN_INPUT_WARC
} wn_input_kind;

wn_input_kind wn_kind_of(const char *path, bool jsonl, bool warc);

/* Cleans every input: a directory is walked recursively and each regular
 * file under it is written to OUTDIR/<path relative to that directory>; a
 * plain file is written to OUTDIR/<its base name>; WARC input is written
 * as JSONL to that path with ".jsonl" appended, JSONL input as JSONL.  Writes are atomic
 * (temporary file in the target directory, fsync-free rename).  Inputs are
 * never modified.  Refuses (status 2, nothing written) an OUTDIR that is
 * an input directory or inside one.  A file that cannot be read, or looks
 * binary, is reported on stderr as "winnow: PATH: reason" and the batch
 * goes on.  Returns the exit status: 0 all good, 1 some inputs failed,
 * 2 usage or system error (an output that cannot be written: full disk,
 * permissions). */
int wn_batch_run(const wn_batch_opts *b, char *const *inputs, size_t ninputs);

/* Reads a whole file (path "-" is stdin) into *data and *len (malloc'd, NUL
 * terminated).  Returns 0, or an errno value. */
int wn_read_all(const char *path, char **data, size_t *len);

/* Why the bytes cannot be cleaned as text, or NULL when they can: NUL
 * bytes in the first 8 KiB ("binary file"), a UTF-16/32 BOM. */
const char *wn_not_text(const char *data, size_t len);

/* Warns on stderr when a regex rule gave up at its match limit while
 * cleaning path (the line counts as not matched; no failure). */
void wn_report_limits(const char *path, const winnow_result *res);

/* Prints a library error as "winnow: FILE:LINE: message" on stderr. */
void wn_print_error(const winnow_error *e);

/* Appends what winnow prints for one result: the cleaned text, or with
 * explain the listing "LINE\tkeep|drop\tREASON\tTEXT" (with --features a
 * column of the model's score and the feature vector before TEXT). */
void wn_render_result(const winnow_result *res, bool explain, wn_buf *out);

#endif
