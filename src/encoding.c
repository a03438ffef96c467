/* encoding.c - the bytes of an HTML page -> UTF-8, before Gumbo sees them.
 *
 * The order (after the WHATWG encoding sniffing algorithm, simplified): a
 * byte order mark; then, if the bytes are valid UTF-8, UTF-8 whatever the
 * page declares (pages re-saved as UTF-8 keep their old <meta charset>,
 * and non-ASCII text in a legacy charset is almost never valid UTF-8 by
 * chance); then the charset named by <meta charset> or http-equiv in the
 * first bytes, decoded with iconv; else UTF-8 with the text mode's repair
 * (cp1252 for stray bytes). */
#include "html.h"
#include "normalize.h"

#include <errno.h>
#include <iconv.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

/* How far into the page a <meta charset> is looked for: the HTML standard
 * prescans 1024 bytes; real pages put long <head>s of scripts first, so
 * look further. */
#define PRESCAN_BYTES 8192

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const char *find_ci(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m && lower(s[i + k]) == lit[k])
			k++;
		if (k == m)
			return s + i;
	}
	return NULL;
}

/* The charset label declared by a <meta> in the first bytes, lower case,
 * into out; false when there is none. */
static bool declared_charset(const char *s, size_t n, char *out, size_t cap)
{
	if (n > PRESCAN_BYTES)
		n = PRESCAN_BYTES;
	for (const char *p = s; (p = find_ci(p, n - (size_t)(p - s), "<meta"));) {
		const char *end = memchr(p, '>', n - (size_t)(p - s));
		if (!end)
			return false;
		const char *cs = find_ci(p, (size_t)(end - p), "charset");
		if (cs) {
			cs += 7;
			while (cs < end && (*cs == ' ' || *cs == '='))
				cs++;
			while (cs < end && (*cs == '"' || *cs == '\''))
				cs++;
			size_t k = 0;
			while (cs < end && k + 1 < cap &&
			       (*cs == '-' || *cs == '_' || *cs == ':' || *cs == '.' ||
				(*cs >= '0' && *cs <= '9') ||
				(lower(*cs) >= 'a' && lower(*cs) <= 'z')))
				out[k++] = lower(*cs++);
			out[k] = '\0';
			if (k)
				return true;
		}
		p = end;
	}
	return false;
}

/* WHATWG label -> the iconv name of the encoding browsers actually use
 * (latin1 means windows-1252, gb2312 means GBK, shift_jis means the
 * Windows superset...). */
static const char *iconv_name(const char *label)
{
	static const struct { const char *label, *name; } map[] = {
		{"iso-8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
		{"iso8859-1", "WINDOWS-1252"}, {"us-ascii", "WINDOWS-1252"},
		{"ascii", "WINDOWS-1252"}, {"windows-1252", "WINDOWS-1252"},
		{"cp1252", "WINDOWS-1252"}, {"gb2312", "GB18030"},
		{"gbk", "GB18030"}, {"gb18030", "GB18030"},
		{"x-gbk", "GB18030"}, {"shift_jis", "CP932"},
		{"shift-jis", "CP932"}, {"sjis", "CP932"},
		{"x-sjis", "CP932"}, {"windows-31j", "CP932"},
		{"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"},
		{"x-mac-roman", "MACINTOSH"}, {"big5", "BIG5-HKSCS"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(label, map[i].label))
			return map[i].name;
	return label; /* iconv knows most labels by themselves */
}

static void add_replacement(wn_buf *out, size_t *repairs)
{
	wn_buf_add(out, "\xEF\xBF\xBD", 3);
	(*repairs)++;
}

/* Does the charset read ASCII as ASCII?  A page that parsed its own
 * <meta> in ASCII cannot be in one that does not (UTF-16, UTF-32, UCS-2,
 * UTF-7, EBCDIC): browsers ignore such a label, and so do we, instead of
 * turning the page to garbage.  Checked by decoding a probe. */
static bool ascii_compatible(iconv_t cd)
{
	static const char probe[] = "<meta charset=\"a+b-c\"> AZ az 09 &;!?/\n";
	char in[sizeof probe], got[4 * sizeof probe];
	memcpy(in, probe, sizeof probe);
	char *ip = in, *op = got;
	size_t ileft = sizeof probe - 1, oleft = sizeof got;
	size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
	bool same = rc != (size_t)-1 && !ileft &&
		    (size_t)(op - got) == sizeof probe - 1 &&
		    !memcmp(got, probe, sizeof probe - 1);
	iconv(cd, NULL, NULL, NULL, NULL);
	return same;
}

/* Decodes with iconv; a byte it cannot decode becomes U+FFFD.  False when
 * iconv does not know the charset, or it is not ASCII-compatible. */
static bool decode_iconv(const char *from, const char *in, size_t len,
			 wn_buf *out, size_t *repairs)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return false;
	if (!ascii_compatible(cd)) {
		iconv_close(cd);
		return false;
	}
	wn_buf_reserve(out, len + len / 2 + 16);
	char *ip = (char *)in;
	size_t ileft = len;
	while (ileft > 0) {
		if (out->cap - out->len < 64)
			wn_buf_reserve(out, out->cap);
		char *op = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
		out->len = (size_t)(op - out->data);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL at the end: one bad byte */
		add_replacement(out, repairs);
		ip++;
		ileft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	wn_buf_cstr(out);
	return true;
}

void wn_utf16_decode(const char *in, size_t len, bool be, wn_buf *out,
		     size_t *repairs)
{
	wn_buf_reserve(out, len + len / 2 + 4);
	const unsigned char *p = (const unsigned char *)in;
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t u = be ? (uint32_t)(p[i] << 8 | p[i + 1])
				: (uint32_t)(p[i + 1] << 8 | p[i]);
		if (u >= 0xD800 && u < 0xDC00 && i + 3 < len) {
			uint32_t v = be ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
					: (uint32_t)(p[i + 3] << 8 | p[i + 2]);
			if (v >= 0xDC00 && v < 0xE000) {
				u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u < 0xE000) {
			add_replacement(out, repairs);
			continue;
		}
		char b[4];
		size_t k;
		if (u < 0x80) {
			b[0] = (char)u;
			k = 1;
		} else if (u < 0x800) {
			b[0] = (char)(0xC0 | u >> 6);
			b[1] = (char)(0x80 | (u & 0x3F));
			k = 2;
		} else if (u < 0x10000) {
			b[0] = (char)(0xE0 | u >> 12);
			b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
			b[2] = (char)(0x80 | (u & 0x3F));
			k = 3;
		} else {
			b[0] = (char)(0xF0 | u >> 18);
			b[1] = (char)(0x80 | ((u >> 12) & 0x3F));
			b[2] = (char)(0x80 | ((u >> 6) & 0x3F));
			b[3] = (char)(0x80 | (u & 0x3F));
			k = 4;
		}
		wn_buf_add(out, b, k);
	}
	if (len & 1)
		add_replacement(out, repairs);
	wn_buf_cstr(out);
}

static const char *decoded(const wn_buf *out, size_t *out_len)
{
	*out_len = out->len;
	return out->data ? out->data : "";
}

const char *wn_html_decode(const char *in, size_t len, wn_buf *out,
			   size_t *out_len, size_t *repairs, const char **used,
			   const char *transport)
{
	const unsigned char *u = (const unsigned char *)in;
	*repairs = 0;
	*used = "utf-8";
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		in += 3;
		len -= 3;
	} else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
				(u[0] == 0xFE && u[1] == 0xFF))) {
		*used = u[0] == 0xFE ? "utf-16be" : "utf-16le";
		wn_utf16_decode(in + 2, len - 2, u[0] == 0xFE, out, repairs);
		return decoded(out, out_len);
	}
	if (wn_utf8_valid(in, len)) {
		*out_len = len;
		return in;
	}
	char label[64];
	/* the charset the transport (HTTP) declared comes before the page's
	 * own <meta>, as for browsers; valid UTF-8 still wins over both */
	if (transport && *transport && strlen(transport) < sizeof label) {
		size_t k = 0;
		for (; transport[k]; k++)
			label[k] = (char)tolower((unsigned char)transport[k]);
		label[k] = '\0';
		if (strcmp(label, "utf-8") && strcmp(label, "utf8") &&
		    strncmp(label, "utf-16", 6)) {
			const char *name = iconv_name(label);
			if (decode_iconv(name, in, len, out, repairs)) {
				*used = name;
				return decoded(out, out_len);
			}
		}
	}
	if (declared_charset(in, len, label, sizeof label) &&
	    strcmp(label, "utf-8") && strcmp(label, "utf8") &&
	    strncmp(label, "utf-16", 6)) {
		const char *name = iconv_name(label);
		if (decode_iconv(name, in, len, out, repairs)) {
			*used = name;
			return decoded(out, out_len);
		}
	}
	wn_utf8_repair(in, len, out, repairs);
	return decoded(out, out_len);
}
