"""untranslated.v1: Russian left in the English, and Cyrillic letters hiding in English words.

Two findings. Russian words in the English (a phrase the translator did not get to, a whole
sentence pasted from the original) are major. A Cyrillic letter inside an English word or
number ("WНO" with a Cyrillic Н, "Prospeсt", "22°С", "105х195") is minor: it reads right but
breaks search, spell-checking and terminology checks.

Not findings: Cyrillic in a web address («стопкоронавирус.рф»); a Russian term given as a
gloss in parentheses ("Rossotrudnichestvo (Россотрудничество)"); a quoted Russian word the
English talks about ('the word "ярмарка"'). A segment identical on both sides is reported
only when it is Russian (the English side is then the untranslated original); identical
Latin text is a name, a heading or a document symbol that UN Russian documents keep in
English ("Distr.: General", "S/2015/123").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aligner.checks.base import (
    Category,
    CheckContext,
    Divergence,
    Pair,
    Severity,
    Span,
    register,
)

CHECK = "untranslated.v1"

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
# A "word" here is any run without spaces, so "WНO", "22°С" and "стопкоронавирус.рф/" stay
# whole; punctuation at its ends is trimmed.
_CHUNK = re.compile(r"\S+")
_EDGE = "\"'«»“”„‘’()[]{}<>.,;:!?…—–-"
#: Cyrillic letters that look like Latin ones in most fonts.
_LOOKALIKES = frozenset("АВЕКМНОРСТХУаеорсухіјѕІЈЅ")
_ADDRESS = re.compile(r"(?:://|www\.|@|\.рф\b|\.ru\b|\.com\b|\.su\b|\.рус\b)", re.IGNORECASE)
#: Words before a quoted Russian word that make it a mention, not a translation gap.
_MENTION_CUES = re.compile(
    r"\b(?:word|words|term|terms|expression|phrase|called|known as|namely|dubbed|"
    r"Russian|reads?|spelled|spelt|title[sd]?|entitled|name[sd]?)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)
_OPEN_QUOTES = "\"«“„'‘"


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_homoglyph(word: str, before: str) -> bool:
    """A Latin word or a number with look-alike Cyrillic letters in it: "WНO", "22°С"."""
    cyrillic = [ch for ch in word if _CYRILLIC.match(ch)]
    if not all(ch in _LOOKALIKES for ch in cyrillic):
        return False
    if _LATIN.search(word) or any(ch.isdigit() for ch in word):
        return True
    # "+17º С", "С. Exemplary inspections": a lone letter is a typo for its Latin twin.
    return len(word) == 1 or before.rstrip().endswith(("°", "º"))


def _is_gloss(en: str, start: int, end: int) -> bool:
    """Cyrillic given as a gloss in parentheses, or a quoted word the English talks about."""
    before = en[:start].rstrip()
    after = en[end:].lstrip()
    if before.endswith("(") and after.startswith(")"):
        return bool(_LATIN.search(before))
    if before and before[-1] in _OPEN_QUOTES:
        return bool(_MENTION_CUES.search(before[:-1]))
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


@register(CHECK, Severity.MAJOR, Category.UNTRANSLATED)
def check_untranslated(pair: Pair, context: CheckContext) -> Iterator[Divergence]:
    """Russian left untranslated in the English, or Cyrillic letters inside English words

    Russian words in the English text are major; a Cyrillic look-alike letter inside an
    English word or a number ("WНO", "22°С") is minor. Cyrillic in web addresses, glosses in
    parentheses and quoted words the English talks about ('the word "ярмарка"') are left
    alone. Misfires on deliberate Russian quotations without a cue word before them.
    """
    if pair.is_null:
        return
    sides = pair.russian_english()
    if sides is None:
        return
    ru, en, ru_is_src = sides
    if not _CYRILLIC.search(en):
        return

    def spans(ru_span: Span | None, en_span: Span) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
        """(src spans, tgt spans) for a Russian and an English span."""
        ru_spans = (ru_span,) if ru_span else ()
        return (ru_spans, (en_span,)) if ru_is_src else ((en_span,), ru_spans)

    if _normal(ru) == _normal(en):
        src, tgt = spans((0, len(ru)), (0, len(en)))
        yield Divergence(
            CHECK, Severity.MAJOR, Category.UNTRANSLATED,
            "the English is the Russian text itself: the segment was not translated",
            src_spans=src, tgt_spans=tgt,
        )
        return

    runs: list[list[tuple[int, int]]] = []
    for match in _CHUNK.finditer(en):
        start, end = _trim(en, match.start(), match.end())
        word = en[start:end]
        if not _CYRILLIC.search(word):
            if _LATIN.search(word):
                runs.append([])  # a Latin word ends a run of Russian words
            continue
        if _ADDRESS.search(match.group()):
            continue
        if _is_homoglyph(word, en[:start]):
            letters = ", ".join(dict.fromkeys(ch for ch in word if _CYRILLIC.match(ch)))
            src, tgt = spans(None, (start, end))
            yield Divergence(
                CHECK, Severity.MINOR, Category.UNTRANSLATED,
                f"\"{word}\" has Cyrillic «{letters}» that only look Latin: search and "
                "spell-checking will miss the word",
                src_spans=src, tgt_spans=tgt,
                suggestion="retype the word with Latin letters",
            )
            continue
        if not runs or not runs[-1]:
            runs.append([])
        runs[-1].append((start, end))

    for run in runs:
        if not run:
            continue
        start, end = run[0][0], run[-1][1]
        if _is_gloss(en, start, end):
            continue
        text = en[start:end]
        found = ru.find(text)
        src, tgt = spans((found, found + len(text)) if found >= 0 else None, (start, end))
        yield Divergence(
            CHECK, Severity.MAJOR, Category.UNTRANSLATED,
            f"Russian left untranslated in the English: \"{text}\"",
            src_spans=src, tgt_spans=tgt,
            suggestion="translate it, or mark it as a deliberate gloss in parentheses",
        )
