"""The built-in framework's content, and the loader's problem reports for broken files."""

from __future__ import annotations

import copy
import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.errors import DataFileError
from missionplan.planning.framework import Framework, Output, load_framework
from missionplan.schema.contract import TERMS
from tests.needs import require
from tests.planning.builders import MINI, ROSTER_LINES, edit, line, write

# ---------------------------------------------------------------------------
# The built-in framework, pinned.
# ---------------------------------------------------------------------------

# (id, pre-conditions, short, medium, long objective benchmarks, outputs)
# Objective 4's benchmarks are all long-term: the study gives them as an untermed
# "desired end state" (see the objective's notes).
OBJECTIVE_COUNTS = [
    ("3", 3, 3, 6, 3, 5),
    ("4", 5, 0, 0, 7, 6),
    ("5", 4, 1, 3, 5, 7),
    ("6", 6, 3, 5, 3, 7),
]

# As the README states them.
TOTALS = {
    "objectives": 4,
    "outputs": 25,
    "activities": 147,
    "benchmarks": 357,
    "risks": 165,
    "considerations": 82,
}

TERM_LETTER = {"short": "S", "medium": "M", "long": "L"}
MAX_TEXT = 250


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The built-in framework file as plain YAML, before the loader normalises anything."""
    source = resources.files("missionplan.templates").joinpath("considerations.yaml")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def roster_list() -> list[str]:
    """Codes in the roster file, in file order, read without the loader."""
    source = resources.files("missionplan.templates").joinpath("components.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["components"]]


@pytest.fixture(scope="module")
def roster_codes(roster_list: list[str]) -> set[str]:
    """Codes in the roster file, read without the loader."""
    return set(roster_list)


def raw_outputs(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [output for objective in raw["objectives"] for output in objective["outputs"]]


# ---------------------------------------------------------------------------
# Every output against the study, counted by hand (the oracle is not this code).
# ---------------------------------------------------------------------------

STUDY_COUNTS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "framework_counts.tsv"
)
"""The items of each output counted by hand from the study (shared/reference/README.md)."""
STUDY_COLUMNS = {
    "activities": "n_activities",
    "short": "n_bench_short",
    "medium": "n_bench_medium",
    "long": "n_bench_long",
    "risks": "n_risks",
    "considerations": "n_considerations",
}
Counts = dict[str, int]


@dataclass(frozen=True)
class Reading:
    """A passage of the study the reference README calls ambiguous, and its readings.

    `is_reading` says whether counts (of `fields`, in that order) are one of the documented
    readings; the table and the framework must each be one. The output's notes in the
    framework file must name the `section` and say how it was read (`words`).
    """

    output: str
    fields: tuple[str, ...]
    is_reading: Callable[[tuple[int, ...]], bool]
    section: str
    words: tuple[str, ...]


def _indicative_list_read(counts: tuple[int, ...]) -> bool:
    """§5.4.2: 5/5/6 termed benchmarks, or those plus the 5-item list given terms."""
    termed = (5, 5, 6)
    added = [found - table for found, table in zip(counts, termed, strict=True)]
    return all(n >= 0 for n in added) and sum(added) in (0, 5)


READINGS = (
    # §6.6.1: the last activity is printed without a bullet.
    Reading("6.6", ("activities",), lambda c: c in ((5,), (6,)), "§6.6.1", ("without a bullet",)),
    # §5.4.2: an untermed "indicative list" of 5 benchmarks before the termed lists.
    Reading(
        "5.4",
        ("short", "medium", "long"),
        _indicative_list_read,
        "§5.4.2",
        ("indicative list", "five", "assigned a term"),
    ),
    # §5.4.6: prose tensions, 2 as titled or 6 when each tension is an item.
    Reading("5.4", ("considerations",), lambda c: c in ((2,), (6,)), "§5.4.6", ("C1", "C6")),
)
NUMBER_WORDS = {"single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@pytest.fixture(scope="module")
def study() -> dict[str, dict[str, str]]:
    """The hand count, by output id; skipped when the file is absent, but failed on CI."""
    require(
        f"the study's hand count {STUDY_COUNTS}",
        STUDY_COUNTS.is_file(),
        "a copy of shared/ belongs beside the repository",
    )
    with STUDY_COUNTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows and list(rows[0]) == ["id", "title", *STUDY_COLUMNS.values()], list(rows[0])
    return {row["id"]: row for row in rows}


def table_counts(row: dict[str, str]) -> Counts:
    return {field: int(row[column]) for field, column in STUDY_COLUMNS.items()}


def framework_counts(output: Output) -> Counts:
    return {
        "activities": len(output.activities),
        **{term: len(output.benchmarks_in(term)) for term in TERMS},
        "risks": len(output.risks),
        "considerations": len(output.considerations),
    }


def notes_of(raw: dict[str, Any], output_id: str) -> list[str]:
    """An output's notes as written in the framework file."""
    [output] = [o for o in raw_outputs(raw) if o["id"] == output_id]
    return list(output.get("notes") or [])


def test_the_outputs_are_the_studys(framework: Framework, study: dict[str, dict[str, str]]) -> None:
    assert [o.id for o in framework.outputs] == list(study)
    assert len(study) == 25
    for o in framework.outputs:
        assert o.title == study[o.id]["title"], o.id


def test_output_counts_match_the_hand_count_of_the_study(
    framework: Framework, study: dict[str, dict[str, str]], raw: dict[str, Any]
) -> None:
    """Each count is the table's, or the other documented reading of an ambiguous passage."""
    read = {(r.output, field) for r in READINGS for field in r.fields}
    for o in framework.outputs:
        table, found = table_counts(study[o.id]), framework_counts(o)
        plain = {f: n for f, n in found.items() if (o.id, f) not in read}
        assert plain == {f: table[f] for f in plain}, o.id
    for reading in READINGS:
        output = framework.output(reading.output)
        assert output is not None
        in_table = tuple(table_counts(study[reading.output])[f] for f in reading.fields)
        in_framework = tuple(framework_counts(output)[f] for f in reading.fields)
        assert reading.is_reading(in_table), (reading.section, "table", in_table)
        assert reading.is_reading(in_framework), (reading.section, "framework", in_framework)
        notes = [n for n in notes_of(raw, reading.output) if reading.section in n]
        assert notes, f"no note of output {reading.output} explains {reading.section}"
        for word in reading.words:
            assert any(word in n for n in notes), (reading.section, word, notes)


def test_the_indicative_list_of_5_4_is_documented_item_by_item(
    framework: Framework, study: dict[str, dict[str, str]], raw: dict[str, Any]
) -> None:
    """The 5 benchmarks §5.4.2 gives without a term: each term's extra ids are in the note."""
    output = framework.output("5.4")
    assert output is not None
    table = table_counts(study["5.4"])
    notes = [n for n in notes_of(raw, "5.4") if "§5.4.2" in n]
    assert len(notes) == 1, notes
    note = notes[0]
    extra = 0
    for term in TERMS:
        ids = [b.id for b in output.benchmarks_in(term)]
        beyond = ids[table[term] :]
        extra += len(beyond)
        if beyond:  # "5.4-BM6 to BM8": the first and last the list added to the term
            first, last = beyond[0].removeprefix("5.4-"), beyond[-1].removeprefix("5.4-")
            assert first in note and last in note, (term, beyond, note)
    assert extra == 5


def test_prose_considerations_count_one_item_per_titled_heading(
    framework: Framework, study: dict[str, dict[str, str]], raw: dict[str, Any]
) -> None:
    """Where a note says §N.N.6 is prose under n headings, the table and framework hold n."""
    pattern = re.compile(
        r"§(\d\.\d)\.6 (?:is prose under|has a) (\w+)"
        r" (?:titled |consideration )?(?:headings?|trade-offs|tensions)\b"
    )
    checked = []
    for o in framework.outputs:
        for note in notes_of(raw, o.id):
            match = pattern.search(note)
            if match is None:
                continue
            assert match.group(1) == o.id, note
            headings = NUMBER_WORDS[match.group(2)]
            assert (
                len(o.considerations) == headings == table_counts(study[o.id])["considerations"]
            ), (o.id, note)
            checked.append(o.id)
    assert len(checked) >= 16, checked  # most outputs' considerations are prose


def test_the_totals_are_the_study_plus_the_documented_readings(
    study: dict[str, dict[str, str]],
) -> None:
    """The README's totals: the hand count, with §5.4.2's 5 benchmarks and §5.4.6 as 6 items."""
    counts = [table_counts(row) for row in study.values()]
    total = {field: sum(c[field] for c in counts) for field in STUDY_COLUMNS}
    assert total["activities"] == TOTALS["activities"]  # §6.6.1 counted, as the table does
    assert total["short"] + total["medium"] + total["long"] + 5 == TOTALS["benchmarks"]
    assert total["risks"] == TOTALS["risks"]
    assert total["considerations"] - 2 + 6 == TOTALS["considerations"]


def test_objective_counts_are_pinned(framework: Framework) -> None:
    found = [
        (
            objective.id,
            len(objective.preconditions),
            *(sum(b.term == term for b in objective.benchmarks) for term in TERMS),
            len(objective.outputs),
        )
        for objective in framework.objectives
    ]
    assert found == OBJECTIVE_COUNTS


def test_objective_4_notes_explain_its_long_term_benchmarks(framework: Framework) -> None:
    objective = framework.objective("4")
    assert objective is not None
    assert any("long-term" in note for note in objective.notes)


def test_totals(framework: Framework) -> None:
    outputs = framework.outputs
    found = {
        "objectives": len(framework.objectives),
        "outputs": len(outputs),
        "activities": sum(len(o.activities) for o in outputs),
        "benchmarks": sum(len(o.benchmarks) for o in outputs),
        "risks": sum(len(o.risks) for o in outputs),
        "considerations": sum(len(o.considerations) for o in outputs),
    }
    assert found == TOTALS


def test_framework_head(framework: Framework) -> None:
    assert framework.id == "considerations"
    assert framework.title == "Considerations for Mission Leadership in UN Peace Operations"
    assert [o.id for o in framework.objectives] == ["3", "4", "5", "6"]


def test_every_id_is_unique(framework: Framework) -> None:
    ids: list[str] = []
    for objective in framework.objectives:
        ids.append(objective.id)
        ids += [i.id for i in objective.preconditions] + [b.id for b in objective.benchmarks]
        for o in objective.outputs:
            ids.append(o.id)
            for kind in (o.activities, o.benchmarks, o.risks, o.considerations):
                ids += [i.id for i in kind]
    twice = [item_id for item_id, count in Counter(ids).items() if count > 1]
    assert twice == []
    assert len(ids) == 4 + 18 + 39 + 25 + 147 + 357 + 165 + 82


def test_output_ids_sit_under_their_objective(framework: Framework) -> None:
    for objective in framework.objectives:
        assert re.fullmatch(r"\d", objective.id)
        for o in objective.outputs:
            assert re.fullmatch(r"\d\.\d", o.id), o.id
            assert o.id.split(".")[0] == objective.id


def _numbers(ids: list[str]) -> list[int]:
    return [int(re.search(r"(\d+)$", item_id).group(1)) for item_id in ids]  # type: ignore[union-attr]


def test_output_item_ids_follow_the_scheme(framework: Framework) -> None:
    for o in framework.outputs:
        kinds = {"A": o.activities, "R": o.risks, "C": o.considerations}
        for letter, found in kinds.items():
            ids = [i.id for i in found]
            for item_id in ids:
                assert item_id.startswith(f"{o.id}-"), item_id
                assert re.fullmatch(rf"\d\.\d-{letter}\d+", item_id), item_id
            assert _numbers(ids) == list(range(1, len(ids) + 1)), (o.id, letter, ids)
        for term in TERMS:
            ids = [b.id for b in o.benchmarks_in(term)]
            for item_id in ids:
                assert item_id.startswith(f"{o.id}-"), item_id
                assert re.fullmatch(r"\d\.\d-B[SML]\d+", item_id), item_id
                assert re.search(rf"-B{TERM_LETTER[term]}\d+$", item_id), (item_id, term)
            assert _numbers(ids) == list(range(1, len(ids) + 1)), (o.id, term, ids)


def test_objective_item_ids_follow_the_scheme(framework: Framework) -> None:
    for objective in framework.objectives:
        ids = [i.id for i in objective.preconditions]
        assert all(re.fullmatch(rf"{objective.id}-P\d+", i) for i in ids), ids
        assert _numbers(ids) == list(range(1, len(ids) + 1))
        for term in TERMS:
            ids = [b.id for b in objective.benchmarks if b.term == term]
            assert all(re.fullmatch(rf"{objective.id}-B{TERM_LETTER[term]}\d+", i) for i in ids)
            assert _numbers(ids) == list(range(1, len(ids) + 1)), (objective.id, term, ids)


def test_benchmarks_are_listed_short_then_medium_then_long(framework: Framework) -> None:
    for o in framework.outputs:
        order = [TERMS.index(b.term) for b in o.benchmarks]
        assert order == sorted(order), o.id


def _raw_items(raw: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for objective in raw["objectives"]:
        found += objective["preconditions"] + objective["benchmarks"]
        for o in objective["outputs"]:
            found += o["activities"] + o["benchmarks"] + o["risks"] + o["considerations"]
    return found


def test_every_text_is_one_short_line(raw: dict[str, Any]) -> None:
    """Checked on the file as written: the loader would hide newlines and extra spaces."""
    found = _raw_items(raw)
    assert len(found) == 18 + 39 + 147 + 357 + 165 + 82
    for item in found:
        value = item["text"]
        assert isinstance(value, str), item["id"]
        assert value.strip(), item["id"]
        assert value == value.strip(), item["id"]
        assert "\n" not in value and "\r" not in value, item["id"]
        assert len(value) <= MAX_TEXT, (item["id"], len(value))


def test_titles_are_one_line(raw: dict[str, Any]) -> None:
    for objective in raw["objectives"]:
        for node in [objective, *objective["outputs"]]:
            assert isinstance(node["title"], str) and node["title"].strip()
            assert "\n" not in node["title"], node["id"]


def test_items_have_exactly_the_documented_keys(raw: dict[str, Any]) -> None:
    for o in raw_outputs(raw):
        for key in ("activities", "risks", "considerations"):
            for item in o[key]:
                assert set(item) == {"id", "text", "ref"}, item
                assert item["ref"].startswith(f"§{o['id']}"), item
        for item in o["benchmarks"]:
            assert set(item) == {"id", "term", "text", "ref"}, item
            assert item["term"] in TERMS, item
            assert item["ref"].startswith(f"§{o['id']}"), item


def test_lead_and_support_codes_are_in_the_roster(
    raw: dict[str, Any], roster_codes: set[str]
) -> None:
    assert {"HOM", "MLT", "FORCE", "UNPOL"} <= roster_codes
    for o in raw_outputs(raw):
        lead, support = o["lead"], o["support"]
        assert set(lead) <= roster_codes, (o["id"], set(lead) - roster_codes)
        assert set(support) <= roster_codes, (o["id"], set(support) - roster_codes)
        assert not set(lead) & set(support), o["id"]
        assert len(lead) == len(set(lead)) and len(support) == len(set(support)), o["id"]


def test_builtin_components_are_the_roster(framework: Framework, roster_codes: set[str]) -> None:
    assert {c.code for c in framework.components} == roster_codes


def test_the_default_roster_has_32_components(framework: Framework, roster_list: list[str]) -> None:
    """The README: "the default roster of 32 components in components.yaml"."""
    assert len(roster_list) == 32
    assert len(set(roster_list)) == 32, "a code is listed twice"
    assert len(framework.components) == 32


def test_every_output_is_complete(framework: Framework) -> None:
    for o in framework.outputs:
        assert o.lead, o.id
        assert o.activities, o.id
        assert o.risks, o.id
        assert o.considerations, o.id
        for term in TERMS:
            assert o.benchmarks_in(term), (o.id, term)


def test_fingerprint_is_stable(framework: Framework) -> None:
    again = load_framework()
    assert again.fingerprint == framework.fingerprint
    assert re.fullmatch(r"[0-9a-f]{12}", framework.fingerprint)


# ---------------------------------------------------------------------------
# Loader problems, on a small framework written here.
# ---------------------------------------------------------------------------


def problems(path: Path) -> list[tuple[int | None, str, str]]:
    """(line, where, message) of every problem loading path reports; fails if it loads."""
    with pytest.raises(DataFileError) as caught:
        load_framework(path)
    for problem in caught.value.problems:
        assert problem.file == str(path)
    return [(p.line, p.where, p.message) for p in caught.value.problems]


def test_mini_framework_loads(tmp_path: Path) -> None:
    framework = load_framework(write(tmp_path, MINI))
    assert framework.id == "mini"
    assert [c.code for c in framework.components] == ["HOM", "CAD", "FORCE"]
    assert [o.id for o in framework.outputs] == ["1.1", "1.2"]
    first = framework.output("1.1")
    assert first is not None
    assert [b.term for b in first.benchmarks] == ["short", "medium", "long"]
    assert first.lead == ("HOM",) and first.support == ("CAD",)
    assert first.risks[0].text == "A risk."
    objective = framework.objective("1")
    assert objective is not None
    assert [p.id for p in objective.preconditions] == ["1-P1"]


def test_mini_framework_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI.encode("utf-8"))
    assert load_framework(path).id == "mini"


def test_text_whitespace_is_folded_to_one_line(tmp_path: Path) -> None:
    source = edit(MINI, 'text: "A risk."', 'text: "  A\\n   risk.\\t "')
    framework = load_framework(write(tmp_path, source))
    output = framework.output("1.1")
    assert output is not None
    assert output.risks[0].text == "A risk."


def test_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    source = edit(MINI, '{id: "1.2-A1"', '{id: "1.1-A1"')
    first = line(MINI, '{id: "1.1-A1"')
    second = line(MINI, '{id: "1.2-A1"')
    found = problems(write(tmp_path, source))
    assert (
        second,
        "1.1-A1",
        f"id used twice (first used on line {first}); ids must be unique",
    ) in (found)
    # 1.1-A1 under output 1.2 is also in the wrong place: both are reported.
    assert any(n == second and "should start with '1.2-'" in message for n, _, message in found), (
        found
    )
    assert len(found) == 2


def test_duplicate_output_id(tmp_path: Path) -> None:
    source = edit(MINI, '- id: "1.2"', '- id: "1.1"')
    found = problems(write(tmp_path, source))
    first = line(MINI, '- id: "1.1"')
    second = line(MINI, '- id: "1.2"')
    assert any(
        n == second and w == "1.1" and f"first used on line {first}" in m for n, w, m in found
    ), found


def test_output_under_the_wrong_objective(tmp_path: Path) -> None:
    source = MINI
    for old in ('- id: "1.2"', '"1.2-A1"', '"1.2-BS1"', '"1.2-R1"'):
        source = edit(source, old, old.replace("1.2", "2.1"))
    found = problems(write(tmp_path, source))
    assert found == [
        (
            line(MINI, '- id: "1.2"'),
            "output 2.1",
            "sits under objective 1; move it to its own objective",
        )
    ]


def test_benchmark_term_soon(tmp_path: Path) -> None:
    source = edit(MINI, 'term: "medium"', 'term: "soon"')
    found = problems(write(tmp_path, source))
    assert found == [
        (
            line(MINI, '"1.1-BM1"'),
            "1.1-BM1",
            "term 'soon' is not one of: short, medium, long",
        )
    ]


def test_unknown_component_code(tmp_path: Path) -> None:
    source = edit(MINI, 'support: ["CAD"]', 'support: ["CAD", "NOPE"]')
    found = problems(write(tmp_path, source))
    assert found == [
        (
            line(MINI, '- id: "1.1"'),
            "output 1.1",
            "unknown component 'NOPE'; add it to the roster or fix the code",
        )
    ]


@pytest.mark.parametrize("empty", ['""', '"   "', "", "null"])
def test_empty_text(tmp_path: Path, empty: str) -> None:
    source = edit(MINI, 'text: "A risk."', f"text: {empty}")
    found = problems(write(tmp_path, source))
    assert found == [(line(MINI, '"1.1-R1"'), "1.1-R1", "'text' is empty; give it a text")]


def test_text_that_is_a_list(tmp_path: Path) -> None:
    source = edit(MINI, 'text: "A risk."', "text: [a, b]")
    found = problems(write(tmp_path, source))
    assert found == [(line(MINI, '"1.1-R1"'), "1.1-R1", "'text' should be a text, found list")]


def test_lead_also_in_support(tmp_path: Path) -> None:
    source = edit(MINI, 'support: ["CAD"]', 'support: ["CAD", "HOM"]')
    found = problems(write(tmp_path, source))
    assert found == [
        (
            line(MINI, '- id: "1.1"'),
            "output 1.1",
            "'HOM' is both lead and support; keep it in one list",
        )
    ]


@pytest.mark.parametrize("lead", ["lead: []", "lead:", 'lead: ""'])
def test_output_with_no_lead(tmp_path: Path, lead: str) -> None:
    source = edit(MINI, 'lead: ["FORCE"]', lead)
    found = problems(write(tmp_path, source))
    assert (
        line(MINI, '- id: "1.2"'),
        "output 1.2",
        "has no lead component; name one under 'lead'",
    ) in found


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    # An unclosed flow mapping: the parser notices at the next item.
    source = edit(MINI, 'ref: "§1.1.5"}', 'ref: "§1.1.5"')
    found = problems(write(tmp_path, source))
    assert len(found) == 1
    number, _, message = found[0]
    assert message.startswith("YAML syntax error:")
    assert number == line(MINI, '"1.1-R1"') + 1


def test_yaml_bad_indentation_names_the_line(tmp_path: Path) -> None:
    source = edit(MINI, '        title: "Second output"', '       title: "Second output"')
    found = problems(write(tmp_path, source))
    assert len(found) == 1
    number, _, message = found[0]
    assert "YAML syntax error" in message
    assert number == line(MINI, 'title: "Second output"')


def test_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "missing.yaml") == [(None, "", "file not found")]


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert problems(folder) == [(None, "", "is a folder, not a file")]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINI.replace("Mini framework", "Cadre définitif").encode("latin-1"))
    assert problems(path) == [(None, "", "is not UTF-8 text")]


def test_yaml_list_instead_of_mapping(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "- id: 1\n- id: 2\n"))
    assert (None, "framework file", "expected a mapping of keys to values") in found


def test_empty_file(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "# nothing here\n"))
    assert (None, "framework file", "expected a mapping of keys to values") in found


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    source = MINI
    source = edit(source, 'title: "Mini framework"', 'title: ""')
    source = edit(source, '{id: "1.2-A1"', '{id: "1.1-A1"')
    source = edit(source, 'term: "medium"', 'term: "soon"')
    source = edit(source, 'text: "A risk."', 'text: ""')
    source = edit(source, 'support: ["CAD"]', 'support: ["CAD", "HOM", "NOPE"]')
    source = edit(source, 'lead: ["FORCE"]', "lead: []")
    path = write(tmp_path, source)
    with pytest.raises(DataFileError) as caught:
        load_framework(path)
    found = [(p.line, p.where) for p in caught.value.problems]
    first_output = line(MINI, '- id: "1.1"')
    assert found == [
        (line(MINI, 'title: "Mini framework"'), "framework"),  # empty title, at its key
        (first_output, "output 1.1"),  # HOM in lead and support
        (first_output, "output 1.1"),  # unknown NOPE
        (line(MINI, '"1.1-BM1"'), "1.1-BM1"),  # term soon
        (line(MINI, '"1.1-R1"'), "1.1-R1"),  # empty text
        (line(MINI, '- id: "1.2"'), "output 1.2"),  # no lead
        (line(MINI, '"1.2-A1"'), "1.1-A1"),  # id used twice
        (line(MINI, '"1.2-A1"'), "1.1-A1"),  # and under the wrong output
    ]
    message = str(caught.value)
    assert message.startswith(f"8 problems in {path}:\n")
    assert len(message.splitlines()) == 9
    no_lead = line(MINI, '- id: "1.2"')
    assert f"{path}:{no_lead}: output 1.2: has no lead" in message


# --- components_file ---------------------------------------------------------

FRAMEWORK_WITH_ROSTER_FILE = edit(MINI, ROSTER_LINES, 'components_file: "roster.yaml"\n')


def test_components_file_next_to_the_framework(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, ROSTER_LINES.replace("Civil Affairs", "Civil Affairs Division"), "roster.yaml")
    path = write(folder, FRAMEWORK_WITH_ROSTER_FILE)
    monkeypatch.chdir(tmp_path)  # the roster is found next to the framework, not in the cwd
    framework = load_framework(path)
    assert [(c.code, c.name) for c in framework.components] == [
        ("HOM", "Head of Mission"),
        ("CAD", "Civil Affairs Division"),
        ("FORCE", "Military Component"),
    ]


def test_components_file_codes_are_checked(tmp_path: Path) -> None:
    write(tmp_path, ROSTER_LINES.replace("CAD", "CIV"), "roster.yaml")
    path = write(tmp_path, FRAMEWORK_WITH_ROSTER_FILE)
    found = problems(path)
    assert found == [
        (
            line(FRAMEWORK_WITH_ROSTER_FILE, '- id: "1.1"'),
            "output 1.1",
            "unknown component 'CAD'; add it to the roster or fix the code",
        )
    ]


def test_broken_components_file(tmp_path: Path) -> None:
    roster = (
        ROSTER_LINES.replace("kind: uniformed", "kind: army").replace("code: CAD", "code: cad")
        + "  - {code: HOM, name: Head again, kind: leadership}\n"
    )
    roster_path = write(tmp_path, roster, "roster.yaml")
    path = write(tmp_path, FRAMEWORK_WITH_ROSTER_FILE)
    with pytest.raises(DataFileError) as caught:
        load_framework(path)
    found = [(p.file, p.line, p.where) for p in caught.value.problems]
    name = str(roster_path)
    assert found == [
        (name, line(roster, "code: cad"), "component cad"),
        (name, line(roster, "kind: army"), "component FORCE"),
        (name, line(roster, "Head again"), "component HOM"),
    ]
    messages = [p.message for p in caught.value.problems]
    assert "a code is 1 to 16 capital letters, digits or hyphens" in messages[0]
    assert "kind 'army' is not one of" in messages[1]
    assert messages[2] == "this code is listed twice"


def test_missing_components_file(tmp_path: Path) -> None:
    path = write(tmp_path, FRAMEWORK_WITH_ROSTER_FILE)
    with pytest.raises(DataFileError) as caught:
        load_framework(path)
    assert [(p.file, p.line, p.message) for p in caught.value.problems] == [
        (str(tmp_path / "roster.yaml"), None, "file not found")
    ]


def test_empty_inline_roster(tmp_path: Path) -> None:
    source = edit(MINI, ROSTER_LINES, "components: []\n")
    found = problems(write(tmp_path, source))
    assert found == [
        (
            line(source, "components: []"),
            "framework file",
            "'components' is empty; list at least one",
        )
    ]


# ---------------------------------------------------------------------------
# Property: whatever text goes into an item, loading succeeds or reports problems.
# ---------------------------------------------------------------------------

MINI_DATA: dict[str, Any] = yaml.safe_load(MINI)
TEXT_SLOTS = [
    ("preconditions", 0),
    ("activities", 0),
    ("benchmarks", 1),
    ("risks", 0),
    ("considerations", 0),
]
YAML_NOISE = st.sampled_from(list("\"'\\:{}[],#&*!|>%@`-? \n\t\r\x85\u2028\ufeff"))
NASTY_TEXT = st.text(st.characters(codec="utf-8") | YAML_NOISE, max_size=60)


def _with_text(slot: tuple[str, int], value: str) -> dict[str, Any]:
    data = copy.deepcopy(MINI_DATA)
    key, index = slot
    objective = data["objectives"][0]
    parent = objective if key == "preconditions" else objective["outputs"][0]
    parent[key][index]["text"] = value
    return data


def _item_text(framework: Framework, slot: tuple[str, int]) -> str:
    key, index = slot
    objective = framework.objectives[0]
    parent = objective if key == "preconditions" else objective.outputs[0]
    return getattr(parent, key)[index].text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NASTY_TEXT, slot=st.sampled_from(TEXT_SLOTS))
def test_any_text_value_loads_or_reports(tmp_path: Path, value: str, slot: tuple[str, int]) -> None:
    """A text written properly as YAML: loaded folded to one line, or reported as empty."""
    path = tmp_path / "prop.yaml"
    path.write_text(yaml.safe_dump(_with_text(slot, value), allow_unicode=True), encoding="utf-8")
    try:
        framework = load_framework(path)
    except DataFileError as error:
        assert not value.split(), error.problems
        assert [p.message for p in error.problems] == ["'text' is empty; give it a text"]
    else:
        loaded = _item_text(framework, slot)
        assert loaded == " ".join(value.split())
        assert loaded and "\n" not in loaded


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NASTY_TEXT, quoted=st.booleans())
def test_any_raw_text_in_the_file_loads_or_reports(
    tmp_path: Path, value: str, quoted: bool
) -> None:
    """Text pasted into the file unescaped: never anything but a DataFileError."""
    placed = f'"{value}"' if quoted else value
    source = MINI.replace('"A risk."', placed, 1)
    path = tmp_path / "raw.yaml"
    path.write_text(source, encoding="utf-8")
    try:
        load_framework(path)
    except DataFileError as error:
        assert error.problems
        assert all(p.file == str(path) and p.message for p in error.problems)


# ---------------------------------------------------------------------------
# Hostile YAML: bad tags, deep nesting, alias bombs are problems, not crashes.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tagged", ["!!float abc", "!!int abc", "!!timestamp abc", "!!bool maybe", "!!map [1]"]
)
def test_badly_tagged_value_is_a_problem(tmp_path: Path, tagged: str) -> None:
    source = edit(MINI, 'text: "A risk."', f"text: {tagged}")
    found = problems(write(tmp_path, source))
    assert [n for n, _, _ in found] == [line(MINI, '"1.1-R1"')]


def test_deeply_nested_value_is_a_problem(tmp_path: Path) -> None:
    nested = "[" * 5000 + "]" * 5000
    source = edit(MINI, 'text: "A risk."', f"text: {nested}")
    assert problems(write(tmp_path, source))


def test_alias_bomb_in_notes_is_a_problem(tmp_path: Path) -> None:
    bomb = ['b0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"b{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 10)}]" for n in range(1, 4)]
    source = (
        "\n".join(bomb)
        + "\n"
        + edit(
            MINI,
            '    title: "First objective"\n',
            ('    title: "First objective"\n    notes: *b3\n'),
        )
    )
    with pytest.raises(DataFileError):
        load_framework(write(tmp_path, source))
