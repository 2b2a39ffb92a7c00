"""Reminders: one ready-to-send text per component still missing or invalid."""

from __future__ import annotations

from missionplan.collect.board import OVERDUE, Board, BoardRow
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.schema.findings import Finding
from missionplan.schema.text import counted
from missionplan.validate.report import group_findings

MAX_LISTED = 40
"""Errors listed in one reminder; the rest are counted (the annotated copy shows them all)."""


def reminder_name(row: BoardRow) -> str:
    return f"reminder-{row.code}.txt"


def reminder_text(
    row: BoardRow, board: Board, plan: Plan, framework: Framework, findings: list[dict[str, str]]
) -> str:
    """What to send to one component: what is expected, by when, what to fix, where to send."""
    greeting = row.focal_point or f"colleagues of {row.name}"
    current = row.current
    if current is None:
        subject = "your planning workbook has not arrived yet"
        opening = (
            f"We have not yet received the planning workbook of {row.name} ({row.code}) "
            f"for round {board.round} of the {plan.mission} plan (plan {plan.id})."
        )
    else:
        subject = "your planning workbook needs corrections"
        opening = (
            f"Thank you for the workbook received on {current.received_at[:10]} "
            f"({current.file_name}). Before it can go into the mission plan, "
            f"{counted(current.errors, 'error')} must be corrected."
        )
    if row.due is None:
        when = "Please send it as soon as you can."
    elif row.timeliness == OVERDUE:
        when = f"It was due on {row.due}; please send it as soon as you can."
    else:
        when = f"Please send it by {row.due}."
    lines = [
        f"To: {row.focal_point + ', ' if row.focal_point else ''}{row.name} ({row.code})",
        f"Subject: {plan.mission}, round {board.round}: {subject}",
        "",
        f"Dear {greeting},",
        "",
        opening,
        when,
        "",
        "What is expected:",
    ]
    for setting in plan.led_by(row.code):
        lines.append(f"  - lead of {setting.id} {_title(framework, setting.id)}: fill in its "
                     "activities, benchmarks, risks and considerations")  # fmt: skip
    for setting in plan.supported_by(row.code):
        lines.append(f"  - support to {setting.id} {_title(framework, setting.id)}: add your "
                     "contributing items on the prepared rows")  # fmt: skip
    errors = [f for f in findings if f.get("severity") == "error"]
    if errors:
        lines += ["", "Errors to fix (sheet, cell, column, item):"]
        groups = group_findings(tuple(Finding(**f) for f in errors))  # type: ignore[arg-type]
        for group in groups[:MAX_LISTED]:
            f = group.first
            place = " ".join(p for p in (f"'{f.sheet}'" if f.sheet else "", group.cells) if p)
            column = f" [{f.column}]" if f.column else ""
            item = f" {group.items}" if group.items else ""
            lines.append(f"  - {place or 'workbook'}{column}{item}: {f.message}")
        if len(groups) > MAX_LISTED:
            lines.append(f"  ... and {len(groups) - MAX_LISTED} more; see the annotated copy.")
    lines += [
        "",
        "Please work in the workbook you received (do not copy its sheets into a new file)",
        "and send the whole .xlsx file back.",
        f"Where to send it: {plan.submit_to or 'the planning unit'}",
        "",
        "With thanks,",
        "The planning unit",
    ]
    return "\n".join(lines) + "\n"


def _title(framework: Framework, output_id: str) -> str:
    output = framework.output(output_id)
    return output.title if output else ""
