/* main.c - the winnow command: option parsing and exit codes. */
#include "batch.h"
#include "jsonl.h"
#include "learn.h"
#include "learn_cmd.h"
#include "stats.h"
#include "thresholds.h"
#include "warc.h"
#include "winnow.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fputs(
"Usage: winnow [OPTIONS] [FILE|DIR...]\n"
"       winnow learn [OPTIONS] [FILE|DIR...] > site.rules\n"
"Strip boilerplate (menus, comment forms, related links, bylines...) from\n"
"scraped text, one block per line, or from a raw HTML page, and print the\n"
"article.\n"
"\n"
"With no FILE, or FILE '-', read standard input and write standard output.\n"
"FILE arguments are cleaned to standard output, in order.  DIR arguments\n"
"need -o: every regular file under DIR is cleaned into the same relative\n"
"path under OUTDIR.  'winnow learn' prints, as a rules file, the lines\n"
"that recur across the documents of each site of its inputs.\n"
"\n"
"Options:\n"
"  -o, --output DIR        write cleaned files under DIR (batch mode)\n"
"  -j, --jobs N            batch worker threads (default: online CPUs)\n"
"      --input KIND        auto (the default: HTML when the input looks\n"
"                          like a page, else text), text or html\n"
"  -r, --rules PATH        add a rules file, a .model file, or a directory\n"
"                          of *.rules and *.model (and stop/LANG.txt\n"
"                          stoplists); repeatable\n"
"      --no-default-rules  leave the built-in rules, stoplists and models\n"
"                          out\n"
"      --no-title          drop the headline line\n"
"      --lang LANG         use LANG's stoplist (en de fr es it pt nl ru pl)\n"
"                          instead of detecting the language\n"
"      --nfkc              NFKC instead of NFC\n"
"      --ascii-punct       curly quotes, dashes, ellipsis to ASCII\n"
"      --explain           print every block with its decision and reason\n"
"      --features          like --explain, with the model's score, each\n"
"                          block's feature vector and its elements' class\n"
"                          words (for tools/train.py)\n"
"      --jsonl             input is JSON Lines: clean one string field of\n"
"                          each object, keep every other field\n"
"      --text-key KEY      the field --jsonl cleans (default: text)\n"
"      --annotate          add a \"winnow\" field: what was removed, where\n"
"      --on-error ACTION   a malformed JSONL line is reported and then\n"
"                          kept unchanged (keep, the default), left out\n"
"                          (skip), or ends the run (fail)\n"
"      --warc              input is WARC/WET (.gz too): clean conversion\n"
"                          records and HTML response records to JSONL\n"
"                          (found by itself in files that start with\n"
"                          WARC/1.)\n"
"      --files0-from FILE  read the input names from FILE ('-': standard\n"
"                          input), NUL-separated, as find -print0 writes\n"
"  -q, --quiet             no messages for skipped files in a batch, no\n"
"                          progress line (shown on a terminal by -o\n"
"                          batches and winnow learn), no summary of what\n"
"                          was learned\n"
"      --stats FILE        write a JSON summary of the run to FILE ('-':\n"
"                          standard output, with -o only)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Sites and learning:\n"
"      --learn             learn the lines that recur across the documents\n"
"                          of each site first, then clean with them too\n"
"                          (reads the inputs twice: not standard input)\n"
"      --site NAME         the site of documents without a URL (default:\n"
"                          the top directory under a DIR argument)\n"
"      --url-key KEY       the JSONL field with the record's URL (default:\n"
"                          url); its host is the record's site\n"
"      --learn-memory MIB  the most the counts may take (default: 512)\n"
"      --counts            winnow learn: print the counts instead, to merge\n"
"      --from-counts       winnow learn: the inputs are counts files\n"
"\n"
"Exit status: 0 all good, 1 some inputs failed, 2 usage or system error.\n"
"Rules language: see rules/README.md or winnow(1).\n", f);
}

typedef struct cli {
	winnow_options opts;
	wn_stream_opts stream;
	bool jsonl, warc;
	const char *files0;
	int nnames;         /* names read from files0 */
	int names_status;   /* 1 when the list had empty entries */
	const char **rules;
	size_t nrules;
	bool no_defaults;
	const char *outdir;
	int jobs;
	bool quiet;
	bool learn_cmd;     /* winnow learn */
	bool learn, counts, from_counts;
	size_t learn_memory; /* bytes */
	const char *stats;  /* --stats FILE */
} cli;

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "winnow: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'winnow --help' for more information.\n");
	return EXIT_USAGE;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Options that belong to one mode.  Returns -1 to go on, or 2. */
static int check_modes(const cli *c)
{
	if (c->outdir && !c->outdir[0])
		return usage_error("%s", "-o needs a directory name, not an empty one");
	if (c->stats && !c->stats[0])
		return usage_error("%s", "--stats needs a file name, not an empty one");
	for (size_t i = 0; i < c->nrules; i++)
		if (!c->rules[i][0])
			return usage_error("%s", "--rules needs a file or directory name, "
					   "not an empty one");
	if (!c->learn_cmd && (c->counts || c->from_counts))
		return usage_error("%s", "--counts and --from-counts belong to 'winnow learn'");
	if (c->learn_cmd && c->outdir)
		return usage_error("%s", "winnow learn prints rules on standard output: no -o");
	if (c->learn_cmd && c->stats)
		return usage_error("%s", "--stats summarizes cleaning, not 'winnow learn'");
	if (c->stats && !strcmp(c->stats, "-") && !c->outdir)
		return usage_error("%s", "--stats - needs -o: standard output carries the cleaned text");
	if (c->learn_cmd && (c->opts.explain || c->opts.features || c->stream.annotate))
		return usage_error("%s", "--explain, --features and --annotate show cleaning, "
				   "not 'winnow learn' (whose rules say why in their comments)");
	if (c->stream.annotate && !strcmp(c->stream.text_key, "winnow"))
		return usage_error("%s", "--annotate writes the field \"winnow\": with --text-key winnow it would replace the cleaned text");
	return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, cli *c)
{
	enum { O_NO_DEFAULTS = 256, O_NO_TITLE, O_LANG, O_NFKC, O_ASCII,
	       O_EXPLAIN, O_FEATURES, O_JSONL, O_TEXT_KEY, O_ANNOTATE, O_ON_ERROR,
	       O_WARC, O_FILES0, O_INPUT, O_LEARN, O_LEARN_MEMORY, O_SITE,
	       O_URL_KEY, O_STATS, O_COUNTS, O_FROM_COUNTS };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},
		{"rules", required_argument, NULL, 'r'},
		{"no-default-rules", no_argument, NULL, O_NO_DEFAULTS},
		{"no-title", no_argument, NULL, O_NO_TITLE},
		{"lang", required_argument, NULL, O_LANG},
		{"nfkc", no_argument, NULL, O_NFKC},
		{"ascii-punct", no_argument, NULL, O_ASCII},
		{"explain", no_argument, NULL, O_EXPLAIN},
		{"features", no_argument, NULL, O_FEATURES},
		{"jsonl", no_argument, NULL, O_JSONL},
		{"text-key", required_argument, NULL, O_TEXT_KEY},
		{"annotate", no_argument, NULL, O_ANNOTATE},
		{"on-error", required_argument, NULL, O_ON_ERROR},
		{"warc", no_argument, NULL, O_WARC},
		{"files0-from", required_argument, NULL, O_FILES0},
		{"input", required_argument, NULL, O_INPUT},
		{"learn", no_argument, NULL, O_LEARN},
		{"learn-memory", required_argument, NULL, O_LEARN_MEMORY},
		{"site", required_argument, NULL, O_SITE},
		{"url-key", required_argument, NULL, O_URL_KEY},
		{"stats", required_argument, NULL, O_STATS},
		{"counts", no_argument, NULL, O_COUNTS},
		{"from-counts", no_argument, NULL, O_FROM_COUNTS},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	/* getopt's messages start with argv[0]: "winnow", as every other
	 * message does, not the path it was run by */
	argv[0] = (char *)"winnow";
	while ((ch = getopt_long(argc, argv, "o:j:r:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			c->outdir = optarg;
			break;
		case 'j': {
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 1024)
				return usage_error("invalid --jobs '%s' (1 to 1024)", optarg);
			c->jobs = (int)n;
			break;
		}
		case 'r': /* c->rules has room for argc entries */
			c->rules[c->nrules++] = optarg;
			break;
		case O_NO_DEFAULTS: c->no_defaults = true; break;
		case O_NO_TITLE: c->opts.no_title = true; break;
		case O_LANG: c->opts.lang = optarg; break;
		case O_NFKC: c->opts.nfkc = true; break;
		case O_ASCII: c->opts.ascii_punct = true; break;
		case O_EXPLAIN: c->opts.explain = true; break;
		case O_FEATURES: c->opts.explain = c->opts.features = true; break;
		case O_JSONL: c->jsonl = true; break;
		case O_TEXT_KEY: c->stream.text_key = optarg; break;
		case O_ANNOTATE: c->stream.annotate = true; break;
		case O_ON_ERROR:
			if (!strcmp(optarg, "keep"))
				c->stream.on_error = WN_ON_ERROR_KEEP;
			else if (!strcmp(optarg, "skip"))
				c->stream.on_error = WN_ON_ERROR_SKIP;
			else if (!strcmp(optarg, "fail"))
				c->stream.on_error = WN_ON_ERROR_FAIL;
			else
				return usage_error("invalid --on-error '%s' (keep, skip or fail)", optarg);
			break;
		case O_WARC: c->warc = true; break;
		case O_FILES0: c->files0 = optarg; break;
		case O_INPUT:
			if (!strcmp(optarg, "auto"))
				c->opts.input = WINNOW_INPUT_AUTO;
			else if (!strcmp(optarg, "text"))
				c->opts.input = WINNOW_INPUT_TEXT;
			else if (!strcmp(optarg, "html"))
				c->opts.input = WINNOW_INPUT_HTML;
			else
				return usage_error("invalid --input '%s' (auto, text or html)", optarg);
			break;
		case O_LEARN: c->learn = true; break;
		case O_LEARN_MEMORY: {
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > (1L << 20))
				return usage_error("invalid --learn-memory '%s' (1 to 1048576 MiB)", optarg);
			c->learn_memory = (size_t)n << 20;
			break;
		}
		case O_SITE: c->stream.site = optarg; break;
		case O_URL_KEY: c->stream.url_key = optarg; break;
		case O_STATS: c->stats = optarg; break;
		case O_COUNTS: c->counts = true; break;
		case O_FROM_COUNTS: c->from_counts = true; break;
		case 'q': c->quiet = true; break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("winnow %s\n", winnow_version());
			return 0;
		default:
			fputs("Try 'winnow --help' for more information.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (c->jsonl && c->warc)
		return usage_error("%s", "--jsonl and --warc cannot be used together");
	if ((c->jsonl || c->warc) && c->opts.explain)
		return usage_error("%s", "--explain and --features apply to text input, not to --jsonl or --warc");
	return check_modes(c);
}

static winnow_rules *load_rules(const cli *c)
{
	winnow_error err;
	winnow_rules *r = winnow_rules_new();
	if (!c->no_defaults && winnow_rules_add_defaults(r, &err))
		goto fail;
	for (size_t i = 0; i < c->nrules; i++)
		if (winnow_rules_add_path(r, c->rules[i], &err))
			goto fail;
	return r;
fail:
	wn_print_error(&err);
	winnow_rules_free(r);
	return NULL;
}

/* Standard output was closed (">&-") when winnow started: /dev/full
 * holds its descriptor (see main). */
static bool stdout_closed;

static void stdout_error(void)
{
	if (stdout_closed)
		fputs("winnow: error writing standard output: it is closed\n", stderr);
	else
		fprintf(stderr, "winnow: error writing standard output: %s\n",
			strerror(errno ? errno : EIO));
}

/* A failed write (a reader gone while SIGPIPE is ignored, a full disk)
 * ends the run at once, as SIGPIPE would: the rest of the input has
 * nowhere to go. */
static void write_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (fwrite(s, 1, n, stdout) == n && !ferror(stdout))
		return;
	stdout_error();
	exit(EXIT_USAGE);
}

/* Cleans one file (or "-") to stdout, as a document of so->site, counted
 * in so->stats; returns 0 or 1 (input failed). */
static int clean_to_stdout(winnow_cleaner *cl, const char *path, bool explain,
			   const wn_stream_opts *so, char *data, size_t len,
			   int e)
{
	const char *shown = strcmp(path, "-") ? path : "(stdin)";
	const char *why = e ? strerror(e) : wn_not_text(data, len);
	if (why) {
		wn_buf b;
		fprintf(stderr, "winnow: %s: %s\n", wn_shown(shown, &b), why);
		wn_buf_free(&b);
		wn_stats_failure(so->stats, shown, 0, why);
		if (!e)
			free(data);
		return 1;
	}
	/* written as each window is cleaned: not held; data is let go
	 * after, so the cleaner may rewrite or free it */
	wn_sink sink = {write_stdout, NULL, &data};
	winnow_result *res =
		explain ? wn_explain_doc_to(cl, data, len, so->site, so->stats, &sink)
			: wn_clean_doc_to(cl, data, len, so->site, NULL, so->stats,
					  &sink);
	wn_report_limits(shown, res);
	winnow_result_free(res);
	free(data);
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return strcmp(p, "-") && !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* A run to standard output has two cleaners: --annotate needs explain for
 * JSONL and WARC input, which must not turn text output into a listing. */
typedef struct cleaners {
	winnow_cleaner *text, *stream;
	bool named;  /* --explain over several inputs: each is named */
} cleaners;

/* The cleaners' options: --stats counts every block's reason, so they
 * record reasons (explain) whatever the output shows. */
static void cleaner_options(const cli *c, winnow_options *text,
			    winnow_options *stream)
{
	*text = c->opts;
	text->explain |= c->stats != NULL;
	*stream = c->opts;
	stream->explain = c->stream.annotate || c->stats;
	stream->features = false;
}

static int make_cleaners(const winnow_rules *r, const cli *c, cleaners *k)
{
	winnow_error err;
	winnow_options to, so;
	cleaner_options(c, &to, &so);
	k->text = winnow_cleaner_new(r, &to, &err);
	k->stream = k->text ? winnow_cleaner_new(r, &so, &err) : NULL;
	if (!k->stream) {
		wn_print_error(&err);
		winnow_cleaner_free(k->text);
		return EXIT_USAGE;
	}
	/* --stats alone records reasons only, and keeps the windows */
	if (c->stats && !c->opts.explain)
		wn_cleaner_counts_only(k->text);
	if (c->stats && !c->stream.annotate)
		wn_cleaner_counts_only(k->stream);
	return 0;
}

/* Whether the input path ('-': standard input) is the regular file
 * standard output writes to: "winnow --jsonl f >> f" read its own output
 * for ever, filling the disk (a reviewer's find), as cat(1) would but
 * for its check. */
static bool is_stdout_file(const char *path)
{
	struct stat in, out;
	if (fstat(1, &out) || !S_ISREG(out.st_mode))
		return false;
	int rc = strcmp(path, "-") ? stat(path, &in) : fstat(0, &in);
	return !rc && in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

/* Cleans one input to stdout, as text, JSONL or WARC; returns 0, 1 (the
 * input failed) or WN_JSONL_STOPPED (a malformed line stopped it). */
static int clean_input(const cli *c, const cleaners *k, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int e;
	if (k->named) { /* the line head(1) starts each file with, the
			 * name escaped as in messages: a line break in it
			 * would start a line of its own */
		wn_buf nb;
		printf("==> %s <==\n", strcmp(path, "-") ? wn_shown(path, &nb) : "(stdin)");
		if (strcmp(path, "-"))
			wn_buf_free(&nb);
	}
	if (is_stdout_file(path)) {
		const char *shown = strcmp(path, "-") ? path : "(stdin)";
		const char *why = "input file is output file, not read";
		wn_buf b;
		fprintf(stderr, "winnow: %s: %s\n", wn_shown(shown, &b), why);
		wn_buf_free(&b);
		wn_stats_failure(c->stream.stats, shown, 0, why);
		return 1;
	}
	struct stat st;
	if (!c->jsonl && !c->warc && strcmp(path, "-") &&
	    (stat(path, &st) || !S_ISREG(st.st_mode))) {
		/* only a regular file is sniffed for WARC (wn_kind_of): a FIFO
		 * opened and closed for a look could lose its writer's bytes */
		e = wn_read_text(path, &data, &len);
		return clean_to_stdout(k->text, path, c->opts.explain, &c->stream,
				       data, len, e);
	}
	/* a WARC file is found by its first bytes before it is read, and
	 * streamed record by record (reading it first held a 205 MB WET
	 * whole: 205 MB of RSS against 6 MB streamed) */
	switch (wn_kind_of(path, c->jsonl, c->warc)) {
	case WN_INPUT_JSONL:
		return wn_jsonl_path(k->stream, &c->stream, path, stdout);
	case WN_INPUT_WARC:
		return wn_warc_path(k->stream, &c->stream, path, stdout);
	default:
		e = wn_read_text(path, &data, &len);
		return clean_to_stdout(k->text, path, c->opts.explain, &c->stream,
				       data, len, e);
	}
}

static int clean_all_to_stdout(const cli *c, const winnow_rules *r,
			       char **inputs, int ninputs, bool from_list)
{
	cleaners k;
	if (make_cleaners(r, c, &k))
		return EXIT_USAGE;
	k.named = c->opts.explain && (ninputs > 1 || from_list);
	int status = 0;
	if (ninputs == 0 && !from_list) { /* an empty --files0-from list is no input */
		status = clean_input(c, &k, "-") ? EXIT_SOME_FAILED : 0;
		wn_stats_file(c->stream.stats, !status);
	}
	for (int i = 0; i < ninputs && !ferror(stdout); i++) {
		int st = clean_input(c, &k, inputs[i]);
		wn_stats_file(c->stream.stats, !st);
		if (!st)
			continue;
		status = EXIT_SOME_FAILED;
		/* a malformed line stops the run; a file that cannot be read
		 * is reported and the others are cleaned, as in a batch */
		if (st == WN_JSONL_STOPPED)
			break;
	}
	winnow_cleaner_free(k.stream);
	winnow_cleaner_free(k.text);
	return status;
}

/* Splits the --files0-from list into names (pointers into *list).
 * Returns 0, 1 when some entry was empty (reported, left out), or 2. */
static int read_names(const char *from, char **list, char ***names, int *count)
{
	size_t len, n = 0;
	int e = wn_read_all(from, list, &len), status = 0;
	const char *shown = strcmp(from, "-") ? from : "(stdin)";
	if (e) {
		fprintf(stderr, "winnow: %s: %s\n", shown, strerror(e));
		return EXIT_USAGE;
	}
	if (len > (size_t)INT_MAX - 1) {
		fprintf(stderr, "winnow: %s: too many file names\n", shown);
		return EXIT_USAGE;
	}
	*names = wn_xcalloc(len + 1, sizeof **names); /* at most one per byte */
	size_t entry = 0;
	for (char *p = *list, *end = *list + len; p < end; p += strlen(p) + 1) {
		entry++;
		if (!*p) {
			fprintf(stderr, "winnow: %s: entry %zu: empty file name\n", shown, entry);
			status = EXIT_SOME_FAILED;
		} else if (!strcmp(p, "-") && !strcmp(from, "-")) {
			fprintf(stderr, "winnow: %s: entry %zu: '-' cannot name standard input when the names come from it\n",
				shown, entry);
			return EXIT_USAGE;
		} else {
			(*names)[n++] = p;
		}
	}
	*count = (int)n;
	return status;
}

/* Reads the --files0-from list; returns -1 to go on, or an exit status. */
static int prepare_inputs(cli *c, int noperands, char **list, char ***names)
{
	if (!c->files0)
		return -1;
	if (noperands)
		return usage_error("%s", "file operands cannot be combined with --files0-from");
	int st = read_names(c->files0, list, names, &c->nnames);
	if (st == EXIT_USAGE)
		return st;
	c->names_status = st;
	return -1;
}

/* Whether path (st its stat) is the file at real (ss its stat when it
 * exists), or holds it as a directory. */
static bool holds(const char *path, const struct stat *st, const char *real,
		  bool exists, const struct stat *ss)
{
	if (exists && st->st_dev == ss->st_dev && st->st_ino == ss->st_ino)
		return true;
	if (!S_ISDIR(st->st_mode) || !real)
		return false;
	char *dir = realpath(path, NULL);
	bool in = dir && wn_path_within(real, dir);
	free(dir);
	return in;
}

static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does the file at path hold a summary --stats wrote: '{', then its first
 * key "blocks" (the keys are written sorted), white space allowed around
 * both?  A JSONL file starts with '{' too, and is no summary ("--stats
 * data.jsonl" replaced one; a reviewer's find).  An unreadable file
 * counts as not. */
static bool holds_summary(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char head[64];
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	size_t i = 0;
	while (i < n && json_ws(head[i]))
		i++;
	if (i == n || head[i++] != '{')
		return false;
	while (i < n && json_ws(head[i]))
		i++;
	return n - i >= 8 && !memcmp(head + i, "\"blocks\"", 8);
}

/* What is wrong with the --stats FILE, found before the run (not after a
 * batch of hours): it would be written among the outputs in OUTDIR (over
 * one of them, or as a document to whoever reads the tree), it cannot be
 * written (a missing or read-only directory, a directory of that name),
 * or it would replace something the run reads (an input, standard input,
 * a file inside an input directory, a rules file or directory, the
 * --files0-from list).  NULL when nothing is. */
static const char *stats_problem(const cli *c, char **inputs, int ninputs,
				 bool has_stdin, char *why, size_t size)
{
	struct stat ss, st;
	if (!c->stats || !strcmp(c->stats, "-"))
		return NULL;
	char *real = wn_path_resolve(c->stats); /* where it is, or would be */
	if (real && c->outdir) {
		char *out = wn_path_resolve(c->outdir);
		bool in = out && wn_path_within(real, out);
		free(out);
		if (in) {
			free(real);
			snprintf(why, size, "would be written among the outputs in %s "
				 "(put it beside the output directory)", c->outdir);
			return why;
		}
	}
	bool exists = !stat(c->stats, &ss);
	int e = 0;
	if (!exists) { /* a new file: its directory must take it */
		char *dir = wn_xstrndup(c->stats, strlen(c->stats));
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0'; /* "/x" -> "/" */
		e = access(slash ? dir : ".", W_OK | X_OK) ? errno : 0;
		free(dir);
	} else if (S_ISDIR(ss.st_mode)) {
		e = EISDIR;
	} else if (access(c->stats, W_OK)) {
		e = errno;
	}
	if (e) {
		free(real);
		return strerror(e);
	}
	const char *hit = NULL, *what = "an input";
	if (exists && has_stdin && !fstat(0, &st) && st.st_dev == ss.st_dev &&
	    st.st_ino == ss.st_ino)
		hit = "standard input";
	/* "--stats out.txt page.txt > out.txt" would replace the cleaned text */
	if (!hit && exists && !c->outdir && !fstat(1, &st) && S_ISREG(st.st_mode) &&
	    st.st_dev == ss.st_dev && st.st_ino == ss.st_ino) {
		hit = "standard output";
		what = "the cleaned text";
	}
	for (int i = 0; i < ninputs && !hit; i++)
		if (strcmp(inputs[i], "-") && !stat(inputs[i], &st) &&
		    holds(inputs[i], &st, real, exists, &ss))
			hit = inputs[i];
	for (size_t i = 0; i < c->nrules && !hit; i++)
		if (!stat(c->rules[i], &st) && holds(c->rules[i], &st, real, exists, &ss)) {
			hit = c->rules[i];
			what = exists ? "a rules file" : "a rules";
		}
	if (!hit && c->files0 && strcmp(c->files0, "-") && !stat(c->files0, &st) &&
	    holds(c->files0, &st, real, exists, &ss)) {
		hit = c->files0;
		what = "the --files0-from list";
	}
	free(real);
	if (!hit) {
		/* a read-only file (root may write it, but its mode says no), or
		 * one that holds something other than a summary: "winnow --stats
		 * page.txt" with the page meant as the input replaced the page with
		 * the summary of an empty standard input */
		if (exists && S_ISREG(ss.st_mode) &&
		    !(ss.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
			return "is read-only: not replaced (make it writable, or name another file)";
		if (exists && S_ISREG(ss.st_mode) && ss.st_size > 0 && !holds_summary(c->stats))
			return "holds something other than a JSON summary: not replaced "
			       "(--stats takes a file name: --stats OUT.json FILE...)";
		return NULL;
	}
	snprintf(why, size, exists ? "would overwrite %s (%s)"
				   : "would be written inside %s directory (%s)",
		 what, hit);
	return why;
}

/* Refusals that depend on the inputs; returns -1 to go on, or 2. */
static int check_inputs(const cli *c, char **inputs, int ninputs)
{
	bool from_list = c->files0 != NULL;
	if (!c->outdir && !c->learn_cmd) {
		for (int i = 0; i < ninputs; i++)
			if (is_dir(inputs[i]))
				return usage_error("%s is a directory: give -o OUTDIR for a batch",
						   inputs[i]);
	} else if (c->outdir && ninputs == 0) {
		return usage_error("%s", "-o needs FILE or DIR arguments");
	}
	bool has_stdin = ninputs == 0 && !from_list;
	for (int i = 0; i < ninputs; i++)
		has_stdin |= !strcmp(inputs[i], "-");
	if (c->learn && !c->learn_cmd && has_stdin)
		return usage_error("%s", "--learn reads its inputs twice, which standard input "
				   "cannot be: save it to a file, or use 'winnow learn' first");
	/* the same for a pipe or a device named as a file (<(cmd), a FIFO,
	 * /dev/stdin): the counting pass would drain it, and the cleaning
	 * pass would find nothing (a reviewer's find) */
	for (int i = 0; c->learn && !c->learn_cmd && i < ninputs; i++) {
		struct stat st;
		if (strcmp(inputs[i], "-") && !stat(inputs[i], &st) &&
		    !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return usage_error("--learn reads its inputs twice, which %s (not a "
					   "regular file) cannot be: save it to a file, or use "
					   "'winnow learn' first", inputs[i]);
	}
	char buf[PATH_MAX + 64];
	const char *why = stats_problem(c, inputs, ninputs, has_stdin, buf, sizeof buf);
	if (why) {
		fprintf(stderr, "winnow: --stats %s: %s\n", c->stats, why);
		return EXIT_USAGE;
	}
	return -1;
}

/* --learn without -o: count the files, then clean them to stdout. */
static int learn_to_stdout(cli *c, winnow_rules *r, const wn_batch_opts *b,
			   char **inputs, int ninputs)
{
	if (c->learn) {
		wn_learn *l = wn_learn_new(b->learn_memory);
		/* problems are reported by the cleaning that follows */
		int st = wn_batch_learn(b, inputs, (size_t)ninputs, l, false);
		if (st != EXIT_USAGE)
			st = wn_learn_apply(r, l, c->quiet, c->stream.stats);
		wn_learn_free(l);
		if (st == EXIT_USAGE)
			return st;
	}
	return clean_all_to_stdout(c, r, inputs, ninputs, c->files0 != NULL);
}

static int run(cli *c, char **inputs, int ninputs)
{
	int status = check_inputs(c, inputs, ninputs);
	if (status >= 0)
		return status;
	winnow_rules *r = load_rules(c);
	if (!r)
		return EXIT_USAGE;
	winnow_options to, so;
	cleaner_options(c, &to, &so);
	c->stream.stats = c->stats ? wn_stats_new() : NULL;
	wn_batch_opts b = {.rules = r, .opts = &to, .explain = c->opts.explain,
			   .outdir = c->outdir, .jobs = c->jobs ? c->jobs : default_jobs(),
			   .quiet = c->quiet, .stream = &c->stream, .stream_opts = &so,
			   .jsonl = c->jsonl, .warc = c->warc,
			   .counts_only = c->stats && !c->opts.explain,
			   .stream_counts_only = c->stats && !c->stream.annotate,
			   .learn_into = c->learn ? r : NULL,
			   .learn_memory = c->learn_memory ? c->learn_memory : (size_t)512 << 20};
	if (c->learn_cmd) {
		wn_learn_cmd lc = {.batch = &b, .counts = c->counts,
				   .from_counts = c->from_counts};
		status = wn_learn_command(&lc, inputs, (size_t)ninputs);
	} else if (c->outdir) {
		status = wn_batch_run(&b, inputs, (size_t)ninputs);
	} else {
		status = learn_to_stdout(c, r, &b, inputs, ninputs);
	}
	if (c->stream.stats && wn_stats_write(c->stream.stats, c->stats))
		status = EXIT_USAGE;
	wn_stats_free(c->stream.stats);
	winnow_rules_free(r);
	return status;
}

/* Out of memory: the batch's temporary files go, and the exit is 2 (a
 * system error), not an abort. */
static void cli_oom(void)
{
	wn_batch_remove_temps();
	_exit(EXIT_USAGE);
}

/* When descriptor fd is closed, opens dev on it; true when it then
 * holds dev. */
static bool hold_if_closed(int fd, const char *dev)
{
	if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
		return false;
	int h = open(dev, O_WRONLY);
	if (h < 0 || h == fd)
		return h == fd;
	bool held = dup2(h, fd) == fd;
	close(h);
	return held;
}

int main(int argc, char **argv)
{
	wn_set_oom_hook(cli_oom);
	/* A closed standard output (">&-") suits a run that prints nothing,
	 * a batch: its first output file must not take the descriptor, so
	 * /dev/full holds it, where printing anything fails.  A closed
	 * standard error ("2>&-") the same, with /dev/null, where messages go
	 * unread (the output file that took descriptor 2 got the warnings; a
	 * reviewer's find).  Standard output first: on descriptor 1 even when
	 * 0 is closed too. */
	stdout_closed = hold_if_closed(STDOUT_FILENO, "/dev/full");
	hold_if_closed(STDERR_FILENO, "/dev/null");
	cli c;
	memset(&c, 0, sizeof c);
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, (int)wn_thresholds.malloc_mmap);
	mallopt(M_TRIM_THRESHOLD, (int)wn_thresholds.malloc_trim);
#endif
	/* past a file-size limit (ulimit -f) write(2) fails with EFBIG, which
	 * is reported like a full disk (exit 2, temporary files removed),
	 * instead of the signal killing us mid-file */
	signal(SIGXFSZ, SIG_IGN);
	winnow_options_init(&c.opts);
	c.opts.input = WINNOW_INPUT_AUTO;
	c.stream.text_key = "text";
	c.stream.url_key = "url";
	c.stream.on_error = WN_ON_ERROR_KEEP;
	if (argc > 1 && !strcmp(argv[1], "learn")) { /* a file named learn: ./learn */
		c.learn_cmd = true;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	c.rules = calloc((size_t)argc + 1, sizeof(char *));
	if (!c.rules) {
		fputs("winnow: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	int status = parse_args(argc, argv, &c);
	char *list = NULL, **names = NULL;
	if (status < 0)
		status = prepare_inputs(&c, argc - optind, &list, &names);
	if (status < 0) {
		status = names ? run(&c, names, c.nnames) : run(&c, argv + optind, argc - optind);
		if (c.names_status > status)
			status = c.names_status;
	}
	free(names);
	free(list);
	free(c.rules);
	/* a full disk must not pass silently as a truncated output */
	if (fflush(stdout) || ferror(stdout) || (!stdout_closed && fclose(stdout))) {
		stdout_error();
		return EXIT_USAGE;
	}
	return status;
}
