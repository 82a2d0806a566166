"""The Dask distributed engine (``pip install "aligner[dask]"``); imported only when used.

A ``WorkerPlugin`` gives every Dask worker, including one that joins mid-run, its own
``Worker`` (encoder and check context) when it registers; each task looks the plugin up on
the worker that runs it. So the encoder loads once per worker, as with local processes, and
tasks carry only the job. The workers need aligner installed (same version) and the input
files at the same paths.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from aligner.corpus.document import CorpusConfig, DocumentResult
from aligner.corpus.engines import (
    IN_FLIGHT_PER_WORKER,
    DaskEngine,
    EncoderFactory,
    EngineError,
    ResultHandler,
    Worker,
)
from aligner.corpus.inputs import DocumentJob

# Seconds to wait for the scheduler and for the first worker before giving up.
_CONNECT_TIMEOUT_S = 30


class CorpusPlugin(WorkerPlugin):
    """Starts one ``Worker`` per Dask worker for the run named ``name``."""

    def __init__(self, config: CorpusConfig, encoder: EncoderFactory, threads: int):
        self.config = config
        self.encoder = encoder
        self.threads = threads
        self.worker: Worker | None = None

    def setup(self, worker: object) -> None:
        del worker
        self.worker = Worker(self.config, self.encoder, self.threads)

    def teardown(self, worker: object) -> None:
        del worker
        self.worker = None


def _task(job: DocumentJob, plugin_name: str) -> DocumentResult:
    plugin = get_worker().plugins[plugin_name]
    if not isinstance(plugin, CorpusPlugin) or plugin.worker is None:
        raise RuntimeError(f"Dask worker has no running {plugin_name} plugin")
    return plugin.worker.process(job)


def run_on_dask(engine: DaskEngine, jobs: Iterable[DocumentJob], config: CorpusConfig,
                encoder: EncoderFactory, on_result: ResultHandler) -> None:
    """Process every job on the cluster; ``on_result`` runs here, in completion order."""
    with _client(engine) as client:
        # A name per run: two runs sharing a cluster each keep their own settings.
        name = f"aligner-corpus-{uuid.uuid4().hex}"
        client.register_plugin(CorpusPlugin(config, encoder, engine.threads), name=name)
        try:
            workers = max(1, len(client.scheduler_info()["workers"]))
            queue = iter(jobs)

            def submit(job: DocumentJob) -> object:
                return client.submit(_task, job, name, pure=False,
                                     key=f"aligner-doc-{uuid.uuid4().hex}")

            first = [submit(job)
                     for job in itertools.islice(queue, workers * IN_FLIGHT_PER_WORKER)]
            running = as_completed(first)
            try:
                for future in running:
                    on_result(future.result())
                    for job in itertools.islice(queue, 1):
                        running.add(submit(job))
            except BaseException:
                running.clear()
                raise
        finally:
            client.unregister_worker_plugin(name)


@contextmanager
def _client(engine: DaskEngine) -> Iterator[Client]:
    if engine.scheduler is not None:
        try:
            client = Client(engine.scheduler, timeout=_CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as err:
            raise EngineError(f"cannot reach the Dask scheduler at {engine.scheduler}: {err}",
                              hint="start it with `dask scheduler` and check the address "
                                   "(tcp://HOST:8786)") from err
        with client:
            if not client.scheduler_info()["workers"]:
                try:
                    client.wait_for_workers(1, timeout=_CONNECT_TIMEOUT_S)
                except TimeoutError as err:
                    raise EngineError(f"the Dask scheduler at {engine.scheduler} has no "
                                      "workers", hint="start some with `dask worker "
                                      f"{engine.scheduler}`") from err
            yield client
        return
    with LocalCluster(n_workers=engine.workers, threads_per_worker=1,
                      processes=engine.processes, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client
