"""Corpus benchmark: documents/s and sentences/s per engine, and memory per worker.

Needs ../shared (``--shared PATH`` elsewhere); without it says so in one line and exits 2.
Documents are written to a temporary folder as files plus a manifest, then built with
``aligner.corpus.build_corpus`` and the embedded USE encoder, as ``aligner corpus`` does:

* ``un``    UN v1.0 devset, Russian -> English, one document per UN document symbol (732
            symbols, 1-12 sentence pairs each, 4,000 pairs in all; a seeded sample of
            ``--un-docs``).
* ``opus``  OPUS Books, Anna Karenina vol. 1 (Russian original, English translation):
            the 9,245 aligned beads cut into documents of ``--opus-size`` beads.

Speed: each set with the local engine at 1 and 2 workers, and with the Dask engine on a
local two-worker cluster (processes); every worker runs the encoder on one thread, as
``aligner corpus`` does by default. Wall time covers the whole ``build_corpus`` call:
starting the workers, loading the encoder and check resources in each, processing, and
assembling the corpus.
The three runs of a set must write the same corpus.jsonl; the table says whether they did.

Memory: peak resident memory (Linux ``VmHWM``, sampled every 0.1 s) of the largest of the 2
local worker processes, and of the main process that assembles the corpus, for 100 and for
1,000 documents, each run in a fresh process. The
devset has only 732 symbols: document 733 onwards repeats a symbol with its sentence pairs
in another order (seeded), so the 1,000-document set has the same size distribution.

    python scripts/bench_corpus.py            # the default sizes (about 10 minutes, 2 cores)
    python scripts/bench_corpus.py --quick    # a smoke run (about 2 minutes)
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchdata

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
MIB = 1024 * 1024


class BenchError(Exception):
    """A problem with the bench's inputs or setup; printed as one line."""


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    ru: tuple[tuple[str, ...], ...]  # paragraphs of sentences
    en: tuple[tuple[str, ...], ...]

    @property
    def sentences(self) -> int:
        return sum(map(len, self.ru)) + sum(map(len, self.en))


# --- documents -------------------------------------------------------------------------------


def _read_lines(path: Path) -> tuple[str, ...]:
    try:
        return benchdata.split_lines(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise BenchError(f"missing data file {path}") from err


def _paragraphs(pairs: Sequence[benchdata.SentencePair], side: str) -> tuple[tuple[str, ...],
                                                                               ...]:
    out: list[list[str]] = []
    last: object = None
    for pair in pairs:
        key = pair.src_paragraph if side == "ru" else pair.tgt_paragraph
        if key != last:
            out.append([])
            last = key
        out[-1].append(pair.src if side == "ru" else pair.tgt)
    return tuple(tuple(p) for p in out)


def un_documents(shared: Path, count: int | None = None, *, seed: int = 7
                 ) -> tuple[Doc, ...]:
    """One document per symbol; past the 732 symbols, symbols again with shuffled pairs."""
    folder = shared / "data" / "parallel" / "un-v1-devset"
    grouped = benchdata.group_un_documents(
        _read_lines(folder / "UNv1.0.devset.ids"), _read_lines(folder / "UNv1.0.devset.ru"),
        _read_lines(folder / "UNv1.0.devset.en"))
    total = len(grouped) if count is None else count
    docs = []
    for k in range(total):
        source = grouped[k % len(grouped)]
        pairs = list(source.pairs)
        name = source.symbol
        if k >= len(grouped):
            random.Random(seed * 100_003 + k).shuffle(pairs)
            name = f"{source.symbol}~{k // len(grouped)}"
        docs.append(Doc(name, _paragraphs(pairs, "ru"), _paragraphs(pairs, "en")))
    if count is not None and count < len(grouped):
        # A seeded sample, so that a small set has the size distribution of the whole.
        docs = random.Random(seed).sample(docs, count)
    return tuple(docs)


def opus_documents(shared: Path, size: int, count: int | None = None) -> tuple[Doc, ...]:
    """Anna Karenina vol. 1 cut into documents of ``size`` beads, 5 beads per paragraph."""
    path = shared / "data" / "align-dev" / "opus-books-en-ru" / \
        "anna_karenina_vol1.en-ru.beads.tsv"
    rows = [line.split("\t") for line in _read_lines(path) if line.strip()]
    pairs = [(ru, en) for en, ru in (r for r in rows if len(r) == 2)]
    docs = []
    for start in range(0, len(pairs), size):
        chunk = pairs[start:start + size]
        paragraphs = [chunk[k:k + 5] for k in range(0, len(chunk), 5)]
        docs.append(Doc(f"ak1-{start // size:04d}",
                        tuple(tuple(ru for ru, _ in p) for p in paragraphs),
                        tuple(tuple(en for _, en in p) for p in paragraphs)))
    return tuple(docs[:count])


def write_documents(docs: Sequence[Doc], folder: Path) -> Path:
    """Files ``NNNNN.ru.txt``/``.en.txt`` (blank line between paragraphs) and a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["id\tru\ten"]
    for number, doc in enumerate(docs):
        for lang, paragraphs in (("ru", doc.ru), ("en", doc.en)):
            text = "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
            (folder / f"{number:05d}.{lang}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{doc.id}\t{number:05d}.ru.txt\t{number:05d}.en.txt")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


# --- runs ------------------------------------------------------------------------------------


class Clock:
    """A progress hook that notes when each document's result arrives."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.arrivals: list[float] = []
        self.cpu_s = 0.0

    def start(self, todo: int, done: int) -> None:
        del todo, done

    def advance(self, result: object) -> None:
        del result
        self.arrivals.append(time.perf_counter())

    def steady_rate(self) -> float:
        """Documents per second from the first result to the last: the rate once every
        worker has started and loaded its encoder."""
        if len(self.arrivals) < 2:
            return float("nan")
        return (len(self.arrivals) - 1) / (self.arrivals[-1] - self.arrivals[0])


def build(manifest: Path, out: Path, engine: Any) -> tuple[float, dict[str, Any], Clock]:
    """``build_corpus`` as ``aligner corpus`` runs it: USE with one thread per worker."""
    from aligner.corpus import build_corpus, read_manifest
    from aligner.encoders import get_encoder

    clock = Clock()
    cpu_before = _cpu_seconds()
    run = build_corpus(read_manifest(manifest), out,
                       encoder=functools.partial(get_encoder, "use", threads=1),
                       engine=engine, progress=clock)
    clock.cpu_s = _cpu_seconds() - cpu_before
    return time.perf_counter() - clock.started, run.stats, clock


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (the workers:
    a process pool's and a local Dask cluster's are reaped before ``build_corpus`` ends)."""
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def speed(name: str, docs: Sequence[Doc], work: Path) -> list[dict[str, Any]]:
    from aligner.corpus import DaskEngine, LocalEngine

    manifest = write_documents(docs, work / f"{name}-docs")
    runs = [("local, 1 worker", LocalEngine(1)), ("local, 2 workers", LocalEngine(2)),
            ("dask LocalCluster, 2 workers", DaskEngine(workers=2))]
    rows = []
    first: bytes | None = None
    for label, engine in runs:
        out = work / f"{name}-{len(rows)}"
        seconds, stats, clock = build(manifest, out, engine)
        corpus = (out / "corpus.jsonl").read_bytes()
        first = corpus if first is None else first
        documents = stats["documents"]["total"]
        sentences = stats["sentences"]["src"] + stats["sentences"]["tgt"]
        steady = clock.steady_rate()
        rows.append({
            "set": name, "engine": label, "documents": documents,
            "failed": stats["documents"]["failed"], "sentences": sentences,
            "beads": stats["beads"]["total"], "seconds": round(seconds, 2),
            "first_result_s": round(clock.arrivals[0] - clock.started, 2),
            "documents_per_s": round(documents / seconds, 2),
            "sentences_per_s": round(sentences / seconds, 1),
            "steady_documents_per_s": round(steady, 2),
            "steady_sentences_per_s": round(steady * sentences / documents, 1),
            # CPU seconds per wall second: below the number of workers when other programs
            # had the cores (the machine is shared), or while workers were starting.
            "cores_used": round(clock.cpu_s / seconds, 2),
            "same_corpus_as_first": corpus == first,
        })
        print(f"  {name}: {label}: {seconds:.1f} s", file=sys.stderr, flush=True)
    return rows


def _high_water_kib(pid: int | str) -> int:
    """The process's peak resident memory (``VmHWM``, Linux), counted from its exec."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _memory_child(manifest: str, out: str) -> tuple[int, int, int, float]:
    """In a fresh process: build with 2 local workers while a thread samples the workers'
    peak memory; returns the largest worker's peak and this process's, in KiB, the number
    of workers seen and the seconds taken."""
    import psutil  # a dependency of distributed

    from aligner.corpus import LocalEngine

    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            for child in psutil.Process().children(recursive=True):
                peaks[child.pid] = max(peaks.get(child.pid, 0), _high_water_kib(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    seconds, _, _ = build(Path(manifest), Path(out), LocalEngine(2))
    done.set()
    sampler.join()
    return max(peaks.values(), default=0), _high_water_kib("self"), len(peaks), seconds


def memory(shared: Path, sizes: Sequence[int], work: Path) -> list[dict[str, Any]]:
    rows = []
    context = multiprocessing.get_context("spawn")
    for size in sizes:
        docs = un_documents(shared, size)
        manifest = write_documents(docs, work / f"mem-{size}-docs")
        # A fresh (non-daemonic) process per size, so the peaks belong to that run alone.
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            worker_kib, main_kib, workers, seconds = pool.submit(
                _memory_child, str(manifest), str(work / f"mem-{size}")).result()
        rows.append({
            "documents": size, "sentences": sum(d.sentences for d in docs),
            "peak_worker_mib": round(worker_kib * 1024 / MIB, 1),
            "peak_main_mib": round(main_kib * 1024 / MIB, 1), "workers_seen": workers,
            "seconds": round(seconds, 1),
        })
        print(f"  memory: {size} documents: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


# --- report ----------------------------------------------------------------------------------


def markdown(speed_rows: Sequence[dict[str, Any]], memory_rows: Sequence[dict[str, Any]],
             args: argparse.Namespace) -> str:
    load = " / ".join(f"{x:.1f}" for x in args.load_before)
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average before the run {load} (1/5/15 min); "
        f"{'--quick' if args.quick else 'default sizes'}",
        "",
        "Whole run (start to corpus written) and steady state (first result to last, once "
        "every worker has started):",
        "",
        "| set | engine | docs | sentences | beads | seconds | first result (s) | docs/s | "
        "sentences/s | steady docs/s | steady sentences/s | cores used | same corpus |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in speed_rows:
        lines.append(f"| {r['set']} | {r['engine']} | {r['documents']} | {r['sentences']} | "
                     f"{r['beads']} | {r['seconds']} | {r['first_result_s']} | "
                     f"{r['documents_per_s']} | {r['sentences_per_s']} | "
                     f"{r['steady_documents_per_s']} | {r['steady_sentences_per_s']} | "
                     f"{r['cores_used']} | {'yes' if r['same_corpus_as_first'] else 'NO'} |")
    lines += ["", "| documents (UN) | sentences | peak RSS, largest worker (MiB) | "
              "peak RSS, main process (MiB) | seconds |", "|---:|---:|---:|---:|---:|"]
    for r in memory_rows:
        lines.append(f"| {r['documents']} | {r['sentences']} | {r['peak_worker_mib']} | "
                     f"{r['peak_main_mib']} | {r['seconds']} |")
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared data folder (default: ../shared)")
    parser.add_argument("--quick", action="store_true",
                        help="small sets: 80 UN and 20 OPUS documents, memory at 50 and 200")
    parser.add_argument("--un-docs", type=int, default=250,
                        help="UN documents for the speed runs (default 250; at most 732 "
                             "are distinct)")
    parser.add_argument("--opus-docs", type=int, default=40,
                        help="OPUS documents for the speed runs (default 40)")
    parser.add_argument("--opus-size", type=int, default=40, help="beads per OPUS document")
    parser.add_argument("--memory-docs", default="100,1000",
                        help="document counts for the memory runs (default 100,1000; "
                             "empty: none)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.un_docs, args.opus_docs, args.memory_docs = 80, 20, "50,200"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"bench_corpus: no data in {args.shared} (needs ../shared beside the "
              "repository; pass --shared PATH)", file=sys.stderr)
        return 2
    try:
        import distributed  # noqa: F401
    except ImportError:
        print('bench_corpus: the Dask runs need pip install "aligner[dask]"', file=sys.stderr)
        return 2
    args.load_before = os.getloadavg()
    try:
        sizes = [int(n) for n in args.memory_docs.split(",") if n.strip()]
        with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
            work = Path(tmp)
            speed_rows = speed("un", un_documents(args.shared, args.un_docs), work)
            speed_rows += speed("opus", opus_documents(args.shared, args.opus_size,
                                                       args.opus_docs), work)
            memory_rows = memory(args.shared, sizes, work)
    except BenchError as err:
        print(f"bench_corpus: {err}", file=sys.stderr)
        return 1
    report = markdown(speed_rows, memory_rows, args)
    print(report, end="")
    if args.json:
        args.json.write_text(json.dumps({"speed": speed_rows, "memory": memory_rows},
                                        indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
