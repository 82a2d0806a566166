"""Strict and lax P/R/F1 against gold beads, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import FormatError, InputError, UsageError
from aligner.io import write_alignment
from aligner.io.beads import BeadPair
from aligner.quality import (
    AlignmentScores,
    MatchCounts,
    TypeRecall,
    evaluate_paths,
    score_beads,
    score_documents,
)
from aligner.types import Alignment, Bead, Document, Sentence, Signature


def beads(*pairs: tuple[list[int], list[int]]) -> list[BeadPair]:
    return [(tuple(src), tuple(tgt)) for src, tgt in pairs]


def test_mixed_document_by_hand() -> None:
    gold = beads(([0], [0]), ([1, 2], [1]), ([3], []), ([], [2]), ([4], [3, 4]))
    test = beads(([0], [0]), ([1], [1]), ([2], []), ([3], [2]), ([4], [3]), ([], [4]))
    scores = score_beads(gold, test)
    # Precision, all 6 test beads against all gold beads. Gold links: 0-0, 1-1, 2-1, 4-3, 4-4.
    #   [0]:[0]  exact                      strict + lax
    #   [1]:[1]  link 1-1 is gold           lax
    #   [2]:[]   null, not in gold          -
    #   [3]:[2]  link 3-2 is not gold       -   ([3]:[] and []:[2] make no links)
    #   [4]:[3]  link 4-3 is gold           lax
    #   []:[4]   null, not in gold          -
    # -> strict 1/6, lax 3/6.
    assert scores.precision_strict == pytest.approx(1 / 6)
    assert scores.precision_lax == pytest.approx(1 / 2)
    # Recall, the 3 non-null gold beads against the 4 non-null test beads
    # (test links: 0-0, 1-1, 3-2, 4-3):
    #   [0]:[0]     exact                   strict + lax
    #   [1, 2]:[1]  shares link 1-1         lax
    #   [4]:[3, 4]  shares link 4-3         lax
    # -> strict 1/3, lax 3/3.
    assert scores.recall_strict == pytest.approx(1 / 3)
    assert scores.recall_lax == 1.0
    # F1 strict = 2 * 1/6 * 1/3 / (1/6 + 1/3) = (1/9) / (1/2) = 2/9; lax = 2 * .5 * 1 / 1.5.
    assert scores.f1_strict == pytest.approx(2 / 9)
    assert scores.f1_lax == pytest.approx(2 / 3)
    assert scores.counts == MatchCounts(test=6, test_strict=1, test_lax=3,
                                        gold=3, gold_strict=1, gold_lax=3)
    # Per gold type; the null gold beads [3]:[] and []:[2] are not in the test.
    assert scores.by_type == (
        TypeRecall("0-1", 1, 0, 0), TypeRecall("1-0", 1, 0, 0), TypeRecall("1-1", 1, 1, 1),
        TypeRecall("1-2", 1, 0, 1), TypeRecall("2-1", 1, 0, 1))
    assert scores.documents == 1


def test_null_beads_count_for_precision_only() -> None:
    gold = beads(([0], [0]), ([1], []))
    # Found the deletion: precision 2/2. Recall drops the null bead: 1/1.
    found = score_beads(gold, beads(([0], [0]), ([1], [])))
    assert (found.precision_strict, found.recall_strict) == (1.0, 1.0)
    assert found.recall_by_type()["1-0"] == TypeRecall("1-0", 1, 1, 1)
    # Missed it by gluing sentence 1 to the 1-1 bead: [0, 1]:[0] is lax-right (link 0-0)
    # but not strict. Precision strict 0/1, lax 1/1; recall strict 0/1, lax 1/1.
    glued = score_beads(gold, beads(([0, 1], [0]),))
    assert (glued.precision_strict, glued.precision_lax) == (0.0, 1.0)
    assert (glued.recall_strict, glued.recall_lax) == (0.0, 1.0)
    assert glued.recall_by_type()["1-0"] == TypeRecall("1-0", 1, 0, 0)
    # A null test bead that is not in gold is wrong even laxly: it makes no links.
    spurious = score_beads(beads(([0], [0])), beads(([0], [0]), ([], [0])))
    assert (spurious.precision_strict, spurious.precision_lax) == (0.5, 0.5)
    assert spurious.recall_strict == 1.0


def test_many_to_many() -> None:
    # Gold 2-2 [0, 1]:[0, 1] makes links 0-0, 0-1, 1-0, 1-1.
    # Test [0]:[1] and [1]:[0] (a crossing pair) each share a link: lax 2/2, strict 0/2.
    # Recall: the gold bead shares link 0-1 with the test: lax 1/1, strict 0/1.
    scores = score_beads(beads(([0, 1], [0, 1])), beads(([0], [1]), ([1], [0])))
    assert (scores.precision_strict, scores.precision_lax) == (0.0, 1.0)
    assert (scores.recall_strict, scores.recall_lax) == (0.0, 1.0)
    assert scores.f1_strict == 0.0  # 0/0 counts as 0, as in Vecalign
    assert scores.f1_lax == 1.0
    assert scores.by_type == (TypeRecall("2-2", 1, 0, 1),)


def test_lax_needs_one_gold_bead_on_both_sides() -> None:
    # [0]:[1] overlaps gold [0]:[0] on the source side and gold [1]:[1] on the target side,
    # but no single gold bead on both: link 0-1 is not a gold link. Lax 0.
    scores = score_beads(beads(([0], [0]), ([1], [1])), beads(([0], [1]), ([1], [0])))
    assert scores.precision_lax == 0.0 and scores.recall_lax == 0.0


def test_micro_average_over_documents() -> None:
    doc_a = (beads(([0], [0]), ([1], [1])), beads(([0], [0]), ([1], [1])))
    doc_b = (beads(([0], [0]), ([1], [1]), ([2], [2]), ([3], [3])),
             beads(([0, 1], [0, 1]), ([2], [2]), ([3], [3])))
    scores = score_documents([doc_a, doc_b])
    # Precision strict (2 + 2) / (2 + 3) = 4/5; recall strict (2 + 2) / (2 + 4) = 2/3.
    # (Macro-averaging would give precision (1 + 2/3) / 2 = 5/6 instead.)
    assert scores.precision_strict == pytest.approx(4 / 5)
    assert scores.recall_strict == pytest.approx(2 / 3)
    # F1 = 2 * 4/5 * 2/3 / (4/5 + 2/3) = (16/15) / (22/15) = 8/11.
    assert scores.f1_strict == pytest.approx(8 / 11)
    assert scores.precision_lax == 1.0 and scores.recall_lax == 1.0
    assert scores.documents == 2
    assert scores.recall_by_type()["1-1"] == TypeRecall("1-1", 6, 4, 6)


def test_duplicates_and_empty_beads_are_ignored() -> None:
    scores = score_beads(beads(([0], [0]), ([0], [0]), ([], [])),
                         beads(([0], [0]), ([0], [0]), ([], [])))
    assert scores.counts == MatchCounts(1, 1, 1, 1, 1, 1)


def test_nothing_to_score() -> None:
    scores = score_documents([])
    assert scores.documents == 0 and scores.f1_lax == 0.0 and scores.by_type == ()
    only_nulls = score_beads(beads(([], [0])), beads(([], [0])))
    assert only_nulls.precision_strict == 1.0 and only_nulls.recall_strict == 0.0


def test_as_dict() -> None:
    result = score_beads(beads(([0], [0])), beads(([0], [0]))).as_dict()
    assert result["f1_strict"] == 1.0
    assert result["counts"]["gold"] == 1
    assert result["by_type"] == {"1-1": {"gold": 1, "strict": 1, "lax": 1,
                                         "recall_strict": 1.0, "recall_lax": 1.0}}


# --- properties -----------------------------------------------------------------------------

def reference_scores(gold: list[BeadPair], test: list[BeadPair]) -> tuple[float, ...]:
    """Bleualign's formulation, written independently: lax = some *bead* overlaps on both
    sides (rsennrich/Bleualign bleualign/utils.py), with Vecalign's set semantics."""
    def found(bead: BeadPair, pool: set[BeadPair]) -> tuple[bool, bool]:
        if bead in pool:
            return True, True
        return False, any(set(bead[0]) & set(p[0]) and set(bead[1]) & set(p[1])
                          for p in pool)

    gold_set = {b for b in gold if b[0] or b[1]}
    test_set = {b for b in test if b[0] or b[1]}
    precision = [found(b, gold_set) for b in test_set]
    gold_full = {b for b in gold_set if b[0] and b[1]}
    test_full = {b for b in test_set if b[0] and b[1]}
    recall = [found(b, test_full) for b in gold_full]

    def share(hits: list[tuple[bool, bool]], column: int) -> float:
        return sum(h[column] for h in hits) / len(hits) if hits else 0.0

    return share(precision, 0), share(precision, 1), share(recall, 0), share(recall, 1)


def random_beads() -> st.SearchStrategy[list[BeadPair]]:
    side = st.lists(st.integers(0, 6), max_size=3, unique=True).map(lambda s: tuple(sorted(s)))
    return st.lists(st.tuples(side, side), max_size=8)


@settings(max_examples=200, deadline=None)
@given(random_beads(), random_beads())
def test_matches_independent_reference(gold: list[BeadPair], test: list[BeadPair]) -> None:
    scores = score_beads(gold, test)
    expected = reference_scores(gold, test)
    got = (scores.precision_strict, scores.precision_lax, scores.recall_strict,
           scores.recall_lax)
    assert got == pytest.approx(expected)
    assert scores.precision_strict <= scores.precision_lax
    assert scores.recall_strict <= scores.recall_lax
    # Per-type recall over non-null types adds up to the overall recall counts.
    full = [t for t in scores.by_type if "0" not in t.kind.split("-")]
    assert sum(t.gold for t in full) == scores.counts.gold
    assert sum(t.strict for t in full) == scores.counts.gold_strict
    assert sum(t.lax for t in full) == scores.counts.gold_lax


@settings(max_examples=100, deadline=None)
@given(random_beads())
def test_gold_against_itself_is_perfect(gold: list[BeadPair]) -> None:
    scores = score_beads(gold, gold)
    assert scores.precision_strict == (1.0 if any(s or t for s, t in gold) else 0.0)
    assert scores.recall_strict == (1.0 if any(s and t for s, t in gold) else 0.0)


# --- files and directories ------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_evaluate_two_files(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold", "[0]:[0]\n[1, 2]:[1]\n[3]:[]\n")
    test = write(tmp_path / "test", "# signature: x\n[0]:[0]:0.9\n[1]:[1]:0.5\n[2,3]:[]:0.1\n")
    scores = evaluate_paths(gold, test)
    # Precision: [0]:[0] exact, [1]:[1] lax (link 1-1), [2, 3]:[] wrong -> 1/3, 2/3.
    # Recall: [0]:[0] exact, [1, 2]:[1] lax -> 1/2, 2/2.
    assert (scores.precision_strict, scores.precision_lax) == (pytest.approx(1 / 3),
                                                               pytest.approx(2 / 3))
    assert (scores.recall_strict, scores.recall_lax) == (0.5, 1.0)


def test_evaluate_directories_micro_averages(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "001", "[0]:[0]\n[1]:[1]\n")
    write(tmp_path / "gold" / "002", "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n")
    write(tmp_path / "gold" / ".DS_Store", "junk")
    write(tmp_path / "test" / "001", "[0]:[0]\n[1]:[1]\n")
    write(tmp_path / "test" / "002", "[0, 1]:[0, 1]\n[2]:[2]\n[3]:[3]\n")
    scores = evaluate_paths(tmp_path / "gold", tmp_path / "test")
    assert scores.documents == 2
    assert scores.precision_strict == pytest.approx(4 / 5)  # as test_micro_average


def test_evaluate_directories_must_match(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "001", "[0]:[0]\n")
    write(tmp_path / "gold" / "002", "[0]:[0]\n")
    write(tmp_path / "test" / "001", "[0]:[0]\n")
    write(tmp_path / "test" / "003", "[0]:[0]\n")
    with pytest.raises(FormatError) as err:
        evaluate_paths(tmp_path / "gold", tmp_path / "test")
    message = str(err.value)
    assert f"only in {tmp_path / 'gold'}: 002" in message
    assert f"only in {tmp_path / 'test'}: 003" in message


def test_evaluate_path_errors(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold", "[0]:[0]\n[1]:[1\n")
    test = write(tmp_path / "test", "[0]:[0]\n")
    with pytest.raises(FormatError) as err:
        evaluate_paths(gold, test)
    assert err.value.where == f"{gold}:2"
    with pytest.raises(InputError, match="no such file"):
        evaluate_paths(tmp_path / "nope", test)
    (tmp_path / "dir").mkdir()
    with pytest.raises(UsageError, match="two files or two directories"):
        evaluate_paths(tmp_path / "dir", test)


def test_saved_jsonl_run_can_be_rescored(tmp_path: Path) -> None:
    def document(n: int, lang: str) -> Document:
        sentences = tuple(Sentence(i, f"s{i}", 3 * i, 3 * i + 2, 0) for i in range(n))
        return Document(" ".join(s.text for s in sentences), sentences, lang)

    alignment = Alignment(document(3, "ru"), document(2, "en"),
                          (Bead((0,), (0,)), Bead((1, 2), (1,))),
                          Signature("0.1.0", "test"))
    (run,) = write_alignment(alignment, "jsonl", tmp_path / "run.jsonl")
    gold = write(tmp_path / "gold", "[0]:[0]\n[1]:[1]\n[2]:[]\n")
    scores = evaluate_paths(gold, run)
    # Precision: [0]:[0] exact, [1, 2]:[1] lax -> 1/2, 2/2. Recall 1/2, 2/2.
    assert isinstance(scores, AlignmentScores)
    assert (scores.precision_strict, scores.precision_lax) == (0.5, 1.0)
    assert (scores.recall_strict, scores.recall_lax) == (0.5, 1.0)


def test_report_is_a_readable_table() -> None:
    gold = beads(([0], [0]), ([1, 2], [1]), ([3], []))
    text = score_beads(gold, beads(([0], [0]), ([1], [1]), ([2, 3], []))).report()
    assert text.splitlines()[0] == "1 document(s), 3 test beads, 2 non-null gold beads"
    assert "precision    0.3333  0.6667" in text
    assert "recall       0.5000  1.0000" in text
    assert "2-1             1          0.0000       1.0000" in text
