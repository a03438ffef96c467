/* batch.c - directory walk, worker threads, atomic writes.
 *
 * A batch runs in three steps so that nothing is written before every
 * refusal has been decided: collect (walk the inputs into a list of
 * source -> destination jobs), check (sort, refuse an OUTDIR inside an
 * input, refuse a destination that is an input), then clean the list with
 * worker threads that take jobs from a shared index. */
#include "batch.h"
#include "output.h"
#include "learn.h"
#include "progress.h"
#include "stats.h"
#include "util.h"
#include "warc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ST_OK = 0, ST_FAILED = 1, ST_SYSTEM = 2 };

/* ---- reading ----------------------------------------------------------- */

/* The bytes wn_not_text looks at for NULs. */
#define NOT_TEXT_PREFIX 8192

/* Larger reads gain nothing, and Linux caps one read at ~2 GiB anyway. */
#define READ_CHUNK ((size_t)1 << 30)

/* Reads fd to its end into *data, *len (NUL terminated).  With text, it
 * stops as soon as the first 8 KiB say the bytes are no text
 * (wn_not_text, which the caller asks again): /dev/zero or a pipe of
 * binary data is refused after 8 KiB, not read until memory runs out. */
static int read_fd(int fd, size_t hint, bool text, char **data, size_t *len)
{
	/* +2: the NUL, and room for the read that sees the end of the file
	 * (else a file of exactly hint bytes would double the buffer) */
	size_t full = hint + 2 > 4096 ? hint + 2 : 4096, n = 0;
	/* a document's first 8 KiB come first, into a buffer of that size:
	 * a binary file is refused before the room for all of it is taken */
	size_t cap = text && full > NOT_TEXT_PREFIX + 2 ? NOT_TEXT_PREFIX + 2 : full;
	char *p = wn_xmalloc(cap);
	for (;;) {
		if (cap - n < 2 || (cap < full && n >= NOT_TEXT_PREFIX)) {
			/* then the size the file said, or geometric growth,
			 * which keeps a pipe of any size linear */
			cap = full > cap ? full : cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
			p = wn_xrealloc(p, cap);
		}
		size_t want = cap - n - 1;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (text && n < NOT_TEXT_PREFIX && want > NOT_TEXT_PREFIX - n)
			want = NOT_TEXT_PREFIX - n; /* a binary file: its 8 KiB only */
		ssize_t r = read(fd, p + n, want);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(p);
			return e;
		}
		n += (size_t)r;
		if (text && n == NOT_TEXT_PREFIX && wn_not_text(p, n))
			break;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
}

static int read_path(const char *path, bool text, char **data, size_t *len)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat st;
	int e = fstat(fd, &st) ? errno : 0;
	if (!e && S_ISDIR(st.st_mode))
		e = EISDIR; /* read(2) says so on Linux only */
	/* st_size sizes the buffer of a regular file in one go; pipes say 0 */
	size_t hint = !e && S_ISREG(st.st_mode) && st.st_size > 0 &&
		(unsigned long long)st.st_size < SIZE_MAX / 2 ? (size_t)st.st_size : 0;
	if (!e)
		e = read_fd(fd, hint, text, data, len);
	if (!is_stdin)
		close(fd);
	return e;
}

int wn_read_all(const char *path, char **data, size_t *len)
{
	return read_path(path, false, data, len);
}

int wn_read_text(const char *path, char **data, size_t *len)
{
	return read_path(path, true, data, len);
}

const char *wn_not_text(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	/* UTF-32 first: its little-endian BOM starts like UTF-16's */
	if (len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3]) ||
			 (!u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)))
		return "UTF-32 text is not supported (convert it to UTF-8 first)";
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			 (u[0] == 0xFE && u[1] == 0xFF)))
		return NULL; /* UTF-16 with its BOM: the library decodes it */
	/* binary formats whose first bytes may hold no NUL: a PDF's header
	 * and first objects are ASCII, and gzip's can be */
	if (len >= 5 && !memcmp(data, "%PDF-", 5))
		return "a PDF document, not text (extract its text first)";
	if (len >= 2 && u[0] == 0x1F && u[1] == 0x8B)
		return "gzip-compressed (decompress it first: zcat FILE | winnow)";
	if (memchr(data, '\0', len < NOT_TEXT_PREFIX ? len : NOT_TEXT_PREFIX))
		return "binary file (NUL bytes)";
	return NULL;
}

/* ---- the job list -------------------------------------------------------- */

typedef struct job {
	char *src;     /* path as given or found by the walk */
	char *dst;     /* OUTDIR/relative path */
	size_t input;  /* index of the argument it came from: ties sort by it */
	dev_t dev;     /* identity of the source, to refuse overwriting it */
	ino_t ino;
	wn_input_kind kind;
	bool sniff;    /* kind not known yet: the worker reads the first bytes
			* (WARC when they start one, else text) */
	char *site;    /* the top directory below the input, or NULL */
	uint64_t size; /* bytes, for the progress line */
} job;

typedef struct joblist {
	job *v;
	size_t n, cap;
} joblist;

typedef struct collect {
	const wn_batch_opts *opts;
	joblist jobs;
	const char *outdir;
	size_t input;
	bool quiet;
	bool silent;   /* failures are left to a later pass to report */
	int status;
} collect;

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	bool slash = la && a[la - 1] == '/';
	char *p = wn_xmalloc(la + lb + 2);
	memcpy(p, a, la);
	if (!slash)
		p[la++] = '/';
	memcpy(p + la, b, lb + 1);
	return p;
}

/* path with ".jsonl" appended: a WARC input's output is JSONL */
static char *jsonl_name(const char *path)
{
	size_t n = strlen(path);
	char *d = wn_xmalloc(n + sizeof ".jsonl");
	memcpy(d, path, n);
	memcpy(d + n, ".jsonl", sizeof ".jsonl");
	return d;
}

/* Job j's kind from its first bytes, now (settle_names). */
static void sniff_job(job *j)
{
	j->sniff = false;
	j->kind = wn_warc_sniff_path(j->src) ? WN_INPUT_WARC : WN_INPUT_TEXT;
	if (j->kind == WN_INPUT_WARC) { /* page.warc.gz -> page.warc.gz.jsonl */
		char *d = jsonl_name(j->dst);
		free(j->dst);
		j->dst = d;
	}
}

/* The walk only stats a file: opening each one to sniff for WARC here
 * would be one more open(2) per file, made by one thread (a tenth of a
 * batch's time on a tree of small files).  The worker sniffs the bytes it
 * reads anyway. */
static void add_job(collect *c, const char *src, const char *rel,
		    const struct stat *st)
{
	joblist *l = &c->jobs;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = wn_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	job *j = &l->v[l->n++];
	j->src = wn_xstrndup(src, strlen(src));
	const wn_batch_opts *o = c->opts;
	j->kind = o->jsonl ? WN_INPUT_JSONL : o->warc ? WN_INPUT_WARC : WN_INPUT_TEXT;
	/* only a regular file is sniffed, as wn_warc_sniff does: a pipe's
	 * bytes cannot be read again for the WARC reader */
	j->sniff = !o->jsonl && !o->warc && S_ISREG(st->st_mode);
	j->dst = j->kind == WN_INPUT_WARC ? jsonl_name(rel) : wn_xstrndup(rel, strlen(rel));
	char *dst = join(c->outdir, j->dst);
	free(j->dst);
	j->dst = dst;
	j->input = c->input;
	j->dev = st->st_dev;
	j->ino = st->st_ino;
	j->size = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	/* a file in a subdirectory of an input directory belongs to the site
	 * named by the subdirectory's name, if nothing better says */
	const char *slash = strchr(rel, '/');
	j->site = slash ? wn_xstrndup(rel, (size_t)(slash - rel)) : NULL;
}

static void report(const char *path, const char *why)
{
	wn_buf b;
	/* one call per line: stderr is unbuffered, lines of threads stay whole */
	fprintf(stderr, "winnow: %s: %s\n", wn_shown(path, &b), why);
	wn_buf_free(&b);
}

void wn_report_limits(const char *path, const winnow_result *res)
{
	if (wn_result_legacy_runs(res)) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: warning: " WN_LEGACY_WARNING "\n",
			wn_shown(path, &b));
		wn_buf_free(&b);
	}
	const char *where;
	size_t n = winnow_result_regex_limits(res, &where);
	if (!n)
		return;
	wn_buf b;
	/* the result keeps the first rule only: with more lines, others may
	 * have hit theirs too */
	if (n == 1)
		fprintf(stderr, "winnow: %s: warning: regex rule %s hit its match "
			"limit on 1 line (counted as no match)\n", wn_shown(path, &b), where);
	else
		fprintf(stderr, "winnow: %s: warning: a regex rule hit its match limit "
			"on %zu lines, the first %s (counted as no match)\n",
			wn_shown(path, &b), n, where);
	wn_buf_free(&b);
}

static void note_skip(collect *c, const char *path, const char *why)
{
	if (!c->quiet)
		report(path, why);
}

/* An input that failed: reported, counted in --stats. */
static void fail(wn_stats *s, const char *path, const char *why)
{
	report(path, why);
	wn_stats_failure(s, path, 0, why);
}

/* An input that the walk could not read. */
static void collect_fail(collect *c, const char *path, const char *why)
{
	if (!c->silent) {
		fail(c->opts->stream->stats, path, why);
		wn_stats_file(c->opts->stream->stats, false);
	}
	c->status = ST_FAILED;
}

static void walk_dir(collect *c, const char *dir, const char *rel);

/* One directory entry; path is dir/name, rel its path below the input. */
static void walk_entry(collect *c, const char *path, const char *rel)
{
	struct stat st;
	if (lstat(path, &st)) {
		collect_fail(c, path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(c, path, rel);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st)) {
			collect_fail(c, path, strerror(errno)); /* dangling link */
			return;
		}
		/* never followed: a link back up the tree would loop forever */
		if (S_ISDIR(st.st_mode)) {
			note_skip(c, path, "symbolic link to a directory, skipped");
			return;
		}
	}
	if (!S_ISREG(st.st_mode)) {
		note_skip(c, path, "not a regular file, skipped");
		return;
	}
	add_job(c, path, rel, &st);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted; the directory is closed on return so that a
 * deep tree does not hold one descriptor per level.  NULL on error. */
static char **list_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = wn_xrealloc(names, cap * sizeof *names);
		}
		names[n++] = wn_xstrndup(e->d_name, strlen(e->d_name));
	}
	int e_read = errno;
	closedir(d);
	if (e_read) {
		while (n)
			free(names[--n]);
		free(names);
		errno = e_read;
		return NULL;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_cstr);
	*count = n;
	return names ? names : wn_xcalloc(1, sizeof *names);
}

static void walk_dir(collect *c, const char *dir, const char *rel)
{
	size_t n = 0;
	char **names = list_dir(dir, &n);
	if (!names) {
		collect_fail(c, dir, strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		char *sub = rel ? join(rel, names[i]) : wn_xstrndup(names[i], strlen(names[i]));
		walk_entry(c, path, sub);
		free(sub);
		free(path);
		free(names[i]);
	}
	free(names);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* One command-line input: a directory is walked (a symlink given by name
 * is followed: the user asked for it), anything else is one job. */
static void collect_input(collect *c, const char *path)
{
	struct stat st;
	if (stat(path, &st)) {
		collect_fail(c, path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		walk_dir(c, path, NULL);
	} else {
		add_job(c, path, base_name(path), &st);
	}
}

static void free_jobs(joblist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].src);
		free(l->v[i].dst);
		free(l->v[i].site);
	}
	free(l->v);
}

/* ---- checks before anything is written ----------------------------------- */

/* Status 2 with a message when OUTDIR is an input directory or inside one:
 * the batch would read its own output. */
static int check_outdir(const char *outdir, char *const *inputs, size_t n)
{
	char *out = wn_path_resolve(outdir);
	int status = ST_OK;
	for (size_t i = 0; out && i < n && !status; i++) {
		struct stat st;
		if (stat(inputs[i], &st) || !S_ISDIR(st.st_mode))
			continue;
		char *in = realpath(inputs[i], NULL);
		if (in && wn_path_within(out, in)) {
			fprintf(stderr, "winnow: %s: output directory is %s input directory %s\n",
				outdir, strcmp(out, in) ? "inside the" : "the", inputs[i]);
			status = ST_SYSTEM;
		}
		free(in);
	}
	free(out);
	return status;
}

/* One name a job may write: a job not yet sniffed may write dst or
 * dst.jsonl. */
typedef struct out_name {
	char *name;
	size_t job;
} out_name;

static int cmp_out_name(const void *a, const void *b)
{
	const out_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->job < y->job ? -1 : x->job > y->job;
}

/* Sniffs now every job whose possible outputs meet another job's, so
 * that the checks below (one output per name, none over an input) see
 * final names.  Rare: a WARC beside a file of its name plus ".jsonl", or
 * one relative path under two inputs. */
static void settle_names(joblist *l)
{
	size_t n = 0;
	out_name *v = wn_xmalloc(2 * (l->n ? l->n : 1) * sizeof *v);
	for (size_t i = 0; i < l->n; i++) {
		v[n++] = (out_name){l->v[i].dst, i};
		if (l->v[i].sniff)
			v[n++] = (out_name){jsonl_name(l->v[i].dst), i};
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_out_name);
	bool *meet = wn_xcalloc(l->n ? l->n : 1, sizeof *meet);
	for (size_t i = 0; i + 1 < n; i++) {
		if (!strcmp(v[i].name, v[i + 1].name) && v[i].job != v[i + 1].job)
			meet[v[i].job] = meet[v[i + 1].job] = true;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].name != l->v[v[i].job].dst)
			free(v[i].name);
	free(v);
	for (size_t i = 0; i < l->n; i++)
		if (meet[i] && l->v[i].sniff)
			sniff_job(&l->v[i]); /* replaces dst: after the names went */
	free(meet);
}

static int cmp_job(const void *a, const void *b)
{
	const job *x = a, *y = b;
	int c = strcmp(x->dst, y->dst);
	if (c)
		return c;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	/* one argument's x.warc and x.warc.jsonl, both to x.warc.jsonl: the
	 * name decides, not qsort's order of equals (a reviewer's find) */
	return strcmp(x->src, y->src);
}

/* Two inputs that map to one output (a/x.txt and b/x.txt into one OUTDIR):
 * the first argument wins, and within one, the first name in byte order;
 * the others fail; one file named twice is simply cleaned once.  jobs
 * must be sorted. */
static int drop_duplicates(joblist *l, wn_stats *stats)
{
	int status = ST_OK;
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		job *kept = w ? &l->v[w - 1] : NULL, *j = &l->v[i];
		if (!kept || strcmp(kept->dst, j->dst)) {
			l->v[w++] = *j;
			continue;
		}
		if (kept->dev != j->dev || kept->ino != j->ino) {
			wn_buf b1, b2, b3;
			fprintf(stderr, "winnow: %s: same output path %s as %s, skipped\n",
				wn_shown(j->src, &b1), wn_shown(j->dst, &b2), wn_shown(kept->src, &b3));
			wn_buf_free(&b1);
			wn_buf_free(&b2);
			wn_buf_free(&b3);
			wn_stats_failure(stats, j->src, 0, "same output path as another input, skipped");
			wn_stats_file(stats, false);
			status = ST_FAILED;
		}
		free(j->src);
		free(j->dst);
		free(j->site);
	}
	l->n = w;
	return status;
}

typedef struct file_id {
	dev_t dev;
	ino_t ino;
} file_id;

static int cmp_id(const void *a, const void *b)
{
	const file_id *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Whether path names one of the inputs (ids, sorted). */
static bool is_input(const char *path, const file_id *ids, size_t n)
{
	struct stat st;
	if (stat(path, &st))
		return false;
	file_id key = {st.st_dev, st.st_ino};
	return bsearch(&key, ids, n, sizeof *ids, cmp_id) != NULL;
}

/* Status 2 when a destination already is one of the inputs (an input
 * inside OUTDIR: "-o . x.txt"): the rename would replace it.  Each
 * destination is looked up below OUTDIR resolved (wn_path_resolve), so
 * that "-o new/.. a.txt" with new missing is seen to be a.txt itself; an
 * OUTDIR that resolves to nothing existing holds nothing (one stat(2)
 * per file saved).  A job not sniffed yet whose plain name is an input
 * is sniffed now: a WARC there is written as NAME.jsonl, no clash. */
static int check_overwrite(joblist *l, const char *outdir, const file_id *ids,
			   size_t nids)
{
	if (!l->n)
		return ST_OK;
	char *base = wn_path_resolve(outdir);
	if (!base) /* unresolvable (EACCES...): the paths as they are */
		base = wn_xstrndup(outdir, strlen(outdir));
	struct stat st;
	if (stat(base, &st) && errno == ENOENT) {
		free(base);
		return ST_OK;
	}
	size_t olen = strcmp(outdir, "/") ? strlen(outdir) + 1 : 1;
	int status = ST_OK;
	for (size_t i = 0; i < l->n && !status; i++) {
		job *j = &l->v[i];
		char *path = join(base, j->dst + olen);
		if (j->sniff && is_input(path, ids, nids)) {
			sniff_job(j); /* its candidates meet no other job's */
			free(path);
			path = join(base, j->dst + olen);
		}
		char *alt = j->sniff ? jsonl_name(path) : NULL;
		wn_buf b;
		if (is_input(path, ids, nids)) {
			fprintf(stderr, "winnow: %s: output would overwrite an input\n",
				wn_shown(j->dst, &b));
			wn_buf_free(&b);
			status = ST_SYSTEM;
		} else if (alt && is_input(alt, ids, nids)) {
			fprintf(stderr, "winnow: %s.jsonl: output would overwrite an input\n",
				wn_shown(j->dst, &b));
			wn_buf_free(&b);
			status = ST_SYSTEM;
		}
		free(alt);
		free(path);
	}
	free(base);
	return status;
}

/* ---- writing --------------------------------------------------------------- */

/* mkdir -p: 0777 less the umask, as mkdir(1) does.  Returns 0 or errno. */
static int make_dirs(char *path)
{
	if (!mkdir(path, 0777))
		return 0;
	int e = errno;
	if (e == EEXIST) { /* maybe by another worker, maybe a file */
		struct stat st;
		return !stat(path, &st) && S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	}
	char *s = strrchr(path, '/');
	if (e != ENOENT || !s || s == path)
		return e;
	*s = '\0';
	e = make_dirs(path);
	*s = '/';
	if (e)
		return e;
	if (!mkdir(path, 0777) || errno == EEXIST)
		return 0;
	return errno;
}

static int make_parent(const char *dst)
{
	const char *s = strrchr(dst, '/');
	if (!s || s == dst)
		return 0;
	char *dir = wn_xstrndup(dst, (size_t)(s - dst));
	int e = make_dirs(dir);
	free(dir);
	return e;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n < READ_CHUNK ? n : READ_CHUNK);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ".NAME.winnow-PID-N" next to dst, so that rename(2) stays in one file
 * system; the name is cut short so that the temp name fits NAME_MAX. */
static long temp_pid; /* getpid() once per pass: glibc no longer caches it */

static char *temp_name(const char *dst, unsigned serial)
{
	return wn_temp_name(dst, temp_pid, serial);
}

static atomic_uint temp_serial;

/* The temporary files being written, for the out-of-memory exit to
 * remove (wn_batch_remove_temps): a slot per worker of the pass, holding
 * a copy of the name from when make_temp opens the file until it is
 * renamed or removed (0 free, 1 being filled, 2 set).  The slots are
 * made before the workers start and never freed while they run, so the
 * exit reads no freed memory; registering allocates nothing. */
typedef struct inflight_slot {
	atomic_int state;
	char path[PATH_MAX];
} inflight_slot;
static inflight_slot *inflight;
static size_t ninflight;
static atomic_bool dying; /* out of memory: make no more temporary files */

static void inflight_set(const char *tmp)
{
	size_t n = strlen(tmp);
	if (n >= PATH_MAX)
		return; /* too long to hold: the exit cannot remove it */
	for (size_t k = 0; k < ninflight; k++) {
		int free_slot = 0;
		if (atomic_compare_exchange_strong(&inflight[k].state, &free_slot, 1)) {
			memcpy(inflight[k].path, tmp, n + 1);
			atomic_store(&inflight[k].state, 2);
			return;
		}
	}
}

static void inflight_clear(const char *tmp)
{
	for (size_t k = 0; k < ninflight; k++)
		if (atomic_load(&inflight[k].state) == 2 && !strcmp(inflight[k].path, tmp)) {
			atomic_store(&inflight[k].state, 0);
			return;
		}
}

void wn_batch_remove_temps(void)
{
	atomic_store(&dying, true);
	for (size_t k = 0; k < ninflight; k++)
		if (atomic_load(&inflight[k].state) == 2)
			unlink(inflight[k].path);
}

/* Creates a new temporary file for dst, its name in *tmp, with the mode
 * outputs always had (0644 less the umask): open(2) with O_EXCL in place
 * of mkstemp spares a fchmod(2) per file.  The parent
 * directories are made when the first try says they are missing (one
 * mkdir(2) per directory, not per file).  Returns the descriptor, or -1
 * with errno set and no file left. */
static int make_temp(const char *dst, char **tmp)
{
	bool made = false;
	for (int tries = 0;; tries++) {
		char *t = temp_name(dst, atomic_fetch_add(&temp_serial, 1));
		if (atomic_load(&dying)) {
			free(t);
			errno = ENOMEM;
			return -1;
		}
		int fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0644);
		if (fd >= 0) {
			inflight_set(t);
			*tmp = t;
			return fd;
		}
		int e = errno;
		free(t);
		if (e == ENOENT && !made) {
			made = true;
			e = make_parent(dst);
			if (!e)
				continue;
		} else if (e == EEXIST && tries < 100) {
			continue; /* left by an earlier run of the same pid */
		}
		errno = e;
		return -1;
	}
}

/* ---- workers --------------------------------------------------------------- */

/* Set by the handler of stop_signals, read by every worker: a lock-free
 * atomic is the one type both signal-safe and race-free across threads. */
static atomic_int got_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "signal flag must be lock-free");

static void on_signal(int sig)
{
	atomic_store(&got_signal, sig);
}

typedef struct worker worker;

/* One pass over the jobs: cleaning, or counting for --learn. */
typedef struct batch {
	const wn_batch_opts *opts;
	joblist *jobs;
	int (*run)(worker *w, const job *j); /* one job; returns its status */
	wn_learn *learn;        /* the counting pass's table */
	bool report;            /* the counting pass reports problems */
	wn_progress *progress;
	pthread_mutex_t lock;   /* guards the fields below */
	size_t next;
	bool stop;              /* an output failed: a full disk fails them all */
	int status;
} batch;

struct worker {
	batch *b;
	winnow_cleaner *cl;
	winnow_cleaner *scl;    /* for JSONL and WARC, made when first needed */
	pthread_t tid;
};

static void stream_cleaner(worker *w)
{
	if (!w->scl) /* the options were checked: this cannot fail */
		w->scl = winnow_cleaner_new(w->b->opts->rules, w->b->opts->stream_opts, NULL);
	if (w->b->opts->stream_counts_only)
		wn_cleaner_counts_only(w->scl);
}

/* A temporary file for dst, made at the first write to it: the output
 * of one document as it is cleaned (wn_clean_sink).  The first error is
 * kept, and nothing is written after it. */
typedef struct temp_sink {
	const char *dst;
	char *tmp;
	int fd;
	int err;
} temp_sink;

static void temp_write(void *ctx, const char *s, size_t n)
{
	temp_sink *t = ctx;
	if (t->err)
		return;
	if (t->fd < 0 && (t->fd = make_temp(t->dst, &t->tmp)) < 0) {
		t->err = errno;
		return;
	}
	t->err = write_all(t->fd, s, n);
}

/* Removes the temporary file tmp, out of the exit's list first. */
static void drop_temp(const char *tmp)
{
	inflight_clear(tmp);
	unlink(tmp);
}

/* Renames the complete temporary file tmp over dst, or removes it after
 * an interrupt.  Returns 0 or errno (tmp gone). */
static int commit_temp(const char *tmp, const char *dst)
{
	inflight_clear(tmp);
	if (atomic_load(&got_signal)) {
		unlink(tmp); /* interrupted: the batch stops at whole files */
		return 0;
	}
	if (!rename(tmp, dst))
		return 0;
	int e = errno;
	unlink(tmp);
	return e;
}

/* The status of an output that failed with errno e: a problem with this
 * one path (a directory or a file where the other should be, a name too
 * long, a subdirectory of OUTDIR that denies writing) fails its file and
 * the batch goes on; anything else (a full disk, a quota, I/O errors, a
 * read-only file system or an unwritable OUTDIR) would fail every file
 * after it, and stops the batch. */
static int output_status(const batch *b, int e)
{
	switch (e) {
	case EISDIR: case ENOTDIR: case ENAMETOOLONG: case ELOOP:
	case EEXIST: case ENOTEMPTY:
		return ST_FAILED;
	case EACCES: case EPERM:
		return faccessat(AT_FDCWD, b->opts->outdir, W_OK | X_OK, AT_EACCESS)
			       ? ST_SYSTEM : ST_FAILED;
	default:
		return ST_SYSTEM;
	}
}

/* Ends t's output: the file (made now if nothing was written: an empty
 * output is a file too) is closed and renamed over its dst, or removed
 * on an error.  Returns ST_OK, or output_status with the message
 * printed. */
static int finish_temp(batch *b, temp_sink *t)
{
	temp_write(t, "", 0);
	int e = t->err;
	if (t->fd >= 0 && close(t->fd) && !e)
		e = errno; /* NFS and quotas report ENOSPC only here */
	if (e && t->tmp)
		drop_temp(t->tmp);
	else if (!e)
		e = commit_temp(t->tmp, t->dst);
	free(t->tmp);
	if (e)
		fail(b->opts->stream->stats, t->dst, strerror(e));
	return e ? output_status(b, e) : ST_OK;
}

wn_input_kind wn_kind_of(const char *path, bool jsonl, bool warc)
{
	if (jsonl)
		return WN_INPUT_JSONL;
	if (warc || wn_warc_sniff_path(path))
		return WN_INPUT_WARC;
	return WN_INPUT_TEXT;
}

/* The site of job j's documents when they have no URL: --site, else
 * the top directory it was found in. */
static const char *job_site(const wn_batch_opts *o, const job *j)
{
	return o->stream->site ? o->stream->site : j->site;
}

/* The stream options for job j: its site for records without a URL. */
static wn_stream_opts job_stream(const wn_batch_opts *o, const job *j)
{
	wn_stream_opts so = *o->stream;
	so.site = job_site(o, j);
	return so;
}

/* Runs the JSONL or WARC filter (kind) of job j from fd (owned) into
 * out; returns 0, or non-zero when some lines or records were bad. */
static int filter_stream(worker *w, const job *j, wn_input_kind kind, int fd,
			 FILE *out)
{
	wn_stream_opts so = job_stream(w->b->opts, j);
	if (kind == WN_INPUT_WARC)
		return wn_warc_filter(w->scl, &so, fd, j->src, out);
	FILE *in = fdopen(fd, "r");
	if (!in) {
		fail(so.stats, j->src, strerror(errno));
		close(fd);
		return ST_FAILED;
	}
	int st = wn_jsonl_filter(w->scl, &so, in, j->src, out);
	fclose(in);
	return st;
}

/* Writes the stream filter's output (kind, from fd, owned) to a
 * temporary file and renames it over dst, as finish_temp does, without
 * holding it in memory.  An input that could not be read to its end
 * leaves no output (a former one stays), and so does, with --on-error
 * fail, a JSONL file with a bad line. */
static int clean_stream(worker *w, const job *j, wn_input_kind kind, int fd,
			const char *dst)
{
	stream_cleaner(w);
	char *tmp = NULL;
	int e = 0, st = ST_OK, ofd = make_temp(dst, &tmp);
	if (ofd < 0)
		e = errno;
	FILE *out = ofd < 0 ? NULL : fdopen(ofd, "w");
	if (ofd >= 0 && !out)
		e = errno;
	if (e) {
		close(fd);
	} else {
		st = filter_stream(w, j, kind, fd, out);
		if (fflush(out) || ferror(out))
			e = errno ? errno : EIO;
	}
	if (out ? fclose(out) : ofd >= 0 ? close(ofd) : 0)
		e = e ? e : errno; /* NFS and quotas report ENOSPC only here */
	bool discard = e ||
		       (kind == WN_INPUT_WARC && st == WN_WARC_UNREAD) ||
		       (st && kind == WN_INPUT_JSONL &&
			(w->b->opts->stream->on_error == WN_ON_ERROR_FAIL ||
			 st == WN_JSONL_REFUSED || st == WN_JSONL_UNREAD));
	if (ofd >= 0 && discard)
		drop_temp(tmp);
	else if (ofd >= 0)
		e = commit_temp(tmp, dst);
	free(tmp);
	if (e)
		fail(w->b->opts->stream->stats, dst, strerror(e));
	return e ? output_status(w->b, e) : st ? ST_FAILED : ST_OK;
}

/* A file up to this size is read whole and then sniffed for WARC from
 * its bytes (no extra system call); a bigger one is sniffed first, so
 * that a WARC file of gigabytes is streamed, never read into memory. */
#define SNIFF_WHOLE_MAX ((uint64_t)1 << 20)

/* Opens job j's source and tells its kind.  A stream (JSONL, WARC) is
 * left open in *fd at its start, *data NULL; text is read whole into
 * *data, *len, and *fd is -1.  Returns 0 or errno. */
static int open_job(const job *j, wn_input_kind *kind, int *fd, char **data,
		    size_t *len)
{
	*kind = j->kind;
	*fd = -1;
	*data = NULL;
	*len = 0;
	int f = open(j->src, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (f < 0)
		return errno;
	bool small = j->size <= SNIFF_WHOLE_MAX;
	if (j->sniff && !small && wn_warc_sniff(f))
		*kind = WN_INPUT_WARC;
	if (*kind != WN_INPUT_TEXT) {
		*fd = f;
		return 0;
	}
	int e = read_fd(f, (size_t)j->size, true, data, len);
	if (!e && j->sniff && small && wn_warc_sniff_buf(*data, *len)) {
		free(*data);
		*data = NULL;
		if (lseek(f, 0, SEEK_SET) == 0) {
			*kind = WN_INPUT_WARC;
			*fd = f;
			return 0;
		}
		e = errno;
	}
	close(f);
	return e;
}

/* Reads, cleans and writes one job; returns its status. */
static int clean_one(worker *w, const job *j)
{
	char *data;
	size_t len;
	wn_input_kind kind;
	int fd;
	wn_stats *stats = w->b->opts->stream->stats;
	int e = open_job(j, &kind, &fd, &data, &len);
	if (e) {
		fail(stats, j->src, strerror(e));
		return ST_FAILED;
	}
	if (fd >= 0 && j->sniff) { /* found to be WARC: written as JSONL */
		char *dst = jsonl_name(j->dst);
		int st = clean_stream(w, j, kind, fd, dst);
		free(dst);
		return st;
	}
	if (fd >= 0)
		return clean_stream(w, j, kind, fd, j->dst);
	const char *why = wn_not_text(data, len);
	if (why) {
		fail(stats, j->src, why);
		free(data);
		return ST_FAILED;
	}
	/* the text is written as each window is cleaned (a huge
	 * document's output is never held whole); a listing, once made */
	temp_sink ts = {.dst = j->dst, .fd = -1};
	wn_sink sink = {temp_write, &ts, &data}; /* data is let go after */
	const char *site = job_site(w->b->opts, j);
	winnow_result *res =
		w->b->opts->explain
			? wn_explain_doc_to(w->cl, data, len, site, stats, &sink)
			: wn_clean_doc_to(w->cl, data, len, site, NULL, stats, &sink);
	wn_report_limits(j->src, res);
	winnow_result_free(res);
	free(data);
	return finish_temp(w->b, &ts);
}

/* The next job, or NULL when the list is done, an output failed, or a
 * signal came. */
static const job *take_job(batch *b)
{
	const job *j = NULL;
	pthread_mutex_lock(&b->lock);
	if (!b->stop && !atomic_load(&got_signal) && b->next < b->jobs->n)
		j = &b->jobs->v[b->next++];
	pthread_mutex_unlock(&b->lock);
	return j;
}

static void finish_job(batch *b, int status)
{
	pthread_mutex_lock(&b->lock);
	if (status > b->status)
		b->status = status;
	if (status == ST_SYSTEM)
		b->stop = true;
	pthread_mutex_unlock(&b->lock);
}

static void *work(void *arg)
{
	worker *w = arg;
	const job *j;
	while ((j = take_job(w->b))) {
		finish_job(w->b, w->b->run(w, j));
		wn_progress_step(w->b->progress, j->size);
	}
	return NULL;
}

/* The cleaning pass's job: clean_one, counted in --stats. */
static int clean_job(worker *w, const job *j)
{
	int st = clean_one(w, j);
	wn_stats_file(w->b->opts->stream->stats, st == ST_OK);
	return st;
}

/* The counting pass's job: every document of j into the table.  The
 * cleaning pass reports problems, unless b->report says this one must. */
static int count_job(worker *w, const job *j)
{
	batch *b = w->b;
	char *data = NULL;
	size_t len;
	wn_input_kind kind;
	int fd;
	int e = open_job(j, &kind, &fd, &data, &len);
	const char *why = e ? strerror(e) : data ? wn_not_text(data, len) : NULL;
	if (why) {
		if (b->report)
			report(j->src, why);
		free(data);
		return ST_FAILED;
	}
	if (data) {
		wn_learn_doc(b->learn, w->cl, data, len, job_site(b->opts, j));
		free(data);
		return ST_OK;
	}
	wn_stream_opts so = job_stream(b->opts, j);
	stream_cleaner(w);
	if (kind == WN_INPUT_WARC)
		return wn_warc_learn(b->learn, w->scl, &so, fd, j->src, b->report);
	FILE *in = fdopen(fd, "r");
	if (!in) {
		if (b->report)
			report(j->src, strerror(errno));
		close(fd);
		return ST_FAILED;
	}
	int st = wn_jsonl_learn(b->learn, w->scl, &so, in, j->src, b->report);
	fclose(in);
	return st;
}

void wn_print_error(const winnow_error *e)
{
	wn_buf b;
	const char *file = wn_shown(e->file, &b);
	if (e->file[0] && e->line)
		fprintf(stderr, "winnow: %s:%zu: %s\n", file, e->line, e->msg);
	else if (e->file[0])
		fprintf(stderr, "winnow: %s: %s\n", file, e->msg);
	else
		fprintf(stderr, "winnow: %s\n", e->msg);
	wn_buf_free(&b);
	/* an option's value (a bad counts file names its file) */
	if (e->code == WINNOW_ERR_USAGE && !e->file[0])
		fputs("Try 'winnow --help' for more information.\n", stderr);
}

/* One cleaner per worker (a cleaner is not shared between threads), all
 * from the shared rules.  NULL on error. */
static worker *make_workers(batch *b, size_t n)
{
	worker *w = wn_xcalloc(n, sizeof *w);
	for (size_t i = 0; i < n; i++) {
		winnow_error err;
		w[i].b = b;
		w[i].cl = winnow_cleaner_new(b->opts->rules, b->opts->opts, &err);
		if (!w[i].cl) {
			wn_print_error(&err);
			while (i)
				winnow_cleaner_free(w[--i].cl);
			free(w);
			return NULL;
		}
		if (b->opts->counts_only)
			wn_cleaner_counts_only(w[i].cl);
	}
	return w;
}

/* Runs n workers; the calling thread stands in when none can start. */
static void run_workers(worker *w, size_t n)
{
	size_t started = 0;
	while (started < n && !pthread_create(&w[started].tid, NULL, work, &w[started]))
		started++;
	if (!started)
		work(&w[0]);
	for (size_t i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
}

/* ---- the batch --------------------------------------------------------------- */

/* Catches sig unless it is ignored: a batch started with "&" from a
 * script ignores SIGINT, and must keep doing so. */
static void catch_signal(int sig, struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* the flag is polled: no call need fail */
	sigemptyset(&sa.sa_mask);
	sigaction(sig, NULL, old);
	if (old->sa_handler != SIG_IGN)
		sigaction(sig, &sa, NULL);
}

/* The signals that stop the batch at whole files: those whose default
 * action ends the process (SIGPIPE is a closed stderr or progress
 * reader: left to kill, it would leave the temporary files of the files
 * in progress behind). */
static const int stop_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGVTALRM, SIGPROF, SIGXCPU,
};
#define NSTOP (sizeof stop_signals / sizeof *stop_signals)

static void set_handlers(struct sigaction old[NSTOP])
{
	atomic_store(&got_signal, 0);
	for (size_t i = 0; i < NSTOP; i++)
		catch_signal(stop_signals[i], &old[i]);
}

static void restore_handlers(const struct sigaction old[NSTOP])
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

/* After an interrupt: die of the same signal, so the caller's shell sees
 * it (and stops a loop of winnow runs). */
static void reraise(int sig)
{
	fprintf(stderr, "winnow: interrupted\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Runs pass b (its run, learn and report set) over jobs with worker
 * threads and a progress line called what. */
static int run_pass(batch *b, const wn_batch_opts *o, joblist *jobs,
		    const char *what)
{
	b->opts = o;
	b->jobs = jobs;
	temp_pid = (long)getpid();
	pthread_mutex_init(&b->lock, NULL);
	size_t n = o->jobs < 1 ? 1 : (size_t)o->jobs;
	if (n > jobs->n)
		n = jobs->n ? jobs->n : 1;
	worker *w = make_workers(b, n);
	if (!w) {
		pthread_mutex_destroy(&b->lock);
		return ST_SYSTEM;
	}
	uint64_t bytes = 0;
	for (size_t i = 0; i < jobs->n; i++)
		bytes += jobs->v[i].size;
	b->progress = wn_progress_start(what, jobs->n, bytes, o->quiet);
	struct sigaction old[NSTOP];
	set_handlers(old);
	inflight = wn_xcalloc(n, sizeof *inflight);
	ninflight = n;
	run_workers(w, n);
	ninflight = 0;
	free(inflight);
	inflight = NULL;
	restore_handlers(old);
	wn_progress_end(b->progress);
	for (size_t i = 0; i < n; i++) {
		winnow_cleaner_free(w[i].cl);
		winnow_cleaner_free(w[i].scl);
	}
	free(w);
	pthread_mutex_destroy(&b->lock);
	return b->status;
}

static int clean_jobs(const wn_batch_opts *o, joblist *jobs)
{
	batch b = {.run = clean_job};
	return run_pass(&b, o, jobs, "cleaning");
}

static int cmp_identity(const void *a, const void *b)
{
	const job *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->input < y->input ? -1 : x->input > y->input; /* list order */
}

static int cmp_order(const void *a, const void *b)
{
	const job *x = a, *y = b;
	return x->input < y->input ? -1 : x->input > y->input;
}

/* The jobs to count: each file once, though named twice or reached
 * through two inputs (the first in list order stays), so that a document
 * is never counted twice.  The copies share the strings of l. */
static joblist unique_files(const joblist *l)
{
	joblist u = {wn_xmalloc((l->n + 1) * sizeof(job)), 0, l->n};
	for (size_t i = 0; i < l->n; i++) {
		u.v[i] = l->v[i];
		u.v[i].input = i; /* input now holds the position in l */
	}
	if (l->n)
		qsort(u.v, l->n, sizeof(job), cmp_identity);
	for (size_t i = 0; i < l->n; i++)
		if (!u.n || u.v[u.n - 1].dev != u.v[i].dev || u.v[u.n - 1].ino != u.v[i].ino)
			u.v[u.n++] = u.v[i];
	if (u.n)
		qsort(u.v, u.n, sizeof(job), cmp_order);
	return u;
}

/* The counting pass over the documents of jobs, into l. */
static int count_jobs(const wn_batch_opts *o, const joblist *jobs,
		      wn_learn *l, bool report)
{
	joblist u = unique_files(jobs);
	batch b = {.run = count_job, .learn = l, .report = report};
	int st = run_pass(&b, o, &u, "learning");
	free(u.v);
	return st;
}

int wn_learn_apply(winnow_rules *r, wn_learn *l, bool quiet, wn_stats *stats)
{
	wn_buf text;
	wn_buf_init(&text);
	size_t n = wn_learn_write_rules(l, &text);
	winnow_error err;
	int rc = winnow_rules_add_buffer(r, "(learned)", wn_buf_cstr(&text), text.len, &err);
	wn_buf_free(&text);
	if (rc) { /* the writer writes rules that load: a bug */
		wn_print_error(&err);
		return ST_SYSTEM;
	}
	wn_learn_summary(l, n, quiet);
	wn_learn_info info;
	wn_learn_get_info(l, &info);
	wn_stats_learned(stats, n, info.sites, info.documents, info.sample);
	return ST_OK;
}

void wn_learn_summary(wn_learn *l, size_t rules, bool quiet)
{
	wn_learn_info info;
	wn_learn_get_info(l, &info);
	if (!quiet)
		fprintf(stderr, "winnow: learned %zu rule%s for %zu site%s from %" PRIu64
			" document%s\n", rules, rules == 1 ? "" : "s", info.sites,
			info.sites == 1 ? "" : "s", info.documents,
			info.documents == 1 ? "" : "s");
	/* a sample is worth a warning even under --quiet: rules are missing */
	if (info.sample)
		fprintf(stderr, "winnow: warning: only 1 site in %" PRIu64 " was counted: "
			"the counts did not fit --learn-memory\n", UINT64_C(1) << info.sample);
}

int wn_batch_learn(const wn_batch_opts *b, char *const *inputs, size_t ninputs,
		   wn_learn *l, bool report)
{
	collect c = {.opts = b, .outdir = "", .quiet = b->quiet || !report,
		     .silent = !report};
	for (size_t i = 0; i < ninputs; i++) {
		c.input = i;
		collect_input(&c, inputs[i]);
	}
	int status = count_jobs(b, &c.jobs, l, report);
	if (!report)
		status = status == ST_SYSTEM ? ST_SYSTEM : ST_OK;
	if (c.status > status)
		status = c.status;
	free_jobs(&c.jobs);
	int sig = atomic_load(&got_signal);
	if (sig)
		reraise(sig);
	return status;
}

/* --learn in a batch: count the jobs, then add what was learned to the
 * rules the cleaning pass uses.  Problems are left to that pass. */
static int learn_jobs(const wn_batch_opts *b, const joblist *jobs)
{
	wn_learn *l = wn_learn_new(b->learn_memory);
	int status = count_jobs(b, jobs, l, false) == ST_SYSTEM ? ST_SYSTEM : ST_OK;
	if (!status && !atomic_load(&got_signal))
		status = wn_learn_apply(b->learn_into, l, b->quiet, b->stream->stats);
	wn_learn_free(l);
	return status;
}

static int collect_all(collect *c, char *const *inputs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(inputs[i], "-")) {
			fprintf(stderr, "winnow: standard input ('-') cannot be cleaned into -o OUTDIR\n");
			return ST_SYSTEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		c->input = i;
		collect_input(c, inputs[i]);
	}
	settle_names(&c->jobs);
	if (c->jobs.n)
		qsort(c->jobs.v, c->jobs.n, sizeof *c->jobs.v, cmp_job);
	/* every input, also one left out below as another's duplicate: its
	 * file is an input all the same, which no output may replace (the
	 * kept one's output did: "-o a x/n1.txt a/n1.txt" emptied a/n1.txt;
	 * a reviewer's find) */
	size_t nids = c->jobs.n;
	file_id *ids = wn_xmalloc((nids ? nids : 1) * sizeof *ids);
	for (size_t i = 0; i < nids; i++)
		ids[i] = (file_id){c->jobs.v[i].dev, c->jobs.v[i].ino};
	qsort(ids, nids, sizeof *ids, cmp_id);
	int dup = drop_duplicates(&c->jobs, c->opts->stream->stats);
	if (dup > c->status)
		c->status = dup;
	int rc = check_overwrite(&c->jobs, c->outdir, ids, nids);
	free(ids);
	return rc;
}

/* OUTDIR without trailing slashes, so that joined paths read "out/x". */
static char *trim_slashes(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return wn_xstrndup(dir, n);
}

static int make_outdir(char *outdir)
{
	int e = make_dirs(outdir);
	if (e)
		report(outdir, strerror(e));
	return e ? ST_SYSTEM : ST_OK;
}

/* A bad option (--lang xx) fails here, once, before anything is read. */
static int check_options(const wn_batch_opts *b)
{
	winnow_error err;
	winnow_cleaner *cl = winnow_cleaner_new(b->rules, b->opts, &err);
	if (!cl) {
		wn_print_error(&err);
		return ST_SYSTEM;
	}
	winnow_cleaner_free(cl);
	return ST_OK;
}

int wn_batch_run(const wn_batch_opts *b, char *const *inputs, size_t ninputs)
{
	int status = check_options(b);
	if (!status)
		status = check_outdir(b->outdir, inputs, ninputs);
	if (status)
		return status;
	char *outdir = trim_slashes(b->outdir);
	collect c = {.opts = b, .outdir = outdir, .quiet = b->quiet};
	status = collect_all(&c, inputs, ninputs);
	if (!status && b->learn_into)
		status = learn_jobs(b, &c.jobs);
	if (!status && !atomic_load(&got_signal))
		status = make_outdir(outdir);
	if (!status && !atomic_load(&got_signal)) {
		status = clean_jobs(b, &c.jobs);
		if (c.status > status)
			status = c.status;
	}
	free_jobs(&c.jobs);
	free(outdir);
	int sig = atomic_load(&got_signal);
	if (sig)
		reraise(sig);
	return status;
}
