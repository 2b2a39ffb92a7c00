"""Issue 15's core check: the same plan in French and in English reads, validates and merges
to the same result; only the words differ."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.export.run import export_workbooks
from missionplan.merge.run import merge_files
from missionplan.planning.framework import load_framework
from missionplan.schema.contract import BY_KEY, COLUMNS, TRANSLATED_CHOICES, choice_label, header
from missionplan.schema.findings import CATALOGUE
from missionplan.schema.language import Language, speaking, translate
from missionplan.validate.report import Report
from missionplan.validate.run import validate_file
from tests.cli_helpers import run_main
from tests.validate.kit import COMPONENT, LED, SHEET_4, Kit, Values, check, filled


def _with_mistakes(k: Kit) -> Values:
    """The kit's full values with one mistake of each common kind, on known rows."""
    values = {item_id: dict(cells) for item_id, cells in k.full_values.items()}
    first, second, third = (a.item_id for a in k.items(LED[0], "activity")[:3])
    values[first]["budget"] = "beaucoup"  # not a number in either language
    values[second]["priority"] = None  # a required value left out
    values[third]["end"] = values[third]["start"]
    values[third]["start"] = "2026-01-01"  # before the plan starts
    values[third]["funding"] = "a grant we hope for"  # not one of the choices
    return values


def _as_shown(values: Values, language: Language) -> Values:
    """The values as a person picks them in a workbook of that language (choice labels)."""

    def shown(key: str, value: object) -> object:
        column = BY_KEY[key]
        if key in TRANSLATED_CHOICES and isinstance(value, str) and value in column.allowed():
            return choice_label(column, value, language)
        return value

    return {
        item_id: {key: shown(key, value) for key, value in cells.items()}
        for item_id, cells in values.items()
    }


@pytest.fixture(scope="module")
def pair(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> dict[Language, Path]:
    """The kit's UNPOL workbook exported in each language and filled with the same values."""
    folder = tmp_path_factory.mktemp("languages")
    values = _with_mistakes(k)
    framework = load_framework()
    books: dict[Language, Path] = {}
    for language in ("en", "fr"):
        with speaking(language):
            (template,) = export_workbooks(
                framework, k.plan, folder / language, [COMPONENT], force=True
            )
        books[language] = filled(template, folder, f"{language}.xlsx", _as_shown(values, language))
    return books


def _places(report: Report) -> list[tuple[str, str, str]]:
    """Each finding's code, objective and cell (a French sheet is named in French: '4 Instaurer
    un environnement' is the English '4 Creating a Secure and Stable')."""
    return sorted((f.code, f.sheet.split(" ", 1)[0], f.cell) for f in report.findings)


def test_the_french_workbook_shows_french_labels(pair: dict[Language, Path]) -> None:
    assert _as_shown({"x": {"priority": "high"}}, "fr") == {"x": {"priority": "haute"}}
    assert pair["en"].read_bytes() != pair["fr"].read_bytes()


def test_french_and_english_give_the_same_findings_at_the_same_cells(
    pair: dict[Language, Path],
) -> None:
    english, french = check(pair["en"]), check(pair["fr"])
    assert _places(english) == _places(french)
    found = {code for code, _, _ in _places(english)}
    expected = {"invalid-number", "required-value-missing", "choice-not-allowed"}
    assert expected | {"date-outside-period"} <= found, found
    with speaking("fr"):
        spoken = check(pair["fr"])
    assert _places(spoken) == _places(french)


def test_choice_keys_are_read_as_in_a_french_workbook(
    k: Kit, pair: dict[Language, Path], tmp_path: Path
) -> None:
    keys = filled(pair["fr"], tmp_path, "keys.xlsx", _with_mistakes(k))
    assert _places(check(keys)) == _places(check(pair["fr"]))


def test_french_and_english_merge_to_the_same_values(
    k: Kit, pair: dict[Language, Path], tmp_path: Path
) -> None:
    framework = load_framework()
    merged = {
        language: merge_files(
            [path], framework, tmp_path / f"merged-{language}.xlsx", k.plan, include_invalid=True
        ).merged
        for language, path in pair.items()
    }
    values = {
        language: {item.item_id: item.values for item in plan.items}
        for language, plan in merged.items()
    }
    assert values["en"] == values["fr"]
    assert set(k.full_values) <= set(values["en"])
    # choices are stored by key whatever the workbook showed ('haute' is merged as 'high')
    item = next(
        i for i in merged["fr"].items if i.item_id == k.items(LED[0], "activity")[0].item_id
    )
    assert item.value("priority") == k.full_values[item.item_id]["priority"]


def test_validate_lang_fr_prints_french_messages_with_the_same_codes(
    pair: dict[Language, Path], tmp_path: Path
) -> None:
    _, english, _ = run_main("validate", str(pair["fr"]), "--lang", "en")
    code, french, stderr = run_main(
        "validate", str(pair["fr"]), "--lang", "fr", "--annotate", str(tmp_path)
    )
    assert code == 1, stderr
    assert "Budget (USD) must be a number" in english
    assert "Budget (USD) doit être un nombre" in french
    assert "must be a number" not in french
    codes = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")
    assert {c for c in codes.findall(english) if c in CATALOGUE} == {
        c for c in codes.findall(french) if c in CATALOGUE
    }
    wb = load_workbook(tmp_path / pair["fr"].name)
    assert wb.sheetnames[0] == "Constats"
    headers = [c.value for c in wb["Constats"][1]][:8]
    assert headers[:2] == ["Gravité", "Code"] and headers[-1] == "Que faire"
    severities = {wb["Constats"].cell(row, 1).value for row in range(2, wb["Constats"].max_row + 1)}
    assert severities == {"erreur", "avertissement"}


def test_validate_speaks_the_plans_language_unless_told_otherwise(
    k: Kit, pair: dict[Language, Path], tmp_path: Path
) -> None:
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(
        k.plan_file.read_text(encoding="utf-8").replace("  # language: fr ", "  language: fr "),
        encoding="utf-8",
    )
    _, french, _ = run_main("validate", str(pair["en"]), "--plan", str(plan_file))
    assert "doit être un nombre" in french
    _, english, _ = run_main("validate", str(pair["en"]), "-p", str(plan_file), "--lang", "en")
    assert "must be a number" in english


def test_merge_lang_fr_reports_and_writes_the_same_plan(
    pair: dict[Language, Path], tmp_path: Path
) -> None:
    outs = {}
    for language in ("en", "fr"):
        outs[language] = tmp_path / f"{language}.xlsx"
        code, _, stderr = run_main(
            "merge", str(pair["fr"]), "-o", str(outs[language]), "--include-invalid",
            "--lang", language,
        )  # fmt: skip
        assert code == 0, stderr
    for language, path in outs.items():
        wb = load_workbook(path)
        sheet = next(ws for ws in wb.worksheets if ws.title.startswith("4 "))
        assert sheet.title == {"en": SHEET_4, "fr": "4 Instaurer un environnement"}[language]
        headers = [c.value for c in sheet[1]][: len(COLUMNS)]
        assert headers == [header(c, language) for c in COLUMNS]
        assert dict(wb["_meta"].iter_rows(values_only=True))["language"] == language


def test_validate_lang_fr_frames_the_findings_in_french(pair: dict[Language, Path]) -> None:
    _, english, _ = run_main("validate", str(pair["fr"]), "--lang", "en")
    _, french, _ = run_main("validate", str(pair["fr"]), "--lang", "fr")
    assert re.search(r"^INVALID fr\.xlsx \(UNPOL, plan \w+\): \d+ errors, \d+ warnings?$",
                     english, re.M), english  # fmt: skip
    verdict = r"^NON VALIDE fr\.xlsx \(UNPOL, plan \w+\) : \d+ erreurs, \d+ avertissements?$"
    assert re.search(verdict, french, re.M), french
    assert "  Feuille '" in french and "    erreur " in french and "trouvé : beaucoup" in french
    for english_word in ("INVALID", "Sheet '", "found:", " error ", "[Priority]", " rows)"):
        assert english_word not in french, english_word
    assert "[Priorité]" in french
    _, both, _ = run_main("validate", str(pair["fr"]), str(pair["en"]), "--lang", "fr")
    assert re.search(r"^2 fichiers : valides 0, non valides 2, illisibles 0 ; \d+ erreurs, "
                     r"\d+ avertissements? en tout$", both, re.M), both  # fmt: skip


def test_french_messages_name_item_types_help_and_choices_in_french(
    pair: dict[Language, Path],
) -> None:
    with speaking("fr"):
        report, _ = validate_file(pair["en"])  # not check(): it keeps the English report
    messages = {f.code: f.message for f in report.findings}
    missing = messages["required-value-missing"]
    assert "chaque activité en a besoin" in missing, missing
    assert translate(BY_KEY["priority"].help, "fr") in missing
    assert BY_KEY["priority"].help not in missing
    funding = messages["choice-not-allowed"]
    labels = [choice_label(BY_KEY["funding"], c, "fr") for c in BY_KEY["funding"].allowed()]
    assert all(label in funding for label in labels), funding
    assert "assessed budget" not in funding


def test_the_merged_plan_of_a_french_run_has_french_summary_conflicts_and_gaps(
    pair: dict[Language, Path], tmp_path: Path
) -> None:
    sheets = {}
    for language in ("en", "fr"):
        out = tmp_path / f"{language}.xlsx"
        code, report, stderr = run_main(
            "merge", str(pair["fr"]), "-o", str(out), "--include-invalid", "--lang", language
        )
        assert code == 0, stderr
        sheets[language] = load_workbook(out)
    assert {"Summary", "Conflicts", "Gaps"} <= set(sheets["en"].sheetnames)
    french = sheets["fr"]
    assert {"Synthèse", "Conflits", "Lacunes"} <= set(french.sheetnames)
    assert not {"Summary", "Conflicts", "Gaps"} & set(french.sheetnames)
    assert [c.value for c in french["Lacunes"][1]] == [
        "Type", "Produit", "Composante", "Identifiant", "Ce qui manque"
    ]  # fmt: skip
    assert [c.value for c in french["Conflits"][1]][:3] == ["Type", "Identifiant", "Colonne"]
    summary = [row for row in french["Synthèse"].iter_rows(values_only=True) if row[0]]
    assert str(summary[0][0]).startswith("Plan de mission fusionné : ")
    titles = [str(row[0]) for row in summary]
    assert "Éléments par objectif" in titles and "Items per objective" not in titles
    budget = next(row for row in summary if row[0] == "Objectif" and "Total" in row)
    assert "source non indiquée" in budget and "assessed budget" not in budget
    english_rows = sum(1 for r in sheets["en"]["Gaps"].iter_rows() if r[0].value)
    assert sum(1 for r in french["Lacunes"].iter_rows() if r[0].value) == english_rows
    kinds = {r[0].value for r in french["Lacunes"].iter_rows(min_row=2)}
    assert kinds == {r[0].value for r in sheets["en"]["Gaps"].iter_rows(min_row=2)}  # codes
    assert "fusionné" in report or "écrit" in report


def test_validate_without_lang_or_plan_speaks_each_workbooks_own_language(
    pair: dict[Language, Path], tmp_path: Path
) -> None:
    code, both, stderr = run_main(
        "validate", str(pair["fr"]), str(pair["en"]), "--details", "--annotate", str(tmp_path)
    )
    assert code == 1, stderr
    french, english = both.split("\nNON VALIDE ", 1)  # fr.xlsx in full, then en.xlsx
    assert "doit être un nombre" in french and "must be a number" not in french
    assert "must be a number" in english and "doit être un nombre" not in english
    assert re.search(r"^NON VALIDE fr\.xlsx .* : \d+ erreurs", both, re.M), both
    assert re.search(r"^INVALID en\.xlsx .*: \d+ errors", both, re.M), both
    assert re.search(r"^2 files: 0 valid, 2 invalid", both, re.M), both  # the command's words
    assert load_workbook(tmp_path / "fr.xlsx").sheetnames[0] == "Constats"
    assert load_workbook(tmp_path / "en.xlsx").sheetnames[0] == "Findings"
    _, told, _ = run_main("validate", str(pair["fr"]), "--lang", "en")
    assert "must be a number" in told and "doit être" not in told
