"""The planning framework: objectives, outputs and their items, loaded and checked.

The built-in framework is the study "Considerations for Mission Leadership
in UN Peace Operations" (templates/considerations.yaml). Planning units
edit it or write their own, so loading reports every problem at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from missionplan.planning.fields import ProblemLog, codes, items, mapping, text
from missionplan.planning.yamlfile import parse_yaml, read_yaml
from missionplan.schema.contract import COMPONENT_KINDS, TERMS, ItemType, Term
from missionplan.schema.ids import (
    COMPONENT_CODE,
    ITEM_ID_CHARACTERS,
    OBJECTIVE_ID,
    OUTPUT_ID,
    objective_of,
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


@dataclass(frozen=True)
class Framework:
    """A complete planning framework with the component roster it refers to."""

    id: str
    title: str
    edition: str
    source: str
    objectives: tuple[Objective, ...]
    components: tuple[Component, ...]

    @property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(o for objective in self.objectives for o in objective.outputs)

    def output(self, output_id: str) -> Output | None:
        return next((o for o in self.outputs if o.id == output_id), None)

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def component(self, code: str) -> Component | None:
        return next((c for c in self.components if c.code == code), None)

    @property
    def fingerprint(self) -> str:
        """A short hash of the framework's content: two frameworks with the same text match."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


def load_framework(path: Path | None = None) -> Framework:
    """Load a framework file (the built-in one when path is None) and check it whole."""
    if path is None:
        source = resources.files("missionplan.templates").joinpath(BUILTIN_FRAMEWORK)
        data = parse_yaml(source.read_text(encoding="utf-8"), BUILTIN_FRAMEWORK)
        return framework_from_data(data, BUILTIN_FRAMEWORK, base=None)
    return framework_from_data(read_yaml(path), str(path), base=path.parent)


def load_builtin_roster() -> tuple[Component, ...]:
    """The default roster of components shipped with missionplan."""
    source = resources.files("missionplan.templates").joinpath(BUILTIN_ROSTER)
    data = parse_yaml(source.read_text(encoding="utf-8"), BUILTIN_ROSTER)
    log = ProblemLog(BUILTIN_ROSTER)
    roster = read_roster(log, data)
    log.raise_if_any()
    return roster


def read_roster(log: ProblemLog, data: Any) -> tuple[Component, ...]:
    """Read a `components:` list, checking codes, names, kinds and duplicates."""
    root = mapping(log, data, "roster")
    roster: list[Component] = []
    seen: set[str] = set()
    for node in items(log, root, "components", "roster"):
        entry = mapping(log, node, "component", root)
        code = text(log, entry, "code", "component")
        where = f"component {code}" if code else "component"
        name = text(log, entry, "name", where)
        kind = text(log, entry, "kind", where)
        if code and not COMPONENT_CODE.match(code):
            log.add(entry, where, "a code is 1 to 16 capital letters, digits or hyphens")
        if kind and kind not in COMPONENT_KINDS:
            log.add(entry, where, f"kind '{kind}' is not one of: {', '.join(COMPONENT_KINDS)}")
        if code in seen:
            log.add(entry, where, "this code is listed twice")
        seen.add(code)
        roster.append(Component(code, name, kind))
    if not roster:
        log.add(root, "roster", "no components are listed")
    return tuple(roster)


def framework_from_data(data: Any, file: str, base: Path | None) -> Framework:
    """Build a Framework from parsed YAML, reporting every problem at once."""
    log = ProblemLog(file)
    root = mapping(log, data, "framework file")
    head = mapping(log, root.get("framework"), "framework", root)
    components = _framework_roster(log, root, base)
    reader = _FrameworkReader(log, {c.code for c in components})
    objectives = tuple(
        reader.objective(node) for node in items(log, root, "objectives", "framework")
    )
    if not objectives:
        log.add(root, "framework", "no objectives are listed under 'objectives'")
    framework = Framework(
        id=text(log, head, "id", "framework"),
        title=text(log, head, "title", "framework"),
        edition=text(log, head, "edition", "framework", required=False),
        source=text(log, head, "source", "framework", required=False),
        objectives=objectives,
        components=components,
    )
    log.raise_if_any()
    return framework


def _framework_roster(
    log: ProblemLog, root: dict[str, Any], base: Path | None
) -> tuple[Component, ...]:
    if "components" in root:
        return read_roster(log, root)
    roster_file = root.get("components_file")
    if roster_file is None or base is None:
        return load_builtin_roster()
    path = base / str(roster_file)
    roster_log = ProblemLog(str(path))
    roster = read_roster(roster_log, read_yaml(path))
    roster_log.raise_if_any()
    return roster


def _notes(log: ProblemLog, entry: dict[str, Any], where: str) -> tuple[str, ...]:
    """The `notes` list: each note is one text (a list or mapping there is a problem)."""
    found = []
    for note in items(log, entry, "notes", where):
        if isinstance(note, bool | dict | list) or note is None:
            log.add(entry, where, "each note should be a text")
        else:
            found.append(" ".join(str(note).split()))
    return tuple(found)


class _FrameworkReader:
    """Reads objectives, outputs and items, noting problems and ids already used."""

    def __init__(self, log: ProblemLog, known_components: set[str]) -> None:
        self.log = log
        self.known = known_components
        self.seen: dict[str, int | None] = {}

    def objective(self, node: Any) -> Objective:
        log = self.log
        entry = mapping(log, node, "objective")
        objective_id = self.register(entry, text(log, entry, "id", "objective"))
        where = f"objective {objective_id}"
        if objective_id and not OBJECTIVE_ID.fullmatch(objective_id):
            log.add(entry, where, "an objective id is a number, e.g. 3")
        prefix = f"{objective_id}-"
        preconditions = self.items(entry, "preconditions", prefix)
        benchmarks = self.benchmarks(entry, prefix)
        outputs = tuple(self.output(n, objective_id) for n in items(log, entry, "outputs", where))
        if not outputs:
            log.add(entry, where, "has no outputs")
        return Objective(
            id=objective_id,
            title=text(log, entry, "title", where),
            ref=text(log, entry, "ref", where, required=False),
            summary=text(log, entry, "summary", where, required=False),
            preconditions=preconditions,
            benchmarks=benchmarks,
            outputs=outputs,
            notes=_notes(log, entry, where),
        )

    def output(self, node: Any, objective_id: str) -> Output:
        log = self.log
        entry = mapping(log, node, "output")
        output_id = self.register(entry, text(log, entry, "id", "output"))
        where = f"output {output_id}"
        if output_id and not OUTPUT_ID.fullmatch(output_id):
            log.add(entry, where, "an output id is objective.number, e.g. 3.1")
        elif output_id and objective_of(output_id) != objective_id:
            log.add(
                entry, where, f"sits under objective {objective_id}; move it to its own objective"
            )
        lead = codes(log, entry, "lead", where)
        support = codes(log, entry, "support", where)
        for code in sorted(set(lead + support) - self.known):
            log.add(
                entry, where, f"unknown component '{code}'; add it to the roster or fix the code"
            )
        for code in sorted(set(lead) & set(support)):
            log.add(entry, where, f"'{code}' is both lead and support; keep it in one list")
        if not lead:
            log.add(entry, where, "has no lead component; name one under 'lead'")
        prefix = f"{output_id}-"
        return Output(
            id=output_id,
            title=text(log, entry, "title", where),
            ref=text(log, entry, "ref", where, required=False),
            description=text(log, entry, "description", where, required=False),
            activities=self.items(entry, "activities", prefix),
            benchmarks=self.benchmarks(entry, prefix),
            risks=self.items(entry, "risks", prefix),
            considerations=self.items(entry, "considerations", prefix),
            resources=text(log, entry, "resources", where, required=False),
            lead=lead,
            support=support,
            notes=_notes(log, entry, where),
        )

    def items(self, parent: dict[str, Any], key: str, prefix: str) -> tuple[FrameworkItem, ...]:
        found = []
        for node in items(self.log, parent, key, prefix.rstrip("-")):
            entry = mapping(self.log, node, key, parent)
            item_id = self.item_id(entry, prefix)
            found.append(
                FrameworkItem(
                    id=item_id,
                    text=text(self.log, entry, "text", item_id or key),
                    ref=text(self.log, entry, "ref", item_id or key, required=False),
                )
            )
        return tuple(found)

    def benchmarks(self, parent: dict[str, Any], prefix: str) -> tuple[Benchmark, ...]:
        found = []
        for node in items(self.log, parent, "benchmarks", prefix.rstrip("-")):
            entry = mapping(self.log, node, "benchmark", parent)
            item_id = self.item_id(entry, prefix)
            term = text(self.log, entry, "term", item_id or "benchmark")
            if term and term not in TERMS:
                self.log.add(entry, item_id, f"term '{term}' is not one of: short, medium, long")
            found.append(
                Benchmark(
                    id=item_id,
                    term=term if term in TERMS else "short",
                    text=text(self.log, entry, "text", item_id or "benchmark"),
                    ref=text(self.log, entry, "ref", item_id or "benchmark", required=False),
                )
            )
        return tuple(found)

    def item_id(self, entry: dict[str, Any], prefix: str) -> str:
        item_id = self.register(
            entry, text(self.log, entry, "id", f"item under {prefix.rstrip('-')}")
        )
        if item_id and not item_id.startswith(prefix):
            self.log.add(
                entry, item_id, f"item id should start with '{prefix}' (its output or objective)"
            )
        if item_id and not ITEM_ID_CHARACTERS.fullmatch(item_id):
            self.log.add(
                entry, item_id, "an id uses only letters, digits, dots, hyphens and underscores"
            )
        return item_id

    def register(self, entry: dict[str, Any], item_id: str) -> str:
        """Remember an id; a second use of it is a problem naming the first line."""
        if item_id in self.seen:
            first = self.seen[item_id]
            also = f" (first used on line {first})" if first else ""
            self.log.add(entry, item_id, f"id used twice{also}; ids must be unique")
        elif item_id:
            self.seen[item_id] = getattr(entry, "line", None)
        return item_id
