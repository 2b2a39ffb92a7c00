"""The line-aware YAML loader: libyaml and pure Python agree, and a key given twice is refused."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from missionplan.errors import DataFileError
from missionplan.planning.framework import Framework, framework_from_data
from missionplan.planning.plan import plan_from_data, starter_plan_text
from missionplan.planning.yamlfile import FAST_LOADER, LOADER, PURE_LOADER, LineDict, parse_yaml
from tests.needs import require
from tests.plans import set_output

BUILTIN = resources.files("missionplan.templates").joinpath("considerations.yaml")


@pytest.fixture(scope="module")
def fast() -> type:
    require(
        "libyaml (PyYAML's C parser)",
        FAST_LOADER is not None,
        "install PyYAML from a wheel built with libyaml (pip install --force-reinstall PyYAML)",
    )
    assert FAST_LOADER is not None
    return FAST_LOADER


def marked(value: Any) -> Any:
    """The parsed value with every mapping's line and key lines made part of the data."""
    if isinstance(value, LineDict):
        return {
            "@line": value.line,
            "@key_lines": dict(value.key_lines),
            **{k: marked(v) for k, v in value.items()},
        }
    if isinstance(value, list):
        return [marked(v) for v in value]
    return (type(value).__name__, value)


def both(fast: type, text: str) -> tuple[Any, Any]:
    return parse_yaml(text, "f.yaml", fast), parse_yaml(text, "f.yaml", PURE_LOADER)


def test_libyaml_is_used_when_installed(fast: type) -> None:
    assert LOADER is fast
    assert issubclass(fast, yaml.CSafeLoader)
    assert issubclass(PURE_LOADER, yaml.SafeLoader)


def test_both_loaders_read_the_builtin_framework_alike(fast: type) -> None:
    text = BUILTIN.read_text(encoding="utf-8")
    quick, pure = both(fast, text)
    assert marked(quick) == marked(pure)
    # the marks are the lines of the text, not only equal between the two
    key_line = text.splitlines().index("objectives:") + 1
    assert quick.key_lines["objectives"] == key_line
    assert quick["objectives"][0].line == key_line + 1


def test_both_loaders_read_a_plan_with_errors_alike(fast: type, framework: Framework) -> None:
    text = starter_plan_text(framework, dt.date(2027, 1, 1))
    text = set_output(text, "3.2", in_scope="maybe", priority="urgent")
    text = text.replace("  short_term_months:", "  shrt_term_months:")
    text = text.replace("    in_scope: true", "    in_scpe: true", 1)
    quick, pure = both(fast, text)
    assert marked(quick) == marked(pure)
    problems = []
    for data in (quick, pure):
        with pytest.raises(DataFileError) as caught:
            plan_from_data(data, "plan.yaml", framework)
        problems.append([str(p) for p in caught.value.problems])
    assert problems[0] == problems[1]
    assert len(problems[0]) == 4, problems[0]


def test_both_loaders_give_the_framework_the_same_problems(fast: type) -> None:
    text = BUILTIN.read_text(encoding="utf-8").replace('  title: "Facilitating', '  titel: "F', 1)
    found = []
    for data in both(fast, text):
        with pytest.raises(DataFileError) as caught:
            framework_from_data(data, "f.yaml", base=None)
        found.append([str(p) for p in caught.value.problems])
    assert found[0] == found[1]
    at = next(n for n, one in enumerate(text.splitlines(), 1) if one.startswith("  titel:"))
    assert found[0] == [f"f.yaml:{at}: unknown key 'titel' in objective 3; did you mean 'title'?"]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),  # unclosed flow sequence
        ("a:\n  b: 1\n c: 2\n", 3),  # bad indentation
        ("a: 'open\n", 2),  # unclosed quote
        ("a: *nowhere\n", 1),  # undefined alias
        ("a: !!python/object:os.system 1\n", 1),  # no such tag in safe YAML
        ("a: !!int abc\n", 1),  # a tag that cannot be built
    ],
)
def test_both_loaders_refuse_broken_yaml_at_the_same_line(
    fast: type, source: str, line: int
) -> None:
    lines = []
    for loader in (fast, PURE_LOADER):
        with pytest.raises(DataFileError) as caught:
            parse_yaml(source, "f.yaml", loader)
        [problem] = caught.value.problems
        assert problem.message.startswith(("YAML syntax error", "not valid YAML"))
        lines.append(problem.line)
    assert lines == [line, line]


DUPLICATES = """\
plan:
  mission: A
  start: 2027-01-01
  mission: B
outputs:
  - id: '3.1'
    lead: HOM
    lead: PAD
"""


@pytest.mark.parametrize("which", ["fast", "pure"])
def test_a_key_given_twice_is_refused_at_its_line(fast: type, which: str) -> None:
    loader = fast if which == "fast" else PURE_LOADER
    with pytest.raises(DataFileError) as caught:
        parse_yaml(DUPLICATES, "plan.yaml", loader)
    assert [str(p) for p in caught.value.problems] == [
        "plan.yaml:4: 'mission' is given twice (first on line 2); keep one",
        "plan.yaml:8: 'lead' is given twice (first on line 7); keep one",
    ]


def test_a_key_given_twice_fails_the_command(tmp_path: Path) -> None:
    from tests.cli_helpers import run_main

    path = tmp_path / "plan.yaml"
    path.write_text(DUPLICATES, encoding="utf-8")
    code, _, err = run_main("export", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert f"{path}:4: 'mission' is given twice (first on line 2); keep one" in err
    assert not (tmp_path / "out").exists()


def test_a_merged_key_may_be_overridden(fast: type) -> None:
    source = "base: &base {lead: HOM, priority: low}\nentry:\n  <<: *base\n  lead: PAD\n"
    for data in both(fast, source):
        assert data["entry"] == {"lead": "PAD", "priority": "low"}


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(st.characters(codec="utf-8"), max_size=12)
        | st.dates(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_the_loaders_agree_on_any_document(value: object) -> None:
    """Whatever safe YAML can say, both parsers give the same data and the same lines."""
    require("libyaml (PyYAML's C parser)", FAST_LOADER is not None, "install PyYAML with libyaml")
    text = yaml.safe_dump({"root": value}, allow_unicode=True)
    assert marked(parse_yaml(text, "f.yaml", FAST_LOADER)) == marked(
        parse_yaml(text, "f.yaml", PURE_LOADER)
    )
