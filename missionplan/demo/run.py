"""`missionplan demo`: the whole planning cycle on the built-in framework, with a tour.

A fictional multidimensional mission plans ten outputs; every component
gets its workbook; sample submissions come back (some with typical
mistakes, one component late, one that sends two versions); they are
validated with annotated copies; the valid ones are merged. The tour is told in the
demo's language, as its workbooks are.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from missionplan.collect.run import collect_paths
from missionplan.collect.status import status
from missionplan.demo.checked import Checked, as_typed, as_validated, checked
from missionplan.demo.review import review_round
from missionplan.demo.revision import second_round
from missionplan.demo.samples import AT_MERGE, as_fill, plant_mistakes, sample_values
from missionplan.demo.spread import each_in_workers
from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout
from missionplan.export.run import workbook_name, write_workbook
from missionplan.merge.registered import merge_register
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan, starter_plan_text
from missionplan.report.run import report_paths
from missionplan.schema.contract import Priority
from missionplan.schema.language import ENGLISH, Language, speaking, translate
from missionplan.schema.text import counted
from missionplan.validate.annotation import annotated_copy
from missionplan.validate.report import summary_line
from missionplan.validate.run import validate_file
from missionplan.workbook.cells import save_stamped
from missionplan.workbook.files import ensure_writable
from missionplan.workbook.fill import as_reopened, fill_cells
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.writer import build_workbook

MISSION = "UN Multidimensional Integrated Stabilization Mission in Carana"
MANDATE = "S/RES/9999 (2026), fictional"
START = dt.date(2027, 1, 1)
IN_SCOPE = {"3.1", "3.2", "3.5", "4.1", "4.2", "4.6", "5.1", "5.5", "6.2", "6.5"}
PRIORITIES: dict[str, Priority] = {"3.2": "high", "4.2": "high", "4.6": "high", "6.5": "low"}
DUE_IN = dt.timedelta(days=14)
"""The round's due date, from the day the demo runs; the component that never answers
was due the day before, so the board shows it overdue."""
DAY = dt.timedelta(days=1)


def run_demo(
    out: Path, force: bool, say: Callable[[str], None], language: Language = ENGLISH
) -> None:
    """Run the cycle into `out` and narrate it, the plan and its workbooks in `language`."""
    with speaking(language):
        _run_demo(out, force, say, language)


def _run_demo(out: Path, force: bool, say: Callable[[str], None], language: Language) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            raise MissionplanError(f"{out} is not empty; use --force to replace its contents")
        shutil.rmtree(out)
    folders = {name: out / name for name in ("templates", "submissions", "annotated", "reminders")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    framework = load_framework()
    plan_file = out / "plan.yaml"
    plan_file.write_text(
        starter_plan_text(framework, START, MISSION, MANDATE, IN_SCOPE, PRIORITIES, language),
        encoding="utf-8",
    )
    plan = load_plan(plan_file, framework)
    late = list(plan.participants())[-1]
    today = dt.date.today()
    plan_file.write_text(
        with_due_dates(
            plan_file.read_text(encoding="utf-8"), today + DUE_IN, late.code, today - DAY
        ),
        encoding="utf-8",
    )
    db = f"sqlite:///{(out / 'missionplan.db').absolute()}"  # the default: next to the plan
    say(translate("1. Plan: {file}").format(file=plan_file))
    say(
        "   "
        + translate("{mission}, {start} to {end}, plan id {plan}").format(
            mission=plan.mission, start=plan.start, end=plan.end, plan=plan.id
        )
    )
    say(
        "   "
        + translate("{count} of {total} outputs in scope.").format(
            count=len(plan.in_scope), total=len(framework.outputs)
        )
    )
    say(
        "   "
        + translate("Due back by {due}; {component} was due yesterday.").format(
            due=today + DUE_IN, component=late.code
        )
    )

    participants = list(plan.participants())
    leads = [c for c in participants if plan.led_by(c.code)]
    supporters = [c for c in participants if plan.supported_by(c.code) and c not in leads[:3]]
    twice = leads[0]
    plans = {leads[1].code: "warnings", leads[2].code: "errors", supporters[0].code: "overreach"}
    jobs: list[Submit] = []
    submissions: list[Path] = []
    drafts: list[Path] = []
    final_of: dict[Path, Path] = {}  # a draft's final version
    notes: list[str] = []
    for component in participants:
        layout = component_layout(framework, plan, component)
        template = folders["templates"] / workbook_name(plan, component.code)
        ensure_writable(template, force=False)
        jobs.append(Submit(layout, template, [], folders["annotated"]))
        if component is late:
            continue
        values = sample_values(layout)
        planted = plant_mistakes(values, layout, plans.get(component.code, ""))
        target = folders["submissions"] / template.name
        jobs[-1].copies.append((target, as_fill(values)))
        submissions.append(target)
        for mistake in planted:
            notes.append(
                "   "
                + translate("{component}: {note} ({item}, expect {code})").format(
                    component=component.code,
                    note=mistake.note,
                    item=mistake.item_id,
                    code=mistake.expected_code.replace(AT_MERGE, translate("(merge)")),
                )
            )
        if component is twice:
            draft = target.with_name(target.stem + "-first-draft.xlsx")
            # the first draft: only the first half of the rows filled in (so it is invalid)
            half = dict(list(values.items())[: len(values) // 2])
            jobs[-1].copies.append((draft, as_fill(half)))
            submissions.append(draft)
            drafts.append(draft)
            final_of[draft] = target
    checks = [check for done in each_in_workers(submit, jobs) for check in done]
    reports = {check.report.file: check.report for check in checks}
    for draft in drafts:  # saved after its final version, it is dated an hour before it
        when = final_of[draft].stat().st_mtime - 3600
        os.utime(draft, (when, when))
    templates = [job.template for job in jobs]
    say(
        translate("2. Export: {count} component workbooks in {folder}").format(
            count=len(templates), folder=folders["templates"]
        )
    )
    say(
        translate("3. Submissions: {count} files in {folder}").format(
            count=len(submissions), folder=folders["submissions"]
        )
    )
    say(
        "   "
        + translate(
            "{late} has not submitted; {twice} sent a first draft and a final version."
        ).format(late=late.code, twice=twice.code)
    )
    say("   " + translate("Planted mistakes:"))
    for note in notes:
        say(note)

    say(
        translate("4. Validate (annotated copies in {folder}):").format(folder=folders["annotated"])
    )
    for path in sorted(submissions):
        say("   " + summary_line(reports[str(path)]))

    # the draft arrived first: collected first, so the final version supersedes it
    received = drafts + sorted(p for p in submissions if p not in drafts)
    collected = collect_paths(received, plan_file, db, environ={}, validated=as_validated(checks))
    say(
        "   "
        + translate("Collected into the register ({register}):").format(register=collected.register)
    )
    for line in collected.text().splitlines():
        say("   " + line)
    board = status(plan_file, db, reminders_dir=folders["reminders"], force=True, environ={})
    say("   " + translate("The status board:"))
    for line in board.board.text().splitlines():
        say("     " + line)
    say(
        "   "
        + translate("{count} reminders to send in {folder}").format(
            count=len(board.reminders), folder=folders["reminders"]
        )
    )

    merged_file = out / "mission-plan.xlsx"
    registered = merge_register(
        plan_file, merged_file, db, force=True, environ={}, validated=as_typed(checks)
    )
    outcome = registered.outcome
    say(translate("5. Merge from the register: {file}").format(file=merged_file))
    for line in registered.text(merged_file).splitlines()[:-2]:
        say(f"   {line}")
    names = {f.entry.number: f.entry.file_name for f in collected.files if f.entry}
    for f in collected.files:
        if f.supersedes is not None and f.entry:
            say(
                "   "
                + translate("{old}: superseded by {new}").format(
                    old=names[f.supersedes], new=f.entry.file_name
                )
            )
    for row in board.board.rows:
        if row.current and row.state == "invalid":
            say(
                "   "
                + translate("{file}: refused: {errors} (its reminder says what to fix)").format(
                    file=row.current.file_name, errors=counted(row.current.errors, "error")
                )
            )
    merged = outcome.merged
    say(
        "   "
        + translate("{items}, {conflicts}, {gaps}").format(
            items=counted(len(merged.items), "item"),
            conflicts=counted(len(merged.conflicts), "conflict"),
            gaps=counted(len(merged.gaps), "gap"),
        )
    )
    say(
        "   "
        + translate("recorded as merge #{number} in the register").format(
            number=registered.record.number
        )
    )
    refused = leads[2].code  # its round-1 workbook has errors (plans above)
    merged_2 = second_round(out, plan_file, framework, plan, merged_file, db, refused, say)
    performance = review_round(out, plan_file, merged_2, say, first_step=7)
    pack = report_paths(
        merged_2,
        out / "report.html",
        plan_file,
        db,
        merged_file,
        force=True,
        environ={},
        performance=performance,
    )
    say(
        translate(
            "9. Report: {pack} (changes since round 1 and the lights of both review quarters "
            "included)"
        ).format(pack=pack.text().removeprefix("wrote "))
    )
    say("")
    say(translate("Open the files to see the cycle from the planners' side:"))
    say("  " + translate("- a template:        {file}").format(file=templates[0]))
    say(
        "  "
        + translate("- an annotated copy: {folder} (Findings sheet, comments on cells)").format(
            folder=folders["annotated"]
        )
    )
    say(
        "  "
        + translate(
            "- the mission plan:  {file} (Summary, Conflicts, Gaps, objective sheets)"
        ).format(file=merged_file)
    )
    say(
        "  "
        + translate("- round 2's plan:    {file} (Last changed says who revised what)").format(
            file=merged_2
        )
    )
    say(
        "  "
        + translate(
            "- the review pack:   {file} (open it in a browser; prints on A4 landscape)"
        ).format(file=pack.out)
    )
    say(
        translate("Re-run a step yourself: missionplan validate {folder}/*.xlsx").format(
            folder=folders["submissions"]
        )
    )
    say(
        translate("Ask the register yourself: missionplan status --plan {file}").format(
            file=plan_file
        )
    )


@dataclass(frozen=True)
class Submit:
    """One component's part of steps 2 to 4 (a job of each_in_workers): its template, then
    each copy it sends back (the values filled in), validated, and annotated in `annotated`
    when readable."""

    layout: WorkbookLayout
    template: Path
    copies: list[tuple[Path, dict[str, dict[str, object]]]]
    annotated: Path


def submit(job: Submit) -> list[Checked]:
    """Export one component's template, fill in, validate and annotate its copies; their
    validation comes back for the tour and for collect.

    The workbook written stays open and is filled in as it is, not read back: a load
    costs what building it did, and as_reopened makes it save what a load would. A second
    copy (the first draft) is filled in on a workbook of its own, built again, since the
    first was annotated."""
    workbook = write_workbook(job.layout, job.template)
    checks = []
    for number, (target, values) in enumerate(job.copies):
        if number:
            workbook = build_workbook(job.layout)
        as_reopened(workbook)
        fill_cells(workbook, values)
        save_stamped(workbook, target)
        report, submission = validate_file(target, items=True)  # the items: for merge
        checks.append(checked(target, report, submission))
        if submission is not None:
            as_reopened(workbook)
            annotated_copy(report, job.annotated, True, workbook)
    return checks


def with_due_dates(plan_text: str, due: dt.date, code: str, code_due: dt.date) -> str:
    """The starter plan with the round's due date, and another one for one component."""
    lines = []
    for line in plan_text.splitlines(keepends=True):
        if line.startswith("  submit_to:"):
            lines.append(f"  due: {due.isoformat()}\n")
        if line.lstrip().startswith(f"- {{code: {code},") and line.rstrip().endswith("}"):
            line = line.rstrip()[:-1] + f", due: {code_due.isoformat()}}}\n"
        lines.append(line)
    return "".join(lines)
