/* rules.c - the rules-file language: parse, compile, match.
 *
 *   ACTION [SCOPE] MATCH PATTERN
 *   ACTION  drop | cut | keep | omit | aside
 *   SCOPE   head:N | tail:N      (first / last N blocks of the document)
 *   MATCH   exact | prefix | contains | regex
 *   site NAME | site - | site *   (the rules below: one site's documents,
 *                                  those without a site, every document)
 *   lang CODE | lang *             (the rules below: documents in one
 *                                  language or of none detected, every
 *                                  document)
 *
 * Literal patterns are stored as keys (normalize.c: wn_key) and looked up
 * by hash, so a thousand exact rules cost one lookup per line; prefix rules
 * cost one lookup per distinct prefix length.  rules/README.md is the
 * user's documentation of the language. */
#include "internal.h"
#include "embedded.h"
#include "model.h"
#include "normalize.h"
#include "site.h"
#include "thresholds.h"

#include <utf8proc.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct wn_map {
	long *slots;   /* rule index, -1 empty */
	size_t nslots; /* power of two */
	size_t used;
} wn_map;

/* A scan rule in a first byte's list: what turns most keys away without
 * reading the rule itself (wn_rule is large; a list of these is a few
 * lines of cache).  max_chars UINT32_MAX when unbounded. */
typedef struct wn_scan_ent {
	uint32_t id;
	uint32_t max_chars;
	uint32_t lang;         /* the rule's language scope */
	uint8_t head_len;
	char head[WN_REGEX_HEAD];
	uint8_t lit_len;
	char lit[WN_REGEX_HEAD];
	char need;             /* wn_rule.need, or 0 */
	/* bit c: a key of this list (first byte b) whose second byte is the
	 * ASCII c can match; every bit set when unknown (second_can) */
	_Atomic uint64_t second[2];
} wn_scan_ent;

struct winnow_rules {
	wn_rule *v;
	size_t n, cap;
	long *next_same;   /* chain of rules with the same literal and kind */
	wn_map literal;    /* exact and prefix rules by (kind, pattern) */
	size_t *prefix_lens; /* distinct prefix lengths, ascending */
	size_t nprefix_lens;
	size_t *scan;      /* regex rules, in load order */
	size_t nscan, scan_cap;
	/* The regex rules that can match a key starting with byte b, in load
	 * order: a regex's first-byte set (PCRE2's start analysis) puts it
	 * in few lists, regexes without a set are in all.  Most keys meet a
	 * handful of the rules instead of all. */
	struct wn_scan_ent *scan_by[256];
	size_t nscan_by[256], scan_by_cap[256];
	/* Two-byte filters on literal rules: bit (k0 << 8 | k1) is set when
	 * an exact (resp. prefix) rule could match a key whose first two
	 * bytes are k0, k1 (0 past the end).  A key that misses both skips
	 * every hash lookup. */
	uint64_t exact2[1024], prefix2[1024];
	/* The prefix lengths that follow a pair of first bytes: bit L - 1
	 * for L in 1..63, bit 63 for any longer; a key tries only those.
	 * Open addressing on the pair, 0 mask empty; prefixes shorter than
	 * two bytes set pair_len_any (their pair is not one pair). */
	uint16_t pair_key[256];
	uint64_t pair_lens[256];
	uint64_t pair_len_any;
	/* For contains rules, the last four bytes of each pattern, by a
	 * 16-bit hash: a key in which no four bytes in a row hit the filter
	 * ends no pattern of four bytes or more.  A pattern that ends in an ASCII letter
	 * or digit only matches where a word ends (at_boundaries): its
	 * bytes are in contains4_end, looked up only for the four bytes
	 * before the key's end or a byte that is no ASCII letter or digit
	 * (contains_gate). */
	uint64_t contains4[1024], contains4_end[1024];
	bool contains_any, contains_end;
	/* The contains rules themselves, found the same way: by that hash of
	 * their last four bytes, contains_by_end[h] holds the last such
	 * rule's index + 1 (0: none) and next_same chains the others; the
	 * few shorter patterns are in contains_few.  A key meets only the
	 * rules that end where four of its bytes are, so a hundred thousand
	 * of them cost what ten do (tests/cli/hostile.sh); in the scan
	 * lists each was a 48-byte entry in all 256 and met every key. */
	long *contains_by_end; /* 65536 slots, when there is a rule */
	size_t *contains_few;
	size_t ncontains_few, contains_few_cap;
	char **files;      /* interned file names */
	size_t nfiles;
	wn_stoplist *stops;
	size_t nstops;
	/* Every stoplist word once, with the lists (the first 64) holding
	 * it as a bit mask: language detection looks a token up once, not
	 * once per list.  Rebuilt whenever a stoplist is added. */
	wn_stoplist stop_union;
	/* Its lookups, a slot one line of cache: a word's hash, length and
	 * place in stop_union.words, and the mask of its lists; len 0 empty.
	 * Open addressing on wn_hash_fast (words are short). */
	struct wn_stop_entry {
		uint64_t hash, mask;
		uint32_t off;
		uint32_t len;
	} *union_tab;
	size_t union_max_len; /* its longest word: longer tokens are in no list */
	pcre2_match_context *mctx;
	/* Bit c of second[] of the entries of scan_by[b] is worked out the
	 * first time a key starting with b, c meets the list (fill_second),
	 * under second_lock; bit c of second_ready[b] publishes it.  A key
	 * that finds it unready goes without that filter. */
	_Atomic uint64_t second_ready[256][2];
	pthread_mutex_t second_lock;
	bool trial;        /* only checks that files load: never matches */
	wn_model model;    /* the last model file loaded wins */
	wn_model html_model; /* html.model: the same, for HTML input */
	/* A built-in model not parsed yet: the first call that asks for it
	 * parses it (parsed_model), under model_lock, and clears this.  A
	 * text run never parses html.model, nor an HTML run block.model
	 * unless it meets a page in older markup (classify.c,
	 * text_model_p): each was 10M instructions of start-up. */
	const wn_embedded *_Atomic model_src, *_Atomic html_model_src;
	pthread_mutex_t model_lock;
	size_t *structural; /* tag, class and attr rules, in load order */
	size_t nstructural;
	char **langs;      /* language codes of "lang" lines: id 1 + index */
	size_t nlangs;
	char **sites;      /* site names of "site" lines: id 2 + index */
	size_t nsites;
	size_t *site_slots; /* open addressing: index + 1, 0 empty */
	size_t nsite_slots;
};

/* ---- errors ---------------------------------------------------------- */

int wn_fail(winnow_error *err, winnow_status code, const char *file,
	    size_t line, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->code = code;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the literal map ------------------------------------------------- */

/* The hash of a literal pattern of kind m: a prefix's is wn_hash, which
 * a key's prefixes take one after the other (wn_hash_more); an exact
 * pattern's, of a whole key, wn_hash_fast (eight bytes a step, where
 * wn_hash takes one: a tenth of the instructions of the exact lookups) */
static uint64_t pat_hash(wn_match m, const char *s, size_t n)
{
	return m == WN_M_EXACT ? wn_hash_fast(s, n) : wn_hash(s, n);
}

/* h is pat_hash of the pattern */
static uint64_t lit_hash_h(wn_match m, size_t site, uint64_t h)
{
	return h ^ ((uint64_t)m * 0x9e3779b97f4a7c15ULL) ^
	       ((uint64_t)site * 0xc2b2ae3d27d4eb4fULL);
}

static uint64_t lit_hash(wn_match m, size_t site, const char *s, size_t n)
{
	return lit_hash_h(m, site, pat_hash(m, s, n));
}

/* The first rule of kind m, site scope site and pattern s[0..n), whose
 * pat_hash is h. */
static long map_find_h(const winnow_rules *r, wn_match m, size_t site,
		       const char *s, size_t n, uint64_t h)
{
	if (!r->literal.nslots)
		return -1;
	size_t mask = r->literal.nslots - 1;
	for (size_t i = lit_hash_h(m, site, h) & mask;; i = (i + 1) & mask) {
		long id = r->literal.slots[i];
		if (id < 0)
			return -1;
		const wn_rule *ru = &r->v[id];
		if (ru->match == m && ru->site == site && ru->plen == n &&
		    !memcmp(ru->pattern, s, n))
			return id;
	}
}

static long map_find(const winnow_rules *r, wn_match m, size_t site,
		     const char *s, size_t n)
{
	return map_find_h(r, m, site, s, n, pat_hash(m, s, n));
}

static void map_put(winnow_rules *r, long id);

static void map_grow(winnow_rules *r)
{
	wn_map old = r->literal;
	r->literal.nslots = old.nslots ? old.nslots * 2 : 256;
	r->literal.slots = wn_xmalloc(r->literal.nslots * sizeof(long));
	memset(r->literal.slots, 0xff, r->literal.nslots * sizeof(long));
	r->literal.used = 0;
	for (size_t i = 0; i < old.nslots; i++)
		if (old.slots[i] >= 0)
			map_put(r, old.slots[i]);
	free(old.slots);
}

/* Inserts a chain head; callers link rules of the same literal first. */
static void map_put(winnow_rules *r, long id)
{
	if ((r->literal.used + 1) * 2 > r->literal.nslots)
		map_grow(r);
	const wn_rule *ru = &r->v[id];
	size_t mask = r->literal.nslots - 1;
	size_t i = lit_hash(ru->match, ru->site, ru->pattern, ru->plen) & mask;
	while (r->literal.slots[i] >= 0)
		i = (i + 1) & mask;
	r->literal.slots[i] = id;
	r->literal.used++;
}

static void add_prefix_len(winnow_rules *r, size_t len)
{
	size_t i = 0;
	while (i < r->nprefix_lens && r->prefix_lens[i] < len)
		i++;
	if (i < r->nprefix_lens && r->prefix_lens[i] == len)
		return;
	r->prefix_lens = wn_xrealloc(r->prefix_lens,
				     (r->nprefix_lens + 1) * sizeof(size_t));
	memmove(r->prefix_lens + i + 1, r->prefix_lens + i,
		(r->nprefix_lens - i) * sizeof(size_t));
	r->prefix_lens[i] = len;
	r->nprefix_lens++;
}

/* ---- rule set -------------------------------------------------------- */

winnow_rules *winnow_rules_new(void)
{
	winnow_rules *r = wn_xcalloc(1, sizeof *r);
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->mctx)
		wn_xmalloc(SIZE_MAX); /* the one OOM policy: abort */
	pcre2_set_match_limit(r->mctx, wn_thresholds.regex_match_limit);
	pcre2_set_depth_limit(r->mctx, wn_thresholds.regex_depth_limit);
	pthread_mutex_init(&r->second_lock, NULL);
	pthread_mutex_init(&r->model_lock, NULL);
	return r;
}

size_t winnow_rules_count(const winnow_rules *r)
{
	return r->n;
}

const wn_rule *wn_rules_get(const winnow_rules *r, size_t i)
{
	return &r->v[i];
}

/* The text (or HTML) model, parsed now if it is a built-in one that no
 * call asked for yet; NULL when there is none. */
static const wn_model *parsed_model(const winnow_rules *cr, bool html)
{
	winnow_rules *r = (winnow_rules *)cr;
	wn_model *m = html ? &r->html_model : &r->model;
	const wn_embedded *_Atomic *src = html ? &r->html_model_src : &r->model_src;
	if (atomic_load_explicit(src, memory_order_acquire)) {
		pthread_mutex_lock(&r->model_lock);
		const wn_embedded *e = atomic_load_explicit(src, memory_order_relaxed);
		if (e) {
			winnow_error err;
			wn_model_free(m); /* one loaded before the defaults */
			if (wn_model_parse(m, e->name, e->text, e->len, &err)) {
				/* the build's own model: its tests parse it */
				fprintf(stderr, "winnow: built-in %s:%zu: %s\n",
					e->name, err.line, err.msg);
				abort();
			}
			atomic_store_explicit(src, NULL, memory_order_release);
		}
		pthread_mutex_unlock(&r->model_lock);
	}
	return m->loaded ? m : NULL;
}

const wn_model *wn_rules_model(const winnow_rules *r)
{
	return parsed_model(r, false);
}

const wn_model *wn_rules_html_model(const winnow_rules *r)
{
	return parsed_model(r, true);
}

const wn_model *wn_rules_model_for(const winnow_rules *r, bool html)
{
	const wn_model *m = html ? wn_rules_html_model(r) : NULL;
	return m ? m : wn_rules_model(r);
}

const size_t *wn_rules_structural(const winnow_rules *r, size_t *n)
{
	*n = r->nstructural;
	return r->structural;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* html.model is the model for HTML input; any other *.model the model for
 * text. */
static wn_model *model_for(winnow_rules *r, const char *name)
{
	bool html = ends_with(name, "html.model");
	/* a model loaded now replaces a built-in one not parsed yet */
	atomic_store(html ? &r->html_model_src : &r->model_src, NULL);
	return html ? &r->html_model : &r->model;
}

static void stoplist_free(wn_stoplist *s)
{
	wn_buf_free(&s->words);
	free(s->slots);
}

void winnow_rules_free(winnow_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].pattern);
		free(r->v[i].value);
		free(r->v[i].where);
		pcre2_code_free(r->v[i].re);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	for (size_t i = 0; i < r->nstops; i++)
		stoplist_free(&r->stops[i]);
	free(r->stops);
	stoplist_free(&r->stop_union);
	free(r->union_tab);
	free(r->files);
	free(r->v);
	free(r->next_same);
	free(r->literal.slots);
	free(r->prefix_lens);
	free(r->scan);
	free(r->contains_by_end);
	free(r->contains_few);
	for (size_t b = 0; b < 256; b++)
		free(r->scan_by[b]);
	pthread_mutex_destroy(&r->second_lock);
	pthread_mutex_destroy(&r->model_lock);
	for (size_t i = 0; i < r->nlangs; i++)
		free(r->langs[i]);
	free(r->langs);
	for (size_t i = 0; i < r->nsites; i++)
		free(r->sites[i]);
	free(r->sites);
	free(r->site_slots);
	free(r->structural);
	pcre2_match_context_free(r->mctx);
	wn_model_free(&r->model);
	wn_model_free(&r->html_model);
	free(r);
}

static const char *intern_file(winnow_rules *r, const char *name)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i], name))
			return r->files[i];
	r->files = wn_xrealloc(r->files, (r->nfiles + 1) * sizeof(char *));
	r->files[r->nfiles] = wn_xstrndup(name, strlen(name));
	return r->files[r->nfiles++];
}

static wn_rule *push_rule(winnow_rules *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = wn_xrealloc(r->v, r->cap * sizeof(wn_rule));
		r->next_same = wn_xrealloc(r->next_same, r->cap * sizeof(long));
	}
	wn_rule *ru = &r->v[r->n];
	memset(ru, 0, sizeof *ru);
	r->next_same[r->n] = -1;
	return ru;
}

/* Whether a key that starts with the bytes b, c can match ru: unless
 * PCRE2 finds neither a match nor a partial one of the two bytes "bc"
 * (PCRE2_PARTIAL_HARD: the subject may go on, and a \b or $ at its end
 * is partial too).  A plain "no match" there means that no key starting
 * so can match: the pattern is anchored and has no lookaround or
 * backreference that could look beyond what was tried. */
static bool second_can(const winnow_rules *r, const wn_rule *ru, size_t b,
		       unsigned c, pcre2_match_data *md)
{
	/* a literal head of two bytes or more already says it */
	if (ru->match != WN_M_REGEX || !ru->prefix_testable || r->trial ||
	    ru->head_len >= 2)
		return true;
	unsigned char s[2] = {(unsigned char)b, (unsigned char)c};
	return pcre2_match(ru->re, s, 2, 0, PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, md,
			   r->mctx) != PCRE2_ERROR_NOMATCH;
}

/* The pairs worth asking: keys start so (wn_key folds case: lower-case
 * letters, digits, then a space too); keys that start otherwise go
 * without the filter. */
static bool second_testable(size_t b, unsigned c)
{
	bool b_ok = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
	return b_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ');
}

/* Works out bit c of second[] for scan_by[b]'s entries (a start-up cost
 * paid per pair of first bytes that keys bring, a pcre2_match for each
 * regex of the list), unless another thread is at it (then the key goes
 * without; the filter only saves time).  Rules are shared read-only
 * between threads: these bits are the one thing matching writes, each
 * once, before second_ready publishes them. */
static bool fill_second(const winnow_rules *cr, size_t b, unsigned c)
{
	winnow_rules *r = (winnow_rules *)cr;
	uint64_t bit = (uint64_t)1 << (c & 63);
	if (pthread_mutex_trylock(&r->second_lock))
		return false;
	if (!(atomic_load_explicit(&r->second_ready[b][c >> 6], memory_order_relaxed) & bit)) {
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		for (size_t k = 0; k < r->nscan_by[b]; k++) {
			wn_scan_ent *e = &r->scan_by[b][k];
			if (!second_can(r, &r->v[e->id], b, c, md))
				atomic_fetch_and_explicit(&e->second[c >> 6], ~bit,
							  memory_order_relaxed);
		}
		pcre2_match_data_free(md);
		atomic_fetch_or_explicit(&r->second_ready[b][c >> 6], bit,
					 memory_order_release);
	}
	pthread_mutex_unlock(&r->second_lock);
	return true;
}

/* Whether ru's regex has its JIT code, compiled now if it was never
 * tried.  Under second_lock, so that no pcre2_match runs on re (whose
 * JIT pointer it reads) while the JIT compiler writes it: fill_second's
 * partial matches take the same lock, and every other match waits for
 * the state to be settled. */
static bool rule_jit(const winnow_rules *cr, const wn_rule *cru)
{
	wn_rule *ru = (wn_rule *)cru;
	int s = atomic_load_explicit(&ru->jit, memory_order_acquire);
	if (s != WN_JIT_UNTRIED)
		return s == WN_JIT_READY;
	winnow_rules *r = (winnow_rules *)cr;
	pthread_mutex_lock(&r->second_lock);
	s = atomic_load_explicit(&ru->jit, memory_order_relaxed);
	if (s == WN_JIT_UNTRIED) {
		s = pcre2_jit_compile(ru->re, PCRE2_JIT_COMPLETE) ? WN_JIT_NONE : WN_JIT_READY;
		atomic_store_explicit(&ru->jit, s, memory_order_release);
	}
	pthread_mutex_unlock(&r->second_lock);
	return s == WN_JIT_READY;
}

static void scan_by_add(winnow_rules *r, size_t b, uint32_t id)
{
	if (r->nscan_by[b] == r->scan_by_cap[b]) {
		r->scan_by_cap[b] = r->scan_by_cap[b] ? r->scan_by_cap[b] * 2 : 8;
		r->scan_by[b] = wn_xrealloc(r->scan_by[b],
					    r->scan_by_cap[b] * sizeof(wn_scan_ent));
	}
	const wn_rule *ru = &r->v[id];
	wn_scan_ent *e = &r->scan_by[b][r->nscan_by[b]++];
	e->id = id;
	e->lang = ru->lang;
	e->max_chars = ru->match == WN_M_REGEX && ru->max_chars < UINT32_MAX
		       ? (uint32_t)ru->max_chars : UINT32_MAX;
	e->head_len = ru->match == WN_M_REGEX ? ru->head_len : 0;
	memcpy(e->head, ru->head, sizeof e->head);
	/* a head of two bytes or more turns keys away sooner */
	e->lit_len = ru->match == WN_M_REGEX && e->head_len < 2 ? ru->lit_len : 0;
	memcpy(e->lit, ru->lit, sizeof e->lit);
	e->need = ru->match == WN_M_REGEX ? ru->need : 0;
	atomic_store(&e->second[0], ~(uint64_t)0);
	atomic_store(&e->second[1], ~(uint64_t)0);
	atomic_store(&r->second_ready[b][0], 0); /* the list is refilled */
	atomic_store(&r->second_ready[b][1], 0);
}

/* The filter bit of a key's (or a pattern's) first two bytes. */
static size_t pair_of(const char *s, size_t n)
{
	unsigned k0 = n > 0 ? (uint8_t)s[0] : 0, k1 = n > 1 ? (uint8_t)s[1] : 0;
	return k0 << 8 | k1;
}

static bool pair_bit(const uint64_t *bits, size_t i)
{
	return bits[i >> 6] >> (i & 63) & 1;
}

static size_t quad_hash(const char *s)
{
	uint32_t v;
	memcpy(&v, s, 4);
	return (size_t)((v * 0x9e3779b1u) >> 16);
}

/* Do four bytes in a row of s[0..n) have their bit set? */
static bool any_quad(const uint64_t *bits, const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (pair_bit(bits, quad_hash(s + i)))
			return true;
	return false;
}

/* Whether key (klen bytes) may hold a contains pattern of four bytes or
 * more where it could match: four bytes that end a pattern, anywhere for one that ends
 * otherwise, and for one that ends in an ASCII letter or digit only
 * before the key's end or a byte that is not one (a word's end; a byte
 * past ASCII may start a letter, and is let through).  Sixteen such ends
 * at a time in SSE2. */
static bool contains_gate(const winnow_rules *r, const char *key, size_t klen)
{
	if (r->contains_any && any_quad(r->contains4, key, klen))
		return true;
	if (!r->contains_end || klen < 4)
		return false;
	if (pair_bit(r->contains4_end, quad_hash(key + klen - 4)))
		return true;
	size_t i = 0; /* four bytes at i, followed by key[i + 4] */
#ifdef __SSE2__
	for (; i + 4 + 16 <= klen; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(key + i + 4));
		unsigned ends = ~wn_ascii_alnum_mask(v) & 0xFFFFu;
		for (; ends; ends &= ends - 1)
			if (pair_bit(r->contains4_end,
				     quad_hash(key + i + (unsigned)__builtin_ctz(ends))))
				return true;
	}
#endif
	for (; i + 4 < klen; i++)
		if (!wn_ascii_alnum((uint8_t)key[i + 4]) &&
		    pair_bit(r->contains4_end, quad_hash(key + i)))
			return true;
	return false;
}

/* The length mask of pair k; with 256 slots and at most 65536 pairs the
 * table may fill: then every pair shares the last slot's "any". */
static uint64_t *pair_lens_slot(winnow_rules *r, size_t k)
{
	for (size_t n = 0, i = (k * 40503u >> 8) & 255; n < 255; n++, i = (i + 1) & 255)
		if (!r->pair_lens[i] || r->pair_key[i] == k) {
			r->pair_key[i] = (uint16_t)k;
			return &r->pair_lens[i];
		}
	return &r->pair_len_any; /* full: these lengths go for every key */
}

static uint64_t pair_lens_find(const winnow_rules *r, size_t k)
{
	for (size_t n = 0, i = (k * 40503u >> 8) & 255; n < 255; n++, i = (i + 1) & 255) {
		if (!r->pair_lens[i])
			return 0;
		if (r->pair_key[i] == k)
			return r->pair_lens[i];
	}
	return 0;
}

/* Marks what pattern s[0..n) could match: its own pair, and for a prefix
 * shorter than two bytes every pair it begins. */
static void set_pair_bits(uint64_t *bits, const char *s, size_t n, bool prefix)
{
	size_t lo = pair_of(s, n), hi = lo;
	if (prefix && n == 0)
		lo = 0, hi = 0xFFFF;
	else if (prefix && n == 1)
		hi = lo | 0xFF;
	for (size_t i = lo; i <= hi; i++)
		bits[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Makes the rule just filled in (index r->n) findable. */
static void index_rule(winnow_rules *r)
{
	long id = (long)r->n;
	wn_rule *ru = &r->v[id];
	if (ru->match >= WN_M_TAG) {
		r->structural = wn_xrealloc(r->structural,
					    (r->nstructural + 1) * sizeof(size_t));
		r->structural[r->nstructural++] = (size_t)id;
	} else if (ru->match == WN_M_EXACT || ru->match == WN_M_PREFIX) {
		long head = map_find(r, ru->match, ru->site, ru->pattern, ru->plen);
		if (head >= 0) { /* append: load order decides among equals */
			while (r->next_same[head] >= 0)
				head = r->next_same[head];
			r->next_same[head] = id;
		} else {
			map_put(r, id);
		}
		if (ru->match == WN_M_PREFIX) {
			add_prefix_len(r, ru->plen);
			uint64_t bit = ru->plen >= 64 ? (uint64_t)1 << 63
				       : ru->plen ? (uint64_t)1 << (ru->plen - 1) : 0;
			if (ru->plen < 2)
				r->pair_len_any |= ru->plen ? bit : (uint64_t)1 << 63;
			else
				*pair_lens_slot(r, pair_of(ru->pattern, ru->plen)) |= bit;
		}
		set_pair_bits(ru->match == WN_M_EXACT ? r->exact2 : r->prefix2,
			      ru->pattern, ru->plen, ru->match == WN_M_PREFIX);
	} else if (ru->match == WN_M_CONTAINS) {
		if (ru->plen < 4) {
			if (r->ncontains_few == r->contains_few_cap) {
				r->contains_few_cap = r->contains_few_cap ? 2 * r->contains_few_cap : 8;
				r->contains_few = wn_xrealloc(r->contains_few,
							      r->contains_few_cap * sizeof(size_t));
			}
			r->contains_few[r->ncontains_few++] = (size_t)id;
		} else {
			size_t h = quad_hash(ru->pattern + ru->plen - 4);
			bool end = wn_ascii_alnum((uint8_t)ru->pattern[ru->plen - 1]);
			(end ? r->contains4_end : r->contains4)[h >> 6] |=
				(uint64_t)1 << (h & 63);
			r->contains_end |= end;
			r->contains_any |= !end;
			if (!r->contains_by_end) /* untouched slots stay unmapped */
				r->contains_by_end = wn_xcalloc(65536, sizeof(long));
			r->next_same[id] = r->contains_by_end[h] - 1;
			r->contains_by_end[h] = id + 1;
		}
	} else {
		if (r->nscan == r->scan_cap) {
			r->scan_cap = r->scan_cap ? r->scan_cap * 2 : 32;
			r->scan = wn_xrealloc(r->scan, r->scan_cap * sizeof(size_t));
		}
		r->scan[r->nscan++] = (size_t)id;
		bool any = !ru->have_first;
		for (size_t b = 0; b < 256; b++)
			if (any || (ru->first[b >> 3] & (1u << (b & 7))))
				scan_by_add(r, b, (uint32_t)id);
	}
	r->n++;
}

/* ---- parsing --------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next white-space-separated word of [*p, end). */
static bool next_word(const char **p, const char *end, const char **w,
		      size_t *n)
{
	const char *s = *p;
	while (s < end && is_space(*s))
		s++;
	const char *e = s;
	while (e < end && !is_space(*e))
		e++;
	*w = s;
	*n = (size_t)(e - s);
	*p = e;
	return e > s;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(w, lit, n);
}

static int parse_scope(const char *w, size_t n, wn_rule *ru)
{
	const char *num;
	if (n > 5 && !memcmp(w, "head:", 5)) {
		ru->scope = WN_SC_HEAD;
		num = w + 5;
	} else if (n > 5 && !memcmp(w, "tail:", 5)) {
		ru->scope = WN_SC_TAIL;
		num = w + 5;
	} else {
		return 0; /* not a scope */
	}
	size_t v = 0;
	for (const char *c = num; c < w + n; c++) {
		if (*c < '0' || *c > '9' || v > 1000000)
			return -1;
		v = v * 10 + (size_t)(*c - '0');
	}
	if (v == 0 || v > 10000000)
		return -1;
	ru->scope_n = v;
	return 1;
}

/* PCRE2 makes no start set for a pattern that begins with a Unicode
 * class (\d, \w, \s under UCP): "^\d+ comments?$" met every key.  The
 * same pattern without UCP does get one, and the two agree on ASCII (UCP
 * only adds characters beyond it, whose UTF-8 starts with a byte of 0x80
 * or more): that set plus every non-ASCII byte is a sound filter. */
static void anchored_first_ascii(wn_rule *ru, const char *pat, size_t n)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, n,
				       PCRE2_UTF | PCRE2_CASELESS | PCRE2_NO_UTF_CHECK,
				       &code, &off, NULL);
	if (!re)
		return;
	uint32_t opts = 0;
	const uint8_t *bitmap = NULL;
	pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap);
	if ((opts & PCRE2_ANCHORED) && bitmap) {
		memcpy(ru->first, bitmap, sizeof ru->first);
		memset(ru->first + 16, 0xff, 16); /* bytes 0x80-0xFF */
		ru->have_first = true;
	}
	pcre2_code_free(re);
}

/* ---- the longest match of a regex -------------------------------------
 * A reading of the PCRE2 syntax the rules use, for one number: the most
 * characters (code points) a match can span.  Literals, '.', classes
 * and one-character escapes count one; anchors, \b and lookarounds
 * none; groups and alternations as their parts; quantifiers multiply.
 * Whatever it does not know (backreferences, \Q, \X, \R, verbs,
 * recursion, an x option) makes the answer SPAN_INF: a rule it cannot
 * bound is matched as before. */
#define SPAN_INF SIZE_MAX

typedef struct span_rd {
	const char *p, *end;
	bool bad;
} span_rd;

static size_t span_add(size_t a, size_t b)
{
	return a == SPAN_INF || b == SPAN_INF || a + b < a ? SPAN_INF : a + b;
}

static size_t span_mul(size_t a, size_t k)
{
	if (!a || !k)
		return 0;
	return a == SPAN_INF || k == SPAN_INF || a > SPAN_INF / k ? SPAN_INF : a * k;
}

static size_t span_alt(span_rd *rd);

/* n from the digits at rd->p (at most 65535, PCRE2's limit). */
static bool span_num(span_rd *rd, size_t *n)
{
	const char *s = rd->p;
	size_t v = 0;
	while (rd->p < rd->end && *rd->p >= '0' && *rd->p <= '9' && v <= 65535)
		v = v * 10 + (size_t)(*rd->p++ - '0');
	*n = v;
	return rd->p > s && v <= 65535;
}

/* The quantifier at rd->p, if any, as the most repeats (SPAN_INF for no
 * bound); 1 when there is none. */
static size_t span_quant(span_rd *rd)
{
	size_t hi = 1;
	if (rd->p >= rd->end)
		return 1;
	char c = *rd->p;
	if (c == '?') {
		rd->p++;
	} else if (c == '*' || c == '+') {
		rd->p++;
		hi = SPAN_INF;
	} else if (c == '{') {
		/* {n} {n,} {n,m}; anything else (a literal '{' to PCRE2) is
		 * left to the caller, which gives up */
		rd->p++;
		size_t lo;
		if (!span_num(rd, &lo)) {
			rd->bad = true;
			return SPAN_INF;
		}
		hi = lo;
		if (rd->p < rd->end && *rd->p == ',') {
			rd->p++;
			if (rd->p < rd->end && *rd->p == '}')
				hi = SPAN_INF;
			else if (!span_num(rd, &hi))
				rd->bad = true;
		}
		if (rd->p >= rd->end || *rd->p != '}') {
			rd->bad = true;
			return SPAN_INF;
		}
		rd->p++;
	} else {
		return 1;
	}
	if (rd->p < rd->end && (*rd->p == '+' || *rd->p == '?'))
		rd->p++; /* possessive or lazy: the same bound */
	return hi;
}

/* A class "[...]" at rd->p (past '['): skipped, one character. */
static void span_class(span_rd *rd)
{
	if (rd->p < rd->end && *rd->p == '^')
		rd->p++;
	if (rd->p < rd->end && *rd->p == ']')
		rd->p++;
	while (rd->p < rd->end && *rd->p != ']') {
		if (*rd->p == '\\') {
			if (rd->end - rd->p < 2) {
				rd->bad = true;
				return;
			}
			rd->p += 2;
		} else if (*rd->p == '[' && rd->p + 1 < rd->end && rd->p[1] == ':') {
			const char *e = rd->p + 2;
			while (e + 1 < rd->end && !(e[0] == ':' && e[1] == ']'))
				e++;
			if (e + 1 >= rd->end) { /* no ":]": not what PCRE2 compiled */
				rd->bad = true;
				return;
			}
			rd->p = e + 2;
		} else {
			rd->p++;
		}
	}
	if (rd->p >= rd->end)
		rd->bad = true;
	else
		rd->p++;
}

/* One atom's span: rd->p at its first byte. */
static size_t span_atom(span_rd *rd)
{
	char c = *rd->p++;
	switch (c) {
	case '^': case '$':
		return 0;
	case '.':
		return 1;
	case '[':
		span_class(rd);
		return 1;
	case '\\': {
		if (rd->p >= rd->end) {
			rd->bad = true;
			return 0;
		}
		char e = *rd->p++;
		if (e && strchr("bBAzZGK", e))
			return 0;
		if (strchr("dDsSwWhHvVN", e))
			return 1;
		if (e == 'p' || e == 'P' || e == 'x' || e == 'o') {
			if (rd->p < rd->end && *rd->p == '{') {
				while (rd->p < rd->end && *rd->p != '}')
					rd->p++;
				if (rd->p >= rd->end)
					rd->bad = true;
				else
					rd->p++;
			} else if (e == 'x') { /* \xhh */
				for (int k = 0; k < 2 && rd->p < rd->end &&
						strchr("0123456789abcdefABCDEF", *rd->p) && *rd->p; k++)
					rd->p++;
			} else if (e != 'o') { /* \pL */
				rd->p++;
			} else {
				rd->bad = true;
			}
			return 1;
		}
		/* punctuation and the usual control escapes stand for one
		 * character; letters and digits beyond those, for who knows */
		if (!wn_ascii_alnum((uint8_t)e) || strchr("ntrfae0", e))
			return 1;
		rd->bad = true;
		return SPAN_INF;
	}
	case '(': {
		bool zero = false;
		if (rd->p < rd->end && *rd->p == '*') {
			rd->bad = true;
			return SPAN_INF;
		}
		if (rd->p < rd->end && *rd->p == '?') {
			rd->p++;
			if (rd->p < rd->end && (*rd->p == ':' || *rd->p == '>')) {
				rd->p++;
			} else if (rd->p < rd->end && (*rd->p == '=' || *rd->p == '!')) {
				rd->p++;
				zero = true;
			} else if (rd->p + 1 < rd->end && *rd->p == '<' &&
				   (rd->p[1] == '=' || rd->p[1] == '!')) {
				rd->p += 2;
				zero = true;
			} else {
				/* option letters: "(?i)" sets them to the group's
				 * end, "(?i:...)" is a group; an x would make white
				 * space and '#' mean something else, an m would let
				 * '$' match before any newline */
				const char *s = rd->p;
				while (rd->p < rd->end && *rd->p && strchr("isnU-", *rd->p))
					rd->p++;
				if (rd->p == s || rd->p >= rd->end) {
					rd->bad = true;
					return SPAN_INF;
				}
				if (*rd->p == ')') {
					rd->p++;
					return 0;
				}
				if (*rd->p != ':') {
					rd->bad = true;
					return SPAN_INF;
				}
				rd->p++;
			}
		}
		size_t v = span_alt(rd);
		if (rd->p >= rd->end || *rd->p != ')') {
			rd->bad = true;
			return SPAN_INF;
		}
		rd->p++;
		return zero ? 0 : v;
	}
	case '*': case '+': case '?': case '{': case ')': case '|':
		rd->bad = true; /* a quantifier with nothing before it */
		return SPAN_INF;
	default:
		/* one character, however many bytes its UTF-8 has */
		while (rd->p < rd->end && ((unsigned char)*rd->p & 0xC0) == 0x80)
			rd->p++;
		return 1;
	}
}

/* A sequence up to '|', ')' or the end. */
static size_t span_seq(span_rd *rd)
{
	size_t v = 0;
	while (!rd->bad && rd->p < rd->end && *rd->p != '|' && *rd->p != ')') {
		size_t a = span_atom(rd);
		if (rd->bad)
			break;
		v = span_add(v, span_mul(a, span_quant(rd)));
	}
	return v;
}

static size_t span_alt(span_rd *rd)
{
	size_t v = span_seq(rd);
	while (!rd->bad && rd->p < rd->end && *rd->p == '|') {
		rd->p++;
		size_t w = span_seq(rd);
		v = w > v ? w : v;
	}
	return v;
}

/* The bound of ru->max_chars for pattern pat (see wn_rule), which has no
 * alternation at its top level. */
static size_t span_max(const char *pat, size_t n)
{
	/* "^...$": ends with a '$' that no odd run of backslashes escapes */
	size_t bs = 0;
	while (bs + 2 <= n && pat[n - 2 - bs] == '\\')
		bs++;
	if (n < 2 || pat[0] != '^' || pat[n - 1] != '$' || bs % 2)
		return SPAN_INF;
	span_rd rd = {pat, pat + n, false};
	size_t v = span_alt(&rd);
	if (rd.bad || rd.p != rd.end || v > SPAN_INF / 8)
		return SPAN_INF; /* unknown, or too big to matter */
	return v + 1;
}

/* The index of the ']' that closes the class opening at pat[i] (a ']'
 * right after "[" or "[^" is a member), or SIZE_MAX for a class left
 * open or holding a POSIX class (not worth the reading). */
static size_t class_end(const char *pat, size_t n, size_t i)
{
	size_t j = i + 1;
	if (j < n && pat[j] == '^')
		j++;
	if (j < n && pat[j] == ']')
		j++;
	for (; j < n && pat[j] != ']'; j++)
		if (pat[j] == '\\')
			j++;
		else if (pat[j] == '[' && j + 1 < n && pat[j + 1] == ':')
			return SIZE_MAX;
	return j < n ? j : SIZE_MAX;
}

/* Whether pattern pat is one sequence: no alternation at its top level
 * ("^ab|cd" does not start with "ab"), read with escapes in pairs and
 * classes skipped, and without \Q (which would quote the rest), \E or a
 * (?# comment (which PCRE2 skips, so "^ab\E?c" and "^ab(?#x)?c" do not
 * start with "ab") or a POSIX class: in doubt, not. */
static bool one_sequence(const char *pat, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		char c = pat[i];
		if (c == '\\') {
			/* \Q quotes, and PCRE2 skips a stray \E, so that a
			 * quantifier after it applies to the letter before */
			if (i + 1 < n && (pat[i + 1] == 'Q' || pat[i + 1] == 'E'))
				return false;
			i++;
		} else if (c == '(' && i + 2 < n && pat[i + 1] == '?' && pat[i + 2] == '#') {
			return false; /* a comment: its brackets and bars mean nothing */
		} else if (c == '[') {
			size_t j = class_end(pat, n, i);
			if (j == SIZE_MAX)
				return false;
			i = j;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			depth--;
		} else if (c == '|' && depth <= 0) {
			return false;
		}
	}
	return true;
}

/* The index of the ')' that closes the group opening at pat[i], or
 * SIZE_MAX for one left open. */
static size_t group_end(const char *pat, size_t n, size_t i)
{
	int depth = 0;
	for (size_t j = i; j < n; j++) {
		if (pat[j] == '\\') {
			j++;
		} else if (pat[j] == '[') {
			j = class_end(pat, n, j);
			if (j == SIZE_MAX)
				return SIZE_MAX;
		} else if (pat[j] == '(') {
			depth++;
		} else if (pat[j] == ')' && --depth == 0) {
			return j;
		}
	}
	return SIZE_MAX;
}

/* Keeps the longest stretch of run[0..rl) without an s or a k (the
 * ASCII letters with a non-ASCII case mate: U+017F, U+212A) in ru->lit,
 * up to WN_REGEX_HEAD bytes (a part of a required literal is one too). */
static void lit_consider(wn_rule *ru, const char *run, size_t rl)
{
	size_t a = 0;
	for (size_t i = 0; i <= rl; i++) {
		if (i < rl && run[i] != 's' && run[i] != 'k')
			continue;
		size_t len = i - a;
		if (len > WN_REGEX_HEAD)
			len = WN_REGEX_HEAD;
		if (len >= 3 && len > ru->lit_len) {
			memcpy(ru->lit, run + a, len);
			ru->lit_len = (uint8_t)len;
		}
		a = i + 1;
	}
}

/* The literal every match of pat (one_sequence) holds: runs of ASCII
 * letters, digits and spaces at the top level, each ended by anything
 * else; a quantifier takes the character before it out of its run
 * ("assinantes?" holds "assinante").  Groups, classes and escapes end a
 * run and are skipped whole.  Letters are compared without case, as the
 * rules compile; an inline option ("(?x)" makes spaces mean nothing,
 * "(?-i)"), a verb ("(*ACCEPT)") or an escape that may take an argument
 * leaves the rule without a literal (a reviewer's finds). */
static void required_literal(wn_rule *ru, const char *pat, size_t n)
{
	ru->lit_len = 0;
	ru->need = 0;
	/* "(*ACCEPT)" ends a match anywhere, and the other verbs and the
	 * options are no better: no literal */
	for (size_t i = 0; i + 1 < n; i++)
		if (pat[i] == '(' && (pat[i + 1] == '*' ||
				      (pat[i + 1] == '?' && (i + 2 >= n || pat[i + 2] != ':'))))
			return;
	char run[256];
	size_t rl = 0;
	for (size_t i = 0; i < n;) {
		char c = pat[i];
		if (c == '(' || c == '[') {
			size_t j = c == '(' ? group_end(pat, n, i) : class_end(pat, n, i);
			if (j == SIZE_MAX) {
				ru->lit_len = 0;
				ru->need = 0;
				return;
			}
			lit_consider(ru, run, rl);
			rl = 0;
			i = j + 1;
			continue;
		}
		if (c == '\\') {
			/* an escaped punctuation mark, or a class or assertion of
			 * one letter, is one atom; any other letter or a digit
			 * may take what follows as its argument (\x41, \pL, \012,
			 * \g1, \cX, \N{...}): in doubt, no literal */
			char e = i + 1 < n ? pat[i + 1] : '\0';
			if (!e || (wn_ascii_alnum((uint8_t)e) &&
				   !strchr("dDsSwWbBhHvVAzZGntrfeaRXK", e))) {
				ru->lit_len = 0;
				ru->need = 0;
				return;
			}
			lit_consider(ru, run, rl);
			rl = 0;
			i += 2;
			continue;
		}
		if (c == '?' || c == '*' || c == '+' || c == '{') {
			if (rl)
				rl--; /* the character the quantifier takes */
			lit_consider(ru, run, rl);
			rl = 0;
			if (c == '{')
				while (i < n && pat[i] != '}')
					i++;
			i++;
			continue;
		}
		/* a plain punctuation mark, not made optional by what follows
		 * (a '+' keeps it) */
		if (!ru->need && strchr(":;,@%&=~/<>!'\"-_", c) && c &&
		    !(i + 1 < n && strchr("?*{", pat[i + 1])))
			ru->need = c;
		char l = c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
		bool keep = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == ' ';
		if (keep && rl < sizeof run) {
			run[rl++] = l;
		} else {
			lit_consider(ru, run, rl);
			rl = 0;
		}
		i++;
	}
	lit_consider(ru, run, rl);
}

/* Fills the filters of a regex rule (wn_rule: head, lit, max_chars) from
 * its pattern pat, for a pattern that is one sequence: the literal
 * (required_literal); the head: after a leading '^', the letters, digits
 * and spaces up to the first other character or the first one a
 * quantifier follows; the bound, for a ^...$ pattern, from span_max. */
static void regex_filters(wn_rule *ru, const char *pat, size_t n)
{
	ru->head_len = 0;
	ru->lit_len = 0;
	ru->need = 0;
	ru->max_chars = SPAN_INF;
	if (!n || !one_sequence(pat, n))
		return;
	required_literal(ru, pat, n);
	if (n < 2 || pat[0] != '^')
		return;
	ru->max_chars = span_max(pat, n);
	size_t k = 0;
	for (size_t i = 1; i < n && k < WN_REGEX_HEAD; i++) {
		char c = pat[i];
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!letter && !(c >= '0' && c <= '9') && c != ' ')
			break;
		if (i + 1 < n && strchr("?*+{", pat[i + 1]))
			break;
		ru->head[k++] = letter ? (char)(c | 0x20) : c;
	}
	ru->head_len = (uint8_t)k;
}

/* Whether pattern pat has none of what could make a partial match of a
 * key's first bytes say "no" where a longer key says "yes": lookarounds
 * and named groups ("(?=", "(?!", "(?<"), conditionals, backreferences
 * (\1-\9, \g, \k), \K, \X, \R and verbs ("(*").  Read without
 * pairing escapes, so "\\g" is refused too: refusing costs only a
 * filter. */
static bool prefix_plain(const char *pat, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		char c = pat[i], d = pat[i + 1];
		if (c == '(' && (d == '*' || (d == '?' && i + 2 < n && pat[i + 2] != ':')))
			return false;
		if (c == '\\' && ((d >= '1' && d <= '9') || strchr("gkKXR", d)))
			return false;
	}
	return true;
}

static int compile_regex(winnow_rules *r, wn_rule *ru, const char *pat,
			 size_t n, winnow_error *err)
{
	int code;
	PCRE2_SIZE off;
	ru->re = pcre2_compile((PCRE2_SPTR)pat, n,
			       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
				       PCRE2_NO_UTF_CHECK,
			       &code, &off, NULL);
	if (!ru->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		/* PCRE2 counts bytes; a person counts characters */
		size_t chars = 0;
		for (size_t i = 0; i < off && i < n; i++)
			chars += ((unsigned char)pat[i] & 0xC0) != 0x80;
		return wn_fail(err, WINNOW_ERR_RULES, ru->file, ru->line,
			    "bad regex at offset %zu: %s", chars, (char *)msg);
	}
	/* JIT is an optimisation only, made when first needed (rule_jit):
	 * interpretation is the fallback, and a trial set, which never
	 * matches, skips it */
	atomic_init(&ru->jit, r->trial ? WN_JIT_NONE : WN_JIT_UNTRIED);
	uint32_t opts = 0, type = 0, unit = 0;
	const uint8_t *bitmap = NULL;
	pcre2_pattern_info(ru->re, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(ru->re, PCRE2_INFO_FIRSTCODETYPE, &type);
	pcre2_pattern_info(ru->re, PCRE2_INFO_FIRSTBITMAP, &bitmap);
	ru->prefix_testable = (opts & PCRE2_ANCHORED) && prefix_plain(pat, n);
	if (opts & PCRE2_ANCHORED) {
		if (bitmap) {
			memcpy(ru->first, bitmap, sizeof ru->first);
			ru->have_first = true;
		} else if (type == 1 &&
			   !pcre2_pattern_info(ru->re, PCRE2_INFO_FIRSTCODEUNIT, &unit) &&
			   unit < 256) {
			/* caseless: both cases of an ASCII letter */
			memset(ru->first, 0, sizeof ru->first);
			ru->first[unit >> 3] |= (uint8_t)(1u << (unit & 7));
			if (unit < 128 && ((unit | 32) >= 'a' && (unit | 32) <= 'z')) {
				uint32_t o = unit ^ 32;
				ru->first[o >> 3] |= (uint8_t)(1u << (o & 7));
			}
			ru->have_first = true;
		} else {
			anchored_first_ascii(ru, pat, n);
		}
	}
	regex_filters(ru, pat, n);
	(void)r;
	return 0;
}

/* A name or token of a structural rule: letters, digits, - _ : . only. */
static bool name_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == ':' || c == '.'))
			return false;
	}
	return true;
}

static char *lower_dup(const char *s, size_t n, bool drop_space)
{
	char *o = wn_xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (drop_space && is_space(c))
			continue;
		o[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	o[k] = '\0';
	return o;
}

/* A structural rule that does not parse: its strings go (the rule is
 * never indexed, and the next one reuses its slot), then the error. */
static int structural_fail(wn_rule *ru, winnow_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int structural_fail(wn_rule *ru, winnow_error *err, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	free(ru->pattern);
	free(ru->value);
	ru->pattern = ru->value = NULL;
	return wn_fail(err, WINNOW_ERR_RULES, ru->file, ru->line, "%s", msg);
}

/* tag NAME | class TOKEN[*] | attr NAME[=VALUE|~VALUE]: names are matched
 * in lower case; an attr value with its white space removed. */
static int parse_structural(wn_rule *ru, const char *p, const char *end,
			    winnow_error *err)
{
	size_t n = (size_t)(end - p);
	const char *op = NULL;
	if (ru->match == WN_M_ATTR)
		for (const char *c = p; c < end && !op; c++)
			if (*c == '=' || *c == '~')
				op = c;
	size_t nl = op ? (size_t)(op - p) : n;
	while (nl && is_space(p[nl - 1]))
		nl--;
	ru->pattern = lower_dup(p, nl, false);
	ru->plen = nl;
	if (ru->match == WN_M_CLASS && nl > 1 && ru->pattern[nl - 1] == '*') {
		ru->star = true;
		ru->pattern[--ru->plen] = '\0';
	}
	if (!name_ok(ru->pattern, ru->plen))
		return structural_fail(ru, err,
			    "bad %s '%.*s' (letters, digits, - _ : . only%s)",
			    ru->match == WN_M_TAG ? "tag name"
			    : ru->match == WN_M_CLASS ? "class token"
			    : "attribute name", (int)(n > 40 ? 40 : n), p,
			    ru->match == WN_M_CLASS ? ", and a final *" : "");
	if (op) {
		ru->attr_op = *op;
		ru->value = lower_dup(op + 1, (size_t)(end - op - 1), true);
		if (!ru->value[0])
			return structural_fail(ru, err, "missing value after '%c'", *op);
	}
	return 0;
}

static int parse_rule(winnow_rules *r, const char *file, size_t lineno,
		      size_t site, uint32_t lang, const char *p, const char *end,
		      wn_buf *key, winnow_error *err)
{
	const char *w;
	size_t n;
	wn_rule *ru = push_rule(r);
	ru->file = file;
	ru->line = lineno;
	ru->site = site;
	ru->lang = lang;

	next_word(&p, end, &w, &n);
	if (word_is(w, n, "drop"))
		ru->action = WN_ACT_DROP;
	else if (word_is(w, n, "cut"))
		ru->action = WN_ACT_CUT;
	else if (word_is(w, n, "keep"))
		ru->action = WN_ACT_KEEP;
	else if (word_is(w, n, "omit"))
		ru->action = WN_ACT_OMIT;
	else if (word_is(w, n, "aside"))
		ru->action = WN_ACT_ASIDE;
	else if (word_is(w, n, "chrome"))
		ru->action = WN_ACT_CHROME;
	else if (word_is(w, n, "content"))
		ru->action = WN_ACT_CONTENT;
	else if (word_is(w, n, "comments"))
		ru->action = WN_ACT_COMMENTS;
	else if (word_is(w, n, "era"))
		ru->action = WN_ACT_ERA;
	else
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "unknown action '%.*s' (expected drop, cut, keep, "
			    "omit, aside, chrome, content, comments or era)",
			    (int)(n > 40 ? 40 : n), w);

	if (!next_word(&p, end, &w, &n))
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "missing match kind after the action");
	int sc = parse_scope(w, n, ru);
	if (sc < 0)
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "bad scope '%.*s' (expected head:N or tail:N, N from 1 to 10000000)",
			    (int)(n > 40 ? 40 : n), w);
	if (sc > 0 && !next_word(&p, end, &w, &n))
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "missing match kind after the scope");
	if (word_is(w, n, "exact"))
		ru->match = WN_M_EXACT;
	else if (word_is(w, n, "prefix"))
		ru->match = WN_M_PREFIX;
	else if (word_is(w, n, "contains"))
		ru->match = WN_M_CONTAINS;
	else if (word_is(w, n, "regex"))
		ru->match = WN_M_REGEX;
	else if (word_is(w, n, "tag"))
		ru->match = WN_M_TAG;
	else if (word_is(w, n, "class"))
		ru->match = WN_M_CLASS;
	else if (word_is(w, n, "attr"))
		ru->match = WN_M_ATTR;
	else
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "unknown match kind '%.*s' (expected exact, prefix, "
			    "contains, regex, tag, class or attr)",
			    (int)(n > 40 ? 40 : n), w);
	bool structural = ru->match >= WN_M_TAG;
	if (structural && site != WN_SITE_ANY) /* html.c does not know sites */
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "a tag, class or attr rule cannot be scoped to a site");
	if (structural && lang != WN_LANG_EVERY) /* nor the language yet */
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "a tag, class or attr rule cannot be scoped to a language");
	if (structural && (ru->action == WN_ACT_OMIT || ru->action == WN_ACT_ASIDE))
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "%s needs a text match (exact, prefix, contains or regex)",
			    ru->action == WN_ACT_OMIT ? "omit" : "aside");
	if (structural && (ru->action == WN_ACT_CUT || sc > 0))
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "%s", ru->action == WN_ACT_CUT
			    ? "cut needs a text match (exact, prefix, contains or regex)"
			    : "a tag, class or attr rule takes no head: or tail: scope");
	if (!structural && ru->action >= WN_ACT_CHROME)
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "chrome, content, comments and era take a tag, class "
			    "or attr match");

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (p == end)
		return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
			    "missing pattern");
	if (structural) {
		/* its pattern holds no " #": the rest is a comment */
		for (const char *c = p; c + 1 < end; c++)
			if (is_space(*c) && c[1] == '#') {
				end = c;
				break;
			}
		while (end > p && is_space(end[-1]))
			end--;
		if (parse_structural(ru, p, end, err))
			return -1;
	} else if (ru->match == WN_M_REGEX) {
		if (compile_regex(r, ru, p, (size_t)(end - p), err))
			return -1;
		ru->pattern = wn_xstrndup(p, (size_t)(end - p));
		ru->plen = (size_t)(end - p);
	} else {
		wn_key(p, (size_t)(end - p), key);
		if (!key->len)
			return wn_fail(err, WINNOW_ERR_RULES, file, lineno,
				    "pattern is empty once normalized (only "
				    "punctuation or spaces)");
		ru->pattern = wn_xstrndup(key->data, key->len);
		ru->plen = key->len;
	}
	wn_buf where;
	wn_buf_init(&where);
	wn_buf_printf(&where, "%s:%zu", file, lineno);
	ru->where = wn_buf_steal(&where, NULL);
	index_rule(r);
	return 0;
}

/* Calls fn on each line of text; stops at the first failure. */
static int each_line(const char *name, const char *text, size_t len,
		     int (*fn)(void *ctx, size_t lineno, const char *p,
			       const char *end, winnow_error *err),
		     void *ctx, winnow_error *err)
{
	/* a line ends at LF, CR LF or a lone CR (old Mac files were read as
	 * one line, their rules run into one pattern, silently; a reviewer's
	 * find); an invalid byte or a NUL is reported with its line, before
	 * any line of the file is read */
	bool bad = !wn_utf8_valid(text, len), nul = memchr(text, '\0', len) != NULL;
	for (int pass = bad || nul ? 0 : 1; pass < 2; pass++) {
		size_t lineno = 0;
		const char *p = text, *end = text + len;
		if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
			p += 3; /* an editor's byte order mark is not part of line 1 */
		while (p < end) {
			const char *le = p;
			while (le < end && *le != '\n' && *le != '\r')
				le++;
			lineno++;
			/* the first line with either is named (a NUL before an
			 * invalid byte was reported at the invalid byte's) */
			if (pass == 0 && nul && memchr(p, '\0', (size_t)(le - p)))
				return wn_fail(err, WINNOW_ERR_RULES, name, lineno,
					    "contains a NUL byte (not a text file)");
			if (pass == 0 && bad && !wn_utf8_valid(p, (size_t)(le - p)))
				return wn_fail(err, WINNOW_ERR_RULES, name, lineno,
					    "invalid UTF-8");
			const char *s = p;
			while (s < le && is_space(*s))
				s++;
			if (pass == 1 && s < le && *s != '#' && fn(ctx, lineno, s, le, err))
				return -1;
			p = le < end && *le == '\r' && le + 1 < end && le[1] == '\n' ? le + 2
			    : le < end ? le + 1 : end;
		}
	}
	return 0;
}

typedef struct rule_ctx {
	winnow_rules *r;
	const char *file;
	size_t site;       /* the scope of the last "site" line */
	uint32_t lang;     /* the scope of the last "lang" line */
	wn_buf key;
} rule_ctx;

/* The one word (a what) after a scope line's keyword ("site", "lang"),
 * in *w and *n; a line without one, or with more, fails naming what may
 * follow (hint). */
static int scope_word(const rule_ctx *c, size_t lineno, const char *p,
		      const char *end, const char *keyword, const char *what,
		      const char *hint, const char **w, size_t *n,
		      winnow_error *err)
{
	const char *more;
	size_t m;
	if (!next_word(&p, end, w, n))
		return wn_fail(err, WINNOW_ERR_RULES, c->file, lineno,
			    "missing %s after '%s' (%s)", what, keyword, hint);
	if (next_word(&p, end, &more, &m))
		return wn_fail(err, WINNOW_ERR_RULES, c->file, lineno,
			    "a %s is one word, but '%.*s' follows '%.*s'", what,
			    (int)(m > 40 ? 40 : m), more, (int)(*n > 40 ? 40 : *n), *w);
	return 0;
}

/* ---- languages ------------------------------------------------------- */

/* The id of a language code (lower case), made when new. */
static uint32_t intern_lang(winnow_rules *r, const char *s, size_t n)
{
	for (size_t k = 0; k < r->nlangs; k++)
		if (!strncmp(r->langs[k], s, n) && !r->langs[k][n])
			return (uint32_t)(k + 1);
	r->langs = wn_xrealloc(r->langs, (r->nlangs + 1) * sizeof(char *));
	r->langs[r->nlangs++] = wn_xstrndup(s, n);
	return (uint32_t)r->nlangs;
}

size_t wn_rules_lang(const winnow_rules *r, const char *code)
{
	if (!code)
		return WN_LANG_UNKNOWN;
	/* codes are kept in lower case; a stoplist's name is its file's
	 * (stop/XX.txt) */
	for (size_t k = 0; k < r->nlangs; k++)
		if (!strcasecmp(r->langs[k], code))
			return k + 1;
	return WN_LANG_OTHER;
}

/* "lang CODE": the rules after it, up to the next lang line or the end
 * of the file, apply to the documents that the stoplist named CODE
 * detects (stop/CODE.txt) and to those whose language is not known;
 * "lang *" to every document again. */
static int parse_lang(rule_ctx *c, size_t lineno, const char *p,
		      const char *end, winnow_error *err)
{
	const char *w;
	size_t n;
	if (scope_word(c, lineno, p, end, "lang", "language",
		       "a stoplist's name such as de, or '*'", &w, &n, err))
		return -1;
	if (word_is(w, n, "*")) {
		c->lang = WN_LANG_EVERY;
		return 0;
	}
	char code[16];
	bool ok = n < sizeof code;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char ch = (unsigned char)w[i];
		ok = wn_ascii_alnum(ch) || ch == '-' || ch == '_';
		code[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	if (!ok)
		return wn_fail(err, WINNOW_ERR_RULES, c->file, lineno,
			    "bad language '%.*s%s' (letters, digits, - and _, "
			    "at most %zu, as a stoplist's name)",
			    (int)(n > 40 ? 40 : n), w, n > 40 ? "..." : "",
			    sizeof code - 1);
	c->lang = intern_lang(c->r, code, n);
	return 0;
}

/* ---- sites ----------------------------------------------------------- */

static size_t *site_slot(const winnow_rules *r, const char *s, size_t n)
{
	size_t mask = r->nsite_slots - 1;
	for (size_t i = wn_hash(s, n) & mask;; i = (i + 1) & mask) {
		size_t k = r->site_slots[i];
		if (!k || (!strncmp(r->sites[k - 1], s, n) && !r->sites[k - 1][n]))
			return &r->site_slots[i];
	}
}

static void site_grow(winnow_rules *r)
{
	free(r->site_slots);
	r->nsite_slots = r->nsite_slots ? r->nsite_slots * 2 : 64;
	r->site_slots = wn_xcalloc(r->nsite_slots, sizeof(size_t));
	for (size_t k = 0; k < r->nsites; k++)
		*site_slot(r, r->sites[k], strlen(r->sites[k])) = k + 1;
}

/* The id of a normalized site name, made when new. */
static size_t intern_site(winnow_rules *r, const char *s, size_t n)
{
	if ((r->nsites + 1) * 2 > r->nsite_slots)
		site_grow(r);
	size_t *slot = site_slot(r, s, n);
	if (!*slot) {
		r->sites = wn_xrealloc(r->sites, (r->nsites + 1) * sizeof(char *));
		r->sites[r->nsites++] = wn_xstrndup(s, n);
		*slot = r->nsites;
	}
	return 2 + *slot - 1;
}

size_t wn_rules_site(const winnow_rules *r, const char *name)
{
	wn_buf b;
	wn_buf_init(&b);
	size_t id = WN_SITE_NONE;
	if (name && wn_site_norm(name, strlen(name), &b)) {
		size_t k = r->nsite_slots ? *site_slot(r, b.data, b.len) : 0;
		id = k ? 2 + k - 1 : WN_SITE_UNKNOWN;
	}
	wn_buf_free(&b);
	return id;
}

/* "site NAME": the rules after it, up to the next site line or the end of
 * the file, apply to the documents of site NAME only; "site -" to the
 * documents without a site, "site *" to every document again. */
static int parse_site(rule_ctx *c, size_t lineno, const char *p,
		      const char *end, winnow_error *err)
{
	const char *w;
	size_t n;
	if (scope_word(c, lineno, p, end, "site", "site name",
		       "a host such as example.com, '-' or '*'", &w, &n, err))
		return -1;
	if (word_is(w, n, "*")) {
		c->site = WN_SITE_ANY;
		return 0;
	}
	if (word_is(w, n, "-")) {
		c->site = WN_SITE_NONE;
		return 0;
	}
	wn_buf b;
	wn_buf_init(&b);
	int rc = 0;
	if (wn_site_norm(w, n, &b))
		c->site = intern_site(c->r, b.data, b.len);
	else
		rc = wn_fail(err, WINNOW_ERR_RULES, c->file, lineno,
			     "bad site name '%.*s%s' (empty once normalized, or over %d bytes)",
			     (int)(n > 40 ? 40 : n), w, n > 40 ? "..." : "",
			     WN_SITE_MAX);
	wn_buf_free(&b);
	return rc;
}

static int rule_line(void *vctx, size_t lineno, const char *p,
		     const char *end, winnow_error *err)
{
	rule_ctx *c = vctx;
	const char *w, *q = p;
	size_t n;
	bool word = next_word(&q, end, &w, &n);
	if (word && word_is(w, n, "site"))
		return parse_site(c, lineno, q, end, err);
	if (word && word_is(w, n, "lang"))
		return parse_lang(c, lineno, q, end, err);
	return parse_rule(c->r, c->file, lineno, c->site, c->lang, p, end,
			  &c->key, err);
}

static int add_buffer(winnow_rules *r, const char *name, const char *text,
		      size_t len, winnow_error *err)
{
	rule_ctx c = {.r = r, .file = intern_file(r, name), .site = WN_SITE_ANY,
		      .lang = WN_LANG_EVERY};
	wn_buf_init(&c.key);
	int rc = each_line(name, text, len, rule_line, &c, err);
	wn_buf_free(&c.key);
	return rc;
}

/* Loading never depends on what r holds already, so text that loads
 * into an empty set loads into r: a failure leaves r as it was. */
int winnow_rules_add_buffer(winnow_rules *r, const char *name,
			    const char *text, size_t len, winnow_error *err)
{
	if (!name || (!text && len))
		return wn_fail(err, WINNOW_ERR_USAGE, NULL, 0, "%s",
			    !name ? "rules from memory need a name" : "no text (NULL)");
	if (!text)
		text = ""; /* (NULL, 0): no rules */
	winnow_rules *trial = winnow_rules_new();
	trial->trial = true;
	int rc = add_buffer(trial, name, text, len, err);
	winnow_rules_free(trial);
	return rc ? rc : add_buffer(r, name, text, len, err);
}

/* ---- stoplists ------------------------------------------------------- */

static uint32_t *stop_slot_h(const wn_stoplist *s, const char *w, size_t n,
			     uint64_t h)
{
	size_t mask = s->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t o = s->slots[i];
		if (!o)
			return &s->slots[i];
		const char *x = s->words.data + o - 1;
		if (x[0] == w[0] && !strncmp(x, w, n) && x[n] == '\0')
			return &s->slots[i];
	}
}

static uint32_t *stop_slot(const wn_stoplist *s, const char *w, size_t n)
{
	return stop_slot_h(s, w, n, wn_hash(w, n));
}

static void stop_grow(wn_stoplist *s)
{
	size_t old_n = s->nslots;
	uint32_t *old = s->slots;
	s->nslots = old_n ? old_n * 2 : 512;
	s->slots = wn_xcalloc(s->nslots, sizeof(uint32_t));
	for (size_t i = 0; i < old_n; i++) {
		if (!old[i])
			continue;
		const char *w = s->words.data + old[i] - 1;
		*stop_slot(s, w, strlen(w)) = old[i];
	}
	free(old);
}

static void stop_insert(wn_stoplist *s, const char *w, size_t n)
{
	if ((s->nwords + 1) * 2 > s->nslots)
		stop_grow(s);
	uint32_t *slot = stop_slot(s, w, n);
	if (*slot)
		return;
	*slot = (uint32_t)s->words.len + 1;
	wn_buf_add(&s->words, w, n);
	wn_buf_addc(&s->words, '\0');
	s->nwords++;
}

bool wn_stoplist_has(const wn_stoplist *s, const char *w, size_t n)
{
	if (!s->nslots)
		return false;
	return *stop_slot(s, w, n) != 0;
}

/* Language names are case-blind, as in "lang" lines: "--lang xx"
 * failed on stop/XX.txt (a reviewer's find). */
long wn_stoplist_find(const winnow_rules *r, const char *lang)
{
	for (size_t i = 0; i < r->nstops; i++)
		if (!strcasecmp(r->stops[i].lang, lang))
			return (long)i;
	return -1;
}

size_t wn_stoplist_count(const winnow_rules *r)
{
	return r->nstops;
}

const wn_stoplist *wn_stoplist_get(const winnow_rules *r, size_t i)
{
	return &r->stops[i];
}

static void build_stop_union(winnow_rules *r)
{
	wn_stoplist *u = &r->stop_union;
	stoplist_free(u);
	memset(u, 0, sizeof *u);
	r->union_max_len = 0;
	size_t total = 0;
	for (size_t i = 0; i < r->nstops; i++)
		total += r->stops[i].nwords;
	u->nslots = 64;
	while (u->nslots < 2 * (total + 1))
		u->nslots *= 2;
	u->slots = wn_xcalloc(u->nslots, sizeof(uint32_t));
	/* the lists of each slot's word, while the words are gathered */
	uint64_t *mask = wn_xcalloc(u->nslots, sizeof(uint64_t));
	for (size_t i = 0; i < r->nstops && i < 64; i++) {
		const wn_stoplist *s = &r->stops[i];
		const char *w = s->words.data;
		for (size_t k = 0; k < s->nwords; k++) {
			size_t n = strlen(w);
			if (n > r->union_max_len)
				r->union_max_len = n;
			uint32_t *slot = stop_slot(u, w, n);
			if (!*slot) {
				*slot = (uint32_t)u->words.len + 1;
				wn_buf_add(&u->words, w, n);
				wn_buf_addc(&u->words, '\0');
				u->nwords++;
			}
			mask[slot - u->slots] |= (uint64_t)1 << i;
			w += n + 1;
		}
	}
	free(r->union_tab);
	r->union_tab = wn_xcalloc(u->nslots, sizeof *r->union_tab);
	for (size_t k = 0; k < u->nslots; k++) {
		if (!u->slots[k])
			continue;
		const char *x = u->words.data + u->slots[k] - 1;
		size_t n = strlen(x);
		uint64_t h = wn_hash_fast(x, n);
		size_t j = h & (u->nslots - 1);
		while (r->union_tab[j].len)
			j = (j + 1) & (u->nslots - 1);
		r->union_tab[j] = (struct wn_stop_entry){h, mask[k], u->slots[k] - 1,
							 (uint32_t)n};
	}
	free(mask);
}

size_t wn_stoplist_max_len(const winnow_rules *r)
{
	return r->stop_union.nslots ? r->union_max_len : 0;
}

uint64_t wn_stoplist_mask(const winnow_rules *r, const char *w, size_t n,
			  const char *end)
{
	if (!n || n > wn_stoplist_max_len(r))
		return 0; /* no list has a word this long: no hash to compute */
	return wn_stoplist_mask_h(r, w, n, wn_hash_fast_in(w, n, end, 0));
}

uint64_t wn_stoplist_mask_h(const winnow_rules *r, const char *w, size_t n,
			    uint64_t h)
{
	const wn_stoplist *u = &r->stop_union;
	if (!n || !u->nslots || n > r->union_max_len)
		return 0;
	size_t m = u->nslots - 1;
	for (size_t i = h & m;; i = (i + 1) & m) {
		const struct wn_stop_entry *e = &r->union_tab[i];
		if (!e->len)
			return 0;
		/* wn_hash_fast is one-to-one on words of one length up to
		 * eight bytes (xor, odd multiply, xor-shift): the bytes need
		 * comparing only for longer ones */
		if (e->hash == h && e->len == n &&
		    (n <= 8 || !memcmp(u->words.data + e->off, w, n)))
			return e->mask;
	}
}

typedef struct stop_ctx {
	wn_stoplist *s;
	wn_buf key;
} stop_ctx;

static int stop_line(void *vctx, size_t lineno, const char *p,
		     const char *end, winnow_error *err)
{
	stop_ctx *c = vctx;
	wn_key(p, (size_t)(end - p), &c->key);
	if (c->key.len)
		stop_insert(c->s, c->key.data, c->key.len);
	(void)lineno;
	(void)err;
	return 0;
}

/* Adds a stoplist for the language named by the file ("stop/de.txt" ->
 * "de"); a second list for the same language adds its words. */
static int add_stoplist(winnow_rules *r, const char *name, const char *text,
			size_t len, winnow_error *err)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t n = strcspn(base, ".");
	if (n == 0 || n >= sizeof r->stops[0].lang)
		return wn_fail(err, WINNOW_ERR_RULES, name, 0,
			    "a stoplist is named LANG.txt (e.g. en.txt)");
	char lang[16];
	memcpy(lang, base, n);
	lang[n] = '\0';
	long id = wn_stoplist_find(r, lang);
	if (id < 0) {
		r->stops = wn_xrealloc(r->stops,
				       (r->nstops + 1) * sizeof(wn_stoplist));
		id = (long)r->nstops++;
		memset(&r->stops[id], 0, sizeof(wn_stoplist));
		memcpy(r->stops[id].lang, lang, n + 1);
	}
	stop_ctx c = {.s = &r->stops[id]};
	wn_buf_init(&c.key);
	int rc = each_line(name, text, len, stop_line, &c, err);
	wn_buf_free(&c.key);
	build_stop_union(r);
	return rc;
}

/* ---- files and directories ------------------------------------------- */

int winnow_rules_add_defaults(winnow_rules *r, winnow_error *err)
{
	for (size_t i = 0; i < wn_default_rules_count; i++) {
		const wn_embedded *e = &wn_default_rules[i];
		int rc = strstr(e->name, "/stop/")
			? add_stoplist(r, e->name, e->text, e->len, err)
			: ends_with(e->name, ".model")
			? (atomic_store(ends_with(e->name, "html.model") ? &r->html_model_src
								      : &r->model_src, e), 0)
			: add_buffer(r, e->name, e->text, e->len, err);
		if (rc)
			return -1;
	}
	return 0;
}

static int read_file(const char *path, wn_buf *out, winnow_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return wn_fail(err, WINNOW_ERR_IO, path, 0, "%s", strerror(errno));
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		wn_buf_add(out, tmp, n);
	int bad = ferror(f);
	int e = errno;
	fclose(f);
	if (bad)
		return wn_fail(err, WINNOW_ERR_IO, path, 0, "%s", strerror(e));
	return 0;
}

/* The files a path names, read before any is loaded: a path is read
 * once (a pipe gives its bytes once) and loads whole or not at all. */
typedef struct src_file {
	char *path;
	bool stoplist;
	wn_buf text;
	wn_model model;  /* a .model file, parsed by the trial */
} src_file;

typedef struct src_list {
	src_file *v;
	size_t n;
} src_list;

static int read_src(src_list *l, char *path, bool stoplist, winnow_error *err)
{
	l->v = wn_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	src_file *f = &l->v[l->n++];
	memset(f, 0, sizeof *f);
	f->path = path;
	f->stoplist = stoplist;
	wn_buf_init(&f->text);
	return read_file(path, &f->text, err);
}

static void src_free(src_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		wn_buf_free(&l->v[i].text);
		wn_model_free(&l->v[i].model);
	}
	free(l->v);
}

/* Loads l into r.  The trial parses a model into its src_file (a model
 * never depends on the rest), and the load into the caller's set moves
 * it there: the largest file is parsed once. */
static int load_src(winnow_rules *r, src_list *l, bool trial, winnow_error *err)
{
	for (size_t i = 0; i < l->n; i++) {
		src_file *f = &l->v[i];
		const char *text = f->text.data ? f->text.data : "";
		int rc = 0;
		if (f->stoplist) {
			rc = add_stoplist(r, f->path, text, f->text.len, err);
		} else if (!ends_with(f->path, ".model")) {
			rc = add_buffer(r, f->path, text, f->text.len, err);
		} else if (trial) {
			rc = wn_model_parse(&f->model, f->path, text, f->text.len, err);
		} else {
			wn_model *m = model_for(r, f->path);
			wn_model_free(m);
			*m = f->model;
			memset(&f->model, 0, sizeof f->model);
		}
		if (rc)
			return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every file of dir ending in suffix, sorted by name. */
static int read_dir_files(src_list *l, const char *dir, const char *suffix,
			  bool stoplist, bool must_exist, winnow_error *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (!must_exist && errno == ENOENT)
			return 0;
		return wn_fail(err, WINNOW_ERR_IO, dir, 0, "%s", strerror(errno));
	}
	char **names = NULL;
	size_t n = 0;
	size_t sl = strlen(suffix);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len <= sl || strcmp(de->d_name + len - sl, suffix) ||
		    de->d_name[0] == '.')
			continue;
		names = wn_xrealloc(names, (n + 1) * sizeof(char *));
		wn_buf p;
		wn_buf_init(&p);
		size_t dl = strlen(dir); /* "rd/" names "rd/a.rules", not "rd//a.rules" */
		wn_buf_printf(&p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
			      de->d_name);
		names[n++] = wn_buf_steal(&p, NULL);
	}
	closedir(d);
	if (n) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(char *), cmp_str);
	int rc = 0;
	size_t i = 0;
	for (; i < n && !rc; i++) {
		/* a directory's entries are files: a FIFO or a device named
		 * x.rules would block the run or never end (a reviewer's
		 * find); a PATH given itself may be a pipe, <(...) */
		struct stat st;
		if (stat(names[i], &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode)) {
			rc = wn_fail(err, WINNOW_ERR_IO, names[i], 0,
				     "not a regular file");
			break; /* names[i] is freed below */
		}
		rc = read_src(l, names[i], stoplist, err); /* l owns names[i] */
	}
	for (; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int read_path(src_list *l, const char *path, winnow_error *err)
{
	struct stat st;
	if (stat(path, &st))
		return wn_fail(err, WINNOW_ERR_IO, path, 0, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return read_src(l, wn_xstrndup(path, strlen(path)), false, err);
	if (read_dir_files(l, path, ".rules", false, true, err) ||
	    read_dir_files(l, path, ".model", false, true, err))
		return -1;
	wn_buf stop;
	wn_buf_init(&stop);
	wn_buf_printf(&stop, "%s/stop", path);
	int rc = read_dir_files(l, stop.data, ".txt", true, false, err);
	wn_buf_free(&stop);
	return rc;
}

/* As winnow_rules_add_buffer: what path names loads whole or not at all
 * (each file read once, into a trial set, then into r). */
int winnow_rules_add_path(winnow_rules *r, const char *path, winnow_error *err)
{
	if (!path) /* "" is a path that names no file: WINNOW_ERR_IO */
		return wn_fail(err, WINNOW_ERR_USAGE, NULL, 0, "%s",
			    "a rules path is needed (NULL)");
	src_list l = {0};
	int rc = read_path(&l, path, err);
	if (!rc) {
		winnow_rules *trial = winnow_rules_new();
		trial->trial = true;
		rc = load_src(trial, &l, true, err);
		winnow_rules_free(trial);
	}
	if (!rc)
		rc = load_src(r, &l, false, err);
	src_free(&l);
	return rc;
}

/* ---- matching -------------------------------------------------------- */

/* Whether key can start as head (head_len bytes) does.  Caseless under
 * Unicode, an ASCII letter also matches a few non-ASCII ones (U+017F for
 * s, U+212A for k): at the first non-ASCII byte the answer is "can", and
 * the matcher decides. */
static bool head_can_match(const char *head, size_t head_len, const char *key,
			   size_t klen)
{
	if (klen < head_len)
		return false;
	for (size_t i = 0; i < head_len; i++) {
		unsigned char x = (unsigned char)key[i];
		char h = head[i];
		if (x >= 0x80)
			return true;
		if (h >= 'a' && h <= 'z' ? (x | 0x20) != (unsigned char)h : x != (unsigned char)h)
			return false;
	}
	return true;
}

/* s[0..n) equals lit (lower case) with ASCII letters in either case. */
static bool ascii_caseless_eq(const char *s, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)s[i];
		if (x >= 'A' && x <= 'Z')
			x |= 0x20;
		if (x != (unsigned char)lit[i])
			return false;
	}
	return true;
}

/* Whether key holds lit (m bytes: lower-case ASCII letters but s and k,
 * digits, spaces) in any ASCII case.  Those characters match nothing
 * beyond ASCII without case (only s and k do: U+017F, U+212A), so a key
 * where this finds nothing cannot match the rule.  Sixteen start
 * positions at a time: the first and last bytes of lit against the key's
 * bytes with bit 0x20 set (a capital then meets its small letter; the
 * few others it makes meet, the check of the whole drops). */
static bool lit_can_match(const char *lit, size_t m, const char *key, size_t klen)
{
	if (klen < m)
		return false;
	size_t starts = klen - m + 1, i = 0;
#ifdef __SSE2__
	if (starts >= 16) {
		const __m128i first = _mm_set1_epi8(lit[0]), last = _mm_set1_epi8(lit[m - 1]);
		const __m128i bit = _mm_set1_epi8(0x20);
		for (;;) {
			__m128i a = _mm_or_si128(
				_mm_loadu_si128((const __m128i *)(const void *)(key + i)), bit);
			__m128i b = _mm_or_si128(
				_mm_loadu_si128((const __m128i *)(const void *)(key + i + m - 1)), bit);
			unsigned hits = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
			for (; hits; hits &= hits - 1)
				if (ascii_caseless_eq(key + i + (unsigned)__builtin_ctz(hits), lit, m))
					return true;
			if (i + 16 == starts)
				return false;
			/* the last sixteen starts, overlapping the ones before */
			i = i + 32 <= starts ? i + 16 : starts - 16;
		}
	}
#endif
	for (; i < starts; i++)
		if (ascii_caseless_eq(key + i, lit, m))
			return true;
	return false;
}

/* Code points in valid UTF-8 s: bytes that continue none. */
static size_t count_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static bool in_scope(const wn_rule *ru, size_t i, size_t n)
{
	switch (ru->scope) {
	case WN_SC_HEAD:
		return i < ru->scope_n;
	case WN_SC_TAIL:
		return i + ru->scope_n >= n;
	default:
		return true;
	}
}

/* Is the code point starting at s (valid UTF-8) a letter, mark or digit? */
static bool word_at(const char *s, const char *end)
{
	utf8proc_int32_t cp;
	if (utf8proc_iterate((const utf8proc_uint8_t *)s,
			     (utf8proc_ssize_t)(end - s), &cp) <= 0)
		return false;
	return wn_is_word_cp(cp);
}

/* Is the code point ending just before s a letter, mark or digit? */
static bool word_before(const char *start, const char *s)
{
	const char *p = s;
	while (p > start && ((unsigned char)p[-1] & 0xC0) == 0x80)
		p--;
	if (p > start)
		p--;
	while (p > start && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return p < s && word_at(p, s);
}

/* A match of [m, m+n) in [key, key+klen) stands at word boundaries when
 * no word continues across either edge. */
static bool at_boundaries(const char *key, size_t klen, const char *m,
			  size_t n)
{
	const char *end = key + klen, *e = m + n;
	if (!n)
		return true;
	/* ASCII on both sides of an edge (the common case): by table */
	if (m > key) {
		uint8_t a = (uint8_t)m[-1], b = (uint8_t)m[0];
		if (a < 0x80 && b < 0x80 ? wn_is_word_cp(a) && wn_is_word_cp(b)
					 : word_before(key, m) && word_at(m, e))
			return false;
	}
	if (e < end) {
		uint8_t a = (uint8_t)e[-1], b = (uint8_t)e[0];
		if (a < 0x80 && b < 0x80 ? wn_is_word_cp(a) && wn_is_word_cp(b)
					 : word_before(m, e) && word_at(e, end))
			return false;
	}
	return true;
}

/* aside shares drop's slot: the first drop or aside rule in load order
 * decides, and classify.c reads which it was. */
static void note(wn_rule_hit *hit, const wn_rule *ru, long id)
{
	long *slot = ru->action == WN_ACT_KEEP ? &hit->keep
		     : ru->action == WN_ACT_CUT ? &hit->cut
		     : ru->action == WN_ACT_OMIT ? &hit->omit : &hit->drop;
	if (*slot < 0 || id < *slot)
		*slot = id;
}

/* Whether a rule of language scope rl applies to a document in lang. */
static bool lang_ok(uint32_t rl, size_t lang)
{
	return rl == WN_LANG_EVERY || lang == WN_LANG_UNKNOWN || rl == lang;
}

static void note_chain(const winnow_rules *r, long id, size_t lang, size_t i,
		       size_t n, wn_rule_hit *hit)
{
	for (; id >= 0; id = r->next_same[id])
		if (in_scope(&r->v[id], i, n) && lang_ok(r->v[id].lang, lang))
			note(hit, &r->v[id], id);
}

static bool contains_word(const char *key, size_t klen, const char *pat,
			  size_t plen)
{
	const char *p = key, *end = key + klen;
	while ((size_t)(end - p) >= plen) {
		const char *hit = memmem(p, (size_t)(end - p), pat, plen);
		if (!hit)
			return false;
		if (at_boundaries(key, klen, hit, plen))
			return true;
		p = hit + 1;
	}
	return false;
}

/* Whether contains rule ru applies to block i of n of a document of
 * site in lang. */
static bool contains_applies(const wn_rule *ru, size_t site, size_t lang,
			     size_t i, size_t n)
{
	return in_scope(ru, i, n) && (ru->site == WN_SITE_ANY || ru->site == site) &&
	       lang_ok(ru->lang, lang);
}

/* Notes the contains rules that match key: the short patterns by memmem,
 * the others, when contains_gate lets the key through, by the four bytes
 * each place in the key ends with, looked up in contains_by_end where the
 * gate's filters allow a pattern to end there. */
static void match_contains(const winnow_rules *r, size_t site, size_t lang,
			   const char *key, size_t klen, size_t i, size_t n,
			   wn_rule_hit *hit)
{
	for (size_t k = 0; k < r->ncontains_few; k++) {
		const wn_rule *ru = &r->v[r->contains_few[k]];
		if (contains_applies(ru, site, lang, i, n) &&
		    contains_word(key, klen, ru->pattern, ru->plen))
			note(hit, ru, (long)r->contains_few[k]);
	}
	if (!r->contains_by_end || !contains_gate(r, key, klen))
		return;
	for (size_t j = 4; j <= klen; j++) { /* a pattern ending at key[j] */
		size_t h = quad_hash(key + j - 4);
		if (!pair_bit(r->contains4, h) &&
		    !(pair_bit(r->contains4_end, h) &&
		      (j == klen || !wn_ascii_alnum((uint8_t)key[j]))))
			continue;
		for (long id = r->contains_by_end[h] - 1; id >= 0; id = r->next_same[id]) {
			const wn_rule *ru = &r->v[id];
			if (ru->plen > j)
				continue;
			const char *m = key + j - ru->plen;
			if (!memcmp(m, ru->pattern, ru->plen) &&
			    at_boundaries(key, klen, m, ru->plen) &&
			    contains_applies(ru, site, lang, i, n))
				note(hit, ru, id);
		}
	}
}

/* The literal rules of kind m for pattern s[0..n): the unscoped ones and
 * those of the document's site. */
static void note_literal(const winnow_rules *r, wn_match m, size_t site,
			 size_t lang, const char *s, size_t len, uint64_t h,
			 size_t i, size_t n, wn_rule_hit *hit)
{
	note_chain(r, map_find_h(r, m, WN_SITE_ANY, s, len, h), lang, i, n, hit);
	if (site != WN_SITE_ANY && site != WN_SITE_UNKNOWN)
		note_chain(r, map_find_h(r, m, site, s, len, h), lang, i, n, hit);
}

void wn_rules_match(const winnow_rules *r, const char *key, size_t klen,
		    size_t i, size_t n, pcre2_match_data *md, wn_rule_hit *hit)
{
	wn_rules_match_doc(r, WN_SITE_NONE, WN_LANG_UNKNOWN, key, klen, i, n,
			   md, hit);
}

void wn_rules_match_doc(const winnow_rules *r, size_t site, size_t lang,
			const char *key, size_t klen, size_t i, size_t n,
			pcre2_match_data *md, wn_rule_hit *hit)
{
	hit->keep = hit->cut = hit->drop = hit->omit = hit->limit = -1;
	size_t pair = pair_of(key, klen);
	if (pair_bit(r->exact2, pair))
		note_literal(r, WN_M_EXACT, site, lang, key, klen, wn_hash_fast(key, klen),
			     i, n, hit);
	/* the prefixes' hashes in one pass over the key */
	uint64_t h = WN_HASH_INIT;
	size_t hashed = 0;
	uint64_t lens = pair_bit(r->prefix2, pair)
			? pair_lens_find(r, pair) | r->pair_len_any : 0;
	for (size_t k = 0; lens && k < r->nprefix_lens; k++) {
		size_t L = r->prefix_lens[k];
		if (L > klen)
			break;
		if (L < 64 && !(lens >> (L - 1) & 1) && !(lens >> 63 & 1))
			continue; /* no prefix rule of this length starts so */
		if (!at_boundaries(key, klen, key, L))
			continue; /* the prefix would end inside a word */
		h = wn_hash_more(h, key + hashed, L - hashed);
		hashed = L;
		note_literal(r, WN_M_PREFIX, site, lang, key, L, h, i, n, hit);
	}
	/* an empty key meets every rule (no first byte to sort by) */
	const wn_scan_ent *list = NULL;
	size_t nlist = r->nscan;
	if (klen) {
		list = r->scan_by[(uint8_t)key[0]];
		nlist = r->nscan_by[(uint8_t)key[0]];
	}
	size_t kchars = 0;       /* the key's characters, when counted */
	/* the second byte's word and bit in the entries' second[] */
	unsigned c1 = klen >= 2 && (uint8_t)key[1] < 0x80 ? (uint8_t)key[1] : 128;
	if (c1 < 128 && !second_testable((uint8_t)key[0], c1))
		c1 = 128;
	uint64_t c1_bit = c1 < 128 ? (uint64_t)1 << (c1 & 63) : 0;
	if (c1 < 128) {
		const _Atomic uint64_t *ready = &r->second_ready[(uint8_t)key[0]][c1 >> 6];
		if (!(atomic_load_explicit(ready, memory_order_acquire) & c1_bit) &&
		    !(fill_second(r, (uint8_t)key[0], c1) &&
		      (atomic_load_explicit(ready, memory_order_acquire) & c1_bit)))
			c1 = 128; /* not ready: no second-byte filter for this key */
	}
	for (size_t k = 0; k < nlist; k++) {
		if (list) {
			/* a rule of another language, a regex the key is too
			 * long for, or one that starts otherwise (an empty
			 * key, with no list, goes to PCRE2) */
			const wn_scan_ent *e = &list[k];
			if (!lang_ok(e->lang, lang))
				continue;
			if (e->max_chars != UINT32_MAX && klen > e->max_chars &&
			    (klen > 4 * (size_t)e->max_chars ||
			     (kchars = kchars ? kchars : count_chars(key, klen)) > e->max_chars))
				continue;
			if (c1 < 128 && !(atomic_load_explicit(&e->second[c1 >> 6],
							       memory_order_relaxed) & c1_bit))
				continue;
			if (e->head_len && !head_can_match(e->head, e->head_len, key, klen))
				continue;
			if (e->need && !memchr(key, e->need, klen))
				continue;
			if (e->lit_len && !lit_can_match(e->lit, e->lit_len, key, klen))
				continue;
		}
		size_t id = list ? list[k].id : r->scan[k];
		const wn_rule *ru = &r->v[id];
		if (!in_scope(ru, i, n) || (ru->site != WN_SITE_ANY && ru->site != site) ||
		    !lang_ok(ru->lang, lang))
			continue;
		/* the list already held only rules that can start so; the
		 * JIT's own entry skips pcre2_match's checks: keys are valid
		 * UTF-8 (normalized) */
		int rc = rule_jit(r, ru) ? pcre2_jit_match(ru->re, (PCRE2_SPTR)key, klen, 0,
							   0, md, r->mctx)
					 : pcre2_match(ru->re, (PCRE2_SPTR)key, klen, 0,
						       PCRE2_NO_UTF_CHECK, md, r->mctx);
		/* the JIT's stack (32 KB, shared by no thread) can run out
		 * on a long key where the pattern is linear: "^(?:a|b)*$"
		 * failed past 1,300 characters, silently (a reviewer's find).
		 * The interpreter, on the heap, decides then. */
		if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
			rc = pcre2_match(ru->re, (PCRE2_SPTR)key, klen, 0,
					 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, md, r->mctx);
		/* any other error (the match or depth limit, the heap's)
		 * counts as no match (the rule could not decide, the
		 * classifier will) and is reported through the result */
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && hit->limit < 0)
			hit->limit = (long)id;
		if (rc >= 0)
			note(hit, ru, (long)id);
	}
	if (r->contains_by_end || r->ncontains_few)
		match_contains(r, site, lang, key, klen, i, n, hit);
}
