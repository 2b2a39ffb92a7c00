"""French titles in a framework file (title_fr): read, used in French, never in the fingerprint."""

from __future__ import annotations

from pathlib import Path

import yaml

from missionplan.planning.framework import framework_from_data, load_framework, title_of
from missionplan.schema.language import speaking

TEMPLATES = Path(__file__).resolve().parents[2] / "missionplan" / "templates"


def _builtin_data() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((TEMPLATES / "considerations.yaml").read_text(encoding="utf-8"))


def test_the_builtin_framework_has_a_french_title_for_every_objective_and_output() -> None:
    framework = load_framework()
    entries = [framework, *framework.objectives, *framework.outputs]
    assert len(entries) == 1 + 4 + 25
    assert all(e.title_fr and e.title_fr != e.title for e in entries)
    assert title_of(framework.objectives[0], "fr") == "Faciliter et appuyer le processus politique"
    assert title_of(framework.objectives[0], "en") == framework.objectives[0].title
    with speaking("fr"):
        assert title_of(framework.outputs[0]) == "Pays hôte associé et relations encouragées"


def test_a_framework_without_french_titles_shows_its_english_ones_in_french() -> None:
    data = _builtin_data()
    for objective in data["objectives"]:
        objective.pop("title_fr")
        for output in objective["outputs"]:
            output.pop("title_fr")
    data["framework"].pop("title_fr")
    plain = framework_from_data(data, "plain.yaml", TEMPLATES)
    assert all(title_of(o, "fr") == o.title for o in (*plain.objectives, *plain.outputs))
    # translations are presentation: the plans and workbooks made from it stay the same
    assert plain.fingerprint == load_framework().fingerprint


def test_a_changed_english_title_changes_the_fingerprint_a_french_one_does_not() -> None:
    data = _builtin_data()
    data["objectives"][0]["title_fr"] = "Un autre titre"
    assert framework_from_data(data, "fr.yaml", TEMPLATES).fingerprint == (
        load_framework().fingerprint
    )
    data["objectives"][0]["title"] = "Another title"
    assert framework_from_data(data, "en.yaml", TEMPLATES).fingerprint != (
        load_framework().fingerprint
    )


def test_a_french_title_must_be_text(tmp_path: Path) -> None:
    data = _builtin_data()
    data["objectives"][0]["outputs"][0]["title_fr"] = ["not", "text"]
    try:
        framework_from_data(data, "bad.yaml", TEMPLATES)
    except Exception as error:  # the file check's own error, whatever its class
        assert "title_fr" in str(error), error
    else:
        raise AssertionError("a list as title_fr was accepted")
