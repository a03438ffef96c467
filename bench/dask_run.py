#!/usr/bin/python3
# (not bench/dask.py: a script's directory comes first on sys.path, and
# that name would hide the dask package from itself)
"""Throughput of `python3 -m winnow.dask` with 1 and 2 workers against the
CLI's batch on the same shards, with and without --learn, every figure
from one run.

usage: /usr/bin/python3 bench/dask_run.py [BUILD] [EVAL_DIR]
  BUILD     a meson build directory with winnow and python/winnow
            (default: build; --buildtype=release for figures worth quoting)
  EVAL_DIR  ../shared/eval: the documents are its pages' plain-text
            renderings (ID.txt), as bench/run.sh and bench/binding.py use
  RUNS      environment: runs per figure, the median is printed (default 3)
  COPIES    environment: copies of the pages in the corpus (default 2)
  SHARDS    environment: JSONL shards the corpus is cut into (default 8)

The corpus is built in /tmp (never in the project) and removed at the end:
COPIES copies of every page, each copy's pages on sites of their own
(https://SET-COPY.example/ID; cleaneval's pages have no URL), dealt round
robin into SHARDS JSONL files.  Each figure is the wall time of one whole
run, outputs written:
  CLI   winnow --jsonl [--learn] -j N -o OUT SHARDS_DIR   (N threads)
  Dask  winnow.dask.clean_shards on a LocalCluster of N worker processes
        of 1 thread each, started before the clock (start-up printed
        apart); it runs one winnow process per shard, and with --learn
        also the counts, their merge and the rules (winnow.dask)
The modes take turns within each round, so a change in the machine's load
falls on all of them alike, and every Dask output is checked to be the
CLI's, byte for byte.  Prints a Markdown table.
"""

import json
import logging
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
BUILD = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "build").resolve()
EVAL = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else HERE.parent.parent / "shared" / "eval")
RUNS = int(os.environ.get("RUNS", "3"))
COPIES = int(os.environ.get("COPIES", "2"))
SHARDS = int(os.environ.get("SHARDS", "8"))

# the workers import winnow.dask too: they inherit the environment
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(BUILD / "python")] + [p for p in [os.environ.get("PYTHONPATH")] if p])
sys.path.insert(0, str(BUILD / "python"))
import winnow.dask as wd  # noqa: E402  (from the build tree)
from dask.distributed import Client, LocalCluster  # noqa: E402

CLI = str(BUILD / "winnow")


def build_corpus(work):
    pages = sorted(p for p in EVAL.glob("*/*.txt")
                   if not p.name.endswith(".gold.txt"))
    if not pages:
        sys.exit(f"bench/dask_run.py: no pages under {EVAL}")
    shards = [[] for _ in range(SHARDS)]
    n = 0
    for copy in range(COPIES):
        for p in pages:
            rec = {"id": f"{copy}/{p.parent.name}/{p.stem}"}
            if p.parent.name != "cleaneval":
                rec["url"] = f"https://{p.parent.name}-{copy}.example/{p.stem}"
            rec["text"] = p.read_bytes().decode("utf-8", "replace")
            shards[n % SHARDS].append(json.dumps(rec, ensure_ascii=False))
            n += 1
    indir = work / "in"
    indir.mkdir()
    for i, recs in enumerate(shards):
        (indir / f"part-{i:03d}.jsonl").write_text("\n".join(recs) + "\n")
    size = sum(p.stat().st_size for p in indir.iterdir())
    return indir, n, size / 1e6


def tree(d):
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def start_cluster(clusters, workers):
    """Starts a LocalCluster of `workers` processes on loopback into
    clusters; returns the seconds it took."""
    t0 = time.perf_counter()
    clusters.append(LocalCluster(n_workers=workers, threads_per_worker=1,
                                 processes=True, host="127.0.0.1",
                                 dashboard_address="127.0.0.1:0",
                                 silence_logs=logging.ERROR))
    return time.perf_counter() - t0


def main():
    load0 = os.getloadavg()[0]
    work = pathlib.Path(tempfile.mkdtemp(prefix="winnow-bench-dask-"))
    clusters, clients = [], []
    try:
        indir, ndocs, mb = build_corpus(work)
        start1 = start_cluster(clusters, 1)
        start2 = start_cluster(clusters, 2)
        clients += [Client(c) for c in clusters]
        shards = wd.find_shards([str(indir / "*.jsonl")], str(work / "out"))

        def cli(learn, jobs):
            out = work / f"cli-{learn}-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([CLI, "--jsonl", "-q", *(["--learn"] if learn else []),
                            "-j", str(jobs), "-o", str(out), str(indir)], check=True)

        def dask(learn, workers):
            out = work / f"dask-{learn}-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            s = wd.clean_shards(clients[workers - 1], shards, str(out),
                                wd.Options(learn=learn, quiet=True, winnow=CLI))
            assert s.status == 0

        jobs = {}
        for learn in (False, True):
            for n in (1, 2):
                jobs[("cli", learn, n)] = lambda learn=learn, n=n: cli(learn, n)
                jobs[("dask", learn, n)] = lambda learn=learn, n=n: dask(learn, n)
        times = {k: [] for k in jobs}
        for _ in range(RUNS):
            for k, fn in jobs.items():
                t = time.perf_counter()
                fn()
                times[k].append(time.perf_counter() - t)
        t = {k: statistics.median(v) for k, v in times.items()}
        differ = sum(tree(work / f"dask-{learn}-{n}") != tree(work / f"cli-{learn}-1")
                     for learn in (False, True) for n in (1, 2))
        learned = subprocess.run([CLI, "learn", "-q", "--jsonl", str(indir)],
                                 capture_output=True, check=True).stdout.count(b"\nomit ")
    finally:
        for c in clients + clusters:
            c.close()
        shutil.rmtree(work, ignore_errors=True)

    print(f"corpus: {ndocs} documents, {mb:.1f} MB of JSONL in {SHARDS} shards "
          f"({COPIES} copies of {EVAL}/*/ID.txt); --learn learns {learned} rules; "
          f"Dask outputs differing from the CLI's: {differ} of 4 runs")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, "
          f"Python {platform.python_version()}; runs per figure: {RUNS} (median); "
          f"load average before/after: {load0:.1f}/{os.getloadavg()[0]:.1f}")
    print(f"LocalCluster start-up (not in the figures): 1 worker {start1:.1f} s, "
          f"2 workers {start2:.1f} s")
    print()
    print("| run | plain: s | plain: MB/s | `--learn`: s | `--learn`: MB/s |")
    print("| --- | --- | --- | --- | --- |")
    for what, label in (("cli", "CLI `winnow --jsonl -o`, `-j {n}`"),
                        ("dask", "`winnow.dask`, {n} worker{s}")):
        for n in (1, 2):
            p, lrn = t[(what, False, n)], t[(what, True, n)]
            name = label.format(n=n, s="" if n == 1 else "s")
            print(f"| {name} | {p:.2f} | {mb / p:.1f} | {lrn:.2f} | {mb / lrn:.1f} |")


if __name__ == "__main__":
    main()
