"""Writers and readers in aligner.io: layout, signatures, errors and round trips."""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.errors import FormatError, InputError, UsageError
from aligner.io import FORMATS, OutputError, render, write_alignment
from aligner.io.atomic import atomic_write, atomic_write_many
from aligner.io.beads import format_bead, parse_scored_beads, read_beads
from aligner.io.jsonl import parse_alignment_jsonl, read_alignment_jsonl
from aligner.io.moses import parse_moses, read_moses
from aligner.io.records import BeadRecord, one_line, records_from_alignment
from aligner.io.tmx import parse_tmx, read_tmx, xml_safe
from aligner.io.tsv import COLUMNS, escape_field, parse_tsv, read_tsv, unescape_field
from aligner.types import Alignment, Bead, Document, Sentence, Signature

SIGNATURE = Signature("0.1.0", "use-m3", (("band", "8"), ("max", "3-1")))


def make_document(texts: list[str], lang: str, per_paragraph: int = 2) -> Document:
    """Sentences joined by one space, ``per_paragraph`` sentences to a paragraph."""
    sentences, position = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(index, text, position, position + len(text),
                                  index // per_paragraph))
        position += len(text) + 1
    return Document(" ".join(texts), tuple(sentences), lang)


def make_alignment(src: list[str], tgt: list[str],
                   shapes: list[tuple[int, int]],
                   scores: list[tuple[float, float]] | None = None) -> Alignment:
    """An alignment whose beads take ``shapes`` (sizes) sentences in order on each side."""
    beads, i, j = [], 0, 0
    for number, (a, b) in enumerate(shapes):
        score, confidence = scores[number] if scores else (0.5, 0.75)
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), score, confidence))
        i, j = i + a, j + b
    assert (i, j) == (len(src), len(tgt)), "shapes must cover every sentence"
    return Alignment(make_document(src, "ru"), make_document(tgt, "en"), tuple(beads),
                     SIGNATURE)


RU = ["Министр иностранных дел России С.В.Лавров провёл переговоры.",
      "Стороны обсудили вопросы стратегической стабильности.",
      "Был также затронут ряд региональных тем.",
      "Переговоры прошли в конструктивной атмосфере."]
EN = ["Russian Foreign Minister Sergey Lavrov held talks.",
      "The parties discussed strategic stability and a number of regional issues.",
      "Annex: list of participants."]


@pytest.fixture
def sample() -> Alignment:
    # 1-1, 2-1, 1-0, 0-1: the bead kinds every writer must handle.
    return make_alignment(RU, EN, [(1, 1), (2, 1), (1, 0), (0, 1)],
                          [(0.91234, 0.98765), (0.7, 0.61), (0.0, 0.5), (0.0, 0.25)])


# --- strategies -----------------------------------------------------------------------------

# The characters the brief names, plus a sample of everything else.
TRICKY = "абвЖЯёЁщ\t\n\r&<>\"'\\ «»—…😀🇷🇺🙂;:[],#"
SHAPES = [(1, 1), (1, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 0), (0, 1)]


def texts(xml_only: bool = False) -> st.SearchStrategy[str]:
    # Surrogates cannot be encoded as UTF-8 by any format; XML 1.0 also bars C0 controls
    # and the U+FFFE/U+FFFF non-characters (tested separately, see test_tmx_control_chars).
    other = st.characters(exclude_categories=["Cs", "Cc", "Cn"])
    if not xml_only:
        other = st.characters(exclude_categories=["Cs"])
    chars = st.one_of(st.sampled_from(TRICKY), other)
    return st.text(chars, max_size=24)


@st.composite
def alignments(draw: st.DrawFn, xml_only: bool = False) -> Alignment:
    shapes = draw(st.lists(st.sampled_from(SHAPES), max_size=7))
    n_src = sum(a for a, _ in shapes)
    n_tgt = sum(b for _, b in shapes)
    text = texts(xml_only)
    src = draw(st.lists(text, min_size=n_src, max_size=n_src))
    tgt = draw(st.lists(text, min_size=n_tgt, max_size=n_tgt))
    number = st.floats(-2.0, 2.0, allow_nan=False)
    scores = draw(st.lists(st.tuples(number, st.floats(0.0, 1.0)),
                           min_size=len(shapes), max_size=len(shapes)))
    return make_alignment(src, tgt, shapes, scores)


PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --- records --------------------------------------------------------------------------------

def test_records_resolve_texts_paragraphs_and_offsets(sample: Alignment) -> None:
    records = records_from_alignment(sample)
    assert [r.kind for r in records] == ["1-1", "2-1", "1-0", "0-1"]
    two_one = records[1]
    assert two_one.src_text == f"{RU[1]} {RU[2]}"
    assert sample.src.text[two_one.src_start:two_one.src_end] == two_one.src_text
    assert (two_one.src_paragraph, two_one.tgt_paragraph) == (0, 0)
    assert records[2].tgt_text == "" and records[2].tgt_paragraph is None
    assert records[2].tgt_start is None and records[2].src_paragraph == 1
    assert all(r.signature == str(SIGNATURE) for r in records)


def test_records_reject_bead_outside_document(sample: Alignment) -> None:
    broken = Alignment(sample.src, sample.tgt, (Bead((7,), (0,)),), SIGNATURE)
    with pytest.raises(InputError, match="source sentence 7"):
        records_from_alignment(broken)


# --- TSV ------------------------------------------------------------------------------------

def test_tsv_layout(sample: Alignment) -> None:
    text = render(sample, "tsv")
    assert isinstance(text, str)
    lines = text.split("\n")
    assert lines[0] == f"# signature: {SIGNATURE}"
    assert lines[1].split("\t") == list(COLUMNS)
    assert lines[2].split("\t") == ["0", "0", RU[0], EN[0], "0", "0", "1-1", "0.9877",
                                    "0.9123"]
    assert lines[3].split("\t")[:2] == ["1,2", "1"]
    assert lines[4].split("\t")[1] == "" and lines[4].split("\t")[5] == ""
    assert lines[-1] == ""  # ends with a newline


def test_tsv_escaping_keeps_rows_and_columns() -> None:
    text = "a\tb\nc\\d\re"
    escaped = escape_field(text)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert escaped == "a\\tb\\nc\\\\d\\re"
    assert unescape_field(escaped) == text
    # A literal backslash before "t" must not turn into a tab.
    assert unescape_field(escape_field("\\t")) == "\\t"


def test_tsv_reader_errors_name_path_and_line(tmp_path: Path, sample: Alignment) -> None:
    path = tmp_path / "out.tsv"
    good = render(sample, "tsv")
    assert isinstance(good, str)
    lines = good.split("\n")

    path.write_text("\n".join([*lines[:3], "0\t0\tonly three"]) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="expected 9 tab-separated columns") as err:
        read_tsv(path)
    assert err.value.where == f"{path}:4"

    path.write_text("src\ttgt\n", encoding="utf-8")
    with pytest.raises(FormatError, match="header row") as err:
        read_tsv(path)
    assert err.value.where == f"{path}:1"

    bad_index = lines[2].replace("0\t0\t", "x\t0\t", 1)
    path.write_text("\n".join([*lines[:2], bad_index]), encoding="utf-8")
    with pytest.raises(FormatError, match="src_idx") as err:
        read_tsv(path)
    assert err.value.where == f"{path}:3"

    bad_escape = lines[2].replace(RU[0], "C:\\x", 1)
    path.write_text("\n".join([*lines[:2], bad_escape]), encoding="utf-8")
    with pytest.raises(FormatError, match="escape"):
        read_tsv(path)


# --- JSONL ----------------------------------------------------------------------------------

def test_jsonl_records_are_self_contained(sample: Alignment) -> None:
    text = render(sample, "jsonl")
    assert isinstance(text, str)
    assert RU[0] in text  # ensure_ascii=False: Cyrillic stays readable
    objects = [json.loads(line) for line in text.splitlines()]
    assert len(objects) == len(sample.beads)
    assert list(objects[0]) == ["src_idx", "tgt_idx", "src_text", "tgt_text", "src_paragraph",
                                "tgt_paragraph", "src_start", "src_end", "tgt_start",
                                "tgt_end", "kind", "score", "confidence", "signature"]
    assert all(obj["signature"] == str(SIGNATURE) for obj in objects)
    assert objects[1]["src_idx"] == [1, 2] and objects[1]["kind"] == "2-1"
    assert objects[3]["src_idx"] == [] and objects[3]["src_paragraph"] is None
    assert sample.tgt.text[objects[3]["tgt_start"]:objects[3]["tgt_end"]] == EN[2]


def test_jsonl_non_finite_scores_become_null() -> None:
    alignment = make_alignment(["а"], ["a"], [(1, 1)], [(float("-inf"), float("nan"))])
    text = render(alignment, "jsonl")
    assert isinstance(text, str)
    obj = json.loads(text)
    assert obj["score"] is None and obj["confidence"] is None
    record = parse_alignment_jsonl(text)[0]
    assert math.isnan(record.score)


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"tgt_idx": [0]}', "missing key 'src_idx'"),
    ('{"src_idx": [0, "1"], "tgt_idx": [0]}', "src_idx: expected a list"),
    ('{"src_idx": [true], "tgt_idx": [0]}', "src_idx: expected a list"),
    ('{"src_idx": [0], "tgt_idx": [0], "src_text": 5}', "src_text: expected a string"),
    ('{"src_idx": [0], "tgt_idx": [0], "score": "high"}', "score: expected a number"),
    ('{"src_idx": [0], "tgt_idx": [0], "src_start": 1.5}', "src_start: expected an integer"),
])
def test_jsonl_reader_errors(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text('{"src_idx": [0], "tgt_idx": [0]}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        read_alignment_jsonl(path)
    assert err.value.where == f"{path}:3"


def test_jsonl_minimal_records_read() -> None:
    (record,) = parse_alignment_jsonl('{"src_idx": [3, 4], "tgt_idx": []}\n')
    assert record == BeadRecord((3, 4), (), "", "")


# --- beads ----------------------------------------------------------------------------------

def test_beads_layout(sample: Alignment) -> None:
    assert render(sample, "beads") == (
        f"# signature: {SIGNATURE}\n"
        "[0]:[0]:0.9123\n[1, 2]:[1]:0.7000\n[3]:[]:0.0000\n[]:[2]:0.0000\n"
    )
    assert format_bead((9, 10), (9,)) == "[9, 10]:[9]"


def test_beads_reader_accepts_gold_variants() -> None:
    text = ("# a comment\n[0]:[0]\n[9, 10]:[9]\n\n[]:[15]\r\n[4]:[]\n"
            "[0,1]:[2,3]\n [5] : [6] : 0.25 \n[7]:[8]:-1e-3\n")
    assert read_beads(text) == [((0,), (0,)), ((9, 10), (9,)), ((), (15,)), ((4,), ()),
                                ((0, 1), (2, 3)), ((5,), (6,)), ((7,), (8,))]
    scores = [score for _, _, score in parse_scored_beads(text)]
    assert scores == [None] * 5 + [0.25, -0.001]


def test_read_beads_from_path(tmp_path: Path) -> None:
    path = tmp_path / "gold"
    path.write_text("[0]:[0]\n[1, 2]:[1]\n", encoding="utf-8")
    assert read_beads(path) == read_beads(str(path)) == [((0,), (0,)), ((1, 2), (1,))]
    with pytest.raises(InputError, match="not found"):
        read_beads(tmp_path / "missing")


@pytest.mark.parametrize("line", ["[0]-[1]", "0:1", "[0]:[1]:high", "[a]:[1]", "[0]:[1]:2:3",
                                  "[]:[]", "[0]:[1"])
def test_beads_reader_errors(tmp_path: Path, line: str) -> None:
    path = tmp_path / "gold"
    path.write_text(f"[0]:[0]\n{line}\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"expected a bead like \[0, 1\]:\[2\]") as err:
        read_beads(path)
    assert err.value.where == f"{path}:2"
    assert str(err.value).startswith(f"{path}:2: ")


# --- TMX ------------------------------------------------------------------------------------

def test_tmx_header_units_and_props(sample: Alignment) -> None:
    data = render(sample, "tmx")
    assert isinstance(data, bytes)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("creationtool", "segtype", "o-tmf", "adminlang",
                                       "srclang", "datatype")} == {
        "creationtool": "aligner", "segtype": "sentence", "o-tmf": "aligner",
        "adminlang": "en", "srclang": "ru", "datatype": "plaintext"}
    assert header.get("creationtoolversion")
    assert header.findtext("prop[@type='x-aligner-signature']") == str(SIGNATURE)
    units = root.findall("body/tu")
    assert len(units) == 2  # the 1-0 and 0-1 beads are skipped
    second = units[1]
    assert second.get("tuid") == "1"
    assert second.findtext("prop[@type='x-src-idx']") == "1,2"
    assert second.findtext("prop[@type='x-confidence']") == "0.6100"
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
             for tuv in second.findall("tuv")]
    assert langs == ["ru", "en"]
    assert second.findtext("tuv/seg") == f"{RU[1]} {RU[2]}"


def test_tmx_escapes_markup_characters() -> None:
    alignment = make_alignment(["Статья 5 <b> & «кавычки»"], ['Article 5 <b> & "quotes"'],
                               [(1, 1)])
    data = render(alignment, "tmx")
    assert isinstance(data, bytes)
    assert b"&amp;" in data and b"&lt;b&gt;" in data
    from translate.storage import tmx

    (unit,) = tmx.tmxfile(data).units
    assert (unit.source, unit.target) == ("Статья 5 <b> & «кавычки»",
                                          'Article 5 <b> & "quotes"')


def test_tmx_control_chars_become_replacement_char() -> None:
    alignment = make_alignment(["стр.\x0c1"], ["p.\x001\ufffe"], [(1, 1)])
    data = render(alignment, "tmx")
    assert isinstance(data, bytes)
    (record,) = parse_tmx(data)
    assert (record.src_text, record.tgt_text) == ("стр.\ufffd1", "p.\ufffd1\ufffd")


def test_tmx_reader_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_bytes(b"<tmx><header/>\n<body><tu></body></tmx>")
    with pytest.raises(FormatError, match="not well-formed") as err:
        read_tmx(path)
    assert err.value.where == f"{path}:2"
    path.write_bytes(b"<html/>")
    with pytest.raises(FormatError, match="<tmx>"):
        read_tmx(path)


# --- moses ----------------------------------------------------------------------------------

def test_moses_writes_language_files_and_signature(tmp_path: Path, sample: Alignment) -> None:
    prefix = tmp_path / "corpus"
    written = write_alignment(sample, "moses", prefix)
    assert written == [tmp_path / "corpus.ru", tmp_path / "corpus.en",
                       tmp_path / "corpus.signature"]
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8") == (
        f"{RU[0]}\n{RU[1]} {RU[2]}\n")
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8") == f"{EN[0]}\n{EN[1]}\n"
    assert (tmp_path / "corpus.signature").read_text(encoding="utf-8") == f"{SIGNATURE}\n"
    assert read_moses(tmp_path / "corpus.ru", tmp_path / "corpus.en") == [
        (RU[0], EN[0]), (f"{RU[1]} {RU[2]}", EN[1])]


def test_moses_needs_a_path(sample: Alignment) -> None:
    with pytest.raises(UsageError, match="standard output") as err:
        write_alignment(sample, "moses", None, stdout=io.StringIO())
    assert err.value.hint is not None and "-o PATH" in err.value.hint


def test_moses_line_breaks_cannot_split_lines() -> None:
    alignment = make_alignment(["раз\nдва\u2028три"], ["one\r\ntwo"], [(1, 1)])
    assert write_lines(alignment) == [("раз два три", "one two")]


def write_lines(alignment: Alignment) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as directory:
        ru, en, _ = write_alignment(alignment, "moses", Path(directory) / "c")
        return read_moses(ru, en)


def test_moses_reader_line_mismatch(tmp_path: Path) -> None:
    (tmp_path / "c.ru").write_text("а\nб\n", encoding="utf-8")
    (tmp_path / "c.en").write_text("a\n", encoding="utf-8")
    with pytest.raises(FormatError, match="2 lines and the target side 1"):
        read_moses(tmp_path / "c.ru", tmp_path / "c.en")


# --- write_alignment ------------------------------------------------------------------------

def test_unknown_format_lists_formats(sample: Alignment) -> None:
    with pytest.raises(UsageError) as err:
        write_alignment(sample, "csv", None)
    assert err.value.hint is not None
    assert all(fmt in err.value.hint for fmt in FORMATS)
    assert err.value.exit_code == 2


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "beads", "tmx"])
def test_write_to_stdout_and_file_agree(tmp_path: Path, sample: Alignment, fmt: str) -> None:
    out = io.StringIO()
    assert write_alignment(sample, fmt, None, stdout=out) == []
    path = tmp_path / f"out.{fmt}"
    assert write_alignment(sample, fmt, str(path)) == [path]
    assert path.read_bytes().decode("utf-8") == out.getvalue()
    assert str(SIGNATURE) in out.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


# --- atomic writes --------------------------------------------------------------------------

def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write(path, "новый")
    assert path.read_text(encoding="utf-8") == "новый"
    assert path.stat().st_mode & 0o777 == 0o640
    atomic_write(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_write_through_symlink_updates_target(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_atomic_write_failure_leaves_old_content(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OutputError, match="no space left") as err:
        atomic_write(path, "new")
    assert err.value.where == str(path) and err.value.hint
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_write_many_is_all_or_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="does not exist") as err:
        atomic_write_many({first: "new", tmp_path / "missing" / "b.txt": "new"})
    assert err.value.hint and "missing" in str(err.value)
    assert first.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_atomic_write_errors_say_what_to_do(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        atomic_write(tmp_path, "x")
    real_open = os.open

    def denied(path: str, flags: int, mode: int = 0o777) -> int:
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(OutputError, match="permission denied") as err:
        atomic_write(tmp_path / "out.tsv", "x")
    assert err.value.where == str(tmp_path / "out.tsv")
    assert err.value.hint == "choose a writable output path"


# --- round trips (Hypothesis) ---------------------------------------------------------------

def non_null(alignment: Alignment) -> list[BeadRecord]:
    return [r for r in records_from_alignment(alignment) if not r.is_null]


@PROPERTY
@given(alignments())
def test_tsv_round_trip(alignment: Alignment) -> None:
    text = render(alignment, "tsv")
    assert isinstance(text, str)
    assert text.count("\n") == len(alignment.beads) + 2  # texts never break a row
    back = parse_tsv(text)
    for written, read in zip(records_from_alignment(alignment), back, strict=True):
        assert (read.src_idx, read.tgt_idx) == (written.src_idx, written.tgt_idx)
        assert (read.src_text, read.tgt_text) == (written.src_text, written.tgt_text)
        assert (read.src_paragraph, read.tgt_paragraph) == (written.src_paragraph,
                                                            written.tgt_paragraph)
        assert read.score == pytest.approx(written.score, abs=5e-5)
        assert read.confidence == pytest.approx(written.confidence, abs=5e-5)
        assert read.signature == str(SIGNATURE)


@PROPERTY
@given(alignments())
def test_jsonl_round_trip(alignment: Alignment) -> None:
    text = render(alignment, "jsonl")
    assert isinstance(text, str)
    assert text.count("\n") == len(alignment.beads)
    assert parse_alignment_jsonl(text) == records_from_alignment(alignment)


@PROPERTY
@given(alignments())
def test_beads_round_trip(alignment: Alignment) -> None:
    text = render(alignment, "beads")
    assert isinstance(text, str)
    back = parse_scored_beads(text)
    assert [(s, t) for s, t, _ in back] == [(b.src, b.tgt) for b in alignment.beads]
    for (_, _, score), bead in zip(back, alignment.beads, strict=True):
        assert score == pytest.approx(bead.score, abs=5e-5)


@PROPERTY
@given(alignments(xml_only=True))
def test_tmx_round_trip(alignment: Alignment) -> None:
    from translate.storage import tmx

    data = render(alignment, "tmx")
    assert isinstance(data, bytes)
    expected = [(r.src_text, r.tgt_text) for r in non_null(alignment)]
    # Read back by translate-toolkit, an independent TMX implementation ...
    units = tmx.tmxfile(data).units
    assert [(u.source, u.target) for u in units] == expected
    # ... and by our own reader, which also recovers indices and the signature.
    back = parse_tmx(data)
    assert [(r.src_text, r.tgt_text) for r in back] == expected
    assert [(r.src_idx, r.tgt_idx) for r in back] == [(r.src_idx, r.tgt_idx)
                                                      for r in non_null(alignment)]
    assert all(r.signature == str(SIGNATURE) for r in back)


@PROPERTY
@given(alignments())
def test_tmx_never_breaks_on_any_text(alignment: Alignment) -> None:
    back = parse_tmx(render(alignment, "tmx"))  # type: ignore[arg-type]
    assert [(r.src_text, r.tgt_text) for r in back] == [
        (xml_safe(r.src_text), xml_safe(r.tgt_text)) for r in non_null(alignment)]


@PROPERTY
@given(alignments())
def test_moses_round_trip(alignment: Alignment) -> None:
    assert write_lines(alignment) == [(one_line(r.src_text), one_line(r.tgt_text))
                                      for r in non_null(alignment)]


@PROPERTY
@given(texts())
def test_moses_parse_counts_lines_like_the_writer(text: str) -> None:
    line = one_line(text)
    assert len(line.splitlines()) <= 1
    assert parse_moses(line + "\n", "x\n") == [(line, "x")]
