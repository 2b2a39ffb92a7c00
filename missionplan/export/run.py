"""Write the workbooks of a plan: the file edge of the distribute step.

Which rows go to whom is decided in distribution.py; workbook/writer.py lays them out.
Every target is checked before the first is written, and each is written atomically.
`export_plan` is `missionplan export` as one call; `write_starter_plan` writes the plan
file it reads (`missionplan init`), here because planning/ writes no files.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout, master_layout
from missionplan.export.reissue import Parent, Reissue, reissued_layouts
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.register.rounds import read_schedule
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.language import Language, current_language, speaking
from missionplan.validate.run import available_cores
from missionplan.workbook.cells import save_workbook
from missionplan.workbook.files import Progress, ensure_writable, write_atomically
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.reader import Submission, read_submission
from missionplan.workbook.writer import build_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook

REGISTER_WORD = "register"
"""`--from register`: the last merge recorded in the plan's register."""


def workbook_name(plan: Plan, code: str) -> str:
    """A predictable file name: <mission>-<component>-<plan id>.xlsx."""
    words = re.findall(r"[A-Za-z0-9]+", plan.mission)
    slug = "".join(w[0] for w in words if w[0].isupper()) if len(words) > 3 else "-".join(words)
    return f"{(slug or 'mission').lower()}-{code}-{plan.id}.xlsx"


@dataclass(frozen=True)
class Exported:
    """The plan a set of workbooks was exported for, and the workbooks written."""

    plan: Plan
    paths: list[Path]
    codes: list[str]
    """The component (or master) code of each workbook, in the order of `paths`."""
    reissue: Reissue | None = None
    """What a re-issue carried (export --from); None for fresh templates."""

    def as_data(self) -> dict[str, Any]:
        """The `--format json` shape: the plan, and each workbook with its component."""
        data: dict[str, Any] = {
            "plan_id": self.plan.id,
            "workbooks": [
                {"component": code, "path": str(path)}
                for code, path in zip(self.codes, self.paths, strict=True)
            ],
        }
        if self.reissue is not None:
            data["reissue"] = self.reissue.as_data()
            for line in data["workbooks"]:
                line["carried"] = self.reissue.carried.get(line["component"], 0)
        return data


def export_plan(
    plan_file: Path,
    out_dir: Path,
    framework_file: Path | None = None,
    codes: list[str] | None = None,
    master: bool = False,
    password: str | None = None,
    force: bool = False,
    progress: Progress[WorkbookLayout] | None = None,
) -> Exported:
    """Load the framework and the plan file, then write the workbooks asked for."""
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    layouts = select_layouts(framework, plan, codes, master)
    paths = write_workbooks(plan, layouts, out_dir, password, force, progress)
    return Exported(plan, paths, [layout.code for layout in layouts])


def reissue_plan(
    plan_file: Path,
    parent: Path | str,
    out_dir: Path,
    framework_file: Path | None = None,
    codes: list[str] | None = None,
    master: bool = False,
    password: str | None = None,
    force: bool = False,
    progress: Progress[WorkbookLayout] | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Exported:
    """`export --from`: the next round's workbooks, pre-filled from the merged plan.

    `parent` is the merged plan (a path), or a register (REGISTER_WORD, a database path or
    URL) whose last merge is taken, its file checked against the SHA-256 recorded.
    """
    plan, layouts, report = reissue_layouts(
        plan_file, parent, framework_file, codes, master, environ
    )
    paths = write_workbooks(plan, layouts, out_dir, password, force, progress)
    return Exported(plan, paths, [layout.code for layout in layouts], report)


def reissue_layouts(
    plan_file: Path,
    parent: Path | str,
    framework_file: Path | None = None,
    codes: list[str] | None = None,
    master: bool = False,
    environ: Mapping[str, str] = os.environ,
) -> tuple[Plan, list[WorkbookLayout], Reissue]:
    """reissue_plan up to the writing: the plan, the next round's layouts and what they
    carry (for the demo, which writes them and fills some in while they are open)."""
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    path = _parent_file(parent, plan_file, environ)
    merged = read_parent(path, framework)
    schedule = read_schedule(plan_file)
    chosen = select_layouts(framework, plan, codes, master)
    everyone = [component_layout(framework, plan, c) for c in plan.participants()]
    layouts, report = reissued_layouts(plan, merged, schedule.round, chosen, everyone)
    return plan, layouts, report


def write_starter_plan(
    plan_file: Path, framework_file: Path | None = None, force: bool = False
) -> Framework:
    """Write a commented starter plan for the framework; returns the framework it is for."""
    framework = load_framework(framework_file)
    if plan_file.is_dir():
        raise MissionplanError(
            f"{plan_file} is a folder; give the plan file to write, e.g. {plan_file / 'plan.yaml'}"
        )
    ensure_writable(plan_file, force)
    body = starter_plan_text(framework)
    write_atomically(plan_file, partial(_write_text, body=body))
    return framework


def export_workbooks(
    framework: Framework,
    plan: Plan,
    out_dir: Path,
    codes: list[str] | None = None,
    master: bool = False,
    password: str | None = None,
    force: bool = False,
    progress: Progress[WorkbookLayout] | None = None,
) -> list[Path]:
    """Write the workbooks asked for and return their paths (checked before any is written)."""
    layouts = select_layouts(framework, plan, codes, master)
    return write_workbooks(plan, layouts, out_dir, password, force, progress)


def write_workbooks(
    plan: Plan,
    layouts: list[WorkbookLayout],
    out_dir: Path,
    password: str | None = None,
    force: bool = False,
    progress: Progress[WorkbookLayout] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write one workbook per layout; every target is checked before the first is written.

    Several workbooks are spread over worker processes (one a core, MISSIONPLAN_WORKERS, or
    `workers`); the files are the same as written one after the other."""
    targets = [(layout, out_dir / workbook_name(plan, layout.code)) for layout in layouts]
    for _, path in targets:
        ensure_writable(path, force)
    count = min(len(targets), workers if workers is not None else available_cores())
    if count < 2:
        by_layout = {id(layout): path for layout, path in targets}
        for layout in progress(layouts) if progress else layouts:
            write_workbook(layout, by_layout[id(layout)], password)
    else:
        _write_spread(targets, password, progress, count)
    return [path for _, path in targets]


def write_workbook(layout: WorkbookLayout, path: Path, password: str | None = None) -> Workbook:
    """Build one workbook and write it atomically; returns it, still open."""
    workbook = build_workbook(layout, password)
    write_atomically(path, partial(save_workbook, workbook))
    return workbook


def _write_spread(
    targets: list[tuple[WorkbookLayout, Path]],
    password: str | None,
    progress: Progress[WorkbookLayout] | None,
    count: int,
) -> None:
    """Write the workbooks in `count` worker processes: the same files, byte for byte, as
    one after the other (a workbook depends only on its layout). The first error, in the
    order of the layouts, is raised once every worker is done; the workbooks before it
    are complete, and so may be some after it, since they were written at the same time."""
    import concurrent.futures
    import multiprocessing

    language = current_language()  # said to each worker: a process does not share contexts
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    layouts = [layout for layout, _ in targets]
    with concurrent.futures.ProcessPoolExecutor(count, mp_context=context) as pool:
        futures = [
            pool.submit(_write_speaking, layout, path, password, language)
            for layout, path in targets
        ]
        try:
            shown = progress(layouts) if progress else layouts
            for (layout, path), _, future in zip(targets, shown, futures, strict=True):
                try:
                    future.result()
                except concurrent.futures.process.BrokenProcessPool:  # a worker died
                    write_workbook(layout, path, password)
        except BaseException:
            for waiting in futures:
                waiting.cancel()
            raise


def _write_speaking(
    layout: WorkbookLayout, path: Path, password: str | None, language: Language
) -> None:
    """write_workbook in a worker process, in the language of the command that started it."""
    with speaking(language):
        write_workbook(layout, path, password)


def select_layouts(
    framework: Framework, plan: Plan, codes: list[str] | None, master: bool
) -> list[WorkbookLayout]:
    """The workbooks to write: named components, every participant, and/or the master."""
    participants = plan.participants()
    if codes:
        known = {c.code: c for c in participants}
        missing = [code for code in codes if code not in known]
        if missing:
            names = ", ".join(c.code for c in participants)
            raise MissionplanError(
                f"component {', '.join(missing)} leads or supports no in-scope output "
                f"of this plan; components with a workbook: {names}"
            )
        chosen = [known[code] for code in codes]
    else:
        chosen = [] if master else list(participants)
    layouts = [component_layout(framework, plan, c) for c in chosen]
    if master:
        layouts.append(master_layout(framework, plan))
    return layouts


def read_parent(path: Path, framework: Framework) -> Parent:
    """Read a merged plan as validation reads any contract workbook; refuse anything else."""
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    submission = read_submission(path)
    meta = submission.meta
    if meta.component != MASTER_CODE:
        raise MissionplanError(
            f"{path}: this is {meta.component}'s workbook, not a merged plan; give the file "
            "missionplan merge wrote (--from mission-plan.xlsx) or the register (--from register)"
        )
    if meta.framework_fingerprint != framework.fingerprint:
        raise MissionplanError(
            f"{path}: merged from another version of the framework '{meta.framework_id}'; "
            "give the framework it was made from with --framework"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    items = tuple(submitted_items(submission))
    return Parent(path, digest, meta, items, _changed_by(submission))


LAST_CHANGED_AFTER_SOURCE = 4
"""The merged plan's provenance columns: Source component, file, sheet and row, Validated,
then (from a three-way merge on) Last changed, which already names its round."""


def _changed_by(submission: Submission) -> dict[str, str]:
    """Who last changed each item: the parent's Last changed column when it has one, else
    its Source component (the first column after the contract's) in the parent's round."""
    changed: dict[str, str] = {}
    for table in submission.sheets:
        if "item_id" not in table.columns:
            continue
        id_at, source_at = table.columns["item_id"], max(table.columns.values()) + 1
        last_at = source_at + LAST_CHANGED_AFTER_SOURCE
        for _, cells in table.rows:
            item_id, source, last = (
                str(cells[at]).strip() if len(cells) > at and cells[at] is not None else ""
                for at in (id_at, source_at, last_at)
            )
            if item_id and last:
                changed.setdefault(item_id, last)
            elif item_id and source:
                changed.setdefault(item_id, f"{source}, round {submission.meta.round}")
    return changed


def _parent_file(parent: Path | str, plan_file: Path, environ: Mapping[str, str]) -> Path:
    """The merged plan file: the path given, or the register's last merge, checked."""
    text = str(parent)
    if text.lower().endswith(".xlsx"):
        return Path(text)
    from missionplan.register.database import open_register, register_url
    from missionplan.register.entries import all_merges
    from missionplan.schema.review import REVIEW_KIND

    url = register_url(None if text == REGISTER_WORD else text, plan_file, environ)
    register = open_register(url, create=False)
    if register is None:
        raise MissionplanError(
            f"no register at {text if text != REGISTER_WORD else url}; give the merged plan "
            "file (--from mission-plan.xlsx), or merge from the register first"
        )
    try:
        merges = [m for m in all_merges(register) if m.kind != REVIEW_KIND]  # plans only
        shown = register.shown
    finally:
        register.close()
    if not merges:
        raise MissionplanError(
            f"the register {shown} records no merge yet; run missionplan merge --plan "
            f"{plan_file} --out mission-plan.xlsx first, or give the file with --from"
        )
    last = merges[-1]
    path = Path(last.out)
    if not path.is_file():
        raise MissionplanError(
            f"merge #{last.number} in {shown} wrote {path}, which is not there any more; "
            "give the merged plan with --from FILE"
        )
    if hashlib.sha256(path.read_bytes()).hexdigest() != last.out_sha256:
        raise MissionplanError(
            f"{path} has changed since merge #{last.number} wrote it (its SHA-256 differs "
            f"from the one {shown} recorded); merge again, or give the file with --from"
        )
    return path


def _write_text(path: Path, body: str) -> None:
    path.write_text(body, encoding="utf-8")
