"""`missionplan demo` runs the whole cycle and leaves files a newcomer can open."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from missionplan.demo.review import Q3, fill_review
from missionplan.demo.run import with_due_dates
from missionplan.demo.samples import as_fill, plant_mistakes, sample_values
from missionplan.export.distribution import component_layout
from missionplan.export.run import workbook_name
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.schema.contract import BY_KEY
from missionplan.validate.annotation import annotate_copy
from missionplan.validate.run import validate_file
from missionplan.workbook.fill import fill_workbook


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
    assert len(templates) == 21  # the README: "21 component workbooks"
    assert len(submissions) == len(templates)  # one late, one sent twice
    assert any((out / "annotated").glob("*.xlsx"))
    assert (out / "mission-plan.xlsx").is_file()
    steps = ("1. Plan", "2. Export", "3. Submissions", "4. Validate", "5. Merge", "6. Round 2")
    for step in (*steps, "7. Review", "8. Review", "9. Report"):
        assert step in tour
    assert tour.index("8. Review") < tour.index("9. Report")  # the report shows the reviews
    report = out / "report.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"the review pack:   {report}" in tour


def test_demo_tour_reports_planted_mistakes_and_outcomes(demo: tuple[Path, str]) -> None:
    _, tour = demo
    assert "has not submitted" in tour
    assert "superseded by" in tour
    assert "refused:" in tour and "errors" in tour
    assert "INVALID" in tour and "VALID" in tour


TOUR_MISTAKE = re.compile(
    r"   (?P<component>\S+): (?P<note>.+) \((?P<item_id>\S+), expect (?P<code>[a-z-]+)"
    r"(?P<merge> \(merge\))?\)"
)
PLANTED_KINDS = ("warnings", "errors", "overreach")
# Where a finding points when it is not the planted cell: a high risk is fixed in its
# Mitigation cell (the planting also empties it); a context row is named by its id.
FINDING_COLUMN = {"high-risk-without-mitigation": "mitigation", "context-row-edited": "item_id"}


@dataclass(frozen=True)
class Planted:
    component: str
    item_id: str
    code: str
    at_merge: bool
    column: str  # the contract column planted (from missionplan.demo.samples)


def tour_mistakes(tour: str) -> list[re.Match[str]]:
    """The lines under "Planted mistakes:", every one parsed (none silently skipped)."""
    lines = tour.splitlines()
    start = lines.index("   Planted mistakes:") + 1
    end = next(n for n, line in enumerate(lines) if line.startswith("4. Validate"))
    section = lines[start:end]
    parsed = [TOUR_MISTAKE.fullmatch(line) for line in section]
    assert all(parsed), [line for line, m in zip(section, parsed, strict=True) if m is None]
    return [m for m in parsed if m is not None]


def planted_mistakes(out: Path, tour: str) -> list[Planted]:
    """The tour's mistakes, each with its column from the sample factory's planting."""
    framework = load_framework()
    plan = load_plan(out / "plan.yaml", framework)
    listed = tour_mistakes(tour)
    found: list[Planted] = []
    for code in dict.fromkeys(m["component"] for m in listed):
        said = [
            (m["item_id"], m["code"] + (m["merge"] or "")) for m in listed if m["component"] == code
        ]
        component = plan.component(code)
        assert component is not None, code
        layout = component_layout(framework, plan, component)
        matching = []
        for kind in PLANTED_KINDS:
            mistakes = plant_mistakes(sample_values(layout), layout, kind)
            if [(m.item_id, m.expected_code) for m in mistakes] == said:
                matching.append(mistakes)
        assert len(matching) == 1, (code, said)
        for mistake in matching[0]:
            at_merge = mistake.expected_code.endswith(" (merge)")
            bare = mistake.expected_code.removesuffix(" (merge)")
            found.append(Planted(code, mistake.item_id, bare, at_merge, mistake.column))
    assert len(found) == len(listed)
    return found


def cell_of(path: Path, item_id: str, key: str) -> tuple[str, str]:
    """(sheet, A1 cell) of a column of the row holding item_id, read with openpyxl."""
    wb = load_workbook(path, read_only=True)
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = [str(v) if v is not None else "" for v in next(rows, ())]
            if BY_KEY["item_id"].header not in header:
                continue
            id_at = header.index(BY_KEY["item_id"].header)
            for number, values in enumerate(rows, start=2):
                if id_at < len(values) and values[id_at] == item_id:
                    column = header.index(BY_KEY[key].header) + 1
                    return ws.title, f"{get_column_letter(column)}{number}"
    finally:
        wb.close()
    raise AssertionError(f"no row holds {item_id} in {path.name}")


def test_planted_mistakes_are_found_where_planted(demo: tuple[Path, str]) -> None:
    out, tour = demo
    planted = planted_mistakes(out, tour)
    assert planted, "the tour lists no planted mistakes"
    # the three typical sets of mistakes, each with more than one mistake
    assert len(planted) >= 9, planted
    assert len({p.component for p in planted}) == 3
    plan = load_plan(out / "plan.yaml", load_framework())
    reports = {}
    for mistake in (p for p in planted if not p.at_merge):
        path = out / "submissions" / workbook_name(plan, mistake.component)
        if path not in reports:
            reports[path] = validate_file(path)[0]
        key = FINDING_COLUMN.get(mistake.code, mistake.column)
        sheet, cell = cell_of(path, mistake.item_id, key)
        places = {
            (f.sheet, f.cell)
            for f in reports[path].findings
            if f.code == mistake.code and f.item_id == mistake.item_id
        }
        assert (sheet, cell) in places, (mistake, sheet, cell, places)
    at_merge = [p for p in planted if p.at_merge]
    assert at_merge, "no mistake is left for the merge to find"
    wb = load_workbook(out / "mission-plan.xlsx", read_only=True)
    conflicts = {(row[0], row[1]) for row in wb["Conflicts"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    for mistake in at_merge:
        assert (mistake.code, mistake.item_id) in conflicts, mistake


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


def test_demo_in_french_runs_the_same_cycle_in_french_workbooks(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    english_out, english_tour = demo
    out = tmp_path / "demo-fr"
    result = subprocess.run(
        [sys.executable, "-m", "missionplan", "demo", "--out", str(out), "--lang", "fr"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "  language: fr " in (out / "plan.yaml").read_text(encoding="utf-8")
    # the same plan id, mistakes, findings and merge: only the words differ (the workbooks',
    # and the reports' lines: 'VALIDE ... : 0 erreur'), never a number, id, code or file
    french = result.stdout.replace(str(out), "OUT").splitlines()
    english = english_tour.replace(str(english_out), "OUT").splitlines()
    numbered = re.compile(r"[\w./-]*\d[\w./-]*")  # "#8" and "n° 8" alike: 8
    assert [numbered.findall(line) for line in french] == [
        numbered.findall(line) for line in english
    ]
    assert any(line.startswith("   NON VALIDE umismc-HRD-") for line in french), french
    template = next((out / "templates").glob("*.xlsx"))
    meta = dict(load_workbook(template)["_meta"].iter_rows(values_only=True))
    assert meta["language"] == "fr"
    annotated = next((out / "annotated").glob("*.xlsx"))
    assert load_workbook(annotated, read_only=True).sheetnames[0] == "Constats"
    # the tour is told in French too (issue 15): the demo's own lines, the review round's
    tour = result.stdout
    for english in ("Planted mistakes", "Open the files", "Due back by", "re-issued from",
                    "Review 2027-Q2", "review workbooks in", "performance report:", "(expect ",
                    "superseded by", "Merged three-way", "Re-run a step"):  # fmt: skip
        assert english not in tour, english
    for french_words in ("Erreurs semées :", "6. Tour 2 : ", "7. Revue 2027-Q2 : ", "(attendu ",
                         "rapport de performance : ", "Ouvrez les fichiers"):  # fmt: skip
        assert french_words in tour, french_words
    review = next((out / "review-2027-Q2" / "issued").glob("*.xlsx"))
    assert load_workbook(review, read_only=True).sheetnames[1:4] == [
        "Activités",
        "Jalons",
        "Risques",
    ]
    report = load_workbook(out / "performance-2027-Q3.xlsx", read_only=True).sheetnames
    assert report[:2] == ["Voyants", "Tendance"]


def test_demo_board_shows_the_due_dates(demo: tuple[Path, str]) -> None:
    """The demo's plan sets a due date, so the board counts on-time, late and missing."""
    out, tour = demo
    assert re.search(r"^  due: \d{4}-\d{2}-\d{2}$", (out / "plan.yaml").read_text(), re.M)
    assert re.search(r"\b\d+ on time, 1 late, 1 missing\b", tour)
    assert re.search(r"WFP +missing .* overdue", tour)


def test_due_dates_go_into_the_plan_text() -> None:
    text = "plan:\n  mission: M\n  submit_to: 'x'\ncomponents:\n  - {code: WFP, name: W}\n"
    changed = with_due_dates(text, dt.date(2027, 2, 15), "WFP", dt.date(2027, 2, 1))
    assert changed == (
        "plan:\n  mission: M\n  due: 2027-02-15\n  submit_to: 'x'\ncomponents:\n"
        "  - {code: WFP, name: W, due: 2027-02-01}\n"
    )
    assert with_due_dates(text, dt.date(2027, 2, 15), "WF", dt.date(2027, 2, 1)).count("due") == 1


def test_demo_runs_two_quarters_of_review(demo: tuple[Path, str]) -> None:
    """Issue 12: a review round after the planning rounds, planted mistakes found, a trend."""
    from missionplan.demo.review import MISTAKES

    out, tour = demo
    assert "7. Review 2027-Q2" in tour and "8. Review 2027-Q3" in tour
    returned = sorted((out / "review-2027-Q2" / "returned").glob("*.xlsx"))
    found = {
        code for path in returned for code in (f.code for f in validate_file(path)[0].findings)
    }
    assert {code for *_, code in MISTAKES} <= found
    for _, _, what, code in MISTAKES:
        assert f"{what} (expect {code})" in tour
    trend = load_workbook(out / "performance-2027-Q3.xlsx")["Trend"]
    lights = [row for row in trend.iter_rows(min_row=3, values_only=True) if row[0] and row[1]]
    assert lights and any(row[1] != row[2] for row in lights[:10]), "the trend should differ"
    assert "Trend" not in load_workbook(out / "performance-2027-Q2.xlsx").sheetnames
    # both quarters collected into the demo's register; Q3 merged from it (its trend too)
    from missionplan.register.database import open_register
    from missionplan.register.entries import all_entries, all_merges

    register = open_register(f"sqlite:///{out / 'missionplan.db'}", create=False)
    assert register is not None
    try:
        entries, merges = all_entries(register), all_merges(register)
    finally:
        register.close()
    periods = {e.period for e in entries if e.kind == "review"}
    assert periods == {"2027-Q2", "2027-Q3"}
    (review_merge,) = [m for m in merges if m.kind == "review"]
    assert review_merge.period == "2027-Q3"
    assert review_merge.out.endswith("performance-2027-Q3.xlsx")
    in_it = {e.number: e.period for e in entries if e.number in review_merge.inputs}
    assert set(in_it.values()) == {"2027-Q2", "2027-Q3"}  # the trend's quarter from the register
    assert "merged from the register (missionplan merge --plan" in tour


def test_demo_runs_a_second_round_merged_three_way(demo: tuple[Path, str]) -> None:
    """Issue 11: round 2 re-issued from the merged plan, revised, merged three-way, diffed."""
    out, tour = demo
    issued = sorted((out / "round-2" / "issued").glob("*.xlsx"))
    assert len(issued) == 21
    meta = dict(load_workbook(issued[0], read_only=True)["_meta"].iter_rows(values_only=True))
    assert str(meta["round"]) == "2" and len(str(meta["parent"])) == 64
    merged = out / "mission-plan-round-2.xlsx"
    conflicts = list(load_workbook(merged, read_only=True)["Conflicts"].iter_rows(values_only=True))
    differently = [row for row in conflicts[1:] if row[0] == "changed-differently"]
    assert len(differently) == 1  # the lead and one supporter set one budget differently
    (row,) = differently
    assert row[2] == "Budget (USD)" and (row[3], row[4], row[6]) == ("25000", "48000", "52000")
    assert f"1 changed differently by two components: {row[1]} Budget (USD)" in tour
    assert re.search(r"~ \S+ Budget \(USD\): 25000 -> 48000", tour)
    assert (out / "changes-round-2.xlsx").is_file()
    assert "9. Report" in tour and "changes since round 1" in tour
    assert "lights of both review quarters" in tour


def _parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts, but the saved time openpyxl stamps on every save."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", parts["docProps/core.xml"]
    )
    return parts


def test_the_demo_files_are_those_a_reload_of_each_workbook_gives(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    """The demo fills and annotates the workbooks it keeps open (as_reopened): the same
    parts as filling the file written and annotating the submission as loaded."""
    out, _ = demo
    framework = load_framework()
    plan = load_plan(out / "plan.yaml", framework)
    unplanted = 0
    for component in plan.participants():
        name = workbook_name(plan, component.code)
        submitted = out / "submissions" / name
        if not submitted.exists():
            continue
        report, _ = validate_file(submitted)
        annotated = tmp_path / "annotated" / name
        annotated.parent.mkdir(exist_ok=True)
        annotate_copy(submitted, report, annotated)
        assert _parts(annotated) == _parts(out / "annotated" / name), component.code
        if not report.findings:  # no mistake planted: its values are the sample's
            values = as_fill(sample_values(component_layout(framework, plan, component)))
            refilled = fill_workbook(out / "templates" / name, values, tmp_path / name)
            assert _parts(refilled) == _parts(submitted), component.code
            unplanted += 1
    assert unplanted >= 5
    q3 = out / "review-2027-Q3"
    for issued in sorted((q3 / "issued").iterdir()):
        fill_review(issued, tmp_path / "q3" / issued.name, Q3, None)
        assert _parts(tmp_path / "q3" / issued.name) == _parts(q3 / "returned" / issued.name)
