"""Reminders: one ready-to-send text per component still missing or invalid.

The board of a planning round asks for the planning workbook; the board of a review period
asks for that quarter's review workbook (its own file name, so neither overwrites the other).
"""

from __future__ import annotations

from missionplan.collect.board import OVERDUE, Board, BoardRow
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.schema.findings import Finding
from missionplan.schema.text import counted
from missionplan.validate.report import group_findings

MAX_LISTED = 40
"""Errors listed in one reminder; the rest are counted (the annotated copy shows them all)."""


def reminder_name(row: BoardRow, board: Board) -> str:
    if board.period:
        return f"reminder-{row.code}-review-{board.period}.txt"
    return f"reminder-{row.code}.txt"


def reminder_text(
    row: BoardRow, board: Board, plan: Plan, framework: Framework, findings: list[dict[str, str]]
) -> str:
    """What to send to one component: what is expected, by when, what to fix, where to send."""
    greeting = row.focal_point or f"colleagues of {row.name}"
    current = row.current
    workbook = f"review workbook for {board.period}" if board.period else "planning workbook"
    exchange = board.period if board.period else f"round {board.round}"
    if current is None:
        subject = f"your {workbook} has not arrived yet"
        opening = f"We have not yet received the {workbook} of {row.name} ({row.code}) " + (
            f"of the {plan.mission} plan (plan {plan.id})."
            if board.period
            else f"for round {board.round} of the {plan.mission} plan (plan {plan.id})."
        )
    else:
        subject = f"your {workbook} needs corrections"
        opening = (
            f"Thank you for the workbook received on {current.received_at[:10]} "
            f"({current.file_name}). Before it can go into the "
            f"{'performance report' if board.period else 'mission plan'}, "
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
        f"Subject: {plan.mission}, {exchange}: {subject}",
        "",
        f"Dear {greeting},",
        "",
        opening,
        when,
        "",
        "What is expected:",
        *_expected(row, board, plan, framework),
    ]
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


def _expected(row: BoardRow, board: Board, plan: Plan, framework: Framework) -> list[str]:
    """What the component is asked for: its part of the plan, or of the quarter's review."""
    if board.period:
        return [f"  - how the activities you lead, and the benchmarks and risks you own, stood "
                f"at the end of {board.period}, on the review workbook's sheets"]  # fmt: skip
    lines = [f"  - lead of {setting.id} {_title(framework, setting.id)}: fill in its "
             "activities, benchmarks, risks and considerations"
             for setting in plan.led_by(row.code)]  # fmt: skip
    lines += [f"  - support to {setting.id} {_title(framework, setting.id)}: add your "
              "contributing items on the prepared rows"
              for setting in plan.supported_by(row.code)]  # fmt: skip
    return lines


def _title(framework: Framework, output_id: str) -> str:
    output = framework.output(output_id)
    return output.title if output else ""
