"""Immutable values that flow through the pipeline.

read -> segment -> encode -> align -> check -> report/write. Every stage takes these values
and returns new ones; nothing here is mutated after construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

ParagraphMode = Literal["auto", "blank", "line"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, with its place in the decoded text.

    ``text[start:end]`` of the document is exactly ``text`` of the sentence; the characters
    between sentences (spaces, newlines) are the gaps, so sentences plus gaps give the
    document back unchanged.
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input file split into sentences."""

    text: str
    sentences: tuple[Sentence, ...]
    lang: str
    path: str | None = None
    encoding: str = "utf-8"

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.sentences)


@dataclass(frozen=True, slots=True)
class Bead:
    """A group of source sentences aligned to a group of target sentences.

    ``src`` and ``tgt`` are sentence indices (consecutive, possibly empty on one side: a null
    bead). ``score`` is the similarity the search used; ``confidence`` is the calibrated
    probability that the bead is exactly right.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    confidence: float = 0.0

    @property
    def kind(self) -> str:
        """The bead type, e.g. ``"1-1"``, ``"2-1"``, ``"0-1"``."""
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_null(self) -> bool:
        return not self.src or not self.tgt


@dataclass(frozen=True, slots=True)
class Signature:
    """How a result was produced, in sacrebleu's ``key:value|key:value`` style."""

    version: str
    encoder: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        parts = [f"aligner:{self.version}", f"enc:{self.encoder}"]
        parts += [f"{key}:{value}" for key, value in self.params]
        return "|".join(parts)


@dataclass(frozen=True, slots=True, eq=False)
class SentenceVectors:
    """The unit sentence vectors an alignment was searched over, one row per sentence.

    Kept on the ``Alignment`` so that later stages (adequacy, the report's similarity
    picture) read them instead of encoding the same sentences a second time. ``encoder``
    is the encoder's name: vectors of another encoder are on another scale.
    """

    encoder: str
    src: NDArray[np.float32]
    tgt: NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Two documents and the beads that align them, in order."""

    src: Document
    tgt: Document
    beads: tuple[Bead, ...]
    signature: Signature
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    #: The sentence vectors behind the search (absent for alignments read back from a file).
    vectors: SentenceVectors | None = field(default=None, compare=False, repr=False)
