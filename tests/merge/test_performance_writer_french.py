"""The performance report in French (issue 15): French review workbooks merged with --lang fr.

The lights are the same as the English report's for the same answers; sheet names, titles,
headers, the rule, the lights' and the choices' words are French; ids and codes are not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.merge.reviews import merge_reviews
from missionplan.schema.language import FRENCH, speaking
from missionplan.schema.review import Period
from tests.cli_helpers import run_main
from tests.reviews import ReviewKit, build_review_kit, good_answers
from tests.validate.kit import Kit
from tests.validate.test_review_french import in_french


@pytest.fixture(scope="module")
def rk_fr(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> ReviewKit:
    return build_review_kit(k, tmp_path_factory.mktemp("review-kit-fr"), FRENCH)


def _answers(rk: ReviewKit) -> dict[tuple[str, str], dict[str, object]]:
    """A quarter with something on every list: delayed, off track, a risk risen and happened."""
    answers = good_answers(rk)
    first, second = rk.ids("Activities")[:2]
    answers[("Activities", first)].update(status="delayed", reason="Routes coupées.")
    answers[("Activities", second)].update(status="completed", percent=100,
                                           actual_end=dt.datetime(2027, 3, 30))  # fmt: skip
    answers[("Benchmarks", rk.ids("Benchmarks")[0])].update(assessment="off track", note="Gel.")
    answers[("Risks", rk.ids("Risks")[0])].update(likelihood=5, impact=5, materialised="yes",
                                                  mitigation_state="not effective")  # fmt: skip
    return answers


def test_french_reviews_merge_to_a_french_report_with_the_same_lights(
    rk: ReviewKit, rk_fr: ReviewKit, tmp_path: Path
) -> None:
    english = rk.answer(_answers(rk), tmp_path / "en" / "UNPOL.xlsx")
    french = rk_fr.answer(in_french(_answers(rk_fr)), tmp_path / "fr" / "UNPOL.xlsx")
    report_en = merge_reviews([english], tmp_path / "en.xlsx", rk.kit.plan_file).report
    with speaking(FRENCH):
        report_fr = merge_reviews([french], tmp_path / "fr.xlsx", rk.kit.plan_file).report
    lights = [(o.id, o.light, o.counts) for o in (*report_en.objectives, *report_en.outputs)]
    assert [
        (o.id, o.light, o.counts) for o in (*report_fr.objectives, *report_fr.outputs)
    ] == lights
    assert report_fr.activities == report_en.activities  # stored by key in either language
    wb = load_workbook(tmp_path / "fr.xlsx")
    assert wb.sheetnames == ["Voyants", "Activités", "Jalons", "Risques", "Comptes rendus"]
    sheet = wb["Voyants"]
    assert str(sheet["A1"].value).startswith("Rapport de performance 2027-Q2 (du 2027-04-01 au ")
    assert str(sheet["A3"].value).startswith("La règle : Chaque jalon et chaque activité")
    words = {"green": "vert", "amber": "orange", "red": "rouge", "grey": "gris"}
    shown = {
        row[0]: row[2] for row in sheet.iter_rows(values_only=True) if row[0] in ("4.5", "5.5")
    }
    assert shown == {o.id: words[o.light] for o in report_en.outputs}
    assert [c.value for c in sheet[6]] == [
        "Identifiant", "Titre", "Voyant", "Vert", "Orange", "Rouge", "Sans signal"
    ]  # fmt: skip
    activities = list(wb["Activités"].iter_rows(values_only=True))
    assert str(activities[0][0]).startswith("Activités en retard (fin prévue avant le 2027-06-30")
    delayed = next(row for row in activities if row[0] == rk.ids("Activities")[0])
    assert "retardé" in delayed and "oui" in delayed  # its status, and Delayed: yes
    assert any("hors trajectoire" in row for row in wb["Jalons"].iter_rows(values_only=True))
    risks = list(wb["Risques"].iter_rows(values_only=True))
    assert any("inefficace" in row for row in risks)
    assert ("UNPOL", "oui") in list(wb["Comptes rendus"].iter_rows(values_only=True))
    every = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    for english_word in ("delayed", "off track", "not effective", "Objectives", "The rule"):
        assert english_word not in every


def test_an_english_report_of_french_reviews_and_the_french_trend(
    rk_fr: ReviewKit, tmp_path: Path
) -> None:
    """merge speaks --lang, whatever the workbooks' language; the trend sheet too."""
    q2 = rk_fr.answer(in_french(_answers(rk_fr)), tmp_path / "q2" / "UNPOL.xlsx")
    code, _, stderr = run_main(
        "export", str(rk_fr.kit.plan_file), "--from", str(rk_fr.merged), "--review", "2027-Q3",
        "--previous", str(q2), "-o", str(tmp_path / "q3-out"), "--lang", "fr",
    )  # fmt: skip
    assert code == 0, stderr
    (issued,) = (tmp_path / "q3-out").glob("*.xlsx")
    wb = load_workbook(issued)
    bench = rk_fr.ids("Benchmarks")[0]
    cell = rk_fr.cell("Benchmarks", bench, "assessment")
    assert wb["Jalons"][cell].value == "hors trajectoire"  # Q2's answer, pre-filled in French
    wb["Jalons"][cell].value = "en bonne voie"
    q3 = tmp_path / "q3" / "UNPOL.xlsx"
    q3.parent.mkdir()
    wb.save(q3)
    code, said, stderr = run_main("merge", str(q3), str(q2), "-p", str(rk_fr.kit.plan_file),
                                    "-o", str(tmp_path / "en.xlsx"), "--lang", "en")  # fmt: skip
    assert code == 0, stderr
    assert "2027-Q3" in said
    assert load_workbook(tmp_path / "en.xlsx").sheetnames[:2] == ["Lights", "Trend"]
    with speaking(FRENCH):
        done = merge_reviews([q3, q2], tmp_path / "fr.xlsx", rk_fr.kit.plan_file)
    assert done.report.period == Period(2027, 3)
    trend = load_workbook(tmp_path / "fr.xlsx")["Tendance"]
    row = next(r for r in trend.iter_rows(values_only=True) if r[0] == bench)
    assert str(row[2]).startswith("hors trajectoire") and str(row[3]).startswith("en bonne voie")
