"""Two translations of one original, aligned through the original and set side by side.

``compare_documents`` aligns translation A and translation B each to the Russian (the
Russian is encoded once), reviews each (``aligner.scoring``: findings, adequacy, document
score), then lines the two up on the Russian. Each row of the comparison is a stretch of
the Russian that both alignments close a bead on: where A and B split the text
differently, the row is the union of the two groupings, so every row holds whole beads of
both. English sentences with no Russian (a null bead on the Russian side) stand in a row of
their own with no Russian, shared by A and B when both add text at the same place.

Per row: both renderings, the adequacy of each (mean over its beads in the row, weighted by
their sentences), the findings one has that the other has not (a finding is "the same"
when it comes from the same check at the same Russian span, or, with no Russian span, at
the same English words), the places where A and B differ in meaning, and sentence-level
chrF of A against B. Differences in meaning reuse the checks' readers on the two English
texts: figures (``numbers.v1``'s reader and matcher), names from the entity lists
(``entities.v1``), negation (``polarity.v1``'s cues and how it pairs them) and glossary
terms of the row's Russian rendered differently (``terminology.v1``'s index). Their
``src_spans`` point into A's text, their ``tgt_spans`` into B's.

Corpus-level BLEU, chrF and TER of A against B (B as the reference) come from sacrebleu,
with sacrebleu's own signature strings. In reference mode (``aligner compare RU CAND
--reference REF``) A is the candidate and B the trusted reference: the same figures then
score the candidate, and the rows line up the two through the Russian, so different
sentence splits of the two English texts do not break the comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aligner.checks import Category, CheckContext, Divergence, Severity
from aligner.encoders.base import Embedding, Encoder, Matrix
from aligner.errors import InputError
from aligner.review import ComparedRow, Comparison, Metric, Review
from aligner.types import Alignment, Document

#: A translation with less than this share of its sentences (both sides) in non-null
#: beads, or a mean adequacy below ``MIN_ADEQUACY`` over its non-null beads, is not taken
#: for a translation of the Russian. ``python scripts/bench_docscore.py`` (4 UN devset
#: documents per level) measures both: translations with up to 30 % of their pairs dropped or
#: inserted have 0-13 % of their sentences in null beads and mean adequacy 73-77; an
#: unrelated English document aligned to the Russian gets 13-31 % null beads (the aligner
#: pairs most of its sentences anyway, with mean confidence 0.86) but mean adequacy 9-11.
MIN_COVERAGE = 0.5
MIN_ADEQUACY = 30.0

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Part:
    """One bead of one translation inside a row, and where its texts start in the row."""

    bead: int
    src_offset: int
    tgt_offset: int
    weight: int


@dataclass(frozen=True, slots=True)
class _Row:
    src_idx: tuple[int, ...]
    a_beads: tuple[int, ...]
    b_beads: tuple[int, ...]


# --- aligning both translations ------------------------------------------------------------


def align_pair_of_translations(
    src: Document, a: Document, b: Document, *, encoder: Encoder, config: Any = None,
) -> tuple[Alignment, Alignment]:
    """Align ``a`` and ``b`` each to ``src`` with one encoding of ``src``."""
    from aligner.pipeline import align_documents

    shared = SharedSourceEncoder(encoder, src.texts)
    return (align_documents(src, a, encoder=shared, config=config),
            align_documents(src, b, encoder=shared, config=config))


class SharedSourceEncoder(Encoder):
    """An encoder that embeds the given source sentences once for several alignments.

    ``align_documents`` embeds source and target in one call; when the call starts with the
    source texts this encoder was made for, their embedding is reused and only the target
    is embedded. Name and version are the wrapped encoder's, so signatures are unchanged.
    """

    def __init__(self, inner: Encoder, src_texts: Sequence[str]):
        self.inner = inner
        self.name = inner.name
        self.version = getattr(inner, "version", None)
        self._src = tuple(src_texts)
        self._src_embedding: Embedding | None = None

    def encode(self, texts: Sequence[str]) -> Matrix:
        return self.inner.encode(texts)

    def embed(self, texts: Sequence[str]) -> Embedding:
        n = len(self._src)
        if tuple(texts[:n]) != self._src or len(texts) == n:
            return self.inner.embed(texts)
        if self._src_embedding is None:
            self._src_embedding = self.inner.embed(self._src)
        return _Stacked(self._src_embedding, self.inner.embed(texts[n:]), n)


class _Stacked(Embedding):
    """Two embeddings one after the other; a span never crosses from one into the other
    (the pipeline asks for spans of one document at a time)."""

    def __init__(self, first: Embedding, second: Embedding, n: int):
        self._first, self._second, self._n = first, second, n

    @property
    def sentences(self) -> Matrix:
        return np.vstack([self._first.sentences, self._second.sentences])

    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        in_first = ends <= self._n
        if np.any(~in_first & (starts < self._n)):
            raise ValueError("a span crosses from the source into the target")
        dim = self._first.sentences.shape[1]
        out = np.empty((len(starts), dim), dtype=np.float32)
        if np.any(in_first):
            out[in_first] = self._first.spans(starts[in_first], ends[in_first])
        if np.any(~in_first):
            out[~in_first] = self._second.spans(starts[~in_first] - self._n,
                                                ends[~in_first] - self._n)
        return out


def translation_problem(review: Review, label: str, src_label: str) -> str | None:
    """Why ``review`` does not look like a translation of the original, or None."""
    if review.alignment is None or review.document is None or review.adequacy is None:
        return None
    figures = dict(review.document.components)
    coverage = 1.0 - figures["share_null"]
    live = [a.score for a, bead in zip(review.adequacy, review.alignment.beads, strict=True)
            if not bead.is_null]
    adequacy = float(np.mean(live)) if live else 0.0
    reasons = []
    if coverage < MIN_COVERAGE:
        reasons.append(f"{1 - coverage:.0%} of the sentences align to nothing")
    if adequacy < MIN_ADEQUACY:
        reasons.append(f"the aligned sentences have mean adequacy {adequacy:.0f}/100")
    if reasons:
        return f"{label} does not look like a translation of {src_label}: " + \
            " and ".join(reasons)
    return None


# --- the comparison ------------------------------------------------------------------------


def compare_reviews(a: Review, b: Review, *, a_label: str = "A", b_label: str = "B",
                    names: tuple[str, str] = ("A", "B"),
                    context: CheckContext | None = None) -> Comparison:
    """Line up two reviews of translations of the same original (same source sentences).

    ``a_label``/``b_label`` name the translations in the comparison (file names);
    ``names`` are the short names the messages of the differences use.
    """
    if a.alignment is None or b.alignment is None:
        raise ValueError("compare_reviews needs reviews of alignments")
    if a.alignment.src.texts != b.alignment.src.texts:
        raise ValueError("the two alignments have different source documents")
    context = context or CheckContext()
    rows = [_compared_row(row, (a.alignment, a), (b.alignment, b), names, context)
            for row in group_rows(a.alignment, b.alignment)]
    metrics = corpus_metrics([(r.a_text, r.b_text) for r in rows])
    return Comparison(tuple(rows), a, b, a_label, b_label, metrics,
                      signature=f"{a.signature}|compare:1")


def group_rows(a: Alignment, b: Alignment) -> tuple[_Row, ...]:
    """Rows of Russian sentences closed under both alignments' beads, with each
    alignment's beads in each row; rows of English-only beads between them."""
    n = len(a.src.sentences)
    starts = [{bead.src[0] for bead in al.beads if bead.src} | {n} for al in (a, b)]
    cuts = sorted((starts[0] & starts[1]) | {0, n})
    row_of = np.zeros(n, dtype=np.intp)
    for k, (lo, hi) in enumerate(pairwise(cuts)):
        row_of[lo:hi] = k
    segments: list[tuple[list[int], list[int]]] = [([], []) for _ in cuts[:-1]]
    extras: dict[int, tuple[list[int], list[int]]] = {}
    cut_set = set(cuts)
    for side, al in enumerate((a, b)):
        position = 0  # the Russian sentence the next English-only bead sits before
        for k, bead in enumerate(al.beads):
            if bead.src:
                segments[row_of[bead.src[0]]][side].append(k)
                position = bead.src[-1] + 1
            elif position in cut_set:
                extras.setdefault(position, ([], []))[side].append(k)
            else:
                segments[row_of[position]][side].append(k)
    rows = []
    for k, (lo, hi) in enumerate(pairwise(cuts)):
        if lo in extras:
            rows.append(_extras_row(extras.pop(lo)))
        rows.append(_Row(tuple(range(lo, hi)), tuple(segments[k][0]), tuple(segments[k][1])))
    if n in extras:
        rows.append(_extras_row(extras.pop(n)))
    return tuple(rows)


def _extras_row(beads: tuple[list[int], list[int]]) -> _Row:
    return _Row((), tuple(beads[0]), tuple(beads[1]))


def _parts(alignment: Alignment, review: Review, beads: Sequence[int],
           src_idx: Sequence[int]) -> tuple[list[_Part], str]:
    """Each bead's offsets into the row's Russian and English texts, and the English text."""
    src_sentences = alignment.src.sentences
    src_offsets: dict[int, int] = {}
    offset = 0
    for i in src_idx:
        src_offsets[i] = offset
        offset += len(src_sentences[i].text) + 1
    parts, texts, tgt_offset = [], [], 0
    for k in beads:
        bead = alignment.beads[k]
        pair = review.report.pairs[k]
        parts.append(_Part(k, src_offsets[bead.src[0]] if bead.src else 0, tgt_offset,
                           len(bead.src) + len(bead.tgt)))
        if pair.tgt:
            texts.append(pair.tgt)
            tgt_offset += len(pair.tgt) + 1
    return parts, " ".join(texts)


def _shift(d: Divergence, part: _Part) -> Divergence:
    return Divergence(
        d.check, d.severity, d.category, d.message,
        tuple((s + part.src_offset, e + part.src_offset) for s, e in d.src_spans),
        tuple((s + part.tgt_offset, e + part.tgt_offset) for s, e in d.tgt_spans),
        d.suggestion,
    )


def _key(d: Divergence, text: str) -> tuple[str, tuple[Any, ...]]:
    """What makes two translations' findings the same finding (see the module docstring)."""
    if d.src_spans:
        return d.check, tuple(sorted(d.src_spans))
    return d.check, tuple(text[s:e] for s, e in sorted(d.tgt_spans))


def _compared_row(row: _Row, a_side: tuple[Alignment, Review], b_side: tuple[Alignment, Review],
                  names: tuple[str, str], context: CheckContext) -> ComparedRow:
    (a_alignment, a), (b_alignment, b) = a_side, b_side
    src_text = " ".join(a_alignment.src.sentences[i].text for i in row.src_idx)
    a_parts, a_text = _parts(a_alignment, a, row.a_beads, row.src_idx)
    b_parts, b_text = _parts(b_alignment, b, row.b_beads, row.src_idx)
    a_findings = [_shift(d, p) for p in a_parts for d in a.report.for_pair(p.bead)]
    b_findings = [_shift(d, p) for p in b_parts for d in b.report.for_pair(p.bead)]
    a_keys = {_key(d, a_text) for d in a_findings}
    b_keys = {_key(d, b_text) for d in b_findings}
    differences: tuple[Divergence, ...] = ()
    if a_text and b_text:
        differences = meaning_differences(a_text, b_text, ru=src_text, context=context,
                                          a_label=names[0], b_label=names[1])
    return ComparedRow(
        src_idx=row.src_idx,
        src_text=src_text,
        a_text=a_text,
        b_text=b_text,
        a_adequacy=_row_adequacy(a, a_parts),
        b_adequacy=_row_adequacy(b, b_parts),
        a_only=tuple(d for d in a_findings if _key(d, a_text) not in b_keys),
        b_only=tuple(d for d in b_findings if _key(d, b_text) not in a_keys),
        differences=differences,
        chrf=sentence_chrf(a_text, b_text),
    )


def _row_adequacy(review: Review, parts: Sequence[_Part]) -> float | None:
    if review.adequacy is None or not parts:
        return None
    total = sum(p.weight for p in parts)
    return round(sum(review.adequacy[p.bead].score * p.weight for p in parts) / total, 1)


# --- metrics -------------------------------------------------------------------------------


def corpus_metrics(rows: Sequence[tuple[str, str]]) -> tuple[Metric, ...]:
    """BLEU, chrF and TER of the first texts against the second (the reference), over the
    rows where either has text; each with sacrebleu's signature string."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    kept = [(hyp, ref) for hyp, ref in rows if hyp or ref]
    hyps = [hyp for hyp, _ in kept]
    refs = [[ref for _, ref in kept]]
    out = []
    for name, metric in (("BLEU", BLEU()), ("chrF", CHRF()), ("TER", TER())):
        result = metric.corpus_score(hyps, refs)
        out.append(Metric(name, round(float(result.score), 2), str(metric.get_signature())))
    return tuple(out)


def sentence_chrf(hyp: str, ref: str) -> float | None:
    """Sentence-level chrF of ``hyp`` against ``ref`` (sacrebleu); None when both are empty."""
    from sacrebleu.metrics import CHRF

    if not hyp and not ref:
        return None
    return round(float(CHRF().sentence_score(hyp, [ref]).score), 1)


# --- differences in meaning between two English texts ---------------------------------------

NUMBERS = "compare.numbers"
NAMES = "compare.names"
NEGATION = "compare.negation"
TERMS = "compare.terms"


def meaning_differences(a: str, b: str, *, ru: str = "", context: CheckContext | None = None,
                        a_label: str = "A", b_label: str = "B") -> tuple[Divergence, ...]:
    """Where two English renderings of one Russian text differ in meaning: figures, names,
    negation, glossary terms. ``src_spans`` index ``a``, ``tgt_spans`` index ``b``."""
    context = context or CheckContext()
    labels = (a_label, b_label)
    found = [*_number_differences(a, b, context, labels),
             *_name_differences(a, b, context, labels),
             *_negation_differences(a, b, context, labels)]
    if ru:
        found += _term_differences(a, b, ru, context, labels)
    return tuple(sorted(found, key=lambda d: (-d.severity.rank, d.src_spans, d.tgt_spans)))


def _q(text: str, span: Span) -> str:
    return f'"{text[span[0]:span[1]]}"'


def _number_differences(a: str, b: str, context: CheckContext,
                        labels: tuple[str, str]) -> list[Divergence]:
    from aligner.checks.numbers import compare, find_numbers, load_numerals
    from aligner.morph import Morphology

    morph = context.resource("morphology", Morphology)
    numerals = context.resource("numbers.v1.numerals", lambda: load_numerals(morph.analyzer))
    a_items, b_items = find_numbers(a, "en", numerals), find_numbers(b, "en", numerals)
    if not a_items and not b_items:
        return []
    result = compare(a_items, b_items, a, b)
    la, lb = labels
    out = [Divergence(
        NUMBERS, Severity.CRITICAL, Category.MISTRANSLATION,
        f"{la} says {_q(a, (s.start, s.end))} but {lb} says {_q(b, (t.start, t.end))}",
        ((s.start, s.end),), ((t.start, t.end),),
        suggestion="check the figure against the Russian")
        for s, t in result.changed]
    out += [Divergence(NUMBERS, Severity.MAJOR, Category.OMISSION,
                       f"{la} has {_q(a, (s.start, s.end))}, {lb} has no such figure",
                       src_spans=((s.start, s.end),)) for s in result.src_only]
    out += [Divergence(NUMBERS, Severity.MAJOR, Category.ADDITION,
                       f"{lb} has {_q(b, (t.start, t.end))}, {la} has no such figure",
                       tgt_spans=((t.start, t.end),)) for t in result.tgt_only]
    return out


def _name_differences(a: str, b: str, context: CheckContext,
                      labels: tuple[str, str]) -> list[Divergence]:
    from aligner.checks.entities import CHECK, find_mentions, load_gazetteer, tokens
    from aligner.morph import Morphology

    morph = context.resource("morphology", Morphology)
    gaz = context.resource(f"{CHECK}.gazetteer", lambda: load_gazetteer(morph))
    a_mentions = [m for m in find_mentions(tokens(a, "en", morph), gaz.en_index) if not m.weak]
    b_mentions = [m for m in find_mentions(tokens(b, "en", morph), gaz.en_index) if not m.weak]
    a_keys = {m.entity for m in a_mentions}
    b_keys = {m.entity for m in b_mentions}

    def alone(key: str, other: set[str]) -> bool:
        return not (gaz.related(key) & other) and not any(key in gaz.related(o) for o in other)

    a_alone = [k for k in dict.fromkeys(m.entity for m in a_mentions) if alone(k, b_keys)]
    b_alone = [k for k in dict.fromkeys(m.entity for m in b_mentions) if alone(k, a_keys)]

    def spans(key: str, mentions: Sequence[Any]) -> tuple[Span, ...]:
        return tuple((m.start, m.end) for m in mentions if m.entity == key)

    la, lb = labels
    out = []
    for key in list(a_alone):
        group = gaz.entities[key].group
        partner = next((k for k in b_alone if gaz.entities[k].group == group), None)
        if partner is None:
            continue
        a_alone.remove(key)
        b_alone.remove(partner)
        a_spans, b_spans = spans(key, a_mentions), spans(partner, b_mentions)
        out.append(Divergence(
            NAMES, Severity.CRITICAL, Category.NAMED_ENTITY,
            f"{la} names {_q(a, a_spans[0])} where {lb} names {_q(b, b_spans[0])}",
            a_spans, b_spans, suggestion="check which name the Russian has"))
    for key in a_alone:
        a_spans = spans(key, a_mentions)
        out.append(Divergence(NAMES, Severity.MINOR, Category.NAMED_ENTITY,
                              f"{la} names {_q(a, a_spans[0])}, {lb} does not",
                              src_spans=a_spans))
    for key in b_alone:
        b_spans = spans(key, b_mentions)
        out.append(Divergence(NAMES, Severity.MINOR, Category.NAMED_ENTITY,
                              f"{lb} names {_q(b, b_spans[0])}, {la} does not",
                              tgt_spans=b_spans))
    return out


def _negation_differences(a: str, b: str, context: CheckContext,
                          labels: tuple[str, str]) -> list[Divergence]:
    from aligner.checks.polarity import (
        antonym_flips,
        load_lexicons,
        scan,
        strong_units,
        tokenize,
        unexplained,
    )

    lexicon = context.resource("polarity.lexicons", load_lexicons)["en"]
    a_tokens, b_tokens = tokenize(a), tokenize(b)
    a_hits, b_hits = scan(a_tokens, "en", lexicon), scan(b_tokens, "en", lexicon)
    a_units, b_units = strong_units(a_hits, "en", a_tokens), strong_units(b_hits, "en", b_tokens)
    # Negative words ("without", "fail to", "un-") answer for a negation on the other side,
    # as in polarity.v1.
    a_soft = [h for h in a_hits if h.kind in ("soft", "fixed", "lexical")]
    b_soft = [h for h in b_hits if h.kind in ("soft", "fixed", "lexical")]
    a_left = unexplained(a_units, a_soft, b_units, b_soft)
    b_left = unexplained(b_units, b_soft, a_units, a_soft)
    flips = [f for f in antonym_flips(a_tokens, b_tokens, lexicon, lexicon) if f.reported]
    if flips and (a_left or b_left):
        return []  # a negation and a swap of opposites cancel out ("not support" / "oppose")
    la, lb = labels
    out = []
    if a_left:
        out.append(Divergence(
            NEGATION, Severity.CRITICAL, Category.MISTRANSLATION,
            f"{la} negates ({', '.join(_q(a, (h.start, h.end)) for h in a_left)}) where {lb} "
            "does not", src_spans=tuple((h.start, h.end) for h in a_left),
            suggestion="check which one the Russian supports"))
    if b_left:
        out.append(Divergence(
            NEGATION, Severity.CRITICAL, Category.MISTRANSLATION,
            f"{lb} negates ({', '.join(_q(b, (h.start, h.end)) for h in b_left)}) where {la} "
            "does not", tgt_spans=tuple((h.start, h.end) for h in b_left),
            suggestion="check which one the Russian supports"))
    for flip in flips:
        out.append(Divergence(
            NEGATION, Severity.CRITICAL, Category.MISTRANSLATION,
            f"{la} says {_q(a, flip.src)} ({flip.src_pole}) where {lb} says "
            f"{_q(b, flip.tgt)} ({flip.tgt_pole}): opposite meanings",
            (flip.src,), (flip.tgt,), suggestion="check which one the Russian supports"))
    return out


def _term_differences(a: str, b: str, ru: str, context: CheckContext,
                      labels: tuple[str, str]) -> list[Divergence]:
    from aligner.checks.terminology import glossary_index
    from aligner.glossary import term_usages

    index = glossary_index(context)
    b_usages = {id(u.term): u for u in term_usages(index, ru, b)}
    la, lb = labels
    out = []
    for usage in term_usages(index, ru, a):
        other = b_usages.get(id(usage.term))
        if other is None or not usage.renderings or not other.renderings:
            continue  # a term paraphrased on one side is no difference in meaning
        a_used = {h.rendering.en.casefold() for h in usage.renderings}
        b_used = {h.rendering.en.casefold() for h in other.renderings}
        if a_used == b_used:
            continue
        a_hit, b_hit = usage.renderings[0], other.renderings[0]
        deprecated = not (a_hit.rendering.accepted and b_hit.rendering.accepted)
        house = usage.term.house
        out.append(Divergence(
            TERMS, Severity.MAJOR if deprecated else Severity.MINOR, Category.TERMINOLOGY,
            f"«{ru[usage.src[0].start:usage.src[0].end]}» is {_q(a, (a_hit.start, a_hit.end))}"
            f" in {la} and {_q(b, (b_hit.start, b_hit.end))} in {lb}"
            + (" (one of them is deprecated)" if deprecated else ""),
            tuple((h.start, h.end) for h in usage.renderings),
            tuple((h.start, h.end) for h in other.renderings),
            suggestion=house.en if house else None))
    return out


# --- files ---------------------------------------------------------------------------------


def compare_files(
    src_path: str | Path,
    a_path: str | Path,
    b_path: str | Path,
    *,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    encoding: str | None = None,
    paragraphs: Any = "auto",
    presplit: bool = False,
    encoder: Encoder,
    config: Any = None,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
    a_label: str = "A",
    b_label: str = "B",
    names: tuple[str, str] = ("A", "B"),
    force: bool = False,
) -> Comparison:
    """Read the three files, align both translations to the original, review and compare.

    Raises InputError when a document is empty or (unless ``force``) a translation does not
    look like a translation of the original (``translation_problem``).
    """
    from aligner.read import read_document
    from aligner.scoring import review_alignment

    src = read_document(src_path, src_lang, encoding=encoding, paragraphs=paragraphs,
                        presplit=presplit)
    a_doc = read_document(a_path, tgt_lang, encoding=encoding, paragraphs=paragraphs,
                          presplit=presplit)
    b_doc = read_document(b_path, tgt_lang, encoding=encoding, paragraphs=paragraphs,
                          presplit=presplit)
    a_alignment, b_alignment = align_pair_of_translations(src, a_doc, b_doc, encoder=encoder,
                                                          config=config)
    context = CheckContext(glossary_paths=tuple(str(g) for g in glossaries))
    reviews = []
    for alignment, label, path in ((a_alignment, names[0], a_path),
                                   (b_alignment, names[1], b_path)):
        review = review_alignment(alignment, include=include, exclude=exclude,
                                  encoder=encoder, context=context)
        problem = translation_problem(review, f"{label} ({Path(path).name})",
                                      Path(src_path).name)
        if problem is not None and not force:
            raise InputError(problem, hint="check that both translate the same original, or "
                                           "pass --force to compare anyway")
        reviews.append(review)
    return compare_reviews(reviews[0], reviews[1], a_label=a_label, b_label=b_label,
                           names=names, context=context)


# --- thresholds (aligner compare --fail-on / --fail-under) ----------------------------------


def findings_at_least(comparison: Comparison, severity: Severity, *,
                      candidate_only: bool = False) -> int:
    """How many differences in meaning and one-sided findings are at or above ``severity``
    (with ``candidate_only``, B's own findings do not count: B is the reference)."""
    count = 0
    for row in comparison.rows:
        items = [*row.differences, *row.a_only, *(() if candidate_only else row.b_only)]
        count += sum(1 for d in items if d.severity.rank >= severity.rank)
    return count


def threshold_value(comparison: Comparison, name: str, *, candidate_only: bool = False
                    ) -> float:
    """The figure ``--fail-under NAME=N`` compares: ``bleu`` or ``chrf`` of A against B;
    ``adequacy`` (mean over non-null beads) or ``score`` (document score) of the weaker of
    A and B, or of A alone with ``candidate_only``."""
    name = name.casefold()
    for m in comparison.metrics:
        if m.name.casefold() == name:
            return m.score
    reviews = (comparison.a,) if candidate_only else (comparison.a, comparison.b)
    values = []
    for review in reviews:
        if review.document is None:
            continue
        figures = dict(review.document.components)
        values.append(figures["adequacy_mean"] if name == "adequacy" else review.document.score)
    if name not in ("adequacy", "score") or not values:
        raise ValueError(f"no figure named {name!r}")
    return min(values)
