"""A new SQLite database gets its schema from a snapshot of the migrated schema.

Replaying every migration (Django's own and Iris's) into an empty SQLite file takes
0.6 s, longer than translating a short document, and the embedded default creates its
database on the first run in every new ``IRIS_VAR_DIR``. The snapshot
(``sqlite_schema.sql`` beside this module) is the SQL dump of a freshly migrated
database, rows of the migration history, content types and permissions included;
``python manage.py schema_snapshot`` writes it and a test fails when it no longer
matches the migrations. It is used only for an empty database and only when it records
exactly the migrations this code has; otherwise ``migrate`` runs as usual.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("sqlite_schema.sql")
#: a row of the migration history in the dump: (its start up to the time, app, name)
_MIGRATION_ROW = re.compile(
    r"""^(INSERT INTO "django_migrations" VALUES\(\d+,'([^']+)','([^']+)',)'[^']*'\);$""", re.M
)
#: the time every migration of the snapshot is recorded as applied (keeps it stable)
APPLIED = "2000-01-01 00:00:00"


def recorded_migrations(sql: str) -> set[tuple[str, str]]:
    """The (app, migration) pairs a snapshot records as applied."""
    return {(app, name) for _start, app, name in _MIGRATION_ROW.findall(sql)}


def create_from_snapshot(connection: Any, migrations: Iterable[tuple[str, str]]) -> bool:
    """Give an empty SQLite database the snapshot's schema, if the snapshot records
    exactly ``migrations`` (the code's); ``False`` when it did nothing."""
    if connection.vendor != "sqlite" or not SNAPSHOT.is_file():
        return False
    if connection.introspection.table_names():
        return False
    sql = SNAPSHOT.read_text(encoding="utf-8")
    if recorded_migrations(sql) != set(migrations):
        return False
    connection.ensure_connection()
    raw = connection.connection
    # One process creates the schema; another starting at the same moment waits for
    # the exclusive lock, then finds the tables there. Tables are dumped by name, so
    # rows may come before the tables they refer to: foreign keys are checked after.
    script = sql.replace("BEGIN TRANSACTION;", "BEGIN EXCLUSIVE;", 1)
    try:
        raw.executescript(f"PRAGMA foreign_keys=OFF;\n{script}PRAGMA foreign_keys=ON;")
    except sqlite3.OperationalError:
        if raw.in_transaction:
            raw.rollback()
        raw.execute("PRAGMA foreign_keys=ON")
        if not connection.introspection.table_names():
            raise  # not another process's doing
    return True


def dump_migrated_schema() -> str:
    """The snapshot of a database migrated from nothing, in a child process (so that
    this process's own database connection is left alone)."""
    with tempfile.TemporaryDirectory(prefix="iris-schema-") as folder:
        path = Path(folder) / "schema.sqlite3"
        env = {
            **os.environ,
            "IRIS_DATABASE_URL": f"sqlite:///{path}",
            "DJANGO_SETTINGS_MODULE": "iris.settings",
        }
        env.setdefault("IRIS_SECRET_KEY", "schema-snapshot")
        manage = Path(__file__).resolve().parents[2] / "manage.py"
        subprocess.run(
            [sys.executable, str(manage), "migrate", "--verbosity", "0"], env=env, check=True
        )
        with sqlite3.connect(path) as database:
            lines = list(database.iterdump())
    sql = "\n".join(lines) + "\n"
    return _MIGRATION_ROW.sub(rf"\1'{APPLIED}');", sql)
