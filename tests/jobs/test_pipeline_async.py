"""The same pipeline through the real broker and real worker processes."""

from __future__ import annotations

import pytest

from iris.celery import TASK_FOR_QUEUE
from iris.governance.actions import Actor
from iris.jobs.actions import Command, request_control
from iris.jobs.models import BatchState, JobState
from iris.review.actions import deliver_now
from tests.documents import build_document
from tests.jobs.helpers import (
    delivery,
    document_xml,
    run_eager,
    submit,
    wait_finished,
    wait_until,
)
from tests.review.helpers import submit_for_review

pytestmark = pytest.mark.services


def test_eager_and_async_deliver_identical_documents(worker_factory, settings) -> None:
    data = build_document(paragraphs=20)
    eager = run_eager(settings, data)
    worker_factory()
    (job,) = submit(data, "fr")
    job = wait_finished(job)
    assert job.state == JobState.COMPLETED, job.error
    assert document_xml(delivery(job)) == document_xml(eager)


@pytest.mark.libreoffice
def test_every_routed_queue_runs_its_task_on_the_worker(worker_factory, legacy_documents) -> None:
    worker = worker_factory(IRIS_BATCH_SEGMENTS="5")
    (legacy,) = submit(legacy_documents["report", "rtf"], "de")
    (job,) = submit(build_document(paragraphs=12), "fr", delay_ms="300")
    reviewed = submit_for_review(build_document(paragraphs=4))
    wait_until(
        job,
        lambda j: (
            j.state == JobState.TRANSLATING and j.batches.filter(state=BatchState.DONE).exists()
        ),
    )
    request_control(job, Command.PAUSE)
    wait_until(job, lambda j: j.state == JobState.PAUSED)
    request_control(job, Command.RESUME)
    job = wait_finished(job)
    assert job.state == JobState.COMPLETED, job.error
    legacy = wait_finished(legacy)  # an .rtf, converted on the worker
    assert legacy.state == JobState.COMPLETED, legacy.error
    # review_io exported its packages on the worker; "deliver now" lets it finish
    wait_until(reviewed, lambda j: j.review_exports.count() == 2, what="review packages")
    deliver_now(reviewed.pk, "routing test", Actor(name="test"))
    assert wait_finished(reviewed).state == JobState.COMPLETED
    log = worker.output()
    for queue, task in TASK_FOR_QUEUE.items():
        ran = [line for line in log.splitlines() if f"Task {task}[" in line and "succeeded" in line]
        assert ran, f"{task} never ran on {queue}"
