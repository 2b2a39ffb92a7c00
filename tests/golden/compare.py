"""Compare a workbook with its golden copy part by part, and regenerate golden copies on request.

A workbook is a zip of parts. Two workbooks match when they hold the same parts in the same
order, every XML part is equal after canonicalisation (C14N 2.0: the XML declaration,
attribute order and quoting, empty-element spelling and where namespaces are declared no
longer matter; names, values, text and whitespace do) and every other part is byte-equal.
Zip member timestamps are ignored: the writer stamps the current time there. Everything
else that could vary (docProps/core.xml's dates) is fixed by the writer and compared like
any part.

A mismatch fails with the workbook, each differing part and the first differing lines of
a unified diff of the pretty-printed XML. Golden copies are rewritten only when the
environment variable MISSIONPLAN_REGENERATE_GOLDEN is 1 (`make golden`); a missing golden
copy is otherwise a failure, never created silently.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import warnings
import zipfile
from pathlib import Path
from xml.dom import minidom
from xml.etree import ElementTree

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent
REGENERATE = "MISSIONPLAN_REGENERATE_GOLDEN"
XML_SUFFIXES = (".xml", ".rels", ".vml")
DIFF_LINES = 40
"""At most this many lines of unified diff per differing part."""
STORED_TIME = (1980, 1, 1, 0, 0, 0)
"""The zip member timestamp of stored golden copies, so a regeneration rewrites equal bytes."""
COMMAND = (
    f"`make golden` ({REGENERATE}=1 pytest tests/export/test_golden.py tests/merge/test_golden.py)"
)


class GoldenRegenerated(UserWarning):
    """A golden workbook was rewritten from the current output (shown in pytest's summary)."""


def golden_path(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.xlsx"


def regenerating() -> bool:
    return os.environ.get(REGENERATE, "").strip() == "1"


def check_golden(actual: Path, name: str) -> None:
    """Pass when actual matches tests/golden/<name>.xlsx; rewrite it first when regenerating."""
    golden = golden_path(name)
    if regenerating():
        if golden.exists():
            changed = [p.split(" differs")[0] for p in differences(golden, actual)]
            what = "; ".join(changed) if changed else "parts unchanged"
        else:
            what = "new"
        store(actual, golden)
        size = golden.stat().st_size
        message = f"regenerated golden workbook {_shown(golden)} ({size} bytes): {what}"
        warnings.warn(message, GoldenRegenerated, stacklevel=2)
        print(message)
    if not golden.exists():
        pytest.fail(
            f"golden workbook {_shown(golden)} is missing (never created silently); "
            f"create it with {COMMAND}, check it and commit it",
            pytrace=False,
        )
    problems = differences(golden, actual, ("golden", "output"))
    if problems:
        pytest.fail(
            f"{_shown(actual)} differs from golden workbook {_shown(golden)}:\n\n"
            + "\n\n".join(problems)
            + f"\n\nif the change is intended, regenerate with {COMMAND}, "
            "review the new files and commit them",
            pytrace=False,
        )


def assert_same_parts(expected: Path, actual: Path) -> None:
    """Two workbooks match part by part (for determinism checks)."""
    problems = differences(expected, actual, ("first", "second"))
    assert not problems, f"{_shown(actual)} differs from {_shown(expected)}:\n\n" + "\n\n".join(
        problems
    )


def differences(
    expected: Path, actual: Path, labels: tuple[str, str] = ("expected", "actual")
) -> list[str]:
    """What differs between two workbooks, one paragraph per part; empty when they match.

    labels name the two sides in the diffs ('golden', 'output').
    """
    want, got = read_parts(expected), read_parts(actual)
    problems = []
    if list(want) != list(got):
        missing = [p for p in want if p not in got]
        extra = [p for p in got if p not in want]
        if missing or extra:
            problems.append(
                f"the list of zip parts differs from the {labels[0]}: "
                f"missing {missing or 'none'}, unexpected {extra or 'none'}"
            )
        else:
            problems.append(
                "the same zip parts in another order:\n"
                f"  {labels[0]}: {list(want)}\n  {labels[1]}: {list(got)}"
            )
    titles = sheet_titles(want)
    for part in want:
        if part not in got:
            continue
        problem = part_difference(
            part,
            want[part],
            got[part],
            f"{labels[0]} {expected.name}",
            f"{labels[1]} {actual.name}",
        )
        if problem:
            title = f" (sheet '{titles[part]}')" if part in titles else ""
            problems.append(problem.replace(f"part {part}", f"part {part}{title}", 1))
    return problems


def read_parts(path: Path) -> dict[str, bytes]:
    """Every zip member's bytes by name, in zip order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def sheet_titles(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet part name -> sheet title, from xl/workbook.xml and its relationships."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    package = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        workbook = ElementTree.fromstring(parts["xl/workbook.xml"])
        rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{package}Relationship")}
    titles = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel_id), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        titles[part] = sheet.get("name", "")
    return titles


def is_xml(part: str) -> bool:
    return part.endswith(XML_SUFFIXES)


def part_difference(part: str, want: bytes, got: bytes, want_name: str, got_name: str) -> str:
    """'' when a part matches; else which part and its first differing lines."""
    if want == got:
        return ""
    if not is_xml(part):
        return (
            f"part {part} (binary) differs: {len(want)} bytes sha256 "
            f"{hashlib.sha256(want).hexdigest()[:12]} in {want_name}, {len(got)} bytes sha256 "
            f"{hashlib.sha256(got).hexdigest()[:12]} in {got_name}"
        )
    try:
        canonical_want, canonical_got = canonical(want), canonical(got)
    except ElementTree.ParseError as error:
        return f"part {part} is not well-formed XML in one of the workbooks: {error}"
    if canonical_want == canonical_got:
        return ""
    diff = list(
        difflib.unified_diff(
            pretty(canonical_want),
            pretty(canonical_got),
            f"{want_name}:{part}",
            f"{got_name}:{part}",
            n=2,
            lineterm="",
        )
    )
    shown = diff[:DIFF_LINES]
    if len(diff) > DIFF_LINES:
        shown.append(f"... ({len(diff) - DIFF_LINES} more diff lines)")
    return f"part {part} differs (canonical XML), first differing lines:\n" + "\n".join(shown)


def canonical(data: bytes) -> str:
    """The C14N 2.0 form of an XML part."""
    return ElementTree.canonicalize(data)


def pretty(canonical_xml: str) -> list[str]:
    """One element a line, indented, for a readable diff."""
    text = minidom.parseString(canonical_xml).toprettyxml(indent="  ")
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[1:] if lines and lines[0].startswith("<?xml") else lines


def core_dates(path: Path) -> tuple[str, str]:
    """(created, modified) of a workbook's docProps/core.xml."""
    terms = "{http://purl.org/dc/terms/}"
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    return (root.findtext(f"{terms}created", ""), root.findtext(f"{terms}modified", ""))


def store(actual: Path, golden: Path) -> None:
    """Copy a workbook to its golden place, parts unchanged, zip timestamps fixed."""
    temp = golden.with_name(golden.name + ".tmp")
    with zipfile.ZipFile(actual) as source, zipfile.ZipFile(temp, "w") as target:
        for info in source.infolist():
            stored = zipfile.ZipInfo(info.filename, STORED_TIME)
            stored.compress_type = info.compress_type
            stored.external_attr = info.external_attr
            target.writestr(stored, source.read(info))
    temp.replace(golden)


def _shown(path: Path) -> str:
    """A path relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(GOLDEN_DIR.parents[1]))
    except ValueError:
        return str(path)
