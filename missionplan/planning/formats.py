"""The plan, framework and roster files, declared: every key, what it holds and what it means.

Each mapping of a file is an `Entry` (filecheck.py): a key it does not declare is a
problem ("unknown key 'in_scpe' in output 3.1; did you mean 'in_scope'?"), never ignored.
The descriptions are the help an editor shows: the JSON Schemas in docs/schemas/ are
generated from these models (`missionplan.planning.schemas`). What needs several
entries at once (an unknown component, a lead also listed as support, windows that do not
fit the period) is checked after the model, by the rules in plan.py and framework.py.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field

from missionplan.planning.filecheck import (
    Codes,
    Date,
    Entry,
    Flag,
    Hint,
    Months,
    OptionalText,
    Percent,
    Round,
    Text,
    choices_schema,
    one_of,
    pattern_schema,
    text_matching,
)
from missionplan.schema.contract import COMPONENT_KINDS, PRIORITIES, TERMS
from missionplan.schema.ids import (
    COMPONENT_CODE,
    ITEM_ID_CHARACTERS,
    OBJECTIVE_ID,
    OUTPUT_ID,
    PLAN_ID,
)
from missionplan.schema.language import LANGUAGES

Code = Annotated[
    str,
    text_matching(COMPONENT_CODE, "a code is 1 to 16 capital letters, digits or hyphens"),
    pattern_schema(COMPONENT_CODE),
    Hint("give the component's code, e.g. PAD"),
]
Kind = Annotated[
    str,
    one_of(COMPONENT_KINDS),
    choices_schema(COMPONENT_KINDS),
    Hint("one of: " + ", ".join(COMPONENT_KINDS)),
]
Priority = Annotated[str, one_of(PRIORITIES), choices_schema(PRIORITIES)]
LanguageCode = Annotated[
    str,
    one_of(LANGUAGES),
    choices_schema(LANGUAGES),
    Hint("one of: " + ", ".join(LANGUAGES)),
]
Term = Annotated[str, one_of(TERMS), choices_schema(TERMS), Hint("one of: " + ", ".join(TERMS))]
ObjectiveId = Annotated[
    str,
    text_matching(OBJECTIVE_ID, "an objective id is a number, e.g. 3"),
    pattern_schema(OBJECTIVE_ID),
    Hint("give the objective's number, e.g. '3'"),
]
OutputId = Annotated[
    str,
    text_matching(OUTPUT_ID, "an output id is objective.number, e.g. 3.1"),
    pattern_schema(OUTPUT_ID),
    Hint("give the output's id in quotes, e.g. '3.1'"),
]
ItemId = Annotated[
    str,
    text_matching(
        ITEM_ID_CHARACTERS, "an id uses only letters, digits, dots, hyphens and underscores"
    ),
    pattern_schema(ITEM_ID_CHARACTERS),
    Hint("give the item an id under its output, e.g. '3.1-A1'"),
]
PlanId = Annotated[
    str,
    text_matching(
        PLAN_ID, "an id is up to 32 letters, digits, dots, hyphens or underscores", required=False
    ),
    pattern_schema(PLAN_ID),
]
CODES_HELP = "One component code, or a list of them in brackets: [PAD, CAD]."


# ---------------------------------------------------------------------------
# Components (the roster): in a framework, in its components file, in a plan.
# ---------------------------------------------------------------------------


class ComponentEntry(Entry):
    """A mission component, agency or coordination structure that can lead or support."""

    model_config = ConfigDict(title="Component")
    noun: ClassVar[str] = "component"
    named_by: ClassVar[str] = "code"

    code: Code = Field(
        description="Short code: a capital letter, then up to 15 capital letters, digits or "
        "hyphens (PAD, DSRSG-RCHC). Plans, workbook names and item ids use it."
    )
    name: Text = Field(description="The component's name, e.g. Political Affairs.")
    kind: Kind = Field(description="What kind of component it is.")


class RosterFile(Entry):
    """A components file (`components_file:` of a framework): the roster on its own."""

    model_config = ConfigDict(title="missionplan roster file")
    noun: ClassVar[str] = "roster"
    named_by: ClassVar[str] = ""

    components: list[ComponentEntry] = Field(
        min_length=1, description="Every component that can lead or support an output."
    )


# ---------------------------------------------------------------------------
# The framework file.
# ---------------------------------------------------------------------------


class FrameworkHead(Entry):
    """What the framework is: its id, title and source."""

    model_config = ConfigDict(title="Framework")
    noun: ClassVar[str] = "framework"
    named_by: ClassVar[str] = ""

    id: Text = Field(
        description="The framework's id; plans name it under plan: framework:, workbooks carry it."
    )
    title: Text = Field(description="The framework's title, as the catalog shows it.")
    title_fr: OptionalText = Field(
        "", description="The title in French, for French workbooks (the title when empty)."
    )
    edition: OptionalText = Field("", description="The edition of the source, if any.")
    source: OptionalText = Field("", description="Where the framework comes from.")


class ItemEntry(Entry):
    """An activity, risk, consideration or pre-condition."""

    model_config = ConfigDict(title="Item")
    noun: ClassVar[str] = ""

    id: ItemId = Field(
        description="A stable id that starts with its output's or objective's id and a hyphen "
        "(3.1-A1, 3.1-R2, 3-P1). Workbooks and merged plans refer to the item by it."
    )
    text: Text = Field(description="The item in one line (extra spaces and line breaks fold).")
    ref: OptionalText = Field(
        "", description="The section of the source it comes from, e.g. §3.1.1."
    )


class BenchmarkEntry(ItemEntry):
    """A benchmark: the state of affairs that shows progress, in one term."""

    model_config = ConfigDict(title="Benchmark")

    term: Term = Field(
        description="short, medium or long: the window of the plan its target date falls in."
    )


class OutputEntry(Entry):
    """One output of an objective (e.g. 3.1) with everything the framework says about it."""

    model_config = ConfigDict(title="Output")
    noun: ClassVar[str] = "output"

    id: OutputId = Field(description="objective.number, in quotes: '3.1'.")
    title: Text = Field(description="The output's title.")
    title_fr: OptionalText = Field(
        "", description="The output's title in French, for French workbooks (title when empty)."
    )
    ref: OptionalText = Field("", description="The section of the source, e.g. §3.1.")
    description: OptionalText = Field("", description="What the output is about.")
    activities: list[ItemEntry] = Field(
        default_factory=list, description="Operational activities: what the mission does."
    )
    benchmarks: list[BenchmarkEntry] = Field(
        default_factory=list,
        description="Benchmarks, each short-, medium- or long-term (3.1-BS1, 3.1-BM1, 3.1-BL1).",
    )
    risks: list[ItemEntry] = Field(default_factory=list, description="Challenges and risks.")
    considerations: list[ItemEntry] = Field(
        default_factory=list,
        description="Tensions (polarities) leaders must balance, e.g. peace versus justice.",
    )
    resources: OptionalText = Field("", description="People, money and partners needed.")
    lead: Codes = Field((), description="The lead component(s). " + CODES_HELP)
    support: Codes = Field((), description="The supporting components. " + CODES_HELP)
    notes: list[Text] = Field(
        default_factory=list, description="Notes on how the source was read, one text each."
    )


class ObjectiveEntry(Entry):
    """A key objective (a chapter of the study) and its outputs."""

    model_config = ConfigDict(title="Objective")
    noun: ClassVar[str] = "objective"

    id: ObjectiveId = Field(description="The objective's number, in quotes: '3'.")
    title: Text = Field(description="The objective's title.")
    title_fr: OptionalText = Field(
        "",
        description="The objective's title in French: French workbooks name its sheet and "
        "titles with it (the English title when empty).",
    )
    ref: OptionalText = Field("", description="The section of the source, e.g. §3.")
    summary: OptionalText = Field("", description="The objective in a few sentences.")
    preconditions: list[ItemEntry] = Field(
        default_factory=list, description="Pre-conditions for success (ids 3-P1, 3-P2, ...)."
    )
    benchmarks: list[BenchmarkEntry] = Field(
        default_factory=list, description="The objective's own benchmarks (ids 3-BS1, 3-BM1, ...)."
    )
    outputs: list[OutputEntry] = Field(min_length=1, description="The objective's outputs.")
    notes: list[Text] = Field(
        default_factory=list, description="Notes on how the source was read, one text each."
    )


class FrameworkFile(Entry):
    """A planning framework: objectives, outputs and their items, and the roster they name."""

    model_config = ConfigDict(title="missionplan framework file")
    noun: ClassVar[str] = "framework file"
    named_by: ClassVar[str] = ""

    framework: FrameworkHead = Field(description="What the framework is.")
    components_file: OptionalText = Field(
        "",
        description="A roster file next to this one (e.g. components.yaml); "
        "the built-in roster when neither this nor components is given.",
    )
    components: list[ComponentEntry] = Field(
        default_factory=list,  # not given: from components_file (given empty: a problem)
        min_length=1,
        description="The roster, inline (instead of components_file).",
    )
    objectives: list[ObjectiveEntry] = Field(min_length=1, description="The key objectives.")


# ---------------------------------------------------------------------------
# The plan file.
# ---------------------------------------------------------------------------


class PlanHead(Entry):
    """The plan's settings: mission, mandate, planning period and its windows."""

    model_config = ConfigDict(title="Plan settings")
    noun: ClassVar[str] = "plan"
    named_by: ClassVar[str] = ""

    id: PlanId = Field(
        "",
        description="Optional: up to 32 letters, digits, dots, hyphens or underscores. When "
        "omitted, the id is a hash of the plan's content, so it changes with the plan.",
    )
    mission: Text = Field(description="The mission's name.")
    mandate: OptionalText = Field(
        "", description="The mandating resolution, e.g. S/RES/9999 (2026)."
    )
    start: Date = Field(description="First day of the planning period, YYYY-MM-DD.")
    end: Date = Field(description="Last day of the planning period, YYYY-MM-DD.")
    short_term_months: Months = Field(
        description="Months the short-term window lasts, from the start (1 to 120)."
    )
    medium_term_months: Months = Field(
        description="Months the medium-term window lasts, after the short term (1 to 120); "
        "the rest of the period is long term."
    )
    submit_to: OptionalText = Field(
        "", description="Where components send their workbooks back (shown in each workbook)."
    )
    framework: OptionalText = Field(
        "",
        description="The id of the framework the plan is made for (the framework's when omitted).",
    )
    round: Round = Field(
        1, description="The round of exchange with the components: 1, then 2 for a re-issue..."
    )
    due: Date | None = Field(
        None, description="When the round's workbooks are due back, YYYY-MM-DD (optional)."
    )
    language: LanguageCode = Field(
        "en",
        description="The language of the workbooks and messages: en (English) or fr (French). "
        "Choices are stored by key whatever the language, so the plan id does not depend on it.",
    )
    lights_red_percent: Percent = Field(
        25,
        description="Quarterly review: an output's or objective's light is red when at least "
        "this share (%) of its benchmarks' and activities' signals are red. Not part of the "
        "plan id.",
    )
    lights_amber_percent: Percent = Field(
        10,
        description="Quarterly review: otherwise amber when at least this share (%) of its "
        "signals are red or amber. Not part of the plan id.",
    )


class PlanComponentEntry(ComponentEntry):
    """A component taking part in the plan, with the focal point who fills in its workbook."""

    model_config = ConfigDict(title="Plan component")

    focal_point: OptionalText = Field(
        "", description="Who fills in the component's workbook (name, e-mail)."
    )
    due: Date | None = Field(
        None, description="This component's own due date, YYYY-MM-DD (the plan's when omitted)."
    )


class OutputSettingEntry(Entry):
    """How the plan treats one output of the framework."""

    model_config = ConfigDict(title="Output setting")
    noun: ClassVar[str] = "output"

    id: OutputId = Field(description="The framework's output id, in quotes: '3.1'.")
    in_scope: Flag = Field(True, description="true when the mandate calls for the output.")
    priority: Priority = Field("medium", description="high, medium or low.")
    lead: Codes = Field(
        (), description="The one component that leads the output (required when in scope)."
    )
    support: Codes = Field((), description="The supporting components. " + CODES_HELP)


class PlanFile(Entry):
    """Mission plan settings: what `missionplan init` writes and the planning unit edits."""

    model_config = ConfigDict(title="missionplan plan file")
    noun: ClassVar[str] = "plan file"
    named_by: ClassVar[str] = ""

    plan: PlanHead = Field(description="Mission, mandate, planning period and its windows.")
    components: list[PlanComponentEntry] = Field(
        min_length=1, description="The components of the mission, each with its focal point."
    )
    outputs: list[OutputSettingEntry] = Field(
        min_length=1,
        description="The framework's outputs: in scope or not, priority, lead and support.",
    )
