"""Iris through a real PgBouncer in transaction mode (IRIS_DB_PGBOUNCER=true).

A worker whose database is PgBouncer translates a document end to end: extraction
writes segments by COPY, the finished job's candidates go into the memory by COPY under
a transaction-scoped advisory lock, and more worker connections share fewer server
connections. Server-side cursors are off in this mode: ``.iterator()`` reads whole
while another client takes the server it ran on. And the setting is refused for a
database PgBouncer cannot pool (iris.E007).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.models import F

from iris.jobs.models import JobState
from iris.memory.models import IndexTerm, TranslationUnit
from iris.settings import _pgbouncer_options
from tests.documents import build_document
from tests.jobs.helpers import delivery, document_xml, submit, wait_finished
from tests.pgbouncer import POOL_SIZE, PgBouncer
from tests.support import iris_env, manage

WORKER_PROCESSES = POOL_SIZE + 2  # more clients than PgBouncer has servers


@pytest.mark.services
def test_a_worker_through_pgbouncer_translates_and_stores_candidates(
    pgbouncer: PgBouncer, worker_factory
) -> None:
    before, logins = pgbouncer.transactions(), pgbouncer.logins()
    worker_factory(
        IRIS_DATABASE_URL=pgbouncer.url,
        IRIS_DB_PGBOUNCER="true",
        IRIS_BATCH_SEGMENTS="4",
        concurrency=str(WORKER_PROCESSES),
    )
    (job,) = submit(build_document(paragraphs=16), "es", engine="apertium")
    job = wait_finished(job, timeout=180)
    assert job.state == JobState.COMPLETED, f"{job.error}\n{pgbouncer.output()[-3000:]}"
    assert job.segments.count() == job.segments_total > 20  # extraction's COPY
    translated = job.segments.exclude(target="").exclude(target=F("source"))
    assert translated.exists()
    assert document_xml(delivery(job))
    units = TranslationUnit.objects.filter(origin_job_id=job.pk)
    assert units.count() > 10  # the memory's COPY, under its advisory lock
    assert IndexTerm.objects.filter(unit__in=units.values("pk")).exists()
    assert pgbouncer.transactions() - before > 100  # the worker's work went through it
    # The worker's processes and threads opened more connections than PgBouncer opened
    # servers: each server was lent to one client a transaction at a time.
    assert 0 < pgbouncer.servers_opened() <= POOL_SIZE < pgbouncer.logins() - logins


@contextmanager
def _through(pgbouncer: PgBouncer) -> Iterator[DatabaseWrapper]:
    """A Django connection to the test database through PgBouncer, configured as
    IRIS_DB_PGBOUNCER=true configures one, under the alias ``bounced``."""
    settings_dict = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": pgbouncer.port,
        **_pgbouncer_options(),
    }
    bounced = DatabaseWrapper(settings_dict, alias="bounced")
    connections["bounced"] = bounced
    try:
        yield bounced
    finally:
        bounced.close()
        del connections["bounced"]


@pytest.mark.services
def test_iterator_reads_everything_while_another_client_takes_its_server(
    pgbouncer: PgBouncer,
) -> None:
    users = get_user_model().objects
    for number in range(5):
        users.create(username=f"reader-{number}")
    names: list[Any] = []
    with _through(pgbouncer), pgbouncer.connect() as other:
        rows = users.using("bounced").order_by("pk").values_list("username", flat=True)
        reading = rows.iterator(chunk_size=1)
        names.append(next(reading))  # a server cursor would now live on one server
        with other.transaction():
            other.execute("SELECT 1")  # ... which this client holds until the end
            names.extend(reading)
    assert names == [f"reader-{number}" for number in range(5)]


def _manage_check(tmp_path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {"IRIS_DATABASE_URL": database_url, "IRIS_DB_PGBOUNCER": "true"}
    return manage("check", env=iris_env(env, tmp_path))


def test_pgbouncer_with_sqlite_is_e007(tmp_path) -> None:
    done = _manage_check(tmp_path, f"sqlite:///{tmp_path / 'iris.sqlite3'}")
    assert done.returncode != 0
    assert "(iris.E007) IRIS_DB_PGBOUNCER is true but IRIS_DATABASE_URL" in done.stderr


def test_pgbouncer_with_postgresql_passes_the_checks(tmp_path) -> None:
    done = _manage_check(tmp_path, "postgres://iris@127.0.0.1:6432/iris")
    assert done.returncode == 0, done.stderr
