"""Every kind of sheet the tool writes, printed through LibreOffice as a person would.

The demo's merged plan (Instructions, Summary, Conflicts, Gaps, objective sheets), its
final annotated copy with the most findings (Findings, and the component's own sheets) and one
component's blank workbook are printed with `soffice --convert-to pdf`, then read back
page by page (tests/workbook/printed.py) and held against what the workbook holds:
- every table's columns are on the page: each ruled row has as many cells as its row in
  the workbook, and the sheet's first page starts with the first table's header;
- no text is drawn outside its cell's box, across or down;
- every value can be read: each ruled row shows its workbook row's values, in order, and
  every character of every cell is printed, once (a repeated header row once a page);
- the print header names the mission, the footer the sheet, the page and the plan id;
- the merged plan and the annotated copy take the pages they should;
- the Summary's charts print on a page of their own after its tables, under their title,
  with their own titles and labels (the checks above read the pages of tables).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.demo.run import run_demo
from missionplan.merge.writer import SUMMARY_SHEET
from missionplan.schema.language import translate
from missionplan.validate.annotation import FINDINGS_SHEET
from tests.needs import require
from tests.workbook.printed import (
    ANY,
    LINE_TOLERANCE,
    PrintedPage,
    Word,
    bordered_rows,
    print_to_pdf,
    read_pdf,
    shown_characters,
    squeezed,
)

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

MERGED_PAGES = {
    "Instructions": 3,
    "Summary": 4,
    "Conflicts": 1,
    "Gaps": 1,
    "3 Facilitating and Supporting": 5,
    "4 Creating a Secure and Stable": 5,
    "5 Strengthening the Rule of Law": 2,
    "6 Supporting Peacebuilding and": 3,
}
"""Pages each sheet of the demo's merged plan takes, printed with Calibri's metrics."""
ANNOTATED_PAGES = {
    FINDINGS_SHEET: 1,
    "Instructions": 3,
    "3 Facilitating and Supporting": 1,
    "4 Creating a Secure and Stable": 1,
    "5 Strengthening the Rule of Law": 1,
}


@dataclass(frozen=True)
class Printed:
    """A workbook and the pages LibreOffice printed from it."""

    name: str
    book: Workbook
    pages: list[PrintedPage]

    def sheets(self) -> list[Worksheet]:
        return [ws for ws in self.book.worksheets if ws.sheet_state == "visible"]

    def pages_of(self, ws: Worksheet) -> list[PrintedPage]:
        return [p for p in self.pages if p.sheet == ws.title]

    def table_pages_of(self, ws: Worksheet) -> list[PrintedPage]:
        """The pages of the sheet's cells: all but the charts' page, the last of a sheet
        with charts (merge/charts.py puts them there, under a title)."""
        pages = self.pages_of(ws)
        return pages[:-1] if ws._charts else pages


@pytest.fixture(scope="module")
def printed(
    soffice: str, poppler: None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Printed]:
    """The demo's merged plan, its most annotated final copy and a blank workbook, printed.

    (The demo's half-filled first draft has far more findings: a page count for its Findings
    sheet would pin the demo's draft, not the layout.)"""
    root = tmp_path_factory.mktemp("printed")
    run_demo(root / "demo", force=True, say=lambda _: None)
    finals = [
        p for p in sorted((root / "demo" / "annotated").glob("*.xlsx")) if "draft" not in p.name
    ]
    annotated = max(finals, key=_findings)
    books = {
        "merged plan": root / "demo" / "mission-plan.xlsx",
        "annotated copy": annotated,
        "blank workbook": sorted((root / "demo" / "templates").glob("*.xlsx"))[0],
    }
    copies = []
    for name, path in books.items():  # distinct file names for the PDFs
        copies.append(root / f"{name.replace(' ', '-')}.xlsx")
        shutil.copyfile(path, copies[-1])
    pdfs = print_to_pdf(soffice, copies, root)
    return {
        name: Printed(name, openpyxl.load_workbook(copy), read_pdf(pdf))
        for name, copy, pdf in zip(books, copies, pdfs, strict=True)
    }


def _findings(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = sum(1 for _ in wb[FINDINGS_SHEET].iter_rows(min_row=2))
    wb.close()
    return rows


BOOKS = ["merged plan", "annotated copy", "blank workbook"]


@pytest.mark.parametrize("name", BOOKS)
def test_every_page_names_mission_sheet_page_and_plan(
    printed: dict[str, Printed], name: str
) -> None:
    book = printed[name]
    names = [ws.title for ws in book.sheets()]
    order = list(dict.fromkeys(p.sheet for p in book.pages))
    assert order == names, "pages whose footer names no sheet, or sheets in another order"
    meta = dict(book.book["_meta"].iter_rows(max_col=2, values_only=True))
    total = len(book.pages)
    for page in book.pages:
        assert " ".join(w.text for w in page.header) == meta["mission"], page.number
        _, number, plan = page.footer_parts()
        assert (number, plan) == (f"Page {page.number} of {total}", f"Plan {meta['plan_id']}")


@pytest.mark.parametrize("name", BOOKS)
def test_no_text_is_drawn_outside_its_cell(printed: dict[str, Printed], name: str) -> None:
    book = printed[name]
    problems = [
        f"{ws.title}: {problem}"
        for ws in book.sheets()
        for page in book.table_pages_of(ws)
        for problem in page.overflowing()
    ]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("name", BOOKS)
def test_every_table_row_prints_whole_with_its_values_in_its_cells(
    printed: dict[str, Printed], name: str
) -> None:
    book = printed[name]
    for ws in book.sheets():
        expected = bordered_rows(ws)
        pages = book.table_pages_of(ws)
        header = expected[0]
        found = []
        for page in pages:
            rows = [row.texts for row in page.rows()]
            if ws.print_title_rows:  # the header row is repeated at the top of every page
                assert rows and _same(rows[0], header), (ws.title, page.number, rows[:1])
                rows = rows[1:] if found else rows
            found += rows
        assert found, ws.title
        # every column on the page, and the first table's header first on the first page
        assert _same(found[0], header), (ws.title, found[0], header)
        assert len(found) == len(expected), (ws.title, len(found), len(expected))
        for number, (printed_row, row) in enumerate(zip(found, expected, strict=True)):
            assert _same(printed_row, row), (ws.title, number, printed_row, row)


def _same(printed: list[str], expected: list[str | None]) -> bool:
    return len(printed) == len(expected) and all(
        want is ANY or got == want for got, want in zip(printed, expected, strict=True)
    )


@pytest.mark.parametrize("name", BOOKS)
def test_every_character_of_every_cell_is_printed_once(
    printed: dict[str, Printed], name: str
) -> None:
    """Nothing cut off at a cell's or the page's edge, hidden behind a neighbour or shown
    as ###; formulas are left out (LibreOffice prints their result). Of a charts' page,
    only its title is a cell's."""
    book = printed[name]
    for ws in book.sheets():
        pages = book.table_pages_of(ws)
        formulas = sum(1 for row in ws.iter_rows() for c in row if c.data_type == "f")
        repeated = [1] * (len(pages) - 1) if ws.print_title_rows else []
        want = Counter(shown_characters(ws, repeated))
        words = [w for p in pages for w in p.body]
        if ws._charts:
            words += _top_line(book.pages_of(ws)[-1])
        got = Counter(squeezed("".join(w.text for w in words)))
        missing, extra = want - got, got - want
        assert not missing, (ws.title, dict(missing.most_common(10)))
        if not formulas:
            assert not extra, (ws.title, dict(extra.most_common(10)))
        assert "###" not in "".join(w.text for p in pages for w in p.body), ws.title


def test_the_merged_plan_and_the_annotated_copy_take_the_pages_they_should(
    printed: dict[str, Printed],
) -> None:
    require(
        "the Carlito font (Calibri's metrics, as LibreOffice ships it)",
        "carlito" in _font_for("Calibri").lower(),
        "install fonts-crosextra-carlito (scripts/ensure-libreoffice.sh)",
    )
    for name, pages in (("merged plan", MERGED_PAGES), ("annotated copy", ANNOTATED_PAGES)):
        book = printed[name]
        found = {ws.title: len(book.pages_of(ws)) for ws in book.sheets()}
        assert found == pages, name
        assert len(book.pages) == sum(pages.values())


def _top_line(page: PrintedPage) -> list[Word]:
    """The first line of words under the print header."""
    top = min((w.y0 for w in page.body), default=0.0)
    return [w for w in page.body if w.y0 < top + LINE_TOLERANCE]


def test_the_summary_charts_print_on_a_page_of_their_own(printed: dict[str, Printed]) -> None:
    """LibreOffice draws each chart with its title, the categories and the series names it
    reads from the Summary's cells, under the charts' title, and nothing else on the page."""
    book = printed["merged plan"]
    ws = book.book[SUMMARY_SHEET]
    assert len(ws._charts) == 3
    page = book.pages_of(ws)[-1]
    title = [w.text for w in _top_line(page)]
    assert title == [translate("Charts")], title
    drawn = squeezed("".join(w.text for w in page.body))
    for chart in ws._charts:
        words = "".join(r.t for p in chart.title.tx.rich.p for r in p.r or ())
        assert squeezed(words) in drawn, words
    for label in ("assessed budget", "2027 Q1", "HOM", "3 Facilitating and Supporting"):
        assert squeezed(label) in drawn, label  # series and categories, from the cells


def _font_for(family: str) -> str:
    found = shutil.which("fc-match")
    if found is None:
        return ""
    return subprocess.run([found, family], capture_output=True, text=True, check=False).stdout
