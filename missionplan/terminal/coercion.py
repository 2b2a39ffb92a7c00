"""Typer's conversion of parameter values, built only for a value that needs it.

Typer converts every parameter it processes through a pydantic TypeAdapter, and builds
that adapter even for an option left at None or at its choice's default: importing
pydantic then costs a short command (`catalog`, `validate --codes`) most of its start-up.
A deferred conversion answers those values itself, exactly as typer's would, and builds
typer's own for any other value (a path, a number, a choice typed by the user).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_choice


@dataclass(frozen=True)
class DeferredConversion(RuntimeParam):
    """A parameter's conversion: None (typer's base class answers it), a member of the
    option's own Enum and a text for a text pass as they are, a choice typed by the user
    becomes its member; anything else, and a wrong choice, goes to typer's own."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, Enum) and type(value) is self.annotation:
            return value
        if self.annotation is str and type(value) is str:
            return value
        if isinstance(self.annotation, type) and issubclass(self.annotation, Enum):
            try:  # what typer's adapter calls; a wrong choice gets typer's own message below
                return coerce_cli_choice(
                    value,
                    choices=list(self.annotation),
                    case_sensitive=self.parameter_info.case_sensitive,
                    ctx=ctx,
                )
            except ValueError:
                pass
        built = build_runtime_param(param.type_descriptor)
        param._runtime_param = built
        return built._coerce_value(value, param=param, ctx=ctx)


def defer_conversions(params: list[Any]) -> list[Any]:
    """The parameters, each typer one not yet converted given a deferred conversion."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue
        if descriptor.file_annotation is not None:  # typer opens files itself: leave it
            continue
        param._runtime_param = DeferredConversion(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )
    return params
