"""Glossaries: which English renderings a Russian term may (and may not) have.

A glossary is a set of Russian terms, each with English renderings marked *preferred*,
*admitted* or *deprecated* (ISO 30042 administrative statuses: a deprecated rendering is a
known wrong one that translators must avoid). The house glossary ships in
``corpora/glossary/diplomatic-ru-en.tsv``; users add their own as TSV or TBX files.

Matching is on normalised word sequences, so inflection never hides a term: Russian words
are compared on pymorphy3 lemmas («раздражителями» -> «раздражитель»), English words on
Snowball stems after British spellings are folded into American ones ("defence" and
"defense" match). Abbreviations (ПРО, NPT, START) are compared as written, case-sensitively,
so «ПРО» never matches the preposition «про» and "START" never matches the verb "start".
A hyphenated word is matched both as its parts and joined up, so "non-proliferation",
"nonproliferation" and "multi-polar" all find their glossary forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple

from aligner.errors import FormatError, InputError
from aligner.morph import Morphology, Word, words

Status = Literal["preferred", "admitted", "deprecated"]
STATUSES: tuple[Status, ...] = ("preferred", "admitted", "deprecated")
COLUMNS = ("ru", "en", "status", "domain", "note")
DEFAULT_GLOSSARY = "diplomatic-ru-en.tsv"
#: The source label of the house glossary's renderings (followed by ":" and a line).
HOUSE_SOURCE = f"aligner.corpora/glossary/{DEFAULT_GLOSSARY}"

# TBX administrative statuses (ISO 12620 / TBX-Basic picklist) and what they mean here;
# a superseded term is as wrong in a new translation as a deprecated one.
TBX_STATUSES: dict[str, Status] = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    "preferred": "preferred",
    "admitted": "admitted",
    "deprecated": "deprecated",
    "superseded": "deprecated",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---------------------------------------------------------------------------------------
# The glossary: immutable values


@dataclass(frozen=True, slots=True)
class Rendering:
    """One English rendering of a term, with its status and where it was defined."""

    en: str
    status: Status
    note: str = ""
    source: str = ""

    @property
    def accepted(self) -> bool:
        return self.status != "deprecated"


@dataclass(frozen=True, slots=True)
class Term:
    """A Russian term and its English renderings (preferred first)."""

    ru: str
    renderings: tuple[Rendering, ...]
    domain: str = ""

    @property
    def accepted(self) -> tuple[Rendering, ...]:
        return tuple(r for r in self.renderings if r.accepted)

    @property
    def deprecated(self) -> tuple[Rendering, ...]:
        return tuple(r for r in self.renderings if not r.accepted)

    @property
    def house(self) -> Rendering | None:
        """The rendering to suggest: the first preferred one, else the first admitted."""
        accepted = self.accepted
        return accepted[0] if accepted else None


@dataclass(frozen=True, slots=True)
class Glossary:
    """Terms from the house glossary and any user glossaries, in the order read."""

    terms: tuple[Term, ...] = ()
    sources: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def term(self, ru: str) -> Term | None:
        """The term written ``ru`` (spacing, case of the first letter and ё ignored)."""
        key = _term_key(ru)
        return next((t for t in self.terms if _term_key(t.ru) == key), None)


class _Row(NamedTuple):
    # A named tuple: a glossary has a row per rendering, read at every run.
    ru: str
    en: str
    status: Status
    domain: str
    note: str
    source: str


def _term_key(text: str) -> str:
    text = " ".join(text.split()).replace("ё", "е").replace("Ё", "Е")
    return text[:1].lower() + text[1:]


def _build(rows: Iterable[_Row], sources: tuple[str, ...]) -> Glossary:
    """Group rows by Russian term; a later row for the same (ru, en) pair overrides."""
    order: list[str] = []
    ru_text: dict[str, str] = {}
    domains: dict[str, str] = {}
    renderings: dict[str, dict[str, Rendering]] = {}
    for row in rows:
        key = _term_key(row.ru)
        if key not in renderings:
            order.append(key)
            ru_text[key] = " ".join(row.ru.split())
            renderings[key] = {}
        if row.domain and not domains.get(key):
            domains[key] = row.domain
        en_key = " ".join(row.en.split()).casefold()
        renderings[key][en_key] = Rendering(" ".join(row.en.split()), row.status, row.note,
                                            row.source)
    terms = []
    for key in order:
        ranked = sorted(renderings[key].values(), key=lambda r: STATUSES.index(r.status))
        terms.append(Term(ru_text[key], tuple(ranked), domains.get(key, "")))
    return Glossary(tuple(terms), sources)


# ---------------------------------------------------------------------------------------
# Reading glossaries


def load_glossary(paths: Sequence[str | Path], *, include_default: bool = True) -> Glossary:
    """Read the house glossary (unless ``include_default`` is false) and ``paths``.

    A path ending in ``.tbx`` or ``.xml``, or whose text starts with ``<``, is read as TBX;
    anything else as TSV. Later files override earlier ones for the same (ru, en) pair.
    Raises ``InputError`` for a missing or unreadable file, ``FormatError`` for a malformed
    one (with file, line and, for TSV, column).
    """
    rows: list[_Row] = []
    sources: list[str] = []
    if include_default:
        default = resources.files("aligner.corpora") / "glossary" / DEFAULT_GLOSSARY
        label = HOUSE_SOURCE
        rows.extend(_read_tsv(default.read_text(encoding="utf-8"), label))
        sources.append(label)
    for path in paths:
        label = str(path)
        data = _read_bytes(Path(path))
        if _is_xml(Path(path), data):
            rows.extend(_read_tbx(data, label))  # lxml reads the XML declaration's encoding
        else:
            rows.extend(_read_tsv(_decode(data, label), label))
        sources.append(label)
    return _build(rows, tuple(sources))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError("glossary file not found", where=str(path),
                         hint="check the path given to --glossary")
    if not path.is_file():
        raise InputError("glossary path is not a file", where=str(path),
                         hint="give a .tsv or .tbx file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the glossary: {err.strerror}", where=str(path)) from err


def _is_xml(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".tbx", ".xml") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _decode(data: bytes, label: str) -> str:
    if b"\0" in data[:4096]:
        raise InputError("the glossary is a binary file", where=label,
                         hint="expected UTF-8 TSV or TBX (XML)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError("the glossary is not UTF-8 text", where=f"{label}:{line}",
                         hint="save it as UTF-8") from err


def _read_tsv(text: str, label: str) -> list[_Row]:
    """Rows of a glossary TSV: header ``ru en status domain note`` (or headerless ru, en)."""
    columns: tuple[str, ...] | None = None
    rows: list[_Row] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if columns is None:
            names = {cell.lower() for cell in cells if cell}
            if cells[0].lower() == "ru" or ("ru" in names and names <= set(COLUMNS)):
                columns = _tsv_header(cells, label, number)
                continue
            columns = COLUMNS  # headerless: ru, en[, status, domain, note]
        rows.append(_tsv_row(cells, columns, label, number))
    if not rows:
        raise FormatError("the glossary holds no entries", where=label,
                          hint="expected a header 'ru<TAB>en<TAB>status<TAB>domain<TAB>note' "
                               "and one row per English rendering")
    return rows


def _tsv_header(cells: list[str], label: str, number: int) -> tuple[str, ...]:
    names = [cell.lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    for col, name in enumerate(names, start=1):
        if name not in COLUMNS:
            raise FormatError(f"unknown column {cells[col - 1]!r}",
                              where=f"{label}:{number}:{col}",
                              hint=f"known columns: {', '.join(COLUMNS)}")
        if names.index(name) != col - 1:
            raise FormatError(f"column {name!r} appears twice", where=f"{label}:{number}:{col}")
    for required in ("ru", "en"):
        if required not in names:
            raise FormatError(f"the header has no {required!r} column",
                              where=f"{label}:{number}",
                              hint="the header is 'ru<TAB>en<TAB>status<TAB>domain<TAB>note'")
    return tuple(names)


def _tsv_row(cells: list[str], columns: tuple[str, ...], label: str, number: int) -> _Row:
    where = f"{label}:{number}"
    if len(cells) > len(columns) and any(cells[len(columns):]):
        col = len(columns) + 1
        raise FormatError(f"too many columns: expected {len(columns)} ({', '.join(columns)}), "
                          f"found {len(cells)}", where=f"{where}:{col}",
                          hint="a tab inside a note? write the note without tabs")
    values = dict(zip(columns, cells, strict=False))
    ru, en = values.get("ru", ""), values.get("en", "")
    if not ru:
        raise FormatError("the Russian term is empty", where=f"{where}:{columns.index('ru') + 1}")
    if not en:
        col = columns.index("en") + 1
        hint = "columns are separated by tabs" if len(cells) == 1 else None
        raise FormatError("the English rendering is empty", where=f"{where}:{col}", hint=hint)
    status = values.get("status", "").lower() or "preferred"
    if status not in STATUSES:
        raise FormatError(f"status must be preferred, admitted or deprecated, "
                          f"found {values['status']!r}",
                          where=f"{where}:{columns.index('status') + 1}")
    return _Row(ru, en, status, values.get("domain", ""), values.get("note", ""), where)


def _read_tbx(data: bytes, label: str) -> list[_Row]:
    """Rows of a TBX termbase (TBX v2 ``martif`` or TBX v3 ``tbx``; Basic, Core or Min)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise FormatError(f"is not a TBX file: not well-formed XML ({err.msg})",
                          where=f"{label}:{err.lineno}" if err.lineno else label,
                          hint="expected a TBX termbase (<tbx> or <martif>) or a TSV glossary"
                          ) from err
    if root is None or _local(root) not in ("tbx", "martif"):
        found = _local(root) if root is not None else "nothing"
        raise FormatError(f"is not a TBX file: the root element is <{found}>, "
                          f"expected <tbx> or <martif>", where=label)
    rows: list[_Row] = []
    for entry in root.iter(etree.Element):
        if _local(entry) in ("termEntry", "conceptEntry"):
            rows.extend(_tbx_entry(entry, label))
    if not rows:
        raise FormatError('has no entry with both a Russian (xml:lang="ru") and an English '
                          '(xml:lang="en") term', where=label,
                          hint="check the language codes of the <langSet>/<langSec> elements")
    return rows


def _local(element: object) -> str:
    from lxml import etree

    tag = getattr(element, "tag", None)
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: object) -> str:
    """The element's text, whitespace collapsed; entity references (never resolved) left out."""
    nodes = element.xpath("descendant-or-self::text()")  # type: ignore[attr-defined]
    return " ".join("".join(nodes).split())


def _tbx_entry(entry: object, label: str) -> list[_Row]:
    from lxml import etree

    domain = ""
    notes: list[str] = []
    ru_terms: list[str] = []
    en_terms: list[tuple[str, Status, str, int]] = []
    for child in entry:  # type: ignore[attr-defined]
        name = _local(child)
        if (name == "descrip" and child.get("type") == "subjectField") or name == "subjectField":
            domain = domain or _text(child)
        elif name == "descripGrp":
            for sub in child.iter(etree.Element):
                if _local(sub) == "descrip" and sub.get("type") == "subjectField":
                    domain = domain or _text(sub)
        elif name == "note":
            notes.append(_text(child))
        elif name in ("langSet", "langSec"):
            lang = (child.get(_XML_LANG) or child.get("lang") or "").split("-")[0].lower()
            if lang not in ("ru", "en"):
                continue
            for term, status, note, line in _tbx_terms(child, label):
                if lang == "ru":
                    ru_terms.append(term)
                else:
                    en_terms.append((term, status, note, line))
    entry_note = "; ".join(n for n in notes if n)
    return [
        _Row(ru, en, status, domain, note or entry_note, f"{label}:{line}")
        for ru in ru_terms
        for en, status, note, line in en_terms
    ]


def _tbx_terms(lang_set: object, label: str) -> list[tuple[str, Status, str, int]]:
    """(term, status, note, line) for each term of a language section."""
    from lxml import etree

    containers = [el for el in lang_set.iter(etree.Element)  # type: ignore[attr-defined]
                  if _local(el) in ("tig", "ntig", "termSec")]
    if not containers:
        containers = [lang_set]
    found = []
    for container in containers:
        term_el = next((el for el in container.iter(etree.Element) if _local(el) == "term"), None)
        if term_el is None or not _text(term_el):
            continue
        status: Status = "preferred"
        notes = []
        for el in container.iter(etree.Element):
            name, kind = _local(el), el.get("type")
            if ((name == "termNote" and kind in ("administrativeStatus", "normativeAuthorization"))
                    or name == "administrativeStatus"):
                value = _text(el)
                if value.lower() not in TBX_STATUSES:
                    raise FormatError(
                        f"administrativeStatus must be preferredTerm-admn-sts, "
                        f"admittedTerm-admn-sts, deprecatedTerm-admn-sts or "
                        f"supersededTerm-admn-sts, found {value!r}",
                        where=f"{label}:{el.sourceline}")
                status = TBX_STATUSES[value.lower()]
            elif name == "note":
                notes.append(_text(el))
        found.append((_text(term_el), status, "; ".join(notes), term_el.sourceline or 0))
    return found


# ---------------------------------------------------------------------------------------
# Matching


# British -> American spelling, applied to lower-case English words before stemming, so
# both spellings reach the same Snowball stem. Each rule is anchored on the word's end so
# that short words ("four", "rise", "filled") are left alone.
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})ence(s?)$"), r"ense\1"),  # defence, offence, licence
    (re.compile(r"(?<=[a-z]{2}[^aeou])our(s|ed|ing|able|ably|ite|ites|er|ers|al|ally|ful"
                r"|less|ism|ist|ly|hood)?$"), r"or\1"),  # colour, behaviour, neighbourly
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$"), r"yz\1"),  # analyse, paralyse
    (re.compile(r"^(.*[aeiou][^aeiou\W]+[aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),  # cancelled
    (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1"),  # dialogue, catalogue
    (re.compile(r"(?<=[a-z]{2})([tb])re(s?)$"), r"\1er\2"),  # centre, theatre, fibre
    (re.compile(r"^programme(s?)$"), r"program\1"),
)
_ABBREVIATION = re.compile(r"^([A-ZА-ЯЁ][A-ZА-ЯЁ0-9]+)(?:[a-zа-яё]{1,3})?$")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    # Keep Cyrillic й and ё intact: only Latin letters lose their accents.
    return unicodedata.normalize("NFC", "".join(
        c for i, c in enumerate(decomposed)
        if not (unicodedata.combining(c) and i and decomposed[i - 1] < "\u0250")))


# Every ending a rule of ``_SPELLING`` can rewrite: a word without one (most words) is left
# as it is without trying the rules one by one.
_SPELLING_ENDINGS = re.compile(r"(?:ences?|our\w*|is\w*|ys\w*|ll\w*|ogues?|[tb]res?"
                               r"|programmes?)$")


def american(word: str) -> str:
    """A lower-case English word with British spellings folded: "defence" -> "defense"."""
    word = _strip_accents(word.lower())
    if not _SPELLING_ENDINGS.search(word):
        return word
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def _plain(word: str) -> str:
    """Light normal form (spelling folded, plural dropped) to tell same-stem words apart."""
    return _singular(american(word))


def _singular(word: str) -> str:
    """``_plain`` of a word whose spelling is already folded (``american``)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


class _Token(NamedTuple):
    # A named tuple, not a dataclass: one is made per word of every text scanned, and a
    # tuple is several times quicker to make.
    keys: frozenset[str]
    start: int
    end: int
    plain: str


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class TermHit(NamedTuple):
    """A glossary term found in Russian text: ``src[start:end]``.

    ``nested`` says the term lies inside a longer glossary term found there («ПРО» inside
    «Договор по ПРО»).
    """

    term: Term
    start: int
    end: int
    nested: bool = False


class RenderingHit(NamedTuple):
    """A rendering of ``term`` found in English text: ``tgt[start:end]``."""

    term: Term
    rendering: Rendering
    start: int
    end: int

    def contains(self, other: RenderingHit) -> bool:
        return (self.start <= other.start and other.end <= self.end
                and (self.start, self.end) != (other.start, other.end))


_Payload = tuple[int, ...]  # (term id,) in the Russian table, (term id, rendering id) in English
_Table = dict[str, list[tuple[tuple[str, ...], _Payload]]]  # first key -> (key sequence, payload)


def _first_words(phrase: str) -> tuple[str, ...]:
    """The first word of ``phrase`` as the index reads it: whole (hyphens dropped) and, if
    hyphenated, its first part."""
    found = words(phrase)
    if not found:
        return ()
    first = found[0].text
    return tuple(w for w in {first.replace("-", ""), first.split("-")[0]} if w)


def _bucket(key: str) -> str:
    """The bucket a match key (lemma, stem or abbreviation) is compiled in: its first three
    letters, lower case. A word's lemma starts like the word itself (checked for the house
    glossary by tests/test_glossary.py), so the words of a text say which buckets of the
    glossary it can match. Three letters rather than two: a short text then compiles a
    third of the terms it did (lemmatising them is most of a short run's glossary time)."""
    return key[:3].lower().replace("ё", "е")


@dataclass
class TermIndex:
    """A glossary compiled for matching with one ``Morphology`` (build once per run).

    Terms whose Russian forms share a lemma sequence are merged into one (their renderings
    pooled), so «раздражитель» and «раздражители» are one term here.

    Compiling means lemmatising every term; for the house glossary alone it is done lazily,
    a bucket of terms (by the first letters of their first word) at a time, when a Russian
    text first has a word of that bucket: a short document needs a few of them. With user
    glossaries, whose terms may merge with the house ones, everything is compiled at once.
    """

    glossary: Glossary
    morph: Morphology
    _ru: _Table = field(init=False, repr=False)
    _en: _Table = field(init=False, repr=False)
    _plain: dict[tuple[int, int], str] = field(init=False, repr=False)
    _cache: dict[tuple[str, str, bool], tuple[frozenset[str], str]] = field(
        init=False, repr=False, default_factory=dict)
    # term id (the glossary position of its first form) -> the term, renderings merged
    _terms: dict[int, Term] = field(init=False, repr=False, default_factory=dict)
    _by_key: dict[tuple[str, ...], int] = field(init=False, repr=False, default_factory=dict)
    _buckets: dict[str, list[int]] = field(init=False, repr=False, default_factory=dict)
    _done: set[str] = field(init=False, repr=False, default_factory=set)
    # match keys of Russian text whose buckets are compiled (``_compile_for``)
    _keys_done: set[str] = field(init=False, repr=False, default_factory=set)

    def __post_init__(self) -> None:
        self._ru, self._en, self._plain = {}, {}, {}
        house = all(r.source.partition(":")[0] == HOUSE_SOURCE
                    for t in self.glossary.terms for r in t.renderings)
        lazy = house
        for position, term in enumerate(self.glossary.terms):
            buckets = {_bucket(w) for w in _first_words(term.ru)}
            lazy = lazy and len(buckets) == 1
            for bucket in buckets:
                self._buckets.setdefault(bucket, []).append(position)
        if not lazy:
            self._compile(set(self._buckets))

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term of the glossary, merged (compiles whatever is not compiled yet)."""
        self._compile(set(self._buckets))
        return tuple(self._terms[k] for k in sorted(self._terms))

    def _compile(self, buckets: set[str]) -> None:
        """Compile the terms of ``buckets`` not compiled yet, in glossary order."""
        todo = sorted({position for b in buckets - self._done
                       for position in self._buckets.get(b, ())})
        self._done |= buckets
        touched: list[int] = []
        for position in todo:
            term = self.glossary.terms[position]
            keys = self._phrase_keys(term.ru, "ru")
            if not keys:
                continue
            known = next((self._by_key[k] for k in keys if k in self._by_key), None)
            if known is None:
                known = position
                self._terms[known] = term
            else:
                self._terms[known] = _merge(self._terms[known], term)
            if known not in touched:
                touched.append(known)
            for key in keys:
                if key not in self._by_key:
                    self._by_key[key] = known
                    self._ru.setdefault(key[0], []).append((key, (known,)))
        for term_id in touched:
            # A term's renderings are final once its bucket is compiled: terms merge only
            # when they share a key, and keys of one bucket share their first letters.
            for rendering_id, rendering in enumerate(self._terms[term_id].renderings):
                tokens = self._tokens(rendering.en, "en", joined=False, in_text=False)
                self._plain[term_id, rendering_id] = " ".join(t.plain for t in tokens)
                for key in self._phrase_keys(rendering.en, "en", tokens):
                    self._en.setdefault(key[0], []).append((key, (term_id, rendering_id)))

    def _compile_for(self, tokens: Sequence[_Token]) -> None:
        """Compile the buckets the keys of ``tokens`` (Russian text) can start.

        Keys seen before are skipped without working out their bucket: their buckets were
        compiled when they were first seen.
        """
        done = self._keys_done
        new = [key for token in tokens for key in token.keys if key not in done]
        if new:
            done.update(new)
            self._compile({_bucket(key) for key in new})

    # -- normal forms -------------------------------------------------------------------

    def _word(self, word: str, lang: str, *, in_text: bool) -> tuple[frozenset[str], str]:
        """What a word matches on, and its plain form (English only, else "").

        The keys are its abbreviation as written and/or its lemma (Russian) or stem
        (English). A glossary abbreviation matches only as written; a text word in capitals
        matches both as written and as an ordinary word (headings in capitals).
        """
        cache_key = (word, lang, in_text)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        if lang == "en" and ("'" in word or "’" in word):
            form = _POSSESSIVE.sub("", word)
        else:
            form = word
        abbreviation = _ABBREVIATION.match(form)
        keys = {abbreviation.group(1)} if abbreviation else set()
        folded = american(form) if lang == "en" else ""
        if not abbreviation or in_text:
            if lang == "ru":
                keys.add(self.morph.ru_lemma(form))
            else:
                keys.add(self.morph.en_stem(folded))
        result = (frozenset(keys), _singular(folded) if lang == "en" else "")
        self._cache[cache_key] = result
        return result

    def _tokens(self, text: str, lang: str, *, joined: bool, in_text: bool,
                found: Sequence[Word] | None = None) -> list[_Token]:
        """The words of ``text`` (``found``, if already known) as tokens; hyphenated words
        split into parts or joined up."""
        tokens: list[_Token] = []
        append = tokens.append
        cache = self._cache
        for word in words(text) if found is None else found:
            written = word.text
            if joined or "-" not in written:
                form = written.replace("-", "") if joined else written
                cached = cache.get((form, lang, in_text))  # ``_word``'s cache, read inline
                if cached is None:
                    cached = self._word(form, lang, in_text=in_text)
                append(_Token(cached[0], word.start, word.end, cached[1]))
                continue
            offset = word.start
            for part in written.split("-"):
                if part:
                    keys, plain = self._word(part, lang, in_text=in_text)
                    append(_Token(keys, offset, offset + len(part), plain))
                offset += len(part) + 1
        return tokens

    def _phrase_keys(self, phrase: str, lang: str, unjoined: Sequence[_Token] | None = None
                     ) -> set[tuple[str, ...]]:
        """The key sequences a glossary phrase is indexed under (``unjoined``: its tokens
        with hyphenated words split, if already made)."""
        keys = set()
        for joined in (False, True) if "-" in phrase else (False,):
            tokens = unjoined if unjoined is not None and not joined else self._tokens(
                phrase, lang, joined=joined, in_text=False)
            if tokens:
                keys.add(tuple(next(iter(t.keys)) for t in tokens))
        return keys

    def _scan(self, text: str, lang: str, table: _Table, text_words: Sequence[Word] | None
              ) -> list[tuple[int, int, _Payload, str]]:
        """(start, end, payload, plain text) for every glossary phrase found in ``text``."""
        found: dict[tuple[int, int, _Payload], str] = {}
        for joined in (False, True) if "-" in text else (False,):  # the same without "-"
            tokens = self._tokens(text, lang, joined=joined, in_text=True, found=text_words)
            if lang == "ru":
                self._compile_for(tokens)
            size = len(tokens)
            for i, token in enumerate(tokens):
                for key in token.keys:
                    entries = table.get(key)
                    if not entries:  # most words start no glossary phrase
                        continue
                    for seq, payload in entries:
                        end = i + len(seq)
                        if end > size:
                            continue
                        if end > i + 1 and (seq[1] not in tokens[i + 1].keys or not all(
                                seq[j] in tokens[i + j].keys for j in range(2, len(seq)))):
                            continue  # the second word is tested first: it rarely matches
                        span = (token.start, tokens[end - 1].end, payload)
                        found.setdefault(span, " ".join(t.plain for t in tokens[i:end]))
        return [(start, end, payload, plain) for (start, end, payload), plain in found.items()]

    # -- finding ------------------------------------------------------------------------

    def find_terms(self, src: str, src_words: Sequence[Word] | None = None
                   ) -> tuple[TermHit, ...]:
        """Glossary terms in Russian ``src``, in text order.

        A term inside a longer one is reported with ``nested`` set («ПРО» inside «Договор
        по ПРО»); terms that merely overlap are both reported as they are («Выход из
        Договора» and «Договора по ПРО»).
        """
        spans = {(start, end, term_id) for start, end, (term_id,), _ in
                 self._scan(src, "ru", self._ru, src_words)}
        return tuple(
            TermHit(self._terms[term_id], start, end,
                    nested=any(s <= start and end <= e and (s, e) != (start, end)
                               for s, e, _ in spans))
            for start, end, term_id in sorted(spans))

    def find_renderings(
        self, tgt: str, terms: Collection[Term] | None = None,
        tgt_words: Sequence[Word] | None = None,
    ) -> tuple[RenderingHit, ...]:
        """Renderings (of ``terms``, or of any term) in English ``tgt``, in text order.

        Where renderings of one term share a stem sequence ("irritants", "irritations"),
        the one whose plain form is closest to the text is taken. A rendering found inside
        a longer rendering of the same term is dropped ("special operation" inside
        "military special operation").
        """
        if terms is None:
            self._compile(set(self._buckets))
        wanted = None if terms is None else {id(t) for t in terms}
        best: dict[tuple[int, int, int], tuple[int, int]] = {}  # (start, end, term) -> choice
        for start, end, (term_id, rendering_id), plain in self._scan(tgt, "en", self._en,
                                                                     tgt_words):
            if wanted is not None and id(self._terms[term_id]) not in wanted:
                continue
            score = _closeness(plain, self._plain[term_id, rendering_id])
            key = (start, end, term_id)
            if key not in best or score > best[key][1]:
                best[key] = (rendering_id, score)
        hits = [RenderingHit(self._terms[term_id], self._terms[term_id].renderings[rid], start,
                             end)
                for (start, end, term_id), (rid, _) in best.items()]
        kept = [h for h in hits
                if not any(o.term is h.term and o.contains(h) for o in hits)]
        return tuple(sorted(kept, key=lambda h: (h.start, h.end)))


def _closeness(text: str, rendering: str) -> int:
    """How alike two plain forms are: equal beats a long common prefix."""
    if text == rendering:
        return 1_000_000
    common = 0
    for a, b in zip(text, rendering, strict=False):
        if a != b:
            break
        common += 1
    return common


def _merge(first: Term, second: Term) -> Term:
    seen = {r.en.casefold(): r for r in first.renderings}
    for rendering in second.renderings:
        seen[rendering.en.casefold()] = rendering
    ranked = sorted(seen.values(), key=lambda r: STATUSES.index(r.status))
    return replace(first, renderings=tuple(ranked), domain=first.domain or second.domain)


@dataclass(frozen=True, slots=True)
class TermUsage:
    """How one glossary term found in the Russian is rendered in the English.

    ``src`` holds every occurrence, nested ones included (a deprecated rendering of «ПРО»
    inside «Договор по ПРО» is still wrong); ``standalone`` the others.
    ``accepted`` holds the accepted renderings assigned to this term's occurrences: each
    English hit serves one Russian occurrence only, so «ООН» and «Организация Объединённых
    Наций» in one sentence need two "United Nations". ``deprecated`` leaves out deprecated
    renderings inside an accepted rendering of another term found in the same Russian ("the
    European Council" is deprecated for «Совет Европы» but right for «Европейский совет»).
    ``any_accepted`` says whether any accepted rendering was found, assigned or not.
    """

    term: Term
    src: tuple[TermHit, ...]
    accepted: tuple[RenderingHit, ...]
    deprecated: tuple[RenderingHit, ...]
    any_accepted: bool

    @property
    def standalone(self) -> tuple[TermHit, ...]:
        """The occurrences that are not part of a longer glossary term."""
        return tuple(h for h in self.src if not h.nested)

    @property
    def renderings(self) -> tuple[RenderingHit, ...]:
        """The renderings used, one per standalone occurrence at most, in text order."""
        used = sorted(self.accepted + self.deprecated, key=lambda h: h.start)
        return tuple(used[: len(self.standalone)])


def term_usages(index: TermIndex, ru: str, en: str, ru_words: Sequence[Word] | None = None,
                en_words: Sequence[Word] | None = None) -> tuple[TermUsage, ...]:
    """Each glossary term of Russian ``ru`` with the renderings of it found in ``en``
    (``ru_words``, ``en_words``: their words, if already known)."""
    src_hits = index.find_terms(ru, ru_words)
    if not src_hits:
        return ()
    terms: dict[int, Term] = {}
    for hit in src_hits:
        terms.setdefault(id(hit.term), hit.term)
    tgt_hits = index.find_renderings(en, terms.values(), en_words)
    # An English hit inside a longer rendering of another term found in the Russian belongs
    # to that term: "Security Council" in "President of the Security Council", "PRO" in
    # "PRO Treaty". A deprecated hit that is (or lies inside) another term's accepted
    # rendering is no error: "European Council" for «Европейский совет».
    tgt_hits = tuple(h for h in tgt_hits
                     if not any(o.term is not h.term and o.contains(h) for o in tgt_hits))
    accepted = [h for h in tgt_hits if h.rendering.accepted]
    deprecated = [h for h in tgt_hits if not h.rendering.accepted
                  and not any(o.term is not h.term and _within(h, o) for o in accepted)]
    assigned = _assign(src_hits, accepted)
    usages = []
    for key, term in terms.items():
        mine = tuple(h for h in src_hits if id(h.term) == key)
        usages.append(TermUsage(
            term,
            mine,
            tuple(sorted((assigned[i] for i, h in enumerate(src_hits)
                          if id(h.term) == key and i in assigned), key=lambda h: h.start)),
            tuple(h for h in deprecated if id(h.term) == key),
            any(id(h.term) == key for h in accepted),
        ))
    return tuple(usages)


def _within(inner: RenderingHit, outer: RenderingHit) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _assign(
    src_hits: Sequence[TermHit], accepted: Sequence[RenderingHit]
) -> dict[int, RenderingHit]:
    """Russian occurrence -> English hit, one to one, as many as possible (Kuhn's matching).

    Spans, not hits, are matched: one English span may render several terms.
    """
    spans: dict[tuple[int, int], set[int]] = {}
    for hit in accepted:
        spans.setdefault((hit.start, hit.end), set()).add(id(hit.term))
    span_list = sorted(spans)
    by_term: dict[tuple[tuple[int, int], int], RenderingHit] = {
        ((h.start, h.end), id(h.term)): h for h in accepted}
    owner: dict[tuple[int, int], int] = {}

    def augment(i: int, seen: set[tuple[int, int]]) -> bool:
        for span in span_list:
            if id(src_hits[i].term) in spans[span] and span not in seen:
                seen.add(span)
                if span not in owner or augment(owner[span], seen):
                    owner[span] = i
                    return True
        return False

    for i in range(len(src_hits)):
        augment(i, set())
    return {i: by_term[span, id(src_hits[i].term)] for span, i in owner.items()}
