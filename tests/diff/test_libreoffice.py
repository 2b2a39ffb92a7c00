"""A workbook re-saved by LibreOffice Calc is no change: every part is rewritten, no value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_main
from tests.validate.kit import Kit, filled
from tests.validate.test_libreoffice import resave

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow, pytest.mark.usefixtures("soffice")]


def test_a_libreoffice_resave_is_no_change(k: Kit, tmp_path: Path) -> None:
    source = filled(k.full, tmp_path, "UNPOL.xlsx", {"5.5-A3": {"comments": "see annex"}})
    again = resave(source, tmp_path / "profile", tmp_path / "resaved")
    code, out, _ = run_main("diff", str(source), str(again), "-f", "json")
    assert code == 0, out
    assert json.loads(out)["changes"] == []
