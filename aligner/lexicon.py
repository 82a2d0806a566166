"""A Russian→English lexical translation table and the lexical coverage of a pair.

The table (``models/lexicon-ru-en.tsv.gz``, trained by ``scripts/train_lexicon.py`` with IBM
Model 1 in both directions; the model card beside it says on what) lists, per Russian lemma,
the English Snowball stems it plausibly translates to. ``Lexicon.coverage`` uses it to say,
for every content word of a pair, whether the other side has a plausible counterpart: a table
entry, the same number, the same Latin word, a transliterated name or a cognate. The share of
covered content words per side is the pair's lexical coverage.

The table also says, per word, how often it had a counterpart in the training pairs (its
"seen" rate): «ход» in «в ходе» rarely has one, «ядерный» nearly always does, so a missing
counterpart is weak evidence for the first and strong evidence for the second.

Words are keyed exactly as in training (``ru_key``/``en_keys``): Russian on pymorphy3 lemmas
of the whole word, English on stems of each hyphen-separated part ("non-intervention" ->
"non", "intervent"). Function words come from ``corpora/lists/stopwords-{ru,en}.tsv``.
"""

from __future__ import annotations

import bisect
import importlib.resources
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, NamedTuple

from aligner.errors import FormatError, InputError
from aligner.morph import Morphology, Word

TABLE_NAME = "lexicon-ru-en.tsv.gz"
TABLE_HEADER = ("ru_lemma", "en_stem", "prob", "prob_rev")

#: In a row of per-word statistics this stands for "any word of the other language":
#: ``лемма * seen count`` and ``* stem seen count``.
ANY = "*"

#: Pair rows with both probabilities below this are ignored at load time. The shipped table
#: was cut at 0.02 when trained; 0.05 keeps the pairs Model 1 gives real mass to.
DEFAULT_MIN_PROB = 0.05

#: The seen rate of a word the table has no statistics for (the mean over content words of
#: the training pairs is about 0.8; a little lower, as unknown words are rarer ones).
DEFAULT_SEEN = 0.75

#: A transliterated Cyrillic word matches an English word this similar (difflib ratio):
#: «Тимошенко» -> "timoshenko" ~ "tymoshenko" (0.9); «Лаврова» -> "lavrova" ~ "lavrov".
TRANSLIT_MIN_RATIO = 0.8

#: Russian units written after a number that English renders with no word of its own:
#: «в 2015 году» "in 2015", «20 тыс.» "20,000", «400 000 долл. США» "$400,000".
NUMBER_UNITS = frozenset({"год", "гг", "долл", "тыс", "млн", "млрд", "руб"})

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})


def transliterate(word: str) -> str:
    """A plain Latin transliteration of a Cyrillic word (close to BGN/PCGN): «Жуков» -> zhukov."""
    return word.lower().translate(_TRANSLIT)


_REPEATS = re.compile(r"(.)\1+")


def skeleton(latin: str) -> str:
    """A spelling skeleton on which Russian and English cognates agree: «оккупация»
    (okkupatsiya) and "occupation" both start "okupa"; double letters are collapsed."""
    text = latin.lower()
    for old, new in (("ph", "f"), ("th", "t"), ("kh", "h"), ("ck", "k"), ("qu", "kv"),
                     ("x", "ks"), ("c", "k"), ("q", "k"), ("w", "v"), ("y", "i"),
                     ("j", "i"), ("z", "s")):
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


def ru_key(word: str, morph: Morphology) -> str:
    """The form a Russian word is looked up by: its lemma (Latin words and numbers lower-cased)."""
    if _CYRILLIC.search(word):
        return morph.ru_lemma(word)
    return word.lower()


def en_keys(word: str, morph: Morphology) -> tuple[str, ...]:
    """The forms an English word is looked up by: the stem of each hyphen-separated part."""
    return tuple(morph.en_stem(part) for part in word.split("-") if part)


def _read_list(name: str) -> frozenset[str]:
    path = importlib.resources.files("aligner.corpora") / "lists" / name
    out: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        word = line.split("\t")[0].strip().lower()
        if word == "word" and number < 3:  # the header row
            continue
        out.add(word)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Stopwords:
    """Function words per language, as the project's lists give them.

    A Russian word is one if its lower-case form or its lemma is listed; an English word if
    its lower-case form is (every part of a hyphenated word). English is matched on forms, not
    stems, because stems collide: "several" and "severe" are both "sever".
    """

    ru: frozenset[str]
    en: frozenset[str]

    @classmethod
    def load(cls) -> Stopwords:
        """The project's lists, ``corpora/lists/stopwords-ru.tsv`` and ``stopwords-en.tsv``."""
        ru = frozenset(w.replace("ё", "е") for w in _read_list("stopwords-ru.tsv"))
        return cls(ru, _read_list("stopwords-en.tsv"))

    def is_ru(self, word: str, lemma: str) -> bool:
        return word.lower().replace("ё", "е") in self.ru or lemma in self.ru

    def is_en(self, word: str) -> bool:
        if word == "May":  # the month, not the modal
            return False
        return all(part in self.en for part in word.lower().replace("’", "'").split("-") if part)


class WordMatch(NamedTuple):
    """One word of a pair: is it a content word, and which words of the other side cover it.

    ``partners`` are indices into the other side's words; a content word with none is
    uncovered. Function words, single letters and punctuation-only tokens are not content.
    ``seen`` is how often this word had a counterpart in the training pairs (0-1). A named
    tuple (immutable like a frozen dataclass): one is made per word of every pair.
    """

    word: Word
    key: str
    content: bool
    partners: tuple[int, ...] = ()
    seen: float = DEFAULT_SEEN

    @property
    def covered(self) -> bool:
        return bool(self.partners)


def _share(matches: Sequence[WordMatch]) -> float:
    content = [m for m in matches if m.content]
    if not content:
        return 1.0
    return sum(m.covered for m in content) / len(content)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per-word matches of a pair, both sides; ``src`` is Russian, ``tgt`` English."""

    src: tuple[WordMatch, ...]
    tgt: tuple[WordMatch, ...]

    @property
    def src_share(self) -> float:
        """Share of Russian content words with an English counterpart (1.0 if there are none)."""
        return _share(self.src)

    @property
    def tgt_share(self) -> float:
        """Share of English content words with a Russian counterpart (1.0 if there are none)."""
        return _share(self.tgt)

    @property
    def src_content(self) -> int:
        return sum(m.content for m in self.src)

    @property
    def tgt_content(self) -> int:
        return sum(m.content for m in self.tgt)

    @property
    def share(self) -> float:
        """Covered content words of both sides over all content words (1.0 if there are none):
        the pair's lexical coverage as one number."""
        content = [m for m in (*self.src, *self.tgt) if m.content]
        if not content:
            return 1.0
        return sum(m.covered for m in content) / len(content)


@dataclass(frozen=True)
class Lexicon:
    """Russian lemma -> English stems it translates to, per-word seen rates, function words.

    Build it with ``Lexicon.load()`` (the shipped table) or ``Lexicon.from_path``; both read
    the file once, so load it through ``CheckContext.resource`` and share it.
    """

    ru_to_en: Mapping[str, frozenset[str]]
    stopwords: Stopwords
    ru_seen: Mapping[str, float] = field(default_factory=dict)
    en_seen: Mapping[str, float] = field(default_factory=dict)
    # Spelling skeletons of the words seen so far (``skeleton`` is a chain of replacements).
    _skeletons: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    _ru_words: dict[str, tuple[str, bool]] = field(default_factory=dict, compare=False,
                                                   repr=False)
    _en_words: dict[str, tuple[tuple[str, ...], bool]] = field(
        default_factory=dict, compare=False, repr=False)

    def _ru_word(self, word: str, morph: Morphology) -> tuple[str, bool]:
        """(``ru_key``, ``is_ru_content``) of a Russian word, memoised for the run."""
        found = self._ru_words.get(word)
        if found is None:
            key = ru_key(word, morph)
            found = self._ru_words[word] = (key, self.is_ru_content(word, key))
        return found

    def _en_word(self, word: str, morph: Morphology) -> tuple[tuple[str, ...], bool]:
        """(``en_keys``, ``is_en_content``) of an English word, memoised for the run."""
        found = self._en_words.get(word)
        if found is None:
            found = self._en_words[word] = (en_keys(word, morph), self.is_en_content(word))
        return found

    def skeleton(self, latin: str) -> str:
        """``skeleton(latin)``, memoised for the run."""
        found = self._skeletons.get(latin)
        if found is None:
            found = self._skeletons[latin] = skeleton(latin)
        return found

    @classmethod
    def load(cls, *, min_prob: float = DEFAULT_MIN_PROB) -> Lexicon:
        """The table shipped in ``aligner.models`` (``lexicon-ru-en.tsv.gz``)."""
        resource = importlib.resources.files("aligner.models") / TABLE_NAME
        with importlib.resources.as_file(resource) as path:
            return cls.from_path(path, min_prob=min_prob, validate=False)

    @classmethod
    def from_path(cls, path: str | Path, *, min_prob: float = DEFAULT_MIN_PROB,
                  validate: bool = True) -> Lexicon:
        """A table in the shipped format (gzipped if the name ends in ``.gz``): a header row
        ``ru_lemma en_stem prob prob_rev``, then pair rows ``лемма stem p(en|ru) p(ru|en)``
        and per-word rows ``лемма * seen count`` / ``* stem seen count``. Pair rows whose
        probabilities are both below ``min_prob`` are skipped.

        Rows are parsed lazily, for the words a text asks about (a run needs a few thousand
        of the table's ~90,000 rows). ``validate`` first checks every row, so that a broken
        table fails here with its line number; the shipped table is checked by the tests
        and loaded without it."""
        path = Path(path)
        try:
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = zlib.decompress(data, wbits=31)  # gzip framing; faster than GzipFile
            if validate and not _WELL_FORMED.fullmatch(data):
                _parse_table(data.decode("utf-8").splitlines(), str(path), min_prob)
        except FileNotFoundError as err:
            raise InputError("lexical table not found", where=str(path),
                             hint="train one with scripts/train_lexicon.py") from err
        except (OSError, UnicodeDecodeError, zlib.error) as err:
            raise InputError(f"cannot read the lexical table: {err}", where=str(path)) from err
        rows = _Rows(data, str(path))
        return cls(_Translations(rows, min_prob), Stopwords.load(), _RuSeen(rows),
                   _EnSeen(rows))

    def translations(self, ru_lemma: str) -> frozenset[str]:
        """English stems listed for a Russian lemma (empty if none)."""
        return self.ru_to_en.get(ru_lemma, frozenset())

    def is_ru_content(self, word: str, lemma: str) -> bool:
        """A Russian word the checks look at: not a function word (of either language: the
        Russian side quotes English too), not a lone letter, not the minutes of «10 ч. 00 м.»."""
        if (len(word) < 2 and not word.isdigit()) or word == "00":
            return False
        if not _CYRILLIC.search(word) and self.stopwords.is_en(word):
            return False
        return not self.stopwords.is_ru(word, lemma)

    def is_en_content(self, word: str) -> bool:
        """An English word the checks look at: not a function word, not a lone letter, not
        the minutes of "10.00"."""
        if (len(word) < 2 and not word.isdigit()) or word == "00":
            return False
        return not self.stopwords.is_en(word)

    def coverage(self, src_words: Sequence[Word], tgt_words: Sequence[Word],
                 morph: Morphology) -> Coverage:
        """Which content words of each side have a plausible counterpart on the other.

        A Russian word and an English word match when the table lists the English stem for
        the Russian lemma, when both are the same number (or one number's digits contain the
        other's: "1 000" and "1000") or the same Latin word, or, failing those, when the
        Russian word transliterates to the English one (a name) or shares its stem (a
        cognate: «транспарентность», "transparency"). Matching is symmetric. A unit after a
        number («2015 году», «400 000 долл. США») is not a content word: the English has no
        word for it.
        """
        known_ru, known_en = self._ru_words, self._en_words  # the memos, read inline
        ru_known = [known_ru.get(w.text) or self._ru_word(w.text, morph) for w in src_words]
        ru_keys = [key for key, _ in ru_known]
        ru_content = [content for _, content in ru_known]
        for i in range(1, len(src_words)):
            key = ru_keys[i]
            if key in NUMBER_UNITS:
                if src_words[i - 1].text.isdigit() or ru_keys[i - 1] in NUMBER_UNITS:
                    ru_content[i] = False
            elif key == "сша" and ru_keys[i - 1] == "долл":
                ru_content[i] = False
        en_known = [known_en.get(w.text) or self._en_word(w.text, morph) for w in tgt_words]
        en_all = [keys for keys, _ in en_known]
        en_content = [content for _, content in en_known]
        targets = _Targets.build(tgt_words, en_all, en_content, self.skeleton)

        src_partners: list[set[int]] = [set() for _ in src_words]
        tgt_partners: list[set[int]] = [set() for _ in tgt_words]
        for i, (word, key) in enumerate(zip(src_words, ru_keys, strict=True)):
            if not ru_content[i]:
                continue
            hits = targets.match(word.text, key, self.translations(key), morph, self.skeleton)
            if "-" in word.text and _CYRILLIC.search(word.text):
                # «политико-дипломатический» "political and diplomatic": each part as well
                for part in word.text.split("-"):
                    if len(part) > 2:
                        lemma = ru_key(part, morph)
                        hits |= targets.match(part, lemma, self.translations(lemma), morph,
                                              self.skeleton)
            src_partners[i] = hits
            for j in hits:
                tgt_partners[j].add(i)

        ru_seen, en_seen = self.ru_seen.get, self.en_seen.get
        src = tuple(
            WordMatch(w, k, c, tuple(sorted(p)) if p else (), ru_seen(k, DEFAULT_SEEN))
            for w, k, c, p in zip(src_words, ru_keys, ru_content, src_partners, strict=True))
        tgt_keys = ["-".join(ks) for ks in en_all]
        tgt = tuple(
            WordMatch(w, k, c, tuple(sorted(p)) if p else (), en_seen(k, DEFAULT_SEEN))
            for w, k, c, p in zip(tgt_words, tgt_keys, en_content, tgt_partners, strict=True))
        return Coverage(src, tgt)



@dataclass(frozen=True, slots=True)
class _Targets:
    """The English content words of a pair, indexed for matching Russian words against."""

    by_stem: Mapping[str, tuple[int, ...]]
    by_form: Mapping[str, tuple[int, ...]]
    numbers: tuple[tuple[int, str], ...]
    latin: tuple[tuple[int, str, str], ...]  # index, lower-case form, cognate skeleton
    # ``latin`` by the first letter of the form, and of the skeleton: a transliteration
    # or a cognate starts with the same letter (see ``_similar``, ``_cognate``)
    latin_by_initial: Mapping[str, tuple[tuple[int, str, str], ...]]
    latin_by_skeleton: Mapping[str, tuple[tuple[int, str, str], ...]]

    @classmethod
    def build(cls, words: Sequence[Word], keys: Sequence[Sequence[str]],
              content: Sequence[bool], skeleton_of: Callable[[str], str] = skeleton
              ) -> _Targets:
        by_stem: dict[str, list[int]] = {}
        by_form: dict[str, list[int]] = {}
        numbers: list[tuple[int, str]] = []
        latin: list[tuple[int, str, str]] = []
        for j, (word, stems) in enumerate(zip(words, keys, strict=True)):
            if not content[j]:
                continue
            form = word.text.lower()
            by_form.setdefault(form, []).append(j)
            for stem in stems:
                by_stem.setdefault(stem, []).append(j)
            # "post-2015" holds the number 2015
            numbers.extend((j, part) for part in word.text.split("-") if part.isdigit())
            if not word.text.isdigit() and len(form) >= 3 and _LATIN.search(form):
                latin.append((j, form, skeleton_of(stems[0] if len(stems) == 1 else form)))
        by_initial: dict[str, list[tuple[int, str, str]]] = {}
        by_skeleton: dict[str, list[tuple[int, str, str]]] = {}
        for entry in latin:
            by_initial.setdefault(entry[1][:1], []).append(entry)
            by_skeleton.setdefault(entry[2][:1], []).append(entry)
        return cls({k: tuple(v) for k, v in by_stem.items()},
                   {k: tuple(v) for k, v in by_form.items()}, tuple(numbers), tuple(latin),
                   {k: tuple(v) for k, v in by_initial.items()},
                   {k: tuple(v) for k, v in by_skeleton.items()})

    def match(self, text: str, lemma: str, stems: Iterable[str], morph: Morphology,
              skeleton_of: Callable[[str], str] = skeleton) -> set[int]:
        if text.isdigit():
            return {j for j, number in self.numbers if number == text or (
                min(len(number), len(text)) >= 3 and (number in text or text in number))}
        if not _CYRILLIC.search(text):  # a Latin word: the same on both sides
            return set(self.by_form.get(text.lower(), ())) | set(
                self.by_stem.get(morph.en_stem(text), ()))
        hits = {j for stem in stems for j in self.by_stem.get(stem, ())}
        if hits:
            return hits
        if not self.latin:
            return hits
        forms = {transliterate(text), transliterate(lemma)}
        ru_skeleton = skeleton_of(transliterate(lemma))
        # Only English words that can pass ``_similar`` (same first letter, or a Russian
        # form starting with a vowel-like letter) or ``_cognate`` (same first letter of
        # the skeletons) are compared.
        if any(f[:1] in _FREE_INITIALS for f in forms):
            candidates: Iterable[tuple[int, str, str]] = self.latin
        else:
            candidates = {entry for f in forms for entry in self.latin_by_initial.get(f[:1], ())}
            candidates.update(self.latin_by_skeleton.get(ru_skeleton[:1], ()))
        for j, form, en_skeleton in candidates:
            if any(_similar(f, form) for f in forms) or _cognate(ru_skeleton, en_skeleton):
                hits.add(j)
        return hits


def _cognate(ru_skeleton: str, en_skeleton: str) -> bool:
    """Same stem: the English stem's skeleton (at least 4 letters) a prefix of the Russian's
    ("administr" in «администрация»), or nearly so, or a shared prefix of 7 letters."""
    shared = 0
    for a, b in zip(ru_skeleton, en_skeleton, strict=False):
        if a != b:
            break
        shared += 1
    return (shared >= 7 or (shared >= 5 and shared >= 0.8 * len(en_skeleton))
            or shared == len(en_skeleton) >= 4)


#: First letters of a transliterated Russian form that may stand for another English one.
_FREE_INITIALS = frozenset("ieyj")


def _similar(a: str, b: str) -> bool:
    if a[:1] != b[:1] and a[:1] not in "ieyj":
        return False
    # Cheap upper bounds first: the ratio is 2 * matches / total length, so it cannot
    # exceed 2 * the shorter length / the total, nor the multiset bound of quick_ratio.
    if 2 * min(len(a), len(b)) < TRANSLIT_MIN_RATIO * (len(a) + len(b)):
        return False
    # SequenceMatcher.quick_ratio worked out here, with the same formula, so that the
    # matcher (whose set-up indexes ``b``) is made only for the few pairs that pass it.
    available: dict[str, int] = {}
    for char in b:
        available[char] = available.get(char, 0) + 1
    matches = 0
    for char in a:
        left = available.get(char, 0)
        if left > 0:
            available[char] = left - 1
            matches += 1
    if 2.0 * matches / (len(a) + len(b)) < TRANSLIT_MIN_RATIO:
        return False
    return SequenceMatcher(None, a, b).ratio() >= TRANSLIT_MIN_RATIO


#: A table whose every row has four tab-separated fields, the last two numbers (the header
#: row included, which the lookups never ask for).
_WELL_FORMED = re.compile(
    rb"(?:ru_lemma\ten_stem\tprob\tprob_rev\r?\n)?"
    rb"(?:[^\t\n]+\t[^\t\n]+\t[-+0-9.eE]+\t[-+0-9.eE]+\r?\n|[ \t\r]*\n)*"
    rb"(?:[^\t\n]+\t[^\t\n]+\t[-+0-9.eE]+\t[-+0-9.eE]+\r?|[ \t\r]*)")


class _Rows:
    """The rows of a table as sorted UTF-8 lines, found by their first field (and second)
    with a binary search: splitting and sorting bytes takes a few milliseconds where
    parsing every row into dictionaries took a fifth of a second."""

    def __init__(self, data: bytes, where: str) -> None:
        lines = data.split(b"\n")
        lines.sort()
        self.lines = lines
        self.where = where
        self._found: dict[tuple[str, ...], list[tuple[str, str, float, float]]] = {}

    def find(self, *fields: str) -> list[tuple[str, str, float, float]]:
        """The rows whose first fields are ``fields``, parsed (once)."""
        found = self._found.get(fields)
        if found is None:
            found = self._found[fields] = self._find(fields)
        return found

    def _find(self, fields: tuple[str, ...]) -> list[tuple[str, str, float, float]]:
        prefix = "\t".join(fields).encode("utf-8") + b"\t"
        lines, out = self.lines, []
        at = bisect.bisect_left(lines, prefix)
        while at < len(lines) and lines[at].startswith(prefix):
            cells = lines[at].decode("utf-8").rstrip("\r").split("\t")
            try:
                out.append((cells[0], cells[1], float(cells[2]), float(cells[3])))
            except (IndexError, ValueError) as err:
                raise FormatError(f"malformed row {lines[at]!r}", where=self.where,
                                  hint="retrain with scripts/train_lexicon.py") from err
            at += 1
        return out

    def all(self) -> Iterator[tuple[str, str, float, float]]:
        """Every row but the header, parsed (slow: for listing the whole table)."""
        for line in self.lines:
            cells = line.decode("utf-8").rstrip("\r").split("\t")
            if len(cells) == 4 and tuple(cells) != TABLE_HEADER:
                yield cells[0], cells[1], float(cells[2]), float(cells[3])


class _LazyMapping(Mapping[str, Any]):
    """A read-only mapping over ``_Rows`` that parses what it is asked for, once."""

    def __init__(self, rows: _Rows) -> None:
        self._rows = rows
        self._found: dict[str, Any] = {}
        self._everything: dict[str, Any] | None = None

    def _lookup(self, key: str) -> Any:  # None when the table has nothing for ``key``
        raise NotImplementedError

    def _build_all(self) -> dict[str, Any]:
        raise NotImplementedError

    def __getitem__(self, key: str) -> Any:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get would go through __getitem__ and a KeyError for every absent word.
        found = self._found.get(key, _ABSENT)
        if found is _ABSENT:
            found = self._found[key] = None if key == ANY else self._lookup(key)
        return default if found is None else found

    def _all(self) -> dict[str, Any]:
        if self._everything is None:
            self._everything = self._build_all()
        return self._everything

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


_ABSENT = object()


class _Translations(_LazyMapping):
    """Russian lemma -> the English stems whose pair row reaches ``min_prob``."""

    def __init__(self, rows: _Rows, min_prob: float) -> None:
        super().__init__(rows)
        self._min_prob = min_prob

    def _lookup(self, key: str) -> frozenset[str] | None:
        stems = frozenset(en for _, en, p, q in self._rows.find(key)
                          if en != ANY and max(p, q) >= self._min_prob)
        return stems or None

    def _build_all(self) -> dict[str, Any]:
        table: dict[str, set[str]] = {}
        for ru, en, p, q in self._rows.all():
            if ANY not in (ru, en) and max(p, q) >= self._min_prob:
                table.setdefault(ru, set()).add(en)
        return {ru: frozenset(en) for ru, en in table.items()}


class _RuSeen(_LazyMapping):
    """Russian lemma -> how often it had a counterpart in the training pairs."""

    def _lookup(self, key: str) -> float | None:
        # The lemma's rows, shared with ``_Translations`` (its seen row is among them).
        return next((p for _, en, p, _ in self._rows.find(key) if en == ANY), None)

    def _build_all(self) -> dict[str, Any]:
        return {ru: p for ru, en, p, _ in self._rows.all() if en == ANY and ru != ANY}


class _EnSeen(_LazyMapping):
    """English stem -> how often it had a counterpart in the training pairs."""

    def _lookup(self, key: str) -> float | None:
        return next((p for _, _, p, _ in self._rows.find(ANY, key)), None)

    def _build_all(self) -> dict[str, Any]:
        return {en: p for ru, en, p, _ in self._rows.all() if ru == ANY and en != ANY}


def _parse_table(lines: Iterable[str], where: str, min_prob: float
                 ) -> tuple[dict[str, frozenset[str]], dict[str, float], dict[str, float]]:
    """The whole table parsed row by row (used to say where a broken table goes wrong)."""
    table: dict[str, set[str]] = {}
    ru_seen: dict[str, float] = {}
    en_seen: dict[str, float] = {}
    for number, line in enumerate(lines, start=1):
        fields = line.rstrip("\n").split("\t")
        if number == 1 and tuple(fields) == TABLE_HEADER:
            continue
        if not line.strip():
            continue
        if len(fields) != 4 or not fields[0] or not fields[1]:
            raise FormatError(
                "expected four tab-separated fields (ru_lemma, en_stem, prob, prob_rev), "
                f"found {fields!r}", where=f"{where}:{number}",
                hint="retrain with scripts/train_lexicon.py")
        try:
            first, second = float(fields[2]), float(fields[3])
        except ValueError as err:
            raise FormatError(f"a probability is not a number: {fields[2:]!r}",
                              where=f"{where}:{number}") from err
        if fields[1] == ANY:
            ru_seen[fields[0]] = first
        elif fields[0] == ANY:
            en_seen[fields[1]] = first
        elif max(first, second) >= min_prob:
            table.setdefault(fields[0], set()).add(fields[1])
    return {ru: frozenset(en) for ru, en in table.items()}, ru_seen, en_seen
