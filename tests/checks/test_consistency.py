"""consistency.v1: one glossary term rendered several ways in a document, and the counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks.base import Category
from aligner.checks.consistency import (
    consistency,
    describe,
    inconsistent_terms,
    term_renderings,
)
from aligner.glossary import Glossary, load_glossary
from aligner.morph import Morphology

FIXTURES = Path(__file__).parent.parent / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return Morphology()


@pytest.fixture(scope="module")
def context(morph: Morphology) -> CheckContext:
    return CheckContext(resources={"morphology": morph})


@pytest.fixture(scope="module")
def house() -> Glossary:
    return load_glossary([])


def document(*pairs: tuple[str, str]) -> list[Pair]:
    return [Pair(i, ru, en) for i, (ru, en) in enumerate(pairs)]


IRRITANTS = document(
    ("Мы обсудили накопившиеся раздражители.", "We discussed the accumulated irritants."),
    ("Стороны договорились устранить раздражители.", "The sides agreed to remove irritants."),
    ("Переговоры прошли в конструктивном духе.", "The talks were constructive."),
    ("Однако новые раздражители возникают постоянно.", "Yet new annoyances keep arising."),
    ("Раздражители мешают диалогу.", "The irritants hamper dialogue."),
)


def test_registered() -> None:
    spec = registered()["consistency.v1"]
    assert spec.severity is Severity.MINOR
    assert spec.category is Category.TERMINOLOGY
    assert spec.run_document is consistency and spec.run_pair is None
    assert spec.title == "Glossary term rendered inconsistently within the document"


def test_reports_once_with_counts_on_the_first_deviation(context: CheckContext) -> None:
    [(bead, finding)] = consistency(IRRITANTS, context)
    assert bead == 3
    pair = IRRITANTS[bead]
    assert [pair.src[s:e] for s, e in finding.src_spans] == ["раздражители"]
    assert [pair.tgt[s:e] for s, e in finding.tgt_spans] == ["annoyances"]
    assert finding.severity is Severity.MINOR
    assert finding.category is Category.TERMINOLOGY
    assert '«раздражители»: "irritants" ×3, "annoyances" ×1' in finding.message
    assert finding.suggestion == "irritants"


def test_one_finding_per_term_however_many_deviations(context: CheckContext) -> None:
    pairs = document(
        ("Киевский режим отказался.", "The Kiev regime refused."),
        ("Киевский режим снова отказался.", "The Kyiv regime refused again."),
        ("Киевский режим опять отказался.", "The Kyiv regime refused once more."),
    )
    [(bead, finding)] = consistency(pairs, context)
    assert bead == 1
    assert '"Kyiv regime" ×2, "Kiev regime" ×1' in finding.message
    assert finding.suggestion == "Kiev regime"


def test_without_the_preferred_rendering_the_most_frequent_wins(context: CheckContext) -> None:
    pairs = document(
        ("Односторонние ограничительные меры незаконны.", "Unilateral sanctions are illegal."),
        ("Односторонние ограничительные меры вредят людям.",
         "Unilateral restrictions hurt people."),
        ("Односторонние ограничительные меры надо отменить.",
         "Unilateral sanctions must be lifted."),
    )
    [(bead, finding)] = consistency(pairs, context)
    assert bead == 1
    assert finding.suggestion == "unilateral sanctions"


@pytest.mark.parametrize("pairs", [
    document(  # an abbreviation alternating with its expansion: both preferred
        ("Договор о нераспространении ядерного оружия (ДНЯО) — основа режима.",
         "The Treaty on the Non-Proliferation of Nuclear Weapons (NPT) is the cornerstone."),
        ("Договор о нераспространении ядерного оружия должен соблюдаться.",
         "The NPT must be complied with."),
    ),
    document(  # a short form of the full name
        ("Генеральная Ассамблея приняла резолюцию.", "The General Assembly adopted a resolution."),
        ("Генеральная Ассамблея также постановила продолжить работу.",
         "The Assembly also decided to continue its work."),
    ),
    document(  # an initialism of the preferred rendering
        ("Подписан меморандум о взаимопонимании.", "A memorandum of understanding was signed."),
        ("Меморандум о взаимопонимании вступает в силу сразу.", "The MoU takes effect at once."),
    ),
    document(  # British and American spellings are one rendering
        ("Система ПРО расширяется.", "The missile defence system is expanding."),
        ("ПРО США угрожает стабильности.", "US missile defense threatens stability."),
    ),
    document(  # one rendering, null beads and beads without terms
        ("Раздражители мешают.", "Irritants get in the way."),
        ("", "Thank you."),
        ("Спасибо.", ""),
        ("Мы устраним раздражители.", "We will remove the irritants."),
    ),
])
def test_clean_documents(pairs: list[Pair], context: CheckContext) -> None:
    assert list(consistency(pairs, context)) == []


def test_user_glossary_terms_are_checked_too(morph: Morphology) -> None:
    context = CheckContext(glossary_paths=(str(FIXTURES / "user.tsv"),),
                           resources={"morphology": morph})
    pairs = document(
        ("Зерновая сделка продлена.", "The Black Sea Grain Initiative has been extended."),
        ("Зерновая сделка выгодна бедным странам.", "The grain deal benefits poor countries."),
    )
    [(bead, finding)] = consistency(pairs, context)
    assert bead == 1
    assert finding.suggestion == "Black Sea Grain Initiative"


def test_term_renderings_is_pure_and_adds_up_across_documents(
    house: Glossary, morph: Morphology
) -> None:
    first = term_renderings(IRRITANTS, house, morph)
    assert first["раздражители"] == Counter({"irritants": 3, "annoyances": 1})
    second = term_renderings(document(
        ("Раздражители остаются.", "Irritations remain."),
        ("Киевский режим отказался.", "The Kiev regime refused."),
    ), house, morph)
    assert second == {"раздражители": Counter({"irritations": 1}),
                      "киевский режим": Counter({"Kiev regime": 1})}
    assert term_renderings(IRRITANTS, house, morph) == first  # no hidden state
    corpus: dict[str, Counter[str]] = {}
    for counts in (first, second):
        for ru, counter in counts.items():
            corpus.setdefault(ru, Counter()).update(counter)
    assert inconsistent_terms(corpus, house) == {
        "раздражители": Counter({"irritants": 3, "annoyances": 1, "irritations": 1})}
    assert describe("раздражители", corpus["раздражители"]) == (
        '«раздражители»: "irritants" ×3, "annoyances" ×1, "irritations" ×1')


def test_inconsistent_terms_ignores_interchangeable_renderings(house: Glossary) -> None:
    counts = {"ДНЯО": Counter({"NPT": 4, "Treaty on the Non-Proliferation of Nuclear Weapons": 1}),
              "Генеральная Ассамблея": Counter({"General Assembly": 3, "Assembly": 2})}
    assert inconsistent_terms(counts, house) == {}
