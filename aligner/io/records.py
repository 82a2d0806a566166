"""What every output format is made of: one ``BeadRecord`` per bead, plus file reading.

An ``Alignment`` holds sentence indices; the formats also want the sentence texts, the
paragraph and the character span of each side. ``records_from_alignment`` resolves them
once, so each writer only decides how to lay the fields out, and each reader gives the same
value type back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import FormatError, InputError
from aligner.types import Alignment, Bead, Document, Sentence


@dataclass(frozen=True, slots=True)
class BeadRecord:
    """One bead as an output file holds it: indices, texts and where they came from.

    Fields a format cannot hold are ``None`` when read back (TSV has no character offsets,
    TMX no paragraphs). ``src_text`` is the side's sentences joined with one space; a null
    side has empty text and ``None`` paragraph and offsets.
    """

    src_idx: tuple[int, ...]
    tgt_idx: tuple[int, ...]
    src_text: str
    tgt_text: str
    src_paragraph: int | None = None
    tgt_paragraph: int | None = None
    score: float = 0.0
    confidence: float = 0.0
    src_start: int | None = None
    src_end: int | None = None
    tgt_start: int | None = None
    tgt_end: int | None = None
    signature: str | None = None

    @property
    def kind(self) -> str:
        """The bead type, e.g. ``"1-1"`` or ``"0-1"``, as ``Bead.kind``."""
        return f"{len(self.src_idx)}-{len(self.tgt_idx)}"

    @property
    def is_null(self) -> bool:
        return not self.src_idx or not self.tgt_idx

    def to_bead(self) -> Bead:
        return Bead(self.src_idx, self.tgt_idx, self.score, self.confidence)


@dataclass(frozen=True, slots=True)
class _Side:
    text: str
    paragraph: int | None
    start: int | None
    end: int | None


def _resolve_side(doc: Document, by_index: dict[int, Sentence], indices: Sequence[int],
                  role: str, bead_no: int) -> _Side:
    if not indices:
        return _Side("", None, None, None)
    sentences = []
    for index in indices:
        sentence = by_index.get(index)
        if sentence is None:
            raise InputError(
                f"bead {bead_no} refers to {role} sentence {index}, "
                f"but the {role} document has {len(doc.sentences)} sentences",
                where=doc.path,
                hint="the alignment does not belong to these documents",
            )
        sentences.append(sentence)
    # A bead normally stays inside one paragraph; when it straddles a break, the paragraph
    # of its first sentence is the one a reader looks for.
    return _Side(
        text=" ".join(s.text for s in sentences),
        paragraph=sentences[0].paragraph,
        start=min(s.start for s in sentences),
        end=max(s.end for s in sentences),
    )


def records_from_alignment(alignment: Alignment) -> tuple[BeadRecord, ...]:
    """One record per bead, in bead order, each carrying the alignment's signature."""
    signature = str(alignment.signature)
    src_by_index = {s.index: s for s in alignment.src.sentences}
    tgt_by_index = {s.index: s for s in alignment.tgt.sentences}
    records = []
    for bead_no, bead in enumerate(alignment.beads):
        src = _resolve_side(alignment.src, src_by_index, bead.src, "source", bead_no)
        tgt = _resolve_side(alignment.tgt, tgt_by_index, bead.tgt, "target", bead_no)
        records.append(BeadRecord(
            src_idx=tuple(bead.src),
            tgt_idx=tuple(bead.tgt),
            src_text=src.text,
            tgt_text=tgt.text,
            src_paragraph=src.paragraph,
            tgt_paragraph=tgt.paragraph,
            score=bead.score,
            confidence=bead.confidence,
            src_start=src.start,
            src_end=src.end,
            tgt_start=tgt.start,
            tgt_end=tgt.end,
            signature=signature,
        ))
    return tuple(records)


# Every boundary str.splitlines() knows, so that no line-based reader can split a line.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with every line break (as ``str.splitlines`` sees them) turned into a space.

    For places that cannot escape: comment lines and line-parallel text.
    """
    return _LINE_BREAK.sub(" ", text)


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; InputError naming the path when it is missing or unreadable."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as err:
        raise InputError("file not found", where=str(path),
                         hint="check the path") from err
    except IsADirectoryError as err:
        raise InputError("is a directory, expected a file", where=str(path)) from err
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror or err}", where=str(path),
                         hint="check its permissions") from err


def read_utf8(path: str | Path) -> str:
    """The file's text, decoded as UTF-8 (a leading byte-order mark is dropped).

    Raises InputError when the file is missing, unreadable or not UTF-8.
    """
    data = read_bytes(path)
    try:
        # utf-8-sig: gold files saved by Windows editors start with a BOM.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte {err.start})", where=f"{path}:{line}",
                         hint="save the file as UTF-8") from err


def data_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` for each line of ``text``, split on ``\\n`` only.

    Splitting on ``\\n`` alone (not ``str.splitlines``) keeps characters such as U+2028
    inside a field; a trailing ``\\r`` from a CRLF file is dropped.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [(number, line.removesuffix("\r")) for number, line in enumerate(lines, start=1)]


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for an error message, quoted with ``repr``."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def index_list(value: str | None, where: str) -> tuple[int, ...]:
    """Sentence indices written as ``"3,4"`` in a TMX prop or XLIFF meta; none when empty."""
    if not value:
        return ()
    try:
        return tuple(int(part) for part in value.split(","))
    except ValueError as err:
        raise FormatError(f"expected comma-separated sentence indices, found {value!r}",
                          where=where) from err


def number(value: str | None, where: str) -> float:
    """A score written as text in a TMX prop or XLIFF meta; 0 when absent or empty."""
    if not value:
        return 0.0
    try:
        return float(value)
    except ValueError as err:
        raise FormatError(f"expected a number, found {value!r}", where=where) from err
