"""Tests of the Python binding, against the CLI built from the same tree.

Run by `meson test -C BUILD --suite python`, which sets PYTHONPATH to the
build tree's python/ and WINNOW_CLI / WINNOW_FIXTURES.  Every comparison
with the CLI is byte for byte on the same input.
"""

import concurrent.futures
import errno
import os
import pathlib
import pickle
import subprocess
import threading
import time

import pytest

import winnow

CLI = os.environ["WINNOW_CLI"]
FIXTURES = pathlib.Path(os.environ["WINNOW_FIXTURES"])
# the seeds are NNN_*; the other golden fixtures (ja_blog, zh_news) join
# the round trip below
GOLDEN = sorted(p.name[: -len(".expected.txt")]
                for p in FIXTURES.glob("*.expected.txt"))
SEEDS = [n for n in GOLDEN if n[:3].isdigit() and n[3] == "_"]
SEED_000 = "000_44f2caacc2e5ea80"


def seed(name):
    return (FIXTURES / f"{name}.txt").read_bytes()


def cli(data, *args):
    """The CLI's output on data (bytes) through standard input."""
    run = subprocess.run([CLI, *args], input=data, capture_output=True,
                         check=True)
    return run.stdout


def test_five_seeds_are_there():
    assert len(SEEDS) == 5


# ---- round trip on the seeds ----------------------------------------------

@pytest.mark.parametrize("name", GOLDEN)
def test_seed_str_equals_cli_and_golden(name):
    data = seed(name)
    out = winnow.clean(data.decode("utf-8")).encode("utf-8")
    assert out == cli(data)
    assert out == (FIXTURES / f"{name}.expected.txt").read_bytes()


@pytest.mark.parametrize("name", SEEDS)
def test_seed_bytes_equals_str(name):
    data = seed(name)
    assert winnow.clean(data) == winnow.clean(data.decode("utf-8"))


def test_bytes_like_inputs():
    data = seed(SEED_000)
    want = winnow.clean(data)
    assert winnow.Cleaner().clean(bytearray(data)) == want
    assert winnow.Cleaner().clean(memoryview(data)) == want


def test_empty_and_blank_input():
    assert winnow.clean("") == ""
    assert winnow.clean(b"\n\n  \n") == ""


# ---- options, each compared with the CLI's flag ---------------------------

OPTIONS = [
    ({"no_title": True}, ["--no-title"]),
    ({"nfkc": True}, ["--nfkc"]),
    ({"ascii_punct": True}, ["--ascii-punct"]),
    ({"lang": "en"}, ["--lang", "en"]),
    ({"lang": "de"}, ["--lang", "de"]),
    ({"default_rules": False}, ["--no-default-rules"]),
    ({"html": False}, ["--input", "text"]),
]


def _touched():
    """Seed 000 with a superscript and curly quotes in kept paragraphs."""
    text = seed(SEED_000).decode("utf-8")
    text = text.replace("70,000 troops", "70,000 troops\u00b2", 1)
    return text.replace("Biden will Hold", "\u201cBiden\u201d will Hold", 1)


@pytest.mark.parametrize("kwargs,flags", OPTIONS,
                         ids=[" ".join(f) for _, f in OPTIONS])
def test_option_equals_cli(kwargs, flags):
    docs = [seed(n) for n in SEEDS] + [_touched().encode("utf-8")]
    cleaner = winnow.Cleaner(**kwargs)
    for data in docs:
        assert cleaner.clean(data).encode("utf-8") == cli(data, *flags)
        assert winnow.clean(data, **kwargs).encode("utf-8") == cli(data, *flags)


def test_no_title_drops_the_headline():
    headline = "Biden and Putin Seeks Diplomatic Path on Call\n"
    assert winnow.clean(seed(SEED_000)).startswith(headline)
    assert headline not in winnow.clean(seed(SEED_000), no_title=True)


def test_nfkc_and_ascii_punct():
    text = _touched()
    plain = winnow.clean(text)
    assert "troops\u00b2" in plain and "\u201cBiden\u201d" in plain
    assert "troops2" in winnow.clean(text, nfkc=True)
    assert '"Biden"' in winnow.clean(text, ascii_punct=True)


def test_default_rules_false_changes_the_output():
    docs = [seed(n) for n in SEEDS]
    assert any(winnow.clean(d, default_rules=False) != winnow.clean(d)
               for d in docs)


def test_lang_changes_the_stoplist():
    docs = [seed(n) for n in SEEDS]
    assert any(winnow.clean(d, lang="de") != winnow.clean(d) for d in docs)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        winnow.Cleaner(None, True, None)
    with pytest.raises(TypeError):
        winnow.clean("text", None)


# ---- rules ------------------------------------------------------------------

JOE = "Joe Biden, the President of the United States"


def test_rules_file_str_pathlike_list_and_dir(tmp_path):
    rules = tmp_path / "site.rules"
    rules.write_text("# ours\ndrop prefix joe biden\n")
    data = seed(SEED_000)
    assert JOE in winnow.clean(data)
    want = cli(data, "-r", str(rules))
    for arg in (str(rules), rules, os.fsencode(rules), [rules],
                (str(rules),), iter([rules]), tmp_path):
        out = winnow.Cleaner(rules=arg).clean(data)
        assert JOE not in out, arg
        assert out.encode("utf-8") == want, arg
    assert JOE not in winnow.clean(data, rules=rules)


def test_rules_reason_names_file_and_line(tmp_path):
    rules = tmp_path / "site.rules"
    rules.write_text("# ours\ndrop prefix joe biden\n")
    blocks = winnow.Cleaner(rules=rules).explain(seed(SEED_000))
    joe = [b for b in blocks if b.text.startswith(JOE)]
    assert joe and not joe[0].kept
    assert joe[0].reason == f"{rules}:2"
    assert joe[0].score is None


def test_rules_without_defaults(tmp_path):
    rules = tmp_path / "site.rules"
    rules.write_text("drop prefix joe biden\n")
    data = seed(SEED_000)
    out = winnow.clean(data, rules=rules, default_rules=False)
    assert out.encode("utf-8") == cli(data, "--no-default-rules", "-r", str(rules))
    assert JOE not in out


# ---- errors -----------------------------------------------------------------

def test_bad_lang_is_value_error():
    with pytest.raises(ValueError, match="'xx'"):
        winnow.Cleaner(lang="xx")
    with pytest.raises(ValueError, match="'xx'"):
        winnow.clean("text", lang="xx")
    with pytest.raises(ValueError):
        winnow.Cleaner(lang="e\0n")


def test_lone_surrogate_in_str_is_repaired():
    # json.loads('"\\ud800"') gives a str with no UTF-8: it was a
    # UnicodeEncodeError; it is cleaned as invalid UTF-8 is (U+FFFD)
    para = ("The city council voted on Tuesday night to approve a budget of "
            "1.2 billion dollars after a long debate about the costs of it all. ")
    out = winnow.clean(para + "\ud800 " + para)
    assert "\ud800" not in out and "\ufffd" in out
    assert "approve a budget" in out


def test_lang_type_error_names_the_argument():
    # "z" parsing named it by position ("argument 5"), unlike the flags
    with pytest.raises(TypeError, match="argument 'lang' must be str or None, not int"):
        winnow.clean("text", lang=5)


def test_malformed_rules_name_file_and_line(tmp_path):
    rules = tmp_path / "bad.rules"
    rules.write_text("drop exact fine\ndorp exact oops\n")
    with pytest.raises(ValueError) as e:
        winnow.Cleaner(rules=rules)
    assert f"{rules}:2: " in str(e.value)
    assert "dorp" in str(e.value)
    with pytest.raises(ValueError, match=f"{tmp_path}/bad.rules:2: "):
        winnow.clean("text", rules=[tmp_path])


def test_bad_regex_names_file_and_line(tmp_path):
    rules = tmp_path / "re.rules"
    rules.write_text("\n\ndrop regex ([a-z\n")
    with pytest.raises(ValueError, match=f"{rules}:3: "):
        winnow.Cleaner(rules=str(rules))


def test_missing_rules_path_is_os_error(tmp_path):
    missing = tmp_path / "nope.rules"
    with pytest.raises(FileNotFoundError) as e:
        winnow.Cleaner(rules=missing)
    assert e.value.filename == str(missing)
    assert isinstance(e.value, OSError)
    with pytest.raises(OSError):
        winnow.clean("text", rules=[missing])
    # an empty path names no file, and is still a FileNotFoundError
    with pytest.raises(FileNotFoundError) as e:
        winnow.Cleaner(rules="")
    assert e.value.filename == "" and e.value.errno == 2


def test_unreadable_rules_file_is_os_error(tmp_path):
    # opened but unreadable, even by root: a directory named like a rules
    # file inside a rules directory
    (tmp_path / "sub.rules").mkdir()
    with pytest.raises(IsADirectoryError) as e:
        winnow.Cleaner(rules=tmp_path)
    assert e.value.filename == str(tmp_path / "sub.rules")


def test_stop_that_is_a_file_is_os_error(tmp_path):
    # a rules directory whose stop/ is a file: an I/O error, not a crash
    (tmp_path / "stop").write_text("not a dir\n")
    with pytest.raises(OSError):
        winnow.Cleaner(rules=tmp_path)


def test_fifo_in_rules_dir_is_os_error_with_filename(tmp_path):
    # an error of winnow's own, with no errno: an OSError that still
    # names the file (filename was None)
    os.mkfifo(tmp_path / "x.rules")
    with pytest.raises(OSError) as e:
        winnow.Cleaner(rules=tmp_path)
    assert e.value.filename == str(tmp_path / "x.rules")
    assert e.value.errno == errno.EINVAL
    assert e.value.strerror == "not a regular file"


def test_explain_reason_with_a_non_utf8_rules_path(tmp_path):
    # the reason names a rules file by its bytes: read as os.fsdecode
    # reads them (explain() raised UnicodeDecodeError)
    path = os.fsencode(tmp_path) + b"/\xff.rules"
    with open(path, "wb") as f:
        f.write(b"drop exact xyzzy plugh frob\n")
    doc = ("Headline of the story here\n\nxyzzy plugh frob\n\n" +
           "This is a long paragraph of article text that goes on and on "
           "with many words in it. " * 5 + "\n")
    blocks = winnow.Cleaner(rules=path, html=False).explain(doc)
    assert os.fsencode(blocks[1].reason) == path + b":1"
    assert not blocks[1].kept


@pytest.mark.parametrize("call", [
    lambda: winnow.clean(123),
    lambda: winnow.clean(None),
    lambda: winnow.clean(["text"]),
    lambda: winnow.Cleaner().clean(1.5),
    lambda: winnow.Cleaner().explain(object()),
    lambda: winnow.Cleaner(rules=123),
    lambda: winnow.Cleaner(rules=[123]),
    lambda: winnow.clean("text", rules=[os.devnull, 4]),
    lambda: winnow.Cleaner(lang=5),
    lambda: winnow.Cleaner(lang=b"en"),
    lambda: winnow.clean("text", lang=["en"]),
    lambda: winnow.Cleaner(colour="red"),
    lambda: winnow.clean("text", colour="red"),
    lambda: winnow.Cleaner(nfkc="no"),
    lambda: winnow.Cleaner(no_title=1),
    lambda: winnow.Cleaner(default_rules=None),
    lambda: winnow.clean("text", ascii_punct="yes"),
    lambda: winnow.Cleaner(html=1),
], ids=["clean(int)", "clean(None)", "clean(list)", "Cleaner.clean(float)",
        "explain(object)", "rules=int", "rules=[int]", "rules=[str, int]",
        "lang=int", "lang=bytes", "clean(lang=list)", "Cleaner(colour=)",
        "clean(colour=)", "nfkc=str", "no_title=int", "default_rules=None",
        "clean(ascii_punct=str)", "html=int"])
def test_wrong_types_are_type_errors(call):
    with pytest.raises(TypeError):
        call()


# ---- explain ----------------------------------------------------------------

@pytest.mark.parametrize("name", SEEDS)
def test_explain_equals_cli(name):
    data = seed(name)
    blocks = winnow.Cleaner().explain(data)
    rows = cli(data, "--explain").decode("utf-8").splitlines()
    assert len(blocks) == len(rows)
    for b, row in zip(blocks, rows):
        line, verdict, reason, text = row.split("\t", 3)
        assert (b.line, b.kept, b.reason, b.text) == \
            (int(line), verdict == "keep", reason, text)


def test_explain_blocks():
    data = seed(SEED_000)
    lines = data.decode("utf-8").split("\n")
    blocks = winnow.Cleaner().explain(data)
    nonblank = [i + 1 for i, l in enumerate(lines) if l.strip()]
    assert [b.line for b in blocks] == nonblank
    for b in blocks:
        assert isinstance(b, winnow.Block) and isinstance(b, tuple)
        assert b == (b.text, b.kept, b.reason, b.line, b.score, b.path)
        assert b.text == lines[b.line - 1]
        assert isinstance(b.kept, bool) and isinstance(b.reason, str)
        assert b.score is None or 0.0 <= b.score <= 1.0
        assert b.path is None  # text input
    assert any(b.kept for b in blocks) and not all(b.kept for b in blocks)
    assert any(b.score is not None for b in blocks)
    assert pickle.loads(pickle.dumps(blocks)) == blocks


def test_explain_kept_blocks_are_the_output():
    data = seed(SEED_000)
    kept = [b.text for b in winnow.Cleaner().explain(data) if b.kept]
    assert "\n\n".join(kept) + "\n" == winnow.clean(data)


def test_explain_of_a_big_text_decides_as_clean():
    """A text over the 4 MB window is explained window by window, as it
    is cleaned: explained whole, 8,558 of 33,600 blocks of a 6.5 MB text
    were decided otherwise than by clean() and the CLI."""
    one = b"\n".join(seed(n) for n in SEEDS) + b"\n"
    data = one * (6_500_000 // len(one) + 1)
    cleaner = winnow.Cleaner()
    blocks = cleaner.explain(data)
    rows = cli(data, "--explain").decode("utf-8").splitlines()
    assert [(b.line, b.kept) for b in blocks] == \
        [(int(r.split("\t")[0]), r.split("\t")[1] == "keep") for r in rows]
    kept = sum(1 for line in cleaner.clean(data).split("\n") if line)
    assert sum(b.kept for b in blocks) == kept


# ---- threads ----------------------------------------------------------------

def test_threads_share_one_cleaner():
    cleaner = winnow.Cleaner(no_title=True)
    docs = [seed(n) for n in SEEDS]
    docs += [d.decode("utf-8") for d in docs]
    serial = [cleaner.clean(d) for d in docs]
    serial_explain = [cleaner.explain(d) for d in docs]
    jobs = [(i, k) for k in range(40) for i in range(len(docs))]

    def work(job):
        i, k = job
        if k % 4 == 3:
            return cleaner.explain(docs[i]) == serial_explain[i]
        return cleaner.clean(docs[i]) == serial[i]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, jobs))
    assert len(results) == len(jobs) and all(results)


def test_clean_releases_the_gil():
    # A document that takes a while to clean; while the worker is inside
    # clean(), this thread must keep running.  Holding the GIL would
    # leave no tick of ours strictly between the worker's two stamps.
    big = b"\n".join(seed(n) for n in SEEDS) * 240
    cleaner = winnow.Cleaner()
    stamps = {}

    def worker():
        stamps["start"] = time.perf_counter()
        cleaner.clean(big)
        stamps["end"] = time.perf_counter()

    thread = threading.Thread(target=worker)
    ticks = []
    thread.start()
    while thread.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    thread.join()
    inside = [t for t in ticks if stamps["start"] < t < stamps["end"]]
    assert stamps["end"] - stamps["start"] > 0.05
    assert len(inside) >= 10


# ---- invalid UTF-8 ----------------------------------------------------------

def test_invalid_utf8_bytes_are_repaired_as_the_cli_does():
    data = seed(SEED_000).replace(b"70,000 troops",
                                  b"70,000 caf\xe9 troops \xff\x81", 1)
    data += b"\n\xc3\x28 broken \xed\xa0\x80 surrogate\n"
    out = winnow.clean(data)
    assert isinstance(out, str)
    assert out.encode("utf-8") == cli(data)
    assert "70,000 caf\u00e9 troops" in out
    out.encode("utf-8", "strict")  # the output is valid UTF-8
    for b in winnow.Cleaner().explain(data):
        b.text.encode("utf-8", "strict")


def test_nul_bytes_are_removed_not_truncating():
    # the CLI refuses such input as binary; the library cleans it, and a
    # NUL (a control character) is dropped without cutting the text short
    data = seed(SEED_000)
    with_nul = data.replace(b"70,000 troops", b"70,000\0 troops", 1)
    assert with_nul != data
    assert winnow.clean(with_nul) == winnow.clean(data)


# ---- HTML -------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Harbour wall</title></head>
<body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News
</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a>
</li></ul></nav>
<article>
<p>Councillors in Porthlow voted on Tuesday night to rebuild the town's old
sea wall, ending three years of argument over how to protect the harbour
from the winter storms that have battered it since the war.</p>
<p>The decision, passed by eleven votes to four, commits the council to
borrowing most of the cost, which the engineers now put at just over nine
million pounds, and the work is expected to take two summers.</p>
</article>
</body></html>
"""


def _html_mode():
    """Whether libwinnow parses HTML: in text mode the blocks are the raw
    lines, tags and all."""
    blocks = winnow.Cleaner(html=True).explain(PAGE)
    return not any("<p>" in b.text for b in blocks)


needs_html = pytest.mark.skipif(not _html_mode(),
                                reason="libwinnow reads HTML as text (no HTML mode yet)")


def test_html_false_reads_tags_as_text():
    blocks = winnow.Cleaner(html=False).explain(PAGE)
    assert any(b.text.startswith("<nav") for b in blocks)
    assert all(b.path is None for b in blocks)


@needs_html
@pytest.mark.parametrize("html", [True, None])
def test_html_drops_the_menu_keeps_the_article(html):
    out = winnow.clean(PAGE, html=html)
    assert "Councillors in Porthlow voted" in out
    assert "eleven votes to four" in out
    assert "Home" not in out and "Weather" not in out
    assert "<" not in out


@needs_html
def test_html_explain_has_element_paths():
    blocks = winnow.Cleaner(html=True).explain(PAGE.encode("utf-8"))
    article = [b for b in blocks if b.text.startswith("Councillors")]
    assert article and article[0].kept
    assert article[0].path and article[0].path.endswith("p")
    menu = [b for b in blocks if "Home" in b.text]
    assert menu and not any(b.kept for b in menu)


@needs_html
def test_html_equals_cli():
    data = PAGE.encode("utf-8")
    assert winnow.clean(data, html=True).encode("utf-8") == \
        cli(data, "--input", "html")
    assert winnow.clean(data).encode("utf-8") == cli(data)


# ---- the package --------------------------------------------------------------

def test_package_metadata():
    assert winnow.__version__ == subprocess.run(
        [CLI, "--version"], capture_output=True, text=True,
        check=True).stdout.split()[-1]
    pkg = pathlib.Path(winnow.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "__init__.pyi").exists()
    for obj in (winnow, winnow.clean, winnow.Cleaner, winnow.Cleaner.clean,
                winnow.Cleaner.explain, winnow.Block, winnow.Block.text):
        assert obj.__doc__, obj
