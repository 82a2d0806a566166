"""Input files -> decoded text -> ``Document``.

Decoding is strict and explicit: UTF-8 (with or without a byte-order mark) is tried first,
UTF-16/32 only with a byte-order mark, and otherwise the legacy encodings Russian and
Western European documents actually come in. Nothing is silently replaced; a file that
cannot be decoded is an error that says where and what to pass to ``--encoding``. The text
is returned as decoded, CRLF included, so that sentence offsets index the real text.
"""

from __future__ import annotations

import codecs
import math
import os
import re
from pathlib import Path
from typing import Final

from aligner.errors import InputError, UsageError
from aligner.segment import check_paragraph_mode, segment, segment_presplit
from aligner.types import Document, ParagraphMode

# Legacy encodings worth guessing between: Windows and KOI8 Cyrillic, and Windows Western
# European for the Latin-script side. A short list keeps charset-normalizer from "finding"
# Big5 or Shift-JIS in a few bytes of cp1251 (it does, unconstrained). DOS cp866 is left out:
# with it in the list, short cp1251 texts came back as cp866 box drawings; it is rare now
# and ``--encoding cp866`` still reads it.
LEGACY_ENCODINGS: Final = ("cp1251", "koi8_r", "cp1252")
_CYRILLIC_ENCODINGS: Final = frozenset({"cp1251", "koi8_r"})

_BOMS: Final = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that do not occur in text files (tab, newlines, form feed excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# A text with more than this share of control characters is binary data decoded by luck.
_MAX_CONTROL_SHARE: Final = 0.01

_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+")
_PROSE_WORD = re.compile(r"[А-ЯЁ]?[а-яё]+")
# Approximate frequencies of Russian letters per 1,000 letters of running text (standard
# corpus counts, rounded); only their order matters here.
_LETTER_FREQUENCY: Final = {
    "о": 110, "е": 85, "а": 80, "и": 74, "н": 67, "т": 63, "с": 55, "р": 47, "в": 45,
    "л": 44, "к": 35, "м": 32, "д": 30, "п": 28, "у": 26, "я": 20, "ы": 19, "ь": 17,
    "г": 17, "з": 16, "б": 16, "ч": 14, "й": 12, "х": 10, "ж": 9, "ш": 7, "ю": 6, "ц": 5,
    "щ": 4, "э": 3, "ф": 3, "ъ": 0.4, "ё": 0.4,
}  # fmt: skip
_LETTER_LOG_FREQUENCY: Final = {char: math.log(f / 1000) for char, f in _LETTER_FREQUENCY.items()}
# Other Cyrillic letters (Ђ, ў, ...) are what mis-decoded Russian is full of.
_RARE_LETTER: Final = math.log(0.1 / 1000)
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

_ENCODING_HINT = "pass the file's encoding with --encoding (e.g. --encoding cp1251)"


def decode_bytes(data: bytes, *, where: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; return the text and the name of the codec used.

    ``encoding`` forces a codec (a UTF-8 byte-order mark is still dropped). Without it:
    a byte-order mark decides; then strict UTF-8; then the best of ``LEGACY_ENCODINGS``.
    """
    if encoding is not None:
        codec = _lookup_codec(encoding)
        text = _decode_strict(data, codec, where=where)
        used = codec
    else:
        text, used = _detect_and_decode(data, where=where)
    _reject_binary(text, where=where)
    return text, used


def read_text(path: str | os.PathLike[str], *, encoding: str | None = None) -> tuple[str, str]:
    """Read and decode a text file; return the text and the encoding used.

    Missing, directory, unreadable, empty and whitespace-only files are ``InputError``.
    """
    where = os.fspath(path)
    data = _read_bytes(Path(path), where)
    if not data:
        raise InputError(
            "the file is empty",
            where=where,
            hint="pass the document's text: one paragraph per line, or paragraphs separated "
            "by blank lines",
        )
    text, used = decode_bytes(data, where=where, encoding=encoding)
    if not text.strip():
        raise InputError(
            "the file contains only whitespace",
            where=where,
            hint="check that this is the right file and that it was saved",
        )
    return text, used


def read_document(
    path: str | os.PathLike[str],
    lang: str,
    *,
    encoding: str | None = None,
    paragraphs: ParagraphMode = "auto",
    presplit: bool = False,
) -> Document:
    """Read a file and split it into sentences (see ``make_document``)."""
    text, used = read_text(path, encoding=encoding)
    return make_document(
        text, lang, path=os.fspath(path), encoding=used, paragraphs=paragraphs, presplit=presplit
    )


def make_document(
    text: str,
    lang: str,
    *,
    path: str | None = None,
    encoding: str = "utf-8",
    paragraphs: ParagraphMode = "auto",
    presplit: bool = False,
) -> Document:
    """A ``Document`` from text already in memory (the Python API starts here).

    ``presplit`` takes every line as one sentence (with ``paragraphs="blank"``, blank lines
    separate paragraphs; otherwise they are an error); without it ``segment`` splits the
    text for ``lang`` in the given paragraph mode.
    """
    where = path or "<text>"
    if not _LANGUAGE_CODE.fullmatch(lang):
        raise UsageError(
            f"{lang!r} is not a language code",
            hint="use an ISO 639-1 code such as ru, en, de, fr, zh",
        )
    check_paragraph_mode(paragraphs)
    if not text.strip():
        raise InputError("there is no text", where=where, hint="pass a non-empty document")
    if presplit:
        sentences = segment_presplit(text, where=where, paragraphs=paragraphs)
    else:
        sentences = segment(text, lang, paragraphs=paragraphs)
    return Document(text=text, sentences=sentences, lang=lang, path=path, encoding=encoding)


# ---------------------------------------------------------------------------------------


def _read_bytes(path: Path, where: str) -> bytes:
    if path.is_dir():
        raise InputError(
            "is a directory, not a file", where=where, hint="pass the path of a text file"
        )
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(
            "no such file",
            where=where,
            hint="check the path (relative paths start from the current directory)",
        ) from err
    except PermissionError as err:
        raise InputError(
            "permission denied",
            where=where,
            hint="make the file readable (chmod +r) or copy it somewhere you can read",
        ) from err
    except OSError as err:
        raise InputError(
            f"cannot read the file: {err.strerror or err}",
            where=where,
            hint="check the path and that the file is a regular file",
        ) from err


def _lookup_codec(encoding: str) -> str:
    """The canonical codec name (``"KOI8-R"`` -> ``"koi8-r"``); unknown -> ``UsageError``."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError as err:
        raise UsageError(
            f"unknown encoding {encoding!r}",
            hint="use a Python codec name such as utf-8, utf-16, cp1251, koi8-r",
        ) from err
    # Drop a UTF-8 byte-order mark when UTF-8 is forced; it is not part of the text.
    return "utf-8-sig" if name == "utf-8" else name


def _decode_strict(data: bytes, codec: str, *, where: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise _undecodable(data, codec, err, where=where) from err


def _undecodable(data: bytes, codec: str, err: UnicodeDecodeError, *, where: str) -> InputError:
    """Say which byte, at which offset and line, is not valid in ``codec``."""
    before = data[: err.start].decode(codec, errors="replace")
    line = before.count("\n") + 1
    byte = data[err.start]
    name = codec.removesuffix("-sig")
    return InputError(
        f"not valid {name}: byte 0x{byte:02x} at offset {err.start} (line {line}) cannot be "
        "decoded",
        where=f"{where}:{line}",
        hint=_ENCODING_HINT + ", or re-save the file as UTF-8",
    )


def _detect_and_decode(data: bytes, *, where: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data, codec, where=where), codec
    if b"\x00" in data:
        raise _binary(
            where,
            extra="; if it is UTF-16 without a byte-order mark, pass "
            "--encoding utf-16-le or utf-16-be",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if _mostly_utf8(data):
            # A UTF-8 file with a few broken bytes: guessing a legacy encoding would turn
            # all its non-ASCII text into mojibake, so report the broken byte instead.
            raise _undecodable(data, "utf-8", err, where=where) from err
    return _decode_legacy(data, where=where)


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed UTF-8 multi-byte characters than broken bytes."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    non_ascii = sum(1 for char in text if ord(char) > 127) - broken
    return non_ascii > broken


def _decode_legacy(data: bytes, *, where: str) -> tuple[str, str]:
    # Imported here: only legacy-encoded files need it, and it takes ~60 ms to import.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise _binary(where)
    codec = str(best.encoding)
    if codec in _CYRILLIC_ENCODINGS:
        return _likeliest_cyrillic(data, default=codec)
    return data.decode(codec), codecs.lookup(codec).name


def _likeliest_cyrillic(data: bytes, *, default: str) -> tuple[str, str]:
    """Decode with the Cyrillic codec under which ``data`` reads most like Russian prose.

    charset-normalizer needs a few dozen letters to tell cp1251 from KOI8-R and often gets
    short texts wrong. The two codecs map the small letters of one onto the capitals of the
    other, so the wrong one turns "Я не могу" into "с ОЕ НПЗХ" (see ``_russian_score``).
    Ties keep ``default``, charset-normalizer's choice.
    """
    decoded: dict[str, str] = {}
    for codec in (default, *sorted(_CYRILLIC_ENCODINGS - {default})):
        try:
            decoded[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    # max() keeps the first of equal scores, which is the default.
    codec = max(decoded, key=lambda name: _russian_score(decoded[name]))
    return decoded[codec], codecs.lookup(codec).name


def _russian_score(text: str) -> float:
    """How much ``text`` reads like Russian prose: word shapes plus letter frequencies.

    Shape: letters in words written like prose ("Да", "мир") minus letters in words no prose
    has ("дБ", "пРИВЕТ"); all-capital words ("ООН") count for neither. Frequency: the log
    probability of the letters, which decides all-capital texts ("ООН" against "ппо").
    Adding the two misread 20 of 4,600 cp1251/KOI8-R samples of ru-en.train.tsv, all of them
    5-letter fragments; shape alone, then frequency, misread 29, frequency alone 188.
    """
    shape = 0
    for word in _RUSSIAN_WORD.findall(text):
        if _PROSE_WORD.fullmatch(word):
            shape += len(word)
        elif not word.isupper():
            shape -= len(word)
    frequency = sum(
        _LETTER_LOG_FREQUENCY.get(char, _RARE_LETTER)
        for char in _CYRILLIC_LETTER.findall(text.lower())
    )
    return shape + frequency


def _reject_binary(text: str, *, where: str) -> None:
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise _binary(where)


def _binary(where: str, *, extra: str = "") -> InputError:
    return InputError(
        "looks like binary data, not text",
        where=where,
        hint="pass a plain-text file (export .docx or .pdf to .txt first); if it is text in an "
        "unusual encoding, " + _ENCODING_HINT + extra,
    )
