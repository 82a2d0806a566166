"""Where the per-document work runs: in this process, in local processes, or on Dask.

Every engine calls ``process_document`` through a ``Worker`` that holds one encoder and one
``CheckContext`` for the documents it is given, so the encoder's weights and the check
resources load once per worker process, not once per document (the context is renewed
every ``CONTEXT_DOCUMENTS`` documents to bound its caches). Results come back in
completion order; the corpus is assembled in document-id order afterwards, so the output
does not depend on the engine or the number of workers.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from threadpoolctl import ThreadpoolController

from aligner.corpus.document import CorpusConfig, DocumentResult, process_document
from aligner.corpus.inputs import DocumentJob
from aligner.encoders.base import Encoder
from aligner.errors import AlignerError

#: Makes a worker's encoder; must be picklable (``functools.partial(get_encoder, "use")``)
#: to reach other processes. Encoders load their weights lazily, on first use.
EncoderFactory = Callable[[], Encoder]
ResultHandler = Callable[[DocumentResult], None]

#: Jobs kept in flight per worker: enough to keep every worker busy, few enough that a
#: million-document run does not queue a million tasks at once.
IN_FLIGHT_PER_WORKER = 4


class EngineError(AlignerError):
    """The engine could not start or reach its workers (no Dask, no scheduler)."""


@dataclass(frozen=True, slots=True)
class LocalEngine:
    """``workers`` = 1 runs in this process; more start that many local processes.

    ``threads`` caps the BLAS threads of each worker while it processes a document (give
    the encoder the same number): numpy's default of one thread per core, in every worker,
    oversubscribes the cores, and BLAS threads waiting for a core spin.
    """

    workers: int = 1
    threads: int = 1


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """A Dask distributed cluster: the scheduler at ``scheduler`` (``tcp://host:8786``), or
    without one a ``LocalCluster`` of ``workers`` single-threaded workers on this machine
    (``processes=False`` runs them as threads of this process, for tests). ``threads`` as
    for ``LocalEngine``."""

    scheduler: str | None = None
    workers: int = 2
    processes: bool = True
    threads: int = 1


Engine = LocalEngine | DaskEngine


#: Documents a worker processes with one check context before it starts a fresh one. The
#: checks cache what they learn about each word they meet (lemmas, glossary keys, lexicon
#: rows); those caches grow with the vocabulary of the documents seen, and a fresh context
#: every so many documents keeps a worker's memory bounded however long the run. Loading a
#: context takes about a second, next to about a minute for this many documents.
CONTEXT_DOCUMENTS = 250


class Worker:
    """One worker's encoder and check context, shared by the documents it processes, and
    the BLAS threads it may use."""

    def __init__(self, config: CorpusConfig, encoder: EncoderFactory, threads: int, *,
                 context_documents: int = CONTEXT_DOCUMENTS):
        self.config = config
        self.encoder = encoder()
        self.context = config.new_context()
        self._context_documents = context_documents
        self._done = 0
        controller = ThreadpoolController()
        self._threads = functools.partial(controller.limit, limits=threads, user_api="blas")

    def process(self, job: DocumentJob) -> DocumentResult:
        if self._done and self._done % self._context_documents == 0:
            self.context = self.config.new_context()
        self._done += 1
        with self._threads():
            return process_document(job, self.config, self.encoder, context=self.context)


def run_jobs(engine: Engine, jobs: Iterable[DocumentJob], config: CorpusConfig,
             encoder: EncoderFactory, on_result: ResultHandler) -> None:
    """Process every job on ``engine``, calling ``on_result`` (in this process) for each."""
    if isinstance(engine, DaskEngine):
        try:
            from aligner.corpus.dask_engine import run_on_dask
        except ImportError as err:
            raise EngineError("the Dask engine needs the dask and distributed packages",
                              hint='pip install "aligner[dask]"') from err
        run_on_dask(engine, jobs, config, encoder, on_result)
    elif engine.workers <= 1:
        worker = Worker(config, encoder, engine.threads)
        for job in jobs:
            on_result(worker.process(job))
    else:
        _run_in_processes(engine, jobs, config, encoder, on_result)


# A pool process's worker, set once by the pool's initializer: ProcessPoolExecutor hands
# per-process state to its tasks only through the process's globals. It exists only in the
# pool's processes, never in the process that imports this module.
_POOL_WORKER: Worker | None = None


def _start_pool_worker(config: CorpusConfig, encoder: EncoderFactory, threads: int) -> None:
    global _POOL_WORKER
    _POOL_WORKER = Worker(config, encoder, threads)


def _pool_task(job: DocumentJob) -> DocumentResult:
    if _POOL_WORKER is None:  # only if the initializer did not run: a programming error
        raise RuntimeError("corpus pool worker used before its initializer ran")
    return _POOL_WORKER.process(job)


def _run_in_processes(engine: LocalEngine, jobs: Iterable[DocumentJob], config: CorpusConfig,
                      encoder: EncoderFactory, on_result: ResultHandler) -> None:
    # spawn, not fork: the parent may be running threads (the progress display), and spawn
    # behaves the same on Linux, macOS and Windows.
    context = multiprocessing.get_context("spawn")
    queue = iter(jobs)
    with ProcessPoolExecutor(engine.workers, mp_context=context,
                             initializer=_start_pool_worker,
                             initargs=(config, encoder, engine.threads)) as pool:
        pending: set[Future[DocumentResult]] = {
            pool.submit(_pool_task, job)
            for job in itertools.islice(queue, engine.workers * IN_FLIGHT_PER_WORKER)
        }
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    on_result(future.result())
                    pending |= {pool.submit(_pool_task, job)
                                for job in itertools.islice(queue, 1)}
        except BaseException:
            for future in pending:
                future.cancel()
            raise
