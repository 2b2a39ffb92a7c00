"""A component that sent several files: which one `missionplan merge` takes, and why.

The rule (merge/versions.py, README section 5): the newer saved time of the workbook
itself, unless the file times order the files the other way, a saved time is missing or
the latest is shared; then none is merged and the planner is told to keep one file. Copies
of one file (the same bytes) count as one.

End to end: UNPOL's draft (budget of 4.5-A1: 1,000) and final (25,000) are given saved
times with openpyxl (`wb.properties.modified`, as Excel stamps a save) and file times with
os.utime, and merged through the command line with JCS's workbook.

Measured before: file times alone decided, so the draft copied into the folder after the
final (plain `cp`) was merged silently, as the newest.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from missionplan.merge.versions import Version, choose_version, time_label
from missionplan.merge.writer import GAPS_SHEET, SUMMARY_SHEET
from missionplan.planning.framework import Framework
from missionplan.workbook.reader import saved_time
from tests.cli_helpers import run_main
from tests.merge.returns import LEAD, SUPPORTER, Returns, make_returns, set_file_time, stamp

DRAFT_SAVED = dt.datetime(2027, 1, 20, 9, 0)
FINAL_SAVED = dt.datetime(2027, 2, 3, 10, 0)
EARLY = dt.datetime(2027, 2, 10, 8, 0)  # file times
LATE = dt.datetime(2027, 3, 1, 8, 0)
DRAFT, FINAL = f"{LEAD}-draft.xlsx", f"{LEAD}-final.xlsx"
ROW = "4.5-A1"
BUDGETS = {DRAFT: 1_000, FINAL: 25_000}
KEEP_ONE = "None of them was merged; keep only one file of UNPOL in the folder and merge again."


@dataclass(frozen=True)
class Files:
    returns: Returns
    draft: Path
    final: Path
    supporter: Path


@pytest.fixture(scope="module")
def files(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> Files:
    root = tmp_path_factory.mktemp("versions")
    returns = make_returns(framework, root)
    final_values = returns.lead_values
    assert final_values[ROW]["budget"] == BUDGETS[FINAL]
    draft_values = {**final_values, ROW: {**final_values[ROW], "budget": BUDGETS[DRAFT]}}
    made = root / "made"
    return Files(
        returns,
        returns.fill(LEAD, draft_values, made / DRAFT),
        returns.fill(LEAD, final_values, made / FINAL),
        returns.fill(SUPPORTER, {}, made / f"{SUPPORTER}.xlsx"),
    )


@dataclass
class Merged:
    code: int
    lines: dict[str, str]
    stdout: str
    stderr: str
    out: Path


def merge_folder(
    files: Files,
    folder: Path,
    draft: tuple[dt.datetime | None, dt.datetime] | None,
    final: tuple[dt.datetime | None, dt.datetime],
    *more: str,
) -> Merged:
    """Draft and final with (saved time, file time), and JCS's workbook, merged by the CLI."""
    folder.mkdir()
    shutil.copy(files.supporter, folder)
    if draft is not None:
        stamp(Path(shutil.copy(files.draft, folder / DRAFT)), *draft)
    stamp(Path(shutil.copy(files.final, folder / FINAL)), *final)
    out = folder.parent / "merged.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(folder), "--plan", str(files.returns.plan_file), "--out", str(out), *more
    )
    return Merged(code, input_lines(stdout), stdout, stderr, out)


def input_lines(stdout: str) -> dict[str, str]:
    """File name -> what happened to it, from the command's report."""
    return dict(
        line.split(": ", 1) for line in stdout.splitlines() if not line.startswith("Wrote ")
    )


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def summary_inputs(path: Path) -> dict[str, str]:
    rows = sheet_rows(path, SUMMARY_SHEET)
    first = next(i for i, r in enumerate(rows) if r[:2] == ("File", "What happened"))
    found = {}
    for row in rows[first + 1 :]:
        if row[0] is None:
            break
        found[row[0]] = row[1]
    return found


def gaps(path: Path) -> list[tuple[Any, ...]]:
    return [r[:5] for r in sheet_rows(path, GAPS_SHEET)[1:] if any(r)]


def budget_of(path: Path, item_id: str) -> tuple[object, object]:
    """(Budget, Source file) of an item row of the merged plan."""
    for ws in openpyxl.load_workbook(path).worksheets:
        header = [c.value for c in ws[1]]
        if "Source file" not in header:
            continue
        for values in ws.iter_rows(min_row=2, values_only=True):
            row = dict(zip(header, values, strict=False))
            if row["Item ID"] == item_id:
                return row["Budget (USD)"], row["Source file"]
    raise AssertionError(item_id)


# --- one is taken, and the report says why ---------------------------------------------------


@pytest.mark.parametrize(
    ("draft_written", "final_written"),
    [(EARLY, LATE), (LATE, LATE)],
    ids=["file-times-agree", "file-times-equal"],
)
def test_the_newer_saved_time_is_merged(
    files: Files, tmp_path: Path, draft_written: dt.datetime, final_written: dt.datetime
) -> None:
    run = merge_folder(
        files, tmp_path / "in", (DRAFT_SAVED, draft_written), (FINAL_SAVED, final_written)
    )
    assert run.code == 0, run.stderr
    expected = {
        FINAL: "merged (newer saved time 2027-02-03 10:00 UTC)",
        DRAFT: (
            f"superseded by {FINAL} (newer saved time 2027-02-03 10:00 UTC;"
            " this file 2027-01-20 09:00 UTC)"
        ),
        f"{SUPPORTER}.xlsx": "merged",
    }
    assert run.lines == expected
    assert summary_inputs(run.out) == expected
    assert budget_of(run.out, ROW) == (BUDGETS[FINAL], f"{SUPPORTER}.xlsx; {FINAL}")
    assert run.stdout.strip().endswith("from 2 submissions, 0 conflicts, 0 gaps.")


def test_identical_copies_are_one_version(files: Files, tmp_path: Path) -> None:
    """A file copied under another name: nothing to choose, whatever the file times say."""
    run = merge_folder(files, tmp_path / "in", None, (FINAL_SAVED, EARLY))
    copy = tmp_path / "in" / f"{LEAD}-final (copy).xlsx"
    shutil.copy(tmp_path / "in" / FINAL, copy)
    set_file_time(copy, LATE)
    out = tmp_path / "again.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(tmp_path / "in"), "--plan", str(files.returns.plan_file), "--out", str(out)
    )
    assert run.code == code == 0, stderr
    assert input_lines(stdout) == {
        copy.name: "merged",
        f"{SUPPORTER}.xlsx": "merged",
        FINAL: f"superseded by {copy.name} (an identical copy of it)",
    }
    assert budget_of(out, ROW)[0] == BUDGETS[FINAL]


# --- none is taken, and the planner is told to keep one file ---------------------------------


UNCLEAR = {
    "copied-in-after": (
        (DRAFT_SAVED, LATE),
        (FINAL_SAVED, EARLY),
        f"{FINAL} has the newer saved time (2027-02-03 10:00 UTC) but {DRAFT} the newer file"
        " time (2027-03-01 08:00 UTC)",
    ),
    "same-saved-time": (
        (FINAL_SAVED, EARLY),
        (FINAL_SAVED, LATE),
        f"{DRAFT} and {FINAL} have the same saved time (2027-02-03 10:00 UTC)",
    ),
    "one-saved-time-missing": ((None, EARLY), (FINAL_SAVED, LATE), f"{DRAFT} has no saved time"),
    "both-missing": ((None, EARLY), (None, LATE), f"{DRAFT} and {FINAL} have no saved time"),
}


@pytest.mark.parametrize("case", UNCLEAR)
def test_when_the_times_do_not_decide_none_is_merged(
    files: Files, tmp_path: Path, case: str
) -> None:
    draft, final, why = UNCLEAR[case]
    run = merge_folder(files, tmp_path / "in", draft, final)
    assert run.code == 1, run.stderr  # written, but a component's files were left out
    message = (
        f"UNPOL sent several files ({DRAFT}, {FINAL}) and which is the newest cannot be told: "
        f"{why}. {KEEP_ONE}"
    )
    expected = {DRAFT: f"not merged: {message}", FINAL: f"not merged: {message}"}
    assert {k: v for k, v in run.lines.items() if k != f"{SUPPORTER}.xlsx"} == expected
    assert summary_inputs(run.out) == {**expected, f"{SUPPORTER}.xlsx": "merged"}
    found = gaps(run.out)
    assert ("newest-file-unclear", None, LEAD, None, message) in found
    assert not [g for g in found if g[2] == LEAD and g[0] != "newest-file-unclear"
                and g[0] in ("component-did-not-submit", "lead-submitted-nothing")]  # fmt: skip
    # neither UNPOL file's values are in the plan: the row is JCS's locked copy alone
    assert budget_of(run.out, ROW) == (None, f"{SUPPORTER}.xlsx")
    # 4.5 has no activity, no benchmark in 3 terms, 12 benchmarks without owner; and UNPOL
    assert run.stdout.strip().endswith("from 1 submission, 0 conflicts, 17 gaps."), run.stdout


def test_nothing_else_to_merge_is_one_line_and_exit_2(files: Files, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    stamp(Path(shutil.copy(files.draft, folder / DRAFT)), DRAFT_SAVED, LATE)
    stamp(Path(shutil.copy(files.final, folder / FINAL)), FINAL_SAVED, EARLY)
    out = tmp_path / "merged.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(folder), "--plan", str(files.returns.plan_file), "--out", str(out)
    )
    assert (code, stdout) == (2, "")
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"missionplan: error: nothing to merge ({DRAFT}: not merged: UNPOL")
    assert line.endswith(f"{KEEP_ONE})")
    assert not out.exists()


# --- the newest has errors: it is refused, and the draft is not merged in its place -----------


def test_an_older_file_never_stands_in_for_a_newest_with_errors(
    files: Files, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(files.supporter, folder)
    stamp(Path(shutil.copy(files.draft, folder / DRAFT)), DRAFT_SAVED, EARLY)
    values = files.returns.lead_values
    lost_lead = {**values, ROW: {**values[ROW], "lead": None}}  # required: an error
    stamp(files.returns.fill(LEAD, lost_lead, folder / FINAL), FINAL_SAVED, LATE)
    out = tmp_path / "merged.xlsx"
    args = ["merge", str(folder), "--plan", str(files.returns.plan_file), "--out", str(out)]
    code, stdout, _ = run_main(*args)
    assert code == 1  # the newest file was refused
    assert input_lines(stdout) == {
        f"{SUPPORTER}.xlsx": "merged",
        DRAFT: (
            f"superseded by {FINAL} (newer saved time 2027-02-03 10:00 UTC;"
            " this file 2027-01-20 09:00 UTC)"
        ),
        FINAL: "refused: 1 error (fix it, or merge with --include-invalid)",
    }
    assert budget_of(out, ROW) == (None, f"{SUPPORTER}.xlsx")  # not the draft's 1,000
    code, stdout, _ = run_main(*args, "--include-invalid", "--force")
    assert code == 0
    assert input_lines(stdout)[FINAL] == "merged (newer saved time 2027-02-03 10:00 UTC)"
    assert budget_of(out, ROW) == (BUDGETS[FINAL], f"{SUPPORTER}.xlsx; {FINAL}")


# --- the rule itself, on made-up versions -----------------------------------------------------


def version(
    name: str, saved: dt.datetime | None, written: dt.datetime, digest: str = ""
) -> Version:
    when = saved.replace(tzinfo=dt.UTC) if saved else None
    ns = int(written.replace(tzinfo=dt.UTC).timestamp() * 1e9)
    return Version(f"/in/{name}", when, ns, digest or name)


def test_three_versions_the_latest_saved_wins_when_no_file_is_written_after_it() -> None:
    a = version("a.xlsx", dt.datetime(2027, 1, 1), EARLY)
    b = version("b.xlsx", dt.datetime(2027, 1, 3), LATE)
    c = version("c.xlsx", dt.datetime(2027, 1, 2), LATE)  # written with b: fine
    choice = choose_version([c, a, b])
    assert (choice.merged, choice.why) == ("/in/b.xlsx", "newer saved time 2027-01-03 00:00 UTC")
    assert [f for f, _ in choice.superseded] == ["/in/a.xlsx", "/in/c.xlsx"]
    later = version("c.xlsx", dt.datetime(2027, 1, 2), LATE + dt.timedelta(seconds=1))
    refused = choose_version([a, b, later])
    assert refused.merged == ""
    assert refused.why == (
        "b.xlsx has the newer saved time (2027-01-03 00:00 UTC) but c.xlsx the newer file time"
        " (2027-03-01 08:00:01 UTC)"
    )


def test_copies_of_one_file_count_once_and_the_latest_written_stands_for_them() -> None:
    old = version("old.xlsx", dt.datetime(2027, 1, 1), EARLY)
    new = version("new.xlsx", dt.datetime(2027, 1, 2), EARLY, digest="n")
    copy = version("new copy.xlsx", dt.datetime(2027, 1, 2), LATE, digest="n")
    choice = choose_version([old, new, copy])
    # the copy's later file time is its own version's: nothing contradicts the saved times
    assert choice.merged == "/in/new copy.xlsx"
    assert dict(choice.superseded) == {
        "/in/new.xlsx": "superseded by new copy.xlsx (an identical copy of it)",
        "/in/old.xlsx": (
            "superseded by new copy.xlsx (newer saved time 2027-01-02 00:00 UTC;"
            " this file 2027-01-01 00:00 UTC)"
        ),
    }
    same_time = version("twin.xlsx", dt.datetime(2027, 1, 2), EARLY, digest="n")
    assert choose_version([new, same_time]).merged == "/in/new.xlsx"  # first by name


def test_the_choice_does_not_depend_on_the_order_given() -> None:
    given = [
        version("a.xlsx", dt.datetime(2027, 1, 1), EARLY),
        version("b.xlsx", dt.datetime(2027, 1, 3), LATE),
        version("c.xlsx", None, EARLY),
        version("d.xlsx", dt.datetime(2027, 1, 3), LATE, digest="b.xlsx"),
    ]
    first = choose_version(given)
    assert choose_version(given[::-1]) == first
    assert first.why == "c.xlsx has no saved time"


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (dt.datetime(2027, 2, 3, 10, 0, tzinfo=dt.UTC), "2027-02-03 10:00 UTC"),
        (dt.datetime(2027, 2, 3, 10, 0, 30, tzinfo=dt.UTC), "2027-02-03 10:00:30 UTC"),
        (
            dt.datetime(2027, 2, 3, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2027-02-03 10:00 UTC",
        ),
    ],
)
def test_times_are_shown_in_utc(moment: dt.datetime, label: str) -> None:
    assert time_label(moment) == label


# --- LibreOffice writes the saved time the way it is read --------------------------------------


def test_a_libreoffice_resave_keeps_a_readable_saved_time(
    files: Files, tmp_path: Path, soffice: str
) -> None:
    source = stamp(Path(shutil.copy(files.final, tmp_path / FINAL)), FINAL_SAVED, LATE)
    converted = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "xlsx", "--outdir", str(converted), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = converted / FINAL
    assert b"<?xml" in _core(resaved) and _core(resaved) != _core(source)  # its own XML
    assert saved_time(resaved) == saved_time(source) == FINAL_SAVED.replace(tzinfo=dt.UTC)


def _core(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("docProps/core.xml")
