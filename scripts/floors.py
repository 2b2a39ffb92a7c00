"""Print pip constraints pinning every runtime dependency to its declared floor.

`make floors` installs the project with these and runs the tests, so the floors in
pyproject.toml stay true: a floor no test has run on is a promise we cannot keep.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def floors(pyproject: Path) -> list[str]:
    """`name==floor` for each runtime dependency declared with a `>=` floor."""
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in declared:
        match = FLOOR.match(requirement)
        if match is None:
            sys.exit(f"floors: {requirement!r} has no '>=' floor; declare one")
        pins.append(f"{match.group(1)}=={match.group(3)}")
    return pins


if __name__ == "__main__":
    print("\n".join(floors(Path(__file__).resolve().parents[1] / "pyproject.toml")))
