"""Findings, conflicts and gaps: every code, and every message a planner reads.

The catalogue below is the documented list of finding codes (`missionplan validate
--codes`). A code never changes meaning; new checks get new codes.

Every message lives here, as a template with named slots ("Item id {item_id} is also
used on ..."); the rule that finds something fills the slots and never writes words of
its own. One code can have several messages, one per situation (a sheet renamed, or
missing): each is its own named `Message` that points at its `FindingType`. Rules refer
to these constants, never to code strings, so a misspelt name is a lint and type error.
Merge's conflict and gap kinds are catalogued the same way, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from string import Formatter
from typing import Generic, Literal, TypeVar

from missionplan.schema.language import translate
from missionplan.schema.text import cell_text, shorten

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FindingType:
    """An entry of the catalogue: the code, its severity, and what it means."""

    code: str
    severity: Severity
    group: str
    title: str


@dataclass(frozen=True)
class ConflictKind:
    """A way two submissions can disagree (or one refer to what none holds), for merge."""

    code: str
    title: str


@dataclass(frozen=True)
class GapKind:
    """Something the merged plan needs and no submission provides."""

    code: str
    title: str


KindT = TypeVar("KindT", FindingType, ConflictKind, GapKind)


@dataclass(frozen=True)
class FilledMessage(Generic[KindT]):
    """A message with its slots filled: the words a planner reads, and what they report."""

    kind: KindT
    text: str

    @property
    def code(self) -> str:
        return self.kind.code


@dataclass(frozen=True)
class Message(Generic[KindT]):
    """One situation of a finding type (or conflict or gap kind): a template with {named} slots."""

    kind: KindT
    template: str

    @property
    def code(self) -> str:
        return self.kind.code

    @cached_property
    def slots(self) -> frozenset[str]:
        """The names the template asks for ({column}, {item_id}, ...)."""
        return template_slots(self.template)

    def fill(self, **slots: object) -> FilledMessage[KindT]:
        """The message with every slot filled; a slot missing or not in the template is a bug."""
        if slots.keys() != self.slots:
            raise TypeError(
                f"{self.code} message takes the slots {sorted(self.slots)}, got {sorted(slots)}"
            )
        return FilledMessage(self.kind, translate(self.template).format(**_in_words(slots)))


def _in_words(slots: dict[str, object]) -> dict[str, object]:
    """Slots in the current language: a column's header, its help, a term ('court terme'),
    an item type ('jalon'); ids, codes and values stay as they are (a choice slot is given
    as its label by the caller)."""
    words = dict(slots)
    if isinstance(words.get("column"), str):
        words["column"] = translate(str(words["column"]))
    if isinstance(words.get("term"), str):
        words["term"] = translate(str(words["term"]), context="term")
    if isinstance(words.get("item_type"), str):
        words["item_type"] = translate(str(words["item_type"]), context="item type")
    if isinstance(words.get("help"), str):
        words["help"] = translate(str(words["help"]))
    return words


def template_slots(template: str) -> frozenset[str]:
    """The field names of a str.format template ("" for a positional {})."""
    return frozenset(field for _, field, _, _ in Formatter().parse(template) if field is not None)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one place of a submitted workbook (slots: a large workbook's report
    can hold hundreds of thousands, each a third smaller without an instance dict)."""

    code: str
    severity: Severity
    sheet: str
    cell: str
    column: str
    item_id: str
    value: str
    message: str

    def as_data(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "column": self.column,
            "item_id": self.item_id,
            "value": self.value,
            "message": self.message,
        }


def finding(
    message: FilledMessage[FindingType],
    sheet: str,
    cell: str,
    column: str = "",
    item_id: str = "",
    value: object = "",
) -> Finding:
    """A finding in one place (its code and severity come from the message's type)."""
    kind = message.kind
    shown = shorten(cell_text(value), 200)
    return Finding(kind.code, kind.severity, sheet, cell, column, item_id, shown, message.text)


# --- Finding types -------------------------------------------------------------------------
# Laid out as a table, one entry a line (the formatter leaves these sections alone).

# fmt: off
# Structure
MISSING_SHEET = FindingType("missing-sheet", "error", "structure", "An objective sheet of the template is missing or renamed.")
MISSING_COLUMN = FindingType("missing-column", "error", "structure", "A column of the contract is missing or its header was changed.")
FRAMEWORK_TEXT_EDITED = FindingType("framework-text-edited", "error", "structure", "Locked framework content (id, type, term or text) was changed.")
FRAMEWORK_ROW_DELETED = FindingType("framework-row-deleted", "error", "structure", "A framework item of the template is no longer in the workbook.")
ITEM_MOVED = FindingType("item-moved", "error", "structure", "An item sits under another output or objective than in the template.")
DUPLICATE_ITEM_ID = FindingType("duplicate-item-id", "error", "structure", "The same item id is used on more than one row.")
UNKNOWN_ITEM_ID = FindingType("unknown-item-id", "warning", "structure", "A row has an item id the template did not give out.")
ROW_WITHOUT_ID = FindingType("row-without-id", "error", "structure", "A row has content but no item id, so it cannot be tracked.")
CONTEXT_ROW_EDITED = FindingType("context-row-edited", "warning", "structure", "Values were entered on another component's output, shown only for context.")
ADDED_ROW_WITHOUT_TYPE = FindingType("added-row-without-type", "error", "structure", "A row you added has content but no item type.")
ITEM_ID_ASSIGNED = FindingType("item-id-assigned", "warning", "structure", "A row you added had no item id; it was given the next free id of your component.")
ITEM_ID_OF_ANOTHER_COMPONENT = FindingType("item-id-of-another-component", "error", "structure", "A row you added carries an item id with another component's code.")
# Completeness
REQUIRED_VALUE_MISSING = FindingType("required-value-missing", "error", "completeness", "A value required for this item type is empty.")
OUTPUT_WITHOUT_LEAD_ACTIVITY = FindingType("output-without-lead-activity", "error", "completeness", "An output you lead has no activity with a lead component.")
OUTPUT_WITHOUT_BENCHMARK_IN_TERM = FindingType("output-without-benchmark-in-term", "warning", "completeness", "An output you lead has no benchmark for one of the terms.")
OUTPUT_WITHOUT_GENDER_PERSPECTIVE = FindingType("output-without-gender-perspective", "warning", "completeness", "No activity of an output you lead says how a gender perspective is built in.")
# Values
INVALID_DATE = FindingType("invalid-date", "error", "values", "A date cell holds something that is not a date.")
DATE_TYPED_AS_TEXT = FindingType("date-typed-as-text", "warning", "values", "A date was typed as text; it was read, but should be a real date.")
DATE_TYPED_AS_NUMBER = FindingType("date-typed-as-number", "warning", "values", "A date cell holds a plain number; it was read as the day a spreadsheet counts it as, but should be a real date.")
INVALID_NUMBER = FindingType("invalid-number", "error", "values", "A number cell holds something that is not a number.")
NUMBER_TYPED_AS_TEXT = FindingType("number-typed-as-text", "warning", "values", "A number was typed as text; it was read, but should be a real number.")
NOT_A_WHOLE_NUMBER = FindingType("not-a-whole-number", "error", "values", "A whole number (1 to 5) is needed.")
VALUE_OUT_OF_RANGE = FindingType("value-out-of-range", "error", "values", "A number is outside its allowed range.")
CHOICE_NOT_ALLOWED = FindingType("choice-not-allowed", "error", "values", "A value is not one of the column's allowed values.")
CHOICE_SPELLING = FindingType("choice-spelling", "warning", "values", "A value matches an allowed value only when case or spacing is ignored.")
TEXT_TOO_LONG = FindingType("text-too-long", "error", "values", "A text is longer than a spreadsheet cell can hold.")
CONTROL_CHARACTERS = FindingType("control-characters", "warning", "values", "A text holds invisible control characters.")
# Consistency
END_BEFORE_START = FindingType("end-before-start", "error", "consistency", "An activity ends before it starts.")
DATE_OUTSIDE_PERIOD = FindingType("date-outside-period", "error", "consistency", "A date falls outside the planning period.")
TARGET_DATE_OUTSIDE_TERM = FindingType("target-date-outside-term", "warning", "consistency", "A benchmark's target date is outside its term's window.")
DEPENDENCY_UNKNOWN = FindingType("dependency-unknown", "error", "consistency", "'Depends on' names an item that does not exist.")
DEPENDENCY_CYCLE = FindingType("dependency-cycle", "error", "consistency", "Activities depend on each other in a circle.")
STARTS_BEFORE_DEPENDENCY_ENDS = FindingType("starts-before-dependency-ends", "warning", "consistency", "An activity starts before an activity it depends on ends.")
LEAD_ALSO_SUPPORT = FindingType("lead-also-support", "error", "consistency", "The lead component is also listed as supporting.")
HIGH_RISK_WITHOUT_MITIGATION = FindingType("high-risk-without-mitigation", "error", "consistency", "A high risk (likelihood x impact of 15 or more) has no mitigation.")
HRDDP_NOT_STATED = FindingType("hrddp-not-stated", "warning", "consistency", "An activity that supports security forces says the HRDDP does not apply.")
# Safety
FORMULA_IN_CELL = FindingType("formula-in-cell", "error", "safety", "A cell holds a formula; only values are accepted (it was not evaluated).")
TEXT_LOOKS_LIKE_FORMULA = FindingType("text-looks-like-formula", "warning", "safety", "A text starts with =, +, - or @ and a spreadsheet may run it as a formula.")
# Review (quarterly review workbooks, schema/review.py)
COMPLETED_WITHOUT_ACTUAL_END = FindingType("completed-without-actual-end", "error", "review", "A completed activity has no actual end.")
ACTUAL_DATE_AFTER_PERIOD = FindingType("actual-date-after-period", "error", "review", "An actual date falls after the end of the period reported on.")
PERCENT_NOT_MATCHING_STATUS = FindingType("percent-not-matching-status", "warning", "review", "The % complete does not match the status (100 while not completed, or completed below 100).")
DELAY_WITHOUT_REASON = FindingType("delay-without-reason", "error", "review", "A delayed or cancelled activity gives no reason.")
ACHIEVED_WITHOUT_EVIDENCE = FindingType("achieved-without-evidence", "error", "review", "A benchmark marked achieved has no measured value or no evidence.")
ASSESSMENT_WITHOUT_NOTE = FindingType("assessment-without-note", "error", "review", "A benchmark at risk or off track has no note saying why.")
ITEM_NOT_IN_REVIEW = FindingType("item-not-in-review", "error", "review", "Values are reported for an item this review workbook did not give out (another component's, or unknown).")

_CATALOGUE: tuple[FindingType, ...] = (
    MISSING_SHEET, MISSING_COLUMN, FRAMEWORK_TEXT_EDITED, FRAMEWORK_ROW_DELETED, ITEM_MOVED,
    DUPLICATE_ITEM_ID, UNKNOWN_ITEM_ID, ROW_WITHOUT_ID, CONTEXT_ROW_EDITED, ADDED_ROW_WITHOUT_TYPE,
    ITEM_ID_ASSIGNED, ITEM_ID_OF_ANOTHER_COMPONENT,
    REQUIRED_VALUE_MISSING, OUTPUT_WITHOUT_LEAD_ACTIVITY, OUTPUT_WITHOUT_BENCHMARK_IN_TERM,
    OUTPUT_WITHOUT_GENDER_PERSPECTIVE,
    INVALID_DATE, DATE_TYPED_AS_TEXT, DATE_TYPED_AS_NUMBER, INVALID_NUMBER, NUMBER_TYPED_AS_TEXT,
    NOT_A_WHOLE_NUMBER, VALUE_OUT_OF_RANGE, CHOICE_NOT_ALLOWED, CHOICE_SPELLING, TEXT_TOO_LONG,
    CONTROL_CHARACTERS,
    END_BEFORE_START, DATE_OUTSIDE_PERIOD, TARGET_DATE_OUTSIDE_TERM, DEPENDENCY_UNKNOWN,
    DEPENDENCY_CYCLE, STARTS_BEFORE_DEPENDENCY_ENDS, LEAD_ALSO_SUPPORT,
    HIGH_RISK_WITHOUT_MITIGATION, HRDDP_NOT_STATED,
    FORMULA_IN_CELL, TEXT_LOOKS_LIKE_FORMULA,
    COMPLETED_WITHOUT_ACTUAL_END, ACTUAL_DATE_AFTER_PERIOD, PERCENT_NOT_MATCHING_STATUS,
    DELAY_WITHOUT_REASON, ACHIEVED_WITHOUT_EVIDENCE, ASSESSMENT_WITHOUT_NOTE, ITEM_NOT_IN_REVIEW,
)
# fmt: on

CATALOGUE: dict[str, FindingType] = {t.code: t for t in _CATALOGUE}


# --- Finding messages: what a planner reads, one per situation ------------------------------
# Slots are named for what they hold: {column} a column's header, {item_id} an item id,
# {output} an output id; the rule passes each by name (tests/schema/test_findings.py checks).

# fmt: off
# Structure
SHEET_RENAMED = Message(MISSING_SHEET, "The sheet of objective {objective} was renamed to '{sheet}'; give it back its name from the template (it starts with '{objective} ').")
NO_SHEET_FOR_OBJECTIVE = Message(MISSING_SHEET, "No sheet holds the items of objective {objective}; restore its sheet from the template.")
COLUMN_HEADER_CHANGED = Message(MISSING_COLUMN, "The column '{column}' is missing or its header was changed; restore the header exactly as in the template.")
FRAMEWORK_VALUE_CHANGED = Message(FRAMEWORK_TEXT_EDITED, "The framework's {column} was changed; it must read '{wanted}'. Undo the change and put your own wording in Comments or in a new item.")
FRAMEWORK_ROW_MISSING = Message(FRAMEWORK_ROW_DELETED, "The framework {item_type} {item_id} ('{text}') is missing; restore its row (copy it from the template).")
ROW_UNDER_OUTPUT_NOT_IN_WORKBOOK = Message(ITEM_MOVED, "This row is under output '{output}', which is not in this workbook (its outputs: {outputs}); put the item under one of them, on a prepared row.")
PREPARED_ROW_MOVED = Message(ITEM_MOVED, "This row was prepared under output {prepared_output}, not {output}; put it back.")
FRAMEWORK_ITEM_MOVED = Message(ITEM_MOVED, "Item {item_id} belongs to output {output} on its objective's sheet; move it back (or undo the change).")
ITEM_ID_USED_TWICE = Message(DUPLICATE_ITEM_ID, "Item id {item_id} is also used on {first_sheet} row {first_row}; each row needs its own id (use an empty prepared row for a new item).")
ITEM_ID_NOT_IN_TEMPLATE = Message(UNKNOWN_ITEM_ID, "Item id {item_id} was not given out by the template and does not have the form of your ids under output {output} (e.g. {example}); clear the Item ID so that missionplan gives the row an id of its own.")
CONTENT_WITHOUT_ITEM_ID = Message(ROW_WITHOUT_ID, "This row has content but no item id and sits under no output, so it cannot be tracked; move it under the output it belongs to (below the output's blue band).")
ID_GIVEN_TO_ADDED_ROW = Message(ITEM_ID_ASSIGNED, "This new {item_type} had no item id and was given {item_id}, the next free id of {component} under output {output}. The annotated copy has it written in: go on working in that copy, so that the item keeps its id when you send the workbook again.")
ID_OF_ANOTHER_COMPONENT = Message(ITEM_ID_OF_ANOTHER_COMPONENT, "Item id {item_id} carries the code of {other}, another component; the items you add carry yours ({component}). Clear the Item ID so that missionplan gives the row an id of yours.")
VALUES_ON_CONTEXT_ROW = Message(CONTEXT_ROW_EDITED, "Item {item_id} belongs to an output another component leads (shown for context); your values will be set against the lead's in the merge. Put your contribution on a prepared row instead.")
CHOOSE_ADDED_ITEM_TYPE = Message(ADDED_ROW_WITHOUT_TYPE, "Choose the Type of this item (activity, benchmark, risk or consideration) so its row can be checked.")
CHOOSE_INSERTED_ROW_TYPE = Message(ADDED_ROW_WITHOUT_TYPE, "Choose the Type of this new item (activity, benchmark, risk or consideration) so that it can be given an id and checked. If its Type cell is locked, the row was inserted under a framework row: insert it under your last row of the output instead.")
# Completeness
FILL_IN_REQUIRED_VALUE = Message(REQUIRED_VALUE_MISSING, "Fill in {column}: every {item_type} needs it. {help}")
NO_ACTIVITY_WITH_LEAD = Message(OUTPUT_WITHOUT_LEAD_ACTIVITY, "Output {output} has no activity with a lead component; name the lead of at least one activity.")
NO_BENCHMARK_FOR_TERM = Message(OUTPUT_WITHOUT_BENCHMARK_IN_TERM, "Output {output} has no {term}-term benchmark; add one on a prepared row.")
NO_GENDER_PERSPECTIVE = Message(OUTPUT_WITHOUT_GENDER_PERSPECTIVE, "No activity of output {output} says how a gender perspective is built in; fill in Gender perspective for at least one activity.")
# Values
DATE_NOT_READ = Message(INVALID_DATE, "{column} must be a date; enter it as yyyy-mm-dd (e.g. 2027-03-31).")
DATE_READ_FROM_TEXT = Message(DATE_TYPED_AS_TEXT, "{column} was typed as text; it was read as {day}. Re-enter it as a date (yyyy-mm-dd) so the spreadsheet treats it as one.")
DATE_READ_FROM_NUMBER = Message(DATE_TYPED_AS_NUMBER, "{column} holds the number {serial}, not a date; it was read as {day}, the day a spreadsheet counts it as. If that is the date you meant, format the cell as a date; if not, enter the date as yyyy-mm-dd.")
NUMBER_NOT_READ = Message(INVALID_NUMBER, "{column} must be a number; enter digits only (e.g. 25000).")
NUMBER_READ_TWO_WAYS = Message(INVALID_NUMBER, "{column}: '{text}' can mean {decimal} (with a decimal point) or {thousands} (with a dot between the thousands); enter digits only, with a point before any decimals (e.g. {thousands} or {decimal}).")
NUMBER_NOT_FINITE = Message(INVALID_NUMBER, "{column} holds {value}, which is not a number; enter digits only (e.g. 25000).")
NUMBER_READ_FROM_TEXT = Message(NUMBER_TYPED_AS_TEXT, "{column} was typed as text; it was read as {number}. Re-enter it as a plain number.")
NUMBER_READ_WITH_DECIMAL_COMMA = Message(NUMBER_TYPED_AS_TEXT, "{column} was typed as text; its comma was read as the decimal mark, so it was read as {number}. Re-enter it as a plain number.")
WHOLE_NUMBER_NEEDED = Message(NOT_A_WHOLE_NUMBER, "{column} must be a whole number, not a fraction. {allowed_range}")
NUMBER_BELOW_MINIMUM = Message(VALUE_OUT_OF_RANGE, "{column} must be {low:g} or more.")
NUMBER_OUTSIDE_RANGE = Message(VALUE_OUT_OF_RANGE, "{column} must be from {low:g} to {high:g}.")
CHOICE_NOT_IN_LIST = Message(CHOICE_NOT_ALLOWED, "Pick {column} from the list ({allowed}).")
COMPONENTS_NOT_IN_PLAN = Message(CHOICE_NOT_ALLOWED, "{column}: '{unknown}' is not a component of this plan. Pick {column} from the list ({allowed}).")
CHOICE_READ_LOOSELY = Message(CHOICE_SPELLING, "{column} was read as '{choice}'; pick it from the list so it is spelled exactly.")
CHOICES_READ_LOOSELY = Message(CHOICE_SPELLING, "{column} was read as '{choices}'; write the codes exactly, separated by commas.")
TEXT_LONGER_THAN_CELL = Message(TEXT_TOO_LONG, "{column} is longer than a cell can hold ({limit:,} characters); shorten it.")
INVISIBLE_CHARACTERS = Message(CONTROL_CHARACTERS, "{column} holds invisible control characters (often pasted from another program); retype the text.")
# Consistency
ACTIVITY_ENDS_BEFORE_START = Message(END_BEFORE_START, "The activity ends before it starts; correct Start or End.")
DATE_NOT_IN_PERIOD = Message(DATE_OUTSIDE_PERIOD, "{column} is outside the planning period; enter a date inside it (see the Instructions sheet).")
TARGET_DATE_NOT_IN_TERM = Message(TARGET_DATE_OUTSIDE_TERM, "The target date is outside the window of the benchmark's term (see the Instructions sheet); move the date or change the term.")
DEPENDENCY_NOT_IN_PLAN = Message(DEPENDENCY_UNKNOWN, "'{dependency}' is not an item of this plan; write item ids exactly as in the Item ID column.")
DEPENDENCY_NOT_AN_ID = Message(DEPENDENCY_UNKNOWN, "'{dependency}' is not an item id; write ids like 3.1-A2, separated by commas.")
DEPENDENCIES_IN_A_CIRCLE = Message(DEPENDENCY_CYCLE, "These activities depend on each other in a circle: {circle}. Remove one of the dependencies.")
STARTS_BEFORE_DEPENDENCY = Message(STARTS_BEFORE_DEPENDENCY_ENDS, "This activity starts before {dependency}, which it depends on, ends ({end}); start it later or remove the dependency.")
LEAD_LISTED_AS_SUPPORT = Message(LEAD_ALSO_SUPPORT, "The lead component is also listed as supporting; remove it from Supporting components.")
HIGH_RISK_NEEDS_MITIGATION = Message(HIGH_RISK_WITHOUT_MITIGATION, "This is a high risk (likelihood x impact of 15 or more): describe its mitigation.")
HRDDP_SAID_NOT_APPLICABLE = Message(HRDDP_NOT_STATED, "The activity appears to support national security forces, but HRDDP says 'not applicable'; state how the HRDDP applies.")
# Safety
FORMULA_IN_COLUMN = Message(FORMULA_IN_CELL, "{column} holds a formula; type the value itself (formulas are not accepted and were not evaluated).")
FORMULA_OUTSIDE_COLUMNS = Message(FORMULA_IN_CELL, "This cell holds a formula; planning sheets take values only. Delete it.")
TEXT_STARTS_LIKE_FORMULA = Message(TEXT_LOOKS_LIKE_FORMULA, "{column} starts with =, +, - or @, which a spreadsheet may run as a formula; start the text with a word.")
# Review
REVIEW_SHEET_MISSING = Message(MISSING_SHEET, "The review sheet '{sheet}' is missing or renamed; give it back its name from the workbook as sent ({sheet}).")
PLANNED_VALUES_CHANGED = Message(FRAMEWORK_TEXT_EDITED, "The planned values of {item_id} (grey cells) were changed; they are the plan as merged and are locked. Undo the change and say what differs in the note.")
NO_ACTUAL_END = Message(COMPLETED_WITHOUT_ACTUAL_END, "The activity is completed: give its actual end (yyyy-mm-dd).")
ACTUAL_DATE_NOT_PASSED = Message(ACTUAL_DATE_AFTER_PERIOD, "{column} is after {end}, the end of the period {period}; an actual date is a day that has passed. Give the real date, or leave it empty until it has happened.")
FULL_PERCENT_NOT_COMPLETED = Message(PERCENT_NOT_MATCHING_STATUS, "The activity is 100% complete but its status is '{status}'; set the status to completed, or give the share really done.")
COMPLETED_BELOW_FULL = Message(PERCENT_NOT_MATCHING_STATUS, "The activity is completed but only {percent}% complete; give 100, or another status.")
NO_REASON_FOR_DELAY = Message(DELAY_WITHOUT_REASON, "The activity is {status}: say why in {column}.")
ACHIEVED_WITHOUT_VALUE = Message(ACHIEVED_WITHOUT_EVIDENCE, "The benchmark is marked achieved: fill in {column}, so that the achievement can be verified.")
NO_NOTE_FOR_ASSESSMENT = Message(ASSESSMENT_WITHOUT_NOTE, "The benchmark is {assessment}: say why in the note, and what is being done about it.")
ITEM_OF_ANOTHER_REVIEW = Message(ITEM_NOT_IN_REVIEW, "Item {item_id} is not one this workbook asks you to report on (its items are listed as sent); report on it in the workbook of the component it belongs to, or clear the row.")

MESSAGES: tuple[Message[FindingType], ...] = (
    SHEET_RENAMED, NO_SHEET_FOR_OBJECTIVE, COLUMN_HEADER_CHANGED, FRAMEWORK_VALUE_CHANGED,
    FRAMEWORK_ROW_MISSING, ROW_UNDER_OUTPUT_NOT_IN_WORKBOOK, PREPARED_ROW_MOVED,
    FRAMEWORK_ITEM_MOVED, ITEM_ID_USED_TWICE, ITEM_ID_NOT_IN_TEMPLATE, CONTENT_WITHOUT_ITEM_ID,
    ID_GIVEN_TO_ADDED_ROW, ID_OF_ANOTHER_COMPONENT,
    VALUES_ON_CONTEXT_ROW, CHOOSE_ADDED_ITEM_TYPE, CHOOSE_INSERTED_ROW_TYPE,
    FILL_IN_REQUIRED_VALUE, NO_ACTIVITY_WITH_LEAD, NO_BENCHMARK_FOR_TERM, NO_GENDER_PERSPECTIVE,
    DATE_NOT_READ, DATE_READ_FROM_TEXT, DATE_READ_FROM_NUMBER, NUMBER_NOT_READ,
    NUMBER_READ_TWO_WAYS, NUMBER_NOT_FINITE, NUMBER_READ_FROM_TEXT, NUMBER_READ_WITH_DECIMAL_COMMA,
    WHOLE_NUMBER_NEEDED, NUMBER_BELOW_MINIMUM, NUMBER_OUTSIDE_RANGE, CHOICE_NOT_IN_LIST,
    COMPONENTS_NOT_IN_PLAN, CHOICE_READ_LOOSELY, CHOICES_READ_LOOSELY, TEXT_LONGER_THAN_CELL,
    INVISIBLE_CHARACTERS,
    ACTIVITY_ENDS_BEFORE_START, DATE_NOT_IN_PERIOD, TARGET_DATE_NOT_IN_TERM,
    DEPENDENCY_NOT_IN_PLAN, DEPENDENCY_NOT_AN_ID, DEPENDENCIES_IN_A_CIRCLE,
    STARTS_BEFORE_DEPENDENCY, LEAD_LISTED_AS_SUPPORT, HIGH_RISK_NEEDS_MITIGATION,
    HRDDP_SAID_NOT_APPLICABLE,
    FORMULA_IN_COLUMN, FORMULA_OUTSIDE_COLUMNS, TEXT_STARTS_LIKE_FORMULA,
    REVIEW_SHEET_MISSING, PLANNED_VALUES_CHANGED, NO_ACTUAL_END, ACTUAL_DATE_NOT_PASSED,
    FULL_PERCENT_NOT_COMPLETED, COMPLETED_BELOW_FULL, NO_REASON_FOR_DELAY, ACHIEVED_WITHOUT_VALUE,
    NO_NOTE_FOR_ASSESSMENT, ITEM_OF_ANOTHER_REVIEW,
)
# fmt: on


# --- Merge: conflict kinds and gap kinds, one message each ----------------------------------
# The kind's code is what the merged plan's Conflicts and Gaps sheets show in their Kind column.

# fmt: off
CONFLICT_DIFFERENT_VALUES = Message(ConflictKind("different-values", "Two components' copies of one item hold different values in a column."), "{column} of {item_id} differs: kept {kept}'s value; {other} has another. Settle it with both components.")
CONFLICT_LEAD_CLAIMED_TWICE = Message(ConflictKind("lead-claimed-twice", "Two components each name themselves the lead of one item."), "{kept} and {other} both claim the lead of {item_id}; agree on one lead.")
CONFLICT_MISSING_DEPENDENCY = Message(ConflictKind("missing-dependency", "An item depends on an item no submission contains."), "{item_id} depends on {dependency}, which no submission contains; ask its owner to add it or remove the dependency.")

CONFLICT_CHANGED_DIFFERENTLY = Message(ConflictKind("changed-differently", "Two components changed one issued value, each to another new value."), "{column} of {item_id} was issued as {issued}; {kept} changed it to {kept_value}, {other} to {other_value}. Kept {kept}'s change; settle it with both components.")

CONFLICT_MESSAGES: tuple[Message[ConflictKind], ...] = (
    CONFLICT_DIFFERENT_VALUES, CONFLICT_LEAD_CLAIMED_TWICE, CONFLICT_MISSING_DEPENDENCY,
    CONFLICT_CHANGED_DIFFERENTLY,
)

GAP_NO_ACTIVITY = Message(GapKind("no-activity", "An in-scope output has no activity with a lead."), "Output {output} has no planned activity (none has a lead).")
GAP_NO_BENCHMARK_IN_TERM = Message(GapKind("no-benchmark-in-term", "An in-scope output has no benchmark with an owner for one of the terms."), "Output {output} has no {term}-term benchmark with an owner.")
GAP_BENCHMARK_WITHOUT_OWNER = Message(GapKind("benchmark-without-owner", "A benchmark has no owner."), "Benchmark {item_id} has no owner.")
GAP_HIGH_RISK_WITHOUT_MITIGATION = Message(GapKind("high-risk-without-mitigation", "A high risk has no mitigation."), "High risk {item_id} (rating {rating}) has no mitigation.")
GAP_LEAD_SUBMITTED_NOTHING = Message(GapKind("lead-submitted-nothing", "The lead of an output submitted nothing for it."), "{lead}, lead of output {output}, submitted nothing for it.")
GAP_COMPONENT_DID_NOT_SUBMIT = Message(GapKind("component-did-not-submit", "A component taking part in the plan has not submitted its workbook."), "{component} ({name}) has not submitted its workbook.")
GAP_NEWEST_FILE_UNCLEAR = Message(GapKind("newest-file-unclear", "A component sent several files and which is the newest cannot be told, so none was merged."), "{component} sent several files ({files}) and which is the newest cannot be told: {why}. None of them was merged; keep only one file of {component} in the folder and merge again.")

GAP_MESSAGES: tuple[Message[GapKind], ...] = (
    GAP_NO_ACTIVITY, GAP_NO_BENCHMARK_IN_TERM, GAP_BENCHMARK_WITHOUT_OWNER,
    GAP_HIGH_RISK_WITHOUT_MITIGATION, GAP_LEAD_SUBMITTED_NOTHING, GAP_COMPONENT_DID_NOT_SUBMIT,
    GAP_NEWEST_FILE_UNCLEAR,
)
# fmt: on


def catalogue_text() -> str:
    """The catalogue for a terminal, grouped."""
    lines: list[str] = []
    group = ""
    for kind in _CATALOGUE:
        if kind.group != group:
            group = kind.group
            lines += ["", group.capitalize()]
        lines.append(f"  {kind.code:<34} {kind.severity:<8} {kind.title}")
    return "\n".join(lines).lstrip("\n")
