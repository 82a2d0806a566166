"""The scoring stage: findings, adequacy per pair and one score per document, in a ``Review``.

``review_alignment`` (an ``Alignment``), ``review_pairs`` (line-aligned pairs) and
``review_saved`` (a saved ``aligner align -f jsonl`` run) run the divergence checks, score
every pair's adequacy (``aligner.adequacy``) and sum the document up with
``document_score``. The review's signature says how every figure was made: the alignment's
signature (package version, encoder, search parameters, confidence calibration), then
``checks:`` the checks that ran, ``adequacy:`` and ``adequacy-enc:`` the adequacy model's
version and the encoder it reads, and ``doc:`` the version of the document-score
definition below.

The document score (``doc:1``)
------------------------------

Four factors, each in [0, 1], from the beads of one aligned document pair:

* **coverage** ``C``: the share of the sentences of both documents (Russian plus English)
  that are in a non-null bead. A sentence with no counterpart (a dropped or added sentence,
  or one the aligner could not place) lowers it.
* **confidence** ``R``: the mean calibrated confidence of all beads (the probability that a
  bead is exactly right; for a null bead, that the sentence really has no counterpart). Left
  out for line-aligned pairs (``review_pairs``), which have no alignment to doubt.
* **adequacy** ``A``: the mean over the non-null beads of each bead's adequacy mapped
  linearly from 30 (0) to 70 (1) and clipped: on the direct-assessment scale the model
  predicts, up to 29 is "an incorrect translation" or "few correct keywords, but the overall
  meaning is different", from 70 on "closely preserves the semantics of the source" (the
  annotation guidelines of MLQE-PE, Fomicheva et al. 2020). 0 when every bead is null.
* **findings** ``F = exp(-(3 * critical + 1 * major + 0.25 * minor) / beads)``: one critical
  finding per three beads costs as much as a factor of e.

The score is their weighted geometric mean, times 100::

    score = 100 * C**0.40 * R**0.20 * A**0.25 * F**0.15

(weights renormalised to sum to 1 when ``R`` is left out). A geometric mean, so that a
document that fails on one factor cannot make up for it on another: a translation of another
text (coverage near 0) scores near 0 however confident its few beads are. The weights put
completeness first because a missing sentence is the error a reader of a bilingual edition
cannot see; ``scripts/bench_docscore.py`` shows on corrupted UN documents that the score
falls with the alignment's gold F1.

Besides the four factors, ``DocumentScore.components`` carries the figures a quality report
shows, in this order: sentences per side and beads; the shares of sentences in 1-1, n-m
(any other non-null shape) and null beads; the mean, 10th percentile and median bead
confidence; the mean adequacy; findings per 100 beads by severity; then the four factors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from aligner import __version__
from aligner.check import CheckReport, check_pairs, pairs_from_alignment
from aligner.checks import CheckContext, Pair, Severity
from aligner.encoders.base import Encoder
from aligner.errors import FormatError, InputError
from aligner.io.records import BeadRecord
from aligner.review import Adequacy, DocumentScore, Review
from aligner.types import Alignment, Document, Sentence, Signature

#: Version of the document-score definition above; bump it when the formula changes.
DOC_SCORE_VERSION = "1"
#: Exponents of the weighted geometric mean (they sum to 1).
WEIGHTS: tuple[tuple[str, float], ...] = (
    ("coverage", 0.40), ("confidence", 0.20), ("adequacy", 0.25), ("findings", 0.15),
)
#: Adequacy (DA points) at which a bead counts as wrong (0) and as right (1) in the
#: adequacy factor: the edges of the "few correct keywords" and "closely preserves the
#: semantics" bands of the DA guidelines (module docstring).
ADEQUACY_WRONG = 30.0
ADEQUACY_RIGHT = 70.0
#: Findings weighed by severity in the findings factor.
SEVERITY_WEIGHTS: dict[str, float] = {"critical": 3.0, "major": 1.0, "minor": 0.25}
#: Bins of the confidence histogram in the report: [0, 0.1), [0.1, 0.2) ... [0.9, 1.0].
HISTOGRAM_BINS = 10


def review_alignment(
    alignment: Alignment,
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
    encoder: Encoder | None = None,
    adequacy: Sequence[Adequacy] | None = None,
    context: CheckContext | None = None,
) -> Review:
    """Check every bead of ``alignment``, score its adequacy and the whole document.

    ``encoder`` is handed to the adequacy model, which reuses it when it is the encoder the
    model was fitted with (else it loads its own). ``adequacy`` (one per bead) skips the
    model, for callers that scored already; the signature then says ``adequacy:given``.
    ``context`` shares loaded resources between runs (it then holds the glossaries).
    """
    return review(pairs_from_alignment(alignment), alignment=alignment,
                  signature=str(alignment.signature), include=include, exclude=exclude,
                  glossaries=glossaries, encoder=encoder, adequacy=adequacy, context=context)


def review_pairs(
    pairs: Sequence[Pair],
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
    encoder: Encoder | None = None,
    adequacy: Sequence[Adequacy] | None = None,
) -> Review:
    """Review pairs that were aligned elsewhere (``--aligned`` line pairs): no alignment,
    so the document score has no confidence factor."""
    return review(pairs, alignment=None, signature=f"aligner:{__version__}|aligned:yes",
                  include=include, exclude=exclude, glossaries=glossaries, encoder=encoder,
                  adequacy=adequacy)


def review(
    pairs: Sequence[Pair],
    *,
    alignment: Alignment | None,
    signature: str,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
    encoder: Encoder | None = None,
    adequacy: Sequence[Adequacy] | None = None,
    context: CheckContext | None = None,
) -> Review:
    """The review of ``pairs`` (bead ``k`` of ``alignment`` is ``pairs[k]`` when given);
    ``signature`` describes how the pairs were made and is extended here."""
    if not pairs:
        raise InputError("there are no sentence pairs to score",
                         hint="pass documents that hold text")
    context = context or CheckContext(glossary_paths=tuple(str(g) for g in glossaries))
    report = check_pairs(pairs, include=include, exclude=exclude, context=context)
    return score_report(report, alignment=alignment,
                        signature=f"{signature}|checks:{','.join(report.checks)}",
                        encoder=encoder, adequacy=adequacy, context=context)


def score_report(
    report: CheckReport,
    *,
    alignment: Alignment | None,
    signature: str,
    encoder: Encoder | None = None,
    adequacy: Sequence[Adequacy] | None = None,
    context: CheckContext | None = None,
) -> Review:
    """Adequacy and document score for a checked report (``aligner check`` calls this after
    its own checks and suppressions); ``signature`` already names the checks."""
    if adequacy is None:
        scores, adequacy_sig = score_adequacy(report, encoder=encoder, context=context,
                                              alignment=alignment)
    else:
        if len(adequacy) != len(report.pairs):
            raise ValueError(f"{len(adequacy)} adequacy scores for {len(report.pairs)} pairs")
        scores, adequacy_sig = tuple(adequacy), "adequacy:given"
    document = document_score(report, scores, alignment=alignment)
    full = f"{signature}|{adequacy_sig}|doc:{DOC_SCORE_VERSION}"
    return Review(report, alignment, scores, document, full)


def score_adequacy(report: CheckReport, *, encoder: Encoder | None = None,
                   context: CheckContext | None = None, alignment: Alignment | None = None,
                   ) -> tuple[tuple[Adequacy, ...], str]:
    """Adequacy of every pair with the shipped model, and the signature part naming it.

    With the ``alignment`` the pairs came from, the sentence vectors it was searched over
    are reused (see ``kept_pair_vectors``) instead of encoding every bead again.
    """
    from aligner.adequacy import AdequacyModel, adequacy_scores

    model = AdequacyModel.load()
    vectors = kept_pair_vectors(report, alignment, encoder, model.encoder)
    scores = adequacy_scores(report, encoder=encoder, vectors=vectors, context=context,
                             model=model)
    return scores, model.signature


def kept_pair_vectors(
    report: CheckReport, alignment: Alignment | None, encoder: Encoder | None,
    encoder_name: str,
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """One source and one target vector per pair, from the alignment's own sentence vectors.

    A 1-1 bead's sides are exactly its two sentences, so their vectors are the ones the
    search used; only multi-sentence beads are encoded here, as their joined text (what the
    adequacy model was fitted on), in one batch. None when the alignment kept no vectors,
    they come from another encoder than ``encoder_name``, or merges need an encoder that
    was not given: the caller then encodes everything as before.
    """
    kept = alignment.vectors if alignment is not None else None
    if alignment is None or kept is None or kept.encoder != encoder_name \
            or len(report.pairs) != len(alignment.beads):
        return None
    size = (len(report.pairs), kept.src.shape[1])
    src, tgt = np.zeros(size), np.zeros(size)
    joined: list[int] = []
    for k, (pair, bead) in enumerate(zip(report.pairs, alignment.beads, strict=True)):
        if pair.is_null:
            continue
        if len(bead.src) == 1 and len(bead.tgt) == 1:
            src[k], tgt[k] = kept.src[bead.src[0]], kept.tgt[bead.tgt[0]]
        else:
            joined.append(k)
    if joined:
        if encoder is None or encoder.name != encoder_name:
            return None
        texts = [report.pairs[k].src for k in joined] + [report.pairs[k].tgt for k in joined]
        matrix = np.asarray(encoder.encode(texts), dtype=np.float64)
        src[joined], tgt[joined] = matrix[:len(joined)], matrix[len(joined):]
    return src, tgt


# --- the document score -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BeadFigures:
    """What the document score reads from one bead: its shape, confidence and adequacy."""

    src: int
    tgt: int
    confidence: float | None
    adequacy: float

    @property
    def is_null(self) -> bool:
        return not self.src or not self.tgt


def bead_figures(report: CheckReport, adequacy: Sequence[Adequacy],
                 alignment: Alignment | None = None) -> tuple[BeadFigures, ...]:
    """One ``BeadFigures`` per pair; shapes and confidences from ``alignment`` when given,
    else each pair is one sentence per non-empty side with no confidence."""
    if len(adequacy) != len(report.pairs):
        raise ValueError(f"{len(adequacy)} adequacy scores for {len(report.pairs)} pairs")
    if alignment is not None:
        if len(alignment.beads) != len(report.pairs):
            raise ValueError(f"{len(alignment.beads)} beads for {len(report.pairs)} pairs")
        return tuple(BeadFigures(len(b.src), len(b.tgt), b.confidence, a.score)
                     for b, a in zip(alignment.beads, adequacy, strict=True))
    return tuple(BeadFigures(int(bool(p.src)), int(bool(p.tgt)), None, a.score)
                 for p, a in zip(report.pairs, adequacy, strict=True))


def document_score(report: CheckReport, adequacy: Sequence[Adequacy], *,
                   alignment: Alignment | None = None) -> DocumentScore:
    """The 0-100 document score and its components (module docstring: ``doc:1``)."""
    beads = bead_figures(report, adequacy, alignment)
    return score_figures(beads, report.counts())


def score_figures(beads: Sequence[BeadFigures], findings: dict[str, int]) -> DocumentScore:
    """``document_score`` from bead figures and findings per severity."""
    sentences = sum(b.src + b.tgt for b in beads)
    if not beads or not sentences:
        raise InputError("the document pair has no sentences to score",
                         hint="pass documents that hold text")
    one_one = sum(b.src + b.tgt for b in beads if b.src == 1 and b.tgt == 1)
    null = sum(b.src + b.tgt for b in beads if b.is_null)
    components: list[tuple[str, float]] = [
        ("src_sentences", float(sum(b.src for b in beads))),
        ("tgt_sentences", float(sum(b.tgt for b in beads))),
        ("beads", float(len(beads))),
        ("share_1_1", one_one / sentences),
        ("share_n_m", (sentences - one_one - null) / sentences),
        ("share_null", null / sentences),
    ]
    confidences = [b.confidence for b in beads if b.confidence is not None]
    has_confidence = len(confidences) == len(beads)
    if has_confidence:
        values = np.asarray(confidences, dtype=np.float64)
        components += [("confidence_mean", float(values.mean())),
                       ("confidence_q10", float(np.quantile(values, 0.1))),
                       ("confidence_median", float(np.quantile(values, 0.5)))]
    live = [b.adequacy for b in beads if not b.is_null]
    adequacy_mean = float(np.mean(live)) if live else 0.0
    adequate = [min(1.0, max(0.0, (a - ADEQUACY_WRONG) / (ADEQUACY_RIGHT - ADEQUACY_WRONG)))
                for a in live]
    components.append(("adequacy_mean", adequacy_mean))
    components += [(f"{s.value}_per_100", 100.0 * findings.get(s.value, 0) / len(beads))
                   for s in Severity]
    penalty = sum(SEVERITY_WEIGHTS[s] * findings.get(s, 0) for s in SEVERITY_WEIGHTS)
    factors = {
        "coverage": 1.0 - null / sentences,
        "adequacy": float(np.mean(adequate)) if adequate else 0.0,
        "findings": math.exp(-penalty / len(beads)),
    }
    if has_confidence:
        factors["confidence"] = float(np.mean(confidences))
    total = sum(w for name, w in WEIGHTS if name in factors)
    score = 100.0
    for name, weight in WEIGHTS:
        if name in factors:
            score *= max(0.0, factors[name]) ** (weight / total)
            components.append((f"{name}_factor", factors[name]))
    return DocumentScore(round(score, 1), tuple((k, round(v, 4)) for k, v in components))


def confidence_histogram(review: Review, bins: int = HISTOGRAM_BINS) -> tuple[int, ...]:
    """Beads per confidence bin ``[k/bins, (k+1)/bins)`` (the last bin includes 1.0);
    empty when the review has no alignment."""
    if review.alignment is None:
        return ()
    counts = [0] * bins
    for bead in review.alignment.beads:
        counts[min(bins - 1, max(0, int(bead.confidence * bins)))] += 1
    return tuple(counts)


# --- re-scoring a saved run -----------------------------------------------------------------


def parse_signature(text: str) -> Signature:
    """A ``Signature`` back from its string (``aligner:V|enc:E|key:value|...``)."""
    parts = [part.partition(":") for part in text.split("|")]
    if len(parts) < 2 or parts[0][0] != "aligner" or parts[1][0] != "enc" \
            or any(not sep for _, sep, _ in parts):
        raise ValueError(f"not an aligner signature: {text!r}")
    return Signature(parts[0][2], parts[1][2], tuple((k, v) for k, _, v in parts[2:]))


def incompatibility(signature: Signature) -> str | None:
    """Why a saved alignment with ``signature`` cannot be re-scored by this version, or None.

    Its confidences must come from this package version and this confidence calibration,
    or its document score would not be comparable with a fresh run's.
    """
    from aligner.confidence import ConfidenceModel

    params = dict(signature.params)
    problems = []
    if signature.version != __version__:
        problems.append(f"aligner {signature.version}, this is {__version__}")
    calibration = ConfidenceModel.load().version
    if params.get("conf") != calibration:
        problems.append(f"confidence calibration {params.get('conf', '(none)')}, this "
                        f"version's is {calibration}")
    return "; ".join(problems) or None


def load_saved(records: Sequence[BeadRecord], *, source: str, src_lang: str = "ru",
               tgt_lang: str = "en", force: bool = False) -> tuple[Alignment, tuple[Pair, ...]]:
    """The alignment and pairs of a saved JSONL run (``read_alignment_jsonl``).

    Raises FormatError when the file is empty, its records do not carry one aligner
    signature, its beads do not cover the sentences once each, or (unless ``force``) the
    signature is from an incompatible version.
    """
    if not records:
        raise InputError("the alignment file has no beads", where=source,
                         hint="write one with: aligner align RU EN -f jsonl -o FILE")
    signatures = {r.signature for r in records}
    if None in signatures:
        line = next(n for n, r in enumerate(records, 1) if r.signature is None)
        raise FormatError("a record has no signature, so the run that made it is unknown",
                          where=f"{source}:{line}",
                          hint="re-align with: aligner align RU EN -f jsonl -o FILE")
    if len(signatures) > 1:
        raise FormatError("the records carry different signatures (files from different "
                          "runs joined?)", where=source,
                          hint="re-score each run's file on its own")
    text = str(next(iter(signatures)))
    try:
        signature = parse_signature(text)
    except ValueError as err:
        raise FormatError(str(err), where=source,
                          hint="re-align with: aligner align RU EN -f jsonl -o FILE") from err
    problem = incompatibility(signature)
    if problem is not None and not force:
        raise FormatError(f"the alignment was made by an incompatible version ({problem})",
                          where=source,
                          hint="re-align with this version, or pass --force to score it "
                               "anyway")
    for number, record in enumerate(records, 1):
        if not math.isfinite(record.confidence):
            raise FormatError("the bead has no confidence", where=f"{source}:{number}",
                              hint="re-align with: aligner align RU EN -f jsonl -o FILE")
    src = _document(records, "src", src_lang, source)
    tgt = _document(records, "tgt", tgt_lang, source)
    alignment = Alignment(src, tgt, tuple(r.to_bead() for r in records), signature)
    pairs = tuple(Pair(k, r.src_text, r.tgt_text, src_lang, tgt_lang, r.confidence, r.score)
                  for k, r in enumerate(records))
    return alignment, pairs


def _document(records: Sequence[BeadRecord], side: str, lang: str, source: str) -> Document:
    """One side rebuilt from the bead texts: each bead's text split back into as many
    sentences as it has indices (by the splitter; where that disagrees, the whole text goes
    to the first sentence). Offsets index the rebuilt text, one sentence per line."""
    from aligner.segment import segment

    texts: dict[int, tuple[str, int]] = {}
    role = "source" if side == "src" else "target"
    for number, record in enumerate(records, 1):
        indices = record.src_idx if side == "src" else record.tgt_idx
        text = record.src_text if side == "src" else record.tgt_text
        paragraph = (record.src_paragraph if side == "src" else record.tgt_paragraph) or 0
        parts = [text][:len(indices)]
        if len(indices) > 1:
            found = [s.text for s in segment(text, lang)]
            parts = found if len(found) == len(indices) else [text] + [""] * (len(indices) - 1)
        for index, part in zip(indices, parts, strict=True):
            if index in texts:
                raise FormatError(f"{role} sentence {index} is in two beads",
                                  where=f"{source}:{number}",
                                  hint="the file must come from one aligner run")
            texts[index] = (part, paragraph)
    if sorted(texts) != list(range(len(texts))):
        missing = sorted(set(range(max(texts, default=-1) + 1)) - texts.keys())
        raise FormatError(f"the beads leave {role} sentence {missing[0]} out", where=source,
                          hint="the file must hold every bead of one aligner run")
    sentences, offset = [], 0
    for index in range(len(texts)):
        part, paragraph = texts[index]
        sentences.append(Sentence(index, part, offset, offset + len(part), paragraph))
        offset += len(part) + 1
    return Document("\n".join(s.text for s in sentences), tuple(sentences), lang,
                    path=f"{source} ({side})")

