"""Batch states move only through their table, each move one conditional update."""

from __future__ import annotations

import pytest

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.batches import (
    BATCH_TRANSITIONS,
    IllegalBatchMove,
    batch_counts,
    claim_batch,
    finish_batch,
    move_batches,
    queue_batches,
)
from iris.jobs.models import Batch, BatchState, Job, JobState
from iris.jobs.steps.extraction import extract_segments
from tests.documents import build_large_document

pytestmark = pytest.mark.django_db


def translating_job() -> Job:
    request = TranslationRequest("a.docx", build_large_document(12), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    extract_segments(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING)
    return job


def test_every_state_has_a_row_and_done_is_final() -> None:
    assert set(BATCH_TRANSITIONS) == set(BatchState)
    assert BATCH_TRANSITIONS[BatchState.DONE] == frozenset()


def test_an_illegal_move_raises_and_changes_nothing() -> None:
    job = translating_job()
    with pytest.raises(IllegalBatchMove):
        move_batches(job.batches.all(), (BatchState.PENDING,), BatchState.DONE)
    assert not job.batches.exclude(state=BatchState.PENDING).exists()


def test_a_batch_is_claimed_once_and_saved_only_by_its_claimer() -> None:
    job = translating_job()
    batch = job.batches.get(number=0)
    assert claim_batch(batch.pk, job.pk, "task-a")
    assert not claim_batch(batch.pk, job.pk, "task-b")
    assert claim_batch(batch.pk, job.pk, "task-a")  # the broker redelivered task-a
    assert not finish_batch(batch.pk, "task-b")
    assert finish_batch(batch.pk, "task-a")
    assert not claim_batch(batch.pk, job.pk, "task-a")  # done stays done
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (BatchState.DONE, 2)


def test_a_stopped_job_keeps_its_batches() -> None:
    job = translating_job()
    Job.objects.filter(pk=job.pk).update(state=JobState.PAUSED)
    assert not claim_batch(job.batches.get(number=0).pk, job.pk, "task-a")


def test_dispatch_respects_the_window(settings) -> None:
    settings.IRIS_ASYNC = True
    settings.IRIS_BATCH_WINDOW = 2
    settings.IRIS_BATCH_SEGMENTS = 3
    job = translating_job()
    assert job.batches.count() > 2
    counts = batch_counts(job.pk)
    assert counts is not None
    assert len(queue_batches(job.pk, counts)) == 2
    counts = batch_counts(job.pk)
    assert counts is not None
    assert (counts.pending, counts.in_flight) == (job.batches.count() - 2, 2)
    assert queue_batches(job.pk, counts) == []
    Job.objects.filter(pk=job.pk).update(state=JobState.PAUSED)
    assert batch_counts(job.pk) is None
    assert Batch.objects.filter(job=job, state=BatchState.QUEUED).count() == 2


def test_a_lease_holder_takes_over_an_abandoned_batch() -> None:
    job = translating_job()
    batch = job.batches.get(number=0)
    assert claim_batch(batch.pk, job.pk, "dead-task")
    assert not claim_batch(batch.pk, job.pk, "new-task")
    assert claim_batch(batch.pk, job.pk, "new-task", take_over=True)
    # The first holder, should it still be alive, can no longer finish it.
    assert not finish_batch(batch.pk, "dead-task")
    assert finish_batch(batch.pk, "new-task")
    assert not claim_batch(batch.pk, job.pk, "other-task", take_over=True)  # done stays done
