"""Merging returned workbooks end to end: export, fill like a person, `missionplan merge`.

One small plan (three outputs of the built-in framework) is exported, its workbooks
filled in and merged through the command line in a subprocess; the merged workbook
is read back with openpyxl.

The plan, with a given id so that a second version of it keeps the id:
  4.5  lead UNPOL, support JCS and FORCE
  5.2  lead JCS,   support MLT and UNDP
  5.5  lead FORCE, support MLT          (FORCE submits nothing)
JCS's workbook comes from a second version of the plan in which JCS leads 4.5 too,
so that JCS and UNPOL both fill in the framework rows of 4.5 (the planted conflicts).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from missionplan.demo.samples import activity_values, item_values
from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout
from missionplan.export.run import export_workbooks
from missionplan.merge.run import merge_files
from missionplan.merge.writer import CONFLICTS_SHEET, GAPS_SHEET, PROVENANCE_HEADERS, SUMMARY_SHEET
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, plan_from_data
from missionplan.schema.contract import COLUMNS
from missionplan.schema.findings import CATALOGUE
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from missionplan.workbook.cells import put
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.reader import read_submission
from tests.merge.returns import stamp

PLAN_ID = "merge-test"
START = dt.date(2027, 1, 1)
END = dt.date(2029, 12, 31)
ROSTER = ("MLT", "JCS", "FORCE", "UNPOL", "UNDP")
SCOPE: dict[str, tuple[str, list[str]]] = {
    "4.5": ("UNPOL", ["JCS", "FORCE"]),
    "5.2": ("JCS", ["MLT", "UNDP"]),
    "5.5": ("FORCE", ["MLT"]),
}
SCOPE_V2 = {**SCOPE, "4.5": ("JCS", ["UNPOL", "FORCE"])}
ACTIVITY_DATES = (dt.date(2027, 2, 1), dt.date(2027, 11, 30))
FORMULA_TEXT = "=SUM(A1:A9) is what we budget, not a formula"
HEADERS = [c.header for c in COLUMNS]
NOW = dt.datetime.now(dt.UTC)
MLT_SAVED = {"MLT-old": dt.datetime(2027, 1, 20, 9, 0), "MLT": dt.datetime(2027, 2, 3, 10, 0)}
STRUCTURE_CODES = {code for code, kind in CATALOGUE.items() if kind.group == "structure"}


# ---------------------------------------------------------------------------
# Building the scenario.
# ---------------------------------------------------------------------------


def plan_data(framework: Framework, plan_id: str, scope: dict[str, tuple[str, list[str]]]) -> dict:
    roster = {c.code: c for c in framework.components}
    return {
        "plan": {
            "id": plan_id,
            "mission": "UN Test Mission",
            "start": START.isoformat(),
            "end": END.isoformat(),
            "short_term_months": 6,
            "medium_term_months": 12,
            "framework": framework.id,
        },
        "components": [{"code": c, "name": roster[c].name, "kind": roster[c].kind} for c in ROSTER],
        "outputs": [
            {"id": output_id, "in_scope": True, "lead": lead, "support": support}
            for output_id, (lead, support) in scope.items()
        ],
    }


def export_one(framework: Framework, plan: Plan, code: str, folder: Path) -> Path:
    [path] = export_workbooks(framework, plan, folder, [code])
    return path


def framework_inputs(
    framework: Framework, plan: Plan, code: str, output_id: str, owner: str
) -> dict[str, dict[str, object]]:
    """Valid inputs for every framework row of an output the component leads in this plan.

    The sample factory's values, every activity on ACTIVITY_DATES, every risk high (4 x 4)
    and mitigated.
    """
    component = plan.component(code)
    assert component is not None
    rows = component_layout(framework, plan, component).rows
    return {
        r.item_id: item_values(
            r.item_type,
            owner,
            plan,
            term=r.term,
            text=r.text,
            dates=ACTIVITY_DATES,
            likelihood=4,
            impact=4,
        )
        for r in rows
        if r.output_id == output_id and r.editable and not r.added
    }


def added_activity(text: str, owner: str, **extra: object) -> dict[str, object]:
    """An activity a component adds: the sample factory's values on ACTIVITY_DATES, then extra."""
    values = activity_values(owner, *ACTIVITY_DATES, text=text)
    return {"item_type": "activity", "text": text, **values, **extra}


def write_text_cell(path: Path, item_id: str, header: str, value: str) -> None:
    """Type a text starting with '=' the way a spreadsheet stores it: as text."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        columns = {cell.value: cell.column for cell in ws[1]}
        if "Item ID" not in columns:
            continue
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, columns["Item ID"]).value == item_id:
                put(ws.cell(row, columns[header]), value)
                wb.save(path)
                return
    raise AssertionError(f"no row {item_id}")


@dataclass
class Run:
    args: list[str]
    code: int = 0
    stdout: str = ""
    stderr: str = ""


def start(*args: str | Path) -> tuple[Run, subprocess.Popen[str]]:
    argv = [sys.executable, "-m", "missionplan", *map(str, args)]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MISSIONPLAN_DEBUG", None)
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    return Run(argv), process


def finish(started: tuple[Run, subprocess.Popen[str]]) -> Run:
    run, process = started
    run.stdout, run.stderr = process.communicate(timeout=120)
    run.code = process.returncode
    return run


@dataclass
class Scenario:
    root: Path
    framework: Framework
    plan: Plan
    plan_file: Path
    files: dict[str, Path] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    out: dict[str, Path] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return self.files[key].name


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("merge")
    framework = load_framework()
    data = plan_data(framework, PLAN_ID, SCOPE)
    plan = plan_from_data(data, "plan.yaml", framework)
    plan_file = root / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan_v2 = plan_from_data(plan_data(framework, PLAN_ID, SCOPE_V2), "v2.yaml", framework)
    other = plan_from_data(plan_data(framework, "other-plan", SCOPE), "other.yaml", framework)
    assert plan_v2.id == plan.id != other.id

    s = Scenario(root, framework, plan, plan_file)
    exported = root / "exported"
    returned = root / "returned"
    returned.mkdir()

    # UNPOL leads 4.5: every framework row, one added activity.
    unpol = framework_inputs(framework, plan, "UNPOL", "4.5", "UNPOL")
    unpol["4.5-BS1"]["indicator"] = "Share of districts covered"  # JCS names another one
    unpol["4.5-UNPOL-01"] = added_activity("Mentor police station commanders", "UNPOL")
    s.files["UNPOL"] = fill_workbook(
        export_one(framework, plan, "UNPOL", exported / "v1"), unpol, returned / "UNPOL.xlsx"
    )

    # JCS (second version of the plan) leads 5.2 and 4.5. Its 4.5 rows are UNPOL's values
    # except two: it claims the lead of 4.5-A1, and gives 4.5-BS1 another indicator.
    jcs = framework_inputs(framework, plan_v2, "JCS", "5.2", "JCS")
    jcs.update(framework_inputs(framework, plan_v2, "JCS", "4.5", "UNPOL"))
    jcs["4.5-A1"] = {**jcs["4.5-A1"], "lead": "JCS"}
    jcs["4.5-BS1"] = {**jcs["4.5-BS1"], "indicator": "Number of police stations reopened"}
    jcs["5.2-JCS-01"] = added_activity(
        "Train court clerks",
        "JCS",
        start=dt.date(2028, 1, 15),
        end=dt.date(2028, 6, 30),
        depends_on="5.2-A1, 3.1-A1",  # 3.1-A1: no one submits output 3.1
    )
    s.files["JCS"] = fill_workbook(
        export_one(framework, plan_v2, "JCS", exported / "v2"), jcs, returned / "JCS.xlsx"
    )
    write_text_cell(s.files["JCS"], "5.2-JCS-01", "Comments", FORMULA_TEXT)

    # MLT supports 5.2 and 5.5: one added activity; an older copy is superseded.
    mlt_template = export_one(framework, plan, "MLT", exported / "v1")
    s.files["MLT-old"] = fill_workbook(
        mlt_template,
        {"5.2-MLT-01": added_activity("Old wording of the patrol plan", "MLT")},
        returned / "MLT-old.xlsx",
    )
    s.files["MLT"] = fill_workbook(
        mlt_template,
        {"5.2-MLT-01": added_activity("Joint patrols with the national police", "MLT")},
        returned / "MLT.xlsx",
    )
    # saved (as Excel stamps a save) and written to the folder in the same order
    stamp(s.files["MLT-old"], MLT_SAVED["MLT-old"], NOW - dt.timedelta(hours=1))
    stamp(s.files["MLT"], MLT_SAVED["MLT"], NOW - dt.timedelta(minutes=1))

    # UNDP supports 5.2: a high risk without mitigation, an error.
    high_risk = {
        "item_type": "risk",
        "text": "Donor funding stops",
        "likelihood": 5,
        "impact": 4,
        "owner": "UNDP",
    }
    s.files["UNDP"] = fill_workbook(
        export_one(framework, plan, "UNDP", exported / "v1"),
        {"5.2-UNDP-01": high_risk},
        returned / "UNDP.xlsx",
    )

    # A workbook of another plan.
    s.files["OTHER"] = Path(
        shutil.copy(
            export_one(framework, other, "JCS", exported / "other"), returned / "OTHER.xlsx"
        )
    )

    # The planning unit's master workbook (export --all): not a component's submission.
    [master] = export_workbooks(framework, plan, exported / "master", [], master=True)
    s.files["PLAN"] = Path(shutil.copy(master, returned / "PLAN.xlsx"))

    everything = [s.files[k] for k in ("JCS", "UNPOL", "MLT", "MLT-old", "UNDP", "OTHER")]
    s.out = {key: root / f"merged-{key}.xlsx" for key in ("main", "reversed", "invalid", "noplan")}
    nothing = [s.files["UNDP"], s.files["OTHER"], s.files["PLAN"]]
    batch = {
        "main": start("merge", *everything, "--plan", plan_file, "--out", s.out["main"]),
        "reversed": start(
            "merge", *reversed(everything), "--plan", plan_file, "--out", s.out["reversed"]
        ),
        "invalid": start(
            "merge",
            *everything,
            s.files["PLAN"],
            "--plan",
            plan_file,
            "--include-invalid",
            "--out",
            s.out["invalid"],
        ),
        "nothing": start(
            "merge", *nothing, "--plan", plan_file, "--out", root / "merged-nothing.xlsx"
        ),
        "noplan": start(
            "merge", s.files["UNPOL"], s.files["MLT"], s.files["OTHER"], "--out", s.out["noplan"]
        ),
    }
    s.runs = {key: finish(started) for key, started in batch.items()}
    # written, and exit 1: each of these runs refuses some inputs (another plan, the master)
    assert s.runs["main"].code == 1 and "refused" in s.runs["main"].stdout, s.runs["main"]
    assert s.runs["invalid"].code == 1 and "refused" in s.runs["invalid"].stdout
    batch = {
        "overwrite": start("merge", *everything, "--plan", plan_file, "--out", s.out["main"]),
        "validate": start("validate", s.out["main"], "--format", "json"),
        "validate-invalid": start("validate", s.out["invalid"], "--format", "json"),
    }
    s.runs.update({key: finish(started) for key, started in batch.items()})
    return s


# ---------------------------------------------------------------------------
# Reading the merged workbook.
# ---------------------------------------------------------------------------


def all_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def is_objective_sheet(header: list[Any]) -> bool:
    return header[: len(HEADERS)] == HEADERS


def objective_rows(path: Path) -> dict[str, dict[str, Any]]:
    """Item id -> {header: value} for every item row of the objective sheets."""
    wb = openpyxl.load_workbook(path)
    found: dict[str, dict[str, Any]] = {}
    seen: list[str] = []
    for ws in wb.worksheets:
        header = [cell.value for cell in ws[1]]
        if not is_objective_sheet(header):
            continue
        for values in ws.iter_rows(min_row=2, values_only=True):
            row = dict(zip(header, values, strict=False))
            if row.get("Item ID"):
                found[row["Item ID"]] = {**row, "_sheet": ws.title}
                seen.append(row["Item ID"])
    assert len(seen) == len(set(seen)), "an item id is on two rows"
    return found


def objective_sheets(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [ws.title for ws in wb.worksheets if is_objective_sheet([c.value for c in ws[1]])]


def table(path: Path, sheet: str) -> list[dict[str, Any]]:
    rows = all_values(path)[sheet]
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def summary_inputs(path: Path) -> dict[str, str]:
    rows = all_values(path)[SUMMARY_SHEET]
    first = next(i for i, r in enumerate(rows) if r[:2] == ("File", "What happened"))
    found = {}
    for row in rows[first + 1 :]:
        if row[0] is None:
            break
        found[row[0]] = row[1]
    return found


def submitted_ids(path: Path) -> set[str]:
    return {i.item_id for i in submitted_items(read_submission(path))}


def output_lines(run: Run) -> dict[str, str]:
    lines = {}
    for line in run.stdout.splitlines():
        name, _, what = line.partition(": ")
        if name.endswith(".xlsx") and " " not in name:
            lines[name] = what
    return lines


# ---------------------------------------------------------------------------
# The inputs are what the scenario says they are.
# ---------------------------------------------------------------------------


def test_the_filled_inputs_validate_as_planned(scenario: Scenario) -> None:
    reports = {key: validate_file(path, scenario.plan)[0] for key, path in scenario.files.items()}
    for key in ("JCS", "UNPOL", "MLT", "MLT-old"):
        assert reports[key].valid, (key, reports[key].findings)
        assert [f.code for f in reports[key].findings if f.severity == "error"] == []
    assert [f.code for f in reports["JCS"].findings] == ["text-looks-like-formula"]
    assert [f.code for f in reports["UNDP"].findings] == ["high-risk-without-mitigation"]
    assert reports["OTHER"].unreadable


# ---------------------------------------------------------------------------
# The merge run and its report.
# ---------------------------------------------------------------------------


def test_merge_exits_1_and_reports_every_input(scenario: Scenario) -> None:
    run = scenario.runs["main"]
    assert run.code == 1  # the plan is written; some inputs were refused
    lines = output_lines(run)
    assert lines == {
        "JCS.xlsx": "merged",
        "MLT.xlsx": "merged (newer saved time 2027-02-03 10:00 UTC)",
        "UNPOL.xlsx": "merged",
        "MLT-old.xlsx": (
            "superseded by MLT.xlsx (newer saved time 2027-02-03 10:00 UTC;"
            " this file 2027-01-20 09:00 UTC)"
        ),
        "UNDP.xlsx": "refused: 1 error (fix it, or merge with --include-invalid)",
        "OTHER.xlsx": (
            "refused: belongs to plan other-plan, not to plan merge-test (UN Test Mission);"
            " check you have the right file, or carry its entries into this plan's template"
            " with missionplan upgrade FILE --plan PLAN.yaml --out DIR"
        ),
    }
    assert re.search(r"from 3 submissions, 3 conflicts, \d+ gaps\.$", run.stdout.strip())


def test_a_file_with_errors_is_refused_with_its_error_count(scenario: Scenario) -> None:
    errors = validate_file(scenario.files["UNDP"], scenario.plan)[0].errors
    assert errors == 1
    what = output_lines(scenario.runs["main"])["UNDP.xlsx"]
    assert what == "refused: 1 error (fix it, or merge with --include-invalid)"
    assert "5.2-UNDP-01" not in objective_rows(scenario.out["main"])
    assert summary_inputs(scenario.out["main"])["UNDP.xlsx"] == what


def test_a_workbook_of_another_plan_is_refused(scenario: Scenario) -> None:
    with_plan = output_lines(scenario.runs["main"])["OTHER.xlsx"]
    assert with_plan.startswith("refused: belongs to plan other-plan, not to plan merge-test")
    run = scenario.runs["noplan"]
    assert run.code == 1, run
    assert output_lines(run)["OTHER.xlsx"] == (
        "refused: from another plan (other-plan, merging merge-test); if it was filled on an "
        "earlier version of this plan, carry it over with missionplan upgrade FILE --plan "
        "PLAN.yaml --out DIR"
    )


def test_the_newest_submission_of_a_component_wins(scenario: Scenario) -> None:
    rows = objective_rows(scenario.out["main"])
    assert rows["5.2-MLT-01"]["Description"] == "Joint patrols with the national police"
    assert rows["5.2-MLT-01"]["Source file"] == "MLT.xlsx"
    inputs = summary_inputs(scenario.out["main"])
    assert inputs["MLT.xlsx"] == "merged (newer saved time 2027-02-03 10:00 UTC)"
    assert inputs["MLT-old.xlsx"].startswith("superseded by MLT.xlsx (newer saved time")


def test_nothing_to_merge_exits_2_with_a_one_line_reason(scenario: Scenario) -> None:
    run = scenario.runs["nothing"]
    assert run.code == 2
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("missionplan: error: nothing to merge (")
    assert "UNDP.xlsx: 1 error (fix it" in line and "OTHER.xlsx: belongs to plan other-plan" in line
    assert "PLAN.xlsx: a master or merged plan" in line
    assert not (scenario.root / "merged-nothing.xlsx").exists()


def test_refuses_to_overwrite_without_force(scenario: Scenario) -> None:
    run = scenario.runs["overwrite"]
    assert run.code == 2
    assert "already exists" in run.stderr and "--force" in run.stderr
    # the first merge's file is intact: same cells as the merge of the reversed inputs
    assert all_values(scenario.out["main"]) == all_values(scenario.out["reversed"])


# ---------------------------------------------------------------------------
# The merged workbook.
# ---------------------------------------------------------------------------


def test_objective_sheets_hold_every_item_of_every_accepted_input(scenario: Scenario) -> None:
    path = scenario.out["main"]
    assert [name.split(" ")[0] for name in objective_sheets(path)] == ["4", "5"]
    rows = objective_rows(path)
    accepted = set()
    for key in ("JCS", "UNPOL", "MLT"):
        ids = submitted_ids(scenario.files[key])
        assert ids, key
        accepted |= ids
    assert accepted <= set(rows)
    for output_id in SCOPE:
        output = scenario.framework.output(output_id)
        assert output is not None
        framework_ids = {i.id for i in output.activities} | {i.id for i in output.benchmarks}
        framework_ids |= {i.id for i in (*output.risks, *output.considerations)}
        assert framework_ids <= set(rows)
    extra = set(rows) - accepted
    assert all(rows[i]["Source component"] in (None, "") for i in extra), extra
    for item_id, row in rows.items():
        assert row["_sheet"].split(" ")[0] == item_id.split(".")[0]
        assert row["Output"] == item_id.split("-")[0]


def test_provenance_columns_follow_the_contract(scenario: Scenario) -> None:
    for path in (scenario.out["main"], scenario.out["invalid"]):
        wb = openpyxl.load_workbook(path)
        for name in objective_sheets(path):
            header = [cell.value for cell in wb[name][1]]
            assert header == [*HEADERS, *PROVENANCE_HEADERS]


def test_identical_copies_list_both_sources(scenario: Scenario) -> None:
    row = objective_rows(scenario.out["main"])["4.5-A2"]
    assert row["Lead"] == "UNPOL"
    assert row["Source component"] == "JCS; UNPOL"
    assert row["Source file"] == "JCS.xlsx; UNPOL.xlsx"
    places = row["Source sheet and row"].split("; ")
    assert len(places) == 2 and all(re.fullmatch(r"4 .+ row \d+", p) for p in places)
    assert row["Validated"] == "yes"


def test_differing_copies_keep_the_output_leads_version(scenario: Scenario) -> None:
    rows = objective_rows(scenario.out["main"])
    assert rows["4.5-A1"]["Lead"] == "UNPOL"
    assert rows["4.5-A1"]["Source component"] == "UNPOL"
    assert rows["4.5-BS1"]["Indicator"] == "Share of districts covered"
    assert rows["4.5-BS1"]["Source file"] == "UNPOL.xlsx"


def test_conflicts_sheet_holds_the_planted_conflicts(scenario: Scenario) -> None:
    conflicts = table(scenario.out["main"], CONFLICTS_SHEET)
    found = {(c["Kind"], c["Item ID"], c["Column"]) for c in conflicts}
    assert found == {
        ("lead-claimed-twice", "4.5-A1", "Lead"),
        ("different-values", "4.5-BS1", "Indicator"),
        ("missing-dependency", "5.2-JCS-01", "Depends on"),
    }
    assert len(conflicts) == 3
    by_item = {c["Item ID"]: c for c in conflicts}
    lead = by_item["4.5-A1"]
    assert (lead["Kept value"], lead["Other value"]) == ("UNPOL", "JCS")
    assert re.fullmatch(r"UNPOL: \S*UNPOL\.xlsx '4 .+' row \d+", lead["Kept from"])
    assert re.fullmatch(r"JCS: \S*JCS\.xlsx '4 .+' row \d+", lead["Other from"])
    indicator = by_item["4.5-BS1"]
    assert indicator["Kept value"] == "Share of districts covered"
    assert indicator["Other value"] == "Number of police stations reopened"
    assert by_item["5.2-JCS-01"]["Kept value"] == "3.1-A1"


def test_gaps_sheet_holds_the_planted_gaps(scenario: Scenario) -> None:
    gaps = table(scenario.out["main"], GAPS_SHEET)
    found = {(g["Kind"], g["Output"], g["Component"], g["Item ID"]) for g in gaps}
    output = scenario.framework.output("5.5")
    assert output is not None
    expected: set[tuple[str, str | None, str, str | None]] = {
        ("component-did-not-submit", None, "FORCE", None),
        ("component-did-not-submit", None, "UNDP", None),  # refused: it had errors
        ("lead-submitted-nothing", "5.5", "FORCE", None),
        ("no-activity", "5.5", "FORCE", None),
        ("no-benchmark-in-term", "5.5", "FORCE", None),
    }
    # MLT's locked copies of the 5.5 benchmarks carry no owner
    expected |= {("benchmark-without-owner", "5.5", "FORCE", b.id) for b in output.benchmarks}
    assert found == expected
    assert sum(g["Kind"] == "no-benchmark-in-term" for g in gaps) == 3
    assert not any(g["Output"] in ("4.5", "5.2") for g in gaps)


def test_summary_sheet(scenario: Scenario) -> None:
    path = scenario.out["main"]
    rows = all_values(path)[SUMMARY_SHEET]
    assert rows[0][0] == "Merged mission plan: UN Test Mission"
    assert f"Plan {PLAN_ID}, 2027-01-01 to 2029-12-31" in rows[1][0]
    inputs = summary_inputs(path)
    assert set(inputs) == {p.name for k, p in scenario.files.items() if k != "PLAN"}
    merged = {k for k, v in inputs.items() if v.startswith("merged")}
    assert merged == {"JCS.xlsx", "UNPOL.xlsx", "MLT.xlsx"}
    titles = {r[0] for r in rows if r and isinstance(r[0], str)}
    assert "Activities under way per quarter, by output" in titles
    quarter_header = next(r for r in rows if r[0] == "Output" and r[1] == "2027 Q1")
    assert [v for v in quarter_header if v][-1] == "2029 Q4"


def test_text_starting_with_equals_stays_text(scenario: Scenario) -> None:
    path = scenario.out["main"]
    wb = openpyxl.load_workbook(path)
    rows = objective_rows(path)
    assert rows["5.2-JCS-01"]["Comments"] == FORMULA_TEXT
    sheet = wb[rows["5.2-JCS-01"]["_sheet"]]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA_TEXT]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[\s>]", archive.read(name)), name


def test_same_inputs_in_another_order_give_the_same_cells(scenario: Scenario) -> None:
    assert scenario.runs["reversed"].code == scenario.runs["main"].code == 1
    first, second = all_values(scenario.out["main"]), all_values(scenario.out["reversed"])
    assert list(first) == list(second)
    for sheet in first:
        assert first[sheet] == second[sheet], sheet


def test_include_invalid_merges_and_marks_the_rows(scenario: Scenario) -> None:
    run = scenario.runs["invalid"]
    lines = output_lines(run)
    assert lines["UNDP.xlsx"] == "merged"
    assert lines["PLAN.xlsx"] == "refused: a master or merged plan, not a component's submission"
    assert lines["OTHER.xlsx"].startswith("refused: belongs to plan other-plan")
    rows = objective_rows(scenario.out["invalid"])
    assert rows["5.2-UNDP-01"]["Validated"] == "NO (submitted with errors)"
    assert rows["5.2-UNDP-01"]["Source component"] == "UNDP"
    assert rows["5.2-UNDP-01"]["Likelihood"] == 5
    untouched = {k: r["Validated"] for k, r in rows.items() if not k.startswith("5.2-")}
    assert set(untouched.values()) == {"yes"}
    assert rows["5.2-JCS-01"]["Validated"] == rows["5.2-MLT-01"]["Validated"] == "yes"
    gaps = {(g["Kind"], g["Item ID"]) for g in table(scenario.out["invalid"], GAPS_SHEET)}
    assert ("high-risk-without-mitigation", "5.2-UNDP-01") in gaps
    assert not any(
        g["Kind"] == "component-did-not-submit" and g["Component"] == "UNDP"
        for g in table(scenario.out["invalid"], GAPS_SHEET)
    )


def test_a_locked_copy_in_a_file_with_errors_does_not_unvalidate_the_leads_values(
    scenario: Scenario,
) -> None:
    rows = objective_rows(scenario.out["invalid"])
    framework_rows = {k: r for k, r in rows.items() if re.fullmatch(r"5\.2-[A-Z]+\d+", k)}
    assert len(framework_rows) == 23
    for row in framework_rows.values():
        assert row["Source component"] == "JCS; MLT; UNDP"  # values from JCS, locked copies
    assert {r["Validated"] for r in framework_rows.values()} == {"yes"}


@pytest.mark.parametrize(
    ("key", "with_errors"),
    [
        ("validate", {"5.5"}),  # the output whose lead submitted nothing
        ("validate-invalid", {"5.5", "5.2-UNDP-01"}),  # and the high risk merged with errors
    ],
)
def test_validate_reads_the_merged_plan_without_structure_findings(
    scenario: Scenario, key: str, with_errors: set[str]
) -> None:
    run = scenario.runs[key]
    assert run.code in (0, 1), run
    [report] = json.loads(run.stdout)["files"]
    assert "unreadable" not in report
    codes = {f["code"] for f in report["findings"]}
    assert codes & STRUCTURE_CODES == set(), codes
    errors = {f["item_id"] for f in report["findings"] if f["severity"] == "error"}
    assert {e if e.startswith("5.2-UNDP") else e.split("-")[0] for e in errors} == with_errors
    assert run.code == 1


# ---------------------------------------------------------------------------
# An item the merge takes in must reach the merged workbook.
# ---------------------------------------------------------------------------


def test_a_row_typed_under_an_output_outside_the_plan_is_not_lost(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = Path(shutil.copy(scenario.files["UNPOL"], tmp_path / "UNPOL.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws.title.startswith("4 "))
    columns = {cell.value: cell.column for cell in ws[1]}
    row = ws.max_row + 1
    typed = {
        "Output": "3.1",
        "Item ID": "3.1-UNPOL-01",
        "Type": "consideration",
        "Description": "Typed by hand under another output",
        "Mission position": "Noted",
    }
    for header, value in typed.items():
        ws.cell(row, columns[header]).value = value
    wb.save(path)
    report = validate_file(path, scenario.plan)[0]
    assert [f.code for f in report.findings] == ["item-moved"]  # an error: not its output
    assert report.findings[0].cell == f"A{row}"
    outcome = merge_files(
        [path], scenario.framework, tmp_path / "merged.xlsx", scenario.plan, include_invalid=True
    )
    assert "3.1-UNPOL-01" in {i.item_id for i in outcome.merged.items}
    assert "3.1-UNPOL-01" in objective_rows(tmp_path / "merged.xlsx")


def test_merging_in_process_gives_the_collector_back_what_it_kept_from_it(
    scenario: Scenario, tmp_path: Path
) -> None:
    """merge_files runs no cycle collection while it works (validate.run.uncollected) and
    gives the collector back when done, also when nothing could be merged: a longer process
    (the demo) must not keep its objects frozen nor go on uncollected; one that had turned
    the collector off keeps it off."""
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    out = tmp_path / "merged.xlsx"
    outcome = merge_files([scenario.files["UNPOL"]], scenario.framework, out, scenario.plan)
    assert outcome.accepted == (str(scenario.files["UNPOL"]),)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    with pytest.raises(MissionplanError, match="nothing to merge"):
        merge_files([tmp_path / "absent.xlsx"], scenario.framework, out, scenario.plan, force=True)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    gc.disable()
    try:
        merge_files([scenario.files["UNPOL"]], scenario.framework, out, scenario.plan, force=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
