"""The demo's second planning round: re-issue from the merged plan, revise, merge three-way.

Every component gets its round-2 workbook pre-filled from the round-1 plan. Most send it
back as it came; the lead of one output revises two of its activities, a supporter of
that output changes one of the same fields to another value (the conflict of the round),
and the component refused in round 1 sends its workbook complete. The round-2 plan is
merged from the register, and the diff of the two merged plans says what the round changed.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from missionplan.collect.run import collect_paths
from missionplan.demo.checked import Checked, as_typed, as_validated, checked
from missionplan.demo.samples import as_fill, sample_values
from missionplan.demo.spread import each_in_workers
from missionplan.diff.run import diff_paths
from missionplan.export.distribution import component_layout
from missionplan.export.run import reissue_layouts, workbook_name, write_workbook
from missionplan.merge.registered import merge_register
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.schema.findings import CONFLICT_CHANGED_DIFFERENTLY
from missionplan.schema.language import translate
from missionplan.schema.text import counted
from missionplan.validate.run import validate_file
from missionplan.workbook.cells import save_stamped
from missionplan.workbook.files import ensure_writable
from missionplan.workbook.fill import as_reopened, fill_cells
from missionplan.workbook.layout import WorkbookLayout

ROUND = 2
LEAD_BUDGET = 48_000
SUPPORT_BUDGET = 52_000
LATER_END = dt.date(2027, 12, 20)


@dataclass(frozen=True)
class Revisions:
    """What the demo changes in round 2, and who: for the tour and the tests."""

    output: str
    lead: str
    supporter: str
    edits: dict[str, dict[str, dict[str, object]]]
    completed: str
    """The component whose round-1 workbook was refused, now sending it complete."""


def with_round(plan_text: str, round: int) -> str:
    """The plan file with `round: N` under `plan:` (after the period), replacing any."""
    lines = [
        line for line in plan_text.splitlines(keepends=True) if not line.startswith("  round:")
    ]
    at = next(n for n, line in enumerate(lines) if line.startswith("  end:")) + 1
    return "".join([*lines[:at], f"  round: {round}\n", *lines[at:]])


def revisions(framework: Framework, plan: Plan, refused: str) -> Revisions:
    """The lead and a supporter of the first output that has both, and their edits."""
    setting = next(s for s in plan.in_scope if s.lead and s.support)
    output = framework.output(setting.id)
    assert output is not None and len(output.activities) >= 2
    first, second = output.activities[0].id, output.activities[1].id
    supporter = next(code for code in setting.support if code != refused)
    edits: dict[str, dict[str, dict[str, object]]] = {
        setting.lead: {first: {"budget": LEAD_BUDGET}, second: {"end": LATER_END}},
        supporter: {first: {"budget": SUPPORT_BUDGET}},
    }
    return Revisions(setting.id, setting.lead, supporter, edits, refused)


def second_round(
    out: Path,
    plan_file: Path,
    framework: Framework,
    plan: Plan,
    merged_file: Path,
    db: str,
    refused: str,
    say: Callable[[str], None],
) -> Path:
    """Step 6 of the demo; returns the round-2 merged plan."""
    plan_file.write_text(with_round(plan_file.read_text(encoding="utf-8"), ROUND), "utf-8")
    folder = out / f"round-{ROUND}"
    issued_dir, returned_dir = folder / "issued", folder / "returned"
    plan_2, layouts, _ = reissue_layouts(plan_file, merged_file, environ={})
    changes = revisions(framework, plan, refused)
    returned_dir.mkdir(parents=True, exist_ok=True)
    jobs = []
    for layout in layouts:
        values: dict[str, dict[str, object]] | None = changes.edits.get(layout.code)
        if values is None and layout.code == refused:
            component = plan.component(refused)
            assert component is not None
            values = as_fill(sample_values(component_layout(framework, plan, component)))
        issued = issued_dir / workbook_name(plan_2, layout.code)
        ensure_writable(issued, force=True)
        jobs.append(Revise(layout, issued, returned_dir / issued.name, values))
    checks = each_in_workers(revise, jobs)
    returned = [job.returned for job in jobs]
    say(
        translate(
            "6. Round {round}: {count} workbooks re-issued from {file} in {folder}, "
            "pre-filled with the merged values"
        ).format(round=ROUND, count=len(jobs), file=merged_file.name, folder=issued_dir)
    )
    say(
        "   "
        + translate(
            "{lead} (lead of {output}) revises a budget and an end date; {supporter} sets the same "
            "budget to another value; {refused}, refused in round 1, sends its workbook complete; "
            "the others send theirs back unchanged."
        ).format(
            lead=changes.lead, output=changes.output, supporter=changes.supporter, refused=refused
        )
    )
    collected = collect_paths(returned, plan_file, db, environ={}, validated=as_validated(checks))
    say("   " + translate("Collected: {line}").format(line=collected.text().splitlines()[-1]))
    merged_2 = out / f"mission-plan-round-{ROUND}.xlsx"
    registered = merge_register(
        plan_file, merged_2, db, force=True, environ={}, validated=as_typed(checks)
    )
    merged = registered.outcome.merged
    say("   " + translate("Merged three-way from the register: {file}").format(file=merged_2))
    differently = [c for c in merged.conflicts if c.kind == CONFLICT_CHANGED_DIFFERENTLY.code]
    say(
        "   "
        + translate(
            "{items}, {conflicts} ({count} changed differently by two components: {which}), {gaps}"
        ).format(
            items=counted(len(merged.items), "item"),
            conflicts=counted(len(merged.conflicts), "conflict"),
            count=len(differently),
            which=", ".join(f"{c.item_id} {translate(c.column)}" for c in differently),
            gaps=counted(len(merged.gaps), "gap"),
        )
    )
    changes_file = out / f"changes-round-{ROUND}.xlsx"
    found = diff_paths(merged_file, merged_2, changes_file, force=True)
    lines = found.text().splitlines()
    say(
        "   "
        + translate("What round {round} changed (missionplan diff {old} {new}):").format(
            round=ROUND, old=merged_file.name, new=merged_2.name
        )
    )
    for line in lines[:12]:
        say(f"     {line}")
    if len(lines) > 12:
        say(
            "     "
            + translate("... {count} more lines; all of them marked in {file}").format(
                count=len(lines) - 12, file=changes_file
            )
        )
    return merged_2


@dataclass(frozen=True)
class Revise:
    """One component's round-2 workbook (a job of each_in_workers): issued from its layout,
    and sent back with `values` filled in, or as it came when None."""

    layout: WorkbookLayout
    issued: Path
    returned: Path
    values: dict[str, dict[str, object]] | None


def revise(job: Revise) -> Checked:
    """Write the issued workbook, send it back (filled in as it stays open, as in round 1:
    as_reopened makes it save what reading the issued file back would), validate that."""
    workbook = write_workbook(job.layout, job.issued)
    if job.values is None:
        shutil.copyfile(job.issued, job.returned)
    else:
        as_reopened(workbook)
        fill_cells(workbook, job.values)
        save_stamped(workbook, job.returned)
    return checked(job.returned, *validate_file(job.returned, items=True))  # items: for merge
