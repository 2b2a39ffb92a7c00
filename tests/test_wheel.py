"""The wheel, built and installed into a fresh virtual environment, runs outside the repo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.needs import require

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
TOTALS_LINE = (
    "4 objectives, 25 outputs, 147 activities, 357 benchmarks, 165 risks, 82 considerations"
)
# Not copied into the build folder: local state, caches and earlier build output.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".*_cache",
    ".hypothesis",
    "__pycache__",
    "build",
    "mutants",
    "dist",
    "*.egg-info",
    "demo-output",
)


def _env() -> dict[str, str]:
    """The environment without anything that points back at the repo or its venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MISSIONPLAN_DEBUG"}
    }
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def _index_reachable(tmp: Path) -> bool:
    """Whether pip can fetch one known dependency (typer) from its configured index."""
    probe = _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", tmp, "typer"],
        cwd=tmp,
        timeout=300,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the repo, so the build leaves nothing in the work tree."""
    source = tmp_path_factory.mktemp("source") / "missionplan"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    out = tmp_path_factory.mktemp("dist")
    # Isolated build: the backend (setuptools>=77, for the SPDX `license`) comes from the
    # index. --no-isolation would use the venv's setuptools, which may be older.
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", out, source], cwd=source)
    if built.returncode != 0:  # skip when offline (fail on CI): tests.needs.require
        require(
            "the package index",
            _index_reachable(out),
            "building needs setuptools from the package index; give pip network access",
        )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = list(out.glob("missionplan-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with the wheel and its dependencies installed."""
    root = tmp_path_factory.mktemp("venv") / "env"
    # No pip inside: the test's pip installs into it (`pip --python`), which saves seeding
    # pip; dependencies still resolve from the index as for any user. --no-compile skips
    # byte-compiling pandas and numpy, the slowest part of the install.
    made = _run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root.parent)
    assert made.returncode == 0, made.stderr
    python = root / "bin" / "python"
    installed = _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-compile", wheel],
        cwd=root.parent,
    )
    if installed.returncode != 0:  # skip when offline (fail on CI)
        require(
            "the package index",
            _index_reachable(root.parent),
            "installing missionplan's dependencies needs it; give pip network access",
        )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working directory outside the repository."""
    assert REPO not in tmp_path.parents
    return tmp_path


def test_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    sources = {p.relative_to(REPO).as_posix() for p in (REPO / "missionplan").rglob("*.py")}
    assert "missionplan/planning/framework.py" in sources  # every step's folder ships
    assert (
        sources
        | {
            "missionplan/templates/considerations.yaml",
            "missionplan/templates/components.yaml",
            "missionplan/report/report.html.j2",  # the review pack's page
        }
        <= names
    )
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/"))]
    assert "missionplan = missionplan.cli:main" in entry_points
    for dependency in ("openpyxl", "pandas", "pandera", "typer", "PyYAML", "defusedxml", "Jinja2"):
        assert f"Requires-Dist: {dependency}" in meta, dependency


def test_venv_is_isolated(venv: Path) -> None:
    config = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in config


def test_installed_package_comes_from_the_venv(venv: Path, outside: Path) -> None:
    done = _run(
        [venv / "bin" / "python", "-c", "import missionplan; print(missionplan.__file__)"],
        cwd=outside,
    )
    assert done.returncode == 0, done.stderr
    location = Path(done.stdout.strip())
    assert venv in location.parents
    assert REPO not in location.parents


def test_installed_catalog(venv: Path, outside: Path) -> None:
    done = _run([venv / "bin" / "missionplan", "catalog"], cwd=outside)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == TOTALS_LINE
    rows = [line.split()[0] for line in lines if line[:1].isdigit() and line[1:2] == "."]
    assert len(rows) == 25 and rows[0] == "3.1" and rows[-1] == "6.7"


def test_installed_catalog_json(venv: Path, outside: Path) -> None:
    done = _run([venv / "bin" / "missionplan", "catalog", "--format", "json"], cwd=outside)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    outputs = [o["id"] for objective in data["objectives"] for o in objective["outputs"]]
    assert len(outputs) == 25 and len(set(outputs)) == 25
    assert data["framework"]["id"] == "considerations"
    assert sum(len(o["activities"]) for ob in data["objectives"] for o in ob["outputs"]) == 147


def test_installed_version_and_errors(venv: Path, outside: Path) -> None:
    version = _run([venv / "bin" / "python", "-m", "missionplan", "--version"], cwd=outside)
    assert (version.returncode, version.stdout) == (0, "missionplan 0.1.0\n")
    missing = _run([venv / "bin" / "missionplan", "catalog", "9.9"], cwd=outside)
    assert missing.returncode == 2
    assert missing.stderr.startswith("missionplan: error: no output '9.9'")
    assert "Traceback" not in missing.stderr
