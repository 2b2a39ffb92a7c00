"""French review workbooks (issue 15): written in French, read in either language.

The same answers typed into the English and the French review workbook, each the way its
focal point writes them ('off track' or 'hors trajectoire', 'March 31, 2027' or '31 mars 2027',
'1,500.50' or '1 500,50'), give the same findings at the same cells and the same typed items;
the messages follow the language spoken, not the workbook's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from missionplan.schema.language import FRENCH, LANGUAGES, speaking
from missionplan.schema.review import (
    BY_NAME,
    REVIEW_SHEETS,
    choice_key,
    choice_label,
    column_header,
    column_help,
    header_spellings,
    loose_choice_key,
    sheet_of_title,
    sheet_title,
)
from missionplan.validate.review import check_review
from missionplan.validate.run import validate_file
from missionplan.workbook.review import read_review
from tests.cli_helpers import run_main
from tests.reviews import Answers, ReviewKit, build_review_kit, good_answers
from tests.validate.kit import Kit
from tests.validate.test_libreoffice import profile, resave  # noqa: F401 (a fixture)

A, B, R = "Activities", "Benchmarks", "Risks"
CHOICE_COLUMNS = [(s, c) for s in REVIEW_SHEETS for c in s.columns if c.choices]


@pytest.fixture(scope="module")
def rk_fr(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> ReviewKit:
    """The review kit's workbook exported in French (as `export --review --lang fr` does)."""
    return build_review_kit(k, tmp_path_factory.mktemp("review-kit-fr"), FRENCH)


def in_french(answers: Answers) -> dict[tuple[str, str], dict[str, object]]:
    """The answers as a French focal point picks them: every choice by its French label."""
    french: dict[tuple[str, str], dict[str, object]] = {}
    for (sheet, item_id), values in answers.items():
        columns = {c.key: c for c in BY_NAME[sheet].columns}
        french[(sheet, item_id)] = {
            key: choice_label(columns[key], value, FRENCH)
            if isinstance(value, str) and value in columns[key].choices
            else value
            for key, value in values.items()
        }
    return french


def mistakes(rk: ReviewKit, french: bool) -> Answers:
    """The same mistakes, typed in each language's way."""
    activity, benchmark, risk = rk.ids(A)[0], rk.ids(B)[0], rk.ids(R)[0]
    return {
        (A, activity): {
            "status": "retardé" if french else "delayed",  # no reason: delay-without-reason
            "reason": None,
            "percent": "1 500,50" if french else "1,500.50",  # read as text, not whole
            "actual_start": "31 mars 2027" if french else "March 31, 2027",
        },
        (B, benchmark): {"assessment": "hors trajectoire" if french else "off track"},
        (R, risk): {
            "mitigation_state": "En  Cours" if french else "Under  Way",  # read loosely
            "materialised": "peut-être" if french else "maybe",  # not in the list
        },
    }


def filled(rk: ReviewKit, french: bool, target: Path) -> Path:
    answers = good_answers(rk)
    for place, values in mistakes(rk, french).items():
        answers[place] = {**answers.get(place, {}), **values}
    return rk.answer(in_french(answers) if french else answers, target)


def findings(path: Path) -> set[tuple[str, str, str]]:
    """(code, English sheet name, cell) of every finding: comparable across languages."""
    report, _ = validate_file(path)
    assert not report.unreadable, report.unreadable
    named = {(f.code, sheet_of_title(f.sheet), f.cell) for f in report.findings}
    return {(code, sheet.name if sheet else "?", cell) for code, sheet, cell in named}


def test_a_french_review_workbook_speaks_french(rk_fr: ReviewKit) -> None:
    wb = load_workbook(rk_fr.workbook)
    assert wb.sheetnames[:4] == ["Instructions", "Activités", "Jalons", "Risques"]
    instructions = [str(c.value) for c in wb["Instructions"]["A"] if c.value]
    assert instructions[0].startswith("Revue trimestrielle 2027-Q2 : ")
    assert any(
        line.startswith("Période couverte : 2027-Q2 (du 2027-04-01") for line in instructions
    )
    assert "Comment le remplir" in instructions
    for sheet in REVIEW_SHEETS:
        ws = wb[sheet_title(sheet, FRENCH)]
        assert [c.value for c in ws[1]] == [column_header(c, FRENCH) for c in sheet.columns]
        prompts = {v.promptTitle: v.prompt for v in ws.data_validations.dataValidation}
        for c in sheet.columns:
            assert prompts[column_header(c, FRENCH)[:32]] == column_help(c, FRENCH)[:255]
    assert wb["Activités"]["D1"].value == "Début prévu"
    assert wb["Jalons"]["I1"].value == "Évaluation"
    lists = {str(c.value) for column in wb["_lists"].iter_cols() for c in column if c.value}
    assert {"en bonne voie", "hors trajectoire", "non évalué", "en cours", "oui", "non"} <= lists
    assert not {"on track", "off track", "under way", "yes"} & lists
    statuses = {wb["Activités"].cell(r, 6).value for r in range(2, wb["Activités"].max_row + 1)}
    assert statuses - {None} <= {"prévu", "en cours", "achevé", "retardé", "annulé"}
    meta = dict(wb["_meta"].iter_rows(values_only=True))
    assert meta["language"] == "fr" and meta["kind"] == "review"


def test_good_french_answers_are_valid(rk_fr: ReviewKit, tmp_path: Path) -> None:
    path = rk_fr.answer(in_french(good_answers(rk_fr)), tmp_path / "good.xlsx")
    assert findings(path) == set()
    _, items = check_review(read_review(path))
    assert {i.value("assessment") for i in items if i.item_type == "benchmark"} == {"on track"}
    assert {i.value("mitigation_state") for i in items if i.item_type == "risk"} == {"under way"}


def test_the_same_answers_give_the_same_findings_in_either_language(
    rk: ReviewKit, rk_fr: ReviewKit, tmp_path: Path
) -> None:
    english = filled(rk, False, tmp_path / "en.xlsx")
    french = filled(rk_fr, True, tmp_path / "fr.xlsx")
    found = findings(english)
    assert findings(french) == found
    activity = rk.ids(A)[0]
    assert {
        ("delay-without-reason", A, rk.cell(A, activity, "reason")),
        ("number-typed-as-text", A, rk.cell(A, activity, "percent")),
        ("date-typed-as-text", A, rk.cell(A, activity, "actual_start")),
        ("assessment-without-note", B, rk.cell(B, rk.ids(B)[0], "note")),
        ("choice-spelling", R, rk.cell(R, rk.ids(R)[0], "mitigation_state")),
        ("choice-not-allowed", R, rk.cell(R, rk.ids(R)[0], "materialised")),
    } <= found
    typed = {i.item_id: i.values for i in check_review(read_review(english))[1]}
    assert {i.item_id: i.values for i in check_review(read_review(french))[1]} == typed
    assert dict(typed[activity])["actual_start"] == dt.date(2027, 3, 31)
    assert dict(typed[activity])["status"] == "delayed"


def test_the_messages_follow_the_language_spoken_not_the_workbooks(
    rk: ReviewKit, rk_fr: ReviewKit, tmp_path: Path
) -> None:
    french = filled(rk_fr, True, tmp_path / "fr.xlsx")
    english = filled(rk, False, tmp_path / "en.xlsx")
    for path in (french, english):
        with speaking("en"):
            said = {f.code: f.message for f in validate_file(path)[0].findings}
        assert "say why in Reason for delay or cancellation" in said["delay-without-reason"]
        assert "is delayed:" in said["delay-without-reason"]
        assert "(yes, no)" in said["choice-not-allowed"]
        with speaking(FRENCH):
            dit = {f.code: f.message for f in validate_file(path)[0].findings}
        assert "dans Motif du retard ou de l'annulation" in dit["delay-without-reason"]
        assert "'retardé'" in dit["delay-without-reason"]
        assert "'hors trajectoire'" in dit["assessment-without-note"]
        assert "(oui, non)" in dit["choice-not-allowed"]
    report, _ = validate_file(french, own_language=True)  # validate without --lang or --plan
    assert any("Motif du retard" in f.message for f in report.findings)
    assert {f.sheet for f in report.findings} <= {"Activités", "Jalons", "Risques"}


def test_an_english_label_in_a_french_workbook_reads_as_its_key(
    rk_fr: ReviewKit, tmp_path: Path
) -> None:
    answers = good_answers(rk_fr)  # the English labels, typed into the French workbook
    path = rk_fr.answer(answers, tmp_path / "mixed.xlsx")
    assert findings(path) == set()


def test_a_renamed_french_sheet_is_named_as_it_was_sent(rk_fr: ReviewKit, tmp_path: Path) -> None:
    wb = load_workbook(rk_fr.workbook)
    wb["Jalons"].title = "Mes jalons"
    wb.save(tmp_path / "renamed.xlsx")
    report, _ = validate_file(tmp_path / "renamed.xlsx")
    missing = [f for f in report.findings if f.code == "missing-sheet"]
    assert [(f.sheet, f.cell) for f in missing] == [("Jalons", "A1")]
    assert "(Jalons)" in missing[0].message


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_french_review_resaved_by_libreoffice_validates_the_same(
    rk: ReviewKit,
    rk_fr: ReviewKit,
    tmp_path: Path,
    soffice: str,
    profile: Path,  # noqa: F811
) -> None:
    french = filled(rk_fr, True, tmp_path / "fr.xlsx")
    again = resave(french, profile, tmp_path / "resaved")
    assert findings(again) == findings(french) == findings(filled(rk, False, tmp_path / "en.xlsx"))
    good = rk_fr.answer(in_french(good_answers(rk_fr)), tmp_path / "good.xlsx")
    assert findings(resave(good, profile, tmp_path / "resaved-good")) == set()


# --- the vocabulary, without files ---------------------------------------------------------------


@given(st.sampled_from(CHOICE_COLUMNS), st.data())
def test_every_label_reads_back_as_its_key_in_any_case(pair: tuple, data: st.DataObject) -> None:
    _, column = pair
    choice = data.draw(st.sampled_from(column.choices))
    for language in LANGUAGES:
        label = choice_label(column, choice, language)
        assert choice_key(column, label) == choice
        assert loose_choice_key(column, f"  {label.upper()} ") == choice
    assert choice_key(column, "no such choice") is None


def test_headers_and_sheet_names_are_told_apart_in_every_language() -> None:
    """A reader finds each column by any spelling of its header: no two columns of a sheet
    share one, and every sheet name in every language is that sheet's."""
    for sheet in REVIEW_SHEETS:
        spellings = [s.casefold() for c in sheet.columns for s in header_spellings(c)]
        columns = [c.key for c in sheet.columns for _ in header_spellings(c)]
        assert len(set(zip(spellings, columns, strict=True))) == len(set(spellings)), sheet.name
        for language in LANGUAGES:
            assert sheet_of_title(sheet_title(sheet, language)) is sheet
    assert sheet_of_title("Instructions") is None


def test_a_french_annotated_copy_marks_the_cells_of_the_french_sheets(
    rk_fr: ReviewKit, tmp_path: Path
) -> None:
    path = filled(rk_fr, True, tmp_path / "in" / "r.xlsx")
    code, _, stderr = run_main("validate", str(path), "--annotate", str(tmp_path / "out"))
    assert code == 1, stderr
    copy = load_workbook(tmp_path / "out" / "r.xlsx")
    assert copy.sheetnames[0] == "Constats"  # the workbook's own language: French
    comment = copy["Activités"][rk_fr.cell(A, rk_fr.ids(A)[0], "reason")].comment
    assert comment is not None and "Motif du retard" in comment.text
