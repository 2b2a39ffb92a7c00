"""The quarterly review, declared: periods, the review sheets' columns and their vocabulary.

A review round reports progress against the merged plan (the study's CPAS, §2.2): one
review workbook per component, with a sheet per item type. What each sheet holds is
declared here once; export writes it, validation checks against it, the performance
report reads it. Planned values are shown locked (`planned` columns), the component fills
in the `input` columns. Names, headers, help and choices are declared in English and shown in
the workbook's language (`sheet_title`, `column_header`, `choice_label`); a reader knows them
in every language (`sheet_of_title`, `header_spellings`, `choice_key`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from missionplan.schema.contract import STATUSES
from missionplan.schema.language import Language, every_spelling, translate

REVIEW_KIND = "review"
"""The `kind` a review workbook's `_meta` carries (planning workbooks say "planning")."""
PLANNING_KIND = "planning"

PERIOD_PATTERN = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A quarter of a calendar year, written "2027-Q2": April to June 2027."""

    year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        following = self.next
        return dt.date(following.year, 3 * following.quarter - 2, 1) - dt.timedelta(days=1)

    @property
    def next(self) -> Period:
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    @property
    def previous(self) -> Period:
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period | None:
    """ "2027-Q2" (case and spaces around the dash tolerated) as a Period; None otherwise."""
    match = PERIOD_PATTERN.match(text)
    if match is None:
        return None
    return Period(int(match.group(1)), int(match.group(2)))


PERIOD_HELP = "a quarter written YEAR-QN, e.g. 2027-Q2 (April to June 2027)"

Assessment = Literal["on track", "at risk", "off track", "achieved", "not assessed"]
ON_TRACK, AT_RISK, OFF_TRACK, ACHIEVED, NOT_ASSESSED = (
    "on track",
    "at risk",
    "off track",
    "achieved",
    "not assessed",
)
ASSESSMENTS: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK, ACHIEVED, NOT_ASSESSED)
MITIGATION_STATES: tuple[str, ...] = ("not started", "under way", "in place", "not effective")
YES, NO = "yes", "no"
YES_NO: tuple[str, ...] = (YES, NO)
COMPLETED, DELAYED, CANCELLED = "completed", "delayed", "cancelled"
NEEDS_REASON: tuple[str, ...] = (DELAYED, CANCELLED)
"""Activity statuses that need a reason in the review."""
NEEDS_NOTE: tuple[str, ...] = (AT_RISK, OFF_TRACK)
"""Assessments that need a note saying why."""

ReviewType = Literal["activity", "benchmark", "risk"]
ReviewColumnType = Literal["text", "date", "integer", "choice"]
ReviewRole = Literal["key", "planned", "input"]


@dataclass(frozen=True)
class ReviewColumn:
    """One column of a review sheet; `source` is the plan's column a planned value comes from."""

    key: str
    header: str
    type: ReviewColumnType
    role: ReviewRole
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    width: int = 14
    source: str = ""
    vocabulary: str = ""
    """The context its choices are translated in: its key unless it shares another column's
    (the status in the plan is shown in the words of the status now)."""

    @property
    def editable(self) -> bool:
        return self.role == "input"

    @property
    def choice_context(self) -> str:
        return self.vocabulary or self.key


@dataclass(frozen=True)
class ReviewSheet:
    """A review sheet: the item type it lists and its columns, in order."""

    name: str
    item_type: ReviewType
    columns: tuple[ReviewColumn, ...]

    def column(self, key: str) -> ReviewColumn:
        return next(c for c in self.columns if c.key == key)


def _key_columns() -> tuple[ReviewColumn, ...]:
    return (
        ReviewColumn("output_id", "Output", "text", "key", "The output the item belongs to.",
                     width=8, source="output_id"),
        ReviewColumn("item_id", "Item ID", "text", "key", "The item's id in the plan.",
                     width=13, source="item_id"),
        ReviewColumn("text", "Description", "text", "key", "The item as the plan states it.",
                     width=40, source="text"),
    )  # fmt: skip


ACTIVITIES = ReviewSheet("Activities", "activity", (
    *_key_columns(),
    ReviewColumn("planned_start", "Planned start", "date", "planned", "The start the plan gives.",
                 width=11, source="start"),
    ReviewColumn("planned_end", "Planned end", "date", "planned", "The end the plan gives.",
                 width=11, source="end"),
    ReviewColumn("planned_status", "Status in the plan", "choice", "planned",
                 "The status the merged plan holds.", choices=STATUSES, width=11,
                 source="status", vocabulary="status"),
    ReviewColumn("status", "Status now", "choice", "input",
                 "Where the activity stands at the end of the period.", choices=STATUSES, width=11),
    ReviewColumn("percent", "% complete", "integer", "input",
                 "How much of the activity is done, a whole number from 0 to 100 (100 only "
                 "when completed).", minimum=0, maximum=100, width=9),
    ReviewColumn("actual_start", "Actual start", "date", "input",
                 "The day the activity really started (yyyy-mm-dd), not after the period's end.",
                 width=11),
    ReviewColumn("actual_end", "Actual end", "date", "input",
                 "The day the activity was completed (yyyy-mm-dd); needed when completed.",
                 width=11),
    ReviewColumn("progress_note", "Progress note", "text", "input",
                 "What was done this period, in a sentence or two.", width=30),
    ReviewColumn("reason", "Reason for delay or cancellation", "text", "input",
                 "Why the activity is delayed or cancelled; needed for those statuses.", width=24),
))  # fmt: skip

BENCHMARKS = ReviewSheet("Benchmarks", "benchmark", (
    *_key_columns(),
    ReviewColumn("indicator", "Indicator", "text", "planned", "What is measured.", width=22,
                 source="indicator"),
    ReviewColumn("baseline", "Baseline", "text", "planned", "The value at the start.", width=12,
                 source="baseline"),
    ReviewColumn("target", "Target", "text", "planned", "The value when the benchmark is met.",
                 width=12, source="target"),
    ReviewColumn("target_date", "Target date", "date", "planned",
                 "When the target should be reached.", width=11, source="target_date"),
    ReviewColumn("measured", "Value this period", "text", "input",
                 "The indicator's value measured this period.", width=14),
    ReviewColumn("assessment", "Assessment", "choice", "input",
                 "On track, at risk, off track, achieved, or not assessed this period.",
                 choices=ASSESSMENTS, width=12),
    ReviewColumn("evidence", "Evidence", "text", "input",
                 "The source or document the value comes from; needed when achieved.", width=22),
    ReviewColumn("note", "Note", "text", "input",
                 "Why at risk or off track (needed then), or anything else to know.", width=26),
))  # fmt: skip

RISKS = ReviewSheet("Risks", "risk", (
    *_key_columns(),
    ReviewColumn("planned_likelihood", "Likelihood in the plan", "integer", "planned",
                 "The likelihood the plan gives (1 to 5).", width=10, source="likelihood"),
    ReviewColumn("planned_impact", "Impact in the plan", "integer", "planned",
                 "The impact the plan gives (1 to 5).", width=9, source="impact"),
    ReviewColumn("likelihood", "Likelihood now", "integer", "input",
                 "How likely the risk is now, from 1 (rare) to 5 (almost certain).",
                 minimum=1, maximum=5, width=10),
    ReviewColumn("impact", "Impact now", "integer", "input",
                 "How serious it would be now, from 1 (minor) to 5 (severe).",
                 minimum=1, maximum=5, width=9),
    ReviewColumn("materialised", "Materialised", "choice", "input",
                 "Whether the risk happened this period: yes or no.", choices=YES_NO, width=11),
    ReviewColumn("mitigation_state", "Mitigation state", "choice", "input",
                 "Where the mitigation stands.", choices=MITIGATION_STATES, width=13),
    ReviewColumn("note", "Note", "text", "input", "Anything the planning unit should know.",
                 width=26),
))  # fmt: skip

REVIEW_SHEETS: tuple[ReviewSheet, ...] = (ACTIVITIES, BENCHMARKS, RISKS)
BY_TYPE: dict[str, ReviewSheet] = {s.item_type: s for s in REVIEW_SHEETS}
BY_NAME: dict[str, ReviewSheet] = {s.name: s for s in REVIEW_SHEETS}
"""The review sheets by their English name (the name is the key; a workbook shows its title)."""


# --- the words a review workbook shows, in its language ----------------------------------------
# Names, headers, help and choices are declared above in English; a workbook shows them in
# its language and a reader recognises them in every language (scripts/update-catalogue.py
# collects them for the catalogues). Choices are stored by key ('on track'), whatever the label.


def sheet_title(sheet: ReviewSheet, language: Language | None = None) -> str:
    """The name a review sheet has in a workbook of this language ('Activités' in French)."""
    return translate(sheet.name, language)


def sheet_of_title(title: str) -> ReviewSheet | None:
    """The review sheet a workbook's sheet name is, in any language; None for another sheet."""
    for sheet in REVIEW_SHEETS:
        if title in every_spelling(sheet.name):
            return sheet
    return None


def column_header(c: ReviewColumn, language: Language | None = None) -> str:
    """A review column's header in a language (the current one by default)."""
    return translate(c.header, language)


def column_help(c: ReviewColumn, language: Language | None = None) -> str:
    """What a component reads about a review column (its input message), in a language."""
    return translate(c.help, language)


def header_spellings(c: ReviewColumn) -> tuple[str, ...]:
    """A column's header in every language, English first: any of them finds the column."""
    return every_spelling(c.header)


def choice_label(c: ReviewColumn, choice: str, language: Language | None = None) -> str:
    """How a workbook shows a choice ('en bonne voie' for the key 'on track' in French)."""
    return translate(choice, language, c.choice_context)


def choice_key(c: ReviewColumn, text: str) -> str | None:
    """The key of a choice written exactly in any language ('en bonne voie' -> 'on track');
    None when the text is no label of the column."""
    for choice in c.choices:
        if text in every_spelling(choice, c.choice_context):
            return choice
    return None


def loose_choice_key(c: ReviewColumn, text: str) -> str | None:
    """The key of a choice written in another case or spacing, in any language; None if none."""
    folded = " ".join(text.split()).casefold()
    for choice in c.choices:
        spellings = every_spelling(choice, c.choice_context)
        if folded in {" ".join(s.split()).casefold() for s in spellings}:
            return choice
    return None


LIGHTS: tuple[str, ...] = ("green", "amber", "red", "grey")
"""The lights a performance report gives; shown in its language (context "light")."""


def light_label(light: str, language: Language | None = None) -> str:
    """A light's word in a language ('vert' for 'green' in French); the key is stored."""
    return translate(light, language, "light")


REVIEW_VERSION = "1"
"""The layout version of review sheets, carried in `_meta` like the contract's."""


@dataclass(frozen=True)
class LightRule:
    """The shares of red, and of red or amber, signals that make a light red or amber."""

    red_percent: int = 25
    amber_percent: int = 10

    def text(self, language: Language | None = None) -> str:
        """The rule in words, as the reports print it: in `language`, else the one spoken."""
        return translate(
            "Each benchmark and activity gives a signal: benchmark achieved or on track green, "
            "at risk amber, off track red; activity completed or on schedule green, delayed "
            "amber, late (planned end passed, not completed) red; not assessed, cancelled or "
            "empty gives none. A light is red when at least {red}% of its signals "
            "are red, otherwise amber when at least {amber}% are red or amber, "
            "otherwise green; grey when there is no signal. Set the shares with "
            "lights_red_percent and lights_amber_percent under plan: in the plan file.",
            language,
        ).format(red=self.red_percent, amber=self.amber_percent)


@dataclass(frozen=True)
class ReviewedItem:
    """One item as a review workbook reports it, typed: the hand-off from validate to merge."""

    item_id: str
    output_id: str
    item_type: ReviewType
    component: str
    period: str
    values: tuple[tuple[str, object], ...]
    """Every column of its sheet by key: planned values as issued, answers as typed (None
    for an empty cell or one that could not be read)."""

    def value(self, key: str) -> object:
        return next((v for k, v in self.values if k == key), None)
