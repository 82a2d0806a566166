"""modality.v1: obligation ↔ possibility shifts, intensifiers and hedges on one side only.

Run as a script to measure on the UN devset (false findings on the clean pairs, recall on
the same pairs with the English modal swapped: "must"/"should"/"shall" → "may" where the
Russian holds only an obligation, "may"/"can"/"could" → "must" where it holds only a
possibility; and with an English intensifier removed where both sides have one)::

    python tests/checks/test_modality.py ../shared/data/parallel/un-v1-devset 0 2000
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from casefile import read_cases, run_check

from aligner.checks import CheckContext, Severity, registered
from aligner.checks.base import Category, Divergence
from aligner.checks.modality import cues_in, load_modality_lexicons
from aligner.checks.polarity import tokenize

CASES = Path(__file__).parent / "cases" / "modality.tsv"


def run(ru: str, en: str, context: CheckContext | None = None) -> list[Divergence]:
    return run_check("modality.v1", ru, en, context)


@pytest.mark.parametrize(("expect", "ru", "en", "note"), read_cases(CASES))
def test_cases(expect: str, ru: str, en: str, note: str, context: CheckContext) -> None:
    found = run(ru, en, context)
    assert bool(found) == (expect == "fail"), (note, [d.message for d in found])


def test_cases_are_balanced() -> None:
    cases = read_cases(CASES)
    assert len(cases) >= 25
    assert sum(c[0] == "pass" for c in cases) >= len(cases) / 2 - 1


def test_registered_as_major_mistranslation() -> None:
    spec = registered()["modality.v1"]
    assert spec.severity is Severity.MAJOR
    assert spec.category is Category.MISTRANSLATION
    assert spec.title.startswith("Obligation rendered as possibility")


def test_obligation_to_possibility_is_major_and_points_at_both_modals() -> None:
    ru = "Все государства должны выполнять резолюции Совета Безопасности."
    en = "All States may implement the resolutions of the Security Council."
    (finding,) = run(ru, en)
    assert finding.severity is Severity.MAJOR
    ((s0, s1),) = finding.src_spans
    ((t0, t1),) = finding.tgt_spans
    assert ru[s0:s1] == "должны"
    assert en[t0:t1] == "may"
    assert "obligation" in finding.message and "possibility" in finding.message


def test_modals_in_different_clauses_are_not_a_shift() -> None:
    ru = ("Как можно скорее необходимо провести консультации с участием всех сторон, "
          "включая представителей гражданского общества и региональных организаций, "
          "которые могут внести свой вклад.")
    en = ("Consultations with all parties, including representatives of civil society and "
          "regional organizations, are to be held promptly; these organizations can "
          "contribute.")
    assert [d for d in run(ru, en) if d.severity is Severity.MAJOR] == []


def test_dropped_intensifier_is_minor_and_points_at_it() -> None:
    ru = "Россия решительно осуждает этот террористический акт."
    en = "Russia condemns this terrorist act."
    (finding,) = run(ru, en)
    assert finding.severity is Severity.MINOR
    ((s0, s1),) = finding.src_spans
    assert ru[s0:s1] == "решительно"
    assert finding.tgt_spans == ()


def test_added_intensifier_points_at_the_english_word() -> None:
    ru = "Россия осуждает обстрел гуманитарного конвоя."
    en = "Russia strongly condemns the shelling of the humanitarian convoy."
    (finding,) = run(ru, en)
    ((t0, t1),) = finding.tgt_spans
    assert en[t0:t1] == "strongly"


def test_negated_modal_is_not_counted() -> None:
    lexicons = load_modality_lexicons()
    cued = cues_in(tokenize("Мы не можем и не должны молчать."), "ru", lexicons["ru"])
    assert [c for c in cued if c.kind in ("obligation", "possibility")] == []
    cued = cues_in(tokenize("We may not and should not keep silent."), "en", lexicons["en"])
    assert [c for c in cued if c.kind in ("obligation", "possibility")] == []


def test_null_bead_gives_nothing() -> None:
    assert run("Все государства должны выполнять резолюции.", "") == []


def test_lexicon_is_cached_on_the_context() -> None:
    context = CheckContext()
    run("Мы должны.", "We may.", context)
    lexicons = context.resources["modality.lexicons"]
    run("Мы должны.", "We may.", context)
    assert context.resources["modality.lexicons"] is lexicons


# --- planted shifts ---------------------------------------------------------------------------

_SWAPS = {
    "obligation": (re.compile(r"\b(must|should|shall)\b"), "may"),
    "possibility": (re.compile(r"\b(may|can|could)\b"), "must"),
}


def plant(ru: str, en: str) -> tuple[str, str, str] | None:
    """``(ru, en, kind)`` with one English modal or intensifier changed, or None."""
    lexicons = load_modality_lexicons()
    src = {c.kind for c in cues_in(tokenize(ru), "ru", lexicons["ru"])}
    tgt_cued = cues_in(tokenize(en), "en", lexicons["en"])
    tgt = {c.kind for c in tgt_cued}
    for kind, other in (("obligation", "possibility"), ("possibility", "obligation")):
        if kind in src and other not in src and kind in tgt and other not in tgt:
            pattern, replacement = _SWAPS[kind]
            swapped, count = pattern.subn(replacement, en)
            if count:
                return ru, swapped, f"{kind} swapped"
    if "intensifier" in src and "intensifier" in tgt:
        first = next(c for c in tgt_cued if c.kind == "intensifier")
        return ru, en[:first.span[0]] + en[first.span[1]:].lstrip(), "intensifier dropped"
    return None


def _measure(folder: Path, first: int, last: int) -> None:
    ru_lines = (folder / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    en_lines = (folder / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    context = CheckContext()
    by_severity: dict[str, int] = {}
    planted: dict[str, int] = {}
    caught: dict[str, int] = {}
    for i in range(first, last):
        found = run(ru_lines[i], en_lines[i], context)
        for d in found:
            by_severity[d.severity.value] = by_severity.get(d.severity.value, 0) + 1
            print(f"FALSE {i}: {d.severity.value} {d.message}")
        changed = plant(ru_lines[i], en_lines[i])
        if changed is None or found:
            continue
        ru, en, kind = changed
        planted[kind] = planted.get(kind, 0) + 1
        if run(ru, en, context):
            caught[kind] = caught.get(kind, 0) + 1
        else:
            print(f"MISSED {i} ({kind}): {ru} ||| {en}")
    pairs = last - first
    total = sum(by_severity.values())
    print(f"clean pairs {pairs}: {total} findings = {100 * total / pairs:.2f} per 100 "
          f"{by_severity}")
    for kind, n in sorted(planted.items()):
        print(f"planted {kind}: {n}, caught {caught.get(kind, 0)}, "
              f"recall {caught.get(kind, 0) / n:.3f}")


if __name__ == "__main__":
    _measure(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
