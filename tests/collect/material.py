"""Workbooks to collect, made from the validation kit: valid, invalid, distinct copies."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from tests.validate.kit import Kit, plan_text


def variant(source: Path, target: Path, mark: str) -> Path:
    """A copy with other bytes but the same sheets (a zip comment): a distinct re-send."""
    shutil.copyfile(source, target)
    with zipfile.ZipFile(target, "a") as archive:
        archive.comment = mark.encode()
    return target


def invalid(k: Kit, target: Path) -> Path:
    """The unfilled template: every required value missing, so errors to fix."""
    shutil.copyfile(k.template, target)
    return target


def plan_copy(k: Kit, folder: Path, extra: str = "", mission: str | None = None) -> Path:
    """The kit's plan in another folder (its own register), with extra lines under `plan:`."""
    text = plan_text(mission)
    if extra:
        text = text.replace("plan:\n", "plan:\n" + extra, 1)
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path
