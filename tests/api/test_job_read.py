"""Reading jobs: lists with filters and cursor pages, a job's detail from the jobs
read-models, its segments in document order, its artifacts through signed links.

The tests that run a job to completion are embedded-only (unmarked): they need the
eager tasks of the embedded configuration (transactional_db runs them when the upload
commits); the others run everywhere."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.jobs.actions import Command, apply_control
from iris.jobs.models import Job, JobState, QaStatus
from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem, job_ids, upload

Cast = dict[str, Member]


@pytest.fixture
def jobs(cast: Cast) -> dict[str, int]:
    """fr and de jobs by the manager (the de one cancelled), an es job of alpha made by
    the admin, a fr job of beta."""
    fr, de = job_ids(upload(cast["manager"].client, target_langs="fr,de"))
    (es,) = job_ids(upload(cast["admin"].client, target_langs="es", team="alpha"))
    (beta,) = job_ids(upload(cast["outsider"].client))
    apply_control(de, Command.CANCEL)
    return {"fr": fr, "de": de, "es": es, "beta": beta}


def ids(client: APIClient, **query: str) -> list[int]:
    response = client.get(JOBS, query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.everywhere
def test_the_list_filters(cast: Cast, jobs: dict[str, int]) -> None:
    admin = cast["admin"].client
    assert ids(admin) == sorted(jobs.values(), reverse=True)  # newest first
    assert ids(admin, state="cancelled") == [jobs["de"]]
    assert ids(admin, state="queued") == [jobs["beta"], jobs["es"], jobs["fr"]]
    assert ids(admin, target_lang="fr") == [jobs["beta"], jobs["fr"]]
    assert ids(admin, creator="admin") == [jobs["es"]]
    assert ids(admin, creator="manager") == [jobs["de"], jobs["fr"]]
    assert ids(admin, team="beta") == [jobs["beta"]]
    assert ids(admin, team="alpha", target_lang="fr") == [jobs["fr"]]
    assert ids(cast["manager"].client, team="beta") == []  # filters never widen the scope


@pytest.mark.everywhere
def test_the_list_filters_by_creation_time(cast: Cast, jobs: dict[str, int]) -> None:
    admin = cast["admin"].client
    moment = Job.objects.get(pk=jobs["es"]).created.isoformat()
    assert ids(admin, created_after=moment) == [jobs["beta"], jobs["es"]]
    assert ids(admin, created_before=moment) == [jobs["de"], jobs["fr"]]


@pytest.mark.everywhere
@pytest.mark.parametrize(
    "query",
    [
        {"state": "sleeping"},
        {"created_after": "yesterday"},
        {"cursor": "not-a-cursor"},
        # Decodable, but its position is not an id (base64 of p=abc, p=1%00, r=1&p=x)
        {"cursor": "cD1hYmM="},
        {"cursor": "cD0xJTAw"},
        {"cursor": "cj0xJnA9eA=="},
    ],
)
def test_a_bad_filter_is_a_problem(cast: Cast, query: dict[str, str]) -> None:
    response = cast["admin"].client.get(JOBS, query)
    assert_problem(response, 400 if "cursor" not in query else 404)


@pytest.mark.everywhere
def test_cursor_pages_follow_next(cast: Cast, jobs: dict[str, int]) -> None:
    admin = cast["admin"].client
    url: str | None = f"{JOBS}?page_size=1"
    seen: list[int] = []
    while url is not None:
        response = admin.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        assert len(page["results"]) == 1
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(jobs.values(), reverse=True)
    previous = admin.get(page["previous"]).json()["results"]
    assert [row["id"] for row in previous] == [seen[-2]]


@pytest.mark.everywhere
def test_the_detail_of_a_queued_job(cast: Cast, jobs: dict[str, int]) -> None:
    response = cast["viewer"].client.get(f"{JOBS}{jobs['fr']}/")
    assert response.status_code == 200, response.content
    job = response.json()
    assert (job["id"], job["state"], job["target_lang"]) == (jobs["fr"], "queued", "fr")
    assert (job["creator"], job["team"], job["finished"]) == ("manager", "alpha", False)
    assert job["fraction"] == 0.0
    assert job["delivery"] is None
    assert job["qa"] == {}
    assert [step["status"] for step in job["steps"]] == ["waiting"] * len(job["steps"])


@pytest.fixture
def completed(cast: Cast, transactional_db: Any) -> Job:
    """samples/report.docx translated to French (run eagerly when the upload commits)."""
    (job_id,) = job_ids(upload(cast["manager"].client))
    job = Job.objects.get(pk=job_id)
    assert job.state == JobState.COMPLETED, job.error
    return job


def test_the_detail_of_a_completed_job(cast: Cast, completed: Job) -> None:
    job = cast["viewer"].client.get(f"{JOBS}{completed.pk}/").json()
    total = completed.segments.count()
    assert total > 0
    assert (job["state"], job["finished"], job["fraction"]) == ("completed", True, 1.0)
    assert job["segments_done"] == job["segments_total"] == total
    assert job["words_done"] == job["words_total"] > 0
    assert sum(job["qa"].values()) == sum(job["origins"].values()) == total
    assert job["fidelity"]["clean"] is True
    assert {step["status"] for step in job["steps"]} == {"done"}
    delivered = completed.artifacts.get(kind=ArtifactKind.DELIVERY)
    assert job["delivery"] == {
        "name": delivered.name,
        "size": delivered.size,
        "sha256": delivered.sha256,
        "content_type": delivered.content_type,
    }


def all_pages(client: APIClient, url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        next_url = response.json()["next"]
    return rows


def test_segments_come_in_document_order(cast: Cast, completed: Job) -> None:
    rows = all_pages(cast["viewer"].client, f"{JOBS}{completed.pk}/segments/?page_size=7")
    expected = completed.segments.order_by("order")
    assert [row["order"] for row in rows] == list(expected.values_list("order", flat=True))
    assert [row["unit_id"] for row in rows] == list(expected.values_list("unit_id", flat=True))
    assert all(row["target"] for row in rows if row["origin"] == "engine")


def test_segments_filter_by_qa_status(cast: Cast, transactional_db: Any, openai_server) -> None:
    # The fake engine spoils every segment that mentions "report", even when QA asks
    # for a repair: those end with a QA error, the others pass.
    openai_server.spoil, openai_server.spoil_stubbornly = "report", True
    (job_id,) = job_ids(upload(cast["manager"].client, target_langs="de", engine="openai"))
    job = Job.objects.get(pk=job_id)
    assert job.state == JobState.COMPLETED, job.error
    client = cast["viewer"].client
    by_status = {
        status: all_pages(client, f"{JOBS}{job_id}/segments/?qa_status={status}&page_size=2")
        for status in QaStatus
    }
    for status, rows in by_status.items():
        assert {row["qa_status"] for row in rows} <= {status}
        assert len(rows) == job.segments.filter(qa_status=status).count()
    assert sum(len(rows) for rows in by_status.values()) == job.segments.count()
    errors, passed = by_status[QaStatus.ERROR], by_status[QaStatus.PASSED]
    assert errors
    assert passed
    assert all(row["qa_issues"] and "report" in row["source"].lower() for row in errors)


def test_artifacts_download_through_their_links(
    cast: Cast, completed: Job, anonymous: APIClient
) -> None:
    response = cast["viewer"].client.get(f"{JOBS}{completed.pk}/artifacts/")
    assert response.status_code == 200, response.content
    listed = response.json()
    assert {row["kind"] for row in listed} == set(
        completed.artifacts.values_list("kind", flat=True)
    )
    for row in listed:
        download = anonymous.get(urlsplit(row["download_url"]).path)
        assert download.status_code == 200, row
        body = download.getvalue()
        assert (len(body), hashlib.sha256(body).hexdigest()) == (row["size"], row["sha256"])
    delivery = next(row for row in listed if row["kind"] == ArtifactKind.DELIVERY)
    stored = completed.artifacts.get(kind=ArtifactKind.DELIVERY)
    assert delivery["name"] == "report.fr.docx"
    assert hashlib.sha256(read_artifact(stored)).hexdigest() == delivery["sha256"]
