/* test_model.c - the block model: file format, errors, evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static int parse(wn_model *m, const char *text, winnow_error *err)
{
	return wn_model_parse(m, "t.model", text, strlen(text), err);
}

static void expect_error(const char *text, size_t line, const char *needle)
{
	wn_model m;
	memset(&m, 0, sizeof m);
	winnow_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(parse(&m, text, &err), -1);
	assert_false(m.loaded); /* a failed parse leaves the model alone */
	assert_string_equal(err.file, "t.model");
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("bias 1\n", 1, "before any 'stage'");
	expect_error("stage 3\n", 1, "stage must be 1 or 2");
	expect_error("stage 1\nweight no_such_feature 1\n", 2, "unknown stage 1 feature");
	expect_error("stage 2\nweight log_chars x\n", 2, "bad number 'x'");
	expect_error("stage 1\nfrobnicate\n", 2, "unknown keyword");
	expect_error("stage 1\nleaf 1\n", 2, "outside a tree");
	expect_error("stage 1\ntree\nsplit log_chars 0.5 1 7\nleaf 1\nleaf 2\nend\n", 6,
		     "points outside");
	expect_error("stage 1\ntree\nsplit log_chars 0.5 0 1\nleaf 1\nend\n", 3,
		     "bad node index");
	expect_error("stage 1\ntree\nleaf 1\n", 3, "no 'end'");
	expect_error("threshold nan\n", 1, "bad number");
	expect_error("word Said 1\n", 1, "not a word of");
	expect_error("word don't 1\n", 1, "not a word of");
	expect_error("word said\n", 1, "missing number");
	expect_error("word\n", 1, "1 to 24 letters");
	expect_error("word abcdefghijklmnopqrstuvwxyz 1\n", 1, "1 to 24 letters");
	expect_error("word said 1e39\n", 1, "out of range");
	expect_error("class Teaser 1\n", 1, "not a class word");
	expect_error("class post-body 1\n", 1, "not a class word");
	expect_error("class teaser\n", 1, "missing number");
	expect_error("threshold 0.5\nclass\n", 2, "a class word must have 3 to 24 letters");
	expect_error("class ad 1\n", 1, "a class word must have 3 to 24 letters");
	expect_error("class teaser -2e6\n", 1, "class word weight");
	/* one weight per word: which of two counted would be the order */
	expect_error("word said 1\nword share -2\nword said 1\n", 3, "word 'said' given twice");
	expect_error("class teaser -2\nword teaser 1\nclass teaser -3\n", 3,
		     "class word 'teaser' given twice");
	/* found by fuzz_model: trees left open by a new tree or stage */
	expect_error("stage 1\ntree\ntree\nleaf 0.5\nend\n", 3, "has no 'end'");
	expect_error("stage 1\ntree\nsplit words 0.3 1 2\nstage 2\n", 4, "has no 'end'");
	expect_error("stage 1\ntree\nsplit words 0.3 1 2\nleaf 2\ntree\nleaf 0.5\nend\n", 5,
		     "has no 'end'");
}

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static double lex(const wn_model *m, const char *text)
{
	return wn_lexicon_score(&m->lex, text, strlen(text));
}

/* A word is a run of ASCII letters, digits and non-ASCII bytes that
 * holds only letters (at most 24), lower-cased; the score is the mean
 * weight over the words, unknown words 0. */
/* Numbers parse to strtod's value, bit for bit, on the fast path of
 * plain decimals and off it (exponents, 16 digits or more, 23 after the
 * point, signs, a point at either end). */
static void test_numbers_as_strtod(void **state)
{
	(void)state;
	static const char *const fixed[] = {
		"0", "-0", "+3", "5.", ".5", "-.25", "0.1", "0.3", "-0.25466",
		"123456789012345", "1234567890123456", "0.1234567890123456789012",
		"0.00000000000000000000001", "1e-3", "2.5E+2", "0x1p3",
		"999999999999999", "9007199254740993", "000000000000000007",
	};
	uint64_t seed = 12345;
	char num[64], text[96];
	for (size_t k = 0; k < 20000 + sizeof fixed / sizeof *fixed; k++) {
		if (k < sizeof fixed / sizeof *fixed) {
			strcpy(num, fixed[k]);
		} else { /* a sign, up to 24 digits, a point somewhere */
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t n = 0, nd = 1 + (seed >> 33) % 24, dot = (seed >> 40) % (nd + 2);
			if (seed >> 63)
				num[n++] = '-';
			for (size_t i = 0; i < nd; i++) {
				if (i == dot)
					num[n++] = '.';
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				num[n++] = (char)('0' + (seed >> 33) % 10);
			}
			num[n] = '\0';
		}
		snprintf(text, sizeof text, "threshold %s\n", num);
		wn_model m;
		memset(&m, 0, sizeof m);
		winnow_error err;
		assert_int_equal(parse(&m, text, &err), 0);
		double want = strtod(num, NULL);
		if (memcmp(&m.threshold, &want, sizeof want))
			fail_msg("'%s': %.17g, strtod %.17g", num, m.threshold, want);
		wn_model_free(&m);
	}
}

static void test_word_weights(void **state)
{
	(void)state;
	wn_model m;
	memset(&m, 0, sizeof m);
	winnow_error err;
	assert_int_equal(parse(&m, "word said 1.5\nword t 0.5\n"
			       "word don 1 # a comment\nword share -3\n", &err), 0);
	assert_int_equal(m.lex.n, 4);
	assert_near(lex(&m, "SHARE"), -3);
	assert_near(lex(&m, "He said: share!"), (0 + 1.5 - 3) / 3);
	assert_near(lex(&m, "Don't"), 0.75);
	assert_near(lex(&m, "caf\xc3\xa9 said"), 1.5);
	/* punctuation and spaces outside ASCII separate words; letters,
	 * marks and digits of other scripts join the run, which is then
	 * no word; an invalid byte separates */
	assert_near(lex(&m, "said\xe2\x80\x94share"), (1.5 - 3) / 2);
	assert_near(lex(&m, "\xe2\x80\x9cShare\xe2\x80\x9d, he said"), (-3 + 0 + 1.5) / 3);
	assert_near(lex(&m, "Don\xe2\x80\x99t"), 0.75);
	assert_near(lex(&m, "said\xe2\x80\x89share\xc2\xadsaid"), (1.5 - 3 + 1.5) / 3);
	assert_near(lex(&m, "share\xcc\x81 said\xc2\xb2 said"), 1.5);
	assert_near(lex(&m, "said\xffshare\xe2\x80"), (1.5 - 3) / 2);
	assert_near(lex(&m, "2023 said abc123 said9"), 1.5);
	assert_near(lex(&m, "1said s4id \xc3\xa9said said"), 1.5);
	assert_near(lex(&m, "said"), 1.5); /* a run that ends the text */
	assert_near(lex(&m, "abcdefghijklmnopqrstuvwxyz said"), 1.5);
	assert_near(lex(&m, ""), 0);
	assert_near(lex(&m, "-- !!"), 0);
	/* the same words wherever the sixteen-byte steps of the ASCII
	 * fast path fall: a run that goes on into the next step, a digit
	 * or a non-ASCII letter just before or after a step's end */
	static const struct {
		const char *text;
		double want;
	} shifted[] = {
		{"said share said share said", (1.5 - 3 + 1.5 - 3 + 1.5) / 5},
		{"saidsaidsaidsaidsaid said", 1.5 / 2},
		{"said said9 9said said", 1.5},
		{"share caf\xc3\xa9 said\xc3\xa9 \xc3\xa9share said", (-3 + 1.5) / 2},
		{"Don\xe2\x80\x99t SHARE, said: \xe2\x80\x9cshare\xe2\x80\x9d", (1 + 0.5 - 3 + 1.5 - 3) / 5},
	};
	for (size_t t = 0; t < sizeof shifted / sizeof shifted[0]; t++)
		for (size_t pad = 0; pad <= 17; pad++) {
			char buf[128];
			memset(buf, ' ', pad);
			strcpy(buf + pad, shifted[t].text);
			assert_near(lex(&m, buf), shifted[t].want);
		}
	/* every word counts, however long the block */
	wn_buf many;
	wn_buf_init(&many);
	for (int i = 0; i < 999; i++)
		wn_buf_adds(&many, "zz ");
	wn_buf_adds(&many, "share");
	assert_near(wn_lexicon_score(&m.lex, many.data, many.len), -3.0 / 1000);
	wn_buf_free(&many);
	wn_model_free(&m);
	/* the table grows past its first size, every word still found */
	char buf[64];
	wn_buf text;
	wn_buf_init(&text);
	for (int i = 0; i < 3000; i++)
		wn_buf_printf(&text, "word w%c%c%c %d\n", 'a' + i % 26, 'a' + i / 26 % 26,
			      'a' + i / 676, i);
	assert_int_equal(wn_model_parse(&m, "t.model", text.data, text.len, &err), 0);
	assert_int_equal(m.lex.n, 3000);
	for (int i = 0; i < 3000; i += 7) {
		snprintf(buf, sizeof buf, "w%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
		assert_near(lex(&m, buf), i);
	}
	wn_buf_free(&text);
	wn_model_free(&m);
	/* no words: every score 0 */
	assert_near(lex(&m, "said"), 0);
}

/* Class words have a table of their own: a word's weight does not make
 * a class word's, and the other way round. */
static void test_class_weights(void **state)
{
	(void)state;
	wn_model m;
	memset(&m, 0, sizeof m);
	winnow_error err;
	assert_int_equal(parse(&m, "word teaser 1\nclass content 0.75\n"
			       "class teaser -3\n", &err), 0);
	assert_int_equal(m.cls.n, 2);
	assert_int_equal(m.lex.n, 1);
	double v = 0;
	assert_true(wn_lexicon_get(&m.cls, "teaser", 6, &v));
	assert_near(v, -3);
	assert_true(wn_lexicon_get(&m.cls, "content", 7, &v));
	assert_near(v, 0.75);
	assert_false(wn_lexicon_get(&m.cls, "contents", 8, &v));
	assert_false(wn_lexicon_get(&m.cls, "", 0, &v));
	assert_true(wn_lexicon_get(&m.lex, "teaser", 6, &v));
	assert_near(v, 1);
	wn_model_free(&m);
	assert_int_equal(m.cls.n, 0);
	assert_false(wn_lexicon_get(&m.cls, "teaser", 6, &v));
}

static void test_linear_and_trees(void **state)
{
	(void)state;
	wn_model m;
	memset(&m, 0, sizeof m);
	winnow_error err;
	const char *text =
		"# a comment\n"
		"threshold 0.6\n"
		"stage 1\n"
		"bias -1\n"
		"weight log_chars 2\n"
		"tree\n"
		"split end_punct 0.5 1 2\n"
		"leaf -0.5\n"
		"leaf 0.5\n"
		"end\n"
		"stage 2\n"
		"bias 0.25\n";
	assert_int_equal(parse(&m, text, &err), 0);
	assert_true(m.loaded);
	assert_true(fabs(m.threshold - 0.6) < 1e-12);
	double f[WN_NFEAT1] = {0};
	f[0] = 1.0; /* log_chars */
	f[3] = 1.0; /* end_punct: the right leaf */
	double p = wn_stage_prob(&m.s1, f, WN_NFEAT1);
	assert_true(fabs(p - 1 / (1 + exp(-(-1 + 2 + 0.5)))) < 1e-12);
	f[3] = 0.0;
	p = wn_stage_prob(&m.s1, f, WN_NFEAT1);
	assert_true(fabs(p - 1 / (1 + exp(-(-1 + 2 - 0.5)))) < 1e-12);
	double f2[WN_NFEAT2] = {0};
	assert_true(fabs(wn_stage_prob(&m.s2, f2, WN_NFEAT2) - 1 / (1 + exp(-0.25))) < 1e-12);
	wn_model_free(&m);
}

/* The flat form (complete trees as arrays) gives the node walk's sum,
 * exactly, for trees of uneven depth and single leaves. */
static void test_flat_matches_walk(void **state)
{
	(void)state;
	wn_model m;
	memset(&m, 0, sizeof m);
	winnow_error err;
	const char *text =
		"stage 1\n"
		"bias 0.1\n"
		"weight words 0.5\n" /* and a linear term beside the trees */
		"weight end_punct -0.25\n"
		"tree\n" /* depth 3 on the left, a leaf at depth 1 on the right */
		"split log_chars 0.5 1 2\n"
		"split words 0.25 3 4\n"
		"leaf 0.7\n"
		"leaf -0.3\n"
		"split end_punct 0.5 5 6\n"
		"leaf 0.11\n"
		"leaf -0.42\n"
		"end\n"
		"tree\n"
		"leaf 0.05\n"
		"end\n"
		"tree\n"
		"split words 0.75 1 2\n"
		"leaf -1\n"
		"leaf 1\n"
		"end\n";
	assert_int_equal(parse(&m, text, &err), 0);
	assert_int_equal(m.s1.flat_depth, 3);
	wn_stage walk = m.s1;
	walk.flat_depth = 0; /* the same trees, walked node by node */
	unsigned seed = 7;
	for (int k = 0; k < 2000; k++) {
		double f[WN_NFEAT1] = {0};
		for (size_t i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			f[i] = (double)(seed >> 16 & 0xFF) / 255.0;
		}
		f[3] = k % 2; /* end_punct */
		if (k == 0)
			f[0] = 0.5, f[1] = 0.25; /* on the thresholds: left */
		assert_true(wn_stage_prob(&m.s1, f, WN_NFEAT1) ==
			    wn_stage_prob(&walk, f, WN_NFEAT1));
	}
	/* WN_BATCH vectors at once: each p the single vector's, to the bit,
	 * flat and walked, a row repeated too (a short batch's padding) */
	for (int k = 0; k < 500; k++) {
		double fb[WN_BATCH][WN_NFEAT1] = {{0}};
		const double *fv[WN_BATCH];
		for (size_t r = 0; r < WN_BATCH; r++) {
			for (size_t i = 0; i < 4; i++) {
				seed = seed * 1103515245u + 12345u;
				fb[r][i] = (double)(seed >> 16 & 0xFF) / 255.0;
			}
			fv[r] = fb[k % 3 == 0 && r == WN_BATCH - 1 ? 0 : r];
		}
		double p[WN_BATCH], q[WN_BATCH];
		wn_stage_probs(&m.s1, fv, WN_NFEAT1, p);
		wn_stage_probs(&walk, fv, WN_NFEAT1, q);
		for (size_t r = 0; r < WN_BATCH; r++) {
			assert_true(p[r] ==
				    wn_stage_prob(&m.s1, fv[r], WN_NFEAT1));
			assert_true(q[r] == p[r]);
		}
	}
	double f[WN_NFEAT1] = {0};
	f[0] = 1; /* right of the root: the leaf 0.7 */
	assert_true(fabs(wn_stage_prob(&m.s1, f, WN_NFEAT1) -
			 1 / (1 + exp(-(0.1 + 0.7 + 0.05 - 1)))) < 1e-12);
	wn_model_free(&m);

	/* deeper than WN_FLAT_MAX_DEPTH: walked, and sized in linear time
	 * (both sides of every split share the next node) */
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_adds(&b, "stage 1\ntree\n");
	char line[96];
	for (int i = 1; i <= 3000; i++) {
		snprintf(line, sizeof line, "split words %d %d %d\n", i, i, i);
		wn_buf_adds(&b, line);
	}
	wn_buf_adds(&b, "leaf 2\nend\n");
	memset(&m, 0, sizeof m);
	assert_int_equal(wn_model_parse(&m, "deep.model", b.data, b.len, &err), 0);
	assert_int_equal(m.s1.flat_depth, 0);
	double g[WN_NFEAT1] = {0};
	assert_true(fabs(wn_stage_prob(&m.s1, g, WN_NFEAT1) - 1 / (1 + exp(-2.0))) < 1e-12);
	wn_model_free(&m);
	wn_buf_free(&b);
}

static void test_feature_names_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < WN_NFEAT1; i++)
		for (size_t j = i + 1; j < WN_NFEAT1; j++)
			assert_string_not_equal(wn_feat1_names[i], wn_feat1_names[j]);
	for (size_t i = 0; i < WN_NFEAT2; i++)
		for (size_t j = i + 1; j < WN_NFEAT2; j++)
			assert_string_not_equal(wn_feat2_names[i], wn_feat2_names[j]);
	assert_int_equal(WN_NFEAT_ALL, WN_NFEAT1 + WN_NFEAT2);
}

static void test_default_model_loads(void **state)
{
	(void)state;
	winnow_error err;
	winnow_rules *r = winnow_rules_new();
	assert_int_equal(winnow_rules_add_defaults(r, &err), 0);
	const wn_model *m = wn_rules_model(r);
	assert_non_null(m);
	assert_true(m->s1.ntrees > 0);
	winnow_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_word_weights),
		cmocka_unit_test(test_class_weights),
		cmocka_unit_test(test_linear_and_trees),
		cmocka_unit_test(test_flat_matches_walk),
		cmocka_unit_test(test_feature_names_unique),
		cmocka_unit_test(test_default_model_loads),
		cmocka_unit_test(test_numbers_as_strtod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
