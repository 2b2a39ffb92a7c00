"""`validate_paths` and `ValidationRun`: `missionplan validate` as one library call.

The exit-code policy and the rendering are tested on reports made by hand; the call
itself on the validation kit's workbooks (plan file, folders, annotated copies).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from missionplan.errors import DataFileError, MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.schema.findings import Finding, Severity
from missionplan.validate.report import Report, report_text, summary_line, total_line
from missionplan.validate.run import ValidationRun, validate_files, validate_paths
from tests.validate.kit import Kit, plan_text


def _finding(severity: Severity) -> Finding:
    return Finding(f"made-up-{severity}", severity, "Sheet", "B7", "Budget", "5.5-A2", "x", "m")


VALID = Report("valid.xlsx", "UNPOL", "p1")
WARNED = Report("warned.xlsx", "UNPOL", "p1", (_finding("warning"),))
INVALID = Report("invalid.xlsx", "UNPOL", "p1", (_finding("error"), _finding("warning")))
UNREADABLE = Report("unreadable.xlsx", unreadable="not a workbook")


# --- the exit-code policy ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reports", "lenient", "strict"),
    [
        pytest.param((), 0, 0, id="no-files"),
        pytest.param((VALID,), 0, 0, id="valid"),
        pytest.param((WARNED,), 0, 1, id="warnings"),
        pytest.param((INVALID,), 1, 1, id="errors"),
        pytest.param((UNREADABLE,), 2, 2, id="unreadable"),
        pytest.param((VALID, WARNED), 0, 1, id="valid-and-warnings"),
        pytest.param((VALID, INVALID), 1, 1, id="valid-and-errors"),
        pytest.param((INVALID, UNREADABLE), 2, 2, id="unreadable-beats-errors"),
        pytest.param((WARNED, UNREADABLE, VALID), 2, 2, id="unreadable-beats-warnings"),
    ],
)
def test_exit_code(reports: tuple[Report, ...], lenient: int, strict: int) -> None:
    run = ValidationRun(reports)
    assert run.exit_code() == lenient
    assert run.exit_code(strict=False) == lenient
    assert run.exit_code(strict=True) == strict


# --- rendering -----------------------------------------------------------------------------


def test_as_data_is_every_report_in_order() -> None:
    run = ValidationRun((INVALID, VALID, UNREADABLE))
    data = run.as_data()
    assert list(data) == ["files"]
    assert data["files"] == [INVALID.as_data(), VALID.as_data(), UNREADABLE.as_data()]
    json.dumps(data)  # plain data


def test_text_of_one_file_is_its_full_report() -> None:
    assert ValidationRun((INVALID,)).text() == report_text(INVALID)
    assert ValidationRun((INVALID,)).text(details=True) == report_text(INVALID)


def test_text_of_several_files_is_one_line_each_and_a_total() -> None:
    reports = (VALID, INVALID, UNREADABLE)
    assert ValidationRun(reports).text().splitlines() == [
        *(summary_line(r) for r in reports),
        total_line(list(reports)),
    ]
    detailed = ValidationRun(reports).text(details=True)
    assert detailed == "\n".join([*(report_text(r) for r in reports), total_line(list(reports))])


def test_text_uses_the_style_given() -> None:
    def loud(text: str, colour: str) -> str:
        return f"<{colour}>{text}</{colour}>"

    assert ValidationRun((VALID,)).text(style=loud) == report_text(VALID, loud)
    assert "<green>VALID</green>" in ValidationRun((VALID,)).text(style=loud)


# --- the call ------------------------------------------------------------------------------


def test_a_folder_stands_for_its_workbooks_in_name_order(k: Kit, tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    for name in ("b.xlsx", "a.xlsx"):
        shutil.copyfile(k.full, folder / name)
    (folder / "~$a.xlsx").write_bytes(b"lock")
    run = validate_paths([folder])
    assert [Path(r.file).name for r in run.reports] == ["a.xlsx", "b.xlsx"]
    assert run.annotated == ()
    assert run.exit_code() == 0
    assert all(r.valid and r.component == "UNPOL" for r in run.reports)


def test_a_folder_without_workbooks_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MissionplanError, match=re.escape("holds no .xlsx workbooks")):
        validate_paths([tmp_path])


def test_an_unreadable_file_is_a_report_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    run = validate_paths([path])
    (report,) = run.reports
    assert report.file == str(path) and report.unreadable
    assert run.exit_code() == 2


def test_the_plan_file_is_checked_against(k: Kit, tmp_path: Path) -> None:
    assert validate_paths([k.full], k.plan_file).exit_code() == 0
    other = tmp_path / "other-plan.yaml"
    other.write_text(plan_text(mission="UN Other Mission"), encoding="utf-8")
    run = validate_paths([k.full], other)
    (report,) = run.reports
    assert k.plan.id in report.unreadable
    assert run.exit_code() == 2


def test_the_framework_is_loaded_only_to_read_the_plan(k: Kit, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert validate_paths([k.full], framework_file=missing).exit_code() == 0
    with pytest.raises(DataFileError, match=re.escape("missing.yaml")):
        validate_paths([k.full], k.plan_file, missing)


def test_annotated_copies_of_the_readable_files(k: Kit, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00 not a workbook")
    out = tmp_path / "annotated"
    run = validate_paths([k.full, junk], annotate_dir=out)
    assert run.annotated == (out / k.full.name,)
    assert (out / k.full.name).is_file() and not (out / junk.name).exists()
    assert [Path(r.file).name for r in run.reports] == [k.full.name, junk.name]
    with pytest.raises(MissionplanError, match="--force"):
        validate_paths([k.full], annotate_dir=out)
    assert validate_paths([k.full], annotate_dir=out, force=True).annotated == run.annotated


def test_progress_sees_every_file(k: Kit) -> None:
    seen: list[Path] = []

    def progress(paths):  # type: ignore[no-untyped-def]
        for path in paths:
            seen.append(path)
            yield path

    validate_paths([k.full, k.full], progress=progress)
    assert seen == [k.full, k.full]


# --- many files in worker processes --------------------------------------------------------


def test_worker_processes_give_the_serial_reports_in_the_same_order(k: Kit, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00 not a workbook")
    paths = [k.template, junk, k.full, k.template, junk, k.full]
    plan = load_plan(k.plan_file, load_framework())
    serial = validate_files(paths, plan, workers=1)
    spread = validate_files(paths, plan, workers=2)
    assert [r.as_data() for r, _ in spread] == [r.as_data() for r, _ in serial]
    assert ValidationRun(tuple(r for r, _ in spread)).text(details=True) == ValidationRun(
        tuple(r for r, _ in serial)
    ).text(details=True)
    assert [s is None for _, s in spread] == [False, True, False, False, True, False]
    assert spread[0][0].findings and not spread[2][0].findings  # the template is unfilled
    assert spread[1][0].unreadable == serial[1][0].unreadable != ""


@pytest.mark.parametrize("workers", [1, 2])
def test_without_submissions_only_the_reports_come_back(
    k: Kit, tmp_path: Path, workers: int
) -> None:
    """What plain validate asks for: the same reports, and no submission pickled back."""
    paths = [k.full, k.template, k.full]
    wanted = validate_files(paths, workers=workers)
    reports = validate_files(paths, workers=workers, submissions=False)
    assert [r.as_data() for r, _ in reports] == [r.as_data() for r, _ in wanted]
    assert [s for _, s in reports] == [None, None, None]
    assert all(s is not None for _, s in wanted)


def test_worker_processes_show_progress_in_file_order(k: Kit) -> None:
    seen: list[Path] = []

    def progress(paths):  # type: ignore[no-untyped-def]
        for path in paths:
            seen.append(path)
            yield path

    reports = validate_files([k.full, k.template, k.full], progress=progress, workers=2)
    assert seen == [k.full, k.template, k.full]
    assert [bool(r.findings) for r, _ in reports] == [False, True, False]


def test_one_file_is_validated_in_this_process(k: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no worker process for one file")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    ((report, _),) = validate_files([k.full], workers=4)
    assert report.valid


def test_a_single_workbook_tells_its_stages(k: Kit, tmp_path: Path) -> None:
    told: list[str] = []
    validate_paths([k.full], annotate_dir=tmp_path / "annotated", step=told.append)
    name = k.full.name
    assert told[0] == f"reading {name}"
    assert re.fullmatch(rf"checking [\d,]+ rows of {re.escape(name)}", told[1])
    assert told[2:] == [f"writing the annotated copy of {name}"]
    told.clear()
    validate_paths([k.full, k.full], step=told.append)
    assert told == []  # several files: the progress bar counts them instead


def test_the_step_line_overwrites_itself_and_clears_at_the_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from missionplan.validate.command import StepLine

    line = StepLine(shown=True)
    line("reading a.xlsx")
    line("checking 40,000 rows of a.xlsx")
    line.done()
    StepLine(shown=False)("reading b.xlsx")
    err = capsys.readouterr().err
    assert err.split("\r")[1:] == [
        "Reading a.xlsx...",
        "Checking 40,000 rows of a.xlsx...",
        " " * len("Checking 40,000 rows of a.xlsx..."),
        "",
    ]


def test_the_workers_variable_chooses_how_many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from missionplan.validate.run import WORKERS_VARIABLE, available_cores

    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert available_cores() == 1
    monkeypatch.setenv(WORKERS_VARIABLE, "3")
    assert available_cores() == 3
    monkeypatch.setenv(WORKERS_VARIABLE, "many")  # not a count: one a core
    cores = available_cores()
    monkeypatch.delenv(WORKERS_VARIABLE)
    assert available_cores() == cores >= 1


@pytest.mark.parametrize("workers", [1, 2])
def test_with_items_the_submissions_come_back_without_their_raw_rows(k: Kit, workers: int) -> None:
    """What merge asks for: the items and what merge reads besides, not the rows they came from."""
    from missionplan.validate.run import validate_file

    paths = [k.full, k.template]
    typed = validate_files(paths, workers=workers, items=True)
    for path, (report, lean) in zip(paths, typed, strict=True):
        whole_report, whole = validate_file(path, items=True)
        assert lean is not None and whole is not None and whole.sheets and whole.expected
        assert report.as_data() == whole_report.as_data()
        assert lean.items == whole.items and lean.items
        assert (lean.file, lean.meta, lean.issued, lean.saved, lean.formulas) == (
            whole.file,
            whole.meta,
            whole.issued,
            whole.saved,
            whole.formulas,
        )
        assert lean.sheets == () and lean.expected == ()
    plain = validate_files(paths, workers=workers)
    assert all(s is not None and s.sheets and s.expected for _, s in plain)


def collector_while_reading(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was on each time a file was read, filled in as files are."""
    import gc

    import missionplan.validate.run as run

    seen: list[bool] = []
    real = run.read_submission

    def reading(path: Path) -> object:
        seen.append(gc.isenabled())
        return real(path)

    monkeypatch.setattr(run, "read_submission", reading)
    return seen


def test_no_cycle_collection_while_validating_and_the_collector_given_back(
    k: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate_files runs no collection while it works, gives the collector back on, also
    after a file fails, and leaves it off for a caller that had turned it off."""
    import gc

    import missionplan.validate.run as run

    seen = collector_while_reading(monkeypatch)
    assert gc.isenabled()
    validate_files([k.full, k.template], workers=1)
    assert seen == [False, False]
    assert gc.isenabled()
    monkeypatch.setattr(run, "_validate_all", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        validate_files([k.full], workers=1)
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.undo()
        validate_files([k.full], workers=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_made_uncollected_are_not_walked_at_once_after_and_a_callers_frozen_stay() -> None:
    """Leaving uncollected, what was made inside joins the oldest generation (the young
    generation starts empty, so the next allocation does not walk it all); objects a
    caller had frozen stay frozen."""
    import gc

    from missionplan.validate.run import uncollected

    collections: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(note)
    try:
        with uncollected():
            kept = [[n] for n in range(50_000)]
        kept += [[n] for n in range(100)]  # the allocations after
    finally:
        gc.callbacks.remove(note)
    assert collections == []
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with uncollected():
            kept += [[n] for n in range(10)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert len(kept) == 50_110


def test_a_single_workbook_is_validated_uncollected_too(
    k: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate_paths with one file (the path that shows its stages) runs no collection
    while it validates, and gives the collector back on."""
    import gc

    seen = collector_while_reading(monkeypatch)
    validate_paths([k.full], step=lambda stage: None)
    assert seen == [False]
    assert gc.isenabled()
