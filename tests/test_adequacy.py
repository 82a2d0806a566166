"""The per-bead adequacy model (aligner/adequacy.py) and its shipped weights."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.adequacy import (
    FEATURES,
    GROUPS,
    ROW_FEATURES,
    AdequacyModel,
    adequacy_features,
    adequacy_scores,
)
from aligner.check import CheckReport, check_pairs
from aligner.checks import CheckContext, Pair
from aligner.encoders.base import Encoder, Matrix, l2_normalise
from aligner.errors import FormatError, UsageError

#: USE's width: the shipped model weighs the products of the two sides' 512-d vectors.
DIMENSIONS = 512

FAITHFUL = ("Российская сторона неоднократно предлагала Вашингтону начать полноформатный "
            "диалог по стратегической стабильности.",
            "The Russian side has repeatedly proposed to Washington to launch a "
            "full-fledged dialogue on strategic stability.")
UNRELATED_EN = "The weather in the mountains was cold and the hotel was closed for repairs."
NUMBER = ("За три года число военнослужащих США в Европе выросло на 20 тыс. человек.",
          "Over three years, the number of US troops in Europe has increased by 20,000.")
NUMBER_CHANGED = "Over three years, the number of US troops in Europe has increased by 30,000."
NEGATION = ("Россия не намерена втягиваться в гонку вооружений.",
            "Russia does not intend to be drawn into an arms race.")
NEGATION_DROPPED = "Russia intends to be drawn into an arms race."


class MeaningEncoder(Encoder):
    """Texts that mean the same thing get the same vector; the rest are unrelated.

    ``meanings`` maps a text to a meaning id; each id is a fixed random unit vector, so a
    translation and its faithful or damaged renderings compare at cosine 1 and leave the
    difference to the other features. Named like USE so the model takes its vectors.
    """

    name = "use-m3"

    def __init__(self, meanings: dict[str, int]):
        self.meanings = meanings
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Matrix:
        self.calls.append(list(texts))
        rows = [np.random.default_rng(self.meanings.get(t, 10_000 + len(t))).normal(
            size=DIMENSIONS) for t in texts]
        return l2_normalise(np.array(rows))


@pytest.fixture(scope="module")
def context() -> CheckContext:
    return CheckContext()


@pytest.fixture(scope="module")
def model() -> AdequacyModel:
    return AdequacyModel.load()


def encoder() -> MeaningEncoder:
    return MeaningEncoder({FAITHFUL[0]: 1, FAITHFUL[1]: 1, NUMBER[0]: 2, NUMBER[1]: 2,
                           NUMBER_CHANGED: 2, NEGATION[0]: 3, NEGATION[1]: 3,
                           NEGATION_DROPPED: 3, UNRELATED_EN: 4})


def report_of(pairs: Sequence[tuple[str, str]], context: CheckContext) -> CheckReport:
    return check_pairs([Pair(k, ru, en) for k, (ru, en) in enumerate(pairs)], context=context)


def scores(pairs: Sequence[tuple[str, str]], context: CheckContext, model: AdequacyModel
           ) -> list[float]:
    found = adequacy_scores(report_of(pairs, context), encoder=encoder(), context=context,
                            model=model)
    return [a.score for a in found]


def test_shipped_model_loads_and_names_this_codes_features(model: AdequacyModel) -> None:
    data = json.loads(Path(__file__).parents[1].joinpath("models", "adequacy.json")
                      .read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert tuple(n for _, names in GROUPS for n in names) == FEATURES
    assert len(model.product_weights) == DIMENSIONS and model.encoder == "use-m3"
    assert 0.0 < model.baseline < 100.0
    assert model.version and model.version in model.signature
    assert "model_scores" not in json.dumps(data["features"])  # the MT system's own score


def test_faithful_scores_above_unrelated(context: CheckContext, model: AdequacyModel) -> None:
    faithful, unrelated = scores([FAITHFUL, (FAITHFUL[0], UNRELATED_EN)], context, model)
    assert faithful > unrelated + 20


@pytest.mark.parametrize(("good", "bad"), [(NUMBER, NUMBER_CHANGED),
                                           (NEGATION, NEGATION_DROPPED)],
                         ids=["number changed", "negation dropped"])
def test_faithful_scores_above_a_damaged_rendering(good: tuple[str, str], bad: str,
                                                   context: CheckContext,
                                                   model: AdequacyModel) -> None:
    report = report_of([good, (good[0], bad)], context)
    assert report.for_pair(1) and not report.for_pair(0)  # the checks see the damage
    faithful, damaged = adequacy_scores(report, encoder=encoder(), context=context,
                                        model=model)
    assert faithful.score > damaged.score
    assert dict(damaged.contributions)["findings"] < dict(faithful.contributions)["findings"]


def test_null_beads_score_zero(context: CheckContext, model: AdequacyModel) -> None:
    found = adequacy_scores(report_of([FAITHFUL, (NEGATION[0], ""), ("", NUMBER[1])], context),
                            encoder=encoder(), context=context, model=model)
    assert found[0].score > 0
    assert [(a.score, a.contributions) for a in found[1:]] == [(0.0, ()), (0.0, ())]


def test_contributions_sum_to_score_minus_baseline(context: CheckContext,
                                                   model: AdequacyModel) -> None:
    found = adequacy_scores(report_of([FAITHFUL, NUMBER, (NUMBER[0], NUMBER_CHANGED),
                                       (FAITHFUL[0], UNRELATED_EN)], context),
                            encoder=encoder(), context=context, model=model)
    for adequacy in found:
        assert [group for group, _ in adequacy.contributions] == [g for g, _ in GROUPS]
        total = model.baseline + sum(points for _, points in adequacy.contributions)
        clipped = min(100.0, max(0.0, total))
        assert adequacy.score == pytest.approx(clipped, abs=0.5)  # contributions are rounded
        assert 0.0 <= adequacy.score <= 100.0


def test_a_pairs_score_does_not_depend_on_the_others(context: CheckContext,
                                                     model: AdequacyModel) -> None:
    alone = scores([NEGATION], context, model)
    among = scores([FAITHFUL, NEGATION, NUMBER], context, model)
    assert alone[0] == among[1]


def test_texts_are_encoded_once_in_one_batch(context: CheckContext,
                                             model: AdequacyModel) -> None:
    used = encoder()
    adequacy_scores(report_of([FAITHFUL, FAITHFUL, (NEGATION[0], "")], context),
                    encoder=used, context=context, model=model)
    assert used.calls == [[FAITHFUL[0], FAITHFUL[1]]]


def test_given_vectors_replace_the_encoder(context: CheckContext, model: AdequacyModel) -> None:
    report = report_of([FAITHFUL, NUMBER], context)
    used = encoder()
    vectors = used.encode([FAITHFUL[0], NUMBER[0]]), used.encode([FAITHFUL[1], NUMBER[1]])
    given = adequacy_scores(report, vectors=vectors, context=context, model=model)
    assert given == adequacy_scores(report, encoder=encoder(), context=context, model=model)


def test_language_pair_without_a_lexical_table_is_neutral_there(
        context: CheckContext, model: AdequacyModel) -> None:
    pair = Pair(0, "Die Delegation hat den Entwurf angenommen.",
                "La délégation a adopté le projet.", src_lang="de", tgt_lang="fr")
    report = check_pairs([pair], context=context)
    features = adequacy_features(report, encoder=encoder(), context=context)
    assert np.isnan(features.rows[0, ROW_FEATURES.index("src_covered")])
    (adequacy,) = adequacy_scores(report, encoder=encoder(), context=context, model=model)
    assert dict(adequacy.contributions)["lexical"] == 0.0


def test_another_encoders_name_is_refused(context: CheckContext, model: AdequacyModel) -> None:
    with pytest.raises(UsageError, match="fitted on use-m3"):
        adequacy_scores(report_of([FAITHFUL], context), encoder="hf:/models/LaBSE",
                        context=context, model=model)


def _write_model(tmp_path: Path, change: dict[str, object]) -> Path:
    path = Path(__file__).parents[1] / "models" / "adequacy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(change)
    out = tmp_path / "adequacy.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


@pytest.mark.parametrize("change", [
    {"features": ["cosine"]},
    {"weights": {"cosine": 1.0}},
    {"scale": dict.fromkeys(FEATURES, 0.0)},
    {"product_weights": []},
    {"points": "linear"},
], ids=["other features", "weights missing", "zero scale", "no product weights", "points"])
def test_bad_model_file_is_a_one_line_error(tmp_path: Path, change: dict[str, object]) -> None:
    path = _write_model(tmp_path, change)
    with pytest.raises(FormatError) as caught:
        AdequacyModel.load(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "train_adequacy.py" in message


def test_unreadable_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "adequacy.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        with pytest.raises(FormatError, match="adequacy model is missing or malformed"):
            AdequacyModel.load(path)


@pytest.mark.slow
def test_real_encoder_ranks_faithful_above_damaged_and_unrelated(
        context: CheckContext, model: AdequacyModel) -> None:
    from aligner.encoders import get_encoder

    pairs = [NUMBER, (NUMBER[0], NUMBER_CHANGED), (NUMBER[0], UNRELATED_EN),
             NEGATION, (NEGATION[0], NEGATION_DROPPED)]
    found = adequacy_scores(report_of(pairs, context), encoder=get_encoder("use"),
                            context=context, model=model)
    score = [a.score for a in found]
    assert score[0] > score[1] > score[2]
    assert score[2] < 40 < min(score[0], score[3])
    # USE barely sees a lost "not": the polarity finding is what lowers that score
    assert dict(found[4].contributions)["findings"] < dict(found[3].contributions)["findings"]
