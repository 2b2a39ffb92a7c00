"""An item as a workbook was issued with it, and as a submission yields it.

`ExpectedItem` is a row of the hidden `_items` sheet: what export gave out, with a
fingerprint of its locked content. `SubmittedItem` is the hand-off between validate and
merge: one item as a returned workbook holds it, with typed values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from missionplan.schema.ids import ADDED_REF

ITEM_FIELDS = (
    "item_id",
    "output_id",
    "item_type",
    "term",
    "ref",
    "fingerprint",
    "editable",
    "text",
)
"""The columns of the `_items` sheet, in order."""


def content_fingerprint(
    item_id: str, output_id: str, item_type: str | None, term: str | None, text: str
) -> str:
    """Fingerprint of a framework row's locked content, compared on validation."""
    blob = "\x1f".join([item_id, output_id, item_type or "", term or "", " ".join(text.split())])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ExpectedItem:
    """A row the workbook was exported with: its locked content and whether it is editable."""

    item_id: str
    output_id: str
    item_type: str
    term: str
    ref: str
    fingerprint: str
    editable: bool
    text: str

    @property
    def added(self) -> bool:
        return self.ref == ADDED_REF

    @classmethod
    def from_fields(cls, values: Sequence[str | bool]) -> ExpectedItem:
        """The item of these field values, in ITEM_FIELDS order: the same item as calling
        the class, made without the frozen __init__ (a guarded set a field), since a
        large workbook's `_items` sheet gives tens of thousands, one a row."""
        item_id, output_id, item_type, term, ref, fingerprint, editable, text = values
        item = object.__new__(cls)
        object.__setattr__(
            item,
            "__dict__",
            {
                "item_id": item_id,
                "output_id": output_id,
                "item_type": item_type,
                "term": term,
                "ref": ref,
                "fingerprint": fingerprint,
                "editable": editable,
                "text": text,
            },
        )
        return item


@dataclass(frozen=True)
class SubmittedItem:
    """One item as a workbook holds it, with typed values: what merge works from."""

    item_id: str
    output_id: str
    item_type: str
    sheet: str
    row: int
    editable: bool
    added: bool
    values: tuple[tuple[str, object], ...]

    def value(self, key: str) -> object:
        return next((v for k, v in self.values if k == key), None)


ISSUED_FIELDS = ("item_id", "fingerprint", "values", "changed")
"""The columns of the `_issued` sheet of a re-issued workbook, in order: the item, the
fingerprint of the values issued (`issued_fingerprint`), those values as a JSON array
of [key, text] pairs, and who last changed the item as the parent plan says (workbook/
metadata.py writes and reads it)."""


def issued_text(value: object) -> str:
    """One typed cell value as the canonical text issued values are kept and compared in.

    Missing is "", a date is yyyy-mm-dd, a whole number has no decimals (1500.0 is "1500"),
    anything else is its text with runs of white space made one space.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())


def issued_fingerprint(values: tuple[tuple[str, str], ...]) -> str:
    """Fingerprint of the values issued in one row (key order as given)."""
    blob = "\x1e".join(f"{key}\x1f{text}" for key, text in values)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class IssuedItem:
    """What a re-issued workbook gave a component in one row: the consolidated values.

    Kept in the hidden `_issued` sheet, so that on return the tool knows exactly which
    fields the component changed (three-way merge) without the parent plan at hand.
    `values` holds every input column's `issued_text`, empty ones included.
    """

    item_id: str
    values: tuple[tuple[str, str], ...]
    changed: str = ""
    """Who last changed the item and in which round, from the parent plan's provenance
    (e.g. "HOM, round 1"); informational, not part of the fingerprint."""

    @property
    def fingerprint(self) -> str:
        return issued_fingerprint(self.values)

    def value(self, key: str) -> str:
        return next((v for k, v in self.values if k == key), "")
