"""Rows inserted in real workbooks: the annotated copy keeps their ids, and merge takes them.

A row is inserted with openpyxl in the fully filled UNPOL workbook of the validation kit
(tests/validate/kit.py) and a complete activity typed in it, leaving the locked Output,
Item ID and Source cells empty, as a focal point's insert does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from missionplan.merge.run import merge_files
from missionplan.planning.framework import load_framework
from missionplan.validate.annotation import annotate_copy
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from tests.validate.builders import KEYS
from tests.validate.kit import COMPONENT, LETTER, SHEET_5, Kit, check, describe, edited


def insert_activity(wb: Workbook, row: int, text: str) -> None:
    """Insert a row on sheet 5 and type a complete activity in it, as a focal point does."""
    ws = wb[SHEET_5]
    ws.insert_rows(row)
    values: dict[str, object] = {
        "item_type": "activity",
        "text": text,
        "lead": COMPONENT,
        "start": dt.date(2027, 2, 1),
        "end": dt.date(2027, 3, 1),
        "priority": "medium",
        "budget": 5_000,
        "funding": "trust fund",
        "hrddp": "not applicable",
        "status": "planned",
    }
    for key, value in values.items():
        ws[f"{LETTER[key]}{row}"] = value


def test_the_annotated_copy_keeps_the_id_through_a_resubmission(k: Kit, tmp_path: Path) -> None:
    row = k.rows["5.5-UNPOL-08"][1] + 1  # under 5.5's last prepared row
    first = edited(k.full, tmp_path, "first.xlsx", lambda wb: insert_activity(wb, row, "Ninth."))
    report = check(first)
    assert [(f.code, f.cell, f.item_id) for f in report.findings] == [
        ("item-id-assigned", f"{LETTER['item_id']}{row}", "5.5-UNPOL-09")
    ], describe(report)
    copy = tmp_path / "feedback" / "first.xlsx"
    copy.parent.mkdir()
    annotate_copy(first, report, copy)
    ws = openpyxl.load_workbook(copy)[SHEET_5]
    assert [ws[f"{LETTER[key]}{row}"].value for key in ("output_id", "item_id", "ref")] == [
        "5.5",
        "5.5-UNPOL-09",
        "added",
    ]
    comment = ws[f"{LETTER['item_id']}{row}"].comment
    assert comment is not None and "5.5-UNPOL-09" in comment.text
    assert check(copy).findings == ()  # sent back as it is: nothing left to say
    # working on in the copy: another row inserted above the first keeps the first one's id
    second = edited(copy, tmp_path, "second.xlsx", lambda wb: insert_activity(wb, row, "Tenth."))
    report = check(second)
    assert [(f.code, f.cell, f.item_id) for f in report.findings] == [
        ("item-id-assigned", f"{LETTER['item_id']}{row}", "5.5-UNPOL-10")
    ], describe(report)
    _, submission = validate_file(second)
    assert submission is not None
    items = {i.item_id: i for i in submitted_items(submission)}
    assert (items["5.5-UNPOL-09"].value("text"), items["5.5-UNPOL-09"].row) == ("Ninth.", row + 1)
    assert items["5.5-UNPOL-10"].value("text") == "Tenth."


def test_merge_takes_the_inserted_item_under_its_given_id(k: Kit, tmp_path: Path) -> None:
    row = k.rows["5.5-UNPOL-04"][1] + 1
    inserted = edited(k.full, tmp_path, "UNPOL.xlsx", lambda wb: insert_activity(wb, row, "New."))
    out = tmp_path / "mission-plan.xlsx"
    merge_files([inserted], load_framework(), out, k.plan)
    found = []
    for ws in openpyxl.load_workbook(out, read_only=True).worksheets:
        if not ws.title[0].isdigit():
            continue  # the objective sheets only (not _items, Conflicts, Summary ...)
        for values in ws.iter_rows(values_only=True):
            if values and "5.5-UNPOL-09" in values:
                found.append((ws.title, values[: len(KEYS)]))
    assert len(found) == 1, found
    title, values = found[0]
    assert title.startswith("5 ")
    assert values[KEYS.index("output_id")] == "5.5"
    assert values[KEYS.index("text")] == "New."
    assert values[KEYS.index("ref")] == "added"
