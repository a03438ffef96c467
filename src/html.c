/* html.c - an HTML page -> blocks with their structure.
 *
 * Gumbo parses the page (into an arena: one free for the whole tree);
 * one iterative walk then writes the text of every block-level element as
 * one line of d->text, so the text pipeline (keys, features, passes,
 * model) reads HTML blocks exactly as it reads scraped lines, and records
 * beside each line where it came from: the element, its landmark and
 * class/id hints (structural rules, rules/html.rules), link text, heading
 * level.  After the context-free classes are known, wn_html_context finds
 * the content root, the element whose subtree holds the most article-like
 * text for the least other text, and turns it all into features. */
#include "html.h"
#include "model.h"
#include "normalize.h"
#include "thresholds.h"

#include <gumbo.h>
#include <math.h>
#include <stdalign.h>
#include <stdlib.h>
#include <utf8proc.h>
#include <string.h>
#include <strings.h>

/* ---- an arena for Gumbo ---------------------------------------------- */

/* Small blocks are carved from 1 MB chunks and never freed one by one
 * (except the latest, which Gumbo's growing buffers free often); large
 * ones (a long text node's buffer doubling) are malloc'd and freed, so a
 * 50 MB page does not keep every intermediate copy. */
#define ARENA_CHUNK ((size_t)1 << 20)
#define ARENA_BIG (ARENA_CHUNK / 8)
#define HDR 16 /* keeps 16-byte alignment */

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	alignas(16) unsigned char data[];
} chunk;

typedef struct big {
	struct big *prev, *next;
	size_t size;
	size_t flag; /* at p - sizeof(size_t), like a small block's header */
} big;

/* Freed small blocks by size (16-byte steps up to ARENA_LIST_MAX): Gumbo
 * frees its token buffers and attribute lists constantly, and reusing
 * them keeps the arena near the tree's own size. */
#define ARENA_LIST_MAX 1024
typedef struct arena {
	chunk *head;
	big *bigs;
	void *last;
	void *free_list[ARENA_LIST_MAX / 16 + 1];
} arena;

static void *arena_alloc(void *ud, size_t n)
{
	arena *a = ud;
	n = (n + 15) & ~(size_t)15;
	if (n >= ARENA_BIG) {
		big *b = wn_xmalloc(sizeof(big) + n);
		b->prev = NULL;
		b->next = a->bigs;
		if (a->bigs)
			a->bigs->prev = b;
		a->bigs = b;
		b->size = n;
		b->flag = 1;
		return b + 1;
	}
	if (n <= ARENA_LIST_MAX && a->free_list[n / 16]) {
		void *p = a->free_list[n / 16];
		a->free_list[n / 16] = *(void **)p;
		return p; /* its header already says n */
	}
	chunk *c = a->head;
	if (!c || c->cap - c->used < n + HDR) {
		c = wn_xmalloc(sizeof(chunk) + ARENA_CHUNK);
		c->next = a->head;
		c->used = 0;
		c->cap = ARENA_CHUNK;
		a->head = c;
	}
	unsigned char *p = c->data + c->used + HDR;
	((size_t *)p)[-1] = n << 1;
	c->used += n + HDR;
	a->last = p;
	return p;
}

static void arena_free(void *ud, void *p)
{
	arena *a = ud;
	if (!p)
		return;
	size_t w = ((size_t *)p)[-1];
	if (w & 1) {
		big *b = (big *)p - 1;
		if (b->prev)
			b->prev->next = b->next;
		else
			a->bigs = b->next;
		if (b->next)
			b->next->prev = b->prev;
		free(b);
		return;
	}
	if (p == a->last) { /* the latest small block: take it back */
		a->head->used -= (w >> 1) + HDR;
		a->last = NULL;
		return;
	}
	size_t n = w >> 1;
	if (n && n <= ARENA_LIST_MAX) { /* kept for the next block of its size */
		*(void **)p = a->free_list[n / 16];
		a->free_list[n / 16] = p;
	}
}

static void arena_release(arena *a)
{
	for (chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	for (big *b = a->bigs, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	memset(a, 0, sizeof *a);
}

/* ---- tags ------------------------------------------------------------ */

enum {
	F_BLOCK = 1,    /* starts and ends a block */
	F_SKIP = 2,     /* never reaches the output */
	F_CELL = 4,     /* td, th: a block unless its row is simple */
	F_PRE = 8,      /* source newlines end lines */
	F_FIGURE = 16,
	F_BOX = 32,     /* skipped, but drawn as a box between the words
			 * around it (a form control, an image, media): a
			 * space */
};

/* Block-level elements after the HTML standard's rendering section (what
 * a browser puts on lines of their own); skipped ones are code, media and
 * form controls, whose text is never article text. */
static const uint8_t tag_flags[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_ADDRESS] = F_BLOCK, [GUMBO_TAG_ARTICLE] = F_BLOCK,
	[GUMBO_TAG_ASIDE] = F_BLOCK, [GUMBO_TAG_BLOCKQUOTE] = F_BLOCK,
	[GUMBO_TAG_BODY] = F_BLOCK, [GUMBO_TAG_CAPTION] = F_BLOCK | F_FIGURE,
	[GUMBO_TAG_CENTER] = F_BLOCK, [GUMBO_TAG_DD] = F_BLOCK,
	[GUMBO_TAG_DETAILS] = F_BLOCK,
	[GUMBO_TAG_DIR] = F_BLOCK, [GUMBO_TAG_DIV] = F_BLOCK,
	[GUMBO_TAG_DL] = F_BLOCK, [GUMBO_TAG_DT] = F_BLOCK,
	[GUMBO_TAG_FIELDSET] = F_BLOCK,
	[GUMBO_TAG_FIGCAPTION] = F_BLOCK | F_FIGURE,
	[GUMBO_TAG_FIGURE] = F_BLOCK | F_FIGURE, [GUMBO_TAG_FOOTER] = F_BLOCK,
	[GUMBO_TAG_FORM] = F_BLOCK, [GUMBO_TAG_FRAMESET] = F_BLOCK,
	[GUMBO_TAG_H1] = F_BLOCK, [GUMBO_TAG_H2] = F_BLOCK,
	[GUMBO_TAG_H3] = F_BLOCK, [GUMBO_TAG_H4] = F_BLOCK,
	[GUMBO_TAG_H5] = F_BLOCK, [GUMBO_TAG_H6] = F_BLOCK,
	[GUMBO_TAG_HEADER] = F_BLOCK, [GUMBO_TAG_HGROUP] = F_BLOCK,
	[GUMBO_TAG_HR] = F_BLOCK, [GUMBO_TAG_HTML] = F_BLOCK,
	[GUMBO_TAG_LEGEND] = F_BLOCK, [GUMBO_TAG_LI] = F_BLOCK,
	[GUMBO_TAG_MAIN] = F_BLOCK, [GUMBO_TAG_MENU] = F_BLOCK,
	[GUMBO_TAG_NAV] = F_BLOCK, [GUMBO_TAG_OL] = F_BLOCK,
	[GUMBO_TAG_OPTGROUP] = F_BLOCK, [GUMBO_TAG_OPTION] = F_BLOCK,
	[GUMBO_TAG_P] = F_BLOCK, [GUMBO_TAG_PRE] = F_BLOCK | F_PRE,
	[GUMBO_TAG_LISTING] = F_BLOCK | F_PRE,
	[GUMBO_TAG_PLAINTEXT] = F_BLOCK | F_PRE, [GUMBO_TAG_XMP] = F_BLOCK | F_PRE,
	[GUMBO_TAG_SECTION] = F_BLOCK, [GUMBO_TAG_SUMMARY] = F_BLOCK,
	[GUMBO_TAG_TABLE] = F_BLOCK, [GUMBO_TAG_TBODY] = F_BLOCK,
	[GUMBO_TAG_TFOOT] = F_BLOCK, [GUMBO_TAG_THEAD] = F_BLOCK,
	[GUMBO_TAG_TR] = F_BLOCK, [GUMBO_TAG_UL] = F_BLOCK,
	[GUMBO_TAG_BR] = F_BLOCK,
	[GUMBO_TAG_TD] = F_CELL, [GUMBO_TAG_TH] = F_CELL,
	[GUMBO_TAG_SCRIPT] = F_SKIP, [GUMBO_TAG_STYLE] = F_SKIP,
	[GUMBO_TAG_NOSCRIPT] = F_SKIP, [GUMBO_TAG_TEMPLATE] = F_SKIP,
	[GUMBO_TAG_SVG] = F_SKIP | F_BOX, [GUMBO_TAG_MATH] = F_SKIP | F_BOX,
	[GUMBO_TAG_IFRAME] = F_SKIP | F_BOX, [GUMBO_TAG_HEAD] = F_SKIP,
	[GUMBO_TAG_TITLE] = F_SKIP, [GUMBO_TAG_OBJECT] = F_SKIP | F_BOX,
	[GUMBO_TAG_EMBED] = F_SKIP | F_BOX, [GUMBO_TAG_CANVAS] = F_SKIP | F_BOX,
	[GUMBO_TAG_AUDIO] = F_SKIP | F_BOX, [GUMBO_TAG_VIDEO] = F_SKIP | F_BOX,
	[GUMBO_TAG_SELECT] = F_SKIP | F_BOX, [GUMBO_TAG_TEXTAREA] = F_SKIP | F_BOX,
	[GUMBO_TAG_BUTTON] = F_SKIP | F_BOX, [GUMBO_TAG_DATALIST] = F_SKIP,
	[GUMBO_TAG_NOFRAMES] = F_SKIP, [GUMBO_TAG_APPLET] = F_SKIP | F_BOX,
	[GUMBO_TAG_IMG] = F_SKIP | F_BOX, [GUMBO_TAG_INPUT] = F_SKIP | F_BOX,
	/* browsers never show a noembed's text (a reviewer's find) */
	[GUMBO_TAG_NOEMBED] = F_SKIP,
	[GUMBO_TAG_FRAME] = F_SKIP,
	/* ruby annotations: 東京<rt>とうきょう</rt> is 東京 in the text */
	[GUMBO_TAG_RT] = F_SKIP, [GUMBO_TAG_RP] = F_SKIP,
};

static int heading_level(GumboTag t)
{
	return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6 ? (int)(t - GUMBO_TAG_H1) + 1 : 0;
}

static wn_kind kind_of(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P: return WN_K_P;
	case GUMBO_TAG_LI: case GUMBO_TAG_DD: case GUMBO_TAG_DT: return WN_K_LI;
	case GUMBO_TAG_TD: case GUMBO_TAG_TH: return WN_K_CELL;
	case GUMBO_TAG_TR: return WN_K_ROW;
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: return WN_K_QUOTE;
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION: return WN_K_CAPTION;
	default: return heading_level(t) ? WN_K_HEADING : WN_K_OTHER;
	}
}

/* ---- the element table ----------------------------------------------- */

#define NONE UINT32_MAX

typedef struct wn_hnode {
	uint32_t parent;
	uint32_t end;        /* one past its last descendant (pre-order) */
	uint16_t tag;        /* GumboTag */
	uint8_t heading;     /* inherited heading level */
	bool link, figure;   /* inside <a>; inside figure/caption */
	uint32_t chrome_tag, chrome_cls, content; /* nearest such element */
	uint32_t comments;   /* nearest element a comments rule names */
	long drop, keep;     /* structural rule deciding its text, or -1 */
	uint64_t text, link_text, good; /* bytes: own blocks, then subtree */
	const char *name;    /* tag name, for paths */
	uint32_t name_len;
	uint32_t cls, cls_len; /* first class (or id) name, for paths: in
				* wn_html.pool (the tree's strings go with
				* the arena) */
	uint32_t words, words_len; /* its class words (class_words), in pool */
} wn_hnode;

struct wn_html {
	wn_buf src;          /* the page decoded to UTF-8, when it was not */
	wn_buf demojibaked;  /* the page with its mojibake repaired */
	wn_buf capped;       /* the page with long attribute lists cut
			      * (unknown tags' names point into the page) */
	wn_buf text;         /* one block per line */
	wn_hnode *nodes;
	size_t n, cap;
	uint32_t root;       /* the content root, or NONE */
	wn_buf pool;         /* class names for paths */
	wn_buf title;        /* the text of <title> */
	bool modern;         /* today's markup (note_era) */
};

/* ---- structural rules ------------------------------------------------ */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const bool ws_byte[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
};

static bool ascii_ws(char c)
{
	return ws_byte[(unsigned char)c];
}

static bool tok_match(const wn_rule *ru, const char *t, size_t n)
{
	if (ru->star)
		return n >= ru->plen && !memcmp(t, ru->pattern, ru->plen);
	return n == ru->plen && !memcmp(t, ru->pattern, n);
}

/* The tokens class rules are matched against: each class or id name
 * (white-space separated, lower case, at most 127 bytes) whole, and its
 * parts split at - and _ ("post-comments" -> post, comments).  Made once
 * per element, at most 64 of them. */
typedef struct tokens {
	char buf[1024];
	uint16_t off[64], len[64];
	size_t n, used;
} tokens;

static void add_token(tokens *t, const char *s, size_t n)
{
	if (t->n == 64 || t->used + n > sizeof t->buf)
		return;
	memcpy(t->buf + t->used, s, n);
	t->off[t->n] = (uint16_t)t->used;
	t->len[t->n++] = (uint16_t)n;
	t->used += n;
}

static void tokenize(tokens *t, const char *v)
{
	char w[128];
	for (const char *p = v; *p;) {
		while (*p && ascii_ws(*p))
			p++;
		size_t n = 0;
		while (p[n] && !ascii_ws(p[n]))
			n++;
		if (!n)
			break;
		size_t m = n < sizeof w ? n : sizeof w - 1;
		for (size_t i = 0; i < m; i++)
			w[i] = lower(p[i]);
		add_token(t, w, m);
		for (size_t s = 0; s < m;) {
			size_t e = s;
			while (e < m && w[e] != '-' && w[e] != '_')
				e++;
			if (e > s && e - s < m)
				add_token(t, w + s, e - s);
			s = e + 1;
		}
		p += n;
	}
}

static bool class_match(const wn_rule *ru, const tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (tok_match(ru, t->buf + t->off[i], t->len[i]))
			return true;
	return false;
}

/* An element's attributes with their names' lengths, found once for all
 * the attr rules (Gumbo's own lookup is a strcasecmp of every name). */
typedef struct attr_list {
	const GumboAttribute *a[32];
	size_t len[32], n;
	const GumboVector *all; /* more than 32: Gumbo's lookup */
} attr_list;

static const GumboAttribute *find_attr(const attr_list *l, const char *name,
				       size_t len)
{
	if (l->all)
		return gumbo_get_attribute(l->all, name);
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && !strcasecmp(l->a[i]->name, name))
			return l->a[i];
	return NULL;
}

static void attrs_of(const GumboElement *el, attr_list *al)
{
	al->n = 0;
	al->all = NULL;
	if (el->attributes.length > sizeof al->a / sizeof al->a[0]) {
		al->all = &el->attributes;
		return;
	}
	for (size_t i = 0; i < el->attributes.length; i++) {
		al->a[al->n] = el->attributes.data[i];
		al->len[al->n++] = strlen(al->a[i]->name);
	}
}

static bool attr_match(const wn_rule *ru, const attr_list *attrs,
		       wn_buf *tmp)
{
	const GumboAttribute *a = find_attr(attrs, ru->pattern, ru->plen);
	if (!a)
		return false;
	if (!ru->attr_op)
		return true;
	wn_buf_clear(tmp);
	for (const char *p = a->value; *p && tmp->len < 4096; p++)
		if (!ascii_ws(*p))
			wn_buf_addc(tmp, lower(*p));
	const char *v = wn_buf_cstr(tmp);
	return ru->attr_op == '=' ? !strcmp(v, ru->value)
				  : strstr(v, ru->value) != NULL;
}

/* ---- the walk -------------------------------------------------------- */

typedef struct frame {
	GumboNode *node;
	uint32_t idx;
	uint32_t next_child;
	uint32_t prev_owner;
	bool block;
	bool pre;
	bool simple_row;     /* a tr whose cells hold inline content only */
} frame;

typedef struct walker {
	wn_html *h;
	const winnow_rules *r;
	const size_t *srules;
	size_t nsrules;
	/* the structural rules by kind, each in load order: tag rules with
	 * the Gumbo tag their name is (UNKNOWN: compared by name) */
	size_t *tag_rules, ntag_rules, *cls_rules, ncls_rules, *attr_rules,
	       nattr_rules, *era_rules, nera_rules;
	GumboTag *era_tag;   /* an era tag rule's tag, looked up once */
	GumboTag *tag_of;
	const char *tag_name[GUMBO_TAG_LAST + 1];
	uint8_t tag_name_len[GUMBO_TAG_LAST + 1];
	wn_buf line;         /* the block being built */
	bool space;          /* white space seen since the last byte */
	bool space_nl;       /* ... and a line break among it */
	bool space_nb;       /* ... and a no-break space */
	uint32_t owner;      /* innermost open block-level element */
	uint32_t first_node, first_owner;
	size_t first_line;
	uint32_t text, link;
	wn_sblock *recs;     /* one per line of h->text */
	size_t *rec_line;    /* its source line */
	size_t nrecs, rcap;
	wn_buf tmp;
} walker;

/* Sorts the structural rules by kind once per page: an element meets
 * the tag rules of its own tag, and class and attr rules only when it
 * has attributes. */
static void split_rules(walker *w)
{
	size_t n = w->nsrules ? w->nsrules : 1;
	w->tag_rules = wn_xmalloc(n * sizeof(size_t));
	w->tag_of = wn_xmalloc(n * sizeof(GumboTag));
	w->cls_rules = wn_xmalloc(n * sizeof(size_t));
	w->attr_rules = wn_xmalloc(n * sizeof(size_t));
	w->era_rules = wn_xmalloc(n * sizeof(size_t));
	w->era_tag = wn_xmalloc(n * sizeof(GumboTag));
	w->ntag_rules = w->ncls_rules = w->nattr_rules = w->nera_rules = 0;
	for (size_t k = 0; k < w->nsrules; k++) {
		const wn_rule *ru = wn_rules_get(w->r, w->srules[k]);
		if (ru->action == WN_ACT_ERA) { /* note_era's, on any element */
			w->era_tag[w->nera_rules] = ru->match != WN_M_TAG
				? GUMBO_TAG_UNKNOWN
				: gumbo_tagn_enum(ru->pattern, (unsigned)ru->plen);
			w->era_rules[w->nera_rules++] = w->srules[k];
		} else if (ru->match == WN_M_TAG) {
			w->tag_of[w->ntag_rules] = gumbo_tagn_enum(ru->pattern,
								   (unsigned)ru->plen);
			w->tag_rules[w->ntag_rules++] = w->srules[k];
		} else if (ru->match == WN_M_CLASS) {
			w->cls_rules[w->ncls_rules++] = w->srules[k];
		} else {
			w->attr_rules[w->nattr_rules++] = w->srules[k];
		}
	}
}

static void flush(walker *w)
{
	if (!w->line.len)
		return;
	if (w->nrecs == w->rcap) {
		w->rcap = w->rcap ? w->rcap * 2 : 256;
		w->recs = wn_xrealloc(w->recs, w->rcap * sizeof(wn_sblock));
		w->rec_line = wn_xrealloc(w->rec_line, w->rcap * sizeof(size_t));
	}
	wn_sblock *s = &w->recs[w->nrecs];
	memset(s, 0, sizeof *s);
	const wn_hnode *n = &w->h->nodes[w->first_node];
	s->node = w->first_node;
	s->owner = w->first_owner;
	s->text = w->text;
	s->link = w->link;
	s->heading = n->heading;
	s->kind = (uint8_t)kind_of((GumboTag)w->h->nodes[w->first_owner].tag);
	s->figure = n->figure;
	s->drop = n->drop;
	s->keep = n->keep;
	w->rec_line[w->nrecs++] = w->first_line;
	wn_hnode *o = &w->h->nodes[w->first_owner];
	o->text += w->text;
	o->link_text += w->link;
	wn_buf_add(&w->h->text, w->line.data, w->line.len);
	wn_buf_addc(&w->h->text, '\n');
	wn_buf_clear(&w->line);
	w->space = w->space_nl = w->space_nb = false;
	w->text = w->link = 0;
}

/* Chinese or Japanese on both sides of a line break of the source: Han,
 * kana, CJK punctuation (U+3000-303F) and full-width forms. */
static bool cjk_wide(int32_t cp)
{
	return wn_is_wide(cp) || (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
}

/* Whether white space with a line break in it, between the end of line
 * and s, is no space at all: a page's source breaks its Chinese or
 * Japanese lines anywhere, and browsers join them without a space (CSS
 * Text 3, segment break transformation), where Latin text gets one. */
static bool joined_break(const wn_buf *line, const char *s, const char *end)
{
	const unsigned char *u = (const unsigned char *)line->data;
	if (!line->len)
		return false;
	size_t k = line->len - 1; /* the last character's first byte */
	while (k > 0 && (u[k] & 0xC0) == 0x80)
		k--;
	if (u[k] < 0xE0)
		return false;
	utf8proc_int32_t a, b;
	if (utf8proc_iterate(u + k, (utf8proc_ssize_t)(line->len - k), &a) <= 0 ||
	    (unsigned char)*s < 0xE0 ||
	    utf8proc_iterate((const utf8proc_uint8_t *)s, end - s, &b) <= 0)
		return false;
	return cjk_wide(a) && cjk_wide(b);
}

/* A no-break space (U+00A0, C2 A0) at s: &nbsp; spacing a layout. */
static bool nbsp(const char *s, const char *end)
{
	return end - s >= 2 && (unsigned char)s[0] == 0xC2 &&
	       (unsigned char)s[1] == 0xA0;
}

/* The bytes of a space past ASCII at s: a no-break space, or NEL,
 * U+2028 or U+2029, which in a page's text are white space like the
 * others (as lines they would end a block inside its element); 0 if
 * none. */
static size_t wide_space(const char *s, const char *end)
{
	const unsigned char *u = (const unsigned char *)s;
	if (end - s >= 2 && u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0x85))
		return 2;
	if (end - s >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* Bytes that may end a run of text: white space, and 0xC2, the first
 * byte of a no-break space. */
static const bool word_stop[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
	[0xC2] = 1, [0xE2] = 1,
};

static void add_text(walker *w, const char *s, size_t n, uint32_t el,
		     size_t line, bool pre)
{
	bool link = w->h->nodes[el].link;
	const char *end = s + n;
	while (s < end) {
		/* no-break spaces collapse with the others: pages use runs of
		 * &nbsp; for layout, and a block is text, not layout */
		size_t ws = ascii_ws(*s) ? 1 : wide_space(s, end);
		if (ws) {
			line += *s == '\n'; /* the line of the next word */
			if (pre && (*s == '\n' || ws == 3))
				flush(w);
			else if (w->line.len) {
				w->space = true;
				w->space_nl |= *s == '\n';
				/* a no-break space is kept between CJK too */
				w->space_nb |= nbsp(s, end);
			}
			s += ws;
			continue;
		}
		const char *e = s;
		while (e < end && !word_stop[(unsigned char)*e])
			e++;
		while (e < end && !ascii_ws(*e) && !wide_space(e, end)) {
			e++; /* a 0xC2 or 0xE2 that is no space */
			while (e < end && !word_stop[(unsigned char)*e])
				e++;
		}
		if (!w->line.len) {
			w->first_node = el;
			w->first_owner = w->owner;
			w->first_line = line;
		} else if (w->space && !(w->space_nl && !w->space_nb &&
					 joined_break(&w->line, s, end))) {
			wn_buf_addc(&w->line, ' ');
		}
		w->space = w->space_nl = w->space_nb = false;
		wn_buf_add(&w->line, s, (size_t)(e - s));
		w->text += (uint32_t)(e - s);
		if (link)
			w->link += (uint32_t)(e - s);
		s = e;
	}
}

/* A row is simple when no block-level element or <br> is inside it
 * (looking at no more than 256 nodes): a data row, written as one line
 * with its cells separated by " | ", not a layout row of columns. */
static bool simple_row(GumboNode *tr)
{
	GumboNode *stack[64];
	size_t sp = 0, seen = 0;
	stack[sp++] = tr;
	while (sp) {
		GumboNode *n = stack[--sp];
		if (++seen > 256)
			return false;
		if (n->type != GUMBO_NODE_ELEMENT)
			continue;
		GumboTag t = n->v.element.tag;
		if (n != tr && (tag_flags[t] & F_BLOCK))
			return false;
		const GumboVector *c = &n->v.element.children;
		for (size_t i = 0; i < c->length; i++) {
			if (sp == 64)
				return false;
			stack[sp++] = c->data[i];
		}
	}
	return true;
}

/* The length of s[0..n) cut to at most max bytes, at a character's start:
 * a name cut inside a character made paths invalid UTF-8. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* The class words of an attribute value: its runs of ASCII letters of 3
 * to WN_LEX_MAX_WORD letters, lower-cased ("td-post-content" gives post
 * and content; a digit or a non-ASCII byte ends a run, so "css-1x2y"
 * gives css), appended to out space-separated; *count is the element's
 * words so far (class, then id), at most CLASS_WORDS_MAX. */
#define CLASS_WORDS_MAX 8
static void class_words(wn_buf *out, const char *v, size_t *count)
{
	for (const char *p = v; *p && *count < CLASS_WORDS_MAX;) {
		size_t n = 0;
		while (((unsigned char)p[n] | 0x20u) - 'a' < 26u)
			n++;
		if (n >= 3 && n <= WN_LEX_MAX_WORD) {
			if ((*count)++)
				wn_buf_addc(out, ' ');
			for (size_t i = 0; i < n; i++)
				wn_buf_addc(out, lower(p[i]));
		}
		p += n ? n : 1;
	}
}

/* The name of an element Gumbo does not know, as the page spells it
 * (Gumbo keeps only its source text). */
static GumboStringPiece unknown_name(const GumboElement *el)
{
	GumboStringPiece p = el->original_tag;
	gumbo_tag_from_original_text(&p);
	return p;
}

/* tag_flags for an element Gumbo does not know, by the name the page
 * gives it: Debian's Gumbo predates dialog and search, which browsers
 * draw as blocks (a dialog's text ran into its neighbours', "Intro
 * textCookie notice"; a reviewer's find). */
static unsigned unknown_flags(const GumboElement *el)
{
	GumboStringPiece p = unknown_name(el);
	if (p.length == 6 && (!strncasecmp(p.data, "dialog", 6) ||
			      !strncasecmp(p.data, "search", 6)))
		return F_BLOCK;
	return 0;
}

static uint32_t new_node(walker *w, GumboNode *gn, uint32_t parent,
			 bool *own_drop)
{
	wn_html *h = w->h;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 1024;
		h->nodes = wn_xrealloc(h->nodes, h->cap * sizeof(wn_hnode));
	}
	uint32_t idx = (uint32_t)h->n++;
	wn_hnode *n = &h->nodes[idx];
	const GumboElement *el = &gn->v.element;
	if (parent != NONE) {
		*n = h->nodes[parent];
	} else {
		memset(n, 0, sizeof *n);
		n->chrome_tag = n->chrome_cls = n->content = n->comments = NONE;
		n->drop = n->keep = -1;
	}
	n->parent = parent;
	n->tag = (uint16_t)el->tag;
	n->text = n->link_text = n->good = 0;
	int hl = heading_level(el->tag);
	if (hl)
		n->heading = (uint8_t)hl;
	n->link |= el->tag == GUMBO_TAG_A;
	n->figure |= (tag_flags[el->tag] & F_FIGURE) != 0;
	if (el->tag == GUMBO_TAG_UNKNOWN) {
		GumboStringPiece p = unknown_name(el);
		n->name = p.data;
		n->name_len = (uint32_t)utf8_cut(p.data, p.length, 40);
	} else {
		/* Gumbo's name of a tag, looked up once per page */
		if (!w->tag_name[el->tag]) {
			w->tag_name[el->tag] = gumbo_normalized_tagname(el->tag);
			w->tag_name_len[el->tag] = (uint8_t)strlen(w->tag_name[el->tag]);
		}
		n->name = w->tag_name[el->tag];
		n->name_len = w->tag_name_len[el->tag];
	}
	n->cls = n->cls_len = 0;
	attr_list al;
	attrs_of(el, &al);
	const GumboAttribute *cl = find_attr(&al, "class", 5);
	const GumboAttribute *id = find_attr(&al, "id", 2);
	const GumboAttribute *ca = cl && cl->value[0] ? cl : id;
	if (ca) {
		const char *v = ca->value;
		while (*v && ascii_ws(*v))
			v++;
		size_t k = 0;
		while (v[k] && !ascii_ws(v[k]))
			k++;
		k = utf8_cut(v, k, 40);
		n->cls = (uint32_t)h->pool.len;
		n->cls_len = (uint32_t)k;
		wn_buf_add(&h->pool, v, k);
	}
	/* <html> and <body> carry page-wide classes, as for class rules */
	n->words = (uint32_t)h->pool.len;
	if (el->tag != GUMBO_TAG_HTML && el->tag != GUMBO_TAG_BODY) {
		size_t nw = 0;
		if (cl)
			class_words(&h->pool, cl->value, &nw);
		if (id)
			class_words(&h->pool, id->value, &nw);
	}
	n->words_len = (uint32_t)(h->pool.len - n->words);
	/* structural rules: the first of each action in load order */
	long drop = -1, keep = -1;
	char name[48];
	size_t nl = n->name_len < sizeof name ? n->name_len : sizeof name - 1;
	for (size_t i = 0; i < nl; i++)
		name[i] = lower(n->name[i]);
	name[nl] = '\0';
	tokens toks;
	toks.n = toks.used = 0;
	if (cl)
		tokenize(&toks, cl->value);
	if (id)
		tokenize(&toks, id->value);
	/* CMSs put page-wide classes on <html> and <body> ("comments-open",
	 * "has-sidebar"): class and attr rules skip those two */
	bool page = el->tag == GUMBO_TAG_HTML || el->tag == GUMBO_TAG_BODY;
	/* an element without attributes can only match tag rules */
	bool bare = el->attributes.length == 0;
	uint32_t up_content = n->content;
	bool content_by_tag = false;
	for (int kind = 0; kind < 3; kind++) {
		const size_t *ids = kind == 0 ? w->tag_rules : kind == 1 ? w->cls_rules
								   : w->attr_rules;
		size_t nids = kind == 0 ? w->ntag_rules : kind == 1 ? w->ncls_rules
								 : w->nattr_rules;
		if (kind > 0 && (page || bare))
			break;
		if (kind == 1 && !toks.n)
			continue; /* no class or id token to match */
		for (size_t k = 0; k < nids; k++) {
			const wn_rule *ru = wn_rules_get(w->r, ids[k]);
			bool m;
			if (kind == 0)
				m = w->tag_of[k] == el->tag &&
				    (el->tag != GUMBO_TAG_UNKNOWN ||
				     (ru->plen == nl && !memcmp(ru->pattern, name, nl)));
			else if (kind == 1)
				m = class_match(ru, &toks);
			else
				m = attr_match(ru, &al, &w->tmp);
			if (!m)
				continue;
			long rid = (long)ids[k];
			switch (ru->action) { /* the first in load order decides */
			case WN_ACT_DROP:
				if (drop < 0 || rid < drop)
					drop = rid;
				break;
			case WN_ACT_KEEP:
				if (keep < 0 || rid < keep)
					keep = rid;
				break;
			case WN_ACT_CHROME:
				if (ru->match == WN_M_TAG)
					n->chrome_tag = idx;
				else
					n->chrome_cls = idx;
				break;
			case WN_ACT_COMMENTS:
				n->chrome_cls = idx;
				n->comments = idx;
				break;
			case WN_ACT_CONTENT:
				n->content = idx;
				content_by_tag = ru->match == WN_M_TAG;
				break;
			default:
				break;
			}
		}
	}
	/* one element hinted both ways: its class says what this one is, its
	 * tag what such elements usually are, so <article class="comment"> is
	 * a comment (a tie otherwise goes to content, wn_html_context: an
	 * <aside class="entry-content"> holds the article).  5-fold CV, HTML:
	 * ScrapingHub +0.005, WCXB -0.000, CleanEval +0.001, each inside the
	 * paired bootstrap's 95% interval. */
	if (n->content == idx && n->chrome_cls == idx && content_by_tag)
		n->content = up_content;
	if (drop >= 0)
		n->drop = drop;
	if (keep >= 0)
		n->keep = keep;
	*own_drop = drop >= 0;
	return idx;
}

/* Keeps the text of the first <title> (for the headline). */
static void grab_title(walker *w, const GumboNode *n)
{
	if (n->type != GUMBO_NODE_ELEMENT || n->v.element.tag != GUMBO_TAG_TITLE ||
	    w->h->title.len || !n->v.element.children.length)
		return;
	const GumboNode *t = n->v.element.children.data[0];
	if (t->type != GUMBO_NODE_TEXT)
		return;
	size_t len = strnlen(t->v.text.text, 1024);
	/* repaired as the blocks will be (wn_doc_split_lines), or the
	 * headline would no longer match its title */
	wn_buf fixed;
	wn_buf_init(&fixed);
	if (wn_utf8_valid(t->v.text.text, len) &&
	    wn_mojibake_fix(t->v.text.text, len, &fixed, NULL))
		wn_buf_add(&w->h->title, fixed.data, fixed.len);
	else
		wn_buf_add(&w->h->title, t->v.text.text, len);
	wn_buf_free(&fixed);
}

/* Notes markup of today: an element an `era` rule matches
 * (rules/html.rules: a viewport meta tag, an Open Graph property, an
 * HTML5 sectioning element).  The benchmarks' gold differs by era, and
 * this lets the model tell the eras apart.  Runs on every element, those
 * of <head> included, which never become nodes. */
static void note_era(walker *w, const GumboNode *n)
{
	if (w->h->modern || !w->nera_rules || n->type != GUMBO_NODE_ELEMENT)
		return;
	const GumboElement *el = &n->v.element;
	attr_list al;
	attrs_of(el, &al);
	tokens toks;
	toks.n = toks.used = 0;
	bool tokenized = false;
	for (size_t k = 0; k < w->nera_rules && !w->h->modern; k++) {
		const wn_rule *ru = wn_rules_get(w->r, w->era_rules[k]);
		bool m;
		if (ru->match == WN_M_TAG) {
			m = el->tag != GUMBO_TAG_UNKNOWN &&
			    el->tag == w->era_tag[k];
		} else if (ru->match == WN_M_CLASS) {
			if (!tokenized) {
				const GumboAttribute *a;
				if ((a = find_attr(&al, "class", 5)))
					tokenize(&toks, a->value);
				if ((a = find_attr(&al, "id", 2)))
					tokenize(&toks, a->value);
				tokenized = true;
			}
			m = class_match(ru, &toks);
		} else {
			m = attr_match(ru, &al, &w->tmp);
		}
		w->h->modern = m;
	}
}

static void walk(walker *w, GumboNode *root)
{
	size_t cap = 256, sp = 0;
	frame *st = wn_xmalloc(cap * sizeof(frame));
	w->owner = 0;
	/* the document node's element children, in order */
	const GumboVector *top = &root->v.document.children;
	for (size_t t = 0; t < top->length; t++) {
		GumboNode *gn = top->data[t];
		if (gn->type != GUMBO_NODE_ELEMENT)
			continue;
		bool own_drop;
		uint32_t idx = new_node(w, gn, NONE, &own_drop);
		w->owner = idx;
		st[sp++] = (frame){.node = gn, .idx = idx, .prev_owner = idx,
				   .block = true};
		while (sp) {
			frame *f = &st[sp - 1];
			const GumboVector *ch = &f->node->v.element.children;
			if (f->next_child >= ch->length) {
				if (f->block) {
					flush(w);
					w->owner = f->prev_owner;
				}
				w->h->nodes[f->idx].end = (uint32_t)w->h->n;
				sp--;
				continue;
			}
			GumboNode *c = ch->data[f->next_child++];
			if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA ||
			    c->type == GUMBO_NODE_WHITESPACE) {
				add_text(w, c->v.text.text, strlen(c->v.text.text),
					 f->idx, c->v.text.start_pos.line, f->pre);
				continue;
			}
			if (c->type != GUMBO_NODE_ELEMENT)
				continue; /* comments, templates */
			GumboTag tag = c->v.element.tag;
			if (tag == GUMBO_TAG_HEAD) {
				const GumboVector *hc = &c->v.element.children;
				for (size_t k = 0; k < hc->length; k++) {
					grab_title(w, hc->data[k]);
					note_era(w, hc->data[k]);
				}
			}
			grab_title(w, c);
			note_era(w, c);
			/* a <br> inside a heading breaks its line, not the
			 * heading: "Council approves<br>transport budget" is one
			 * headline (--no-title dropped its first half only; a
			 * reviewer's find) */
			if (tag == GUMBO_TAG_BR && w->owner != NONE &&
			    heading_level((GumboTag)w->h->nodes[w->owner].tag)) {
				if (w->line.len)
					w->space = true;
				continue;
			}
			unsigned flags = tag == GUMBO_TAG_UNKNOWN
					 ? unknown_flags(&c->v.element) : tag_flags[tag];
			if ((flags & F_SKIP) ||
			    c->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
				/* "Call us<button>now</button>today": the
				 * words around a control are not one */
				if ((flags & F_BOX) && w->line.len)
					w->space = true;
				continue;
			}
			uint32_t cidx = new_node(w, c, f->idx, &own_drop);
			/* an inline element a drop rule matches (an icon with
			 * aria-hidden, a display:none span in a sentence) is
			 * left out of its line, which goes on: as a block of
			 * its own it cut its paragraph or headline in two (a
			 * reviewer's find) */
			if (own_drop && !(flags & (F_BLOCK | F_CELL))) {
				w->h->nodes[cidx].end = (uint32_t)w->h->n;
				continue;
			}
			bool block = (flags & F_BLOCK) || own_drop;
			bool cell = (flags & F_CELL) != 0;
			bool in_simple = cell && f->simple_row;
			if (cell && !in_simple)
				block = true;
			if (in_simple && w->line.len)
				wn_buf_add(&w->line, " |", 2), w->space = true;
			if (block)
				flush(w);
			if (sp == cap) {
				cap *= 2;
				st = wn_xrealloc(st, cap * sizeof(frame));
				f = &st[sp - 1];
			}
			frame nf = {.node = c, .idx = cidx, .prev_owner = w->owner,
				    .block = block,
				    .pre = f->pre || (flags & F_PRE),
				    .simple_row = tag == GUMBO_TAG_TR && simple_row(c)};
			if (block)
				w->owner = cidx;
			st[sp++] = nf;
		}
		flush(w);
	}
	free(st);
}

/* ---- a bound Gumbo lacks --------------------------------------------- */

/* name[0..n) is one of list's names, case-blind. */
static bool name_in(const char *name, size_t n, const char *const *list,
		    size_t count, const char **which)
{
	if (!n)
		return false;
	char c0 = lower(name[0]);
	for (size_t k = 0; k < count; k++) {
		if (list[k][0] != c0) /* most names differ at once */
			continue;
		size_t i = 1;
		while (i < n && list[k][i] && lower(name[i]) == list[k][i])
			i++;
		if (i == n && !list[k][n]) {
			if (which)
				*which = list[k];
			return true;
		}
	}
	return false;
}

/* The attributes that matter to the walk: those it reads (class, id),
 * those Gumbo's tree building looks at (input's type, annotation-xml's
 * encoding; bound_page keeps every attribute of the few tags whose
 * attributes the tree building compares) and the names of the rule
 * set's attr rules. */
typedef struct attr_names {
	const char *name[64];
	size_t len[64], n;
	/* how an attribute of the list is kept: AK_CONTAINS when every rule
	 * on the name is "attr NAME~TEXT": kept when its value holds one of
	 * the texts (style~display:none keeps the styles that say it) */
	enum { AK_ALWAYS, AK_CONTAINS } kind[64];
	const char *needle[64][8];
	size_t nneedle[64];
	bool all;  /* too many names to list: keep every attribute */
} attr_names;

static void attr_names_init(attr_names *a, const winnow_rules *r)
{
	static const char *const fixed[] = {"class", "id", "type", "encoding"};
	a->n = 0;
	a->all = false;
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
		a->name[a->n] = fixed[k];
		a->kind[a->n] = AK_ALWAYS;
		a->len[a->n++] = strlen(fixed[k]);
	}
	size_t ns;
	const size_t *sr = r ? wn_rules_structural(r, &ns) : NULL;
	for (size_t k = 0; sr && k < ns; k++) {
		const wn_rule *ru = wn_rules_get(r, sr[k]);
		if (ru->match != WN_M_ATTR)
			continue;
		size_t i = 0;
		while (i < a->n && !(a->len[i] == ru->plen &&
				     !memcmp(a->name[i], ru->pattern, ru->plen)))
			i++;
		if (i == a->n) {
			if (a->n == sizeof a->name / sizeof a->name[0]) {
				a->all = true;
				return;
			}
			a->name[a->n] = ru->pattern;
			a->len[a->n] = ru->plen;
			a->kind[a->n] = AK_CONTAINS;
			a->nneedle[a->n++] = 0;
		}
		if (a->kind[i] != AK_CONTAINS)
			a->kind[i] = AK_ALWAYS; /* a rule on it: always */
		else if (ru->attr_op == '~' && a->nneedle[i] < 8)
			a->needle[i][a->nneedle[i]++] = ru->value;
		else
			a->kind[i] = AK_ALWAYS;
	}
}

/* The index of the attribute named s[0..n) in a's list, or -1. */
static long attr_wanted(const attr_names *a, const char *s, size_t n)
{
	for (size_t k = 0; k < a->n; k++) {
		if (a->len[k] != n || lower(s[0]) != a->name[k][0])
			continue;
		size_t i = 1;
		while (i < n && lower(s[i]) == a->name[k][i])
			i++;
		if (i == n)
			return (long)k;
	}
	return -1;
}

/* Is attribute k with the raw value v[0..vn) (quotes off) kept?  attr
 * rules see Gumbo's value, entities decoded, lower case, without white
 * space: a value with a '&' is kept whatever it says. */
static bool attr_kept(const attr_names *a, long k, const char *v, size_t vn)
{
	if (a->all)
		return true;
	if (k < 0)
		return false;
	if (a->kind[k] == AK_ALWAYS)
		return true;
	char norm[512];
	size_t m = 0;
	for (size_t i = 0; i < vn; i++) {
		if (v[i] == '&' || m == sizeof norm - 1)
			return true; /* an entity, or too long to judge */
		if (!ascii_ws(v[i]))
			norm[m++] = lower(v[i]);
	}
	norm[m] = '\0';
	for (size_t i = 0; i < a->nneedle[k]; i++)
		if (strstr(norm, a->needle[k][i]))
			return true;
	return false;
}

/* Two bounds Gumbo lacks, applied to the source before parsing.
 * - Gumbo checks each new attribute against every earlier one of its tag:
 *   a tag with a million attributes takes hours.  Attributes past the
 *   first max_attrs of a tag are cut (a browser would keep them; no
 *   article depends on them).
 * - Gumbo's tree building scans the stack of open elements for every tag,
 *   quadratic in the nesting: a 100,000-deep page took two minutes.  Past
 *   max_depth open elements (as the stack below keeps them: an omitted
 *   end tag closed where HTML closes it), further start tags are cut with their
 *   end tags, each for a space; their text stays, one level up.
 * The scan is a tag's grammar, simplified: a name, then attributes, each
 * a name with an optional = and a quoted or bare value, up to '>';
 * comments and the text of script, style and the other raw-text elements
 * are stepped over (their "a < b" is not a tag).
 * Two savings besides, for Gumbo tokenizes character by character:
 * attributes nothing reads (href, src, data-*, srcset: a quarter of a
 * news page once scripts are gone) are left out, and so are the bodies of
 * script and style elements.  Returns the input when nothing needs
 * cutting, else the cut copy in out. */
/* The pre-pass's output: bytes [*copied, from) are kept, [from, to) left
 * out but for its line breaks, so that Gumbo's line numbers (--explain's
 * first column) still count the page's own lines. */
typedef struct cutter {
	wn_buf *out;
	const char *copied;
	size_t n;           /* the bytes to reserve at the first cut */
} cutter;

static void cut_out(cutter *c, const char *from, const char *to)
{
	if (!c->out->len)
		wn_buf_reserve(c->out, c->n);
	wn_buf_add(c->out, c->copied, (size_t)(from - c->copied));
	/* each line break stays one break: a CR before the cut and an LF in
	 * it, or a CR and an LF with cut text between, must not become a
	 * CR LF (Gumbo counts one line for it).  The breaks are found with
	 * memchr: a cut is mostly script, with few of them. */
	bool last_cr = c->out->len && c->out->data[c->out->len - 1] == '\r';
	const char *after = from; /* where the byte after that CR lies */
	const char *lf = memchr(from, '\n', (size_t)(to - from));
	const char *cr = memchr(from, '\r', (size_t)(to - from));
	while (lf || cr) {
		const char *q = lf && (!cr || lf < cr) ? lf : cr;
		/* a CR as it is when an LF follows it, or the cut's end (what
		 * follows in the page follows it here too) */
		char e = q == lf ? '\n' : q + 1 == to || q[1] == '\n' ? '\r' : '\n';
		if (last_cr && e == '\n' && !(q == after && q == lf))
			wn_buf_addc(c->out, ' '); /* not the LF of that CR */
		wn_buf_addc(c->out, e);
		last_cr = e == '\r';
		after = q + 1;
		if (q == lf)
			lf = memchr(q + 1, '\n', (size_t)(to - q - 1));
		else
			cr = memchr(q + 1, '\r', (size_t)(to - q - 1));
	}
	if (last_cr && after != to) /* an LF after the cut is not that CR's */
		wn_buf_addc(c->out, ' ');
	c->copied = to;
}

/* Where the comment opened at p ("<!--") ends, as the tokenizer sees it,
 * and whether its body may go: only when the first "-->" ends it ("<!-->"
 * and "<!--->" are whole comments, "--!>" ends one too: those stay). */
static const char *comment_end(const char *p, const char *end, bool *simple)
{
	const char *b = p + 4;
	const char *q = memmem(b, (size_t)(end - b), "-->", 3);
	*simple = q && q > b && *b != '>' && !((size_t)(end - b) >= 2 && !memcmp(b, "->", 2)) &&
		  !memmem(b, (size_t)(q - b), "--!>", 4);
	return q ? q + 3 : end;
}

/* White space in text outside pre: Gumbo makes a character token of
 * each byte, the walk one space of a run; a run shrinks to its first
 * byte and its line breaks. */
static void squeeze(cutter *c, const char *from, const char *to)
{
	for (const char *q = from; q < to; q++) {
		if (!ascii_ws(*q))
			continue;
		const char *e = q + 1;
		while (e < to && ascii_ws(*e))
			e++;
		if (e - q >= 2)
			cut_out(c, q + 1, e);
		q = e;
	}
}

/* Where a window may end: before a start or end tag of the elements
 * that hold an article's blocks (a paragraph is not cut in two) or a
 * <br> (a line is not), or before any markup at all when far is set. */
static bool window_cut(const char *tag, const char *end, bool far)
{
	static const char *const at[] = {"p", "div", "li", "tr", "table", "ul",
		"ol", "dl", "section", "article", "blockquote", "h1", "h2", "h3",
		"h4", "h5", "h6", "br"};
	const char *p = tag + 1;
	/* far: any markup, a comment, a bogus one ("<?x>", "<!x>", "</ x>":
	 * 2,000,000 "<?x>y" had no other place and took 742 MB), a '<' in
	 * text */
	if (far)
		return true;
	if (p < end && *p == '/')
		p++;
	if (p >= end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	const char *name = p;
	while (p < end && !ascii_ws(*p) && *p != '>' && *p != '/')
		p++;
	return far || name_in(name, (size_t)(p - name), at,
			      sizeof at / sizeof at[0], NULL);
}

/* A page may have no tag to end a window at (a text file served as
 * HTML, a log in one <pre>): text p[0..run) (no tag in it; what is read
 * of the page ends at end, more of it follows when more is set), coming
 * after kept bytes of output, is cut after the first line break (else
 * white space) past twice the window, if at least half a window follows
 * it.  NULL: no cut in it. */
static const char *text_cut(const char *p, const char *run, const char *end,
			    bool more, size_t kept, size_t limit)
{
	size_t far = 2 * limit;
	if (kept + (size_t)(run - p) <= far)
		return NULL;
	const char *from = kept >= far ? p : p + (far - kept);
	const char *at = memchr(from, '\n', (size_t)(run - from));
	if (!at && run == end && more)
		return NULL; /* a line break may follow: read more first */
	while (!at && from < run) {
		if (ascii_ws(*from))
			at = from;
		from++;
	}
	if (!at || (size_t)(end - at) <= limit / 2)
		return NULL;
	return at + 1;
}

/* Does s (before end) start with the tag name name (m bytes, lower
 * case), case-blind, ended as the tokenizer ends one there: white space,
 * '/' or '>'? */
static bool tag_name_at(const char *s, const char *end, const char *name,
			size_t m)
{
	if ((size_t)(end - s) < m + 1)
		return false;
	for (size_t i = 0; i < m; i++)
		if (lower(s[i]) != name[i])
			return false;
	return ascii_ws(s[m]) || s[m] == '/' || s[m] == '>';
}

/* Is q ("<...") the end tag of the raw-text element name (m bytes, lower
 * case), as the tokenizer reads one? */
static bool raw_end_tag(const char *q, const char *end, const char *name,
			size_t m)
{
	return end - q >= 2 && q[1] == '/' && tag_name_at(q + 2, end, name, m);
}

/* Where the text of a raw-text element that starts at p ends: its end
 * tag, or NULL (it runs to the page's end). */
static const char *raw_end(const char *p, const char *end, const char *name,
			   size_t m)
{
	for (const char *q = p; (q = memchr(q, '<', (size_t)(end - q))); q++)
		if (raw_end_tag(q, end, name, m))
			return q;
	return NULL;
}

/* The same for a script, whose text the tokenizer reads in states of its
 * own: after "<!--" it is escaped, and a "<script" there opens a double
 * escape in which "</script" does not end it (it ends the double escape);
 * "-->" (its dashes may be the "<!--"'s own) ends both. */
static const char *script_end(const char *p, const char *end)
{
	enum { DATA, ESCAPED, DOUBLE } st = DATA;
	for (const char *q = p; q < end; q++) {
		if (*q == '>') {
			if (st != DATA && q - p >= 2 && q[-1] == '-' && q[-2] == '-')
				st = DATA;
			continue;
		}
		if (*q != '<')
			continue;
		if (raw_end_tag(q, end, "script", 6)) {
			if (st != DOUBLE)
				return q;
			st = ESCAPED;
			q += 7;
		} else if (st == DATA && (size_t)(end - q) >= 4 &&
			   !memcmp(q, "<!--", 4)) {
			st = ESCAPED;
			q += 3;
		} else if (st == ESCAPED && tag_name_at(q + 1, end, "script", 6)) {
			st = DOUBLE;
		}
	}
	return NULL;
}

/* ---- the pre-pass's stack of open elements ---------------------------
 *
 * The depth bound needs the depth Gumbo's tree builder will reach, and
 * counting start tags up and end tags down is wrong both ways: 510
 * unclosed <p>s with a <b> in each, or 255 table rows whose <tr> and
 * <td> are never closed, counted past the bound and lost their blocks
 * (a reviewer's find), while "<div></x>" or "<div/>" repeated counted
 * nothing and nested 50,000 deep (5 s to parse, quadratic).  So the
 * pre-pass keeps a stack of the elements open, as HTML's tree building
 * rules open and close them, simplified: a start tag first closes what
 * it implies (an <li> the open <li>, past phrase elements and
 * <div>s; a block the open <p>; a <td> the open cell; a <tr> the open
 * row), an end tag closes the nearest element of its name unless an
 * element that bounds its scope comes first (a phrase element's end tag
 * stops at any special element: </b> past a <div> is left alone);
 * </form> closes the form alone; inside svg and math nothing is closed
 * by implication; a formatting element closed by another's end stays
 * active and counts (afe_add).  Where the rules are more than this (the
 * adoption agency, foster parenting, quirks), the model means to err
 * towards a deeper stack, which at worst cuts tags that needed no
 * cutting; a review of the first version found three ways it erred the
 * other way (formatting elements, </form>, svg), each let a small page
 * nest without bound. */

/* the stack's room; the bound is the lesser of it and html_max_depth */
#define WN_HTML_STACK 512

typedef struct open_el {
	uint16_t tag;  /* GumboTag */
	/* a formatting element's nodes when Gumbo opens it again: itself
	 * and its attributes */
	uint16_t cost;
	/* a hash of the name, for GUMBO_TAG_UNKNOWN; of the attributes,
	 * for a formatting element (os_is_fmt) */
	uint32_t name;
	uint32_t saved; /* a marker's: the formatting count outside it */
	uint32_t saved_cost; /* and their nodes (prepass, fmt_cost) */
} open_el;

/* The formatting elements closed by another element's end (a <b> inside
 * a <p> that a <div> closes) stay active: Gumbo opens them again inside
 * whatever comes next, so each is a level of depth all the same, three
 * at most of one tag and attributes (the "Noah's ark" clause), until
 * their own end tag or the end of the table cell (or other marker) they
 * are in.  Ignoring them let "<p><b id=N>x" repeated nest without bound
 * (2,000 of them took 1 GB; a reviewer's find). */
#define WN_AFE_SLOTS 256
typedef struct afe_slot {
	uint32_t key;  /* tag and attributes' hash; 0: free */
	uint16_t tag;
	uint16_t cost; /* each one's nodes (open_el) */
	uint8_t n;     /* at most 3 */
} afe_slot;

/* The pre-pass's state between the windows of a page. */
typedef struct prepass {
	size_t depth;    /* elements open (open[0..depth)) */
	size_t skipped;  /* start tags cut for depth whose end tag is due */
	size_t pre;      /* open pre and listing elements */
	size_t foreign;  /* open svg and math elements */
	/* HTML integration points (foreignObject, desc, mi, mtext,
	 * annotation-xml...) open inside them: where a <div> does not
	 * break out of svg or math (up at their start tags, down at their
	 * end tags, 0 once foreign is) */
	size_t integ;
	/* a window ended inside the body of this raw-text element (xmp,
	 * plaintext: one block a line) and the next starts in it */
	const char *raw_in;
	/* the next window's prefix (open_elements): its nodes and bytes */
	size_t carry_nodes, carry_len;
	open_el open[WN_HTML_STACK];
	size_t fmt;      /* formatting elements active, not on the stack */
	/* the nodes Gumbo makes when it opens them all again (in each
	 * block that follows): the window's bound counts them */
	size_t fmt_cost;
	afe_slot afe[WN_AFE_SLOTS];
} prepass;

enum {
	OS_SPECIAL = 1, /* HTML's special elements */
	OS_SCOPE = 2,   /* ends the search of "an element in scope" */
	OS_CLOSES_P = 4 /* its start tag closes an open <p> */
};

#define SP OS_SPECIAL
#define SP_P (OS_SPECIAL | OS_CLOSES_P)
#define SP_SC (OS_SPECIAL | OS_SCOPE)
static const unsigned char os_flags[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_ADDRESS] = SP_P, [GUMBO_TAG_APPLET] = SP_SC,
	[GUMBO_TAG_AREA] = SP, [GUMBO_TAG_ARTICLE] = SP_P,
	[GUMBO_TAG_ASIDE] = SP_P, [GUMBO_TAG_BASE] = SP,
	[GUMBO_TAG_BASEFONT] = SP, [GUMBO_TAG_BGSOUND] = SP,
	[GUMBO_TAG_BLOCKQUOTE] = SP_P, [GUMBO_TAG_BODY] = SP,
	[GUMBO_TAG_BR] = SP, [GUMBO_TAG_BUTTON] = SP,
	[GUMBO_TAG_CAPTION] = SP_SC, [GUMBO_TAG_CENTER] = SP_P,
	[GUMBO_TAG_COL] = SP, [GUMBO_TAG_COLGROUP] = SP,
	[GUMBO_TAG_DD] = SP_P, [GUMBO_TAG_DETAILS] = SP_P,
	[GUMBO_TAG_DIR] = SP_P, /* (Gumbo knows no dialog: a phrase element to it) */
	[GUMBO_TAG_DIV] = SP_P, [GUMBO_TAG_DL] = SP_P, [GUMBO_TAG_DT] = SP_P,
	[GUMBO_TAG_EMBED] = SP, [GUMBO_TAG_FIELDSET] = SP_P,
	[GUMBO_TAG_FIGCAPTION] = SP_P, [GUMBO_TAG_FIGURE] = SP_P,
	[GUMBO_TAG_FOOTER] = SP_P, [GUMBO_TAG_FORM] = SP_P,
	[GUMBO_TAG_FRAME] = SP, [GUMBO_TAG_FRAMESET] = SP,
	[GUMBO_TAG_H1] = SP_P, [GUMBO_TAG_H2] = SP_P, [GUMBO_TAG_H3] = SP_P,
	[GUMBO_TAG_H4] = SP_P, [GUMBO_TAG_H5] = SP_P, [GUMBO_TAG_H6] = SP_P,
	[GUMBO_TAG_HEAD] = SP, [GUMBO_TAG_HEADER] = SP_P,
	[GUMBO_TAG_HGROUP] = SP_P, [GUMBO_TAG_HR] = SP_P,
	[GUMBO_TAG_HTML] = SP_SC, [GUMBO_TAG_IFRAME] = SP, [GUMBO_TAG_IMG] = SP,
	[GUMBO_TAG_INPUT] = SP, [GUMBO_TAG_KEYGEN] = SP, [GUMBO_TAG_LI] = SP_P,
	[GUMBO_TAG_LINK] = SP, [GUMBO_TAG_LISTING] = SP_P,
	[GUMBO_TAG_MAIN] = SP_P, [GUMBO_TAG_MARQUEE] = SP_SC,
	[GUMBO_TAG_MENU] = SP_P, [GUMBO_TAG_META] = SP, [GUMBO_TAG_NAV] = SP_P,
	[GUMBO_TAG_NOEMBED] = SP, [GUMBO_TAG_NOFRAMES] = SP,
	[GUMBO_TAG_NOSCRIPT] = SP, [GUMBO_TAG_OBJECT] = SP_SC,
	[GUMBO_TAG_OL] = SP_P, [GUMBO_TAG_P] = SP_P, [GUMBO_TAG_PARAM] = SP,
	[GUMBO_TAG_PLAINTEXT] = SP_P, [GUMBO_TAG_PRE] = SP_P,
	[GUMBO_TAG_SCRIPT] = SP, [GUMBO_TAG_SECTION] = SP_P,
	[GUMBO_TAG_SELECT] = SP, [GUMBO_TAG_SOURCE] = SP,
	[GUMBO_TAG_STYLE] = SP, [GUMBO_TAG_SUMMARY] = SP_P,
	[GUMBO_TAG_TABLE] = SP_SC, [GUMBO_TAG_TBODY] = SP,
	[GUMBO_TAG_TD] = SP_SC, [GUMBO_TAG_TEMPLATE] = SP_SC,
	[GUMBO_TAG_TEXTAREA] = SP, [GUMBO_TAG_TFOOT] = SP,
	[GUMBO_TAG_TH] = SP_SC, [GUMBO_TAG_THEAD] = SP, [GUMBO_TAG_TITLE] = SP,
	[GUMBO_TAG_TR] = SP, [GUMBO_TAG_TRACK] = SP, [GUMBO_TAG_UL] = SP_P,
	[GUMBO_TAG_WBR] = SP, [GUMBO_TAG_XMP] = SP_P,
};
#undef SP
#undef SP_P
#undef SP_SC

static bool is_heading(unsigned t)
{
	_Static_assert(GUMBO_TAG_H6 - GUMBO_TAG_H1 == 5, "Gumbo's h1 to h6 in a row");
	return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

static bool is_section(unsigned t)
{
	return t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT;
}

/* Where a search down the stack stops (returns true) without a match. */
enum os_stop { STOP_LI, STOP_BUTTON, STOP_SCOPE, STOP_LIST, STOP_TABLE,
	       STOP_CELL, STOP_ROW, STOP_SPECIAL };

static bool os_stops(enum os_stop how, unsigned t)
{
	unsigned f = os_flags[t];
	bool table = t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TEMPLATE ||
		     t == GUMBO_TAG_HTML;
	switch (how) {
	case STOP_LI: /* an <li>'s (<dd>'s) search goes past these only */
		return (f & OS_SPECIAL) && t != GUMBO_TAG_ADDRESS &&
		       t != GUMBO_TAG_DIV && t != GUMBO_TAG_P;
	case STOP_BUTTON:
		return (f & OS_SCOPE) || t == GUMBO_TAG_BUTTON;
	case STOP_SCOPE:
		return f & OS_SCOPE;
	case STOP_LIST:
		return (f & OS_SCOPE) || t == GUMBO_TAG_OL || t == GUMBO_TAG_UL;
	case STOP_TABLE:
		return table;
	case STOP_CELL: /* a <td> closes a cell, not past its row */
		return table || t == GUMBO_TAG_TR || is_section(t);
	case STOP_ROW:
		return table || is_section(t);
	case STOP_SPECIAL:
		return f & OS_SPECIAL;
	}
	return true;
}

/* How many elements, from stack entry d down, closing the nearest one
 * that matches ends (it with those above it), if no entry on the way
 * stops the search; else 0.  Matching: tag a or b, or for
 * GUMBO_TAG_UNKNOWN the name's hash; any heading for a heading; any of
 * tbody, thead and tfoot for one of them. */
static size_t os_find(const prepass *st, size_t d, unsigned a, unsigned b,
		      uint32_t name, enum os_stop how)
{
	for (size_t i = d; i-- > 0;) {
		unsigned t = st->open[i].tag;
		bool hit = a == GUMBO_TAG_UNKNOWN
			   ? t == a && st->open[i].name == name
			   : t == a || t == b || (is_heading(a) && is_heading(t)) ||
			     (is_section(a) && is_section(t));
		if (hit)
			return d - i;
		if (os_stops(how, t))
			return 0;
	}
	return 0;
}

/* The stack's depth once the start tag t has closed what it implies. */
static size_t os_implied(const prepass *st, unsigned t)
{
	size_t d = st->depth;
	/* a column group ends at anything but a column */
	if (d && st->open[d - 1].tag == GUMBO_TAG_COLGROUP && t != GUMBO_TAG_COL)
		d--;
	switch (t) {
	case GUMBO_TAG_LI:
		d -= os_find(st, d, t, t, 0, STOP_LI);
		break;
	case GUMBO_TAG_DD: case GUMBO_TAG_DT:
		d -= os_find(st, d, GUMBO_TAG_DD, GUMBO_TAG_DT, 0, STOP_LI);
		break;
	case GUMBO_TAG_OPTGROUP:
		if (d && st->open[d - 1].tag == GUMBO_TAG_OPTION)
			d--;
		if (d && st->open[d - 1].tag == GUMBO_TAG_OPTGROUP)
			d--;
		break;
	case GUMBO_TAG_OPTION:
		if (d && st->open[d - 1].tag == GUMBO_TAG_OPTION)
			d--;
		break;
	case GUMBO_TAG_TD: case GUMBO_TAG_TH:
		d -= os_find(st, d, GUMBO_TAG_TD, GUMBO_TAG_TH, 0, STOP_CELL);
		break;
	case GUMBO_TAG_TR:
		d -= os_find(st, d, t, t, 0, STOP_ROW);
		break;
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
		d -= os_find(st, d, t, t, 0, STOP_TABLE);
		break;
	case GUMBO_TAG_A: /* an <a> closes the open one, if only phrase
			   * elements are above it */
		d -= os_find(st, d, t, t, 0, STOP_SPECIAL);
		break;
	default:
		break;
	}
	if (os_flags[t] & OS_CLOSES_P)
		d -= os_find(st, d, GUMBO_TAG_P, GUMBO_TAG_P, 0, STOP_BUTTON);
	/* a heading ends a heading still open */
	if (is_heading(t) && d && is_heading(st->open[d - 1].tag))
		d--;
	return d;
}

static bool os_is_fmt(unsigned t)
{
	switch (t) {
	case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE:
	case GUMBO_TAG_EM: case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_NOBR:
	case GUMBO_TAG_S: case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE:
	case GUMBO_TAG_STRONG: case GUMBO_TAG_TT: case GUMBO_TAG_U:
		return true;
	default:
		return false;
	}
}

/* The elements after which Gumbo's list of active formatting elements
 * holds a marker: what is active inside one ends with it. */
static bool os_is_marker(unsigned t)
{
	return t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION ||
	       t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_APPLET ||
	       t == GUMBO_TAG_OBJECT || t == GUMBO_TAG_MARQUEE;
}

/* A formatting element e closed by another's end: active still. */
static void afe_add(prepass *st, const open_el *e)
{
	uint32_t key = (e->name ^ (uint32_t)e->tag * 2654435761u) | 1;
	for (size_t i = key % WN_AFE_SLOTS, k = 0; k < WN_AFE_SLOTS;
	     k++, i = (i + 1) % WN_AFE_SLOTS) {
		afe_slot *a = &st->afe[i];
		if (a->key == key && a->tag == e->tag) {
			if (a->n < 3) /* the ark holds three alike */
				a->n++, st->fmt++, st->fmt_cost += e->cost;
			return;
		}
		if (!a->key) {
			*a = (afe_slot){.key = key, .tag = e->tag,
					.cost = e->cost, .n = 1};
			st->fmt++;
			st->fmt_cost += e->cost;
			return;
		}
	}
	st->fmt++; /* the table full: counted all the same */
	st->fmt_cost += e->cost;
}

/* The end tag of formatting element t, not open: it leaves the list. */
static void afe_end(prepass *st, unsigned t)
{
	if (!st->fmt) /* the common case, a stray end tag: no scan */
		return;
	for (size_t i = 0; i < WN_AFE_SLOTS; i++)
		if (st->afe[i].key && st->afe[i].tag == t && st->afe[i].n) {
			st->afe[i].n--;
			if (st->fmt)
				st->fmt--;
			st->fmt_cost -= st->fmt_cost < st->afe[i].cost
					? st->fmt_cost : st->afe[i].cost;
			return;
		}
}

/* Closes the stack's entries from d up: the lowest is what was closed,
 * the formatting elements above it stay active, a marker ends what
 * became active inside it. */
static void os_pop_to(prepass *st, size_t d)
{
	for (size_t i = st->depth; i-- > d;) {
		const open_el *e = &st->open[i];
		if (os_is_marker(e->tag)) {
			st->fmt = e->saved;
			st->fmt_cost = e->saved_cost;
		} else if (i > d && os_is_fmt(e->tag))
			afe_add(st, e);
	}
	st->depth = d;
}

static void os_push(prepass *st, unsigned t, uint32_t name, size_t cost)
{
	if (st->depth < WN_HTML_STACK) {
		st->open[st->depth++] = (open_el){.tag = (uint16_t)t,
			.cost = (uint16_t)(cost < UINT16_MAX ? cost : UINT16_MAX),
			.name = name, .saved = (uint32_t)st->fmt,
			.saved_cost = (uint32_t)(st->fmt_cost < UINT32_MAX
						 ? st->fmt_cost : UINT32_MAX)};
		if (os_is_marker(t))
			st->fmt = st->fmt_cost = 0;
	}
}

/* The tag and, for one Gumbo does not know, the hash of the name
 * name[0..n), case-blind. */
static unsigned os_tag(const char *name, size_t n, uint32_t *hash)
{
	unsigned t = n && n < 64 ? gumbo_tagn_enum(name, (unsigned)n) : GUMBO_TAG_UNKNOWN;
	uint32_t h = 2166136261u;
	if (t == GUMBO_TAG_UNKNOWN)
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)lower(name[i])) * 16777619u;
	*hash = t == GUMBO_TAG_UNKNOWN ? h : 0;
	return t;
}

/* The end tag t (hash name) on the stack: the elements it closes go. */
static void os_end(prepass *st, unsigned t, uint32_t name)
{
	size_t k = 0;
	switch (t) {
	case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_HEAD:
	case GUMBO_TAG_BR:
		return; /* Gumbo closes none of them here */
	case GUMBO_TAG_P:
		k = os_find(st, st->depth, t, t, 0, STOP_BUTTON);
		break;
	case GUMBO_TAG_LI:
		k = os_find(st, st->depth, t, t, 0, STOP_LIST);
		break;
	case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TABLE:
		k = os_find(st, st->depth, t, t, 0, STOP_TABLE);
		break;
	case GUMBO_TAG_TR: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TFOOT:
		k = os_find(st, st->depth, t, t, 0, STOP_TABLE);
		break;
	case GUMBO_TAG_FORM: /* </form> closes the form alone: what is
			      * open inside it stays open (popping it all
			      * let "<form><div></form>" nest; a reviewer's
			      * find) */
		k = os_find(st, st->depth, t, t, 0, STOP_SCOPE);
		if (k) {
			size_t i = st->depth - k;
			memmove(&st->open[i], &st->open[i + 1], (k - 1) * sizeof(open_el));
			st->depth--;
		}
		return;
	default:
		k = os_find(st, st->depth, t, t, name,
			    t != GUMBO_TAG_UNKNOWN && (os_flags[t] & OS_SPECIAL)
			    ? STOP_SCOPE : STOP_SPECIAL);
		if (!k && os_is_fmt(t))
			afe_end(st, t);
		break;
	}
	os_pop_to(st, st->depth - k);
}

/* In text where each line is a block (a pre, an xmp): after the line
 * break in [t, e) at which *nodes, one a line, reaches cap; NULL when
 * none does (*nodes counted past all of them).  A CR LF is one break. */
static const char *lines_to(const char *t, const char *e, size_t *nodes,
			    size_t cap)
{
	for (const char *q = t; q < e; q++) {
		if (*q != '\n' && (*q != '\r' || (q + 1 < e && q[1] == '\n')))
			continue;
		if (++*nodes >= cap)
			return q + 1;
	}
	return NULL;
}

/* After the first line break in [t, e), else (any set) the first white
 * space; NULL if none. */
static const char *text_break(const char *t, const char *e, bool any)
{
	for (const char *q = t; q < e; q++)
		if (*q == '\n' || *q == '\r')
			return q + 1;
	if (any)
		for (const char *q = t; q < e; q++)
			if (ascii_ws(*q))
				return q + 1;
	return NULL;
}

/* Does a start tag of name[0..n) end svg or math content, as HTML's
 * tree building does outside an integration point? */
static bool breaks_out(const char *name, size_t n)
{
	static const char *const out[] = {"b", "big", "blockquote", "body",
		"br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
		"h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img",
		"li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby",
		"s", "small", "span", "strong", "strike", "sub", "sup", "table",
		"tt", "u", "ul", "var"};
	return name_in(name, n, out, sizeof out / sizeof out[0], NULL);
}

/* Reads s[0..n) (a page, or what is left of one) up to where a window
 * ends: the first tag, outside comments and raw text, at which the
 * output holds limit bytes (SIZE_MAX: the whole page) and window_cut
 * agrees; *stop is the bytes read.  Appends the output to out (which may
 * hold the window's prefix); returns the text for Gumbo, *out_n bytes:
 * s itself when out is empty and nothing needed cutting, else out.  more:
 * the page goes on past s[n) (not decoded yet). */
static const char *bound_page(const char *s, size_t n, bool more,
			      wn_buf *out, const attr_names *want, prepass *st,
			      size_t limit, size_t *stop, size_t *out_n)
{
	/* noscript is raw text too, as for a browser that runs scripts:
	 * Gumbo parses as one that does not, where the <div> of a
	 * "please enable JavaScript" noscript in <head> escapes into <body>
	 * and becomes a block */
	static const char *const raw[] = {"script", "style", "textarea", "title",
					  "xmp", "iframe", "noembed", "noframes",
					  "plaintext", "noscript"};
	static const char *const void_tags[] = {"area", "base", "br", "col",
		"embed", "hr", "img", "input", "link", "meta", "param", "source",
		"track", "wbr", "keygen", "basefont", "bgsound", "frame"};
	static const char *const pre_tags[] = {"pre", "listing"};
	/* Elements whose end tag may be left out: one cut for depth is not
	 * waited for as a cut tag's end (its end tag may never come), nor
	 * are their end tags taken for one.  What they close when their end
	 * tag is left out is the stack's (os_implied). */
	static const char *const optional_end[] = {"p", "li", "option", "optgroup",
		"tr", "td", "th", "dt", "dd", "tbody", "thead", "tfoot", "colgroup"};
	const size_t noptional = sizeof optional_end / sizeof optional_end[0];
	const size_t max_depth = wn_thresholds.html_max_depth < WN_HTML_STACK
				 ? wn_thresholds.html_max_depth : WN_HTML_STACK;
	/* a window never ends inside svg or math: reopened, a <div> in the
	 * rest would break out of it */
	static const char *const foreign_tags[] = {"svg", "math"};
	static const char *const integ_tags[] = {"foreignobject", "desc",
		"title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"};
	/* Tags whose attributes Gumbo's tree building reads: formatting
	 * elements but a (the "Noah's ark" clause compares their attributes;
	 * an a start tag closes the open a first, so a never piles up;
	 * font's color/face/size also end foreign content), and isindex
	 * (its prompt becomes text).  Their attributes all stay. */
	static const char *const whole_tags[] = {"b", "big", "code", "em",
		"font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
		"isindex"};
	size_t max = wn_thresholds.html_max_attrs;
	size_t fmt_max = wn_thresholds.html_max_formatting_attrs < max
			 ? wn_thresholds.html_max_formatting_attrs : max;
	/* the nodes Gumbo will make of the window, roughly (a start tag
	 * two, for its text; its attributes; the formatting elements opened
	 * again; an end tag or comment one, as a stray </p> makes a <p>) */
	size_t nodes = st->carry_nodes, node_limit = wn_thresholds.html_window_nodes;
	/* where the nodes' bound may end the window: past half more for a
	 * line of a pre or an xmp, and never before the window holds as
	 * many bytes as its prefix (parsed again in each window: a prefix of
	 * 8 MB of class names before 16,384-node windows was quadratic) */
	size_t lines_cap = limit == SIZE_MAX ? SIZE_MAX : node_limit + node_limit / 2;
	size_t skipped = st->skipped, pre = st->pre;
	size_t foreign = st->foreign;
	const char *p = s, *end = s + n, *last = end;
	const char *seg = s; /* where the text before the next tag starts */
	size_t base = out->len;
	cutter c = {.out = out, .copied = s,
		    .n = limit < n / 2 ? limit + limit / 2 : n};
	if (st->raw_in) { /* the rest of an xmp's or plaintext's body */
		const char *name = st->raw_in;
		const char *q = strcmp(name, "plaintext")
			? raw_end(s, end, name, strlen(name)) : NULL;
		st->raw_in = NULL;
		if (!q)
			q = end;
		const char *at = lines_to(s, q, &nodes, lines_cap);
		if (at && !foreign && (size_t)(at - s) >= st->carry_len) {
			st->raw_in = name;
			last = at;
			goto done;
		}
		p = seg = q;
	}
	for (;;) {
		const char *tag = memchr(p, '<', (size_t)(end - p));
		/* the text before the tag: from seg, as p may lie in an end
		 * tag ("</i\n>" must not be cut at its line break), or before
		 * copied, in a tag cut whole */
		const char *run = tag ? tag : end, *t0 = p;
		if (seg > t0 && seg <= run)
			t0 = seg;
		/* in a pre each line is a block: counted, and past half more
		 * the window may end after one */
		const char *pre_at = pre && t0 < run
			? lines_to(t0, run, &nodes, lines_cap) : NULL;
		if (limit != SIZE_MAX && !foreign) {
			size_t ahead = t0 > c.copied ? (size_t)(t0 - c.copied) : 0;
			size_t kept = out->len - base + ahead;
			const char *at = text_cut(t0, run, end, more, kept, limit);
			/* past half more nodes, a line break in the text will
			 * do, and past three quarters more any white space, as
			 * a tag after a word may not come ("ab<i>cd</i>ef"
			 * repeated); a pre's lines only */
			const char *nat = pre ? pre_at
				: nodes >= node_limit + node_limit / 2
				? text_break(t0, run, nodes >= node_limit +
					     3 * node_limit / 4)
				: NULL;
			if (nat && (!at || nat < at) &&
			    kept + (size_t)(nat - t0) >= st->carry_len)
				at = nat; /* the nodes' cut, when it comes first */
			if (at) {
				if (!pre && seg < at)
					squeeze(&c, seg, at);
				last = at;
				break;
			}
		}
		if (!tag)
			break;
		p = tag + 1;
		if (!pre && seg < tag)
			squeeze(&c, seg, tag);
		seg = tag;
		if (limit != SIZE_MAX) {
			size_t kept = out->len - base + (size_t)(tag - c.copied);
			/* at a block's tag, past a quarter more in a pre (its
			 * count may be stuck: a <pre> closed by its parent's
			 * end tag), at any tag past half more; not inside svg
			 * or math, nor leaving a small last window (it would
			 * be classified alone) */
			bool any = kept >= limit + limit / 2 &&
				   /* not inside a word ("ab<i>cd</i>ef" came out
				    * "abcd" and "ef"; a reviewer's find): white
				    * space before the tag; past twice the window
				    * text_cut, which looks first, cuts at white
				    * space between tags, and past a quarter more
				    * (a word of megabytes) any tag goes */
				   ((tag > s && ascii_ws(tag[-1])) ||
				    kept >= 2 * limit + limit / 4);
			/* the nodes' bound, the same way but closer: a
			 * quarter more for a tag after white space (in a pre,
			 * at a line's start), half more for a line break in
			 * the text, three quarters more for white space
			 * (above), twice for any tag (a word of thousands of
			 * tags); and a small last window is let be (a few
			 * bytes may be many nodes) */
			size_t nq = kept >= st->carry_len
				? nodes / (node_limit / 4 ? node_limit / 4 : 1) : 0;
			bool by_nodes = nq >= 4;
			any |= (nq >= 5 && tag > s && ascii_ws(tag[-1])) || nq >= 8;
			if ((kept >= limit || by_nodes) &&
			    /* in a pre by nodes, at a line's start (after
			     * that, pre_at ends it at a line break: a tag
			     * in the line split it, and "<b>bold</b>" went as
			     * a block of its own; a reviewer's find) */
			    (!pre || kept >= limit + limit / 4 || nq >= 8 ||
			     (nq >= 5 && tag > s && (tag[-1] == '\n' || tag[-1] == '\r'))) &&
			    !foreign && (by_nodes || (size_t)(end - tag) >= limit / 2) &&
			    window_cut(tag, end, any)) {
				last = tag;
				break;
			}
		}
		nodes++; /* an end tag or comment; a start tag's more below */
		if ((size_t)(end - p) >= 3 && !memcmp(p, "!--", 3)) {
			bool simple;
			const char *e = comment_end(tag, end, &simple);
			if (simple) /* "<!--...-->" to "<!---->" */
				cut_out(&c, tag + 4, e - 3);
			seg = p = e;
			continue;
		}
		if (p < end && *p == '/') { /* an end tag */
			const char *gt = memchr(p, '>', (size_t)(end - p));
			seg = gt ? gt + 1 : end;
			const char *en = p + 1, *ee = en;
			while (ee < end && ee != gt && !ascii_ws(*ee) && *ee != '/')
				ee++;
			bool optional = name_in(en, (size_t)(ee - en), optional_end,
						noptional, NULL);
			if (skipped && gt && !optional) {
				/* go on after the cut tag: a '<' inside it
				 * ("</x<b>") would start before copied */
				cut_out(&c, tag, gt + 1);
				/* white space for the tag, or the texts on either
				 * side of a cut </p> run together */
				wn_buf_addc(out, ' ');
				p = gt + 1;
				skipped--;
				continue;
			}
			if (gt) {
				uint32_t h;
				unsigned t = os_tag(en, (size_t)(ee - en), &h);
				os_end(st, t, h);
			}
			if ((pre || foreign) && gt) {
				const char *nm = p + 1, *ne = nm;
				while (ne < gt && !ascii_ws(*ne) && *ne != '/')
					ne++;
				if (pre)
					pre -= name_in(nm, (size_t)(ne - nm), pre_tags, 2, NULL);
				if (foreign && st->integ &&
				    name_in(nm, (size_t)(ne - nm), integ_tags,
					    sizeof integ_tags / sizeof integ_tags[0], NULL))
					st->integ--;
				if (foreign)
					foreign -= name_in(nm, (size_t)(ne - nm), foreign_tags, 2, NULL);
				if (!foreign)
					st->integ = 0;
			}
			continue;
		}
		if (p >= end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			continue;
		const char *name = p;
		while (p < end && !ascii_ws(*p) && *p != '>' && *p != '/')
			p++;
		size_t nlen = (size_t)(p - name);
		/* where the output stood before this tag: a tag cut whole below
		 * takes back the attribute cuts made inside it */
		size_t mark_len = out->len;
		const char *mark_copied = c.copied;
		const char *rawname = NULL;
		name_in(name, nlen, raw, sizeof raw / sizeof raw[0], &rawname);
		/* in svg or math (outside an integration point) a <style> or
		 * <script> is an element like any: its text is markup, whose
		 * <p> breaks out (300 paragraphs in an svg's <style> were cut
		 * as its body; a reviewer's find) */
		if (rawname && foreign && !st->integ)
			rawname = NULL;
		bool is_pre = name_in(name, nlen, pre_tags, 2, NULL);
		bool keep_attrs = name_in(name, nlen, whole_tags,
					  sizeof whole_tags / sizeof whole_tags[0], NULL);
		size_t attrs = 0, kept_attrs = 0;
		const char *cut = NULL;
		while (p < end && *p != '>') {
			if (ascii_ws(*p) || *p == '/') {
				p++;
				continue;
			}
			if (++attrs == (keep_attrs ? fmt_max : max) + 1)
				cut = p;
			const char *aname, *val, *vend;
			size_t anlen;
			wn_attr_next(&p, end, &aname, &anlen, &val, &vend);
			/* an attribute nothing reads goes, up to the cut (past
			 * it everything goes, below) */
			if (!cut && p < end && anlen && !keep_attrs &&
			    !attr_kept(want, attr_wanted(want, aname, anlen), val,
				       (size_t)(vend - val)))
				cut_out(&c, aname, p);
			else if (!cut)
				kept_attrs++;
		}
		/* "<div/>" opens a div: HTML reads the slash on foreign
		 * elements only, svg and math and what is inside them
		 * (50,000 <div/>s took 5 s to parse) */
		bool opens = p < end &&
			     (p[-1] != '/' || !(foreign || name_in(name, nlen, foreign_tags, 2, NULL))) &&
			     !name_in(name, nlen, void_tags,
				      sizeof void_tags / sizeof void_tags[0], NULL);
		bool optional = opens && name_in(name, nlen, optional_end, noptional, NULL);
		seg = p < end ? p + 1 : end;
		uint32_t th = 0;
		unsigned t = opens ? os_tag(name, nlen, &th) : GUMBO_TAG_UNKNOWN;
		if (opens && os_is_fmt(t)) { /* its attributes, for the ark */
			th = 2166136261u;
			for (const char *q = name + nlen; q < p; q++)
				th = (th ^ (unsigned char)*q) * 16777619u;
		}
		/* inside svg and math, HTML's implied closes do not hold: an
		 * <a> or a <td> there nests (a reviewer's find: 20,000 <a>s
		 * in an <svg> took 10 s); those that break out of foreign
		 * content are taken to close nothing, deeper than they are */
		/* a <div>, <p>, <b>... ends svg and math content, outside an
		 * integration point (an unclosed <svg> kept every window
		 * after it from ending: 19 MB took 522 MB) */
		if (foreign && !st->integ && breaks_out(name, nlen))
			foreign = 0;
		if (foreign && opens && name_in(name, nlen, integ_tags,
						sizeof integ_tags / sizeof integ_tags[0], NULL))
			st->integ++;
		size_t d = !opens || foreign ? st->depth : os_implied(st, t);
		/* a start tag that closes nothing and would open past the
		 * bound goes; the active formatting elements Gumbo opens
		 * again count */
		if (opens && !rawname &&
		    ((d == st->depth && d + st->fmt >= max_depth) ||
		     (os_is_fmt(t) && st->fmt >= wn_thresholds.html_max_formatting))) {
			out->len = mark_len;
			if (out->data)
				out->data[mark_len] = '\0';
			c.copied = mark_copied;
			cut_out(&c, tag, seg); /* the whole tag goes */
			wn_buf_addc(out, ' '); /* as a cut end tag, above */
			skipped += !optional;
			continue;
		}
		nodes += 1 + kept_attrs + st->fmt_cost;
		if (opens) {
			/* an <a> ends the one still active (Gumbo's adoption
			 * agency), if it is not on the stack to be closed */
			if (t == GUMBO_TAG_A && d == st->depth && !foreign)
				afe_end(st, t);
			os_pop_to(st, d);
			/* the rows and row groups Gumbo makes for a cell or a
			 * row straight in a table */
			unsigned top = d ? st->open[d - 1].tag : GUMBO_TAG_UNKNOWN;
			bool cell = t == GUMBO_TAG_TD || t == GUMBO_TAG_TH;
			if ((cell || t == GUMBO_TAG_TR) && top == GUMBO_TAG_TABLE)
				os_push(st, GUMBO_TAG_TBODY, 0, 1);
			if (cell && (top == GUMBO_TAG_TABLE || is_section(top)))
				os_push(st, GUMBO_TAG_TR, 0, 1);
			/* one html, head and body: Gumbo adds the attributes
			 * of another to the first */
			if (t != GUMBO_TAG_HTML && t != GUMBO_TAG_HEAD && t != GUMBO_TAG_BODY)
				os_push(st, t, th, 1 + kept_attrs);
		}
		pre += is_pre; /* not for one cut above: its end tag goes too */
		foreign += opens && name_in(name, nlen, foreign_tags, 2, NULL);
		if (cut)
			cut_out(&c, cut, p); /* resume at the '>' (or the end) */
		if (rawname) { /* to its end tag, as the tokenizer finds it */
			/* (none ends a plaintext: the rest of the page is its
			 * text) */
			const char *q = rawname == raw[0] ? script_end(p, end)
				: rawname == raw[8] ? NULL
				: raw_end(p, end, rawname, strlen(rawname));
			/* the body of an element the walk skips (script,
			 * style, noscript, iframe, textarea, noframes; but
			 * title, which the headline reads) never reaches the
			 * output: Gumbo need not tokenize it, one character
			 * token at a time (a third of a news page's bytes; all
			 * of a page after an iframe left open), up to where
			 * the tokenizer ends it (script_end). */
			const char *body = p + 1;
			bool cut_body = rawname != raw[3] &&
					(tag_flags[gumbo_tag_enum(rawname)] & F_SKIP);
			if (!q)
				q = end;
			if (body < q && cut_body)
				cut_out(&c, body, q);
			/* an xmp's or plaintext's lines are blocks, as a pre's:
			 * counted, and the window may end after one, the next
			 * starting in the body (raw_in; the prefix opens it) */
			if (body < q && (rawname == raw[4] || rawname == raw[8])) {
				const char *at = lines_to(body, q, &nodes, lines_cap);
				if (at && !foreign &&
				    out->len - base + (size_t)(at - c.copied) >= st->carry_len) {
					st->raw_in = rawname;
					last = at;
					break;
				}
			}
			seg = p = q;
			continue;
		}
	}
done:
	st->skipped = skipped;
	st->pre = pre;
	st->foreign = foreign;
	*stop = (size_t)(last - s);
	if (c.copied == s && !out->len) {
		*out_n = *stop;
		return s;
	}
	wn_buf_add(out, c.copied, (size_t)(last - c.copied));
	*out_n = out->len;
	return out->data;
}

/* ---- the document ---------------------------------------------------- */

/* Whether s[j] (a '<', lim the end of what is looked at) starts a tag:
 * '<' or '</', a name (a letter, then letters, digits and '-'), then
 * white space, '/' or '>', and a '>' before any other '<'.  "a<b and
 * b<c" or "<name@example.com>" are text, not tags. */
static bool tag_at(const char *s, size_t j, size_t lim)
{
	size_t k = j + 1;
	if (k < lim && s[k] == '/')
		k++;
	if (k >= lim || !((lower(s[k]) >= 'a' && lower(s[k]) <= 'z')))
		return false;
	while (k < lim && (wn_ascii_alnum((unsigned char)s[k]) || s[k] == '-'))
		k++;
	if (k >= lim || !(ascii_ws(s[k]) || s[k] == '/' || s[k] == '>'))
		return false;
	for (; k < lim && s[k] != '<'; k++)
		if (s[k] == '>')
			return true;
	return false;
}

bool wn_html_sniff(const char *s, size_t n)
{
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3, n -= 3;
	size_t i = 0;
	while (i < n && ascii_ws(s[i]))
		i++;
	size_t lim = n < 4096 ? n : 4096;
	static const char *const starts[] = {"<!doctype html", "<html", "<head",
					     "<body", "<!--"};
	for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
		size_t m = strlen(starts[k]), j = 0;
		while (j < m && i + j < n && lower(s[i + j]) == starts[k][j])
			j++;
		if (j == m)
			return true;
	}
	/* a page that starts with a tag (<script>, <meta>, <div>...) and
	 * closes one soon: scraped text does not start with markup */
	if (i + 1 < n && s[i] == '<' &&
	    ((lower(s[i + 1]) >= 'a' && lower(s[i + 1]) <= 'z') || s[i + 1] == '!' ||
	     s[i + 1] == '?') && i < lim && memmem(s + i, lim - i, "</", 2))
		return true;
	/* dense markup: a fragment of tags without the page around it */
	size_t tags = 0;
	for (const char *p = s + i; p < s + lim && (p = memchr(p, '<', (size_t)(s + lim - p))); p++)
		tags += tag_at(s, (size_t)(p - s), lim);
	return tags >= wn_thresholds.html_sniff_min_tags &&
	       tags * wn_thresholds.html_sniff_bytes_per_tag >= lim - i;
}

/* ---- a page in windows ------------------------------------------------ */

/* Gumbo's tree and the blocks take 9 to 20 times the text parsed.  A
 * page whose text for Gumbo (after bound_page's cuts) is longer than a
 * window (thresholds.c, html_window) is parsed and cleaned a window at a
 * time, each window a document of its own; each after the first starts
 * with the start tags of the elements open where the one before ended
 * (their class, id and the other kept attributes too), so its blocks
 * keep their place.  A page not in UTF-8 is decoded as the windows go
 * (pager_fill), 4 windows' worth ahead. */
struct wn_html_pager {
	wn_decoder dc;      /* the page's bytes not decoded yet */
	wn_buf decoded;     /* the page as UTF-8 from the current window on,
			     * when it was not UTF-8 */
	const char *src;    /* the page as UTF-8 (as far as decoded) */
	size_t len, pos;    /* its size, and where the next window starts */
	size_t window;      /* Gumbo's text per window; SIZE_MAX: whole */
	size_t windows;     /* windows read so far */
	size_t lines;       /* the page's lines before pos, as Gumbo counts */
	prepass st;
	wn_buf prefix;      /* start tags of the elements left open */
	bool modern;        /* the first window's era */
	attr_names want;
	const winnow_rules *r;
};

wn_html_pager *wn_html_pager_new(const char *bytes, size_t len,
				 const char *charset, const winnow_rules *r,
				 size_t window)
{
	wn_html_pager *pg = wn_xcalloc(1, sizeof *pg);
	wn_decoder_open(&pg->dc, bytes ? bytes : "", bytes ? len : 0, charset);
	if (pg->dc.kind == WN_DEC_UTF8) { /* read in place */
		pg->src = pg->dc.in;
		pg->len = pg->dc.left;
		pg->dc.left = 0;
	} else {
		pg->src = "";
	}
	pg->window = window ? window : 1;
	pg->r = r;
	attr_names_init(&pg->want, r);
	return pg;
}

/* Decodes until need bytes are there from pos on (or the page is all
 * decoded); the bytes before pos, read, go first. */
static void pager_fill(wn_html_pager *pg, size_t need)
{
	if (pg->dc.kind == WN_DEC_UTF8)
		return;
	if (pg->pos) {
		pg->decoded.len -= pg->pos;
		memmove(pg->decoded.data, pg->decoded.data + pg->pos,
			pg->decoded.len);
		pg->decoded.data[pg->decoded.len] = '\0';
		pg->pos = 0;
	}
	/* pieces of a window's size: a few allocations, a few MB held */
	size_t piece = pg->window == SIZE_MAX ? 0 : pg->window;
	while (pg->decoded.len < need &&
	       wn_decoder_read(&pg->dc, &pg->decoded, piece))
		;
	pg->src = pg->decoded.data ? pg->decoded.data : "";
	pg->len = pg->decoded.len;
}

bool wn_html_pager_more(const wn_html_pager *pg)
{
	return pg->pos < pg->len || pg->dc.left;
}

void wn_html_pager_free(wn_html_pager *pg)
{
	if (!pg)
		return;
	wn_decoder_close(&pg->dc);
	wn_buf_free(&pg->decoded);
	wn_buf_free(&pg->prefix);
	free(pg);
}

/* name[0..n) as a tag or attribute name that reads back the same:
 * ASCII letters, digits and - _ : . only. */
static bool plain_name(const char *name, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
		      c == '.'))
			return false;
	}
	return true;
}

/* Appends el's start tag, its attributes re-escaped while out holds
 * under cap bytes, and counts its nodes (bound_page's way); false
 * (nothing appended) when its name would not read back the same. */
static bool start_tag(wn_buf *out, const GumboElement *el, size_t cap,
		      size_t *nodes)
{
	GumboStringPiece p = {gumbo_normalized_tagname(el->tag), 0};
	if (el->tag == GUMBO_TAG_UNKNOWN)
		p = unknown_name(el);
	else
		p.length = strlen(p.data);
	const char *name = p.data;
	size_t n = p.length;
	if (!plain_name(name, n))
		return false;
	wn_buf_addc(out, '<');
	wn_buf_add(out, name, n);
	*nodes += 2;
	for (size_t k = 0; k < el->attributes.length; k++) {
		const GumboAttribute *at = el->attributes.data[k];
		if (!plain_name(at->name, strlen(at->name)))
			continue;
		if (out->len >= cap)
			break;
		(*nodes)++;
		wn_buf_addc(out, ' ');
		wn_buf_adds(out, at->name);
		wn_buf_add(out, "=\"", 2);
		/* a class is read for 64 names of 127 bytes at most (tokenize):
		 * a huge value is not repeated in full in every window */
		size_t vn = utf8_cut(at->value, strlen(at->value), 8192);
		for (const char *v = at->value; v < at->value + vn; v++) {
			if (*v == '&')
				wn_buf_adds(out, "&amp;");
			else if (*v == '"')
				wn_buf_adds(out, "&quot;");
			else
				wn_buf_addc(out, *v);
		}
		wn_buf_addc(out, '"');
	}
	wn_buf_addc(out, '>');
	return true;
}

/* The elements the parse left open at the window's end, as start tags
 * into out: <html>, <body>, then down the last child element while it
 * has no end tag of its own (one with an end tag was closed, and so was
 * everything under it), after the doctype the page's mode asks for.
 * Stops at foreign elements and unreadable names, and after a
 * template.  Attributes stop past 16 KB (a prefix is parsed again in
 * every window: 500 <div>s with 16 KB of class each made it 8 MB, and
 * cleaning quadratic).  Returns the pre and listing elements among
 * them; *nodes, its nodes. */
static size_t open_elements(const GumboOutput *go, wn_buf *out, size_t *nodes)
{
	out->len = 0;
	size_t pre = 0;
	/* the page's mode: without a doctype the rest would parse in
	 * quirks mode, where a <table> does not close an open <p> */
	GumboQuirksModeEnum q = go->document->v.document.doc_type_quirks_mode;
	if (q == GUMBO_DOCTYPE_NO_QUIRKS)
		wn_buf_adds(out, "<!DOCTYPE html>");
	else if (q == GUMBO_DOCTYPE_LIMITED_QUIRKS)
		wn_buf_adds(out, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
			    "Transitional//EN\">");
	const GumboNode *n = go->root;
	while (n && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)) {
		const GumboElement *el = &n->v.element;
		if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
			break; /* bound_page does not end a window in svg or math */
		/* a skipped element (select, button, video...) is reopened
		 * with what is open inside it, so the rest stays inside and
		 * out of the text (reopened alone, a </div> in the rest
		 * closed a <div> outside a <button> and its label came out: a
		 * reviewer's find); a template is not gone into; raw text
		 * (script, textarea...) is never open where a window ends, and
		 * would swallow the rest (but xmp and plaintext, whose body a
		 * window may end in: bound_page, raw_in) */
		bool skip = el->tag != GUMBO_TAG_HTML &&
			    ((tag_flags[el->tag] & F_SKIP) || n->type == GUMBO_NODE_TEMPLATE);
		if (skip && (el->tag == GUMBO_TAG_SCRIPT || el->tag == GUMBO_TAG_STYLE ||
			     el->tag == GUMBO_TAG_NOSCRIPT || el->tag == GUMBO_TAG_IFRAME ||
			     el->tag == GUMBO_TAG_TEXTAREA || el->tag == GUMBO_TAG_TITLE ||
			     el->tag == GUMBO_TAG_NOFRAMES))
			break;
		if (!start_tag(out, el, (size_t)16 << 10, nodes))
			break;
		pre += el->tag == GUMBO_TAG_PRE || el->tag == GUMBO_TAG_LISTING;
		if (n->type == GUMBO_NODE_TEMPLATE)
			break;
		const GumboNode *last = NULL;
		for (size_t k = el->children.length; k-- > 0;) {
			const GumboNode *c = el->children.data[k];
			if (c->type == GUMBO_NODE_ELEMENT ||
			    c->type == GUMBO_NODE_TEMPLATE) {
				last = c;
				break;
			}
		}
		if (last && last->v.element.original_end_tag.length &&
		    last->v.element.tag != GUMBO_TAG_BODY)
			break; /* closed, and so is all under it */
		n = last;
	}
	wn_buf_cstr(out);
	return pre;
}

/* Parses the pager's next window into d (see wn_doc_from_html). */
void wn_html_next(wn_doc *d, wn_html_pager *pg)
{
	wn_html *h = wn_xcalloc(1, sizeof *h);
	h->root = NONE;
	d->html = h;
	bool first = !pg->windows++;
	/* Gumbo numbers the lines of the prefix and the window: a block's
	 * line becomes the page's */
	size_t base = pg->lines - wn_line_breaks(pg->prefix.data, pg->prefix.len);
	if (pg->prefix.len)
		wn_buf_add(&h->capped, pg->prefix.data, pg->prefix.len);
	/* A page not in UTF-8 is decoded as its windows need it: bound_page
	 * reads what is decoded; when it reads to the end of that, but the
	 * page goes on, the window may reach further: read again with more */
	size_t need = pg->window >= SIZE_MAX / 4 ? SIZE_MAX : 4 * pg->window;
	prepass st0 = pg->st;
	size_t stop, src_len;
	const char *src;
	for (;;) {
		pager_fill(pg, need);
		src = bound_page(pg->src + pg->pos, pg->len - pg->pos,
				 pg->dc.left > 0, &h->capped, &pg->want, &pg->st,
				 pg->window, &stop, &src_len);
		if (stop < pg->len - pg->pos || !pg->dc.left)
			break;
		pg->st = st0;
		h->capped.len = pg->prefix.len;
		if (h->capped.data)
			h->capped.data[h->capped.len] = '\0';
		need = need > SIZE_MAX / 2 ? SIZE_MAX : 2 * need;
	}
	d->repairs += pg->dc.repairs; /* the decoding's, as it goes */
	pg->dc.repairs = 0;
	const char *read = pg->src + pg->pos;
	pg->pos += stop;
	if (wn_html_pager_more(pg)) /* the next window's lines come after */
		pg->lines += wn_line_breaks(read, stop);
	/* mojibake after the cuts, which read ASCII only (so the repair,
	 * which leaves ASCII alone, does not change them): Gumbo turns the C1
	 * controls of its Latin-1 form ("â" U+0080 U+0099 for "'") into
	 * U+FFFD; entities that spell it are repaired in the text
	 * (wn_doc_split_lines); no line moves */
	if (wn_mojibake_fix(src, src_len, &h->demojibaked, NULL)) {
		src = h->demojibaked.data;
		src_len = h->demojibaked.len;
	}

	arena a = {0};
	GumboOptions go = kGumboDefaultOptions;
	go.allocator = arena_alloc;
	go.deallocator = arena_free;
	go.userdata = &a;
	go.max_errors = 0; /* errors are not reported: do not keep them */
	GumboOutput *out = gumbo_parse_with_options(&go, src, src_len);

	walker w = {.h = h, .r = pg->r};
	w.srules = wn_rules_structural(pg->r, &w.nsrules);
	split_rules(&w);
	wn_buf_reserve(&h->text, src_len / 4 + 64);
	walk(&w, out->document);
	if (wn_html_pager_more(pg)) { /* the pre count, as the parse left it */
		size_t carried = 0;
		pg->st.pre = open_elements(out, &pg->prefix, &carried);
		pg->st.carry_nodes = carried;
		pg->st.carry_len = pg->prefix.len;
	}
	/* a window after the first has the first one's era, and no
	 * headline */
	if (first) {
		pg->modern = h->modern;
	} else {
		h->modern |= pg->modern;
		d->later = true;
	}
	/* the tree lives in the arena: no gumbo_destroy_output (which would
	 * also recurse as deep as the page nests) */
	arena_release(&a);
	wn_buf_free(&w.line);
	wn_buf_free(&w.tmp);
	free(w.tag_rules);
	free(w.tag_of);
	free(w.cls_rules);
	free(w.attr_rules);
	free(w.era_rules);
	free(w.era_tag);
	/* Gumbo's text is not always UTF-8: a numeric reference past int
	 * range ("&#xeeeeeeeeeeee2") wraps and comes out as stray bytes */
	if (!wn_utf8_valid(h->text.data ? h->text.data : "", h->text.len)) {
		wn_buf fixed;
		wn_buf_init(&fixed);
		wn_utf8_repair(h->text.data, h->text.len, &fixed, &d->repairs);
		wn_buf_free(&h->text);
		h->text = fixed;
	}

	d->text = h->text.data ? h->text.data : "";
	d->text_len = h->text.len;
	wn_doc_split_lines(d);
	d->sblocks = wn_xcalloc(d->nblocks + 1, sizeof(wn_sblock));
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_block *b = &d->blocks[i];
		size_t k = b->line - 1; /* lines of h->text are records */
		d->sblocks[i] = w.recs[k];
		b->line = base + w.rec_line[k];
	}
	free(w.recs);
	free(w.rec_line);
}

void wn_doc_from_html(wn_doc *d, const char *bytes, size_t len,
		      const winnow_rules *r)
{
	wn_html_pager *pg = wn_html_pager_new(bytes, len, d->charset, r, SIZE_MAX);
	wn_html_next(d, pg);
	/* unknown tags' names may point into the decoded page */
	d->html->src = pg->decoded;
	wn_buf_init(&pg->decoded);
	wn_html_pager_free(pg);
}

void wn_html_context(wn_doc *d)
{
	wn_html *h = d->html;
	if (!h || !h->n)
		return;
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_sblock *s = &d->sblocks[i];
		const wn_hnode *el = &h->nodes[s->node];
		uint32_t content = el->content;
		s->content = content != NONE;
		s->chrome_tag = el->chrome_tag != NONE &&
				(content == NONE || el->chrome_tag > content);
		s->chrome_cls = el->chrome_cls != NONE &&
				(content == NONE || el->chrome_cls > content);
		/* a comment's own text may carry a content hint
		 * (itemprop=text): it is still a comment */
		s->comments = el->comments != NONE;
		s->comments_only = s->comments &&
			(content == NONE || content < el->comments);
		if (s->comments_only && d->headline >= 0) {
			uint32_t hn = d->sblocks[d->headline].node;
			if (hn >= el->comments && hn < h->nodes[el->comments].end)
				s->comments_only = false;
		}
	}
	d->modern = h->modern;
	/* good text: what the passes found good, outside hinted chrome (a
	 * long comment thread must not become the root) */
	for (size_t i = 0; i < d->nblocks; i++) {
		const wn_block *b = &d->blocks[i];
		const wn_sblock *s = &d->sblocks[i];
		if (!b->decided && b->cls == WN_GOOD && !s->chrome_cls && !s->chrome_tag)
			h->nodes[s->owner].good += s->text - s->link;
	}
	for (size_t i = h->n; i-- > 1;) {
		wn_hnode *n = &h->nodes[i];
		if (n->parent == NONE)
			continue;
		wn_hnode *p = &h->nodes[n->parent];
		p->text += n->text;
		p->link_text += n->link_text;
		p->good += n->good;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < h->n; i++)
		if (h->nodes[i].parent == NONE)
			total += h->nodes[i].good;
	/* the content root: most good text for the least other text */
	double best = 0;
	for (size_t i = 0; i < h->n; i++) {
		const wn_hnode *n = &h->nodes[i];
		double sc = (double)n->good -
			    wn_thresholds.html_root_other_weight *
				    (double)(n->text - n->good);
		if (sc > best || (sc == best && sc > 0)) {
			best = sc;
			h->root = (uint32_t)i;
		}
	}
	d->root_share = h->root != NONE && total
		? (double)h->nodes[h->root].good / (double)total : 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_sblock *s = &d->sblocks[i];
		const wn_hnode *o = &h->nodes[s->owner];
		s->in_root = h->root != NONE && s->owner >= h->root &&
			     s->owner < h->nodes[h->root].end;
		s->owner_link = o->text ? (double)o->link_text / (double)o->text : 0;
		s->owner_text = log1p((double)o->text) / 10.0;
		const wn_hnode *p = o->parent != NONE ? &h->nodes[o->parent] : o;
		s->parent_good = total ? (double)p->good / (double)total : 0;
	}
}

/* ---- the headline ---------------------------------------------------- */

static void add_word(const char *w, size_t n, bool letters, void *ctx)
{
	(void)letters;
	wn_buf *b = ctx;
	wn_buf_add(b, w, n);
	wn_buf_addc(b, '\0');
}

/* Share of the words of block b that the title holds. */
static double title_overlap(const wn_doc *d, const wn_block *b,
			    const wn_buf *title_words)
{
	wn_buf bw;
	wn_buf_init(&bw);
	wn_words(wn_block_key(d, b), b->key_len, add_word, &bw);
	size_t n = 0, hit = 0;
	for (size_t i = 0; i < bw.len; i += strlen(bw.data + i) + 1) {
		n++;
		const char *w = bw.data + i;
		for (size_t k = 0; k < title_words->len;
		     k += strlen(title_words->data + k) + 1)
			if (!strcmp(w, title_words->data + k)) {
				hit++;
				break;
			}
	}
	wn_buf_free(&bw);
	return n ? (double)hit / (double)n : 0;
}

long wn_html_headline(const wn_doc *d)
{
	const wn_html *h = d->html;
	if (!h || d->later) /* the headline is in a page's first window */
		return -1;
	wn_buf key, tw;
	wn_buf_init(&key);
	wn_buf_init(&tw);
	if (h->title.len) {
		wn_key(h->title.data, h->title.len, &key);
		wn_words(key.data ? key.data : "", key.len, add_word, &tw);
	}
	/* the h1-h3 whose words the <title> holds best ("Headline | Site"),
	 * the earliest and highest-ranked among equals; without a match, the
	 * page's only <h1> */
	long best = -1, only_h1 = -1;
	size_t h1s = 0;
	double best_ov = 0;
	for (size_t i = 0; i < d->nblocks && i < wn_thresholds.headline_max_block; i++) {
		const wn_block *b = &d->blocks[i];
		const wn_sblock *s = &d->sblocks[i];
		if (!s->heading || s->heading > 3 ||
		    b->words < wn_thresholds.headline_min_words ||
		    b->words > wn_thresholds.headline_max_words)
			continue;
		if (s->heading == 1) {
			h1s++;
			only_h1 = (long)i;
		}
		if (!tw.len)
			continue;
		double ov = title_overlap(d, b, &tw);
		if (ov >= wn_thresholds.headline_title_share &&
		    (ov > best_ov || (ov == best_ov && best >= 0 &&
				      s->heading < d->sblocks[best].heading))) {
			best = (long)i;
			best_ov = ov;
		}
	}
	wn_buf_free(&key);
	wn_buf_free(&tw);
	if (best < 0 && h1s == 1)
		best = only_h1;
	return best;
}

void wn_html_path(const wn_doc *d, size_t i, wn_buf *out)
{
	const wn_html *h = d->html;
	uint32_t chain[8];
	size_t n = 0;
	for (uint32_t k = d->sblocks[i].node; k != NONE && n < 8;
	     k = h->nodes[k].parent)
		chain[n++] = k;
	if (n == 8 && h->nodes[chain[7]].parent != NONE)
		wn_buf_adds(out, "...>");
	while (n--) {
		const wn_hnode *e = &h->nodes[chain[n]];
		wn_buf_add(out, e->name, e->name_len);
		if (e->cls_len) {
			wn_buf_addc(out, '.');
			for (uint32_t c = 0; c < e->cls_len; c++) {
				char ch = h->pool.data[e->cls + c];
				wn_buf_addc(out, (unsigned char)ch < 0x20 ? '?' : ch);
			}
		}
		if (n)
			wn_buf_addc(out, '>');
	}
}

/* The elements whose class words a block reads: its innermost one and
 * the ones around it, at most this many (a 100,000-deep page stays
 * linear). */
#define CLASS_CHAIN 32

void wn_html_classes(const wn_doc *d, size_t i, wn_buf *out)
{
	const wn_html *h = d->html;
	bool first = true;
	size_t k = 0;
	for (uint32_t e = d->sblocks[i].node; e != NONE && k < CLASS_CHAIN;
	     e = h->nodes[e].parent, k++) {
		const wn_hnode *n = &h->nodes[e];
		if (!n->words_len)
			continue;
		if (!first)
			wn_buf_addc(out, ',');
		wn_buf_add(out, h->pool.data + n->words, n->words_len);
		first = false;
	}
}

/* The known class words of one element: their lowest and highest weight,
 * their sum and count (cnt 0: none known; done: looked up). */
typedef struct class_weights {
	double min, max, sum;
	uint32_t cnt;
	bool done;
} class_weights;

static const class_weights *element_weights(const wn_html *h, uint32_t e,
					    const wn_lexicon *cls, class_weights *memo)
{
	class_weights *c = &memo[e];
	if (c->done)
		return c;
	c->done = true;
	const wn_hnode *n = &h->nodes[e];
	if (!n->words_len)
		return c; /* (and the pool may have no data at all) */
	const char *p = h->pool.data + n->words, *end = p + n->words_len;
	while (p < end) {
		const char *q = memchr(p, ' ', (size_t)(end - p));
		if (!q)
			q = end;
		double v;
		if (wn_lexicon_get(cls, p, (size_t)(q - p), &v)) {
			if (!c->cnt || v < c->min)
				c->min = v;
			if (!c->cnt || v > c->max)
				c->max = v;
			c->sum += v;
			c->cnt++;
		}
		p = q + 1;
	}
	return c;
}

/* cls_min and cls_max: the lowest and highest weight of a known class
 * word on the chain; cls_near: the mean weight of the known words of the
 * innermost element that has one.  All 0 without a known word.  Blocks
 * share their outer elements: each element's words are looked up once. */
void wn_html_class_features(wn_doc *d, const wn_lexicon *cls)
{
	const wn_html *h = d->html;
	class_weights *memo = cls && cls->n ? wn_xcalloc(h->n + 1, sizeof *memo) : NULL;
	for (size_t i = 0; i < d->nblocks; i++) {
		wn_sblock *s = &d->sblocks[i];
		s->cls_min = s->cls_max = s->cls_near = 0;
		if (!memo)
			continue;
		bool any = false;
		size_t k = 0;
		for (uint32_t e = s->node; e != NONE && k < CLASS_CHAIN;
		     e = h->nodes[e].parent, k++) {
			const class_weights *c = element_weights(h, e, cls, memo);
			if (!c->cnt)
				continue;
			if (!any || c->min < s->cls_min)
				s->cls_min = c->min;
			if (!any || c->max > s->cls_max)
				s->cls_max = c->max;
			if (!any)
				s->cls_near = c->sum / (double)c->cnt;
			any = true;
		}
	}
	free(memo);
}

typedef struct tpl_ent {
	uint64_t path;
	uint32_t block;
} tpl_ent;

/* by path, then by block: qsort is not stable, and a group's sum must
 * add its blocks in one order every run */
static int tpl_cmp(const void *a, const void *b)
{
	const tpl_ent *x = a, *y = b;
	if (x->path != y->path)
		return x->path < y->path ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

/* grp[WN_GRP * i + 2, + 3]: the mean of q over the page's other blocks
 * whose block-level element has the same path from the root (tag names
 * and first class, as --explain prints them, an unknown tag counting as
 * one: the records of a listing, a menu's items, an article's
 * paragraphs), and how many they are. */
static void template_means(const wn_doc *d, const double *q, double *grp)
{
	const wn_html *h = d->html;
	/* pre-order: a parent's path hash is ready before its children's */
	uint64_t *ph = wn_xmalloc((h->n + 1) * sizeof *ph);
	for (size_t k = 0; k < h->n; k++) {
		const wn_hnode *e = &h->nodes[k];
		uint64_t up = e->parent < h->n ? ph[e->parent] : 0x51ed2701u;
		uint64_t c = e->cls_len ? wn_hash_fast(h->pool.data + e->cls, e->cls_len)
					: 0;
		ph[k] = (up ^ (e->tag * 0x9e3779b97f4a7c15ULL) ^ (c << 1)) *
			0xff51afd7ed558ccdULL;
		ph[k] ^= ph[k] >> 31;
	}
	tpl_ent *v = wn_xmalloc((d->nblocks + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		uint32_t o = d->sblocks[i].owner;
		grp[WN_GRP * i + 2] = q[i];
		grp[WN_GRP * i + 3] = 0;
		if (o < h->n)
			v[n++] = (tpl_ent){ph[o], (uint32_t)i};
	}
	qsort(v, n, sizeof *v, tpl_cmp);
	for (size_t a = 0, b; a < n; a = b) {
		double sum = 0;
		for (b = a; b < n && v[b].path == v[a].path; b++)
			sum += q[v[b].block];
		size_t c = b - a;
		if (c < 2)
			continue;
		for (size_t j = a; j < b; j++) {
			size_t i = v[j].block;
			grp[WN_GRP * i + 2] = (sum - q[i]) / (double)(c - 1);
			/* the scale of log_chars (classify.c) */
			grp[WN_GRP * i + 3] = log1p((double)(c - 1)) / 8.0;
		}
	}
	free(v);
	free(ph);
}

void wn_html_group_means(const wn_doc *d, const double *q, double *grp)
{
	const wn_html *h = d->html;
	/* each element's sum and count over the blocks it holds: blocks
	 * added to their own element, then every element, children first
	 * (pre-order: a child comes after its parent), to its parent */
	double *sum = wn_xcalloc(h->n + 1, sizeof *sum);
	uint32_t *cnt = wn_xcalloc(h->n + 1, sizeof *cnt);
	for (size_t i = 0; i < d->nblocks; i++) {
		uint32_t o = d->sblocks[i].owner;
		if (o < h->n) {
			sum[o] += q[i];
			cnt[o]++;
		}
	}
	for (size_t k = h->n; k-- > 0;) {
		uint32_t p = h->nodes[k].parent;
		if (p < h->n) {
			sum[p] += sum[k];
			cnt[p] += cnt[k];
		}
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		uint32_t e = d->sblocks[i].owner;
		for (int up = 0; up < 2; up++) {
			e = e < h->n ? h->nodes[e].parent : NONE;
			grp[WN_GRP * i + up] = e < h->n && cnt[e] > 1
						       ? (sum[e] - q[i]) / (cnt[e] - 1)
						       : q[i];
		}
	}
	free(sum);
	free(cnt);
	template_means(d, q, grp);
}

void wn_html_free(wn_doc *d)
{
	if (!d->html)
		return;
	wn_buf_free(&d->html->src);
	wn_buf_free(&d->html->demojibaked);
	wn_buf_free(&d->html->capped);
	wn_buf_free(&d->html->text);
	wn_buf_free(&d->html->pool);
	wn_buf_free(&d->html->title);
	free(d->html->nodes);
	free(d->html);
	free(d->sblocks);
	d->html = NULL;
	d->sblocks = NULL;
}
