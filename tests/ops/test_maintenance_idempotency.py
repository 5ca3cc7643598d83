"""Idempotency-Key answers older than IRIS_IDEMPOTENCY_HOURS are deleted (one audit
record says how many); younger ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from iris.api.models import IdempotentRequest
from iris.governance.models import AuditRecord
from iris.ops.maintenance import run_tick
from tests.ops.maintenance_helpers import idempotency_answer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def test_old_idempotency_answers_are_deleted_and_audited(settings) -> None:
    settings.IRIS_IDEMPOTENCY_HOURS = 24
    old = idempotency_answer("old", timedelta(hours=25))
    older = idempotency_answer("older", timedelta(days=9))
    young = idempotency_answer("young", timedelta(hours=23))

    result = run_tick()

    assert result.run is not None
    assert result.run.summary["steps"]["idempotency_answers"]["count"] == 2
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [young.pk]
    assert not IdempotentRequest.objects.filter(pk__in=[old.pk, older.pk]).exists()
    record = AuditRecord.objects.get(action="idempotency.expired")
    assert record.actor_label == "maintenance"
    assert record.after == {"deleted": 2, "older_than_hours": 24}
    again = run_tick().run
    assert again is not None
    assert again.summary["steps"]["idempotency_answers"]["count"] == 0
