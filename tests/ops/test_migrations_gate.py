"""Web never serves on a schema older than its code: while migrations are pending it
answers 503 problems and readiness says so; after ``manage.py migrate`` it recovers on
its own, without a restart. Once nothing is pending the gate costs no query."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from tests.support import get_json, iris_env, manage, wait_for, web_server
from tests.workers import database_url

#: a process that found migrations pending asks again this often (RECHECK_SECONDS), so
#: recovery takes one interval and some requests
RECOVERY_SECONDS = 30


def migrations_in_code() -> int:
    return len(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@pytest.fixture
def empty_database(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The environment of a database with no table: a new SQLite file (the embedded
    default in a fresh var folder), or a new PostgreSQL database, dropped after."""
    if request.param == "sqlite":
        yield {}
        return
    server = dict(connection.settings_dict)
    maintenance = database_url(server | {"NAME": "postgres"})
    name = f"iris_gate_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"IRIS_DATABASE_URL": database_url(server | {"NAME": name})}
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)],
    indirect=True,
)
def test_unmigrated_database_is_refused_until_migrate_runs(tmp_path, empty_database) -> None:
    env = iris_env(empty_database, tmp_path)  # no table, nothing applied
    with web_server(env) as base:
        assert get_json(base + "/health/live").status == 200  # the process itself is up

        ready = get_json(base + "/health/ready")
        assert ready.status == 503, ready.body
        check = ready.body["checks"]["migrations"]
        assert check["status"] == "error"
        found = re.search(r"(\d+) migrations pending: run manage.py migrate", check["message"])
        assert found, check
        assert int(found.group(1)) == migrations_in_code()
        assert ready.body["checks"]["database"]["status"] == "ok"  # reachable, just behind

        jobs = get_json(base + "/api/v1/jobs/")
        assert jobs.status == 503
        assert jobs.headers["Content-Type"] == "application/problem+json"
        assert jobs.body["detail"] == "migrations pending: run manage.py migrate"
        assert jobs.body["type"] == "/api/v1/problems/migrations-pending"
        assert jobs.body["pending_migrations"] == migrations_in_code()
        assert int(jobs.headers["Retry-After"]) > 0

        migrate = manage("migrate", "--verbosity", "0", env=env, timeout=120)
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr

        wait_for(
            lambda: get_json(base + "/health/ready").status == 200,
            RECOVERY_SECONDS,
            "readiness after migrate",
            interval=0.5,
        )
        ready = get_json(base + "/health/ready")
        assert ready.body["checks"]["migrations"]["status"] == "ok", ready.body
        jobs = get_json(base + "/api/v1/jobs/")
        # The API answers for itself again: no token, so 401 (not the gate's 503).
        assert jobs.status == 401, jobs.body
        assert jobs.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.everywhere
@pytest.mark.django_db
def test_gate_asks_no_query_once_nothing_is_pending(client: Client, django_assert_num_queries):
    client.get("/api/v1/jobs/")  # the process's first request may ask the database once
    with django_assert_num_queries(0):
        # an unauthenticated API request makes no query of its own: any would be the gate's
        assert client.get("/api/v1/jobs/").status_code == 401
        assert client.get("/api/v1/jobs/").status_code == 401


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)],
    indirect=True,
)
@pytest.mark.parametrize(
    "command",
    [("tm", "stats"), ("glossary", "stats"), ("iris_user", "list"), ("iris_status",)],
    ids=" ".join,
)
def test_a_command_on_an_unmigrated_database_says_what_to_do(
    tmp_path, empty_database, command
) -> None:
    """The embedded default sets itself up, as ``iris`` does; any other database gets one
    line asking for the release step, never a "no such table" traceback."""
    done = manage(*command, env=iris_env(empty_database, tmp_path))
    if not empty_database:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == (
        "CommandError: the database is not migrated; run `manage.py migrate` first"
    )
