"""What the tests of this folder share: a small framework written by hand, and its editing."""

from __future__ import annotations

from pathlib import Path

MINI = """\
framework:
  id: "mini"
  title: "Mini framework"
components:
  - {code: HOM, name: Head of Mission, kind: leadership}
  - {code: CAD, name: Civil Affairs, kind: civilian substantive}
  - {code: FORCE, name: Military Component, kind: uniformed}
objectives:
  - id: "1"
    title: "First objective"
    preconditions:
      - {id: "1-P1", text: "A pre-condition.", ref: "§1"}
    benchmarks:
      - {id: "1-BL1", term: "long", text: "An objective benchmark.", ref: "§1"}
    outputs:
      - id: "1.1"
        title: "First output"
        activities:
          - {id: "1.1-A1", text: "First activity.", ref: "§1.1.1"}
          - {id: "1.1-A2", text: "Second activity.", ref: "§1.1.1"}
        benchmarks:
          - {id: "1.1-BS1", term: "short", text: "Short benchmark.", ref: "§1.1.2"}
          - {id: "1.1-BM1", term: "medium", text: "Medium benchmark.", ref: "§1.1.2"}
          - {id: "1.1-BL1", term: "long", text: "Long benchmark.", ref: "§1.1.2"}
        risks:
          - {id: "1.1-R1", text: "A risk.", ref: "§1.1.5"}
        considerations:
          - {id: "1.1-C1", text: "A consideration.", ref: "§1.1.6"}
        lead: ["HOM"]
        support: ["CAD"]
      - id: "1.2"
        title: "Second output"
        activities:
          - {id: "1.2-A1", text: "Another activity.", ref: "§1.2.1"}
        benchmarks:
          - {id: "1.2-BS1", term: "short", text: "Another benchmark.", ref: "§1.2.2"}
        risks:
          - {id: "1.2-R1", text: "Another risk.", ref: "§1.2.5"}
        lead: ["FORCE"]
        support: []
"""

ROSTER_LINES = "\n".join(
    [
        "components:",
        "  - {code: HOM, name: Head of Mission, kind: leadership}",
        "  - {code: CAD, name: Civil Affairs, kind: civilian substantive}",
        "  - {code: FORCE, name: Military Component, kind: uniformed}",
        "",
    ]
)


def line(source: str, needle: str) -> int:
    """The 1-based line of the only line in source that contains needle."""
    hits = [n for n, text in enumerate(source.splitlines(), start=1) if needle in text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def edit(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


def write(tmp_path: Path, source: str, name: str = "framework.yaml") -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path
