"""Deferred conversions give what typer's own conversion gives, for every parameter of the app."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from missionplan.cli import app
from missionplan.terminal.coercion import DeferredConversion, defer_conversions

GROUP = typer.main.get_command(app)
CONTEXT = GROUP.make_context("missionplan", ["catalog"], resilient_parsing=True)
PARAMS = [
    (f"{name} {param.name}", param)
    for name in GROUP.list_commands(CONTEXT)  # type: ignore[attr-defined]
    for param in GROUP.get_command(CONTEXT, name).get_params(CONTEXT)  # type: ignore[attr-defined]
]


def _outcome(convert: Any, param: Any, value: Any) -> tuple[str, Any]:
    """The converted value, or the message of the usage error it raised."""
    try:
        return "value", convert.coerce(value, param=param, ctx=CONTEXT)
    except BadParameter as error:
        return "error", error.message


def _both(param: Any, value: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """What typer's conversion and the deferred one make of the same value."""
    descriptor = param.type_descriptor
    typers = build_runtime_param(descriptor)
    deferred = DeferredConversion(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
    )
    saved = param._runtime_param
    try:
        return _outcome(typers, param, value), _outcome(deferred, param, value)
    finally:
        param._runtime_param = saved


def _samples(param: Any) -> list[Any]:
    annotation = param.type_descriptor.annotation
    samples: list[Any] = [None, param.default]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        for member in annotation:
            samples += [member, str(member.value), str(member.value).upper()]
        samples.append("no-such-choice")
    if annotation is str:
        samples += ["", "fr", "4.2", " spaced "]
    if annotation is Path:
        samples += ["plan.yaml", "/"]
    return samples


def test_the_app_has_parameters_of_every_kind_the_conversion_answers() -> None:
    annotations = {param.type_descriptor.annotation for _, param in PARAMS}
    assert {str, Path, bool} <= annotations
    assert any(isinstance(a, type) and issubclass(a, enum.Enum) for a in annotations)


@pytest.mark.parametrize(("name", "param"), PARAMS, ids=[name for name, _ in PARAMS])
def test_every_parameter_converts_as_typer_would(name: str, param: Any) -> None:
    for value in _samples(param):
        typers, deferred = _both(param, value)
        assert deferred == typers, (name, value)


TEXT_PARAMS = [p for _, p in PARAMS if p.type_descriptor.annotation is str]


@given(st.sampled_from(TEXT_PARAMS), st.text())
def test_any_text_converts_as_typer_would(param: Any, value: str) -> None:
    typers, deferred = _both(param, value)
    assert deferred == typers


def test_a_value_typer_must_convert_gets_typers_conversion_kept() -> None:
    param = next(p for name, p in PARAMS if name == "catalog framework")
    (fresh,) = defer_conversions([_fresh(param)])
    assert isinstance(fresh._runtime_param, DeferredConversion)
    assert fresh._runtime_param.coerce(None, param=fresh, ctx=CONTEXT) is None
    assert isinstance(fresh._runtime_param, DeferredConversion)  # None needed no typer
    fresh._runtime_param.coerce("plan.yaml", param=fresh, ctx=CONTEXT)
    assert not isinstance(fresh._runtime_param, DeferredConversion)  # typer's, built once


def test_a_conversion_already_built_is_left_alone() -> None:
    param = _fresh(next(p for name, p in PARAMS if name == "catalog framework"))
    built = build_runtime_param(param.type_descriptor)
    param._runtime_param = built
    defer_conversions([param])
    assert param._runtime_param is built


def _fresh(param: Any) -> Any:
    """A copy of a parameter with no conversion chosen yet (the app's own stay as they are)."""
    copy = type(param).__new__(type(param))
    copy.__dict__.update(param.__dict__)
    copy._runtime_param = None
    return copy
