/* main.c - the winnow command: option parsing and exit codes. */
#include "batch.h"
#include "winnow.h"

#include <errno.h>
#include <getopt.h>
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
"Strip boilerplate (menus, comment forms, related links, bylines...) from\n"
"scraped text, one block per line, and print the article.\n"
"\n"
"With no FILE, or FILE '-', read standard input and write standard output.\n"
"FILE arguments are cleaned to standard output, in order.  DIR arguments\n"
"need -o: every regular file under DIR is cleaned into the same relative\n"
"path under OUTDIR.\n"
"\n"
"Options:\n"
"  -o, --output DIR        write cleaned files under DIR (batch mode)\n"
"  -j, --jobs N            batch worker threads (default: online CPUs)\n"
"  -r, --rules PATH        add a rules file, or a directory of *.rules\n"
"                          (and stop/LANG.txt stoplists); repeatable\n"
"      --no-default-rules  leave the built-in rules and stoplists out\n"
"      --no-title          drop the headline line\n"
"      --lang LANG         use LANG's stoplist (en de fr es it pt nl ru pl)\n"
"                          instead of detecting the language\n"
"      --nfkc              NFKC instead of NFC\n"
"      --ascii-punct       curly quotes, dashes, ellipsis to ASCII\n"
"      --explain           print every block with its decision and reason\n"
"      --features          like --explain, with the model's score and each\n"
"                          block's feature vector (for tools/train.py)\n"
"  -q, --quiet             no messages for skipped files in a batch\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Exit status: 0 all good, 1 some inputs failed, 2 usage or system error.\n"
"Rules language: see rules/README.md or winnow(1).\n", f);
}

typedef struct cli {
	winnow_options opts;
	const char **rules;
	size_t nrules;
	bool no_defaults;
	const char *outdir;
	int jobs;
	bool quiet;
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

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, cli *c)
{
	enum { O_NO_DEFAULTS = 256, O_NO_TITLE, O_LANG, O_NFKC, O_ASCII,
	       O_EXPLAIN, O_FEATURES };
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
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;
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
	return -1;
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

/* Cleans one file (or "-") to stdout; returns 0 or 1 (input failed). */
static int clean_to_stdout(winnow_cleaner *cl, const char *path, bool explain)
{
	char *data;
	size_t len;
	const char *shown = strcmp(path, "-") ? path : "(stdin)";
	int e = wn_read_all(path, &data, &len);
	if (e) {
		fprintf(stderr, "winnow: %s: %s\n", shown, strerror(e));
		return 1;
	}
	const char *why = wn_not_text(data, len);
	if (why) {
		fprintf(stderr, "winnow: %s: %s\n", shown, why);
		free(data);
		return 1;
	}
	winnow_result *res = winnow_clean(cl, data, len);
	wn_buf out;
	wn_buf_init(&out);
	wn_render_result(res, explain, &out);
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	wn_buf_free(&out);
	winnow_result_free(res);
	free(data);
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return strcmp(p, "-") && !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int run(cli *c, char **inputs, int ninputs)
{
	if (!c->outdir) {
		for (int i = 0; i < ninputs; i++)
			if (is_dir(inputs[i]))
				return usage_error("%s is a directory: give -o OUTDIR for a batch",
						   inputs[i]);
	} else if (ninputs == 0) {
		return usage_error("%s", "-o needs FILE or DIR arguments");
	}
	winnow_rules *r = load_rules(c);
	if (!r)
		return EXIT_USAGE;
	int status = 0;
	if (c->outdir) {
		wn_batch_opts b = {.rules = r, .opts = &c->opts, .outdir = c->outdir,
				   .jobs = c->jobs ? c->jobs : default_jobs(),
				   .quiet = c->quiet};
		status = wn_batch_run(&b, inputs, (size_t)ninputs);
	} else {
		winnow_error err;
		winnow_cleaner *cl = winnow_cleaner_new(r, &c->opts, &err);
		if (!cl) {
			wn_print_error(&err);
			winnow_rules_free(r);
			return EXIT_USAGE;
		}
		if (ninputs == 0)
			status = clean_to_stdout(cl, "-", c->opts.explain);
		for (int i = 0; i < ninputs; i++)
			if (clean_to_stdout(cl, inputs[i], c->opts.explain))
				status = EXIT_SOME_FAILED;
		winnow_cleaner_free(cl);
	}
	winnow_rules_free(r);
	return status;
}

int main(int argc, char **argv)
{
	cli c;
	memset(&c, 0, sizeof c);
	winnow_options_init(&c.opts);
	c.rules = calloc((size_t)argc + 1, sizeof(char *));
	if (!c.rules) {
		fputs("winnow: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	int status = parse_args(argc, argv, &c);
	if (status < 0)
		status = run(&c, argv + optind, argc - optind);
	free(c.rules);
	/* a full disk must not pass silently as a truncated output */
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		fprintf(stderr, "winnow: error writing standard output: %s\n",
			strerror(errno ? errno : EIO));
		return EXIT_USAGE;
	}
	return status;
}
