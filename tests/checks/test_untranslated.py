"""untranslated.v1: Russian left in the English, Cyrillic look-alikes; pass/fail pairs.

Run as a script to count findings on the UN devset (all of them false: the English there
has no Cyrillic)::

    python tests/checks/test_untranslated.py ../shared/data/parallel/un-v1-devset 0 2000
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from casefile import read_cases, run_check

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks.base import Category, Divergence

CASES = Path(__file__).parent / "cases" / "untranslated.tsv"


def run(ru: str, en: str, context: CheckContext | None = None) -> list[Divergence]:
    return run_check("untranslated.v1", ru, en, context)


@pytest.mark.parametrize(("expect", "ru", "en", "note"), read_cases(CASES))
def test_cases(expect: str, ru: str, en: str, note: str) -> None:
    found = run(ru, en)
    assert bool(found) == (expect == "fail"), (note, [d.message for d in found])


def test_cases_are_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(c[0] == "pass" for c in cases) >= len(cases) / 2 - 1


def test_registered_as_major_untranslated() -> None:
    spec = registered()["untranslated.v1"]
    assert spec.severity is Severity.MAJOR
    assert spec.category is Category.UNTRANSLATED
    assert spec.title.startswith("Russian left untranslated")


def test_russian_run_spans_both_sides() -> None:
    ru = "Мы ожидаем от Вашингтона конструктивного подхода."
    en = "We expect from Washington конструктивного подхода."
    (found,) = run(ru, en)
    assert found.severity is Severity.MAJOR
    assert [en[a:b] for a, b in found.tgt_spans] == ["конструктивного подхода"]
    assert [ru[a:b] for a, b in found.src_spans] == ["конструктивного подхода"]


def test_latin_word_splits_runs() -> None:
    en = "The sides discussed вопросы with partners from Москвы."
    found = run("Стороны обсудили вопросы с партнёрами из Москвы.", en)
    assert [[en[a:b] for a, b in d.tgt_spans] for d in found] == [["вопросы"], ["Москвы"]]


def test_homoglyph_is_minor_and_names_the_letter() -> None:
    en = "According to WНO data, cases are growing."
    (found,) = run("По данным ВОЗ, число случаев растёт.", en)
    assert found.severity is Severity.MINOR
    assert [en[a:b] for a, b in found.tgt_spans] == ["WНO"]
    assert found.src_spans == ()
    assert "«Н»" in found.message


def test_identical_russian_segment_is_one_finding() -> None:
    text = "Москва выступает против односторонних санкций."
    (found,) = run(text, text)
    assert found.severity is Severity.MAJOR
    assert found.src_spans == ((0, len(text)),) and found.tgt_spans == ((0, len(text)),)


def test_english_source_russian_target() -> None:
    check = registered()["untranslated.v1"].run_pair
    assert check is not None
    en = "Russia призывает the parties to exercise restraint."
    found = list(check(Pair(0, en, "Россия призывает стороны к сдержанности.", "en", "ru"),
                       CheckContext()))
    assert [[en[a:b] for a, b in d.src_spans] for d in found] == [["призывает"]]


def test_null_bead() -> None:
    assert run("Россия призывает стороны.", "") == []


def measure(folder: str, first: int, last: int) -> None:
    root = Path(folder)
    ru_lines = (root / "UNv1.0.devset.ru").read_text("utf-8").splitlines()[first:last]
    en_lines = (root / "UNv1.0.devset.en").read_text("utf-8").splitlines()[first:last]
    context = CheckContext()
    found = Counter[str]()
    for ru, en in zip(ru_lines, en_lines, strict=True):
        for divergence in run(ru, en, context):
            found[divergence.severity.value] += 1
    n = len(ru_lines)
    print(f"pairs {n}: false findings per 100 pairs",
          {k: round(v * 100 / n, 2) for k, v in sorted(found.items())})


if __name__ == "__main__":
    measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
