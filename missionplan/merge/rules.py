"""Merge component submissions into one mission plan: pure rules, no files.

An item is identified by its id. Every item of every accepted input ends up
in the merged plan exactly once, as one row listing its sources. Copies are
compared column by column, and an empty cell says nothing: the owner's value
is kept (the output's lead for framework items, the adding component for its
own items); where the owner's copy is empty or missing, the value most copies
state; each copy stating another value is one row of the conflicts. So blanking
cells never adds a conflict between copies. Input order never changes the result.

Three-way: when a copy carries the values it was issued with (a re-issued workbook of
a later round), each of its fields is compared with what was issued. A field no copy
changed keeps the issued (consolidated) value; a field changed is taken, whoever changed
it; a field changed to different values by two copies is a conflict that shows the
issued value and both new ones, the owner's change kept. Columns the issued row does not
hold, and items no copy was issued, follow the rules above. Each item then says who last
changed it and in which round (`MergedItem.changed`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan, add_months
from missionplan.schema.contract import HIGH_RISK_RATING, INPUT_KEY_SET, INPUT_KEYS, TERMS, column
from missionplan.schema.findings import (
    CONFLICT_CHANGED_DIFFERENTLY,
    CONFLICT_DIFFERENT_VALUES,
    CONFLICT_LEAD_CLAIMED_TWICE,
    CONFLICT_MISSING_DEPENDENCY,
    GAP_BENCHMARK_WITHOUT_OWNER,
    GAP_COMPONENT_DID_NOT_SUBMIT,
    GAP_HIGH_RISK_WITHOUT_MITIGATION,
    GAP_LEAD_SUBMITTED_NOTHING,
    GAP_NEWEST_FILE_UNCLEAR,
    GAP_NO_ACTIVITY,
    GAP_NO_BENCHMARK_IN_TERM,
    ConflictKind,
    FilledMessage,
    GapKind,
)
from missionplan.schema.ids import added_by, listed_ids
from missionplan.schema.items import IssuedItem, SubmittedItem, issued_text
from missionplan.schema.text import cell_text

CONTENT_KEYS = ("item_type", "text", "term", *INPUT_KEYS)


@dataclass(frozen=True)
class Source:
    """Where a version of an item came from."""

    component: str
    file: str
    sheet: str
    row: int
    validated: bool = True

    def label(self) -> str:
        """Component, file name (no local folders) and place, for the Conflicts sheet."""
        return f"{self.component}: {file_name(self.file)} '{self.sheet}' row {self.row}"


def file_name(file: str) -> str:
    """A file's name without its folders, whichever separator they use."""
    return file.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Accepted:
    """A submission taken into the merge, with the items it holds."""

    component: str
    file: str
    items: tuple[SubmittedItem, ...]
    validated: bool = True
    issued: tuple[IssuedItem, ...] = ()
    """The rows as they were issued to this component (a re-issued workbook); else none."""
    round: int = 1
    """The round the workbook was issued for."""


@dataclass(frozen=True)
class Unchosen:
    """A component that sent several files of which none could be told the newest."""

    component: str
    files: tuple[str, ...]
    why: str
    """Why the newest cannot be told, in a planner's words (merge/versions.py)."""


@dataclass(frozen=True)
class MergedItem:
    """One row of the merged plan."""

    item_id: str
    output_id: str
    item_type: str
    added: bool
    values: tuple[tuple[str, object], ...]
    sources: tuple[Source, ...]
    owner: str
    value_sources: tuple[Source, ...] = ()
    """The sources whose values the row holds: the kept copy, and any copy whose value
    fills a cell the kept copy left empty (identical copies are among the sources only)."""
    changed: str = ""
    """Who last changed the item, and in which round ("JCS; UNPOL, round 2"); said only by
    a three-way merge (an item no one changed keeps what its issued row said)."""

    def value(self, key: str) -> object:
        return self._cells.get(key)

    @cached_property
    def _cells(self) -> dict[str, object]:
        """The values by column, made once: the writer and the gaps look up many of them
        (the first of a repeated column, as a scan of `values` finds it)."""
        return dict(reversed(self.values))

    @property
    def validated(self) -> bool:
        return all(s.validated for s in (self.value_sources or self.sources))


@dataclass(frozen=True)
class Conflict:
    """Two submissions disagree, or one refers to something missing."""

    kind: str
    """The code of its ConflictKind (schema/findings.py), as the Conflicts sheet shows it."""
    item_id: str
    column: str
    kept_value: str
    kept_source: str
    other_value: str
    other_source: str
    message: str
    issued_value: str = ""
    """The value both copies were issued with (a three-way conflict); else empty."""

    @classmethod
    def of(
        cls,
        message: FilledMessage[ConflictKind],
        item_id: str,
        column: str,
        kept: tuple[str, str],
        other: tuple[str, str] = ("", ""),
        issued: str = "",
    ) -> Conflict:
        """A conflict of the message's kind, in its words; kept and other are (value, source)."""
        return cls(message.code, item_id, column, *kept, *other, message.text, issued)


@dataclass(frozen=True)
class Gap:
    """Something the plan needs that no submission provides."""

    kind: str
    """The code of its GapKind (schema/findings.py), as the Gaps sheet shows it."""
    output_id: str
    component: str
    item_id: str
    message: str

    @classmethod
    def of(
        cls, message: FilledMessage[GapKind], output_id: str, component: str, item_id: str = ""
    ) -> Gap:
        """A gap of the message's kind, in its words."""
        return cls(message.code, output_id, component, item_id, message.text)


@dataclass(frozen=True)
class MergedPlan:
    items: tuple[MergedItem, ...]
    conflicts: tuple[Conflict, ...]
    gaps: tuple[Gap, ...]
    submitted: tuple[str, ...]
    superseded: tuple[tuple[str, str], ...] = field(default=())
    round: int = 1
    """The round merged: the latest round a three-way input was issued for, else 1."""
    three_way: bool = False
    """Whether some input carried the values it was issued with."""


def owner_of(item: SubmittedItem, plan: Plan) -> str:
    """Who owns an item: the output's lead for framework items, the adder for added items."""
    if item.added:
        return added_by(item.item_id)
    setting = plan.setting(item.output_id)
    return setting.lead if setting else ""


def merge(
    accepted: Iterable[Accepted],
    plan: Plan,
    framework_order: dict[str, int],
    unchosen: Iterable[Unchosen] = (),
) -> MergedPlan:
    """Merge submissions into one plan; the result does not depend on their order.

    Components in `unchosen` sent files none of which was merged: the gaps say why,
    instead of saying that they did not submit."""
    inputs = sorted(accepted, key=lambda a: (a.component, a.file))
    three_way = any(a.issued for a in inputs)
    merge_round = max((a.round for a in inputs if a.issued), default=1)
    versions: dict[str, list[tuple[SubmittedItem, Source]]] = {}
    issued: dict[str, dict[Source, IssuedItem]] = {}  # by item id, the row each copy was issued
    for submission in inputs:
        rows = {row.item_id: row for row in submission.issued}
        for item in submission.items:
            source = Source(
                submission.component, submission.file, item.sheet, item.row, submission.validated
            )
            versions.setdefault(item.item_id, []).append((item, source))
            if item.item_id in rows:
                issued.setdefault(item.item_id, {})[source] = rows[item.item_id]
    items: list[MergedItem] = []
    conflicts: list[Conflict] = []
    for item_id in sorted(versions):
        issued_rows = issued.get(item_id, {})
        merged, found, changers = _merge_item(item_id, versions[item_id], plan, issued_rows)
        if three_way:
            changed = _last_changed(merged, changers, issued_rows, merge_round)
            merged = replace(merged, changed=changed)
        items.append(merged)
        conflicts += found
    items.sort(key=lambda m: _item_order(m, framework_order))
    conflicts += _missing_dependencies(items)
    submitted = tuple(sorted({a.component for a in inputs}))
    gaps = find_gaps(items, plan, submitted, sorted(unchosen, key=lambda u: u.component))
    return MergedPlan(
        tuple(items),
        tuple(conflicts),
        tuple(gaps),
        submitted,
        round=merge_round,
        three_way=three_way,
    )


def _merge_item(
    item_id: str,
    found: list[tuple[SubmittedItem, Source]],
    plan: Plan,
    issued: dict[Source, IssuedItem] | None = None,
) -> tuple[MergedItem, list[Conflict], set[str]]:
    """One item from all its copies, column by column: the kept value, the conflicts, and
    the components whose changes to issued values were taken.

    An empty cell says nothing, so only two different stated values conflict: each copy
    stating another value than the kept one is one conflict row for that column. A column
    some copy was issued with is merged three-way instead (`_three_way`).
    """
    issued = issued or {}
    found = sorted(found, key=lambda version: _source_order(version[1]))
    value = _Values()
    competing = [(i, s) for i, s in found if i.editable or _has_inputs(i)] or found
    owner = owner_of(competing[0][0], plan)
    owners = [(i, s) for i, s in competing if s.component == owner]
    base_item, base_source = owners[0] if owners else competing[0]
    values = dict(base_item.values)
    item_type = base_item.item_type
    supplying = {base_source}
    outvoted: set[Source] = set()
    conflicts: list[Conflict] = []
    changers: set[str] = set()
    texts = {source: dict(row.values) for source, row in issued.items()}
    issued_keys = {key for row in texts.values() for key in row}
    # each copy's stated values (as shown, non-empty), made once: most columns none states
    stating = [(i, s, value.shown(i)) for i, s in competing]
    stated = {key for _, _, shown in stating for key in shown}
    owner_copy = next((copy for copy in stating if copy[1].component == owner), None)
    for key in CONTENT_KEYS:
        if key in issued_keys:
            three_way = _three_way(item_id, key, owner, found, texts, value)
            values[key] = three_way.value
            supplying.update(three_way.supplying)
            changers.update(s.component for s in three_way.supplying)
            outvoted.update(three_way.outvoted)
            conflicts += three_way.conflicts
            continue
        if key not in stated:
            continue  # no copy states it: the base copy's cell stays
        kept_item, kept_source, kept_shown = _kept_copy(key, owner_copy, stating)
        values[key] = value(kept_item, key)
        if key == "item_type":
            item_type = kept_item.item_type
        if kept_source is not base_source:  # in already: mostly the base copy's value is kept
            supplying.add(kept_source)
        for _, source, shown in stating:
            other_shown = shown.get(key, "")
            if other_shown and other_shown != kept_shown:
                conflicts.append(
                    _conflict(item_id, key, (kept_shown, kept_source), (other_shown, source))
                )
                outvoted.add(source)
    # the sources: the copies supplying values, and every other copy not outvoted (those
    # competing agree with the values kept, the others state nothing); a set of Sources
    # hashes each, so the copies are filtered only when some were outvoted
    copies = [s for _, s in found]
    if outvoted:
        copies = [s for s in copies if s not in outvoted]
    merged = MergedItem(
        item_id=item_id,
        output_id=base_item.output_id,
        item_type=item_type,
        added=base_item.added,
        values=tuple(values.items()),
        sources=tuple(sorted(supplying.union(copies), key=_source_order)),
        owner=owner,
        value_sources=tuple(sorted(supplying, key=_source_order)),
    )
    return merged, conflicts, changers


@dataclass(frozen=True)
class _Field:
    """One column of one item merged three-way: the value kept, and what it took."""

    value: object
    supplying: tuple[Source, ...]
    """The copies whose change was taken (none when no one changed the column)."""
    outvoted: tuple[Source, ...]
    conflicts: tuple[Conflict, ...]


def _three_way(
    item_id: str,
    key: str,
    owner: str,
    found: list[tuple[SubmittedItem, Source]],
    issued: dict[Source, dict[str, str]],
    value: _Values,
) -> _Field:
    """One column against what was issued: unchanged keeps the issued value, one new
    value is taken, two different new values conflict (the owner's change kept).

    A copy that was issued nothing (a workbook of round 1 among round 2's) says nothing
    with an empty cell, and changes what it states differently from the issued value."""
    with_row = [(i, s) for i, s in found if key in issued.get(s, {})]
    base_item, base_source = next(((i, s) for i, s in with_row if s.component == owner),
                                  with_row[0])  # fmt: skip
    base = issued[base_source][key]
    changes: list[tuple[SubmittedItem, Source, str]] = []
    unchanged: list[tuple[SubmittedItem, Source]] = []
    for item, source in found:
        text = issued_text(value(item, key))
        was = issued.get(source, {}).get(key)
        if text == (base if was is None else was) or (was is None and not text):
            unchanged.append((item, source))
        else:
            changes.append((item, source, text))
    if not changes:
        kept_item = next((i for i, s in unchanged if s.component == owner), base_item)
        return _Field(value(kept_item, key), (), (), ())
    counts = Counter(text for _, _, text in changes)
    most = max(counts.values())
    kept_item, kept_source, kept_text = next(
        (c for c in changes if c[1].component == owner),
        next(c for c in changes if counts[c[2]] == most),
    )
    taken = tuple(s for _, s, text in changes if text == kept_text)
    others = [(i, s, text) for i, s, text in changes if text != kept_text]
    conflicts = []
    header = column(key).header
    for _, source, text in others:
        was = issued[source].get(key, base) if source in issued else base
        message = CONFLICT_CHANGED_DIFFERENTLY.fill(
            column=header,
            item_id=item_id,
            issued=was or "(empty)",
            kept=kept_source.component,
            kept_value=kept_text or "(empty)",
            other=source.component,
            other_value=text or "(empty)",
        )
        conflicts.append(
            Conflict.of(
                message,
                item_id,
                header,
                kept=(kept_text, kept_source.label()),
                other=(text, source.label()),
                issued=was,
            )
        )
    return _Field(value(kept_item, key), taken, tuple(s for _, s, _ in others), tuple(conflicts))


def _last_changed(
    item: MergedItem, changers: set[str], issued: dict[Source, IssuedItem], merge_round: int
) -> str:
    """Who last changed an item, and in which round, for the merged plan's provenance.

    This round's changers whose changes were taken; the components whose values it holds
    when no copy was issued the item (it is new this round); else what its issued row said."""
    rows = [issued[s] for s in item.sources if s in issued]
    if changers or not rows:
        who = changers or {s.component for s in (item.value_sources or item.sources)}
        return f"{'; '.join(sorted(who))}, round {merge_round}"
    owned = [issued[s] for s in item.sources if s in issued and s.component == item.owner]
    return (owned or rows)[0].changed


def _kept_copy(
    key: str,
    owner_copy: tuple[SubmittedItem, Source, dict[str, str]] | None,
    stating: list[tuple[SubmittedItem, Source, dict[str, str]]],
) -> tuple[SubmittedItem, Source, str]:
    """The copy whose value of a column is kept, with that value as shown; some copy in
    `stating` (the competing copies with their shown values) states one, and `owner_copy`
    is the owner's among them, if any.

    The owner's value when its copy states one; otherwise the value most copies state,
    from the first copy (by component and file) stating it.
    """
    if owner_copy is not None:
        owner_item, owner_source, owner_shown = owner_copy
        shown = owner_shown.get(key)
        if shown:
            return owner_item, owner_source, shown
    stated = [(i, s, shown[key]) for i, s, shown in stating if key in shown]
    counts = Counter(shown for _, _, shown in stated)
    most = max(counts.values())
    return next(copy for copy in stated if counts[copy[2]] == most)


def _source_order(source: Source) -> tuple[str, str, int]:
    return (source.component, source.file, source.row)


class _Values:
    """The values of the copies of one item, by column: SubmittedItem.value without its
    scan of every column, for the many look-ups merging an item makes. A copy's columns
    are made on its first look-up: most copies are context copies, never looked up."""

    def __init__(self) -> None:
        self._cells: dict[int, dict[str, object]] = {}

    def cells(self, item: SubmittedItem) -> dict[str, object]:
        done = self._cells.get(id(item))
        if done is None:
            # reversed: the first of a repeated column wins, as in SubmittedItem.value
            done = self._cells[id(item)] = dict(reversed(item.values))
        return done

    def __call__(self, item: SubmittedItem, key: str) -> object:
        return self.cells(item).get(key)

    def shown(self, item: SubmittedItem) -> dict[str, str]:
        """The copy's content columns that state a value, as shown (`_shown`): none is empty."""
        cells = self.cells(item)
        return {
            key: text
            for key in CONTENT_KEYS
            if (value := cells.get(key)) is not None and (text := _shown(value))
        }


def _has_inputs(item: SubmittedItem) -> bool:
    """Whether a copy carries values (a context copy left untouched carries none): some
    input column's value (the first cell of the column, as `SubmittedItem.value` reads it)
    is neither None nor empty.

    A scan of its cells, its columns not made: most copies are context copies, of which
    nothing else is looked up."""
    for key, cell in item.values:
        # `is cell`: the first of its column (a later one after an empty first says nothing)
        if cell is not None and cell != "" and key in INPUT_KEY_SET and item.value(key) is cell:
            return True
    return False


def _conflict(
    item_id: str, key: str, kept: tuple[str, Source], other: tuple[str, Source]
) -> Conflict:
    """Two copies stating different values of a column; kept and other are (value as
    shown, source)."""
    header = column(key).header
    (kept_value, kept_source), (other_value, other_source) = kept, other
    lead_claims = (
        key == "lead"
        and kept_value == kept_source.component
        and other_value == other_source.component
    )
    if lead_claims:
        message = CONFLICT_LEAD_CLAIMED_TWICE.fill(
            kept=kept_source.component, other=other_source.component, item_id=item_id
        )
    else:
        message = CONFLICT_DIFFERENT_VALUES.fill(
            column=header,
            item_id=item_id,
            kept=kept_source.component,
            other=other_source.component,
        )
    return Conflict.of(
        message,
        item_id,
        header,
        kept=(kept_value, kept_source.label()),
        other=(other_value, other_source.label()),
    )


def _missing_dependencies(items: list[MergedItem]) -> list[Conflict]:
    known = {i.item_id for i in items}
    conflicts = []
    for item in items:
        for dependency in listed_ids(item.value("depends_on")):
            if dependency not in known:
                source = item.sources[0]
                message = CONFLICT_MISSING_DEPENDENCY.fill(
                    item_id=item.item_id, dependency=dependency
                )
                kept = (dependency, source.label())
                conflicts.append(Conflict.of(message, item.item_id, "Depends on", kept))
    return conflicts


def find_gaps(
    items: list[MergedItem],
    plan: Plan,
    submitted: tuple[str, ...],
    unchosen: Iterable[Unchosen] = (),
) -> list[Gap]:
    """What the plan still lacks: activities, benchmarks per term, owners, mitigations, inputs."""
    unclear = {u.component: u for u in unchosen}
    gaps: list[Gap] = []
    by_output: dict[str, list[MergedItem]] = {}
    for item in items:
        by_output.setdefault(item.output_id, []).append(item)
    for setting in plan.in_scope:
        mine = by_output.get(setting.id, [])
        activities = [i for i in mine if i.item_type == "activity" and i.value("lead")]
        if not activities:
            gaps.append(Gap.of(GAP_NO_ACTIVITY.fill(output=setting.id), setting.id, setting.lead))
        for term in TERMS:
            planned = [
                i for i in mine
                if i.item_type == "benchmark" and i.value("term") == term and i.value("owner")
            ]  # fmt: skip
            if not planned:
                missing = GAP_NO_BENCHMARK_IN_TERM.fill(output=setting.id, term=term)
                gaps.append(Gap.of(missing, setting.id, setting.lead))
        for item in mine:
            if item.item_type == "benchmark" and not item.value("owner"):
                ownerless = GAP_BENCHMARK_WITHOUT_OWNER.fill(item_id=item.item_id)
                gaps.append(Gap.of(ownerless, setting.id, item.owner, item.item_id))
            high = item.item_type == "risk" and _rating(item) >= HIGH_RISK_RATING
            if high and not item.value("mitigation"):
                unmitigated = GAP_HIGH_RISK_WITHOUT_MITIGATION.fill(
                    item_id=item.item_id, rating=_rating(item)
                )
                gaps.append(Gap.of(unmitigated, setting.id, item.owner, item.item_id))
        if setting.lead not in submitted and setting.lead not in unclear:
            silent = GAP_LEAD_SUBMITTED_NOTHING.fill(lead=setting.lead, output=setting.id)
            gaps.append(Gap.of(silent, setting.id, setting.lead))
    for component in plan.participants():
        if component.code not in submitted and component.code not in unclear:
            absent = GAP_COMPONENT_DID_NOT_SUBMIT.fill(
                component=component.code, name=component.name
            )
            gaps.append(Gap.of(absent, "", component.code))
    for code, unchosen_files in unclear.items():
        gaps.append(Gap.of(unclear_message(unchosen_files), "", code))
    return gaps


def unclear_message(unchosen: Unchosen) -> FilledMessage[GapKind]:
    """Why none of a component's files was merged, and what to do: for Gaps and the report."""
    return GAP_NEWEST_FILE_UNCLEAR.fill(
        component=unchosen.component,
        files=", ".join(file_name(f) for f in unchosen.files),
        why=unchosen.why,
    )


def _rating(item: MergedItem) -> int:
    likelihood, impact = item.value("likelihood"), item.value("impact")
    if isinstance(likelihood, int | float) and isinstance(impact, int | float):
        return int(likelihood * impact)
    return 0


def _item_order(item: MergedItem, framework_order: dict[str, int]) -> tuple[int, int, int, str]:
    """By output (framework order), framework items first in framework order, added after."""
    output_rank = framework_order.get(item.output_id, 10**6)
    if item.added:
        return (output_rank, 1, 0, item.item_id)
    return (output_rank, 0, framework_order.get(item.item_id, 10**6), item.item_id)


def _shown(value: object) -> str:
    return " ".join(cell_text(value).split())


def quarters(plan: Plan) -> list[tuple[str, dt.date, dt.date]]:
    """The quarters of the planning period, labelled 2027 Q1 (calendar quarters)."""
    result = []
    start = dt.date(plan.start.year, 3 * ((plan.start.month - 1) // 3) + 1, 1)
    while start <= plan.end:
        end = add_months(start, 3) - dt.timedelta(days=1)
        result.append((f"{start.year} Q{(start.month - 1) // 3 + 1}", start, end))
        start = add_months(start, 3)
    return result


def framework_order(framework: Framework) -> dict[str, int]:
    """Position of every output and item in the framework, for ordering the merged plan."""
    order: dict[str, int] = {}
    for output in framework.outputs:
        order[output.id] = len(order)
        for _, item in output.items_in_order():
            order[item.id] = len(order)
    return order
