"""The lexical table: loading, lookups, coverage rules, and the training script's Model 1."""

from __future__ import annotations

import gzip
import importlib.resources
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from aligner.errors import FormatError, InputError
from aligner.lexicon import (
    DEFAULT_SEEN,
    TABLE_NAME,
    Coverage,
    Lexicon,
    Stopwords,
    skeleton,
    transliterate,
)
from aligner.morph import Morphology, words

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "train_lexicon.py"
_SPEC = importlib.util.spec_from_file_location("train_lexicon", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
train_lexicon = importlib.util.module_from_spec(_SPEC)
sys.modules["train_lexicon"] = train_lexicon
_SPEC.loader.exec_module(train_lexicon)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return Morphology()


def cover(lexicon: Lexicon, morph: Morphology, ru: str, en: str) -> Coverage:
    return lexicon.coverage(words(ru), words(en), morph)


def uncovered(matches: tuple) -> list[str]:
    return [m.word.text for m in matches if m.content and not m.covered]


# --- The shipped table -------------------------------------------------------------------------

def test_shipped_table_has_the_common_diplomatic_vocabulary(lexicon: Lexicon) -> None:
    assert "state" in lexicon.translations("государство")
    assert "secur" in lexicon.translations("безопасность")
    assert "sovereign" in lexicon.translations("суверенный")
    assert {"missil", "defens"} <= lexicon.translations("ракетный") | lexicon.translations(
        "оборона")
    assert lexicon.translations("несуществующееслово") == frozenset()


def test_shipped_table_has_no_function_words(lexicon: Lexicon) -> None:
    assert lexicon.translations("и") == frozenset()
    assert lexicon.translations("в") == frozenset()
    stems = {stem for targets in lexicon.ru_to_en.values() for stem in targets}
    assert not {"the", "of", "and", "to"} & stems


def test_shipped_table_has_seen_rates(lexicon: Lexicon) -> None:
    # «ядерный» is nearly always translated; «проведение» often dissolves into the phrasing
    assert lexicon.ru_seen["ядерный"] > 0.9
    assert lexicon.ru_seen["проведение"] < lexicon.ru_seen["ядерный"]
    assert 0.0 < lexicon.en_seen["nuclear"] <= 1.0


# --- Coverage -----------------------------------------------------------------------------------

def test_a_literal_translation_is_fully_covered(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph,
                     "Россия выступает за политико-дипломатическое урегулирование кризиса.",
                     "Russia advocates a political and diplomatic settlement of the crisis.")
    assert coverage.src_share == 1.0
    assert uncovered(coverage.tgt) == []
    assert coverage.share == 1.0


def test_partners_are_symmetric_and_point_at_the_right_words(
        lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "Совет Безопасности осуждает нападение.",
                     "The Security Council condemns the attack.")
    by_text = {m.word.text: m for m in coverage.src}
    council = by_text["Совет"]
    assert [coverage.tgt[j].word.text for j in council.partners] == ["Council"]
    for i, match in enumerate(coverage.src):
        for j in match.partners:
            assert i in coverage.tgt[j].partners
    for j, match in enumerate(coverage.tgt):
        for i in match.partners:
            assert j in coverage.src[i].partners


def test_function_words_are_not_content(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "В связи с этим мы также отмечаем",
                     "In this regard, we also note")
    assert [m.word.text for m in coverage.src if m.content] == ["отмечаем"]
    assert [m.word.text for m in coverage.tgt if m.content] == ["note"]


def test_may_the_month_is_content_may_the_modal_is_not(lexicon: Lexicon) -> None:
    assert lexicon.is_en_content("May")
    assert not lexicon.is_en_content("may")


def test_numbers_match_across_locale_formatting(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "выделено 1 500 000 долл. США в 2015 году",
                     "$1,500,000 was allocated in 2015")
    assert uncovered(coverage.src) == []
    contents = [m.word.text for m in coverage.src if m.content]
    assert "долл" not in contents and "США" not in contents and "году" not in contents
    coverage = cover(lexicon, morph, "повестка дня на период после 2015 года",
                     "the post-2015 development agenda")
    assert "2015" not in uncovered(coverage.src)


def test_a_changed_number_is_not_covered(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "погибли 20 человек", "30 people were killed")
    assert uncovered(coverage.src) == ["20"]


def test_latin_words_match_as_is(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "заявление в Twitter", "a statement on Twitter")
    assert "Twitter" not in uncovered(coverage.src)


def test_names_match_by_transliteration(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "Министр встретился с Кхумало и Тимошенко",
                     "The Minister met Khumalo and Tymoshenko")
    assert uncovered(coverage.src) == []


def test_cognates_match_by_their_stem(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "транспарентность урбанизации", "urbanization transparency")
    assert uncovered(coverage.src) == []


def test_shares_are_one_without_content_words(lexicon: Lexicon, morph: Morphology) -> None:
    coverage = cover(lexicon, morph, "и в", "and the")
    assert coverage.src_content == coverage.tgt_content == 0
    assert coverage.src_share == coverage.tgt_share == coverage.share == 1.0


def test_transliterate_and_skeleton() -> None:
    assert transliterate("Жуков") == "zhukov"
    assert transliterate("Щёлково") == "shchelkovo"
    assert skeleton(transliterate("оккупация")).startswith("okupa")
    assert skeleton("occupation").startswith("okupa")


def test_stopwords_load_from_the_project_lists() -> None:
    stop = Stopwords.load()
    assert stop.is_ru("ее", "она") and stop.is_ru("рамках", "рамка")
    assert not stop.is_ru("рамки", "рамка")  # only the idiom form «в рамках» is listed
    assert stop.is_en("the") and stop.is_en("Order") and not stop.is_en("sovereignty")


# --- Reading a table ---------------------------------------------------------------------------

TABLE = (
    "ru_lemma\ten_stem\tprob\tprob_rev\n"
    "дом\thous\t0.800\t0.700\n"
    "дом\thome\t0.030\t0.010\n"
    "дом\t*\t0.950\t120\n"
    "*\thous\t0.900\t80\n"
)


def test_from_path_reads_pairs_and_seen_rows(tmp_path: Path) -> None:
    path = tmp_path / "table.tsv"
    path.write_text(TABLE, encoding="utf-8")
    lexicon = Lexicon.from_path(path)
    assert lexicon.translations("дом") == frozenset({"hous"})  # "home" is under min_prob
    assert Lexicon.from_path(path, min_prob=0.02).translations("дом") == {"hous", "home"}
    assert lexicon.ru_seen == {"дом": 0.95}
    assert lexicon.en_seen == {"hous": 0.9}


def test_from_path_reads_gzip(tmp_path: Path, morph: Morphology) -> None:
    path = tmp_path / "table.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(TABLE)
    lexicon = Lexicon.from_path(path)
    coverage = lexicon.coverage(words("Большой дом"), words("A big house"), morph)
    [house] = [m for m in coverage.tgt if m.word.text == "house"]
    assert house.covered and house.seen == 0.9
    [big] = [m for m in coverage.src if m.word.text == "Большой"]
    assert not big.covered and big.seen == DEFAULT_SEEN


def test_malformed_table_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(TABLE + "дом\thous\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.tsv:6"):
        Lexicon.from_path(path)
    path.write_text(TABLE + "дом\thous\tmuch\t0.1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a number"):
        Lexicon.from_path(path)


def test_missing_table_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"train one with scripts/train_lexicon\.py"):
        Lexicon.from_path(tmp_path / "nowhere.tsv.gz")


# --- The training script ------------------------------------------------------------------------

def test_model1_learns_a_toy_lexicon() -> None:
    ru = [[1, 2], [1], [2, 3], [3], [1, 3]]  # 1 дом, 2 большой, 3 кот
    en = [[2, 1], [1], [2, 3], [3], [1, 3]]  # 1 house, 2 big, 3 cat
    pair_id, ru_of, en_of, _, en_pos, _, en_tok = train_lexicon.flat_pairs(ru, en, 4)
    prob, counts = train_lexicon.model1(pair_id, ru_of, en_pos, en_tok[en_pos] != 0, 4,
                                        len(en_tok), iterations=10)
    best: dict[int, tuple[float, int]] = {}
    for k in range(len(ru_of)):
        if ru_of[k] and en_of[k] and prob[k] > best.get(int(ru_of[k]), (0.0, 0))[0]:
            best[int(ru_of[k])] = (prob[k], int(en_of[k]))
    assert {ru_id: en_id for ru_id, (_, en_id) in best.items()} == {1: 1, 2: 2, 3: 3}
    # t(.|ru) sums to one for every Russian word
    totals = np.bincount(ru_of, weights=prob)
    assert np.allclose(totals[1:], 1.0)
    assert counts.sum() == pytest.approx(sum(len(s) for s in en))


def test_top_k_keeps_the_best_per_group() -> None:
    group = np.array([0, 0, 0, 1, 1])
    score = np.array([0.1, 0.5, 0.3, 0.2, 0.9])
    keep = train_lexicon._top_k(group, score, np.ones(5, dtype=bool), 2)
    assert keep.tolist() == [False, True, True, True, True]


def test_shipped_table_is_well_formed() -> None:
    # Lexicon.load() reads the shipped table lazily, without checking every row: this does.
    resource = importlib.resources.files("aligner.models") / TABLE_NAME
    with importlib.resources.as_file(resource) as path:
        checked = Lexicon.from_path(path, validate=True)
    assert checked.translations("ядерный") == Lexicon.load().translations("ядерный")


def test_rows_are_found_whatever_their_order(tmp_path: Path) -> None:
    path = tmp_path / "table.tsv"
    path.write_text("ru_lemma\ten_stem\tprob\tprob_rev\n*\thous\t0.900\t80\n"
                    "дом\thous\t0.600\t0.500\nдо\tuntil\t0.700\t0.600\n"
                    "дом\t*\t0.950\t120\nдома\thome\t0.400\t0.300\n", encoding="utf-8")
    lexicon = Lexicon.from_path(path)
    assert lexicon.translations("дом") == {"hous"}
    assert lexicon.translations("до") == {"until"}
    assert lexicon.translations("дома") == {"home"}
    assert lexicon.translations("д") == frozenset()
    assert lexicon.ru_seen["дом"] == 0.95 and "до" not in lexicon.ru_seen
    assert lexicon.en_seen == {"hous": 0.9}
    assert len(lexicon.ru_to_en) == 3
