"""The command line, in process (typer's CliRunner) and as `python -m missionplan`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

import missionplan
from missionplan.cli import app, main
from missionplan.planning.framework import load_framework

TOTALS_LINE = (
    "4 objectives, 25 outputs, 147 activities, 357 benchmarks, 165 risks, 82 considerations"
)
OUTPUT_IDS = [
    *(f"3.{n}" for n in range(1, 6)),
    *(f"4.{n}" for n in range(1, 7)),
    *(f"5.{n}" for n in range(1, 8)),
    *(f"6.{n}" for n in range(1, 8)),
]
HEAVY_MODULES = ("pandas", "pandera", "openpyxl")


def _command_name(info: object) -> str:
    name = getattr(info, "name", None)
    callback = getattr(info, "callback", None)
    return name or callback.__name__.replace("_", "-")  # type: ignore[union-attr]


COMMANDS = {_command_name(info): info for info in app.registered_commands}

BROKEN = """\
framework:
  id: "broken"
  title: "Broken"
components:
  - {code: HOM, name: Head of Mission, kind: leadership}
objectives:
  - id: "1"
    title: "Only objective"
    outputs:
      - id: "1.1"
        title: "An output"
        activities:
          - {id: "1.1-A1", text: "", ref: "§1"}
        benchmarks:
          - {id: "1.1-BS1", term: "soon", text: "Soon.", ref: "§1"}
        lead: ["NOPE"]
"""
BROKEN_PROBLEMS = [
    (10, "output 1.1: unknown component 'NOPE'"),
    (13, "1.1-A1: 'text' is empty"),
    (15, "1.1-BS1: term 'soon' is not one of: short, medium, long"),
]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None


Cli = Callable[..., Run]


def _env() -> dict[str, str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", TERM="dumb")
    env.pop("MISSIONPLAN_DEBUG", None)
    return env


def run_subprocess(*args: str, cwd: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "missionplan", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _clean(run: Run) -> None:
    assert "Traceback" not in run.stdout + run.stderr


@pytest.fixture(params=["runner", "subprocess"])
def cli(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Runs a successful command line: in process through CliRunner, or as a subprocess."""
    monkeypatch.chdir(tmp_path)
    if request.param == "subprocess":
        return lambda *args: run_subprocess(*args, cwd=tmp_path)

    def invoke(*args: str) -> Run:
        result = CliRunner().invoke(app, list(args), prog_name="missionplan")
        return Run(result.exit_code, result.stdout, result.stderr, result.exception)

    return invoke


@pytest.fixture(params=["main", "subprocess"])
def cli_main(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    """Runs the command line through `main()`, which turns errors into messages and exit codes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MISSIONPLAN_DEBUG", raising=False)
    if request.param == "subprocess":
        return lambda *args: run_subprocess(*args, cwd=tmp_path)

    def call(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["missionplan", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        captured = capsys.readouterr()
        code = stopped.value.code
        return Run(code if isinstance(code, int) else 1, captured.out, captured.err)

    return call


# --- --version and --help ------------------------------------------------------


def test_version(cli: Cli) -> None:
    run = cli("--version")
    assert (run.code, run.exception) == (0, None)
    assert run.stdout == f"missionplan {missionplan.__version__}\n"


def test_version_matches_the_package_metadata() -> None:
    assert missionplan.__version__ == metadata.version("missionplan")


def test_commands_are_registered() -> None:
    assert "catalog" in COMMANDS


def test_root_help_lists_every_command(cli: Cli) -> None:
    run = cli("--help")
    assert (run.code, run.exception) == (0, None)
    assert "Usage:" in run.stdout
    listed = run.stdout.split("Commands:", 1)[1]
    for name in COMMANDS:
        assert f"  {name} " in listed, name


def test_no_arguments_shows_help(cli_main: Cli) -> None:
    run = cli_main()
    assert run.code == 2
    assert "Usage:" in run.stdout + run.stderr
    _clean(run)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_help(cli: Cli, name: str) -> None:
    run = cli(name, "--help")
    assert (run.code, run.exception) == (0, None), run.stderr
    assert run.stderr == ""
    assert "Usage:" in run.stdout and f" {name} " in run.stdout
    doc = COMMANDS[name].callback.__doc__  # type: ignore[union-attr]
    assert doc and doc.strip(), f"command {name} has no help text"
    summary = " ".join(doc.split())[:40]
    assert summary in " ".join(run.stdout.split())


# --- catalog ------------------------------------------------------------------


def test_catalog_table(cli: Cli) -> None:
    run = cli("catalog")
    assert (run.code, run.exception) == (0, None), run.stderr
    lines = run.stdout.splitlines()
    listed = [line.split()[0] for line in lines if line[:1].isdigit() and "." in line.split()[0]]
    assert listed == OUTPUT_IDS
    assert [line for line in lines if line.startswith("Objective ")] == [
        "Objective 3: Facilitating and Supporting the Political Process",
        "Objective 4: Creating a Secure and Stable Environment",
        "Objective 5: Strengthening the Rule of Law",
        "Objective 6: Supporting Peacebuilding and Development",
    ]
    assert lines[-1] == TOTALS_LINE
    row = next(line for line in lines if line.startswith("4.2 "))
    assert row.split()[-3:] == ["5", "10/11/3", "6"]


def test_catalog_one_output(cli: Cli) -> None:
    run = cli("catalog", "4.2")
    assert (run.code, run.exception) == (0, None), run.stderr
    assert run.stdout.startswith("4.2 Civilians Protected")
    output = load_framework().output("4.2")
    assert output is not None
    activity_ids = [a.id for a in output.activities]
    assert activity_ids == [f"4.2-A{n}" for n in range(1, 6)]
    shown = {line.split()[0] for line in run.stdout.splitlines() if line.startswith("  4.2-")}
    expected = {
        i.id for kind in (output.activities, output.risks, output.considerations) for i in kind
    } | {b.id for b in output.benchmarks}
    assert set(activity_ids) <= shown
    assert shown == expected
    for heading in (
        "Activities (5)",
        "Benchmarks, short-term (10)",
        "Benchmarks, medium-term (11)",
        "Benchmarks, long-term (3)",
        "Challenges and risks (6)",
        "Considerations (5)",
    ):
        assert heading in run.stdout.splitlines()
    assert "Lead:    MLT (Mission Leadership Team)" in run.stdout


def test_catalog_one_output_as_json(cli: Cli) -> None:
    run = cli("catalog", "4.2", "--format", "json")
    assert (run.code, run.exception) == (0, None), run.stderr
    data = json.loads(run.stdout)
    assert data["id"] == "4.2"
    assert [a["id"] for a in data["activities"]] == [f"4.2-A{n}" for n in range(1, 6)]


def test_catalog_json(cli: Cli) -> None:
    run = cli("catalog", "--format", "json")
    assert (run.code, run.exception) == (0, None), run.stderr
    data = json.loads(run.stdout)
    assert {"framework", "objectives"} <= set(data)
    assert {"id", "title"} <= set(data["framework"])
    assert data["framework"]["id"] == "considerations"
    assert [o["id"] for o in data["objectives"]] == ["3", "4", "5", "6"]
    outputs = []
    for objective in data["objectives"]:
        assert {"id", "title", "outputs"} <= set(objective)
        assert isinstance(objective["title"], str) and objective["title"]
        outputs += objective["outputs"]
    assert [o["id"] for o in outputs] == OUTPUT_IDS
    terms = set()
    for output in outputs:
        assert {
            "id",
            "title",
            "activities",
            "benchmarks",
            "risks",
            "considerations",
            "lead",
            "support",
        } <= set(output)
        for key in ("activities", "risks", "considerations"):
            for item in output[key]:
                assert set(item) == {"id", "text", "ref"}, item
                assert all(isinstance(v, str) and v for v in item.values()), item
        for item in output["benchmarks"]:
            assert set(item) == {"id", "term", "text", "ref"}, item
            terms.add(item["term"])
        assert output["lead"] and all(isinstance(c, str) for c in output["lead"])
        assert isinstance(output["support"], list)
    assert terms == {"short", "medium", "long"}
    assert sum(len(o["activities"]) for o in outputs) == 147
    assert sum(len(o["benchmarks"]) for o in outputs) == 357


def test_catalog_of_a_framework_file(cli: Cli, tmp_path: Path) -> None:
    fixed = BROKEN.replace('text: ""', 'text: "Act."').replace('"soon"', '"short"')
    (tmp_path / "fixed.yaml").write_text(fixed.replace('"NOPE"', '"HOM"'), encoding="utf-8")
    run = cli("catalog", "--framework", "fixed.yaml")
    assert (run.code, run.exception) == (0, None), run.stderr
    assert run.stdout.splitlines()[-1] == (
        "1 objectives, 1 outputs, 1 activities, 1 benchmarks, 0 risks, 0 considerations"
    )


# --- errors: one message on stderr, exit 2, never a traceback ---------------------


def test_unknown_output(cli_main: Cli) -> None:
    run = cli_main("catalog", "9.9")
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("missionplan: error: no output '9.9' in the framework")
    assert len(run.stderr.strip().splitlines()) == 1
    assert "3.1, 3.2" in run.stderr
    _clean(run)


def test_broken_framework_lists_every_problem(cli_main: Cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    run = cli_main("catalog", "--framework", "broken.yaml")
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert lines[0] == "missionplan: error: 3 problems in broken.yaml:"
    assert len(lines) == 1 + len(BROKEN_PROBLEMS)
    for shown, (number, problem) in zip(lines[1:], BROKEN_PROBLEMS, strict=True):
        assert shown.startswith(f"  broken.yaml:{number}: {problem}"), shown
    _clean(run)


def test_missing_framework(cli_main: Cli) -> None:
    run = cli_main("catalog", "--framework", "missing.yaml")
    assert run.code == 2
    assert run.stdout == ""
    assert "missing.yaml" in run.stderr and "file not found" in run.stderr
    assert run.stderr.startswith("missionplan: error: ")
    _clean(run)


def test_unknown_format_is_a_usage_error(cli_main: Cli) -> None:
    run = cli_main("catalog", "--format", "xml")
    assert run.code == 2
    assert "xml" in run.stderr
    _clean(run)


def test_the_app_itself_reports_errors_as_main_does(tmp_path: Path) -> None:
    """Called directly (as a library or under CliRunner), the app exits 2 with the message."""
    result = CliRunner().invoke(app, ["catalog", "9.9"])
    assert result.exit_code == 2
    assert "no output '9.9'" in result.output
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(app, ["catalog", "--framework", str(path)])
    assert result.exit_code == 2
    for number, _ in BROKEN_PROBLEMS:
        assert f"{path}:{number}:" in result.output
    assert "Traceback" not in result.output


# --- start-up stays light -------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["catalog"]])
def test_light_commands_do_not_import_heavy_libraries(args: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "missionplan", *args],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "missionplan.cli" in imported and "typer" in imported  # the parse works
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY_MODULES)
    assert heavy == []


def test_importing_the_cli_does_not_import_heavy_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['missionplan', '--help']\n"
        "from missionplan import cli\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"
