"""Reports for people and machines: the terminal view of findings, and JSON records.

The terminal view stays readable in 80 columns: a summary line first, then findings grouped
by severity, each with the two spans underlined in their sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from aligner.check import CheckReport, Finding
from aligner.checks import Divergence, Pair, Severity
from aligner.types import Alignment

_STYLE = {Severity.CRITICAL: "bold red", Severity.MAJOR: "yellow", Severity.MINOR: "cyan"}
_CONTEXT = 70  # characters of sentence shown around a span


def divergence_record(d: Divergence) -> dict[str, Any]:
    return {
        "check": d.check,
        "severity": d.severity.value,
        "category": d.category.value,
        "message": d.message,
        "src_spans": [list(s) for s in d.src_spans],
        "tgt_spans": [list(s) for s in d.tgt_spans],
        "suggestion": d.suggestion,
    }


def check_records(report: CheckReport, alignment: Alignment | None,
                  signature: str | None) -> list[dict[str, Any]]:
    """One JSON-ready record per pair: indices, texts, confidence, divergences."""
    records = []
    for pair in report.pairs:
        if alignment is not None:
            bead = alignment.beads[pair.index]
            src_idx, tgt_idx = list(bead.src), list(bead.tgt)
        else:
            src_idx = tgt_idx = [pair.index]
        records.append({
            "index": pair.index,
            "src_idx": src_idx,
            "tgt_idx": tgt_idx,
            "src_text": pair.src,
            "tgt_text": pair.tgt,
            "confidence": pair.confidence,
            "divergences": [divergence_record(d) for d in report.for_pair(pair.index)],
            "signature": signature,
        })
    return records


def render_json(report: CheckReport, alignment: Alignment | None, signature: str | None,
                *, lines: bool) -> str:
    records = check_records(report, alignment, signature)
    if lines:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary = {"signature": signature, "checks": list(report.checks),
               "findings": report.counts(), "pairs": records}
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def summary_line(report: CheckReport) -> str:
    counts = report.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)
    return f"{len(report.pairs)} pairs checked, {total} findings ({parts})"


def print_terminal(report: CheckReport, console: Console, *, quiet: bool = False) -> None:
    """Summary first, then findings grouped by severity with both spans underlined."""
    console.print(summary_line(report), highlight=False)
    if quiet or not report.findings:
        return
    by_check = Counter(f.divergence.check for f in report.findings)
    console.print("by check: " + ", ".join(f"{k} {v}" for k, v in sorted(by_check.items())),
                  highlight=False)
    pairs = {p.index: p for p in report.pairs}
    for severity in Severity:
        group = [f for f in report.findings if f.divergence.severity is severity]
        if not group:
            continue
        console.print()
        console.print(Text(f"{severity.value.upper()} ({len(group)})", style=_STYLE[severity]))
        for finding in group:
            _print_finding(console, finding, pairs[finding.pair_index])


def _print_finding(console: Console, finding: Finding, pair: Pair) -> None:
    d = finding.divergence
    head = Text(f"  #{pair.index} ", style="dim")
    head.append(d.check, style=_STYLE[d.severity])
    head.append(f"  {d.message}")
    console.print(head)
    console.print(_excerpt("ru", pair.src, d.src_spans))
    console.print(_excerpt("en", pair.tgt, d.tgt_spans))
    if d.suggestion:
        console.print(Text(f"     suggestion: {d.suggestion}", style="green"))


def _excerpt(label: str, text: str, spans: Sequence[tuple[int, int]]) -> Text:
    """A window of the sentence around its first span, with every span underlined."""
    if not text:
        return Text(f"     {label}: (nothing)", style="dim")
    start = max(min((s for s, _ in spans), default=0) - _CONTEXT // 2, 0)
    end = min(start + _CONTEXT, len(text))
    start = max(min(start, end - _CONTEXT), 0)
    out = Text(f"     {label}: " + ("…" if start else ""))
    offset = len(out)
    out.append(text[start:end])
    if end < len(text):
        out.append("…")
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s < e:
            out.stylize("bold underline", offset + s - start, offset + e - start)
    return out
