"""What one contract workbook holds, before it is written: sheets, output blocks and rows.

Export builds a layout per component (export/distribution.py), merge builds one for the
merged plan (merge/writer.py); workbook/writer.py turns any layout into a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass

from missionplan.planning.framework import Framework, Objective, Output
from missionplan.planning.plan import OutputSetting, Plan
from missionplan.schema.contract import ItemType, OutputRole
from missionplan.schema.ids import ADDED_REF
from missionplan.schema.items import IssuedItem, content_fingerprint


@dataclass(frozen=True)
class LayoutRow:
    """One item row of a planning sheet, as exported."""

    output_id: str
    item_id: str
    item_type: ItemType | None
    text: str
    ref: str
    term: str | None
    editable: bool
    added: bool
    values: tuple[tuple[str, object], ...] = ()
    """Input values to write (a merged plan); empty for a blank workbook."""
    extra: tuple[object, ...] = ()
    """Values for the template's extra columns (e.g. provenance), after the contract's."""

    @classmethod
    def added_item(
        cls,
        output_id: str,
        item_id: str,
        item_type: str,
        text: str,
        values: tuple[tuple[str, object], ...],
        extra: tuple[object, ...] = (),
    ) -> LayoutRow:
        """An item a component added, as a row of its own again (type and text editable):
        how a re-issue and a merged plan write the items a round brought."""
        kind: ItemType = item_type  # type: ignore[assignment]  # a type validation has read
        return cls(output_id, item_id, kind, text, ADDED_REF, None, True, True, values, extra)

    @property
    def fingerprint(self) -> str:
        """A hash of the locked framework content of this row (empty rows have none)."""
        if self.added:
            return ""
        return content_fingerprint(
            self.item_id, self.output_id, self.item_type, self.term, self.text
        )


@dataclass(frozen=True)
class OutputBlock:
    """One output on a sheet: its settings, this component's role, and its rows."""

    output: Output
    setting: OutputSetting
    role: OutputRole
    rows: tuple[LayoutRow, ...]


@dataclass(frozen=True)
class SheetLayout:
    objective: Objective
    blocks: tuple[OutputBlock, ...]


@dataclass(frozen=True)
class WorkbookLayout:
    """Everything one workbook holds, before it is written."""

    plan: Plan
    framework: Framework
    code: str
    name: str
    sheets: tuple[SheetLayout, ...]
    extra_headers: tuple[str, ...] = ()
    """Headers of columns written after the contract's (e.g. a merged plan's provenance)."""
    round: int = 1
    """The planning round the workbook is issued for."""
    parent: str = ""
    """The SHA-256 of the merged plan it is re-issued from ("" for a first round)."""
    issued: tuple[IssuedItem, ...] = ()
    """The values each pre-filled row was issued with (a re-issued workbook's `_issued`)."""
    notes: tuple[str, ...] = ()
    """What changed since the last round, for the Instructions sheet (already in its words)."""

    @property
    def rows(self) -> tuple[LayoutRow, ...]:
        return tuple(r for s in self.sheets for b in s.blocks for r in b.rows)
