"""What the review pack shows, as plain data built by pure functions (no files, no HTML).

`build_report` takes the merged plan's metadata and items, its conflicts and gaps, the
register's board, the changes since a baseline and the review's performance report, and
returns a `Report`: every number and every bar the page draws is decided here, so it is
tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import get_args

from missionplan.diff.rules import ChangeKind, natural_key
from missionplan.merge.performance import LIGHTS, Attention, Lit, Performance
from missionplan.planning.plan import term_windows
from missionplan.schema.contract import HIGH_RISK_RATING, ITEM_TYPES, STATUSES, TERMS
from missionplan.schema.ids import listed_ids, objective_of
from missionplan.schema.items import SubmittedItem
from missionplan.schema.language import FRENCH, current_language, translate
from missionplan.schema.review import ASSESSMENTS, NOT_ASSESSED
from missionplan.schema.text import cell_text
from missionplan.validate.dates import FRENCH_MONTHS
from missionplan.workbook.metadata import OutputMeta, WorkbookMeta

TOP_RISKS = 10
"""How many risks the pack lists under the heat map, highest rating first."""
TOP_ATTENTION = 10
"""How many late or delayed activities, and overdue benchmarks, the performance section lists."""
NO_STATUS = "planned"
"""An activity without a status is drawn as planned."""
assert NO_STATUS in STATUSES
NO_LIGHT = "none"
"""The count of signals that give no light (not assessed, cancelled, empty): merge/performance.py
counts them under this key."""
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)
"""What happened to an item since the baseline."""
ITEM_TYPE_PLURALS = ("activities", "benchmarks", "risks", "considerations")
"""The item types counted per objective, in ITEM_TYPES order."""
assert len(ITEM_TYPE_PLURALS) == len(ITEM_TYPES)
ROLE_LETTERS = ("L", "S")
"""A component's role in an output on the coverage grid: L leads, S supports."""
LABELS: tuple[tuple[str, str], ...] = (
    *((light, "light") for light in (*LIGHTS, NO_LIGHT)),
    *((assessment, "assessment") for assessment in ASSESSMENTS),
    *((kind, "change") for kind in CHANGE_KINDS),
    *((plural, "item types") for plural in ITEM_TYPE_PLURALS),
    *((letter, "role letter") for letter in ROLE_LETTERS),
)
"""The values the pack shows by their label in the reader's language (text, context), beyond
the contract's choices and the board's states and timeliness (collect/board.py): the
catalogue declares them (scripts/update-catalogue.py)."""


def label(value: str, context: str) -> str:
    """A value (a status, a light, a state...) as the reader's language names it; a value
    the catalogue does not know is shown as it is."""
    return translate(value, context=context) if value else value


def written(day: dt.date) -> str:
    """A day as the pack writes it: 2027-03-31 in English, 31 mars 2027 (1er avril 2027) in
    French, with the month names the date reader knows (validate/dates.py)."""
    if current_language() != FRENCH:
        return day.isoformat()
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def item_anchor(item_id: str) -> str:
    """The HTML id of an item's row in the pack's item list: what gaps and conflicts link to."""
    return f"item-{item_id}"


def output_anchor(output_id: str) -> str:
    """The HTML id of an output's first row in the item list."""
    return f"output-{output_id}"


@dataclass(frozen=True)
class Item:
    """One item of the merged plan, with the values the pack reads."""

    item_id: str
    output_id: str
    item_type: str
    text: str
    lead: str = ""
    owner: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    depends_on: tuple[str, ...] = ()
    term: str = ""
    target_date: dt.date | None = None
    likelihood: int | None = None
    impact: int | None = None
    mitigation: str = ""

    @property
    def responsible(self) -> str:
        """Who answers for it: an activity's lead, a benchmark's or a risk's owner."""
        return self.lead or self.owner

    @property
    def rating(self) -> int:
        return (self.likelihood or 0) * (self.impact or 0)

    @property
    def anchor(self) -> str:
        return item_anchor(self.item_id)


def item_of(submitted: SubmittedItem) -> Item:
    """The pack's view of one typed workbook item."""

    def text(key: str) -> str:
        return " ".join(cell_text(submitted.value(key)).split())

    def day(key: str) -> dt.date | None:
        value = submitted.value(key)
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None

    def whole(key: str) -> int | None:
        value = submitted.value(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return int(value)

    return Item(
        item_id=submitted.item_id,
        output_id=submitted.output_id,
        item_type=submitted.item_type,
        text=text("text"),
        lead=text("lead"),
        owner=text("owner"),
        status=text("status"),
        start=day("start"),
        end=day("end"),
        depends_on=tuple(listed_ids(submitted.value("depends_on"))),
        term=text("term"),
        target_date=day("target_date"),
        likelihood=whole("likelihood"),
        impact=whole("impact"),
        mitigation=text("mitigation"),
    )


@dataclass(frozen=True)
class Issue:
    """A conflict or a gap of the merged plan, as its sheet lists it."""

    kind: str
    item_id: str
    output_id: str
    component: str
    message: str

    @property
    def anchor(self) -> str:
        """Where the link goes: the item, else its output, else nowhere ("")."""
        if self.item_id:
            return item_anchor(self.item_id)
        return output_anchor(self.output_id) if self.output_id else ""


@dataclass(frozen=True)
class BoardLine:
    """One expected component on the register's board."""

    component: str
    state: str
    timeliness: str
    versions: int
    errors: int | None


@dataclass(frozen=True)
class Change:
    """One item changed since the baseline: added, removed or changed (which columns)."""

    item_id: str
    output_id: str
    kind: str
    detail: str

    @property
    def anchor(self) -> str:
        return "" if self.kind == "removed" else item_anchor(self.item_id)


@dataclass(frozen=True)
class ObjectiveCount:
    objective: str
    counts: tuple[int, ...]
    """Items per type, in ITEM_TYPES order."""


@dataclass(frozen=True)
class Headline:
    mission: str
    mandate: str
    plan_id: str
    start: dt.date
    end: dt.date
    round: int
    today: dt.date
    objectives: tuple[ObjectiveCount, ...]
    errors: int
    conflicts: int
    gaps: int

    @property
    def items(self) -> int:
        return sum(sum(o.counts) for o in self.objectives)


@dataclass(frozen=True)
class CoverageCell:
    """One output x component: L lead, S support, or nothing; and the items it answers for."""

    role: str
    items: int


@dataclass(frozen=True)
class Coverage:
    components: tuple[str, ...]
    rows: tuple[tuple[str, tuple[CoverageCell, ...]], ...]
    """(output id, one cell per component)."""


@dataclass(frozen=True)
class Bar:
    """One activity on the timeline."""

    item: Item
    start: dt.date
    end: dt.date
    status: str
    critical: bool


@dataclass(frozen=True)
class Link:
    """A dependency drawn on the timeline: `before` must end before `after` starts."""

    before: str
    after: str
    critical: bool
    across: bool
    """The two activities are led by different components."""


@dataclass(frozen=True)
class Milestone:
    """A benchmark's target date on its output's lane, and the chain of activities to it."""

    item: Item
    day: dt.date
    chain: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    term: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    today: dt.date
    windows: tuple[Window, ...]
    lanes: tuple[tuple[str, tuple[Bar, ...]], ...]
    """(output id, its activities by start), outputs in the plan's order."""
    links: tuple[Link, ...]
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class Risks:
    counts: tuple[tuple[int, ...], ...]
    """counts[likelihood - 1][impact - 1]."""
    top: tuple[Item, ...]


@dataclass(frozen=True)
class Flagged:
    """An activity or benchmark the review flags, with why in words and where it links."""

    item_id: str
    output_id: str
    component: str
    why: str
    anchor: str
    """The item's row in the pack ("" when the item is not in the merged plan)."""


@dataclass(frozen=True)
class Review:
    """The performance section: the review's lights and trend, and the top items flagged."""

    performance: Performance
    late: int
    delayed: int
    overdue: int
    activities: tuple[Flagged, ...]
    """Late first, then delayed; at most TOP_ATTENTION."""
    benchmarks: tuple[Flagged, ...]
    """Past their target date and not achieved; at most TOP_ATTENTION."""


@dataclass(frozen=True)
class Report:
    headline: Headline
    board: tuple[BoardLine, ...] | None
    coverage: Coverage
    timeline: Timeline
    risks: Risks
    conflicts: tuple[Issue, ...]
    gaps: tuple[Issue, ...]
    changes: tuple[Change, ...] | None
    baseline: str
    items: tuple[Item, ...]
    review: Review | None = None

    @property
    def anchors(self) -> frozenset[str]:
        """What a link may point to: every item and output in the item list."""
        return frozenset(
            [i.anchor for i in self.items] + [output_anchor(i.output_id) for i in self.items]
        )


def default_today(meta: WorkbookMeta, real_today: dt.date) -> dt.date:
    """Today's date clamped into the planning period (the timeline's marker stays on it)."""
    return min(max(real_today, meta.period_start), meta.period_end)


def build_report(
    meta: WorkbookMeta,
    submitted: Iterable[SubmittedItem],
    today: dt.date,
    *,
    errors: int = 0,
    conflicts: Sequence[Issue] = (),
    gaps: Sequence[Issue] = (),
    board: Sequence[BoardLine] | None = None,
    changes: Sequence[Change] | None = None,
    baseline: str = "",
    performance: Performance | None = None,
) -> Report:
    """Everything the pack shows, from the merged plan's parts."""
    items = tuple(item_of(s) for s in submitted)
    headline = Headline(
        mission=meta.mission,
        mandate=meta.mandate,
        plan_id=meta.plan_id,
        start=meta.period_start,
        end=meta.period_end,
        round=meta.round,
        today=today,
        objectives=objective_counts(items),
        errors=errors,
        conflicts=len(conflicts),
        gaps=len(gaps),
    )
    return Report(
        headline=headline,
        board=tuple(board) if board is not None else None,
        coverage=coverage(meta, items),
        timeline=timeline(meta, items, today),
        risks=risks(items),
        conflicts=tuple(conflicts),
        gaps=tuple(gaps),
        changes=tuple(changes) if changes is not None else None,
        baseline=baseline,
        items=items,
        review=review(performance, {i.item_id for i in items}) if performance else None,
    )


def retitled(performance: Performance, titles: Mapping[str, str]) -> Performance:
    """The performance report with its objectives' and outputs' titles as `titles` gives
    them (the framework's, in the pack's language); a title not given stays."""

    def lit(found: Lit) -> Lit:
        return replace(found, title=titles.get(found.id) or found.title)

    return replace(
        performance,
        objectives=tuple(lit(o) for o in performance.objectives),
        outputs=tuple(lit(o) for o in performance.outputs),
    )


def review(
    performance: Performance, in_pack: set[str] | frozenset[str], top: int = TOP_ATTENTION
) -> Review:
    """The performance section from the report merge builds; links only to items in the pack."""

    def flagged(a: Attention, why: str) -> Flagged:
        anchor = item_anchor(a.item_id) if a.item_id in in_pack else ""
        return Flagged(a.item_id, a.output_id, a.component, why, anchor)

    def value(a: Attention, key: str) -> object:
        return dict(a.fields).get(key)

    def day(v: object) -> str:
        return written(v) if isinstance(v, dt.date) else translate("no date")

    late = [a for a in performance.activities if value(a, "late")]
    delayed = [a for a in performance.activities if not value(a, "late")]
    activities = [
        flagged(a, translate("late: planned end {day}, {status}").format(
            day=day(value(a, "planned_end")),
            status=label(cell_text(value(a, "status")), "status") or translate("no status")))
        for a in late
    ] + [flagged(a, translate("delayed: {reason}").format(
            reason=cell_text(value(a, "reason")) or translate("no reason given")))
         for a in delayed]  # fmt: skip
    benchmarks = [
        flagged(b, translate("target {day}, {assessment}").format(
            day=day(value(b, "target_date")),
            assessment=label(cell_text(value(b, "assessment")) or NOT_ASSESSED, "assessment")))
        for b in performance.benchmarks_past_target
    ]  # fmt: skip
    return Review(
        performance,
        late=len(late),
        delayed=len(delayed),
        overdue=len(benchmarks),
        activities=tuple(activities[:top]),
        benchmarks=tuple(benchmarks[:top]),
    )


def objective_counts(items: Sequence[Item]) -> tuple[ObjectiveCount, ...]:
    """Items per objective and type, objectives in id order."""
    counts = Counter((objective_of(i.output_id), i.item_type) for i in items)
    objectives = sorted({objective_of(i.output_id) for i in items}, key=natural_key)
    return tuple(ObjectiveCount(o, tuple(counts[(o, t)] for t in ITEM_TYPES)) for o in objectives)


def coverage(meta: WorkbookMeta, items: Sequence[Item]) -> Coverage:
    """Outputs in scope x the plan's components: the role each has, the items it answers for."""
    answered = Counter((i.output_id, i.responsible) for i in items if i.responsible)
    rows = []
    for output in meta.outputs:
        cells = tuple(
            CoverageCell(_role(output, code), answered[(output.id, code)])
            for code in meta.components
        )
        rows.append((output.id, cells))
    return Coverage(tuple(meta.components), tuple(rows))


def _role(output: OutputMeta, code: str) -> str:
    """A component's letter on the coverage grid: L leads the output, S supports it."""
    lead, support = ROLE_LETTERS
    return lead if output.lead == code else support if code in output.support else ""


def critical_chain(target: str, activities: dict[str, Item]) -> tuple[str, ...]:
    """The chain of dependencies that ends at `target`, earliest first.

    From the target, step each time to the dependency that ends last (it holds the target
    up the longest); ties go to the smaller id, a cycle or an unknown id ends the chain.
    """
    chain = [target]
    seen = {target}
    current = activities[target]
    while True:
        known = [activities[d] for d in current.depends_on if d in activities and d not in seen]
        if not known:
            break
        current = max(known, key=lambda a: (a.end or dt.date.min, _reverse(a.item_id)))
        chain.append(current.item_id)
        seen.add(current.item_id)
    return tuple(reversed(chain))


def _reverse(item_id: str) -> tuple[int, ...]:
    """A key that makes max() pick the smallest id among equals."""
    return tuple(-ord(c) for c in item_id)


def last_activity(output_id: str, before: dt.date, activities: dict[str, Item]) -> str | None:
    """The activity of an output that ends last on or before a day (the benchmark's)."""
    mine = [
        a
        for a in activities.values()
        if a.output_id == output_id and a.end is not None and a.end <= before
    ]
    if not mine:
        return None
    return max(mine, key=lambda a: (a.end, _reverse(a.item_id))).item_id


def timeline(meta: WorkbookMeta, items: Sequence[Item], today: dt.date) -> Timeline:
    """Activities by output over the period, dependencies, benchmarks and their chains."""
    activities = {i.item_id: i for i in items if i.item_type == "activity" and i.start is not None}
    milestones = []
    for benchmark in items:
        if benchmark.item_type != "benchmark" or benchmark.target_date is None:
            continue
        last = last_activity(benchmark.output_id, benchmark.target_date, activities)
        chain = critical_chain(last, activities) if last else ()
        milestones.append(Milestone(benchmark, benchmark.target_date, chain))
    critical = {a for m in milestones for a in m.chain}
    critical_links = {
        (before, after) for m in milestones for before, after in itertools.pairwise(m.chain)
    }
    order = [o.id for o in meta.outputs]
    outputs = order + sorted(
        {a.output_id for a in activities.values()} - set(order), key=natural_key
    )
    lanes = []
    for output_id in outputs:
        bars = tuple(
            Bar(a, a.start, a.end or a.start, a.status or NO_STATUS, a.item_id in critical)  # type: ignore[arg-type]
            for a in sorted(
                (a for a in activities.values() if a.output_id == output_id),
                key=lambda a: (a.start, natural_key(a.item_id)),
            )
        )
        lanes.append((output_id, bars))
    links = tuple(
        Link(d, a.item_id, (d, a.item_id) in critical_links, activities[d].lead != a.lead)
        for a in sorted(activities.values(), key=lambda a: natural_key(a.item_id))
        for d in a.depends_on
        if d in activities
    )
    windows = tuple(
        Window(w.term, w.start, w.end)
        for w in term_windows(
            meta.period_start, meta.period_end, meta.short_term_months, meta.medium_term_months
        )
    )
    assert tuple(w.term for w in windows) == TERMS
    return Timeline(
        meta.period_start,
        meta.period_end,
        today,
        windows,
        tuple(lanes),
        links,
        tuple(sorted(milestones, key=lambda m: (m.day, natural_key(m.item.item_id)))),
    )


def risks(items: Sequence[Item]) -> Risks:
    """The 5x5 counts of rated risks, and the highest-rated risks (ties by id)."""
    rated = [
        i
        for i in items
        if i.item_type == "risk" and i.likelihood in range(1, 6) and i.impact in range(1, 6)
    ]
    counts = Counter((i.likelihood, i.impact) for i in rated)
    grid = tuple(tuple(counts[(lk, im)] for im in range(1, 6)) for lk in range(1, 6))
    top = sorted(rated, key=lambda i: (-i.rating, natural_key(i.item_id)))[:TOP_RISKS]
    return Risks(grid, tuple(top))


def is_high(item: Item) -> bool:
    return item.rating >= HIGH_RISK_RATING
