"""quotes.v1: a quoted span that loses or gains its quotation marks in translation.

Russian diplomatic rhetoric puts terms it disowns in quotes («так называемые
"гуманитарные интервенции"», «"соперничество держав"»): the quotes are the meaning, and
an English that drops them says the speaker accepts the term. Quote styles never count
(«» „“ “” "" <<>> are all quotes); only the number of quoted spans on each side does.
When the numbers differ, the spans are paired in order by position, length and shared
words (names by transliteration, numbers, Latin words), and the spans left over are
reported.

A span left over is reported only when its quotes are rhetorical: a distancing word
stands before it («так называемые», «пресловутый», «якобы»), or it holds a term that
diplomatic polemic puts in scare quotes («демократия», «партнёры», «порядок, основанный на
правилах», «соперничество держав»; the lists are below). Russian, and UN Russian above
all, also quotes terms, calques and metaphors that English writes plainly («дорожная
карта», «круглые столы», «бочковые бомбы», «голубая линия»): on the UN devset those were
nearly every count mismatch, and none of them is an error.

Left alone as well: a span that starts with a capital letter (a name or a title:
«Газпром», «Повестка дня на XXI век», direct speech turned into reported speech); a span
after «так называемый» when the English says "so-called", which carries the same
distance; and a pair whose quotes do not balance on either side (a quotation that runs on
into the next bead).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register
from aligner.morph import Morphology
from aligner.translit import name_similarity

CHECK = "quotes.v1"

#: Openers and the closers that end them. “ opens in English and closes „ in Russian;
#: the straight quote closes itself.
_PAIRS = {"«": "»", "<<": ">>", "„": "“”", "“": "”", "‘": "’", '"': '"'}
_TOKEN = re.compile(r"<<|>>|[«»„“”‘’\"]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_SO_CALLED_RU = re.compile(r"так\s+называем\w*\s*$", re.IGNORECASE)
_SO_CALLED_EN = re.compile(r"\bso[- ]called\b", re.IGNORECASE)
#: Words before a quoted term that say the speaker does not accept it.
_DISTANCING_RU = re.compile(
    r"(?:так\s+называем\w*|т\.\s?н\.|пресловут\w*|якобы|мним\w*|горе-|некое|некий|"
    r"некая|некие|своего\s+рода|самопровозглашенн\w*|самопровозглашённ\w*)\s*$",
    re.IGNORECASE,
)
_DISTANCING_EN = re.compile(
    r"\b(?:so[- ]called|alleged|supposed|purported|self-proclaimed|self-styled|"
    r"would-be|pseudo-)\s*$",
    re.IGNORECASE,
)
_SCARE_WORDS = 5
#: Lemmas of terms Russian diplomatic polemic puts in scare quotes.
_SCARE_RU = frozenset(
    "демократия демократический демократизация партнер цивилизованный свободный свобода "
    "ценность правило порядок соперничество держава интервенция миротворец протестующий "
    "протест оппозиция оппозиционер умеренный революция независимый журналист правозащитник "
    "активист эксперт освобождение освободитель агрессия оккупация аннексия вторжение "
    "отравление расследование доказательство факт правда разоблачение реформа реформатор "
    "легитимный легитимность выборы референдум сдерживание изоляция коалиция союзник "
    "защитник герой патриот повстанец называть мирный гуманитарный".split()
)
#: Stems of the same terms in English, for quotes the English adds.
_SCARE_EN = frozenset(
    "democraci democrat partner civil free freedom valu rule order rivalri intervent "
    "peacekeep protest opposit moder revolut independ journalist defend activist expert "
    "liber aggress occup annex invas poison investig evid fact truth reform legitim "
    "elect referendum deterr isol coalit alli hero patriot rebel peac humanitarian".split()
)


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class Quoted(NamedTuple):
    """A top-level quoted span: ``start``/``end`` include the marks, ``text`` is inside."""

    start: int
    end: int
    text: str


def quoted_spans(text: str) -> tuple[Quoted, ...] | None:
    """The top-level quoted spans of ``text``, or None if its quotes do not balance."""
    stack: list[tuple[str, int]] = []
    spans: list[Quoted] = []
    for match in _TOKEN.finditer(text):
        mark, pos = match.group(), match.start()
        if mark in {"‘", "’"} and not _is_single_quote(text, pos, mark, stack):
            continue  # an apostrophe: "Russia’s"
        if stack and mark in _PAIRS[stack[-1][0]]:
            opener, start = stack.pop()
            if not stack:
                inner = text[start + len(opener): pos]
                spans.append(Quoted(start, pos + len(mark), inner))
            continue
        if mark in _PAIRS:
            stack.append((mark, pos))
            continue
        return None  # a closer with nothing open
    return None if stack else tuple(spans)


def _is_single_quote(text: str, pos: int, mark: str, stack: Sequence[tuple[str, int]]) -> bool:
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if mark == "‘":
        return not before.isalnum() and after.isalnum()
    # ’ closes an open ‘ unless a letter follows (then it is an apostrophe).
    return bool(stack) and stack[-1][0] == "‘" and not after.isalnum()


def _anchors(text: str) -> tuple[set[str], list[str], set[str]]:
    """Numbers, capitalised Cyrillic words and Latin words of a span, to pair it with."""
    words = _WORD.findall(text)
    numbers = {w for w in words if w.isdigit()}
    names = [w for w in words if w[0].isupper() and _CYRILLIC.match(w)]
    latin = {w.lower() for w in words if w.isascii() and w.isalpha() and len(w) > 2}
    return numbers, names, latin


def _affinity(ru: Quoted, ru_text: str, en: Quoted, en_text: str) -> float:
    """How likely two quoted spans render each other: higher is likelier."""
    ru_pos = (ru.start + ru.end) / 2 / max(len(ru_text), 1)
    en_pos = (en.start + en.end) / 2 / max(len(en_text), 1)
    score = -2.0 * abs(ru_pos - en_pos)
    ratio = (len(en.text) + 5) / (len(ru.text) + 5)
    score -= 0.5 * abs(math.log(ratio))
    ru_numbers, ru_names, ru_latin = _anchors(ru.text)
    en_numbers, _, en_latin = _anchors(en.text)
    en_words = [w for w in _WORD.findall(en.text) if w[0].isupper()]
    score += 1.0 * len(ru_numbers & en_numbers) + 1.0 * len(ru_latin & en_latin)
    for name in ru_names:
        if any(name_similarity([name.lower()], w) >= 0.75 for w in en_words):
            score += 1.0
    return score


def unmatched(
    ru_spans: Sequence[Quoted], ru_text: str, en_spans: Sequence[Quoted], en_text: str
) -> tuple[list[int], list[int]]:
    """Indices of the spans left unpaired when the shorter side is paired in order.

    A monotone alignment (each span of the shorter side paired with one of the longer,
    order kept) that maximises the summed affinity; the longer side's leftovers are
    returned (the shorter side has none).
    """
    m, n = len(ru_spans), len(en_spans)
    swap = m > n
    short, long_ = (en_spans, ru_spans) if swap else (ru_spans, en_spans)

    def affinity(i: int, j: int) -> float:
        if swap:
            return _affinity(long_[j], ru_text, short[i], en_text)
        return _affinity(short[i], ru_text, long_[j], en_text)

    a, b = len(short), len(long_)
    neg = -math.inf
    # best[i][j]: best score pairing short[:i] within long_[:j]
    best = [[neg] * (b + 1) for _ in range(a + 1)]
    for j in range(b + 1):
        best[0][j] = 0.0
    for i in range(1, a + 1):
        for j in range(i, b + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + affinity(i - 1, j - 1)
            best[i][j] = max(skip, take)
    paired: set[int] = set()
    i, j = a, b
    while i > 0 and j > 0:
        if best[i][j] == best[i][j - 1] and j > i:
            j -= 1
            continue
        paired.add(j - 1)
        i -= 1
        j -= 1
    left = [k for k in range(b) if k not in paired]
    return (left, []) if swap else ([], left)


def _is_rhetorical(span: Quoted, text: str, other: str, lang: str, morph: Morphology) -> bool:
    """Whether a quoted span left without a counterpart carries the speaker's distance."""
    inner = span.text.strip(" \t.,;:!?…-—–'\"«»“”„‘’")
    if not inner or not any(ch.isalpha() for ch in inner) or inner[0].isupper():
        return False  # a number, a name, a title, direct speech
    before = text[: span.start]
    if lang == "ru":
        if _DISTANCING_RU.search(before):
            # «так называемые "X"» rendered 'so-called X' keeps the distance.
            return not _SO_CALLED_EN.search(other) and not _DISTANCING_EN.search(other)
        words = _WORD.findall(inner)
        # Scare quotes hold a word or a short phrase; a long span is a citation.
        return len(words) <= _SCARE_WORDS and bool({morph.ru_lemma(w) for w in words} & _SCARE_RU)
    if _DISTANCING_EN.search(before):
        return not re.search(r"так\s+называем|якобы|пресловут", other, re.IGNORECASE)
    words = _WORD.findall(inner)
    return len(words) <= _SCARE_WORDS and bool({morph.en_stem(w) for w in words} & _SCARE_EN)


@register(CHECK, Severity.MINOR, Category.MISTRANSLATION)
def check_quotes(pair: Pair, context: CheckContext) -> Iterator[Divergence]:
    """A quoted span that loses or gains its quotation marks

    Compares the number of quoted spans on the two sides, whatever the quote style («» „“
    “” "" <<>>); when they differ, pairs the spans in order and reports the ones left over.
    Reports a span left over only when its quotes are rhetorical (a distancing word before
    it, «так называемые», or a term polemic puts in scare quotes, «демократия»): Russian
    also quotes plain terms and calques («дорожная карта») that English writes unquoted.
    Names and titles (spans that start with a capital) and «так называемые» rendered
    "so-called" are left alone. Misfires when the English italicises a term instead of
    quoting it, and when a quotation is split across beads differently on the two sides.
    """
    if pair.is_null:
        return
    sides = pair.russian_english()
    if sides is None:
        return
    ru, en, ru_is_src = sides
    ru_spans = quoted_spans(ru)
    en_spans = quoted_spans(en)
    if ru_spans is None or en_spans is None or len(ru_spans) == len(en_spans):
        return
    morph: Morphology = context.resource("morphology", Morphology)
    ru_left, en_left = unmatched(ru_spans, ru, en_spans, en)
    reported: set[str] = set()
    for k in ru_left:
        span = ru_spans[k]
        if span.text in reported or not _is_rhetorical(span, ru, en, "ru", morph):
            continue
        reported.add(span.text)
        where = (span.start, span.end)
        yield Divergence(
            CHECK, Severity.MINOR, Category.MISTRANSLATION,
            f"the Russian puts {ru[span.start:span.end]} in quotes but the English does not: "
            "in Russian diplomatic usage the quotes distance the speaker from the term",
            suggestion="keep the quotation marks in the English",
            src_spans=(where,) if ru_is_src else (),
            tgt_spans=() if ru_is_src else (where,),
        )
    for k in en_left:
        span = en_spans[k]
        if span.text in reported or not _is_rhetorical(span, en, ru, "en", morph):
            continue
        reported.add(span.text)
        where = (span.start, span.end)
        yield Divergence(
            CHECK, Severity.MINOR, Category.MISTRANSLATION,
            f"the English puts {en[span.start:span.end]} in quotes but the Russian does not: "
            "quotes add a distance from the term that the original does not have",
            suggestion="drop the quotation marks unless the Russian implies them",
            src_spans=() if ru_is_src else (where,),
            tgt_spans=(where,) if ru_is_src else (),
        )
