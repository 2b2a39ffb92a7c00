"""`missionplan merge --plan plan.yaml --period 2027-Q3`: a review round from the register.

The current review of each component for the period makes the performance report, the
register's earlier periods give its trend, the components given a review workbook (by the
merged plan) are the ones expected, and the merge is recorded (issue 12).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.collect.run import collect_paths
from missionplan.collect.status import history
from missionplan.errors import MissionplanError
from missionplan.merge.registered import merge_review_register, review_entries
from missionplan.merge.reviews import merge_reviews
from missionplan.register.database import open_register
from missionplan.register.entries import VALID, Entry, all_entries, all_merges
from missionplan.schema.review import Period
from tests.cli_helpers import run_main
from tests.collect.material import plan_copy, variant
from tests.reviews import ReviewKit, good_answers

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def _quarters(rk: ReviewKit, folder: Path) -> tuple[Path, Path, str]:
    """UNPOL's Q2 review (one benchmark off track) and its Q3 review (back on track at 60%)."""
    answers = good_answers(rk)
    bench = rk.ids("Benchmarks")[0]
    answers[("Benchmarks", bench)].update(assessment="off track", note="Recruitment frozen.")
    q2 = rk.answer(answers, folder / "q2" / "UNPOL-q2.xlsx")
    code, _, err = run_main(
        "export", str(rk.kit.plan_file), "--from", str(rk.merged), "--review", "2027-Q3",
        "--previous", str(q2), "-o", str(folder / "q3-issued"),
    )  # fmt: skip
    assert code == 0, err
    (issued,) = (folder / "q3-issued").glob("*.xlsx")
    wb = load_workbook(issued)
    wb["Benchmarks"][rk.cell("Benchmarks", bench, "assessment")].value = "on track"
    wb["Benchmarks"][rk.cell("Benchmarks", bench, "measured")].value = "60%"
    q3 = folder / "q3" / "UNPOL-q3.xlsx"
    q3.parent.mkdir()
    wb.save(q3)
    return q2, q3, bench


@pytest.fixture
def registered(rk: ReviewKit, tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A plan whose register holds UNPOL's planning submission and its Q2 and Q3 reviews."""
    plan = plan_copy(rk.kit, tmp_path)
    q2, q3, bench = _quarters(rk, tmp_path)
    run = collect_paths([rk.kit.full, q2, q3], plan, None)
    assert [f.state for f in run.files] == [VALID, VALID, VALID]
    return plan, q2, q3, bench


def _entries(plan: Path) -> list[Entry]:
    register = open_register(f"sqlite:///{plan.parent / 'missionplan.db'}", create=False)
    assert register is not None
    try:
        return all_entries(register)
    finally:
        register.close()


def test_the_trend_comes_from_the_registers_earlier_periods(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    plan, _, _, bench = registered
    out = tmp_path / "performance-2027-Q3.xlsx"
    done = merge_review_register(plan, out, "2027-Q3", merged_file=str(rk.merged), environ={})
    report = done.merged.report
    assert report.period.label == "2027-Q3"
    assert report.trend is not None and [p.label for p in report.trend.periods] == [
        "2027-Q2", "2027-Q3",
    ]  # fmt: skip
    values = {b: v for b, _, v in report.trend.benchmarks}
    assert values[bench] == (("35%", "off track"), ("60%", "on track"))
    assert "Trend" in load_workbook(out).sheetnames
    reviews = [e for e in _entries(plan) if e.kind == "review"]
    (record,) = [m for m in _merges(plan) if m.kind == "review"]
    assert (record.period, record.inputs) == ("2027-Q3", tuple(e.number for e in reviews))
    lines = [f.file for f in done.merged.fates]
    assert lines == [f"{e.file_name} (entry #{e.number})" for e in reviews]  # not temp paths
    reporting = load_workbook(out)["Reporting"]
    shown = {str(c.value) for row in reporting.iter_rows() for c in row if c.value}
    assert set(lines) <= shown
    assert f"Recorded as merge #{record.number}" in done.text(out)
    versions = history(plan, "UNPOL", environ={})
    merged_in = {n for numbers in versions.merged_in.values() for n in numbers}
    assert record.number in merged_in


def _merges(plan: Path) -> list:
    register = open_register(f"sqlite:///{plan.parent / 'missionplan.db'}", create=False)
    assert register is not None
    try:
        return all_merges(register)
    finally:
        register.close()


def test_a_period_is_merged_without_the_later_ones(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    plan, *_ = registered
    done = merge_review_register(
        plan, tmp_path / "q2.xlsx", "2027-Q2", merged_file=str(rk.merged), environ={}
    )
    assert done.merged.report.period.label == "2027-Q2"
    assert done.merged.report.trend is None  # nothing earlier; Q3 is later
    assert "Trend" not in load_workbook(tmp_path / "q2.xlsx").sheetnames


def test_who_did_not_report_is_who_was_given_a_review_workbook(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    """The kit's merged plan gives UNPOL alone a review workbook: nobody else is missing,
    though every participant would be by the plan alone."""
    plan, q2, _, _ = registered
    done = merge_review_register(plan, tmp_path / "p.xlsx", "2027-Q2", merged_file=str(rk.merged),
                                 environ={})  # fmt: skip
    assert (done.merged.report.reported, done.merged.report.not_reported) == (("UNPOL",), ())
    files = merge_reviews([q2], tmp_path / "f.xlsx", plan, merged_file=str(rk.merged))
    assert files.report.not_reported == ()  # the files and --from: the same rule
    broad = merge_reviews([q2], tmp_path / "g.xlsx", plan).report.not_reported
    others = tuple(c.code for c in rk.kit.plan.participants() if c.code != "UNPOL")
    assert broad == others and others  # without the merged plan: every one taking part


def test_the_merged_plan_recorded_in_the_register_says_who_is_expected(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    plan, *_ = registered
    with pytest.raises(MissionplanError, match="give --from"):
        merge_review_register(plan, tmp_path / "p.xlsx", "2027-Q2", environ={})
    code, _, err = run_main("merge", "-p", str(plan), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 0, err  # the planning merge from the register, recorded
    done = merge_review_register(plan, tmp_path / "p.xlsx", "2027-Q2", environ={})
    assert done.merged.report.not_reported == ()


def test_a_resent_review_replaces_the_first_of_its_period(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    plan, q2, _, _ = registered
    again = variant(q2, tmp_path / "UNPOL-q2-again.xlsx", "re-sent")
    (collected,) = collect_paths([again], plan, None).files
    assert collected.supersedes is not None
    chosen = review_entries(_entries(plan), rk.kit.plan.id, Period(2027, 3))
    assert [e.file_name for e in chosen] == ["UNPOL-q2-again.xlsx", "UNPOL-q3.xlsx"]
    assert review_entries(_entries(plan), rk.kit.plan.id, Period(2027, 1)) == []


def test_the_command_merges_a_period_from_the_register(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    import jsonschema

    plan, *_ = registered
    out = tmp_path / "performance-2027-Q3.xlsx"
    code, text, err = run_main("merge", "-p", str(plan), "--period", "2027-Q3", "--from",
                               str(rk.merged), "-o", str(out), "-f", "json")  # fmt: skip
    assert code == 0, err
    document = json.loads(text)
    schema = json.loads((SCHEMAS / "performance.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["period"] == "2027-Q3" and document["merge"] >= 1
    assert [i["file"] for i in document["inputs"]] == ["UNPOL-q2.xlsx", "UNPOL-q3.xlsx"]
    assert all(isinstance(i["entry"], int) for i in document["inputs"])
    assert document["trend"]["periods"] == ["2027-Q2", "2027-Q3"]
    assert document["not_reported"] == []
    code, text, err = run_main("merge", "-p", str(plan), "--period", "2027-Q3", "--from",
                               str(rk.merged), "-o", str(out))  # fmt: skip
    assert code == 2 and "exists" in err  # never overwritten without --force
    code, text, err = run_main("merge", "-p", str(plan), "--period", "2027-Q3", "--from",
                               str(rk.merged), "-o", str(out), "--force")  # fmt: skip
    assert code == 0 and "performance report 2027-Q3" in text and "Recorded as merge" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2027-Q4"], "no valid review of 2027-Q4"),
        (["--period", "Q4"], "is not a period"),
        (["--period", "2027-Q2", "{q2}"], "give no files"),
        (["--from", "{merged}"], "--from is used with review workbooks"),
    ],
)
def test_review_merge_usage_errors_are_one_line(
    rk: ReviewKit,
    registered: tuple[Path, Path, Path, str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    plan, q2, _, _ = registered
    filled = [a.format(q2=q2, merged=rk.merged) for a in args]
    code, _, err = run_main("merge", "-p", str(plan), "-o", str(tmp_path / "x.xlsx"), *filled)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_review_merge_from_the_register_is_the_same_report_as_from_its_files(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    """The exact bytes received, merged from the register, report what the files report."""
    plan, q2, q3, _ = registered
    from_register = merge_review_register(plan, tmp_path / "r.xlsx", "2027-Q3",
                                          merged_file=str(rk.merged), environ={})  # fmt: skip
    from_files = merge_reviews([q2, q3], tmp_path / "f.xlsx", plan, merged_file=str(rk.merged))
    assert from_register.merged.report == from_files.report


def test_a_review_merge_recorded_is_never_taken_for_the_merged_plan(
    rk: ReviewKit, registered: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    """`--from register` (export, status, merge) means the last planning merge: a performance
    report recorded after it is not a plan to export from or to read who is expected."""
    plan, q2, _, _ = registered
    code, _, err = run_main("merge", "-p", str(plan), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 0, err
    merge_review_register(plan, tmp_path / "p.xlsx", "2027-Q3", environ={})
    code, _, err = run_main("export", str(plan), "--from", "register", "-o",
                            str(tmp_path / "round-2"))  # fmt: skip
    assert code == 0, err  # re-issued from the plan merged, not from the performance report
    code, out, err = run_main("merge", str(q2), "-p", str(plan), "--from", "register", "-o",
                              str(tmp_path / "f.xlsx"), "-f", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["not_reported"] == []
