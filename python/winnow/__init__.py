"""winnow: strip the boilerplate from scraped news text.

A binding of libwinnow.  It removes menus, breadcrumbs, bylines, share
rows, "Related posts", comment forms, cookie notices and the like, keeps
the article, and repairs and normalizes its Unicode.

    >>> import winnow
    >>> article = winnow.clean(page_text)
    >>> cleaner = winnow.Cleaner(rules="site.rules", no_title=True)
    >>> cleaner.clean(other_page)           # reusable, thread-safe
    >>> for block in cleaner.explain(other_page):
    ...     print(block.line, block.kept, block.reason)

Errors: OSError when a rules path cannot be read, ValueError for a
malformed rules file (the message names its file:line) or an unknown
language, TypeError for arguments of the wrong type.
"""

import functools

from ._winnow import Block, Cleaner, __version__

__all__ = ["Block", "Cleaner", "clean", "__version__"]


@functools.lru_cache(maxsize=16, typed=True)  # typed: 1 is not True
def _cached_cleaner(html, no_title, lang, nfkc, ascii_punct, default_rules):
    # Loading the built-in rules costs far more than cleaning a page, so
    # clean() keeps one Cleaner per option set (a Cleaner is thread-safe).
    return Cleaner(default_rules=default_rules, html=html, no_title=no_title,
                   lang=lang, nfkc=nfkc, ascii_punct=ascii_punct)


def clean(text, *, html=None, no_title=False, lang=None, nfkc=False,
          ascii_punct=False, rules=None, default_rules=True):
    """Return the article in text, its boilerplate removed.

    text is a str, or bytes read as UTF-8 (invalid sequences are
    repaired, never an error).  html=None detects HTML pages, True reads
    HTML, False reads text with one block per line.  no_title drops the
    headline; lang forces a stoplist ('en', 'de'...); nfkc normalizes to
    NFKC instead of NFC; ascii_punct turns curly quotes, dashes and the
    ellipsis into ASCII.  rules is a path or a list of paths (rules files
    or directories) added to the built-in rules, which default_rules=False
    leaves out.

    Without rules, the Cleaner for each set of options is made once and
    reused; with rules, the files are read on every call, so make a
    Cleaner yourself to clean many documents with them.
    """
    if rules is None and (lang is None or isinstance(lang, str)):
        # passed as given: Cleaner() refuses a flag that is not a bool
        cleaner = _cached_cleaner(html, no_title, lang, nfkc, ascii_punct,
                                  default_rules)
    else:
        cleaner = Cleaner(rules, default_rules, html=html, no_title=no_title,
                          lang=lang, nfkc=nfkc, ascii_punct=ascii_punct)
    return cleaner.clean(text)
