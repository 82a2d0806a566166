"""Alignment benchmark on the dev sets: quality, speed and memory, as tables.

Needs the dev sets in ``../shared`` (see ../shared/README.md; ``--shared PATH`` elsewhere);
without them it says so in one line and exits 2. The sets (built by ``benchdata.py``):

* ``textberg``  Text+Berg dev, German -> French, 1 document, gold ``dev.defr`` (as published:
                two French lines in no bead, a few beads out of order).
* ``mac``       MAC-Dev, Chinese -> English, 6 literary chapters.
* ``opus``      OPUS Books Anna Karenina vol. 2 validation, English -> Russian.
* ``un``        UN v1.0 devset, Russian -> English: documents packed to 40-150 sentences with
                seeded synthetic merges, splits, omissions and insertions (exact gold).
* ``speed``     5,000 x ~6,000 sentences from ru-en.train.tsv with English splits and
                insertions: speed and memory.

Examples::

    python scripts/bench_align.py                          # everything
    python scripts/bench_align.py --limit 300              # a quick run
    python scripts/bench_align.py --sets un,speed --param band=12 --json bench-out/b12.json
    python scripts/bench_align.py --markdown > note.md     # tables for an issue note

Per set: strict and lax precision/recall/F1 (micro-averaged over documents), recall per gold
bead type, ``align_documents`` wall time split into the pipeline's stages (encode, search,
the rest), sentences per second, and peak memory (resident set sampled during each call).
One encoder is loaded before anything is timed and reused for every document.

The speed section compares end-to-end time with encoding every distinct sentence once (UN
set and the long pair), gives the search time on the long pair, and measures the long pair
and its first half each in a fresh process, under tracemalloc, so that the peaks belong to
that pair alone. Timed runs are never traced: tracemalloc slows the encoder and the search.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import gc
import importlib.util
import json
import multiprocessing
import os
import platform
import resource
import sys
import threading
import time
import tracemalloc
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import benchdata
from benchdata import BenchDoc

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
SETS = ("textberg", "mac", "opus", "un", "speed")
QUALITY_SETS = SETS[:-1]
MIB = 1024 * 1024

SET_TITLES = {
    "textberg": "Text+Berg de→fr",
    "mac": "MAC-Dev zh→en",
    "opus": "OPUS Books en→ru",
    "un": "UN synthetic ru→en",
    "speed": "speed pair ru→en",
}

#: Bead types shown in their own row; the rest are summed into "other".
MAIN_TYPES = ("1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "1-0", "0-1")
#: Targets from the speed brief: end-to-end within 1.5x of encoding each sentence once;
#: search under a second on the 5k x 6k pair.
TARGET_RATIO = 1.5
TARGET_SEARCH_S = 1.0
#: Sizes of the long speed pair: source rows, extra English sentences.
SPEED_SRC = 5000
SPEED_EXTRA = 1000
#: Sets whose end-to-end time is compared with encoding each sentence once.
ENCODE_ONCE_SETS = ("un", "speed")
#: One line to load the encoder's weights before anything is timed.
WARM_UP = ["Загрузка модели.", "Loading the model."]


class BenchError(Exception):
    """A problem with the bench's inputs or setup; printed as one line."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


# --- Loading the sets --------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise BenchError(f"missing dev-set file {path}") from err


def _lines(path: Path) -> tuple[str, ...]:
    return benchdata.split_lines(_read(path))


def _gold(path: Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    from aligner.io.beads import read_beads

    if not path.is_file():
        raise BenchError(f"missing dev-set file {path}")
    return read_beads(path)


def load_textberg(shared: Path, seed: int) -> tuple[BenchDoc, ...]:
    # The published gold leaves French lines 94 and 371 out and has a few beads out of order
    # ([]:[292] after [250]:[291, 293, 294]); it is scored as published (see gold_notes).
    folder = shared / "data" / "align-dev" / "text+berg-dev"
    return (benchdata.line_pair_doc(
        "text+berg", "de", "fr", _lines(folder / "dev.de"), _lines(folder / "dev.fr"),
        _gold(folder / "dev.defr"), require_monotone=False,
    ),)


def load_mac(shared: Path, seed: int) -> tuple[BenchDoc, ...]:
    # The gold's left side indexes zh/NNN: Chinese is the source.
    folder = shared / "data" / "align-dev" / "mac-dev"
    if not (folder / "gold").is_dir():
        raise BenchError(f"missing dev-set folder {folder / 'gold'}")
    names = sorted(p.name for p in (folder / "gold").iterdir() if not p.name.startswith("."))
    if not names:
        raise BenchError(f"no gold files in {folder / 'gold'}")
    return tuple(
        benchdata.line_pair_doc(
            f"mac-{name}", "zh", "en", _lines(folder / "zh" / name),
            _lines(folder / "en" / name), _gold(folder / "gold" / name),
        )
        for name in names
    )


def load_opus(shared: Path, seed: int) -> tuple[BenchDoc, ...]:
    # gold.en-ru: the left side indexes val/en (4,830 lines), the right val/ru (4,336).
    folder = shared / "data" / "align-dev" / "opus-books-en-ru" / "val"
    return (benchdata.line_pair_doc(
        "opus-books-val", "en", "ru", _lines(folder / "en"), _lines(folder / "ru"),
        _gold(folder / "gold.en-ru"),
    ),)


def load_un(shared: Path, seed: int) -> tuple[BenchDoc, ...]:
    folder = shared / "data" / "parallel" / "un-v1-devset"
    return benchdata.build_un_synthetic(
        _lines(folder / "UNv1.0.devset.ids"), _lines(folder / "UNv1.0.devset.ru"),
        _lines(folder / "UNv1.0.devset.en"), seed=seed,
    )


def load_speed(shared: Path, seed: int) -> tuple[BenchDoc, ...]:
    rows = benchdata.parse_train_tsv(_read(shared / "data" / "parallel" / "ru-en.train.tsv"))
    return (benchdata.build_speed_pair(rows, n_src=SPEED_SRC, n_extra=SPEED_EXTRA, seed=seed),)


LOADERS: dict[str, Callable[[Path, int], tuple[BenchDoc, ...]]] = {
    "textberg": load_textberg,
    "mac": load_mac,
    "opus": load_opus,
    "un": load_un,
    "speed": load_speed,
}


# --- Configuration -----------------------------------------------------------------------------


def _convert(text: str, hint: Any) -> Any:
    """``text`` as a value of the annotated type ``hint`` (bool, int, float, str, Literal,
    optional); anything else as a Python literal."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        for choice in typing.get_args(hint):
            if str(choice) == text:
                return choice
        raise ValueError(f"one of {', '.join(map(str, typing.get_args(hint)))}")
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(options) < len(typing.get_args(hint)) and text.lower() in ("none", "null"):
            return None
        for option in options:
            try:
                return _convert(text, option)
            except ValueError:
                continue
        raise ValueError(f"a value of type {hint}")
    if hint is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("true or false")
    if hint in (int, float, str):
        try:
            return hint(text)
        except ValueError as err:
            raise ValueError(f"a value of type {hint.__name__}") from err
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as err:
        raise ValueError(f"a Python literal of type {hint}") from err


def build_config(max_bead: int | None, params: Sequence[str]) -> Any:
    """``AlignConfig()`` with ``--max-bead`` and each ``--param key=value`` applied, each value
    converted to its field's annotated type."""
    from aligner.pipeline import AlignConfig

    hints = typing.get_type_hints(AlignConfig)
    known = [f.name for f in dataclasses.fields(AlignConfig)]
    changes: dict[str, Any] = {}
    if max_bead is not None:
        if "max_bead" not in known:
            raise BenchError("--max-bead: AlignConfig has no field max_bead", exit_code=2)
        changes["max_bead"] = max_bead
    for param in params:
        key, sep, value = param.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise BenchError(f"--param {param!r}: expected KEY=VALUE", exit_code=2)
        if key not in known:
            raise BenchError(f"--param {param!r}: AlignConfig has no field {key!r}; known: "
                             f"{', '.join(known)}", exit_code=2)
        try:
            changes[key] = _convert(value.strip(), hints.get(key, str))
        except ValueError as err:
            raise BenchError(f"--param {param!r}: {key} needs {err}", exit_code=2) from err
    return dataclasses.replace(AlignConfig(), **changes)


# --- Measuring ---------------------------------------------------------------------------------


def max_rss_bytes() -> int:
    """This process's resident-set peak so far.

    ``VmHWM`` from /proc on Linux: ``ru_maxrss`` there carries over from the parent across
    fork and exec, so a fresh worker would report the parent's peak. ``ru_maxrss`` elsewhere
    (KiB on Linux, bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def current_rss_bytes() -> int | None:
    """Resident set now, from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class RssPeak:
    """The resident-set peak during a block, above where it started, sampled every 10 ms.

    Unlike tracemalloc it costs nothing measurable and counts native allocations too
    (BLAS, SentencePiece); unlike ``ru_maxrss`` it is per call, not per process.
    """

    def __init__(self, interval_s: float = 0.01):
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.start: int | None = None
        self.peak: int | None = None

    def __enter__(self) -> RssPeak:
        self.start = self.peak = current_rss_bytes()
        if self.start is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._note(current_rss_bytes())

    def _note(self, rss: int | None) -> None:
        if rss is not None and (self.peak is None or rss > self.peak):
            self.peak = rss

    def _sample(self) -> None:
        while not self._stop.wait(self._interval_s):
            self._note(current_rss_bytes())

    @property
    def growth(self) -> int | None:
        return None if self.start is None or self.peak is None else self.peak - self.start


@contextmanager
def traced(enabled: bool) -> Iterator[list[int]]:
    """Collects the tracemalloc peak of the block into the yielded list, if enabled."""
    peak: list[int] = []
    if not enabled:
        yield peak
        return
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


# --- Running -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocRun:
    """One ``align_documents`` call on one bench document."""

    doc: BenchDoc
    beads: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    read_s: float
    wall_s: float
    stages: tuple[tuple[str, float], ...]
    rss_growth: int | None
    tracemalloc_peak: int | None
    signature: str

    @property
    def sentences(self) -> int:
        return len(self.doc.src_lines) + len(self.doc.tgt_lines)

    def stage(self, name: str) -> float:
        return sum(seconds for stage, seconds in self.stages if stage == name)


@dataclass(slots=True)
class SetRun:
    name: str
    runs: list[DocRun] = field(default_factory=list)
    max_rss: int = 0
    encode_once_s: float | None = None


def to_documents(doc: BenchDoc, paragraph_breaks: bool) -> tuple[Any, Any]:
    """The two sides as library Documents, read in presplit mode (one sentence per line)."""
    from aligner.read import make_document

    sides = []
    for lines, paragraphs, lang, side in (
        (doc.src_lines, doc.src_paragraphs, doc.src_lang, "src"),
        (doc.tgt_lines, doc.tgt_paragraphs, doc.tgt_lang, "tgt"),
    ):
        if paragraph_breaks:
            document = make_document(benchdata.presplit_text(lines, paragraphs), lang,
                                     path=f"{doc.name}.{side}", presplit=True,
                                     paragraphs="blank")
        else:
            document = make_document(benchdata.presplit_text(lines), lang,
                                     path=f"{doc.name}.{side}", presplit=True)
        if len(document.sentences) != len(lines):
            raise BenchError(
                f"{doc.name}.{side}: presplit reading gave {len(document.sentences)} "
                f"sentences for {len(lines)} lines, so the gold indices would not match"
            )
        if paragraph_breaks and tuple(s.paragraph for s in document.sentences) != paragraphs:
            raise BenchError(f"{doc.name}.{side}: the reader's paragraphs differ from the "
                             "blank lines the bench wrote")
        sides.append(document)
    return sides[0], sides[1]


def align_doc(doc: BenchDoc, encoder: Any, config: Any, *, paragraph_breaks: bool,
              trace: bool = False, second: Any = None) -> DocRun:
    from aligner.pipeline import align_documents

    started = time.perf_counter()
    src, tgt = to_documents(doc, paragraph_breaks)
    read_s = time.perf_counter() - started
    gc.collect()
    with RssPeak() as rss, traced(trace) as peak:
        started = time.perf_counter()
        alignment = align_documents(src, tgt, encoder=encoder, config=config,
                                    second_encoder=second)
        wall_s = time.perf_counter() - started
    return DocRun(
        doc=doc,
        beads=tuple((tuple(b.src), tuple(b.tgt)) for b in alignment.beads),
        read_s=read_s,
        wall_s=wall_s,
        stages=tuple((str(name), float(seconds)) for name, seconds in alignment.timings),
        rss_growth=rss.growth,
        tracemalloc_peak=peak[0] if peak else None,
        signature=str(alignment.signature),
    )


def encode_once_s(docs: Sequence[BenchDoc], encoder: Any) -> float:
    """Seconds to encode every distinct sentence of each document's two sides once.

    One ``encode`` call per document, as ``align_documents`` makes one encoder pass per pair.
    The encoder dedupes (and keeps no cache between calls); the list is made distinct here
    so that what is counted is explicit.
    """
    total = 0.0
    for doc in docs:
        distinct = list(dict.fromkeys(doc.src_lines + doc.tgt_lines))
        gc.collect()
        started = time.perf_counter()
        encoder.encode(distinct)
        total += time.perf_counter() - started
    return total


def memory_probe(doc: BenchDoc, encoder_name: str, config: Any,
                 paragraph_breaks: bool) -> dict[str, float | None]:
    """Run in a fresh process: load the encoder, then one traced ``align_documents`` call.

    Returns the call's tracemalloc peak and resident-set growth, and the process's
    resident-set peak before and after the call (the first is the encoder load's own peak).
    """
    from aligner.encoders import get_encoder

    encoder = get_encoder(encoder_name)
    encoder.encode(WARM_UP)
    gc.collect()
    rss_loaded = max_rss_bytes()
    run = align_doc(doc, encoder, config, paragraph_breaks=paragraph_breaks, trace=True)
    return {
        "tracemalloc_peak_mib": (run.tracemalloc_peak or 0) / MIB,
        "rss_growth_mib": None if run.rss_growth is None else run.rss_growth / MIB,
        "max_rss_loaded_mib": rss_loaded / MIB,
        "max_rss_mib": max_rss_bytes() / MIB,
        "wall_s_traced": run.wall_s,
    }


def probe_in_fresh_process(doc: BenchDoc, encoder_name: str, config: Any,
                           paragraph_breaks: bool) -> dict[str, float | None]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(memory_probe, doc, encoder_name, config, paragraph_breaks).result()


# --- Figures -----------------------------------------------------------------------------------


def score(runs: Sequence[DocRun]) -> Any:
    from aligner.quality import score_documents

    return score_documents((run.doc.gold, run.beads) for run in runs)


def timing_figures(runs: Sequence[DocRun]) -> dict[str, float]:
    wall = sum(run.wall_s for run in runs)
    encode = sum(run.stage("encode") for run in runs)
    search = sum(run.stage("search") for run in runs)
    sentences = sum(run.sentences for run in runs)
    return {
        "read_s": sum(run.read_s for run in runs),
        "align_wall_s": wall,
        "encode_s": encode,
        "search_s": search,
        "other_s": wall - encode - search,
        "sentences": sentences,
        "sentences_per_s": sentences / wall if wall else 0.0,
    }


def size_figures(runs: Sequence[DocRun]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for run in runs:
        for kind, count in run.doc.bead_kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    return {
        "documents": len(runs),
        "src_sentences": sum(len(run.doc.src_lines) for run in runs),
        "tgt_sentences": sum(len(run.doc.tgt_lines) for run in runs),
        "gold_beads": sum(len(run.doc.gold) for run in runs),
        "gold_bead_types": dict(sorted(kinds.items(), key=lambda item: -item[1])),
    }


def set_figures(set_run: SetRun) -> dict[str, Any]:
    runs = set_run.runs
    growths = [run.rss_growth for run in runs if run.rss_growth is not None]
    traces = [run.tracemalloc_peak for run in runs if run.tracemalloc_peak is not None]
    figures = size_figures(runs)
    figures |= {
        "timing": timing_figures(runs),
        "rss_growth_mib": max(growths) / MIB if growths else None,
        "tracemalloc_peak_mib": max(traces) / MIB if traces else None,
        "max_rss_mib_so_far": set_run.max_rss / MIB,
        "documents_detail": [
            {
                "name": run.doc.name,
                "src": len(run.doc.src_lines),
                "tgt": len(run.doc.tgt_lines),
                "gold_bead_types": run.doc.bead_kinds,
                "align_wall_s": run.wall_s,
                "stages": dict(run.stages),
                "rss_growth_mib": None if run.rss_growth is None else run.rss_growth / MIB,
                "f1_strict": score([run]).f1_strict,
            }
            for run in runs
        ],
    }
    figures["scores"] = score(runs).as_dict()  # the speed pair's too, as a sanity check
    return figures


def build_report(args: argparse.Namespace, config: Any, load_s: float, notes: list[str],
                 set_runs: Sequence[SetRun], memory: list[dict[str, Any]]) -> dict[str, Any]:
    import numpy

    signature = next((run.signature for s in set_runs for run in s.runs), "")
    report: dict[str, Any] = {
        "meta": {
            "date": args.started,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}, numpy {numpy.__version__}",
            "load_average_at_start": args.load_average,
            "signature": signature,
            "encoder": args.encoder,
            "second_encoder": args.second_encoder,
            "encoder_load_s": load_s,
            "config": {f.name: getattr(config, f.name) for f in dataclasses.fields(config)},
            "params": list(args.param),
            "limit": args.limit,
            "seed": args.seed,
            "sets": list(args.sets),
            "paragraph_breaks": args.paragraph_breaks,
            "tracemalloc_in_set_runs": args.tracemalloc,
            "notes": notes,
        },
        "sets": {s.name: set_figures(s) for s in set_runs},
    }
    quality_runs = [run for s in set_runs if s.name in QUALITY_SETS for run in s.runs]
    if quality_runs:
        report["overall"] = size_figures(quality_runs) | {
            "scores": score(quality_runs).as_dict(),
            "timing": timing_figures(quality_runs),
        }
    speed: dict[str, Any] = {"encode_once": [], "memory": memory}
    for s in set_runs:
        if s.encode_once_s is None:
            continue
        timing = report["sets"][s.name]["timing"]
        speed["encode_once"].append({
            "pair": SET_TITLES[s.name],
            "documents": len(s.runs),
            "sentences": timing["sentences"],
            "encode_once_s": s.encode_once_s,
            "align_wall_s": timing["align_wall_s"],
            "ratio": timing["align_wall_s"] / s.encode_once_s if s.encode_once_s else None,
            "encode_s": timing["encode_s"],
            "search_s": timing["search_s"],
        })
        if s.name == "speed" and s.runs:
            speed["long_pair"] = {"src": len(s.runs[0].doc.src_lines),
                                  "tgt": len(s.runs[0].doc.tgt_lines),
                                  "search_s": s.runs[0].stage("search")}
    report["speed"] = speed
    return report


# --- Tables ------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _num(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def type_cells(by_type: dict[str, dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    """(gold, strict, lax) per displayed bead type; rarer types summed into ``"other"``."""
    cells: dict[str, list[int]] = {}
    for kind, row in by_type.items():
        key = kind if kind in MAIN_TYPES else "other"
        cell = cells.setdefault(key, [0, 0, 0])
        cell[0] += row["gold"]
        cell[1] += row["strict"]
        cell[2] += row["lax"]
    return {key: (cell[0], cell[1], cell[2]) for key, cell in cells.items()}


def render(console: Any, report: dict[str, Any], *, markdown: bool) -> None:
    from rich import box
    from rich.table import Table

    titles: dict[int, str] = {}

    def table(title: str, columns: Sequence[str]) -> Any:
        out = Table(box=box.MARKDOWN if markdown else box.SIMPLE_HEAD, pad_edge=markdown)
        for number, column in enumerate(columns):
            out.add_column(column, justify="left" if number == 0 else "right", no_wrap=True)
        titles[id(out)] = title
        return out

    def show(out: Any) -> None:
        # The title goes on its own line, not into the table, so a narrow table does not
        # wrap it and Markdown output stays a plain pipe table.
        title = titles[id(out)]
        console.print(f"**{title}**" if markdown else f"[bold]{title}[/bold]", soft_wrap=True)
        console.print(out)

    meta = report["meta"]
    console.print(f"bench_align  {meta['date']}  {meta['machine']}, load average at start "
                  f"{meta['load_average_at_start']:.2f}", soft_wrap=True)
    console.print(f"signature: {meta['signature']}", soft_wrap=True)
    if meta["limit"]:
        console.print(f"--limit {meta['limit']}: at most that many source sentences per set")
    for note in meta["notes"]:
        console.print(f"note: {note}", soft_wrap=True)
    console.print()

    sets = report["sets"]
    rows = [(SET_TITLES[name], sets[name]) for name in sets if name in QUALITY_SETS]
    if len(rows) > 1:
        rows.append(("overall", report["overall"]))
    if rows:
        quality = table("Alignment quality, % (micro-averaged over documents)",
                        ("set", "docs", "src", "tgt", "gold beads", "P strict", "R strict",
                         "F1 strict", "P lax", "R lax", "F1 lax"))
        for number, (title, figures) in enumerate(rows):
            scores = figures["scores"]
            quality.add_row(
                title, str(figures["documents"]), f"{figures['src_sentences']:,}",
                f"{figures['tgt_sentences']:,}", f"{figures['gold_beads']:,}",
                _pct(scores["precision_strict"]), _pct(scores["recall_strict"]),
                _pct(scores["f1_strict"]), _pct(scores["precision_lax"]),
                _pct(scores["recall_lax"]), _pct(scores["f1_lax"]),
                end_section=number == len(rows) - 2 and len(rows) > 1,
            )
        show(quality)

        cells = [(title, type_cells(figures["scores"]["by_type"])) for title, figures in rows]
        kinds = [k for k in (*MAIN_TYPES, "other") if any(k in c for _, c in cells)]
        by_type = table("Recall by gold bead type: strict/lax %, (gold beads)",
                        ("type", *(title for title, _ in cells)))
        for kind in kinds:
            values = []
            for _, row in cells:
                gold, strict, lax = row.get(kind, (0, 0, 0))
                values.append(f"{100 * strict / gold:.0f}/{100 * lax / gold:.0f} ({gold:,})"
                              if gold else "")
            by_type.add_row(kind, *values)
        show(by_type)
        console.print("Null types (1-0, 0-1) count only when found exactly; overall recall "
                      "leaves them out (they count for precision). other: 3+ on a side.")
        console.print()

    speed_rows = table(
        "Time and memory of align_documents (encoder loaded once, before timing)",
        ("set", "docs", "sentences", "wall s", "encode s", "search s", "other s", "sent/s",
         "RSS peak +MiB", *(("tracemalloc MiB",) if meta["tracemalloc_in_set_runs"] else ())),
    )
    for name, figures in sets.items():
        timing = figures["timing"]
        speed_rows.add_row(
            SET_TITLES[name], str(figures["documents"]), f"{timing['sentences']:,}",
            f"{timing['align_wall_s']:.1f}", f"{timing['encode_s']:.1f}",
            f"{timing['search_s']:.2f}", f"{timing['other_s']:.2f}",
            f"{timing['sentences_per_s']:,.0f}", _num(figures["rss_growth_mib"]),
            *((_num(figures["tracemalloc_peak_mib"]),) if meta["tracemalloc_in_set_runs"]
              else ()),
        )
    show(speed_rows)
    console.print(f"RSS peak +MiB: the largest growth of the resident set during one call of "
                  f"the set. Encoder load {meta['encoder_load_s']:.1f} s; process max RSS "
                  f"{max(f['max_rss_mib_so_far'] for f in sets.values()):,.0f} MiB.")
    console.print()

    speed = report["speed"]
    if speed["encode_once"]:
        once = table("End-to-end time vs encoding each distinct sentence once",
                     ("pair", "docs", "sentences", "encode once s", "align wall s", "ratio",
                      f"≤ {TARGET_RATIO}?", "encode s", "search s"))
        for row in speed["encode_once"]:
            ratio = row["ratio"]
            once.add_row(
                row["pair"], str(row["documents"]), f"{row['sentences']:,}",
                f"{row['encode_once_s']:.1f}", f"{row['align_wall_s']:.1f}", _num(ratio, 2),
                "" if ratio is None else ("yes" if ratio <= TARGET_RATIO else "NO"),
                f"{row['encode_s']:.1f}", f"{row['search_s']:.2f}",
            )
        show(once)
        if "long_pair" in speed:
            pair = speed["long_pair"]
            verdict = "yes" if pair["search_s"] < TARGET_SEARCH_S else "NO"
            console.print(f"Search alone on the {pair['src']:,}×{pair['tgt']:,} pair: "
                          f"{pair['search_s']:.2f} s (target < {TARGET_SEARCH_S:.0f} s: "
                          f"{verdict}).")
        console.print()
    if speed["memory"]:
        memory = table("Peak memory of one align call, each pair in a fresh process",
                       ("pair", "src×tgt", "tracemalloc MiB", "RSS peak +MiB",
                        "max RSS MiB", "after load MiB", "KiB/sentence"))
        for row in speed["memory"]:
            memory.add_row(
                row["pair"], f"{row['src']:,}×{row['tgt']:,}",
                f"{row['tracemalloc_peak_mib']:,.1f}", _num(row["rss_growth_mib"]),
                f"{row['max_rss_mib']:,.0f}", f"{row['max_rss_loaded_mib']:,.0f}",
                f"{1024 * row['tracemalloc_peak_mib'] / (row['src'] + row['tgt']):.1f}",
            )
        show(memory)
        if len(speed["memory"]) == 2:
            small, large = speed["memory"]
            growth = (large["src"] + large["tgt"]) / (small["src"] + small["tgt"])
            console.print(
                f"From half to whole: sentences ×{growth:.2f}, tracemalloc peak "
                f"×{large['tracemalloc_peak_mib'] / max(small['tracemalloc_peak_mib'], 1e-9):.2f}"
                " (linear memory: about the same factor). RSS peak +MiB: growth of the "
                "resident set during the call; max RSS: the process's peak (VmHWM), after "
                "load: its peak once the encoder is loaded; KiB/sentence: tracemalloc peak "
                "per sentence of both sides."
            )
        console.print()


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_align.py",
        description="Run the aligner on the dev sets; print quality, speed and memory.",
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared data folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--sets", action="append", default=None, metavar="SET[,SET]",
                        help=f"sets to run, any of {', '.join(SETS)} (default: all)")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="at most N source sentences per set, cut at whole gold beads "
                             "(the speed pair too)")
    parser.add_argument("--encoder", default="use", help="encoder name (default: use)")
    parser.add_argument("--second-encoder", default=None, metavar="NAME",
                        help="a second opinion for the learned pass (e5; needs aligner[e5]); "
                        "the memory probe still runs without it")
    parser.add_argument("--max-bead", type=int, default=None, metavar="N",
                        help="largest bead, source + target sentences (AlignConfig.max_bead)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="set an AlignConfig field; repeatable, e.g. --param band=12")
    parser.add_argument("--seed", type=int, default=13,
                        help="seed of the synthetic UN and speed sets (default: 13)")
    parser.add_argument("--no-paragraphs", dest="paragraph_breaks", action="store_false",
                        help="do not give the aligner paragraph breaks (by default they go "
                             "in as blank lines, read with paragraphs='blank'; only the UN "
                             "set has them)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace allocations in the per-set runs (slows them down)")
    parser.add_argument("--no-memory-probe", dest="memory_probe", action="store_false",
                        help="skip the fresh-process memory runs of the speed pair")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="also write every figure to PATH as JSON")
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables as Markdown (for an issue note)")
    parser.add_argument("--width", type=int, default=130, help="table width (default: 130)")
    args = parser.parse_args(argv)
    chosen: set[str] = set()
    for item in args.sets or [",".join(SETS)]:
        for name in filter(None, (part.strip() for part in item.split(","))):
            if name not in SETS:
                parser.error(f"--sets: unknown set {name!r}; choose from {', '.join(SETS)}")
            chosen.add(name)
    if not chosen:
        parser.error("--sets: name at least one set")
    args.sets = [name for name in SETS if name in chosen]
    if args.limit is not None and args.limit < 2:
        parser.error("--limit must be at least 2")
    return args


def ensure_aligner_importable() -> None:
    """Import from this checkout when the package is not installed; its trained artefacts
    (``aligner.models``, mapped from ``models/``) only resolve in an installed package."""
    if importlib.util.find_spec("aligner") is None:
        sys.path.insert(0, str(REPO_ROOT))
    if importlib.util.find_spec("aligner") is None or \
            importlib.util.find_spec("aligner.models") is None:
        raise BenchError("the aligner package is not installed (aligner.models does not "
                         f"resolve); run `pip install -e .` in {REPO_ROOT}", exit_code=2)


def run(args: argparse.Namespace) -> int:
    if not (args.shared / "data").is_dir():
        print(f"bench_align: shared data not found at {args.shared} (the dev sets live in "
              "../shared beside the repository; pass --shared PATH)", file=sys.stderr)
        return 2
    try:
        ensure_aligner_importable()
        return bench(args)
    except BenchError as err:
        print(f"bench_align: {err}", file=sys.stderr)
        return err.exit_code
    except benchdata.BenchDataError as err:
        print(f"bench_align: {err}", file=sys.stderr)
        return 1


def bench(args: argparse.Namespace) -> int:
    from rich.console import Console

    from aligner.encoders import get_encoder
    from aligner.errors import AlignerError

    console = Console(width=args.width, highlight=False, emoji=False, soft_wrap=True)
    progress = Console(stderr=True, highlight=False)
    args.started = time.strftime("%Y-%m-%d %H:%M:%S")
    args.load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0

    def say(text: str) -> None:
        if progress.is_terminal:
            progress.print(f"[dim]{text}[/dim]".ljust(70), end="\r")

    notes: list[str] = []
    if args.load_average > 0.5:
        notes.append(f"load average {args.load_average:.2f} at start: other processes share "
                     "the cores, so timings are inflated")
    try:
        config = build_config(args.max_bead, args.param)
        docs_by_set: dict[str, tuple[BenchDoc, ...]] = {}
        for name in args.sets:
            say(f"building {name}")
            docs = LOADERS[name](args.shared, args.seed)
            if args.limit is not None:
                docs = benchdata.limit_docs(docs, args.limit)
            docs_by_set[name] = docs
            notes += [f"{doc.name} gold: {note}" for doc in docs
                      for note in benchdata.gold_notes(doc)]

        say("loading the encoder")
        started = time.perf_counter()
        encoder = get_encoder(args.encoder)
        encoder.encode(WARM_UP)
        second = None
        if args.second_encoder:
            from aligner.encoders import get_second_encoder

            second = get_second_encoder(args.second_encoder)
            second.encode(WARM_UP)
        load_s = time.perf_counter() - started

        set_runs: list[SetRun] = []
        for name in args.sets:
            set_run = SetRun(name)
            for doc in docs_by_set[name]:
                if name in ENCODE_ONCE_SETS:
                    # Right before its align call, so both see the same machine load.
                    say(f"encoding {doc.name} once")
                    set_run.encode_once_s = (set_run.encode_once_s or 0.0) + encode_once_s(
                        [doc], encoder)
                say(f"aligning {doc.name}: {len(doc.src_lines):,}×{len(doc.tgt_lines):,}")
                set_run.runs.append(align_doc(doc, encoder, config,
                                              paragraph_breaks=args.paragraph_breaks,
                                              trace=args.tracemalloc, second=second))
            set_run.max_rss = max_rss_bytes()
            set_runs.append(set_run)

        memory: list[dict[str, Any]] = []
        if "speed" in args.sets and args.memory_probe:
            long_pair = docs_by_set["speed"][0]
            half = benchdata.head(long_pair, len(long_pair.src_lines) // 2)
            for label, doc in (("half", half), ("whole", long_pair)):
                say(f"memory: {label} pair in a fresh process, traced")
                figures = probe_in_fresh_process(doc, args.encoder, config,
                                                 args.paragraph_breaks)
                memory.append({"pair": f"speed {label}", "src": len(doc.src_lines),
                               "tgt": len(doc.tgt_lines), **figures})
    except AlignerError as err:
        print(f"bench_align: {err}", file=sys.stderr)
        return err.exit_code
    finally:
        say("")

    report = build_report(args, config, load_s, notes, set_runs, memory)
    render(console, report, markdown=args.markdown)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                             encoding="utf-8")
        console.print(f"figures written to {args.json}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
