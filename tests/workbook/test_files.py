"""A folder on the command line stands for the workbooks in it (validate and merge)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from missionplan.planning.framework import load_framework
from missionplan.planning.plan import starter_plan_text
from tests.cli_helpers import run_main

IN_SCOPE = {"4.5"}


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of exported templates, an Office lock file and a note beside them."""
    root = tmp_path_factory.mktemp("folders")
    plan = root / "plan.yaml"
    plan.write_text(starter_plan_text(load_framework(), in_scope=IN_SCOPE), encoding="utf-8")
    code, _, err = run_main("export", str(plan), "--out", str(root / "returned"))
    assert code == 0, err
    folder = root / "returned"
    first = sorted(folder.glob("*.xlsx"))[0]
    shutil.copyfile(first, folder / f"~${first.name}")  # Excel's lock file while it is open
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return folder


def test_validate_takes_a_folder(returned: Path) -> None:
    workbooks = sorted(p.name for p in returned.glob("*.xlsx") if not p.name.startswith("~$"))
    code, out, err = run_main("validate", str(returned), "--format", "json")
    assert code == 1, err  # untouched templates: completeness errors, nothing unreadable
    files = [Path(f["file"]).name for f in json.loads(out)["files"]]
    assert files == workbooks
    assert not any(name.startswith("~$") for name in files)


# Output 4.5 in the study: 4 activities, 3/5/4 benchmarks, 4 risks, 3 considerations.
ITEMS_OF_4_5 = [
    *(f"4.5-A{n}" for n in range(1, 5)),
    *(f"4.5-BS{n}" for n in range(1, 4)),
    *(f"4.5-BM{n}" for n in range(1, 6)),
    *(f"4.5-BL{n}" for n in range(1, 5)),
    *(f"4.5-R{n}" for n in range(1, 5)),
    *(f"4.5-C{n}" for n in range(1, 4)),
]


def sheet_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet of a workbook as its rows of values."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def test_merge_takes_a_folder(returned: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, stdout, err = run_main("merge", str(returned), "--out", str(out), "--include-invalid")
    assert code == 0, err
    assert out.is_file()
    assert "~$" not in stdout and "notes.txt" not in stdout
    # 4.5 is led by UNPOL and supported by FORCE: their two workbooks, and nothing else
    names = sorted(p.name for p in returned.iterdir() if p.suffix == ".xlsx" and p.name[0] != "~")
    assert len(names) == 2
    assert "-FORCE-" in names[0] and "-UNPOL-" in names[1], names
    lines = [line for line in stdout.splitlines() if line.endswith(": merged")]
    assert lines == [f"{name}: merged" for name in names], stdout
    assert f"{len(ITEMS_OF_4_5)} items from 2 submissions" in stdout
    sheets = sheet_rows(out)
    summary = sheets["Summary"]
    first = next(n for n, row in enumerate(summary) if row[:2] == ("File", "What happened"))
    inputs = {row[0]: row[1] for row in summary[first + 1 : first + 4] if row[0]}
    assert inputs == dict.fromkeys(names, "merged")
    objective = [title for title in sheets if title[0].isdigit()]
    assert [title.split(" ")[0] for title in objective] == ["4"]
    header, *rows = sheets[objective[0]]
    items = [row for row in (dict(zip(header, r, strict=False)) for r in rows) if row["Item ID"]]
    assert [row["Item ID"] for row in items] == ITEMS_OF_4_5
    for row in items:
        assert row["Source component"] == "FORCE; UNPOL", row["Item ID"]
        assert row["Source file"] == "; ".join(names), row["Item ID"]


def test_a_folder_without_workbooks_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run_main("validate", str(tmp_path))
    assert code == 2
    assert f"{tmp_path} holds no .xlsx workbooks" in err
    assert "Traceback" not in err
