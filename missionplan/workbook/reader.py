"""Read a returned planning workbook into plain data: metadata, sheets, rows, formulas.

Files are checked by safety.py first; values are read with python-calamine
(fast, values only), and formulas are found by scanning the sheet XML, so
that a formula in an input cell is reported and never evaluated. Columns
are found by their header, so rows and columns a user inserted do not
break reading. The workbook's saved time is read from its document
properties, for merge to tell which of a component's files is newest.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as ET
from defusedxml import DefusedXmlException

from missionplan.schema.contract import BY_HEADER, COLUMNS
from missionplan.schema.items import ExpectedItem, IssuedItem, SubmittedItem
from missionplan.schema.language import every_spelling
from missionplan.workbook.metadata import (
    HIDDEN_SHEETS,
    INSTRUCTIONS_SHEET,
    ISSUED_SHEET,
    ITEMS_SHEET,
    MERGED_PLAN_SHEETS,
    META_SHEET,
    MetadataError,
    WorkbookMeta,
    expected_items,
    issued_from_cells,
    meta_from_pairs,
)
from missionplan.workbook.safety import UnreadableWorkbook, ensure_safe_workbook

NOT_PLANNING_SHEETS = frozenset(
    spelling
    for name in (*HIDDEN_SHEETS, INSTRUCTIONS_SHEET, *MERGED_PLAN_SHEETS)
    for spelling in every_spelling(name)
)
"""Sheets never read as planning sheets, in every language (a French Gaps sheet's headers
would otherwise name enough contract columns to pass for one)."""
HEADER_SEARCH_ROWS = 10
MIN_CONTRACT_COLUMNS = 3
"""A sheet whose header names fewer contract columns is not a planning sheet (e.g. Findings)."""
FORMULA_ELEMENT = re.compile(rb"<f[\s>/]")
CELL_START = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*?(/?)>')
PACKAGE_RELS = "_rels/.rels"
CORE_PROPERTIES = "docProps/core.xml"
CORE_PROPERTIES_TYPE = "/metadata/core-properties"
PROPERTIES_LIMIT = 256 * 1024
"""The document properties and the package relationships are a few hundred bytes; larger
ones are not read (the workbook then has no saved time)."""
DCTERMS_MODIFIED = "{http://purl.org/dc/terms/}modified"


@dataclass(frozen=True)
class SheetTable:
    """One objective sheet as found: where its header is, its columns, its rows."""

    name: str
    header_row: int
    columns: dict[str, int]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    missing_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    """A returned workbook as plain data: everything the checks need, no file handles."""

    file: str
    meta: WorkbookMeta
    expected: tuple[ExpectedItem, ...]
    sheets: tuple[SheetTable, ...]
    formulas: dict[str, frozenset[str]] = field(default_factory=dict)
    saved: dt.datetime | None = None
    """When the workbook was last saved, by its own properties (UTC); None if it does not say."""
    issued: dict[str, IssuedItem] = field(default_factory=dict)
    """A re-issued workbook's rows as issued, by item id (the `_issued` sheet); else empty."""
    items: tuple[SubmittedItem, ...] | None = None
    """Its items typed (validate/items.py), when validation was asked for them; else None."""


def read_submission(path: Path) -> Submission:
    """Check and read a workbook; anything unreadable is an UnreadableWorkbook (exit 2).

    The safety checks find the formula cells as they unpack each sheet (once for both).
    """
    scanned = ensure_safe_workbook(path, scan=_formula_set)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if META_SHEET not in names or ITEMS_SHEET not in names:
            raise UnreadableWorkbook(
                path,
                "not a missionplan planning workbook (it has no template metadata); "
                "fill in the workbook that 'missionplan export' produced",
            )
        meta = read_meta(book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False))
        expected = read_expected(
            book.get_sheet_by_name(ITEMS_SHEET).to_python(skip_empty_area=False)
        )
        tables = (
            _read_table(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in names
            if name not in NOT_PLANNING_SHEETS and not name.startswith("_")
        )
        sheets = tuple(t for t in tables if len(t.columns) >= MIN_CONTRACT_COLUMNS)
        issued = (
            read_issued(book.get_sheet_by_name(ISSUED_SHEET).to_python(skip_empty_area=False))
            if ISSUED_SHEET in names
            else {}
        )
    except MetadataError as error:
        raise UnreadableWorkbook(path, f"the template metadata is damaged: {error}") from None
    except UnreadableWorkbook:
        raise
    except Exception as error:  # calamine raises its own types for broken parts
        raise UnreadableWorkbook(path, f"damaged workbook: {error}") from None
    return Submission(
        str(path), meta, expected, sheets, formula_cells(path, scanned), saved_time(path), issued
    )


def read_issued(rows: Sequence[Sequence[object]]) -> dict[str, IssuedItem]:
    """The `_issued` sheet's rows (after its header), by item id."""
    items = (issued_from_cells(list(row), number) for number, row in enumerate(rows[1:], 2))
    return {item.item_id: item for item in items if item is not None}


def read_meta(rows: Sequence[Sequence[object]]) -> WorkbookMeta:
    """The `_meta` sheet's key/value rows as the workbook's metadata."""
    pairs = {str(row[0]).strip(): row[1] for row in rows if len(row) >= 2 and str(row[0]).strip()}
    return meta_from_pairs(pairs)


def read_expected(rows: Sequence[Sequence[object]]) -> tuple[ExpectedItem, ...]:
    """The `_items` sheet's rows (after its header): every row given out, with its fingerprint."""
    return expected_items([row for row in rows[1:] if row and str(row[0]).strip()])


def _read_table(name: str, rows: Sequence[Sequence[object]]) -> SheetTable:
    """Find the header row (the one naming most contract columns) and map columns by header."""
    best_row, best_columns = 0, dict[str, int]()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, value in enumerate(row):
            column = BY_HEADER.get(" ".join(str(value).split()).casefold())
            if column is not None and column.key not in columns:
                columns[column.key] = position
        if len(columns) > len(best_columns):
            best_row, best_columns = index, columns
    missing = tuple(c.key for c in COLUMNS if c.key not in best_columns)
    body = tuple(
        (number, tuple(row))
        for number, row in enumerate(rows[best_row + 1 :], start=best_row + 2)
        if any(row) or row.count("") + row.count(None) < len(row)  # not blank: in C, and
        # most rows stop at a first cell with a value; a row of zeros counts too
    )
    return SheetTable(name, best_row + 1, best_columns, body, missing)


def formula_cells(
    path: Path, scanned: Mapping[str, frozenset[str]] | None = None
) -> dict[str, frozenset[str]]:
    """Cells holding a formula, by sheet name (a scan of the XML; nothing is evaluated).

    `scanned`: the formula cells already found, by worksheet part (ensure_safe_workbook's
    scan); the parts not in it are read here.
    """
    found: dict[str, frozenset[str]] = {}
    done = scanned or {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                cells = done.get(part)
                found[name] = _formula_set(archive.read(part)) if cells is None else cells
    except (KeyError, zipfile.BadZipFile, OSError) as error:
        raise UnreadableWorkbook(path, f"damaged workbook: {error}") from None
    return found


def _formula_set(sheet_xml: bytes) -> frozenset[str]:
    return frozenset(formula_refs(sheet_xml))


def formula_refs(sheet_xml: bytes) -> list[str]:
    """The A1 references of cells holding a formula element, from a worksheet's XML.

    Works from each formula element back to the cell that encloses it, so the cost
    grows with the number of formulas, not with the size of the sheet.
    """
    refs = []
    for formula in FORMULA_ELEMENT.finditer(sheet_xml):
        start = sheet_xml.rfind(b"<c ", 0, formula.start())
        if start < 0 or sheet_xml.find(b"</c>", start, formula.start()) >= 0:
            continue
        cell = CELL_START.match(sheet_xml, start)
        if cell and not cell.group(2) and cell.end() <= formula.start():
            refs.append(cell.group(1).decode())
    return refs


def saved_time(path: Path) -> dt.datetime | None:
    """When the workbook says it was last saved: dcterms:modified of its core properties.

    Excel and LibreOffice set it on every save, and copying the file keeps it. In UTC
    (a time without a zone is taken as UTC, as openpyxl writes it). None when the
    workbook has none, or it cannot be read safely: a part too large, not XML, or with
    a DTD (defusedxml refuses it, as safety.py does for the parts it checks).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _core_part(archive)
            if part is None:
                return None
            modified = ET.fromstring(_small_part(archive, part), forbid_dtd=True).find(
                DCTERMS_MODIFIED
            )
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, SyntaxError, DefusedXmlException):
        return None  # ParseError is a SyntaxError; an oversized part a ValueError
    text = (modified.text or "").strip() if modified is not None else ""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _core_part(archive: zipfile.ZipFile) -> str | None:
    """The core-properties part the package relationships name (docProps/core.xml)."""
    names = set(archive.namelist())
    if PACKAGE_RELS not in names:
        return CORE_PROPERTIES if CORE_PROPERTIES in names else None
    for relation in ET.fromstring(_small_part(archive, PACKAGE_RELS), forbid_dtd=True):
        if relation.get("Type", "").endswith(CORE_PROPERTIES_TYPE):
            part = relation.get("Target", "").lstrip("/")
            return part if part in names else None
    return None


def _small_part(archive: zipfile.ZipFile, part: str) -> bytes:
    """A part's bytes, refused (ValueError) past PROPERTIES_LIMIT whatever its header claims."""
    with archive.open(part) as stream:
        data = stream.read(PROPERTIES_LIMIT + 1)
    if len(data) > PROPERTIES_LIMIT:
        raise ValueError(f"{part} is larger than {PROPERTIES_LIMIT} bytes")
    return data


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part, from the workbook and its relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = part
    return parts
