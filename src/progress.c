/* progress.c - the progress line: "\r" and the line, then "ESC[K" to
 * clear what a longer line left; cleared the same way at the end. */
#include "progress.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Four redraws a second: enough to look alive, few enough to cost
 * nothing and not to flicker. */
#define REDRAW_NS 250000000LL

struct wn_progress {
	pthread_mutex_t lock;
	const char *what;
	size_t files, done;
	uint64_t bytes, bytes_done;
	long long start, last; /* monotonic ns */
};

/* While the line is up, stderr is a stream of ours over descriptor 2
 * that clears the line before any message, wherever in the program it is
 * written from ("winnow: in/x.bin: binary file" used to follow the line's
 * "ETA 0:01" on the same row; a reviewer's find); the line is drawn again
 * at the next redraw.  The stream is unbuffered, so each fprintf reaches
 * it whole (glibc hands longer ones over in parts: only a message's
 * first part clears). */
static FILE *saved_stderr;
static bool in_message; /* a message's first part went out, not its end */

static void write_all(const char *b, size_t n)
{
	while (n) {
		ssize_t k = write(STDERR_FILENO, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return; /* a message that cannot be shown is dropped */
		b += k;
		n -= (size_t)k;
	}
}

static ssize_t clearing_write(void *cookie, const char *b, size_t n)
{
	(void)cookie;
	if (n && b[0] != '\r' && !in_message)
		write_all("\r\033[K", 4);
	if (n)
		in_message = b[0] != '\r' && b[n - 1] != '\n';
	write_all(b, n);
	return (ssize_t)n;
}

static void clear_messages_on(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){.write = clearing_write});
	if (!f)
		return; /* messages then share the line's row, as before */
	setvbuf(f, NULL, _IONBF, 0);
	saved_stderr = stderr;
	in_message = false;
	stderr = f;
}

static void clear_messages_off(void)
{
	if (!saved_stderr)
		return;
	FILE *f = stderr;
	stderr = saved_stderr;
	saved_stderr = NULL;
	fclose(f);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void draw(const wn_progress *p, long long t)
{
	double secs = (double)(t - p->start) / 1e9;
	double rate = secs > 0 ? (double)p->bytes_done / secs : 0;
	char eta[32] = "--:--";
	if (rate > 0 && p->bytes >= p->bytes_done) {
		long left = (long)((double)(p->bytes - p->bytes_done) / rate + 0.5);
		if (left >= 3600)
			snprintf(eta, sizeof eta, "%ld:%02ld:%02ld", left / 3600,
				 left / 60 % 60, left % 60);
		else
			snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
	}
	/* one call: glibc writes it at once on unbuffered stderr, so a
	 * message of another thread does not split it */
	fprintf(stderr, "\rwinnow: %s %zu/%zu files, %.1f MB/s, ETA %s\033[K",
		p->what, p->done, p->files, rate / 1e6, eta);
}

wn_progress *wn_progress_start(const char *what, size_t files, uint64_t bytes,
			       bool off)
{
	if (off || !isatty(STDERR_FILENO))
		return NULL;
	wn_progress *p = wn_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	p->what = what;
	p->files = files;
	p->bytes = bytes;
	p->start = p->last = now_ns();
	clear_messages_on(); /* before the workers start, off after they end */
	draw(p, p->start);
	return p;
}

void wn_progress_step(wn_progress *p, uint64_t bytes)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->done++;
	p->bytes_done += bytes;
	long long t = now_ns();
	if (t - p->last >= REDRAW_NS) {
		p->last = t;
		draw(p, t);
	}
	pthread_mutex_unlock(&p->lock);
}

void wn_progress_end(wn_progress *p)
{
	if (!p)
		return;
	clear_messages_off();
	fputs("\r\033[K", stderr);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
