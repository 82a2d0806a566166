"""quotes.v1: scare quotes lost or added; pass/fail pairs, the span finder, the pairing.

Run as a script to measure on the UN devset (false findings per 100 clean pairs, and
recall on the same pairs with quotes planted around a scare term on the Russian side)::

    python tests/checks/test_quotes.py ../shared/data/parallel/un-v1-devset 0 2000
"""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from casefile import read_cases, run_check
from hypothesis import given
from hypothesis import strategies as st

from aligner.checks import CheckContext, Severity, registered
from aligner.checks.base import Category, Divergence
from aligner.checks.quotes import quoted_spans, unmatched

CASES = Path(__file__).parent / "cases" / "quotes.tsv"


def run(ru: str, en: str, context: CheckContext | None = None) -> list[Divergence]:
    return run_check("quotes.v1", ru, en, context)


@pytest.mark.parametrize(("expect", "ru", "en", "note"), read_cases(CASES))
def test_cases(expect: str, ru: str, en: str, note: str, context: CheckContext) -> None:
    found = run(ru, en, context)
    assert bool(found) == (expect == "fail"), (note, [d.message for d in found])


def test_cases_are_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(c[0] == "pass" for c in cases) >= len(cases) / 2 - 1


def test_registered_as_minor_mistranslation() -> None:
    spec = registered()["quotes.v1"]
    assert spec.severity is Severity.MINOR
    assert spec.category is Category.MISTRANSLATION
    assert spec.title.startswith("A quoted span that loses or gains")


def test_lost_quotes_point_at_the_russian_span(context: CheckContext) -> None:
    ru = "Название «Газпром» известно, а «соперничество держав» навязано извне."
    en = "The name Gazprom is well known, while great-power rivalry is imposed from outside."
    (found,) = run(ru, en, context)
    assert found.severity is Severity.MINOR
    assert [ru[a:b] for a, b in found.src_spans] == ["«соперничество держав»"]
    assert found.tgt_spans == ()


def test_added_quotes_point_at_the_english_span(context: CheckContext) -> None:
    en = 'Russia supports "democracy" in the region.'
    (found,) = run("Россия поддерживает демократию в регионе.", en, context)
    assert [en[a:b] for a, b in found.tgt_spans] == ['"democracy"']


@pytest.mark.parametrize(("text", "inner"), [
    ("«так называемые» и «партнёры»", ["так называемые", "партнёры"]),
    ("<<основана на принципе>>", ["основана на принципе"]),
    ("«внешнее „вложенное“ слово»", ["внешнее „вложенное“ слово"]),
    ("„Russian style“ and “English style”", ["Russian style", "English style"]),
    ('"straight" and \'Russia’s\' ‘single’', ["straight", "single"]),
    ("Russia’s position", []),
])
def test_quoted_spans_any_style(text: str, inner: list[str]) -> None:
    spans = quoted_spans(text)
    assert spans is not None
    assert [s.text for s in spans] == inner
    assert all(text[s.start] in "«<„“\"‘" for s in spans)


@pytest.mark.parametrize("text", ["«не закрыта", "closed” here", '"one "two" three'])
def test_unbalanced_quotes_give_none(text: str) -> None:
    assert quoted_spans(text) is None


def test_pairing_leaves_the_span_without_a_counterpart() -> None:
    ru = "Они говорят о «2024 годе», о «демократии» и о «Лаврове»."
    en = 'They speak of "2024", of democracy and of "Lavrov".'
    ru_spans, en_spans = quoted_spans(ru), quoted_spans(en)
    assert ru_spans is not None and en_spans is not None
    assert unmatched(ru_spans, ru, en_spans, en) == ([1], [])


@given(st.text(alphabet="аб «»\"“”„<>", max_size=40))
def test_quoted_spans_are_ordered_and_inside_text(text: str) -> None:
    spans = quoted_spans(text)
    if spans is None:
        return
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.text in text[span.start:span.end]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def measure(folder: str, first: int, last: int) -> None:
    root = Path(folder)
    ru_lines = (root / "UNv1.0.devset.ru").read_text("utf-8").splitlines()[first:last]
    en_lines = (root / "UNv1.0.devset.en").read_text("utf-8").splitlines()[first:last]
    context = CheckContext()
    found = Counter[str]()
    planted = caught = 0
    scare = re.compile(r"\b(демократи\w*|партн[её]р\w*|ценност\w*|свобод\w*|реформ\w*)\b")
    for ru, en in zip(ru_lines, en_lines, strict=True):
        for divergence in run(ru, en, context):
            found[divergence.severity.value] += 1
        match = scare.search(ru)
        if match and "«" not in ru and "<<" not in ru:
            planted += 1
            quoted = ru[: match.start()] + "«" + match.group() + "»" + ru[match.end():]
            caught += bool(run(quoted, en, context))
    n = len(ru_lines)
    print(f"pairs {n}: false findings per 100 pairs",
          {k: round(v * 100 / n, 2) for k, v in sorted(found.items())})
    print(f"planted scare quotes {planted}: caught {caught / max(planted, 1):.3f}")


if __name__ == "__main__":
    measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
