"""The learned bead scorer: many signals per candidate bead, one linear score for the DP.

The first search pass scores a bead by one cosine (``align.py``). The second pass re-searches
a narrow band around that path with a score learned from dev gold
(``scripts/train_beadscorer.py``, weights in ``models/beadscorer.json``, card
``models/beadscorer.md``). For every candidate bead in the band it reads, all vectorised over
the band's cells:

- similarity: the bead's cosine on the document's scale (0 = typical non-match, 1 = typical
  match), how well each sentence of a merge matches the other side on its own (the weakest
  part), the margin over each sentence's best 1-1 match in the band, and the 1-1 similarity
  of the sentence pairs just before and just after the bead (a right bead sits between
  right ones);
- the bead's shape (a prior per type);
- length: |log length ratio| against the document's own ratio, in characters and in words;
- composition: numbers and names (romanised to a phonetic key) found on both sides or on
  one side only; question and exclamation marks, quotation marks, dialogue dashes, colons,
  brackets and ellipses present on one side only; whether both sides end alike;
- structure: paragraph starts on both / one side, a paragraph break crossed on one side
  only, list items on one side only;
- position: how far the bead's end lies from the first pass's path;
- optionally a second encoder's opinion (``SecondOpinion``: multilingual-e5-small through
  ``aligner.encoders.e5``): its similarity on its own document scale, the weakest part of a
  merge and the margin, read only by weights trained with it (``E5_MODEL``).

The shipped weights hold the punctuation and position features at 0: measured, they did
not pay (models/beadscorer.md); ``BeadScorer.score_band`` skips computing the punctuation
block when its weights are all 0.

Null beads (a sentence left unaligned) are scored per sentence: a bias, the sentence's best
1-1 similarity in the band, its length, whether it is a paragraph or number-bearing
sentence of its own.

The score is linear in these features (weights trained as a structured SVM on whole paths),
so scoring a band is one tensor contraction and the DP stays exact over the band.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from aligner.errors import FormatError, UsageError

if TYPE_CHECKING:
    from aligner.align import Band

F64 = NDArray[np.float64]

#: Features of a candidate match bead, in weight order.
MATCH_FEATURES = (
    "shape_1_1", "shape_1_2", "shape_2_1", "shape_2_2", "shape_1_3", "shape_3_1",
    "shape_other", "merge_direction",
    "z", "z_merge", "z_low", "parts_min", "margin", "context_before", "context_after",
    "length_dev", "length_dev_sq", "words_dev",
    "numbers_shared", "numbers_one_side", "names_shared", "names_one_side",
    "question_one_side", "exclamation_one_side", "quote_one_side", "dash_one_side",
    "speech_one_side", "colon_one_side", "bracket_one_side", "ellipsis_one_side",
    "ends_alike",
    "paragraph_both", "paragraph_one", "paragraph_cross", "list_one_side",
    "path_distance",
    "second_z", "second_z_merge", "second_z_low", "second_parts_min", "second_margin",
)
#: Features of a sentence left unaligned (one weight set per side).
NULL_FEATURES = ("bias", "best_z", "best_z_high", "log_length", "paragraph_alone",
                 "has_number", "list_item", "second_best_z")
#: The second encoder's features (``BandContext.second``): weight 0 when a weights file
#: leaves them out, so the default model (USE alone) needs no second encoder.
SECOND_MATCH_FEATURES = tuple(f for f in MATCH_FEATURES if f.startswith("second_"))
SECOND_NULL_FEATURES = ("second_best_z",)

#: Weight files in ``models/``: the default, and the one with the e5 second opinion.
DEFAULT_MODEL = "beadscorer.json"
E5_MODEL = "beadscorer-e5.json"

_SHAPE_FEATURES = {(1, 1): 0, (1, 2): 1, (2, 1): 2, (2, 2): 3, (1, 3): 4, (3, 1): 5}
#: Punctuation classes counted per sentence, in order: the *_one_side features.
#: Punctuation classes counted per sentence, in order (the *_one_side features): question,
#: exclamation, quotation, dialogue dash, colon or semicolon, bracket, ellipsis. The classes
#: are plain characters; ``_punctuation_counts`` adds the context rules (an apostrophe
#: inside a word is no quotation mark; a dash is a dialogue dash only standing alone).
_PUNCTUATION = ("?？¿", "!！¡", "\"“”„«»「」『』‹›'", "—–-", ":;：；", "()（）[]", "….")
_QUOTE, _DASH = 2, 3
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
_NAME = re.compile(r"[A-ZА-ЯЁ][^\W\d_]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ROMANISE = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "à": "a", "á": "a", "â": "a", "ä": "a", "ç": "c", "è": "e", "é": "e", "ê": "e", "ë": "e",
    "î": "i", "ï": "i", "ô": "o", "ö": "o", "ù": "u", "û": "u", "ü": "u", "ß": "ss",
})
_KEY_LETTERS = str.maketrans({"y": "i", "j": "i", "w": "v", "q": "k", "x": "ks"})
_KEY_DIGRAPHS = {"kh": "h", "ts": "z", "tz": "z", "cz": "z", "ph": "f", "th": "t", "ck": "k",
                 "c": "k"}
_KEY_DIGRAPH = re.compile("|".join(sorted(_KEY_DIGRAPHS, key=len, reverse=True)))
_NOT_LETTER = re.compile(r"[^a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_LIST_ITEM = re.compile(r"\s*(?:\(?\d{1,3}[.)]|\(?[a-zа-яё][.)]|[•▪◦‣*–—-]\s|[IVX]{1,5}\.)\s")
_CLOSERS = "\"'”»’」』)]） \u00a0"
_ENDINGS = {".": 1, "。": 1, "?": 2, "？": 2, "!": 3, "！": 3, "…": 4, ":": 5, "：": 5,
            ";": 6, "；": 6}
#: Clip of count features: two shared numbers are as telling as ten.
_COUNT_CLIP = 3.0
_PATH_CLIP = 4.0


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the scorer reads from one document's sentences, one entry per sentence."""

    chars: F64
    words: F64
    #: Numbers and names as 64-bit sets: each value hashed to one bit.
    numbers: NDArray[np.uint64]
    names: NDArray[np.uint64]
    #: (sentences, len(_PUNCTUATION)) counts.
    punctuation: NDArray[np.int32]
    #: Final punctuation class (0 none, 1 full stop, 2 ?, 3 !, 4 ellipsis, 5 colon, 6 ;).
    ending: NDArray[np.int8]
    list_item: NDArray[np.bool_]

    @property
    def size(self) -> int:
        return len(self.chars)


def text_facts(texts: Sequence[str], *, punctuation: bool = True) -> TextFacts:
    """Facts of each sentence, gathered over the joined text at once (numpy over its code
    points for punctuation, one regular-expression pass each for numbers and names).

    ``punctuation=False`` leaves the punctuation counts at 0 (for a scorer that does not
    read them: ``BeadScorer.uses_punctuation``).
    """
    count = len(texts)
    joined = "\n".join(texts)
    starts = np.zeros(count + 1, np.intp)
    if count:
        starts[1:] = np.cumsum([len(t) + 1 for t in texts])

    def owner(positions: NDArray[np.intp]) -> NDArray[np.intp]:
        return np.searchsorted(starts, positions, side="right") - 1

    def per_sentence(positions: NDArray[np.intp]) -> NDArray[np.int64]:
        return np.bincount(owner(positions), minlength=count)[:count]

    codes = np.frombuffer(joined.encode("utf-32-le"), np.uint32) if joined else \
        np.zeros(0, np.uint32)
    chars = np.array([len(t) for t in texts], np.float64)
    # Words: whitespace-separated tokens, and every CJK character (Chinese has no spaces).
    words = np.array([len(t.split()) for t in texts], np.float64)
    words += per_sentence(np.flatnonzero((codes >= 0x3400) & (codes <= 0x9FFF)))
    counts = np.zeros((count, len(_PUNCTUATION)), np.int32)
    if punctuation and count:
        counts = np.column_stack(
            [per_sentence(p) for p in _punctuation_positions(codes)]).astype(np.int32)
    numbers = _hashed_sets(joined, _NUMBER, owner, count, _number_key)
    names = _hashed_sets(joined, _NAME, owner, count, _name_key, starts=starts)
    ending = np.array([_ending(t) for t in texts], np.int8)
    list_item = np.array([_LIST_ITEM.match(t) is not None for t in texts], np.bool_)
    return TextFacts(chars, words, numbers, names, counts, ending, list_item)


def _punctuation_positions(codes: NDArray[np.uint32]) -> list[NDArray[np.intp]]:
    """Where each ``_PUNCTUATION`` class occurs in the code points of the joined text."""
    def of(characters: str) -> NDArray[np.bool_]:
        return np.isin(codes, np.array([ord(c) for c in characters], np.uint32))

    before = np.concatenate([[ord(" ")], codes[:-1]]) if len(codes) else codes
    after = np.concatenate([codes[1:], [ord(" ")]]) if len(codes) else codes
    space = np.array([ord(c) for c in " \n\t\u00a0"], np.uint32)
    # Letters and digits, roughly: ASCII alphanumerics and everything from Latin-1 letters
    # up, minus the general and CJK punctuation blocks.
    def wordlike(c: NDArray[np.uint32]) -> NDArray[np.bool_]:
        return (((c >= 48) & (c <= 57)) | ((c >= 65) & (c <= 90)) | ((c >= 97) & (c <= 122))
                | ((c >= 0xC0) & ~((c >= 0x2000) & (c <= 0x206F))
                   & ~((c >= 0x3000) & (c <= 0x303F)) & ~((c >= 0xFF00) & (c <= 0xFF20))))

    apostrophe = codes == ord("'")
    quote = of(_PUNCTUATION[2]) & (~apostrophe | ~wordlike(before) | ~wordlike(after))
    # A dialogue dash: "--", "—" or "–" with a space (or a line's edge) on both sides.
    double = (codes == ord("-")) & (after == ord("-"))
    after_double = np.concatenate([codes[2:], [ord(" ")] * min(2, len(codes))])
    free_before = np.isin(before, space)
    dash = free_before & ((of("—–") & np.isin(after, space))
                          | (double & np.isin(after_double, space)))
    dots = (codes == ord(".")) & (after == ord(".")) & (after_double == ord("."))
    ellipsis = (codes == ord("…")) | (dots & (before != ord(".")))
    found = [of(_PUNCTUATION[0]), of(_PUNCTUATION[1]), quote, dash, of(_PUNCTUATION[4]),
             of(_PUNCTUATION[5]), ellipsis]
    return [np.flatnonzero(mask) for mask in found]


def _hashed_sets(joined: str, pattern: re.Pattern[str],
                 owner: Callable[[NDArray[np.intp]], NDArray[np.intp]], count: int,
                 key: Callable[[str], str], starts: NDArray[np.intp] | None = None
                 ) -> NDArray[np.uint64]:
    """Per sentence, the set of ``key(match)`` over the pattern's matches, as 64 hashed bits.

    With ``starts``, a match at the very start of its sentence (after at most three
    characters of quotation or dash) is skipped: a capital there says nothing about names.
    """
    sets = np.zeros(count, np.uint64)
    matches = [(m.start(), m.group()) for m in pattern.finditer(joined)]
    if not matches:
        return sets
    bit_of: dict[str, int] = {}
    for word in {word for _, word in matches}:
        value = key(word)
        bit_of[word] = zlib.crc32(value.encode("utf-8")) & 63 if value else -1
    positions = np.array([position for position, _ in matches], np.intp)
    bits = np.array([bit_of[word] for _, word in matches], np.int64)
    rows = owner(positions)
    keep = bits >= 0
    if starts is not None:
        keep &= positions - starts[rows] > 3
    np.bitwise_or.at(sets, rows[keep], np.left_shift(np.uint64(1), bits[keep].astype(np.uint64)))
    return sets


def _number_key(text: str) -> str:
    # Digits only: "20 000", "20,000" and "20000" agree, so do "3,5" and "3.5".
    return "".join(ch for ch in text if ch.isdigit())


def _name_key(word: str) -> str:
    """A coarse phonetic key of a capitalised word, equal for «Каренина» and "Karenina".

    Cyrillic is romanised letter by letter, then spellings that transliteration systems
    and languages disagree on are merged (kh/h, ts/z, y/i/j, w/v, c/k, ph/f, doubled
    letters); the first four letters survive Russian case endings. A cheaper cousin of
    ``translit.skeleton``, computed once per distinct capitalised word of both documents.
    """
    latin = word.lower().translate(_ROMANISE)
    latin = _KEY_DIGRAPH.sub(lambda m: _KEY_DIGRAPHS[m.group()], latin).translate(_KEY_LETTERS)
    latin = _DOUBLED.sub(r"\1", _NOT_LETTER.sub("", latin))
    return latin[:4]


def _ending(text: str) -> int:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return 4
    return _ENDINGS.get(stripped[-1:], 0)


def _popcount(values: NDArray[np.uint64]) -> NDArray[np.float32]:
    """Bits set in each value."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2
        return np.bitwise_count(values).astype(np.float32)
    x = values - ((values >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return ((x * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.float32)


@dataclass(frozen=True, slots=True)
class SecondOpinion:
    """A second encoder's similarities over the band, and its own document scale."""

    #: Same layout as ``BandContext.sims``.
    sims: dict[tuple[int, int], NDArray[np.float32]]
    matching: float
    others: float


@dataclass(frozen=True, slots=True)
class BandContext:
    """Everything the features read: both sides' facts, the band and its similarities."""

    src: TextFacts
    tgt: TextFacts
    src_paragraph_starts: NDArray[np.bool_]
    tgt_paragraph_starts: NDArray[np.bool_]
    band: Band
    #: sims[(a, b)][i, k]: cosine of src[i - a:i] and tgt[j - b:j], j = band.lo[i] + k; NaN
    #: outside the band.
    sims: dict[tuple[int, int], NDArray[np.float32]]
    #: The document's typical matching and non-matching similarity (``align``).
    matching: float
    others: float
    #: Columns of the first pass's path at each row: path_lo[i] <= j <= path_hi[i].
    path_lo: NDArray[np.intp]
    path_hi: NDArray[np.intp]
    #: The second encoder's similarities (``aligner.encoders.e5``), when there is one.
    second: SecondOpinion | None = None


# Per-sentence quantities summed over a bead's sentences, in this column order.
_SUMMED = ("chars", "words", "best_z", "paragraph_starts", *(f"p{c}" for c in range(7)))
_CHARS, _WORDS, _BEST, _PARAGRAPHS, _FIRST_PUNCTUATION = 0, 1, 2, 3, 4


class _Prepared:
    """What every bead shape shares: z-scaled similarities, per-side prefix sums, each
    sentence's best match, the first path's distance; built once per band."""

    def __init__(self, ctx: BandContext, punctuation: bool = True):
        band = ctx.band
        self.ctx = ctx
        #: Whether to compute the punctuation features (skipped when their weights are 0).
        self.punctuation = punctuation
        self.rows_count = len(band.lo)
        self.width = band.width
        self.lo = band.lo
        self.z = _z_scores(ctx.sims, ctx.matching, ctx.others)
        self.best_src, self.best_tgt = self._best(self.z)
        #: The second encoder's z-scores, each sentence's best, and their prefix sums.
        self.second = ctx.second is not None
        self.z2 = self.z
        self.best2_src, self.best2_tgt = self.best_src, self.best_tgt
        if ctx.second is not None:
            self.z2 = _z_scores(ctx.second.sims, ctx.second.matching, ctx.second.others)
            self.best2_src, self.best2_tgt = self._best(self.z2)
        self.best2_src_cum = np.concatenate([[0.0], np.cumsum(self.best2_src, dtype=np.float64)])
        self.best2_tgt_cum = np.concatenate([[0.0], np.cumsum(self.best2_tgt, dtype=np.float64)])
        self.src_cum = self._cumulative(ctx.src, self.best_src, ctx.src_paragraph_starts)
        self.tgt_cum = self._cumulative(ctx.tgt, self.best_tgt, ctx.tgt_paragraph_starts)
        self.doc_chars = float(np.log((ctx.tgt.chars.sum() + 1.0) / (ctx.src.chars.sum() + 1.0)))
        self.doc_words = float(np.log((ctx.tgt.words.sum() + 1.0) / (ctx.src.words.sum() + 1.0)))
        self.count_ratio = float(np.clip(np.log((ctx.tgt.size + 1.0) / (ctx.src.size + 1.0)),
                                         -1.0, 1.0))
        self.paragraphs = bool(ctx.src_paragraph_starts.sum() > 1
                               and ctx.tgt_paragraph_starts.sum() > 1)
        self.src_starts = np.concatenate([ctx.src_paragraph_starts, [True]])
        self.tgt_starts = np.concatenate([ctx.tgt_paragraph_starts, [True]])
        self.src_list = np.concatenate([ctx.src.list_item, [False]])
        self.tgt_list = np.concatenate([ctx.tgt.list_item, [False]])
        self.src_end = np.concatenate([[0], ctx.src.ending]).astype(np.int8)
        self.tgt_end = np.concatenate([[0], ctx.tgt.ending]).astype(np.int8)

    def cells(self, shape: tuple[int, int]) -> tuple[NDArray[np.intp], NDArray[np.intp],
                                                     NDArray[np.intp]]:
        """The band cells where an a-b bead can end: flat indices, rows i, columns j."""
        flat = np.flatnonzero(~np.isnan(self.ctx.sims[shape]))
        rows = flat // self.width
        return flat, rows, self.lo[rows] + flat % self.width

    def _best(self, zs: dict[tuple[int, int], NDArray[np.float32]]
              ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        z = zs[(1, 1)]
        flat, rows, cols = self.cells((1, 1))
        src = np.full(self.rows_count, -2.0, np.float32)
        np.maximum.at(src, rows, z.ravel()[flat])
        tgt = np.full(self.ctx.tgt.size + 1, -2.0, np.float32)
        np.maximum.at(tgt, cols, z.ravel()[flat])
        return src[1:], tgt[1:]  # row i, column j hold sentence i - 1, j - 1

    @staticmethod
    def _cumulative(facts: TextFacts, best: NDArray[np.float32],
                    paragraph_starts: NDArray[np.bool_]) -> NDArray[np.float64]:
        columns = np.column_stack([facts.chars, facts.words, best, paragraph_starts,
                                   facts.punctuation > 0])
        out = np.zeros((facts.size + 1, columns.shape[1]))
        np.cumsum(columns, axis=0, out=out[1:])
        return out

    @staticmethod
    def span(cum: NDArray[np.float64], ends: NDArray[np.intp], size: int) -> NDArray[np.float64]:
        """(len(ends), len(_SUMMED)): sums over sentences [end - size, end)."""
        return cum[ends] - cum[np.maximum(ends - size, 0)]

    def at(self, z: NDArray[np.float32], rows: NDArray[np.intp], cols: NDArray[np.intp],
           fill: float) -> NDArray[np.float32]:
        """z[r, c - lo[r]] for each (r, c); ``fill`` outside the band."""
        r = np.clip(rows, 0, self.rows_count - 1)
        k = cols - self.lo[r]
        inside = (rows >= 0) & (rows < self.rows_count) & (k >= 0) & (k < self.width)
        return np.where(inside, z[r, np.clip(k, 0, self.width - 1)], np.float32(fill))


def _z_scores(sims: dict[tuple[int, int], NDArray[np.float32]], matching: float, others: float
              ) -> dict[tuple[int, int], NDArray[np.float32]]:
    """Similarities on the document's scale (0 typical non-match, 1 typical match), clipped;
    -2 outside the band."""
    scale = 1.0 / max(matching - others, 1e-3)
    return {shape: np.clip(np.nan_to_num((sim - others) * scale, nan=-2.0),
                           -2.0, 3.0).astype(np.float32)
            for shape, sim in sims.items()}


def _span_sets(sets: NDArray[np.uint64], size: int) -> NDArray[np.uint64]:
    """(len(sets) + 1,): the union of sets [e - size, e) for each end e."""
    padded = np.concatenate([np.zeros(size, np.uint64), sets])
    out = np.zeros(len(sets) + 1, np.uint64)
    for back in range(size):
        out |= padded[back : back + len(sets) + 1]
    return out


def match_features(pre: _Prepared, a: int, b: int) -> tuple[NDArray[np.intp],
                                                             NDArray[np.float32]]:
    """Features of the a-b beads that can end in the band: the cells' flat indices into a
    band-shaped array, and a (len(MATCH_FEATURES), cells) matrix."""
    ctx = pre.ctx
    flat, i, j = pre.cells((a, b))
    out = np.zeros((len(MATCH_FEATURES), len(flat)), np.float32)
    out[_SHAPE_FEATURES.get((a, b), 6)] = 1.0
    # Merges on the side with more sentences are the expected ones: (b - a) * log(m / n).
    out[_MERGE_DIRECTION] = (b - a) * pre.count_ratio
    z = _similarity_features(out, _Z, pre, pre.z, flat, i, j, a, b)
    src = pre.span(pre.src_cum, i, a)
    tgt = pre.span(pre.tgt_cum, j, b)
    out[_Z + 4] = z - (src[:, _BEST] + tgt[:, _BEST]) / (a + b)
    z11 = pre.z[(1, 1)]
    at_start = (i == a) & (j == b)
    out[_Z + 5] = np.where(at_start, 1.0, pre.at(z11, i - a, j - b, -2.0))
    at_end = (i == pre.rows_count - 1) & (j == ctx.tgt.size)
    out[_Z + 6] = np.where(at_end, 1.0, pre.at(z11, i + 1, j + 1, -2.0))

    chars = np.abs(np.log((tgt[:, _CHARS] + 10.0) / (src[:, _CHARS] + 10.0)) - pre.doc_chars)
    out[_LENGTH] = chars
    out[_LENGTH + 1] = np.minimum(chars, 3.0) ** 2
    out[_LENGTH + 2] = np.abs(np.log((tgt[:, _WORDS] + 2.0) / (src[:, _WORDS] + 2.0))
                              - pre.doc_words)

    column = _SETS
    for src_sets, tgt_sets in ((ctx.src.numbers, ctx.tgt.numbers),
                               (ctx.src.names, ctx.tgt.names)):
        s_set = _span_sets(src_sets, a)[i]
        t_set = _span_sets(tgt_sets, b)[j]
        out[column] = np.minimum(_popcount(s_set & t_set), _COUNT_CLIP)
        out[column + 1] = np.minimum(_popcount(s_set ^ t_set), _COUNT_CLIP)
        column += 2

    if pre.punctuation:
        s_has = src[:, _FIRST_PUNCTUATION:] > 0
        t_has = tgt[:, _FIRST_PUNCTUATION:] > 0
        one_side = (s_has != t_has).T
        out[_PUNCT : _PUNCT + 4] = one_side[:4]
        out[_PUNCT + 4] = (s_has[:, _QUOTE] | s_has[:, _DASH]) != (
            t_has[:, _QUOTE] | t_has[:, _DASH])
        out[_PUNCT + 5 : _PUNCT + 8] = one_side[4:7]
        s_end = pre.src_end[i]
        out[_PUNCT + 8] = (s_end == pre.tgt_end[j]) & (s_end > 0)

    if pre.paragraphs:
        s_start = pre.src_starts[i - a]
        t_start = pre.tgt_starts[j - b]
        out[_STRUCTURE] = s_start & t_start
        out[_STRUCTURE + 1] = s_start != t_start
        # A break inside the bead: paragraph starts among its sentences after the first.
        s_cross = (src[:, _PARAGRAPHS] - s_start) > 0
        t_cross = (tgt[:, _PARAGRAPHS] - t_start) > 0
        out[_STRUCTURE + 2] = s_cross != t_cross
    out[_STRUCTURE + 3] = pre.src_list[i - a] != pre.tgt_list[j - b]
    distance = np.maximum(np.maximum(ctx.path_lo[i] - j, j - ctx.path_hi[i]), 0)
    out[_STRUCTURE + 4] = np.minimum(distance, _PATH_CLIP)

    if pre.second:
        # The second encoder's view of the same bead: similarity, weakest part, margin.
        z2 = _similarity_features(out, _SECOND, pre, pre.z2, flat, i, j, a, b)
        best2 = (pre.best2_src_cum[i] - pre.best2_src_cum[i - a]
                 + pre.best2_tgt_cum[j] - pre.best2_tgt_cum[j - b])
        out[_SECOND + 4] = z2 - best2 / (a + b)
    return flat, out


def _similarity_features(out: NDArray[np.float32], row: int, pre: _Prepared,
                         z: dict[tuple[int, int], NDArray[np.float32]],
                         flat: NDArray[np.intp], i: NDArray[np.intp], j: NDArray[np.intp],
                         a: int, b: int) -> NDArray[np.float32]:
    """Write one encoder's similarity features of the a-b beads into ``out[row:row + 4]``
    (similarity, the same for merges, its shortfall below 0.5, a merge's weakest part:
    each sentence against the whole other side); returns the similarities."""
    bead = z[(a, b)].ravel()[flat]
    out[row] = bead
    if a + b > 2:
        out[row + 1] = bead
        parts = [pre.at(z[(1, b)], i - t, j, 3.0) for t in range(a)]
        parts += [pre.at(z[(a, 1)], i, j - u, 3.0) for u in range(b)]
        out[row + 3] = np.minimum.reduce(parts)
    out[row + 2] = np.maximum(0.5 - bead, 0.0)
    return bead


_MERGE_DIRECTION = MATCH_FEATURES.index("merge_direction")
_Z = MATCH_FEATURES.index("z")
_LENGTH = MATCH_FEATURES.index("length_dev")
_SETS = MATCH_FEATURES.index("numbers_shared")
_PUNCT = MATCH_FEATURES.index("question_one_side")
_STRUCTURE = MATCH_FEATURES.index("paragraph_both")
_SECOND = MATCH_FEATURES.index("second_z")
_SECOND_NULL = NULL_FEATURES.index("second_best_z")


def null_features(facts: TextFacts, best: NDArray[np.float32],
                  paragraph_starts: NDArray[np.bool_],
                  second_best: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
    """(sentences, len(NULL_FEATURES)) features of leaving each sentence unaligned.

    ``second_best``: each sentence's best 1-1 similarity in the band by the second
    encoder (0 without one).
    """
    count = facts.size
    out = np.zeros((count, len(NULL_FEATURES)), np.float32)
    out[:, 0] = 1.0
    out[:, 1] = best
    out[:, 2] = np.maximum(best - 0.5, 0.0)
    out[:, 3] = np.log1p(facts.chars)
    if paragraph_starts[:count].sum() > 1:
        ends = np.concatenate([paragraph_starts[1:], [True]])
        out[:, 4] = paragraph_starts & ends
    out[:, 5] = facts.numbers != 0
    out[:, 6] = facts.list_item
    if second_best is not None:
        out[:, 7] = second_best
    return out


@dataclass(frozen=True, slots=True)
class BeadScorer:
    """Linear weights over ``MATCH_FEATURES`` and, per side, ``NULL_FEATURES``."""

    match: tuple[float, ...]
    null_src: tuple[float, ...]
    null_tgt: tuple[float, ...]
    version: str

    @property
    def uses_punctuation(self) -> bool:
        """Whether any punctuation feature has a weight (the shipped weights: no)."""
        return any(self.match[_PUNCT : _PUNCT + 9])

    @property
    def uses_second(self) -> bool:
        """Whether the weights read a second encoder's similarities (``beadscorer-e5.json``)."""
        return any(self.match[_SECOND : _SECOND + len(SECOND_MATCH_FEATURES)]) or bool(
            self.null_src[_SECOND_NULL] or self.null_tgt[_SECOND_NULL])

    @staticmethod
    def load(name: str = DEFAULT_MODEL) -> BeadScorer:
        """Shipped weights: ``models/beadscorer.json`` (USE alone, the default), or
        ``E5_MODEL`` (with the second encoder's features, ``aligner.encoders.e5``)."""
        path = resources.files("aligner.models").joinpath(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return BeadScorer.from_dict(data)
        except (OSError, KeyError, ValueError, TypeError) as err:
            raise FormatError(
                "the shipped bead scorer weights are missing or malformed",
                where=str(path),
                hint="reinstall aligner or rerun scripts/train_beadscorer.py",
            ) from err

    @staticmethod
    def from_dict(data: dict[str, object]) -> BeadScorer:
        """Weights from the JSON layout ``train_beadscorer.py`` writes (by feature name)."""
        weights = data["weights"]
        if not isinstance(weights, dict):
            raise TypeError("weights must be an object")

        def read(group: str, names: Sequence[str], optional: Sequence[str]
                 ) -> tuple[float, ...]:
            given = weights[group]
            return tuple(float(given[name]) if name in given or name not in optional else 0.0
                         for name in names)

        return BeadScorer(
            read("match", MATCH_FEATURES, SECOND_MATCH_FEATURES),
            read("null_src", NULL_FEATURES, SECOND_NULL_FEATURES),
            read("null_tgt", NULL_FEATURES, SECOND_NULL_FEATURES),
            str(data["version"]),
        )

    def score_band(self, ctx: BandContext, shapes: Sequence[tuple[int, int]]
                   ) -> tuple[dict[tuple[int, int], F64], F64, F64]:
        """Scores of every match bead in the band, and of each sentence left unaligned.

        Returns ``(scores, null_src, null_tgt)`` in the layout ``align._run_dp`` takes:
        ``scores[(a, b)]`` is band-shaped (-1e9 where the bead is impossible), the null
        arrays have a leading 0 so that index i scores sentence i - 1.
        """
        if self.uses_second and ctx.second is None:
            raise UsageError(f"bead scorer {self.version} reads a second encoder's "
                             "similarities, and none were given",
                             hint="pass the e5 sentence vectors (Side.second), or use the "
                             "default scorer BeadScorer.load()")
        if not self.uses_second:
            ctx = replace(ctx, second=None)  # nothing reads them: skip their features
        weights = np.asarray(self.match, np.float32)
        pre = _Prepared(ctx, punctuation=self.uses_punctuation)
        scores: dict[tuple[int, int], F64] = {}
        for a, b in shapes:
            if a and b:
                flat, features = match_features(pre, a, b)
                value = np.full(ctx.sims[(a, b)].shape, -1e9)
                value.ravel()[flat] = weights @ features
                scores[(a, b)] = value
        second_src = pre.best2_src if pre.second else None
        second_tgt = pre.best2_tgt if pre.second else None
        null_src = null_features(ctx.src, pre.best_src, ctx.src_paragraph_starts,
                                 second_src) @ np.asarray(self.null_src, np.float32)
        null_tgt = null_features(ctx.tgt, pre.best_tgt, ctx.tgt_paragraph_starts,
                                 second_tgt) @ np.asarray(self.null_tgt, np.float32)
        return (scores, np.concatenate([[0.0], null_src]).astype(np.float64),
                np.concatenate([[0.0], null_tgt]).astype(np.float64))
