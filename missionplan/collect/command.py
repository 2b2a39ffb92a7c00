"""`missionplan collect`, `status` and `history`: the register, filled and read."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer

from missionplan.errors import MissionplanError
from missionplan.terminal.options import (
    DbOption,
    Format,
    FormatOption,
    FrameworkOption,
    LangOption,
    PeriodOption,
    force_option,
    from_option,
    out_option,
    plan_option,
    spoken,
)
from missionplan.terminal.output import progress, render


def collect(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Returned workbooks (.xlsx), or folders of them (e.g. where attachments are "
            "saved).",
            metavar="FILE.xlsx|DIR",
        ),
    ],
    plan: Annotated[
        Path | None, plan_option("The plan file the workbooks were exported from (required).")
    ] = None,
    db: DbOption = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
    lang: LangOption = None,
) -> None:
    """Collect returned workbooks into the register: checked, validated, kept exactly.

    The same file twice is one entry; a newer file of a component supersedes the older
    one; nothing is deleted. Exit code 0: collected (or already there); 1: a collected
    file is invalid; 2: a file could not be read or was refused, or wrong usage.
    Lines and findings are in --lang, else the plan's `language:`, else English.

    \b
    Examples:
      missionplan collect returned/ --plan plan.yaml
      missionplan collect ~/Downloads/*.xlsx -p plan.yaml --db postgresql://ipu@db/plans
    """
    from missionplan.collect.run import collect_paths

    with _speaking(lang, _needed(plan)):
        run = collect_paths(files, _needed(plan), db, framework, progress("Collecting"))
        render(format, run.as_data, run.text)
    raise typer.Exit(run.exit_code())


def status(
    plan: Annotated[
        Path | None, plan_option("The plan file: who is expected, and by when (required).")
    ] = None,
    db: DbOption = None,
    round: Annotated[
        int | None,
        typer.Option("--round", help="Another round than the plan's current one.", metavar="N"),
    ] = None,
    period: PeriodOption = None,
    merged: Annotated[
        str | None,
        from_option(
            "With --period: the merged plan its review workbooks were exported from, which "
            "says who was given one; 'register' (the default): the last merge it recorded."
        ),
    ] = None,
    reminders: Annotated[
        Path | None,
        typer.Option(
            "--reminders",
            help="Write a ready-to-send reminder here for each component missing or invalid.",
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    force: Annotated[bool, force_option("Overwrite existing reminders.")] = False,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
    lang: LangOption = None,
) -> None:
    """The status board: who returned what, valid or not, on time, late or missing.

    With --period, the board of a quarterly review round. Its lines are in --lang, else the
    plan's `language:`, else English.

    \b
    Examples:
      missionplan status --plan plan.yaml
      missionplan status -p plan.yaml --reminders reminders/
      missionplan status -p plan.yaml --period 2027-Q2 --from mission-plan.xlsx
    """
    from missionplan.collect.status import status as board

    if merged is not None and period is None:
        raise MissionplanError("--from is used with --period YEAR-QN")
    with _speaking(lang, _needed(plan)):
        run = board(
            _needed(plan), db, round, reminders, force, framework, period=period,
            merged_file=merged,
        )  # fmt: skip
        render(format, run.as_data, run.text)


def history(
    component: Annotated[
        str, typer.Argument(help="The component's code, e.g. UNPOL.", metavar="COMPONENT")
    ],
    plan: Annotated[
        Path | None, plan_option("The plan file: its register and current round (required).")
    ] = None,
    db: DbOption = None,
    extract: Annotated[
        int | None,
        typer.Option(
            "--extract", help="Write the exact bytes of entry N (see the list).", metavar="N"
        ),
    ] = None,
    out: Annotated[Path | None, out_option("Where --extract writes.", folder=False)] = None,
    force: Annotated[bool, force_option("Overwrite the --out file.")] = False,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Every version of a component received, with its state; or one version's exact bytes.

    \b
    Examples:
      missionplan history UNPOL --plan plan.yaml
      missionplan history UNPOL -p plan.yaml --extract 7 --out UNPOL-v1.xlsx
    """
    from missionplan.collect.status import history as versions

    run = versions(_needed(plan), component, db, extract, out, force, framework)
    render(format, run.as_data, run.text)


def _speaking(lang: str | None, plan: Path) -> AbstractContextManager[None]:
    """The words of the lines (and of collect's findings): --lang, else the plan's language."""
    from missionplan.planning.plan import plan_language
    from missionplan.schema.language import speaking

    return speaking(spoken(lang, plan_language(plan)))


def _needed(plan: Path | None) -> Path:
    """The plan file: these commands need it (who is expected; where the register is)."""
    if plan is None:
        raise MissionplanError("give --plan PLAN.yaml: the plan the workbooks belong to")
    return plan
