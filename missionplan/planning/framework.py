"""The planning framework: objectives, outputs and their items, loaded and checked.

The built-in framework is the study "Considerations for Mission Leadership
in UN Peace Operations" (templates/considerations.yaml). Planning units
edit it or write their own, so loading reports every problem at once: the
file's model (formats.py) checks every key and value, then the rules here
check what needs several entries (unique ids, ids under their own output,
known components).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missionplan.planning.cache import builtin_sources, cached_framework
from missionplan.schema.contract import TERMS, ItemType, Term
from missionplan.schema.ids import objective_of
from missionplan.schema.language import FRENCH, Language, current_language

if TYPE_CHECKING:  # the file models (pydantic) load only when a file is read, not the cache
    from missionplan.planning.filecheck import Checked, Entry, ProblemLog
    from missionplan.planning.formats import (
        BenchmarkEntry,
        ComponentEntry,
        ItemEntry,
        ObjectiveEntry,
        OutputEntry,
    )

BUILTIN_FRAMEWORK = "considerations.yaml"
BUILTIN_ROSTER = "components.yaml"


@dataclass(frozen=True)
class Component:
    """A mission component, agency or coordination structure that can lead or support."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class FrameworkItem:
    """An activity, risk, consideration or pre-condition taken from the framework."""

    id: str
    text: str
    ref: str


@dataclass(frozen=True)
class Benchmark:
    """A benchmark: the state of affairs that shows progress, in one term."""

    id: str
    term: Term
    text: str
    ref: str


@dataclass(frozen=True)
class Output:
    """One output of an objective (e.g. 3.1) with everything the framework says about it."""

    id: str
    title: str
    ref: str
    description: str
    activities: tuple[FrameworkItem, ...]
    benchmarks: tuple[Benchmark, ...]
    risks: tuple[FrameworkItem, ...]
    considerations: tuple[FrameworkItem, ...]
    resources: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    notes: tuple[str, ...]
    title_fr: str = ""

    @property
    def objective_id(self) -> str:
        return objective_of(self.id)

    def benchmarks_in(self, term: Term) -> tuple[Benchmark, ...]:
        return tuple(b for b in self.benchmarks if b.term == term)

    def items_in_order(self) -> tuple[tuple[ItemType, FrameworkItem | Benchmark], ...]:
        """Every item with its kind: activities, benchmarks, risks, then considerations."""
        return (
            *(("activity", i) for i in self.activities),
            *(("benchmark", b) for b in self.benchmarks),
            *(("risk", i) for i in self.risks),
            *(("consideration", i) for i in self.considerations),
        )


@dataclass(frozen=True)
class Objective:
    """A key objective (a chapter of the study) and its outputs."""

    id: str
    title: str
    ref: str
    summary: str
    preconditions: tuple[FrameworkItem, ...]
    benchmarks: tuple[Benchmark, ...]
    outputs: tuple[Output, ...]
    notes: tuple[str, ...] = ()
    title_fr: str = ""


@dataclass(frozen=True)
class Framework:
    """A complete planning framework with the component roster it refers to."""

    id: str
    title: str
    edition: str
    source: str
    objectives: tuple[Objective, ...]
    components: tuple[Component, ...]
    title_fr: str = ""

    @property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(o for objective in self.objectives for o in objective.outputs)

    def output(self, output_id: str) -> Output | None:
        return next((o for o in self.outputs if o.id == output_id), None)

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def component(self, code: str) -> Component | None:
        return next((c for c in self.components if c.code == code), None)

    @cached_property  # every workbook's metadata names it: worked out once
    def fingerprint(self) -> str:
        """A short hash of the framework's content: two frameworks with the same text match.

        Translations (title_fr) are left out: adding French titles changes no plan or
        workbook made from the framework. Computed once (every workbook written names it)."""
        blob = json.dumps(_untranslated(asdict(self)), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


TRANSLATIONS = ("title_fr",)
"""The fields that carry a text in another language: presentation, not content."""


def _untranslated(data: Any) -> Any:
    """The framework's data without its translations (what the fingerprint hashes)."""
    if isinstance(data, dict):
        return {k: _untranslated(v) for k, v in data.items() if k not in TRANSLATIONS}
    if isinstance(data, list | tuple):
        return [_untranslated(v) for v in data]
    return data


def title_of(entry: Framework | Objective | Output, language: Language | None = None) -> str:
    """The title in a language (the current one by default): French workbooks show title_fr,
    the English title when the framework gives none."""
    if (language or current_language()) == FRENCH and entry.title_fr:
        return entry.title_fr
    return entry.title


def load_framework(path: Path | None = None) -> Framework:
    """Load a framework file (the built-in one when path is None) and check it whole."""
    if path is None:
        sources = builtin_sources((BUILTIN_FRAMEWORK, BUILTIN_ROSTER))
        return cached_framework(sources, _read_builtin_framework)
    from missionplan.planning.yamlfile import read_yaml

    return framework_from_data(read_yaml(path), str(path), base=path.parent)


def _read_builtin_framework() -> Framework:
    from missionplan.planning.yamlfile import parse_yaml

    source = resources.files("missionplan.templates").joinpath(BUILTIN_FRAMEWORK)
    data = parse_yaml(source.read_text(encoding="utf-8"), BUILTIN_FRAMEWORK)
    return framework_from_data(data, BUILTIN_FRAMEWORK, base=None)


def load_builtin_roster() -> tuple[Component, ...]:
    """The default roster of components shipped with missionplan."""
    from missionplan.planning.yamlfile import parse_yaml

    source = resources.files("missionplan.templates").joinpath(BUILTIN_ROSTER)
    return roster_from_data(
        parse_yaml(source.read_text(encoding="utf-8"), BUILTIN_ROSTER), BUILTIN_ROSTER
    )


def roster_from_data(data: Any, file: str) -> tuple[Component, ...]:
    """A components file (`components:` and nothing else), checked whole."""
    from missionplan.planning.filecheck import ProblemLog, check_file
    from missionplan.planning.formats import ComponentEntry, RosterFile

    log = ProblemLog(file)
    checked = check_file(RosterFile, data, log)
    roster = roster_rules(log, checked.entries("components", ComponentEntry))
    log.raise_if_any()
    return roster


def roster_rules(log: ProblemLog, entries: list[ComponentEntry]) -> tuple[Component, ...]:
    """The roster's components; a code listed twice is a problem."""
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            log.add(entry, entry.where, "this code is listed twice")
        seen.add(entry.code)
    return tuple(Component(e.code, e.name, e.kind) for e in entries)


def framework_from_data(data: Any, file: str, base: Path | None) -> Framework:
    """Build a Framework from parsed YAML, reporting every problem at once."""
    from missionplan.planning.filecheck import ProblemLog, check_file
    from missionplan.planning.formats import FrameworkFile, FrameworkHead, ObjectiveEntry

    log = ProblemLog(file)
    checked = check_file(FrameworkFile, data, log)
    components, whole = _framework_roster(log, checked, base)
    rules = _FrameworkRules(log, {c.code for c in components} if whole else None)
    objectives = tuple(rules.objective(o) for o in checked.entries("objectives", ObjectiveEntry))
    head = checked.part("framework", FrameworkHead)
    log.raise_if_any()
    assert head is not None
    return Framework(
        id=head.id,
        title=head.title,
        title_fr=head.title_fr,
        edition=head.edition,
        source=head.source,
        objectives=objectives,
        components=components,
    )


def _framework_roster(
    log: ProblemLog, checked: Checked, base: Path | None
) -> tuple[tuple[Component, ...], bool]:
    """The roster the framework names, and whether it read whole (so codes can be checked)."""
    from missionplan.planning.formats import ComponentEntry
    from missionplan.planning.yamlfile import read_yaml

    roster_file = checked.parts.get("components_file") or ""
    if "components" in checked.given:
        if roster_file:
            log.add(
                checked.root,
                "framework",
                "give the roster either under 'components' or in 'components_file', not both",
                "components_file",
            )
        entries = checked.entries("components", ComponentEntry)
        return roster_rules(log, entries), "components" in checked.whole
    if not roster_file or base is None:
        return load_builtin_roster(), True
    path = base / roster_file
    return roster_from_data(read_yaml(path), str(path)), True


class _FrameworkRules:
    """The rules across entries: unique ids, ids under their own output, known components."""

    def __init__(self, log: ProblemLog, known_components: set[str] | None) -> None:
        self.log = log
        self.known = known_components  # None: the roster has problems, so codes are not checked
        self.seen: dict[str, int | None] = {}

    def objective(self, entry: ObjectiveEntry) -> Objective:
        self.register(entry, entry.id)
        prefix = f"{entry.id}-"
        return Objective(
            id=entry.id,
            title=entry.title,
            title_fr=entry.title_fr,
            ref=entry.ref,
            summary=entry.summary,
            preconditions=self.items(entry.preconditions, prefix),
            benchmarks=self.benchmarks(entry.benchmarks, prefix),
            outputs=tuple(self.output(o, entry.id) for o in entry.outputs),
            notes=tuple(entry.notes),
        )

    def output(self, entry: OutputEntry, objective_id: str) -> Output:
        log, where = self.log, entry.where
        self.register(entry, entry.id)
        if objective_of(entry.id) != objective_id:
            log.add(
                entry, where, f"sits under objective {objective_id}; move it to its own objective"
            )
        lead, support = entry.lead, entry.support
        unknown = set(lead + support) - self.known if self.known is not None else set()
        for code in sorted(unknown):
            log.add(
                entry, where, f"unknown component '{code}'; add it to the roster or fix the code"
            )
        for code in sorted(set(lead) & set(support)):
            log.add(entry, where, f"'{code}' is both lead and support; keep it in one list")
        if not lead:
            log.add(entry, where, "has no lead component; name one under 'lead'")
        prefix = f"{entry.id}-"
        return Output(
            id=entry.id,
            title=entry.title,
            title_fr=entry.title_fr,
            ref=entry.ref,
            description=entry.description,
            activities=self.items(entry.activities, prefix),
            benchmarks=self.benchmarks(entry.benchmarks, prefix),
            risks=self.items(entry.risks, prefix),
            considerations=self.items(entry.considerations, prefix),
            resources=entry.resources,
            lead=lead,
            support=support,
            notes=tuple(entry.notes),
        )

    def items(self, entries: list[ItemEntry], prefix: str) -> tuple[FrameworkItem, ...]:
        return tuple(FrameworkItem(self.item_id(e, prefix), e.text, e.ref) for e in entries)

    def benchmarks(self, entries: list[BenchmarkEntry], prefix: str) -> tuple[Benchmark, ...]:
        return tuple(
            Benchmark(self.item_id(e, prefix), _term(e.term), e.text, e.ref) for e in entries
        )

    def item_id(self, entry: ItemEntry, prefix: str) -> str:
        self.register(entry, entry.id)
        if not entry.id.startswith(prefix):
            self.log.add(
                entry, entry.id, f"item id should start with '{prefix}' (its output or objective)"
            )
        return entry.id

    def register(self, entry: Entry, item_id: str) -> None:
        """Remember an id; a second use of it is a problem naming the first line."""
        if item_id in self.seen:
            first = self.seen[item_id]
            also = f" (first used on line {first})" if first else ""
            self.log.add(entry, item_id, f"id used twice{also}; ids must be unique")
        else:
            self.seen[item_id] = entry.line


def _term(value: str) -> Term:
    return next(t for t in TERMS if t == value)
