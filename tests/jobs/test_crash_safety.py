"""SIGKILL a worker in the middle of translate_batch: a new worker finishes the job,
nothing is duplicated, and the delivery equals an uninterrupted run's."""

from __future__ import annotations

import time

import pytest

from iris.docx import open_document
from iris.jobs.models import BatchState, Job, JobState, Origin
from iris.jobs.usage import job_usage
from tests.documents import build_large_document
from tests.jobs.helpers import (
    delivery,
    document_xml,
    forget_translations,
    run_eager,
    submit,
    wait_finished,
    wait_until,
)
from tests.workers import WorkerProcess

pytestmark = pytest.mark.services

# The dead worker's tasks are taken over when their lease expires (iris/jobs/outbox.py),
# not when Redis's visibility timeout (an hour) gives them back: short leases and
# sweeps keep the test fast (production: 60 s and 5 s, so about 65 s).
WORKER_ENV = {
    "IRIS_BATCH_SEGMENTS": "4",
    "IRIS_TASK_LEASE_SECONDS": "10",
    "IRIS_OUTBOX_SWEEP_SECONDS": "1",
    "IRIS_OUTBOX_RESEND_SECONDS": "5",
}
#: lease + sweep + what is left of the job, with room: far below the visibility timeout
RECOVERY_SECONDS = 60


def kill_mid_batch(worker: WorkerProcess, job: Job) -> int:
    """SIGKILL ``worker`` while it holds a batch; returns how many it held.

    The worker is frozen (SIGSTOP) before the database is asked, so that what it says
    the worker holds cannot change before the kill; when the worker was between two
    batches, it is thawed and caught again at its next batch.
    """
    for _attempt in range(20):
        wait_until(
            job,
            lambda j: (
                j.batches.filter(state=BatchState.DONE).exists()
                and j.batches.filter(state=BatchState.RUNNING).exists()
            ),
            what="some batches done while others run",
        )
        worker.freeze()
        running = job.batches.filter(state=BatchState.RUNNING).count()
        if running:
            worker.kill()
            return running
        worker.thaw()
    raise AssertionError("the worker was never caught holding a batch")


def test_killed_worker_mid_batch(worker_factory, settings) -> None:
    data = build_large_document(paragraphs=30)
    uninterrupted = run_eager(settings, data)
    forget_translations()  # so that nothing below can reuse their translations
    first = worker_factory(**WORKER_ENV)
    (job,) = submit(data, "fr", delay_ms="400")
    running = kill_mid_batch(first, job)
    assert running > 0
    killed = time.monotonic()
    worker_factory(**WORKER_ENV)
    job = wait_finished(job, timeout=RECOVERY_SECONDS)
    assert time.monotonic() - killed < RECOVERY_SECONDS
    assert job.state == JobState.COMPLETED, job.error
    units = open_document(data, source_lang="en").units()
    assert job.segments.count() == len(units) == job.segments_total
    assert job.segments_done == job.segments_total
    assert not job.batches.exclude(state=BatchState.DONE).exists()
    # Engine usage is written once per batch, with the targets it paid for.
    billed = job_usage(job.pk).characters
    translated = sum(len(s.source) for s in job.segments.filter(origin=Origin.ENGINE))
    assert billed == translated
    assert max(job.batches.values_list("attempts", flat=True)) >= 2  # some were re-run
    assert document_xml(delivery(job)) == document_xml(uninterrupted)
