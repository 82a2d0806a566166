"""The document score, reviews of alignments and line pairs, re-scoring saved runs, and the
``aligner score`` command."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aligner import __version__
from aligner.check import CheckReport, Finding, check_pairs, pairs_from_alignment
from aligner.checks import Category, Divergence, Pair, Severity
from aligner.cli import app
from aligner.confidence import ConfidenceModel
from aligner.encoders.base import Encoder, Matrix, l2_normalise
from aligner.errors import FormatError, InputError
from aligner.io.jsonl import parse_alignment_jsonl, render_jsonl
from aligner.review import Adequacy
from aligner.scoring import (
    WEIGHTS,
    confidence_histogram,
    document_score,
    kept_pair_vectors,
    load_saved,
    parse_signature,
    review_alignment,
    review_pairs,
    score_adequacy,
)
from aligner.types import Alignment, Bead, Document, Sentence, SentenceVectors, Signature

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
RU, EN = DEMO / "comment.ru.txt", DEMO / "comment.en.txt"

RU_TEXTS = [
    "Россия и США продлили Договор на пять лет.",
    "Российская сторона неоднократно предлагала начать диалог.",
    "К сожалению, ответа не было.",
    "Число военнослужащих выросло на 20 тыс. человек.",
    "Россия не намерена втягиваться в гонку вооружений.",
    "Наши предложения остаются в силе.",
]
EN_TEXTS = [
    "Russia and the United States extended the Treaty for five years.",
    "The Russian side has repeatedly proposed to launch a dialogue.",
    "Unfortunately, there was no answer.",
    "The number of troops grew by 20,000.",
    "Russia does not intend to be drawn into an arms race.",
    "Our proposals remain on the table.",
]

runner = CliRunner()


def signature() -> Signature:
    """A signature this version accepts when a saved run is re-scored."""
    return Signature(__version__, "fake", (("band", "8"), ("conf", ConfidenceModel.load().version)))


def document(texts: list[str], lang: str) -> Document:
    sentences, position = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(index, text, position, position + len(text), index // 2))
        position += len(text) + 1
    return Document("\n".join(texts), tuple(sentences), lang, path=f"doc.{lang}")


def alignment(beads: list[Bead], en: list[str] | None = None) -> Alignment:
    return Alignment(document(RU_TEXTS, "ru"), document(en or EN_TEXTS, "en"), tuple(beads),
                     signature())


def clean() -> Alignment:
    return alignment([Bead((i,), (i,), 0.8, 0.95) for i in range(6)])


def corrupted() -> Alignment:
    """The English drops sentence 2 and the aligner is less sure of the rest."""
    en = [t for k, t in enumerate(EN_TEXTS) if k != 2]
    beads = [Bead((0,), (0,), 0.8, 0.9), Bead((1,), (1,), 0.7, 0.8), Bead((2,), (), 0.0, 0.7),
             Bead((3,), (2,), 0.6, 0.6), Bead((4,), (3,), 0.7, 0.7), Bead((5,), (4,), 0.8, 0.9)]
    return alignment(beads, en)


def given(al: Alignment, score: float) -> tuple[Adequacy, ...]:
    return tuple(Adequacy(0.0 if b.is_null else score, (("similarity", score - 60.0),))
                 for b in al.beads)


def test_a_corrupted_document_scores_lower_than_a_clean_one() -> None:
    good = review_alignment(clean(), adequacy=given(clean(), 80.0))
    bad = review_alignment(corrupted(), adequacy=given(corrupted(), 60.0))
    assert good.document is not None and bad.document is not None
    assert bad.document.score < good.document.score - 10
    # The dropped sentence is an omission finding and a null bead.
    assert any(f.divergence.check == "omission.v1" for f in bad.report.findings)
    figures = dict(bad.document.components)
    assert figures["share_null"] == pytest.approx(1 / 11, abs=1e-4)
    assert figures["coverage_factor"] == pytest.approx(10 / 11, abs=1e-4)


def test_the_score_is_the_documented_weighted_geometric_mean() -> None:
    review = review_alignment(corrupted(), adequacy=given(corrupted(), 60.0))
    assert review.document is not None
    figures = dict(review.document.components)
    shares = figures["share_1_1"] + figures["share_n_m"] + figures["share_null"]
    assert shares == pytest.approx(1.0)
    expected = 100.0
    for name, weight in WEIGHTS:
        expected *= figures[f"{name}_factor"] ** weight
    assert review.document.score == pytest.approx(expected, abs=0.06)
    assert figures["adequacy_mean"] == pytest.approx(60.0)  # null beads are left out
    counts = review.report.counts()
    penalty = 3 * counts["critical"] + counts["major"] + 0.25 * counts["minor"]
    assert figures["findings_factor"] == pytest.approx(math.exp(-penalty / 6), abs=1e-4)


def test_signature_names_checks_adequacy_and_definition() -> None:
    review = review_alignment(clean(), adequacy=given(clean(), 80.0), include=["numbers"])
    assert review.signature.startswith(str(signature()))
    assert review.signature.endswith("|checks:numbers.v1|adequacy:given|doc:1")


def test_every_null_document_scores_zero() -> None:
    beads = [Bead((i,), (), 0.0, 0.9) for i in range(6)] + [Bead((), (j,), 0.0, 0.9)
                                                            for j in range(6)]
    al = alignment(beads)
    report = CheckReport(pairs_from_alignment(al), (), ())
    score = document_score(report, given(al, 0.0), alignment=al)
    assert score.score == 0.0
    assert dict(score.components)["share_null"] == 1.0


def test_findings_lower_the_score_by_severity() -> None:
    al = clean()
    pairs = pairs_from_alignment(al)
    finding = Divergence("numbers.v1", Severity.CRITICAL, Category.MISTRANSLATION, "changed")
    minor = Divergence("quotes.v1", Severity.MINOR, Category.LOCALE, "quotes")
    none = document_score(CheckReport(pairs, (), ()), given(al, 80.0), alignment=al)
    one_minor = document_score(CheckReport(pairs, (Finding(0, minor),), ()), given(al, 80.0),
                               alignment=al)
    one_critical = document_score(CheckReport(pairs, (Finding(0, finding),), ()),
                                  given(al, 80.0), alignment=al)
    assert none.score > one_minor.score > one_critical.score


def test_line_pairs_have_no_confidence_factor() -> None:
    pairs = [Pair(k, ru, en) for k, (ru, en) in enumerate(zip(RU_TEXTS, EN_TEXTS, strict=True))]
    review = review_pairs(pairs, adequacy=[Adequacy(70.0)] * len(pairs))
    assert review.document is not None
    figures = dict(review.document.components)
    assert "confidence_factor" not in figures and "confidence_mean" not in figures
    assert review.signature.startswith(f"aligner:{__version__}|aligned:yes|checks:")
    assert confidence_histogram(review) == ()


def test_no_pairs_is_a_one_line_error() -> None:
    with pytest.raises(InputError, match="no sentence pairs"):
        review_pairs([], adequacy=[])


def test_confidence_histogram_counts_every_bead() -> None:
    review = review_alignment(corrupted(), adequacy=given(corrupted(), 60.0))
    histogram = confidence_histogram(review)
    assert len(histogram) == 10 and sum(histogram) == 6
    assert histogram[6] == 1 and histogram[9] == 2 and histogram[7] == 2


def test_signature_parses_back() -> None:
    text = str(signature())
    assert str(parse_signature(text)) == text
    with pytest.raises(ValueError):
        parse_signature("nrefs:1|case:mixed")


# --- saved runs ---------------------------------------------------------------------------


def test_a_saved_run_is_read_back_with_its_beads_and_texts() -> None:
    al = alignment([Bead((0, 1), (0, 1), 0.8, 0.9), Bead((2,), (), 0.0, 0.8),
                    Bead((3,), (2, 3), 0.7, 0.7), Bead((4, 5), (4, 5), 0.6, 0.6)])
    records = parse_alignment_jsonl(render_jsonl(al))
    back, pairs = load_saved(records, source="run.jsonl")
    assert back.beads == al.beads
    assert back.signature == al.signature
    assert [s.text for s in back.src.sentences] == RU_TEXTS
    assert [(p.src, p.tgt) for p in pairs] == [(p.src, p.tgt) for p in pairs_from_alignment(al)]
    review = review_alignment(al, adequacy=given(al, 70.0))
    again = review_alignment(back, adequacy=given(back, 70.0))
    assert again.document == review.document


def test_a_saved_run_from_another_version_is_refused_unless_forced() -> None:
    al = clean()
    old = Alignment(al.src, al.tgt, al.beads,
                    Signature("0.0.1", "fake", (("conf", "19990101"),)))
    records = parse_alignment_jsonl(render_jsonl(old))
    with pytest.raises(FormatError, match="incompatible version") as caught:
        load_saved(records, source="old.jsonl")
    assert "aligner 0.0.1" in str(caught.value) and "--force" in str(caught.value)
    assert "\n" not in str(caught.value)
    back, _ = load_saved(records, source="old.jsonl", force=True)
    assert back.signature.version == "0.0.1"


def test_a_saved_run_without_signature_or_beads_is_refused() -> None:
    lines = [json.loads(line) for line in render_jsonl(clean()).splitlines()]
    lines[2].pop("signature")
    records = parse_alignment_jsonl("".join(json.dumps(r) + "\n" for r in lines))
    with pytest.raises(FormatError, match="no signature") as caught:
        load_saved(records, source="x.jsonl")
    assert caught.value.where == "x.jsonl:3"
    with pytest.raises(InputError, match="no beads"):
        load_saved((), source="empty.jsonl")
    gap = parse_alignment_jsonl(render_jsonl(clean()))[0:6:2]
    with pytest.raises(FormatError, match="leave source sentence 1 out"):
        load_saved(gap, source="gap.jsonl")


# --- aligner score ------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_score_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args, needle in (
        ([], "RU EN"),
        ([str(RU), str(EN), "--alignment", str(tmp_path / "a.jsonl")], "not both"),
        ([str(RU), str(EN), "--explain", "-f", "json"], "--explain"),
        ([str(RU), str(EN), "-o", str(tmp_path / "x")], "--output"),
    ):
        code, _, err = run("score", *args)
        assert code == 2, err
        assert len(err.strip().splitlines()) == 1 and needle in err


def test_score_refuses_an_incompatible_or_empty_alignment_file(tmp_path: Path) -> None:
    al = clean()
    old = Alignment(al.src, al.tgt, al.beads, Signature("0.0.1", "fake", (("conf", "1"),)))
    path = tmp_path / "old.jsonl"
    path.write_text(render_jsonl(old), encoding="utf-8")
    code, out, err = run("score", "--alignment", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "incompatible version" in err and "--force" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, err = run("score", "--alignment", str(empty))
    assert code == 1 and "no beads" in err


def test_score_of_an_empty_document_is_one_line(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n", encoding="utf-8")
    code, _, err = run("score", str(RU), str(blank))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "blank.txt" in err


@pytest.mark.slow
def test_score_demo_json_and_fail_under() -> None:
    code, out, err = run("score", str(RU), str(EN), "-f", "json", "--fail-under", "100")
    assert code == 1 and "below --fail-under 100" in err
    report = json.loads(out)
    assert 0 < report["document_score"] < 100
    assert "|adequacy:" in report["signature"] and report["signature"].endswith("|doc:1")
    assert "|checks:" in report["signature"]
    quality = report["quality"]
    assert quality["sentences"] == {"src": 13, "tgt": 12}
    assert sum(b["beads"] for b in quality["confidence"]["histogram"]) == quality["beads"]
    assert quality["findings"]["critical"] >= 3
    pairs = report["pairs"]
    assert all(0 <= p["adequacy"] <= 100 for p in pairs)
    dropped = next(p for p in pairs if not p["tgt_text"])
    assert dropped["adequacy"] == 0.0
    negation = next(p for p in pairs if p["tgt_text"].startswith("Russia intends"))
    assert negation["adequacy_contributions"]["findings"] < 0


@pytest.mark.slow
def test_score_a_saved_run_with_explanations(tmp_path: Path) -> None:
    saved = tmp_path / "run.jsonl"
    saved.write_text(render_jsonl(corrupted()), encoding="utf-8")
    code, out, err = run("score", "--alignment", str(saved), "--explain", "--fail-under", "1")
    assert code == 0, err
    assert out.startswith("document score ")
    assert "(5 1-1, 1 1-0)" in out
    assert "#2   1-0    0.0  null bead" in out and "signature: aligner:" in out
    assert max(len(line) for line in out.splitlines()) <= 80


class RecordingEncoder(Encoder):
    """Named like USE so the adequacy model takes its vectors; records what it encodes."""

    name = "use-m3"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Matrix:
        self.calls.append(list(texts))
        rows = [np.random.default_rng(len(t) * 7919 + t.count(" ")).normal(size=512)
                for t in texts]
        return l2_normalise(np.array(rows))


def test_adequacy_reuses_the_alignments_sentence_vectors() -> None:
    encoder = RecordingEncoder()
    texts = RU_TEXTS + EN_TEXTS
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    beads = [Bead((0,), (0,), 0.8, 0.9), Bead((1, 2), (1, 2), 0.7, 0.8), Bead((3,), (), 0, 0.7),
             Bead((4,), (3,), 0.6, 0.6), Bead((5,), (4, 5), 0.7, 0.7)]
    plain = alignment(beads)
    kept = replace(plain, vectors=SentenceVectors("use-m3", vectors[:6], vectors[6:]))
    report = check_pairs(pairs_from_alignment(kept))
    encoder.calls.clear()
    reused, _ = score_adequacy(report, encoder=encoder, alignment=kept)
    # Only the two multi-sentence beads' joined texts are encoded, in one call.
    assert len(encoder.calls) == 1 and len(encoder.calls[0]) == 4
    assert "Россия и США" not in " ".join(encoder.calls[0])
    encoder.calls.clear()
    fresh, _ = score_adequacy(report, encoder=encoder, alignment=plain)
    assert len(encoder.calls[0]) == 8  # no kept vectors: every live side is encoded
    assert [a.score for a in reused] == pytest.approx([a.score for a in fresh], abs=0.05)
    assert reused[2].score == 0.0  # the null bead
    other = replace(plain, vectors=SentenceVectors("labse", vectors[:6], vectors[6:]))
    assert kept_pair_vectors(report, other, encoder, "use-m3") is None
    assert kept_pair_vectors(report, kept, None, "use-m3") is None  # merges need an encoder


def test_align_documents_keeps_the_sentence_vectors_it_searched() -> None:
    from aligner.pipeline import align_documents

    encoder = RecordingEncoder()
    result = align_documents(document(RU_TEXTS, "ru"), document(EN_TEXTS, "en"),
                             encoder=encoder)
    assert result.vectors is not None and result.vectors.encoder == "use-m3"
    assert result.vectors.src.shape == (6, 512) and result.vectors.tgt.shape == (6, 512)
    expected = encoder.encode(EN_TEXTS[2:3])[0]
    assert result.vectors.tgt[2] == pytest.approx(expected, abs=1e-6)
    assert replace(result, vectors=None) == result  # vectors do not take part in equality
