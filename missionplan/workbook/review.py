"""Read a returned review workbook into plain data: metadata, the items issued, each sheet's rows.

The review's counterpart of reader.py: the same safety checks and metadata, the same
formula scan; columns are found by the review sheets' headers (schema/review.py), so a
column moved or a row inserted does not break reading. Sheets and headers are recognised in
every language, whatever the workbook's own (a French workbook's 'Activités', 'Statut actuel').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from missionplan.schema.items import ExpectedItem
from missionplan.schema.review import (
    PLANNING_KIND,
    REVIEW_SHEETS,
    ReviewSheet,
    header_spellings,
    sheet_of_title,
)
from missionplan.workbook.metadata import (
    ITEMS_SHEET,
    META_SHEET,
    MetadataError,
    WorkbookMeta,
)
from missionplan.workbook.reader import HEADER_SEARCH_ROWS, formula_cells, read_expected, read_meta
from missionplan.workbook.safety import UnreadableWorkbook, ensure_safe_workbook


@dataclass(frozen=True)
class ReviewTable:
    """One review sheet as found: its header row, columns by key, and its non-empty rows;
    `name` is the sheet's name in the workbook (its language's: 'Activités')."""

    sheet: ReviewSheet
    header_row: int
    columns: dict[str, int]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    name: str = ""

    @property
    def title(self) -> str:
        """The sheet's name as the workbook has it, where findings point."""
        return self.name or self.sheet.name

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.sheet.columns if c.key not in self.columns)

    def value(self, cells: tuple[object, ...], key: str) -> object:
        position = self.columns.get(key)
        return cells[position] if position is not None and position < len(cells) else None


@dataclass(frozen=True)
class ReviewSubmission:
    """A returned review workbook as plain data (no file handles)."""

    file: str
    meta: WorkbookMeta
    expected: tuple[ExpectedItem, ...]
    tables: tuple[ReviewTable, ...]
    """The review sheets found, in REVIEW_SHEETS order (a missing sheet is left out)."""
    formulas: dict[str, frozenset[str]] = field(default_factory=dict)


def read_review(path: Path) -> ReviewSubmission:
    """Check and read a review workbook; anything unreadable is an UnreadableWorkbook."""
    ensure_safe_workbook(path)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if META_SHEET not in names or ITEMS_SHEET not in names:
            raise UnreadableWorkbook(path, "not a missionplan review workbook (no metadata)")
        meta_rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
        meta = read_meta(meta_rows)
        expected = read_expected(
            book.get_sheet_by_name(ITEMS_SHEET).to_python(skip_empty_area=False)
        )
        titles = review_titles(names)
        tables = tuple(
            review_table(
                sheet,
                book.get_sheet_by_name(titles[sheet.name]).to_python(skip_empty_area=False),
                titles[sheet.name],
            )
            for sheet in REVIEW_SHEETS
            if sheet.name in titles
        )
    except MetadataError as error:
        raise UnreadableWorkbook(path, f"the metadata is damaged: {error}") from None
    except UnreadableWorkbook:
        raise
    except Exception as error:  # calamine raises its own types for broken parts
        raise UnreadableWorkbook(path, f"damaged workbook: {error}") from None
    return ReviewSubmission(str(path), meta, expected, tables, formula_cells(path))


def workbook_kind(path: Path) -> str:
    """The `kind` a workbook's `_meta` says ("planning" when it says none), reading nothing
    else; an unreadable workbook is an UnreadableWorkbook."""
    ensure_safe_workbook(path)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        if META_SHEET not in book.sheet_names:
            return PLANNING_KIND
        rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own types for broken parts
        raise UnreadableWorkbook(path, f"damaged workbook: {error}") from None
    kinds = [str(r[1]).strip() for r in rows if len(r) >= 2 and str(r[0]).strip() == "kind"]
    return kinds[0] if kinds and kinds[0] else PLANNING_KIND


def review_titles(names: Sequence[str]) -> dict[str, str]:
    """The workbook's sheet name of each review sheet found, by the sheet's English name (the
    first sheet of a name in any language, when a workbook has it twice)."""
    titles: dict[str, str] = {}
    for name in names:
        sheet = sheet_of_title(name)
        if sheet is not None:
            titles.setdefault(sheet.name, name)
    return titles


def review_table(
    sheet: ReviewSheet, rows: Sequence[Sequence[object]], name: str = ""
) -> ReviewTable:
    """Find the header row (the one naming most of the sheet's columns); map columns by header,
    in any language."""
    by_header = {
        " ".join(spelling.split()).casefold(): c.key
        for c in sheet.columns
        for spelling in header_spellings(c)
    }
    best_row, best = 0, dict[str, int]()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, value in enumerate(row):
            key = by_header.get(" ".join(str(value).split()).casefold())
            if key is not None and key not in columns:
                columns[key] = position
        if len(columns) > len(best):
            best_row, best = index, columns
    body = tuple(
        (number, tuple(row))
        for number, row in enumerate(rows[best_row + 1 :], start=best_row + 2)
        if any(value not in ("", None) for value in row)
    )
    return ReviewTable(sheet, best_row + 1, best, body, name or sheet.name)
