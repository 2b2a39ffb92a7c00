"""The id grammar, written and parsed here only.

Objective `3`; output `3.1`; framework items `3.1-A1`, `3.1-BS1` / `-BM1` / `-BL1` (short,
medium, long benchmarks), `3.1-R1`, `3.1-C1`; objective-level items `3-P1`, `3-BS1`.
A component's own items carry its code: `3.1-PAD-01` (a code may hold hyphens, e.g.
`3.1-DSRSG-RCHC-01`). Export gives out the first numbers on prepared rows; a row a component
inserts gets the next free number from validation (`next_added_ids`). Component codes, plan
ids and the master workbook's code are here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

OBJECTIVE_ID = re.compile(r"\d+")
OUTPUT_ID = re.compile(r"\d+\.\d+")
ITEM_ID_CHARACTERS = re.compile(r"[A-Za-z0-9.\-_]{1,40}")
"""What a framework file may use in an id."""
FRAMEWORK_ITEM_ID = re.compile(r"\d+\.\d+-(A|BS|BM|BL|R|C)\d+")
ADDED_ITEM_ID = re.compile(r"(\d+\.\d+)-([A-Z][A-Z0-9-]*)-(\d+)")
ANY_ITEM_ID = re.compile(r"\d+\.\d+-[A-Za-z0-9-]+")
COMPONENT_CODE = re.compile(r"^[A-Z][A-Z0-9-]{0,15}$")
PLAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
ID_LIST_SEPARATORS = re.compile(r"[,;\s]+")
"""How ids are separated in a cell that lists several ('Depends on')."""

ADDED_REF = "added"
"""The Source of a row a component adds (framework rows carry their section)."""
MASTER_CODE = "PLAN"
"""The component code of the planning unit's master workbook and of the merged plan."""


def objective_of(output_id: str) -> str:
    """The objective an output (or output-level item id) belongs to: 3.1 -> 3."""
    return output_id.split(".")[0]


def output_of(item_id: str) -> str:
    """The output an item id belongs to: 3.1-A2 -> 3.1."""
    return item_id.split("-")[0]


def added_item_id(output_id: str, code: str, number: int) -> str:
    """The id of the n-th row a component adds under an output, e.g. 3.1-PAD-01."""
    return f"{output_id}-{code}-{number:02d}"


def added_by(item_id: str) -> str:
    """The component code in an added item's id (3.1-PAD-01 -> PAD), or ''."""
    match = ADDED_ITEM_ID.fullmatch(item_id)
    return match.group(2) if match else ""


def is_added_id_of(item_id: str, output_id: str, code: str) -> bool:
    """Whether an id is one the component may give an item it adds under this output.

    Only the form export and validation write counts (3.1-PAD-09, not 3.1-PAD-9 or
    3.1-PAD-009), so that one number never stands for two items.
    """
    match = ADDED_ITEM_ID.fullmatch(item_id)
    if match is None or (match.group(1), match.group(2)) != (output_id, code):
        return False
    number = int(match.group(3))
    return number > 0 and added_item_id(output_id, code, number) == item_id


def next_added_ids(code: str, outputs: Sequence[str], taken: Iterable[str]) -> tuple[str, ...]:
    """Ids for rows a component added without one: one per row, given each row's output.

    Each output's numbers go on after the highest number the component already has under
    it among the ids taken (prepared rows included), in the order of the rows; so the
    same workbook always gets the same ids, and no id is taken twice. The component's code
    in each id keeps it apart from every other component's.
    """
    highest: dict[str, int] = {}
    for item_id in taken:
        match = ADDED_ITEM_ID.fullmatch(item_id)
        if match and match.group(2) == code:
            output, number = match.group(1), int(match.group(3))
            highest[output] = max(highest.get(output, 0), number)
    given = []
    for output in outputs:
        highest[output] = highest.get(output, 0) + 1
        given.append(added_item_id(output, code, highest[output]))
    return tuple(given)


def is_framework_item_id(value: str) -> bool:
    return FRAMEWORK_ITEM_ID.fullmatch(value) is not None


def looks_like_item_id(value: str) -> bool:
    """Whether a text has the shape of an item id of an output (framework or added)."""
    return ANY_ITEM_ID.fullmatch(value) is not None


def listed_ids(value: object) -> list[str]:
    """The ids listed in a cell such as 'Depends on' ('3.1-A1, 3.1-PAD-02')."""
    return [v for v in ID_LIST_SEPARATORS.split(str(value or "")) if v]
