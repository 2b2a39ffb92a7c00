"""Who a review round expects: the components given a review workbook for a period.

Export gives a review workbook to each component that leads an activity or owns a benchmark
or a risk in the merged plan (`export.review.review_books` decides); the status board and
the performance report expect exactly those, read from the same merged plan: the one given
as --from, else the last planning merge of the plan recorded in the register whose file is
still there as it was written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from missionplan.errors import MissionplanError
from missionplan.planning.plan import Plan
from missionplan.register.database import plan_register
from missionplan.register.entries import MergeRecord, all_merges
from missionplan.schema.review import PERIOD_HELP, PLANNING_KIND, Period, parse_period


def review_period(text: str) -> Period:
    """The --period value as a quarter, or a one-line error saying how to write one."""
    period = parse_period(text)
    if period is None:
        raise MissionplanError(f"--period {text!r} is not a period; give {PERIOD_HELP}")
    return period


def review_recipients(plan: Plan, merged_file: Path, period: Period) -> tuple[str, ...]:
    """The codes of the components given a review workbook from this merged plan (roster order)."""
    from missionplan.export.review import read_merged_plan, review_books
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    merged = read_merged_plan(merged_file, plan)
    return tuple(book.code for book in review_books(plan, submitted_items(merged), period))


def merged_plan_file(given: str | None, merges: Iterable[MergeRecord], plan: Plan) -> Path:
    """The --from file; else (or `register`) the last planning merge of the plan recorded,
    its file checked against the SHA-256 recorded (as `export --from register` does)."""
    from missionplan.export.run import REGISTER_WORD

    if given is not None and given != REGISTER_WORD:
        return Path(given)
    mine = [m for m in merges if m.kind == PLANNING_KIND and m.plan_id == plan.id]
    if not mine:
        raise MissionplanError(
            f"which components were given a review workbook? give --from MISSION-PLAN.xlsx, "
            f"the merged plan the review workbooks were exported from (the register records "
            f"no merge of plan {plan.id})"
        )
    last = max(mine, key=lambda m: m.number)
    path = Path(last.out)
    try:
        unchanged = hashlib.sha256(path.read_bytes()).hexdigest() == last.out_sha256
    except OSError:
        raise MissionplanError(
            f"merge #{last.number} wrote {path}, which cannot be read any more; give the "
            "merged plan the review workbooks were exported from with --from FILE"
        ) from None
    if not unchanged:
        raise MissionplanError(
            f"{path} has changed since merge #{last.number} wrote it (its SHA-256 differs from "
            "the one recorded); give the merged plan with --from FILE"
        )
    return path


def registered_merged_plan(
    given: str | None, plan: Plan, plan_file: Path, db: str | None, environ: Mapping[str, str]
) -> Path:
    """merged_plan_file, opening the plan's register only when it is needed."""
    from missionplan.export.run import REGISTER_WORD

    if given is not None and given != REGISTER_WORD:
        return Path(given)
    register = plan_register(plan_file, db, environ)
    try:
        return merged_plan_file(given, all_merges(register), plan)
    finally:
        if register is not None:
            register.close()
