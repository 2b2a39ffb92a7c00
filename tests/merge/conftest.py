"""Fixtures of the merge tests: the small plan every merge rule test uses, framework order."""

from __future__ import annotations

import pytest

from missionplan.merge.rules import framework_order
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from tests.merge.builders import make_plan


@pytest.fixture(scope="module")
def plan(framework: Framework) -> Plan:
    """Two outputs in scope: 4.5 led by UNPOL, 5.2 led by JCS (see builders.SCOPE)."""
    return make_plan(framework)


@pytest.fixture(scope="module")
def order(framework: Framework) -> dict[str, int]:
    return framework_order(framework)
