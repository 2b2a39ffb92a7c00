"""What a command prints: JSON documents for tools, text for people, progress on stderr.

The root options (`--quiet`, `--color/--no-color`) are set once per run by the root
command (`configure`), so a command just calls `render`, `say` and `progress`.
"""

from __future__ import annotations

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
        typer.echo(json.dumps(document(data()), indent=2, ensure_ascii=False))
    elif not settings().quiet:
        typer.echo(text())


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
