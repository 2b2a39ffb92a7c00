"""A throwaway PostgreSQL server for the register tests, started once per test run.

`initdb` makes a cluster in a temporary folder, `pg_ctl` starts it on a Unix socket in that
folder (no TCP port, nothing shared), and it is stopped and removed when the tests end.
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
(`runuser`). MISSIONPLAN_TEST_POSTGRESQL=postgresql://... uses a server of your own
instead. Each test gets a database of its own.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.needs import require

SERVER_VARIABLE = "MISSIONPLAN_TEST_POSTGRESQL"
HOW_TO_INSTALL = (
    "install PostgreSQL (scripts/ensure-postgresql.sh, or apt-get install postgresql), or set "
    f"{SERVER_VARIABLE} to a server's URL"
)
_server: dict[str, str] = {}


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _start() -> tuple[str, str]:
    """(admin URL, problem): the URL of a running server, or why there is none."""
    given = os.environ.get(SERVER_VARIABLE)
    if given:
        return given, ""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        return "", "PostgreSQL's initdb and pg_ctl are not installed"
    if os.geteuid() == 0 and (not shutil.which("runuser") or _no_user("postgres")):
        return "", "running as root, and there is no 'postgres' user to run the server as"
    folder = Path(tempfile.mkdtemp(prefix="missionplan-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    os.chmod(folder, 0o755)
    try:
        subprocess.run(
            _as_server_user([initdb, "-D", str(data), "-U", "missionplan", "--auth=trust",
                             "-E", "UTF8", "--no-sync"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w",
                             "-o", f"-k {folder} -c listen_addresses='' -c fsync=off", "start"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as error:
        log = folder / "server.log"
        detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        stderr = getattr(error, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        return "", f"the test server did not start ({error}; {stderr[-300:]!r} {detail})"

    def stop() -> None:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://missionplan@/postgres?host={folder}", ""


def _no_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return False
    except KeyError:
        return True


def server_url() -> str:
    """The admin URL of the test server (started on first use); skips (fails on CI) without."""
    if "url" not in _server:
        url, problem = _start()
        _server["url"], _server["problem"] = url, problem
    require("PostgreSQL", bool(_server["url"]), f"{_server['problem']}; {HOW_TO_INSTALL}")
    return _server["url"]


def fresh_database() -> str:
    """The URL of a new, empty database on the test server."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url())
    name = f"register_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        admin.set(drivername="postgresql").render_as_string(hide_password=False),
        autocommit=True,
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)
