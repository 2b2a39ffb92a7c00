"""A workbook re-saved by LibreOffice Calc validates exactly as the one openpyxl wrote.

Focal points fill the workbooks in Excel or LibreOffice; a re-save rewrites every part
(shared strings, styles, cached formula values, dimensions). The findings, by code,
sheet and cell, must not change.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl.workbook.workbook import Workbook

from tests.validate.kit import (
    LETTER,
    SHEET_5,
    Kit,
    check,
    edited,
    filled,
    find_row,
)

SOFFICE = shutil.which("soffice")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    # the shared rule (tests/conftest.py): skip without soffice, fail on CI
    pytest.mark.usefixtures("soffice"),
]

MISTAKES: dict[str, dict[str, object]] = {
    "5.5-A2": {"start": "next spring", "budget": "1,500", "priority": "HIGH", "partners": "+UNDP"},
    "5.5-A1": {"depends_on": "5.5-A3"},
    "5.5-A3": {"depends_on": "5.5-A1", "comments": "UNDP_x0007_ office"},
    "5.5-A4": {"start": "31/03/2027", "support": "FORCE, UNPOL"},
    "5.5-R1": {"likelihood": 7},
    "5.5-R2": {"likelihood": 2.5},
    "5.5-BS1": {"target_date": dt.date(2028, 1, 1)},
    "5.5-UNPOL-01": {"text": "An item without a type", "lead": "UNPOL"},
}


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile for the module (the first start creates it)."""
    return tmp_path_factory.mktemp("lo-profile")


def resave(source: Path, profile: Path, out_dir: Path) -> Path:
    """Open and save the workbook as .xlsx with LibreOffice Calc, headless."""
    assert SOFFICE is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    target = out_dir / source.name
    assert result.returncode == 0 and target.is_file(), result.stdout + result.stderr
    assert target.read_bytes() != source.read_bytes()  # really rewritten
    return target


def places(path: Path) -> set[tuple[str, str, str]]:
    return {(f.code, f.sheet, f.cell) for f in check(path).findings}


def test_filled_workbook_with_mistakes_gives_the_same_findings(
    k: Kit, profile: Path, tmp_path: Path
) -> None:
    mistakes = filled(k.full, tmp_path, "mistakes.xlsx", MISTAKES)

    def add_formula(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws[f"{LETTER['comments']}{find_row(ws, '5.5-A4')}"] = "=1+1"  # LibreOffice caches 2

    source = edited(mistakes, tmp_path, "with-formula.xlsx", add_formula)
    before = places(source)
    codes = {code for code, _, _ in before}
    assert {
        "invalid-date",
        "number-typed-as-text",
        "choice-spelling",
        "text-looks-like-formula",
        "dependency-cycle",
        "control-characters",
        "date-typed-as-text",
        "lead-also-support",
        "value-out-of-range",
        "not-a-whole-number",
        "target-date-outside-term",
        "added-row-without-type",
        "formula-in-cell",
    } <= codes
    after = places(resave(source, profile, tmp_path / "libreoffice"))
    assert after == before, f"only before: {before - after}; only after: {after - before}"


def test_untouched_template_gives_the_same_findings(k: Kit, profile: Path, tmp_path: Path) -> None:
    before = places(k.template)
    assert before
    after = places(resave(k.template, profile, tmp_path / "libreoffice"))
    assert after == before, f"only before: {before - after}; only after: {after - before}"


def test_fully_filled_workbook_stays_valid(k: Kit, profile: Path, tmp_path: Path) -> None:
    report = check(resave(k.full, profile, tmp_path / "libreoffice"))
    assert report.findings == ()
