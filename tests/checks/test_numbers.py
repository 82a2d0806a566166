"""numbers.v1: pass/fail pairs from diplomatic phrasing, spans, severities, and the reader."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks.base import Category, PairCheck
from aligner.checks.numbers import Numerals, find_numbers, load_numerals, parse_numerals
from aligner.errors import FormatError

CASES = Path(__file__).parent / "cases" / "numbers.tsv"


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def numerals(context: CheckContext) -> Numerals:
    from aligner.checks.numbers import _numerals

    return _numerals(context)


def pair_check(name: str) -> PairCheck:
    check = registered()[name].run_pair
    assert check is not None
    return check


def run(ru: str, en: str, context: CheckContext) -> list:
    return list(pair_check("numbers.v1")(Pair(0, ru, en), context))


def values(text: str, lang: str, numerals: Numerals) -> list[object]:
    return [q.keys[0][1] for q in find_numbers(text, lang, numerals)]


def test_cases_file_is_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    passes = sum(case["expect"] == "pass" for case in cases)
    assert passes >= len(cases) / 2
    assert {case["expect"] for case in cases} == {"pass", "fail"}


@pytest.mark.parametrize("case", read_cases(CASES), ids=lambda case: case["note"][:60])
def test_case(case: dict[str, str], context: CheckContext) -> None:
    findings = run(case["ru"], case["en"], context)
    if case["expect"] == "pass":
        assert findings == [], [f.message for f in findings]
    else:
        assert findings, case["note"]


def test_changed_figure_is_critical_with_both_spans(context: CheckContext) -> None:
    ru = "В результате обстрелов вынуждены были покинуть свои дома более 20 тыс. человек."
    en = "More than 30,000 people were forced to leave their homes as a result of the shelling."
    (finding,) = run(ru, en, context)
    assert finding.severity is Severity.CRITICAL
    assert finding.category is Category.MISTRANSLATION
    (src_span,), (tgt_span,) = finding.src_spans, finding.tgt_spans
    assert ru[slice(*src_span)] == "20 тыс."
    assert en[slice(*tgt_span)] == "30,000"
    assert "«20 тыс.» (20,000)" in finding.message
    assert '"30,000"' in finding.message


def test_omission_and_addition_are_major(context: CheckContext) -> None:
    ru = "Российская сторона направила в регион 100 млн. долларов гуманитарной помощи."
    en = "The Russian side has sent humanitarian aid to the region."
    (finding,) = run(ru, en, context)
    assert finding.severity is Severity.MAJOR
    assert finding.category is Category.OMISSION
    assert ru[slice(*finding.src_spans[0])] == "100 млн."
    assert finding.tgt_spans == ()

    (added,) = run("Миссия посетила лагеря беженцев.", "The mission visited 12 refugee camps.",
                   context)
    assert added.severity is Severity.MAJOR
    assert added.category is Category.ADDITION
    assert added.src_spans == ()
    assert "The mission visited 12 refugee camps."[slice(*added.tgt_spans[0])] == "12"


def test_symbol_compared_as_a_whole_token(context: CheckContext) -> None:
    ru = "Совет подтвердил все положения резолюции S/RES/2231 (2015)."
    en = "The Council reaffirmed all the provisions of resolution S/RES/2213 (2015)."
    (finding,) = run(ru, en, context)
    assert ru[slice(*finding.src_spans[0])] == "S/RES/2231"
    assert en[slice(*finding.tgt_spans[0])] == "S/RES/2213"


def test_spelled_out_ordinal_span(context: CheckContext) -> None:
    (finding,) = run("Шестьдесят девятая сессия", "Seventieth session", context)
    assert finding.src_spans == ((0, len("Шестьдесят девятая")),)
    assert finding.tgt_spans == ((0, len("Seventieth")),)


def test_a_changed_date_is_left_to_dates(context: CheckContext) -> None:
    ru = "Переговоры состоялись 12 марта 2024 г. в Женеве, в них участвовали 5 делегаций."
    en = "The talks were held on 13 March 2024 in Geneva with 5 delegations taking part."
    assert run(ru, en, context) == []
    dates = list(pair_check("dates.v1")(Pair(0, ru, en), context))
    assert len(dates) == 1
    # A year written alone against the year of a date on the other side is one finding.
    assert run("в марте 2015 года", "in 2015", context) == []


def test_list_markers_and_pages_are_minor(context: CheckContext) -> None:
    ru = "138. Представитель Центра также остановился на этих вопросах."
    en = "137. The representative of the Centre also addressed those issues."
    (finding,) = run(ru, en, context)
    assert finding.severity is Severity.MINOR
    assert ru[slice(*finding.src_spans[0])] == "138"


def test_reading_locale_formats(numerals: Numerals) -> None:
    assert values("1 000,5", "ru", numerals) == [Decimal("1000.5")]
    assert values("1\u00a0000\u202f000", "ru", numerals) == [Decimal(1_000_000)]
    assert values("1,000.5", "en", numerals) == [Decimal("1000.5")]
    assert values("1,5 млрд", "ru", numerals) == [Decimal("1.5E9")]
    assert values("$1.5 billion", "en", numerals) == [Decimal("1.5E9")]
    assert values("20 тысяч", "ru", numerals) == [Decimal(20000)]
    assert values("двадцать тысяч", "ru", numerals) == [Decimal(20000)]
    assert values("two hundred and five", "en", numerals) == [Decimal(205)]
    assert values("sixty-ninth", "en", numerals) == [Decimal(69)]
    assert values("шестьдесят девятой", "ru", numerals) == [Decimal(69)]
    assert values("в две трети", "ru", numerals) == [Fraction(2, 3)]
    assert values("two-thirds", "en", numerals) == [Fraction(2, 3)]


def test_pronoun_one_is_weak(numerals: Numerals) -> None:
    for text, lang in (("one of the five", "en"), ("no one", "en"),
                       ("одна из пяти", "ru"), ("ни один", "ru")):
        ones = [q for q in find_numbers(text, lang, numerals) if q.keys[0][1] == 1]
        assert ones and all(q.strength.value == "weak" for q in ones), text


def test_times(numerals: Numerals) -> None:
    assert values("в 15 ч. 00 м.", "ru", numerals) == [900]
    assert values("в 7 часов вечера", "ru", numerals) == [19 * 60]
    assert values("at 3 p.m.", "en", numerals) == [900]
    assert values("at 10.15 a.m.", "en", numerals) == [615]


def test_null_bead_and_other_languages(context: CheckContext) -> None:
    assert run("", "12 people", context) == []
    pair = Pair(0, "12 personnes", "12 people", src_lang="fr")
    assert list(pair_check("numbers.v1")(pair, context)) == []


def test_malformed_list_line() -> None:
    with pytest.raises(FormatError, match=r"numerals\.tsv:2"):
        parse_numerals(["lang\tword\tvalue\tkind\tordinal", "en\tten\tX\tnumber\tno"],
                       "numerals.tsv", analyzer=None)


def test_packaged_list_loads() -> None:
    numerals = load_numerals()
    assert numerals.get("ru", "пятидесяти") is not None
    assert numerals.get("en", "twentieth") is not None


def test_registered_title() -> None:
    spec = registered()["numbers.v1"]
    assert spec.severity is Severity.CRITICAL
    assert spec.category is Category.MISTRANSLATION
    assert spec.title == "Numbers changed, dropped or added"


_PIECES = st.sampled_from([
    *"0123456789 ,.-–/:%$½()«»\"IVX", "\u00a0", "тыс.", "млн", "million", " ч. ", " м.", "марта",
    "March", "May", "a.m.", "p.m.", "пятидесяти", "sixty-", "ninth", "трети", "two-thirds",
    "S/RES/", "2015", "1/2", " с половиной", "-го", "th", "двадцать первого", "летний", "час. ",
])
_TEXT = st.lists(_PIECES, max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(ru=_TEXT, en=_TEXT)
def test_never_raises_and_spans_stay_inside(ru: str, en: str, context: CheckContext) -> None:
    for finding in pair_check("numbers.v1")(Pair(0, ru, en), context):
        assert all(0 <= start < end <= len(ru) for start, end in finding.src_spans)
        assert all(0 <= start < end <= len(en) for start, end in finding.tgt_spans)
        assert finding.src_spans or finding.tgt_spans
