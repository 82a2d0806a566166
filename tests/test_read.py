"""Reading input files: encodings, binary data, file errors, documents."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from aligner.errors import InputError, UsageError
from aligner.read import decode_bytes, make_document, read_document, read_text

RUSSIAN = [
    "Да",
    "Нет",
    "Привет",
    "Лавров",
    "МИД России",
    "Министр провёл переговоры.",
    "Заявление МИД России",
    "Я не могу комментировать.",
    "В итоге НАТО отказалось.",
    "Москва, 12 марта 2024 г.\r\nЗаявление",
    "Стороны обсудили ситуацию в Сирии и договорились продолжить контакты.",
    '"Мы против", - заявил С.В.Лавров. Ёлка, щётка, подъезд.',
]
WESTERN = ["Über die Lage in Syrien.", "Café, élève, garçon.", "Déclaration du ministère."]


# --- decode_bytes ------------------------------------------------------------------------


@pytest.mark.parametrize("text", RUSSIAN + WESTERN + ["plain ASCII"])
def test_utf8(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), where="f") == (text, "utf-8")


def test_utf8_bom_is_stripped() -> None:
    data = codecs.BOM_UTF8 + "Заявление".encode()
    assert decode_bytes(data, where="f") == ("Заявление", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    text = "Заявление МИД России\r\nStatement"
    bom = {
        "utf-16": b"",
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32": b"",
    }[codec]
    decoded, used = decode_bytes(bom + text.encode(codec), where="f")
    assert decoded == text
    assert used.startswith(codec[:6])


@pytest.mark.parametrize("text", RUSSIAN)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_short_russian_legacy_encodings(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec), where="f") == (text, codec)


def test_cp1251_typography() -> None:
    text = "«Мы против», — заявил С.В.Лавров… № 5"  # characters KOI8-R does not have
    assert decode_bytes(text.encode("cp1251"), where="f") == (text, "cp1251")


@pytest.mark.parametrize("text", WESTERN)
def test_western_legacy_encoding(text: str) -> None:
    assert decode_bytes(text.encode("cp1252"), where="f") == (text, "cp1252")


def test_crlf_is_preserved() -> None:
    assert decode_bytes(b"a\r\nb\r\n", where="f") == ("a\r\nb\r\n", "utf-8")


@pytest.mark.parametrize(("name", "canonical"), [("CP1251", "cp1251"), ("KOI8-R", "koi8-r")])
def test_forced_encoding(name: str, canonical: str) -> None:
    data = "Да".encode(canonical)
    assert decode_bytes(data, where="f", encoding=name) == ("Да", canonical)


def test_forced_utf8_drops_the_bom() -> None:
    data = codecs.BOM_UTF8 + b"text"
    assert decode_bytes(data, where="f", encoding="utf-8")[0] == "text"


def test_unknown_encoding_is_a_usage_error_naming_it() -> None:
    with pytest.raises(UsageError, match="unknown encoding 'win-1251'"):
        decode_bytes(b"text", where="f", encoding="win-1251")


def test_forced_encoding_that_does_not_fit_says_where() -> None:
    data = "первая строка\nвторая".encode("cp1251")
    with pytest.raises(InputError) as raised:
        decode_bytes(data, where="doc.ru.txt", encoding="utf-8")
    message = str(raised.value)
    assert "byte 0xef at offset 0 (line 1)" in message
    assert "--encoding" in message
    assert raised.value.where == "doc.ru.txt:1"


def test_broken_byte_in_utf8_is_reported_not_guessed() -> None:
    data = "Заявление МИД России\nЕщё одна строка\n".encode() + b"\xff\n"
    with pytest.raises(InputError) as raised:
        decode_bytes(data, where="doc.txt")
    assert "not valid utf-8: byte 0xff" in str(raised.value)
    assert raised.value.where == "doc.txt:3"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",
        bytes(range(256)) * 4,
        "text".encode("utf-16-le"),  # UTF-16 without a byte-order mark
    ],
)
def test_binary_data(data: bytes) -> None:
    with pytest.raises(InputError, match="looks like binary data"):
        decode_bytes(data, where="f")


def test_binary_data_with_forced_encoding() -> None:
    with pytest.raises(InputError, match="looks like binary data"):
        decode_bytes(b"\x00\x01\x02\x03abc", where="f", encoding="latin-1")


# --- read_text ---------------------------------------------------------------------------


def _one_line_with(error: InputError, *parts: str) -> None:
    message = str(error)
    assert "\n" not in message
    for part in parts:
        assert part in message


def test_read_text(tmp_path: Path) -> None:
    path = tmp_path / "statement.ru.txt"
    path.write_bytes("Заявление\r\n".encode("cp1251"))
    assert read_text(path) == ("Заявление\r\n", "cp1251")
    assert read_text(str(path), encoding="cp1251") == ("Заявление\r\n", "cp1251")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError) as raised:
        read_text(path)
    _one_line_with(raised.value, str(path), "no such file", "check the path")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        read_text(tmp_path)
    _one_line_with(raised.value, str(tmp_path), "is a directory")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    # chmod cannot stop root (tests may run as root in containers), so simulate the OS.
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as raised:
        read_text(path)
    _one_line_with(raised.value, str(path), "permission denied", "chmod")
    assert isinstance(raised.value.__cause__, PermissionError)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "the file is empty"), (b" \r\n\t\n", "only whitespace"), (b"\xef\xbb\xbf\n", "only")],
)
def test_empty_and_whitespace_only_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_text(path)
    _one_line_with(raised.value, str(path), expected)
    assert raised.value.hint


# --- documents ---------------------------------------------------------------------------


def test_read_document(tmp_path: Path) -> None:
    path = tmp_path / "a.ru.txt"
    text = "Встреча состоялась 12 марта 2024 г. Далее стороны подписали меморандум.\r\nВторой."
    path.write_bytes(text.encode("koi8-r"))
    doc = read_document(path, "ru")
    assert doc.encoding == "koi8-r"
    assert doc.path == str(path)
    assert doc.lang == "ru"
    assert doc.text == text
    assert doc.texts == (
        "Встреча состоялась 12 марта 2024 г.",
        "Далее стороны подписали меморандум.",
        "Второй.",
    )
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1]


def test_read_document_presplit(tmp_path: Path) -> None:
    path = tmp_path / "a.en.txt"
    path.write_text("One. Two.\nThree\n", encoding="utf-8")
    doc = read_document(path, "en", presplit=True)
    assert doc.texts == ("One. Two.", "Three")


def test_read_document_presplit_blank_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a.en.txt"
    path.write_text("One.\n\nTwo.\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_document(path, "en", presplit=True)
    assert raised.value.where == f"{path}:2"


def test_make_document_defaults() -> None:
    doc = make_document("First. Second.", "en")
    assert doc.texts == ("First.", "Second.")
    assert doc.path is None
    assert doc.encoding == "utf-8"


@pytest.mark.parametrize("lang", ["", "r", "русский", "en us"])
def test_make_document_rejects_a_bad_language_code(lang: str) -> None:
    with pytest.raises(UsageError, match="language code"):
        make_document("Text.", lang)


def test_make_document_rejects_a_bad_paragraph_mode() -> None:
    with pytest.raises(UsageError, match="paragraph mode"):
        make_document("Text.", "en", paragraphs="para", presplit=True)  # type: ignore[arg-type]


def test_make_document_rejects_empty_text() -> None:
    with pytest.raises(InputError, match="no text"):
        make_document("  \n ", "en", path="x.txt")
