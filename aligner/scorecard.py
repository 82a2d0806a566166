"""Reports of scores for people and machines: ``aligner score`` and ``aligner compare``.

The terminal views stay readable in 80 columns (every line is cut or wrapped to the
console width); the JSON views carry every figure with the signature it was made under.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from rich.console import Console
from rich.text import Text

from aligner.checks import Divergence, Severity
from aligner.report import check_records, divergence_record, excerpt_lines, plain_console
from aligner.review import ComparedRow, Comparison, Review
from aligner.scoring import WEIGHTS, confidence_histogram

_STYLE = {Severity.CRITICAL: "bold red", Severity.MAJOR: "yellow", Severity.MINOR: "cyan"}
_QUANTILES = (("q10", 0.1), ("q25", 0.25), ("median", 0.5), ("q75", 0.75), ("q90", 0.9))
_BAR = 40  # cells of the longest histogram bar


# --- aligner score -------------------------------------------------------------------------


def quality_figures(review: Review) -> dict[str, Any]:
    """The per-document quality report as plain values (also what ``--format json`` has)."""
    if review.document is None:
        raise ValueError("the review has no document score")
    figures = dict(review.document.components)
    kinds = Counter(f"{len(b.src)}-{len(b.tgt)}" for b in review.alignment.beads) \
        if review.alignment is not None else Counter(
            f"{int(bool(p.src))}-{int(bool(p.tgt))}" for p in review.report.pairs)
    out: dict[str, Any] = {
        "sentences": {"src": int(figures["src_sentences"]), "tgt": int(figures["tgt_sentences"])},
        "beads": int(figures["beads"]),
        "bead_kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "sentence_shares": {"1-1": figures["share_1_1"], "n-m": figures["share_n_m"],
                            "null": figures["share_null"]},
    }
    if review.alignment is not None:
        values = np.array([b.confidence for b in review.alignment.beads])
        out["confidence"] = {
            "mean": round(float(values.mean()), 4),
            **{name: round(float(np.quantile(values, q)), 4) for name, q in _QUANTILES},
            "histogram": [{"from": k / 10, "to": (k + 1) / 10, "beads": n}
                          for k, n in enumerate(confidence_histogram(review))],
        }
    live = [a.score for a, p in zip(review.adequacy or (), review.report.pairs, strict=False)
            if not p.is_null]
    out["adequacy"] = {"mean": figures["adequacy_mean"], "pairs": len(live)}
    if live:
        out["adequacy"].update({name: round(float(np.quantile(live, q)), 1)
                                for name, q in _QUANTILES})
    out["findings"] = review.report.counts()
    out["findings_per_100_beads"] = {s.value: figures[f"{s.value}_per_100"] for s in Severity}
    out["factors"] = {name: figures[f"{name}_factor"] for name, _ in WEIGHTS
                      if f"{name}_factor" in figures}
    out["weights"] = dict(WEIGHTS)
    return out


def score_json(review: Review) -> dict[str, Any]:
    """``aligner score --format json``: the document score, the quality report, and one
    record per pair with its adequacy and each feature group's contribution."""
    if review.document is None:
        raise ValueError("the review has no document score")
    return {
        "signature": review.signature,
        "document_score": review.document.score,
        "quality": quality_figures(review),
        "components": dict(review.document.components),
        "pairs": check_records(review.report, review.alignment, review.signature,
                               adequacy=review.adequacy),
    }


def print_score(review: Review, console: Console, *, explain: bool = False) -> None:
    """The document score, the figures it is made of, the confidence histogram and, with
    ``explain``, every pair's adequacy and the feature groups that moved it most."""
    if review.document is None:
        raise ValueError("the review has no document score")
    figures = quality_figures(review)
    factors = ", ".join(f"{name} {value:.2f}" for name, value in figures["factors"].items())
    bold = _style(console, "bold")
    head = Text("document score ", style=bold)
    head.append(f"{review.document.score:.1f}", style=bold)
    head.append(f" / 100  ({factors})")
    _wrapped(console, head)
    shares = figures["sentence_shares"]
    confidence = figures.get("confidence")
    adequacy = figures["adequacy"]
    findings = figures["findings"]
    per_100 = figures["findings_per_100_beads"]
    lines = [
        f"{figures['sentences']['src']} source and {figures['sentences']['tgt']} target "
        f"sentences in {figures['beads']} beads ("
        + ", ".join(f"{n} {k}" for k, n in figures["bead_kinds"].items()) + ")",
        f"bead types    1-1 {shares['1-1']:.1%}, n-m {shares['n-m']:.1%}, "
        f"null {shares['null']:.1%} of the sentences",
    ]
    if confidence is not None:
        lines.append(f"confidence    mean {confidence['mean']:.3f}, q10 {confidence['q10']:.3f},"
                     f" median {confidence['median']:.3f}")
    if adequacy["pairs"]:
        lines.append(f"adequacy      mean {adequacy['mean']:.1f} over {adequacy['pairs']} "
                     f"non-null pairs, q10 {adequacy['q10']:.1f}, median "
                     f"{adequacy['median']:.1f}")
    else:
        lines.append("adequacy      no non-null pair to judge")
    lines.append("findings      " + ", ".join(
        f"{findings[s.value]} {s.value}" for s in Severity) + " (" + ", ".join(
        f"{per_100[s.value]:.1f}" for s in Severity) + " per 100 beads)")
    for line in lines:
        _wrapped(console, Text(line), indent=2)
    if confidence is not None:
        console.print()
        console.print("confidence of the beads", highlight=False)
        bins = [b["beads"] for b in confidence["histogram"]]
        top = max(bins) or 1
        for entry in confidence["histogram"]:
            bar = "█" * round(_BAR * entry["beads"] / top) if entry["beads"] else ""
            _one_line(console, Text(f"  {entry['from']:.1f}-{entry['to']:.1f} "
                                    f"{entry['beads']:>5} {bar}".rstrip()))
    if explain:
        _print_explanations(review, console)
    console.print()
    print_signature(console, review.signature)


def _print_explanations(review: Review, console: Console) -> None:
    console.print()
    _wrapped(console, Text("adequacy per pair, and the feature groups that moved it most "
                           "from the model's baseline (points)"))
    pairs = review.report.pairs
    for pair, adequacy in zip(pairs, review.adequacy or (), strict=False):
        kind = f"{len(review.alignment.beads[pair.index].src)}-" \
               f"{len(review.alignment.beads[pair.index].tgt)}" \
            if review.alignment is not None else ""
        head = f"  #{pair.index:<3} {kind:<4} {adequacy.score:5.1f}"
        if pair.is_null:
            head += "  null bead: nothing to judge"
        moved = sorted(adequacy.contributions, key=lambda kv: -abs(kv[1]))[:3]
        head += "".join(f"  {name} {value:+.1f}" for name, value in moved if value)
        _wrapped(console, Text(head), indent=0, hanging=16)
        text = pair.tgt or pair.src
        _one_line(console, Text(f"        {'en' if pair.tgt else 'ru'}: {text}",
                                style=_style(console, "dim")))


def print_signature(console: Console, signature: str) -> None:
    """``signature: ...`` broken after ``|`` and ``,`` so that it fits the console width."""
    width = max(console.width, 40)
    line = "signature: "
    for piece in re.split(r"(?<=[|,])", signature):
        if len(line) + len(piece) > width and line.strip():
            console.print(Text(line, style=_style(console, "dim")), highlight=False)
            line = "  "
        line += piece
    console.print(Text(line, style=_style(console, "dim")), highlight=False, overflow="fold")


def _style(console: Console, style: str) -> str:
    """``style``, or none where the output is plain (``aligner.report.plain_console``)."""
    return "" if plain_console(console) else style


def _one_line(console: Console, text: Text) -> None:
    """``text`` on one line, cut with an ellipsis at the console width."""
    console.print(text, highlight=False, no_wrap=True, overflow="ellipsis", crop=True)


def _wrapped(console: Console, text: Text, *, indent: int = 0, hanging: int = 4) -> None:
    """``text`` wrapped to the console width: first line at ``indent``, the others
    ``hanging`` cells further in."""
    width = max(console.width - indent, 20)
    lines = text.wrap(console, width)
    for k, line in enumerate(lines):
        if k == 1:
            rest = Text(" ").join(lines[1:])
            for extra in rest.wrap(console, max(width - hanging, 20)):
                extra.rstrip()
                console.print(Text(" " * (indent + hanging)) + extra, highlight=False)
            return
        line.rstrip()
        console.print(Text(" " * indent) + line, highlight=False)


# --- aligner compare ------------------------------------------------------------------------


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """``aligner compare --format json``: metrics with sacrebleu's signatures, both
    documents' scores, and every row."""
    def side(review: Review) -> dict[str, Any]:
        return {
            "signature": review.signature,
            "document_score": review.document.score if review.document else None,
            "quality": quality_figures(review) if review.document else None,
        }

    return {
        "signature": comparison.signature,
        "a_label": comparison.a_label,
        "b_label": comparison.b_label,
        "metrics": [{"name": m.name, "score": m.score, "signature": m.signature}
                    for m in comparison.metrics],
        "a": side(comparison.a),
        "b": side(comparison.b),
        "summary": comparison_counts(comparison),
        "rows": [_row_json(row) for row in comparison.rows],
    }


def _row_json(row: ComparedRow) -> dict[str, Any]:
    return {
        "src_idx": list(row.src_idx),
        "src_text": row.src_text,
        "a_text": row.a_text,
        "b_text": row.b_text,
        "a_adequacy": row.a_adequacy,
        "b_adequacy": row.b_adequacy,
        "chrf": row.chrf,
        "differences": [divergence_record(d) for d in row.differences],
        "a_only": [divergence_record(d) for d in row.a_only],
        "b_only": [divergence_record(d) for d in row.b_only],
    }


def comparison_counts(comparison: Comparison) -> dict[str, dict[str, int]]:
    """Differences and one-sided findings over all rows, by severity."""
    out: dict[str, dict[str, int]] = {}
    for name in ("differences", "a_only", "b_only"):
        counts = {s.value: 0 for s in Severity}
        for row in comparison.rows:
            for d in getattr(row, name):
                counts[d.severity.value] += 1
        out[name] = counts
    return out


def print_comparison(comparison: Comparison, console: Console, *,
                     all_rows: bool = False) -> None:
    """Metrics and both documents' scores, then each row where A and B differ in meaning or
    one has a finding the other has not (every row with ``all_rows``)."""
    la, lb = comparison.a_label, comparison.b_label
    _wrapped(console, Text(f"A = {la}, B = {lb}: {len(comparison.rows)} rows over "
                           f"{sum(len(r.src_idx) for r in comparison.rows)} source sentences"))
    _wrapped(console, Text("  ".join(f"{m.name} {m.score:.2f}" for m in comparison.metrics)
                           + "  (A against B)"), indent=2)
    for label, review in (("A", comparison.a), ("B", comparison.b)):
        if review.document is None:
            continue
        figures = dict(review.document.components)
        found = review.report.counts()
        _wrapped(console, Text(
            f"{label}: document score {review.document.score:.1f}, mean adequacy "
            f"{figures['adequacy_mean']:.1f}, findings " + ", ".join(
                f"{found[s.value]} {s.value}" for s in Severity)), indent=2)
    counts = comparison_counts(comparison)
    _wrapped(console, Text("differences in meaning: " + ", ".join(
        f"{counts['differences'][s.value]} {s.value}" for s in Severity)
        + f"; findings only in A: {sum(counts['a_only'].values())}, only in B: "
        f"{sum(counts['b_only'].values())}"), indent=2)
    for row in comparison.rows:
        if all_rows or row.differences or row.a_only or row.b_only:
            _print_row(console, row)
    console.print()
    print_signature(console, comparison.signature)
    for m in comparison.metrics:
        _wrapped(console, Text(f"{m.name}: {m.signature}", style=_style(console, "dim")))


def _print_row(console: Console, row: ComparedRow) -> None:
    console.print()
    where = _span_label(row.src_idx)
    head = f"{where}  chrF {row.chrf:.1f}" if row.chrf is not None else where
    head += f"  adequacy A {_num(row.a_adequacy)}, B {_num(row.b_adequacy)}"
    console.print(Text(head, style=_style(console, "bold")), highlight=False)
    a_spans = [s for d in row.differences for s in d.src_spans]
    b_spans = [s for d in row.differences for s in d.tgt_spans]
    width = console.width
    plain = plain_console(console)
    for label, text, spans in (("ru", row.src_text, []), ("A ", row.a_text, a_spans),
                               ("B ", row.b_text, b_spans)):
        for line in excerpt_lines(label, text, spans, width, plain, indent=2):
            _one_line(console, line)
    for label, items in (("A≠B", row.differences), ("A only", row.a_only),
                         ("B only", row.b_only)):
        for d in items:
            item = Text(f"  {label} ")
            item.append(d.severity.value, style="" if plain else _STYLE[d.severity])
            item.append(f" {d.check}: {d.message}")
            _wrapped(console, item, indent=0, hanging=6)


def _span_label(src_idx: Sequence[int]) -> str:
    if not src_idx:
        return "(no source)"
    if len(src_idx) == 1:
        return f"#{src_idx[0]}"
    return f"#{src_idx[0]}-{src_idx[-1]}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def divergences_at_least(items: Sequence[Divergence], severity: Severity) -> bool:
    return any(d.severity.rank >= severity.rank for d in items)
