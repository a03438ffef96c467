#!/usr/bin/python3
"""Fit winnow's block model (rules/block.model) on labelled pages.

usage: tools/train.py WINNOW EVAL_DIR [--sets a,b,c] [--out rules/block.model]
                      [--folds K] [--seed N] [--input text|html]
                      [--stack-folds K] [--trees N] [--depth N] [--rate R]
                      [--bins N] [--lambda L] [--min-hess H] [--subsample S]
                      [--cv-out DIR] [--clean-with WINNOW2] [--jobs N]
                      [--keep-folds DIR] [--reclean DIR]
                      [--no-lex] [--lex-min-pages N]
                      [--lex-smooth A] [--no-cls] [--cls-min-pages N]
                      [--drop-feats NAME,...]

With --input html it fits rules/html.model, the model for HTML input, on
the pages' ID.html (labels then come from the blocks winnow makes of the
page, with the same rule against the gold text).

WINNOW is a built winnow binary; EVAL_DIR holds data sets in the layout of
../shared/eval (ID.txt, ID.gold.txt, ids, and score.py beside them).

Every block of every page becomes one example.  Its label comes from the
gold text exactly as score.py's line metric labels input lines (a line is
article text when at least half its tokens lie in a 4-token window found in
the gold).  Its features come from `winnow --features`, so this script
recomputes no feature but the weighted-word ones: the C code is the
definition.  Those are the word-weight features (lex, lex_win) and, for
HTML, the class-word features (cls_min, cls_max, cls_near), whose
weights differ per training page (below); lex_columns and cls_columns
compute them here, and check_lex compares them with winnow's on the
fitted model.  Blocks the
breadcrumb pass or the HTML headline decided are left out; blocks a rule
decided stay in the fit, although the model never sees them at run time:
they always have (a test for "rules/" never matched the temporary path
the rules are read from here), and leaving them out, tried in session
24 on one split, did no better (0.8864 / 0.9292 / 0.9100 against 0.8957
/ 0.9293 / 0.9115; ScrapingHub's difference about the refit's noise).
They are more chrome to learn from.

Stage 1 is gradient-boosted regression trees (logistic loss) on the block's
own and its neighbours' features, two of which are word weights fitted
here too (fit_lexicon: a word's log-odds of being on a page's article
blocks rather than its chrome; "word" lines in the model).  A training
page's word features come from weights fitted without it (LEX_FOLDS inner
folds), since weights that saw a page's own article would vouch for it;
--no-lex fits without them.  For HTML the words of the block's elements'
class and id attributes get weights the same way (fit_classes; "class"
lines; --no-cls fits without them).  Stage 2 is an L2-regularised logistic
regression on stage 1's probabilities around the block.  Examples are
weighted by the square root of their token count, so long paragraphs count
more than menu items without drowning them.  With --stack-folds K (off by
default; with word weights K must equal LEX_FOLDS, 5, as the weights'
inner folds are used), stage 2
learns from stage-1 probabilities of models that did not see the page
(K inner folds over the training pages; the final stage 1 still sees them
all), so that it weighs stage 1 as it will do on unseen pages.  The stage-1
options (--trees ... --subsample) override the GB_ settings below.

A page's stage-1 features and labels do not depend on the model (but for
the word-weight columns, filled in here), so each page is run through
`winnow --features` once and cached; only the stage-2 features are
recomputed per stage-1 model.  --jobs winnow processes run at
a time.

With --folds K the pages are split into K folds; for each, a model is
fitted on the others and winnow runs with it on the held-out pages, which
are then scored with score.py: the cross-validated F1 printed at the end is
an estimate for pages the model has not seen.  --keep-folds DIR keeps
the fold models (DIR/MODE/foldK/, MODE text or html) and which pages
each held out (DIR/MODE/folds.tsv, one run's per mode); --reclean DIR
then fits nothing and cleans every page again with the fold model that
held it out, with WINNOW and today's
rules: a change of rules or code that leaves the shipped model as it
is, measured held out in a minute and without a refit's noise (a refit
moves pages no change touches, by more than such a change moves the
pages it does: doc/quality.md, "The shipped configuration, held out").
--folds-from FILE takes each page's fold from a folds.tsv instead of
--seed: text fold models that held out the pages an HTML run did.  HTML
pages in older markup read the text model too (classify.c), so an HTML
run measures what ships only with --text-folds DIR, a text run's
--keep-folds on the same folds: fold K's block.model is read beside
fold K's html.model (checked against DIR/text/folds.tsv; without it the
run says that it cleans with the HTML model alone).  One --seed gives
both modes the same pages per fold already; the fold numbers of a
folds.tsv converted by hand may differ.

Needs numpy (Debian: python3-numpy).
"""
import argparse
import concurrent.futures
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

import numpy as np

WEIGHT = 'sqrt'    # a block weighs sqrt(its tokens); 'tokens': its tokens
NFEAT1 = NFEAT2 = 0  # from src/model.c's name lists (feature_names)
L2 = 1e-3          # ridge strength on standardised features
NEWTON_STEPS = 50  # converges in about 10
THRESHOLD = 0.6    # keep at p >= 0.6: the best of 0.4-0.8 on the dev sets
                   # (precision matters more to the shingle F1 of news)
GB_TREES = 150     # boosting rounds for stage 1
GB_DEPTH = 4       # 16 leaves a tree
GB_RATE = 0.15     # shrinkage
GB_BINS = 32       # split candidates per feature
GB_LAMBDA = 1.0    # leaf L2, in units of one average example
GB_MIN_HESS = 5.0  # a leaf needs about 20 uncertain examples
GB_SUBSAMPLE = 1.0  # share of the examples each tree sees
STACK_FOLDS = 0    # >1: stage 2 learns from out-of-fold stage-1 probabilities
                   # (neutral in cross-validation on the dev sets, 4x the fit:
                   # off by default; --stack-folds 5 turns it on, 5 = LEX_FOLDS)
JOBS = 2           # winnow processes at a time
LEX = True         # word weights ("word" lines, the lex features)
LEX_FOLDS = 5      # a training page's lex features come from weights fitted
                   # without it (K inner folds), as an unseen page's will
LEX_MIN_PAGES = 20  # a word needs to be on this many training pages, and
LEX_SMOOTH = 3.0    # its page counts get 3 added: chosen over 8 and 1 on
                    # split 1 (2026-12-05, doc/quality.md): -0.006 / +0.005 /
                    # +0.003 against -0.009 / +0.005 / +0.001 over no weights
                    # (ScrapingHub / WCXB / CleanEval)
LEX_CLIP = 4.0     # |weight| at most this
LEX_COLS = None    # the lex and lex_win columns of stage 1
CLS = False        # class words' weights ("class" lines; HTML only)
CLS_MIN_PAGES = 8   # a class word needs this many training pages: 8
                    # over 20 and 4 on both splits (2026-12-05,
                    # doc/quality.md; the differences were within the noise)
CLS_COLS = ()      # the cls_min, cls_max, cls_near columns of stage 1
FEAT_NAMES = []
DROP = []          # stage-1 columns the trees may not use (--drop-feats)
LEX_WIN = 3        # lex_win: the mean over the blocks +-3 around (model.c WIN1)


def load_eval(eval_dir, sets):
    sys.path.insert(0, eval_dir)
    import score  # noqa: E402  (the benchmark's own labelling)
    docs = []
    for s in sets:
        d = os.path.join(eval_dir, s)
        with open(os.path.join(d, 'ids')) as f:
            ids = [l.strip() for l in f if l.strip()]
        for i in ids:
            gold = open(os.path.join(d, i + '.gold.txt'), encoding='utf-8', errors='replace').read()
            gold_tokens = score.TOKEN.findall(gold)
            if MODE == 'html':  # labelled from winnow's own blocks, in dump()
                docs.append({'set': s, 'id': i, 'path': os.path.join(d, i + '.html'),
                             'gold': gold_tokens, 'labels': None, 'ntok': None})
                continue
            src = open(os.path.join(d, i + '.txt'), encoding='utf-8', errors='replace').read()
            in_lines = score.lines_tokens(src)
            labels = score.label_lines(in_lines, gold_tokens)
            docs.append({'set': s, 'id': i, 'path': os.path.join(d, i + '.txt'),
                         'labels': labels, 'ntok': [len(t) for t in in_lines]})
    return docs


def run_dump(winnow, extra, doc):
    """winnow --features on one page: its raw output lines."""
    with open(doc['path'], 'rb') as f:
        out = subprocess.run([winnow, '--features', '--input', MODE] + extra, stdin=f,
                             capture_output=True, check=True).stdout
    rows = []
    for line in out.decode('utf-8', 'replace').split('\n'):
        parts = line.split('\t', 5)
        if len(parts) < 6:
            continue
        rows.append(parts)
    return rows


def dump(winnow, extra, doc):
    """(line, reason, features) of every block of one page."""
    raw = run_dump(winnow, extra, doc)
    rows = [(int(p[0]), p[2], [float(x) for x in p[3].split()][1:], p[5]) for p in raw]
    # the class words of each block's elements, innermost first
    doc['classes'] = [[e.split() for e in p[4].split(',')] if p[4] else [] for p in raw]
    if MODE == 'html':
        # an HTML block's "line" is its source line, shared by many
        # blocks: label and count tokens by the block's index instead
        import score  # noqa: E402
        toks = [score.TOKEN.findall(r[3]) for r in rows]
        doc['labels'] = score.label_lines(toks, doc['gold'])
        doc['ntok'] = [len(t) for t in toks]
        rows = [(k + 1, r[1], r[2], r[3]) for k, r in enumerate(rows)]
    return rows


def pmap(fn, items):
    """fn over items, JOBS winnow processes at a time, results in order."""
    if JOBS <= 1:
        return [fn(x) for x in items]
    with concurrent.futures.ThreadPoolExecutor(JOBS) as ex:
        return list(ex.map(fn, items))


def page_examples(winnow, extra, doc):
    """One page's stage-1 examples, cached on the page: which dump rows
    they are, X1, y, w.  Neither the rows nor their stage-1 features
    depend on a model (the model is applied after the passes decide), but
    for the lex and class columns, 0 here and filled in by set_lex."""
    if 'ex' in doc:
        return doc['ex']
    keep, X, y, w = [], [], [], []
    rows = dump(winnow, extra, doc)
    doc['words'] = [lex_words(r[3]) for r in rows]
    for r, (line, reason, feats, _) in enumerate(rows):
        if reason.startswith(('context: breadcrumb', 'html: the headline')):
            continue
        lab = doc['labels'][line - 1] if line - 1 < len(doc['labels']) else None
        if lab is None:
            continue
        keep.append(r)
        X.append(feats[:NFEAT1])
        y.append(1.0 if lab else 0.0)
        n = max(1, doc['ntok'][line - 1])
        w.append(n if WEIGHT == 'tokens' else math.sqrt(n))
    # every page counts the same, as in score.py's macro average
    total = sum(w)
    doc['ex'] = (keep, np.array(X, dtype=float).reshape(-1, NFEAT1), np.array(y),
                 np.array(w) / total if total else np.array(w))
    return doc['ex']


def examples(winnow, extra, docs):
    """X1, y, w, doc index per example (the stage-1 features)."""
    ex = pmap(lambda d: page_examples(winnow, extra, d), docs)
    di = np.concatenate([np.full(len(e[2]), k) for k, e in enumerate(ex)])
    return (np.vstack([e[1] for e in ex]), np.concatenate([e[2] for e in ex]),
            np.concatenate([e[3] for e in ex]), di)


WORD_RUN = re.compile(r'[A-Za-z0-9\u0080-\U0010ffff]+')


def word_char(ch):
    """Letters, marks and digits of any script, as wn_is_word_cp."""
    return ch.isascii() and ch.isalnum() or \
        not ch.isascii() and unicodedata.category(ch)[0] in 'LMN'


def lex_words(text):
    """The words of a block as model.c's wn_lexicon_score sees them: runs
    of word_char, only ASCII letters, at most 24, lower-cased."""
    out = []
    for run in WORD_RUN.findall(text):
        if not run.isascii():  # split where a non-ASCII character is no word_char
            run = ''.join(ch if word_char(ch) else ' ' for ch in run)
        out += [t.lower() for t in run.split() if len(t) <= 24 and t.isascii() and t.isalpha()]
    return out


def fit_lexicon(docs, tokens=lambda doc, r: doc['words'][r], min_pages=None):
    """{word: weight}: the log-odds of a word's being on a page's article
    blocks rather than its chrome blocks, from the number of pages where
    it is in each (a page counts once, so one long article cannot make a
    word).  tokens gives a block's words (class words: fit_classes)."""
    good, bad = {}, {}
    ng = nb = 0
    for doc in docs:
        keep, _, y, _ = doc['ex']
        g, b = set(), set()
        for r, lab in zip(keep, y):
            (g if lab else b).update(tokens(doc, r))
        ng += bool(g)
        nb += bool(b)
        for t in g:
            good[t] = good.get(t, 0) + 1
        for t in b:
            bad[t] = bad.get(t, 0) + 1
    a = LEX_SMOOTH
    lex = {}
    for t in set(good) | set(bad):
        cg, cb = good.get(t, 0), bad.get(t, 0)
        if cg + cb < (LEX_MIN_PAGES if min_pages is None else min_pages):
            continue
        v = math.log((cg + a) / (ng + 2 * a)) - math.log((cb + a) / (nb + 2 * a))
        lex[t] = round(max(-LEX_CLIP, min(LEX_CLIP, v)), 3)
    return lex


def fit_classes(docs):
    """{class word: weight}, as fit_lexicon: a class word is on a block
    when one of the block's elements (CLASS_CHAIN of them) has it."""
    return fit_lexicon(docs, lambda doc, r: [t for e in doc['classes'][r] for t in e],
                       CLS_MIN_PAGES)


def cls_columns(doc, cls):
    """(cls_min, cls_max, cls_near) of every dump row, as html.c's
    wn_html_class_features: the lowest and highest known weight on the
    block's elements, and the mean of the innermost element with one."""
    out = []
    for chain in doc['classes']:
        known = [[cls[t] for t in e if t in cls] for e in chain]
        flat = [v for e in known for v in e]
        near = next((sum(e) / len(e) for e in known if e), 0.0)
        out.append((min(flat), max(flat), near) if flat else (0.0, 0.0, 0.0))
    return out


def lex_columns(doc, lex):
    """(lex, lex_win) of every dump row of doc under weights lex."""
    v = [sum(lex.get(t, 0.0) for t in ws) / len(ws) if ws else 0.0 for ws in doc['words']]
    n, out = len(v), []
    for i in range(n):
        lo, hi = max(0, i - LEX_WIN), min(n - 1, i + LEX_WIN)
        c = hi - lo
        out.append((v[i], (sum(v[lo:hi + 1]) - v[i]) / c if c else 0.0))
    return out


def set_lex(docs, di, X1, lexicons, group, clsicons=None):
    """Writes the lex columns of X1: doc k's from lexicons[group[k]]
    (and the class columns from clsicons[group[k]])."""
    i1, i2 = LEX_COLS
    for k, doc in enumerate(docs):
        rows = np.nonzero(di == k)[0]
        if lexicons:
            cols = lex_columns(doc, lexicons[group[k]])
            X1[rows, i1] = [cols[r][0] for r in doc['ex'][0]]
            X1[rows, i2] = [cols[r][1] for r in doc['ex'][0]]
        if clsicons:
            cols = cls_columns(doc, clsicons[group[k]])
            for c, j in enumerate(CLS_COLS):
                X1[rows, j] = [cols[r][c] for r in doc['ex'][0]]


def stage2_examples(winnow, extra, docs):
    """X2 of the same examples as examples(), computed by winnow with the
    stage-1 model in extra."""
    def one(doc):
        keep = doc['ex'][0]
        rows = run_dump(winnow, extra, doc)
        X = [[float(x) for x in rows[r][3].split()][1 + NFEAT1:1 + NFEAT1 + NFEAT2]
             for r in keep]
        return np.array(X, dtype=float).reshape(-1, NFEAT2)
    return np.vstack(pmap(one, docs))


def fit(X, y, w):
    """Weighted L2 logistic regression by Newton's method (IRLS) on
    standardised X; returns (bias, weights) on the raw feature scale."""
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    Z = np.hstack([np.ones((X.shape[0], 1)), (X - mu) / sd])
    wn = w / w.sum()
    beta = np.zeros(Z.shape[1])
    ridge = L2 * np.eye(Z.shape[1])
    ridge[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(Z @ beta)))
        grad = Z.T @ (wn * (p - y)) + ridge @ beta
        hess = (Z * (wn * p * (1 - p))[:, None]).T @ Z + ridge
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    coef = beta[1:] / sd
    return float(beta[0] - (coef * mu).sum()), coef


def fit_gbdt(X, y, w, seed=0):
    """Gradient-boosted regression trees for the logistic loss (Newton
    steps, histogram splits on up to GB_BINS quantile thresholds per
    feature, level-wise growth; with GB_SUBSAMPLE < 1 each tree sees a
    seeded random share of the examples).  Returns (bias, [tree]) where a
    tree is a list of nodes ('split', feature, threshold, left, right) or
    ('leaf', value), children after their parent."""
    n, nf = X.shape
    w = w * (n / w.sum())           # mean weight 1: GB_LAMBDA is per example
    thr, B = [], np.zeros((nf, n), dtype=np.uint8)   # feature-major bins
    for f in range(nf):
        t = np.unique(np.quantile(X[:, f], np.linspace(0, 1, GB_BINS + 1)[1:-1]))
        thr.append(t)
        B[f] = np.searchsorted(t, X[:, f], side='left')
    nb = max(len(t) for t in thr) + 1
    valid = np.zeros((nf, nb - 1), dtype=bool)   # split after bin b exists
    for f in range(nf):
        valid[f, :len(thr[f])] = True
    p0 = float(np.clip((w * y).sum() / w.sum(), 1e-6, 1 - 1e-6))
    bias = math.log(p0 / (1 - p0))
    score = np.full(n, bias)
    rng = np.random.default_rng(seed)
    out = []

    def hist(rows, g, h):
        """(nf, nb) sums of g and h over rows, by feature bin."""
        Gh, Hh = np.zeros((nf, nb)), np.zeros((nf, nb))
        gr, hr = g[rows], h[rows]
        Br = B[:, rows]
        for f in range(nf):
            Gh[f] = np.bincount(Br[f], weights=gr, minlength=nb)
            Hh[f] = np.bincount(Br[f], weights=hr, minlength=nb)
        return Gh, Hh

    def best_split(Gh, Hh):
        G, H = Gh[0].sum(), Hh[0].sum()
        GL, HL = np.cumsum(Gh, 1)[:, :-1], np.cumsum(Hh, 1)[:, :-1]
        GR, HR = G - GL, H - HL
        gain = (GL ** 2 / (HL + GB_LAMBDA) + GR ** 2 / (HR + GB_LAMBDA)
                - G ** 2 / (H + GB_LAMBDA))
        gain[(HL < GB_MIN_HESS) | (HR < GB_MIN_HESS) | ~valid] = 0
        # the first feature, then the first bin, among the best (as before)
        bf = gain.max(1)
        f = int(bf.argmax())
        if not bf[f] > 1e-12:
            return -1, 0
        return f, int(gain[f].argmax())

    for _ in range(GB_TREES):
        p = 1 / (1 + np.exp(-score))
        g, h = w * (p - y), w * p * (1 - p)
        if GB_SUBSAMPLE < 1:
            rows0 = np.sort(rng.choice(n, int(round(GB_SUBSAMPLE * n)), replace=False))
        else:
            rows0 = np.arange(n)
        tree = [None]
        # level-wise: (node, rows, histograms or None)
        level = [(0, rows0, hist(rows0, g, h))]
        for d in range(GB_DEPTH + 1):
            nxt, pending = [], []
            for ti, rows, hs in level:
                G, H = g[rows].sum(), h[rows].sum()
                f = -1
                if d < GB_DEPTH:
                    f, b = best_split(*hs)
                if f < 0:
                    tree[ti] = ('leaf', float(-GB_RATE * G / (H + GB_LAMBDA)))
                    continue
                li, ri = len(tree), len(tree) + 1
                tree += [None, None]
                tree[ti] = ('split', f, float(thr[f][b]), li, ri)
                left = B[f, rows] <= b
                pending.append((li, rows[left], ri, rows[~left], hs))
            for li, lr, ri, rr, hs in pending:
                if d + 1 < GB_DEPTH:
                    # histogram of the smaller child; the other is the
                    # parent's minus it
                    small = lr if len(lr) <= len(rr) else rr
                    Gs, Hs = hist(small, g, h)
                    other = (hs[0] - Gs, hs[1] - Hs)
                    lh, rh = ((Gs, Hs), other) if small is lr else (other, (Gs, Hs))
                else:
                    lh = rh = None
                nxt += [(li, lr, lh), (ri, rr, rh)]
            level = nxt
            if not level:
                break
        out.append(tree)
        score += tree_eval(tree, X)
    return bias, out


def tree_eval(tree, X):
    v = np.zeros(X.shape[0])
    idx = np.zeros(X.shape[0], dtype=np.int64)
    active = np.ones(X.shape[0], dtype=bool)
    while active.any():
        for ti in np.unique(idx[active]):
            nd = tree[ti]
            m = active & (idx == ti)
            if nd[0] == 'leaf':
                v[m] = nd[1]
                active[m] = False
            else:
                go_left = X[:, nd[1]] <= nd[2]
                idx[m & go_left] = nd[3]
                idx[m & ~go_left] = nd[4]
    return v


def write_model(path, b1, w1, b2, w2, names1, names2, note, trees1=(), lex=None, cls=None):
    with open(path, 'w') as f:
        f.write('# ' + MODEL_NAME + ' - winnow\'s learned block classifier: stage 1 boosted\n'
                '# trees over the block features, stage 2 a logistic regression over\n'
                '# stage 1 around the block (src/model.c names the features,\n'
                '# tools/train.py fits them).  Generated: retrain, do not edit.\n')
        for line in note:
            f.write('# %s\n' % line)
        f.write('threshold %g\n' % THRESHOLD)
        if lex:
            f.write('\n# word weights: log-odds of article over chrome blocks\n')
            for t in sorted(lex):
                f.write('word %s %g\n' % (t, lex[t]))
        if cls:
            f.write('\n# class words: log-odds of article over chrome blocks\n')
            for t in sorted(cls):
                f.write('class %s %g\n' % (t, cls[t]))
        f.write('\nstage 1\nbias %.6f\n' % b1)
        for n, v in zip(names1, w1):
            if v:
                f.write('weight %s %.6f\n' % (n, v))
        for tree in trees1:
            f.write('tree\n')
            for nd in tree:
                if nd[0] == 'leaf':
                    f.write('leaf %.6f\n' % nd[1])
                else:
                    f.write('split %s %.6g %d %d\n' % (names1[nd[1]], nd[2], nd[3], nd[4]))
            f.write('end\n')
        f.write('\nstage 2\nbias %.6f\n' % b2)
        for n, v in zip(names2, w2):
            f.write('weight %s %.6f\n' % (n, v))


def feature_names(winnow):
    """The column names, from the stage-1 / stage-2 lists in model.c."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'model.c')
    text = open(src).read()
    out = []
    for marker in ('wn_feat1_names[WN_NFEAT1] = {', 'wn_feat2_names[WN_NFEAT2] = {'):
        body = text[text.index(marker) + len(marker):]
        body = re.sub(r'/\*.*?\*/', ' ', body[:body.index('};')], flags=re.S)
        out.append([t.strip().strip('"') for t in body.replace('\n', ' ').split(',') if t.strip()])
    # the binary must be built from this tree: a column more or less
    # shifts every feature after it
    row = subprocess.run([winnow, '--features'], input=b'A line of text.\n',
                         capture_output=True, check=True).stdout.decode().split('\t')
    have = len(row[3].split()) - 1 if len(row) > 3 else -1
    if have != len(out[0]) + len(out[1]):
        sys.exit('train.py: %s writes %d features, %s names %d: build winnow from '
                 'the tree this script is in' % (winnow, have, src, len(out[0]) + len(out[1])))
    return out


def train(winnow, docs, names, tmpdir, note, seed=1):
    """Fits both stages on docs; returns the model file path."""
    base = ['--no-default-rules', '--rules', RULES_NO_MODEL]
    X1, y, w, di = examples(winnow, base, docs)
    # one split of the pages into inner folds, for the word weights and
    # for --stack-folds
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    inner = np.zeros(len(docs), dtype=np.int64)
    lex, lexicons, cls, clsicons = None, None, None, None
    if LEX or CLS:
        inner[order] = np.arange(len(docs)) % LEX_FOLDS
    if LEX:
        lexicons = [fit_lexicon([d for k, d in enumerate(docs) if inner[k] != j])
                    for j in range(LEX_FOLDS)]
        lex = fit_lexicon(docs)
    if CLS:
        clsicons = [fit_classes([d for k, d in enumerate(docs) if inner[k] != j])
                    for j in range(LEX_FOLDS)]
        cls = fit_classes(docs)
    if LEX or CLS:
        set_lex(docs, di, X1, lexicons, inner, clsicons)
    X1[:, DROP] = 0.0
    b1, trees1 = fit_gbdt(X1, y, w, seed)
    w1 = [0.0] * NFEAT1

    def stage1_dir(name, b, trees, j):
        d = os.path.join(tmpdir, name)
        os.makedirs(d, exist_ok=True)
        write_model(os.path.join(d, MODEL_NAME), b, w1, 0.0, [0.0] * NFEAT2,
                    names[0], names[1], [], trees,
                    lexicons[j] if lexicons and j is not None else None,
                    clsicons[j] if clsicons and j is not None else None)
        return d

    # stage 2 features need stage 1's p: let winnow compute them, each
    # page with the word weights its stage-1 features had
    X2 = np.zeros((len(y), NFEAT2))
    if STACK_FOLDS > 1:
        # from stage-1 models that did not see the page, so that stage 2
        # learns how far to trust stage 1 on unseen pages
        if not (LEX or CLS):
            inner[order] = np.arange(len(docs)) % STACK_FOLDS
        elif STACK_FOLDS != LEX_FOLDS:
            sys.exit('train.py: --stack-folds must be %d with word or class weights' % LEX_FOLDS)
        for j in range(STACK_FOLDS):
            m = inner[di] != j
            bj, tj = fit_gbdt(X1[m], y[m], w[m], seed + 1 + j)
            held = [d for k, d in enumerate(docs) if inner[k] == j]
            X2[~m] = stage2_examples(winnow, base + ['--rules', stage1_dir(
                'inner%d' % j, bj, tj, j)], held)
    elif LEX or CLS:
        for j in range(LEX_FOLDS):
            m = inner[di] == j
            held = [d for k, d in enumerate(docs) if inner[k] == j]
            X2[m] = stage2_examples(winnow, base + ['--rules', stage1_dir(
                'lex%d' % j, b1, trees1, j)], held)
    else:
        X2 = stage2_examples(winnow, base + ['--rules', stage1_dir('stage1', b1, trees1, None)],
                             docs)
    b2, w2 = fit(X2, y, w)
    out = os.path.join(tmpdir, 'final')
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, MODEL_NAME)
    write_model(path, b1, w1, b2, w2, names[0], names[1], note, trees1, lex, cls)
    if LEX or CLS:
        # pages with class words, when there are (HTML), so that the
        # class columns are compared too
        some = [d for d in docs if any(d['classes'])][:3] if cls else docs[:3]
        check_lex(winnow, base + ['--rules', out], some or docs[:3], lex, cls)
    return path


def check_lex(winnow, extra, docs, lex, cls):
    """The lex and class columns winnow computes with the fitted weights
    must be the ones computed here: model.c and html.c are the
    definition, this their copy."""
    cols = ([LEX_COLS[0], LEX_COLS[1]] if lex else []) + (list(CLS_COLS) if cls else [])
    for doc in docs:
        rows = run_dump(winnow, extra, doc)
        mine = [[] for _ in rows]
        if lex:
            mine = [m + list(v) for m, v in zip(mine, lex_columns(doc, lex))]
        if cls:
            mine = [m + list(v) for m, v in zip(mine, cls_columns(doc, cls))]
        if len(rows) != len(mine) or len(rows) != len(doc['classes']):
            sys.exit('train.py: %s: %d blocks, %d here' % (doc['path'], len(rows), len(mine)))
        for r, m in zip(rows, mine):
            f = [float(x) for x in r[3].split()][1:]
            for i, a in zip(cols, m):
                if abs(f[i] - a) > 1e-3 * max(1, abs(a)):
                    sys.exit('train.py: %s line %s: winnow %s %g, train.py %g (%r)'
                             % (doc['path'], r[0], FEAT_NAMES[i], f[i], a, r[5]))


RULES_NO_MODEL = None
MODE = 'text'
MODEL_NAME = 'block.model'


def main():
    global RULES_NO_MODEL, MODE, MODEL_NAME, JOBS, STACK_FOLDS, NFEAT1, NFEAT2, WEIGHT
    global LEX, LEX_COLS, LEX_MIN_PAGES, LEX_SMOOTH, CLS, CLS_COLS, FEAT_NAMES, CLS_MIN_PAGES
    global GB_TREES, GB_DEPTH, GB_RATE, GB_BINS, GB_LAMBDA, GB_MIN_HESS, GB_SUBSAMPLE
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('winnow')
    ap.add_argument('eval_dir')
    ap.add_argument('--sets', default='scrapinghub,wcxb-article,cleaneval')
    ap.add_argument('--out', help='where the model fitted on all pages goes (default: '
                    'rules/block.model or rules/html.model; with --folds, no such fit '
                    'unless --out is given)')
    ap.add_argument('--input', choices=['text', 'html'], default='text')
    ap.add_argument('--folds', type=int, default=0)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--stack-folds', type=int, default=STACK_FOLDS,
                    help='fit stage 2 on out-of-fold stage-1 probabilities (K inner folds)')
    ap.add_argument('--trees', type=int, default=GB_TREES)
    ap.add_argument('--depth', type=int, default=GB_DEPTH)
    ap.add_argument('--rate', type=float, default=GB_RATE)
    ap.add_argument('--bins', type=int, default=GB_BINS)
    ap.add_argument('--lambda', dest='lam', type=float, default=GB_LAMBDA)
    ap.add_argument('--min-hess', type=float, default=GB_MIN_HESS)
    ap.add_argument('--subsample', type=float, default=GB_SUBSAMPLE)
    ap.add_argument('--cv-out', help='keep the cross-validated outputs here (ID.txt per set)')
    ap.add_argument('--clean-with', metavar='WINNOW2',
                    help='clean the held-out pages with this binary, the fold models fitted '
                         "on WINNOW's features: a code change that leaves the features alone "
                         "measured without the refit's noise (both binaries read the same "
                         'rules/, beside this script: not for comparing rules)')
    ap.add_argument('--keep-folds', metavar='DIR',
                    help='with --folds, keep each fold model (DIR/MODE/foldK/) and which pages '
                         'it held out (DIR/MODE/folds.tsv), for --reclean')
    ap.add_argument('--folds-from', metavar='FILE',
                    help='with --folds, take each page\'s fold from FILE (a folds.tsv '
                         'that --keep-folds wrote, of either mode) instead of --seed: '
                         'text and HTML fold models that held out the same pages')
    ap.add_argument('--text-folds', metavar='DIR',
                    help='with --input html and --folds or --reclean: read DIR/text/foldK/'
                         'block.model (a text run\'s --keep-folds on the same folds) beside '
                         'each HTML fold model, as the shipped block.model is read on pages '
                         'in older markup')
    ap.add_argument('--reclean', metavar='DIR',
                    help='fit nothing: clean every page with the fold model of --keep-folds DIR '
                         'that held it out, with WINNOW and the rules of today, and score')
    ap.add_argument('--cv-explain', help='and their --features output (ID.tsv per set), to try '
                    'decision rules on held-out probabilities')
    ap.add_argument('--no-lex', action='store_true', help='no word weights (lex features 0)')
    ap.add_argument('--no-cls', action='store_true',
                    help='no class word weights (HTML; cls features 0)')
    ap.add_argument('--drop-feats', default='', help='stage-1 features left out (comma-separated)')
    ap.add_argument('--lex-min-pages', type=int, default=LEX_MIN_PAGES)
    ap.add_argument('--cls-min-pages', type=int, default=CLS_MIN_PAGES)
    ap.add_argument('--lex-smooth', type=float, default=LEX_SMOOTH)
    ap.add_argument('--jobs', type=int, default=JOBS, help='winnow processes at a time')
    ap.add_argument('--weight', choices=['sqrt', 'tokens'], default=WEIGHT,
                    help="a block's weight in the fit: sqrt of its tokens, or its tokens")
    args = ap.parse_args()
    STACK_FOLDS, JOBS, WEIGHT = args.stack_folds, args.jobs, args.weight
    GB_TREES, GB_DEPTH, GB_RATE, GB_BINS = args.trees, args.depth, args.rate, args.bins
    GB_LAMBDA, GB_MIN_HESS, GB_SUBSAMPLE = args.lam, args.min_hess, args.subsample
    MODE = args.input
    MODEL_NAME = 'html.model' if MODE == 'html' else 'block.model'
    if args.reclean and (args.folds > 1 or args.out or args.keep_folds):
        sys.exit('train.py: --reclean fits nothing: no --folds, --out or --keep-folds')
    if args.text_folds and (MODE != 'html' or (args.folds <= 1 and not args.reclean)):
        sys.exit('train.py: --text-folds needs --input html and --folds or --reclean')
    if MODE == 'html' and (args.folds > 1 or args.reclean) and not args.text_folds:
        print('train.py: no --text-folds: pages in older markup are cleaned without the '
              'text model, unlike the shipped configuration', file=sys.stderr)
    if args.folds_from and args.folds <= 1:
        sys.exit('train.py: --folds-from needs --folds')
    if args.keep_folds and args.folds <= 1:
        sys.exit('train.py: --keep-folds needs --folds')
    if not args.out and args.folds <= 1 and not args.reclean:
        # a refit replaces the shipped model; a cross-validation touches
        # it only when --out names it
        args.out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rules',
                                MODEL_NAME)
    names = feature_names(args.winnow)
    NFEAT1, NFEAT2 = len(names[0]), len(names[1])
    LEX_COLS = (names[0].index('lex'), names[0].index('lex_win'))
    LEX = not args.no_lex
    CLS_COLS = tuple(names[0].index(n) for n in ('cls_min', 'cls_max', 'cls_near'))
    CLS = MODE == 'html' and not args.no_cls
    FEAT_NAMES = names[0]
    LEX_MIN_PAGES, LEX_SMOOTH = args.lex_min_pages, args.lex_smooth
    CLS_MIN_PAGES = args.cls_min_pages
    DROP[:] = [names[0].index(f) for f in args.drop_feats.split(',') if f]
    sets = args.sets.split(',')
    docs = load_eval(args.eval_dir, sets)
    rules_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rules')
    with tempfile.TemporaryDirectory() as tmp:
        # the shipped rules and stoplists without block.model: training
        # must not depend on the model being replaced
        RULES_NO_MODEL = os.path.join(tmp, 'rules')
        os.makedirs(os.path.join(RULES_NO_MODEL, 'stop'))
        for f in os.listdir(rules_dir):
            if f.endswith('.rules'):
                os.symlink(os.path.join(rules_dir, f), os.path.join(RULES_NO_MODEL, f))
        for f in os.listdir(os.path.join(rules_dir, 'stop')):
            os.symlink(os.path.join(rules_dir, 'stop', f), os.path.join(RULES_NO_MODEL, 'stop', f))
        if args.reclean:
            reclean(args, docs, tmp, sets)
            return
        if args.folds > 1:
            cross_validate(args, docs, names, tmp, sets)
            if not args.out:
                print('no --out: the model fitted on all pages is not made', file=sys.stderr)
                return
        note = ['Fitted on %d pages of %s.' % (len(docs), ', '.join(sets))]
        path = train(args.winnow, docs, names, os.path.join(tmp, 'all'), note, args.seed)
        with open(path) as src, open(args.out, 'w') as dst:
            dst.write(src.read())
        print('wrote', args.out)


def read_folds(path):
    """{(set, page): fold} of a folds.tsv."""
    fold_of = {}
    with open(path) as f:
        for line in f:
            if not line.startswith('#'):
                s, i, k = line.rstrip('\n').split('\t')
                fold_of[(s, i)] = int(k)
    return fold_of


def text_fold_dirs(args, fold_of):
    """{fold: --text-folds' model directory of that fold} (empty without
    --text-folds), after checking that they held out the same pages."""
    if not args.text_folds:
        return {}
    theirs = read_folds(os.path.join(args.text_folds, 'text', 'folds.tsv'))
    if any(theirs.get(p) != f for p, f in fold_of.items()):
        sys.exit('train.py: %s/text/folds.tsv does not hold out the pages this run does'
                 % args.text_folds)
    return {k: os.path.join(args.text_folds, 'text', 'fold%d' % k)
            for k in set(fold_of.values())}


def clean_held_out(args, d, mdir, outdir, tdir=None):
    """Cleans page d with the model in mdir (and the text model in tdir),
    as a held-out page."""
    o = os.path.join(outdir, d['set'])
    os.makedirs(o, exist_ok=True)
    extra = ['--no-title'] if d['set'] != 'cleaneval' else []
    cmd = [args.clean_with or args.winnow, '--input', MODE, '--no-default-rules', '--rules',
           RULES_NO_MODEL] + (['--rules', tdir] if tdir else []) + ['--rules', mdir] + extra
    with open(d['path'], 'rb') as f, open(os.path.join(o, d['id'] + '.txt'), 'wb') as g:
        subprocess.run(cmd, stdin=f, stdout=g, check=True)
    if args.cv_explain:
        e = os.path.join(args.cv_explain, d['set'])
        os.makedirs(e, exist_ok=True)
        with open(d['path'], 'rb') as f, open(os.path.join(e, d['id'] + '.tsv'), 'wb') as g:
            subprocess.run(cmd + ['--features'], stdin=f, stdout=g, check=True)


def score_sets(args, outdir, sets):
    for s in sets:
        gold = os.path.join(args.eval_dir, s)
        res = subprocess.run([sys.executable, os.path.join(args.eval_dir, 'score.py'),
                              os.path.join(outdir, s), gold, '--ids', os.path.join(gold, 'ids')],
                             capture_output=True, text=True).stdout
        last = [l for l in res.splitlines() if l.startswith('F1 ')]
        print('cross-validated %s %s' % (s, last[-1] if last else res))


def cross_validate(args, docs, names, tmp, sets):
    order = list(range(len(docs)))
    random.Random(args.seed).shuffle(order)
    fold_of = {d: k % args.folds for k, d in enumerate(order)}
    if args.folds_from:
        given = read_folds(args.folds_from)
        missing = [d for d in docs if (d['set'], d['id']) not in given]
        if missing or any(k >= args.folds for k in given.values()):
            sys.exit('train.py: %s does not give each page one of %d folds'
                     % (args.folds_from, args.folds))
        fold_of = {i: given[(d['set'], d['id'])] for i, d in enumerate(docs)}
    outdir = args.cv_out or os.path.join(tmp, 'cv-out')
    tdirs = text_fold_dirs(args, {(d['set'], d['id']): fold_of[i]
                                  for i, d in enumerate(docs)})
    for k in range(args.folds):
        train_docs = [d for i, d in enumerate(docs) if fold_of[i] != k]
        model = train(args.winnow, train_docs, names, os.path.join(tmp, 'fold%d' % k), [],
                      args.seed)
        mdir = os.path.dirname(model)
        if args.keep_folds:
            keep = os.path.join(args.keep_folds, MODE, 'fold%d' % k)
            os.makedirs(keep, exist_ok=True)
            shutil.copyfile(model, os.path.join(keep, MODEL_NAME))
        tdir = tdirs.get(k)
        pmap(lambda d: clean_held_out(args, d, mdir, outdir, tdir),
             [d for i, d in enumerate(docs) if fold_of[i] == k])
        print('fold %d/%d done' % (k + 1, args.folds), file=sys.stderr)
    if args.keep_folds:
        with open(os.path.join(args.keep_folds, MODE, 'folds.tsv'), 'w') as f:
            how = ('--folds-from %s' % args.folds_from if args.folds_from
                   else '--seed %d' % args.seed)
            f.write('# tools/train.py --input %s --folds %d %s: set, page, its fold\n'
                    % (MODE, args.folds, how))
            for i, d in enumerate(docs):
                f.write('%s\t%s\t%d\n' % (d['set'], d['id'], fold_of[i]))
    score_sets(args, outdir, sets)


def reclean(args, docs, tmp, sets):
    """Cleans every page again with the fold model that held it out
    (kept by --keep-folds) and today's binary and rules: a rule or code
    change measured held out without the refit's noise, in a minute."""
    base = os.path.join(args.reclean, MODE)
    fold_of = read_folds(os.path.join(base, 'folds.tsv'))
    outdir = args.cv_out or os.path.join(tmp, 'cv-out')
    todo = [d for d in docs if (d['set'], d['id']) in fold_of]
    if len(todo) != len(docs):
        sys.exit('train.py: %d of the pages are not in %s/folds.tsv'
                 % (len(docs) - len(todo), base))
    for d in todo:
        mdir = os.path.join(base, 'fold%d' % fold_of[(d['set'], d['id'])])
        if not os.path.exists(os.path.join(mdir, MODEL_NAME)):
            sys.exit('train.py: no %s in %s' % (MODEL_NAME, mdir))
    tdirs = text_fold_dirs(args, fold_of)
    pmap(lambda d: clean_held_out(args, d, os.path.join(
        base, 'fold%d' % fold_of[(d['set'], d['id'])]), outdir,
        tdirs.get(fold_of[(d['set'], d['id'])])), todo)
    score_sets(args, outdir, sets)


if __name__ == '__main__':
    main()
