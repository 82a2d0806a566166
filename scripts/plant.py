"""Planted divergences for ``scripts/bench_divergence.py``: a clean pair in, a broken pair out.

Each ``plant_*`` function takes one clean Russian/English pair and a ``random.Random`` the
caller seeds, makes one meaning-changing edit (almost always to the English; negation also
has a Russian-side variant) and returns a ``Planted`` value, or ``None`` when the pair offers
nothing to edit (no number, no date, no clause long enough ...). The functions are pure: no
file access and no global randomness, so the tests run them on hand-written pairs.

Kinds, and the check the bench expects to catch each (details in each function):

* ``negation`` (polarity): remove "not"/"n't"/"no" from the English, insert "not" after an
  auxiliary, or remove «не» before a Russian verb; only where the negator counts of the two
  sides make the edit a flip.
* ``number`` (numbers): one English number + 1..9 or x 10, format kept; not inside a date,
  not a leading list number.
* ``date`` (dates): the day, month or year of one English date written with a month name.
* ``entity`` (entities): a country, organisation or person the English names once swapped
  for another of the same type that neither side mentions (Russia <-> Ukraine ...).
* ``omission`` (omission): a clause of 4+ words between commas/semicolons deleted, or
  everything after a mid-sentence "and".
* ``addition`` (omission, as an addition): a clause of another pair's English inserted.
* ``deprecated_term`` (terminology): the glossary's preferred English rendering replaced,
  at every occurrence, by one the glossary marks deprecated.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("negation", "number", "date", "entity", "omission", "addition", "deprecated_term")


@dataclass(frozen=True, slots=True)
class Planted:
    """A pair with one planted divergence: which kind, which variant, and what changed."""

    kind: str
    variant: str
    src: str
    tgt: str
    note: str


# --- Shared helpers ----------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_FINAL_PUNCT = re.compile(r"[\s.!?:;…\"'”’»)]*$")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _balanced(text: str) -> bool:
    """No bracket or double quote opened without being closed (or the other way round)."""
    return (text.count("(") == text.count(")") and text.count("[") == text.count("]")
            and text.count("«") == text.count("»") and text.count("“") == text.count("”")
            and text.count('"') % 2 == 0)


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + text[end:]


def _body_end(text: str) -> int:
    """Where the sentence's closing punctuation (and closing quotes/brackets) begins."""
    match = _FINAL_PUNCT.search(text)
    return match.start() if match else len(text)


def _match_case(template: str, word: str) -> str:
    """``word`` capitalised like ``template`` (first letter only)."""
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --- Negation ----------------------------------------------------------------------------------

#: Auxiliaries after which "not" may be inserted (the brief's list; lower case only, so a
#: sentence-initial question "Is it ..." is left alone).
AUXILIARIES = ("is", "are", "was", "were", "will", "would", "can", "could", "should", "must",
               "has", "have", "does", "do", "did")
#: Words after which an inserted "not" would not make a plain negation.
_NO_NOT_BEFORE = frozenset({
    "not", "no", "never", "neither", "nor", "hardly", "scarcely", "n't", "nothing", "none",
    "nobody", "so", "it", "this", "that", "these", "those", "the", "a", "an", "its", "their",
    "his", "her", "our", "your", "my", "we", "they", "you", "i", "he", "she", "there", "well",
    "what", "which", "who", "more", "much", "such", "to", "of", "in", "on", "at", "by", "for",
    "also", "already", "still", "therefore", "thus", "however", "hereby", "thereby", "yet",
})
#: "not"/"no" in these phrases is not a clause negation: removing it breaks the sentence
#: rather than flipping it.
_FIXED_NOT = re.compile(r"\bnot\s+(?:only|least|to\s+mention|merely|just)\b|\b(?:or|if|whether)"
                        r"\s+not\b", re.IGNORECASE)
_FIXED_NO = re.compile(r"\bno\s+(?:longer|later|more|less|fewer|sooner|matter|one|doubt|"
                       r"other|single|such)\b", re.IGNORECASE)
_NOT = re.compile(r"(?<![\w-])not(?![\w-])")
_CANNOT = re.compile(r"(?<![\w-])([Cc])annot(?![\w-])")
_NT = re.compile(r"(?<![\w-])(do|does|did|is|are|was|were|has|have|had|could|should|would|"
                 r"must|need)n[’']t(?![\w-])", re.IGNORECASE)
_IRREGULAR_NT = {"won't": "will", "won’t": "will", "can't": "can", "can’t": "can",
                 "shan't": "shall", "shan’t": "shall"}
_IRREGULAR_NT_RE = re.compile(r"(?<![\w-])(?:won|can|shan)[’']t(?![\w-])", re.IGNORECASE)
_NO = re.compile(r"(?<![\w-])no(?=\s+[a-z])")
_AUX = re.compile(r"(?<![\w'’-])(" + "|".join(AUXILIARIES) + r")(\s+)([A-Za-z'’-]+)")
_EN_NEGATOR = re.compile(r"(?<![\w-])(?:not|no(?!\.)|never|cannot|nor|neither|none|nothing)"
                         r"(?![\w-])|n[’']t(?![\w-])", re.IGNORECASE)
_RU_NEGATOR = re.compile(r"(?<![\w-])(?:не|нет|никогда|нельзя|ни)(?![\w-])", re.IGNORECASE)
_RU_NE = re.compile(r"(?<![\w-])([Нн]е)\s+([А-Яа-яЁё-]+)")


def _inside(spans: Iterable[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


def _en_negation_removals(tgt: str) -> list[tuple[str, str]]:
    """(new English, note) for each "not"/"n't"/"no" that can be taken out."""
    fixed = [m.span() for m in _FIXED_NOT.finditer(tgt)] + \
            [m.span() for m in _FIXED_NO.finditer(tgt)]
    out = []
    for m in _NOT.finditer(tgt):
        if _inside(fixed, m.start()):
            continue
        start = m.start() - 1 if m.start() and tgt[m.start() - 1] == " " else m.start()
        out.append((_cut(tgt, start, m.end()), f'removed "not" at {m.start()}'))
    for m in _CANNOT.finditer(tgt):
        out.append((tgt[:m.start()] + m.group(1) + "an" + tgt[m.end():],
                    f'"{m.group()}" -> "{m.group(1)}an"'))
    for m in _NT.finditer(tgt):
        out.append((tgt[:m.start()] + m.group(1) + tgt[m.end():],
                    f'"{m.group()}" -> "{m.group(1)}"'))
    for m in _IRREGULAR_NT_RE.finditer(tgt):
        plain = _IRREGULAR_NT[m.group().lower()]
        out.append((tgt[:m.start()] + _match_case(m.group(), plain) + tgt[m.end():],
                    f'"{m.group()}" -> "{plain}"'))
    for m in _NO.finditer(tgt):
        if _inside(fixed, m.start()):
            continue
        start = m.start()
        end = m.end() + 1  # the space after "no"
        out.append((_cut(tgt, start, end), f'removed "no" at {m.start()}'))
    return out


def _en_negation_insertions(tgt: str) -> list[tuple[str, str]]:
    """(new English, note) for each auxiliary that "not" can follow."""
    out = []
    for m in _AUX.finditer(tgt):
        follower = m.group(3).lower()
        if follower in _NO_NOT_BEFORE or follower.startswith(("n't", "n’t")):
            continue
        aux = m.group(1)
        if aux in ("has", "have") and not (follower == "been" or follower.endswith(("ed", "en",
                                                                                 "wn", "ne"))):
            continue  # "have" as a main verb: "have not a mandate" is not how English negates
        if aux in ("does", "do", "did") and not follower.isalpha():
            continue
        at = m.end(1)
        out.append((tgt[:at] + " not" + tgt[at:], f'inserted "not" after "{aux}" at {m.start()}'))
    return out


def _ru_negation_removals(src: str, is_ru_verb: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(new Russian, note) for each «не» right before a verb form."""
    out = []
    for m in _RU_NE.finditer(src):
        verb = m.group(2)
        if not is_ru_verb(verb):
            continue
        replacement = _match_case(m.group(1), verb)
        out.append((src[:m.start()] + replacement + src[m.end():],
                    f"removed «{m.group(1)}» before «{verb}» at {m.start()}"))
    return out


def plant_negation(src: str, tgt: str, rng: random.Random, *,
                   is_ru_verb: Callable[[str], bool] | None = None) -> Planted | None:
    """Flip one negation: take one out of the English, put one into it, or (with
    ``is_ru_verb``) take «не» out of the Russian. The variant family is drawn first, among
    those that apply, then the place.

    Each variant needs the two sides' negator counts to allow a flip: a removal from the
    English needs as many Russian negators as English ones (so the removed one had a
    counterpart), a removal from the Russian the reverse, and an insertion into the English
    no more Russian negators than English ones. Otherwise the edit could undo a paraphrase
    («не согласилась» as "rejected" + "not") instead of making a divergence.
    """
    ru_count = len(_RU_NEGATOR.findall(src))
    en_count = len(_EN_NEGATOR.findall(tgt))
    families: list[tuple[str, list[tuple[str, str]]]] = []
    if ru_count >= en_count:
        families.append(("en: negation removed", _en_negation_removals(tgt)))
    if ru_count <= en_count:
        families.append(("en: not inserted", _en_negation_insertions(tgt)))
    if is_ru_verb is not None and en_count >= ru_count:
        families.append(("ru: не removed", _ru_negation_removals(src, is_ru_verb)))
    families = [(name, edits) for name, edits in families if edits]
    if not families:
        return None
    variant, edits = rng.choice(families)
    text, note = rng.choice(edits)
    if variant.startswith("ru"):
        return Planted("negation", variant, text, tgt, note)
    return Planted("negation", variant, src, text, note)


def make_ru_verb_test() -> Callable[[str], bool]:
    """A predicate "is this Russian word a verb form" (finite, infinitive, gerund, short
    participle) backed by pymorphy3, which loads here (a fraction of a second)."""
    import pymorphy3

    analyzer: Any = pymorphy3.MorphAnalyzer()
    verbal = {"VERB", "INFN", "GRND", "PRTS"}
    seen: dict[str, bool] = {}

    def is_ru_verb(word: str) -> bool:
        key = word.lower()
        if key not in seen:
            parses = analyzer.parse(key)
            seen[key] = bool(parses) and parses[0].tag.POS in verbal
        return seen[key]

    return is_ru_verb


# --- Numbers -----------------------------------------------------------------------------------

#: A list-item number or letter at the start of a sentence: "38. ", "(a) ", "C. ".
_ENUMERATOR = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|\(?[a-zA-Z0-9]{1,4}\)|[A-Z]\.)\s+")
_EN_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_RU_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")


def _normal_number(text: str) -> str:
    """A number's value as a plain string: separators gone, decimal comma to point."""
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in text and "." not in text and re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # a Russian decimal comma
    text = text.replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def _numbers_in(text: str, pattern: re.Pattern[str]) -> set[str]:
    return {_normal_number(m.group()) for m in pattern.finditer(text)}


def _format_like(value: int, decimals: int, original_int: str) -> str:
    """``value`` (in units of the last decimal place) written like the original."""
    scale = 10 ** decimals
    whole, frac = divmod(value, scale)
    if "," in original_int:
        head = f"{whole:,}"
    elif original_int.startswith("0") and len(original_int) > 1:
        head = str(whole).zfill(len(original_int))
    else:
        head = str(whole)
    return f"{head}.{str(frac).zfill(decimals)}" if decimals else head


def _looks_like_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2100


def plant_number(src: str, tgt: str, rng: random.Random) -> Planted | None:
    """Change one English number to another value: add 1..9 to it, or multiply it by 10;
    grouping commas, decimals and leading zeros are kept. The new value is one that neither
    side already contains. Numbers inside a written date are left to ``plant_date``, and a
    leading list number ("12. The Committee ...") is layout, not content."""
    skip = [m.span() for m in _DATE.finditer(tgt)]
    skip += [m.span() for m in _ENUMERATOR.finditer(tgt)]
    candidates = [m for m in _EN_NUMBER.finditer(tgt) if not _inside(skip, m.start())]
    if not candidates:
        return None
    m = rng.choice(candidates)
    int_part, frac_part = m.group(1), m.group(2) or ""
    decimals = len(frac_part)
    value = int(int_part.replace(",", "") + frac_part)
    taken = _numbers_in(src, _RU_NUMBER) | _numbers_in(tgt, _EN_NUMBER)
    for _ in range(20):
        if value and not _looks_like_year(int_part) and rng.random() < 0.3:
            new_value, how = value * 10, "x 10"
        else:
            delta = rng.randint(1, 9)
            new_value, how = value + delta, f"+ {delta}"
        text = _format_like(new_value, decimals, int_part)
        if _normal_number(text) not in taken:
            return Planted("number", "x 10" if how == "x 10" else "+ 1..9", src,
                           tgt[:m.start()] + text + tgt[m.end():],
                           f'"{m.group()}" -> "{text}" ({how})')
    return None


# --- Dates -------------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?<!\w)(?:(?P<d0>\d{{1,2}}){_ORD}\s*(?:-|–|—|and|to)\s*)?"
    rf"(?P<d1>\d{{1,2}}){_ORD}\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>\d{{4}}))?(?!\w)"
    rf"|(?<!\w)(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}){_ORD}(?:,\s*(?P<y2>\d{{4}}))?(?!\w)"
    rf"|(?<!\w)(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})(?!\w)"
)


def plant_date(src: str, tgt: str, rng: random.Random) -> Planted | None:
    """Change the day, the month or the year of one English date written with a month name
    ("5 February 2021", "February 5, 2021", "February 2021", either day of "4-15 May").
    Days stay valid (1-28 when changed), years move by 1-5."""
    parts: list[tuple[str, int, int, str]] = []
    for m in _DATE.finditer(tgt):
        for group in ("d0", "d1", "m1", "y1", "d2", "m2", "y2", "m3", "y3"):
            if m.group(group) is not None:
                parts.append((group[0], m.start(group), m.end(group), m.group(group)))
    if not parts:
        return None
    part, start, end, old = rng.choice(parts)
    if part == "d":
        day = int(old)
        new = str(rng.choice([d for d in range(1, 29) if d != day]))
        what = "day"
    elif part == "m":
        new = rng.choice([month for month in MONTHS if month != old])
        what = "month"
    else:
        new = str(int(old) + rng.choice((-1, 1)) * rng.randint(1, 5))
        what = "year"
    return Planted("date", what, src, tgt[:start] + new + tgt[end:],
                   f'{what} "{old}" -> "{new}"')


# --- Entities ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entity:
    """A name in English, its type, and a pattern that finds it in Russian text.

    ``canonical`` names the thing itself, so that two names of one country ("Russia",
    "Russian Federation") are never swapped for each other.
    """

    type: str
    en: str
    ru: str
    partner: str | None = None
    canonical: str | None = None

    @property
    def key(self) -> str:
        return self.canonical or self.en


def _e(type_: str, en: str, ru: str, partner: str | None = None,
       canonical: str | None = None) -> Entity:
    return Entity(type_, en, ru, partner, canonical)


#: A small list of names met in UN and MFA texts. ``partner`` is the swap the bench tries
#: first (Russia <-> Ukraine ...); otherwise any other name of the same type.
ENTITIES: tuple[Entity, ...] = (
    _e("country", "Russian Federation", r"Российск\w* Федераци|Росси[яиюей]", "Ukraine",
       "Russia"),
    _e("country", "Russia", r"Росси[яиюей]\b", "Ukraine"),
    _e("country", "Ukraine", r"Украин", "Russia"),
    _e("country", "United States of America", r"Соедин[её]нн\w* Штат|США", "China",
       "United States"),
    _e("country", "United States", r"Соедин[её]нн\w* Штат|США", "China"),
    _e("country", "China", r"Кита[йяюе]|КНР", "United States"),
    _e("country", "France", r"Франци", "Germany"),
    _e("country", "Germany", r"Германи|ФРГ", "France"),
    _e("country", "United Kingdom", r"Соедин[её]нн\w* Королевств|Великобритани", "Japan"),
    _e("country", "Japan", r"Япони", "United Kingdom"),
    _e("country", "India", r"Инди[яиюей]\b", "Brazil"),
    _e("country", "Brazil", r"Бразили", "India"),
    _e("country", "Canada", r"Канад", "Mexico"),
    _e("country", "Mexico", r"Мексик", "Canada"),
    _e("country", "Italy", r"Итали", "Spain"),
    _e("country", "Spain", r"Испани", "Italy"),
    _e("country", "Syrian Arab Republic", r"Сири", "Iraq", "Syria"),
    _e("country", "Syria", r"Сири", "Iraq"),
    _e("country", "Iraq", r"Ирак", "Syria"),
    _e("country", "Afghanistan", r"Афганистан", "Pakistan"),
    _e("country", "Pakistan", r"Пакистан", "Afghanistan"),
    _e("country", "Egypt", r"Египт", "Turkey"),
    _e("country", "Turkey", r"Турци", "Egypt"),
    _e("country", "Israel", r"Израил", "Egypt"),
    _e("country", "Belarus", r"Беларус|Белорусси", "Kazakhstan"),
    _e("country", "Kazakhstan", r"Казахстан", "Belarus"),
    _e("country", "Nigeria", r"Нигери", "Kenya"),
    _e("country", "Kenya", r"Кени[яиюей]\b", "Nigeria"),
    _e("country", "Cuba", r"Куб[аыеу]\b", "Venezuela"),
    _e("country", "Venezuela", r"Венесуэл", "Cuba"),
    _e("organization", "Security Council", r"Совет\w* Безопасности", "General Assembly"),
    _e("organization", "General Assembly", r"Генеральн\w* Ассамбле", "Security Council"),
    _e("organization", "Economic and Social Council",
       r"Экономическ\w* и Социальн\w* Совет", "Human Rights Council"),
    _e("organization", "Human Rights Council", r"Совет\w* по правам человека",
       "Economic and Social Council"),
    _e("organization", "NATO", r"НАТО", "OSCE"),
    _e("organization", "OSCE", r"ОБСЕ", "NATO"),
    _e("organization", "European Union", r"Европейск\w* [Сс]оюз|\bЕС\b", "African Union"),
    _e("organization", "African Union", r"Африканск\w* [Сс]оюз", "European Union"),
    _e("organization", "UNICEF", r"ЮНИСЕФ", "UNDP"),
    _e("organization", "UNDP", r"ПРООН", "UNICEF"),
    _e("organization", "UNHCR", r"УВКБ", "UNESCO"),
    _e("organization", "UNESCO", r"ЮНЕСКО", "UNHCR"),
    _e("organization", "IAEA", r"МАГАТЭ", "OPCW"),
    _e("organization", "OPCW", r"ОЗХО", "IAEA"),
    _e("organization", "World Bank", r"Всемирн\w* банк", "International Monetary Fund"),
    _e("organization", "International Monetary Fund",
       r"Международн\w* валютн\w* фонд|МВФ", "World Bank"),
    # Long forms: counted as mentions of the short name, never planted themselves.
    _e("organization", "North Atlantic Treaty Organization", r"Организаци\w* Североатлантическ",
       None, "NATO"),
    _e("organization", "Organization for Security and Co-operation in Europe",
       r"Организаци\w* по безопасности и сотрудничеству в Европе", None, "OSCE"),
    _e("organization", "Organization for Security and Cooperation in Europe",
       r"Организаци\w* по безопасности и сотрудничеству в Европе", None, "OSCE"),
    _e("organization", "United Nations Children's Fund", r"Детск\w* фонд\w* Организации",
       None, "UNICEF"),
    _e("organization", "United Nations Development Programme",
       r"Программ\w* развития Организации", None, "UNDP"),
    _e("organization", "Office of the United Nations High Commissioner for Refugees",
       r"Управлени\w* Верховного комиссара Организации Объединенных Наций по делам беженцев",
       None, "UNHCR"),
    _e("organization", "International Atomic Energy Agency",
       r"Международн\w* агентств\w* по атомной энергии", None, "IAEA"),
    _e("organization", "Organisation for the Prohibition of Chemical Weapons",
       r"Организаци\w* по запрещению химического оружия", None, "OPCW"),
    _e("organization", "Organization for the Prohibition of Chemical Weapons",
       r"Организаци\w* по запрещению химического оружия", None, "OPCW"),
    _e("person", "Ban Ki-moon", r"Пан Ги Мун", "Kofi Annan"),
    _e("person", "Kofi Annan", r"Кофи Аннан", "Ban Ki-moon"),
    _e("person", "Putin", r"Путин", "Obama"),
    _e("person", "Obama", r"Обам", "Putin"),
    _e("person", "Lavrov", r"Лавров", "Kerry"),
    _e("person", "Kerry", r"Керри", "Lavrov"),
    _e("person", "Guterres", r"Гутерриш", "Ban Ki-moon"),
    _e("person", "Zakharova", r"Захаров", "Lavrov"),
)


def _en_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(name).replace(r"\ ", r"\s+") + r"(?![\w-])")


def plant_entity(src: str, tgt: str, rng: random.Random,
                 entities: Sequence[Entity] = ENTITIES) -> Planted | None:
    """Swap one English name that the Russian also has for another name of the same type
    that neither side mentions (the entity's partner when it qualifies). Only a name the
    English gives once, under any of its forms: swapping one "European Union" of two, or
    "OSCE" after "Organization for Security and Co-operation in Europe", leaves the thing
    named in the English."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[Entity, int, int]] = []
    mentions: Counter[str] = Counter()
    for entity in sorted(entities, key=lambda e: -len(e.en)):  # longest first
        for m in _en_pattern(entity.en).finditer(tgt):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            mentions[entity.key] += 1
            if re.search(entity.ru, src):
                found.append((entity, m.start(), m.end()))
    found = [item for item in found if mentions[item[0].key] == 1 and _swappable(item[0])]
    if not found:
        return None
    found.sort(key=lambda item: item[1])
    entity, start, end = rng.choice(found)

    # Things either side names under any of their names (so "Russia" is taken when the
    # Russian says «Российская Федерация»).
    present = {e.key for e in entities
               if re.search(e.ru, src) or _en_pattern(e.en).search(tgt)}

    def free(other: Entity) -> bool:
        return (other.type == entity.type and other.key not in present
                and _swappable(other))

    partner = next((e for e in entities if e.en == entity.partner and free(e)), None)
    choices = [e for e in entities if free(e)]
    if partner is None and not choices:
        return None
    other = partner or rng.choice(choices)
    return Planted("entity", entity.type, src, tgt[:start] + other.en + tgt[end:],
                   f'"{tgt[start:end]}" -> "{other.en}"')


def _swappable(entity: Entity) -> bool:
    """Names without a partner are long forms, there only so that they count as mentions."""
    return entity.partner is not None


# --- Clause omission and addition --------------------------------------------------------------

#: A clause boundary: a comma or semicolon followed by a space (so "1,000" is not one).
_DELIMITER = re.compile(r"[,;](?=\s)")
_AND = re.compile(r",?\s+and\s+")
MIN_CLAUSE_WORDS = 4


def _clause_cuts(tgt: str) -> list[tuple[int, int]]:
    """Spans that delete one clause: from a delimiter up to the next delimiter, or up to the
    sentence's closing punctuation for the last clause."""
    body_end = _body_end(tgt)
    marks = [m.start() for m in _DELIMITER.finditer(tgt) if m.start() < body_end]
    cuts = []
    for k, start in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else body_end
        if _word_count(tgt[start:end]) >= MIN_CLAUSE_WORDS and _balanced(tgt[start:end]):
            cuts.append((start, end))
    return cuts


def _and_cuts(tgt: str) -> list[tuple[int, int]]:
    """Spans that delete everything after a mid-sentence "and" (the "and" included)."""
    body_end = _body_end(tgt)
    cuts = []
    for m in _AND.finditer(tgt):
        if m.start() >= body_end:
            continue
        tail, head = tgt[m.start():body_end], tgt[:m.start()]
        if (_word_count(tail) - 1 >= MIN_CLAUSE_WORDS and _word_count(head) >= MIN_CLAUSE_WORDS
                and _balanced(tail) and _balanced(head)):
            cuts.append((m.start(), body_end))
    return cuts


def plant_omission(src: str, tgt: str, rng: random.Random) -> Planted | None:
    """Delete one clause of 4+ words between commas/semicolons from the English, or the whole
    second half after an "and" (the variant is drawn first, among those that apply)."""
    families = [(name, cuts) for name, cuts in (("clause", _clause_cuts(tgt)),
                                                ("after and", _and_cuts(tgt))) if cuts]
    if not families:
        return None
    variant, cuts = rng.choice(families)
    start, end = rng.choice(cuts)
    removed = tgt[start:end]
    share = _word_count(removed) / max(1, _word_count(tgt))
    return Planted("omission", variant, src, _cut(tgt, start, end),
                   f'removed "{removed.strip(",; ")}" ({share:.0%} of the words)')


#: Words that open a clause that can stand after a comma in another sentence.
CLAUSE_OPENERS = frozenset({
    "which", "who", "whose", "where", "when", "while", "whereas", "although", "since",
    "including", "in", "on", "with", "without", "through", "as", "and", "to", "for", "by",
    "under", "within", "among", "following", "according", "particularly", "especially",
    "notably", "together", "along", "during", "after", "before", "despite", "pursuant",
    "inter", "if", "unless", "because", "thereby", "thus", "taking", "bearing", "noting",
    "recalling", "stressing", "welcoming", "reaffirming",
})


def _donor_clauses(sentence: str) -> list[str]:
    """Clauses of a sentence that can be lifted out: 4-14 words, brackets balanced, either
    the sentence's first clause or one that opens with a word like "which", "including",
    "in" (a leading list-item number is dropped first)."""
    sentence = _ENUMERATOR.sub("", sentence)
    body = sentence[:_body_end(sentence)]
    out = []
    start = 0
    pieces = []
    for m in _DELIMITER.finditer(body):
        pieces.append((start, body[start:m.start()]))
        start = m.end()
    pieces.append((start, body[start:]))
    for offset, piece in pieces:
        piece = piece.strip()
        if not (MIN_CLAUSE_WORDS <= _word_count(piece) <= 14) or not _balanced(piece):
            continue
        first = _WORD.match(piece)
        if first is None:
            continue
        if offset == 0:
            if first.group()[1:].islower():
                piece = piece[0].lower() + piece[1:]  # it began the donor sentence
        elif first.group().lower() not in CLAUSE_OPENERS:
            continue
        out.append(piece)
    return out


def plant_addition(src: str, tgt: str, rng: random.Random,
                   donors: Sequence[str]) -> Planted | None:
    """Insert a clause of another pair's English into this English: after one of its commas
    or before its closing punctuation."""
    if not donors or _word_count(tgt) < 3:
        return None
    for _ in range(20):
        donor = rng.choice(donors)
        if donor == tgt:
            continue
        clauses = _donor_clauses(donor)
        if clauses:
            break
    else:
        return None
    clause = rng.choice(clauses)
    body_end = _body_end(tgt)
    points = [m.end() for m in _DELIMITER.finditer(tgt) if m.start() < body_end]
    points.append(body_end)
    at = rng.choice(points)
    if at == body_end:
        text = tgt[:at] + ", " + clause + tgt[at:]
    else:
        text = tgt[:at] + " " + clause + "," + tgt[at:]
    share = _word_count(clause) / max(1, _word_count(text))
    return Planted("addition", "end" if at == body_end else "after comma", src, text,
                   f'inserted "{clause}" ({share:.0%} of the words)')


# --- Deprecated terms --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermSubstitution:
    """A Russian glossary term with its preferred and deprecated English renderings."""

    ru: str
    preferred: tuple[str, ...]
    deprecated: tuple[str, ...]


def read_glossary(path: str | Path) -> tuple[TermSubstitution, ...]:
    """The substitutions a glossary TSV offers (columns ru, en, status, ...; lines starting
    with "#" are comments): every Russian term with at least one preferred and one
    deprecated English rendering."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return glossary_substitutions(csv.DictReader(lines, delimiter="\t"))


def glossary_substitutions(rows: Iterable[dict[str, str]]) -> tuple[TermSubstitution, ...]:
    """Group glossary rows (``ru``, ``en``, ``status``) by Russian term; keep the terms that
    have both a preferred and a deprecated English rendering."""
    terms: dict[str, tuple[str, list[str], list[str]]] = {}
    for row in rows:
        ru = (row.get("ru") or "").strip()
        en = (row.get("en") or "").strip()
        status = (row.get("status") or "").strip().lower()
        if not ru or not en:
            continue
        _, preferred, deprecated = terms.setdefault(ru.lower(), (ru, [], []))
        if status == "preferred" and en not in preferred:
            preferred.append(en)
        elif status == "deprecated" and en not in deprecated:
            deprecated.append(en)
    return tuple(TermSubstitution(term, tuple(p), tuple(d))
                 for term, p, d in terms.values() if p and d)


def _lemma_find(text_lemmas: Sequence[str], term_lemmas: Sequence[str]) -> bool:
    n = len(term_lemmas)
    return n > 0 and any(tuple(text_lemmas[i:i + n]) == tuple(term_lemmas)
                         for i in range(len(text_lemmas) - n + 1))


def plant_deprecated_term(src: str, tgt: str, rng: random.Random,
                          substitutions: Sequence[TermSubstitution],
                          ru_lemma: Callable[[str], str]) -> Planted | None:
    """Where the Russian has a glossary term (matched on lemmas; abbreviations as written)
    and the English its preferred rendering (case-insensitive, plural "-s" allowed), put a
    deprecated rendering in its place, at every occurrence (the plural "-s" and a capital
    first letter kept)."""
    def normal(word: str) -> str:
        # An abbreviation matches only itself: «ПРО» is not the preposition «про».
        return word if len(word) > 1 and word.isupper() else ru_lemma(word)

    src_lemmas = [normal(w) for w in _WORD.findall(src)]
    options = []
    for sub in substitutions:
        if not _lemma_find(src_lemmas, [normal(w) for w in _WORD.findall(sub.ru)]):
            continue
        for preferred in sub.preferred:
            pattern = re.compile(r"(?<![\w-])" + re.escape(preferred).replace(r"\ ", r"\s+")
                                 + r"(e?s)?(?![\w-])", re.IGNORECASE)
            deprecated = [d for d in sub.deprecated
                          if not re.search(re.escape(d), tgt, re.IGNORECASE)]
            for m in pattern.finditer(tgt):
                if deprecated:
                    options.append((sub, m, deprecated))
    if not options:
        return None
    sub, m, deprecated = rng.choice(options)
    chosen = rng.choice(deprecated)

    def render(match: re.Match[str]) -> str:
        new = _match_case(match.group(), chosen)
        return new + match.group(1) if match.group(1) and not new.endswith("s") else new

    # Every occurrence of that rendering: a translator who uses a wrong term uses it
    # throughout, and one correct occurrence left beside the term would hide the others.
    text = m.re.sub(render, tgt)
    return Planted("deprecated_term", "UN pair", src, text,
                   f'«{sub.ru}»: "{m.group()}" -> "{render(m)}"')


#: Sentences to carry glossary terms when the UN pairs have too few: the term stands in the
#: nominative in the Russian (after a colon or in quotes), so no inflection is needed.
TERM_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Стороны обменялись мнениями по теме «{ru}».",
     'The parties exchanged views on the topic "{en}".'),
    ("В повестку дня консультаций был включен пункт «{ru}».",
     'The agenda of the consultations included the item "{en}".'),
    ("Главной темой брифинга стал следующий вопрос: {ru}.",
     "The main subject of the briefing was the following issue: {en}."),
)


def template_pairs(substitutions: Sequence[TermSubstitution]) -> list[tuple[str, str]]:
    """One clean template pair per glossary term (first preferred rendering), the templates
    taken in turn."""
    out = []
    for k, sub in enumerate(substitutions):
        ru_template, en_template = TERM_TEMPLATES[k % len(TERM_TEMPLATES)]
        out.append((ru_template.format(ru=sub.ru), en_template.format(en=sub.preferred[0])))
    return out
