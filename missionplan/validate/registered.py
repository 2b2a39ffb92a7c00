"""Validate from the register: the current submission of each component, exactly as received.

`validate_register` is `missionplan validate --plan plan.yaml` without files: it checks again
the bytes the register holds (with today's rules), so the planning unit can re-check a round
without hunting for the files; the reports name each file as it was received.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from missionplan.errors import MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.register.database import open_register, register_url
from missionplan.register.entries import all_entries, current_entries, entry_file
from missionplan.register.rounds import read_schedule
from missionplan.validate.run import ValidationRun, validate_files
from missionplan.workbook.files import Progress


def validate_register(
    plan_file: Path,
    db: str | None = None,
    framework_file: Path | None = None,
    annotate_dir: Path | None = None,
    force: bool = False,
    progress: Progress[Path] | None = None,
    environ: Mapping[str, str] = os.environ,
) -> ValidationRun:
    """Validate each component's current entry for the plan's round (annotated copies too)."""
    plan = load_plan(plan_file, load_framework(framework_file))
    schedule = read_schedule(plan_file)
    register = open_register(register_url(db, plan_file, environ), create=False)
    if register is None:
        raise MissionplanError(
            f"no register yet for {plan_file}; collect the returned workbooks first "
            f"(missionplan collect returned/ --plan {plan_file}), or give the files to validate"
        )
    try:
        current = current_entries(all_entries(register), plan.id, schedule.round)
        if not current:
            raise MissionplanError(
                f"the register holds no submission for plan {plan.id}, round {schedule.round}"
            )
        with tempfile.TemporaryDirectory(prefix="missionplan-validate-") as folder:
            paths = []
            for code in sorted(current):
                paths.append(entry_file(register, current[code], Path(folder)))
            results = validate_files(paths, plan, progress)
            annotated: list[Path] = []
            if annotate_dir is not None:
                from missionplan.validate.annotation import annotate_files

                annotated = annotate_files(results, annotate_dir, force)
    finally:
        register.close()
    reports = tuple(replace(r, file=Path(r.file).name) for r, _ in results)
    return ValidationRun(reports, tuple(annotated))
