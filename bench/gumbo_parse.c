/* gumbo_parse.c - the reference for winnow's HTML speed: read each file
 * and parse it with Gumbo's defaults (malloc, errors recorded), then free
 * the tree, doing nothing else.  bench/run.sh runs it on the same files as
 * winnow --input html.
 *
 * usage: gumbo_parse FILE...
 *        gumbo_parse --files0-from LIST   (NUL-separated names, '-': stdin)
 * Prints the bytes and the elements parsed, so the work cannot be
 * optimised away. */
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	size_t k;
	while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	if (b)
		b[n] = '\0'; /* n < cap: the loop grows b when it fills */
	*len = n;
	return b;
}

static size_t count(const GumboNode *n)
{
	/* iterative: pages nest deeply */
	size_t c = 0, cap = 256, sp = 0;
	const GumboNode **st = malloc(cap * sizeof *st);
	st[sp++] = n;
	while (sp) {
		const GumboNode *x = st[--sp];
		if (x->type != GUMBO_NODE_ELEMENT && x->type != GUMBO_NODE_DOCUMENT &&
		    x->type != GUMBO_NODE_TEMPLATE)
			continue;
		c++;
		const GumboVector *ch = x->type == GUMBO_NODE_DOCUMENT
			? &x->v.document.children : &x->v.element.children;
		for (size_t i = 0; i < ch->length; i++) {
			if (sp == cap)
				st = realloc(st, (cap *= 2) * sizeof *st);
			st[sp++] = ch->data[i];
		}
	}
	free(st);
	return c;
}

static int parse_file(const char *path, size_t *bytes, size_t *elements)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t len;
	char *b = slurp(f, &len);
	fclose(f);
	if (!b)
		return 1;
	GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, b, len);
	*elements += count(out->document);
	*bytes += len;
	gumbo_destroy_output(&kGumboDefaultOptions, out);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	size_t bytes = 0, elements = 0;
	int bad = 0;
	if (argc == 3 && !strcmp(argv[1], "--files0-from")) {
		FILE *l = strcmp(argv[2], "-") ? fopen(argv[2], "rb") : stdin;
		if (!l) {
			perror(argv[2]);
			return 2;
		}
		size_t len;
		char *names = slurp(l, &len);
		for (size_t i = 0; names && i < len;) {
			size_t k = strnlen(names + i, len - i);
			if (k)
				bad |= parse_file(names + i, &bytes, &elements);
			i += k + 1;
		}
		free(names);
	} else {
		for (int i = 1; i < argc; i++)
			bad |= parse_file(argv[i], &bytes, &elements);
	}
	printf("%zu bytes, %zu elements\n", bytes, elements);
	return bad;
}
