"""ensure_safe_workbook refuses hostile or broken files, quickly, without touching them.

Every hostile file is built here, in tmp_path, from zipfile and bytes: the tests document
what each attack looks like. Each refusal is checked for the exception type, the words of
the reason, the file name in the message, an unchanged input and a quick answer.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import os
import pickle
import struct
import subprocess
import time
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.errors import MissionplanError
from missionplan.workbook import safety
from missionplan.workbook.safety import (
    DEFAULT_LIMITS,
    Limits,
    UnreadableWorkbook,
    ensure_safe_workbook,
)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_REL = f"{REL_NS}/worksheet"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
QUICK_SECONDS = 1.0


# --- building files --------------------------------------------------------------------------


def content_types(main_type: str = WORKBOOK_TYPE, sheets: int = 1) -> str:
    """[Content_Types].xml as Excel writes it, for `sheets` worksheets."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{WORKSHEET_TYPE}"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f"{XML_DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
        f"{overrides}</Types>"
    )


def workbook_xml(sheets: int = 1, prolog: str = "") -> str:
    """xl/workbook.xml listing `sheets` sheets, with an optional DOCTYPE or comment."""
    entries = "".join(
        f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    return (
        f'{XML_DECLARATION}{prolog}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f"<sheets>{entries}</sheets></workbook>"
    )


def workbook_rels(targets: list[str]) -> str:
    """xl/_rels/workbook.xml.rels pointing at the given worksheet targets."""
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{SHEET_REL}" Target="{target}"/>'
        for n, target in enumerate(targets, start=1)
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">{relationships}</Relationships>'


def sheet_xml(dimension: str = "A1:B2", rows: str = "", prolog: str = "") -> str:
    """A worksheet with a dimension and some rows (two small rows by default)."""
    rows = rows or (
        '<row r="1" spans="1:2"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
        '<row r="2" spans="1:2"><c r="A2"><v>3</v></c><c r="B2"><v>4</v></c></row>'
    )
    return (
        f'{XML_DECLARATION}{prolog}<worksheet xmlns="{MAIN_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook_members(sheets: int = 1) -> dict[str, str | bytes]:
    """The parts of a minimal but real .xlsx (openpyxl and calamine both open it)."""
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(sheets=sheets),
        "_rels/.rels": (
            f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": workbook_rels(
            [f"worksheets/sheet{n}.xml" for n in range(1, sheets + 1)]
        ),
    }
    for n in range(1, sheets + 1):
        members[f"xl/worksheets/sheet{n}.xml"] = sheet_xml()
    return members


def write_zip(
    path: Path,
    members: Mapping[str, str | bytes],
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write `members` into a zip at `path` (duplicate-name warnings are expected there)."""
    with zipfile.ZipFile(path, "w", compression) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_workbook(path: Path, **changes: str | bytes) -> Path:
    """The minimal workbook with some parts replaced or added."""
    members = workbook_members()
    members.update(changes)
    return write_zip(path, members)


def patch_member(data: bytes, name: str, *, size: int | None = None, flags: int = 0) -> bytes:
    """Rewrite a member's declared size and/or set flag bits, in both of its zip headers."""
    patched = bytearray(data)
    encoded = name.encode()
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if patched[at + 46 : at + 46 + name_length] == encoded:
            local = struct.unpack_from("<L", patched, at + 42)[0]
            for flags_at, size_at in ((at + 8, at + 24), (local + 6, local + 22)):
                old_flags = struct.unpack_from("<H", patched, flags_at)[0]
                struct.pack_into("<H", patched, flags_at, old_flags | flags)
                if size is not None:
                    struct.pack_into("<L", patched, size_at, size)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no member {name}")


def with_zip64_end(data: bytes, entries: int | None = None) -> bytes:
    """The same zip with a zip64 end record (optionally claiming `entries` parts)."""
    end = data[-22:]
    assert end.startswith(b"PK\x05\x06")
    count, directory_size, directory_offset = struct.unpack_from("<HLL", end, 10)
    claimed = count if entries is None else entries
    zip64_end = struct.pack(
        "<4sQ2H2L4Q",
        b"PK\x06\x06",
        44,
        45,
        45,
        0,
        0,
        claimed,
        claimed,
        directory_size,
        directory_offset,
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(data) - 22, 1)
    classic_end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
    )
    return data[:-22] + zip64_end + locator + classic_end


def ole_file(path: Path, *streams: str) -> Path:
    """An OLE2 compound file header with the given stream names in its directory."""
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in streams)
    path.write_bytes(OLE_MAGIC + bytes(504) + directory.ljust(4096, b"\0"))
    return path


def openpyxl_workbook(path: Path, sheets: int = 3, rows: int = 200) -> Path:
    """A real workbook as openpyxl writes it."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Plan"
    for n in range(1, sheets):
        book.create_sheet(f"Sheet{n}")
    for sheet in book.worksheets:
        for row in range(1, rows + 1):
            sheet.append([row, f"activity {row}", row * 1.5, "=A1*2"])
    book.save(path)
    return path


# --- asserting ------------------------------------------------------------------------------


def refuse(path: Path, *words: str, limits: Limits = DEFAULT_LIMITS) -> UnreadableWorkbook:
    """Check `path` expecting a refusal whose reason holds `words`; the file is untouched."""
    before = (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else None
    started = time.perf_counter()
    with pytest.raises(UnreadableWorkbook) as caught:
        ensure_safe_workbook(path, limits)
    elapsed = time.perf_counter() - started
    error = caught.value
    assert type(error) is UnreadableWorkbook
    assert isinstance(error, MissionplanError)
    assert error.path == path
    assert str(error) == f"{path}: {error.reason}"
    assert path.name in str(error)
    assert "\n" not in str(error)
    for word in words:
        assert word in error.reason, f"{word!r} not in {error.reason!r}"
    if before is not None:
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert elapsed < QUICK_SECONDS, f"took {elapsed:.2f} s"
    return error


def accept(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check `path` expecting it to pass, quickly and without changing it."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    started = time.perf_counter()
    ensure_safe_workbook(path, limits)
    assert time.perf_counter() - started < QUICK_SECONDS
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# --- files that pass -------------------------------------------------------------------------


def test_an_openpyxl_workbook_passes(tmp_path: Path) -> None:
    accept(openpyxl_workbook(tmp_path / "plan.xlsx"))


def test_the_hand_built_workbook_is_real_and_passes(tmp_path: Path) -> None:
    """The base every hostile file is made from opens in both parsers."""
    python_calamine = pytest.importorskip("python_calamine")
    path = write_zip(tmp_path / "plan.xlsx", workbook_members(sheets=2))
    accept(path)
    assert openpyxl.load_workbook(path).sheetnames == ["Sheet1", "Sheet2"]
    assert python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names == [
        "Sheet1",
        "Sheet2",
    ]


def test_printer_settings_pass(tmp_path: Path) -> None:
    """Excel writes printer settings as .bin parts into plain workbooks: data, not code."""
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"xl/printerSettings/printerSettings1.bin": bytes(600)}
    )
    accept(path)


def test_a_full_size_dimension_passes(tmp_path: Path) -> None:
    """A1:XFD1048576 is the largest sheet Excel allows, so it is not refused."""
    accept(
        write_workbook(
            tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml("A1:XFD1048576")}
        )
    )


def test_a_workbook_saved_by_a_sloppy_tool_without_a_prolog_passes(tmp_path: Path) -> None:
    part = sheet_xml().removeprefix(XML_DECLARATION)
    accept(write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": part}))


@pytest.mark.slow
@pytest.mark.libreoffice
def test_files_saved_by_libreoffice(tmp_path: Path, soffice: str) -> None:
    """Real LibreOffice output: its .xlsx passes; its .xls and .ods (even renamed) are named."""
    source = openpyxl_workbook(tmp_path / "source.xlsx")
    out = tmp_path / "out"
    for target in ("xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97", "ods"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    accept(out / "source.xlsx")
    refuse(out / "source.xls", "legacy Excel 97-2003 .xls")
    refuse(out / "source.ods", "OpenDocument spreadsheet (.ods)")
    renamed_xls = (out / "source.xls").rename(out / "renamed-xls.xlsx")
    refuse(renamed_xls, "legacy Excel 97-2003 .xls")
    renamed_ods = (out / "source.ods").rename(out / "renamed-ods.xlsx")
    refuse(renamed_ods, "OpenDocument spreadsheet (.ods)")


# --- the path itself -------------------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    refuse(tmp_path / "nowhere.xlsx", "file not found")


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plans.xlsx"
    folder.mkdir()
    refuse(folder, "folder")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())
    path.chmod(0)
    try:
        refuse(tmp_path / "plan.xlsx", "permission denied")
    finally:
        path.chmod(0o600)


def test_a_permission_error_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal when the operating system says no (root reads chmod 000 files)."""
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patched:
        patched.setattr(os, "open", denied)
        with pytest.raises(UnreadableWorkbook, match="permission denied") as caught:
            ensure_safe_workbook(path)
    assert path.name in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_opened(tmp_path: Path) -> None:
    """Opening a FIFO would block for ever; it is refused from its stat alone."""
    pipe = tmp_path / "plan.xlsx"
    os.mkfifo(pipe)
    refuse(pipe, "not a regular file")


def test_a_pipe_swapped_in_after_the_first_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The opened file is checked again, so a path swapped for a FIFO cannot block us."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())
    real_open = os.open
    with monkeypatch.context() as patched:
        patched.setattr(os, "open", lambda _path, flags: real_open(pipe, flags))
        with pytest.raises(UnreadableWorkbook, match="not a regular file"):
            ensure_safe_workbook(path)


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"")
    refuse(path, "empty")


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())
    refuse(path, "too large", "limit 100 bytes", limits=Limits(max_file_bytes=100))


# --- OLE: legacy .xls and encrypted workbooks ------------------------------------------------


def test_an_ole_file_named_xls_is_a_legacy_workbook(tmp_path: Path) -> None:
    error = refuse(ole_file(tmp_path / "plan.xls", "Workbook"), "legacy Excel 97-2003 .xls")
    assert "save it as .xlsx" in error.reason


def test_an_ole_file_named_xlsx_is_an_encrypted_workbook(tmp_path: Path) -> None:
    error = refuse(ole_file(tmp_path / "plan.xlsx"), "password-protected (encrypted)")
    assert "remove the password" in error.reason


def test_an_encrypted_package_is_encrypted_whatever_its_name(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "plan.xls", "EncryptionInfo", "EncryptedPackage")
    refuse(path, "password-protected (encrypted)")


def test_a_renamed_legacy_workbook_is_still_called_legacy(tmp_path: Path) -> None:
    """An old .xls renamed to .xlsx has a Workbook stream and no EncryptedPackage."""
    refuse(ole_file(tmp_path / "plan.xlsx", "Workbook"), "legacy Excel 97-2003 .xls")


# --- not a zip, or a broken one --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"Output,Activity,Lead\n1.1,Patrol,UNPOL\n", "text or CSV"),
        ("Résultat;Activité\n1.1;Patrouille\n".encode(), "text or CSV"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"<!DOCTYPE html><html><body><table></table></body></html>", "web page"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:xml"/>',
            "XML",
        ),
        (bytes(range(256)) * 4, ""),
    ],
)
def test_not_a_zip(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    refuse(path, "not an Excel workbook (.xlsx)", kind)


def test_a_truncated_zip(tmp_path: Path) -> None:
    whole = openpyxl_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    refuse(path, "damaged", "not a complete .xlsx", "save it again")


def test_a_part_with_a_bad_checksum(tmp_path: Path) -> None:
    """A part that does not unpack to what its header promised."""
    data = bytearray(
        write_zip(tmp_path / "good.xlsx", workbook_members(), zipfile.ZIP_STORED).read_bytes()
    )
    at = data.find(b"<sheets>")
    data[at + 1 : at + 7] = b"SHEETS"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes(data))
    refuse(path, "damaged", "xl/workbook.xml", "CRC")


# --- a zip, but not a spreadsheet -----------------------------------------------------------


def test_a_word_document(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "plan.xlsx",
        {
            "[Content_Types].xml": content_types(),
            "word/document.xml": "<w:document/>",
        },
    )
    refuse(path, "not a spreadsheet workbook", "Word")


def test_an_opendocument_text(tmp_path: Path) -> None:
    members = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
    refuse(write_zip(tmp_path / "plan.xlsx", members), "not a spreadsheet workbook")


def test_an_opendocument_spreadsheet(tmp_path: Path) -> None:
    members = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": "<office:document-content/>",
    }
    refuse(write_zip(tmp_path / "plan.xlsx", members), "OpenDocument spreadsheet (.ods)")


def test_a_binary_workbook(tmp_path: Path) -> None:
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(),
        "xl/workbook.bin": b"\x83\x01\x00",
    }
    refuse(write_zip(tmp_path / "plan.xlsx", members), ".xlsb", "save it as .xlsx")


def test_a_zip_without_a_workbook(tmp_path: Path) -> None:
    members = {"notes.txt": "hello"}
    error = refuse(write_zip(tmp_path / "plan.xlsx", members), "not a spreadsheet workbook")
    assert "[Content_Types].xml" in error.reason


# --- macros and embedded code ---------------------------------------------------------------


def test_a_vba_project(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/vbaProject.bin": bytes(1000)})
    refuse(path, "contains macros", "plain .xlsx")


def test_a_macro_enabled_content_type(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"[Content_Types].xml": content_types(MACRO_WORKBOOK_TYPE)}
    )
    refuse(path, "contains macros")


def test_an_excel_4_macro_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/macrosheets/sheet1.xml": "<xm/>"})
    refuse(path, "contains macros")


def test_an_embedded_macro_enabled_document(tmp_path: Path) -> None:
    part = "xl/embeddings/Microsoft_Word_Macro-Enabled_Document.docm"
    refuse(write_workbook(tmp_path / "plan.xlsx", **{part: b"PK"}), "contains macros")


@pytest.mark.parametrize(
    "part", ["xl/activeX/activeX1.bin", "xl/activeX/activeX1.xml", "xl/embeddings/oleObject1.bin"]
)
def test_activex_controls_and_ole_objects(tmp_path: Path, part: str) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", **{part: b"\x00" * 64})
    refuse(path, "ActiveX", "OLE", part)


# --- zip bombs and zip tricks ---------------------------------------------------------------


def test_a_highly_compressed_part(tmp_path: Path) -> None:
    """5 MiB of zeros pack to about 5 KB: a ratio of about 1,000, over the 200 allowed."""
    zeros = b"<worksheet>" + bytes(5 * 1024**2)
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": zeros})
    refuse(path, "possible zip bomb", "xl/worksheets/sheet1.xml", "times its packed size")


def test_a_part_declared_at_a_gigabyte(tmp_path: Path) -> None:
    """Declared sizes alone are enough to refuse: nothing is unpacked."""
    good = write_zip(tmp_path / "good.xlsx", workbook_members()).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(patch_member(good, "xl/worksheets/sheet1.xml", size=1024**3))
    refuse(path, "possible zip bomb", "would unpack to 1 GB", "limit 200 MB")


def test_a_part_over_a_lowered_member_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())
    refuse(
        path,
        "possible zip bomb",
        "limit 100 bytes",
        limits=Limits(max_member_bytes=100),
    )


def test_parts_over_the_total_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members(sheets=3))
    refuse(path, "possible zip bomb", "in total", limits=Limits(max_total_bytes=2000))


def test_too_many_parts(tmp_path: Path) -> None:
    members = workbook_members()
    members.update({f"docProps/custom{n}.xml": "<x/>" for n in range(20)})
    path = write_zip(tmp_path / "plan.xlsx", members)
    refuse(path, "possible zip bomb", "has 25 parts (limit 10)", limits=Limits(max_members=10))


def test_a_zip_directory_too_big_for_its_parts(tmp_path: Path) -> None:
    """Refused from the end record, before zipfile would read the directory into memory."""
    members = workbook_members()
    members["docProps/" + "n" * 2000 + ".xml"] = "<x/>"
    path = write_zip(tmp_path / "plan.xlsx", members)
    refuse(path, "possible zip bomb", "zip directory", limits=Limits(max_members=8))


def test_a_zip64_end_record_passes(tmp_path: Path) -> None:
    """Some writers always use zip64 records; their markers are not taken as counts."""
    good = write_zip(tmp_path / "good.xlsx", workbook_members()).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_zip64_end(good))
    assert openpyxl.load_workbook(path).sheetnames == ["Sheet1"]
    accept(path)


def test_a_zip64_end_record_claiming_too_many_parts(tmp_path: Path) -> None:
    good = write_zip(tmp_path / "good.xlsx", workbook_members()).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_zip64_end(good, entries=50_000))
    refuse(path, "possible zip bomb", "has 50,000 parts (limit 10,000)")


def test_an_index_part_far_too_big(tmp_path: Path) -> None:
    """xl/workbook.xml is parsed in full, so it gets a tighter cap than other parts."""
    good = write_zip(tmp_path / "good.xlsx", workbook_members()).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(patch_member(good, "xl/workbook.xml", size=40 * 1024**2))
    refuse(path, "xl/workbook.xml is 40 MB", "limit 32 MB", limits=Limits(max_ratio=1e9))


def test_a_part_that_lies_about_its_size(tmp_path: Path) -> None:
    """Declared small, unpacks big: zipfile stops at the declared size and the CRC fails."""
    members = workbook_members()
    members["xl/workbook.xml"] = workbook_xml().replace("<sheets>", "<sheets>" + " " * 3_000_000)
    good = write_zip(tmp_path / "good.xlsx", members).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(patch_member(good, "xl/workbook.xml", size=1000))
    refuse(path, "damaged", "xl/workbook.xml")


def test_the_streaming_cap_stops_past_the_limit() -> None:
    """The reader the XML parser pulls from refuses to unpack more than the limit."""
    reader = safety._CappedReader(io.BytesIO(bytes(10_000)), "xl/workbook.xml", limit=4096)
    with pytest.raises(safety._Refusal, match="possible zip bomb"):
        reader.read()
    reader = safety._CappedReader(io.BytesIO(bytes(10_000)), "xl/workbook.xml", limit=4096)
    assert len(reader.read(4096)) == 4096
    with pytest.raises(safety._Refusal, match=r"xl/workbook\.xml"):
        reader.read(1)


def test_an_encrypted_zip_part(tmp_path: Path) -> None:
    good = write_zip(tmp_path / "good.xlsx", workbook_members()).read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(patch_member(good, "xl/worksheets/sheet1.xml", flags=0x1))
    refuse(path, "encrypted zip parts")


@pytest.mark.parametrize("name", ["../evil.xml", "xl/../../evil.xml", "/etc/evil.xml", "C:\\x"])
def test_a_part_with_an_unsafe_name(tmp_path: Path, name: str) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", **{name: "<x/>"})
    refuse(path, "unsafe name", name)


def test_a_part_written_twice(tmp_path: Path) -> None:
    """Two parts of one name: parsers may disagree on which one counts."""
    path = tmp_path / "plan.xlsx"
    write_zip(path, workbook_members())
    with zipfile.ZipFile(path, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        archive.writestr("xl/workbook.xml", workbook_xml(sheets=1))
    refuse(path, "damaged", "appears twice")


# --- XML entity tricks ----------------------------------------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE workbook [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    + "]>"
).replace("&lol0;", "&lol;")
EXTERNAL_ENTITY = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_billion_laughs_in_the_workbook(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"xl/workbook.xml": workbook_xml(prolog=BILLION_LAUGHS)}
    )
    refuse(path, "contains XML entity declarations", "xl/workbook.xml", "refused for safety")


def test_an_external_entity_in_the_workbook(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"xl/workbook.xml": workbook_xml(prolog=EXTERNAL_ENTITY)}
    )
    refuse(path, "contains XML entity declarations")


def test_an_entity_in_the_content_types(tmp_path: Path) -> None:
    part = content_types().replace(
        "<Types", EXTERNAL_ENTITY.replace("workbook", "Types") + "<Types"
    )
    path = write_workbook(tmp_path / "plan.xlsx", **{"[Content_Types].xml": part})
    refuse(path, "contains XML entity declarations", "[Content_Types].xml")


def test_an_entity_in_a_worksheet(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(prolog=EXTERNAL_ENTITY)}
    )
    refuse(path, "contains XML entity declarations", "xl/worksheets/sheet1.xml")


def test_a_doctype_hidden_behind_a_long_comment(tmp_path: Path) -> None:
    """A DTD pushed past the 64 KiB we read still cannot slip through."""
    prolog = "<!--" + "x" * 70_000 + "-->" + EXTERNAL_ENTITY
    path = write_workbook(
        tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(prolog=prolog)}
    )
    refuse(path, "prolog longer than 64 KB", "refused for safety")


def test_an_entity_in_a_utf16_workbook(tmp_path: Path) -> None:
    text = workbook_xml(prolog=EXTERNAL_ENTITY).replace("UTF-8", "UTF-16")
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/workbook.xml": text.encode("utf-16")})
    refuse(path, "contains XML entity declarations")


def test_a_workbook_that_is_not_well_formed(tmp_path: Path) -> None:
    part = workbook_xml().replace("</sheets>", "</shee>")
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/workbook.xml": part})
    refuse(path, "damaged", "xl/workbook.xml", "not well-formed XML")


def test_a_workbook_nested_too_deep(tmp_path: Path) -> None:
    part = workbook_xml().replace("<sheets>", "<a>" * 500 + "</a>" * 500 + "<sheets>")
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/workbook.xml": part})
    refuse(path, "damaged", "nests elements")


def test_a_worksheet_that_is_not_xml(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": b"\x89PNG"})
    refuse(path, "damaged", "xl/worksheets/sheet1.xml", "not XML")


# --- sheets: how many and how big -----------------------------------------------------------


def test_too_many_sheets(tmp_path: Path) -> None:
    members = workbook_members()
    members["xl/workbook.xml"] = workbook_xml(sheets=500)
    path = write_zip(tmp_path / "plan.xlsx", members)
    refuse(path, "too many sheets", "500", "limit 50", limits=Limits(max_sheets=50))


def test_too_many_worksheet_parts(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members(sheets=6))
    refuse(path, "too many sheets", limits=Limits(max_sheets=5))


@pytest.mark.parametrize(
    ("dimension", "rows", "words"),
    [
        ("A1:XFD9999999", "", ("claims 9,999,999 rows", "limit 1,048,576")),
        ("A1:XFE1", "", ("claims 16,385 columns", "limit 16,384")),
        ("A1:B2", '<row r="99999999"><c r="A99999999"/></row>', ("claims 99,999,999 rows",)),
        ("A1:B2", '<row r="1"><c r="ZZZZ1"/></row>', ("claims 475,254 columns",)),
        ("A1:B2", '<row r="1" spans="1:99999"/>', ("claims 99,999 columns",)),
        ("A1:B2", '<x:row r="5000000"/>', ("claims 5,000,000 rows",)),
        ("A1:B2", '<c t="s r=\'1\'" r="A5000000"/>', ("claims 5,000,000 rows",)),
        ("A1:B2", '<c t=">" r="A5000000"/>', ("claims 5,000,000 rows",)),
        ("A1:" + "9" * 40, "", ("rows",)),
        ("A1:" + "A" * 40 + "1", "", ("columns",)),
    ],
)
def test_absurd_sheet_sizes(
    tmp_path: Path, dimension: str, rows: str, words: tuple[str, ...]
) -> None:
    part = sheet_xml(dimension, rows)
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": part})
    refuse(path, "sheet xl/worksheets/sheet1.xml", *words)


def test_cell_positions_written_as_character_codes(tmp_path: Path) -> None:
    part = sheet_xml(rows='<row r="1"><c r="&#88;&#70;&#69;1"/></row>')
    path = write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": part})
    refuse(path, "cell positions", "refused for safety")


def test_a_worksheet_found_only_through_the_relationships(tmp_path: Path) -> None:
    """Parsers follow the workbook's relationships, so the check does too."""
    members = workbook_members()
    del members["xl/worksheets/sheet1.xml"]
    members["xl/_rels/workbook.xml.rels"] = workbook_rels(["elsewhere/data.xml"])
    members["xl/elsewhere/data.xml"] = sheet_xml("A1:B8000000")
    path = write_zip(tmp_path / "plan.xlsx", members)
    refuse(path, "sheet xl/elsewhere/data.xml", "claims 8,000,000 rows")


def test_rows_past_a_lowered_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "plan.xlsx", workbook_members())
    refuse(path, "claims 2 rows", "limit 1", limits=Limits(max_rows=1))


# --- the documented default limits, each at its boundary --------------------------------------

MB = 1024**2  # the README's and the messages' MB: 1,024 x 1,024 bytes


def test_the_default_limits_are_the_documented_ones() -> None:
    """The README: file 100 MB; one part 200 MB, all parts 500 MB; ratio 200; 10,000 parts;
    200 sheets; Excel's own 1,048,576 rows and 16,384 columns."""
    assert dataclasses.asdict(DEFAULT_LIMITS) == {
        "max_file_bytes": 100 * MB,
        "max_member_bytes": 200 * MB,
        "max_total_bytes": 500 * MB,
        "max_ratio": 200,
        "max_members": 10_000,
        "max_sheets": 200,
        "max_rows": 1_048_576,
        "max_columns": 16_384,
    }
    assert inspect.signature(ensure_safe_workbook).parameters["limits"].default is DEFAULT_LIMITS


def sized_file(path: Path, size: int) -> Path:
    """A file of `size` bytes starting like a zip, the rest a hole (nothing is written)."""
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(size)
    return path


def test_a_file_of_100_mb_passes_the_size_check_and_one_byte_more_does_not(
    tmp_path: Path,
) -> None:
    at_limit = refuse(sized_file(tmp_path / "at.xlsx", 100 * MB))
    assert "too large" not in at_limit.reason  # refused later: it is no real zip
    refuse(sized_file(tmp_path / "over.xlsx", 100 * MB + 1), "too large", "(limit 100 MB)")


def padded(path: Path, declared: Mapping[str, int], *, packed: int = MB + 4096) -> Path:
    """The minimal workbook with stored parts of `packed` zeros, each declared at a size.

    The parts are never read, so only the declared sizes count; `packed` bytes each keep
    the compression ratio (declared / packed) under 200.
    """
    members = workbook_members()
    members.update({name: bytes(packed) for name in declared})
    data = write_zip(path, members, zipfile.ZIP_STORED).read_bytes()
    for name, size in declared.items():
        data = patch_member(data, name, size=size)
    path.write_bytes(data)
    return path


def test_a_part_of_200_mb_passes_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    accept(padded(tmp_path / "at.xlsx", {"docProps/pad.xml": 200 * MB}))
    path = padded(tmp_path / "over.xlsx", {"docProps/pad.xml": 200 * MB + 1})
    refuse(path, "possible zip bomb", "docProps/pad.xml would unpack", "(limit 200 MB)")


def test_parts_of_500_mb_in_all_pass_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    rest = sum(len(str(v).encode()) for v in workbook_members().values())
    sizes = {"docProps/pad1.xml": 200 * MB, "docProps/pad2.xml": 200 * MB}
    sizes["docProps/pad3.xml"] = 100 * MB - rest
    path = padded(tmp_path / "at.xlsx", sizes)
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) == 500 * MB
    accept(path)
    sizes["docProps/pad3.xml"] += 1
    refuse(padded(tmp_path / "over.xlsx", sizes), "possible zip bomb", "in total", "limit 500 MB")


def test_a_ratio_of_200_passes_and_more_is_refused(tmp_path: Path) -> None:
    packed = 8 * 1024  # x 200 = 1.6 MB, over the 1 MiB below which the ratio is not checked
    accept(padded(tmp_path / "at.xlsx", {"docProps/pad.xml": 200 * packed}, packed=packed))
    path = padded(tmp_path / "over.xlsx", {"docProps/pad.xml": 200 * packed + 1}, packed=packed)
    refuse(path, "possible zip bomb", "times its packed size", "limit 200)")


def test_the_ratio_counts_only_for_parts_over_1_mib(tmp_path: Path) -> None:
    accept(padded(tmp_path / "at.xlsx", {"docProps/pad.xml": MB}, packed=100))
    path = padded(tmp_path / "over.xlsx", {"docProps/pad.xml": MB + 1}, packed=100)
    refuse(path, "possible zip bomb", "times its packed size")


def with_parts(path: Path, count: int) -> Path:
    """The minimal workbook with tiny extra parts, `count` parts in all."""
    members = workbook_members()
    extra = count - len(members)
    members.update({f"docProps/p{n:05}.xml": b"" for n in range(extra)})
    return write_zip(path, members, zipfile.ZIP_STORED)


def test_10000_parts_pass_and_one_more_is_refused(tmp_path: Path) -> None:
    accept(with_parts(tmp_path / "at.xlsx", 10_000))
    refuse(with_parts(tmp_path / "over.xlsx", 10_001), "has 10,001 parts (limit 10,000)")


def test_200_sheets_pass_and_one_more_is_refused(tmp_path: Path) -> None:
    accept(write_zip(tmp_path / "at.xlsx", workbook_members(sheets=200)))
    path = write_zip(tmp_path / "over.xlsx", workbook_members(sheets=201))
    refuse(path, "too many sheets: 201 (limit 200)")


@pytest.mark.parametrize(
    ("dimension", "words"),
    [
        ("A1:A1048577", ("claims 1,048,577 rows", "limit 1,048,576")),
        ("A1:XFE1", ("claims 16,385 columns", "limit 16,384")),
    ],
)
def test_one_row_or_column_past_excels_own_limits_is_refused(
    tmp_path: Path, dimension: str, words: tuple[str, ...]
) -> None:
    """A1:XFD1048576 passes (test_a_full_size_dimension_passes); one more does not."""
    part = sheet_xml(dimension)
    refuse(write_workbook(tmp_path / "plan.xlsx", **{"xl/worksheets/sheet1.xml": part}), *words)


# --- the error itself ------------------------------------------------------------------------


def test_the_error_keeps_path_and_reason_and_pickles() -> None:
    error = UnreadableWorkbook(Path("plans/plan.xlsx"), "file not found")
    assert str(error) == "plans/plan.xlsx: file not found"
    assert (error.path, error.reason, error.exit_code) == (
        Path("plans/plan.xlsx"),
        "file not found",
        2,
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.reason) == (UnreadableWorkbook, str(error), error.reason)


# --- whatever the bytes, only our error -----------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def only_our_error(path: Path, content: bytes) -> None:
    """Write `content` and check it: a pass or UnreadableWorkbook, nothing else."""
    path.write_bytes(content)
    try:
        ensure_safe_workbook(path)
    except UnreadableWorkbook as error:
        assert path.name in str(error)
        assert "\n" not in str(error)
    assert path.read_bytes() == content


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LOCAL_HEADER = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, 100, 1000, 8, 0)


@FUZZ
@given(content=st.binary(max_size=4096))
def test_random_bytes(fuzz_dir: Path, content: bytes) -> None:
    only_our_error(fuzz_dir / "random.xlsx", content)


@FUZZ
@given(content=st.binary(max_size=4096))
def test_random_bytes_behind_a_zip_local_header(fuzz_dir: Path, content: bytes) -> None:
    only_our_error(fuzz_dir / "header.xlsx", LOCAL_HEADER + b"xl/a.xml" + content)


@FUZZ
@given(content=st.binary(max_size=4096))
def test_random_bytes_behind_an_ole_header(fuzz_dir: Path, content: bytes) -> None:
    only_our_error(fuzz_dir / "ole.xlsx", OLE_MAGIC + content)


def _small_workbook(compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in workbook_members().items():
            archive.writestr(name, data)
    return buffer.getvalue()


STORED_WORKBOOK = _small_workbook(zipfile.ZIP_STORED)
DEFLATED_WORKBOOK = _small_workbook(zipfile.ZIP_DEFLATED)


@FUZZ
@given(
    base=st.sampled_from([STORED_WORKBOOK, DEFLATED_WORKBOOK]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
)
def test_a_workbook_with_random_damage(
    fuzz_dir: Path, base: bytes, edits: list[tuple[float, bytes]]
) -> None:
    damaged = bytearray(base)
    for where, replacement in edits:
        at = int(where * len(damaged))
        damaged[at : at + len(replacement)] = replacement
    only_our_error(fuzz_dir / "damaged.xlsx", bytes(damaged))


# --- the scan: each sheet's whole XML, from the same unpacking as its checks ---------------------


def big_rows(count: int, formula_at: int) -> str:
    """Rows of text cells past the 64 KiB checked prefix, one holding a formula."""
    return "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>row {n} of a long sheet</t></is></c>'
        + (f'<c r="B{n}"><f>1+1</f><v>2</v></c>' if n == formula_at else "")
        + "</row>"
        for n in range(1, count + 1)
    )


def test_the_scan_sees_each_whole_sheet_as_the_checks_unpacked_it(tmp_path: Path) -> None:
    rows = big_rows(3000, formula_at=2900)
    sheet = sheet_xml(dimension="A1:B3000", rows=rows)
    assert len(sheet) > 2 * 64 * 1024  # the formula lies past the checked prefix
    path = write_workbook(tmp_path / "long.xlsx", **{"xl/worksheets/sheet1.xml": sheet})
    scanned = ensure_safe_workbook(path, scan=lambda xml: xml)
    assert scanned == {"xl/worksheets/sheet1.xml": sheet.encode()}
    assert ensure_safe_workbook(path) == {}


def test_a_sheet_damaged_past_its_prefix_is_left_for_the_reader(tmp_path: Path) -> None:
    """The checks pass as before (they look at the prefix only); the scan leaves the part out,
    so the reader reads it itself and says it is damaged as it did without the scan."""
    sheet = sheet_xml(dimension="A1:B3000", rows=big_rows(3000, formula_at=2900)).encode()
    path = write_zip(
        tmp_path / "damaged.xlsx",
        {**workbook_members(), "xl/worksheets/sheet1.xml": sheet},
        compression=zipfile.ZIP_STORED,
    )
    data = bytearray(path.read_bytes())
    at = data.find(b"row 2000 of")
    data[at : at + 3] = b"ROW"  # a wrong CRC, found only at the end of the part
    path.write_bytes(bytes(data))
    assert ensure_safe_workbook(path, scan=len) == {}
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("xl/worksheets/sheet1.xml")


def test_a_refused_sheet_is_refused_as_without_the_scan(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "huge.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml("A1:B2000000")}
    )
    with pytest.raises(UnreadableWorkbook) as plain:
        ensure_safe_workbook(path)
    with pytest.raises(UnreadableWorkbook) as scanning:
        ensure_safe_workbook(path, scan=len)
    assert str(scanning.value) == str(plain.value)
    assert "claims 2,000,000 rows" in str(plain.value)
