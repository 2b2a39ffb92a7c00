"""The keyed diff of two item tables: pure rules, no files.

Items are matched by their id, never by their position (as daff's keyed table diff does):
inserting rows, sorting or reformatting a sheet is no change. What is left is items added,
items removed, items moved to another output, and per field the old and the new value,
compared as typed (the number 1500 and the text "1 500" that reads as 1500 are the same).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from missionplan.schema.contract import BY_KEY
from missionplan.schema.items import SubmittedItem
from missionplan.schema.language import translate
from missionplan.schema.text import counted

KEY_FIELDS = ("item_id", "output_id")
"""Not compared as fields: the id is the key, a changed output is a move."""

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its value in the old table and in the new one."""

    key: str
    old: object
    new: object

    @property
    def column(self) -> str:
        """The column's header, as a planner sees it on the sheet."""
        found = BY_KEY.get(self.key)
        return translate(found.header) if found else self.key


@dataclass(frozen=True)
class ItemChange:
    """One item that is not the same in both tables.

    output_id is where the item is now (in the old table when it was removed); sheet and
    row say where to find it in that same table.
    """

    item_id: str
    output_id: str
    kind: ChangeKind
    sheet: str
    row: int
    moved_from: str | None = None
    fields: tuple[FieldChange, ...] = ()


def same_value(old: object, new: object) -> bool:
    """Equal as typed: empty text is no value, 1500.0 is 1500, surrounding spaces do not count."""
    return comparable(old) == comparable(new)


def comparable(value: object) -> object:
    """A value in the form two equal entries share, whatever cell format held them."""
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def field_changes(old: SubmittedItem, new: SubmittedItem) -> tuple[FieldChange, ...]:
    """Every field whose value differs, in the contract's column order."""
    old_values = dict(old.values)
    new_values = dict(new.values)
    keys = [*old_values, *(k for k in new_values if k not in old_values)]
    return tuple(
        FieldChange(key, comparable(old_values.get(key)), comparable(new_values.get(key)))
        for key in keys
        if key not in KEY_FIELDS and not same_value(old_values.get(key), new_values.get(key))
    )


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key that puts 4.2 before 4.10 and 5.5-A2 before 5.5-A10."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def diff_items(
    old: Iterable[SubmittedItem], new: Iterable[SubmittedItem]
) -> tuple[ItemChange, ...]:
    """The changes from the old table to the new, by item id, sorted by output then id.

    A table given twice (first row per id) keeps its first row, as validation does.
    """
    before = _by_id(old)
    after = _by_id(new)
    changes: list[ItemChange] = []
    for item_id, item in after.items():
        was = before.get(item_id)
        if was is None:
            changes.append(ItemChange(item_id, item.output_id, "added", item.sheet, item.row))
            continue
        fields = field_changes(was, item)
        moved = was.output_id if was.output_id != item.output_id else None
        if fields or moved:
            changes.append(
                ItemChange(item_id, item.output_id, "changed", item.sheet, item.row, moved, fields)
            )
    changes.extend(
        ItemChange(item_id, item.output_id, "removed", item.sheet, item.row)
        for item_id, item in before.items()
        if item_id not in after
    )
    return tuple(sorted(changes, key=lambda c: (natural_key(c.output_id), natural_key(c.item_id))))


def _by_id(items: Iterable[SubmittedItem]) -> dict[str, SubmittedItem]:
    found: dict[str, SubmittedItem] = {}
    for item in items:
        found.setdefault(item.item_id, item)
    return found


@dataclass(frozen=True)
class Diff:
    """The changes between two workbooks, named by their files."""

    old: str
    new: str
    changes: tuple[ItemChange, ...]

    @property
    def exit_code(self) -> int:
        """As the `diff` tool: 0 no changes, 1 changes."""
        return 1 if self.changes else 0

    def totals(self) -> dict[str, int]:
        return {
            "added": sum(c.kind == "added" for c in self.changes),
            "removed": sum(c.kind == "removed" for c in self.changes),
            "moved": sum(c.moved_from is not None for c in self.changes),
            "changed": sum(bool(c.fields) for c in self.changes),
        }

    def as_data(self) -> dict[str, Any]:
        """The `--format json` shape (docs/schemas/diff.schema.json)."""
        return {
            "old": self.old,
            "new": self.new,
            "totals": self.totals(),
            "changes": [
                {
                    "item_id": c.item_id,
                    "output_id": c.output_id,
                    "change": c.kind,
                    "moved_from": c.moved_from,
                    "sheet": c.sheet,
                    "row": c.row,
                    "fields": [
                        {
                            "key": f.key,
                            "column": f.column,
                            "old": json_value(f.old),
                            "new": json_value(f.new),
                        }
                        for f in c.fields
                    ],
                }
                for c in self.changes
            ],
        }

    def text(self) -> str:
        """For people: a headline, then the changes grouped by output."""
        if not self.changes:
            return translate("{old} -> {new}: no changes").format(old=self.old, new=self.new)
        totals = self.totals()
        tally = translate("{count} {change}", context="change count")  # French: "ajoutés : 3"
        kinds = ", ".join(
            tally.format(count=n, change=translate(word, context="changes"))
            for word, n in totals.items()
            if n
        )
        items = counted(len(self.changes), "item")
        lines = [f"{self.old} -> {self.new}: {items} ({kinds})"]
        output = None
        for change in self.changes:
            if change.output_id != output:
                output = change.output_id
                lines.append(translate("Output {output}").format(output=output))
            lines.extend(change_lines(change))
        return "\n".join(lines)


def change_lines(change: ItemChange) -> list[str]:
    """The lines of one item's change: added, removed, moved and each field's old -> new."""
    where = {"item": change.item_id, "sheet": change.sheet, "row": change.row}
    if change.kind == "added":
        return ["  + " + translate("{item} added ({sheet}, row {row})").format(**where)]
    if change.kind == "removed":
        return ["  - " + translate("{item} removed (was {sheet}, row {row})").format(**where)]
    lines = []
    if change.moved_from is not None:
        moved = translate("{item} moved from output {old} to {new}")
        lines.append("  > " + moved.format(
            item=change.item_id, old=change.moved_from, new=change.output_id))  # fmt: skip
    lines.extend(
        f"  ~ {change.item_id} {f.column}: {shown(f.old)} -> {shown(f.new)}" for f in change.fields
    )
    return lines


def shown(value: object) -> str:
    """A value for the text output: empty shown as such, text quoted so spaces show."""
    if value is None:
        return translate("(empty)")
    if isinstance(value, str):
        return repr(value) if value != value.strip() or not value else f'"{value}"'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def json_value(value: object) -> object:
    """A value as JSON holds it: dates as ISO text, numbers and text as themselves."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
