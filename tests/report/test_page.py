"""The HTML page and its pictures, from hand-made reports (no files, no browser)."""

from __future__ import annotations

import datetime as dt
import re

from missionplan.report import svg
from missionplan.report.model import Bar, BoardLine, Change, Issue, build_report, item_of
from missionplan.report.page import render_page
from tests.report.builders import TODAY, activity, item, plan_meta, sample_items

HOSTILE = '</title><script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def page(**parts: object) -> str:
    return render_page(build_report(plan_meta(), sample_items(), TODAY, **parts))  # type: ignore[arg-type]


def test_the_same_report_gives_the_same_bytes() -> None:
    assert page() == page()


def test_hostile_texts_render_as_text_everywhere() -> None:
    items = [
        *sample_items(),
        activity("1.1-A9", "2027-02-01", "2027-03-01", text=HOSTILE, lead=HOSTILE),
        item("1.1-R9", "risk", text=HOSTILE, likelihood=5, impact=5, owner=HOSTILE,
             mitigation=HOSTILE),
    ]  # fmt: skip
    conflict = Issue(HOSTILE, "1.1-A9", "1.1", HOSTILE, HOSTILE)
    board = [BoardLine(HOSTILE, HOSTILE, HOSTILE, 1, 0)]
    changes = [Change("1.1-A9", "1.1", "changed", HOSTILE)]
    meta = plan_meta()
    hostile_meta = type(meta)(**{**meta.__dict__, "mission": HOSTILE, "mandate": HOSTILE})
    html = render_page(
        build_report(
            hostile_meta, items, TODAY, conflicts=[conflict], gaps=[conflict], board=board,
            changes=changes, baseline=HOSTILE,
        )
    )  # fmt: skip
    assert html.count("<script>") == 1  # ours, the sorting script, at the end
    assert "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(" in html
    assert html.count("&lt;/title&gt;") > 10  # item texts, tooltips, tables, the title


def test_every_link_on_the_page_goes_to_an_element_of_the_page() -> None:
    gaps = [
        Issue("no-owner", "1.1-BS1", "1.1", "AAA", "m"),
        Issue("k", "", "1.2", "", "m"),
        Issue("k", "7.7-A1", "7.7", "", "an item the plan does not hold"),
    ]
    changes = [Change("1.1-A2", "1.1", "changed", "Start"), Change("9.9-A1", "9.9", "removed", "")]
    html = page(gaps=gaps, changes=changes)
    targets = set(re.findall(r'href="#([^"]+)"', html))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert {"item-1.1-BS1", "output-1.2", "item-1.1-A2", "item-1.1-R1"} <= targets
    assert "item-9.9-A1" not in targets  # a removed item is not in the plan any more
    assert "item-7.7-A1" not in targets and "<td>7.7-A1</td>" in html  # named, not linked
    assert targets <= ids


def test_nothing_on_the_page_is_fetched_from_elsewhere() -> None:
    html = page(board=[BoardLine("AAA", "valid", "on time", 1, 0)])
    assert not re.search(r"\bsrc\s*=", html)
    assert not re.search(r"(href|action)\s*=\s*\"(?!#)", html)
    assert "@import" not in html and "url(" not in html and "<link" not in html
    # the only address is the SVG namespace, which is a name, never requested
    assert set(re.findall(r"https?://[^\s\"']+", html)) == {"http://www.w3.org/2000/svg"}


def test_every_section_is_there_with_or_without_a_register_and_a_baseline() -> None:
    bare = page()
    full = page(board=[BoardLine("AAA", "valid", "on time", 1, 0)], changes=[], baseline="q4.xlsx")
    for section in ("headline", "board", "coverage", "timeline", "risks", "issues", "changes"):
        assert f'<section id="{section}">' in bare and f'<section id="{section}">' in full
    assert "No register" in bare and "No register" not in full
    assert "No baseline given" in bare and "Since q4.xlsx: 0 items changed." in full
    assert "@page { size: A4 landscape" in bare


def test_numbers_are_written_short_and_the_same_each_time() -> None:
    assert [svg._n(v) for v in (1.0, 1.25, 10 / 3, 0.04)] == ["1", "1.2", "3.3", "0"]


def test_shade_runs_from_light_to_the_full_hue() -> None:
    assert svg.shade(0, 10) == "#ffffff"
    assert svg.shade(10, 10) == "#2f6fb7"
    light, dark = svg.shade(1, 10), svg.shade(9, 10)
    assert int(light[1:3], 16) > int(dark[1:3], 16)


def bar(item_id: str, start: str, end: str) -> Bar:
    a = item_of(activity(item_id, start, end))
    return Bar(a, dt.date.fromisoformat(start), dt.date.fromisoformat(end), "planned", False)


def test_bars_share_a_row_when_they_do_not_overlap() -> None:
    bars = [
        bar("1.1-A1", "2027-01-01", "2027-02-01"),
        bar("1.1-A2", "2027-01-15", "2027-03-01"),
        bar("1.1-A3", "2027-02-02", "2027-04-01"),  # fits after A1
        bar("1.1-A4", "2027-03-01", "2027-05-01"),  # A2 ends that day: not after it
    ]
    rows = svg.packed_rows(bars)
    assert [[b.item.item_id for b in row] for row in rows] == [
        ["1.1-A1", "1.1-A3"],
        ["1.1-A2"],
        ["1.1-A4"],
    ]


def test_the_timeline_draws_every_bar_link_benchmark_and_today() -> None:
    timeline = build_report(plan_meta(), sample_items(), TODAY).timeline
    drawn = str(svg.gantt(timeline))
    assert drawn.count('<a href="#item-1.1-A') == 4 and '<a href="#item-1.2-A1">' in drawn
    assert drawn.count(f'stroke="{svg.CRITICAL}" stroke-width="2"') == 3  # the critical bars
    assert drawn.count('<path d="M') == 4 + 2  # four dependencies, two benchmarks
    assert 'stroke-dasharray="3 2"' in drawn  # the dependency across components
    assert "today 2027-05-01" in drawn
    for term in ("short term", "medium term", "long term"):
        assert term in drawn


def _reviewed(**parts: object) -> str:
    from dataclasses import replace

    from missionplan.merge.performance import performance, trend
    from missionplan.schema.review import Period
    from tests.merge.test_performance import ITEMS, Q2, _item

    q3 = Period(2027, 3)
    later = [_item("1.1-A1", "activity", status="completed", planned_end=dt.date(2027, 9, 1))]
    items = [*ITEMS, _item("1.1-A1", "activity", status="delayed", reason=HOSTILE,
                           planned_end=dt.date(2027, 9, 1))]  # fmt: skip
    done = replace(performance(items, Q2, {"4.5": HOSTILE}), trend=trend({Q2: items, q3: later}))
    return page(performance=done, **parts)


def test_the_performance_section_draws_each_light_with_its_name_and_the_trend() -> None:
    html = _reviewed()
    section = html[html.index('<section id="performance">') : html.index('<section id="items">')]
    assert "No review given" not in section and "No review given" in page()
    assert "Quarter 2027-Q2" in section and "trend over 2027-Q2, 2027-Q3" in section
    assert "The rule: Each benchmark and activity gives a signal" in section
    assert 'aria-label="Output 4.5: red"' in section  # the circle, and its name as text
    assert section.count("<circle") == 3 + 3 + 3 * 2  # objectives, outputs, trend rows x 2
    assert re.search(r'<title>1\.1 2027-Q3: green</title><circle[^>]+fill="#2e8b57"', section)
    assert "<b>1</b>late activity<" in section and "<b>2</b>delayed activities" in section
    assert '<a href="#item-1.1-A1">1.1-A1</a>' in section  # in the pack: linked
    assert '<td class="id">4.5-A1</td>' in section  # not in the pack: named only
    assert HOSTILE not in html and "delayed: &lt;/title&gt;&lt;script&gt;" in section
    assert _reviewed() == html  # deterministic


def test_one_quarter_has_no_trend_picture() -> None:
    from missionplan.merge.performance import performance
    from tests.merge.test_performance import ITEMS, Q2

    html = page(performance=performance(ITEMS, Q2, {}))
    assert "Output lights by quarter" not in html and "Trend by quarter" not in html
    assert 'aria-label="Objective 4: red"' in html
