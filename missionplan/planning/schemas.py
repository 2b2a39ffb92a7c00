"""JSON Schemas of the plan, framework and roster files, generated from their models.

They are committed in docs/schemas/ so that an editor (VS Code's YAML extension, or any
client of yaml-language-server) checks a file while it is typed and shows each key's
help. `make schemas` rewrites them from the models in formats.py:

    python -m missionplan.planning.schemas docs/schemas

and tests/planning/test_schemas.py fails when the committed files differ from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from missionplan.planning.filecheck import Entry
from missionplan.planning.formats import FrameworkFile, PlanFile, RosterFile

SCHEMAS: dict[str, type[Entry]] = {
    "plan.schema.json": PlanFile,
    "framework.schema.json": FrameworkFile,
    "roster.schema.json": RosterFile,
}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model: type[Entry]) -> dict[str, Any]:
    """The model's JSON Schema (draft 2020-12), as an editor reads it."""
    return {"$schema": DIALECT, **model.model_json_schema()}


def schema_text(model: type[Entry]) -> str:
    """The schema as committed: indented, keys in the models' order, one newline at the end."""
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into folder; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print("usage: python -m missionplan.planning.schemas FOLDER", file=sys.stderr)
        return 2
    for path in write_schemas(Path(arguments[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
