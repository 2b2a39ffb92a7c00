"""Every JSON document a command prints is described by its published schema (docs/schemas/).

The commands run for real, on the validation kit's workbooks, so a field added to an
output without its schema, or a schema that drifts from the output, fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.cli_helpers import run_main
from tests.reviews import ReviewKit
from tests.validate.kit import Kit

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"
COMMAND_SCHEMAS = (
    "catalog",
    "schema",
    "init",
    "export",
    "validate",
    "collect",
    "status",
    "history",
    "merge",
    "diff",
    "performance",
    "upgrade",
)


def _checked(name: str, args: list[str], expected_code: int = 0) -> dict[str, Any]:
    code, stdout, stderr = run_main(*args, "--format", "json")
    assert code == expected_code, stderr
    document = json.loads(stdout)
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["schema_version"] == 1
    return document


def test_every_command_schema_is_published() -> None:
    published = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert set(COMMAND_SCHEMAS) <= published


def test_catalog_documents(tmp_path: Path) -> None:
    whole = _checked("catalog", ["catalog"])
    assert whole["totals"]["outputs"] == 25
    one = _checked("catalog", ["catalog", "4.2"])
    assert one["id"] == "4.2"


def test_schema_document(k: Kit) -> None:
    _checked("schema", ["schema", "--plan", str(k.plan_file)])


def test_init_export_validate_merge_documents(k: Kit, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    made = _checked("init", ["init", str(plan)])
    assert made["path"] == str(plan) and plan.is_file()
    exported = _checked("export", ["export", str(k.plan_file), "-o", str(tmp_path / "wb")])
    assert [w["component"] for w in exported["workbooks"]]
    assert all(Path(w["path"]).is_file() for w in exported["workbooks"])
    checked = _checked("validate", ["validate", str(k.full), str(tmp_path / "missing.xlsx")], 2)
    assert [f["valid"] for f in checked["files"]] == [True, False]
    assert "unreadable" in checked["files"][1]
    merged = _checked(
        "merge",
        ["merge", str(k.full), "-p", str(k.plan_file), "-o", str(tmp_path / "m.xlsx")],
    )
    assert merged["inputs"] == [{"file": str(k.full), "state": "merged", "detail": "merged"}]


def test_a_refused_input_is_in_the_merge_document(k: Kit, tmp_path: Path) -> None:
    stray = tmp_path / "stray.xlsx"
    stray.write_text("not a workbook", encoding="utf-8")
    merged = _checked(
        "merge",
        ["merge", str(k.full), str(stray), "-p", str(k.plan_file), "-o", str(tmp_path / "m.xlsx")],
        expected_code=1,
    )
    refused = [i for i in merged["inputs"] if i["state"] == "refused"]
    assert [i["file"] for i in refused] == [str(stray)]
    assert refused[0]["detail"].startswith("refused: not an Excel workbook")


@pytest.mark.parametrize("name", COMMAND_SCHEMAS)
def test_schemas_forbid_unknown_top_level_keys(name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    bodies = [schema] if "oneOf" not in schema else list(schema["$defs"].values())[-2:]
    for body in bodies:
        assert body["additionalProperties"] is False
        assert "schema_version" in body["required"]


def test_register_documents(k: Kit, tmp_path: Path) -> None:
    """collect, status, history and a merge from the register, on the kit's plan and workbooks."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(k.plan_file.read_text(encoding="utf-8"), encoding="utf-8")
    stray = tmp_path / "stray.xlsx"
    stray.write_text("not a workbook", encoding="utf-8")
    draft = tmp_path / "draft.xlsx"
    draft.write_bytes(k.template.read_bytes())
    collected = _checked("collect", ["collect", str(draft), str(stray), "-p", str(plan)], 2)
    assert [f["state"] for f in collected["files"]] == ["invalid", "refused"]
    again = _checked("collect", ["collect", str(k.full), str(draft), "-p", str(plan)])
    assert [f["outcome"] for f in again["files"]] == ["collected", "already collected"]
    assert again["files"][0]["supersedes"] == 1
    board = _checked("status", ["status", "-p", str(plan), "--reminders", str(tmp_path / "r")])
    assert board["totals"]["valid"] == 1 and board["reminders"]
    versions = _checked("history", ["history", "UNPOL", "-p", str(plan)])
    assert [v["current"] for v in versions["versions"]] == [False, True]
    out = tmp_path / "v1.xlsx"
    extracted = _checked(
        "history", ["history", "UNPOL", "-p", str(plan), "--extract", "1", "-o", str(out)]
    )
    assert extracted["extracted"] == str(out) and out.read_bytes() == draft.read_bytes()
    merged = _checked("merge", ["merge", "-p", str(plan), "-o", str(tmp_path / "m.xlsx")])
    assert merged["inputs"] == [
        {"file": "full.xlsx", "state": "merged", "detail": "merged", "entry": 3}
    ]


def test_diff_documents(k: Kit) -> None:
    none = _checked("diff", ["diff", str(k.full), str(k.full)])
    assert none["changes"] == [] and none["old"] == str(k.full)
    some = _checked("diff", ["diff", str(k.template), str(k.full)], expected_code=1)
    assert some["totals"]["changed"] > 0
    assert {c["change"] for c in some["changes"]} == {"changed"}


def test_review_documents(rk: ReviewKit, tmp_path: Path) -> None:
    """export --review and the performance report a merge of review workbooks prints."""
    from tests.reviews import good_answers

    exported = _checked("export", ["export", str(rk.kit.plan_file), "--from", str(rk.merged),
                                   "--review", "2027-Q2", "-o", str(tmp_path / "r")])  # fmt: skip
    assert [w["component"] for w in exported["workbooks"]] == ["UNPOL"]
    answered = rk.answer(good_answers(rk), tmp_path / "UNPOL-review.xlsx")
    out = tmp_path / "performance-2027-Q2.xlsx"
    report = _checked(
        "performance", ["merge", str(answered), "-p", str(rk.kit.plan_file), "-o", str(out)]
    )
    assert report["period"] == "2027-Q2" and report["outputs"]
    assert report["inputs"] == [{"file": str(answered), "state": "merged", "detail": "merged"}]
