"""The languages a workbook, a message or a report can be in, and the one way to translate.

The source is English; every other language is a gettext catalogue (missionplan/locale/).
Codes (finding codes, item ids, choice keys in JSON) are language-neutral and never
translated: a choice is stored by its key ('high') and shown by its label ('haute').
The language words are put in is set once at the edge (`speaking("fr")`, as gettext's
and Babel's own `force_locale` do) and every label, help and message follows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal, cast, get_args

from missionplan.locale import translations

Language = Literal["en", "fr"]
ENGLISH: Language = "en"
FRENCH: Language = "fr"
LANGUAGES: tuple[Language, ...] = get_args(Language)
LANGUAGE_NAMES: dict[Language, str] = {ENGLISH: "English", FRENCH: "français"}

_spoken: ContextVar[Language] = ContextVar("language", default=ENGLISH)


def language_of(code: str) -> Language:
    """The language a code names ('fr', 'FR'); a ValueError names the ones there are."""
    folded = code.strip().casefold()
    if folded not in LANGUAGES:
        raise ValueError(f"unknown language '{code}'; use one of {', '.join(LANGUAGES)}")
    return cast(Language, folded)


def current_language() -> Language:
    """The language words are put in now (English unless an edge said otherwise)."""
    return _spoken.get()


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Put every label, help and message in this language while the block runs."""
    token = _spoken.set(language)
    try:
        yield
    finally:
        _spoken.reset(token)


def translate(text: str, language: Language | None = None, context: str | None = None) -> str:
    """The text in a language (the current one by default); English is the text itself.

    `context` tells apart one English word meant two ways ('medium' priority, 'medium' term).
    """
    language = language or current_language()
    if language == ENGLISH:
        return text
    catalogue = translations(language)
    return catalogue.pgettext(context, text) if context else catalogue.gettext(text)


def every_spelling(text: str, context: str | None = None) -> tuple[str, ...]:
    """The text in every language, English first, each once: what a reader recognises."""
    return tuple(dict.fromkeys(translate(text, language, context) for language in LANGUAGES))
