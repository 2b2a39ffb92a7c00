"""The merged mission plan, part by part against its checked-in golden copy.

Made from the small fixed plan of tests/golden/build.py: every participant's workbook
filled with the demo's sample values (OHCHR's never comes back), merged with the plan.
Slow-marked: it exports, fills and validates seven workbooks before merging them.
When the change is intended, `make golden` rewrites tests/golden/merged-plan.xlsx.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from missionplan.planning.framework import Framework
from tests.golden import build
from tests.golden.compare import check_golden, core_dates

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def merged(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("golden-merge")
    plan = build.golden_plan(framework, folder)
    return build.merged_plan(framework, plan, folder)


def test_merged_plan_matches_golden(merged: Path) -> None:
    check_golden(merged, build.MERGED)


def test_core_properties_are_fixed_to_the_plan_start(merged: Path) -> None:
    midnight = f"{build.START.isoformat()}T00:00:00Z"
    assert core_dates(merged) == (midnight, midnight)
