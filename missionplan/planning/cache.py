"""A cache of the built-in framework, already read and checked, in the user's cache folder.

Every command that takes a plan reads the built-in framework, 150 KB of YAML checked
whole: about a tenth of a second each time, the largest part of `status` or `catalog`.
The framework only changes with missionplan itself, so the checked result is kept in
`$MISSIONPLAN_CACHE`, else `$XDG_CACHE_HOME/missionplan`, else `~/.cache/missionplan`,
under a name made of the hash of the framework's files and of the code that reads them:
a new version or an edited file is a new name, never a stale framework. The cache is
an optimisation only: a folder that cannot be written, a file that cannot be read or
does not hold a framework, and the framework is read from its YAML as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from missionplan.planning.framework import Framework

READERS = ("cache.py", "filecheck.py", "formats.py", "framework.py", "yamlfile.py")
"""The modules whose code decides what a framework file reads as: part of the cache key."""


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the cache lives: MISSIONPLAN_CACHE, XDG_CACHE_HOME/missionplan, ~/.cache/..."""
    if environ.get("MISSIONPLAN_CACHE"):
        return Path(environ["MISSIONPLAN_CACHE"])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "missionplan"
    return Path.home() / ".cache" / "missionplan"


def cache_key(sources: tuple[bytes, ...]) -> str:
    """A hash of the framework's files and of the code that reads them."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for part in (*sources, *((here / name).read_bytes() for name in READERS)):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:32]


def cached_framework(
    sources: tuple[bytes, ...],
    read: Callable[[], Framework],
    environ: Mapping[str, str] = os.environ,
) -> Framework:
    """The framework read from the cache when it holds these sources, else read and kept."""
    from missionplan.planning.framework import Framework

    try:
        target = cache_folder(environ) / f"framework-{cache_key(sources)}.pickle"
    except (OSError, RuntimeError):  # no home folder
        return read()
    try:
        # The folder is the user's own (0700): what is in it is as trusted as their files.
        found = pickle.loads(target.read_bytes())
        if isinstance(found, Framework):
            return found
    except Exception:  # missing, unreadable, truncated, from another Python: read again
        pass
    framework = read()
    _keep(target, pickle.dumps(framework, protocol=pickle.HIGHEST_PROTOCOL))
    return framework


def _keep(target: Path, data: bytes) -> None:
    """Write the cache file atomically; any failure leaves the cache as it was."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".framework-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def builtin_sources(names: tuple[str, ...]) -> tuple[bytes, ...]:
    """The bytes of the built-in framework's files, for the cache key."""
    folder = resources.files("missionplan.templates")
    return tuple(folder.joinpath(name).read_bytes() for name in names)
