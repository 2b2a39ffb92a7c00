"""Two planners at once, a collect killed half-way: nothing lost, nothing duplicated.

Real processes (`python -m missionplan collect`) on one register, SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from missionplan.register.database import open_register
from missionplan.register.entries import all_entries, content_of
from tests.collect.material import plan_copy, variant
from tests.validate.kit import Kit

REPO = Path(__file__).resolve().parents[2]


def _collect(paths: list[Path], plan: Path, db: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "missionplan", "collect", *map(str, paths), "-p", str(plan),
         "--db", db],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _variants(k: Kit, folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    return [variant(k.full, folder / f"UNPOL-{n:02}.xlsx", f"version {n}") for n in range(count)]


def _check_complete(db: str, files: list[Path]) -> None:
    """One entry per distinct file, each holding exactly that file's bytes."""
    register = open_register(db, create=False)
    assert register is not None
    try:
        entries = all_entries(register)
        assert sorted(e.file_name for e in entries) == sorted(p.name for p in files)
        by_name = {p.name: p.read_bytes() for p in files}
        for e in entries:
            assert content_of(register, e.number) == by_name[e.file_name]
    finally:
        register.close()


def test_two_planners_collecting_at_once_lose_and_duplicate_nothing(
    k: Kit, tmp_path: Path, db: str
) -> None:
    plan = plan_copy(k, tmp_path)
    files = _variants(k, tmp_path / "inbox", 6)
    first = _collect(files, plan, db)
    second = _collect(list(reversed(files)), plan, db)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    _check_complete(db, files)
    collected = sum(out.count("\ncollected ") + out.startswith("collected ") for out, _ in outs)
    already = sum(out.count("already collected UNPOL") for out, _ in outs)
    assert (collected, already) == (6, 6)  # each file stored once, found once


def test_a_collect_killed_half_way_leaves_no_half_entry(k: Kit, tmp_path: Path, db: str) -> None:
    plan = plan_copy(k, tmp_path)
    files = _variants(k, tmp_path / "inbox", 8)
    killed = _collect(files, plan, db)
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline and killed.poll() is None:
        register = open_register(db, create=False)
        if register is not None:
            seen = len(all_entries(register))
            register.close()
        if seen >= 2:
            break
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=60)
    assert seen >= 2, "the collect finished or stalled before it could be killed"
    register = open_register(db, create=False)
    assert register is not None
    stored = all_entries(register)
    by_name = {p.name: p.read_bytes() for p in files}
    for e in stored:  # whatever was stored is whole
        assert content_of(register, e.number) == by_name[e.file_name]
    register.close()
    assert len(stored) < len(files)
    again = _collect(files, plan, db)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    _check_complete(db, files)  # the next collect completed it
