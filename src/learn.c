/* learn.c - cross-document chrome learning: per-site counts of line keys,
 * their text form and merge, and the rules they give (learn.h says why
 * the three share one table, and how its memory is bounded). */
#include "learn.h"
#include "internal.h"
#include "normalize.h"
#include "site.h"
#include "thresholds.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T wn_thresholds
/* Counted bytes per pair and per site besides their text: fixed numbers,
 * not sizeof, so that every machine of a distributed run samples alike. */
#define ENTRY_COST 64
#define SITE_COST 64
#define MAX_SAMPLE 63
#define NO_SITE "-"

typedef struct site_rec {
	size_t name_off, name_len; /* in names */
	uint64_t hash;
	uint64_t docs;
} site_rec;

typedef struct entry {
	uint64_t hash;             /* of the site and the key */
	size_t key_off, key_len;   /* in keys */
	size_t site;
	uint64_t docs;
} entry;

typedef struct index_map {
	size_t *slots;             /* index + 1, 0 empty */
	size_t n;                  /* a power of two, or 0 */
} index_map;

struct wn_learn {
	pthread_mutex_t lock;
	size_t cap, cost;
	unsigned sample;
	uint64_t documents;
	site_rec *sites;
	size_t nsites, sites_cap;
	entry *entries;
	size_t nentries, entries_cap;
	wn_buf names, keys;        /* NUL-separated */
	index_map site_map, entry_map;
	unsigned generation;       /* bumped by every rebuild */
};

/* ---- hashing ---------------------------------------------------------- */

static uint64_t mix64(uint64_t x) /* splitmix64's finalizer */
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t site_hash(const char *s, size_t n)
{
	return mix64(wn_hash(s, n));
}

static uint64_t entry_hash(uint64_t site, const char *k, size_t n)
{
	return mix64(wn_hash(k, n) ^ (site * 0x9e3779b97f4a7c15ULL));
}

static bool covered(const wn_learn *l, uint64_t h)
{
	return !l->sample || !(h & ((UINT64_C(1) << l->sample) - 1));
}

/* ---- the table --------------------------------------------------------- */

wn_learn *wn_learn_new(size_t cap)
{
	wn_learn *l = wn_xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->lock, NULL);
	l->cap = cap;
	wn_buf_init(&l->names);
	wn_buf_init(&l->keys);
	return l;
}

static void free_tables(wn_learn *l)
{
	free(l->sites);
	free(l->entries);
	free(l->site_map.slots);
	free(l->entry_map.slots);
	wn_buf_free(&l->names);
	wn_buf_free(&l->keys);
}

void wn_learn_free(wn_learn *l)
{
	if (!l)
		return;
	free_tables(l);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static const char *site_name(const wn_learn *l, size_t i)
{
	return l->names.data + l->sites[i].name_off;
}

static const char *entry_key(const wn_learn *l, const entry *e)
{
	return l->keys.data + e->key_off;
}

static size_t *site_slot(const wn_learn *l, const char *s, size_t n, uint64_t h)
{
	size_t mask = l->site_map.n - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		size_t k = l->site_map.slots[i];
		if (!k || (l->sites[k - 1].hash == h && l->sites[k - 1].name_len == n &&
			   !memcmp(site_name(l, k - 1), s, n)))
			return &l->site_map.slots[i];
	}
}

static size_t *entry_slot(const wn_learn *l, size_t site, const char *k,
			  size_t n, uint64_t h)
{
	size_t mask = l->entry_map.n - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		size_t x = l->entry_map.slots[i];
		const entry *e = x ? &l->entries[x - 1] : NULL;
		if (!e || (e->hash == h && e->site == site && e->key_len == n &&
			   !memcmp(entry_key(l, e), k, n)))
			return &l->entry_map.slots[i];
	}
}

/* Rebuilds both maps for at least need entries each way. */
static void rehash(wn_learn *l)
{
	size_t n = 64;
	while (n < l->nsites * 2 + 2)
		n *= 2;
	free(l->site_map.slots);
	l->site_map = (index_map){wn_xcalloc(n, sizeof(size_t)), n};
	for (size_t i = 0; i < l->nsites; i++)
		*site_slot(l, site_name(l, i), l->sites[i].name_len, l->sites[i].hash) = i + 1;
	n = 64;
	while (n < l->nentries * 2 + 2)
		n *= 2;
	free(l->entry_map.slots);
	l->entry_map = (index_map){wn_xcalloc(n, sizeof(size_t)), n};
	for (size_t i = 0; i < l->nentries; i++) {
		const entry *e = &l->entries[i];
		*entry_slot(l, e->site, entry_key(l, e), e->key_len, e->hash) = i + 1;
	}
}

/* The index of the site named s, added when new; SIZE_MAX when the sample
 * leaves it out. */
static size_t add_site(wn_learn *l, const char *s, size_t n)
{
	uint64_t h = site_hash(s, n);
	if (!covered(l, h))
		return SIZE_MAX;
	if (!l->site_map.n || (l->nsites + 1) * 2 > l->site_map.n)
		rehash(l);
	size_t *slot = site_slot(l, s, n, h);
	if (*slot)
		return *slot - 1;
	if (l->nsites == l->sites_cap) {
		l->sites_cap = l->sites_cap ? l->sites_cap * 2 : 64;
		l->sites = wn_xrealloc(l->sites, l->sites_cap * sizeof *l->sites);
	}
	l->sites[l->nsites] = (site_rec){l->names.len, n, h, 0};
	wn_buf_add(&l->names, s, n);
	wn_buf_addc(&l->names, '\0');
	*slot = ++l->nsites;
	l->cost += SITE_COST + n;
	return l->nsites - 1;
}

static void add_entry(wn_learn *l, size_t site, const char *k, size_t n,
		      uint64_t docs)
{
	uint64_t h = entry_hash(l->sites[site].hash, k, n);
	if (!l->entry_map.n || (l->nentries + 1) * 2 > l->entry_map.n)
		rehash(l);
	size_t *slot = entry_slot(l, site, k, n, h);
	if (*slot) {
		l->entries[*slot - 1].docs += docs;
		return;
	}
	if (l->nentries == l->entries_cap) {
		l->entries_cap = l->entries_cap ? l->entries_cap * 2 : 1024;
		l->entries = wn_xrealloc(l->entries, l->entries_cap * sizeof *l->entries);
	}
	l->entries[l->nentries] = (entry){h, l->keys.len, n, site, docs};
	wn_buf_add(&l->keys, k, n);
	wn_buf_addc(&l->keys, '\0');
	*slot = ++l->nentries;
	l->cost += ENTRY_COST + n;
}

/* Keeps only the sites the sample covers now, and their entries, in new
 * compact arrays. */
static void rebuild(wn_learn *l)
{
	wn_learn old = *l;
	size_t *remap = wn_xmalloc((old.nsites + 1) * sizeof(size_t));
	l->sites = NULL;
	l->entries = NULL;
	l->nsites = l->sites_cap = l->nentries = l->entries_cap = 0;
	l->site_map = l->entry_map = (index_map){NULL, 0};
	wn_buf_init(&l->names);
	wn_buf_init(&l->keys);
	l->cost = 0;
	for (size_t i = 0; i < old.nsites; i++) {
		remap[i] = add_site(l, site_name(&old, i), old.sites[i].name_len);
		if (remap[i] != SIZE_MAX)
			l->sites[remap[i]].docs = old.sites[i].docs;
	}
	for (size_t i = 0; i < old.nentries; i++) {
		const entry *e = &old.entries[i];
		if (remap[e->site] != SIZE_MAX)
			add_entry(l, remap[e->site], entry_key(&old, e), e->key_len, e->docs);
	}
	free(remap);
	free_tables(&old);
	l->generation++;
}

/* Halves the sampled sites until the counted size fits the cap. */
static void fit(wn_learn *l)
{
	while (l->cost > l->cap && l->sample < MAX_SAMPLE) {
		l->sample++;
		rebuild(l);
	}
}

static void raise_sample(wn_learn *l, unsigned k)
{
	if (k <= l->sample)
		return;
	l->sample = k;
	rebuild(l);
}

/* ---- documents --------------------------------------------------------- */

typedef struct doc_key {
	const char *k;
	size_t n;
	uint64_t h;
} doc_key;

static int cmp_doc_key(const void *a, const void *b)
{
	const doc_key *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->k, y->k, x->n);
}

/* The distinct keys of d that learning counts, into *out (malloc'd). */
static size_t distinct_keys(const wn_doc *d, doc_key **out)
{
	doc_key *v = wn_xmalloc((d->nblocks + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		const wn_block *b = &d->blocks[i];
		const char *k = wn_block_key(d, b);
		/* an empty key makes no rule; a NUL no rules file */
		if (!b->key_len || b->key_len > T.learn_max_key ||
		    memchr(k, '\0', b->key_len))
			continue;
		v[n++] = (doc_key){k, b->key_len, wn_hash(k, b->key_len)};
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_doc_key);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || cmp_doc_key(&v[u - 1], &v[i]))
			v[u++] = v[i];
	*out = v;
	return u;
}

void wn_learn_doc(wn_learn *l, const winnow_cleaner *c, const char *text,
		  size_t len, const char *site)
{
	wn_learn_doc_cs(l, c, text, len, site, NULL);
}

/* One document as its windows come (wn_read_windows): the keys already
 * counted for it, by hash, so that a key is counted once per document
 * (two distinct keys of one document with the same 64-bit hash would be
 * counted as one: by the birthday bound, odds under 1 in 10^7 for a
 * million distinct lines). */
typedef struct doc_count {
	wn_learn *l;
	const wn_buf *name; /* the site's */
	size_t site;      /* its index; SIZE_MAX: out of the sample */
	unsigned generation; /* the learner's when site was looked up */
	bool one_window;  /* the document is read in one window (count_window) */
	wn_u64map seen;   /* values unused; not needed in one window */
} doc_count;

static bool first_time(doc_count *dc, uint64_t h)
{
	if (dc->one_window) /* distinct_keys: each key once already */
		return true;
	bool added;
	wn_u64map_at(&dc->seen, h, &added);
	return added;
}

static void count_window(void *ctx, wn_doc *d)
{
	doc_count *dc = ctx;
	if (dc->site == SIZE_MAX)
		return; /* out of the sample, which only narrows */
	/* its first window and its last: a document in one window, whose
	 * keys need no table of those counted before (a window's size in
	 * bytes does not tell: windows end by nodes and lines too) */
	dc->one_window = !d->later && !d->tail_out;
	doc_key *keys;
	size_t nkeys = distinct_keys(d, &keys);
	wn_learn *l = dc->l;
	pthread_mutex_lock(&l->lock);
	/* another thread's fit may have renumbered the sites, or left this
	 * one out of the sample, since dc->site was looked up: look it up
	 * again (add_site adds none the sample leaves out) */
	if (dc->generation != l->generation) {
		dc->site = add_site(l, dc->name->data, dc->name->len);
		dc->generation = l->generation;
	}
	if (dc->site != SIZE_MAX) {
		for (size_t i = 0; i < nkeys; i++)
			if (first_time(dc, keys[i].h))
				add_entry(l, dc->site, keys[i].k, keys[i].n, 1);
		fit(l);
	}
	pthread_mutex_unlock(&l->lock);
	free(keys);
}

void wn_learn_doc_cs(wn_learn *l, const winnow_cleaner *c, const char *text,
		     size_t len, const char *site, const char *charset)
{
	wn_buf name;
	wn_buf_init(&name);
	if (!site || !wn_site_norm(site, strlen(site), &name))
		wn_buf_adds(&name, NO_SITE);
	doc_count dc = {.l = l, .name = &name};
	pthread_mutex_lock(&l->lock);
	l->documents++;
	dc.site = add_site(l, name.data, name.len);
	dc.generation = l->generation;
	if (dc.site != SIZE_MAX)
		l->sites[dc.site].docs++;
	pthread_mutex_unlock(&l->lock);
	if (dc.site != SIZE_MAX) /* else none of its keys would count */
		wn_read_windows(c, text, len, charset, count_window, &dc);
	wn_u64map_free(&dc.seen);
	wn_buf_free(&name);
}

/* ---- the counts file --------------------------------------------------- */

/* A decimal number at *p, then one space or the end; advances *p. */
static bool read_u64(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	if (s == end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	if (s < end && *s != ' ')
		return false;
	*p = s < end ? s + 1 : s;
	*v = x;
	return true;
}

/* A key as wn_key makes them: no white space but single inner spaces. */
static bool key_ok(const char *k, size_t n)
{
	if (!n || n > T.learn_max_key || k[0] == ' ' || k[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (k[i] == '\t' || k[i] == '\r' || k[i] == '\v' || k[i] == '\f' ||
		    k[i] == '\0' || (k[i] == ' ' && k[i + 1] == ' '))
			return false;
	return true;
}

typedef struct counts_reader {
	wn_learn *l;
	const char *name;
	size_t lineno;
	bool header;
	const char *site;     /* the current site's name in the text */
	size_t site_len;
	size_t site_id;       /* SIZE_MAX: none yet, or not sampled */
	uint64_t site_docs;   /* the documents its site line counts */
	unsigned generation;
	wn_buf norm;
	int version;          /* of the header: 2 ends with an "end" line */
	bool ended;           /* the "end" line was read */
	uint64_t nsites, nentries; /* site and count lines read */
} counts_reader;

static int bad(counts_reader *c, winnow_error *err, const char *what)
{
	return wn_fail(err, WINNOW_ERR_USAGE, c->name, c->lineno,
		       "%s (not a winnow counts file?)", what);
}

static int site_line(counts_reader *c, const char *p, const char *end,
		     winnow_error *err)
{
	uint64_t docs;
	if (!read_u64(&p, end, &docs) || p == end)
		return bad(c, err, "expected 'site DOCS NAME'");
	size_t n = (size_t)(end - p);
	bool none = n == 1 && *p == '-';
	if (!none && (!wn_site_norm(p, n, &c->norm) || c->norm.len != n ||
		      memcmp(c->norm.data, p, n)))
		return bad(c, err, "site name not in normal form");
	c->site = p;
	c->site_len = n;
	c->site_docs = docs;
	c->site_id = add_site(c->l, p, n);
	if (c->site_id != SIZE_MAX)
		c->l->sites[c->site_id].docs += docs;
	return 0;
}

static int entry_line(counts_reader *c, const char *p, const char *end,
		      winnow_error *err)
{
	uint64_t docs;
	if (!read_u64(&p, end, &docs) || !key_ok(p, (size_t)(end - p)))
		return bad(c, err, "expected 'DOCS KEY' with a line key");
	if (!c->site)
		return bad(c, err, "a count before the first site line");
	if (docs > c->site_docs) /* a line is on at most every page of its site */
		return wn_fail(err, WINNOW_ERR_USAGE, c->name, c->lineno,
			       "a line counted in more documents (%" PRIu64 ") than its "
			       "site line has (%" PRIu64 "): a damaged or edited counts file",
			       docs, c->site_docs);
	if (c->site_id != SIZE_MAX)
		add_entry(c->l, c->site_id, p, (size_t)(end - p), docs);
	return 0;
}

static bool starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && !memcmp(p, word, n);
}

static int counts_line(counts_reader *c, const char *p, const char *end,
		       winnow_error *err)
{
	uint64_t v;
	if (!wn_utf8_valid(p, (size_t)(end - p)))
		return bad(c, err, "invalid UTF-8");
	if (!c->header) {
		/* version 2 ends with "end SITES COUNTS": a file cut short (a
		 * copy cut off, a full disk) is found; 1 had no end line */
		c->header = end - p == 15 && starts(p, end, "winnow-counts ") &&
			    (p[14] == '1' || p[14] == '2');
		c->version = c->header ? p[14] - '0' : 0;
		return c->header ? 0 : bad(c, err, "expected 'winnow-counts 2' first");
	}
	if (c->ended)
		return bad(c, err, "a line after the 'end' line");
	if (c->version >= 2 && starts(p, end, "end ")) {
		uint64_t ns, ne;
		p += 4;
		if (!read_u64(&p, end, &ns) || !read_u64(&p, end, &ne) || p != end)
			return bad(c, err, "expected 'end SITES COUNTS'");
		if (ns != c->nsites || ne != c->nentries)
			return wn_fail(err, WINNOW_ERR_USAGE, c->name, c->lineno,
				       "the file holds %" PRIu64 " site and %" PRIu64 " count "
				       "lines, its end line says %" PRIu64 " and %" PRIu64
				       ": a damaged or edited counts file",
				       c->nsites, c->nentries, ns, ne);
		c->ended = true;
		return 0;
	}
	if (starts(p, end, "site ")) {
		c->nsites++;
		if (site_line(c, p + 5, end, err))
			return -1;
	} else if (starts(p, end, "documents ")) {
		p += 10;
		if (!read_u64(&p, end, &v) || p != end)
			return bad(c, err, "expected 'documents N'");
		c->l->documents += v;
	} else if (starts(p, end, "sample ")) {
		p += 7;
		if (!read_u64(&p, end, &v) || p != end || v > MAX_SAMPLE)
			return bad(c, err, "expected 'sample K', K at most 63");
		raise_sample(c->l, (unsigned)v);
	} else if (c->nentries++, entry_line(c, p, end, err)) {
		return -1;
	}
	fit(c->l);
	if (c->generation != c->l->generation && c->site) {
		/* a rebuild moved the sites: find the current one again */
		c->generation = c->l->generation;
		uint64_t h = site_hash(c->site, c->site_len);
		size_t *slot = covered(c->l, h) && c->l->site_map.n
			? site_slot(c->l, c->site, c->site_len, h) : NULL;
		c->site_id = slot && *slot ? *slot - 1 : SIZE_MAX;
	}
	return 0;
}

int wn_learn_add_counts(wn_learn *l, const char *name, const char *text,
			size_t len, winnow_error *err)
{
	counts_reader c = {.l = l, .name = name, .site_id = SIZE_MAX};
	wn_buf_init(&c.norm);
	pthread_mutex_lock(&l->lock);
	c.generation = l->generation;
	int rc = 0;
	for (const char *p = text, *end = text + len; p < end && !rc;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		c.lineno++;
		if (le > p && *p != '#')
			rc = counts_line(&c, p, le, err);
		p = nl ? nl + 1 : end;
	}
	if (!rc && !c.header)
		rc = wn_fail(err, WINNOW_ERR_USAGE, name, 0,
			     "empty (not a winnow counts file?)");
	else if (!rc && c.version >= 2 && !c.ended)
		rc = wn_fail(err, WINNOW_ERR_USAGE, name, c.lineno,
			     "no 'end' line: the file was cut short");
	pthread_mutex_unlock(&l->lock);
	wn_buf_free(&c.norm);
	return rc;
}

/* ---- canonical order --------------------------------------------------- */

typedef struct sorted {
	const char *site, *key;
	size_t site_len, key_len;
	size_t site_id;
	const entry *e;
} sorted;

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : an < bn ? -1 : an > bn;
}

static int cmp_sorted(const void *a, const void *b)
{
	const sorted *x = a, *y = b;
	int c = cmp_bytes(x->site, x->site_len, y->site, y->site_len);
	if (c || !x->e || !y->e) /* a site (e NULL) comes before its lines */
		return c ? c : !!x->e - !!y->e;
	return cmp_bytes(x->key, x->key_len, y->key, y->key_len);
}

/* Every site and every entry, sites by name, each site's entries after it
 * by key.  Caller frees. */
static sorted *canonical(const wn_learn *l, size_t *count)
{
	size_t n = l->nsites + l->nentries;
	sorted *v = wn_xmalloc((n + 1) * sizeof *v);
	for (size_t i = 0; i < l->nsites; i++)
		v[i] = (sorted){site_name(l, i), NULL, l->sites[i].name_len, 0, i, NULL};
	for (size_t i = 0; i < l->nentries; i++) {
		const entry *e = &l->entries[i];
		v[l->nsites + i] = (sorted){site_name(l, e->site), entry_key(l, e),
					    l->sites[e->site].name_len, e->key_len,
					    e->site, e};
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_sorted);
	*count = n;
	return v;
}

void wn_learn_write_counts(wn_learn *l, wn_buf *out)
{
	pthread_mutex_lock(&l->lock);
	size_t n;
	sorted *v = canonical(l, &n);
	wn_buf_printf(out, "winnow-counts 2\ndocuments %" PRIu64 "\nsample %u\n",
		      l->documents, l->sample);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].e)
			wn_buf_printf(out, "site %" PRIu64 " %s\n",
				      l->sites[v[i].site_id].docs, v[i].site);
		else
			wn_buf_printf(out, "%" PRIu64 " %s\n", v[i].e->docs, v[i].key);
	}
	wn_buf_printf(out, "end %zu %zu\n", l->nsites, l->nentries);
	free(v);
	pthread_mutex_unlock(&l->lock);
}

/* ---- rules ------------------------------------------------------------- */

static void count_word(const char *w, size_t n, bool letters, void *ctx)
{
	(void)letters;
	(void)w;
	(void)n;
	(*(size_t *)ctx)++;
}

/* Is the pair chrome of a site of site_docs documents? */
static bool learned(const entry *e, uint64_t site_docs, const char *key,
		    wn_buf *tmp)
{
	if (e->docs < T.learn_min_docs)
		return false;
	size_t words = 0;
	wn_words(key, e->key_len, count_word, &words);
	unsigned pm = words >= T.learn_long_words ? T.learn_long_share_pm
						   : T.learn_min_share_pm;
	if (e->docs * 1000 < (uint64_t)pm * site_docs)
		return false;
	/* an exact rule matches the key of its pattern: only a key that is
	 * its own key matches itself (a counts file could hold others) */
	wn_key(key, e->key_len, tmp);
	return tmp->len == e->key_len && !memcmp(tmp->data, key, e->key_len);
}

static int cmp_rule(const void *a, const void *b)
{
	const sorted *x = a, *y = b;
	if (x->e->docs != y->e->docs)
		return x->e->docs > y->e->docs ? -1 : 1;
	return cmp_bytes(x->key, x->key_len, y->key, y->key_len);
}

static void write_header(const wn_learn *l, wn_buf *out)
{
	wn_buf_printf(out,
		"# winnow learn: lines that recur across the documents of one site\n"
		"# %" PRIu64 " document%s; %zu site%s counted%s\n"
		"# a line is learned when %zu+ documents of its site hold it and\n"
		"# %u%%+ of them (%u%%+ for lines of %zu+ words)\n"
		"# above each rule: the site's documents that hold the line, of all\n",
		l->documents, l->documents == 1 ? "" : "s", l->nsites,
		l->nsites == 1 ? "" : "s",
		l->sample ? "" : " (every site)", T.learn_min_docs,
		T.learn_min_share_pm / 10, T.learn_long_share_pm / 10,
		T.learn_long_words);
	if (l->sample)
		wn_buf_printf(out, "# only 1 site in %" PRIu64 " is counted: the others' "
			      "counts did not fit --learn-memory\n",
			      UINT64_C(1) << l->sample);
}

/* Writes the rules of the site whose entries are v[0..n). */
static size_t write_site(const wn_learn *l, sorted *v, size_t n, wn_buf *out,
			 wn_buf *tmp)
{
	uint64_t docs = l->sites[v[0].site_id].docs;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (learned(v[i].e, docs, v[i].key, tmp))
			v[k++] = v[i];
	if (!k)
		return 0;
	qsort(v, k, sizeof *v, cmp_rule);
	wn_buf_printf(out, "\nsite %s\n", v[0].site);
	for (size_t i = 0; i < k; i++)
		wn_buf_printf(out, "# %" PRIu64 " of %" PRIu64 "\nomit exact %s\n",
			      v[i].e->docs, docs, v[i].key);
	return k;
}

size_t wn_learn_write_rules(wn_learn *l, wn_buf *out)
{
	pthread_mutex_lock(&l->lock);
	size_t n, rules = 0;
	sorted *v = canonical(l, &n);
	wn_buf tmp;
	wn_buf_init(&tmp);
	write_header(l, out);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1; /* v[i] is a site, v[i+1..j) its entries */
		while (j < n && v[j].e)
			j++;
		if (j > i + 1)
			rules += write_site(l, v + i + 1, j - i - 1, out, &tmp);
		i = j;
	}
	wn_buf_free(&tmp);
	free(v);
	pthread_mutex_unlock(&l->lock);
	return rules;
}

void wn_learn_get_info(wn_learn *l, wn_learn_info *info)
{
	pthread_mutex_lock(&l->lock);
	info->documents = l->documents;
	info->sites = l->nsites;
	info->sample = l->sample;
	pthread_mutex_unlock(&l->lock);
}
