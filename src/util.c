/* util.c - allocation with one OOM policy, growable buffers, hashing. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*oom_hook)(void);

void wn_set_oom_hook(void (*fn)(void))
{
	oom_hook = fn;
}

/* The one policy: say so, then the hook (the command line removes its
 * half-written files and exits 2, a system error), else abort(). */
void wn_oom(size_t n)
{
	fprintf(stderr, "winnow: out of memory (%zu bytes)\n", n);
	if (oom_hook)
		oom_hook();
	abort();
}

void *wn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		wn_oom(n);
	return p;
}

void *wn_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		wn_oom(count * size);
	return p;
}

void *wn_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		wn_oom(n);
	return q;
}

char *wn_xstrndup(const char *s, size_t n)
{
	char *p = wn_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void wn_buf_init(wn_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void wn_buf_free(wn_buf *b)
{
	free(b->data);
	wn_buf_init(b);
}

void wn_buf_clear(wn_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void wn_buf_reserve(wn_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2;
	b->data = wn_xrealloc(b->data, cap);
	b->cap = cap;
}

void wn_buf_add(wn_buf *b, const char *s, size_t n)
{
	wn_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void wn_buf_addc(wn_buf *b, char c)
{
	wn_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void wn_buf_adds(wn_buf *b, const char *s)
{
	wn_buf_add(b, s, strlen(s));
}

void wn_buf_printf(wn_buf *b, const char *fmt, ...)
{
	va_list ap;
	wn_buf_reserve(b, 64); /* most calls fit: one vsnprintf */
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		wn_buf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

const char *wn_buf_cstr(wn_buf *b)
{
	wn_buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

char *wn_buf_steal(wn_buf *b, size_t *len)
{
	wn_buf_cstr(b);
	char *p = b->data;
	if (len)
		*len = b->len;
	wn_buf_init(b);
	return p;
}

uint64_t wn_hash_fast(const char *s, size_t n)
{
	return wn_hash_fast_in(s, n, s + n, 0);
}

uint64_t wn_hash_more(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= WN_HASH_PRIME;
	}
	return h;
}

uint64_t wn_hash(const char *s, size_t n)
{
	return wn_hash_more(WN_HASH_INIT, s, n);
}

static size_t *u64map_slot(const wn_u64map *m, uint64_t key)
{
	size_t mask = m->cap - 1;
	size_t i = key & mask;
	while (m->key[i] && m->key[i] != key)
		i = (i + 1) & mask;
	return &m->val[i];
}

size_t *wn_u64map_at(wn_u64map *m, uint64_t key, bool *added)
{
	key = key ? key : 1;
	if (2 * (m->n + 1) > m->cap) {
		wn_u64map old = *m;
		m->cap = old.cap ? 2 * old.cap : 64;
		m->key = wn_xcalloc(m->cap, sizeof *m->key);
		m->val = wn_xcalloc(m->cap, sizeof *m->val);
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.key[i])
				continue;
			size_t *v = u64map_slot(m, old.key[i]);
			m->key[v - m->val] = old.key[i];
			*v = old.val[i];
		}
		free(old.key);
		free(old.val);
	}
	size_t *v = u64map_slot(m, key);
	*added = !m->key[v - m->val];
	if (*added) {
		m->key[v - m->val] = key;
		m->n++;
	}
	return v;
}

void wn_u64map_free(wn_u64map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

size_t wn_line_breaks(const char *s, size_t n)
{
	/* memchr for each kind: far faster than a loop over the bytes */
	if (!n)
		return 0; /* s may be NULL (an empty buffer) */
	const char *e = s + n;
	size_t k = 0;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		k++;
	for (const char *p = s; (p = memchr(p, '\r', (size_t)(e - p))); p++)
		k += p + 1 == e || p[1] != '\n';
	return k;
}

bool wn_path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (!strcmp(outer, "/"))
		return true;
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

/* Appends the components of tail to the canonical path base lexically:
 * they do not exist yet, so none of them can be a symbolic link. */
static char *append_lexical(char *base, const char *tail)
{
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_adds(&b, strcmp(base, "/") ? base : "");
	free(base);
	for (const char *p = tail; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2)) {
			char *s = strrchr(wn_buf_cstr(&b), '/');
			b.len = s ? (size_t)(s - b.data) : 0;
		} else if (n && !(n == 1 && *p == '.')) {
			wn_buf_addc(&b, '/');
			wn_buf_add(&b, p, n);
		}
		p += n + (p[n] == '/');
	}
	if (!b.len)
		wn_buf_addc(&b, '/');
	return wn_buf_steal(&b, NULL);
}

static char *path_resolve(const char *path, int hops)
{
	char *head = wn_xstrndup(path, strlen(path));
	size_t tail = strlen(path); /* head is always a prefix of path */
	char *real;
	while (!(real = realpath(*head ? head : ".", NULL))) {
		if ((errno != ENOENT && errno != ENOTDIR) || !*head ||
		    !strcmp(head, "/"))
			break;
		/* a dangling symbolic link: where it points, or a file
		 * created through it would be taken for the link's place
		 * (--stats through a link into an input directory; a
		 * reviewer's find); 40 hops, as the kernel's ELOOP */
		struct stat ls;
		char target[4096];
		ssize_t tn;
		if (hops < 40 && !lstat(head, &ls) && S_ISLNK(ls.st_mode) &&
		    (tn = readlink(head, target, sizeof target - 1)) > 0) {
			target[tn] = '\0';
			const char *slash = strrchr(head, '/');
			wn_buf b;
			wn_buf_init(&b);
			if (target[0] != '/' && slash)
				wn_buf_add(&b, head, (size_t)(slash - head) + 1);
			wn_buf_adds(&b, target);
			wn_buf_adds(&b, path + strlen(head));
			free(head);
			real = path_resolve(wn_buf_cstr(&b), hops + 1);
			wn_buf_free(&b);
			return real;
		}
		size_t n = strlen(head);
		while (n > 1 && head[n - 1] == '/')
			head[--n] = '\0';
		char *s = strrchr(head, '/');
		tail = s ? (size_t)(s - head) + 1 : 0;
		head[s == head ? 1 : s ? (size_t)(s - head) : 0] = '\0';
	}
	free(head);
	return real ? append_lexical(real, path + tail) : NULL;
}

char *wn_path_resolve(const char *path)
{
	return path_resolve(path, 0);
}

char *wn_temp_name(const char *dst, long pid, unsigned serial)
{
	const char *slash = strrchr(dst, '/');
	const char *base = slash ? slash + 1 : dst;
	wn_buf b;
	wn_buf_init(&b);
	wn_buf_add(&b, dst, (size_t)(base - dst));
	size_t n = strlen(base);
	wn_buf_printf(&b, ".%.*s.winnow-%ld-%u", (int)(n < 200 ? n : 200), base, pid,
		      serial);
	return wn_buf_steal(&b, NULL);
}

const char *wn_shown(const char *path, wn_buf *b)
{
	wn_buf_init(b);
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n')
			wn_buf_adds(b, "\\n");
		else if (c == '\t')
			wn_buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			wn_buf_printf(b, "\\x%02x", c);
		else
			wn_buf_addc(b, (char)c);
	}
	return wn_buf_cstr(b);
}
