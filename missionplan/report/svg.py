"""The pack's pictures, drawn as SVG by small functions of ours (no charting library).

Each function takes the report's plain data and returns one `<svg>` element as escaped
markup: every text from a workbook goes through `escape`, so an item text cannot inject
markup. Coordinates are rounded to one decimal, so the same data give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from missionplan.report.model import Bar, Timeline, label, written
from missionplan.schema.language import translate

STATUS_COLOURS = {
    "planned": "#9bb7d4",
    "ongoing": "#2f6fb7",
    "completed": "#2e8b57",
    "delayed": "#d9822b",
    "cancelled": "#a0a0a0",
}
"""Fill of an activity bar by its status (the legend shows them)."""
WINDOW_COLOURS = {"short": "#f3f7fb", "medium": "#e8eff7", "long": "#dde7f2"}
LIGHT_COLOURS = {"green": "#2e8b57", "amber": "#e0a000", "red": "#b3261e", "grey": "#a0a0a0"}
"""Fill of a traffic light; its name is always written beside it (colour-blind readers, print)."""
CRITICAL = "#b3261e"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"


def said(name: str, what: object) -> str:
    """'name: what', punctuated as the current language writes it ('nom : quoi' in French)."""
    return translate("{name}: {what}").format(name=name, what=what)


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero (deterministic, short)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(width: float, height: float, label: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{escape(label)}" '
        f'style="{FONT};font-size:11px">'
    )
    return Markup(head + "".join(body) + "</svg>")


def stacked_bars(
    label: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    width: float = 560,
) -> Markup:
    """One horizontal bar per row, split by series (name, colour), with a legend on top."""
    label_width, bar_height, gap, top = 90.0, 16.0, 6.0, 24.0
    total = max((sum(values) for _, values in rows), default=0) or 1
    scale = (width - label_width - 40) / total
    body = []
    x = label_width
    for name, colour in series:
        body.append(f'<rect x="{_n(x)}" y="4" width="10" height="10" fill="{colour}"/>')
        body.append(f'<text x="{_n(x + 14)}" y="13">{escape(name)}</text>')
        x += 14 + 7 * len(name) + 14
    for index, (name, values) in enumerate(rows):
        y = top + index * (bar_height + gap)
        body.append(f'<text x="0" y="{_n(y + 12)}">{escape(name)}</text>')
        x = label_width
        for value, (part, colour) in zip(values, series, strict=True):
            if value:
                body.append(
                    f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(value * scale)}" '
                    f'height="{_n(bar_height)}" fill="{colour}">'
                    f"<title>{escape(said(name, f'{value} {part}'))}</title></rect>"
                )
            x += value * scale
        body.append(f'<text x="{_n(x + 4)}" y="{_n(y + 12)}">{sum(values)}</text>')
    height = top + len(rows) * (bar_height + gap)
    return _svg(width, height, label, body)


def grid(
    label: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[tuple[str, str, str]]],
    cell: float = 34,
    row_label_width: float = 60,
    column_label_height: float = 60,
    turned: bool = True,
) -> Markup:
    """A heat map: cells[r][c] is (text, fill colour, tooltip); column labels turned 45°."""
    body = []
    left, top = row_label_width, column_label_height
    for c, name in enumerate(column_labels):
        x = left + c * cell + cell / 2
        turn = f' transform="rotate(-45 {_n(x)} {_n(top - 6)})"' if turned else ""
        anchor = "" if turned else ' text-anchor="middle"'
        body.append(f'<text x="{_n(x)}" y="{_n(top - 6)}"{turn}{anchor}>{escape(name)}</text>')
    for r, name in enumerate(row_labels):
        y = top + r * cell
        body.append(f'<text x="0" y="{_n(y + cell / 2 + 4)}">{escape(name)}</text>')
        for c, (text, fill, tip) in enumerate(cells[r]):
            x = left + c * cell
            body.append(
                f'<g><title>{escape(tip)}</title><rect x="{_n(x)}" y="{_n(y)}" '
                f'width="{_n(cell - 2)}" height="{_n(cell - 2)}" fill="{fill}" stroke="#d5dde6" '
                f'stroke-width="0.5"/>'
                f'<text x="{_n(x + (cell - 2) / 2)}" y="{_n(y + cell / 2 + 3)}" '
                f'text-anchor="middle">{escape(text)}</text></g>'
            )
    width = left + len(column_labels) * cell + 10
    height = top + len(row_labels) * cell
    return _svg(width, height, label, body)


def light(name: str, of: str = "") -> Markup:
    """One traffic light: a small circle in its colour, its name (in the reader's language)
    written after it; `of` names what it is the light of."""
    word = label(name, "light")
    body = [
        f'<circle cx="7" cy="8" r="6" fill="{LIGHT_COLOURS[name]}" stroke="#1d2733" '
        f'stroke-width="0.5"><title>{escape(of or word)}</title></circle>',
        f'<text x="17" y="12">{escape(word)}</text>',
    ]
    return _svg(60, 16, said(of, word) if of else word, body)


def light_rows(
    title: str, columns: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]
) -> Markup:
    """A row of lights per row label, one per column (a trend: outputs by quarter)."""
    left, top, cell, height = 60.0, 18.0, 76.0, 20.0
    body = [
        f'<text x="{_n(left + c * cell)}" y="12">{escape(name)}</text>'
        for c, name in enumerate(columns)
    ]
    for r, (name, lights) in enumerate(rows):
        y = top + r * height
        body.append(f'<text x="0" y="{_n(y + 13)}">{escape(name)}</text>')
        for c, (column, lit) in enumerate(zip(columns, lights, strict=True)):
            x = left + c * cell
            word = label(lit, "light")
            body.append(
                f"<g><title>{escape(said(f'{name} {column}', word))}</title>"
                f'<circle cx="{_n(x + 7)}" cy="{_n(y + 9)}" r="6" fill="{LIGHT_COLOURS[lit]}" '
                f'stroke="#1d2733" stroke-width="0.5"/>'
                f'<text x="{_n(x + 17)}" y="{_n(y + 13)}">{escape(word)}</text></g>'
            )
    width = left + len(columns) * cell + 10
    return _svg(width, top + len(rows) * height, title, body)


def shade(value: int, most: int, hue: tuple[int, int, int] = (47, 111, 183)) -> str:
    """A colour from white (0) to the hue (the largest value), as #rrggbb."""
    share = value / most if most else 0.0
    r, g, b = (round(255 - (255 - h) * (0.15 + 0.85 * share)) if value else 255 for h in hue)
    return f"#{r:02x}{g:02x}{b:02x}"


def packed_rows(bars: Sequence[Bar]) -> list[list[Bar]]:
    """Bars of one output in as few rows as possible: a bar goes in the first row it fits."""
    rows: list[list[Bar]] = []
    for bar in bars:
        for row in rows:
            if row[-1].end < bar.start:
                row.append(bar)
                break
        else:
            rows.append([bar])
    return rows


def gantt(timeline: Timeline, width: float = 1060) -> Markup:
    """Activities by output over the period: windows, today, dependencies, benchmarks."""
    left, top, row_height, lane_gap = 56.0, 30.0, 11.0, 6.0
    days = max((timeline.end - timeline.start).days, 1)
    span = width - left - 8

    def x(day: dt.date) -> float:
        return left + (day - timeline.start).days * span / days

    places: dict[str, tuple[float, float, float]] = {}
    lane_top: dict[str, float] = {}
    shapes: list[str] = []
    y = top
    for output_id, bars in timeline.lanes:
        lane_top[output_id] = y
        rows = packed_rows(bars) or [[]]
        shapes.append(f'<text x="0" y="{_n(y + 9)}" font-weight="bold">{escape(output_id)}</text>')
        for row in rows:
            for bar in row:
                x0, x1 = x(bar.start), x(bar.end + dt.timedelta(days=1))
                places[bar.item.item_id] = (x0, x1, y + row_height / 2 - 1)
                stroke = f' stroke="{CRITICAL}" stroke-width="2"' if bar.critical else ""
                tip = said(
                    f"{bar.item.item_id} ({label(bar.status, 'status')}, {bar.item.lead})",
                    bar.item.text,
                )
                shapes.append(
                    f'<a href="#{escape(bar.item.anchor)}"><rect x="{_n(x0)}" y="{_n(y)}" '
                    f'width="{_n(max(x1 - x0, 2))}" height="{_n(row_height - 2)}" rx="2" '
                    f'fill="{STATUS_COLOURS.get(bar.status, STATUS_COLOURS["planned"])}"{stroke}>'
                    f"<title>{escape(tip)}</title></rect></a>"
                )
            y += row_height
        y += lane_gap
        shapes.append(
            f'<line x1="0" x2="{_n(width)}" y1="{_n(y - lane_gap / 2)}" '
            f'y2="{_n(y - lane_gap / 2)}" stroke="#ccc" stroke-width="0.5"/>'
        )
    height = y + 4
    back = []
    for window in timeline.windows:
        x0, x1 = x(window.start), x(window.end + dt.timedelta(days=1))
        term = translate("{term} term").format(term=label(window.term, "term"))
        dates = translate("{start} to {end}").format(
            start=written(window.start), end=written(window.end)
        )
        back.append(
            f'<rect x="{_n(x0)}" y="{_n(top - 16)}" width="{_n(x1 - x0)}" '
            f'height="{_n(height - top + 16)}" fill="{WINDOW_COLOURS[window.term]}"/>'
            f'<text x="{_n(x0 + 4)}" y="{_n(top - 5)}" fill="#345">{escape(term)}'
            f"<title>{escape(said(term, dates))}</title></text>"
        )
    links = []
    for link in timeline.links:
        if link.before not in places or link.after not in places:
            continue
        _, bx1, by = places[link.before]
        ax0, _, ay = places[link.after]
        colour = CRITICAL if link.critical else "#555"
        dash = ' stroke-dasharray="3 2"' if link.across else ""
        mid = max(bx1, ax0 - 6) if ax0 > bx1 else bx1 + 4
        order = translate("{before} before {after}").format(before=link.before, after=link.after)
        links.append(
            f'<path d="M{_n(bx1)} {_n(by)}H{_n(mid)}V{_n(ay)}H{_n(ax0)}" fill="none" '
            f'stroke="{colour}" stroke-width="{"1.4" if link.critical else "0.7"}"{dash}>'
            f"<title>{escape(order)}</title></path>"
        )
    marks = []
    for milestone in timeline.milestones:
        if milestone.item.output_id not in lane_top or not (
            timeline.start <= milestone.day <= timeline.end
        ):
            continue
        mx, my = x(milestone.day), lane_top[milestone.item.output_id] + 6
        chain = " -> ".join(milestone.chain) or translate("no activity before it")
        tip = translate("{item_id} ({term}-term, {day}): {text}. Critical chain: {chain}").format(
            item_id=milestone.item.item_id,
            term=label(milestone.item.term, "term"),
            day=written(milestone.day),
            text=milestone.item.text,
            chain=chain,
        )
        marks.append(
            f'<a href="#{escape(milestone.item.anchor)}"><path d="M{_n(mx)} {_n(my - 5)}'
            f'l5 5l-5 5l-5 -5z" fill="#222" stroke="#fff" stroke-width="0.6">'
            f"<title>{escape(tip)}</title></path></a>"
        )
    tx = x(timeline.today)
    marker = translate("today {day}").format(day=written(timeline.today))
    today = (
        f'<line x1="{_n(tx)}" x2="{_n(tx)}" y1="{_n(top - 16)}" y2="{_n(height)}" '
        f'stroke="{CRITICAL}" stroke-width="1.2" stroke-dasharray="4 2"/>'
        f'<text x="{_n(tx + 3)}" y="{_n(height - 2)}" fill="{CRITICAL}">'
        f"{escape(marker)}</text>"
    )
    return _svg(
        width,
        height + 12,
        translate("Timeline of activities"),
        back + shapes + links + marks + [today],
    )
