"""The `missionplan` command line.

Each command parses its arguments, makes one library call and renders the result; the
options that several commands take are declared once, below. A `MissionplanError` becomes
its one-line message and exit code in one place (`_Commands.invoke`); a command ends with
another code by raising `typer.Exit`.

Only typer and the standard library are imported here: pandas, pandera and
openpyxl are imported inside the commands that use them, so `--help`,
`--version`, `catalog` and `validate --codes` start fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from missionplan import __version__
from missionplan.errors import MissionplanError


def _error(message: str, code: int) -> int:
    """Print a one-line (or short) error for a person on stderr; returns the exit code."""
    typer.echo(f"missionplan: error: {message}", err=True)
    return code


class _Commands(typer.core.TyperGroup):
    """Turns a user error into its message and exit code, also when the app is called directly."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MissionplanError as error:
            raise typer.Exit(_error(str(error), error.exit_code)) from None


app = typer.Typer(
    cls=_Commands,
    name="missionplan",
    help="Planning workbooks for UN peace operations: distribute, validate and merge.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    text = "text"
    json = "json"


# --- the options several commands share ---------------------------------------------------

FrameworkOption = Annotated[
    Path | None,
    typer.Option(
        "--framework",
        help="A framework YAML file; the built-in Considerations framework when omitted.",
        dir_okay=False,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="text for people, json for tools.")]


def plan_option(help: str) -> Any:
    """--plan PLAN.yaml (a `Path | None`); the help says what the command does with it."""
    return typer.Option("--plan", help=help, dir_okay=False)


def force_option(help: str) -> Any:
    """--force (a `bool`); the help says what the command overwrites."""
    return typer.Option("--force", help=help)


def out_option(help: str, *, folder: bool) -> Any:
    """--out (a `Path`): a folder the command writes into, or the one file it writes."""
    return typer.Option("--out", help=help, file_okay=not folder, dir_okay=folder)


# --- the commands --------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"missionplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Planning workbooks for UN peace operations: distribute, validate and merge."""


@app.command()
def catalog(
    output: Annotated[
        str | None, typer.Argument(help="An output id (e.g. 4.2) to show in full.")
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show the framework: objectives and outputs, or one output in full."""
    from missionplan.planning.catalog import load_catalog

    shown = load_catalog(framework, output)
    _render(format, shown.as_data, shown.text)


@app.command()
def init(
    plan_file: Annotated[Path, typer.Argument(help="Where to write the starter plan (YAML).")],
    framework: FrameworkOption = None,
    force: Annotated[bool, force_option("Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter plan: every output in scope, leads from the framework."""
    from missionplan.export.run import write_starter_plan

    loaded = write_starter_plan(plan_file, framework, force)
    typer.echo(
        f"Wrote {plan_file}: {len(loaded.outputs)} outputs, {len(loaded.components)} components."
    )
    typer.echo(f"Edit it, then run: missionplan export {plan_file} --out workbooks/")


@app.command()
def schema(
    plan: Annotated[
        Path | None, plan_option("A plan file: list its components as the allowed values.")
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show the planning-sheet contract: columns, types, required fields, allowed values."""
    from missionplan.planning.plan import plan_contract
    from missionplan.schema.describe import contract_table

    data = plan_contract(plan, framework)
    _render(format, lambda: data, lambda: contract_table(data))


@app.command()
def export(
    plan_file: Annotated[
        Path,
        typer.Argument(help="The plan settings (YAML), from 'missionplan init'.", dir_okay=False),
    ],
    out: Annotated[
        Path, out_option("Folder for the workbooks (created when missing).", folder=True)
    ],
    component: Annotated[
        list[str] | None,
        typer.Option("--component", help="Only this component's workbook (repeatable)."),
    ] = None,
    all_outputs: Annotated[
        bool,
        typer.Option("--all", help="Also write the master workbook with every in-scope output."),
    ] = False,
    password: Annotated[
        str | None,
        typer.Option("--password", help="Protect the sheets with this password (none by default)."),
    ] = None,
    force: Annotated[bool, force_option("Overwrite existing workbooks.")] = False,
    framework: FrameworkOption = None,
) -> None:
    """Write one planning workbook per component that leads or supports an in-scope output."""
    from missionplan.export.run import export_plan

    done = export_plan(
        plan_file,
        out,
        framework_file=framework,
        codes=component,
        master=all_outputs,
        password=password,
        force=force,
        progress=_progress("Exporting"),
    )
    for path in done.paths:
        typer.echo(f"wrote {path}")
    count = len(done.paths)
    typer.echo(f"{count} workbook{'s' if count != 1 else ''} for plan {done.plan.id} in {out}")


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Returned workbooks (.xlsx), or folders of them, to check."),
    ] = None,
    plan: Annotated[
        Path | None, plan_option("The plan file: also check each workbook belongs to it.")
    ] = None,
    format: FormatOption = Format.text,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="Write annotated copies (comments, highlights, a Findings sheet) here.",
            file_okay=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings also make a file invalid (exit 1).")
    ] = False,
    details: Annotated[
        bool,
        typer.Option(
            "--details", help="With several files, list every finding, not one line per file."
        ),
    ] = False,
    codes: Annotated[
        bool, typer.Option("--codes", help="List every finding code and exit.")
    ] = False,
    force: Annotated[bool, force_option("Overwrite existing annotated copies.")] = False,
    framework: FrameworkOption = None,
) -> None:
    """Check returned workbooks: structure, completeness, values, consistency.

    Exit code 0: valid (warnings allowed unless --strict); 1: errors found;
    2: a file could not be read, or wrong usage.
    """
    if codes:
        from missionplan.schema.findings import catalogue_text

        typer.echo(catalogue_text())
        return
    if not files:
        raise MissionplanError("give one or more workbooks to validate (or --codes for the list)")
    from missionplan.validate.run import validate_paths

    run = validate_paths(
        files,
        plan_file=plan,
        framework_file=framework,
        annotate_dir=annotate,
        force=force,
        progress=_progress("Validating"),
    )
    for path in run.annotated:
        typer.echo(f"annotated copy: {path}", err=format is Format.json)
    _render(format, run.as_data, lambda: run.text(details, _style()))
    raise typer.Exit(run.exit_code(strict))


@app.command()
def merge(
    files: Annotated[
        list[Path], typer.Argument(help="Returned workbooks (.xlsx), or folders of them, to merge.")
    ],
    out: Annotated[Path, out_option("The merged plan workbook to write.", folder=False)],
    plan: Annotated[
        Path | None,
        plan_option("The plan file: refuse other plans, and list who did not submit."),
    ] = None,
    include_invalid: Annotated[
        bool,
        typer.Option(
            "--include-invalid", help="Merge files with errors too, marking their rows unvalidated."
        ),
    ] = False,
    force: Annotated[bool, force_option("Overwrite the merged plan if it exists.")] = False,
    framework: FrameworkOption = None,
) -> None:
    """Merge returned workbooks into one mission plan with its conflicts and gaps."""
    from missionplan.merge.run import merge_paths

    outcome = merge_paths(
        files,
        out,
        plan_file=plan,
        framework_file=framework,
        include_invalid=include_invalid,
        force=force,
        progress=_progress("Merging"),
    )
    for file, what in outcome.input_lines():
        typer.echo(f"{Path(file).name}: {what}")
    typer.echo(outcome.summary(out))


DEMO_FOLDER = Path("demo-output")


@app.command()
def demo(
    out: Annotated[Path, out_option("Folder for the demo's files.", folder=True)] = DEMO_FOLDER,
    force: Annotated[bool, force_option("Replace the folder's contents.")] = False,
) -> None:
    """Run the whole cycle on the built-in framework: plan, export, submissions, validate, merge."""
    from missionplan.demo.run import run_demo

    run_demo(out, force, typer.echo)


# --- rendering -----------------------------------------------------------------------------


def _render(format: Format, data: Callable[[], object], text: Callable[[], str]) -> None:
    """JSON for tools or text for people on stdout; only the one asked for is built."""
    if format is Format.json:
        typer.echo(json.dumps(data(), indent=2, ensure_ascii=False))
    else:
        typer.echo(text())


def _style():  # type: ignore[no-untyped-def]
    """Colours when standard output is a terminal."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return lambda text, _: text
    return lambda text, colour: typer.style(
        text, fg=None if colour == "bold" else colour, bold=colour == "bold"
    )


def _progress(label: str):  # type: ignore[no-untyped-def]
    """A progress bar on stderr when it is a terminal; nothing otherwise."""

    def wrap(things):  # type: ignore[no-untyped-def]
        things = list(things)
        if len(things) < 3 or not sys.stderr.isatty():
            yield from things
            return
        with typer.progressbar(things, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


def main() -> None:
    """Entry point: run the app; Ctrl-C and a bug also end in one line and an exit code.

    A user error never reaches here: the app itself turns it into its message and code.
    """
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(_error("interrupted", 130)) from None
    except Exception as error:
        if os.environ.get("MISSIONPLAN_DEBUG"):
            raise
        raise SystemExit(
            _error(
                f"unexpected {type(error).__name__}: {error}. "
                "Please report this; set MISSIONPLAN_DEBUG=1 to see the details.",
                3,
            )
        ) from None
