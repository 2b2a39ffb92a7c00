"""Read YAML files while remembering the line each mapping and each key is on.

Framework and plan files are edited by hand, so every problem we report
names the line. Mappings come back as `LineDict`, a dict with a `line`.
Parsing uses libyaml (PyYAML's C parser, about 7 times faster on the
built-in framework) and falls back to the pure-Python parser where libyaml
is missing; both give the same data and the same lines. A key given twice
in one mapping is refused (YAML would keep the last one without a word).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from missionplan.errors import DataFileError, Problem

MAX_YAML_BYTES = 5_000_000


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the (1-based) line it starts on, and the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of_key(self, key: str) -> int | None:
        """The line a key of this mapping is on (its mapping's line when unknown)."""
        return getattr(self, "key_lines", {}).get(key, self.line)

    def rebuilt(self, items: dict[str, Any]) -> LineDict:
        """A mapping with other items but this one's lines (for a copy with parts left out)."""
        copy = LineDict(items)
        copy.line = self.line
        copy.key_lines = dict(getattr(self, "key_lines", {}))
        return copy


def _line_loader(base: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> type:
    """A safe loader on `base` that builds LineDicts and notes every key given twice."""

    class LineLoader(base):  # type: ignore[valid-type,misc]
        duplicates: list[tuple[int, str]]

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

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return LineLoader


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    # Keys written in this mapping, as opposed to keys a merge (`<<: *base`) brings in: a
    # written key may override a merged one, but a key written twice is a mistake.
    written = {id(key) for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.key_lines = {}
    names_written: set[str] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        name = str(key)
        line = key_node.start_mark.line + 1
        if id(key_node) in written:
            if name in names_written:
                first = mapping.key_lines[name]
                loader.duplicates.append(
                    (line, f"'{name}' is given twice (first on line {first}); keep one")
                )
                continue
            names_written.add(name)
        mapping[name] = value
        mapping.key_lines[name] = line
    mapping.line = node.start_mark.line + 1
    return mapping


PURE_LOADER = _line_loader(yaml.SafeLoader)
FAST_LOADER = _line_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None
LOADER = FAST_LOADER or PURE_LOADER


def line_of(value: object, key: str | None = None) -> int | None:
    """The line of a mapping or entry (or of one of its keys), or None for anything else."""
    line_of_key = getattr(value, "line_of_key", None)
    if key is not None and line_of_key is not None:
        found: int | None = line_of_key(key)
        return found
    line = getattr(value, "line", None)
    return line if isinstance(line, int) else None


def parse_yaml(text: str, file: str, loader: type | None = None) -> Any:
    """Parse YAML text; a syntax error or a key given twice becomes a DataFileError at its line."""
    parser = (loader or LOADER)(text)
    parser.duplicates = []
    try:
        data = parser.get_single_data()
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
    finally:
        parser.dispose()
    if parser.duplicates:
        raise DataFileError(
            [Problem(file, line, "", why) for line, why in sorted(parser.duplicates)]
        )
    return data


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
