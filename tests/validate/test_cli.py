"""`missionplan validate` as a planning unit runs it: a subprocess, exit codes, text and JSON.

Every run goes through `run_cli`, which also checks that no output ever holds a traceback
and measures the child's own peak memory (under GNU time, or a small launcher).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.schema.findings import CATALOGUE
from missionplan.validate.annotation import FINDINGS_SHEET
from missionplan.workbook import styles
from tests.validate.kit import (
    SHEET_5,
    Kit,
    check,
    filled,
    patched_zip,
    plan_text,
)

ROOT = Path(__file__).resolve().parent.parent
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
HOSTILE_SECONDS = 5.0
HOSTILE_MEMORY_MB = 500.0


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


TIME = Path("/usr/bin/time")
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(code)\n"
)


def measured(command: list[str], report: Path) -> list[str]:
    """The command wrapped so that its own peak memory (KiB) is written to `report`.

    Not os.wait4 or RUSAGE_CHILDREN from this process: on Linux a child's maximum RSS
    starts from its parent's at fork, so under pytest it would measure pytest. A small
    parent (GNU time, or a bare Python launcher) measures the child alone.
    """
    if TIME.exists():
        return [str(TIME), "-f", "%M", "-o", str(report), *command]
    return [sys.executable, "-c", LAUNCHER, str(report), *command]


def run_cli(*args: str | Path, timeout: float = 120.0) -> Run:
    """Run `python -m missionplan ...` and measure its wall time and peak memory."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MISSIONPLAN_DEBUG", None)
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        command = measured([sys.executable, "-m", "missionplan", *map(str, args)], report)
        started = time.perf_counter()
        done = subprocess.run(
            command, capture_output=True, cwd=ROOT, env=env, timeout=timeout, check=False
        )
        seconds = time.perf_counter() - started
        peak_kib = int(report.read_text().split()[-1])
    run = Run(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        seconds,
        peak_kib / 1024,
    )
    assert "Traceback" not in run.output, run.output
    return run


def fingerprint(path: Path) -> tuple[str, int]:
    """What must not change: the bytes and the modification time."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def copy_to(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="module")
def flawed(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with two errors and one warning."""
    values = {
        "5.5-A2": {"budget": "1,500", "support": "FORCE, NAVY"},
        "5.5-R1": {"likelihood": 7},
    }
    return filled(k.full, tmp_path_factory.mktemp("flawed"), "flawed.xlsx", values)


@pytest.fixture(scope="module")
def warned(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with a warning only."""
    values = {"5.5-A2": {"budget": "1,500"}}
    return filled(k.full, tmp_path_factory.mktemp("warned"), "warned.xlsx", values)


# --- exit codes ----------------------------------------------------------------------------


def test_valid_workbook_exits_0(k: Kit) -> None:
    run = run_cli("validate", k.full)
    assert run.code == 0, run.output
    assert f"VALID {k.full.name} (UNPOL, plan {k.plan.id}): 0 errors, 0 warnings" in run.stdout


def test_workbook_with_errors_exits_1(flawed: Path) -> None:
    run = run_cli("validate", flawed)
    assert run.code == 1, run.output
    assert "INVALID flawed.xlsx" in run.stdout and "2 errors, 1 warning" in run.stdout
    for code in ("choice-not-allowed", "value-out-of-range", "number-typed-as-text"):
        assert code in run.stdout


def test_not_a_workbook_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    run = run_cli("validate", path)
    assert run.code == 2
    assert "UNREADABLE notes.xlsx" in run.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    run = run_cli("validate")
    assert run.code == 2
    assert "give one or more workbooks" in run.stderr
    missing = run_cli("validate", tmp_path / "nowhere.xlsx")
    assert missing.code == 2
    assert "nowhere.xlsx" in missing.output


def test_strict_makes_warnings_exit_1(warned: Path) -> None:
    assert run_cli("validate", warned).code == 0
    strict = run_cli("validate", "--strict", warned)
    assert strict.code == 1
    assert "number-typed-as-text" in strict.stdout


def test_codes_lists_every_code() -> None:
    run = run_cli("validate", "--codes")
    assert run.code == 0
    listed = {line.split()[0] for line in run.stdout.splitlines() if line.startswith("  ")}
    assert listed == set(CATALOGUE)
    for code, kind in CATALOGUE.items():
        assert any(code in line and kind.severity in line for line in run.stdout.splitlines())


# --- JSON ----------------------------------------------------------------------------------


def test_json_shape(flawed: Path, k: Kit) -> None:
    run = run_cli("validate", "--format", "json", flawed)
    assert run.code == 1
    data = json.loads(run.stdout)
    assert list(data) == ["schema_version", "files"]
    assert data["schema_version"] == 1
    (entry,) = data["files"]
    assert {"file", "valid", "component", "plan_id", "summary", "findings"} == set(entry)
    assert entry["file"].endswith("flawed.xlsx")
    assert (entry["valid"], entry["component"], entry["plan_id"]) == (False, "UNPOL", k.plan.id)
    assert {"errors": 2, "warnings": 1}.items() <= entry["summary"].items()
    keys = {"code", "severity", "sheet", "cell", "column", "item_id", "value", "message"}
    assert all(set(f) == keys for f in entry["findings"])
    assert all(isinstance(v, str) for f in entry["findings"] for v in f.values())
    by_code = {f["code"]: f for f in entry["findings"]}
    budget = by_code["number-typed-as-text"]
    sheet, cell = k.place("5.5-A2", "budget")
    assert (budget["sheet"], budget["cell"], budget["column"], budget["item_id"]) == (
        sheet,
        cell,
        "Budget (USD)",
        "5.5-A2",
    )
    assert budget["value"] == "1,500" and budget["severity"] == "warning"
    # the JSON is the same report as the library's
    library = check(flawed)
    assert [f["code"] for f in entry["findings"]] == [f.code for f in library.findings]


def test_json_for_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    Workbook().save(path)
    run = run_cli("validate", "--format", "json", path)
    assert run.code == 2
    (entry,) = json.loads(run.stdout)["files"]
    assert entry["valid"] is False and entry["findings"] == []
    assert "missionplan" in entry["unreadable"]


# --- several files -------------------------------------------------------------------------


def test_several_files_one_line_each_and_a_total(k: Kit, flawed: Path, tmp_path: Path) -> None:
    good = copy_to(k.full, tmp_path, "good.xlsx")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 not a workbook")
    run = run_cli("validate", good, flawed, junk)
    assert run.code == 2, run.output
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 4, run.stdout
    assert lines[0].startswith("VALID good.xlsx")
    assert lines[1].startswith("INVALID flawed.xlsx")
    assert lines[2].startswith("UNREADABLE junk.xlsx")
    assert lines[3].startswith("3 files: 1 valid, 1 invalid, 1 unreadable")
    detailed = run_cli("validate", "--details", good, flawed)
    assert detailed.code == 1
    assert "value-out-of-range" in detailed.stdout


# --- the plan ------------------------------------------------------------------------------


def test_plan_of_the_workbook_is_accepted(k: Kit) -> None:
    run = run_cli("validate", "--plan", k.plan_file, k.full)
    assert run.code == 0, run.output


def test_workbook_of_another_plan_is_unreadable(k: Kit, tmp_path: Path) -> None:
    other_file = tmp_path / "other-plan.yaml"
    other_file.write_text(plan_text(mission="UN Other Mission"), encoding="utf-8")
    other = load_plan(other_file, load_framework())
    assert other.id != k.plan.id
    run = run_cli("validate", "--plan", other_file, k.full)
    assert run.code == 2, run.output
    assert k.plan.id in run.stdout and other.id in run.stdout
    assert len(run.stdout.strip().splitlines()) == 1


# --- annotated copies ----------------------------------------------------------------------


def test_annotate_writes_a_marked_copy_and_leaves_the_original(
    flawed: Path, tmp_path: Path
) -> None:
    source = copy_to(flawed, tmp_path / "in", "flawed.xlsx")
    before = fingerprint(source)
    time.sleep(0.01)
    out = tmp_path / "annotated"
    run = run_cli("validate", "--annotate", out, source)
    assert run.code == 1, run.output
    assert fingerprint(source) == before
    copy = out / source.name
    assert copy.is_file() and f"annotated copy: {copy}" in run.stdout

    report = check(source)
    wb = load_workbook(copy)
    assert wb.sheetnames[0] == FINDINGS_SHEET
    for f in report.findings:
        cell = wb[f.sheet][f.cell]
        assert cell.comment is not None and f.message in cell.comment.text, f
        fill = styles.FINDING_ERROR_FILL if f.severity == "error" else styles.FINDING_WARNING_FILL
        assert cell.fill.fgColor.rgb == fill.fgColor.rgb, (f.cell, cell.fill.fgColor.rgb)
    findings = wb[FINDINGS_SHEET]
    rows = list(findings.iter_rows(min_row=2, max_col=8))
    assert len(rows) == len(report.findings)
    for row, f in zip(rows, report.findings, strict=True):
        assert [c.value or "" for c in row[:4]] == [f.severity, f.code, f.sheet, f.cell]
        link = row[3].hyperlink
        assert link is not None
        assert (link.target or f"#{link.location}") == f"#'{f.sheet}'!{f.cell}"
    # the annotated copy still validates to the same findings (the Findings sheet is skipped)
    again = check(copy)
    assert [(f.code, f.sheet, f.cell) for f in again.findings] == [
        (f.code, f.sheet, f.cell) for f in report.findings
    ]


def test_annotate_into_the_input_folder_is_refused(flawed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    source = copy_to(flawed, folder, "flawed.xlsx")
    before = fingerprint(source)
    listing = sorted(p.name for p in folder.iterdir())
    run = run_cli("validate", "--annotate", folder, source)
    assert run.code == 2, run.output
    assert "--annotate" in run.stderr and "another folder" in run.stderr
    assert fingerprint(source) == before
    assert sorted(p.name for p in folder.iterdir()) == listing


def test_annotate_refuses_to_overwrite_without_force(flawed: Path, tmp_path: Path) -> None:
    out = tmp_path / "annotated"
    assert run_cli("validate", "--annotate", out, flawed).code == 1
    again = run_cli("validate", "--annotate", out, flawed)
    assert again.code == 2 and "--force" in again.stderr
    assert run_cli("validate", "--annotate", out, "--force", flawed).code == 1


# --- hostile and wrong files ---------------------------------------------------------------


def hostile_not_a_zip(k: Kit, folder: Path) -> Path:
    path = folder / "export.xlsx"
    path.write_text("Output,Item ID\n3.1,3.1-A1\n", encoding="utf-8")
    return path


def hostile_xls(k: Kit, folder: Path) -> Path:
    path = folder / "old.xls"
    path.write_bytes(OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(3000))
    return path


def hostile_encrypted(k: Kit, folder: Path) -> Path:
    path = folder / "secret.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(3000))
    return path


def hostile_macros(k: Kit, folder: Path) -> Path:
    path = copy_to(k.full, folder, "macros.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xcc" * 2048)
    return path


def hostile_zip_bomb(k: Kit, folder: Path) -> Path:
    """A real workbook plus a part of 64 MiB of zeros that packs to about 64 KiB."""
    path = copy_to(k.full, folder, "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as part,
    ):
        block = bytes(1024 * 1024)
        for _ in range(64):
            part.write(block)
    return path


def hostile_billion_laughs(k: Kit, folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    doctype = f"<!DOCTYPE workbook [{entities}]>".encode()

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + doctype + data[end:]

    return patched_zip(k.full, folder / "laughs.xlsx", change)


def hostile_dimension(k: Kit, folder: Path) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return data
        start = data.index(b'<dimension ref="') + len(b'<dimension ref="')
        end = data.index(b'"', start)
        return data[:start] + b"A1:XFD999999999" + data[end:]

    return patched_zip(k.full, folder / "dimension.xlsx", change)


def hostile_plain_workbook(k: Kit, folder: Path) -> Path:
    path = folder / "plain.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_5
    ws.append(["Output", "Item ID", "Type", "Description"])
    ws.append(["5.5", "5.5-A1", "activity", "Something"])
    wb.save(path)
    return path


HOSTILE = {
    "not-a-zip": (hostile_not_a_zip, "text or CSV"),
    "xls": (hostile_xls, "legacy"),
    "encrypted": (hostile_encrypted, "password"),
    "macros": (hostile_macros, "macros"),
    "zip-bomb": (hostile_zip_bomb, "zip bomb"),
    "billion-laughs": (hostile_billion_laughs, "entity"),
    "absurd-dimension": (hostile_dimension, "claims"),
    "no-metadata": (hostile_plain_workbook, "template metadata"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_file_is_refused_quickly_in_one_line(k: Kit, tmp_path: Path, kind: str) -> None:
    build, words = HOSTILE[kind]
    path = build(k, tmp_path)
    before = fingerprint(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    run = run_cli("validate", path)
    assert run.code == 2, run.output
    lines = run.output.strip().splitlines()
    assert len(lines) == 1, run.output
    assert lines[0].startswith(f"UNREADABLE {path.name}: "), lines[0]
    assert words in lines[0], lines[0]
    assert run.seconds < HOSTILE_SECONDS, f"{run.seconds:.1f} s"
    assert run.peak_mb < HOSTILE_MEMORY_MB, f"{run.peak_mb:.0f} MB"
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_far_future_date_is_a_finding_not_a_crash(k: Kit, tmp_path: Path) -> None:
    import datetime as dt

    path = filled(k.full, tmp_path, "far.xlsx", {"5.5-A2": {"end": dt.date(9999, 12, 31)}})
    run = run_cli("validate", path)
    assert run.code == 1, run.output
    assert "date-outside-period" in run.stdout
