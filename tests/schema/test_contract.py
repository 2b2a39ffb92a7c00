"""The planning-sheet contract: limits Office puts on it, its consistency, `missionplan schema`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from missionplan.cli import app
from missionplan.errors import MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import starter_plan_text
from missionplan.schema.contract import (
    BY_HEADER,
    BY_KEY,
    COLUMNS,
    COMPONENTS,
    CONTRACT_VERSION,
    ID_COLUMN,
    ITEM_TYPE_COLUMN,
    ITEM_TYPES,
    TRANSLATED_CHOICES,
    Column,
    choice_key,
    choice_label,
    required_columns,
)
from missionplan.schema.language import LANGUAGES, Language, translate

OFFICE_INPUT_MESSAGE = 255  # characters of a data-validation input message
OFFICE_PROMPT_TITLE = 32  # characters of its title

# The columns the spec names, by key.
SPEC_KEYS = {
    "output id": "output_id",
    "item id": "item_id",
    "item type": "item_type",
    "text": "text",
    "lead": "lead",
    "supporting components": "support",
    "partners": "partners",
    "start": "start",
    "end": "end",
    "priority": "priority",
    "depends on": "depends_on",
    "term": "term",
    "indicator": "indicator",
    "baseline": "baseline",
    "target": "target",
    "target date": "target_date",
    "means of verification": "verification",
    "likelihood": "likelihood",
    "impact": "impact",
    "mitigation": "mitigation",
    "owner": "owner",
    "budget": "budget",
    "funding source": "funding",
    "gender perspective": "gender",
    "HRDDP": "hrddp",
    "status": "status",
    "comments": "comments",
}

# The JSON shape the README documents for `missionplan schema --format json`.
DOCUMENTED_TOP = {
    "schema_version",
    "version",
    "item_types",
    "item_type_column",
    "id_column",
    "output_column",
    "columns",
}
DOCUMENTED_COLUMN = {
    "key",
    "header",
    "type",
    "required_for",
    "applies_to",
    "choices",
    "choices_from",
    "minimum",
    "maximum",
    "editable",
    "editable_on_added_rows",
    "help",
}
COMPONENT_COLUMNS = [c.key for c in COLUMNS if c.choices == COMPONENTS]


def ids(column: Column) -> str:
    return column.key


# ---------------------------------------------------------------------------
# The contract itself.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("column", COLUMNS, ids=ids)
def test_help_fits_an_office_input_message(column: Column) -> None:
    assert column.help.strip()
    assert len(column.help) <= OFFICE_INPUT_MESSAGE, (column.key, len(column.help))


@pytest.mark.parametrize("column", COLUMNS, ids=ids)
def test_header_fits_a_prompt_title(column: Column) -> None:
    assert column.header.strip() == column.header != ""
    assert len(column.header) <= OFFICE_PROMPT_TITLE, column.header


def test_headers_are_unique_ignoring_case() -> None:
    folded = [c.header.casefold() for c in COLUMNS]
    assert len(set(folded)) == len(folded)
    for language in LANGUAGES:  # no header of one language is another column's in any
        for c in COLUMNS:
            assert BY_HEADER[translate(c.header, language).casefold()] is c


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translated_choice_has_its_own_label_in_each_language(language: Language) -> None:
    """Two choices of a column never share a label, so a French label maps to one key."""
    for c in COLUMNS:
        if c.key in TRANSLATED_CHOICES:
            labels = [choice_label(c, a, language).casefold() for a in c.allowed() or ()]
            assert len(set(labels)) == len(labels)
            for a in c.allowed() or ():
                assert choice_key(c, choice_label(c, a, language)) == a


def test_keys_are_unique() -> None:
    keys = [c.key for c in COLUMNS]
    assert len(set(keys)) == len(keys)
    assert list(BY_KEY) == keys


@pytest.mark.parametrize("column", COLUMNS, ids=ids)
def test_required_for_is_within_applies_to(column: Column) -> None:
    assert column.applies_to, column.key
    assert set(column.applies_to) <= set(ITEM_TYPES)
    assert set(column.required_for) <= set(column.applies_to), column.key


@pytest.mark.parametrize("column", COLUMNS, ids=ids)
def test_choice_columns_have_choices(column: Column) -> None:
    if column.type in ("choice", "choices"):
        assert column.choices, column.key
        if column.choices != COMPONENTS:
            assert isinstance(column.choices, tuple)
            assert len(set(column.choices)) == len(column.choices)
            assert all(isinstance(v, str) and v.strip() for v in column.choices)
    else:
        assert column.choices is None, column.key


@pytest.mark.parametrize("column", COLUMNS, ids=ids)
def test_numeric_columns_have_minimums(column: Column) -> None:
    if column.type in ("integer", "number"):
        assert column.minimum is not None, column.key
        if column.maximum is not None:
            assert column.minimum <= column.maximum
    if column.type == "integer":
        assert column.maximum is not None, column.key
    if column.type not in ("integer", "number"):
        assert column.minimum is None and column.maximum is None, column.key


def test_ratings_and_budget_ranges() -> None:
    for key in ("likelihood", "impact"):
        column = BY_KEY[key]
        assert (column.type, column.minimum, column.maximum) == ("integer", 1, 5)
    assert (BY_KEY["budget"].type, BY_KEY["budget"].minimum) == ("number", 0)


@pytest.mark.parametrize("name", list(SPEC_KEYS))
def test_the_spec_columns_exist(name: str) -> None:
    assert SPEC_KEYS[name] in BY_KEY, name


def test_identity_columns() -> None:
    for key in (ID_COLUMN, ITEM_TYPE_COLUMN, "output_id"):
        column = BY_KEY[key]
        assert set(column.required_for) == set(ITEM_TYPES)
    assert BY_KEY[ID_COLUMN].role == "key"
    assert BY_KEY[ITEM_TYPE_COLUMN].choices == ITEM_TYPES
    # key columns are never typed into; input columns always are
    for column in COLUMNS:
        if column.role == "key":
            assert not column.editable and not column.editable_on_added_rows, column.key
        if column.role == "input":
            assert column.editable and column.editable_on_added_rows, column.key
    # the first four columns stay in view (frozen at E2): output, id, type, description
    assert [c.key for c in COLUMNS[:4]] == ["output_id", "item_id", "item_type", "text"]


def test_every_item_type_has_required_inputs() -> None:
    for item_type in ITEM_TYPES:
        required = required_columns(item_type)
        assert any(c.role == "input" for c in required), item_type


def test_allowed_values_fill_in_the_plan_components() -> None:
    codes = ("PAD", "CAD")
    assert BY_KEY["lead"].allowed(codes) == codes
    assert BY_KEY["priority"].allowed(codes) == ("high", "medium", "low")
    assert BY_KEY["text"].allowed(codes) is None


# ---------------------------------------------------------------------------
# `missionplan schema`.
# ---------------------------------------------------------------------------


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


README = Path(__file__).resolve().parents[2] / "README.md"
README_TABLE_HEADER = "| header | key | type | applies to | required for | allowed values |"
ITEM_TYPE_NAMES = ["activity", "benchmark", "risk", "consideration"]  # as the README lists them
README_FRAMEWORK_CONTENT = {"item_type", "text", "term"}
README_ALWAYS_LOCKED = {"item_id", "output_id", "ref"}


def readme_contract_table() -> list[dict[str, str]]:
    """The contract table of README.md, one dict a column, cells stripped of backticks."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines.count(README_TABLE_HEADER) == 1, "the README's contract table is not found"
    start = lines.index(README_TABLE_HEADER)
    names = [n.strip() for n in README_TABLE_HEADER.strip("|").split("|")]
    assert re.fullmatch(r"\|(---\|){6}", lines[start + 1]), lines[start + 1]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        assert len(cells) == len(names), line
        rows.append(dict(zip(names, cells, strict=True)))
    return rows


def readme_types(cell: str) -> list[str]:
    """'all', '-' or a comma-separated list of item types, as the README writes them."""
    if cell == "all":
        return ITEM_TYPE_NAMES
    if cell == "-":
        return []
    found = [name.strip() for name in cell.split(",")]
    assert set(found) <= set(ITEM_TYPE_NAMES), cell
    return found


def test_schema_json_matches_the_readme_contract_table() -> None:
    """`missionplan schema --format json` says what the README's table documents."""
    documented = readme_contract_table()
    assert len(documented) == 29
    data = json.loads(invoke("schema", "--format", "json"))
    assert set(data) == DOCUMENTED_TOP
    assert data["item_types"] == ITEM_TYPE_NAMES
    assert (data["item_type_column"], data["id_column"]) == ("item_type", "item_id")
    assert data["output_column"] == "output_id"
    assert len(data["columns"]) == len(documented)
    for entry, row in zip(data["columns"], documented, strict=True):
        key = row["key"]
        assert set(entry) == DOCUMENTED_COLUMN, key
        assert entry["key"] == key
        assert entry["header"] == row["header"], key
        assert entry["type"] == row["type"], key
        assert entry["applies_to"] == readme_types(row["applies to"]), key
        assert entry["required_for"] == readme_types(row["required for"]), key
        allowed = row["allowed values"]
        if allowed == "plan components":  # the plan's codes: none without --plan
            assert entry["choices"] is None, key
            assert entry["choices_from"] == "plan components", key
        elif allowed:
            assert entry["choices"] == [v.strip() for v in allowed.split(",")], key
        else:
            assert entry["choices"] is None, key
            assert entry["type"] not in ("choice", "choices"), key
        assert isinstance(entry["help"], str) and entry["help"].strip(), key
        # "framework content (type, description, term) is locked on framework rows and
        # filled in on rows a component adds; ids, outputs and sources are always locked"
        if key in README_FRAMEWORK_CONTENT:
            editable = (False, True)
        elif key in README_ALWAYS_LOCKED:
            editable = (False, False)
        else:
            editable = (True, True)
        assert (entry["editable"], entry["editable_on_added_rows"]) == editable, key


def test_schema_json_lists_the_plan_components(tmp_path: Path) -> None:
    framework = load_framework()
    text = starter_plan_text(framework, dt.date(2027, 1, 1)).replace(
        "components:\n",
        "components:\n  - {code: NEWCO, name: 'A new office', kind: support, focal_point: ''}\n",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    data = json.loads(invoke("schema", "--plan", str(plan), "--format", "json"))
    codes = ["NEWCO", *(c.code for c in framework.components)]
    by_key = {c["key"]: c for c in data["columns"]}
    assert COMPONENT_COLUMNS == ["lead", "support", "owner"]
    for key in COMPONENT_COLUMNS:
        assert by_key[key]["choices"] == codes, key
    assert by_key["priority"]["choices"] == ["high", "medium", "low"]
    assert by_key["text"]["choices"] is None


def test_schema_with_a_broken_plan_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("plan: {}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "--plan", str(plan), "--format", "json"])
    assert result.exit_code != 0
    # the app raises the error (main() prints it and exits 2), or exits 2 itself
    if isinstance(result.exception, MissionplanError):
        code, message = result.exception.exit_code, str(result.exception)
    else:
        code, message = result.exit_code, result.stderr
    assert code == 2
    assert f"{plan}:" in message and "problem" in message
    assert result.stdout == ""


def test_schema_text_lists_every_header_and_key() -> None:
    out = invoke("schema")
    assert f"version {CONTRACT_VERSION}" in out
    lines = out.splitlines()
    for column in COLUMNS:
        assert any(
            line.startswith(column.header) and f" {column.key} " in line for line in lines
        ), column.header
    for choice in ("assessed budget", "applies: assessment pending", "cancelled"):
        assert choice in out
