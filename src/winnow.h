/* winnow.h - the public API of libwinnow, a boilerplate-stripping cleaner
 * for scraped news text.
 *
 * The pipeline: bytes -> UTF-8 repair -> blocks (one per non-empty line)
 * -> rules (rules files, see rules/README.md) -> features -> context
 * passes -> the learned model (rules/block.model) -> kept blocks ->
 * Unicode normalizer -> text.
 *
 * Conventions
 * - Every exported name starts with winnow_; structs are opaque unless
 *   documented here.
 * - Functions that can fail take a winnow_error *err (may be NULL) and
 *   return 0 on success, -1 on failure with err filled in.  The library
 *   never prints and never exits.  Out of memory aborts the process (the
 *   one policy, in util.c).
 * - Text is passed as (pointer, length); it need not be NUL-terminated and
 *   may contain any bytes.
 * - Thread safety: a winnow_rules set is read-only once built and may be
 *   shared by any number of threads; a winnow_cleaner is used by one
 *   thread at a time (make one per thread from the same rules).
 */
#ifndef WINNOW_H
#define WINNOW_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WINNOW_API __attribute__((visibility("default")))
#else
#define WINNOW_API
#endif

/* The library version, e.g. "0.1.0".  Static storage. */
WINNOW_API const char *winnow_version(void);

/* ---- errors ---------------------------------------------------------- */

typedef enum winnow_status {
	WINNOW_OK = 0,
	WINNOW_ERR_IO,     /* a file could not be opened or read */
	WINNOW_ERR_RULES,  /* a rules file is malformed */
	WINNOW_ERR_USAGE,  /* an option value is invalid */
} winnow_status;

/* Filled by failing calls.  file is the path the error is about ("" when
 * none), line its 1-based line (0 when it does not apply), msg a sentence
 * without the file and line. */
typedef struct winnow_error {
	winnow_status code;
	char file[512];
	size_t line;
	char msg[512];
} winnow_error;

/* ---- rules ----------------------------------------------------------- */

typedef struct winnow_rules winnow_rules;

/* A new, empty rule set.  Free with winnow_rules_free(). */
WINNOW_API winnow_rules *winnow_rules_new(void);

/* Adds the built-in rules and stoplists (compiled in from rules/). */
WINNOW_API int winnow_rules_add_defaults(winnow_rules *r, winnow_error *err);

/* Adds a rules file or a model (NAME.model; html.model is HTML input's),
 * path not NULL (else WINNOW_ERR_USAGE),
 * or every *.rules and *.model file of a directory (sorted by name, not
 * recursive).  Stoplists are files named stop/LANG.txt inside a
 * directory that is added.  Errors name the file and line; on an error
 * nothing of path is added (r is as before the call). */
WINNOW_API int winnow_rules_add_path(winnow_rules *r, const char *path,
				     winnow_error *err);

/* Adds rules from memory; name is how the rules are known in --explain and
 * in errors (e.g. "site.rules"), never NULL.  The text is copied; NULL
 * with len 0 adds nothing.  On an error no line of text is added.  A NULL
 * name, or NULL text with len > 0, fails with WINNOW_ERR_USAGE. */
WINNOW_API int winnow_rules_add_buffer(winnow_rules *r, const char *name,
				       const char *text, size_t len,
				       winnow_error *err);

/* Number of rules loaded so far. */
WINNOW_API size_t winnow_rules_count(const winnow_rules *r);

/* Frees r (NULL is a no-op).  No cleaner made from r may outlive it. */
WINNOW_API void winnow_rules_free(winnow_rules *r);

/* ---- options --------------------------------------------------------- */

/* What the input is.  AUTO recognises HTML (a doctype, <html>, <head>,
 * <body> or a comment at the start; any other tag at the start with an
 * end tag in the first 4 KB; or dense markup near the start) and
 * otherwise reads text. */
typedef enum winnow_input {
	WINNOW_INPUT_TEXT = 0, /* scraped text, one block per line */
	WINNOW_INPUT_HTML,     /* a raw HTML page, parsed with Gumbo */
	WINNOW_INPUT_AUTO,
} winnow_input;

typedef struct winnow_options {
	winnow_input input; /* default TEXT */
	bool no_title;    /* drop the headline line */
	bool nfkc;        /* NFKC instead of NFC */
	bool ascii_punct; /* curly quotes, dashes, ellipsis -> ASCII */
	bool explain;     /* record every block's decision (winnow_result) */
	bool features;    /* with explain: also record each block's feature
			   * vector (for training the model, tools/train.py) */
	const char *lang; /* force a stoplist language ("en"...); NULL: detect */
} winnow_options;

/* Sets the defaults: everything off, lang NULL. */
WINNOW_API void winnow_options_init(winnow_options *o);

/* ---- cleaning -------------------------------------------------------- */

typedef struct winnow_cleaner winnow_cleaner;
typedef struct winnow_result winnow_result;

/* A cleaner over rules r (borrowed: r must outlive the cleaner) with
 * options o (copied; lang is copied too).  Fails with WINNOW_ERR_USAGE
 * when o->lang names no loaded stoplist. */
WINNOW_API winnow_cleaner *winnow_cleaner_new(const winnow_rules *r,
					      const winnow_options *o,
					      winnow_error *err);
WINNOW_API void winnow_cleaner_free(winnow_cleaner *c);

/* Cleans one document: plain text (one block per line) or an HTML page,
 * as options.input says; NULL text is the empty document, whatever len.
 * Returns a new result the caller frees with winnow_result_free(); never
 * NULL. */
WINNOW_API winnow_result *winnow_clean(winnow_cleaner *c, const char *text,
				       size_t len);

/* Cleans one document of site site: the rules scoped to that site by a
 * "site NAME" line (rules/README.md) apply to it besides the unscoped
 * ones.  site is NUL-terminated: a URL's host (winnow_url_host), or any
 * name such as a directory's; it is normalized as rules files' names are
 * (case, a leading "www.", a final '.').  NULL, "", "-", "*" (the rules
 * language's "every site") or a name over 255 bytes mean no site:
 * then the rules under "site -" apply, as they do for winnow_clean(),
 * which is winnow_clean_site(c, text, len, NULL).  Same result contract
 * as winnow_clean(). */
WINNOW_API winnow_result *winnow_clean_site(winnow_cleaner *c,
					    const char *text, size_t len,
					    const char *site);

/* The host of a URL ("https://user@Example.com:8080/x" -> "Example.com",
 * "<http://a.b/>" -> "a.b"): points *host into url and returns its
 * length, or returns 0 with *host NULL when url[0..len) has no
 * "scheme://" or "//" authority.  No allocation. */
WINNOW_API size_t winnow_url_host(const char *url, size_t len,
				  const char **host);

/* The cleaned text: kept blocks, normalized, separated as the input
 * separated them (a blank line where the input had one or more, else a
 * newline), ending in a newline unless empty; NUL-terminated as well
 * (*len excludes the NUL).  Owned by the result. */
WINNOW_API const char *winnow_result_text(const winnow_result *res,
					  size_t *len);

/* Bytes of invalid UTF-8 that were repaired (cp1252 or U+FFFD). */
WINNOW_API size_t winnow_result_repairs(const winnow_result *res);

/* Lines on which a regex rule gave up at its match limit (counted as no
 * match); *where, when not NULL, gets the first such rule's "file:line"
 * (owned by the rules) or NULL when there was none. */
WINNOW_API size_t winnow_result_regex_limits(const winnow_result *res,
					     const char **where);

/* The language whose stoplist was used ("en"...), or "" when none. */
WINNOW_API const char *winnow_result_lang(const winnow_result *res);

/* Per-block decisions, available when the cleaner had explain set.
 * Strings are owned by the result. */
typedef struct winnow_block_info {
	size_t line;        /* 1-based input line */
	const char *text;   /* the block as read (repaired UTF-8) */
	size_t len;
	bool kept;
	const char *reason; /* "rules/en.rules:12", "classifier: ..." */
	double score;       /* the model's probability of article text, or
			     * -1 when a rule or context pass decided */
	const char *path;   /* HTML input: the block's element path
			     * ("body>div.story>p"); NULL for text */
	const double *features; /* with options.features: nfeatures values */
	size_t nfeatures;
	const char *classes; /* with options.features and HTML input: the
			      * class and id words of the block's elements,
			      * innermost first, elements separated by ','
			      * ("teaser,related list,post content"); else
			      * NULL */
} winnow_block_info;

/* The names of the feature vector's columns (static storage), for
 * i < the nfeatures of a block; NULL past the end. */
WINNOW_API const char *winnow_feature_name(size_t i);

WINNOW_API size_t winnow_result_block_count(const winnow_result *res);
/* Fills *info for block i < winnow_result_block_count(); returns 0, or -1
 * when i is out of range. */
WINNOW_API int winnow_result_block(const winnow_result *res, size_t i,
				   winnow_block_info *info);

WINNOW_API void winnow_result_free(winnow_result *res);

#ifdef __cplusplus
}
#endif
#endif
