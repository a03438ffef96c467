#!/usr/bin/python3
"""Fit winnow's block model (rules/block.model) on labelled pages.

usage: tools/train.py WINNOW EVAL_DIR [--sets a,b,c] [--out rules/block.model]
                      [--folds K] [--seed N] [--input text|html]

With --input html it fits rules/html.model, the model for HTML input, on
the pages' ID.html (labels then come from the blocks winnow makes of the
page, with the same rule against the gold text).

WINNOW is a built winnow binary; EVAL_DIR holds data sets in the layout of
../shared/eval (ID.txt, ID.gold.txt, ids, and score.py beside them).

Every block of every page becomes one example.  Its label comes from the
gold text exactly as score.py's line metric labels input lines (a line is
article text when at least half its tokens lie in a 4-token window found in
the gold).  Its features come from `winnow --features`, so this script
never recomputes a feature: the C code is the one definition.  Blocks a
rule or a context pass decided (rules/..., breadcrumbs) are left out: the
model never sees them at run time either.

Stage 1 is gradient-boosted regression trees (logistic loss) on the block's
own and its neighbours' features; stage 2 an L2-regularised logistic
regression on stage 1's probabilities around the block.  Examples are weighted by the square root of their token count, so
long paragraphs count more than menu items without drowning them.

With --folds K the pages are split into K folds; for each, a model is
fitted on the others and winnow runs with it on the held-out pages, which
are then scored with score.py: the cross-validated F1 printed at the end is
an estimate for pages the model has not seen.

Needs numpy (Debian: python3-numpy).
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

NFEAT1 = 71
NFEAT2 = 10
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


def dump(winnow, extra, doc):
    """(line, reason, features) of every block of one page."""
    with open(doc['path'], 'rb') as f:
        out = subprocess.run([winnow, '--features', '--input', MODE] + extra, stdin=f,
                             capture_output=True, check=True).stdout
    rows = []
    for line in out.decode('utf-8', 'replace').split('\n'):
        parts = line.split('\t', 4)
        if len(parts) < 5:
            continue
        vals = [float(x) for x in parts[3].split()]
        rows.append((int(parts[0]), parts[2], vals[1:], parts[4]))
    if MODE == 'html':
        # an HTML block's "line" is its source line, shared by many
        # blocks: label and count tokens by the block's index instead
        import score  # noqa: E402
        toks = [score.TOKEN.findall(r[3]) for r in rows]
        doc['labels'] = score.label_lines(toks, doc['gold'])
        doc['ntok'] = [len(t) for t in toks]
        rows = [(k + 1, r[1], r[2], r[3]) for k, r in enumerate(rows)]
    return rows


def examples(winnow, extra, docs):
    """X1, X2, y, w, doc index per example."""
    X, y, w, di = [], [], [], []
    for k, doc in enumerate(docs):
        start = len(w)
        for line, reason, feats, _ in dump(winnow, extra, doc):
            if reason.startswith(('rules/', 'context: breadcrumb', 'html: the headline')):
                continue
            lab = doc['labels'][line - 1] if line - 1 < len(doc['labels']) else None
            if lab is None:
                continue
            X.append(feats)
            y.append(1.0 if lab else 0.0)
            w.append(math.sqrt(max(1, doc['ntok'][line - 1])))
            di.append(k)
        # every page counts the same, as in score.py's macro average
        total = sum(w[start:])
        for j in range(start, len(w)):
            w[j] /= total
    X = np.array(X)
    return X[:, :NFEAT1], X[:, NFEAT1:NFEAT1 + NFEAT2], np.array(y), np.array(w), np.array(di)


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


def fit_gbdt(X, y, w, trees=None, depth=None, rate=None):
    """Gradient-boosted regression trees for the logistic loss (Newton
    steps, histogram splits on up to GB_BINS quantile thresholds per
    feature, level-wise growth).  Returns (bias, [tree]) where a tree is a
    list of nodes ('split', feature, threshold, left, right) or
    ('leaf', value), children after their parent."""
    trees = trees or GB_TREES
    depth = depth or GB_DEPTH
    rate = rate or GB_RATE
    n, nf = X.shape
    w = w * (n / w.sum())           # mean weight 1: GB_LAMBDA is per example
    thr, B = [], np.zeros((n, nf), dtype=np.int64)
    for f in range(nf):
        t = np.unique(np.quantile(X[:, f], np.linspace(0, 1, GB_BINS + 1)[1:-1]))
        thr.append(t)
        B[:, f] = np.searchsorted(t, X[:, f], side='left')
    nb = max(len(t) for t in thr) + 1
    p0 = float(np.clip((w * y).sum() / w.sum(), 1e-6, 1 - 1e-6))
    bias = math.log(p0 / (1 - p0))
    score = np.full(n, bias)
    out = []
    for _ in range(trees):
        p = 1 / (1 + np.exp(-score))
        g, h = w * (p - y), w * p * (1 - p)
        tree = [None]
        at = np.zeros(n, dtype=np.int64)     # the tree node each sample is in
        level = [0]
        for d in range(depth + 1):
            k = len(level)
            pos = np.full(len(tree), -1, dtype=np.int64)
            pos[level] = np.arange(k)
            slot = pos[at]                   # -1: the sample sits in a leaf
            live = slot >= 0
            sl, gl, hl = slot[live], g[live], h[live]
            G = np.bincount(sl, weights=gl, minlength=k)
            H = np.bincount(sl, weights=hl, minlength=k)
            best_gain, best_f, best_b = np.zeros(k), np.full(k, -1), np.zeros(k, dtype=np.int64)
            if d < depth:
                Bl = B[live]
                for f in range(nf):
                    idx = sl * nb + Bl[:, f]
                    Gh = np.bincount(idx, weights=gl, minlength=k * nb).reshape(k, nb)
                    Hh = np.bincount(idx, weights=hl, minlength=k * nb).reshape(k, nb)
                    GL, HL = np.cumsum(Gh, 1)[:, :-1], np.cumsum(Hh, 1)[:, :-1]
                    GR, HR = G[:, None] - GL, H[:, None] - HL
                    gain = (GL ** 2 / (HL + GB_LAMBDA) + GR ** 2 / (HR + GB_LAMBDA)
                            - (G ** 2 / (H + GB_LAMBDA))[:, None])
                    gain[(HL < GB_MIN_HESS) | (HR < GB_MIN_HESS)] = 0
                    gain[:, len(thr[f]):] = 0
                    bi = gain.argmax(1)
                    bg = gain[np.arange(k), bi]
                    better = bg > best_gain + 1e-12
                    best_gain[better], best_f[better], best_b[better] = bg[better], f, bi[better]
            nxt = []
            for j, ti in enumerate(level):
                f = int(best_f[j])
                if f < 0:
                    tree[ti] = ('leaf', float(-rate * G[j] / (H[j] + GB_LAMBDA)))
                    continue
                li, ri = len(tree), len(tree) + 1
                tree += [None, None]
                b = int(best_b[j])
                tree[ti] = ('split', f, float(thr[f][b]), li, ri)
                m = at == ti
                left = m & (B[:, f] <= b)
                at[left] = li
                at[m & ~left] = ri
                nxt += [li, ri]
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


def write_model(path, b1, w1, b2, w2, names1, names2, note, trees1=()):
    with open(path, 'w') as f:
        f.write('# ' + MODEL_NAME + ' - winnow\'s learned block classifier: stage 1 boosted\n'
                '# trees over the block features, stage 2 a logistic regression over\n'
                '# stage 1 around the block (src/model.c names the features,\n'
                '# tools/train.py fits them).  Generated: retrain, do not edit.\n')
        for line in note:
            f.write('# %s\n' % line)
        f.write('threshold %g\n\nstage 1\nbias %.6f\n' % (THRESHOLD, b1))
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
        body = body[:body.index('};')]
        out.append([t.strip().strip('"') for t in body.replace('\n', ' ').split(',') if t.strip()])
    return out


def train(winnow, docs, names, tmpdir, note):
    """Fits both stages on docs; returns the model file path."""
    X1, _, y, w, _ = examples(winnow, ['--no-default-rules', '--rules', RULES_NO_MODEL], docs)
    b1, trees1 = fit_gbdt(X1, y, w)
    w1 = [0.0] * NFEAT1
    stage1 = os.path.join(tmpdir, 'stage1')
    os.makedirs(stage1, exist_ok=True)
    # stage 2 features need stage 1's p: let winnow compute them
    write_model(os.path.join(stage1, MODEL_NAME), b1, w1, 0.0, [0.0] * NFEAT2,
                names[0], names[1], [], trees1)
    _, X2, y2, w2_, _ = examples(winnow, ['--no-default-rules', '--rules', RULES_NO_MODEL,
                                          '--rules', stage1], docs)
    b2, w2 = fit(X2, y2, w2_)
    out = os.path.join(tmpdir, 'final')
    os.makedirs(out, exist_ok=True)
    write_model(os.path.join(out, MODEL_NAME), b1, w1, b2, w2, names[0], names[1], note,
                trees1)
    return os.path.join(out, MODEL_NAME)


RULES_NO_MODEL = None
MODE = 'text'
MODEL_NAME = 'block.model'


def main():
    global RULES_NO_MODEL, MODE, MODEL_NAME
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('winnow')
    ap.add_argument('eval_dir')
    ap.add_argument('--sets', default='scrapinghub,wcxb-article,cleaneval')
    ap.add_argument('--out')
    ap.add_argument('--input', choices=['text', 'html'], default='text')
    ap.add_argument('--folds', type=int, default=0)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    MODE = args.input
    MODEL_NAME = 'html.model' if MODE == 'html' else 'block.model'
    if not args.out:
        args.out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rules',
                                MODEL_NAME)
    names = feature_names(args.winnow)
    assert len(names[0]) == NFEAT1 and len(names[1]) == NFEAT2, names
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
        if args.folds > 1:
            cross_validate(args, docs, names, tmp, sets)
        note = ['Fitted on %d pages of %s.' % (len(docs), ', '.join(sets))]
        path = train(args.winnow, docs, names, os.path.join(tmp, 'all'), note)
        with open(path) as src, open(args.out, 'w') as dst:
            dst.write(src.read())
        print('wrote', args.out)


def cross_validate(args, docs, names, tmp, sets):
    order = list(range(len(docs)))
    random.Random(args.seed).shuffle(order)
    fold_of = {d: k % args.folds for k, d in enumerate(order)}
    outdir = os.path.join(tmp, 'cv-out')
    for k in range(args.folds):
        train_docs = [d for i, d in enumerate(docs) if fold_of[i] != k]
        model = train(args.winnow, train_docs, names, os.path.join(tmp, 'fold%d' % k), [])
        mdir = os.path.dirname(model)
        for i, d in enumerate(docs):
            if fold_of[i] != k:
                continue
            o = os.path.join(outdir, d['set'])
            os.makedirs(o, exist_ok=True)
            extra = ['--no-title'] if d['set'] != 'cleaneval' else []
            with open(d['path'], 'rb') as f, open(os.path.join(o, d['id'] + '.txt'), 'wb') as g:
                subprocess.run([args.winnow, '--input', MODE, '--no-default-rules', '--rules',
                                RULES_NO_MODEL, '--rules', mdir] + extra, stdin=f, stdout=g,
                               check=True)
        print('fold %d/%d done' % (k + 1, args.folds), file=sys.stderr)
    for s in sets:
        gold = os.path.join(args.eval_dir, s)
        res = subprocess.run([sys.executable, os.path.join(args.eval_dir, 'score.py'),
                              os.path.join(outdir, s), gold, '--ids', os.path.join(gold, 'ids')],
                             capture_output=True, text=True).stdout
        last = [l for l in res.splitlines() if l.startswith('F1 ')]
        print('cross-validated %s %s' % (s, last[-1] if last else res))


if __name__ == '__main__':
    main()
