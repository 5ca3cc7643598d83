"""On PostgreSQL two ticks never overlap: while another connection holds the tick's
advisory lock, a tick says so at once and does nothing (stores nothing either)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from iris.artifacts.models import Artifact
from iris.ops.maintenance import ANOTHER_TICK, LOCK_KEY, run_tick
from iris.ops.models import MaintenanceRun
from tests.ops.maintenance_helpers import expired_artifact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def lock_held_elsewhere() -> Iterator[None]:
    """The tick's lock, held by another session (as a running tick would hold it)."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    # Advisory locks are per database: this must be the test database the tick uses.
    assert other.settings_dict["NAME"] == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        yield
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    finally:
        other.close()


def test_a_second_tick_exits_at_once_and_does_nothing(local_storage, lock_held_elsewhere) -> None:
    artifact = expired_artifact()
    out = io.StringIO()

    started = time.monotonic()
    result = run_tick()
    call_command("maintenance_tick", stdout=out)
    elapsed = time.monotonic() - started

    assert not result.ran
    assert result.text == ANOTHER_TICK
    assert "another tick is running" in out.getvalue()
    assert elapsed < 5  # it does not wait for the lock
    assert Artifact.objects.filter(pk=artifact.pk).exists()
    assert default_storage.exists(artifact.storage_name)
    assert not MaintenanceRun.objects.exists()


def test_the_lock_is_free_again_after_a_tick(local_storage) -> None:
    artifact = expired_artifact()
    assert run_tick().ran
    assert not Artifact.objects.filter(pk=artifact.pk).exists()
    assert run_tick().ran
    assert MaintenanceRun.objects.count() == 2
