/* site.c - site names: the host of a URL, and the one normalization every
 * site name goes through (in rules files, in learning, at clean time), so
 * that "WWW.Example.com." in a rules file and https://www.example.com/x
 * in a record name the same site. */
#include "site.h"
#include "normalize.h"
#include "winnow.h"

#include <string.h>

static bool ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static void lower_and_mask(wn_buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		char c = b->data[i];
		if (c >= 'A' && c <= 'Z')
			b->data[i] = (char)(c - 'A' + 'a');
		else if (ascii_space(c) || (unsigned char)c < 0x20 || c == 0x7f)
			b->data[i] = '_';
	}
}

bool wn_site_norm(const char *name, size_t len, wn_buf *out)
{
	wn_buf_clear(out);
	if (!name || memchr(name, '\0', len))
		return false;
	while (len && ascii_space(*name))
		name++, len--;
	while (len && ascii_space(name[len - 1]))
		len--;
	if (wn_utf8_valid(name, len))
		wn_buf_add(out, name, len);
	else
		wn_utf8_repair(name, len, out, NULL);
	lower_and_mask(out);
	while (out->len && out->data[out->len - 1] == '.')
		out->len--; /* the root label: "example.com." */
	size_t skip = 0;
	while (out->len - skip > 4 && !memcmp(out->data + skip, "www.", 4))
		skip += 4;
	if (skip) {
		memmove(out->data, out->data + skip, out->len - skip);
		out->len -= skip;
	}
	wn_buf_cstr(out);
	bool none = !out->len || out->len > WN_SITE_MAX ||
		    !strcmp(out->data, "-") || !strcmp(out->data, "*");
	if (none)
		wn_buf_clear(out);
	return !none;
}

/* ---- URLs ---------------------------------------------------------------- */

static bool scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* The authority after "scheme://" (or "//"), or NULL. */
static const char *authority(const char *p, const char *end)
{
	const char *s = p;
	if (s < end && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) {
		while (s < end && scheme_char(*s))
			s++;
		if (s < end && *s == ':')
			p = s + 1;
	}
	if (end - p >= 2 && p[0] == '/' && p[1] == '/')
		return p + 2;
	return NULL;
}

size_t winnow_url_host(const char *url, size_t len, const char **host)
{
	*host = NULL;
	if (!url)
		return 0;
	const char *p = url, *end = url + len;
	while (p < end && ascii_space(*p))
		p++;
	if (p < end && *p == '<') /* WARC/1.1 writes <uri> */
		p++;
	const char *a = authority(p, end);
	if (!a)
		return 0;
	const char *e = a;
	while (e < end && !strchr("/?#> \t\r\n", *e))
		e++;
	for (const char *at = e; at > a; at--) /* user:pass@ */
		if (at[-1] == '@') {
			a = at;
			break;
		}
	if (a < e && *a == '[') { /* [IPv6]:port */
		const char *close = memchr(a, ']', (size_t)(e - a));
		e = close ? close + 1 : e;
	} else {
		const char *colon = memchr(a, ':', (size_t)(e - a));
		e = colon ? colon : e;
	}
	if (e == a)
		return 0;
	*host = a;
	return (size_t)(e - a);
}
