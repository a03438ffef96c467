/* test_model.c - the block model: file format, errors, evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
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
	/* found by fuzz_model: trees left open by a new tree or stage */
	expect_error("stage 1\ntree\ntree\nleaf 0.5\nend\n", 3, "has no 'end'");
	expect_error("stage 1\ntree\nsplit words 0.3 1 2\nstage 2\n", 4, "has no 'end'");
	expect_error("stage 1\ntree\nsplit words 0.3 1 2\nleaf 2\ntree\nleaf 0.5\nend\n", 5,
		     "has no 'end'");
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
		cmocka_unit_test(test_linear_and_trees),
		cmocka_unit_test(test_feature_names_unique),
		cmocka_unit_test(test_default_model_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
