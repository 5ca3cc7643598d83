"""``maintenance_tick --dry-run`` counts what a tick would delete, by rehearsing it, and
changes nothing: every row, object and audit record stays; only its report is stored."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from iris.api.models import IdempotentRequest
from iris.artifacts.models import Artifact
from iris.governance.models import AuditRecord
from iris.jobs.models import CachedTranslation
from iris.memory.models import TranslationUnit
from iris.ops.maintenance import run_tick
from iris.ops.models import MaintenanceRun
from tests.ops.maintenance_helpers import expired_artifact, idempotency_answer, stale_candidate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def _cached_answer_long_ago() -> CachedTranslation:
    answer = CachedTranslation.objects.create(key="k" * 64, engine="pseudo", target="x")
    CachedTranslation.objects.filter(pk=answer.pk).update(
        created=timezone.now() - timedelta(days=400)
    )
    return answer


def test_a_dry_run_counts_what_a_tick_would_delete_and_changes_nothing(local_storage) -> None:
    artifact = expired_artifact()
    answer = idempotency_answer("old", timedelta(days=30))
    unit = stale_candidate()
    cached = _cached_answer_long_ago()
    audit_before = AuditRecord.objects.count()
    out = io.StringIO()

    call_command("maintenance_tick", "--dry-run", stdout=out)

    run = MaintenanceRun.objects.get()
    assert run.dry_run
    counts = {name: step["count"] for name, step in run.summary["steps"].items()}
    assert counts["expired_artifacts"] == 1
    assert counts["idempotency_answers"] == 1
    assert counts["stale_candidates"] == 1
    assert counts["engine_cache"] == 1
    assert "dry run (nothing changed)" in out.getvalue()
    assert "1 to delete" in out.getvalue()
    # Nothing changed: rows, the object, the audit trail.
    assert Artifact.objects.filter(pk=artifact.pk).exists()
    assert default_storage.exists(artifact.storage_name)
    assert IdempotentRequest.objects.filter(pk=answer.pk).exists()
    assert TranslationUnit.objects.filter(pk=unit).exists()
    assert CachedTranslation.objects.filter(pk=cached.pk).exists()
    assert AuditRecord.objects.count() == audit_before

    real = run_tick()

    assert real.run is not None
    assert {name: step["count"] for name, step in real.run.summary["steps"].items()} == counts
    assert not Artifact.objects.filter(pk=artifact.pk).exists()
    assert not default_storage.exists(artifact.storage_name)
    assert not TranslationUnit.objects.filter(pk=unit).exists()
