"""The merged plan's own sheets are never read as planning sheets, in any language."""

from __future__ import annotations

from missionplan.schema.language import FRENCH, translate
from missionplan.workbook.metadata import MERGED_PLAN_SHEETS
from missionplan.workbook.reader import NOT_PLANNING_SHEETS


def test_summary_conflicts_and_gaps_are_skipped_in_english_and_french() -> None:
    assert {"Summary", "Conflicts", "Gaps", "Instructions"} <= NOT_PLANNING_SHEETS
    french = {translate(name, FRENCH) for name in MERGED_PLAN_SHEETS}
    assert french == {"Synthèse", "Conflits", "Lacunes"}
    assert french <= NOT_PLANNING_SHEETS
