/* progress.h - the progress line of a batch on standard error: files
 * done of all, MB/s, time left; only when standard error is a terminal.
 * Internal to the winnow executable. */
#ifndef WINNOW_PROGRESS_H
#define WINNOW_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wn_progress wn_progress;

/* A progress line for a pass over files inputs of bytes bytes in all
 * ("cleaning", "learning").  Returns NULL (every call a no-op) when off
 * is set (--quiet) or standard error is not a terminal; else draws the
 * line at once. */
wn_progress *wn_progress_start(const char *what, size_t files, uint64_t bytes,
			       bool off);

/* One file of size bytes done (any thread); redraws at most four times
 * a second. */
void wn_progress_step(wn_progress *p, uint64_t bytes);

/* Clears the line and frees p. */
void wn_progress_end(wn_progress *p);

#endif
