"""The learned bead scorer: text facts, features, shipped weights, and the second pass."""

from __future__ import annotations

import functools
import json
from dataclasses import replace

import numpy as np
import pytest

from aligner import align as search_module
from aligner.align import Band, RawBead, SearchParams, SearchResult, Side, SumEmbedding, search
from aligner.beadscore import (
    MATCH_FEATURES,
    NULL_FEATURES,
    BandContext,
    BeadScorer,
    _Prepared,
    match_features,
    text_facts,
)
from aligner.errors import FormatError


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _side(vectors: np.ndarray, texts: list[str]) -> Side:
    return Side(SumEmbedding(vectors), np.array([len(t) for t in texts], float),
                np.zeros(len(texts), np.bool_), text_facts(texts))


def _parallel(n: int, seed: int, noise: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = _unit(rng.normal(size=(n, 32)))
    return src, _unit(src + noise * rng.normal(size=src.shape))


# --- Text facts --------------------------------------------------------------------------------


def test_numbers_match_across_digit_grouping_and_decimal_marks() -> None:
    facts = text_facts(["Выделено 20 000 рублей и 3,5 тонны.", "It allocated 20,000 roubles "
                        "and 3.5 tonnes.", "Nothing numeric here."])
    assert facts.numbers[0] == facts.numbers[1] != 0
    assert facts.numbers[2] == 0


def test_names_match_across_scripts_and_case_endings() -> None:
    facts = text_facts(["Он встретил Каренину и Вронского.", "He met Karenina and Vronsky.",
                        "He met nobody."])
    assert facts.names[0] & facts.names[1] == facts.names[0] != 0
    # A capital at the start of a sentence is not a name.
    assert facts.names[2] == 0


def test_punctuation_endings_words_and_list_items() -> None:
    facts = text_facts(["-- Что это? -- спросила она.", "“What is this?” she asked!",
                        "1. Первый пункт;", "他说：“你好？”"])
    question, exclamation, quote, dash = 0, 1, 2, 3
    assert facts.punctuation[0, question] == 1 and facts.punctuation[0, dash] == 2
    assert facts.punctuation[1, quote] == 2 and facts.punctuation[1, exclamation] == 1
    assert facts.punctuation[3, question] == 1 and facts.punctuation[3, quote] == 2
    assert list(facts.ending) == [1, 3, 6, 2]  # ".", "!", ";", "？" inside closing quotes
    assert list(facts.list_item) == [False, False, True, False]
    assert facts.words[3] == 5  # every CJK character counts as a word


def test_apostrophes_inside_words_are_not_quotation_marks() -> None:
    facts = text_facts(["It's Anna's book.", "'Go,' she said."])
    assert facts.punctuation[0, 2] == 0 and facts.punctuation[1, 2] == 2


def test_empty_document_has_empty_facts() -> None:
    facts = text_facts([])
    assert facts.size == 0 and facts.numbers.shape == (0,)


# --- Features ----------------------------------------------------------------------------------


def _context(src_texts: list[str], tgt_texts: list[str], seed: int = 1) -> BandContext:
    src_vectors, tgt_vectors = _parallel(max(len(src_texts), len(tgt_texts)), seed)
    src = _side(src_vectors[: len(src_texts)], src_texts)
    tgt = _side(tgt_vectors[: len(tgt_texts)], tgt_texts)
    n, m = src.size, tgt.size
    band = Band.full(n, m)
    shapes = SearchParams().bead_shapes()
    sims = search_module._band_similarities(src, tgt, band, shapes)
    path = np.minimum(np.arange(n + 1), m)
    assert src.facts is not None and tgt.facts is not None
    return BandContext(src.facts, tgt.facts, src.paragraph_starts, tgt.paragraph_starts, band,
                       sims, 0.8, 0.0, path, path)


def _feature(ctx: BandContext, a: int, b: int, i: int, j: int, name: str) -> float:
    flat, features = match_features(_Prepared(ctx), a, b)
    cell = i * ctx.band.width + j - int(ctx.band.lo[i])
    return float(features[MATCH_FEATURES.index(name), int(np.searchsorted(flat, cell))])


def test_features_see_shared_numbers_questions_and_shape() -> None:
    ctx = _context(["Было 12 участников.", "Кто пришёл?", "Все."],
                   ["There were 12 participants.", "Who came?", "Everyone."])
    assert _feature(ctx, 1, 1, 1, 1, "numbers_shared") == 1.0
    assert _feature(ctx, 1, 1, 1, 2, "numbers_one_side") == 1.0
    assert _feature(ctx, 1, 1, 2, 2, "question_one_side") == 0.0
    assert _feature(ctx, 1, 1, 2, 1, "question_one_side") == 1.0
    assert _feature(ctx, 2, 1, 2, 1, "shape_2_1") == 1.0
    assert _feature(ctx, 1, 1, 1, 1, "path_distance") == 0.0
    assert _feature(ctx, 1, 1, 1, 3, "path_distance") == 2.0


def test_every_candidate_gets_finite_features() -> None:
    ctx = _context(["Один.", "Два!", "Три?", "Четыре."], ["One.", "Two!", "Three?"])
    pre = _Prepared(ctx)
    for a, b in SearchParams().bead_shapes():
        if a and b:
            flat, features = match_features(pre, a, b)
            assert features.shape == (len(MATCH_FEATURES), len(flat))
            assert np.isfinite(features).all()


# --- Weights -----------------------------------------------------------------------------------


def test_shipped_weights_load_with_every_feature() -> None:
    scorer = BeadScorer.load()
    assert len(scorer.match) == len(MATCH_FEATURES)
    assert len(scorer.null_src) == len(scorer.null_tgt) == len(NULL_FEATURES)
    assert all(np.isfinite(scorer.match)) and scorer.version


def test_weights_missing_a_feature_are_a_format_error(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = {"version": "x", "weights": {"match": {}, "null_src": {}, "null_tgt": {}}}
    with pytest.raises(KeyError):
        BeadScorer.from_dict(data)
    broken = tmp_path / "beadscorer.json"
    broken.write_text(json.dumps(data), encoding="utf-8")

    class Folder:
        def joinpath(self, name: str):  # type: ignore[no-untyped-def]
            return broken

    monkeypatch.setattr("aligner.beadscore.resources.files", lambda package: Folder())
    with pytest.raises(FormatError, match="bead scorer"):
        BeadScorer.load()


# --- The second pass ---------------------------------------------------------------------------


def _texts(count: int, lang: str) -> list[str]:
    word = "Предложение" if lang == "ru" else "Sentence"
    return [f"{word} номер {k}." if lang == "ru" else f"{word} number {k}." for k in range(count)]


def test_second_pass_aligns_clean_parallel_text_one_to_one() -> None:
    src_vectors, tgt_vectors = _parallel(80, seed=3)
    src = _side(src_vectors, _texts(80, "ru"))
    tgt = _side(tgt_vectors, _texts(80, "en"))
    result = search(src, tgt, SearchParams(), BeadScorer.load())
    assert result.rescored
    assert [(b.src_start, b.tgt_start, b.src_end - b.src_start, b.tgt_end - b.tgt_start)
            for b in result.beads] == [(k, k, 1, 1) for k in range(80)]


def test_second_pass_off_without_facts_or_band() -> None:
    src_vectors, tgt_vectors = _parallel(20, seed=4)
    src = _side(src_vectors, _texts(20, "ru"))
    tgt = _side(tgt_vectors, _texts(20, "en"))
    scorer = BeadScorer.load()
    assert not search(replace(src, facts=None), tgt, SearchParams(), scorer).rescored
    assert not search(src, tgt, SearchParams(rescore_band=0), scorer).rescored


def test_second_pass_is_exact_over_its_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """The learned pass finds a path as good as an exhaustive search over its band."""
    rng = np.random.default_rng(5)
    src_vectors, tgt_vectors = _parallel(9, seed=5, noise=0.6)
    src = _side(src_vectors, _texts(9, "ru"))
    tgt = _side(tgt_vectors[:7], _texts(7, "en"))
    weights = BeadScorer(tuple(rng.normal(size=len(MATCH_FEATURES))),
                         tuple(rng.normal(size=len(NULL_FEATURES))),
                         tuple(rng.normal(size=len(NULL_FEATURES))), "random")
    captured: list[dict[str, object]] = []
    real_run = search_module._run_dp

    def spy(n, m, band, shapes, scores, null_src, null_tgt):  # type: ignore[no-untyped-def]
        captured.append(dict(band=band, shapes=shapes, scores=scores, null_src=null_src,
                             null_tgt=null_tgt))
        return real_run(n, m, band, shapes, scores, null_src, null_tgt)

    monkeypatch.setattr(search_module, "_run_dp", spy)
    result = search(src, tgt, SearchParams(rescore_band=1, fallback_band=1), weights)
    second = captured[-1]
    band: Band = second["band"]  # type: ignore[assignment]
    scores = second["scores"]
    null_src, null_tgt = second["null_src"], second["null_tgt"]

    def bead_score(i: int, j: int, a: int, b: int) -> float:
        if a and b:
            k = j - int(band.lo[i])
            return float(scores[(a, b)][i, k]) if 0 <= k < band.width else -1e9  # type: ignore[index]
        return float(null_src[i] if a else null_tgt[j])  # type: ignore[index]

    def inside(i: int, j: int) -> bool:
        return bool(band.lo[i] <= j < band.hi[i])

    @functools.cache
    def best(i: int, j: int) -> float:
        if not inside(i, j):
            return -1e18
        if i == 0 and j == 0:
            return 0.0
        options = [best(i - a, j - b) + bead_score(i, j, a, b)
                   for a, b in second["shapes"]  # type: ignore[attr-defined]
                   if i >= a and j >= b]
        return max(options)

    found = sum(bead_score(b.src_end, b.tgt_end, b.src_end - b.src_start, b.tgt_end - b.tgt_start)
                for b in result.beads)
    assert found == pytest.approx(best(9, 7), abs=1e-6)


def test_unsure_runs_widen_the_band_and_lone_nulls_do_not() -> None:
    def bead(i: int, j: int, a: int, b: int, sim: float) -> RawBead:
        return RawBead(i, i + a, j, j + b, sim)

    lone = SearchResult((bead(0, 0, 1, 1, 0.9), bead(1, 1, 1, 0, 0.0), bead(2, 1, 1, 1, 0.9),
                         bead(3, 2, 1, 1, 0.9)), 0.9, 0.1)
    assert not search_module.unsure_beads(lone, 0.3).any()
    run = SearchResult((bead(0, 0, 1, 1, 0.9), bead(1, 1, 1, 0, 0.0), bead(2, 1, 1, 1, 0.15),
                        bead(3, 2, 1, 1, 0.9), bead(4, 3, 1, 1, 0.9)), 0.9, 0.1)
    assert list(search_module.unsure_beads(run, 0.3)) == [True, True, True, True, False]
    band, path_lo, path_hi = search_module.path_band(run.beads, 5, 4,
                                                     np.array([1, 3, 3, 1, 1], np.intp))
    # Row i holds the columns of every bead that starts or ends there.
    assert list(path_lo) == [0, 0, 1, 1, 2, 3] and list(path_hi) == [1, 1, 2, 3, 4, 4]
    assert np.all(band.lo <= path_lo) and np.all(band.hi > path_hi)
    assert band.lo[2] == 0 and band.hi[2] == 5  # widened by 3 around the unsure beads
