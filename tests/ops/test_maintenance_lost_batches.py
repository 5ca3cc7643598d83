"""A queued batch whose message was lost (no outbox row, nothing on the broker) waits
forever: the outbox's sweep knows nothing to send. The tick finds it once its job has
translated for longer than the hard time limit, gives it back to the flow's own
dispatcher, and a worker then completes the job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from iris.celery import app
from iris.jobs import flow, outbox
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Batch, BatchState, JobState, OutboxMessage, Step
from iris.jobs.steps.extraction import extract_segments
from iris.ops.maintenance import run_tick
from tests.documents import build_document
from tests.jobs.helpers import wait_finished

pytestmark = pytest.mark.services


def test_a_queued_batch_whose_message_was_lost_is_sent_again(worker_factory) -> None:
    request = TranslationRequest("report.docx", build_document(4), ["fr"], source_lang="en")
    (job,) = create_jobs(request, start=False)
    # Extraction done here, as a worker would; it queues the batches and sends their
    # messages, which are then lost: rows gone, queues emptied.
    extracting = flow.begin_step(job.pk, Step.EXTRACT)
    assert extracting is not None
    extract_segments(extracting)
    flow.finish_step(job.pk, Step.EXTRACT)
    queued = list(
        Batch.objects.filter(job=job, state=BatchState.QUEUED).values_list("pk", flat=True)
    )
    assert queued
    OutboxMessage.objects.all().delete()
    app.control.purge()
    worker_factory()
    assert outbox.sweep() == 0  # the outbox cannot recover what it never held

    soon = run_tick()
    assert soon.run is not None
    assert soon.run.summary["steps"]["lost_batches"]["count"] == 0  # not before the limit

    later = timezone.now() + timedelta(seconds=settings.IRIS_TASK_TIME_LIMIT + 1)
    result = run_tick(now=later)

    assert result.run is not None
    lost = result.run.summary["steps"]["lost_batches"]
    assert lost["detail"]["queued"] == queued
    assert wait_finished(job).state == JobState.COMPLETED
    assert not Batch.objects.filter(job=job).exclude(state=BatchState.DONE).exists()
