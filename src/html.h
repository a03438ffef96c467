/* html.h - HTML input: charset decoding (encoding.c) and the page's DOM,
 * parsed by Gumbo, turned into blocks with their structure (html.c).
 * Internal. */
#ifndef WINNOW_HTML_H
#define WINNOW_HTML_H

#include "internal.h"

#include <iconv.h>

typedef struct wn_html wn_html;

/* A page's bytes to UTF-8: by its BOM; as UTF-8 when it is valid UTF-8;
 * else by the transport's charset (HTTP's, or NULL), else by its <meta>,
 * decoded with iconv, a charset that does not read ASCII as ASCII
 * ignored; else UTF-8 repaired.  Decoded a piece at a time, so that a
 * huge page in a legacy charset is never held decoded whole (html.c's
 * windows). */
typedef struct wn_decoder {
	enum { WN_DEC_UTF8, WN_DEC_REPAIR, WN_DEC_UTF16, WN_DEC_ICONV } kind;
	const char *in;   /* the bytes not read yet */
	size_t left;
	const char *used; /* the charset read ("utf-8", "WINDOWS-1251"...) */
	char label[64];   /* the page's label, when used is that */
	size_t repairs;   /* bytes that became U+FFFD or were repaired */
	bool be;          /* UTF-16: big-endian */
	iconv_t cd;       /* WN_DEC_ICONV */
	const char *stuck; /* where iconv's last error left the input */
} wn_decoder;

/* Chooses how in[0..len) is read: WN_DEC_UTF8 when it is valid UTF-8
 * (dc->in, dc->left are then the page itself, after its BOM). */
void wn_decoder_open(wn_decoder *dc, const char *in, size_t len,
		     const char *transport);
/* Appends the UTF-8 of about want more bytes (0: all that is left) to
 * out; a character is never cut in two, and the pieces come out as the
 * whole would.  False when nothing was left. */
bool wn_decoder_read(wn_decoder *dc, wn_buf *out, size_t want);

/* Whether s[0..n) (its first 64 KiB) is not UTF-8 in the way of a legacy
 * encoding of a non-Latin script: 16 or more bytes that are no UTF-8,
 * 80% of them in runs of two or more (GBK, Big5, Shift_JIS, EUC-KR,
 * windows-1251...).  cp1252 text, whose letters past ASCII stand alone
 * between ASCII ones ("Grüße"), is not. */
bool wn_legacy_runs(const char *s, size_t n);
void wn_decoder_close(wn_decoder *dc);

/* UTF-16 (after its BOM) -> UTF-8 into out; unpaired surrogates and an
 * odd last byte become U+FFFD, counted in *repairs (not reset). */
void wn_utf16_decode(const char *in, size_t len, bool be, wn_buf *out,
		     size_t *repairs);

/* True when the first bytes look like HTML: a doctype, <html>, <head>,
 * <body>, or dense markup. */
bool wn_html_sniff(const char *s, size_t n);

/* Parses the page into d: d->text holds one block per line (what the
 * text pipeline reads), d->sblocks the structure of each block, d->html
 * the element table.  Structural rules (tag, class, attr) are matched
 * here. */
void wn_doc_from_html(wn_doc *d, const char *bytes, size_t len,
		      const winnow_rules *r);

/* A page cleaned in windows (html.c): made from the page's bytes (decoded
 * here by a wn_decoder, charset the transport's or NULL); window is
 * the most text Gumbo parses at once (SIZE_MAX: the whole page). */
typedef struct wn_html_pager wn_html_pager;
wn_html_pager *wn_html_pager_new(const char *bytes, size_t len,
				 const char *charset, const winnow_rules *r,
				 size_t window);
/* Parses the next window into d, as wn_doc_from_html does a page;
 * d->repairs counts the decoding's repairs in the first window. */
void wn_html_next(wn_doc *d, wn_html_pager *pg);
/* Whether a window is left (an empty page has one, and none left). */
bool wn_html_pager_more(const wn_html_pager *pg);
void wn_html_pager_free(wn_html_pager *pg);

/* After the context-free classes are known: finds the content root and
 * fills the structural features of every block. */
void wn_html_context(wn_doc *d);

/* The headline: the index of the block that is the page's title (an h1-h3
 * the <title> repeats, else the only <h1>), or -1. */
long wn_html_headline(const wn_doc *d);

/* The element path of block i ("body>div.story>p"), for --explain. */
void wn_html_path(const wn_doc *d, size_t i, wn_buf *out);

/* The class words of block i's elements (class and id words, see
 * html.c's class_words), innermost first, an element's separated from the
 * next one's by a comma, elements without words left out: the --features
 * column the trainer fits the class weights from. */
void wn_html_classes(const wn_doc *d, size_t i, wn_buf *out);

/* Fills every block's class features (cls_min, cls_max, cls_near) from
 * the model's class weights cls (NULL or empty: all 0). */
struct wn_lexicon;
void wn_html_class_features(wn_doc *d, const struct wn_lexicon *cls);

/* For each block i, the mean of q over the page's other blocks under its
 * block-level element's parent (grp[WN_GRP i]) and grandparent
 * (grp[WN_GRP i + 1]), and over those whose element has the same path
 * from the root (grp[WN_GRP i + 2]; q[i] itself where there are none)
 * with log1p of their number / 8 (grp[WN_GRP i + 3]). */
void wn_html_group_means(const wn_doc *d, const double *q, double *grp);

/* Frees what wn_doc_from_html added to d. */
void wn_html_free(wn_doc *d);

#endif
