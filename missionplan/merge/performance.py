"""The performance report of a review round (pure): traffic lights and what needs attention.

Leadership reads one light per output and per objective. Each benchmark and each activity
gives a signal (`benchmark_signal`, `activity_signal`); a light is read from the signals
of an output's (or an objective's) items by `light`, with the shares of the plan's light
rule (`LightRule`, `lights_red_percent` and `lights_amber_percent` in the plan file):

- grey (not assessed) when no item gives a signal;
- red when at least `red_percent` % of the signals are red;
- otherwise amber when at least `amber_percent` % are red or amber;
- otherwise green.

Signals: a benchmark achieved or on track is green, at risk amber, off track red, not
assessed none. An activity completed, or planned or ongoing before its planned end, is
green; delayed is amber; past its planned end at the end of the period and not completed
(late) is red; cancelled, or without a status, none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from missionplan.schema.review import (
    ACHIEVED,
    AT_RISK,
    CANCELLED,
    COMPLETED,
    DELAYED,
    NOT_ASSESSED,
    OFF_TRACK,
    ON_TRACK,
    YES,
    LightRule,
    Period,
    ReviewedItem,
)

Signal = Literal["green", "amber", "red"]
Light = Literal["green", "amber", "red", "grey"]
SIGNALS: tuple[Signal, ...] = ("green", "amber", "red")
LIGHTS: tuple[Light, ...] = ("green", "amber", "red", "grey")
DEFAULT_RULE = LightRule()


def benchmark_signal(assessment: object) -> Signal | None:
    """A benchmark's signal from its assessment (none when not assessed)."""
    if assessment in (ACHIEVED, ON_TRACK):
        return "green"
    if assessment == AT_RISK:
        return "amber"
    if assessment == OFF_TRACK:
        return "red"
    return None


def is_late(status: object, planned_end: object, period: Period) -> bool:
    """Past its planned end at the end of the period, and neither completed nor cancelled."""
    return (
        isinstance(planned_end, dt.date)
        and planned_end < period.end
        and status not in (COMPLETED, CANCELLED)
    )


def activity_signal(status: object, planned_end: object, period: Period) -> Signal | None:
    """An activity's signal from its status now and its planned end."""
    if status is None or status == CANCELLED:
        return None
    if status == COMPLETED:
        return "green"
    if is_late(status, planned_end, period):
        return "red"
    if status == DELAYED:
        return "amber"
    return "green"


def light(signals: Iterable[Signal], rule: LightRule = DEFAULT_RULE) -> Light:
    """The light of a set of signals, by the rule (see the module's docstring)."""
    counts = Counter(signals)
    total = sum(counts.values())
    if total == 0:
        return "grey"
    if counts["red"] * 100 >= rule.red_percent * total:
        return "red"
    if (counts["red"] + counts["amber"]) * 100 >= rule.amber_percent * total:
        return "amber"
    return "green"


def signal_of(item: ReviewedItem, period: Period) -> Signal | None:
    if item.item_type == "benchmark":
        return benchmark_signal(item.value("assessment"))
    if item.item_type == "activity":
        return activity_signal(item.value("status"), item.value("planned_end"), period)
    return None


@dataclass(frozen=True)
class Lit:
    """One output's or objective's light, with the signals it was read from."""

    id: str
    title: str
    light: Light
    counts: dict[str, int]

    def as_data(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "light": self.light, "counts": self.counts}


@dataclass(frozen=True)
class Attention:
    """An item the report lists: which, whose, and why, in plain values."""

    item_id: str
    output_id: str
    component: str
    fields: tuple[tuple[str, object], ...]

    def as_data(self) -> dict[str, Any]:
        values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.fields}
        return {"item_id": self.item_id, "output_id": self.output_id,
                "component": self.component, **values}  # fmt: skip


@dataclass(frozen=True)
class Performance:
    """The performance report of one period: lights and the lists leadership acts on."""

    period: Period
    rule: LightRule
    objectives: tuple[Lit, ...]
    outputs: tuple[Lit, ...]
    activities: tuple[Attention, ...]
    """Late (planned end passed, not completed) or delayed, with their reasons."""
    benchmarks_past_target: tuple[Attention, ...]
    benchmarks_not_assessed: tuple[Attention, ...]
    risks_rose: tuple[Attention, ...]
    risks_materialised: tuple[Attention, ...]
    reported: tuple[str, ...] = ()
    not_reported: tuple[str, ...] = ()
    trend: Trend | None = None
    """Quarter by quarter, when reviews of earlier periods were given too."""

    def as_data(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "rule": {"red_percent": self.rule.red_percent,
                     "amber_percent": self.rule.amber_percent, "text": self.rule.text()},
            "objectives": [o.as_data() for o in self.objectives],
            "outputs": [o.as_data() for o in self.outputs],
            "activities_late_or_delayed": [a.as_data() for a in self.activities],
            "benchmarks_past_target": [a.as_data() for a in self.benchmarks_past_target],
            "benchmarks_not_assessed": [a.as_data() for a in self.benchmarks_not_assessed],
            "risks_rose": [a.as_data() for a in self.risks_rose],
            "risks_materialised": [a.as_data() for a in self.risks_materialised],
            "reported": list(self.reported),
            "not_reported": list(self.not_reported),
            "trend": (self.trend or Trend((self.period,), (), ())).as_data(),
        }  # fmt: skip


@dataclass(frozen=True)
class Trend:
    """Each output's light and each benchmark's value and assessment, quarter by quarter."""

    periods: tuple[Period, ...]
    outputs: tuple[tuple[str, tuple[Light, ...]], ...]
    """Output id -> its light in each period (grey where it had no signal)."""
    benchmarks: tuple[tuple[str, str, tuple[tuple[object, object], ...]], ...]
    """Benchmark id, output id -> (value measured, assessment) in each period (None: none)."""

    def as_data(self) -> dict[str, Any]:
        labels = [p.label for p in self.periods]
        return {
            "periods": labels,
            "outputs": [{"id": o, "lights": [{"period": p, "light": lit}
                                             for p, lit in zip(labels, lights, strict=True)]}
                        for o, lights in self.outputs],
            "benchmarks": [{"item_id": b, "output_id": o,
                            "values": [{"period": p, "measured": m, "assessment": a}
                                       for p, (m, a) in zip(labels, values, strict=True)]}
                           for b, o, values in self.benchmarks],
        }  # fmt: skip


def trend(
    by_period: Mapping[Period, Sequence[ReviewedItem]], rule: LightRule = DEFAULT_RULE
) -> Trend:
    """The trend over the periods given (in time order, whatever the order of the mapping)."""
    periods = tuple(sorted(by_period))
    lights: dict[str, dict[Period, Light]] = {}
    values: dict[tuple[str, str], dict[Period, tuple[object, object]]] = {}
    for period in periods:
        signals: dict[str, list[Signal]] = {}
        for item in by_period[period]:
            if item.item_type == "risk":
                continue
            signals.setdefault(item.output_id, [])
            signal = signal_of(item, period)
            if signal is not None:
                signals[item.output_id].append(signal)
            if item.item_type == "benchmark":
                pair = (item.value("measured"), item.value("assessment"))
                values.setdefault((item.item_id, item.output_id), {})[period] = pair
        for output, found in signals.items():
            lights.setdefault(output, {})[period] = light(found, rule)
    outputs = tuple(
        (o, tuple(lights[o].get(p, "grey") for p in periods))
        for o in sorted(lights, key=_output_key)
    )
    benchmarks = tuple(
        (b, o, tuple(values[(b, o)].get(p, (None, None)) for p in periods))
        for b, o in sorted(values, key=lambda k: (_output_key(k[1]), k[0]))
    )
    return Trend(periods, outputs, benchmarks)


def _counts(signals: Sequence[Signal | None]) -> dict[str, int]:
    counted = Counter(str(s or "none") for s in signals)
    return {key: counted[key] for key in (*SIGNALS, "none")}


def _lit(id: str, title: str, signals: list[Signal | None], rule: LightRule) -> Lit:
    return Lit(id, title, light((s for s in signals if s), rule), _counts(signals))


def _attention(item: ReviewedItem, *keys: str) -> Attention:
    return Attention(item.item_id, item.output_id, item.component,
                     tuple((k, item.value(k)) for k in keys))  # fmt: skip


def _rating(likelihood: object, impact: object) -> int | None:
    if isinstance(likelihood, int) and isinstance(impact, int):
        return likelihood * impact
    return None


def _output_key(output_id: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in output_id.split("."))


def performance(
    items: Sequence[ReviewedItem],
    period: Period,
    titles: dict[str, str],
    rule: LightRule = DEFAULT_RULE,
    expected: Sequence[str] = (),
    reported: Sequence[str] | None = None,
) -> Performance:
    """The report from the reviewed items (any order: the result is sorted).

    titles: output and objective ids -> titles; expected: the components asked to report;
    reported: those whose workbook was merged (by default, those with items).
    """
    ordered = sorted(items, key=lambda i: (_output_key(i.output_id), i.item_id, i.component))
    by_output: dict[str, list[Signal | None]] = {}
    by_objective: dict[str, list[Signal | None]] = {}
    for item in ordered:
        signal = signal_of(item, period)
        if item.item_type == "risk":
            continue
        by_output.setdefault(item.output_id, []).append(signal)
        by_objective.setdefault(item.output_id.split(".")[0], []).append(signal)
    outputs = tuple(_lit(o, titles.get(o, ""), s, rule) for o, s in by_output.items())
    objectives = tuple(
        _lit(o, titles.get(o, ""), s, rule)
        for o, s in sorted(by_objective.items(), key=lambda p: _output_key(p[0]))
    )
    activities = [i for i in ordered if i.item_type == "activity"]
    benchmarks = [i for i in ordered if i.item_type == "benchmark"]
    risks = [i for i in ordered if i.item_type == "risk"]
    late_or_delayed = tuple(
        Attention(a.item_id, a.output_id, a.component, (
            ("planned_end", a.value("planned_end")), ("status", a.value("status")),
            ("percent", a.value("percent")),
            ("late", is_late(a.value("status"), a.value("planned_end"), period)),
            ("delayed", a.value("status") == DELAYED), ("reason", a.value("reason")),
        ))
        for a in activities
        if a.value("status") == DELAYED
        or (a.value("status") is not None
            and is_late(a.value("status"), a.value("planned_end"), period))
    )  # fmt: skip
    past_target = tuple(
        _attention(b, "target_date", "assessment", "measured", "target")
        for b in benchmarks
        if isinstance(b.value("target_date"), dt.date)
        and b.value("target_date") <= period.end  # type: ignore[operator]
        and b.value("assessment") != ACHIEVED
    )
    not_assessed = tuple(
        _attention(b, "assessment")
        for b in benchmarks
        if b.value("assessment") in (None, NOT_ASSESSED)
    )
    rose = tuple(
        Attention(r.item_id, r.output_id, r.component, (
            ("rating_planned", _rating(r.value("planned_likelihood"), r.value("planned_impact"))),
            ("rating_now", _rating(r.value("likelihood"), r.value("impact"))),
        ))
        for r in risks
        if (now := _rating(r.value("likelihood"), r.value("impact"))) is not None
        and (was := _rating(r.value("planned_likelihood"), r.value("planned_impact"))) is not None
        and now > was
    )  # fmt: skip
    materialised = tuple(
        _attention(r, "mitigation_state", "note") for r in risks if r.value("materialised") == YES
    )
    done = tuple(sorted(set(reported) if reported is not None else {i.component for i in items}))
    missing = tuple(code for code in expected if code not in done)
    return Performance(period, rule, objectives, outputs, late_or_delayed, past_target,
                       not_assessed, rose, materialised, done, missing)  # fmt: skip
