"""Fixtures shared by every test: the real Celery worker used by integration tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connection

from iris.ops.health import forget_readiness
from tests.formats.conftest import docx_sources, legacy_documents  # noqa: F401 - shared fixtures
from tests.workers import WorkerProcess, start_worker

#: fixtures shared by test folders (the fake servers of paid engines, an S3 server,
#: the production web server, PgBouncer, headless Chromium)
pytest_plugins = [
    "tests.engine_openai.server",
    "tests.s3",
    "tests.live_server",
    "tests.pgbouncer",
    "tests.console.browser",
]


@pytest.fixture(autouse=True)
def _fresh_readiness() -> None:
    """Readiness answers are shared for a few seconds per process: no test inherits
    the answer of an earlier one, made with other settings."""
    forget_readiness()


def _require_services() -> None:
    if not settings.IRIS_ASYNC:
        pytest.fail(
            "this test needs the services configuration (IRIS_ASYNC=true, a broker and "
            "PostgreSQL); run it through `make test`, never alone in the embedded one"
        )


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[WorkerProcess]:
    """A real ``celery worker`` subprocess consuming every queue, on the test database.

    Module-scoped: tests that need workers of their own (crash, control) start them
    with :func:`tests.workers.start_worker` and must not compete with this one.
    """
    _require_services()
    with django_db_blocker.unblock():
        database = dict(connection.settings_dict)
    worker = start_worker(database, tmp_path_factory.mktemp("worker"))
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def worker_factory(transactional_db, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real workers with extra environment; all are stopped after the test."""
    _require_services()
    started: list[WorkerProcess] = []
    from iris.celery import app

    app.control.purge()  # nothing left over from an earlier test may run

    def start(**env: str) -> WorkerProcess:
        concurrency = int(env.pop("concurrency", "2"))
        worker = start_worker(
            dict(connection.settings_dict), tmp_path, concurrency=concurrency, env=env
        )
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        app.control.purge()
