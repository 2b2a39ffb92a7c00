"""Which file of a component is merged when it sent several: pure, no files.

The newest is told by the workbook's own saved time (docProps/core.xml, which Excel and
LibreOffice set on every save and a copy keeps), never by the file's time alone: copying
a first draft into the folder after the final gives the draft the newer file time. The
rule, for the files of one component:

1. Byte-identical files are one version (copies of one file); the copy with the newest
   file time stands for it (then the first by name), the others are superseded by it.
2. One version left: it is merged.
3. Otherwise the version with the latest saved time is merged, and the others are
   superseded, provided every version has a saved time, no other version has the same
   latest saved time, and no other version has a newer file time (equal is fine).
4. Otherwise the merge refuses to guess: none of the component's files is merged, and
   the planner is told why and to keep only one file of that component in the folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from missionplan.merge.rules import file_name


@dataclass(frozen=True)
class Version:
    """One file a component sent, with what tells its age."""

    file: str
    saved: dt.datetime | None
    """When the workbook says it was last saved (UTC); None when it does not say."""
    written_ns: int
    """The file's modification time, in nanoseconds since the epoch."""
    digest: str
    """A hash of the file's bytes: equal for copies of one file."""


@dataclass(frozen=True)
class Choice:
    """What happens to the files of one component."""

    merged: str
    """The file merged; '' when the newest cannot be told (then none is merged)."""
    why: str = ""
    """Why that file was taken ('newer saved time ...'), or why none could be; '' when
    there was nothing to choose."""
    superseded: tuple[tuple[str, str], ...] = ()
    """(file, what happened to it) for every other file, when one is merged."""


def choose_version(versions: Sequence[Version]) -> Choice:
    """Apply the module's rule to the files of one component (at least one)."""
    copies: dict[str, list[Version]] = {}
    for version in sorted(versions, key=lambda v: (-v.written_ns, v.file)):
        copies.setdefault(version.digest, []).append(version)
    standing = [group[0] for group in copies.values()]
    superseded = [
        (copy.file, f"superseded by {file_name(group[0].file)} (an identical copy of it)")
        for group in copies.values()
        for copy in group[1:]
    ]
    if len(standing) == 1:
        return Choice(standing[0].file, superseded=tuple(sorted(superseded)))
    why_not = _undecided(standing)
    if why_not:
        return Choice("", why_not)
    newest = max(standing, key=_saved_at)
    why = f"newer saved time {_saved(newest)}"
    superseded += [
        (v.file, f"superseded by {file_name(newest.file)} ({why}; this file {_saved(v)})")
        for v in standing
        if v is not newest
    ]
    return Choice(newest.file, why, tuple(sorted(superseded)))


def _undecided(standing: list[Version]) -> str:
    """Why the newest of these distinct versions cannot be told; '' when it can."""
    unsaved = [v for v in standing if v.saved is None]
    if unsaved:
        return f"{_names(unsaved)} {'has' if len(unsaved) == 1 else 'have'} no saved time"
    latest = max(_saved_at(v) for v in standing)
    newest = [v for v in standing if v.saved == latest]
    if len(newest) > 1:
        return f"{_names(newest)} have the same saved time ({time_label(latest)})"
    later = [v for v in standing if v.written_ns > newest[0].written_ns]
    if later:
        last = max(later, key=lambda v: v.written_ns)
        return (
            f"{file_name(newest[0].file)} has the newer saved time ({time_label(latest)}) but "
            f"{file_name(last.file)} the newer file time ({time_label(_from_ns(last.written_ns))})"
        )
    return ""


def time_label(moment: dt.datetime) -> str:
    """A time as a planner reads it: '2027-02-03 10:00 UTC' (seconds only when not 0)."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S UTC" if utc.second else "%Y-%m-%d %H:%M UTC")


def _saved_at(version: Version) -> dt.datetime:
    """The saved time of a version known to have one."""
    assert version.saved is not None, version.file
    return version.saved


def _saved(version: Version) -> str:
    return time_label(_saved_at(version))


def _from_ns(ns: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ns / 1e9, dt.UTC)


def _names(versions: list[Version]) -> str:
    names = sorted(file_name(v.file) for v in versions)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
