"""The work done for one document pair of a corpus, whichever engine runs it.

``process_document`` reads both files, aligns them, runs the checks, scores adequacy and
collects the glossary terms' renderings. Every engine (in-process, local processes, Dask
workers) calls this one function, so their results are the same. A problem with the input
(empty, unreadable, binary, wrong language) is an ``InputError``: it becomes a failed
``DocumentResult`` that says why, and the run goes on. Anything else (a missing encoder, a
bug) propagates and stops the run, which can then be resumed.

Results travel as JSON (``result_to_json`` / ``result_from_json``): that is what a
resumable run keeps per document in its work folder.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligner.check import check_pairs, pairs_from_alignment
from aligner.checks import CheckContext, Divergence, Pair, select_checks
from aligner.checks.base import Category, Severity
from aligner.corpus.inputs import DocumentJob
from aligner.encoders.base import Encoder
from aligner.errors import InputError
from aligner.pipeline import AlignConfig, align_documents, make_signature
from aligner.read import read_document
from aligner.report import divergence_record
from aligner.scoring import DOC_SCORE_VERSION, document_score, score_adequacy
from aligner.types import ParagraphMode

#: Version of the saved per-document result's layout; bump it when the layout changes.
RESULT_VERSION = "1"
#: The check whose corpus-wide form is the term-consistency report: without it, no terms.
_CONSISTENCY = "consistency.v1"


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    """Everything besides the encoder that decides a document's result."""

    src_lang: str = "ru"
    tgt_lang: str = "en"
    encoding: str | None = None
    paragraphs: ParagraphMode = "auto"
    presplit: bool = False
    align: AlignConfig = field(default_factory=AlignConfig)
    #: Checks to run (None: all registered) and to leave out.
    checks: tuple[str, ...] | None = None
    exclude_checks: tuple[str, ...] = ()
    glossaries: tuple[str, ...] = ()

    def new_context(self) -> CheckContext:
        """The context one worker shares between all its documents (glossary, lexicon and
        morphology load once per worker, not once per document)."""
        return CheckContext(glossary_paths=self.glossaries)


@dataclass(frozen=True, slots=True)
class BeadResult:
    """One bead with what the checks and the adequacy model said about it."""

    src_idx: tuple[int, ...]
    tgt_idx: tuple[int, ...]
    src_text: str
    tgt_text: str
    confidence: float
    score: float
    adequacy: float | None
    findings: tuple[Divergence, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.src_idx)}-{len(self.tgt_idx)}"

    @property
    def is_null(self) -> bool:
        return not self.src_idx or not self.tgt_idx


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What became of one job: its beads, or the reason it failed.

    ``digest`` identifies the input bytes (a resumed run redoes a document whose files
    changed); ``terms`` counts each glossary term's English renderings in the document,
    ``((ru, ((en, count), ...)), ...)``, for the corpus-wide consistency report (empty when
    the consistency.v1 check is not selected).
    """

    job: DocumentJob
    digest: str | None
    error: str | None = None
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: tuple[BeadResult, ...] = ()
    terms: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    document_score: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def process_document(job: DocumentJob, config: CorpusConfig, encoder: Encoder, *,
                     context: CheckContext | None = None) -> DocumentResult:
    """Read, align, check and score one document pair.

    ``context`` is the worker's shared ``CheckContext`` (``config.new_context()``); without
    it a fresh one is made, which reloads the glossary and word lists.
    """
    context = context or config.new_context()
    digest = input_digest(job)
    try:
        src = read_document(job.src, config.src_lang, encoding=config.encoding,
                            paragraphs=config.paragraphs, presplit=config.presplit)
        tgt = read_document(job.tgt, config.tgt_lang, encoding=config.encoding,
                            paragraphs=config.paragraphs, presplit=config.presplit)
        alignment = align_documents(src, tgt, encoder=encoder, config=config.align)
    except InputError as err:
        return DocumentResult(job, digest, error=str(err))
    report = check_pairs(pairs_from_alignment(alignment), include=config.checks,
                         exclude=config.exclude_checks, context=context)
    adequacy, _ = score_adequacy(report, encoder=encoder, context=context,
                                 alignment=alignment)
    document = document_score(report, adequacy, alignment=alignment)
    beads = tuple(
        BeadResult(
            src_idx=bead.src, tgt_idx=bead.tgt, src_text=pair.src, tgt_text=pair.tgt,
            confidence=bead.confidence, score=bead.score,
            adequacy=None if pair.is_null else score.score,
            findings=report.for_pair(pair.index),
        )
        for bead, pair, score in zip(alignment.beads, report.pairs, adequacy, strict=True)
    )
    return DocumentResult(
        job, digest,
        src_sentences=len(src.sentences), tgt_sentences=len(tgt.sentences),
        beads=beads,
        terms=term_counts(report.pairs, context) if _CONSISTENCY in report.checks else (),
        document_score=document.score,
    )


def term_counts(pairs: tuple[Pair, ...], context: CheckContext
                ) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Each glossary term's renderings in ``pairs`` with counts, sorted.

    The same counts as ``consistency.term_renderings``, through the context's term index:
    building a ``TermIndex`` takes about 0.1 s, too much to repeat for every document.
    """
    from aligner.checks.consistency import occurrences
    from aligner.checks.terminology import glossary_index

    counts: dict[str, Counter[str]] = {}
    for occurrence in occurrences(pairs, glossary_index(context)):
        counts.setdefault(occurrence.term.ru, Counter())[occurrence.rendering.en] += 1
    return tuple((ru, tuple(sorted(counter.items()))) for ru, counter in sorted(counts.items()))


def input_digest(job: DocumentJob) -> str | None:
    """SHA-256 of both input files' bytes (None when one cannot be read)."""
    digest = hashlib.sha256()
    try:
        for path in (job.src, job.tgt):
            data = Path(path).read_bytes()
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def run_signature(config: CorpusConfig, encoder: Encoder) -> str:
    """Everything that decides the per-document results, as one string.

    A resumed run must have the same signature as the run that made the saved results.
    Glossaries count by content (a hash), not by path.
    """
    from aligner.adequacy import AdequacyModel
    from aligner.confidence import ConfidenceModel

    alignment = make_signature(encoder, config.align, ConfidenceModel.load().version)
    checks = ",".join(s.name for s in select_checks(config.checks, config.exclude_checks))
    glossaries = ",".join(_file_hash(p) for p in config.glossaries) or "default"
    adequacy = AdequacyModel.load()
    parts = [
        str(alignment),
        f"langs:{config.src_lang}-{config.tgt_lang}",
        f"encoding:{config.encoding or 'detect'}",
        f"paragraphs:{config.paragraphs}",
        f"presplit:{config.presplit}",
        f"checks:{checks}",
        f"glossaries:{glossaries}",
        # The same fields as a review's signature (aligner.scoring.review).
        adequacy.signature,
        f"doc:{DOC_SCORE_VERSION}",
        f"corpus:{RESULT_VERSION}",
    ]
    return "|".join(parts)


def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError as err:
        raise InputError(f"cannot read the glossary: {err.strerror or err}", where=path,
                         hint="check the path given to --glossary") from err


# --- JSON ------------------------------------------------------------------------------------


def result_to_json(result: DocumentResult) -> str:
    """One line of JSON (UTF-8 text unescaped); ``result_from_json`` reads it back equal."""
    job = result.job
    data = {
        "id": job.id, "src": job.src, "tgt": job.tgt,
        "metadata": [list(item) for item in job.metadata],
        "digest": result.digest,
        "error": result.error,
        "src_sentences": result.src_sentences,
        "tgt_sentences": result.tgt_sentences,
        "beads": [_bead_to_json(b) for b in result.beads],
        "terms": [[ru, [list(r) for r in renderings]] for ru, renderings in result.terms],
        "document_score": result.document_score,
    }
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def result_from_json(text: str) -> DocumentResult:
    data = json.loads(text)
    job = DocumentJob(data["id"], data["src"], data["tgt"],
                      tuple((str(k), str(v)) for k, v in data["metadata"]))
    return DocumentResult(
        job=job,
        digest=data["digest"],
        error=data["error"],
        src_sentences=data["src_sentences"],
        tgt_sentences=data["tgt_sentences"],
        beads=tuple(_bead_from_json(b) for b in data["beads"]),
        terms=tuple((ru, tuple((en, int(n)) for en, n in renderings))
                    for ru, renderings in data["terms"]),
        document_score=data["document_score"],
    )


def _bead_to_json(bead: BeadResult) -> dict[str, Any]:
    return {
        "src_idx": list(bead.src_idx), "tgt_idx": list(bead.tgt_idx),
        "src_text": bead.src_text, "tgt_text": bead.tgt_text,
        "confidence": bead.confidence, "score": bead.score, "adequacy": bead.adequacy,
        "findings": [divergence_record(d) for d in bead.findings],
    }


def _bead_from_json(data: dict[str, Any]) -> BeadResult:
    return BeadResult(
        src_idx=tuple(data["src_idx"]), tgt_idx=tuple(data["tgt_idx"]),
        src_text=data["src_text"], tgt_text=data["tgt_text"],
        confidence=data["confidence"], score=data["score"], adequacy=data["adequacy"],
        findings=tuple(
            Divergence(f["check"], Severity(f["severity"]), Category(f["category"]),
                       f["message"], tuple(tuple(s) for s in f["src_spans"]),
                       tuple(tuple(s) for s in f["tgt_spans"]), f["suggestion"])
            for f in data["findings"]
        ),
    )
