/* output.h - writers of the cleaned document.  Internal. */
#ifndef WINNOW_OUTPUT_H
#define WINNOW_OUTPUT_H
#include "internal.h"
#include "normalize.h"

/* Appends the kept blocks of d, normalized, to out. */
void wn_render_text(const wn_doc *d, const wn_norm_opts *no, wn_buf *out);

/* Appends the explain of res to out, a line per block: LINE, keep|drop,
 * REASON, [PATH or score and features, CLASSES,] TEXT, tab-separated
 * (CLASSES is empty for text input). */
void wn_render_explain(const winnow_result *res, wn_buf *out);
#endif
