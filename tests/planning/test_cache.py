"""The built-in framework's cache: the framework its YAML gives, never a stale or broken one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from missionplan.planning import cache
from missionplan.planning.cache import cache_folder, cache_key, cached_framework
from missionplan.planning.framework import Framework, _read_builtin_framework, load_framework


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MISSIONPLAN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_cached_framework_is_the_framework_read_from_its_yaml(folder: Path) -> None:
    first = load_framework()
    kept = list(folder.glob("framework-*.pickle"))
    assert len(kept) == 1
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    second = load_framework()
    assert first == second == _read_builtin_framework()
    assert second.fingerprint == first.fingerprint


def test_a_cached_framework_is_read_from_the_cache(folder: Path) -> None:
    load_framework()
    calls: list[int] = []

    def read() -> Framework:
        calls.append(1)
        return _read_builtin_framework()

    sources = cache.builtin_sources(("considerations.yaml", "components.yaml"))
    cached_framework(sources, read)
    assert calls == []


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", pickle.dumps({"id": "x"}), pickle.dumps(Framework)[:20]]
)
def test_a_broken_cache_file_is_read_again_and_replaced(folder: Path, content: bytes) -> None:
    load_framework()
    (kept,) = folder.glob("framework-*.pickle")
    kept.write_bytes(content)
    assert load_framework() == _read_builtin_framework()
    assert isinstance(pickle.loads(kept.read_bytes()), Framework)


def test_a_cache_path_that_is_a_file_is_no_error(folder: Path) -> None:
    folder.write_text("in the way")
    assert load_framework() == _read_builtin_framework()


def test_the_key_changes_with_any_source_byte() -> None:
    assert cache_key((b"a", b"b")) != cache_key((b"a", b"c"))
    assert cache_key((b"ab",)) != cache_key((b"a", b"b"))
    assert cache_key((b"a",)) == cache_key((b"a",))


def test_where_the_cache_is() -> None:
    assert cache_folder({"MISSIONPLAN_CACHE": "/x"}) == Path("/x")
    assert cache_folder({"XDG_CACHE_HOME": "/y"}) == Path("/y/missionplan")
    assert cache_folder({}) == Path.home() / ".cache" / "missionplan"
