"""The `missionplan` command line.

Only typer and the standard library are imported here: pandas, pandera and
openpyxl are imported inside the commands that use them, so `--help`,
`--version` and `catalog` start fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from missionplan import __version__
from missionplan.errors import MissionplanError

app = typer.Typer(
    name="missionplan",
    help="Planning workbooks for UN peace operations: distribute, validate and merge.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
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
        typer.Option("--version", help="Show the version and exit.", callback=_version, is_eager=True),
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
    from missionplan.catalog import catalog_json, catalog_table, output_detail
    from missionplan.framework import load_framework

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
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("MISSIONPLAN_DEBUG"):
            raise
        fail(
            f"unexpected {type(error).__name__}: {error}. "
            "Please report this; set MISSIONPLAN_DEBUG=1 to see the details.",
            3,
        )
