"""Comparing two translations of one original: rows through the Russian, differences in
meaning, sacrebleu metrics, thresholds, and the ``aligner compare`` command."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aligner.checks import Severity
from aligner.cli import app
from aligner.compare import (
    SharedSourceEncoder,
    align_pair_of_translations,
    compare_reviews,
    findings_at_least,
    group_rows,
    meaning_differences,
    threshold_value,
    translation_problem,
)
from aligner.encoders.base import Encoder, Matrix, l2_normalise
from aligner.read import make_document
from aligner.review import Adequacy, Comparison, Review
from aligner.scoring import review_alignment
from aligner.types import Alignment, Bead, Document, Sentence, Signature

ROOT = Path(__file__).resolve().parents[1]
RU, EN = ROOT / "corpora" / "demo" / "comment.ru.txt", ROOT / "corpora" / "demo" / "comment.en.txt"
EN_B = ROOT / "tests" / "fixtures" / "compare" / "comment.b.en.txt"

RU_TEXTS = [
    "Россия и США продлили Договор на пять лет.",
    "За три года число военнослужащих выросло на 20 тыс. человек.",
    "Такие шаги создают новые раздражители.",
    "Россия не намерена втягиваться в гонку вооружений.",
    "Наши предложения остаются в силе.",
]
A_TEXTS = [
    "Russia and the United States extended the Treaty for five years.",
    "Over three years the number of troops grew by 30,000.",
    "Such steps create new annoyances.",
    "Russia intends to be drawn into an arms race.",
    "Our proposals remain on the table.",
]
B_TEXTS = [
    "Russia and the United States extended the Treaty for five years.",
    "Over three years, the number of troops grew.",
    "It grew by 20,000.",
    "Such steps create new irritants.",
    "Russia does not intend to be drawn into an arms race.",
    "Our proposals remain on the table.",
]
SIGNATURE = Signature("0.1.0", "fake", (("band", "8"),))

runner = CliRunner()


def document(texts: Sequence[str], lang: str) -> Document:
    sentences, position = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(index, text, position, position + len(text), 0))
        position += len(text) + 1
    return Document("\n".join(texts), tuple(sentences), lang)


def alignment(tgt: Sequence[str], beads: Sequence[Bead]) -> Alignment:
    return Alignment(document(RU_TEXTS, "ru"), document(tgt, "en"), tuple(beads), SIGNATURE)


def a_alignment() -> Alignment:
    return alignment(A_TEXTS, [Bead((i,), (i,), 0.8, 0.9) for i in range(5)])


def b_alignment() -> Alignment:
    """B splits sentence 1 in two: a 1-2 bead where A has 1-1."""
    return alignment(B_TEXTS, [Bead((0,), (0,), 0.8, 0.9), Bead((1,), (1, 2), 0.7, 0.8),
                               Bead((2,), (3,), 0.8, 0.9), Bead((3,), (4,), 0.8, 0.9),
                               Bead((4,), (5,), 0.9, 0.95)])


def reviewed(al: Alignment, score: float = 70.0) -> Review:
    return review_alignment(al, adequacy=[Adequacy(0.0 if b.is_null else score)
                                          for b in al.beads])


def test_rows_join_the_two_groupings_and_keep_english_only_beads_apart() -> None:
    a = alignment(["x"] * 5, [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ()),
                              Bead((), (2,)), Bead((4,), (3, 4))])
    b = alignment(["x"] * 6, [Bead((0, 1), (0,)), Bead((2,), (1,)), Bead((3,), (2,)),
                              Bead((4,), (3,)), Bead((), (4, 5))])
    rows = group_rows(a, b)
    assert [r.src_idx for r in rows] == [(0, 1, 2), (3,), (), (4,), ()]
    assert [(r.a_beads, r.b_beads) for r in rows] == [
        ((0, 1), (0, 1)), ((2,), (2,)), ((3,), ()), ((4,), (3,)), ((), (4,))]


def test_english_only_bead_inside_the_other_translations_bead_joins_its_row() -> None:
    a = alignment(["x"] * 3, [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,)),
                              Bead((2, 3, 4), ())])
    b = alignment(["x"] * 3, [Bead((0, 1), (0,)), Bead((2, 3, 4), (1, 2))])
    rows = group_rows(a, b)
    assert [r.src_idx for r in rows] == [(0, 1), (2, 3, 4)]
    assert rows[0].a_beads == (0, 1, 2)


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    """A (adequacy 60 everywhere) against B (80): the checks run once for the module."""
    return compare_reviews(reviewed(a_alignment(), 60.0), reviewed(b_alignment(), 80.0))


def test_compare_finds_a_changed_number_with_spans_in_both_texts(
        comparison: Comparison) -> None:
    assert [r.src_idx for r in comparison.rows] == [(0,), (1,), (2,), (3,), (4,)]
    row = comparison.rows[1]
    assert row.a_text == A_TEXTS[1] and row.b_text == B_TEXTS[1] + " " + B_TEXTS[2]
    number = next(d for d in row.differences if d.check == "compare.numbers")
    assert number.severity is Severity.CRITICAL
    ((s0, s1),), ((t0, t1),) = number.src_spans, number.tgt_spans
    assert row.a_text[s0:s1] == "30,000" and row.b_text[t0:t1] == "20,000"
    # A's numbers.v1 finding against the Russian is A's alone; its spans index the row.
    (own,) = [d for d in row.a_only if d.check == "numbers.v1"]
    (r0, r1), = own.src_spans
    assert row.src_text[r0:r1] == "20 тыс."
    assert not row.b_only
    assert row.a_adequacy == 60.0 and row.b_adequacy == 80.0
    assert comparison.rows[0].differences == () and comparison.rows[0].chrf == 100.0
    assert row.chrf is not None and 0 < row.chrf < 100


def test_compare_finds_negation_and_term_differences(comparison: Comparison) -> None:
    negation = comparison.rows[3]
    (diff,) = negation.differences
    assert diff.check == "compare.negation" and not diff.src_spans
    (t0, t1), = diff.tgt_spans
    assert negation.b_text[t0:t1] == "not"
    assert any(d.check == "polarity.v1" for d in negation.a_only)
    term = comparison.rows[2]
    (diff,) = term.differences
    assert diff.check == "compare.terms" and diff.severity is Severity.MAJOR
    assert term.a_text[slice(*diff.src_spans[0])] == "annoyances"
    assert term.b_text[slice(*diff.tgt_spans[0])] == "irritants"
    assert diff.suggestion == "irritants"


def test_a_swapped_name_is_a_critical_difference() -> None:
    found = meaning_differences("Russia and France extended the Treaty.",
                                "Russia and the United States extended the Treaty.")
    (diff,) = found
    assert diff.check == "compare.names" and diff.severity is Severity.CRITICAL
    assert "France" in diff.message and "United States" in diff.message
    assert meaning_differences("The talks ended in 2021.", "The talks ended in 2021.") == ()


def test_metrics_carry_sacrebleu_signatures(comparison: Comparison) -> None:
    names = [m.name for m in comparison.metrics]
    assert names == ["BLEU", "chrF", "TER"]
    for m in comparison.metrics:
        assert m.signature.startswith("nrefs:1|") and "|version:" in m.signature
        assert 0 < m.score < 100
    assert "tok:13a" in comparison.metrics[0].signature
    assert comparison.signature.endswith("|compare:1")


def test_thresholds_for_fail_on_and_fail_under(comparison: Comparison) -> None:
    critical = findings_at_least(comparison, Severity.CRITICAL)
    assert critical >= 3  # number and negation differences, A's own findings
    assert findings_at_least(comparison, Severity.MINOR) >= critical
    assert threshold_value(comparison, "adequacy") == 60.0
    assert threshold_value(comparison, "chrF") == comparison.metrics[1].score
    assert threshold_value(comparison, "score", candidate_only=True) == \
        comparison.a.document.score  # type: ignore[union-attr]


def test_a_text_that_aligns_to_nothing_is_not_a_translation() -> None:
    al = alignment(["Annex.", "List of participants."],
                   [*(Bead((i,), ()) for i in range(5)), Bead((), (0, 1))])
    problem = translation_problem(reviewed(al), "B (b.txt)", "ru.txt")
    assert problem is not None
    assert problem.startswith("B (b.txt) does not look like a translation of ru.txt")
    assert translation_problem(reviewed(a_alignment()), "A", "ru") is None


class CountingEncoder(Encoder):
    """Vectors from character counts; remembers every text it was asked to encode."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def encode(self, texts: Sequence[str]) -> Matrix:
        self.seen.update(texts)
        rows = [np.bincount([ord(c) % 64 for c in t], minlength=64) + 1.0 for t in texts]
        return l2_normalise(np.array(rows))


def test_the_russian_is_encoded_once_for_both_alignments() -> None:
    ru = make_document("\n".join(RU_TEXTS), "ru", presplit=True)
    a = make_document("\n".join(A_TEXTS), "en", presplit=True)
    b = make_document("\n".join(B_TEXTS), "en", presplit=True)
    encoder = CountingEncoder()
    first, second = align_pair_of_translations(ru, a, b, encoder=encoder)
    assert all(encoder.seen[t] == 1 for t in RU_TEXTS)
    assert first.signature == second.signature
    assert first.signature.encoder == "counting"
    assert len(second.tgt.sentences) == 6
    wrapped = SharedSourceEncoder(encoder, RU_TEXTS)
    assert wrapped.name == "counting"


# --- aligner compare ----------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compare_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args, code, needle in (
        ([str(RU), str(EN)], 2, "--reference"),
        ([str(RU), str(EN), str(EN_B), "--reference", str(EN)], 2, "not both"),
        ([str(RU), str(EN), str(EN_B), "--fail-under", "70"], 2, "NAME=N"),
        ([str(RU), str(EN), str(EN_B), "--fail-under", "ter=50"], 2, "TER"),
        ([str(RU), str(EN), str(EN_B), "-o", str(tmp_path / "x")], 2, "--output"),
    ):
        exit_code, out, err = run("compare", *args)
        assert exit_code == code, err
        assert out == "" and len(err.strip().splitlines()) == 1 and needle in err


def test_compare_with_an_empty_document_is_one_line(tmp_path: Path) -> None:
    blank = tmp_path / "blank.en.txt"
    blank.write_text("\n\n", encoding="utf-8")
    code, out, err = run("compare", str(RU), str(EN), str(blank))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "blank.en.txt" in err


@pytest.mark.slow
def test_compare_demo_translations(tmp_path: Path) -> None:
    out_path = tmp_path / "cmp.json"
    code, _, err = run("compare", str(RU), str(EN), str(EN_B), "-f", "json", "-o",
                       str(out_path), "--fail-on", "critical")
    assert code == 1 and "at or above critical" in err
    report = json.loads(out_path.read_text(encoding="utf-8"))
    assert [m["name"] for m in report["metrics"]] == ["BLEU", "chrF", "TER"]
    assert all("version:" in m["signature"] for m in report["metrics"])
    rows = report["rows"]
    # B joins Russian sentences 3 and 4 in one English sentence: one row holds both.
    assert [3, 4] in [r["src_idx"] for r in rows]
    thirty = next(r for r in rows if "30,000" in r["a_text"])
    (diff,) = [d for d in thirty["differences"] if d["check"] == "compare.numbers"]
    (s0, s1), (t0, t1) = diff["src_spans"][0], diff["tgt_spans"][0]
    assert thirty["a_text"][s0:s1] == "30,000" and thirty["b_text"][t0:t1] == "20,000"
    dropped = next(r for r in rows if not r["a_text"])
    assert [d["check"] for d in dropped["a_only"]] == ["omission.v1"]
    assert dropped["b_adequacy"] > dropped["a_adequacy"] == 0.0
    assert report["a"]["document_score"] < report["b"]["document_score"]


@pytest.mark.slow
def test_compare_with_a_text_that_translates_something_else_is_an_error() -> None:
    unrelated = ROOT / "tests" / "fixtures" / "compare" / "unrelated.en.txt"
    code, out, err = run("compare", str(RU), str(EN), str(unrelated))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "B (unrelated.en.txt) does not look like a translation of comment.ru.txt" in err
    assert "--force" in err
