"""Validate files: read each workbook, make sure it belongs to the plan, collect its report.

The file edge of validation; the rules themselves are in rules.py. `validate_paths` is
`missionplan validate` as one call: the plan, the folders, the reports, the annotated copies.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.schema.contract import CONTRACT_VERSION
from missionplan.schema.language import Language, current_language, speaking, translate
from missionplan.schema.review import REVIEW_KIND
from missionplan.validate.report import Report, Style, plain, report_text, summary_line, total_line
from missionplan.workbook.files import Progress, workbooks_in
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission, read_submission

Step = Callable[[str], None]
"""Told what a single large workbook's validation is doing now (reading, checking, writing),
for the command to show on a terminal."""


def validate_file(
    path: Path,
    plan: Plan | None = None,
    own_language: bool = False,
    step: Step | None = None,
    items: bool = False,
) -> tuple[Report, Submission | None]:
    """The report for one file; an unreadable file gets a report saying why, never a crash.

    With own_language, its findings are in the workbook's language (its `_meta`), not the
    current one: what `validate` does when neither --lang nor --plan says which. `step` is
    told the stages (reading, checking). With items, the submission carries its typed items
    (`Submission.items`, made from the rows validation converted: what merge takes)."""
    try:
        if step:
            step(f"reading {path.name}")
        submission = read_submission(path)
        mismatch = plan_mismatch(submission.meta, plan)
        if mismatch:
            return Report(str(path), unreadable=mismatch), None
        language = submission.meta.language if own_language else current_language()
        if submission.meta.kind == REVIEW_KIND:  # a quarterly review: its own rules
            from missionplan.validate.review import check_review
            from missionplan.workbook.review import read_review

            with speaking(language):
                return check_review(read_review(path))[0], submission
        from missionplan.validate.rules import (  # pandas: only when needed
            validate_submission,
            validate_with_items,
        )

        if step:
            rows = sum(len(sheet.rows) for sheet in submission.sheets)
            step(f"checking {rows:,} rows of {path.name}")
        with speaking(language):
            if not items:
                return validate_submission(submission), submission
            report, typed = validate_with_items(submission)
            return report, replace(submission, items=tuple(typed))
    except MissionplanError as error:
        reason = getattr(error, "reason", None) or str(error)
        return Report(str(path), unreadable=reason), None


@dataclass(frozen=True)
class ValidationRun:
    """The reports of one validation run, in the order of the files, and the copies written."""

    reports: tuple[Report, ...]
    annotated: tuple[Path, ...] = ()

    def exit_code(self, strict: bool = False) -> int:
        """2: a file could not be read; 1: errors (or, strict, warnings); 0: all valid."""
        if any(r.unreadable for r in self.reports):
            return 2
        if any(r.errors or (strict and r.warnings) for r in self.reports):
            return 1
        return 0

    def as_data(self) -> dict[str, Any]:
        """The `--format json` shape: {"files": [report, ...]}."""
        return {"files": [r.as_data() for r in self.reports]}

    def text(self, details: bool = False, style: Style = plain) -> str:
        """One file in full; several one line each (every finding with details) and a total."""
        full = len(self.reports) == 1 or details
        lines = [report_text(r, style) if full else summary_line(r, style) for r in self.reports]
        if len(self.reports) > 1:
            lines.append(total_line(list(self.reports)))
        return "\n".join(lines)


def validate_paths(
    paths: list[Path],
    plan_file: Path | None = None,
    framework_file: Path | None = None,
    annotate_dir: Path | None = None,
    force: bool = False,
    progress: Progress[Path] | None = None,
    own_language: bool = False,
    step: Step | None = None,
) -> ValidationRun:
    """Validate workbooks and folders of them, against the plan file when one is given.

    The framework is loaded only to read the plan. With annotate_dir, an annotated copy of
    each readable file is written there (existing copies only with force). With
    own_language, each file's findings and copy are in the workbook's own language.
    `progress` sees the files; `step` is told the stages when there is a single one.
    """
    plan = load_plan(plan_file, load_framework(framework_file)) if plan_file is not None else None
    files = workbooks_in(paths)
    single = step if len(files) == 1 else None
    if single:
        with uncollected():
            results = [validate_file(files[0], plan, own_language, single)]
    else:
        # the submissions only for the annotated copies: a worker need not send them back
        results = validate_files(
            files, plan, progress, own_language, submissions=annotate_dir is not None
        )
    annotated: list[Path] = []
    if annotate_dir is not None:
        from missionplan.validate.annotation import annotate_files  # openpyxl: only when needed

        if single and results[0][1] is not None:
            single(f"writing the annotated copy of {files[0].name}")

        annotated = annotate_files(results, annotate_dir, force)
    return ValidationRun(tuple(report for report, _ in results), tuple(annotated))


@contextmanager
def uncollected() -> Iterator[None]:
    """Run no cycle collection inside, and give the collector back as it was (also on error).

    Validating and merging keep nearly everything they make (rows, findings, pandas'
    frames, the merged plan's cells) alive until the report or the plan is written, and
    the collector walked that and every loaded module hundreds of times for nothing: a
    tenth of validating 40,000 rows, a fifth of merging and writing. The few cycles they
    leave are freed when the collector runs again, so a longer process (the demo) loses
    nothing. Worker processes forked meanwhile inherit it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            # What was made inside joins the oldest generation without a collection now:
            # the next allocation would otherwise walk it all at once (80 ms at 40k rows)
            # for a process that is about to end. A longer one collects it in its turn.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def validate_files(
    paths: list[Path],
    plan: Plan | None = None,
    progress: Progress[Path] | None = None,
    own_language: bool = False,
    workers: int | None = None,
    items: bool = False,
    submissions: bool = True,
) -> list[tuple[Report, Submission | None]]:
    """Reports for many files, in the order given, going on past bad ones.

    Several files are spread over worker processes (one a core, or `workers`); the
    reports are the same, in the same order, as validating them one after the other.
    With items, each submission carries its typed items (validate_file), and those that
    do come back without their raw rows and expected items (`sheets` and `expected`
    empty): merge, the caller that asks for items, works from the items, the metadata, the
    `_issued` rows and the file's name and saved time, and pickling every raw row of every
    file back from the workers is wasted. Without submissions, the workers send back only
    the reports (each file's submission is None), for the same reason.
    """
    with uncollected():
        return _validate_all(paths, plan, progress, own_language, workers, items, submissions)


def _validate_all(
    paths: list[Path],
    plan: Plan | None,
    progress: Progress[Path] | None,
    own_language: bool,
    workers: int | None,
    items: bool,
    submissions: bool,
) -> list[tuple[Report, Submission | None]]:
    """validate_files, with the collector off."""
    count = min(len(paths), workers if workers is not None else available_cores())
    if count < 2:
        return [
            _validate_speaking(path, plan, own_language, current_language(), items, submissions)
            for path in (progress(paths) if progress else paths)
        ]
    import concurrent.futures
    import multiprocessing

    import missionplan.validate.rules  # noqa: F401  imported once, before the workers fork

    language = current_language()  # said to each worker: a process does not share contexts
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(count, mp_context=context) as pool:
        futures = [
            pool.submit(_validate_speaking, path, plan, own_language, language, items, submissions)
            for path in paths
        ]
        results: list[tuple[Report, Submission | None]] = []
        for path, future in zip(progress(paths) if progress else paths, futures, strict=True):
            try:
                results.append(future.result())
            except concurrent.futures.process.BrokenProcessPool:  # a worker died: as serially
                results.append(
                    _validate_speaking(path, plan, own_language, language, items, submissions)
                )
        return results


def _validate_speaking(
    path: Path,
    plan: Plan | None,
    own_language: bool,
    language: Language,
    items: bool = False,
    submissions: bool = True,
) -> tuple[Report, Submission | None]:
    """validate_file in a worker process, in the language of the command that started it;
    its submission sent back only when wanted, without its raw rows once it has its items."""
    with speaking(language):
        report, submission = validate_file(path, plan, own_language, items=items)
    if not submissions:
        return report, None
    return report, without_rows(submission)


def without_rows(submission: Submission | None) -> Submission | None:
    """The submission to send between processes: once it carries its typed items, without
    its raw rows and expected items, which nothing reads after validation."""
    if submission is not None and submission.items is not None:
        return replace(submission, sheets=(), expected=())
    return submission


WORKERS_VARIABLE = "MISSIONPLAN_WORKERS"
"""How many worker processes validation may use (1: none); by default one a core."""


def available_cores() -> int:
    """The worker processes to use: MISSIONPLAN_WORKERS when set, else the cores we may use."""
    chosen = os.environ.get(WORKERS_VARIABLE, "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def plan_mismatch(meta: WorkbookMeta, plan: Plan | None) -> str:
    """Why a workbook does not belong to this plan or contract version ('' when it does)."""
    if meta.contract_version != CONTRACT_VERSION:
        return translate(
            "made with template version {old}, this missionplan reads version {new}; carry "
            "its entries into the current template with missionplan upgrade FILE --plan "
            "PLAN.yaml --out DIR"
        ).format(old=meta.contract_version, new=CONTRACT_VERSION)
    if plan is None:
        return ""
    if meta.plan_id != plan.id:
        return translate(
            "belongs to plan {old}, not to plan {new} ({mission}); check you have the right "
            "file, or carry its entries into this plan's template with missionplan upgrade "
            "FILE --plan PLAN.yaml --out DIR"
        ).format(old=meta.plan_id, new=plan.id, mission=plan.mission)
    return ""
