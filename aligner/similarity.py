"""The sentence similarity matrix of an aligned document pair, for the report's picture.

The alignment keeps only the chosen beads; a reviewer also wants to see the alternatives
the search passed over (a bright cell off the path is a bead the aligner may have missed).
``sentence_similarity`` returns every source x target cosine, from the vectors the search
used when the alignment kept them, else by encoding both documents' sentences again.
"""

from __future__ import annotations

import numpy as np

from aligner.encoders.base import Encoder, Matrix
from aligner.types import Alignment


def sentence_similarity(alignment: Alignment, encoder: Encoder) -> Matrix:
    """(source sentences x target sentences) float32 matrix of cosine similarities.

    ``encoder`` should be the one that made the alignment, so the picture shows what the
    search saw. Encoders return L2-normalised rows, so the dot product is the cosine.
    """
    kept = alignment.vectors
    if kept is not None and kept.encoder == encoder.name:
        return np.asarray(kept.src @ kept.tgt.T, dtype=np.float32)
    src, tgt = alignment.src.texts, alignment.tgt.texts
    vectors = encoder.encode(src + tgt)  # one call: identical sentences are encoded once
    matrix = vectors[: len(src)] @ vectors[len(src):].T
    return np.asarray(matrix, dtype=np.float32)
