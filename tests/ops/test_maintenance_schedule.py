"""The heavy integrity comparison runs once per IRIS_INTEGRITY_MINUTES, not on every
tick, and ticks delete their own summaries after IRIS_MAINTENANCE_KEEP_DAYS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from iris.jobs.models import JobState
from iris.ops.maintenance import SKIPPED, TickResult, run_tick
from iris.ops.models import MaintenanceRun
from tests.artifacts.helpers import make_job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def ran(result: TickResult) -> MaintenanceRun:
    """The stored run of a tick that ran (no other tick held the lock)."""
    assert result.run is not None, result.text
    return result.run


def integrity(result: TickResult) -> dict[str, Any]:
    step: dict[str, Any] = ran(result).summary["steps"]["integrity"]
    return step


def test_ticks_within_the_interval_skip_the_comparison_and_say_when_it_runs(
    local_storage, settings
) -> None:
    settings.IRIS_INTEGRITY_MINUTES = 60
    delivered_nothing = make_job(JobState.COMPLETED)
    first = run_tick()
    assert integrity(first)["detail"]["completed_without_delivery"] == [delivered_nothing.pk]

    second = run_tick(now=ran(first).started + timedelta(minutes=10))
    skipped = integrity(second)
    assert skipped["count"] == 0
    assert skipped["detail"]["checked_by_run"] == ran(first).pk
    due = ran(first).started + timedelta(minutes=60)
    assert skipped["detail"][SKIPPED] == due.isoformat()
    assert skipped["text"].startswith("checked at ")
    assert f"next after {due:%H:%M:%S} UTC" in skipped["text"]

    # Once the interval has passed, the next tick compares again (and finds it again).
    later = run_tick(now=ran(first).started + timedelta(minutes=61))
    assert integrity(later)["detail"]["completed_without_delivery"] == [delivered_nothing.pk]


def test_a_failed_comparison_does_not_count_as_one(local_storage, settings) -> None:
    settings.IRIS_INTEGRITY_MINUTES = 60
    failed = MaintenanceRun.objects.create(
        started=timezone.now(),
        finished=timezone.now(),
        summary={
            "order": ["integrity"],
            "steps": {"integrity": {"count": 0, "text": "failed", "error": "OSError: gone"}},
        },
    )
    result = run_tick(now=failed.started + timedelta(minutes=1))
    assert SKIPPED not in integrity(result)["detail"]
    assert integrity(result)["text"] == "clean"


def test_a_dry_run_always_compares(local_storage) -> None:
    first = run_tick()
    rehearsal = run_tick(dry_run=True, now=ran(first).started + timedelta(minutes=1))
    assert SKIPPED not in integrity(rehearsal)["detail"]


def test_summaries_older_than_the_kept_days_are_deleted(local_storage, settings) -> None:
    settings.IRIS_MAINTENANCE_KEEP_DAYS = 30
    now = timezone.now()
    old = MaintenanceRun.objects.create(started=now - timedelta(days=31), finished=now)
    kept = MaintenanceRun.objects.create(started=now - timedelta(days=29), finished=now)

    rehearsal = run_tick(dry_run=True)
    assert ran(rehearsal).summary["steps"]["old_runs"]["count"] == 1
    assert MaintenanceRun.objects.filter(pk=old.pk).exists()

    result = run_tick()
    assert ran(result).summary["steps"]["old_runs"]["count"] == 1
    assert ran(result).summary["steps"]["old_runs"]["text"] == "1 deleted"
    assert not MaintenanceRun.objects.filter(pk=old.pk).exists()
    assert MaintenanceRun.objects.filter(pk=kept.pk).exists()
