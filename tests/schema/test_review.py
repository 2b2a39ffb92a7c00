"""The review's declarations: the period grammar and its dates, the review sheets' columns."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from missionplan.schema.contract import STATUSES
from missionplan.schema.review import (
    ACTIVITIES,
    ASSESSMENTS,
    REVIEW_SHEETS,
    Period,
    parse_period,
)

periods = st.builds(Period, st.integers(1900, 2999), st.integers(1, 4))


def test_a_period_is_a_quarter_with_its_dates() -> None:
    period = parse_period("2027-Q2")
    assert period == Period(2027, 2)
    assert (period.start, period.end) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))
    assert Period(2027, 4).end == dt.date(2027, 12, 31)
    assert parse_period(" 2027 - q4 ") == Period(2027, 4)


def test_anything_else_is_no_period() -> None:
    for text in ("2027-Q5", "2027-Q0", "Q2 2027", "2027Q2", "27-Q2", "2027-2", ""):
        assert parse_period(text) is None, text


@given(periods)
def test_quarters_follow_each_other_without_gap(period: Period) -> None:
    assert parse_period(period.label) == period
    assert period.next.start == period.end + dt.timedelta(days=1)
    assert period.next.previous == period
    assert period.start < period.end and 89 <= (period.end - period.start).days <= 91
    assert period < period.next


def test_the_sheets_declare_what_the_issue_asks_for() -> None:
    keys = {s.item_type: [c.key for c in s.columns if c.editable] for s in REVIEW_SHEETS}
    assert keys["activity"] == ["status", "percent", "actual_start", "actual_end",
                                "progress_note", "reason"]  # fmt: skip
    assert keys["benchmark"] == ["measured", "assessment", "evidence", "note"]
    assert keys["risk"] == ["likelihood", "impact", "materialised", "mitigation_state", "note"]
    assert ACTIVITIES.column("status").choices == STATUSES
    assert ASSESSMENTS == ("on track", "at risk", "off track", "achieved", "not assessed")
    for sheet in REVIEW_SHEETS:
        assert [c.key for c in sheet.columns][:3] == ["output_id", "item_id", "text"]
        assert all(c.source for c in sheet.columns if not c.editable)
        assert all(c.help.endswith((".", ")")) for c in sheet.columns)
