"""The translating phase is one step wherever the read-model names a step: the job's
``step``, its ``failed_step`` and its ``steps`` all say ``translate_batch``, whichever of
the two batch steps (context, translation) the job is in or failed in."""

from __future__ import annotations

import pytest

from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.flow import FLOW
from iris.jobs.models import Job, JobState, Step
from iris.jobs.progress import StepStatus, job_status
from tests.documents import build_document
from tests.jobs.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _current(status) -> list[str]:
    return [
        str(s.step) for s in status.steps if s.status in (StepStatus.RUNNING, StepStatus.FAILED)
    ]


def test_a_translating_job_shows_the_translation_step() -> None:
    (job,) = create_jobs(TranslationRequest("a.docx", build_document(), ["fr"], "en"), start=False)
    # What the flow writes as extraction ends: the first batch step is the job's step.
    assert FLOW[Step.EXTRACT].following(job) == Step.CONTEXT
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSLATING, step=Step.CONTEXT)
    (status,) = job_status([job.pk])
    assert status.step == "translate_batch"
    assert _current(status) == ["translate_batch"]


def test_a_job_failed_by_its_engine_shows_one_step_everywhere(tmp_path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="fail-once", marker=str(marker))
    (status,) = job_status([job.pk])
    assert status.state == JobState.FAILED
    assert (status.step, status.failed_step) == ("translate_batch", "translate_batch")
    assert _current(status) == ["translate_batch"]


def test_a_job_failed_in_context_retrieval_shows_the_translation_step() -> None:
    (job,) = submit(build_document(), "fr")
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, step=Step.CONTEXT, failed_step=Step.CONTEXT
    )
    (status,) = job_status([job.pk])
    assert (status.step, status.failed_step) == ("translate_batch", "translate_batch")
    assert _current(status) == ["translate_batch"]


def test_other_steps_are_shown_as_stored() -> None:
    (job,) = submit(build_document(), "fr")
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, step=Step.EXTRACT, failed_step=Step.EXTRACT
    )
    (status,) = job_status([job.pk])
    assert (status.step, status.failed_step) == ("docx_extract", "docx_extract")
