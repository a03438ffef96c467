/* internal.h - the data that flows between the stages of one document.
 * Not part of the public API. */
#ifndef WINNOW_INTERNAL_H
#define WINNOW_INTERNAL_H

#include "util.h"
#include "winnow.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Fills *err (when not NULL) and returns -1. */
int wn_fail(winnow_error *err, winnow_status code, const char *file,
	    size_t line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- rules (rules.c) ------------------------------------------------- */

/* chrome, content and comments are hints for HTML elements: they feed
 * the model's structural features instead of deciding (comments is a
 * chrome hint that also marks reader comments; era marks the whole page
 * as written in today's markup).  omit leaves a line out
 * after everything else is decided, so that it changes no other line
 * (what winnow learn writes).  aside drops a line as drop does, and the
 * passes and the model then read the lines around it as neighbours, as
 * if it were not there (chrome that interrupts the article). */
typedef enum wn_action {
	WN_ACT_DROP, WN_ACT_CUT, WN_ACT_KEEP, WN_ACT_OMIT, WN_ACT_ASIDE, WN_ACT_CHROME,
	WN_ACT_CONTENT, WN_ACT_COMMENTS, WN_ACT_ERA
} wn_action;
/* tag, class and attr match HTML elements (structural rules); the others
 * match a block's key. */
typedef enum wn_match {
	WN_M_EXACT, WN_M_PREFIX, WN_M_CONTAINS, WN_M_REGEX,
	WN_M_TAG, WN_M_CLASS, WN_M_ATTR
} wn_match;
typedef enum wn_scope { WN_SC_ANY, WN_SC_HEAD, WN_SC_TAIL } wn_scope;

#define WN_REGEX_HEAD 8
enum { WN_JIT_UNTRIED, WN_JIT_READY, WN_JIT_NONE };

typedef struct wn_rule {
	wn_action action;
	wn_match match;
	wn_scope scope;
	size_t scope_n;    /* blocks from the head or tail */
	char *pattern;     /* key-normalized for exact/prefix/contains;
			    * lower case for tag, class (without a final
			    * '*') and attr (the name) */
	size_t plen;
	bool star;         /* class TOKEN*: a prefix of the token */
	char attr_op;      /* attr: 0 present, '=' equals, '~' contains */
	char *value;       /* attr's value: lower case, no white space */
	pcre2_code *re;    /* regex rules */
	/* WN_JIT_UNTRIED until the first key reaches the matcher, which
	 * JIT-compiles re (rules.c, rule_jit): a page of one language never
	 * pays for the others' regexes.  Then WN_JIT_READY, or WN_JIT_NONE
	 * (no JIT here, or a trial set: interpreted). */
	_Atomic int jit;
	/* An anchored regex can only match a key whose first byte is in
	 * first[] (from PCRE2's own start analysis): most keys are turned
	 * away without calling the matcher.  have_first is false when PCRE2
	 * found no such set. */
	bool have_first;
	uint8_t first[32];
	/* PCRE2 says the pattern is anchored, and it has no lookaround,
	 * backreference, conditional or verb: what a key's first bytes allow
	 * can be asked of PCRE2 with a partial match (rules.c, second_bits). */
	bool prefix_testable;
	/* The ASCII letters (lower case), digits and spaces that every match
	 * of a regex starts with, as "^related post" in "^related posts?\b":
	 * a key that has other ASCII there cannot match, and is turned away
	 * before the matcher (rules.c, regex_filters).  0 when none. */
	char head[WN_REGEX_HEAD];
	uint8_t head_len;
	/* Lower-case ASCII letters (but s and k), digits and spaces that
	 * every match holds somewhere, as "exclu" in "exclusiv[oa] para":
	 * a key without them, in any ASCII case, cannot match (rules.c,
	 * required_literal).  0 when none of 3 bytes or more. */
	char lit[WN_REGEX_HEAD];
	uint8_t lit_len;
	/* A punctuation mark every match holds, as ':' in "photo ?: ?\S"
	 * (outside groups and classes, unescaped, no quantifier that lets it
	 * go): a key without it cannot match; memchr turns it away before the
	 * literal's scan (rules.c, required_literal).  0 when none. */
	char need;
	/* For a pattern ^...$ without an alternation at its top level: the
	 * most characters a match can span (plus one, for a '$' before a
	 * final newline), so a longer key is turned away before the matcher
	 * (rules.c, span_max); SIZE_MAX when unbounded or in doubt. */
	size_t max_chars;
	const char *file;  /* interned in the rule set */
	size_t line;
	char *where;       /* "file:line" for --explain */
	size_t site;       /* WN_SITE_ANY, WN_SITE_NONE or a site id */
	uint32_t lang;     /* WN_LANG_EVERY, or a language id of "lang" lines */
} wn_rule;

/* Site scopes (rules/README.md, "site"): a rule applies to every document
 * (ANY), to documents without a site (NONE, "site -"), or to one site
 * (an id from 2 up, interned by the rule set).  UNKNOWN is the site of a
 * document whose site no rule names: only ANY rules apply to it. */
enum { WN_SITE_ANY = 0, WN_SITE_NONE = 1 };
#define WN_SITE_UNKNOWN ((size_t)-1)

typedef struct wn_stoplist {
	char lang[16];
	wn_buf words;      /* NUL-separated words */
	size_t nwords;
	uint32_t *slots;   /* open addressing: offset+1 into words, 0 empty */
	size_t nslots;
} wn_stoplist;

/* Language scopes (rules/README.md, "lang"): a rule applies to every
 * document (EVERY), or to the documents in one language (an id from 1
 * up, interned by the rule set) and those whose language is not known.
 * A document's language as the rules see it: WN_LANG_UNKNOWN (every rule
 * applies), a language id, or WN_LANG_OTHER (one that no lang line
 * names: only EVERY rules apply). */
#define WN_LANG_EVERY 0u
#define WN_LANG_UNKNOWN ((size_t)-1)
#define WN_LANG_OTHER ((size_t)-2)
/* The language of a document whose stoplist is named code (NULL: none
 * detected), as above. */
size_t wn_rules_lang(const winnow_rules *r, const char *code);

/* Rule ids matched by one block, resolved: the deciding rule or -1. */
typedef struct wn_rule_hit {
	long keep, cut, drop, omit; /* rule index, or -1 */
	long limit;           /* a regex rule that hit its match limit, or -1 */
} wn_rule_hit;

/* Looks up the rules matching key (a wn_key) of block i of n. */
void wn_rules_match(const winnow_rules *r, const char *key, size_t klen,
		    size_t i, size_t n, pcre2_match_data *md, wn_rule_hit *hit);
/* The same for a block of a document of site id site (wn_rules_site)
 * in language lang (wn_rules_lang); wn_rules_match is this with
 * WN_SITE_NONE and WN_LANG_UNKNOWN. */
void wn_rules_match_doc(const winnow_rules *r, size_t site, size_t lang,
			const char *key, size_t klen, size_t i, size_t n,
			pcre2_match_data *md, wn_rule_hit *hit);
/* The site id of a site name (NULL: none), as wn_site_norm normalizes
 * it: WN_SITE_NONE, a site that rules name, or WN_SITE_UNKNOWN. */
size_t wn_rules_site(const winnow_rules *r, const char *name);
const wn_rule *wn_rules_get(const winnow_rules *r, size_t i);
struct wn_model;
/* The block model, or NULL when no model file was loaded. */
const struct wn_model *wn_rules_model(const winnow_rules *r);
/* The model for HTML input (html.model), or NULL. */
const struct wn_model *wn_rules_html_model(const winnow_rules *r);
/* The model that decides a document: html.model for an HTML page when
 * one was loaded, else the block model (or NULL). */
const struct wn_model *wn_rules_model_for(const winnow_rules *r, bool html);
/* The structural rules (tag, class, attr) in load order: *n indices for
 * wn_rules_get. */
const size_t *wn_rules_structural(const winnow_rules *r, size_t *n);
size_t wn_stoplist_count(const winnow_rules *r);
const wn_stoplist *wn_stoplist_get(const winnow_rules *r, size_t i);
long wn_stoplist_find(const winnow_rules *r, const char *lang);
bool wn_stoplist_has(const wn_stoplist *s, const char *w, size_t n);
/* The stoplists (bit i: list i, the first 64) that hold w: one lookup for
 * all of them (no hash at all when w is longer than any stoplist word).
 * w's buffer is readable to end (>= w + n), which saves the hash the
 * short loads of its last bytes. */
uint64_t wn_stoplist_mask(const winnow_rules *r, const char *w, size_t n,
			  const char *end);
/* The same with w's hash, wn_hash_fast(w, n), at hand: h.  Words longer
 * than wn_stoplist_max_len are in no list. */
uint64_t wn_stoplist_mask_h(const winnow_rules *r, const char *w, size_t n,
			    uint64_t h);
size_t wn_stoplist_max_len(const winnow_rules *r);

/* ---- blocks (lines.c) ------------------------------------------------ */

/* Stage-1 (text, then HTML) and stage-2 feature counts (model.c names
 * them, model.h declares the names). */
#define WN_NFEAT_HTML 27
#define WN_NFEAT1 (54 + WN_NFEAT_HTML)
#define WN_NFEAT2 14
#define WN_NFEAT_ALL (WN_NFEAT1 + WN_NFEAT2)
/* values per block of wn_html_group_means (html.h) */
#define WN_GRP 4

typedef enum wn_class {
	WN_BAD, WN_SHORT, WN_NEAR_GOOD, WN_GOOD
} wn_class;

typedef struct wn_block {
	size_t line;         /* 1-based line of the input */
	size_t off, len;     /* the text in doc->text, trimmed */
	size_t key_off, key_len; /* the key in doc->keys */
	bool blank_before;   /* a blank line separated it from the previous */

	/* features (features.c) */
	size_t chars;        /* code points, a Han or kana one counted
			      * wide_char_weight times (thresholds.c) */
	size_t wide;         /* Han and kana code points */
	size_t unspaced;     /* Thai, Lao, Khmer and Burmese code points */
	size_t words;        /* word tokens */
	size_t stopwords;    /* tokens in the document's stoplist */
	size_t alpha, digits, upper; /* letter, digit, uppercase code points */
	size_t cap_words;    /* words starting with an uppercase letter */
	size_t seps;         /* menu separators: | • · » › / > */
	size_t glued;        /* lower->upper inside a word: "SteakhouseA party",
			      * where a scraper joined a link to its teaser */
	bool cut_seen;       /* a cut rule matched this block or an earlier one */
	uint8_t ordinal;     /* N of a list item that starts "N." or "N)"
			      * (1-99), else 0 (classify.c) */
	bool end_punct;      /* ends in . ! ? … : ; or a closing quote after one */
	double stop_density; /* stopwords / words */
	double log_chars;    /* log1p(chars) / 8: the model's length scale
			      * (set by classify.c before the model runs) */
	double lex;          /* the model's mean word weight (features.c) */

	/* decisions (classify.c) */
	wn_rule_hit hit;
	wn_class cf_class;   /* context-free class */
	wn_class cls;        /* after context passes */
	bool protect;        /* a keep rule matched */
	bool decided;        /* dropped by a rule or a context pass: final */
	bool by_rule;        /* and that was a rule (drop, aside or cut) */
	bool transparent;    /* a repeat or an aside: invisible to the
	                      * neighbour passes and features */
	bool kept;
	const char *reason;  /* static string or a rule's where */
	double score;        /* the model's p, or -1 when it did not decide */
	size_t good_before;  /* chars of good blocks before this one */
} wn_block;

/* The HTML structure behind one block (html.c); NULL in text mode. */
typedef enum wn_kind {
	WN_K_OTHER, WN_K_P, WN_K_LI, WN_K_CELL, WN_K_ROW, WN_K_HEADING,
	WN_K_QUOTE, WN_K_CAPTION
} wn_kind;

typedef struct wn_sblock {
	uint32_t node;       /* the innermost element of its first text */
	uint32_t owner;      /* the innermost block-level element */
	uint32_t text, link; /* non-space bytes, and those inside <a> */
	uint8_t heading;     /* 1-6 inside <hN>, else 0 */
	uint8_t kind;        /* wn_kind of the owner */
	bool chrome_tag;     /* inside a landmark a `chrome tag` rule names */
	bool chrome_cls;     /* nearest class/attr hint is a chrome rule */
	bool content;        /* inside an element a `content` rule names */
	bool comments;       /* inside an element a `comments` rule names */
	bool comments_only;  /* and no `content` element is that element or
			      * inside it ("has-comments" on an <article>) */
	bool in_root;        /* inside the content root (html.c) */
	bool figure;         /* inside figure, figcaption or caption */
	long drop, keep;     /* structural rule that decides it, or -1 */
	double owner_link;   /* link share of the owner's whole text */
	double owner_text;   /* log of the owner's text bytes, scaled */
	double parent_good;  /* share of the page's good text under the
			      * owner's parent */
	double cls_min, cls_max, cls_near; /* class words' weights (html.c) */
} wn_sblock;

struct wn_html;

typedef struct wn_doc {
	const char *text;    /* repaired UTF-8 */
	size_t text_len;
	wn_buf repaired;     /* owns text when the input needed repair */
	wn_buf demojibaked;  /* owns text when it held mojibake */
	wn_buf utf16;        /* the input decoded from UTF-16 */
	size_t utf16_repairs;
	size_t repairs;
	wn_buf keys;         /* every block's key, NUL-separated */
	wn_block *blocks;
	size_t nblocks, cap;
	long lang;           /* stoplist index, -1 when none */
	size_t good_total;   /* chars of good blocks, after the passes */
	double jt_share;     /* share of blocks good after the passes */
	size_t max_chars;    /* the longest block */
	double mean_stop;    /* mean stopword density of blocks of 5+ words */
	size_t total_words;  /* words in the whole page */
	size_t prose_words;  /* of them, in blocks of 10 words or more that
			      * end a sentence (model.c: doc_prose) */
	int max_year;        /* the latest year it names, or 0 (classify.c) */
	size_t region_lo, region_hi; /* the article region [lo, hi) */
	size_t regex_limits;  /* lines on which a regex hit its match limit */
	const char *regex_limit_rule; /* the first such rule's file:line */
	size_t site;         /* wn_rules_site() of the document's site */
	wn_sblock *sblocks;  /* per block, HTML input only */
	struct wn_html *html; /* the element table, HTML input only */
	double root_share;   /* share of the good text under the root */
	bool modern;         /* the page has markup of today (html.c) */
	long headline;       /* HTML: the headline block, or -1 */
	bool later;          /* a window after a document's first (HTML or
			      * text): no title */
	bool tail_out;       /* more of the document follows this window:
			      * no tail:N rule (winnow.c, apply_rules) */
	size_t block_base;   /* the document's blocks in the windows before */
	size_t *near_prev, *near_next; /* the nearest block that is not a
			      * repeat before / after each block, or SIZE_MAX:
			      * set once for the model (classify.c) */
	bool text_scratch;   /* text's bytes are the doc's to rewrite: its
			      * own copy, or a caller's that lets them go
			      * (wn_sink.input) */
	char **free_input;   /* the caller's buffer, which is this whole
			      * document: freed (and set to NULL) once a
			      * repaired copy replaces it, or NULL */
	bool as_text;        /* read as plain text whatever it looks like: a
			      * window of a text already found to be text */
	const char *charset; /* HTML: the charset HTTP declared, or NULL (set
			      * by the caller before wn_doc_read) */
	uint64_t *key_hash;  /* per block, wn_hash_fast of its key: set by
			      * mark_repeats (classify.c) */
	bool want_features;  /* record features[] for --features */
	double *features;    /* nblocks x WN_NFEAT_ALL, with want_features */
} wn_doc;

/* lines.c: split text into blocks, computing keys. */
void wn_doc_split_lines(wn_doc *d);
/* The first line break in [p, end) where wn_doc_split_lines ends a
 * line: LF, CR LF, CR, FF, VT, and with unicode (the text holds one:
 * wn_text_unicode_breaks) NEL, U+2028 and U+2029; *len its bytes.  end,
 * *len 0, if none. */
const char *wn_next_break(const char *p, const char *end, bool unicode,
			  size_t *len);
bool wn_text_unicode_breaks(const char *t, size_t n);
void wn_doc_free(wn_doc *d);
/* Frees d's keys once nothing reads them (after wn_classify): every
 * block's key is empty from then on. */
void wn_doc_drop_keys(wn_doc *d);
/* winnow.c: winnow_clean_site for a page whose transport (HTTP) declared
 * charset (NULL: none): HTML input decodes by it before its <meta>. */
winnow_result *wn_clean_charset(winnow_cleaner *c, const char *text,
				size_t len, const char *site, const char *charset);
/* winnow.c: wn_clean_charset, the text handed to sink (when not NULL)
 * as each window is cleaned, so that a huge document's output is not
 * held whole: the result's text is then empty.  sink->write gets the
 * bytes in order; its errors are its own to keep (ferror on a FILE). */
winnow_result *wn_clean_sink(winnow_cleaner *c, const char *text, size_t len,
			     const char *site, const char *charset,
			     const wn_sink *sink);
/* winnow.c: wn_clean_sink for a cleaner with options.explain, each
 * window's explain (its blocks, as winnow_result_block gives them, their
 * lines counted from the document's start) handed to window->fn as the
 * window is cleaned and let go, so that a huge document is not held
 * whole.  The result holds no text (sink, if any, has had it) and no
 * blocks but, with counts, each one's line, decision and reason (as for
 * --stats alone). */
winnow_result *wn_clean_windows(winnow_cleaner *c, const char *text,
				size_t len, const char *site,
				const char *charset, const wn_sink *sink,
				const wn_window_fn *window, bool counts);
/* winnow.c: reads text as c would clean it, in the same windows (a huge
 * document is never read whole), and hands each window's blocks to fn
 * before they are freed; nothing is classified.  Learning (learn.c)
 * counts the blocks cleaning sees. */
void wn_read_windows(const winnow_cleaner *c, const char *text, size_t len,
		     const char *charset, void (*fn)(void *ctx, wn_doc *d),
		     void *ctx);
/* The bytes of text the result held or handed to its sink. */
size_t wn_result_out_len(const winnow_result *res);
/* winnow.c: reads text into the blocks of d (zeroed) as cleaner c reads
 * it: HTML or plain text, as its options say.  Learning (learn.c) counts
 * the same blocks that cleaning sees. */
void wn_doc_read(wn_doc *d, const winnow_cleaner *c, const char *text,
		 size_t len);

/* features.c */
void wn_features(wn_doc *d, const winnow_rules *r, const char *force_lang);
/* Adds to b the character counts of s[0..n) (chars, alpha, digits,
 * upper, cap_words, glued, seps) and sets b->end_punct; the rest of b is
 * untouched.  Exposed for the unit test of its vector path. */
void wn_raw_stats(wn_block *b, const char *s, size_t n);
/* The same in two passes over the words (language, then counts), without
 * per-block counts for every list: what wn_features does for documents of
 * more blocks than a page has.  The two agree (test_classify). */
void wn_features_two_pass(wn_doc *d, const winnow_rules *r,
			  const char *force_lang);
/* Letters, marks and digits make words (tokens, rule boundaries). */
bool wn_is_word_cp(int32_t cp);
/* Han and kana: the scripts written without spaces between words,
 * measured as wide_char_weight letters each (features.c). */
bool wn_is_wide(int32_t cp);
/* A word token w[0..n), letters when it is ASCII letters alone. */
typedef void (*wn_word_fn)(const char *w, size_t n, bool letters, void *ctx);
/* Calls fn for every word token of the key (casefolded, NFKC), or of a
 * block's text (the word weights'): the runs of letters, marks and
 * digits, in order. */
void wn_words(const char *key, size_t len, wn_word_fn fn, void *ctx);

/* classify.c */
/* The latest year from 1990 to 2039 that s[0..n) names (four digits with
 * no letter or digit either side), or y if none is later. */
int wn_max_year(const char *s, size_t n, int y);
void wn_classify(wn_doc *d, const winnow_rules *r, const winnow_options *o,
		 pcre2_match_data *md);

static inline const char *wn_block_key(const wn_doc *d, const wn_block *b)
{
	return d->keys.data ? d->keys.data + b->key_off : "";
}

#endif
