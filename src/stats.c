/* stats.c - the --stats summary: counters summed under one lock (the
 * order documents finish in cannot change a sum), written as JSON with
 * sorted keys and sorted failures. */
#include "stats.h"
#include "internal.h"
#include "jsonl.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Counts by name. */
typedef struct counter {
	char **names;
	uint64_t *counts;
	size_t n, cap;
	size_t *slots;    /* index + 1, 0 empty */
	size_t nslots;
} counter;

typedef struct failure {
	char *path, *why;
	uint64_t line;
} failure;

struct wn_stats {
	pthread_mutex_t lock;
	uint64_t files, files_failed, documents, bytes_in, bytes_out, repairs;
	uint64_t blocks, kept, dropped;
	counter kept_rule, kept_reason, dropped_rule, dropped_reason;
	failure *failures;
	size_t nfailures, failures_cap;
	bool learned;
	size_t learned_rules, learned_sites;
	uint64_t learned_docs;
	unsigned learned_sample;
};

/* ---- counters ---------------------------------------------------------- */

static size_t *counter_slot(const counter *c, const char *s, size_t n)
{
	size_t mask = c->nslots - 1;
	for (size_t i = wn_hash(s, n) & mask;; i = (i + 1) & mask) {
		size_t k = c->slots[i];
		if (!k || (!strncmp(c->names[k - 1], s, n) && !c->names[k - 1][n]))
			return &c->slots[i];
	}
}

static void counter_add(counter *c, const char *s, size_t n)
{
	if ((c->n + 1) * 2 > c->nslots) {
		free(c->slots);
		c->nslots = c->nslots ? c->nslots * 2 : 64;
		c->slots = wn_xcalloc(c->nslots, sizeof(size_t));
		for (size_t i = 0; i < c->n; i++)
			*counter_slot(c, c->names[i], strlen(c->names[i])) = i + 1;
	}
	size_t *slot = counter_slot(c, s, n);
	if (!*slot) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->names = wn_xrealloc(c->names, c->cap * sizeof(char *));
			c->counts = wn_xrealloc(c->counts, c->cap * sizeof(uint64_t));
		}
		c->names[c->n] = wn_xstrndup(s, n);
		c->counts[c->n] = 0;
		*slot = ++c->n;
	}
	c->counts[*slot - 1]++;
}

static void counter_free(counter *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->counts);
	free(c->slots);
}

/* Rule names hold file names, which need not be UTF-8: repaired, as
 * every string winnow writes as JSON. */
static json_t *counter_json(const counter *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < c->n; i++) {
		json_t *k = wn_json_text(c->names[i], strlen(c->names[i]));
		json_object_set_new(o, json_string_value(k),
				    json_integer((json_int_t)c->counts[i]));
		json_decref(k);
	}
	return o;
}

/* ---- collecting -------------------------------------------------------- */

wn_stats *wn_stats_new(void)
{
	wn_stats *s = wn_xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void wn_stats_free(wn_stats *s)
{
	if (!s)
		return;
	counter_free(&s->kept_rule);
	counter_free(&s->kept_reason);
	counter_free(&s->dropped_rule);
	counter_free(&s->dropped_reason);
	for (size_t i = 0; i < s->nfailures; i++) {
		free(s->failures[i].path);
		free(s->failures[i].why);
	}
	free(s->failures);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void wn_stats_file(wn_stats *s, bool ok)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->files++;
	s->files_failed += !ok;
	pthread_mutex_unlock(&s->lock);
}

/* A rule's reason is its "file:line"; the others name a classifier
 * stage ("classifier: model, chrome (p=0.23)": the score is left out). */
static bool rule_reason(const char *r, size_t *n)
{
	size_t len = strlen(r), d = len;
	while (d > 0 && r[d - 1] >= '0' && r[d - 1] <= '9')
		d--;
	if (d < len && d > 1 && r[d - 1] == ':') {
		*n = len;
		return true;
	}
	const char *p = strstr(r, " (p=");
	*n = p ? (size_t)(p - r) : len;
	return false;
}

void wn_stats_doc(wn_stats *s, size_t len, const winnow_result *res)
{
	if (!s)
		return;
	size_t out = wn_result_out_len(res);
	size_t nb = winnow_result_block_count(res);
	pthread_mutex_lock(&s->lock);
	s->documents++;
	s->bytes_in += len;
	s->bytes_out += out;
	s->repairs += winnow_result_repairs(res);
	for (size_t i = 0; i < nb; i++) {
		winnow_block_info bi;
		winnow_result_block(res, i, &bi);
		size_t n;
		bool rule = rule_reason(bi.reason, &n);
		counter *c = bi.kept ? (rule ? &s->kept_rule : &s->kept_reason)
				     : (rule ? &s->dropped_rule : &s->dropped_reason);
		counter_add(c, bi.reason, n);
		s->blocks++;
		s->kept += bi.kept;
		s->dropped += !bi.kept;
	}
	pthread_mutex_unlock(&s->lock);
}

void wn_stats_failure(wn_stats *s, const char *path, uint64_t line,
		      const char *why)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	if (s->nfailures == s->failures_cap) {
		s->failures_cap = s->failures_cap ? s->failures_cap * 2 : 16;
		s->failures = wn_xrealloc(s->failures, s->failures_cap * sizeof *s->failures);
	}
	s->failures[s->nfailures++] = (failure){wn_xstrndup(path, strlen(path)),
						wn_xstrndup(why, strlen(why)), line};
	pthread_mutex_unlock(&s->lock);
}

void wn_stats_learned(wn_stats *s, size_t rules, size_t sites,
		      uint64_t documents, unsigned sample)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->learned = true;
	s->learned_rules = rules;
	s->learned_sites = sites;
	s->learned_docs = documents;
	s->learned_sample = sample;
	pthread_mutex_unlock(&s->lock);
}

winnow_result *wn_clean_doc(winnow_cleaner *cl, const char *text, size_t len,
			    const char *site, wn_stats *s)
{
	return wn_clean_doc_cs(cl, text, len, site, NULL, s);
}

winnow_result *wn_clean_doc_cs(winnow_cleaner *cl, const char *text,
			       size_t len, const char *site,
			       const char *charset, wn_stats *s)
{
	winnow_result *res = wn_clean_charset(cl, text, len, site, charset);
	wn_stats_doc(s, len, res);
	return res;
}

winnow_result *wn_clean_doc_to(winnow_cleaner *cl, const char *text,
			       size_t len, const char *site,
			       const char *charset, wn_stats *s,
			       const wn_sink *sink)
{
	winnow_result *res = wn_clean_sink(cl, text, len, site, charset, sink);
	wn_stats_doc(s, len, res);
	return res;
}

/* --explain's rows of one window, to the sink in ctx. */
static void explain_rows(void *ctx, const winnow_result *window)
{
	const wn_sink *sink = ctx;
	wn_buf out;
	wn_buf_init(&out);
	wn_render_explain(window, &out);
	if (out.len)
		sink->write(sink->ctx, out.data, out.len);
	wn_buf_free(&out);
}

winnow_result *wn_explain_doc_to(winnow_cleaner *cl, const char *text,
				 size_t len, const char *site, wn_stats *s,
				 const wn_sink *sink)
{
	wn_window_fn rows = {explain_rows, (void *)sink};
	return wn_clean_doc_windows(cl, text, len, site, NULL, s, NULL, &rows);
}

winnow_result *wn_clean_doc_windows(winnow_cleaner *cl, const char *text,
				    size_t len, const char *site,
				    const char *charset, wn_stats *s,
				    const wn_sink *sink,
				    const wn_window_fn *window)
{
	winnow_result *res = wn_clean_windows(cl, text, len, site, charset,
					      sink, window, s != NULL);
	wn_stats_doc(s, len, res);
	return res;
}

/* ---- the summary ------------------------------------------------------- */

static int cmp_failure(const void *a, const void *b)
{
	const failure *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->why, y->why);
}

static json_t *num(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *blocks_json(uint64_t total, const counter *rule, const counter *reason)
{
	json_t *o = json_object();
	json_object_set_new(o, "total", num(total));
	json_object_set_new(o, "by_rule", counter_json(rule));
	json_object_set_new(o, "by_reason", counter_json(reason));
	return o;
}

static json_t *failures_json(const wn_stats *s)
{
	failure *v = wn_xmalloc((s->nfailures + 1) * sizeof *v);
	if (s->nfailures)
		memcpy(v, s->failures, s->nfailures * sizeof *v);
	if (s->nfailures)
		qsort(v, s->nfailures, sizeof *v, cmp_failure);
	json_t *a = json_array();
	for (size_t i = 0; i < s->nfailures; i++) {
		json_t *f = json_object();
		json_object_set_new(f, "path", wn_json_text(v[i].path, strlen(v[i].path)));
		json_object_set_new(f, "line", num(v[i].line));
		json_object_set_new(f, "reason", wn_json_text(v[i].why, strlen(v[i].why)));
		json_array_append_new(a, f);
	}
	free(v);
	return a;
}

static json_t *summary(const wn_stats *s)
{
	json_t *o = json_object(), *x;
	x = json_object();
	json_object_set_new(x, "total", num(s->files));
	json_object_set_new(x, "ok", num(s->files - s->files_failed));
	json_object_set_new(x, "failed", num(s->files_failed));
	json_object_set_new(o, "files", x);
	json_object_set_new(o, "documents", num(s->documents));
	x = json_object();
	json_object_set_new(x, "in", num(s->bytes_in));
	json_object_set_new(x, "out", num(s->bytes_out));
	json_object_set_new(o, "bytes", x);
	x = json_object();
	json_object_set_new(x, "total", num(s->blocks));
	json_object_set_new(x, "kept", blocks_json(s->kept, &s->kept_rule, &s->kept_reason));
	json_object_set_new(x, "dropped", blocks_json(s->dropped, &s->dropped_rule,
						      &s->dropped_reason));
	json_object_set_new(o, "blocks", x);
	json_object_set_new(o, "repairs", num(s->repairs));
	json_object_set_new(o, "failures", failures_json(s));
	if (s->learned) {
		x = json_object();
		json_object_set_new(x, "rules", num(s->learned_rules));
		json_object_set_new(x, "sites", num(s->learned_sites));
		json_object_set_new(x, "documents", num(s->learned_docs));
		json_object_set_new(x, "sample", num(s->learned_sample));
		json_object_set_new(o, "learned", x);
	}
	return o;
}

int wn_stats_write(const wn_stats *s, const char *path)
{
	json_t *o = summary(s);
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(o);
	if (!text) {
		fprintf(stderr, "winnow: --stats: cannot encode the summary as JSON\n");
		return -1;
	}
	bool to_stdout = !strcmp(path, "-");
	/* a regular file (or a new one) is written beside itself and renamed
	 * over: a full disk leaves the summary before it whole, not half of
	 * a new one; a device or a pipe (/dev/stdout) is written as it is */
	struct stat st, old;
	bool exists = !to_stdout && !stat(path, &old);
	bool atomic = !to_stdout && (exists ? S_ISREG(old.st_mode) : errno == ENOENT);
	char *real = NULL; /* through a symlink, not over it */
	if (atomic && !lstat(path, &st) && S_ISLNK(st.st_mode))
		atomic = (real = realpath(path, NULL)) != NULL; /* dangling: as it is */
	const char *target = real ? real : path;
	char *tmp = NULL;
	FILE *f = stdout;
	if (atomic) {
		tmp = wn_temp_name(target, (long)getpid(), 0);
		f = fopen(tmp, "w");
		if (!f && exists && (errno == EACCES || errno == EPERM || errno == EROFS)) {
			/* a writable file in a directory that takes no new
			 * one: written in place, as before */
			free(tmp);
			tmp = NULL;
			f = fopen(path, "w");
		} else if (f && exists) {
			/* the summary it replaces keeps its mode */
			fchmod(fileno(f), old.st_mode & 07777);
		}
	} else if (!to_stdout) {
		f = fopen(path, "w");
	}
	int rc = 0;
	if (!f) {
		fprintf(stderr, "winnow: %s: %s\n", path, strerror(errno));
		free(text);
		free(tmp);
		free(real);
		return -1;
	}
	fputs(text, f);
	fputc('\n', f);
	free(text);
	if (fflush(f) || ferror(f))
		rc = -1;
	if (!to_stdout && fclose(f))
		rc = -1;
	if (!rc && tmp && rename(tmp, target))
		rc = -1;
	int e = errno ? errno : EIO;
	if (tmp && rc)
		unlink(tmp);
	/* standard output's error is the caller's to say, once, at its
	 * end (a closed one read "No space left on device" first: the
	 * /dev/full that holds its descriptor) */
	if (rc && !to_stdout)
		fprintf(stderr, "winnow: %s: %s\n", path, strerror(e));
	free(tmp);
	free(real);
	return rc;
}
