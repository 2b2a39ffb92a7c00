"""The files a command reads and writes: folders of workbooks, atomic writes, progress.

Outputs are written to a temporary file next to the target, then renamed, so a killed
command never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from missionplan.errors import MissionplanError

T = TypeVar("T")
Progress = Callable[[Iterable[T]], Iterable[T]]
"""Wraps the things a command works through, e.g. to show a progress bar on a terminal."""


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""What a folder's spreadsheets end with, in any case: the ones not .xlsx are there to be
refused by name (macros, old formats), not skipped without a word."""


def workbooks_in(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the spreadsheets in it (not Office's ~$ lock files)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in SPREADSHEET_SUFFIXES
                and p.is_file()
                and not p.name.startswith(("~$", "."))
            )
            if not inside:
                raise MissionplanError(f"{path} holds no .xlsx workbooks")
            found += inside
        else:
            found.append(path)
    return found


def ensure_writable(path: Path, force: bool) -> None:
    """Refuse to overwrite an existing file unless forced; the message says how."""
    if path.exists() and not force:
        raise MissionplanError(f"{path} already exists; use --force to overwrite it")
    if path.exists() and path.is_dir():
        raise MissionplanError(f"{path} is a folder; give a file name")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp_path), then move the temp file over path; never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise MissionplanError(f"cannot write {path}: {error.strerror or error}") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; give it normal rights
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise MissionplanError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
