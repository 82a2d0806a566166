"""entities.v1: names on one side only, swaps; pass/fail pairs, spans and planted swaps.

Run as a script to measure on the UN devset (false findings per 100 clean pairs, and recall
on the same pairs with one English country or organisation swapped for another)::

    python tests/checks/test_entities.py ../shared/data/parallel/un-v1-devset 0 2000
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
from casefile import read_cases, run_check

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks.base import Category, Divergence
from aligner.checks.entities import (
    LISTS,
    _bucket,
    _index_form,
    find_mentions,
    load_gazetteer,
    parse_list,
    tokens,
)
from aligner.errors import FormatError
from aligner.morph import Morphology

CASES = Path(__file__).parent / "cases" / "entities.tsv"


def run(ru: str, en: str, context: CheckContext | None = None) -> list[Divergence]:
    return run_check("entities.v1", ru, en, context)


@pytest.mark.parametrize(("expect", "ru", "en", "note"), read_cases(CASES))
def test_cases(expect: str, ru: str, en: str, note: str, context: CheckContext) -> None:
    found = run(ru, en, context)
    assert bool(found) == (expect == "fail"), (note, [d.message for d in found])


def test_cases_are_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(c[0] == "pass" for c in cases) >= len(cases) / 2 - 1


def test_registered_as_major_named_entity() -> None:
    spec = registered()["entities.v1"]
    assert spec.severity is Severity.MAJOR
    assert spec.category is Category.NAMED_ENTITY
    assert spec.title.startswith("Country, organisation or person")


def test_country_swap_is_critical_with_both_spans(context: CheckContext) -> None:
    ru = "Россия выступает против расширения НАТО."
    en = "Ukraine opposes NATO expansion."
    (found,) = run(ru, en, context)
    assert found.severity is Severity.CRITICAL
    assert [ru[a:b] for a, b in found.src_spans] == ["Россия"]
    assert [en[a:b] for a, b in found.tgt_spans] == ["Ukraine"]
    assert "«Россия»" in found.message and '"Ukraine"' in found.message
    assert found.suggestion == 'render «Россия» as "Russia"'


def test_person_swap_by_transliteration(context: CheckContext) -> None:
    ru = "Встреча С.В.Лаврова с министром обороны завершилась."
    en = "The meeting between Minister Shoigu and the defence minister has ended."
    (found,) = run(ru, en, context)
    assert found.severity is Severity.CRITICAL
    assert [ru[a:b] for a, b in found.src_spans] == ["Лаврова"]
    assert [en[a:b] for a, b in found.tgt_spans] == ["Shoigu"]


def test_missing_person_is_minor_and_points_at_the_name(context: CheckContext) -> None:
    ru = "На брифинге выступила официальный представитель МИД М.В.Захарова."
    en = "The Foreign Ministry spokeswoman spoke at the briefing."
    (found,) = run(ru, en, context)
    assert found.severity is Severity.MINOR
    assert [ru[a:b] for a, b in found.src_spans] == ["Захарова"]
    assert "Zakharova" in found.message


def test_unlisted_person_found_by_initials(context: CheckContext) -> None:
    ru = "Соболезнования выразил посол И.И.Кузнецов."
    assert run(ru, "Condolences were expressed by Ambassador Ivan Kuznetsov.", context) == []
    (found,) = run(ru, "Condolences were expressed by the Ambassador.", context)
    assert found.severity is Severity.MINOR
    assert [ru[a:b] for a, b in found.src_spans] == ["Кузнецов"]


def test_missing_organisation_is_major(context: CheckContext) -> None:
    ru = "Мы приветствуем решение ОДКБ."
    (found,) = run(ru, "We welcome the decision.", context)
    assert found.severity is Severity.MAJOR
    assert [ru[a:b] for a, b in found.src_spans] == ["ОДКБ"]
    assert found.tgt_spans == ()
    assert '"CSTO"' in found.message


def test_several_missing_names_are_one_finding(context: CheckContext) -> None:
    ru = "Работа будет продолжена при содействии Соединённого Королевства, США и Франции."
    (found,) = run(ru, "The work will continue with the support of its partners.", context)
    assert found.severity is Severity.MAJOR
    assert [ru[a:b] for a, b in found.src_spans] == ["Соединённого Королевства", "США", "Франции"]
    assert "none of" in found.message


def test_the_p3_answers_for_its_members(context: CheckContext) -> None:
    ru = "Работа будет продолжена при содействии Соединённого Королевства, США и Франции."
    assert run(ru, "The work will continue with the support of the P3 member countries.",
               context) == []


def test_english_source_russian_target_swaps_spans(context: CheckContext) -> None:
    check = registered()["entities.v1"].run_pair
    assert check is not None
    en = "Ukraine opposes NATO expansion."
    ru = "Россия выступает против расширения НАТО."
    (found,) = check(Pair(0, en, ru, src_lang="en", tgt_lang="ru"), context)
    assert [en[a:b] for a, b in found.src_spans] == ["Ukraine"]
    assert [ru[a:b] for a, b in found.tgt_spans] == ["Россия"]


def test_null_bead_and_latin_only_russian_side(context: CheckContext) -> None:
    assert run("", "Russia and the United States.", context) == []
    text = "National Aerospace Development Administration of the Democratic People's Republic"
    assert run(text, text, context) == []


def test_mentions_prefer_the_longest_form(context: CheckContext) -> None:
    morph: Morphology = context.resource("morphology", Morphology)
    gaz = context.resource("entities.v1.gazetteer.lazy",
                           lambda: load_gazetteer(morph, lazy=True))
    ru = "Генеральный секретарь Организации Объединённых Наций посетил Южный Судан."
    ru_toks = tokens(ru, "ru", morph)
    found = find_mentions(ru_toks, gaz.index_for(ru_toks, "ru"))
    assert [(m.entity, ru[m.start:m.end]) for m in found] == [
        ("un", "Организации Объединённых Наций"), ("southsudan", "Южный Судан"),
    ]
    en = "The U.S.-led coalition and the West Bank."
    en_toks = tokens(en, "en", morph)
    found = find_mentions(en_toks, gaz.index_for(en_toks, "en"))
    assert [(m.entity, en[m.start:m.end]) for m in found] == [
        ("usa", "U.S."), ("westbank", "West Bank"),
    ]


def test_lists_parse_and_refer_to_known_entities(context: CheckContext) -> None:
    morph: Morphology = context.resource("morphology", Morphology)
    gaz = load_gazetteer(morph)
    kinds = Counter(e.kind for e in gaz.entities.values())
    assert kinds["org"] + kinds["treaty"] >= 60
    assert kinds["country"] >= 100
    unknown = {(e.key, k) for e in gaz.entities.values() for k in e.also} - {
        (e.key, k) for e in gaz.entities.values() for k in e.also if k in gaz.entities
    }
    assert not unknown
    folder = files("aligner.corpora") / "lists"
    keys: list[str] = []
    for name in LISTS:
        keys += [row[0] for row in parse_list((folder / name).read_text("utf-8"), name)]
    assert len(keys) == len(set(keys)), "an entity key is used twice"


def test_malformed_list_row_says_where() -> None:
    text = "# comment\nkey\tkind\tru\ten\talso\nrussia\tcountry\tРоссия\n"
    with pytest.raises(FormatError, match=r"lists.tsv:3"):
        parse_list(text, "lists.tsv")


# --- measuring on the UN devset -------------------------------------------------------


def plant_swap(
    ru: str, en: str, context: CheckContext, rng: random.Random
) -> str | None:
    """The English with one country named on both sides replaced by another, or None."""
    morph: Morphology = context.resource("morphology", Morphology)
    gaz = context.resource("entities.v1.gazetteer.lazy",
                           lambda: load_gazetteer(morph, lazy=True))
    ru_toks, en_toks = tokens(ru, "ru", morph), tokens(en, "en", morph)
    ru_keys = {m.entity for m in find_mentions(ru_toks, gaz.index_for(ru_toks, "ru"))}
    en_mentions = [
        m for m in find_mentions(en_toks, gaz.index_for(en_toks, "en"))
        if m.entity in ru_keys and not m.weak and gaz.entities[m.entity].kind == "country"
    ]
    if not en_mentions:
        return None
    target = rng.choice(en_mentions)
    others = [e for e in gaz.entities.values()
              if e.kind == "country" and e.key not in gaz.related(target.entity)]
    replacement = rng.choice(others).en_label
    return en[:target.start] + replacement + en[target.end:]


def measure(folder: str, first: int, last: int) -> None:
    root = Path(folder)
    ru_lines = (root / "UNv1.0.devset.ru").read_text("utf-8").splitlines()[first:last]
    en_lines = (root / "UNv1.0.devset.en").read_text("utf-8").splitlines()[first:last]
    context = CheckContext()
    rng = random.Random(13)
    false = Counter[str]()
    planted = caught = 0
    for ru, en in zip(ru_lines, en_lines, strict=True):
        for found in run(ru, en, context):
            false[found.severity.value] += 1
        swapped = plant_swap(ru, en, context, rng)
        if swapped is not None:
            planted += 1
            caught += any(d.severity is Severity.CRITICAL for d in run(ru, swapped, context))
    n = len(ru_lines)
    print(f"pairs {n}: false findings per 100 pairs",
          {k: round(v * 100 / n, 2) for k, v in sorted(false.items())})
    print(f"planted country swaps {planted}: caught as critical {caught / max(planted, 1):.3f}")


if __name__ == "__main__":
    measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))


def test_every_listed_form_is_indexed_in_its_bucket() -> None:
    """The check indexes the lists lazily, by the first two letters of a form's first word;
    that finds a form only if its keys (lemma, stem) start with the same two letters."""
    morph = Morphology()
    lazy = load_gazetteer(morph, lazy=True)
    for (lang, bucket), forms in lazy.pending.items():
        for entity, text in forms:
            keys = _index_form({}, entity, text, lang, morph)
            assert {_bucket(key) for key in keys} == {bucket}, (lang, text, keys)
    for lang in ("ru", "en"):
        lazy._compile(lang, {b for language, b in lazy.pending if language == lang})
    eager = load_gazetteer(morph)
    assert lazy.ru_index == eager.ru_index and lazy.en_index == eager.en_index
