"""Every /api/v1 read on a hot path runs a fixed number of queries, however many rows
it shows or the database holds: each endpoint is measured with 1 row and with 20 (the
job list and detail, a job's segments and artifacts, the audit trail, tokens), the
counts must be equal, and the numbers are pinned so that a new query is seen."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from iris.artifacts.models import ArtifactKind
from iris.governance.actions import SYSTEM_ACTOR, record_audit
from iris.governance.models import Team
from iris.governance.tokens import create_token
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment, Step
from tests.api.conftest import TEAM, Member
from tests.api.uploads import JOBS
from tests.artifacts.helpers import artifact_row

pytestmark = pytest.mark.everywhere

Cast = dict[str, Member]

#: one job in each state a list shows, so every branch of the status read-model runs
STATES = [
    (JobState.QUEUED, ""),
    (JobState.TRANSLATING, ""),
    (JobState.COMPLETED, ""),
    (JobState.PAUSED, ""),
    (JobState.FAILED, Step.TRANSLATE),
    (JobState.CANCELLED, ""),
    (JobState.IN_REVIEW, ""),
]


def add_jobs(count: int, creator: Member) -> list[Job]:
    team = Team.objects.get(name=TEAM)
    rows = [
        Job(
            team=team,
            creator=creator.user,
            source_name=f"d{index}.docx",
            source_lang="en",
            target_lang="fr",
            engine="pseudo",
            state=STATES[index % len(STATES)][0],
            paused_state=JobState.TRANSLATING,
            failed_step=STATES[index % len(STATES)][1],
            segments_total=10,
            segments_done=index % 10,
            started_at=timezone.now(),
        )
        for index in range(count)
    ]
    return Job.objects.bulk_create(rows)


def add_segments(job: Job, count: int) -> None:
    start = job.segments.count()
    Segment.objects.bulk_create(
        Segment(
            job=job,
            order=order,
            unit_id=f"u{order}",
            part="word/document.xml",
            kind="paragraph",
            source=f"Sentence {order}.",
            source_hash=f"{order:064x}",
            plain=f"Sentence {order}.",
            target=f"Phrase {order}.",
            origin=Origin.ENGINE,
            words=2,
            tm_score=80,
            qa_status=QaStatus.WARNING if order % 2 else QaStatus.PASSED,
            qa_issues=[{"check": "numbers"}] if order % 2 else [],
            terms=[{"source": "sentence", "target": "phrase", "forbidden": False}],
        )
        for order in range(start, start + count)
    )


def counted(client: APIClient, url: str) -> tuple[list[str], Any]:
    """The queries of one GET of ``url`` and its body. The request is sent once
    before: a token's first use in a minute also writes its last use."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in queries.captured_queries], response.json()


def assert_same(few: list[str], many: list[str], pinned: int) -> None:
    assert len(few) == len(many), (few, many)
    assert len(many) == pinned, many


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_the_job_list(cast: Cast, role: str) -> None:
    client = cast[role].client
    add_jobs(1, cast["manager"])
    few, body = counted(client, JOBS)
    assert len(body["results"]) == 1
    add_jobs(19, cast["manager"])
    many, body = counted(client, JOBS)
    assert len(body["results"]) == 20
    assert {row["state"] for row in body["results"]} == {state for state, _ in STATES}
    # the token with its user and role, the page (a manager's scoped to their teams by
    # a subquery, owners joined)
    assert_same(few, many, 2)


def test_the_job_detail(cast: Cast) -> None:
    client = cast["manager"].client
    (job,) = add_jobs(1, cast["manager"])
    add_segments(job, 1)
    artifact_row(job, ArtifactKind.DELIVERY)
    few, body = counted(client, f"{JOBS}{job.pk}/")
    assert body["origins"] == {"engine": 1}
    add_jobs(19, cast["manager"])
    add_segments(job, 19)
    many, body = counted(client, f"{JOBS}{job.pk}/")
    assert body["origins"] == {"engine": 20}
    assert body["terms"]["terms"] == 20
    # the token with its user and role, the job (scoped), then its report: the
    # delivery, usage (requests, batches), and one pass over the segments (per QA
    # status and origin, flagged checks, analysis, term compliance)
    assert_same(few, many, 6)


def test_a_jobs_segments(cast: Cast) -> None:
    client = cast["manager"].client
    (job,) = add_jobs(1, cast["manager"])
    add_segments(job, 1)
    few, body = counted(client, f"{JOBS}{job.pk}/segments/")
    assert len(body["results"]) == 1
    add_segments(job, 19)
    many, body = counted(client, f"{JOBS}{job.pk}/segments/")
    assert len(body["results"]) == 20
    assert_same(few, many, 3)  # the token with its user and role, the job, the page


def test_a_jobs_artifacts(cast: Cast) -> None:
    """One live artifact per kind: every kind, and tombstones the list leaves out."""
    client = cast["manager"].client
    (job,) = add_jobs(1, cast["manager"])
    artifact_row(job, ArtifactKind.SOURCE)
    few, body = counted(client, f"{JOBS}{job.pk}/artifacts/")
    assert len(body) == 1
    for kind in ArtifactKind:
        if kind != ArtifactKind.SOURCE:
            artifact_row(job, kind)
    for _ in range(12):
        artifact_row(job, ArtifactKind.DELIVERY, deleted=True)
    many, body = counted(client, f"{JOBS}{job.pk}/artifacts/")
    assert len(body) == len(ArtifactKind)
    assert_same(few, many, 3)  # the token with its user and role, the job, its live artifacts


def test_the_audit_list(cast: Cast) -> None:
    client = cast["admin"].client
    url = "/api/v1/audit/?action=test.counted"

    def add_records(count: int) -> None:
        for index in range(count):
            record_audit(SYSTEM_ACTOR, "test.counted", ("thing", str(index)))

    add_records(1)
    few, body = counted(client, url)
    assert len(body["results"]) == 1
    add_records(19)
    many, body = counted(client, url)
    assert len(body["results"]) == 20
    assert_same(few, many, 2)  # the token with its user and role, the page


@pytest.mark.parametrize(("role", "shown"), [("viewer", 1), ("admin", 5)])
def test_the_tokens_list(cast: Cast, role: str, shown: int) -> None:
    """A viewer sees their own tokens, an admin everyone's (one per cast member)."""
    member = cast[role]
    few, body = counted(member.client, "/api/v1/tokens/")
    assert len(body["results"]) == shown
    for index in range(19):
        create_token(member.user, f"more-{index}", SYSTEM_ACTOR)
    many, body = counted(member.client, "/api/v1/tokens/")
    assert len(body["results"]) == shown + 19
    assert {row["user"] for row in body["results"]} >= {member.user.username}
    # the token with its user and role, the page with the owners joined
    assert_same(few, many, 2)
