#!/usr/bin/python3
"""Peer reference for bench/run.sh: readability-lxml (Debian's
python3-readability) over a NUL-separated list of HTML files, in one
long-running process, printing each page's main text.

usage: peer_readability.py LIST
"""
import sys

import lxml.html
from readability import Document


def main():
    names = open(sys.argv[1], 'rb').read().split(b'\0')
    out = sys.stdout
    for name in names:
        if not name:
            continue
        html = open(name, 'rb').read().decode('utf-8', 'replace')
        try:
            summary = Document(html).summary(html_partial=True)
            text = lxml.html.fromstring(summary).text_content()
        except Exception as e:  # a page readability cannot parse: counted, not fatal
            print('peer_readability: %s: %s' % (name.decode(), e), file=sys.stderr)
            continue
        out.write(text)
        out.write('\n')


if __name__ == '__main__':
    main()
