"""Console pages through Django's test client: sign-in, the jobs list and detail,
controls shown and accepted by role, upload with its estimate, "deliver now"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iris.governance.models import AuditRecord, Role
from iris.jobs.models import Job, JobState
from iris.review.models import ReviewFormat
from tests.api.conftest import make_member
from tests.api.uploads import REPORT
from tests.console.conftest import PASSWORD, csrf_post, team_job
from tests.review.helpers import edit_xliff, exported

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_visitors_are_sent_to_sign_in(db) -> None:
    response = Client().get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=/console/")


def test_signing_in_with_a_password_is_audited(clients) -> None:
    client = Client(enforce_csrf_checks=False)
    response = client.post("/console/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="console.login").exists()
    wrong = Client().post("/console/login/", {"username": "viewer", "password": "nope"})
    assert b"did not match" in wrong.content


def test_the_jobs_list_shows_the_team_jobs_and_a_fragment_for_polling(clients) -> None:
    job = team_job()
    page = clients["viewer"].get("/console/")
    assert page.status_code == 200
    assert f"#{job.pk}".encode() in page.content
    assert b'hx-trigger="every 2s"' in page.content
    rows = clients["viewer"].get("/console/?state=completed", HTTP_HX_REQUEST="true")
    assert b"<html" not in rows.content
    assert f"#{job.pk}".encode() in rows.content
    none = clients["viewer"].get("/console/?state=failed", HTTP_HX_REQUEST="true")
    assert b"No jobs match" in none.content


def test_control_buttons_are_shown_only_to_roles_that_may_use_them(clients) -> None:
    job = team_job()
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, failed_step="docx_extract")
    manager = clients["manager"].get(f"/console/jobs/{job.pk}/")
    assert b'data-control="retry"' in manager.content
    reviewer = clients["reviewer"].get(f"/console/jobs/{job.pk}/")
    assert reviewer.status_code == 200
    assert b"data-control=" not in reviewer.content


def test_a_control_needs_csrf_and_the_right_role(clients) -> None:
    job = team_job()
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, failed_step="docx_extract")
    url = f"/console/jobs/{job.pk}/control/retry"
    assert clients["manager"].post(url).status_code == 403  # no CSRF token
    assert csrf_post(clients["reviewer"], url).status_code == 403  # forged by a reviewer
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    done = csrf_post(clients["manager"], url, REMOTE_ADDR="192.0.2.7")
    assert done.status_code == 302
    assert Job.objects.get(pk=job.pk).state == JobState.COMPLETED
    record = AuditRecord.objects.filter(object_id=str(job.pk), actor__username="manager").first()
    assert record is not None
    assert record.source_ip == "192.0.2.7"


def test_upload_shows_the_estimate_then_starts_the_job(clients) -> None:
    manager = clients["manager"]
    form = {"target_langs": "fr", "source_lang": "en", "engine": "pseudo", "review_coverage": 100}
    estimate = csrf_post(
        manager,
        "/console/upload/estimate",
        form | {"file": SimpleUploadedFile("report.docx", REPORT.read_bytes())},
        HTTP_HX_REQUEST="true",
    )
    assert estimate.status_code == 200
    assert b"translatable segments" in estimate.content
    assert b"pseudo" in estimate.content
    assert not Job.objects.exists()
    started = csrf_post(
        manager,
        "/console/upload/",
        form | {"file": SimpleUploadedFile("report.docx", REPORT.read_bytes())},
    )
    job = Job.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/console/jobs/{job.pk}/"
    assert job.creator is not None
    assert job.creator.username == "manager"


def test_a_bad_upload_says_why_and_stores_nothing(clients) -> None:
    form = {
        "target_langs": "xx-nope",
        "source_lang": "en",
        "file": SimpleUploadedFile("a.docx", b"PK"),
    }
    page = csrf_post(clients["manager"], "/console/upload/", form)
    assert page.status_code == 200
    assert b"notice-error" in page.content
    assert not Job.objects.exists()
    assert clients["viewer"].get("/console/upload/").status_code == 403


def test_a_manager_delivers_a_job_in_review_with_a_reason(clients) -> None:
    job = team_job(review=True)
    assert job.state == JobState.IN_REVIEW
    page = clients["reviewer"].get(f"/console/jobs/{job.pk}/")
    assert b"Waiting for:" in page.content
    assert b'data-control="deliver"' not in page.content
    url = f"/console/jobs/{job.pk}/deliver"
    assert csrf_post(clients["reviewer"], url, {"reason": "x"}).status_code == 403
    csrf_post(clients["manager"], url, {"reason": "deadline"})
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED
    detail = clients["viewer"].get(f"/console/jobs/{job.pk}/")
    assert b"translated document" in detail.content
    assert b"/d/" in detail.content


def test_a_job_of_another_team_is_not_found(clients) -> None:
    job = team_job()
    outsider = make_member("outsider", Role.MANAGER, ["beta"])
    client = Client()
    client.force_login(outsider.user)
    assert client.get(f"/console/jobs/{job.pk}/").status_code == 404


def test_a_reviewer_imports_a_reviewed_file_from_the_job_page(clients) -> None:
    job = team_job(review=True)
    page = clients["reviewer"].get(f"/console/jobs/{job.pk}/")
    assert b"data-review-import" in page.content
    assert b"data-review-import" not in clients["viewer"].get(f"/console/jobs/{job.pk}/").content
    url = f"/console/jobs/{job.pk}/review/import"
    package = exported(job, ReviewFormat.XLIFF)
    refused = csrf_post(
        clients["reviewer"],
        url,
        {"file": SimpleUploadedFile("r.xlf", package.replace(b'"s', b'"z', 1))},
    )
    assert refused.status_code == 302
    shown = clients["reviewer"].get(refused["Location"]).content
    assert b"import refused, nothing changed" in shown
    assert b"is not a segment of this job" in shown
    forged = csrf_post(clients["viewer"], url, {"file": SimpleUploadedFile("r.xlf", package)})
    assert forged.status_code == 403
    orders = job.segments.exclude(origin="not_translatable").values_list("order", flat=True)
    edited = edit_xliff(package, {orders[0]: " (revu)"})
    csrf_post(clients["reviewer"], url, {"file": SimpleUploadedFile("r.xlf", edited)})
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.review_imports.filter(status="applied").count() == 1
    assert job.review_imports.count() == 2  # the refused file is kept too
