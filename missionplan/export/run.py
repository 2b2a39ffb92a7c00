"""Write the workbooks of a plan: the file edge of the distribute step.

Which rows go to whom is decided in distribution.py; workbook/writer.py lays them out.
Every target is checked before the first is written, and each is written atomically.
`export_plan` is `missionplan export` as one call; `write_starter_plan` writes the plan
file it reads (`missionplan init`), here because planning/ writes no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout, master_layout
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.workbook.cells import save_workbook
from missionplan.workbook.files import Progress, ensure_writable, write_atomically
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.writer import build_workbook


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

    def as_data(self) -> dict[str, Any]:
        """The `--format json` shape: the plan, and each workbook with its component."""
        return {
            "plan_id": self.plan.id,
            "workbooks": [
                {"component": code, "path": str(path)}
                for code, path in zip(self.codes, self.paths, strict=True)
            ],
        }


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
) -> list[Path]:
    """Write one workbook per layout; every target is checked before the first is written."""
    targets = [(layout, out_dir / workbook_name(plan, layout.code)) for layout in layouts]
    for _, path in targets:
        ensure_writable(path, force)
    by_layout = {id(layout): path for layout, path in targets}
    for layout in progress(layouts) if progress else layouts:
        workbook = build_workbook(layout, password)
        write_atomically(by_layout[id(layout)], partial(save_workbook, workbook))
    return [path for _, path in targets]


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


def _write_text(path: Path, body: str) -> None:
    path.write_text(body, encoding="utf-8")
