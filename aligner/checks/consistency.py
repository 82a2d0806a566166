"""consistency.v1: one glossary term rendered in more than one way within a document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register
from aligner.checks.terminology import glossary_index, ru_en, usages
from aligner.glossary import Glossary, Rendering, Term, TermIndex, TermUsage, term_usages
from aligner.morph import Morphology, words

NAME = "consistency.v1"


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class Occurrence(NamedTuple):
    """One rendering of a glossary term in one bead, with its spans in ``src``/``tgt``."""

    bead: int
    term: Term
    rendering: Rendering
    src_span: tuple[int, int]
    tgt_span: tuple[int, int]


def occurrences(
    pairs: Sequence[Pair], index: TermIndex,
    usages_of: Callable[[str, str], Sequence[TermUsage]] | None = None,
) -> list[Occurrence]:
    """Every rendering of a glossary term found in ``pairs``, in document order.

    A term that occurs n times in a bead's Russian contributes at most n renderings (the
    first n found in the English); an occurrence whose rendering was not found adds nothing.
    """
    found = []
    for pair in pairs:
        texts = ru_en(pair)
        if texts is None:
            continue
        ru, en, swapped = texts
        used = usages_of(ru, en) if usages_of is not None else term_usages(index, ru, en)
        for usage in used:
            for src_hit, tgt_hit in zip(usage.standalone, usage.renderings, strict=False):
                src_span, tgt_span = (src_hit.start, src_hit.end), (tgt_hit.start, tgt_hit.end)
                if swapped:
                    src_span, tgt_span = tgt_span, src_span
                found.append(Occurrence(pair.index, usage.term, tgt_hit.rendering,
                                        src_span, tgt_span))
    return found


def term_renderings(
    pairs: Sequence[Pair], glossary: Glossary, morph: Morphology
) -> dict[str, Counter[str]]:
    """Russian term -> how often each of its renderings is used in ``pairs``.

    Pure: a corpus run can add up the counters of its documents and pass the total to
    ``inconsistent_terms`` to report each inconsistent term once across the corpus.
    """
    counts: dict[str, Counter[str]] = {}
    for occurrence in occurrences(pairs, TermIndex(glossary, morph)):
        counts.setdefault(occurrence.term.ru, Counter())[occurrence.rendering.en] += 1
    return counts


_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "a", "an"})


def _variant(rendering: Rendering, term: Term | None) -> str:
    """Which "way" of rendering a term ``rendering`` is ("" for the house way).

    The preferred renderings are interchangeable (an abbreviation and its expansion, "NPT"
    and "Treaty on the Non-Proliferation of Nuclear Weapons"), and so are the admitted
    short forms of a preferred rendering ("the Assembly" for "General Assembly", "the
    Treaty", "MoU"). Every other admitted or deprecated rendering is a way of its own.
    """
    if rendering.status == "preferred":
        return ""
    if rendering.status == "admitted" and term is not None:
        short = [w.text.casefold() for w in words(rendering.en)]
        for preferred in term.renderings:
            if preferred.status != "preferred":
                continue
            full = [w.text.casefold() for w in words(preferred.en.replace("-", " "))]
            if _subsequence(short, full) or _initialism(rendering.en, full):
                return ""
    return rendering.en.casefold()


def _subsequence(short: list[str], full: list[str]) -> bool:
    rest = iter(full)
    return len(short) < len(full) and all(word in rest for word in short)


def _initialism(abbreviation: str, full: list[str]) -> bool:
    letters = abbreviation.casefold()
    if " " in letters or len(letters) < 2:
        return False
    every = "".join(w[0] for w in full)
    content = "".join(w[0] for w in full if w not in _FUNCTION_WORDS)
    return letters in (every, content)


def _status_of(term: Term | None, en: str) -> Rendering:
    if term is not None:
        for rendering in term.renderings:
            if rendering.en == en:
                return rendering
    return Rendering(en, "admitted")


def inconsistent_terms(
    counts: Mapping[str, Counter[str]], glossary: Glossary
) -> dict[str, Counter[str]]:
    """The terms of ``counts`` (from ``term_renderings``) rendered in more than one way."""
    result = {}
    for ru, counter in counts.items():
        term = glossary.term(ru)
        if len({_variant(_status_of(term, en), term) for en in counter}) > 1:
            result[ru] = counter
    return result


def describe(ru: str, counter: Counter[str]) -> str:
    """«раздражители»: "irritants" ×3, "annoyances" ×1"""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return f"«{ru}»: " + ", ".join(f'"{en}" ×{n}' for en, n in ranked)


@register(NAME, Severity.MINOR, Category.TERMINOLOGY, document=True)
def consistency(pairs: Sequence[Pair], context: CheckContext) -> Iterable[tuple[int, Divergence]]:
    """Glossary term rendered inconsistently within the document

    Collects, for every glossary term in the Russian, the renderings the English uses for
    it across the whole document, and reports a term once when it is rendered in more than
    one way ("irritants" in one paragraph, "annoyances" in another; "Kiev regime" and
    "Kyiv regime"). The preferred renderings of a term count as one way, so an
    abbreviation alternating with its expansion ("NPT", "Treaty on the Non-Proliferation of
    Nuclear Weapons") is not reported. The finding sits on the first bead that departs from
    the dominant rendering (the preferred one if the document uses it, else the most
    frequent) and gives the counts of each rendering.

    Misfires: a document that quotes another translation verbatim; a term deliberately
    varied for the reader (an admitted short form, "special operation", after the full
    "special military operation").
    """
    found = occurrences(pairs, glossary_index(context),
                        lambda ru, en: usages(context, ru, en))
    by_term: dict[int, list[Occurrence]] = {}
    for occurrence in found:
        by_term.setdefault(id(occurrence.term), []).append(occurrence)
    for group in by_term.values():
        term = group[0].term
        variants = Counter(_variant(o.rendering, term) for o in group)
        if len(variants) < 2:
            continue
        dominant = "" if "" in variants else max(
            variants, key=lambda v: (variants[v], -_first(group, v, term)))
        deviant = next(o for o in group if _variant(o.rendering, term) != dominant)
        usual = Counter(o.rendering.en for o in group if _variant(o.rendering, term) == dominant)
        suggestion = usual.most_common(1)[0][0]
        counts = Counter(o.rendering.en for o in group)
        message = (f"{describe(group[0].term.ru, counts)} — the term is rendered "
                   f"{len(counts)} ways in this document; keep to \"{suggestion}\"")
        yield deviant.bead, Divergence(NAME, Severity.MINOR, Category.TERMINOLOGY, message,
                                       src_spans=(deviant.src_span,),
                                       tgt_spans=(deviant.tgt_span,),
                                       suggestion=suggestion)


def _first(group: list[Occurrence], variant: str, term: Term) -> int:
    return next(i for i, o in enumerate(group) if _variant(o.rendering, term) == variant)
