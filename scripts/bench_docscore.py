"""Does the document score mean something? Corrupt documents step by step and watch it fall.

Needs the UN devset in ``../shared`` (``--shared PATH`` elsewhere); without it, says so in
one line and exits 2. From the synthetic Russian -> English UN documents of
``bench_align.py`` (``benchdata.build_un_synthetic``: the same packed documents at every
level, seed 13), six corruption levels:

==========  ========================================================================
level       what is done to the pair
==========  ========================================================================
clean       merges and splits only (10 % of the pairs): how real translations differ
del/ins 5   + 5 % of the pairs: a sentence dropped or inserted on either side
del/ins 15  + 15 %
del/ins 30  + 30 %
shuffled    del/ins 30, and the English paragraphs cut into 4 runs put in another order
unrelated   the English of the next document: nothing aligns (gold: every bead null)
==========  ========================================================================

Each pair is aligned (``align_documents``, paragraphs given), reviewed
(``aligner.scoring.review_alignment``: checks, adequacy, document score) and scored against
its gold (strict F1, ``aligner.quality``). The report gives per level the mean document
score, gold F1 and the four factors, and the range of the share of sentences in null beads
and of the mean adequacy (what ``aligner compare`` reads to tell a translation from another
text); the Spearman rank correlation between document score and gold F1 over every pair;
and whether the mean document score falls at every level.

Examples::

    python scripts/bench_docscore.py                      # 4 documents per level, ~3 min
    python scripts/bench_docscore.py --docs 8 --json bench-out/docscore.json
    python scripts/bench_docscore.py --markdown           # tables for an issue note
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import benchdata
from bench_align import (
    DEFAULT_SHARED,
    WARM_UP,
    BenchError,
    ensure_aligner_importable,
    to_documents,
)
from benchdata import BenchDoc

#: (name, share of pairs dropped or inserted, English paragraphs shuffled, unrelated English)
LEVELS: tuple[tuple[str, float, bool, bool], ...] = (
    ("clean", 0.0, False, False),
    ("del/ins 5", 0.05, False, False),
    ("del/ins 15", 0.15, False, False),
    ("del/ins 30", 0.30, False, False),
    ("shuffled", 0.30, True, False),
    ("unrelated", 0.0, False, True),
)
#: Share of pairs merged or split at every level (benchdata's structural edits).
STRUCTURE_RATE = 0.10
#: English paragraphs are cut into this many runs for the shuffled level.
SHUFFLE_RUNS = 4
FACTORS = ("coverage", "confidence", "adequacy", "findings")


@dataclass(frozen=True, slots=True)
class Run:
    level: str
    doc: str
    src: int
    tgt: int
    f1: float
    score: float
    factors: dict[str, float]
    share_null: float
    adequacy_mean: float
    seconds: float
    signature: str


# --- building the levels ------------------------------------------------------------------


def level_docs(shared: Path, seed: int, rate: float) -> tuple[BenchDoc, ...]:
    """The UN synthetic documents with merges/splits and ``rate`` deletions/insertions."""
    folder = shared / "data" / "parallel" / "un-v1-devset"
    structure = STRUCTURE_RATE / 3
    weights: dict[benchdata.EditKind, float] = {
        "merge_tgt": structure, "merge_src": structure, "split_tgt": structure}
    if rate:
        weights.update({"omit_src": rate / 4, "omit_tgt": rate / 4,
                        "insert_src": rate / 4, "insert_tgt": rate / 4})
    return benchdata.build_un_synthetic(
        benchdata.split_lines(_read(folder / "UNv1.0.devset.ids")),
        benchdata.split_lines(_read(folder / "UNv1.0.devset.ru")),
        benchdata.split_lines(_read(folder / "UNv1.0.devset.en")),
        seed=seed, edit_rate=STRUCTURE_RATE + rate, weights=weights,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise BenchError(f"missing dev-set file {path}") from err


def shuffle_paragraphs(doc: BenchDoc, rng: random.Random) -> BenchDoc:
    """``doc`` with its English paragraphs cut into ``SHUFFLE_RUNS`` runs, reordered; the
    gold follows the sentences (and is no longer monotone)."""
    paragraphs = sorted(set(doc.tgt_paragraphs))
    size = max(1, -(-len(paragraphs) // SHUFFLE_RUNS))
    runs = [paragraphs[k:k + size] for k in range(0, len(paragraphs), size)]
    order = list(range(len(runs)))
    while len(order) > 1 and order == sorted(order):
        rng.shuffle(order)
    new_order = [i for r in order for p in runs[r]
                 for i, q in enumerate(doc.tgt_paragraphs) if q == p]
    position = {old: new for new, old in enumerate(new_order)}
    lines = tuple(doc.tgt_lines[i] for i in new_order)
    old_paragraphs = [doc.tgt_paragraphs[i] for i in new_order]
    dense = [0]
    for prev, cur in pairwise(old_paragraphs):
        dense.append(dense[-1] + (cur != prev))
    gold = tuple((src, tuple(sorted(position[j] for j in tgt))) for src, tgt in doc.gold)
    return BenchDoc(doc.name, doc.src_lang, doc.tgt_lang, doc.src_lines, lines, gold,
                    doc.src_paragraphs, tuple(dense))


def unrelated(doc: BenchDoc, other: BenchDoc) -> BenchDoc:
    """``doc``'s Russian with ``other``'s English: every gold bead is null."""
    gold = tuple([((i,), ()) for i in range(len(doc.src_lines))]
                 + [((), (j,)) for j in range(len(other.tgt_lines))])
    return BenchDoc(doc.name, doc.src_lang, doc.tgt_lang, doc.src_lines, other.tgt_lines,
                    gold, doc.src_paragraphs, other.tgt_paragraphs)


def build_levels(shared: Path, seed: int, docs: int) -> list[tuple[str, list[BenchDoc]]]:
    out = []
    clean = level_docs(shared, seed, 0.0)
    if len(clean) < docs + 1:
        raise BenchError(f"the UN devset gave {len(clean)} documents; --docs {docs} needs "
                         f"{docs + 1}")
    rng = random.Random(seed)
    for name, rate, shuffled, other in LEVELS:
        if other:
            out.append((name, [unrelated(clean[k], clean[k + 1]) for k in range(docs)]))
            continue
        level = clean if rate == 0 else level_docs(shared, seed, rate)
        chosen = list(level[:docs])
        if shuffled:
            chosen = [shuffle_paragraphs(d, rng) for d in chosen]
        out.append((name, chosen))
    return out


# --- figures ------------------------------------------------------------------------------


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (ties get their mean rank). Written out here rather than
    taken from scipy, which nothing else in the project needs."""
    import numpy as np

    def ranks(values: Sequence[float]) -> Any:
        order = np.argsort(values, kind="stable")
        r = np.empty(len(values), dtype=np.float64)
        r[order] = np.arange(len(values), dtype=np.float64)
        array = np.asarray(values, dtype=np.float64)
        for value in np.unique(array):
            tied = array == value
            r[tied] = r[tied].mean()
        return r

    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def run_doc(level: str, doc: BenchDoc, encoder: Any) -> Run:
    from aligner.pipeline import align_documents
    from aligner.quality import score_beads
    from aligner.scoring import review_alignment

    started = time.perf_counter()
    src, tgt = to_documents(doc, True)
    alignment = align_documents(src, tgt, encoder=encoder)
    review = review_alignment(alignment, encoder=encoder)
    seconds = time.perf_counter() - started
    test = [(tuple(b.src), tuple(b.tgt)) for b in alignment.beads]
    f1 = score_beads(doc.gold, test).f1_strict
    if review.document is None:
        raise BenchError(f"{doc.name}: the review has no document score")
    components = dict(review.document.components)
    factors = {name: components.get(f"{name}_factor", float("nan")) for name in FACTORS}
    return Run(level, doc.name, len(doc.src_lines), len(doc.tgt_lines), f1,
               review.document.score, factors, components["share_null"],
               components["adequacy_mean"], seconds, review.signature)


def summarise(runs: Sequence[Run]) -> dict[str, Any]:
    levels: list[dict[str, Any]] = []
    for name, *_ in LEVELS:
        mine = [r for r in runs if r.level == name]
        if not mine:
            continue
        levels.append({
            "level": name,
            "documents": len(mine),
            "mean_score": sum(r.score for r in mine) / len(mine),
            "mean_f1": sum(r.f1 for r in mine) / len(mine),
            **{f"mean_{f}": sum(r.factors[f] for r in mine) / len(mine) for f in FACTORS},
            "share_null": [min(r.share_null for r in mine), max(r.share_null for r in mine)],
            "adequacy_mean": [min(r.adequacy_mean for r in mine),
                              max(r.adequacy_mean for r in mine)],
        })
    means = [lv["mean_score"] for lv in levels]
    f1s = [lv["mean_f1"] for lv in levels]
    return {
        "levels": levels,
        "spearman_score_f1": spearman([r.score for r in runs], [r.f1 for r in runs]),
        "score_falls_at_every_level": all(a > b for a, b in pairwise(means)),
        "f1_falls_at_every_level": all(a >= b for a, b in pairwise(f1s)),
        "runs": [{"level": r.level, "doc": r.doc, "src": r.src, "tgt": r.tgt, "f1": r.f1,
                  "score": r.score, **r.factors, "share_null": r.share_null,
                  "adequacy_mean": r.adequacy_mean, "seconds": round(r.seconds, 2)}
                 for r in runs],
    }


def render(summary: dict[str, Any], *, markdown: bool, header: str) -> str:
    cols = ("level", "docs", "doc score", "gold F1", *FACTORS, "null %", "adequacy")
    rows = [(lv["level"], str(lv["documents"]), f"{lv['mean_score']:.1f}",
             f"{100 * lv['mean_f1']:.1f}", *(f"{lv[f'mean_{f}']:.3f}" for f in FACTORS),
             "{:.0f}-{:.0f}".format(*(100 * v for v in lv["share_null"])),
             "{:.0f}-{:.0f}".format(*lv["adequacy_mean"]))
            for lv in summary["levels"]]
    lines = [header, ""]
    if markdown:
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "|".join("---" for _ in cols) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(c), *(len(row[k]) for row in rows)) for k, c in enumerate(cols)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                  for row in rows]
    lines += [
        "",
        f"Spearman rank correlation, document score vs gold strict F1 over "
        f"{len(summary['runs'])} pairs: {summary['spearman_score_f1']:.3f}",
        "mean document score falls at every level: "
        + ("yes" if summary["score_falls_at_every_level"] else "NO"),
    ]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_docscore.py", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared data folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--docs", type=int, default=4, metavar="N",
                        help="documents per level (default: 4; about 3 minutes on 2 busy "
                             "cores)")
    parser.add_argument("--seed", type=int, default=13, help="seed (default: 13)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="also write every figure to PATH as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"bench_docscore: shared data not found at {args.shared} (the UN devset lives "
              "in ../shared beside the repository; pass --shared PATH)", file=sys.stderr)
        return 2
    try:
        ensure_aligner_importable()
        from aligner.encoders import get_encoder
        from aligner.errors import AlignerError

        levels = build_levels(args.shared, args.seed, args.docs)
        encoder = get_encoder("use")
        encoder.encode(WARM_UP)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        started = time.perf_counter()
        runs = []
        for name, docs in levels:
            for doc in docs:
                print(f"  {name}: {doc.name} ({len(doc.src_lines)}x{len(doc.tgt_lines)})",
                      file=sys.stderr)
                runs.append(run_doc(name, doc, encoder))
        elapsed = time.perf_counter() - started
    except (BenchError, benchdata.BenchDataError) as err:
        print(f"bench_docscore: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except AlignerError as err:
        print(f"bench_docscore: {err}", file=sys.stderr)
        return err.exit_code
    summary = summarise(runs)
    summary.update({"docs_per_level": args.docs, "seed": args.seed,
                    "signature": runs[0].signature, "seconds": round(elapsed, 1),
                    "load_average_at_start": load})
    header = (f"document score vs corruption: {args.docs} UN documents per level, seed "
              f"{args.seed}, {elapsed:.0f} s (load average {load:.2f} at start)")
    print(render(summary, markdown=args.markdown, header=header))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
