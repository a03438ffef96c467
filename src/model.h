/* model.h - the learned part of the classifier: boosted trees (stage 1)
 * and a logistic smoothing (stage 2) over block features, the weights
 * read from a plain-text model file in rules/ (block.model).  Internal. */
#ifndef WINNOW_MODEL_H
#define WINNOW_MODEL_H

#include "internal.h"

/* Stage 1 sees a block, its neighbours and the jusText-style passes'
 * verdicts; stage 2 smooths stage 1's probabilities over the
 * neighbourhood.  The names are the model file's vocabulary; the counts
 * are in internal.h (WN_NFEAT1, WN_NFEAT2), beside WN_NFEAT_ALL. */
extern const char *const wn_feat1_names[WN_NFEAT1];
extern const char *const wn_feat2_names[WN_NFEAT2];

/* A regression tree: node 0 is the root; a split sends f[feat] <= thr
 * left, else right; a leaf (feat < 0) adds value to the score. */
typedef struct wn_tree_node {
	int feat;
	double thr;      /* split threshold, or the leaf's value */
	int left, right;
} wn_tree_node;

typedef struct wn_tree {
	wn_tree_node *nodes;
	size_t n, cap;
} wn_tree;

/* One stage's score: bias + w . f + the sum of its trees' leaves; its
 * probability the logistic of that. */
typedef struct wn_stage {
	double bias;
	double w[WN_NFEAT1 > WN_NFEAT2 ? WN_NFEAT1 : WN_NFEAT2];
	wn_tree *trees;
	size_t ntrees;
	/* The same trees made complete to one depth (a leaf above it
	 * repeated below), as arrays: a walk is depth index steps without
	 * a branch to mispredict.  flat_depth 0: no flat form (a tree
	 * deeper than WN_FLAT_MAX_DEPTH), the nodes are walked. */
	unsigned flat_depth;
	uint16_t *flat_feat;   /* ntrees x (2^depth - 1) */
	double *flat_thr;      /* ntrees x (2^depth - 1) */
	double *flat_leaf;     /* ntrees x 2^depth */
} wn_stage;

#define WN_FLAT_MAX_DEPTH 8

/* The model's word weights ("word TOKEN WEIGHT" lines): how much more
 * often a word is in article text than in chrome, as a log-odds fitted
 * with the trees.  A word is a maximal run of letters, marks and digits
 * (any script; everything else, "’" and "—" too, separates) that holds
 * only ASCII letters, at most WN_LEX_MAX_WORD of them, lower-cased
 * ("Don’t" gives "don" and "t"; "café" and "mp3" give none).  Open
 * addressing on wn_hash of the word; cap is a power of two, at least
 * twice n.  Weights are doubles, as the trainer's thresholds on them. */
#define WN_LEX_MAX_WORD 24
#define WN_LEX_MAX_WEIGHT 1e6

typedef struct wn_lex_slot {
	uint64_t hash;     /* 0: empty slot */
	double weight;
} wn_lex_slot;

typedef struct wn_lexicon {
	wn_lex_slot *slot; /* a probe reads one cache line, not two */
	size_t n, cap;
} wn_lexicon;

typedef struct wn_model {
	bool loaded;
	wn_stage s1, s2;
	wn_lexicon lex;
	wn_lexicon cls;    /* class words' weights ("class" lines; HTML) */
	double threshold;  /* keep when stage 2 says p >= threshold */
} wn_model;

/* Frees the trees of m (m itself is not freed). */
void wn_model_free(wn_model *m);
/* Probability of stage st on feature vector f of n values. */
double wn_stage_prob(const wn_stage *st, const double *f, size_t n);
/* The same for WN_BATCH vectors f[0..WN_BATCH-1] at once, into p: each
 * p[k] the double wn_stage_prob gives for f[k]. */
#define WN_BATCH 4
void wn_stage_probs(const wn_stage *st, const double *const *f, size_t n,
		    double *p);

/* Parses a model file (see rules/README.md), replacing *m.  Errors name
 * the file and line. */
int wn_model_parse(wn_model *m, const char *name, const char *text,
		   size_t len, winnow_error *err);

/* The mean weight of the words of text[0..n) (0 without a word; an
 * unknown word weighs 0); see wn_lexicon for what a word is. */
double wn_lexicon_score(const wn_lexicon *lx, const char *text, size_t n);

/* The weight of the word w[0..n) (lower-case ASCII letters) in *v:
 * true when lx knows it. */
bool wn_lexicon_get(const wn_lexicon *lx, const char *w, size_t n, double *v);
/* The same for the word whose wn_hash_fast is h (the tokenizer of a
 * block of ASCII text has it at hand, for the stoplists). */
bool wn_lexicon_get_h(const wn_lexicon *lx, uint64_t h, double *v);

/* A block's word weights as its words come: wn_lex_word says whether a
 * token is a word of theirs (ASCII letters alone, at most
 * WN_LEX_MAX_WORD), wn_lex_acc_add adds one such word by the
 * wn_hash_fast of its lower-case form (an unknown word weighs 0),
 * wn_lex_acc_mean is wn_lexicon_score's value. */
typedef struct wn_lex_acc {
	double sum;
	size_t words;
} wn_lex_acc;

static inline bool wn_lex_word(bool letters, size_t n)
{
	return letters && n <= WN_LEX_MAX_WORD;
}

static inline void wn_lex_acc_add(const wn_lexicon *lx, wn_lex_acc *a,
				  uint64_t h)
{
	double v;
	if (wn_lexicon_get_h(lx, h, &v))
		a->sum += v;
	a->words++;
}

static inline double wn_lex_acc_mean(const wn_lex_acc *a)
{
	return a->words ? a->sum / (double)a->words : 0;
}

/* Fills f[WN_NFEAT1] for block i (after the context passes ran). */
void wn_model_vec1(const wn_doc *d, size_t i, double *f);
/* Fills f[WN_NFEAT2] for block i from every block's stage-1 p and, for
 * HTML, grp (wn_html_group_means; NULL for text). */
void wn_model_vec2(const wn_doc *d, size_t i, const double *p1,
		   const double *grp, double *f);

#endif
