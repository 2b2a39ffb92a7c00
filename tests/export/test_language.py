"""`--lang` and the plan's `language:`: which language export writes, and that `_meta` says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.schema.contract import COLUMNS, header
from missionplan.workbook.metadata import MetadataError, meta_from_pairs
from tests.cli_helpers import run_main
from tests.validate.kit import COMPONENT, SHEET_3, plan_text


def _workbook(tmp_path: Path, *options: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "books"
    tmp_path.mkdir()
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(), encoding="utf-8")
    code, _, stderr = run_main(
        "export", str(plan_file), "-o", str(out), "-c", COMPONENT, "--force", *options
    )
    assert code == 0, stderr
    (path,) = out.glob(f"*{COMPONENT}*.xlsx")
    return load_workbook(path)


def test_french_workbooks_name_objectives_and_outputs_by_the_frameworks_french_titles(
    tmp_path: Path,
) -> None:
    english, french = _workbook(tmp_path / "en"), _workbook(tmp_path / "fr", "--lang", "fr")
    assert SHEET_3 in english.sheetnames
    assert "3 Faciliter et appuyer le" in french.sheetnames and SHEET_3 not in french.sheetnames
    bands = [
        str(value) for row in french["3 Faciliter et appuyer le"].iter_rows(values_only=True)
        for value in row if str(value).startswith("3.1 ")
    ]  # fmt: skip
    assert bands and bands[0].startswith("3.1 Pays hôte associé et relations encouragées."), bands
    instructions = " ".join(
        str(v) for row in french.worksheets[0].iter_rows(values_only=True) for v in row if v
    )
    assert "Considérations pour la direction des missions" in instructions


def _export(tmp_path: Path, plan: str, *options: str) -> tuple[str, list[object]]:
    """The `_meta` language and the headers of an objective sheet of the UNPOL workbook."""
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan, encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_main(
        "export", str(plan_file), "-o", str(out), "-c", COMPONENT, "--force", *options
    )
    assert code == 0, stderr
    (path,) = out.glob(f"*{COMPONENT}*.xlsx")
    wb = load_workbook(path)
    pairs = {k: v for k, v in wb["_meta"].iter_rows(values_only=True)}
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("3 "))  # named in French too
    headers = [c.value for c in sheet[1]][: len(COLUMNS)]
    return str(pairs["language"]), headers


def _french(plan: str) -> str:
    return plan.replace("  # language: fr ", "  language: fr ")


ENGLISH_HEADERS = [header(c, "en") for c in COLUMNS]
FRENCH_HEADERS = [header(c, "fr") for c in COLUMNS]


def test_the_headers_differ_between_the_languages() -> None:
    assert ENGLISH_HEADERS != FRENCH_HEADERS


def test_export_writes_english_by_default(tmp_path: Path) -> None:
    assert _export(tmp_path, plan_text()) == ("en", ENGLISH_HEADERS)


def test_lang_fr_writes_french_workbooks(tmp_path: Path) -> None:
    assert _export(tmp_path, plan_text(), "--lang", "fr") == ("fr", FRENCH_HEADERS)


def test_the_plans_language_is_used_and_lang_overrides_it(tmp_path: Path) -> None:
    french = _french(plan_text())
    assert french != plan_text()
    assert _export(tmp_path, french) == ("fr", FRENCH_HEADERS)
    assert _export(tmp_path, french, "--lang", "en") == ("en", ENGLISH_HEADERS)


def test_an_unknown_lang_is_a_usage_error(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(), encoding="utf-8")
    code, _, stderr = run_main("export", str(plan_file), "-o", str(tmp_path), "--lang", "de")
    assert code == 2
    assert "unknown language 'de'; use one of en, fr" in stderr
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_workbook_written_before_the_language_key_reads_as_english(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(), encoding="utf-8")
    run_main("export", str(plan_file), "-o", str(tmp_path / "out"), "-c", COMPONENT)
    (path,) = (tmp_path / "out").glob("*.xlsx")
    pairs = {k: v for k, v in load_workbook(path)["_meta"].iter_rows(values_only=True)}
    assert meta_from_pairs({**pairs, "language": "fr"}).language == "fr"
    del pairs["language"]
    assert meta_from_pairs(pairs).language == "en"
    with pytest.raises(MetadataError, match="unknown language 'de'"):
        meta_from_pairs({**pairs, "language": "de"})
