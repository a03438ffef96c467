/* warc.c - WARC/1.0 and WARC/1.1 records (ISO 28500) from plain or gzip
 * streams, and the filter that turns WET `conversion` records into JSONL.
 *
 * A record is a version line, header lines "Name: value" up to an empty
 * line, Content-Length bytes of block, then CR LF CR LF.  The reader is
 * lenient where it can be without guessing: blank lines between records
 * are skipped, LF alone ends a line like CR LF.  It is strict where a
 * guess would corrupt data: a bad header skips the record (by its
 * Content-Length when that and the end of the header are sound, else by
 * a scan to the next "WARC/1." line), a block not followed by its
 * record's end skips the record (misframed), and a block cut short by
 * the end of the stream ends the file.  gzip members are inflated one after another
 * here, not by gzread: damaged data between or inside members is
 * reported and skipped to the next member, where reading goes on. */
#include "warc.h"
#include "html.h"
#include "learn.h"
#include "normalize.h"
#include "stats.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Longer header lines are not WARC: the scan skips the record. */
#define MAX_LINE ((size_t)1 << 20)
/* A block this large is skipped (and reported), not held in memory. */
#define MAX_BLOCK ((uint64_t)1 << 30)
/* Bytes read, and inflated, at a time.  The fuzz targets build with a few
 * dozen, so that lines, blocks and gzip magic bytes cross its edges. */
#ifndef WN_WARC_BUF
#define WN_WARC_BUF (1 << 16)
#endif
/* The compressed bytes of the member being inflated are kept up to this
 * many, to look for the next member in them if it turns out damaged. */
#define MAX_MEMBER_KEPT ((size_t)8 << 20)

struct wn_warc {
	int fd;
	const char *name;
	z_stream zs;       /* its next_in and avail_in are the unread in[] */
	unsigned char in[WN_WARC_BUF]; /* bytes of the file, compressed or not */
	uint64_t raw_read; /* bytes of the file read into in[] so far */
	bool raw_eof;
	int gzip;          /* -1 not known yet, 0 plain, 1 gzip members */
	bool in_member;    /* zs is inflating a member */
	bool damaged;      /* reported; quiet until good data comes */
	bool cut;          /* the file ended inside a gzip member */
	bool gap;          /* damaged gzip data was skipped: the stream
			    * reads as ended until wn_warc_next resumes */
	wn_buf member;     /* the member's compressed bytes so far */
	bool keep_member;  /* ... while it holds them all */
	uint64_t member_out; /* where the member's data starts, uncompressed */
	/* the uncompressed bytes that a damaged member made: no record
	 * holding any of them is cleaned */
	uint64_t taint_lo, taint_hi;
	wn_buf raw_replay; /* compressed bytes to read again before the file's */
	size_t raw_replay_pos;
	uint64_t file_read; /* bytes read from the file itself */
	uint64_t replayed;  /* bytes put back to be searched again */
	char buf[WN_WARC_BUF];
	size_t pos, len;
	bool eof;
	bool failed;       /* a read error or a cut member: the rest is unreadable */
	bool unreadable;   /* a read error (read_raw) */
	uint64_t offset;   /* uncompressed bytes consumed */
	size_t number;     /* records seen */
	size_t bad;
	wn_buf line;
	bool have_version; /* line holds the version line of the next record */
	uint64_t version_off;
	bool quiet;        /* problems counted, not printed */
	struct wn_stats *stats;
	/* bytes to read again before the stream's (see misframed) */
	wn_buf replay;
	size_t replay_pos;
};

wn_warc *wn_warc_open(int fd, const char *name)
{
	wn_warc *r = wn_xcalloc(1, sizeof *r);
	r->fd = fd;
	r->name = name;
	r->gzip = -1;
	r->zs.next_in = r->in;
	if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK) /* out of memory */
		wn_oom(0);
	wn_buf_init(&r->line);
	wn_buf_init(&r->replay);
	return r;
}

void wn_warc_close(wn_warc *r)
{
	if (!r)
		return;
	inflateEnd(&r->zs);
	close(r->fd);
	wn_buf_free(&r->line);
	wn_buf_free(&r->replay);
	wn_buf_free(&r->member);
	wn_buf_free(&r->raw_replay);
	free(r);
}

size_t wn_warc_bad(const wn_warc *r)
{
	return r->bad;
}

void wn_warc_record_free(wn_warc_record *rec)
{
	free(rec->type);
	free(rec->id);
	free(rec->uri);
	free(rec->date);
	free(rec->content_type);
	free(rec->payload_type);
	wn_buf_free(&rec->block);
	memset(rec, 0, sizeof *rec);
}

void wn_warc_report_to(wn_warc *r, bool quiet, struct wn_stats *stats)
{
	r->quiet = quiet;
	r->stats = stats;
}

static void say(const wn_warc *r, size_t number, uint64_t off, const char *what)
{
	if (!r->quiet) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: record %zu (offset %" PRIu64 "): %s\n",
			wn_shown(r->name, &b), number, off, what);
		wn_buf_free(&b);
	}
	if (r->stats) {
		char why[300];
		snprintf(why, sizeof why, "offset %" PRIu64 ": %s", off, what);
		wn_stats_failure(r->stats, r->name, number, why);
	}
}

/* ---- bytes --------------------------------------------------------------- */

/* A problem with the file rather than with one record: reported, counted. */
static void stream_problem(wn_warc *r, const char *why)
{
	if (!r->quiet) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: %s\n", wn_shown(r->name, &b), why);
		wn_buf_free(&b);
	}
	wn_stats_failure(r->stats, r->name, 0, why);
	r->bad++;
}

/* Reads more of the file after the unread bytes of in[]; false at its
 * end or on a read error (reported: the rest cannot be read). */
static bool read_raw(wn_warc *r)
{
	if (r->failed || r->zs.avail_in == sizeof r->in)
		return false;
	if (r->raw_replay_pos < r->raw_replay.len) {
		memmove(r->in, r->zs.next_in, r->zs.avail_in);
		r->zs.next_in = r->in;
		size_t room = sizeof r->in - r->zs.avail_in;
		size_t left = r->raw_replay.len - r->raw_replay_pos;
		size_t n = left < room ? left : room;
		memcpy(r->in + r->zs.avail_in, r->raw_replay.data + r->raw_replay_pos, n);
		r->raw_replay_pos += n;
		r->zs.avail_in += (uInt)n;
		r->raw_read += n;
		if (r->raw_replay_pos == r->raw_replay.len) {
			wn_buf_free(&r->raw_replay);
			r->raw_replay_pos = 0;
		}
		return true;
	}
	if (r->raw_eof)
		return false;
	memmove(r->in, r->zs.next_in, r->zs.avail_in);
	r->zs.next_in = r->in;
	ssize_t n;
	do
		n = read(r->fd, r->in + r->zs.avail_in, sizeof r->in - r->zs.avail_in);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		char why[300];
		snprintf(why, sizeof why, "offset %" PRIu64 ": %s; the rest of the file cannot be read",
			 r->offset, strerror(errno));
		stream_problem(r, why);
		r->failed = true;
		r->unreadable = true;
		return false;
	}
	r->raw_eof = n == 0;
	r->zs.avail_in += (uInt)n;
	r->raw_read += (uint64_t)n;
	r->file_read += (uint64_t)n;
	return n > 0;
}

static bool at_magic(const wn_warc *r)
{
	return r->zs.avail_in >= 2 && r->zs.next_in[0] == 0x1f && r->zs.next_in[1] == 0x8b;
}

/* Drops the file's bytes up to the next gzip magic (1F 8B), or all. */
static void skip_to_member(wn_warc *r)
{
	for (;;) {
		const unsigned char *p = r->zs.next_in, *e = p + r->zs.avail_in;
		while (p + 1 < e && !(p[0] == 0x1f && p[1] == 0x8b))
			p++;
		if (p < e && *p != 0x1f)
			p = e; /* a last 1F may be the first half of the magic */
		r->zs.next_in = (unsigned char *)p;
		r->zs.avail_in = (uInt)(e - p);
		if (p + 1 < e)
			return;
		if (!read_raw(r)) {
			r->zs.avail_in = 0;
			return;
		}
	}
}

/* Damaged gzip data, uncompressed offset at: reported once a damaged
 * stretch, skipped to the next member.  The stream reads as ended (gap)
 * until wn_warc_next resumes it, so no record spans the damage. */
static void damaged(wn_warc *r, uint64_t at, const char *what)
{
	if (!r->damaged) {
		char why[300];
		snprintf(why, sizeof why, "offset %" PRIu64 " (compressed %" PRIu64
			 "): gzip: %s; skipped to the next gzip member",
			 at, r->raw_read - r->zs.avail_in, what);
		stream_problem(r, why);
		r->damaged = true;
	}
	r->gap = true;
	r->in_member = false;
	inflateReset(&r->zs);
	/* the data it made so far is suspect (a failed check at its end
	 * says so of all of it: the record was cleaned all the same; a
	 * reviewer's find); wn_warc_next skips a record that is all of it */
	if (at > r->member_out) {
		r->taint_lo = r->member_out;
		r->taint_hi = at;
	}
	/* The next member may start inside the bytes zlib read as this
	 * one's: a member cut short runs on into it (the record in the
	 * whole member after a cut one was lost; a reviewer's find).  The
	 * search starts again after this member's magic. */
	/* Searched again at most twice the file's bytes and one member
	 * more in all: a file of fake member headers, each read on to one
	 * far failure, was searched again from each (quadratic: 27 s for
	 * 1 MB; a reviewer's find); past that, reading goes on from here. */
	if (r->keep_member && r->member.len > 1 &&
	    r->replayed + r->member.len <= 2 * r->file_read + MAX_MEMBER_KEPT) {
		r->replayed += r->member.len;
		wn_buf t;
		wn_buf_init(&t);
		wn_buf_add(&t, r->member.data + 1, r->member.len - 1);
		wn_buf_add(&t, (const char *)r->zs.next_in, r->zs.avail_in);
		if (r->raw_replay_pos < r->raw_replay.len)
			wn_buf_add(&t, r->raw_replay.data + r->raw_replay_pos,
				   r->raw_replay.len - r->raw_replay_pos);
		r->raw_read -= r->zs.avail_in + (r->member.len - 1);
		r->zs.next_in = r->in;
		r->zs.avail_in = 0;
		wn_buf_free(&r->raw_replay);
		r->raw_replay = t;
		r->raw_replay_pos = 0;
	}
	r->keep_member = false;
	wn_buf_clear(&r->member);
	skip_to_member(r);
}

/* Inflates gzip members one after another into buf.  Returns the bytes
 * made, 0 at the end of the file, at a read error or at a gap.  zlib's
 * gzread would end silently at bytes that are not a member, and drop
 * what it inflated in the call that met an error. */
static size_t inflate_some(wn_warc *r)
{
	r->zs.next_out = (unsigned char *)r->buf;
	r->zs.avail_out = sizeof r->buf;
	while (r->zs.avail_out == sizeof r->buf && !r->gap && !r->failed) {
		uint64_t at = r->offset + (sizeof r->buf - r->zs.avail_out);
		if (!r->in_member) {
			while (r->zs.avail_in < 2 && read_raw(r))
				;
			if (!r->zs.avail_in)
				break; /* the end of the file, between members */
			if (!at_magic(r)) {
				r->keep_member = false;
				r->member_out = at; /* none of it is data */
				damaged(r, at, "not the start of a member");
				break;
			}
			r->in_member = true;
			r->member_out = at;
			r->keep_member = true;
			wn_buf_clear(&r->member);
		}
		if (!r->zs.avail_in && !read_raw(r)) {
			r->cut = !r->failed; /* the file ends inside a member */
			break;
		}
		const unsigned char *from = r->zs.next_in;
		int rc = inflate(&r->zs, Z_NO_FLUSH);
		if (r->keep_member) {
			size_t used = (size_t)(r->zs.next_in - from);
			if (r->member.len + used > MAX_MEMBER_KEPT) {
				r->keep_member = false; /* a file in one member */
				wn_buf_free(&r->member);
			} else {
				wn_buf_add(&r->member, (const char *)from, used);
			}
		}
		if (r->zs.avail_out < sizeof r->buf)
			r->damaged = false; /* good data: the next damage is news */
		if (rc == Z_STREAM_END) {
			r->in_member = r->damaged = r->keep_member = false;
			wn_buf_clear(&r->member);
			inflateReset(&r->zs);
		} else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
			damaged(r, r->offset + (sizeof r->buf - r->zs.avail_out),
				r->zs.msg ? r->zs.msg : "invalid data");
		} else if (rc == Z_MEM_ERROR) {
			wn_oom(0);
		}
	}
	return sizeof r->buf - r->zs.avail_out;
}

/* Makes bytes available in buf; false at the end, on a read error, or at
 * a gap in damaged gzip data. */
static bool fill(wn_warc *r)
{
	if (r->pos < r->len)
		return true;
	if (r->replay_pos < r->replay.len) {
		size_t n = r->replay.len - r->replay_pos;
		n = n < sizeof r->buf ? n : sizeof r->buf;
		memcpy(r->buf, r->replay.data + r->replay_pos, n);
		r->replay_pos += n;
		r->pos = 0;
		r->len = n;
		if (r->replay_pos == r->replay.len) { /* all in buf now */
			wn_buf_free(&r->replay);
			r->replay_pos = 0;
		}
		return true;
	}
	if (r->eof || r->failed || r->gap)
		return false;
	if (r->gzip < 0) {
		while (r->zs.avail_in < 2 && read_raw(r))
			;
		r->gzip = at_magic(r);
	}
	size_t n;
	if (r->gzip) {
		n = inflate_some(r);
	} else {
		if (!r->zs.avail_in)
			read_raw(r);
		n = r->zs.avail_in < sizeof r->buf ? r->zs.avail_in : sizeof r->buf;
		memcpy(r->buf, r->zs.next_in, n);
		r->zs.next_in += n;
		r->zs.avail_in -= (uInt)n;
	}
	r->pos = 0;
	r->len = n;
	if (!n && !r->gap)
		r->eof = true; /* a member cut short reads as an early end */
	return n > 0;
}

/* After a gap: true, and the stream reads on from the next member. */
static bool resume(wn_warc *r)
{
	bool gap = r->gap;
	r->gap = false;
	return gap;
}

/* Reads one line into r->line, without its LF or CR LF.  Returns false at
 * the end of the stream (when no byte was read).  A line past MAX_LINE
 * is cut there (the rest is consumed); *longp says so. */
static bool read_line(wn_warc *r, bool *longp)
{
	wn_buf_clear(&r->line);
	*longp = false;
	bool any = false;
	while (fill(r)) {
		any = true;
		const char *p = r->buf + r->pos;
		size_t avail = r->len - r->pos;
		const char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		if (r->line.len + take > MAX_LINE)
			*longp = true;
		else
			wn_buf_add(&r->line, p, take);
		size_t used = take + (nl != NULL);
		r->pos += used;
		r->offset += used;
		if (nl)
			break;
	}
	if (r->line.len && r->line.data[r->line.len - 1] == '\r')
		r->line.len--;
	wn_buf_cstr(&r->line);
	return any;
}

/* Reads n bytes of block into out (or drops them when out is NULL).
 * Returns the number read: fewer than n at the end of the stream. */
static uint64_t read_block(wn_warc *r, uint64_t n, wn_buf *out)
{
	uint64_t got = 0;
	while (got < n && fill(r)) {
		size_t avail = r->len - r->pos;
		size_t take = n - got < avail ? (size_t)(n - got) : avail;
		if (out)
			wn_buf_add(out, r->buf + r->pos, take);
		r->pos += take;
		r->offset += take;
		got += take;
	}
	return got;
}

static bool is_version(const wn_buf *line)
{
	return line->len >= 7 && !memcmp(line->data, "WARC/1.", 7);
}

/* Scans for the next line that starts with "WARC/1.". */
static void resync(wn_warc *r)
{
	bool longp;
	for (;;) {
		uint64_t off = r->offset;
		if (!read_line(r, &longp))
			return;
		if (is_version(&r->line)) {
			r->have_version = true;
			r->version_off = off;
			return;
		}
	}
}

/* ---- headers ------------------------------------------------------------- */

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return wn_xstrndup(s, n);
}

/* The field a header is kept in, or NULL for one that is not kept. */
static char **field(wn_warc_record *rec, const char *name, size_t n)
{
	static const struct { const char *name; size_t off; } kept[] = {
		{"WARC-Type", offsetof(wn_warc_record, type)},
		{"WARC-Record-ID", offsetof(wn_warc_record, id)},
		{"WARC-Target-URI", offsetof(wn_warc_record, uri)},
		{"WARC-Date", offsetof(wn_warc_record, date)},
		{"Content-Type", offsetof(wn_warc_record, content_type)},
		{"WARC-Identified-Payload-Type", offsetof(wn_warc_record, payload_type)},
	};
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
		if (strlen(kept[i].name) == n && !strncasecmp(kept[i].name, name, n))
			return (char **)((char *)rec + kept[i].off);
	return NULL;
}

/* Parses a Content-Length value: decimal digits only. */
static bool parse_length(const char *s, size_t n, uint64_t *out)
{
	char *v = trimmed(s, n);
	bool ok = *v != '\0';
	uint64_t x = 0;
	for (const char *p = v; *p && ok; p++) {
		ok = *p >= '0' && *p <= '9' && x <= (UINT64_MAX - 9) / 10;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	free(v);
	*out = x;
	return ok;
}

/* Reads the header lines after the version line.  Returns 1, 0 when the
 * stream ended inside them, or with why[] filled for a bad header: -2
 * when the header block still ends in a blank line after a good
 * Content-Length (its block can be skipped by length, not by a scan that
 * could stop at a "WARC/1." line inside it), else -1.  A version line
 * ends a header cut short: r->have_version keeps it for the next record. */
static int read_headers(wn_warc *r, wn_warc_record *rec, uint64_t *length,
			char *why, size_t whysz)
{
	bool have_length = false, bad = false, longp;
	char **last = NULL;
	for (;;) {
		uint64_t off = r->offset;
		if (!read_line(r, &longp))
			return bad ? -1 : 0; /* a bad header was reported first */
		const char *s = r->line.data;
		size_t n = r->line.len;
		if (longp) {
			snprintf(why, whysz, "header line longer than %zu bytes", MAX_LINE);
			return -1;
		}
		if (!n)
			break;
		if (is_version(&r->line)) {
			if (!bad)
				snprintf(why, whysz, "header cut short by the next record");
			r->have_version = true;
			r->version_off = off;
			return -1;
		}
		if (*s == ' ' || *s == '\t') { /* a folded continuation line */
			if (last && *last) {
				char *more = trimmed(s, n);
				size_t a = strlen(*last), b = strlen(more);
				char *v = wn_xmalloc(a + b + 2);
				memcpy(v, *last, a);
				v[a] = ' ';
				memcpy(v + a + 1, more, b + 1);
				free(*last);
				free(more);
				*last = v;
			}
			continue;
		}
		const char *colon = memchr(s, ':', n);
		if (!colon || colon == s) {
			if (!bad)
				snprintf(why, whysz, "bad header line '%.60s'", s);
			bad = true;
			last = NULL;
			continue;
		}
		size_t nlen = (size_t)(colon - s), vlen = n - nlen - 1;
		if (nlen == 14 && !strncasecmp(s, "Content-Length", 14)) {
			if (!parse_length(colon + 1, vlen, length)) {
				const char *v = colon + 1;
				while (*v == ' ' || *v == '\t')
					v++; /* the value as read, not its separator */
				snprintf(why, whysz, "bad Content-Length '%.40s'", v);
				return -1;
			}
			have_length = true;
		}
		last = field(rec, s, nlen);
		if (last) {
			free(*last);
			*last = trimmed(colon + 1, vlen);
		}
	}
	if (bad)
		return have_length ? -2 : -1;
	if (!have_length) {
		snprintf(why, whysz, "no Content-Length header");
		return -1;
	}
	return 1;
}

/* ---- records ------------------------------------------------------------- */

/* Finds the version line of the next record: 1, 0 at the end, or -1 when
 * the first line that is not blank is something else (reported). */
static int find_version(wn_warc *r, uint64_t *off)
{
	if (r->have_version) {
		r->have_version = false;
		*off = r->version_off;
		return 1;
	}
	bool longp;
	do {
		*off = r->offset;
		if (!read_line(r, &longp))
			return 0;
	} while (!r->line.len && !longp);
	return is_version(&r->line) ? 1 : -1;
}

/* At the end of the stream: WN_WARC_END, or WN_WARC_STOP after a read
 * error or when the file ended inside a gzip member (reported). */
static int end_of_stream(wn_warc *r)
{
	if (r->cut && !r->failed) {
		char why[200];
		snprintf(why, sizeof why, "offset %" PRIu64 ": gzip: the file ends inside a member",
			 r->offset);
		stream_problem(r, why);
		r->cut = false;
		r->failed = true;
	}
	return r->failed ? WN_WARC_STOP : WN_WARC_END;
}

/* Reads the block of a record whose headers were read.  Returns false
 * when the stream ended inside it (reported). */
static bool take_block(wn_warc *r, wn_warc_record *rec, uint64_t length)
{
	bool keep = length <= MAX_BLOCK;
	if (keep)
		wn_buf_reserve(&rec->block, length < (1u << 20) ? (size_t)length : (1u << 20));
	uint64_t got = read_block(r, length, keep ? &rec->block : NULL);
	if (got < length) {
		char what[200];
		snprintf(what, sizeof what, "truncated (%" PRIu64 " of %" PRIu64
			 " bytes of block)", got, length);
		if (!r->failed) /* a read error was reported already */
			say(r, rec->number, rec->offset, what);
		r->bad += !r->failed;
		return false;
	}
	if (!keep) {
		say(r, rec->number, rec->offset, "block larger than 1 GiB, skipped");
		r->bad++;
		free(rec->type); /* a record without a type is not cleaned */
		rec->type = NULL;
	}
	wn_buf_cstr(&rec->block);
	return true;
}

/* Puts a[0..an) and then b[0..bn) (neither in replay) back before what
 * replay still holds.  They were mostly read from it just before (a
 * misframed record inside a replayed block, a peek): then they go in
 * the room already read, with no copy of the rest, or a run of such
 * records would copy the rest once each. */
static void push_back(wn_warc *r, const char *a, size_t an, const char *b,
		      size_t bn)
{
	size_t n = an + bn;
	if (r->replay_pos < r->replay.len && n <= r->replay_pos) {
		char *d = r->replay.data + r->replay_pos - n;
		if (an)
			memcpy(d, a, an);
		if (bn)
			memcpy(d + an, b, bn);
		r->replay_pos -= n;
		return;
	}
	wn_buf t;
	wn_buf_init(&t);
	wn_buf_add(&t, a, an);
	wn_buf_add(&t, b, bn);
	if (r->replay_pos < r->replay.len)
		wn_buf_add(&t, r->replay.data + r->replay_pos,
			   r->replay.len - r->replay_pos);
	wn_buf_free(&r->replay);
	r->replay = t;
	r->replay_pos = 0;
}

/* Copies the next n bytes of the stream to a without consuming them (the
 * same bytes whatever the buffer's edges, plain or gzip); returns how
 * many there are, fewer at the end. */
static size_t peek(wn_warc *r, char *a, size_t n)
{
	if (fill(r) && r->len - r->pos >= n) {
		memcpy(a, r->buf + r->pos, n);
		return n;
	}
	wn_buf held;
	wn_buf_init(&held);
	while (held.len < n && fill(r)) {
		wn_buf_add(&held, r->buf + r->pos, r->len - r->pos);
		r->pos = r->len;
	}
	size_t got = held.len < n ? held.len : n;
	if (got)
		memcpy(a, held.data, got);
	push_back(r, held.data, held.len, NULL, 0);
	wn_buf_free(&held);
	return got;
}

/* Whether the block just read ends where its record does: two line
 * ends follow it (CR LF CR LF, or LF), or the end of the stream, or (a
 * writer that left out one or both) the next record's "WARC/1." line.
 * One line end and then anything else is a length that stopped at the
 * end of a line of the next record's header.  Anything else is a wrong
 * Content-Length (a checksum catches no such thing: the digest headers
 * are optional). */
static bool block_ends(wn_warc *r)
{
	char a[11]; /* CR LF CR LF WARC/1. */
	size_t n = peek(r, a, sizeof a), i = 0;
	for (int ends = 0; ends < 2; ends++) {
		if (i + 1 < n && a[i] == '\r' && a[i + 1] == '\n')
			i += 2;
		else if (i < n && a[i] == '\n')
			i++;
		else
			return i == n || (n - i >= 7 && !memcmp(a + i, "WARC/1.", 7));
	}
	return true;
}

/* Where the next record starts inside block b[0..n): a "WARC/1." line
 * after an empty one (the end of a record, CR LF CR LF or LF LF), or n. */
static size_t next_record_in(const char *b, size_t n)
{
	for (const char *p = b; (p = memmem(p, (size_t)(b + n - p), "WARC/1.", 7)); p++) {
		size_t k = (size_t)(p - b);
		if ((k >= 2 && b[k - 1] == '\n' && b[k - 2] == '\n') ||
		    (k >= 3 && b[k - 1] == '\n' && b[k - 2] == '\r' && b[k - 3] == '\n'))
			return k;
	}
	return n;
}

/* The block of rec (length bytes, read whole) is not followed by the end
 * of its record: its Content-Length is wrong.  The record is reported
 * and skipped, never cleaned from a block that holds another record's
 * header or lacks its own end.  A length that ran into the next record
 * leaves that record's version line inside the block: reading goes on
 * from there (the rest of the block is read again); a length that fell
 * short goes on from the next version line after the block. */
static void misframed(wn_warc *r, wn_warc_record *rec, uint64_t length)
{
	size_t n = rec->block.len;
	if (n != length) { /* over 1 GiB, not kept: reported already */
		resync(r);
		return;
	}
	size_t k = next_record_in(rec->block.data, n);
	r->bad++;
	if (k == n) {
		say(r, rec->number, rec->offset, "its Content-Length ends the block "
		    "before the record's end (no CR LF after it), skipped");
		resync(r);
		return;
	}
	say(r, rec->number, rec->offset, "its Content-Length runs past the block "
	    "into the next record, skipped");
	/* read again: the block from k, then what buf holds; a block read
	 * from the stream becomes the replay itself, so that one wrong
	 * digit in a length (a block of up to 1 GiB) is not held twice */
	const char *rest = r->buf + r->pos;
	size_t nrest = r->len - r->pos;
	r->pos = r->len;
	if (r->replay_pos >= r->replay.len) {
		memmove(rec->block.data, rec->block.data + k, n - k);
		rec->block.len = n - k;
		wn_buf_add(&rec->block, rest, nrest);
		wn_buf_free(&r->replay);
		r->replay = rec->block;
		r->replay_pos = 0;
		wn_buf_init(&rec->block);
	} else {
		push_back(r, rec->block.data + k, n - k, rest, nrest);
	}
	r->offset -= n - k;
}

int wn_warc_next(wn_warc *r, wn_warc_record *rec)
{
	char why[200];
	for (;;) {
		wn_warc_record_free(rec);
		uint64_t off;
		int v = find_version(r, &off);
		if (!v && resume(r))
			continue; /* damaged gzip data between records */
		if (!v)
			return end_of_stream(r);
		rec->number = ++r->number;
		rec->offset = off;
		if (v < 0) {
			say(r, rec->number, off, "not a WARC record (no WARC/1.x line), skipped");
			r->bad++;
			resync(r);
			continue;
		}
		uint64_t length = 0;
		int h = read_headers(r, rec, &length, why, sizeof why);
		if (!h) {
			if (!r->failed)
				say(r, rec->number, off, "truncated (in the header)");
			r->bad += !r->failed;
			if (resume(r))
				continue;
			return WN_WARC_STOP;
		}
		if (h < 0) {
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n, ", skipped");
			say(r, rec->number, off, why);
			r->bad++;
			if (h == -2)
				read_block(r, length, NULL); /* a cut is found next */
			else if (!r->have_version)
				resync(r);
			continue;
		}
		if (take_block(r, rec, length)) {
			uint64_t rec_end = r->offset;
			bool ends = block_ends(r); /* may meet damage: peeks on */
			/* a damaged member that held this record alone, as WARC
			 * writers make them (blank lines either side); in a file
			 * in one member, which record is wrong cannot be told,
			 * and those before the damage are kept */
			if (ends && rec->offset >= r->taint_lo && rec->offset - r->taint_lo <= 64 &&
			    rec_end <= r->taint_hi && r->taint_hi - rec_end <= 64) {
				say(r, rec->number, off, "in a damaged gzip member "
				    "(its data fails the check), skipped");
				r->bad++;
				continue;
			}
			if (ends)
				return WN_WARC_RECORD;
			misframed(r, rec, length);
			continue;
		}
		if (!resume(r))
			return WN_WARC_STOP;
	}
}

/* ---- sniffing ------------------------------------------------------------ */

static bool starts_warc(const unsigned char *p, size_t n)
{
	return n >= 7 && !memcmp(p, "WARC/1.", 7);
}

/* Inflates the start of the first gzip member in p[0..n). */
static bool gzip_starts_warc(const unsigned char *p, size_t n)
{
	unsigned char out[16];
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return false;
	zs.next_in = (unsigned char *)p;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = sizeof out;
	int rc = inflate(&zs, Z_SYNC_FLUSH);
	size_t got = sizeof out - zs.avail_out;
	inflateEnd(&zs);
	return (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) &&
	       starts_warc(out, got);
}

bool wn_warc_sniff(int fd)
{
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return false;
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (at < 0)
		return false;
	unsigned char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf, at);
	if (n <= 0)
		return false;
	if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
		return gzip_starts_warc(buf, (size_t)n);
	return starts_warc(buf, (size_t)n);
}

bool wn_warc_sniff_buf(const void *data, size_t n)
{
	const unsigned char *buf = data;
	if (n > 4096)
		n = 4096; /* as much as wn_warc_sniff reads */
	if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
		return gzip_starts_warc(buf, n);
	return n && starts_warc(buf, n);
}

bool wn_warc_sniff_path(const char *path)
{
	if (!strcmp(path, "-"))
		return wn_warc_sniff(STDIN_FILENO);
	int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	bool yes = wn_warc_sniff(fd);
	close(fd);
	return yes;
}

/* ---- the filter ---------------------------------------------------------- */

static bool has_html(const char *s)
{
	return s && (strcasestr(s, "text/html") || strcasestr(s, "xhtml"));
}

/* A response record whose HTTP payload is HTML, by the HTTP headers at
 * the start of its block or by WARC-Identified-Payload-Type. */
static bool html_response(const wn_warc_record *rec)
{
	if (has_html(rec->payload_type))
		return true;
	const char *b = rec->block.data ? rec->block.data : "";
	size_t n = rec->block.len < 65536 ? rec->block.len : 65536;
	const char *end = b + n;
	for (const char *p = b; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if (e == p || (e == p + 1 && *p == '\r'))
			break; /* the end of the HTTP headers */
		if (e - p > 13 && !strncasecmp(p, "Content-Type:", 13)) {
			char *v = wn_xstrndup(p + 13, (size_t)(e - p - 13));
			bool yes = has_html(v);
			free(v);
			return yes;
		}
		p = nl ? nl + 1 : end;
	}
	return false;
}

static json_t *header_value(const char *v, bool strip_angles)
{
	if (!v)
		return json_null();
	size_t n = strlen(v);
	if (strip_angles && n >= 2 && v[0] == '<' && v[n - 1] == '>')
		v++, n -= 2; /* WARC/1.1's examples wrap the URI in <> */
	return wn_json_text(v, n);
}

/* The site of a record: its WARC-Target-URI's host, else o->site. */
static char *record_site(const wn_stream_opts *o, const wn_warc_record *rec)
{
	return wn_record_site(o, rec->uri, rec->uri ? strlen(rec->uri) : 0);
}

/* A record's line before its text: id, url, date, and "text" (null,
 * for wn_json_write_cleaned to fill). */
static json_t *record_object(const wn_warc_record *rec)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", header_value(rec->id, false));
	json_object_set_new(j, "url", header_value(rec->uri, true));
	json_object_set_new(j, "date", header_value(rec->date, false));
	json_object_set_new(j, "text", json_null());
	return j;
}

static int write_conversion(winnow_cleaner *cl, const wn_stream_opts *o,
			    const wn_warc_record *rec, FILE *out,
			    wn_stream_limits *lim)
{
	const char *text = rec->block.data ? rec->block.data : "";
	char *site = record_site(o, rec);
	json_t *j = record_object(rec);
	/* the text written as it is cleaned */
	wn_json_write_cleaned(out, j, "text", cl, text, rec->block.len, site,
			      NULL, o->stats, o->annotate, lim, rec->number);
	json_decref(j);
	free(site);
	return 0;
}

/* The value of HTTP header name (with its colon) in [p, end), or NULL;
 * *n gets its length. */
static const char *http_header(const char *p, const char *end,
			       const char *name, size_t *n)
{
	size_t k = strlen(name);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if ((size_t)(e - p) > k && !strncasecmp(p, name, k)) {
			const char *v = p + k;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			const char *w = e;
			while (w > v && (w[-1] == '\r' || w[-1] == ' '))
				w--;
			*n = (size_t)(w - v);
			return v;
		}
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

/* Undoes HTTP chunked transfer coding into out.  DECHUNK_NOT when the
 * payload does not start with a chunk's size line (some crawlers store
 * it undone and keep the header: it is taken as it is); DECHUNK_CUT when
 * the chunks stop adding up after the first (a payload cut at a size
 * cap): out holds the chunks before, which are cleaned and reported. */
enum { DECHUNK_OK, DECHUNK_NOT, DECHUNK_CUT };
static int dechunk(const char *p, const char *end, wn_buf *out)
{
	for (bool first = true; p < end; first = false) {
		/* a size line: hex digits, then an extension or the line's end */
		const char *e = p;
		unsigned long long len = 0;
		for (; e < end && isxdigit((unsigned char)*e) && e - p < 16; e++)
			len = len * 16 + (unsigned)(isdigit((unsigned char)*e)
				? *e - '0' : (tolower((unsigned char)*e) - 'a' + 10));
		const char *nl = e > p && e < end && (*e == ';' || *e == ' ' || *e == '\t' ||
						      *e == '\r' || *e == '\n')
					 ? memchr(e, '\n', (size_t)(end - e)) : NULL;
		if (!nl)
			return first ? DECHUNK_NOT : DECHUNK_CUT;
		p = nl + 1;
		if (len == 0)
			return DECHUNK_OK;
		if (len > (unsigned long long)(end - p)) {
			wn_buf_add(out, p, (size_t)(end - p)); /* the cut chunk's part */
			return DECHUNK_CUT;
		}
		wn_buf_add(out, p, (size_t)len);
		p += len;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
	}
	return out->len ? DECHUNK_CUT : DECHUNK_NOT; /* no last, empty chunk */
}

/* Undoes gzip or deflate content coding into out, 256 MB at most (a zip
 * bomb is cut there).  NULL when the whole stream came out, else what
 * went wrong; out then holds what came out before it (the record is
 * cleaned from that and reported). */
static const char *inflate_body(const char *p, size_t n, wn_buf *out, int wbits)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, wbits) != Z_OK)
		return "cannot start zlib";
	zs.next_in = (unsigned char *)p;
	zs.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
	int rc = Z_OK;
	while (rc == Z_OK && out->len < ((size_t)256 << 20)) {
		wn_buf_reserve(out, 65536);
		zs.next_out = (unsigned char *)out->data + out->len;
		zs.avail_out = 65536;
		rc = inflate(&zs, Z_NO_FLUSH);
		out->len += 65536 - zs.avail_out;
		if (rc == Z_BUF_ERROR && zs.avail_in == 0)
			break;
	}
	inflateEnd(&zs);
	if (rc == Z_STREAM_END)
		return NULL;
	if (rc == Z_OK)
		return "content coding inflates past 256 MB: cut there";
	if (rc == Z_BUF_ERROR)
		return "content coding (gzip/deflate) cut short: cleaned what it held";
	return "content coding (gzip/deflate) is corrupt: cleaned what came before the damage";
}

/* One layer of content coding undone into out (emptied first): gzip or
 * zlib's deflate by their headers; deflate sent raw, without zlib's
 * header (some servers do, and browsers read it), is tried as that when
 * nothing came out.  NULL or what went wrong, as inflate_body. */
static const char *undo_coding(const char *p, size_t n, bool deflate, wn_buf *out)
{
	out->len = 0;
	const char *why = inflate_body(p, n, out, 32 + MAX_WBITS);
	if (why && deflate && out->len == 0) {
		if (!inflate_body(p, n, out, -MAX_WBITS))
			return NULL;
		out->len = 0;
	}
	return why;
}

/* The content codings winnow undoes, at most this many layers. */
#define MAX_CODINGS 4
/* 1 gzip, 2 deflate, 0 a compression winnow cannot undo (br, zstd,
 * compress, bzip2...), -1 a name that is none */
static int coding_kind(const char *t, size_t n)
{
	static const char *const packed[] = {"br", "zstd", "compress", "x-compress",
		"bzip2", "x-bzip2", "lzma", "xz", "pack200-gzip", "exi", "sdch", "lz4"};
	if ((n == 4 && !strncasecmp(t, "gzip", 4)) || (n == 6 && !strncasecmp(t, "x-gzip", 6)))
		return 1;
	if ((n == 7 && !strncasecmp(t, "deflate", 7)) ||
	    (n == 9 && !strncasecmp(t, "x-deflate", 9)))
		return 2;
	for (size_t k = 0; k < sizeof packed / sizeof packed[0]; k++)
		if (strlen(packed[k]) == n && !strncasecmp(t, packed[k], n))
			return 0;
	return -1;
}

/* Adds the codings of a header's list v[0..n) ("gzip, deflate", in the
 * order they were applied) to kind[*nk..]: identity, chunked (the
 * transfer coding dechunk undoes) and names that are no compression
 * ("utf-8", "none": misconfigured servers send them, browsers ignore
 * them) are none.  False, with *problem, for one it cannot undo. */
static bool add_codings(const char *v, size_t n, int *kind, int *nk,
			const char **problem)
{
	for (size_t i = 0; v && i < n;) {
		size_t k = i;
		while (k < n && v[k] != ',')
			k++;
		size_t s0 = i, s1 = k;
		while (s0 < s1 && (v[s0] == ' ' || v[s0] == '\t'))
			s0++;
		while (s1 > s0 && (v[s1 - 1] == ' ' || v[s1 - 1] == '\t'))
			s1--;
		i = k + 1;
		if (s1 == s0 || (s1 - s0 == 8 && !strncasecmp(v + s0, "identity", 8)) ||
		    (s1 - s0 == 7 && !strncasecmp(v + s0, "chunked", 7)))
			continue;
		int kd = coding_kind(v + s0, s1 - s0);
		if (kd < 0)
			continue; /* no compression: nothing to undo */
		if (!kd || *nk == MAX_CODINGS) {
			*problem = kd ? "more than 4 layers of content coding: record skipped"
				      : "content coding not gzip or deflate (br, zstd, compress...): "
					"record skipped";
			return false;
		}
		kind[(*nk)++] = kd;
	}
	return true;
}

/* The charset= parameter of the HTTP Content-Type of the response in rec,
 * into cs (empty when there is none or it does not fit). */
static void response_charset(const wn_warc_record *rec, char *cs, size_t size)
{
	cs[0] = '\0';
	const char *b = rec->block.data ? rec->block.data : "";
	const char *end = b + rec->block.len, *body = end;
	for (const char *p = b; p < end;) { /* the headers end at a blank line */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if (nl == p || (nl == p + 1 && *p == '\r')) {
			body = nl;
			break;
		}
		p = nl + 1;
	}
	size_t n;
	const char *v = http_header(b, body, "Content-Type:", &n);
	for (const char *p = v, *e = v ? v + n : NULL; p && p + 8 <= e; p++) {
		if (strncasecmp(p, "charset=", 8))
			continue;
		p += 8;
		if (p < e && (*p == '"' || *p == '\''))
			p++;
		size_t k = 0;
		while (p + k < e && p[k] != ';' && p[k] != '"' && p[k] != '\'' &&
		       p[k] != ' ' && p[k] != '\t')
			k++;
		if (k && k < size) {
			memcpy(cs, p, k);
			cs[k] = '\0';
		}
		return;
	}
}

/* The page in a response record: after the HTTP headers, with chunked
 * transfer coding and gzip/deflate content codings (x-gzip, x-deflate,
 * raw deflate, several layers) undone, into the two buffers, which the
 * caller frees.  *problem says what was damaged (what came before the
 * damage is the page); NULL, with *problem, for a coding it cannot undo
 * (br, zstd...): such a record is reported and skipped. */
static const char *response_page(const wn_warc_record *rec, wn_buf *chunked,
				 wn_buf *inflated, size_t *page_len,
				 const char **problem)
{
	*problem = NULL;
	const char *b = rec->block.data ? rec->block.data : "";
	const char *end = b + rec->block.len, *body = end;
	for (const char *p = b; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if (nl == p || (nl == p + 1 && *p == '\r')) {
			body = nl + 1;
			break;
		}
		p = nl + 1;
	}
	size_t n;
	const char *page = body;
	size_t len = (size_t)(end - body);
	const char *te = http_header(b, body, "Transfer-Encoding:", &n);
	if (te && n >= 7 && !strncasecmp(te + n - 7, "chunked", 7)) {
		int dc = dechunk(page, page + len, chunked);
		if (dc != DECHUNK_NOT) {
			page = chunked->data ? chunked->data : "";
			len = chunked->len;
		}
		if (dc == DECHUNK_CUT)
			*problem = "chunked transfer coding cut short: cleaned the chunks before";
	}
	/* the codings in the order they were applied, undone from the
	 * last: the content codings ("gzip, deflate"), then the transfer
	 * codings before chunked ("Transfer-Encoding: gzip, chunked" was
	 * cleaned as its compressed bytes; a reviewer's find).  A payload
	 * that already starts as markup was stored undone under its header,
	 * as some crawlers store it. */
	const char *ce = http_header(b, body, "Content-Encoding:", &n);
	size_t ten = 0;
	const char *tec = http_header(b, body, "Transfer-Encoding:", &ten);
	int kind[MAX_CODINGS], nk = 0;
	if (!wn_html_sniff(page, len) && /* --input auto's test of a page */
	    (!add_codings(ce, ce ? n : 0, kind, &nk, problem) ||
	     !add_codings(tec, tec ? ten : 0, kind, &nk, problem))) {
		*page_len = 0;
		return NULL;
	}
	/* gzip data under no header that says so: as gzip, not as text (its
	 * bytes were cleaned as cp1252 letters) */
	if (!nk && len >= 3 && (unsigned char)page[0] == 0x1f &&
	    (unsigned char)page[1] == 0x8b && (unsigned char)page[2] == 8)
		kind[nk++] = 1;
	wn_buf *dst = inflated, *other = chunked;
	while (nk-- > 0) {
		const char *why = undo_coding(page, len, kind[nk] == 2, dst);
		page = dst->data ? dst->data : "";
		len = dst->len;
		if (why) {
			if (!*problem) /* a cut chunk cuts the coding: say the first */
				*problem = why;
			break;
		}
		wn_buf *t = dst; /* the next layer from dst into the other */
		dst = other;
		other = t;
	}
	*page_len = len;
	return page;
}

/* A response record with an HTML payload: the page is cleaned (HTML
 * mode, as --input auto finds it) and written like a conversion record.
 * A damaged content coding is reported (*damaged set). */
static int write_response(winnow_cleaner *cl, const wn_stream_opts *o,
			  const wn_warc *r, const wn_warc_record *rec, FILE *out,
			  bool *damaged, wn_stream_limits *lim)
{
	wn_buf chunked, inflated;
	wn_buf_init(&chunked);
	wn_buf_init(&inflated);
	size_t len;
	const char *problem;
	const char *page = response_page(rec, &chunked, &inflated, &len, &problem);
	if (problem) {
		say(r, rec->number, rec->offset, problem);
		*damaged = true;
	}
	if (!page) { /* a coding it cannot undo: the record is skipped */
		wn_buf_free(&chunked);
		wn_buf_free(&inflated);
		return 0;
	}
	char *site = record_site(o, rec);
	char cs[48];
	response_charset(rec, cs, sizeof cs);
	/* the text written as it is cleaned */
	json_t *j = record_object(rec);
	wn_json_write_cleaned(out, j, "text", cl, page, len, site,
			      cs[0] ? cs : NULL, o->stats, false, lim, rec->number);
	json_decref(j);
	free(site);
	wn_buf_free(&chunked);
	wn_buf_free(&inflated);
	return 0;
}

int wn_warc_filter(winnow_cleaner *cl, const wn_stream_opts *o, int fd,
		   const char *name, FILE *out)
{
	wn_warc *r = wn_warc_open(fd, name);
	wn_warc_report_to(r, false, o->stats);
	wn_warc_record rec;
	memset(&rec, 0, sizeof rec);
	size_t unencodable = 0;
	bool damaged = false;
	wn_stream_limits lim = {0};
	int rc = WN_WARC_END;
	/* a failed output (a closed pipe whose SIGPIPE is ignored, a full
	 * disk) ends the stream: the caller reports it */
	while (!ferror(out) && (rc = wn_warc_next(r, &rec)) == WN_WARC_RECORD) {
		if (!rec.type)
			continue;
		if (!strcasecmp(rec.type, "conversion")) {
			if (write_conversion(cl, o, &rec, out, &lim)) {
				say(r, rec.number, rec.offset, "cannot be encoded as JSON");
				unencodable++;
			}
		} else if (!strcasecmp(rec.type, "response") && html_response(&rec)) {
			if (write_response(cl, o, r, &rec, out, &damaged, &lim)) {
				say(r, rec.number, rec.offset, "cannot be encoded as JSON");
				unencodable++;
			}
		}
	}
	if (!r->quiet)
		wn_stream_limits_say(&lim, name, "record");
	int status = r->unreadable ? WN_WARC_UNREAD
		     : wn_warc_bad(r) || unencodable || damaged || rc == WN_WARC_STOP ? 1 : 0;
	wn_warc_record_free(&rec);
	wn_warc_close(r);
	return status;
}

int wn_warc_path(winnow_cleaner *cl, const wn_stream_opts *o,
		 const char *path, FILE *out)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "(stdin)" : path;
	/* the reader closes its descriptor: give it a copy of stdin's */
	int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: %s\n", wn_shown(name, &b), strerror(errno));
		wn_buf_free(&b);
		return 1;
	}
	return wn_warc_filter(cl, o, fd, name, out) ? 1 : 0;
}

int wn_warc_learn(struct wn_learn *l, const winnow_cleaner *cl,
		  const wn_stream_opts *o, int fd, const char *name, bool report)
{
	wn_warc *r = wn_warc_open(fd, name);
	wn_warc_report_to(r, !report, NULL);
	wn_warc_record rec;
	memset(&rec, 0, sizeof rec);
	int rc;
	while ((rc = wn_warc_next(r, &rec)) == WN_WARC_RECORD) {
		/* what wn_warc_filter cleans, no more */
		if (!rec.type)
			continue;
		wn_buf chunked, inflated;
		wn_buf_init(&chunked);
		wn_buf_init(&inflated);
		const char *text = rec.block.data ? rec.block.data : "";
		size_t len = rec.block.len;
		char cs[48] = "";
		const char *problem; /* reported by the cleaning pass */
		if (!strcasecmp(rec.type, "response") && html_response(&rec)) {
			text = response_page(&rec, &chunked, &inflated, &len, &problem);
			response_charset(&rec, cs, sizeof cs);
			if (!text) {
				wn_buf_free(&chunked);
				wn_buf_free(&inflated);
				continue;
			}
		} else if (strcasecmp(rec.type, "conversion")) {
			continue;
		}
		char *site = record_site(o, &rec);
		wn_learn_doc_cs(l, cl, text, len, site, cs[0] ? cs : NULL);
		free(site);
		wn_buf_free(&chunked);
		wn_buf_free(&inflated);
	}
	int status = wn_warc_bad(r) || rc == WN_WARC_STOP ? 1 : 0;
	wn_warc_record_free(&rec);
	wn_warc_close(r);
	return status;
}
