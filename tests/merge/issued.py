"""Builders of three-way merge inputs: the rows a component was issued, made by hand.

`issued_row` turns a submitted item into the row it would have been issued with (every
input column's canonical text, as re-issue writes it), so a test states an edit as the
difference between what it submits and what it was issued.
"""

from __future__ import annotations

from missionplan.merge.rules import Accepted
from missionplan.schema.contract import INPUT_KEYS
from missionplan.schema.items import IssuedItem, SubmittedItem, issued_text


def issued_row(item: SubmittedItem, changed: str = "UNPOL, round 1", **was: object) -> IssuedItem:
    """The row `item` was issued with; `was` gives the issued values it has since changed."""
    values = {key: item.value(key) for key in INPUT_KEYS}
    values.update(was)
    return IssuedItem(
        item.item_id, tuple((key, issued_text(values[key])) for key in INPUT_KEYS), changed
    )


def reissued(
    component: str,
    *items: SubmittedItem,
    issued: tuple[IssuedItem, ...],
    round: int = 2,
) -> Accepted:
    """A round-`round` submission: its items and the rows it was issued."""
    return Accepted(component, f"{component}.xlsx", tuple(items), issued=issued, round=round)
