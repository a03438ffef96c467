"""tools/gold_glue.py: which gold words it splits, and what it writes."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, '..', '..', 'tools', 'gold_glue.py')
sys.path.insert(0, os.path.dirname(TOOL))
import gold_glue  # noqa: E402


class SplitGlued(unittest.TestCase):
    def test_line_break_in_source_split(self):
        src = '<p>a significant passage\n  in an obscure document</p>'
        gold = 'a significant passagein an obscure document'
        pred = 'a significant passage in an obscure document'
        fixed, n = gold_glue.split_glued(gold, pred, src)
        self.assertEqual(n, 1)
        self.assertEqual(fixed, pred)

    def test_space_in_source_left(self):
        # no line break between the words: the gold's join is not the
        # line-break artefact, so it is left as the gold has it
        src = '<p>a significant passage in an obscure document</p>'
        gold = 'a significant passagein an obscure document'
        fixed, n = gold_glue.split_glued(gold, 'a significant passage in an obscure document', src)
        self.assertEqual((fixed, n), (gold, 0))

    def test_word_the_output_has_left(self):
        # "into" is a token of the output: a real word, not a glued one
        src = 'go in\nto town, go into town'
        gold = 'go into town, go into town'
        fixed, n = gold_glue.split_glued(gold, 'go in to town, go into town', src)
        self.assertEqual((fixed, n), (gold, 0))

    def test_tag_between_not_split(self):
        src = 'the passage</p>\n<p>in an obscure'
        gold = 'the passagein an obscure'
        fixed, n = gold_glue.split_glued(gold, 'the passage in an obscure', src)
        self.assertEqual(n, 0)


class Main(unittest.TestCase):
    def test_writes_gold_copy_and_ids(self):
        with tempfile.TemporaryDirectory() as t:
            s, p, o = (os.path.join(t, x) for x in ('set', 'pred', 'out'))
            os.makedirs(s)
            os.makedirs(p)
            for name, text in (('ids', 'x1\nx2\n'),
                               ('x1.html', 'one two\nthree four'),
                               ('x1.gold.txt', 'one twothree four'),
                               ('x2.html', 'five six'),
                               ('x2.gold.txt', 'five six')):
                with open(os.path.join(s, name), 'w') as f:
                    f.write(text)
            with open(os.path.join(p, 'x1.txt'), 'w') as f:
                f.write('one two three four\n')
            # x2 has no output: its gold is copied as it is
            r = subprocess.run([sys.executable, TOOL, p, s, o], capture_output=True,
                               text=True, check=True)
            self.assertEqual(r.stdout.strip(), 'gold tokens split: 1 of 5')
            with open(os.path.join(o, 'x1.gold.txt')) as f:
                self.assertEqual(f.read(), 'one two three four')
            with open(os.path.join(o, 'x2.gold.txt')) as f:
                self.assertEqual(f.read(), 'five six')
            with open(os.path.join(o, 'ids')) as f:
                self.assertEqual(f.read(), 'x1\nx2\n')


if __name__ == '__main__':
    unittest.main()
