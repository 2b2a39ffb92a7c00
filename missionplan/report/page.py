"""Render a `Report` as one self-contained HTML page: Jinja2 template, our SVG pictures.

Jinja2 escapes every value (autoescape), the pictures escape their texts themselves
(report/svg.py), and nothing on the page points outside it: no link to a stylesheet,
font, picture or script elsewhere, so the file works from an email attachment, offline.
Every word is in the current language (`speaking`): the template's through Jinja2's i18n
extension (`{% trans %}`, `_()`), looked up in our catalogue as `translate` looks words up.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

from missionplan import __version__
from missionplan.report import svg
from missionplan.report.model import (
    ITEM_TYPE_PLURALS,
    ROLE_LETTERS,
    Report,
    is_high,
    label,
    written,
)
from missionplan.schema.contract import STATUSES
from missionplan.schema.language import current_language, translate
from missionplan.schema.text import takes_singular

if TYPE_CHECKING:
    from jinja2 import Template

TEMPLATE = "report.html.j2"
I18N_POLICIES: dict[str, bool] = {"ext.i18n.trimmed": True}
"""A `{% trans %}` block's message is its text with whitespace collapsed, lines joined."""
EXTRACTION_OPTIONS: dict[str, str] = {
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "trimmed": "true",
    "newstyle_gettext": "true",
}
"""The template's settings as Babel's Jinja2 extractor takes them (scripts/update-catalogue.py):
the messages it extracts are the ones the page looks up."""
TYPE_COLOURS = ("#2f6fb7", "#2e8b57", "#d9822b", "#7d5ba6")
"""Items per objective: activities, benchmarks, risks, considerations."""
BOARD_COLOURS = {"valid": "#2e8b57", "invalid": "#d9822b", "missing": "#b3261e"}
RISK_HUE = (179, 38, 30)


def plural(singular: str, plural: str, count: int) -> str:
    """gettext's ngettext for the template: the form the count takes in the current language
    (0 and 1 take the singular in French), each form a message of its own in the catalogue."""
    return translate(singular if takes_singular(count) else plural)


@cache
def _template() -> Template:
    """The page's template, compiled once: its words are looked up when it renders, in the
    language current then."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("missionplan.report", ""),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        trim_blocks=True,  # as EXTRACTION_OPTIONS says
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.policies.update(I18N_POLICIES)
    environment.install_gettext_callables(translate, plural, newstyle=True)  # type: ignore[attr-defined]
    return environment.get_template(TEMPLATE)


def render_page(report: Report) -> str:
    """The HTML page of the report in the current language: the same report gives the same text."""
    return _template().render(
        r=report,
        lang=current_language(),
        pictures=pictures(report),
        statuses=[(s, svg.STATUS_COLOURS[s]) for s in STATUSES],
        item_types=ITEM_TYPE_PLURALS,
        is_high=is_high,
        light=svg.light,
        label=label,
        day=written,
        version=__version__,
    )


def pictures(report: Report) -> dict[str, Markup]:
    """Every picture of the page, by section."""
    h = report.headline
    found = {
        "objectives": svg.stacked_bars(
            translate("Items per objective"),
            [(translate("Objective {id}").format(id=o.objective), o.counts) for o in h.objectives],
            [
                (label(name, "item types"), colour)
                for name, colour in zip(ITEM_TYPE_PLURALS, TYPE_COLOURS, strict=True)
            ],
        ),
        "coverage": coverage_picture(report),
        "timeline": svg.gantt(report.timeline),
        "risks": risk_picture(report),
    }
    if report.review is not None and report.review.performance.trend is not None:
        trend = report.review.performance.trend
        found["trend"] = svg.light_rows(
            translate("Output lights by quarter"),
            [p.label for p in trend.periods],
            trend.outputs,
        )
    if report.board is not None:
        counts = [sum(1 for b in report.board if b.state == s) for s in BOARD_COLOURS]
        found["board"] = svg.stacked_bars(
            translate("Submissions"),
            [(translate("Components"), counts)],
            [(label(s, "state"), colour) for s, colour in BOARD_COLOURS.items()],
        )
    return found


def _roles() -> dict[str, str]:
    lead, support = ROLE_LETTERS
    return {
        lead: label("lead", "role"),
        support: label("support", "role"),
        "": translate("no role"),
    }


def coverage_picture(report: Report) -> Markup:
    coverage = report.coverage
    most = max((c.items for _, cells in coverage.rows for c in cells), default=0)
    roles = _roles()
    cells = [
        [
            (
                f"{label(c.role, 'role letter')}{c.items or ''}" if c.role or c.items else "",
                svg.shade(c.items, most) if c.items else ("#eef2f7" if c.role else "#ffffff"),
                svg.said(
                    f"{output_id} x {code}",
                    f"{roles[c.role]}, "
                    + plural("{count} item", "{count} items", c.items).format(count=c.items),
                ),
            )
            for code, c in zip(coverage.components, row, strict=True)
        ]
        for output_id, row in coverage.rows
    ]
    return svg.grid(
        translate("Coverage of outputs by components"),
        [output_id for output_id, _ in coverage.rows],
        coverage.components,
        cells,
        cell=30,
        row_label_width=40,
        column_label_height=70,
    )


def risk_picture(report: Report) -> Markup:
    counts = report.risks.counts

    def tip(likelihood: int, impact: int, count: int) -> str:
        return translate("likelihood {likelihood}, impact {impact}: {risks}").format(
            likelihood=likelihood,
            impact=impact,
            risks=plural("{count} risk", "{count} risks", count).format(count=count),
        )

    most = max((n for row in counts for n in row), default=0)
    cells = [
        [
            (
                str(counts[likelihood - 1][impact - 1] or ""),
                svg.shade(counts[likelihood - 1][impact - 1], most, RISK_HUE)
                if counts[likelihood - 1][impact - 1]
                else ("#fbe9e7" if likelihood * impact >= 15 else "#ffffff"),
                tip(likelihood, impact, counts[likelihood - 1][impact - 1]),
            )
            for impact in range(1, 6)
        ]
        for likelihood in range(5, 0, -1)
    ]
    return svg.grid(
        translate("Risks by likelihood and impact"),
        [translate("L{likelihood}").format(likelihood=n) for n in range(5, 0, -1)],
        [translate("I{impact}").format(impact=n) for n in range(1, 6)],
        cells,
        cell=40,
        row_label_width=30,
        column_label_height=24,
        turned=False,
    )
