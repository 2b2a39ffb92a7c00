"""Carrying values by item id (export/carried.py): properties over generated items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.export.carried import fill_layout, issued_item
from missionplan.export.distribution import component_layout
from missionplan.export.run import reissue_plan
from missionplan.merge.run import merge_files
from missionplan.planning.framework import Framework
from missionplan.schema.contract import INPUT_KEYS
from missionplan.schema.items import SubmittedItem
from missionplan.schema.text import FORMULA_START
from missionplan.validate.items import submitted_items
from missionplan.validate.run import validate_file
from missionplan.workbook.reader import read_submission
from tests.merge.returns import Returns, make_returns

TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=30)


@pytest.fixture(scope="module")
def returns(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> Returns:
    return make_returns(framework, tmp_path_factory.mktemp("carried"))


def item(item_id: str, output: str, added: bool, comment: str) -> SubmittedItem:
    values = tuple((key, comment if key == "comments" else None) for key in INPUT_KEYS)
    kind = "risk"
    return SubmittedItem(item_id, output, kind, "", 0, True, added,
                         (*values, ("text", f"text of {item_id}")))  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(numbers=st.lists(st.integers(1, 30), unique=True, max_size=12), comment=TEXT)
def test_every_item_is_placed_once_and_fresh_rows_never_reuse_an_id(
    returns: Returns, framework: Framework, numbers: list[int], comment: str
) -> None:
    code = "JCS"
    component = returns.plan.component(code)
    assert component is not None
    layout = component_layout(framework, returns.plan, component)
    framework_ids = [r.item_id for r in layout.rows if not r.added]
    items = [item(i, "4.5", False, comment) for i in framework_ids[:3]]
    items += [item(f"4.5-{code}-{n:02d}", "4.5", True, comment) for n in numbers]
    issued = {i.item_id: issued_item(i) for i in items}
    filled, placed = fill_layout(layout, items, issued)
    ids = [r.item_id for r in filled.rows]
    assert len(ids) == len(set(ids))  # no id twice, prepared rows numbered after the carried
    assert placed == {i.item_id for i in items}
    assert sum(1 for r in filled.rows if r.added and not r.values) == 8  # fresh prepared rows
    rows = {r.item_id: r for r in filled.rows}
    assert all(dict(rows[i.item_id].values)["comments"] == comment for i in items)
    assert [i.item_id for i in filled.issued] == [i for i in ids if i in issued]


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    comments=st.lists(
        # a comment that starts like a formula is warned about: not an unedited reissue
        TEXT.map(str.strip).filter(lambda t: t and not t.startswith(FORMULA_START)),
        min_size=1,
        max_size=4,
    ),
    budget=st.integers(0, 10**7),
    start=st.dates(dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
)
def test_an_unedited_reissue_validates_clean_and_merges_to_its_parent(
    returns: Returns,
    framework: Framework,
    tmp_path_factory: pytest.TempPathFactory,
    comments: list[str],
    budget: int,
    start: dt.date,
) -> None:
    root = tmp_path_factory.mktemp("property")
    values = {key: dict(cells) for key, cells in returns.lead_values.items()}
    for number, (_, cells) in enumerate(sorted(values.items())):
        cells["comments"] = comments[number % len(comments)]
        if "budget" in cells:
            cells.update(budget=budget, start=start)
    lead = returns.fill("UNPOL", values, root / "UNPOL.xlsx")
    parent = root / "mission-plan.xlsx"
    merge_files([lead], framework, parent, returns.plan)
    done = reissue_plan(returns.plan_file, parent, root / "round2")
    for path in done.paths:
        report, _ = validate_file(path, returns.plan)
        assert report.findings == (), [f.code for f in report.findings]
    again = root / "again.xlsx"
    merge_files(list(done.paths), framework, again, returns.plan)

    def by_id(path: Path) -> dict[str, object]:
        return {i.item_id: i.values for i in submitted_items(read_submission(path))}

    assert by_id(again) == by_id(parent)
