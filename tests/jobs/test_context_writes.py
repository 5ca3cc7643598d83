"""Context retrieval writes only the segments whose memory matches or terms changed."""

from __future__ import annotations

import pytest

from iris.jobs.models import Job, JobState, Segment
from iris.jobs.steps import context, extraction
from tests.jobs.test_query_counts import captured, new_job

pytestmark = pytest.mark.django_db(transaction=True)


def _batch_job(settings) -> tuple[Job, int]:
    settings.IRIS_BATCH_SEGMENTS = 10
    job = new_job(20)
    extraction.extract_segments(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING)
    return job, job.batches.order_by("number")[0].pk


def test_nothing_found_writes_no_segment(settings) -> None:
    job, batch_id = _batch_job(settings)
    run = captured(lambda: context.retrieve_context(job, batch_id))
    assert not [sql for sql in run if 'UPDATE "jobs_segment"' in sql], run


def test_context_an_earlier_run_stored_is_reset_when_the_memory_no_longer_has_it(
    settings,
) -> None:
    job, batch_id = _batch_job(settings)
    stale = Segment.objects.filter(batch_id=batch_id).order_by("order").first()
    assert stale is not None
    match = {"source": "old", "target": "vieux", "score": 80, "kind": "fuzzy"}
    term = {"source": "old", "target": "vieux"}
    Segment.objects.filter(pk=stale.pk).update(tm_matches=[match], tm_score=80, terms=[term])
    context.retrieve_context(job, batch_id)
    stale.refresh_from_db()
    assert (stale.tm_matches, stale.tm_score, stale.terms) == ([], None, [])
