"""The options several commands take, declared once; a command's own options stay with it.

Each shows a word, not a Python type (`--plan PLAN.yaml`), and the common ones have a short
form: `-o` for --out, `-f` for --format, `-p` for --plan.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from missionplan.schema.language import ENGLISH, LANGUAGES, Language, language_of


class Format(StrEnum):
    text = "text"
    json = "json"


FrameworkOption = Annotated[
    Path | None,
    typer.Option(
        "--framework",
        help="A framework YAML file; the built-in Considerations framework when omitted.",
        dir_okay=False,
        metavar="FRAMEWORK.yaml",
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The register: a database URL (sqlite:///FILE, postgresql://user@host/db) or an "
        "SQLite file; else MISSIONPLAN_DB, else missionplan.db next to the plan.",
        metavar="URL",
        show_default=False,
    ),
]

PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="A quarterly review round instead of the planning round: its quarter, e.g. 2027-Q2.",
        metavar="YEAR-QN",
    ),
]


def from_option(help: str) -> Any:
    """--from (a `str | None`): a merged plan file, or `register` for the last merge the
    register recorded; the help says what the command takes from it."""
    return typer.Option("--from", help=help, metavar="MERGED.xlsx|register")


def _checked_language(value: str | None) -> str | None:
    """--lang as given, checked: an unknown language is a usage error naming the known ones."""
    if value is None:
        return None
    try:
        return language_of(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def spoken(lang: str | None, *fallbacks: Language | None) -> Language:
    """The language a command speaks: --lang, else the first fallback given, else English."""
    if lang is not None:
        return language_of(lang)
    return next((f for f in fallbacks if f is not None), ENGLISH)


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_checked_language,
        help="Language of the workbooks and messages; the plan's `language:` when omitted.",
        metavar="|".join(LANGUAGES),
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="text for people, json for tools.", metavar="text|json"),
]


def plan_option(help: str) -> Any:
    """--plan PLAN.yaml (a `Path | None`); the help says what the command does with it."""
    return typer.Option("--plan", "-p", help=help, dir_okay=False, metavar="PLAN.yaml")


def force_option(help: str) -> Any:
    """--force (a `bool`); the help says what the command overwrites."""
    return typer.Option("--force", help=help)


def out_option(help: str, *, folder: bool, suffix: str = ".xlsx") -> Any:
    """--out (a `Path`): a folder the command writes into, or the one file it writes (a
    workbook unless suffix names another kind, `.html` for the report)."""
    return typer.Option(
        "--out",
        "-o",
        help=help,
        file_okay=not folder,
        dir_okay=folder,
        metavar="DIR" if folder else f"FILE{suffix}",
    )
