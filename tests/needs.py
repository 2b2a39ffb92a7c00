"""What a test may need that the machine may lack: skip without it, but fail on CI.

A green CI run (CI=true) must never hide a whole group of tests that did not run, so on
CI a missing tool, service or reference file is a failure; elsewhere the test skips with
the reason printed (`-rs`).
"""

from __future__ import annotations

import os

import pytest

CI_VALUES = ("true", "1", "yes")
"""The values of CI that mean "this is a CI run" (CI systems set CI=true)."""


def on_ci() -> bool:
    """Whether the tests run on CI: the CI environment variable says so."""
    return os.environ.get("CI", "").strip().lower() in CI_VALUES


def require(tool: str, found: bool, how_to_install: str) -> None:
    """Go on when the tool a test needs is `found`; otherwise skip, or fail on CI.

    tool names what is missing ("LibreOffice (soffice)"), how_to_install says how to get it.
    """
    if found:
        return
    reason = f"{tool} is not available: {how_to_install}"
    if on_ci():
        pytest.fail(f"{reason} (CI=true: a missing tool fails instead of skipping)", pytrace=False)
    pytest.skip(reason)
