/* encoding.c - the bytes of an HTML page -> UTF-8, before Gumbo sees them.
 *
 * The order (after the WHATWG encoding sniffing algorithm, simplified): a
 * byte order mark; then, if the bytes are valid UTF-8, UTF-8 whatever the
 * page declares (pages re-saved as UTF-8 keep their old <meta charset>,
 * and non-ASCII text in a legacy charset is almost never valid UTF-8 by
 * chance); then the charset named by <meta charset> or http-equiv in the
 * first bytes, decoded with iconv; else UTF-8 with the text mode's repair
 * (cp1252 for stray bytes).  A wn_decoder reads the page a piece at a
 * time, each piece ending where no character spans it, so that a huge
 * page's windows (html.c) never hold it decoded whole. */
#include "html.h"
#include "normalize.h"
#include "thresholds.h"

#include <errno.h>
#include <iconv.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* How far into the page a <meta charset> is looked for: the HTML standard
 * prescans 1024 bytes; real pages put long <head>s of styles and scripts
 * first, and browsers act on a meta the parser meets later (one after
 * 8 KB of styles was missed; a reviewer's find), so look 64 KB in. */
#define PRESCAN_BYTES 65536

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

/* The label after the attribute name at cs (up to end: "=", quotes and
 * spaces skipped), lower case, into out; false when it is empty. */
static bool copy_label(const char *cs, const char *end, char *out, size_t cap)
{
	while (cs < end && (*cs == ' ' || *cs == '='))
		cs++;
	while (cs < end && (*cs == '"' || *cs == '\'' || *cs == ' ' || *cs == '\t'))
		cs++; /* charset=" windows-1251 ": browsers trim the label */
	size_t k = 0;
	while (cs < end && k + 1 < cap &&
	       (*cs == '-' || *cs == '_' || *cs == ':' || *cs == '.' ||
		(*cs >= '0' && *cs <= '9') || (lower(*cs) >= 'a' && lower(*cs) <= 'z')))
		out[k++] = lower(*cs++);
	out[k] = '\0';
	return k > 0;
}

/* The charset a <meta> declares, its attributes from p to its '>' (end
 * at most), as the HTML standard's prescan reads them: its charset
 * attribute, else, with http-equiv="content-type", the charset= inside
 * its content attribute; not the word "charset" anywhere in the tag (a
 * description that mentioned "the charset koi8" decoded the page as
 * KOI8-R; a reviewer's find). */
static bool meta_label(const char *p, const char *end, char *out, size_t cap,
		       const char **after)
{
	const char *content = NULL, *content_end = NULL;
	bool http_ct = false;
	const char *name, *val, *vend;
	size_t nlen;
	while (wn_attr_step(&p, end, &name, &nlen, &val, &vend)) {
		if (nlen == 7 && !strncasecmp(name, "charset", 7)) {
			if (copy_label(val, vend, out, cap))
				return true;
		} else if (nlen == 10 && !strncasecmp(name, "http-equiv", 10)) {
			http_ct = vend - val == 12 && !strncasecmp(val, "content-type", 12);
		} else if (nlen == 7 && !strncasecmp(name, "content", 7)) {
			content = val;
			content_end = vend;
		}
	}
	*after = p < end ? p + 1 : end;
	if (!http_ct || !content)
		return false;
	const char *cs = find_ci(content, (size_t)(content_end - content), "charset");
	return cs && copy_label(cs + 7, content_end, out, cap);
}

/* The charset label declared by a <meta> in the first bytes, else by an
 * XML declaration that starts the page (<?xml ... encoding="..."?>, as
 * XHTML pages without a <meta> carry), lower case, into out; false when
 * there is none. */
static bool declared_charset(const char *s, size_t n, char *out, size_t cap)
{
	if (n > PRESCAN_BYTES)
		n = PRESCAN_BYTES;
	const char *e = s + n;
	for (const char *p = s; p < e && (p = memchr(p, '<', (size_t)(e - p)));) {
		size_t left = (size_t)(e - p);
		if (left >= 4 && !memcmp(p, "<!--", 4)) { /* a comment's meta is none */
			/* "<!-->" and "<!--->" end where they stand, as for
			 * the HTML parser */
			if (left >= 5 && p[4] == '>') {
				p += 5;
				continue;
			}
			if (left >= 6 && p[4] == '-' && p[5] == '>') {
				p += 6;
				continue;
			}
			const char *c = find_ci(p + 4, left - 4, "-->");
			if (!c)
				break;
			p = c + 3;
			continue;
		}
		if (left >= 6 && !strncasecmp(p, "<meta", 5) &&
		    (wn_tag_ws(p[5]) || p[5] == '/')) {
			if (meta_label(p + 5, e, out, cap, &p))
				return true;
			continue;
		}
		/* any other tag goes whole, its attributes read as the
		 * tokenizer reads them: a "<meta charset=...>" inside a quoted
		 * value is none (it was obeyed; a reviewer's find) */
		const char *q = p + 1 + (left >= 2 && p[1] == '/');
		if (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) {
			while (q < e && !wn_tag_ws(*q) && *q != '>')
				q++;
			q = wn_attrs_end(q, e);
			p = q < e ? q + 1 : e;
			continue;
		}
		/* "<!doctype>", "<?...>", "</3>": to the next '>' */
		if (left >= 2 && (p[1] == '!' || p[1] == '?' || p[1] == '/')) {
			q = memchr(p + 1, '>', left - 1);
			p = q ? q + 1 : e;
			continue;
		}
		p++;
	}
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (n - i < 5 || memcmp(s + i, "<?xml", 5))
		return false;
	const char *end = find_ci(s + i, n - i < 256 ? n - i : 256, "?>");
	const char *cs = end ? find_ci(s + i, (size_t)(end - s - i), "encoding") : NULL;
	return cs && copy_label(cs + 8, end, out, cap);
}

/* WHATWG label -> the iconv name of the encoding browsers actually use
 * (latin1 means windows-1252, gb2312 means GBK, shift_jis means the
 * Windows superset...). */
static const char *iconv_name(const char *label)
{
	/* The labels of the WHATWG Encoding Standard's table
	 * (encoding.spec.whatwg.org, "Encodings") that iconv reads otherwise
	 * or not at all: every ISO-8859-1 and ASCII label is windows-1252, as
	 * ISO-8859-9's is windows-1254 and TIS-620's windows-874 (pages that
	 * name them use the C1 range for quotes, dashes and the euro; a
	 * reviewer's find); Chinese labels are GBK's superset GB18030, Korean
	 * ones CP949, Japanese Shift_JIS ones CP932. */
	static const struct { const char *label, *name; } map[] = {
		{"iso-8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
		{"iso8859-1", "WINDOWS-1252"}, {"iso88591", "WINDOWS-1252"},
		{"iso_8859-1", "WINDOWS-1252"},
		{"iso_8859-1:1987", "WINDOWS-1252"},
		{"iso-ir-100", "WINDOWS-1252"}, {"l1", "WINDOWS-1252"},
		{"cp819", "WINDOWS-1252"}, {"ibm819", "WINDOWS-1252"},
		{"csisolatin1", "WINDOWS-1252"}, {"us-ascii", "WINDOWS-1252"},
		{"ascii", "WINDOWS-1252"}, {"ansi_x3.4-1968", "WINDOWS-1252"},
		{"x-cp1252", "WINDOWS-1252"},
		{"iso-8859-9", "WINDOWS-1254"}, {"iso8859-9", "WINDOWS-1254"},
		{"iso88599", "WINDOWS-1254"}, {"iso_8859-9", "WINDOWS-1254"},
		{"iso_8859-9:1989", "WINDOWS-1254"},
		{"iso-ir-148", "WINDOWS-1254"}, {"l5", "WINDOWS-1254"},
		{"latin5", "WINDOWS-1254"}, {"csisolatin5", "WINDOWS-1254"},
		{"x-cp1254", "WINDOWS-1254"},
		{"iso-8859-11", "WINDOWS-874"}, {"iso8859-11", "WINDOWS-874"},
		{"iso885911", "WINDOWS-874"}, {"tis-620", "WINDOWS-874"},
		{"dos-874", "WINDOWS-874"},
		{"x-cp1250", "WINDOWS-1250"},
		{"x-cp1251", "WINDOWS-1251"},
		{"x-cp1253", "WINDOWS-1253"},
		{"x-cp1255", "WINDOWS-1255"},
		{"x-cp1256", "WINDOWS-1256"},
		{"x-cp1257", "WINDOWS-1257"},
		{"x-cp1258", "WINDOWS-1258"},
		{"gb2312", "GB18030"}, {"gb_2312", "GB18030"},
		{"gb_2312-80", "GB18030"}, {"chinese", "GB18030"},
		{"csgb2312", "GB18030"}, {"csiso58gb231280", "GB18030"},
		{"iso-ir-58", "GB18030"}, {"gbk", "GB18030"},
		{"x-gbk", "GB18030"}, {"cp936", "GB18030"},
		{"windows-936", "GB18030"},
		{"shift_jis", "CP932"}, {"shift-jis", "CP932"},
		{"sjis", "CP932"}, {"x-sjis", "CP932"},
		{"windows-31j", "CP932"}, {"ms932", "CP932"},
		{"ms_kanji", "CP932"}, {"csshiftjis", "CP932"},
		{"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"},
		{"ks_c_5601-1989", "CP949"}, {"ksc5601", "CP949"},
		{"ksc_5601", "CP949"}, {"korean", "CP949"},
		{"windows-949", "CP949"}, {"cseuckr", "CP949"},
		{"csksc56011987", "CP949"}, {"iso-ir-149", "CP949"},
		{"x-euc-jp", "EUC-JP"},
		{"koi", "KOI8-R"}, {"koi8", "KOI8-R"}, {"koi8_r", "KOI8-R"},
		{"koi8-ru", "KOI8-U"},
		{"x-mac-roman", "MACINTOSH"},
		{"x-mac-cyrillic", "MAC-CYRILLIC"},
		{"x-mac-ukrainian", "MAC-CYRILLIC"},
		{"big5", "BIG5-HKSCS"}, {"cn-big5", "BIG5-HKSCS"},
		{"csbig5", "BIG5-HKSCS"}, {"x-x-big5", "BIG5-HKSCS"},
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

/* An iconv descriptor to UTF-8 from the charset; false when iconv does
 * not know it, or it is not ASCII-compatible. */
static bool open_iconv(const char *from, iconv_t *cd)
{
	*cd = iconv_open("UTF-8", from);
	if (*cd == (iconv_t)-1)
		return false;
	if (!ascii_compatible(*cd)) {
		iconv_close(*cd);
		return false;
	}
	return true;
}

/* Decodes in[0..n) with iconv onto out; a byte it cannot decode becomes
 * U+FFFD.  When more follows (the page goes on past n, avail bytes in
 * all), an incomplete sequence at the end is read with the bytes after
 * it.  *stuck is where the last error left the input (or NULL), kept
 * from piece to piece.  Returns the bytes read. */
static size_t decode_iconv(iconv_t cd, const char *in, size_t n, bool more,
			   size_t avail, const char **stuck, wn_buf *out,
			   size_t *repairs)
{
	wn_buf_reserve(out, n + n / 2 + 16);
	char *ip = (char *)in;
	size_t ileft = n;
	while (ileft > 0) {
		if (out->cap - out->len < 64)
			wn_buf_reserve(out, out->cap);
		char *op = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
		out->len = (size_t)(op - out->data);
		if (rc != (size_t)-1)
			break;
		int e = errno;
		if (e == E2BIG)
			continue;
		size_t done = (size_t)(ip - in);
		if (e == EINVAL && more && done + ileft < avail) {
			/* a character cut by the piece's end: take it whole */
			size_t k = avail - done - ileft;
			ileft += k < 16 ? k : 16;
			continue;
		}
		iconv(cd, NULL, NULL, NULL, NULL);
		if (e == EILSEQ && ip == *stuck) {
			/* no step since the last error: the byte here is bad
			 * (its U+FFFD is out); step over it */
			ip++;
			ileft--;
			*stuck = NULL;
			continue;
		}
		add_replacement(out, repairs);
		if (e == EILSEQ) {
			/* glibc may have read the bad character already (EUC-KR's
			 * A2 E8): only a second error here, with no step, shows
			 * that the byte here is bad */
			*stuck = ip;
			continue;
		}
		/* EINVAL at the end: one bad byte */
		ip++;
		ileft--;
	}
	wn_buf_cstr(out);
	return (size_t)(ip - in);
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
		wn_buf_add(out, b, wn_utf8_encode((int32_t)u, b));
	}
	if (len & 1)
		add_replacement(out, repairs);
	wn_buf_cstr(out);
}

void wn_decoder_open(wn_decoder *dc, const char *in, size_t len,
		     const char *transport)
{
	const unsigned char *u = (const unsigned char *)in;
	memset(dc, 0, sizeof *dc);
	dc->kind = WN_DEC_UTF8;
	dc->used = "utf-8";
	bool bom8 = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
	if (bom8) {
		in += 3;
		len -= 3;
	} else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
				(u[0] == 0xFE && u[1] == 0xFF))) {
		dc->kind = WN_DEC_UTF16;
		dc->be = u[0] == 0xFE;
		dc->used = dc->be ? "utf-16be" : "utf-16le";
		in += 2;
		len -= 2;
	}
	dc->in = in;
	dc->left = len;
	/* ISO-2022-JP (and -KR, -CN) is 7-bit, so always valid UTF-8: its
	 * escapes (ESC $ B ...) tell it, with the page's own label (it came
	 * out as "$B$3$s" mojibake; a reviewer's find) */
	bool iso2022 = false;
	if (dc->kind != WN_DEC_UTF16 && memchr(in, 0x1B, len)) {
		char l2[sizeof dc->label];
		const char *t = transport && *transport ? transport : NULL;
		iso2022 = (t && !strncasecmp(t, "iso-2022-", 9)) ||
			  (!t && declared_charset(in, len, l2, sizeof l2) &&
			   !strncmp(l2, "iso-2022-", 9));
	}
	if (dc->kind == WN_DEC_UTF16 || (!iso2022 && wn_utf8_valid(in, len)))
		return;
	if (bom8) { /* the mark decides, as for browsers: a stray byte is
		     * repaired, the page is not read in its <meta> charset
		     * (it was, whole; a reviewer's find) */
		dc->kind = WN_DEC_REPAIR;
		return;
	}
	char *label = dc->label;
	size_t cap = sizeof dc->label;
	/* the charset the transport (HTTP) declared comes before the page's
	 * own <meta>, as for browsers; valid UTF-8 still wins over both */
	if (transport && *transport && strlen(transport) < cap) {
		size_t k = 0;
		for (; transport[k]; k++)
			label[k] = (char)tolower((unsigned char)transport[k]);
		label[k] = '\0';
		if (strcmp(label, "utf-8") && strcmp(label, "utf8") &&
		    strncmp(label, "utf-16", 6)) {
			const char *name = iconv_name(label);
			if (open_iconv(name, &dc->cd)) {
				dc->kind = WN_DEC_ICONV;
				dc->used = name;
				return;
			}
		}
	}
	if (declared_charset(in, len, label, cap) &&
	    strcmp(label, "utf-8") && strcmp(label, "utf8") &&
	    strncmp(label, "utf-16", 6)) {
		const char *name = iconv_name(label);
		if (open_iconv(name, &dc->cd)) {
			dc->kind = WN_DEC_ICONV;
			dc->used = name;
			return;
		}
	}
	dc->kind = WN_DEC_REPAIR;
}

/* Can a piece of UTF-8 (or what should be) end before u[m] (0 < m), the
 * piece starting at u[0] where one could end?  When u[m] starts a
 * character, or is a continuation byte with no lead byte among the 3
 * before it: then no sequence holds both u[m-1] and u[m], and the
 * repair reads the two sides as it would the whole. */
static bool utf8_can_cut(const unsigned char *u, size_t m)
{
	if ((u[m] & 0xC0) != 0x80)
		return true;
	for (size_t k = 1; k <= 3 && k <= m; k++)
		if ((u[m - k] & 0xC0) != 0x80)
			return false;
	return true;
}

/* Where a piece of u[0..left) about n bytes long (0 < n < left) ends:
 * the nearest place it can, up to 3 bytes back, else ahead (4 bytes
 * ahead at most). */
static size_t utf8_cut(const unsigned char *u, size_t n, size_t left)
{
	for (size_t m = n; m >= 1 && m + 3 >= n; m--)
		if (utf8_can_cut(u, m))
			return m;
	size_t m = n + 1;
	while (m < left && !utf8_can_cut(u, m))
		m++;
	return m;
}

bool wn_legacy_runs(const char *s, size_t n)
{
	if (n > wn_thresholds.legacy_scan_bytes) /* the start says enough */
		n = wn_thresholds.legacy_scan_bytes;
	/* most text is UTF-8, and every JSONL record's is: checked at
	 * wn_utf8_valid's speed, not a code point at a time (a 3 MB JSONL
	 * stream spent 5.7% of its instructions here) */
	if (wn_utf8_valid(s, n))
		return false;
	const unsigned char *u = (const unsigned char *)s;
	size_t invalid = 0, in_runs = 0, run = 0;
	for (size_t i = 0; i <= n; i++) {
		bool bad = false;
		if (i < n && u[i] >= 0x80) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
			if (k > 0) {
				i += (size_t)k - 1;
			} else {
				bad = true;
				invalid++;
				run++;
			}
		}
		if (!bad) {
			if (run >= 2)
				in_runs += run;
			run = 0;
		}
	}
	return invalid >= wn_thresholds.legacy_min_bytes &&
	       in_runs * 100 >= invalid * wn_thresholds.legacy_run_share_pc;
}

bool wn_decoder_read(wn_decoder *dc, wn_buf *out, size_t want)
{
	if (!dc->left)
		return false;
	size_t n = want && want < dc->left ? want : dc->left;
	bool more = n < dc->left;
	const unsigned char *u = (const unsigned char *)dc->in;
	switch (dc->kind) {
	case WN_DEC_UTF8:
	case WN_DEC_REPAIR:
		if (more)
			n = utf8_cut(u, n, dc->left);
		if (dc->kind == WN_DEC_UTF8)
			wn_buf_add(out, dc->in, n);
		else
			wn_utf8_repair(dc->in, n, out, &dc->repairs);
		break;
	case WN_DEC_UTF16:
		if (more) {
			n &= ~(size_t)1;
			if (n < 2)
				n = 2;
			/* a high surrogate at the end takes the unit after it
			 * along (its pair, or what shows it has none) */
			while (n + 2 <= dc->left &&
			       (dc->be ? u[n - 2] : u[n - 1]) >= 0xD8 &&
			       (dc->be ? u[n - 2] : u[n - 1]) < 0xDC)
				n += 2;
		}
		wn_utf16_decode(dc->in, n, dc->be, out, &dc->repairs);
		break;
	case WN_DEC_ICONV:
		n = decode_iconv(dc->cd, dc->in, n, more, dc->left, &dc->stuck,
				 out, &dc->repairs);
		break;
	}
	dc->in += n;
	dc->left -= n;
	return true;
}

void wn_decoder_close(wn_decoder *dc)
{
	if (dc->kind == WN_DEC_ICONV)
		iconv_close(dc->cd);
	dc->kind = WN_DEC_UTF8;
	dc->left = 0;
}
