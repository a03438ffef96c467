/* embedded.h - the default rules, compiled in by tools/embed_rules.py. */
#ifndef WINNOW_EMBEDDED_H
#define WINNOW_EMBEDDED_H
#include <stddef.h>

typedef struct wn_embedded {
	const char *name; /* "rules/en.rules", "rules/stop/en.txt" */
	const char *text;
	size_t len;
} wn_embedded;

extern const wn_embedded wn_default_rules[];
extern const size_t wn_default_rules_count;
#endif
