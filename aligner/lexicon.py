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

import gzip
import importlib.resources
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

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


def skeleton(latin: str) -> str:
    """A spelling skeleton on which Russian and English cognates agree: «оккупация»
    (okkupatsiya) and "occupation" both start "okupa"; double letters are collapsed."""
    text = latin.lower()
    for old, new in (("ph", "f"), ("th", "t"), ("kh", "h"), ("ck", "k"), ("qu", "kv"),
                     ("x", "ks"), ("c", "k"), ("q", "k"), ("w", "v"), ("y", "i"),
                     ("j", "i"), ("z", "s")):
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


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


@dataclass(frozen=True, slots=True)
class WordMatch:
    """One word of a pair: is it a content word, and which words of the other side cover it.

    ``partners`` are indices into the other side's words; a content word with none is
    uncovered. Function words, single letters and punctuation-only tokens are not content.
    ``seen`` is how often this word had a counterpart in the training pairs (0-1).
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

    @classmethod
    def load(cls, *, min_prob: float = DEFAULT_MIN_PROB) -> Lexicon:
        """The table shipped in ``aligner.models`` (``lexicon-ru-en.tsv.gz``)."""
        resource = importlib.resources.files("aligner.models") / TABLE_NAME
        with importlib.resources.as_file(resource) as path:
            return cls.from_path(path, min_prob=min_prob)

    @classmethod
    def from_path(cls, path: str | Path, *, min_prob: float = DEFAULT_MIN_PROB) -> Lexicon:
        """A table in the shipped format (gzipped if the name ends in ``.gz``): a header row
        ``ru_lemma en_stem prob prob_rev``, then pair rows ``лемма stem p(en|ru) p(ru|en)``
        and per-word rows ``лемма * seen count`` / ``* stem seen count``. Pair rows whose
        probabilities are both below ``min_prob`` are skipped."""
        path = Path(path)
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rt", encoding="utf-8") as handle:
                table, ru_seen, en_seen = _parse_table(handle, str(path), min_prob)
        except FileNotFoundError as err:
            raise InputError("lexical table not found", where=str(path),
                             hint="train one with scripts/train_lexicon.py") from err
        except (OSError, UnicodeDecodeError, EOFError) as err:
            raise InputError(f"cannot read the lexical table: {err}", where=str(path)) from err
        return cls(table, Stopwords.load(), ru_seen, en_seen)

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
        ru_keys = [ru_key(w.text, morph) for w in src_words]
        ru_content = [self.is_ru_content(w.text, k) for w, k in
                      zip(src_words, ru_keys, strict=True)]
        for i in range(1, len(src_words)):
            after_number = src_words[i - 1].text.isdigit() or ru_keys[i - 1] in NUMBER_UNITS
            if (ru_keys[i] in NUMBER_UNITS and after_number) or (
                    ru_keys[i] == "сша" and ru_keys[i - 1] == "долл"):
                ru_content[i] = False
        en_all = [en_keys(w.text, morph) for w in tgt_words]
        en_content = [self.is_en_content(w.text) for w in tgt_words]
        targets = _Targets.build(tgt_words, en_all, en_content)

        src_partners: list[set[int]] = [set() for _ in src_words]
        tgt_partners: list[set[int]] = [set() for _ in tgt_words]
        for i, (word, key) in enumerate(zip(src_words, ru_keys, strict=True)):
            if not ru_content[i]:
                continue
            hits = targets.match(word.text, key, self.translations(key), morph)
            if "-" in word.text and _CYRILLIC.search(word.text):
                # «политико-дипломатический» "political and diplomatic": each part as well
                for part in word.text.split("-"):
                    if len(part) > 2:
                        lemma = ru_key(part, morph)
                        hits |= targets.match(part, lemma, self.translations(lemma), morph)
            src_partners[i] = hits
            for j in hits:
                tgt_partners[j].add(i)

        src = tuple(
            WordMatch(w, k, c, tuple(sorted(p)), self.ru_seen.get(k, DEFAULT_SEEN))
            for w, k, c, p in zip(src_words, ru_keys, ru_content, src_partners, strict=True))
        tgt_keys = ["-".join(ks) for ks in en_all]
        tgt = tuple(
            WordMatch(w, k, c, tuple(sorted(p)), self.en_seen.get(k, DEFAULT_SEEN))
            for w, k, c, p in zip(tgt_words, tgt_keys, en_content, tgt_partners, strict=True))
        return Coverage(src, tgt)



@dataclass(frozen=True, slots=True)
class _Targets:
    """The English content words of a pair, indexed for matching Russian words against."""

    by_stem: Mapping[str, tuple[int, ...]]
    by_form: Mapping[str, tuple[int, ...]]
    numbers: tuple[tuple[int, str], ...]
    latin: tuple[tuple[int, str, str], ...]  # index, lower-case form, cognate skeleton

    @classmethod
    def build(cls, words: Sequence[Word], keys: Sequence[Sequence[str]],
              content: Sequence[bool]) -> _Targets:
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
                latin.append((j, form, skeleton(stems[0] if len(stems) == 1 else form)))
        return cls({k: tuple(v) for k, v in by_stem.items()},
                   {k: tuple(v) for k, v in by_form.items()}, tuple(numbers), tuple(latin))

    def match(self, text: str, lemma: str, stems: Iterable[str], morph: Morphology
              ) -> set[int]:
        if text.isdigit():
            return {j for j, number in self.numbers if number == text or (
                min(len(number), len(text)) >= 3 and (number in text or text in number))}
        if not _CYRILLIC.search(text):  # a Latin word: the same on both sides
            return set(self.by_form.get(text.lower(), ())) | set(
                self.by_stem.get(morph.en_stem(text), ()))
        hits = {j for stem in stems for j in self.by_stem.get(stem, ())}
        if hits:
            return hits
        forms = {transliterate(text), transliterate(lemma)}
        ru_skeleton = skeleton(transliterate(lemma))
        for j, form, en_skeleton in self.latin:
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


def _similar(a: str, b: str) -> bool:
    if a[:1] != b[:1] and a[:1] not in "ieyj":
        return False
    return SequenceMatcher(None, a, b).ratio() >= TRANSLIT_MIN_RATIO


def _parse_table(lines: Iterable[str], where: str, min_prob: float
                 ) -> tuple[dict[str, frozenset[str]], dict[str, float], dict[str, float]]:
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
