"""The planning-sheet contract, defined once.

Every column of a planning sheet is declared here: its key, header, type,
the item types it applies to and must be filled for, its allowed values,
whether it is framework content or an input, and the help text a planner
reads. Export writes headers, dropdowns and input messages from it;
validation checks against it; merge writes it. Nothing else re-types a
column name or a list of allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from missionplan.schema.language import Language, every_spelling, translate

CONTRACT_VERSION = "1"

ItemType = Literal["activity", "benchmark", "risk", "consideration"]
ITEM_TYPES: tuple[ItemType, ...] = ("activity", "benchmark", "risk", "consideration")
Term = Literal["short", "medium", "long"]
TERMS: tuple[Term, ...] = ("short", "medium", "long")
Priority = Literal["high", "medium", "low"]
PRIORITIES: tuple[Priority, ...] = ("high", "medium", "low")
OutputRole = Literal["lead", "support", "planning unit"]
"""A component's part in one output of its workbook (the planning unit edits everything)."""
PLANNED = "planned"
STATUSES = (PLANNED, "ongoing", "completed", "delayed", "cancelled")
FUNDING_SOURCES = (
    "assessed budget",
    "programmatic funding",
    "trust fund",
    "UNCT agency funds",
    "host government",
    "other donor",
    "no cost",
)
HRDDP_NOT_APPLICABLE = "not applicable"
HRDDP_ASSESSED = "applies: assessment done"
HRDDP_ANSWERS = (HRDDP_NOT_APPLICABLE, HRDDP_ASSESSED, "applies: assessment pending")
COMPONENT_KINDS = (
    "leadership",
    "civilian substantive",
    "uniformed",
    "support",
    "coordination structure",
    "UN country team",
)
ColumnType = Literal["text", "date", "number", "integer", "choice", "choices"]
ColumnRole = Literal["key", "framework", "input"]

COMPONENTS = "components"
"""Marks a choice column whose allowed values are the plan's component codes."""

HIGH_RISK_RATING = 15
"""A risk is high when likelihood x impact reaches this (PLANNING_MODEL: ratings of 15 to 25)."""
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""

ALL: tuple[ItemType, ...] = ITEM_TYPES
ACTIVITY: tuple[ItemType, ...] = ("activity",)
BENCHMARK: tuple[ItemType, ...] = ("benchmark",)
RISK: tuple[ItemType, ...] = ("risk",)


@dataclass(frozen=True)
class Column:
    """One column of a planning sheet.

    role: "key" columns identify a row and are always locked; "framework"
    columns hold framework content, locked on framework rows and filled in
    on rows a component adds; "input" columns are for the component.
    """

    key: str
    header: str
    type: ColumnType
    role: ColumnRole
    applies_to: tuple[ItemType, ...]
    required_for: tuple[ItemType, ...]
    help: str
    choices: tuple[str, ...] | str | None = None
    minimum: float | None = None
    maximum: float | None = None
    width: int = 14

    @property
    def editable(self) -> bool:
        """Whether a component types into this column on framework rows."""
        return self.role == "input"

    @property
    def editable_on_added_rows(self) -> bool:
        return self.role != "key"

    @property
    def plan_choices(self) -> bool:
        """Whether the allowed values come from the plan (its components)."""
        return self.choices == COMPONENTS

    def allowed(self, components: tuple[str, ...] = ()) -> tuple[str, ...] | None:
        """The allowed values, with the plan's components filled in where they apply."""
        if self.choices is None:
            return None
        if isinstance(self.choices, str):
            return components
        return self.choices


COLUMNS: tuple[Column, ...] = (
    Column("output_id", "Output", "text", "key", ALL, ALL,
           "The framework output this item belongs to (e.g. 3.1). Set by the template.", width=8),
    Column("item_id", "Item ID", "text", "key", ALL, ALL,
           "Unique id of the item. Framework items keep their id (e.g. 3.1-A2); your own rows "
           "carry ids with your component code. Refer to items by these ids.", width=13),
    Column("item_type", "Type", "choice", "framework", ALL, ALL,
           "activity, benchmark, risk or consideration. Set for framework rows; choose one "
           "for each row you add.", choices=ITEM_TYPES, width=13),
    Column("text", "Description", "text", "framework", ALL, ALL,
           "What the item is. Framework text is locked; on rows you add, write one clear "
           "sentence.", width=48),
    Column("ref", "Source", "text", "key", ALL, (),
           "Where the item comes from in the framework (section), or 'added' for your rows.",
           width=9),
    Column("lead", "Lead", "choice", "input", ACTIVITY, ACTIVITY,
           "The one component that leads this activity. Pick it from the list.",
           choices=COMPONENTS, width=11),
    Column("support", "Supporting components", "choices", "input", ACTIVITY, (),
           "Components that support this activity, by code, separated by commas "
           "(e.g. CAD, UNPOL). Do not repeat the lead.", choices=COMPONENTS, width=16),
    Column("partners", "Partners", "text", "input", ACTIVITY, (),
           "Partners outside the mission: UNCT agencies, host-government counterparts, "
           "civil society, donors.", width=20),
    Column("start", "Start", "date", "input", ACTIVITY, ACTIVITY,
           "First day of the activity, as a date (yyyy-mm-dd) inside the planning period.",
           width=11),
    Column("end", "End", "date", "input", ACTIVITY, ACTIVITY,
           "Last day of the activity, as a date (yyyy-mm-dd), not before the start.", width=11),
    Column("priority", "Priority", "choice", "input", ACTIVITY, ACTIVITY,
           "How important the activity is: high, medium or low. Priority is not sequence: "
           "use 'Depends on' for order.", choices=PRIORITIES, width=9),
    Column("depends_on", "Depends on", "text", "input", ACTIVITY, (),
           "Item ids of activities that must finish before this one starts, separated by "
           "commas (e.g. 3.1-A1, 3.1-PAD-02).", width=14),
    Column("term", "Term", "choice", "framework", BENCHMARK, BENCHMARK,
           "When the benchmark should be met: short, medium or long term (windows are on "
           "the Instructions sheet).", choices=TERMS, width=8),
    Column("indicator", "Indicator", "text", "input", BENCHMARK, BENCHMARK,
           "What will be measured to tell whether the benchmark is met.", width=24),
    Column("baseline", "Baseline", "text", "input", BENCHMARK, BENCHMARK,
           "The indicator's value today.", width=14),
    Column("target", "Target", "text", "input", BENCHMARK, BENCHMARK,
           "The indicator's value when the benchmark is met.", width=14),
    Column("target_date", "Target date", "date", "input", BENCHMARK, BENCHMARK,
           "When the target should be reached (yyyy-mm-dd), inside the benchmark's term "
           "window.", width=11),
    Column("verification", "Means of verification", "text", "input", BENCHMARK, BENCHMARK,
           "Where the evidence comes from: reports, surveys, databases, monitoring visits.",
           width=20),
    Column("likelihood", "Likelihood", "integer", "input", RISK, RISK,
           "How likely the risk is, from 1 (rare) to 5 (almost certain).",
           minimum=1, maximum=5, width=10),
    Column("impact", "Impact", "integer", "input", RISK, RISK,
           "How serious it would be, from 1 (minor) to 5 (severe). Likelihood x impact of "
           "15 or more is a high risk.", minimum=1, maximum=5, width=8),
    Column("mitigation", "Mitigation", "text", "input", RISK, (),
           "What the mission does to make the risk less likely or less harmful. Required for "
           "high risks (likelihood x impact of 15 or more).", width=28),
    Column("owner", "Owner", "choice", "input", ("benchmark", "risk"), ("benchmark", "risk"),
           "The component answerable for this benchmark or risk. Pick it from the list.",
           choices=COMPONENTS, width=11),
    Column("budget", "Budget (USD)", "number", "input", ACTIVITY, ACTIVITY,
           "Estimated cost in US dollars, a number of 0 or more (0 if it needs no extra "
           "resources).", minimum=0, width=12),
    Column("funding", "Funding source", "choice", "input", ACTIVITY, ACTIVITY,
           "Where the money comes from. Pick it from the list.", choices=FUNDING_SOURCES,
           width=16),
    Column("gender", "Gender perspective", "text", "input", ACTIVITY, (),
           "How the activity builds in a gender perspective (women's participation, "
           "differentiated needs). Each output needs at least one.", width=24),
    Column("hrddp", "HRDDP", "choice", "input", ACTIVITY, ACTIVITY,
           "Human Rights Due Diligence Policy: does the activity support non-UN security "
           "forces? If so, is the risk assessment done?", choices=HRDDP_ANSWERS, width=14),
    Column("position", "Mission position", "text", "input", ("consideration",),
           ("consideration",),
           "For a consideration: the position the mission takes on this tension, and why.",
           width=28),
    Column("status", "Status", "choice", "input", ("activity", "benchmark"),
           ("activity", "benchmark"), "Where the item stands now.",
           choices=STATUSES, width=11),
    Column("comments", "Comments", "text", "input", ALL, (),
           "Anything the planning unit should know about this item.", width=24),
)  # fmt: skip

ID_COLUMN = "item_id"
ITEM_TYPE_COLUMN = "item_type"
OUTPUT_COLUMN = "output_id"
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
BY_HEADER: dict[str, Column] = {
    spelling.casefold(): c for c in COLUMNS for spelling in every_spelling(c.header)
}
"""Columns by header, in lower case, in every language: any workbook's headers are read."""
TRANSLATED_CHOICES: tuple[str, ...] = ("term", "priority", "funding", "hrddp", "status")
"""The columns whose choices a workbook shows in its language; the others are codes
(item types, component codes), the same in every language."""


def header(c: Column, language: Language | None = None) -> str:
    """A column's header in a language (the current one by default)."""
    return translate(c.header, language)


def help_text(c: Column, language: Language | None = None) -> str:
    """What a planner reads about a column (its input message), in a language."""
    return translate(c.help, language)


def choice_label(c: Column, choice: str, language: Language | None = None) -> str:
    """How a workbook shows a choice ('haute' for the key 'high' in French)."""
    return translate(choice, language, c.key) if c.key in TRANSLATED_CHOICES else choice


def choice_key(c: Column, text: str) -> str:
    """The key of a choice written exactly in any language ('court terme' -> 'short');
    the text itself when it is no label (the caller's check then reports it)."""
    for choice in c.allowed() or ():
        if text in choice_spellings(c, choice):
            return choice
    return text


def choice_spellings(c: Column, choice: str) -> tuple[str, ...]:
    """A choice's label in every language, its key first: what a reader takes as exact."""
    return every_spelling(choice, c.key) if c.key in TRANSLATED_CHOICES else (choice,)


def column(key: str) -> Column:
    """The column with this key (a KeyError names a programming mistake, not user input)."""
    return BY_KEY[key]


def required_columns(item_type: ItemType) -> tuple[Column, ...]:
    return tuple(c for c in COLUMNS if item_type in c.required_for)


def contract_as_data(components: tuple[str, ...] | None = None) -> dict[str, object]:
    """The contract as plain data: the `missionplan schema --format json` shape."""
    return {
        "version": CONTRACT_VERSION,
        "item_types": list(ITEM_TYPES),
        "item_type_column": ITEM_TYPE_COLUMN,
        "id_column": ID_COLUMN,
        "output_column": OUTPUT_COLUMN,
        "columns": [
            {
                "key": c.key,
                "header": c.header,
                "type": c.type,
                "required_for": list(c.required_for),
                "applies_to": list(c.applies_to),
                "choices": _choices_data(c, components),
                "choices_from": "plan components" if c.plan_choices else None,
                "minimum": c.minimum,
                "maximum": c.maximum,
                "editable": c.editable,
                "editable_on_added_rows": c.editable_on_added_rows,
                "help": c.help,
            }
            for c in COLUMNS
        ],
    }


def _choices_data(c: Column, components: tuple[str, ...] | None) -> list[str] | None:
    if c.choices is None:
        return None
    if c.plan_choices:
        return list(components) if components is not None else None
    return list(c.allowed() or ())


INPUT_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.role == "input")
INPUT_KEY_SET: frozenset[str] = frozenset(INPUT_KEYS)
"""The same keys, for the many membership tests a merge makes."""
