#!/usr/bin/python3
"""A peer's quality on the development sets, measured as winnow's is.

Runs a peer on every page's raw HTML (ID.html) of each set, writes
OUT/SET/ID.txt and prints EVAL_DIR/score.py's F1 for each set.  The
published figures quote the peers on the whole ScrapingHub benchmark;
this measures them on exactly our pages, with our scorer, on all three
sets.  The peers are those Debian packages (trafilatura and jusText are
not in Debian 12):

  readability  readability-lxml (python3-readability); the main text it
               returns, an HTML fragment, is rendered with the sets' own
               renderer (EVAL_DIR/render.py: one line per block, as the
               plain-text inputs are made)
  boilerpipe   boilerpipe's ArticleExtractor (libboilerpipe-java, and
               default-jdk-headless to compile bench/Boilerpipe.java),
               its text as it prints it (the driver compiled once, a
               JVM per set)

usage: tools/peer_quality.py [--peer readability|boilerpipe] EVAL_DIR OUT [SET...]

A page the peer fails on gets an empty output (counted, as score.py
counts a missing text: F1 0 for that page) and a line on stderr.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BP_CP = ['/usr/share/java/boilerpipe.jar', '/usr/share/java/nekohtml.jar',
         '/usr/share/java/xercesImpl.jar']

SETS = ['scrapinghub', 'wcxb-article', 'cleaneval']


def load_render(eval_dir):
    spec = importlib.util.spec_from_file_location('render', os.path.join(eval_dir, 'render.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def readability_peer(eval_dir, work):
    """A function cleaning one set's pages into a directory."""
    from readability import Document  # python3-readability
    render = load_render(eval_dir)

    def run(s, ids, out):
        failed = 0
        for i in ids:
            with open(os.path.join(eval_dir, s, i + '.html'), 'rb') as f:
                html = f.read().decode('utf-8', 'replace')
            try:
                lines = render.html_to_lines(Document(html).summary(html_partial=True))
            except Exception as e:  # noqa: BLE001 (a peer's failure on one page)
                print('peer_quality: %s/%s: %s' % (s, i, e), file=sys.stderr)
                failed += 1
                lines = []
            with open(os.path.join(out, i + '.txt'), 'w', encoding='utf-8') as f:
                f.write(''.join(line + '\n' for line in lines))
        return failed
    return run


def boilerpipe_peer(eval_dir, work):
    """The same for boilerpipe: the driver compiled once into work."""
    cp = ':'.join(BP_CP)
    subprocess.run(['javac', '-cp', cp, '-d', work,
                    os.path.join(HERE, '..', 'bench', 'Boilerpipe.java')], check=True)

    def run(s, ids, out):
        lst = os.path.join(work, 'list')
        with open(lst, 'w') as f:
            f.write(''.join(os.path.join(eval_dir, s, i + '.html') + '\0' for i in ids))
        err = subprocess.run(['java', '-cp', cp + ':' + work, 'Boilerpipe', lst, out],
                             stderr=subprocess.PIPE, text=True, check=True).stderr
        sys.stderr.write(err)
        # the driver writes an empty file for a page it fails on, and says so
        return sum(1 for line in err.splitlines() if line.startswith('Boilerpipe: '))
    return run


PEERS = {'readability': readability_peer, 'boilerpipe': boilerpipe_peer}


def main():
    args = sys.argv[1:]
    peer = 'readability'
    if args[:1] == ['--peer'] and len(args) > 1:
        peer, args = args[1], args[2:]
    if len(args) < 2 or peer not in PEERS:
        sys.exit(__doc__)
    eval_dir, out = args[0], args[1]
    sets = args[2:] or SETS
    with tempfile.TemporaryDirectory() as work:
        run = PEERS[peer](eval_dir, work)
        for s in sets:
            os.makedirs(os.path.join(out, s), exist_ok=True)
            with open(os.path.join(eval_dir, s, 'ids')) as f:
                ids = f.read().split()
            failed = run(s, ids, os.path.join(out, s))
            res = subprocess.run([sys.executable, os.path.join(eval_dir, 'score.py'),
                                  os.path.join(out, s), os.path.join(eval_dir, s),
                                  '--ids', os.path.join(eval_dir, s, 'ids')],
                                 capture_output=True, text=True, check=True).stdout
            f1 = [line for line in res.splitlines() if line.startswith('F1 ')]
            print('%s %s (%d of %d pages failed)' % (s, f1[-1] if f1 else res, failed,
                                                    len(ids)))


if __name__ == '__main__':
    main()
