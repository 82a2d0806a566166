"""omission.v1: pass/fail pairs from diplomatic phrasing, null beads, spans, the run search."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.checks import CheckContext, Divergence, Pair, Severity, registered
from aligner.checks.base import Category, PairCheck
from aligner.checks.omission import (
    OMISSION,
    Run,
    acronym_letters,
    best_run,
    clause_span,
    omitted_run,
    spelled_out,
    uncovered_between,
)
from aligner.lexicon import WordMatch
from aligner.morph import Word

CASES = Path(__file__).parent / "cases" / "omission.tsv"


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def pair_check() -> PairCheck:
    check = registered()["omission.v1"].run_pair
    assert check is not None
    return check


def run(ru: str, en: str, context: CheckContext) -> list[Divergence]:
    return list(pair_check()(Pair(0, ru, en), context))


def test_registered() -> None:
    spec = registered()["omission.v1"]
    assert spec.severity is Severity.CRITICAL
    assert spec.category is Category.OMISSION
    assert spec.title == "Sentence or clause left out of the translation (or added to it)"


def test_cases_file_is_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(case["expect"] == "pass" for case in cases) >= len(cases) / 2
    assert {case["expect"] for case in cases} == {"pass", "fail"}


@pytest.mark.parametrize("case", read_cases(CASES), ids=lambda case: case["note"][:60])
def test_case(case: dict[str, str], context: CheckContext) -> None:
    ru, en = case["ru"], case["en"]
    found = run(ru, en, context)
    if case["expect"] == "pass":
        assert found == [], [f.message for f in found]
        return
    assert found, "expected a finding"
    # A fail case's note starts with [«words»]: the flagged span must contain them.
    expected = re.match(r"\[«(.+?)»\]", case["note"])
    assert expected is not None, "a fail case's note names the words to flag"
    spans = [ru[s:e] for f in found for s, e in f.src_spans]
    spans += [en[s:e] for f in found for s, e in f.tgt_spans]
    assert any(expected.group(1) in span for span in spans), spans


def test_null_bead_russian_only_is_a_critical_omission(context: CheckContext) -> None:
    ru = "Стороны договорились продолжить консультации."
    [finding] = run(ru, "", context)
    assert finding.severity is Severity.CRITICAL
    assert finding.category is Category.OMISSION
    assert finding.src_spans == ((0, len(ru)),) and finding.tgt_spans == ()
    assert finding.message.startswith("sentence left out: the Russian «Стороны договорились")
    assert finding.suggestion


def test_null_bead_english_only_is_a_major_addition(context: CheckContext) -> None:
    en = "The Ministry will continue to monitor the situation."
    [finding] = run("", en, context)
    assert finding.severity is Severity.MAJOR
    assert finding.category is Category.ADDITION
    assert finding.tgt_spans == ((0, len(en)),) and finding.src_spans == ()
    assert finding.message.startswith('sentence added: the English "The Ministry')


def test_null_bead_without_letters_is_minor(context: CheckContext) -> None:
    [finding] = run("12.", "", context)
    assert finding.severity is Severity.MINOR
    [finding] = run("", "* * *", context)
    assert finding.severity is Severity.MINOR


def test_long_quote_is_shortened(context: CheckContext) -> None:
    ru = "Совет " * 40
    [finding] = run(ru.strip(), "", context)
    quoted = finding.message.split("«")[1].split("»")[0]
    assert len(quoted) <= 80 and quoted.endswith("…")


def test_partial_omission_points_at_the_russian_clause(context: CheckContext) -> None:
    ru = ("Совещание экспертов состоится в Женеве с 12 по 16 октября, а его доклад будет "
          "представлен Комиссии по разоружению на ее следующей основной сессии.")
    en = "The meeting of experts will be held in Geneva from 12 to 16 October."
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MAJOR
    assert finding.category is Category.OMISSION
    [(start, end)] = finding.src_spans
    # the uncovered stretch, widened to its clause: «а его» up to the comma, «сессии» to the end
    assert ru[start:end] == ("а его доклад будет представлен Комиссии по разоружению на ее "
                             "следующей основной сессии")
    assert "the Russian «а его доклад будет представлен Комиссии" in finding.message
    assert finding.tgt_spans == ()


def test_addition_is_minor_and_points_at_the_english(context: CheckContext) -> None:
    ru = "Министр обсудил с послом перспективы урегулирования палестино-израильского конфликта."
    en = ("The Minister discussed with the Ambassador the prospects for a settlement of the "
          "Palestinian-Israeli conflict, and handed over a personal message from the President "
          "addressed to the King of Jordan.")
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MINOR
    assert finding.category is Category.ADDITION
    [(start, end)] = finding.tgt_spans
    assert en[start:end].startswith("and handed over a personal message")
    assert en[start:end].endswith("King of Jordan")


def test_a_faithful_translation_has_no_findings(context: CheckContext) -> None:
    assert run("Совет Безопасности продолжит активно заниматься этим вопросом.",
               "The Security Council will remain actively seized of the matter.", context) == []


# --- The run search, on hand-made matches (no lexicon) ----------------------------------------

def matches(spec: str, seen: float = 0.9) -> list[WordMatch]:
    """One WordMatch per character: 'u' uncovered content, 'c' covered content, 'f' function."""
    out = []
    for i, kind in enumerate(spec):
        out.append(WordMatch(Word(kind, i, i + 1), kind, kind != "f",
                             (0,) if kind == "c" else (), seen))
    return out


def test_best_run_skips_function_words_and_pays_for_covered_ones() -> None:
    side = matches("ccuufuucc")
    run_ = best_run(side, OMISSION)
    assert run_ is not None and (run_.first, run_.last) == (2, 6)
    assert run_.evidence == pytest.approx(4 * 2.302585, rel=1e-4)  # -ln(1 - 0.9)


def test_best_run_bridges_one_covered_word_when_the_evidence_outweighs_it() -> None:
    run_ = best_run(matches("uuucuuu"), OMISSION)
    assert run_ is not None and (run_.first, run_.last) == (0, 6)


def test_best_run_is_none_when_everything_is_covered() -> None:
    assert best_run(matches("ccfcc"), OMISSION) is None
    assert best_run([], OMISSION) is None


def test_explained_words_count_nothing() -> None:
    side = matches("uuuuc")
    run_ = best_run(side, OMISSION, explained=frozenset({0, 1, 2}))
    assert run_ is not None and (run_.first, run_.last) == (3, 3)


def test_clause_span_widens_to_nearby_punctuation_only() -> None:
    text = "Мы считаем, что санкции подрывают авторитет ООН и наносят ущерб экономике стран."
    start = text.index("наносят")
    end = text.index("экономике") + len("экономике")
    assert text[slice(*clause_span(text, start, end))] == "наносят ущерб экономике стран"
    start = text.index("авторитет")
    far = clause_span(text, start, start + len("авторитет"))
    assert text[slice(*far)] == "авторитет"  # three words from the comma, six from the end


def test_acronym_letters() -> None:
    assert acronym_letters("LCBC") == 4
    assert acronym_letters("SDGs") == 3
    assert acronym_letters("ГИТСО") == 5
    assert acronym_letters("UN") == 2
    assert acronym_letters("Council") == 0
    assert acronym_letters("A") == 0
    assert acronym_letters("2015") == 0


def test_an_uncovered_acronym_explains_a_window_of_words() -> None:
    side = matches("cuuuuuc")
    other = [WordMatch(Word("LCBC", 0, 4), "lcbc", True, ())]
    assert spelled_out(side, other, OMISSION) == frozenset({1, 2, 3, 4, 5})


def test_uncovered_between_counts_the_gap_at_the_neighbours_counterparts() -> None:
    # Russian: covered(->0) uncovered uncovered covered(->3); English: c u u c
    side = [WordMatch(Word("a", 0, 1), "a", True, (0,)),
            WordMatch(Word("b", 2, 3), "b", True, ()),
            WordMatch(Word("c", 4, 5), "c", True, ()),
            WordMatch(Word("d", 6, 7), "d", True, (3,))]
    other = [WordMatch(Word("A", 0, 1), "a", True, (0,)),
             WordMatch(Word("X", 2, 3), "x", True, ()),
             WordMatch(Word("Y", 4, 5), "y", True, ()),
             WordMatch(Word("D", 6, 7), "d", True, (3,))]
    assert uncovered_between(side, other, Run(1, 2, 5.0)) == 2
    adjacent = [other[0], other[3]]
    side[3] = WordMatch(Word("d", 6, 7), "d", True, (1,))
    assert uncovered_between(side, adjacent, Run(1, 2, 5.0)) == 0


def test_omitted_run_needs_more_evidence_when_the_other_side_is_loose() -> None:
    side = matches("ccuuuc")  # 3 x 2.30 = 6.9 nats: above the minimum of 5
    tight = matches("cccc")
    assert omitted_run(side, tight, OMISSION) is not None
    loose = matches("ccuuu")  # three uncovered English words raise the bar to 8+
    assert omitted_run(side, loose, OMISSION) is None


@settings(max_examples=40, deadline=None)
@given(ru=st.text(alphabet="абвгдеж ,.ABC12-", max_size=60),
       en=st.text(alphabet="abcdefg ,.ABC12-", max_size=60))
def test_never_raises_and_spans_stay_inside(ru: str, en: str) -> None:
    context = _SHARED
    for finding in run(ru, en, context):
        for start, end in finding.src_spans:
            assert 0 <= start < end <= len(ru)
        for start, end in finding.tgt_spans:
            assert 0 <= start < end <= len(en)


_SHARED = CheckContext()


def test_free_rendering_is_only_a_minor_perhaps(context: CheckContext) -> None:
    # UN devset style: «широко используют результаты аналитических исследований» becomes
    # "rely on the Committee's estimates"; the uncovered words barely pass the threshold.
    ru = ("Многие государства-участники широко используют результаты аналитических "
          "исследований этого комитета в качестве научной базы для оценки радиационного "
          "риска и разработки мер защиты.")
    en = ("Many States rely on the Committee's estimates as the scientific basis for "
          "evaluating radiation risk and for establishing protective measures.")
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MINOR
    assert finding.category is Category.OMISSION
    assert finding.message.startswith("clause perhaps left out: the Russian «")
