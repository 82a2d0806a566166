"""numbers.v1: a figure in the Russian that the English changes, drops or adds.

Both sides are read into values, whatever their form, and compared as multisets: «20 тыс.»
is 20,000, «1,5 млрд долл.» is "$1.5 billion", «пять процентов» is "5 per cent",
«шестьдесят девятая сессия» is "Sixty-ninth session", «7364-го» is "7364th", «две трети»
is "two-thirds". Document symbols (S/RES/2231, A/69/767) are compared as whole tokens,
times as minutes of the day ("3 p.m." is «15 ч. 00 м.»).

A value on both sides is fine whatever its form. Values left over on both sides are paired
up as changed figures (critical); a figure in digits left over on one side only is an
omission or an addition (major). How much a figure counts depends on how it is written
(``Strength``): spelled-out numbers and paragraph numbers only count against a different
figure on the other side; "one", «один», "first", "five-year" only ever match; list markers
and page numbers, which differ between language versions of UN documents, are compared only
with each other and reported as minor. Days and years inside dates belong to dates.v1: they
are never reported here, only matched, so a changed date is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib.resources import files
from itertools import pairwise
from typing import Any, NamedTuple

from aligner.checks._quantities import (
    DASHES,
    SPACES,
    SUPPORTED,
    DateMention,
    LazyPattern,
    Strength,
    date_spans,
    find_dates,
    inside,
    language_name,
    quote,
)
from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register
from aligner.checks.dates import dates_in
from aligner.errors import FormatError
from aligner.morph import Morphology

CHECK = "numbers.v1"

#: What a figure is compared on: ("n", Decimal), ("frac", Fraction), ("time", minutes of
#: the day) or ("sym", "S/RES/2231").
Key = tuple[str, Hashable]


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class Quantity(NamedTuple):
    """One figure found in a text: its span, the values it may stand for, its strength."""

    start: int
    end: int
    keys: tuple[Key, ...]  # the first is the reading shown; the others are alternatives
    strength: Strength
    shown: str  # the value as written in English: "20,000", "10:30", "S/RES/2231"
    digits: str = ""  # the digits of a plain integer ("2014", «116 123»); "" otherwise
    page: bool = False  # a page number («стр. 34», "p. 31")

    def matches(self, other: Quantity) -> bool:
        return any(key in other.keys for key in self.keys)

    @property
    def number(self) -> Decimal | None:
        for kind, value in self.keys:
            if kind == "n" and isinstance(value, Decimal):
                return value
        return None


# --- Spelled-out numerals ---------------------------------------------------------------------


class Numeral(NamedTuple):
    value: Decimal
    kind: str  # "number", "hundred" (English, multiplies what precedes) or "scale"
    ordinal: bool


_NOT_A_NUMERAL = Numeral(Decimal(0), "number", False)
_NOT_LOOKED_UP = Numeral(Decimal(-1), "number", False)  # a memo's "not asked yet"


@dataclass(frozen=True)
class Numerals:
    """Word form -> numeral, per language (Russian forms generated from the listed lemmas)."""

    by_lang: dict[str, dict[str, Numeral]] = field(default_factory=dict)
    # (lang, word as written) -> numeral or None, for the run: most words are asked often
    memo: dict[tuple[str, str], Numeral | None] = field(default_factory=dict, compare=False,
                                                         repr=False)

    def get(self, lang: str, word: str) -> Numeral | None:
        key = (lang, word)
        found = self.memo.get(key, _NOT_LOOKED_UP)
        if found is _NOT_LOOKED_UP:
            found = self.memo[key] = self.by_lang.get(lang, {}).get(
                word.lower().replace("ё", "е"))
        return found


# Inflected forms that are far more often another word: «семью» (family).
_RU_SKIPPED_FORMS = frozenset({"семью"})


def load_numerals(analyzer: Any | None = None) -> Numerals:
    """Read ``corpora/lists/numerals.tsv``; Russian lemmas are expanded to all their forms
    by ``analyzer`` (a ``pymorphy3.MorphAnalyzer``; one is made if none is given)."""
    resource = files("aligner.corpora") / "lists" / "numerals.tsv"
    lines = resource.read_text(encoding="utf-8").splitlines()
    return parse_numerals(lines, "corpora/lists/numerals.tsv", analyzer or _new_analyzer())


def parse_numerals(lines: Iterable[str], name: str, analyzer: Any | None) -> Numerals:
    """The numeral list from its lines (see ``numerals.tsv``); without ``analyzer`` a Russian
    lemma stands for itself only."""
    by_lang: dict[str, dict[str, Numeral]] = {"ru": {}, "en": {}}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        try:
            lang, word, value, kind, ordinal = line.split("\t")
            numeral = Numeral(Decimal(value), kind, ordinal == "yes")
        except (ValueError, InvalidOperation) as err:
            raise FormatError(
                f"expected 5 tab-separated cells (lang, word, value, kind, ordinal), found "
                f"{line!r}", where=f"{name}:{number}",
            ) from err
        if lang not in by_lang or kind not in ("number", "hundred", "scale") \
                or ordinal not in ("yes", "no"):
            raise FormatError(
                f"unknown language, kind or ordinal in {line!r}",
                where=f"{name}:{number}",
                hint="lang is ru or en; kind number, hundred or scale; ordinal yes or no",
            )
        forms = {word}
        if lang == "ru" and analyzer is not None:
            forms |= _ru_forms(analyzer, word)
        for form in forms:
            form = form.replace("ё", "е")
            if form not in _RU_SKIPPED_FORMS:
                by_lang[lang].setdefault(form, numeral)
    return Numerals(by_lang)


def _new_analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _ru_forms(analyzer: Any, lemma: str) -> set[str]:
    """Every form of a numeral lemma (numeral and ordinal parses; nouns for тысяча etc.)."""
    parses = [p for p in analyzer.parse(lemma) if p.normal_form.replace("ё", "е") == lemma]
    numeric = [p for p in parses if "NUMR" in p.tag or "Anum" in p.tag]
    nouns = [p for p in parses if "NOUN" in p.tag and "Abbr" not in p.tag]
    forms: set[str] = set()
    for parse in numeric or nouns[:1]:
        forms |= {form.word for form in parse.lexeme if not form.word.startswith("наи")}
    return forms


# --- Patterns ---------------------------------------------------------------------------------

_SP = f"[{SPACES}]"
_DASH = f"[{DASHES}]"

# Document symbols: S/RES/2231, A/C.5/69/L.1, E/CN.6/2015/1. Cyrillic look-alikes are read as
# the Latin letters they stand for («А/69/767» is A/69/767).
_SYMBOL = LazyPattern(
    r"(?<![\w/])[A-ZАВЕКМНОРСТХ][A-Za-zАВЕКМНОРСТХ]*(?:\.\d+)?"
    r"(?:/[A-Za-z0-9АВЕКМНОРСТХ][A-Za-z0-9АВЕКМНОРСТХ.\-]*)+"
)
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")
_SLASHED = LazyPattern(r"(?<![\w/.,])(?<!\d\s)\d+(?:/\d+)+(?![\w/])")  # 69/1, 2014/15
_DOTTED = LazyPattern(r"(?<![\w.,])\d+(?:\.\d+){2,}(?![\w.]?\d)")  # 1.2.3

# Times. A Russian hour may be followed by the part of the day: «7 вечера» is 19:00.
_PART_OF_DAY = rf"(?:{_SP}+(?P<part>утра|вечера|дня|ночи))?"
_RU_AFTER_PREPOSITION = (
    r"(?:(?<=\bв )|(?<=\bк )|(?<=\bс )|(?<=\bдо )|(?<=\bпосле )|(?<=\bоколо )|(?<=\bна ))"
)
_RU_TIMES = (
    LazyPattern(
        rf"(?<![\d.,])(?P<h>[01]?\d|2[0-3]){_SP}*ч\.?{_SP}*(?P<m>[0-5]\d){_SP}*м(?:ин)?\.?"
        + _PART_OF_DAY
    ),
    LazyPattern(
        rf"(?<![\d.,])(?P<h>[01]?\d|2[0-3]){_SP}*час(?:ов|а|\.)?{_SP}*(?P<m>[0-5]?\d){_SP}*мин[а-я]*"
        + _PART_OF_DAY, re.IGNORECASE,
    ),
    LazyPattern(
        rf"(?<![\d.,])(?P<h>[01]?\d|2[0-3])[:.\u0589](?P<m>[0-5]\d)(?![\d:]|[.,]\d)"
        rf"(?:{_SP}+(?P<part>утра|вечера|дня|ночи)|(?={_SP}*(?:ч\.|час|мин|мск|по{_SP})))"
    ),
    LazyPattern(
        r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])[:\u0589](?P<m>[0-5]\d)(?![\d:])" + _PART_OF_DAY
    ),
    # «в 19.00», «к 4.00»: a dotted time after a preposition.
    LazyPattern(
        _RU_AFTER_PREPOSITION
        + r"(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)(?![\d:]|[.,]\d)" + _PART_OF_DAY
    ),
    # «в 7 часов утра», «около 7 утра».
    LazyPattern(
        rf"(?<![\d.,])(?P<h>[01]?\d|2[0-3])(?:{_SP}*час(?:ов|а)?)?{_SP}+"
        r"(?P<part>утра|вечера|дня|ночи)\b"
    ),
    # «в 19 часов» (but not «в течение 48 часов»: a preposition must come first).
    LazyPattern(_RU_AFTER_PREPOSITION + rf"(?P<h>[01]?\d|2[0-3]){_SP}*час(?:ов|а)?\b"),
)
_EN_TIMES = (
    LazyPattern(
        rf"(?<![\d.,])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?{_SP}*"
        r"(?P<ap>[ap])\.?m\.?(?![\w])",
        re.IGNORECASE,
    ),
    LazyPattern(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])"),
)
# 0300, 1500 hours: a military time, in either language.
_HOURS = (
    LazyPattern(r"(?<![\d.,:])(?P<h>0\d)(?P<m>[0-5]\d)(?![\d:]|[.,]\d)"),
    LazyPattern(rf"(?<![\d.,:])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d){_SP}*(?:hours|hrs|h)\b"),
)
_HHMM = LazyPattern(r"(?:[01]\d|2[0-3])[0-5]\d")
_NOON = LazyPattern(
    r"(?<!\w)(?P<word>noon|midnight|полдень|полдня|полночь|полуночи)(?!\w)", re.IGNORECASE
)
_NOON_WORDS = ("noon", "полдень", "полдня")

# Digits. Russian: 1 000,5 (any space groups thousands, comma is decimal); English: 1,000.5,
# and a decimal comma before a scale word or a percent ("$11,5 billion").
_RU_NUMBER = LazyPattern(rf"\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
_EN_NUMBER = LazyPattern(
    r"\d{1,3},\d{1,2}(?=\s*(?:%|(?:per\s?cent|percent|thousand|million|billion|trillion)\b))"
    r"|\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?!\d)(?:\.\d+)?"
    r"|\d+(?:\.\d+)?"
)
_BARE_DECIMAL = LazyPattern(r"(?:^|[\s(\u00a0])\.$|^\.$")  # " .08": a decimal point, no zero
_THOUSANDS_POINT = LazyPattern(r"\d{1,3}\.\d{3}")  # 18.561 may be 18561
_DECIMAL_COMMA = LazyPattern(r"\d{1,3},\d{1,2}")
_SPACE_RUN = LazyPattern(rf"{_SP}+")

# Scale words after digits: «20 тыс.», «1,5 млрд», "1.5 billion", "$394-million", "£40m".
_RU_SCALE = LazyPattern(
    rf"{_SP}*(?:(?P<k>тыс\.?|тысяч(?:а|и|у|е|ей|ам|ами|ах|ью)?)"
    r"|(?P<m>млн\.?|миллион(?:а|у|ом|е|ы|ов|ам|ами|ах)?)"
    r"|(?P<b>млрд\.?|миллиард(?:а|у|ом|е|ы|ов|ам|ами|ах)?)"
    r"|(?P<t>трлн\.?|триллион(?:а|у|ом|е|ы|ов|ам|ами|ах)?))(?![а-яё])",
    re.IGNORECASE,
)
_EN_SCALE = LazyPattern(
    rf"(?:{_SP}|-)*(?:(?P<k>thousand)|(?P<m>million|mln|mn)|(?P<b>billion|bln|bn)"
    r"|(?P<t>trillion|tln|trln))(?![a-z])",
    re.IGNORECASE,
)
_EN_SHORT_SCALE = LazyPattern(r"(?:(?P<k>k)|(?P<m>m)|(?P<b>bn))(?![a-z])")  # after £ $ €
_CURRENCY_SIGNS = "£$€"
_SCALES = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9), "t": Decimal(10**12)}
_RU_SUFFIX = LazyPattern(r"-[а-яё]{1,3}(?=[\s\u00a0])")  # «49-ти тысячам»
_COMPOUND_SCALE = LazyPattern(r"-?(?:(?P<k>тысячн)|(?P<m>милл?ионн)|(?P<b>миллиардн))")
# «16-18 тыс.», "3 to 4 million": the scale of the second number is the first's too.
_SHARED_SCALE = LazyPattern(
    rf"(?:-?[а-яё]{{1,3}})?{_SP}*(?:{_DASH}|{_SP}(?:до|или|и|to|or|and)){_SP}*"
)
_HALF_AFTER = {
    "ru": LazyPattern(rf"{_SP}+с{_SP}+половиной|{_SP}*½|{_SP}+1/2(?![\d/])"),
    "en": LazyPattern(rf"{_SP}+and{_SP}+a{_SP}+half|{_SP}*½|(?:{_SP}|-)+1/2(?![\d/])"),
}
_PERCENT = LazyPattern(rf"{_SP}*(?:%|процент[а-яё]*|per{_SP}?cent|percent)", re.IGNORECASE)
_DECADE_SUFFIX = {"en": ("s",), "ru": ("х", "-х", "-е", "е", "-ые", "-ых", "ых")}
_DECADES_AFTER = LazyPattern(rf"{_SP}+(?:decades|десятилети[а-яё]*)", re.IGNORECASE)
_DAY_OF_HOURS = LazyPattern(rf"(?:{_SP}+|-)hours?\b", re.IGNORECASE)  # "24 hours" / «сутки»
_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th", "s")

# What stands around digits and says how much they count.
_LETTER_BEFORE = LazyPattern(r"[^\W\d_][\-\u2010\u2011]?$")
_LETTERS_AFTER = LazyPattern(r"[\-\u2010\u2011]?[^\W\d_]+")
# Letters glued to digits make a code ("COVID-19", "P-4"), except a currency or a prefix.
_NOT_A_CODE = LazyPattern(
    r"(?:\b(?:Euro|EUR|USD|US|SwF|CHF|GBP|RUB|RMB|Rs|евро|долл|руб)\.?-?"
    r"|\b(?:post|pre|mid|early|late|end|circa|ca|over|under|after|since|до|после|к)"
    r"[\-\u2010\u2011])$"
)
_PAGE_BEFORE = LazyPattern(
    rf"(?:\b(?:стр|с|p|pp)\.|\bpages?|\bстраниц[а-яё]*){_SP}*$", re.IGNORECASE
)
_FOOTNOTE_BEFORE = "\"”»)"  # a footnote mark glued to a quote: "ranges"18
_OPENING = LazyPattern(r"^[\s(]*$")
_UPPER_AFTER = LazyPattern(rf"{_SP}+[«\"]?[A-ZА-ЯЁ]")
# A number right after one of these is a paragraph, article or item number.
_RU_REFERENCE = LazyPattern(
    r"(?:\b(?:под)?пункт[а-яё]*|\bстать[а-яё]+|\bглав[а-яё]*|\bраздел[а-яё]*|\bчаст[ьиеюя][а-яё]*"
    r"|\bприложени[а-яё]+|\bтаблиц[а-яё]+|\bрисун[а-яё]+|\bправил[а-яё]*|\bабзац[а-яё]*"
    r"|\bсноск[а-яё]+|\bпараграф[а-яё]*|\b(?:пп?|ст|гл|разд|прил|табл|рис)\.)"
    rf"{_SP}*(?:№{_SP}*)?$",
    re.IGNORECASE,
)
_EN_REFERENCE = LazyPattern(
    r"\b(?:(?:sub)?paragraphs?|paras?\.|articles?|art\.|chapters?|sections?|annex(?:es)?"
    r"|tables?|figures?|fig\.|rules?|items?|footnotes?|parts?|regulations?|clauses?)"
    rf"{_SP}*(?:No\.{_SP}*)?$",
    re.IGNORECASE,
)
# What may stand between two numbers of one list of references: "paragraphs 3, 4 and 5".
_LIST_GAP = LazyPattern(
    rf"^{_SP}*(?:,|;|и|или|and|or|to|по|до|{_DASH})?{_SP}*(?:and{_SP}+|и{_SP}+)?$"
)
_RANGE_GAP = LazyPattern(rf"^{_SP}*(?:{_DASH}+|по|до|to|through|until|and)?{_SP}*$")
# "10. The Commission", «4. призывает», "(2) ...": at the start or after a sentence end.
_LIST_MARKER = LazyPattern(
    r"(?:^|(?<=[.;:!?»\"”)]\s))\s*\(?(\d{1,3}(?:\.\d{1,3})*)[.)](?=\s+[^\d\s])"
)

# Roman numerals of two letters or more; in Russian text a lone I, V or X too («V форум»).
_ROMAN = LazyPattern(r"(?<![\w\-])(?=[IVXL]{2,}\b)(L?X{0,3})(IX|IV|V?I{0,3})(?![\w\-])")
_RU_SINGLE_ROMAN = LazyPattern(r"(?<![\w\-.])[IVX](?![\w\-])(?=\s*[а-яёА-ЯЁ(])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}

# Spelled-out numbers.
_WORD = {"ru": LazyPattern(r"[а-яёА-ЯЁ]+(?:-[а-яёА-ЯЁ]+)*"),
         "en": LazyPattern(r"[A-Za-z]+(?:-[A-Za-z]+)*")}
_PLAIN_WORD = {"ru": LazyPattern(r"[а-яёА-ЯЁ]+"), "en": LazyPattern(r"[A-Za-z]+")}
_SPELLED_GAP = {"ru": LazyPattern(rf"^{_SP}+$"), "en": LazyPattern(rf"^{_SP}+(?:and{_SP}+)?$")}
_EN_DENOMINATOR = LazyPattern(
    r"(?:third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?", re.IGNORECASE
)
_RU_DENOMINATOR = LazyPattern(
    r"трет(?:ь|и|ью|ей|ям|ями|ях)|четверт(?:ь|и|ью|ей|ям|ями|ях)|[а-яё]+(?:ых|ая|ой|ую|ым|ыми)",
    re.IGNORECASE,
)
#: Denominators that are ordinals too: "a third" may be «третий», never "a quarter".
_EN_ORDINAL_DENOMINATORS = frozenset(
    ("third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"))
_OF_AFTER = LazyPattern(rf"{_SP}+of\b", re.IGNORECASE)
_FRACTION_GAP = LazyPattern(rf"^(?:{_SP}+|-)$")
_ANY_DIGIT = LazyPattern(r"\d")
_DIGIT_RUN = LazyPattern(r"\d+")  # its matches start where runs of digits do
# What follows the numeral stem of a Russian compound: «пяти|летний», «трех|сторонний».
_RU_HEADS = (
    r"(?:лет|годичн|годов|месячн|дневн|недельн|часов|минутн|секундн|этажн|процентн|кратн"
    r"|сторонн|дюймов|метров|километров|тонн|миллионн|тысячн|местн|членн|разов|мерн"
    r"|уровнев|комнатн|томн|серийн|сменн)"
)
_RU_COMPOUND_HEADS = LazyPattern(_RU_HEADS + r"[а-яё]*$")
_RU_HEAD_ANYWHERE = LazyPattern(_RU_HEADS)  # in a lower-cased text: a compound may be there
#: The words ``_EN_DENOMINATOR`` reads, lower case: "a quarter" needs one.
_EN_DENOMINATORS = frozenset(
    f"{word}{plural}" for word in ("third", "quarter", "fourth", "fifth", "sixth", "seventh",
                                   "eighth", "ninth", "tenth") for plural in ("", "s"))


# --- Reading figures --------------------------------------------------------------------------


def shown_number(value: Decimal) -> str:
    """A value written the English way: 20,000; 1.5; 2015 (no comma below 10,000)."""
    if value == value.to_integral_value():
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    return f"{value.normalize():,f}"


def _number_key(value: Decimal) -> Key:
    return ("n", value.normalize())


def _quantity(
    start: int, end: int, value: Decimal, strength: Strength,
    alternatives: Iterable[Decimal] = (), digits: str = "",
) -> Quantity:
    keys = (_number_key(value), *(_number_key(other) for other in alternatives if other != value))
    return Quantity(start, end, keys, strength, shown_number(value), digits)


def _symbol(start: int, token: str, strength: Strength = Strength.HARD) -> Quantity:
    key = token.translate(_HOMOGLYPHS)
    return Quantity(start, start + len(token), (("sym", key),), strength, key)


def find_numbers(
    text: str,
    lang: str,
    numerals: Numerals,
    dates: Sequence[DateMention] | None = None,
) -> tuple[Quantity, ...]:
    """Every figure in ``text``, in order, with the days and years of its dates as DATE."""
    if lang not in SUPPORTED:
        return ()
    if dates is None:
        dates = find_dates(text, lang)
    taken: list[tuple[int, int]] = list(date_spans(dates))
    found: list[Quantity] = [
        _quantity(start, end, Decimal(value), Strength.DATE)
        for mention in dates for start, end, value in mention.numbers
    ]

    def claim(start: int, end: int) -> bool:
        if inside(start, end, taken):
            return False
        taken.append((start, end))
        return True

    # Symbols, times and figures all hold a digit (noon and midnight aside): a text without
    # one (most sentences) skips their patterns.
    has_digit = _ANY_DIGIT.search(text) is not None
    for match in _SYMBOL.finditer(text) if has_digit else ():
        token = match.group().rstrip(".-")
        if any(ch.isdigit() for ch in token) and claim(match.start(), match.start() + len(token)):
            found.append(_symbol(match.start(), token))
    for match in _SLASHED.finditer(text) if has_digit else ():
        if claim(match.start(), match.end()):
            found.extend(_slashed(match))
    for match in _DOTTED.finditer(text) if has_digit else ():
        if claim(match.start(), match.end()):
            marker = match.start() in _list_markers(text)
            found.append(_symbol(match.start(), match.group(),
                                 Strength.MARKER if marker else Strength.HARD))
    for time in _times(text, lang, has_digit):
        if claim(time.start, time.end):
            found.append(time)
    if has_digit:
        found.extend(_digits(text, lang, taken))
    romans = [_ROMAN] + ([_RU_SINGLE_ROMAN] if lang == "ru" else [])
    for pattern in romans:
        for match in pattern.finditer(text):
            if match.group() and claim(match.start(), match.end()):
                found.append(_quantity(match.start(), match.end(), _roman(match.group()),
                                       Strength.CODE))
    found.extend(_spelled(text, lang, numerals, taken))
    return tuple(sorted(found, key=lambda q: (q.start, q.end)))


def _list_markers(text: str) -> set[int]:
    return {match.start(1) for match in _LIST_MARKER.finditer(text)}


def _slashed(match: re.Match[str]) -> list[Quantity]:
    """2014/15 and 2014/2015 are two years; anything else (69/1, 1/3) is one symbol."""
    parts = match.group().split("/")
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) in (2, 4):
        first, second = int(parts[0]), int(parts[1])
        if len(parts[1]) == 2:
            second += first - first % 100
        if second == first + 1:
            cut = match.start() + len(parts[0]) + 1
            return [
                _quantity(match.start(), cut - 1, Decimal(first), Strength.HARD),
                _quantity(cut, match.end(), Decimal(second), Strength.HARD),
            ]
    return [_symbol(match.start(), match.group())]


def _matches_at(pattern: LazyPattern, text: str, starts: Sequence[int]
                ) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, for a pattern that can only match from the
    start of a run of digits (``starts``): tried there alone, not at every character (the
    patterns open with a look-behind, so the regex engine cannot skip ahead on its own)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def _times(text: str, lang: str, has_digit: bool = True) -> Iterator[Quantity]:
    # Every pattern of _HOURS, _RU_TIMES and _EN_TIMES starts with the hour's digits, not
    # after another digit.
    starts = [m.start() for m in _DIGIT_RUN.finditer(text)] if has_digit else []
    for pattern in _HOURS if has_digit else ():
        for match in _matches_at(pattern, text, starts):
            yield _time(match.start(), match.end(), int(match.group("h")), int(match.group("m")))
    for pattern in (_RU_TIMES if lang == "ru" else _EN_TIMES) if has_digit else ():
        for match in _matches_at(pattern, text, starts):
            hour = written = int(match.group("h"))
            groups = match.groupdict()
            if groups.get("ap"):
                hour = hour % 12 + (12 if groups["ap"].lower() == "p" else 0)
            elif groups.get("part"):
                hour = _ru_hour(hour, groups["part"])
            yield _time(match.start(), match.end(), hour, int(groups.get("m") or 0), written)
    for match in _NOON.finditer(text):
        noon = match.group("word").lower() in _NOON_WORDS
        yield _time(match.start(), match.end(), 12 if noon else 0, 0)


def _ru_hour(hour: int, part: str) -> int:
    """«7 вечера» is 19:00, «2 часа дня» 14:00, «11 ночи» 23:00, «2 ночи» 02:00."""
    if part == "вечера" and hour < 12:
        return hour + 12
    if part == "дня" and 1 <= hour <= 6:
        return hour + 12
    if part == "ночи" and 9 <= hour <= 11:
        return hour + 12
    if part == "ночи" and hour == 12:
        return 0
    return hour


def _time(start: int, end: int, hour: int, minute: int, written: int | None = None) -> Quantity:
    """A time of day; on the hour it also matches the hour as written, so "after 5 p.m."
    matches «после пяти вечера»."""
    keys: tuple[Key, ...] = (("time", hour * 60 + minute),)
    if written is not None and not minute:
        keys += (_number_key(Decimal(written)),)
    return Quantity(start, end, keys, Strength.HARD, f"{hour:02d}:{minute:02d}")


def _parse_digits(token: str, lang: str) -> Decimal:
    token = _SPACE_RUN.sub("", token)
    if lang == "ru" or _DECIMAL_COMMA.fullmatch(token):
        return Decimal(token.replace(",", "."))
    return Decimal(token.replace(",", ""))


def _strength(
    text: str, start: int, end: int, value: Decimal, lang: str,
    previous: Quantity | None, previous_page: bool, markers: set[int],
) -> tuple[Strength, bool]:
    """How much the digits at ``start`` count, from what stands around them; and whether
    they are a page number (so that "pp. 34-35" is two page numbers)."""
    before = text[max(0, start - 40):start]
    gap = text[previous.end:start] if previous is not None else ""
    reference = _RU_REFERENCE if lang == "ru" else _EN_REFERENCE
    if _LETTER_BEFORE.search(before) and not _NOT_A_CODE.search(before):
        return Strength.CODE, False
    # A page number first: "(p. 31) and" looks like the list marker "31)" after a full stop.
    if _PAGE_BEFORE.search(before) or (previous_page and _LIST_GAP.match(gap)):
        return Strength.MARKER, True  # page numbers differ between language versions
    if start in markers:
        return Strength.MARKER, False
    if start and text[start - 1] in _FOOTNOTE_BEFORE:
        return Strength.WEAK, False
    if reference.search(before) or (
        previous is not None and previous.strength is Strength.REF and _LIST_GAP.match(gap)
    ):
        return Strength.REF, False
    if _OPENING.match(text[:start]) and value < 1000 and _UPPER_AFTER.match(text, end):
        return Strength.WORD, False  # "6 Croatia's ...": perhaps a footnote number
    return Strength.HARD, False


def _digits(text: str, lang: str, taken: list[tuple[int, int]]) -> Iterator[Quantity]:
    """Numbers written in digits, with what goes with them: a scale word, an ordinal ending,
    "½", a percent sign; each with the strength its surroundings give it."""
    pattern = _RU_NUMBER if lang == "ru" else _EN_NUMBER
    scale_pattern = _RU_SCALE if lang == "ru" else _EN_SCALE
    markers = _list_markers(text)
    previous: Quantity | None = None
    previous_page = False
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        token = match.group()
        if inside(start, end, taken) or (start and text[start - 1].isdigit()):
            continue
        value = _parse_digits(token, lang)
        if lang == "en" and token.isdigit() and _BARE_DECIMAL.match(text[max(0, start - 2):start]):
            value = Decimal(f"0.{token}")  # ".08%" is 0.08 (English may drop the zero)
        alternatives: list[Decimal] = []
        if _THOUSANDS_POINT.fullmatch(token):
            alternatives.append(Decimal(token.replace(".", "")))
        strength, page = _strength(text, start, end, value, lang, previous, previous_page,
                                   markers)
        if half := _HALF_AFTER[lang].match(text, end):  # 2 1/2 million, 2½
            value += Decimal("0.5")
            end = half.end()
        scale = _scale_after(text, end, lang, start)
        if scale and strength is not Strength.CODE:
            factor = _scale_of(scale)
            value *= factor
            end = scale.end()
            # «3 млн 442,2 тыс.», «4 млрд 975,5 млн»: one figure in two parts.
            while (space := _SPACE_RUN.match(text, end)) and (
                    more := pattern.match(text, space.end())):
                rest = scale_pattern.match(text, more.end())
                if not rest or _scale_of(rest) >= factor:
                    break
                factor = _scale_of(rest)
                value += _parse_digits(more.group(), lang) * factor
                end = rest.end()
        elif shared := _SHARED_SCALE.match(text, end):
            second = pattern.match(text, shared.end())
            second_scale = _scale_after(text, second.end(), lang, second.start()) \
                if second else None
            if second_scale is not None:
                alternatives.append(value * _scale_of(second_scale))
        letters = None if scale else _LETTERS_AFTER.match(text, end)
        if letters and strength is not Strength.CODE:
            suffix = letters.group().lower()
            if lang == "ru" or suffix.lstrip("-") in _ORDINAL_SUFFIXES:
                end = letters.end()  # 7364-го, 7378м, 15-летний, 7364th, 1990s
            if suffix in _DECADE_SUFFIX[lang] and len(token) == 4 and token.endswith("0"):
                alternatives.append(value % 100)  # the 1960s, «шестидесятые»
            if compound := _COMPOUND_SCALE.match(suffix):
                alternatives.append(value * _SCALES[compound.lastgroup or "k"])  # «25-тысячная»
        if strength is Strength.HARD and (
            value == 1 or (value == 24 and lang == "en" and _DAY_OF_HOURS.match(text, end))
        ):
            strength = Strength.WORD  # "up to 1 year" / «до года»; "24 hours" / «сутки»
        if _DECADES_AFTER.match(text, end):
            alternatives.append(value * 10)  # "five decades" / «50 лет»
        if percent := _PERCENT.match(text, end):
            end = percent.end()
        if previous is not None and len(token) == 2 and previous.strength is strength:
            value = _widened_year(previous, text[previous.end:start], value)
        plain = _SPACE_RUN.sub("", token)
        quantity = _quantity(start, end, value, strength, alternatives,
                             plain if plain.isdigit() else "")
        if page:
            quantity = quantity._replace(page=True)
        if _HHMM.fullmatch(token):  # "at 1310", "2359Z": perhaps a time of day
            quantity = quantity._replace(
                keys=(*quantity.keys, ("time", int(token[:2]) * 60 + int(token[2:]))))
        taken.append((start, end))
        previous, previous_page = quantity, page
        yield quantity


def _widened_year(previous: Quantity, gap: str, value: Decimal) -> Decimal:
    """2016-17 after 2016 is 2017; anything else stays as it is."""
    first = previous.number
    if gap and _RANGE_GAP.match(gap) and first is not None and 1000 <= first < 2200:
        widened = first - first % 100 + value
        if widened == first + 1:
            return widened
    return value


def _scale_after(text: str, end: int, lang: str, start: int) -> re.Match[str] | None:
    """The scale word after a number ending at ``end``: «20 тыс.», «49-ти тысячам», "£40m"."""
    if lang == "ru":
        suffix = _RU_SUFFIX.match(text, end)
        return _RU_SCALE.match(text, suffix.end() if suffix else end)
    scale = _EN_SCALE.match(text, end)
    if scale is None and start and text[start - 1] in _CURRENCY_SIGNS:
        scale = _EN_SHORT_SCALE.match(text, end)
    return scale


def _scale_of(match: re.Match[str]) -> Decimal:
    return next(_SCALES[name] for name, value in match.groupdict().items() if value)


def _roman(token: str) -> Decimal:
    total = 0
    for index, char in enumerate(token):
        value = _ROMAN_VALUES[char]
        if index + 1 < len(token) and _ROMAN_VALUES[token[index + 1]] > value:
            total -= value
        else:
            total += value
    return Decimal(total)


class _Token(NamedTuple):
    start: int
    end: int
    numeral: Numeral
    compound: bool  # part of a hyphenated word with non-numeral parts ("five-year")


def _spelled(
    text: str, lang: str, numerals: Numerals, taken: list[tuple[int, int]]
) -> Iterator[Quantity]:
    """Spelled-out numbers, composed: «шестьдесят девятая» 69, "two hundred and five" 205."""
    # Most texts have no numeral word at all, nor (Russian) a compound that may hold one
    # («пятилетний»): then the word-by-word reading below would find nothing.
    forms = numerals.by_lang.get(lang, {})
    lowered = {word.lower().replace("ё", "е") for word in _PLAIN_WORD[lang].compiled.findall(text)}
    numeral_word = not lowered.isdisjoint(forms)
    if numeral_word or (lang == "en" and not lowered.isdisjoint(_EN_DENOMINATORS)):
        yield from _fractions(text, lang, numerals, taken)
    if not numeral_word and not (
            lang == "ru" and _RU_HEAD_ANYWHERE.search(text.lower().replace("ё", "е"))):
        return
    tokens: list[_Token] = []
    for word in _WORD[lang].finditer(text):
        if "-" not in word.group() and numerals.get(lang, word.group()) is None and (
                lang != "ru"
                or not _RU_COMPOUND_HEADS.search(word.group().lower().replace("ё", "е"))):
            continue  # no numeral in it (most words): nothing below would come of it
        if inside(word.start(), word.end(), taken):
            continue
        parts = []
        offset = word.start()
        for part in word.group().split("-"):
            parts.append((offset, offset + len(part), numerals.get(lang, part)))
            offset += len(part) + 1
        compound = any(numeral is None for _, _, numeral in parts)
        tokens.extend(_Token(start, end, numeral, compound)
                      for start, end, numeral in parts if numeral is not None)
        if lang == "ru" and len(parts) == 1 and parts[0][2] is None:
            # «двадцатичетырехлетний» 24, «семидесятилетие» 70: weak, they only match.
            value = _ru_compound_value(word.group(), numerals)
            if value is not None:
                yield _quantity(word.start(), word.end(), value, Strength.WEAK)
    gap = _SPELLED_GAP[lang]
    index = 0
    while index < len(tokens):
        group = [tokens[index]]
        index += 1
        while index < len(tokens):
            token = tokens[index]
            joined = text[group[-1].end:token.start]
            if not (joined == "-" or gap.match(joined)) or group[-1].numeral.ordinal:
                break
            if _compose([*group, token]) is None:
                break
            group.append(token)
            index += 1
        value = _compose(group)
        if value is None:  # a single token always composes
            continue
        end = group[-1].end
        if half := _HALF_AFTER[lang].match(text, end):  # «двух с половиной» 2.5
            value += Decimal("0.5")
            end = half.end()
            following = tokens[index] if index < len(tokens) else None
            if (following is not None and following.numeral.kind == "scale"
                    and gap.match(text[end:following.start])):
                value *= following.numeral.value  # «двух с половиной миллионов»
                end = following.end
                index += 1
        alternatives = [value * 10] if _DECADES_AFTER.match(text, end) else []
        lone_scale = len(group) == 1 and group[0].numeral.kind != "number"
        weak = value == 1 or lone_scale or any(token.compound for token in group)
        yield _quantity(group[0].start, end, value,
                        Strength.WEAK if weak else Strength.WORD, alternatives)


def _fractions(
    text: str, lang: str, numerals: Numerals, taken: list[tuple[int, int]]
) -> Iterator[Quantity]:
    """«две трети», «одной третью», «три пятых», "two-thirds", "a quarter": one WORD each."""
    for num, den in pairwise(_PLAIN_WORD[lang].finditer(text)):
        numeral = numerals.get(lang, num.group())
        if (numeral is None or numeral.ordinal) and not (
                lang == "en" and num.group().lower() == "a"):
            continue  # no numerator: ``_fraction`` would say None (checked first, as cheap)
        if not _FRACTION_GAP.match(text[num.end():den.start()]):
            continue
        if inside(num.start(), den.end(), taken):
            continue
        value = _fraction(num.group().lower(), den.group().lower(), lang, numerals)
        if value is None:
            continue
        taken.append((num.start(), den.end()))
        keys: tuple[Key, ...] = (("frac", value),)
        if num.group().lower() == "a" and den.group().lower() in _EN_ORDINAL_DENOMINATORS \
                and not _OF_AFTER.match(text, den.end()):
            # "a fourth term", "a third dose" are ordinals («четвертый срок»); "a third of
            # the members" is the fraction («треть»).
            keys = (*keys, _number_key(Decimal(value.denominator)))
        yield Quantity(num.start(), den.end(), keys, Strength.WORD,
                       f"{value.numerator}/{value.denominator}")


def _fraction(num: str, den: str, lang: str, numerals: Numerals) -> Fraction | None:
    if lang == "en":
        if not _EN_DENOMINATOR.fullmatch(den):
            return None
        cardinal = numerals.get("en", num)
        numerator = Decimal(1) if num == "a" else \
            cardinal.value if cardinal and not cardinal.ordinal else Decimal(0)
        singular = den[:-1] if den.endswith("s") else den
        denominator = Decimal(4) if singular == "quarter" else \
            (numerals.get("en", singular) or _NOT_A_NUMERAL).value
    else:
        if not _RU_DENOMINATOR.fullmatch(den):
            return None
        cardinal = numerals.get("ru", num)
        numerator = cardinal.value if cardinal and not cardinal.ordinal else Decimal(0)
        if den.startswith("трет"):
            denominator = Decimal(3)
        elif den.startswith("четверт"):
            denominator = Decimal(4)
        else:
            ordinal = numerals.get("ru", den)
            denominator = ordinal.value if ordinal and ordinal.ordinal else Decimal(0)
    if not (0 < numerator < 10 and 1 < denominator <= 10 and numerator % 1 == 0):
        return None
    return Fraction(int(numerator), int(denominator))


def _ru_compound_value(word: str, numerals: Numerals) -> Decimal | None:
    """The number a Russian compound adjective or noun starts with, if it is one."""
    lowered = word.lower().replace("ё", "е")
    if not _RU_COMPOUND_HEADS.search(lowered):
        return None

    def split(rest: str, found: list[_Token]) -> Decimal | None:
        if found and _RU_COMPOUND_HEADS.match(rest):
            value = _compose(found)
            scale = _COMPOUND_SCALE.match(rest)  # «двухмиллионный» 2,000,000
            if value is not None and scale:
                value *= _SCALES[scale.lastgroup or "k"]
            return value
        for cut in range(len(rest) - 2, 1, -1):
            numeral = numerals.get("ru", rest[:cut])
            if numeral is not None and not numeral.ordinal:
                value = split(rest[cut:], [*found, _Token(0, 0, numeral, False)])
                if value is not None:
                    return value
        return None

    return split(lowered, [])


def _compose(tokens: Sequence[_Token]) -> Decimal | None:
    """The value of a run of numeral words, or None if they do not make one number
    ("sixty nine" is 69; "five six" is two numbers; "two hundred thousand" 200,000)."""
    total = Decimal(0)
    chunk = Decimal(0)
    last_scale: Decimal | None = None
    for position, token in enumerate(tokens):
        value, kind = token.numeral.value, token.numeral.kind
        if kind == "scale":
            if last_scale is not None and value >= last_scale:
                return None
            total += (chunk or 1) * value
            chunk = Decimal(0)
            last_scale = value
            continue
        if kind == "hundred":
            if not 0 <= chunk <= 9:
                return None
            chunk = (chunk or 1) * value
            continue
        tail = chunk % 100
        if value != value.to_integral_value():  # «полтора»: only before a scale word
            ok = position == 0
        elif value >= 100:
            ok = chunk == 0
        elif value >= 10:
            ok = tail == 0
        elif value == 0:
            ok = position == 0
        else:
            ok = tail == 0 or (tail >= 20 and tail % 10 == 0)
        if not ok or (position and tokens[position - 1].numeral.value % 1):
            return None
        chunk += value
    return total + chunk


# --- Comparing --------------------------------------------------------------------------------

#: The longest range a translator might write out as a list: "2014-2016" / "2014, 2015 and
#: 2016", «пункты 3-7» / "paragraphs 3, 4, 5, 6 and 7".
_LIST_RANGE = 5
_REPORTED = (Strength.HARD, Strength.WORD, Strength.REF, Strength.CODE, Strength.MARKER)
_LOOSE = (Strength.HARD, Strength.WORD, Strength.REF)


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two left-over figures can be one figure changed."""
    if a.strength in _LOOSE and b.strength in _LOOSE:
        kinds = {a.keys[0][0], b.keys[0][0]}
        return len(kinds) == 1 or kinds <= {"n", "sym"} or kinds <= {"n", "frac"}
    return a.strength is b.strength


def _ranges(items: Sequence[Quantity], text: str) -> list[tuple[Quantity, Quantity]]:
    """Short ranges of whole numbers written on one side ("2014-2016", «с 3 по 5»), which
    the other side may write out as a list: "2014, 2015 and 2016"."""
    spans = []
    figures = [q for q in items if q.strength not in (Strength.DATE, Strength.MARKER)]
    for left, right in pairwise(figures):
        a, b = left.number, right.number
        if a is None or b is None or not 0 < b - a <= _LIST_RANGE or a % 1 or b % 1:
            continue
        gap = text[left.end:right.start]
        if gap and _RANGE_GAP.match(gap) and gap.strip() != "and":
            spans.append((left, right))
    return spans


def _pieces(digits: str, items: Sequence[Quantity]) -> list[Quantity]:
    """Consecutive ``items`` whose digits, run together, are ``digits`` (at least two)."""
    ordered = sorted(items, key=lambda q: q.start)
    for first in range(len(ordered)):
        joined = ""
        for last in range(first, len(ordered)):
            joined += ordered[last].digits
            if joined == digits and last > first:
                return ordered[first:last + 1]
            if not digits.startswith(joined):
                break
    return []


@dataclass
class Comparison:
    """The outcome of comparing two sides: pairs of changed figures and one-sided ones."""

    changed: list[tuple[Quantity, Quantity]]
    src_only: list[Quantity]
    tgt_only: list[Quantity]


def _strength_is(strength: Strength) -> Callable[[Quantity], bool]:
    return lambda quantity: quantity.strength is strength


def _firm(quantity: Quantity) -> bool:
    return quantity.strength not in (Strength.DATE, Strength.WEAK)


def _firm_number(quantity: Quantity) -> bool:
    """A firm plain number: only these meet the day or year of a date (not "10 a.m.")."""
    return _firm(quantity) and quantity.keys[0][0] == "n"


def compare(
    src_items: Sequence[Quantity], tgt_items: Sequence[Quantity], src: str, tgt: str
) -> Comparison:
    """Match the two multisets of figures; pair up and report what is left over."""
    src_left = list(src_items)
    tgt_left = list(tgt_items)

    def match_pass(accept_src: Callable[[Quantity], bool],
                   accept_tgt: Callable[[Quantity], bool]) -> None:
        for item in list(src_left):
            if not accept_src(item):
                continue
            for other in tgt_left:
                if accept_tgt(other) and item.matches(other):
                    src_left.remove(item)
                    tgt_left.remove(other)
                    break

    # Like with like first, so that «11.» «одиннадцатом» «11» find "eleventh" and "11".
    for strength in Strength:
        match_pass(_strength_is(strength), _strength_is(strength))
    match_pass(_firm, _firm)
    # The day or year of a date on the other side ("в марте 2015 года" / "in 2015").
    date = _strength_is(Strength.DATE)
    match_pass(_firm_number, date)
    match_pass(date, _firm_number)
    # Weak figures ("one", "first", "five-year") only absorb what the pairing below leaves,
    # so that «одной из пяти» / "one of the twelve" is not hidden by "five-year".

    # A figure of a list inside a range on the other side: "2015" of "2014, 2015 and 2016"
    # against "2014-2016". Not the end of a range: "376-377" against «375 - 377» differs.
    ends = {q for pair in _ranges(src_items, src) + _ranges(tgt_items, tgt) for q in pair}
    for left, other_items, other_text in ((src_left, tgt_items, tgt),
                                          (tgt_left, src_items, src)):
        bounds = [(a.number, b.number) for a, b in _ranges(other_items, other_text)]
        for item in list(left):
            value = item.number
            if item not in ends and value is not None and value % 1 == 0 and any(
                    a is not None and b is not None and a < value < b for a, b in bounds):
                left.remove(item)
    # Digits run together by a broken conversion: "for20112012b" against «за 2011-2012 годы».
    for glued_side, pieces_side in ((src_left, tgt_left), (tgt_left, src_left)):
        for glued in [q for q in glued_side if len(q.digits) >= 4]:
            pieces = _pieces(glued.digits, [q for q in pieces_side if q.digits])
            if pieces and glued in glued_side:
                glued_side.remove(glued)
                for piece in pieces:
                    pieces_side.remove(piece)

    src_rest = [q for q in src_left if q.strength in _REPORTED]
    tgt_rest = [q for q in tgt_left if q.strength in _REPORTED]
    candidates = []
    for s in src_rest:
        for t in tgt_rest:
            if _comparable(s, t):
                # Pair by position in the sentence, like with like a little ahead.
                cost = abs(s.start / max(len(src), 1) - t.start / max(len(tgt), 1))
                candidates.append((cost + (0 if s.strength is t.strength else 0.05), s, t))
    changed: list[tuple[Quantity, Quantity]] = []
    for _, s, t in sorted(candidates, key=lambda c: (c[0], c[1].start, c[2].start)):
        if s in src_rest and t in tgt_rest:
            changed.append((s, t))
            src_rest.remove(s)
            tgt_rest.remove(t)
    changed.sort(key=lambda pair: pair[0].start)

    # A figure repeated on one side and written once on the other is not missing; nor is
    # one the other side has in a weak form. A year against the year of a date that differs
    # on the other side is left to dates.v1, which reports the date.
    def alone(item: Quantity, other_items: Sequence[Quantity], other_left: Sequence[Quantity]
              ) -> bool:
        return (
            item.strength is Strength.HARD
            and not any(item.matches(other) for other in other_items)
            and not (_year_like(item) and any(
                other.strength is Strength.DATE and _year_like(other) for other in other_left))
        )

    return Comparison(
        changed,
        [q for q in src_rest if alone(q, tgt_items, tgt_left)],
        [q for q in tgt_rest if alone(q, src_items, src_left)],
    )


def _year_like(quantity: Quantity) -> bool:
    value = quantity.number
    return value is not None and value % 1 == 0 and 1000 <= value < 2200


# --- The check --------------------------------------------------------------------------------

_DIGITS_ONLY = LazyPattern(r"[\s,]")


def _describe(quantity: Quantity, text: str, lang: str) -> str:
    """The span quoted, with its value when the span does not show it plainly."""
    surface = text[quantity.start:quantity.end]
    quoted = quote(surface, lang)
    if _DIGITS_ONLY.sub("", surface) == _DIGITS_ONLY.sub("", quantity.shown):
        return quoted
    return f"{quoted} ({quantity.shown})"


def _numerals(context: CheckContext) -> Numerals:
    # The analyser is shared with the other checks that lemmatise Russian.
    morph: Morphology = context.resource("morphology", Morphology)
    result: Numerals = context.resource(f"{CHECK}.numerals",
                                        lambda: load_numerals(morph.analyzer))
    return result


@register(CHECK, Severity.CRITICAL, Category.MISTRANSLATION)
def check_numbers(pair: Pair, context: CheckContext) -> Iterable[Divergence]:
    """Numbers changed, dropped or added

    Compares the values of the figures on both sides (digits, spelled-out numbers, scale
    words, percentages, fractions, ordinals, years, times, document symbols) whatever their
    form, and reports a changed figure (critical), a figure in digits on one side only
    (major), a changed list marker (minor; page numbers are those of each language version
    and are not compared). Misfires: a figure the translator
    recast ("in three years" for «за 2009-2011 годы»), a unit converted (km to miles), a
    source error the translator silently corrected, a number the translator added ("Act 75
    of 2008"), digits run together by a broken conversion. Only Russian and English are
    read.
    """
    if pair.is_null or pair.src_lang not in SUPPORTED or pair.tgt_lang not in SUPPORTED:
        return []
    numerals = _numerals(context)
    src_items = find_numbers(pair.src, pair.src_lang, numerals,
                             dates_in(context, pair.src, pair.src_lang))
    tgt_items = find_numbers(pair.tgt, pair.tgt_lang, numerals,
                             dates_in(context, pair.tgt, pair.tgt_lang))
    if not src_items and not tgt_items:
        return []
    result = compare(src_items, tgt_items, pair.src, pair.tgt)
    src_name, tgt_name = language_name(pair.src_lang), language_name(pair.tgt_lang)
    findings = []
    for s, t in result.changed:
        spans = {"src_spans": ((s.start, s.end),), "tgt_spans": ((t.start, t.end),)}
        if s.strength is Strength.MARKER:
            if s.page and t.page:
                continue  # each language version of a document has its own page numbers
            findings.append(Divergence(
                CHECK, Severity.MINOR, Category.MISTRANSLATION,
                f"the numbering differs: the {src_name} has "
                f"{quote(pair.src[s.start:s.end], pair.src_lang)}, the {tgt_name} "
                f"{quote(pair.tgt[t.start:t.end], pair.tgt_lang)}",
                suggestion="check the paragraph or page number against the original", **spans,
            ))
            continue
        findings.append(Divergence(
            CHECK, Severity.CRITICAL, Category.MISTRANSLATION,
            f"the {src_name} says {_describe(s, pair.src, pair.src_lang)} but the {tgt_name} "
            f"says {_describe(t, pair.tgt, pair.tgt_lang)}",
            suggestion=f"check the figure: the {src_name} has {s.shown}", **spans,
        ))
    for s in result.src_only:
        findings.append(Divergence(
            CHECK, Severity.MAJOR, Category.OMISSION,
            f"the {src_name} has {_describe(s, pair.src, pair.src_lang)}, the {tgt_name} has "
            "no such figure",
            src_spans=((s.start, s.end),),
            suggestion=f"add {s.shown} to the {tgt_name}, or confirm it was left out on purpose",
        ))
    for t in result.tgt_only:
        findings.append(Divergence(
            CHECK, Severity.MAJOR, Category.ADDITION,
            f"the {tgt_name} has {_describe(t, pair.tgt, pair.tgt_lang)}, the {src_name} has "
            "no such figure",
            tgt_spans=((t.start, t.end),),
            suggestion=f"check where {t.shown} comes from: the {src_name} does not have it",
        ))
    return findings
