"""Where the register is and how it is opened: the URL, the engine, the layout version.

A register is an SQLite file (by default `missionplan.db` next to the plan, made on first
use) or a PostgreSQL database shared by several planners (`--db postgresql://...` or
MISSIONPLAN_DB). Opening checks the layout version: an older register is upgraded, one
from a newer missionplan is refused. Every database problem becomes a one-line
MissionplanError (a locked, read-only or damaged register), and a refused register is not
changed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Connection,
    DefaultClause,
    Engine,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from missionplan.errors import MissionplanError
from missionplan.register.tables import REGISTER_VERSION, info, merges, metadata, submissions

URL_VARIABLE = "MISSIONPLAN_DB"
DEFAULT_FILE = "missionplan.db"
LOCK_TIMEOUT_SECONDS = 15.0
"""How long a command waits for another planner's write to the register to finish."""
SQLITE_HEADER = b"SQLite format 3\x00"
_PG_LOCK = 7_130_901  # an advisory lock id: one planner at a time sets up the tables


def _kinds_and_periods(connection: Connection) -> None:
    """1 -> 2: submissions and merges gain their kind and period; earlier ones are planning.

    Run inside the opening's write transaction (SQLite and PostgreSQL both change tables
    transactionally), so a register is upgraded whole or left at version 1.
    """
    for table in (submissions, merges):
        for column in ("kind", "period"):
            default = table.c[column].server_default
            assert isinstance(default, DefaultClause)
            connection.execute(
                text(
                    f"ALTER TABLE {table.name} ADD COLUMN {column} VARCHAR(16) "
                    f"DEFAULT '{default.arg}' NOT NULL"
                )
            )


UPGRADES: dict[int, Callable[[Connection], None]] = {1: _kinds_and_periods}
"""Layout version N -> the step that takes a register from N to N + 1."""


def register_url(db: str | None, plan_file: Path | None, environ: Mapping[str, str]) -> str:
    """--db, else MISSIONPLAN_DB, else `missionplan.db` next to the plan; a bare path is SQLite."""
    given = db or environ.get(URL_VARIABLE, "")
    if given:
        return given if "://" in given else _sqlite_url(Path(given))
    if plan_file is None:
        raise MissionplanError(
            f"which register? give --plan PLAN.yaml (the register is {DEFAULT_FILE} next to "
            f"it), --db URL, or set {URL_VARIABLE}"
        )
    return _sqlite_url(plan_file.parent / DEFAULT_FILE)


def _sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=str(path.absolute())).render_as_string()


@dataclass
class Register:
    """An open register: the engine and the URL as it may be shown (no password)."""

    engine: Engine
    shown: str
    sqlite_file: Path | None

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: all of it is stored, or (killed, failed) none of it."""
        with self.errors(), self.engine.connect() as connection:
            connection.info["immediate"] = True
            with connection.begin():
                yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction: a consistent view while other planners write."""
        with self.errors(), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Database errors as one line a planner can act on."""
        try:
            yield
        except IntegrityError:
            raise  # a constraint doing its job (the same bytes stored at once): for the caller
        except DBAPIError as error:
            raise MissionplanError(database_problem(self.shown, error)) from None
        except SQLAlchemyError as error:
            raise MissionplanError(f"the register {self.shown}: {error}") from None

    def close(self) -> None:
        self.engine.dispose()


def database_problem(shown: str, error: DBAPIError) -> str:
    """What went wrong with the register, in a planner's words."""
    detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            f"the register {shown} is locked by another program (waited "
            f"{LOCK_TIMEOUT_SECONDS:g} s); try again when it has finished"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return f"the register {shown} is read-only; ask for write access, or copy it"
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return f"the register {shown} is damaged ({detail}); restore it from a backup"
    if "unable to open" in lowered:
        return f"cannot open the register {shown} ({detail}); check the folder exists"
    return f"the register {shown}: {detail}"


def open_register(url: str, create: bool) -> Register | None:
    """Open the register at url, making it (create) or returning None when there is none.

    A register from a newer missionplan, or a database that is not a register, is refused
    before anything is written to it.
    """
    parsed = _parse(url)
    shown = parsed.render_as_string(hide_password=True)
    sqlite_file = None
    if parsed.get_backend_name() == "sqlite":
        sqlite_file = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:":
            raise MissionplanError(f"the register {shown} needs a file name")
        if not _check_sqlite_file(sqlite_file, shown, create):
            return None
        engine = create_engine(parsed, connect_args={"timeout": LOCK_TIMEOUT_SECONDS})
        _begin_immediately_when_writing(engine)
    else:
        engine = create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            connect_args={"connect_timeout": 10},
            pool_pre_ping=False,
        )
    register = Register(engine, shown, sqlite_file)
    try:
        ready = _prepare(register, create)
    except BaseException:
        register.close()
        raise
    if not ready:
        register.close()
        return None
    return register


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise MissionplanError(
            f"'{url}' is not a database URL; write sqlite:///path/missionplan.db or "
            "postgresql://user@host/database"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise MissionplanError(
            f"the register must be SQLite or PostgreSQL, not {parsed.get_backend_name()}"
        )
    return parsed


def _check_sqlite_file(path: Path, shown: str, create: bool) -> bool:
    """Whether the file is there to open; refuses a file that is not SQLite at all."""
    if not path.exists():
        if create and not path.parent.is_dir():
            raise MissionplanError(f"cannot make the register {shown}: no folder {path.parent}")
        return create
    if path.is_dir():
        raise MissionplanError(f"the register {shown} is a folder, not a database file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise MissionplanError(f"cannot read the register {shown}: {error.strerror}") from None
    if head and head != SQLITE_HEADER:
        raise MissionplanError(
            f"the register {shown} is damaged or not a register (not an SQLite database); "
            "restore it from a backup or give another --db"
        )
    if create and not os.access(path, os.W_OK):
        raise MissionplanError(f"the register {shown} is read-only; ask for write access")
    return True


def _begin_immediately_when_writing(engine: Engine) -> None:
    """SQLite: a write transaction takes the write lock at its start (BEGIN IMMEDIATE).

    Then two planners writing at once wait for each other (up to the lock timeout) instead
    of one failing half-way when its read lock cannot be upgraded.
    """

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: object, record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.info.get("immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _prepare(register: Register, create: bool) -> bool:
    """Check (and make or upgrade) the layout; False when there is no register to read."""
    if not create:
        with register.reading() as connection:
            if not inspect(connection).has_table(info.name):
                _refuse_foreign(register, connection)
                return False
            _check_version(register, _version(connection), upgrading=False)
        return True
    with register.writing() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        if not inspect(connection).has_table(info.name):
            _refuse_foreign(register, connection)
            metadata.create_all(connection)
            connection.execute(
                info.insert(),
                [
                    {"key": "version", "value": str(REGISTER_VERSION)},
                    {"key": "created_at", "value": now_text()},
                ],
            )
            return True
        version = _version(connection)
        _check_version(register, version, upgrading=True)
        while version < REGISTER_VERSION:
            UPGRADES[version](connection)
            version += 1
            connection.execute(
                info.update().where(info.c.key == "version").values(value=str(version))
            )
    return True


def _refuse_foreign(register: Register, connection: Connection) -> None:
    """An SQLite file with other tables is someone else's database: never write into it."""
    if register.sqlite_file is not None and inspect(connection).get_table_names():
        raise MissionplanError(
            f"{register.shown} is an SQLite database but not a missionplan register; "
            "give another --db"
        )


def _version(connection: Connection) -> int:
    value = connection.execute(select(info.c.value).where(info.c.key == "version")).scalar()
    try:
        return int(value or "")
    except ValueError:
        return -1


def _check_version(register: Register, version: int, upgrading: bool) -> None:
    if version > REGISTER_VERSION:
        raise MissionplanError(
            f"the register {register.shown} was made by a newer missionplan (register "
            f"version {version}; this one reads up to {REGISTER_VERSION}); upgrade missionplan"
        )
    steps = range(version, REGISTER_VERSION)
    if version < 0 or not all(v in UPGRADES for v in steps):
        raise MissionplanError(
            f"the register {register.shown} has an unknown layout (version {version}); "
            "it cannot be read or upgraded by this missionplan"
        )
    if version < REGISTER_VERSION and not upgrading:
        raise MissionplanError(
            f"the register {register.shown} is from an older missionplan (version {version}); "
            "run missionplan collect once to upgrade it"
        )


def now_text(now: dt.datetime | None = None) -> str:
    """A time as the register stores it: ISO 8601 in UTC, to the second."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def plan_register(
    plan_file: Path, db: str | None, environ: Mapping[str, str] = os.environ
) -> Register | None:
    """The plan's register opened for reading, or None when nothing was collected yet."""
    return open_register(register_url(db, plan_file, environ), create=False)


def require_register(register: Register | None, plan_file: Path) -> Register:
    """The register, or a one-line error saying what to run first when there is none."""
    if register is None:
        raise MissionplanError(
            f"no register yet for {plan_file}; collect returned workbooks first: "
            f"missionplan collect returned/ --plan {plan_file}"
        )
    return register
