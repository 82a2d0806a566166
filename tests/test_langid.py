"""The script-based language sanity check."""

from __future__ import annotations

import pytest

from aligner.errors import LanguageMismatchError
from aligner.langid import (
    check_languages,
    dominant_script,
    expected_script,
    normalize_language,
    script_profile,
)
from aligner.read import make_document
from aligner.types import Document

RU = (
    "Министр иностранных дел России С.В.Лавров провёл телефонный разговор с Государственным "
    "секретарём США Р.Тиллерсоном. Стороны обсудили ситуацию в Сирии."
)
EN = (
    "Foreign Minister Sergey Lavrov had a telephone conversation with US Secretary of State "
    "Rex Tillerson. The sides discussed the situation in Syria."
)
ZH = "俄罗斯外交部长拉夫罗夫与美国国务卿蒂勒森通电话。双方讨论了叙利亚局势。"
DE = "Außenminister Sergej Lawrow führte ein Telefongespräch mit US-Außenminister Tillerson."


def _doc(text: str, lang: str, path: str | None = None) -> Document:
    return make_document(text, lang, path=path)


def test_script_profile_shares() -> None:
    profile = script_profile("Мир peace 和平 σ 123 !!!")
    assert profile == pytest.approx(
        {"cyrillic": 3 / 11, "latin": 5 / 11, "han": 2 / 11, "other": 1 / 11}
    )
    assert sum(profile.values()) == pytest.approx(1.0)


def test_script_profile_without_letters() -> None:
    assert script_profile("123 — !?") == {"cyrillic": 0.0, "latin": 0.0, "han": 0.0, "other": 0.0}


def test_japanese_kana_counts_as_han() -> None:
    assert (
        dominant_script("ロシア外務省のラブロフ外相は、米国のティラーソン国務長官と電話会談した。")
        == "han"
    )


def test_dominant_script_needs_clear_evidence() -> None:
    assert dominant_script(RU) == "cyrillic"
    assert dominant_script("ООН и UN") is None  # too few letters
    half = "Россия и Соединённые Штаты " + "Russia and the United States"
    assert dominant_script(half) is None


@pytest.mark.parametrize(
    ("code", "base"), [("ru", "ru"), ("RU", "ru"), ("ru-RU", "ru"), ("en_GB", "en"), ("rus", "ru")]
)
def test_normalize_language(code: str, base: str) -> None:
    assert normalize_language(code) == base


@pytest.mark.parametrize(
    ("lang", "script"),
    [("ru", "cyrillic"), ("uk", "cyrillic"), ("en-US", "latin"), ("zh", "han"), ("sr", None),
     ("xx", None)],
)  # fmt: skip
def test_expected_script(lang: str, script: str | None) -> None:
    assert expected_script(lang) == script


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        (_doc(RU, "ru"), _doc(EN, "en")),
        (_doc(EN, "en"), _doc(RU, "ru")),
        (_doc(EN, "en"), _doc(ZH, "zh")),
        (_doc(EN, "en"), _doc(DE, "de")),  # same script: nothing to check
        (_doc(EN, "en"), _doc(EN, "fr")),  # same script: cannot tell without a model
        (_doc(RU, "ru"), _doc(RU, "sr")),  # Serbian may be Cyrillic or Latin
        (_doc(EN, "xx"), _doc(EN, "en")),  # unknown language: no check
        (_doc("Да.", "ru"), _doc("Yes.", "ru")),  # too short to judge
    ],
)
def test_plausible_pairs_pass(src: Document, tgt: Document) -> None:
    check_languages(src, tgt)


def test_russian_text_with_english_names_passes() -> None:
    text = RU + " Отмечена роль ОДКБ, ШОС и БРИКС, а также JCPOA (СВПД) и New START."
    check_languages(_doc(text, "ru"), _doc(EN, "en"))


def test_both_files_english() -> None:
    with pytest.raises(LanguageMismatchError) as raised:
        check_languages(_doc(EN, "ru", "a.txt"), _doc(EN, "en", "b.txt"))
    message = str(raised.value)
    assert "both files look English" in message
    assert "a.txt" in message
    assert "ru" in message


def test_both_files_russian() -> None:
    with pytest.raises(LanguageMismatchError) as raised:
        check_languages(_doc(RU, "ru", "a.txt"), _doc(RU, "en", "b.txt"))
    message = str(raised.value)
    assert "both files look Russian" in message
    assert "b.txt" in message
    assert "--tgt-lang" in message


def test_swapped_files() -> None:
    with pytest.raises(LanguageMismatchError) as raised:
        check_languages(_doc(EN, "ru", "ru.txt"), _doc(RU, "en", "en.txt"))
    message = str(raised.value)
    assert "swapped" in message
    assert "swap the two files" in message
    assert "--src-lang en --tgt-lang ru" in message


def test_target_in_a_third_script() -> None:
    with pytest.raises(LanguageMismatchError, match="target was declared en"):
        check_languages(_doc(RU, "ru"), _doc(ZH, "en", "zh.txt"))


def test_both_in_a_third_script() -> None:
    with pytest.raises(LanguageMismatchError, match="declared ru and en"):
        check_languages(_doc(ZH, "ru"), _doc(ZH, "en"))


def test_mismatch_is_an_input_error_with_one_line() -> None:
    with pytest.raises(LanguageMismatchError) as raised:
        check_languages(_doc(EN, "ru"), _doc(EN, "en"))
    assert raised.value.exit_code == 1
    assert "\n" not in str(raised.value)
