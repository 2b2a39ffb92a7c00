"""`export --review` in French (issue 15): --lang fr or the plan's `language: fr`.

The French workbook holds the same items, cells and locked values as the English one; only
the words differ, and the same inputs give the same workbook.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from missionplan.export.review import export_review
from missionplan.schema.language import FRENCH, speaking
from missionplan.schema.review import REVIEW_SHEETS, choice_key, sheet_title
from tests.cli_helpers import run_main
from tests.reviews import PERIOD, ReviewKit


def values(path: Path, language: str) -> dict[str, list[tuple[object, ...]]]:
    """Each review sheet's rows below the header, by its English name, choices as keys."""
    wb = load_workbook(path)
    found: dict[str, list[tuple[object, ...]]] = {}
    for sheet in REVIEW_SHEETS:
        ws = wb[sheet_title(sheet, FRENCH if language == "fr" else "en")]
        rows = []
        for row in ws.iter_rows(min_row=2, values_only=True):
            rows.append(tuple(
                choice_key(c, v) if c.choices and isinstance(v, str) else v
                for c, v in zip(sheet.columns, row, strict=False)
            ))  # fmt: skip
        found[sheet.name] = rows
    return found


def test_the_command_in_french_writes_the_same_items_in_french(
    rk: ReviewKit, tmp_path: Path
) -> None:
    plan, merged = str(rk.kit.plan_file), str(rk.merged)
    code, stdout, stderr = run_main("export", plan, "--from", merged, "--review", "2027-Q2",
                                    "-o", str(tmp_path), "--lang", "fr")  # fmt: skip
    assert code == 0, stderr
    assert f"écrit {tmp_path / rk.workbook.name}" in stdout
    assert "1 classeur de revue pour 2027-Q2 dans " in stdout
    french = tmp_path / rk.workbook.name  # file names stay as they are
    assert values(french, "fr") == values(rk.workbook, "en")
    wb = load_workbook(french)
    assert wb.properties.title is not None and ", revue 2027-Q2" in wb.properties.title
    assert dict(wb["_meta"].iter_rows(values_only=True))["language"] == "fr"
    assert [list(r) for r in wb["_items"].iter_rows(values_only=True)] == [
        list(r) for r in load_workbook(rk.workbook)["_items"].iter_rows(values_only=True)
    ]  # the same items, with the same fingerprints of their planned values


def test_the_plans_language_makes_french_review_workbooks(rk: ReviewKit, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = rk.kit.plan_file.read_text(encoding="utf-8")
    plan.write_text(text.replace("plan:\n", "plan:\n  language: fr\n", 1), encoding="utf-8")
    code, _, stderr = run_main("export", str(plan), "--from", str(rk.merged), "--review",
                               "2027-Q2", "-o", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, stderr
    (written,) = (tmp_path / "out").glob("*.xlsx")
    assert load_workbook(written).sheetnames[1:4] == ["Activités", "Jalons", "Risques"]
    code, _, stderr = run_main("export", str(plan), "--from", str(rk.merged), "--review",
                               "2027-Q2", "-o", str(tmp_path / "en"), "--lang", "en")  # fmt: skip
    assert code == 0, stderr
    (english,) = (tmp_path / "en").glob("*.xlsx")
    assert load_workbook(english).sheetnames[1:4] == ["Activities", "Benchmarks", "Risks"]


def test_the_same_plan_gives_the_same_french_workbook(rk: ReviewKit, tmp_path: Path) -> None:
    with speaking(FRENCH):
        (first,) = export_review(rk.kit.plan_file, rk.merged, PERIOD.label, tmp_path / "a").paths
        (again,) = export_review(rk.kit.plan_file, rk.merged, PERIOD.label, tmp_path / "b").paths
    assert parts(first) == parts(again)  # every part, byte for byte (the zip's clock aside)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
