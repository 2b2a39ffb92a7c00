"""`missionplan init` and `missionplan export`: write the plan, then distribute its workbooks."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from missionplan.schema.text import counted
from missionplan.terminal.options import (
    Format,
    FormatOption,
    FrameworkOption,
    LangOption,
    force_option,
    from_option,
    out_option,
    spoken,
)
from missionplan.terminal.output import progress, render

PASSWORD_VARIABLE = "MISSIONPLAN_PASSWORD"
STANDARD_OUTPUT = Path("-")


def init(
    plan_file: Annotated[
        Path,
        typer.Argument(
            help="Where to write the starter plan (YAML); - for standard output.",
            metavar="PLAN.yaml",
        ),
    ],
    framework: FrameworkOption = None,
    force: Annotated[bool, force_option("Overwrite an existing file.")] = False,
    format: FormatOption = Format.text,
) -> None:
    """Write a commented starter plan: every output in scope, leads from the framework.

    \b
    Examples:
      missionplan init plan.yaml
      missionplan init - > plan.yaml
    """
    if plan_file == STANDARD_OUTPUT:
        from missionplan.planning.framework import load_framework
        from missionplan.planning.plan import starter_plan_text

        sys.stdout.write(starter_plan_text(load_framework(framework)))
        return
    from missionplan.export.run import write_starter_plan

    loaded = write_starter_plan(plan_file, framework, force)
    render(
        format,
        lambda: {
            "path": str(plan_file),
            "outputs": len(loaded.outputs),
            "components": len(loaded.components),
        },
        lambda: (
            f"Wrote {plan_file}: {len(loaded.outputs)} outputs, "
            f"{len(loaded.components)} components.\n"
            f"Edit it, then run: missionplan export {plan_file} --out workbooks/"
        ),
    )


def export(
    plan_file: Annotated[
        Path,
        typer.Argument(
            help="The plan settings (YAML), from 'missionplan init'.",
            dir_okay=False,
            metavar="PLAN.yaml",
        ),
    ],
    out: Annotated[
        Path, out_option("Folder for the workbooks (created when missing).", folder=True)
    ],
    component: Annotated[
        list[str] | None,
        typer.Option(
            "--component",
            "-c",
            help="Only this component's workbook (repeatable).",
            metavar="CODE",
        ),
    ] = None,
    all_outputs: Annotated[
        bool,
        typer.Option("--all", help="Also write the master workbook with every in-scope output."),
    ] = False,
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help=(
                "Protect the sheets with a password: asked for without showing it, "
                f"or taken from {PASSWORD_VARIABLE}."
            ),
        ),
    ] = False,
    force: Annotated[bool, force_option("Overwrite existing workbooks.")] = False,
    parent: Annotated[
        str | None,
        from_option(
            "Re-issue for the next round, pre-filled from this merged plan (.xlsx), or "
            "from the last merge a register recorded: 'register' (the plan's), or its "
            "database file or URL."
        ),
    ] = None,
    framework: FrameworkOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.text,
    review: Annotated[
        str | None,
        typer.Option(
            "--review",
            help="Write review workbooks for this quarter (e.g. 2027-Q2) from the --from plan.",
            metavar="PERIOD",
        ),
    ] = None,
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="With --review: last period's returned review workbooks (or a folder), "
            "whose answers pre-fill the new ones (repeatable).",
            metavar="FILE.xlsx|DIR",
        ),
    ] = None,
) -> None:
    """Write one planning workbook per component that leads or supports an in-scope output.

    With --from, the workbooks of the next round: each pre-filled with the merged plan's
    values for its items; items that fit nowhere under the plan are listed.

    The sheets are protected without a password unless --password is given or
    MISSIONPLAN_PASSWORD is set; a password is never typed on the command line, where the
    shell history and other users' process lists would show it.

    \b
    Examples:
      missionplan export plan.yaml --out workbooks/
      missionplan export plan.yaml -o workbooks/ -c UNPOL -c HRS --password
      missionplan export plan.yaml -o classeurs/ --lang fr
      missionplan export plan.yaml --from mission-plan.xlsx --out round2/
      missionplan export plan.yaml --from register --out round2/
      missionplan export plan.yaml --from mission-plan.xlsx --review 2027-Q2 -o review/
    """
    from missionplan.planning.plan import plan_language
    from missionplan.schema.language import speaking, translate

    if review is not None:
        from_plan = Path(parent) if parent is not None else None
        with speaking(spoken(lang, plan_language(plan_file))):
            _export_review(plan_file, out, from_plan, review, component, password, force,
                           framework, format, previous)  # fmt: skip
        return
    if previous:
        from missionplan.errors import MissionplanError

        raise MissionplanError("--previous is used with --review PERIOD")
    from missionplan.export.run import export_plan, reissue_plan

    with speaking(spoken(lang, plan_language(plan_file))):
        secret, bar = sheet_password(password), progress("Exporting")
        if parent is None:
            done = export_plan(
                plan_file, out, framework, component, all_outputs, secret, force, bar
            )
        else:
            done = reissue_plan(
                plan_file, parent, out, framework, component, all_outputs, secret, force, bar
            )
        count = len(done.paths)
        carried = done.reissue.carried if done.reissue else {}
        render(
            format,
            done.as_data,
            lambda: "\n".join(
                [
                    *(
                        translate("wrote {path}").format(path=path)
                        + (
                            translate(" ({rows} carried)").format(
                                rows=counted(carried[code], "row")
                            )
                            if done.reissue
                            else ""
                        )
                        for path, code in zip(done.paths, done.codes, strict=True)
                    ),
                    *(done.reissue.text_lines() if done.reissue else []),
                    translate("{workbooks} for plan {plan} in {folder}").format(
                        workbooks=counted(count, "workbook"), plan=done.plan.id, folder=out
                    ),
                ]
            ),
        )


def _export_review(
    plan_file: Path,
    out: Path,
    from_plan: Path | None,
    review: str,
    component: list[str] | None,
    password: bool,
    force: bool,
    framework: Path | None,
    format: Format,
    previous: list[Path] | None = None,
) -> None:
    """`export --review PERIOD --from MISSION-PLAN.xlsx`: one review workbook per component."""
    from missionplan.errors import MissionplanError
    from missionplan.export.review import export_review
    from missionplan.schema.language import translate

    if from_plan is None:
        raise MissionplanError("--review needs --from MISSION-PLAN.xlsx, the merged plan to review")
    done = export_review(
        plan_file, from_plan, review, out, framework, component, sheet_password(password),
        force, progress("Exporting"), previous,
    )  # fmt: skip
    render(
        format,
        done.as_data,
        lambda: "\n".join(
            [
                *(translate("wrote {path}").format(path=path) for path in done.paths),
                translate("{workbooks} for {period} in {folder}").format(
                    workbooks=counted(len(done.paths), "review workbook"), period=review, folder=out
                ),
            ]
        ),
    )


def sheet_password(asked: bool) -> str | None:
    """The protection password: MISSIONPLAN_PASSWORD, else a hidden prompt when asked for."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    if not asked:
        return None
    typed: str = typer.prompt("Password for the sheets", hide_input=True, confirmation_prompt=True)
    return typed or None
