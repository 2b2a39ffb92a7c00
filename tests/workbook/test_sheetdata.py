"""The fast <sheetData> writer: every part of a saved workbook is openpyxl's, byte for byte."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.writer.excel import ExcelWriter

from missionplan.workbook.cells import put, save_workbook
from missionplan.workbook.sheetdata import sheet_data

# what XML escapes or treats as white space, beside ordinary and non-ASCII text;
# control characters other than these openpyxl itself refuses
_CORE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" \n\r\t&<>\"'=#"),
    max_size=12,
)
_SPACE = st.sampled_from(["", "", " ", "  ", "\n", "\t", "\r\n", "\u00a0"])
_TEXT = st.builds(lambda lead, core, trail: lead + core + trail, _SPACE, _CORE, _SPACE)
_DATES = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2999, 12, 31))
_DATETIMES = st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2999, 1, 1))
_VALUES = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-(10**20), 10**20),
    st.floats(),  # NaN and infinities too: openpyxl writes an empty <v />
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.booleans(),
    _DATES,
    _DATETIMES,
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=9999)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    _TEXT.map(lambda text: "=" + text),  # a formula
    st.sampled_from(["#N/A", "#REF!", "#DIV/0!"]),  # openpyxl's error cells
)
_STYLES = (
    None,
    {"font": Font(bold=True)},
    {"number_format": "yyyy-mm-dd"},
    {"fill": PatternFill("solid", fgColor="FFEEDD"), "alignment": Alignment(wrap_text=True)},
)


@dataclass(frozen=True)
class _Cell:
    row: int
    column: int
    value: object
    as_text: bool  # written by put(): a text starting "=" stays text
    style: int
    comment: str | None
    link: str | None


@dataclass(frozen=True)
class _Sheet:
    cells: list[_Cell]
    heights: dict[int, float]
    hidden: list[int]
    row_styles: dict[int, int]  # a row's own style (its dimension's), by _STYLES index
    outline: dict[int, int]
    merged: bool


_CELLS = st.builds(
    _Cell,
    row=st.integers(1, 25),
    column=st.integers(1, 30),
    value=_VALUES,
    as_text=st.booleans(),
    style=st.integers(0, len(_STYLES) - 1),
    comment=st.none() | _TEXT.filter(bool),
    link=st.none() | st.sampled_from(["https://example.org/a?b=1&c=2", "#'Sheet'!A1"]),
)
_SHEETS = st.builds(
    _Sheet,
    cells=st.lists(_CELLS, max_size=40),
    heights=st.dictionaries(st.integers(1, 30), st.floats(1, 400), max_size=5),
    hidden=st.lists(st.integers(1, 30), max_size=4),
    row_styles=st.dictionaries(st.integers(1, 30), st.integers(0, len(_STYLES) - 1), max_size=4),
    outline=st.dictionaries(st.integers(1, 30), st.integers(0, 7), max_size=3),
    merged=st.booleans(),
)


def _build(sheets: list[_Sheet], iso_dates: bool, epoch1904: bool) -> Workbook:
    wb = Workbook(iso_dates=iso_dates)
    wb.properties.created = wb.properties.modified = dt.datetime(2027, 1, 1)
    if epoch1904:
        wb.epoch = dt.datetime(1904, 1, 1)
    for index, spec in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet(f"S{index}")
        assert ws is not None
        for c in spec.cells:
            cell = ws.cell(c.row, c.column)
            if c.as_text and isinstance(c.value, str):
                put(cell, c.value)
            else:
                cell.value = c.value
            for attribute, style in (_STYLES[c.style] or {}).items():
                setattr(cell, attribute, style)
            if c.comment is not None:
                cell.comment = Comment(c.comment, "author")
            if c.link is not None:
                cell.hyperlink = c.link
        for row, height in spec.heights.items():
            ws.row_dimensions[row].height = height
        for row in spec.hidden:
            ws.row_dimensions[row].hidden = True
        for row, style_index in spec.row_styles.items():
            for attribute, style in (_STYLES[style_index] or {}).items():
                setattr(ws.row_dimensions[row], attribute, style)
        for row, level in spec.outline.items():
            ws.row_dimensions[row].outlineLevel = level
        if spec.merged:
            ws.merge_cells("AA2:AC4")
    return wb


def _parts(path: Path) -> dict[str, bytes]:
    with ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _openpyxl_save(wb: Workbook, path: Path) -> None:
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()


def _assert_same(build: object, tmp_path: Path) -> None:
    """Two workbooks built alike, one saved by openpyxl and one by save_workbook."""
    assert callable(build)
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save_workbook(build(), ours)
    _openpyxl_save(build(), theirs)
    mine, reference = _parts(ours), _parts(theirs)
    assert list(mine) == list(reference)
    for name, data in reference.items():
        assert mine[name] == data, name


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sheets=st.lists(_SHEETS, min_size=1, max_size=3),
    iso_dates=st.booleans(),
    epoch1904=st.booleans(),
)
def test_every_part_is_openpyxls_byte_for_byte(
    sheets: list[_Sheet], iso_dates: bool, epoch1904: bool, tmp_path: Path
) -> None:
    _assert_same(lambda: _build(sheets, iso_dates, epoch1904), tmp_path)
    # and the fast writer wrote these sheets: nothing in them is left to openpyxl
    wb = _build(sheets, iso_dates, epoch1904)
    for ws in wb.worksheets:
        ws._comments, ws._hyperlinks = [], []  # as openpyxl's WorksheetWriter sets them
        assert sheet_data(ws) is not None


def _rich_text(ws: object) -> None:
    ws["B2"] = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))  # type: ignore[index]


def _array_formula(ws: object) -> None:
    ws["C3"] = ArrayFormula("C3:C4", "=SUM(A1:A2)")  # type: ignore[index]


@pytest.mark.parametrize("rare", [_rich_text, _array_formula])
def test_a_sheet_with_what_it_does_not_write_is_written_by_openpyxl(
    rare: object, tmp_path: Path
) -> None:
    assert callable(rare)

    def build() -> Workbook:
        wb = Workbook()
        ws = wb.active
        ws["A1"] = "before"
        ws["A1"].comment = Comment("a note", "me")
        ws["A1"].hyperlink = "https://example.org"
        rare(ws)
        ws["D9"] = 3
        return wb

    _assert_same(build, tmp_path)
    wb = build()
    ws = wb.active
    ws._comments, ws._hyperlinks = [], []
    assert sheet_data(ws) is None
    assert ws._comments == [] and ws._hyperlinks == []  # openpyxl's pass starts afresh


def test_a_date_with_a_timezone_is_refused_as_openpyxl_refuses_it(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(TypeError, match="timezone"):
        save_workbook(wb, tmp_path / "tz.xlsx")


def test_whitespace_is_preserved_only_around_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for row, text in enumerate([" lead", "trail ", "  ", "in side", "\nline", Decimal("1.5")], 1):
        ws.cell(row, 1).value = text
    save_workbook(wb, tmp_path / "w.xlsx")
    sheet = _parts(tmp_path / "w.xlsx")["xl/worksheets/sheet1.xml"].decode()
    assert sheet.count('xml:space="preserve"') == 3
    assert "<t>  </t>" in sheet and "<t>in side</t>" in sheet


def test_conditional_formats_number_their_styles_as_openpyxl_does(tmp_path: Path) -> None:
    """Rules sharing one differential style, equal styles in separate objects, an empty
    style and a rule without one: the same dxfId on every rule, the same styles.xml."""

    def build() -> Workbook:
        wb = Workbook()
        grey = DifferentialStyle(fill=PatternFill("solid", fgColor="FFBFBFBF"))
        for index in range(2):
            ws = wb.active if index == 0 else wb.create_sheet(f"S{index}")
            assert ws is not None
            ws["A1"] = "x"
            bold = DifferentialStyle(font=Font(bold=True))  # a new, equal one a sheet
            for column in "ABC":
                ws.conditional_formatting.add(
                    f"{column}1:{column}9", Rule(type="expression", formula=["TRUE"], dxf=grey)
                )
            ws.conditional_formatting.add(
                "D1:D9", Rule(type="expression", formula=["A1=1"], dxf=bold)
            )
            ws.conditional_formatting.add(
                "E1:E9", Rule(type="expression", formula=["A1=2"], dxf=DifferentialStyle())
            )
            ws.conditional_formatting.add("F1:F9", Rule(type="expression", formula=["A1=3"]))
            ws.conditional_formatting.add(
                "A1:A9 C2:C3",
                FormulaRule(formula=["A1=4"], fill=PatternFill("solid", fgColor="FFFCE4D6")),
            )
        return wb

    _assert_same(build, tmp_path)
