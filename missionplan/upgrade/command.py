"""`missionplan upgrade`: carry a workbook of an earlier plan or template into the current one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from missionplan.terminal.options import (
    Format,
    FormatOption,
    FrameworkOption,
    LangOption,
    force_option,
    out_option,
    plan_option,
    spoken,
)
from missionplan.terminal.output import render


def upgrade(
    old: Annotated[
        Path,
        typer.Argument(
            help="The workbook filled on an earlier plan or template (.xlsx).",
            metavar="OLD.xlsx",
            dir_okay=False,
        ),
    ],
    plan: Annotated[Path, plan_option("The current plan settings (YAML).")],
    out: Annotated[
        Path, out_option("Folder for the upgraded workbook (created when missing).", folder=True)
    ],
    force: Annotated[bool, force_option("Overwrite an existing workbook.")] = False,
    framework: FrameworkOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Carry a workbook's values into the current plan's template, item by item.

    For a workbook that validate, collect and merge refuse because it was filled on an
    earlier version of the plan (or an older template): the values move by item id into
    the component's workbook of the current plan. What could not be carried (an output
    now out of scope, a column that no longer exists) is listed here and on the new
    workbook's 'Not carried' sheet. The old file is never modified.

    \b
    Examples:
      missionplan upgrade returned/UNPOL-old.xlsx --plan plan.yaml --out upgraded/
      missionplan upgrade old.xlsx -p plan.yaml -o upgraded/ --format json
    """
    from missionplan.planning.plan import plan_language
    from missionplan.schema.language import speaking
    from missionplan.upgrade.run import upgrade_workbook

    with speaking(spoken(lang, plan_language(plan))):
        done = upgrade_workbook(old, plan, out, framework, force)
    render(format, done.as_data, done.text)
