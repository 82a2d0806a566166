"""The check stage: run the registered divergence checks over aligned pairs.

``check_alignment`` takes an ``Alignment`` (from ``align_documents``); ``check_pairs`` takes
pairs built any other way (``--aligned`` line pairs, a corpus, a benchmark).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aligner.checks import CheckContext, CheckSpec, Divergence, Pair, Severity, select_checks
from aligner.errors import InputError
from aligner.read import read_text
from aligner.types import Alignment


@dataclass(frozen=True, slots=True)
class Finding:
    """A divergence and the bead (pair) it was found in."""

    pair_index: int
    divergence: Divergence


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The pairs that were checked, what was found, and which checks ran."""

    pairs: tuple[Pair, ...]
    findings: tuple[Finding, ...]
    checks: tuple[str, ...]

    def for_pair(self, index: int) -> tuple[Divergence, ...]:
        return tuple(f.divergence for f in self.findings if f.pair_index == index)

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.divergence.severity.rank >= severity.rank)

    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present (zeros included)."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.divergence.severity.value] += 1
        return out


def pairs_from_alignment(alignment: Alignment) -> tuple[Pair, ...]:
    """One ``Pair`` per bead: the bead's sentences joined with one space on each side."""
    src, tgt = alignment.src.sentences, alignment.tgt.sentences
    return tuple(
        Pair(
            index=k,
            src=" ".join(src[i].text for i in bead.src),
            tgt=" ".join(tgt[j].text for j in bead.tgt),
            src_lang=alignment.src.lang,
            tgt_lang=alignment.tgt.lang,
            confidence=bead.confidence,
            score=bead.score,
        )
        for k, bead in enumerate(alignment.beads)
    )


def pairs_from_aligned_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    encoding: str | None = None,
) -> tuple[Pair, ...]:
    """Line i of one file with line i of the other (``--aligned``); counts must agree."""
    src_lines = read_text(src_path, encoding=encoding)[0].splitlines()
    tgt_lines = read_text(tgt_path, encoding=encoding)[0].splitlines()
    while src_lines and not src_lines[-1].strip() and len(src_lines) > len(tgt_lines):
        src_lines.pop()
    while tgt_lines and not tgt_lines[-1].strip() and len(tgt_lines) > len(src_lines):
        tgt_lines.pop()
    if len(src_lines) != len(tgt_lines):
        raise InputError(
            f"--aligned needs the same number of lines in both files, but {src_path} has "
            f"{len(src_lines)} and {tgt_path} has {len(tgt_lines)}",
            hint="drop --aligned to align the files first",
        )
    return tuple(
        Pair(index=k, src=s.strip(), tgt=t.strip(), src_lang=src_lang, tgt_lang=tgt_lang)
        for k, (s, t) in enumerate(zip(src_lines, tgt_lines, strict=True))
    )


def check_pairs(
    pairs: Sequence[Pair],
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
    context: CheckContext | None = None,
) -> CheckReport:
    """Run the selected checks (all by default) over ``pairs``."""
    specs = select_checks(include, exclude)
    context = context or CheckContext(glossary_paths=tuple(str(p) for p in glossaries))
    with _collector_paused():
        findings = [*_pair_findings(pairs, specs, context),
                    *_document_findings(pairs, specs, context)]
    findings.sort(key=lambda f: (f.pair_index, -f.divergence.severity.rank,
                                 f.divergence.check))
    return CheckReport(tuple(pairs), tuple(findings), tuple(s.name for s in specs))


def check_alignment(
    alignment: Alignment,
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    glossaries: Sequence[str | Path] = (),
) -> CheckReport:
    """Check every bead of an alignment."""
    return check_pairs(pairs_from_alignment(alignment), include=include, exclude=exclude,
                       glossaries=glossaries)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the checks run.

    The checks make many small short-lived objects, which set off collections, and a full
    collection walks every object of the process (the encoder's and its libraries' too):
    in `aligner check` of a 264-bead document that was 0.15 s of the checks' 1.3 s. What
    the checks leave in cycles (a few megabytes) is collected once the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pair_findings(pairs: Sequence[Pair], specs: Sequence[CheckSpec],
                   context: CheckContext) -> list[Finding]:
    # Pair by pair, every check on it in turn: the checks share the pair's analyses (words,
    # lemmas, dates) through the context, which forgets them before the next pair.
    run = [spec.run_pair for spec in specs if spec.run_pair is not None]
    out = []
    for pair in pairs:
        for run_pair in run:
            out += [Finding(pair.index, d) for d in run_pair(pair, context)]
        context.forget_analyses()
    return out


def _document_findings(pairs: Sequence[Pair], specs: Sequence[CheckSpec],
                       context: CheckContext) -> list[Finding]:
    out = []
    for spec in specs:
        if spec.run_document is not None:
            out += [Finding(k, d) for k, d in spec.run_document(pairs, context)]
    return out
