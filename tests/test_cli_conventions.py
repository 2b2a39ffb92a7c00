"""The command line keeps its ecosystem's habits: exit codes, '-', case, quiet, colour."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from missionplan.planning.framework import load_framework
from missionplan.planning.plan import starter_plan_text
from tests.cli_helpers import run_main
from tests.validate.kit import Kit


def test_merge_exits_1_when_an_input_was_refused(k: Kit, tmp_path: Path) -> None:
    stray = tmp_path / "stray.xlsx"
    stray.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(k.full), str(stray), "-p", str(k.plan_file), "-o", str(out)]
    code, stdout, stderr = run_main(*args)
    assert code == 1, stderr
    assert out.is_file()  # the plan is written; the exit code says it is short of an input
    assert "stray.xlsx: refused: not an Excel workbook" in stdout
    code, _, stderr = run_main(*args, "--force", "--allow-refused")
    assert code == 0, stderr


def test_merge_exits_0_when_nothing_was_refused(k: Kit, tmp_path: Path) -> None:
    code, stdout, stderr = run_main(
        "merge", str(k.full), "-p", str(k.plan_file), "-o", str(tmp_path / "m.xlsx")
    )
    assert code == 0, stderr
    assert "from 1 submission," in stdout  # not "1 submissions"


def test_a_folder_finds_upper_case_xlsx(k: Kit, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    shutil.copy(k.full, folder / "UNPOL.XLSX")
    code, stdout, stderr = run_main("validate", str(folder), "-p", str(k.plan_file))
    assert code == 0, stdout + stderr
    assert "UNPOL.XLSX" in stdout


def test_a_folder_refuses_other_spreadsheets_by_name(k: Kit, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    shutil.copy(k.full, folder / "UNPOL.xlsx")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "notes.txt").write_text("not a spreadsheet", encoding="utf-8")
    code, stdout, _ = run_main("validate", str(folder), "-p", str(k.plan_file))
    assert code == 2  # the .xls cannot be read: said, not skipped
    assert "old.xls" in stdout and "notes.txt" not in stdout


def test_init_dash_writes_the_starter_plan_to_standard_output(tmp_path: Path) -> None:
    code, stdout, stderr = run_main("init", "-")
    assert code == 0, stderr
    assert stdout == starter_plan_text(load_framework())
    assert yaml.safe_load(stdout)["plan"]
    assert not Path("-").exists()


def test_init_on_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    code, stdout, stderr = run_main("init", str(tmp_path))
    assert code == 2 and stdout == ""
    assert stderr == (
        f"missionplan: error: {tmp_path} is a folder; give the plan file to write, "
        f"e.g. {tmp_path / 'plan.yaml'}\n"
    )


def test_quiet_prints_nothing_on_success(k: Kit, tmp_path: Path) -> None:
    code, stdout, stderr = run_main("-q", "export", str(k.plan_file), "-o", str(tmp_path))
    assert (code, stdout, stderr) == (0, "", "")
    assert list(tmp_path.glob("*.xlsx"))
    code, stdout, _ = run_main("--quiet", "validate", str(k.full), "-p", str(k.plan_file))
    assert (code, stdout) == (0, "")


def test_quiet_still_prints_errors(tmp_path: Path) -> None:
    code, stdout, stderr = run_main("-q", "validate", str(tmp_path / "missing.xlsx"))
    assert code == 2 and stdout == ""
    code, stdout, stderr = run_main("-q", "catalog", "9.9")
    assert code == 2 and "no output '9.9'" in stderr


ESCAPE = "\x1b["


def test_colour_on_request_and_never_with_no_color(k: Kit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    args = ("validate", str(k.full), "-p", str(k.plan_file))
    assert ESCAPE not in run_main(*args)[1]  # not a terminal
    assert ESCAPE in run_main("--color", *args)[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESCAPE in run_main(*args)[1]
    assert ESCAPE not in run_main("--no-color", *args)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESCAPE not in run_main(*args)[1]
    assert ESCAPE in run_main("--color", *args)[1]
