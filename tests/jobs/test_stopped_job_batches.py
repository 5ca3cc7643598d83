"""A job that failed or was cancelled has no batch queued or running (no task will
run it): its unfinished batches wait pending and unclaimed, and a retry runs them."""

from __future__ import annotations

import pytest

from iris.jobs.actions import (
    Command,
    TranslationRequest,
    apply_control,
    create_jobs,
    fail_job,
)
from iris.jobs.batches import IN_FLIGHT, claim_batch, finish_batch, move_batches
from iris.jobs.models import Batch, BatchState, Job, JobState, Step
from iris.jobs.steps.extraction import extract_segments
from tests.documents import build_document, build_large_document
from tests.jobs.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _in_flight(job: Job) -> list[tuple[str, str]]:
    rows = Batch.objects.filter(job=job, state__in=IN_FLIGHT)
    return list(rows.values_list("state", "claimed_by"))


def _translating_job(settings) -> Job:
    """A translating job with one batch running (claimed), one queued, others pending."""
    settings.IRIS_BATCH_SEGMENTS = 3
    request = TranslationRequest("a.docx", build_large_document(12), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    extract_segments(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING)
    first, second = job.batches.order_by("number")[:2]
    assert claim_batch(first.pk, job.pk, "task-a")
    move_batches(Batch.objects.filter(pk=second.pk), (BatchState.PENDING,), BatchState.QUEUED)
    assert job.batches.filter(state=BatchState.PENDING).exists()
    return job


def test_a_job_failed_by_its_engine_has_no_batch_left_running(tmp_path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="fail-once", marker=str(marker))
    job.refresh_from_db()
    assert (job.state, job.failed_step) == (JobState.FAILED, Step.TRANSLATE)
    assert _in_flight(job) == []
    assert job.batches.filter(state=BatchState.PENDING).exists()
    apply_control(job.pk, Command.RETRY)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert not job.batches.exclude(state=BatchState.DONE).exists()


def test_a_cancelled_job_has_no_batch_queued_or_running(settings) -> None:
    job = _translating_job(settings)
    pending = set(job.batches.filter(state=BatchState.PENDING).values_list("pk", flat=True))
    apply_control(job.pk, Command.CANCEL)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert _in_flight(job) == []
    assert pending < set(job.batches.filter(state=BatchState.PENDING).values_list("pk", flat=True))


def test_the_task_of_a_batch_given_back_can_no_longer_save_it(settings) -> None:
    job = _translating_job(settings)
    running = job.batches.get(state=BatchState.RUNNING)
    fail_job(job.pk, Step.TRANSLATE, "engine outage")
    assert _in_flight(job) == []
    assert not finish_batch(running.pk, "task-a")
