"""Audit records are never changed or deleted: the model layer refuses it on every
database, and on PostgreSQL a trigger refuses it to any client, raw SQL included."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from iris.governance.actions import SYSTEM_ACTOR, record_audit
from iris.governance.models import AppendOnlyError, AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> AuditRecord:
    return record_audit(SYSTEM_ACTOR, "job.created", ("jobs.job", "7"), after={"a": 1})


def _unchanged(record: AuditRecord) -> None:
    stored = AuditRecord.objects.values_list("action", "after").get(pk=record.pk)
    assert stored == ("job.created", {"a": 1})


@pytest.mark.everywhere
def test_saving_an_existing_record_is_refused(record: AuditRecord) -> None:
    record.action = "job.forged"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.save(update_fields=["action"])
    _unchanged(record)


@pytest.mark.everywhere
def test_deleting_a_record_is_refused(record: AuditRecord) -> None:
    with pytest.raises(AppendOnlyError):
        record.delete()
    _unchanged(record)


@pytest.mark.everywhere
def test_queryset_updates_and_deletes_are_refused(record: AuditRecord) -> None:
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(action="job.forged")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.update_or_create(pk=record.pk, defaults={"action": "job.forged"})
    _unchanged(record)


@pytest.mark.everywhere
def test_new_records_are_still_added(record: AuditRecord) -> None:
    record_audit(SYSTEM_ACTOR, "job.cancelled", ("jobs.job", "7"))
    assert list(AuditRecord.objects.values_list("action", flat=True)) == [
        "job.created",
        "job.cancelled",
    ]


# On SQLite raw SQL is not guarded (no trigger there): the model layer above is.
@pytest.mark.services
def test_postgresql_refuses_raw_updates_and_deletes(record: AuditRecord) -> None:
    assert connection.vendor == "postgresql"
    for statement, params in (
        ("UPDATE governance_auditrecord SET action = 'x'", None),
        ("UPDATE governance_auditrecord SET after = '{}' WHERE id = %s", [record.pk]),
        ("DELETE FROM governance_auditrecord", None),
        ("DELETE FROM governance_auditrecord WHERE id = %s", [record.pk]),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)
    _unchanged(record)


@pytest.mark.everywhere
def test_bulk_update_is_refused(record: AuditRecord) -> None:
    record.action = "job.forged"
    # bulk_update runs in a transaction without a savepoint: give it one to roll back
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditRecord.objects.bulk_update([record], ["action"])
    _unchanged(record)
