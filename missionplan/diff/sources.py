"""Where a side of a diff comes from: a workbook file, or a version held in the register.

`UNPOL@7` is entry #7 of the register, which must be one of UNPOL's versions: the
numbers `missionplan history UNPOL` lists and `--extract` takes. Its exact bytes
(checked against their SHA-256) are written to a temporary folder and read like a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from missionplan.errors import MissionplanError

VERSION = re.compile(r"(?P<component>[A-Za-z0-9][A-Za-z0-9_-]*)@(?P<number>[0-9]+)")
"""A register version: COMPONENT@N, N an entry number as `history` shows it."""


@dataclass(frozen=True)
class Side:
    """One side of a diff: the file to read and the name to show for it."""

    path: Path
    shown: str


def register_version(spec: str) -> tuple[str, int] | None:
    """(component, entry number) when spec reads COMPONENT@N, else None (a file)."""
    found = VERSION.fullmatch(spec.strip())
    return (found["component"], int(found["number"])) if found else None


@contextmanager
def diff_sides(
    specs: tuple[str, str],
    plan_file: Path | None,
    db: str | None,
    environ: Mapping[str, str] = os.environ,
) -> Iterator[tuple[Side, Side]]:
    """Both sides as files: a path as given, a register version written out for the diff.

    A name that is an existing file is a file, even when it looks like COMPONENT@N.
    """
    versions = {
        spec: version
        for spec in specs
        if (version := register_version(spec)) and not Path(spec).exists()
    }
    if not versions:
        yield Side(Path(specs[0]), specs[0]), Side(Path(specs[1]), specs[1])
        return
    with ExitStack() as stack:
        folder = Path(stack.enter_context(TemporaryDirectory(prefix="missionplan-diff-")))
        written = _written_versions(versions, folder, plan_file, db, environ)
        yield tuple(written.get(spec) or Side(Path(spec), spec) for spec in specs)  # type: ignore[misc]


def _written_versions(
    versions: dict[str, tuple[str, int]],
    folder: Path,
    plan_file: Path | None,
    db: str | None,
    environ: Mapping[str, str],
) -> dict[str, Side]:
    from missionplan.register.database import open_register, register_url
    from missionplan.register.entries import all_entries, entry_file

    try:
        url = register_url(db, plan_file, environ)
    except MissionplanError as error:
        raise MissionplanError(f"{', '.join(versions)} names a register version: {error}") from None
    register = open_register(url, create=False)
    if register is None:
        raise MissionplanError(
            f"{', '.join(versions)}: no register at {url}; give --plan PLAN.yaml or --db URL "
            "of the register that holds these versions"
        )
    try:
        entries = all_entries(register)
        written: dict[str, Side] = {}
        for spec, (component, number) in versions.items():
            mine = [e for e in entries if e.component == component]
            entry = next((e for e in mine if e.number == number), None)
            if entry is None:
                listed = ", ".join(f"{component}@{e.number}" for e in mine) or "none"
                raise MissionplanError(
                    f"{spec}: entry #{number} is not a version of {component} in the register "
                    f"{register.shown} (its versions: {listed}; see missionplan history "
                    f"{component})"
                )
            same = next((w for w in written.values() if w.path.parent.name == str(number)), None)
            path = same.path if same else entry_file(register, entry, folder)
            written[spec] = Side(path, f"{spec} ({entry.file_name})")
        return written
    finally:
        register.close()
