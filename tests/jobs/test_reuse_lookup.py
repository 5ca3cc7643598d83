"""The reuse lookup finds the latest completed translation of each source, on SQLite
and on PostgreSQL (where it is hand-written SQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState, Origin, Segment
from iris.jobs.steps.context import find_reusable
from tests.documents import build_document

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.everywhere]


def _job(state: JobState, finished_minutes_ago: int | None = None) -> Job:
    request = TranslationRequest("a.docx", build_document(2), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    finished = None
    if finished_minutes_ago is not None:
        finished = timezone.now() - timedelta(minutes=finished_minutes_ago)
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=finished)
    return job


def _segment(job: Job, order: int, digest: str, target: str, origin: Origin) -> None:
    Segment.objects.create(
        job=job,
        order=order,
        unit_id=f"u{order}",
        part="word/document.xml",
        kind="paragraph",
        source="s",
        source_hash=digest,
        plain="s",
        target=target,
        origin=origin,
    )


def test_latest_completed_translation_of_each_hash() -> None:
    old, new = _job(JobState.COMPLETED, 60), _job(JobState.COMPLETED, 5)
    failed, running = _job(JobState.FAILED, 1), _job(JobState.TRANSLATING)
    _segment(old, 0, "a", "old a", Origin.ENGINE)
    _segment(old, 1, "b", "old b", Origin.HUMAN)
    _segment(new, 0, "a", "new a", Origin.REUSED)
    _segment(new, 1, "b", "", Origin.PENDING)  # never translated: not a candidate
    _segment(failed, 0, "a", "failed a", Origin.ENGINE)
    _segment(running, 0, "a", "running a", Origin.ENGINE)
    _segment(running, 1, "c", "running c", Origin.ENGINE)
    asking = _job(JobState.TRANSLATING)
    _segment(asking, 0, "c", "own c", Origin.ENGINE)  # its own rows never count

    assert find_reusable(asking, ["a", "b", "c", "d"]) == {"a": "new a", "b": "old b"}
    assert find_reusable(asking, []) == {}
