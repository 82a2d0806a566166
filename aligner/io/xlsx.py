"""XLSX review workbook: one row per bead, one row per finding, and a summary (openpyxl).

Three sheets, laid out the way reviewers who work from Xbench or Verifika exports expect:

``Beads``     one row per bead: bead number, sentence indices on each side, bead type, the
              two texts side by side, confidence, adequacy (when scored; blank for a null
              bead, which has no translation to judge), the highest
              severity, the checks that fired, and the findings, one line each
              (``critical numbers.v1: message -> suggestion``). The row is filled with the
              colour of its highest severity.
``Summary``   signature, pair count, findings by severity and by check, the document score
              and its components (when scored).
``Findings``  one row per finding (the QA-report layout of Xbench and Verifika): bead,
              severity, check, MQM category, message, suggestion, the flagged words on each
              side, both texts and the finding's fingerprint (for ``aligner suppress add``).

Every data sheet has a frozen header row, an autofilter, wrapped text and fixed column
widths. Text cells are always stored as text (a sentence that starts with ``=`` is not a
formula), characters a worksheet cannot hold become U+FFFD, and a text longer than a cell's
32,767 characters is cut with an ellipsis.

The bytes are deterministic: the document properties and every entry of the zip archive
carry the same fixed time (1980-01-01, the earliest a zip entry can hold) instead of the
time of writing, so the same review gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from aligner import __version__
from aligner.checks import Divergence, Pair, Severity
from aligner.review import Review

#: Fill and font colours per severity: Excel's own "Bad", "Neutral" and a light blue.
SEVERITY_FILL = {Severity.CRITICAL: "FFC7CE", Severity.MAJOR: "FFEB9C",
                 Severity.MINOR: "DDEBF7"}
SEVERITY_FONT = {Severity.CRITICAL: "9C0006", Severity.MAJOR: "9C5700",
                 Severity.MINOR: "1F4E78"}
_HEADER_FILL = "D9D9D9"
_NULL_FILL = "F2F2F2"  # the empty side of a null bead
_MAX_CELL = 32_767  # characters an Excel cell holds
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

_LANGUAGES = {"ru": "Russian", "en": "English", "de": "German", "fr": "French",
              "zh": "Chinese", "es": "Spanish", "ar": "Arabic"}


def _language(code: str) -> str:
    return _LANGUAGES.get(code.lower(), code)


def _text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value if len(value) <= _MAX_CELL else value[:_MAX_CELL - 1] + "…"


def _indices(indices: Sequence[int]) -> str:
    return ",".join(map(str, indices))


def _finding_line(d: Divergence) -> str:
    line = f"{d.severity.value} {d.check}: {d.message}"
    return f"{line} -> {d.suggestion}" if d.suggestion else line


class _Sheet:
    """A worksheet written row by row with typed cells and one set of styles."""

    def __init__(self, ws: Worksheet, columns: Sequence[tuple[str, float]]):
        self.ws = ws
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        for k, (title, width) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=k, value=title)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.alignment = self.top
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"

    def append(self, values: Sequence[Any], *, wrap: Sequence[bool]) -> int:
        row = self.ws.max_row + 1
        for k, (value, wrapped) in enumerate(zip(values, wrap, strict=True), start=1):
            if value is None:
                continue
            cell = self.ws.cell(row=row, column=k)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = value
            cell.alignment = self.wrap if wrapped else self.top
        return row

    def fill(self, row: int, columns: range, colour: str, font: str | None = None) -> None:
        for k in columns:
            cell = self.ws.cell(row=row, column=k)
            cell.fill = PatternFill("solid", fgColor=colour)
            if font is not None:
                cell.font = Font(color=font)

    def finish(self) -> None:
        self.ws.auto_filter.ref = self.ws.dimensions


def _bead_indices(review: Review, pair: Pair) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if review.alignment is not None:
        bead = review.alignment.beads[pair.index]
        return bead.src, bead.tgt
    # Line-paired input (--aligned): line k on each side, nothing on an empty line.
    return ((pair.index,) if pair.src else ()), ((pair.index,) if pair.tgt else ())


def _beads_sheet(ws: Worksheet, review: Review) -> None:
    pairs = review.report.pairs
    src_lang = pairs[0].src_lang if pairs else "ru"
    tgt_lang = pairs[0].tgt_lang if pairs else "en"
    adequacy = review.adequacy
    scored = adequacy is not None
    columns: list[tuple[str, float]] = [
        ("Bead", 7), (f"{src_lang} sentences", 11), (f"{tgt_lang} sentences", 11),
        ("Type", 7), (_language(src_lang), 60), (_language(tgt_lang), 60),
        ("Confidence", 12),
    ]
    if scored:
        columns.append(("Adequacy", 11))
    columns += [("Severity", 10), ("Checks", 20), ("Findings", 70)]
    sheet = _Sheet(ws, columns)
    wrap = [False, False, False, False, True, True, False]
    wrap += [False] * scored + [False, True, True]
    src_col, tgt_col = 5, 6
    for pair in pairs:
        src_idx, tgt_idx = _bead_indices(review, pair)
        found = review.report.for_pair(pair.index)
        worst = max((d.severity for d in found), key=lambda s: s.rank, default=None)
        values: list[Any] = [pair.index, _indices(src_idx), _indices(tgt_idx),
                             f"{len(src_idx)}-{len(tgt_idx)}", pair.src, pair.tgt,
                             round(pair.confidence, 4)]
        if adequacy is not None:  # a null bead has no translation to judge: left blank
            values.append(None if pair.is_null else round(adequacy[pair.index].score, 1))
        values += [worst.value if worst else None,
                   ", ".join(sorted({d.check for d in found})) or None,
                   "\n".join(_finding_line(d) for d in found) or None]
        row = sheet.append(values, wrap=wrap)
        ws.cell(row=row, column=7).number_format = "0.00"
        if scored:
            ws.cell(row=row, column=8).number_format = "0"
        if worst is not None:
            sheet.fill(row, range(1, len(columns) + 1), SEVERITY_FILL[worst])
            ws.cell(row=row, column=len(columns) - 2).font = Font(
                bold=True, color=SEVERITY_FONT[worst])
        for col, text in ((src_col, pair.src), (tgt_col, pair.tgt)):
            if not text:
                sheet.fill(row, range(col, col + 1), _NULL_FILL)
    sheet.finish()


def _findings_sheet(ws: Worksheet, review: Review) -> None:
    from aligner.suppress import finding_fingerprint

    pairs = {p.index: p for p in review.report.pairs}
    first = next(iter(pairs.values()), None)
    src_name = _language(first.src_lang if first else "ru")
    tgt_name = _language(first.tgt_lang if first else "en")
    sheet = _Sheet(ws, [
        ("Bead", 7), ("Severity", 10), ("Check", 16), ("Category", 22), ("Message", 60),
        ("Suggestion", 30), (f"{src_name} flagged", 24), (f"{tgt_name} flagged", 24),
        (src_name, 50), (tgt_name, 50), ("Fingerprint", 18),
    ])
    wrap = [False, False, False, False, True, True, True, True, True, True, False]
    for finding in review.report.findings:
        d, pair = finding.divergence, pairs[finding.pair_index]
        row = sheet.append([
            pair.index, d.severity.value, d.check, d.category.value, d.message,
            d.suggestion, "\n".join(pair.src[s:e] for s, e in d.src_spans) or None,
            "\n".join(pair.tgt[s:e] for s, e in d.tgt_spans) or None,
            pair.src, pair.tgt, finding_fingerprint(d, pair),
        ], wrap=wrap)
        sheet.fill(row, range(2, 3), SEVERITY_FILL[d.severity], SEVERITY_FONT[d.severity])
    sheet.finish()


def _summary_sheet(ws: Worksheet, review: Review) -> None:
    sheet = _Sheet(ws, [("Item", 30), ("Value", 100)])
    report = review.report
    wrap = [False, True]
    rows: list[tuple[str, Any]] = [
        ("Made by", f"aligner {__version__}"),
        ("Signature", review.signature),
        ("Pairs (beads)", len(report.pairs)),
        ("Null beads (1-0 or 0-1)", sum(1 for p in report.pairs if p.is_null)),
        ("Checks run", ", ".join(report.checks)),
        ("Findings", len(report.findings)),
    ]
    rows += [(f"Findings: {s.value}", n) for s, n in
             ((Severity(k), v) for k, v in report.counts().items())]
    by_check = Counter(f.divergence.check for f in report.findings)
    rows += [(f"Findings by check: {check}", n) for check, n in sorted(by_check.items())]
    if report.pairs:
        mean = sum(p.confidence for p in report.pairs) / len(report.pairs)
        rows.append(("Mean confidence", round(mean, 4)))
    if review.adequacy:
        judged = [a.score for a, p in zip(review.adequacy, report.pairs, strict=True)
                  if not p.is_null]
        if judged:
            rows.append(("Mean adequacy (beads with both sides)",
                         round(sum(judged) / len(judged), 1)))
    if review.document is not None:
        rows.append(("Document score", round(review.document.score, 1)))
        rows += [(f"Document score: {name}", round(value, 4))
                 for name, value in review.document.components]
    for item, value in rows:
        row = sheet.append([item, value], wrap=wrap)
        if item.startswith("Findings: ") and value:
            severity = Severity(item.removeprefix("Findings: "))
            sheet.fill(row, range(1, 3), SEVERITY_FILL[severity], SEVERITY_FONT[severity])
    sheet.finish()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry the same timestamp (openpyxl adds entries by
    name, or from temporary files, which would stamp them with the current time)."""

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        with open(filename, "rb") as handle:
            data = handle.read()
        self.writestr(str(arcname if arcname is not None else filename), data, compress_type,
                      compresslevel)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def render_xlsx(review: Review) -> bytes:
    """The review workbook (sheets Beads, Summary, Findings) as XLSX bytes."""
    wb = Workbook()
    beads = wb.worksheets[0]  # a new workbook has one sheet
    beads.title = "Beads"
    _beads_sheet(beads, review)
    _summary_sheet(wb.create_sheet("Summary"), review)
    _findings_sheet(wb.create_sheet("Findings"), review)
    wb.properties.creator = f"aligner {__version__}"
    wb.properties.title = "aligner review"
    # A fixed time, not "now": the same review gives the same bytes (openpyxl cannot
    # leave the dates out of docProps/core.xml).
    wb.properties.created = wb.properties.modified = datetime(*_ZIP_TIME)
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the current time as "modified".
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()
