"""The HTML review report, parsed back with lxml: self-contained, escaped, spans in place.

The real-browser behaviour (hover, filters, keys) is in test_html_browser.py.
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lxml import html as lxml_html
from sample_review import RU, SIGNATURE, sample_review

from aligner.check import CheckReport, Finding, pairs_from_alignment
from aligner.checks import Category, Divergence, Pair, Severity
from aligner.io import render_review, write_review
from aligner.io.html import MAP_CELLS, _heatmap_png, render_html
from aligner.review import ComparedRow, Comparison, Metric, Review
from aligner.similarity import sentence_similarity
from aligner.types import Alignment, Bead, Document, Sentence

Tree = Any


def parse(markup: str) -> Tree:
    return lxml_html.document_fromstring(markup)


def similarity_for(review: Review) -> np.ndarray:
    assert review.alignment is not None
    n, m = len(review.alignment.src.sentences), len(review.alignment.tgt.sentences)
    return np.linspace(0.0, 0.9, n * m, dtype=np.float32).reshape(n, m)


def cell_marks(cell: Tree) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    """The cell's text without pilcrows, and each finding's highlighted ranges in it."""
    text = cell.text or ""
    ranges: dict[str, list[tuple[int, int]]] = {}
    for child in cell:
        if child.tag == "mark" and "caret" not in child.get("class"):
            start = len(text)
            text += child.text_content()
            for finding in child.get("data-f").split():
                ranges.setdefault(finding, []).append((start, len(text)))
        elif child.tag not in ("br", "span", "mark"):
            text += child.text_content()
        text += child.tail or ""
    merged = {}
    for finding, spans in ranges.items():
        joined: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if joined and joined[-1][1] == start:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        merged[finding] = joined
    return text, merged


def test_the_page_is_self_contained_and_says_what_it_is() -> None:
    review = replace(sample_review(), similarity=similarity_for(sample_review()))
    markup = render_html(review)
    assert markup.startswith("<!DOCTYPE html>")
    tree = parse(markup)
    for element in tree.iter():
        for attribute in ("src", "href", "action", "poster"):
            value = element.get(attribute)
            if value is not None:
                assert value.startswith(("#", "data:")), (element.tag, attribute, value)
    assert not tree.xpath("//link | //script[@src] | //iframe | //object")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", markup)
    assert "@media print" in markup
    assert tree.findtext(".//title") == "Translation review: sample.ru.txt and sample.en.txt"
    assert str(SIGNATURE) in tree.xpath("string(//header//p[@class='signature'])")


def test_texts_are_escaped_not_interpreted() -> None:
    review = sample_review()
    markup = render_html(review)
    assert "<важно>" not in markup and "&lt;важно&gt;" in markup
    assert "<matters>" not in markup
    tree = parse(markup)
    row = tree.get_element_by_id("bead-1")
    assert "Это & <важно>\tдля нас." in row.text_content()
    # a finding message with & and < is text too
    assert "low confidence & <weak> pair" in tree.get_element_by_id("f4").text_content()


def test_control_characters_do_not_break_the_page() -> None:
    pair = Pair(0, "Страница\x0cдва", "Page\x00two")
    markup = render_html(Review(CheckReport((pair,), (), ())))
    assert "Страница\ufffdдва" in parse(markup).text_content()


def test_one_row_per_bead_with_both_texts() -> None:
    review = sample_review()
    tree = parse(render_html(review))
    rows = tree.xpath("//table[contains(@class,'beads')]/tbody/tr")
    assert [r.get("id") for r in rows] == [f"bead-{k}" for k in range(5)]
    for row, pair in zip(rows, review.report.pairs, strict=True):
        header, src_cell, tgt_cell = row[0], row[1], row[2]
        assert header.tag == "th" and header.get("scope") == "row"
        assert src_cell.get("lang") == "ru" and tgt_cell.get("lang") == "en"
        if pair.src:
            assert cell_marks(src_cell)[0] == pair.src
        if pair.tgt:
            assert cell_marks(tgt_cell)[0] == pair.tgt
    assert len(tree.xpath("//thead//th[@scope='col']")) == 4


def test_divergences_are_highlighted_at_their_spans_on_both_sides() -> None:
    review = sample_review()
    tree = parse(render_html(review))
    for number, finding in enumerate(review.report.findings):
        d = finding.divergence
        pair = review.report.pairs[finding.pair_index]
        row = tree.get_element_by_id(f"bead-{finding.pair_index}")
        for cell, spans, text in ((row[1], d.src_spans, pair.src), (row[2], d.tgt_spans, pair.tgt)):
            _, ranges = cell_marks(cell)
            assert ranges.get(f"f{number}", []) == sorted(spans), (number, text)
        item = tree.get_element_by_id(f"f{number}")
        assert d.message in item.text_content()
        assert f"sev-{d.severity.value}" in item.get("class")
        if d.suggestion:
            assert d.suggestion in item.text_content()
    mark = tree.xpath("//mark[@data-f='f1']")[0]
    assert mark.text == "20 тыс."
    assert "sev-critical" in mark.get("class")
    assert mark.get("tabindex") == "0" and mark.get("aria-describedby") == "f1"


def test_overlapping_and_empty_spans() -> None:
    pair = Pair(0, "Россия не намерена втягиваться.", "Russia intends.")
    findings = (
        Finding(0, Divergence("polarity.v1", Severity.CRITICAL, Category.MISTRANSLATION,
                              "negation", ((7, 18),), ((7, 14),))),
        Finding(0, Divergence("modality.v1", Severity.MINOR, Category.MISTRANSLATION,
                              "modality", ((10, 30),), ((15, 15),))),
    )
    tree = parse(render_html(Review(CheckReport((pair,), findings, ()))))
    src_cell, tgt_cell = tree.get_element_by_id("bead-0")[1:3]
    text, ranges = cell_marks(src_cell)
    assert text == pair.src
    assert ranges == {"f0": [(7, 18)], "f1": [(10, 30)]}
    both = src_cell.xpath(".//mark[@data-f='f0 f1']")
    assert [m.text for m in both] == ["намерена"]
    assert "sev-critical" in both[0].get("class")  # the graver colour wins
    caret = tgt_cell.xpath(".//mark[contains(@class,'caret')]")
    assert len(caret) == 1 and caret[0].get("data-f") == "f1"
    assert cell_marks(tgt_cell)[0] == pair.tgt


def test_null_beads_say_omission_or_addition() -> None:
    tree = parse(render_html(sample_review()))
    omission, addition = tree.get_element_by_id("bead-2"), tree.get_element_by_id("bead-3")
    assert {"null", "omission"} <= set(omission.get("class").split())
    assert "omission" in omission[2].xpath("string(.//*[contains(@class,'null-note')])")
    assert "1-0 omission" in omission[0].text_content()
    assert {"null", "addition"} <= set(addition.get("class").split())
    assert "addition" in addition[1].xpath("string(.//*[contains(@class,'null-note')])")
    assert "0-1 addition" in addition[0].text_content()


def test_summary_counts_are_filters() -> None:
    tree = parse(render_html(sample_review()))
    buttons = {(b.get("data-key"), b.get("data-value")): b
               for b in tree.xpath("//button[contains(@class,'filter')]")}
    count = {key: int(b.xpath("string(.//span[@class='count'])")) for key, b in buttons.items()}
    assert count[("sev", "critical")] == 3 and count[("sev", "major")] == 1
    assert count[("sev", "minor")] == 1
    assert count[("check", "numbers.v1")] == 1 and count[("check", "weak_pair.v1")] == 1
    assert count[("row", "null")] == 2 and count[("row", "finding")] == 4
    assert count[("row", "low")] == 1  # bead 4, confidence 0.42
    row4 = tree.get_element_by_id("bead-4")
    assert row4.get("data-sev").split() == ["major", "minor"]
    assert set(row4.get("data-check").split()) == {"terminology.v1", "weak_pair.v1"}
    assert "58" in tree.xpath("string(//*[@class='docscore'])")
    keys = tree.xpath("string(//*[@class='keys'])")
    assert "next finding" in keys and "previous" in keys


def test_scores_are_bars_with_their_numbers_as_text() -> None:
    tree = parse(render_html(sample_review()))
    metrics = tree.get_element_by_id("bead-4").xpath(".//div[@class='metric']")
    values = [m.xpath("string(.//span[@class='val'])") for m in metrics]
    assert values == ["0.42", "71"]
    fill = metrics[0].xpath(".//span[contains(@class,'fill')]")[0]
    assert fill.get("style") == "width:42%" and "low" in fill.get("class")
    assert metrics[0].xpath(".//span[@class='bar']")[0].get("aria-hidden") == "true"


def test_paragraph_breaks_are_visible() -> None:
    texts = ["Первое.", "Второе.", "Третье."]
    sentences, position = [], 0
    for index, (text, paragraph) in enumerate(zip(texts, (0, 1, 2), strict=True)):
        sentences.append(Sentence(index, text, position, position + len(text), paragraph))
        position += len(text) + 2
    src = Document("\n\n".join(texts), tuple(sentences), "ru")
    tgt = Document("One. Two three.", (Sentence(0, "One.", 0, 4, 0),
                                       Sentence(1, "Two three.", 5, 15, 0)), "en")
    alignment = Alignment(src, tgt, (Bead((0,), (0,), 0.9, 0.9), Bead((1, 2), (1,), 0.8, 0.8)),
                          SIGNATURE)
    tree = parse(render_html(Review(CheckReport(pairs_from_alignment(alignment), (), ()),
                                    alignment)))
    row = tree.get_element_by_id("bead-1")
    assert "para" in row.get("class").split()
    cell = row[1]
    assert cell_marks(cell)[0] == "Второе. Третье."
    pilcrows = cell.xpath("./span[@class='pilcrow']")
    assert len(pilcrows) == 1
    assert (cell.text or "") == "Второе. "  # the break sits where sentence 2 starts
    assert pilcrows[0].getnext().tag == "br"


def test_the_alignment_picture_draws_the_matrix_and_the_path() -> None:
    review = sample_review()
    review = replace(review, similarity=similarity_for(review))
    tree = parse(render_html(review))
    svg = tree.xpath("//svg")[0]
    # 4 English sentences wide plus the findings strip, 5 Russian sentences high
    assert svg.get("viewbox") == "0 0 4.28 5"  # the HTML parser lower-cases attribute names
    image = svg.xpath(".//image")[0]
    png = base64.b64decode(image.get("href").split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (4, 5)  # width = English, height = Russian
    links = svg.xpath(".//g[@class='boxes']/a")
    assert [a.get("href") for a in links] == [f"#bead-{k}" for k in range(5)]
    ticks = svg.xpath(".//g[@class='strip']/a")
    assert [a.get("href") for a in ticks] == ["#bead-0", "#bead-1", "#bead-2", "#bead-4"]
    assert "sev-major" in ticks[-1][0].get("class")  # the worst of bead 4's findings
    assert len(svg.xpath(".//line[@class='nullseg']")) == 2
    boxes = svg.xpath(".//rect[contains(@class,'box')]")
    assert "sev-critical" in boxes[0].get("class") and "sev-major" in boxes[4].get("class")
    assert "Bead 1 (2-1)" in boxes[1].findtext("title")


def test_a_big_matrix_is_pooled_to_the_picture_size() -> None:
    matrix = np.zeros((700, 650), dtype=np.float32)
    matrix[699, 649] = 1.0  # one strong cell must survive pooling
    png, low, high, pixels = _heatmap_png(matrix)
    assert pixels == (MAP_CELLS, MAP_CELLS)
    assert struct.unpack(">II", png[16:24]) == (MAP_CELLS, MAP_CELLS)
    assert (low, high) == (0.0, 1.0)


def test_the_picture_without_a_matrix_or_without_an_alignment() -> None:
    tree = parse(render_html(sample_review()))
    assert tree.xpath("//svg") and not tree.xpath("//svg//image")
    assert "not computed" in tree.xpath("string(//figcaption)")
    pairs = (Pair(0, "Да.", "Yes."),)
    tree = parse(render_html(Review(CheckReport(pairs, (), ()))))
    assert not tree.xpath("//svg")
    assert "--aligned" in tree.xpath("string(//*[contains(@class,'map-note')])")
    assert "line 1" in tree.get_element_by_id("bead-0")[0].text_content()
    assert "conf" not in tree.get_element_by_id("bead-0").text_content()  # nothing aligned


def sample_comparison() -> Comparison:
    src = RU[0]
    a, b = "Russia does not intend to race.", "Russia intends to <race> & more."
    rows = (
        ComparedRow((0,), src, a, b, 80.0, 30.0,
                    b_only=(Divergence("polarity.v1", Severity.CRITICAL, Category.MISTRANSLATION,
                                       "B drops the negation", ((7, 18),), ((7, 14),), "add not"),),
                    differences=(Divergence("polarity.v1", Severity.MAJOR,
                                            Category.MISTRANSLATION, "A negates, B does not",
                                            ((7, 22),), ((7, 14),)),),
                    chrf=55.5),
        ComparedRow((1, 2), "Это важно.", "This matters.", "", 90.0, 0.0,
                    b_only=(Divergence("omission.v1", Severity.CRITICAL, Category.OMISSION,
                                       "left out in B", ((0, 10),), ()),)),
    )
    review = sample_review()
    return Comparison(rows, review, review, "Ministry", "Agency",
                      (Metric("chrF2", 61.25, "nrefs:1|nc:6|version:2.4.0"),),
                      signature="aligner:0.1.0|compare")


def test_a_comparison_sets_the_original_and_both_translations_side_by_side() -> None:
    comparison = sample_comparison()
    markup = render_html(comparison)
    assert "<race>" not in markup
    tree = parse(markup)
    headers = [th.text_content() for th in tree.xpath("//table[contains(@class,'beads')]"
                                                      "/thead//th")]
    assert headers == ["#", "Russian", "Ministry", "Agency", "Scores and findings"]
    rows = tree.xpath("//table[contains(@class,'beads')]/tbody/tr")
    assert len(rows) == 2
    src_cell, a_cell, b_cell = rows[0][1:4]
    assert cell_marks(src_cell) == (comparison.rows[0].src_text, {"f0": [(7, 18)]})
    assert cell_marks(a_cell) == (comparison.rows[0].a_text, {"f1": [(7, 22)]})
    assert cell_marks(b_cell) == (comparison.rows[0].b_text, {"f0": [(7, 14)], "f1": [(7, 14)]})
    assert set(rows[0].get("data-group").split()) == {"b-only", "diff"}
    assert "Agency only" in tree.get_element_by_id("f0").text_content()
    assert "Ministry ≠ Agency" in tree.get_element_by_id("f1").text_content()
    assert "omission" in rows[1][3].text_content()  # B is empty: the original left out
    values = [v.text_content() for v in rows[0].xpath(".//span[@class='val']")]
    assert values == ["80", "30", "56"]
    header = tree.xpath("//header")[0].text_content()
    assert "chrF2" in header and "61.25" in header and "nrefs:1|nc:6|version:2.4.0" in header
    buttons = {b.get("data-value"): b.xpath("string(.//span[@class='count'])")
               for b in tree.xpath("//button[@data-key='group']")}
    assert buttons == {"a-only": "0", "b-only": "2", "diff": "1"}


def test_render_review_and_write_review(tmp_path: Any) -> None:
    review = sample_review()
    data = render_review(review, "html")
    assert isinstance(data, bytes) and data.decode("utf-8") == render_html(review)
    assert render_review(sample_comparison(), "html").startswith(b"<!DOCTYPE html>")
    [path] = write_review(review, "html", tmp_path / "report.html")
    assert path.read_bytes() == data


class CountingEncoder:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Any) -> np.ndarray:
        self.calls.append(list(texts))
        rows = np.array([[len(t), t.count(" ") + 1.0] for t in texts], dtype=np.float64)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_sentence_similarity_is_the_cosine_matrix_of_one_encoder_call() -> None:
    alignment = sample_review().alignment
    assert alignment is not None
    encoder = CountingEncoder()
    matrix = sentence_similarity(alignment, encoder)  # type: ignore[arg-type]
    assert len(encoder.calls) == 1
    assert encoder.calls[0] == list(alignment.src.texts + alignment.tgt.texts)
    assert matrix.shape == (5, 4) and matrix.dtype == np.float32
    vectors = encoder.encode(alignment.src.texts + alignment.tgt.texts)
    assert matrix[2, 3] == pytest.approx(float(vectors[2] @ vectors[5 + 3]), abs=1e-6)


def test_sentence_similarity_reads_the_vectors_the_alignment_kept() -> None:
    from dataclasses import replace

    from aligner.types import SentenceVectors

    alignment = sample_review().alignment
    assert alignment is not None
    encoder = CountingEncoder()
    vectors = encoder.encode(alignment.src.texts + alignment.tgt.texts)
    n = len(alignment.src.texts)
    kept = replace(alignment, vectors=SentenceVectors("fake", vectors[:n], vectors[n:]))
    encoder.calls.clear()
    matrix = sentence_similarity(kept, encoder)  # type: ignore[arg-type]
    assert encoder.calls == []  # nothing encoded twice
    assert matrix.shape == (5, 4)
    assert matrix[2, 3] == pytest.approx(float(vectors[2] @ vectors[n + 3]), abs=1e-6)
    other = replace(alignment, vectors=SentenceVectors("other", vectors[:n], vectors[n:]))
    sentence_similarity(other, encoder)  # type: ignore[arg-type]
    assert len(encoder.calls) == 1  # another encoder's vectors are not reused


@pytest.mark.slow
def test_align_writes_an_html_report_with_the_similarity_picture(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from aligner.cli import app

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    out = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["align", str(demo / "comment.ru.txt"),
                                      str(demo / "comment.en.txt"), "--format", "html",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = parse(out.read_text(encoding="utf-8"))
    rows = tree.xpath("//tbody/tr[contains(@class,'bead')]")
    assert len(rows) == 13
    assert "omission" in rows[5].get("class")  # the demo's dropped sentence
    png = base64.b64decode(tree.xpath("//svg//image")[0].get("href").split(",", 1)[1])
    assert struct.unpack(">II", png[16:24]) == (12, 13)
