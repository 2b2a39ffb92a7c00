"""Render the framework for a terminal or as JSON (`missionplan catalog`)."""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.planning.framework import Framework, Output, load_framework
from missionplan.schema.contract import TERMS
from missionplan.schema.text import shorten


@dataclass(frozen=True)
class Catalog:
    """What `missionplan catalog` shows: the whole framework, or one output of it in full."""

    framework: Framework
    output: Output | None = None

    def as_data(self) -> dict[str, Any]:
        """The framework as `catalog_json`, or the one output as plain data."""
        return catalog_json(self.framework) if self.output is None else asdict(self.output)

    def text(self) -> str:
        """The table of objectives and outputs, or the one output in full."""
        if self.output is None:
            return catalog_table(self.framework)
        return output_detail(self.framework, self.output)


def load_catalog(framework_file: Path | None = None, output_id: str | None = None) -> Catalog:
    """Load the framework (the built-in one when None) and find the output asked for."""
    framework = load_framework(framework_file)
    if output_id is None:
        return Catalog(framework)
    found = framework.output(output_id)
    if found is None:
        known = ", ".join(o.id for o in framework.outputs)
        raise MissionplanError(f"no output '{output_id}' in the framework; outputs are: {known}")
    return Catalog(framework, found)


def catalog_table(framework: Framework) -> str:
    """Objectives and outputs with counts of activities, benchmarks (S/M/L) and risks."""
    edition = f", {framework.edition}" if framework.edition else ""
    lines = [f"{framework.title} [{framework.id}{edition}]", ""]
    header = f"{'output':<7} {'title':<52} {'lead':<14} {'act':>3} {'bench S/M/L':>11} {'risk':>4}"
    for objective in framework.objectives:
        lines.append(f"Objective {objective.id}: {objective.title}")
        lines.append(header)
        for output in objective.outputs:
            terms = "/".join(str(len(output.benchmarks_in(t))) for t in TERMS)
            title = shorten(output.title, 52, "…")
            lead = shorten(",".join(output.lead), 14, "…")
            lines.append(
                f"{output.id:<7} {title:<52} {lead:<14}"
                f" {len(output.activities):>3} {terms:>11} {len(output.risks):>4}"
            )
        lines.append("")
    totals = _totals(framework)
    lines.append(
        f"{len(framework.objectives)} objectives, {len(framework.outputs)} outputs, "
        f"{totals['activities']} activities, {totals['benchmarks']} benchmarks, "
        f"{totals['risks']} risks, {totals['considerations']} considerations"
    )
    return "\n".join(lines)


def output_detail(framework: Framework, output: Output, width: int = 88) -> str:
    """One output in full, wrapped for a terminal."""
    objective = framework.objective(output.objective_id)
    names = {c.code: c.name for c in framework.components}
    lines = [f"{output.id} {output.title}  ({output.ref})"]
    if objective:
        lines.append(f"Objective {objective.id}: {objective.title}")
    lines += _wrap(output.description, width, "")
    lines.append("")
    lines.append("Lead:    " + "; ".join(f"{c} ({names.get(c, '?')})" for c in output.lead))
    lines.append("Support: " + "; ".join(f"{c} ({names.get(c, '?')})" for c in output.support))
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Activities", [(i.id, i.text) for i in output.activities]),
        *[
            (
                f"Benchmarks, {term}-term",
                [(b.id, b.text) for b in output.benchmarks_in(term)],
            )
            for term in TERMS
        ],
        ("Challenges and risks", [(i.id, i.text) for i in output.risks]),
        ("Considerations", [(i.id, i.text) for i in output.considerations]),
    ]
    for title, rows in sections:
        lines += ["", f"{title} ({len(rows)})"]
        for item_id, item_text in rows:
            lines += _wrap(item_text, width, f"  {item_id:<9} ")
    if output.resources:
        lines += ["", "Resources", *_wrap(output.resources, width, "  ")]
    if output.notes:
        lines += ["", "Notes on the source"]
        for note in output.notes:
            lines += _wrap(note, width, "  - ")
    return "\n".join(lines)


def catalog_json(framework: Framework) -> dict[str, Any]:
    """The whole framework as plain data (the `--format json` shape)."""
    return {
        "framework": {
            "id": framework.id,
            "title": framework.title,
            "edition": framework.edition,
            "source": framework.source,
            "fingerprint": framework.fingerprint,
        },
        "objectives": [asdict(objective) for objective in framework.objectives],
        "components": [asdict(component) for component in framework.components],
        "totals": _totals(framework),
    }


def _totals(framework: Framework) -> dict[str, int]:
    outputs = framework.outputs
    return {
        "outputs": len(outputs),
        "activities": sum(len(o.activities) for o in outputs),
        "benchmarks": sum(len(o.benchmarks) for o in outputs),
        "risks": sum(len(o.risks) for o in outputs),
        "considerations": sum(len(o.considerations) for o in outputs),
    }


def _wrap(value: str, width: int, first: str) -> list[str]:
    if not value:
        return []
    return textwrap.wrap(value, width, initial_indent=first, subsequent_indent=" " * len(first))
