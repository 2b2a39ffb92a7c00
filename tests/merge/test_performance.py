"""The performance report's rules, without files (issue 12, §3): the traffic-light rule is a
pure function, and its properties hold for any signals and any rule the plan may set."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from missionplan.merge.performance import (
    SIGNALS,
    activity_signal,
    benchmark_signal,
    light,
    performance,
    trend,
)
from missionplan.schema.review import LightRule, Period, ReviewedItem

Q2 = Period(2027, 2)
signals = st.lists(st.sampled_from(SIGNALS), max_size=40)
rules = st.builds(LightRule, st.integers(1, 100), st.integers(1, 100))
RANK = {"green": 0, "amber": 1, "red": 2}
LIGHT_RANK = {"grey": -1, "green": 0, "amber": 1, "red": 2}


@given(signals, rules)
def test_the_order_of_the_signals_does_not_matter(found: list[str], rule: LightRule) -> None:
    assert light(found, rule) == light(sorted(found), rule) == light(found[::-1], rule)


@given(signals, rules, st.data())
def test_a_worse_signal_never_gives_a_better_light(
    found: list[str], rule: LightRule, data: st.DataObject
) -> None:
    if not found:
        return
    index = data.draw(st.integers(0, len(found) - 1))
    worse = data.draw(st.sampled_from([s for s in SIGNALS if RANK[s] >= RANK[found[index]]]))
    changed = [*found[:index], worse, *found[index + 1 :]]
    assert LIGHT_RANK[light(changed, rule)] >= LIGHT_RANK[light(found, rule)]


@given(st.sampled_from(SIGNALS), st.integers(1, 30), rules)
def test_all_alike_gives_that_light(signal: str, count: int, rule: LightRule) -> None:
    assert light([signal] * count, rule) == signal


@given(signals, rules)
def test_grey_exactly_when_nothing_is_assessed(found: list[str], rule: LightRule) -> None:
    assert (light(found, rule) == "grey") == (not found)


@given(signals, rules, st.integers(1, 5))
def test_only_the_shares_count(found: list[str], rule: LightRule, times: int) -> None:
    assert light(found * times, rule) == light(found, rule)


def test_the_default_rule_at_its_edges() -> None:
    assert light(["red"] + ["green"] * 3) == "red"  # 25% red
    assert light(["red"] + ["green"] * 4) == "amber"  # 20% red: amber (red or amber >= 10%)
    assert light(["amber"] + ["green"] * 9) == "amber"  # 10%
    assert light(["amber"] + ["green"] * 10) == "green"  # 9%
    assert light(["red"] + ["green"] * 4, LightRule(20, 50)) == "red"


def test_signals() -> None:
    assert [benchmark_signal(a) for a in ("achieved", "on track", "at risk", "off track",
                                          "not assessed", None)] == [
        "green", "green", "amber", "red", None, None]  # fmt: skip
    before, after = dt.date(2027, 5, 1), dt.date(2027, 9, 1)
    assert activity_signal("ongoing", after, Q2) == "green"
    assert activity_signal("ongoing", before, Q2) == "red"  # late
    assert activity_signal("delayed", after, Q2) == "amber"
    assert activity_signal("completed", before, Q2) == "green"
    assert activity_signal("cancelled", before, Q2) is None
    assert activity_signal(None, before, Q2) is None


def _item(item_id: str, kind: str, **values: object) -> ReviewedItem:
    output = item_id.split("-")[0]
    return ReviewedItem(item_id, output, kind, "UNPOL", "2027-Q2", tuple(values.items()))  # type: ignore[arg-type]


ITEMS = [
    _item("4.5-A1", "activity", status="delayed", planned_end=dt.date(2027, 9, 1), reason="Rain"),
    _item("4.5-A2", "activity", status="ongoing", planned_end=dt.date(2027, 5, 1)),
    _item("4.5-A3", "activity", status="completed", planned_end=dt.date(2027, 5, 1)),
    _item("4.5-BS1", "benchmark", assessment="on track", target_date=dt.date(2027, 6, 1)),
    _item("5.5-BS1", "benchmark", assessment="not assessed", target_date=dt.date(2028, 1, 1)),
    _item("5.5-R1", "risk", planned_likelihood=2, planned_impact=3, likelihood=3, impact=3),
    _item("5.5-R2", "risk", planned_likelihood=4, planned_impact=3, likelihood=2, impact=3,
          materialised="yes"),
]  # fmt: skip


def test_the_report_lists_what_needs_attention() -> None:
    report = performance(ITEMS, Q2, {"4.5": "Public order"}, expected=["UNPOL", "JCS"])
    assert [(o.id, o.light) for o in report.outputs] == [("4.5", "red"), ("5.5", "grey")]
    assert report.outputs[0].counts == {"green": 2, "amber": 1, "red": 1, "none": 0}
    assert [o.id for o in report.objectives] == ["4", "5"]
    assert [(a.item_id, dict(a.fields)["late"]) for a in report.activities] == [
        ("4.5-A1", False), ("4.5-A2", True)]  # fmt: skip
    assert [b.item_id for b in report.benchmarks_past_target] == ["4.5-BS1"]
    assert [b.item_id for b in report.benchmarks_not_assessed] == ["5.5-BS1"]
    assert [r.item_id for r in report.risks_rose] == ["5.5-R1"]
    assert [r.item_id for r in report.risks_materialised] == ["5.5-R2"]
    assert (report.reported, report.not_reported) == (("UNPOL",), ("JCS",))


@given(st.permutations(ITEMS))
def test_the_same_items_in_any_order_give_the_same_report(items: list[ReviewedItem]) -> None:
    assert performance(items, Q2, {}).as_data() == performance(ITEMS, Q2, {}).as_data()


def test_the_trend_reads_quarter_by_quarter() -> None:
    q3 = Period(2027, 3)
    later = [
        _item("4.5-A1", "activity", status="completed", planned_end=dt.date(2027, 9, 1)),
        _item("4.5-BS1", "benchmark", assessment="achieved", measured="80%"),
    ]
    found = trend({q3: later, Q2: ITEMS})  # any order of the mapping: time order
    assert [p.label for p in found.periods] == ["2027-Q2", "2027-Q3"]
    assert dict(found.outputs) == {"4.5": ("red", "green"), "5.5": ("grey", "grey")}
    by_id = {b: values for b, _, values in found.benchmarks}
    assert by_id["4.5-BS1"] == ((None, "on track"), ("80%", "achieved"))
    assert by_id["5.5-BS1"] == ((None, "not assessed"), (None, None))
