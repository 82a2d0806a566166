"""The one function that composes the stages: read -> segment -> encode -> align.

Both the CLI and the Python API call ``align_documents`` / ``align_files``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from aligner import __version__
from aligner.align import SearchParams, SearchResult, Side, SpanTable, search
from aligner.beadscore import DEFAULT_MODEL, E5_MODEL, BeadScorer, text_facts
from aligner.confidence import ConfidenceModel, bead_features
from aligner.encoders import get_encoder, get_second_encoder
from aligner.encoders.base import Embedding, Encoder, Matrix
from aligner.errors import InputError, UsageError
from aligner.langid import check_languages
from aligner.read import read_document
from aligner.types import Alignment, Bead, Document, ParagraphMode, SentenceVectors, Signature


@dataclass(frozen=True, slots=True)
class AlignConfig(SearchParams):
    """Everything that decides an alignment besides the documents and the encoder."""

    #: Check that each document is in the script of its language (catches swapped files).
    check_languages: bool = True


def align_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    encoding: str | None = None,
    paragraphs: ParagraphMode = "auto",
    presplit: bool = False,
    encoder: Encoder | str = "use",
    config: AlignConfig | None = None,
    second_encoder: Encoder | str | None = None,
) -> Alignment:
    """Read, segment and align two files (see ``align_documents``)."""
    src = read_document(src_path, src_lang, encoding=encoding, paragraphs=paragraphs,
                        presplit=presplit)
    tgt = read_document(tgt_path, tgt_lang, encoding=encoding, paragraphs=paragraphs,
                        presplit=presplit)
    return align_documents(src, tgt, encoder=encoder, config=config,
                           second_encoder=second_encoder)


def align_documents(
    src: Document,
    tgt: Document,
    *,
    encoder: Encoder | str = "use",
    config: AlignConfig | None = None,
    second_encoder: Encoder | str | None = None,
) -> Alignment:
    """Align two segmented documents; beads cover every sentence of both exactly once.

    ``second_encoder`` (``"e5"``, optional and slow) gives the learned second pass a second
    opinion: both documents are encoded with it too, and the bead scorer trained with it
    (``models/beadscorer-e5.json``) is used instead of the default one.
    """
    config = config or AlignConfig()
    shapes = config.bead_shapes()  # validates max_bead before any work
    del shapes
    for doc in (src, tgt):
        if not doc.sentences:
            raise InputError("the document has no sentences", where=doc.path or doc.lang,
                             hint="check that the file holds text")
    if config.check_languages:
        check_languages(src, tgt)
    model = get_encoder(encoder) if isinstance(encoder, str) else encoder
    second = (get_second_encoder(second_encoder) if isinstance(second_encoder, str)
              else second_encoder)
    if second is not None and config.rescore_band <= 0:
        raise UsageError("a second encoder is read only by the learned second pass, which "
                         "rescore_band=0 turns off", hint="leave the second encoder out")
    confidence_model = ConfidenceModel.load()
    scorer = (BeadScorer.load(E5_MODEL if second is not None else DEFAULT_MODEL)
              if config.rescore_band > 0 else None)

    started = time.perf_counter()
    result, src_side, tgt_side, encode_s = search_documents(src, tgt, model, config, scorer,
                                                            second)
    searched = time.perf_counter()
    encoded = started + encode_s

    features = bead_features(result, src_side.lengths, tgt_side.lengths)
    confidences = confidence_model.predict(features)
    beads = tuple(
        Bead(
            src=tuple(range(raw.src_start, raw.src_end)),
            tgt=tuple(range(raw.tgt_start, raw.tgt_end)),
            score=round(raw.similarity, 6),
            confidence=round(float(p), 6),
        )
        for raw, p in zip(result.beads, confidences, strict=True)
    )
    finished = time.perf_counter()
    return Alignment(
        src=src,
        tgt=tgt,
        beads=beads,
        signature=make_signature(model, config, confidence_model.version,
                                 scorer.version if scorer else None, second),
        timings=(
            ("encode", encoded - started),
            ("search", searched - encoded),
            ("confidence", finished - searched),
        ),
        vectors=SentenceVectors(model.name, src_side.embedding.sentences,
                                tgt_side.embedding.sentences),
    )


def search_documents(
    src: Document, tgt: Document, encoder: Encoder, config: AlignConfig,
    scorer: BeadScorer | None = None, second: Encoder | None = None,
) -> tuple[SearchResult, Side, Side, float]:
    """Encode both documents and search; also returns the seconds spent encoding.

    With a ``second`` encoder both documents are encoded with it as well (encoding time),
    and its sentence vectors go on the sides for the scorer's second opinion.

    With a ``scorer`` the search runs its learned second pass (the text facts it reads are
    gathered after encoding and count as search time). The raw search result is what
    ``scripts/calibrate_confidence.py`` learns from.
    """
    started = time.perf_counter()
    # One encoder call over both documents: identical sentences are encoded once per run.
    embedding = encoder.embed(src.texts + tgt.texts)
    n = len(src.sentences)
    # Span vectors for the multi-sentence candidates are composed here, as part of encoding.
    largest = config.max_bead - 1
    src_side = _side(src, SpanTable(_Slice(embedding, 0, n), largest))
    tgt_side = _side(tgt, SpanTable(_Slice(embedding, n, n + len(tgt.sentences)), largest))
    if second is not None:
        vectors = second.encode(src.texts + tgt.texts)
        src_side = replace(src_side, second=vectors[:n])
        tgt_side = replace(tgt_side, second=vectors[n:])
    encode_s = time.perf_counter() - started
    if scorer is not None:
        punctuation = scorer.uses_punctuation
        src_side = replace(src_side, facts=text_facts(src.texts, punctuation=punctuation))
        tgt_side = replace(tgt_side, facts=text_facts(tgt.texts, punctuation=punctuation))
    return search(src_side, tgt_side, config, scorer), src_side, tgt_side, encode_s


def make_signature(encoder: Encoder, config: AlignConfig, calibration: str,
                   scorer: str | None = None, second: Encoder | None = None) -> Signature:
    """Package version, encoder and every parameter that can change the result.

    ``scorer`` is the bead scorer's version; left out, it is read from the shipped weights
    when the configuration runs the second pass. ``second`` is the second encoder, named
    (with its version) only when there is one, so default signatures are unchanged.
    """
    if scorer is None and config.rescore_band > 0:
        scorer = BeadScorer.load().version
    params = tuple((f.name.replace("_", "-"), str(getattr(config, f.name)))
                   for f in fields(config))
    encoder_name = encoder.name
    version = getattr(encoder, "version", None)
    if version:
        encoder_name += f"@{version}"
    scored: tuple[tuple[str, str], ...] = (("scorer", scorer),) if scorer else ()
    if second is not None:
        second_version = getattr(second, "version", None)
        scored += (("second", second.name + (f"@{second_version}" if second_version else "")),)
    return Signature(__version__, encoder_name, (*params, *scored, ("conf", calibration)))


def _side(doc: Document, embedding: Embedding) -> Side:
    lengths = np.array([len(s.text) for s in doc.sentences], dtype=np.float64)
    paragraphs = np.array([s.paragraph for s in doc.sentences])
    starts = np.concatenate([[True], paragraphs[1:] != paragraphs[:-1]])
    return Side(embedding, lengths, starts)


class _Slice(Embedding):
    """Rows [start, end) of an embedding computed for both documents at once."""

    def __init__(self, whole: Embedding, start: int, end: int):
        self._whole = whole
        self._start = start
        self._end = end

    @property
    def sentences(self) -> Matrix:
        return self._whole.sentences[self._start : self._end]

    def spans(self, starts: np.ndarray, ends: np.ndarray) -> Matrix:
        return self._whole.spans(starts + self._start, ends + self._start)
