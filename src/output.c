/* output.c - kept blocks -> the cleaned text: normalized, separated as the
 * input separated them, and the --explain listing. */
#include "output.h"
#include "normalize.h"

#include <string.h>

void wn_render_text(const wn_doc *d, const wn_norm_opts *no, wn_buf *out)
{
	bool first = true;
	bool pending_blank = false;
	size_t mark = out->len, need = 0;
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kept)
			need += d->blocks[i].len + 2;
	wn_buf_reserve(out, need); /* normalizing rarely grows text */
	for (size_t i = 0; i < d->nblocks; i++) {
		const wn_block *b = &d->blocks[i];
		if (b->blank_before)
			pending_blank = true;
		if (!b->kept)
			continue;
		size_t before = out->len;
		if (!first)
			wn_buf_add(out, pending_blank ? "\n\n" : "\n",
				   pending_blank ? 2 : 1);
		size_t start = out->len;
		wn_normalize(d->text + b->off, b->len, no, out);
		if (out->len == start) { /* nothing left once normalized */
			out->len = before;
			out->data[out->len] = '\0';
			continue;
		}
		first = false;
		pending_blank = false;
	}
	if (out->len > mark)
		wn_buf_addc(out, '\n');
}

void wn_render_explain(const winnow_result *res, wn_buf *out)
{
	for (size_t i = 0; i < winnow_result_block_count(res); i++) {
		winnow_block_info bi;
		winnow_result_block(res, i, &bi);
		wn_buf_printf(out, "%zu\t%s\t%s\t", bi.line, bi.kept ? "keep" : "drop",
			      bi.reason);
		if (bi.path && !bi.nfeatures)
			wn_buf_printf(out, "%s\t", bi.path);
		if (bi.nfeatures) {
			wn_buf_printf(out, "%.4f", bi.score);
			for (size_t k = 0; k < bi.nfeatures; k++)
				wn_buf_printf(out, " %.5g", bi.features[k]);
			wn_buf_addc(out, '\t');
			if (bi.classes)
				wn_buf_adds(out, bi.classes);
			wn_buf_addc(out, '\t');
		}
		/* the text is the last column: a tab in it (plain text keeps
		 * its tabs) is written as a space, so that every row has the
		 * same columns (a reviewer's find) */
		for (const char *p = bi.text, *e = bi.text + bi.len; p < e;) {
			const char *t = memchr(p, '\t', (size_t)(e - p));
			wn_buf_add(out, p, (size_t)((t ? t : e) - p));
			if (t)
				wn_buf_addc(out, ' ');
			p = t ? t + 1 : e;
		}
		wn_buf_addc(out, '\n');
	}
}
