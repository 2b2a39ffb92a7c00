"""Workbooks printed to PDF through LibreOffice, and read back: words, ruled cells, pages.

A person printing a sheet sees the words drawn on each page and the cell borders around
them. `pdftotext -bbox` gives every word with its box; `pdftocairo -svg` gives the page's
drawing, whose stroked straight lines are the cell borders (both from poppler-utils). From
them a page is a list of ruled rows (the cells between the borders, with the words drawn
in each) and the words outside any cell (titles, text beside the tables), in points from
the top left corner of the page.

What the workbook says a sheet shows comes from openpyxl: its rows of bordered cells, each
cell as the text it shows.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.workbook.sheet import shown

SOFFICE_TIMEOUT = 300
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.6
"""Points a word may reach over a border (its width, anti-aliasing) and still be inside."""
LINE_TOLERANCE = 1.0
"""Points between the tops of words on one line of text."""
ANY = None
"""An expected cell whose text the workbook cannot say: a formula, computed when printed."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def ink(self) -> tuple[float, float]:
        """Top and bottom of the letters: pdftotext's box reaches beyond them, over the
        line above and below, so the letters are its middle part."""
        height = self.y1 - self.y0
        return self.y0 + 0.3 * height, self.y1 - 0.1 * height

    @property
    def middle(self) -> tuple[float, float]:
        top, bottom = self.ink
        return (self.x0 + self.x1) / 2, (top + bottom) / 2


@dataclass(frozen=True)
class Cell:
    x0: float
    x1: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The cell's words in reading order, without spaces (wrapping moves those)."""
        ordered = sorted(self.words, key=lambda w: (round(w.y0), w.x0))
        return squeezed("".join(w.text for w in ordered))


@dataclass(frozen=True)
class RuledRow:
    """The cells between two horizontal borders, split by the vertical borders crossing."""

    page: int
    y0: float
    y1: float
    cells: tuple[Cell, ...]

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class PrintedPage:
    number: int
    width: float
    height: float
    words: list[Word]
    across: list[tuple[float, float, float]] = field(default_factory=list)
    """Horizontal borders: (y, x from, x to)."""
    down: list[tuple[float, float, float]] = field(default_factory=list)
    """Vertical borders: (x, y from, y to)."""

    @property
    def header(self) -> list[Word]:
        """The print header: the top line of words (fit to width shrinks it with the page)."""
        top = min((w.y0 for w in self.words), default=0.0)
        return [w for w in self.words if w.y0 < top + LINE_TOLERANCE]

    @property
    def footer(self) -> list[Word]:
        """The print footer: the bottom line of words."""
        bottom = max((w.y1 for w in self.words), default=0.0)
        return [w for w in self.words if w.y1 > bottom - LINE_TOLERANCE]

    @property
    def body(self) -> list[Word]:
        edges = {id(w) for w in (*self.header, *self.footer)}
        return [w for w in self.words if id(w) not in edges]

    def footer_parts(self) -> tuple[str, str, str]:
        """The print footer's left, middle and right parts."""
        thirds: tuple[list[str], list[str], list[str]] = ([], [], [])
        for w in sorted(self.footer, key=lambda w: w.x0):
            thirds[min(2, int(3 * w.middle[0] / self.width))].append(w.text)
        left, middle, right = (" ".join(part) for part in thirds)
        return left, middle, right

    @property
    def sheet(self) -> str:
        """The sheet's name, from the left of the print footer."""
        return self.footer_parts()[0]

    def rows(self) -> list[RuledRow]:
        """The ruled rows of the page, top to bottom, each word in the cell it is drawn in."""
        rows = []
        body = self.body
        for top, bottom in itertools.pairwise(_distinct(y for y, _, _ in self.across)):
            xs = _distinct(
                x for x, y0, y1 in self.down if y0 <= top + TOLERANCE and y1 >= bottom - TOLERANCE
            )
            if len(xs) < 2:
                continue  # a gap between tables, or a row of cells without borders
            inside = [w for w in body if top < w.middle[1] < bottom]
            cells = tuple(
                Cell(left, right, tuple(w for w in inside if left < w.middle[0] < right))
                for left, right in itertools.pairwise(xs)
            )
            rows.append(RuledRow(self.number, top, bottom, cells))
        return rows

    def overflowing(self) -> list[str]:
        """Every word drawn across a border of the cell it is in."""
        problems = []
        for row in self.rows():
            for cell in row.cells:
                for w in cell.words:
                    top, bottom = w.ink
                    if (
                        w.x0 < cell.x0 - TOLERANCE
                        or w.x1 > cell.x1 + TOLERANCE
                        or top < row.y0 - TOLERANCE
                        or bottom > row.y1 + TOLERANCE
                    ):
                        problems.append(
                            f"page {self.number}: '{w.text}' at ({w.x0:.1f}, {top:.1f})-"
                            f"({w.x1:.1f}, {bottom:.1f}) leaves its cell ({cell.x0:.1f}, "
                            f"{row.y0:.1f})-({cell.x1:.1f}, {row.y1:.1f})"
                        )
        return problems


def _distinct(values: Iterable[float]) -> list[float]:
    """Sorted values, those closer than the tolerance taken as one."""
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > TOLERANCE:
            found.append(value)
    return found


def squeezed(text: str) -> str:
    """Text without its spaces and line breaks (printing moves them), ligatures as letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- printing ---------------------------------------------------------------------------------


def print_to_pdf(soffice: str, workbooks: list[Path], folder: Path) -> list[Path]:
    """Each workbook printed to PDF by LibreOffice, as File > Export as PDF does (one call)."""
    out = folder / "pdf"
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, workbooks),
    ]
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s")
    pdfs = [out / f"{book.stem}.pdf" for book in workbooks]
    for pdf in pdfs:
        assert pdf.exists(), (run.returncode, run.stdout, run.stderr)
    return pdfs


def read_pdf(pdf: Path) -> list[PrintedPage]:
    """Every page of a PDF with its words and its cell borders."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout
    pages = [
        PrintedPage(
            number,
            float(page.get("width", 0)),
            float(page.get("height", 0)),
            [
                Word(w.text or "", *(float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")))
                for w in page.iter(f"{XHTML}word")
            ],
        )
        for number, page in enumerate(ElementTree.fromstring(boxes).iter(f"{XHTML}page"), 1)
    ]
    svg = pdf.with_suffix(".svg")
    subprocess.run(["pdftocairo", "-svg", str(pdf), str(svg)], check=True, timeout=300)
    drawings = list(ElementTree.parse(svg).getroot().iter(f"{SVG}page"))
    assert len(drawings) == len(pages), (len(drawings), len(pages))
    for page, drawing in zip(pages, drawings, strict=True):
        for (x0, y0), (x1, y1) in _lines(drawing):
            if abs(y1 - y0) < 0.01 and not _underlines(page.words, min(x0, x1), max(x0, x1), y0):
                page.across.append((y0, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) < 0.01:
                page.down.append((x0, min(y0, y1), max(y0, y1)))
    return pages


def _underlines(words: list[Word], x0: float, x1: float, y: float) -> bool:
    """Whether a line across is a word's underline (a link), not a border."""
    return any(
        w.x0 - LINE_TOLERANCE <= x0 and x1 <= w.x1 + LINE_TOLERANCE and w.y0 < y < w.y1
        for w in words
    )


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
NUMBER = r"(-?[\d.]+(?:e-?\d+)?)"
LINE = re.compile(rf"^\s*M\s*{NUMBER}\s+{NUMBER}\s*L\s*{NUMBER}\s+{NUMBER}\s*$")


def _lines(
    element: ElementTree.Element, matrix: Matrix = IDENTITY
) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The stroked straight lines of an SVG drawing (cell borders), in page coordinates."""
    if element.tag == f"{SVG}defs":
        return  # glyph outlines, drawn only where the text is
    matrix = _times(matrix, _transform(element.get("transform", "")))
    if element.tag == f"{SVG}path":
        style = element.get("style", "")
        line = LINE.match(element.get("d", ""))
        if line and "stroke:" in style and "stroke:none" not in style:
            x0, y0, x1, y1 = map(float, line.groups())
            yield _apply(matrix, x0, y0), _apply(matrix, x1, y1)
        return
    for child in element:
        yield from _lines(child, matrix)


def _transform(text: str) -> Matrix:
    if not text.strip():
        return IDENTITY
    found = re.fullmatch(r"\s*matrix\(([^)]*)\)\s*", text)
    assert found, f"an SVG transform this reader does not know: {text}"
    a, b, c, d, e, f = (float(v) for v in found.group(1).split(","))
    return (a, b, c, d, e, f)


def _times(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


# --- what the workbook shows ------------------------------------------------------------------


def cell_text(cell: object) -> str | None:
    """What a cell shows, without spaces; ANY for a formula (LibreOffice prints its result)."""
    if getattr(cell, "data_type", "") == "f":
        return ANY
    return squeezed(shown(getattr(cell, "value", None), getattr(cell, "number_format", "")))


def bordered_rows(ws: Worksheet) -> list[list[str | None]]:
    """Each row that has bordered cells, as the texts of those cells (a merged range is one)."""
    hidden = {
        (row, column)
        for merged in ws.merged_cells.ranges
        for row in range(merged.min_row, merged.max_row + 1)
        for column in range(merged.min_col, merged.max_col + 1)
        if (row, column) != (merged.min_row, merged.min_col)
    }
    rows = []
    for row in ws.iter_rows():
        texts = []
        for cell in row:
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            if (cell.row, cell.column) not in hidden and any(
                s is not None and s.style for s in sides
            ):
                texts.append(cell_text(cell))
        if texts:
            rows.append(texts)
    return rows


def shown_characters(ws: Worksheet, rows: Iterable[int] = ()) -> str:
    """Every character the sheet's cells show (formulas left out), and again those of `rows`."""
    every = [c for row in ws.iter_rows() for c in row if c.value is not None]
    again = [c for number in rows for c in ws[number] if c.value is not None]
    return "".join(text for c in (*every, *again) if (text := cell_text(c)) is not None)
