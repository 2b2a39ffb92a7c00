"""`missionplan validate`: check the workbooks that came back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from missionplan.errors import MissionplanError
from missionplan.schema.language import Language
from missionplan.terminal.options import (
    DbOption,
    Format,
    FormatOption,
    FrameworkOption,
    LangOption,
    force_option,
    plan_option,
    spoken,
)
from missionplan.terminal.output import progress, render, say, settings, style


class StepLine:
    """What a single workbook's validation is doing, on one line of stderr that each
    stage overwrites and the end clears (shown only on a terminal, not with --quiet)."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.width = 0

    def __call__(self, what: str) -> None:
        if self.shown:
            line = f"{what[:1].upper()}{what[1:]}..."
            typer.echo("\r" + line.ljust(self.width), err=True, nl=False)
            self.width = len(line)

    def done(self) -> None:
        if self.shown and self.width:
            typer.echo("\r" + " " * self.width + "\r", err=True, nl=False)
            self.width = 0


def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Returned workbooks (.xlsx), or folders of them, to check.",
            metavar="FILE.xlsx|DIR",
        ),
    ] = None,
    plan: Annotated[
        Path | None, plan_option("The plan file: also check each workbook belongs to it.")
    ] = None,
    format: FormatOption = Format.text,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            "-a",
            help="Write annotated copies (comments, highlights, a Findings sheet) here.",
            file_okay=False,
            metavar="DIR",
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
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Check returned workbooks: structure, completeness, values, consistency.

    Without files, --plan validates the current submission of each component in the
    plan's register (see `missionplan collect`).

    Messages, and the annotated copies, are in --lang, else the plan's `language:`, else
    each workbook's own language; the finding codes are the same in every language.

    Exit code 0: valid (warnings allowed unless --strict); 1: errors found;
    2: a file could not be read, or wrong usage.

    \b
    Examples:
      missionplan validate returned/ --plan plan.yaml
      missionplan validate UNPOL.xlsx --annotate annotated/
      missionplan validate returned/ -f json > findings.json
      missionplan validate --plan plan.yaml                 # the register's current files
      missionplan validate retours/ --plan plan.yaml --lang fr
    """
    from missionplan.schema.language import speaking

    own_language = lang is None and plan is None  # then each workbook speaks its own
    with speaking(spoken(lang, _plan_language(plan))):
        exit_code = _validate(
            files, plan, format, annotate, strict, details, codes, force, framework, db,
            own_language,
        )  # fmt: skip
    raise typer.Exit(exit_code)


def _plan_language(plan: Path | None) -> Language | None:
    """The plan's `language:`, when a plan is given (its models load only then)."""
    if plan is None:
        return None
    from missionplan.planning.plan import plan_language

    return plan_language(plan)


def _validate(
    files: list[Path] | None,
    plan: Path | None,
    format: Format,
    annotate: Path | None,
    strict: bool,
    details: bool,
    codes: bool,
    force: bool,
    framework: Path | None,
    db: str | None,
    own_language: bool,
) -> int:
    """The command in the language already chosen: one library call, then its report."""
    from missionplan.schema.language import translate

    if codes:
        from missionplan.schema.findings import catalogue_text

        typer.echo(catalogue_text())
        return 0
    if not files and plan is not None:
        from missionplan.validate.registered import validate_register

        run = validate_register(plan, db, framework, annotate, force, progress("Validating"))
    elif not files:
        raise MissionplanError(
            "give one or more workbooks to validate, --plan PLAN.yaml to validate its register, "
            "or --codes for the list"
        )
    else:
        from missionplan.validate.run import validate_paths

        steps = StepLine(sys.stderr.isatty() and not settings().quiet)
        try:
            run = validate_paths(
                files,
                plan_file=plan,
                framework_file=framework,
                annotate_dir=annotate,
                force=force,
                progress=progress("Validating"),
                own_language=own_language,
                step=steps,
            )
        finally:
            steps.done()
    for path in run.annotated:
        say(translate("annotated copy: {path}").format(path=path), err=format is Format.json)
    render(format, run.as_data, lambda: run.text(details, style))
    return run.exit_code(strict)
