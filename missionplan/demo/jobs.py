"""The demo's independent steps, side by side in worker processes.

Filling the sample submissions and writing the annotated copies each make files that
nothing else in the round reads while they are made: they can run in worker processes
while the demo goes on, one a core. Each job writes only its own files, so the files are
the same as when the steps run one after the other; `wait` (and leaving the block) returns
only when every job is done and raises the first job's error, so the tour never ends before
its files are written. One core, or MISSIONPLAN_WORKERS=1, runs each job at once, here.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TypeVar

from missionplan.schema.language import Language, current_language, speaking
from missionplan.validate.run import available_cores

T = TypeVar("T")


class Jobs:
    """Worker processes for the demo's side jobs (a context manager: leaving it waits)."""

    def __init__(self, workers: int | None = None) -> None:
        count = workers if workers is not None else available_cores()
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        if count >= 2:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.pool = concurrent.futures.ProcessPoolExecutor(count, mp_context=context)
        self.pending: list[concurrent.futures.Future[Any]] = []

    def start(self, job: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """Run job(*args, **kwargs) beside the demo (at once, here, without workers)."""
        if self.pool is None:
            job(*args, **kwargs)
            return
        self.pending.append(self.pool.submit(_speaking, current_language(), job, *args, **kwargs))

    def each(self, job: Callable[..., T], calls: Iterable[tuple[Any, ...]]) -> list[T]:
        """job(*args) for each tuple of args, spread over the workers; results in order."""
        calls = list(calls)
        if self.pool is None or len(calls) < 2:
            return [job(*args) for args in calls]
        language = current_language()
        futures = [self.pool.submit(_speaking, language, job, *args) for args in calls]
        return [future.result() for future in futures]

    def wait(self) -> None:
        """Return when every side job is done; raise the first one's error."""
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()

    def __enter__(self) -> Jobs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self.wait()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)


def _speaking(language: Language, job: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A job in a worker, in the language of the demo (a process shares no contexts)."""
    with speaking(language):
        return job(*args, **kwargs)
