"""Clean a corpus of JSONL or WET shards across a Dask cluster.

    python3 -m winnow.dask 'crawl/*.jsonl' clean/ --scheduler tcp://HOST:8786
    python3 -m winnow.dask 'crawl/*.warc.wet.gz' clean/ --local 2 --learn

Each input shard becomes one output shard under OUTPUT_DIR, named as the
CLI's batch names it (x.jsonl -> x.jsonl, x.warc.wet.gz ->
x.warc.wet.gz.jsonl), and holding the bytes the CLI writes for it:

    winnow --jsonl [OPTIONS] -o OUTPUT_DIR SHARD...          # JSONL shards
    winnow [OPTIONS] -o OUTPUT_DIR SHARD...                  # WET shards
    winnow --learn --jsonl [OPTIONS] -o OUTPUT_DIR SHARD...  # with --learn

The workers run the winnow executable, one process per shard:

- without --learn, one pass: `winnow --jsonl|--warc OPTIONS -o OUTPUT_DIR
  SHARD` on each shard;
- with --learn, three steps.  Count: `winnow learn --counts SHARD` on each
  shard, the per-site line counts coming back as text.  Reduce: the counts
  merged on the workers by `winnow learn --counts --from-counts`, up to
  FAN_IN files at a time, and the last merge, `winnow learn --from-counts`,
  writes the rules.  Clean: each shard cleaned with those rules added last,
  from a file named `(learned)`, which is how `winnow --learn` names them
  (so --annotate gives the same reasons).  The counts format is canonical
  and its merge is the one code path of `--learn` (src/learn.c), so any
  sharding and any tree of merges give the rules of one run over all.

What travels through Dask is paths, options, counts and the rules; the
shards are read, and the outputs written (atomically, by the CLI), by the
workers themselves, so every worker must see INPUT and OUTPUT_DIR at the
same paths (a shared or network filesystem).  Every worker needs this
package (to unpickle the tasks) and the winnow executable: `meson install`
on each, or, for a build tree, PYTHONPATH=BUILD/python.  --winnow names
the executable on the workers; by default it is the build tree's beside
this package when imported from one, else `winnow` on the worker's PATH.

Relative paths (INPUT, OUTPUT_DIR, --rules, --winnow) are made absolute
on the client; --annotate names a --rules file by that absolute path.
"""

import argparse
import dataclasses
import glob
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
import zlib
from collections.abc import Iterable, Sequence
from typing import IO, Any, NamedTuple

__all__ = ["FAN_IN", "Options", "Shard", "Summary", "WinnowError",
           "clean_shards", "find_shards", "main"]

FAN_IN = 8
"""Counts files merged by one reduce task: a tree of merges, so that no
worker holds every shard's counts at once until the last."""

LEARNED = "(learned)"
"""The name `winnow --learn` gives the rules it learned (src/batch.c)."""


class WinnowError(Exception):
    """A problem that stops the run: bad options or inputs, no executable
    on a worker, or winnow exiting with status 2 (its message is the
    exception's)."""


@dataclasses.dataclass
class Options:
    """The CLI's options that apply to a shard (`man winnow`)."""

    learn: bool = False
    rules: Sequence[str] = ()           # --rules, in order
    default_rules: bool = True          # False: --no-default-rules
    input: str | None = None            # --input auto|text|html
    no_title: bool = False
    lang: str | None = None
    nfkc: bool = False
    ascii_punct: bool = False
    text_key: str | None = None
    url_key: str | None = None
    site: str | None = None
    annotate: bool = False
    on_error: str | None = None         # keep|skip|fail
    learn_memory: int | None = None     # MiB
    kind: str = "auto"                  # jsonl|warc|auto (WARC if it is one)
    quiet: bool = False
    winnow: str | None = None           # the executable on the workers

    def read_flags(self) -> list[str]:
        """The flags that decide how a document is read and cleaned: the
        counting pass and the cleaning pass both take them."""
        f = [] if self.default_rules else ["--no-default-rules"]
        for path in self.rules:
            f += ["--rules", os.path.abspath(path)]
        for flag, value in (("--input", self.input), ("--lang", self.lang),
                            ("--text-key", self.text_key),
                            ("--url-key", self.url_key),
                            ("--site", self.site)):
            if value is not None:
                f += [flag, value]
        for flag, on in (("--no-title", self.no_title), ("--nfkc", self.nfkc),
                         ("--ascii-punct", self.ascii_punct)):
            if on:
                f.append(flag)
        return f

    def memory_flags(self) -> list[str]:
        if self.learn_memory is None:
            return []
        return ["--learn-memory", str(self.learn_memory)]

    def clean_flags(self) -> list[str]:
        f = self.read_flags()
        if self.annotate:
            f.append("--annotate")
        if self.on_error is not None:
            f += ["--on-error", self.on_error]
        if self.quiet:
            f.append("-q")
        return f


class Shard(NamedTuple):
    path: str    # absolute
    kind: str    # "jsonl" or "warc"
    output: str  # absolute: OUTPUT_DIR/NAME as the CLI's batch names it

    @property
    def kind_flag(self) -> str:
        return "--warc" if self.kind == "warc" else "--jsonl"


class Summary(NamedTuple):
    status: int            # 0, 1 (some inputs failed) or 2, as the CLI's
    shards: list[Shard]
    rules: bytes | None    # with learn: what `winnow learn` would print


# ---- the shards (on the client) -------------------------------------------

def is_warc(path: str) -> bool:
    """Whether path starts with "WARC/1.", plain or in a gzip member: the
    test winnow makes (wn_warc_sniff, src/warc.c) on the same 4 KiB."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False  # the worker's winnow reports it
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/1.")


def _expand(pattern: str) -> list[str]:
    if glob.has_magic(pattern):
        return sorted(glob.glob(pattern, recursive=True))
    return [pattern] if os.path.lexists(pattern) else []


def find_shards(inputs: Iterable[str], outdir: str,
                kind: str = "auto") -> list[Shard]:
    """The regular files that the globs in inputs match, each once, in
    order, with its kind and output path.  Raises WinnowError when nothing
    matches, a match is a directory, two inputs would write one output,
    or an output would replace an input."""
    outdir = os.path.abspath(outdir)
    shards, seen, taken = [], set(), {}
    for pattern in inputs:
        paths = _expand(pattern)
        if not paths:
            raise WinnowError(f"{pattern}: " + ("matches no file"
                              if glob.has_magic(pattern) else "no such file"))
        for p in paths:
            try:
                st = os.stat(p)
            except OSError as e:
                raise WinnowError(f"{p}: {e.strerror}") from None
            if not os.path.isfile(p):
                raise WinnowError(f"{p}: not a regular file (give its files: "
                                  f"'{p.rstrip('/')}/*.jsonl')")
            if (st.st_dev, st.st_ino) in seen:  # one file named twice
                continue
            seen.add((st.st_dev, st.st_ino))
            k = kind if kind != "auto" else "warc" if is_warc(p) else "jsonl"
            name = os.path.basename(p) + (".jsonl" if k == "warc" else "")
            if name in taken:
                raise WinnowError(f"{p}: same output {name} as {taken[name]}")
            taken[name] = p
            shards.append(Shard(os.path.abspath(p), k, os.path.join(outdir, name)))
    for s in shards:
        try:
            st = os.stat(s.output)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            raise WinnowError(f"{s.output}: output would overwrite an input")
    return shards


# ---- the tasks (on the workers) -------------------------------------------

def _executable(given: str | None) -> str:
    """The winnow executable on this worker."""
    if given:
        return given
    build = pathlib.Path(__file__).resolve().parent.parent.parent
    exe = build / "winnow"  # BUILD/python/winnow/dask.py -> BUILD/winnow
    if (build / "meson-info").is_dir() and os.access(exe, os.X_OK):
        return str(exe)
    found = shutil.which("winnow")
    if not found:
        raise WinnowError(f"no winnow executable on worker {socket.gethostname()}: "
                          "install it there, or give --winnow PATH")
    return found


def _run(argv: list[str], cwd: str | None = None,
         stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True,
                              check=False)
    except OSError as e:
        raise WinnowError(f"{argv[0]} on worker {socket.gethostname()}: "
                          f"{e.strerror}") from None


def _failed(run: subprocess.CompletedProcess) -> WinnowError:
    msg = run.stderr.decode("utf-8", "replace").rstrip("\n")
    return WinnowError(msg or f"winnow exited with status {run.returncode}")


def check_task(winnow: str | None, flags: list[str]) -> str:
    """Loads the options and rules once, on empty input, so that a bad
    option fails once and early; returns the executable's version."""
    exe = _executable(winnow)
    run = _run([exe, "--jsonl", *flags, "-"], stdin=b"")
    if run.returncode:
        raise _failed(run)
    return _run([exe, "--version"]).stdout.decode().strip()


def count_task(winnow: str | None, flags: list[str], kind_flag: str,
               path: str) -> bytes:
    """The counts of one shard (`winnow learn --counts`).  Status 1 (a bad
    line or record, an unreadable shard) is left to the cleaning pass to
    report, as `winnow --learn` does."""
    run = _run([_executable(winnow), "learn", "-q", "--counts", kind_flag,
                *flags, path])
    if run.returncode > 1:
        raise _failed(run)
    return run.stdout


def _from_counts(winnow: str | None, flags: list[str],
                 counts: tuple[bytes, ...]) -> subprocess.CompletedProcess:
    """`winnow learn FLAGS --from-counts` over counts, as files."""
    with tempfile.TemporaryDirectory(prefix="winnow-merge-") as tmp:
        names = []
        for i, data in enumerate(counts):
            names.append(os.path.join(tmp, f"{i:04d}.counts"))
            with open(names[-1], "wb") as f:
                f.write(data)
        run = _run([_executable(winnow), "learn", *flags, "--from-counts",
                    *names])
    if run.returncode:
        raise _failed(run)
    return run


def merge_task(winnow: str | None, flags: list[str], *counts: bytes) -> bytes:
    """Counts merged into one (`winnow learn --counts --from-counts`)."""
    return _from_counts(winnow, ["-q", "--counts", *flags], counts).stdout


def rules_task(winnow: str | None, flags: list[str],
               *counts: bytes) -> tuple[bytes, str]:
    """The rules of the counts merged (`winnow learn --from-counts`), and
    winnow's messages: the summary of what was learned."""
    run = _from_counts(winnow, flags, counts)
    return run.stdout, run.stderr.decode("utf-8", "replace")


def clean_task(winnow: str | None, flags: list[str], shard: Shard,
               outdir: str, rules: tuple[bytes, str] | None) -> tuple[int, str]:
    """Cleans one shard into outdir (`winnow -o`); returns winnow's exit
    status and messages.  The learned rules, when given, are the file
    "(learned)" in winnow's working directory, the name --learn gives them."""
    exe = _executable(winnow)
    if "/" in exe:  # before winnow runs in tmp
        exe = os.path.abspath(exe)
    with tempfile.TemporaryDirectory(prefix="winnow-clean-") as tmp:
        extra = []
        if rules is not None:
            with open(os.path.join(tmp, LEARNED), "wb") as f:
                f.write(rules[0])
            extra = ["--rules", LEARNED]
        run = _run([exe, shard.kind_flag, *flags, *extra, "-o", outdir,
                    shard.path], cwd=tmp)
    return run.returncode, run.stderr.decode("utf-8", "replace")


# ---- the run (on the client) ----------------------------------------------

def _key(what: str, run_id: str, i: int = 0) -> str:
    return f"winnow-{what}-{run_id}-{i}"


def _learn(client: Any, shards: list[Shard], o: Options, run_id: str) -> Any:
    """Submits the counting and the tree of merges; returns the future of
    the rules and winnow's messages (rules_task)."""
    flags = o.read_flags() + o.memory_flags()
    level = [client.submit(count_task, o.winnow, flags, s.kind_flag, s.path,
                           key=_key("count", run_id, i), pure=False)
             for i, s in enumerate(shards)]
    depth = 0
    while len(level) > FAN_IN:
        depth += 1
        level = [client.submit(merge_task, o.winnow, o.memory_flags(),
                               *level[i:i + FAN_IN], pure=False,
                               key=_key(f"merge{depth}", run_id, i))
                 for i in range(0, len(level), FAN_IN)]
    final = o.memory_flags() + (["-q"] if o.quiet else [])
    return client.submit(rules_task, o.winnow, final, *level,
                         key=_key("rules", run_id), pure=False)


def clean_shards(client: Any, shards: list[Shard], outdir: str,
                 options: Options | None = None,
                 stderr: IO[str] | None = None) -> Summary:
    """Cleans shards (find_shards) into outdir on the cluster of client (a
    dask.distributed.Client), with learning when options.learn.  winnow's
    messages go to stderr (default sys.stderr), as the CLI prints them.
    Raises WinnowError when a task cannot run or winnow exits with 2
    (the shards not yet cleaned are then cancelled)."""
    from dask.distributed import as_completed

    o = options or Options()
    err = stderr or sys.stderr
    outdir = os.path.abspath(outdir)
    run_id = uuid.uuid4().hex[:12]
    check = o.clean_flags() + (o.memory_flags() if o.learn else [])
    client.submit(check_task, o.winnow, check, key=_key("check", run_id),
                  pure=False).result()
    rules = None
    if o.learn and shards:
        rules = _learn(client, shards, o, run_id)
        err.write(rules.result()[1])
    flags = o.clean_flags()
    futures = [client.submit(clean_task, o.winnow, flags, s, outdir, rules,
                             key=_key("clean", run_id, i), pure=False)
               for i, s in enumerate(shards)]
    status = 0
    try:
        for fut in as_completed(futures):
            rc, msg = fut.result()
            err.write(msg)
            status = max(status, rc)
            if rc >= 2:  # a full disk, say: the CLI's batch stops too
                raise WinnowError(f"stopped: winnow exited with {rc}")
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)
    return Summary(status, shards, rules.result()[0] if rules else None)


# ---- the command line ------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m winnow.dask",
        description="Clean JSONL or WET shards on a Dask cluster: each shard "
                    "into OUTPUT_DIR, as `winnow -o OUTPUT_DIR` would.")
    p.add_argument("inputs", nargs="+", metavar="INPUT_GLOB",
                   help="shards (a glob, quoted, or files); WET/WARC ones "
                        "are found by their first bytes, the rest are JSONL")
    p.add_argument("outdir", metavar="OUTPUT_DIR")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running scheduler, tcp://HOST:PORT")
    where.add_argument("--local", type=int, metavar="N",
                       help="start a LocalCluster of N worker processes here")
    p.add_argument("--winnow", metavar="PATH",
                   help="the winnow executable on the workers (default: the "
                        "build tree's beside this package, else PATH's)")
    p.add_argument("--save-rules", metavar="FILE",
                   help="with --learn, also write the learned rules to FILE")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--jsonl", dest="kind", action="store_const",
                      const="jsonl", help="every shard is JSONL")
    kind.add_argument("--warc", dest="kind", action="store_const",
                      const="warc", help="every shard is WARC/WET")
    p.set_defaults(kind="auto")
    p.add_argument("--learn", action="store_true")
    p.add_argument("-r", "--rules", action="append", default=[], metavar="PATH")
    p.add_argument("--no-default-rules", dest="default_rules",
                   action="store_false")
    p.add_argument("--input", choices=["auto", "text", "html"])
    p.add_argument("--no-title", action="store_true")
    p.add_argument("--lang")
    p.add_argument("--nfkc", action="store_true")
    p.add_argument("--ascii-punct", action="store_true")
    p.add_argument("--text-key", metavar="KEY")
    p.add_argument("--url-key", metavar="KEY")
    p.add_argument("--site", metavar="NAME")
    p.add_argument("--annotate", action="store_true")
    p.add_argument("--on-error", choices=["keep", "skip", "fail"])
    p.add_argument("--learn-memory", type=int, metavar="MIB")
    p.add_argument("-q", "--quiet", action="store_true")
    p.epilog = ("The options after --learn are winnow's own (man winnow). "
                "Exit status: 0 all good, 1 some inputs failed, 2 usage or "
                "system error.")
    return p


def _options(a: argparse.Namespace) -> Options:
    fields = {f.name for f in dataclasses.fields(Options)}
    o = Options(**{k: v for k, v in vars(a).items() if k in fields})
    if o.winnow and "/" in o.winnow:
        o.winnow = os.path.abspath(o.winnow)
    return o


def _client(a: argparse.Namespace) -> tuple[Any, Any]:
    import logging
    from dask.distributed import Client, LocalCluster
    if a.scheduler:
        return Client(a.scheduler, timeout="30s"), None
    # one winnow process per worker at a time; the scheduler serves HTTP
    # even without a dashboard: a free loopback port, not 8787 on all
    cluster = LocalCluster(n_workers=a.local, threads_per_worker=1,
                           processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0",
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def main(argv: Sequence[str] | None = None) -> int:
    a = _parser().parse_args(argv)
    if a.local is not None and a.local < 1:
        _parser().error("--local needs 1 or more workers")
    if a.save_rules and not a.learn:
        _parser().error("--save-rules needs --learn")
    o = _options(a)
    client = cluster = None
    try:
        shards = find_shards(a.inputs, a.outdir, o.kind)
        client, cluster = _client(a)
        summary = clean_shards(client, shards, a.outdir, o)
        if a.save_rules:
            with open(a.save_rules, "wb") as f:
                f.write(summary.rules or b"")
        return summary.status
    except (WinnowError, OSError) as e:
        msg = str(e)
        print(msg if msg.startswith("winnow") else f"winnow.dask: {msg}",
              file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    # Run through the package's module, so that the tasks pickle as
    # winnow.dask.* (importable on the workers), not as __main__.*.
    from winnow.dask import main as _main
    sys.exit(_main())
