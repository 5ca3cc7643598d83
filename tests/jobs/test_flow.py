"""The flow table: one place says which step follows which, on which queue."""

from __future__ import annotations

import pytest

from iris.celery import TASK_FOR_QUEUE, app, load_tasks
from iris.jobs.actions import release_review
from iris.jobs.flow import CONTROL_QUEUE, FLOW, path, step_for_state
from iris.jobs.models import Job, JobState, Step
from iris.jobs.states import IllegalTransition
from tests.documents import build_document
from tests.jobs.helpers import delivery, submit


def test_every_step_has_a_row_and_a_routed_queue() -> None:
    assert set(FLOW) == set(Step)
    queues = {spec.queue for spec in FLOW.values()} | {CONTROL_QUEUE}
    assert queues == set(TASK_FOR_QUEUE)


def test_every_step_that_runs_a_task_has_it_registered() -> None:
    load_tasks()
    for spec in FLOW.values():
        assert spec.task in app.tasks, spec.step


def test_the_path_of_a_docx_and_of_a_legacy_document() -> None:
    docx = Job(source_format="docx")
    assert path(docx) == [Step.EXTRACT, Step.CONTEXT, Step.TRANSLATE, Step.VERIFY, Step.REASSEMBLE]
    legacy = Job(source_format="doc", review_required=True)
    assert path(legacy)[0] == Step.CONVERT
    assert Step.REVIEW in path(legacy)


def test_each_waiting_state_names_its_step() -> None:
    assert step_for_state(Job(state=JobState.QUEUED, source_format="odt")) == Step.CONVERT
    assert step_for_state(Job(state=JobState.TRANSLATING)) == Step.CONTEXT
    assert step_for_state(Job(state=JobState.IN_REVIEW)) == Step.REVIEW
    assert step_for_state(Job(state=JobState.COMPLETED)) is None


@pytest.mark.django_db(transaction=True)
def test_a_job_that_needs_review_waits_at_the_gate_until_released() -> None:
    from iris.jobs.actions import TranslationRequest, create_jobs

    request = TranslationRequest("a.docx", build_document(), ["fr"], "en", review_required=True)
    (job,) = create_jobs(request)
    job.refresh_from_db()
    assert job.state == JobState.IN_REVIEW
    assert not job.artifacts.filter(kind="delivery").exists()
    release_review(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert delivery(job)
    with pytest.raises(IllegalTransition):
        release_review(job.pk)


@pytest.mark.django_db(transaction=True)
def test_started_at_is_written_when_the_job_leaves_the_queue() -> None:
    (job,) = submit(build_document(), "fr")
    job.refresh_from_db()
    assert job.started_at is not None
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.created <= job.started_at <= job.finished_at
