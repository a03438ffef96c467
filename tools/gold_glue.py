#!/usr/bin/python3
"""How much of a set's score its gold's glued words cost.

usage: tools/gold_glue.py PRED_DIR SET_DIR OUT_DIR
  PRED_DIR  a cleaner's outputs, ID.txt (run.sh's, or train.py --cv-out's)
  SET_DIR   one set of ../shared/eval (ID.html, ID.gold.txt, ids)
  OUT_DIR   written: a copy of the set's gold (ID.gold.txt, ids) with the
            glued words split; score it with
            python3 ../shared/eval/score.py PRED_DIR OUT_DIR

CleanEval's gold joins two words where the page's HTML has only a line
break between them ("passage\\nin" is "passagein" in the gold), as if its
makers dropped the source's line breaks without putting a space in; a
browser, and winnow, make that break a space (HTML's white space rules).
Each such joined word breaks the 4-token shingles around it.  A gold token
is split when it is two adjacent tokens of the cleaner's output joined,
occurs in that output as no token of its own, and the page's HTML holds
the two words with white space holding a line break between them.  The
cleaner is not changed: this measures the benchmark, it does not tune to
it.  ScrapingHub's and WCXB's gold have no such words (0 split).

Prints how many gold tokens were split.
"""
import os
import re
import sys

TOKEN = re.compile(r'\w+')  # score.py's tokens


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def line_break_between(src, a, b):
    """Does src hold word a, then white space with a line break, then b?"""
    pat = re.escape(a) + r'[ \t]*\r?\n\s*' + re.escape(b)
    return re.search(pat, src) is not None


def split_glued(gold, pred, src):
    """gold with its glued words split; and how many were."""
    toks = TOKEN.findall(pred)
    own = set(toks)
    pairs = {}
    for a, b in zip(toks, toks[1:]):
        pairs.setdefault(a + b, (a, b))
    seen = {}
    count = 0

    def fix(m):
        nonlocal count
        w = m.group(0)
        if w not in pairs or w in own:
            return w
        if w not in seen:
            seen[w] = line_break_between(src, *pairs[w])
        if not seen[w]:
            return w
        count += 1
        return pairs[w][0] + ' ' + pairs[w][1]

    return TOKEN.sub(fix, gold), count


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pred_dir, set_dir, out_dir = sys.argv[1:]
    ids = [l.strip() for l in read(os.path.join(set_dir, 'ids')).split('\n') if l.strip()]
    os.makedirs(out_dir, exist_ok=True)
    split = total = 0
    for i in ids:
        gold = read(os.path.join(set_dir, i + '.gold.txt'))
        p = os.path.join(pred_dir, i + '.txt')
        pred = read(p) if os.path.exists(p) else ''
        h = os.path.join(set_dir, i + '.html')
        src = read(h) if os.path.exists(h) else ''
        fixed, n = split_glued(gold, pred, src)
        split += n
        total += len(TOKEN.findall(gold))
        with open(os.path.join(out_dir, i + '.gold.txt'), 'w', encoding='utf-8') as f:
            f.write(fixed)
    with open(os.path.join(out_dir, 'ids'), 'w') as f:
        f.write('\n'.join(ids) + '\n')
    print('gold tokens split: %d of %d' % (split, total))


if __name__ == '__main__':
    main()
