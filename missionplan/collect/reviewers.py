"""Who a review round expects: the components given a review workbook for a period.

Export gives a review workbook to each component that leads an activity or owns a benchmark
or a risk in the merged plan (`export.review.review_books` decides); the status board and
the performance report expect exactly those, read from the same merged plan: the one given
as --from, else the last planning merge of the plan recorded in the register whose file is
still there as it was written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from missionplan.errors import MissionplanError
from missionplan.planning.plan import Plan
from missionplan.register.entries import MergeRecord
from missionplan.schema.review import PERIOD_HELP, PLANNING_KIND, REVIEW_KIND, Period, parse_period


def review_period(text: str) -> Period:
    """The --period value as a quarter, or a one-line error saying how to write one."""
    period = parse_period(text)
    if period is None:
        raise MissionplanError(f"--period {text!r} is not a period; give {PERIOD_HELP}")
    return period


def review_recipients(plan: Plan, merged_file: Path, period: Period) -> tuple[str, ...]:
    """The codes of the components given a review workbook from this merged plan (roster order)."""
    from missionplan.export.review import review_books
    from missionplan.validate.items import submitted_items  # pandas: only when needed
    from missionplan.workbook.reader import read_submission

    merged = read_submission(merged_file)
    if merged.meta.kind == REVIEW_KIND:
        raise MissionplanError(
            f"{merged_file} is a review workbook; --from takes the merged mission plan"
        )
    if merged.meta.plan_id != plan.id:
        raise MissionplanError(
            f"{merged_file} belongs to plan {merged.meta.plan_id}, not to plan {plan.id}; "
            "give the mission plan merged for this plan"
        )
    return tuple(book.code for book in review_books(plan, submitted_items(merged), period))


def merged_plan_file(given: Path | None, merges: Iterable[MergeRecord], plan: Plan) -> Path:
    """--from, else the newest planning merge of the plan recorded whose file is unchanged."""
    if given is not None:
        return given
    for record in sorted(merges, key=lambda m: m.number, reverse=True):
        if record.kind != PLANNING_KIND or record.plan_id != plan.id:
            continue
        path = Path(record.out)
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() == record.out_sha256:
                return path
        except OSError:
            continue
    raise MissionplanError(
        f"which components were given a review workbook? give --from MISSION-PLAN.xlsx, the "
        f"merged plan of plan {plan.id} the review workbooks were exported from (the register "
        "records no merge of it whose file is still as written)"
    )
