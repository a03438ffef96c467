"""tools/older.py: which numbers it moves as years, the gold it writes, and
that it runs winnow on the shifted page."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, '..', '..', 'tools', 'older.py')
sys.path.insert(0, os.path.dirname(TOOL))
import older  # noqa: E402


class Older(unittest.TestCase):
    def test_years_moved_other_numbers_left(self):
        page = b'Founded 1995, moved in 2019; code A2035, 12019, 2040, 1989, 2019a.'
        self.assertEqual(older.older(page, -10),
                         b'Founded 1985, moved in 2009; code A2035, 12019, 2040, 1989, 2019a.')

    def test_gold_shifted_ids_copied(self):
        with tempfile.TemporaryDirectory() as t:
            src = os.path.join(t, 'eval', 'set')
            os.makedirs(src)
            for name, text in (('ids', b'p1\n'), ('p1.gold.txt', b'On 3 May 2021.\n'),
                               ('p1.txt', b'On 3 May 2021.\n')):
                with open(os.path.join(src, name), 'wb') as f:
                    f.write(text)
            os.makedirs(os.path.join(t, 'eval', 'notaset'))
            dst = os.path.join(t, 'out')
            env = dict(os.environ, WN_YEARS='-5')
            subprocess.run([sys.executable, TOOL, '--gold', os.path.join(t, 'eval'), dst],
                           env=env, check=True)
            self.assertEqual(sorted(os.listdir(dst)), ['set'])
            self.assertEqual(sorted(os.listdir(os.path.join(dst, 'set'))), ['ids', 'p1.gold.txt'])
            with open(os.path.join(dst, 'set', 'p1.gold.txt'), 'rb') as f:
                self.assertEqual(f.read(), b'On 3 May 2016.\n')
            with open(os.path.join(dst, 'set', 'ids'), 'rb') as f:
                self.assertEqual(f.read(), b'p1\n')

    def test_runs_the_binary_on_the_shifted_page(self):
        # WN_BIN stands in for winnow: cat echoes what it was given, and
        # the exit status is passed on
        env = dict(os.environ, WN_YEARS='-10', WN_BIN='cat')
        out = subprocess.run([sys.executable, TOOL], input=b'In 2019.\n', env=env,
                             capture_output=True, check=True).stdout
        self.assertEqual(out, b'In 2009.\n')
        env['WN_BIN'] = 'false'
        self.assertEqual(subprocess.run([sys.executable, TOOL], input=b'', env=env).returncode, 1)


if __name__ == '__main__':
    unittest.main()
