"""`missionplan catalog` and `missionplan schema`: what the planning unit reads to write a plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from missionplan.terminal.options import Format, FormatOption, FrameworkOption, plan_option
from missionplan.terminal.output import render


def catalog(
    output: Annotated[
        str | None,
        typer.Argument(help="An output id (e.g. 4.2) to show in full.", metavar="OUTPUT"),
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show the framework: objectives and outputs, or one output in full.

    \b
    Examples:
      missionplan catalog
      missionplan catalog 4.2
      missionplan catalog --format json > framework.json
    """
    from missionplan.planning.catalog import load_catalog

    shown = load_catalog(framework, output)
    render(format, shown.as_data, shown.text)


def schema(
    plan: Annotated[
        Path | None, plan_option("A plan file: list its components as the allowed values.")
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show the planning-sheet contract: columns, types, required fields, allowed values.

    \b
    Examples:
      missionplan schema
      missionplan schema --plan plan.yaml --format json
    """
    from missionplan.planning.plan import plan_contract
    from missionplan.schema.describe import contract_table

    data = plan_contract(plan, framework)
    render(format, lambda: data, lambda: contract_table(data))
