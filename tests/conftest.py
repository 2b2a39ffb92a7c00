"""Fixtures the test folders share: the built-in framework, the validation kit, LibreOffice.

Tests that need a tool the machine may lack go through `tests.needs.require`: they skip
with the reason printed, except on CI (`CI=true`), where they fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from missionplan.planning.framework import Framework, load_framework
from tests.needs import require
from tests.reviews import ReviewKit, build_review_kit
from tests.validate.kit import Kit, build_kit


def pytest_configure(config: pytest.Config) -> None:
    """The tests, and the commands they start, keep the framework cache in a folder of
    their own, never in the user's (planning/cache.py)."""
    os.environ["MISSIONPLAN_CACHE"] = tempfile.mkdtemp(prefix="missionplan-cache-")


@pytest.fixture(scope="session")
def framework() -> Framework:
    """The built-in Considerations framework."""
    return load_framework()


@pytest.fixture(scope="session")
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """The validation kit: a small plan, the UNPOL workbook, and a fully filled copy."""
    return build_kit(tmp_path_factory.mktemp("validation-kit"))


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice binary, for the round-trip tests (skips without it; fails on CI)."""
    found = shutil.which("soffice")
    require(
        "LibreOffice (soffice)",
        found is not None,
        "install libreoffice-calc (scripts/ensure-libreoffice.sh) to run the round-trip tests",
    )
    assert found is not None
    return found


@pytest.fixture(scope="session")
def poppler() -> None:
    """pdftotext and pdftocairo, to read back what LibreOffice printed (skips without them)."""
    found = all(shutil.which(tool) for tool in ("pdftotext", "pdftocairo"))
    require(
        "poppler-utils (pdftotext, pdftocairo)",
        found,
        "install poppler-utils (scripts/ensure-libreoffice.sh) to run the print tests",
    )


@pytest.fixture(scope="session")
def rk(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> ReviewKit:
    """The review kit: the validation kit's plan merged, and UNPOL's 2027-Q2 review workbook."""
    return build_review_kit(k, tmp_path_factory.mktemp("review-kit"))
