"""missionplan upgrade: a workbook of an earlier plan carried into the current template."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from missionplan.errors import MissionplanError
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import load_plan
from missionplan.schema.findings import CATALOGUE
from missionplan.upgrade.run import NOT_CARRIED_SHEET, upgrade_workbook
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from missionplan.workbook.reader import read_submission
from tests.cli_helpers import run_main
from tests.export.reissued import OWN_ITEM, FirstRound, first_round

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def round1(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> FirstRound:
    return first_round(framework, tmp_path_factory.mktemp("round1"))


def renewed(round1: FirstRound, folder: Path, **change: object) -> Path:
    """The plan after a mandate renewal: another id, 5.2 in scope (led by JCS)."""
    data = yaml.safe_load(round1.returns.plan_file.read_text(encoding="utf-8"))
    data["plan"]["id"] = "renewed"
    data["outputs"].append({"id": "5.2", "in_scope": True, "lead": "JCS", "support": ["UNPOL"]})
    data["outputs"][0].update(change)
    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def structure_findings(path: Path, plan_file: Path) -> list[str]:
    report, _ = validate_file(path, load_plan(plan_file, load_framework()))
    assert not report.unreadable, report.unreadable
    return [f.code for f in report.findings if CATALOGUE[f.code].group == "structure"]


def test_an_old_workbook_is_refused_with_the_upgrade_command_named(
    round1: FirstRound, tmp_path: Path
) -> None:
    plan_file = renewed(round1, tmp_path)
    report, _ = validate_file(round1.returned[0], load_plan(plan_file, load_framework()))
    assert "belongs to plan returns-test, not to plan renewed" in report.unreadable
    assert "missionplan upgrade" in report.unreadable


def test_upgrade_then_validate_gives_no_structure_findings(
    round1: FirstRound, tmp_path: Path
) -> None:
    plan_file = renewed(round1, tmp_path)
    for old in round1.returned:
        done = upgrade_workbook(old, plan_file, tmp_path / "upgraded")
        assert structure_findings(done.path, plan_file) == []
        before = {i.item_id: i.values for i in submitted_items(read_submission(old))
                  if i.editable or i.added}  # fmt: skip
        after = {i.item_id: i.values for i in submitted_items(read_submission(done.path))}
        assert all(after[item_id] == values for item_id, values in before.items())
    lead = upgrade_workbook(round1.returned[0], plan_file, tmp_path / "again")
    report, _ = validate_file(lead.path, load_plan(plan_file, load_framework()))
    assert report.findings == ()  # the lead's 4.5 is complete as before; 5.2 is JCS's


def test_what_cannot_be_carried_is_listed_and_on_a_sheet(
    round1: FirstRound, tmp_path: Path
) -> None:
    plan_file = renewed(round1, tmp_path, in_scope=False)
    old = tmp_path / "JCS-old.xlsx"
    wb = openpyxl.load_workbook(round1.returned[1])
    ws = wb.worksheets[1]  # objective 4's sheet, where 4.5 is
    ws.cell(1, 40).value = "Old notes"  # a column no template version has
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == OWN_ITEM)
    ws.cell(row, 40).value = "keep me"
    wb.save(old)
    done = upgrade_workbook(old, plan_file, tmp_path / "upgraded")
    left = {(x.item_id, x.column): x.why for x in done.upgraded.left}
    assert left[(OWN_ITEM, "")] == "output 4.5 is not in scope of plan renewed"
    assert left[(OWN_ITEM, "Old notes")].startswith("column 'Old notes' is not in template")
    sheet = openpyxl.load_workbook(done.path)[NOT_CARRIED_SHEET]
    listed = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [OWN_ITEM, "4.5", "Old notes", "keep me", left[(OWN_ITEM, "Old notes")]] in listed
    assert structure_findings(done.path, plan_file) == []


def test_upgrade_command_and_its_json_document(round1: FirstRound, tmp_path: Path) -> None:
    import jsonschema

    plan_file = renewed(round1, tmp_path)
    args = ["upgrade", str(round1.returned[1]), "--plan", str(plan_file), "-o", str(tmp_path)]
    code, out, err = run_main(*args, "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    schema_file = Path(__file__).resolve().parents[2] / "docs/schemas/upgrade.schema.json"
    jsonschema.validate(document, json.loads(schema_file.read_text(encoding="utf-8")))
    assert document["from"]["plan_id"] == "returns-test" and document["to"]["plan_id"] == "renewed"
    code, _, err = run_main(*args)
    assert code == 2 and "already exists" in err
    with pytest.raises(MissionplanError, match="leads or supports no in-scope output"):
        data = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        data["outputs"] = [o for o in data["outputs"] if o["id"] != "5.2"]
        data["outputs"][0]["support"] = []
        plan_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        upgrade_workbook(round1.returned[1], plan_file, tmp_path / "x")


def test_a_workbook_of_an_older_template_version_is_carried(
    round1: FirstRound, tmp_path: Path
) -> None:
    old = tmp_path / "UNPOL-v0.xlsx"
    wb = openpyxl.load_workbook(round1.returned[0])
    meta = wb["_meta"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "contract_version")
    meta.cell(row, 2).value = "0"
    wb.save(old)
    plan_file = round1.returns.plan_file
    report, _ = validate_file(old, round1.returns.plan)
    assert "made with template version 0" in report.unreadable
    assert "missionplan upgrade" in report.unreadable
    done = upgrade_workbook(old, plan_file, tmp_path / "upgraded")
    assert done.as_data()["from"] == {"plan_id": "returns-test", "template_version": "0"}
    report, _ = validate_file(done.path, round1.returns.plan)
    assert report.findings == ()
