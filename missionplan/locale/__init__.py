"""The message catalogues, one per language: gettext .po files and their compiled .mo.

`fr/LC_MESSAGES/missionplan.po` is kept with Babel (`scripts/update-catalogue.py` extracts
the messages and updates it; `pybabel compile` writes the .mo); the runtime reads the .mo
with the standard library's gettext, through importlib.resources so it works from a wheel.
This is the one module that reads a catalogue; `schema/language.py` looks words up in it.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources

DOMAIN = "missionplan"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (none for English, the language of the source)."""
    compiled = resources.files(__name__).joinpath(language, "LC_MESSAGES", f"{DOMAIN}.mo")
    if not compiled.is_file():
        return gettext.NullTranslations()
    with compiled.open("rb") as file:
        return gettext.GNUTranslations(file)
