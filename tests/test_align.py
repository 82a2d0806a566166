"""The search: exact against a slow exhaustive DP, monotone, covering, linear in band."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import align as search_module
from aligner.align import Band, SearchParams, Side, SumEmbedding, search
from aligner.errors import UsageError


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _side(vectors: np.ndarray, lengths: np.ndarray | None = None) -> Side:
    n = len(vectors)
    return Side(
        SumEmbedding(vectors),
        np.full(n, 40.0) if lengths is None else lengths,
        np.zeros(n, np.bool_),
    )


def _parallel(n: int, seed: int, noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = _unit(rng.normal(size=(n, 32)))
    tgt = _unit(src + noise * rng.normal(size=src.shape))
    return src, tgt


def _shapes(result: search_module.SearchResult) -> list[tuple[int, int]]:
    return [(b.src_end - b.src_start, b.tgt_end - b.tgt_start) for b in result.beads]


def _spans(result: search_module.SearchResult) -> list[tuple[int, int, int, int]]:
    return [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in result.beads]


def _assert_covers(result: search_module.SearchResult, n: int, m: int) -> None:
    i = j = 0
    for bead in result.beads:
        assert (bead.src_start, bead.tgt_start) == (i, j), "beads must be contiguous"
        assert bead.src_end >= bead.src_start and bead.tgt_end >= bead.tgt_start
        assert (bead.src_end - bead.src_start) + (bead.tgt_end - bead.tgt_start) > 0
        i, j = bead.src_end, bead.tgt_end
    assert (i, j) == (n, m), "beads must cover both documents exactly once"


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 7),
    m=st.integers(1, 7),
    seed=st.integers(0, 10_000),
    null_point=st.floats(-2.0, 1.5),
    max_bead=st.integers(2, 5),
)
def test_search_matches_exhaustive_dp(n: int, m: int, seed: int, null_point: float,
                                      max_bead: int) -> None:
    """The vectorised DP finds a path as good as a plain recursive search over all paths."""
    rng = np.random.default_rng(seed)
    src = _side(_unit(rng.normal(size=(n, 8))), rng.integers(5, 120, n).astype(float))
    tgt = _side(_unit(rng.normal(size=(m, 8))), rng.integers(5, 120, m).astype(float))
    params = SearchParams(null_point=null_point, max_bead=max_bead)
    captured: dict[str, object] = {}
    real_run = search_module._run_dp

    def spy(n_, m_, band, shapes, scores, null_src, null_tgt):  # type: ignore[no-untyped-def]
        captured.update(band=band, shapes=shapes, scores=scores, null_src=null_src,
                        null_tgt=null_tgt)
        return real_run(n_, m_, band, shapes, scores, null_src, null_tgt)

    search_module._run_dp = spy
    try:
        result = search(src, tgt, params)
    finally:
        search_module._run_dp = real_run
    _assert_covers(result, n, m)
    band, shapes, scores = captured["band"], captured["shapes"], captured["scores"]
    null_src, null_tgt = captured["null_src"], captured["null_tgt"]

    def bead_score(i: int, j: int, a: int, b: int) -> float:
        if a and b:
            return float(scores[(a, b)][i, j - band.lo[i]])  # type: ignore[index]
        return float(null_src[i] if a else null_tgt[j])  # type: ignore[index]

    @functools.cache
    def best(i: int, j: int) -> float:
        if i == 0 and j == 0:
            return 0.0
        options = [best(i - a, j - b) + bead_score(i, j, a, b)
                   for a, b in shapes if i >= a and j >= b]  # type: ignore[attr-defined]
        return max(options)

    found = 0.0
    for bead in result.beads:
        a, b = bead.src_end - bead.src_start, bead.tgt_end - bead.tgt_start
        found += bead_score(bead.src_end, bead.tgt_end, a, b)
    assert found == pytest.approx(best(n, m), abs=1e-6)


def test_clean_parallel_text_aligns_one_to_one() -> None:
    src, tgt = _parallel(60, seed=1)
    result = search(_side(src), _side(tgt), SearchParams())
    assert _shapes(result) == [(1, 1)] * 60


def test_merged_target_sentence_becomes_two_to_one() -> None:
    src, tgt = _parallel(30, seed=2, noise=0.1)
    merged = _unit(tgt[10:11] + tgt[11:12])
    tgt = np.vstack([tgt[:10], merged, tgt[12:]])
    lengths = np.full(30, 40.0)
    tgt_lengths = np.concatenate([np.full(10, 40.0), [80.0], np.full(18, 40.0)])
    result = search(_side(src, lengths), _side(tgt, tgt_lengths), SearchParams())
    shapes = _shapes(result)
    assert shapes[10] == (2, 1)
    assert shapes.count((1, 1)) == 28


def test_unrelated_insertion_becomes_null_bead() -> None:
    src, tgt = _parallel(40, seed=3, noise=0.1)
    rng = np.random.default_rng(99)
    extra = _unit(rng.normal(size=(1, 32)))
    tgt = np.vstack([tgt[:20], extra, tgt[20:]])
    result = search(_side(src), _side(tgt), SearchParams(null_point=0.3))
    assert (0, 1) in _shapes(result)
    null = [b for b in result.beads if b.src_end == b.src_start]
    assert [(b.tgt_start, b.tgt_end) for b in null] == [(20, 21)]


def test_long_documents_go_coarse_to_fine_and_find_the_full_dp_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past FULL_DP_CELLS the search goes coarse-to-fine; the path is the full DP's."""
    src, tgt = _parallel(800, seed=4, noise=0.2)
    banded = search(_side(src), _side(tgt), SearchParams())
    assert _shapes(banded) == [(1, 1)] * 800
    monkeypatch.setattr(search_module, "FULL_DP_CELLS", 10**7)
    assert _spans(search(_side(src), _side(tgt), SearchParams())) == _spans(banded)


def test_banded_search_agrees_with_full_search(monkeypatch: pytest.MonkeyPatch) -> None:
    # Noise 0.25 in 32 dimensions puts true pairs near cosine 0.6, random pairs near 0:
    # like real encoders. (At much higher noise the row maxima are random pairs, and the
    # document's "typical match" differs between a band and the full matrix.)
    src, tgt = _parallel(300, seed=5, noise=0.25)
    tgt = np.vstack([tgt[:100], tgt[101:]])  # one omission
    full = search(_side(src), _side(tgt), SearchParams())
    monkeypatch.setattr(search_module, "FULL_DP_CELLS", 1000)
    banded = search(_side(src), _side(tgt), SearchParams())
    assert _spans(banded) == _spans(full)


def test_band_projection_is_monotone_and_contains_corners() -> None:
    coarse = search(_side(*_parallel(20, seed=6)[:1]), _side(_parallel(20, seed=6)[1]),
                    SearchParams()).beads
    band = search_module._project(coarse, 40, 41, 4)
    assert band.lo[0] == 0 and band.hi[-1] == 42
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert np.all(band.hi > band.lo)
    assert Band.full(3, 4).width == 5


def test_empty_side_gives_null_beads() -> None:
    src, _ = _parallel(3, seed=7)
    empty = np.zeros((0, 32), np.float32)
    result = search(_side(src), _side(empty), SearchParams())
    assert _shapes(result) == [(1, 0)] * 3


def test_inputs_are_not_mutated() -> None:
    src, tgt = _parallel(50, seed=8)
    before = (src.copy(), tgt.copy())
    search(_side(src), _side(tgt), SearchParams())
    assert np.array_equal(src, before[0]) and np.array_equal(tgt, before[1])


@pytest.mark.parametrize("max_bead", [0, 1, 9, 100])
def test_impossible_max_bead_is_a_usage_error(max_bead: int) -> None:
    with pytest.raises(UsageError, match="--max-bead"):
        SearchParams(max_bead=max_bead).bead_shapes()


def test_bead_shapes_for_default() -> None:
    shapes = SearchParams(max_bead=4).bead_shapes()
    assert set(shapes) == {(1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1)}
