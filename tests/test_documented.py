"""Behaviour README.md promises at the command line, each through the command a user runs.

- "Every command that uses a framework takes `--framework PATH`": init, schema, validate and
  merge with a framework of one's own (catalog and export have their tests elsewhere);
- merge refuses a workbook "from another framework version ... with the reason";
- "Errors are one line ... never a traceback. Set `MISSIONPLAN_DEBUG=1` to see one";
- "With --plan, a workbook from another plan (or an older template version) is refused";
- "`--all` writes the planning unit's master workbook ...; with `--component`, as well as
  those components' workbooks";
- "every file is written to a temporary file and renamed, so there is never half a
  workbook": for merge and `validate --annotate` too.

The framework of one's own is the built-in one copied, with its id changed to
'carana-local', output 3.1 retitled and a component added to its roster. A second version
of it (same id, 3.1 retitled again) makes workbooks that merge must refuse unless it is
given the framework they were exported from.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl.workbook.workbook import Workbook

import missionplan.merge.writer as merge_writer
import missionplan.workbook.cells as cells
from missionplan.demo.samples import as_fill, sample_values
from missionplan.export.distribution import component_layout
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.workbook.fill import fill_workbook
from tests.cli_helpers import run_main
from tests.plans import set_output
from tests.validate.kit import IN_SCOPE, Kit, edited

TITLE = "Host Country Engaged and Relations Promoted"
LOCAL_TITLE = f"{TITLE} (Carana edition)"
REVISED_TITLE = f"{TITLE} (Carana edition, revised)"
LOCAL_ID = "carana-local"
EXTRA_COMPONENT = "CARANA-PU"  # Carana Planning Unit: only in the local framework's roster
ANOTHER_VERSION = (
    f"made from another version of the framework '{LOCAL_ID}'; "
    "give the framework it was exported from with --framework"
)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def plan_refused(stderr: str, plan_file: Path) -> None:
    """The data-file error of a plan made for the local framework read with the built-in one.

    README: "one line per problem for a data file": a heading, then the problem with its line.
    """
    heading, *problems = stderr.strip().splitlines()
    assert heading == f"missionplan: error: 1 problem in {plan_file}:"
    [problem] = problems
    assert re.fullmatch(
        rf"  {re.escape(str(plan_file))}:\d+: .*'{LOCAL_ID}'.*'considerations'.*", problem
    ), problem
    assert "Traceback" not in stderr


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def meta(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path, read_only=True)
    found = dict(wb["_meta"].iter_rows(values_only=True))
    wb.close()
    return found


# --- a framework of one's own ------------------------------------------------------------------


def framework_copy(folder: Path, framework_id: str, title: str) -> Path:
    """The built-in framework and roster copied into folder, with its id and 3.1 changed."""
    templates = resources.files("missionplan.templates")
    text = templates.joinpath("considerations.yaml").read_text(encoding="utf-8")
    for old, new in (
        ('  id: "considerations"', f'  id: "{framework_id}"'),
        (f'title: "{TITLE}"', f'title: "{title}"'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    folder.mkdir(parents=True)
    roster = templates.joinpath("components.yaml").read_text(encoding="utf-8")
    roster = roster.rstrip("\n") + (
        f"\n  - {{code: {EXTRA_COMPONENT}, name: Carana Planning Unit, "
        "kind: coordination structure}\n"
    )
    (folder / "components.yaml").write_text(roster, encoding="utf-8")
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Carana:
    root: Path
    local: Path  # the framework file
    revised: Path  # a second version of it: same id, 3.1 retitled again
    plan_file: Path
    starter: str  # the plan as `init --framework` wrote it
    init_stdout: str
    plan_id: str
    submission: Path  # HOM's workbook, exported with the local framework, filled in
    revised_submission: Path  # the same, exported with the revised framework


def export_and_fill(carana_root: Path, framework_file: Path, plan_file: Path, name: str) -> Path:
    """HOM's workbook exported through the command line with --framework, filled in."""
    out = carana_root / f"export-{name}"
    code, _, stderr = run_main(
        "export", str(plan_file), "--out", str(out),
        "--component", "HOM", "--framework", str(framework_file),
    )  # fmt: skip
    assert code == 0, stderr
    [template] = out.glob("*.xlsx")
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    component = plan.component("HOM")
    assert component is not None
    values = as_fill(sample_values(component_layout(framework, plan, component)))
    returned = carana_root / f"returned-{name}"
    returned.mkdir()
    return fill_workbook(template, values, returned / f"{name}.xlsx")


@pytest.fixture(scope="module")
def carana(tmp_path_factory: pytest.TempPathFactory) -> Carana:
    root = tmp_path_factory.mktemp("carana")
    local = framework_copy(root / "local", LOCAL_ID, LOCAL_TITLE)
    revised = framework_copy(root / "revised", LOCAL_ID, REVISED_TITLE)
    plan_file = root / "plan.yaml"
    code, stdout, stderr = run_main("init", str(plan_file), "--framework", str(local))
    assert code == 0, stderr
    starter = plan_file.read_text(encoding="utf-8")
    text = starter
    for output in load_framework(local).outputs:  # only 3.1 in scope: HOM leads it
        if output.id != "3.1":
            text = set_output(text, output.id, in_scope="false")
    plan_file.write_text(text, encoding="utf-8")
    plan_id = load_plan(plan_file, load_framework(local)).id
    assert load_plan(plan_file, load_framework(revised)).id == plan_id
    return Carana(
        root,
        local,
        revised,
        plan_file,
        starter,
        stdout,
        plan_id,
        export_and_fill(root, local, plan_file, "HOM"),
        export_and_fill(root, revised, plan_file, "HOM-revised"),
    )


def test_init_with_a_framework_writes_a_plan_for_it(carana: Carana, tmp_path: Path) -> None:
    assert one_line(carana.init_stdout.splitlines()[0]) == (
        f"Wrote {carana.plan_file}: 25 outputs, 33 components."
    )
    lines = carana.starter.splitlines()
    assert f"  framework: {LOCAL_ID}" in lines
    assert "  - id: '3.1'   # " + LOCAL_TITLE in lines
    assert any(line.startswith(f"  - {{code: {EXTRA_COMPONENT}, ") for line in lines)
    # the same command without --framework writes the built-in framework's plan
    code, _, stderr = run_main("init", str(tmp_path / "builtin.yaml"))
    assert code == 0, stderr
    builtin = (tmp_path / "builtin.yaml").read_text(encoding="utf-8")
    assert "  framework: considerations" in builtin.splitlines()
    assert "Carana" not in builtin and f"code: {EXTRA_COMPONENT}," not in builtin


def test_schema_with_a_framework_reads_a_plan_made_for_it(carana: Carana) -> None:
    plan = ("--plan", str(carana.plan_file))
    code, stdout, stderr = run_main("schema", "--format", "json", *plan)
    assert code == 2 and stdout == ""
    plan_refused(stderr, carana.plan_file)
    code, stdout, stderr = run_main(
        "schema", "--format", "json", *plan, "--framework", str(carana.local)
    )
    assert code == 0, stderr
    columns = {c["key"]: c for c in json.loads(stdout)["columns"]}
    codes = [c["code"] for c in yaml.safe_load(carana.plan_file.read_text())["components"]]
    assert EXTRA_COMPONENT in codes
    for key in ("lead", "support", "owner"):
        assert columns[key]["choices"] == codes, key
    code, stdout, stderr = run_main("schema", *plan, "--framework", str(carana.local))
    assert code == 0, stderr
    assert "Lead" in stdout


def test_validate_with_a_framework_checks_against_its_plan(carana: Carana, tmp_path: Path) -> None:
    workbook = str(carana.submission)
    plan = ("--plan", str(carana.plan_file))
    code, stdout, stderr = run_main("validate", workbook, *plan, "--framework", str(carana.local))
    assert code == 0, stdout + stderr
    assert stdout.splitlines()[-1].startswith(f"VALID HOM.xlsx (HOM, plan {carana.plan_id})")
    # without --framework the plan cannot be read: it is made for the local framework
    code, stdout, stderr = run_main("validate", workbook, *plan)
    assert code == 2 and stdout == ""
    plan_refused(stderr, carana.plan_file)
    # with --framework, a plan of another mission refuses the workbook, naming both plans
    other_file = tmp_path / "other.yaml"
    other_file.write_text(
        carana.plan_file.read_text().replace("Stabilization Mission", "Stabilization Office"),
        encoding="utf-8",
    )
    other_id = load_plan(other_file, load_framework(carana.local)).id
    assert other_id != carana.plan_id
    code, stdout, stderr = run_main(
        "validate", workbook, "--plan", str(other_file), "--framework", str(carana.local)
    )
    assert code == 2, stdout + stderr
    line = one_line(stdout)
    assert line.startswith("UNREADABLE HOM.xlsx: ")
    assert carana.plan_id in line and other_id in line


def test_merge_refuses_a_workbook_of_another_framework_version(
    carana: Carana, tmp_path: Path
) -> None:
    local = ("--framework", str(carana.local), "--plan", str(carana.plan_file))
    out = tmp_path / "merged.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(carana.submission), str(carana.revised_submission), *local, "--out", str(out)
    )
    assert code == 1, stderr  # written, but an input was refused
    assert out.is_file()
    assert "HOM.xlsx: merged" in stdout.splitlines()
    assert f"HOM-revised.xlsx: refused: {ANOTHER_VERSION}" in stdout.splitlines()
    # alone, it is nothing to merge: exit 2, the reason on one line, no file
    alone = tmp_path / "alone.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(carana.revised_submission), *local, "--out", str(alone)
    )
    assert code == 2 and stdout == ""
    assert one_line(stderr) == (
        f"missionplan: error: nothing to merge (HOM-revised.xlsx: {ANOTHER_VERSION})"
    )
    assert not alone.exists()


def test_merge_accepts_it_with_the_framework_it_was_exported_from(
    carana: Carana, tmp_path: Path
) -> None:
    out = tmp_path / "merged.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(carana.revised_submission), "--plan", str(carana.plan_file),
        "--framework", str(carana.revised), "--out", str(out),
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.splitlines()[0] == "HOM-revised.xlsx: merged"
    wb = openpyxl.load_workbook(out)
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("3 "))
    band = [c.value for c in sheet[2]]
    assert band[0] == "3.1" and REVISED_TITLE in str(band[3])  # the framework given
    assert (
        meta(out)["framework_fingerprint"]
        == meta(carana.revised_submission)["framework_fingerprint"]
    )


# --- an unexpected error: one line and exit 3, or the traceback with MISSIONPLAN_DEBUG=1 ---------

BROKEN_RUN = """\
import sys
import {module} as target

def broken(*args, **kwargs):
    raise RuntimeError("the disk controller is on fire")

setattr(target, {name!r}, broken)
import missionplan.cli
sys.argv = ["missionplan", *sys.argv[1:]]
missionplan.cli.main()
"""
BUGS = {
    # a library call deep inside the command fails with an error no one expected
    "validate": ("missionplan.validate.run", "read_submission"),
    "merge": ("missionplan.merge.run", "write_merged_plan"),
}


def run_broken(command: str, args: list[str], cwd: Path, debug: str | None) -> Any:
    module, name = BUGS[command]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MISSIONPLAN_DEBUG", None)
    if debug is not None:
        env["MISSIONPLAN_DEBUG"] = debug
    return subprocess.run(
        [sys.executable, "-c", BROKEN_RUN.format(module=module, name=name), command, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def broken_args(command: str, k: Kit, tmp_path: Path) -> list[str]:
    if command == "validate":
        return [str(k.full)]
    return [str(k.full), "--plan", str(k.plan_file), "--out", str(tmp_path / "merged.xlsx")]


@pytest.mark.parametrize("command", sorted(BUGS))
def test_an_unexpected_error_is_one_line_and_exit_code_3(
    command: str, k: Kit, tmp_path: Path
) -> None:
    done = run_broken(command, broken_args(command, k, tmp_path), tmp_path, debug=None)
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    line = one_line(done.stderr)
    assert "Traceback" not in done.stderr
    assert line.startswith("missionplan: error: unexpected RuntimeError: ")
    assert "the disk controller is on fire" in line
    assert "Please report this" in line and "MISSIONPLAN_DEBUG=1" in line
    assert listing(tmp_path) == []  # merge wrote nothing


@pytest.mark.parametrize("command", sorted(BUGS))
def test_missionplan_debug_shows_the_traceback(command: str, k: Kit, tmp_path: Path) -> None:
    done = run_broken(command, broken_args(command, k, tmp_path), tmp_path, debug="1")
    assert done.returncode not in (0, 2, 3), done.stderr  # Python's own exit for an uncaught error
    assert "Traceback (most recent call last)" in done.stderr
    assert f"missionplan{os.sep}cli.py" in done.stderr  # the frames of the command itself
    last = done.stderr.strip().splitlines()[-1]
    assert last == "RuntimeError: the disk controller is on fire"
    assert "Please report this" not in done.stderr


# --- validate --plan refuses an older template version ------------------------------------------


def test_validate_refuses_a_workbook_of_an_older_template_version(k: Kit, tmp_path: Path) -> None:
    def make_old(wb: Workbook) -> None:
        ws = wb["_meta"]
        [row] = [r for r in ws.iter_rows() if r[0].value == "contract_version"]
        row[1].value = "0"

    old = edited(k.full, tmp_path, "old-template.xlsx", make_old)
    code, stdout, _ = run_main("schema", "--format", "json")
    current = json.loads(stdout)["version"]
    assert current != "0"
    code, stdout, stderr = run_main("validate", str(old), "--plan", str(k.plan_file))
    assert code == 2, stdout + stderr
    line = one_line(stdout)
    assert line.startswith("UNREADABLE old-template.xlsx: ")
    assert re.search(r"\bversion 0\b", line), line  # the workbook's
    assert re.search(rf"\bversion {re.escape(current)}\b", line), line  # this missionplan's
    assert "Traceback" not in stdout + stderr
    code, stdout, _ = run_main("validate", str(old), "--plan", str(k.plan_file), "--format", "json")
    assert code == 2
    [report] = json.loads(stdout)["files"]
    assert report["valid"] is False
    assert "version 0" in report["unreadable"] and f"version {current}" in report["unreadable"]
    # the same workbook with its version untouched is this plan's and valid
    assert run_main("validate", str(k.full), "--plan", str(k.plan_file))[0] == 0


# --- export --all, with and without --component ------------------------------------------------


def exported_names(k: Kit, *codes: str) -> list[str]:
    # README: <mission>-<component>-<plan id>.xlsx, the mission's initials when it is long
    return sorted(f"umism-{code}-{k.plan.id}.xlsx" for code in codes)


def test_export_all_with_components_writes_the_master_and_those_workbooks(
    k: Kit, tmp_path: Path
) -> None:
    out = tmp_path / "workbooks"
    code, stdout, stderr = run_main(
        "export", str(k.plan_file), "--out", str(out),
        "--all", "--component", "HOM", "--component", "UNPOL",
    )  # fmt: skip
    assert code == 0, stderr
    assert listing(out) == exported_names(k, "HOM", "UNPOL", "PLAN")
    for name in listing(out):
        assert f"wrote {out / name}" in stdout.splitlines()
    assert stdout.splitlines()[-1] == f"3 workbooks for plan {k.plan.id} in {out}"
    components = {name: meta(out / name)["component"] for name in listing(out)}
    assert sorted(components.values()) == ["HOM", "PLAN", "UNPOL"]
    for name, component in components.items():
        assert f"-{component}-" in name
        outputs = {o["id"] for o in json.loads(meta(out / name)["outputs"])}
        if component == "PLAN":
            assert outputs == set(IN_SCOPE)  # the master: every in-scope output
        else:  # a component: the outputs it leads or supports in the plan
            roles = {o.id for o in (*k.plan.led_by(component), *k.plan.supported_by(component))}
            assert outputs == roles, component
    assert {o["id"] for o in json.loads(meta(out / exported_names(k, "HOM")[0])["outputs"])} < set(
        IN_SCOPE
    )  # HOM's is not the master's


def test_export_all_alone_writes_only_the_master(k: Kit, tmp_path: Path) -> None:
    out = tmp_path / "workbooks"
    code, stdout, stderr = run_main("export", str(k.plan_file), "--out", str(out), "--all")
    assert code == 0, stderr
    assert listing(out) == exported_names(k, "PLAN")
    assert stdout.splitlines()[-1] == f"1 workbook for plan {k.plan.id} in {out}"


# --- a failed save leaves no file -------------------------------------------------------------

NO_SPACE = "No space left on device"


def failing(real: Callable[..., None], fail_on: int, calls: list[Path]) -> Callable[..., None]:
    """A save that writes the first fail_on - 1 files, then half a file and a full disk."""

    def save(wb: Workbook, filename: Any) -> None:
        calls.append(Path(filename))
        if len(calls) < fail_on:
            real(wb, filename)
            return
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, NO_SPACE)

    return save


def test_a_failed_save_of_the_merged_plan_leaves_no_file(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(
        merge_writer, "save_workbook", failing(merge_writer.save_workbook, 1, calls)
    )
    out = tmp_path / "plans" / "mission-plan.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(k.full), "--plan", str(k.plan_file), "--out", str(out)
    )
    assert code == 2, stdout + stderr
    assert one_line(stderr) == f"missionplan: error: cannot write {out}: {NO_SPACE}"
    assert len(calls) == 1 and calls[0].parent == out.parent  # it failed writing, midway
    assert listing(out.parent) == []  # neither the plan nor the temporary file


def test_a_failed_overwrite_of_the_merged_plan_keeps_the_old_one(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "mission-plan.xlsx"
    args = ("merge", str(k.full), "--plan", str(k.plan_file), "--out", str(out), "--force")
    assert run_main(*args)[0] == 0
    before = out.read_bytes()
    calls: list[Path] = []
    monkeypatch.setattr(
        merge_writer, "save_workbook", failing(merge_writer.save_workbook, 1, calls)
    )
    code, _, stderr = run_main(*args)
    assert code == 2
    assert NO_SPACE in one_line(stderr)
    assert calls and listing(tmp_path) == [out.name]
    assert out.read_bytes() == before


@pytest.mark.parametrize("fail_on", [1, 2])
def test_a_failed_annotated_copy_leaves_no_file(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_on: int
) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        (returned / name).write_bytes(k.full.read_bytes())
    feedback = tmp_path / "feedback"
    calls: list[Path] = []
    monkeypatch.setattr(cells, "save_workbook", failing(cells.save_workbook, fail_on, calls))
    code, stdout, stderr = run_main("validate", str(returned), "--annotate", str(feedback))
    assert code == 2, stdout + stderr
    failed = "a.xlsx" if fail_on == 1 else "b.xlsx"
    assert one_line(stderr) == f"missionplan: error: cannot write {feedback / failed}: {NO_SPACE}"
    assert len(calls) == fail_on and calls[-1].parent == feedback
    written = listing(feedback)
    assert written == (["a.xlsx"] if fail_on == 2 else [])  # no half copy, no temporary file
    if written:
        assert openpyxl.load_workbook(feedback / "a.xlsx").sheetnames[0] == "Findings"
    assert (returned / "a.xlsx").read_bytes() == k.full.read_bytes()  # originals untouched


# --- prepared ids, the text report, the progress bar (README sections 3 and 4) ------------


def test_prepared_row_ids_are_unique_across_the_plan(k: Kit, tmp_path: Path) -> None:
    """README: prepared rows carry ids with the component's code, unique across the plan."""
    code, _, _ = run_main("export", str(k.plan_file), "--out", str(tmp_path))
    assert code == 0
    seen: dict[str, str] = {}
    for path in sorted(tmp_path.glob("*.xlsx")):
        owner = meta(path)["component"]
        items = openpyxl.load_workbook(path, read_only=True)["_items"]
        for row in items.iter_rows(min_row=2, values_only=True):
            item_id, ref = row[0], row[4]
            if ref == "added":
                assert item_id not in seen, f"{item_id} in {owner}'s and {seen[item_id]}'s"
                assert f"-{owner}-" in item_id
                seen[item_id] = owner
    assert len(seen) >= 8 * 4  # 8 prepared rows under each of 4 in-scope outputs, at least


def test_the_text_report_names_the_sheet_the_cell_the_column_and_what_was_found(
    k: Kit, tmp_path: Path
) -> None:
    """README section 4: findings grouped by sheet, with the real cell, the column header, the
    item id, what to do, and what was found."""
    from tests.validate.kit import SHEET_5, filled

    bad = filled(k.full, tmp_path, "bad.xlsx", {"5.5-A2": {"budget": "lots"}})
    code, out, _ = run_main("validate", str(bad))
    assert code == 1
    sheet, cell = k.place("5.5-A2", "budget")
    assert sheet == SHEET_5
    lines = out.splitlines()
    head = lines.index(f"  Sheet '{SHEET_5}'")
    finding = next(i for i, line in enumerate(lines) if "invalid-number" in line)
    assert finding > head
    assert re.match(
        rf"    error\s+{cell}\s+invalid-number \[Budget \(USD\)\] 5\.5-A2$", lines[finding]
    )
    assert "Budget (USD) must be a number" in lines[finding + 1]
    assert lines[finding + 2].strip() == "found: lots"
    assert lines[-1].startswith("INVALID bad.xlsx (UNPOL, plan ")


def test_a_progress_bar_shows_on_a_terminal_and_not_in_a_pipe(k: Kit, tmp_path: Path) -> None:
    """README section 3: a progress bar shows on a terminal (stderr), nothing when piped."""
    import pty

    args = [sys.executable, "-m", "missionplan", "export", str(k.plan_file), "--force"]
    leader, follower = pty.openpty()
    try:
        on_terminal = subprocess.run(
            [*args, "--out", str(tmp_path / "tty")], stderr=follower, stdout=subprocess.PIPE,
            timeout=120, check=True,
        )  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert b"Exporting" in shown and b"100%" in shown
    assert b"Exporting" not in on_terminal.stdout
    piped = subprocess.run(
        [*args, "--out", str(tmp_path / "pipe")], capture_output=True, timeout=120, check=True
    )
    assert b"Exporting" not in piped.stderr + piped.stdout
