"""The catalogue holds every message: templates with named slots, filled at the call sites.

The call-site tests read the package's source with `ast`, so a rule that fills a slot the
template does not have (or forgets one) fails here, before any workbook reaches it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from missionplan.schema import findings
from missionplan.schema.findings import (
    CATALOGUE,
    CONFLICT_MESSAGES,
    GAP_MESSAGES,
    MESSAGES,
    SHEET_RENAMED,
    ConflictKind,
    FindingType,
    GapKind,
    Message,
    finding,
    template_slots,
)

PACKAGE = Path(findings.__file__).resolve().parents[1]
EVERY_MESSAGE: tuple[Message, ...] = (*MESSAGES, *CONFLICT_MESSAGES, *GAP_MESSAGES)
RULE_MODULES = (
    "validate/rows.py",
    "validate/rules.py",
    "validate/values.py",
    "validate/checks.py",
    "validate/items.py",
    "validate/review.py",
    "merge/rules.py",
    "merge/performance.py",
)
"""The modules that find things: they name findings, conflicts and gaps by constant only."""


def name_of(message: Message) -> str:
    return next(name for name, value in vars(findings).items() if value is message)


def fill_calls() -> list[tuple[str, int, str, ast.Call]]:
    """Every `<MESSAGE>.fill(...)` in the package: (file, line, message name, the call)."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == findings.__name__
            for alias in node.names
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "fill"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in imported
            ):
                where = str(path.relative_to(PACKAGE))
                calls.append((where, node.lineno, node.func.value.id, node))
    return calls


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize("message", EVERY_MESSAGE, ids=name_of)
def test_every_slot_is_named(message: Message) -> None:
    for slot in message.slots:
        assert slot.isidentifier(), f"{name_of(message)}: slot {{{slot}}} is not a plain name"


def test_template_slots_reads_names_and_positions() -> None:
    assert template_slots("{column} must be {low:g} or more.") == {"column", "low"}
    assert template_slots("Pick {} from {0}.") == {"", "0"}  # what the test above refuses
    assert template_slots("No slots.") == frozenset()


@pytest.mark.parametrize("message", EVERY_MESSAGE, ids=name_of)
def test_every_template_formats_with_its_slots(message: Message) -> None:
    filled = message.fill(**dict.fromkeys(message.slots, 7))  # numbers suit :g and :, too
    assert filled.kind is message.kind and filled.code == message.code
    assert "{" not in filled.text and "}" not in filled.text
    assert message.template.endswith((".", "}")), "a message is a sentence (or ends in one)"


def test_a_slot_missing_or_unknown_is_refused() -> None:
    with pytest.raises(TypeError, match="sheet"):
        SHEET_RENAMED.fill(objective="3")
    with pytest.raises(TypeError, match="item_id"):
        SHEET_RENAMED.fill(objective="3", sheet="Renamed", item_id="3.1-A1")
    assert SHEET_RENAMED.fill(objective="3", sheet="Renamed").text == (
        "The sheet of objective 3 was renamed to 'Renamed'; give it back its name from the "
        "template (it starts with '3 ')."
    )


def test_call_sites_fill_exactly_the_slots_of_their_template() -> None:
    wrong = []
    for where, line, name, call in fill_calls():
        message = getattr(findings, name)
        given = {k.arg for k in call.keywords}
        if call.args or None in given or given != message.slots:
            wrong.append(f"{where}:{line} {name} fills {sorted(map(str, given))}, "
                         f"its template has {sorted(message.slots)}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_every_message_is_filled_by_some_rule() -> None:
    filled = {name for _, _, name, _ in fill_calls()}
    unused = [name_of(m) for m in EVERY_MESSAGE if name_of(m) not in filled]
    assert not unused, f"messages no rule fills (or filled out of sight of this test): {unused}"


def test_no_two_messages_read_the_same() -> None:
    templates = [m.template for m in EVERY_MESSAGE]
    twice = sorted({t for t in templates if templates.count(t) > 1})
    assert not twice, twice


def test_the_message_lists_hold_every_message_declared_once() -> None:
    declared = [v for v in vars(findings).values() if isinstance(v, Message)]
    assert len(EVERY_MESSAGE) == len(set(EVERY_MESSAGE))
    assert set(declared) == set(EVERY_MESSAGE)


# --- finding types ---------------------------------------------------------------------------


@pytest.mark.parametrize("message", MESSAGES, ids=name_of)
def test_every_finding_message_points_at_a_catalogued_type(message: Message) -> None:
    assert isinstance(message.kind, FindingType)
    assert CATALOGUE[message.code] is message.kind
    assert message.kind.severity in ("error", "warning")


def test_every_catalogued_type_has_a_message() -> None:
    spoken = {m.kind for m in MESSAGES}
    silent = [code for code, kind in CATALOGUE.items() if kind not in spoken]
    assert not silent


def test_one_code_per_type_and_one_type_per_code() -> None:
    types = [v for v in vars(findings).values() if isinstance(v, FindingType)]
    assert len({t.code for t in types}) == len(types) == len(CATALOGUE)
    assert all(t.title.endswith(".") and t.group for t in types)


def test_a_finding_takes_code_severity_and_words_from_its_message() -> None:
    message = SHEET_RENAMED.fill(objective="2", sheet="Plan")
    found = finding(message, "Plan", "A1", column="Text", item_id="2.1", value="x" * 300)
    assert (found.code, found.severity, found.message) == ("missing-sheet", "error", message.text)
    assert (found.sheet, found.cell, found.column, found.item_id) == ("Plan", "A1", "Text", "2.1")
    assert len(found.value) <= 200


# --- merge: conflict and gap kinds -----------------------------------------------------------


def test_conflict_and_gap_kinds_are_all_catalogued() -> None:
    conflicts = [m.kind for m in CONFLICT_MESSAGES]
    gaps = [m.kind for m in GAP_MESSAGES]
    assert all(isinstance(k, ConflictKind) for k in conflicts)
    assert all(isinstance(k, GapKind) for k in gaps)
    assert [k.code for k in conflicts] == [
        "different-values",
        "lead-claimed-twice",
        "missing-dependency",
        "changed-differently",
    ]
    assert [k.code for k in gaps] == [
        "no-activity",
        "no-benchmark-in-term",
        "benchmark-without-owner",
        "high-risk-without-mitigation",
        "lead-submitted-nothing",
        "component-did-not-submit",
        "newest-file-unclear",
    ]
    assert all(k.title.endswith(".") for k in [*conflicts, *gaps])


@pytest.mark.parametrize("module", RULE_MODULES)
def test_rules_name_no_code_as_a_string(module: str) -> None:
    codes = set(CATALOGUE) | {m.code for m in (*CONFLICT_MESSAGES, *GAP_MESSAGES)}
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    literals = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    spelt = [f"line {line}: {text!r}" for line, text in literals if text in codes]
    assert not spelt, f"{module} spells codes out; use the constants of schema/findings.py"
