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
    E5_MODEL,
    MATCH_FEATURES,
    NULL_FEATURES,
    SECOND_MATCH_FEATURES,
    SECOND_NULL_FEATURES,
    BandContext,
    BeadScorer,
    _Prepared,
    match_features,
    null_features,
    text_facts,
)
from aligner.errors import FormatError, UsageError


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


def _assert_exact_over_band(monkeypatch: pytest.MonkeyPatch, src: Side, tgt: Side,
                            params: SearchParams, weights: BeadScorer) -> None:
    """The learned pass's path scores as well as an exhaustive search over its band (the
    band, scores and null scores are captured from the DP call the second pass makes)."""
    captured: list[dict[str, object]] = []
    real_run = search_module._run_dp

    def spy(n, m, band, shapes, scores, null_src, null_tgt):  # type: ignore[no-untyped-def]
        captured.append(dict(band=band, shapes=shapes, scores=scores, null_src=null_src,
                             null_tgt=null_tgt))
        return real_run(n, m, band, shapes, scores, null_src, null_tgt)

    monkeypatch.setattr(search_module, "_run_dp", spy)
    result = search(src, tgt, params, weights)
    second = captured[-1]
    band: Band = second["band"]  # type: ignore[assignment]
    scores = second["scores"]
    null_src, null_tgt = second["null_src"], second["null_tgt"]

    def bead_score(i: int, j: int, a: int, b: int) -> float:
        if a and b:
            k = j - int(band.lo[i])
            return float(scores[(a, b)][i, k]) if 0 <= k < band.width else -1e9  # type: ignore[index]
        return float(null_src[i] if a else null_tgt[j])  # type: ignore[index]

    @functools.cache
    def best(i: int, j: int) -> float:
        if not band.lo[i] <= j < band.hi[i]:
            return -1e18
        if i == 0 and j == 0:
            return 0.0
        return max(best(i - a, j - b) + bead_score(i, j, a, b)
                   for a, b in second["shapes"]  # type: ignore[attr-defined]
                   if i >= a and j >= b)

    found = sum(bead_score(b.src_end, b.tgt_end, b.src_end - b.src_start, b.tgt_end - b.tgt_start)
                for b in result.beads)
    assert found == pytest.approx(best(src.size, tgt.size), abs=1e-6)


def test_second_pass_is_exact_over_its_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """The learned pass finds a path as good as an exhaustive search over its band."""
    rng = np.random.default_rng(5)
    src_vectors, tgt_vectors = _parallel(9, seed=5, noise=0.6)
    src = _side(src_vectors, _texts(9, "ru"))
    tgt = _side(tgt_vectors[:7], _texts(7, "en"))
    # Random weights on every feature but the second encoder's (tested further down).
    first_only = np.array([not f.startswith("second_") for f in MATCH_FEATURES])
    first_only_null = np.array([not f.startswith("second_") for f in NULL_FEATURES])
    weights = BeadScorer(tuple(rng.normal(size=len(MATCH_FEATURES)) * first_only),
                         tuple(rng.normal(size=len(NULL_FEATURES)) * first_only_null),
                         tuple(rng.normal(size=len(NULL_FEATURES)) * first_only_null), "random")
    _assert_exact_over_band(monkeypatch, src, tgt, SearchParams(rescore_band=1, fallback_band=1),
                            weights)


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


# --- A second encoder's opinion (the e5 option), with a fake second encoder --------------------


def _with_second(side: Side, vectors: np.ndarray) -> Side:
    return replace(side, second=vectors)


def _scorer_with(weights: dict[str, float], base: BeadScorer | None = None) -> BeadScorer:
    """The shipped weights (or ``base``) with some features' weights set by name."""
    base = base or BeadScorer.load()
    match = list(base.match)
    null_src, null_tgt = list(base.null_src), list(base.null_tgt)
    for name, value in weights.items():
        if name.startswith("null:"):
            index = NULL_FEATURES.index(name[5:])
            null_src[index] = null_tgt[index] = value
        else:
            match[MATCH_FEATURES.index(name)] = value
    return BeadScorer(tuple(match), tuple(null_src), tuple(null_tgt), "test")


def test_default_weights_read_no_second_encoder() -> None:
    scorer = BeadScorer.load()
    assert not scorer.uses_second
    assert all(scorer.match[MATCH_FEATURES.index(f)] == 0 for f in SECOND_MATCH_FEATURES)
    assert _scorer_with({"second_z": 0.5}).uses_second
    assert _scorer_with({"null:second_best_z": 0.5}).uses_second


def test_shipped_e5_weights_read_the_second_encoder() -> None:
    scorer = BeadScorer.load(E5_MODEL)
    assert scorer.uses_second and not scorer.uses_punctuation
    assert scorer.match[MATCH_FEATURES.index("second_z")] > 0  # agreement helps a bead
    assert len(scorer.match) == len(MATCH_FEATURES) and all(np.isfinite(scorer.match))


def test_weights_without_second_features_load_them_as_zero() -> None:
    names = [f for f in MATCH_FEATURES if f not in SECOND_MATCH_FEATURES]
    nulls = [f for f in NULL_FEATURES if f not in SECOND_NULL_FEATURES]
    data = {"version": "old", "weights": {"match": dict.fromkeys(names, 1.0),
                                          "null_src": dict.fromkeys(nulls, 1.0),
                                          "null_tgt": dict.fromkeys(nulls, 1.0)}}
    scorer = BeadScorer.from_dict(data)
    assert not scorer.uses_second
    assert sum(scorer.match) == len(names)
    del data["weights"]["match"]["z"]  # type: ignore[attr-defined]
    with pytest.raises(KeyError):  # only the second encoder's features are optional
        BeadScorer.from_dict(data)


def test_second_opinion_equal_to_the_first_gives_the_same_features() -> None:
    """With the first encoder's own vectors as the second opinion, every second_* feature
    equals its first-encoder twin: same scale, parts, margin and null best match."""
    ctx = _context(["Было 12 участников.", "Кто пришёл?", "Все.", "Конец."],
                   ["There were 12 participants.", "Who came?", "Everyone.", "The end."])
    src_vectors, tgt_vectors = _parallel(4, 1)  # the vectors _context gave the first encoder
    second = search_module.second_opinion(src_vectors, tgt_vectors, ctx.band,
                                          SearchParams().bead_shapes())
    # The first encoder's view on the same document scale as the second's.
    ctx = replace(ctx, matching=second.matching, others=second.others, second=second)
    pre = _Prepared(ctx)
    twins = {"second_z": "z", "second_z_merge": "z_merge", "second_z_low": "z_low",
             "second_parts_min": "parts_min", "second_margin": "margin"}
    for a, b in SearchParams().bead_shapes():
        if a and b:
            _, features = match_features(pre, a, b)
            for second_name, first_name in twins.items():
                np.testing.assert_allclose(features[MATCH_FEATURES.index(second_name)],
                                           features[MATCH_FEATURES.index(first_name)],
                                           atol=1e-5)
    nulls = null_features(ctx.src, pre.best_src, ctx.src_paragraph_starts, pre.best2_src)
    np.testing.assert_allclose(nulls[:, NULL_FEATURES.index("second_best_z")],
                               nulls[:, NULL_FEATURES.index("best_z")], atol=1e-6)


def test_a_clear_second_opinion_repairs_a_confused_first_encoder() -> None:
    """First vectors that swap two neighbouring targets, second vectors that do not: a
    scorer that listens to the second encoder aligns one to one."""
    n = 40
    src_vectors, tgt_vectors = _parallel(n, seed=8, noise=0.2)
    confused = tgt_vectors.copy()
    confused[[10, 11]] = tgt_vectors[[11, 10]]
    src = _side(src_vectors, _texts(n, "ru"))
    tgt = _side(confused, _texts(n, "en"))
    diagonal = [(k, k, 1, 1) for k in range(n)]

    def shapes(result: SearchResult) -> list[tuple[int, int, int, int]]:
        return [(b.src_start, b.tgt_start, b.src_end - b.src_start, b.tgt_end - b.tgt_start)
                for b in result.beads]

    alone = search(src, tgt, SearchParams(), BeadScorer.load())
    assert shapes(alone) != diagonal
    listening = _scorer_with({"z": 0.0, "z_low": 0.0, "margin": 0.0, "context_before": 0.0,
                              "context_after": 0.0, "second_z": 1.0})
    second = search(_with_second(src, src_vectors), _with_second(tgt, tgt_vectors),
                    SearchParams(), listening)
    assert second.rescored and shapes(second) == diagonal


def test_scorer_that_needs_a_second_opinion_without_one_is_a_usage_error() -> None:
    src_vectors, tgt_vectors = _parallel(12, seed=9)
    src = _side(src_vectors, _texts(12, "ru"))
    tgt = _side(tgt_vectors, _texts(12, "en"))
    with pytest.raises(UsageError, match="second encoder"):
        search(src, tgt, SearchParams(), _scorer_with({"second_z": 1.0}))
    # The default scorer ignores second vectors it is given.
    plain = search(src, tgt, SearchParams(), BeadScorer.load())
    given = search(_with_second(src, src_vectors), _with_second(tgt, tgt_vectors),
                   SearchParams(), BeadScorer.load())
    assert plain == given


def test_second_vectors_of_the_wrong_length_are_a_usage_error() -> None:
    src_vectors, tgt_vectors = _parallel(12, seed=10)
    src = _with_second(_side(src_vectors, _texts(12, "ru")), src_vectors[:11])
    tgt = _with_second(_side(tgt_vectors, _texts(12, "en")), tgt_vectors)
    with pytest.raises(UsageError, match="do not match"):
        search(src, tgt, SearchParams(), _scorer_with({"second_z": 1.0}))


def test_second_pass_with_second_opinion_is_exact_over_its_band(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Random weights on every feature, the second encoder's included: still exact."""
    rng = np.random.default_rng(11)
    src_vectors, tgt_vectors = _parallel(9, seed=11, noise=0.6)
    other_src, other_tgt = _parallel(9, seed=12, noise=0.4)
    src = _with_second(_side(src_vectors, _texts(9, "ru")), other_src)
    tgt = _with_second(_side(tgt_vectors[:7], _texts(7, "en")), other_tgt[:7])
    weights = BeadScorer(tuple(rng.normal(size=len(MATCH_FEATURES))),
                         tuple(rng.normal(size=len(NULL_FEATURES))),
                         tuple(rng.normal(size=len(NULL_FEATURES))), "random")
    assert weights.uses_second
    _assert_exact_over_band(monkeypatch, src, tgt, SearchParams(rescore_band=2, fallback_band=2),
                            weights)
