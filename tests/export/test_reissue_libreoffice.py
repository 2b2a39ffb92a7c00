"""A re-issued workbook re-saved by LibreOffice Calc still validates with zero findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from missionplan.export.run import reissue_plan
from missionplan.planning.framework import Framework
from missionplan.validate.run import validate_file
from missionplan.workbook.reader import read_submission
from tests.export.reissued import first_round
from tests.validate.test_libreoffice import resave

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow, pytest.mark.usefixtures("soffice")]


def test_a_resaved_reissued_workbook_validates_clean(framework: Framework, tmp_path: Path) -> None:
    (tmp_path / "round1").mkdir()
    round1 = first_round(framework, tmp_path / "round1")
    done = reissue_plan(round1.returns.plan_file, round1.merged, tmp_path / "round2")
    for path in done.paths:  # the lead's, and the supporter's with the lead's values shown
        again = resave(path, tmp_path / "profile", tmp_path / "resaved")
        report, _ = validate_file(again, round1.returns.plan)
        assert not report.unreadable and report.findings == (), path.name
        assert read_submission(again).issued == read_submission(path).issued
