"""From per-document results to the corpus files, in document-id order.

Filters decide which beads go into the corpus; statistics, the per-document summary and the
term-consistency report cover every bead, kept or not. The corpus is streamed: one
document's result is in memory at a time (plus the de-duplication digests), so a corpus of
any size assembles in little memory. Every file is written to a temporary beside it and
renamed into place when all are complete, so an interrupted assembly leaves the previous
files as they were.

Files (in the output folder)::

    corpus.jsonl     one JSON object per kept bead (always)
    corpus.tsv       the same as a table          (--format tsv)
    corpus.tmx       TMX 1.4b, non-null beads     (--format tmx)
    corpus.<lang>    line-parallel text, non-null beads, + corpus.signature (--format moses)
    documents.tsv    one row per document: counts, means, findings, or why it failed
    terms.tsv        glossary terms rendered more than one way across the corpus
    stats.json       counts, filters, histograms, failures, unpaired files
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Final

from lxml import etree

from aligner import __version__
from aligner.corpus.document import BeadResult, DocumentResult
from aligner.corpus.inputs import Unpaired
from aligner.errors import UsageError
from aligner.io.atomic import OutputError
from aligner.io.moses import moses_paths
from aligner.io.records import one_line
from aligner.io.tmx import XML_LANG, xml_safe
from aligner.io.tsv import SIGNATURE_PREFIX, escape_field
from aligner.report import divergence_record

#: Formats of the corpus itself; jsonl is always written.
CORPUS_FORMATS: Final = ("jsonl", "tsv", "tmx", "moses")

CORPUS_COLUMNS: Final = ("doc", "bead", "src_idx", "tgt_idx", "src_text", "tgt_text", "kind",
                         "confidence", "score", "adequacy", "findings")
DOCUMENT_COLUMNS: Final = ("id", "status", "src_path", "tgt_path", "src_sentences",
                           "tgt_sentences", "beads", "kept", "null_beads", "mean_confidence",
                           "mean_adequacy", "critical", "major", "minor", "document_score",
                           "error")
TERM_COLUMNS: Final = ("ru", "en", "count", "documents")
_BINS: Final = 10


@dataclass(frozen=True, slots=True)
class CorpusFilters:
    """Which beads go into the corpus. Statistics count every bead, kept or not.

    ``min_confidence`` applies to every bead (for a null bead, confidence is the probability
    that the sentence really has no counterpart); ``min_adequacy`` and ``length_ratio`` (the
    bounds of target characters per source character) to beads with both sides. ``dedup``
    keeps only the first occurrence (in document-id order) of a pair of texts.
    """

    min_confidence: float | None = None
    min_adequacy: float | None = None
    length_ratio: tuple[float, float] | None = None
    drop_null: bool = False
    dedup: bool = False

    def validate(self) -> None:
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise UsageError(f"--min-confidence {self.min_confidence} is not between 0 and 1",
                             hint="confidence is a probability, e.g. --min-confidence 0.5")
        if self.min_adequacy is not None and not 0.0 <= self.min_adequacy <= 100.0:
            raise UsageError(f"--min-adequacy {self.min_adequacy} is not between 0 and 100",
                             hint="adequacy is on a 0-100 scale, e.g. --min-adequacy 50")
        if self.length_ratio is not None:
            low, high = self.length_ratio
            if not 0.0 < low < high:
                raise UsageError(f"--length-ratio {low} {high}: need 0 < LOW < HIGH",
                                 hint="e.g. --length-ratio 0.5 2.0 (English characters per "
                                      "Russian character)")

    def describe(self) -> str:
        """The filters as signature fields, e.g. ``min-conf:0.5|drop-null:yes``."""
        ratio = "none" if self.length_ratio is None else \
            f"{self.length_ratio[0]:g}-{self.length_ratio[1]:g}"
        return "|".join([
            f"min-conf:{'none' if self.min_confidence is None else f'{self.min_confidence:g}'}",
            f"min-adequacy:{'none' if self.min_adequacy is None else f'{self.min_adequacy:g}'}",
            f"length-ratio:{ratio}",
            f"drop-null:{'yes' if self.drop_null else 'no'}",
            f"dedup:{'yes' if self.dedup else 'no'}",
        ])

    def rejects(self, bead: BeadResult) -> str | None:
        """The first filter ``bead`` fails (``null``, ``confidence`` ...), or None.

        De-duplication is decided across documents, by ``assemble_corpus``.
        """
        if bead.is_null and self.drop_null:
            return "null"
        if self.min_confidence is not None and bead.confidence < self.min_confidence:
            return "confidence"
        if bead.is_null:  # no translation: no adequacy, no length ratio to judge
            return None
        if self.min_adequacy is not None and (bead.adequacy or 0.0) < self.min_adequacy:
            return "adequacy"
        if self.length_ratio is not None:
            ratio = length_ratio(bead)
            if not self.length_ratio[0] <= ratio <= self.length_ratio[1]:
                return "length_ratio"
        return None


def length_ratio(bead: BeadResult) -> float:
    """Target characters per source character (inf for an empty source)."""
    return len(bead.tgt_text) / len(bead.src_text) if bead.src_text else math.inf


@dataclass(frozen=True, slots=True)
class AssemblyInput:
    """What ``assemble_corpus`` needs besides the results."""

    signature: str
    src_lang: str
    tgt_lang: str
    metadata_columns: tuple[str, ...]
    unpaired: tuple[Unpaired, ...]
    glossaries: tuple[str, ...]


def assemble_corpus(results: Iterable[DocumentResult], out_dir: Path, setup: AssemblyInput,
                    filters: CorpusFilters, formats: Sequence[str]) -> tuple[dict[str, Any],
                                                                              list[Path]]:
    """Write the corpus files for ``results`` (in the order given); returns the statistics
    (also in ``stats.json``) and the files written."""
    unknown = sorted(set(formats) - set(CORPUS_FORMATS))
    if unknown:
        raise UsageError(f"unknown corpus format {', '.join(unknown)}",
                         hint=f"choose from {', '.join(CORPUS_FORMATS)}")
    signature = f"{setup.signature}|{filters.describe()}"
    staged = _StagedFiles()
    try:
        writers = _writers(staged, out_dir, setup, signature, set(formats) | {"jsonl"})
        documents = staged.text(out_dir / "documents.tsv")
        documents.write(_tsv_row((*DOCUMENT_COLUMNS, *setup.metadata_columns)))
        stats = _Stats(filters)
        for result in results:
            kept = stats.add(result)
            metadata = dict(result.job.metadata)
            for number, bead in kept:
                for writer in writers:
                    writer.bead(result.job.id, number, bead, metadata)
            documents.write(_document_row(result, len(kept), setup.metadata_columns))
        for writer in writers:
            writer.close()
        terms = _inconsistent_terms(stats.terms, stats.term_documents, setup.glossaries)
        handle = staged.text(out_dir / "terms.tsv")
        handle.write(_tsv_row(TERM_COLUMNS))
        for row in terms:
            handle.write(_tsv_row(row))
        summary = stats.summary(signature, filters, setup.unpaired,
                                len({row[0] for row in terms}))
        staged.text(out_dir / "stats.json").write(
            json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        written = staged.commit()
    except BaseException:
        staged.discard()
        raise
    return summary, written


# --- statistics ------------------------------------------------------------------------------


class _Stats:
    """Counts over every document and bead, and the filter decisions."""

    def __init__(self, filters: CorpusFilters):
        self.filters = filters
        self.documents = Counter[str]()
        self.sentences = Counter[str]()
        self.kinds = Counter[str]()
        self.kept_kinds = Counter[str]()
        self.filtered = Counter[str]()
        self.severities = Counter[str]()
        self.checks = Counter[str]()
        self.confidence = [0] * _BINS
        self.adequacy = [0] * _BINS
        self.document_scores = [0] * _BINS
        self.failures: list[dict[str, str]] = []
        self.seen: set[bytes] = set()
        self.terms: dict[str, Counter[str]] = {}
        self.term_documents: dict[tuple[str, str], list[str]] = {}

    def add(self, result: DocumentResult) -> list[tuple[int, BeadResult]]:
        """Count ``result``; returns its kept beads with their numbers in the document."""
        self.documents["total"] += 1
        if not result.ok:
            self.documents["failed"] += 1
            self.failures.append({"id": result.job.id, "src": result.job.src,
                                  "tgt": result.job.tgt, "error": result.error or ""})
            return []
        self.documents["aligned"] += 1
        self.sentences["src"] += result.src_sentences
        self.sentences["tgt"] += result.tgt_sentences
        if result.document_score is not None:
            self.document_scores[_bin(result.document_score / 100.0)] += 1
        for ru, renderings in result.terms:
            for en, count in renderings:
                self.terms.setdefault(ru, Counter())[en] += count
                self.term_documents.setdefault((ru, en), []).append(result.job.id)
        kept = []
        for number, bead in enumerate(result.beads):
            self.kinds[bead.kind] += 1
            self.confidence[_bin(bead.confidence)] += 1
            if bead.adequacy is not None:
                self.adequacy[_bin(bead.adequacy / 100.0)] += 1
            for finding in bead.findings:
                self.severities[finding.severity.value] += 1
                self.checks[finding.check] += 1
            reason = self.filters.rejects(bead) or self._duplicate(bead)
            if reason is not None:
                self.filtered[reason] += 1
                continue
            self.kept_kinds[bead.kind] += 1
            kept.append((number, bead))
        return kept

    def _duplicate(self, bead: BeadResult) -> str | None:
        if not self.filters.dedup:
            return None
        # A 16-byte digest per pair keeps de-duplication memory small on large corpora.
        key = hashlib.blake2b(f"{bead.src_text}\x00{bead.tgt_text}".encode(),
                              digest_size=16).digest()
        if key in self.seen:
            return "duplicate"
        self.seen.add(key)
        return None

    def summary(self, signature: str, filters: CorpusFilters, unpaired: Sequence[Unpaired],
                inconsistent_terms: int) -> dict[str, Any]:
        edges = [round(k / _BINS, 2) for k in range(_BINS + 1)]
        percent = [round(100 * k / _BINS, 1) for k in range(_BINS + 1)]
        histograms: dict[str, Any] = {
            "confidence": {"edges": edges, "counts": self.confidence},
            "adequacy": {"edges": percent, "counts": self.adequacy},
        }
        if any(self.document_scores):
            histograms["document_score"] = {"edges": percent, "counts": self.document_scores}
        return {
            "signature": signature,
            "filters": {
                "min_confidence": filters.min_confidence,
                "min_adequacy": filters.min_adequacy,
                "length_ratio": list(filters.length_ratio) if filters.length_ratio else None,
                "drop_null": filters.drop_null,
                "dedup": filters.dedup,
            },
            "documents": {key: self.documents[key] for key in ("total", "aligned", "failed")},
            "sentences": {key: self.sentences[key] for key in ("src", "tgt")},
            "beads": {
                "total": self.kinds.total(),
                "by_kind": _ranked(self.kinds),
                "kept": self.kept_kinds.total(),
                "kept_by_kind": _ranked(self.kept_kinds),
                "filtered": {key: self.filtered[key] for key in
                             ("null", "confidence", "adequacy", "length_ratio", "duplicate")},
            },
            "findings": {
                "by_severity": {key: self.severities[key]
                                for key in ("critical", "major", "minor")},
                "by_check": dict(sorted(self.checks.items())),
            },
            # Over every bead of the aligned documents, before filtering (adequacy: non-null
            # beads only); bin k counts edges[k] <= value < edges[k + 1], the last bin
            # includes its upper edge.
            "histograms": histograms,
            "inconsistent_terms": inconsistent_terms,
            "failures": self.failures,
            "unpaired": [{"path": u.path, "reason": u.reason} for u in unpaired],
        }


def _bin(value: float) -> int:
    return min(_BINS - 1, max(0, int(value * _BINS)))


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _inconsistent_terms(counts: dict[str, Counter[str]],
                        documents: dict[tuple[str, str], list[str]],
                        glossaries: Sequence[str]) -> list[tuple[str, ...]]:
    """Rows ``(ru, en, count, documents)`` for every term rendered more than one way."""
    from aligner.checks.consistency import inconsistent_terms
    from aligner.glossary import load_glossary

    if not counts:
        return []
    rows: list[tuple[str, ...]] = []
    for ru, counter in sorted(inconsistent_terms(counts, load_glossary(glossaries)).items()):
        for en, count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
            rows.append((ru, en, str(count), ",".join(documents[(ru, en)])))
    return rows


# --- one writer per corpus format ------------------------------------------------------------


class _Writer:
    def bead(self, doc: str, number: int, bead: BeadResult, metadata: dict[str, str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Write what comes after the last bead."""


class _JsonlWriter(_Writer):
    def __init__(self, handle: IO[str]):
        self.handle = handle

    def bead(self, doc: str, number: int, bead: BeadResult, metadata: dict[str, str]) -> None:
        record = {
            "doc": doc, "bead": number,
            "src_idx": list(bead.src_idx), "tgt_idx": list(bead.tgt_idx),
            "src_text": bead.src_text, "tgt_text": bead.tgt_text, "kind": bead.kind,
            "confidence": bead.confidence, "score": bead.score, "adequacy": bead.adequacy,
            "findings": [divergence_record(d) for d in bead.findings],
            "metadata": metadata,
        }
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")


class _TsvWriter(_Writer):
    def __init__(self, handle: IO[str], signature: str, metadata_columns: tuple[str, ...]):
        self.handle = handle
        self.columns = metadata_columns
        handle.write(SIGNATURE_PREFIX + one_line(signature) + "\n")
        handle.write(_tsv_row((*CORPUS_COLUMNS, *metadata_columns)))

    def bead(self, doc: str, number: int, bead: BeadResult, metadata: dict[str, str]) -> None:
        self.handle.write(_tsv_row((
            doc, str(number), _indices(bead.src_idx), _indices(bead.tgt_idx),
            bead.src_text, bead.tgt_text, bead.kind, f"{bead.confidence:.4f}",
            f"{bead.score:.4f}", "" if bead.adequacy is None else f"{bead.adequacy:.1f}",
            ",".join(d.check for d in bead.findings),
            *(metadata.get(c, "") for c in self.columns),
        )))


class _TmxWriter(_Writer):
    """TMX 1.4b streamed with lxml's incremental writer (``etree.xmlfile``)."""

    def __init__(self, handle: BinaryIO, signature: str, src_lang: str, tgt_lang: str):
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self._stack = contextlib.ExitStack()
        xf = self._stack.enter_context(etree.xmlfile(handle, encoding="UTF-8"))
        xf.write_declaration()
        self._stack.enter_context(xf.element("tmx", version="1.4"))
        xf.write("\n")
        header = etree.Element("header", {
            "creationtool": "aligner", "creationtoolversion": __version__,
            "segtype": "sentence", "o-tmf": "aligner", "adminlang": "en",
            "srclang": src_lang, "datatype": "plaintext",
        })
        _prop(header, "x-aligner-signature", signature)
        xf.write(header, pretty_print=True)
        self._stack.enter_context(xf.element("body"))
        xf.write("\n")
        self.xf = xf

    def bead(self, doc: str, number: int, bead: BeadResult, metadata: dict[str, str]) -> None:
        if bead.is_null:
            return
        tu = etree.Element("tu", tuid=xml_safe(f"{doc}#{number}"))
        _prop(tu, "x-doc", doc)
        _prop(tu, "x-bead", str(number))
        _prop(tu, "x-src-idx", _indices(bead.src_idx))
        _prop(tu, "x-tgt-idx", _indices(bead.tgt_idx))
        _prop(tu, "x-confidence", f"{bead.confidence:.4f}")
        _prop(tu, "x-score", f"{bead.score:.4f}")
        if bead.adequacy is not None:
            _prop(tu, "x-adequacy", f"{bead.adequacy:.1f}")
        for name, value in metadata.items():
            _prop(tu, f"x-{name}", value)
        for lang, text in ((self.src_lang, bead.src_text), (self.tgt_lang, bead.tgt_text)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = xml_safe(text)
        self.xf.write(tu, pretty_print=True)

    def close(self) -> None:
        self._stack.close()


class _MosesWriter(_Writer):
    def __init__(self, src: IO[str], tgt: IO[str]):
        self.src, self.tgt = src, tgt

    def bead(self, doc: str, number: int, bead: BeadResult, metadata: dict[str, str]) -> None:
        if bead.is_null:
            return
        self.src.write(one_line(bead.src_text) + "\n")
        self.tgt.write(one_line(bead.tgt_text) + "\n")


def _writers(staged: _StagedFiles, out_dir: Path, setup: AssemblyInput, signature: str,
             formats: set[str]) -> list[_Writer]:
    writers: list[_Writer] = [_JsonlWriter(staged.text(out_dir / "corpus.jsonl"))]
    if "tsv" in formats:
        writers.append(_TsvWriter(staged.text(out_dir / "corpus.tsv"), signature,
                                  setup.metadata_columns))
    if "tmx" in formats:
        writers.append(_TmxWriter(staged.binary(out_dir / "corpus.tmx"), signature,
                                  setup.src_lang, setup.tgt_lang))
    if "moses" in formats:
        src, tgt, sig = moses_paths(out_dir / "corpus", setup.src_lang, setup.tgt_lang)
        writers.append(_MosesWriter(staged.text(src), staged.text(tgt)))
        staged.text(sig).write(one_line(signature) + "\n")
    return writers


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = xml_safe(value)


def _indices(indices: Sequence[int]) -> str:
    return ",".join(map(str, indices))


def _tsv_row(cells: Sequence[str]) -> str:
    return "\t".join(escape_field(cell) for cell in cells) + "\n"


def _document_row(result: DocumentResult, kept: int, metadata_columns: Sequence[str]) -> str:
    metadata = dict(result.job.metadata)
    extra = [metadata.get(c, "") for c in metadata_columns]
    if not result.ok:
        return _tsv_row((result.job.id, "failed", result.job.src, result.job.tgt,
                         *[""] * 11, result.error or "", *extra))
    beads = result.beads
    live = [b.adequacy for b in beads if b.adequacy is not None]
    severities = Counter(d.severity.value for b in beads for d in b.findings)
    return _tsv_row((
        result.job.id, "aligned", result.job.src, result.job.tgt,
        str(result.src_sentences), str(result.tgt_sentences), str(len(beads)), str(kept),
        str(sum(b.is_null for b in beads)),
        f"{sum(b.confidence for b in beads) / len(beads):.4f}" if beads else "",
        f"{sum(live) / len(live):.1f}" if live else "",
        *(str(severities[s]) for s in ("critical", "major", "minor")),
        "" if result.document_score is None else f"{result.document_score:.1f}",
        "", *extra,
    ))


# --- files renamed into place together -------------------------------------------------------


class _StagedFiles:
    """Output files streamed to temporaries beside their targets and renamed into place only
    when all are complete.

    ``aligner.io.atomic`` does the same for contents held in memory; a corpus can be larger
    than memory, so its files are written as they are assembled.
    """

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path, IO[Any]]] = []  # (target, temporary, handle)

    def binary(self, target: Path) -> BinaryIO:
        temporary, handle = _create_temporary(target)
        self._files.append((target, temporary, handle))
        return handle

    def text(self, target: Path) -> IO[str]:
        temporary, raw = _create_temporary(target)
        handle = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        self._files.append((target, temporary, handle))
        return handle

    def commit(self) -> list[Path]:
        for target, _, handle in self._files:
            with _writing(target):
                handle.flush()
                os.fsync(handle.fileno())
        for target, temporary, handle in self._files:
            with _writing(target):
                handle.close()
                os.replace(temporary, target)
        written = [target for target, _, _ in self._files]
        self._files = []
        return written

    def discard(self) -> None:
        for _, temporary, handle in self._files:
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._files = []


def _create_temporary(target: Path) -> tuple[Path, BinaryIO]:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    with _writing(target):
        # os.open with 0o666 lets the umask decide, as for any new file.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    return temporary, os.fdopen(fd, "wb")


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as err:
        raise OutputError(f"cannot write: {err.strerror or err}", where=str(target),
                          hint="check that the output folder is writable and has space"
                          ) from err

