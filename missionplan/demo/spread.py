"""The demo's steps that make one component's files at a time, spread over the cores.

Each job writes only its own files, from its own inputs, so the files are the ones the
jobs write one after the other; results come back in the order of the jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from missionplan.schema.language import Language, current_language, speaking
from missionplan.validate.run import available_cores

Job = TypeVar("Job")
Result = TypeVar("Result")


def each_in_workers(work: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """work(job) for every job, in worker processes (one a core), in the language spoken."""
    import concurrent.futures
    import multiprocessing

    language = current_language()  # said to each worker: a process does not share contexts
    count = min(len(jobs), available_cores())
    if count < 2:
        return [work(job) for job in jobs]
    import openpyxl  # noqa: F401  imported once, before the workers fork

    import missionplan.validate.rules  # noqa: F401

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(count, mp_context=context) as pool:
        futures = [pool.submit(_speaking, work, job, language) for job in jobs]
        return [future.result() for future in futures]


def _speaking(work: Callable[[Job], Result], job: Job, language: Language) -> Result:
    with speaking(language):
        return work(job)
