"""Django admin, the support surface, reads audit records and can change none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from iris.governance.actions import SYSTEM_ACTOR, record_audit
from iris.governance.models import AuditRecord

pytestmark = [pytest.mark.everywhere, pytest.mark.django_db]


def test_a_superuser_reads_but_cannot_change_or_delete_an_audit_record(client) -> None:
    superuser = User.objects.create_superuser("root", password="x")
    record = record_audit(SYSTEM_ACTOR, "job.created", ("jobs.job", "1"))
    client.force_login(superuser)
    base = f"/admin/governance/auditrecord/{record.pk}"
    assert client.get("/admin/governance/auditrecord/").status_code == 200
    assert client.get(f"{base}/change/").status_code == 200  # shown read-only
    assert client.post(f"{base}/change/", {"action": "edited"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.get(pk=record.pk).action == "job.created"
