"""Plan settings: the starter plan, problem reports with lines, the plan id and the windows."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import pickle
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from missionplan.cli import app
from missionplan.errors import DataFileError, MissionplanError, Problem
from missionplan.planning.framework import Framework
from missionplan.planning.plan import (
    Plan,
    add_months,
    load_plan,
    plan_from_data,
    plan_language,
    starter_plan_text,
)
from missionplan.planning.yamlfile import parse_yaml
from tests.cli_helpers import run_main
from tests.plans import set_output

START = dt.date(2027, 1, 1)


@pytest.fixture(scope="module")
def starter(framework: Framework) -> str:
    return starter_plan_text(framework, START)


# ---------------------------------------------------------------------------
# Helpers: edit the starter text line by line, so that expected lines are known.
# ---------------------------------------------------------------------------


def line_of_text(text: str, needle: str, occurrence: int = 0) -> int:
    """The 1-based line of the n-th line that contains `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) > occurrence, f"{needle!r} not found {occurrence + 1} time(s)"
    return found[occurrence]


def entry_line(text: str, output_id: str, occurrence: int = 0) -> int:
    """The line of an output entry (`- id: '3.1'`)."""
    return line_of_text(text, f"  - id: '{output_id}'", occurrence)


def set_head(text: str, **fields: str) -> str:
    """Replace fields of the `plan:` block in the starter text (same number of lines)."""
    lines = text.splitlines()
    for key, value in fields.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"  {key}:"))
        lines[index] = f"  {key}: {value}"
    return "\n".join(lines) + "\n"


def head_line(text: str) -> int:
    """The first line of the `plan:` mapping (its first key; comments are skipped)."""
    plan_line = line_of_text(text, "plan:")
    for number, line in enumerate(text.splitlines()[plan_line:], start=plan_line + 1):
        if line.strip() and not line.strip().startswith("#"):
            return number
    raise AssertionError("empty plan block")


def with_focal_point(text: str, code: str, name: str) -> str:
    """Give a component of the starter's roster a focal point."""
    edited, count = re.subn(
        rf"^(  - {{code: {re.escape(code)},.*focal_point: )(''|\"\")",
        lambda m: m.group(1) + repr(name),
        text,
        flags=re.M,
    )
    assert count == 1
    return edited


def load_text(tmp_path: Path, text: str, framework: Framework) -> Plan:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return load_plan(path, framework)


def problems_of(tmp_path: Path, text: str, framework: Framework) -> list[Problem]:
    with pytest.raises(DataFileError) as caught:
        load_text(tmp_path, text, framework)
    return caught.value.problems


def only(problems: list[Problem], fragment: str) -> Problem:
    found = [p for p in problems if fragment in p.message]
    assert len(found) == 1, (fragment, [str(p) for p in problems])
    return found[0]


def user_error(result: Result) -> tuple[int, str]:
    """Exit code and message of a failed CliRunner run on the app.

    The app raises a MissionplanError (missionplan.cli.main turns it into its message and
    exit code 2), or exits with the code itself after printing the message.
    """
    assert result.exit_code != 0
    if isinstance(result.exception, MissionplanError):
        return result.exception.exit_code, str(result.exception)
    return result.exit_code, result.stderr


# ---------------------------------------------------------------------------
# The starter plan and `missionplan init`.
# ---------------------------------------------------------------------------


def test_starter_plan_loads_cleanly(tmp_path: Path, framework: Framework, starter: str) -> None:
    plan = load_text(tmp_path, starter, framework)
    assert plan.start == START
    assert plan.end == dt.date(2029, 12, 31)
    assert (plan.short_term_months, plan.medium_term_months) == (6, 12)
    assert plan.framework_id == framework.id
    assert [o.id for o in plan.outputs] == [o.id for o in framework.outputs]
    assert all(o.in_scope and o.priority == "medium" for o in plan.outputs)
    assert [c.code for c in plan.components] == [c.code for c in framework.components]
    for output in framework.outputs:
        setting = plan.setting(output.id)
        assert setting is not None
        # the first framework lead leads, the other leads support
        assert setting.lead == output.lead[0]
        assert set(output.lead[1:]) <= set(setting.support)
        assert setting.lead not in setting.support
    assert plan.participants()


def test_starter_plan_without_a_start_loads(tmp_path: Path, framework: Framework) -> None:
    plan = load_text(tmp_path, starter_plan_text(framework), framework)
    assert plan.start == dt.date(dt.date.today().year + 1, 1, 1)
    assert plan.end == add_months(plan.start, 36) - dt.timedelta(days=1)


def test_init_writes_a_plan_that_loads(tmp_path: Path, framework: Framework) -> None:
    target = tmp_path / "plans" / "mission.yaml"
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.stdout
    plan = load_plan(target, framework)
    assert len(plan.outputs) == len(framework.outputs)
    assert [p.name for p in target.parent.iterdir()] == ["mission.yaml"]  # no temp file left


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, framework: Framework) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("my edited plan\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["init", str(target)])
    code, message = user_error(result)
    assert code == 2
    assert "already exists" in message and "--force" in message
    assert target.read_text(encoding="utf-8") == "my edited plan\n"

    # The console script turns the error into a message and exit code 2.
    code, _, err = run_main("init", str(target))
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "my edited plan\n"

    result = CliRunner().invoke(app, ["init", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert load_plan(target, framework).outputs


# ---------------------------------------------------------------------------
# Problems: each with its line, all of them at once.
# ---------------------------------------------------------------------------


def _case_unknown_output(text: str) -> tuple[str, int]:
    text = text.replace("  - id: '3.2'", "  - id: '9.9'")
    return text, entry_line(text, "9.9")


def _head_case(**fields: str) -> Any:
    def edit(text: str) -> tuple[str, tuple[int, ...]]:
        edited = set_head(text, **fields)
        keys = tuple(line_of_text(edited, f"  {key}:") for key in fields)
        return edited, (head_line(edited), *keys)

    return edit


def _output_case(output_id: str, **fields: str) -> Any:
    """The problem is reported at the output's entry, or at the line of the key it is about."""

    def edit(text: str) -> tuple[str, tuple[int, ...]]:
        first = entry_line(text, output_id)
        keys = tuple(first + offset for offset in range(1, 5))
        return set_output(text, output_id, **fields), (first, *keys)

    return edit


def _case_no_output_in_scope(text: str) -> tuple[str, tuple[int, ...]]:
    edited = text.replace("in_scope: true", "in_scope: false")
    return edited, (line_of_text(edited, "plan:"), line_of_text(edited, "outputs:"))


def _case_duplicate_output(text: str) -> tuple[str, int]:
    edited = text + "  - id: '3.1'\n    in_scope: true\n    lead: HOM\n"
    return edited, entry_line(edited, "3.1", occurrence=1)


PROBLEM_CASES = {
    "unknown output": (_case_unknown_output, "unknown output; the framework", 1),
    "unknown component": (
        _output_case("3.1", support="[MLT, NOPE]"),
        "unknown component 'NOPE'",
        1,
    ),
    "lead also in support": (
        _output_case("3.1", support="[HOM, CAD]"),
        "'HOM' is the lead and also listed as support",
        1,
    ),
    "in scope without lead": (
        _output_case("3.3", lead="[]"),
        "is in scope but has no lead",
        1,
    ),
    "several leads": (
        _output_case("3.3", lead="[JCS, HRD]", support="[UNDP, PAD, CAD]"),
        "has several leads",
        1,
    ),
    "end before start": (
        _head_case(end="2026-06-30"),
        "the period ends (2026-06-30) before it starts (2027-01-01)",
        2,  # the windows cannot fit either
    ),
    "windows do not fit": (
        _head_case(short_term_months="24", medium_term_months="12"),
        "(24 + 12 months) do not fit in the period 2027-01-01 to 2029-12-31",
        1,
    ),
    "bad date text": (
        _head_case(start="'first of January'"),
        "'start' is 'first of January'; write a date as YYYY-MM-DD",
        1,
    ),
    "bad date format": (
        _head_case(end="31/12/2029"),
        "'end' is '31/12/2029'; write a date as YYYY-MM-DD",
        1,
    ),
    "priority urgent": (
        _output_case("6.7", priority="urgent"),
        "priority 'urgent' is not one of: high, medium, low",
        1,
    ),
    "no output in scope": (_case_no_output_in_scope, "no output is in scope", 1),
    "duplicate output": (_case_duplicate_output, "listed twice", 1),
}


@pytest.mark.parametrize("case", list(PROBLEM_CASES))
def test_each_problem_is_reported_with_its_line(
    case: str, tmp_path: Path, framework: Framework, starter: str
) -> None:
    edit, fragment, count = PROBLEM_CASES[case]
    text, expected = edit(starter)
    lines = expected if isinstance(expected, tuple) else (expected,)
    problems = problems_of(tmp_path, text, framework)
    problem = only(problems, fragment)
    assert problem.line in lines, (str(problem), lines)
    assert problem.file == str(tmp_path / "plan.yaml")
    assert str(problem).startswith(f"{tmp_path / 'plan.yaml'}:{problem.line}:")
    assert len(problems) == count, [str(p) for p in problems]


def test_the_windows_fit_up_to_the_last_day(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    # 24 + 11 months leave one month of long term; 24 + 12 leave none (see the case above)
    plan = load_text(
        tmp_path, set_head(starter, short_term_months="24", medium_term_months="11"), framework
    )
    assert plan.window("long").start == dt.date(2029, 12, 1)
    # a long-term window of a single day still fits
    plan = load_text(tmp_path, set_head(starter, end="2028-07-01"), framework)
    assert plan.window("long").start == plan.window("long").end == dt.date(2028, 7, 1)


def test_every_problem_is_reported_at_once(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = set_head(starter, end="2026-12-31")
    text = set_output(text, "3.1", support="[HOM, CAD, NOPE]")
    text = text.replace("  - id: '3.2'", "  - id: '9.9'")
    text = set_output(text, "3.3", lead="[JCS, HRD]", support="[UNDP]")
    text = set_output(text, "5.1", lead="[]")
    text = set_output(text, "6.7", priority="urgent")
    text += "  - id: '3.1'\n    in_scope: false\n"
    expected = [
        (line_of_text(text, "  end: "), "the period ends (2026-12-31) before it starts"),
        (head_line(text), "do not fit in the period"),
        (entry_line(text, "3.1"), "'HOM' is the lead and also listed as support"),
        (entry_line(text, "3.1"), "unknown component 'NOPE'"),
        (entry_line(text, "9.9"), "unknown output"),
        (entry_line(text, "3.3"), "has several leads"),
        (entry_line(text, "5.1"), "is in scope but has no lead"),
        (entry_line(text, "6.7") + 2, "priority 'urgent'"),  # at its priority key
        (entry_line(text, "3.1", occurrence=1), "listed twice"),
    ]
    with pytest.raises(DataFileError) as caught:
        load_text(tmp_path, text, framework)
    problems = caught.value.problems
    assert len(problems) == len(expected), [str(p) for p in problems]
    for line, fragment in expected:
        assert only(problems, fragment).line == line, fragment
    lines = [p.line or 0 for p in problems]
    assert lines == sorted(lines)
    message = str(caught.value)
    assert message.startswith(f"{len(expected)} problems in {tmp_path / 'plan.yaml'}:")
    assert all(str(p) in message for p in problems)


def test_a_broken_plan_exits_2_with_every_problem(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = set_output(set_head(starter, start="'soon'"), "3.1", priority="urgent")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_main("export", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert f"{path}:{line_of_text(text, '  start: ')}: plan: 'start' is 'soon'" in err
    assert f"{path}:{entry_line(text, '3.1') + 2}: output 3.1: priority 'urgent'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("day", ["2027-02-30", "2027-13-01"])
def test_an_impossible_unquoted_date_is_reported_with_its_line(
    tmp_path: Path, framework: Framework, starter: str, day: str
) -> None:
    # YAML reads an unquoted 2027-02-30 as a date and fails: a problem, not a crash
    text = set_head(starter, start=day)
    problems = problems_of(tmp_path, text, framework)
    assert [p.line for p in problems] == [line_of_text(text, "  start:")]
    path = tmp_path / "plan.yaml"
    code, _, err = run_main("export", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert f"{path}:{line_of_text(text, '  start:')}:" in err
    assert "unexpected" not in err


# ---------------------------------------------------------------------------
# The plan id.
# ---------------------------------------------------------------------------


def test_plan_id_is_stable_for_the_same_content(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    first = load_text(tmp_path, starter, framework).id
    again = load_text(tmp_path, starter, framework).id
    assert first == again
    assert re.fullmatch(r"p[0-9a-f]{8}", first)
    # comments and layout are not content
    reformatted = starter.replace("# Mission plan settings", "# Our plan settings").replace(
        "    priority: medium", "    priority:   medium   # reviewed"
    )
    assert load_text(tmp_path, reformatted, framework).id == first


def test_plan_id_changes_when_content_changes(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    ids = {load_text(tmp_path, starter, framework).id}
    edits = [
        set_output(starter, "3.1", priority="high"),
        set_output(starter, "3.1", in_scope="false"),
        set_output(starter, "3.1", support="[MLT, CAD]"),
        set_head(starter, end="2029-12-30"),
        set_head(starter, mission="'Another mission'"),
        set_head(starter, medium_term_months="13"),
        with_focal_point(starter, "PAD", "A. Planner"),
    ]
    for edited in edits:
        assert edited != starter
        ids.add(load_text(tmp_path, edited, framework).id)
    assert len(ids) == len(edits) + 1


def test_plan_id_is_worked_out_once_and_kept_right_by_copies(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    plan = load_text(tmp_path, starter, framework)
    first = plan.id
    assert plan.id is first  # cached, not hashed again
    other = replace(plan, mission="Another mission")
    assert other.id != first
    assert replace(other, mission=plan.mission).id == first
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and hash(again) == hash(plan) and again.id == first
    fresh = load_text(tmp_path, starter, framework)
    assert fresh == plan and hash(fresh) == hash(plan)  # the cache is not content


def test_a_given_id_is_used(tmp_path: Path, framework: Framework, starter: str) -> None:
    text = starter.replace("  # id: my-plan-v1", "  id: my-plan-v1")
    plan = load_text(tmp_path, text, framework)
    assert plan.id == "my-plan-v1"
    # the given id stays when the content changes
    assert load_text(tmp_path, set_output(text, "3.1", priority="low"), framework).id == (
        "my-plan-v1"
    )


def test_the_language_is_read_and_leaves_the_plan_id_alone(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    plain = load_text(tmp_path, starter, framework)
    assert plain.language == "en"
    # pinned: the id a plan without `language:` had before the key existed
    assert plain.id == "pa5407454"
    for code in ("fr", "en"):
        text = starter.replace("  # language: fr ", f"  language: {code} ")
        assert text != starter
        plan = load_text(tmp_path, text, framework)
        assert plan.language == code
        assert plan.id == plain.id
        (tmp_path / "lang.yaml").write_text(text, encoding="utf-8")
        assert plan_language(tmp_path / "lang.yaml") == code
    assert plan_language(tmp_path / "missing.yaml") is None


def test_an_unknown_language_is_a_problem(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = starter.replace("  # language: fr ", "  language: de ")
    problem = only(problems_of(tmp_path, text, framework), "is not one of: en, fr")
    assert problem.line == line_of_text(text, "  language: de")


def test_a_bad_given_id_is_a_problem(tmp_path: Path, framework: Framework, starter: str) -> None:
    text = starter.replace("  # id: my-plan-v1        #", "  id: 'my plan/v1'  #")
    problem = only(problems_of(tmp_path, text, framework), "an id is up to 32 letters")
    assert problem.line in (head_line(text), line_of_text(text, "  id: 'my plan/v1'"))


# ---------------------------------------------------------------------------
# Windows and month arithmetic.
# ---------------------------------------------------------------------------


def test_starter_windows(tmp_path: Path, framework: Framework, starter: str) -> None:
    short, medium, long_ = load_text(tmp_path, starter, framework).windows
    assert (short.term, short.start, short.end) == ("short", START, dt.date(2027, 6, 30))
    assert (medium.term, medium.start, medium.end) == (
        "medium",
        dt.date(2027, 7, 1),
        dt.date(2028, 6, 30),
    )
    assert (long_.term, long_.start, long_.end) == (
        "long",
        dt.date(2028, 7, 1),
        dt.date(2029, 12, 31),
    )
    assert short.contains(START) and not short.contains(medium.start)


@pytest.fixture(scope="module")
def starter_data(starter: str) -> dict[str, Any]:
    data = parse_yaml(starter, "starter.yaml")
    assert isinstance(data, dict)
    return data


def _with_period(data: dict[str, Any], start: dt.date, end: dt.date, short: int, medium: int):  # type: ignore[no-untyped-def]
    head = dict(data["plan"])
    head.update(start=start, end=end, short_term_months=short, medium_term_months=medium)
    return {**data, "plan": head}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    short=st.integers(min_value=1, max_value=60),
    medium=st.integers(min_value=1, max_value=60),
    extra_days=st.integers(min_value=0, max_value=4000),
)
def test_windows_are_consecutive_and_cover_the_period(
    framework: Framework,
    starter_data: dict[str, Any],
    start: dt.date,
    short: int,
    medium: int,
    extra_days: int,
) -> None:
    end = add_months(start, short + medium) + dt.timedelta(days=extra_days)
    plan = plan_from_data(
        _with_period(starter_data, start, end, short, medium), "plan.yaml", framework
    )
    windows = plan.windows
    assert [w.term for w in windows] == ["short", "medium", "long"]
    assert windows[0].start == start
    assert windows[-1].end == end
    for before, after in itertools.pairwise(windows):
        assert after.start == before.end + dt.timedelta(days=1)
    for window in windows:
        assert window.start <= window.end
    assert windows[0].end == add_months(start, short) - dt.timedelta(days=1)
    assert windows[1].end == add_months(start, short + medium) - dt.timedelta(days=1)
    # every day of the period is in exactly one window
    for day in (start, windows[1].start, windows[2].start, end, windows[0].end):
        assert sum(w.contains(day) for w in windows) == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    short=st.integers(min_value=1, max_value=60),
    medium=st.integers(min_value=1, max_value=60),
    short_by=st.integers(min_value=1, max_value=400),
)
def test_windows_that_do_not_fit_are_refused(
    framework: Framework,
    starter_data: dict[str, Any],
    start: dt.date,
    short: int,
    medium: int,
    short_by: int,
) -> None:
    end = add_months(start, short + medium) - dt.timedelta(days=short_by)
    if end <= start:
        end = start + dt.timedelta(days=1)
    with pytest.raises(DataFileError) as caught:
        plan_from_data(_with_period(starter_data, start, end, short, medium), "p.yaml", framework)
    assert any("do not fit in the period" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2100, 1, 31), 1, dt.date(2100, 2, 28)),
        (dt.date(2000, 1, 31), 1, dt.date(2000, 2, 29)),
        (dt.date(2027, 3, 31), 1, dt.date(2027, 4, 30)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2027, 12, 15), 1, dt.date(2028, 1, 15)),
        (dt.date(2027, 1, 1), 36, dt.date(2030, 1, 1)),
        (dt.date(2027, 5, 31), 0, dt.date(2027, 5, 31)),
    ],
)
def test_add_months_clips_to_the_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=240),
)
def test_add_months_moves_whole_months(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
