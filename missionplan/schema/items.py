"""An item as a workbook was issued with it, and as a submission yields it.

`ExpectedItem` is a row of the hidden `_items` sheet: what export gave out, with a
fingerprint of its locked content. `SubmittedItem` is the hand-off between validate and
merge: one item as a returned workbook holds it, with typed values.
"""

from __future__ import annotations

import hashlib
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
