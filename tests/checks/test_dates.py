"""dates.v1: pass/fail pairs from diplomatic phrasing, spans, severities, and the reader."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks._quantities import DateValue, find_dates
from aligner.checks.base import Category, PairCheck

CASES = Path(__file__).parent / "cases" / "dates.tsv"


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def pair_check(name: str) -> PairCheck:
    check = registered()[name].run_pair
    assert check is not None
    return check


def run(ru: str, en: str, context: CheckContext) -> list:
    return list(pair_check("dates.v1")(Pair(0, ru, en), context))


def readings(text: str, lang: str) -> list[tuple[DateValue, ...]]:
    return [mention.readings for mention in find_dates(text, lang)]


def test_cases_file_is_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(case["expect"] == "pass" for case in cases) >= len(cases) / 2


@pytest.mark.parametrize("case", read_cases(CASES), ids=lambda case: case["note"][:60])
def test_case(case: dict[str, str], context: CheckContext) -> None:
    findings = run(case["ru"], case["en"], context)
    if case["expect"] == "pass":
        assert findings == [], [f.message for f in findings]
    else:
        assert findings, case["note"]


def test_changed_date_is_critical_with_both_spans(context: CheckContext) -> None:
    ru = "Переговоры состоялись 12 марта 2024 г. в Женеве."
    en = "The talks were held on 13 March 2024 in Geneva."
    (finding,) = run(ru, en, context)
    assert finding.severity is Severity.CRITICAL
    assert finding.category is Category.MISTRANSLATION
    assert ru[slice(*finding.src_spans[0])] == "12 марта 2024 г."
    assert en[slice(*finding.tgt_spans[0])] == "13 March 2024"
    assert "«12 марта 2024 г.»" in finding.message and '"13 March 2024"' in finding.message
    assert finding.suggestion is not None and "12 March 2024" in finding.suggestion


def test_missing_and_added_dates_are_major(context: CheckContext) -> None:
    ru = "Встреча министров состоялась 5 мая в Москве."
    (missing,) = run(ru, "The ministers met in Moscow.", context)
    assert missing.severity is Severity.MAJOR
    assert missing.category is Category.OMISSION
    assert ru[slice(*missing.src_spans[0])] == "5 мая"

    en = "The ministers met in Moscow on 5 May."
    (added,) = run("Министры встретились в Москве.", en, context)
    assert added.severity is Severity.MAJOR
    assert added.category is Category.ADDITION
    assert en[slice(*added.tgt_spans[0])] == "5 May"


def test_range_change_points_at_the_range(context: CheckContext) -> None:
    ru = "Сессия пройдет 12–14 марта в Нью-Йорке."
    en = "The session will take place on 12-15 March in New York."
    (finding,) = run(ru, en, context)
    assert ru[slice(*finding.src_spans[0])] == "12–14 марта"
    assert en[slice(*finding.tgt_spans[0])] == "12-15 March"


def test_reading_forms() -> None:
    march_12 = DateValue(2024, 3, 12)
    assert readings("12 марта 2024 г.", "ru") == [(march_12,)]
    assert readings("12.03.2024", "ru") == [(march_12,)]
    assert readings("March 12, 2024", "en") == [(march_12,)]
    assert readings("12th of March 2024", "en") == [(march_12,)]
    assert readings("в марте 2024 года", "ru") == [(DateValue(2024, 3, None),)]
    assert readings("in March", "en") == [(DateValue(None, 3, None),)]
    assert readings("с 3 по 5 февраля", "ru") == [(DateValue(None, 2, 3),),
                                                   (DateValue(None, 2, 5),)]
    # Day and month both under 13: read both ways.
    assert readings("04/03/2015", "en") == [(DateValue(2015, 3, 4), DateValue(2015, 4, 3))]
    assert readings("двадцать первого июня", "ru") == [(DateValue(None, 6, 21),)]


def test_words_that_are_not_months() -> None:
    assert find_dates("The Committee may wish to decide. May I add?", "en") == ()
    assert find_dates("Март Лаар заявил об этом.", "ru") == ()
    assert find_dates("Они посмотрели фильм August Rush.", "en") == ()


def test_null_bead(context: CheckContext) -> None:
    assert run("5 мая", "", context) == []


def test_registered_title() -> None:
    spec = registered()["dates.v1"]
    assert spec.severity is Severity.CRITICAL
    assert spec.title == "Dates changed, dropped or added"


_PIECES = st.sampled_from([
    *"0123456789 ,.-–/:%$½()«»\"IVX", "\u00a0", "тыс.", "млн", "million", " ч. ", " м.", "марта",
    "March", "May", "a.m.", "p.m.", "пятидесяти", "sixty-", "ninth", "трети", "two-thirds",
    "S/RES/", "2015", "1/2", " с половиной", "-го", "th", "двадцать первого", "летний", "час. ",
])
_TEXT = st.lists(_PIECES, max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(ru=_TEXT, en=_TEXT)
def test_never_raises_and_spans_stay_inside(ru: str, en: str, context: CheckContext) -> None:
    for finding in pair_check("dates.v1")(Pair(0, ru, en), context):
        assert all(0 <= start < end <= len(ru) for start, end in finding.src_spans)
        assert all(0 <= start < end <= len(en) for start, end in finding.tgt_spans)
        assert finding.src_spans or finding.tgt_spans
