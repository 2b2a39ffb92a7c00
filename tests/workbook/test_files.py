"""A folder on the command line stands for the workbooks in it (validate and merge)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


def test_merge_takes_a_folder(returned: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, stdout, err = run_main("merge", str(returned), "--out", str(out), "--include-invalid")
    assert code == 0, err
    assert out.is_file()
    assert "~$" not in stdout


def test_a_folder_without_workbooks_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run_main("validate", str(tmp_path))
    assert code == 2
    assert f"{tmp_path} holds no .xlsx workbooks" in err
    assert "Traceback" not in err
