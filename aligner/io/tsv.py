"""Tab-separated values: one bead per row, for spreadsheets and ``cut``/``awk``.

Layout::

    # signature: aligner:0.1.0|enc:use-m3|...
    src_idx  tgt_idx  src_text  tgt_text  src_paragraph  tgt_paragraph  kind  confidence  score
    0,1      0        ...

Index lists are comma-joined and empty for a null side; an empty paragraph means a null side.
Backslash, tab, newline and carriage return inside a text are written as ``\\\\``, ``\\t``,
``\\n`` and ``\\r`` so that a text can never split a row or a column.
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.errors import FormatError
from aligner.io.records import (
    BeadRecord,
    data_lines,
    one_line,
    read_utf8,
    records_from_alignment,
    shorten,
)
from aligner.types import Alignment

COLUMNS = ("src_idx", "tgt_idx", "src_text", "tgt_text", "src_paragraph", "tgt_paragraph",
           "kind", "confidence", "score")
SIGNATURE_PREFIX = "# signature: "

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {value[1]: key for key, value in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"[\\\t\n\r]")
_UNESCAPE_RE = re.compile(r"\\(.?)", re.DOTALL)


def escape_field(text: str) -> str:
    """``text`` with backslash, tab, newline and carriage return as backslash sequences."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def unescape_field(text: str, *, where: str | None = None) -> str:
    """Undo ``escape_field``; an unknown sequence such as ``\\x`` is a FormatError."""

    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _UNESCAPES:
            raise FormatError(f"unknown escape sequence {shorten(match.group())} in a text",
                              where=where,
                              hint="only \\\\, \\t, \\n and \\r are escapes; write a "
                                   "backslash as \\\\")
        return _UNESCAPES[char]

    return _UNESCAPE_RE.sub(replace, text)


def _format_float(value: float) -> str:
    return f"{value:.4f}"


def _format_optional(value: int | None) -> str:
    return "" if value is None else str(value)


def render_tsv(alignment: Alignment) -> str:
    """The whole TSV file for ``alignment`` (signature line, header, one row per bead)."""
    lines = [SIGNATURE_PREFIX + one_line(str(alignment.signature)), "\t".join(COLUMNS)]
    for record in records_from_alignment(alignment):
        lines.append("\t".join((
            ",".join(map(str, record.src_idx)),
            ",".join(map(str, record.tgt_idx)),
            escape_field(record.src_text),
            escape_field(record.tgt_text),
            _format_optional(record.src_paragraph),
            _format_optional(record.tgt_paragraph),
            record.kind,
            _format_float(record.confidence),
            _format_float(record.score),
        )))
    return "\n".join(lines) + "\n"


def _parse_indices(field: str, column: str, where: str) -> tuple[int, ...]:
    if not field:
        return ()
    try:
        indices = tuple(int(part) for part in field.split(","))
    except ValueError as err:
        raise FormatError(f"column {column}: expected comma-separated sentence indices "
                          f"like 0,1 (or nothing for a null side), found {shorten(field)}",
                          where=where) from err
    if any(index < 0 for index in indices):
        raise FormatError(f"column {column}: negative sentence index in {shorten(field)}",
                          where=where)
    return indices


def _parse_optional_int(field: str, column: str, where: str) -> int | None:
    if not field:
        return None
    try:
        return int(field)
    except ValueError as err:
        raise FormatError(f"column {column}: expected an integer or nothing, "
                          f"found {shorten(field)}", where=where) from err


def _parse_float(field: str, column: str, where: str) -> float:
    try:
        return float(field)
    except ValueError as err:
        raise FormatError(f"column {column}: expected a number, found {shorten(field)}",
                          where=where) from err


def parse_tsv(text: str, *, source: str = "<tsv>") -> tuple[BeadRecord, ...]:
    """Records from the text of a TSV file written by ``render_tsv``.

    ``source`` names the file in errors (``source:line``). The signature comes from the
    ``# signature:`` line (``None`` when there is none); the ``kind`` column is recomputed
    from the indices. Character offsets are not in TSV and read back as ``None``.
    """
    signature: str | None = None
    header_seen = False
    records = []
    for number, line in data_lines(text):
        where = f"{source}:{number}"
        if line.startswith("#"):
            if line.startswith(SIGNATURE_PREFIX) and signature is None:
                signature = line[len(SIGNATURE_PREFIX):].strip()
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(fields) != COLUMNS:
                raise FormatError(f"expected the header row {' '.join(COLUMNS)!r}, "
                                  f"found {shorten(line)}", where=where,
                                  hint="is this an aligner TSV file?")
            header_seen = True
            continue
        if len(fields) != len(COLUMNS):
            raise FormatError(f"expected {len(COLUMNS)} tab-separated columns, "
                              f"found {len(fields)}", where=where)
        row = dict(zip(COLUMNS, fields, strict=True))
        records.append(BeadRecord(
            src_idx=_parse_indices(row["src_idx"], "src_idx", where),
            tgt_idx=_parse_indices(row["tgt_idx"], "tgt_idx", where),
            src_text=unescape_field(row["src_text"], where=where),
            tgt_text=unescape_field(row["tgt_text"], where=where),
            src_paragraph=_parse_optional_int(row["src_paragraph"], "src_paragraph", where),
            tgt_paragraph=_parse_optional_int(row["tgt_paragraph"], "tgt_paragraph", where),
            confidence=_parse_float(row["confidence"], "confidence", where),
            score=_parse_float(row["score"], "score", where),
            signature=signature,
        ))
    if not header_seen:
        raise FormatError("no header row found", where=source,
                          hint="is this an aligner TSV file?")
    return tuple(records)


def read_tsv(path: str | Path) -> tuple[BeadRecord, ...]:
    """Records from a TSV file; FormatError at ``path:line`` when a row is malformed."""
    return parse_tsv(read_utf8(path), source=str(path))
