"""Read YAML files while remembering the line each mapping starts on.

Framework and plan files are edited by hand, so every problem we report
names the line. Mappings come back as `LineDict`, a dict with a `line`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from missionplan.errors import DataFileError, Problem

MAX_YAML_BYTES = 5_000_000


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the (1-based) line it starts on."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of_key(self, key: str) -> int | None:
        """The line a key of this mapping is on (its mapping's line when unknown)."""
        return getattr(self, "key_lines", {}).get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build a value; a tagged value that cannot be built is a YAML error at its line."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read a {tag} value ({error})", node.start_mark
            ) from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        mapping[str(key)] = value
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def line_of(value: object, key: str | None = None) -> int | None:
    """The line of a mapping (or of one of its keys), or None for anything else."""
    if key is not None and isinstance(value, LineDict):
        return value.line_of_key(key)
    return getattr(value, "line", None)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text; a syntax error becomes a DataFileError naming the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = error.problem or "not valid YAML"
        raise DataFileError(
            [Problem(file, line, "", f"YAML syntax error: {reason}. Check indentation and quotes.")]
        ) from None
    except yaml.YAMLError as error:
        raise DataFileError([Problem(file, None, "", f"not valid YAML: {error}")]) from None
    except RecursionError:
        raise DataFileError(
            [Problem(file, None, "", "not valid YAML: lists or mappings are nested too deeply")]
        ) from None


def read_yaml(path: Path) -> Any:
    """Read and parse a YAML file, with one-line errors for missing or unreadable files."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise DataFileError([Problem(name, None, "", "file is too large for a YAML file")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError([Problem(name, None, "", "file not found")]) from None
    except IsADirectoryError:
        raise DataFileError([Problem(name, None, "", "is a folder, not a file")]) from None
    except OSError as error:
        raise DataFileError([Problem(name, None, "", f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError([Problem(name, None, "", "is not UTF-8 text")]) from None
    return parse_yaml(text, name)
