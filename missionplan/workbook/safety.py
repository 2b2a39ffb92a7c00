"""Refuse hostile or broken .xlsx files before openpyxl or python-calamine parse them.

Why: both parsers trust what they are given. A crafted file can exhaust memory (a zip
bomb, entity expansion), try to read local files (external entities), carry macros into
the workbooks we hand back to planners, or abort the whole process (python-calamine on a
sheet that claims billions of cells). Planners also send the wrong thing: a CSV, an old
.xls, a password-protected file. Each of these gets a one-line reason that says what to do.

The checks are cheap: the zip directory, a few small index parts parsed as a stream, and
the first 64 KiB of each worksheet. Nothing is written; memory stays bounded whatever the
declared sizes say; and the only exception that leaves this module is UnreadableWorkbook.
A caller that wants each worksheet's whole XML too (the reader, for its formula cells)
passes a scan: the rest of the sheet is unpacked from the stream its checks started.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import string
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedElementTree
from defusedxml import DefusedXmlException

from missionplan.errors import MissionplanError
from missionplan.schema.text import shorten
from missionplan.workbook.cells import column_number

KIB = 1024
MIB = 1024**2


class UnreadableWorkbook(MissionplanError):
    """A file that cannot be read safely as a workbook.

    The message names the file and the reason: `str(error) == f"{path}: {reason}"`.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[type[UnreadableWorkbook], tuple[Path, str]]:
        """Keep the error picklable (worker processes send it back to the parent)."""
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class Limits:
    """How much a workbook may claim before we refuse it; tests lower these."""

    max_file_bytes: int = 100 * 1024**2  # compressed file size
    max_member_bytes: int = 200 * 1024**2  # uncompressed size of one zip member
    max_total_bytes: int = 500 * 1024**2  # uncompressed total
    max_ratio: float = 200.0  # uncompressed/compressed, only for members > 1 MiB uncompressed
    max_members: int = 10_000
    max_sheets: int = 200
    max_rows: int = 1_048_576
    max_columns: int = 16_384


DEFAULT_LIMITS = Limits()

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_OLE_SCAN_BYTES = 4 * MIB
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_OLE_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_PREFIX_BYTES = 64 * KIB
_RATIO_FLOOR = 1 * MIB
_CHUNK_BYTES = 64 * KIB
_MAX_XML_DEPTH = 100
_MAX_INDEX_PART_BYTES = 32 * MIB  # [Content_Types].xml, xl/workbook.xml and its .rels
# zipfile loads the whole central directory; a real entry takes well under 256 bytes.
_DIRECTORY_ENTRY_BYTES = 256
_SNIFF_BYTES = 2 * KIB

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"

_RESAVE = "save it again from Excel or LibreOffice"
_SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as .xlsx"
_ENCRYPTED = (
    "password-protected (encrypted) workbook; remove the password"
    " (File > Info > Protect Workbook in Excel) and send it again"
)
_LEGACY_XLS = f"a legacy Excel 97-2003 .xls file; {_SAVE_AS_XLSX}"
_TRUNCATED = f"damaged: the file is not a complete .xlsx; {_RESAVE}"
_ODS = "an OpenDocument spreadsheet (.ods); save it as .xlsx (File > Save As in LibreOffice)"
_MACROS = (
    "contains macros (a macro-enabled workbook); save it as a plain .xlsx workbook without macros"
)
_MACRO_DOCUMENT_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".docm", ".dotm", ".pptm", ".potm", ".ppsm")
_BOMB = "refused as a possible zip bomb"
_BOMB_ADVICE = "if it is a genuine workbook, remove unused data or split it and send it again"

_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PROLOG = re.compile(r"\ufeff?(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ROOT_START = re.compile(r"<[^\s<>!?/]")
# A tag's attributes and anything up to the next '<' (see _sheet_extent).
_SHEET_TAG = re.compile(r"<(?:[\w.-]+:)?(?:dimension|row|c)\s([^<]*)")
# No word boundary needed: no other attribute of these tags ends in 'r' or 'ref'.
_REFERENCE_VALUE = re.compile(r"""r(?:ef)?\s*=\s*["']([^"']*)""")
_SPANS_VALUE = re.compile(r"""spans\s*=\s*["']([^"']*)""")
_PLAIN_REFERENCES = re.compile(r"[A-Z0-9:$ ]*")
_PLAIN_SPANS = re.compile(r"[0-9: ]*")
# Past these lengths a number or column is just "very large" (and int() stays cheap).
_LONG_DIGITS_COUNT = 16
_LONG_LETTERS_COUNT = 9
_DIGITS_ONLY = str.maketrans(dict.fromkeys(string.ascii_uppercase + "$:", " "))
_LETTERS_ONLY = str.maketrans(dict.fromkeys(string.digits + "$:", " "))
_HUGE = 10**15
_DRIVE = re.compile(r"^[A-Za-z]:")

T = TypeVar("T")
Scan = Callable[[bytes], T]
"""What a caller wants from each worksheet's whole XML (reader.py: its formula cells)."""


# What zipfile, zlib and friends raise on a damaged part (a wrong CRC, bad deflate data, a
# local header that disagrees with the directory, an unsupported method).
_UNPACK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


class _Refusal(Exception):
    """Raised inside the checks; ensure_safe_workbook adds the path and re-raises."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ensure_safe_workbook(
    path: Path, limits: Limits = DEFAULT_LIMITS, scan: Scan[T] | None = None
) -> dict[str, T]:
    """Raise UnreadableWorkbook unless `path` looks like a safe, plain .xlsx workbook.

    With `scan`, return what it makes of each worksheet part's whole XML, by part name,
    from the same unpacking of the part as its checks (a sheet is then unpacked once for
    both); a part whose rest cannot be unpacked is left out, for the caller to read (and
    fail on) as it would without the scan.
    """
    scanned: dict[str, T] = {}
    try:
        _check(Path(path), limits, scan, scanned)
    except _Refusal as refusal:
        raise UnreadableWorkbook(path, refusal.reason) from None
    except Exception as error:
        # Fail closed: whatever a crafted file provokes in zipfile, zlib or expat becomes a
        # refusal the planner can act on, never a traceback and never a pass.
        reason = f"damaged: the file cannot be read as .xlsx ({_brief(error)}); {_RESAVE}"
        raise UnreadableWorkbook(path, reason) from error
    return scanned


def _check(path: Path, limits: Limits, scan: Scan[T] | None, scanned: dict[str, T]) -> None:
    """Run the checks from cheapest to dearest; the first failure is the reason."""
    _check_path(path)
    with _open_read_only(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        _check_file_size(size, limits)
        head = handle.read(_SNIFF_BYTES)
        if head.startswith(_OLE_MAGIC):
            raise _Refusal(_ole_reason(path, handle))
        if not head.startswith(b"PK"):
            raise _Refusal(_not_a_zip_reason(head))
        _check_directory_claims(handle, size, limits)
        with _open_zip(handle) as archive:
            _check_archive(archive, limits, scan, scanned)


# --- the file itself -------------------------------------------------------------------------


def _check_path(path: Path) -> None:
    """Refuse folders and special files before opening: opening a FIFO would block forever."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as error:
        raise _Refusal(_os_reason(error)) from None
    if stat.S_ISDIR(mode):
        raise _Refusal("a folder, not a workbook file; give the path of the .xlsx file itself")
    if not stat.S_ISREG(mode):
        raise _Refusal("not a regular file; give the path of the .xlsx file itself")


def _open_read_only(path: Path) -> IO[bytes]:
    """Open for reading only: the input is the planner's file and is never modified.

    Non-blocking, and checked again once open, in case the path was swapped for a FIFO
    or a device after _check_path looked at it.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as error:
        raise _Refusal(_os_reason(error)) from None
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        handle.close()
        raise _Refusal("not a regular file; give the path of the .xlsx file itself")
    return handle


def _os_reason(error: Exception) -> str:
    """Say why the operating system would not give us the file."""
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "file not found; check the path and the file name"
    if isinstance(error, PermissionError):
        return "cannot be read (permission denied); check the file's permissions"
    if isinstance(error, IsADirectoryError):
        return "a folder, not a workbook file; give the path of the .xlsx file itself"
    if isinstance(error, OSError):
        return f"cannot be read ({error.strerror or _brief(error)}); check the path"
    return "not a valid file path; check the path and the file name"


def _check_file_size(size: int, limits: Limits) -> None:
    """Refuse empty files (a failed upload) and files too big to be worth opening."""
    if size == 0:
        raise _Refusal("the file is empty (0 bytes); send the workbook again")
    if size > limits.max_file_bytes:
        raise _Refusal(
            f"the file is too large: {_size(size)} (limit {_size(limits.max_file_bytes)});"
            " remove unused data or split it into smaller workbooks"
        )


def _ole_reason(path: Path, handle: IO[bytes]) -> str:
    """Tell an encrypted .xlsx (an OLE container) from a legacy .xls (also OLE)."""
    handle.seek(0)
    head = handle.read(_OLE_SCAN_BYTES)
    if _ENCRYPTED_PACKAGE in head:
        return _ENCRYPTED
    if path.suffix.lower() == ".xls" or any(name in head for name in _OLE_WORKBOOK_STREAMS):
        return _LEGACY_XLS
    return _ENCRYPTED


def _not_a_zip_reason(head: bytes) -> str:
    """An .xlsx is a zip; say what the file seems to be instead, when that is clear."""
    kind = _guess_kind(head)
    if kind == "a PDF document":
        return "not an Excel workbook (.xlsx) but a PDF document; send the workbook itself"
    but = f" but {kind}" if kind else ""
    return f"not an Excel workbook (.xlsx){but}; {_SAVE_AS_XLSX}"


def _guess_kind(head: bytes) -> str:
    """A few words on what a non-zip file looks like, or '' when unsure."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith(b"%pdf"):
        return "a PDF document"
    if start.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    if start.startswith(b"<"):
        return "an XML file"
    if _is_text(head):
        return "a text or CSV file"
    return ""


def _is_text(head: bytes) -> bool:
    """True for UTF-8 text without control characters (a cut-off last character is fine)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    return all(char.isprintable() or char in "\t\r\n\f" for char in text)


# --- the zip directory -----------------------------------------------------------------------


def _check_directory_claims(handle: IO[bytes], size: int, limits: Limits) -> None:
    """Refuse a huge zip directory before zipfile reads all of it into memory."""
    directory_limit = limits.max_members * _DIRECTORY_ENTRY_BYTES
    for entries, directory_bytes in _directory_claims(handle, size):
        if entries > limits.max_members:
            raise _Refusal(
                f"{_BOMB}: it has {entries:,} parts (limit {limits.max_members:,}); {_BOMB_ADVICE}"
            )
        if directory_bytes > directory_limit:
            raise _Refusal(
                f"{_BOMB}: its zip directory is {_size(directory_bytes)}"
                f" (limit {_size(directory_limit)}); {_BOMB_ADVICE}"
            )


def _directory_claims(handle: IO[bytes], size: int) -> list[tuple[int, int]]:
    """(entries, directory bytes) from every end record zipfile might use.

    zipfile looks at the last 22 bytes, then searches the last 64 KiB; a zip64 record may
    override either. We check every candidate, so no reading of the file slips past.
    """
    tail_start = max(size - _EOCD.size - 0xFFFF, 0)
    handle.seek(tail_start)
    tail = handle.read()
    offsets = {tail.rfind(_EOCD_SIGNATURE)}
    if tail[-_EOCD.size :].startswith(_EOCD_SIGNATURE):
        offsets.add(len(tail) - _EOCD.size)
    claims: list[tuple[int, int]] = []
    for offset in sorted(offsets):
        if offset < 0 or len(tail) - offset < _EOCD.size:
            continue
        record = _EOCD.unpack_from(tail, offset)
        entries = max(record[3], record[4])
        directory_bytes = record[5]
        # 0xFFFF and 0xFFFFFFFF mean "see the zip64 record", not a real count or size.
        claims.append(
            (
                0 if entries == 0xFFFF else entries,
                0 if directory_bytes == 0xFFFFFFFF else directory_bytes,
            )
        )
        claims.extend(_zip64_claims(handle, tail_start + offset))
    return claims


def _zip64_claims(handle: IO[bytes], end_record_at: int) -> list[tuple[int, int]]:
    """(entries, directory bytes) from a zip64 end record, found both ways zipfiles do."""
    locator_at = end_record_at - _ZIP64_LOCATOR.size
    locator = _read_at(handle, locator_at, _ZIP64_LOCATOR.size)
    if len(locator) < _ZIP64_LOCATOR.size or not locator.startswith(_ZIP64_LOCATOR_SIGNATURE):
        return []
    pointed_at = _ZIP64_LOCATOR.unpack(locator)[2]
    claims = []
    for record_at in {locator_at - _ZIP64_EOCD.size, pointed_at}:
        record = _read_at(handle, record_at, _ZIP64_EOCD.size)
        if len(record) == _ZIP64_EOCD.size and record.startswith(_ZIP64_EOCD_SIGNATURE):
            fields = _ZIP64_EOCD.unpack(record)
            claims.append((max(fields[6], fields[7]), fields[8]))
    return claims


def _read_at(handle: IO[bytes], offset: int, count: int) -> bytes:
    """Up to `count` bytes at `offset`, or b'' for an offset outside the file."""
    if offset < 0:
        return b""
    handle.seek(offset)
    return handle.read(count)


@contextmanager
def _open_zip(handle: IO[bytes]) -> Iterator[zipfile.ZipFile]:
    """Open the zip read-only; a directory zipfile cannot read means a cut-off file."""
    try:
        archive = zipfile.ZipFile(handle)
    except NotImplementedError as error:
        raise _Refusal(f"damaged: {_brief(error)} is not supported; {_RESAVE}") from error
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as error:
        raise _Refusal(_TRUNCATED) from error
    with archive:
        yield archive


# --- the parts -------------------------------------------------------------------------------


def _check_archive(
    archive: zipfile.ZipFile, limits: Limits, scan: Scan[T] | None, scanned: dict[str, T]
) -> None:
    """Directory-level checks first, then the few parts that must be read."""
    members = archive.infolist()
    _check_members(members, limits)
    names = {info.filename for info in members}
    _check_kind(archive, names)
    _check_embedded_code(names)
    worksheets = _check_content_types(archive, names, limits)
    _check_workbook_index(archive, limits)
    worksheets |= _worksheet_targets(archive, names, limits)
    worksheets |= {name for name in names if _in_worksheets_folder(name)}
    _check_worksheets(archive, sorted(worksheets), limits, scan, scanned)


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Zip-bomb and path checks on declared sizes only: nothing is unpacked yet."""
    if len(members) > limits.max_members:
        raise _Refusal(
            f"{_BOMB}: it has {len(members):,} parts (limit {limits.max_members:,}); {_BOMB_ADVICE}"
        )
    seen: set[str] = set()
    total = 0
    for info in members:
        _check_member_name(info.filename, seen)
        if info.flag_bits & 0x1:
            raise _Refusal(
                f"contains encrypted zip parts ({_show(info.filename)}), which Excel and"
                " LibreOffice never write; remove any password and save it again as .xlsx"
            )
        _check_member_size(info, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise _Refusal(
            f"{_BOMB}: its parts would unpack to {_size(total)} in total"
            f" (limit {_size(limits.max_total_bytes)}); {_BOMB_ADVICE}"
        )


def _check_member_name(name: str, seen: set[str]) -> None:
    """Refuse path tricks and duplicates, which different parsers resolve differently."""
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise _Refusal(
            f"contains a part with an unsafe name ({_show(name)}), which Excel and LibreOffice"
            f" never write; refused for safety; {_RESAVE}"
        )
    if name in seen:
        raise _Refusal(f"damaged: part {_show(name)} appears twice; {_RESAVE}")
    seen.add(name)


def _check_member_size(info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse a part whose declared size or compression ratio is out of bounds."""
    unpacked = info.file_size
    part = _show(info.filename)
    if unpacked > limits.max_member_bytes:
        raise _Refusal(
            f"{_BOMB}: part {part} would unpack to {_size(unpacked)}"
            f" (limit {_size(limits.max_member_bytes)}); {_BOMB_ADVICE}"
        )
    ratio = unpacked / max(info.compress_size, 1)
    if unpacked > _RATIO_FLOOR and ratio > limits.max_ratio:
        raise _Refusal(
            f"{_BOMB}: part {part} would unpack to {_size(unpacked)}"
            f" from {_size(info.compress_size)} ({ratio:,.0f} times its packed size,"
            f" limit {limits.max_ratio:,.0f}); {_BOMB_ADVICE}"
        )


def _check_kind(archive: zipfile.ZipFile, names: set[str]) -> None:
    """A zip, but is it a spreadsheet? Name the likely format so the planner can fix it."""
    if "mimetype" in names:
        mimetype = _read_prefix(archive, "mimetype", 256)
        if b"opendocument.spreadsheet" in mimetype:
            raise _Refusal(_ODS)
        if b"opendocument" in mimetype:
            raise _Refusal(
                "not a spreadsheet workbook but an OpenDocument text or other document;"
                " send the .xlsx workbook"
            )
    missing = [name for name in (CONTENT_TYPES, WORKBOOK) if name not in names]
    if missing:
        raise _Refusal(_not_spreadsheet_reason(names, missing))


def _not_spreadsheet_reason(names: set[str], missing: list[str]) -> str:
    """Why a zip is not an .xlsx, naming Office look-alikes (renamed .xlsb, .docx, .pptx)."""
    if "xl/workbook.bin" in names:
        return "a binary Excel workbook (.xlsb); open it in Excel and save it as .xlsx"
    if "word/document.xml" in names:
        return "not a spreadsheet workbook but a Word document; send the .xlsx workbook"
    if "ppt/presentation.xml" in names:
        return "not a spreadsheet workbook but a PowerPoint presentation; send the .xlsx workbook"
    return (
        f"not a spreadsheet workbook (a zip file without {' or '.join(missing)});"
        " send the .xlsx workbook"
    )


def _check_embedded_code(names: set[str]) -> None:
    """Refuse VBA and Excel 4.0 macros, ActiveX controls and embedded OLE binaries.

    Printer settings are the one binary part Excel writes into plain workbooks; they are
    data, not code, so they pass.
    """
    if any(_is_macro_part(name.lower()) for name in names):
        raise _Refusal(_MACROS)
    for name in sorted(names):
        lower = name.lower()
        if lower.startswith("xl/activex/") or (
            lower.endswith(".bin") and not lower.startswith("xl/printersettings/")
        ):
            raise _Refusal(
                f"contains embedded ActiveX controls or OLE objects (part {_show(name)});"
                " remove them and save it as a plain .xlsx workbook"
            )


def _is_macro_part(lower_name: str) -> bool:
    """VBA projects (wherever they are put), Excel 4.0 macro sheets, embedded .xlsm/.docm."""
    return (
        posixpath.basename(lower_name).startswith("vbaproject")
        or lower_name.startswith("xl/macrosheets/")
        or lower_name.endswith(_MACRO_DOCUMENT_SUFFIXES)
    )


def _check_content_types(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> set[str]:
    """Refuse macro-enabled content types; return the parts declared as worksheets."""
    worksheets: set[str] = set()
    for tag, attributes in _xml_start_tags(archive, CONTENT_TYPES, limits):
        content_type = attributes.get("ContentType", "").lower()
        if "macroenabled" in content_type or (tag == "Override" and "vbaproject" in content_type):
            raise _Refusal(_MACROS)
        part = attributes.get("PartName", "").lstrip("/")
        if tag == "Override" and content_type.endswith("worksheet+xml") and part in names:
            worksheets.add(part)
    return worksheets


def _check_workbook_index(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Count the sheets listed in xl/workbook.xml (parsing it also proves it is sound XML)."""
    sheets = sum(tag == "sheet" for tag, _ in _xml_start_tags(archive, WORKBOOK, limits))
    if sheets > limits.max_sheets:
        raise _Refusal(
            f"has too many sheets: {sheets:,} (limit {limits.max_sheets:,});"
            " split it into smaller workbooks"
        )


def _worksheet_targets(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> set[str]:
    """The worksheet parts the workbook's relationships point at, as the parsers find them."""
    if WORKBOOK_RELS not in names:
        return set()
    targets: set[str] = set()
    for tag, attributes in _xml_start_tags(archive, WORKBOOK_RELS, limits):
        is_sheet = attributes.get("Type", "").endswith("/worksheet")
        if tag != "Relationship" or not is_sheet or attributes.get("TargetMode") == "External":
            continue
        part = _resolve_target(attributes.get("Target", ""))
        if part in names:
            targets.add(part)
    return targets


def _resolve_target(target: str) -> str:
    """A relationship target from xl/_rels/workbook.xml.rels as a zip member name."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join("xl", target))


def _in_worksheets_folder(name: str) -> bool:
    """Worksheet parts found by name, in case no index mentions them."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name


def _check_worksheets(
    archive: zipfile.ZipFile,
    parts: list[str],
    limits: Limits,
    scan: Scan[T] | None = None,
    scanned: dict[str, T] | None = None,
) -> None:
    """Look at the first 64 KiB of each worksheet for entity tricks and absurd sizes.

    With `scan`, the rest of each part is unpacked from the same stream once its prefix
    passed, and the whole XML given to `scan` (its result kept in `scanned`).
    """
    if len(parts) > limits.max_sheets:
        raise _Refusal(
            f"has too many sheets: {len(parts):,} worksheet parts (limit {limits.max_sheets:,});"
            " split it into smaller workbooks"
        )
    for part in parts:
        with _unpacking(part):
            stream = archive.open(part)
        with stream:
            with _unpacking(part):
                data = stream.read(_PREFIX_BYTES)
            text = _check_prolog(part, data)
            rows, columns = _sheet_extent(part, text, limits)
            if rows > limits.max_rows:
                raise _Refusal(_extent_reason(part, rows, "rows", limits.max_rows))
            if columns > limits.max_columns:
                raise _Refusal(_extent_reason(part, columns, "columns", limits.max_columns))
            if scan is not None and scanned is not None:
                whole = _rest_of(stream, part, data, limits)
                if whole is not None:
                    scanned[part] = scan(whole)


def _rest_of(stream: IO[bytes], part: str, prefix: bytes, limits: Limits) -> bytes | None:
    """The whole part: its checked prefix and the rest of its stream (bounded as any part),
    or None when the rest cannot be unpacked (the caller then reads the part itself)."""
    if len(prefix) < _PREFIX_BYTES:
        return prefix  # the stream ended within the prefix
    room = limits.max_member_bytes - len(prefix)
    try:
        rest = stream.read(room + 1)  # one read: zipfile unpacks it in large steps
    except _UNPACK_ERRORS:
        return None
    if len(rest) > room:
        raise _Refusal(
            f"{_BOMB}: part {_show(part)} unpacks to more than {_size(limits.max_member_bytes)}"
            f" (limit {_size(limits.max_member_bytes)}); {_BOMB_ADVICE}"
        )
    return prefix + rest


def _extent_reason(part: str, count: int, what: str, limit: int) -> str:
    """The reason for a sheet whose size would make a parser allocate without end."""
    return (
        f"sheet {_show(part)} claims {count:,} {what} (limit {limit:,});"
        " delete the unused rows and columns and save it again"
    )


def _sheet_extent(part: str, text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[int, int]:
    """The largest row and column that dimension, row, cell and spans attributes claim,
    exactly when it is over its limit (else a number within it: the sheet passes).

    Over-inclusive on purpose: a tag is read up to the next '<' (an attribute value may
    hold '>', never '<') and every r/ref/spans value in it counts, even one inside another
    attribute's quotes, so quoting tricks cannot hide a claim. Values must be plain ASCII
    references as Excel writes them. A few C-speed passes: a 64 KiB prefix holds thousands
    of cells.
    """
    attributes = " ".join(_SHEET_TAG.findall(text))
    references = " ".join(_REFERENCE_VALUE.findall(attributes)).upper()
    spans = " ".join(_SPANS_VALUE.findall(attributes))
    if not (_PLAIN_REFERENCES.fullmatch(references) and _PLAIN_SPANS.fullmatch(spans)):
        raise _Refusal(
            f"sheet {_show(part)} writes cell positions in a form Excel and LibreOffice never"
            f" write; refused for safety; {_RESAVE}"
        )
    rows = _largest_number(references, limits.max_rows)
    columns = max(
        _largest_number(spans, limits.max_columns),
        _largest_column(references, limits.max_columns),
    )
    return rows, columns


def _largest_number(text: str, limit: int) -> int:
    """The largest number in plain reference text (letters, '$' and ':' are separators)
    when it is over `limit`; else it or a smaller one.

    Each number's length is looked at first: one shorter than the limit's is within it,
    so a sheet of small numbers costs no int() at all; past 15 digits it is just "very
    large" (and int() stays cheap).
    """
    numbers = text.translate(_DIGITS_ONLY).split()
    longest = max(map(len, numbers), default=0)
    if longest >= _LONG_DIGITS_COUNT:
        return _HUGE
    if longest < len(str(limit)):
        return 0
    return max(map(int, numbers), default=0)


def _largest_column(text: str, limit: int) -> int:
    """The largest column ('A' is 1, 'XFD' is 16,384) named in plain reference text when
    it is over `limit`; else it or a smaller one (as _largest_number)."""
    letters = set(text.translate(_LETTERS_ONLY).split())
    longest = max(map(len, letters), default=0)
    if longest >= _LONG_LETTERS_COUNT:
        return _HUGE
    if longest < len(_column_letters(limit)):
        return 0
    return max(map(column_number, letters), default=0)


def _column_letters(number: int) -> str:
    """The letters of a column number (1 is 'A', 16,384 is 'XFD')."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --- reading parts with bounds ---------------------------------------------------------------


@contextmanager
def _unpacking(part: str) -> Iterator[None]:
    """Turn a decompression failure in one part into a reason that names the part."""
    try:
        yield
    except _UNPACK_ERRORS as error:
        raise _Refusal(
            f"damaged: part {_show(part)} cannot be unpacked ({_brief(error)}); {_RESAVE}"
        ) from error


def _read_prefix(archive: zipfile.ZipFile, part: str, count: int) -> bytes:
    """The first `count` unpacked bytes of a part; zipfile decompresses only what it needs."""
    with _unpacking(part), archive.open(part) as stream:
        return stream.read(count)


class _CappedReader:
    """A file-like view of a zip part that refuses to unpack more than `limit` bytes.

    zipfile already stops at the declared size; this makes the bound ours, whatever a
    crafted directory or a future zipfile does.
    """

    def __init__(self, stream: IO[bytes], part: str, limit: int) -> None:
        self._stream = stream
        self._part = part
        self._limit = limit
        self._count = 0

    def read(self, size: int = -1) -> bytes:
        """Read up to `size` bytes (all, when negative) in chunks, counting as we go."""
        if size >= 0:
            return self._chunk(size)
        chunks = []
        while chunk := self._chunk(_CHUNK_BYTES):
            chunks.append(chunk)
        return b"".join(chunks)

    def _chunk(self, size: int) -> bytes:
        data = self._stream.read(min(size, _CHUNK_BYTES))
        self._count += len(data)
        if self._count > self._limit:
            raise _Refusal(
                f"{_BOMB}: part {_show(self._part)} unpacks to more than {_size(self._limit)}"
                f" (limit {_size(self._limit)}); {_BOMB_ADVICE}"
            )
        return data


def _xml_start_tags(
    archive: zipfile.ZipFile, part: str, limits: Limits
) -> Iterator[tuple[str, dict[str, str]]]:
    """(local tag name, attributes) of each element of a part, parsed as a stream.

    Entity declarations are refused before parsing (and defusedxml forbids any DTD as a
    second guard). Finished elements are dropped from their parents, so memory stays
    bounded by the nesting depth, not by the part's size.
    """
    limit = _index_part_limit(archive.getinfo(part), limits)
    _check_prolog(part, _read_prefix(archive, part, _PREFIX_BYTES))
    with _unpacking(part), archive.open(part) as raw:
        stream = _CappedReader(raw, part, limit)
        open_elements: list[Element] = []
        try:
            for event, element in DefusedElementTree.iterparse(
                stream, events=("start", "end"), forbid_dtd=True
            ):
                if event == "end":
                    open_elements.pop()
                    if open_elements:
                        open_elements[-1].remove(element)
                    continue
                open_elements.append(element)
                if len(open_elements) > _MAX_XML_DEPTH:
                    raise _Refusal(
                        f"damaged: part {_show(part)} nests elements more than"
                        f" {_MAX_XML_DEPTH} deep; {_RESAVE}"
                    )
                yield _local_name(element.tag), element.attrib
        except DefusedXmlException:
            raise _Refusal(_entities_reason(part)) from None
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise _Refusal(
                f"damaged: part {_show(part)} is not well-formed XML"
                f" (line {line}, column {column}); {_RESAVE}"
            ) from None


def _index_part_limit(info: zipfile.ZipInfo, limits: Limits) -> int:
    """Refuse an index part far bigger than any workbook needs; return its unpack limit.

    These parts are parsed in full, at about 15 MB a second: without this cap a 200 MB
    xl/workbook.xml that passes the zip-bomb checks would cost us (and then openpyxl) many
    seconds. Real ones are kilobytes; name-bloated ones a few megabytes.
    """
    limit = min(limits.max_member_bytes, _MAX_INDEX_PART_BYTES)
    if info.file_size > limit:
        raise _Refusal(
            f"part {_show(info.filename)} is {_size(info.file_size)}, far more than a workbook"
            f" index needs (limit {_size(limit)}); delete unused sheets and names"
            " (Formulas > Name Manager) and save it again"
        )
    return limit


def _local_name(tag: Any) -> str:
    """'{namespace}sheet' -> 'sheet', so transitional and strict OOXML both match."""
    return str(tag).rpartition("}")[2]


def _check_prolog(part: str, data: bytes) -> str:
    """Refuse DOCTYPE/ENTITY declarations in a part's prefix; return the prefix as text.

    A DTD may only stand before the root element, so we also insist that the root element
    starts within the prefix: a prolog padded past 64 KiB cannot hide a DTD from us.
    """
    text = _decode(data)
    if _DECLARATION.search(text):
        raise _Refusal(_entities_reason(part))
    end = _prolog_end(text)
    if _ROOT_START.match(text, end):
        return text
    unfinished = end >= len(text) or text.startswith(("<?", "<!--"), end)
    if unfinished and len(data) >= _PREFIX_BYTES:
        raise _Refusal(
            f"part {_show(part)} has an XML prolog longer than {_size(_PREFIX_BYTES)}"
            f" (not produced by Excel or LibreOffice); refused for safety; {_RESAVE}"
        )
    if text.startswith("<!", end):
        raise _Refusal(_entities_reason(part))
    raise _Refusal(f"damaged: part {_show(part)} is not XML; {_RESAVE}")


def _prolog_end(text: str) -> int:
    """Where the XML declaration, comments and whitespace before the root element end."""
    match = _PROLOG.match(text)
    return match.end() if match else 0


def _entities_reason(part: str) -> str:
    return (
        f"part {_show(part)} contains XML entity declarations (not produced by Excel or"
        f" LibreOffice); refused for safety; {_RESAVE}"
    )


def _decode(data: bytes) -> str:
    """Text of a part prefix: UTF-16 when it says so by BOM or layout, else UTF-8."""
    if data.startswith((b"\xff\xfe", b"<\x00")):
        return data.decode("utf-16-le", "replace")
    if data.startswith((b"\xfe\xff", b"\x00<")):
        return data.decode("utf-16-be", "replace")
    return data.decode("utf-8", "replace")


# --- wording ---------------------------------------------------------------------------------


def _size(count: int) -> str:
    """Bytes for people: '3.2 GB', '200 MB', '512 bytes' (1 KB = 1,024 bytes, as Excel says)."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


def _show(name: str) -> str:
    """A part name safe to put in a one-line message (hostile names can hold anything)."""
    if name.isprintable() and len(name) <= 120:
        return name
    return repr(name[:120]) + ("..." if len(name) > 120 else "")


def _brief(error: BaseException) -> str:
    """An exception as a short, printable single line (its words may come from the file)."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = "".join(char if char.isprintable() else "?" for char in text)
    return shorten(text, 160)
