"""Shared by ``numbers.v1`` and ``dates.v1``: dates found in Russian and English text, and
the small pieces both checks use to quote and compare what they find.

Dates live here rather than in ``dates.py`` because ``numbers.v1`` needs them too: the day
and year of a date belong to ``dates.v1``, so ``numbers.v1`` skips the digits inside a date
and uses its day and year only to absorb the same figure written plainly on the other side
("в марте 2015 года" <-> "in 2015" is one finding, by ``dates.v1``, not two).

Everything is a pure function of its arguments; nothing is read or cached at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from typing import NamedTuple

#: Spaces a number may be grouped with: space, no-break space, narrow no-break space, thin.
SPACES = " \u00a0\u202f\u2009"
#: Dashes between the two ends of a range.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"

LANGUAGE_NAMES = {"ru": "Russian", "en": "English"}
SUPPORTED = frozenset(LANGUAGE_NAMES)

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


class LazyPattern:
    """A regular expression compiled on first use: the checks' patterns are many and large,
    and importing ``aligner.checks`` must stay cheap."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(string, pos)

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(string)

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(string, pos)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string)

    def sub(self, replacement: str, string: str) -> str:
        return self.compiled.sub(replacement, string)


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def quote(text: str, lang: str) -> str:
    """A span as a translator reads it: «…» around Russian, "…" around anything else."""
    text = " ".join(text.split())
    return f"«{text}»" if lang == "ru" else f'"{text}"'


class Strength(Enum):
    """How much a found quantity can be trusted to be a real figure of the text.

    HARD: digits, symbols, times; reported alone when left over on one side.
    WORD: a spelled-out number ("пять", "sixty-ninth"), or digits that may be a footnote
    number; reported only when paired with a different figure on the other side.
    REF: a paragraph, article or item number ("пункт 3"), which translators may drop;
    reported only when paired with a different figure.
    CODE: digits glued to letters ("COVID-19", "Су-24") or a Roman numeral; reported only
    when paired with another CODE.
    MARKER: a list marker ("10. The Commission") or a page number; reported, as minor, only
    when paired with another MARKER (numbering and pages differ between language versions).
    WEAK: "one", "first", "five-year", a lone «тысяча»; matches, never reported.
    DATE: the day or year of a date; matches, never reported (dates.v1 reports dates).
    """

    HARD = "hard"
    WORD = "word"
    REF = "ref"
    CODE = "code"
    MARKER = "marker"
    WEAK = "weak"
    DATE = "date"


# --- Dates ------------------------------------------------------------------------------------


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class DateValue(NamedTuple):
    """A calendar date as written: any field may be missing ("в марте", "12 марта")."""

    year: int | None
    month: int
    day: int | None

    def compatible(self, other: DateValue) -> bool:
        """No field written on both sides differs, and a day on one side is not dropped on
        the other (the year may be: translators leave out a repeated year)."""
        if self.month != other.month:
            return False
        if self.year is not None and other.year is not None and self.year != other.year:
            return False
        return self.day == other.day

    def shown(self) -> str:
        parts = [str(self.day)] if self.day is not None else []
        parts.append(MONTH_NAMES[self.month - 1])
        if self.year is not None:
            parts.append(str(self.year))
        return " ".join(parts)


class DateMention(NamedTuple):
    """One written date (or one end of a range, or one day of a list) with its span.

    ``readings`` has more than one value only for an ambiguous numeric date (``03/04/2015``
    is 3 April or 4 March). ``group`` numbers the mention a range belongs to and ``range_end``
    marks its two ends, so that "12, 13 and 14 March" is not reported against "12-14 March".
    ``weak`` mentions (a month adjective: «мартовская сессия») match but are never reported.
    ``numbers`` are the (start, end, value) of the digits inside the date, for numbers.v1.
    """

    start: int
    end: int
    readings: tuple[DateValue, ...]
    group: int
    range_end: bool = False
    weak: bool = False
    numbers: tuple[tuple[int, int, int], ...] = ()


_RU_MONTHS = (
    r"январ(?:ь|я|е|ю|ём|ем)", r"феврал(?:ь|я|е|ю|ём|ем)", r"март(?:а|е|у|ом)?",
    r"апрел(?:ь|я|е|ю|ем)", r"ма(?:й|я|е|ю|ем)", r"июн(?:ь|я|е|ю|ем)", r"июл(?:ь|я|е|ю|ем)",
    r"август(?:а|е|у|ом)?", r"сентябр(?:ь|я|е|ю|ём|ем)", r"октябр(?:ь|я|е|ю|ём|ем)",
    r"ноябр(?:ь|я|е|ю|ём|ем)", r"декабр(?:ь|я|е|ю|ём|ем)",
)
_RU_MONTH_ADJECTIVES = (
    "январск", "февральск", "мартовск", "апрельск", "майск", "июньск", "июльск",
    "августовск", "сентябрьск", "октябрьск", "ноябрьск", "декабрьск",
)
_EN_MONTHS = (
    r"January|Jan\.", r"February|Feb\.", r"March|Mar\.", r"April|Apr\.", r"May",
    r"June|Jun\.", r"July|Jul\.", r"August|Aug\.", r"September|Sept?\.", r"October|Oct\.",
    r"November|Nov\.", r"December|Dec\.",
)

_D = f"[{DASHES}]+"
_S = f"[{SPACES}]"
_DAY = r"(?<![\d.,/])(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_YEAR = r"(?<!\d)(?:1[5-9]\d\d|20\d\d|21\d\d)(?!\d)"

_RU_MONTH = "|".join(f"(?P<m{i}>{form})" for i, form in enumerate(_RU_MONTHS))
_EN_MONTH = "|".join(f"(?P<m{i}>{form})" for i, form in enumerate(_EN_MONTHS))

# A day, optionally with an ordinal ending: 12, 12-го, 12th.
_RU_DAY_ITEM = rf"{_DAY}(?:-?(?:го|е|ое|м))?"
_EN_DAY_ITEM = rf"{_DAY}(?:st|nd|rd|th)?"
# What joins the days of a list or a range. A dash, «по», "to", "through" make a range.
_RU_DAY_SEP = rf"{_S}*{_D}{_S}*|,{_S}*|{_S}+(?:и|по|до|или){_S}+"
_EN_DAY_SEP = rf"{_S}*{_D}{_S}*|,?{_S}*(?:and|to|through|until|till|or){_S}+|,{_S}*"
_RANGE_SEP = LazyPattern(rf"^\s*(?:{_D}|по|до|to|through|until|till)\s*$")

# «12 марта 2024 г.», «в январе месяце 2015 года»: the year after a Russian month.
_RU_YEAR_AFTER = (
    rf"(?:(?:{_S}+месяц[ае])?{_S}+(?P<year>{_YEAR})(?:{_S}*(?:года|году|год|г\.|гг\.))?)?"
)
_RU_DATE = LazyPattern(
    rf"(?P<days>{_RU_DAY_ITEM}(?:(?:{_RU_DAY_SEP}){_RU_DAY_ITEM})*){_S}+"
    rf"(?:{_RU_MONTH})\b"
    + _RU_YEAR_AFTER,
    re.IGNORECASE,
)
# A day spelled out: «тринадцатого августа», «двадцать первое июня».
_RU_DAY_WORDS = (
    "перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят", "десят",
    "одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат",
    "семнадцат", "восемнадцат", "девятнадцат", "двадцат", "тридцат",
)
_RU_DAY_WORD = (
    rf"(?:(?:двадцать|тридцать){_S}+)?(?:" + "|".join(_RU_DAY_WORDS) + r")(?:ого|ое|ом|ьего|ье|ьем)"
)
_RU_WORD_DATE = LazyPattern(
    rf"(?<![а-яё])(?P<days>{_RU_DAY_WORD}(?:(?:{_RU_DAY_SEP}){_RU_DAY_WORD})*)"
    rf"{_S}+(?:{_RU_MONTH})\b"
    + _RU_YEAR_AFTER,
    re.IGNORECASE,
)
_RU_DAY_WORD_PARTS = LazyPattern(
    rf"(?:(?P<tens>двадцать|тридцать){_S}+)?(?P<unit>" + "|".join(_RU_DAY_WORDS) + ")"
    r"(?:ого|ое|ом|ьего|ье|ьем)",
    re.IGNORECASE,
)
_RU_MONTH_ALONE = LazyPattern(
    rf"\b(?:{_RU_MONTH})\b" + _RU_YEAR_AFTER,
    re.IGNORECASE,
)
_RU_MONTH_ADJ = LazyPattern(
    r"\b(?:" + "|".join(f"(?P<m{i}>{stem})" for i, stem in enumerate(_RU_MONTH_ADJECTIVES))
    + r")[а-яё]*",
    re.IGNORECASE,
)
_EN_DATE_DAY_FIRST = LazyPattern(
    rf"(?P<days>{_EN_DAY_ITEM}(?:(?:{_EN_DAY_SEP}){_EN_DAY_ITEM})*){_S}+(?:of{_S}+)?"
    rf"(?:{_EN_MONTH})(?![\w])"
    rf"(?:,?{_S}+(?P<year>{_YEAR}))?"
)
_EN_DATE_MONTH_FIRST = LazyPattern(
    rf"(?:{_EN_MONTH})(?![\w]){_S}+"
    rf"(?P<days>{_EN_DAY_ITEM}(?:(?:{_EN_DAY_SEP}){_EN_DAY_ITEM})*)(?![\w])"
    rf"(?:,?{_S}+(?P<year>{_YEAR}))?"
)
_EN_MONTH_ALONE = LazyPattern(
    rf"(?<![A-Za-z])(?:{_EN_MONTH})(?![\w])(?:,?{_S}+(?:of{_S}+)?(?P<year>{_YEAR}))?"
)
# "May" is a month only with a year or after a word that announces a time; "August" before a
# capitalised word ("August Rush") only after such a word.
_MONTH_CUE = LazyPattern(
    r"(?:\b(?:in|of|since|until|till|by|from|to|during|through|early|late|mid|end|"
    r"beginning|last|next|this|before|after|between|and)[\s-]+)$",
    re.IGNORECASE,
)
# Cheap tests that a text may hold a date of each kind (most sentences hold none), so
# that only the patterns that can match are run. Each is implied by its patterns: a
# numeric date has digits joined by . / or -; the English patterns are case-sensitive and
# name a month; the Russian ones name a month or its adjective in any case (compared on
# the case-folded text, which folds every letter these patterns equate).
_MAYBE_NUMERIC_DATE = LazyPattern(r"\d[./\-]\d")
_EN_MONTH_STARTS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                    "Nov", "Dec")
_RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "май", "мая", "мае", "маю", "июн",
                   "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
_CAPITAL_NEXT = LazyPattern(rf"{_S}+[A-ZА-ЯЁ]")
_NUMERIC_DATE = LazyPattern(
    rf"(?<![\d.,/])(?P<a>\d{{1,2}})(?P<sep>[./])(?P<b>\d{{1,2}})(?P=sep)(?P<year>{_YEAR})"
)
_ISO_DATE = LazyPattern(rf"(?<![\d.\-/])(?P<year>{_YEAR})-(?P<b>\d\d)-(?P<a>\d\d)(?!\d)")
_DAY_IN_LIST = LazyPattern(r"\d{1,2}")


def _month_of(match: re.Match[str]) -> int:
    for name, value in match.groupdict().items():
        if name.startswith("m") and name[1:].isdigit() and value is not None:
            return int(name[1:]) + 1
    raise ValueError("a month pattern matched without a month group")  # a programming error


def _day_list(
    match: re.Match[str], offset: int
) -> list[tuple[int, int, int, bool]]:
    """The days of a day list as (start, end, day, joined to the previous by a range)."""
    text = match.group("days")
    days: list[tuple[int, int, int, bool]] = []
    previous_end = 0
    for found in _DAY_IN_LIST.finditer(text):
        joiner = text[previous_end:found.start()]
        days.append((
            offset + found.start(), offset + found.end(), int(found.group()),
            bool(days) and bool(_RANGE_SEP.match(joiner)),
        ))
        previous_end = found.end()
    return days


def _spelled_days(match: re.Match[str]) -> list[tuple[int, int, int, bool]]:
    """The days of «седьмого и восьмого июля», «двадцать первого июня» as in ``_day_list``."""
    text, offset = match.group("days"), match.start("days")
    days: list[tuple[int, int, int, bool]] = []
    previous_end = 0
    for found in _RU_DAY_WORD_PARTS.finditer(text):
        index = _RU_DAY_WORDS.index(found.group("unit").lower())
        day = index + 1 if index < 19 else 20 if index == 19 else 30
        tens = (found.group("tens") or "").lower()
        day += 20 if tens == "двадцать" else 30 if tens == "тридцать" else 0
        joiner = text[previous_end:found.start()]
        if day <= 31:
            days.append((offset + found.start(), offset + found.end(), day,
                         bool(days) and bool(_RANGE_SEP.match(joiner))))
        previous_end = found.end()
    return days


def find_dates(text: str, lang: str) -> tuple[DateMention, ...]:
    """Every date in ``text``, in order: full dates, day lists and ranges, months alone.

    Russian: «12 марта 2024 г.», «с 12 по 14 марта», «12–14 марта», «в марте 2024 года»,
    «12.03.2024». English: "12 March 2024", "March 12, 2024", "12-14 March", "from 12 to 14
    March", "in March 2024", "12/03/2024" (ambiguous, so read both ways). Weekdays are ignored.
    """
    if lang not in SUPPORTED:
        return ()
    numeric = _MAYBE_NUMERIC_DATE.search(text) is not None
    english = any(month in text for month in _EN_MONTH_STARTS)
    folded = text.casefold() if lang == "ru" else ""
    russian = lang == "ru" and any(stem in folded for stem in _RU_MONTH_STEMS)
    if not (numeric or english or russian):
        return ()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add_days(
        match: re.Match[str], month: int,
        spelled: list[tuple[int, int, int, bool]] | None = None,
    ) -> None:
        year_text = match.group("year")
        year = int(year_text) if year_text else None
        days = _day_list(match, match.start("days")) if spelled is None else spelled
        group = len(found)
        numbers = [(s, e, d) for s, e, d, _ in days] if spelled is None else []
        if year_text:
            numbers.append((match.start("year"), match.end("year"), int(year_text)))
        for index, (_, _, day, ranged) in enumerate(days):
            ends_range = ranged or (index + 1 < len(days) and days[index + 1][3])
            found.append(DateMention(
                match.start(), match.end(), (DateValue(year, month, day),), group,
                range_end=ends_range, numbers=tuple(numbers) if index == 0 else (),
            ))
        taken.append((match.start(), match.end()))

    for pattern in (_NUMERIC_DATE, _ISO_DATE) if numeric else ():
        for match in pattern.finditer(text):
            a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
            readings = []
            if 1 <= b <= 12 and 1 <= a <= 31:
                readings.append(DateValue(year, b, a))
            # 03/04/2015 may be American (month first); a dotted date never is.
            if (pattern is _NUMERIC_DATE and match.group("sep") == "/" and a != b
                    and 1 <= a <= 12 and 1 <= b <= 31):
                readings.append(DateValue(year, a, b))
            if readings and free(match.start(), match.end()):
                numbers = tuple(
                    (match.start(g), match.end(g), int(match.group(g))) for g in ("a", "b", "year")
                )
                found.append(DateMention(match.start(), match.end(), tuple(readings),
                                         len(found), numbers=numbers))
                taken.append((match.start(), match.end()))

    if russian:
        for match in _RU_DATE.finditer(text):
            if free(match.start(), match.end()):
                add_days(match, _month_of(match))
        for match in _RU_WORD_DATE.finditer(text):
            if free(match.start(), match.end()):
                add_days(match, _month_of(match), _spelled_days(match))
    # English dates are read in Russian text too: "обновление May 2020 Update".
    for pattern in (_EN_DATE_DAY_FIRST, _EN_DATE_MONTH_FIRST) if english else ():
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                add_days(match, _month_of(match))
    alone = [(_EN_MONTH_ALONE, False)] if english else []
    if russian:
        alone += [(_RU_MONTH_ALONE, False), (_RU_MONTH_ADJ, True)]

    for pattern, weak in alone:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            year_text = match.groupdict().get("year")
            cued = _MONTH_CUE.search(text[max(0, match.start() - 20):match.start()])
            named = not year_text and _CAPITAL_NEXT.match(text, match.end())
            if pattern is _RU_MONTH_ALONE and match.group()[0].isupper() and named:
                continue  # «Март Лаар»: a name, not a month
            if pattern is _EN_MONTH_ALONE and named and not cued:
                continue  # "August Rush", "March Madness"
            if (pattern is _EN_MONTH_ALONE and match.group().startswith("May") and not year_text
                    and not cued):
                continue
            numbers = ((match.start("year"), match.end("year"), int(year_text)),) if year_text \
                else ()
            found.append(DateMention(
                match.start(), match.end(),
                (DateValue(int(year_text) if year_text else None, _month_of(match), None),),
                len(found), weak=weak, numbers=numbers,
            ))
            taken.append((match.start(), match.end()))
    return tuple(sorted(found, key=lambda mention: (mention.start, mention.group)))


def date_spans(dates: Iterable[DateMention]) -> list[tuple[int, int]]:
    return sorted({(mention.start, mention.end) for mention in dates})


def inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of ``spans``."""
    return any(start < e and end > s for s, e in spans)
