"""A real PgBouncer in transaction mode in front of the test database, for services tests.

``pgbouncer`` starts the Debian package's ``pgbouncer`` on a free loopback port with a
generated configuration (transaction pooling, trust for the test database's user, a
small server pool so that client connections outnumber server ones) routing the test
database's name (pytest-django's ``test_<name>``) to PostgreSQL; it yields a
:class:`PgBouncer` once it accepts connections and stops it after the test.

The test process keeps its direct connection: pytest-django creates, flushes and drops
the test database through it (CREATE and DROP DATABASE cannot go through PgBouncer).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.support import free_port, wait_for

#: server connections per database and user; clients beyond them wait their turn
POOL_SIZE = 3


def pgbouncer_command() -> str:
    """The binary: Debian installs it in /usr/sbin, outside a normal user's PATH."""
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin")
    if not found:
        pytest.fail("pgbouncer is not installed: run scripts/system-deps.sh")
    return found


@dataclass
class PgBouncer:
    """A running PgBouncer; ``url`` reaches the test database through it."""

    process: subprocess.Popen[bytes]
    folder: Path
    port: int
    database: str
    user: str

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def connect(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        """A plain psycopg connection through PgBouncer (autocommit, no prepared
        statements); ``dbname="pgbouncer"`` is its admin console."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            dbname=dbname or self.database,
            autocommit=True,
            prepare_threshold=None,
            connect_timeout=3,
        )

    def show(self, what: str) -> list[dict[str, Any]]:
        """``SHOW <what>`` on the admin console (STATS, POOLS, SERVERS …), as rows of
        the test database. The console speaks the simple query protocol only."""
        with self.connect("pgbouncer") as admin:
            cursor = psycopg.ClientCursor(admin)
            cursor.execute(f"SHOW {what}")
            names = [column.name for column in cursor.description or []]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return [row for row in rows if row.get("database") == self.database]

    def transactions(self) -> int:
        """Transactions PgBouncer has passed to the test database so far."""
        return sum(int(row["total_xact_count"]) for row in self.show("STATS"))

    def logins(self) -> int:
        """Client connections opened to the test database so far (its log)."""
        return self.output().count(f"login attempt: db={self.database} ")

    def servers_opened(self) -> int:
        """Server connections PgBouncer opened to PostgreSQL so far (its log)."""
        return self.output().count("new connection to server")

    def output(self) -> str:
        return (self.folder / "pgbouncer.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # closes its server connections
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def _configuration(database: dict[str, Any], folder: Path, port: int) -> Path:
    name = database["NAME"]
    host = database.get("HOST") or "127.0.0.1"
    server = f"host={host} port={database.get('PORT') or 5432} dbname={name}"
    user = database.get("USER") or "postgres"
    (folder / "users.txt").write_text(f'"{user}" "{database.get("PASSWORD") or ""}"\n')
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"{name} = {server}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        f"admin_users = {user}\n"
        "pool_mode = transaction\n"
        "log_connections = 1\n"
        f"default_pool_size = {POOL_SIZE}\n"
        "max_client_conn = 200\n"
        # The most recently released server is lent next (PgBouncer's default, said
        # here because a test relies on a client getting another client's server).
        "server_round_robin = 0\n"
    )
    for path in (folder, ini, folder / "users.txt"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return ini


def start_pgbouncer(database: dict[str, Any]) -> PgBouncer:
    """Start PgBouncer for ``database`` (Django's settings dict of the test database);
    returns once it accepts connections. As root it runs as ``nobody`` (it refuses
    root), so its files live in a folder of their own that everyone may read."""
    folder = Path(tempfile.mkdtemp(prefix="iris-pgbouncer-"))
    port = free_port()
    ini = _configuration(database, folder, port)
    command = [pgbouncer_command(), str(ini)]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]
    with (folder / "pgbouncer.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    bouncer = PgBouncer(process, folder, port, database["NAME"], database.get("USER") or "postgres")

    def accepts() -> bool:
        if process.poll() is not None:
            return True
        try:
            with bouncer.connect() as probe:
                probe.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    try:
        wait_for(accepts, 30, "pgbouncer start")
    except TimeoutError:
        bouncer.stop()
        raise
    if process.poll() is not None:
        raise RuntimeError(f"pgbouncer exited at start:\n{bouncer.output()[-3000:]}")
    return bouncer


@pytest.fixture
def pgbouncer(transactional_db) -> Iterator[PgBouncer]:
    """PgBouncer (transaction mode) in front of the test database; services only.

    Ask for it before ``worker_factory`` so that workers stop before it does."""
    if connection.vendor != "postgresql":
        pytest.fail("PgBouncer needs the services configuration (PostgreSQL)")
    bouncer = start_pgbouncer(dict(connection.settings_dict))
    try:
        yield bouncer
    finally:
        bouncer.stop()
        shutil.rmtree(bouncer.folder, ignore_errors=True)
