"""SIGKILL a worker in the middle of translate_batch: a new worker finishes the job,
nothing is duplicated, and the delivery equals an uninterrupted run's."""

from __future__ import annotations

import time

import pytest

from iris.docx import open_document
from iris.jobs.models import BatchState, Job, JobState, Origin, OutboxMessage
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
#: lease + sweep, with room: far below the visibility timeout. Within it every task the
#: dead worker held is taken from it (its lease freed and the task sent again); when
#: the task runs again depends on how many wait in the queue before it.
RECOVERY_SECONDS = 60
#: then the rest of the job (35 batches of 400 ms, on a machine that may be busy)
FINISH_SECONDS = 240


def leases_of(job: Job, batch_ids: list[int]) -> dict[int, str]:
    """Outbox row -> the delivery holding its lease, for the tasks of these batches."""
    rows = OutboxMessage.objects.exclude(claimed_by="").values_list("pk", "args", "claimed_by")
    return {
        pk: held
        for pk, args, held in rows
        if len(args) == 2 and args[0] == job.pk and args[1] in batch_ids
    }


def kill_mid_batch(worker: WorkerProcess, job: Job) -> list[int]:
    """SIGKILL ``worker`` while it holds a batch; returns the batches it held.

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
        running = list(job.batches.filter(state=BatchState.RUNNING).values_list("pk", flat=True))
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
    dead = leases_of(job, running)
    assert dead  # the killed worker held the lease of each batch it ran
    killed = time.monotonic()
    worker_factory(**WORKER_ENV)

    def taken_back(_job: Job) -> bool:
        now = leases_of(job, running)
        return all(now.get(pk) != holder for pk, holder in dead.items())

    wait_until(job, taken_back, RECOVERY_SECONDS, "the dead worker's tasks taken back")
    assert time.monotonic() - killed < RECOVERY_SECONDS
    job = wait_finished(job, timeout=FINISH_SECONDS)
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
