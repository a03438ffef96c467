/* normalize.h - the Unicode stage (utf8proc).  Internal. */
#ifndef WINNOW_NORMALIZE_H
#define WINNOW_NORMALIZE_H

#include "util.h"

typedef struct wn_norm_opts {
	bool nfkc;        /* NFKC instead of NFC */
	bool ascii_punct; /* curly quotes, dashes, ellipsis -> ASCII */
} wn_norm_opts;

/* Make any byte string valid UTF-8.  Valid sequences are copied; each byte
 * that does not start a valid sequence is decoded as windows-1252 when
 * cp1252 defines it (0x80-0x9F except 81 8D 8F 90 9D, and every 0xA0-0xFF),
 * else replaced by U+FFFD.  Overlong forms, surrogates (ED A0..BF) and
 * code points above U+10FFFF are invalid.  Appends to *out; adds the
 * number of repaired bytes to *repairs (may be NULL).  Never fails. */
void wn_utf8_repair(const char *in, size_t len, wn_buf *out, size_t *repairs);

/* True when in[0..len) is valid UTF-8 (same definition as above). */
bool wn_utf8_valid(const char *in, size_t len);

/* Writes code point cp (at most U+10FFFF) as UTF-8 at o, which has room
 * for 4 bytes; returns the bytes written. */
size_t wn_utf8_encode(int32_t cp, char *o);

/* Repairs mojibake: UTF-8 that was once read as windows-1252 or Latin-1
 * and written out again as UTF-8 ("donâ€™t", "cafÃ©" for "don't",
 * "café"), in as many layers as it was done.  in must be valid UTF-8.
 * When a sequence is found, appends the repaired text to out, adds the
 * sequences replaced to *fixes (if not NULL) and returns true; else
 * returns false and leaves out alone.  A sequence is replaced only when
 * its bytes are one well-formed UTF-8 character that mojibake usually
 * hides: Latin letters, Latin-1 signs, typographic punctuation; one that
 * real text makes too (an uppercase letter before a closing quote, an
 * ellipsis, NBSP: "MAÇÃ»") only when in holds an unmistakable one. */
bool wn_mojibake_fix(const char *in, size_t len, wn_buf *out, size_t *fixes);
/* wn_mojibake_fix on s[0..*len) in place, for a caller whose bytes they
 * are to rewrite: the text only shrinks, *len is its new length and
 * nothing at or past it is written (not even a NUL). */
bool wn_mojibake_fix_in_place(char *s, size_t *len, size_t *fixes);

/* Normalize valid UTF-8 text and append it to *out, in this order:
 * mojibake repaired (wn_mojibake_fix); CRLF, CR, NEL (U+0085), U+2028, U+2029 -> LF; drop C0/C1 controls except
 * TAB and LF; drop BOM/U+FEFF, soft hyphen U+00AD, zero-width space U+200B,
 * word joiner U+2060 (keep ZWJ U+200D and ZWNJ U+200C); NBSP and every
 * other Zs space separator (and TAB) -> ' '; collapse runs of spaces; trim
 * spaces at the start and end of every line; expand ligatures U+FB00-FB06
 * (ff fi fl ffi ffl ſt st); NFC (or NFKC with o->nfkc); with o->ascii_punct
 * map ‘ ’ ‚ ‛ ′ -> ', “ ” „ ‟ ″ « » -> ", ‐ ‑ ‒ – — ― − -> -, … -> ...
 * Idempotent: normalizing the output again changes nothing.
 * Input must be valid UTF-8 (run wn_utf8_repair first).  o may be NULL
 * (defaults: NFC, no ASCII mapping).
 * Details: DEL (0x7F) counts as a C0 control.  Each call starts at the
 * start of a line, so a CR LF split across two calls gives two newlines.
 * More than 30 combining marks in a row (text that is not stream-safe,
 * UAX #15) get a U+034F COMBINING GRAPHEME JOINER after every 30th, which
 * keeps time and memory linear.  Invalid bytes, if any slip through, are
 * read as U+FFFD; they never cause out-of-bounds reads. */
void wn_normalize(const char *in, size_t len, const wn_norm_opts *o, wn_buf *out);

/* No code point from here up has a decomposition (Unicode 15: the last
 * is U+2FA1D, in the CJK compatibility ideographs of plane 2; planes 3
 * to 16 hold ideographs, tags, variation selectors and private use), so
 * the tables of the engine are built below it (start-up: a third of it
 * went to the planes above).  test_normalize checks it against the
 * utf8proc linked. */
#define WN_DECOMP_END 0x30000

/* The matching key of one line (rules, duplicate detection, stopwords):
 * NFKC + case fold (utf8proc), every run of white space -> one ' ',
 * leading/trailing white space and Unicode punctuation (categories P*)
 * stripped.  Symbols (S*, e.g. © °) are kept.  Input valid UTF-8.
 * Replaces the contents of *out. */
void wn_key(const char *in, size_t len, wn_buf *out);
/* The same key appended to *out, after what it holds.  Stretches of
 * ASCII text take a fast path; the rest goes through the engine. */
void wn_key_append(const char *in, size_t len, wn_buf *out);
/* wn_key with the whole line through the engine, the definition the fast
 * paths must agree with (for the tests). */
void wn_key_engine(const char *in, size_t len, wn_buf *out);

#endif
