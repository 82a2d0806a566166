"""A corpus run: process every document pair (resuming an interrupted run), then assemble.

Each document's result is written atomically to ``OUT/.parts/<hash of id>.json`` the moment
it arrives; a file there means the document is done. A restarted run skips those whose
inputs and settings are unchanged and processes the rest, and the assembly reads the saved
results in document-id order, so an interrupted-and-resumed run writes the same bytes as an
uninterrupted one. ``OUT/.parts/signature`` records the settings that decide a document's
result: a run with other settings in the same folder is refused (``restart=True`` discards
the saved results). Filters and output formats are applied at assembly, so changing them
reuses every saved result.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from aligner.corpus.assemble import (
    CORPUS_FORMATS,
    AssemblyInput,
    CorpusFilters,
    assemble_corpus,
)
from aligner.corpus.document import (
    CorpusConfig,
    DocumentResult,
    input_digest,
    result_from_json,
    result_to_json,
    run_signature,
)
from aligner.corpus.engines import EncoderFactory, Engine, LocalEngine, run_jobs
from aligner.corpus.inputs import CorpusInputs, DocumentJob
from aligner.errors import InputError, UsageError
from aligner.io.atomic import atomic_write

WORK_DIR = ".parts"
_SIGNATURE_FILE = "signature"


class Progress(Protocol):
    """What a progress display is told: how many documents are to do, and each result."""

    def start(self, todo: int, done: int) -> None: ...

    def advance(self, result: DocumentResult) -> None: ...


@dataclass(frozen=True, slots=True)
class CorpusRun:
    """What a run did: the statistics (as in ``stats.json``), the files written, and how
    many documents it processed and took from an earlier, interrupted run."""

    stats: dict[str, Any]
    written: tuple[Path, ...]
    processed: int
    resumed: int


def build_corpus(
    inputs: CorpusInputs,
    out_dir: str | Path,
    *,
    encoder: EncoderFactory,
    config: CorpusConfig | None = None,
    filters: CorpusFilters | None = None,
    formats: Sequence[str] = ("jsonl",),
    engine: Engine | None = None,
    restart: bool = False,
    progress: Progress | None = None,
) -> CorpusRun:
    """Align, check and score every job of ``inputs`` and write the corpus to ``out_dir``.

    ``encoder`` makes one worker's encoder (picklable for process and Dask engines).
    """
    config = config or CorpusConfig()
    filters = filters or CorpusFilters()
    engine = engine or LocalEngine()
    filters.validate()
    unknown = sorted(set(formats) - set(CORPUS_FORMATS))
    if unknown:
        raise UsageError(f"unknown corpus format {', '.join(unknown)}",
                         hint=f"choose from {', '.join(CORPUS_FORMATS)}")
    if not inputs.jobs:
        found = f" ({len(inputs.unpaired)} files without a partner)" if inputs.unpaired else ""
        raise InputError(f"no document pairs to align{found}",
                         hint="check the folder layout (ru/ + en/, or 123.ru.txt + "
                              "123.en.txt) and --src-lang/--tgt-lang")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("the output path is a file, not a folder", where=str(out),
                         hint="give a folder for the corpus with -o")
    work = out / WORK_DIR
    signature = run_signature(config, encoder())
    _claim(work, signature, restart=restart)

    done: list[DocumentJob] = []
    todo: list[DocumentJob] = []
    for job in inputs.jobs:
        (done if _saved(work, job) else todo).append(job)
    if progress is not None:
        progress.start(len(todo), len(done))

    def save(result: DocumentResult) -> None:
        atomic_write(_part_path(work, result.job.id), _part_text(result))
        if progress is not None:
            progress.advance(result)

    run_jobs(engine, todo, config, encoder, save)

    setup = AssemblyInput(signature, config.src_lang, config.tgt_lang,
                          inputs.metadata_columns, inputs.unpaired, config.glossaries)
    stats, written = assemble_corpus(_load_all(work, inputs.jobs), out, setup, filters,
                                     formats)
    return CorpusRun(stats, tuple(written), len(todo), len(done))


def _claim(work: Path, signature: str, *, restart: bool) -> None:
    """Make ``work`` hold results for ``signature``: new, resumed, or (restart) emptied."""
    marker = work / _SIGNATURE_FILE
    if restart and work.exists():
        shutil.rmtree(work)
    if marker.exists():
        saved = marker.read_text(encoding="utf-8").strip()
        if saved != signature:
            raise UsageError(
                f"the folder holds results of a run with other settings "
                f"({_differences(saved, signature)})",
                where=str(work.parent),
                hint="pass --restart to discard them, or choose another output folder")
        return
    work.mkdir(parents=True, exist_ok=True)
    atomic_write(marker, signature + "\n")


def _differences(old: str, new: str) -> str:
    """``key: old -> new`` for each signature field that changed."""
    def fields(signature: str) -> dict[str, str]:
        return dict(part.partition(":")[::2] for part in signature.split("|"))

    before, after = fields(old), fields(new)
    changed = [f"{key}: {before.get(key, '-')} -> {after.get(key, '-')}"
               for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    return "; ".join(changed) or "a different signature"


def _part_path(work: Path, doc_id: str) -> Path:
    # Ids can hold "/" and characters no file system takes; a hash names the file.
    return work / (hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:24] + ".json")


def _part_text(result: DocumentResult) -> str:
    """Line 1: the job and input digest (read to decide whether to redo); line 2: all."""
    job = result.job
    head = {"id": job.id, "src": job.src, "tgt": job.tgt,
            "metadata": [list(item) for item in job.metadata], "digest": result.digest}
    return json.dumps(head, ensure_ascii=False) + "\n" + result_to_json(result) + "\n"


def _saved(work: Path, job: DocumentJob) -> bool:
    """Whether a saved result exists for ``job`` with the same files, bytes and metadata."""
    path = _part_path(work, job.id)
    try:
        with path.open(encoding="utf-8") as handle:
            head = json.loads(handle.readline())
    except (OSError, ValueError):
        return False
    same_job = (head.get("id"), head.get("src"), head.get("tgt"), head.get("metadata")) == \
        (job.id, job.src, job.tgt, [list(item) for item in job.metadata])
    return same_job and head.get("digest") is not None and \
        head.get("digest") == input_digest(job)


def _load_all(work: Path, jobs: Sequence[DocumentJob]) -> Iterator[DocumentResult]:
    for job in jobs:
        path = _part_path(work, job.id)
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
            yield result_from_json(lines[1])
        except (OSError, ValueError, IndexError, KeyError) as err:
            raise InputError(f"the saved result of document {job.id!r} is unreadable: {err}",
                             where=str(path),
                             hint="rerun with --restart to process every document again"
                             ) from err
