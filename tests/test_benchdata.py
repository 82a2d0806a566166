"""The bench's dataset builders (scripts/benchdata.py), on tiny synthetic inputs only.

Nothing here reads ../shared: the builders are pure functions of text, so these tests run on
a fresh clone.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "benchdata.py"
_SPEC = importlib.util.spec_from_file_location("benchdata", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
benchdata = importlib.util.module_from_spec(_SPEC)
sys.modules["benchdata"] = benchdata  # dataclasses look their module up by name
_SPEC.loader.exec_module(benchdata)

BenchDataError = benchdata.BenchDataError
SentencePair = benchdata.SentencePair


def ru_sentence(i: int) -> str:
    if i % 3 == 2:  # no "; " or ", ": cannot be split
        return f"Делегация {i} поддерживает проект резолюции."
    return (f"Делегация {i} приветствует доклад Генерального секретаря, "
            f"который был принят консенсусом {i} мая.")


def en_sentence(i: int) -> str:
    if i % 3 == 2:
        return f"Delegation {i} supports the draft resolution."
    return (f"Delegation {i} welcomes the report of the Secretary-General, "
            f"which was adopted by consensus on {i} May.")


def make_pairs(n: int, paragraph_size: int = 3) -> tuple[Any, ...]:
    return tuple(
        SentencePair(ru_sentence(i), en_sentence(i), i // paragraph_size, i // paragraph_size)
        for i in range(n)
    )


def assert_edits_reproduce(pairs, beads, src_filler=(), tgt_filler=()) -> None:
    """Every bead's joined sentences are its original sentences; fillers only where
    inserted; every original sentence is in exactly one bead (unless omitted)."""
    seen: list[int] = []
    for bead in beads:
        if bead.edit in ("insert_src", "insert_tgt"):
            assert bead.origin == ()
            assert len(bead.src) + len(bead.tgt) == 1
            text = bead.src[0] if bead.src else bead.tgt[0]
            assert text in (src_filler if bead.src else tgt_filler)
            continue
        seen.extend(bead.origin)
        want_src = " ".join(pairs[j].src for j in bead.origin)
        want_tgt = " ".join(pairs[j].tgt for j in bead.origin)
        assert " ".join(bead.src) == ("" if bead.edit == "omit_src" else want_src)
        assert " ".join(bead.tgt) == ("" if bead.edit == "omit_tgt" else want_tgt)
        assert len(bead.src) == len(bead.src_paragraphs)
        assert len(bead.tgt) == len(bead.tgt_paragraphs)
    assert seen == list(range(len(pairs)))


EXPECTED_KIND = {
    None: "1-1",
    "merge_src": "1-2",
    "merge_tgt": "2-1",
    "split_tgt": "1-2",
    "omit_src": "0-1",
    "omit_tgt": "1-0",
    "insert_src": "1-0",
    "insert_tgt": "0-1",
}


# --- check_gold and BenchDoc ------------------------------------------------------------------


def test_check_gold_accepts_monotone_covering_beads():
    benchdata.check_gold((((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), ())), 4, 3)


@pytest.mark.parametrize(
    ("gold", "n_src", "n_tgt", "message"),
    [
        ((((0,), (0,)), ((2,), (1,))), 3, 2, "expected it to start at 1"),
        ((((0,), (0,)), ((0,), (1,))), 1, 2, "expected it to start at 1"),
        ((((1,), (0,)), ((0,), (1,))), 2, 2, "start at 0"),
        ((((0,), (0,)), ((), ())), 1, 1, "empty on both sides"),
        ((((0,), (0,)),), 2, 1, "covers 1 source"),
        ((((0, 2), (0,)),), 3, 1, "consecutive"),
    ],
)
def test_check_gold_rejects(gold, n_src, n_tgt, message):
    with pytest.raises(BenchDataError, match=message):
        benchdata.check_gold(gold, n_src, n_tgt)


def test_swapped_gold_direction_fails_at_load():
    # gold.en-ru indexes English on the left; reading it as ru-en must not pass silently.
    gold = [((0, 1), (0,)), ((2,), (1,))]
    doc = benchdata.line_pair_doc("books", "en", "ru", ["a", "b", "c"], ["а", "б"], gold)
    assert doc.bead_kinds == {"1-1": 1, "2-1": 1}
    with pytest.raises(BenchDataError, match="direction"):
        benchdata.line_pair_doc("books", "ru", "en", ["а", "б"], ["a", "b", "c"], gold)
    swapped = benchdata.swap_sides(doc)
    assert swapped.src_lines == ("а", "б")
    assert swapped.gold == (((0,), (0, 1)), ((1,), (2,)))


def test_published_gold_may_skip_sentences_and_go_backwards():
    # As the Text+Berg dev gold: a target sentence in no bead, a null bead out of order.
    gold = [((0,), (0,)), ((1,), (2, 3)), ((), (1,)), ((2,), (5,))]
    with pytest.raises(BenchDataError):
        benchdata.line_pair_doc("tb", "de", "fr", list("abc"), list("uvwxyz"), gold)
    doc = benchdata.line_pair_doc("tb", "de", "fr", list("abc"), list("uvwxyz"), gold,
                                  require_monotone=False)
    assert benchdata.gold_notes(doc) == [
        "1 target sentence(s) in no gold bead: 4",
        "1 place(s) where target indices go backwards",
    ]
    cut = benchdata.head(doc, 2)
    assert (len(cut.src_lines), len(cut.tgt_lines)) == (2, 4)
    assert cut.gold == (((0,), (0,)), ((1,), (2, 3)), ((), (1,)))


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ([((0,), (0,)), ((1,), (2,))], "target index 2"),
        ([((0,), (0,)), ((1,), (0,))], "more than one"),
        ([((0,), (0,)), ((), ())], "empty on both sides"),
    ],
)
def test_bench_doc_rejects_gold_out_of_range_or_reused(gold, message):
    with pytest.raises(BenchDataError, match=message):
        benchdata.line_pair_doc("x", "de", "fr", ["a", "b"], ["c", "d"], gold,
                                require_monotone=False)


def test_bench_doc_rejects_empty_sentences_and_bad_paragraphs():
    with pytest.raises(BenchDataError, match="empty"):
        benchdata.line_pair_doc("x", "ru", "en", [" "], ["a"], [((0,), (0,))])
    with pytest.raises(BenchDataError, match="paragraph ids"):
        benchdata.BenchDoc("x", "ru", "en", ("а",), ("a",), (((0,), (0,)),), (0, 0), (0,))


def test_split_lines_cuts_only_at_newlines():
    assert benchdata.split_lines("один\u2028два\nтри\n") == ("один\u2028два", "три")
    assert benchdata.split_lines("a\r\nb") == ("a", "b")
    assert benchdata.split_lines("") == ()


def test_presplit_text_marks_paragraphs_with_blank_lines():
    lines = ["А.", "Б.", "В."]
    assert benchdata.presplit_text(lines) == "А.\nБ.\nВ.\n"
    assert benchdata.presplit_text(lines, [0, 0, 1]) == "А.\nБ.\n\nВ.\n"


# --- Splits and edits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Council, having considered the report, decided to extend the mandate.",
        "The mission was extended; the Council will review it in June of next year.",
    ],
)
def test_split_point_halves_join_back(text):
    cut = benchdata.split_point(text)
    assert cut is not None
    left, right = text[:cut], text[cut + 1 :]
    assert f"{left} {right}" == text
    assert left.endswith((",", ";"))
    assert min(len(left), len(right)) >= 0.25 * len(text)


@pytest.mark.parametrize(
    "text",
    ["The Council decided to extend the mandate.", "Yes, the Council decided to extend it."],
)
def test_split_point_refuses_lopsided_or_impossible_cuts(text):
    assert benchdata.split_point(text) is None


def test_apply_edits_makes_every_kind_with_exact_gold():
    pairs = make_pairs(60)
    src_filler = ("Посторонняя фраза другого документа.",)
    tgt_filler = ("An unrelated sentence from another document.",)
    beads = benchdata.apply_edits(
        pairs, random.Random(1), n_edits=14, src_filler=src_filler, tgt_filler=tgt_filler
    )
    assert_edits_reproduce(pairs, beads, src_filler, tgt_filler)
    edits = Counter(bead.edit for bead in beads if bead.edit)
    assert set(edits) == set(benchdata.UN_EDIT_WEIGHTS)
    assert sum(edits.values()) == 14
    doc = benchdata.doc_from_beads("t", "ru", "en", beads)
    for (src, tgt), bead in zip(doc.gold, beads, strict=True):
        assert tuple(doc.src_lines[i] for i in src) == bead.src
        assert tuple(doc.tgt_lines[i] for i in tgt) == bead.tgt
        assert f"{len(src)}-{len(tgt)}" == EXPECTED_KIND[bead.edit]


def test_merges_stay_inside_a_paragraph():
    pairs = make_pairs(40, paragraph_size=2)
    beads = benchdata.apply_edits(
        pairs, random.Random(3), n_edits=10, weights={"merge_src": 1.0, "merge_tgt": 1.0}
    )
    merges = [bead for bead in beads if bead.edit]
    assert merges
    for bead in merges:
        first, second = bead.origin
        assert pairs[first].src_paragraph == pairs[second].src_paragraph


def test_insertions_are_skipped_without_filler_and_quota_passes_on():
    pairs = make_pairs(30)
    beads = benchdata.apply_edits(
        pairs, random.Random(0), n_edits=6, weights={"insert_tgt": 1.0, "omit_tgt": 1.0}
    )
    assert Counter(bead.edit for bead in beads if bead.edit) == {"omit_tgt": 6}


def test_apply_edits_is_deterministic_and_leaves_inputs_alone():
    pairs = make_pairs(50)
    before = list(pairs)
    first = benchdata.apply_edits(pairs, random.Random(7), n_edits=8, tgt_filler=("X y.",))
    second = benchdata.apply_edits(pairs, random.Random(7), n_edits=8, tgt_filler=("X y.",))
    assert first == second
    assert list(pairs) == before


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=40),
    rate=st.floats(min_value=0.0, max_value=0.6),
    seed=st.integers(min_value=0, max_value=2**32),
    paragraph_size=st.integers(min_value=1, max_value=5),
)
def test_synthetic_gold_is_monotone_and_covering(n, rate, seed, paragraph_size):
    pairs = make_pairs(n, paragraph_size)
    beads = benchdata.apply_edits(
        pairs, random.Random(seed), n_edits=round(rate * n),
        src_filler=("Чужая фраза.",), tgt_filler=("A stray sentence.",),
    )
    assert_edits_reproduce(pairs, beads, ("Чужая фраза.",), ("A stray sentence.",))
    doc = benchdata.doc_from_beads("p", "ru", "en", beads)  # checks the gold itself
    assert sum(1 for bead in beads if bead.edit) <= round(rate * n)
    for paragraphs in (doc.src_paragraphs, doc.tgt_paragraphs):
        assert list(paragraphs) == sorted(paragraphs)
        assert not paragraphs or (paragraphs[0] == 0 and set(paragraphs) == set(
            range(paragraphs[-1] + 1)))


# --- head / limit ---------------------------------------------------------------------------


def test_head_and_limit_cut_whole_beads():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3, 4))]
    doc = benchdata.line_pair_doc("d", "ru", "en", list("абвг"), list("abcde"), gold)
    cut = benchdata.head(doc, 2)
    assert cut.gold == (((0,), (0,)),)
    cut = benchdata.head(doc, 3)
    # The target-only bead right after the cut needs no source sentence: it stays.
    assert (cut.src_lines, cut.tgt_lines) == (tuple("абв"), tuple("abc"))
    assert benchdata.head(doc, 10) is doc
    docs = benchdata.limit_docs([doc, doc, doc], 6)
    assert [len(d.src_lines) for d in docs] == [4, 1, 1]  # what the cut left, the next gets


# --- UN devset --------------------------------------------------------------------------------


def make_un_devset(n_docs: int, seed: int = 5) -> tuple[list[str], list[str], list[str]]:
    """A devset-shaped sample: documents of 1-12 sentences, lines in shuffled order."""
    rng = random.Random(seed)
    rows = []
    counter = 0
    for d in range(n_docs):
        symbol = f"2015/a/69/{700 + d}"
        for s in range(rng.randint(1, 12)):
            paragraph = 3 + s // 2
            ids = (f"{symbol} ar:{paragraph}:{1 + s % 2} en:{paragraph + 1}:{1 + s % 2} "
                   f"ru:{paragraph}:{1 + s % 2} zh:1:1")
            rows.append((ids, ru_sentence(counter), en_sentence(counter)))
            counter += 1
    rng.shuffle(rows)
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def test_group_un_documents_orders_by_position():
    ids = ["2015/b x:1:1 en:2:2 ru:2:2", "2015/a en:1:1 ru:1:1", "2015/b en:2:1 ru:2:1"]
    docs = benchdata.group_un_documents(ids, ["р1", "р2", "р3"], ["e1", "e2", "e3"])
    assert [doc.symbol for doc in docs] == ["2015/a", "2015/b"]
    assert [pair.tgt for pair in docs[1].pairs] == ["e3", "e1"]
    assert docs[1].pairs[0].src_paragraph == ("2015/b", 2)


def test_group_un_documents_reports_bad_lines():
    with pytest.raises(BenchDataError, match="line 1"):
        benchdata.group_un_documents(["2015/a en:x ru:1:1"], ["р"], ["e"])
    with pytest.raises(BenchDataError, match="parallel"):
        benchdata.group_un_documents(["2015/a en:1:1 ru:1:1"], [], ["e"])


def test_pack_documents_keeps_order_and_sizes():
    ids, ru, en = make_un_devset(80)
    docs = benchdata.group_un_documents(ids, ru, en)
    groups = benchdata.pack_documents(docs, random.Random(2), min_sentences=20,
                                      max_sentences=50)
    assert [doc for group in groups for doc in group] == list(docs)
    sizes = [sum(len(doc.pairs) for doc in group) for group in groups]
    assert all(20 <= size <= 50 for size in sizes[:-1])
    assert sizes[-1] <= 50


def derived_from(line: str, originals: set[str]) -> bool:
    """An original sentence, two originals joined, or a half of an original."""
    if line in originals or any(line in original for original in originals):
        return True
    return any(line.startswith(f"{o} ") and line[len(o) + 1 :] in originals for o in originals)


def test_build_un_synthetic():
    ids, ru, en = make_un_devset(60)
    docs = benchdata.build_un_synthetic(ids, ru, en, seed=4, min_sentences=20, max_sentences=60)
    assert docs == benchdata.build_un_synthetic(ids, ru, en, seed=4, min_sentences=20,
                                                max_sentences=60)
    assert len(docs) > 2
    kinds: Counter[str] = Counter()
    for doc in docs:
        assert (doc.src_lang, doc.tgt_lang) == ("ru", "en")
        assert all(derived_from(line, set(ru)) for line in doc.src_lines)
        assert all(derived_from(line, set(en)) for line in doc.tgt_lines)
        kinds.update(doc.bead_kinds)
    assert sum(len(doc.src_lines) for doc in docs) == pytest.approx(len(ru), rel=0.1)
    edited = sum(count for kind, count in kinds.items() if kind != "1-1")
    assert 0.06 <= edited / sum(kinds.values()) <= 0.2
    assert {"1-2", "2-1", "1-0", "0-1"} <= set(kinds)


def test_un_insertions_come_from_another_document():
    ids, ru, en = make_un_devset(40)
    docs = benchdata.build_un_synthetic(ids, ru, en, seed=9, min_sentences=15, max_sentences=40,
                                        weights={"insert_tgt": 1.0, "insert_src": 1.0})
    by_doc_src = [set(doc.src_lines) for doc in docs]
    for number, doc in enumerate(docs):
        for src, tgt in doc.gold:
            if src and not tgt:  # inserted Russian sentence: from the next document
                line = doc.src_lines[src[0]]
                assert line in by_doc_src[(number + 1) % len(docs)]
                assert sum(line in other for other in by_doc_src) == 2


# --- Speed pair -------------------------------------------------------------------------------


def test_parse_train_tsv_keeps_quotes_and_checks_fields():
    text = 'set\tru\ten\nnews\t"Цитата\tA "quote\nnews\tДа\tYes\n'
    assert benchdata.parse_train_tsv(text) == (("news", '"Цитата', 'A "quote'),
                                               ("news", "Да", "Yes"))
    with pytest.raises(BenchDataError, match="line 2"):
        benchdata.parse_train_tsv("set\tru\ten\nonly\ttwo\n")


def test_build_speed_pair_grows_the_english_side():
    rows = [("news", ru_sentence(i), en_sentence(i)) for i in range(80)]
    rows.insert(5, ("news", "", "Empty Russian side."))
    doc = benchdata.build_speed_pair(rows, n_src=60, n_extra=12, seed=1)
    assert len(doc.src_lines) == 60
    assert len(doc.tgt_lines) == 72
    assert set(doc.bead_kinds) == {"1-1", "1-2", "0-1"}
    assert "Empty Russian side." not in doc.tgt_lines
    half = benchdata.head(doc, 30)
    assert len(half.src_lines) == 30
    with pytest.raises(BenchDataError, match="need 100"):
        benchdata.build_speed_pair(rows, n_src=100)


def test_docs_from_bead_texts_split_each_side_and_keep_the_grouping():
    beads = [("One. Two.", "Один и два."), ("Three.", "Три. Четыре."), ("Five.", "")]
    split = lambda text: [part.strip() + "." for part in text.split(".") if part.strip()]  # noqa: E731
    docs = benchdata.docs_from_bead_texts("books", "en", "ru", beads, split, split,
                                          beads_per_doc=2)
    assert [doc.name for doc in docs] == ["books-00", "books-01"]
    assert docs[0].gold == (((0, 1), (0,)), ((2,), (1, 2)))
    assert docs[0].src_lines == ("One.", "Two.", "Three.")
    assert docs[1].gold == (((0,), ()),)


def test_build_news_synthetic_uses_only_the_named_sets():
    rows = [("news-a", ru_sentence(i), en_sentence(i)) for i in range(200)]
    rows += [("other", "Чужое предложение.", "A foreign sentence.")] * 50
    docs = benchdata.build_news_synthetic(rows, ("news-a",), seed=1, min_sentences=40,
                                          max_sentences=60)
    assert docs and all(doc.name.startswith("news-") for doc in docs)
    assert all("A foreign sentence." not in doc.tgt_lines for doc in docs)
    for doc in docs:
        benchdata.check_gold(doc.gold, len(doc.src_lines), len(doc.tgt_lines))
    assert docs == benchdata.build_news_synthetic(rows, ("news-a",), seed=1, min_sentences=40,
                                                  max_sentences=60)


def test_block_omissions_turn_runs_of_beads_into_source_nulls():
    pairs = [SentencePair(ru_sentence(i), en_sentence(i)) for i in range(60)]
    doc = benchdata.doc_from_beads("un-x", "ru", "en",
                                   benchdata.apply_edits(pairs, random.Random(3), n_edits=0))
    cut = benchdata.with_block_omissions(doc, random.Random(4), blocks=2, min_size=5,
                                         max_size=5)
    assert len(cut.src_lines) == 60 and len(cut.tgt_lines) == 50
    assert cut.bead_kinds == {"1-1": 50, "1-0": 10}
    benchdata.check_gold(cut.gold, 60, 50)
