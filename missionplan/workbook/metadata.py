"""Round-trip metadata: what a returned workbook must carry for validation and merge.

Kept as plain strings in hidden sheets (a LibreOffice re-save keeps those,
while it drops or changes document properties), and compared by meaning:
"6", 6 and 6.0 are the same number of months.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from missionplan.values import cell_text as as_text

INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "_meta"
ITEMS_SHEET = "_items"
LISTS_SHEET = "_lists"
HIDDEN_SHEETS = (META_SHEET, ITEMS_SHEET, LISTS_SHEET)
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
class ExpectedItem:
    """A row the template was exported with: its locked content and whether it is editable."""

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
        return self.ref == "added"


@dataclass(frozen=True)
class TemplateMeta:
    """Everything about the plan that a returned workbook carries."""

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
        ]


class MetadataError(ValueError):
    """The metadata is missing or damaged; the message says which key."""


def meta_from_pairs(pairs: dict[str, Any]) -> TemplateMeta:
    """Rebuild TemplateMeta from the metadata sheet's key/value cells (by meaning)."""
    values = {key: as_text(value).strip() for key, value in pairs.items()}

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
        return TemplateMeta(
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
        )
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        if isinstance(error, MetadataError):
            raise
        raise MetadataError(f"the metadata is damaged ({error})") from None


def item_from_cells(cells: list[object]) -> ExpectedItem:
    """One row of the items sheet, by meaning."""
    texts = [as_text(v) for v in [*cells, *[""] * len(ITEM_FIELDS)][: len(ITEM_FIELDS)]]
    record = dict(zip(ITEM_FIELDS, texts, strict=True))
    return ExpectedItem(
        item_id=record["item_id"],
        output_id=record["output_id"],
        item_type=record["item_type"],
        term=record["term"],
        ref=record["ref"],
        fingerprint=record["fingerprint"],
        editable=record["editable"].strip().lower() in ("yes", "true", "1"),
        text=record["text"],
    )
