"""The terminal progress bar of ``aligner corpus``: documents done, documents/s and ETA."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from aligner.corpus.document import DocumentResult


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "… docs/s", style="cyan")


class CorpusProgress:
    """A rich progress bar on ``console`` (stderr); shows nothing when ``enabled`` is false."""

    def __init__(self, console: Console, *, enabled: bool):
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
            TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(),
            console=console, disable=not enabled, transient=False,
        )
        self._task: TaskID | None = None
        self.failed = 0

    def __enter__(self) -> CorpusProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._progress.stop()

    def start(self, todo: int, done: int) -> None:
        label = "documents" if not done else f"documents ({done} done before)"
        self._task = self._progress.add_task(label, total=todo)

    def advance(self, result: DocumentResult) -> None:
        if not result.ok:
            self.failed += 1
        if self._task is not None:
            self._progress.advance(self._task)
