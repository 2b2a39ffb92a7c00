"""`missionplan demo`: the whole cycle on the built-in framework, for a first look."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from missionplan.terminal.options import LangOption, force_option, out_option, spoken
from missionplan.terminal.output import say

DEMO_FOLDER = Path("demo-output")


def demo(
    out: Annotated[Path, out_option("Folder for the demo's files.", folder=True)] = DEMO_FOLDER,
    force: Annotated[bool, force_option("Replace the folder's contents.")] = False,
    lang: LangOption = None,
) -> None:
    """Run the whole cycle on the built-in framework: plan, export, submissions, validate, merge.

    \b
    Examples:
      missionplan demo
      missionplan demo --out /tmp/demo --force
      missionplan demo --out /tmp/demo-fr --lang fr
    """
    from missionplan.demo.run import run_demo

    run_demo(out, force, say, spoken(lang))
