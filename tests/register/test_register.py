"""The register's database layer: URLs, the layout version, entries, what is current.

Every test with `db` runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.errors import MissionplanError
from missionplan.register import database
from missionplan.register.database import open_register, register_url
from missionplan.register.entries import (
    INVALID,
    REFUSED,
    VALID,
    Entry,
    NewEntry,
    add_entry,
    all_entries,
    all_merges,
    content_of,
    current_entries,
    entry_before,
    findings_of,
    record_merge,
    superseded_by,
)
from missionplan.register.tables import REGISTER_VERSION


def new_entry(content: bytes, **changes: object) -> NewEntry:
    base = NewEntry(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        file_name="UNPOL.xlsx",
        received_from="/mail/UNPOL.xlsx",
        received_at="2027-01-10T09:00:00Z",
        saved_at="2027-01-09T17:00:00Z",
        plan_id="p1",
        collected_for="p1",
        component="UNPOL",
        round=1,
        template_version="3",
        state=VALID,
        reason="",
        errors=0,
        warnings=1,
        rows=12,
        findings=({"code": "c", "severity": "warning", "sheet": "S'1", "cell": "B2",
                   "column": "Budget", "item_id": "5.5-A1", "value": "x", "message": "m"},),
        collected_by="planner",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


# --- where the register is ----------------------------------------------------------------


def test_the_default_register_is_next_to_the_plan(tmp_path: Path) -> None:
    url = register_url(None, tmp_path / "plan.yaml", {})
    assert url == f"sqlite:///{tmp_path / 'missionplan.db'}"


def test_db_beats_the_environment_which_beats_the_plan_folder(tmp_path: Path) -> None:
    env = {"MISSIONPLAN_DB": "postgresql://ipu@db/plans"}
    assert register_url("sqlite:///x.db", tmp_path / "plan.yaml", env) == "sqlite:///x.db"
    assert register_url(None, tmp_path / "plan.yaml", env) == "postgresql://ipu@db/plans"


def test_a_bare_path_is_an_sqlite_file(tmp_path: Path) -> None:
    assert register_url(str(tmp_path / "r.db"), None, {}) == f"sqlite:///{tmp_path / 'r.db'}"


def test_without_plan_or_url_the_message_says_what_to_give() -> None:
    with pytest.raises(MissionplanError, match="--db URL"):
        register_url(None, None, {})


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url at all"])
def test_other_databases_are_refused_in_one_line(url: str) -> None:
    with pytest.raises(MissionplanError) as caught:
        open_register(url, create=True)
    assert "\n" not in str(caught.value)


def test_a_password_is_never_shown(tmp_path: Path) -> None:
    with pytest.raises(MissionplanError) as caught:
        open_register("postgresql://ipu:s3cret@127.0.0.1:1/plans", create=True)
    assert "s3cret" not in str(caught.value)
    assert "cannot connect" in str(caught.value) or "register" in str(caught.value)


# --- making, versions, refusing -----------------------------------------------------------


def test_reading_a_register_that_does_not_exist_makes_nothing(tmp_path: Path) -> None:
    assert open_register(f"sqlite:///{tmp_path / 'none.db'}", create=False) is None
    assert not (tmp_path / "none.db").exists()


def test_first_use_makes_the_register_with_its_version(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    with register.reading() as connection:
        version = connection.exec_driver_sql(
            "SELECT value FROM missionplan_info WHERE key = 'version'"
        ).scalar()
    register.close()
    assert version == str(REGISTER_VERSION)
    again = open_register(db, create=True)  # a second open finds it, makes nothing new
    assert again is not None and all_entries(again) == []
    again.close()


def _set_version(db: str, version: int) -> None:
    register = open_register(db, create=True)
    assert register is not None
    with register.writing() as connection:
        connection.exec_driver_sql(
            f"UPDATE missionplan_info SET value = '{version}' WHERE key = 'version'"
        )
    register.close()


def test_a_register_from_a_newer_missionplan_is_refused(db: str) -> None:
    _set_version(db, REGISTER_VERSION + 1)
    for create in (True, False):
        with pytest.raises(MissionplanError, match="newer missionplan") as caught:
            open_register(db, create=create)
        assert "\n" not in str(caught.value)


def test_an_older_register_is_upgraded_step_by_step(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_version(db, 0)
    with pytest.raises(MissionplanError, match="unknown layout"):
        open_register(db, create=True)  # version 0 never existed: no step from it
    steps: list[int] = []
    monkeypatch.setattr(
        database,
        "UPGRADES",
        {v: lambda connection, v=v: steps.append(v) for v in range(REGISTER_VERSION)},
    )
    with pytest.raises(MissionplanError, match="older missionplan"):
        open_register(db, create=False)  # reading never upgrades
    register = open_register(db, create=True)
    assert register is not None and steps == list(range(REGISTER_VERSION))
    register.close()
    reopened = open_register(db, create=False)
    assert reopened is not None
    reopened.close()


def test_a_damaged_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    damaged = tmp_path / "missionplan.db"
    damaged.write_bytes(b"this is no database\x00" * 100)
    before = damaged.read_bytes()
    for create in (True, False):
        with pytest.raises(MissionplanError, match="damaged") as caught:
            open_register(f"sqlite:///{damaged}", create=create)
        assert "\n" not in str(caught.value)
    assert damaged.read_bytes() == before


def test_a_truncated_register_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    register = open_register(url, create=True)
    assert register is not None
    add_entry(register, new_entry(b"x" * 50_000))
    register.close()
    path = tmp_path / "r.db"
    path.write_bytes(path.read_bytes()[:6000])
    with pytest.raises(MissionplanError, match=r"damaged|register"):
        opened = open_register(url, create=False)
        assert opened is not None
        all_entries(opened)


def test_someone_elses_sqlite_database_is_not_written_into(tmp_path: Path) -> None:
    other = tmp_path / "accounts.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE ledger (amount INTEGER)")
    before = other.read_bytes()
    with pytest.raises(MissionplanError, match="not a missionplan register"):
        open_register(f"sqlite:///{other}", create=True)
    assert other.read_bytes() == before


def test_a_locked_register_gives_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    register = open_register(url, create=True)
    assert register is not None
    register.close()
    monkeypatch.setattr(database, "LOCK_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(MissionplanError, match="locked by another program") as caught:
            open_register(url, create=True)  # opening to write waits for the lock
        assert "\n" not in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    reopened = open_register(url, create=False)
    assert reopened is not None and all_entries(reopened) == []  # nothing half-written
    reopened.close()


# --- entries --------------------------------------------------------------------------------


def test_an_entry_keeps_the_exact_bytes_and_everything_said_of_them(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    content = bytes(range(256)) * 40
    entry, already = add_entry(register, new_entry(content))
    assert not already and entry.number == 1
    assert content_of(register, entry.number) == content
    assert entry.sha256 == hashlib.sha256(content).hexdigest() and entry.size == len(content)
    assert findings_of(register, [1])[1][0]["sheet"] == "S'1"
    assert all_entries(register) == [entry]
    assert content_of(register, 99) is None
    register.close()


def test_the_same_bytes_twice_are_one_entry(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    first, _ = add_entry(register, new_entry(b"same"))
    again, already = add_entry(register, new_entry(b"same", file_name="copy.xlsx"))
    assert already and again == first
    assert len(all_entries(register)) == 1
    register.close()


HOSTILE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
) | st.sampled_from(
    ["'; DROP TABLE missionplan_submissions; --", '"); DELETE FROM x; --', "$(rm -rf ~)", "`id`"]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE, sheet=HOSTILE)
def test_any_text_is_stored_and_read_back_as_text(db: str, name: str, sheet: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    content = f"{name}|{sheet}".encode() + b"\x01"
    finding = {"code": "c", "severity": "error", "sheet": sheet, "cell": "A1", "column": "",
               "item_id": "", "value": name, "message": "m"}  # fmt: skip
    entry, _ = add_entry(
        register, new_entry(content, file_name=name, component=sheet, findings=(finding,))
    )
    stored = next(e for e in all_entries(register) if e.number == entry.number)
    assert (stored.file_name, stored.component) == (name, sheet)
    assert findings_of(register, [entry.number])[entry.number] == [finding]
    register.close()


def test_merges_are_recorded(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    record = record_merge(register, "2027-02-01T10:00:00Z", "p1", 1, "/plans/m.xlsx", "ab" * 32,
                          [3, 1], False, "planner")  # fmt: skip
    assert record.inputs == (1, 3)
    assert all_merges(register) == [record]
    register.close()


# --- what is current ----------------------------------------------------------------------


def entry(
    number: int, component: str, state: str, plan_id: str = "p1", round: int = 1, period: str = ""
) -> Entry:
    return Entry(number, f"{number:064d}", 1, "f.xlsx", "/f.xlsx", "2027-01-01T00:00:00Z", "",
                 plan_id, plan_id, component, round, "3", state, "", 0, 0, 0, "",
                 "review" if period else "planning", period)  # fmt: skip


def test_entry_before_finds_what_a_new_entry_supersedes(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    one, _ = add_entry(register, new_entry(b"1"))
    add_entry(register, new_entry(b"2", component="HRS"))
    add_entry(register, new_entry(b"3", state=REFUSED))
    four, _ = add_entry(register, new_entry(b"4", state=INVALID))
    assert entry_before(register, four) == one.number
    assert entry_before(register, one) is None
    register.close()


ENTRIES = st.lists(
    st.tuples(
        st.sampled_from(["UNPOL", "HRS", "PAD"]),
        st.sampled_from([VALID, INVALID, REFUSED]),
        st.sampled_from(["p1", "p2"]),
        st.integers(1, 2),
        st.sampled_from(["", "", "2027-Q2", "2027-Q3"]),
    ),
    max_size=30,
).map(lambda rows: [entry(i + 1, *row) for i, row in enumerate(rows)])


@given(ENTRIES)
def test_current_is_the_last_usable_entry_received(entries: list[Entry]) -> None:
    current = current_entries(reversed(entries), "p1", 1)  # the order given does not matter
    review = current_entries(reversed(entries), "p1", 1, "2027-Q2")
    for component in ("UNPOL", "HRS", "PAD"):
        usable = [e for e in entries if (e.component, e.plan_id, e.round, e.period)
                  == (component, "p1", 1, "") and e.state != REFUSED]  # fmt: skip
        assert current.get(component) == (usable[-1] if usable else None)
        reviews = [
            e
            for e in entries
            if (e.component, e.plan_id, e.period) == (component, "p1", "2027-Q2")
            and e.state != REFUSED
        ]  # any round
        assert review.get(component) == (reviews[-1] if reviews else None)
    later = superseded_by(entries)
    # every usable entry is either current (for its plan and slot) or superseded, never both;
    # a review and a planning entry, or two periods, never supersede one another
    for e in entries:
        if e.state == REFUSED:
            assert e.number not in later
            continue
        is_current = current_entries(entries, e.plan_id, e.round, e.period).get(e.component) == e
        assert is_current != (e.number in later)
        if e.number in later:
            assert later[e.number] > e.number
            successor = next(n for n in entries if n.number == later[e.number])
            assert (successor.kind, successor.period) == (e.kind, e.period)


# --- layout version 1 -> 2: kinds and periods ----------------------------------------------

V2_COLUMNS = {"kind", "period"}


def _version_1_register(db: str) -> None:
    """A register as missionplan made it with layout version 1: no kind, no period, one entry
    and one merge in it (the v1 tables are today's without the columns version 2 added)."""
    from sqlalchemy import Column, MetaData, Table, create_engine

    from missionplan.register.tables import metadata

    v1 = MetaData()
    for table in metadata.sorted_tables:
        columns = [
            Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                   unique=c.unique, autoincrement=c.autoincrement)
            for c in table.columns
            if c.name not in V2_COLUMNS
        ]  # fmt: skip
        Table(table.name, v1, *columns)
    url = db.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as connection:
        v1.create_all(connection)
        connection.execute(
            v1.tables["missionplan_info"].insert(),
            [{"key": "version", "value": "1"}, {"key": "created_at", "value": "2026-01-01"}],
        )
        values = {k: v for k, v in new_entry(b"v1").__dict__.items()
                  if k not in V2_COLUMNS | {"findings"}}  # fmt: skip
        connection.execute(v1.tables["missionplan_submissions"].insert().values(
            **values, size=2, findings="[]"))  # fmt: skip
        merge = {"made_at": "2026-01-02T00:00:00Z", "plan_id": "p1", "round": 1, "out": "/m.xlsx",
                 "out_sha256": "ab" * 32, "inputs": "[1]", "include_invalid": False,
                 "made_by": "planner"}  # fmt: skip
        connection.execute(v1.tables["missionplan_merges"].insert().values(**merge))
    engine.dispose()


def _columns(db: str) -> dict[str, set[str]]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        found = inspect(engine)
        tables = found.get_table_names()
        return {name: {c["name"] for c in found.get_columns(name)} for name in tables}
    finally:
        engine.dispose()


def test_a_version_1_register_is_upgraded_to_kinds_and_periods(db: str, tmp_path: Path) -> None:
    _version_1_register(db)
    with pytest.raises(MissionplanError, match="older missionplan"):
        open_register(db, create=False)
    register = open_register(db, create=True)  # collect opens it so: upgraded
    assert register is not None
    (old,) = all_entries(register)
    assert (old.kind, old.period, old.component, old.round) == ("planning", "", "UNPOL", 1)
    (merge,) = all_merges(register)
    assert (merge.kind, merge.period, merge.inputs) == ("planning", "", (1,))
    review, _ = add_entry(register, new_entry(b"q2", kind="review", period="2027-Q2"))
    assert (review.kind, review.period) == ("review", "2027-Q2")
    assert entry_before(register, review) is None  # a review never supersedes a planning entry
    with register.reading() as connection:
        version = connection.exec_driver_sql(
            "SELECT value FROM missionplan_info WHERE key = 'version'"
        ).scalar()
    register.close()
    assert version == str(REGISTER_VERSION) == "2"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    open_register(fresh, create=True).close()  # type: ignore[union-attr]
    assert _columns(db) == _columns(fresh)  # upgraded: the same layout as one made new


def test_an_upgrade_that_fails_leaves_version_1_as_it_was(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _version_1_register(db)
    before = _columns(db)

    def half_way(connection: object) -> None:
        database._kinds_and_periods(connection)  # type: ignore[arg-type]
        raise MissionplanError("killed half-way")

    monkeypatch.setattr(database, "UPGRADES", {1: half_way})
    with pytest.raises(MissionplanError, match="killed half-way"):
        open_register(db, create=True)
    assert _columns(db) == before  # the columns added were rolled back with the transaction
    monkeypatch.undo()
    register = open_register(db, create=True)
    assert register is not None and [e.kind for e in all_entries(register)] == ["planning"]
    register.close()


def test_a_review_supersedes_only_its_own_period(db: str) -> None:
    register = open_register(db, create=True)
    assert register is not None
    planning, _ = add_entry(register, new_entry(b"plan"))
    q2, _ = add_entry(register, new_entry(b"q2", kind="review", period="2027-Q2"))
    q3, _ = add_entry(register, new_entry(b"q3", kind="review", period="2027-Q3", round=2))
    q2_again, _ = add_entry(register, new_entry(b"q2b", kind="review", period="2027-Q2", round=2))
    planning_again, _ = add_entry(register, new_entry(b"plan2"))
    assert entry_before(register, q2) is None and entry_before(register, q3) is None
    assert entry_before(register, q2_again) == q2.number  # another round, the same period
    assert entry_before(register, planning_again) == planning.number
    entries = all_entries(register)
    register.close()
    assert current_entries(entries, "p1", 1) == {"UNPOL": planning_again}
    assert current_entries(entries, "p1", 1, "2027-Q2") == {"UNPOL": q2_again}
    assert current_entries(entries, "p1", 1, "2027-Q3") == {"UNPOL": q3}
    assert superseded_by(entries) == {
        planning.number: planning_again.number,
        q2.number: q2_again.number,
    }
