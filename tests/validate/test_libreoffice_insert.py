"""Rows inserted in LibreOffice Calc, as a focal point does it, are read with ids of their own.

A Basic macro drives Calc headless through its own commands (the ones its menus call):
it opens the exported, fully filled UNPOL workbook with its sheets protected, selects the
last prepared row of an output, inserts a row below it (and, on another output, above
it), and types an activity into the new row's open cells, then saves as .xlsx. Typing
goes through the view, as a person's typing does (a locked cell would stop the macro at
LibreOffice's "protected cell" message, so the Item ID cell is left alone).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.validate.annotation import annotate_copy
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from tests.validate.kit import COMPONENT, LETTER, SHEET_3, SHEET_5, Kit, check, describe

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    # the shared rule (tests/conftest.py): skip without soffice, fail on CI
    pytest.mark.usefixtures("soffice"),
]

SOFFICE_TIMEOUT = 180
MACRO = """
Sub Run(sTask As String)
  Dim n As Integer, sLine As String, parts, oDoc, oCtrl, oSheet
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  Dim typed(0) As New com.sun.star.beans.PropertyValue
  Dim xlsx(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden"
  hidden(0).Value = True
  typed(0).Name = "StringName"
  xlsx(0).Name = "FilterName"
  xlsx(0).Value = "Calc Office Open XML"
  oDisp = createUnoService("com.sun.star.frame.DispatchHelper")
  n = FreeFile
  Open sTask For Input As #n
  Do While Not EOF(n)
    Line Input #n, sLine
    parts = Split(sLine, Chr(9))
    Select Case parts(0)
      Case "open"
        oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(parts(1)), "_blank", 0, hidden())
        oCtrl = oDoc.getCurrentController()
      Case "insert-below", "insert-above"
        oSheet = oDoc.Sheets.getByName(parts(1))
        oCtrl.setActiveSheet(oSheet)
        oCtrl.select(oSheet.getCellRangeByName("D" & parts(2)))
        If parts(0) = "insert-below" Then
          oDisp.executeDispatch(oCtrl.getFrame(), ".uno:InsertRowsAfter", "", 0, Array())
        Else
          oDisp.executeDispatch(oCtrl.getFrame(), ".uno:InsertRowsBefore", "", 0, Array())
        End If
      Case "type"
        oCtrl.select(oCtrl.getActiveSheet().getCellRangeByName(parts(1)))
        typed(0).Value = parts(2)
        oDisp.executeDispatch(oCtrl.getFrame(), ".uno:EnterString", "", 0, typed())
      Case "save"
        oDoc.storeToURL(ConvertToURL(parts(1)), xlsx())
        oDoc.close(True)
    End Select
  Loop
  Close #n
  StarDesktop.terminate()
End Sub
"""
ACTIVITY = {
    "item_type": "activity",
    "lead": COMPONENT,
    "start": "2027-02-01",
    "end": "2027-03-01",
    "priority": "medium",
    "budget": "5000",
    "funding": "trust fund",
    "hrddp": "not applicable",
    "status": "planned",
}


def macro_profile(soffice: str, folder: Path) -> Path:
    """A LibreOffice user profile whose own macro library holds MACRO (as Module1)."""
    profile = folder / "lo-profile"
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--terminate_after_init"],
        capture_output=True, timeout=SOFFICE_TIMEOUT, check=False,
    )  # fmt: skip
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.is_file(), "LibreOffice made no user profile"
    code = escape(MACRO, {'"': "&quot;"})
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
        '"module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        f'script:name="Module1" script:language="StarBasic">{code}</script:module>',
        encoding="utf-8",
    )
    return profile


def run_in_calc(soffice: str, profile: Path, task: list[list[str]], folder: Path) -> None:
    """Have Calc carry out the task's lines: open, insert-below/-above (a sheet and a row),
    type (a cell of the sheet last inserted into, and a value), save."""
    task_file = folder / "task.txt"
    task_file.write_text("\n".join("\t".join(line) for line in task) + "\n", encoding="utf-8")
    # its own session: on a timeout the whole of LibreOffice goes, not only its start script
    calc = subprocess.Popen(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         f'macro:///Standard.Module1.Run("{task_file}")'],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        output, _ = calc.communicate(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(calc.pid, signal.SIGKILL)
        calc.communicate()
        pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s")
    assert calc.returncode == 0, output


def typed_row(row: int, text: str) -> list[list[str]]:
    """Typing an activity into a row of the sheet last inserted into, cell by cell."""
    values = {**ACTIVITY, "text": text}
    return [["type", f"{LETTER[key]}{row}", value] for key, value in values.items()]


@pytest.fixture(scope="module")
def inserted(soffice: str, k: Kit, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The filled UNPOL workbook after two rows inserted and typed in Calc, saved as .xlsx."""
    folder = tmp_path_factory.mktemp("libreoffice-insert")
    source = folder / "UNPOL.xlsx"
    shutil.copyfile(k.full, source)
    saved = folder / "UNPOL-calc.xlsx"
    below = k.rows["3.1-UNPOL-08"][1]  # a supported output: a new row below its last row
    above = k.rows["5.5-UNPOL-08"][1]  # a led output: a new row above its last row
    task = [
        ["open", str(source)],
        ["insert-below", SHEET_3, str(below)],
        *typed_row(below + 1, "Brief the electoral commission on polling-day safety plans."),
        ["insert-above", SHEET_5, str(above)],
        *typed_row(above, "Train police trainers in every region."),
        ["save", str(saved)],
    ]
    run_in_calc(soffice, macro_profile(soffice, folder), task, folder)
    assert saved.is_file()
    return {"file": saved, "rows": {SHEET_3: below + 1, SHEET_5: above}, "folder": folder}


def sheet_of(path: Path, name: str) -> Worksheet:
    return openpyxl.load_workbook(path)[name]


def test_calc_inserts_rows_on_the_protected_sheet_with_editable_cells(
    inserted: dict[str, object],
) -> None:
    saved, rows = inserted["file"], inserted["rows"]
    assert isinstance(saved, Path) and isinstance(rows, dict)
    for name, row in rows.items():
        ws = sheet_of(saved, name)
        assert ws.protection.sheet and ws.protection.insertRows is False  # still protected
        cell = {key: ws[f"{LETTER[key]}{row}"] for key in LETTER}
        # the new row took the prepared row's formatting: inputs open, key cells locked
        for key in ("output_id", "item_id", "ref"):
            assert cell[key].protection.locked and cell[key].value is None, key
        for key in ACTIVITY:
            assert not cell[key].protection.locked, key
        assert cell["item_type"].value == "activity"
        assert cell["lead"].value == COMPONENT
        assert cell["budget"].value == 5000  # typed into a number cell: a number
        # and kept the dropdowns: the Type column's list covers the new row
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert any(f"{LETTER['item_type']}{row}" in dv.sqref for dv in lists), name


def test_the_rows_inserted_in_calc_are_read_with_ids_given_and_no_error(
    inserted: dict[str, object],
) -> None:
    saved, rows = inserted["file"], inserted["rows"]
    assert isinstance(saved, Path) and isinstance(rows, dict)
    report = check(saved)
    assert report.errors == 0, describe(report)
    assert [(f.code, f.sheet, f.cell, f.item_id) for f in report.findings] == [
        ("item-id-assigned", SHEET_3, f"{LETTER['item_id']}{rows[SHEET_3]}", "3.1-UNPOL-09"),
        ("item-id-assigned", SHEET_5, f"{LETTER['item_id']}{rows[SHEET_5]}", "5.5-UNPOL-09"),
    ], describe(report)
    _, submission = validate_file(saved)
    assert submission is not None
    items = {i.item_id: i for i in submitted_items(submission)}
    assert items["3.1-UNPOL-09"].output_id == "3.1"
    assert (
        items["3.1-UNPOL-09"].value("text")
        == "Brief the electoral commission on polling-day safety plans."
    )
    assert items["5.5-UNPOL-09"].output_id == "5.5"
    assert str(items["5.5-UNPOL-09"].value("start")) == "2027-02-01"


def test_the_annotated_copy_of_a_calc_workbook_keeps_the_ids(inserted: dict[str, object]) -> None:
    saved, rows, folder = inserted["file"], inserted["rows"], inserted["folder"]
    assert isinstance(saved, Path) and isinstance(rows, dict) and isinstance(folder, Path)
    copy = folder / "feedback" / saved.name
    copy.parent.mkdir(exist_ok=True)
    annotate_copy(saved, check(saved), copy)
    assert sheet_of(copy, SHEET_5)[f"{LETTER['item_id']}{rows[SHEET_5]}"].value == "5.5-UNPOL-09"
    assert check(copy).findings == ()
