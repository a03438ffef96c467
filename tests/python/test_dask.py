"""Tests of winnow.dask on a real dask.distributed cluster, against the CLI.

Run by `meson test -C BUILD --suite dask` (when Debian's python3-distributed
is installed), with PYTHONPATH at the build tree's python/ and WINNOW_CLI and
WINNOW_FIXTURES set.  One LocalCluster of two worker processes on loopback
serves the module; the corpora are built in tmp directories at test time
from tests/fixtures (always) and from the development pages of
../shared/eval beside the source tree (or $WINNOW_EVAL) when present.
Every comparison with the CLI is byte for byte, file by file.
"""

import gzip
import io
import json
import logging
import os
import pathlib
import subprocess
import sys

import pytest
from dask.distributed import Client, LocalCluster

import winnow.dask as wd

CLI = os.environ["WINNOW_CLI"]
FIXTURES = pathlib.Path(os.environ["WINNOW_FIXTURES"])
# ../shared/eval beside the source tree, as the quality suite finds it
EVAL = pathlib.Path(os.environ.get("WINNOW_EVAL",
                                   FIXTURES.resolve().parents[2] / "shared" / "eval"))
SEEDS = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt"))
         if not p.name.endswith(".expected.txt")]
EVAL_PAGES = sorted(p for p in EVAL.glob("*/*.txt")
                    if not p.name.endswith(".gold.txt"))

# A line of gazette.example's template that the model keeps on a page by
# itself (it reads as a sentence): only learning across the site takes it.
CHROME = ("The Harbour Gazette has served readers in the valley since 1921, "
          "independent and local.")


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0",
                      silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as c:
        c.wait_for_workers(2)
        yield c


def cli(*args, cwd=None):
    return subprocess.run([CLI, *map(str, args)], capture_output=True,
                          cwd=cwd, check=False)


def tree(d):
    """{name: bytes} of the files in d."""
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(d).iterdir())}


def dask_run(client, indir, out, pattern="*", **kw):
    err = io.StringIO()
    shards = wd.find_shards([str(indir / pattern)], str(out), kw.pop("kind", "auto"))
    s = wd.clean_shards(client, shards, str(out),
                        wd.Options(winnow=CLI, **kw), stderr=err)
    return s, err.getvalue()


def _with_chrome(text):
    lines = text.split("\n")
    lines.insert(len(lines) // 2, CHROME)
    return "\n".join(lines)


def fixture_records(shards=4, text_key="text", url_key="url"):
    """Shards of 5 records from the seeds: in each, 2 of gazette.example
    (its chrome line in every one), 1 of other.example (the line once in
    the corpus), 2 without a URL.  No shard holds the 3 pages of a site
    that learning needs, so the line goes only if the counts of all the
    shards are merged; no seed is 3 pages of one site."""
    out = []
    for s in range(shards):
        recs = []
        for j in range(5):
            r = s * 5 + j
            text = SEEDS[(r + s) % 5]
            rec = {"id": f"doc-{r:02d}-\u00e9"}
            if j < 2:
                rec[url_key] = f"https://gazette.example/{s}/{j}"
                text = _with_chrome(text)
            elif j == 2:
                rec[url_key] = f"https://other.example/{s}"
                text = _with_chrome(text) if s == 1 else text
            rec[text_key] = text
            rec["meta"] = {"shard": s, "n": r}
            recs.append(rec)
        out.append(recs)
    return out


def write_jsonl(d, records, name="part-{:03d}.jsonl"):
    d.mkdir(parents=True, exist_ok=True)
    for i, recs in enumerate(records):
        with open(d / name.format(i), "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return d


def wet_record(text, i, url):
    body = text.encode("utf-8")
    head = ("WARC/1.0\r\nWARC-Type: conversion\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{i:012d}>\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: 2024-02-01T10:20:30Z\r\n"
            "Content-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body + b"\r\n\r\n"


def write_wet(d):
    """Two WET shards of gazette.example pages, the second gzip, one
    member per record, as Common Crawl writes them."""
    d.mkdir(parents=True, exist_ok=True)
    recs = [wet_record(_with_chrome(SEEDS[i % 5]), i,
                       f"https://gazette.example/w/{i}") for i in range(6)]
    (d / "a.warc.wet").write_bytes(b"".join(recs[:3]))
    (d / "b.warc.wet.gz").write_bytes(b"".join(gzip.compress(r) for r in recs[3:]))
    return d


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "in", fixture_records())


def texts(out_tree):
    return [json.loads(line)["text"] for name in sorted(out_tree)
            for line in out_tree[name].decode().splitlines()]


# ---- the cluster -------------------------------------------------------------

def test_two_worker_processes(client):
    pids = client.run(os.getpid)
    assert len(pids) == 2 and len(set(pids.values())) == 2
    assert os.getpid() not in pids.values()


def test_default_executable_is_the_build_trees(client):
    # PYTHONPATH=BUILD/python: the winnow beside the package, on the worker
    got = client.submit(wd._executable, None, pure=False).result()
    assert os.path.samefile(got, CLI)


# ---- byte for byte with the CLI -----------------------------------------------

def test_learn_equals_cli_and_needs_every_shard(client, corpus, tmp_path):
    s, err = dask_run(client, corpus, tmp_path / "out", learn=True)
    assert s.status == 0 and len(s.shards) == 4
    ref = cli("--learn", "--jsonl", "-o", tmp_path / "ref", corpus)
    assert ref.returncode == 0
    got = tree(tmp_path / "out")
    assert list(got) == [f"part-{i:03d}.jsonl" for i in range(4)]
    assert got == tree(tmp_path / "ref")
    assert s.rules == cli("learn", "--jsonl", corpus).stdout
    assert "winnow: learned " in err
    # the line went from gazette.example only, and only by learning
    assert "omit exact the harbour gazette" in s.rules.decode()
    one_shard = cli("learn", "--jsonl", corpus / "part-000.jsonl").stdout
    assert b"harbour gazette" not in one_shard
    plain, _ = dask_run(client, corpus, tmp_path / "plain")
    gazette = [r % 5 < 2 for r in range(20)]
    kept = [CHROME in t for t in texts(tree(tmp_path / "plain"))]
    learned = [CHROME in t for t in texts(got)]
    assert sum(k for k, g in zip(kept, gazette) if g) >= 4
    assert not any(k for k, g in zip(learned, gazette) if g)
    assert kept[7] and learned[7]  # other.example's page keeps it


def test_tree_of_merges_equals_one_merge(client, corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(wd, "FAN_IN", 2)  # 4 counts -> 2 merges -> rules
    s, _ = dask_run(client, corpus, tmp_path / "out", learn=True, quiet=True)
    assert s.status == 0
    # the rules' comments count every document: none may be lost
    assert s.rules == cli("learn", "--jsonl", corpus).stdout
    cli("--learn", "--jsonl", "-q", "-o", tmp_path / "ref", corpus)
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")


@pytest.mark.parametrize("flags,kw", [
    ([], {}),
    (["--no-title", "--ascii-punct", "--nfkc", "--annotate"],
     {"no_title": True, "ascii_punct": True, "nfkc": True, "annotate": True}),
], ids=["defaults", "options"])
def test_without_learn_equals_cli(client, corpus, tmp_path, flags, kw):
    s, err = dask_run(client, corpus, tmp_path / "out", **kw)
    assert s.status == 0 and s.rules is None and err == ""
    cli("--jsonl", *flags, "-o", tmp_path / "ref", corpus)
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")


def test_keys_rules_and_annotate_with_learn(client, tmp_path):
    """Other field names, a rules file of the user's, and --annotate, whose
    reasons name the learned rules "(learned)" as --learn does."""
    indir = write_jsonl(tmp_path / "in",
                        fixture_records(3, text_key="body", url_key="link"))
    rules = tmp_path / "site.rules"
    rules.write_text("drop exact biden and putin seeks diplomatic path on call\n")
    s, _ = dask_run(client, indir, tmp_path / "out", learn=True, quiet=True,
                    text_key="body", url_key="link", annotate=True,
                    rules=[str(rules)])
    assert s.status == 0
    cli("--learn", "--jsonl", "-q", "--text-key", "body", "--url-key", "link",
        "--annotate", "--rules", rules, "-o", tmp_path / "ref", indir)
    got = tree(tmp_path / "out")
    assert got == tree(tmp_path / "ref")
    joined = b"".join(got.values())
    assert b'"reason": "(learned):' in joined or b'"reason":"(learned):' in joined
    assert str(rules).encode() + b":1" in joined


def test_wet_shards_equal_cli(client, tmp_path):
    indir = write_wet(tmp_path / "in")
    s, _ = dask_run(client, indir, tmp_path / "out", learn=True, quiet=True)
    assert s.status == 0 and [x.kind for x in s.shards] == ["warc", "warc"]
    ref = cli("--learn", "-q", "-o", tmp_path / "ref", indir)
    assert ref.returncode == 0
    got = tree(tmp_path / "out")
    assert list(got) == ["a.warc.wet.jsonl", "b.warc.wet.gz.jsonl"]
    assert got == tree(tmp_path / "ref")
    assert s.rules == cli("learn", indir).stdout
    recs = [json.loads(line) for b in got.values() for line in b.splitlines()]
    assert len(recs) == 6 and not any(CHROME in r["text"] for r in recs)
    assert recs[0]["url"] == "https://gazette.example/w/0"


def test_mixed_jsonl_and_wet_equal_the_cli_steps(client, tmp_path):
    """A corpus of both kinds: what no single CLI command does, and what
    the documented steps (counts per shard, one merge, --rules
    "(learned)") do."""
    indir = write_jsonl(tmp_path / "in", fixture_records(2))
    write_wet(indir)
    s, _ = dask_run(client, indir, tmp_path / "out", learn=True, quiet=True,
                    annotate=True)
    assert s.status == 0
    counts = []
    for sh in s.shards:
        c = tmp_path / (pathlib.Path(sh.path).name + ".counts")
        c.write_bytes(cli("learn", "-q", "--counts", sh.kind_flag, sh.path).stdout)
        counts.append(c)
    work = tmp_path / "work"
    work.mkdir()
    (work / "(learned)").write_bytes(cli("learn", "-q", "--from-counts", *counts).stdout)
    for sh in s.shards:
        cli(sh.kind_flag, "-q", "--annotate", "--rules", "(learned)",
            "-o", tmp_path / "ref", sh.path, cwd=work)
    assert s.rules == (work / "(learned)").read_bytes()
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")
    assert len(tree(tmp_path / "out")) == 4


@pytest.mark.skipif(not EVAL_PAGES, reason="no development pages (../shared/eval)")
def test_development_pages_equal_cli(client, tmp_path):
    """The development sets' pages in 6 shards, scrapinghub and
    wcxb-article pages as one site per set (so that learning has sites of
    hundreds of pages), cleaneval's without a URL."""
    shards = [[] for _ in range(6)]
    for i, p in enumerate(EVAL_PAGES):
        rec = {"id": f"{p.parent.name}/{p.stem}"}
        if p.parent.name != "cleaneval":
            rec["url"] = f"https://{p.parent.name}.example/{p.stem}"
        rec["text"] = p.read_bytes().decode("utf-8", "replace")
        shards[i % 6].append(rec)
    indir = write_jsonl(tmp_path / "in", shards)
    s, _ = dask_run(client, indir, tmp_path / "out", learn=True, quiet=True)
    assert s.status == 0 and s.rules.count(b"\nomit ") > 0
    cli("--learn", "--jsonl", "-q", "-o", tmp_path / "ref", indir)
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")


# ---- problems ------------------------------------------------------------------

def test_bad_line_is_reported_and_kept_as_the_cli_does(client, corpus, tmp_path):
    with open(corpus / "part-001.jsonl", "a") as f:
        f.write('{"id": "broken", "text": \n')
    s, err = dask_run(client, corpus, tmp_path / "out", learn=True)
    ref = cli("--learn", "--jsonl", "-o", tmp_path / "ref", corpus)
    assert s.status == ref.returncode == 1
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")
    assert sorted(err.splitlines()) == sorted(ref.stderr.decode().splitlines())
    assert f"{corpus}/part-001.jsonl:6: " in err
    # --on-error fail: that shard has no output, the others do
    s, _ = dask_run(client, corpus, tmp_path / "fail", on_error="fail", quiet=True)
    assert s.status == 1
    assert "part-001.jsonl" not in tree(tmp_path / "fail")
    assert len(tree(tmp_path / "fail")) == 3


def test_bad_rules_fail_once_before_any_output(client, corpus, tmp_path):
    bad = tmp_path / "bad.rules"
    bad.write_text("dorp exact x\n")
    with pytest.raises(wd.WinnowError, match=r"bad\.rules:1: unknown action"):
        dask_run(client, corpus, tmp_path / "out", learn=True, rules=[str(bad)])
    assert not (tmp_path / "out").exists()


def test_refusals_before_anything_runs(corpus, tmp_path):
    with pytest.raises(wd.WinnowError, match="matches no file"):
        wd.find_shards([str(corpus / "*.nope")], str(tmp_path / "out"))
    with pytest.raises(wd.WinnowError, match="not a regular file"):
        wd.find_shards([str(corpus)], str(tmp_path / "out"))
    with pytest.raises(wd.WinnowError, match="output would overwrite an input"):
        wd.find_shards([str(corpus / "*.jsonl")], str(corpus))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "part-000.jsonl").write_bytes(b"")
    with pytest.raises(wd.WinnowError, match="same output part-000.jsonl"):
        wd.find_shards([str(corpus / "*"), str(tmp_path / "b" / "*")],
                       str(tmp_path / "out"))
    # one file named twice is one shard
    assert len(wd.find_shards([str(corpus / "*"), str(corpus / "part-000.jsonl")],
                              str(tmp_path / "out"))) == 4


# ---- the command line ----------------------------------------------------------

def module(*args):
    return subprocess.run([sys.executable, "-m", "winnow.dask", *map(str, args)],
                          capture_output=True, check=False, timeout=120)


def test_command_line_on_a_scheduler(client, corpus, tmp_path):
    run = module(corpus / "*.jsonl", tmp_path / "out", "--learn",
                 "--scheduler", client.scheduler.address, "--winnow", CLI,
                 "--save-rules", tmp_path / "r.rules")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stderr.decode().startswith("winnow: learned ")
    cli("--learn", "--jsonl", "-o", tmp_path / "ref", corpus)
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")
    assert (tmp_path / "r.rules").read_bytes() == cli("learn", "--jsonl", corpus).stdout


def test_command_line_local_cluster(corpus, tmp_path):
    # --local 2 starts and stops its own cluster; no --winnow: the build tree's
    run = module(corpus / "*.jsonl", tmp_path / "out", "--local", "2",
                 "--no-title")
    assert run.returncode == 0, run.stderr.decode()
    cli("--jsonl", "--no-title", "-o", tmp_path / "ref", corpus)
    assert tree(tmp_path / "out") == tree(tmp_path / "ref")


def test_command_line_errors(client, corpus, tmp_path):
    addr = client.scheduler.address
    run = module(corpus / "*.nope", tmp_path / "out", "--scheduler", addr)
    assert run.returncode == 2 and b"matches no file" in run.stderr
    run = module(corpus / "*", tmp_path / "out", "--scheduler", addr,
                 "--winnow", tmp_path / "nowhere")
    assert run.returncode == 2 and b"on worker" in run.stderr
    assert not (tmp_path / "out").exists()
    run = module(corpus / "*", tmp_path / "out")
    assert run.returncode == 2 and b"--scheduler" in run.stderr
