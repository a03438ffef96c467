/* learn.h - cross-document chrome learning: count the distinct line keys
 * of each site's documents, then write the lines that recur in enough of
 * them as a rules file ("site NAME" then "omit exact KEY").  Internal.
 *
 * The counts are the one intermediate form: a run that learns and cleans
 * in one process, `winnow learn`, and a distributed run (count shards,
 * merge the counts files, write the rules) all go through the same
 * table, the same merge and the same rules writer, so they give the same
 * bytes.
 *
 * Memory: the table counts 64 bytes plus the key for each (site, line)
 * pair, and 64 bytes plus the name for each site; when that passes the
 * cap, it keeps only the sites whose name hash has one more low bit zero
 * (half of them, then a quarter...), dropping the others' counts.  Which
 * sites stay depends only on the set of (site, line) pairs of the whole
 * input, never on its order, its sharding or the number of threads: the
 * final level is the lowest at which the kept pairs fit the cap.  The
 * arrays grow by doubling, so the process holds up to about twice the
 * counted size. */
#ifndef WINNOW_LEARN_H
#define WINNOW_LEARN_H

#include "util.h"
#include "winnow.h"

#include <stdint.h>

typedef struct wn_learn wn_learn;

/* A table that counts at most cap bytes (see above). */
wn_learn *wn_learn_new(size_t cap);
void wn_learn_free(wn_learn *l);

/* Counts one document, read into blocks as cleaner c reads it (text or
 * HTML, winnow_clean_site): its site and each distinct key of its blocks
 * once.  site is as for winnow_clean_site (NULL: no site; those
 * documents form the group "-").  Safe to call from several threads,
 * each with its own cleaner. */
void wn_learn_doc(wn_learn *l, const winnow_cleaner *c, const char *text,
		  size_t len, const char *site);
/* The same for a page whose HTTP header declared charset (NULL: none). */
void wn_learn_doc_cs(wn_learn *l, const winnow_cleaner *c, const char *text,
		     size_t len, const char *site, const char *charset);

/* Adds the counts in text (the format of wn_learn_write_counts), named
 * name in errors ("NAME:LINE: ...").  Returns 0 or -1 with err. */
int wn_learn_add_counts(wn_learn *l, const char *name, const char *text,
			size_t len, winnow_error *err);

/* Appends the counts to out, in one canonical order:
 *   winnow-counts 1
 *   documents N         every document seen, sampled or not
 *   sample K            sites kept: those whose hash has K low bits zero
 *   site DOCS NAME      a site ("-": no site) and its documents, by name
 *   DOCS KEY            a line key in DOCS of them, by key (bytes)
 * Counts files of disjoint inputs merge by wn_learn_add_counts. */
void wn_learn_write_counts(wn_learn *l, wn_buf *out);

/* Appends the rules learned from the counts (thresholds.c, learn_*) to
 * out: a rules file with a comment before each rule giving its counts.
 * Returns the number of rules. */
size_t wn_learn_write_rules(wn_learn *l, wn_buf *out);

typedef struct wn_learn_info {
	uint64_t documents;  /* every document counted */
	size_t sites;        /* sites in the table (sampled) */
	unsigned sample;     /* the level: 1 in 2^sample sites kept */
} wn_learn_info;

void wn_learn_get_info(wn_learn *l, wn_learn_info *info);

#endif
