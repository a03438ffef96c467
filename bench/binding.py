#!/usr/bin/python3
"""Throughput of the Python binding against the CLI on the same documents,
and the binding's cost per document, every figure from one run.

usage: /usr/bin/python3 bench/binding.py [BUILD] [EVAL_DIR]
  BUILD     a meson build directory with winnow and python/winnow
            (default: build; configure it with --buildtype=release for
            figures worth quoting)
  EVAL_DIR  ../shared/eval: the documents are its pages' plain-text
            renderings (ID.txt), as bench/run.sh uses them
  RUNS      environment: runs per figure, the median is printed (default 3)

The CLI reads the documents as one JSONL file (`winnow --jsonl`, one
process, one thread); the binding cleans the same texts (str) in a loop
with one Cleaner, in one thread and then in two.  Both use the built-in
rules and default options, and the outputs are checked to be the same.
The binding's own cost per document is the fixed cost of one call (an
empty document) plus the UTF-8 conversion of the text in and out, which
is all it adds to the C library's work.  Prints a Markdown table.
"""

import concurrent.futures
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
BUILD = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "build")
EVAL = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else HERE.parent.parent / "shared" / "eval")
RUNS = int(os.environ.get("RUNS", "3"))

sys.path.insert(0, str(BUILD / "python"))
import winnow  # noqa: E402  (from the build tree, after the path is set)

CLI = BUILD / "winnow"


def median_times(jobs):
    """Median wall time in seconds of each job (name -> function) over RUNS
    rounds; the jobs take turns within a round, so a change in the
    machine's load falls on all of them alike."""
    times = {name: [] for name in jobs}
    for _ in range(RUNS):
        for name, fn in jobs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def load_docs():
    pages = sorted(p for p in EVAL.glob("*/*.txt")
                   if not p.name.endswith(".gold.txt"))
    if not pages:
        sys.exit(f"bench/binding.py: no pages under {EVAL}")
    return [p.read_bytes().decode("utf-8", "replace") for p in pages]


def run_cli(path):
    with open(path, "rb") as src:
        subprocess.run([str(CLI), "--jsonl", "-"], stdin=src,
                       stdout=subprocess.DEVNULL, check=True)


def check_same(docs, jsonl):
    """Number of documents whose binding output differs from the CLI's."""
    out = subprocess.run([str(CLI), "--jsonl", str(jsonl)],
                         capture_output=True, check=True).stdout
    cli_texts = [json.loads(line)["text"] for line in out.splitlines()]
    cleaner = winnow.Cleaner()
    # a JSONL field holds the text without the file's final newline
    return sum(cleaner.clean(d).removesuffix("\n") != c
               for d, c in zip(docs, cli_texts, strict=True))


def main():
    load0 = os.getloadavg()[0]
    docs = load_docs()
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    n = len(docs)
    work = pathlib.Path(tempfile.mkdtemp())
    jsonl, empty = work / "docs.jsonl", work / "empty.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for i, d in enumerate(docs):
            f.write(json.dumps({"id": i, "text": d}, ensure_ascii=False) + "\n")
    empty.write_text("")

    differ = check_same(docs, jsonl)
    cleaner = winnow.Cleaner()
    calls = 20000
    outs = [cleaner.clean(d).encode("utf-8") for d in docs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        t = median_times({
            "start": lambda: run_cli(empty),
            "cli": lambda: run_cli(jsonl),
            "new": winnow.Cleaner,
            "one": lambda: [cleaner.clean(d) for d in docs],
            "two": lambda: list(pool.map(cleaner.clean, docs, chunksize=16)),
            "explain": lambda: [cleaner.explain(d) for d in docs],
            "empty": lambda: [cleaner.clean("") for _ in range(calls)],
            # the per-byte work the binding adds: str to UTF-8 and back
            "codec": lambda: ([d.encode("utf-8") for d in docs],
                              [o.decode("utf-8") for o in outs]),
        })
    os.remove(jsonl)
    os.remove(empty)
    os.rmdir(work)

    print(f"corpus: {n} documents, {mb:.1f} MB ({EVAL}/*/ID.txt); "
          f"outputs differing between binding and CLI: {differ}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, "
          f"Python {platform.python_version()}; runs per figure: {RUNS} (median); "
          f"load average before/after: {load0:.1f}/{os.getloadavg()[0]:.1f}")
    print()
    print("| mode | docs/s | MB/s | ms per doc |")
    print("| --- | --- | --- | --- |")

    def row(label, secs):
        print(f"| {label} | {n / secs:.0f} | {mb / secs:.1f} | {secs / n * 1e3:.2f} |")

    row("CLI `winnow --jsonl`, one process (start-up included)", t["cli"])
    row("binding `Cleaner.clean`, 1 thread", t["one"])
    row("binding `Cleaner.clean`, 2 threads, one shared Cleaner", t["two"])
    row("binding `Cleaner.explain`, 1 thread", t["explain"])
    print()
    print(f"CLI start-up (rules loaded, empty JSONL): {t['start'] * 1e3:.1f} ms; "
          f"`winnow.Cleaner()` (built-in rules loaded): {t['new'] * 1e3:.1f} ms")
    fixed = t["empty"] / calls * 1e6
    codec = t["codec"] / n * 1e6
    per_doc = t["one"] / n * 1e6
    print(f"binding overhead per document: {fixed:.2f} us per call "
          f"(`Cleaner.clean('')` x {calls}) + {codec:.1f} us of UTF-8 "
          f"conversion (str to UTF-8 and back, these documents) = "
          f"{(fixed + codec) / per_doc * 100:.2f}% of the {per_doc / 1e3:.2f} ms "
          f"a document takes")


if __name__ == "__main__":
    main()
