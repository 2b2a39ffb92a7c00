"""merge_register with `validated`: files validated already, with their items, by their bytes."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import missionplan.merge.run as merge_run
from missionplan.collect.run import collect_paths
from missionplan.merge.registered import merge_register
from missionplan.merge.run import Typed
from missionplan.validate.run import validate_file
from tests.collect.material import plan_copy
from tests.validate.kit import Kit


def _typed(path: Path) -> Typed:
    """What the demo hands merge for a file it has just validated (demo/checked.py)."""
    report, submission = validate_file(path, items=True)
    assert submission is not None and submission.items is not None
    typed = replace(submission, sheets=(), expected=())
    return {hashlib.sha256(path.read_bytes()).hexdigest(): (report, typed)}


def _parts(workbook: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(workbook) as parts:
        return {n: parts.read(n) for n in parts.namelist() if n != "docProps/core.xml"}


def test_the_same_bytes_are_not_validated_again_and_merge_the_same(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None, environ={})
    first = merge_register(plan, tmp_path / "first.xlsx", environ={})
    validated = _typed(k.full)

    def no_second_validation(paths: list[Path], *_: object, **__: object) -> list[object]:
        assert not paths, "validated again"
        return []

    monkeypatch.setattr(merge_run, "validate_files", no_second_validation)
    again = merge_register(plan, tmp_path / "again.xlsx", environ={}, validated=validated)
    out = tmp_path / "m.xlsx"
    assert again.as_data(out) | {"merge": 0} == first.as_data(out) | {"merge": 0}
    assert again.text(out) == first.text(out).replace("#1 in", "#2 in")
    assert _parts(tmp_path / "again.xlsx") == _parts(tmp_path / "first.xlsx")


def test_other_bytes_are_validated(k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None, environ={})
    stale = {digest + "0": found for digest, found in _typed(k.full).items()}
    validated: list[Path] = []
    validate_files = merge_run.validate_files

    def counted(paths: list[Path], *rest: object, **named: object) -> object:
        validated.extend(paths)
        return validate_files(paths, *rest, **named)  # type: ignore[arg-type]

    monkeypatch.setattr(merge_run, "validate_files", counted)
    merge_register(plan, tmp_path / "m.xlsx", environ={}, validated=stale)
    assert [p.name for p in validated] == [k.full.name]
