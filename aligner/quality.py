"""Scores against gold alignments: strict and lax precision, recall and F1.

The measure is the one the field reports, introduced with Bleualign (Sennrich & Volk 2010,
"MT-based sentence alignment for OCR-generated parallel texts", AMTA; scorer in
rsennrich/Bleualign ``bleualign/utils.py``) and reimplemented in Vecalign's ``score.py``
(Thompson & Koehn 2019), which Bertalign and later papers use. Definitions, per document:

* Beads are compared as ``(src indices, tgt indices)`` tuples. As in Vecalign, each side is a
  set: duplicate beads count once and a bead empty on both sides is ignored.
* **Strict**: a bead is correct when the other side has exactly the same bead.
* **Lax**: a bead is also correct when it shares at least one (source sentence, target
  sentence) link with the other side, where each bead stands for all the links
  ``src × tgt`` it makes. Equivalently (Bleualign's wording), some bead of the other side
  overlaps it on the source side *and*, the same bead, on the target side. A null bead makes
  no links, so it can be right only strictly.
* **Precision** takes every test bead, null beads included, against all gold beads.
* **Recall** takes every gold bead against the test beads with null beads *dropped from both
  sides first* (Vecalign ``score_multiple``; Bleualign skips null gold beads too): finding
  deletions is measured by precision only.
* **Micro-average**: counts are summed over documents before dividing; F1 is the harmonic
  mean of the summed precision and recall. A ratio with nothing to count is 0.0 (Vecalign's
  ``value_for_div_by_0`` default).

On top, recall per gold bead type (``"1-1"``, ``"2-1"`` …, Bleualign's per-type recall).
Null types (``"1-0"``, ``"0-1"``) are reported too, as the share of gold null beads that the
test has exactly; they are not part of the overall recall above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.errors import FormatError, InputError, UsageError
from aligner.io.beads import BeadPair, parse_beads
from aligner.io.jsonl import parse_alignment_jsonl
from aligner.io.records import read_utf8


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """The counts behind one score table. ``a + b`` sums them (micro-averaging)."""

    #: Test beads scored for precision, and how many of them are right strictly / laxly.
    test: int = 0
    test_strict: int = 0
    test_lax: int = 0
    #: Non-null gold beads scored for recall, and how many were found strictly / laxly.
    gold: int = 0
    gold_strict: int = 0
    gold_lax: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(
            self.test + other.test, self.test_strict + other.test_strict,
            self.test_lax + other.test_lax, self.gold + other.gold,
            self.gold_strict + other.gold_strict, self.gold_lax + other.gold_lax,
        )


@dataclass(frozen=True, slots=True)
class TypeRecall:
    """Recall for the gold beads of one type, e.g. ``"2-1"``."""

    kind: str
    gold: int
    strict: int
    lax: int

    @property
    def recall_strict(self) -> float:
        return _ratio(self.strict, self.gold)

    @property
    def recall_lax(self) -> float:
        return _ratio(self.lax, self.gold)


@dataclass(frozen=True, slots=True)
class AlignmentScores:
    """Strict and lax precision, recall and F1, with the counts they come from."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    counts: MatchCounts
    #: Recall per gold bead type, ordered by (source size, target size).
    by_type: tuple[TypeRecall, ...]
    documents: int

    @classmethod
    def from_counts(cls, counts: MatchCounts, by_type: Iterable[TypeRecall],
                    documents: int) -> AlignmentScores:
        precision_strict = _ratio(counts.test_strict, counts.test)
        recall_strict = _ratio(counts.gold_strict, counts.gold)
        precision_lax = _ratio(counts.test_lax, counts.test)
        recall_lax = _ratio(counts.gold_lax, counts.gold)
        return cls(
            precision_strict=precision_strict,
            recall_strict=recall_strict,
            f1_strict=_f1(precision_strict, recall_strict),
            precision_lax=precision_lax,
            recall_lax=recall_lax,
            f1_lax=_f1(precision_lax, recall_lax),
            counts=counts,
            by_type=tuple(sorted(by_type, key=lambda t: _kind_key(t.kind))),
            documents=documents,
        )

    def recall_by_type(self) -> dict[str, TypeRecall]:
        """``by_type`` keyed by bead type."""
        return {t.kind: t for t in self.by_type}

    def report(self) -> str:
        """A plain-text table for people: scores, counts, then recall by gold bead type."""
        counts = self.counts
        lines = [
            f"{self.documents} document(s), {counts.test} test beads, "
            f"{counts.gold} non-null gold beads",
            "",
            "             strict     lax",
            f"precision    {self.precision_strict:6.4f}  {self.precision_lax:6.4f}",
            f"recall       {self.recall_strict:6.4f}  {self.recall_lax:6.4f}",
            f"F1           {self.f1_strict:6.4f}  {self.f1_lax:6.4f}",
        ]
        if self.by_type:
            lines += ["", "gold type   beads   recall strict   recall lax"]
            lines += [f"{t.kind:<9} {t.gold:>7}   {t.recall_strict:13.4f}   "
                      f"{t.recall_lax:10.4f}" for t in self.by_type]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values: scores, counts and per-type recall."""
        return {
            "precision_strict": self.precision_strict,
            "recall_strict": self.recall_strict,
            "f1_strict": self.f1_strict,
            "precision_lax": self.precision_lax,
            "recall_lax": self.recall_lax,
            "f1_lax": self.f1_lax,
            "documents": self.documents,
            "counts": {
                "test": self.counts.test,
                "test_strict": self.counts.test_strict,
                "test_lax": self.counts.test_lax,
                "gold": self.counts.gold,
                "gold_strict": self.counts.gold_strict,
                "gold_lax": self.counts.gold_lax,
            },
            "by_type": {
                t.kind: {"gold": t.gold, "strict": t.strict, "lax": t.lax,
                         "recall_strict": t.recall_strict, "recall_lax": t.recall_lax}
                for t in self.by_type
            },
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _kind(bead: BeadPair) -> str:
    return f"{len(bead[0])}-{len(bead[1])}"


def _kind_key(kind: str) -> tuple[int, int]:
    src, tgt = kind.split("-")
    return int(src), int(tgt)


def _bead_set(beads: Iterable[BeadPair]) -> set[BeadPair]:
    """Beads as a set of index tuples, without beads empty on both sides (as Vecalign)."""
    return {(tuple(src), tuple(tgt)) for src, tgt in beads if src or tgt}


def _links(beads: Iterable[BeadPair]) -> dict[int, set[int]]:
    """Source index -> every target index some bead links it to (the ``src × tgt`` links)."""
    links: dict[int, set[int]] = defaultdict(set)
    for src, tgt in beads:
        for s in src:
            links[s].update(tgt)
    return links


def _shares_link(bead: BeadPair, links: dict[int, set[int]]) -> bool:
    src, tgt = bead
    return any(not links.get(s, set()).isdisjoint(tgt) for s in src)


def _match(beads: set[BeadPair], reference: set[BeadPair]) -> tuple[int, int]:
    """(strict, lax) number of ``beads`` that are right against ``reference``."""
    links = _links(reference)
    strict = lax = 0
    for bead in beads:
        if bead in reference:
            strict += 1
            lax += 1
        elif _shares_link(bead, links):
            lax += 1
    return strict, lax


def _count(gold: Sequence[BeadPair], test: Sequence[BeadPair]
           ) -> tuple[MatchCounts, dict[str, list[int]]]:
    """Counts for one document, and per gold type ``[gold, strict, lax]``."""
    gold_set, test_set = _bead_set(gold), _bead_set(test)
    # Precision: every test bead, null ones included, against every gold bead.
    test_strict, test_lax = _match(test_set, gold_set)
    # Recall: null beads dropped from both sides first (Vecalign's score_multiple).
    gold_full = {b for b in gold_set if b[0] and b[1]}
    test_full = {b for b in test_set if b[0] and b[1]}
    gold_strict, gold_lax = _match(gold_full, test_full)
    counts = MatchCounts(len(test_set), test_strict, test_lax,
                         len(gold_full), gold_strict, gold_lax)

    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    test_full_links = _links(test_full)
    for bead in gold_set:
        row = by_type[_kind(bead)]
        row[0] += 1
        if bead[0] and bead[1]:
            # The same comparison as overall recall, so non-null types add up to it.
            if bead in test_full:
                row[1] += 1
                row[2] += 1
            elif _shares_link(bead, test_full_links):
                row[2] += 1
        elif bead in test_set:
            # A null bead makes no links: found exactly or not at all.
            row[1] += 1
            row[2] += 1
    return counts, by_type


def score_documents(pairs: Iterable[tuple[Sequence[BeadPair], Sequence[BeadPair]]]
                    ) -> AlignmentScores:
    """Micro-averaged scores over documents, given ``(gold beads, test beads)`` per document.

    A bead is ``(src indices, tgt indices)``, e.g. ``((9, 10), (9,))`` or ``((), (15,))``.
    """
    total = MatchCounts()
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    documents = 0
    for gold, test in pairs:
        counts, doc_types = _count(gold, test)
        total += counts
        for kind, row in doc_types.items():
            summed = by_type[kind]
            for column, value in enumerate(row):
                summed[column] += value
        documents += 1
    types = (TypeRecall(kind, gold, strict, lax) for kind, (gold, strict, lax)
             in by_type.items())
    return AlignmentScores.from_counts(total, types, documents)


def score_beads(gold: Sequence[BeadPair], test: Sequence[BeadPair]) -> AlignmentScores:
    """Scores of one document's test beads against its gold beads."""
    return score_documents([(gold, test)])


def read_scorable_beads(path: Path) -> list[BeadPair]:
    """Beads from a bead file, or from an aligner JSONL output (``.jsonl`` or a ``{`` line).

    So a saved run can be re-scored without converting it first.
    """
    text = read_utf8(path)
    first = next((line.lstrip() for line in text.split("\n") if line.strip()), "")
    if path.suffix == ".jsonl" or first.startswith("{"):
        return [(r.src_idx, r.tgt_idx) for r in parse_alignment_jsonl(text, source=str(path))]
    return parse_beads(text, source=str(path))


def _document_files(directory: Path) -> dict[str, Path]:
    # Hidden files (.DS_Store, editor backups) are not documents.
    return {p.name: p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")}


def evaluate_paths(gold: Path, test: Path) -> AlignmentScores:
    """Scores of ``test`` against ``gold``: two files, or two directories of same-named files.

    Directories are scored as one micro-averaged set of documents. Raises InputError for a
    missing path, UsageError for a file paired with a directory, FormatError when the two
    directories do not hold the same file names or a file is malformed.
    """
    gold, test = Path(gold), Path(test)
    for path in (gold, test):
        if not path.exists():
            raise InputError("no such file or directory", where=str(path), hint="check the path")
    if gold.is_dir() != test.is_dir():
        raise UsageError(f"cannot score {'a directory' if test.is_dir() else 'a file'} "
                         f"against {'a directory' if gold.is_dir() else 'a file'}",
                         where=str(test), hint="give two files or two directories")
    if not gold.is_dir():
        return score_beads(read_scorable_beads(gold), read_scorable_beads(test))

    gold_files, test_files = _document_files(gold), _document_files(test)
    only_gold = sorted(gold_files.keys() - test_files.keys())
    only_test = sorted(test_files.keys() - gold_files.keys())
    if only_gold or only_test:
        parts = []
        if only_gold:
            parts.append(f"only in {gold}: {', '.join(only_gold)}")
        if only_test:
            parts.append(f"only in {test}: {', '.join(only_test)}")
        raise FormatError("the gold and test directories hold different files; "
                          + "; ".join(parts),
                          hint="each document needs a gold file and a test file of the same "
                               "name")
    if not gold_files:
        raise FormatError("no alignment files found", where=str(gold),
                          hint="put one gold file per document in the directory")
    return score_documents(
        (read_scorable_beads(gold_files[name]), read_scorable_beads(test_files[name]))
        for name in sorted(gold_files)
    )
