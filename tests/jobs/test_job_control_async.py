"""Pause, resume and cancel against real workers, honoured between batches."""

from __future__ import annotations

import time

import pytest

from iris.artifacts.models import ArtifactKind
from iris.jobs.actions import Command, request_control
from iris.jobs.models import BatchState, JobState
from tests.documents import build_large_document
from tests.jobs.helpers import forget_translations, submit, wait_finished, wait_until

pytestmark = pytest.mark.services
SLOW = {"IRIS_BATCH_SEGMENTS": "4", "IRIS_BATCH_WINDOW": "2"}


def in_flight(job) -> int:
    return int(job.batches.filter(state__in=(BatchState.QUEUED, BatchState.RUNNING)).count())


def translating_with_a_batch_done(job):
    return job.state == JobState.TRANSLATING and job.batches.filter(state=BatchState.DONE).exists()


def test_pause_stops_dispatching_and_resume_finishes(worker_factory) -> None:
    worker_factory(**SLOW)
    (job,) = submit(build_large_document(paragraphs=24), "fr", delay_ms="300")
    wait_until(job, translating_with_a_batch_done, what="first batch done")
    request_control(job, Command.PAUSE)
    wait_until(job, lambda j: j.state == JobState.PAUSED and in_flight(j) == 0, what="paused")
    done = job.batches.filter(state=BatchState.DONE).count()
    time.sleep(2)
    job.refresh_from_db()
    assert job.state == JobState.PAUSED
    assert job.batches.filter(state=BatchState.DONE).count() == done
    assert job.batches.filter(state=BatchState.PENDING).exists()
    request_control(job, Command.RESUME)
    job = wait_finished(job)
    assert job.state == JobState.COMPLETED, job.error
    assert job.segments_done == job.segments_total


def test_cancel_stops_work_and_delivers_nothing(worker_factory) -> None:
    worker_factory(**SLOW)
    (job,) = submit(build_large_document(paragraphs=24), "fr", delay_ms="300")
    wait_until(job, translating_with_a_batch_done, what="first batch done")
    request_control(job, Command.CANCEL)
    wait_until(job, lambda j: j.state == JobState.CANCELLED and in_flight(j) == 0, what="stop")
    done = job.batches.filter(state=BatchState.DONE).count()
    time.sleep(2)
    assert job.batches.filter(state=BatchState.DONE).count() == done
    assert job.batches.filter(state=BatchState.PENDING).exists()
    assert not job.artifacts.filter(kind=ArtifactKind.DELIVERY).exists()


def test_two_jobs_on_two_workers_do_not_interfere(worker_factory, settings) -> None:
    from tests.jobs.helpers import delivery, document_xml, run_eager

    first_doc, second_doc = build_large_document(12, seed=1), build_large_document(12, seed=2)
    expected = {
        "fr": run_eager(settings, first_doc, "fr"),
        "de": run_eager(settings, second_doc, "de"),
    }

    forget_translations()  # so that nothing below can reuse their translations
    a = worker_factory(IRIS_BATCH_SEGMENTS="4", concurrency="1")
    b = worker_factory(IRIS_BATCH_SEGMENTS="4", concurrency="1")
    (fr,) = submit(first_doc, "fr", delay_ms="100")
    (de,) = submit(second_doc, "de", delay_ms="100")
    for job in (wait_finished(fr), wait_finished(de)):
        assert job.state == JobState.COMPLETED, job.error
        assert job.segments_done == job.segments_total == job.segments.count()
        assert document_xml(delivery(job)) == document_xml(expected[job.target_lang])
    assert "translate_batch" in a.output()
    assert "translate_batch" in b.output()
