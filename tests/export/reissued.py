"""A first round for the re-issue tests: the two-component plan of tests/merge/returns.py,
filled in (the lead every framework row of 4.5, the supporter one item of its own), merged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from missionplan.demo.samples import item_values
from missionplan.merge.run import merge_files
from missionplan.planning.framework import Framework
from tests.merge.returns import ACTIVITY_DATES, SUPPORTER, Returns, make_returns

OWN_ITEM = "4.5-JCS-01"


@dataclass(frozen=True)
class FirstRound:
    returns: Returns
    merged: Path
    returned: list[Path]


def first_round(framework: Framework, root: Path) -> FirstRound:
    returns = make_returns(framework, root)
    lead = returns.fill("UNPOL", returns.lead_values, root / "returned" / "UNPOL.xlsx")
    own = item_values("activity", SUPPORTER, returns.plan, text="Train prison staff",
                      dates=ACTIVITY_DATES)  # fmt: skip
    values = {OWN_ITEM: {"item_type": "activity", "text": "Train prison staff", **own}}
    supporter = returns.fill(SUPPORTER, values, root / "returned" / "JCS.xlsx")
    merged = root / "mission-plan.xlsx"
    merge_files([lead, supporter], framework, merged, returns.plan)
    return FirstRound(returns, merged, [lead, supporter])
