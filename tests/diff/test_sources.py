"""`missionplan diff COMPONENT@N`: a version held in the register stands for a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from missionplan.collect.run import collect_paths
from missionplan.diff.sources import register_version
from tests.cli_helpers import run_main
from tests.collect.material import plan_copy
from tests.validate.kit import Kit, filled


def test_what_reads_as_a_register_version() -> None:
    assert register_version("UNPOL@7") == ("UNPOL", 7)
    assert register_version(" DSRSG-RCHC@12 ") == ("DSRSG-RCHC", 12)
    for spec in ("UNPOL.xlsx", "UNPOL@", "@7", "UNPOL@x", "a/UNPOL@7", "UNPOL@7.xlsx"):
        assert register_version(spec) is None


@pytest.fixture
def registered(k: Kit, tmp_path: Path) -> tuple[Path, str, Path]:
    """A register with two versions of UNPOL: the kit's full workbook, then one edit."""
    plan = plan_copy(k, tmp_path)
    db = f"sqlite:///{plan.parent / 'missionplan.db'}"  # the plan's own register
    second = filled(k.full, tmp_path, "v2.xlsx", {"5.5-A1": {"budget": 99_000}})
    collect_paths([k.full, second], plan, db)
    return plan, db, second


def test_two_register_versions_diff_as_their_files(k: Kit, registered: tuple) -> None:
    plan, db, second = registered
    by_file = run_main("diff", str(k.full), str(second), "-f", "json")
    by_version = run_main("diff", "UNPOL@1", "UNPOL@2", "--db", db, "-f", "json")
    assert by_version[0] == by_file[0] == 1
    assert json.loads(by_version[1])["changes"] == json.loads(by_file[1])["changes"]
    code, out, _ = run_main("diff", "UNPOL@1", "UNPOL@2", "--plan", str(plan))
    assert code == 1
    assert out.splitlines()[0] == (
        f"UNPOL@1 ({k.full.name}) -> UNPOL@2 ({second.name}): 1 item (1 changed)"
    )


def test_a_register_version_against_a_file(k: Kit, registered: tuple, tmp_path: Path) -> None:
    _, db, second = registered
    assert run_main("diff", "UNPOL@2", str(second), "--db", db)[0] == 0
    out = tmp_path / "changes.xlsx"
    code, _, err = run_main("diff", str(k.full), "UNPOL@2", "--db", db, "--out", str(out))
    assert code == 1 and out.is_file(), err
    assert run_main("diff", "UNPOL@2", "UNPOL@2", "--db", db)[0] == 0


def test_an_unknown_version_names_the_versions_there_are(registered: tuple) -> None:
    _, db, _ = registered
    code, _, err = run_main("diff", "UNPOL@9", "UNPOL@1", "--db", db)
    assert code == 2
    assert "UNPOL@9: entry #9 is not a version of UNPOL" in err
    assert "UNPOL@1, UNPOL@2" in err and "missionplan history UNPOL" in err
    code, _, err = run_main("diff", "HOM@1", "UNPOL@1", "--db", db)
    assert code == 2 and "its versions: none" in err


def test_a_register_version_needs_a_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MISSIONPLAN_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main("diff", "UNPOL@1", "UNPOL@2")
    assert code == 2 and "UNPOL@1, UNPOL@2 names a register version: which register?" in err
    code, _, err = run_main("diff", "UNPOL@1", "UNPOL@2", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no register at" in err
    assert not (tmp_path / "none.db").exists()


def test_a_file_named_like_a_version_is_a_file(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "UNPOL@1").write_bytes(k.full.read_bytes())
    assert run_main("diff", "UNPOL@1", str(k.full))[0] == 0
