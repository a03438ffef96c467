/* learn_cmd.h - the `winnow learn` command.  Internal to the winnow
 * executable. */
#ifndef WINNOW_LEARN_CMD_H
#define WINNOW_LEARN_CMD_H

#include "batch.h"

typedef struct wn_learn_cmd {
	const wn_batch_opts *batch; /* how inputs are read: rules, options,
				     * jobs, stream options, quiet */
	bool counts;                /* --counts: print the counts */
	bool from_counts;           /* --from-counts: inputs are counts */
} wn_learn_cmd;

/* Counts the documents of the inputs ("-": standard input, read once),
 * or merges the counts files given, and prints the learned rules (or,
 * with counts, the counts) on standard output.  Returns the exit status:
 * 0, 1 when some input failed (what was read is still learned), 2 when a
 * counts file is malformed (nothing printed). */
int wn_learn_command(const wn_learn_cmd *o, char *const *inputs, size_t n);

#endif
