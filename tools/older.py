#!/usr/bin/python3
"""Clean a page as if it were written years earlier: winnow's era check.

The three development sets differ by era as much as by kind: CleanEval's
pages are of 2007 and its gold keeps reader comments, lists and teasers,
ScrapingHub's and WCXB's are of 2019 and later and keep the article only.
A model that tells the eras apart by the years a page names would clean
a news story of 2012 as CleanEval's gold reads pages, which is not what
a user cleaning a news archive wants.  This script moves every year a
page names (1990-2039, four digits with no letter or digit either side)
by WN_YEARS (default -5), then runs winnow on the result, so that a news
set's score can be compared with and without the shift:

    WN_BIN=build/winnow WN_YEARS=-5 tools/train.py build/winnow \\
        ../shared/eval --folds 5 --seed 1 --clean-with tools/older.py

(the fold models are fitted on the pages as they are; the held-out pages
are cleaned shifted).  Reads standard input, passes its arguments on to
WN_BIN (default: winnow on PATH) and exits with its status.  Bytes that
are not years are passed through unchanged.

The output then names the shifted years, so it is scored against a gold
shifted the same way, not against the sets' own (whose years would no
longer match and cost every shingle that holds one):

    WN_YEARS=-5 tools/older.py --gold ../shared/eval GOLD5
    python3 ../shared/eval/score.py CV_OUT/scrapinghub GOLD5/scrapinghub

writes each set's ID.gold.txt, shifted, and its ids under GOLD5.
"""
import os
import re
import subprocess
import sys

YEAR = re.compile(rb'(?<![0-9A-Za-z])(199[0-9]|20[0-3][0-9])(?![0-9A-Za-z])')


def older(text, shift):
    return YEAR.sub(lambda m: str(int(m.group(1)) + shift).encode(), text)


def shift_gold(src, dst, shift):
    for s in sorted(os.listdir(src)):
        if not os.path.isfile(os.path.join(src, s, 'ids')):
            continue
        os.makedirs(os.path.join(dst, s), exist_ok=True)
        for f in os.listdir(os.path.join(src, s)):
            if f.endswith('.gold.txt') or f == 'ids':
                with open(os.path.join(src, s, f), 'rb') as g:
                    text = g.read()
                with open(os.path.join(dst, s, f), 'wb') as g:
                    g.write(older(text, shift) if f != 'ids' else text)


def main():
    shift = int(os.environ.get('WN_YEARS', '-5'))
    if sys.argv[1:2] == ['--gold']:
        if len(sys.argv) != 4:
            sys.exit('usage: tools/older.py --gold EVAL_DIR OUT_DIR')
        shift_gold(sys.argv[2], sys.argv[3], shift)
        return
    page = older(sys.stdin.buffer.read(), shift)
    binary = os.environ.get('WN_BIN', 'winnow')
    sys.exit(subprocess.run([binary] + sys.argv[1:], input=page).returncode)


if __name__ == '__main__':
    main()
