"""Output formats: one module per format, each with a renderer and a reader.

=========  ====================================================  =========================
format     what                                                   signature kept in
=========  ====================================================  =========================
tsv        one row per bead, for spreadsheets (``tsv.py``)         ``# signature:`` line
jsonl      one self-contained JSON object per bead (``jsonl.py``)  every record
beads      ``[0, 1]:[2]:0.8123``, the gold format (``beads.py``)   ``# signature:`` line
tmx        TMX 1.4b translation memory (``tmx.py``)                header ``<prop>``
moses      ``PATH.ru`` + ``PATH.en`` line-parallel (``moses.py``)  ``PATH.signature`` file
html       self-contained review report (``html.py``)             summary header
xlsx       spreadsheet, one row per bead + summary (``xlsx.py``)  summary sheet
xliff      XLIFF 2.0 bilingual file, findings as notes            ``<notes>`` of the file
=========  ====================================================  =========================

The last three render a ``Review`` (alignment + findings + scores, ``aligner.review``) and
are written with ``write_review``; their modules are imported only when used.

TMX and moses hold sentence pairs only, so they skip null beads; the other formats keep
every bead. Files are written atomically (``atomic.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from aligner.errors import UsageError
from aligner.io.atomic import OutputError, atomic_write, atomic_write_many
from aligner.io.beads import BeadPair, read_beads, render_beads
from aligner.io.jsonl import read_alignment_jsonl, render_jsonl
from aligner.io.moses import moses_files, read_moses
from aligner.io.records import BeadRecord, records_from_alignment
from aligner.io.tmx import read_tmx, render_tmx
from aligner.io.tsv import read_tsv, render_tsv
from aligner.types import Alignment

if TYPE_CHECKING:
    from aligner.review import Comparison, Review

__all__ = [
    "FORMATS",
    "BeadPair",
    "BeadRecord",
    "OutputError",
    "atomic_write",
    "atomic_write_many",
    "read_alignment_jsonl",
    "read_beads",
    "read_moses",
    "read_tmx",
    "read_tsv",
    "records_from_alignment",
    "render",
    "render_review",
    "write_alignment",
    "write_review",
]

FORMATS = ("tsv", "jsonl", "beads", "tmx", "moses")
REVIEW_FORMATS = ("html", "xlsx", "xliff")


# Formats that make a single file. moses makes several and is handled on its own.
_SINGLE_FILE: dict[str, Callable[[Alignment], str | bytes]] = {
    "tsv": render_tsv,
    "jsonl": render_jsonl,
    "beads": render_beads,
    "tmx": render_tmx,
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}",
                         hint=f"choose one of: {', '.join(FORMATS)}")


def render(alignment: Alignment, fmt: str) -> str | bytes:
    """The content of a single-file format (``bytes`` for TMX, ``str`` otherwise)."""
    _check_format(fmt)
    if fmt == "moses":
        raise UsageError("the moses format is two files, not one",
                         hint="use write_alignment with a path, or -o PATH")
    return _SINGLE_FILE[fmt](alignment)


def write_alignment(alignment: Alignment, fmt: str, path: str | Path | None, *,
                    stdout: TextIO | None = None) -> list[Path]:
    """Write ``alignment`` in format ``fmt``; returns the files written.

    ``path`` None writes to ``stdout`` (``sys.stdout`` when not given) and returns ``[]``.
    ``moses`` needs a path: it writes ``PATH.<srclang>``, ``PATH.<tgtlang>`` and
    ``PATH.signature``. Files are replaced atomically, never left half-written.

    Raises UsageError for an unknown format or moses without a path, OutputError when a
    file cannot be written.
    """
    _check_format(fmt)
    if fmt == "moses":
        if path is None:
            raise UsageError("the moses format writes two files and cannot go to "
                             "standard output",
                             hint="give an output path with -o PATH; it writes PATH.<srclang> "
                                  "and PATH.<tgtlang>")
        return atomic_write_many(moses_files(alignment, path))
    content = render(alignment, fmt)
    if path is None:
        out = stdout if stdout is not None else sys.stdout
        out.write(content.decode("utf-8") if isinstance(content, bytes) else content)
        return []
    return [atomic_write(path, content)]


def render_review(review: Review | Comparison, fmt: str) -> bytes:
    """The content of a review format: ``html`` (also for a ``Comparison``), ``xlsx``,
    ``xliff``. Each format's module is imported here, on first use."""
    from aligner.review import Comparison

    if fmt == "html":
        from aligner.io.html import render_html

        return render_html(review).encode("utf-8")
    if fmt not in REVIEW_FORMATS:
        raise UsageError(f"unknown report format {fmt!r}",
                         hint=f"choose one of: {', '.join(REVIEW_FORMATS)}")
    if isinstance(review, Comparison):
        raise UsageError(f"a comparison of two translations has no {fmt} form",
                         hint="use --format html or json for compare")
    if fmt == "xlsx":
        from aligner.io.xlsx import render_xlsx

        return render_xlsx(review)
    from aligner.io.xliff import render_xliff

    return render_xliff(review)


def write_review(review: Review | Comparison, fmt: str, path: str | Path | None) -> list[Path]:
    """Write a review format to ``path`` atomically; returns the files written.

    These formats are files for other programs (a browser, a spreadsheet, a CAT tool), so a
    path is required.
    """
    if path is None:
        raise UsageError(f"--format {fmt} writes a file and cannot go to standard output",
                         hint=f"give a path with -o, e.g. -o report.{fmt}")
    return [atomic_write(path, render_review(review, fmt))]
