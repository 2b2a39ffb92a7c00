"""The README documents what the tool does: every finding code, column and command."""

from __future__ import annotations

from pathlib import Path

from missionplan.cli import app
from missionplan.schema.contract import COLUMNS
from missionplan.schema.findings import CATALOGUE

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    head = README[: README.index("## ")]
    assert "make demo" in head
    assert "make test" in head
    assert head.index("make demo") < head.index("make test")


def test_every_finding_code_is_documented() -> None:
    missing = [code for code in CATALOGUE if f"`{code}`" not in README]
    assert not missing


def test_every_contract_column_is_documented() -> None:
    missing = [c.key for c in COLUMNS if f"`{c.key}`" not in README]
    assert not missing


def test_every_command_is_documented() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    missing = [name for name in names if f"missionplan {name}" not in README]
    assert not missing
