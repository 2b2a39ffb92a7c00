"""Read fields out of hand-edited YAML mappings, collecting problems instead of raising.

Framework and plan files must report every problem at once, so readers
never stop at the first bad value: they note a Problem and carry on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from missionplan.errors import DataFileError, Problem
from missionplan.planning.yamlfile import line_of


@dataclass
class ProblemLog:
    """Problems found while reading one data file."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: object, where: str, message: str, key: str | None = None) -> None:
        """Note a problem at the node's line, or at the line of one of its keys."""
        self.problems.append(Problem(self.file, line_of(node, key), where, message))

    def raise_if_any(self) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.where, p.message))
            raise DataFileError(ordered)


def mapping(log: ProblemLog, node: object, where: str, parent: object = None) -> dict[str, Any]:
    """The node as a mapping, or an empty one (with a problem) when it is something else."""
    if isinstance(node, dict):
        return node
    log.add(parent if node is None else node, where, "expected a mapping of keys to values")
    return {}


def text(log: ProblemLog, node: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    """A text field, stripped; empty or missing required text is a problem."""
    value = node.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            log.add(node, where, f"'{key}' is empty; give it a text", key)
        return ""
    if isinstance(value, bool | dict | list):
        log.add(node, where, f"'{key}' should be a text, found {type(value).__name__}", key)
        return ""
    return " ".join(str(value).split())


def items(log: ProblemLog, node: dict[str, Any], key: str, where: str) -> list[Any]:
    """A list field; missing means empty, anything else is a problem."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        log.add(node, where, f"'{key}' should be a list", key)
        return []
    return value


def codes(log: ProblemLog, node: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A list of component codes (a single code is accepted too)."""
    value = node.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        log.add(node, where, f"'{key}' should be a list of component codes", key)
        return ()
    return tuple(v.strip() for v in value)
