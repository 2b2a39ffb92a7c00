"""`missionplan merge` of review workbooks: the performance report (issue 12, §3), end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.errors import MissionplanError
from missionplan.merge.reviews import merge_reviews
from tests.cli_helpers import run_main
from tests.reviews import ReviewKit, good_answers


def _answers(rk: ReviewKit) -> dict[tuple[str, str], dict[str, object]]:
    answers = good_answers(rk)
    first, second = rk.ids("Activities")[:2]
    answers[("Activities", first)].update(status="delayed", reason="The rains cut the roads.")
    answers[("Activities", second)].update(status="completed", percent=100,
                                           actual_end=dt.datetime(2027, 3, 30))  # fmt: skip
    bench = rk.ids("Benchmarks")[0]
    answers[("Benchmarks", bench)].update(assessment="off track", note="Recruitment frozen.")
    risk = rk.ids("Risks")[0]
    answers[("Risks", risk)].update(likelihood=5, impact=5, materialised="yes")
    return answers


def test_the_report_workbook(rk: ReviewKit, tmp_path: Path) -> None:
    review = rk.answer(_answers(rk), tmp_path / "in" / "UNPOL.xlsx")
    out = tmp_path / "performance-2027-Q2.xlsx"
    code, stdout, stderr = run_main("merge", str(review), "-p", str(rk.kit.plan_file),
                                    "-o", str(out))  # fmt: skip
    assert code == 0, stderr
    assert "performance report 2027-Q2: 1 review workbook merged" in stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Lights", "Activities", "Benchmarks", "Risks", "Reporting"]
    lights = [row for row in wb["Lights"].iter_rows(values_only=True) if row[0] in ("4.5", "5.5")]
    assert {row[2] for row in lights} <= {"green", "amber", "red", "grey"} and len(lights) == 2
    assert "The rule:" in str(wb["Lights"]["A3"].value)
    activities = [row[0] for row in wb["Activities"].iter_rows(values_only=True)]
    assert rk.ids("Activities")[0] in activities
    risks = [row[0] for row in wb["Risks"].iter_rows(values_only=True)]
    assert risks.count(rk.ids("Risks")[0]) == 2  # rose, and materialised
    reporting = list(wb["Reporting"].iter_rows(values_only=True))
    assert ("UNPOL", "yes") in reporting


def test_the_plan_sets_the_rule(rk: ReviewKit, tmp_path: Path) -> None:
    review = rk.answer(_answers(rk), tmp_path / "UNPOL.xlsx")
    strict = tmp_path / "plan.yaml"
    text = rk.kit.plan_file.read_text(encoding="utf-8")
    strict.write_text(text.replace("plan:\n", "plan:\n  lights_red_percent: 1\n", 1), "utf-8")
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text(text.replace("plan:\n", "plan:\n  lights_red_percent: 100\n"
                                    "  lights_amber_percent: 100\n", 1), "utf-8")  # fmt: skip
    harsh = merge_reviews([review], tmp_path / "a.xlsx", strict).report
    soft = merge_reviews([review], tmp_path / "b.xlsx", lenient).report
    assert harsh.rule.red_percent == 1 and "at least 1%" in harsh.rule.text()
    assert {o.light for o in harsh.outputs} == {"red"}
    assert {o.light for o in soft.outputs} == {"green"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("plan:\n", "plan:\n  lights_red_percent: 0\n", 1), "utf-8")
    with pytest.raises(MissionplanError, match="lights_red_percent"):
        merge_reviews([review], tmp_path / "c.xlsx", bad)


def test_inputs_that_are_refused(rk: ReviewKit, tmp_path: Path) -> None:
    good = rk.answer(_answers(rk), tmp_path / "in" / "UNPOL.xlsx")
    again = rk.answer(_answers(rk), tmp_path / "in" / "UNPOL-copy.xlsx")
    invalid_answers = _answers(rk)
    invalid_answers[("Activities", rk.ids("Activities")[2])].update(status="delayed", reason=None)
    invalid = rk.answer(invalid_answers, tmp_path / "other" / "invalid.xlsx")
    out = tmp_path / "p.xlsx"
    done = merge_reviews([good, again, rk.kit.full], out, rk.kit.plan_file)
    states = {Path(f.file).name: f.what for f in done.fates}
    assert states["UNPOL.xlsx"] == "merged"
    assert states["UNPOL-copy.xlsx"].startswith(
        "refused: UNPOL.xlsx is UNPOL's review of 2027-Q2 already"
    )
    assert states["full.xlsx"].startswith("refused: a planning workbook")
    code, _, _ = run_main("merge", str(invalid), "-o", str(tmp_path / "q.xlsx"))
    assert code == 2  # nothing could be merged
    code, _, stderr = run_main("merge", str(invalid), "-o", str(tmp_path / "q.xlsx"),
                               "--include-invalid")  # fmt: skip
    assert code == 0, stderr


def test_a_second_quarter_gives_the_trend(rk: ReviewKit, tmp_path: Path) -> None:
    q2 = rk.answer(_answers(rk), tmp_path / "q2" / "UNPOL.xlsx")
    code, _, stderr = run_main(
        "export", str(rk.kit.plan_file), "--from", str(rk.merged), "--review", "2027-Q3",
        "--previous", str(q2), "-o", str(tmp_path / "q3-out"),
    )  # fmt: skip
    assert code == 0, stderr
    (issued,) = (tmp_path / "q3-out").glob("*.xlsx")
    wb = load_workbook(issued)
    bench = rk.ids("Benchmarks")[0]
    wb["Benchmarks"][rk.cell("Benchmarks", bench, "assessment")].value = "on track"
    wb["Benchmarks"][rk.cell("Benchmarks", bench, "measured")].value = "60%"
    q3 = tmp_path / "q3" / "UNPOL.xlsx"
    q3.parent.mkdir()
    wb.save(q3)
    done = merge_reviews([q3, q2], tmp_path / "p.xlsx", rk.kit.plan_file)
    assert done.report.period.label == "2027-Q3"
    assert done.report.trend is not None
    values = {b: v for b, _, v in done.report.trend.benchmarks}
    assert [a for _, a in values[bench]] == ["off track", "on track"]
    assert "Trend" in load_workbook(tmp_path / "p.xlsx").sheetnames
