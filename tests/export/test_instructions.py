"""The Instructions sheet of an exported workbook, against README section 3.

"an *Instructions* sheet: mission, mandate, component, period and the dates of each term's
window, where to send it, how to fill it in, the colour legend, and every column's meaning
(from the contract)".

The plan has unusual dates so that the windows can be worked out by hand and cannot come
from a default: 2027-04-01 to 2030-03-31, a 4-month short term and a 14-month medium term.
PAD supports 3.1 and leads 5.2, so its workbook has every colour the legend explains.
"""

from __future__ import annotations

import json
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.planning.framework import Framework
from tests.cli_helpers import run_main

MISSION = "UN Integrated Office in Carana"
MANDATE = "S/RES/2999 (2027), paragraph 12"
SUBMIT_TO = "Carana Planning Unit, ipu@carana.example, by 30 June"
PERIOD = ("2027-04-01", "2030-03-31")
WINDOWS = {  # worked out by hand: 4 months, then 14 months, then the rest
    "short": ("2027-04-01", "2027-07-31"),
    "medium": ("2027-08-01", "2028-09-30"),
    "long": ("2028-10-01", "2030-03-31"),
}
TYPES = ("activity", "benchmark", "risk", "consideration")
# README section 2, the contract table: header, applies to, required for.
README_COLUMNS = [
    ("Output", "all", "all"),
    ("Item ID", "all", "all"),
    ("Type", "all", "all"),
    ("Description", "all", "all"),
    ("Source", "all", "-"),
    ("Lead", "activity", "activity"),
    ("Supporting components", "activity", "-"),
    ("Partners", "activity", "-"),
    ("Start", "activity", "activity"),
    ("End", "activity", "activity"),
    ("Priority", "activity", "activity"),
    ("Depends on", "activity", "-"),
    ("Term", "benchmark", "benchmark"),
    ("Indicator", "benchmark", "benchmark"),
    ("Baseline", "benchmark", "benchmark"),
    ("Target", "benchmark", "benchmark"),
    ("Target date", "benchmark", "benchmark"),
    ("Means of verification", "benchmark", "benchmark"),
    ("Likelihood", "risk", "risk"),
    ("Impact", "risk", "risk"),
    ("Mitigation", "risk", "-"),
    ("Owner", "benchmark, risk", "benchmark, risk"),
    ("Budget (USD)", "activity", "activity"),
    ("Funding source", "activity", "activity"),
    ("Gender perspective", "activity", "-"),
    ("HRDDP", "activity", "activity"),
    ("Mission position", "consideration", "consideration"),
    ("Status", "activity, benchmark", "activity, benchmark"),
    ("Comments", "all", "-"),
]


def plan_data(framework: Framework) -> dict[str, Any]:
    roster = {c.code: c for c in framework.components}
    return {
        "plan": {
            "mission": MISSION,
            "mandate": MANDATE,
            "start": PERIOD[0],
            "end": PERIOD[1],
            "short_term_months": 4,
            "medium_term_months": 14,
            "submit_to": SUBMIT_TO,
        },
        "components": [
            {"code": code, "name": roster[code].name, "kind": roster[code].kind}
            for code in ("HOM", "PAD", "JCS")
        ],
        "outputs": [
            {"id": "3.1", "in_scope": True, "lead": "HOM", "support": ["PAD"]},
            {"id": "5.2", "in_scope": True, "lead": "PAD", "support": ["JCS"]},
        ],
    }


@pytest.fixture(scope="module")
def books(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Workbook]:
    """PAD's workbook and the master, exported through the command line."""
    root = tmp_path_factory.mktemp("instructions")
    plan_file = root / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan_data(framework), sort_keys=False), encoding="utf-8")
    out = root / "workbooks"
    code, stdout, stderr = run_main(
        "export", str(plan_file), "--out", str(out), "--component", "PAD", "--all"
    )
    assert code == 0, stderr
    found = {}
    for path in sorted(out.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        found[str(dict(wb["_meta"].iter_rows(values_only=True))["component"])] = wb
    assert set(found) == {"PAD", "PLAN"}, stdout
    return found


@pytest.fixture(scope="module")
def contract_help() -> dict[str, str]:
    """Each column's help, as `missionplan schema --format json` gives the contract."""
    code, stdout, stderr = run_main("schema", "--format", "json")
    assert code == 0, stderr
    return {c["header"]: c["help"] for c in json.loads(stdout)["columns"]}


def rows(ws: Worksheet) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def first_row(ws: Worksheet, *words: str) -> int:
    """The number of the first row whose column A holds every word (any case)."""
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        text = str(row[0] or "").lower()
        if all(w.lower() in text for w in words):
            return number
    raise AssertionError(f"no row with {words} in column A")


def facts(ws: Worksheet) -> dict[str, str]:
    """The label/value lines at the top of the sheet (column A, column B), labels lower case."""
    found = {}
    for row in rows(ws)[: first_row(ws, "how to fill in") - 1]:
        if row[0] and row[1] is not None:
            found[str(row[0]).lower()] = str(row[1])
    return found


def fact(ws: Worksheet, word: str) -> str:
    matches = [value for label, value in facts(ws).items() if word in label]
    assert len(matches) == 1, (word, facts(ws))
    return matches[0]


def objective_sheets(wb: Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets[1:] if ws.sheet_state == "visible"]


# --- the facts of the plan ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["PAD", "PLAN"])
def test_instructions_come_first_and_name_the_mission_mandate_and_component(
    books: dict[str, Workbook], code: str
) -> None:
    wb = books[code]
    assert wb.sheetnames[0] == "Instructions"
    ws = wb["Instructions"]
    assert fact(ws, "mission") == MISSION
    assert fact(ws, "mandate") == MANDATE
    component = fact(ws, "component")
    assert component.split(":")[0].strip() == code
    if code == "PAD":
        assert "Political Affairs" in component


@pytest.mark.parametrize("code", ["PAD", "PLAN"])
def test_instructions_give_the_period_and_each_terms_window(
    books: dict[str, Workbook], code: str
) -> None:
    ws = books[code]["Instructions"]
    period = fact(ws, "period")
    assert PERIOD[0] in period and PERIOD[1] in period
    for term, (first, last) in WINDOWS.items():
        window = fact(ws, term)
        assert (first in window, last in window) == (True, True), (term, window)
        assert window.index(first) < window.index(last)


@pytest.mark.parametrize("code", ["PAD", "PLAN"])
def test_instructions_say_where_to_send_it(books: dict[str, Workbook], code: str) -> None:
    assert fact(books[code]["Instructions"], "send") == SUBMIT_TO


def test_instructions_say_how_to_fill_it_in(books: dict[str, Workbook]) -> None:
    wb = books["PAD"]
    ws = wb["Instructions"]
    start = first_row(ws, "how to fill in")
    steps = []
    for row in rows(ws)[start:]:
        if not row[0]:
            break
        steps.append(str(row[0]))
    assert len(steps) >= 3
    text = " ".join(steps)
    sheets = [s.title for s in objective_sheets(wb)]
    assert [s.split()[0] for s in sheets] == ["3", "5"]
    for name in sheets:  # it points to this workbook's own sheets
        assert name in text
    assert ".xlsx" in text


def test_instructions_say_how_to_add_more_items_than_there_are_empty_rows(
    books: dict[str, Workbook],
) -> None:
    # README section 3: "the Instructions sheet says so in one sentence"
    ws = books["PAD"]["Instructions"]
    start = first_row(ws, "how to fill in")
    steps = " ".join(str(row[0]) for row in rows(ws)[start:] if row[0])
    sentences = [s for s in steps.split(". ") if "insert a row" in s]
    assert len(sentences) == 1, steps
    (sentence,) = sentences
    for words in ("last row under the output", "leaving Item ID empty", "annotated copy"):
        assert words in sentence, sentence


# --- the colour legend --------------------------------------------------------------------------


def legend(ws: Worksheet) -> dict[str, str]:
    """What each legend line says -> the colour (RGB) of its swatch."""
    found = {}
    for number in range(first_row(ws, "colour legend") + 1, ws.max_row + 1):
        swatch, meaning = ws.cell(number, 1), ws.cell(number, 2).value
        if not meaning:
            break
        found[str(meaning)] = swatch.fill.fgColor.rgb
    return found


def swatch(colours: dict[str, str], *words: str) -> str:
    matches = [rgb for meaning, rgb in colours.items() if all(w in meaning.lower() for w in words)]
    assert len(matches) == 1, (words, colours)
    return matches[0]


def item_row(ws: Worksheet, item_id: str) -> int:
    header = [c.value for c in ws[1]]
    column = header.index("Item ID") + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == item_id)


def column_of(ws: Worksheet, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def conditional_fills(ws: Worksheet, letter: str) -> list[tuple[str, str]]:
    """(formula, fill RGB) of every conditional format on a column."""
    found = []
    for formatting in ws.conditional_formatting:
        if not any(r.coord.startswith(letter) and r.coord[len(letter)].isdigit()
                   for r in formatting.sqref.ranges):  # fmt: skip
            continue
        for rule in formatting.rules:
            found.append((" ".join(rule.formula), rule.dxf.fill.bgColor.rgb))
    return found


def test_the_colour_legend_explains_the_colours_the_sheets_use(books: dict[str, Workbook]) -> None:
    wb = books["PAD"]
    colours = legend(wb["Instructions"])
    assert len(colours) >= 6
    assert len(set(colours.values())) == len(colours)  # one colour, one meaning
    three, five = objective_sheets(wb)  # PAD supports 3.1 and leads 5.2
    lead, text = column_of(five, "Lead"), column_of(five, "Description")
    led = item_row(five, "5.2-A1")
    supported = item_row(three, "3.1-A1")
    # cells PAD fills in; framework text; another component's output; the output band
    assert five.cell(led, lead).fill.fgColor.rgb == swatch(colours, "fill in")
    assert five.cell(led, text).fill.fgColor.rgb == swatch(colours, "framework", "locked")
    assert three.cell(supported, text).fill.fgColor.rgb == swatch(colours, "context")
    assert three.cell(supported, lead).fill.fgColor.rgb == swatch(colours, "context")
    band = item_row(five, "5.2-A1") - 1
    assert five.cell(band, 1).value == "5.2" and five.cell(band, 2).value is None
    assert five.cell(band, text).fill.fgColor.rgb == swatch(colours, "band")
    # conditional formats: Lead (activities only) greyed on other rows, orange when empty
    rules = conditional_fills(five, get_column_letter(lead))
    greyed = [f for f, rgb in rules if rgb == swatch(colours, "not apply")]
    missing = [f for f, rgb in rules if rgb == swatch(colours, "empty")]
    assert greyed and all('"benchmark"' in f and '"activity"' not in f for f in greyed), rules
    assert missing and all('"activity"' in f for f in missing), rules


# --- every column's meaning ---------------------------------------------------------------------


def types_of(text: str) -> set[str]:
    """'all' / 'all items' -> every type; '-' / 'optional' -> none; else the listed types."""
    words = text.strip().lower()
    if words in ("all", "all items"):
        return set(TYPES)
    if words in ("-", "optional", ""):
        return set()
    return {t.strip() for t in words.split(",")}


@pytest.mark.parametrize("code", ["PAD", "PLAN"])
def test_every_column_is_explained_as_the_contract_says(
    books: dict[str, Workbook], contract_help: dict[str, str], code: str
) -> None:
    ws = books[code]["Instructions"]
    header_row = next(
        number
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1)
        if row[0] == "Column"
    )
    table = []
    for row in rows(ws)[header_row:]:
        if not row[0]:
            break
        table.append(row[:4])
    assert [r[0] for r in table] == [header for header, _, _ in README_COLUMNS]
    for (header, applies, required), (_, shown_applies, shown_required, meaning) in zip(
        README_COLUMNS, table, strict=True
    ):
        assert types_of(str(shown_applies)) == types_of(applies), header
        assert types_of(str(shown_required)) == types_of(required), header
        assert meaning and meaning == contract_help[header], header
    assert len({r[3] for r in table}) == len(table)  # each column its own explanation


def test_the_explanations_are_the_sheets_input_messages(books: dict[str, Workbook]) -> None:
    """The same help a cell shows when selected (README: an input message on every column)."""
    wb = books["PAD"]
    ws = wb["Instructions"]
    start = next(n for n, r in enumerate(ws.iter_rows(values_only=True), 1) if r[0] == "Column")
    meaning = {
        str(ws.cell(r, 1).value): str(ws.cell(r, 4).value)
        for r in range(start + 1, start + 1 + len(README_COLUMNS))
    }
    sheet = objective_sheets(wb)[1]
    prompts = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.prompt:
            prompts[validation.promptTitle] = validation.prompt
    assert prompts, "no input messages on the objective sheet"
    for title, prompt in prompts.items():
        header = next(h for h in meaning if h[:32] == title)
        assert meaning[header].startswith(prompt), header
