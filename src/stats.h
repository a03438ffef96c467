/* stats.h - the --stats summary of a run: inputs, documents, bytes,
 * blocks kept and dropped by rule and by classifier reason, repairs,
 * failures.  Every function is safe to call from several threads and
 * does nothing when s is NULL.  Internal to the winnow executable. */
#ifndef WINNOW_STATS_H
#define WINNOW_STATS_H

#include "util.h"
#include "winnow.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct wn_stats wn_stats;

wn_stats *wn_stats_new(void);
void wn_stats_free(wn_stats *s);

/* One input file done: ok or failed. */
void wn_stats_file(wn_stats *s, bool ok);

/* One document cleaned from len bytes into res, whose cleaner must have
 * had options.explain set (the blocks' reasons are counted). */
void wn_stats_doc(wn_stats *s, size_t len, const winnow_result *res);

/* A failure: path, a line or record number (0: the whole file), why. */
void wn_stats_failure(wn_stats *s, const char *path, uint64_t line,
		      const char *why);

/* What learning found, for the summary. */
void wn_stats_learned(wn_stats *s, size_t rules, size_t sites,
		      uint64_t documents, unsigned sample);

/* Writes the summary as JSON to path ("-": standard output): keys sorted,
 * failures sorted by path, line and reason, so that the bytes do not
 * depend on -j or on the order inputs finished.  Returns 0, or -1 with
 * the reason printed on stderr. */
int wn_stats_write(const wn_stats *s, const char *path);

/* Cleans one document of site (winnow_clean_site) and counts it in s. */
winnow_result *wn_clean_doc(winnow_cleaner *cl, const char *text, size_t len,
			    const char *site, wn_stats *s);
/* The same for a page whose HTTP header declared charset (NULL: none). */
winnow_result *wn_clean_doc_cs(winnow_cleaner *cl, const char *text,
			       size_t len, const char *site,
			       const char *charset, wn_stats *s);
/* Makes c record, for --stats alone, each block's decision and reason
 * (explain on), without its text, path or features, so that a huge
 * document is still cleaned in windows; its results' blocks then have
 * empty text (winnow.c). */
void wn_cleaner_counts_only(winnow_cleaner *c);
/* Whether res's document was plain text in a legacy encoding of a
 * non-Latin script, read as cp1252 (wn_legacy_runs): worth a warning. */
bool wn_result_legacy_runs(const winnow_result *res);
/* wn_clean_doc, its text handed to sink as it comes (wn_clean_sink). */
winnow_result *wn_clean_doc_to(winnow_cleaner *cl, const char *text,
			       size_t len, const char *site,
			       const char *charset, wn_stats *s,
			       const wn_sink *sink);
/* For a cleaner with explain: cleans one document and counts it in s as
 * wn_clean_doc does, its text handed to sink (or, NULL, let go) and its
 * explain to window, window by window (wn_clean_windows). */
winnow_result *wn_clean_doc_windows(winnow_cleaner *cl, const char *text,
				    size_t len, const char *site,
				    const char *charset, wn_stats *s,
				    const wn_sink *sink,
				    const wn_window_fn *window);
/* The same with --explain's rows (wn_render_explain) written to sink. */
winnow_result *wn_explain_doc_to(winnow_cleaner *cl, const char *text,
				 size_t len, const char *site, wn_stats *s,
				 const wn_sink *sink);

#endif
