"""/api/v1/jobs/{id}/review…: reviewers export, import and edit; only managers deliver
now; viewers read. Refusals are problems, and a forged request from a viewer changes
nothing (embedded: the review task runs eagerly when the request commits)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iris.governance.models import AuditRecord, Team
from iris.jobs.models import Job, JobState, Origin, Segment
from iris.review.models import ReviewFormat
from tests.api.conftest import Member
from tests.api.uploads import JOBS, REPORT, assert_problem
from tests.review.helpers import edit_xliff, exported, job_in_review

Cast = dict[str, Member]
pytestmark = pytest.mark.django_db(transaction=True)


def reviewed_job(**policy: Any) -> Job:
    """A job of team alpha waiting in review."""
    team = Team.objects.get(name="alpha").pk
    return job_in_review(REPORT.read_bytes(), policy or None, team_id=team)


def first_order(job: Job) -> int:
    rows = Segment.objects.filter(job=job).exclude(origin=Origin.NOT_TRANSLATABLE)
    return rows.values_list("order", flat=True)[0]


def test_the_review_shows_coverage_and_what_the_gate_waits_for(cast: Cast) -> None:
    job = reviewed_job()
    body = cast["viewer"].client.get(f"{JOBS}{job.pk}/review/").json()
    assert body["in_review"] is True
    assert body["gate_met"] is False
    assert body["coverage"]["segments_reviewed"] == 0
    assert "0.0 % of segments reviewed, 100 % required" in body["waiting_for"]
    assert {e["format"] for e in body["exports"]} == {"xliff", "docx"}


def test_a_reviewer_imports_a_file_and_the_job_is_delivered(cast: Cast) -> None:
    job = reviewed_job()
    order = first_order(job)
    data = edit_xliff(exported(job, ReviewFormat.XLIFF), {order: " (revu)"})
    file = SimpleUploadedFile("report.fr.xlf", data, content_type="application/xliff+xml")
    response = cast["reviewer"].client.post(
        f"{JOBS}{job.pk}/review/import/", {"file": file}, format="multipart"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "applied", body
    assert response["Location"] == f"/api/v1/jobs/{job.pk}/review/imports/{body['id']}/"
    again = cast["viewer"].client.get(response["Location"]).json()
    assert again["report"]["targets_edited"] == 1
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    record = AuditRecord.objects.get(action="review.import", object_id=str(job.pk))
    assert record.actor == cast["reviewer"].user


def test_a_refused_import_reports_why(cast: Cast) -> None:
    job = reviewed_job()
    data = exported(job, ReviewFormat.XLIFF).replace(b'id="s', b'id="z', 1)
    file = SimpleUploadedFile("report.fr.xlf", data)
    body = (
        cast["reviewer"]
        .client.post(f"{JOBS}{job.pk}/review/import/", {"file": file}, format="multipart")
        .json()
    )
    assert body["status"] == "rejected"
    assert body["report"]["errors"][0]["code"] == "unknown_id"


def test_a_reviewer_edits_a_segment_and_qa_runs_again(cast: Cast) -> None:
    job = reviewed_job()
    segment = Segment.objects.get(job=job, order=first_order(job))
    target = segment.target + " (revu)"
    response = cast["reviewer"].client.patch(
        f"{JOBS}{job.pk}/segments/{segment.order}/",
        {"target": target, "state": "final", "comment": "ok"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["target"] == target
    assert body["review_state"] == "final"
    assert body["reviewed_by"] == "reviewer"
    assert body["edit_distance"] == len(" (revu)")
    assert body["qa_status"] in ("passed", "warning")


def test_a_viewer_cannot_edit_import_or_deliver_even_by_a_forged_request(cast: Cast) -> None:
    job = reviewed_job()
    order = first_order(job)
    before = Segment.objects.get(job=job, order=order).target
    viewer = cast["viewer"].client
    edit = viewer.patch(f"{JOBS}{job.pk}/segments/{order}/", {"target": "x"}, format="json")
    assert_problem(edit, 403)
    file = SimpleUploadedFile("f.xlf", exported(job, ReviewFormat.XLIFF))
    assert_problem(
        viewer.post(f"{JOBS}{job.pk}/review/import/", {"file": file}, format="multipart"), 403
    )
    assert_problem(viewer.post(f"{JOBS}{job.pk}/deliver/", {"reason": "x"}), 403)
    assert Segment.objects.get(job=job, order=order).target == before
    assert not job.review_imports.exists()


def test_only_a_manager_delivers_now_and_gives_a_reason(cast: Cast) -> None:
    job = reviewed_job()
    url = f"{JOBS}{job.pk}/deliver/"
    assert_problem(cast["reviewer"].client.post(url, {"reason": "soon"}), 403)
    assert_problem(cast["manager"].client.post(url, {}), 400)
    response = cast["manager"].client.post(url, {"reason": "client deadline"}, format="json")
    assert response.status_code == 202, response.content
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED
    refused = cast["manager"].client.post(url, {"reason": "again"}, format="json")
    assert_problem(refused, 409, "review-conflict")


def test_a_waiver_needs_a_qa_error_and_a_reason(cast: Cast) -> None:
    job = reviewed_job()
    order = first_order(job)
    url = f"{JOBS}{job.pk}/segments/{order}/waive/"
    assert_problem(cast["reviewer"].client.post(url, {"reason": "fine"}), 409, "review-conflict")
    Segment.objects.filter(job=job, order=order).update(qa_status="error")
    body = cast["reviewer"].client.post(url, {"reason": "fine"}, format="json").json()
    assert body["qa_waiver"] == "fine"


def test_export_on_request_and_an_oversized_upload(cast: Cast, settings) -> None:
    job = reviewed_job()
    created = cast["reviewer"].client.post(
        f"{JOBS}{job.pk}/review/export/", {"format": "docx"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["format"] == "docx"
    settings.IRIS_MAX_UPLOAD_MB = 0
    file = SimpleUploadedFile("big.xlf", b"<x/>" * 10)
    response = cast["reviewer"].client.post(
        f"{JOBS}{job.pk}/review/import/", {"file": file}, format="multipart"
    )
    assert_problem(response, 413)


def test_a_job_created_with_a_review_policy_keeps_it(cast: Cast) -> None:
    body = {
        "file": SimpleUploadedFile("report.docx", REPORT.read_bytes()),
        "source_lang": "en",
        "target_langs": "fr",
        "engine": "pseudo",
        "policy": json.dumps({"review_required": True, "review": {"segments": 80}}),
    }
    response = cast["manager"].client.post(JOBS, body, format="multipart")
    assert response.status_code == 201, response.content
    job = Job.objects.get(pk=response.json()["jobs"][0]["id"])
    assert job.review_policy == {"segments": 80, "words": 100, "auto_deliver": True}
    bad = body | {
        "file": SimpleUploadedFile("report.docx", REPORT.read_bytes()),
        "policy": json.dumps({"review": {"segments": 120}}),
    }
    assert_problem(cast["manager"].client.post(JOBS, bad, format="multipart"), 400)
