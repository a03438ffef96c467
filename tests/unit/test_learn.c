/* test_learn.c - site names, URL hosts, site-scoped rules, and the
 * learning table: counts, their text form and merge, the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "learn.h"
#include "site.h"

/* ---- site names and URL hosts ------------------------------------------- */

static void expect_site(const char *in, const char *want)
{
	wn_buf b, again;
	wn_buf_init(&b);
	wn_buf_init(&again);
	bool some = wn_site_norm(in, strlen(in), &b);
	if (!want) {
		assert_false(some);
	} else {
		assert_true(some);
		assert_string_equal(wn_buf_cstr(&b), want);
		assert_true(wn_site_norm(b.data, b.len, &again)); /* idempotent */
		assert_string_equal(wn_buf_cstr(&again), want);
	}
	wn_buf_free(&b);
	wn_buf_free(&again);
}

static void test_site_norm(void **state)
{
	(void)state;
	expect_site("Example.COM", "example.com");
	expect_site("  www.example.com.  ", "example.com");
	expect_site("www.www.example.com..", "example.com");
	expect_site("www.", "www");
	expect_site("my site\tname", "my_site_name");
	expect_site("a\x01z", "a_z");
	expect_site("caf\xe9", "caf\xc3\xa9"); /* cp1252 repaired */
	expect_site("-", NULL);
	expect_site("*", NULL);
	expect_site("   ", NULL);
	expect_site("www.-", NULL);
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	expect_site(long_name, NULL);
	long_name[WN_SITE_MAX] = '\0';
	expect_site(long_name, long_name);
}

static void expect_host(const char *url, const char *want)
{
	const char *h;
	size_t n = winnow_url_host(url, strlen(url), &h);
	if (!want) {
		assert_int_equal(n, 0);
		assert_null(h);
		return;
	}
	assert_int_equal(n, strlen(want));
	assert_memory_equal(h, want, n);
}

static void test_url_host(void **state)
{
	(void)state;
	expect_host("https://www.Example.com/a/b?c#d", "www.Example.com");
	expect_host("http://user:pw@host.org:8080/x", "host.org");
	expect_host("<http://a.b/>", "a.b");
	expect_host("  //cdn.example.net/lib.js", "cdn.example.net");
	expect_host("http://[2001:db8::1]:80/", "[2001:db8::1]");
	expect_host("https://q.example?x=1", "q.example");
	expect_host("example.com/path", NULL);
	expect_host("mailto:someone@example.com", NULL);
	expect_host("http:///path", NULL);
	expect_host("", NULL);
}

/* ---- site-scoped rules ---------------------------------------------------- */

static winnow_rules *load(const char *text, winnow_error *err)
{
	winnow_rules *r = winnow_rules_new();
	if (winnow_rules_add_buffer(r, "t.rules", text, strlen(text), err)) {
		winnow_rules_free(r);
		return NULL;
	}
	return r;
}

static wn_rule_hit match_site(const winnow_rules *r, const char *site,
			      const char *key)
{
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	wn_rule_hit hit;
	wn_rules_match_doc(r, wn_rules_site(r, site), WN_LANG_UNKNOWN, key,
			   strlen(key), 0, 1, md, &hit);
	pcre2_match_data_free(md);
	return hit;
}

static void test_site_rules(void **state)
{
	(void)state;
	winnow_error err;
	winnow_rules *r = load("drop exact everywhere\n"
			       "site WWW.A.example\n"
			       "omit exact only a\n"
			       "drop regex ^a regex$\n"
			       "site -\n"
			       "omit exact no site\n"
			       "site *\n"
			       "drop exact again everywhere\n", &err);
	assert_non_null(r);
	assert_true(match_site(r, "a.example", "everywhere").drop == 0);
	assert_true(match_site(r, "b.example", "everywhere").drop == 0);
	assert_true(match_site(r, NULL, "everywhere").drop == 0);
	assert_true(match_site(r, "a.example.", "only a").omit == 1);
	assert_true(match_site(r, "b.example", "only a").omit < 0);
	assert_true(match_site(r, NULL, "only a").omit < 0);
	assert_true(match_site(r, "www.a.example", "a regex").drop == 2);
	assert_true(match_site(r, "b.example", "a regex").drop < 0);
	assert_true(match_site(r, NULL, "no site").omit == 3);
	assert_true(match_site(r, "", "no site").omit == 3);
	assert_true(match_site(r, "a.example", "no site").omit < 0);
	assert_true(match_site(r, "a.example", "again everywhere").drop == 4);
	assert_int_equal(wn_rules_site(r, "unknown.example"), WN_SITE_UNKNOWN);
	assert_int_equal(wn_rules_site(r, NULL), WN_SITE_NONE);
	winnow_rules_free(r);
}

static void expect_error(const char *text, size_t line, const char *needle)
{
	winnow_error err;
	memset(&err, 0, sizeof err);
	assert_null(load(text, &err));
	assert_int_equal(err.code, WINNOW_ERR_RULES);
	assert_string_equal(err.file, "t.rules");
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_site_errors(void **state)
{
	(void)state;
	expect_error("drop exact x\nsite\n", 2, "missing site name");
	expect_error("site   \n", 1, "missing site name");
	expect_error("site a b\n", 1, "a site name is one word");
	expect_error("site a\ndrop tag nav\n", 2, "cannot be scoped to a site");
	expect_error("omit class sidebar\n", 1, "omit needs a text match");
	char big[400];
	snprintf(big, sizeof big, "site %0300d\n", 0);
	expect_error(big, 1, "bad site name");
}

/* ---- the learning table ------------------------------------------------------ */

typedef struct doc {
	const char *site, *text;
} doc;

/* Three sites: "a" has the footer on every page and a wire paragraph on
 * 2 of 4, "b" has the footer once. */
static const doc docs[] = {
	{"a.example", "Alpha one\nThe footer line\nShared wire words here\n"},
	{"a.example", "Alpha two\nThe footer line\nShared wire words here\n"},
	{"a.example", "Alpha three\nThe footer line\n"},
	{"www.a.example", "Alpha four\nTHE FOOTER LINE.\nAlpha four\n"},
	{"b.example", "Beta one\nThe footer line\n"},
	{NULL, "Loose one\nLoose line\n"},
	{NULL, "Loose two\nLoose line\n"},
	{NULL, "Loose three\nLoose line\n"},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static winnow_cleaner *text_cleaner(winnow_rules **r)
{
	*r = winnow_rules_new();
	winnow_options o;
	winnow_options_init(&o);
	o.input = WINNOW_INPUT_TEXT;
	winnow_cleaner *c = winnow_cleaner_new(*r, &o, NULL);
	assert_non_null(c);
	return c;
}

/* The counts of docs[lo..hi) (in the order step gives), as text. */
static char *counts_of(size_t lo, size_t hi, bool reverse, size_t cap)
{
	winnow_rules *r;
	winnow_cleaner *c = text_cleaner(&r);
	wn_learn *l = wn_learn_new(cap);
	for (size_t k = lo; k < hi; k++) {
		const doc *d = &docs[reverse ? hi - 1 - (k - lo) : k];
		wn_learn_doc(l, c, d->text, strlen(d->text), d->site);
	}
	wn_buf out;
	wn_buf_init(&out);
	wn_learn_write_counts(l, &out);
	wn_learn_free(l);
	winnow_cleaner_free(c);
	winnow_rules_free(r);
	return wn_buf_steal(&out, NULL);
}

static char *rules_from(const char *const *counts, size_t n, size_t cap)
{
	wn_learn *l = wn_learn_new(cap);
	for (size_t i = 0; i < n; i++) {
		winnow_error err;
		if (wn_learn_add_counts(l, "c", counts[i], strlen(counts[i]), &err))
			fail_msg("%s:%zu: %s", err.file, err.line, err.msg);
	}
	wn_buf out;
	wn_buf_init(&out);
	wn_learn_write_rules(l, &out);
	wn_learn_free(l);
	return wn_buf_steal(&out, NULL);
}

static void test_counts(void **state)
{
	(void)state;
	char *all = counts_of(0, NDOCS, false, SIZE_MAX);
	assert_string_equal(all,
		"winnow-counts 2\ndocuments 8\nsample 0\n"
		"site 3 -\n3 loose line\n1 loose one\n1 loose three\n1 loose two\n"
		"site 4 a.example\n1 alpha four\n1 alpha one\n1 alpha three\n"
		"1 alpha two\n2 shared wire words here\n4 the footer line\n"
		"site 1 b.example\n1 beta one\n1 the footer line\n"
		"end 3 12\n");
	char *rev = counts_of(0, NDOCS, true, SIZE_MAX);
	assert_string_equal(rev, all);
	/* two shards' counts merged: the counts of the whole */
	char *s1 = counts_of(0, 3, false, SIZE_MAX), *s2 = counts_of(3, NDOCS, false, SIZE_MAX);
	wn_learn *l = wn_learn_new(SIZE_MAX);
	assert_int_equal(wn_learn_add_counts(l, "s2", s2, strlen(s2), NULL), 0);
	assert_int_equal(wn_learn_add_counts(l, "s1", s1, strlen(s1), NULL), 0);
	wn_buf m;
	wn_buf_init(&m);
	wn_learn_write_counts(l, &m);
	assert_string_equal(wn_buf_cstr(&m), all);
	wn_buf_free(&m);
	wn_learn_free(l);
	free(s1);
	free(s2);
	free(rev);
	free(all);
}

static void test_rules_written(void **state)
{
	(void)state;
	char *all = counts_of(0, NDOCS, false, SIZE_MAX);
	const char *one[] = {all};
	char *rules = rules_from(one, 1, SIZE_MAX);
	/* the footer on 4 of 4 pages of a; not on b (1 page) nor from the
	 * other site's page; the wire line on 2 < 3 pages stays */
	assert_non_null(strstr(rules, "\nsite a.example\n# 4 of 4\nomit exact the footer line\n"));
	assert_non_null(strstr(rules, "\nsite -\n# 3 of 3\nomit exact loose line\n"));
	assert_null(strstr(rules, "site b.example"));
	assert_null(strstr(rules, "shared wire"));
	/* they load, and scope to their sites */
	winnow_error err;
	winnow_rules *r = load(rules, &err);
	assert_non_null(r);
	assert_true(match_site(r, "a.example", "the footer line").omit >= 0);
	assert_true(match_site(r, "b.example", "the footer line").omit < 0);
	assert_true(match_site(r, NULL, "loose line").omit >= 0);
	winnow_rules_free(r);
	free(rules);
	free(all);
}

static void test_sample(void **state)
{
	(void)state;
	/* the counts take about 1,100 bytes: a cap of 700 keeps a sample of
	 * the sites (here "-" and b.example, by their hashes), the same
	 * whatever the order or the sharding, though each shard (a.example's
	 * pages, the others) fits the cap alone */
	char *all = counts_of(0, NDOCS, false, 700), *rev = counts_of(0, NDOCS, true, 700);
	assert_string_equal(all, rev);
	assert_non_null(strstr(all, "\nsample 1\nsite 3 -\n"));
	assert_null(strstr(all, "a.example"));
	char *s1 = counts_of(0, 4, false, 700), *s2 = counts_of(4, NDOCS, false, 700);
	assert_non_null(strstr(s1, "\nsample 0\n"));
	assert_non_null(strstr(s2, "\nsample 0\n"));
	const char *both[] = {s2, s1}, *one[] = {all};
	char *r1 = rules_from(both, 2, 700), *r2 = rules_from(one, 1, 700);
	assert_string_equal(r1, r2);
	assert_non_null(strstr(r1, "# only 1 site in 2 is counted"));
	assert_non_null(strstr(r1, "omit exact loose line"));
	assert_null(strstr(r1, "footer"));
	free(r1);
	free(r2);
	free(s1);
	free(s2);
	free(rev);
	free(all);
}

static void expect_counts_error(const char *text, size_t line, const char *needle)
{
	wn_learn *l = wn_learn_new(SIZE_MAX);
	winnow_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(wn_learn_add_counts(l, "x.counts", text, strlen(text), &err), -1);
	assert_string_equal(err.file, "x.counts");
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
	wn_learn_free(l);
}

static void test_counts_errors(void **state)
{
	(void)state;
	expect_counts_error("", 0, "empty");
	expect_counts_error("site 1 a\n", 1, "winnow-counts 2");
	/* version 2 ends with an end line that counts the lines: a file cut
	 * short, at a line's end or inside one, is found */
	expect_counts_error("winnow-counts 2\nsite 2 a\n1 one\n", 3, "cut short");
	expect_counts_error("winnow-counts 2\nsite 2 a\n1 one\n1 tw", 4, "cut short");
	expect_counts_error("winnow-counts 2\nsite 2 a\n1 one\nend 1 2\n", 4, "end line says");
	expect_counts_error("winnow-counts 2\nsite 2 a\nend 1 0\n1 one\n", 4, "after the 'end'");
	expect_counts_error("winnow-counts 2\nend 0\n", 2, "end SITES COUNTS");
	/* version 1, from before the end line, is still read */
	wn_learn *l = wn_learn_new(SIZE_MAX);
	const char *v1 = "winnow-counts 1\nsite 2 a\n1 one\n";
	assert_int_equal(wn_learn_add_counts(l, "v1", v1, strlen(v1), NULL), 0);
	wn_learn_free(l);
	expect_counts_error("winnow-counts 1\n3 key\n", 2, "before the first site");
	expect_counts_error("winnow-counts 1\nsite 1 A.com\n", 2, "normal form");
	expect_counts_error("winnow-counts 1\nsite x a\n", 2, "site DOCS NAME");
	expect_counts_error("winnow-counts 1\nsite 1 a\n1  two spaces\n", 3, "DOCS KEY");
	expect_counts_error("winnow-counts 1\nsite 1 a\n99999999999999999999 k\n", 3, "DOCS KEY");
	expect_counts_error("winnow-counts 1\nsample 64\n", 2, "at most 63");
	expect_counts_error("winnow-counts 1\nsite 1 a\n1 caf\xe9\n", 3, "UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_norm),
		cmocka_unit_test(test_url_host),
		cmocka_unit_test(test_site_rules),
		cmocka_unit_test(test_site_errors),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_rules_written),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_counts_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
