"""Glossaries: the house glossary, user TSV and TBX files, their errors, and term matching."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from aligner.errors import FormatError, InputError
from aligner.glossary import (
    STATUSES,
    Glossary,
    TermIndex,
    _bucket,
    _first_words,
    american,
    load_glossary,
    term_usages,
)
from aligner.morph import Morphology

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def house() -> Glossary:
    return load_glossary([])


@pytest.fixture(scope="module")
def index(house: Glossary) -> TermIndex:
    return TermIndex(house, Morphology())


def renderings_of(glossary: Glossary, ru: str) -> dict[str, str]:
    term = glossary.term(ru)
    assert term is not None, ru
    return {r.en: r.status for r in term.renderings}


# --- the house glossary --------------------------------------------------------------------


def test_house_glossary_size_and_shape(house: Glossary) -> None:
    rows = [r for t in house for r in t.renderings]
    assert len(rows) >= 300
    assert len(house) >= 150
    assert {r.status for r in rows} == set(STATUSES)
    assert {t.domain for t in house} >= {"arms-control", "un", "sanctions", "rhetoric",
                                         "protocol"}
    assert all(t.house is not None for t in house), "every term needs an accepted rendering"
    assert all(r.source.startswith("aligner.corpora/glossary/") for r in rows)


@pytest.mark.parametrize(("ru", "en", "status"), [
    ("раздражители", "irritants", "preferred"),
    ("раздражители", "annoyances", "deprecated"),
    ("раздражители", "irritations", "deprecated"),
    ("ПРО", "missile defence", "preferred"),
    ("ПРО", "ABM", "admitted"),
    ("Договор по ПРО", "ABM Treaty", "preferred"),
    ("ДРСМД", "INF Treaty", "preferred"),
    ("Договор о СНВ", "New START", "preferred"),
    ("ДВЗЯИ", "CTBT", "preferred"),
    ("ДНЯО", "NPT", "preferred"),
    ("нераспространение", "non-proliferation", "preferred"),
    ("ОЗХО", "OPCW", "preferred"),
    ("КХО", "CWC", "preferred"),
    ("КБТО", "BWC", "preferred"),
    ("постоянный представитель", "Permanent Representative", "preferred"),
    ("миротворческие операции", "peacekeeping operations", "preferred"),
    ("односторонние ограничительные меры", "unilateral restrictive measures", "preferred"),
    ("односторонние ограничительные меры", "unilateral sanctions", "admitted"),
    ("вторичные санкции", "secondary sanctions", "preferred"),
    ("специальная военная операция", "special military operation", "preferred"),
    ("киевский режим", "Kiev regime", "preferred"),
    ("коллективный Запад", "collective West", "preferred"),
    ("многополярный мир", "multipolar world", "preferred"),
    ("цветные революции", "colour revolutions", "preferred"),
    ("русофобия", "Russophobia", "preferred"),
    ("соотечественники", "compatriots", "preferred"),
    ("неделимость безопасности", "indivisibility of security", "preferred"),
    ("равноправный диалог", "equal dialogue", "preferred"),
    ("взаимный учёт интересов", "mutual consideration of interests", "preferred"),
    ("верительные грамоты", "credentials", "preferred"),
    ("нота", "note", "preferred"),
    ("персона нон грата", "persona non grata", "preferred"),
    ("Чрезвычайный и Полномочный Посол", "Ambassador Extraordinary and Plenipotentiary",
     "preferred"),
])
def test_house_glossary_covers_the_brief(house: Glossary, ru: str, en: str, status: str) -> None:
    assert renderings_of(house, ru).get(en) == status


def test_every_house_rendering_is_found_as_itself(index: TermIndex) -> None:
    """No two renderings of a term collide: each, alone, is matched with its own status."""
    for term in index.terms:
        for rendering in term.renderings:
            hits = [h for h in index.find_renderings(rendering.en, [term])
                    if (h.start, h.end) == (0, len(rendering.en))]
            assert hits, (term.ru, rendering.en)
            assert hits[0].rendering == rendering, (term.ru, rendering.en, hits[0].rendering)


def test_every_house_term_is_found_as_itself(index: TermIndex) -> None:
    for term in index.terms:
        hits = index.find_terms(term.ru)
        assert [h.term for h in hits if not h.nested] == [term], term.ru


def test_house_terms_lemmatise_within_their_bucket(house: Glossary) -> None:
    """The house glossary is compiled lazily by the first letters of a term's first word
    (``_bucket``), which works because the word's match keys (lemma, abbreviation) start
    with the same letters; a term for which that fails would never be found."""
    morph = Morphology()
    index = TermIndex(house, morph)
    for term in house.terms:
        keys = {key[0] for key in index._phrase_keys(term.ru, "ru")}
        assert {_bucket(key) for key in keys} == {
            _bucket(word) for word in _first_words(term.ru)}, term.ru


def test_lazy_compilation_finds_what_eager_does(house: Glossary) -> None:
    morph = Morphology()
    lazy, eager = TermIndex(house, morph), TermIndex(house, morph)
    assert eager.terms  # compiles every bucket
    ru = "Такие шаги создают новые раздражители и подрывают режим ДНЯО."
    en = "Such steps create new annoyances and undermine the NPT regime."
    assert [(u.term.ru, u.deprecated) for u in term_usages(lazy, ru, en)] == [
        (u.term.ru, u.deprecated) for u in term_usages(eager, ru, en)]
    assert len(lazy._done & set(lazy._buckets)) < len(lazy._buckets) / 4  # a few compiled


def test_glossary_is_immutable(house: Glossary) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        house.terms = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        house.terms[0].ru = "x"  # type: ignore[misc]
    assert isinstance(house.terms, tuple)


# --- user TSV ----------------------------------------------------------------------------


def test_user_tsv_overrides_the_house_glossary() -> None:
    glossary = load_glossary([FIXTURES / "user.tsv"])
    assert renderings_of(glossary, "дорожная карта")["road map"] == "deprecated"
    assert renderings_of(glossary, "дорожная карта")["roadmap"] == "preferred"
    assert renderings_of(glossary, "раздражители")["pain points"] == "deprecated"
    assert renderings_of(glossary, "зерновая сделка") == {
        "Black Sea Grain Initiative": "preferred", "grain deal": "admitted",
        "corn deal": "deprecated"}
    assert glossary.sources[-1].endswith("user.tsv")


def test_user_tsv_alone() -> None:
    glossary = load_glossary([FIXTURES / "user.tsv"], include_default=False)
    assert [t.ru for t in glossary] == ["раздражители", "дорожная карта", "киевский режим",
                                        "зерновая сделка"]
    term = glossary.term("зерновая сделка")
    assert term is not None and term.domain == "diplomacy"
    assert term.deprecated[0].note == '"зерно" is grain'
    assert term.deprecated[0].source.endswith("user.tsv:9")


def test_two_column_tsv_is_all_preferred() -> None:
    glossary = load_glossary([str(FIXTURES / "two-column.tsv")], include_default=False)
    assert [(t.ru, r.en, r.status) for t in glossary for r in t.renderings] == [
        ("Черноморская зерновая инициатива", "Black Sea Grain Initiative", "preferred"),
        ("меморандум Россия – ООН", "Russia-UN Memorandum", "preferred"),
    ]


def test_columns_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "reordered.tsv"
    path.write_text("status\ten\tru\ndeprecated\tdischarge\tразрядка\n", encoding="utf-8")
    glossary = load_glossary([path], include_default=False)
    assert renderings_of(glossary, "разрядка") == {"discharge": "deprecated"}


@pytest.mark.parametrize(("name", "message"), [
    ("bad-status.tsv", "bad-status.tsv:4:3: status must be preferred, admitted or deprecated, "
                       "found 'prefered'"),
    ("too-many-columns.tsv", "too-many-columns.tsv:2:6: too many columns"),
    ("bad-header.tsv", "bad-header.tsv:1:3: unknown column 'staus' (known columns: ru, en, "
                       "status, domain, note)"),
    ("spaces-not-tabs.tsv", "spaces-not-tabs.tsv:2:2: the English rendering is empty "
                            "(columns are separated by tabs)"),
    ("empty.tsv", "empty.tsv: the glossary holds no entries"),
])
def test_malformed_tsv(name: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        load_glossary([FIXTURES / name])
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert caught.value.exit_code == 1


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="glossary file not found") as caught:
        load_glossary([tmp_path / "nope.tsv"])
    assert "nope.tsv" in str(caught.value)
    assert "--glossary" in str(caught.value)


def test_directory_and_bad_encoding_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        load_glossary([tmp_path])
    with pytest.raises(InputError, match=r"latin1\.tsv:2: the glossary is not UTF-8"):
        load_glossary([FIXTURES / "latin1.tsv"])


# --- TBX ---------------------------------------------------------------------------------


def test_tbx_basic_v2() -> None:
    glossary = load_glossary([FIXTURES / "basic.tbx"], include_default=False)
    assert renderings_of(glossary, "раздражители") == {
        "irritants": "preferred", "sore points": "admitted", "aggravations": "deprecated"}
    assert renderings_of(glossary, "вербальная нота") == {
        "note verbale": "preferred", "oral note": "deprecated"}  # superseded = deprecated
    term = glossary.term("раздражители")
    assert term is not None and term.domain == "rhetoric"
    assert term.deprecated[0].note == "the house term is irritants"
    assert term.deprecated[0].source == f"{FIXTURES / 'basic.tbx'}:24"
    assert len(glossary) == 2  # the German-English entry has no Russian term


def test_tbx_v3() -> None:
    glossary = load_glossary([FIXTURES / "v3.tbx"], include_default=False)
    assert renderings_of(glossary, "санкционный нажим") == {
        "sanctions pressure": "preferred", "sanction squeeze": "deprecated"}


@pytest.mark.parametrize(("name", "message"), [
    ("not-xml.tbx", "not-xml.tbx:1: is not a TBX file: not well-formed XML"),
    ("broken.tbx", "broken.tbx:6: is not a TBX file: not well-formed XML"),
    ("wrong-root.tbx", "wrong-root.tbx: is not a TBX file: the root element is <xliff>, "
                       "expected <tbx> or <martif>"),
    ("bad-status.tbx", "bad-status.tbx:9: administrativeStatus must be preferredTerm-admn-sts"),
    ("no-russian.tbx", 'no-russian.tbx: has no entry with both a Russian (xml:lang="ru")'),
])
def test_malformed_tbx(name: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        load_glossary([FIXTURES / name])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_tbx_entities_are_never_resolved() -> None:
    """No file, network or billion-laughs expansion: entity references are dropped."""
    glossary = load_glossary([FIXTURES / "entities.tbx"], include_default=False)
    assert renderings_of(glossary, "нота") == {"note": "preferred"}


def test_tbx_in_utf16_is_read_by_its_declaration(tmp_path: Path) -> None:
    text = (FIXTURES / "v3.tbx").read_text(encoding="utf-8").replace('"UTF-8"', '"UTF-16"')
    path = tmp_path / "utf16.tbx"
    path.write_bytes(text.encode("utf-16"))
    assert load_glossary([path], include_default=False).term("санкционный нажим") is not None


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_bytes(b"ru\ten\n\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        load_glossary([path])


def test_xml_content_in_a_tsv_named_file_is_read_as_tbx(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_bytes((FIXTURES / "v3.tbx").read_bytes())
    assert load_glossary([path], include_default=False).term("санкционный нажим") is not None


# --- matching ----------------------------------------------------------------------------


@pytest.mark.parametrize(("british", "american_form"), [
    ("defence", "defense"), ("offences", "offenses"), ("licence", "license"),
    ("colour", "color"), ("behaviour", "behavior"), ("neighbourly", "neighborly"),
    ("favourable", "favorable"), ("organisation", "organization"),
    ("recognised", "recognized"), ("analyse", "analyze"), ("cancelled", "canceled"),
    ("travelling", "traveling"), ("dialogue", "dialog"), ("centre", "center"),
    ("programme", "program"), ("détente", "detente"),
])
def test_british_spellings_fold_into_american(british: str, american_form: str) -> None:
    assert american(british) == american_form
    assert american(american_form) == american_form


@pytest.mark.parametrize("word", ["four", "hour", "rise", "filled", "called", "sense",
                                  "genre", "tour"])
def test_short_words_keep_their_spelling(word: str) -> None:
    assert american(word) == word


def test_russian_terms_match_on_lemmas(index: TermIndex) -> None:
    ru = "Мы говорили о раздражителях, о киевском режиме и о многополярного мира формировании."
    found = [(h.term.ru, ru[h.start:h.end]) for h in index.find_terms(ru) if not h.nested]
    assert found == [("раздражители", "раздражителях"), ("киевский режим", "киевском режиме"),
                     ("многополярный мир", "многополярного мира")]


def test_abbreviations_match_case_sensitively(index: TermIndex) -> None:
    assert [h.term.ru for h in index.find_terms("Речь шла про переговоры.")] == []
    assert [h.term.ru for h in index.find_terms("Речь шла о ПРО.")] == ["ПРО"]
    assert [h.term.ru for h in index.find_terms("заявление МИДа России") if not h.nested] == [
        "МИД России"]
    term = index.find_terms("Договор о СНВ")[0].term
    assert index.find_renderings("The talks will start on Monday.", [term]) == ()
    hits = index.find_renderings("New START expires in 2026.", [term])
    assert [h.rendering.en for h in hits] == ["New START"]


def test_nested_and_overlapping_russian_terms(index: TermIndex) -> None:
    ru = "Выход из Договора по ПРО"
    assert [(h.term.ru, ru[h.start:h.end], h.nested) for h in index.find_terms(ru)] == [
        ("выход из договора", "Выход из Договора", False),
        ("Договор по ПРО", "Договора по ПРО", False),
        ("ПРО", "ПРО", True),
    ]


@pytest.mark.parametrize("en", [
    "the missile defence system", "the missile defense system", "the missile-defence system",
    "US missile defenses",
])
def test_english_spelling_and_hyphen_variants_match(index: TermIndex, en: str) -> None:
    term = index.find_terms("ПРО")[0].term
    hits = index.find_renderings(en, [term])
    assert [h.rendering.en for h in hits] == ["missile defence"]


@pytest.mark.parametrize(("en", "rendering"), [
    ("non-proliferation", "non-proliferation"), ("nonproliferation", "non-proliferation"),
    ("Non-Proliferation", "non-proliferation"),
])
def test_hyphenated_and_joined_forms_match(index: TermIndex, en: str, rendering: str) -> None:
    term = index.find_terms("нераспространение")[0].term
    assert [h.rendering.en for h in index.find_renderings(en, [term])] == [rendering]


def test_same_stem_renderings_are_told_apart(index: TermIndex) -> None:
    """"irritants" and "irritations" share the Snowball stem "irrit"."""
    term = index.find_terms("раздражители")[0].term
    found = index.find_renderings("irritations, an irritant and irritants", [term])
    assert [(h.rendering.en, h.rendering.status) for h in found] == [
        ("irritations", "deprecated"), ("irritants", "preferred"), ("irritants", "preferred")]


def test_possessives_match(index: TermIndex) -> None:
    term = index.find_terms("НАТО")[0].term
    assert [h.rendering.en for h in index.find_renderings("NATO's expansion", [term])] == [
        "NATO"]


def test_term_usages_assign_each_english_hit_once(index: TermIndex) -> None:
    ru = "Организация Объединённых Наций и агентства ООН"
    usages = {u.term.ru: u for u in term_usages(index, ru, "United Nations agencies")}
    assert sum(len(u.accepted) for u in usages.values()) == 1
    assert all(u.any_accepted for u in usages.values())


def test_term_usages_skip_deprecated_inside_another_terms_house_rendering(
    index: TermIndex,
) -> None:
    ru = "Совет Европы и Европейский совет"
    usages = term_usages(index, ru, "The Council of Europe and the European Council")
    assert all(not u.deprecated for u in usages)
    assert Counter(u.term.ru for u in usages) == Counter(["Совет Европы", "Европейский совет"])
