"""export --from: the next round's workbooks, pre-filled from the merged plan, end to end."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import yaml

from missionplan.errors import MissionplanError
from missionplan.export.run import reissue_plan
from missionplan.merge.run import merge_files
from missionplan.planning.framework import Framework
from missionplan.register.database import open_register, register_url
from missionplan.register.entries import record_merge
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.metadata import INSTRUCTIONS_SHEET, ISSUED_SHEET
from missionplan.workbook.reader import read_submission
from tests.cli_helpers import run_main
from tests.export.reissued import OWN_ITEM, FirstRound, first_round

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def round1(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> FirstRound:
    return first_round(framework, tmp_path_factory.mktemp("round1"))


def values_by_id(path: Path) -> dict[str, tuple[tuple[str, object], ...]]:
    return {i.item_id: i.values for i in submitted_items(read_submission(path))}


def test_unedited_reissue_validates_clean_and_merges_to_the_parent(
    round1: FirstRound, framework: Framework, tmp_path: Path
) -> None:
    plan = round1.returns.plan
    done = reissue_plan(round1.returns.plan_file, round1.merged, tmp_path / "round2")
    assert done.codes == ["UNPOL", "JCS"]
    for path in done.paths:
        report, _ = validate_file(path, plan)
        assert not report.unreadable and report.findings == (), path.name
    again = tmp_path / "merged-again.xlsx"
    merge_files(done.paths, framework, again, plan)
    assert values_by_id(again) == values_by_id(round1.merged)


def test_a_reissued_workbook_records_round_parent_and_issued_values(
    round1: FirstRound, tmp_path: Path
) -> None:
    done = reissue_plan(round1.returns.plan_file, round1.merged, tmp_path / "round2")
    supporter = read_submission(done.paths[1])
    assert supporter.meta.round == 2
    assert supporter.meta.parent == hashlib.sha256(round1.merged.read_bytes()).hexdigest()
    parent = {i.item_id: i for i in submitted_items(read_submission(round1.merged))}
    # the supporter's own item and every lead row of its context output, lead's values shown
    assert OWN_ITEM in supporter.issued and "4.5-A1" in supporter.issued
    assert supporter.issued["4.5-A1"].value("start") == str(parent["4.5-A1"].value("start"))
    assert supporter.issued["4.5-A1"].changed.endswith("round 1")
    assert done.reissue is not None and done.reissue.carried["JCS"] == len(supporter.issued)
    wb = openpyxl.load_workbook(done.paths[1])
    assert wb[ISSUED_SHEET].sheet_state == "veryHidden"
    lines = [[c.value for c in row] for row in wb[INSTRUCTIONS_SHEET].iter_rows(max_col=2)]
    assert ["Round", "2"] in lines
    notes = [b for a, b in lines if a == "Since the last round"]
    assert notes and f"round 1: {len(supporter.issued)} rows carried" in notes[0]
    # the supporter's own item is an ordinary input row again, under the same id
    items = {i.item_id: i for i in submitted_items(supporter)}
    assert items[OWN_ITEM].value("text") == "Train prison staff" and items[OWN_ITEM].added
    assert "4.5-JCS-02" in {e.item_id for e in supporter.expected}  # fresh rows after it


def test_a_supporter_who_edits_the_leads_values_is_told(round1: FirstRound, tmp_path: Path) -> None:
    done = reissue_plan(round1.returns.plan_file, round1.merged, tmp_path / "round2")
    edited = fill_workbook(done.paths[1], {"4.5-A1": {"comments": "ours"}}, tmp_path / "e.xlsx")
    report, _ = validate_file(edited, round1.returns.plan)
    assert [(f.code, f.item_id) for f in report.findings] == [("context-row-edited", "4.5-A1")]


def test_a_changed_plan_is_followed_and_nothing_is_dropped_silently(
    round1: FirstRound, tmp_path: Path
) -> None:
    data = yaml.safe_load(round1.returns.plan_file.read_text(encoding="utf-8"))
    data["plan"]["id"] = "returns-test-2"
    data["plan"]["round"] = 5
    data["outputs"][0]["support"] = []  # JCS no longer supports 4.5: its item goes to the lead
    data["outputs"].append({"id": "5.2", "in_scope": True, "lead": "JCS", "support": []})
    changed = tmp_path / "plan.yaml"
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    done = reissue_plan(changed, round1.merged, tmp_path / "round2")
    assert done.reissue is not None and done.reissue.round == 5  # the plan's round is larger
    moved = [(p.item_id, p.to) for p in done.reissue.placements]
    assert moved == [(OWN_ITEM, "UNPOL")]
    assert [(c.output_id, c.change) for c in done.reissue.changes] == [("5.2", "new")]
    lead = read_submission(done.paths[0])
    assert OWN_ITEM in lead.issued
    data["outputs"][0]["in_scope"] = False  # 4.5 out of scope: its items go nowhere, listed
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out, err = run_main("export", str(changed), "--from", str(round1.merged), "-o",
                              str(tmp_path / "round3"), "-f", "json")  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    schema = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "export.schema.json"
    jsonschema.validate(document, json.loads(schema.read_text(encoding="utf-8")))
    left = {p["item_id"] for p in document["reissue"]["not_carried"]}
    assert OWN_ITEM in left and "4.5-A1" in left
    assert document["reissue"]["outputs"] == [
        {"output": "4.5", "change": "out of scope", "detail": ""},
        {"output": "5.2", "change": "new", "detail": "lead JCS"},
    ]


def test_from_the_register_takes_its_last_merge_checked_against_its_sha256(
    round1: FirstRound, tmp_path: Path
) -> None:
    merged = tmp_path / "mission-plan.xlsx"
    merged.write_bytes(round1.merged.read_bytes())
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(round1.returns.plan_file.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(MissionplanError, match="no register"):
        reissue_plan(plan_file, "register", tmp_path / "none")
    register = open_register(register_url(None, plan_file, {}), create=True)
    assert register is not None
    digest = hashlib.sha256(merged.read_bytes()).hexdigest()
    plan_id = round1.returns.plan.id
    record_merge(register, "2027-02-01T10:00:00Z", plan_id, 1, str(merged), digest, [], False, "")
    register.close()
    done = reissue_plan(plan_file, "register", tmp_path / "round2", environ={})
    assert done.reissue is not None and done.reissue.parent.sha256 == digest
    fill_workbook(merged, {"4.5-A1": {"comments": "changed after the merge"}})
    with pytest.raises(MissionplanError, match="has changed since merge #1 wrote it"):
        reissue_plan(plan_file, "register", tmp_path / "round3", environ={})


def test_only_a_merged_plan_can_be_reissued_from(round1: FirstRound, tmp_path: Path) -> None:
    with pytest.raises(MissionplanError, match="JCS's workbook, not a merged plan"):
        reissue_plan(round1.returns.plan_file, round1.returned[1], tmp_path / "out")
