"""A re-issue told in French (issue 15): what moved and what was not carried, and why.

The report's lines and the Instructions' notes are in the language spoken; the JSON keeps the
changes' codes ('out of scope', 'new'), which are the same in every language.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from missionplan.export.carried import output_changes
from missionplan.planning.framework import Framework
from missionplan.schema.language import FRENCH, speaking
from missionplan.workbook.metadata import INSTRUCTIONS_SHEET
from tests.cli_helpers import run_main
from tests.export.reissued import OWN_ITEM, FirstRound, first_round

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def round1(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> FirstRound:
    return first_round(framework, tmp_path_factory.mktemp("round1-fr"))


def changed_plan(round1: FirstRound, folder: Path) -> Path:
    """The plan with its supporter dropped from 4.5, a new output 5.2, then 4.5 out of scope."""
    data = yaml.safe_load(round1.returns.plan_file.read_text(encoding="utf-8"))
    data["plan"]["id"] = "returns-test-fr"
    data["outputs"][0]["in_scope"] = False
    data["outputs"].append({"id": "5.2", "in_scope": True, "lead": "JCS", "support": []})
    plan = folder / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return plan


def test_the_reissue_report_is_french(round1: FirstRound, tmp_path: Path) -> None:
    plan = changed_plan(round1, tmp_path)
    out = tmp_path / "tour2"
    code, stdout, stderr = run_main("export", str(plan), "--from", str(round1.merged), "-o",
                                    str(out), "--lang", "fr")  # fmt: skip
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert any(line.startswith("tour 2, réémis à partir de ") for line in lines), stdout
    assert "produit 4.5 : hors du champ" in lines
    assert "produit 5.2 : nouveau (chef de file JCS)" in lines
    left = [line for line in lines if " non repris : " in line]
    assert any(line.startswith(f"{OWN_ITEM} non repris : le produit 4.5") for line in left)
    assert all("n'est pas dans le champ du plan returns-test-fr" in line for line in left)
    for english in ("not carried", "re-issued from", "out of scope", "is not in scope"):
        assert english not in stdout
    workbook = next(out.glob("*JCS*.xlsx"))
    notes = " ".join(
        str(c.value) for c in openpyxl.load_workbook(workbook)[INSTRUCTIONS_SHEET]["B"] if c.value
    )
    assert "5.2 (chef de file JCS)" in notes
    code, stdout, _ = run_main("export", str(plan), "--from", str(round1.merged), "-o",
                               str(tmp_path / "json"), "--lang", "fr", "-f", "json")  # fmt: skip
    document = json.loads(stdout)
    assert {c["change"] for c in document["reissue"]["outputs"]} == {"out of scope", "new"}


def test_an_output_change_is_described_in_the_language_spoken(round1: FirstRound) -> None:
    plan = round1.returns.plan
    before = {s.id: "HOM" for s in plan.in_scope}
    with speaking(FRENCH):
        changes = output_changes(before, plan)
    assert {c.change for c in changes} == {"new lead"}  # a code, in every language
    assert all(c.detail.startswith("HOM -> ") for c in changes)
    assert output_changes({}, plan)[0].detail.startswith("lead ")
    with speaking(FRENCH):
        assert output_changes({}, plan)[0].detail.startswith("chef de file ")
