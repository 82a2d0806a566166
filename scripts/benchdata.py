"""Dataset builders for ``scripts/bench_align.py``: aligned document pairs with exact gold.

Every builder here is a pure function of the text it is given (no file access, no global
randomness: synthetic edits draw from a ``random.Random`` the caller seeds), so the tests
build tiny documents without ``../shared``. The bench script reads the files and calls them.

A ``BenchDoc`` is one source/target pair of sentence lists plus its gold beads, indices into
those lists. Its constructor checks that every gold index is in range and used once, so a
wrongly oriented gold file fails loudly at load time. Synthetic gold is also monotone and
covers every sentence (``check_gold``); published gold need not be: the Text+Berg dev gold
leaves two French sentences out and has a few beads out of order, and is scored as published
(``gold_notes`` says where).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

Indices = tuple[int, ...]
GoldBead = tuple[Indices, Indices]

#: Synthetic edit kinds, named from the side they change. ``src``/``tgt`` as everywhere:
#: for the UN set the source is Russian and the target English.
EditKind = Literal[
    "merge_src",   # two consecutive source sentences joined -> a 1-2 bead
    "merge_tgt",   # two consecutive target sentences joined -> a 2-1 bead
    "split_tgt",   # a target sentence cut at "; " or ", " near its middle -> a 1-2 bead
    "omit_src",    # the source sentence dropped -> a 0-1 bead
    "omit_tgt",    # the target sentence dropped -> a 1-0 bead
    "insert_src",  # a sentence of another document inserted on the source side -> 1-0
    "insert_tgt",  # a sentence of another document inserted on the target side -> 0-1
]

#: The mix of edits for the UN synthetic documents: merges both ways, English splits,
#: omissions and insertions on both sides. Merges go first when quotas are filled because
#: they are the most constrained (two consecutive sentences of one paragraph).
UN_EDIT_WEIGHTS: Mapping[EditKind, float] = {
    "merge_tgt": 2.0,
    "merge_src": 2.0,
    "split_tgt": 2.0,
    "omit_src": 1.0,
    "omit_tgt": 1.0,
    "insert_src": 1.0,
    "insert_tgt": 1.0,
}

#: The long speed pair only grows on the English side: splits and insertions.
SPEED_EDIT_WEIGHTS: Mapping[EditKind, float] = {"split_tgt": 7.0, "insert_tgt": 3.0}

#: A split point must leave at least this share of the sentence on each side.
SPLIT_MIN_SHARE = 0.25


class BenchDataError(ValueError):
    """Input that cannot make a valid bench document (wrong gold, mismatched sides)."""


@dataclass(frozen=True, slots=True)
class BenchDoc:
    """One aligned document pair: sentences per side, gold beads, paragraph ids per sentence.

    Paragraph ids are dense (0, 1, 2 ... in order); a set without paragraph marks has 0
    throughout. The gold must index both sides in range, use each sentence at most once and
    have no bead empty on both sides; ``check_gold`` asks more (monotone, covering).
    """

    name: str
    src_lang: str
    tgt_lang: str
    src_lines: tuple[str, ...]
    tgt_lines: tuple[str, ...]
    gold: tuple[GoldBead, ...]
    src_paragraphs: tuple[int, ...]
    tgt_paragraphs: tuple[int, ...]

    def __post_init__(self) -> None:
        for side, lines, paragraphs in (
            ("source", self.src_lines, self.src_paragraphs),
            ("target", self.tgt_lines, self.tgt_paragraphs),
        ):
            if len(paragraphs) != len(lines):
                raise BenchDataError(
                    f"{self.name}: {len(lines)} {side} sentences but {len(paragraphs)} "
                    "paragraph ids"
                )
            for index, line in enumerate(lines):
                if not line.strip() or "\n" in line:
                    raise BenchDataError(
                        f"{self.name}: {side} sentence {index} is empty or spans lines: "
                        f"{line!r}"
                    )
        _check_gold_indices(self.gold, len(self.src_lines), len(self.tgt_lines), self.name)

    @property
    def bead_kinds(self) -> dict[str, int]:
        """Gold bead counts by type (``"1-1"``, ``"2-1"`` ...), most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for src, tgt in self.gold:
            counts[f"{len(src)}-{len(tgt)}"] += 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _check_gold_indices(gold: Sequence[GoldBead], n_src: int, n_tgt: int, name: str) -> None:
    seen: tuple[set[int], set[int]] = (set(), set())
    for number, bead in enumerate(gold):
        if not bead[0] and not bead[1]:
            raise BenchDataError(f"{name}: bead {number} is empty on both sides")
        for side, indices, size, used in zip(("source", "target"), bead, (n_src, n_tgt), seen,
                                             strict=True):
            for index in indices:
                if not 0 <= index < size:
                    raise BenchDataError(
                        f"{name}: bead {number} has {side} index {index}, but the {side} has "
                        f"{size} sentences (is the gold's direction swapped?)"
                    )
                if index in used:
                    raise BenchDataError(
                        f"{name}: {side} sentence {index} is in more than one gold bead"
                    )
                used.add(index)


def gold_notes(doc: BenchDoc) -> list[str]:
    """Where a (published) gold is not monotone or not covering; empty when it is both."""
    notes: list[str] = []
    for side, size, position in (("source", len(doc.src_lines), 0),
                                 ("target", len(doc.tgt_lines), 1)):
        covered = {index for bead in doc.gold for index in bead[position]}
        missing = sorted(set(range(size)) - covered)
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            notes.append(f"{len(missing)} {side} sentence(s) in no gold bead: {shown}")
        order = [index for bead in doc.gold for index in bead[position]]
        backwards = sum(1 for a, b in pairwise(order) if b < a)
        if backwards:
            notes.append(f"{backwards} place(s) where {side} indices go backwards")
    return notes


def check_gold(gold: Sequence[GoldBead], n_src: int, n_tgt: int, *, name: str = "gold") -> None:
    """Raise ``BenchDataError`` unless the beads are monotone and cover both sides once.

    Monotone and covering means: read in order, the source indices are exactly
    ``0 .. n_src-1`` and the target indices exactly ``0 .. n_tgt-1``, and no bead is empty
    on both sides.
    """
    next_src = next_tgt = 0
    for number, (src, tgt) in enumerate(gold):
        if not src and not tgt:
            raise BenchDataError(f"{name}: bead {number} is empty on both sides")
        if src != tuple(range(next_src, next_src + len(src))):
            raise BenchDataError(
                f"{name}: bead {number} has source {list(src)}, expected it to start at "
                f"{next_src} and be consecutive (is the gold's direction swapped?)"
            )
        if tgt != tuple(range(next_tgt, next_tgt + len(tgt))):
            raise BenchDataError(
                f"{name}: bead {number} has target {list(tgt)}, expected it to start at "
                f"{next_tgt} and be consecutive (is the gold's direction swapped?)"
            )
        next_src += len(src)
        next_tgt += len(tgt)
    if (next_src, next_tgt) != (n_src, n_tgt):
        raise BenchDataError(
            f"{name}: gold covers {next_src} source and {next_tgt} target sentences, the "
            f"documents have {n_src} and {n_tgt} (is the gold's direction swapped?)"
        )


def split_lines(text: str) -> tuple[str, ...]:
    """One sentence per line; only ``\\n`` ends a line (``str.splitlines`` would also cut at
    U+2028 and friends and shift the gold's indices). A final newline ends the last line."""
    text = text.replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return tuple(text.split("\n")) if text else ()


def line_pair_doc(
    name: str,
    src_lang: str,
    tgt_lang: str,
    src_lines: Sequence[str],
    tgt_lines: Sequence[str],
    gold: Iterable[tuple[Sequence[int], Sequence[int]]],
    *,
    require_monotone: bool = True,
) -> BenchDoc:
    """A one-sentence-per-line document pair with gold read elsewhere (``read_beads``).

    No paragraph marks: every sentence is in paragraph 0. With ``require_monotone`` the gold
    must also pass ``check_gold``.
    """
    doc = BenchDoc(
        name=name,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_lines=tuple(src_lines),
        tgt_lines=tuple(tgt_lines),
        gold=tuple((tuple(src), tuple(tgt)) for src, tgt in gold),
        src_paragraphs=(0,) * len(src_lines),
        tgt_paragraphs=(0,) * len(tgt_lines),
    )
    if require_monotone:
        check_gold(doc.gold, len(doc.src_lines), len(doc.tgt_lines), name=name)
    return doc


def swap_sides(doc: BenchDoc) -> BenchDoc:
    """The same pair read the other way round (target becomes source)."""
    return BenchDoc(
        name=doc.name,
        src_lang=doc.tgt_lang,
        tgt_lang=doc.src_lang,
        src_lines=doc.tgt_lines,
        tgt_lines=doc.src_lines,
        gold=tuple((tgt, src) for src, tgt in doc.gold),
        src_paragraphs=doc.tgt_paragraphs,
        tgt_paragraphs=doc.src_paragraphs,
    )


def head(doc: BenchDoc, max_src: int) -> BenchDoc:
    """The document cut after the longest run of leading gold beads whose source sentences
    all lie below ``max_src``.

    For monotone covering gold the cut is a prefix of whole beads and covers a prefix of each
    side. For published gold that is not (Text+Berg), the cut keeps the sentences up to the
    largest index those leading beads use on each side, and every gold bead that lies wholly
    inside.
    """
    n_src = n_tgt = 0
    for src, tgt in doc.gold:
        if src and max(src) >= max_src:
            break
        n_src = max([n_src, *(index + 1 for index in src)])
        n_tgt = max([n_tgt, *(index + 1 for index in tgt)])
    if n_src == len(doc.src_lines) and n_tgt == len(doc.tgt_lines):
        return doc
    beads = tuple(
        (src, tgt) for src, tgt in doc.gold
        if all(index < n_src for index in src) and all(index < n_tgt for index in tgt)
    )
    return BenchDoc(
        name=doc.name,
        src_lang=doc.src_lang,
        tgt_lang=doc.tgt_lang,
        src_lines=doc.src_lines[:n_src],
        tgt_lines=doc.tgt_lines[:n_tgt],
        gold=beads,
        src_paragraphs=_dense(doc.src_paragraphs[:n_src]),
        tgt_paragraphs=_dense(doc.tgt_paragraphs[:n_tgt]),
    )


def limit_docs(docs: Sequence[BenchDoc], max_src: int) -> tuple[BenchDoc, ...]:
    """Documents in order until ``max_src`` source sentences in all; the last one cut."""
    out: list[BenchDoc] = []
    left = max_src
    for doc in docs:
        if left <= 0:
            break
        cut = head(doc, left)
        if cut.src_lines and cut.tgt_lines:
            out.append(cut)
            left -= len(cut.src_lines)
    return tuple(out)


def presplit_text(lines: Sequence[str], paragraphs: Sequence[int] | None = None) -> str:
    """Text for presplit reading: one sentence per line, a blank line between paragraphs
    when ``paragraphs`` is given (for a reader that takes paragraph breaks in presplit mode).
    """
    if paragraphs is None:
        return "\n".join(lines) + "\n"
    parts: list[str] = []
    for index, line in enumerate(lines):
        if index and paragraphs[index] != paragraphs[index - 1]:
            parts.append("")
        parts.append(line)
    return "\n".join(parts) + "\n"


# --- Synthetic edits -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditedBead:
    """One bead of a synthetic document before indices are assigned.

    ``origin`` lists the positions of the 1-1 input beads it was made from (empty for an
    inserted sentence); ``edit`` names the edit that made it, ``None`` if untouched.
    Paragraph keys are whatever the input used; they are made dense at the end.
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    src_paragraphs: tuple[object, ...]
    tgt_paragraphs: tuple[object, ...]
    origin: tuple[int, ...]
    edit: EditKind | None = None


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A translated sentence pair with the paragraph each side belongs to."""

    src: str
    tgt: str
    src_paragraph: object = 0
    tgt_paragraph: object = 0


def split_point(text: str) -> int | None:
    """Where to cut ``text`` into two sentences: the index of the space after the ``"; "`` or
    ``", "`` nearest the middle, if both halves keep ``SPLIT_MIN_SHARE`` of the text.

    ``text[:i]`` and ``text[i + 1:]`` are the halves, so joining them with one space gives
    the sentence back.
    """
    middle = len(text) / 2
    best: int | None = None
    for match in re.finditer(r"[;,] ", text):
        cut = match.end() - 1
        left, right = text[:cut], text[cut + 1 :]
        if min(len(left), len(right)) < SPLIT_MIN_SHARE * len(text) or not right.strip():
            continue
        if best is None or abs(cut - middle) < abs(best - middle):
            best = cut
    return best


def _quotas(weights: Mapping[EditKind, float], total: int) -> dict[EditKind, int]:
    """``total`` shared out in proportion to ``weights`` (largest remainder, stable order)."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    exact = {kind: total * weight / weight_sum for kind, weight in weights.items()}
    quotas = {kind: int(value) for kind, value in exact.items()}
    short = total - sum(quotas.values())
    by_remainder = sorted(weights, key=lambda kind: quotas[kind] - exact[kind])
    for kind in by_remainder[:short]:
        quotas[kind] += 1
    return quotas


def apply_edits(
    pairs: Sequence[SentencePair],
    rng: random.Random,
    *,
    n_edits: int,
    weights: Mapping[EditKind, float] = UN_EDIT_WEIGHTS,
    src_filler: Sequence[str] = (),
    tgt_filler: Sequence[str] = (),
) -> tuple[EditedBead, ...]:
    """Turn 1-1 sentence pairs into beads with ``n_edits`` synthetic edits, gold exact.

    Each input pair is touched by at most one edit (a merge uses two neighbours), so edits
    never overlap and the gold stays exact. Merges only join sentences of one paragraph on
    both sides; splits need a ``split_point``; insertions draw from the fillers (sentences
    of other documents) and are skipped when no filler is given. Quotas follow ``weights``;
    what a kind cannot place (no candidates left) passes to the next kind. Inputs are not
    modified.
    """
    n = len(pairs)
    used = [False] * n
    edits: dict[int, EditKind] = {}
    quotas = _quotas(weights, min(n_edits, n))
    split_at = [split_point(pair.tgt) if "split_tgt" in weights else None for pair in pairs]
    src_filler = tuple(text for text in src_filler if text.strip())
    tgt_filler = tuple(text for text in tgt_filler if text.strip())

    def feasible(kind: EditKind, i: int) -> bool:
        if used[i]:
            return False
        if kind in ("merge_src", "merge_tgt"):
            return (
                i + 1 < n
                and not used[i + 1]
                and pairs[i].src_paragraph == pairs[i + 1].src_paragraph
                and pairs[i].tgt_paragraph == pairs[i + 1].tgt_paragraph
            )
        if kind == "split_tgt":
            return split_at[i] is not None
        if kind == "insert_src":
            return bool(src_filler)
        if kind == "insert_tgt":
            return bool(tgt_filler)
        return True

    carry = 0
    for kind in weights:
        want = quotas[kind] + carry
        candidates = [i for i in range(n) if feasible(kind, i)]
        rng.shuffle(candidates)
        placed = 0
        for i in candidates:
            if placed == want:
                break
            if not feasible(kind, i):  # a merge placed just now took this one
                continue
            edits[i] = kind
            used[i] = True
            if kind in ("merge_src", "merge_tgt"):
                used[i + 1] = True
            placed += 1
        carry = want - placed

    beads: list[EditedBead] = []
    i = 0
    while i < n:
        pair = pairs[i]
        edit = edits.get(i)
        plain = EditedBead(
            (pair.src,), (pair.tgt,), (pair.src_paragraph,), (pair.tgt_paragraph,), (i,)
        )
        if edit is None:
            beads.append(plain)
        elif edit == "merge_src":
            after = pairs[i + 1]
            beads.append(EditedBead(
                (f"{pair.src} {after.src}",), (pair.tgt, after.tgt),
                (pair.src_paragraph,), (pair.tgt_paragraph, after.tgt_paragraph),
                (i, i + 1), edit,
            ))
            i += 1
        elif edit == "merge_tgt":
            after = pairs[i + 1]
            beads.append(EditedBead(
                (pair.src, after.src), (f"{pair.tgt} {after.tgt}",),
                (pair.src_paragraph, after.src_paragraph), (pair.tgt_paragraph,),
                (i, i + 1), edit,
            ))
            i += 1
        elif edit == "split_tgt":
            cut = split_at[i]
            assert cut is not None  # feasible() checked it
            beads.append(EditedBead(
                (pair.src,), (pair.tgt[:cut], pair.tgt[cut + 1 :]),
                (pair.src_paragraph,), (pair.tgt_paragraph,) * 2, (i,), edit,
            ))
        elif edit == "omit_src":
            beads.append(EditedBead((), (pair.tgt,), (), (pair.tgt_paragraph,), (i,), edit))
        elif edit == "omit_tgt":
            beads.append(EditedBead((pair.src,), (), (pair.src_paragraph,), (), (i,), edit))
        elif edit == "insert_src":
            beads.append(EditedBead(
                (rng.choice(src_filler),), (), (pair.src_paragraph,), (), (), edit
            ))
            beads.append(plain)
        else:  # insert_tgt
            beads.append(EditedBead(
                (), (rng.choice(tgt_filler),), (), (pair.tgt_paragraph,), (), edit
            ))
            beads.append(plain)
        i += 1
    return tuple(beads)


def _dense(keys: Sequence[object]) -> tuple[int, ...]:
    """Paragraph keys renumbered 0, 1, 2 ... in order of first appearance of each run."""
    out: list[int] = []
    for index, key in enumerate(keys):
        if index == 0:
            out.append(0)
        else:
            out.append(out[-1] + (key != keys[index - 1]))
    return tuple(out)


def doc_from_beads(
    name: str, src_lang: str, tgt_lang: str, beads: Sequence[EditedBead]
) -> BenchDoc:
    """Number the sentences of edited beads in order; the gold follows from the grouping."""
    src_lines: list[str] = []
    tgt_lines: list[str] = []
    src_keys: list[object] = []
    tgt_keys: list[object] = []
    gold: list[GoldBead] = []
    for bead in beads:
        src = tuple(range(len(src_lines), len(src_lines) + len(bead.src)))
        tgt = tuple(range(len(tgt_lines), len(tgt_lines) + len(bead.tgt)))
        src_lines.extend(bead.src)
        tgt_lines.extend(bead.tgt)
        src_keys.extend(bead.src_paragraphs)
        tgt_keys.extend(bead.tgt_paragraphs)
        gold.append((src, tgt))
    doc = BenchDoc(
        name=name,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_lines=tuple(src_lines),
        tgt_lines=tuple(tgt_lines),
        gold=tuple(gold),
        src_paragraphs=_dense(src_keys),
        tgt_paragraphs=_dense(tgt_keys),
    )
    check_gold(doc.gold, len(src_lines), len(tgt_lines), name=name)
    return doc


# --- UN v1.0 devset: synthetic Russian -> English documents ----------------------------------


@dataclass(frozen=True, slots=True)
class UNDocument:
    """The devset sentences of one UN document symbol, in document order."""

    symbol: str
    pairs: tuple[SentencePair, ...]


def _position(field: str, where: str) -> tuple[int, int]:
    try:
        paragraph, sentence = field.split(":")
        return int(paragraph), int(sentence)
    except ValueError as err:
        raise BenchDataError(f"{where}: expected PARAGRAPH:SENTENCE, found {field!r}") from err


def group_un_documents(
    ids_lines: Sequence[str],
    ru_lines: Sequence[str],
    en_lines: Sequence[str],
) -> tuple[UNDocument, ...]:
    """Group devset lines by document symbol, each ordered by its Russian position.

    An ids line reads ``SYMBOL ar:P:S en:P:S es:P:S fr:P:S ru:P:S zh:P:S``: the document and
    each language's paragraph:sentence position. Paragraph keys are ``(symbol, P)`` so that
    documents concatenated later never share a paragraph. Documents come in symbol order.
    """
    if not len(ids_lines) == len(ru_lines) == len(en_lines):
        raise BenchDataError(
            f"UN devset: {len(ids_lines)} ids, {len(ru_lines)} Russian and {len(en_lines)} "
            "English lines; the three files must be parallel"
        )
    by_symbol: dict[str, list[tuple[tuple[int, int], SentencePair]]] = defaultdict(list)
    for number, (ids, ru, en) in enumerate(zip(ids_lines, ru_lines, en_lines, strict=True)):
        fields = ids.split()
        where = f"UN devset ids line {number + 1}"
        if not fields:
            raise BenchDataError(f"{where}: empty")
        symbol = fields[0]
        positions = {}
        for field in fields[1:]:
            lang, _, position = field.partition(":")
            positions[lang] = _position(position, where)
        if "ru" not in positions or "en" not in positions:
            raise BenchDataError(f"{where}: no ru: or en: position in {ids!r}")
        pair = SentencePair(
            src=ru, tgt=en,
            src_paragraph=(symbol, positions["ru"][0]),
            tgt_paragraph=(symbol, positions["en"][0]),
        )
        by_symbol[symbol].append((positions["ru"], pair))
    return tuple(
        UNDocument(symbol, tuple(pair for _, pair in sorted(rows, key=lambda row: row[0])))
        for symbol, rows in sorted(by_symbol.items())
    )


def pack_documents(
    docs: Sequence[UNDocument],
    rng: random.Random,
    *,
    min_sentences: int = 40,
    max_sentences: int = 150,
) -> tuple[tuple[UNDocument, ...], ...]:
    """Concatenate small documents, in the given order, into groups of about
    ``min_sentences`` to ``max_sentences`` sentences.

    Each group's target size is drawn uniformly from that range, so the bench sees both short
    and long documents. A group closes when it reaches its target or the next document would
    push it past ``max_sentences``; a short last group joins the one before when it fits.
    """
    groups: list[list[UNDocument]] = []
    current: list[UNDocument] = []
    size = 0
    target = rng.randint(min_sentences, max_sentences)
    for doc in docs:
        if current and size + len(doc.pairs) > max_sentences:
            groups.append(current)
            current, size = [], 0
            target = rng.randint(min_sentences, max_sentences)
        current.append(doc)
        size += len(doc.pairs)
        if size >= target:
            groups.append(current)
            current, size = [], 0
            target = rng.randint(min_sentences, max_sentences)
    if current:
        last_size = sum(len(doc.pairs) for doc in groups[-1]) if groups else 0
        if groups and size < min_sentences and last_size + size <= max_sentences:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return tuple(tuple(group) for group in groups)


def build_un_synthetic(
    ids_lines: Sequence[str],
    ru_lines: Sequence[str],
    en_lines: Sequence[str],
    *,
    seed: int = 13,
    edit_rate: float = 0.12,
    min_sentences: int = 40,
    max_sentences: int = 150,
    weights: Mapping[EditKind, float] = UN_EDIT_WEIGHTS,
) -> tuple[BenchDoc, ...]:
    """Synthetic Russian -> English documents from the UN devset, with exact gold.

    Documents are grouped by symbol and packed (``pack_documents``); each packed document gets
    ``round(edit_rate * sentences)`` edits (``apply_edits``). Insertions into document ``k``
    come from document ``k + 1`` (cyclically), minus sentences ``k`` already has. One
    ``random.Random(seed)`` drives packing and edits in a fixed order, so the set is the same
    on every run.
    """
    rng = random.Random(seed)
    groups = pack_documents(
        group_un_documents(ids_lines, ru_lines, en_lines), rng,
        min_sentences=min_sentences, max_sentences=max_sentences,
    )
    packed = [tuple(pair for doc in group for pair in doc.pairs) for group in groups]
    out: list[BenchDoc] = []
    for number, pairs in enumerate(packed):
        other = packed[(number + 1) % len(packed)] if len(packed) > 1 else ()
        own_src = {pair.src for pair in pairs}
        own_tgt = {pair.tgt for pair in pairs}
        beads = apply_edits(
            pairs, rng,
            n_edits=round(edit_rate * len(pairs)),
            weights=weights,
            src_filler=[pair.src for pair in other if pair.src not in own_src],
            tgt_filler=[pair.tgt for pair in other if pair.tgt not in own_tgt],
        )
        out.append(doc_from_beads(f"un-{number:02d}", "ru", "en", beads))
    return tuple(out)


# --- The long speed pair ---------------------------------------------------------------------


def parse_train_tsv(text: str) -> tuple[tuple[str, str, str], ...]:
    """Rows ``(set, ru, en)`` of ``ru-en.train.tsv`` (header skipped).

    Split on tabs, not with ``csv``: fields contain unbalanced quotes.
    """
    rows: list[tuple[str, str, str]] = []
    for number, line in enumerate(split_lines(text)):
        fields = line.split("\t")
        if len(fields) != 3:
            raise BenchDataError(
                f"ru-en.train.tsv line {number + 1}: expected 3 tab-separated fields "
                f"(set, ru, en), found {len(fields)}"
            )
        if number == 0 and fields == ["set", "ru", "en"]:
            continue
        rows.append((fields[0], fields[1], fields[2]))
    return tuple(rows)


def build_speed_pair(
    rows: Sequence[tuple[str, str, str]],
    *,
    n_src: int = 5000,
    n_extra: int = 1000,
    seed: int = 13,
    weights: Mapping[EditKind, float] = SPEED_EDIT_WEIGHTS,
    name: str = "speed",
) -> BenchDoc:
    """A long Russian -> English pair: the first ``n_src`` rows in order, and ``n_extra`` more
    English sentences from splits and from insertions of rows after ``n_src``.

    Rows with an empty side are skipped (a presplit reader would drop the line and shift the
    indices).
    """
    usable = [(ru, en) for _, ru, en in rows if ru.strip() and en.strip()]
    if len(usable) < n_src:
        raise BenchDataError(f"{name}: need {n_src} sentence pairs, found {len(usable)}")
    pairs = [SentencePair(ru, en) for ru, en in usable[:n_src]]
    own = {en for _, en in usable[:n_src]}
    filler = [en for _, en in usable[n_src:] if en not in own]
    beads = apply_edits(
        pairs, random.Random(seed), n_edits=n_extra, weights=weights,
        src_filler=[ru for ru, _ in usable[n_src:]], tgt_filler=filler,
    )
    return doc_from_beads(name, "ru", "en", beads)


# --- Bead files: documents from aligned bead texts -------------------------------------------


def docs_from_bead_texts(
    name: str,
    src_lang: str,
    tgt_lang: str,
    beads: Sequence[tuple[str, str]],
    split_src: Callable[[str], Sequence[str]],
    split_tgt: Callable[[str], Sequence[str]],
    *,
    beads_per_doc: int = 300,
) -> tuple[BenchDoc, ...]:
    """Documents from aligned text pairs (one bead each, possibly several sentences a side).

    Each side of a bead is cut into sentences by the given splitter; the gold bead joins
    them (so a pair whose English splits in two and whose Russian does not is a 2-1 bead).
    Consecutive beads are grouped ``beads_per_doc`` to a document, named ``name-NN``. A
    bead with an empty side after splitting becomes a null bead; a bead empty on both sides
    is dropped.
    """
    out: list[BenchDoc] = []
    for number, first in enumerate(range(0, len(beads), beads_per_doc)):
        edited = []
        for src_text, tgt_text in beads[first : first + beads_per_doc]:
            src = tuple(s for s in split_src(src_text) if s.strip())
            tgt = tuple(t for t in split_tgt(tgt_text) if t.strip())
            if src or tgt:
                edited.append(EditedBead(src, tgt, (0,) * len(src), (0,) * len(tgt), ()))
        if edited:
            out.append(doc_from_beads(f"{name}-{number:02d}", src_lang, tgt_lang, edited))
    return tuple(out)


def build_news_synthetic(
    rows: Sequence[tuple[str, str, str]],
    sets: Sequence[str],
    *,
    seed: int = 13,
    edit_rate: float = 0.12,
    min_sentences: int = 40,
    max_sentences: int = 150,
    max_docs: int | None = None,
    filler: Sequence[tuple[str, str]] = (),
) -> tuple[BenchDoc, ...]:
    """Synthetic Russian -> English documents from consecutive rows of ``ru-en.train.tsv``.

    Only rows of the named ``sets`` (news test sets keep their documents in order) are used,
    cut into runs of ``min_sentences`` to ``max_sentences`` rows, edited as the UN documents
    are (``apply_edits`` with ``UN_EDIT_WEIGHTS``), insertions drawn from the next run and,
    when given, from the ``filler`` pairs (e.g. short unrelated sentences).
    """
    rng = random.Random(seed)
    chosen = [SentencePair(ru, en) for set_name, ru, en in rows
              if set_name in sets and ru.strip() and en.strip()]
    runs: list[list[SentencePair]] = []
    position = 0
    while position < len(chosen) and (max_docs is None or len(runs) < max_docs + 1):
        size = rng.randint(min_sentences, max_sentences)
        runs.append(chosen[position : position + size])
        position += size
    out: list[BenchDoc] = []
    for number, pairs in enumerate(runs[:-1] if len(runs) > 1 else runs):
        other = runs[(number + 1) % len(runs)]
        own_src = {pair.src for pair in pairs}
        own_tgt = {pair.tgt for pair in pairs}
        edited = apply_edits(
            pairs, rng, n_edits=round(edit_rate * len(pairs)),
            src_filler=[pair.src for pair in other if pair.src not in own_src]
            + [ru for ru, _ in filler if ru not in own_src],
            tgt_filler=[pair.tgt for pair in other if pair.tgt not in own_tgt]
            + [en for _, en in filler if en not in own_tgt],
        )
        out.append(doc_from_beads(f"news-{number:02d}", "ru", "en", edited))
    return tuple(out)


def with_block_omissions(
    doc: BenchDoc,
    rng: random.Random,
    *,
    blocks: int = 2,
    min_size: int = 4,
    max_size: int = 10,
    name_suffix: str = "-blocks",
) -> BenchDoc:
    """The document with ``blocks`` runs of consecutive target sentences removed (their
    source sentences become 1-0 beads): a stress test for a search that must leave a long
    stretch unaligned. Needs monotone, covering gold; runs are drawn from 1-1 beads."""
    check_gold(doc.gold, len(doc.src_lines), len(doc.tgt_lines), name=doc.name)
    one_to_one = [k for k, (src, tgt) in enumerate(doc.gold) if len(src) == 1 and len(tgt) == 1]
    dropped: set[int] = set()
    for _ in range(blocks):
        size = rng.randint(min_size, max_size)
        starts = [k for k in one_to_one
                  if all(k + d in one_to_one and k + d not in dropped for d in range(size))]
        if not starts:
            break
        start = rng.choice(starts)
        dropped.update(range(start, start + size))
    beads: list[EditedBead] = []
    for k, (src, tgt) in enumerate(doc.gold):
        src_text = tuple(doc.src_lines[i] for i in src)
        tgt_text = () if k in dropped else tuple(doc.tgt_lines[j] for j in tgt)
        beads.append(EditedBead(
            src_text, tgt_text, tuple(doc.src_paragraphs[i] for i in src),
            () if k in dropped else tuple(doc.tgt_paragraphs[j] for j in tgt), (k,),
        ))
    return doc_from_beads(doc.name + name_suffix, doc.src_lang, doc.tgt_lang, beads)
