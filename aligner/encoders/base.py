"""The encoder protocol: a batch of strings in, an L2-normalised float32 matrix out.

An aligner also needs vectors for runs of consecutive sentences (the candidates for 2-1, 1-2,
3-1 ... beads). ``Encoder.embed`` returns an ``Embedding`` that answers both: the vector of
each sentence, and the vector of any span ``[start, end)`` of them. How a span vector is made
is the backend's business: the embedded USE encoder composes it from pooled internal sums at
almost no cost; a generic backend encodes the joined text, only for the spans asked for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float32]


def l2_normalise(matrix: NDArray[np.floating]) -> Matrix:
    """Rows scaled to unit length (zero rows stay zero) as float32."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, np.float32(1e-12))


def unique_texts(texts: Sequence[str]) -> tuple[list[str], NDArray[np.intp]]:
    """Distinct texts in first-seen order and, for each input text, its row among them.

    Identical strings are encoded once per run (issue 2).
    """
    rows: dict[str, int] = {}
    inverse = np.fromiter((rows.setdefault(t, len(rows)) for t in texts), dtype=np.intp,
                          count=len(texts))
    return list(rows), inverse


class Embedding(ABC):
    """Vectors for one sequence of sentences and for spans of consecutive sentences."""

    @property
    @abstractmethod
    def sentences(self) -> Matrix:
        """(n, d) matrix, row i is sentence i, L2-normalised."""

    @abstractmethod
    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        """(k, d) matrix: row r is the vector of sentences ``starts[r]:ends[r]`` together.

        Every span is non-empty (``ends > starts``). A one-sentence span equals its sentence
        vector.
        """


class Encoder(ABC):
    """A sentence encoder. Subclasses load their weights lazily, on first use."""

    #: Short stable name used in signatures, e.g. ``"use-m3"``.
    name: str

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> Matrix:
        """(len(texts), d) L2-normalised float32 matrix."""

    def embed(self, texts: Sequence[str]) -> Embedding:
        """Sentence vectors plus span composition. Default: joined text, encoded on demand."""
        return JoinedTextEmbedding(self, tuple(texts))


class JoinedTextEmbedding(Embedding):
    """Span vectors by encoding the concatenated text, only for spans actually requested.

    Encoded spans are remembered, so asking twice for the same span costs nothing.
    """

    def __init__(self, encoder: Encoder, texts: tuple[str, ...]):
        self._encoder = encoder
        self._texts = texts
        self._sentences = encoder.encode(texts) if texts else np.zeros((0, 1), np.float32)
        self._span_rows: dict[tuple[int, int], NDArray[np.float32]] = {}

    @property
    def sentences(self) -> Matrix:
        return self._sentences

    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        keys = list(zip(starts.tolist(), ends.tolist(), strict=True))
        missing = sorted({k for k in keys if k[1] - k[0] > 1 and k not in self._span_rows})
        if missing:
            joined = [" ".join(self._texts[a:b]) for a, b in missing]
            vectors = self._encoder.encode(joined)
            self._span_rows.update(zip(missing, vectors, strict=True))
        out = np.empty((len(keys), self._sentences.shape[1]), dtype=np.float32)
        for row, (a, b) in enumerate(keys):
            out[row] = self._sentences[a] if b - a == 1 else self._span_rows[(a, b)]
        return out
