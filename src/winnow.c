/* winnow.c - the library's front: options, cleaner, result; runs the
 * stages of one document in order (see winnow.h for the pipeline). */
#include "html.h"
#include "internal.h"
#include "model.h"
#include "normalize.h"
#include "output.h"
#include "stats.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct winnow_cleaner {
	const winnow_rules *rules;
	winnow_options opts;
	bool counts_only;  /* explain for --stats only: see wn_cleaner_counts_only */
	char lang[16];
	pcre2_match_data *md;
};

struct winnow_result {
	wn_buf text;
	size_t flushed;    /* text handed to the sink, no longer held */
	size_t repairs;
	size_t regex_limits;
	const char *regex_limit_rule;
	bool legacy_runs;  /* plain text in a legacy encoding (wn_legacy_runs) */
	char lang[16];
	/* explain: one entry per block, strings in pool */
	winnow_block_info *blocks;
	size_t nblocks;
	wn_buf pool;
	size_t *offs;      /* 4 a block: its strings' offsets in pool */
	double *features;  /* nblocks x WN_NFEAT_ALL, with options.features */
	/* explain handed on window by window (wn_clean_windows) */
	wn_window_fn window;
	bool window_counts; /* and each block's decision kept, for --stats */
	size_t line_base;  /* the lines of a plain text's windows before */
	bool scratch;      /* the text's bytes may be rewritten (wn_sink) */
	char **input;      /* wn_sink.input: the caller's buffer, or NULL */
	bool whole_input;  /* the window being cleaned is all of *input */
	/* the plain-text window being cleaned comes after another (no
	 * title in it), or before another (no tail:N rule in it) */
	bool win_later, win_more;
	size_t blocks_before; /* the document's blocks in earlier windows */
	/* wn_read_windows: each window's blocks go here, unclassified */
	void (*read_fn)(void *ctx, wn_doc *d);
	void *read_ctx;
};

const char *winnow_version(void)
{
	return WINNOW_VERSION;
}

const char *winnow_feature_name(size_t i)
{
	if (i < WN_NFEAT1)
		return wn_feat1_names[i];
	if (i < WN_NFEAT1 + WN_NFEAT2)
		return wn_feat2_names[i - WN_NFEAT1];
	return NULL;
}

void winnow_options_init(winnow_options *o)
{
	memset(o, 0, sizeof *o);
}

winnow_cleaner *winnow_cleaner_new(const winnow_rules *r,
				   const winnow_options *o, winnow_error *err)
{
	winnow_cleaner *c = wn_xcalloc(1, sizeof *c);
	c->rules = r;
	if (o)
		c->opts = *o;
	if (o && o->lang) {
		if (wn_stoplist_find(r, o->lang) < 0 ||
		    strlen(o->lang) >= sizeof c->lang) {
			if (err) {
				memset(err, 0, sizeof *err);
				err->code = WINNOW_ERR_USAGE;
				snprintf(err->msg, sizeof err->msg,
					 "no stoplist for language '%.40s'", o->lang);
			}
			free(c);
			return NULL;
		}
		strcpy(c->lang, o->lang);
		c->opts.lang = c->lang;
	}
	c->md = pcre2_match_data_create(32, NULL);
	if (!c->md)
		wn_xmalloc(SIZE_MAX); /* abort: the one OOM policy */
	return c;
}

void winnow_cleaner_free(winnow_cleaner *c)
{
	if (!c)
		return;
	pcre2_match_data_free(c->md);
	free(c);
}

/* For --stats alone: each block's decision and reason, the windows'
 * one after another, without text, path or features. */
static void record_counts(winnow_result *res, const wn_doc *d)
{
	res->blocks = wn_xrealloc(res->blocks, (res->nblocks + d->nblocks + 1) *
						   sizeof(winnow_block_info));
	for (size_t i = 0; i < d->nblocks; i++) {
		const wn_block *b = &d->blocks[i];
		winnow_block_info *info = &res->blocks[res->nblocks++];
		memset(info, 0, sizeof *info);
		info->line = res->line_base + b->line;
		info->text = "";
		info->kept = b->kept;
		/* a rule's file:line (the rules outlive the result) or a
		 * constant: no copy */
		info->reason = b->reason ? b->reason : "classifier";
		info->score = b->score;
	}
}

void wn_cleaner_counts_only(winnow_cleaner *c)
{
	c->opts.explain = true;
	c->opts.features = false;
	c->counts_only = true;
}

/* Adds the blocks of one document or window d to res's explain record,
 * their lines counted from the document's start (line_base), their
 * strings in res's pool (explain_point points at them once all are in).  A big text or page is cleaned in windows with
 * explain as without it: explaining one whole gave other decisions than
 * cleaning it (a reviewer's find: 8,558 of 33,600 blocks of a 6.5 MB
 * text). */
static void record_explain(winnow_result *res, wn_doc *d, size_t line_base)
{
	size_t first = res->nblocks, n = first + d->nblocks;
	res->blocks = wn_xrealloc(res->blocks, (n + 1) * sizeof(winnow_block_info));
	memset(res->blocks + first, 0, (d->nblocks + 1) * sizeof(winnow_block_info));
	/* the pool moves as it grows: each block's strings by their offsets
	 * (text, reason with its score, path, classes; SIZE_MAX: none) */
	res->offs = wn_xrealloc(res->offs, (n + 1) * 4 * sizeof(size_t));
	for (size_t i = 0; i < d->nblocks; i++) {
		const wn_block *b = &d->blocks[i];
		size_t *o = res->offs + 4 * (first + i);
		o[0] = res->pool.len;
		wn_buf_add(&res->pool, d->text + b->off, b->len);
		wn_buf_addc(&res->pool, '\0');
		o[1] = o[2] = o[3] = SIZE_MAX;
		if (b->score >= 0 && b->reason && !strncmp(b->reason, "classifier: model", 17)) {
			o[1] = res->pool.len; /* the score tells how sure */
			wn_buf_printf(&res->pool, "%s (p=%.2f)", b->reason, b->score);
			wn_buf_addc(&res->pool, '\0');
		}
		if (d->html) {
			o[2] = res->pool.len;
			wn_html_path(d, i, &res->pool);
			wn_buf_addc(&res->pool, '\0');
		}
		if (d->html && d->features) {
			o[3] = res->pool.len;
			wn_html_classes(d, i, &res->pool);
			wn_buf_addc(&res->pool, '\0');
		}
		winnow_block_info *info = &res->blocks[first + i];
		info->line = line_base + b->line;
		info->len = b->len;
		info->kept = b->kept;
		/* a rule's file:line (the rules outlive the result) or a
		 * constant, unless the pool holds it */
		info->reason = b->reason ? b->reason : "classifier";
		info->score = b->score;
	}
	if (d->features) {
		res->features = wn_xrealloc(res->features,
					    (n ? n : 1) * WN_NFEAT_ALL * sizeof(double));
		memcpy(res->features + first * WN_NFEAT_ALL, d->features,
		       d->nblocks * WN_NFEAT_ALL * sizeof(double));
	}
	res->nblocks = n;
}

/* Points the explain record's blocks into the pool and the features,
 * which move while windows are added: once, when all are in. */
static void explain_point(winnow_result *res)
{
	if (!res->offs) /* none, or --stats' counts alone (record_counts) */
		return;
	for (size_t i = 0; i < res->nblocks; i++) {
		winnow_block_info *info = &res->blocks[i];
		const size_t *o = res->offs + 4 * i;
		info->text = res->pool.data + o[0];
		if (o[1] != SIZE_MAX)
			info->reason = res->pool.data + o[1];
		info->path = o[2] != SIZE_MAX ? res->pool.data + o[2] : NULL;
		info->classes = o[3] != SIZE_MAX ? res->pool.data + o[3] : NULL;
		if (res->features) {
			info->features = res->features + i * WN_NFEAT_ALL;
			info->nfeatures = WN_NFEAT_ALL;
		}
	}
}

/* explain, one window at a time: its blocks handed to res->window and
 * let go (for --stats, their decisions kept); line numbers count from
 * the document's start. */
static void explain_window(winnow_result *res, wn_doc *d)
{
	winnow_result w;
	memset(&w, 0, sizeof w);
	record_explain(&w, d, res->line_base);
	explain_point(&w);
	res->window.fn(res->window.ctx, &w);
	wn_buf_free(&w.pool);
	free(w.features);
	free(w.blocks);
	free(w.offs);
	if (res->window_counts)
		record_counts(res, d);
}

/* Plain text: repaired to UTF-8, one block per line. */
static void doc_from_text(wn_doc *d, const char *text, size_t len)
{
	if (wn_utf8_valid(text, len)) {
		d->text = text;
		d->text_len = len;
	} else {
		wn_utf8_repair(text, len, &d->repaired, &d->repairs);
		d->text = d->repaired.data ? d->repaired.data : "";
		d->text_len = d->repaired.len;
		d->text_scratch = true; /* its own copy */
		/* the input is not read again: a line of 100 MB is not held
		 * twice beside its output (300 MB against the bound's 223; now
		 * 205) */
		if (d->free_input) {
			free(*d->free_input);
			*d->free_input = NULL;
		}
	}
	wn_doc_split_lines(d);
}

void wn_doc_read(wn_doc *d, const winnow_cleaner *c, const char *text,
		 size_t len)
{
	d->headline = -1;
	/* UTF-16 with its BOM becomes UTF-8 first, for text and HTML alike
	 * (not a window of a text, which was decoded as a whole: a line of
	 * Latin-1 "ÿþ" may start one) */
	const unsigned char *u = (const unsigned char *)text;
	if (!d->as_text && len >= 2 &&
	    ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		wn_utf16_decode(text + 2, len - 2, u[0] == 0xFE, &d->utf16,
				&d->utf16_repairs);
		text = wn_buf_cstr(&d->utf16);
		len = d->utf16.len;
		d->text_scratch = true;
	}
	bool html = !d->as_text &&
		    (c->opts.input == WINNOW_INPUT_HTML ||
		     (c->opts.input == WINNOW_INPUT_AUTO && wn_html_sniff(text, len)));
	if (html)
		wn_doc_from_html(d, text, len, c->rules);
	else
		doc_from_text(d, text, len);
	d->repairs += d->utf16_repairs;
}

winnow_result *winnow_clean(winnow_cleaner *c, const char *text, size_t len)
{
	return winnow_clean_site(c, text, len, NULL);
}

/* Cleans text[0..len) as one document, its output appended to res->text
 * (after a blank line when blank_sep, or a blank line comes before its
 * first kept block, and both sides have text).  Sets *blank_after when a
 * blank line follows its last kept block (or it has one and keeps none).
 * With pg, the document is pg's next window (text and len unread).
 * Returns whether it added text. */
static bool clean_part(winnow_cleaner *c, const char *text, size_t len,
		       const char *site, const char *charset, winnow_result *res,
		       bool blank_sep, bool *blank_after, wn_html_pager *pg)
{
	wn_doc d;
	memset(&d, 0, sizeof d);
	d.charset = charset;
	/* a window (blank_after asked for) is text: the whole was sniffed,
	 * a window that happens to start with markup is not a page */
	d.as_text = blank_after != NULL;
	d.want_features = c->opts.explain && c->opts.features;
	d.text_scratch = res->scratch && !pg;
	d.free_input = res->whole_input && !pg ? res->input : NULL;
	if (pg) {
		wn_html_next(&d, pg); /* sets d.later */
		d.tail_out = wn_html_pager_more(pg);
	} else {
		wn_doc_read(&d, c, text, len);
		d.later = res->win_later;
		d.tail_out = res->win_more;
	}
	d.block_base = res->blocks_before;
	res->blocks_before += d.nblocks;
	if (res->read_fn) { /* read, not cleaned */
		res->read_fn(res->read_ctx, &d);
		res->repairs += d.repairs;
		wn_doc_free(&d);
		if (blank_after)
			*blank_after = false;
		return false;
	}
	wn_features(&d, c->rules, c->opts.lang);
	d.site = wn_rules_site(c->rules, site);
	wn_classify(&d, c->rules, &c->opts, c->md);
	/* the keys were for the rules and the passes: gone before the output
	 * is made, so a document is never held three times (its text, its
	 * keys, its output: a line of 100 MB took 311 MB) */
	wn_doc_drop_keys(&d);
	wn_norm_opts no = {.nfkc = c->opts.nfkc, .ascii_punct = c->opts.ascii_punct};
	size_t before = res->text.len;
	wn_render_text(&d, &no, &res->text);
	if ((before || res->flushed) && res->text.len > before) {
		/* a window after another */
		bool blank = blank_sep;
		for (size_t i = 0; i < d.nblocks; i++) {
			blank |= d.blocks[i].blank_before;
			if (d.blocks[i].kept)
				break;
		}
		if (blank) { /* insert the blank line between the windows */
			wn_buf_addc(&res->text, '\n');
			memmove(res->text.data + before + 1, res->text.data + before,
				res->text.len - before - 1);
			res->text.data[before] = '\n';
		}
	}
	if (blank_after) {
		size_t last = d.nblocks;
		for (size_t i = 0; i < d.nblocks; i++)
			if (d.blocks[i].kept)
				last = i;
		*blank_after = false;
		for (size_t i = last == d.nblocks ? 0 : last + 1; i < d.nblocks; i++)
			*blank_after |= d.blocks[i].blank_before;
	}
	res->repairs += d.repairs;
	res->regex_limits += d.regex_limits;
	if (!res->regex_limit_rule)
		res->regex_limit_rule = d.regex_limit_rule;
	if (d.lang >= 0 && !res->lang[0])
		snprintf(res->lang, sizeof res->lang, "%s",
			 wn_stoplist_get(c->rules, (size_t)d.lang)->lang);
	if (c->counts_only)
		record_counts(res, &d);
	else if (c->opts.explain && res->window.fn)
		explain_window(res, &d);
	else if (c->opts.explain)
		record_explain(res, &d, res->line_base);
	wn_doc_free(&d);
	return res->text.len > before;
}

/* Where t[a..lim) holds n lines not blank: after the n-th one's line
 * break (any that ends a block's line: wn_next_break; a CR LF at lim is
 * not split), else lim.  len: the text's size. */
static size_t lines_end(const char *t, size_t a, size_t lim, size_t len,
			size_t n, bool uni)
{
	size_t seen = 0;
	const char *p = t + a, *e = t + lim, *stop = t + (lim < len ? lim + 1 : len);
	for (;;) {
		size_t k;
		const char *q = wn_next_break(p, stop, uni, &k);
		if (q >= e)
			return lim;
		seen += q > p;
		if (seen >= n)
			return (size_t)(q + k - t);
		p = q + k;
	}
}

/* Is t[p..q) white space within a line? */
static bool blank_run(const char *p, const char *q)
{
	while (p < q && (*p == ' ' || *p == '\t'))
		p++;
	return p == q;
}

/* Where the window starting at a (a line's start) ends: w bytes or
 * text_window_lines lines not blank, whichever comes first, taken back
 * to after the last blank line in its last quarter (*blank set), else
 * after its last line break, else (one line longer than the window)
 * after that line: a line is never cut.  A line break is any that ends
 * a block's line (wn_next_break; uni: the text holds Unicode ones): a
 * text of CRs alone was one line of 10 MB. */
static size_t window_end(const char *t, size_t a, size_t len, size_t w,
			 bool uni, bool *blank)
{
	*blank = false;
	size_t lim = len - a > w ? a + w : len;
	size_t n = wn_thresholds.text_window_lines;
	if (lim - a >= 2 * n) /* fewer bytes hold fewer lines */
		lim = lines_end(t, a, lim, len, n, uni);
	if (lim >= len)
		return len;
	const char *floor = t + lim - (lim - a) / 4;
	const char *p = t + a, *e = t + lim, *stop = t + lim + 1;
	size_t last = 0, last_blank = 0, k;
	for (;;) {
		const char *q = wn_next_break(p, stop, uni, &k);
		if (q >= e)
			break;
		last = (size_t)(q + k - t);
		/* a blank line, not the window's first: its break is not
		 * the one the window started after */
		if (q >= floor && p > t + a && blank_run(p, q))
			last_blank = last;
		p = q + k;
	}
	if (last_blank) {
		*blank = true;
		return last_blank;
	}
	if (last)
		return last;
	const char *q = wn_next_break(e, t + len, uni, &k);
	return (size_t)(q + k - t);
}

winnow_result *winnow_clean_site(winnow_cleaner *c, const char *text,
				 size_t len, const char *site)
{
	return wn_clean_charset(c, text, len, site, NULL);
}

winnow_result *wn_clean_charset(winnow_cleaner *c, const char *text,
				size_t len, const char *site, const char *charset)
{
	if (!text) /* (NULL, 0) is the empty document; a length without
		    * text is read as none */
		text = "", len = 0;
	return wn_clean_sink(c, text, len, site, charset, NULL);
}

/* Hands the text cleaned so far to the sink, if any, and lets it go. */
static void flush(winnow_result *res, const wn_sink *sink)
{
	if (!res->text.len || (!sink && !res->window.fn))
		return;
	if (sink) /* else the windows' explain is all that is wanted */
		sink->write(sink->ctx, res->text.data, res->text.len);
	res->flushed += res->text.len;
	res->text.len = 0;
	res->text.data[0] = '\0';
}

size_t wn_result_out_len(const winnow_result *res)
{
	return res->flushed + res->text.len;
}

/* Cleans the plain-text window t[0..n) of a document in windows, its
 * output flushed to sink; blank: a blank line ends it; *blank_sep: a
 * blank line comes before the next window's text (updated). */
static void text_window(winnow_cleaner *c, const char *t, size_t n,
			bool blank, const char *site, const char *charset,
			winnow_result *res, const wn_sink *sink, bool *blank_sep)
{
	bool blank_after;
	bool added = clean_part(c, t, n, site, charset, res, *blank_sep,
				&blank_after, NULL);
	flush(res, sink);
	/* a window that kept nothing passes on what came before it */
	*blank_sep = blank || blank_after || (!added && *blank_sep);
}

/* Is UTF-16 text (BOM first) HTML?  Its first 64 KB decoded tell. */
static bool utf16_sniff(const char *text, size_t len)
{
	wn_decoder dc;
	wn_decoder_open(&dc, text, len < 65536 ? len : 65536, NULL);
	wn_buf head;
	wn_buf_init(&head);
	wn_decoder_read(&dc, &head, 0);
	wn_decoder_close(&dc);
	bool html = wn_html_sniff(head.data ? head.data : "", head.len);
	wn_buf_free(&head);
	return html;
}

/* UTF-16 plain text, decoded as its windows need it: never held decoded
 * whole. */
static void utf16_windows(winnow_cleaner *c, const char *text, size_t len,
			  const char *site, winnow_result *res,
			  const wn_sink *sink)
{
	size_t w = wn_thresholds.text_window;
	wn_decoder dc;
	wn_decoder_open(&dc, text, len, NULL);
	wn_buf buf;
	wn_buf_init(&buf);
	size_t need = 2 * w;
	bool blank_sep = false;
	res->scratch = true; /* the windows are decoded: ours to rewrite */
	for (;;) {
		while (buf.len < need && wn_decoder_read(&dc, &buf, w))
			;
		if (!buf.len)
			break;
		bool blank;
		size_t b = window_end(buf.data, 0, buf.len, w,
				      wn_text_unicode_breaks(buf.data, buf.len), &blank);
		if (b == buf.len && dc.left) { /* a line longer than that */
			need = buf.len + 2 * w;
			continue;
		}
		/* counted first: the window may be rewritten */
		size_t breaks = wn_line_breaks(buf.data, b);
		res->win_more = b < buf.len || dc.left;
		text_window(c, buf.data, b, blank, site, NULL, res, sink,
			    &blank_sep);
		res->win_later = true;
		res->line_base += breaks;
		buf.len -= b;
		memmove(buf.data, buf.data + b, buf.len);
		need = 2 * w;
		if (!buf.len && !dc.left)
			break;
	}
	res->repairs += dc.repairs;
	wn_decoder_close(&dc);
	wn_buf_free(&buf);
	wn_buf_cstr(&res->text);
}

/* Cleans into res (made by the caller, window set or not). */
static winnow_result *clean_parts(winnow_cleaner *c, winnow_result *res,
				  const char *text, size_t len, const char *site,
				  const char *charset, const wn_sink *sink)
{
	/* A huge plain text or HTML page is cleaned in windows
	 * (thresholds.c; for HTML, html.c), a page not in UTF-8 decoded as
	 * they go; explain too, its record the windows' one after another */
	const unsigned char *u = (const unsigned char *)text;
	bool utf16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
				  (u[0] == 0xFE && u[1] == 0xFF));
	size_t w = wn_thresholds.text_window;
	bool html = c->opts.input == WINNOW_INPUT_HTML ||
		    (c->opts.input == WINNOW_INPUT_AUTO &&
		     (utf16 ? utf16_sniff(text, len) : wn_html_sniff(text, len)));
	if (html) {
		/* a page too big for one parse in windows, but for explain */
		wn_html_pager *pg = wn_html_pager_new(
			text, len, charset, c->rules, wn_thresholds.html_window);
		do {
			clean_part(c, NULL, 0, site, charset, res, false, NULL, pg);
			flush(res, sink);
		} while (wn_html_pager_more(pg));
		wn_html_pager_free(pg);
		wn_buf_cstr(&res->text); /* a C string too, even when empty */
		return res;
	}
	if (utf16) {
		utf16_windows(c, text, len, site, res, sink);
		return res;
	}
	res->legacy_runs = !utf16 && wn_legacy_runs(text, len);
	/* one window, the caller's whole buffer: it may go once repaired */
	/* a text windows may cut: the line breaks they cut at are the
	 * ones its lines end at */
	bool uni = (len > w || len >= 2 * wn_thresholds.text_window_lines) &&
		   wn_text_unicode_breaks(text, len);
	bool blank0;
	size_t end0 = window_end(text, 0, len, w, uni, &blank0);
	bool whole = end0 == len;
	res->whole_input = res->input && *res->input == text && whole;
	if (whole) {
		clean_part(c, text, len, site, charset, res, false, NULL, NULL);
		flush(res, sink);
		wn_buf_cstr(&res->text); /* a C string too, even when empty */
		return res;
	}
	bool blank_sep = false;
	for (size_t a = 0; a < len;) {
		bool blank = blank0; /* the first window's end is known */
		size_t b = a ? window_end(text, a, len, w, uni, &blank) : end0;
		/* no last window under half a window: the document's tail
		 * (tail:N rules) is counted in the last one */
		if (b < len && len - b < w / 2 &&
		    lines_end(text, b, len, len, wn_thresholds.text_window_lines / 2,
			      uni) == len)
			b = len, blank = false;
		/* counted first: a scratch window is rewritten */
		size_t breaks = wn_line_breaks(text + a, b - a);
		res->win_later = a > 0;
		res->win_more = b < len;
		text_window(c, text + a, b - a, blank, site, charset, res, sink,
			    &blank_sep);
		res->line_base += breaks;
		a = b;
	}
	wn_buf_cstr(&res->text);
	return res;
}

/* Cleans into res, and points its explain record into its pool. */
static winnow_result *clean(winnow_cleaner *c, winnow_result *res,
			    const char *text, size_t len, const char *site,
			    const char *charset, const wn_sink *sink)
{
	clean_parts(c, res, text, len, site, charset, sink);
	explain_point(res);
	return res;
}

winnow_result *wn_clean_sink(winnow_cleaner *c, const char *text, size_t len,
			     const char *site, const char *charset,
			     const wn_sink *sink)
{
	winnow_result *res = wn_xcalloc(1, sizeof(winnow_result));
	res->input = sink ? sink->input : NULL;
	res->scratch = res->input != NULL;
	return clean(c, res, text, len, site, charset, sink);
}

void wn_read_windows(const winnow_cleaner *c, const char *text, size_t len,
		     const char *charset, void (*fn)(void *ctx, wn_doc *d),
		     void *ctx)
{
	winnow_result *res = wn_xcalloc(1, sizeof *res);
	res->read_fn = fn;
	res->read_ctx = ctx;
	/* the read path leaves the cleaner alone (its match data is the
	 * classifier's) */
	winnow_result_free(clean((winnow_cleaner *)c, res, text, len, NULL,
				 charset, NULL));
}

winnow_result *wn_clean_windows(winnow_cleaner *c, const char *text,
				size_t len, const char *site,
				const char *charset, const wn_sink *sink,
				const wn_window_fn *window, bool counts)
{
	winnow_result *res = wn_xcalloc(1, sizeof *res);
	res->window = *window;
	res->window_counts = counts;
	return clean(c, res, text, len, site, charset, sink);
}

const char *winnow_result_text(const winnow_result *res, size_t *len)
{
	if (len)
		*len = res->text.len;
	return res->text.data ? res->text.data : "";
}

size_t winnow_result_repairs(const winnow_result *res)
{
	return res->repairs;
}

bool wn_result_legacy_runs(const winnow_result *res)
{
	return res->legacy_runs;
}

size_t winnow_result_regex_limits(const winnow_result *res, const char **where)
{
	if (where)
		*where = res->regex_limit_rule;
	return res->regex_limits;
}

const char *winnow_result_lang(const winnow_result *res)
{
	return res->lang;
}

size_t winnow_result_block_count(const winnow_result *res)
{
	return res->nblocks;
}

int winnow_result_block(const winnow_result *res, size_t i,
			winnow_block_info *info)
{
	if (i >= res->nblocks)
		return -1;
	*info = res->blocks[i];
	return 0;
}

void winnow_result_free(winnow_result *res)
{
	if (!res)
		return;
	wn_buf_free(&res->text);
	wn_buf_free(&res->pool);
	free(res->features);
	free(res->blocks);
	free(res->offs);
	free(res);
}
