"""dates.v1: a date in the Russian that the English changes, drops or adds.

Dates are read into (year, month, day) values on both sides, whatever their form, and
compared as multisets: «12 марта 2024 г.», «12.03.2024» and "March 12, 2024" are one date;
«12–14 марта» is "12-14 March", "from 12 to 14 March" and "March 12 to 14"; «в марте 2024
года» is "in March 2024". A year written on one side only is not a divergence (translators
drop a repeated year); a different day, month or year is (critical); a date on one side
only is an omission or an addition (major). numbers.v1 leaves the digits of dates to this
check, so a changed day is reported once, here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aligner.checks._quantities import (
    SUPPORTED,
    DateMention,
    DateValue,
    find_dates,
    language_name,
    quote,
)
from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register

CHECK = "dates.v1"


def _same(a: DateMention, b: DateMention) -> bool:
    return any(x == y for x in a.readings for y in b.readings)


def _compatible(a: DateMention, b: DateMention) -> bool:
    return any(x.compatible(y) for x in a.readings for y in b.readings)


def _within_range(item: DateMention, others: Sequence[DateMention]) -> bool:
    """Whether ``item``, a day of a list, falls inside a range on the other side (12, 13 and
    14 against 12-14). The end of a range is never absorbed: 12-14 against 12-15 differs."""
    if item.range_end:
        return False
    ends: dict[int, list[DateValue]] = {}
    for other in others:
        if other.range_end:
            ends.setdefault(other.group, []).extend(other.readings)
    for values in ends.values():
        if len(values) < 2:
            continue
        low, high = values[0], values[-1]
        for value in item.readings:
            if value.day is None or low.day is None or high.day is None:
                continue
            key = (value.month, value.day)
            if (low.month, low.day) < key < (high.month, high.day) and (
                value.year is None or low.year is None or high.year is None
                or low.year <= value.year <= high.year
            ):
                return True
    return False


def compare_dates(
    src: Sequence[DateMention], tgt: Sequence[DateMention], src_text: str = "",
    tgt_text: str = "",
) -> tuple[list[tuple[DateMention, DateMention]], list[DateMention], list[DateMention]]:
    """Pairs of changed dates, dates found only in ``src``, dates found only in ``tgt``.

    The texts, when given, let a date match a bare day on the other side that continues a
    list of dates: «2 сентября), Грузией (3-го)» / "September 2), Georgia (September 3)".
    """
    src_left, tgt_left = list(src), list(tgt)
    for test in (_same, _compatible):
        for item in list(src_left):
            for other in tgt_left:
                if test(item, other):
                    src_left.remove(item)
                    tgt_left.remove(other)
                    break
    src_left = [d for d in src_left if not _within_range(d, tgt)]
    tgt_left = [d for d in tgt_left if not _within_range(d, src)]

    # A month adjective («мартовская сессия») only absorbs the same month on the other side.
    for weak_side, other_side in ((src_left, tgt_left), (tgt_left, src_left)):
        for item in [d for d in weak_side if d.weak]:
            months = {r.month for r in item.readings}
            for other in other_side:
                if not other.weak and months & {r.month for r in other.readings}:
                    other_side.remove(other)
                    break
            weak_side.remove(item)
    src_left = [d for d in src_left if not d.weak]
    tgt_left = [d for d in tgt_left if not d.weak]

    # A month alone against a dated day of that month («в августе» / "on 13 August", or a
    # day spelled out: «тринадцатого августа»): the day is not reported.
    for alone_side, dated_side in ((src_left, tgt_left), (tgt_left, src_left)):
        for item in [d for d in alone_side if all(r.day is None for r in d.readings)]:
            for other in dated_side:
                if any(_loosely(x, y) for x in item.readings for y in other.readings):
                    alone_side.remove(item)
                    dated_side.remove(other)
                    break

    candidates = []
    for s in src_left:
        for t in tgt_left:
            shared = max(
                (x.year is not None and x.year == y.year) + (x.month == y.month)
                + (x.day is not None and x.day == y.day)
                for x in s.readings for y in t.readings
            )
            order = abs(src.index(s) / max(len(src), 1) - tgt.index(t) / max(len(tgt), 1))
            candidates.append((-shared, order, s, t))
    changed = []
    for _, _, s, t in sorted(candidates, key=lambda c: (c[0], c[1], c[2].start, c[3].start)):
        if s in src_left and t in tgt_left:
            changed.append((s, t))
            src_left.remove(s)
            tgt_left.remove(t)
    changed.sort(key=lambda pair: pair[0].start)

    # A date repeated on one side («в декабре 2014 года ... в декабре») and written once on
    # the other is not missing.
    def repeated(item: DateMention, others: Sequence[DateMention]) -> bool:
        return any(_loosely(x, y) for other in others for x in item.readings
                   for y in other.readings)

    src_left = [d for d in src_left if not repeated(d, tgt) and not _elliptic(d, tgt, tgt_text)]
    tgt_left = [d for d in tgt_left if not repeated(d, src) and not _elliptic(d, src, src_text)]
    return changed, src_left, tgt_left


def _elliptic(item: DateMention, others: Sequence[DateMention], other_text: str) -> bool:
    """Whether the other side writes this date's day alone after a date of the same month."""
    for value in item.readings:
        if value.day is None:
            continue
        same_month = [o for o in others if any(r.month == value.month for r in o.readings)]
        if not same_month:
            continue
        bare_day = re.compile(rf"(?<![\d.,/:]){value.day}(?:-?(?:го|е|м)|st|nd|rd|th)?(?![\d.,:/])")
        after = min(o.end for o in same_month)
        if bare_day.search(other_text, after):
            return True
    return False


def _loosely(a: DateValue, b: DateValue) -> bool:
    """Same month, and no year or day written on both sides that differs."""
    return (
        a.month == b.month
        and (a.year is None or b.year is None or a.year == b.year)
        and (a.day is None or b.day is None or a.day == b.day)
    )


def _describe(mention: DateMention, text: str, lang: str) -> str:
    quoted = quote(text[mention.start:mention.end], lang)
    if len(mention.readings) > 1:
        shown = " or ".join(value.shown() for value in mention.readings)
        return f"{quoted} ({shown})"
    return quoted


def dates_in(context: CheckContext, text: str, lang: str) -> tuple[DateMention, ...]:
    """The dates of ``text``, found once per pair for ``dates.v1`` and ``numbers.v1``."""
    found: tuple[DateMention, ...] = context.analysis(("dates", text, lang),
                                                      lambda: find_dates(text, lang))
    return found


@register(CHECK, Severity.CRITICAL, Category.MISTRANSLATION)
def check_dates(pair: Pair, context: CheckContext) -> Iterable[Divergence]:
    """Dates changed, dropped or added

    Compares the (year, month, day) of every date on both sides, whatever the format: day
    lists and ranges, months alone, numeric dates (03/04/2015 is read both ways). Misfires:
    a date the translator recast ("last month" for «в марте»), a day of a list written as a
    range on the other side across two months. Only Russian and English are read; weekdays
    and seasons are ignored.
    """
    if pair.is_null or pair.src_lang not in SUPPORTED or pair.tgt_lang not in SUPPORTED:
        return []
    src_dates = dates_in(context, pair.src, pair.src_lang)
    tgt_dates = dates_in(context, pair.tgt, pair.tgt_lang)
    if not src_dates and not tgt_dates:
        return []
    changed, src_only, tgt_only = compare_dates(src_dates, tgt_dates, pair.src, pair.tgt)
    src_name, tgt_name = language_name(pair.src_lang), language_name(pair.tgt_lang)
    findings = []
    for s, t in changed:
        findings.append(Divergence(
            CHECK, Severity.CRITICAL, Category.MISTRANSLATION,
            f"the {src_name} says {_describe(s, pair.src, pair.src_lang)} but the {tgt_name} "
            f"says {_describe(t, pair.tgt, pair.tgt_lang)}",
            src_spans=((s.start, s.end),), tgt_spans=((t.start, t.end),),
            suggestion=f"check the date: the {src_name} has {s.readings[0].shown()}",
        ))
    seen: set[tuple[int, int]] = set()
    for s in src_only:
        if (s.start, s.end) in seen:
            continue
        seen.add((s.start, s.end))
        findings.append(Divergence(
            CHECK, Severity.MAJOR, Category.OMISSION,
            f"the {src_name} has the date {_describe(s, pair.src, pair.src_lang)}, the "
            f"{tgt_name} has no such date",
            src_spans=((s.start, s.end),),
            suggestion=f"add {s.readings[0].shown()} to the {tgt_name}",
        ))
    seen.clear()
    for t in tgt_only:
        if (t.start, t.end) in seen:
            continue
        seen.add((t.start, t.end))
        findings.append(Divergence(
            CHECK, Severity.MAJOR, Category.ADDITION,
            f"the {tgt_name} has the date {_describe(t, pair.tgt, pair.tgt_lang)}, the "
            f"{src_name} has no such date",
            tgt_spans=((t.start, t.end),),
            suggestion=f"check where {t.readings[0].shown()} comes from; the {src_name} "
            "does not have it",
        ))
    return findings
