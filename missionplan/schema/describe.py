"""The contract as a readable table for a terminal (`missionplan schema`)."""

from __future__ import annotations

import textwrap
from typing import Any


def contract_table(data: dict[str, Any]) -> str:
    """One block per column: header, key, type, where it applies, allowed values, help."""
    lines = [
        f"Planning-sheet contract, version {data['version']}",
        f"Item types: {', '.join(data['item_types'])}",
        "",
        f"{'header':<22} {'key':<13} {'type':<8} {'editable':<9} required for",
        "-" * 88,
    ]
    for column in data["columns"]:
        required = ", ".join(column["required_for"]) or "-"
        editable = (
            "yes" if column["editable"] else ("added" if column["editable_on_added_rows"] else "no")
        )
        name = f"{column['header']:<22} {column['key']:<13} {column['type']:<8}"
        lines.append(f"{name} {editable:<9} {required}")
        if column["choices"] is not None:
            lines += textwrap.wrap(
                "choices: " + ", ".join(column["choices"]),
                86,
                initial_indent="    ",
                subsequent_indent="      ",
            )
        elif column["choices_from"]:
            lines.append(f"    choices: the {column['choices_from']} (give --plan to list them)")
        lines += textwrap.wrap(column["help"], 86, initial_indent="    ", subsequent_indent="    ")
    lines += ["", "editable: yes = an input; added = on rows a component adds; no = locked."]
    return "\n".join(lines)
