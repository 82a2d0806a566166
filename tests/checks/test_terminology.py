"""terminology.v1: pass/fail pairs, the seed case, spans, severities and user glossaries."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aligner.checks import CheckContext, Divergence, Pair, Severity, registered
from aligner.checks.base import Category
from aligner.checks.terminology import terminology
from aligner.errors import FormatError
from aligner.morph import Morphology

CASES = Path(__file__).parent / "cases" / "terminology.tsv"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "glossary"


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return Morphology()


@pytest.fixture(scope="module")
def context(morph: Morphology) -> CheckContext:
    return CheckContext(resources={"morphology": morph})


def user_context(name: str, morph: Morphology) -> CheckContext:
    """A context with a user glossary; the analyser is shared to keep the tests fast."""
    return CheckContext(glossary_paths=(str(FIXTURES / name),), resources={"morphology": morph})


def run(ru: str, en: str, context: CheckContext) -> list[Divergence]:
    return list(terminology(Pair(0, ru, en), context))


def test_registered() -> None:
    spec = registered()["terminology.v1"]
    assert spec.severity is Severity.MAJOR
    assert spec.category is Category.TERMINOLOGY
    assert spec.title == "Glossary term rendered off-glossary"
    assert spec.run_pair is terminology


def test_cases_file_is_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    expects = [c["expect"] for c in cases]
    assert set(expects) == {"pass", "fail"}
    assert expects.count("pass") >= len(cases) // 2 - 1


@pytest.mark.parametrize("case", read_cases(CASES), ids=lambda c: c["note"][:60])
def test_cases(case: dict[str, str], context: CheckContext) -> None:
    found = run(case["ru"], case["en"], context)
    if case["expect"] == "pass":
        assert found == [], [f.message for f in found]
    else:
        assert found, case["note"]
        for finding in found:
            assert finding.check == "terminology.v1"
            assert finding.category is Category.TERMINOLOGY
            assert finding.suggestion
            assert finding.src_spans
            for start, end in finding.src_spans:
                assert case["ru"][start:end].strip() == case["ru"][start:end]
                assert case["ru"][start:end]


def test_seed_case(context: CheckContext) -> None:
    ru = "Такие шаги создают новые раздражители в двусторонних отношениях"
    en = "Such steps create new annoyances in bilateral relations"
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MAJOR
    assert [ru[s:e] for s, e in finding.src_spans] == ["раздражители"]
    assert [en[s:e] for s, e in finding.tgt_spans] == ["annoyances"]
    assert finding.suggestion == "irritants"
    assert '"irritants"' in finding.message
    assert "«раздражители»" in finding.message
    assert '"annoyances"' in finding.message


def test_seed_case_clean(context: CheckContext) -> None:
    ru = "Такие шаги создают новые раздражители в двусторонних отношениях"
    assert run(ru, "Such steps create new irritants in bilateral relations", context) == []


@pytest.mark.parametrize(("ru", "en", "src", "tgt", "suggestion"), [
    ("Выход США из Договора по ПРО стал ошибкой.",
     "The US withdrawal from the missile defence treaty was a mistake.",
     "Договора по ПРО", "missile defence treaty", "ABM Treaty"),
    ("Вашингтон грозит вторичными санкциями.", "Washington threatens repeated sanctions.",
     "вторичными санкциями", "repeated sanctions", "secondary sanctions"),
    ("Киевский режим отверг переговоры.", "The Kievan regime rejected talks.",
     "Киевский режим", "Kievan regime", "Kiev regime"),
    ("Посол вручил верительные грамоты.", "The ambassador handed over his trust letters.",
     "верительные грамоты", "trust letters", "credentials"),
])
def test_major_spans(ru: str, en: str, src: str, tgt: str, suggestion: str,
                     context: CheckContext) -> None:
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MAJOR
    assert [ru[s:e] for s, e in finding.src_spans] == [src]
    assert [en[s:e] for s, e in finding.tgt_spans] == [tgt]
    assert finding.suggestion == suggestion


def test_nested_term_with_a_deprecated_rendering(context: CheckContext) -> None:
    ru = "Доклад Комиссии международного права."
    en = "The report of the International right Commission."
    [finding] = run(ru, en, context)
    assert [ru[s:e] for s, e in finding.src_spans] == ["международного права"]
    assert [en[s:e] for s, e in finding.tgt_spans] == ["International right"]
    assert finding.suggestion == "international law"


def test_one_finding_when_outer_and_nested_terms_are_both_wrong(context: CheckContext) -> None:
    ru = "Договор по ПРО утратил силу."
    en = "The PRO Treaty has expired."
    [finding] = run(ru, en, context)
    assert [en[s:e] for s, e in finding.tgt_spans] == ["PRO Treaty"]
    assert finding.suggestion == "ABM Treaty"


def test_every_occurrence_is_spanned(context: CheckContext) -> None:
    ru = "Раздражители множатся: новые раздражители появляются каждую неделю."
    en = "Annoyances multiply: new annoyances appear every week."
    [finding] = run(ru, en, context)
    assert [ru[s:e] for s, e in finding.src_spans] == ["Раздражители", "раздражители"]
    assert [en[s:e] for s, e in finding.tgt_spans] == ["Annoyances", "annoyances"]


def test_one_accepted_and_one_deprecated_for_two_occurrences(context: CheckContext) -> None:
    ru = "Одни раздражители сняты, другие раздражители остаются."
    en = "Some irritants have been removed, other annoyances remain."
    [finding] = run(ru, en, context)
    assert finding.severity is Severity.MAJOR
    assert [en[s:e] for s, e in finding.tgt_spans] == ["annoyances"]


def test_minor_for_a_missing_loaded_term(context: CheckContext) -> None:
    ru = "Коллективный Запад пытается изолировать Россию."
    [finding] = run(ru, "Western countries are trying to isolate Russia.", context)
    assert finding.severity is Severity.MINOR
    assert finding.tgt_spans == ()
    assert finding.suggestion == "collective West"


@pytest.mark.parametrize(("ru", "en"), [
    ("Совет Безопасности принял резолюцию.", "The Council adopted a resolution."),
    ("Генеральная Ассамблея одобрила доклад.", "The Assembly endorsed the report."),
    ("Права человека должны соблюдаться.", "Rights must be respected."),
])
def test_no_minor_for_generic_terms(ru: str, en: str, context: CheckContext) -> None:
    assert run(ru, en, context) == []


def test_null_and_other_language_beads(context: CheckContext) -> None:
    assert list(terminology(Pair(0, "Раздражители.", ""), context)) == []
    assert list(terminology(Pair(0, "", "Annoyances."), context)) == []
    assert list(terminology(Pair(0, "Reizthemen.", "Annoyances.", src_lang="de"), context)) == []


def test_english_source_russian_target(context: CheckContext) -> None:
    en = "Such steps create new annoyances in bilateral relations"
    ru = "Такие шаги создают новые раздражители в двусторонних отношениях"
    [finding] = terminology(Pair(0, en, ru, src_lang="en", tgt_lang="ru"), context)
    assert [en[s:e] for s, e in finding.src_spans] == ["annoyances"]
    assert [ru[s:e] for s, e in finding.tgt_spans] == ["раздражители"]


def test_user_glossary_from_context(morph: Morphology) -> None:
    context = user_context("user.tsv", morph)
    ru = "Россия готова продлить зерновую сделку."
    [finding] = run(ru, "Russia is ready to extend the corn deal.", context)
    assert finding.severity is Severity.MAJOR
    assert finding.suggestion == "Black Sea Grain Initiative"
    assert '"зерно" is grain' in finding.message
    assert run(ru, "Russia is ready to extend the grain deal.", context) == []
    # the user glossary deprecates a house rendering
    [finding] = run("Стороны согласовали дорожную карту.", "The sides agreed a road map.",
                    context)
    assert finding.suggestion == "roadmap"


def test_user_tbx_glossary_from_context(morph: Morphology) -> None:
    context = user_context("v3.tbx", morph)
    [finding] = run("Санкционный нажим усиливается.", "The sanction squeeze is growing.",
                    context)
    assert finding.suggestion == "sanctions pressure"


def test_malformed_user_glossary_raises_format_error(morph: Morphology) -> None:
    context = user_context("bad-status.tsv", morph)
    with pytest.raises(FormatError, match=r"bad-status\.tsv:4:3"):
        run("Раздражители.", "Irritants.", context)


def test_resources_are_cached_on_the_context() -> None:
    context = CheckContext()
    run("Раздражители.", "Irritants.", context)
    index = context.resources["glossary.index"]
    run("Раздражители.", "Irritants.", context)
    assert context.resources["glossary.index"] is index
    assert {"glossary", "morphology", "glossary.index"} <= set(context.resources)
