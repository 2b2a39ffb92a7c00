"""Plan settings: which outputs are in scope, who leads and supports, the planning period.

A plan file is YAML that the planning unit writes with `missionplan init`
and then edits. Loading checks it whole and reports every problem with
its line: the file's model (formats.py) checks every key and value, then
the rules here check it against the framework and the roster. A plan has
a stable id so that a returned workbook can be tied to the plan version
it came from.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.planning.filecheck import Checked, ProblemLog, check_file
from missionplan.planning.formats import (
    OutputSettingEntry,
    PlanComponentEntry,
    PlanFile,
    PlanHead,
)
from missionplan.planning.framework import Framework, load_framework, roster_rules
from missionplan.planning.yamlfile import read_yaml
from missionplan.schema.contract import PRIORITIES, TERMS, Priority, Term, contract_as_data
from missionplan.schema.language import ENGLISH, Language, language_of
from missionplan.schema.review import LightRule


@dataclass(frozen=True)
class PlanComponent:
    """A component taking part in the plan, with its focal point."""

    code: str
    name: str
    kind: str
    focal_point: str = ""


@dataclass(frozen=True)
class OutputSetting:
    """How the plan treats one output of the framework."""

    id: str
    in_scope: bool
    priority: Priority
    lead: str
    support: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    """The dates a term covers: short, medium or long."""

    term: Term
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Plan:
    """The settings of one mission plan."""

    mission: str
    mandate: str
    start: dt.date
    end: dt.date
    short_term_months: int
    medium_term_months: int
    submit_to: str
    framework_id: str
    components: tuple[PlanComponent, ...]
    outputs: tuple[OutputSetting, ...]
    given_id: str = ""
    language: Language = ENGLISH

    @cached_property
    def id(self) -> str:
        """The given id, or a short hash of the plan's content (stable while nothing changes).

        The language is left out: the same plan in French and in English is one plan, and a
        plan written before `language:` existed keeps its id. Worked out once a plan: it is
        frozen (the cache sits in the instance's __dict__, which equality and hashing, by the
        fields, never look at; a copy made by dataclasses.replace works its own out).
        """
        if self.given_id:
            return self.given_id
        content = asdict(self)
        content.pop("given_id")
        content.pop("language")
        blob = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False).encode()
        return "p" + hashlib.sha256(blob).hexdigest()[:8]

    @property
    def in_scope(self) -> tuple[OutputSetting, ...]:
        return tuple(o for o in self.outputs if o.in_scope)

    def setting(self, output_id: str) -> OutputSetting | None:
        return next((o for o in self.outputs if o.id == output_id), None)

    def component(self, code: str) -> PlanComponent | None:
        return next((c for c in self.components if c.code == code), None)

    @property
    def windows(self) -> tuple[Window, Window, Window]:
        """Short, medium and long-term windows: consecutive, covering the whole period."""
        return term_windows(self.start, self.end, self.short_term_months, self.medium_term_months)

    def window(self, term: Term) -> Window:
        return self.windows[TERMS.index(term)]

    def participants(self) -> tuple[PlanComponent, ...]:
        """Components that lead or support an in-scope output, in roster order."""
        involved = {o.lead for o in self.in_scope} | {c for o in self.in_scope for c in o.support}
        return tuple(c for c in self.components if c.code in involved)

    def led_by(self, code: str) -> tuple[OutputSetting, ...]:
        return tuple(o for o in self.in_scope if o.lead == code)

    def supported_by(self, code: str) -> tuple[OutputSetting, ...]:
        return tuple(o for o in self.in_scope if code in o.support)


def term_windows(
    start: dt.date, end: dt.date, short_months: int, medium_months: int
) -> tuple[Window, Window, Window]:
    """The short-, medium- and long-term windows of a period: consecutive, covering it all."""
    one_day = dt.timedelta(days=1)
    short_end = add_months(start, short_months) - one_day
    medium_end = add_months(start, short_months + medium_months) - one_day
    return (
        Window("short", start, short_end),
        Window("medium", short_end + one_day, medium_end),
        Window("long", medium_end + one_day, end),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def load_plan(path: Path, framework: Framework) -> Plan:
    """Load a plan file and check it against the framework, reporting every problem at once."""
    return plan_from_data(read_yaml(path), str(path), framework)


def plan_language(path: Path) -> Language | None:
    """The language a plan file names under `plan: language:`, before loading it whole.

    None when the file cannot be read or names no known language: loading it then reports
    the problem (in the language the command was given, or English).
    """
    try:
        data = read_yaml(path)
        return language_of(str(data["plan"]["language"]))
    except (MissionplanError, ValueError, TypeError, KeyError):
        return None


def plan_from_data(data: Any, file: str, framework: Framework) -> Plan:
    """Build a Plan from parsed YAML; every problem is reported with its line."""
    log = ProblemLog(file)
    checked = check_file(PlanFile, data, log)
    head = checked.part("plan", PlanHead)
    if head is not None:
        _period_rules(log, head)
        if head.framework and head.framework != framework.id:
            log.add(head, "plan", f"made for framework '{head.framework}', not '{framework.id}'")
    entries = checked.entries("components", PlanComponentEntry)
    roster = roster_rules(log, list(entries))
    focal = {e.code: e.focal_point for e in entries}
    known = {c.code for c in roster} if "components" in checked.whole else None
    outputs = _output_rules(log, checked, framework, known)
    log.raise_if_any()
    assert head is not None
    return Plan(
        mission=head.mission,
        mandate=head.mandate,
        start=head.start,
        end=head.end,
        short_term_months=head.short_term_months,
        medium_term_months=head.medium_term_months,
        submit_to=head.submit_to,
        framework_id=head.framework or framework.id,
        components=tuple(
            PlanComponent(c.code, c.name, c.kind, focal.get(c.code, "")) for c in roster
        ),
        outputs=outputs,
        given_id=head.id,
        language=language_of(head.language),
    )


def _period_rules(log: ProblemLog, head: PlanHead) -> None:
    """The period ends after it starts, and the short and medium terms leave a long one."""
    start, end = head.start, head.end
    short, medium = head.short_term_months, head.medium_term_months
    if end <= start:
        log.add(head, "plan", f"the period ends ({end}) before it starts ({start})", "end")
    if add_months(start, short + medium) > end:
        log.add(
            head,
            "plan",
            f"the short- and medium-term windows ({short} + {medium} months) do not fit in the "
            f"period {start} to {end}; shorten them so that a long-term window remains",
        )


def _output_rules(
    log: ProblemLog, checked: Checked, framework: Framework, known: set[str] | None
) -> tuple[OutputSetting, ...]:
    """Each output setting against the framework and the roster (None: the roster has
    problems, so its codes are not checked)."""
    settings: dict[str, OutputSetting] = {}
    for entry in checked.entries("outputs", OutputSettingEntry):
        where = entry.where
        if framework.output(entry.id) is None:
            log.add(
                entry, where, f"unknown output; the framework '{framework.id}' has no {entry.id}"
            )
            continue
        if entry.id in settings:
            log.add(entry, where, "listed twice; keep one entry per output")
            continue
        leads, support = entry.lead, entry.support
        if len(leads) > 1:
            log.add(entry, where, "has several leads; name one lead and list the others as support")
        lead = leads[0] if leads else ""
        if entry.in_scope and not lead:
            log.add(entry, where, "is in scope but has no lead; name the lead component")
        unknown = {*leads, *support} - known if known is not None else set()
        for code in sorted(unknown):
            log.add(
                entry, where, f"unknown component '{code}'; add it under 'components' or fix it"
            )
        if lead and lead in support:
            log.add(entry, where, f"'{lead}' is the lead and also listed as support")
        if len(set(support)) != len(support):
            log.add(entry, where, "a supporting component is listed twice")
        settings[entry.id] = OutputSetting(
            entry.id,
            entry.in_scope,
            _priority(entry.priority),
            lead,
            tuple(dict.fromkeys(support)),
        )
    if "outputs" in checked.whole and not any(s.in_scope for s in settings.values()):
        log.add(
            checked.root,
            "plan",
            "no output is in scope; set 'in_scope: true' on at least one",
            "outputs",
        )
    # framework order, whatever order the file lists them in
    return tuple(settings[o.id] for o in framework.outputs if o.id in settings)


def _priority(value: str) -> Priority:
    return next(p for p in PRIORITIES if p == value)


def starter_plan_text(
    framework: Framework,
    start: dt.date | None = None,
    mission: str = "UN Multidimensional Integrated Stabilization Mission",
    mandate: str = "S/RES/0000 (2026)",
    in_scope: set[str] | None = None,
    priorities: dict[str, Priority] | None = None,
    language: Language = ENGLISH,
) -> str:
    """A commented starter plan: outputs in scope (all by default), leads from the framework.

    An English plan leaves `language:` as a comment (the default), any other language sets it.
    """
    begin = start or dt.date(dt.date.today().year + 1, 1, 1)
    end = add_months(begin, 36) - dt.timedelta(days=1)
    lines = [
        "# Mission plan settings for missionplan.",
        "# Edit, then run: missionplan export THIS_FILE --out workbooks/",
        "# Dates are YYYY-MM-DD. Every problem is reported with its line when the plan is loaded.",
        "plan:",
        "  # id: my-plan-v1        # optional; when omitted, an id is derived from the content",
        (
            "  # language: fr          # en (the default) or fr: the workbooks' language"
            if language == ENGLISH
            else f"  language: {language}          # en or fr: the workbooks' language"
        ),
        f"  mission: {json.dumps(mission, ensure_ascii=False)}",
        f"  mandate: {json.dumps(mandate, ensure_ascii=False)}   # the mandating resolution",
        f"  start: {begin.isoformat()}",
        f"  end: {end.isoformat()}",
        "  short_term_months: 6          # the short-term window starts with the period",
        "  medium_term_months: 12        # then the medium-term window; the rest is long-term",
        "  submit_to: 'Integrated Planning Unit, planning-unit@mission.example'",
        f"  framework: {framework.id}",
        "",
        "# Components: code, name, kind, and the focal point who fills in the workbook.",
        "# Kinds: leadership, civilian substantive, uniformed, support,",
        "#        coordination structure, UN country team.",
        "components:",
    ]
    for c in framework.components:
        lines.append(
            f"  - {{code: {c.code}, name: {json.dumps(c.name)}, kind: {c.kind}, focal_point: ''}}"
        )
    lines += [
        "",
        "# Outputs: in_scope (true/false), priority (high/medium/low), one lead, any support.",
        "# Pre-filled from the framework's responsibilities sections; where the framework names",
        "# several leads, the first leads and the others support.",
        "outputs:",
    ]
    for objective in framework.objectives:
        lines.append(f"  # Objective {objective.id}: {objective.title}")
        for output in objective.outputs:
            lead = output.lead[0] if output.lead else ""
            support = list(dict.fromkeys([*output.lead[1:], *output.support]))
            lines.append(f"  - id: '{output.id}'   # {output.title}")
            scope = "true" if in_scope is None or output.id in in_scope else "false"
            lines.append(f"    in_scope: {scope}")
            lines.append(f"    priority: {(priorities or {}).get(output.id, 'medium')}")
            lines.append(f"    lead: {lead}")
            lines.append(f"    support: [{', '.join(support)}]")
    return "\n".join(lines) + "\n"


def plan_contract(
    plan_file: Path | None = None, framework_file: Path | None = None
) -> dict[str, object]:
    """The planning-sheet contract as data (`missionplan schema`).

    With a plan file, its components are the allowed values of the component columns; the
    framework is loaded only to read the plan.
    """
    if plan_file is None:
        return contract_as_data()
    plan = load_plan(plan_file, load_framework(framework_file))
    return contract_as_data(tuple(c.code for c in plan.components))


def read_light_rule(plan_file: Path) -> LightRule:
    """The quarterly review's light rule of a plan file (`lights_red_percent`,
    `lights_amber_percent` under `plan:`); like `round:` it is not part of the plan id."""
    log = ProblemLog(str(plan_file))
    checked = check_file(PlanFile, read_yaml(plan_file), log)
    log.raise_if_any()
    head = checked.part("plan", PlanHead)
    assert head is not None
    return LightRule(head.lights_red_percent, head.lights_amber_percent)
