/* batch.h - directory batch: walk input trees, clean every regular file
 * into the mirrored path under an output directory.  Internal to the
 * winnow executable. */
#ifndef WINNOW_BATCH_H
#define WINNOW_BATCH_H

#include "jsonl.h"
#include "util.h"
#include "winnow.h"
#include <stddef.h>

struct wn_learn;
struct wn_stats;

typedef struct wn_batch_opts {
	const winnow_rules *rules;   /* shared, read-only */
	const winnow_options *opts;  /* each worker makes its own cleaner */
	bool explain;                /* write --explain listings (opts has
				      * explain on for --stats too) */
	winnow_rules *learn_into;    /* --learn: count the inputs first and
				      * add the learned rules here (the same
				      * set as rules, before any cleaner) */
	size_t learn_memory;         /* the learning table's cap (learn.h) */
	const char *outdir;          /* created if missing */
	int jobs;                    /* worker threads, >= 1 */
	bool quiet;                  /* no per-file messages for skips */
	const wn_stream_opts *stream;        /* JSONL and WARC inputs */
	const winnow_options *stream_opts;   /* their cleaners' options */
	bool jsonl, warc;                    /* every input is JSONL / WARC */
	bool counts_only, stream_counts_only; /* the cleaners' explain is for
					       * --stats alone
					       * (wn_cleaner_counts_only) */
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

/* Counts every document of the inputs into l as a batch over them would
 * read them: directories walked, records of JSONL and WARC inputs with
 * their sites, a file reached twice counted once.  Uses b->jobs threads
 * and a progress line.  Problems are reported only with report (a run
 * that cleans afterwards reports them then).  Returns 0, 1 when some
 * input failed, 2 on a system error. */
int wn_batch_learn(const wn_batch_opts *b, char *const *inputs, size_t ninputs,
		   struct wn_learn *l, bool report);

/* Writes the rules learned in l into r as the rules file "(learned)",
 * says how many on stderr unless quiet, and notes them in stats (may be
 * NULL).  Returns 0, or 2 when the rules do not load. */
int wn_learn_apply(winnow_rules *r, struct wn_learn *l, bool quiet,
		   struct wn_stats *stats);

/* Says on stderr how many rules l gave for how many sites (not when
 * quiet), and warns when the memory cap left sites out (always). */
void wn_learn_summary(struct wn_learn *l, size_t rules, bool quiet);

/* Reads a whole file (path "-" is stdin) into *data and *len (malloc'd, NUL
 * terminated).  Returns 0, or an errno value. */
int wn_read_all(const char *path, char **data, size_t *len);
/* Removes the temporary files a batch is writing, and makes no more: for
 * the out-of-memory exit (allocates nothing). */
void wn_batch_remove_temps(void);
/* The same for a document: when its first 8 KiB are no text
 * (wn_not_text), only they are read, for the caller to refuse. */
int wn_read_text(const char *path, char **data, size_t *len);

/* Why the bytes cannot be cleaned as text, or NULL when they can: NUL
 * bytes in the first 8 KiB ("binary file"), a UTF-32 BOM.  UTF-16 with its
 * BOM is text: the library decodes it. */
const char *wn_not_text(const char *data, size_t len);

/* Warns on stderr when a regex rule gave up at its match limit while
 * cleaning path (the line counts as not matched; no failure). */
void wn_report_limits(const char *path, const winnow_result *res);

/* Prints a library error as "winnow: FILE:LINE: message" on stderr. */
void wn_print_error(const winnow_error *e);

#endif
