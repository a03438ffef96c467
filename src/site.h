/* site.h - what a document's site is: the name rules are scoped to
 * (rules/README.md, "site") and cross-document learning counts by
 * (learn.c).  Internal; winnow_url_host() in winnow.h is the public part. */
#ifndef WINNOW_SITE_H
#define WINNOW_SITE_H

#include "util.h"

/* Longer site names are no site (hosts have at most 253 bytes, file
 * names 255). */
#define WN_SITE_MAX 255

/* Normalizes a site name into *out (replacing its contents): ASCII white
 * space at both ends trimmed and inside turned into '_', ASCII lower
 * case, one leading "www." and one trailing '.' removed, invalid UTF-8
 * repaired, C0 controls and DEL turned into '_'.  Returns false (out
 * empty) when nothing is left, the name is "-" or "*" (the rules
 * language's words for "no site" and "every document"), it holds a NUL,
 * or it is longer than WN_SITE_MAX bytes: the document has no site.
 * Idempotent. */
bool wn_site_norm(const char *name, size_t len, wn_buf *out);

#endif
