"""Every message in every language, and the compiled catalogues up to date (issue 15).

The source's messages are gathered as scripts/update-catalogue.py gathers them (Babel's
extractor for `translate("...")` calls, plus the declared headers, help, choices and
finding messages); each language's .po must hold exactly those, each translated, with
the same {slots}, and its .mo must be the .po compiled.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest

from missionplan.schema.findings import template_slots
from missionplan.schema.language import ENGLISH, LANGUAGES, translate
from tests.needs import require

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "missionplan" / "locale"
TRANSLATED = [language for language in LANGUAGES if language != ENGLISH]


def _updater() -> ModuleType:
    require("Babel", importlib.util.find_spec("babel") is not None, "pip install -e '.[dev]'")
    spec = importlib.util.spec_from_file_location(
        "update_catalogue", ROOT / "scripts" / "update-catalogue.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _po(language: str):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with (LOCALE / language / "LC_MESSAGES" / "missionplan.po").open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_source_is_in_the_catalogue_and_nothing_else(language: str) -> None:
    source = {(m.id, m.context) for m in _updater().template() if m.id}
    catalogue = {(m.id, m.context) for m in _po(language) if m.id}
    assert sorted(source - catalogue, key=str) == [], (
        "run scripts/update-catalogue.py and translate"
    )
    assert sorted(catalogue - source, key=str) == [], "messages no longer in the source"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_slots(language: str) -> None:
    for message in _po(language):
        if not message.id:
            continue
        assert message.string, f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        assert template_slots(message.string) == template_slots(message.id), message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_po_compiled(language: str) -> None:
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _po(language))
    mo = LOCALE / language / "LC_MESSAGES" / "missionplan.mo"
    assert mo.read_bytes() == compiled.getvalue(), "run scripts/update-catalogue.py"


def test_english_is_the_source_and_french_reads_from_the_catalogue() -> None:
    assert translate("Priority", "en") == "Priority"
    assert translate("Priority", "fr") == "Priorité"
    assert translate("medium", "fr", "priority") == "moyenne"
    assert translate("medium", "fr", "term") == "moyen terme"
