"""What runs next: each step, when done, enqueues the following one after commit."""

from __future__ import annotations

from celery import chain
from django.db import transaction

from iris.jobs.models import Step
from iris.jobs.translate import batch_counts, dispatch_batches, finish_translation


def enqueue_step(job_id: int, step: Step) -> None:
    """Send the task of a job-level step once the current transaction commits."""
    from iris.jobs import tasks

    task = {
        Step.EXTRACT: tasks.docx_extract,
        Step.VERIFY: tasks.qa_verify,
        Step.REASSEMBLE: tasks.docx_reassemble,
    }[step]
    transaction.on_commit(lambda: task.delay(job_id))


def _send_batches(job_id: int, batch_ids: list[int]) -> None:
    from iris.jobs import tasks

    for batch_id in batch_ids:
        chain(
            tasks.retrieve_context.si(job_id, batch_id), tasks.translate_batch.si(job_id, batch_id)
        ).delay()


def advance_translation(job_id: int) -> None:
    """Dispatch more batches, or, when all are done, move on to verification."""
    counts = batch_counts(job_id)
    if counts is None:  # paused, cancelled, failed or already past translation
        return
    if counts.pending:
        batch_ids = dispatch_batches(job_id, counts)
        if batch_ids:
            transaction.on_commit(lambda: _send_batches(job_id, batch_ids))
    elif counts.in_flight == 0 and finish_translation(job_id):
        enqueue_step(job_id, Step.VERIFY)
