"""Merge files: validate each input, choose what goes in, merge, write the plan.

The file edge of merging; the rules are in rules.py and versions.py. `merge_paths` is
`missionplan merge` as one call: the framework and plan files, the folders, the merge.
Inputs are refused with a reason (another plan, another framework, unreadable, errors
unless --include-invalid). When a component sent several files, versions.py tells which
is newest by the workbooks' saved times; the others are reported as superseded, and
when it cannot be told, none of that component's files is merged and the report says why.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from missionplan.errors import MissionplanError
from missionplan.merge.rules import (
    Accepted,
    MergedPlan,
    Unchosen,
    file_name,
    framework_order,
    merge,
    unclear_message,
)
from missionplan.merge.versions import Version, choose_version
from missionplan.merge.writer import write_merged_plan
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.language import translate
from missionplan.schema.text import counted
from missionplan.validate.items import submitted_items
from missionplan.validate.report import Report
from missionplan.validate.run import plan_mismatch, uncollected, validate_files
from missionplan.workbook.files import Progress, ensure_writable, workbooks_in
from missionplan.workbook.metadata import WorkbookMeta, plan_from_meta
from missionplan.workbook.reader import Submission

Candidate = tuple[Report, Submission]

Typed = Mapping[str, tuple[Report, Submission]]
"""Files already validated with their items (validate_file with items), by the SHA-256 of
their exact bytes: a caller that has just validated them (the demo) hands them to merge,
which then does not validate those bytes again."""


class Fate(NamedTuple):
    """What became of one input file: its state (merged, superseded, not merged, refused)
    and the line the report and the Summary show for it."""

    file: str
    state: str
    what: str


@dataclass(frozen=True)
class MergeOutcome:
    """What the merge did with each input, and the merged plan."""

    merged: MergedPlan
    plan: Plan
    accepted: tuple[str, ...]
    inputs: tuple[Fate, ...]
    """Every input file and what happened to it, as the report and the Summary list them."""

    @property
    def left_out(self) -> tuple[Fate, ...]:
        """The inputs refused, or not merged because their newest version was unclear."""
        return tuple(fate for fate in self.inputs if fate.state in ("refused", "not merged"))

    def input_lines(self) -> list[tuple[str, str]]:
        return [(fate.file, fate.what) for fate in self.inputs]

    def summary(self, out: Path) -> str:
        """The last line of the report: what was written, from how much."""
        merged = self.merged
        # a three-way merge says so: its conflicts are changes made differently since issue
        three_way = (
            translate(" of round {round}, three-way").format(round=merged.round)
            if merged.three_way
            else ""
        )
        return translate(
            "Wrote {out}: {items} from {submissions}{three_way}, {conflicts}, {gaps}."
        ).format(
            out=out,
            items=counted(len(merged.items), "item"),
            submissions=counted(len(self.accepted), "submission"),
            three_way=three_way,
            conflicts=counted(len(merged.conflicts), "conflict"),
            gaps=counted(len(merged.gaps), "gap"),
        )

    def text(self, out: Path) -> str:
        """A line per input, then what was written."""
        lines = [f"{file_name(file)}: {what}" for file, what in self.input_lines()]
        return "\n".join([*lines, self.summary(out)])

    def as_data(self, out: Path) -> dict[str, Any]:
        """The `--format json` shape: what was written, and what became of each input."""
        return {
            "plan_id": self.plan.id,
            "out": str(out),
            "items": len(self.merged.items),
            "conflicts": len(self.merged.conflicts),
            "gaps": len(self.merged.gaps),
            "round": self.merged.round,
            "three_way": self.merged.three_way,
            "inputs": [
                {"file": fate.file, "state": fate.state, "detail": fate.what}
                for fate in self.inputs
            ],
        }


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
    validated: Typed | None = None,
) -> MergeOutcome:
    """Validate, select, merge and write; refuses to run when nothing can be merged.

    validated: files whose bytes are validated already (Typed), used only for those bytes."""
    ensure_writable(out, force)  # before the slow part, not only when writing
    with uncollected():
        results = _validate(sorted(set(paths)), plan, progress, validated or {})
        return _merge_results(results, framework, out, plan, include_invalid, force)


def _validate(
    paths: list[Path], plan: Plan | None, progress: Progress[Path] | None, validated: Typed
) -> list[tuple[Report, Submission | None]]:
    """validate_files with items, in the order of paths; a file whose exact bytes are in
    validated is not validated again: its report and submission are named after the path."""
    earlier = {path: validated.get(_sha256(path)) for path in paths} if validated else {}
    fresh = [path for path in paths if earlier.get(path) is None]
    found = iter(validate_files(fresh, plan, progress, items=True))
    results: list[tuple[Report, Submission | None]] = []
    for path in paths:
        known = earlier.get(path)
        if known is None:
            results.append(next(found))
            continue
        report, submission = known
        mismatch = plan_mismatch(submission.meta, plan)  # as validate_file says it
        if mismatch:
            results.append((Report(str(path), unreadable=mismatch), None))
        else:
            results.append((replace(report, file=str(path)), replace(submission, file=str(path))))
    return results


def _sha256(path: Path) -> str:
    """The file's SHA-256 ('' when it cannot be read: validating it says why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _merge_results(
    results: list[tuple[Report, Submission | None]],
    framework: Framework,
    out: Path,
    plan: Plan | None,
    include_invalid: bool,
    force: bool,
) -> MergeOutcome:
    """merge_files after validation: choose the inputs, merge them, write the plan."""
    readable = [(r, s) for r, s in results if s is not None]
    refused = [(r.file, r.unreadable) for r, s in results if s is None]
    plan_id = plan.id if plan else _common_plan_id([s.meta for _, s in readable])
    theirs: list[Candidate] = []
    for report, submission in readable:
        why = _not_theirs(submission, plan_id, framework)
        if why:
            refused.append((report.file, why))
        else:
            theirs.append((report, submission))
    selection = _newest_per_component(theirs)
    chosen: list[Candidate] = []
    for report, submission in selection.newest:
        if report.errors and not include_invalid:
            refused.append((report.file, _with_errors(report.errors)))
        else:
            chosen.append((report, submission))
    others = [Fate(f, "superseded", what) for f, what in sorted(selection.superseded)]
    not_merged = translate("not merged: {why}").format
    others += [Fate(f, "not merged", not_merged(why=unclear_message(u).text))
               for u in selection.unchosen for f in u.files]  # fmt: skip
    if not chosen:
        unmerged = sorted([*refused, *((o.file, o.what) for o in others)])
        reasons = "; ".join(f"{file_name(f)}: {why}" for f, why in unmerged)
        raise MissionplanError(f"nothing to merge ({reasons or 'no files'})")
    lines = [Fate(r.file, "merged", _merged(selection.why.get(r.file, ""))) for r, _ in chosen]
    lines += others
    refused_for = translate("refused: {why}").format
    lines += [Fate(f, "refused", refused_for(why=why)) for f, why in sorted(refused)]
    settings = plan or plan_from_meta([s.meta for _, s in chosen], framework)
    accepted = [
        Accepted(
            s.meta.component,
            r.file,
            s.items if s.items is not None else tuple(submitted_items(s)),
            validated=r.valid,
            issued=tuple(s.issued[i] for i in sorted(s.issued)),
            round=s.meta.round,
        )
        for r, s in chosen
    ]
    merged = merge(accepted, settings, framework_order(framework), selection.unchosen)
    outcome = MergeOutcome(merged, settings, tuple(r.file for r, _ in chosen), tuple(lines))
    write_merged_plan(out, framework, settings, merged, outcome.input_lines(), force)
    return outcome


def _not_theirs(submission: Submission, plan_id: str, framework: Framework) -> str:
    """Why a workbook is no component's submission to this plan ('' when it is one)."""
    meta = submission.meta
    if meta.plan_id != plan_id:
        return translate(
            "from another plan ({other}, merging {plan_id}); if it was filled on an earlier "
            "version of this plan, carry it over with missionplan upgrade FILE --plan "
            "PLAN.yaml --out DIR"
        ).format(other=meta.plan_id, plan_id=plan_id)
    if meta.framework_fingerprint != framework.fingerprint:
        return (
            f"made from another version of the framework '{meta.framework_id}'; "
            "give the framework it was exported from with --framework"
        )
    if meta.component == MASTER_CODE:
        return translate("a master or merged plan, not a component's submission")
    return ""


@dataclass
class Selection:
    """The newest file of each component, and what happened to the others."""

    newest: list[Candidate]
    why: dict[str, str]
    """Why a newest file was taken over the component's others, by file."""
    superseded: list[tuple[str, str]]
    unchosen: list[Unchosen]


def _newest_per_component(candidates: list[Candidate]) -> Selection:
    """versions.py's rule for each component, on the files' saved times, file times, bytes."""
    by_component: dict[str, list[Candidate]] = {}
    for report, submission in candidates:
        by_component.setdefault(submission.meta.component, []).append((report, submission))
    selection = Selection([], {}, [], [])
    for component in sorted(by_component):
        files = {r.file: (r, s) for r, s in by_component[component]}
        if len(files) == 1:
            selection.newest.extend(files.values())
            continue
        choice = choose_version([_version(s) for _, s in files.values()])
        selection.superseded.extend(choice.superseded)
        if choice.merged:
            selection.newest.append(files[choice.merged])
            selection.why[choice.merged] = choice.why
        else:
            selection.unchosen.append(Unchosen(component, tuple(sorted(files)), choice.why))
    return selection


def _version(submission: Submission) -> Version:
    """What tells the file's age: its saved time (read with it), file time and bytes."""
    path = Path(submission.file)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        written = path.stat().st_mtime_ns
    except OSError as error:
        raise MissionplanError(f"{path}: cannot be read again ({error.strerror})") from None
    return Version(submission.file, submission.saved, written, digest)


def _merged(why: str) -> str:
    return translate("merged ({why})").format(why=why) if why else translate("merged")


def _with_errors(count: int) -> str:
    if count == 1:
        return translate("{errors} (fix it, or merge with --include-invalid)").format(
            errors=counted(count, "error")
        )
    return translate("{errors} (fix them, or merge with --include-invalid)").format(
        errors=counted(count, "error")
    )


def _common_plan_id(metas: list[WorkbookMeta]) -> str:
    if not metas:
        return ""
    counts = Counter(m.plan_id for m in metas)
    return sorted(counts, key=lambda p: (-counts[p], p))[0]
