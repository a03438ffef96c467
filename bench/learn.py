#!/usr/bin/env python3
"""What cross-document learning removes on the development sets, and F1.

usage: bench/learn.py WINNOW EVAL_DIR [--work DIR] [--sets scrapinghub,...]
                      [--docs DIR,...]

Builds, under --work (default: a new directory in /tmp, removed at the
end unless --keep), one tree per set with the page texts (ID.txt) grouped
by site: WORK/SET/tree/HOST/ID.txt, where HOST is the host of the page's
<link rel=canonical> or og:url (without "www.").  A page without a URL gets
a directory of its own, so it is a site of one page.  The pages stay in
/tmp: they are never copied into the project.

Then, per set, it cleans the tree three ways, with --explain (which line
was kept) and without (the text, scored by EVAL_DIR/score.py):
  plain     winnow -o            (single-document cleaning)
  learn     winnow --learn -o    (the shipped thresholds, src/thresholds.c)
  docs>=2   winnow --rules R -o  where R is what learning would write if a
            line needed 2 documents of its site instead of 3 (same shares;
            computed here from `winnow learn --counts`, not shipped)
and prints, per set: sites and their sizes, the lines learning drops that
single-document cleaning kept, how many of those the gold calls content
(score.py's line labels), and shingle F1 over all pages and over the pages
of sites with 2+ pages.  --no-title for scrapinghub and wcxb-article, as
README's quality figures are made.

--docs adds sites that do have many pages but no gold: each DIR's *.html,
rendered to text by EVAL_DIR/render.py (needs python3-lxml) as the
development sets' ID.txt were, is one site.  For those it prints the lines
learning drops beyond single-document cleaning and the commonest rules.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from urllib.parse import urlsplit

CANON = re.compile(r'<link\b[^>]*\brel\s*=\s*["\']?canonical["\']?[^>]*>', re.I)
OGURL = re.compile(r'<meta\b[^>]*\bproperty\s*=\s*["\']?og:url["\']?[^>]*>', re.I)
HREF = re.compile(r'\b(?:href|content)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+))', re.I)
NO_TITLE = {'scrapinghub', 'wcxb-article'}


def page_url(html):
    for pat in (CANON, OGURL):
        for tag in pat.findall(html):
            m = HREF.search(tag)
            url = m and next(g for g in m.groups() if g is not None)
            if url and urlsplit(url).hostname:
                return url
    return None


def host(url):
    h = urlsplit(url).hostname.lower().rstrip('.')
    while h.startswith('www.') and len(h) > 4:
        h = h[4:]
    return h


def build_tree(set_dir, tree):
    """Copies ID.txt into tree/HOST/; returns {id: host or None}."""
    ids = [line.strip() for line in open(os.path.join(set_dir, 'ids')) if line.strip()]
    sites = {}
    for i in ids:
        with open(os.path.join(set_dir, i + '.html'), encoding='utf-8', errors='replace') as f:
            url = page_url(f.read())
        sites[i] = host(url) if url else None
        d = os.path.join(tree, sites[i] or 'no-url-' + i)
        os.makedirs(d, exist_ok=True)
        shutil.copy(os.path.join(set_dir, i + '.txt'), os.path.join(d, i + '.txt'))
    return sites


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit('bench/learn.py: %s failed: %s' % (' '.join(cmd), p.stderr))
    return p.stdout


def whatif_rules(counts, min_docs, short_pm=100, long_pm=800, long_words=16):
    """The rules `winnow learn` would write with min_docs (else the same)."""
    out, site, docs = ['# what-if: %d+ documents' % min_docs], None, 0
    for line in counts.splitlines()[3:]:
        if line.startswith('site '):
            _, n, site = line.split(' ', 2)
            docs = int(n)
            out.append('site ' + site)
            continue
        n, key = line.split(' ', 1)
        n = int(n)
        pm = long_pm if len(re.findall(r'\w+', key)) >= long_words else short_pm
        if n >= min_docs and n * 1000 >= pm * docs:
            out.append('omit exact ' + key)
    return '\n'.join(out) + '\n'


def explain_kept(out_dir, sites):
    """{id: set of kept line numbers}, {id: {line: reason}} from --explain."""
    kept, reasons = {}, {}
    for i, s in sites.items():
        path = os.path.join(out_dir, s or 'no-url-' + i, i + '.txt')
        kept[i], reasons[i] = set(), {}
        for row in open(path, encoding='utf-8', errors='replace'):
            f = row.rstrip('\n').split('\t', 3)
            if len(f) == 4:
                reasons[i][int(f[0])] = f[2]
                if f[1] == 'keep':
                    kept[i].add(int(f[0]))
    return kept, reasons


def labels(set_dir, i):
    sys.path.insert(0, os.path.dirname(os.path.abspath(set_dir)))
    import score  # the benchmark's own line labels
    src = open(os.path.join(set_dir, i + '.txt'), encoding='utf-8', errors='replace').read()
    gold = open(os.path.join(set_dir, i + '.gold.txt'), encoding='utf-8', errors='replace').read()
    toks = score.lines_tokens(src)
    return toks, score.label_lines(toks, score.TOKEN.findall(gold))


def f1(eval_dir, set_name, out_dir, sites, ids, work):
    flat = tempfile.mkdtemp(dir=work)
    for i in ids:
        s = sites[i]
        shutil.copy(os.path.join(out_dir, s or 'no-url-' + i, i + '.txt'), os.path.join(flat, i + '.txt'))
    idf = os.path.join(flat, 'ids.list')
    with open(idf, 'w') as f:
        f.write('\n'.join(ids) + '\n')
    out = run([sys.executable, os.path.join(eval_dir, 'score.py'), flat,
               os.path.join(eval_dir, set_name), '--ids', idf])
    return float(out.strip().splitlines()[-1].split()[1])


def removed(eval_dir, set_name, sites, plain, other):
    """Lines kept by plain and dropped by other: lines, tokens, content."""
    lines = toks = content_lines = content_toks = 0
    for i in sites:
        extra = plain[i] - other[i]
        if not extra:
            continue
        t, lab = labels(os.path.join(eval_dir, set_name), i)
        for ln in extra:
            n = len(t[ln - 1])
            lines += 1
            toks += n
            if lab[ln - 1]:
                content_lines += 1
                content_toks += n
    return lines, toks, content_lines, content_toks


def measure(winnow, eval_dir, set_name, work):
    set_dir = os.path.join(eval_dir, set_name)
    base = os.path.join(work, set_name)
    tree = os.path.join(base, 'tree')
    sites = build_tree(set_dir, tree)
    flags = ['-q'] + (['--no-title'] if set_name in NO_TITLE else [])
    counts = run([winnow, 'learn', '-q', '--counts', tree])
    whatif = os.path.join(base, 'docs2.rules')
    with open(whatif, 'w') as f:
        f.write(whatif_rules(counts, 2))
    runs = {'plain': [], 'learn': ['--learn'], 'docs>=2': ['--rules', whatif]}
    kept, text_dirs = {}, {}
    for name, extra in runs.items():
        out = os.path.join(base, name.replace('>=', 'ge'))
        run([winnow] + flags + extra + ['--explain', '-o', out + '.explain', tree])
        run([winnow] + flags + extra + ['-o', out, tree])
        kept[name], _ = explain_kept(out + '.explain', sites)
        text_dirs[name] = out
    size = Counter(s for s in sites.values() if s)
    multi = sorted(i for i, s in sites.items() if s and size[s] >= 2)
    hist = Counter(size.values())
    print('## %s: %d pages, %d without a URL; %d sites: %s' % (
        set_name, len(sites), sum(1 for s in sites.values() if not s), len(size),
        ', '.join('%d of %d page%s' % (hist[k], k, 's' if k > 1 else '') for k in sorted(hist))))
    print()
    print('| run | lines dropped beyond plain | tokens | of which gold content (lines / tokens) '
          '| F1 all pages | F1 pages of 2+ page sites (%d) |' % len(multi))
    print('| --- | --- | --- | --- | --- | --- |')
    for name in runs:
        ln, tk, cl, ct = removed(eval_dir, set_name, sites, kept['plain'], kept[name])
        fa = f1(eval_dir, set_name, text_dirs[name], sites, sorted(sites), work)
        fm = f1(eval_dir, set_name, text_dirs[name], sites, multi, work) if multi else float('nan')
        print('| %s | %d | %d | %d / %d | %.4f | %.4f |' % (name, ln, tk, cl, ct, fa, fm))
    print()


def measure_docs(winnow, eval_dir, dirs, work):
    tree = os.path.join(work, 'docs', 'tree')
    sites = {}
    for d in dirs:
        name = os.path.basename(os.path.normpath(d)) or 'site'
        if os.path.basename(os.path.normpath(d)) in ('html', 'api'):
            name = os.path.basename(os.path.dirname(os.path.normpath(d)))
        os.makedirs(os.path.join(tree, name), exist_ok=True)
        for f in sorted(os.listdir(d)):
            if f.endswith('.html'):
                i = f[:-5]
                with open(os.path.join(tree, name, i + '.txt'), 'w') as out:
                    subprocess.run(['/usr/bin/python3', os.path.join(eval_dir, 'render.py'),
                                    os.path.join(d, f)], stdout=out, check=True)
                sites[(name, i)] = name
    rules = run([winnow, 'learn', '-q', tree])
    kept, text = {}, {}
    for name, extra in (('plain', []), ('learn', ['--learn'])):
        out = os.path.join(work, 'docs', name)
        run([winnow, '-q', '--explain'] + extra + ['-o', out, tree])
        kept[name] = {}
        for (s, i) in sites:
            rows = [r.rstrip('\n').split('\t', 3) for r in open(os.path.join(out, s, i + '.txt'),
                                                             encoding='utf-8', errors='replace')]
            kept[name][(s, i)] = {int(r[0]) for r in rows if len(r) == 4 and r[1] == 'keep'}
            text[(s, i)] = {int(r[0]): r[3] for r in rows if len(r) == 4}
    print('## documentation sites (no gold): %s' % ', '.join(
        '%s %d pages' % (s, sum(1 for v in sites.values() if v == s)) for s in sorted(set(sites.values()))))
    print()
    print('| site | lines kept by plain | of which learning drops | rules learned |')
    print('| --- | --- | --- | --- |')
    for s in sorted(set(sites.values())):
        ks = [k for k in sites if k[0] == s]
        plain = sum(len(kept['plain'][k]) for k in ks)
        gone = sum(len(kept['plain'][k] - kept['learn'][k]) for k in ks)
        block = rules.split('\nsite %s\n' % s, 1)[1].split('\nsite ', 1)[0] if ('\nsite %s\n' % s) in rules else ''
        learned = [l[len('omit exact '):] for l in block.splitlines() if l.startswith('omit exact ')]
        print('| %s | %d | %d | %d: %s... |' % (s, plain, gone, len(learned),
                                              ', '.join('"%s"' % k for k in learned[:4])))
    print()
    for s in sorted(set(sites.values())):
        ks = [k for k in sites if k[0] == s]
        left = Counter(text[k][n] for k in ks for n in kept['plain'][k] - kept['learn'][k])
        print('%s, the lines most often left out: %s' % (s, '; '.join(
            '%d x "%s"' % (c, t) for t, c in left.most_common(12))))
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('winnow')
    ap.add_argument('eval_dir')
    ap.add_argument('--work')
    ap.add_argument('--keep', action='store_true', help='keep the work directory')
    ap.add_argument('--sets', default='scrapinghub,wcxb-article,cleaneval')
    ap.add_argument('--docs', default='', help='directories of HTML pages, one site each')
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix='winnow-learn-bench.')
    try:
        for s in filter(None, a.sets.split(',')):
            measure(os.path.abspath(a.winnow), os.path.abspath(a.eval_dir), s, work)
        if a.docs:
            measure_docs(os.path.abspath(a.winnow), os.path.abspath(a.eval_dir),
                         a.docs.split(','), work)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
