"""The JSON Schemas in docs/schemas/: the models' own, and what an editor checks files with."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from missionplan.planning.framework import Framework
from missionplan.planning.plan import starter_plan_text
from missionplan.planning.schemas import SCHEMAS, main, schema_text
from tests.needs import require
from tests.plans import set_output

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "docs" / "schemas"
TEMPLATES = resources.files("missionplan.templates")
README = (REPO / "README.md").read_text(encoding="utf-8")


def as_json(text: str) -> Any:
    """A YAML file as an editor's YAML 1.2 reading gives it to the schema: dates are text."""
    return json.loads(json.dumps(yaml.safe_load(text), default=dt.date.isoformat))


def validator(name: str) -> Any:
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    require("jsonschema", jsonschema is not None, "pip install -e '.[dev]' (the dev extra)")
    assert jsonschema is not None
    schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_the_committed_schema_is_the_models(name: str) -> None:
    committed = (FOLDER / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMAS[name]), (
        f"docs/schemas/{name} differs from the models in missionplan/planning/formats.py: "
        "run `make schemas` and commit the result"
    )


def test_the_writer_writes_every_schema(tmp_path: Path) -> None:
    assert main([str(tmp_path / "out")]) == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(SCHEMAS)
    for name in written:
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == schema_text(SCHEMAS[name])
    assert main([]) == 2


def test_make_schemas_runs_the_writer() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^schemas: .*\n\t(.+)$", makefile, re.M)
    assert target, "no `schemas` target in the Makefile"
    assert target.group(1).endswith("-m missionplan.planning.schemas docs/schemas")


def _fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (model.key, property schema) of a schema, its definitions included."""
    models = {"(file)": schema, **schema.get("$defs", {})}
    return [
        (f"{model}.{key}", prop)
        for model, body in models.items()
        for key, prop in body.get("properties", {}).items()
    ]


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_key_has_help_and_no_other_key_is_allowed(name: str) -> None:
    schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    assert schema["title"].startswith("missionplan ")
    undocumented = [key for key, prop in _fields(schema) if len(prop.get("description", "")) < 10]
    assert not undocumented
    models = [schema, *schema["$defs"].values()]
    assert all(m["additionalProperties"] is False and m.get("description") for m in models)


def test_the_starter_plan_validates(framework: Framework) -> None:
    plan = validator("plan.schema.json")
    starter = starter_plan_text(framework, dt.date(2027, 1, 1))
    assert list(plan.iter_errors(as_json(starter))) == []
    # and the editor flags what loading refuses: a misspelt key, a priority, a bad output id
    broken = set_output(starter, "3.1", priority="urgent").replace(
        "    in_scope:", "    in_scpe:", 1
    )
    broken = broken.replace("  - id: '3.2'", "  - id: '3-2'")
    flagged = {(tuple(e.absolute_path), e.validator) for e in plan.iter_errors(as_json(broken))}
    assert flagged == {
        (("outputs", 0), "additionalProperties"),
        (("outputs", 0, "priority"), "enum"),
        (("outputs", 1, "id"), "pattern"),
    }


def test_the_builtin_framework_and_roster_validate() -> None:
    framework = validator("framework.schema.json")
    text = TEMPLATES.joinpath("considerations.yaml").read_text(encoding="utf-8")
    assert list(framework.iter_errors(as_json(text))) == []
    roster = validator("roster.schema.json")
    text = TEMPLATES.joinpath("components.yaml").read_text(encoding="utf-8")
    assert list(roster.iter_errors(as_json(text))) == []
    bad = {"components": [{"code": "pad", "kind": "army"}]}
    assert sorted(e.validator for e in roster.iter_errors(bad)) == ["enum", "pattern", "required"]


def test_the_readme_says_how_to_point_an_editor_at_the_schemas() -> None:
    section = README[README.index("### Editor support") :]
    section = section[: section.index("\n## ")]
    for name in ("plan.schema.json", "framework.schema.json"):
        assert f"docs/schemas/{name}" in section
    assert "yaml-language-server: $schema=" in section
    assert '"yaml.schemas"' in section
    assert "make schemas" in section
