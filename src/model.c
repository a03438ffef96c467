/* model.c - block features for the learned classifier and the model file
 * parser.  tools/train.py fits the weights on labelled pages; every
 * feature is computed here and only here (the trainer reads them from
 * `winnow --features`), so training and use cannot drift apart. */
#include "model.h"
#include "thresholds.h"
#include "words.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const wn_feat1_names[WN_NFEAT1] = {
	"log_chars", "words", "stop_density", "end_punct", "digit_share",
	"upper_share", "cap_share", "has_seps", "heading", "repeat",
	"blank_before", "have_lang", "cf_good", "cf_near", "cf_short",
	"jt_good", "pos", "pos2", "prev_log_chars", "prev_stop", "prev_end",
	"prev_jt", "next_log_chars", "next_stop", "next_end", "next_jt",
	"win_jt", "win_stop", "good_before", "in_region", "dist_good",
	"rule_near", "doc_jt_share", "glued", "cut_seen", "rel_len",
	"rel_stop", "win10_jt", "before_region", "after_region",
	"region_dist", "doc_mean_stop", "prev2_log_chars", "next2_log_chars",
	"prev2_jt", "next2_jt", "win_log_chars", "doc_log_words",
	"doc_log_blocks", "lex", "lex_win", "doc_year", "enum_seq",
	"doc_prose",
	/* HTML structure (html.c); 0 for text input */
	"is_html", "link_density", "owner_link", "heading_level", "k_p",
	"k_li", "k_cell", "k_row", "k_heading", "k_quote", "k_caption",
	"chrome_tag", "chrome_cls", "content_hint", "in_root", "root_share",
	"owner_text", "parent_good", "figure", "prev_link", "next_link",
	"win_link", "comments", "modern", "cls_min", "cls_max", "cls_near",
};

const char *const wn_feat2_names[WN_NFEAT2] = {
	"p1", "p1_prev", "p1_next", "p1_win2", "p1_win5", "p1_min_side",
	"jt_good", "heading", "end_punct", "log_chars",
	/* HTML (html.c: wn_html_group_means); 0 for text input */
	"p1_par", "p1_gpar", "p1_tpl", "tpl_n",
};

/* Context windows: +-3 blocks for the local mix of article and chrome,
 * +-5 for stage 2's smoothing; distances are capped at 10 blocks. */
#define WIN1 3
#define WIN2 2
#define WIN5 5
#define DIST_CAP 10
#define ENUM_WIN 4 /* an item's text may take a few blocks */

static double log_chars(const wn_block *b)
{
	return b->log_chars; /* classify.c: log1p(chars) / 8 */
}

static bool jt_good(const wn_block *b)
{
	return !b->decided && b->cls == WN_GOOD;
}

/* Neighbour of i in direction dir, skipping repeats; NULL at the edge. */
static const wn_block *near(const wn_doc *d, size_t i, int dir)
{
	if (d->near_prev) { /* a page of repeats would make the walk quadratic */
		size_t j = dir < 0 ? d->near_prev[i] : d->near_next[i];
		return j == SIZE_MAX ? NULL : &d->blocks[j];
	}
	for (size_t j = i;;) {
		if (dir < 0 ? j == 0 : j + 1 >= d->nblocks)
			return NULL;
		j = dir < 0 ? j - 1 : j + 1;
		if (!d->blocks[j].transparent)
			return &d->blocks[j];
	}
}

static void side(const wn_block *n, double *f)
{
	f[0] = n ? log_chars(n) : 0;
	f[1] = n ? n->stop_density : 0;
	f[2] = n ? n->end_punct : 0;
	f[3] = n ? jt_good(n) : 0;
}

static double link_share(const wn_doc *d, const wn_block *b)
{
	const wn_sblock *s = &d->sblocks[b - d->blocks];
	return s->text ? (double)s->link / (double)s->text : 0;
}

/* The HTML features of block i (all 0 for text input). */
static void html_vec(const wn_doc *d, size_t i, size_t lo, size_t hi,
		     double *f)
{
	memset(f, 0, WN_NFEAT_HTML * sizeof(double));
	if (!d->sblocks)
		return;
	const wn_block *b = &d->blocks[i];
	const wn_sblock *s = &d->sblocks[i];
	f[0] = 1;
	f[1] = link_share(d, b);
	f[2] = s->owner_link;
	f[3] = s->heading ? (7.0 - s->heading) / 6.0 : 0;
	for (int k = WN_K_P; k <= WN_K_CAPTION; k++)
		f[4 + k - WN_K_P] = s->kind == k;
	f[11] = s->chrome_tag;
	f[12] = s->chrome_cls;
	f[13] = s->content;
	f[14] = s->in_root;
	f[15] = d->root_share;
	f[16] = s->owner_text;
	f[17] = s->parent_good;
	f[18] = s->figure;
	const wn_block *p = near(d, i, -1), *n = near(d, i, 1);
	f[19] = p ? link_share(d, p) : 0;
	f[20] = n ? link_share(d, n) : 0;
	double l = 0, c = 0;
	for (size_t j = lo; j <= hi; j++)
		if (j != i) {
			l += link_share(d, &d->blocks[j]);
			c++;
		}
	f[21] = c ? l / c : 0;
	f[22] = s->comments;
	f[23] = d->modern;
	f[24] = s->cls_min;
	f[25] = s->cls_max;
	f[26] = s->cls_near;
}

/* A numbered list goes on: 1 when block i starts "N." or "N)" and a
 * block within ENUM_WIN of it starts with N - 1 or N + 1, 0.5 for a
 * number without its neighbour, else 0.  An article's enumerations ("1)
 * Lego Star Wars...", a recipe's steps) are its text in the gold far
 * more often than not (WCXB 94%, CleanEval 81% of such lines). */
static double enum_seq(const wn_doc *d, size_t i)
{
	unsigned n = d->blocks[i].ordinal;
	if (!n)
		return 0;
	size_t lo = i > ENUM_WIN ? i - ENUM_WIN : 0;
	size_t hi = i + ENUM_WIN < d->nblocks ? i + ENUM_WIN : d->nblocks - 1;
	for (size_t j = lo; j <= hi; j++) {
		unsigned m = d->blocks[j].ordinal;
		if (j != i && m && (m + 1 == n || n + 1 == m))
			return 1;
	}
	return 0.5;
}

void wn_model_vec1(const wn_doc *d, size_t i, double *f)
{
	const wn_block *b = &d->blocks[i];
	size_t n = d->nblocks;
	double pos = n > 1 ? (double)i / (double)(n - 1) : 0;
	f[0] = log_chars(b);
	f[1] = (b->words > 100 ? 100 : (double)b->words) / 100.0;
	f[2] = b->stop_density;
	f[3] = b->end_punct;
	f[4] = b->chars ? (double)b->digits / (double)b->chars : 0;
	f[5] = b->alpha ? (double)b->upper / (double)b->alpha : 0;
	f[6] = b->words ? (double)b->cap_words / (double)b->words : 0;
	f[7] = b->seps > 0;
	f[8] = !b->end_punct && b->words >= 1 &&
	       b->words <= wn_thresholds.heading_max_words;
	/* a repeat: an aside is transparent too, but decided by its rule,
	 * and so never scored (tools/train.py fits on such rows) */
	f[9] = b->transparent && !b->decided;
	f[10] = b->blank_before;
	f[11] = d->lang >= 0;
	f[12] = b->cf_class == WN_GOOD;
	f[13] = b->cf_class == WN_NEAR_GOOD;
	f[14] = b->cf_class == WN_SHORT;
	f[15] = jt_good(b);
	f[16] = pos;
	f[17] = pos * pos;
	side(near(d, i, -1), f + 18);
	side(near(d, i, 1), f + 22);
	double jt = 0, stop = 0, cnt = 0, rules = 0, lx = 0;
	size_t lo = i > WIN1 ? i - WIN1 : 0, hi = i + WIN1 < n ? i + WIN1 : n - 1;
	for (size_t j = lo; j <= hi; j++) {
		if (j == i)
			continue;
		jt += jt_good(&d->blocks[j]);
		stop += d->blocks[j].stop_density;
		lx += d->blocks[j].lex;
		rules += d->blocks[j].hit.drop >= 0 || d->blocks[j].hit.cut >= 0;
		cnt++;
	}
	f[26] = cnt ? jt / cnt : 0;
	f[27] = cnt ? stop / cnt : 0;
	f[28] = d->good_total ? (double)b->good_before / (double)d->good_total : 0;
	f[29] = i >= d->region_lo && i < d->region_hi;
	size_t dist = DIST_CAP;
	for (size_t k = 1; k < DIST_CAP; k++) {
		if ((i >= k && jt_good(&d->blocks[i - k])) ||
		    (i + k < n && jt_good(&d->blocks[i + k]))) {
			dist = k;
			break;
		}
	}
	f[30] = (double)dist / DIST_CAP;
	f[31] = rules / (cnt ? cnt : 1);
	f[32] = d->jt_share;
	f[33] = b->glued > 3 ? 1.0 : (double)b->glued / 3.0;
	f[34] = b->cut_seen;
	f[35] = d->max_chars ? (double)b->chars / (double)d->max_chars : 0;
	f[36] = b->stop_density - d->mean_stop;
	double jt10 = 0, c10 = 0;
	for (size_t j = i > 10 ? i - 10 : 0; j < n && j <= i + 10; j++)
		if (j != i) {
			jt10 += jt_good(&d->blocks[j]);
			c10++;
		}
	f[37] = c10 ? jt10 / c10 : 0;
	f[38] = i < d->region_lo;
	f[39] = i >= d->region_hi;
	size_t rd = i < d->region_lo ? d->region_lo - i
		    : i >= d->region_hi ? i - d->region_hi + 1 : 0;
	f[40] = rd > 20 ? 1.0 : (double)rd / 20.0;
	f[41] = d->mean_stop;
	const wn_block *p1 = near(d, i, -1), *n1 = near(d, i, 1);
	const wn_block *p2 = p1 ? near(d, (size_t)(p1 - d->blocks), -1) : NULL;
	const wn_block *n2 = n1 ? near(d, (size_t)(n1 - d->blocks), 1) : NULL;
	f[42] = p2 ? log_chars(p2) : 0;
	f[43] = n2 ? log_chars(n2) : 0;
	f[44] = p2 ? jt_good(p2) : 0;
	f[45] = n2 ? jt_good(n2) : 0;
	double lc = 0;
	for (size_t j = lo; j <= hi; j++)
		if (j != i)
			lc += log_chars(&d->blocks[j]);
	f[46] = cnt ? lc / cnt : 0;
	f[47] = log1p((double)d->total_words) / 10.0;
	f[48] = log1p((double)n) / 7.0;
	f[49] = b->lex;
	f[50] = cnt ? lx / cnt : 0;
	f[51] = d->max_year ? (d->max_year - 1989) / 50.0 : 0;
	f[52] = enum_seq(d, i);
	/* the share of the page's words in sentences of 10 words or more:
	 * a page of teasers, a table or a listing is read differently from
	 * an article, however short its paragraphs */
	f[53] = d->total_words ? (double)d->prose_words / (double)d->total_words : 0;
	html_vec(d, i, lo, hi, f + 54);
}

static double window_mean(const wn_doc *d, size_t i, size_t w, const double *p)
{
	size_t lo = i > w ? i - w : 0, hi = i + w < d->nblocks ? i + w : d->nblocks - 1;
	double s = 0, c = 0;
	for (size_t j = lo; j <= hi; j++) {
		if (j == i || d->blocks[j].transparent)
			continue;
		s += p[j];
		c++;
	}
	return c ? s / c : 0;
}

void wn_model_vec2(const wn_doc *d, size_t i, const double *p1,
		   const double *grp, double *f)
{
	const wn_block *b = &d->blocks[i];
	const wn_block *pv = near(d, i, -1), *nx = near(d, i, 1);
	f[0] = p1[i];
	f[1] = pv ? p1[pv - d->blocks] : 0;
	f[2] = nx ? p1[nx - d->blocks] : 0;
	f[3] = window_mean(d, i, WIN2, p1);
	f[4] = window_mean(d, i, WIN5, p1);
	f[5] = f[1] < f[2] ? f[1] : f[2];
	f[6] = jt_good(b);
	f[7] = !b->end_punct && b->words >= 1 &&
	       b->words <= wn_thresholds.heading_max_words;
	f[8] = b->end_punct;
	f[9] = log_chars(b);
	f[10] = grp ? grp[WN_GRP * i] : 0;
	f[11] = grp ? grp[WN_GRP * i + 1] : 0;
	f[12] = grp ? grp[WN_GRP * i + 2] : 0;
	f[13] = grp ? grp[WN_GRP * i + 3] : 0;
}

static double tree_value(const wn_tree *t, const double *f)
{
	size_t i = 0;
	/* node indices were checked at load: every walk ends at a leaf */
	while (t->nodes[i].feat >= 0)
		i = (size_t)(f[t->nodes[i].feat] <= t->nodes[i].thr ? t->nodes[i].left
								   : t->nodes[i].right);
	return t->nodes[i].thr;
}

/* z plus the leaves of st's flat trees for f, added in tree order.
 * Inlined with a constant depth, the walk unrolls: no loop counter per
 * level. */
static inline __attribute__((always_inline)) double
flat_sum(const wn_stage *st, const double *f, unsigned depth, double z)
{
	size_t ni = ((size_t)1 << depth) - 1, nl = ni + 1;
	/* f <= thr goes left, else right, as tree_value: NaN goes right */
	for (size_t t = 0; t < st->ntrees; t++) {
		const uint16_t *ft = st->flat_feat + t * ni;
		const double *tt = st->flat_thr + t * ni;
		size_t j = 0;
		for (unsigned d = 0; d < depth; d++)
			j = 2 * j + 1 + !(f[ft[j]] <= tt[j]);
		z += st->flat_leaf[t * nl + j - ni];
	}
	return z;
}

double wn_stage_prob(const wn_stage *st, const double *f, size_t n)
{
	double z = st->bias;
	for (size_t k = 0; k < n; k++)
		z += st->w[k] * f[k];
	unsigned depth = st->flat_depth;
	if (!depth) {
		for (size_t t = 0; t < st->ntrees; t++)
			z += tree_value(&st->trees[t], f);
		return 1.0 / (1.0 + exp(-z));
	}
	/* the depths models have, unrolled; the sum is the same walk's */
	switch (depth) {
	case 3: z = flat_sum(st, f, 3, z); break;
	case 4: z = flat_sum(st, f, 4, z); break;
	case 5: z = flat_sum(st, f, 5, z); break;
	case 6: z = flat_sum(st, f, 6, z); break;
	default: z = flat_sum(st, f, depth, z); break;
	}
	return 1.0 / (1.0 + exp(-z));
}

/* flat_sum for WN_BATCH vectors at once: a tree's walk for one vector
 * waits on its loads level by level, and the other vectors' walks fill
 * those waits.  Each z[k] still adds its leaves in tree order. */
static inline __attribute__((always_inline)) void
flat_sum_batch(const wn_stage *st, const double *const *f, unsigned depth,
	       double *z)
{
	size_t ni = ((size_t)1 << depth) - 1, nl = ni + 1;
	for (size_t t = 0; t < st->ntrees; t++) {
		const uint16_t *ft = st->flat_feat + t * ni;
		const double *tt = st->flat_thr + t * ni;
		const double *lv = st->flat_leaf + t * nl;
		size_t j[WN_BATCH] = {0};
		for (unsigned d = 0; d < depth; d++)
			for (size_t k = 0; k < WN_BATCH; k++)
				j[k] = 2 * j[k] + 1 +
				       !(f[k][ft[j[k]]] <= tt[j[k]]);
		for (size_t k = 0; k < WN_BATCH; k++)
			z[k] += lv[j[k] - ni];
	}
}

void wn_stage_probs(const wn_stage *st, const double *const *f, size_t n,
		    double *p)
{
	double z[WN_BATCH];
	for (size_t k = 0; k < WN_BATCH; k++) {
		z[k] = st->bias;
		for (size_t i = 0; i < n; i++)
			z[k] += st->w[i] * f[k][i];
	}
	switch (st->flat_depth) {
	case 0:
		for (size_t k = 0; k < WN_BATCH; k++)
			for (size_t t = 0; t < st->ntrees; t++)
				z[k] += tree_value(&st->trees[t], f[k]);
		break;
	case 3: flat_sum_batch(st, f, 3, z); break;
	case 4: flat_sum_batch(st, f, 4, z); break;
	case 5: flat_sum_batch(st, f, 5, z); break;
	case 6: flat_sum_batch(st, f, 6, z); break;
	default: flat_sum_batch(st, f, st->flat_depth, z); break;
	}
	for (size_t k = 0; k < WN_BATCH; k++)
		p[k] = 1.0 / (1.0 + exp(-z[k]));
}

/* ---- the flat form -------------------------------------------------- */

/* The depth of t's root, capped at cap + 1.  Node indices point forward
 * (check_tree), so one backward sweep sees every child before its
 * parent: linear, without recursion, whatever a hostile file holds. */
static unsigned tree_depth(const wn_tree *t, unsigned cap)
{
	unsigned *depth = wn_xmalloc(t->n * sizeof(unsigned));
	for (size_t i = t->n; i-- > 0;) {
		const wn_tree_node *nd = &t->nodes[i];
		unsigned d = 0;
		if (nd->feat >= 0) {
			unsigned l = depth[nd->left], r = depth[nd->right];
			d = 1 + (l > r ? l : r);
		}
		depth[i] = d > cap ? cap + 1 : d;
	}
	unsigned d = depth[0];
	free(depth);
	return d;
}

/* Writes node i of t at position j, d levels down, of a complete tree of
 * depth D: a leaf above the last level becomes a split whose two sides
 * are the same leaf again, so either way ends at its value. */
static void flat_fill(const wn_tree *t, size_t i, size_t j, unsigned d,
		      unsigned D, uint16_t *ft, double *tt, double *lv)
{
	const wn_tree_node *nd = &t->nodes[i];
	size_t ni = ((size_t)1 << D) - 1;
	if (d == D) {
		lv[j - ni] = nd->thr;
		return;
	}
	bool leaf = nd->feat < 0;
	ft[j] = leaf ? 0 : (uint16_t)nd->feat;
	tt[j] = leaf ? 0 : nd->thr;
	flat_fill(t, leaf ? i : (size_t)nd->left, 2 * j + 1, d + 1, D, ft, tt, lv);
	flat_fill(t, leaf ? i : (size_t)nd->right, 2 * j + 2, d + 1, D, ft, tt, lv);
}

static void stage_flatten(wn_stage *st)
{
	unsigned D = 0;
	for (size_t t = 0; t < st->ntrees; t++) {
		unsigned d = tree_depth(&st->trees[t], WN_FLAT_MAX_DEPTH);
		if (d > WN_FLAT_MAX_DEPTH)
			return; /* walked node by node */
		if (d > D)
			D = d;
	}
	if (!st->ntrees || !D)
		return; /* no tree, or only single leaves: walked */
	size_t ni = ((size_t)1 << D) - 1, nl = ni + 1;
	st->flat_feat = wn_xmalloc(st->ntrees * ni * sizeof(uint16_t));
	st->flat_thr = wn_xmalloc(st->ntrees * ni * sizeof(double));
	st->flat_leaf = wn_xmalloc(st->ntrees * nl * sizeof(double));
	for (size_t t = 0; t < st->ntrees; t++)
		flat_fill(&st->trees[t], 0, 0, 0, D, st->flat_feat + t * ni,
			  st->flat_thr + t * ni, st->flat_leaf + t * nl);
	st->flat_depth = D;
}

static void stage_free(wn_stage *st)
{
	for (size_t t = 0; t < st->ntrees; t++)
		free(st->trees[t].nodes);
	free(st->trees);
	st->trees = NULL;
	st->ntrees = 0;
	free(st->flat_feat);
	free(st->flat_thr);
	free(st->flat_leaf);
	st->flat_feat = NULL;
	st->flat_thr = NULL;
	st->flat_leaf = NULL;
	st->flat_depth = 0;
}

void wn_model_free(wn_model *m)
{
	stage_free(&m->s1);
	stage_free(&m->s2);
	free(m->lex.slot);
	memset(&m->lex, 0, sizeof m->lex);
	free(m->cls.slot);
	memset(&m->cls, 0, sizeof m->cls);
}

/* ---- the word weights ------------------------------------------------ */

/* The slot of h: its own, or the empty one where it would go. */
static size_t lex_slot(const wn_lexicon *lx, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (lx->cap - 1);
	while (lx->slot[i].hash && lx->slot[i].hash != h)
		i = (i + 1) & (lx->cap - 1);
	return i;
}

/* Returns false when the word was already there (its weight is then
 * replaced). */
static bool lex_put(wn_lexicon *lx, uint64_t h, double w)
{
	if (2 * (lx->n + 1) > lx->cap) {
		wn_lexicon big = {.cap = lx->cap ? 2 * lx->cap : 1024};
		big.slot = wn_xcalloc(big.cap, sizeof *big.slot);
		for (size_t i = 0; i < lx->cap; i++)
			if (lx->slot[i].hash)
				big.slot[lex_slot(&big, lx->slot[i].hash)] = lx->slot[i];
		big.n = lx->n;
		free(lx->slot);
		*lx = big;
	}
	size_t i = lex_slot(lx, h);
	bool fresh = !lx->slot[i].hash;
	lx->n += fresh;
	lx->slot[i].hash = h;
	lx->slot[i].weight = w;
	return fresh;
}

static uint64_t word_hash(const char *w, size_t n)
{
	uint64_t h = wn_hash_fast(w, n);
	return h ? h : 1; /* 0 marks an empty slot */
}

bool wn_lexicon_get_h(const wn_lexicon *lx, uint64_t h, double *v)
{
	if (!lx->n)
		return false;
	size_t k = lex_slot(lx, h ? h : 1); /* as word_hash */
	if (!lx->slot[k].hash)
		return false;
	*v = lx->slot[k].weight;
	return true;
}

bool wn_lexicon_get(const wn_lexicon *lx, const char *w, size_t n, double *v)
{
	return wn_lexicon_get_h(lx, wn_hash_fast(w, n), v);
}

typedef struct lex_ctx {
	const wn_lexicon *lx;
	const char *end; /* the block's end */
	wn_lex_acc acc;
} lex_ctx;

/* One run of the text: a word when it is ASCII letters alone and not
 * too long, hashed as word_hash hashes the model's lower-case words
 * (each letter ORed with 0x20, in place). */
static inline __attribute__((always_inline)) void
lex_word(const char *w, size_t n, bool letters, void *vctx)
{
	lex_ctx *c = vctx;
	if (wn_lex_word(letters, n))
		wn_lex_acc_add(c->lx, &c->acc,
			       wn_hash_fast_in(w, n, c->end, 0x2020202020202020ULL));
}

double wn_lexicon_score(const wn_lexicon *lx, const char *text, size_t n)
{
	if (!lx->n)
		return 0;
	lex_ctx c = {.lx = lx, .end = text + n};
	wn_each_word(text, n, lex_word, &c);
	return wn_lex_acc_mean(&c.acc);
}

/* ---- the model file ------------------------------------------------- */

static long find_name(const char *const *names, size_t n, const char *w)
{
	for (size_t k = 0; k < n; k++) /* the first byte turns most away */
		if (names[k][0] == w[0] && !strcmp(names[k], w))
			return (long)k;
	return -1;
}

typedef struct parse_state {
	int stage;        /* 0 before the first "stage" line */
	wn_tree *tree;    /* the tree being read, or NULL */
} parse_state;

static wn_stage *cur_stage(wn_model *m, const parse_state *ps)
{
	return ps->stage == 1 ? &m->s1 : &m->s2;
}

/* strtod's value for the plain decimals a model file holds ("-0.25466"),
 * without strtod's general machinery (a sixth of start-up): at most 15
 * digits, 22 of them after the point, are an integer and a power of ten
 * that a double holds exactly, and their quotient is correctly rounded,
 * as strtod's result is (Clinger's fast path).  Anything else goes to
 * strtod. */
static double decimal(const char *s, char **end)
{
	static const double pow10[23] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	const char *p = s;
	bool neg = *p == '-';
	p += neg || *p == '+';
	uint64_t m = 0;
	int digits = 0, frac = -1; /* digits after the point, -1: no point */
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			digits++;
			frac += frac >= 0;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (*p || !digits || digits > 15 || frac > 22)
		return strtod(s, end);
	double v = (double)m / pow10[frac < 0 ? 0 : frac];
	*end = (char *)p;
	return neg ? -v : v;
}

static int parse_num(const char *s, double *v, const char *file, size_t ln,
		     winnow_error *err)
{
	char *end;
	if (!s)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "missing number");
	*v = decimal(s, &end);
	if (*end || !isfinite(*v))
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "bad number '%s'", s);
	return 0;
}

static int parse_index(const char *s, int *v, const char *file, size_t ln,
		       winnow_error *err)
{
	double d = 0;
	if (parse_num(s, &d, file, ln, err))
		return -1;
	if (d < 1 || d > 1e6 || d != (int)d)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "bad node index '%s'", s);
	*v = (int)d;
	return 0;
}

static long feat_index(const parse_state *ps, const char *name)
{
	return ps->stage == 1 ? find_name(wn_feat1_names, WN_NFEAT1, name)
			      : find_name(wn_feat2_names, WN_NFEAT2, name);
}

static wn_tree_node *push_node(wn_tree *t)
{
	if (t->n == t->cap) { /* doubling: not a realloc per node */
		t->cap = t->cap ? 2 * t->cap : 16;
		t->nodes = wn_xrealloc(t->nodes, t->cap * sizeof(wn_tree_node));
	}
	return &t->nodes[t->n++];
}

/* A tree is sound when every split points forward to a node that exists,
 * so evaluation always ends at a leaf. */
static int check_tree(const wn_tree *t, const char *file, size_t ln,
		      winnow_error *err)
{
	if (!t->n)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "empty tree");
	for (size_t i = 0; i < t->n; i++) {
		const wn_tree_node *nd = &t->nodes[i];
		if (nd->feat >= 0 && (nd->left <= (int)i || nd->right <= (int)i ||
				      (size_t)nd->left >= t->n ||
				      (size_t)nd->right >= t->n))
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "tree node %zu points outside "
				    "its tree (before line %zu)", i, ln);
	}
	return 0;
}

/* The next word of *p (space, tab and CR separate), NUL-terminated in
 * place, or NULL at the end: strtok_r's, without its set lookups. */
static char *next_tok(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	char *e = s;
	while (*e && *e != ' ' && *e != '\t' && *e != '\r')
		e++;
	*p = *e ? e + 1 : e;
	*e = '\0';
	return s;
}

/* A line's keyword, as find_name finds a feature (the first byte turns
 * most names away; a model is 23,000 lines, most "split" and "leaf"). */
enum model_kw {
	KW_UNKNOWN = -1, KW_SPLIT, KW_LEAF, KW_TREE, KW_END, KW_WORD, KW_CLASS,
	KW_STAGE, KW_BIAS, KW_WEIGHT, KW_THRESHOLD, KW_COUNT
};

static const char *const keywords[KW_COUNT] = {
	"split", "leaf", "tree", "end", "word", "class", "stage", "bias",
	"weight", "threshold",
};

/* One line: "stage 1|2", "bias X", "weight NAME X", "threshold X",
 * "word WORD X", "tree", "split NAME THRESHOLD LEFT RIGHT", "leaf X",
 * "end". */
static int model_line(wn_model *m, parse_state *ps, const char *file,
		      size_t ln, char *line, winnow_error *err)
{
	char *tok[6] = {0};
	tok[0] = next_tok(&line);
	if (!tok[0] || tok[0][0] == '#')
		return 0;
	for (int k = 1; k < 6 && tok[k - 1]; k++)
		tok[k] = next_tok(&line);
	const char *kw = tok[0];
	enum model_kw k_w = (enum model_kw)find_name(keywords, KW_COUNT, kw);
	double v = 0; /* set by parse_num before any use (GCC -O2 cannot see it) */
	/* a tree must be closed by 'end' (and checked) before anything but
	 * its own nodes; this also keeps ps->tree from dangling when the
	 * next 'tree' grows the array it points into */
	if (ps->tree && k_w != KW_SPLIT && k_w != KW_LEAF && k_w != KW_END)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln,
			       "'%s' inside a tree: the tree before it has no 'end'", kw);
	if (k_w == KW_STAGE) {
		if (!tok[1] || (strcmp(tok[1], "1") && strcmp(tok[1], "2")))
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "stage must be 1 or 2");
		ps->stage = tok[1][0] - '0';
		ps->tree = NULL;
		return 0;
	}
	if (k_w == KW_THRESHOLD)
		return parse_num(tok[1], &m->threshold, file, ln, err);
	if (k_w == KW_WORD || k_w == KW_CLASS) {
		size_t n = tok[1] ? strlen(tok[1]) : 0;
		/* html.c's class words have 3 letters or more: a shorter one
		 * could never match */
		size_t least = kw[0] == 'w' ? 1 : 3;
		const char *what = kw[0] == 'w' ? "word" : "class word";
		if (n < least || n > WN_LEX_MAX_WORD)
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "a %s must have %zu "
				       "to %d letters", what, least, WN_LEX_MAX_WORD);
		for (size_t k = 0; k < n; k++)
			if (tok[1][k] < 'a' || tok[1][k] > 'z')
				return wn_fail(err, WINNOW_ERR_RULES, file, ln, "'%s' is not a %s "
					       "of lower-case ASCII letters", tok[1], what);
		if (parse_num(tok[2], &v, file, ln, err))
			return -1;
		if (fabs(v) > WN_LEX_MAX_WEIGHT) /* a sum of them stays finite */
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "%s weight %g "
				       "out of range (at most %g either way)", what, v,
				       WN_LEX_MAX_WEIGHT);
		/* two weights for one word: a model pasted together or edited
		 * by hand, and which one counts would be the file's order */
		if (!lex_put(kw[0] == 'w' ? &m->lex : &m->cls, word_hash(tok[1], n), v))
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "%s '%s' given twice",
				       what, tok[1]);
		return 0;
	}
	if (!ps->stage)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "'%s' before any 'stage'", kw);
	if (k_w == KW_UNKNOWN)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "unknown keyword '%s' (expected stage, bias, "
			    "weight, threshold, word, class, tree, split, leaf or end)", kw);
	wn_stage *st = cur_stage(m, ps);
	if (k_w == KW_BIAS)
		return parse_num(tok[1], &st->bias, file, ln, err);
	if (k_w == KW_WEIGHT) {
		long k = tok[1] ? feat_index(ps, tok[1]) : -1;
		if (k < 0)
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "unknown stage %d feature '%s'",
				    ps->stage, tok[1] ? tok[1] : "");
		return parse_num(tok[2], &st->w[k], file, ln, err);
	}
	if (k_w == KW_TREE) {
		st->trees = wn_xrealloc(st->trees, (st->ntrees + 1) * sizeof(wn_tree));
		ps->tree = &st->trees[st->ntrees++];
		memset(ps->tree, 0, sizeof *ps->tree);
		return 0;
	}
	if (k_w == KW_END) {
		if (!ps->tree)
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "'end' outside a tree");
		int rc = check_tree(ps->tree, file, ln, err);
		ps->tree = NULL;
		return rc;
	}
	/* split or leaf */
	if (!ps->tree)
		return wn_fail(err, WINNOW_ERR_RULES, file, ln, "'%s' outside a tree", kw);
	wn_tree_node nd = {.feat = -1};
	if (k_w == KW_LEAF) {
		if (parse_num(tok[1], &nd.thr, file, ln, err))
			return -1;
	} else {
		long k = tok[1] ? feat_index(ps, tok[1]) : -1;
		if (k < 0)
			return wn_fail(err, WINNOW_ERR_RULES, file, ln, "unknown stage %d feature '%s'",
				    ps->stage, tok[1] ? tok[1] : "");
		nd.feat = (int)k;
		if (parse_num(tok[2], &nd.thr, file, ln, err) ||
		    parse_index(tok[3], &nd.left, file, ln, err) ||
		    parse_index(tok[4], &nd.right, file, ln, err))
			return -1;
	}
	*push_node(ps->tree) = nd;
	return 0;
}

int wn_model_parse(wn_model *m, const char *name, const char *text,
		   size_t len, winnow_error *err)
{
	wn_model fresh;
	memset(&fresh, 0, sizeof fresh);
	fresh.threshold = 0.5;
	parse_state ps = {0};
	size_t ln = 0;
	int rc = 0;
	for (const char *p = text, *end = text + len; p < end && !rc;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char line[512];
		ln++;
		if ((size_t)(le - p) >= sizeof line)
			rc = wn_fail(err, WINNOW_ERR_RULES, name, ln, "line too long");
		else if (memchr(p, '\0', (size_t)(le - p)))
			rc = wn_fail(err, WINNOW_ERR_RULES, name, ln, "NUL byte");
		if (!rc) {
			memcpy(line, p, (size_t)(le - p));
			line[le - p] = '\0';
			rc = model_line(&fresh, &ps, name, ln, line, err);
		}
		p = nl ? nl + 1 : end;
	}
	if (!rc && ps.tree)
		rc = wn_fail(err, WINNOW_ERR_RULES, name, ln, "the last tree has no 'end'");
	if (rc) {
		wn_model_free(&fresh);
		return -1;
	}
	stage_flatten(&fresh.s1);
	stage_flatten(&fresh.s2);
	fresh.loaded = true;
	wn_model_free(m);
	*m = fresh;
	return 0;
}
