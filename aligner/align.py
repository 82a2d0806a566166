"""The search: a monotone dynamic programme over beads, in a band around a coarse path.

Costs in, beads out. Deterministic; inputs are never mutated.

How it stays linear in the length of the documents (the idea of Vecalign's recursive
downsampling, Thompson & Koehn 2019, written here without its global state):

1. Average neighbouring sentence vectors pairwise until the documents are short enough for a
   full DP (``FULL_DP_CELLS``), align that coarse version, then project its path back one level
   and search again only in a band of ``band`` sentences around it. Each level costs time
   proportional to (n + m) * band, and the levels shrink geometrically.
2. At the finest level, multi-sentence candidates (2-1, 1-2, 3-1, 2-2 ...) are scored with span
   vectors from the encoder's ``Embedding.spans`` (composed from pooled sums for the embedded
   encoder, no re-encoding), and bead similarities are computed block by block along the band
   with matrix products.
3. The DP itself runs row by row (one source position at a time) over the band with numpy; the
   target-only bead (0-1) within a row is a running maximum (a prefix scan), so no Python loop
   ever visits a single cell.

Scores are per sentence covered, so a bead of k sentences weighs k times a sentence's score
and merging is neither favoured nor punished for its size alone (Bertalign and Vecalign score
per bead, which drifts towards merges or splits depending on the normaliser).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from aligner.encoders.base import Embedding, Matrix, l2_normalise
from aligner.errors import UsageError

# Above this many DP cells a document pair is first aligned at a coarser level (about 0.1 s of
# work at the full level).
FULL_DP_CELLS = 250_000
# Rows of the band handled by one matrix product when computing bead similarities.
ROW_BLOCK = 32
MIN_MAX_BEAD, MAX_MAX_BEAD = 2, 8
NEG_INF = -1e9
# Random sentence pairs sampled to find a document's typical non-matching similarity.
NULL_SAMPLE = 4096


@dataclass(frozen=True, slots=True)
class SearchParams:
    """Knobs of the search; defaults tuned on the dev sets (see docs/alignment.md)."""

    #: Largest bead, counted as source + target sentences (5 allows 1-1, 1-2, 2-1, 1-3, 3-1,
    #: 2-2, 1-4, 4-1, 2-3, 3-2). Null beads 1-0 and 0-1 are always allowed.
    max_bead: int = 5
    #: Half-width (in sentences) of the band searched around the projected coarse path.
    band: int = 8
    #: The 1-1 score below which two sentences are better left unaligned, on the document's
    #: own scale: 0 is its typical non-matching similarity, 1 its typical matching one, so
    #: the null cost is calibrated per document (issue 2: no magic constant). Negative: a
    #: null bead costs, as Bertalign's skip penalty does; tuned on the dev sets.
    null_point: float = -0.2
    #: Weight of the length-ratio term, per sentence covered, on |log ratio| normalised by the
    #: document's own character ratio.
    length_weight: float = 0.3
    #: Extra cost of a many-to-one bead, per sentence beyond the first on each side.
    merge_cost: float = 0.0
    #: How a bead's score grows with its size: weight ((a + b) / 2) ** size_exponent. 0 scores
    #: per bead (as Bertalign does: span similarity grows with length, so per-sentence
    #: scoring drifts towards merges), 1 per sentence.
    size_exponent: float = 0.0
    #: Weight of the margin: similarity minus the mean of each side's best band neighbours
    #: (Artetxe & Schwenk 2019 ratio margin, in its difference form).
    margin_weight: float = 0.0
    #: Per-sentence bonus when a bead starts a paragraph on both sides, and cost when it starts
    #: one on one side only: paragraph boundaries act as soft anchors.
    paragraph_weight: float = 0.05

    def bead_shapes(self) -> tuple[tuple[int, int], ...]:
        """Allowed (source, target) sizes: every match bead within ``max_bead``, then nulls."""
        if not MIN_MAX_BEAD <= self.max_bead <= MAX_MAX_BEAD:
            raise UsageError(
                f"--max-bead {self.max_bead} is impossible",
                hint=f"choose {MIN_MAX_BEAD}..{MAX_MAX_BEAD}; 5 allows beads up to 1-4 and 2-3, "
                "4 up to 1-3 and 2-2",
            )
        shapes = [
            (a, b)
            for total in range(2, self.max_bead + 1)
            for a in range(1, total)
            for b in (total - a,)
        ]
        return (*shapes, (1, 0), (0, 1))


@dataclass(frozen=True, slots=True)
class Side:
    """What the search knows about one document: vectors, lengths, paragraph starts."""

    embedding: Embedding
    lengths: NDArray[np.float64]
    paragraph_starts: NDArray[np.bool_]

    @property
    def size(self) -> int:
        return len(self.lengths)


@dataclass(frozen=True, slots=True)
class RawBead:
    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int
    similarity: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The beads, and the document's typical matching and non-matching similarity."""

    beads: tuple[RawBead, ...]
    matching: float
    others: float


class SpanTable(Embedding):
    """An embedding with every span of up to ``max_size`` sentences composed in advance.

    The pipeline builds it in its encoding stage, so composing span vectors counts as
    encoding and the search only reads them (``_span_vectors`` asks for exactly these).
    """

    def __init__(self, inner: Embedding, max_size: int):
        self._inner = inner
        count = len(inner.sentences)
        self._tables = {
            size: inner.spans(np.arange(count - size + 1, dtype=np.intp),
                              np.arange(size, count + 1, dtype=np.intp))
            for size in range(1, min(max_size, count) + 1)
        }

    @property
    def sentences(self) -> Matrix:
        return self._inner.sentences

    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        sizes = np.unique(ends - starts)
        if len(sizes) == 1 and int(sizes[0]) in self._tables:
            table = self._tables[int(sizes[0])]
            return table[starts]
        return self._inner.spans(starts, ends)


class SumEmbedding(Embedding):
    """Span vectors as the normalised sum of sentence vectors (used at coarse levels)."""

    def __init__(self, vectors: Matrix):
        self._vectors = vectors
        self._prefix = np.vstack([np.zeros((1, vectors.shape[1]), np.float32),
                                  np.cumsum(vectors, axis=0, dtype=np.float32)])

    @property
    def sentences(self) -> Matrix:
        return self._vectors

    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        return l2_normalise(self._prefix[ends] - self._prefix[starts])


@dataclass(frozen=True, slots=True)
class Band:
    """Columns ``lo[i] <= j < hi[i]`` are searched in row i; both are non-decreasing."""

    lo: NDArray[np.intp]
    hi: NDArray[np.intp]

    @property
    def width(self) -> int:
        return int((self.hi - self.lo).max())

    @staticmethod
    def full(n: int, m: int) -> Band:
        return Band(np.zeros(n + 1, np.intp), np.full(n + 1, m + 1, np.intp))


def search(src: Side, tgt: Side, params: SearchParams) -> SearchResult:
    """Best monotone bead sequence covering both sides exactly once."""
    # The band's matrix products are small (32 rows): one BLAS thread does them fastest, and
    # several threads spin against each other (measured 56 us vs 18 ms per product on two
    # busy cores).
    with threadpool_limits(limits=1, user_api="blas"):
        return _search(src, tgt, params)


def _search(src: Side, tgt: Side, params: SearchParams) -> SearchResult:
    shapes = params.bead_shapes()
    n, m = src.size, tgt.size
    if n == 0 or m == 0:
        nulls = tuple(RawBead(i, i + 1, 0, 0, 0.0) for i in range(n)) + tuple(
            RawBead(n, n, j, j + 1, 0.0) for j in range(m)
        )
        return SearchResult(nulls, 1.0, 0.0)
    if (n + 1) * (m + 1) <= FULL_DP_CELLS:
        band = Band.full(n, m)
    else:
        # Pairs of sentences rarely need beads beyond 1-2 and 2-1 at the coarse levels.
        coarse = _search(_downsample(src), _downsample(tgt), replace(params, max_bead=3))
        band = _project(coarse.beads, n, m, params.band)
    return _banded_dp(src, tgt, band, shapes, params)


def _downsample(side: Side) -> Side:
    """Half as many pseudo-sentences: each the normalised sum of two neighbours."""
    vectors = side.embedding.sentences
    n, dim = vectors.shape
    pairs = (n + 1) // 2
    padded = np.zeros((2 * pairs, dim), np.float32)
    padded[:n] = vectors
    lengths = np.zeros(2 * pairs)
    lengths[:n] = side.lengths
    summed = padded.reshape(pairs, 2, dim).sum(axis=1)
    return Side(SumEmbedding(l2_normalise(summed)), lengths.reshape(pairs, 2).sum(axis=1),
                np.zeros(pairs, np.bool_))


def _project(coarse: Sequence[RawBead], n: int, m: int, width: int) -> Band:
    """Band around the coarse path, doubled to this level's coordinates and widened.

    Each coarse bead's rows may use its columns widened by ``width`` on both sides (a band in
    columns only, so the search costs (n + m) * (2 * width + a bead) cells).
    """
    lo = np.full(n + 1, m + 1, np.intp)
    hi = np.zeros(n + 1, np.intp)
    for bead in coarse:
        r0, r1 = min(2 * bead.src_start, n), min(2 * bead.src_end, n)
        c0, c1 = min(2 * bead.tgt_start, m), min(2 * bead.tgt_end, m)
        rows = slice(r0, r1 + 1)
        lo[rows] = np.minimum(lo[rows], max(c0 - width, 0))
        hi[rows] = np.maximum(hi[rows], min(c1 + width, m) + 1)
    # Monotone bounds, and the corners always inside.
    lo[0], hi[n] = 0, m + 1
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return Band(lo, hi)


def _span_vectors(embedding: Embedding, size: int, count: int) -> Matrix:
    """Row e is the vector of sentences [e - size, e), for e = size .. count."""
    if size == 0 or count < size:
        return np.zeros((0, embedding.sentences.shape[1]), np.float32)
    starts = np.arange(0, count - size + 1, dtype=np.intp)
    return embedding.spans(starts, starts + size)


def _banded_similarity(
    src_spans: Matrix, tgt_spans: Matrix, a: int, b: int, band: Band
) -> NDArray[np.float32]:
    """sim[i, k] = cos(src[i-a:i], tgt[j-b:j]) with j = band.lo[i] + k; NaN where undefined."""
    rows = len(band.lo)
    width = band.width
    out = np.full((rows, width), np.nan, np.float32)
    for r0 in range(a, rows, ROW_BLOCK):
        r1 = min(r0 + ROW_BLOCK, rows)
        c0 = max(int(band.lo[r0]), b)
        c1 = int(band.hi[r1 - 1])
        if c1 <= c0:
            continue
        block = src_spans[r0 - a : r1 - a] @ tgt_spans[c0 - b : c1 - b].T
        cols = band.lo[r0:r1, None] + np.arange(width)[None, :]
        inside = (cols >= c0) & (cols < np.minimum(band.hi[r0:r1, None], c1))
        picked = np.take_along_axis(block, np.clip(cols - c0, 0, c1 - c0 - 1), axis=1)
        out[r0:r1] = np.where(inside, picked, np.nan)
    return out


def _calibrate_null(sim11: NDArray[np.float32], src: Matrix, tgt: Matrix) -> tuple[float, float]:
    """Typical matching and non-matching similarity of this document pair.

    The best similarity in each row of the band is mostly a true translation; random pairs
    of sentences mostly are not. Their medians anchor the null score, so a document pair
    with generally low similarities (a loose translation, a weaker encoder) is not pushed
    into null beads. The random pairs come from a fixed-seed generator over the whole
    documents, so the anchors do not depend on the band (banded and full search agree).
    """
    finite = np.where(np.isnan(sim11), -np.inf, sim11)
    row_best = finite.max(axis=1, initial=-np.inf)
    best = row_best[np.isfinite(row_best)]
    matching = float(np.median(best)) if best.size else 0.5
    rng = np.random.default_rng(0)
    count = min(NULL_SAMPLE, len(src) * len(tgt))
    rows = rng.integers(0, len(src), count)
    cols = rng.integers(0, len(tgt), count)
    others = float(np.median(np.einsum("ij,ij->i", src[rows], tgt[cols]))) if count else 0.0
    if matching <= others:
        matching = others + 0.1
    return matching, others


def _margins(sim11: NDArray[np.float32], band: Band, m: int, k: int = 4) -> tuple[
    NDArray[np.float32], NDArray[np.float32]
]:
    """Mean of the k best band similarities of each source row and each target column."""
    filled = np.where(np.isnan(sim11), -np.inf, sim11)
    kk = min(k, filled.shape[1])
    top_rows = -np.partition(-filled, kk - 1, axis=1)[:, :kk]
    finite_top = np.isfinite(top_rows)
    row_margin = np.where(finite_top, top_rows, 0.0).sum(axis=1) / np.maximum(
        finite_top.sum(axis=1), 1)
    rows, ks = np.nonzero(np.isfinite(filled))
    cols = band.lo[rows] + ks
    values = filled[rows, ks]
    order = np.lexsort((-values, cols))
    cols, values = cols[order], values[order]
    rank = np.arange(len(cols)) - np.searchsorted(cols, cols, side="left")
    keep = rank < k
    sums = np.bincount(cols[keep], weights=values[keep], minlength=m + 1)
    counts = np.bincount(cols[keep], minlength=m + 1)
    col_margin = sums / np.maximum(counts, 1)
    return row_margin.astype(np.float32), col_margin.astype(np.float32)


def _banded_dp(
    src: Side, tgt: Side, band: Band, shapes: Sequence[tuple[int, int]], params: SearchParams
) -> SearchResult:
    n, m = src.size, tgt.size
    width = band.width
    match_shapes = [(a, b) for a, b in shapes if a and b]
    max_src = max(a for a, _ in shapes)
    max_tgt = max(b for _, b in shapes)
    src_spans = {a: _span_vectors(src.embedding, a, n) for a in range(1, max_src + 1)}
    tgt_spans = {b: _span_vectors(tgt.embedding, b, m) for b in range(1, max_tgt + 1)}
    sims = {(a, b): _banded_similarity(src_spans[a], tgt_spans[b], a, b, band)
            for a, b in match_shapes}

    matching, others = _calibrate_null(sims[(1, 1)], src.embedding.sentences,
                                       tgt.embedding.sentences)
    scale = 1.0 / (matching - others)

    src_cum = np.concatenate([[0.0], np.cumsum(src.lengths)])
    tgt_cum = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
    log_ratio = np.log((tgt_cum[-1] + 1.0) / (src_cum[-1] + 1.0))
    cols = band.lo[:, None] + np.arange(width)[None, :]  # j for every (i, k)
    rows = np.arange(n + 1)[:, None]
    src_par = np.concatenate([src.paragraph_starts, [True]])
    tgt_par = np.concatenate([tgt.paragraph_starts, [True]])
    use_paragraphs = params.paragraph_weight > 0 and src_par[:-1].sum() > 1 and (
        tgt_par[:-1].sum() > 1)
    # starts_cum[k] = paragraph starts among sentences 0 .. k-1.
    src_starts_cum = np.concatenate([[0], np.cumsum(src.paragraph_starts)])
    tgt_starts_cum = np.concatenate([[0], np.cumsum(tgt.paragraph_starts)])
    if params.margin_weight:
        row_margin, col_margin = _margins(sims[(1, 1)], band, m)

    scores: dict[tuple[int, int], NDArray[np.float64]] = {}
    for (a, b), sim in sims.items():
        with np.errstate(invalid="ignore"):
            value = (sim.astype(np.float64) - others) * scale
            if params.margin_weight:
                margin = (row_margin[np.clip(rows, 0, n)] + col_margin[np.clip(cols, 0, m)]) / 2
                value -= params.margin_weight * (margin - others) * scale
            s_len = src_cum[np.clip(rows, a, n)] - src_cum[np.clip(rows - a, 0, n)]
            t_len = tgt_cum[np.clip(cols, b, m)] - tgt_cum[np.clip(cols - b, 0, m)]
            ratio = np.abs(np.log((t_len + 10.0) / (s_len + 10.0)) - log_ratio)
            value -= params.length_weight * ratio
            value -= params.merge_cost * (a + b - 2)
            if use_paragraphs:
                s_start = src_par[np.clip(rows - a, 0, n)]
                t_start = tgt_par[np.clip(cols - b, 0, m)]
                value += params.paragraph_weight * np.where(s_start == t_start,
                                                             s_start.astype(float), -1.0)
                # A bead that runs across a paragraph break on one side but not the other.
                s_cross = src_starts_cum[np.clip(rows, 0, n)] > src_starts_cum[
                    np.clip(rows - a + 1, 0, n)]
                t_cross = tgt_starts_cum[np.clip(cols, 0, m)] > tgt_starts_cum[
                    np.clip(cols - b + 1, 0, m)]
                value -= 2 * params.paragraph_weight * (s_cross != t_cross)
        weight = ((a + b) / 2) ** params.size_exponent
        scores[(a, b)] = np.where(np.isnan(value), NEG_INF, value * weight)

    # A null bead is worth half the score at which a 1-1 bead stops paying (null_point).
    null_score = params.null_point * 0.5 ** params.size_exponent / 2
    beads = _run_dp(n, m, band, shapes, scores, null_score, sims)
    return SearchResult(beads, matching, others)


def _run_dp(
    n: int,
    m: int,
    band: Band,
    shapes: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], NDArray[np.float64]],
    null_score: float,
    sims: dict[tuple[int, int], NDArray[np.float32]],
) -> tuple[RawBead, ...]:
    width = band.width
    # Each row of ``total`` is padded with NEG_INF on both sides, so that the cells a bead
    # reaches back to in an earlier row are always one contiguous slice: no index arrays and
    # no masks in the loop, about a dozen numpy calls per row.
    pad = width + max(b for _, b in shapes)
    total = np.full((n + 1, width + 2 * pad), NEG_INF)
    back = np.full((n + 1, width), -1, np.int8)
    from_rows = [(s, a, b) for s, (a, b) in enumerate(shapes) if a]
    insert_shape = shapes.index((0, 1))
    deletion = np.full(width, null_score)
    candidates = np.empty((len(from_rows), width))
    arange = np.arange(width)
    for i in range(n + 1):
        lo, hi = int(band.lo[i]), int(band.hi[i])
        valid = arange < hi - lo
        if i == 0:
            best = np.where(arange == 0, 0.0, NEG_INF) if lo == 0 else np.full(width, NEG_INF)
            choice = np.full(width, -1, np.int8)
        else:
            for row, (_, a, b) in enumerate(from_rows):
                if i < a:
                    candidates[row] = NEG_INF
                    continue
                start = min(max(lo - b - int(band.lo[i - a]) + pad, 0), width + pad)
                np.add(total[i - a, start : start + width],
                       scores[(a, b)][i] if b else deletion, out=candidates[row])
            picked = candidates.argmax(axis=0)
            best = candidates[picked, arange]
            choice = np.asarray([s for s, _, _ in from_rows], np.int8)[picked]
        # Target-only beads within the row: best[j] = max_k<=j (best[k] + (j-k) * null).
        cum = np.cumsum(np.where(valid, null_score, 0.0))
        running = np.maximum.accumulate(best - cum) + cum
        # Strictly better by more than rounding: (x - c) + c can exceed x by one ulp.
        from_insert = running > best + 1e-9
        best = np.where(from_insert, running, best)
        choice = np.where(from_insert, insert_shape, choice)
        total[i, pad : pad + width] = np.where(valid, best, NEG_INF)
        back[i] = np.where(valid, choice, -1)

    beads: list[RawBead] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(band.lo[i])
        s = int(back[i, k])
        if s < 0:
            raise RuntimeError(f"alignment search lost its path at ({i}, {j})")  # a bug, not input
        a, b = shapes[s]
        sim = float(sims[(a, b)][i, k]) if a and b else 0.0
        beads.append(RawBead(i - a, i, j - b, j, sim))
        i, j = i - a, j - b
    return tuple(reversed(beads))
