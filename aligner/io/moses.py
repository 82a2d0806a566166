"""Moses-style line-parallel text: ``PATH.<srclang>`` and ``PATH.<tgtlang>``, line for line.

The input format of Moses, fairseq, OpenNMT, Marian and friends. Line *n* of one file is
the translation of line *n* of the other; there is one line per bead with sentences on both
sides (**null beads are skipped**: they have nothing to pair with), and the sentences of a
multi-sentence side are joined with one space.

Plain text has no room for metadata, so the run's signature goes to a third file,
``PATH.signature``: corpus tools pick files by language suffix and leave it alone, and the
provenance still travels with the corpus.

The format has no escaping. A line break inside a text (never produced by segmentation, but
possible in hand-made input) is written as a space, so the two files can never drift apart.
"""

from __future__ import annotations

from pathlib import Path

from aligner.errors import FormatError, UsageError
from aligner.io.records import data_lines, one_line, read_utf8, records_from_alignment
from aligner.types import Alignment


def moses_paths(path: str | Path, src_lang: str, tgt_lang: str) -> tuple[Path, Path, Path]:
    """``(PATH.<src_lang>, PATH.<tgt_lang>, PATH.signature)`` for the output prefix ``path``."""
    if not src_lang or not tgt_lang or src_lang == tgt_lang or "signature" in (src_lang,
                                                                                tgt_lang):
        raise UsageError(f"cannot name moses files after languages {src_lang!r} and "
                         f"{tgt_lang!r}", hint="the two documents need distinct language codes")
    prefix = str(path)
    return Path(f"{prefix}.{src_lang}"), Path(f"{prefix}.{tgt_lang}"), Path(f"{prefix}.signature")


def render_moses(alignment: Alignment) -> tuple[str, str]:
    """The source and target file contents: one line per non-null bead."""
    src_lines, tgt_lines = [], []
    for record in records_from_alignment(alignment):
        if record.is_null:
            continue
        src_lines.append(one_line(record.src_text) + "\n")
        tgt_lines.append(one_line(record.tgt_text) + "\n")
    return "".join(src_lines), "".join(tgt_lines)


def moses_files(alignment: Alignment, path: str | Path) -> dict[Path, str]:
    """Every file the moses format writes for the prefix ``path``, with its content."""
    src_path, tgt_path, signature_path = moses_paths(path, alignment.src.lang,
                                                     alignment.tgt.lang)
    src_text, tgt_text = render_moses(alignment)
    return {
        src_path: src_text,
        tgt_path: tgt_text,
        signature_path: one_line(str(alignment.signature)) + "\n",
    }


def parse_moses(src_text: str, tgt_text: str, *, source: str = "<moses>"
                ) -> list[tuple[str, str]]:
    """``(source line, target line)`` pairs; FormatError when the line counts differ."""
    src_lines = [line for _, line in data_lines(src_text)]
    tgt_lines = [line for _, line in data_lines(tgt_text)]
    if len(src_lines) != len(tgt_lines):
        raise FormatError(f"the source side has {len(src_lines)} lines and the target side "
                          f"{len(tgt_lines)}", where=source,
                          hint="line-parallel files must have the same number of lines")
    return list(zip(src_lines, tgt_lines, strict=True))


def read_moses(src_path: str | Path, tgt_path: str | Path) -> list[tuple[str, str]]:
    """The sentence pairs of two line-parallel files."""
    return parse_moses(read_utf8(src_path), read_utf8(tgt_path),
                       source=f"{src_path} + {tgt_path}")
