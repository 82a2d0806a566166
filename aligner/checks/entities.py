"""entities.v1: a country, place, organisation or person named on one side and not the other.

Three kinds of names are looked for. Countries, capitals and regions come from
``corpora/lists/toponyms.tsv`` (nouns, adjectives and demonyms: «американский», «США»,
«Соединённые Штаты» <-> "US", "U.S.", "American"); organisations, bodies and treaties from
``organisations.tsv`` («СБ ООН» <-> "UN Security Council", «МИД» <-> "Foreign Ministry");
Russian forms are matched on pymorphy3 lemmas, English ones on Snowball stems, the longest
form wins («Организация Объединённых Наций» is one mention, not three). People are found
in the Russian by their look (initials before a capitalised word, a first name or a title
before it, a surname reading in pymorphy3, or ``people.tsv``) and looked for in the English
by transliteration (:mod:`aligner.translit`): «Лаврова» answers to "Lavrov", «Захаровой» to
"Zakharova"; ``people.tsv`` adds the names transliteration cannot carry (Гутерриш ~
Guterres, Си Цзиньпин ~ Xi Jinping).

A name counts as present on the other side if any of its forms is there, or a form of an
entity the lists name in its "also" column (a capital stands for its country: Вашингтон
<-> "the US" is not a finding; the Security Council answers for the UN), or a word that
shares a long prefix with one of its forms ("Cypriot" for «Кипр»), or a word that
transliterates to it. Weak forms («Организация» for the UN, "the Council" for the
Security Council) answer for an entity but never raise a finding, since official
translation uses them for a repeated name.

What is reported, decided on the first 2,000 UN devset pairs and checked on the next:

- a swap (critical): a name missing from the English and one of the same kind that only
  the English has (Россия/"Ukraine", Лавров/"Shoigu"); also when the Russian name is still
  in the English but fewer times than in the Russian (one of two «Кипр» became
  "Malaysia"). A person swap needs one of the two names in ``people.tsv``.
- a Russian name missing from the English (major), all of a bead's in one finding; minor
  when it is an attribute the English often leaves to context («министерство юстиции
  Республики Узбекистан», «озера Чад», a name inside a quoted title), and not reported
  for the UN alone (a UN document names it everywhere and its English drops it freely).
- a Russian person missing from the English (minor: "the Minister", "he" may stand for it).
- A name only the English has is not reported alone: official translation makes explicit
  what the Russian leaves to context (Tunisia for «моё правительство»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, NamedTuple

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, register
from aligner.errors import FormatError
from aligner.morph import Morphology
from aligner.translit import name_keys, spells, transliterate

CHECK = "entities.v1"
LISTS = ("toponyms.tsv", "organisations.tsv", "people.tsv")

#: Kinds that can be swapped for one another: a country for a capital is still a place.
_GROUPS = {
    "country": "place", "place": "place", "region": "place",
    "org": "org", "treaty": "org", "person": "person",
}

#: Normalised edit-distance similarity of phonetic keys above which an English word spells
#: a Russian name (Гутерриш/Guterres is 0.86, Захаровой/Zakharova 0.89, Ханта/Hunte 0.6,
#: Лавров/Putin 0.0). Low on purpose: names that went English -> Russian -> English
#: lose letters, and a false match only hides a finding.
NAME_MATCH = 0.6
#: The stricter bar for a word of a listed place or organisation (Бахрейн/Bahrain).
TOPONYM_MATCH = 0.8

_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_INITIALS = re.compile(r"(?:\b[А-ЯЁ]\.\s?){1,2}$")
_RU_HONORIFIC = re.compile(r"(?:\bг-н|\bг-жа|\bгн\.|\bгжа\.)\s*$", re.IGNORECASE)
_ARTICLES = {"the", "of", "a"}

#: Russian words after which a capitalised word is a person's name.
_RU_TITLES = frozenset(
    "министр президент премьер госсекретарь секретарь посол глава председатель канцлер "
    "генсек представитель пресс-секретарь спикер сенатор советник замминистра заместитель "
    "директор господин госпожа коллега лидер руководитель помощник король принц депутат "
    "губернатор мэр командующий генерал адмирал посланник спецпредставитель комиссар "
    "верховный верховная официальный".split()
)
#: English words after which capitalised words are a person's name.
_EN_TITLES = frozenset(
    "Mr Mrs Ms Dr Minister President Secretary Ambassador Chancellor Spokesperson "
    "Spokeswoman Spokesman Senator Director Director-General Chairman Chairwoman Chair "
    "Envoy Premier colleague counterpart Representative Commissioner Governor Mayor General "
    "Admiral Deputy King Queen Prince Emir Sheikh".split()
)
#: Words after which a name is an attribute the English often leaves to context
#: («Министерства юстиции Республики Узбекистан» -> "the Ministry of Justice", «озера Чад»).
_RU_ATTRIBUTIVE = frozenset(
    "президент правительство министерство министр парламент республика юстиция группа "
    "комитет озеро река бассейн остров штат провинция область район регион город".split()
)
#: Currencies: «хорватских кун» is money, not Croatia ("HRK").
_RU_CURRENCIES = frozenset(
    "рубль доллар евро фунт куна франк иена юань песо динар рупия крона лира гривна "
    "тенге манат сом лари драм лей злотый кун".split()
)
#: Beginnings of Russian titles, for titles that lost their hyphen («Директоруисполнителю»).
_RU_TITLE_STEMS = ("директор", "председател", "секретар", "министр", "заместител", "генерал")
#: Russian words after which a capitalised word is a place, not a person.
_RU_PLACE_NOUNS = frozenset(
    "остров город провинция область штат район река озеро порт столица аэропорт улица "
    "деревня село поселок лагерь регион округ департамент графство залив море полуостров "
    "пролив гора хребет долина пустыня бассейн атолл архипелаг муниципалитет".split()
)
_RU_SUFFIXES = (
    "ыми", "ими", "ому", "ему", "ого", "его", "ой", "ей", "ом", "ем", "ым", "им", "ую", "ах",
    "ях", "ам", "ям", "а", "у", "е", "ы", "и", "ю", "я",
)


# --- the lists -------------------------------------------------------------------------


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class Entity(NamedTuple):
    key: str
    kind: str
    ru_label: str
    en_label: str
    also: frozenset[str]

    @property
    def group(self) -> str:
        return _GROUPS.get(self.kind, self.kind)


class FormWord(NamedTuple):
    keys: frozenset[str]     # lemmas/stems and the lower-case word; empty for an acronym
    acronym: str | None      # "USA", "ООН": matched exactly
    capital: bool            # the text's word must be capitalised


class Form(NamedTuple):
    entity: str
    words: tuple[FormWord, ...]
    weak: bool               # "~": answers for the entity, never reported
    weight: int              # words other than articles: longer forms win
    soft: bool = False       # "?": missing alone is not reported (the UN in UN documents)


class Token(NamedTuple):
    # A named tuple, not a dataclass: one is made per word of every text checked.
    text: str
    start: int
    end: int
    keys: frozenset[str]
    acronym: str | None
    capital: bool


class Mention(NamedTuple):
    entity: str
    start: int
    end: int
    first: int               # token indices, end exclusive
    last: int
    weak: bool
    soft: bool = False


@dataclass
class Gazetteer:
    """The entity lists, with their forms indexed by the key of their first word.

    Working out a form's keys means lemmatising it; ``load_gazetteer(lazy=True)`` leaves
    that for when a text has a word that can start it (``index_for``), a bucket of forms
    (by the first two letters of their first word) at a time."""

    entities: dict[str, Entity] = field(default_factory=dict)
    ru_index: dict[str, list[Form]] = field(default_factory=dict)
    en_index: dict[str, list[Form]] = field(default_factory=dict)
    ru_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # one-word forms
    en_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (lang, bucket) -> (entity, form text) not indexed yet, in list order
    pending: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    morph: Morphology | None = None
    # lang -> the token keys (and "=" acronyms) whose buckets ``index_for`` has compiled
    seen: dict[str, set[str]] = field(default_factory=dict)

    def related(self, key: str) -> frozenset[str]:
        """The entity and those whose mention answers for it (its "also" column)."""
        return frozenset({key, *self.entities[key].also})

    def index_for(self, toks: Sequence[Token], lang: str) -> dict[str, list[Form]]:
        """The index of ``lang``, with every form that a word of ``toks`` can start."""
        if self.pending:
            # Only keys not seen before can start a bucket not compiled yet.
            seen = self.seen.setdefault(lang, set())
            new = [key for tok in toks for key in tok.keys if key not in seen]
            new += [key for key in (f"={tok.acronym}" for tok in toks if tok.acronym)
                    if key not in seen]
            if new:
                seen.update(new)
                self._compile(lang, {_bucket(key) for key in new})
        return self.ru_index if lang == "ru" else self.en_index

    def _compile(self, lang: str, buckets: Iterable[str]) -> None:
        assert self.morph is not None  # set whenever forms are pending
        index = self.ru_index if lang == "ru" else self.en_index
        touched: set[str] = set()
        for bucket in buckets:
            for entity, text in self.pending.pop((lang, bucket), ()):
                touched.update(_index_form(index, entity, text, lang, self.morph))
        for key in touched:
            index[key].sort(key=lambda f: -len(f.words))


def _bucket(key: str) -> str:
    """A form's bucket: the first two letters of its first word's key ("=" and two for an
    acronym), lower case. Lemmas and stems start like their words (tests check the lists)."""
    size = 3 if key.startswith("=") else 2
    return key[:size].lower().replace("ё", "е")


_POSSESSIVE_END = re.compile(r"['’]s?$")
_INFLECTED_ACRONYM = re.compile(r"([А-ЯЁ]{2,})[а-яё]{1,3}")  # «МИДа», «МИДом»
_ISATION = re.compile(r"isation")
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z]{3})\d+$")


def _acronym(word: str) -> str | None:
    """The letters of an acronym: "U.S." -> "US", "МИДа" -> "МИД", "NATO" -> "NATO"."""
    # The patterns are tried only on words that can match them (an apostrophe; two
    # capitals first): most words are neither.
    letters = _POSSESSIVE_END.sub("", word) if "'" in word or "’" in word else word
    letters = letters.replace(".", "")
    if len(letters) >= 2 and letters.isupper():
        return letters
    match = _INFLECTED_ACRONYM.fullmatch(word) if word[:2].isupper() else None
    if match:
        return match.group(1)
    return None


def _keys(word: str, lang: str, morph: Morphology) -> frozenset[str]:
    lower = word.lower().replace("ё", "е")
    if lang == "en":
        if "'" in lower or "’" in lower:
            lower = _POSSESSIVE_END.sub("", lower)
        if "isation" in lower:
            lower = _ISATION.sub("ization", lower)  # Organisation, Organization
        if lower[-1:].isdigit():
            lower = _FOOTNOTE_MARK.sub("", lower)  # a footnote mark: "Crime1"
        return frozenset({lower, morph.en_stem(lower)})
    return frozenset({lower, morph.ru_lemma(lower)})


def tokens(
    text: str, lang: str, morph: Morphology,
    memo: dict[tuple[str, str], tuple[frozenset[str], str | None]] | None = None,
) -> tuple[Token, ...]:
    """Words split at hyphens («российско-американский» is two), with their match keys.

    ``memo`` (word, lang) -> (keys, acronym) spares a run working out a word's keys again.
    """
    memo = {} if memo is None else memo
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        found = memo.get((word, lang))
        if found is None:
            acronym = _acronym(word)
            found = memo[word, lang] = (
                _keys(word.replace(".", "") if acronym else word, lang, morph), acronym)
        start, end = m.span()
        out.append(Token(word, start, end, found[0], found[1], word[0].isupper()))
    return tuple(out)


def _form_word(word: str, lang: str, morph: Morphology) -> FormWord:
    acronym = _acronym(word)
    if acronym:
        return FormWord(frozenset(), acronym, True)
    return FormWord(_keys(word, lang, morph), None, word[0].isupper())


def _add_form(gaz: Gazetteer, entity: str, text: str, lang: str, morph: Morphology | None
              ) -> None:
    """Add one form of ``entity``: indexed now with ``morph``, else left pending."""
    weak = text.startswith("~")
    plain = text.lstrip("~?").strip()
    first = _TOKEN.search(plain)
    if first is None:
        return
    if len(list(_TOKEN.finditer(plain))) == 1 and not _acronym(first.group()) and not weak:
        singles = gaz.ru_words if lang == "ru" else gaz.en_words
        singles[entity] = (*singles.get(entity, ()), plain.lower().replace("ё", "е"))
    if morph is not None:
        _index_form(gaz.ru_index if lang == "ru" else gaz.en_index, entity, text, lang, morph)
    else:
        acronym = _acronym(first.group())
        bucket = _bucket(f"={acronym}" if acronym else first.group())
        gaz.pending.setdefault((lang, bucket), []).append((entity, text))
    if "-" in plain:
        # UN texts often lose their hyphens: «НьюЙорк», "NonProliferation".
        marker = "~" if weak else "?" if text.startswith("?") else ""
        _add_form(gaz, entity, marker + plain.replace("-", ""), lang, morph)


def _index_form(index: dict[str, list[Form]], entity: str, text: str, lang: str,
                morph: Morphology) -> list[str]:
    """Index one form (without its hyphen-less variant); the keys it went under."""
    weak = text.startswith("~")
    soft = text.startswith("?")
    text = text.lstrip("~?").strip()
    words = tuple(_form_word(m.group(), lang, morph) for m in _TOKEN.finditer(text))
    if not words:
        return []
    weight = sum(1 for m in _TOKEN.finditer(text) if m.group().lower() not in _ARTICLES)
    form = Form(entity, words, weak, weight, soft)
    first = words[0]
    keys = [f"={first.acronym}"] if first.acronym else sorted(first.keys)
    for key in keys:
        index.setdefault(key, []).append(form)
    return keys


def parse_list(text: str, name: str) -> list[tuple[str, str, list[str], list[str], list[str]]]:
    """Rows of an entity list: key, kind, Russian forms, English forms, related keys."""
    rows = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if not header_seen:
            if cells[:4] != ["key", "kind", "ru", "en"]:
                raise FormatError(
                    "expected the header 'key kind ru en also'",
                    where=f"{name}:{number}", hint="the first non-comment row names the columns",
                )
            header_seen = True
            continue
        if len(cells) < 4 or not cells[0] or not cells[2] or not cells[3]:
            raise FormatError(
                f"expected 4 or 5 tab-separated cells, found {len(cells)}: {line!r}",
                where=f"{name}:{number}",
            )
        also = cells[4].split("|") if len(cells) > 4 and cells[4] else []
        rows.append((cells[0], cells[1], cells[2].split("|"), cells[3].split("|"), also))
    return rows


def load_gazetteer(morph: Morphology, names: Sequence[str] = LISTS, *,
                   lazy: bool = False) -> Gazetteer:
    """Read the entity lists shipped in ``aligner.corpora/lists``; with ``lazy``, index the
    forms only as texts need them (``Gazetteer.index_for``)."""
    gaz = Gazetteer(morph=morph)
    folder = files("aligner.corpora") / "lists"
    for name in names:
        resource = folder / name
        if not resource.is_file():
            continue  # people.tsv is optional
        for key, kind, ru, en, also in parse_list(resource.read_text("utf-8"), name):
            ru_label = next((f for f in ru if not f.startswith("~")), ru[0]).lstrip("~?")
            en_label = next((f for f in en if not f.startswith("~")), en[0]).lstrip("~?")
            gaz.entities[key] = Entity(key, kind, ru_label, en_label, frozenset(also))
            for form in ru:
                _add_form(gaz, key, form, "ru", None if lazy else morph)
            for form in en:
                _add_form(gaz, key, form, "en", None if lazy else morph)
    for forms in (*gaz.ru_index.values(), *gaz.en_index.values()):
        forms.sort(key=lambda f: -len(f.words))
    return gaz


# --- finding mentions ------------------------------------------------------------------


def _word_matches(word: FormWord, token: Token) -> bool:
    if word.acronym:
        if token.acronym == word.acronym:
            return True
        # "Nato", "Unesco": newspapers write long acronyms as names.
        return len(word.acronym) >= 4 and token.text.lower() == word.acronym.lower()
    if word.capital and not token.capital:
        return False
    return bool(word.keys & token.keys)


def find_mentions(toks: Sequence[Token], index: dict[str, list[Form]]) -> list[Mention]:
    """Non-overlapping mentions, longer forms first, then strong before weak, then leftmost."""
    candidates: list[tuple[int, int, int, Form]] = []
    for i, tok in enumerate(toks):
        # Without an acronym the keys are read as they are: a copy into an empty set
        # would iterate in the same order (CPython copies a small set's table as it is).
        keys: Iterable[str] = tok.keys
        if tok.acronym:
            keys = {f"={tok.acronym}"}
            keys |= tok.keys
        seen: set[int] = set()
        for key in keys:
            for form in index.get(key, ()):
                if id(form) in seen or i + len(form.words) > len(toks):
                    continue
                seen.add(id(form))
                if all(_word_matches(w, toks[i + j]) for j, w in enumerate(form.words)):
                    candidates.append((form.weight, i, i + len(form.words), form))
    candidates.sort(key=lambda c: (-c[0], c[3].weak, c[1]))
    taken: set[int] = set()
    mentions = []
    for _, first, last, form in candidates:
        if taken.intersection(range(first, last)):
            continue
        taken.update(range(first, last))
        mentions.append(
            Mention(
                form.entity, toks[first].start, toks[last - 1].end, first, last,
                form.weak, form.soft,
            )
        )
    mentions.sort(key=lambda m: m.start)
    return mentions


def _loose_count(forms: Iterable[str], toks: Iterable[Token], need_capital: bool) -> int:
    """Words that share a long prefix with a one-word form: "Cypriot" ~ "Cyprus", «кипрско»."""
    # A form shares enough with a word when the word starts with the form's first
    # max(4, min(len - 2, 5)) letters (4 or 5): compared as prefixes of those lengths.
    prefixes: dict[int, set[str]] = {4: set(), 5: set()}
    for form in forms:
        need = max(4, min(len(form) - 2, 5))
        if len(form) >= need:
            prefixes[need].add(form[:need])
    if not prefixes[4] and not prefixes[5]:
        return 0
    count = 0
    for tok in toks:
        if need_capital and not tok.capital:
            continue
        text = tok.text.lower().replace("ё", "е")
        if text[:4] in prefixes[4] or text[:5] in prefixes[5]:
            count += 1
    return count


# --- people ----------------------------------------------------------------------------


def _ru_forms(token: Token) -> set[str]:
    """Forms to transliterate: the word, its lemmas, the word without a case ending."""
    lower = token.text.lower()
    forms = {lower, *token.keys}
    for suffix in _RU_SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            forms.add(lower[: -len(suffix)])
            break
    return forms


def _surname_score(parses: Sequence[Any]) -> float:
    return sum(p.score for p in parses if "Surn" in p.tag)


def _is_given_name(parses: Sequence[Any]) -> bool:
    return bool(parses) and parses[0].score >= 0.3 and (
        "Name" in parses[0].tag or "Patr" in parses[0].tag
    )


def _run_is_person(
    text: str, toks: Sequence[Token], first: int, last: int, analyzer: Any
) -> bool:
    """Whether capitalised words ``toks[first:last]`` name a person, from how they look."""
    parses = [analyzer.parse(t.text) for t in toks[first:last]]
    tags = [str(p[0].tag) if p else "" for p in parses]
    if any("Geox" in t or "Orgn" in t for t in tags):
        return False
    if all(
        analyzer.word_is_known(t.text) and _surname_score(p) == 0
        and not any("Name" in q.tag or "Patr" in q.tag for q in p)
        for t, p in zip(toks[first:last], parses, strict=True)
    ):
        return False  # «Председатель», «Апелляционная»: words, not names
    before = text[: toks[first].start]
    if _inside_quotes(before):
        return False  # «Мэрикнолл систерс оф Сент-Доминик»: the name of a body or a work
    window = toks[max(0, first - 4): first]
    if any(t.keys & _RU_PLACE_NOUNS for t in window):
        return False  # «на острове Санта-Крус»
    if any(toks[first].text.lower().startswith(title) for title in _RU_TITLE_STEMS):
        return False  # «Директоруисполнителю»: a title written without its hyphen
    initials = _INITIALS.search(before)
    if (initials and before[: initials.start()].strip()) or _RU_HONORIFIC.search(before):
        return True  # initials at the very start are a list letter: «С. Наистрожайший»
    if any(t.keys & _RU_TITLES for t in window):
        return True
    if last - first >= 2 and _is_given_name(parses[0]):
        return True
    return any(
        _surname_score(p) >= 0.4 and "Name" not in t for p, t in zip(parses, tags, strict=True)
    )


def _inside_quotes(before: str) -> bool:
    """Whether text that ends with ``before`` is inside an open quotation."""
    opened = before.count("«") + before.count("<<") + before.count("„")
    closed = before.count("»") + before.count(">>") + before.count("“")
    return opened > closed or before.count('"') % 2 == 1


def ru_people(
    text: str, toks: Sequence[Token], covered: set[int], analyzer: Any
) -> list[tuple[int, int]]:
    """Runs of Russian words (first, last) that name a person, outside list mentions.

    A run is a stretch of capitalised Cyrillic words («Роман Оярсун Марчеси»); it names a
    person when initials, «г-н» or a title come before it, when it starts with a first
    name, or when pymorphy3 reads a word of it as a surname.
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if not _name_like(toks[i], i, covered):
            i += 1
            continue
        j = i
        while j < len(toks) and _name_like(toks[j], j, covered) and (
            j == i or text[toks[j - 1].end:toks[j].start] in {" ", "-"}
        ):
            j += 1
        if _run_is_person(text, toks, i, j, analyzer):
            runs.append((i, j))
        i = j
    return runs


def _name_like(tok: Token, i: int, covered: set[int]) -> bool:
    word = tok.text
    return (
        i not in covered and tok.capital and not tok.acronym and len(word) >= 2
        and bool(_CYRILLIC.match(word)) and word[1:].islower()
    )


def en_people(text: str, toks: Sequence[Token], covered: set[int]) -> list[int]:
    """Indices of English tokens that name a person: the last capitalised word after a title."""
    found = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.text.rstrip(".") in _EN_TITLES and tok.capital:
            j = i + 1
            run = []
            while j < len(toks) and toks[j].capital and j not in covered:
                run.append(j)
                j += 1
            if run and not toks[run[-1]].acronym:
                found.append(run[-1])
            i = j
            continue
        i += 1
    return found


# --- the check -------------------------------------------------------------------------


class Missing(NamedTuple):
    """An entity (or a person's name) named on one side only."""

    key: str | None          # the listed entity, or None for a person found by look
    kind: str
    label: str               # the name as written
    spans: tuple[tuple[int, int], ...]
    expected: str | None     # how the other side would write it
    related: frozenset[str] = frozenset()  # entities whose mention answers for this one
    fewer: bool = False        # still named in the English, only less often
    attributive: bool = False  # «министерство юстиции Республики Узбекистан»: often implied
    soft: bool = False         # the UN in a UN document: only reported as half of a swap

    @property
    def group(self) -> str:
        return _GROUPS.get(self.kind, self.kind)


def _resources(context: CheckContext) -> tuple[Morphology, Gazetteer]:
    morph: Morphology = context.resource("morphology", Morphology)
    # Its own key: a lazy gazetteer must be read through ``index_for`` (``compare`` shares
    # the context and reads the indexes of the eager one it loads under ".gazetteer").
    gaz: Gazetteer = context.resource(f"{CHECK}.gazetteer.lazy",
                                      lambda: load_gazetteer(morph, lazy=True))
    return morph, gaz


@dataclass
class NameMemo:
    """Transliteration keys worked out in this run (``translit.name_keys`` spells a word
    in every scheme; a document names the same people again and again)."""

    ru: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)
    en: dict[tuple[frozenset[str], str, float], bool] = field(default_factory=dict)

    def name_keys(self, forms: Iterable[str]) -> frozenset[str]:
        key = frozenset(forms)
        found = self.ru.get(key)
        if found is None:
            found = self.ru[key] = name_keys(key)
        return found

    def spells(self, keys: frozenset[str], en_word: str, threshold: float) -> bool:
        """``translit.spells``, memoised."""
        found = self.en.get((keys, en_word, threshold))
        if found is None:
            found = self.en[keys, en_word, threshold] = spells(keys, en_word, threshold)
        return found


def _spells(keys: frozenset[str], toks: Iterable[Token], threshold: float,
            memo: NameMemo) -> bool:
    """Whether a capitalised word of ``toks`` spells the name whose keys are ``keys``."""
    return _spell_count(keys, toks, threshold, memo) > 0


def _spell_count(keys: frozenset[str], toks: Iterable[Token], threshold: float,
                 memo: NameMemo) -> int:
    return sum(
        1 for tok in toks
        if tok.capital and len(tok.text) >= 2 and memo.spells(keys, tok.text, threshold)
    )


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass
class _Sides:
    """Both sides of a pair as tokens and list mentions."""

    ru: str
    en: str
    ru_toks: tuple[Token, ...]
    en_toks: tuple[Token, ...]
    ru_mentions: list[Mention]
    en_mentions: list[Mention]
    memo: NameMemo = field(default_factory=NameMemo)
    _ru_name_keys: list[frozenset[str]] | None = None

    def ru_name_keys(self) -> list[frozenset[str]]:
        """Transliteration keys of every capitalised Russian word, computed once."""
        if self._ru_name_keys is None:
            self._ru_name_keys = [self.memo.name_keys(_ru_forms(t))
                                  for t in self.ru_toks if t.capital]
        return self._ru_name_keys

    def ru_spells(self, en_tok: Token, threshold: float) -> bool:
        return any(_spells(keys, [en_tok], threshold, self.memo)
                   for keys in self.ru_name_keys())


def _ru_missing(sides: _Sides, gaz: Gazetteer, analyzer: Any) -> list[Missing]:
    """Entities and people the Russian names that the English lacks."""
    en_covered = {i for m in sides.en_mentions for i in range(m.first, m.last)}
    en_free = [t for i, t in enumerate(sides.en_toks) if i not in en_covered]
    missing: list[Missing] = []
    for key in dict.fromkeys(m.entity for m in sides.ru_mentions if not m.weak):
        entity = gaz.entities[key]
        related = gaz.related(key)
        mentions = [
            m for m in sides.ru_mentions if m.entity == key
            and not (m.last < len(sides.ru_toks) and sides.ru_toks[m.last].keys & _RU_CURRENCIES)
        ]
        if not mentions:
            continue
        found = sum(1 for m in sides.en_mentions if m.entity in related)
        # Any case: "the turkish cook" still names Turkey, if sloppily.
        found += _loose_count((w for k in related for w in gaz.en_words.get(k, ())), en_free, False)
        if all(m.last - m.first == 1 for m in mentions):
            keys = sides.memo.name_keys(
                f for m in mentions for f in _ru_forms(sides.ru_toks[m.first]))
            bar = NAME_MATCH if entity.kind == "person" else TOPONYM_MATCH
            found += _spell_count(keys, en_free, bar, sides.memo)
        if found:
            if found < len(mentions):
                # Named less often in the English: reported only as half of a swap, when
                # the English also names something the Russian does not (one of two
                # «Кипр» turned into "Malaysia").
                missing.append(Missing(
                    key, entity.kind, sides.ru[mentions[-1].start:mentions[-1].end],
                    tuple((m.start, m.end) for m in mentions), entity.en_label,
                    related=related, fewer=True,
                ))
            continue
        missing.append(Missing(
            key, entity.kind, sides.ru[mentions[0].start:mentions[0].end],
            tuple((m.start, m.end) for m in mentions), entity.en_label,
            related=related,
            attributive=all(
                _inside_quotes(sides.ru[:m.start]) or any(
                    t.keys & _RU_ATTRIBUTIVE for t in sides.ru_toks[max(0, m.first - 3):m.first]
                )
                for m in mentions
            ),
            soft=all(m.soft for m in mentions),
        ))
    # People the lists do not know, found by how they are written.
    ru_covered = {i for m in sides.ru_mentions for i in range(m.first, m.last)}
    for first, last in ru_people(sides.ru, sides.ru_toks, ru_covered, analyzer):
        run = sides.ru_toks[first:last]
        if any(_spells(sides.memo.name_keys(_ru_forms(t)), sides.en_toks, NAME_MATCH,
                       sides.memo) for t in run):
            continue
        surname = run[-1]
        lemma = min(surname.keys - {surname.text.lower()}, default=surname.text.lower())
        missing.append(Missing(
            None, "person", sides.ru[run[0].start:run[-1].end],
            ((run[0].start, run[-1].end),), _title(transliterate(lemma)),
        ))
    return missing


def _en_missing(sides: _Sides, gaz: Gazetteer) -> list[Missing]:
    """Entities and people the English names that the Russian lacks."""
    ru_keys = {m.entity for m in sides.ru_mentions}
    ru_covered = {i for m in sides.ru_mentions for i in range(m.first, m.last)}
    ru_free = [t for i, t in enumerate(sides.ru_toks) if i not in ru_covered]
    missing: list[Missing] = []
    for key in dict.fromkeys(m.entity for m in sides.en_mentions if not m.weak):
        entity = gaz.entities[key]
        related = gaz.related(key)
        if related & ru_keys:
            continue
        if _loose_count((w for k in related for w in gaz.ru_words.get(k, ())), ru_free, False):
            continue
        mentions = [m for m in sides.en_mentions if m.entity == key]
        if any(sides.en[m.start:m.end] in sides.ru for m in mentions):
            continue  # the Russian quotes the English name as it is
        bar = NAME_MATCH if entity.kind == "person" else TOPONYM_MATCH
        if all(m.last - m.first == 1 for m in mentions) and any(
            sides.ru_spells(sides.en_toks[m.first], bar) for m in mentions
        ):
            continue
        missing.append(Missing(
            key, entity.kind, sides.en[mentions[0].start:mentions[0].end],
            tuple((m.start, m.end) for m in mentions), entity.ru_label, related=related,
        ))
    en_covered = {i for m in sides.en_mentions for i in range(m.first, m.last)}
    for i in en_people(sides.en, sides.en_toks, en_covered):
        tok = sides.en_toks[i]
        if not sides.ru_spells(tok, NAME_MATCH):
            missing.append(Missing(None, "person", tok.text, ((tok.start, tok.end),), None))
    return missing


def _swappable(ru: Missing, en: Missing) -> bool:
    """Whether a name missing from each side can be one swapped for the other.

    Same kind (a country for a country, or a capital for a country); for people, one of the
    two must be listed, since names found by look are too often a transliteration gap.
    """
    if ru.group != en.group:
        return False
    if (ru.key and ru.key in en.related) or (en.key and en.key in ru.related):
        return False  # «ООН-женщины» and "United Nations": one is part of the other
    if ru.group == "person":
        return bool(ru.key or en.key)
    if ru.group == "place":
        return ru.kind == en.kind or {ru.kind, en.kind} == {"country", "place"}
    return True


_KIND_WORDS = {
    "country": "country", "place": "place", "region": "region", "org": "organisation",
    "treaty": "treaty", "person": "person",
}
Spans = tuple[tuple[int, int], ...]


def _listing(labels: Sequence[str], quote: str) -> str:
    opened, closed = ("«", "»") if quote == "ru" else ('"', '"')
    quoted = [f"{opened}{label}{closed}" for label in labels]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _findings(
    ru_missing: list[Missing], en_missing: list[Missing], ru_is_src: bool
) -> Iterator[Divergence]:
    def spans(ru_spans: Spans, en_spans: Spans) -> tuple[Spans, Spans]:
        """(src spans, tgt spans) for Russian and English spans."""
        return (ru_spans, en_spans) if ru_is_src else (en_spans, ru_spans)

    unmatched_en = list(en_missing)
    absent: dict[Severity, list[Missing]] = {Severity.MAJOR: [], Severity.MINOR: []}
    # Names wholly missing pair first; a name only named less often pairs with what is left.
    ru_missing = sorted(ru_missing, key=lambda m: m.fewer)
    for miss in ru_missing:
        partner = next(
            (e for e in unmatched_en if _swappable(miss, e)
             and (not miss.fewer or (e.kind == miss.kind and miss.group != "org"))),
            None,
        )
        if partner is None and miss.fewer:
            continue
        if partner is not None:
            unmatched_en.remove(partner)
            kind = _KIND_WORDS[miss.kind if miss.kind == partner.kind else miss.group]
            src, tgt = spans(miss.spans, partner.spans)
            yield Divergence(
                CHECK, Severity.CRITICAL, Category.NAMED_ENTITY,
                f"the Russian names «{miss.label}» but the English names \"{partner.label}\" "
                f"instead: a different {kind}",
                suggestion=f"render «{miss.label}» as \"{miss.expected}\""
                if miss.expected else None,
                src_spans=src, tgt_spans=tgt,
            )
        elif miss.soft:
            continue
        elif miss.group == "person":
            src, tgt = spans(miss.spans, ())
            yield Divergence(
                CHECK, Severity.MINOR, Category.NAMED_ENTITY,
                f"the Russian names «{miss.label}» but no \"{miss.expected}\" appears in the "
                "English (fine if a title or a pronoun stands for the name)",
                suggestion=f"name \"{miss.expected}\"" if miss.expected else None,
                src_spans=src, tgt_spans=tgt,
            )
        else:
            absent[Severity.MINOR if miss.attributive else Severity.MAJOR].append(miss)
    # Names missing together are one finding: the English has paraphrased or dropped the
    # passage that held them ("its partners" for «Соединённого Королевства, США и Франции»).
    for severity, group in absent.items():
        if not group:
            continue
        ru_labels = _listing([m.label for m in group], "ru")
        en_labels = _listing([m.expected or "" for m in group], "en")
        verb = "does not mention" if len(group) == 1 else "mentions none of"
        src, tgt = spans(tuple(span for m in group for span in m.spans), ())
        yield Divergence(
            CHECK, severity, Category.NAMED_ENTITY,
            f"the Russian names {ru_labels} but the English {verb} {en_labels}",
            suggestion=f"render {ru_labels} as {en_labels}",
            src_spans=src, tgt_spans=tgt,
        )
    # A name only the English has is not reported on its own: official translation makes
    # explicit what the Russian leaves to context (Tunisia for «моё правительство»).


@register(CHECK, Severity.MAJOR, Category.NAMED_ENTITY)
def check_entities(pair: Pair, context: CheckContext) -> Iterator[Divergence]:
    """Country, organisation or person named on one side only, or swapped for another

    Looks for countries, capitals and regions (with their adjectives: «американский» <->
    "US", "American"), organisations and treaties («ОДКБ» <-> "CSTO"), and people
    («С.В.Лавров» <-> "Sergey Lavrov", by transliteration). A Russian name with no
    counterpart in the English is major (minor when it is an attribute often left to
    context: «Министерство юстиции Республики Узбекистан»); a Russian name replaced by an
    English one of the same kind (Россия/"Ukraine", Лавров/"Shoigu") is a critical swap;
    an English name alone is not reported. A missing person is minor: official
    translation replaces a repeated name with "the Minister" or "he". Metonyms count as
    counterparts (Вашингтон <-> "the US", Кремль <-> "Russia"), and so do the groups the
    lists know ("the P3" for the United Kingdom, the United States and France). Misfires on
    names outside the lists that transliteration cannot carry, on a country rendered by a
    pronoun or a group the lists lack ("its partners"), and on misaligned beads (two
    different delegations' lists).
    """
    if pair.is_null:
        return
    oriented = pair.russian_english()
    if oriented is None:
        return
    ru, en, ru_is_src = oriented
    if not _CYRILLIC.search(ru):
        return  # the "Russian" is a name or a heading left in English: nothing to compare
    morph, gaz = _resources(context)
    memo = context.resource(f"{CHECK}.token-keys", dict)
    ru_toks = tokens(ru, "ru", morph, memo)
    en_toks = tokens(en, "en", morph, memo)
    sides = _Sides(
        ru, en, ru_toks, en_toks,
        find_mentions(ru_toks, gaz.index_for(ru_toks, "ru")),
        find_mentions(en_toks, gaz.index_for(en_toks, "en")),
        context.resource(f"{CHECK}.names", NameMemo),
    )
    yield from _findings(_ru_missing(sides, gaz, morph), _en_missing(sides, gaz), ru_is_src)
