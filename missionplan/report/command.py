"""`missionplan report`: the review pack, one HTML file of the merged plan for leadership."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from missionplan.terminal.options import (
    DbOption,
    LangOption,
    force_option,
    out_option,
    plan_option,
    spoken,
)
from missionplan.terminal.output import say


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from None


def report(
    merged: Annotated[
        Path,
        typer.Argument(
            help="The merged mission plan (missionplan merge).",
            metavar="MISSION-PLAN.xlsx",
            dir_okay=False,
        ),
    ],
    out: Annotated[Path, out_option("Write the report here.", folder=False, suffix=".html")],
    plan: Annotated[
        Path | None, plan_option("The plan file: adds the register's submission board.")
    ] = None,
    db: DbOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="An earlier merged plan: the report lists what changed since.",
            metavar="OLD.xlsx",
            dir_okay=False,
        ),
    ] = None,
    reviews: Annotated[
        list[Path] | None,
        typer.Option(
            "--reviews",
            help="Returned review workbooks, or folders of them, of one or more quarters "
            "(repeat it): adds the performance review's traffic lights and their trend.",
            metavar="PATH",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="The date the report is as of (YYYY-MM-DD); default today, kept within "
            "the planning period.",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    force: Annotated[bool, force_option("Overwrite the --out file if it exists.")] = False,
    lang: LangOption = None,
) -> None:
    """Write the review pack: one HTML file of the merged plan, readable offline and printable.

    Headline figures, the submission board (with --plan, when a register exists), coverage
    of outputs by components, a timeline of activities with dependencies and critical chains,
    the risk heat map, the gaps and conflicts, what changed since --baseline, and the
    performance review's traffic lights and trend (with --reviews). The file
    needs no network and no script: send it as an email attachment, print it on A4 landscape.

    Its words are in --lang, else the `language:` of the plan given with --plan, else the
    merged plan's own language; ids, codes and the workbooks' texts are the same in each.

    \b
    Examples:
      missionplan report mission-plan.xlsx --out report.html
      missionplan report mission-plan.xlsx -p plan.yaml --baseline plan-2026Q4.xlsx -o pack.html
      missionplan report mission-plan.xlsx -p plan.yaml --reviews q2/ --reviews q3/ -o pack.html
      missionplan report mission-plan.xlsx --lang fr -o dossier.html
    """
    from missionplan.planning.plan import plan_language
    from missionplan.report.run import report_paths

    language = spoken(lang) if lang else plan_language(plan) if plan else None
    found = report_paths(merged, out, plan, db, baseline, _day(today), force, reviews=reviews,
                         language=language)  # fmt: skip
    say(found.text())
