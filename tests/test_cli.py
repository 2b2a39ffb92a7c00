"""The command line, in process (typer's CliRunner) and as `python -m missionplan`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, get_type_hints

import pytest
import typer
import typer.main
from typer.models import OptionInfo
from typer.testing import CliRunner

import missionplan
import missionplan.planning.catalog
from missionplan import cli as cli_module
from missionplan.cli import app, main
from missionplan.errors import DataFileError, MissionplanError
from missionplan.export.run import export_plan, write_starter_plan
from missionplan.merge.run import merge_paths
from missionplan.planning.catalog import catalog_json, catalog_table, load_catalog, output_detail
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan, plan_contract, starter_plan_text
from missionplan.schema.contract import contract_as_data
from missionplan.terminal import options

TOTALS_LINE = (
    "4 objectives, 25 outputs, 147 activities, 357 benchmarks, 165 risks, 82 considerations"
)
OUTPUT_IDS = [
    *(f"3.{n}" for n in range(1, 6)),
    *(f"4.{n}" for n in range(1, 7)),
    *(f"5.{n}" for n in range(1, 8)),
    *(f"6.{n}" for n in range(1, 8)),
]
HEAVY_MODULES = ("pandas", "pandera", "openpyxl", "sqlalchemy")


def _command_name(info: object) -> str:
    name = getattr(info, "name", None)
    callback = getattr(info, "callback", None)
    return name or callback.__name__.replace("_", "-")  # type: ignore[union-attr]


COMMANDS = {_command_name(info): info for info in app.registered_commands}

# The commands the README documents, in the order `missionplan --help` lists them, each with
# the start of its one-line summary.
README_COMMANDS = [
    "catalog",
    "init",
    "schema",
    "export",
    "validate",
    "collect",
    "status",
    "history",
    "merge",
    "diff",
    "upgrade",
    "report",
    "demo",
]
SUMMARIES = {
    "catalog": "Show the framework: objectives and outputs, or one output in full.",
    "init": "Write a commented starter plan: every output in scope, leads from the framework.",
    "schema": "Show the planning-sheet contract: columns, types, required fields, allowed values.",
    "export": (
        "Write one planning workbook per component that leads or supports an in-scope output."
    ),
    "validate": "Check returned workbooks: structure, completeness, values, consistency.",
    "collect": "Collect returned workbooks into the register: checked, validated, kept exactly.",
    "status": "The status board: who returned what, valid or not, on time, late or missing.",
    "history": (
        "Every version of a component received, with its state; or one version's exact bytes."
    ),
    "merge": "Merge returned workbooks into one mission plan with its conflicts and gaps.",
    "diff": "Show what changed between two workbooks, item by item: added, removed, moved, edited.",
    "upgrade": "Carry a workbook's values into the current plan's template, item by item.",
    "report": (
        "Write the review pack: one HTML file of the merged plan, readable offline and printable."
    ),
    "demo": (
        "Run the whole cycle on the built-in framework: plan, export, submissions, validate, merge."
    ),
}

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
    assert list(SUMMARIES) == README_COMMANDS
    assert sorted(COMMANDS) == sorted(README_COMMANDS)


def help_commands(stdout: str) -> dict[str, str]:
    """The Commands section of a --help page: name -> its summary, lines wrapped joined."""
    assert "Commands:" in stdout, stdout
    listed: dict[str, str] = {}
    last = ""
    for line in stdout.split("Commands:", 1)[1].splitlines():
        match = re.fullmatch(r"  (\S+)\s+(\S.*)", line)
        if match:
            last = match.group(1)
            assert last not in listed, f"{last} listed twice"
            listed[last] = match.group(2).strip()
        elif line.startswith("    ") and last:
            listed[last] += " " + line.strip()
        elif line.strip():
            break
    return listed


def test_root_help_lists_exactly_the_documented_commands(cli: Cli) -> None:
    run = cli("--help")
    assert (run.code, run.exception) == (0, None)
    assert "Usage:" in run.stdout
    listed = help_commands(run.stdout)
    assert list(listed) == README_COMMANDS
    # each summary in full, never shortened with "..."
    assert listed == SUMMARIES


@pytest.mark.parametrize("name", ["", *README_COMMANDS])
def test_h_is_help(cli: Cli, name: str) -> None:
    asked = [name] if name else []
    assert cli(*asked, "-h").stdout == cli(*asked, "--help").stdout


@pytest.mark.parametrize("name", README_COMMANDS)
def test_each_command_shows_examples_in_words(cli: Cli, name: str) -> None:
    shown = cli(name, "--help").stdout
    examples = shown.split("Examples:", 1)[1].split("Arguments:")[0].split("Options:")[0]
    lines = [line.strip() for line in examples.splitlines() if line.strip()]
    assert lines and all(line.startswith(f"missionplan {name}") for line in lines), shown
    # words, not Python types
    assert not re.search(r"<(list|str|int|Path|file|dir)\b|list\[", shown), shown


def test_completion_can_be_installed(cli: Cli) -> None:
    shown = cli("--help").stdout
    assert "--install-completion" in shown and "--show-completion" in shown


def test_no_arguments_shows_help(cli_main: Cli) -> None:
    run = cli_main()
    assert run.code == 2
    assert "Usage:" in run.stdout + run.stderr
    _clean(run)


@pytest.mark.parametrize("name", README_COMMANDS)
def test_command_help(cli: Cli, name: str) -> None:
    run = cli(name, "--help")
    assert (run.code, run.exception) == (0, None), run.stderr
    assert run.stderr == ""
    assert "Usage:" in run.stdout and f" {name} " in run.stdout
    assert SUMMARIES[name] in " ".join(run.stdout.split())


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


LIGHT_COMMANDS = [
    ["--help"],
    ["--version"],
    ["catalog"],
    ["catalog", "4.2", "--format", "json"],
    ["validate", "--codes"],
    ["validate", "--codes", "-f", "json"],
]
"""The commands that must start fast (issue 14: each within 0.2 s)."""
STARTUP_MODULES = ("pydantic", "pydantic_core", "yaml", "python_calamine", "psycopg")
"""Besides the data libraries, what the light commands do without: typer's conversions
of their values (`terminal/coercion.py`), the file models, YAML (the built-in framework
comes from its cache) and the readers."""


def _imported(args: list[str], cwd: Path, env: dict[str, str]) -> set[str]:
    """Every module `python -m missionplan ARGS` imported (from -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "missionplan", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }


@pytest.mark.parametrize("args", LIGHT_COMMANDS)
def test_light_commands_do_not_import_heavy_libraries(args: list[str], tmp_path: Path) -> None:
    env = dict(_env(), MISSIONPLAN_CACHE=str(tmp_path / "cache"))
    _imported(["catalog"], tmp_path, env)  # the first run reads the YAML and keeps the cache
    imported = _imported(args, tmp_path, env)
    assert "missionplan.cli" in imported and "typer" in imported  # the parse works
    heavy = sorted(m for m in imported if m.split(".")[0] in (*HEAVY_MODULES, *STARTUP_MODULES))
    assert heavy == []


def test_without_its_cache_catalog_reads_the_yaml(tmp_path: Path) -> None:
    """The guard above is not vacuous: the same run without a cache loads the file models."""
    env = dict(_env(), MISSIONPLAN_CACHE=str(tmp_path / "cache"))
    imported = _imported(["catalog"], tmp_path, env)
    assert {"yaml", "pydantic"} <= imported
    assert not {"pandas", "openpyxl"} & imported


def test_a_path_given_is_still_converted_by_typer(tmp_path: Path) -> None:
    """Only values typer's conversion would pass unchanged skip it; a path is checked as before."""
    result = CliRunner().invoke(app, ["catalog", "--framework", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.output


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


# --- shared options: declared once ------------------------------------------------------

SHARED_ALIASES = {
    "--framework": options.FrameworkOption,
    "--format": options.FormatOption,
    "--db": options.DbOption,
    "--lang": options.LangOption,
    "--period": options.PeriodOption,
}
SHARED_FACTORIES: dict[str, Callable[..., Any]] = {
    "--plan": options.plan_option,
    "--force": options.force_option,
    "--out": options.out_option,
    "--from": options.from_option,
}


@dataclass(frozen=True)
class OptionUse:
    command: str
    hint: Any  # the parameter's Annotated type
    info: OptionInfo


def _option_uses() -> dict[str, list[OptionUse]]:
    """Every option of every command by its name (--force), with its declaration."""
    group = typer.main.get_command(app)
    uses: dict[str, list[OptionUse]] = {}
    for name, registered in COMMANDS.items():
        hints = get_type_hints(registered.callback, include_extras=True)
        for param in group.commands[name].params:  # type: ignore[attr-defined]
            if param.param_type_name != "option":
                continue
            hint = hints[param.name]
            (info,) = (m for m in hint.__metadata__ if isinstance(m, OptionInfo))
            uses.setdefault(param.opts[0], []).append(OptionUse(name, hint, info))
    return uses


def _declaration(info: OptionInfo) -> dict[str, Any]:
    return {key: value for key, value in vars(info).items() if key != "help"}


def _given(hint: Any) -> Any:
    """The type an optional option has when given: Path for `Path | None`."""
    kept = [a for a in getattr(hint, "__args__", ()) if a is not type(None)]
    return kept[0] if isinstance(hint, types.UnionType) and len(kept) == 1 else hint


def test_options_that_share_a_name_share_their_declaration() -> None:
    uses = _option_uses()
    shared = {name for name, found in uses.items() if len(found) > 1}
    assert shared == set(SHARED_ALIASES) | set(SHARED_FACTORIES)
    for name in shared:
        found = uses[name]
        # one type, given or optional (history's --out is only needed with --extract)
        assert len({_given(use.hint.__origin__) for use in found}) == 1, (name, found)
        if name in SHARED_ALIASES:
            # the one module-level alias: the very same option object everywhere
            assert all(use.hint is SHARED_ALIASES[name] for use in found), name
            assert len({id(use.info) for use in found}) == 1, name
            continue
        # per-command help text, everything else from the one factory
        factory = SHARED_FACTORIES[name]
        for use in found:
            extra: dict[str, Any] = {}
            if name == "--out":  # a folder, or a file of the kind its word says (FILE.html)
                extra = {"folder": use.info.dir_okay}
                if not use.info.dir_okay:
                    extra["suffix"] = str(use.info.metavar).removeprefix("FILE")
            rebuilt = factory(use.info.help, **extra)
            assert _declaration(use.info) == _declaration(rebuilt), (name, use.command)


def test_shared_options_keep_their_kind() -> None:
    uses = _option_uses()
    out = {use.command: use.info for use in uses["--out"]}
    folders = {command for command, info in out.items() if info.dir_okay}
    assert folders == {"export", "demo", "upgrade"}
    assert not out["merge"].dir_okay and out["merge"].file_okay
    assert not out["diff"].dir_okay and out["diff"].file_okay
    assert not any(out[command].file_okay for command in folders)
    assert all(not use.info.dir_okay for use in uses["--plan"])
    assert {use.command for use in uses["--force"]} == {
        "init",
        "export",
        "validate",
        "status",
        "history",
        "merge",
        "diff",
        "upgrade",
        "report",
        "demo",
    }
    assert {use.command for use in uses["--plan"]} == {
        "schema",
        "validate",
        "collect",
        "status",
        "history",
        "merge",
        "diff",
        "upgrade",
        "report",
    }


# --- errors become exit codes in one place ------------------------------------------------


def _broken_catalog(error: BaseException) -> Callable[..., Any]:
    def load(*args: object, **kwargs: object) -> Any:
        raise error

    return load


def test_a_user_error_is_its_message_and_code_under_the_app_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Refused(MissionplanError):
        exit_code = 5

    monkeypatch.setattr(
        missionplan.planning.catalog, "load_catalog", _broken_catalog(Refused("not today"))
    )
    result = CliRunner().invoke(app, ["catalog"])
    assert result.exit_code == 5
    assert result.stderr == "missionplan: error: not today\n"
    assert result.stdout == ""
    # without standalone mode the app returns the code rather than exiting
    assert app(["catalog"], standalone_mode=False) == 5


def test_main_gives_a_user_error_its_message_and_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        missionplan.planning.catalog, "load_catalog", _broken_catalog(MissionplanError("no"))
    )
    monkeypatch.setattr(sys, "argv", ["missionplan", "catalog"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert capsys.readouterr().err == "missionplan: error: no\n"


def test_an_unexpected_error_exits_3_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MISSIONPLAN_DEBUG", raising=False)
    monkeypatch.setattr(
        missionplan.planning.catalog, "load_catalog", _broken_catalog(ValueError("boom"))
    )
    monkeypatch.setattr(sys, "argv", ["missionplan", "catalog"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "missionplan: error: unexpected ValueError: boom. "
        "Please report this; set MISSIONPLAN_DEBUG=1 to see the details.\n"
    )


def test_missionplan_debug_shows_the_real_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISSIONPLAN_DEBUG", "1")
    monkeypatch.setattr(
        missionplan.planning.catalog, "load_catalog", _broken_catalog(ValueError("boom"))
    )
    monkeypatch.setattr(sys, "argv", ["missionplan", "catalog"])
    with pytest.raises(ValueError, match="boom"):
        main()


def test_ctrl_c_in_a_command_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """typer itself turns an interrupt inside a command into a quiet exit 130."""
    monkeypatch.setattr(
        missionplan.planning.catalog, "load_catalog", _broken_catalog(KeyboardInterrupt())
    )
    monkeypatch.setattr(sys, "argv", ["missionplan", "catalog"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_ctrl_c_outside_a_command_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "app", interrupted)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "missionplan: error: interrupted\n"


# --- each command's library call ----------------------------------------------------------


def test_load_catalog_is_the_framework_or_one_output() -> None:
    framework = load_framework()
    whole = load_catalog()
    assert whole.output is None
    assert whole.text() == catalog_table(framework)
    assert whole.as_data() == catalog_json(framework)
    one = load_catalog(None, "4.2")
    assert one.output == framework.output("4.2")
    assert one.text() == output_detail(framework, framework.output("4.2"))  # type: ignore[arg-type]
    assert one.as_data()["id"] == "4.2"
    with pytest.raises(
        MissionplanError, match=re.escape("no output '9.9' in the framework; outputs are: 3.1")
    ):
        load_catalog(None, "9.9")


def test_load_catalog_checks_the_framework_before_the_output(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=re.escape("missing.yaml")):
        load_catalog(tmp_path / "missing.yaml", "9.9")


def test_write_starter_plan(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    framework = write_starter_plan(target)
    assert framework == load_framework()
    assert target.read_text(encoding="utf-8") == starter_plan_text(framework)
    assert load_plan(target, framework).outputs
    with pytest.raises(MissionplanError, match="already exists; use --force"):
        write_starter_plan(target)
    target.write_text("old", encoding="utf-8")
    write_starter_plan(target, force=True)
    assert target.read_text(encoding="utf-8") == starter_plan_text(framework)
    with pytest.raises(DataFileError, match=re.escape("missing.yaml")):
        write_starter_plan(tmp_path / "other.yaml", tmp_path / "missing.yaml")
    assert not (tmp_path / "other.yaml").exists()


def test_plan_contract(tmp_path: Path) -> None:
    assert plan_contract() == contract_as_data()
    # without a plan the framework is not even read
    assert plan_contract(None, tmp_path / "missing.yaml") == contract_as_data()
    plan_file = tmp_path / "plan.yaml"
    write_starter_plan(plan_file)
    codes = tuple(c.code for c in load_plan(plan_file, load_framework()).components)
    assert plan_contract(plan_file) == contract_as_data(codes)
    with pytest.raises(DataFileError, match=re.escape("missing.yaml")):
        plan_contract(plan_file, tmp_path / "missing.yaml")


def test_export_plan(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.yaml"
    write_starter_plan(plan_file)
    done = export_plan(plan_file, tmp_path / "out", codes=["PAD"], master=True)
    plan = load_plan(plan_file, load_framework())
    assert done.plan == plan
    assert [p.name for p in done.paths] == [
        f"umism-PAD-{plan.id}.xlsx",
        f"umism-PLAN-{plan.id}.xlsx",
    ]
    assert all(p.is_file() for p in done.paths)
    with pytest.raises(MissionplanError, match="already exists; use --force"):
        export_plan(plan_file, tmp_path / "out", codes=["PAD"])
    with pytest.raises(MissionplanError, match="component NOPE"):
        export_plan(plan_file, tmp_path / "out", codes=["NOPE"])


def test_merge_paths(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.yaml"
    write_starter_plan(plan_file)
    folder = tmp_path / "returned"
    exported = export_plan(plan_file, folder, codes=["PAD", "CAD"])
    out = tmp_path / "merged.xlsx"
    outcome = merge_paths([folder], out, plan_file, include_invalid=True)
    assert outcome.plan == exported.plan
    assert sorted(outcome.accepted) == sorted(str(p) for p in exported.paths)
    assert out.is_file()
    with pytest.raises(MissionplanError, match="already exists; use --force"):
        merge_paths([folder], out, plan_file, include_invalid=True)
    again = merge_paths([folder], out, plan_file, include_invalid=True, force=True)
    assert again.accepted == outcome.accepted
    with pytest.raises(DataFileError, match=re.escape("missing.yaml")):
        merge_paths([folder], tmp_path / "other.xlsx", plan_file, tmp_path / "missing.yaml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(MissionplanError, match=re.escape("holds no .xlsx workbooks")):
        merge_paths([tmp_path / "empty"], tmp_path / "other.xlsx")
    assert not (tmp_path / "other.xlsx").exists()


def test_main_leaves_the_collector_of_a_longer_process_as_it_was() -> None:
    """main freezes the collector only at exit and gives its thresholds back: a test (or
    any caller) that runs it in process keeps collecting its cycles as before, however
    often it calls main."""
    import gc

    from tests.cli_helpers import run_main

    thresholds = gc.get_threshold()
    for _ in range(2):
        assert run_main("--version")[0] == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
