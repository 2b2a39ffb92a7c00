"""The pack's data, built by pure functions from hand-made items (no files, no browser)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from missionplan.merge.performance import performance
from missionplan.report.model import (
    Issue,
    build_report,
    critical_chain,
    default_today,
    item_of,
    review,
)
from tests.merge.test_performance import ITEMS, Q2
from tests.report.builders import TODAY, activity, plan_meta, sample_items


def test_the_headline_counts_items_per_objective_and_what_is_open() -> None:
    gaps = [Issue("no-activity", "", "1.2", "BBB", "Output 1.2 has no activity.")]
    report = build_report(plan_meta(), sample_items(), TODAY, errors=3, gaps=gaps)
    headline = report.headline
    assert [(o.objective, o.counts) for o in headline.objectives] == [("1", (5, 2, 4, 1))]
    assert (headline.items, headline.errors, headline.conflicts, headline.gaps) == (12, 3, 0, 1)
    assert report.board is None and report.changes is None


def test_coverage_shows_roles_and_the_items_each_component_answers_for() -> None:
    coverage = build_report(plan_meta(), sample_items(), TODAY).coverage
    assert coverage.components == ("AAA", "BBB", "CCC")
    cells = {output: [(c.role, c.items) for c in row] for output, row in coverage.rows}
    assert cells == {
        "1.1": [("L", 7), ("S", 1), ("", 0)],  # 4 activities, a benchmark, 2 risks; a benchmark
        "1.2": [("", 1), ("L", 2), ("", 0)],  # a risk owned outside the output's roles shows
    }


def test_the_critical_chain_to_each_benchmark_follows_the_latest_dependency() -> None:
    timeline = build_report(plan_meta(), sample_items(), TODAY).timeline
    chains = {m.item.item_id: m.chain for m in timeline.milestones}
    # short-term benchmark (30 June): the last 1.1 activity ending before it is A2
    assert chains["1.1-BS1"] == ("1.1-A1", "1.1-A2")
    # medium-term (1 December): A3, held up by A2 (ends after A4), held up by A1
    assert chains["1.1-BM1"] == ("1.1-A1", "1.1-A2", "1.1-A3")
    critical = {b.item.item_id for _, bars in timeline.lanes for b in bars if b.critical}
    assert critical == {"1.1-A1", "1.1-A2", "1.1-A3"}
    links = {(link.before, link.after): (link.critical, link.across) for link in timeline.links}
    assert links == {
        ("1.1-A1", "1.1-A2"): (True, False),
        ("1.1-A2", "1.1-A3"): (True, False),
        ("1.1-A4", "1.1-A3"): (False, False),
        ("1.1-A3", "1.2-A1"): (False, True),  # across outputs and components (AAA to BBB)
    }


def test_the_timeline_has_the_plan_windows_lanes_in_plan_order_and_a_status_for_each_bar() -> None:
    timeline = build_report(plan_meta(), sample_items(), TODAY).timeline
    assert [(w.term, w.start, w.end) for w in timeline.windows] == [
        ("short", dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
        ("medium", dt.date(2027, 7, 1), dt.date(2028, 6, 30)),
        ("long", dt.date(2028, 7, 1), dt.date(2029, 12, 31)),
    ]
    lanes = {output: [(b.item.item_id, b.status) for b in bars] for output, bars in timeline.lanes}
    assert list(lanes) == ["1.1", "1.2"]
    assert lanes["1.1"] == [
        ("1.1-A1", "completed"),
        ("1.1-A4", "planned"),  # no status: drawn as planned
        ("1.1-A2", "ongoing"),
        ("1.1-A3", "planned"),
    ]


def test_risks_are_counted_on_the_grid_and_the_top_ones_sorted_by_rating() -> None:
    risks = build_report(plan_meta(), sample_items(), TODAY).risks
    assert risks.counts[3][4] == 2 and risks.counts[0][1] == 2
    assert sum(map(sum, risks.counts)) == 4
    assert [r.item_id for r in risks.top] == ["1.1-R1", "1.1-R2", "1.2-R1", "1.2-R2"]
    assert (risks.top[0].rating, risks.top[0].mitigation, risks.top[1].mitigation) == (
        20,
        "Talk early.",
        "",
    )


def test_today_defaults_to_the_real_date_kept_within_the_period() -> None:
    meta = plan_meta()
    assert default_today(meta, dt.date(2026, 3, 1)) == meta.period_start
    assert default_today(meta, dt.date(2028, 3, 1)) == dt.date(2028, 3, 1)
    assert default_today(meta, dt.date(2031, 3, 1)) == meta.period_end


def test_a_gap_links_to_its_item_else_its_output_else_nowhere() -> None:
    assert Issue("k", "1.1-R2", "1.1", "", "m").anchor == "item-1.1-R2"
    assert Issue("k", "", "1.2", "", "m").anchor == "output-1.2"
    assert Issue("k", "", "", "CCC", "m").anchor == ""


def test_a_circle_of_dependencies_ends_the_chain() -> None:
    items = [
        activity("1.1-A1", "2027-01-01", "2027-02-01", depends_on="1.1-A2"),
        activity("1.1-A2", "2027-03-01", "2027-04-01", depends_on="1.1-A1, 9.9-A1"),
    ]
    activities = {i.item_id: item_of(i) for i in items}
    assert critical_chain("1.1-A2", activities) == ("1.1-A1", "1.1-A2")


@given(
    st.dictionaries(
        st.integers(1, 8),
        st.tuples(st.integers(0, 300), st.lists(st.integers(1, 9), max_size=4)),
        min_size=1,
    )
)
def test_a_critical_chain_is_a_path_of_dependencies_ending_at_its_target(
    graph: dict[int, tuple[int, list[int]]],
) -> None:
    start = dt.date(2027, 1, 1)
    items = [
        activity(
            f"1.1-A{n}",
            start.isoformat(),
            (start + dt.timedelta(days=days)).isoformat(),
            depends_on=", ".join(f"1.1-A{d}" for d in deps),
        )
        for n, (days, deps) in graph.items()
    ]
    activities = {i.item_id: item_of(i) for i in items}
    for target in activities:
        chain = critical_chain(target, activities)
        assert chain[-1] == target and len(set(chain)) == len(chain)
        for before, after in itertools.pairwise(chain):
            assert before in activities[after].depends_on


def test_the_review_lists_late_then_delayed_and_links_only_to_items_in_the_pack() -> None:
    found = review(performance(ITEMS, Q2, {}), {"4.5-A1", "4.5-BS1"})
    assert (found.late, found.delayed, found.overdue) == (1, 1, 1)
    assert [(f.item_id, f.anchor) for f in found.activities] == [
        ("4.5-A2", ""), ("4.5-A1", "item-4.5-A1")]  # fmt: skip
    assert found.activities[0].why == "late: planned end 2027-05-01, ongoing"
    assert found.activities[1].why == "delayed: Rain"
    assert [(f.item_id, f.why) for f in found.benchmarks] == [
        ("4.5-BS1", "target 2027-06-01, on track")]  # fmt: skip
    assert review(performance(ITEMS, Q2, {}), set(), top=1).activities[0].item_id == "4.5-A2"
    assert review(performance(ITEMS, Q2, {}), set(), top=1).late == 1  # counts are all of them


def test_the_report_has_a_review_only_when_given_a_performance_report() -> None:
    assert build_report(plan_meta(), sample_items(), TODAY).review is None
    given = build_report(plan_meta(), sample_items(), TODAY, performance=performance(ITEMS, Q2, {}))
    assert given.review is not None and given.review.performance.outputs[0].light == "red"
