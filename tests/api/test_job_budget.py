"""A manager changes a job's budget through the API (how a job paused at its budget
goes on); the change is audited with the caller."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iris.governance.models import AuditRecord
from tests.api.conftest import Member
from tests.support import ROOT

pytestmark = [pytest.mark.everywhere, pytest.mark.django_db]


def _job(manager: Member) -> int:
    upload = SimpleUploadedFile("report.docx", (ROOT / "samples" / "report.docx").read_bytes())
    answer = manager.client.post(
        "/api/v1/jobs/",
        {"file": upload, "target_langs": "fr", "policy": '{"budget": 1.5}'},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    return int(answer.json()["jobs"][0]["id"])


def test_budget_raised_and_audited(cast: dict[str, Member]) -> None:
    manager = cast["manager"]
    job = _job(manager)
    assert manager.client.get(f"/api/v1/jobs/{job}/").json()["budget"] == 1.5
    answer = manager.client.patch(
        f"/api/v1/jobs/{job}/", {"budget": 4}, format="json", REMOTE_ADDR="192.0.2.10"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["budget"] == 4
    record = AuditRecord.objects.get(action="job.budget", object_id=str(job))
    assert (record.actor_label, record.role, record.source_ip) == (
        "manager",
        "manager",
        "192.0.2.10",
    )
    assert (record.before, record.after) == ({"budget": 1.5}, {"budget": 4.0})


def test_zero_lifts_the_cap_and_a_negative_budget_is_refused(cast: dict[str, Member]) -> None:
    manager = cast["manager"]
    job = _job(manager)
    refused = manager.client.patch(f"/api/v1/jobs/{job}/", {"budget": -1}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "budget" in refused.json()["errors"]
    lifted = manager.client.patch(f"/api/v1/jobs/{job}/", {"budget": 0}, format="json")
    assert lifted.json()["budget"] is None
