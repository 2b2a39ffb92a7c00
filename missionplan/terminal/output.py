"""What a command prints: JSON documents for tools, text for people, progress on stderr.

The root options (`--quiet`, `--color/--no-color`) are set once per run by the root
command (`configure`), so a command just calls `render`, `say` and `progress`.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import typer

from missionplan.terminal.options import Format

SCHEMA_VERSION = 1
"""The version of every JSON document the commands print (docs/schemas/ describes them)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """The root options every command honours."""

    quiet: bool = False


def colour_wanted(flag: bool | None, environ: Mapping[str, str], is_terminal: bool) -> bool:
    """--color/--no-color first, then NO_COLOR, FORCE_COLOR and TERM=dumb, then a terminal."""
    if flag is not None:
        return flag
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return is_terminal


_settings: ContextVar[Settings | None] = ContextVar("settings", default=None)


def configure(chosen: Settings) -> None:
    """Set the root options for the rest of this run (the root command calls it first)."""
    _settings.set(chosen)


def settings() -> Settings:
    """The root options of the command line being run (the defaults before any)."""
    return _settings.get() or Settings()


def document(data: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON document: its schema version first, then the command's data."""
    return {"schema_version": SCHEMA_VERSION, **data}


def render(format: Format, data: Callable[[], Mapping[str, Any]], text: Callable[[], str]) -> None:
    """JSON for tools or text for people on stdout; only the one asked for is built.

    JSON is printed also with --quiet: it was asked for by name.
    """
    if format is Format.json:
        typer.echo(indented_json(document(data())))
    elif not settings().quiet:
        typer.echo(text())


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""The types json writes as one value (exactly these: a subclass takes the general path)."""


def indented_json(value: Any) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), character for character, faster.

    Indenting makes the standard library encode in Python (3.5 s for the report of 290,000
    findings); here each container holding only plain values is encoded by its C encoder,
    with the line break and indentation as the separator between items."""
    return _indented(value, 0)


def _indented(value: Any, depth: int) -> str:
    if isinstance(value, dict):
        items: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        return json.dumps(value, ensure_ascii=False)
    if not value:
        return json.dumps(value)
    outer, inner = "  " * depth, "  " * (depth + 1)
    if all(type(item) in _PLAIN for item in items):
        body = _flat_encoder(inner).encode(value)[1:-1]
    elif isinstance(value, dict):
        if any(type(key) is not str for key in value):  # json's own wording of such keys
            return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + outer)
        body = (",\n" + inner).join(
            f"{json.dumps(key, ensure_ascii=False)}: {_indented(item, depth + 1)}"
            for key, item in value.items()
        )
    else:
        body = (",\n" + inner).join(_indented(item, depth + 1) for item in value)
    start, end = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return f"{start}\n{inner}{body}\n{outer}{end}"


@functools.cache
def _flat_encoder(inner: str) -> json.JSONEncoder:
    """The C encoder writing a container's items one a line at this indentation."""
    return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "))


def say(line: str, err: bool = False) -> None:
    """A line for the person at the terminal, left out with --quiet."""
    if not settings().quiet:
        typer.echo(line, err=err)


def style(text: str, colour: str) -> str:
    """Text in a colour (or bold); click drops the colour where it is not wanted."""
    return typer.style(text, fg=None if colour == "bold" else colour, bold=colour == "bold")


def progress(label: str) -> Callable[[Iterable[T]], Iterator[T]]:
    """A progress bar on stderr when it is a terminal (and not --quiet); nothing otherwise."""

    def wrap(things: Iterable[T]) -> Iterator[T]:
        listed = list(things)
        if len(listed) < 3 or not sys.stderr.isatty() or settings().quiet:
            yield from listed
            return
        with typer.progressbar(listed, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap
