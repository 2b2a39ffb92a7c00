"""`missionplan diff`: what changed between two contract workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from missionplan.terminal.options import (
    DbOption,
    Format,
    FormatOption,
    LangOption,
    force_option,
    out_option,
    plan_option,
    spoken,
)
from missionplan.terminal.output import render, say


def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The earlier workbook (.xlsx), or a version in the register: COMPONENT@N.",
            metavar="OLD.xlsx",
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="The later workbook (.xlsx), or a version in the register: COMPONENT@N.",
            metavar="NEW.xlsx",
        ),
    ],
    format: FormatOption = Format.text,
    out: Annotated[
        Path | None,
        out_option("Write NEW here with changed cells marked and a Changes sheet.", folder=False),
    ] = None,
    force: Annotated[bool, force_option("Overwrite the --out file if it exists.")] = False,
    plan: Annotated[
        Path | None, plan_option("The plan whose register holds COMPONENT@N versions.")
    ] = None,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Show what changed between two workbooks, item by item: added, removed, moved, edited.

    Works on any two planning workbooks: two versions a component sent, a submission
    against the template it was issued, or two merged plans. Items are matched by their
    id, so inserted rows, sorting and formatting are no change. COMPONENT@N stands for
    entry N of the register (as `missionplan history COMPONENT` lists them). The lines and the
    Changes sheet are in --lang, else the plan's `language:`, else English.

    Exit code 0: no changes; 1: changes; 2: a file could not be read, or wrong usage.

    \b
    Examples:
      missionplan diff UNPOL-v1.xlsx UNPOL-v2.xlsx
      missionplan diff templates/UNPOL.xlsx returned/UNPOL.xlsx -f json > changes.json
      missionplan diff plan-2026Q4.xlsx mission-plan.xlsx --out changes.xlsx
      missionplan diff UNPOL@3 UNPOL@9 --plan plan.yaml
    """
    from missionplan.diff.run import diff_paths
    from missionplan.planning.plan import plan_language
    from missionplan.schema.language import speaking, translate

    with speaking(spoken(lang, plan_language(plan) if plan else None)):
        found = diff_paths(old, new, out, force, plan, db)
        if out is not None:
            marked = translate("changes marked in: {file}").format(file=out)
            say(marked, err=format is Format.json)
        render(format, found.as_data, found.text)
    raise typer.Exit(found.exit_code)
