"""Context retrieval writes only the segments whose memory matches or terms changed."""

from __future__ import annotations

import pytest

from iris.jobs.models import Batch, Job, JobState, Segment
from iris.jobs.steps import context, extraction
from iris.memory.store import NewUnit, memory
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


@pytest.mark.everywhere  # JSON comparisons differ between the databases
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


def _segment_reads(run: list[str]) -> list[str]:
    return [sql for sql in run if '"jobs_segment"."source"' in sql]


@pytest.mark.everywhere
def test_nothing_to_find_reads_no_segment(settings) -> None:
    """No unit in the pair's languages and no glossary: the step reads no segment (a
    memory of other languages does not count)."""
    memory().add([NewUnit("A sentence of another pair.", "Ein Satz.", "en", "de")])
    job, batch_id = _batch_job(settings)
    assert not _segment_reads(captured(lambda: context.retrieve_context(job, batch_id)))
    assert Batch.objects.get(pk=batch_id).context_seconds > 0


@pytest.mark.everywhere
def test_a_unit_in_the_pair_is_looked_up(settings) -> None:
    job, batch_id = _batch_job(settings)
    first = Segment.objects.filter(batch_id=batch_id).order_by("order")[0]
    memory().add([NewUnit(first.source, "Traduit.", "en", "fr")])
    run = captured(lambda: context.retrieve_context(job, batch_id))
    assert _segment_reads(run)
    first.refresh_from_db()
    assert first.tm_score == 100
    assert first.tm_matches[0]["target"] == "Traduit."
