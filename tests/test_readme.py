"""The README documents what the tool does: every finding code, column and command."""

from __future__ import annotations

from pathlib import Path

from missionplan.cli import app
from missionplan.schema.contract import COLUMNS
from missionplan.schema.findings import CATALOGUE

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    head = README[: README.index("## ")]
    assert "make demo" in head
    assert "make test" in head
    assert head.index("make demo") < head.index("make test")


def test_every_finding_code_is_documented() -> None:
    missing = [code for code in CATALOGUE if f"`{code}`" not in README]
    assert not missing


def test_every_contract_column_is_documented() -> None:
    missing = [c.key for c in COLUMNS if f"`{c.key}`" not in README]
    assert not missing


def test_every_command_is_documented() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    missing = [name for name in names if f"missionplan {name}" not in README]
    assert not missing


def _table_rows(first_header: str) -> list[list[str]]:
    """The rows of the README table whose header row starts with `| first_header |`."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_finding_code_table_says_what_the_catalogue_says() -> None:
    """Each code's severity, group and meaning in the README are the catalogue's, in order."""
    documented = [(code.strip("`"), severity, group, meaning) for code, severity, group, meaning
                  in _table_rows("code")]  # fmt: skip
    catalogue = [(t.code, t.severity, t.group, t.title) for t in CATALOGUE.values()]
    assert documented == catalogue
    assert len(documented) == 45


def test_the_catalog_json_has_the_documented_shape() -> None:
    """README: {"framework": {id, title, edition, source, fingerprint}, "objectives": [...],
    "components": [{code, name, kind}], "totals": {...}}."""
    from missionplan.planning.catalog import catalog_json
    from missionplan.planning.framework import load_framework

    data = catalog_json(load_framework())
    assert list(data) == ["framework", "objectives", "components", "totals"]
    assert set(data["framework"]) == {"id", "title", "edition", "source", "fingerprint"}
    objective = data["objectives"][0]
    assert {"id", "title", "ref", "summary", "preconditions", "benchmarks", "notes",
            "outputs"} <= set(objective)  # fmt: skip
    output = objective["outputs"][0]
    assert {"id", "title", "ref", "description", "activities", "benchmarks", "risks",
            "considerations", "resources", "lead", "support", "notes"} <= set(output)  # fmt: skip
    assert set(output["activities"][0]) == {"id", "text", "ref"}
    assert set(output["benchmarks"][0]) == {"id", "term", "text", "ref"}
    assert all(set(c) == {"code", "name", "kind"} for c in data["components"])
    assert len(data["components"]) == 32
    assert data["totals"]["outputs"] == 25


def test_the_printed_page_the_readme_shows_is_there_and_small() -> None:
    """README, On screen and on paper: one printed page of the merged plan, kept small."""
    picture = Path(__file__).parent.parent / "docs" / "merged-plan-page.png"
    assert "](docs/merged-plan-page.png)" in README
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size < 300_000


def test_the_report_screenshot_the_readme_shows_is_there_and_small() -> None:
    """README, Review pack: the top of the demo's report (benchmarks/bench_report.py)."""
    picture = Path(__file__).parent.parent / "docs" / "report.png"
    assert "](docs/report.png)" in README
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size < 300_000
