"""`missionplan merge`: one mission plan from the workbooks that came back."""

from __future__ import annotations

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

REFUSED_EXIT_CODE = 1


def merge(
    out: Annotated[Path, out_option("The merged plan workbook to write.", folder=False)],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Returned workbooks (.xlsx), or folders of them, to merge; none: the current "
            "submissions in the plan's register.",
            metavar="FILE.xlsx|DIR",
            show_default=False,
        ),
    ] = None,
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
    allow_refused: Annotated[
        bool,
        typer.Option(
            "--allow-refused",
            help="Exit 0 even when some inputs were refused (the plan is written either way).",
        ),
    ] = False,
    force: Annotated[bool, force_option("Overwrite the merged plan if it exists.")] = False,
    period: PeriodOption = None,
    merged: Annotated[
        str | None,
        from_option(
            "With review workbooks or --period: the merged plan they were exported from, which "
            "says who was given one and did not report; 'register': the last merge recorded "
            "(the default with --period)."
        ),
    ] = None,
    framework: FrameworkOption = None,
    format: FormatOption = Format.text,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Merge returned workbooks into one mission plan with its conflicts and gaps.

    Without files, the current submission of each component in the plan's register (see
    `missionplan collect`) is merged, and the merge is recorded there; with --period, the
    current review of each component for that quarter makes a performance report.

    The report and the merged plan's words are in --lang, else the plan's `language:`, else
    English; values are stored by key in every language.

    Exit code 0: merged; 1: merged, but some inputs were refused or not merged (see why on
    their lines; --allow-refused accepts that); 2: nothing could be merged, or wrong usage.

    \b
    Examples:
      missionplan merge returned/ --plan plan.yaml --out mission-plan.xlsx
      missionplan merge returned/ -p plan.yaml -o mission-plan.xlsx --include-invalid
      missionplan merge --plan plan.yaml --out mission-plan.xlsx        # from the register
      missionplan merge -p plan.yaml --period 2027-Q2 -o performance-2027-Q2.xlsx
    """
    from missionplan.planning.plan import plan_language
    from missionplan.schema.language import speaking

    with speaking(spoken(lang, plan_language(plan) if plan else None)):
        if period is not None or merged is not None:
            left_out = _merge_review(out, files, plan, include_invalid, force, framework,
                                     format, db, period, merged)  # fmt: skip
        else:
            left_out = _merge(out, files, plan, include_invalid, force, framework, format, db)
    if left_out and not allow_refused:
        raise typer.Exit(REFUSED_EXIT_CODE)


def _merge_review(
    out: Path,
    files: list[Path] | None,
    plan: Path | None,
    include_invalid: bool,
    force: bool,
    framework: Path | None,
    format: Format,
    db: str | None,
    period: str | None,
    merged: str | None,
) -> bool:
    """A review round with --period (from the register) or --from (who was asked to report)."""
    if files and period is not None:
        raise MissionplanError(
            "--period merges a review round from the register: give no files (or leave out "
            "--period to merge the review workbooks given)"
        )
    if plan is None:
        raise MissionplanError("give --plan PLAN.yaml: the plan the review round belongs to")
    if period is None and (not files or not _is_review_round(files)):
        raise MissionplanError("--from is used with review workbooks or --period YEAR-QN")
    if period is not None:
        from missionplan.merge.registered import merge_review_register

        registered = merge_review_register(
            plan, out, period, db, framework, include_invalid, force, merged
        )
        render(format, lambda: registered.as_data(out), lambda: registered.text(out))
        return bool(registered.left_out)
    from missionplan.merge.reviews import merge_reviews

    assert files is not None
    review = merge_reviews(files, out, plan, framework, include_invalid, force, merged, db)
    render(format, lambda: review.as_data(out), lambda: review.text(out))
    return bool(review.left_out)


def _merge(
    out: Path,
    files: list[Path] | None,
    plan: Path | None,
    include_invalid: bool,
    force: bool,
    framework: Path | None,
    format: Format,
    db: str | None,
) -> bool:
    """The command in the language already chosen: merge, report; whether inputs were left out."""
    if not files:
        if plan is None:
            raise MissionplanError(
                "give the workbooks to merge, or --plan PLAN.yaml to merge from its register"
            )
        from missionplan.merge.registered import merge_register

        registered = merge_register(
            plan, out, db, framework, include_invalid, force, progress("Merging")
        )
        render(format, lambda: registered.as_data(out), lambda: registered.text(out))
        return bool(registered.outcome.left_out)
    if _is_review_round(files):  # a quarterly review round: the performance report
        from missionplan.merge.reviews import merge_reviews

        review = merge_reviews(files, out, plan, framework, include_invalid, force)
        render(format, lambda: review.as_data(out), lambda: review.text(out))
        return bool(review.left_out)
    from missionplan.merge.run import merge_paths

    outcome = merge_paths(
        files,
        out,
        plan_file=plan,
        framework_file=framework,
        include_invalid=include_invalid,
        force=force,
        progress=progress("Merging"),
    )
    render(format, lambda: outcome.as_data(out), lambda: outcome.text(out))
    return bool(outcome.left_out)


def _is_review_round(paths: list[Path]) -> bool:
    """Whether the inputs are review workbooks (the first readable one says so).

    Here, not with the review's merge: a planning merge need not import that."""
    from missionplan.schema.review import REVIEW_KIND
    from missionplan.workbook.files import workbooks_in
    from missionplan.workbook.review import workbook_kind

    for path in workbooks_in(paths):
        try:
            return workbook_kind(path) == REVIEW_KIND
        except MissionplanError:
            continue
    return False
