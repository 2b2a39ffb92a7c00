"""Every register test runs on SQLite and on PostgreSQL (`db`): one code path, both checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.register.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A register URL with nothing in it yet: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    return fresh_database()
