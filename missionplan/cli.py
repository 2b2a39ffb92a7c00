"""The `missionplan` command line.

Only typer and the standard library are imported here: pandas, pandera and
openpyxl are imported inside the commands that use them, so `--help`,
`--version` and `catalog` start fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from missionplan import __version__
from missionplan.errors import MissionplanError
from missionplan.workbook.files import workbooks_in


class _Commands(typer.core.TyperGroup):
    """Turns a user error into its message and exit code, also when the app is called directly."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MissionplanError as error:
            typer.echo(f"missionplan: error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None


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


FrameworkOption = Annotated[
    Path | None,
    typer.Option(
        "--framework",
        help="A framework YAML file; the built-in Considerations framework when omitted.",
        dir_okay=False,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="text for people, json for tools.")]


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
    from missionplan.planning.catalog import catalog_json, catalog_table, output_detail
    from missionplan.planning.framework import load_framework

    loaded = load_framework(framework)
    if output is None:
        if format is Format.json:
            _print_json(catalog_json(loaded))
        else:
            typer.echo(catalog_table(loaded))
        return
    found = loaded.output(output)
    if found is None:
        known = ", ".join(o.id for o in loaded.outputs)
        raise MissionplanError(f"no output '{output}' in the framework; outputs are: {known}")
    if format is Format.json:
        from dataclasses import asdict

        _print_json(asdict(found))
    else:
        typer.echo(output_detail(loaded, found))


@app.command()
def init(
    plan_file: Annotated[Path, typer.Argument(help="Where to write the starter plan (YAML).")],
    framework: FrameworkOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter plan: every output in scope, leads from the framework."""
    from missionplan.planning.framework import load_framework
    from missionplan.planning.plan import starter_plan_text
    from missionplan.workbook.files import ensure_writable, write_atomically

    loaded = load_framework(framework)
    ensure_writable(plan_file, force)
    body = starter_plan_text(loaded)
    write_atomically(plan_file, lambda temp: _write_text(temp, body))
    typer.echo(
        f"Wrote {plan_file}: {len(loaded.outputs)} outputs, {len(loaded.components)} components."
    )
    typer.echo(f"Edit it, then run: missionplan export {plan_file} --out workbooks/")


@app.command()
def schema(
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="A plan file: list its components as the allowed values.", dir_okay=False
        ),
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show the planning-sheet contract: columns, types, required fields, allowed values."""
    from missionplan.schema.contract import contract_as_data
    from missionplan.schema.describe import contract_table

    codes = _plan_component_codes(plan, framework) if plan else None
    data = contract_as_data(codes)
    if format is Format.json:
        _print_json(data)
    else:
        typer.echo(contract_table(data))


def _write_text(path: Path, body: str) -> None:
    path.write_text(body, encoding="utf-8")


def _plan_component_codes(plan_file: Path, framework: Path | None) -> tuple[str, ...]:
    from missionplan.planning.framework import load_framework
    from missionplan.planning.plan import load_plan

    loaded = load_plan(plan_file, load_framework(framework))
    return tuple(c.code for c in loaded.components)


@app.command()
def export(
    plan_file: Annotated[
        Path,
        typer.Argument(help="The plan settings (YAML), from 'missionplan init'.", dir_okay=False),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder for the workbooks (created when missing).", file_okay=False
        ),
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
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing workbooks.")] = False,
    framework: FrameworkOption = None,
) -> None:
    """Write one planning workbook per component that leads or supports an in-scope output."""
    from missionplan.export.run import export_workbooks
    from missionplan.planning.framework import load_framework
    from missionplan.planning.plan import load_plan

    loaded = load_framework(framework)
    plan = load_plan(plan_file, loaded)
    paths = export_workbooks(
        loaded, plan, out, component, all_outputs, password, force, progress=_progress("Exporting")
    )
    for path in paths:
        typer.echo(f"wrote {path}")
    typer.echo(f"{len(paths)} workbook{'s' if len(paths) != 1 else ''} for plan {plan.id} in {out}")


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Returned workbooks (.xlsx), or folders of them, to check."),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="The plan file: also check each workbook belongs to it.", dir_okay=False
        ),
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
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing annotated copies.")
    ] = False,
    framework: FrameworkOption = None,
) -> None:
    """Check returned workbooks: structure, completeness, values, consistency.

    Exit code 0: valid (warnings allowed unless --strict); 1: errors found;
    2: a file could not be read, or wrong usage.
    """
    from missionplan.schema.findings import catalogue_text

    if codes:
        typer.echo(catalogue_text())
        return
    if not files:
        raise MissionplanError("give one or more workbooks to validate (or --codes for the list)")
    from missionplan.validate.report import report_text, summary_line, total_line
    from missionplan.validate.run import validate_files

    loaded_plan = None
    if plan is not None:
        from missionplan.planning.framework import load_framework
        from missionplan.planning.plan import load_plan

        loaded_plan = load_plan(plan, load_framework(framework))
    results = validate_files(workbooks_in(files), loaded_plan, progress=_progress("Validating"))
    reports = [report for report, _ in results]
    if annotate is not None:
        from missionplan.validate.annotation import annotate_files

        for path in annotate_files(results, annotate, force):
            typer.echo(f"annotated copy: {path}", err=format is Format.json)
    if format is Format.json:
        _print_json({"files": [r.as_data() for r in reports]})
    else:
        style = _style()
        for report in reports:
            if len(reports) == 1 or details:
                typer.echo(report_text(report, style))
            else:
                typer.echo(summary_line(report, style))
        if len(reports) > 1:
            typer.echo(total_line(reports))
    if any(r.unreadable for r in reports):
        raise SystemExit(2)
    if any(r.errors or (strict and r.warnings) for r in reports):
        raise SystemExit(1)


@app.command()
def merge(
    files: Annotated[
        list[Path], typer.Argument(help="Returned workbooks (.xlsx), or folders of them, to merge.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The merged plan workbook to write.", dir_okay=False)
    ],
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="The plan file: refuse other plans, and list who did not submit.",
            dir_okay=False,
        ),
    ] = None,
    include_invalid: Annotated[
        bool,
        typer.Option(
            "--include-invalid", help="Merge files with errors too, marking their rows unvalidated."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the merged plan if it exists.")
    ] = False,
    framework: FrameworkOption = None,
) -> None:
    """Merge returned workbooks into one mission plan with its conflicts and gaps."""
    from missionplan.merge.run import merge_files
    from missionplan.planning.framework import load_framework

    loaded = load_framework(framework)
    loaded_plan = None
    if plan is not None:
        from missionplan.planning.plan import load_plan

        loaded_plan = load_plan(plan, loaded)
    outcome = merge_files(
        workbooks_in(files),
        loaded,
        out,
        loaded_plan,
        include_invalid,
        force,
        progress=_progress("Merging"),
    )
    for file, what in outcome.input_lines():
        typer.echo(f"{Path(file).name}: {what}")
    merged = outcome.merged
    typer.echo(
        f"Wrote {out}: {len(merged.items)} items from {len(outcome.accepted)} submissions, "
        f"{len(merged.conflicts)} conflicts, {len(merged.gaps)} gaps."
    )


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the demo's files.", file_okay=False)
    ] = Path("demo-output"),
    force: Annotated[bool, typer.Option("--force", help="Replace the folder's contents.")] = False,
) -> None:
    """Run the whole cycle on the built-in framework: plan, export, submissions, validate, merge."""
    from missionplan.demo.run import run_demo

    run_demo(out, force, typer.echo)


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


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line (or short) error for a person and exit."""
    typer.echo(f"missionplan: error: {message}", err=True)
    raise SystemExit(code)


def main() -> None:
    """Entry point: run the app, turning every error into a message and an exit code."""
    try:
        app()
    except MissionplanError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Exception as error:
        if os.environ.get("MISSIONPLAN_DEBUG"):
            raise
        fail(
            f"unexpected {type(error).__name__}: {error}. "
            "Please report this; set MISSIONPLAN_DEBUG=1 to see the details.",
            3,
        )
