"""Merge files: validate each input, choose what goes in, merge, write the plan.

The I/O edge of merging; the rules are in merge.py. Inputs are refused
with a reason (another plan, another framework, unreadable, errors unless
--include-invalid) and an older submission of the same component is
reported as superseded by the newer one (by file modification time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from missionplan.checking import check_files
from missionplan.errors import MissionplanError
from missionplan.framework import Framework
from missionplan.merge import Accepted, MergedPlan, merge
from missionplan.plan import OutputSetting, Plan, PlanComponent
from missionplan.schema.findings import Report
from missionplan.schema.validate import submitted_items
from missionplan.workbook.files import check_writable
from missionplan.workbook.merge_writer import write_merged_plan
from missionplan.workbook.metadata import TemplateMeta
from missionplan.workbook.reader import Submission

Progress = Callable[[Iterable[Path]], Iterable[Path]]


@dataclass(frozen=True)
class MergeOutcome:
    """What the merge did with each input, and the merged plan."""

    merged: MergedPlan
    plan: Plan
    accepted: tuple[str, ...]
    superseded: tuple[tuple[str, str], ...]
    refused: tuple[tuple[str, str], ...]

    def input_lines(self) -> list[tuple[str, str]]:
        lines = [(f, "merged") for f in self.accepted]
        lines += [(old, f"superseded by {Path(new).name}") for old, new in self.superseded]
        lines += [(f, f"refused: {why}") for f, why in self.refused]
        return lines


def merge_files(
    paths: list[Path],
    framework: Framework,
    out: Path,
    plan: Plan | None = None,
    include_invalid: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> MergeOutcome:
    """Validate, select, merge and write; refuses to run when nothing can be merged."""
    check_writable(out, force)  # before the slow part, not only when writing
    results = check_files(sorted(set(paths)), plan, progress)
    readable = [(r, s) for r, s in results if s is not None]
    refused = [(r.file, r.unreadable) for r, s in results if s is None]
    plan_id = plan.id if plan else _common_plan_id([s.meta for _, s in readable])
    candidates: list[tuple[Report, Submission]] = []
    for report, submission in readable:
        why = _refusal(report, submission, plan_id, framework, include_invalid)
        if why:
            refused.append((report.file, why))
        else:
            candidates.append((report, submission))
    chosen, superseded = _newest_per_component(candidates)
    if not chosen:
        reasons = "; ".join(f"{Path(f).name}: {why}" for f, why in refused) or "no files"
        raise MissionplanError(f"nothing to merge ({reasons})")
    settings = plan or plan_from_metadata([s.meta for _, s in chosen], framework)
    accepted = [
        Accepted(s.meta.component, r.file, tuple(submitted_items(s)), validated=r.valid)
        for r, s in chosen
    ]
    merged = merge(accepted, settings, framework_order(framework))
    outcome = MergeOutcome(
        merged,
        settings,
        tuple(r.file for r, _ in chosen),
        tuple(superseded),
        tuple(sorted(refused)),
    )
    write_merged_plan(out, framework, settings, merged, outcome.input_lines(), force)
    return outcome


def _refusal(
    report: Report, submission: Submission, plan_id: str, framework: Framework, invalid_ok: bool
) -> str:
    meta = submission.meta
    if meta.plan_id != plan_id:
        return f"from another plan ({meta.plan_id}, merging {plan_id})"
    if meta.framework_fingerprint != framework.fingerprint:
        return (
            f"made from another version of the framework '{meta.framework_id}'; "
            "give the framework it was exported from with --framework"
        )
    if meta.component == "PLAN":
        return "a master or merged plan, not a component's submission"
    if report.errors and not invalid_ok:
        return f"{report.errors} errors (fix them, or merge with --include-invalid)"
    return ""


def _newest_per_component(
    candidates: list[tuple[Report, Submission]],
) -> tuple[list[tuple[Report, Submission]], list[tuple[str, str]]]:
    by_component: dict[str, list[tuple[Report, Submission]]] = {}
    for report, submission in candidates:
        by_component.setdefault(submission.meta.component, []).append((report, submission))
    chosen, superseded = [], []
    for component in sorted(by_component):
        ranked = sorted(
            by_component[component],
            key=lambda rs: (Path(rs[0].file).stat().st_mtime_ns, rs[0].file),
        )
        newest = ranked[-1]
        chosen.append(newest)
        superseded += [(r.file, newest[0].file) for r, _ in ranked[:-1]]
    return chosen, superseded


def _common_plan_id(metas: list[TemplateMeta]) -> str:
    if not metas:
        return ""
    counts = Counter(m.plan_id for m in metas)
    return sorted(counts, key=lambda p: (-counts[p], p))[0]


def plan_from_metadata(metas: list[TemplateMeta], framework: Framework) -> Plan:
    """The plan settings as the workbooks carry them (when no plan file is given)."""
    first = metas[0]
    outputs: dict[str, OutputSetting] = {}
    for meta in metas:
        for o in meta.outputs:
            priority = o.priority if o.priority in ("high", "medium", "low") else "medium"
            outputs.setdefault(
                o.id,
                OutputSetting(o.id, True, priority, o.lead, o.support),  # type: ignore[arg-type]
            )
    roster = {c.code: c for c in framework.components}
    components = tuple(
        PlanComponent(code, roster[code].name if code in roster else code,
                      roster[code].kind if code in roster else "")
        for code in first.components
    )  # fmt: skip
    return Plan(
        mission=first.mission,
        mandate=first.mandate,
        start=first.period_start,
        end=first.period_end,
        short_term_months=first.short_term_months,
        medium_term_months=first.medium_term_months,
        submit_to=first.submit_to,
        framework_id=first.framework_id,
        components=components,
        outputs=tuple(outputs[o.id] for o in framework.outputs if o.id in outputs),
        given_id=first.plan_id,
    )


def framework_order(framework: Framework) -> dict[str, int]:
    """Position of every output and item in the framework, for ordering the merged plan."""
    order: dict[str, int] = {}
    for output in framework.outputs:
        order[output.id] = len(order)
        for _, item in output.items_in_order():
            order[item.id] = len(order)
    return order
