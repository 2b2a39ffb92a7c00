"""The demo's side jobs: the same results as one after the other, errors not lost."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionplan.demo.jobs import Jobs
from missionplan.schema.language import ENGLISH, FRENCH, current_language, speaking


def square_and_where(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def fail(message: str) -> None:
    raise ValueError(message)


def language_now() -> str:
    return current_language()


@pytest.fixture(scope="module")
def jobs() -> Iterator[Jobs]:
    with Jobs(workers=2) as made:
        yield made


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-1000, 1000), max_size=12))
def test_each_gives_the_results_in_order(jobs: Jobs, numbers: list[int]) -> None:
    done = jobs.each(square_and_where, [(n,) for n in numbers])
    assert [square for square, _ in done] == [n * n for n in numbers]


def test_each_runs_in_worker_processes_when_there_are_two() -> None:
    with Jobs(workers=2) as jobs:
        where = {pid for _, pid in jobs.each(square_and_where, [(n,) for n in range(8)])}
    assert os.getpid() not in where


def test_one_worker_runs_each_job_here_at_once(tmp_path: Path) -> None:
    with Jobs(workers=1) as jobs:
        assert jobs.pool is None
        assert {pid for _, pid in jobs.each(square_and_where, [(1,), (2,)])} == {os.getpid()}
        jobs.start(write, tmp_path / "now.txt", "written")
        assert (tmp_path / "now.txt").read_text(encoding="utf-8") == "written"


def test_leaving_the_block_waits_for_every_side_job(tmp_path: Path) -> None:
    with Jobs(workers=2) as jobs:
        for n in range(6):
            jobs.start(write, tmp_path / f"{n}.txt", f"file {n}")
    assert sorted(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")) == [
        f"file {n}" for n in range(6)
    ]


def test_a_side_jobs_error_is_raised_when_the_demo_waits(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="the first"), Jobs(workers=2) as jobs:
        jobs.start(fail, "the first")
        jobs.start(write, tmp_path / "after.txt", "still written")
    assert (tmp_path / "after.txt").is_file()


@pytest.mark.parametrize("language", [ENGLISH, FRENCH])
def test_workers_speak_the_demos_language(language: str) -> None:
    with speaking(language), Jobs(workers=2) as jobs:  # type: ignore[arg-type]
        assert jobs.each(language_now, [(), ()]) == [language, language]
