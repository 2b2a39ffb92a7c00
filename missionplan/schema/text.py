"""Cell values as the text they mean (the one way every module compares them), and shortening."""

from __future__ import annotations

import datetime as dt

from missionplan.schema.language import FRENCH, Language, current_language, translate

FORMULA_START = ("=", "+", "-", "@")
"""What a spreadsheet reads as the start of a formula when it is typed into a cell."""


def cell_text(value: object) -> str:
    """A cell value as the string it meant: 6.0 -> "6", None or NaN -> "", dates as ISO."""
    if type(value) is str:  # most cells: the hot path
        return value
    if value is None or (isinstance(value, dt.datetime) and value != value):  # None, NaT
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def filled_text(value: object) -> str | None:
    """A cell's text, stripped, or None when the cell is empty (6.0 reads as '6')."""
    return cell_text(value).strip() or None


def shorten(text: str, limit: int, ellipsis: str = "...") -> str:
    """The text cut to at most `limit` characters, the cut marked by the ellipsis."""
    return text if len(text) <= limit else text[: limit - len(ellipsis)] + ellipsis


COUNTED_NOUNS: tuple[tuple[str, str], ...] = (
    ("error", "errors"),
    ("warning", "warnings"),
    ("file", "files"),
    ("item", "items"),
    ("submission", "submissions"),
    ("conflict", "conflicts"),
    ("gap", "gaps"),
    ("entry", "entries"),
    ("workbook", "workbooks"),
    ("row", "rows"),
)
"""The nouns reports count, singular and plural, each translated in the catalogue (context
'count'); a noun not listed here is counted in English."""


def counted(
    count: int, noun: str, plural: str | None = None, language: Language | None = None
) -> str:
    """'1 submission', '2 submissions' ('0 erreur', '2 erreurs' in French, where 0 and 1
    take the singular): a count with its noun in the right number, in the current language."""
    word = noun if takes_singular(count, language) else plural or noun + "s"
    return f"{count} {translate(word, language or current_language(), 'count')}"


def takes_singular(count: int, language: Language | None = None) -> bool:
    """Whether a count takes its noun in the singular: 1 in English, 0 and 1 in French."""
    language = language or current_language()
    return count in (0, 1) if language == FRENCH else count == 1
