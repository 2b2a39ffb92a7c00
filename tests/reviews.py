"""Shared material for the review tests: the validation kit's plan merged, its review workbook.

The merged plan is the kit's fully filled UNPOL workbook merged alone, so every activity,
benchmark and risk of outputs 4.5 and 5.5 is UNPOL's; the review is of 2027-Q2. `answer`
fills a copy of the review workbook by sheet, item id and column key (None empties a cell).
Sheets are named by their English name whatever the workbook's language (a French kit's
'Activities' is its sheet 'Activités').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from missionplan.export.review import export_review
from missionplan.merge.run import merge_paths
from missionplan.schema.language import ENGLISH, Language, speaking
from missionplan.schema.review import BY_NAME, Period, sheet_title
from missionplan.workbook.cells import column_letter
from tests.validate.kit import Kit

PERIOD = Period(2027, 2)
Answers = Mapping[tuple[str, str], Mapping[str, object]]


@dataclass(frozen=True)
class ReviewKit:
    kit: Kit
    merged: Path
    workbook: Path
    rows: dict[tuple[str, str], int]
    """(sheet, item id) -> row number in the review workbook."""
    language: Language = ENGLISH

    def title(self, sheet: str) -> str:
        """The workbook's name of a review sheet given by its English name."""
        return sheet_title(BY_NAME[sheet], self.language)

    def ids(self, sheet: str) -> list[str]:
        return [item for name, item in self.rows if name == sheet]

    def cell(self, sheet: str, item_id: str, key: str) -> str:
        index = [c.key for c in BY_NAME[sheet].columns].index(key) + 1
        return f"{column_letter(index)}{self.rows[(sheet, item_id)]}"

    def answer(self, answers: Answers, target: Path) -> Path:
        """A copy of the review workbook with the given cells typed in."""
        wb = load_workbook(self.workbook)
        for (sheet, item_id), values in answers.items():
            for key, value in values.items():
                wb[self.title(sheet)][self.cell(sheet, item_id, key)].value = value
        target.parent.mkdir(parents=True, exist_ok=True)
        wb.save(target)
        return target


def good_answers(rk: ReviewKit) -> dict[tuple[str, str], dict[str, object]]:
    """Answers that raise no finding: every activity under way, every benchmark on track."""
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for item_id in rk.ids("Activities"):
        answers[("Activities", item_id)] = {
            "status": "ongoing", "percent": 40, "actual_start": dt.datetime(2027, 2, 1),
            "progress_note": "Under way in two regions.",
        }  # fmt: skip
    for item_id in rk.ids("Benchmarks"):
        answers[("Benchmarks", item_id)] = {
            "measured": "35%", "assessment": "on track", "evidence": "Quarterly report",
        }  # fmt: skip
    for item_id in rk.ids("Risks"):
        answers[("Risks", item_id)] = {
            "likelihood": 2, "impact": 3, "materialised": "no", "mitigation_state": "under way",
        }  # fmt: skip
    return answers


def build_review_kit(kit: Kit, folder: Path, language: Language = ENGLISH) -> ReviewKit:
    merged = folder / "mission-plan.xlsx"
    merge_paths([kit.full], merged, plan_file=kit.plan_file)
    with speaking(language):  # as `export --review ... --lang` does
        (workbook,) = export_review(kit.plan_file, merged, PERIOD.label, folder / "review").paths
    wb = load_workbook(workbook, read_only=True)
    rows: dict[tuple[str, str], int] = {}
    for name, sheet in BY_NAME.items():
        ws = wb[sheet_title(sheet, language)]
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
            if values and values[1]:
                rows[(name, str(values[1]))] = number
    wb.close()
    return ReviewKit(kit, merged, workbook, rows, language)
