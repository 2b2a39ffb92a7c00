"""Returned workbooks for the end-to-end merge tests: a two-component plan, exported and
filled in, and the times that tell a file's age (the saved time, the file time).

The plan: output 4.5 in scope, led by UNPOL and supported by JCS; UNPOL fills in every
framework row of 4.5 with the sample factory's values (activities on ACTIVITY_DATES).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from missionplan.demo.samples import as_fill, item_values
from missionplan.export.distribution import component_layout
from missionplan.export.run import export_workbooks
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.workbook.cells import save_workbook
from missionplan.workbook.fill import fill_workbook

LEAD, SUPPORTER = "UNPOL", "JCS"
OUTPUT = "4.5"
ACTIVITY_DATES = (dt.date(2027, 2, 1), dt.date(2027, 11, 30))
MODIFIED = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


@dataclass(frozen=True)
class Returns:
    """The plan file, the exported templates and the lead's values, by item id and key."""

    plan_file: Path
    plan: Plan
    templates: dict[str, Path]
    lead_values: dict[str, dict[str, object]]

    def fill(self, code: str, values: Mapping[str, Mapping[str, object]], target: Path) -> Path:
        """The component's template filled with values (None leaves a cell empty)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        return fill_workbook(self.templates[code], as_fill(values), target)


def make_returns(framework: Framework, root: Path) -> Returns:
    roster = {c.code: c for c in framework.components}
    data = {
        "plan": {
            "id": "returns-test",
            "mission": "UN Returns Test Mission",
            "start": "2027-01-01",
            "end": "2029-12-31",
            "short_term_months": 6,
            "medium_term_months": 12,
        },
        "components": [
            {"code": c, "name": roster[c].name, "kind": roster[c].kind} for c in (LEAD, SUPPORTER)
        ],
        "outputs": [{"id": OUTPUT, "in_scope": True, "lead": LEAD, "support": [SUPPORTER]}],
    }
    plan_file = root / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan = load_plan(plan_file, framework)
    templates = {
        code: export_workbooks(framework, plan, root / "templates", [code])[0]
        for code in (LEAD, SUPPORTER)
    }
    lead = plan.component(LEAD)
    assert lead is not None
    values = {
        r.item_id: item_values(
            r.item_type, LEAD, plan, term=r.term, text=r.text, dates=ACTIVITY_DATES
        )
        for r in component_layout(framework, plan, lead).rows
        if r.editable and not r.added
    }
    return Returns(plan_file, plan, templates, values)


def stamp(path: Path, saved: dt.datetime | None, written: dt.datetime) -> Path:
    """Give a workbook a saved time (its core properties' modified time, which Excel and
    LibreOffice set on save; None leaves none, as some other programs do) and a file time,
    as os.utime sets it. Times are UTC (naive ones are taken as UTC, as openpyxl does).

    Saved without openpyxl's own stamping, which would set the saved time to now.
    """
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.properties.modified = saved.replace(tzinfo=None) if saved else dt.datetime(2000, 1, 1)
    save_workbook(wb, path)
    if saved is None:
        rewrite_part(path, "docProps/core.xml", lambda xml: MODIFIED.sub(b"", xml))
    set_file_time(path, written)
    return path


def set_file_time(path: Path, written: dt.datetime) -> None:
    moment = (written if written.tzinfo else written.replace(tzinfo=dt.UTC)).timestamp()
    os.utime(path, (moment, moment))


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of a workbook's zip in place, the other parts as they were."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == part else data)
