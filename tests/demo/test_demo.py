"""`missionplan demo` runs the whole cycle and leaves files a newcomer can open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.validate.run import validate_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "run"
    result = subprocess.run(
        [sys.executable, "-m", "missionplan", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return out, result.stdout


def test_demo_writes_every_step(demo: tuple[Path, str]) -> None:
    out, tour = demo
    assert (out / "plan.yaml").is_file()
    templates = sorted((out / "templates").glob("*.xlsx"))
    submissions = sorted((out / "submissions").glob("*.xlsx"))
    assert len(templates) >= 15
    assert len(submissions) == len(templates)  # one late, one sent twice
    assert any((out / "annotated").glob("*.xlsx"))
    assert (out / "mission-plan.xlsx").is_file()
    for step in ("1. Plan", "2. Export", "3. Submissions", "4. Validate", "5. Merge"):
        assert step in tour


def test_demo_tour_reports_planted_mistakes_and_outcomes(demo: tuple[Path, str]) -> None:
    _, tour = demo
    assert "has not submitted" in tour
    assert "superseded by" in tour
    assert "refused:" in tour and "errors" in tour
    assert "INVALID" in tour and "VALID" in tour


def test_planted_mistakes_are_found_where_planted(demo: tuple[Path, str]) -> None:
    out, tour = demo
    expected = {
        line.split("expect ")[1].rstrip(")")
        for line in tour.splitlines()
        if "expect " in line and "(merge)" not in line
    }
    found = set()
    for path in (out / "submissions").glob("*.xlsx"):
        report, _ = validate_file(path)
        found |= {f.code for f in report.findings}
    assert expected <= found


def test_merged_plan_has_conflicts_gaps_and_summary(demo: tuple[Path, str]) -> None:
    out, _ = demo
    wb = load_workbook(out / "mission-plan.xlsx", read_only=True)
    assert {"Summary", "Conflicts", "Gaps"} <= set(wb.sheetnames)
    kinds = {row[0] for row in wb["Conflicts"].iter_rows(min_row=2, values_only=True)}
    assert {"lead-claimed-twice", "missing-dependency"} <= kinds
    gaps = {row[0] for row in wb["Gaps"].iter_rows(min_row=2, values_only=True)}
    assert "component-did-not-submit" in gaps
    wb.close()
    report, _ = validate_file(out / "mission-plan.xlsx")
    assert not report.unreadable
    structure = {"missing-sheet", "missing-column", "framework-row-deleted", "duplicate-item-id"}
    assert not structure & {f.code for f in report.findings}


def test_demo_refuses_a_folder_with_files_without_force(demo: tuple[Path, str]) -> None:
    out, _ = demo
    result = subprocess.run(
        [sys.executable, "-m", "missionplan", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr
