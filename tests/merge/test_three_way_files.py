"""Three-way merge end to end: round-2 workbooks (tests/merge/reissue.py stands in for
re-issue) revised by lead and supporter, merged through `missionplan merge`.

UNPOL leads 4.5 and JCS supports it (tests/merge/returns.py). Both were issued round 1's
consolidated values (JCS its context rows with UNPOL's values). In round 2:
  4.5-A1  UNPOL changes the budget, JCS the partners: both taken, no conflict;
  4.5-A2  UNPOL and JCS move the start to different dates: one conflict, UNPOL's kept;
  4.5-A3  both move the end to the same date: no conflict.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from missionplan.merge.run import merge_files
from missionplan.merge.writer import (
    CONFLICTS_SHEET,
    ISSUED_VALUE_HEADER,
    LAST_CHANGED_HEADER,
    PROVENANCE_HEADERS,
)
from missionplan.planning.framework import Framework
from missionplan.schema.findings import CONFLICT_CHANGED_DIFFERENTLY
from missionplan.validate.run import validate_file
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.reader import read_submission
from tests.cli_helpers import run_main
from tests.merge.reissue import reissue
from tests.merge.returns import LEAD, SUPPORTER, make_returns

NEW_BUDGET = 30_000
NEW_PARTNERS = "UNDP; UN Women"
LEAD_START, SUPPORT_START = dt.date(2027, 3, 1), dt.date(2027, 4, 1)
BOTH_END = dt.date(2027, 12, 15)


@pytest.fixture(scope="module")
def rounds(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("three-way")
    returns = make_returns(framework, root)
    first = {
        code: returns.fill(code, returns.lead_values, root / "round-1" / f"{code}.xlsx")
        for code in (LEAD, SUPPORTER)
    }
    issued = {
        code: reissue(first[code], root / "issued" / f"{code}.xlsx", changed=f"{LEAD}, round 1")
        for code in first
    }
    edits = {
        LEAD: {"4.5-A1": {"budget": NEW_BUDGET}, "4.5-A2": {"start": LEAD_START},
               "4.5-A3": {"end": BOTH_END}},
        SUPPORTER: {"4.5-A1": {"partners": NEW_PARTNERS}, "4.5-A2": {"start": SUPPORT_START},
                    "4.5-A3": {"end": BOTH_END}},
    }  # fmt: skip
    (root / "round-2").mkdir()
    second = {
        code: fill_workbook(issued[code], edits[code], root / "round-2" / f"{code}.xlsx")
        for code in issued
    }
    return {"root": root, "returns": returns, "first": first, "second": second,
            "issued": issued}  # fmt: skip


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    values = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=False)) for r in values[1:] if any(r)]


def plan_rows(path: Path) -> dict[str, dict[str, Any]]:
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if PROVENANCE_HEADERS[0] in header:
            for values in ws.iter_rows(min_row=2, values_only=True):
                row = dict(zip(header, values, strict=False))
                if row.get("Item ID"):
                    found[str(row["Item ID"])] = row
    return found


def test_a_reissued_workbook_validates_without_errors(rounds: dict[str, Any]) -> None:
    # JCS's context rows carry UNPOL's values, which the stand-in typed into locked cells:
    # validate warns about them until it tells issued values from typed ones
    for code, path in rounds["issued"].items():
        report, _ = validate_file(path, rounds["returns"].plan)
        assert report.errors == 0, (code, report)
        assert report.warnings == 0 or code == SUPPORTER, (code, report)


def test_round_two_takes_each_change_and_conflicts_only_where_both_changed(
    framework: Framework, rounds: dict[str, Any]
) -> None:
    out = rounds["root"] / "merged-2.xlsx"
    outcome = merge_files(list(rounds["second"].values()), framework, out, rounds["returns"].plan)
    assert outcome.merged.three_way and outcome.merged.round == 2
    assert (outcome.as_data(out)["round"], outcome.as_data(out)["three_way"]) == (2, True)
    assert "from 2 submissions of round 2, three-way, 1 conflict" in outcome.summary(out)
    conflicts = sheet_rows(out, CONFLICTS_SHEET)
    found = [(c["Kind"], c["Item ID"], c["Column"], c[ISSUED_VALUE_HEADER], c["Kept value"],
              c["Other value"]) for c in conflicts]  # fmt: skip
    assert found == [
        (CONFLICT_CHANGED_DIFFERENTLY.code, "4.5-A2", "Start", "2027-02-01", "2027-03-01",
         "2027-04-01"),
    ]  # fmt: skip
    assert conflicts[0]["Kept from"].startswith(f"{LEAD}: {LEAD}.xlsx")
    assert conflicts[0]["Other from"].startswith(f"{SUPPORTER}: {SUPPORTER}.xlsx")
    assert read_submission(out).meta.round == 2  # the merged plan says which round it is
    rows = plan_rows(out)
    assert rows["4.5-A1"]["Budget (USD)"] == NEW_BUDGET
    assert rows["4.5-A1"]["Partners"] == NEW_PARTNERS  # the supporter's change, taken
    assert rows["4.5-A2"]["Start"] == dt.datetime.combine(LEAD_START, dt.time())
    assert rows["4.5-A3"]["End"] == dt.datetime.combine(BOTH_END, dt.time())
    changed = {item_id: row[LAST_CHANGED_HEADER] for item_id, row in rows.items()}
    assert changed["4.5-A1"] == f"{SUPPORTER}; {LEAD}, round 2"
    assert changed["4.5-A2"] == f"{LEAD}, round 2"
    assert changed["4.5-A3"] == f"{SUPPORTER}; {LEAD}, round 2"
    untouched = [i for i in rounds["returns"].lead_values if i not in ("4.5-A1", "4.5-A2",
                                                                         "4.5-A3")]  # fmt: skip
    assert untouched and all(changed[i] == f"{LEAD}, round 1" for i in untouched)


def test_unchanged_round_two_merges_to_the_round_one_plan(
    framework: Framework, rounds: dict[str, Any]
) -> None:
    plan = rounds["returns"].plan
    one = merge_files(list(rounds["first"].values()), framework, rounds["root"] / "m1.xlsx", plan)
    two = merge_files(list(rounds["issued"].values()), framework, rounds["root"] / "m2.xlsx", plan)
    assert not one.merged.three_way and two.merged.three_way
    assert "submissions, 0 conflicts" in one.summary(rounds["root"] / "m1.xlsx")
    assert [i.values for i in two.merged.items] == [i.values for i in one.merged.items]
    assert not two.merged.conflicts
    assert LAST_CHANGED_HEADER not in next(iter(plan_rows(rounds["root"] / "m1.xlsx").values()))
    assert ISSUED_VALUE_HEADER not in sheet_rows(rounds["root"] / "m1.xlsx", CONFLICTS_SHEET)[0]
    (none,) = sheet_rows(rounds["root"] / "m2.xlsx", CONFLICTS_SHEET)
    assert none["Kind"] == "none" and none[ISSUED_VALUE_HEADER] is None
    assert none["What to do"] == "No conflicts between submissions."


def test_the_command_says_the_round_and_that_it_merged_three_way(rounds: dict[str, Any]) -> None:
    out = rounds["root"] / "cli.xlsx"
    folder = rounds["root"] / "round-2"
    plan_file = str(rounds["returns"].plan_file)
    code, stdout, stderr = run_main("merge", str(folder), "--plan", plan_file, "--out", str(out),
                                    "--format", "json")  # fmt: skip
    assert code == 0, stderr
    document = json.loads(stdout)
    assert (document["round"], document["three_way"], document["conflicts"]) == (2, True, 1)
    code, stdout, _ = run_main("merge", str(folder), "--plan", plan_file, "--out", str(out),
                               "--force")  # fmt: skip
    assert code == 0 and "from 2 submissions of round 2, three-way, 1 conflict" in stdout
