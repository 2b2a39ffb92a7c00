"""Update the message catalogues from the source: `python scripts/update-catalogue.py`.

The words a planner reads are of three kinds: texts in calls `translate("...")` (and
`plural("...", "...", n)`, both forms), which Babel's extractor finds in the source; texts in
the review pack's template (`{% trans %}`, `_()`, `ngettext()`), which Jinja2's extractor
for Babel finds with the template's own settings (report/page.py); and texts declared as
data (the contract's headers, help and choices, the finding messages, the Instructions'
steps and legend, the pack's labels), which are read from the declarations themselves. All
go into missionplan/locale/missionplan.pot; each language's .po is updated from it with
Babel (new messages come in untranslated, gone ones are dropped) and compiled to its .mo.
tests/schema/test_catalogues.py fails when a message is in one language and not the other,
or the .mo is older than the .po.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "missionplan" / "locale"
DOMAIN = "missionplan"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"


def declared() -> Iterator[tuple[str, str | None]]:
    """(text, context) of every text declared as data rather than in a translate() call."""
    sys.path.insert(0, str(ROOT))
    from missionplan.collect import board
    from missionplan.diff import writer as changes
    from missionplan.merge import writer as merged
    from missionplan.register.entries import INVALID, REFUSED, VALID
    from missionplan.report.model import LABELS
    from missionplan.schema import findings
    from missionplan.schema.contract import COLUMNS, ITEM_TYPES, TRANSLATED_CHOICES
    from missionplan.schema.text import COUNTED_NOUNS
    from missionplan.workbook import styles, writer

    for column in COLUMNS:
        yield column.header, None
        yield column.help, None
        if column.key in TRANSLATED_CHOICES:
            for choice in column.allowed() or ():
                yield choice, column.key
    for message in (*findings.MESSAGES, *findings.CONFLICT_MESSAGES, *findings.GAP_MESSAGES):
        yield message.template, None
    for noun, plural in COUNTED_NOUNS:
        yield noun, "count"
        yield plural, "count"
    for item_type in ITEM_TYPES:
        yield item_type, "item type"
    merged_words = (merged.CONFLICTS_SHEET, merged.GAPS_SHEET, merged.SUMMARY_SHEET)
    merged_words += (merged.NO_SOURCE, merged.LAST_CHANGED_HEADER, merged.ISSUED_VALUE_HEADER)
    yield from ((text, None) for text in (*merged.PROVENANCE_HEADERS, *merged_words))
    yield from ((state, "state") for state in (VALID, INVALID, REFUSED))
    for role in ("lead", "support", "planning unit"):
        yield role, "role"
    yield from ((step, None) for step in writer.STEPS)
    yield from ((meaning, None) for _, meaning in styles.LEGEND)
    from missionplan.export.carried import OUTPUT_CHANGES
    from missionplan.schema import review

    for sheet in review.REVIEW_SHEETS:
        yield sheet.name, None
        for review_column in sheet.columns:
            yield review_column.header, None
            yield review_column.help, None
            context = review_column.choice_context
            yield from ((choice, context) for choice in review_column.choices)
    yield from ((light, "light") for light in review.LIGHTS)
    yield from ((change, "output change") for change in OUTPUT_CHANGES)
    from missionplan.demo.review import MISTAKES

    yield from ((what, None) for _, _, what, _ in MISTAKES)
    yield from (("review workbook", "count"), ("review workbooks", "count"))
    yield from LABELS
    yield board.MISSING, "state"
    timeliness = (board.ON_TIME, board.LATE, board.OVERDUE, board.NOT_DUE, board.NO_DUE_DATE)
    yield from ((header, "board") for header, _, _ in board.BOARD_COLUMNS)
    yield from ((text, None) for text in (changes.CHANGES_SHEET, *changes.CHANGES_HEADERS))
    yield "moved", "change"
    yield "{count} {change}", "change count"
    yield from ((kind, "changes") for kind in ("added", "removed", "moved", "changed"))
    yield from ((when, "timeliness") for when in timeliness)


def extracted() -> Iterator[tuple[str, str | None]]:
    """(text, None) of every literal in a translate("...") or plural("...", "...", n) call in
    the package, and of every message of the review pack's template.

    A plural's two forms are two messages (report/page.py's `plural` picks one by the count
    and translates it), so every message of the catalogue has one translation."""
    sys.path.insert(0, str(ROOT))
    from missionplan.report.page import EXTRACTION_OPTIONS

    python = {"translate": (1,), "plural": (1, 2)}
    jinja = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for method, keywords, options in (
        (("**.py", "python"), python, {}),
        (("**.j2", "jinja2.ext:babel_extract"), jinja, {"**.j2": dict(EXTRACTION_OPTIONS)}),
    ):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / "missionplan", [method], options_map=options, keywords=keywords
        ):
            for text in (message,) if isinstance(message, str) else message:
                if text:
                    yield text, None


def template() -> Catalog:
    """The catalogue of every message in the source, untranslated."""
    catalog = Catalog(project="missionplan", domain=DOMAIN, charset="utf-8")
    for text, context in (*declared(), *extracted()):
        catalog.add(text, context=context)
    return catalog


def main() -> None:
    pot = template()
    with TEMPLATE.open("wb") as file:
        write_po(file, pot, omit_header=False, sort_output=True, width=100)
    for po_path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as file:
            catalog = read_po(file)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as file:
            write_po(file, catalog, sort_output=True, width=100)
        with po_path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog)
        untranslated = [m.id for m in catalog if m.id and not m.string]
        print(f"{po_path.relative_to(ROOT)}: {len(untranslated)} untranslated")


if __name__ == "__main__":
    main()
