"""`missionplan report` on the demo's merged plan: the file edge, the command, the errors."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from missionplan.errors import MissionplanError
from missionplan.report.run import report_paths
from tests.cli_helpers import run_main
from tests.report.conftest import DEMO_REVIEWS, DEMO_TODAY


def test_the_same_inputs_give_the_same_bytes(demo_run: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.html"
    report_paths(demo_run / "mission-plan.xlsx", again, demo_run / "plan.yaml",
                 today=DEMO_TODAY, environ={},
                 reviews=[demo_run / folder for folder in DEMO_REVIEWS])  # fmt: skip
    assert again.read_bytes() == (demo_run / "report.html").read_bytes()


def test_the_demo_report_has_the_board_the_merge_findings_and_today(demo_run: Path) -> None:
    html = (demo_run / "report.html").read_text(encoding="utf-8")
    assert "as of 2027-09-15" in html and "today 2027-09-15" in html
    assert "<b>372</b>items" in html  # the demo's tour: 372 items, 2 conflicts, 19 gaps
    assert "Conflicts (2)" in html and "Gaps (19)" in html
    # the board is the register's for the plan's current round: round 2, where WFP, missing
    # in round 1, sent its workbook back
    assert "<td>WFP</td><td>valid</td>" in html
    assert "No baseline given" in html


def test_the_demo_report_shows_the_lights_of_both_review_quarters(demo_run: Path) -> None:
    from missionplan.merge.reviews import read_reviews

    reviews = [demo_run / folder for folder in DEMO_REVIEWS]
    merged = read_reviews(reviews, demo_run / "plan.yaml").report  # what merge writes
    assert merged.trend is not None and len(merged.trend.periods) == 2
    html = (demo_run / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="performance">') : html.index('<section id="items">')]
    assert "Quarter 2027-Q3" in section and "trend over 2027-Q2, 2027-Q3" in section
    # all 20 components given a review workbook reported; WFP, given none, is not expected
    assert "; reported by " in section and "not reported:" not in section
    for lit in merged.outputs:
        assert f'aria-label="Output {lit.id}: {lit.light}"' in section
    for output, lights in merged.trend.outputs:
        for period, lit in zip(("2027-Q2", "2027-Q3"), lights, strict=True):
            assert f"<title>{output} {period}: {lit}</title>" in section
    late = sum(1 for a in merged.activities if dict(a.fields)["late"])
    assert f"<b>{late}</b>late activit{'y' if late == 1 else 'ies'}<" in section
    overdue = len(merged.benchmarks_past_target)
    assert f"<b>{overdue}</b>overdue benchmark{'' if overdue == 1 else 's'}<" in section
    assert f"Overdue benchmarks ({overdue}; the first 10)" in section  # the demo has more


def test_without_reviews_the_section_says_how_to_get_it(demo_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run = report_paths(demo_run / "mission-plan.xlsx", out, today=DEMO_TODAY)
    assert run.report.review is None
    assert "No review given: <code>--reviews FOLDER</code>" in out.read_text(encoding="utf-8")


def test_the_baseline_lists_what_changed(demo_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    template = next((demo_run / "templates").glob("*-HOM-*.xlsx"))
    run = report_paths(demo_run / "mission-plan.xlsx", out, baseline=template, today=DEMO_TODAY)
    assert run.report.changes and run.report.board is None
    kinds = {c.kind for c in run.report.changes}
    assert kinds == {"added", "changed"}  # items of other outputs, and HOM's filled-in rows
    html = out.read_text(encoding="utf-8")
    assert f"Since {template.name}: {len(run.report.changes)} items changed." in html


def test_the_command_writes_the_report_and_says_what_it_holds(
    demo_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.html"
    code, stdout, err = run_main("report", str(demo_run / "mission-plan.xlsx"), "-o", str(out),
                                 "--today", "2027-03-01")  # fmt: skip
    assert code == 0, err
    assert stdout.startswith(f"wrote {out}: 372 items, ") and "2 conflicts, 19 gaps" in stdout
    assert "as of 2027-03-01" in out.read_text(encoding="utf-8")
    code, _, err = run_main("report", str(demo_run / "mission-plan.xlsx"), "-o", str(out))
    assert code == 2 and "--force" in err  # never overwritten without asking
    reviews = [arg for folder in DEMO_REVIEWS for arg in ("--reviews", str(demo_run / folder))]
    code, _, err = run_main("report", str(demo_run / "mission-plan.xlsx"), "-o", str(out),
                            "-p", str(demo_run / "plan.yaml"), *reviews, "--force")  # fmt: skip
    assert code == 0, err
    assert "trend over 2027-Q2, 2027-Q3" in out.read_text(encoding="utf-8")


def test_bad_input_is_one_line(demo_run: Path, tmp_path: Path) -> None:
    merged = demo_run / "mission-plan.xlsx"
    template = next((demo_run / "templates").glob("*.xlsx"))
    cases = [
        (("report", str(template), "-o", str(tmp_path / "a.html")), "no Conflicts sheet"),
        (("report", str(merged), "-o", str(tmp_path / "b.html"), "--db", "x.db"), "--db needs"),
        (("report", str(merged), "-o", str(merged), "--force"), "is an input of the report"),
        (("report", str(merged), "-o", str(tmp_path / "c.html"), "--today", "1 May"), "YYYY-MM-DD"),
        (("report", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "d.html")), "none.xlsx"),
        (
            ("report", str(merged), "-o", str(tmp_path / "e.html"), "--reviews", str(template)),
            "no review workbook could be merged",
        ),
    ]
    for args, expected in cases:
        code, _, err = run_main(*args)
        assert code == 2 and expected in err and "Traceback" not in err, (args, err)


def test_a_plan_without_a_register_has_no_board(demo_run: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(demo_run / "plan.yaml", plan)  # no missionplan.db next to this copy
    run = report_paths(demo_run / "mission-plan.xlsx", tmp_path / "r.html", plan,
                       today=dt.date(2027, 1, 1), environ={})  # fmt: skip
    assert run.report.board is None


def test_the_input_is_never_changed(demo_run: Path, tmp_path: Path) -> None:
    merged = demo_run / "mission-plan.xlsx"
    before = merged.read_bytes()
    report_paths(merged, tmp_path / "r.html", today=DEMO_TODAY)
    assert merged.read_bytes() == before
    with pytest.raises(MissionplanError, match="already exists"):
        report_paths(merged, tmp_path / "r.html", today=DEMO_TODAY)
