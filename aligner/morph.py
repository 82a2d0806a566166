"""Words with offsets, Russian lemmas and English stems: what checks compare on.

Russian is matched on lemmas (pymorphy3: «раздражителями» -> «раздражитель»), English on
Snowball stems ("irritants" -> "irrit"), so inflection never hides a match. The analyser is
loaded lazily through a ``Morphology`` object that the caller owns (one per run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

# Letters (any script), digits, and in-word hyphens/apostrophes: "UN-led", "O'Brien", "США".
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


class Word(NamedTuple):
    """A word and its character offsets. A named tuple (immutable like a frozen dataclass):
    every text checked is split into them, and a tuple is several times quicker to make."""

    text: str
    start: int
    end: int


def words(text: str) -> tuple[Word, ...]:
    """The words of ``text`` with their character offsets."""
    return tuple([Word(m.group(), *m.span()) for m in _WORD.finditer(text)])


@dataclass
class Morphology:
    """Lemmatiser for Russian and stemmer for English, loaded on first use and memoised.

    One object per run holds the run's only pymorphy3 analyser: every check that reads
    Russian morphology asks it (``parse``, ``ru_lemma``), so each word is analysed once.
    """

    _ru_cache: dict[str, str] = field(default_factory=dict)
    _en_cache: dict[str, str] = field(default_factory=dict)
    _parses: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def analyzer(self) -> Any:
        """The pymorphy3 analyser, made on first use."""
        import pymorphy3
        import pymorphy3_dicts_ru

        # The explicit path spares pymorphy3 its search of the installed packages' entry
        # points for a dictionary (half of its start-up time).
        return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")

    @cached_property
    def _stemmer(self) -> Any:
        import snowballstemmer

        return snowballstemmer.stemmer("english")

    def parse(self, word: str) -> Any:
        """pymorphy3's parses of ``word`` (as given, not lower-cased), memoised; read only."""
        found = self._parses.get(word)
        if found is None:
            found = self._parses[word] = self.analyzer.parse(word)
        return found

    def word_is_known(self, word: str) -> bool:
        """Whether ``word`` is in pymorphy3's dictionary (not guessed)."""
        return bool(self.analyzer.word_is_known(word))

    def ru_lemma(self, word: str) -> str:
        key = word.lower().replace("ё", "е")
        lemma = self._ru_cache.get(key)
        if lemma is None:
            lemma = self.parse(key)[0].normal_form.replace("ё", "е")
            self._ru_cache[key] = lemma
        return lemma

    def en_stem(self, word: str) -> str:
        key = word.lower().replace("’", "'")
        stem = self._en_cache.get(key)
        if stem is None:
            stem = self._stemmer.stemWord(key)
            self._en_cache[key] = stem
        return stem

    def normal(self, word: str, lang: str) -> str:
        """The form words are compared on: lemma for Russian, stem for English, else lower."""
        if lang == "ru":
            return self.ru_lemma(word)
        if lang == "en":
            return self.en_stem(word)
        return word.lower()
