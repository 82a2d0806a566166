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

Scores are per bead (``size_exponent`` 0), as Bertalign scores them.

4. A second pass (``_rescore``) searches again in a narrow band around the first pass's path
   (``rescore_band``, wider where the first pass has a run of unsure beads:
   ``fallback_band``), scoring every candidate bead with the learned bead scorer
   (``beadscore.py``: similarity, shape, length, numbers, names, paragraph and list
   structure; null beads per sentence). Its similarities are read back from the first
   pass's finest level, so it costs the features, one matrix product per bead shape and one
   more row-by-row DP. The DP is exact over its band (tests compare both passes with an
   exhaustive search). With a second encoder's sentence vectors on both sides
   (``Side.second``) and weights trained with them (``BeadScorer.load(E5_MODEL)``) it also
   reads that encoder's similarities over the same band (``second_opinion``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from aligner.encoders.base import Embedding, Matrix, l2_normalise
from aligner.errors import UsageError

if TYPE_CHECKING:
    from aligner.beadscore import BeadScorer, SecondOpinion, TextFacts

# Above this many DP cells a document pair is first aligned at a coarser level (about 0.1 s of
# work at the full level).
FULL_DP_CELLS = 250_000
# Rows of the band handled by one matrix product when computing bead similarities.
ROW_BLOCK = 32
MIN_MAX_BEAD, MAX_MAX_BEAD = 2, 8
NEG_INF = -1e9
# The insertion scan's prefix sums outside the band: far below any path's score, so that a
# running maximum over (best - cum) never crosses the band's edge.
_OUTSIDE = -1e12
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
    #: Second pass: re-search with the learned bead scorer (``beadscore.py``) within this
    #: many sentences of the first pass's path; 0 turns the second pass off.
    rescore_band: int = 3
    #: Where the first pass is unsure (a null bead, or a bead whose similarity is below
    #: ``unsure_below`` on the document's scale, and the beads next to them) the second pass
    #: searches this many sentences either side instead.
    fallback_band: int = 8
    unsure_below: float = 0.3

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
    #: What the learned scorer reads from the sentences; without it only the first pass runs.
    facts: TextFacts | None = None
    #: A second encoder's L2-normalised sentence vectors (``aligner.encoders.e5``), read by
    #: a bead scorer trained with them (``BeadScorer.load(E5_MODEL)``) in the second pass
    #: only; span vectors are their normalised sums.
    second: Matrix | None = None

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
    #: The score the final pass gave the bead (the learned score after the second pass).
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The beads, and the document's typical matching and non-matching similarity."""

    beads: tuple[RawBead, ...]
    matching: float
    others: float
    #: Whether the learned second pass produced the beads.
    rescored: bool = False


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


def search(src: Side, tgt: Side, params: SearchParams,
           scorer: BeadScorer | None = None) -> SearchResult:
    """Best monotone bead sequence covering both sides exactly once.

    With a ``scorer`` (and text facts on both sides) a second pass re-searches a band around
    the first pass's path with the learned bead scores.
    """
    # The band's matrix products are small (32 rows): one BLAS thread does them fastest, and
    # several threads spin against each other (measured 56 us vs 18 ms per product on two
    # busy cores).
    with threadpool_limits(limits=1, user_api="blas"):
        first, band, sims = _search(src, tgt, params)
        if (scorer is None or params.rescore_band <= 0 or src.facts is None
                or tgt.facts is None or src.size == 0 or tgt.size == 0):
            return first
        return _rescore(src, tgt, params, first, band, sims, scorer)


Similarities = dict[tuple[int, int], NDArray[np.float32]]


def _search(src: Side, tgt: Side, params: SearchParams
            ) -> tuple[SearchResult, Band, Similarities]:
    """The first pass: its result, and the band and bead similarities of its finest level."""
    shapes = params.bead_shapes()
    n, m = src.size, tgt.size
    if n == 0 or m == 0:
        nulls = tuple(RawBead(i, i + 1, 0, 0, 0.0) for i in range(n)) + tuple(
            RawBead(n, n, j, j + 1, 0.0) for j in range(m)
        )
        return SearchResult(nulls, 1.0, 0.0), Band.full(n, m), {}
    if (n + 1) * (m + 1) <= FULL_DP_CELLS:
        band = Band.full(n, m)
    else:
        # Pairs of sentences rarely need beads beyond 1-2 and 2-1 at the coarse levels.
        coarse, _, _ = _search(_downsample(src), _downsample(tgt), replace(params, max_bead=3))
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
) -> tuple[SearchResult, Band, Similarities]:
    n, m = src.size, tgt.size
    width = band.width
    sims = _band_similarities(src, tgt, band, shapes)

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
    path = _run_dp(n, m, band, shapes, scores, np.full(n + 1, null_score),
                   np.full(m + 1, null_score))
    beads = []
    for i0, i1, j0, j1 in path:
        a, b = i1 - i0, j1 - j0
        similarity = float(sims[(a, b)][i1, j1 - band.lo[i1]]) if a and b else 0.0
        bead_score = float(scores[(a, b)][i1, j1 - band.lo[i1]]) if a and b else null_score
        beads.append(RawBead(i0, i1, j0, j1, similarity, bead_score))
    return SearchResult(tuple(beads), matching, others), band, sims


def unsure_beads(result: SearchResult, below: float) -> NDArray[np.bool_]:
    """Beads of the first pass to search widely: runs of two or more unsure beads (nulls,
    or similarity below ``below`` on the document's scale) and the beads right next to them.

    A lone null bead is the common case of a sentence left out; the first pass places those
    well, so only runs widen the band.
    """
    spread = max(result.matching - result.others, 1e-3)
    unsure = np.array([
        b.src_start == b.src_end or b.tgt_start == b.tgt_end
        or (b.similarity - result.others) / spread < below
        for b in result.beads
    ], np.bool_)
    in_run = unsure.copy()
    in_run[1:] &= unsure[:-1] | np.concatenate([unsure[2:], [False]])
    in_run[0] &= len(unsure) > 1 and bool(unsure[1])
    widened = in_run.copy()
    widened[1:] |= in_run[:-1]
    widened[:-1] |= in_run[1:]
    return widened


def path_band(beads: Sequence[RawBead], n: int, m: int,
              widths: NDArray[np.intp]) -> tuple[Band, NDArray[np.intp], NDArray[np.intp]]:
    """Band of ``widths[k]`` sentences either side of bead k, and the path's own columns.

    Returns the band and, for each row, the lowest and highest column the path visits.
    """
    starts = np.array([b.src_start for b in beads], np.intp)
    ends = np.array([b.src_end for b in beads], np.intp)
    tgt_starts = np.array([b.tgt_start for b in beads], np.intp)
    tgt_ends = np.array([b.tgt_end for b in beads], np.intp)
    # Every (bead, row) pair: bead k covers rows starts[k] .. ends[k].
    counts = ends - starts + 1
    owner = np.repeat(np.arange(len(beads)), counts)
    rows = starts[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    path_lo = np.full(n + 1, m, np.intp)
    path_hi = np.zeros(n + 1, np.intp)
    np.minimum.at(path_lo, rows, tgt_starts[owner])
    np.maximum.at(path_hi, rows, tgt_ends[owner])
    lo = np.full(n + 1, m + 1, np.intp)
    hi = np.zeros(n + 1, np.intp)
    np.minimum.at(lo, rows, np.maximum(tgt_starts - widths, 0)[owner])
    np.maximum.at(hi, rows, np.minimum(tgt_ends + widths, m)[owner] + 1)
    lo[0], hi[n] = 0, m + 1
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return Band(lo, hi), path_lo, path_hi


def second_pass_band(first: SearchResult, band: Band, n: int, m: int, params: SearchParams
                     ) -> tuple[Band, NDArray[np.intp], NDArray[np.intp]]:
    """The second pass's band: ``rescore_band`` sentences around the first path,
    ``fallback_band`` where it is unsure, within the first pass's own band."""
    widths = np.where(unsure_beads(first, params.unsure_below),
                      max(params.fallback_band, params.rescore_band), params.rescore_band)
    around, path_lo, path_hi = path_band(first.beads, n, m, widths.astype(np.intp))
    return Band(np.maximum(around.lo, band.lo), np.minimum(around.hi, band.hi)), path_lo, path_hi


def narrow_similarities(sims: Similarities, wide: Band, narrow: Band) -> Similarities:
    """The similarities of a band read back from those of a band that contains it."""
    rows = np.arange(len(narrow.lo))[:, None]
    cols = narrow.lo[:, None] + np.arange(narrow.width)[None, :]
    k = cols - wide.lo[:, None]
    inside = (cols < narrow.hi[:, None]) & (k < wide.width)
    k = np.clip(k, 0, wide.width - 1)
    return {shape: np.where(inside, sim[rows, k], np.float32(np.nan))
            for shape, sim in sims.items()}


def _rescore(src: Side, tgt: Side, params: SearchParams, first: SearchResult,
             first_band: Band, first_sims: Similarities, scorer: BeadScorer) -> SearchResult:
    from aligner.beadscore import BandContext

    assert src.facts is not None and tgt.facts is not None  # checked by search()
    n, m = src.size, tgt.size
    shapes = params.bead_shapes()
    band, path_lo, path_hi = second_pass_band(first, first_band, n, m, params)
    sims = narrow_similarities(first_sims, first_band, band)
    second = (second_opinion(src.second, tgt.second, band, shapes)
              if scorer.uses_second and src.second is not None and tgt.second is not None
              else None)
    ctx = BandContext(src.facts, tgt.facts, src.paragraph_starts, tgt.paragraph_starts, band,
                      sims, first.matching, first.others, path_lo, path_hi, second)
    scores, null_src, null_tgt = scorer.score_band(ctx, shapes)
    path = _run_dp(n, m, band, shapes, scores, null_src, null_tgt)
    beads = []
    for i0, i1, j0, j1 in path:
        a, b = i1 - i0, j1 - j0
        if a and b:
            k = j1 - int(band.lo[i1])
            beads.append(RawBead(i0, i1, j0, j1, float(sims[(a, b)][i1, k]),
                                 float(scores[(a, b)][i1, k])))
        else:
            beads.append(RawBead(i0, i1, j0, j1, 0.0,
                                 float(null_src[i1] if a else null_tgt[j1])))
    return SearchResult(tuple(beads), first.matching, first.others, rescored=True)


def second_opinion(src: Matrix, tgt: Matrix, band: Band, shapes: Sequence[tuple[int, int]]
                   ) -> SecondOpinion:
    """A second encoder's bead similarities over the band (span vectors: normalised sums of
    its sentence vectors) and its own typical matching and non-matching similarity."""
    from aligner.beadscore import SecondOpinion

    if len(src) != len(band.lo) - 1 or len(tgt) != int(band.hi[-1]) - 1:
        raise UsageError(f"the second encoder's vectors ({len(src)} source, {len(tgt)} "
                         f"target) do not match the documents ({len(band.lo) - 1}, "
                         f"{int(band.hi[-1]) - 1} sentences)",
                         hint="encode the same sentences with the second encoder")
    sims = _embedding_similarities(SumEmbedding(src), SumEmbedding(tgt), len(src), len(tgt),
                                   band, shapes)
    matching, others = _calibrate_null(sims[(1, 1)], src, tgt)
    return SecondOpinion(sims, matching, others)


def _band_similarities(src: Side, tgt: Side, band: Band, shapes: Sequence[tuple[int, int]]
                       ) -> dict[tuple[int, int], NDArray[np.float32]]:
    return _embedding_similarities(src.embedding, tgt.embedding, src.size, tgt.size, band,
                                   shapes)


def _embedding_similarities(src: Embedding, tgt: Embedding, n: int, m: int, band: Band,
                            shapes: Sequence[tuple[int, int]]
                            ) -> dict[tuple[int, int], NDArray[np.float32]]:
    match_shapes = [(a, b) for a, b in shapes if a and b]
    max_src = max(a for a, _ in shapes)
    max_tgt = max(b for _, b in shapes)
    src_spans = {a: _span_vectors(src, a, n) for a in range(1, max_src + 1)}
    tgt_spans = {b: _span_vectors(tgt, b, m) for b in range(1, max_tgt + 1)}
    return {(a, b): _banded_similarity(src_spans[a], tgt_spans[b], a, b, band)
            for a, b in match_shapes}


def _run_dp(
    n: int,
    m: int,
    band: Band,
    shapes: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], NDArray[np.float64]],
    null_src: NDArray[np.float64],
    null_tgt: NDArray[np.float64],
) -> list[tuple[int, int, int, int]]:
    """Best path as (src_start, src_end, tgt_start, tgt_end) beads.

    ``scores[(a, b)][i, k]`` scores the bead ending at row i, column ``band.lo[i] + k``;
    ``null_src[i]`` the source-only bead of sentence i - 1, ``null_tgt[j]`` the target-only
    bead of sentence j - 1 (index 0 unused).
    """
    width = band.width
    lo, hi = band.lo, band.hi
    # Each row of ``total`` is padded with NEG_INF on both sides, so that the cells a bead
    # reaches back to in an earlier row are always one contiguous run: one gather per row
    # fetches every bead shape's predecessors, about fifteen numpy calls per row in all.
    pad = width + max(b for _, b in shapes)
    row_size = width + 2 * pad
    total = np.full((n + 1) * row_size, NEG_INF)
    from_rows = [(a, b) for a, b in shapes if a]
    count = len(from_rows)
    a_of = np.array([a for a, _ in from_rows], np.intp)
    b_of = np.array([b for _, b in from_rows], np.intp)
    rows = np.arange(n + 1)
    earlier = rows[:, None] - a_of[None, :]
    reachable = earlier >= 0
    earlier = np.maximum(earlier, 0)
    start = np.clip(lo[:, None] - b_of[None, :] - lo[earlier] + pad, 0, width + pad)
    base = np.where(reachable, earlier * row_size + start, 0)  # row 0's padding: NEG_INF
    arange = np.arange(width)
    valid = arange[None, :] < (hi - lo)[:, None]
    stacked = np.empty((n + 1, count, width))
    for r, (a, b) in enumerate(from_rows):
        stacked[:, r, :] = scores[(a, b)] if b else null_src[:, None]
    stacked[~reachable] = NEG_INF
    # Outside the band nothing ends: NEG_INF there for every shape, deletions included.
    stacked[np.broadcast_to(~valid[:, None, :], stacked.shape)] = NEG_INF
    gather = base[:, :, None] + arange[None, None, :]
    # Target-only beads within a row: best[j] = max_k<=j (best[k] + inserted(k, j]), a
    # running maximum over best - cum + cum with cum the prefix sums of the insertion scores.
    # Past the band's end cum drops to OUTSIDE, so a running maximum never carries a value
    # from inside the band out of it (nor back: the outside is always a row's suffix).
    cum = np.concatenate([[0.0], np.cumsum(null_tgt[1 : m + 1]), np.zeros(width + 1)])
    cum[m + 1 :] = cum[m]
    row_cum = np.where(valid, cum[np.minimum(lo[:, None] + arange[None, :], len(cum) - 1)],
                       _OUTSIDE)
    back = np.full((n + 1, width), -1, np.int8)
    candidates = np.empty((count, width))
    for i in range(n + 1):
        if i == 0:
            best = np.where((arange == 0) & (int(lo[0]) == 0), 0.0, NEG_INF)
            choice = np.full(width, -1, np.intp)
        else:
            np.take(total, gather[i], out=candidates)
            candidates += stacked[i]
            choice = candidates.argmax(axis=0)
            best = candidates[choice, arange]
        running = np.maximum.accumulate(best - row_cum[i]) + row_cum[i]
        # Strictly better by more than rounding: (x - c) + c can exceed x by one ulp.
        from_insert = running > best + 1e-9
        best = np.where(from_insert, running, best)
        back[i] = np.where(from_insert, count, choice)
        offset = i * row_size + pad
        total[offset : offset + width] = best

    path: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        choice_ij = int(back[i, j - int(lo[i])])
        if choice_ij < 0:
            raise RuntimeError(f"alignment search lost its path at ({i}, {j})")  # a bug, not input
        a, b = from_rows[choice_ij] if choice_ij < count else (0, 1)
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    return path[::-1]
