"""Merge files: validate each input, choose what goes in, merge, write the plan.

The file edge of merging; the rules are in rules.py. `merge_paths` is `missionplan merge`
as one call: the framework and plan files, the folders, the merge. Inputs are refused
with a reason (another plan, another framework, unreadable, errors unless
--include-invalid) and an older submission of the same component is
reported as superseded by the newer one (by file modification time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.merge.rules import Accepted, MergedPlan, framework_order, merge
from missionplan.merge.writer import write_merged_plan
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.text import counted
from missionplan.validate.items import submitted_items
from missionplan.validate.report import Report
from missionplan.validate.run import validate_files
from missionplan.workbook.files import Progress, ensure_writable, workbooks_in
from missionplan.workbook.metadata import WorkbookMeta, plan_from_meta
from missionplan.workbook.reader import Submission


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

    def as_data(self, out: Path) -> dict[str, Any]:
        """The `--format json` shape: what was written, and what became of each input."""
        inputs: list[dict[str, str]] = [{"file": f, "state": "merged"} for f in self.accepted]
        inputs += [
            {"file": old, "state": "superseded", "reason": f"superseded by {new}"}
            for old, new in self.superseded
        ]
        inputs += [{"file": f, "state": "refused", "reason": why} for f, why in self.refused]
        return {
            "plan_id": self.plan.id,
            "out": str(out),
            "items": len(self.merged.items),
            "conflicts": len(self.merged.conflicts),
            "gaps": len(self.merged.gaps),
            "inputs": inputs,
        }

    def text(self, out: Path) -> str:
        """A line per input, then what was written."""
        lines = [f"{Path(file).name}: {what}" for file, what in self.input_lines()]
        merged = self.merged
        lines.append(
            f"Wrote {out}: {counted(len(merged.items), 'item')} from "
            f"{counted(len(self.accepted), 'submission')}, "
            f"{counted(len(merged.conflicts), 'conflict')}, {counted(len(merged.gaps), 'gap')}."
        )
        return "\n".join(lines)


def merge_paths(
    paths: list[Path],
    out: Path,
    plan_file: Path | None = None,
    framework_file: Path | None = None,
    include_invalid: bool = False,
    force: bool = False,
    progress: Progress[Path] | None = None,
) -> MergeOutcome:
    """Merge workbooks and folders of them into out, loading the framework and plan files."""
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework) if plan_file is not None else None
    return merge_files(workbooks_in(paths), framework, out, plan, include_invalid, force, progress)


def merge_files(
    paths: list[Path],
    framework: Framework,
    out: Path,
    plan: Plan | None = None,
    include_invalid: bool = False,
    force: bool = False,
    progress: Progress[Path] | None = None,
) -> MergeOutcome:
    """Validate, select, merge and write; refuses to run when nothing can be merged."""
    ensure_writable(out, force)  # before the slow part, not only when writing
    results = validate_files(sorted(set(paths)), plan, progress)
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
    settings = plan or plan_from_meta([s.meta for _, s in chosen], framework)
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
    if meta.component == MASTER_CODE:
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


def _common_plan_id(metas: list[WorkbookMeta]) -> str:
    if not metas:
        return ""
    counts = Counter(m.plan_id for m in metas)
    return sorted(counts, key=lambda p: (-counts[p], p))[0]
