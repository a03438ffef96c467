/* fuzz_warc.c - libFuzzer target: the WARC/WET reader and filter
 * (src/warc.c, internal to the executable) over arbitrary bytes, plain or
 * gzip, handed over in a memfd as the reader wants a descriptor.  Passes:
 * wn_warc_sniff; the record reader alone, checking each record's number,
 * offset and block; wn_warc_filter with annotate and a --stats summary
 * on, each line of its output read back as a JSON object {id, url, date,
 * text, winnow}; and,
 * for input that is not gzip, the filter again over the same bytes
 * compressed one gzip member per record, which must give the same output
 * and status (mutated deflate data rarely stays valid, so this is what
 * runs the member-to-member reading on varied records). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "stats.h"
#include "warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results go here so the compiler cannot drop the reads. */
volatile size_t fuzz_sink;

static winnow_rules *rules;
static winnow_cleaner *explain;

static void setup(void)
{
	winnow_options o;
	rules = winnow_rules_new();
	if (winnow_rules_add_defaults(rules, NULL))
		abort();
	winnow_options_init(&o);
	o.explain = true; /* annotate needs the per-block records */
	explain = winnow_cleaner_new(rules, &o, NULL);
	if (!explain)
		abort();
}

/* A descriptor reading data[0..size) from its start. */
static int memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.warc", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

/* Records come numbered 1, 2... at strictly growing offsets, with a
 * NUL-terminated block. */
static void read_records(const uint8_t *data, size_t size)
{
	wn_warc *r = wn_warc_open(memfd(data, size), "fuzz.warc");
	wn_warc_record rec;
	size_t last_number = 0;
	uint64_t last_offset = 0;
	memset(&rec, 0, sizeof rec);
	while (wn_warc_next(r, &rec) == WN_WARC_RECORD) {
		if (rec.number <= last_number ||
		    (last_number && rec.offset <= last_offset))
			abort();
		last_number = rec.number;
		last_offset = rec.offset;
		if (rec.block.len && rec.block.data[rec.block.len] != '\0')
			abort();
		fuzz_sink += touch(rec.type) + touch(rec.id) + touch(rec.uri) +
			     touch(rec.date) + touch(rec.content_type) +
			     touch(rec.payload_type);
	}
	fuzz_sink += wn_warc_bad(r);
	wn_warc_record_free(&rec);
	wn_warc_close(r);
}

static const char *const keys[] = {"id", "url", "date", "text", "winnow"};

/* Every line the filter wrote is an object with keys[], in order; the
 * last ("winnow", --annotate) only for conversion records: a response
 * record's page is markup, whose offsets would not help. */
static void check_output(const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		json_error_t je;
		json_t *j, *v;
		const char *k;
		size_t i = 0;
		if (!nl || !(j = json_loadb(s, (size_t)(nl - s), 0, &je)))
			abort();
		json_object_foreach(j, k, v)
			if (i >= 5 || strcmp(k, keys[i++]))
				abort();
		if (i < 4 || !json_is_string(json_object_get(j, "text")))
			abort();
		json_decref(j);
		s = nl + 1;
	}
}

/* Runs wn_warc_filter over data[0..size) into *out (malloc'd). */
static int filter(const uint8_t *data, size_t size, char **out, size_t *outlen)
{
	wn_stream_opts o = {.text_key = "text", .annotate = true,
			    .stats = wn_stats_new()};
	FILE *mem = open_memstream(out, outlen);
	if (!mem)
		abort();
	int status = wn_warc_filter(explain, &o, memfd(data, size), "fuzz.warc", mem);
	if (ferror(mem))
		abort();
	fclose(mem);
	wn_stats_free(o.stats);
	return status;
}

/* Appends data[0..n) to z as one gzip member. */
static void add_member(wn_buf *z, const uint8_t *data, size_t n)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t bound = deflateBound(&zs, (uLong)n);
	wn_buf_reserve(z, bound);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = (unsigned char *)z->data + z->len;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	z->len += bound - zs.avail_out;
	deflateEnd(&zs);
}

/* data as gzip members, a new one at each line that starts "WARC/1.". */
static void gzip_records(const uint8_t *data, size_t size, wn_buf *z)
{
	size_t start = 0;
	for (size_t i = 1; i + 7 <= size; i++)
		if (data[i - 1] == '\n' && !memcmp(data + i, "WARC/1.", 7)) {
			add_member(z, data + start, i - start);
			start = i;
		}
	if (start < size)
		add_member(z, data + start, size - start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out, *gzout;
	size_t outlen, gzoutlen;
	int fd, status;

	if (!rules)
		setup();
	fd = memfd(data, size);
	fuzz_sink += wn_warc_sniff(fd);
	close(fd);

	read_records(data, size);

	status = filter(data, size, &out, &outlen);
	check_output(out, outlen);
	if (size && !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b)) {
		wn_buf z;
		wn_buf_init(&z);
		gzip_records(data, size, &z);
		if (filter((const uint8_t *)z.data, z.len, &gzout, &gzoutlen) != status ||
		    gzoutlen != outlen || memcmp(gzout, out, outlen))
			abort();
		free(gzout);
		wn_buf_free(&z);
	}
	free(out);
	return 0;
}
