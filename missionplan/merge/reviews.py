"""Merge a review round: validate each review workbook, build the performance report, write it.

The file edge of the review's merge; the rules are in performance.py. Inputs are refused
with a reason, as in a planning merge: unreadable, not a review workbook, another plan or
a second workbook of one component for one period, errors unless --include-invalid.
Reviews of several periods may be merged at once: the latest is the period reported on,
the earlier ones give the trend.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.merge.performance import Performance, performance, trend
from missionplan.merge.run import Fate
from missionplan.planning.framework import load_framework, title_of
from missionplan.planning.plan import Plan, load_plan, read_light_rule
from missionplan.schema.language import translate
from missionplan.schema.review import REVIEW_KIND, LightRule, Period, ReviewedItem, parse_period
from missionplan.schema.text import counted
from missionplan.validate.review import check_review
from missionplan.validate.run import plan_mismatch
from missionplan.workbook.files import ensure_writable, workbooks_in
from missionplan.workbook.review import ReviewSubmission, read_review
from missionplan.workbook.safety import UnreadableWorkbook


@dataclass(frozen=True)
class ReviewMerge:
    """What became of each input, and the performance report built from the merged ones."""

    report: Performance
    fates: tuple[Fate, ...]
    mission: str = ""
    plan_id: str = ""

    @property
    def left_out(self) -> tuple[Fate, ...]:
        return tuple(f for f in self.fates if f.state != "merged")

    def as_data(self, out: Path) -> dict[str, Any]:
        inputs = [{"file": f.file, "state": f.state, "detail": f.what} for f in self.fates]
        return {"out": str(out), **self.report.as_data(), "inputs": inputs}

    def text(self, out: Path) -> str:
        lines = [f"{f.file}: {f.what}" for f in self.fates]
        lights = Counter(o.light for o in self.report.outputs)
        shown = ", ".join(f"{lights[k]} {k}" for k in ("green", "amber", "red", "grey"))
        merged = len(self.fates) - len(self.left_out)
        lines.append(
            f"performance report {self.report.period}: {counted(merged, 'review workbook')} "
            f"merged into {out}; outputs: {shown}"
        )
        return "\n".join(lines)


def merge_reviews(
    paths: list[Path],
    out: Path,
    plan_file: Path | None = None,
    framework_file: Path | None = None,
    include_invalid: bool = False,
    force: bool = False,
    merged_file: str | Path | None = None,
    db: str | None = None,
) -> ReviewMerge:
    """`missionplan merge` of review workbooks as one call (merged_file: see read_reviews)."""
    from missionplan.merge.performance_writer import write_performance

    ensure_writable(out, force)
    merged = read_reviews(paths, plan_file, framework_file, include_invalid, merged_file, db)
    write_performance(out, merged.report, merged.mission, merged.plan_id, merged.fates)
    return merged


def read_reviews(
    paths: list[Path],
    plan_file: Path | None = None,
    framework_file: Path | None = None,
    include_invalid: bool = False,
    merged_file: str | Path | None = None,
    db: str | None = None,
) -> ReviewMerge:
    """The performance report of review workbooks, in memory (merge writes it; report shows it).

    merged_file: the merged plan the review workbooks were exported from, or `register`
    (the last merge the plan's register, db, recorded); those it gives a review workbook are
    the ones expected to report. Without it, every component taking part in the plan is
    (with a plan; none without).
    """
    if merged_file is not None and plan_file is None:
        raise MissionplanError("--from needs --plan PLAN.yaml, the plan it was merged for")
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework) if plan_file is not None else None
    rule = read_light_rule(plan_file) if plan_file is not None else LightRule()
    reviews: list[tuple[Path, ReviewSubmission]] = []
    fates: dict[Path, Fate] = {}
    for path in workbooks_in(paths):
        try:
            review = read_review(path)
        except UnreadableWorkbook as error:
            fates[path] = Fate(str(path), "refused", f"refused: {error.reason}")
            continue
        reason = _not_a_review(review) or plan_mismatch(review.meta, plan)
        if reason:
            fates[path] = Fate(str(path), "refused", f"refused: {reason}")
        else:
            reviews.append((path, review))
    if not reviews:
        raise MissionplanError(_nothing_merged(fates))
    items: dict[Period, list[ReviewedItem]] = {}
    seen: dict[tuple[str, str], Path] = {}
    for path, review in reviews:
        meta = review.meta
        period = parse_period(meta.period)
        assert period is not None  # _not_a_review refused any other
        if (meta.component, meta.period) in seen:
            first = seen[(meta.component, meta.period)].name
            why = (f"refused: {first} is {meta.component}'s review of {meta.period} already; "
                   "keep one file per component and period")  # fmt: skip
            fates[path] = Fate(str(path), "refused", why)
            continue
        report, reviewed = check_review(review)
        if report.errors and not include_invalid:
            why = f"refused: {counted(report.errors, 'error')} (see missionplan validate)"
            fates[path] = Fate(str(path), "refused", why)
            continue
        seen[(meta.component, meta.period)] = path
        items.setdefault(period, []).extend(reviewed)
        what = (
            translate("merged")
            if not report.errors
            else translate("merged with {errors}").format(errors=counted(report.errors, "error"))
        )
        fates[path] = Fate(str(path), "merged", what)
    if not seen:
        raise MissionplanError(_nothing_merged(fates))
    titles = {o.id: title_of(o) for o in framework.outputs} | {
        o.id: title_of(o) for o in framework.objectives
    }
    latest = max(items)  # the period reported on; earlier ones give the trend
    source = None
    if merged_file is not None and plan is not None and plan_file is not None:
        # the register (sqlalchemy): only with --from, not when `merge` asks is_review_round
        from missionplan.collect.reviewers import registered_merged_plan

        source = registered_merged_plan(str(merged_file), plan, plan_file, db, os.environ)
    expected = _expected(plan, source, latest)
    reporters = sorted(code for code, label in seen if label == latest.label)
    done = performance(items[latest], latest, titles, rule, expected, reporters)
    if len(items) > 1:
        done = replace(done, trend=trend(items, rule))
    mission = plan.mission if plan is not None else reviews[0][1].meta.mission
    plan_id = plan.id if plan is not None else reviews[0][1].meta.plan_id
    ordered = tuple(fates[p] for p in workbooks_in(paths) if p in fates)
    return ReviewMerge(done, ordered, mission, plan_id)


def _expected(plan: Plan | None, merged_file: Path | None, period: Period) -> Sequence[str]:
    """Who was asked to report: given a review workbook from the merged plan, else taking part."""
    if plan is None:
        return ()
    if merged_file is None:
        return tuple(c.code for c in plan.participants())
    from missionplan.collect.reviewers import review_recipients

    return review_recipients(plan, merged_file, period)


def _nothing_merged(fates: dict[Path, Fate]) -> str:
    reasons = "; ".join(f"{Path(f.file).name}: {f.what}" for f in fates.values())
    return f"no review workbook could be merged ({reasons or 'none given'})"


def _not_a_review(review: ReviewSubmission) -> str:
    if review.meta.kind != REVIEW_KIND:
        return "a planning workbook, not a review workbook; merge review workbooks apart"
    if parse_period(review.meta.period) is None:
        return f"the metadata's period '{review.meta.period}' is not a quarter"
    return ""
