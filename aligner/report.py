"""Reports for people and machines: the terminal view of findings, and JSON records.

The terminal view stays readable in 80 columns: a summary line first, then findings grouped
by severity, each with the two spans underlined in their sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from aligner.check import CheckReport, Finding
from aligner.checks import Divergence, Pair, Severity
from aligner.types import Alignment

if TYPE_CHECKING:
    from aligner.review import Adequacy, DocumentScore
    from aligner.suppress import SuppressionResult

_STYLE = {Severity.CRITICAL: "bold red", Severity.MAJOR: "yellow", Severity.MINOR: "cyan"}
# Control characters (tab, line breaks, form feed ...) as a space in excerpts.
_ONE_CELL = {code: " " for code in (*range(0x20), 0x7F)}


def divergence_record(d: Divergence, pair: Pair | None = None) -> dict[str, Any]:
    """A JSON-ready divergence; with its ``pair``, also its ``fingerprint`` (the key
    ``aligner suppress add`` takes, see ``aligner.suppress``)."""
    record: dict[str, Any] = {
        "check": d.check,
        "severity": d.severity.value,
        "category": d.category.value,
        "message": d.message,
        "src_spans": [list(s) for s in d.src_spans],
        "tgt_spans": [list(s) for s in d.tgt_spans],
        "suggestion": d.suggestion,
    }
    if pair is not None:
        from aligner.suppress import finding_fingerprint

        record["fingerprint"] = finding_fingerprint(d, pair)
    return record


def check_records(report: CheckReport, alignment: Alignment | None,
                  signature: str | None, *, adequacy: Sequence[Adequacy] | None = None,
                  document: DocumentScore | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per pair: indices, texts, confidence, divergences; with
    ``adequacy`` (one per pair) also ``adequacy`` and ``adequacy_contributions``, with
    ``document`` the document score in every record (as the signature is)."""
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
            "divergences": [divergence_record(d, pair) for d in report.for_pair(pair.index)],
            "signature": signature,
        })
        if adequacy is not None:
            records[-1]["adequacy"] = adequacy[len(records) - 1].score
            records[-1]["adequacy_contributions"] = dict(
                adequacy[len(records) - 1].contributions)
        if document is not None:
            records[-1]["document_score"] = document.score
    return records


def render_json(report: CheckReport, alignment: Alignment | None, signature: str | None,
                *, lines: bool, suppression: SuppressionResult | None = None,
                adequacy: Sequence[Adequacy] | None = None,
                document: DocumentScore | None = None) -> str:
    """JSON (one document with a summary) or JSON lines (one record per bead).

    ``report`` is what is shown (dismissed findings already taken out); ``suppression``
    says how many were hidden, by which file, and which of its entries matched nothing.
    JSON lines have no summary: the caller reports stale entries on stderr.
    ``adequacy`` and ``document`` (``aligner.scoring``) add the scores.
    """
    records = check_records(report, alignment, signature, adequacy=adequacy,
                            document=document)
    if lines:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary: dict[str, Any] = {
        "signature": signature, "checks": list(report.checks),
        "findings": report.counts(),
        "suppressed": len(suppression.hidden) if suppression else 0,
        "suppression_file": suppression.path if suppression else None,
        "stale_suppressions": [e.as_dict() for e in suppression.stale]
        if suppression else [],
        "pairs": records}
    if document is not None:
        summary["document"] = {"score": document.score,
                               "components": dict(document.components)}
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def summary_line(report: CheckReport, *, suppressed: int = 0) -> str:
    counts = report.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)
    line = f"{len(report.pairs)} pairs checked, {total} findings ({parts})"
    if suppressed:
        line += f", {suppressed} suppressed"
    return line


def plain_console(console: Console) -> bool:
    """Whether to write no ANSI escapes at all: the output is not a terminal (rich then
    picks no colour system) or ``NO_COLOR`` is set (rich drops colours but would keep bold
    and underline, so spans are marked with a caret line instead)."""
    return console.color_system is None or console.no_color


def print_terminal(report: CheckReport, console: Console, *, quiet: bool = False,
                   suppression: SuppressionResult | None = None) -> None:
    """Summary first, then findings grouped by severity with both spans underlined.

    Every line but the summary fits ``console.width`` (80 columns when the output is not a
    terminal): messages wrap under their finding, excerpts are cut to one line around the
    spans. The summary line is never broken (scripts read it); it is 80 columns or less
    until the counts run into thousands.
    ``report`` is what is shown; ``suppression`` adds the count of dismissed findings to
    the summary and lists the file's stale entries.
    """
    plain = plain_console(console)
    hidden = len(suppression.hidden) if suppression else 0
    # The summary stays one line whatever the width: scripts read it (--quiet).
    console.print(Text(summary_line(report, suppressed=hidden)), highlight=False,
                  soft_wrap=True)
    if quiet:
        return
    if report.findings:
        by_check = Counter(f.divergence.check for f in report.findings)
        _print_items(console, "by check: ", [f"{k} {v}" for k, v in sorted(by_check.items())])
    if suppression and hidden:
        _print_wrapped(console, f"{hidden} finding{'s' if hidden != 1 else ''} suppressed "
                       f"by {suppression.path} (--no-suppress shows them)", indent=0)
    if suppression and suppression.stale:
        _print_stale(console, suppression, plain)
    pairs = {p.index: p for p in report.pairs}
    for severity in Severity:
        group = [f for f in report.findings if f.divergence.severity is severity]
        if not group:
            continue
        console.print()
        console.print(Text(f"{severity.value.upper()} ({len(group)})",
                           style="" if plain else _STYLE[severity]))
        for finding in group:
            _print_finding(console, finding, pairs[finding.pair_index], plain)


def stale_lines(suppression: SuppressionResult) -> list[str]:
    """One line per stale entry: short fingerprint, check, flagged words."""
    from aligner.suppress import SHORT_CHARS, describe

    return [f"{e.fingerprint[:SHORT_CHARS]} {describe(e)}" for e in suppression.stale]


def _print_stale(console: Console, suppression: SuppressionResult, plain: bool) -> None:
    n = len(suppression.stale)
    where = suppression.path or "the suppression file"
    _print_wrapped(console, f"{n} stale suppression{'s' if n != 1 else ''} in {where} "
                   f"matched no finding (the flagged text changed, or the finding is gone):",
                   indent=0, style="" if plain else "yellow")
    for line in stale_lines(suppression):
        console.print(Text("  " + line, no_wrap=True, overflow="ellipsis"))
    _print_wrapped(console, f"remove with: aligner suppress remove {where} FINGERPRINT",
                   indent=2, style="" if plain else "dim")


def _print_items(console: Console, label: str, items: Sequence[str]) -> None:
    """``label`` and comma-separated ``items``, wrapped between items, never inside one."""
    line = label
    for k, item in enumerate(items):
        piece = item + ("," if k < len(items) - 1 else "")
        if line.strip() and cell_len(line) + 1 + cell_len(piece) > console.width:
            console.print(Text(line.rstrip()), highlight=False)
            line = "  "
        line += ("" if line in (label, "  ") else " ") + piece
    console.print(Text(line.rstrip(), no_wrap=True, overflow="ellipsis"), highlight=False)


def _print_wrapped(console: Console, text: str, *, indent: int, style: str = "") -> None:
    """``text`` wrapped to the console width, every line indented by ``indent``."""
    for line in Text(text, style=style).wrap(console, max(console.width - indent, 20)):
        line.rstrip()
        console.print(Text(" " * indent) + line, highlight=False)


def _print_finding(console: Console, finding: Finding, pair: Pair, plain: bool) -> None:
    from aligner.suppress import SHORT_CHARS, finding_fingerprint

    d = finding.divergence
    head = Text(f"  #{pair.index} ", style="" if plain else "dim")
    head.append(d.check, style="" if plain else _STYLE[d.severity])
    head.append(f"  [{finding_fingerprint(d, pair)[:SHORT_CHARS]}]",
                style="" if plain else "dim")
    console.print(head)
    _print_wrapped(console, d.message, indent=5)
    for label, text, spans in ((pair.src_lang, pair.src, d.src_spans),
                               (pair.tgt_lang, pair.tgt, d.tgt_spans)):
        for line in excerpt_lines(label, text, spans, console.width, plain):
            console.print(line)
    if d.suggestion:
        _print_wrapped(console, f"suggestion: {d.suggestion}", indent=5,
                       style="" if plain else "green")


def excerpt_lines(label: str, text: str, spans: Sequence[tuple[int, int]], width: int,
                  plain: bool, *, indent: int = 5) -> list[Text]:
    """One line of the sentence around its first span, every span underlined: styled in a
    terminal, with a ``^^^`` line below it in plain output (``aligner compare`` too)."""
    prefix = " " * indent + f"{label}: "
    if not text:
        return [Text(prefix + "(nothing)", style="" if plain else "dim")]
    room = max(width - cell_len(prefix), 12)
    start, end = 0, len(text)
    if cell_len(text) > room:
        room -= 2  # two cells for the ellipses
        first, last = min(spans, default=(0, 0))
        start = max(first - max(room - (last - first), 0) // 2, 0)
        end = min(start + room, len(text))
        start = max(min(start, end - room), 0)
        start, end = _word_bounds(text, start, end, first)
    line = Text(prefix + ("…" if start else ""), no_wrap=True, overflow="ellipsis")
    offset = len(line)
    # Tabs, line breaks and other control characters shown as one space each, so that
    # every character takes the cells the caret line counts for it.
    line.append(text[start:end].translate(_ONE_CELL))
    if end < len(text):
        line.append("…")
    shown = [(max(s, start), min(e, end)) for s, e in spans]
    shown = [(s, e) for s, e in shown if s < e]
    if not plain:
        for s, e in shown:
            line.stylize("bold underline", offset + s - start, offset + e - start)
        return [line]
    covered = len({k for s, e in shown for k in range(s, e)})
    if not shown or covered >= len(text[start:end].strip()):
        return [line]  # nothing to point at, or the span is the whole excerpt
    marks = [" "] * (end - start)
    for s, e in shown:
        for k in range(s - start, e - start):
            marks[k] = "^"
    lead = cell_len(line.plain[:offset])
    carets = "".join(m * cell_len(ch) for m, ch in
                     zip(marks, text[start:end].translate(_ONE_CELL), strict=True))
    return [line, Text((" " * lead + carets).rstrip(), no_wrap=True, overflow="crop")]


def _word_bounds(text: str, start: int, end: int, keep: int) -> tuple[int, int]:
    """Move a cut window's edges inward to the nearest spaces (at most 12 characters), so
    that the excerpt starts and ends with whole words; never past ``keep``."""
    if start > 0:
        space = text.find(" ", start, min(start + 12, keep))
        if space != -1:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", max(end - 12, keep + 1), end)
        if space != -1:
            end = space
    return start, end

