"""JSON Lines: one self-contained JSON object per bead.

Every record repeats the run's signature, so a single line pulled out of a file still says
how it was produced, and a saved run can be read back and re-scored later
(``aligner.quality.evaluate_paths`` accepts these files as test alignments). Keys, in order::

    src_idx, tgt_idx        lists of sentence indices ([] for a null side)
    src_text, tgt_text      the side's sentences joined with one space
    src_paragraph, tgt_paragraph      paragraph of the side's first sentence, or null
    src_start, src_end, tgt_start, tgt_end    character span in the decoded document, or null
    kind, score, confidence, signature

A score or confidence that is not a finite number is written as ``null`` (JSON has no NaN)
and read back as NaN.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from aligner.errors import FormatError
from aligner.io.records import (
    BeadRecord,
    data_lines,
    read_utf8,
    records_from_alignment,
    shorten,
)
from aligner.types import Alignment


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def record_to_json(record: BeadRecord) -> dict[str, Any]:
    """The JSON object for one record, keys in the documented order."""
    return {
        "src_idx": list(record.src_idx),
        "tgt_idx": list(record.tgt_idx),
        "src_text": record.src_text,
        "tgt_text": record.tgt_text,
        "src_paragraph": record.src_paragraph,
        "tgt_paragraph": record.tgt_paragraph,
        "src_start": record.src_start,
        "src_end": record.src_end,
        "tgt_start": record.tgt_start,
        "tgt_end": record.tgt_end,
        "kind": record.kind,
        "score": _finite_or_none(record.score),
        "confidence": _finite_or_none(record.confidence),
        "signature": record.signature,
    }


def render_jsonl(alignment: Alignment) -> str:
    """The whole JSONL file for ``alignment``: one line per bead, UTF-8 text unescaped."""
    return "".join(
        json.dumps(record_to_json(record), ensure_ascii=False, allow_nan=False) + "\n"
        for record in records_from_alignment(alignment)
    )


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but true/false is never an index.
    return isinstance(value, int) and not isinstance(value, bool)


def _indices(obj: dict[str, Any], key: str, where: str) -> tuple[int, ...]:
    if key not in obj:
        raise FormatError(f"missing key {key!r}", where=where,
                          hint="each line needs src_idx and tgt_idx lists")
    value = obj[key]
    if not isinstance(value, list) or not all(_is_int(v) and v >= 0 for v in value):
        raise FormatError(f"{key}: expected a list of sentence indices like [0, 1], "
                          f"found {shorten(json.dumps(value, ensure_ascii=False))}",
                          where=where)
    return tuple(value)


def _optional_int(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is not None and not _is_int(value):
        raise FormatError(f"{key}: expected an integer or null, found {shorten(repr(value))}",
                          where=where)
    return value


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise FormatError(f"{key}: expected a string, found {shorten(repr(value))}",
                          where=where)
    return value


def _number(obj: dict[str, Any], key: str, where: str) -> float:
    value = obj.get(key, 0.0)
    if value is None:
        return math.nan
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise FormatError(f"{key}: expected a number or null, found {shorten(repr(value))}",
                          where=where)
    return float(value)


def _signature(obj: dict[str, Any], where: str) -> str | None:
    value = obj.get("signature")
    if value is not None and not isinstance(value, str):
        raise FormatError(f"signature: expected a string, found {shorten(repr(value))}",
                          where=where)
    return value


def record_from_json(obj: object, *, where: str) -> BeadRecord:
    """A record from one parsed JSON value; FormatError naming ``where`` if it is wrong.

    Only ``src_idx`` and ``tgt_idx`` are required, so hand-made files can be scored; every
    other key is optional but, when present, must have the documented type.
    """
    if not isinstance(obj, dict):
        raise FormatError(f"expected a JSON object per line, found {type(obj).__name__}",
                          where=where)
    return BeadRecord(
        src_idx=_indices(obj, "src_idx", where),
        tgt_idx=_indices(obj, "tgt_idx", where),
        src_text=_text(obj, "src_text", where),
        tgt_text=_text(obj, "tgt_text", where),
        src_paragraph=_optional_int(obj, "src_paragraph", where),
        tgt_paragraph=_optional_int(obj, "tgt_paragraph", where),
        score=_number(obj, "score", where),
        confidence=_number(obj, "confidence", where),
        src_start=_optional_int(obj, "src_start", where),
        src_end=_optional_int(obj, "src_end", where),
        tgt_start=_optional_int(obj, "tgt_start", where),
        tgt_end=_optional_int(obj, "tgt_end", where),
        signature=_signature(obj, where),
    )


def parse_alignment_jsonl(text: str, *, source: str = "<jsonl>") -> tuple[BeadRecord, ...]:
    """Records from JSONL text; blank lines are skipped, errors name ``source:line``."""
    records = []
    for number, line in data_lines(text):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise FormatError(f"not valid JSON ({err.msg} at column {err.colno})",
                              where=where, hint="expected one JSON object per line") from err
        records.append(record_from_json(obj, where=where))
    return tuple(records)


def read_alignment_jsonl(path: str | Path) -> tuple[BeadRecord, ...]:
    """Records from a JSONL alignment file, in file order."""
    return parse_alignment_jsonl(read_utf8(path), source=str(path))
