"""The read-model: where a job is, for the CLI, the API and the console alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.jobs.actions import Command, apply_control
from iris.jobs.models import Job, JobState, Step
from iris.jobs.progress import StepStatus, delivery_bytes, job_report, job_status
from tests.documents import build_document
from tests.jobs.helpers import delivery, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_completed_job_reports_every_step_done_and_its_delivery() -> None:
    (job,) = submit(build_document(), "fr")
    report = job_report(job.pk)
    status = report.status
    assert status.state == JobState.COMPLETED
    assert status.finished
    assert [s.step for s in status.steps] == [
        Step.EXTRACT,
        Step.TRANSLATE,
        Step.VERIFY,
        Step.REASSEMBLE,
    ]
    assert all(s.status == StepStatus.DONE and s.done == s.total for s in status.steps)
    assert status.fraction == 1.0
    assert report.usage["characters"] > 0
    assert sum(report.qa.values()) == status.segments_total
    assert report.fidelity == {"clean": True, "differences": 0}
    assert report.delivery is not None
    assert report.delivery.name == "report.fr.docx"
    assert delivery_bytes(job.pk) == delivery(job)


def test_a_failed_job_shows_the_step_that_failed(tmp_path) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    (job,) = submit(build_document(), "fr", engine="fail-once", marker=str(marker))
    (status,) = job_status([job.pk])
    assert status.state == JobState.FAILED
    shown = {s.step: s.status for s in status.steps}
    assert shown[Step.EXTRACT] == StepStatus.DONE
    assert shown[Step.TRANSLATE] == StepStatus.FAILED
    assert shown[Step.REASSEMBLE] == StepStatus.WAITING
    assert job_report(job.pk).delivery is None
    assert delivery_bytes(job.pk) is None


def test_a_failure_in_a_batch_step_shows_on_translation() -> None:
    (job,) = submit(build_document(), "fr")
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, failed_step=Step.CONTEXT)
    (status,) = job_status([job.pk])
    shown = {s.step: s.status for s in status.steps}
    assert shown[Step.EXTRACT] == StepStatus.DONE
    assert shown[Step.TRANSLATE] == StepStatus.FAILED


def test_eta_follows_the_measured_throughput() -> None:
    (job,) = submit(build_document(), "fr")
    started = timezone.now() - timedelta(seconds=60)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.TRANSLATING, started_at=started, words_done=25, words_total=100
    )
    (status,) = job_status([job.pk])
    assert status.eta is not None
    assert timedelta(seconds=170) < status.eta < timedelta(seconds=190)  # 3x the time so far
    apply_control(job.pk, Command.PAUSE)
    (paused,) = job_status([job.pk])
    assert paused.eta is None
    assert {s.step: s.status for s in paused.steps}[Step.TRANSLATE] == StepStatus.RUNNING


def test_status_of_many_jobs_is_one_query(django_assert_num_queries) -> None:
    jobs = submit(build_document(), "fr", "de", "it")
    with django_assert_num_queries(1):
        statuses = job_status([job.pk for job in jobs])
    assert [s.target_lang for s in statuses] == ["fr", "de", "it"]
