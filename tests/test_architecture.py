"""The package's layers import only downwards, and each step of the cycle is one folder.

Read from the source with `ast`, function-level (lazy) imports included, so a shortcut
taken inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "missionplan"
ROOT_MODULES = {"__init__", "__main__", "cli", "errors"}
LAYERS: dict[str, set[str]] = {
    # folder: the project folders it may import (besides itself, `errors` and the version)
    "templates": set(),
    "locale": set(),  # the message catalogues (.po/.mo) and their loader (tested in tests/schema)
    "schema": {"locale"},  # below schema, so that schema itself reads no file
    # the commands' shared options and output: typer, and the languages a --lang names
    "terminal": {"schema", "locale"},
    "planning": {"schema", "terminal"},
    "workbook": {"schema", "planning"},
    "register": {"schema", "planning", "workbook"},  # the database: no validation, no printing
    "validate": {"schema", "planning", "workbook", "register", "terminal"},
    # above validate: a re-issue reads the merged plan back as validation reads it
    "export": {"schema", "planning", "workbook", "register", "validate", "terminal"},
    # carries an old workbook into the current template with export's carrying code
    "upgrade": {"schema", "planning", "workbook", "register", "validate", "export", "terminal"},
    # a review round expects those export gives a review workbook (export.review.review_books)
    "collect": {"schema", "planning", "workbook", "register", "validate", "export", "terminal"},
    "merge": {
        "schema",
        "planning",
        "workbook",
        "register",
        "validate",
        "export",
        "collect",
        "terminal",
    },
    "diff": {"schema", "planning", "workbook", "register", "validate", "terminal"},
    # the review pack: reads the merged plan, the register's board and a diff
    "report": {
        "schema",
        "planning",
        "workbook",
        "register",
        "validate",
        "collect",
        "merge",
        "diff",
        "terminal",
    },
    "demo": {
        "schema",
        "planning",
        "workbook",
        "register",
        "export",
        "validate",
        "collect",
        "merge",
        "diff",
        "report",
        "terminal",
    },
    "cli": {
        "schema",
        "planning",
        "workbook",
        "register",
        "export",
        "validate",
        "collect",
        "merge",
        "diff",
        "upgrade",
        "report",
        "demo",
        "terminal",
    },
}
HEAVY = ("pandas", "pandera", "openpyxl", "python_calamine", "sqlalchemy", "psycopg")


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {
        ".".join(("missionplan", *path.relative_to(PACKAGE).with_suffix("").parts)): path
        for path in PACKAGE.rglob("*.py")
    }


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _folder(module: str) -> str:
    """The layer a project module belongs to: its folder, or the root module's own name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_only_the_entry_points_sit_at_the_package_root() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")} - ROOT_MODULES
    assert not loose, f"modules at the package root belong in a folder: {sorted(loose)}"


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(LAYERS) - {"cli"}


def test_layers_import_only_downwards() -> None:
    modules = _modules()
    upward = []
    for name, path in modules.items():
        here = _folder(name)
        if here in ("", "__init__", "__main__", "errors"):
            continue
        allowed = LAYERS[here] | {here, "errors", "__init__", ""}
        for target in _imports(path):
            if target in modules and _folder(target) not in allowed:
                upward.append(f"{name} imports {target}")
    assert not upward, "\n".join(upward)


def test_nothing_imports_the_command_line_or_the_demo() -> None:
    modules = _modules()
    offenders = [
        f"{name} imports {target}"
        for name, path in modules.items()
        if _folder(name) not in ("cli", "demo", "__main__")
        for target in _imports(path)
        if target.startswith(("missionplan.cli", "missionplan.demo"))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_schema_declares_and_imports_no_engine() -> None:
    modules = _modules()
    heavy = [
        f"{name} imports {target}"
        for name, path in modules.items()
        if _folder(name) == "schema"
        for target in _imports(path)
        if target.split(".")[0] in HEAVY or target in ("pathlib", "os", "io")
    ]
    assert not heavy, "\n".join(heavy)


def test_only_command_modules_import_the_terminal_layer() -> None:
    """The rules and file edges never print: a step's `command.py` renders what they return."""
    modules = _modules()
    printing = [
        f"{name} imports {target}"
        for name, path in modules.items()
        if _folder(name) not in ("cli", "terminal") and not name.endswith(".command")
        for target in _imports(path)
        if target.split(".")[0] == "typer" or target.startswith("missionplan.terminal")
    ]
    assert not printing, "\n".join(printing)


def test_the_tests_mirror_the_package_folders() -> None:
    tests = Path(__file__).parent
    missing = [
        layer
        for layer in LAYERS
        if layer not in ("cli", "templates", "locale")
        and not any((tests / layer).glob("test_*.py"))
    ]
    assert not missing, f"no tests/<folder>/test_*.py for: {missing}"
