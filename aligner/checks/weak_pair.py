"""weak_pair.v1: a bead whose two sides are probably not translations of each other."""

from __future__ import annotations

from collections.abc import Iterator

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register
from aligner.checks.omission import pair_coverage

#: The aligner's calibrated confidence (``aligner.confidence``: the probability that the bead
#: is exactly right) below which a bead is a candidate: more likely wrong than right.
MAX_CONFIDENCE = 0.5

#: Lexical coverage (covered content words of both sides over all content words) below which
#: the two sides share too little vocabulary to be translations. On UN devset lines 1-2000, 2
#: of the 2,000 clean pairs are that low (before the confidence gate) against 0.85 of the
#: pairs shifted by one sentence (Russian i with English i+1); see models/lexicon-ru-en.md.
MAX_SHARE = 0.2

#: Both sides need this many content words for the share to mean anything: a two-word heading
#: can be a correct translation that the table simply does not know.
MIN_CONTENT = 3


@register("weak_pair.v1", Severity.MAJOR, Category.ALIGNMENT)
def check_weak_pair(pair: Pair, context: CheckContext) -> Iterator[Divergence]:
    """Aligned sentences that are probably not translations of each other

    Reports a bead when the aligner itself is unsure of it (confidence below 0.5) and the two
    sides also share little vocabulary: under a fifth of their content words have a
    plausible counterpart in the lexical table (models/lexicon-ru-en.tsv.gz). Usually the
    alignment has slipped around a missing or extra sentence nearby. Null beads and beads with
    fewer than three content words a side are left alone. Misfires on very free renderings
    that the aligner also found hard, and on texts full of terms the table lacks.
    """
    if pair.is_null or pair.confidence >= MAX_CONFIDENCE:
        return
    coverage = pair_coverage(pair, context)
    if min(coverage.src_content, coverage.tgt_content) < MIN_CONTENT:
        return
    if coverage.share >= MAX_SHARE:
        return
    src_hit = sum(m.covered for m in coverage.src if m.content)
    tgt_hit = sum(m.covered for m in coverage.tgt if m.content)
    yield Divergence(
        "weak_pair.v1", Severity.MAJOR, Category.ALIGNMENT,
        f"probably not a translation of each other: {src_hit} of {coverage.src_content} "
        f"Russian and {tgt_hit} of {coverage.tgt_content} English content words have a "
        f"counterpart, and the aligner's confidence is {pair.confidence:.2f}",
        src_spans=((0, len(pair.src)),),
        tgt_spans=((0, len(pair.tgt)),),
        suggestion="check the alignment around this bead: a sentence may be missing or "
                   "extra on one side",
    )
