"""A script-based sanity check on the declared languages; no model, no statistics.

The commonest user mistakes are passing the same file (or two files in one language) twice,
and passing the translation first. Both show in the writing system alone: a Russian source
and an English target must be mostly Cyrillic and mostly Latin. This module only acts on
clear evidence (most letters in one script) and never guesses a language it has no script
for, so a German-French pair or a Serbian file (Cyrillic or Latin) is never rejected.
"""

from __future__ import annotations

import re
from typing import Final

from aligner.errors import LanguageMismatchError
from aligner.types import Document

# Share of letters a script needs before we call a text "in" that script. Chosen well above
# what quotations, names and URLs in another script contribute to real statements (an MFA
# Russian text quoting English titles stays above 85 % Cyrillic).
CLEAR_SHARE: Final = 0.6

# Below this many letters there is no evidence either way (a title, a number table).
MIN_LETTERS: Final = 20

CYRILLIC: Final = "cyrillic"
LATIN: Final = "latin"
HAN: Final = "han"
OTHER: Final = "other"

_CYRILLIC_RE = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_LATIN_RE = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
    "\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a]"
)
# Han ideographs plus Japanese kana: Japanese prose is about half kana, and grouping both
# lets ``ja`` be checked with the same "han" script as ``zh``.
_HAN_RE = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_LETTER_RE = re.compile(r"[^\W\d_]")

# ISO 639-2/3 codes people pass instead of the two-letter ones.
_THREE_LETTER: Final = {
    "rus": "ru", "eng": "en", "ukr": "uk", "bel": "be", "bul": "bg", "srp": "sr",
    "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
    "por": "pt", "zho": "zh", "chi": "zh", "cmn": "zh", "jpn": "ja",
}  # fmt: skip

_SCRIPT_OF_LANGUAGE: Final = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "kk", "ky", "tg", "mn"), CYRILLIC),
    **dict.fromkeys(
        (
            "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi",
            "pl", "cs", "sk", "sl", "hr", "bs", "ro", "hu", "tr", "et", "lv", "lt", "id",
            "ms", "vi", "ca", "eu", "gl", "ga", "is", "sq", "af", "sw", "tl", "mt", "cy",
        ),
        LATIN,
    ),
    **dict.fromkeys(("zh", "ja"), HAN),
}  # fmt: skip

_LANGUAGE_NAMES: Final = {
    "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "bg": "Bulgarian",
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese",
}  # fmt: skip

_SCRIPT_NAMES: Final = {CYRILLIC: "Cyrillic", LATIN: "Latin", HAN: "Chinese/Japanese"}
_FLAGS: Final = {"source": "--src-lang", "target": "--tgt-lang"}


def normalize_language(lang: str) -> str:
    """The base language of a code: ``"ru-RU"``, ``"RU"`` and ``"rus"`` all give ``"ru"``."""
    base = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return _THREE_LETTER.get(base, base)


def expected_script(lang: str) -> str | None:
    """The script a language is written in, or None when unknown or ambiguous (``sr``)."""
    return _SCRIPT_OF_LANGUAGE.get(normalize_language(lang))


def script_profile(text: str) -> dict[str, float]:
    """Shares of the letters in ``text`` that are Cyrillic, Latin, Han (with kana), other.

    The shares sum to 1 when the text has letters, and are all 0.0 when it has none.
    """
    letters = len(_LETTER_RE.findall(text))
    if not letters:
        return {CYRILLIC: 0.0, LATIN: 0.0, HAN: 0.0, OTHER: 0.0}
    cyrillic = len(_CYRILLIC_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    han = len(_HAN_RE.findall(text))
    other = max(letters - cyrillic - latin - han, 0)
    return {
        CYRILLIC: cyrillic / letters,
        LATIN: latin / letters,
        HAN: han / letters,
        OTHER: other / letters,
    }


def dominant_script(text: str) -> str | None:
    """The script of more than ``CLEAR_SHARE`` of the letters, or None without clear evidence."""
    if len(_LETTER_RE.findall(text)) < MIN_LETTERS:
        return None
    profile = script_profile(text)
    script = max(profile, key=profile.__getitem__)
    if script == OTHER or profile[script] <= CLEAR_SHARE:
        return None
    return script


def check_languages(src: Document, tgt: Document) -> None:
    """Raise ``LanguageMismatchError`` when the scripts clearly contradict the declared languages.

    Checks only pairs whose languages are written in different known scripts (ru-en, en-zh,
    ...): a same-script pair such as de-fr cannot be told apart without a model.
    """
    src_expected = expected_script(src.lang)
    tgt_expected = expected_script(tgt.lang)
    if src_expected is None or tgt_expected is None or src_expected == tgt_expected:
        return
    src_actual = dominant_script(src.text)
    tgt_actual = dominant_script(tgt.text)
    if src_actual == tgt_expected and tgt_actual == src_expected:
        raise _swapped_error(src, tgt)
    if src_actual is not None and src_actual == tgt_actual:
        raise _same_script_error(src, tgt, src_actual)
    for doc, actual, expected, side in (
        (src, src_actual, src_expected, "source"),
        (tgt, tgt_actual, tgt_expected, "target"),
    ):
        if actual is not None and actual != expected:
            raise LanguageMismatchError(
                f"the {side} was declared {doc.lang} ({_SCRIPT_NAMES[expected]} script) "
                f"but its letters are mostly {_SCRIPT_NAMES[actual]}",
                where=doc.path,
                hint=f"check the file, or pass the right {_FLAGS[side]}",
            )


def _language_name(lang: str) -> str:
    return _LANGUAGE_NAMES.get(normalize_language(lang), lang)


def _describe(script: str, *langs: str) -> str:
    """``"English (Latin script)"`` when one of ``langs`` is written in ``script``."""
    for lang in langs:
        if expected_script(lang) == script:
            return f"{_language_name(lang)} ({_SCRIPT_NAMES[script]} script)"
    return f"{_SCRIPT_NAMES[script]}-script"


def _swapped_error(src: Document, tgt: Document) -> LanguageMismatchError:
    src_name = _describe(expected_script(tgt.lang) or OTHER, tgt.lang)
    tgt_name = _describe(expected_script(src.lang) or OTHER, src.lang)
    return LanguageMismatchError(
        f"the files look swapped: the source {src.path or '(text)'} was declared {src.lang} "
        f"but looks {src_name}, the target {tgt.path or '(text)'} was declared {tgt.lang} "
        f"but looks {tgt_name}",
        hint=f"swap the two files, or pass --src-lang {tgt.lang} --tgt-lang {src.lang}",
    )


def _same_script_error(src: Document, tgt: Document, script: str) -> LanguageMismatchError:
    looks = _describe(script, src.lang, tgt.lang)
    if expected_script(src.lang) == script:
        side, doc = "target", tgt
    elif expected_script(tgt.lang) == script:
        side, doc = "source", src
    else:
        return LanguageMismatchError(
            f"both files look {looks}, but they were declared {src.lang} and {tgt.lang}",
            hint="check the files, or pass the right --src-lang and --tgt-lang",
        )
    return LanguageMismatchError(
        f"both files look {looks}, but the {side} {doc.path or '(text)'} was declared {doc.lang}",
        hint=f"pass the {side} file in {_language_name(doc.lang)}, or fix {_FLAGS[side]}",
    )
