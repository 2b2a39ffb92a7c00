"""The register's tables (SQLAlchemy Core) and the version of their layout.

Every value a workbook brings (file name, sheet names, findings) goes in through bound
parameters only; nothing is ever put into SQL text.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from missionplan.schema.review import PLANNING_KIND

REGISTER_VERSION = 2
"""The layout of the tables below; a register carries the version it was made with.

1: the first layout. 2: submissions and merges carry their kind (planning or review) and
period ('' for planning, `2027-Q2` for a quarterly review).
"""

metadata = MetaData()

info = Table(
    "missionplan_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Key/value facts about the register itself: its layout version, when it was made."""

submissions = Table(
    "missionplan_submissions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),  # order received
    Column("sha256", String(64), nullable=False, unique=True),  # same bytes: one entry
    Column("content", LargeBinary, nullable=False),  # the exact bytes received
    Column("size", Integer, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("received_from", Text, nullable=False),  # the path it was collected from
    Column("received_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("saved_at", String(32), nullable=False),  # the workbook's own saved time, or ''
    Column("plan_id", String(64), nullable=False),  # the plan the workbook belongs to, or ''
    Column("collected_for", String(64), nullable=False),  # the plan in use when collected
    Column("component", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("template_version", String(32), nullable=False),
    Column("state", String(16), nullable=False),  # valid, invalid or refused
    Column("reason", Text, nullable=False),  # why it was refused, or ''
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("findings", Text, nullable=False),  # JSON list of the validation findings
    Column("collected_by", Text, nullable=False),
    Column("kind", String(16), nullable=False, server_default=PLANNING_KIND),  # since 2
    Column("period", String(16), nullable=False, server_default=""),  # '' when planning
)
Index("missionplan_submissions_by_component", submissions.c.component, submissions.c.round)

merges = Table(
    "missionplan_merges",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),
    Column("made_at", String(32), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("out", Text, nullable=False),
    Column("out_sha256", String(64), nullable=False),
    Column("inputs", Text, nullable=False),  # JSON list of submission numbers
    Column("include_invalid", Boolean, nullable=False),
    Column("made_by", Text, nullable=False),
    Column("kind", String(16), nullable=False, server_default=PLANNING_KIND),  # since 2
    Column("period", String(16), nullable=False, server_default=""),
)
