"""The planting functions of the divergence bench (scripts/plant.py), on hand-written pairs.

Nothing here reads ../shared: each planter is a pure function of one pair and a seeded
``random.Random``.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "plant.py"
_SPEC = importlib.util.spec_from_file_location("plant", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
plant = importlib.util.module_from_spec(_SPEC)
sys.modules["plant"] = plant  # dataclasses look their module up by name
_SPEC.loader.exec_module(plant)

Planter = Callable[[str, str, random.Random], object]


def outcomes(planter: Planter, src: str, tgt: str, seeds: int = 40) -> list:
    """Every result of ``planter`` over a range of seeds (None included)."""
    return [planter(src, tgt, random.Random(seed)) for seed in range(seeds)]


def targets(planter: Planter, src: str, tgt: str, seeds: int = 40) -> set[str]:
    return {p.tgt for p in outcomes(planter, src, tgt, seeds) if p is not None}


# --- Negation ----------------------------------------------------------------------------------


def test_negation_removes_not():
    got = targets(plant.plant_negation, "Россия не является участником договора.",
                  "Russia is not a party to the treaty.")
    assert got == {"Russia is a party to the treaty."}


def test_negation_undoes_contractions_and_cannot():
    assert targets(plant.plant_negation, "Мы не можем это принять.",
                   "We can't accept this.") == {"We can accept this."}
    assert targets(plant.plant_negation, "Мы не можем это принять.",
                   "We cannot accept this.") == {"We can accept this."}
    assert targets(plant.plant_negation, "Они не подписали.",
                   "They didn't sign.") == {"They did sign."}


def test_negation_removes_determiner_no():
    got = targets(plant.plant_negation, "Альтернативы диалогу нет.",
                  "There is no alternative to dialogue.")
    assert got == {"There is alternative to dialogue."}


def test_negation_leaves_fixed_phrases_and_number_sign_alone():
    assert targets(plant.plant_negation, "Это касается не только России.",
                   "This affects not only Russia but also its partners.") == set()
    assert targets(plant.plant_negation, "Доклад будет представлен не позднее мая.",
                   "The report shall be submitted no later than May.") == set()
    got = targets(plant.plant_negation, "Резолюция № 5 была принята.",
                  "Resolution No. 5 was adopted.")
    assert got == {"Resolution No. 5 was not adopted."}


def test_negation_inserts_not_after_an_auxiliary():
    assert targets(plant.plant_negation, "Совет рассмотрит доклад.",
                   "The Council will consider the report.") == {
        "The Council will not consider the report."}
    assert targets(plant.plant_negation, "Комиссия приняла доклад.",
                   "The Commission has adopted the report.") == {
        "The Commission has not adopted the report."}


def test_negation_skips_main_verb_have_and_sentence_initial_questions():
    assert targets(plant.plant_negation, "У Комиссии есть мандат.",
                   "The Commission has a mandate.") == set()
    assert targets(plant.plant_negation, "Это ясно?", "Is it clear?") == set()


def test_negation_russian_side_needs_a_verb_and_an_english_negation():
    def is_verb(word: str) -> bool:
        return word in {"допустит", "ухудшились"}

    def planter(s: str, t: str, r: random.Random) -> object:
        return plant.plant_negation(s, t, r, is_ru_verb=is_verb)

    results = [p for p in outcomes(planter, "Россия не допустит эскалации.",
                                   "Russia will not allow an escalation.") if p is not None]
    russian = [p for p in results if p.variant == "ru: не removed"]
    assert russian, "the Russian variant should come up among 40 seeds"
    assert {p.src for p in russian} == {"Россия допустит эскалации."}
    assert {p.tgt for p in russian} == {"Russia will not allow an escalation."}
    assert {p.variant for p in results} == {"ru: не removed", "en: negation removed"}
    # The English renders «не ухудшились» without a negation: nothing to flip.
    assert outcomes(planter, "Отношения не ухудшились.", "Relations remained good.") == \
        [None] * 40


def test_negation_capitalises_after_sentence_initial_ne():
    def planter(s: str, t: str, r: random.Random) -> object:
        return plant.plant_negation(s, t, r, is_ru_verb=lambda w: w == "допускается")

    srcs = {p.src for p in outcomes(planter, "Не допускается вмешательство.",
                                    "Interference is not permitted.") if p is not None}
    assert "Допускается вмешательство." in srcs


def test_ru_verb_test_uses_pymorphy():
    is_verb = plant.make_ru_verb_test()
    assert is_verb("допустит") and is_verb("подписать")
    assert not is_verb("договора")


# --- Numbers -----------------------------------------------------------------------------------


def test_number_keeps_grouping_commas():
    for tgt in targets(plant.plant_number, "Контингент насчитывает 1 250 военнослужащих.",
                       "The contingent numbers 1,250 troops."):
        number = re.search(r"\d[\d,]*", tgt).group()
        assert re.fullmatch(r"\d{1,3}(?:,\d{3})+", number)
        assert number != "1,250"


def test_number_keeps_decimals_and_changes_by_one_to_nine_or_tenfold():
    got = targets(plant.plant_number, "Рост составил 2,5 процента.",
                  "Growth was 2.5 per cent.", seeds=80)
    values = {re.search(r"\d+\.\d", t).group() for t in got}
    allowed = {f"{2.5 + k / 10:.1f}" for k in range(1, 10)} | {"25.0"}
    assert values and values <= allowed


def test_number_never_multiplies_a_year():
    got = targets(plant.plant_number, "В 2015 году миссия расширилась.",
                  "In 2015 the mission expanded.", seeds=60)
    years = {int(re.search(r"\d+", t).group()) for t in got}
    assert years and all(2016 <= y <= 2024 for y in years)


def test_number_skips_dates_and_values_either_side_has():
    assert targets(plant.plant_number, "5 февраля 2021 года стороны встретились.",
                   "On 5 February 2021 the parties met.") == set()
    assert targets(plant.plant_number, "Женева, 4-15 мая 2015 года",
                   "Geneva, 4 - 15 May 2015") == set()
    got = targets(plant.plant_number, "5 делегаций из 6 поддержали текст.",
                  "5 of the 6 delegations supported the text.", seeds=80)
    assert got and not any(t.startswith(("6 of", "5 of the 5 ")) for t in got)


def test_number_none_without_digits():
    assert plant.plant_number("Три делегации.", "Three delegations.", random.Random(1)) is None


# --- Dates -------------------------------------------------------------------------------------


def test_date_changes_one_part():
    tgt = "The meeting was held on 5 February 2021."
    results = [p for p in outcomes(plant.plant_date, "Встреча состоялась 5 февраля 2021 года.",
                                   tgt) if p is not None]
    assert {p.variant for p in results} == {"day", "month", "year"}
    for p in results:
        day, month, year = re.search(r"on (\d+) (\w+) (\d+)", p.tgt).groups()
        changed = [day != "5", month != "February", year != "2021"]
        assert sum(changed) == 1
        assert 1 <= int(day) <= 28 and month in plant.MONTHS
        assert 1 <= abs(int(year) - 2021) <= 5 or year == "2021"


def test_date_month_first_and_ranges():
    got = targets(plant.plant_date, "5 февраля 2021 года", "February 5, 2021")
    assert got and "February 5, 2021" not in got
    got = targets(plant.plant_date, "4-15 мая 2015 года", "4 - 15 May 2015", seeds=80)
    assert any(t.endswith("- 15 May 2015") for t in got)  # the range's first day changed


def test_date_none_for_bare_years():
    assert plant.plant_date("В 2021 году.", "In 2021.", random.Random(3)) is None


# --- Entities ----------------------------------------------------------------------------------


def test_entity_swaps_for_the_partner():
    got = targets(plant.plant_entity, "Россия и Франция подписали соглашение.",
                  "Russia and France signed an agreement.")
    assert got == {"Ukraine and France signed an agreement.",
                   "Russia and Germany signed an agreement."}


def test_entity_needs_the_name_in_the_russian_and_a_free_replacement():
    assert plant.plant_entity("Стороны подписали соглашение.", "Russia signed.",
                              random.Random(0)) is None
    for p in outcomes(plant.plant_entity, "Российская Федерация и Украина провели переговоры.",
                      "The Russian Federation and Ukraine held talks."):
        assert p is not None
        assert not re.search(r"\bRussia\b", p.tgt)  # never swapped for its own alias
        swapped = p.note.split('-> "')[1].rstrip('"')
        entity = next(e for e in plant.ENTITIES if e.en == swapped)
        assert not re.search(entity.ru, p.src)


def test_entity_keeps_the_type():
    types = {e.en: e.type for e in plant.ENTITIES}
    for p in outcomes(plant.plant_entity, "Совет Безопасности и НАТО.",
                      "The Security Council and NATO."):
        old, new = re.findall(r'"([^"]+)"', p.note)
        assert types[old] == types[new] == "organization"


# --- Omission and addition ---------------------------------------------------------------------


def test_omission_deletes_a_clause_between_commas():
    got = targets(plant.plant_omission, "Совет приветствовал доклад ...",
                  "The Council welcomed the report, which was prepared by the Secretariat, "
                  "and requested a follow-up.")
    assert got == {"The Council welcomed the report, and requested a follow-up.",
                   "The Council welcomed the report, which was prepared by the Secretariat."}


def test_omission_deletes_the_half_after_and():
    p = plant.plant_omission("Стороны подтвердили ...",
                             "The parties reaffirmed their commitment to the ceasefire and "
                             "agreed to resume talks in Geneva next month.", random.Random(0))
    assert p is not None and p.variant == "after and"
    assert p.tgt == "The parties reaffirmed their commitment to the ceasefire."


def test_omission_needs_four_words_and_balanced_brackets():
    assert plant.plant_omission("", "The mission has 1,000 staff members in the field.",
                                random.Random(0)) is None
    assert plant.plant_omission("", "Yes, we agree.", random.Random(0)) is None
    assert targets(plant.plant_omission, "",
                   "The report (document A/70/1, which was issued in May) is ready.") == set()


def test_addition_inserts_a_donor_clause():
    donors = ["Recalling its previous resolutions, the Council expressed concern, which was "
              "shared by many delegations."]
    got = targets(lambda s, t, r: plant.plant_addition(s, t, r, donors),
                  "Министр встретился с послом.", "The Minister met the Ambassador.")
    assert got == {"The Minister met the Ambassador, recalling its previous resolutions.",
                   "The Minister met the Ambassador, which was shared by many delegations."}


def test_addition_after_a_comma_and_none_without_donors():
    donors = ["Talks resumed, including on the humanitarian situation in the region."]
    got = targets(lambda s, t, r: plant.plant_addition(s, t, r, donors), "",
                  "In Geneva, the parties met.")
    assert "In Geneva, including on the humanitarian situation in the region, the parties " \
           "met." in got
    assert plant.plant_addition("", "The parties met.", random.Random(0), []) is None
    assert plant.plant_addition("", "The parties met.", random.Random(0),
                                ["The parties met."]) is None


# --- Deprecated terms --------------------------------------------------------------------------

GLOSSARY = (
    "# test glossary\n"
    "ru\ten\tstatus\tdomain\tnote\n"
    "раздражитель\tirritant\tpreferred\tsecurity\t\n"
    "раздражитель\tannoyance\tdeprecated\tsecurity\tMFA 2020\n"
    "договор\ttreaty\tpreferred\tlaw\t\n"
)


@pytest.fixture(scope="module")
def ru_lemma() -> Callable[[str], str]:
    from aligner.morph import Morphology

    return Morphology().ru_lemma


def test_read_glossary_keeps_terms_with_a_deprecated_rendering(tmp_path):
    path = tmp_path / "glossary.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    assert plant.read_glossary(path) == (
        plant.TermSubstitution("раздражитель", ("irritant",), ("annoyance",)),)


def test_deprecated_term_replaces_the_preferred_rendering(ru_lemma):
    subs = [plant.TermSubstitution("раздражитель", ("irritant",), ("annoyance",))]
    p = plant.plant_deprecated_term("Эти раздражители мешают диалогу.",
                                    "These irritants hinder dialogue.", random.Random(0), subs,
                                    ru_lemma)
    assert p is not None and p.tgt == "These annoyances hinder dialogue."
    p = plant.plant_deprecated_term("Раздражитель устранен.", "Irritant removed.",
                                    random.Random(0), subs, ru_lemma)
    assert p is not None and p.tgt == "Annoyance removed."
    assert plant.plant_deprecated_term("Договор подписан.", "These irritants remain.",
                                       random.Random(0), subs, ru_lemma) is None


def test_template_pairs_carry_the_preferred_term(ru_lemma):
    subs = [plant.TermSubstitution("раздражитель", ("irritant",), ("annoyance",))]
    ((src, tgt),) = plant.template_pairs(subs)
    assert "раздражитель" in src and "irritant" in tgt
    p = plant.plant_deprecated_term(src, tgt, random.Random(0), subs, ru_lemma)
    assert p is not None and "annoyance" in p.tgt and "irritant" not in p.tgt


# --- Properties --------------------------------------------------------------------------------

_PIECES = ["The Council", "will", "is", "not", "no", "consider", "the report", "on",
           "5 February 2021", "1,250", "2.5", "troops", "Russia", "and", "France", ",", ";",
           "which was prepared by the Secretariat", "in 2015", "cannot", "has adopted"]
_SRC = "Россия не допустит 5 февраля 2021 года Франция 1 250 доклад"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14), st.integers(0, 10_000))
def test_every_planter_changes_exactly_one_side_or_declines(pieces, seed):
    tgt = " ".join(pieces).replace(" ,", ",").replace(" ;", ";") + "."
    donors = ["Talks resumed, including on the humanitarian situation in the region."]
    planters = {
        "negation": lambda s, t, r: plant.plant_negation(s, t, r, is_ru_verb=lambda w: True),
        "number": plant.plant_number,
        "date": plant.plant_date,
        "entity": plant.plant_entity,
        "omission": plant.plant_omission,
        "addition": lambda s, t, r: plant.plant_addition(s, t, r, donors),
    }
    for kind, planter in planters.items():
        first = planter(_SRC, tgt, random.Random(seed))
        again = planter(_SRC, tgt, random.Random(seed))
        assert first == again  # deterministic for a seed
        if first is None:
            continue
        assert first.kind == kind
        assert (first.src != _SRC) + (first.tgt != tgt) == 1


def test_deprecated_term_matches_abbreviations_as_written(ru_lemma):
    subs = [plant.TermSubstitution("ПРО", ("missile defence",), ("PRO",))]
    assert plant.plant_deprecated_term("Речь шла про оборону.", "It was about missile defence.",
                                       random.Random(0), subs, ru_lemma) is None
    p = plant.plant_deprecated_term("Развертывание ПРО в Европе.",
                                    "Deployment of missile defence in Europe.",
                                    random.Random(0), subs, ru_lemma)
    assert p is not None and p.tgt == "Deployment of PRO in Europe."


def test_negation_needs_the_counts_to_allow_a_flip():
    # «не согласилась» rendered as "rejected": an inserted "not" would undo the paraphrase.
    assert targets(plant.plant_negation, "Другая делегация не согласилась с ней.",
                   "It was rejected by another delegation.") == set()
    # "must not be lost" for «необходимо сохранять»: removing "not" is no flip either.
    assert targets(plant.plant_negation, "Необходимо сохранять приверженность.",
                   "Commitment must not be lost.") == set()


def test_number_skips_a_leading_list_number():
    got = targets(plant.plant_number, "12. Комитет рассмотрел 3 доклада.",
                  "12. The Committee considered 3 reports.")
    assert got and all(t.startswith("12. ") for t in got)


def test_entity_only_a_name_given_once():
    assert targets(plant.plant_entity, "Решение Совета Европейского союза и Европейский союз.",
                   "The decision of the Council of the European Union, and the European "
                   "Union.") == set()
    assert targets(plant.plant_entity,
                   "Мандат Организации по безопасности и сотрудничеству в Европе (ОБСЕ).",
                   "The mandate of the Organization for Security and Co-operation in Europe "
                   "(OSCE).") == set()


def test_deprecated_term_replaces_every_occurrence(ru_lemma):
    subs = [plant.TermSubstitution("раздражитель", ("irritant",), ("annoyance",))]
    p = plant.plant_deprecated_term("Раздражители множатся.",
                                    "Irritants multiply; irritants hurt.", random.Random(0),
                                    subs, ru_lemma)
    assert p is not None and p.tgt == "Annoyances multiply; annoyances hurt."
