"""Render a `Report` as one self-contained HTML page: Jinja2 template, our SVG pictures.

Jinja2 escapes every value (autoescape), the pictures escape their texts themselves
(report/svg.py), and nothing on the page points outside it: no link to a stylesheet,
font, picture or script elsewhere, so the file works from an email attachment, offline.
"""

from __future__ import annotations

from markupsafe import Markup

from missionplan import __version__
from missionplan.report import svg
from missionplan.report.model import Report, is_high
from missionplan.schema.contract import ITEM_TYPES, STATUSES

TEMPLATE = "report.html.j2"
TYPE_COLOURS = ("#2f6fb7", "#2e8b57", "#d9822b", "#7d5ba6")
"""Items per objective: activities, benchmarks, risks, considerations."""
PLURALS = ("activities", "benchmarks", "risks", "considerations")
assert len(PLURALS) == len(ITEM_TYPES)
BOARD_STATES = (("valid", "#2e8b57"), ("invalid", "#d9822b"), ("missing", "#b3261e"))
RISK_HUE = (179, 38, 30)


def render_page(report: Report) -> str:
    """The HTML page of the report: the same report gives the same text."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("missionplan.report", ""),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(TEMPLATE).render(
        r=report,
        pictures=pictures(report),
        statuses=[(s, svg.STATUS_COLOURS[s]) for s in STATUSES],
        item_types=PLURALS,
        is_high=is_high,
        light=svg.light,
        version=__version__,
    )


def pictures(report: Report) -> dict[str, Markup]:
    """Every picture of the page, by section."""
    h = report.headline
    found = {
        "objectives": svg.stacked_bars(
            "Items per objective",
            [(f"Objective {o.objective}", o.counts) for o in h.objectives],
            list(zip(PLURALS, TYPE_COLOURS, strict=True)),
        ),
        "coverage": coverage_picture(report),
        "timeline": svg.gantt(report.timeline),
        "risks": risk_picture(report),
    }
    if report.review is not None and report.review.performance.trend is not None:
        trend = report.review.performance.trend
        found["trend"] = svg.light_rows(
            "Output lights by quarter", [p.label for p in trend.periods], trend.outputs
        )
    if report.board is not None:
        counts = [sum(1 for b in report.board if b.state == s) for s, _ in BOARD_STATES]
        found["board"] = svg.stacked_bars("Submissions", [("Components", counts)], BOARD_STATES)
    return found


def coverage_picture(report: Report) -> Markup:
    coverage = report.coverage
    most = max((c.items for _, cells in coverage.rows for c in cells), default=0)
    cells = [
        [
            (
                f"{c.role}{c.items or ''}" if c.role or c.items else "",
                svg.shade(c.items, most) if c.items else ("#eef2f7" if c.role else "#ffffff"),
                f"{output_id} x {code}: "
                + {"L": "lead", "S": "support", "": "no role"}[c.role]
                + f", {c.items} items",
            )
            for code, c in zip(coverage.components, row, strict=True)
        ]
        for output_id, row in coverage.rows
    ]
    return svg.grid(
        "Coverage of outputs by components",
        [output_id for output_id, _ in coverage.rows],
        coverage.components,
        cells,
        cell=30,
        row_label_width=40,
        column_label_height=70,
    )


def risk_picture(report: Report) -> Markup:
    counts = report.risks.counts
    most = max((n for row in counts for n in row), default=0)
    cells = [
        [
            (
                str(counts[likelihood - 1][impact - 1] or ""),
                svg.shade(counts[likelihood - 1][impact - 1], most, RISK_HUE)
                if counts[likelihood - 1][impact - 1]
                else ("#fbe9e7" if likelihood * impact >= 15 else "#ffffff"),
                f"likelihood {likelihood}, impact {impact}: "
                f"{counts[likelihood - 1][impact - 1]} risks",
            )
            for impact in range(1, 6)
        ]
        for likelihood in range(5, 0, -1)
    ]
    return svg.grid(
        "Risks by likelihood and impact",
        [f"L{likelihood}" for likelihood in range(5, 0, -1)],
        [f"I{impact}" for impact in range(1, 6)],
        cells,
        cell=40,
        row_label_width=30,
        column_label_height=24,
        turned=False,
    )
