"""What one run knows about a document pair, in one value the reports render.

``align`` -> ``check`` -> ``adequacy`` -> document score: each stage adds to a ``Review``.
The HTML, XLSX and XLIFF writers (``aligner/io/``), the terminal report and the corpus
builder all read a ``Review`` (or a ``Comparison`` of two translations), so a new output
format never needs to know how the numbers were produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aligner.check import CheckReport
from aligner.checks import Divergence
from aligner.types import Alignment

if TYPE_CHECKING:
    from aligner.encoders.base import Matrix


@dataclass(frozen=True, slots=True)
class Adequacy:
    """How faithfully one bead's English renders its Russian, 0-100 (higher is better).

    ``contributions`` says which feature groups moved the score away from the model's
    baseline, in points: ``(("similarity", +12.5), ("findings", -20.0), ...)``.
    A null bead has no translation to judge: its score is 0.
    """

    score: float
    contributions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """One 0-100 score for an aligned document and the parts it is made of.

    ``components`` are named figures the score is computed from (shares of bead types,
    mean confidence, mean adequacy, findings per 100 beads ...), in the order the docs
    define them.
    """

    score: float
    components: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Review:
    """An aligned (or line-paired) document pair with its findings and scores.

    ``report.pairs[k]`` is bead ``k`` of ``alignment`` when there is an alignment;
    ``adequacy``, when present, has one entry per pair, in the same order.
    ``similarity``, when present, is the (source x target sentences) cosine matrix of the
    alignment (``aligner.similarity.sentence_similarity``), drawn by the HTML report.
    """

    report: CheckReport
    alignment: Alignment | None = None
    adequacy: tuple[Adequacy, ...] | None = None
    document: DocumentScore | None = None
    signature: str = ""
    similarity: Matrix | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ComparedRow:
    """One stretch of the Russian original and how translations A and B render it.

    ``src_idx`` are Russian sentence indices (a row can cover several when the two
    translations split differently); ``a_only`` / ``b_only`` are findings one translation
    has and the other does not; ``differences`` are findings about where A and B differ in
    meaning (numbers, names, negation, terms), with ``src_spans`` pointing into A's text
    and ``tgt_spans`` into B's.
    """

    src_idx: tuple[int, ...]
    src_text: str
    a_text: str
    b_text: str
    a_adequacy: float | None = None
    b_adequacy: float | None = None
    a_only: tuple[Divergence, ...] = ()
    b_only: tuple[Divergence, ...] = ()
    differences: tuple[Divergence, ...] = ()
    chrf: float | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    """A corpus-level score with the signature that makes it reproducible (sacrebleu's)."""

    name: str
    score: float
    signature: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two translations of one original, aligned through the Russian and set side by side.

    ``a`` and ``b`` are the reviews of each translation against the original; ``metrics``
    are BLEU/chrF/TER of A against B (or of the candidate against a reference).
    """

    rows: tuple[ComparedRow, ...]
    a: Review
    b: Review
    a_label: str = "A"
    b_label: str = "B"
    metrics: tuple[Metric, ...] = ()
    signature: str = ""
