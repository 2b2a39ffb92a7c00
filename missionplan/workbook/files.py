"""Write output files atomically: a temporary file next to the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from missionplan.errors import MissionplanError


def check_writable(path: Path, force: bool) -> None:
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
