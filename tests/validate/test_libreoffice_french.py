"""A French workbook filled in a French LibreOffice validates and merges as the English one.

Issue 15's check end to end: the UNPOL workbook is exported in English and in French and
filled alike, except for some dates, budgets and priorities. Those cells are typed in
LibreOffice Calc (a Basic macro, headless, through Calc's own typing command), once with
an English (US) locale as ISO dates and decimal points, once with a French locale the way a
French focal point types them: `31/03/2027`, `1500,50`, `haute`. Calc turns them into
dates and numbers by its locale; the two saved workbooks must give the same findings at
the same cells and merge to the same values.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from missionplan.export.run import export_workbooks
from missionplan.merge.run import merge_files
from missionplan.planning.framework import load_framework
from missionplan.schema.contract import BY_KEY, TRANSLATED_CHOICES, choice_label
from missionplan.schema.language import Language, speaking
from missionplan.validate.report import Report
from missionplan.validate.run import validate_file
from tests.validate.kit import COMPONENT, LED, LETTER, Kit, Values, filled

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    # the shared rule (tests/conftest.py): skip without soffice, fail on CI
    pytest.mark.usefixtures("soffice"),
]

SOFFICE_TIMEOUT = 240
LOCALES: dict[Language, str] = {"en": "en-US", "fr": "fr-FR"}
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
      Case "type"
        oSheet = oDoc.Sheets.getByIndex(CInt(parts(1)))
        oCtrl.setActiveSheet(oSheet)
        oCtrl.select(oSheet.getCellRangeByName(parts(2)))
        typed(0).Value = parts(3)
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
LOCALE_SETTING = (
    '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" '
    'oor:op="fuse"><value>{locale}</value></prop></item>'
)


def calc_profile(soffice: str, folder: Path, locale: str) -> Path:
    """A LibreOffice user profile with this locale and the macro as Standard.Module1."""
    profile = folder / f"lo-profile-{locale}"
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--terminate_after_init"],
        capture_output=True, timeout=SOFFICE_TIMEOUT, check=False,
    )  # fmt: skip
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    settings = profile / "user" / "registrymodifications.xcu"
    assert module.is_file() and settings.is_file(), "LibreOffice made no user profile"
    code = escape(MACRO, {'"': "&quot;"})
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
        '"module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        f'script:name="Module1" script:language="StarBasic">{code}</script:module>',
        encoding="utf-8",
    )
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("</oor:items>", LOCALE_SETTING.format(locale=locale) + "</oor:items>"),
        encoding="utf-8",
    )
    return profile


def run_in_calc(soffice: str, profile: Path, task: list[list[str]], folder: Path) -> None:
    """Have Calc carry out the task: open a file, type into cells (sheet index, cell, text),
    save it as .xlsx."""
    task_file = folder / "task.txt"
    task_file.write_text("\n".join("\t".join(line) for line in task) + "\n", encoding="ascii")
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


TYPED = ("start", "end", "budget", "priority")
"""The cells of some activities that are left empty by openpyxl and typed in Calc."""


def typed_text(key: str, value: object, language: Language) -> str:
    """How a person types a value in a Calc of that language (ASCII only, for the macro)."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if language == "fr" else value.isoformat()
    if key == "budget":
        amount = f"{float(str(value)) + 0.5:.2f}"  # cents, so the decimal mark matters
        return amount.replace(".", ",") if language == "fr" else amount
    if key in TRANSLATED_CHOICES:
        return choice_label(BY_KEY[key], str(value), language)
    return str(value)


def _shown(values: Values, language: Language) -> Values:
    def shown(key: str, value: object) -> object:
        if key in TRANSLATED_CHOICES and isinstance(value, str) and value in BY_KEY[key].allowed():
            return choice_label(BY_KEY[key], value, language)
        return value

    return {i: {key: shown(key, v) for key, v in cells.items()} for i, cells in values.items()}


def _places(report: Report) -> list[tuple[str, str, str]]:
    return sorted((f.code, f.sheet.split(" ", 1)[0], f.cell) for f in report.findings)


@pytest.fixture(scope="module")
def typed_in_calc(
    soffice: str, k: Kit, tmp_path_factory: pytest.TempPathFactory
) -> dict[Language, Path]:
    """The UNPOL workbook in each language, filled alike, its TYPED cells typed in Calc."""
    folder = tmp_path_factory.mktemp("libreoffice-french")
    activities = [a.item_id for a in k.items(LED[1], "activity")[:3]]
    values = {item_id: dict(cells) for item_id, cells in k.full_values.items()}
    values[activities[2]]["start"] = dt.date(2026, 3, 31)  # before the plan: a finding
    kept = {
        item_id: {key: (None if item_id in activities and key in TYPED else v)
                  for key, v in cells.items()}
        for item_id, cells in values.items()
    }  # fmt: skip
    saved: dict[Language, Path] = {}
    for language in ("en", "fr"):
        with speaking(language):
            (template,) = export_workbooks(
                load_framework(), k.plan, folder / language, [COMPONENT], force=True
            )
        source = filled(template, folder, f"{language}-openpyxl.xlsx", _shown(kept, language))
        sheets = openpyxl.load_workbook(source, read_only=True).sheetnames
        task = [["open", str(source)]]
        for item_id in activities:
            sheet, row = k.rows[item_id]
            objective = sheet.split(" ")[0]  # the French sheet has a French name
            index = next(i for i, name in enumerate(sheets) if name.split(" ")[0] == objective)
            task += [
                ["type", str(index), f"{LETTER[key]}{row}",
                 typed_text(key, values[item_id][key], language)]
                for key in TYPED
            ]  # fmt: skip
        saved[language] = folder / f"{language}.xlsx"
        task.append(["save", str(saved[language])])
        profile = calc_profile(soffice, folder, LOCALES[language])
        run_in_calc(soffice, profile, task, folder)
        assert saved[language].is_file()
    return saved


def test_calc_read_the_french_typing_as_dates_and_numbers(
    k: Kit, typed_in_calc: dict[Language, Path]
) -> None:
    first = k.items(LED[1], "activity")[0].item_id
    sheet, row = k.rows[first]
    for language, path in typed_in_calc.items():
        wb = openpyxl.load_workbook(path)
        ws = next(w for w in wb.worksheets if w.title.split(" ")[0] == sheet.split(" ")[0])
        start, budget = ws[f"{LETTER['start']}{row}"].value, ws[f"{LETTER['budget']}{row}"].value
        assert isinstance(start, dt.datetime), (language, start)
        assert start.date() == k.full_values[first]["start"], language
        assert budget == pytest.approx(float(str(k.full_values[first]["budget"])) + 0.5)
        priority = ws[f"{LETTER['priority']}{row}"].value
        wanted = choice_label(BY_KEY["priority"], str(k.full_values[first]["priority"]), language)
        assert priority == wanted


def test_french_and_english_typing_give_the_same_findings(
    typed_in_calc: dict[Language, Path],
) -> None:
    english, _ = validate_file(typed_in_calc["en"])
    french, _ = validate_file(typed_in_calc["fr"])
    assert not english.unreadable and not french.unreadable
    assert _places(english) == _places(french)
    codes = {code for code, _, _ in _places(french)}
    assert "date-outside-period" in codes, codes
    read_as_typed = {"date-typed-as-text", "number-typed-as-text", "invalid-number", "invalid-date"}
    assert not codes & read_as_typed, codes


def test_french_and_english_typing_merge_to_the_same_values(
    k: Kit, typed_in_calc: dict[Language, Path], tmp_path: Path
) -> None:
    values = {}
    for language, path in typed_in_calc.items():
        merged = merge_files(
            [path], load_framework(), tmp_path / f"{language}.xlsx", k.plan, include_invalid=True
        ).merged
        values[language] = {item.item_id: item.values for item in merged.items}
    assert values["en"] == values["fr"]
    first = k.items(LED[1], "activity")[0].item_id
    budget = dict(values["fr"][first])["budget"]
    assert budget == pytest.approx(float(str(k.full_values[first]["budget"])) + 0.5)
