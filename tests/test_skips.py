"""No silent skips: a test that needs a missing tool skips with its reason, and fails on CI.

The rule is `require` in tests/needs.py (the `soffice` fixture and the wheel test use
it); scripts/ensure-libreoffice.sh follows it too. A CI run where LibreOffice could not
be installed must go red, not green with every round-trip test skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.needs import on_ci, require

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"
BASH = shutil.which("bash") or "/bin/bash"

TINY_CONFTEST = "from tests.conftest import soffice  # noqa: F401\n"
TINY_TEST = """
def test_converts_with_libreoffice(soffice):
    assert soffice.endswith("soffice")
"""


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1", "yes"])
def test_ci_is_recognised(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", value)
    assert on_ci()


@pytest.mark.parametrize("value", [None, "", "false", "0", "no"])
def test_not_ci(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not on_ci()


def test_require_skips_with_the_reason_off_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL is not available: apt-get"):
        require("PostgreSQL", False, "apt-get install postgresql")


def test_require_fails_with_the_reason_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is not available: apt-get"):
        require("PostgreSQL", False, "apt-get install postgresql")


@pytest.mark.parametrize("ci", [None, "true"])
def test_require_lets_the_test_run_when_the_tool_is_there(
    ci: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    require("PostgreSQL", True, "apt-get install postgresql")  # neither skips nor fails


def _environment(path: Path, ci: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "PYTEST_ADDOPTS"}}
    env["PATH"] = str(path)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if ci is not None:
        env["CI"] = ci
    return env


def _run_tiny_suite(tmp_path: Path, ci: str | None, with_soffice: bool) -> tuple[int, str]:
    """Run a one-test suite that uses the `soffice` fixture, with a PATH we choose."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\naddopts = -rs -p no:cacheprovider\n")
    (suite / "conftest.py").write_text(TINY_CONFTEST)
    (suite / "test_tiny.py").write_text(TINY_TEST)
    bin_dir = tmp_path / "bin"  # the only folder on the PATH: soffice is hidden
    bin_dir.mkdir()
    if with_soffice:
        fake = bin_dir / "soffice"
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(0o755)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite)],
        cwd=suite,
        env=_environment(bin_dir, ci),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_missing_soffice_skips_with_the_reason_off_ci(tmp_path: Path) -> None:
    code, output = _run_tiny_suite(tmp_path, ci=None, with_soffice=False)
    assert code == 0, output
    assert "1 skipped" in output
    assert "SKIPPED" in output and "LibreOffice (soffice) is not available" in output
    assert "ensure-libreoffice.sh" in output  # how to get it


def test_missing_soffice_fails_on_ci(tmp_path: Path) -> None:
    code, output = _run_tiny_suite(tmp_path, ci="true", with_soffice=False)
    assert code == 1, output
    assert "skipped" not in output
    assert "1 error" in output
    assert "LibreOffice (soffice) is not available" in output and "CI=true" in output


def test_soffice_on_the_path_runs_the_test_on_ci(tmp_path: Path) -> None:
    code, output = _run_tiny_suite(tmp_path, ci="true", with_soffice=True)
    assert code == 0, output
    assert "1 passed" in output


INSTALLERS = {
    # script: what it says when it only warns, and when it fails as root
    "ensure-libreoffice.sh": ("round-trip tests will be skipped", "Installing LibreOffice failed"),
    "ensure-postgresql.sh": ("register tests will be skipped", "Installing PostgreSQL failed"),
}


def _run_script(
    tmp_path: Path, script: str, ci: str | None, root: bool
) -> subprocess.CompletedProcess:
    """An install script with none of its tools, a fake `id` and, as root, a failing apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fakes = {"id": f"echo {0 if root else 1000}"}
    if root:
        fakes["apt-get"] = "exit 100"
    for name, body in fakes.items():
        fake = bin_dir / name
        fake.write_text(f"#!/bin/sh\n{body}\n")
        fake.chmod(0o755)
    env = _environment(bin_dir, ci)
    env["MISSIONPLAN_PG_LIB"] = str(tmp_path / "no-postgresql")
    return subprocess.run(
        [BASH, str(SCRIPTS / script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("script", sorted(INSTALLERS))
@pytest.mark.parametrize("root", [False, True], ids=["cannot-install", "install-fails"])
def test_install_script_only_warns_off_ci(tmp_path: Path, script: str, root: bool) -> None:
    done = _run_script(tmp_path, script, ci=None, root=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert INSTALLERS[script][0] in done.stdout


@pytest.mark.parametrize("script", sorted(INSTALLERS))
@pytest.mark.parametrize("root", [False, True], ids=["cannot-install", "install-fails"])
def test_install_script_fails_on_ci_and_says_why(tmp_path: Path, script: str, root: bool) -> None:
    done = _run_script(tmp_path, script, ci="true", root=root)
    assert done.returncode != 0
    why = INSTALLERS[script][1] if root else "cannot be installed here"
    assert why in done.stderr and "CI=true" in done.stderr
