"""Fixtures shared by every test: the real Celery worker used by integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.workers import WorkerProcess, start_worker


def _require_services() -> None:
    if not settings.IRIS_ASYNC:
        pytest.fail(
            "this test needs the services configuration (IRIS_ASYNC=true, a broker and "
            "PostgreSQL); run it through `make test`, never alone in the embedded one"
        )


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[WorkerProcess]:
    """A real ``celery worker`` subprocess consuming every queue, on the test database."""
    _require_services()
    with django_db_blocker.unblock():
        database = dict(connection.settings_dict)
    worker = start_worker(database, tmp_path_factory.mktemp("worker"))
    try:
        yield worker
    finally:
        worker.stop()
