"""aligner.translit: schemes, variants, phonetic keys and name similarity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.translit import (
    SCHEMES,
    edit_distance,
    latin_variants,
    name_similarity,
    similarity,
    skeleton,
    transliterate,
)


@pytest.mark.parametrize(("word", "scheme", "latin"), [
    ("Шойгу", "bgn", "shoygu"),
    ("Шойгу", "icao", "shoigu"),
    ("Шойгу", "scholarly", "sojgu"),
    ("Евгений", "bgn", "yevgeniy"),
    ("Небензя", "alalc", "nebenzia"),
    ("Щукин", "bgn", "shchukin"),
    ("Ёлкин", "bgn", "yolkin"),
    ("Хрущёв", "bgn", "khrushchyov"),
    ("Подъячев", "icao", "podieiachev"),
])
def test_schemes(word: str, scheme: str, latin: str) -> None:
    assert transliterate(word, scheme) == latin


def test_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="known"):
        transliterate("Лавров", "gost")


@pytest.mark.parametrize(("word", "spelling"), [
    ("Небензя", "nebenzya"), ("Небензя", "nebenzia"), ("Зеленский", "zelensky"),
    ("Зеленский", "zelenskiy"), ("Сергей", "sergei"), ("Сергей", "sergey"),
    ("Джонсон", "jonson"), ("Ёлкин", "elkin"), ("Дарья", "daria"), ("Дарья", "darya"),
    ("Захаров", "zakharov"), ("Захаров", "zaharov"),
])
def test_variants_cover_english_usage(word: str, spelling: str) -> None:
    assert spelling in latin_variants(word)


@pytest.mark.parametrize(("ru", "en"), [
    ("Лавров", "Lavrov"), ("Шойгу", "Shoigu"), ("Шойгу", "Shoygu"), ("Захарова", "Zakharova"),
    ("Небензя", "Nebenzia"), ("Небензя", "Nebenzya"), ("Блинкен", "Blinken"),
    ("Зеленский", "Zelenskyy"), ("Чавушоглу", "Çavuşoğlu"), ("Макрон", "Macron"),
    ("Шольц", "Scholz"), ("Песков", "Peskov"),
])
def test_names_match_exactly(ru: str, en: str) -> None:
    assert name_similarity([ru], en) == 1.0


@pytest.mark.parametrize(("ru", "en", "low", "high"), [
    (["Захаровой", "захаров"], "Zakharova", 0.85, 1.0),
    (["Гутерриш"], "Guterres", 0.8, 0.9),
    (["Байден"], "Biden", 0.8, 0.9),
    (["Лавров"], "Putin", 0.0, 0.2),
    (["Петров"], "Popov", 0.0, 0.6),
])
def test_similarity_bands(ru: list[str], en: str, low: float, high: float) -> None:
    assert low <= name_similarity(ru, en) <= high


def test_skeleton_merges_spelling_systems() -> None:
    assert skeleton("Zelenskyy") == skeleton("Zelenskiy") == skeleton("Zelensky")
    assert skeleton("Tsipras") == skeleton("Tzipras")
    assert skeleton("Kharkov") == skeleton("Harkov")


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГ", min_size=1, max_size=12))
def test_every_scheme_gives_ascii(word: str) -> None:
    for scheme in SCHEMES:
        assert transliterate(word, scheme).isascii()
    assert all(v.isascii() for v in latin_variants(word))
    assert len(latin_variants(word)) <= 64


@given(st.text(max_size=8), st.text(max_size=8))
def test_edit_distance_is_a_metric(a: str, b: str) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert (edit_distance(a, b) == 0) == (a == b)
    assert 0.0 <= similarity(a, b) <= 1.0
