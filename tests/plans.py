"""Editing the starter plan's text the way a planner edits plan.yaml, for tests."""

from __future__ import annotations


def set_output(text: str, output_id: str, **fields: str) -> str:
    """Replace fields of one output entry in the starter text (same number of lines)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  - id: '{output_id}'"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    for key, value in fields.items():
        index = next(i for i in range(start + 1, end) if lines[i].startswith(f"    {key}:"))
        lines[index] = f"    {key}: {value}"
    return "\n".join(lines) + "\n"
