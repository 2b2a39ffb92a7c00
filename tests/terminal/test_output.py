"""The terminal layer: when colour is wanted, what a JSON document holds, --quiet."""

from __future__ import annotations

import json

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from missionplan.terminal.options import Format
from missionplan.terminal.output import (
    SCHEMA_VERSION,
    Settings,
    colour_wanted,
    configure,
    document,
    indented_json,
    render,
    say,
    settings,
)

VARIABLES = st.dictionaries(
    st.sampled_from(["NO_COLOR", "FORCE_COLOR", "TERM"]),
    st.sampled_from(["", "1", "dumb", "xterm"]),
)


@given(flag=st.booleans(), environ=VARIABLES, is_terminal=st.booleans())
def test_the_flag_always_decides(flag: bool, environ: dict[str, str], is_terminal: bool) -> None:
    assert colour_wanted(flag, environ, is_terminal) is flag


@given(environ=VARIABLES, is_terminal=st.booleans())
def test_no_color_wins_over_everything_but_the_flag(
    environ: dict[str, str], is_terminal: bool
) -> None:
    environ = {**environ, "NO_COLOR": "1"}
    assert colour_wanted(None, environ, is_terminal) is False


@pytest.mark.parametrize(
    ("environ", "is_terminal", "wanted"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": ""}, True, True),  # an empty NO_COLOR is no request (no-color.org)
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, False, True),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "xterm"}, False, False),
    ],
)
def test_colour_by_environment(environ: dict[str, str], is_terminal: bool, wanted: bool) -> None:
    assert colour_wanted(None, environ, is_terminal) is wanted


def test_a_document_starts_with_its_schema_version() -> None:
    assert next(iter(document({"files": []}))) == "schema_version"
    assert document({"files": []}) == {"schema_version": SCHEMA_VERSION, "files": []}


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context, quiet: bool = typer.Option(False, "--quiet")) -> None:
        configure(Settings(quiet=quiet))

    @app.command()
    def show(json_out: bool = typer.Option(False, "--json")) -> None:
        say("a line for people")
        render(Format.json if json_out else Format.text, lambda: {"n": 1}, lambda: "text")

    return app


def test_quiet_drops_the_lines_for_people_but_not_the_json() -> None:
    runner = CliRunner()
    assert runner.invoke(_app(), ["show"]).stdout == "a line for people\ntext\n"
    assert runner.invoke(_app(), ["--quiet", "show"]).stdout == ""
    shown = runner.invoke(_app(), ["--quiet", "show", "--json"]).stdout
    assert json.loads(shown) == {"schema_version": SCHEMA_VERSION, "n": 1}


def test_each_run_sets_its_own_options() -> None:
    runner = CliRunner()
    runner.invoke(_app(), ["--quiet", "show"])
    assert settings() == Settings(quiet=True)
    assert runner.invoke(_app(), ["show"]).stdout == "a line for people\ntext\n"


_keys = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none())
_plain = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
_json_values = st.recursive(
    _plain,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(_keys, inner, max_size=3),
    ),
    max_leaves=25,
)


@given(_json_values)
def test_indented_json_is_what_the_standard_library_writes(value: object) -> None:
    """The fast indented encoder writes json.dumps(indent=2, ensure_ascii=False)'s text,
    character for character, for any document (nested, empty, odd keys and floats)."""
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)
