"""Words with offsets, Russian lemmas and English stems: what checks compare on.

Russian is matched on lemmas (pymorphy3: «раздражителями» -> «раздражитель»), English on
Snowball stems ("irritants" -> "irrit"), so inflection never hides a match. The analyser is
loaded lazily through a ``Morphology`` object that the caller owns (one per run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Letters (any script), digits, and in-word hyphens/apostrophes: "UN-led", "O'Brien", "США".
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> tuple[Word, ...]:
    """The words of ``text`` with their character offsets."""
    return tuple(Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text))


@dataclass
class Morphology:
    """Lemmatiser for Russian and stemmer for English, loaded on first use and memoised."""

    _ru_cache: dict[str, str] = field(default_factory=dict)
    _en_cache: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _analyzer(self) -> Any:
        import pymorphy3

        return pymorphy3.MorphAnalyzer()

    @cached_property
    def _stemmer(self) -> Any:
        import snowballstemmer

        return snowballstemmer.stemmer("english")

    def ru_lemma(self, word: str) -> str:
        key = word.lower().replace("ё", "е")
        lemma = self._ru_cache.get(key)
        if lemma is None:
            lemma = self._analyzer.parse(key)[0].normal_form.replace("ё", "е")
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
