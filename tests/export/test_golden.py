"""The exported workbooks of each role, part by part against checked-in golden copies.

The roles: a component that only leads outputs, one that only supports outputs, and the
planning unit's master workbook, all from the small fixed plan of tests/golden/build.py.
A failure lists each differing part with its first differing lines; when the change is
intended, `make golden` rewrites tests/golden/*.xlsx (see tests/golden/README.md).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from tests.golden import build
from tests.golden.compare import (
    assert_same_parts,
    check_golden,
    core_dates,
    differences,
)


@pytest.fixture(scope="module")
def plan(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    return build.golden_plan(framework, tmp_path_factory.mktemp("golden-plan"))


@pytest.fixture(scope="module")
def exported(
    framework: Framework, plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    return build.export_roles(framework, plan, tmp_path_factory.mktemp("golden-export"))


def test_the_scenario_has_a_lead_only_and_a_support_only_component(plan: Plan) -> None:
    # guards the golden names: a framework edit could give these components the other role
    assert {s.id for s in plan.led_by(build.LEAD_ONLY)} == {"4.5", "5.5"}
    assert not plan.supported_by(build.LEAD_ONLY)
    assert {s.id for s in plan.supported_by(build.SUPPORT_ONLY)} == {"4.5", "5.7"}
    assert not plan.led_by(build.SUPPORT_ONLY)


@pytest.mark.parametrize("name", build.EXPORTED)
def test_export_matches_golden(exported: dict[str, Path], name: str) -> None:
    check_golden(exported[name], name)


@pytest.mark.parametrize("name", build.EXPORTED)
def test_core_properties_are_fixed_to_the_plan_start(exported: dict[str, Path], name: str) -> None:
    # not the time of the export: that is what lets the golden copies compare equal
    midnight = f"{build.START.isoformat()}T00:00:00Z"
    assert core_dates(exported[name]) == (midnight, midnight)


def test_exporting_twice_writes_the_same_parts(
    framework: Framework,
    plan: Plan,
    exported: dict[str, Path],
    tmp_path: Path,
) -> None:
    again = build.export_roles(framework, plan, tmp_path)
    for name in build.EXPORTED:
        assert_same_parts(exported[name], again[name])


def _rezipped(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of a workbook stamped with another time, each part passed through change."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(zipfile.ZipInfo(info.filename, (2031, 5, 6, 7, 8, 10)), data)
    return target


def test_the_comparison_ignores_timestamps_and_xml_spelling_only(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    golden = exported[build.LEAD]  # the helper on its own, golden copy or not

    def respelled(part: str, data: bytes) -> bytes:
        if part != "docProps/app.xml":
            return data
        declared = b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
        return declared.replace(b'xmlns="', b"xmlns='").replace(b'properties">', b"properties'>")

    same = _rezipped(golden, tmp_path / "same.xlsx", respelled)
    assert same.read_bytes() != golden.read_bytes()
    assert differences(golden, same) == []

    def retitled(part: str, data: bytes) -> bytes:
        return data.replace(b"United Nations Police", b"UN Police") if "core" in part else data

    (problem,) = differences(golden, _rezipped(golden, tmp_path / "title.xlsx", retitled))
    assert problem.startswith("part docProps/core.xml differs")
    removed = [line for line in problem.splitlines() if line.startswith("-  <dc:title")]
    added = [line for line in problem.splitlines() if line.startswith("+  <dc:title")]
    assert len(removed) == len(added) == 1
    assert removed[0].endswith("Carana: United Nations Police</dc:title>")
    assert added[0].endswith("Carana: UN Police</dc:title>")

    def dropped(part: str, data: bytes) -> bytes | None:
        return None if part == "docProps/app.xml" else data

    (problem,) = differences(golden, _rezipped(golden, tmp_path / "fewer.xlsx", dropped))
    assert "missing ['docProps/app.xml']" in problem
