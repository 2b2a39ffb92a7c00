"""Every key of the plan, framework and roster files checked: nothing misread, nothing ignored.

The measured defects of issue 9 go through the command line, where a planner meets them:
a misspelt key used to be ignored without a word (`in_scpe: false` left the output in scope,
`shrt_term_months: 3` was dropped, `leed: HOM` came out as "in scope but has no lead").
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.errors import DataFileError, Problem
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import load_plan, starter_plan_text
from tests.cli_helpers import run_main
from tests.planning.builders import MINI, ROSTER_LINES, edit, line, write
from tests.plans import set_output

START = dt.date(2027, 1, 1)
PYDANTIC_WORDING = re.compile(r"Input should|Field required|Extra inputs|pydantic|type=|\[type")


@pytest.fixture(scope="module")
def starter(framework: Framework) -> str:
    return starter_plan_text(framework, START)


def key_index(text: str, key: str, output_id: str | None = None) -> int:
    """The 0-based index of the line `  key:` of the plan block, or `    key:` of an output."""
    lines = text.splitlines()
    if output_id is None:
        return next(i for i, one in enumerate(lines) if one.startswith(f"  {key}:"))
    start = next(i for i, one in enumerate(lines) if one.startswith(f"  - id: '{output_id}'"))
    return next(i for i in range(start + 1, len(lines)) if lines[i].startswith(f"    {key}"))


def replaced(text: str, index: int, new: str) -> str:
    lines = text.splitlines()
    lines[index] = new
    return "\n".join(lines) + "\n"


def set_head(text: str, key: str, new: str) -> str:
    """Replace the line `  key: ...` of the `plan:` block with `  new`."""
    return replaced(text, key_index(text, key), f"  {new}")


def in_entry(text: str, output_id: str, key: str, new: str) -> str:
    """Replace the line `    key...` of one output entry of the starter with `    new`."""
    return replaced(text, key_index(text, key, output_id), f"    {new}")


def line_with(text: str, needle: str) -> int:
    """The 1-based line of the only line of text that contains needle."""
    found = [n for n, one in enumerate(text.splitlines(), start=1) if needle in one]
    assert len(found) == 1, (needle, found)
    return found[0]


def plan_problems(tmp_path: Path, text: str, framework: Framework) -> list[str]:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_plan(path, framework)
    return [str(p) for p in caught.value.problems]


def framework_problems(path: Path) -> list[Problem]:
    with pytest.raises(DataFileError) as caught:
        load_framework(path)
    return caught.value.problems


def export(tmp_path: Path, text: str) -> tuple[int, str, Path]:
    """`missionplan export plan.yaml --out d` on the text: exit code, stderr, the plan's path."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_main("export", str(path), "--out", str(tmp_path / "d"))
    return code, err, path


# ---------------------------------------------------------------------------
# The measured defects, through the command line.
# ---------------------------------------------------------------------------


def test_a_misspelt_in_scope_fails_the_export(tmp_path: Path, starter: str) -> None:
    text = in_entry(starter, "3.1", "in_scope:", "in_scpe: false")
    code, err, path = export(tmp_path, text)
    assert code == 2
    expected = f"{path}:{line_with(text, 'in_scpe')}: unknown key 'in_scpe' in output 3.1; "
    assert expected + "did you mean 'in_scope'?" in err
    assert "Traceback" not in err and not PYDANTIC_WORDING.search(err)
    assert not (tmp_path / "d").exists()  # before: 3.1 stayed in scope and was exported


def test_a_misspelt_month_count_is_named_once(tmp_path: Path, starter: str) -> None:
    text = set_head(starter, "short_term_months", "shrt_term_months: 3")
    code, err, path = export(tmp_path, text)
    assert code == 2
    assert err.splitlines()[1:] == [
        f"  {path}:{line_with(text, 'shrt_term')}: unknown key 'shrt_term_months' in plan; "
        "did you mean 'short_term_months'?"
    ]  # and not also "'short_term_months' is missing": one mistake, one problem


def test_a_misspelt_lead_is_named_not_taken_for_no_lead(tmp_path: Path, starter: str) -> None:
    text = in_entry(starter, "3.1", "lead:", "leed: HOM")
    code, err, path = export(tmp_path, text)
    assert code == 2
    assert (
        f"{path}:{line_with(text, 'leed')}: unknown key 'leed' in output 3.1; "
        "did you mean 'lead'?" in err
    )
    assert "has no lead" not in err  # before: the only thing said


def test_value_errors_get_a_line_and_a_planners_message(tmp_path: Path, starter: str) -> None:
    text = set_head(starter, "short_term_months", "short_term_months: six")
    text = set_head(text, "medium_term_months", "medium_term_months: -3")
    text = set_head(text, "start", "start: 2027-02-30x")
    code, err, path = export(tmp_path, text)
    assert code == 2
    assert err.splitlines() == [
        f"missionplan: error: 3 problems in {path}:",
        f"  {path}:{line_with(text, 'start:')}: plan: 'start' is '2027-02-30x'; "
        "write a date as YYYY-MM-DD",
        f"  {path}:{line_with(text, 'short_term')}: plan: 'short_term_months' should be a whole "
        "number of months from 1 to 120, not 'six'",
        f"  {path}:{line_with(text, 'medium_term')}: plan: 'medium_term_months' should be a "
        "whole number of months from 1 to 120, not -3",
    ]


def test_a_framework_with_a_misspelt_key_fails_the_catalog(tmp_path: Path) -> None:
    source = edit(MINI, '        title: "Second output"', '        titl: "Second output"')
    path = write(tmp_path, source)
    code, _, err = run_main("catalog", "--framework", str(path))
    assert code == 2
    assert (
        f"{path}:{line(source, 'titl:')}: unknown key 'titl' in output 1.2; did you mean 'title'?"
        in err
    )


# ---------------------------------------------------------------------------
# Unknown keys, at every level of every file.
# ---------------------------------------------------------------------------

PLAN_TYPOS = {
    # name: (start of the line to change, the line instead, the typo, where, what was meant)
    "root": ("outputs:", "outptus:", "outptus", "at the top of the plan file", "outputs"),
    "plan": ("  mission:", "  mision: 'M'", "mision", "in plan", "mission"),
    "component": (
        "  - {code: PAD,",
        "  - {code: PAD, name: Political Affairs, kind: civilian substantive, focal_piont: ''}",
        "focal_piont",
        "in component PAD",
        "focal_point",
    ),
    "output": ("    support:", "    suport: [CAD]", "suport", "in output 3.3", "support"),
    "capitals": ("    priority:", "    Priority: high", "Priority", "in output 3.3", "priority"),
}


@pytest.mark.parametrize("case", list(PLAN_TYPOS))
def test_an_unknown_plan_key_is_named_with_what_was_meant(
    case: str, tmp_path: Path, framework: Framework, starter: str
) -> None:
    old, new, typo, where, meant = PLAN_TYPOS[case]
    lines = starter.splitlines()
    entry = next(i for i, one in enumerate(lines) if one.startswith("  - id: '3.3'"))
    first = entry if old.startswith("    ") else 0  # an output's key: the one of output 3.3
    index = next(i for i in range(first, len(lines)) if lines[i].startswith(old))
    text = replaced(starter, index, new)
    found = plan_problems(tmp_path, text, framework)
    assert (
        f"{tmp_path / 'plan.yaml'}:{index + 1}: unknown key '{typo}' {where}; "
        f"did you mean '{meant}'?"
    ) in found
    assert not any(PYDANTIC_WORDING.search(p) for p in found)


FRAMEWORK_TYPOS = {
    # name: (text to change, the text instead, the typo, where, what was meant)
    "root": (
        "objectives:\n",
        "objectivs:\n",
        "objectivs",
        "at the top of the framework file",
        "objectives",
    ),
    "head": ('  title: "Mini', '  titel: "Mini', "titel", "in framework", "title"),
    "objective": (
        '    title: "First objective"',
        '    tilte: "First objective"',
        "tilte",
        "in objective 1",
        "title",
    ),
    "output": (
        '        lead: ["FORCE"]',
        '        leads: ["FORCE"]',
        "leads",
        "in output 1.2",
        "lead",
    ),
    "item": ('"1.1-R1", text:', '"1.1-R1", txt:', "txt", "in 1.1-R1", "text"),
    "benchmark": ('"1.1-BM1", term:', '"1.1-BM1", trem:', "trem", "in 1.1-BM1", "term"),
    "component": ("{code: CAD, name", "{code: CAD, nmae", "nmae", "in component CAD", "name"),
}


@pytest.mark.parametrize("case", list(FRAMEWORK_TYPOS))
def test_an_unknown_framework_key_is_named_with_what_was_meant(case: str, tmp_path: Path) -> None:
    old, new, typo, where, meant = FRAMEWORK_TYPOS[case]
    source = edit(MINI, old, new)
    found = [str(p) for p in framework_problems(write(tmp_path, source))]
    assert (
        f"{tmp_path / 'framework.yaml'}:{line(MINI, old.strip())}: unknown key '{typo}' {where}; "
        f"did you mean '{meant}'?"
    ) in found


def test_an_unknown_key_in_a_components_file(tmp_path: Path) -> None:
    roster = ROSTER_LINES.replace("{code: CAD, name:", "{code: CAD, nam:")
    write(tmp_path, roster, "roster.yaml")
    path = write(tmp_path, edit(MINI, ROSTER_LINES, 'components_file: "roster.yaml"\n'))
    found = [str(p) for p in framework_problems(path)]
    assert found == [
        f"{tmp_path / 'roster.yaml'}:{line(roster, 'nam:')}: unknown key 'nam' in component CAD; "
        "did you mean 'name'?"
    ]


def test_an_unknown_key_with_nothing_close_lists_the_keys(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = in_entry(starter, "4.2", "priority:", "deadline: 2028-01-01")
    found = plan_problems(tmp_path, text, framework)
    assert found == [
        f"{tmp_path / 'plan.yaml'}:{line_with(text, 'deadline')}: unknown key 'deadline' in "
        "output 4.2; the keys here are: id, in_scope, priority, lead, support"
    ]


def test_roster_and_components_file_together_are_refused(tmp_path: Path) -> None:
    source = edit(MINI, ROSTER_LINES, ROSTER_LINES + 'components_file: "roster.yaml"\n')
    found = framework_problems(write(tmp_path, source))
    assert [(p.line, p.message) for p in found] == [
        (
            line(source, "components_file"),
            "give the roster either under 'components' or in 'components_file', not both",
        )
    ]


# ---------------------------------------------------------------------------
# Values: what would be misread is refused, in a planner's words, at the key's line.
# ---------------------------------------------------------------------------

PLAN_VALUES = {
    # name: (edit of the starter, the key whose line it is, expected message)
    "months as text": (
        lambda t: set_head(t, "short_term_months", "short_term_months: 'six'"),
        "short_term_months",
        "plan: 'short_term_months' should be a whole number of months from 1 to 120, not 'six'",
    ),
    "months as a fraction": (
        lambda t: set_head(t, "short_term_months", "short_term_months: 6.5"),
        "short_term_months",
        "plan: 'short_term_months' should be a whole number of months from 1 to 120, not 6.5",
    ),
    "months yes": (
        lambda t: set_head(t, "medium_term_months", "medium_term_months: yes"),
        "medium_term_months",
        "plan: 'medium_term_months' should be a whole number of months from 1 to 120, not true",
    ),
    "months too many": (
        lambda t: set_head(t, "medium_term_months", "medium_term_months: 121"),
        "medium_term_months",
        "plan: 'medium_term_months' should be a whole number of months from 1 to 120, not 121",
    ),
    "date with a time": (
        lambda t: set_head(t, "start", "start: 2027-01-01 09:30:00"),
        "  start:",
        "plan: 'start' is '2027-01-01 09:30:00'; write a date as YYYY-MM-DD",
    ),
    "date as a week": (
        lambda t: set_head(t, "start", "start: '2027-W01'"),
        "  start:",
        "plan: 'start' is '2027-W01'; write a date as YYYY-MM-DD",
    ),
    "empty date": (
        lambda t: set_head(t, "end", "end:"),
        "  end:",
        "plan: 'end' is empty; write a date as YYYY-MM-DD",
    ),
    "mission as a list": (
        lambda t: set_head(t, "mission", "mission: [a, b]"),
        "  mission:",
        "plan: 'mission' should be a text, found list",
    ),
    "empty mission": (
        lambda t: set_head(t, "mission", "mission: '  '"),
        "  mission:",
        "plan: 'mission' is empty; give it a text",
    ),
    "mandate as a date": (
        lambda t: set_head(t, "mandate", "mandate: 2026-05-01"),
        "  mandate:",
        "plan: 'mandate' is read as a date; put it in quotes to keep it as written",
    ),
    "output id as a number": (
        lambda t: t.replace("  - id: '3.1'", "  - id: 3.10"),
        "id: 3.10",
        "output: 'id' is read as the number 3.1; put it in quotes to keep it as written",
    ),
    "in scope maybe": (
        lambda t: set_output(t, "3.2", in_scope="maybe"),
        "in_scope: maybe",
        "output 3.2: 'in_scope' should be true or false, not 'maybe'",
    ),
    "empty in scope": (
        lambda t: set_output(t, "3.2", in_scope="null"),
        "in_scope: null",
        "output 3.2: 'in_scope' is empty; write true or false",
    ),
    "empty priority": (
        lambda t: set_output(t, "3.2", priority="''"),
        "priority: ''",
        "output 3.2: 'priority' is empty; write one of: high, medium, low",
    ),
    "empty months": (
        lambda t: set_head(t, "short_term_months", "short_term_months:"),
        "short_term_months",
        "plan: 'short_term_months' is empty; give a whole number of months from 1 to 120",
    ),
    "lead as a mapping": (
        lambda t: set_output(t, "3.2", lead="{code: PAD}"),
        "lead: {code",
        "output 3.2: 'lead' should be a component code or a list of them",
    ),
    "support with a number": (
        lambda t: set_output(t, "3.2", support="[CAD, 7]"),
        "support: [CAD, 7]",
        "output 3.2: 'support' should be a component code or a list of them",
    ),
    "kind army": (
        lambda t: t.replace("kind: uniformed", "kind: army", 1),
        "kind: army",
        "component FORCE: kind 'army' is not one of: leadership, civilian substantive, "
        "uniformed, support, coordination structure, UN country team",
    ),
    "bad component code": (
        lambda t: t.replace("{code: CAD,", "{code: cad,", 1),
        "{code: cad,",
        "component cad: a code is 1 to 16 capital letters, digits or hyphens",
    ),
    "plan id with a slash": (
        lambda t: t.replace("  # id: my-plan-v1        #", "  id: 'my plan/v1'  #"),
        "id: 'my plan/v1'",
        "plan: an id is up to 32 letters, digits, dots, hyphens or underscores",
    ),
    "outputs as a mapping": (
        lambda t: t.replace("outputs:\n", "outputs: {}\n").split("  # Objective 3")[0],
        "outputs: {}",
        "plan file: 'outputs' should be a list",
    ),
    "an output that is not a mapping": (
        lambda t: t.replace("outputs:\n", "outputs:\n  - 3.1\n"),
        "outputs:",
        "plan file: entry 1 under 'outputs' should be a mapping of keys to values",
    ),
    "plan as a text": (
        lambda t: "plan: settings\n" + t[t.index("components:") :],
        "plan: settings",
        "plan file: 'plan' should be a mapping of keys to values",
    ),
}


@pytest.mark.parametrize("case", list(PLAN_VALUES))
def test_a_bad_value_is_one_problem_at_its_key(
    case: str, tmp_path: Path, framework: Framework, starter: str
) -> None:
    change, needle, message = PLAN_VALUES[case]
    text = change(starter)
    found = plan_problems(tmp_path, text, framework)
    assert found == [f"{tmp_path / 'plan.yaml'}:{line_with(text, needle)}: {message}"]


def test_a_missing_key_says_what_to_write(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = set_head(starter, "start", "# start: gone")
    text = set_head(text, "mission", "# mission: gone")
    plan_line = line_with(text, "  mandate:")  # the block's first key now
    assert plan_problems(tmp_path, text, framework) == [
        f"{tmp_path / 'plan.yaml'}:{plan_line}: plan: 'mission' is missing; give it a text",
        f"{tmp_path / 'plan.yaml'}:{plan_line}: plan: 'start' is missing; "
        "write a date as YYYY-MM-DD",
    ]


def test_an_empty_file_and_a_list_are_not_plans(tmp_path: Path, framework: Framework) -> None:
    for text in ("# nothing\n", "- a\n- b\n"):
        assert plan_problems(tmp_path, text, framework) == [
            f"{tmp_path / 'plan.yaml'}: plan file: expected a mapping of keys to values"
        ]


def test_framework_values_are_checked(tmp_path: Path) -> None:
    source = edit(MINI, 'term: "medium"', 'term: "Medium"')
    source = edit(source, '  - id: "1"\n', "  - id: 1.0\n")
    source = edit(source, '{id: "1.1-A2",', '{id: "1.1 A2",')
    found = [(p.line, p.where, p.message) for p in framework_problems(write(tmp_path, source))]
    assert found == [
        (
            line(MINI, '  - id: "1"'),
            "objective",
            "'id' is read as the number 1.0; put it in quotes to keep it as written",
        ),
        (
            line(MINI, '"1.1-A2"'),
            "1.1 A2",
            "an id uses only letters, digits, dots, hyphens and underscores",
        ),
        (line(MINI, '"1.1-BM1"'), "1.1-BM1", "term 'Medium' is not one of: short, medium, long"),
    ]


# ---------------------------------------------------------------------------
# All at once, and the rules after the model.
# ---------------------------------------------------------------------------


def test_model_and_rule_problems_are_reported_together(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = in_entry(starter, "3.1", "in_scope:", "in_scpe: false")
    text = set_output(text, "4.2", support="[UNPOL, NOPE]")  # a rule: unknown component
    text = set_output(text, "5.1", lead="[JCS, HRD]")  # a rule: several leads
    text = set_head(text, "end", "end: 2026-12-31")  # a rule: ends before it starts
    text = set_output(text, "6.1", priority="soon")  # a value
    found = plan_problems(tmp_path, text, framework)
    plan = str(tmp_path / "plan.yaml")
    entry_42, entry_51 = line_with(text, "- id: '4.2'"), line_with(text, "- id: '5.1'")
    assert found == [
        f"{plan}:{line_with(text, '  mission:')}: plan: the short- and medium-term windows "
        "(6 + 12 months) do not fit in the period 2027-01-01 to 2026-12-31; shorten them so "
        "that a long-term window remains",
        f"{plan}:{line_with(text, '  end:')}: plan: the period ends (2026-12-31) before it "
        "starts (2027-01-01)",
        f"{plan}:{line_with(text, 'in_scpe')}: unknown key 'in_scpe' in output 3.1; "
        "did you mean 'in_scope'?",
        f"{plan}:{entry_42}: output 4.2: unknown component 'NOPE'; add "
        "it under 'components' or fix it",
        f"{plan}:{entry_51}: output 5.1: has several leads; name one "
        "lead and list the others as support",
        f"{plan}:{line_with(text, 'priority: soon')}: output 6.1: priority 'soon' is not one "
        "of: high, medium, low",
    ]


def test_a_component_with_a_bad_value_is_still_known_to_the_outputs(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    """No cascade: the roster has a problem, so its codes are not checked against outputs."""
    text = starter.replace("kind: uniformed", "kind: army", 1)
    found = plan_problems(tmp_path, text, framework)
    assert len(found) == 1 and "kind 'army'" in found[0]


def test_an_unreadable_output_is_not_taken_for_none_in_scope(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    text = starter.replace("in_scope: true", "in_scope: false")
    text = set_output(text, "3.1", in_scope="true", priority="urgent")
    found = plan_problems(tmp_path, text, framework)
    assert len(found) == 1 and "priority 'urgent'" in found[0]
    assert (
        "no output is in scope"
        in plan_problems(
            tmp_path, set_output(text, "3.1", priority="high", in_scope="false"), framework
        )[0]
    )


def test_a_framework_item_with_a_problem_keeps_the_rest_checked(tmp_path: Path) -> None:
    source = edit(MINI, '{id: "1.1-R1", text: "A risk."', '{id: "1.1-R1", text: ""')
    source = edit(source, 'support: ["CAD"]', 'support: ["CAD", "NOPE"]')
    found = [(p.line, p.message) for p in framework_problems(write(tmp_path, source))]
    assert found == [
        (
            line(MINI, '- id: "1.1"'),
            "unknown component 'NOPE'; add it to the roster or fix the code",
        ),
        (line(MINI, '"1.1-R1"'), "'text' is empty; give it a text"),
    ]


def test_a_flood_of_problems_is_cut_with_a_count(
    tmp_path: Path, framework: Framework, starter: str
) -> None:
    extra = "".join(f"  extra_{n}: 1\n" for n in range(150))
    text = starter.replace("  submit_to:", extra + "  submit_to:")
    found = plan_problems(tmp_path, text, framework)
    assert len(found) == 101
    assert found[-1] == f"{tmp_path / 'plan.yaml'}: and 50 more problems; fix these first"


# ---------------------------------------------------------------------------
# Property: whatever value a planner types at a key, the plan holds it as written, or
# every problem names the file and its line, in our words.
# ---------------------------------------------------------------------------

HEAD_KEYS = ["mission", "mandate", "submit_to", "start", "end", "short_term_months"]
OUTPUT_KEYS = ["in_scope", "priority", "lead", "support"]
VALUES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-500, max_value=500)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31))
    | st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31))
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")))
    | st.sampled_from(["high", "low", "PAD", "2027-03-01", "12", "yes"])
    | st.lists(st.sampled_from(["PAD", "CAD", "", "x"]), max_size=3)
    | st.dictionaries(st.sampled_from(["a", "code"]), st.integers(), max_size=2)
)


def as_read(key: str, value: object) -> object:
    """What the plan holds for `key: value` when it loads: texts fold to one line, a date in
    quotes is the date, one code or a list of them is a tuple."""
    if key in ("mission", "mandate", "submit_to"):
        return "" if value is None else " ".join(str(value).split())
    if key in ("start", "end") and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if key in ("lead", "support"):
        codes = [value] if isinstance(value, str) else value or []
        assert isinstance(codes, list)
        return tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
    return value


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.sampled_from(HEAD_KEYS + OUTPUT_KEYS), value=VALUES)
def test_any_value_is_read_as_written_or_reported_at_its_line(
    tmp_path: Path, framework: Framework, starter: str, key: str, value: object
) -> None:
    output_id = "4.2" if key in OUTPUT_KEYS else None
    typed = yaml.safe_dump({key: value}, allow_unicode=True, width=10_000, default_flow_style=True)
    typed = typed.strip()[1:-1]  # `key: value` on one line
    index = key_index(starter, key, output_id)
    text = replaced(starter, index, ("    " if output_id else "  ") + typed)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        plan = load_plan(path, framework)
    except DataFileError as error:
        # at the key itself, or where a rule puts it: the output's entry, the plan's first key
        # (windows that do not fit) or its end (a period that ends before it starts)
        places = {index + 1, key_index(text, "mission") + 1, key_index(text, "end") + 1}
        if output_id:
            places.add(line_with(text, f"- id: '{output_id}'"))
        for problem in error.problems:
            assert problem.file == str(path)
            assert problem.line in places, (str(problem), typed)
            assert not PYDANTIC_WORDING.search(str(problem)), str(problem)
        return
    if output_id:
        setting = plan.setting(output_id)
        assert setting is not None
        held = {"lead": (setting.lead,), "support": setting.support}.get(key)
        assert (getattr(setting, key) if held is None else held) == as_read(key, value), typed
    else:
        assert getattr(plan, key) == as_read(key, value), typed
