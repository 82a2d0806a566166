"""Batch mode: align, check and score many document pairs into one filtered corpus.

``discover_inputs`` finds the pairs (two folders, one folder, or a manifest),
``build_corpus`` processes them on an engine (this process, local processes, or a Dask
cluster) and writes the corpus, its statistics and reports. The per-document work is one
function, ``process_document``, whichever engine runs it.
"""

from __future__ import annotations

from aligner.corpus.assemble import CORPUS_FORMATS, CorpusFilters
from aligner.corpus.build import CorpusRun, Progress, build_corpus
from aligner.corpus.document import (
    BeadResult,
    CorpusConfig,
    DocumentResult,
    process_document,
)
from aligner.corpus.engines import DaskEngine, EncoderFactory, Engine, EngineError, LocalEngine
from aligner.corpus.inputs import (
    CorpusInputs,
    DocumentJob,
    Unpaired,
    discover_inputs,
    pair_by_language_suffix,
    pair_folders,
    read_manifest,
)

__all__ = [
    "CORPUS_FORMATS",
    "BeadResult",
    "CorpusConfig",
    "CorpusFilters",
    "CorpusInputs",
    "CorpusRun",
    "DaskEngine",
    "DocumentJob",
    "DocumentResult",
    "EncoderFactory",
    "Engine",
    "EngineError",
    "LocalEngine",
    "Progress",
    "Unpaired",
    "build_corpus",
    "discover_inputs",
    "pair_by_language_suffix",
    "pair_folders",
    "process_document",
    "read_manifest",
]
