"""polarity.v1: negation on one side only, antonym swaps; pass/fail pairs and planted flips.

Run as a script to measure on the UN devset (false findings on the clean pairs, recall on
the same pairs with a negation planted or removed)::

    python tests/checks/test_polarity.py ../shared/data/parallel/un-v1-devset 0 2000
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from casefile import read_cases, run_check

from aligner.checks import CheckContext, Pair, Severity, registered
from aligner.checks.base import Category, Divergence
from aligner.checks.polarity import load_lexicons, scan, strong_units, tokenize

CASES = Path(__file__).parent / "cases" / "polarity.tsv"


def run(ru: str, en: str, context: CheckContext | None = None) -> list[Divergence]:
    return run_check("polarity.v1", ru, en, context)


@pytest.mark.parametrize(("expect", "ru", "en", "note"), read_cases(CASES))
def test_cases(expect: str, ru: str, en: str, note: str, context: CheckContext) -> None:
    found = run(ru, en, context)
    assert bool(found) == (expect == "fail"), (note, [d.message for d in found])


def test_cases_are_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(c[0] == "pass" for c in cases) >= len(cases) / 2 - 1


def test_registered_as_critical_mistranslation() -> None:
    spec = registered()["polarity.v1"]
    assert spec.severity is Severity.CRITICAL
    assert spec.category is Category.MISTRANSLATION
    assert spec.title.startswith("Negation on one side only")


def test_dropped_negation_points_at_ne_and_the_english_clause() -> None:
    ru = "Россия не намерена втягиваться в гонку вооружений."
    en = "Russia intends to be drawn into an arms race."
    (finding,) = run(ru, en)
    assert finding.severity is Severity.CRITICAL
    ((s0, s1),) = finding.src_spans
    assert ru[s0:s1] == "не"
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "Russia intends to be drawn into an arms race"
    assert "«не намерена»" in finding.message


def test_added_negation_points_at_not() -> None:
    ru = "Делегация поддержала проект резолюции, внесенный Египтом."
    en = "The delegation did not support the draft resolution introduced by Egypt."
    (finding,) = run(ru, en)
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "not"
    ((s0, s1),) = finding.src_spans
    assert ru[s0:s1] == "Делегация поддержала проект резолюции"


def test_english_clause_is_chosen_by_position() -> None:
    ru = ("Стороны подписали меморандум, однако Москва не признает результаты так "
          "называемого референдума.")
    en = ("The parties signed a memorandum, but Moscow recognizes the results of the "
          "so-called referendum.")
    (finding,) = run(ru, en)
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "but Moscow recognizes the results of the so-called referendum"


def test_antonym_flip_points_at_both_verbs() -> None:
    ru = "Россия приветствует решение Совета Безопасности."
    en = "Russia condemns the decision of the Security Council."
    (finding,) = run(ru, en)
    ((s0, s1),) = finding.src_spans
    ((t0, t1),) = finding.tgt_spans
    assert ru[s0:s1] == "приветствует"
    assert en[t0:t1] == "condemns"
    assert "welcome" in finding.message and "condemn" in finding.message


def test_negated_verb_and_antonym_cancel() -> None:
    assert run("Россия не поддерживает этот проект.", "Russia opposes this draft.") == []


def test_concord_counts_once() -> None:
    tokens = tokenize("Никто ни в Москве, ни в Вашингтоне никогда не говорил этого.")
    lexicon = load_lexicons()["ru"]
    units = strong_units(scan(tokens, "ru", lexicon), "ru", tokens)
    assert [u.text for u in units] == ["не"]


def test_ni_word_with_a_finite_verb_and_no_ne_is_no_negation() -> None:
    tokens = tokenize("Никаких решений по этому вопросу принято было.")
    hits = scan(tokens, "ru", load_lexicons()["ru"])
    assert [u.text for u in strong_units(hits, "ru", tokens)] == ["Никаких"]
    verbs = {"принято", "было"}
    assert strong_units(hits, "ru", tokens, lambda word: word in verbs) == []


def test_dropped_ne_after_ni_word_points_at_the_english_negation() -> None:
    ru = "Ни одна из сторон нарушила режим прекращения огня."
    en = "Neither party has violated the ceasefire."
    (finding,) = run(ru, en)
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "Neither"
    ((s0, s1),) = finding.src_spans
    assert ru[s0:s1] == "Ни одна из сторон нарушила режим прекращения огня"


def test_negation_with_an_exception_is_rendered_by_only() -> None:
    ru = "Никто, кроме Совета Безопасности, не вправе вводить такие меры."
    assert run(ru, "Only the Security Council may impose such measures.") == []
    (finding,) = run(ru, "The Security Council may impose such measures.")
    assert "«не вправе»" in finding.message


def test_poka_ne_is_until_before_a_future_verb_and_not_yet_otherwise() -> None:
    ru_until = "Санкции сохранятся, пока не будут выполнены Минские договоренности."
    assert run(ru_until, "The sanctions will remain until the Minsk agreements are "
                         "implemented.") == []
    (finding,) = run("Решение по этому вопросу пока не принято.",
                     "A decision on this matter has been taken.")
    assert "«пока не принято»" in finding.message


def test_second_clause_with_its_own_subject_is_a_negation_of_its_own() -> None:
    tokens = tokenize("89 States had not submitted reports for 2023 and 97 States had not "
                      "submitted reports for 2024.")
    units = strong_units(scan(tokens, "en", load_lexicons()["en"]), "en", tokens)
    assert [u.text for u in units] == ["not", "not"]
    tokens = tokenize("The country has not signed and has not ratified the treaty.")
    units = strong_units(scan(tokens, "en", load_lexicons()["en"]), "en", tokens)
    assert [u.text for u in units] == ["not"]


def test_fixed_double_negation_renders_negator_and_negative_verb() -> None:
    ru = "Россия не исключает возобновления переговоров в женевском формате."
    assert run(ru, "Russia does not exclude a resumption of the talks in the Geneva "
                   "format.") == []
    en = "Moscow does not exclude a resumption of the talks in the Geneva format."
    (finding,) = run("Москва исключает возобновление переговоров в женевском формате.", en)
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "not"


def test_negative_word_rendered_on_the_other_side_explains_no_added_negation() -> None:
    (finding,) = run("Эти меры применяются только к физическим лицам.",
                     "These measures do not apply only to individuals.")
    assert "the English negates" in finding.message
    assert run("Эти меры применяются только к физическим лицам.",
               "These measures apply only to individuals.") == []


def test_negation_in_a_reworded_clause_is_a_minor_finding() -> None:
    ru = "Проведенный анализ показывает, что в этой сфере ощутимых сдвигов добиться не удалось."
    (finding,) = run(ru, "The analysis points to sluggish change in this sphere.")
    assert finding.severity is Severity.MINOR
    assert "rewords the clause" in finding.message
    ((s0, s1),) = finding.src_spans
    assert ru[s0:s1] == "не"
    (finding,) = run("Россия намерена втягиваться в гонку вооружений.",
                     "Russia does not intend to be drawn into an arms race.")
    assert finding.severity is Severity.CRITICAL


def test_prefix_negation_is_not_a_particle() -> None:
    tokens = tokenize("Такие действия неприемлемы и безответственны.")
    hits = scan(tokens, "ru", load_lexicons()["ru"])
    assert [(h.kind, h.text) for h in hits] == [
        ("lexical", "неприемлемы"), ("lexical", "безответственны")]


def test_number_sign_is_not_no() -> None:
    tokens = tokenize("See resolution No. 2231 and Protocol No 3.")
    assert scan(tokens, "en", load_lexicons()["en"]) == []


def test_lexicon_is_cached_on_the_context() -> None:
    context = CheckContext()
    run("Мы не согласны.", "We disagree.", context)
    lexicons = context.resources["polarity.lexicons"]
    run("Мы не согласны.", "We disagree.", context)
    assert context.resources["polarity.lexicons"] is lexicons


def test_null_bead_and_other_languages_give_nothing() -> None:
    check = registered()["polarity.v1"].run_pair
    assert check is not None
    assert list(check(Pair(0, "Россия не намерена.", ""), CheckContext())) == []
    assert list(check(Pair(0, "Nous ne voulons pas.", "We want.", src_lang="fr"),
                      CheckContext())) == []


# --- planted flips ----------------------------------------------------------------------------

_AUXILIARIES = frozenset(
    "is are was were has have had will would shall should can could may might must does do "
    "did".split())


def plant(ru: str, en: str, rng: random.Random, is_finite_verb: object) -> tuple[str, str] | None:
    """``(ru, en)`` with one negation removed (where both sides have one) or inserted:
    «не» before the first finite Russian verb, "not" after the first English auxiliary.
    ``is_finite_verb`` is a callable on a Russian word (pymorphy in the script)."""
    lexicons = load_lexicons()
    ru_tokens, en_tokens = tokenize(ru), tokenize(en)
    ru_units = strong_units(scan(ru_tokens, "ru", lexicons["ru"]), "ru", ru_tokens)
    en_units = strong_units(scan(en_tokens, "en", lexicons["en"]), "en", en_tokens)
    if ru_units and en_units:
        ru_ne = [u for u in ru_units if u.text.lower() == "не"
                 and not any(h.sentence == u.sentence and h.text.lower().startswith("ни")
                             for h in scan(ru_tokens, "ru", lexicons["ru"]))]
        en_not = [u for u in en_units if u.text.lower() in ("not", "never")
                  or u.text.lower().endswith("n't")]
        options = [("ru", u) for u in ru_ne] + [("en", u) for u in en_not]
        if not options:
            return None
        side, unit = rng.choice(options)
        if side == "ru":
            return ru[:unit.start] + ru[unit.end:].lstrip(), en
        word = unit.text.lower()
        if word.endswith("n't"):
            stem = {"won't": "will", "can't": "can"}.get(word, unit.text[:-3])
            return ru, en[:unit.start] + stem + en[unit.end:]
        return ru, en[:unit.start] + en[unit.end:].lstrip()
    if ru_units or en_units:
        return None  # a side with an unmatched negation already: not a clean pair
    sides = ["ru", "en"]
    rng.shuffle(sides)
    for side in sides:
        if side == "ru":
            for w in ru_tokens.words:
                if is_finite_verb(w.text):  # type: ignore[operator]
                    return ru[:w.start] + "не " + ru[w.start:], en
        else:
            for w in en_tokens.words:
                if w.text in _AUXILIARIES:
                    return ru, en[:w.end] + " not" + en[w.end:]
    return None


def _measure(folder: Path, first: int, last: int, quiet: bool = False) -> None:
    import pymorphy3

    analyzer = pymorphy3.MorphAnalyzer()

    def is_finite_verb(word: str) -> bool:
        tag = analyzer.parse(word)[0].tag
        return bool(tag.POS == "VERB" and re.fullmatch(r"[а-яё]+", word.lower()))

    ru_lines = (folder / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    en_lines = (folder / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    rng = random.Random(20240531)
    context = CheckContext()
    clean_found = planted = caught = 0
    for i in range(first, last):
        ru, en = ru_lines[i], en_lines[i]
        found = run(ru, en, context)
        clean_found += len(found)
        for d in found:
            if not quiet:
                print(f"FALSE {i}: {d.message}")
        flipped = plant(ru, en, rng, is_finite_verb)
        if flipped is None or found:
            continue
        planted += 1
        if run(*flipped, context):
            caught += 1
        elif not quiet:
            print(f"MISSED {i}: {flipped[0]} ||| {flipped[1]}")
    pairs = last - first
    print(f"clean pairs {pairs}: {clean_found} findings = {100 * clean_found / pairs:.2f} per 100")
    print(f"planted {planted}: caught {caught}, recall {caught / max(planted, 1):.3f}")


if __name__ == "__main__":
    _measure(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
