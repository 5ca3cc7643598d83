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

from django.core.management.base import BaseCommand, CommandError

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


class SchemaNotReady(Exception):
    """The database has migrations pending and is not one this process sets up itself."""


def ensure_schema() -> None:
    """Make sure the default database has this code's schema before a command uses it.

    The embedded default (SQLite) sets itself up: a new database from the snapshot
    (instant), an older one by migrating. Any other database is migrated only by the
    release step (``manage.py migrate``): :class:`SchemaNotReady` says so, instead of a
    "no such table" from the first query.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if connection.vendor != "sqlite":
        raise SchemaNotReady("the database is not migrated; run `manage.py migrate` first")
    if not create_from_snapshot(connection, executor.loader.graph.nodes):
        call_command("migrate", verbosity=0)


class SchemaCommand(BaseCommand):
    """A management command of Iris's that reads or writes its tables: it runs on a
    ready schema (:func:`ensure_schema`) or stops with one line saying what to do."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            ensure_schema()
        except SchemaNotReady as exc:
            raise CommandError(str(exc)) from None
        return super().execute(*args, **options)


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
