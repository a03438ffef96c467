/* learn_cmd.c - `winnow learn`: count the documents of the inputs, or
 * merge counts files, then print the counts or the rules they give.  The
 * same table and writers serve --learn (batch.c), so the rules printed
 * here are the ones a --learn run applies. */
#include "learn_cmd.h"
#include "jsonl.h"
#include "learn.h"
#include "warc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Standard input, counted as the input kind it is. */
static int learn_stdin(const wn_batch_opts *b, wn_learn *l)
{
	winnow_error err;
	winnow_cleaner *cl = winnow_cleaner_new(b->rules, b->stream_opts, &err);
	if (!cl) {
		wn_print_error(&err);
		return 2;
	}
	int status = 0;
	switch (wn_kind_of("-", b->jsonl, b->warc)) {
	case WN_INPUT_JSONL:
		status = wn_jsonl_learn(l, cl, b->stream, stdin, "(stdin)", true);
		break;
	case WN_INPUT_WARC: {
		int fd = dup(STDIN_FILENO); /* the reader closes its copy */
		status = fd < 0 ? 1 : wn_warc_learn(l, cl, b->stream, fd, "(stdin)", true);
		break;
	}
	default: {
		char *data;
		size_t len;
		int e = wn_read_text("-", &data, &len);
		const char *why = e ? strerror(e) : wn_not_text(data, len);
		if (why) {
			fprintf(stderr, "winnow: (stdin): %s\n", why);
			status = 1;
		} else {
			wn_learn_doc(l, cl, data, len, b->stream->site);
		}
		if (!e)
			free(data);
	}
	}
	winnow_cleaner_free(cl);
	return status;
}

/* Counts the inputs: standard input by itself, the rest as a batch. */
static int learn_inputs(const wn_batch_opts *b, char *const *inputs, size_t n,
			wn_learn *l)
{
	char **files = malloc((n + 1) * sizeof *files);
	size_t nfiles = 0;
	int status = 0;
	if (!files) {
		fputs("winnow: out of memory\n", stderr);
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		int st = 0;
		if (strcmp(inputs[i], "-"))
			files[nfiles++] = inputs[i];
		else
			st = learn_stdin(b, l);
		if (st > status)
			status = st;
	}
	if (n == 0)
		status = learn_stdin(b, l);
	int st = nfiles ? wn_batch_learn(b, files, nfiles, l, true) : 0;
	free(files);
	return st > status ? st : status;
}

static int merge_counts(char *const *inputs, size_t n, wn_learn *l)
{
	for (size_t i = 0; i < (n ? n : 1); i++) {
		const char *path = n ? inputs[i] : "-";
		const char *shown = strcmp(path, "-") ? path : "(stdin)";
		char *data;
		size_t len;
		int e = wn_read_all(path, &data, &len);
		if (e) {
			fprintf(stderr, "winnow: %s: %s\n", shown, strerror(e));
			return 2;
		}
		winnow_error err;
		int rc = wn_learn_add_counts(l, shown, data, len, &err);
		free(data);
		if (rc) {
			wn_print_error(&err);
			return 2;
		}
	}
	return 0;
}

int wn_learn_command(const wn_learn_cmd *o, char *const *inputs, size_t n)
{
	const wn_batch_opts *b = o->batch;
	wn_learn *l = wn_learn_new(b->learn_memory);
	int status = o->from_counts ? merge_counts(inputs, n, l)
				    : learn_inputs(b, inputs, n, l);
	if (status == 2) {
		wn_learn_free(l);
		return status;
	}
	wn_buf out;
	wn_buf_init(&out);
	size_t rules = 0;
	if (o->counts)
		wn_learn_write_counts(l, &out);
	else
		rules = wn_learn_write_rules(l, &out);
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	wn_buf_free(&out);
	wn_learn_summary(l, rules, b->quiet || o->counts);
	wn_learn_free(l);
	return status;
}
