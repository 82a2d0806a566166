"""Calibrated per-bead confidence: P(the bead is exactly right), from a logistic model.

The model is trained by ``scripts/calibrate_confidence.py`` on dev gold and shipped as
``models/confidence.json`` (card: ``models/confidence.md``). Its features describe a bead in
terms of its own document, so one model serves documents of different similarity levels:

- ``z``: the bead's similarity on the document's scale (0 = typical non-match, 1 = typical
  match), also for the previous and next bead (a bead between two good ones is more likely
  right);
- the bead's shape (null, one-to-one, many);
- how far its character-length ratio is from the document's;
- after the learned second pass, the bead's learned score and the lower of its
  neighbours' (0 when the second pass did not run: the shipped calibration is fitted with
  it on, the default).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from aligner.align import RawBead, SearchResult
from aligner.errors import FormatError

FEATURES = (
    "bias",
    "z",
    "z_neighbours_min",
    "z_neighbours_mean",
    "is_null",
    "is_many",
    "sentences",
    "length_deviation",
    "score",
    "score_neighbours_min",
)


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    weights: tuple[float, ...]
    version: str

    @staticmethod
    def load() -> ConfidenceModel:
        """The shipped calibration (``models/confidence.json``)."""
        path = resources.files("aligner.models").joinpath("confidence.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = tuple(float(data["weights"][name]) for name in FEATURES)
            return ConfidenceModel(weights, str(data["version"]))
        except (OSError, KeyError, ValueError, TypeError) as err:
            raise FormatError(
                "the shipped confidence calibration is missing or malformed",
                where=str(path),
                hint="reinstall aligner or rerun scripts/calibrate_confidence.py",
            ) from err

    def predict(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        logits = features @ np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def bead_features(
    result: SearchResult,
    src_lengths: NDArray[np.float64],
    tgt_lengths: NDArray[np.float64],
) -> NDArray[np.float64]:
    """(beads, len(FEATURES)) matrix, one row of features per bead."""
    beads = result.beads
    spread = max(result.matching - result.others, 1e-3)
    z = np.array(
        [(b.similarity - result.others) / spread if _is_match(b) else 0.0 for b in beads]
    )
    z = np.clip(z, -2.0, 3.0)
    prev = np.concatenate([[1.0], z[:-1]]) if len(z) else z
    nxt = np.concatenate([z[1:], [1.0]]) if len(z) else z
    learned = np.clip([b.score if result.rescored else 0.0 for b in beads], -3.0, 3.0)
    learned_prev = np.concatenate([[learned[0]], learned[:-1]]) if len(beads) else learned
    learned_next = np.concatenate([learned[1:], [learned[-1]]]) if len(beads) else learned
    learned_neighbours = np.minimum(learned_prev, learned_next)
    src_cum = np.concatenate([[0.0], np.cumsum(src_lengths)])
    tgt_cum = np.concatenate([[0.0], np.cumsum(tgt_lengths)])
    doc_ratio = np.log((tgt_cum[-1] + 1.0) / (src_cum[-1] + 1.0))
    rows = []
    for k, bead in enumerate(beads):
        s_len = src_cum[bead.src_end] - src_cum[bead.src_start]
        t_len = tgt_cum[bead.tgt_end] - tgt_cum[bead.tgt_start]
        deviation = abs(np.log((t_len + 10.0) / (s_len + 10.0)) - doc_ratio)
        size = (bead.src_end - bead.src_start) + (bead.tgt_end - bead.tgt_start)
        rows.append(
            (
                1.0,
                z[k],
                min(prev[k], nxt[k]),
                (prev[k] + nxt[k]) / 2,
                0.0 if _is_match(bead) else 1.0,
                1.0 if _is_match(bead) and size > 2 else 0.0,
                float(size),
                deviation if _is_match(bead) else 0.0,
                float(learned[k]),
                float(learned_neighbours[k]),
            )
        )
    return np.array(rows, dtype=np.float64).reshape(len(beads), len(FEATURES))


def _is_match(bead: RawBead) -> bool:
    return bead.src_end > bead.src_start and bead.tgt_end > bead.tgt_start
