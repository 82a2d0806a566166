"""Russian -> Latin transliteration and fuzzy name matching, for finding names across sides.

An English translation spells a Russian name in one of several systems: BGN/PCGN
("Sergey Shoygu", "Yevgeny"), the 2013 Russian passport system, which is ICAO Doc 9303
("Sergei", "Iurii"), the Library of Congress system without its diacritics ("Nebenzia"),
or a scholarly one in the ISO 9 / GOST 7.79 family ("Šojgu" -> "sojgu"), and English
usage mixes them freely ("Dmitry Peskov", "Sergei Shoigu"). So a Russian word is turned
into the small set of spellings these systems give (:func:`latin_variants`), every
spelling and the English word are reduced to a coarse phonetic key (:func:`skeleton`:
"kh" and "h" are one sound, "ts" and "z", "y" and "i", double letters are single), and
the keys are compared by normalised edit distance (:func:`similarity`). Names that come
into Russian from another language are often not recoverable this way (Гутерриш ->
"guterrish" for Guterres, Шольц -> "sholts" for Scholz): callers keep a small exception
list for those.

Everything here is a pure function of its arguments; nothing is loaded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import product

# One spelling per scheme for each letter; contextual rules (initial е, -ий, ье) are
# applied in ``_transliterate``. Schemes: BGN/PCGN 1947 without its apostrophe signs,
# ICAO Doc 9303 (Russian passports since 2013), ALA-LC without diacritics, and a
# scholarly ISO 9-like one with its carons dropped (ž -> z, č -> c, š -> s).
_BASE: dict[str, dict[str, str]] = {
    "bgn": {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    },
    "icao": {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia",
    },
    "alalc": {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia",
    },
    "scholarly": {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "z",
        "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "c", "ш": "s", "щ": "sc", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju",
        "я": "ja",
    },
}

SCHEMES: tuple[str, ...] = tuple(_BASE)

_VOWELS = set("аеёиоуыэюя")
_SIGNS = set("ъь")


def _transliterate(word: str, scheme: str) -> str:
    table = _BASE[scheme]
    lower = word.lower()
    out: list[str] = []
    for i, ch in enumerate(lower):
        prev = lower[i - 1] if i else ""
        if ch not in table:
            out.append(ch)
            continue
        latin = table[ch]
        if scheme == "bgn":
            # BGN: е and ё are "ye"/"yo" at the start of a word and after a vowel or a sign
            # (Yevgeny, Sergeyev); final -ий and -ый are "-iy" and "-yy".
            if ch == "е" and (not prev or prev in _VOWELS or prev in _SIGNS):
                latin = "ye"
            elif ch == "ё" and prev and prev not in _VOWELS and prev not in _SIGNS:
                latin = "yo"
        out.append(latin)
    return "".join(out)


# Alternative spellings that English usage applies on top of any scheme: the key is a
# Russian letter sequence, the value the extra Latin spellings it may get.
_ALTERNATIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ий", ("y", "iy", "ii", "i")),   # final -ий: Zelensky, Zelenskiy, Zelenskii
    ("ый", ("y", "yy", "yi")),        # final -ый: Bely, Belyy
    ("ей", ("ei", "ey")),             # Sergei, Sergey
    ("ай", ("ai", "ay")),             # Baikal, Baykal
    ("ой", ("oi", "oy")),             # Shoigu, Shoygu
    ("ья", ("ya", "ia")),             # Darya, Daria
    ("ье", ("ye", "ie", "e")),        # Vasilyev, Vasiliev
    ("дж", ("j", "dzh")),             # Джонсон -> Johnson
    ("кс", ("x", "ks")),              # Алекс -> Alex
    ("ё", ("yo", "e", "io")),
    ("х", ("kh", "h")),
    ("й", ("y", "i")),
    ("ю", ("yu", "iu", "u")),
    ("я", ("ya", "ia", "a")),
)


def transliterate(word: str, scheme: str = "bgn") -> str:
    """``word`` in one of :data:`SCHEMES`, lower case: «Шойгу» -> "shoygu" (BGN)."""
    if scheme not in _BASE:
        raise ValueError(f"unknown transliteration scheme {scheme!r}; known: {SCHEMES}")
    return _transliterate(word, scheme)


def latin_variants(word: str, limit: int = 64) -> frozenset[str]:
    """Lower-case Latin spellings of a Russian word under every scheme and common variant.

    «Небензя» -> {"nebenzya", "nebenzia", ...}; «Зеленский» -> {"zelenskiy", "zelensky",
    "zelenskii", ...}. At most ``limit`` spellings: alternatives multiply, and a few
    dozen already cover what English texts use.
    """
    lower = word.lower()
    spellings = {_transliterate(lower, scheme) for scheme in SCHEMES}
    # Split the word into chunks, each either an alternative sequence or a single letter,
    # then spell every combination of the chunks' alternatives (capped).
    chunks: list[tuple[str, ...]] = []
    i = 0
    while i < len(lower):
        for seq, alts in _ALTERNATIVES:
            if not lower.startswith(seq, i):
                continue
            if seq in {"ий", "ый"} and i + len(seq) != len(lower):
                continue
            chunks.append(alts)
            i += len(seq)
            break
        else:
            letter = lower[i]
            chunks.append((_BASE["bgn"].get(letter, letter),))
            i += 1
    for combo in product(*chunks):
        if len(spellings) >= limit:
            break
        spellings.add("".join(combo))
    return frozenset(spellings)


def fold(text: str) -> str:
    """Lower case without diacritics: "Çavuşoğlu" -> "cavusoglu", "Lavrov’s" -> "lavrov’s"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Rewrites for the phonetic key, longest first, applied left to right.
_KEY_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "S"), ("sch", "S"), ("tch", "C"), ("dzh", "J"), ("zh", "Z"), ("kh", "h"),
    ("ch", "C"), ("sh", "S"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("ts", "z"), ("tz", "z"),
    ("cz", "C"), ("dj", "J"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("yu", "u"), ("iu", "u"),
    ("ya", "a"), ("ia", "a"), ("ye", "e"), ("ie", "i"), ("j", "J"), ("x", "ks"), ("q", "k"),
    ("w", "v"), ("y", "i"), ("c", "k"),
)


# The rules as one alternation: at each position the first rule that matches wins, as in
# the table (an alternation tries its branches in order).
_KEY_PATTERN = re.compile("|".join(re.escape(old) for old, _ in _KEY_RULES))
_KEY_TABLE = dict(_KEY_RULES)
_REPEATS = re.compile(r"(.)\1+", re.DOTALL)


def _key_rule(match: re.Match[str]) -> str:
    return _KEY_TABLE[match.group()]


def skeleton(latin: str) -> str:
    """A coarse phonetic key of a Latin spelling, so that spelling systems compare equal.

    "Shoigu" and "Shoygu" -> "Soigu"; "Zelenskyy", "Zelenskiy" and "Zelensky" -> "zelenski";
    "Kyiv" and "Kiev" -> "kiv". Upper-case letters in the key stand for digraphs ("S" is
    "sh", "C" is "ch", "Z" is "zh", "J" is "dzh"/"j").
    """
    text = "".join(ch for ch in fold(latin) if ch.isalpha())
    key = _KEY_PATTERN.sub(_key_rule, text)
    key = _REPEATS.sub(r"\1", key)
    # Final -ii/-i after an -sk- (Zelenskii, Zelensky, Zelenskyy) is one ending.
    while key.endswith("ii"):
        key = key[:-1]
    return key


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    """1 minus the edit distance over the longer length: 1.0 equal, 0.0 nothing shared."""
    if not a and not b:
        return 1.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def name_keys(ru_forms: Iterable[str]) -> frozenset[str]:
    """The phonetic keys of every Latin spelling of the forms of one Russian word.

    ``ru_forms`` are forms of one word (the text form, its lemma, a stem): «Лаврова» and
    «лавров» give the keys of "lavrova", "lavrov", ... Compute once per Russian word and
    compare with :func:`best_similarity`.
    """
    return frozenset(skeleton(s) for form in ru_forms for s in latin_variants(form))


def best_similarity(keys: Iterable[str], en_word: str) -> float:
    """How well an English word spells a Russian word whose :func:`name_keys` are ``keys``."""
    en_key = skeleton(en_word)
    if not en_key:
        return 0.0
    return max((similarity(key, en_key) for key in keys), default=0.0)


def spells(keys: Iterable[str], en_word: str, threshold: float) -> bool:
    """Whether ``best_similarity(keys, en_word) >= threshold``, skipping the keys whose
    length alone keeps them below it (an edit distance is at least the length difference)."""
    en_key = skeleton(en_word)
    if not en_key:
        return threshold <= 0.0
    for key in keys:
        longer = max(len(key), len(en_key))
        if 1.0 - abs(len(key) - len(en_key)) / longer < threshold:
            continue
        if similarity(key, en_key) >= threshold:
            return True
    return False


def name_similarity(ru_forms: Iterable[str], en_word: str) -> float:
    """How well an English word spells any of the Russian forms (0..1), by phonetic key.

    «Лаврова», «лавров» against "Lavrov" -> 1.0; «Захаровой», «захаров» against
    "Zakharova" -> 0.89; «Гутерриш» against "Guterres" -> 0.75.
    """
    return best_similarity(name_keys(ru_forms), en_word)
