"""Round-trip metadata: what a returned workbook must carry for validation and merge.

The mapping between the plan and the `_meta` sheet is written here, both ways: `meta_for`
(a layout's plan, for export) and `plan_from_meta` (the plan as workbooks carry it, for a
merge without a plan file).

Kept as plain strings in hidden sheets (a LibreOffice re-save keeps those,
while it drops or changes document properties), and compared by meaning:
"6", 6 and 6.0 are the same number of months.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from missionplan import __version__
from missionplan.planning.framework import Framework
from missionplan.planning.plan import OutputSetting, Plan, PlanComponent
from missionplan.schema.contract import CONTRACT_VERSION, PRIORITIES, Priority
from missionplan.schema.items import ITEM_FIELDS, ExpectedItem, IssuedItem
from missionplan.schema.language import ENGLISH, Language, current_language, language_of
from missionplan.schema.review import PLANNING_KIND
from missionplan.schema.text import cell_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from missionplan.workbook.layout import WorkbookLayout

INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "_meta"
ITEMS_SHEET = "_items"
LISTS_SHEET = "_lists"
ISSUED_SHEET = "_issued"
"""Only in a re-issued workbook: the values each row was issued with (schema/items.py)."""
HIDDEN_SHEETS = (META_SHEET, ITEMS_SHEET, LISTS_SHEET, ISSUED_SHEET)
SUMMARY_SHEET = "Summary"
CONFLICTS_SHEET = "Conflicts"
GAPS_SHEET = "Gaps"
MERGED_PLAN_SHEETS = (SUMMARY_SHEET, CONFLICTS_SHEET, GAPS_SHEET)
"""The merged plan's own sheets (merge/writer.py), in English: written in the plan's
language, and never read as planning sheets, whatever their headers."""


@dataclass(frozen=True)
class OutputMeta:
    """How the plan set up one output, as the workbook carries it."""

    id: str
    title: str
    lead: str
    support: tuple[str, ...]
    priority: str
    role: str


@dataclass(frozen=True)
class WorkbookMeta:
    """Everything about the plan and the component that a workbook carries."""

    plan_id: str
    mission: str
    mandate: str
    component: str
    component_name: str
    framework_id: str
    framework_edition: str
    framework_fingerprint: str
    contract_version: str
    missionplan_version: str
    period_start: dt.date
    period_end: dt.date
    short_term_months: int
    medium_term_months: int
    submit_to: str
    components: tuple[str, ...]
    outputs: tuple[OutputMeta, ...]
    language: Language = ENGLISH  # the workbook's words; a workbook written before: English
    round: int = 1
    """The planning round this workbook was issued for (1 when it does not say)."""
    parent: str = ""
    """The fingerprint of the merged plan it was re-issued from; "" for a first round."""
    kind: str = PLANNING_KIND
    """"planning", or "review" for a quarterly review workbook (schema/review.py)."""
    period: str = ""
    """A review workbook's quarter, e.g. "2027-Q2"; "" for a planning workbook."""

    def as_pairs(self) -> list[tuple[str, str]]:
        """Key/value strings, in a fixed order, for the metadata sheet."""
        return [
            ("plan_id", self.plan_id),
            ("mission", self.mission),
            ("mandate", self.mandate),
            ("component", self.component),
            ("component_name", self.component_name),
            ("framework_id", self.framework_id),
            ("framework_edition", self.framework_edition),
            ("framework_fingerprint", self.framework_fingerprint),
            ("contract_version", self.contract_version),
            ("missionplan_version", self.missionplan_version),
            ("period_start", self.period_start.isoformat()),
            ("period_end", self.period_end.isoformat()),
            ("short_term_months", str(self.short_term_months)),
            ("medium_term_months", str(self.medium_term_months)),
            ("submit_to", self.submit_to),
            ("components", ",".join(self.components)),
            (
                "outputs",
                json.dumps(
                    [
                        {
                            "id": o.id,
                            "title": o.title,
                            "lead": o.lead,
                            "support": list(o.support),
                            "priority": o.priority,
                            "role": o.role,
                        }
                        for o in self.outputs
                    ],
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
            ),
            ("language", self.language),
            ("round", str(self.round)),
            *([("parent", self.parent)] if self.parent else []),  # a first round has none
            # a planning workbook says neither, so its _meta is what it always was
            *([("kind", self.kind), ("period", self.period)] if self.kind != PLANNING_KIND else []),
        ]


class MetadataError(ValueError):
    """The metadata is missing or damaged; the message says which key."""


def meta_from_pairs(pairs: dict[str, Any]) -> WorkbookMeta:
    """Rebuild WorkbookMeta from the metadata sheet's key/value cells (by meaning)."""
    values = {key: cell_text(value).strip() for key, value in pairs.items()}

    def get(key: str) -> str:
        if key not in values:
            raise MetadataError(f"the metadata has no '{key}'")
        return values[key]

    try:
        outputs_data = json.loads(get("outputs") or "[]")
        outputs = tuple(
            OutputMeta(
                id=str(o["id"]),
                title=str(o.get("title", "")),
                lead=str(o.get("lead", "")),
                support=tuple(str(s) for s in o.get("support", [])),
                priority=str(o.get("priority", "")),
                role=str(o.get("role", "")),
            )
            for o in outputs_data
        )
        return WorkbookMeta(
            plan_id=get("plan_id"),
            mission=get("mission"),
            mandate=values.get("mandate", ""),
            component=get("component"),
            component_name=values.get("component_name", ""),
            framework_id=get("framework_id"),
            framework_edition=values.get("framework_edition", ""),
            framework_fingerprint=values.get("framework_fingerprint", ""),
            contract_version=get("contract_version"),
            missionplan_version=values.get("missionplan_version", ""),
            period_start=dt.date.fromisoformat(get("period_start")[:10]),
            period_end=dt.date.fromisoformat(get("period_end")[:10]),
            short_term_months=int(float(get("short_term_months"))),
            medium_term_months=int(float(get("medium_term_months"))),
            submit_to=values.get("submit_to", ""),
            components=tuple(c for c in get("components").split(",") if c),
            outputs=outputs,
            language=language_of(values.get("language") or ENGLISH),
            round=int(float(values.get("round") or 1)),
            parent=values.get("parent", ""),
            kind=values.get("kind") or PLANNING_KIND,
            period=values.get("period", ""),
        )
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        if isinstance(error, MetadataError):
            raise
        raise MetadataError(f"the metadata is damaged ({error})") from None


def item_from_cells(cells: Sequence[object]) -> ExpectedItem:
    """One row of the items sheet, by meaning (expected_items of that row alone)."""
    return expected_items([cells])[0]


def expected_items(rows: Sequence[Sequence[object]]) -> tuple[ExpectedItem, ...]:
    """Rows of the items sheet, by meaning, made a column at a time: one item a template
    row, tens of thousands in a large workbook, where a call a cell would be most of it."""
    if not rows:
        return ()
    if min(map(len, rows)) < ITEM_WIDTH:  # short rows: the cells not there are empty
        rows = [[*row, *[""] * ITEM_WIDTH] for row in rows]
    columns: list[Sequence[Any]] = [
        column  # the common column: texts alone, as they are
        if set(map(type, column)) == {str}
        else [value if type(value) is str else cell_text(value) for value in column]
        for column in list(zip(*rows, strict=False))[:ITEM_WIDTH]  # rows as long as the shortest
    ]
    columns[EDITABLE_AT] = list(map(_editable, columns[EDITABLE_AT]))
    return tuple(map(ExpectedItem.from_fields, zip(*columns, strict=True)))


ITEM_WIDTH = len(ITEM_FIELDS)
"""An items-sheet row's cells, in the order of ExpectedItem's fields (tests/workbook)."""
EDITABLE_AT = ITEM_FIELDS.index("editable")


@lru_cache(maxsize=32)
def _editable(text: str) -> bool:
    """Whether an items-sheet row says its item is editable (a few spellings, many rows)."""
    return text.strip().lower() in ("yes", "true", "1")


def issued_cells(item: IssuedItem) -> list[str]:
    """One row of the `_issued` sheet (ISSUED_FIELDS): id, fingerprint, values, changed."""
    values = json.dumps([list(pair) for pair in item.values], ensure_ascii=False)
    return [item.item_id, item.fingerprint, values, item.changed]


def issued_from_cells(cells: list[object], number: int) -> IssuedItem | None:
    """One row of the `_issued` sheet (None when blank), checked against its fingerprint.

    A row whose values do not match its fingerprint was changed after issue (the sheet is
    hidden and protected): that is damage, refused, never a silent wrong base for a merge.
    """
    texts = [cell_text(c).strip() for c in [*cells, "", "", "", ""][:4]]
    item_id, fingerprint, values, changed = texts
    if not item_id:
        return None
    try:
        pairs = tuple((str(k), str(v)) for k, v in json.loads(values))
        item = IssuedItem(item_id, pairs, changed)
    except (ValueError, TypeError) as error:
        raise MetadataError(f"row {number} of the issued values is damaged ({error})") from None
    if item.fingerprint != fingerprint:
        raise MetadataError(f"the issued values of {item_id} were changed after it was issued")
    return item


def plan_meta(
    plan: Plan,
    framework: Framework,
    code: str,
    name: str,
    outputs: tuple[OutputMeta, ...],
    **specific: Any,
) -> WorkbookMeta:
    """What every workbook of the plan carries for one component (planning or review);
    `specific` sets the fields of one kind of workbook (language, round, kind, period)."""
    return WorkbookMeta(
        plan_id=plan.id,
        mission=plan.mission,
        mandate=plan.mandate,
        component=code,
        component_name=name,
        framework_id=framework.id,
        framework_edition=framework.edition,
        framework_fingerprint=framework.fingerprint,
        contract_version=CONTRACT_VERSION,
        missionplan_version=__version__,
        period_start=plan.start,
        period_end=plan.end,
        short_term_months=plan.short_term_months,
        medium_term_months=plan.medium_term_months,
        submit_to=plan.submit_to,
        components=tuple(c.code for c in plan.components),
        outputs=outputs,
        **specific,
    )


def meta_for(layout: WorkbookLayout) -> WorkbookMeta:
    """The metadata a workbook of this layout carries."""
    outputs = tuple(
        OutputMeta(b.output.id, b.output.title, b.setting.lead, b.setting.support,
                   b.setting.priority, b.role)
        for s in layout.sheets
        for b in s.blocks
    )  # fmt: skip
    return plan_meta(
        layout.plan, layout.framework, layout.code, layout.name, outputs,
        language=current_language(), round=layout.round, parent=layout.parent,
    )  # fmt: skip


def plan_from_meta(metas: list[WorkbookMeta], framework: Framework) -> Plan:
    """The plan settings as the workbooks carry them (when no plan file is given)."""
    first = metas[0]
    outputs: dict[str, OutputSetting] = {}
    for meta in metas:
        for o in meta.outputs:
            priority: Priority = next((p for p in PRIORITIES if p == o.priority), "medium")
            outputs.setdefault(o.id, OutputSetting(o.id, True, priority, o.lead, o.support))
    roster = {c.code: c for c in framework.components}
    components = tuple(
        PlanComponent(code, roster[code].name if code in roster else code,
                      roster[code].kind if code in roster else "")
        for code in first.components
    )  # fmt: skip
    return Plan(
        mission=first.mission,
        mandate=first.mandate,
        start=first.period_start,
        end=first.period_end,
        short_term_months=first.short_term_months,
        medium_term_months=first.medium_term_months,
        submit_to=first.submit_to,
        framework_id=first.framework_id,
        components=components,
        outputs=tuple(outputs[o.id] for o in framework.outputs if o.id in outputs),
        given_id=first.plan_id,
        language=first.language,
    )
