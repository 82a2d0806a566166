"""The field's gold-alignment format: one bead per line, ``SRC:TGT`` or ``SRC:TGT:score``.

``[0]:[0]``, ``[9, 10]:[9]``, ``[]:[15]`` (target only), ``[4]:[]`` (source only) — the format
of the Bleualign, Vecalign and Bertalign gold and output files, with 0-based sentence
indices. The writer adds the score with four decimals and a first ``# signature:`` comment
line; the reader skips ``#`` lines and blank lines, and takes spaces inside the brackets or
none (``[0,1]`` as written by MAC-Dev's gold files).
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.errors import FormatError
from aligner.io.records import data_lines, one_line, read_utf8, shorten
from aligner.types import Alignment

#: A bead as the scorer sees it: source indices, target indices.
BeadPair = tuple[tuple[int, ...], tuple[int, ...]]

SIGNATURE_PREFIX = "# signature: "

_LIST = r"\[\s*(\d+(?:\s*,\s*\d+)*)?\s*\]"
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)"
_BEAD_RE = re.compile(rf"\s*{_LIST}\s*:\s*{_LIST}\s*(?::\s*({_NUMBER})\s*)?", re.IGNORECASE)

_EXPECTED = "expected a bead like [0, 1]:[2] or [0]:[1]:0.8123"


def format_bead(src: tuple[int, ...], tgt: tuple[int, ...], score: float | None = None) -> str:
    """One bead line (without newline): ``[0, 1]:[2]`` or ``[0, 1]:[2]:0.8123``."""
    text = f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]"
    return text if score is None else f"{text}:{score:.4f}"


def render_beads(alignment: Alignment) -> str:
    """The beads file for ``alignment``: signature comment, then one scored bead per line."""
    lines = [SIGNATURE_PREFIX + one_line(str(alignment.signature))]
    lines += [format_bead(tuple(b.src), tuple(b.tgt), b.score) for b in alignment.beads]
    return "\n".join(lines) + "\n"


def _indices(group: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in group.split(",")) if group else ()


def parse_scored_beads(text: str, *, source: str = "<beads>"
                       ) -> list[tuple[tuple[int, ...], tuple[int, ...], float | None]]:
    """``(src, tgt, score or None)`` for each bead line of ``text``, in order.

    Raises FormatError at ``source:line`` saying what was expected and what was found.
    """
    beads: list[tuple[tuple[int, ...], tuple[int, ...], float | None]] = []
    for number, line in data_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _BEAD_RE.fullmatch(line)
        if match is None:
            raise FormatError(f"{_EXPECTED}, found {shorten(stripped)}",
                              where=f"{source}:{number}",
                              hint="one bead per line: source indices, colon, target indices")
        src, tgt = _indices(match.group(1)), _indices(match.group(2))
        if not src and not tgt:
            raise FormatError(f"{_EXPECTED}, found an empty bead {shorten(stripped)}",
                              where=f"{source}:{number}",
                              hint="a bead needs a sentence on at least one side")
        score = float(match.group(3)) if match.group(3) is not None else None
        beads.append((src, tgt, score))
    return beads


def parse_beads(text: str, *, source: str = "<beads>") -> list[BeadPair]:
    """``(src, tgt)`` index tuples for each bead line of ``text`` (scores are dropped)."""
    return [(src, tgt) for src, tgt, _ in parse_scored_beads(text, source=source)]


def _looks_like_text(value: str) -> bool:
    stripped = value.lstrip()
    return "\n" in value or not stripped or stripped[0] in "[#"


def read_beads(path_or_text: str | Path) -> list[BeadPair]:
    """Beads from a file, or from the text of one.

    A ``Path`` is always read as a file. A ``str`` is taken as bead text when it contains a
    newline, is blank, or starts with ``[`` or ``#`` (as every bead file does); any other
    string is a path.
    """
    if isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        return parse_beads(path_or_text)
    return parse_beads(read_utf8(path_or_text), source=str(path_or_text))
