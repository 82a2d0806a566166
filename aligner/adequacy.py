"""Translation adequacy per bead: how faithfully the English renders the Russian, 0-100.

PLACEHOLDER (to be replaced by the learned model of issue 5, keeping this signature):
the score is the bead's calibrated confidence, less points for its findings.
"""

from __future__ import annotations

from aligner.check import CheckReport
from aligner.encoders.base import Encoder
from aligner.review import Adequacy

_PENALTY = {"critical": 40.0, "major": 20.0, "minor": 5.0}


def adequacy_scores(report: CheckReport, *, encoder: Encoder | str | None = None
                    ) -> tuple[Adequacy, ...]:
    """One ``Adequacy`` per pair of ``report``, in order (null beads score 0)."""
    del encoder
    out = []
    for pair in report.pairs:
        if pair.is_null:
            out.append(Adequacy(0.0, ()))
            continue
        base = 100.0 * pair.confidence
        penalty = sum(_PENALTY[d.severity.value] for d in report.for_pair(pair.index))
        score = max(0.0, min(100.0, base - penalty))
        out.append(Adequacy(round(score, 1), (("confidence", round(base - 50.0, 1)),
                                              ("findings", -penalty))))
    return tuple(out)
